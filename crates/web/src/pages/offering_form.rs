//! Creating and editing an offering through the form.

use super::catalogue::vocab_options;
use super::ctx::Ctx;
use super::forms::{checkboxes, error_summary, field_id, radios, select, text_input, textarea, Errors, Field, FormData};
use super::layout::{crumb, page};
use super::{choose_body, parse_id, refused, see_other, OrPage, PageError};
use crate::state::{AppState, CurrentActor};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use maud::{html, Markup};
use okno_app::AppError;
use okno_domain::offering::{
    parse_roubles, Channel, Kind, Offering, OfferingInput, OutputLink, ProductType, SegmentLink, ServiceKind, Status, TermInput, TermUnit,
};
use okno_domain::org::Body;
use okno_domain::{FieldError, Id, Invalid};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct BodyQ {
    body: Option<String>,
}

/// The form's view of an offering: what was posted, or what is stored.
fn form_from_offering(o: &Offering) -> FormData {
    let mut v: Vec<(String, String)> = vec![
        ("name".into(), o.name.clone()),
        ("description".into(), o.description.clone()),
        ("kind".into(), o.kind.code().into()),
        ("product_type".into(), o.product_type.map(|p| p.code().to_string()).unwrap_or_default()),
        ("service_kind".into(), o.service_kind.map(|p| p.code().to_string()).unwrap_or_default()),
        ("owner_unit_id".into(), o.owner_unit.id.to_string()),
        ("responsible_employee_id".into(), o.responsible_employee.as_ref().map(|e| e.id.to_string()).unwrap_or_default()),
        ("legal_basis".into(), o.legal_basis.join("\n")),
        (
            "fee".into(),
            o.fee_kopecks
                .map(|k| if k % 100 == 0 { (k / 100).to_string() } else { format!("{},{:02}", k / 100, k % 100) })
                .unwrap_or_default(),
        ),
        ("term_value".into(), o.term.map(|t| t.value.to_string()).unwrap_or_default()),
        ("term_unit".into(), o.term.map(|t| t.unit.code().to_string()).unwrap_or_default()),
        ("required_documents".into(), o.required_documents.join("\n")),
        ("status".into(), o.status.code().into()),
        ("version".into(), o.version.to_string()),
    ];
    v.extend(o.channels.iter().map(|c| ("channels".to_string(), c.code().to_string())));
    for s in &o.segments {
        v.push(("seg".into(), s.id.to_string()));
        v.push((format!("benefit-{}", s.id), s.benefit.clone()));
    }
    for out in &o.outputs {
        v.push(("out".into(), out.product_id.to_string()));
        v.push((format!("note-{}", out.product_id), out.note.clone()));
    }
    FormData(v)
}

/// Reads the posted form into API input; problems only the form can have (a fee that is
/// not a number) are returned beside it.
fn input_from_form(body: Id, f: &FormData) -> (OfferingInput, Invalid) {
    let mut e = Invalid::default();
    let ids = |name: &str| f.all(name).into_iter().filter_map(|s| s.parse::<Id>().ok()).collect::<Vec<_>>();
    let fee_kopecks = e.take(parse_roubles("fee_kopecks", f.get("fee"))).flatten();
    let term = match f.opt("term_value") {
        None => None,
        Some(v) => match v.parse::<i64>() {
            Ok(value) => Some(TermInput { value, unit: f.get("term_unit").to_string() }),
            Err(_) => {
                e.push("term.value", "not_a_number", "must be a whole number");
                None
            }
        },
    };
    let input = OfferingInput {
        body_id: Some(body),
        name: f.get("name").into(),
        description: f.get("description").into(),
        kind: f.get("kind").into(),
        product_type: if f.get("kind") == "product" { f.opt("product_type").map(Into::into) } else { None },
        service_kind: if f.get("kind") == "service" { f.opt("service_kind").map(Into::into) } else { None },
        owner_unit_id: f.opt("owner_unit_id").and_then(|s| s.parse().ok()),
        responsible_employee_id: f.opt("responsible_employee_id").and_then(|s| s.parse().ok()),
        legal_basis: f.lines("legal_basis"),
        channels: f.all("channels").into_iter().map(Into::into).collect(),
        fee_kopecks,
        term,
        required_documents: f.lines("required_documents"),
        status: f.opt("status").map(Into::into),
        segments: ids("seg")
            .into_iter()
            .map(|id| SegmentLink { segment_id: id, benefit: f.get(&format!("benefit-{id}")).into() })
            .collect(),
        // Outputs only exist for services; a product form may still carry ticked boxes
        // from before the kind was switched.
        outputs: if f.get("kind") == "service" {
            ids("out").into_iter().map(|id| OutputLink { product_id: id, note: f.get(&format!("note-{id}")).into() }).collect()
        } else {
            vec![]
        },
        version: f.opt("version").and_then(|v| v.parse().ok()),
    };
    (input, e)
}

