//! Stock phrases (штампы): ready-made formulas of official letters that carry no meaning of
//! their own. The reader skims them, and the message hides between them.

use std::sync::OnceLock;

use crate::config::Config;
use crate::lexicon::PhraseList;
use crate::report::{Family, Severity};
use crate::rules::denominal_preposition::keep_capital;
use crate::rules::{Hit, Rule};
use crate::text::Text;

/// (phrase in lower case with «е» for «ё», a replacement that fits as is). Phrases whose plain
/// version changes the grammar around them («является неотъемлемой частью» → «входит в»)
/// get no replacement, only the advice.
static PHRASES: &[(&str, Option<&str>)] = &[
    ("доводим до вашего сведения", Some("сообщаем")),
    ("сообщаем следующее", None),
    ("довожу до вашего сведения", Some("сообщаю")),
    ("довести до сведения", Some("сообщить")),
    ("доведено до сведения", Some("сообщили")),
    ("настоящим сообщаем", Some("сообщаем")),
    ("настоящим уведомляем", Some("сообщаем")),
    ("настоящим информируем", Some("сообщаем")),
    ("принять к сведению", Some("учесть")),
    ("на сегодняшний день", Some("сегодня")),
    ("на текущий момент", Some("сейчас")),
    ("в настоящее время", Some("сейчас")),
    ("в настоящий момент", Some("сейчас")),
    ("в данный момент", Some("сейчас")),
    ("в обязательном порядке", Some("обязательно")),
    ("на постоянной основе", Some("постоянно")),
    ("на безвозмездной основе", Some("бесплатно")),
    ("на бесплатной основе", Some("бесплатно")),
    ("на платной основе", Some("платно")),
    ("надлежащим образом", Some("правильно")),
    ("должным образом", Some("правильно")),
    ("не представляется возможным", None),
    ("не представляется возможной", None),
    ("имеет место", None),
    ("имеют место", None),
    ("с учетом вышеизложенного", Some("поэтому")),
    ("учитывая вышеизложенное", Some("поэтому")),
    ("на основании вышеизложенного", Some("поэтому")),
    ("исходя из вышеизложенного", Some("поэтому")),
    ("в связи с вышеизложенным", Some("поэтому")),
    ("в связи с вышесказанным", Some("поэтому")),
    ("в ответ на ваше обращение сообщаем", Some("отвечаем на ваше обращение")),
    ("по результатам рассмотрения вашего обращения", None),
    ("в случае возникновения вопросов", Some("если у вас есть вопросы")),
    ("при возникновении вопросов", Some("если у вас есть вопросы")),
    ("в установленном порядке", None),
    // «в установленный срок» and «в установленные сроки» hide a date: the vague rule's.
    ("принять меры", None),
    ("приняты меры", None),
    ("принимаются меры", None),
    ("проводится работа", None),
    ("ведется работа", None),
    ("проведена работа", None),
    ("в целях недопущения", None),
    ("в целях повышения эффективности", None),
    ("играет важную роль", None),
    ("играет ключевую роль", None),
    ("является неотъемлемой частью", None),
    ("данный вопрос", Some("этот вопрос")),
    ("по данному вопросу", Some("об этом")),
    ("в рамках реализации", None),
    ("на территории", None),
    ("осуществляется в соответствии", None),
    // Letter formulas: apology, thanks and announcement that say nothing about the case.
    ("приносим извинения за доставленные неудобства", None),
    ("приносим свои извинения за доставленные неудобства", None),
    ("приносим извинения за причиненные неудобства", None),
    ("благодарим вас за обращение", None),
    ("благодарим за обращение", None),
    ("благодарим вас за ваше обращение", None),
    ("сообщаем вам, что", Some("сообщаем:")),
    ("сообщаю вам, что", Some("сообщаю:")),
    ("информируем вас о том, что", Some("сообщаем:")),
    ("доведена до сведения", Some("сообщена")),
    ("доведен до сведения", Some("сообщен")),
    ("доведены до сведения", Some("сообщены")),
    ("довели до сведения", Some("сообщили")),
    ("по всем возникающим вопросам", Some("если у вас есть вопросы,")),
    ("по всем интересующим вопросам", Some("если у вас есть вопросы,")),
    ("по всем интересующим вас вопросам", Some("если у вас есть вопросы,")),
    ("не нашли подтверждения", Some("не подтвердились")),
    ("не нашли своего подтверждения", Some("не подтвердились")),
    ("не нашел подтверждения", Some("не подтвердился")),
    ("не нашел своего подтверждения", Some("не подтвердился")),
    ("оставляю за собой", None),
    ("оставляем за собой", None),
];

