//! Stock phrases (штампы): ready-made formulas of official letters that carry no meaning of
//! their own. The reader skims them, and the message hides between them.

use std::sync::OnceLock;

use crate::config::Config;
use crate::lexicon::{self, PhraseList, NONE};
use crate::report::{Family, Severity};
use crate::rules::denominal_preposition::keep_capital;
use crate::rules::{Hit, Rule};
use crate::text::{Kind, Text};

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

/// Formulas that take any form of their verb, found by the lemma: (verb lemmas, the words
/// that follow, of which the ones in brackets may be left out). «Доводим до сведения»,
/// «доводится до вашего сведения», «приносим свои извинения», «администрация приносит
/// извинения».
static VERB_FORMULAS: &[(&[&str], &[&str])] = &[
    (&["доводить", "довести", "доводиться"], &["до", "(вашего)", "(всех)", "сведения"]),
    (&["приносить", "принести"], &["(свои)", "(наши)", "извинения"]),
];

/// Verbs of the order formula «Контроль за исполнением … возложить на …».
static CONTROL_VERBS: [&str; 2] = ["возлагать", "возложить"];

pub(crate) fn lemmas() -> impl Iterator<Item = &'static str> {
    VERB_FORMULAS.iter().flat_map(|(verbs, _)| verbs.iter().copied()).chain(CONTROL_VERBS).chain(["контроль"])
}

fn has_lemma(info: crate::morph::WordInfo, lemmas: &[&str]) -> bool {
    info.lemma != NONE && lemmas.iter().any(|lemma| lexicon::lemma_id(lemma) == info.lemma)
}

/// The end of a verb formula starting at the verb `index`, if one does.
fn verb_formula_at(text: &Text, index: usize) -> Option<usize> {
    let info = text.tokens[index].info;
    let (_, words) = VERB_FORMULAS.iter().find(|(verbs, _)| has_lemma(info, verbs))?;
    let mut at = index + 1;
    let mut end = None;
    for word in words.iter() {
        let (word, optional) = match word.strip_prefix('(') {
            Some(rest) => (rest.trim_end_matches(')'), true),
            None => (*word, false),
        };
        if at < text.tokens.len() && text.tokens[at].kind == Kind::Word && text.lower(at) == word {
            end = Some(text.tokens[at].end);
            at += 1;
        } else if !optional {
            return None;
        }
    }
    end
}

/// «Контроль за исполнением настоящего приказа возложить на заместителя»: a sentence that
/// opens with «контроль» (after a list number) and hands it over with «возложить». The span
/// runs from «контроль» to the verb.
fn control_formula(text: &Text, out: &mut Vec<(usize, usize)>) {
    for sentence in &text.sentences {
        let mut words = sentence.tokens.clone().filter(|&i| text.tokens[i].kind == Kind::Word);
        let Some(first) = words.next() else { continue };
        if !has_lemma(text.tokens[first].info, &["контроль"]) {
            continue;
        }
        if let Some(verb) = words.find(|&i| has_lemma(text.tokens[i].info, &CONTROL_VERBS)) {
            out.push((text.tokens[first].start, text.tokens[verb].end));
        }
    }
}

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
        let mut listed = Vec::new();
        for (start, end, (phrase, replacement)) in list().find(&text.lower) {
            listed.push((start, end));
            let message = match replacement {
                Some(plain) => format!("Штамп «{phrase}»: скажите проще — «{plain}»."),
                None => format!("Штамп «{phrase}» ничего не сообщает: напишите, что именно сделано или будет сделано и когда."),
            };
            let suggestion = replacement.map(|plain| keep_capital(&text.source[start..end], plain));
            out.push(Hit::new(start, end, message).suggest(suggestion));
        }
        let mut spans = Vec::new();
        for index in 0..text.tokens.len() {
            if let Some(end) = verb_formula_at(text, index) {
                spans.push((text.tokens[index].start, end));
            }
        }
        control_formula(text, &mut spans);
        for (start, end) in spans {
            // The list may have found the same formula with a ready replacement.
            if listed.iter().any(|&(s, e)| s < end && start < e) {
                continue;
            }
            let phrase = &text.source[start..end];
            out.push(Hit::new(
                start,
                end,
                format!("Штамп «{phrase}» ничего не сообщает: напишите, что именно сделано или будет сделано и когда."),
            ));
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
    fn formulas_in_any_form_of_their_verb() {
        assert_eq!(spans(&StockPhrase, "Доводим до сведения, что приём переносится."), ["Доводим до сведения"]);
        assert_eq!(spans(&StockPhrase, "Итоги доводятся до сведения жителей."), ["доводятся до сведения"]);
        assert_eq!(spans(&StockPhrase, "Приносим извинения за временные неудобства."), ["Приносим извинения"]);
        assert_eq!(spans(&StockPhrase, "Компания приносит свои извинения."), ["приносит свои извинения"]);
        assert_eq!(
            spans(&StockPhrase, "2. Контроль за исполнением настоящего распоряжения возложить на заместителя главы."),
            ["Контроль за исполнением настоящего распоряжения возложить"]
        );
        // The listed phrase wins and keeps its replacement.
        assert_eq!(
            hits(&StockPhrase, "Доводим до вашего сведения, что всё готово."),
            vec![("Доводим до вашего сведения".into(), Some("Сообщаем".into()))]
        );
    }

    #[test]
    fn the_words_on_their_own_pass() {
        assert!(spans(&StockPhrase, "Мы довели ремонт до конца и принесли документы.").is_empty());
        assert!(spans(&StockPhrase, "Контроль качества проводит лаборатория. Обязанности возложили на нового сотрудника.").is_empty());
        assert!(spans(&StockPhrase, "Парковка на территории больницы бесплатная.").is_empty());
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
