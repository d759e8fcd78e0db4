//! The parts of a request form shared by the client's public form and the staff intake
//! form: the variant, the subject and contact details, and the offering's own fields.
//! Both read the same names back, so a request is the same whoever typed it in.

use super::ctx::Ctx;
use super::forms::{checkboxes, radios, select, text_input, textarea, Errors, Field, FormData};
use maud::{html, Markup};
use okno_app::requests::NewRequest;
use okno_domain::chain::{Chain, FieldKind, FormField};
use okno_domain::Id;
use std::collections::BTreeMap;

/// The form name of a field's answer; error paths from the app use the same.
fn name_of(f: &FormField) -> String {
    format!("fields.{}", f.key)
}

/// The offering's own fields, each as the input its kind needs.
pub fn own_fields(ctx: &Ctx, form: &[FormField], data: &FormData, errs: &Errors) -> Markup {
    html! {
        @for f in form {
            @let name = name_of(f);
            @let hint = Some(f.hint.as_str()).filter(|h| !h.is_empty());
            @let fld = Field { name: &name, label: &f.label, hint, value: data.get(&name), required: f.required };
            @match f.kind {
                FieldKind::Text => (text_input(ctx, fld, errs, "text", "w-20")),
                FieldKind::Number => (text_input(ctx, fld, errs, "text", "w-10")),
                FieldKind::Date => (text_input(ctx, fld, errs, "date", "w-10")),
                FieldKind::LongText => (textarea(ctx, fld, errs, 4)),
                FieldKind::Choice if f.options.len() <= 5 => {
                    (radios(ctx, fld, errs, &f.options.iter().map(|o| (o.clone(), o.clone())).collect::<Vec<_>>(), ""))
                }
                FieldKind::Choice => (select(ctx, fld, errs, &f.options.iter().map(|o| (o.clone(), o.clone())).collect::<Vec<_>>())),
                FieldKind::Checkbox => {
                    (checkboxes(ctx, fld, errs, &[("true".to_string(), ctx.t("form.yes").to_string())], &|v| data.has(&name, v)))
                }
            }
        }
    }
}

/// The variant as radios, when the offering has more than one (an applicant profile).
pub fn variant_choice(ctx: &Ctx, chain: &Chain, data: &FormData, errs: &Errors) -> Markup {
    if chain.variants.len() < 2 {
        return html! {};
    }
    let options: Vec<(String, String)> = chain
        .variants
        .iter()
        .map(|v| (v.key.clone(), if v.applicant.is_empty() { v.name.clone() } else { format!("{} — {}", v.name, v.applicant) }))
        .collect();
    let chosen = data.opt("variant").unwrap_or(&options[0].0).to_string();
    radios(ctx, Field { name: "variant", label: ctx.t("apply.variant"), hint: None, value: &chosen, required: true }, errs, &options, "")
}

/// The subject and how to reach the client.
pub fn contact_fields(ctx: &Ctx, data: &FormData, errs: &Errors) -> Markup {
    let fld = |name: &'static str, label: &str, hint: Option<&str>, required: bool| Field {
        name,
        label: ctx.lang.t(label),
        hint: hint.map(|h| ctx.lang.t(h)),
        value: data.get(name),
        required,
    };
    html! {
        (textarea(ctx, fld("subject", "apply.subject", Some("apply.subject.hint"), true), errs, 6))
        (text_input(ctx, fld("client_name", "apply.name", None, true), errs, "text", "w-20"))
        (text_input(ctx, fld("client_email", "apply.email", Some("apply.contact.hint"), false), errs, "email", "w-20"))
        (text_input(ctx, fld("client_phone", "apply.phone", None, false), errs, "tel", "w-10"))
        (textarea(ctx, fld("client_address", "apply.address", None, false), errs, 2))
    }
}

/// The request the posted form describes.
pub fn new_request(offering: Id, channel: &str, form: &[FormField], data: &FormData) -> NewRequest {
    let opt = |k: &str| data.opt(k).map(str::to_string);
    let fields: BTreeMap<String, String> = form
        .iter()
        .filter_map(|f| {
            let name = name_of(f);
            // A checkbox sends its value only when ticked; several values mean a forged form.
            let v = data.all(&name).join(",");
            (!v.is_empty()).then(|| (f.key.clone(), v))
        })
        .collect();
    NewRequest {
        offering_id: Some(offering),
        variant: opt("variant"),
        channel: Some(channel.into()),
        client_name: data.get("client_name").into(),
        client_email: opt("client_email"),
        client_phone: opt("client_phone"),
        client_address: opt("client_address"),
        subject: data.get("subject").into(),
        fields,
    }
}
