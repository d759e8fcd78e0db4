//! `okno admin`: staff accounts and API tokens from the command line, on the same
//! database as the server (also while it runs). Secrets never appear in arguments:
//! a password comes on standard input, a token is printed once and kept nowhere.

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use okno_app::{Actor, App, AppError};
use okno_domain::Id;
use std::io::{BufRead, IsTerminal, Write};

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Create a staff account; the password is read from standard input (one line).
    CreateUser {
        #[arg(long)]
        email: String,
        /// administrator, service_owner, unit_head, executor, analyst or communications_editor.
        #[arg(long)]
        role: String,
        /// The body the role holds in (an id); without it, in every body.
        #[arg(long)]
        body: Option<Id>,
        /// Read the password from standard input. Required: a password given as an
        /// argument would stay in the shell's history and the process list.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Issue an API token for an account; the token is printed once, as the last line.
    Token {
        #[arg(long)]
        email: String,
        /// read or write.
        #[arg(long, default_value = "read")]
        scope: String,
        /// What the token is for, to tell tokens apart when revoking.
        #[arg(long, default_value = "")]
        label: String,
    },
    /// Revoke an API token by its id.
    RevokeToken {
        #[arg(long)]
        id: Id,
    },
}

/// Prints each field problem, then fails saying nothing was changed.
fn refused(e: AppError, nothing: &str) -> anyhow::Error {
    match e {
        AppError::Invalid(inv) => {
            for f in &inv.0 {
                eprintln!("{}: {}", f.field, f.message);
            }
            anyhow::anyhow!("{nothing}: {} problem(s)", inv.0.len())
        }
        other => anyhow::Error::new(other).context(nothing.to_string()),
    }
}

/// One line from standard input without its line ending; the rest of the input is ignored.
fn read_password() -> Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password (shown as you type; pipe it in to hide it): ");
        std::io::stderr().flush().ok();
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line).context("cannot read the password from standard input")?;
    let password = line.strip_suffix('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).unwrap_or(&line);
    Ok(password.to_string())
}

pub async fn run(app: &App, what: AdminCommand) -> Result<()> {
    let system = Actor::system();
    match what {
        AdminCommand::CreateUser { email, role, body, password_stdin } => {
            if !password_stdin {
                bail!("give the password on standard input with --password-stdin; no account was created");
            }
            let password = read_password()?;
            let id = app.create_user(&system, &email, &role, body, &password).await.map_err(|e| refused(e, "no account was created"))?;
            println!("Created the account {id}.");
            Ok(())
        }
        AdminCommand::Token { email, scope, label } => {
            let t = app.issue_token(&system, &email, &scope, &label).await.map_err(|e| refused(e, "no token was issued"))?;
            println!("Token id: {} (revoke with: okno admin revoke-token --id {})", t.id, t.id);
            println!("The token is shown only now; store it in a safe place:");
            println!("{}", t.token);
            Ok(())
        }
        AdminCommand::RevokeToken { id } => {
            if app.revoke_token(&system, id).await.map_err(|e| refused(e, "no token was revoked"))? {
                println!("Revoked the token {id}.");
            } else {
                println!("The token {id} was already revoked.");
            }
            Ok(())
        }
    }
}
