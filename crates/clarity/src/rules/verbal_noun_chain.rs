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
        // A noun group: nouns and adjectives without a break, or joined by a preposition of
        // a noun's complement («решение об отказе в предоставлении»); count its verbal nouns.
        // Through a preposition, one verbal noun fewer will do when the group has enough nouns:
        // «отказ» and «проверка» are actions too, without a suffix that says so.
        let (mut first, mut last, mut count, mut nouns, mut links) = (None::<usize>, 0, 0, 0, 0);
        // The title of an act and the name of a body are not the writer's to change.
        let names = crate::rules::genitive_chain::fixed_names(text);
        for index in 0..=text.tokens.len() {
            let info = text.tokens.get(index).filter(|_| names.get(index) != Some(&true)).map(|t| t.info);
            let in_group = info.is_some_and(|i| i.has(flag::NOUN) || (i.has(flag::ADJ) && first.is_some()));
            if in_group {
                let info = info.unwrap_or_default();
                if info.has(flag::VERBAL_NOUN) {
                    first.get_or_insert(index);
                    last = index;
                    count += 1;
                }
                if first.is_some() && info.has(flag::NOUN) {
                    nouns += 1;
                }
                continue;
            }
            if first.is_some() && joins_nouns(text, index) {
                links += 1;
                continue;
            }
            if let Some(start) = first {
                if count >= min || (links > 0 && count + 1 >= min && nouns >= min) {
                    let (s, e) = (text.tokens[start].start, text.tokens[last].end);
                    out.push(Hit::new(
                        s,
                        e,
                        format!("{count} отглагольных существительных в одной группе слов: назовите хотя бы одно действие глаголом."),
                    ));
                }
            }
            (first, count, nouns, links) = (None, 0, 0, 0);
        }
    }
}

/// Prepositions that hang one noun on another («решение об отказе», «отказ в
/// предоставлении», «заявление на оплату»).
const LINKS: [&str; 6] = ["о", "об", "в", "на", "по", "за"];

/// A linking preposition followed by a noun or an adjective, unless the two make a compound
/// preposition that starts a new phrase («в период проведения», «в ходе проверки»).
fn joins_nouns(text: &Text, index: usize) -> bool {
    index + 1 < text.tokens.len()
        && LINKS.contains(&text.lower(index))
        && text.tokens[index + 1].info.flags & (flag::NOUN | flag::ADJ) != 0
        && !crate::rules::genitive_chain::is_preposition_noun(text, index + 1)
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
    fn chains_joined_by_prepositions() {
        assert_eq!(spans(&VerbalNounChain, "Принято решение об отказе в предоставлении услуги."), ["решение об отказе в предоставлении"]);
        assert_eq!(spans(&VerbalNounChain, "Начато проведение проверки по обращению жильцов."), ["проведение проверки по обращению"]);
    }

    #[test]
    fn titles_and_information_are_not_chains() {
        assert!(spans(&VerbalNounChain, "Закон «О порядке рассмотрения обращений граждан» действует.").is_empty());
        assert!(spans(&VerbalNounChain, "Информация о ходе выполнения работ есть на сайте.").is_empty());
    }

    #[test]
    fn a_compound_preposition_starts_a_new_group() {
        assert!(spans(&VerbalNounChain, "Для обеспечения безопасности движения в период проведения праздника улицу закроют.").is_empty());
        assert_eq!(
            spans(&VerbalNounChain, "Начато проведение проверки исполнения решения в период отпуска."),
            ["проведение проверки исполнения решения"]
        );
    }

    #[test]
    fn good() {
        assert!(spans(&VerbalNounChain, "Заявление о выдаче справки подают в окне 3.").is_empty());
        assert!(spans(&VerbalNounChain, "Мы проверим, как исполнено решение.").is_empty());
        assert!(spans(&VerbalNounChain, "Рассмотрение заявления займёт день.").is_empty());
    }
}
