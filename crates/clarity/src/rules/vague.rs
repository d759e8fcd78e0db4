//! Vague words: they promise a fact and do not give it («ряд документов», «в определённых
//! случаях», «в кратчайшие сроки»). The reader cannot act on them; a number, a date or a list
//! can be acted on.

use std::sync::OnceLock;

use crate::config::Config;
use crate::lexicon::{LemmaTable, PhraseList};
use crate::report::{Family, Severity};
use crate::rules::{Hit, Rule};
use crate::text::Text;

/// (lemma, what to say instead).
static WORDS: &[(&str, &str)] = &[
    ("ряд", "сколько именно и какие"),
    ("некоторый", "какие именно"),
    ("определенный", "какой именно"),
    ("определённый", "какой именно"),
    ("соответствующий", "какой именно"),
    ("различный", "какие именно"),
    ("иной", "какие именно"),
    ("прочий", "какие именно"),
    ("своевременно", "к какому сроку"),
    ("оперативно", "за какой срок"),
    ("периодически", "как часто"),
    ("регулярно", "как часто"),
    ("достаточно", "сколько именно"),
    ("значительный", "сколько именно"),
    ("существенный", "сколько именно"),
    ("определенно", "что именно"),
    ("необходимый", "какой именно"),
    ("соответственно", "что с чем соотносится"),
    ("некий", "какой именно"),
];

static PHRASES: &[(&str, &str)] = &[
    ("и т. д.", "перечислите всё или скажите «например»"),
    ("и т.д.", "перечислите всё или скажите «например»"),
    ("и т. п.", "перечислите всё или скажите «например»"),
    ("и т.п.", "перечислите всё или скажите «например»"),
    ("и др.", "перечислите всё или скажите «например»"),
    ("и прочее", "перечислите всё или скажите «например»"),
    ("в кратчайшие сроки", "назовите срок"),
    ("в ближайшее время", "назовите срок"),
    ("при необходимости", "скажите, когда именно"),
    ("в случае необходимости", "скажите, когда именно"),
    ("по возможности", "скажите, что будет, если нельзя"),
    ("по мере возможности", "скажите, что будет, если нельзя"),
    ("в целом", "уберите или уточните"),
    ("в определенных случаях", "назовите случаи"),
    ("в отдельных случаях", "назовите случаи"),
];

pub(crate) fn lemmas() -> impl Iterator<Item = &'static str> {
    WORDS.iter().map(|(lemma, _)| *lemma)
}

pub(crate) struct Vague;

fn table() -> &'static LemmaTable<(&'static str, &'static str)> {
    static TABLE: OnceLock<LemmaTable<(&'static str, &'static str)>> = OnceLock::new();
    TABLE.get_or_init(|| LemmaTable::new(WORDS, |(lemma, _)| lemma))
}

fn phrases() -> &'static PhraseList<(&'static str, &'static str)> {
    static LIST: OnceLock<PhraseList<(&'static str, &'static str)>> = OnceLock::new();
    LIST.get_or_init(|| PhraseList::new(PHRASES, |(phrase, _)| phrase))
}

impl Rule for Vague {
    fn id(&self) -> &'static str {
        "vague.word"
    }

    fn family(&self) -> Family {
        Family::Vague
    }

    fn severity(&self) -> Severity {
        Severity::Info
    }

    fn check(&self, text: &Text, _config: &Config, out: &mut Vec<Hit>) {
        let table = table();
        let mut found: Vec<Hit> = phrases()
            .find(&text.lower)
            .map(|(start, end, (phrase, advice))| Hit::new(start, end, format!("Расплывчато: «{phrase}» — {advice}.")))
            .collect();
        for (index, token) in text.tokens.iter().enumerate() {
            let Some((_, advice)) = table.get(token.info.lemma) else { continue };
            if found.iter().any(|hit| hit.start <= token.start && token.end <= hit.end) {
                continue;
            }
            found.push(Hit::new(token.start, token.end, format!("Расплывчатое слово «{}»: уточните — {advice}.", text.form(index))));
        }
        found.sort_by_key(|hit| hit.start);
        out.extend(found);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::spans;

    #[test]
    fn bad() {
        assert_eq!(spans(&Vague, "Приложите ряд документов в кратчайшие сроки."), ["ряд", "в кратчайшие сроки"]);
        assert_eq!(spans(&Vague, "Паспорт, СНИЛС и т. д."), ["и т. д."]);
        assert_eq!(spans(&Vague, "Примем соответствующие меры."), ["соответствующие"]);
    }

    #[test]
    fn good() {
        assert!(spans(&Vague, "Приложите паспорт и СНИЛС до 15 марта.").is_empty());
    }
}
