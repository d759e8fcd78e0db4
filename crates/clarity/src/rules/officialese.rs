//! Officialese words (канцеляризмы): bookish words with an everyday equivalent. Matched by
//! lemma, so every form of the word is caught («данного», «являются»).

use std::sync::OnceLock;

use crate::config::Config;
use crate::lexicon::LemmaTable;
use crate::report::{Family, Severity};
use crate::rules::denominal_preposition::keep_capital;
use crate::rules::{Hit, Rule};
use crate::text::Text;

/// (lemma, plain word, whether the plain word fits as a drop-in replacement of this form).
static WORDS: &[(&str, &str, bool)] = &[
    ("данный", "этот", false),
    ("вышеуказанный", "этот", false),
    ("вышеназванный", "этот", false),
    ("вышеперечисленный", "эти", false),
    ("вышеизложенный", "сказанное", false),
    ("нижеследующий", "следующий", false),
    ("нижеподписавшийся", "я", false),
    ("являться", "быть (или тире)", false),
    ("осуществлять", "делать, вести", false),
    ("осуществить", "сделать", false),
    ("производить", "делать", false),
    ("произвести", "сделать", false),
    ("функционировать", "работать", false),
    ("уведомлять", "сообщать", false),
    ("уведомить", "сообщить", false),
    ("информировать", "сообщать", false),
    ("проинформировать", "сообщить", false),
    ("надлежащий", "нужный", false),
    ("незамедлительно", "сразу", true),
    ("безотлагательно", "сразу", true),
    ("посредством", "через", true),
    ("ежегодно", "каждый год", true),
    ("ежемесячно", "каждый месяц", true),
    ("ежедневно", "каждый день", true),
    ("дабы", "чтобы", true),
    ("впоследствии", "потом", true),
    ("вышеупомянутый", "этот", false),
    ("оный", "этот", false),
    ("таковой", "такой", false),
    ("надлежит", "нужно", true),
    ("необходимо", "нужно", true),
];

pub(crate) fn lemmas() -> impl Iterator<Item = &'static str> {
    WORDS.iter().map(|(lemma, _, _)| *lemma)
}

pub(crate) struct Officialese;

fn table() -> &'static LemmaTable<(&'static str, &'static str, bool)> {
    static TABLE: OnceLock<LemmaTable<(&'static str, &'static str, bool)>> = OnceLock::new();
    TABLE.get_or_init(|| LemmaTable::new(WORDS, |(lemma, _, _)| lemma))
}

impl Rule for Officialese {
    fn id(&self) -> &'static str {
        "bureaucratese.officialese"
    }

    fn family(&self) -> Family {
        Family::Bureaucratese
    }

    fn severity(&self) -> Severity {
        Severity::Info
    }

    fn check(&self, text: &Text, _config: &Config, out: &mut Vec<Hit>) {
        let table = table();
        for (index, token) in text.tokens.iter().enumerate() {
            let Some((lemma, plain, exact)) = table.get(token.info.lemma) else { continue };
            // «осуществлять проведение» is the split-predicate rule's: one finding per place.
            if crate::rules::split_predicate::is_light_verb_pair(text, index) {
                continue;
            }
            let form = text.form(index);
            let suggestion = exact.then(|| keep_capital(form, plain));
            out.push(Hit::new(token.start, token.end, format!("Канцелярское слово «{lemma}»: проще — «{plain}».")).suggest(suggestion));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{hits, spans};

    #[test]
    fn bad() {
        assert_eq!(spans(&Officialese, "Данный документ является основанием."), ["Данный", "является"]);
        assert_eq!(hits(&Officialese, "Сообщите незамедлительно."), vec![("незамедлительно".into(), Some("сразу".into()))]);
        assert_eq!(spans(&Officialese, "В данного рода случаях"), ["данного"]);
    }

    #[test]
    fn good() {
        assert!(spans(&Officialese, "Этот документ — основание. Сообщите сразу.").is_empty());
    }
}
