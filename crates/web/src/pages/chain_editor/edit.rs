//! The editor page: the whole draft as one form, with buttons (`name="op"`) that add,
//! remove and move rows by posting the form back, so it works without JavaScript.
//!
//! Field names carry dots (`v0.s2.name`), which `forms::Errors` reads as paths of the
//! offering form; so this page has its own small field helpers, with the same markup.

use super::super::ctx::Ctx;
use super::super::forms::{csrf_field, field_id, message};
use super::super::layout::{crumb, page};
use super::draft::{Draft, FieldDraft, StageDraft, Term, VariantDraft};
use maud::{html, Markup};
use okno_domain::calendar::DeadlineUnit;
use okno_domain::chain::form::MAX_FIELDS;
use okno_domain::chain::{FieldKind, Template, MAX_STAGES, MAX_VARIANTS};
use okno_domain::offering::Offering;
use okno_domain::org::{Body, Employee, Unit};
use okno_domain::FieldError;

/// What the page says besides the fields.
pub enum Banner {
    None,
    /// Someone saved version `n` since this draft was opened.
    Stale(Option<i64>),
    TemplateApplied(Template),
}

pub struct Editor<'a> {
    pub offering: &'a Offering,
    pub body: &'a Body,
    pub units: &'a [Unit],
    pub employees: &'a [Employee],
    pub draft: &'a Draft,
    /// The version the draft started from (posted back to detect stale edits).
    pub base: Option<i64>,
    /// The newest saved version.
    pub newest: Option<i64>,
    pub errors: &'a [FieldError],
    pub banner: Banner,
    pub template: &'a str,
}

/// A select's choices as (value, label).
type Options = Vec<(String, String)>;
/// Choices under an optgroup's label, or ungrouped.
type Group<'a> = (Option<&'a str>, Options);

/// Errors keyed by the input they belong to, in the order the domain reported them.
struct Errs {
    list: Vec<(String, String)>,
}

impl Errs {
    fn get(&self, name: &str) -> Option<&str> {
        self.list.iter().find(|(n, _)| n == name).map(|(_, m)| m.as_str())
    }
}

/// The last part of an input name: `v0.s2.deadline_amount` → `deadline_amount`.
fn leaf(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// The message for an error in the words of this editor, where the shared words
/// (`err.unknown`: «no such record in this body») would mislead.
fn chain_message(ctx: &Ctx, input: &str, e: &FieldError) -> String {
    let l = leaf(input);
    let key = match (e.code, l) {
        ("required", "variants") => "chain.err.no_variants",
        ("required", "stages") => "chain.err.no_stages",
        ("required", "actor") => "chain.err.choose_actor",
        ("required", "actor_name") => "chain.err.actor_name",
        ("required", "deadline_unit" | "total_unit") => "chain.err.term_unit",
        ("term_required", _) => "chain.err.term_required",
        ("invalid_key", _) => "chain.err.key",
        ("duplicate", _) => "chain.err.duplicate_key",
        ("unknown", "may_return_to") => "chain.err.return_back",
        ("unknown", _) => "chain.err.unknown_actor",
        ("too_few", _) => "chain.err.two_options",
        ("out_of_range", "max_extensions") => "chain.err.extensions",
        ("out_of_range", "extension_days") => "chain.err.extension_days",
        ("out_of_range", "deadline_amount" | "total_amount") => "chain.err.amount",
        ("no_units", _) => "chain.err.no_units",
        _ => return message(ctx, e),
    };
    ctx.t(key).to_string()
}

/// The label key of an input, for the error summary.
fn label_key(l: &str, in_stage: bool) -> &'static str {
    match l {
        "key" => "chain.f.key",
        "name" if in_stage => "chain.f.stage_name",
        "name" => "chain.f.variant_name",
        "applicant" => "chain.f.applicant",
        "total_amount" | "total_unit" | "total_citation" => "chain.f.total",
        "max_extensions" => "chain.f.max_extensions",
        "extension_days" => "chain.f.extension_days",
        "actor" => "chain.f.actor",
        "actor_name" => "chain.f.actor_name",
        "via_unit" => "chain.f.via_unit",
        "role" => "chain.f.role",
        "deadline_amount" | "deadline_unit" | "deadline_citation" => "chain.f.deadline",
        "client_sees" => "chain.f.client_sees",
        "may_return_to" => "chain.f.returns",
        "label" => "chain.f.label",
        "hint" => "chain.f.hint",
        "kind" => "chain.f.kind",
        "options" => "chain.f.options",
        "stages" => "chain.stages",
        "form" => "chain.form",
        "template" => "chain.template",
        _ => "chain.variants",
    }
}

