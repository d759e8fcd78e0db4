//! What a body can tune: which rules run, how strict the limits are, and what kind of
//! document is checked. Read from TOML so a body keeps its house rules in a file.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::report::Severity;

/// The checker's settings. Every field has a default, so an empty file is a valid config.
///
/// ```toml
/// kind = "letter"                        # a reply to a citizen: also check that it speaks to «вы»
/// disabled = ["passive", "vague.word"]   # rule ids or whole families
/// known_abbreviations = ["ГИС ЖКХ"]
///
/// [severity]
/// "length.sentence" = "error"
///
/// [limits]
/// sentence_words = 20
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub kind: DocumentKind,
    /// Rule ids («passive.short_participle») or families («passive») that do not run.
    pub disabled: Vec<String>,
    /// Severity per rule id, replacing the rule's own.
    pub severity: BTreeMap<String, Severity>,
    pub limits: Limits,
    /// Abbreviations every reader knows, never asked to be expanded; added to the built-in
    /// few (РФ, ФЗ, …).
    pub known_abbreviations: Vec<String>,
    pub weights: Weights,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            kind: DocumentKind::General,
            disabled: Vec::new(),
            severity: BTreeMap::new(),
            limits: Limits::default(),
            known_abbreviations: Vec::new(),
            weights: Weights::default(),
        }
    }
}

/// What the document is: some rules only make sense for one kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    #[default]
    General,
    /// A letter or a reply to a citizen.
    Letter,
}

/// Thresholds of the rules that count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// A sentence with more words is long. Plain-language guides put the comfortable length
    /// at 15–20 words; 25 flags only what most readers stumble over.
    pub sentence_words: usize,
    /// A paragraph with more words is long.
    pub paragraph_words: usize,
    /// A paragraph with more sentences is long.
    pub paragraph_sentences: usize,
    /// This many nouns in a row that hang on each other in the genitive make a chain.
    pub genitive_chain: usize,
    /// This many verbal nouns within one noun group make a chain.
    pub verbal_noun_chain: usize,
    /// More references to articles or acts than this in one sentence overload it.
    pub legal_references: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            sentence_words: 25,
            paragraph_words: 120,
            paragraph_sentences: 6,
            genitive_chain: 3,
            verbal_noun_chain: 3,
            legal_references: 1,
        }
    }
}

/// How much each finding weighs in the score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Weights {
    pub info: f64,
    pub warning: f64,
    pub error: f64,
    /// The weighted findings per 100 words at which the score falls from 10 to 10/e ≈ 3.7.
    pub scale: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights { info: 0.5, warning: 1.0, error: 2.0, scale: 8.0 }
    }
}

/// A config file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("настройки проверки не прочитаны: {0}")]
pub struct ConfigError(#[from] toml::de::Error);

impl Config {
    /// Reads a config from TOML; unknown keys are errors, so a typo does not pass silently.
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        Ok(toml::from_str(text)?)
    }

    /// Whether the rule runs: neither its id nor its family is disabled.
    pub fn enabled(&self, rule: &str) -> bool {
        !self.disabled.iter().any(|off| rule == off || (rule.starts_with(off.as_str()) && rule[off.len()..].starts_with('.')))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_toml_and_switches_rules_off() {
        let config = Config::from_toml(
            "kind = \"letter\"\ndisabled = [\"passive\", \"vague.word\"]\n[severity]\n\"length.sentence\" = \"error\"\n[limits]\nsentence_words = 20\n",
        )
        .unwrap();
        assert_eq!(config.kind, DocumentKind::Letter);
        assert_eq!(config.limits.sentence_words, 20);
        assert_eq!(config.limits.paragraph_words, 120);
        assert_eq!(config.severity["length.sentence"], Severity::Error);
        assert!(!config.enabled("passive.short_participle"));
        assert!(!config.enabled("vague.word"));
        assert!(config.enabled("passive_x.y"));
        assert!(config.enabled("length.sentence"));
    }

    #[test]
    fn rejects_unknown_keys() {
        assert!(Config::from_toml("sentense_words = 3").is_err());
        assert_eq!(Config::from_toml("").unwrap(), Config::default());
    }
}
