//! Denominal prepositions («в целях», «в рамках», «в соответствии с»): nouns pressed into
//! service as prepositions. They lengthen the sentence and pull the verbs that follow into
//! nouns («в целях обеспечения»); a short preposition or conjunction says the same.
//!
//! «В течение» is looked at in context. Before a stretch of time («в течение 30 дней», «в
//! течение месяца», «в течение всего срока действия договора») it is the ordinary way to say
//! «for», and in law a term of art: plain-language guides keep it. Only before an action
//! («в течение рассмотрения заявления», «в течение проведения проверки») is it a noun pressed
//! into service, and «пока» or «во время» says it better. The morphology decides: the first
//! noun after it must be a verbal noun.

use std::sync::OnceLock;

use crate::config::Config;
use crate::lexicon::PhraseList;
use crate::morph::flag;
use crate::report::{Family, Severity};
use crate::rules::{Hit, Rule};
use crate::text::{Kind, Text};

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
    ("в течение", Some("пока, во время"), false),
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
    ("по результатам", Some("после"), false),
    ("в сфере", Some("в"), false),
    ("с учетом", Some("учитывая"), false),
    ("при наличии", Some("если есть"), false),
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
            if *phrase == "в течение" && !before_an_action(text, end) {
                continue;
            }
            let message = match replacement {
                Some(plain) => format!("Отымённый предлог «{phrase}» утяжеляет фразу: попробуйте «{plain}»."),
                None => format!("Отымённый предлог «{phrase}» утяжеляет фразу: скажите проще или перестройте предложение."),
            };
            let suggestion = replacement.filter(|_| *exact).map(|plain| keep_capital(&text.source[start..end], plain));
            out.push(Hit::new(start, end, message).suggest(suggestion));
        }
    }
}

/// Whether the noun group after «в течение» (ending at byte `end`) names an action, not a
/// stretch of time: its first noun is a verbal noun («в течение рассмотрения»). A number
/// («в течение 30 дней»), a time noun («месяца») or anything else means time.
fn before_an_action(text: &Text, end: usize) -> bool {
    let first = text.tokens.partition_point(|t| t.start < end);
    for token in text.tokens.iter().skip(first).take(4) {
        if token.kind != Kind::Word {
            return false;
        }
        let info = token.info;
        if info.has(flag::NOUN) {
            return info.has(flag::VERBAL_NOUN);
        }
        // «всего», «этого», «указанного», «установленного»: words before the noun.
        if !(info.has(flag::ADJ) || info.has(flag::PRON) || info.has(flag::PARTICIPLE)) {
            return false;
        }
    }
    false
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
    fn results_and_spheres() {
        assert_eq!(hits(&DenominalPreposition, "По результатам проверки нарушений нет."), vec![("По результатам".into(), None)]);
        assert_eq!(spans(&DenominalPreposition, "Контроль в сфере благоустройства."), ["в сфере"]);
    }

    #[test]
    fn during_an_action_is_bureaucratese() {
        assert_eq!(spans(&DenominalPreposition, "В течение рассмотрения заявления выплата не прекращается."), ["В течение"]);
        assert_eq!(spans(&DenominalPreposition, "в течение всего периода проведения проверки"), Vec::<String>::new());
        assert_eq!(spans(&DenominalPreposition, "в течение проведения плановой проверки"), ["в течение"]);
    }

    #[test]
    fn during_a_stretch_of_time_is_plain() {
        for text in [
            "Мы ответим в течение 10 рабочих дней.",
            "Подайте заявление в течение шести месяцев после рождения сына.",
            "После этого мы вернём деньги в течение месяца.",
            "Выписку выдают в течение трёх рабочих дней.",
            "В течение всего срока действия договора платите вовремя.",
            "Заявление рассматривается в течение установленного срока.",
            "в течение года",
            "в течение",
        ] {
            assert!(spans(&DenominalPreposition, text).is_empty(), "{text}");
        }
    }

    #[test]
    fn taking_into_account() {
        assert_eq!(spans(&DenominalPreposition, "Пенсия пересчитана с учётом индексации."), ["с учётом"]);
        assert!(spans(&DenominalPreposition, "Мы учли индексацию.").is_empty());
        assert_eq!(spans(&DenominalPreposition, "Участок дают бесплатно при наличии трёх детей."), ["при наличии"]);
        assert!(spans(&DenominalPreposition, "Участок дают бесплатно, если в семье трое детей.").is_empty());
    }

    #[test]
    fn good() {
        assert!(spans(&DenominalPreposition, "Чтобы сэкономить, работаем по закону.").is_empty());
        assert!(spans(&DenominalPreposition, "Мы в целости и сохранности. Рамка в рамках.").len() == 1);
    }
}
