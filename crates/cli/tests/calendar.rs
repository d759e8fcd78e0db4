//! `okno calendar` as an operator uses it: import a body's regional holidays from a text
//! file, show them with the working-day counts, and a bad file that changes nothing.

use std::path::Path;
use std::process::{Command, Output};

const OKNO: &str = env!("CARGO_BIN_EXE_okno");

fn okno(data: &Path, args: &[&str]) -> Output {
    Command::new(OKNO).args(args).arg("--data").arg(data).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A body in the data directory's database, made as `okno serve` would have.
async fn body(data: &Path) -> String {
    let url = format!("sqlite://{}?mode=rwc", data.join("okno.sqlite").display());
    let store = okno_store::Store::connect(&url).await.unwrap();
    let app = okno_app::App::new(store.clone());
    let input = okno_domain::org::BodyInput {
        name: "Министерство цифрового развития Республики Татарстан".into(), ..Default::default()
    };
    let id = app.create_body(&okno_app::Actor::system(), &input).await.unwrap();
    store.close().await;
    id.to_string()
}

#[tokio::test]
async fn a_regional_calendar_is_imported_and_shown() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let id = body(data).await;

    let federal = okno(data, &["calendar", "show", "--body", &id, "--year", "2026"]);
    assert!(federal.status.success(), "{}", text(&federal.stderr));
    let out = text(&federal.stdout);
    assert!(out.contains("Time zone: UTC+3") && out.contains("Own lines: none"), "{out}");
    assert!(out.contains("2026 (published): 247 working days"), "{out}");

    let bad = data.join("bad.txt");
    std::fs::write(&bad, "2026-05-27 holiday # Курбан-байрам\n2026-05-27 holiday\n2028-08-30 holiday\n").unwrap();
    let out = okno(data, &["calendar", "import", "--body", &id, bad.to_str().unwrap()]);
    assert!(!out.status.success(), "a bad file fails the command");
    let err = text(&out.stderr);
    assert!(err.contains("overlay: line 2: 2026-05-27 is already given on line 1"), "{err}");
    assert!(err.contains("overlay: line 3: year 2028 is not covered: the calendar covers 2025–2027"), "{err}");
    assert!(err.contains("nothing was saved: 2 problem(s)"), "{err}");

    let good = data.join("tatarstan.txt");
    std::fs::write(&good, "# Татарстан, 2026\n2026-03-20 holiday # Ураза-байрам\n2026-05-27 holiday # Курбан-байрам\n").unwrap();
    let out = okno(data, &["calendar", "import", "--body", &id, "--hours", "08:00-17:00", good.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(said.contains("(version 1)") && said.contains("2026 (published): 245 working days"), "{said}");
    assert!(said.contains("2025 (published): 247 working days") && said.contains("2027 (projected)"), "every covered year: {said}");

    let out = okno(data, &["calendar", "show", "--body", &id, "--year", "2026"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(shown.contains("Working hours: 08:00–17:00"), "{shown}");
    assert!(shown.contains("  2026-05-27 holiday # Курбан-байрам"), "the lines as imported: {shown}");
    assert!(shown.contains("245 working days") && shown.contains("2026-03-20 holiday (Ураза-байрам)"), "{shown}");

    // The offset comes with the lines, checked like any field.
    let out = okno(data, &["calendar", "import", "--body", &id, "--utc-offset-minutes", "200", good.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("utc_offset_minutes"), "{}", text(&out.stderr));
    let out = okno(data, &["calendar", "import", "--body", &id, "--utc-offset-minutes", "300", good.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = okno(data, &["calendar", "show", "--body", &id]);
    let shown = text(&out.stdout);
    assert!(shown.contains("Time zone: UTC+5") && shown.contains("version 2"), "{shown}");
}
