//! `okno export events`: XES and OCEL 2.0 from a small demo, parsed back; an unwritable
//! path fails cleanly and leaves nothing behind.

use quick_xml::events::Event;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const OKNO: &str = env!("CARGO_BIN_EXE_okno");

/// Loads the demo (its requests with their history) into `data`, then stops it.
fn demo(data: &str) {
    let mut child = Command::new(OKNO)
        .args(["demo", "--listen", "127.0.0.1:0", "--data", data])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    loop {
        let line = lines.next().expect("okno printed its address").unwrap();
        if line.starts_with("Okno is serving on") {
            break;
        }
    }
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    assert!(child.wait().unwrap().success());
}

/// Requests with at least one finished stage visit: every request enters its first stage
/// when created, so any `completed`, `returned` or `closed` event ends a visit.
fn requests_with_finished_visits(data: &std::path::Path) -> (i64, i64) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let url = format!("sqlite://{}", data.join("okno.sqlite").display());
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        let finished: i64 =
            sqlx::query_scalar("SELECT COUNT(DISTINCT request_id) FROM request_events WHERE kind IN ('completed', 'returned', 'closed')")
                .fetch_one(&pool)
                .await
                .unwrap();
        let all: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM requests").fetch_one(&pool).await.unwrap();
        (finished, all)
    })
}

#[test]
fn events_export_as_xes_and_ocel_and_refuse_an_unwritable_path() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data_s = data.to_str().unwrap();
    demo(data_s);
    let (expected_traces, requests) = requests_with_finished_visits(&data);
    assert!(expected_traces > 10, "the demo has requests with history: {expected_traces}");

    // XES: well-formed, one trace per request with a finished stage, the standard keys.
    let xes = dir.path().join("log.xes");
    let out = Command::new(OKNO).args(["export", "events", "--format", "xes", "--data", data_s]).arg(&xes).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&xes).unwrap();
    let mut reader = quick_xml::Reader::from_str(&text);
    let (mut traces, mut events, mut depth_trace) = (0i64, 0i64, false);
    let mut keys = std::collections::BTreeSet::new();
    let mut transitions = std::collections::BTreeSet::new();
    loop {
        match reader.read_event().expect("the XES parses") {
            Event::Start(e) if e.name().as_ref() == "trace" => {
                traces += 1;
                depth_trace = true;
            }
            Event::Start(e) if e.name().as_ref() == "event" => {
                assert!(depth_trace, "events sit inside traces");
                events += 1;
            }
            Event::Empty(e) if depth_trace => {
                let attr = |k: &str| e.attributes().flatten().find(|a| a.key.as_ref() == k).map(|a| a.value.into_owned());
                let key = attr("key").unwrap_or_default();
                if key == "lifecycle:transition" {
                    transitions.insert(attr("value").unwrap());
                }
                keys.insert(key);
            }
            Event::End(e) if e.name().as_ref() == "trace" => depth_trace = false,
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(traces, expected_traces, "one trace per request with a finished stage ({requests} requests)");
    assert!(events >= 2 * traces, "a start and a complete per finished visit at least");
    for k in ["concept:name", "time:timestamp", "org:resource", "org:group", "lifecycle:transition"] {
        assert!(keys.contains(k), "{k} in {keys:?}");
    }
    assert!(transitions.contains("start") && transitions.contains("complete"), "{transitions:?}");
    // No personal data: the demo's clients are named, their names must not leave.
    assert!(!text.to_lowercase().contains("email"));

    // OCEL 2.0: the three object types, events referring to requests, stages and (the
    // first of each request) client segments.
    let ocel = dir.path().join("log.json");
    let out = Command::new(OKNO).args(["export", "events", "--format", "ocel", "--data", data_s]).arg(&ocel).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&ocel).unwrap()).expect("the OCEL is JSON");
    let types: Vec<&str> = v["objectTypes"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(types, ["request", "stage", "client segment"]);
    let objects = v["objects"].as_array().unwrap();
    let count = |t: &str| objects.iter().filter(|o| o["type"] == t).count() as i64;
    assert_eq!(count("request"), requests);
    assert!(count("stage") > 0 && count("client segment") > 0);
    let evs = v["events"].as_array().unwrap();
    assert_eq!(evs.len() as i64, events, "the same rows as the XES");
    let ids: std::collections::HashSet<&str> = objects.iter().map(|o| o["id"].as_str().unwrap()).collect();
    let mut to_segments = 0;
    for e in evs.iter().take(200) {
        let rel = e["relationships"].as_array().unwrap();
        let qualifiers: Vec<&str> = rel.iter().map(|r| r["qualifier"].as_str().unwrap()).collect();
        assert_eq!(&qualifiers[..2], ["request", "stage"]);
        assert!(qualifiers[2..].iter().all(|q| *q == "client segment"), "{qualifiers:?}");
        to_segments += qualifiers.len() - 2;
        for r in rel {
            assert!(ids.contains(r["objectId"].as_str().unwrap()), "{r} refers to an object");
        }
    }
    // A request's first event names its client segments, so PM4Py keeps those objects.
    assert!(to_segments > 0, "some event refers to a client segment");

    // An unwritable path: a clear error, a non-zero exit, nothing written.
    let missing = dir.path().join("no-such-dir").join("log.xes");
    let out = Command::new(OKNO).args(["export", "events", "--data", data_s]).arg(&missing).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot write") && err.contains("log.xes"), "{err}");
    assert!(!dir.path().join("no-such-dir").exists());
    // An unknown format is refused before anything is read.
    let out = Command::new(OKNO).args(["export", "events", "--data", data_s]).arg(dir.path().join("log.txt")).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("xes or ocel"));
    let leftovers: Vec<_> =
        std::fs::read_dir(dir.path()).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().ends_with(".part")).collect();
    assert!(leftovers.is_empty(), "no temporary files left: {leftovers:?}");
}
