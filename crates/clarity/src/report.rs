//! The report: what the JSON contract of DESIGN.md §3 promises to `okno check --format json`,
//! the web page and the workflow.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth a look; often fine in context.
    Info,
    /// Makes the text harder for most readers.
    Warning,
    /// The reader is likely to misunderstand or give up.
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The families of rules, as the issue names them; used to switch a group off and to report
/// precision and recall per family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// Канцелярит and denominal prepositions.
    Bureaucratese,
    /// Split predicates and chains of verbal nouns.
    Nominalisation,
    Passive,
    Genitive,
    /// Long sentences and paragraphs.
    Length,
    Abbreviation,
    /// Штампы.
    StockPhrase,
    Vague,
    /// Evaluations and intensifiers.
    Evaluation,
    /// Overloaded references to legal acts.
    Legal,
    /// Document structure: the answer first.
    Structure,
    /// Letters that never speak to the reader.
    Address,
}

/// One place in the text a rule objects to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Rule id, «family.name».
    pub rule: String,
    pub family: Family,
    pub severity: Severity,
    /// Start, in characters (Unicode scalar values) of the extracted text.
    pub start: usize,
    /// End, exclusive, in characters.
    pub end: usize,
    /// Line of `start`, 1-based.
    pub line: usize,
    /// Column of `start` in characters, 1-based.
    pub column: usize,
    /// What is wrong and what to do, in plain Russian.
    pub message: String,
    /// A replacement for `start..end` when the rule is sure of one.
    pub suggestion: Option<String>,
}

/// Counts and readability indices of the text.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub words: usize,
    pub sentences: usize,
    pub paragraphs: usize,
    pub syllables: usize,
    pub letters: usize,
    /// Words of five syllables or more (SMOG's «complex» words in the Russian adaptation).
    pub complex_words: usize,
    pub mean_sentence_length: f64,
    /// Share of sentences longer than the configured limit, 0–1.
    pub long_sentence_share: f64,
    /// Oborneva's Flesch Reading Ease: 206.835 − 1.3·ASL − 60.1·ASW; higher is easier.
    pub flesch_reading_ease: f64,
    /// Flesch–Kincaid grade: 0.318·ASL + 14.2·ASW − 30.5.
    pub flesch_kincaid_grade: f64,
    /// Coleman–Liau: 0.055·L − 0.35·S − 20.33 (L letters, S sentences per 100 words).
    pub coleman_liau: f64,
    /// SMOG: 1.1·√(64.6·complex/sentences) + 0.05.
    pub smog: f64,
    /// ARI: 6.26·letters/words + 0.2805·ASL − 31.04.
    pub ari: f64,
    /// Share of nouns that are verbal nouns («проведение», «реализация»), 0–1.
    pub nominalisation_share: f64,
    /// Share of verb forms that are passive (short and full passive participles, -ся passive), 0–1.
    pub passive_share: f64,
}

/// The result of checking one document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClarityReport {
    /// 0–10, higher is plainer; see [`crate::score`].
    pub score: f64,
    pub metrics: Metrics,
    /// In text order.
    pub findings: Vec<Finding>,
}
