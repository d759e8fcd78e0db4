//! The checker's driver for `bench/clarity/` and `scripts/clarity-*.py`; I/O lives here,
//! never in the library.
//!
//! - `bench rules`: every rule id with its family and severity, one JSON object per line.
//! - `bench jsonl FILE`: FILE holds one JSON object per line, `{"id": …, "text": …, "kind":
//!   "general"|"letter"}`; prints `{"id": …, "report": …}` per line.
//! - `bench throughput FILE THREADS`: FILE is a corpus of documents separated by lines holding
//!   only a form feed (`\x0c`). Splits it into THREADS contiguous byte ranges on document
//!   boundaries; each thread streams its range from the file and checks every document with
//!   the default config. Prints one JSON object with bytes, documents, words, findings, the
//!   seconds spent, MB/s (1 MB = 10^6 bytes) and the process's CPU seconds for the checking.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::time::Instant;

use okno_clarity::{check_text, Config, DocumentKind};

const SEPARATOR: &str = "\x0c";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("rules") => {
            for (id, family, severity) in okno_clarity::rule_ids() {
                println!("{}", serde_json::json!({ "id": id, "family": family, "severity": severity }));
            }
        }
        Some("jsonl") if args.len() == 2 => jsonl(&args[1]),
        Some("throughput") if args.len() == 3 => {
            let threads: usize = args[2].parse().expect("THREADS is a number");
            throughput(&args[1], threads.max(1));
        }
        _ => {
            eprintln!("usage: bench rules | bench jsonl FILE | bench throughput FILE THREADS");
            std::process::exit(2);
        }
    }
}

fn jsonl(path: &str) {
    let general = Config::default();
    let letter = Config { kind: DocumentKind::Letter, ..Config::default() };
    let reader = BufReader::new(File::open(path).expect("input readable"));
    for line in reader.lines() {
        let line = line.expect("input readable");
        if line.trim().is_empty() {
            continue;
        }
        let item: serde_json::Value = serde_json::from_str(&line).expect("a JSON object per line");
        let text = item["text"].as_str().expect("a text field");
        let config = if item["kind"].as_str() == Some("letter") { &letter } else { &general };
        let report = check_text(text, config);
        println!("{}", serde_json::json!({ "id": item["id"], "report": report }));
    }
}

#[derive(Default)]
struct Tally {
    bytes: u64,
    documents: u64,
    words: u64,
    findings: u64,
}

/// The first byte of the line after the first separator line at or after `offset`, or the
/// file's length.
fn boundary(path: &str, offset: u64, len: u64) -> u64 {
    if offset == 0 {
        return 0;
    }
    let mut file = File::open(path).expect("corpus readable");
    file.seek(SeekFrom::Start(offset - 1)).expect("seek");
    let mut reader = BufReader::new(file);
    let mut position = offset - 1;
    // Finish the line `offset - 1` sits in, then look for a separator line.
    let mut line = Vec::new();
    position += reader.read_until(b'\n', &mut line).expect("read") as u64;
    loop {
        line.clear();
        let read = reader.read_until(b'\n', &mut line).expect("read") as u64;
        if read == 0 {
            return len;
        }
        position += read;
        if line.strip_suffix(b"\n").unwrap_or(&line) == SEPARATOR.as_bytes() {
            return position;
        }
    }
}

fn check_range(path: &str, start: u64, end: u64, config: &Config) -> Tally {
    let mut file = File::open(path).expect("corpus readable");
    file.seek(SeekFrom::Start(start)).expect("seek");
    let mut reader = BufReader::with_capacity(1 << 16, file.take(end - start));
    let mut tally = Tally::default();
    let mut document = String::new();
    let mut line = String::new();
    let flush = |document: &mut String, tally: &mut Tally| {
        if document.trim().is_empty() {
            document.clear();
            return;
        }
        let report = check_text(document, config);
        tally.documents += 1;
        tally.words += report.metrics.words as u64;
        tally.findings += report.findings.len() as u64;
        document.clear();
    };
    loop {
        line.clear();
        let read = reader.read_line(&mut line).expect("corpus is UTF-8");
        if read == 0 {
            break;
        }
        tally.bytes += read as u64;
        if line.trim_end_matches('\n') == SEPARATOR {
            flush(&mut document, &mut tally);
        } else {
            document.push_str(&line);
        }
    }
    flush(&mut document, &mut tally);
    tally
}

/// User plus system CPU time of the whole process (all threads) from `/proc/self/stat`, in
/// seconds at the usual 100 ticks per second; `None` off Linux. CPU time rather than wall time
/// is what «MB/s per core» means when other work shares the machine.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(") ")?.1.split(' ').collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn throughput(path: &str, threads: usize) {
    let len = std::fs::metadata(path).expect("corpus readable").len();
    let config = Config::default();
    // Warm the lazily built segmenter and dictionary outside the timed part.
    let warm = Instant::now();
    check_text("Заявление рассмотрено комиссией в установленный срок.", &config);
    let warm_seconds = warm.elapsed().as_secs_f64();
    let mut cuts: Vec<u64> = (0..threads as u64).map(|k| boundary(path, k * len / threads as u64, len)).collect();
    cuts.push(len);
    let cpu_before = cpu_seconds();
    let started = Instant::now();
    let tallies: Vec<Tally> = std::thread::scope(|scope| {
        let handles: Vec<_> = cuts
            .windows(2)
            .map(|w| (w[0], w[1]))
            .map(|(a, b)| {
                scope.spawn({
                    let config = &config;
                    move || check_range(path, a, b, config)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("a checking thread panicked")).collect()
    });
    let seconds = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds().zip(cpu_before).map(|(after, before)| after - before);
    let total = tallies.iter().fold(Tally::default(), |mut t, x| {
        t.bytes += x.bytes;
        t.documents += x.documents;
        t.words += x.words;
        t.findings += x.findings;
        t
    });
    let mb = total.bytes as f64 / 1e6;
    println!(
        "{}",
        serde_json::json!({
            "threads": threads,
            "bytes": total.bytes,
            "documents": total.documents,
            "words": total.words,
            "findings": total.findings,
            "warmup_seconds": warm_seconds,
            "seconds": seconds,
            "mb_per_s": mb / seconds,
            "mb_per_s_per_thread": mb / seconds / threads as f64,
            "cpu_seconds": cpu,
            "mb_per_cpu_s": cpu.map(|cpu| mb / cpu),
        })
    );
}
