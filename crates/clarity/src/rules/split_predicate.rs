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
use crate::text::{Kind, Text};

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
    ("производить", "уплата", "уплачивать"),
    ("произвести", "уплата", "уплатить"),
    ("осуществлять", "уплата", "уплачивать"),
    ("осуществить", "уплата", "уплатить"),
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
    ("проводить", "работа", "работать"),
    ("провести", "работа", "поработать"),
];

/// Light verbs that make a split predicate with any verbal noun, even one not in `PAIRS`.
static EMPTY_VERBS: [&str; 4] = ["осуществлять", "осуществить", "производить", "произвести"];

pub(crate) fn lemmas() -> impl Iterator<Item = &'static str> {
    PAIRS.iter().flat_map(|(verb, noun, _)| [*verb, *noun]).chain(REFLEXIVES.iter().map(|(reflexive, _)| *reflexive))
}

/// The -ся forms of the light verbs, which the dictionary may give their own lemma:
/// «решение принимается» is «принимать решение» turned round.
static REFLEXIVES: &[(&str, &str)] = &[
    ("осуществляться", "осуществлять"),
    ("осуществиться", "осуществить"),
    ("производиться", "производить"),
    ("произвестись", "произвести"),
    ("проводиться", "проводить"),
    ("оказываться", "оказывать"),
    ("приниматься", "принимать"),
    ("даваться", "давать"),
    ("вестись", "вести"),
    ("обеспечиваться", "обеспечивать"),
    ("направляться", "направлять"),
];

/// The lemma of the light verb itself for a -ся lemma, else the lemma as given.
fn base_verb(lemma: u16) -> u16 {
    static BASES: OnceLock<HashMap<u16, u16>> = OnceLock::new();
    let bases = BASES.get_or_init(|| {
        REFLEXIVES
            .iter()
            .map(|(reflexive, base)| (lexicon::lemma_id(reflexive), lexicon::lemma_id(base)))
            .filter(|(r, _)| *r != NONE)
            .collect()
    });
    bases.get(&lemma).copied().unwrap_or(lemma)
}

/// The plain verb for a light verb and a noun, `Some(None)` for an empty verb with any
/// verbal noun, `None` when they make no split predicate.
fn plain_for(verb: u16, noun: crate::morph::WordInfo) -> Option<Option<&'static str>> {
    if let Some(plain) = pairs().get(&(verb, noun.lemma)) {
        return Some(Some(*plain));
    }
    (is_empty_verb(verb) && noun.has(flag::VERBAL_NOUN)).then_some(None)
}

/// A word that may stand between a light verb and its noun: an adjective or an adverb
/// («оказывают максимально эффективную помощь»).
fn is_modifier(info: crate::morph::WordInfo) -> bool {
    info.has(flag::ADJ)
        || info.flags & (flag::NOUN | flag::VERB | flag::INFINITIVE | flag::ADP | flag::CONJ | flag::PRON | flag::NUM | flag::PARTICIPLE)
            == 0
}

fn is_verb_form(info: crate::morph::WordInfo) -> bool {
    info.flags & (flag::VERB | flag::PARTICIPLE | flag::INFINITIVE | flag::SHORT_PASSIVE | flag::PASSIVE_VERB) != 0
}

/// A word that may stand between a noun and its light verb without breaking the predicate:
/// «быть» in any tense and a modal word («перерасчёт был произведён», «погашение должно быть
/// осуществлено», «уплату можно произвести»), or «не».
fn is_auxiliary(text: &Text, index: usize) -> bool {
    let info = text.tokens[index].info;
    info.has(flag::AUX) || info.has(flag::MODAL) || text.lower(index) == "не"
}

/// A light verb after its noun: a passive one («решение … принимается», «перерасчёт
/// произведён», «осуществление приёма … производиться не будет», «ответ будет дан») or an
/// infinitive after a modal («уплату можно произвести»). The noun's token and the plain verb.
fn reversed_at(text: &Text, index: usize) -> Option<(usize, Option<&'static str>)> {
    let verb = text.tokens[index];
    if verb.info.lemma == NONE || !is_verb_form(verb.info) {
        return None;
    }
    let lower = text.lower(index);
    let passive = verb.info.has(flag::PASSIVE_VERB) || verb.info.has(flag::SHORT_PASSIVE) || lower.ends_with("ся") || lower.ends_with("сь");
    // An active infinitive takes its object from before only under a modal: «уплату можно
    // произвести», «проверку должны провести»; «решение … принять» alone is not a predicate.
    let after_modal = verb.info.has(flag::INFINITIVE)
        && (index.saturating_sub(2)..index).any(|i| text.tokens[i].kind == Kind::Word && text.tokens[i].info.has(flag::MODAL));
    if !passive && !after_modal {
        return None;
    }
    let base = base_verb(verb.info.lemma);
    let sentence = text.sentence_at(verb.start).map_or(0, |s| text.sentences[s].tokens.start);
    // Eight words back, not counting the auxiliaries and modals.
    let (mut back, mut budget) = (index, 8);
    while back > sentence && budget > 0 {
        back -= 1;
        let token = text.tokens[back];
        if token.kind == Kind::Word && is_auxiliary(text, back) && !token.info.has(flag::NOUN) {
            continue;
        }
        budget -= 1;
        if token.kind == Kind::Mark || (token.info.has(flag::VERB) && !token.info.has(flag::NOUN)) {
            return None;
        }
        // The subject, not a noun after a preposition («перерасчёт платы за отопление»).
        let after_preposition = back > 0 && text.tokens[back - 1].info.has(flag::ADP);
        if token.info.has(flag::NOUN) && token.info.has(flag::CAN_NOM_ACC) && !after_preposition {
            if let Some(plain) = plain_for(base, token.info) {
                return Some((back, plain));
            }
        }
    }
    None
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
    if verb.info.lemma == NONE || !is_verb_form(verb.info) {
        return None;
    }
    // A full passive participle before a noun is its attribute, not a predicate: «о принятом
    // решении», «оказанная помощь». An active one takes the noun as its object: «орган,
    // осуществляющий контроль».
    if verb.info.has(flag::FULL_PASSIVE) {
        return None;
    }
    let base = base_verb(verb.info.lemma);
    // The noun follows, perhaps after adjectives and adverbs («осуществляет ежедневный
    // контроль», «оказывают максимально эффективную помощь»).
    for next in index + 1..(index + 5).min(text.tokens.len()) {
        let token = text.tokens[next];
        if token.kind != Kind::Word {
            return None;
        }
        if token.info.has(flag::NOUN) {
            return plain_for(base, token.info).map(|plain| (next, plain));
        }
        if !is_modifier(token.info) {
            return None;
        }
    }
    None
}

