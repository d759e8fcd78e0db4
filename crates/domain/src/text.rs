//! Validated text newtypes. Constructing one is the only way to prove a string is
//! fit to store, so the rules live here once.

use crate::validation::Invalid;
use serde::Serialize;

fn clean(raw: &str) -> String {
    // Pasted text from office documents brings NBSPs and runs of spaces; keep one space.
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn has_control(s: &str) -> bool {
    s.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
}

/// A required one-line name: 1..=max characters after trimming, no control characters.
pub fn name(field: &str, raw: &str, max: usize) -> Result<String, Invalid> {
    let s = clean(raw);
    if s.is_empty() {
        return Err(Invalid::one(field, "required", "must not be empty"));
    }
    if s.chars().count() > max {
        return Err(Invalid::one(field, "too_long", format!("must be at most {max} characters")));
    }
    if has_control(&s) {
        return Err(Invalid::one(field, "control_chars", "must not contain control characters"));
    }
    Ok(s)
}

/// Optional multi-line text: line breaks kept, trailing space trimmed, bounded length.
pub fn long_text(field: &str, raw: &str, max: usize) -> Result<String, Invalid> {
    let s = raw.replace("\r\n", "\n").trim().to_string();
    if s.chars().count() > max {
        return Err(Invalid::one(field, "too_long", format!("must be at most {max} characters")));
    }
    if has_control(&s) {
        return Err(Invalid::one(field, "control_chars", "must not contain control characters"));
    }
    Ok(s)
}

/// A list of short items (acts, documents): blanks dropped, each item a valid name,
/// duplicates removed keeping the first.
pub fn list(field: &str, items: &[String], max_items: usize, max_len: usize) -> Result<Vec<String>, Invalid> {
    let mut out: Vec<String> = Vec::new();
    let mut errs = Invalid::default();
    for (i, raw) in items.iter().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        if let Some(v) = errs.take(name(&format!("{field}[{i}]"), raw, max_len)) {
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    if out.len() > max_items {
        errs.push(field, "too_many", format!("must have at most {max_items} items"));
    }
    errs.into_result().map(|_| out)
}

/// An e-mail address of a staff member. Only the shape is checked: delivery proves the rest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &str, raw: &str) -> Result<Email, Invalid> {
        let s = raw.trim().to_lowercase();
        let bad = || Invalid::one(field, "invalid_email", "must be an e-mail address like name@example.ru");
        if s.len() > 254 || s.chars().any(char::is_whitespace) {
            return Err(bad());
        }
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        if local.is_empty()
            || domain.len() < 3
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains('@')
        {
            return Err(bad());
        }
        Ok(Email(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(name("n", "  Выписка \u{a0} из  реестра ", 10_000).unwrap(), "Выписка из реестра");
        assert_eq!(name("n", "   ", 10).unwrap_err().0[0].code, "required");
        assert_eq!(name("n", "абвгд", 4).unwrap_err().0[0].code, "too_long");
        assert!(name("n", "абвг", 4).is_ok(), "the limit counts characters, not bytes");
        assert_eq!(name("n", "a\u{7}b", 10).unwrap_err().0[0].code, "control_chars");
    }

    #[test]
    fn lists_drop_blanks_and_duplicates() {
        let v = list("docs", &["Паспорт".into(), " ".into(), "Паспорт".into(), "СНИЛС".into()], 5, 100).unwrap();
        assert_eq!(v, vec!["Паспорт", "СНИЛС"]);
        let err = list("docs", &["a".into(), "b".into(), "c".into()], 2, 100).unwrap_err();
        assert_eq!(err.0[0].code, "too_many");
        let err = list("docs", &["ok".into(), "x".repeat(11)], 5, 10).unwrap_err();
        assert_eq!(err.0[0].field, "docs[1]");
    }

    #[test]
    fn emails_are_checked_for_shape() {
        assert_eq!(Email::parse("e", " Ivanova@Mfc.Example.RU ").unwrap().as_str(), "ivanova@mfc.example.ru");
        for bad in ["", "ivanova", "@example.ru", "a@b", "a b@example.ru", "a@example.", "a@@example.ru"] {
            assert!(Email::parse("e", bad).is_err(), "{bad} should be refused");
        }
    }
}
