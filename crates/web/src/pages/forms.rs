//! Form building blocks in the GOV.UK manner: label above, hint, message beside the
//! field, an error summary at the top linking to each field, input kept on error.

use super::ctx::Ctx;
use maud::{html, Markup};
use okno_domain::FieldError;

/// Posted form fields in order; repeated names (checkboxes) are kept.
#[derive(Clone, Debug, Default)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    pub fn opt(&self, name: &str) -> Option<&str> {
        Some(self.get(name).trim()).filter(|v| !v.is_empty())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }

    pub fn lines(&self, name: &str) -> Vec<String> {
        self.get(name).lines().map(str::to_string).collect()
    }

    pub fn has(&self, name: &str, value: &str) -> bool {
        self.0.iter().any(|(k, v)| k == name && v == value)
    }
}

/// The HTML id for a form field name.
pub fn field_id(name: &str) -> String {
    format!("f-{}", name.replace(['.', '[', ']'], "-"))
}

/// The form field an API field error belongs to: `legal_basis[2]` → `legal_basis`.
pub fn form_field(api_field: &str) -> String {
    match api_field {
        "term.value" => "term_value".into(),
        "term.unit" => "term_unit".into(),
        "fee_kopecks" => "fee".into(),
        // An answer to an offering's own field has its own input.
        f if f.starts_with("fields.") => f.into(),
        // segments[1].benefit → the segments list, where that benefit is typed.
        f => f.split(['[', '.']).next().unwrap_or(f).to_string(),
    }
}

/// The message for a field error in the page's language.
pub fn message(ctx: &Ctx, e: &FieldError) -> String {
    let key = format!("err.{}", e.code);
    if crate::i18n::has_key(&key) {
        ctx.lang.t(&key).to_string()
    } else {
        e.message.clone()
    }
}

pub struct Errors<'a> {
    pub list: &'a [FieldError],
}

impl<'a> Errors<'a> {
    pub fn for_field(&self, name: &str) -> Option<&'a FieldError> {
        self.list.iter().find(|e| form_field(&e.field) == name)
    }
}

pub fn error_summary(ctx: &Ctx, errors: &[FieldError]) -> Markup {
    if errors.is_empty() {
        return html! {};
    }
    html! {
        div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
            h2 #error-summary-title { (ctx.t("err.summary")) }
            ul {
                @for e in errors {
                    li { a href={"#" (field_id(&form_field(&e.field)))} { (message(ctx, e)) } }
                }
            }
        }
    }
}

fn described_by(name: &str, hint: bool, err: bool) -> Option<String> {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{}-hint", field_id(name)));
    }
    if err {
        ids.push(format!("{}-error", field_id(name)));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

fn hint_and_error(ctx: &Ctx, name: &str, hint: Option<&str>, err: Option<&FieldError>) -> Markup {
    html! {
        @if let Some(h) = hint { div.hint id={(field_id(name)) "-hint"} { (h) } }
        @if let Some(e) = err { p.field-error id={(field_id(name)) "-error"} { span.visually-hidden { (ctx.t("err.prefix")) " " } (message(ctx, e)) } }
    }
}

pub struct Field<'a> {
    pub name: &'a str,
    pub label: &'a str,
    pub hint: Option<&'a str>,
    pub value: &'a str,
    pub required: bool,
}

pub fn text_input(ctx: &Ctx, f: Field<'_>, errors: &Errors<'_>, input_type: &str, width: &str) -> Markup {
    let err = errors.for_field(f.name);
    html! {
        div.form-group.has-error[err.is_some()] {
            label.label for=(field_id(f.name)) { (f.label) @if !f.required { " " span.optional { "(" (ctx.t("common.optional")) ")" } } }
            (hint_and_error(ctx, f.name, f.hint, err))
            input class={"input " (width)} type=(input_type) id=(field_id(f.name)) name=(f.name) value=(f.value)
                aria-describedby=[described_by(f.name, f.hint.is_some(), err.is_some())]
                aria-invalid=[err.is_some().then_some("true")] required[f.required];
        }
    }
}

pub fn textarea(ctx: &Ctx, f: Field<'_>, errors: &Errors<'_>, rows: u32) -> Markup {
    let err = errors.for_field(f.name);
    html! {
        div.form-group.has-error[err.is_some()] {
            label.label for=(field_id(f.name)) { (f.label) @if !f.required { " " span.optional { "(" (ctx.t("common.optional")) ")" } } }
            (hint_and_error(ctx, f.name, f.hint, err))
            textarea.textarea id=(field_id(f.name)) name=(f.name) rows=(rows)
                aria-describedby=[described_by(f.name, f.hint.is_some(), err.is_some())]
                aria-invalid=[err.is_some().then_some("true")] { (f.value) }
        }
    }
}

