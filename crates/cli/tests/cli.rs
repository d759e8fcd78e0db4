//! The `okno` binary as an operator uses it: demo, graceful shutdown, export, import.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

const OKNO: &str = env!("CARGO_BIN_EXE_okno");

fn http_get(addr: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out[9..12].parse().unwrap();
    let body = out.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

#[test]
fn demo_serves_stops_gracefully_and_the_catalogue_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let mut child = Command::new(OKNO)
        .args(["demo", "--listen", "127.0.0.1:0", "--data", data])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut said = String::new();
    let addr = loop {
        let line = lines.next().expect("okno printed its address").unwrap();
        if let Some(url) = line.strip_prefix("Okno is serving on http://") {
            break url.to_string();
        }
        said.push_str(&line);
        said.push('\n');
    };
    // The demo says how to sign in, before it says where it serves.
    assert!(said.contains("Demo logins, all with the password okno-demo-2026:"), "{said}");
    for login in ["admin@okno.example", "owner@mfc.okno.example", "executor@mfc.okno.example"] {
        assert!(said.contains(login), "{login} is printed: {said}");
    }
    assert_eq!(http_get(&addr, "/healthz").0, 200);
    let (status, bodies) = http_get(&addr, "/api/v1/bodies");
    assert_eq!(status, 200);
    let mfc = bodies
        .split("\"id\":\"")
        .skip(1)
        .map(|s| &s[..36])
        .find(|id| bodies.contains(&format!("{id}\",\"name\":\"МФЦ")))
        .expect("the MFC body")
        .to_string();
    // SIGTERM: requests in flight finish, then the process exits cleanly.
    send_sigterm(child.id());
    let status = child.wait().unwrap();
    assert!(status.success(), "graceful shutdown exits 0, got {status}");

    let csv = dir.path().join("catalogue.csv");
    let out = Command::new(OKNO).args(["export", "catalogue", "--body", &mfc, "--data", data]).arg(&csv).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("Название") && text.contains("Рассмотрение обращений граждан"));

    let out = Command::new(OKNO).args(["import", "--body", &mfc, "--data", data]).arg(&csv).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "Imported: 0 created, 11 updated.");

    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "Название,Вид,Тип,Подразделение\nНовая услуга,услуга,другое,Нет такого отдела\n").unwrap();
    let out = Command::new(OKNO).args(["import", "--body", &mfc, "--data", data]).arg(&bad).output().unwrap();
    assert!(!out.status.success(), "a bad file fails the command");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rows[2].owner_unit") && err.contains("nothing was imported"), "{err}");

    let out = Command::new(OKNO).args(["import", "--body", &mfc, "--data", data, "missing.csv"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read missing.csv"));
}

#[test]
fn migrate_creates_the_database_and_bad_settings_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("nested/data");
    let out = Command::new(OKNO).arg("migrate").arg("--data").arg(&data).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(data.join("okno.sqlite").exists());
    let out = Command::new(OKNO).args(["migrate", "--log-format", "xml"]).arg("--data").arg(&data).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("log_format must be text or json"));
    let out = Command::new(OKNO).args(["migrate", "--database", "mysql://x"]).output().unwrap();
    assert!(!out.status.success());
}

fn send_sigterm(pid: u32) {
    let ok = Command::new("kill").args(["-TERM", &pid.to_string()]).status().unwrap().success();
    assert!(ok);
}

#[test]
fn audit_verify_passes_then_finds_an_edited_entry() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let out = Command::new(OKNO).args(["migrate", "--data", data]).output().unwrap();
    assert!(out.status.success());
    // The demo loader writes through the same use cases, so it leaves a trail.
    let mut child = Command::new(OKNO)
        .args(["demo", "--listen", "127.0.0.1:0", "--data", data])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    while !lines.next().unwrap().unwrap().starts_with("Okno is serving") {}
    send_sigterm(child.id());
    assert!(child.wait().unwrap().success());

    let out = Command::new(OKNO).args(["audit", "verify", "--data", data]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(said.starts_with("The audit trail is intact: "), "{said}");
    let entries: u32 = said.split_whitespace().nth(5).unwrap().parse().unwrap();
    assert!(entries > 50, "the demo's bodies, units, segments and offerings are all recorded ({entries})");

    let url = format!("sqlite://{}?mode=rw", dir.path().join("okno.sqlite").display());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut c = sqlx::AnyConnection::connect(&url).await.unwrap();
        sqlx::query("UPDATE audit_log SET after_json = '{}' WHERE seq = 7").execute(&mut c).await.unwrap();
    });
    let out = Command::new(OKNO).args(["audit", "verify", "--data", data]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken at entry 7"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn check_reports_like_a_compiler_and_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let heavy = dir.path().join("letter.txt");
    std::fs::write(&heavy, "Заявление гражданина.\nВ целях рассмотрения обращения было принято решение в рамках установленного порядка.\n")
        .unwrap();
    let out = Command::new(OKNO).arg("check").arg(&heavy).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let name = heavy.display().to_string();
    assert!(text.contains(&format!("{name}:2:1: warning [bureaucratese.denominal_preposition]")), "{text}");
    assert!(text.lines().last().unwrap().starts_with(&format!("{name}: score ")), "a summary closes each file: {text}");

    // JSON: one object per input, with the contract's fields; a plain rewrite scores higher.
    let plain = dir.path().join("plain.md");
    std::fs::write(&plain, "# Ответ\n\nМы рассмотрели ваше заявление и выдадим справку за 5 дней.\n").unwrap();
    let out = Command::new(OKNO).args(["check", "--format", "json"]).arg(&heavy).arg(&plain).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let reports: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(reports.len(), 2);
    let f = &reports[0]["findings"][0];
    for key in ["rule", "severity", "start", "end", "message", "suggestion"] {
        assert!(f.get(key).is_some(), "finding has {key}: {f}");
    }
    assert!(reports[1]["score"].as_f64().unwrap() > reports[0]["score"].as_f64().unwrap());

    // A file that cannot be read: the others are still checked, and the exit code says so.
    let out = Command::new(OKNO).arg("check").arg(dir.path().join("missing.docx")).arg(&plain).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("plain.md: score"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.docx"));
}
