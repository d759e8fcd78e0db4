//! The 0–10 score: one number for «how plain is this», higher is plainer.
//!
//! Formula: `score = 10 · exp(−d / s)`, rounded to one decimal, where
//! `d = 100 · Σ w(finding) / words` is the weighted findings per 100 words, `w` is 0.5 for
//! info, 1 for a warning and 2 for an error, and `s` is 8 (all tunable in `[weights]`).
//! A text without findings scores 10; one warning per 100 words gives 8.8, four give 6.1,
//! eight give 3.7. Density rather than a count keeps long and short documents comparable;
//! the exponential never goes below zero and rewards removing the first problems most.
//! Long sentences enter through their findings, so the readability indices stay in
//! `metrics` and are not counted twice.

use crate::config::Weights;
use crate::report::{Finding, Severity};

pub(crate) fn score(findings: &[Finding], words: usize, weights: &Weights) -> f64 {
    if words == 0 {
        return 10.0;
    }
    let weighted: f64 = findings
        .iter()
        .map(|f| match f.severity {
            Severity::Info => weights.info,
            Severity::Warning => weights.warning,
            Severity::Error => weights.error,
        })
        .sum();
    let density = 100.0 * weighted / words as f64;
    let scale = if weights.scale > 0.0 { weights.scale } else { Weights::default().scale };
    (100.0 * (-density / scale).exp()).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Family;

    fn warning() -> Finding {
        Finding {
            rule: "x.y".into(),
            family: Family::Vague,
            severity: Severity::Warning,
            start: 0,
            end: 1,
            line: 1,
            column: 1,
            message: String::new(),
            suggestion: None,
        }
    }

    #[test]
    fn documented_points() {
        let w = Weights::default();
        assert_eq!(score(&[], 100, &w), 10.0);
        assert_eq!(score(&[warning()], 100, &w), 8.8);
        assert_eq!(score(&vec![warning(); 8], 100, &w), 3.7);
        assert_eq!(score(&[], 0, &w), 10.0);
    }
}
