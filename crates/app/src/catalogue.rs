//! The catalogue of offerings and the client map.

use crate::org::name_taken;
use crate::policy::{Action, Scope};
use crate::{Actor, App, AppError};
use okno_domain::client_map::{self, ClientMap};
use okno_domain::offering::{Offering, OfferingInput, Status};
use okno_domain::{Id, Invalid};
use okno_store::{Change, OfferingFilter};

pub const MAX_PER_PAGE: u32 = 100;

/// A page of a list: 1-based, at most `MAX_PER_PAGE` long.
#[derive(Clone, Copy, Debug)]
pub struct PageRequest {
    pub page: u32,
    pub per_page: u32,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest { page: 1, per_page: 20 }
    }
}

impl PageRequest {
    pub fn new(page: Option<u32>, per_page: Option<u32>) -> Result<PageRequest, Invalid> {
        let mut e = Invalid::default();
        let page = page.unwrap_or(1);
        let per_page = per_page.unwrap_or(20);
        if page == 0 {
            e.push("page", "out_of_range", "pages start at 1");
        }
        if per_page == 0 || per_page > MAX_PER_PAGE {
            e.push("per_page", "out_of_range", format!("must be from 1 to {MAX_PER_PAGE}"));
        }
        e.into_result().map(|_| PageRequest { page, per_page })
    }
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

impl<T> Paged<T> {
    pub fn pages(&self) -> u32 {
        ((self.total.max(0) as u64).div_ceil(self.per_page.max(1) as u64)).max(1) as u32
    }
}

pub type ListQuery = OfferingFilter;

impl App {
    pub async fn list_offerings(&self, actor: &Actor, filter: &ListQuery, page: PageRequest) -> Result<Paged<Offering>, AppError> {
        let mut f = filter.clone();
        f.internal_in = actor.internal_bodies();
        let offset = (page.page as i64 - 1) * page.per_page as i64;
        let p = self.store.list_offerings(&f, page.per_page as i64, offset).await?;
        Ok(Paged { items: p.items, total: p.total, page: page.page, per_page: page.per_page })
    }

    pub async fn offering(&self, actor: &Actor, id: Id) -> Result<Offering, AppError> {
        let o = self.store.get_offering(id).await.map_err(AppError::not_found("offering"))?;
        if o.status != Status::Published && !actor.may(Action::ReadInternal, Scope::Body(o.body_id)) {
            // Drafts do not exist for the public: no hint that the id is taken.
            return Err(AppError::NotFound("offering"));
        }
        Ok(o)
    }

    pub async fn create_offering(&self, actor: &Actor, input: &OfferingInput) -> Result<Id, AppError> {
        actor.require(Action::EditOfferings, Scope::SomeBody)?;
        // The body first: someone who may not edit it learns nothing from validation.
        if let Some(b) = input.body_id {
            actor.require_in(Action::EditOfferings, b)?;
        }
        let v = input.validate()?;
        actor.require_in(Action::EditOfferings, v.body_id)?;
        self.store.get_body(v.body_id).await.map_err(|_| Invalid::one("body_id", "unknown", "no such body"))?;
        v.check_refs(&self.store.body_refs(v.body_id).await?, None)?;
        self.store.create_offering(&v, &actor.trail(), &Change::created(&v)).await.map_err(name_taken("offering"))
    }

    /// Replaces the offering. The body never changes. With `input.version` set, a stale
    /// version is refused with a conflict.
    pub async fn update_offering(&self, actor: &Actor, id: Id, input: &OfferingInput) -> Result<i64, AppError> {
        actor.require(Action::EditOfferings, Scope::SomeBody)?;
        let current = self.store.get_offering(id).await.map_err(AppError::not_found("offering"))?;
        actor.require_in(Action::EditOfferings, current.body_id)?;
        let mut input = input.clone();
        if input.body_id.is_some_and(|b| b != current.body_id) {
            return Err(Invalid::one("body_id", "immutable", "an offering cannot move to another body").into());
        }
        input.body_id = Some(current.body_id);
        let v = input.validate()?;
        v.check_refs(&self.store.body_refs(v.body_id).await?, Some(id))?;
        if v.kind != current.kind && !current.provided_by.is_empty() {
            return Err(
                Invalid::one("kind", "in_use", "services hand this product over; remove those links before changing its kind").into()
            );
        }
        // Without a version from the caller, the one just read: the audit's "before" is
        // then exactly what was replaced, or the update fails as stale.
        let expected = input.version.or(Some(current.version));
        self.store.update_offering(id, &v, expected, &actor.trail(), &Change::updated(&current, &v)).await.map_err(|e| match e {
            okno_store::StoreError::NotFound => AppError::NotFound("offering"),
            other => name_taken("offering")(other),
        })
    }

    /// Every product of a body: what a service of it may hand over.
    pub async fn products(&self, actor: &Actor, body: Id) -> Result<Vec<Offering>, AppError> {
        actor.require_in(Action::ReadInternal, body)?;
        Ok(self.store.all_offerings(body).await?.into_iter().filter(|o| o.kind == okno_domain::offering::Kind::Product).collect())
    }

    pub async fn delete_offering(&self, actor: &Actor, id: Id) -> Result<(), AppError> {
        actor.require(Action::EditOfferings, Scope::SomeBody)?;
        let before = self.store.get_offering(id).await.map_err(AppError::not_found("offering"))?;
        actor.require_in(Action::EditOfferings, before.body_id)?;
        self.store.delete_offering(id, &actor.trail(), &Change::deleted(&before)).await.map_err(AppError::not_found("offering"))
    }

    /// The client map of a body. The public sees the published catalogue only.
    pub async fn client_map(&self, actor: &Actor, body: Id) -> Result<ClientMap, AppError> {
        self.body(body).await?;
        let units = self.store.list_units(body).await?;
        let segments = self.store.list_segments(body).await?;
        let mut offerings = self.store.all_offerings(body).await?;
        if !actor.may(Action::ReadInternal, Scope::Body(body)) {
            offerings.retain(|o| o.status == Status::Published);
        }
        Ok(client_map::build(body, &units, &segments, &offerings))
    }
}
