//! Split predicates: a light verb with a verbal noun where one verb would do
//! («осуществлять проведение» → «проводить», «оказывать помощь» → «помогать»). The action
//! hides in the noun and the sentence grows by a word and a case ending.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::config::Config;
use crate::lexicon::{self, NONE};
use crate::morph::{self, flag};
use crate::report::{Family, Severity};
use crate::rules::denominal_preposition::keep_capital;
use crate::rules::{Hit, Rule};
use crate::text::Text;

/// (light verb, noun, the one verb that says it; same aspect as the light verb).
static PAIRS: &[(&str, &str, &str)] = &[
    ("осуществлять", "контроль", "контролировать"),
    ("осуществлять", "проверка", "проверять"),
    ("осуществлять", "проведение", "проводить"),
    ("осуществлять", "выплата", "выплачивать"),
    ("осуществлять", "прием", "принимать"),
    ("осуществлять", "регистрация", "регистрировать"),
    ("осуществлять", "оплата", "оплачивать"),
    ("осуществлять", "рассмотрение", "рассматривать"),
    ("осуществлять", "подготовка", "готовить"),
    ("осуществлять", "сбор", "собирать"),
    ("осуществлять", "деятельность", "работать"),
    ("осуществлять", "взаимодействие", "взаимодействовать"),
    ("осуществлять", "управление", "управлять"),
    ("осуществлять", "руководство", "руководить"),
    ("осуществлять", "координация", "координировать"),
    ("осуществлять", "анализ", "анализировать"),
    ("осуществлять", "выдача", "выдавать"),
    ("осуществлять", "финансирование", "финансировать"),
    ("осуществлять", "строительство", "строить"),
    ("осуществлять", "поиск", "искать"),
    ("осуществить", "проверка", "проверить"),
    ("осуществить", "проведение", "провести"),
    ("осуществить", "выплата", "выплатить"),
    ("осуществить", "регистрация", "зарегистрировать"),
    ("осуществить", "оплата", "оплатить"),
    ("осуществить", "рассмотрение", "рассмотреть"),
    ("осуществить", "подготовка", "подготовить"),
    ("осуществить", "выдача", "выдать"),
    ("осуществить", "поиск", "найти"),
    ("производить", "оплата", "оплачивать"),
    ("производить", "замена", "заменять"),
    ("производить", "расчет", "рассчитывать"),
    ("производить", "выплата", "выплачивать"),
    ("производить", "проверка", "проверять"),
    ("производить", "ремонт", "ремонтировать"),
    ("производить", "осмотр", "осматривать"),
    ("производить", "начисление", "начислять"),
    ("произвести", "оплата", "оплатить"),
    ("произвести", "замена", "заменить"),
    ("произвести", "расчет", "рассчитать"),
    ("произвести", "выплата", "выплатить"),
    ("произвести", "проверка", "проверить"),
    ("произвести", "ремонт", "отремонтировать"),
    ("произвести", "осмотр", "осмотреть"),
    ("произвести", "перерасчет", "пересчитать"),
    ("проводить", "проверка", "проверять"),
    ("проводить", "анализ", "анализировать"),
    ("проводить", "обследование", "обследовать"),
    ("проводить", "оценка", "оценивать"),
    ("проводить", "обучение", "обучать"),
    ("проводить", "расследование", "расследовать"),
    ("провести", "проверка", "проверить"),
    ("провести", "анализ", "проанализировать"),
    ("провести", "оценка", "оценить"),
    ("провести", "обучение", "обучить"),
    ("оказывать", "помощь", "помогать"),
    ("оказывать", "содействие", "помогать"),
    ("оказывать", "поддержка", "поддерживать"),
    ("оказывать", "влияние", "влиять"),
    ("оказывать", "консультация", "консультировать"),
    ("оказать", "помощь", "помочь"),
    ("оказать", "содействие", "помочь"),
    ("оказать", "поддержка", "поддержать"),
    ("оказать", "влияние", "повлиять"),
    ("принимать", "участие", "участвовать"),
    ("принимать", "решение", "решать"),
    ("принять", "решение", "решить"),
    ("давать", "разъяснение", "разъяснять"),
    ("давать", "оценка", "оценивать"),
    ("давать", "согласие", "соглашаться"),
    ("давать", "ответ", "отвечать"),
    ("давать", "рекомендация", "рекомендовать"),
    ("дать", "разъяснение", "разъяснить"),
    ("дать", "оценка", "оценить"),
    ("дать", "согласие", "согласиться"),
    ("дать", "ответ", "ответить"),
    ("вести", "работа", "работать"),
    ("вести", "борьба", "бороться"),
    ("вести", "учет", "учитывать"),
    ("вести", "наблюдение", "наблюдать"),
    ("обеспечивать", "выполнение", "выполнять"),
    ("обеспечивать", "соблюдение", "соблюдать"),
    ("обеспечивать", "исполнение", "исполнять"),
    ("обеспечить", "выполнение", "выполнить"),
    ("обеспечить", "соблюдение", "соблюсти"),
    ("обеспечить", "исполнение", "исполнить"),
    ("направлять", "запрос", "запрашивать"),
    ("направить", "запрос", "запросить"),
    ("направлять", "ответ", "отвечать"),
    ("направить", "ответ", "ответить"),
    ("иметь", "возможность", "мочь"),
];

