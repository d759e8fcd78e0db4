//! `okno admin` as an operator uses it: accounts with the password on standard input,
//! tokens printed once, refusals that change nothing.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const OKNO: &str = env!("CARGO_BIN_EXE_okno");

/// Runs `okno admin …` on the data directory, with `stdin` as standard input.
fn admin(data: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(OKNO)
        .arg("admin")
        .args(args)
        .arg("--data")
        .arg(data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The command may refuse before reading; a closed pipe is then no failure of ours.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

async fn count(data: &Path, table: &str) -> i64 {
    use sqlx::{Connection, Row};
    sqlx::any::install_default_drivers();
    let url = format!("sqlite://{}", data.join("okno.sqlite").display());
    let mut c = sqlx::AnyConnection::connect(&url).await.unwrap();
    sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}")).fetch_one(&mut c).await.unwrap().try_get("n").unwrap()
}

#[tokio::test]
async fn accounts_are_created_from_stdin_and_tokens_printed_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();

    let out = admin(data, &["create-user", "--email", "anna@example.ru", "--role", "administrator", "--password-stdin"], "short\n");
    assert!(!out.status.success(), "a weak password fails the command");
    let err = text(&out.stderr);
    assert!(err.contains("password: must be at least 12 characters") && err.contains("no account was created"), "{err}");
    assert_eq!(count(data, "accounts").await, 0, "and creates nothing");

    let out = admin(data, &["create-user", "--email", "anna@example.ru", "--role", "administrator"], "");
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("--password-stdin"), "{}", text(&out.stderr));
    assert_eq!(count(data, "accounts").await, 0);

    let password = "Ведомость-2026 весна";
    let out = admin(
        data,
        &["create-user", "--email", "Anna@Example.ru", "--role", "administrator", "--password-stdin"],
        &format!("{password}\r\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("Created the account "), "{}", text(&out.stdout));
    assert!(!text(&out.stdout).contains(password) && !text(&out.stderr).contains(password), "the password is never echoed");
    assert_eq!(count(data, "accounts").await, 1);

    let out =
        admin(data, &["create-user", "--email", "anna@example.ru", "--role", "analyst", "--password-stdin"], "another long password\n");
    assert!(!out.status.success(), "the same e-mail twice is refused");
    assert!(text(&out.stderr).contains("email: an account with this e-mail already exists"), "{}", text(&out.stderr));
    assert_eq!(count(data, "accounts").await, 1);

    let out = admin(data, &["create-user", "--email", "boris@example.ru", "--role", "root", "--password-stdin"], "another long password\n");
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("role: must be one of: administrator"), "{}", text(&out.stderr));

    let out = admin(data, &["token", "--email", "anna@example.ru", "--scope", "write", "--label", "1C"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    let token = *lines.last().unwrap();
    assert!(token.starts_with("okno_") && token.len() == 69, "the token is the last line: {stdout}");
    assert!(lines[lines.len() - 2].contains("shown only now"), "{stdout}");
    assert!(!text(&out.stderr).contains(token), "the token is not logged");
    let id = lines[0].strip_prefix("Token id: ").unwrap().split(' ').next().unwrap().to_string();
    assert_eq!(count(data, "api_tokens").await, 1);

    let out = admin(data, &["token", "--email", "nobody@example.ru"], "");
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("email: there is no account with this e-mail"), "{}", text(&out.stderr));
    assert_eq!(count(data, "api_tokens").await, 1);

    let out = admin(data, &["revoke-token", "--id", &id], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Revoked"), "{}", text(&out.stdout));
    let out = admin(data, &["revoke-token", "--id", "0190a6f0-0000-7000-8000-000000000000"], "");
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("token not found"), "{}", text(&out.stderr));
}

#[test]
fn accounts_are_created_while_the_server_runs() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let mut server = Command::new(OKNO)
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    while !lines.next().expect("okno printed its address").unwrap().starts_with("Okno is serving on") {}
    let out = admin(data, &["create-user", "--email", "anna@example.ru", "--role", "analyst", "--password-stdin"], "long enough secret\n");
    let token = admin(data, &["token", "--email", "anna@example.ru"], "");
    let stopped = Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap().success();
    let status = server.wait().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(token.status.success(), "{}", text(&token.stderr));
    assert!(stopped && status.success(), "the server ran on undisturbed: {status}");
}
