//! The request form of an offering: the fields a client fills in besides their contact
//! details and the subject. The form is part of the chain, so it is versioned with it: a
//! request's answers are read against the form it was submitted with.
//!
//! Answers travel as strings (HTML forms, Open311 attributes, JSON alike) and are checked
//! here once, field by field, so every channel refuses the same input with the same words.

use crate::text;
use crate::validation::Invalid;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

string_enum! {
    /// What kind of answer a field takes.
    pub enum FieldKind {
        Text = "text",
        LongText = "long_text",
        Number = "number",
        Date = "date",
        Choice = "choice",
        Checkbox = "checkbox",
    }
}

pub const MAX_FIELDS: usize = 30;
pub const MAX_OPTIONS: usize = 50;
pub const LABEL_MAX: usize = 200;
pub const HINT_MAX: usize = 500;
pub const OPTION_MAX: usize = 200;
/// Longest answer to a one-line field, and to a long one.
pub const TEXT_ANSWER_MAX: usize = 500;
pub const LONG_ANSWER_MAX: usize = 5000;

/// Keys every request already has (contact details, the subject): a field may not reuse
/// them, or an Open311 attribute and a form answer would mean two things.
pub const RESERVED: &[&str] = &["subject", "client_name", "client_email", "client_phone", "client_address", "variant", "channel"];

/// One field of an offering's request form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FormField {
    /// Stable key: answers, Open311 attribute codes and exports name the field by it.
    pub key: String,
    /// The question as the client reads it.
    pub label: String,
    /// A line of help under the label.
    #[serde(default)]
    pub hint: String,
    pub kind: FieldKind,
    #[serde(default)]
    pub required: bool,
    /// The choices of a `choice` field, in the order shown.
    #[serde(default)]
    pub options: Vec<String>,
}

impl FormField {
    /// The longest answer this field takes, in characters.
    pub fn max_len(&self) -> usize {
        match self.kind {
            FieldKind::LongText => LONG_ANSWER_MAX,
            _ => TEXT_ANSWER_MAX,
        }
    }
}

/// The form with its texts cleaned, or every problem by path (`form[2].options`).
pub fn validate(form: &[FormField]) -> Result<Vec<FormField>, Invalid> {
    let mut e = Invalid::default();
    if form.len() > MAX_FIELDS {
        e.push("form", "too_many", format!("a form has at most {MAX_FIELDS} fields"));
    }
    let mut out: Vec<FormField> = Vec::new();
    for (i, f) in form.iter().enumerate() {
        let p = format!("form[{i}]");
        let key = e.take(super::key(&format!("{p}.key"), &f.key)).unwrap_or_default();
        if !key.is_empty() && out.iter().any(|x| x.key == key) {
            e.push(format!("{p}.key"), "duplicate", "another field has this key");
        }
        if RESERVED.contains(&key.as_str()) {
            e.push(format!("{p}.key"), "reserved", "every form already asks this; choose another key");
        }
        let label = e.take(text::name(&format!("{p}.label"), &f.label, LABEL_MAX)).unwrap_or_default();
        let hint = e.take(text::long_text(&format!("{p}.hint"), &f.hint, HINT_MAX)).unwrap_or_default();
        let options = if f.kind == FieldKind::Choice {
            let opts = e.take(text::list(&format!("{p}.options"), &f.options, MAX_OPTIONS, OPTION_MAX)).unwrap_or_default();
            if opts.len() < 2 {
                e.push(format!("{p}.options"), "too_few", "a choice needs at least two options");
            }
            opts
        } else {
            Vec::new()
        };
        out.push(FormField { key, label, hint, kind: f.kind, required: f.required, options });
    }
    e.into_result()?;
    Ok(out)
}

