//! Morphology from the ruMorph dictionary (OpenCorpora and Wiktionary, CC BY-SA 4.0), boiled
//! down to the few facts the rules ask about a word form.
//!
//! Why a summary and not the analyses: a rule asks yes/no questions («can this be a genitive
//! noun?»), and a document repeats its words, so one analysis per distinct form is computed,
//! reduced to a `Copy` value and cached per thread. The hot loop then costs one hash lookup
//! per word and allocates nothing for forms it has seen.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use rumorph::{Analysis, Dictionary};

use crate::lexicon;

/// Analyses below this probability are noise for our questions: «мфц» guessed as a plural
/// of «мфца» is not a reason to call it a genitive.
const MIN_PROB: f64 = 0.05;
/// A short passive participle often loses to a homonymous short adjective («принято»
/// is 71 % «принятый»); for plain-language purposes both read as passive.
const MIN_PASSIVE_PROB: f64 = 0.15;
/// Beyond this many distinct forms a thread's cache is dropped and rebuilt: bounded memory
/// on any corpus, and a corpus of official texts rarely has more distinct forms.
const CACHE_LIMIT: usize = 300_000;

/// Yes/no facts about one word form, as bits.
pub(crate) mod flag {
    pub const NOUN: u32 = 1 << 0;
    pub const VERB: u32 = 1 << 1;
    pub const INFINITIVE: u32 = 1 << 2;
    pub const PARTICIPLE: u32 = 1 << 3;
    pub const ADJ: u32 = 1 << 4;
    pub const ADP: u32 = 1 << 5;
    pub const PRON: u32 = 1 << 6;
    pub const CONJ: u32 = 1 << 7;
    pub const NUM: u32 = 1 << 8;
    /// Some likely analysis is a nominal form in the genitive.
    pub const CAN_GEN: u32 = 1 << 9;
    /// Some likely analysis is a nominal form in the instrumental.
    pub const CAN_INS: u32 = 1 << 10;
    /// A short passive participle («принято», «рассмотрены»).
    pub const SHORT_PASSIVE: u32 = 1 << 11;
    /// A finite verb in the passive voice, in practice the -ся passive («рассматривается»).
    pub const PASSIVE_VERB: u32 = 1 << 12;
    /// A noun made from a verb («проведение», «реализация»).
    pub const VERBAL_NOUN: u32 = 1 << 13;
    /// Second person: the reader is addressed («вы», «ваш», «подайте»).
    pub const SECOND_PERSON: u32 = 1 << 14;
    /// The dictionary knows the form (not guessed).
    pub const KNOWN: u32 = 1 << 15;
    /// A full passive participle («принятый», «указанное»).
    pub const FULL_PASSIVE: u32 = 1 << 16;
    /// Nominative or accusative is likely: the word can be a subject or an object.
    pub const CAN_NOM_ACC: u32 = 1 << 17;
    /// A form of «быть» as an auxiliary, in any tense («был», «будет», «быть»).
    pub const AUX: u32 = 1 << 18;
    /// A modal word: a predicative («можно», «вправе»), a short adjective as a predicate
    /// («должно», «обязан», «необходимо») or a form of «мочь».
    pub const MODAL: u32 = 1 << 19;
    /// The likeliest reading is a short adjective («обязан», «должен», «нужно»).
    pub const SHORT_ADJ: u32 = 1 << 20;
}

/// What the rules know about one word form.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct WordInfo {
    pub flags: u32,
    /// The lemma's number in [`lexicon::lemma_id`], or `lexicon::NONE` when no rule lists it.
    pub lemma: u16,
}

impl WordInfo {
    pub fn has(self, flag: u32) -> bool {
        self.flags & flag != 0
    }
}

fn dictionary() -> Option<&'static Dictionary> {
    static DICTIONARY: OnceLock<Option<Dictionary>> = OnceLock::new();
    DICTIONARY.get_or_init(|| Dictionary::bundled().ok()).as_ref()
}

thread_local! {
    static CACHE: RefCell<HashMap<Box<str>, WordInfo>> = RefCell::new(HashMap::new());
}

