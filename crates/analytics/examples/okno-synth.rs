//! A synthetic request log for the analytics benchmark (bench/analytics/).
//!
//! ```text
//! okno-synth [--cases 125000] [--seed 42] [--csv FILE] [--xes FILE] [--report FILE] [--time]
//! ```
//!
//! Generates requests of three offerings through Okno's own event kinds (created,
//! entered, reassigned, paused/resumed, suspended, commented, client_notified, returned,
//! completed, closed), with returns to earlier stages, waits for the client and for other
//! bodies, and durations drawn in working minutes (Mon–Fri 09:00–18:00 Moscow time). The
//! log goes into the engine's columnar [`Log`]; its lifecycle view
//! ([`okno_analytics::lifecycle::export`]) is written as
//! - a CSV `case_id,activity,lifecycle,timestamp,resource` (ISO 8601 UTC), and
//! - an XES file with `concept:name`, `lifecycle:transition`, `org:resource`,
//!   `time:timestamp`,
//!
//! so every tool reads the same visits; `--report` writes the engine's report on the
//! original log as JSON, and `--time` times a few queries on the log in memory. Deterministic: the same seed gives the same files, byte for byte.
//!
//! Every exported row of a case is at least a minute after the one before, so ordering by
//! time inside a case is unambiguous for tools that sort.

use okno_analytics::iso::{Rfc3339, Style};
use okno_analytics::lifecycle::{self, Row};
use okno_analytics::{compute, CaseInput, EventInput, Kind, Log, LogBuilder, Query};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::time::Instant;

/// splitmix64: small, fast, and good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// Log-normal with this median and spread (sigma of the underlying normal).
    fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        let (u1, u2) = (self.unit().max(1e-12), self.unit());
        let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        median * (sigma * z).exp()
    }
}

const MINUTE: i64 = 60_000;
const DAY: i64 = 86_400_000;
/// Working hours in UTC: 09:00–18:00 Moscow is 06:00–15:00 UTC.
const OPEN: i64 = 6 * 60;
const CLOSE: i64 = 15 * 60;

fn is_weekday(t: i64) -> bool {
    // 1970-01-01 was a Thursday: day 0 → weekday 3 (Mon = 0).
    let wd = (t.div_euclid(DAY) + 3).rem_euclid(7);
    wd < 5
}

/// The instant `minutes` working minutes after `t` (t moved into working time first).
fn add_work(mut t: i64, mut minutes: i64) -> i64 {
    loop {
        let day = t.div_euclid(DAY) * DAY;
        let m = (t - day) / MINUTE;
        if !is_weekday(t) || m >= CLOSE {
            t = day + DAY + OPEN * MINUTE;
            continue;
        }
        if m < OPEN {
            t = day + OPEN * MINUTE;
            continue;
        }
        let left = CLOSE - m;
        if minutes < left {
            return t + minutes * MINUTE;
        }
        minutes -= left;
        t = day + DAY + OPEN * MINUTE;
    }
}

/// A stage of a synthetic chain.
struct Stage {
    key: &'static str,
    unit: usize,
    /// Median queue wait and working time, in working minutes.
    queue: f64,
    work: f64,
    /// Chance the client is asked for something here, and that the stage is suspended
    /// (waiting for another body).
    ask: f64,
    suspend: f64,
    /// Where a return goes and how likely it is.
    back: Option<(usize, f64)>,
    /// Stage deadline in working minutes, if the chain sets one.
    due: Option<i64>,
}

struct Offering {
    id: &'static str,
    variant: &'static str,
    body: &'static str,
    share: f64,
    /// The whole request's term, in working minutes.
    term: i64,
    stages: Vec<Stage>,
}

