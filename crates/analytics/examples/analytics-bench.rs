//! The engine's side of bench/analytics: load a lifecycle CSV into the columnar log and
//! compute the performance DFG, case durations, activity counts and rework.
//!
//! ```text
//! analytics-bench EVENTS.csv [--threads N] [--repeat N]
//! ```
//!
//! Loading uses `--threads` threads (default: the cores there are): the file is cut at
//! case boundaries, each piece goes into its own log, and the logs are appended. The
//! computation is one pass on one thread.
//!
//! Prints one JSON object: timings (`load_s`: read and parse the file into the log;
//! `compute_s`: the first `compute` on it; `compute_median_s`: the median of N further
//! runs; `total_s`: load + first compute) and the figures, in seconds, keyed as the
//! PM4Py and DuckDB scripts key theirs so `compare.py` can check them.
//!
//! The CSV reader is written for the five-column layout `case_id,activity,lifecycle,
//! timestamp,resource` (header first; fields may be quoted but not contain quotes).

use okno_analytics::lifecycle::{Importer, Row, Transition};
use okno_analytics::{compute, iso, Log, Query};
use std::time::Instant;

fn fail(msg: String) -> ! {
    eprintln!("analytics-bench: {msg}");
    std::process::exit(1)
}

/// The index of the first `needle` in `hay` at or after `from`, eight bytes at a time.
#[inline]
fn find(hay: &[u8], from: usize, needle: u8) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let pattern = LO * needle as u64;
    let mut i = from;
    while i + 8 <= hay.len() {
        let w = u64::from_le_bytes(hay[i..i + 8].try_into().expect("eight bytes")) ^ pattern;
        let zero = w.wrapping_sub(LO) & !w & HI;
        if zero != 0 {
            return Some(i + (zero.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    hay[i..].iter().position(|&b| b == needle).map(|p| i + p)
}

/// Splits one line (without its newline) into its five fields.
fn fields(line: &str, line_no: usize) -> [&str; 5] {
    let b = line.as_bytes();
    let mut out = [""; 5];
    let mut start = 0;
    for (n, slot) in out.iter_mut().enumerate() {
        if b.get(start) == Some(&b'"') {
            let close = find(b, start + 1, b'"').unwrap_or_else(|| fail(format!("line {line_no}: unterminated quote")));
            *slot = &line[start + 1..close];
            start = close + 1;
            match b.get(start) {
                Some(b',') if n < 4 => start += 1,
                None if n == 4 => {}
                _ => fail(format!("line {line_no}: a quoted field must end the field (quotes inside are not supported)")),
            }
            continue;
        }
        if n == 4 {
            if find(b, start, b',').is_some() {
                fail(format!("line {line_no}: more than five fields"));
            }
            *slot = &line[start..];
        } else {
            let comma = find(b, start, b',').unwrap_or_else(|| fail(format!("line {line_no}: fewer than five fields")));
            *slot = &line[start..comma];
            start = comma + 1;
        }
    }
    out
}

/// Milliseconds since midnight of `…THH:MM:SSZ`, checked; `None` sends the caller to the
/// full parser.
fn time_of_day(b: &[u8]) -> Option<i64> {
    if b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let d = |k: usize| {
        let (x, y) = (b[k].wrapping_sub(b'0'), b[k + 1].wrapping_sub(b'0'));
        (x < 10 && y < 10).then(|| x as i64 * 10 + y as i64)
    };
    let (h, m, s) = (d(11)?, d(14)?, d(17)?);
    (h < 24 && m < 60 && s < 60).then(|| ((h * 60 + m) * 60 + s) * 1000)
}

/// Byte offsets that cut the file into `parts` pieces at the start of a case (so each
/// case is whole in one piece): `[0, …, size]`.
fn split_points(path: &str, parts: usize) -> Vec<u64> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = std::fs::File::open(path).unwrap_or_else(|e| fail(format!("cannot read {path}: {e}")));
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut points = vec![0u64];
    let mut buf = vec![0u8; 1 << 20];
    for k in 1..parts as u64 {
        let guess = (size * k / parts as u64).max(*points.last().expect("starts with 0"));
        file.seek(SeekFrom::Start(guess)).unwrap_or_else(|e| fail(format!("cannot seek in {path}: {e}")));
        let n = file.read(&mut buf).unwrap_or_else(|e| fail(format!("cannot read {path}: {e}")));
        let window = &buf[..n];
        // Skip the partial line, then walk lines until the case id changes.
        let mut point = size;
        if let Some(first) = find(window, 0, b'\n') {
            let mut at = first + 1;
            let mut prev_case: Option<&[u8]> = None;
            while let Some(nl) = find(window, at, b'\n') {
                let line = &window[at..nl];
                let case = &line[..find(line, 0, b',').unwrap_or(line.len())];
                if prev_case.is_some_and(|p| p != case) {
                    point = guess + at as u64;
                    break;
                }
                prev_case = Some(case);
                at = nl + 1;
            }
        }
        points.push(point);
    }
    points.push(size);
    points
}

/// Loads the rows in bytes `from..to` of the file (the header is in the part at 0),
/// reading in chunks through one reused buffer, row by row into an importer.
fn load(path: &str, from: u64, to: u64) -> (Log, usize) {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = std::fs::File::open(path).unwrap_or_else(|e| fail(format!("cannot read {path}: {e}")));
    file.seek(SeekFrom::Start(from)).unwrap_or_else(|e| fail(format!("cannot seek in {path}: {e}")));
    let mut file = file.take(to - from);
    let size = (to - from) as usize;
    // About 60 bytes a row; a guess that saves reallocations, nothing depends on it.
    let guess = size / 60;
    let mut imp = Importer::with_capacity(guess / 8, guess);
    let mut buf = vec![0u8; 4 << 20];
    let (mut filled, mut eof) = (0usize, false);
    // Line numbers count from the start of this part.
    let mut line_no = if from == 0 { 0usize } else { 1 };
    let mut rows = 0usize;
    // Rows of one case usually share the date: parse "YYYY-MM-DD" only when it changes.
    let (mut last_date, mut last_day_ms) = ([0u8; 10], i64::MIN);
    loop {
        while !eof && filled < buf.len() {
            let n = file.read(&mut buf[filled..]).unwrap_or_else(|e| fail(format!("cannot read {path}: {e}")));
            eof = n == 0;
            filled += n;
        }
        // Whole lines only; the tail waits for the next chunk.
        let end = if eof { filled } else { buf[..filled].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) };
        if end == 0 && !eof {
            fail(format!("line {}: longer than {} bytes", line_no + 1, buf.len()));
        }
        // One UTF-8 check per chunk; the delimiters are ASCII, so slicing at them is safe.
        let chunk = std::str::from_utf8(&buf[..end]).unwrap_or_else(|e| fail(format!("after line {line_no}: not UTF-8: {e}")));
        let bytes = chunk.as_bytes();
        let mut pos = 0;
        while pos < chunk.len() {
            let nl = find(bytes, pos, b'\n').unwrap_or(chunk.len());
            let raw = &chunk[pos..nl];
            pos = nl + 1;
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if line.is_empty() {
                continue;
            }
            line_no += 1;
            if line_no == 1 {
                if line != "case_id,activity,lifecycle,timestamp,resource" {
                    fail(format!("unexpected header {line:?}"));
                }
                continue;
            }
            let [case, activity, lifecycle, ts, resource] = fields(line, line_no);
            let transition = Transition::from_code(lifecycle).unwrap_or_else(|| fail(format!("line {line_no}: lifecycle {lifecycle:?}")));
            let tb = ts.as_bytes();
            let zulu = tb.len() == 20 && tb[19] == b'Z';
            let cached = if zulu && tb[..10] == last_date { time_of_day(tb) } else { None };
            let at = match cached {
                Some(ms) => last_day_ms + ms,
                None => {
                    let at = iso::parse_ms(ts).unwrap_or_else(|| fail(format!("line {line_no}: timestamp {ts:?}")));
                    if zulu {
                        last_date.copy_from_slice(&tb[..10]);
                        last_day_ms = at - at.rem_euclid(86_400_000);
                    }
                    at
                }
            };
            imp.row(&Row { case, activity, transition, at, resource }).unwrap_or_else(|e| fail(format!("line {line_no}: {e}")));
            rows += 1;
        }
        if eof {
            break;
        }
        buf.copy_within(end..filled, 0);
        filled -= end;
    }
    (imp.finish().unwrap_or_else(|e| fail(e.to_string())), rows)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| fail("usage: analytics-bench EVENTS.csv [--repeat N]".into()));
    let mut repeat = 0usize;
    let mut threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    while let Some(a) = args.next() {
        match a.as_str() {
            "--threads" => {
                threads = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .filter(|&n| n > 0)
                    .unwrap_or_else(|| fail("--threads takes a number above 0".into()))
            }
            "--repeat" => repeat = args.next().and_then(|v| v.parse().ok()).unwrap_or_else(|| fail("--repeat takes a number".into())),
            other => fail(format!("unknown argument {other}")),
        }
    }
    let t0 = Instant::now();
    // With several threads, each loads a piece of the file cut at case boundaries into its
    // own log; the logs are then appended in file order.
    let points = split_points(&path, threads);
    let mut parts: Vec<(Log, usize)> = std::thread::scope(|s| {
        let handles: Vec<_> = points.windows(2).map(|w| s.spawn(|| load(&path, w[0], w[1]))).collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| fail("a loading thread panicked".into()))).collect()
    });
    let (mut log, mut rows) = parts.remove(0);
    for (part, n) in &parts {
        log.append(part);
        rows += n;
    }
    drop(parts);
    let load_s = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    let report = compute(&log, &Query::default());
    let compute_s = t1.elapsed().as_secs_f64();
    let total_s = t0.elapsed().as_secs_f64();
    let mut again: Vec<f64> = (0..repeat)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(compute(std::hint::black_box(&log), &Query::default()));
            t.elapsed().as_secs_f64()
        })
        .collect();
    again.sort_by(f64::total_cmp);
    let compute_median_s = again.get(again.len() / 2).copied();

    let g = report.groups.first().unwrap_or_else(|| fail("the log has no cases".into()));
    let s = |ms: Option<f64>| ms.map(|v| v / 1000.0);
    let dfg: Vec<_> = g.edges.iter().map(|e| serde_json::json!([e.from, e.to, e.count, s(e.mean_ms), s(e.median_ms)])).collect();
    let activities: serde_json::Map<_, _> = g.stages.iter().map(|st| (st.stage.clone(), st.finished.into())).collect();
    let rework: serde_json::Map<_, _> =
        g.stages.iter().filter(|st| st.rework_cases > 0).map(|st| (st.stage.clone(), st.rework_cases.into())).collect();
    let tp = &g.cases.throughput;
    let out = serde_json::json!({
        "tool": format!("okno-analytics, {threads} thread{}", if threads == 1 { "" } else { "s" }),
        "threads": threads,
        "rows": rows,
        "cases": log.cases(),
        "events": log.events(),
        "log_heap_mb": log.heap_bytes() as f64 / 1e6,
        "load_s": load_s,
        "compute_s": compute_s,
        "compute_median_s": compute_median_s,
        "total_s": total_s,
        "dfg": dfg,
        "activities": activities,
        "case_durations": {"count": tp.count, "mean_s": s(tp.mean_ms), "median_s": s(tp.median_ms)},
        "rework": rework,
        "returns": g.cases.returns,
        "cases_with_return": g.cases.rework_cases,
    });
    println!("{out}");
}
