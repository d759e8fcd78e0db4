//! The `okno` binary: parses the command line, loads settings, wires the crates together.
//!
//! Owns: commands, configuration, logging setup, process signals.
//! Must never: hold business rules (they live in `app` and `domain`) or print personal data.

mod admin;
mod calendar;
mod check;
mod export_events;
mod settings;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use okno_app::transfer::Format;
use okno_app::{Actor, App};
use okno_domain::Id;
use okno_store::Store;
use settings::{Overrides, Settings};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "okno", version, about = "Okno: what a public body produces, and for whom")]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct Global {
    /// A TOML file with settings (database, data, listen, log_format, secure_cookies,
    /// smtp_url, mail_from, base_url, transparency_min_requests, centricity_weights).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Database URL: sqlite://… or postgres://…; default: the embedded SQLite file in --data.
    #[arg(long, global = true)]
    database: Option<String>,
    /// Data directory for the embedded database (default ./okno-data).
    #[arg(long, global = true)]
    data: Option<PathBuf>,
    /// Log format: text or json.
    #[arg(long, global = true)]
    log_format: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web interface and the API.
    Serve {
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long)]
        listen: Option<SocketAddr>,
    },
    /// Load the demo bodies (once) and serve them.
    Demo {
        #[arg(long)]
        listen: Option<SocketAddr>,
        /// How many requests with a history the demo gets when it is first loaded.
        #[arg(long, default_value_t = 300)]
        requests: usize,
        /// Load the demo and exit instead of serving it (e.g. to time a large load).
        #[arg(long)]
        no_serve: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Import a body's catalogue from an XLSX or CSV file; nothing is imported if any row is invalid.
    Import {
        /// The body's id.
        #[arg(long)]
        body: Id,
        file: PathBuf,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        what: AuditWhat,
    },
    /// Export data.
    Export {
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// Check documents for plain Russian: txt, md, docx, odt, or - for standard input.
    /// Prints findings like a compiler (file:line:col); exits 0 unless an input could not be read.
    Check {
        /// text (like a compiler) or json (one object per input, per line).
        #[arg(long, default_value = "text")]
        format: String,
        /// The checker's settings (TOML): rules switched off, severities, thresholds.
        #[arg(long = "rules")]
        rules: Option<PathBuf>,
        /// The documents are letters to a citizen: also check that they address the reader.
        #[arg(long)]
        letter: bool,
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// Accounts and tokens.
    Admin {
        #[command(subcommand)]
        what: admin::AdminCommand,
    },
    /// A body's business calendar: regional holidays, time zone, working hours.
    Calendar {
        #[command(subcommand)]
        what: calendar::CalendarCommand,
    },
}

#[derive(Subcommand)]
enum AuditWhat {
    /// Walk the hash chain; exit 1 naming the first broken entry.
    Verify,
}

#[derive(Subcommand)]
enum ExportWhat {
    /// A body's catalogue as XLSX or CSV.
    Catalogue {
        #[arg(long)]
        body: Id,
        /// xlsx or csv; by default taken from the file name.
        #[arg(long)]
        format: Option<String>,
        file: PathBuf,
    },
    /// Every request's history as an event log for process-mining tools (no personal data).
    Events {
        /// xes (IEEE 1849) or ocel (OCEL 2.0 JSON); by default taken from the file name.
        #[arg(long)]
        format: Option<String>,
        file: PathBuf,
    },
}

fn init_logging(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("OKNO_LOG").unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn open(settings: &Settings) -> Result<App> {
    let url = settings.database_url();
    if url.starts_with("sqlite:") && settings.database.is_empty() {
        std::fs::create_dir_all(&settings.data).with_context(|| format!("cannot create the data directory {}", settings.data.display()))?;
    }
    let store = Store::connect(&url).await.with_context(|| format!("cannot open the database {}", settings.redacted_database()))?;
    App::new(store)
        .with_transparency_min(settings.transparency_min_requests)
        .with_weights(settings.centricity_weights.clone())
        .map_err(|e| anyhow::anyhow!("the setting centricity_weights is not valid: {e}"))
}

/// Listens for SIGINT and SIGTERM from now on (not from the first poll), so a signal
/// that arrives right after start-up still shuts down gracefully.
fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).expect("cannot listen for SIGTERM");
        let mut int = signal(SignalKind::interrupt()).expect("cannot listen for SIGINT");
        async move {
            tokio::select! { _ = term.recv() => {}, _ = int.recv() => {} }
            tracing::info!("shutting down: finishing requests in flight");
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down: finishing requests in flight");
    }
}

/// The demo's logins, when they exist: the demo says how to sign in.
async fn print_demo_logins(app: &App) -> Result<()> {
    let mut shown = Vec::new();
    for l in &okno_app::demo::DEMO_LOGINS {
        if app.store().account_by_email(l.email).await?.is_some() {
            let scope = match l.body {
                Some(b) => format!("in «{b}»"),
                None => "in every body".to_string(),
            };
            shown.push(format!("  {:<28} {} {scope}", l.email, l.role));
        }
    }
    if !shown.is_empty() {
        println!("Demo logins, all with the password {}:", okno_app::demo::DEMO_PASSWORD);
        for line in shown {
            println!("{line}");
        }
    }
    Ok(())
}

async fn serve(app: App, settings: &Settings) -> Result<()> {
    let listen = settings.listen;
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
    let shutdown = shutdown_signal();
    let addr = listener.local_addr()?;
    // Tests and scripts read this line to learn the port when --listen asked for port 0.
    println!("Okno is serving on http://{addr}");
    tracing::info!(%addr, "serving");
    let mail = start_mail(&app, settings)?;
    let warm = tokio::spawn({
        let app = app.clone();
        async move { app.warm_analytics().await }
    });
    let state = okno_web::AppState::new(app.clone()).with_secure_cookies(settings.secure_cookies);
    okno_web::serve(state, listener, shutdown).await?;
    warm.abort();
    for task in mail {
        task.abort();
    }
    app.store().close().await;
    Ok(())
}

/// Starts the outbox sender and the deadline sweep (every minute) when `smtp_url` is set.
/// Without it mail still queues in the outbox, so nothing is lost: it goes out once
/// sending is configured.
fn start_mail(app: &App, settings: &Settings) -> Result<Vec<tokio::task::JoinHandle<()>>> {
    if settings.smtp_url.trim().is_empty() {
        tracing::info!("e-mail sending is off (smtp_url is not set): notifications wait in the outbox");
        return Ok(Vec::new());
    }
    let sender = okno_app::notify::Sender::new(app.clone(), settings.smtp_url.trim(), &settings.mail_from, &settings.base_url)
        .with_context(|| format!("cannot send e-mail through {}", settings.redacted_smtp()))?;
    tracing::info!(smtp = %settings.redacted_smtp(), base_url = %settings.base_url, "e-mail sending is on");
    Ok(vec![
        tokio::spawn(sender.run()),
        tokio::spawn(okno_app::notify::run_deadline_sweep(app.clone(), std::time::Duration::from_secs(60))),
    ])
}

fn format_for(path: &std::path::Path, given: Option<&str>) -> Result<Format> {
    let name = given.map(|g| format!("x.{g}")).unwrap_or_else(|| path.to_string_lossy().into_owned());
    Format::from_extension_or_name(&name).with_context(|| format!("cannot tell the format of {}: use .xlsx or .csv", path.display()))
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    // Checking documents needs no settings, database or logs: a pure function of the files.
    if let Command::Check { format, rules, letter, files } = &cli.command {
        let code = check::run(files, format, rules.as_deref(), *letter)?;
        std::process::exit(code);
    }
    let listen = match &cli.command {
        Command::Serve { listen } | Command::Demo { listen, .. } => *listen,
        _ => None,
    };
    let overrides = Overrides {
        database: cli.global.database.clone(),
        data: cli.global.data.clone(),
        listen,
        log_format: cli.global.log_format.clone(),
    };
    let settings = Settings::load(cli.global.config.as_deref(), &overrides).context("cannot read the settings")?;
    if settings.log_format != "text" && settings.log_format != "json" {
        bail!("log_format must be text or json, not {:?}", settings.log_format);
    }
    init_logging(&settings.log_format);
    tracing::info!(database = %settings.redacted_database(), "starting");

    match cli.command {
        Command::Check { .. } => unreachable!("handled before the settings are read"),
        Command::Serve { .. } => serve(open(&settings).await?, &settings).await,
        Command::Demo { requests, no_serve, .. } => {
            let app = open(&settings).await?;
            let created = okno_app::demo::load(&app).await.context("cannot load the demo")?;
            if created > 0 {
                println!("Loaded the demo: {created} products and services in 2 bodies.");
                let n = if requests > okno_app::demo_bulk::BULK_ABOVE {
                    // Many requests: made in memory and written in large transactions.
                    let t = okno_app::demo_bulk::load_bulk(&app, requests, |t| eprintln!("… {} requests, {} events", t.requests, t.events))
                        .await
                        .context("cannot generate the demo requests")?;
                    t.requests
                } else {
                    okno_app::demo_history::load_history(&app, requests).await.context("cannot load the demo requests")?
                };
                println!("Loaded {n} requests with their history.");
                let costs = app.load_demo_costs().await.context("cannot enter the demo costs")?;
                println!("Entered {costs} monthly costs of the demo services.");
            }
            okno_app::demo::create_logins(&app).await.context("cannot create the demo logins")?;
            print_demo_logins(&app).await?;
            if no_serve {
                return Ok(());
            }
            serve(app, &settings).await
        }
        Command::Migrate => {
            open(&settings).await?;
            println!("The database is up to date.");
            Ok(())
        }
        Command::Import { body, file } => {
            let app = open(&settings).await?;
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let format = format_for(&file, None)?;
            match app.import_catalogue(&Actor::system(), body, format, &bytes).await {
                Ok(r) => {
                    println!("Imported: {} created, {} updated.", r.created, r.updated);
                    Ok(())
                }
                Err(okno_app::AppError::Invalid(inv)) => {
                    for e in &inv.0 {
                        eprintln!("{}: {}", e.field, e.message);
                    }
                    bail!("nothing was imported: {} problem(s) in {}", inv.0.len(), file.display())
                }
                Err(e) => Err(e).context("import failed"),
            }
        }
        Command::Audit { what: AuditWhat::Verify } => {
            let app = open(&settings).await?;
            match app.verify_audit(&Actor::system()).await.context("cannot read the audit trail")? {
                okno_app::AuditCheck::Intact { entries } => {
                    println!("The audit trail is intact: {entries} entries.");
                    Ok(())
                }
                okno_app::AuditCheck::Broken { seq, reason } => {
                    eprintln!("The audit trail is broken at entry {seq}: {reason}.");
                    std::process::exit(1);
                }
            }
        }
        Command::Admin { what } => admin::run(&open(&settings).await?, what).await,
        Command::Calendar { what } => calendar::run(&open(&settings).await?, what).await,
        Command::Export { what: ExportWhat::Catalogue { body, format, file } } => {
            let app = open(&settings).await?;
            let format = format_for(&file, format.as_deref())?;
            let bytes = app.export_catalogue(&Actor::system(), body, format).await.context("export failed")?;
            std::fs::write(&file, bytes).with_context(|| format!("cannot write {}", file.display()))?;
            println!("Wrote {}", file.display());
            Ok(())
        }
        Command::Export { what: ExportWhat::Events { format, file } } => {
            let format = export_events::Format::pick(format.as_deref(), &file)?;
            let app = open(&settings).await?;
            let w = export_events::run(app.store(), format, &file).await?;
            println!("Wrote {}: {} requests, {} with finished stages, {} rows", file.display(), w.cases, w.traces, w.rows);
            Ok(())
        }
    }
}
