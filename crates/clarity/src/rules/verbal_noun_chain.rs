//! Chains of verbal nouns («проведение проверки исполнения решения»): actions turned into
//! things, one hanging on the other. Each is a verb the writer could have used.

use crate::config::Config;
use crate::morph::flag;
use crate::report::{Family, Severity};
use crate::rules::{Hit, Rule};
use crate::text::Text;

pub(crate) struct VerbalNounChain;

impl Rule for VerbalNounChain {
    fn id(&self) -> &'static str {
        "nominalisation.chain"
    }

    fn family(&self) -> Family {
        Family::Nominalisation
    }

    fn severity(&self) -> Severity {
        Severity::Warning
    }

    fn check(&self, text: &Text, config: &Config, out: &mut Vec<Hit>) {
        let min = config.limits.verbal_noun_chain.max(2);
        // A noun group: nouns and adjectives without a break; count its verbal nouns.
        let (mut first, mut last, mut count) = (None::<usize>, 0, 0);
        for index in 0..=text.tokens.len() {
            let info = text.tokens.get(index).map(|t| t.info);
            let in_group = info.is_some_and(|i| i.has(flag::NOUN) || (i.has(flag::ADJ) && first.is_some()));
            if in_group {
                let info = info.unwrap_or_default();
                if info.has(flag::VERBAL_NOUN) {
                    first.get_or_insert(index);
                    last = index;
                    count += 1;
                } else if first.is_none() {
                    continue;
                }
                continue;
            }
            if let Some(start) = first {
                if count >= min {
                    let (s, e) = (text.tokens[start].start, text.tokens[last].end);
                    out.push(Hit::new(
                        s,
                        e,
                        format!("{count} отглагольных существительных подряд: назовите хотя бы одно действие глаголом."),
                    ));
                }
            }
            (first, count) = (None, 0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::spans;

    #[test]
    fn bad() {
        assert_eq!(spans(&VerbalNounChain, "Начато проведение проверки исполнения решения."), ["проведение проверки исполнения решения"]);
    }

    #[test]
    fn good() {
        assert!(spans(&VerbalNounChain, "Мы проверим, как исполнено решение.").is_empty());
        assert!(spans(&VerbalNounChain, "Рассмотрение заявления займёт день.").is_empty());
    }
}
