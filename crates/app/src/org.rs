//! Bodies, units, employees and segments.

use crate::policy::{Action, Scope};
use crate::{Actor, App, AppError};
use okno_domain::org::{check_no_cycle, Body, BodyInput, Employee, EmployeeInput, Unit, UnitInput};
use okno_domain::segment::{seed_segments, Segment, SegmentInput};
use okno_domain::{Id, Invalid};
use okno_store::{Change, StoreError};
use std::collections::HashMap;

/// A duplicate name is a problem with the `name` field, shown beside it.
pub(crate) fn name_taken(what: &'static str) -> impl Fn(StoreError) -> AppError {
    move |e| match e {
        StoreError::Duplicate(_) => Invalid::one("name", "duplicate", format!("a {what} with this name already exists")).into(),
        other => other.into(),
    }
}

impl App {
    pub async fn list_bodies(&self) -> Result<Vec<Body>, AppError> {
        Ok(self.store.list_bodies().await?)
    }

    pub async fn body(&self, id: Id) -> Result<Body, AppError> {
        self.store.get_body(id).await.map_err(AppError::not_found("body"))
    }

    /// Creates a body with the seed's client segments, which it may then edit.
    pub async fn create_body(&self, actor: &Actor, input: &BodyInput) -> Result<Id, AppError> {
        actor.require(Action::CreateBody, Scope::Instance)?;
        let v = input.validate()?;
        let id = self.store.create_body(&v, &actor.trail(), &Change::created(&v)).await?;
        for (side, name, description) in seed_segments() {
            let seg = SegmentInput { body_id: Some(id), name: name.into(), side: side.code().into(), description: description.into() };
            let seg = seg.validate()?;
            self.store.create_segment(&seg, &actor.trail(), &Change::created(&seg)).await?;
        }
        Ok(id)
    }

    pub async fn update_body(&self, actor: &Actor, id: Id, input: &BodyInput) -> Result<(), AppError> {
        actor.require(Action::EditStructure, Scope::SomeBody)?;
        let v = input.validate()?;
        let before = self.body(id).await?;
        actor.require_in(Action::EditStructure, id)?;
        self.store.update_body(id, &v, &actor.trail(), &Change::updated(&before, &v)).await.map_err(AppError::not_found("body"))
    }

    pub async fn list_units(&self, body: Id) -> Result<Vec<Unit>, AppError> {
        self.body(body).await?;
        Ok(self.store.list_units(body).await?)
    }

    pub async fn unit(&self, id: Id) -> Result<Unit, AppError> {
        self.store.get_unit(id).await.map_err(AppError::not_found("unit"))
    }

    async fn check_parent(&self, body: Id, unit: Option<Id>, parent: Option<Id>) -> Result<(), AppError> {
        let Some(p) = parent else { return Ok(()) };
        let units = self.store.list_units(body).await?;
        if !units.iter().any(|u| u.id == p) {
            return Err(Invalid::one("parent_id", "unknown", "no such unit in this body").into());
        }
        if let Some(u) = unit {
            let parents: HashMap<Id, Id> = units.iter().filter_map(|u| u.parent_id.map(|p| (u.id, p))).collect();
            check_no_cycle(u, Some(p), |x| parents.get(&x).copied())?;
        }
        Ok(())
    }

    pub async fn create_unit(&self, actor: &Actor, input: &UnitInput) -> Result<Id, AppError> {
        actor.require(Action::EditStructure, Scope::SomeBody)?;
        // The body first: someone who may not edit it learns nothing from validation.
        if let Some(b) = input.body_id {
            actor.require_in(Action::EditStructure, b)?;
        }
        let v = input.validate()?;
        let body = v.body_id.expect("validated");
        actor.require_in(Action::EditStructure, body)?;
        self.store.get_body(body).await.map_err(|_| Invalid::one("body_id", "unknown", "no such body"))?;
        self.check_parent(body, None, v.parent_id).await?;
        Ok(self.store.create_unit(&v, &actor.trail(), &Change::created(&v)).await?)
    }

    /// The body of a unit never changes; `input.body_id` is ignored.
    pub async fn update_unit(&self, actor: &Actor, id: Id, input: &UnitInput) -> Result<(), AppError> {
        actor.require(Action::EditStructure, Scope::SomeBody)?;
        let current = self.unit(id).await?;
        actor.require_in(Action::EditStructure, current.body_id)?;
        let mut input = input.clone();
        input.body_id = Some(current.body_id);
        let v = input.validate()?;
        self.check_parent(current.body_id, Some(id), v.parent_id).await?;
        Ok(self.store.update_unit(id, &v, &actor.trail(), &Change::updated(&current, &v)).await?)
    }

    pub async fn delete_unit(&self, actor: &Actor, id: Id) -> Result<(), AppError> {
        actor.require(Action::EditStructure, Scope::SomeBody)?;
        let before = self.unit(id).await?;
        actor.require_in(Action::EditStructure, before.body_id)?;
        self.store.delete_unit(id, &actor.trail(), &Change::deleted(&before)).await.map_err(|e| match e {
            StoreError::InUse(_) => AppError::Conflict {
                code: "in_use",
                message: "the unit still has sub-units, employees or offerings; move or delete them first".into(),
            },
            other => AppError::not_found("unit")(other),
        })
    }