/// A select; `options` are (value, label). An empty first option when not required.
pub fn select(ctx: &Ctx, f: Field<'_>, errors: &Errors<'_>, options: &[(String, String)]) -> Markup {
    let err = errors.for_field(f.name);
    html! {
        div.form-group.has-error[err.is_some()] {
            label.label for=(field_id(f.name)) { (f.label) @if !f.required { " " span.optional { "(" (ctx.t("common.optional")) ")" } } }
            (hint_and_error(ctx, f.name, f.hint, err))
            select.select id=(field_id(f.name)) name=(f.name)
                aria-describedby=[described_by(f.name, f.hint.is_some(), err.is_some())]
                aria-invalid=[err.is_some().then_some("true")] {
                option value="" { (ctx.t("common.choose")) }
                @for (v, l) in options { option value=(v) selected[v == f.value] { (l) } }
            }
        }
    }
}

/// Radios in a fieldset whose legend is the question.
pub fn radios(ctx: &Ctx, f: Field<'_>, errors: &Errors<'_>, options: &[(String, String)], class: &str) -> Markup {
    let err = errors.for_field(f.name);
    html! {
        div.form-group.has-error[err.is_some()] {
            fieldset class={"fieldset " (class)} aria-describedby=[described_by(f.name, f.hint.is_some(), err.is_some())] {
                legend.label { (f.label) }
                (hint_and_error(ctx, f.name, f.hint, err))
                div.radios {
                    @for (i, (v, l)) in options.iter().enumerate() {
                        @let id = if i == 0 { field_id(f.name) } else { format!("{}-{}", field_id(f.name), v) };
                        div.radio {
                            input type="radio" id=(id) name=(f.name) value=(v) checked[v == f.value];
                            label for=(id) { (l) }
                        }
                    }
                }
            }
        }
    }
}

/// Checkboxes; `checked` says which values are ticked.
pub fn checkboxes(ctx: &Ctx, f: Field<'_>, errors: &Errors<'_>, options: &[(String, String)], checked: &dyn Fn(&str) -> bool) -> Markup {
    let err = errors.for_field(f.name);
    html! {
        div.form-group.has-error[err.is_some()] {
            fieldset.fieldset aria-describedby=[described_by(f.name, f.hint.is_some(), err.is_some())] {
                legend.label { (f.label) @if !f.required { " " span.optional { "(" (ctx.t("common.optional")) ")" } } }
                (hint_and_error(ctx, f.name, f.hint, err))
                div.checkboxes {
                    @for (i, (v, l)) in options.iter().enumerate() {
                        @let id = if i == 0 { field_id(f.name) } else { format!("{}-{}", field_id(f.name), i) };
                        div.checkbox {
                            input type="checkbox" id=(id) name=(f.name) value=(v) checked[checked(v)];
                            label for=(id) { (l) }
                        }
                    }
                }
            }
        }
    }
}

/// The session's CSRF token as a hidden field: every form that posts carries it.
pub fn csrf_field(ctx: &Ctx) -> Markup {
    html! { @if let Some(t) = &ctx.csrf { input type="hidden" name="_csrf" value=(t); } }
}

/// The same for a multipart form, whose body the CSRF check does not read: `?_csrf=…`.
pub fn csrf_query(ctx: &Ctx) -> String {
    ctx.csrf.as_ref().map(|t| format!("?_csrf={t}")).unwrap_or_default()
}

/// Status as words and colour together, never colour alone.
pub fn status_tag(ctx: &Ctx, status: okno_domain::offering::Status) -> Markup {
    html! { strong class={"tag tag-" (status.code())} { (ctx.label("status", status.code())) } }
}

pub fn side_tag(ctx: &Ctx, side: okno_domain::segment::Side) -> Markup {
    html! { span class={"tag tag-" (side.code())} { (ctx.label("side1", side.code())) } }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_fields_map_to_form_fields() {
        assert_eq!(form_field("legal_basis[2]"), "legal_basis");
        assert_eq!(form_field("term.value"), "term_value");
        assert_eq!(form_field("segments[1].benefit"), "segments");
        assert_eq!(form_field("fee_kopecks"), "fee");
        assert_eq!(form_field("name"), "name");
        assert_eq!(field_id("term.value"), "f-term-value");
    }
}
