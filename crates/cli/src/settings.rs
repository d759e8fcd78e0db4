//! One `Settings` struct: defaults < TOML file < `OKNO_*` environment < flags.

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Settings {
    /// `sqlite://…` or `postgres://…`; empty means the embedded SQLite file under `data`.
    pub database: String,
    /// Where the embedded database and other files live.
    pub data: PathBuf,
    pub listen: SocketAddr,
    /// `text` or `json`.
    pub log_format: String,
    /// Mark the session cookie `Secure`: set it when Okno is reached over HTTPS (behind a
    /// TLS-terminating proxy), so the browser never sends the session over plain HTTP.
    pub secure_cookies: bool,
    /// Where e-mail goes out: `smtp://host:port` (plain, e.g. a local relay),
    /// `smtp://user:password@host:587?tls=required` (STARTTLS) or
    /// `smtps://user:password@host` (TLS). Empty: mail is queued, not sent.
    pub smtp_url: String,
    /// The From address of notifications, e.g. `Окно <okno@example.org>`.
    pub mail_from: String,
    /// The site's address as clients and staff reach it, for links in mail.
    pub base_url: String,
    /// The public transparency page shows an offering's figures only from this many
    /// requests in the period (and its satisfaction only from this many ratings).
    pub transparency_min_requests: u64,
    /// How the client-centricity index weighs its parts (a `[centricity_weights]` table:
    /// timeliness, waiting, rework, transparency, effort, satisfaction, max_asks); missing
    /// keys keep their defaults.
    pub centricity_weights: okno_app::analytics::engine::Weights,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database: String::new(),
            data: PathBuf::from("okno-data"),
            listen: "127.0.0.1:8080".parse().expect("valid"),
            log_format: "text".into(),
            secure_cookies: false,
            smtp_url: String::new(),
            mail_from: "Окно <okno@localhost>".into(),
            base_url: "http://127.0.0.1:8080".into(),
            transparency_min_requests: okno_app::dashboard::DEFAULT_TRANSPARENCY_MIN,
            centricity_weights: Default::default(),
        }
    }
}

/// Values given on the command line; `None` leaves the lower layers' value.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_format: Option<String>,
}

impl Settings {
    pub fn load(config: Option<&std::path::Path>, flags: &Overrides) -> Result<Settings, Box<figment::Error>> {
        let mut f = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(path) = config {
            f = f.merge(Toml::file_exact(path));
        }
        f.merge(Env::prefixed("OKNO_").only(&[
            "database",
            "data",
            "listen",
            "log_format",
            "secure_cookies",
            "smtp_url",
            "mail_from",
            "base_url",
            "transparency_min_requests",
        ]))
        .merge(Serialized::defaults(flags))
        .extract()
        .map_err(Box::new)
    }

    pub fn database_url(&self) -> String {
        if self.database.is_empty() {
            format!("sqlite://{}?mode=rwc", self.data.join("okno.sqlite").display())
        } else {
            self.database.clone()
        }
    }

    /// The database URL with any password replaced, for logs.
    pub fn redacted_database(&self) -> String {
        redact(&self.database_url())
    }

    /// The SMTP URL with any password replaced, for logs.
    pub fn redacted_smtp(&self) -> String {
        redact(&self.smtp_url)
    }
}

pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    // figment's Jail fixes the closure's error type.
    #[allow(clippy::result_large_err)]
    fn layers_override_in_order() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("okno.toml", "listen = \"127.0.0.1:9000\"\ndata = \"from-file\"\nlog_format = \"json\"")?;
            jail.set_env("OKNO_DATA", "from-env");
            jail.set_env("OKNO_SMTP_URL", "smtp://127.0.0.1:2525");
            let s = Settings::load(Some(std::path::Path::new("okno.toml")), &Overrides::default()).map_err(|e| *e)?;
            assert_eq!(s.listen.port(), 9000, "file beats default");
            assert_eq!(s.data, PathBuf::from("from-env"), "env beats file");
            assert_eq!(s.log_format, "json");
            assert_eq!(s.smtp_url, "smtp://127.0.0.1:2525", "mail settings come from the environment too");
            let s = Settings::load(
                Some(std::path::Path::new("okno.toml")),
                &Overrides { data: Some("from-flag".into()), ..Default::default() },
            )
            .map_err(|e| *e)?;
            assert_eq!(s.data, PathBuf::from("from-flag"), "flag beats env");
            Ok(())
        });
    }

    #[test]
    #[allow(clippy::result_large_err)]
    fn dashboard_settings_come_from_the_file_and_the_environment() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("okno.toml", "[centricity_weights]\nsatisfaction = 0.5\ntimeliness = 0\n")?;
            jail.set_env("OKNO_TRANSPARENCY_MIN_REQUESTS", "50");
            let s = Settings::load(Some(std::path::Path::new("okno.toml")), &Overrides::default()).map_err(|e| *e)?;
            assert_eq!(s.transparency_min_requests, 50);
            assert_eq!((s.centricity_weights.satisfaction, s.centricity_weights.timeliness), (0.5, 0.0));
            assert_eq!(s.centricity_weights.waiting, okno_app::analytics::engine::Weights::default().waiting, "missing keys keep defaults");
            jail.create_file("bad.toml", "[centricity_weights]\nsatisfication = 1\n")?;
            assert!(Settings::load(Some(std::path::Path::new("bad.toml")), &Overrides::default()).is_err(), "a misspelt weight is refused");
            Ok(())
        });
    }

    #[test]
    fn defaults_use_embedded_sqlite_and_passwords_are_redacted() {
        let s = Settings::default();
        assert!(s.database_url().starts_with("sqlite://okno-data/okno.sqlite"));
        assert_eq!(redact("postgres://okno:s3cret@db:5432/okno"), "postgres://okno:***@db:5432/okno");
        assert_eq!(redact("postgres://okno@db/okno"), "postgres://okno@db/okno");
        assert_eq!(redact("smtps://okno:p%40ss@smtp.example.org:465"), "smtps://okno:***@smtp.example.org:465");
        assert!(s.smtp_url.is_empty(), "mail is not sent unless configured");
    }
}
