//! The -ся passive with the doer in the instrumental («заявление рассматривается
//! комиссией»): the doer is known, so let it act — «комиссия рассматривает заявление».
//! Without an instrumental doer «-ся» is usually not a passive («очередь движется»), so the
//! rule waits for one.

use crate::config::Config;
use crate::morph::flag;
use crate::report::{Family, Severity};
use crate::rules::{Hit, Rule};
use crate::text::Text;

pub(crate) struct ReflexivePassive;

/// Prepositions that take the instrumental for something other than the doer.
const INSTRUMENTAL_PREPOSITIONS: [&str; 10] = ["с", "со", "за", "над", "под", "перед", "между", "пред", "подо", "надо"];

/// How far from the verb the doer may stand, in tokens.
const WINDOW: usize = 4;

impl Rule for ReflexivePassive {
    fn id(&self) -> &'static str {
        "passive.reflexive_agent"
    }

    fn family(&self) -> Family {
        Family::Passive
    }

    fn severity(&self) -> Severity {
        Severity::Warning
    }

    fn check(&self, text: &Text, _config: &Config, out: &mut Vec<Hit>) {
        for sentence in &text.sentences {
            let tokens = sentence.tokens.clone();
            for verb in tokens.clone() {
                let info = text.tokens[verb].info;
                let form = text.lower(verb);
                if !info.has(flag::PASSIVE_VERB) || !(form.ends_with("ся") || form.ends_with("сь")) {
                    continue;
                }
                let from = verb.saturating_sub(WINDOW).max(tokens.start);
                let to = (verb + WINDOW + 1).min(tokens.end);
                let agent = (from..to).filter(|&i| i != verb).find(|&i| {
                    let t = text.tokens[i].info;
                    t.has(flag::NOUN)
                        && t.has(flag::CAN_INS)
                        && !t.has(flag::CAN_NOM_ACC)
                        && !(i > 0 && INSTRUMENTAL_PREPOSITIONS.contains(&text.lower(i - 1)))
                });
                if let Some(agent) = agent {
                    let (a, b) = (verb.min(agent), verb.max(agent));
                    let (start, end) = (text.tokens[a].start, text.tokens[b].end);
                    out.push(Hit::new(
                        start,
                        end,
                        format!(
                            "Страдательный оборот «{}»: сделайте того, кто действует, подлежащим — «комиссия рассматривает заявление».",
                            &text.source[start..end]
                        ),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::spans;

    #[test]
    fn bad() {
        assert_eq!(spans(&ReflexivePassive, "Заявление рассматривается комиссией в течение месяца."), ["рассматривается комиссией"]);
        assert_eq!(spans(&ReflexivePassive, "Контроль осуществляется министерством."), ["осуществляется министерством"]);
    }

    #[test]
    fn good() {
        assert!(spans(&ReflexivePassive, "Комиссия рассматривает заявление.").is_empty());
        assert!(spans(&ReflexivePassive, "Мы встречаемся с заявителем.").is_empty());
        assert!(spans(&ReflexivePassive, "Очередь движется быстро.").is_empty());
    }
}