/// «Вариант 1, этап 3 · Название этапа» for an input name.
fn where_is(ctx: &Ctx, name: &str) -> String {
    let parts: Vec<&str> = name.split('.').collect();
    let num = |p: &str, prefix: char| p.strip_prefix(prefix).and_then(|n| n.parse::<usize>().ok()).map(|n| n + 1);
    let mut place = Vec::new();
    let mut in_stage = false;
    for p in &parts[..parts.len().saturating_sub(1)] {
        if let Some(n) = num(p, 'v') {
            place.push(format!("{} {n}", ctx.t("chain.variant")));
        } else if let Some(n) = num(p, 's') {
            place.push(format!("{} {n}", ctx.t("chain.stage").to_lowercase()));
            in_stage = true;
        } else if let Some(n) = num(p, 'f') {
            place.push(format!("{} {n}", ctx.t("chain.question")));
        }
    }
    let label = ctx.t(label_key(leaf(name), in_stage));
    if place.is_empty() {
        label.to_string()
    } else {
        format!("{} · {label}", place.join(", "))
    }
}

fn described(name: &str, hint: bool, err: bool) -> Option<String> {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{}-hint", field_id(name)));
    }
    if err {
        ids.push(format!("{}-error", field_id(name)));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

fn hint_and_error(ctx: &Ctx, name: &str, hint: Option<&str>, err: Option<&str>) -> Markup {
    html! {
        @if let Some(h) = hint { div.hint id={(field_id(name)) "-hint"} { (h) } }
        @if let Some(e) = err { p.field-error id={(field_id(name)) "-error"} { span.visually-hidden { (ctx.t("err.prefix")) " " } (e) } }
    }
}

fn optional(ctx: &Ctx, yes: bool) -> Markup {
    html! { @if yes { " " span.optional { "(" (ctx.t("common.optional")) ")" } } }
}

/// One labelled field; `multiline` rows make it a textarea.
struct Input<'a> {
    name: String,
    label: &'a str,
    hint: Option<&'a str>,
    optional: bool,
    width: &'a str,
    rows: u32,
}

