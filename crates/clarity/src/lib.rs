//! Okno's plain-Russian checker: how plain is a document a public body sends to its clients,
//! and what exactly to change.
//!
//! Owns: reading the input formats (plain text, Markdown, DOCX, ODT) into text, segmentation
//! (anySeg), morphology (ruMorph with its OpenCorpora dictionary), the rules under `rules/`,
//! readability metrics and the 0–10 score, and the [`ClarityReport`] they make.
//!
//! Must never: touch files, the network or a database, be async, or download anything at
//! build or run time. Bytes come in, a report goes out; the CLI, the web and the workflow
//! are the edges that fetch and store. Positions in the report are characters of the
//! extracted text, so every edge can map them to its own units.

mod config;
mod lexicon;
mod metrics;
mod morph;
mod read;
mod report;
mod rules;
pub mod score;
mod text;

pub use config::{Config, ConfigError, DocumentKind, Limits as RuleLimits, Weights};
pub use read::{extract, extract_with, Document, Format, Limits as ReadLimits, ReadError};
pub use report::{ClarityReport, Family, Finding, Metrics, Severity};
pub use rules::ids as rule_ids;

use std::borrow::Cow;

/// Checks an extracted document.
pub fn check(doc: &Document, config: &Config) -> ClarityReport {
    check_text(doc.text(), config)
}

/// Checks a text: findings, metrics and score.
pub fn check_text(text: &str, config: &Config) -> ClarityReport {
    let analysed = text::Text::analyse(text);
    let mut raw: Vec<(usize, rules::Hit)> = Vec::new();
    let mut hits = Vec::new();
    let all = rules::all();
    for (number, rule) in all.iter().enumerate() {
        if !config.enabled(rule.id()) {
            continue;
        }
        rule.check(&analysed, config, &mut hits);
        raw.extend(hits.drain(..).map(|hit| (number, hit)));
    }
    raw.sort_by_key(|(number, hit)| (hit.start, *number));
    let positions = Positions::new(text, raw.iter().flat_map(|(_, hit)| [hit.start, hit.end]));
    let findings: Vec<Finding> = raw
        .into_iter()
        .map(|(number, hit)| {
            let rule = all[number];
            let (start, line, column) = positions.at(hit.start);
            let (end, _, _) = positions.at(hit.end);
            Finding {
                rule: rule.id().to_owned(),
                family: rule.family(),
                severity: config.severity.get(rule.id()).copied().unwrap_or(rule.severity()),
                start,
                end,
                line,
                column,
                message: match hit.message {
                    Cow::Borrowed(text) => text.to_owned(),
                    Cow::Owned(text) => text,
                },
                suggestion: hit.suggestion,
            }
        })
        .collect();
    let metrics = metrics::compute(&analysed, &config.limits);
    let score = score::score(&findings, metrics.words, &config.weights);
    ClarityReport { score, metrics, findings }
}

/// Byte offsets to (character, line, column), computed in one pass over the text for all
/// the offsets a report needs rather than by rescanning from the start for each finding.
struct Positions {
    table: Vec<(usize, (usize, usize, usize))>,
}

impl Positions {
    fn new(text: &str, offsets: impl Iterator<Item = usize>) -> Self {
        let mut wanted: Vec<usize> = offsets.collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut table = Vec::with_capacity(wanted.len());
        let (mut chars, mut line, mut column) = (0, 1, 1);
        let mut wanted = wanted.into_iter().peekable();
        for (byte, c) in text.char_indices() {
            while wanted.next_if(|&w| w <= byte).is_some_and(|w| {
                table.push((w, (chars, line, column)));
                true
            }) {}
            chars += 1;
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        table.extend(wanted.map(|w| (w, (chars, line, column))));
        Positions { table }
    }

    fn at(&self, byte: usize) -> (usize, usize, usize) {
        match self.table.binary_search_by_key(&byte, |(b, _)| *b) {
            Ok(index) => self.table[index].1,
            Err(_) => (0, 1, 1),
        }
    }
}

#[cfg(test)]
mod tests;
