//! Who produces: bodies, their unit trees and employees.

use crate::ids::Id;
use crate::text;
use crate::validation::Invalid;
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 300;

#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Body {
    pub id: Id,
    pub name: String,
    pub short_name: String,
    pub description: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BodyInput {
    pub name: String,
    #[serde(default)]
    pub short_name: String,
    #[serde(default)]
    pub description: String,
}

impl BodyInput {
    pub fn validate(&self) -> Result<BodyInput, Invalid> {
        let mut e = Invalid::default();
        let name = e.take(text::name("name", &self.name, NAME_MAX));
        let short_name =
            if self.short_name.trim().is_empty() { Some(String::new()) } else { e.take(text::name("short_name", &self.short_name, 60)) };
        let description = e.take(text::long_text("description", &self.description, 4000));
        e.into_result()?;
        Ok(BodyInput { name: name.unwrap(), short_name: short_name.unwrap(), description: description.unwrap() })
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Unit {
    pub id: Id,
    pub body_id: Id,
    /// The enclosing unit; `None` for a top-level unit of the body.
    pub parent_id: Option<Id>,
    pub name: String,
    pub description: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UnitInput {
    pub body_id: Option<Id>,
    #[serde(default)]
    pub parent_id: Option<Id>,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

impl UnitInput {
    pub fn validate(&self) -> Result<UnitInput, Invalid> {
        let mut e = Invalid::default();
        if self.body_id.is_none() {
            e.push("body_id", "required", "choose the body");
        }
        let name = e.take(text::name("name", &self.name, NAME_MAX));
        let description = e.take(text::long_text("description", &self.description, 4000));
        e.into_result()?;
        Ok(UnitInput { body_id: self.body_id, parent_id: self.parent_id, name: name.unwrap(), description: description.unwrap() })
    }
}

/// Checks that making `parent` the parent of `unit` keeps the unit tree a tree.
/// `parent_of` answers the current parent of any unit of the same body.
pub fn check_no_cycle(unit: Id, parent: Option<Id>, parent_of: impl Fn(Id) -> Option<Id>) -> Result<(), Invalid> {
    let mut cur = parent;
    let mut steps = 0;
    while let Some(p) = cur {
        if p == unit {
            return Err(Invalid::one("parent_id", "cycle", "a unit cannot be inside itself or its own sub-unit"));
        }
        steps += 1;
        if steps > 10_000 {
            break;
        }
        cur = parent_of(p);
    }
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Employee {
    pub id: Id,
    pub body_id: Id,
    pub unit_id: Id,
    /// Personal data (152-FZ): shown to staff, never logged.
    pub full_name: String,
    pub position: String,
    /// Work address. Personal data.
    pub email: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EmployeeInput {
    pub unit_id: Option<Id>,
    pub full_name: String,
    #[serde(default)]
    pub position: String,
    #[serde(default)]
    pub email: Option<String>,
}

impl EmployeeInput {
    pub fn validate(&self) -> Result<EmployeeInput, Invalid> {
        let mut e = Invalid::default();
        if self.unit_id.is_none() {
            e.push("unit_id", "required", "choose the unit");
        }
        let full_name = e.take(text::name("full_name", &self.full_name, 200));
        let position =
            if self.position.trim().is_empty() { Some(String::new()) } else { e.take(text::name("position", &self.position, 200)) };
        let email = match self.email.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(raw) => e.take(text::Email::parse("email", raw)).map(|m| Some(m.as_str().to_string())),
        };
        e.into_result()?;
        Ok(EmployeeInput { unit_id: self.unit_id, full_name: full_name.unwrap(), position: position.unwrap(), email: email.unwrap() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn unit_tree_refuses_cycles() {
        let (a, b, c) = (Id::new(), Id::new(), Id::new());
        let parents: HashMap<Id, Id> = [(b, a), (c, b)].into_iter().collect();
        let lookup = |u: Id| parents.get(&u).copied();
        assert!(check_no_cycle(a, Some(c), lookup).is_err(), "a under its grandchild");
        assert!(check_no_cycle(a, Some(a), lookup).is_err(), "a under itself");
        assert!(check_no_cycle(c, Some(a), lookup).is_ok());
        assert!(check_no_cycle(a, None, lookup).is_ok());
    }

    #[test]
    fn employee_needs_unit_and_name() {
        let err = EmployeeInput { full_name: " ".into(), email: Some("bad".into()), ..Default::default() }.validate().unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["unit_id", "full_name", "email"]);
    }
}