async fn render_form(
    st: &AppState,
    actor: &okno_app::Actor,
    ctx: &Ctx,
    body: &Body,
    existing: Option<&Offering>,
    f: &FormData,
    errors: &[FieldError],
) -> Result<Markup, PageError> {
    // The form is for those who may save it in this body, not only somewhere.
    actor.require_in(okno_app::policy::Action::EditOfferings, body.id).or_page(ctx)?;
    let units = st.app.list_units(body.id).await.or_page(ctx)?;
    let employees = st.app.list_employees(actor, body.id).await.or_page(ctx)?;
    let segments = st.app.list_segments(body.id).await.or_page(ctx)?;
    let products: Vec<Offering> =
        st.app.products(actor, body.id).await.or_page(ctx)?.into_iter().filter(|p| Some(p.id) != existing.map(|e| e.id)).collect();
    let errs = Errors { list: errors };
    let (title, action) = match existing {
        Some(o) => (format!("{}: {}", ctx.t("off.edit"), o.name), format!("/offerings/{}/edit", o.id)),
        None => (ctx.t("off.new").to_string(), format!("/offerings/new?body={}", body.id)),
    };
    let mut crumbs =
        vec![crumb(format!("/bodies/{}", body.id), body.name.clone()), crumb(format!("/offerings?body={}", body.id), ctx.t("cat.title"))];
    if let Some(o) = existing {
        crumbs.push(crumb(format!("/offerings/{}", o.id), o.name.clone()));
    }
    let fld = |name: &'static str, label: &'static str, hint: Option<&'static str>, required: bool| Field {
        name,
        label,
        hint,
        value: f.get(name),
        required,
    };
    let seg_err = errs.for_field("segments");
    let out_err = errs.for_field("outputs");
    Ok(page(
        ctx,
        &title,
        &crumbs,
        html! {
            (error_summary(ctx, errors))
            h1 { (title) }
            form.offering-form method="post" action=(action) novalidate {
                (super::forms::csrf_field(ctx))
                input type="hidden" name="version" value=(f.get("version"));
                (text_input(ctx, fld("name", "common.name", Some("off.name.hint"), true).tr(ctx), &errs, "text", "w-full"))
                (textarea(ctx, fld("description", "common.description", Some("off.description.hint"), false).tr(ctx), &errs, 3))
                (radios(ctx, fld("kind", "off.kind.legend", Some("off.kind.hint"), true).tr(ctx), &errs,
                    &vocab_options(ctx, "kind", Kind::ALL, Kind::code), "kind-choice"))
                div.for-product { (select(ctx, fld("product_type", "off.product_type", Some("off.product_type.hint"), true).tr(ctx), &errs, &vocab_options(ctx, "product_type", ProductType::ALL, ProductType::code))) }
                div.for-service { (select(ctx, fld("service_kind", "off.service_kind", Some("off.service_kind.hint"), true).tr(ctx), &errs, &vocab_options(ctx, "service_kind", ServiceKind::ALL, ServiceKind::code))) }
                (select(ctx, fld("owner_unit_id", "off.owner_unit", None, true).tr(ctx), &errs, &units.iter().map(|u| (u.id.to_string(), u.name.clone())).collect::<Vec<_>>()))
                (select(ctx, fld("responsible_employee_id", "off.responsible", None, false).tr(ctx), &errs, &employees.iter().map(|e| (e.id.to_string(), format!("{} — {}", e.full_name, e.position))).collect::<Vec<_>>()))

                div.form-group.has-error[seg_err.is_some()] {
                    fieldset.fieldset aria-describedby={(field_id("segments")) "-hint" @if seg_err.is_some() { " " (field_id("segments")) "-error" }} {
                        legend.label #(field_id("segments")) tabindex="-1" { (ctx.t("off.segments")) }
                        div.hint id={(field_id("segments")) "-hint"} { (ctx.t("off.segments.hint")) }
                        @if let Some(e) = seg_err { p.field-error id={(field_id("segments")) "-error"} { span.visually-hidden { (ctx.t("err.prefix")) " " } (super::forms::message(ctx, e)) } }
                        @if segments.is_empty() { p { a href={"/segments?body=" (body.id)} { (ctx.t("off.no_segments")) } } }
                        div.pairs {
                            @for s in &segments {
                                @let id = s.id.to_string();
                                div.pair {
                                    div.checkbox {
                                        input type="checkbox" id={"seg-" (id)} name="seg" value=(id) checked[f.has("seg", &id)];
                                        label for={"seg-" (id)} { (s.name) " " span.hint-inline { "(" (ctx.label("side1", s.side.code())) ")" } }
                                    }
                                    label.visually-hidden for={"benefit-" (id)} { (ctx.t("off.benefit")) ": " (s.name) }
                                    input.input type="text" id={"benefit-" (id)} name={"benefit-" (id)} value=(f.get(&format!("benefit-{id}"))) placeholder=(ctx.t("off.benefit"));
                                }
                            }
                        }
                    }
                }

                div.for-service {
                    div.form-group.has-error[out_err.is_some()] {
                        fieldset.fieldset aria-describedby={(field_id("outputs")) "-hint" @if out_err.is_some() { " " (field_id("outputs")) "-error" }} {
                            legend.label #(field_id("outputs")) tabindex="-1" { (ctx.t("off.outputs")) " " span.optional { "(" (ctx.t("common.optional")) ")" } }
                            div.hint id={(field_id("outputs")) "-hint"} { (ctx.t("off.outputs.hint")) }
                            @if let Some(e) = out_err { p.field-error id={(field_id("outputs")) "-error"} { span.visually-hidden { (ctx.t("err.prefix")) " " } (super::forms::message(ctx, e)) } }
                            @if products.is_empty() { p { (ctx.t("off.no_products")) } }
                            div.pairs {
                                @for p in &products {
                                    @let id = p.id.to_string();
                                    div.pair {
                                        div.checkbox {
                                            input type="checkbox" id={"out-" (id)} name="out" value=(id) checked[f.has("out", &id)];
                                            label for={"out-" (id)} { (p.name) }
                                        }
                                        label.visually-hidden for={"note-" (id)} { (ctx.t("off.output_note")) ": " (p.name) }
                                        input.input type="text" id={"note-" (id)} name={"note-" (id)} value=(f.get(&format!("note-{id}"))) placeholder=(ctx.t("off.output_note"));
                                    }
                                }
                            }
                        }
                    }
                }

                (checkboxes(ctx, fld("channels", "off.channels", None, false).tr(ctx), &errs, &vocab_options(ctx, "channel", Channel::ALL, Channel::code), &|v| f.has("channels", v)))
                div.inline-fields {
                    (text_input(ctx, fld("term_value", "off.term_value", Some("off.term_value.hint"), false).tr(ctx), &errs, "text", "w-5"))
                    (select(ctx, fld("term_unit", "off.term_unit", None, false).tr(ctx), &errs, &vocab_options(ctx, "term_unit", TermUnit::ALL, TermUnit::code)))
                }
                (text_input(ctx, fld("fee", "off.fee", Some("off.fee.hint"), false).tr(ctx), &errs, "text", "w-10"))
                (textarea(ctx, fld("legal_basis", "off.legal_basis", Some("off.legal_basis.hint"), false).tr(ctx), &errs, 3))
                (textarea(ctx, fld("required_documents", "off.documents", Some("off.documents.hint"), false).tr(ctx), &errs, 3))
                (radios(ctx, fld("status", "off.status", Some("off.status.hint"), true).tr(ctx), &errs, &vocab_options(ctx, "status", Status::ALL, Status::code), ""))
                div.actions {
                    button.button type="submit" { (if existing.is_some() { ctx.t("common.save") } else { ctx.t("common.create") }) }
                    " "
                    a href=(existing.map(|o| format!("/offerings/{}", o.id)).unwrap_or(format!("/offerings?body={}", body.id))) { (ctx.t("common.cancel")) }
                }
            }
        },
    ))
}

