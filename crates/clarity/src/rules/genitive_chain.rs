//! Genitive chains: nouns hanging on each other in the genitive («обеспечения реализации
//! мероприятий программы»). The reader has to hold every link to reach the meaning; a verb
//! or a split into two sentences breaks the chain.

use crate::config::Config;
use crate::morph::flag;
use crate::report::{Family, Severity};
use crate::rules::{Hit, Rule};
use crate::text::Text;

pub(crate) struct GenitiveChain;

/// A noun that can be genitive extends the chain; an adjective or participle that can be
/// genitive rides along without counting («исполнения государственной функции»).
fn link(info: crate::morph::WordInfo) -> Option<bool> {
    if !info.has(flag::CAN_GEN) {
        return None;
    }
    if info.has(flag::NOUN) {
        Some(true)
    } else if info.has(flag::ADJ) || info.has(flag::PARTICIPLE) {
        Some(false)
    } else {
        None
    }
}

impl Rule for GenitiveChain {
    fn id(&self) -> &'static str {
        "genitive.chain"
    }

    fn family(&self) -> Family {
        Family::Genitive
    }

    fn severity(&self) -> Severity {
        Severity::Warning
    }

    fn check(&self, text: &Text, config: &Config, out: &mut Vec<Hit>) {
        let min = config.limits.genitive_chain.max(2);
        let mut emit = |first: Option<usize>, last: usize, nouns: usize| {
            if let Some(first) = first {
                if nouns >= min {
                    let (start, end) = (text.tokens[first].start, text.tokens[last].end);
                    out.push(Hit::new(
                        start,
                        end,
                        format!("Цепочка из {nouns} существительных в родительном падеже: разбейте её глаголом или на два предложения."),
                    ));
                }
            }
        };
        let (mut first, mut last, mut nouns) = (None, 0, 0);
        for (index, token) in text.tokens.iter().enumerate() {
            match link(token.info) {
                Some(is_noun) => {
                    if first.is_none() {
                        if !is_noun {
                            // A chain starts with a noun; a leading adjective belongs to it
                            // only when a noun follows, so remember it tentatively.
                            first = Some(index);
                            last = index;
                            continue;
                        }
                        first = Some(index);
                    }
                    if is_noun {
                        nouns += 1;
                        last = index;
                    }
                }
                None => {
                    emit(first, last, nouns);
                    (first, nouns) = (None, 0);
                }
            }
        }
        emit(first, last, nouns);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::spans;

    #[test]
    fn bad() {
        assert_eq!(
            spans(&GenitiveChain, "Это нужно для обеспечения реализации мероприятий программы."),
            ["обеспечения реализации мероприятий программы"]
        );
        assert_eq!(
            spans(&GenitiveChain, "Срок исполнения государственной функции контроля составляет месяц."),
            ["исполнения государственной функции контроля"]
        );
    }

    #[test]
    fn good() {
        assert!(spans(&GenitiveChain, "Мы выполним мероприятия программы в срок.").is_empty());
        assert!(spans(&GenitiveChain, "Копия паспорта заявителя.").len() <= 1);
    }
}