    /// Employees are personal data (152-FZ): staff of the body only.
    pub async fn list_employees(&self, actor: &Actor, body: Id) -> Result<Vec<Employee>, AppError> {
        actor.require(Action::ReadInternal, Scope::SomeBody)?;
        self.body(body).await?;
        actor.require_in(Action::ReadInternal, body)?;
        Ok(self.store.list_employees(body).await?)
    }

    pub async fn employee(&self, actor: &Actor, id: Id) -> Result<Employee, AppError> {
        actor.require(Action::ReadInternal, Scope::SomeBody)?;
        let e = self.find_employee(id).await?;
        actor.require_in(Action::ReadInternal, e.body_id)?;
        Ok(e)
    }

    async fn find_employee(&self, id: Id) -> Result<Employee, AppError> {
        self.store.get_employee(id).await.map_err(AppError::not_found("employee"))
    }

    async fn unit_for_employee(&self, unit: Option<Id>, body: Option<Id>) -> Result<Unit, AppError> {
        let unit = self.store.get_unit(unit.expect("validated")).await.map_err(|_| Invalid::one("unit_id", "unknown", "no such unit"))?;
        if body.is_some_and(|b| b != unit.body_id) {
            return Err(Invalid::one("unit_id", "unknown", "an employee cannot move to another body").into());
        }
        Ok(unit)
    }

    pub async fn create_employee(&self, actor: &Actor, input: &EmployeeInput) -> Result<Id, AppError> {
        actor.require(Action::EditStructure, Scope::SomeBody)?;
        if let Some(Ok(unit)) = match input.unit_id {
            Some(u) => Some(self.store.get_unit(u).await),
            None => None,
        } {
            actor.require_in(Action::EditStructure, unit.body_id)?;
        }
        let v = input.validate()?;
        let unit = self.unit_for_employee(v.unit_id, None).await?;
        actor.require_in(Action::EditStructure, unit.body_id)?;
        Ok(self.store.create_employee(unit.body_id, &v, &actor.trail(), &Change::created(&v)).await?)
    }

    pub async fn update_employee(&self, actor: &Actor, id: Id, input: &EmployeeInput) -> Result<(), AppError> {
        actor.require(Action::EditStructure, Scope::SomeBody)?;
        let current = self.find_employee(id).await?;
        actor.require_in(Action::EditStructure, current.body_id)?;
        let v = input.validate()?;
        self.unit_for_employee(v.unit_id, Some(current.body_id)).await?;
        Ok(self.store.update_employee(id, &v, &actor.trail(), &Change::updated(&current, &v)).await?)
    }

    pub async fn delete_employee(&self, actor: &Actor, id: Id) -> Result<(), AppError> {
        actor.require(Action::EditStructure, Scope::SomeBody)?;
        let before = self.find_employee(id).await?;
        actor.require_in(Action::EditStructure, before.body_id)?;
        self.store.delete_employee(id, &actor.trail(), &Change::deleted(&before)).await.map_err(AppError::not_found("employee"))
    }

    pub async fn list_segments(&self, body: Id) -> Result<Vec<Segment>, AppError> {
        self.body(body).await?;
        Ok(self.store.list_segments(body).await?)
    }

    pub async fn segment(&self, id: Id) -> Result<Segment, AppError> {
        self.store.get_segment(id).await.map_err(AppError::not_found("segment"))
    }

    pub async fn create_segment(&self, actor: &Actor, input: &SegmentInput) -> Result<Id, AppError> {
        actor.require(Action::EditOfferings, Scope::SomeBody)?;
        if let Some(b) = input.body_id {
            actor.require_in(Action::EditOfferings, b)?;
        }
        let v = input.validate()?;
        actor.require_in(Action::EditOfferings, v.body_id)?;
        self.store.get_body(v.body_id).await.map_err(|_| Invalid::one("body_id", "unknown", "no such body"))?;
        self.store.create_segment(&v, &actor.trail(), &Change::created(&v)).await.map_err(name_taken("segment"))
    }

    pub async fn update_segment(&self, actor: &Actor, id: Id, input: &SegmentInput) -> Result<(), AppError> {
        actor.require(Action::EditOfferings, Scope::SomeBody)?;
        let current = self.segment(id).await?;
        actor.require_in(Action::EditOfferings, current.body_id)?;
        let mut input = input.clone();
        input.body_id = Some(current.body_id);
        let v = input.validate()?;
        self.store.update_segment(id, &v, &actor.trail(), &Change::updated(&current, &v)).await.map_err(name_taken("segment"))
    }

    /// Deleting a segment removes it from every offering that named it.
    pub async fn delete_segment(&self, actor: &Actor, id: Id) -> Result<(), AppError> {
        actor.require(Action::EditOfferings, Scope::SomeBody)?;
        let before = self.segment(id).await?;
        actor.require_in(Action::EditOfferings, before.body_id)?;
        self.store.delete_segment(id, &actor.trail(), &Change::deleted(&before)).await.map_err(AppError::not_found("segment"))
    }
}