/// Light verbs that make a split predicate with any verbal noun, even one not in `PAIRS`.
static EMPTY_VERBS: [&str; 4] = ["осуществлять", "осуществить", "производить", "произвести"];

pub(crate) fn lemmas() -> impl Iterator<Item = &'static str> {
    PAIRS.iter().flat_map(|(verb, noun, _)| [*verb, *noun])
}

fn pairs() -> &'static HashMap<(u16, u16), &'static str> {
    static PAIRS_BY_ID: OnceLock<HashMap<(u16, u16), &'static str>> = OnceLock::new();
    PAIRS_BY_ID
        .get_or_init(|| PAIRS.iter().map(|(verb, noun, plain)| ((lexicon::lemma_id(verb), lexicon::lemma_id(noun)), *plain)).collect())
}

fn is_empty_verb(lemma: u16) -> bool {
    static IDS: OnceLock<Vec<u16>> = OnceLock::new();
    IDS.get_or_init(|| EMPTY_VERBS.iter().map(|verb| lexicon::lemma_id(verb)).collect()).contains(&lemma)
}

/// A split predicate starting at the verb `index`: the noun's token and the plain verb when
/// the pair is listed.
fn pair_at(text: &Text, index: usize) -> Option<(usize, Option<&'static str>)> {
    let verb = text.tokens[index];
    if verb.info.lemma == NONE || !(verb.info.has(flag::VERB) || verb.info.has(flag::PARTICIPLE)) {
        return None;
    }
    // The noun follows, perhaps after an adjective or two («осуществляет ежедневный контроль»).
    for next in index + 1..(index + 4).min(text.tokens.len()) {
        let token = text.tokens[next];
        if !token.is_word() {
            return None;
        }
        if token.info.has(flag::NOUN) {
            if let Some(plain) = pairs().get(&(verb.info.lemma, token.info.lemma)) {
                return Some((next, Some(*plain)));
            }
            if is_empty_verb(verb.info.lemma) && token.info.has(flag::VERBAL_NOUN) {
                return Some((next, None));
            }
            return None;
        }
        if !token.info.has(flag::ADJ) {
            return None;
        }
    }
    None
}

/// Whether the verb at `index` starts a split predicate (other rules leave it to this one).
pub(crate) fn is_light_verb_pair(text: &Text, index: usize) -> bool {
    pair_at(text, index).is_some()
}

pub(crate) struct SplitPredicate;

impl Rule for SplitPredicate {
    fn id(&self) -> &'static str {
        "nominalisation.split_predicate"
    }

    fn family(&self) -> Family {
        Family::Nominalisation
    }

    fn severity(&self) -> Severity {
        Severity::Warning
    }

    fn check(&self, text: &Text, _config: &Config, out: &mut Vec<Hit>) {
        for index in 0..text.tokens.len() {
            let Some((noun, plain)) = pair_at(text, index) else { continue };
            let (start, end) = (text.tokens[index].start, text.tokens[noun].end);
            let phrase = &text.source[start..end];
            let hit = match plain {
                Some(plain) => {
                    // A drop-in replacement only when verb and noun are adjacent and the verb
                    // is active: «проводится проверка» needs the sentence rebuilt.
                    let suggestion = (noun == index + 1 && !text.tokens[index].info.has(flag::PASSIVE_VERB))
                        .then(|| morph::inflect_like(plain, text.form(index)))
                        .flatten()
                        .map(|form| keep_capital(phrase, &form));
                    Hit::new(start, end, format!("Расщеплённое сказуемое «{phrase}»: скажите одним глаголом — «{plain}»."))
                        .suggest(suggestion)
                }
                None => Hit::new(start, end, format!("Расщеплённое сказуемое «{phrase}»: назовите действие глаголом.")),
            };
            out.push(hit);
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
            hits(&SplitPredicate, "Отдел осуществляет проверку документов."),
            vec![("осуществляет проверку".into(), Some("проверяет".into()))]
        );
        assert_eq!(hits(&SplitPredicate, "Мы оказали помощь."), vec![("оказали помощь".into(), Some("помогли".into()))]);
        assert_eq!(hits(&SplitPredicate, "Нужно принимать участие."), vec![("принимать участие".into(), Some("участвовать".into()))]);
        assert_eq!(
            hits(&SplitPredicate, "Инспекция осуществляет ежедневный контроль."),
            vec![("осуществляет ежедневный контроль".into(), None)]
        );
        assert_eq!(spans(&SplitPredicate, "Отдел осуществляет согласование."), ["осуществляет согласование"]);
    }

    #[test]
    fn good() {
        assert!(spans(&SplitPredicate, "Отдел проверяет документы и помогает заявителям.").is_empty());
        assert!(spans(&SplitPredicate, "Мы приняли заявление.").is_empty());
    }
}
