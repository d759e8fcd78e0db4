//! Short passive participles («принято», «рассмотрено», «было направлено»): the action has
//! no doer, so the reader does not learn who decided or whom to ask. The active voice names
//! the body: «Мы приняли решение».

use crate::config::Config;
use crate::morph::flag;
use crate::report::{Family, Severity};
use crate::rules::{Hit, Rule};
use crate::text::{Kind, Text};

pub(crate) struct ShortPassive;

/// Forms of «быть» that make the past or future passive with the participle.
const AUXILIARIES: [&str; 9] = ["был", "была", "было", "были", "будет", "будут", "будь", "быть", "бы"];

impl Rule for ShortPassive {
    fn id(&self) -> &'static str {
        "passive.short_participle"
    }

    fn family(&self) -> Family {
        Family::Passive
    }

    fn severity(&self) -> Severity {
        Severity::Info
    }

    fn check(&self, text: &Text, _config: &Config, out: &mut Vec<Hit>) {
        for (index, token) in text.tokens.iter().enumerate() {
            if !token.info.has(flag::SHORT_PASSIVE) || is_modal_predicate(text, index) {
                continue;
            }
            // Take «было» along: «было принято» is one passive.
            let start = match index.checked_sub(1) {
                Some(before) if AUXILIARIES.contains(&text.lower(before)) => text.tokens[before].start,
                _ => token.start,
            };
            let phrase = &text.source[start..token.end];
            out.push(Hit::new(
                start,
                token.end,
                format!("Страдательный оборот «{phrase}»: скажите, кто это сделал («мы приняли», «комиссия рассмотрела»)."),
            ));
        }
    }
}

/// A short adjective that governs an infinitive is a modal predicate, not a passive of an
/// action: «заявитель обязан сообщить», «организация обязана в течение 14 дней уведомить».
/// Only the likeliest reading counts: «решено провести» is a participle and stays passive.
fn is_modal_predicate(text: &Text, index: usize) -> bool {
    if !text.tokens[index].info.has(flag::SHORT_ADJ) {
        return false;
    }
    for next in index + 1..(index + 8).min(text.tokens.len()) {
        let token = text.tokens[next];
        if token.kind != Kind::Word {
            // A number inside the clause («в течение 14 дней») is not a boundary.
            if token.kind == Kind::Mark {
                return false;
            }
            continue;
        }
        if token.info.has(flag::INFINITIVE) {
            return true;
        }
        if token.info.has(flag::VERB) || token.info.has(flag::SHORT_PASSIVE) {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::spans;

    #[test]
    fn bad() {
        assert_eq!(spans(&ShortPassive, "Решение было принято комиссией."), ["было принято"]);
        assert_eq!(spans(&ShortPassive, "Заявление рассмотрено, документы направлены."), ["рассмотрено", "направлены"]);
    }

    #[test]
    fn good() {
        assert!(spans(&ShortPassive, "Комиссия приняла решение. Мы рассмотрели заявление.").is_empty());
    }

    #[test]
    fn obliged_is_a_modal_not_a_passive() {
        assert!(spans(&ShortPassive, "Получатель обязан в течение 14 дней сообщить об изменении доходов.").is_empty());
        assert!(spans(&ShortPassive, "Арендатор обязан вносить плату. Организация обязана уведомить жильцов.").is_empty());
        // With no infinitive it stays what it is, and a participle before one stays passive.
        assert_eq!(spans(&ShortPassive, "Было решено провести проверку."), ["Было решено"]);
        assert_eq!(spans(&ShortPassive, "Заявитель должен быть уведомлён о решении."), ["быть уведомлён"]);
    }
}