fn offerings() -> Vec<Offering> {
    let st = |key, unit, queue, work, ask, suspend, back, due| Stage { key, unit, queue, work, ask, suspend, back, due };
    let wd = 9 * 60; // one working day, in minutes
    vec![
        Offering {
            id: "permit",
            variant: "standard",
            body: "mfc",
            share: 0.35,
            term: 10 * wd,
            stages: vec![
                st("registration", 0, 0.0, 20.0, 0.0, 0.0, None, Some(wd)),
                st("documents_check", 1, 240.0, 90.0, 0.30, 0.0, Some((0, 0.05)), Some(2 * wd)),
                st("interagency_request", 1, 120.0, 45.0, 0.0, 0.25, None, Some(5 * wd)),
                st("decision", 2, 300.0, 120.0, 0.0, 0.0, Some((1, 0.15)), Some(2 * wd)),
                st("issue", 0, 180.0, 15.0, 0.05, 0.0, None, Some(wd)),
            ],
        },
        Offering {
            id: "appeal",
            variant: "citizen",
            body: "city",
            share: 0.40,
            term: 20 * wd,
            stages: vec![
                st("registration", 3, 0.0, 15.0, 0.0, 0.0, None, Some(wd)),
                st("review", 4, 600.0, 240.0, 0.10, 0.0, None, None),
                st("answer", 4, 300.0, 90.0, 0.0, 0.0, Some((1, 0.15)), None),
            ],
        },
        Offering {
            id: "legal_review",
            variant: "internal",
            body: "city",
            share: 0.25,
            term: 5 * wd,
            stages: vec![
                st("intake", 5, 0.0, 10.0, 0.0, 0.0, None, None),
                st("legal_check", 5, 400.0, 300.0, 0.15, 0.0, None, None),
                st("approval", 6, 200.0, 30.0, 0.0, 0.0, Some((1, 0.25)), None),
            ],
        },
    ]
}

const UNITS: [&str; 7] = ["front_office", "documents", "decisions", "reception", "appeals", "legal", "management"];
const CHANNELS: [&str; 4] = ["web_form", "walk_in", "api", "mail"];
const STAFF_PER_UNIT: u64 = 8;

fn generate(cases: usize, seed: u64) -> Log {
    let offerings = offerings();
    let mut rng = Rng(seed);
    let mut b = LogBuilder::with_capacity(cases, cases * 17);
    // Requests arrive over 250 working days from Monday 2026-01-12 06:00 UTC.
    let epoch = okno_analytics::iso::days_from_civil(2026, 1, 12) * DAY + OPEN * MINUTE;
    let span = 250 * (CLOSE - OPEN);
    let mut id = String::new();
    let mut staff = String::new();
    let mut arrivals: Vec<i64> = (0..cases).map(|_| rng.below(span as u64) as i64).collect();
    arrivals.sort_unstable();
    for (n, arrival) in arrivals.into_iter().enumerate() {
        let pick = rng.unit();
        let mut acc = 0.0;
        let o = offerings
            .iter()
            .find(|o| {
                acc += o.share;
                pick < acc
            })
            .unwrap_or(&offerings[0]);
        let created = add_work(epoch, arrival);
        id.clear();
        use std::fmt::Write as _;
        write!(id, "R{n:07}").unwrap();
        let channel = CHANNELS[rng.below(CHANNELS.len() as u64) as usize];
        b.begin_case(&CaseInput {
            id: &id,
            offering: Some(o.id),
            variant: Some(o.variant),
            unit: Some(UNITS[o.stages[0].unit]),
            body: Some(o.body),
            channel: Some(channel),
            outcome: None,
            due_at: Some(add_work(created, o.term)),
        })
        .unwrap();
        let ev = |b: &mut LogBuilder, kind: Kind, stage: &str, at: i64, who: &str, visible: bool, due: Option<i64>| {
            let by_client = who == "client";
            b.event(&EventInput { kind, stage, at, resource: who, client_visible: visible, by_client, stage_due: due }).unwrap();
        };
        let staff_of = |rng: &mut Rng, unit: usize, out: &mut String| {
            out.clear();
            write!(out, "emp-{}-{}", UNITS[unit], rng.below(STAFF_PER_UNIT) + 1).unwrap();
        };
        let mut t = created;
        let mut pos = 0usize;
        let first_who = if channel == "web_form" || channel == "api" { "client" } else { "registrar" };
        ev(&mut b, Kind::Created, o.stages[0].key, t, first_who, true, None);
        let mut visits = 0;
        loop {
            visits += 1;
            let s = &o.stages[pos];
            let due = s.due.map(|d| add_work(t, d));
            ev(&mut b, Kind::Entered, s.key, t, "system", true, due);
            // Queue, then an executor takes the request (the work start). The first stage
            // registers the request on receipt: no queue.
            staff_of(&mut rng, s.unit, &mut staff);
            if pos > 0 || visits > 1 {
                t = add_work(t, 1 + rng.lognormal(s.queue, 0.9) as i64);
            }
            ev(&mut b, Kind::Reassigned, s.key, t, &staff, false, None);
            let mut work = 1 + rng.lognormal(s.work, 0.7) as i64;
            if rng.chance(0.15) {
                t = add_work(t, 1 + rng.below(work as u64) as i64);
                ev(&mut b, Kind::Commented, s.key, t, &staff, false, None);
                work = (work / 2).max(1);
            }
            if rng.chance(s.ask) {
                t = add_work(t, 1 + rng.below(30) as i64);
                ev(&mut b, Kind::Paused, s.key, t, &staff, true, None);
                t = add_work(t, 1 + rng.lognormal(4.0 * 540.0, 0.8) as i64);
                ev(&mut b, Kind::Resumed, s.key, t, "client", true, None);
            }
            if rng.chance(s.suspend) {
                t = add_work(t, 1 + rng.below(30) as i64);
                ev(&mut b, Kind::Suspended, s.key, t, &staff, true, None);
                t = add_work(t, 1 + rng.lognormal(3.0 * 540.0, 0.5) as i64);
                ev(&mut b, Kind::Resumed, s.key, t, &staff, true, None);
            }
            t = add_work(t, work);
            if rng.chance(0.1) {
                ev(&mut b, Kind::ClientNotified, s.key, t, &staff, true, None);
                t = add_work(t, 1);
            }
            let back = s.back.filter(|&(_, p)| visits < 12 && rng.chance(p));
            if let Some((to, _)) = back {
                ev(&mut b, Kind::Returned, s.key, t, &staff, false, None);
                pos = to;
            } else if pos + 1 == o.stages.len() {
                ev(&mut b, Kind::Completed, s.key, t, &staff, false, None);
                ev(&mut b, Kind::Closed, s.key, t, &staff, true, None);
                break;
            } else {
                ev(&mut b, Kind::Completed, s.key, t, &staff, false, None);
                pos += 1;
            }
        }
    }
    b.finish()
}

