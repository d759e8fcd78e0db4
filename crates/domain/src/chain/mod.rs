//! Delivery chains: how an offering is delivered, variant by variant, stage by stage
//! (210-FZ: a variant per applicant profile; each stage an административная процедура).
//!
//! A chain is edited as a whole and saved as a new version; a request keeps the version it
//! started with, so editing a chain never changes the rules of a case in flight.

pub mod form;
mod templates;

pub use form::{FieldKind, FormField};
pub use templates::{template, Template};

use crate::calendar::DeadlineRule;
use crate::validation::Invalid;
use crate::{text, Id};
use serde::{Deserialize, Serialize};

string_enum! {
    /// Who does a stage: a unit or an employee of the body, another body (e.g. an
    /// interagency request, межведомственный запрос) or an institution.
    pub enum ActorKind {
        Unit = "unit",
        Employee = "employee",
        OtherBody = "other_body",
        Institution = "institution",
    }
}

pub const NAME_MAX: usize = 200;
pub const TEXT_MAX: usize = 2000;
pub const MAX_VARIANTS: usize = 20;
pub const MAX_STAGES: usize = 40;
pub const KEY_MAX: usize = 40;

/// One stage as saved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Stage {
    /// Stable within the variant: returns and events name stages by key.
    pub key: String,
    pub name: String,
    pub actor_kind: ActorKind,
    /// The unit doing the stage (also for an employee's stage: their unit), when inside the body.
    pub unit_id: Option<Id>,
    pub employee_id: Option<Id>,
    /// The other body or institution, by name.
    #[serde(default)]
    pub actor_name: String,
    /// What the actor does here.
    #[serde(default)]
    pub role: String,
    pub deadline: Option<DeadlineRule>,
    /// What the client is told while the request is at this stage, in plain words.
    pub client_sees: String,
    /// The stage waits for the client (documents, an answer): the clock pauses.
    #[serde(default)]
    pub waits_for_client: bool,
    /// Keys of earlier stages the request may be sent back to.
    #[serde(default)]
    pub may_return_to: Vec<String>,
    /// The request may be refused at this stage.
    #[serde(default)]
    pub may_refuse: bool,
    /// The request may be suspended at this stage (the clock stops).
    #[serde(default)]
    pub may_suspend: bool,
}

/// One variant: an applicant profile and its ordered stages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Variant {
    pub key: String,
    pub name: String,
    /// Who this variant is for, in plain words.
    #[serde(default)]
    pub applicant: String,
    /// The term of the whole, e.g. «ч. 1 ст. 12 59-ФЗ: 30 дней».
    pub total_deadline: Option<DeadlineRule>,
    /// How many extensions of the total term are allowed, each of at most `extension_days`.
    #[serde(default)]
    pub max_extensions: u32,
    #[serde(default)]
    pub extension_days: u32,
    pub stages: Vec<Stage>,
}

/// The chain of one offering: what the editor edits and the store versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Chain {
    pub variants: Vec<Variant>,
    /// The request form: fields asked besides contact details and the subject.
    #[serde(default)]
    pub form: Vec<FormField>,
}

impl Variant {
    pub fn stage_index(&self, key: &str) -> Option<usize> {
        self.stages.iter().position(|s| s.key == key)
    }
}

impl Chain {
    pub fn variant(&self, key: &str) -> Option<&Variant> {
        self.variants.iter().find(|v| v.key == key)
    }
}

/// A key: lower-case Latin letters, digits, `_` and `-`, as in URLs and event logs.
pub(crate) fn key(field: &str, raw: &str) -> Result<String, Invalid> {
    let k = raw.trim().to_string();
    if k.is_empty() {
        return Err(Invalid::one(field, "required", "must not be empty"));
    }
    if k.len() > KEY_MAX || !k.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-') {
        return Err(Invalid::one(field, "invalid_key", format!("use up to {KEY_MAX} lower-case Latin letters, digits, _ or -")));
    }
    Ok(k)
}

