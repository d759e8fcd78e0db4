//! Long sentences. Past about 25 words a reader forgets the start before reaching the end;
//! the limit is `limits.sentence_words`.

use crate::config::Config;
use crate::report::{Family, Severity};
use crate::rules::{Hit, Rule};
use crate::text::Text;

pub(crate) struct LongSentence;

impl Rule for LongSentence {
    fn id(&self) -> &'static str {
        "length.sentence"
    }

    fn family(&self) -> Family {
        Family::Length
    }

    fn severity(&self) -> Severity {
        Severity::Warning
    }

    fn check(&self, text: &Text, config: &Config, out: &mut Vec<Hit>) {
        let limit = config.limits.sentence_words;
        for sentence in &text.sentences {
            if sentence.words > limit {
                out.push(Hit::new(
                    sentence.start,
                    sentence.end,
                    format!("Длинное предложение: {} слов при норме до {limit}. Разделите его на два-три.", sentence.words),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::rules::testing::{hits_with, spans};

    #[test]
    fn bad() {
        let long = "Слово ".repeat(30) + "конец.";
        assert_eq!(spans(&LongSentence, &long).len(), 1);
        let strict = Config { limits: crate::config::Limits { sentence_words: 3, ..Default::default() }, ..Config::default() };
        assert_eq!(hits_with(&LongSentence, "Мы приняли ваше заявление.", &strict).len(), 1);
    }

    #[test]
    fn good() {
        assert!(spans(&LongSentence, "Мы приняли заявление. Ответим за 10 дней.").is_empty());
    }
}