impl<'a> Input<'a> {
    fn new(name: String, label: &'a str) -> Input<'a> {
        Input { name, label, hint: None, optional: false, width: "w-full", rows: 0 }
    }
    fn hint(self, h: &'a str) -> Self {
        Input { hint: Some(h), ..self }
    }
    fn optional(self) -> Self {
        Input { optional: true, ..self }
    }
    fn width(self, w: &'a str) -> Self {
        Input { width: w, ..self }
    }
    fn rows(self, r: u32) -> Self {
        Input { rows: r, ..self }
    }

    fn render(&self, ctx: &Ctx, errs: &Errs, value: &str) -> Markup {
        let err = errs.get(&self.name);
        let by = described(&self.name, self.hint.is_some(), err.is_some());
        let id = field_id(&self.name);
        html! {
            div.form-group.has-error[err.is_some()] {
                label.label for=(id) { (self.label) (optional(ctx, self.optional)) }
                (hint_and_error(ctx, &self.name, self.hint, err))
                @if self.rows > 0 {
                    textarea.textarea id=(id) name=(self.name) rows=(self.rows) aria-describedby=[by] aria-invalid=[err.map(|_| "true")] { (value) }
                } @else {
                    input class={"input " (self.width)} type="text" id=(id) name=(self.name) value=(value)
                        aria-describedby=[by] aria-invalid=[err.map(|_| "true")];
                }
            }
        }
    }

    /// A select of `groups` (an optgroup each when labelled); a blank first choice.
    fn select(&self, ctx: &Ctx, errs: &Errs, value: &str, groups: &[Group<'_>]) -> Markup {
        let err = errs.get(&self.name);
        let by = described(&self.name, self.hint.is_some(), err.is_some());
        let id = field_id(&self.name);
        let opts = |list: &Vec<(String, String)>| html! { @for (v, l) in list { option value=(v) selected[v == value] { (l) } } };
        html! {
            div.form-group.has-error[err.is_some()] {
                label.label for=(id) { (self.label) (optional(ctx, self.optional)) }
                (hint_and_error(ctx, &self.name, self.hint, err))
                select.select id=(id) name=(self.name) aria-describedby=[by] aria-invalid=[err.map(|_| "true")] {
                    option value="" { (ctx.t("common.choose")) }
                    @for (label, list) in groups {
                        @match label {
                            Some(l) => { optgroup label=(l) { (opts(list)) } }
                            None => { (opts(list)) }
                        }
                    }
                }
            }
        }
    }
}

fn tick(name: &str, label: &str, checked: bool) -> Markup {
    let id = field_id(name);
    html! { div.checkbox { input type="checkbox" id=(id) name=(name) value="on" checked[checked]; label for=(id) { (label) } } }
}

/// An operation button; `context` is read out after the visible words, so that «Удалить»
/// says which stage it removes.
fn op_button(op: &str, class: &str, glyph: Option<&str>, text: &str, context: &str) -> Markup {
    html! {
        button type="submit" name="op" value=(op) class={"button " (class)} {
            @if let Some(g) = glyph { span aria-hidden="true" { (g) " " } }
            (text)
            @if !context.is_empty() { span.visually-hidden { " — " (context) } }
        }
    }
}

pub fn render(ctx: &Ctx, ed: &Editor<'_>) -> Markup {
    let o = ed.offering;
    let d = ed.draft;
    let errs = Errs {
        list: ed
            .errors
            .iter()
            .map(|e| d.input_for(&e.field))
            .zip(ed.errors.iter())
            .map(|(n, e)| (n.clone(), chain_message(ctx, &n, e)))
            .collect(),
    };
    let action = format!("/offerings/{}/chain/edit", o.id);
    let next_version = ed.newest.unwrap_or(0) + 1;
    let save_text = ctx.t("chain.save").replace("{n}", &next_version.to_string());
    let title = format!("{}: {}", ctx.t("chain.edit_title"), o.name);
    let units: Vec<(String, String)> = ed.units.iter().map(|u| (u.id.to_string(), u.name.clone())).collect();
    let actor_groups: Vec<Group<'_>> = vec![
        (Some(ctx.t("chain.actor.units")), ed.units.iter().map(|u| (format!("unit:{}", u.id), u.name.clone())).collect()),
        (
            Some(ctx.t("chain.actor.employees")),
            ed.employees
                .iter()
                .map(|e| {
                    let label = if e.position.is_empty() { e.full_name.clone() } else { format!("{} — {}", e.full_name, e.position) };
                    (format!("employee:{}", e.id), label)
                })
                .collect(),
        ),
        (
            Some(ctx.t("chain.actor.outside")),
            ["other_body", "institution"].iter().map(|k| (k.to_string(), ctx.label("chain.actor", k).to_string())).collect(),
        ),
    ];
    let template_err = errs.get("template");
    let template_hint = ctx.t("chain.template.hint").replace("{unit}", ed.units.first().map(|u| u.name.as_str()).unwrap_or("—"));
    let content = html! {
        @if !errs.list.is_empty() {
            div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                h2 #error-summary-title { (ctx.t("err.summary")) }
                ul { @for (n, m) in &errs.list { li { a href={"#" (field_id(n))} { (where_is(ctx, n)) ": " (m) } } } }
            }
        }
        @match ed.banner {
            Banner::Stale(v) => {
                div.panel.chain-stale role="alert" {
                    p { strong { (ctx.t("chain.stale").replace("{n}", &v.map(|v| v.to_string()).unwrap_or_default())) } }
                    p { (ctx.t("chain.stale_hint")) " " a href={"/offerings/" (o.id) "/chain"} target="_blank" rel="noopener" { (ctx.t("chain.stale_link")) } }
                }
            }
            Banner::TemplateApplied(t) => {
                div.notice role="status" {
                    p { (ctx.t("chain.template_applied").replace("{name}", ctx.label("chain.template", t.code()))) }
                }
            }
            Banner::None => {}
        }
        h1 { (ctx.t("chain.edit_title")) span.caption { (o.name) } }
        p.lead { (ctx.t("chain.versioning")) }
        p {
            @match ed.newest {
                Some(v) => { (ctx.t("chain.editing_version").replace("{n}", &v.to_string())) }
                None => { (ctx.t("chain.first_version")) }
            }
        }
        form.chain-editor method="post" action=(action) novalidate {
            (csrf_field(ctx))
            input type="hidden" name="base_version" value=(ed.base.map(|v| v.to_string()).unwrap_or_default());
            // The first submit button is the one Enter presses: saving, never a removal.
            div.actions {
                button.button type="submit" name="op" value="save" { (save_text) }
                a href={"/offerings/" (o.id) "/chain"} { (ctx.t("common.cancel")) }
            }

            details.chain-template open[d.variants.is_empty() || ed.newest.is_none() || template_err.is_some()] {
                summary { (ctx.t("chain.template")) }
                div.form-group.has-error[template_err.is_some()] {
                    label.label for=(field_id("template")) { (ctx.t("chain.template.choose")) }
                    (hint_and_error(ctx, "template", Some(&template_hint), template_err))
                    select.select id=(field_id("template")) name="template" aria-describedby=(described("template", true, template_err.is_some()).unwrap_or_default()) {
                        @for t in Template::ALL { option value=(t.code()) selected[t.code() == ed.template] { (ctx.label("chain.template", t.code())) } }
                    }
                }
                (op_button("template", "button-secondary", None, ctx.t("chain.template.apply"), ""))
            }

            h2 #(field_id("variants")) tabindex="-1" { (ctx.t("chain.variants")) }
            p.hint { (ctx.t("chain.variants.hint")) }
            @if let Some(e) = errs.get("variants") { p.field-error { span.visually-hidden { (ctx.t("err.prefix")) " " } (e) } }
            @for (vi, v) in d.variants.iter().enumerate() {
                (variant(ctx, &errs, d, vi, v, &actor_groups, &units))
            }
            @if d.variants.len() < MAX_VARIANTS {
                p { (op_button("add_variant", "button-secondary", Some("+"), ctx.t("chain.op.add_variant"), "")) }
            }

            h2 #(field_id("form")) tabindex="-1" { (ctx.t("chain.form")) }
            p.hint { (ctx.t("chain.form.edit_hint")) }
            @if let Some(e) = errs.get("form") { p.field-error { span.visually-hidden { (ctx.t("err.prefix")) " " } (e) } }
            @for (fi, f) in d.fields.iter().enumerate() {
                (field(ctx, &errs, fi, f))
            }
            @if d.fields.len() < MAX_FIELDS {
                p { (op_button("add_field", "button-secondary", Some("+"), ctx.t("chain.op.add_field"), "")) }
            }

            div.actions {
                button.button type="submit" name="op" value="save" { (save_text) }
                a href={"/offerings/" (o.id) "/chain"} { (ctx.t("common.cancel")) }
            }
        }
    };
    page(ctx, &title, &crumbs(ctx, ed), content)
}