/// The facts about a word form as written (case matters: «МФЦ» is an abbreviation, «мфц»
/// a guess).
pub(crate) fn word_info(form: &str) -> WordInfo {
    CACHE.with(|cache| {
        if let Some(info) = cache.borrow().get(form) {
            return *info;
        }
        let info = analyse(form);
        let mut cache = cache.borrow_mut();
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(form.into(), info);
        info
    })
}

fn analyse(form: &str) -> WordInfo {
    let Some(dict) = dictionary() else {
        return WordInfo { flags: 0, lemma: lexicon::lemma_id(&form.to_lowercase()) };
    };
    let analyses = dict.analyze(form);
    let Some(top) = analyses.first() else {
        return WordInfo { flags: 0, lemma: lexicon::NONE };
    };
    let mut flags = 0;
    let mut lemma = lexicon::NONE;
    for (index, analysis) in analyses.iter().enumerate() {
        if index > 0 && analysis.prob < MIN_PROB {
            continue;
        }
        let Some(tag) = dict.ud_tag(analysis.ud) else { continue };
        let pos = tag.pos();
        let case = tag.feat("Case");
        let nominal = matches!(pos, "NOUN" | "PROPN" | "ADJ" | "DET" | "PRON" | "NUM") || tag.feat("VerbForm") == Some("Part");
        if nominal && case == Some("Gen") {
            flags |= flag::CAN_GEN;
        }
        if nominal && case == Some("Ins") && analysis.prob >= 0.3 {
            flags |= flag::CAN_INS;
        }
        if nominal && matches!(case, Some("Nom" | "Acc")) {
            flags |= flag::CAN_NOM_ACC;
        }
        if analysis.prob >= MIN_PASSIVE_PROB && is_short_passive(dict, analysis) {
            flags |= flag::SHORT_PASSIVE;
        }
        // «осуществляется» is passive or middle by context; the -ся passive rule itself
        // demands a doer in the instrumental, so a likely passive reading is enough here.
        if analysis.prob >= MIN_PASSIVE_PROB && tag.feat("VerbForm") == Some("Fin") && tag.feat("Voice") == Some("Pass") {
            flags |= flag::PASSIVE_VERB;
        }
        if lemma == lexicon::NONE {
            lemma = lexicon::lemma_id(&analysis.lemma);
        }
    }
    let tag = dict.ud_tag(top.ud);
    if let Some(tag) = tag {
        flags |= match tag.pos() {
            "NOUN" | "PROPN" => flag::NOUN,
            "VERB" | "AUX" => match tag.feat("VerbForm") {
                Some("Inf") => flag::VERB | flag::INFINITIVE,
                Some("Part") => flag::PARTICIPLE,
                Some("Conv") => 0,
                _ => flag::VERB,
            },
            "ADJ" | "DET" => flag::ADJ,
            "ADP" => flag::ADP,
            "PRON" => flag::PRON,
            "CCONJ" | "SCONJ" => flag::CONJ,
            "NUM" => flag::NUM,
            _ => 0,
        };
        if tag.feat("VerbForm") == Some("Part") && tag.feat("Voice") == Some("Pass") && tag.feat("Variant") != Some("Short") {
            flags |= flag::FULL_PASSIVE;
        }
        if tag.pos() == "AUX" {
            flags |= flag::AUX;
        }
        // OpenCorpora's predicatives («можно», «надо», «вправе») come as verbs without a
        // verb form.
        let predicative = tag.pos() == "VERB" && tag.feat("VerbForm").is_none();
        let short_adj = matches!(tag.pos(), "ADJ") && tag.feat("Variant") == Some("Short");
        if short_adj {
            flags |= flag::SHORT_ADJ;
        }
        if predicative || short_adj || top.lemma == "мочь" {
            flags |= flag::MODAL;
        }
        if tag.feat("Person") == Some("2") || top.lemma == "ваш" {
            flags |= flag::SECOND_PERSON;
        }
        if matches!(tag.pos(), "NOUN") && is_verbal_noun(&top.lemma) {
            flags |= flag::VERBAL_NOUN;
        }
    }
    if matches!(top.source, rumorph::Source::Dictionary) {
        flags |= flag::KNOWN;
    }
    WordInfo { flags, lemma }
}