fn xml_escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

fn write_csv(log: &Log, path: &str) -> std::io::Result<u64> {
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path)?);
    writeln!(w, "case_id,activity,lifecycle,timestamp,resource")?;
    let (mut rows, mut err) = (0u64, None);
    lifecycle::export(log, |r: &Row<'_>| {
        if err.is_none() {
            let res = writeln!(w, "{},{},{},{},{}", r.case, r.activity, r.transition.code(), Rfc3339(r.at, Style::SecondsZ), r.resource);
            if let Err(e) = res {
                err = Some(e);
            }
            rows += 1;
        }
    });
    if let Some(e) = err {
        return Err(e);
    }
    w.flush()?;
    Ok(rows)
}

fn write_xes(log: &Log, path: &str) -> std::io::Result<()> {
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path)?);
    w.write_all(
        br#"<?xml version="1.0" encoding="UTF-8" ?>
<log xes.version="1.0" xes.features="nested-attributes" xmlns="http://www.xes-standard.org/">
  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
  <extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
  <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
  <global scope="trace"><string key="concept:name" value="__INVALID__"/></global>
  <global scope="event">
    <string key="concept:name" value="__INVALID__"/>
    <string key="lifecycle:transition" value="complete"/>
    <date key="time:timestamp" value="1970-01-01T00:00:00.000+00:00"/>
  </global>
  <classifier name="Activity" keys="concept:name"/>
"#,
    )?;
    let mut buf = String::with_capacity(1 << 16);
    let mut current = String::new();
    let mut err = None;
    lifecycle::export(log, |r: &Row<'_>| {
        use std::fmt::Write as _;
        if r.case != current {
            if !current.is_empty() {
                buf.push_str("  </trace>\n");
            }
            current.clear();
            current.push_str(r.case);
            buf.push_str("  <trace>\n    <string key=\"concept:name\" value=\"");
            xml_escape(r.case, &mut buf);
            buf.push_str("\"/>\n");
        }
        buf.push_str("    <event><string key=\"concept:name\" value=\"");
        xml_escape(r.activity, &mut buf);
        write!(buf, "\"/><string key=\"lifecycle:transition\" value=\"{}\"/>", r.transition.code()).unwrap();
        buf.push_str("<string key=\"org:resource\" value=\"");
        xml_escape(r.resource, &mut buf);
        writeln!(buf, "\"/><date key=\"time:timestamp\" value=\"{}\"/></event>", Rfc3339(r.at, Style::MillisOffset)).unwrap();
        if buf.len() > 1 << 15 && err.is_none() {
            if let Err(e) = w.write_all(buf.as_bytes()) {
                err = Some(e);
            }
            buf.clear();
        }
    });
    if let Some(e) = err {
        return Err(e);
    }
    if !current.is_empty() {
        buf.push_str("  </trace>\n");
    }
    buf.push_str("</log>\n");
    w.write_all(buf.as_bytes())?;
    w.flush()
}

