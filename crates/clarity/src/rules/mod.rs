//! The rules, one per file, each with good and bad examples as its tests.
//!
//! A rule sees the analysed [`Text`] and the [`Config`] and pushes [`Hit`]s in byte offsets;
//! the engine in `lib.rs` adds the id, family and severity, converts offsets to characters,
//! lines and columns, and drops rules the config switched off. Word lists are the rules' own,
//! written from public plain-language guidance (the Gosuslugi editorial policy, the
//! «Государство для людей» standards, plain-language manuals), not taken from other tools.

use std::borrow::Cow;

use crate::config::Config;
use crate::report::{Family, Severity};
use crate::text::Text;

mod abbreviation;
mod answer_first;
mod denominal_preposition;
mod genitive_chain;
mod intensifier;
mod legal_references;
mod long_paragraph;
mod long_sentence;
mod officialese;
mod reader_address;
mod reflexive_passive;
mod short_passive;
mod split_predicate;
mod stock_phrase;
mod vague;
mod verbal_noun_chain;

/// One objection, in byte offsets of the text.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Hit {
    pub start: usize,
    pub end: usize,
    pub message: Cow<'static, str>,
    pub suggestion: Option<String>,
}

impl Hit {
    pub fn new(start: usize, end: usize, message: impl Into<Cow<'static, str>>) -> Self {
        Hit { start, end, message: message.into(), suggestion: None }
    }

    pub fn suggest(mut self, suggestion: Option<String>) -> Self {
        self.suggestion = suggestion;
        self
    }
}

pub(crate) trait Rule: Sync {
    /// «family.name», stable: configs and reports name rules by it.
    fn id(&self) -> &'static str;
    fn family(&self) -> Family;
    fn severity(&self) -> Severity;
    fn check(&self, text: &Text, config: &Config, out: &mut Vec<Hit>);
}

/// Every rule, in the order their findings are reported for the same place.
pub(crate) fn all() -> &'static [&'static dyn Rule] {
    &[
        &answer_first::AnswerNotFirst,
        &reader_address::NoReaderAddress,
        &long_paragraph::LongParagraph,
        &long_sentence::LongSentence,
        &legal_references::OverloadedReferences,
        &denominal_preposition::DenominalPreposition,
        &stock_phrase::StockPhrase,
        &officialese::Officialese,
        &split_predicate::SplitPredicate,
        &verbal_noun_chain::VerbalNounChain,
        &genitive_chain::GenitiveChain,
        &short_passive::ShortPassive,
        &reflexive_passive::ReflexivePassive,
        &abbreviation::Unexpanded,
        &vague::Vague,
        &intensifier::Intensifier,
    ]
}

/// Every lemma some rule lists, for [`crate::lexicon::lemma_id`].
pub(crate) fn listed_lemmas() -> impl Iterator<Item = &'static str> {
    officialese::lemmas().chain(vague::lemmas()).chain(intensifier::lemmas()).chain(split_predicate::lemmas()).chain(stock_phrase::lemmas())
}

/// The id of every rule, for documentation and configs.
pub fn ids() -> impl Iterator<Item = (&'static str, Family, Severity)> {
    all().iter().map(|rule| (rule.id(), rule.family(), rule.severity()))
}

#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// The text each hit covers, and its suggestion.
    pub fn hits_with(rule: &dyn Rule, text: &str, config: &Config) -> Vec<(String, Option<String>)> {
        let analysed = Text::analyse(text);
        let mut out = Vec::new();
        rule.check(&analysed, config, &mut out);
        out.into_iter().map(|hit| (text[hit.start..hit.end].to_owned(), hit.suggestion)).collect()
    }

    pub fn hits(rule: &dyn Rule, text: &str) -> Vec<(String, Option<String>)> {
        hits_with(rule, text, &Config::default())
    }

    /// Only the covered texts.
    pub fn spans(rule: &dyn Rule, text: &str) -> Vec<String> {
        hits(rule, text).into_iter().map(|(span, _)| span).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_name_their_family() {
        let mut seen = std::collections::HashSet::new();
        for (id, family, _) in ids() {
            assert!(seen.insert(id), "duplicate rule id {id}");
            let prefix = serde_json::to_value(family).unwrap();
            assert!(id.starts_with(prefix.as_str().unwrap()), "{id} is not in family {prefix}");
        }
    }
}
