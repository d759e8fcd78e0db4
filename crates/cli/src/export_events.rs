//! `okno export events --format xes|ocel FILE`: every request's history as an event log
//! that process-mining tools read.
//!
//! Both formats are written from the analytics engine's lifecycle view
//! (`okno_analytics::lifecycle::export`): per finished stage visit a `start` row when work
//! began, `suspend`/`resume` around each wait for the client, and `complete` when it ended.
//! So a tool separates waiting (the gap before `start`) from working, with the same
//! definitions the stage-metrics API uses.
//!
//! - **XES** (IEEE 1849): a trace per request (`concept:name` = the request id), events
//!   with `concept:name` (the stage's name in the latest chain, else its key),
//!   `time:timestamp`, `org:resource` (who acted: an account id, `client`, `system`),
//!   `org:group` (the responsible unit's id) and `lifecycle:transition`.
//! - **OCEL 2.0** (JSON): objects of type `request`, `stage` and `client segment` (the
//!   offering's segments); each event refers to its request and its stage, and a
//!   request's first event to its client segments too.
//!
//! No personal data leaves: no client names, contacts, subjects or notes — ids and
//! codes only. The file is written to a temporary file beside the target and renamed
//! into place, so a failed export leaves nothing half-written.

use anyhow::{bail, Context, Result};
use okno_app::analytics::engine::iso::{Rfc3339, Style};
use okno_app::analytics::engine::lifecycle::{self, Row};
use okno_app::analytics::engine::{Log, LogBuilder};
use okno_domain::Id;
use okno_store::analytics::LogScope;
use okno_store::Store;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Xes,
    Ocel,
}

impl Format {
    /// The format named, or the one the file name says (`.xes`, `.json`/`.jsonocel`).
    pub fn pick(named: Option<&str>, file: &Path) -> Result<Format> {
        let name = match named {
            Some(n) => n.to_ascii_lowercase(),
            None => file.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase(),
        };
        match name.as_str() {
            "xes" => Ok(Format::Xes),
            "ocel" | "json" | "jsonocel" => Ok(Format::Ocel),
            _ => bail!("the format is xes or ocel (give --format, or name the file .xes or .json)"),
        }
    }
}

/// What the export knows about an offering: stage names and client segments.
#[derive(Default)]
struct OfferingInfo {
    names: HashMap<String, String>,
    segments: Vec<(Id, String)>,
}

struct Loaded {
    log: Log,
    offerings: HashMap<String, OfferingInfo>,
}

impl Loaded {
    fn stage_name<'a>(&'a self, offering: Option<&str>, key: &'a str) -> &'a str {
        offering.and_then(|o| self.offerings.get(o)).and_then(|i| i.names.get(key)).map_or(key, String::as_str)
    }
}

/// Summary of a finished export.
pub struct Written {
    pub cases: usize,
    pub traces: usize,
    pub rows: usize,
}

