//! Abbreviations not expanded at first use («МФЦ», «ЕПГУ»). Officials read them at a glance;
//! citizens do not. The first use should give the full name with the abbreviation in
//! brackets, or the other way round.

use std::collections::HashSet;

use crate::config::Config;
use crate::report::{Family, Severity};
use crate::rules::{Hit, Rule};
use crate::text::{Kind, Text};

/// Abbreviations every adult reader knows, or that are part of a reference («210-ФЗ»).
const KNOWN: [&str; 12] = ["РФ", "ФЗ", "США", "ООН", "СССР", "ЕС", "СМИ", "ИНН", "СНИЛС", "ВУЗ", "ТВ", "ГОСТ"];

pub(crate) struct Unexpanded;

/// Two to six capital letters, Cyrillic or Latin, perhaps with a digit: «МФЦ», «ЕГРН», «НДФЛ».
fn is_abbreviation(form: &str) -> bool {
    let letters = form.chars().filter(|c| c.is_alphabetic()).count();
    (2..=6).contains(&letters) && form.chars().all(|c| c.is_uppercase() || c.is_ascii_digit() || c == '-') && form.chars().any(is_cyrillic)
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, 'А'..='я' | 'Ё' | 'ё')
}

impl Rule for Unexpanded {
    fn id(&self) -> &'static str {
        "abbreviation.unexpanded"
    }

    fn family(&self) -> Family {
        Family::Abbreviation
    }

    fn severity(&self) -> Severity {
        Severity::Warning
    }

    fn check(&self, text: &Text, config: &Config, out: &mut Vec<Hit>) {
        let mut seen: HashSet<&str> = KNOWN.into_iter().collect();
        seen.extend(config.known_abbreviations.iter().map(String::as_str));
        for (index, token) in text.tokens.iter().enumerate() {
            if token.kind != Kind::Word {
                continue;
            }
            let full = text.form(index);
            // «210-ФЗ»: the part after the hyphen of a reference.
            let form = full.rsplit('-').next().unwrap_or(full);
            if is_document_number(text, index, full) {
                continue;
            }
            if !is_abbreviation(form) || !seen.insert(form) {
                continue;
            }
            if self.expanded_here(text, index) || self.heading_in_capitals(text, index) {
                continue;
            }
            out.push(Hit::new(
                token.start,
                token.end,
                format!("Сокращение «{form}» не расшифровано: при первом упоминании напишите полное название, а сокращение — в скобках."),
            ));
        }
    }
}

/// The letters of a document's number: «№ 30-ЗО», «№ 412-ПК», «№ 60/2014-ОЗ» (a regional
/// law), «№ 6727-о». They index the act; the reader is not asked to understand them.
fn is_document_number(text: &Text, index: usize, full: &str) -> bool {
    let digit_before_hyphen = full.rsplit_once('-').is_some_and(|(head, _)| head.ends_with(|c: char| c.is_ascii_digit()));
    let split_after_number = index >= 2
        && matches!(text.form(index - 1), "-" | "‑" | "–")
        && text.tokens[index - 2].kind == Kind::Number
        && text.tokens[index - 1].end == text.tokens[index].start;
    digit_before_hyphen || split_after_number
}

impl Unexpanded {
    /// «многофункциональный центр (МФЦ)» or «МФЦ (многофункциональный центр)».
    fn expanded_here(&self, text: &Text, index: usize) -> bool {
        let before = index.checked_sub(1).map(|i| text.form(i));
        let after = text.tokens.get(index + 1).map(|_| text.form(index + 1));
        before == Some("(") || after == Some("(")
    }

    /// A word in an all-capitals heading («ПРИКАЗ», «О ПОРЯДКЕ») is not an abbreviation:
    /// a sentence without a single lower-case letter is taken for a heading.
    fn heading_in_capitals(&self, text: &Text, index: usize) -> bool {
        text.sentence_at(text.tokens[index].start)
            .map(|s| &text.source[text.sentences[s].start..text.sentences[s].end])
            .is_some_and(|sentence| !sentence.chars().any(char::is_lowercase))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::spans;

    #[test]
    fn bad() {
        assert_eq!(spans(&Unexpanded, "Обратитесь в МФЦ. В МФЦ вам помогут. Данные есть в ЕГРН."), ["МФЦ", "ЕГРН"]);
    }

    #[test]
    fn good() {
        assert!(spans(&Unexpanded, "Обратитесь в многофункциональный центр (МФЦ). В МФЦ вам помогут.").is_empty());
        assert!(spans(&Unexpanded, "Закон № 210-ФЗ действует в РФ.").is_empty());
        assert!(spans(&Unexpanded, "ПРИКАЗ О ПОРЯДКЕ ПРИЁМА").is_empty());
    }

    #[test]
    fn regional_law_numbers_are_not_abbreviations() {
        assert!(spans(&Unexpanded, "Закон Тверской области от 15.04.2015 № 30-ЗО действует.").is_empty());
        assert!(spans(&Unexpanded, "Закон Московской области № 60/2014-ОЗ и закон края № 412-ПК.").is_empty());
        // The same letters on their own are still an abbreviation.
        assert_eq!(spans(&Unexpanded, "Закон № 30-ЗО. Смотрите также ЗО."), ["ЗО"]);
    }
}
