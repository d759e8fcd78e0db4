//! Counts and readability indices. The formulas are the published ones with the Russian
//! constants ruTS uses (Oborneva for Flesch; the Plain Russian Language project for
//! Coleman–Liau, SMOG and ARI), so figures can be compared with ruTS on the same text.

use crate::config::Limits;
use crate::morph::flag;
use crate::report::Metrics;
use crate::text::{Kind, Text};

/// A syllable per vowel letter: Russian spelling makes this exact enough for readability.
fn is_vowel(c: char) -> bool {
    matches!(c, 'а' | 'е' | 'ё' | 'и' | 'о' | 'у' | 'ы' | 'э' | 'ю' | 'я' | 'А' | 'Е' | 'Ё' | 'И' | 'О' | 'У' | 'Ы' | 'Э' | 'Ю' | 'Я')
}

/// Flesch–Kincaid's weight of sentence length: the published constant, which only looks
/// like 1/π to clippy.
#[allow(clippy::approx_constant)]
const FKG_ASL: f64 = 0.318;

/// SMOG's complex word in the Russian adaptation: five syllables or more.
const COMPLEX_SYLLABLES: usize = 5;

pub(crate) fn compute(text: &Text, limits: &Limits) -> Metrics {
    let mut m = Metrics { sentences: text.sentences.iter().filter(|s| s.words > 0).count(), ..Metrics::default() };
    m.paragraphs = text.paragraphs.iter().filter(|p| p.words > 0).count();
    let (mut nouns, mut verbal_nouns, mut verbs, mut passives) = (0usize, 0usize, 0usize, 0usize);
    for (index, token) in text.tokens.iter().enumerate() {
        if !token.is_word() {
            continue;
        }
        m.words += 1;
        if token.kind != Kind::Word {
            continue;
        }
        let (mut syllables, mut letters) = (0, 0);
        for c in text.form(index).chars() {
            syllables += usize::from(is_vowel(c));
            letters += usize::from(c.is_alphabetic());
        }
        m.syllables += syllables;
        m.letters += letters;
        m.complex_words += usize::from(syllables >= COMPLEX_SYLLABLES);
        let info = token.info;
        if info.has(flag::NOUN) {
            nouns += 1;
            verbal_nouns += usize::from(info.has(flag::VERBAL_NOUN));
        }
        let passive = info.has(flag::SHORT_PASSIVE) || info.has(flag::FULL_PASSIVE) || info.has(flag::PASSIVE_VERB);
        if info.has(flag::VERB) || info.has(flag::PARTICIPLE) || passive {
            verbs += 1;
            passives += usize::from(passive);
        }
    }
    if m.words == 0 || m.sentences == 0 {
        return m;
    }
    let words = m.words as f64;
    let sentences = m.sentences as f64;
    let asl = words / sentences;
    let asw = m.syllables as f64 / words;
    m.mean_sentence_length = round(asl, 2);
    let long = text.sentences.iter().filter(|s| s.words > limits.sentence_words).count();
    m.long_sentence_share = round(long as f64 / sentences, 3);
    m.flesch_reading_ease = round(206.835 - 1.3 * asl - 60.1 * asw, 2);
    m.flesch_kincaid_grade = round(FKG_ASL * asl + 14.2 * asw - 30.5, 2);
    m.coleman_liau = round(0.055 * (m.letters as f64 / words * 100.0) - 0.35 * (sentences / words * 100.0) - 20.33, 2);
    m.smog = round(1.1 * (64.6 * m.complex_words as f64 / sentences).sqrt() + 0.05, 2);
    m.ari = round(6.26 * (m.letters as f64 / words) + 0.2805 * asl - 31.04, 2);
    m.nominalisation_share = if nouns == 0 { 0.0 } else { round(verbal_nouns as f64 / nouns as f64, 3) };
    m.passive_share = if verbs == 0 { 0.0 } else { round(passives as f64 / verbs as f64, 3) };
    m
}

fn round(value: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (value * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_flesch() {
        // 6 words, 1 sentence, 13 syllables: FRE = 206.835 − 1.3·6 − 60.1·13/6 ≈ 68.82.
        let text = Text::analyse("Мама мыла раму, папа читал газету.");
        let m = compute(&text, &Limits::default());
        assert_eq!((m.words, m.sentences, m.syllables), (6, 1, 13));
        assert!((m.flesch_reading_ease - 68.82).abs() < 0.01, "{}", m.flesch_reading_ease);
        assert!((m.flesch_kincaid_grade - (FKG_ASL * 6.0 + 14.2 * 13.0 / 6.0 - 30.5)).abs() < 0.01);
        assert_eq!(m.long_sentence_share, 0.0);
    }

    #[test]
    fn shares_of_nominalisation_and_passive() {
        let text = Text::analyse("Проведение проверки осуществляется комиссией. Решение принято.");
        let m = compute(&text, &Limits::default());
        assert!(m.nominalisation_share > 0.3, "{m:?}");
        assert!(m.passive_share > 0.5, "{m:?}");
    }

    #[test]
    fn empty_text_has_zero_metrics() {
        let m = compute(&Text::analyse(""), &Limits::default());
        assert_eq!(m, Metrics::default());
    }
}
