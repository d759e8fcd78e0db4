//! Long paragraphs. A wall of text hides the one sentence the reader came for; a paragraph
//! should hold one thought (`limits.paragraph_words`, `limits.paragraph_sentences`).

use crate::config::Config;
use crate::report::{Family, Severity};
use crate::rules::{Hit, Rule};
use crate::text::Text;

pub(crate) struct LongParagraph;

impl Rule for LongParagraph {
    fn id(&self) -> &'static str {
        "length.paragraph"
    }

    fn family(&self) -> Family {
        Family::Length
    }

    fn severity(&self) -> Severity {
        Severity::Info
    }

    fn check(&self, text: &Text, config: &Config, out: &mut Vec<Hit>) {
        let limits = &config.limits;
        for paragraph in &text.paragraphs {
            let sentences = paragraph.sentences.len();
            if paragraph.words > limits.paragraph_words || sentences > limits.paragraph_sentences {
                // Point at the first sentence only: a highlight over the whole paragraph
                // would hide every other finding in it.
                let first = &text.sentences[paragraph.sentences.start];
                out.push(Hit::new(
                    first.start,
                    first.end,
                    format!(
                        "Длинный абзац: {} слов, {sentences} предложений. Оставьте в абзаце одну мысль — до {} слов и {} предложений.",
                        paragraph.words, limits.paragraph_words, limits.paragraph_sentences
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::spans;

    #[test]
    fn bad() {
        let text = "Мы приняли заявление. ".repeat(7);
        assert_eq!(spans(&LongParagraph, &text), ["Мы приняли заявление."]);
    }

    #[test]
    fn good() {
        let text = "Мы приняли заявление. ".repeat(3) + "\n\n" + &"Ответим за 10 дней. ".repeat(3);
        assert!(spans(&LongParagraph, &text).is_empty());
    }
}
