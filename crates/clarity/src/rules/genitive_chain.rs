//! Genitive chains: nouns hanging on each other in the genitive («обеспечения реализации
//! мероприятий программы»). The reader has to hold every link to reach the meaning; a verb
//! or a split into two sentences breaks the chain.

use crate::config::Config;
use crate::morph::flag;
use crate::report::{Family, Severity};
use crate::rules::{Hit, Rule};
use crate::text::{Kind, Text};

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
        let names = fixed_names(text);
        let mut emit = |first: Option<usize>, last: usize, nouns: usize| {
            if let Some(first) = first {
                if nouns >= min {
                    let (start, end) = (text.tokens[first].start, text.tokens[last].end);
                    out.push(Hit::new(
                        start,
                        end,
                        format!("Цепочка из {nouns} существительных, каждое в родительном падеже при предыдущем: разбейте её глаголом или на два предложения."),
                    ));
                }
            }
        };
        let (mut first, mut last, mut nouns) = (None, 0, 0);
        for (index, token) in text.tokens.iter().enumerate() {
            match link(token.info).filter(|_| !names[index]) {
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
                        if nouns == 0 {
                            // The head the first genitive depends on counts too, whatever its
                            // case («порядок приёма граждан»): the issue's «three nouns».
                            let start = first.unwrap_or(index);
                            if let Some(head) = start.checked_sub(1) {
                                let t = text.tokens[head];
                                if t.kind == Kind::Word && t.info.has(flag::NOUN) && !names[head] && !is_preposition_noun(text, head) {
                                    first = Some(head);
                                    nouns += 1;
                                }
                            }
                        }
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

/// The noun of a compound preposition («в целях», «в случае», «по мере»): not a head. «О
/// ходе работ» has a real head, so the preposition must be the compound's own.
pub(crate) fn is_preposition_noun(text: &Text, index: usize) -> bool {
    const COMPOUNDS: [(&str, &str); 17] = [
        ("в", "целях"),
        ("в", "случае"),
        ("в", "рамках"),
        ("в", "ходе"),
        ("в", "течение"),
        ("в", "результате"),
        ("в", "связи"),
        ("в", "сфере"),
        ("в", "отношении"),
        ("в", "интересах"),
        ("в", "качестве"),
        ("в", "части"),
        ("по", "мере"),
        ("за", "счет"),
        ("на", "основании"),
        ("в", "период"),
        ("в", "процессе"),
    ];
    index > 0 && COMPOUNDS.contains(&(text.lower(index - 1), text.lower(index)))
}

/// Words the writer cannot change: inside «…» (the title of an act) or capitalised in the
/// middle of a sentence (the name of a body: «Правительства Московской области»).
pub(crate) fn fixed_names(text: &Text) -> Vec<bool> {
    let mut names = vec![false; text.tokens.len()];
    for sentence in &text.sentences {
        let mut quoted = 0usize;
        let mut first_word = true;
        for index in sentence.tokens.clone() {
            let form = text.form(index);
            match form {
                "«" => quoted += 1,
                "»" => quoted = quoted.saturating_sub(1),
                _ => {}
            }
            let capital = form.chars().next().is_some_and(char::is_uppercase);
            // «настоящего Порядка», «настоящим Регламентом»: the document itself, by a
            // common noun written with a capital. The writer can rephrase it.
            let this_document = index > sentence.tokens.start && text.lower(index - 1).starts_with("настоящ");
            names[index] = quoted > 0 || (capital && !first_word && !this_document);
            if text.tokens[index].is_word() {
                first_word = false;
            }
        }
    }
    names
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
            ["Срок исполнения государственной функции контроля"]
        );
    }

    #[test]
    fn a_head_in_another_case_counts() {
        assert_eq!(spans(&GenitiveChain, "Утвердить порядок приёма граждан."), ["порядок приёма граждан"]);
        assert_eq!(spans(&GenitiveChain, "Представьте справку о доходах членов семьи."), ["доходах членов семьи"]);
    }

    #[test]
    fn a_compound_preposition_is_not_a_head() {
        assert!(spans(&GenitiveChain, "В случае непредставления документов выплату остановят.").is_empty());
        assert!(spans(&GenitiveChain, "Очередь движется по мере поступления заявлений.").is_empty());
        assert_eq!(spans(&GenitiveChain, "Сообщим о ходе выполнения работ."), ["ходе выполнения работ"]);
        assert!(spans(&GenitiveChain, "На основании заключения межведомственной комиссии дом признан аварийным.").is_empty());
    }

    #[test]
    fn this_document_by_a_capitalised_name_is_a_link() {
        assert_eq!(
            spans(&GenitiveChain, "Виновные в нарушении требований настоящего Порядка несут ответственность."),
            ["нарушении требований настоящего Порядка"]
        );
    }

    #[test]
    fn names_of_bodies_and_acts_are_not_chains() {
        assert!(spans(&GenitiveChain, "Это решение постановлением Правительства Московской области отменено.").is_empty());
        assert!(spans(&GenitiveChain, "Закон «О порядке рассмотрения обращений граждан» действует.").is_empty());
    }

    #[test]
    fn good() {
        assert!(spans(&GenitiveChain, "Мы приняли порядок. Граждане придут в среду.").is_empty());
        assert!(spans(&GenitiveChain, "Мы выполним мероприятия программы в срок.").is_empty());
        assert!(spans(&GenitiveChain, "Копия паспорта заявителя.").len() <= 1);
    }
}