impl<'a> Field<'a> {
    /// Turns the i18n keys given for label and hint into texts.
    fn tr(self, ctx: &Ctx) -> Field<'a> {
        Field { label: ctx.lang.t(self.label), hint: self.hint.map(|h| ctx.lang.t(h)), ..self }
    }
}

pub async fn new_form(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Query(q): Query<BodyQ>,
) -> Result<Markup, PageError> {
    let Some(body) = choose_body(&st, &ctx, q.body.as_deref()).await? else {
        return Err(PageError { ctx: ctx.clone(), err: AppError::NotFound("body") });
    };
    let defaults = FormData(vec![("status".into(), "draft".into()), ("kind".into(), "service".into())]);
    render_form(&st, &actor, &ctx, &body, None, &defaults, &[]).await
}

pub async fn create(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Query(q): Query<BodyQ>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let Some(body) = choose_body(&st, &ctx, q.body.as_deref()).await? else {
        return Err(PageError { ctx: ctx.clone(), err: AppError::NotFound("body") });
    };
    let f = FormData(form);
    let (input, pre) = input_from_form(body.id, &f);
    let result = if pre.is_empty() { st.app.create_offering(&actor, &input).await } else { Err(merge(pre, &input)) };
    match result {
        Ok(id) => Ok(see_other(&format!("/offerings/{id}"), "created")),
        Err(AppError::Invalid(inv)) => Ok(refused(render_form(&st, &actor, &ctx, &body, None, &f, &inv.0).await?)),
        Err(e) => Err(PageError { ctx, err: e }),
    }
}

