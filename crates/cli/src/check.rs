//! `okno check`: the plain-Russian checker on files, like a compiler on source code.
//! Needs no database: it reads the files, checks them, and prints.

use anyhow::{Context, Result};
use okno_clarity::{check, extract, ClarityReport, Config, Document, Format};
use std::io::Read;
use std::path::Path;

/// The whole command: returns the exit code (0, or 2 when an input could not be read).
pub fn run(files: &[String], format: &str, config: Option<&Path>, letter: bool) -> Result<i32> {
    let mut cfg = match config {
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| format!("cannot read the checker settings {}", p.display()))?;
            Config::from_toml(&text).with_context(|| format!("{}: bad checker settings", p.display()))?
        }
        None => Config::default(),
    };
    if letter {
        cfg.kind = okno_clarity::DocumentKind::Letter;
    }
    let json = match format {
        "text" => false,
        "json" => true,
        other => anyhow::bail!("--format must be text or json, not {other:?}"),
    };
    let mut code = 0;
    for name in files {
        let doc = match read(name) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{name}: {e:#}");
                code = 2;
                continue;
            }
        };
        let report = check(&doc, &cfg);
        if json {
            let mut v = serde_json::to_value(&report)?;
            v["file"] = serde_json::Value::String(name.clone());
            println!("{v}");
        } else {
            print_text(name, &report);
        }
    }
    Ok(code)
}

fn read(name: &str) -> Result<Document> {
    let (bytes, format) = if name == "-" {
        let mut b = Vec::new();
        std::io::stdin().read_to_end(&mut b).context("cannot read standard input")?;
        (b, Format::Text)
    } else {
        let format = Format::from_file_name(name).unwrap_or(Format::Text);
        (std::fs::read(name).context("cannot read the file")?, format)
    };
    Ok(extract(&bytes, format)?)
}

fn print_text(name: &str, r: &ClarityReport) {
    for f in &r.findings {
        let severity = format!("{:?}", f.severity).to_lowercase();
        match &f.suggestion {
            Some(s) => println!("{name}:{}:{}: {severity} [{}] {} → «{s}»", f.line, f.column, f.rule, f.message),
            None => println!("{name}:{}:{}: {severity} [{}] {}", f.line, f.column, f.rule, f.message),
        }
    }
    println!("{name}: score {:.1}/10, {} findings, {} words", r.score, r.findings.len(), r.metrics.words);
}
