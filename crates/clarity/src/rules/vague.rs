//! Vague words: they promise a fact and do not give it («ряд документов», «в определённых
//! случаях», «в кратчайшие сроки»). The reader cannot act on them; a number, a date or a list
//! can be acted on.
//!
//! Two entries look at their context:
//! - «необходимый» is vague only as a qualifier that hides a list («представьте необходимые
//!   документы»: which?). The short form is an obligation, not a vague word («необходимо
//!   подать заявление», «необходима справка»), and a list that is named or follows
//!   («перечень необходимых документов», «необходимые документы: паспорт, …») is given.
//! - «в установленный срок» is vague when the reader is not told the date: not when the same
//!   paragraph, up to the end of its sentence, gives a deadline («до 01.06.2026», «в течение
//!   10 дней»).
//! - «дополнительно» is vague after a verb of telling («сообщим дополнительно», «будет
//!   доведена до сведения дополнительно»): it means «later» without saying when. Before the
//!   verb («Дополнительно сообщаем, что …») or elsewhere («дополнительно приложите справку»)
//!   it means «also» and is left alone.

use std::sync::OnceLock;

use crate::config::Config;
use crate::lexicon::{LemmaTable, PhraseList};
use crate::morph::flag;
use crate::report::{Family, Severity};
use crate::rules::{Hit, Rule};
use crate::text::{Kind, Text};

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
    ("дополнительно", "когда именно"),
    ("дополнительный", "когда именно"),
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
    ("в установленный срок", "назовите дату"),
    ("в установленные сроки", "назовите даты"),
];

/// Stems of verbs of telling, after which «дополнительно» means «later, date unknown».
const TELLING: [&str; 8] = ["сообщ", "довед", "довод", "довес", "информир", "уведом", "извест", "извещ"];

/// Whether «дополнительно» at `index` comes at most four words after a verb of telling, with
/// no punctuation between, and the sentence gives no deadline.
fn later_without_a_date(text: &Text, index: usize) -> bool {
    let Some(sentence) = text.sentence_at(text.tokens[index].start) else { return false };
    let range = text.sentences[sentence].tokens.clone();
    let near = |step: &mut dyn Iterator<Item = usize>| {
        step.take(4)
            .take_while(|&i| range.contains(&i) && text.tokens[i].kind == Kind::Word)
            .any(|i| TELLING.iter().any(|stem| text.lower(i).starts_with(stem)))
    };
    near(&mut (0..index).rev()) && !deadline_given(text, text.tokens[index].start)
}

/// Short forms of «необходимый»: an obligation («необходимо подать»), not a vague qualifier.
const SHORT_NECESSARY: [&str; 4] = ["необходимо", "необходима", "необходим", "необходимы"];

/// Whether an attributive «необходимый» at `index` points to a list the reader is given: the
/// word before it names the list («перечень», «список»), or a colon follows the noun group.
fn list_given(text: &Text, index: usize) -> bool {
    let named = index.checked_sub(1).is_some_and(|before| {
        let word = text.lower(before);
        text.tokens[before].kind == Kind::Word && (word.starts_with("перечен") || word.starts_with("списк") || word == "список")
    });
    let follows = (index + 1..text.tokens.len())
        .take(4)
        .map(|next| text.lower(next))
        .take_while(|w| !matches!(*w, "." | "," | ";"))
        .any(|w| w == ":");
    named || follows
}

/// Whether the paragraph holding byte `at`, from its start to the end of the sentence at
/// `at`, gives a deadline: «до» or «по» before a number, or «в течение» before a number or
/// a numeral.
fn deadline_given(text: &Text, at: usize) -> bool {
    let Some(sentence) = text.sentence_at(at) else { return false };
    let Some(paragraph) = text.paragraphs.iter().find(|p| p.sentences.contains(&sentence)) else { return false };
    let first = text.sentences[paragraph.sentences.start].tokens.start;
    let last = text.sentences[sentence].tokens.end;
    (first..last).any(|index| {
        let next_is_amount = |skip: usize| text.tokens.get(index + skip).is_some_and(|t| t.kind == Kind::Number || t.info.has(flag::NUM));
        match text.lower(index) {
            "до" | "по" => next_is_amount(1),
            "течение" => next_is_amount(1),
            _ => false,
        }
    })
}

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
            .filter(|(start, _, (phrase, _))| !phrase.starts_with("в установленн") || !deadline_given(text, *start))
            .map(|(start, end, (phrase, advice))| Hit::new(start, end, format!("Расплывчато: «{phrase}» — {advice}.")))
            .collect();
        for (index, token) in text.tokens.iter().enumerate() {
            let Some((lemma, advice)) = table.get(token.info.lemma) else { continue };
            if lemma.starts_with("дополнительн") && (text.lower(index) != "дополнительно" || !later_without_a_date(text, index))
            {
                continue;
            }
            if *lemma == "необходимый" && (SHORT_NECESSARY.contains(&text.lower(index)) || list_given(text, index)) {
                continue;
            }
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
    fn necessary_as_a_qualifier() {
        assert_eq!(spans(&Vague, "Представьте необходимые документы в отдел."), ["необходимые"]);
        assert_eq!(spans(&Vague, "Подготовка необходимых материалов займёт время."), ["необходимых"]);
    }

    #[test]
    fn necessary_as_an_obligation_or_with_its_list() {
        for text in [
            "Заявителю необходимо представить справку до 1 июня.",
            "По всем вопросам необходимо обращаться по телефону.",
            "Для записи необходима справка.",
            "Перечень необходимых документов размещён на сайте.",
            "Необходимые документы: паспорт и СНИЛС.",
        ] {
            assert!(spans(&Vague, text).is_empty(), "{text}");
        }
    }

    #[test]
    fn set_term_without_a_date() {
        assert_eq!(spans(&Vague, "Заявление рассмотрено в установленный срок."), ["в установленный срок"]);
        // The date is given in the same paragraph.
        assert!(
            spans(&Vague, "Представьте справку до 01.06.2026. Если не представите её в установленный срок, выплату остановят.").is_empty()
        );
        assert!(spans(&Vague, "Мы ответим в течение 10 дней, то есть в установленный срок.").is_empty());
        // Another paragraph does not count.
        assert_eq!(spans(&Vague, "Справка нужна до 01.06.2026.\n\nОтвет дадут в установленный срок."), ["в установленный срок"]);
    }

    #[test]
    fn later_without_a_date() {
        assert_eq!(spans(&Vague, "Информация будет доведена до сведения жителей дополнительно."), ["дополнительно"]);
        assert_eq!(spans(&Vague, "О дате приёма сообщим дополнительно."), ["дополнительно"]);
        // «Also», and a date given.
        assert!(spans(&Vague, "Дополнительно приложите справку о доходах.").is_empty());
        assert!(spans(&Vague, "Дополнительно доводим до вашего сведения, что решение можно обжаловать.").is_empty());
        assert!(spans(&Vague, "Дату сообщим дополнительно, до 1 июня.").is_empty());
    }

    #[test]
    fn good() {
        assert!(spans(&Vague, "Приложите паспорт и СНИЛС до 15 марта.").is_empty());
    }
}
