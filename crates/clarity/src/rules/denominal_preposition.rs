//! Denominal prepositions («в целях», «в рамках», «в соответствии с»): nouns pressed into
//! service as prepositions. They lengthen the sentence and pull the verbs that follow into
//! nouns («в целях обеспечения»); a short preposition or conjunction says the same.

use std::sync::OnceLock;

use crate::config::Config;
use crate::lexicon::PhraseList;
use crate::report::{Family, Severity};
use crate::rules::{Hit, Rule};
use crate::text::Text;

/// (phrase, plainer words, whether they replace the phrase as is). Most plain prepositions
/// govern another case («в соответствии с пунктом» → «по пункту»), so the replacement is
/// offered as a suggestion only where the words after it can stay as they are.
static PHRASES: &[Entry] = &[
    ("в целях", Some("чтобы"), false),
    ("с целью", Some("чтобы"), false),
    ("в рамках", Some("в"), false),
    ("в соответствии с", Some("по"), false),
    ("в соответствии со", Some("по"), false),
    ("согласно с", Some("по"), false),
    ("в связи с", Some("из-за"), false),
    ("в связи со", Some("из-за"), false),
    ("по причине", Some("из-за"), true),
    ("вследствие", Some("из-за"), true),
    ("ввиду", Some("из-за"), true),
    ("в отношении", Some("о"), false),
    ("в части", Some("о"), false),
    ("по вопросу", Some("о"), false),
    ("по вопросам", Some("о"), false),
    ("в случае", Some("если"), false),
    ("в случае если", Some("если"), true),
    ("при условии", Some("если"), false),
    ("в ходе", Some("во время"), true),
    ("в процессе", Some("во время"), true),
    ("в период", Some("во время"), true),
    ("в течение", None, false),
    ("на основании", Some("по"), false),
    ("на основе", Some("по"), false),
    ("посредством", Some("через"), false),
    ("путем", None, false),
    ("в адрес", None, false),
    ("в порядке", None, false),
    ("в целях обеспечения", Some("чтобы обеспечить"), false),
    ("в целях реализации", Some("чтобы выполнить"), false),
    ("по истечении", Some("после"), true),
    ("по завершении", Some("после"), true),
    ("по окончании", Some("после"), true),
    ("в результате", Some("после"), false),
    ("за счет средств", None, false),
    ("со стороны", None, false),
    ("на предмет", None, false),
    ("в интересах", Some("для"), true),
];

type Entry = (&'static str, Option<&'static str>, bool);

pub(crate) struct DenominalPreposition;

fn list() -> &'static PhraseList<Entry> {
    static LIST: OnceLock<PhraseList<Entry>> = OnceLock::new();
    LIST.get_or_init(|| PhraseList::new(PHRASES, |(phrase, _, _)| phrase))
}

impl Rule for DenominalPreposition {
    fn id(&self) -> &'static str {
        "bureaucratese.denominal_preposition"
    }

    fn family(&self) -> Family {
        Family::Bureaucratese
    }

    fn severity(&self) -> Severity {
        Severity::Warning
    }

    fn check(&self, text: &Text, _config: &Config, out: &mut Vec<Hit>) {
        for (start, end, (phrase, replacement, exact)) in list().find(&text.lower) {
            let message = match replacement {
                Some(plain) => format!("Отымённый предлог «{phrase}» утяжеляет фразу: попробуйте «{plain}»."),
                None => format!("Отымённый предлог «{phrase}» утяжеляет фразу: скажите проще или перестройте предложение."),
            };
            let suggestion = replacement.filter(|_| *exact).map(|plain| keep_capital(&text.source[start..end], plain));
            out.push(Hit::new(start, end, message).suggest(suggestion));
        }
    }
}

/// The replacement with a capital letter when the replaced text starts with one.
pub(crate) fn keep_capital(replaced: &str, replacement: &str) -> String {
    if replaced.chars().next().is_some_and(char::is_uppercase) {
        let mut chars = replacement.chars();
        chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
    } else {
        replacement.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{hits, spans};

    #[test]
    fn bad() {
        assert_eq!(
            hits(&DenominalPreposition, "В целях экономии работа ведётся в рамках проекта."),
            vec![("В целях".into(), None), ("в рамках".into(), None)]
        );
        assert_eq!(spans(&DenominalPreposition, "Действуем в соответствии с законом."), ["в соответствии с"]);
        assert_eq!(hits(&DenominalPreposition, "Ввиду болезни приём отменён."), vec![("Ввиду".into(), Some("Из-за".into()))]);
        assert_eq!(spans(&DenominalPreposition, "В целях обеспечения безопасности"), ["В целях обеспечения"]);
    }

    #[test]
    fn good() {
        assert!(spans(&DenominalPreposition, "Чтобы сэкономить, работаем по закону.").is_empty());
        assert!(spans(&DenominalPreposition, "Мы в целости и сохранности. Рамка в рамках.").len() == 1);
    }
}