impl Chain {
    /// The chain with its texts cleaned, or every problem, by field path
    /// (`variants[0].stages[2].name`). `units` and `employees` are the body's, so a stage
    /// cannot name another body's unit.
    pub fn validate(&self, units: &[Id], employees: &[(Id, Id)]) -> Result<Chain, Invalid> {
        let mut e = Invalid::default();
        if self.variants.is_empty() {
            e.push("variants", "required", "a chain needs at least one variant");
        }
        if self.variants.len() > MAX_VARIANTS {
            e.push("variants", "too_many", format!("at most {MAX_VARIANTS} variants"));
        }
        let mut variants = Vec::new();
        let mut seen_variants = std::collections::HashSet::new();
        for (vi, v) in self.variants.iter().enumerate() {
            let p = format!("variants[{vi}]");
            let vkey = e.take(key(&format!("{p}.key"), &v.key)).unwrap_or_default();
            if !vkey.is_empty() && !seen_variants.insert(vkey.clone()) {
                e.push(format!("{p}.key"), "duplicate", "another variant has this key");
            }
            let name = e.take(text::name(&format!("{p}.name"), &v.name, NAME_MAX)).unwrap_or_default();
            let applicant = e.take(text::long_text(&format!("{p}.applicant"), &v.applicant, TEXT_MAX)).unwrap_or_default();
            let total =
                v.total_deadline.as_ref().and_then(|d| e.take(d.validate().map_err(|x| x.prefixed(&format!("{p}.total_deadline.")))));
            if v.max_extensions > 3 {
                e.push(format!("{p}.max_extensions"), "out_of_range", "at most 3 extensions");
            }
            if v.max_extensions > 0 && !(1..=90).contains(&v.extension_days) {
                e.push(format!("{p}.extension_days"), "out_of_range", "an extension is 1 to 90 days");
            }
            if v.stages.is_empty() {
                e.push(format!("{p}.stages"), "required", "a variant needs at least one stage");
            }
            if v.stages.len() > MAX_STAGES {
                e.push(format!("{p}.stages"), "too_many", format!("at most {MAX_STAGES} stages"));
            }
            let mut stages: Vec<Stage> = Vec::new();
            for (si, s) in v.stages.iter().enumerate() {
                let sp = format!("{p}.stages[{si}]");
                let skey = e.take(key(&format!("{sp}.key"), &s.key)).unwrap_or_default();
                if !skey.is_empty() && stages.iter().any(|x| x.key == skey) {
                    e.push(format!("{sp}.key"), "duplicate", "another stage of this variant has this key");
                }
                let sname = e.take(text::name(&format!("{sp}.name"), &s.name, NAME_MAX)).unwrap_or_default();
                let role = e.take(text::long_text(&format!("{sp}.role"), &s.role, TEXT_MAX)).unwrap_or_default();
                let client_sees = e.take(text::name(&format!("{sp}.client_sees"), &s.client_sees, TEXT_MAX)).unwrap_or_default();
                let actor_name = e.take(text::long_text(&format!("{sp}.actor_name"), &s.actor_name, NAME_MAX)).unwrap_or_default();
                let (mut unit_id, mut employee_id) = (s.unit_id, s.employee_id);
                match s.actor_kind {
                    ActorKind::Unit => {
                        employee_id = None;
                        match s.unit_id {
                            Some(u) if units.contains(&u) => {}
                            Some(_) => e.push(format!("{sp}.unit_id"), "unknown", "no such unit in this body"),
                            None => e.push(format!("{sp}.unit_id"), "required", "choose the unit doing this stage"),
                        }
                    }
                    ActorKind::Employee => match s.employee_id.and_then(|x| employees.iter().find(|(id, _)| *id == x)) {
                        Some((_, unit)) => unit_id = Some(*unit),
                        None if s.employee_id.is_some() => e.push(format!("{sp}.employee_id"), "unknown", "no such employee in this body"),
                        None => e.push(format!("{sp}.employee_id"), "required", "choose the employee doing this stage"),
                    },
                    ActorKind::OtherBody | ActorKind::Institution => {
                        if actor_name.is_empty() {
                            e.push(format!("{sp}.actor_name"), "required", "name the body or institution");
                        }
                        // Someone inside still answers for the stage: the unit that sent the request.
                        if let Some(u) = s.unit_id {
                            if !units.contains(&u) {
                                e.push(format!("{sp}.unit_id"), "unknown", "no such unit in this body");
                            }
                        }
                        employee_id = None;
                        if s.unit_id.is_none() {
                            unit_id = None;
                        }
                    }
                }
                let deadline = s.deadline.as_ref().and_then(|d| e.take(d.validate().map_err(|x| x.prefixed(&format!("{sp}.deadline.")))));
                let mut returns = Vec::new();
                for (ri, r) in s.may_return_to.iter().enumerate() {
                    match stages.iter().find(|x| x.key == r.trim()) {
                        Some(x) => {
                            if !returns.contains(&x.key) {
                                returns.push(x.key.clone());
                            }
                        }
                        None => e.push(
                            format!("{sp}.may_return_to[{ri}]"),
                            "unknown",
                            "a request can only go back to an earlier stage of this variant",
                        ),
                    }
                }
                stages.push(Stage {
                    key: skey,
                    name: sname,
                    actor_kind: s.actor_kind,
                    unit_id,
                    employee_id,
                    actor_name,
                    role,
                    deadline,
                    client_sees,
                    waits_for_client: s.waits_for_client,
                    may_return_to: returns,
                    may_refuse: s.may_refuse,
                    may_suspend: s.may_suspend,
                });
            }
            variants.push(Variant {
                key: vkey,
                name,
                applicant,
                total_deadline: total,
                max_extensions: v.max_extensions,
                extension_days: if v.max_extensions > 0 { v.extension_days } else { 0 },
                stages,
            });
        }
        let form = e.take(form::validate(&self.form)).unwrap_or_default();
        e.into_result()?;
        Ok(Chain { variants, form })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit() -> Id {
        Id::new()
    }

    #[test]
    fn the_templates_are_valid_chains() {
        let u = unit();
        for t in Template::ALL {
            let chain = template(*t, u);
            chain.validate(&[u], &[]).unwrap_or_else(|e| panic!("{t:?}: {e:?}"));
        }
    }

    #[test]
    fn every_problem_is_named_by_its_path() {
        let u = unit();
        let mut c = template(Template::CitizenAppeal, u);
        c.variants[0].stages[1].name = " ".into();
        c.variants[0].stages[2].may_return_to = vec!["nowhere".into()];
        c.variants[0].stages[0].unit_id = Some(Id::new());
        c.variants[0].key = "Не ключ".into();
        let err = c.validate(&[u], &[]).unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|f| f.field.as_str()).collect();
        assert!(fields.contains(&"variants[0].stages[1].name"), "{fields:?}");
        assert!(fields.contains(&"variants[0].stages[2].may_return_to[0]"), "{fields:?}");
        assert!(fields.contains(&"variants[0].stages[0].unit_id"), "{fields:?}");
        assert!(fields.contains(&"variants[0].key"), "{fields:?}");
    }

    #[test]
    fn a_return_goes_only_backwards() {
        let u = unit();
        let mut c = template(Template::RegulatedService, u);
        let last = c.variants[0].stages.last().unwrap().key.clone();
        c.variants[0].stages[0].may_return_to = vec![last];
        assert!(c.validate(&[u], &[]).is_err(), "the first stage cannot return to a later one");
    }

    #[test]
    fn an_employee_stage_takes_the_employees_unit() {
        let (u, emp) = (unit(), Id::new());
        let mut c = template(Template::LegalReview, u);
        c.variants[0].stages[1].actor_kind = ActorKind::Employee;
        c.variants[0].stages[1].employee_id = Some(emp);
        c.variants[0].stages[1].unit_id = None;
        let v = c.validate(&[u], &[(emp, u)]).unwrap();
        assert_eq!(v.variants[0].stages[1].unit_id, Some(u));
        assert!(c.validate(&[u], &[]).is_err(), "an unknown employee is refused");
    }
}