fn crumbs(ctx: &Ctx, ed: &Editor<'_>) -> Vec<super::super::layout::Crumb> {
    let (o, b) = (ed.offering, ed.body);
    vec![
        crumb(format!("/bodies/{}", b.id), b.name.clone()),
        crumb(format!("/offerings?body={}", b.id), ctx.t("cat.title")),
        crumb(format!("/offerings/{}", o.id), o.name.clone()),
        crumb(format!("/offerings/{}/chain", o.id), ctx.t("chain.title")),
    ]
}

fn term(ctx: &Ctx, errs: &Errs, prefix: &str, legend: &str, hint: &str, t: &Term) -> Markup {
    let units: Vec<(String, String)> =
        DeadlineUnit::ALL.iter().map(|u| (u.code().to_string(), ctx.label("term_unit", u.code()).to_string())).collect();
    let any_err = ["amount", "unit", "citation"].iter().any(|l| errs.get(&format!("{prefix}_{l}")).is_some());
    html! {
        div.form-group.has-error[any_err] {
            fieldset.fieldset {
                legend.label { (legend) (optional(ctx, true)) }
                div.hint { (hint) }
                div.inline-fields {
                    (Input::new(format!("{prefix}_amount"), ctx.t("chain.f.amount")).width("w-5").render(ctx, errs, &t.amount))
                    (Input::new(format!("{prefix}_unit"), ctx.t("chain.f.unit")).select(ctx, errs, &t.unit, &[(None, units)]))
                    (Input::new(format!("{prefix}_citation"), ctx.t("chain.f.citation")).hint(ctx.t("chain.f.citation.hint")).optional().width("w-20").render(ctx, errs, &t.citation))
                }
            }
        }
    }
}