/// Checks a client's answers against the form: every required field answered, each answer
/// of its kind, no field the form does not have. Returns the answers cleaned (blank ones
/// dropped, checkboxes as `"true"`, dates as `YYYY-MM-DD`). Errors name `fields.<key>`.
pub fn check_answers(form: &[FormField], answers: &BTreeMap<String, String>) -> Result<BTreeMap<String, String>, Invalid> {
    let mut e = Invalid::default();
    for k in answers.keys() {
        if !form.iter().any(|f| &f.key == k) {
            e.push(format!("fields.{k}"), "unknown", "this form has no such field");
        }
    }
    let mut out = BTreeMap::new();
    for f in form {
        let path = format!("fields.{}", f.key);
        let raw = answers.get(&f.key).map(|s| s.trim()).unwrap_or("");
        if raw.is_empty() {
            if f.required && f.kind != FieldKind::Checkbox {
                e.push(path, "required", format!("answer «{}»", f.label));
            } else if f.required {
                e.push(path, "required", format!("tick «{}» to go on", f.label));
            }
            continue;
        }
        let value = match f.kind {
            FieldKind::Text => e.take(text::name(&path, raw, f.max_len())),
            FieldKind::LongText => e.take(text::long_text(&path, raw, f.max_len())),
            FieldKind::Number => match raw.replace(',', ".").replace(' ', "").parse::<f64>() {
                Ok(n) if n.is_finite() && raw.chars().count() <= 30 => Some(raw.replace(' ', "")),
                _ => {
                    e.push(path, "not_a_number", "write a number, e.g. 12 or 3,5");
                    None
                }
            },
            FieldKind::Date => match parse_date(raw) {
                Some(d) => Some(d),
                None => {
                    e.push(path, "not_a_date", "write a date as 2026-11-27 or 27.11.2026");
                    None
                }
            },
            FieldKind::Choice => match f.options.iter().find(|o| o.as_str() == raw) {
                Some(o) => Some(o.clone()),
                None => {
                    e.push(path, "not_an_option", "choose one of the listed options");
                    None
                }
            },
            FieldKind::Checkbox => match raw {
                "true" | "on" | "yes" | "1" => Some("true".to_string()),
                "false" | "off" | "no" | "0" if !f.required => None,
                "false" | "off" | "no" | "0" => {
                    e.push(path, "required", format!("tick «{}» to go on", f.label));
                    None
                }
                _ => {
                    e.push(path, "not_a_checkbox", "answer true or false");
                    None
                }
            },
        };
        if let Some(v) = value {
            out.insert(f.key.clone(), v);
        }
    }
    e.into_result()?;
    Ok(out)
}

/// `YYYY-MM-DD` (what a browser's date input sends) or `DD.MM.YYYY` (what people type).
fn parse_date(raw: &str) -> Option<String> {
    let (y, m, d) = if let [y, m, d] = raw.split('-').collect::<Vec<_>>()[..] {
        (y, m, d)
    } else if let [d, m, y] = raw.split('.').collect::<Vec<_>>()[..] {
        (y, m, d)
    } else {
        return None;
    };
    let (y, m, d): (i32, u8, u8) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if !(1900..=2100).contains(&y) {
        return None;
    }
    let date = time::Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok()?;
    Some(format!("{:04}-{:02}-{:02}", date.year(), date.month() as u8, date.day()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(key: &str, kind: FieldKind, required: bool) -> FormField {
        FormField { key: key.into(), label: format!("Поле {key}"), hint: String::new(), kind, required, options: vec![] }
    }

    fn answers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_choice_needs_two_options_and_keys_are_unique() {
        let mut c = field("kind", FieldKind::Choice, true);
        c.options = vec!["Один".into()];
        let err = validate(&[c.clone(), field("kind", FieldKind::Text, false)]).unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["form[0].options", "form[1].key"]);
        c.options.push("Два".into());
        assert_eq!(validate(&[c]).unwrap()[0].options.len(), 2);
    }

    #[test]
    fn answers_are_checked_by_kind() {
        let mut choice = field("where", FieldKind::Choice, true);
        choice.options = vec!["Лично".into(), "Почтой".into()];
        let form = vec![
            field("area", FieldKind::Number, true),
            field("born", FieldKind::Date, false),
            choice,
            field("agree", FieldKind::Checkbox, true),
        ];
        let ok = check_answers(&form, &answers(&[("area", "12,5"), ("born", "27.11.1990"), ("where", "Почтой"), ("agree", "on")])).unwrap();
        assert_eq!(ok["born"], "1990-11-27");
        assert_eq!(ok["agree"], "true");
        let err =
            check_answers(&form, &answers(&[("area", "много"), ("born", "31.02.1990"), ("where", "Голубем"), ("extra", "x")])).unwrap_err();
        let codes: Vec<(&str, &str)> = err.0.iter().map(|f| (f.field.as_str(), f.code)).collect();
        assert!(codes.contains(&("fields.extra", "unknown")), "{codes:?}");
        assert!(codes.contains(&("fields.area", "not_a_number")), "{codes:?}");
        assert!(codes.contains(&("fields.born", "not_a_date")), "{codes:?}");
        assert!(codes.contains(&("fields.where", "not_an_option")), "{codes:?}");
        assert!(codes.contains(&("fields.agree", "required")), "{codes:?}");
    }

    #[test]
    fn blank_optional_answers_are_dropped_and_long_ones_refused() {
        let form = vec![field("note", FieldKind::Text, false)];
        assert!(check_answers(&form, &answers(&[("note", "  ")])).unwrap().is_empty());
        let long = "я".repeat(TEXT_ANSWER_MAX + 1);
        assert_eq!(check_answers(&form, &answers(&[("note", &long)])).unwrap_err().0[0].code, "too_long");
    }
}
