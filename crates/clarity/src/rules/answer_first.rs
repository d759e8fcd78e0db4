//! The answer not first: a reply that opens with its grounds («Рассмотрев ваше обращение…»,
//! «В соответствии с…») makes the citizen read the preamble to find the decision. Plain
//! language puts the decision first and the grounds after it. Document level: looks at the
//! first sentence after the greeting.
//!
//! A reply (a letter, `kind = "letter"`, or any text that speaks to its reader: «вы», «ваш»,
//! «подайте») is held to every opening below. Another text, a notice or an order, only to a
//! legal basis («В соответствии с Федеральным законом … приказываю:», «На основании …»),
//! which puts a list of acts before the decision. A notice that gives its cause or purpose in
//! the same breath as its news («В связи с ремонтом водопровода 5 июня воды не будет») is
//! left alone.

use crate::config::{Config, DocumentKind};
use crate::morph::flag;
use crate::report::{Family, Severity};
use crate::rules::{Hit, Rule};
use crate::text::Text;

pub(crate) struct AnswerNotFirst;

/// Openings of a preamble (lower case, «е» for «ё»).
const PREAMBLES: [&str; 17] = [
    "рассмотрев",
    "в соответствии с",
    "в соответствии со",
    "на основании",
    "согласно",
    "руководствуясь",
    "в ответ на",
    "в связи с",
    "по результатам рассмотрения",
    "учитывая",
    "принимая во внимание",
    "в целях",
    "в рамках",
    "ваше обращение рассмотрено",
    "ваше заявление рассмотрено",
    "изучив",
    "в порядке",
];

/// The openings that name a legal basis: held against any text, not only replies.
const LEGAL_BASIS: [&str; 5] = ["в соответствии с", "в соответствии со", "на основании", "согласно", "руководствуясь"];

/// Greetings and headings that come before the first real sentence.
const GREETINGS: [&str; 6] = ["уважаем", "здравствуйте", "добрый день", "добрый вечер", "доброе утро", "дорог"];

/// A sentence shorter than this is a heading or a salutation, not the answer.
const MIN_WORDS: usize = 4;

impl Rule for AnswerNotFirst {
    fn id(&self) -> &'static str {
        "structure.answer_not_first"
    }

    fn family(&self) -> Family {
        Family::Structure
    }

    fn severity(&self) -> Severity {
        Severity::Warning
    }

    fn check(&self, text: &Text, config: &Config, out: &mut Vec<Hit>) {
        let reply = config.kind == DocumentKind::Letter || text.tokens.iter().any(|t| t.info.has(flag::SECOND_PERSON));
        let first = text.sentences.iter().find(|sentence| {
            let lower = &text.lower[sentence.start..sentence.end];
            sentence.words >= MIN_WORDS && !GREETINGS.iter().any(|g| lower.starts_with(g))
        });
        let Some(sentence) = first else { return };
        let lower = &text.lower[sentence.start..sentence.end];
        let Some(preamble) =
            PREAMBLES.iter().find(|p| lower.starts_with(*p) && lower[p.len()..].starts_with(|c: char| !c.is_alphanumeric()))
        else {
            return;
        };
        if !reply && !LEGAL_BASIS.contains(preamble) {
            return;
        }
        let end = sentence.start + preamble.len();
        out.push(Hit::new(
            sentence.start,
            end,
            "Ответ не в начале: текст открывается обоснованием. Начните с решения — что вы сделали или что получит читатель, — а основания дайте после.",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{hits_with, spans};

    #[test]
    fn bad() {
        assert_eq!(
            spans(&AnswerNotFirst, "Уважаемый Иван Иванович!\n\nРассмотрев ваше обращение, сообщаем, что в выдаче разрешения отказано."),
            ["Рассмотрев"]
        );
        assert_eq!(spans(&AnswerNotFirst, "В соответствии с регламентом ваше заявление отклонено."), ["В соответствии с"]);
    }

    #[test]
    fn a_letter_need_not_say_вы_to_be_a_reply() {
        let letter = Config { kind: DocumentKind::Letter, ..Config::default() };
        let found = hits_with(&AnswerNotFirst, "Уважаемый заявитель!\n\nНа основании пункта 5 регламента заявление возвращено.", &letter);
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn notices_may_give_their_cause_first() {
        assert!(spans(&AnswerNotFirst, "В связи с ремонтом водопровода 5 июня воды не будет. Справки по телефону 2-34-56.").is_empty());
        assert!(spans(&AnswerNotFirst, "В целях обеспечения безопасности закрыть проезд по улице Мира.").is_empty());
    }

    #[test]
    fn any_text_that_opens_with_its_legal_basis() {
        assert_eq!(
            spans(&AnswerNotFirst, "В соответствии с Уставом города приказываю: 1. Утвердить порядок приёма граждан."),
            ["В соответствии с"]
        );
    }

    #[test]
    fn good() {
        assert!(spans(&AnswerNotFirst, "Уважаемый Иван Иванович!\n\nМы выдали вам разрешение. Оно действует год, согласно регламенту.")
            .is_empty());
    }
}
