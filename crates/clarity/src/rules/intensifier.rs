//! Evaluations and intensifiers: words that praise or insist instead of informing
//! («эффективный», «крайне», «уникальный»). A public body's text gives facts; the reader
//! makes the judgement.

use std::sync::OnceLock;

use crate::config::Config;
use crate::lexicon::LemmaTable;
use crate::report::{Family, Severity};
use crate::rules::{Hit, Rule};
use crate::text::Text;

/// (lemma, true when the word only intensifies and can simply go).
static WORDS: &[(&str, bool)] = &[
    ("очень", true),
    ("крайне", true),
    ("весьма", true),
    ("чрезвычайно", true),
    ("максимально", true),
    ("абсолютно", true),
    ("безусловно", true),
    ("несомненно", true),
    ("исключительно", true),
    ("особо", true),
    ("огромный", false),
    ("колоссальный", false),
    ("беспрецедентный", false),
    ("уникальный", false),
    ("эффективный", false),
    ("эффективно", false),
    ("качественный", false),
    ("качественно", false),
    ("высококвалифицированный", false),
    ("инновационный", false),
    ("современный", false),
    ("успешно", true),
    ("активно", true),
    ("динамично", true),
    ("лучший", false),
    ("передовой", false),
    ("всесторонний", false),
    ("широчайший", false),
    ("важнейший", false),
    // Praise of a body's own work.
    ("слаженный", false),
    ("слаженно", false),
    ("плодотворный", false),
    ("безупречный", false),
    ("образцовый", false),
    ("высокопрофессиональный", false),
];

pub(crate) fn lemmas() -> impl Iterator<Item = &'static str> {
    WORDS.iter().map(|(lemma, _)| *lemma)
}

pub(crate) struct Intensifier;

fn table() -> &'static LemmaTable<(&'static str, bool)> {
    static TABLE: OnceLock<LemmaTable<(&'static str, bool)>> = OnceLock::new();
    TABLE.get_or_init(|| LemmaTable::new(WORDS, |(lemma, _)| lemma))
}

impl Rule for Intensifier {
    fn id(&self) -> &'static str {
        "evaluation.intensifier"
    }

    fn family(&self) -> Family {
        Family::Evaluation
    }

    fn severity(&self) -> Severity {
        Severity::Info
    }

    fn check(&self, text: &Text, _config: &Config, out: &mut Vec<Hit>) {
        let table = table();
        for (index, token) in text.tokens.iter().enumerate() {
            let Some((_, only_intensifies)) = table.get(token.info.lemma) else { continue };
            let form = text.form(index);
            let hit = if *only_intensifies {
                Hit::new(token.start, token.end, format!("Усилитель «{form}» ничего не добавляет: уберите его."))
            } else {
                Hit::new(token.start, token.end, format!("Оценка «{form}»: замените фактом — цифрой, сроком, результатом."))
            };
            out.push(hit);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::spans;

    #[test]
    fn bad() {
        assert_eq!(spans(&Intensifier, "Это крайне важная и эффективная программа."), ["крайне", "эффективная"]);
        assert_eq!(spans(&Intensifier, "Уникальных решений много."), ["Уникальных"]);
        assert_eq!(spans(&Intensifier, "Благодаря слаженной работе служб дворы убрали."), ["слаженной"]);
    }

    #[test]
    fn good() {
        assert!(spans(&Intensifier, "Программа сократила очередь с 10 до 3 дней.").is_empty());
    }
}