fn is_short_passive(dict: &Dictionary, analysis: &Analysis) -> bool {
    let Some(tag) = dict.ud_tag(analysis.ud) else { return false };
    if tag.feat("Variant") != Some("Short") {
        return false;
    }
    if tag.feat("VerbForm") == Some("Part") && tag.feat("Voice") == Some("Pass") {
        // Present short participles («сообщаем», «доводим») are all but extinct and read
        // as first-person verbs; only the past ones («принято») make the passive.
        return tag.feat("Tense") != Some("Pres");
    }
    // OpenCorpora lists many short participles also as short adjectives of a participial
    // lemma («принято» → «принятый»); the suffix of that lemma is what makes them passive.
    tag.pos() == "ADJ" && ["нный", "ённый", "тый"].iter().any(|suffix| analysis.lemma.ends_with(suffix))
}

/// Verbal nouns by the suffix of the lemma. The dictionary has no derivation links, so this
/// is the one heuristic layer over it; the suffixes are the productive ones for action nouns.
pub(crate) fn is_verbal_noun(lemma: &str) -> bool {
    const SUFFIXES: [&str; 5] = ["ание", "ение", "тие", "ация", "яция"];
    // Words with the suffix that name a thing or a body, not an action.
    const EXCEPTIONS: [&str; 14] = [
        "здание",
        "знание",
        "задание",
        "заявление",
        "отделение",
        "учреждение",
        "положение",
        "значение",
        "информация",
        "ситуация",
        "организация",
        "администрация",
        "документация",
        "федерация",
    ];
    SUFFIXES.iter().any(|suffix| lemma.ends_with(suffix)) && !EXCEPTIONS.contains(&lemma)
}

/// The form of `verb` (an infinitive) that matches the grammar of `like` (a form of another
/// verb): «осуществляет» + «проверять» → «проверяет». `None` when the dictionary cannot say.
pub(crate) fn inflect_like(verb: &str, like: &str) -> Option<String> {
    let dict = dictionary()?;
    let source = dict.analyze(like).into_iter().find(|a| dict.ud_tag(a.ud).is_some_and(|t| matches!(t.pos(), "VERB" | "AUX")))?;
    let tag = dict.ud_tag(source.ud)?;
    let target = dict.analyze(verb).into_iter().find(|a| a.lemma == verb && dict.ud_tag(a.ud).is_some_and(|t| t.pos() == "VERB"))?;
    let wanted: Vec<(&str, &str)> =
        tag.feats().filter(|(name, _)| matches!(*name, "VerbForm" | "Mood" | "Tense" | "Person" | "Number" | "Gender")).collect();
    let form = dict.inflect(&target, &wanted)?;
    Some(form.word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_of_common_forms() {
        assert!(word_info("обеспечения").has(flag::CAN_GEN));
        assert!(word_info("обеспечения").has(flag::VERBAL_NOUN));
        assert!(word_info("принято").has(flag::SHORT_PASSIVE));
        assert!(!word_info("сообщаем").has(flag::SHORT_PASSIVE));
        assert!(!word_info("доводим").has(flag::SHORT_PASSIVE));
        assert!(word_info("рассматривается").has(flag::PASSIVE_VERB));
        assert!(word_info("комиссией").has(flag::CAN_INS));
        assert!(word_info("вам").has(flag::SECOND_PERSON));
        assert!(!word_info("заявление").has(flag::VERBAL_NOUN));
        for aux in ["был", "было", "будет", "будут", "быть"] {
            assert!(word_info(aux).has(flag::AUX), "{aux}");
        }
        for modal in ["можно", "должно", "обязан", "может", "вправе", "необходимо"] {
            assert!(word_info(modal).has(flag::MODAL), "{modal}");
        }
        assert!(word_info("обязан").has(flag::SHORT_ADJ));
        assert!(!word_info("решено").has(flag::SHORT_ADJ));
        assert!(!word_info("проверяет").has(flag::MODAL));
    }

    #[test]
    fn inflects_a_replacement_like_the_light_verb() {
        assert_eq!(inflect_like("проверять", "осуществляет").as_deref(), Some("проверяет"));
        assert_eq!(inflect_like("проверять", "осуществлять").as_deref(), Some("проверять"));
    }
}