/// Loads every request's events and writes them to `file`.
pub async fn run(store: &Store, format: Format, file: &Path) -> Result<Written> {
    // Fail before the long read when the place cannot be written at all.
    let tmp = temp_path(file)?;
    let probe = std::fs::File::create(&tmp).with_context(|| format!("cannot write {}", file.display()))?;
    drop(probe);
    let result = async {
        let ctx = load(store).await?;
        let out = std::fs::File::create(&tmp).with_context(|| format!("cannot write {}", file.display()))?;
        let mut w = BufWriter::with_capacity(1 << 16, out);
        let written = match format {
            Format::Xes => write_xes(&ctx, &mut w),
            Format::Ocel => write_ocel(&ctx, &mut w),
        }
        .with_context(|| format!("cannot write {}", file.display()))?;
        let out = w.into_inner().map_err(|e| e.into_error()).with_context(|| format!("cannot write {}", file.display()))?;
        out.sync_all().with_context(|| format!("cannot write {}", file.display()))?;
        std::fs::rename(&tmp, file).with_context(|| format!("cannot write {}", file.display()))?;
        Ok::<Written, anyhow::Error>(written)
    }
    .await;
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn temp_path(file: &Path) -> Result<PathBuf> {
    let name = file.file_name().and_then(|n| n.to_str()).with_context(|| format!("{} is not a file name", file.display()))?;
    Ok(file.with_file_name(format!(".{name}.{}.part", std::process::id())))
}

async fn load(store: &Store) -> Result<Loaded> {
    let mut b = LogBuilder::new();
    store.load_event_log(&LogScope::All, &mut b).await.context("cannot read the requests' events")?;
    let log = b.finish();
    let mut offerings: HashMap<String, OfferingInfo> = HashMap::new();
    let ids: BTreeSet<&str> = (0..log.cases() as u32).filter_map(|c| log.case(c).offering).collect();
    for o in ids {
        let mut info = OfferingInfo::default();
        if let Ok(id) = o.parse::<Id>() {
            if let Some((_, chain)) = store.latest_chain(id).await.context("cannot read a chain")? {
                for s in chain.variants.iter().flat_map(|v| &v.stages) {
                    info.names.entry(s.key.clone()).or_insert_with(|| s.name.clone());
                }
            }
            if let Ok(offering) = store.get_offering(id).await {
                for link in &offering.segments {
                    info.segments.push((link.id, link.name.clone()));
                }
            }
        }
        offerings.insert(o.to_string(), info);
    }
    Ok(Loaded { log, offerings })
}

/// Walks the lifecycle rows with the case each belongs to (rows come case by case, in
/// log order, so a cursor finds it). Stops at the first write error.
fn each_row(ctx: &Loaded, mut f: impl FnMut(u32, &Row<'_>) -> std::io::Result<()>) -> std::io::Result<()> {
    let log = &ctx.log;
    let mut case = 0u32;
    let mut failed: Option<std::io::Error> = None;
    lifecycle::export(log, |row| {
        if failed.is_some() {
            return;
        }
        while (case as usize) < log.cases() && log.case_id(case) != row.case {
            case += 1;
        }
        if let Err(e) = f(case, row) {
            failed = Some(e);
        }
    });
    failed.map_or(Ok(()), Err)
}

fn xml_escape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains(['&', '<', '>', '"', '\'']) && !s.chars().any(char::is_control) {
        return s.into();
    }
    let mut o = String::with_capacity(s.len() + 8);
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c if c.is_control() => o.push(' '),
            c => o.push(c),
        }
    }
    o.into()
}

fn write_xes(ctx: &Loaded, w: &mut impl Write) -> std::io::Result<Written> {
    w.write_all(
        br#"<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1849-2016" xes.features="nested-attributes" xmlns="http://www.xes-standard.org/">
  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
  <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
  <extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
  <global scope="trace">
    <string key="concept:name" value="__INVALID__"/>
  </global>
  <global scope="event">
    <string key="concept:name" value="__INVALID__"/>
    <date key="time:timestamp" value="1970-01-01T00:00:00.000+00:00"/>
    <string key="lifecycle:transition" value="complete"/>
  </global>
  <classifier name="Activity" keys="concept:name"/>
  <classifier name="Activity and transition" keys="concept:name lifecycle:transition"/>
  <string key="concept:name" value="Okno requests"/>
"#,
    )?;
    let log = &ctx.log;
    let mut open: Option<u32> = None;
    let (mut traces, mut rows) = (0usize, 0usize);
    each_row(ctx, |case, row| {
        let c = log.case(case);
        if open != Some(case) {
            if open.is_some() {
                w.write_all(b"  </trace>\n")?;
            }
            open = Some(case);
            traces += 1;
            writeln!(w, "  <trace>\n    <string key=\"concept:name\" value=\"{}\"/>", xml_escape(c.id))?;
            for (key, v) in [("okno:offering", c.offering), ("okno:variant", c.variant), ("okno:channel", c.channel), ("okno:body", c.body)]
            {
                if let Some(v) = v {
                    writeln!(w, "    <string key=\"{key}\" value=\"{}\"/>", xml_escape(v))?;
                }
            }
        }
        rows += 1;
        writeln!(w, "    <event>")?;
        writeln!(w, "      <string key=\"concept:name\" value=\"{}\"/>", xml_escape(ctx.stage_name(c.offering, row.activity)))?;
        writeln!(w, "      <string key=\"okno:stage\" value=\"{}\"/>", xml_escape(row.activity))?;
        writeln!(w, "      <date key=\"time:timestamp\" value=\"{}\"/>", Rfc3339(row.at, Style::MillisOffset))?;
        writeln!(w, "      <string key=\"org:resource\" value=\"{}\"/>", xml_escape(row.resource))?;
        if let Some(unit) = c.unit {
            writeln!(w, "      <string key=\"org:group\" value=\"{}\"/>", xml_escape(unit))?;
        }
        writeln!(w, "      <string key=\"lifecycle:transition\" value=\"{}\"/>", row.transition.code())?;
        writeln!(w, "    </event>")
    })?;
    if open.is_some() {
        w.write_all(b"  </trace>\n")?;
    }
    w.write_all(b"</log>\n")?;
    Ok(Written { cases: log.cases(), traces, rows })
}