pub(crate) struct StockPhrase;

fn list() -> &'static PhraseList<(&'static str, Option<&'static str>)> {
    static LIST: OnceLock<PhraseList<(&'static str, Option<&'static str>)>> = OnceLock::new();
    LIST.get_or_init(|| PhraseList::new(PHRASES, |(phrase, _)| phrase))
}

impl Rule for StockPhrase {
    fn id(&self) -> &'static str {
        "stock_phrase.cliche"
    }

    fn family(&self) -> Family {
        Family::StockPhrase
    }

    fn severity(&self) -> Severity {
        Severity::Warning
    }

    fn check(&self, text: &Text, _config: &Config, out: &mut Vec<Hit>) {
        for (start, end, (phrase, replacement)) in list().find(&text.lower) {
            let message = match replacement {
                Some(plain) => format!("Штамп «{phrase}»: скажите проще — «{plain}»."),
                None => format!("Штамп «{phrase}» ничего не сообщает: напишите, что именно сделано или будет сделано и когда."),
            };
            let suggestion = replacement.map(|plain| keep_capital(&text.source[start..end], plain));
            out.push(Hit::new(start, end, message).suggest(suggestion));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{hits, spans};

    #[test]
    fn bad() {
        assert_eq!(
            hits(&StockPhrase, "Доводим до вашего сведения, что на сегодняшний день очередь пуста."),
            vec![("Доводим до вашего сведения".into(), Some("Сообщаем".into())), ("на сегодняшний день".into(), Some("сегодня".into()))]
        );
        assert_eq!(spans(&StockPhrase, "Работа ведётся в установленном порядке."), ["в установленном порядке"]);
    }

    #[test]
    fn letter_formulas() {
        assert_eq!(
            spans(&StockPhrase, "Приносим извинения за доставленные неудобства."),
            ["Приносим извинения за доставленные неудобства"]
        );
        assert_eq!(spans(&StockPhrase, "Благодарим Вас за обращение."), ["Благодарим Вас за обращение"]);
        assert_eq!(
            hits(&StockPhrase, "Сообщаем Вам, что проверка закончена."),
            vec![("Сообщаем Вам, что".into(), Some("Сообщаем:".into()))]
        );
        assert_eq!(spans(&StockPhrase, "Итоги будут доведены до сведения жителей."), ["доведены до сведения"]);
        assert_eq!(spans(&StockPhrase, "По всем возникающим вопросам звоните."), ["По всем возникающим вопросам"]);
        assert_eq!(spans(&StockPhrase, "Доводы не нашли подтверждения."), ["не нашли подтверждения"]);
        assert_eq!(spans(&StockPhrase, "Контроль за исполнением приказа оставляю за собой."), ["оставляю за собой"]);
    }

    #[test]
    fn plain_letters_pass() {
        assert!(spans(&StockPhrase, "Спасибо, что написали нам. Извините, что так вышло. Доводы не подтвердились.").is_empty());
        assert!(spans(&StockPhrase, "Если у вас есть вопросы, звоните. Приказ проверит Иванов.").is_empty());
    }

    #[test]
    fn good() {
        assert!(spans(&StockPhrase, "Сообщаем: сегодня очереди нет. Мы проверим заявление за 3 дня.").is_empty());
        // A missing date is vagueness, reported by vague.word, not a stock phrase.
        assert!(spans(&StockPhrase, "Заявление рассмотрено в установленный срок.").is_empty());
    }
}