fn variant(
    ctx: &Ctx,
    errs: &Errs,
    d: &Draft,
    vi: usize,
    v: &VariantDraft,
    actor_groups: &[Group<'_>],
    units: &[(String, String)],
) -> Markup {
    let p = format!("v{vi}");
    let n = vi + 1;
    let stages_name = format!("{p}.stages");
    let title = if v.name.trim().is_empty() {
        format!("{} {n}", ctx.t("chain.variant"))
    } else {
        format!("{} {n}: {}", ctx.t("chain.variant"), v.name)
    };
    html! {
        fieldset.chain-variant-edit {
            legend { (title) }
            (Input::new(format!("{p}.name"), ctx.t("chain.f.variant_name")).hint(ctx.t("chain.f.variant_name.hint")).render(ctx, errs, &v.name))
            (Input::new(format!("{p}.key"), ctx.t("chain.f.key")).hint(ctx.t("chain.f.key.hint")).width("w-20").render(ctx, errs, &v.key))
            (Input::new(format!("{p}.applicant"), ctx.t("chain.f.applicant")).hint(ctx.t("chain.f.applicant.hint")).optional().rows(2).render(ctx, errs, &v.applicant))
            (term(ctx, errs, &format!("{p}.total"), ctx.t("chain.f.total"), ctx.t("chain.f.total.hint"), &v.total))
            div.inline-fields {
                (Input::new(format!("{p}.max_extensions"), ctx.t("chain.f.max_extensions")).hint(ctx.t("chain.f.max_extensions.hint")).optional().width("w-5").render(ctx, errs, &v.max_extensions))
                (Input::new(format!("{p}.extension_days"), ctx.t("chain.f.extension_days")).optional().width("w-5").render(ctx, errs, &v.extension_days))
            }

            h3 #(field_id(&stages_name)) tabindex="-1" { (ctx.t("chain.stages")) }
            @if let Some(e) = errs.get(&stages_name) { p.field-error { span.visually-hidden { (ctx.t("err.prefix")) " " } (e) } }
            @if v.stages.is_empty() {
                p { (op_button(&format!("add_stage:{vi}:0"), "button-secondary", Some("+"), ctx.t("chain.op.add_stage"), &title)) }
            }
            ol.chain-edit-stages role="list" {
                @for (si, s) in v.stages.iter().enumerate() {
                    li { (stage(ctx, errs, vi, v, si, s, actor_groups, units)) }
                }
            }
            @if d.variants.len() > 1 {
                p { (op_button(&format!("remove_variant:{vi}"), "button-warning", None, &format!("{} {n}", ctx.t("chain.op.remove_variant")), &v.name)) }
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn stage(
    ctx: &Ctx,
    errs: &Errs,
    vi: usize,
    v: &VariantDraft,
    si: usize,
    s: &StageDraft,
    actor_groups: &[Group<'_>],
    units: &[(String, String)],
) -> Markup {
    let p = format!("v{vi}.s{si}");
    let n = si + 1;
    let title = if s.name.trim().is_empty() {
        format!("{} {n}", ctx.t("chain.stage"))
    } else {
        format!("{} {n}: {}", ctx.t("chain.stage"), s.name)
    };
    let returns_name = format!("{p}.may_return_to");
    let returns_err = errs.get(&returns_name);
    let full = v.stages.len() >= MAX_STAGES;
    html! {
        fieldset.chain-stage-edit {
            legend { (title) }
            input type="hidden" name={(p) ".rid"} value=(s.rid);
            (Input::new(format!("{p}.name"), ctx.t("chain.f.stage_name")).render(ctx, errs, &s.name))
            (Input::new(format!("{p}.key"), ctx.t("chain.f.key")).hint(ctx.t("chain.f.key.hint")).width("w-20").render(ctx, errs, &s.key))
            (Input::new(format!("{p}.actor"), ctx.t("chain.f.actor")).hint(ctx.t("chain.f.actor.hint")).select(ctx, errs, &s.actor, actor_groups))
            div.for-other {
                (Input::new(format!("{p}.actor_name"), ctx.t("chain.f.actor_name")).hint(ctx.t("chain.f.actor_name.hint")).render(ctx, errs, &s.actor_name))
                (Input::new(format!("{p}.via_unit"), ctx.t("chain.f.via_unit")).optional().select(ctx, errs, &s.via_unit, &[(None, units.to_vec())]))
            }
            (Input::new(format!("{p}.role"), ctx.t("chain.f.role")).optional().rows(2).render(ctx, errs, &s.role))
            (term(ctx, errs, &format!("{p}.deadline"), ctx.t("chain.f.deadline"), ctx.t("chain.f.deadline.hint"), &s.deadline))
            (Input::new(format!("{p}.client_sees"), ctx.t("chain.f.client_sees")).hint(ctx.t("chain.f.client_sees.hint")).rows(2).render(ctx, errs, &s.client_sees))
            div.form-group {
                fieldset.fieldset {
                    legend.label { (ctx.t("chain.f.may")) }
                    div.checkboxes {
                        (tick(&format!("{p}.waits_for_client"), ctx.t("chain.flag.waits_long"), s.waits))
                        (tick(&format!("{p}.may_refuse"), ctx.t("chain.flag.refuse"), s.refuse))
                        (tick(&format!("{p}.may_suspend"), ctx.t("chain.flag.suspend_long"), s.suspend))
                    }
                }
            }
            @if si > 0 {
                div.form-group.has-error[returns_err.is_some()] {
                    fieldset.fieldset aria-describedby=(described(&returns_name, true, returns_err.is_some()).unwrap_or_default()) {
                        legend.label { (ctx.t("chain.f.returns")) (optional(ctx, true)) }
                        (hint_and_error(ctx, &returns_name, Some(ctx.t("chain.f.returns.hint")), returns_err))
                        div.checkboxes {
                            @for (k, earlier) in v.stages[..si].iter().enumerate() {
                                @let id = if k == 0 { field_id(&returns_name) } else { format!("{}-{k}", field_id(&returns_name)) };
                                div.checkbox {
                                    input type="checkbox" id=(id) name=(returns_name) value=(earlier.rid) checked[s.returns.contains(&earlier.rid)];
                                    label for=(id) { (k + 1) ". " (if earlier.name.trim().is_empty() { earlier.key.as_str() } else { earlier.name.as_str() }) }
                                }
                            }
                        }
                    }
                }
            }
            div.chain-ops {
                @if si > 0 { (op_button(&format!("up:{vi}:{si}"), "button-secondary", Some("↑"), ctx.t("chain.op.up"), &title)) }
                @if si + 1 < v.stages.len() { (op_button(&format!("down:{vi}:{si}"), "button-secondary", Some("↓"), ctx.t("chain.op.down"), &title)) }
                @if !full { (op_button(&format!("add_stage:{vi}:{}", si + 1), "button-secondary", Some("+"), ctx.t("chain.op.add_stage_after"), &title)) }
                (op_button(&format!("remove_stage:{vi}:{si}"), "button-warning", None, ctx.t("chain.op.remove_stage"), &title))
            }
        }
    }
}

fn field(ctx: &Ctx, errs: &Errs, fi: usize, f: &FieldDraft) -> Markup {
    let p = format!("f{fi}");
    let n = fi + 1;
    let title = if f.label.trim().is_empty() {
        format!("{} {n}", ctx.t("chain.question"))
    } else {
        format!("{} {n}: {}", ctx.t("chain.question"), f.label)
    };
    let kinds: Vec<(String, String)> =
        FieldKind::ALL.iter().map(|k| (k.code().to_string(), ctx.label("chain.kind", k.code()).to_string())).collect();
    html! {
        fieldset.chain-field-edit {
            legend { (title) }
            (Input::new(format!("{p}.label"), ctx.t("chain.f.label")).hint(ctx.t("chain.f.label.hint")).render(ctx, errs, &f.label))
            (Input::new(format!("{p}.key"), ctx.t("chain.f.key")).hint(ctx.t("chain.f.key.hint")).width("w-20").render(ctx, errs, &f.key))
            (Input::new(format!("{p}.hint"), ctx.t("chain.f.hint")).optional().render(ctx, errs, &f.hint))
            (Input::new(format!("{p}.kind"), ctx.t("chain.f.kind")).select(ctx, errs, &f.kind, &[(None, kinds)]))
            (Input::new(format!("{p}.options"), ctx.t("chain.f.options")).hint(ctx.t("chain.f.options.hint")).optional().rows(3).render(ctx, errs, &f.options))
            div.form-group { (tick(&format!("{p}.required"), ctx.t("chain.f.required_long"), f.required)) }
            div.chain-ops { (op_button(&format!("remove_field:{fi}"), "button-warning", None, ctx.t("chain.op.remove_field"), &title)) }
        }
    }
}
