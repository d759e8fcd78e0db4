//! Short passive participles («принято», «рассмотрено», «было направлено»): the action has
//! no doer, so the reader does not learn who decided or whom to ask. The active voice names
//! the body: «Мы приняли решение».

use crate::config::Config;
use crate::morph::flag;
use crate::report::{Family, Severity};
use crate::rules::{Hit, Rule};
use crate::text::Text;

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
            if !token.info.has(flag::SHORT_PASSIVE) {
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
}
