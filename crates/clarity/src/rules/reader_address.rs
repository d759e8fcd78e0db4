//! A letter that never speaks to the reader. A reply to a citizen written about «заявитель»
//! in the third person reads as a decision about someone else; «вы» and «вам» make it a
//! letter. Only for `kind = "letter"`: an order or a regulation rightly has no «вы».

use crate::config::{Config, DocumentKind};
use crate::morph::flag;
use crate::report::{Family, Severity};
use crate::rules::{Hit, Rule};
use crate::text::Text;

pub(crate) struct NoReaderAddress;

impl Rule for NoReaderAddress {
    fn id(&self) -> &'static str {
        "address.no_reader"
    }

    fn family(&self) -> Family {
        Family::Address
    }

    fn severity(&self) -> Severity {
        Severity::Warning
    }

    fn check(&self, text: &Text, config: &Config, out: &mut Vec<Hit>) {
        if config.kind != DocumentKind::Letter || text.word_count() == 0 {
            return;
        }
        if text.tokens.iter().any(|t| t.info.has(flag::SECOND_PERSON)) {
            return;
        }
        let Some(first) = text.sentences.iter().find(|s| s.words > 0) else { return };
        out.push(Hit::new(
            first.start,
            first.end,
            "Письмо ни разу не обращается к читателю. Пишите ему напрямую: «вы», «вам», «ваше заявление».",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{hits_with, spans};

    fn letter() -> Config {
        Config { kind: DocumentKind::Letter, ..Config::default() }
    }

    #[test]
    fn bad() {
        assert_eq!(hits_with(&NoReaderAddress, "Заявителю отказано в выдаче разрешения.", &letter()).len(), 1);
    }

    #[test]
    fn good() {
        assert!(hits_with(&NoReaderAddress, "Мы отказали вам в выдаче разрешения.", &letter()).is_empty());
        assert!(hits_with(&NoReaderAddress, "Подайте заявление до 1 марта.", &letter()).is_empty());
        // Not a letter: no rule.
        assert!(spans(&NoReaderAddress, "Заявителю отказано в выдаче разрешения.").is_empty());
    }
}