/// Form-only problems plus what the domain says about the rest, so all show at once.
fn merge(mut pre: Invalid, input: &OfferingInput) -> AppError {
    if let Err(more) = input.validate() {
        pre.0.extend(more.0);
    }
    AppError::Invalid(pre)
}

pub async fn edit_form(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    let id = parse_id(&ctx, &id)?;
    let o = st.app.offering(&actor, id).await.or_page(&ctx)?;
    let body = st.app.body(o.body_id).await.or_page(&ctx)?;
    render_form(&st, &actor, &ctx, &body, Some(&o), &form_from_offering(&o), &[]).await
}

pub async fn update(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = parse_id(&ctx, &id)?;
    let o = st.app.offering(&actor, id).await.or_page(&ctx)?;
    let body = st.app.body(o.body_id).await.or_page(&ctx)?;
    let f = FormData(form);
    let (input, pre) = input_from_form(body.id, &f);
    let result = if pre.is_empty() { st.app.update_offering(&actor, id, &input).await } else { Err(merge(pre, &input)) };
    match result {
        Ok(_) => Ok(see_other(&format!("/offerings/{id}"), "saved")),
        Err(AppError::Invalid(inv)) => Ok(refused(render_form(&st, &actor, &ctx, &body, Some(&o), &f, &inv.0).await?)),
        Err(AppError::Conflict { code: "stale_version", .. }) => {
            // Show the form again with what they typed and the current version, so they can
            // compare and save once more on purpose.
            let fresh = st.app.offering(&actor, id).await.or_page(&ctx)?;
            let mut f = f;
            f.0.retain(|(k, _)| k != "version");
            f.0.push(("version".into(), fresh.version.to_string()));
            let err = FieldError { field: "name".into(), code: "stale_version", message: String::new() };
            Ok(refused(render_form(&st, &actor, &ctx, &body, Some(&fresh), &f, &[err]).await?).into_response())
        }
        Err(e) => Err(PageError { ctx, err: e }),
    }
}
