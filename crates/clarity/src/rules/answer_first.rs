//! The answer not first: a reply that opens with its grounds («Рассмотрев ваше обращение…»,
//! «В соответствии с…») makes the citizen read the preamble to find the decision. Plain
//! language puts the decision first and the grounds after it. Document level: looks at the
//! first sentence after the greeting.

use crate::config::Config;
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

    fn check(&self, text: &Text, _config: &Config, out: &mut Vec<Hit>) {
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
    use crate::rules::testing::spans;

    #[test]
    fn bad() {
        assert_eq!(
            spans(&AnswerNotFirst, "Уважаемый Иван Иванович!\n\nРассмотрев ваше обращение, сообщаем, что в выдаче разрешения отказано."),
            ["Рассмотрев"]
        );
        assert_eq!(spans(&AnswerNotFirst, "В соответствии с регламентом ваше заявление отклонено."), ["В соответствии с"]);
    }

    #[test]
    fn good() {
        assert!(spans(&AnswerNotFirst, "Уважаемый Иван Иванович!\n\nМы выдали вам разрешение. Оно действует год, согласно регламенту.")
            .is_empty());
    }
}
