//! An offering's delivery chain: the page that shows it (`/offerings/{id}/chain`, for
//! anyone who may read the offering) and the editor (`/offerings/{id}/chain/edit`, for
//! its body's service owners and administrators).
//!
//! The editor posts the whole draft on every button. `op=save` saves it as a new version
//! through `App::save_chain`; every other `op` (add, remove, move, start from a template)
//! only redraws the draft, so nothing typed is lost and nothing is saved by accident.

mod draft;
mod edit;
mod view;

use super::ctx::Ctx;
use super::forms::FormData;
use super::{parse_id, refused, see_other, OrPage, PageError};
use crate::state::{AppState, CurrentActor};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Router};
use draft::Draft;
use edit::{Banner, Editor};
use maud::Markup;
use okno_app::policy::Action;
use okno_app::{Actor, AppError};
use okno_domain::chain::{template, Chain, Template};
use okno_domain::offering::Offering;
use okno_domain::org::{Body, Employee, Unit};
use okno_domain::{FieldError, Id, Invalid};

pub fn routes() -> Router<AppState> {
    let editing = Router::new()
        .route("/offerings/{id}/chain/edit", get(edit_form).post(edit_post))
        .route_layer(axum::middleware::from_fn(super::editors_only));
    Router::new().route("/offerings/{id}/chain", get(view::chain_page)).merge(editing)
}

/// What the editor needs, read once the caller is known to edit this offering's body.
struct Editing {
    offering: Offering,
    body: Body,
    units: Vec<Unit>,
    employees: Vec<Employee>,
    current: Option<(i64, Chain)>,
}

impl Editing {
    async fn load(st: &AppState, actor: &Actor, ctx: &Ctx, id: &str) -> Result<Editing, PageError> {
        let id = parse_id(ctx, id)?;
        let offering = st.app.offering(actor, id).await.or_page(ctx)?;
        // The gate in front let in anyone who edits somewhere; this is the body's own check,
        // before anything of the body (its staff, its chain) is read for the form.
        actor.require_in(Action::EditOfferings, offering.body_id).or_page(ctx)?;
        let body = st.app.body(offering.body_id).await.or_page(ctx)?;
        let units = st.app.list_units(body.id).await.or_page(ctx)?;
        let employees = st.app.list_employees(actor, body.id).await.or_page(ctx)?;
        let current = st.app.chain(actor, id).await.or_page(ctx)?;
        Ok(Editing { offering, body, units, employees, current })
    }

    fn newest(&self) -> Option<i64> {
        self.current.as_ref().map(|(v, _)| *v)
    }

    fn render(&self, ctx: &Ctx, draft: &Draft, base: Option<i64>, errors: &[FieldError], banner: Banner, template: &str) -> Markup {
        edit::render(
            ctx,
            &Editor {
                offering: &self.offering,
                body: &self.body,
                units: &self.units,
                employees: &self.employees,
                draft,
                base,
                newest: self.newest(),
                errors,
                banner,
                template,
            },
        )
    }
}

async fn edit_form(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    let ed = Editing::load(&st, &actor, &ctx, &id).await?;
    let draft = ed.current.as_ref().map(|(_, c)| Draft::from_chain(c)).unwrap_or_else(Draft::starter);
    Ok(ed.render(&ctx, &draft, ed.newest(), &[], Banner::None, ""))
}

async fn edit_post(
    State(st): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let mut ed = Editing::load(&st, &actor, &ctx, &id).await?;
    let f = FormData(form);
    let mut draft = Draft::from_form(&f);
    let base: Option<i64> = f.opt("base_version").and_then(|v| v.parse().ok());
    let chosen = f.get("template");
    match f.get("op") {
        "save" => save(&st, &actor, &ctx, &mut ed, &draft, base, chosen).await,
        "template" => {
            let Some(t) = Template::from_code(chosen) else {
                let err = FieldError { field: "template".into(), code: "not_allowed", message: String::new() };
                return Ok(refused(ed.render(&ctx, &draft, base, &[err], Banner::None, chosen)));
            };
            // Templates name one unit for every stage; the owner then sets the real actors.
            let Some(unit) = ed.units.first() else {
                let err = FieldError { field: "template".into(), code: "no_units", message: String::new() };
                return Ok(refused(ed.render(&ctx, &draft, base, &[err], Banner::None, chosen)));
            };
            draft = Draft::from_chain(&template(t, unit.id));
            Ok(ed.render(&ctx, &draft, base, &[], Banner::TemplateApplied(t), chosen).into_response())
        }
        op => {
            draft.apply(op);
            Ok(ed.render(&ctx, &draft, base, &[], Banner::None, chosen).into_response())
        }
    }
}

async fn save(
    st: &AppState,
    actor: &Actor,
    ctx: &Ctx,
    ed: &mut Editing,
    draft: &Draft,
    base: Option<i64>,
    chosen: &str,
) -> Result<Response, PageError> {
    let offering = ed.offering.id;
    // Someone saved since this draft was opened: show theirs is newer and keep ours, with
    // the newest version as the base, so a second save overwrites only on purpose.
    let stale = |ed: &Editing| {
        let newest = ed.newest();
        (StatusCode::CONFLICT, ed.render(ctx, draft, newest, &[], Banner::Stale(newest), chosen)).into_response()
    };
    if ed.newest() != base {
        return Ok(stale(ed));
    }
    let (chain, pre) = draft.to_chain();
    let result = if pre.is_empty() {
        st.app.save_chain_over(actor, offering, &chain, Some(base.unwrap_or(0))).await
    } else {
        // Everything at once: what only the form can get wrong, and what the domain says.
        let units: Vec<Id> = ed.units.iter().map(|u| u.id).collect();
        let employees: Vec<(Id, Id)> = ed.employees.iter().map(|e| (e.id, e.unit_id)).collect();
        let mut all: Invalid = pre;
        if let Err(more) = chain.validate(&units, &employees) {
            all.0.extend(more.0);
        }
        Err(AppError::Invalid(all))
    };
    match result {
        Ok(version) => Ok(see_other(&format!("/offerings/{offering}/chain?saved={version}"), "saved")),
        Err(AppError::Invalid(inv)) => Ok(refused(ed.render(ctx, draft, base, &inv.0, Banner::None, chosen))),
        // Two saves over the same version at once: the store's check lets one win.
        Err(AppError::Conflict { .. }) => {
            ed.current = st.app.chain(actor, offering).await.or_page(ctx)?;
            Ok(stale(ed))
        }
        Err(e) => Err(PageError::new(ctx, e)),
    }
}

#[cfg(test)]
mod tests {
    use okno_domain::chain::{ActorKind, FieldKind, Template};

    /// The labels are looked up by code (`chain.kind.choice`), which the source scan of
    /// i18n cannot see.
    #[test]
    fn every_code_the_chain_pages_label_has_a_text() {
        let codes = ActorKind::ALL.iter().map(|k| format!("chain.actor.{}", k.code()));
        let codes = codes.chain(FieldKind::ALL.iter().map(|k| format!("chain.kind.{}", k.code())));
        let codes = codes.chain(Template::ALL.iter().map(|k| format!("chain.template.{}", k.code())));
        let missing: Vec<String> = codes.filter(|k| !crate::i18n::has_key(k)).collect();
        assert!(missing.is_empty(), "{missing:?}");
    }
}
