//! Officialese words (канцеляризмы): bookish words with an everyday equivalent. Matched by
//! lemma, so every form of the word is caught («данного», «являются»).
//!
//! Two words are looked at in context:
//! - «составлять» is officialese only where it means «is» before an amount («срок составляет
//!   7 дней», «размер пособия составляет не более 5000 рублей»: «срок — 7 дней»). «Составить
//!   протокол» or «составьте список» is the ordinary verb and is left alone.
//! - «необходимо» is not listed. In an instruction («необходимо подать заявление») it is an
//!   ordinary way to say «нужно», and plain-language guides do not ask to change it; its
//!   attributive use («необходимые документы») is the vague rule's business.
//!
//! «Ежемесячно», «ежегодно» and «ежедневно» are not listed either: they are neutral words,
//! not bookish ones, and everyday speech uses them.

use std::sync::OnceLock;

use crate::config::Config;
use crate::lexicon::LemmaTable;
use crate::morph::flag;
use crate::report::{Family, Severity};
use crate::rules::denominal_preposition::keep_capital;
use crate::rules::{Hit, Rule};
use crate::text::{Kind, Text};

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
    ("дабы", "чтобы", true),
    ("впоследствии", "потом", true),
    ("вышеупомянутый", "этот", false),
    ("оный", "этот", false),
    ("таковой", "такой", false),
    ("надлежит", "нужно", true),
    ("составлять", "тире: «срок — 7 дней»", false),
    ("составить", "тире: «сумма — 500 рублей»", false),
];

/// Words that may stand between «составляет» and its amount («составляет не более 7 дней»).
const BEFORE_AMOUNT: [&str; 10] = ["не", "более", "менее", "около", "свыше", "до", "от", "примерно", "почти", "всего"];

/// Whether the verb at `index` is followed by an amount: a number or a numeral, after at most
/// two words of `BEFORE_AMOUNT`.
fn before_an_amount(text: &Text, index: usize) -> bool {
    for next in (index + 1..text.tokens.len()).take(3) {
        let token = &text.tokens[next];
        if token.kind == Kind::Number || token.info.has(flag::NUM) {
            return true;
        }
        if token.kind == Kind::Mark || !BEFORE_AMOUNT.contains(&text.lower(next)) {
            return false;
        }
    }
    false
}

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
            if lemma.starts_with("состав") && !before_an_amount(text, index) {
                continue;
            }
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
    fn amounts_made_of_составляет() {
        assert_eq!(spans(&Officialese, "Срок предоставления услуги составляет не более 7 рабочих дней."), ["составляет"]);
        assert_eq!(spans(&Officialese, "Размер пособия составит 5000 рублей."), ["составит"]);
        assert_eq!(spans(&Officialese, "Задолженность составляет двенадцать тысяч рублей."), ["составляет"]);
    }

    #[test]
    fn good() {
        assert!(spans(&Officialese, "Этот документ — основание. Сообщите сразу.").is_empty());
        // The ordinary verb, and ordinary words.
        assert!(spans(&Officialese, "Инспектор составил протокол. Составьте список документов.").is_empty());
        assert!(spans(&Officialese, "Пособие платят ежемесячно.").is_empty());
        assert!(spans(&Officialese, "Чтобы получить выплату, необходимо подать заявление.").is_empty());
    }
}