fn js(w: &mut impl Write, s: &str) -> std::io::Result<()> {
    serde_json::to_writer(&mut *w, s).map_err(std::io::Error::other)
}

fn stage_object(offering: Option<&str>, key: &str) -> String {
    format!("stage:{}:{key}", offering.unwrap_or("-"))
}

fn write_ocel(ctx: &Loaded, w: &mut impl Write) -> std::io::Result<Written> {
    let log = &ctx.log;
    // Event types: the stage names that occur (a first pass over the rows, in memory).
    let mut types: BTreeSet<String> = BTreeSet::new();
    let mut stages: BTreeMap<String, (Option<String>, String)> = BTreeMap::new();
    each_row(ctx, |case, row| {
        let o = log.case(case).offering;
        types.insert(ctx.stage_name(o, row.activity).to_string());
        stages.entry(stage_object(o, row.activity)).or_insert_with(|| (o.map(str::to_string), row.activity.to_string()));
        Ok(())
    })?;
    w.write_all(
        br#"{"objectTypes":[{"name":"request","attributes":[{"name":"offering","type":"string"},{"name":"variant","type":"string"},{"name":"channel","type":"string"},{"name":"unit","type":"string"}]},{"name":"stage","attributes":[{"name":"name","type":"string"},{"name":"key","type":"string"},{"name":"offering","type":"string"}]},{"name":"client segment","attributes":[{"name":"name","type":"string"}]}],"eventTypes":["#,
    )?;
    for (i, t) in types.iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        w.write_all(b"{\"name\":")?;
        js(w, t)?;
        w.write_all(br#","attributes":[{"name":"lifecycle","type":"string"},{"name":"resource","type":"string"},{"name":"group","type":"string"}]}"#)?;
    }
    w.write_all(b"],\"objects\":[")?;
    let mut first = true;
    let mut sep = |w: &mut dyn Write| -> std::io::Result<()> {
        if !std::mem::take(&mut first) {
            w.write_all(b",\n")?;
        }
        Ok(())
    };
    const EPOCH: &str = "1970-01-01T00:00:00Z";
    for c in 0..log.cases() as u32 {
        let v = log.case(c);
        sep(w)?;
        w.write_all(b"{\"id\":")?;
        js(w, v.id)?;
        w.write_all(b",\"type\":\"request\",\"attributes\":[")?;
        let mut afirst = true;
        for (name, val) in [("offering", v.offering), ("variant", v.variant), ("channel", v.channel), ("unit", v.unit)] {
            if let Some(val) = val {
                if !std::mem::take(&mut afirst) {
                    w.write_all(b",")?;
                }
                write!(w, "{{\"name\":\"{name}\",\"time\":\"{EPOCH}\",\"value\":")?;
                js(w, val)?;
                w.write_all(b"}")?;
            }
        }
        w.write_all(b"],\"relationships\":[")?;
        let segs = v.offering.and_then(|o| ctx.offerings.get(o)).map(|i| i.segments.as_slice()).unwrap_or(&[]);
        for (i, (id, _)) in segs.iter().enumerate() {
            if i > 0 {
                w.write_all(b",")?;
            }
            write!(w, "{{\"objectId\":\"segment:{id}\",\"qualifier\":\"client segment\"}}")?;
        }
        w.write_all(b"]}")?;
    }
    for (id, (offering, key)) in &stages {
        sep(w)?;
        w.write_all(b"{\"id\":")?;
        js(w, id)?;
        w.write_all(b",\"type\":\"stage\",\"attributes\":[")?;
        write!(w, "{{\"name\":\"name\",\"time\":\"{EPOCH}\",\"value\":")?;
        js(w, ctx.stage_name(offering.as_deref(), key))?;
        write!(w, "}},{{\"name\":\"key\",\"time\":\"{EPOCH}\",\"value\":")?;
        js(w, key)?;
        write!(w, "}},{{\"name\":\"offering\",\"time\":\"{EPOCH}\",\"value\":")?;
        js(w, offering.as_deref().unwrap_or(""))?;
        w.write_all(b"}],\"relationships\":[]}")?;
    }
    let mut segments: BTreeMap<Id, &str> = BTreeMap::new();
    for info in ctx.offerings.values() {
        for (id, name) in &info.segments {
            segments.insert(*id, name);
        }
    }
    for (id, name) in segments {
        sep(w)?;
        write!(
            w,
            "{{\"id\":\"segment:{id}\",\"type\":\"client segment\",\"attributes\":[{{\"name\":\"name\",\"time\":\"{EPOCH}\",\"value\":"
        )?;
        js(w, name)?;
        w.write_all(b"}],\"relationships\":[]}")?;
    }
    w.write_all(b"],\"events\":[")?;
    let (mut rows, mut cases_seen) = (0usize, 0usize);
    let mut last_case = u32::MAX;
    each_row(ctx, |case, row| {
        let c = log.case(case);
        let first = case != last_case;
        if first {
            last_case = case;
            cases_seen += 1;
        }
        if rows > 0 {
            w.write_all(b",\n")?;
        }
        rows += 1;
        write!(w, "{{\"id\":\"e{rows}\",\"type\":")?;
        js(w, ctx.stage_name(c.offering, row.activity))?;
        write!(
            w,
            ",\"time\":\"{}\",\"attributes\":[{{\"name\":\"lifecycle\",\"value\":\"{}\"}},",
            Rfc3339(row.at, Style::MillisOffset),
            row.transition.code()
        )?;
        w.write_all(b"{\"name\":\"resource\",\"value\":")?;
        js(w, row.resource)?;
        w.write_all(b"},{\"name\":\"group\",\"value\":")?;
        js(w, c.unit.unwrap_or(""))?;
        w.write_all(b"}],\"relationships\":[{\"objectId\":")?;
        js(w, c.id)?;
        w.write_all(b",\"qualifier\":\"request\"},{\"objectId\":")?;
        js(w, &stage_object(c.offering, row.activity))?;
        w.write_all(b",\"qualifier\":\"stage\"}")?;
        // A request's first event also names the client segments it serves, so tools
        // that keep only objects some event refers to (PM4Py) keep the segments too.
        if first {
            let segs = c.offering.and_then(|o| ctx.offerings.get(o)).map(|i| i.segments.as_slice()).unwrap_or(&[]);
            for (id, _) in segs {
                write!(w, ",{{\"objectId\":\"segment:{id}\",\"qualifier\":\"client segment\"}}")?;
            }
        }
        w.write_all(b"]}")
    })?;
    w.write_all(b"]}\n")?;
    Ok(Written { cases: log.cases(), traces: cases_seen, rows })
}