/// Whether the verb at `index` starts a split predicate (other rules leave it to this one).
pub(crate) fn is_light_verb_pair(text: &Text, index: usize) -> bool {
    pair_at(text, index).is_some() || reversed_at(text, index).is_some()
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
            if let Some((noun, plain)) = reversed_at(text, index) {
                if pair_at(text, index).is_none() {
                    let (start, end) = (text.tokens[noun].start, text.tokens[index].end);
                    let phrase = &text.source[start..end];
                    let message = match plain {
                        Some(plain) => {
                            format!("Расщеплённое сказуемое «{phrase}»: скажите одним глаголом — «{plain}» — и назовите, кто действует.")
                        }
                        None => format!("Расщеплённое сказуемое «{phrase}»: назовите действие глаголом и того, кто действует."),
                    };
                    out.push(Hit::new(start, end, message));
                    continue;
                }
            }
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
        assert_eq!(spans(&SplitPredicate, "Орган, осуществляющий контроль, проверит дом."), ["осуществляющий контроль"]);
    }

    #[test]
    fn passive_and_reversed_order() {
        assert_eq!(
            spans(&SplitPredicate, "Решение о назначении выплаты принимается руководителем."),
            ["Решение о назначении выплаты принимается"]
        );
        assert_eq!(
            spans(&SplitPredicate, "Перерасчёт платы за отопление произведён правомерно."),
            ["Перерасчёт платы за отопление произведён"]
        );
        assert_eq!(spans(&SplitPredicate, "Оплата услуг производится заказчиком."), ["Оплата услуг производится"]);
        assert_eq!(spans(&SplitPredicate, "Сейчас проводится работа по устранению недостатков."), ["проводится работа"]);
    }

    #[test]
    fn auxiliaries_and_modals_between_noun_and_verb() {
        assert_eq!(spans(&SplitPredicate, "Перерасчёт был произведён с учётом индексации."), ["Перерасчёт был произведён"]);
        assert_eq!(
            spans(&SplitPredicate, "Погашение задолженности должно быть осуществлено до 30 ноября."),
            ["Погашение задолженности должно быть осуществлено"]
        );
        assert_eq!(
            spans(&SplitPredicate, "Переселение граждан будет осуществляться в два этапа."),
            ["Переселение граждан будет осуществляться"]
        );
        assert_eq!(spans(&SplitPredicate, "Уплату можно произвести по квитанции."), ["Уплату можно произвести"]);
        assert_eq!(spans(&SplitPredicate, "Ответ будет дан в течение месяца."), ["Ответ будет дан"]);
        assert_eq!(spans(&SplitPredicate, "Оплата не была произведена."), ["Оплата не была произведена"]);
    }

    #[test]
    fn auxiliaries_without_a_light_verb_pass() {
        assert!(spans(&SplitPredicate, "Заявление можно подать лично. Ответ мы дали вчера.").is_empty());
        assert!(spans(&SplitPredicate, "Заявление будет рассмотрено. Документы можно принести в среду.").is_empty());
        assert!(spans(&SplitPredicate, "Проверку мы проведём завтра. Решение принять нельзя было раньше.").is_empty());
    }

    #[test]
    fn modifiers_between_verb_and_noun() {
        assert_eq!(
            spans(&SplitPredicate, "Специалисты оказывают максимально эффективную помощь гражданам."),
            ["оказывают максимально эффективную помощь"]
        );
    }

    #[test]
    fn good() {
        assert!(spans(&SplitPredicate, "Отдел проверяет документы и помогает заявителям.").is_empty());
        assert!(spans(&SplitPredicate, "Заявление принимается в окне 3. Решение мы примем завтра.").is_empty());
        assert!(spans(&SplitPredicate, "Отчёт направляется ежемесячно, график висит у входа.").is_empty());
        assert!(spans(&SplitPredicate, "Мы приняли заявление.").is_empty());
        assert!(spans(&SplitPredicate, "Уведомление о принятом решении придёт в личный кабинет.").is_empty());
        assert!(spans(&SplitPredicate, "Мы благодарны за оказанную помощь.").is_empty());
    }
}