fn main() {
    let mut cases = 125_000usize;
    let mut seed = 42u64;
    let (mut csv, mut xes, mut report) = (None, None, None);
    let mut time_queries = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage(&format!("{a} needs a value")));
        match a.as_str() {
            "--cases" => cases = value().parse().unwrap_or_else(|_| usage("--cases takes a number")),
            "--seed" => seed = value().parse().unwrap_or_else(|_| usage("--seed takes a number")),
            "--csv" => csv = Some(value()),
            "--xes" => xes = Some(value()),
            "--report" => report = Some(value()),
            "--time" => time_queries = true,
            other => usage(&format!("unknown argument {other}")),
        }
    }
    let t0 = Instant::now();
    let log = generate(cases, seed);
    eprintln!("generated {} cases, {} events in {:.2?}", log.cases(), log.events(), t0.elapsed());
    if let Some(path) = &csv {
        let rows = write_csv(&log, path).unwrap_or_else(|e| fail(path, e));
        eprintln!("wrote {path}: {rows} rows");
    }
    if let Some(path) = &xes {
        write_xes(&log, path).unwrap_or_else(|e| fail(path, e));
        eprintln!("wrote {path}");
    }
    if time_queries {
        // What a stage-metrics request costs on a log kept in memory: the median of 5.
        let time = |q: &Query<'_>| {
            let mut t: Vec<f64> = (0..5)
                .map(|_| {
                    let t0 = Instant::now();
                    std::hint::black_box(compute(&log, q));
                    t0.elapsed().as_secs_f64() * 1000.0
                })
                .collect();
            t.sort_by(f64::total_cmp);
            t[2]
        };
        let all = time(&Query::default());
        let one = time(&Query { offering: Some("legal_review"), ..Query::default() });
        let month = time(&Query {
            offering: Some("permit"),
            from: Some(okno_analytics::iso::days_from_civil(2026, 3, 1) * DAY),
            to: Some(okno_analytics::iso::days_from_civil(2026, 4, 1) * DAY),
            ..Query::default()
        });
        let grouped = time(&Query { group_by: Some(okno_analytics::Attr::Offering), ..Query::default() });
        eprintln!(
            "compute, median of 5: all cases {all:.1} ms; one offering (legal_review) {one:.1} ms; \
             one offering, one month {month:.1} ms; grouped by offering {grouped:.1} ms; log {:.0} MB",
            log.heap_bytes() as f64 / 1e6
        );
    }
    if let Some(path) = &report {
        let r = compute(&log, &Query::default());
        let json = serde_json::to_string(&r).expect("a report serialises");
        std::fs::write(path, json).unwrap_or_else(|e| fail(path, e));
        eprintln!("wrote {path}");
    }
}

fn usage(msg: &str) -> ! {
    eprintln!("okno-synth: {msg}\nusage: okno-synth [--cases N] [--seed N] [--csv FILE] [--xes FILE] [--report FILE] [--time]");
    std::process::exit(2)
}

fn fail(path: &str, e: std::io::Error) -> ! {
    eprintln!("okno-synth: cannot write {path}: {e}");
    std::process::exit(1)
}
