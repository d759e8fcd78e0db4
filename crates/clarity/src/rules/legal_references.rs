//! Overloaded legal references: more than one reference to articles or acts in a sentence
//! («в соответствии с п. 3 ч. 2 ст. 7 Федерального закона № 210-ФЗ и постановлением …»).
//! The citizen needs what the law means for them; the references can go to the end or to a
//! footnote, one per sentence.

use crate::config::Config;
use crate::report::{Family, Severity};
use crate::rules::{Hit, Rule};
use crate::text::{Kind, Text};

pub(crate) struct OverloadedReferences;

/// Words (lower case, «е» for «ё») that open a reference to a part of an act, when a number
/// follows: «ст. 7», «пункта 3», «ч. 2».
fn is_part_marker(word: &str) -> bool {
    const PREFIXES: [&str; 8] = ["стать", "пункт", "подпункт", "част", "абзац", "глав", "раздел", "приложени"];
    matches!(word, "ст." | "п." | "пп." | "ч." | "подп." | "абз." | "гл." | "разд." | "прил." | "ст" | "п" | "ч")
        || PREFIXES.iter().any(|p| word.starts_with(p))
}

/// Words that name an act: «закон», «кодекс», «постановление», «приказ», «указ», «распоряжение».
fn is_act(word: &str) -> bool {
    const PREFIXES: [&str; 8] = ["закон", "кодекс", "постановлени", "приказ", "указ", "распоряжени", "регламент", "конституци"];
    PREFIXES.iter().any(|p| word.starts_with(p)) && word != "законный" && !word.starts_with("приказыва") && !word.starts_with("указан")
}

/// How many tokens apart two markers may stand and still be one reference («п. 3 ч. 2 ст. 7
/// Федерального закона от 27.07.2010 № 210-ФЗ»).
const SAME_REFERENCE: usize = 6;

impl Rule for OverloadedReferences {
    fn id(&self) -> &'static str {
        "legal.overloaded_references"
    }

    fn family(&self) -> Family {
        Family::Legal
    }

    fn severity(&self) -> Severity {
        Severity::Warning
    }

    fn check(&self, text: &Text, config: &Config, out: &mut Vec<Hit>) {
        for sentence in &text.sentences {
            let mut references = 0;
            let mut last_marker: Option<usize> = None;
            let tokens = sentence.tokens.clone();
            let mut quoted = 0usize;
            for index in tokens.clone() {
                let word = text.lower(index);
                match word {
                    "«" | "\"" | "„" => quoted += 1,
                    "»" | "“" => quoted = quoted.saturating_sub(1),
                    _ => {}
                }
                if quoted > 0 {
                    // The title of an act in quotes belongs to the reference before it.
                    if let Some(last) = last_marker.as_mut() {
                        *last = index;
                    }
                    continue;
                }
                if matches!(word, "и" | "или" | "," | ";" | "также") {
                    // A list of references is several references.
                    last_marker = None;
                    continue;
                }
                let next_is_number = text.tokens.get(index + 1).is_some_and(|t| t.kind == Kind::Number)
                    || text.tokens.get(index + 1).is_some_and(|_| text.form(index + 1).starts_with(|c: char| c.is_ascii_digit()));
                let marker = (is_part_marker(word) && next_is_number) || is_act(word) || word == "№";
                if !marker {
                    continue;
                }
                if last_marker.is_none_or(|last| index - last > SAME_REFERENCE) {
                    references += 1;
                }
                last_marker = Some(index);
            }
            if references > config.limits.legal_references {
                out.push(Hit::new(
                    sentence.start,
                    sentence.end,
                    format!(
                        "В предложении {references} ссылки на нормативные акты. Сначала скажите, что это значит для читателя, а ссылки вынесите в конец — по одной на предложение."
                    ),
                ));
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
        let text = "В соответствии со ст. 7 Федерального закона № 210-ФЗ и постановлением Правительства от 01.02.2020 № 123 вам отказано.";
        assert_eq!(spans(&OverloadedReferences, text).len(), 1);
        assert_eq!(
            spans(&OverloadedReferences, "Согласно п. 3 ст. 5 и ч. 2 ст. 9 Кодекса, а также пункту 7 Правил, срок — месяц.").len(),
            1
        );
    }

    #[test]
    fn good() {
        assert!(spans(
            &OverloadedReferences,
            "По пункту 3 части 2 статьи 7 Федерального закона от 27.07.2010 № 210-ФЗ вы можете подать жалобу."
        )
        .is_empty());
        assert!(spans(&OverloadedReferences, "Вы можете подать жалобу. Так говорит закон.").is_empty());
    }
}
