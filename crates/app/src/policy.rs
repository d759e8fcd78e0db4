//! Who may do what, and where. Every use case asks here before it acts; templates only
//! mirror it.
//!
//! A role is granted in one body or in every body. An action is asked for in a [`Scope`]:
//! a body, when the record belongs to one, or the whole instance for what spans bodies
//! (creating a body, reading the audit trail). Only a grant in every body reaches the
//! instance scope, so an administrator of one body cannot read another body's changes.

use crate::AppError;
use okno_domain::account::Role;
use okno_domain::Id;

/// Whose action it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Who {
    /// Someone not signed in: reads what is published, writes nothing.
    Anonymous,
    /// A request on an instance that has no accounts yet (set-up): may read and change
    /// the catalogue. The first `okno admin create-user` ends this for good.
    Open,
    /// The command line and the demo loader.
    System,
    /// A signed-in employee, or a machine client with an API token.
    Staff(Staff),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Staff {
    pub account_id: Id,
    /// A role in one body, or in every body (`None`).
    pub roles: Vec<(Option<Id>, Role)>,
    /// False for an API token of read scope.
    pub may_write: bool,
}

/// Where an action applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Records of one body.
    Body(Id),
    /// What spans bodies.
    Instance,
    /// Any one body, whichever: for coarse gates (may this person edit anything at all?)
    /// in front of the precise check, never instead of it.
    SomeBody,
}

impl Staff {
    fn has_in(&self, scope: Scope, any_of: &[Role]) -> bool {
        self.roles.iter().any(|(body, r)| {
            any_of.contains(r)
                && match scope {
                    Scope::Body(b) => body.is_none_or(|g| g == b),
                    Scope::Instance => body.is_none(),
                    Scope::SomeBody => true,
                }
        })
    }

    /// The bodies where this person holds some role; `None` when every body.
    pub fn bodies(&self) -> Option<Vec<Id>> {
        if self.roles.iter().any(|(b, _)| b.is_none()) {
            return None;
        }
        let mut v: Vec<Id> = self.roles.iter().filter_map(|(b, _)| *b).collect();
        v.sort();
        v.dedup();
        Some(v)
    }
}

/// The one acting, and where the action came from: what the audit trail records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub who: Who,
    /// The HTTP request id, when the action came through the web.
    pub request_id: Option<String>,
    /// The client's address, when the action came through the web.
    pub ip: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Read drafts and retired offerings, staff details: any role in the body.
    ReadInternal,
    /// Create, change or delete offerings and client segments, import and export the
    /// catalogue: administrators and service owners.
    EditOfferings,
    /// Change the body's own record, its units and employees: administrators and unit heads.
    EditStructure,
    /// Move requests through their stages: administrators, service owners, unit heads
    /// and executors.
    WorkRequests,
    /// Create a body: an administrator of every body.
    CreateBody,
    /// Read and verify the audit trail, export a person's data: an administrator of every
    /// body, since both span bodies.
    ReadAudit,
    /// Erase a person's data: an administrator of every body.
    ErasePersonalData,
}

impl Action {
    pub const ALL: [Action; 7] = [
        Action::ReadInternal,
        Action::EditOfferings,
        Action::EditStructure,
        Action::CreateBody,
        Action::ReadAudit,
        Action::ErasePersonalData,
        Action::WorkRequests,
    ];

    /// Roles that grant the action; `None` means any role.
    fn roles(self) -> Option<&'static [Role]> {
        match self {
            Action::ReadInternal => None,
            Action::EditOfferings => Some(&[Role::Administrator, Role::ServiceOwner]),
            Action::EditStructure => Some(&[Role::Administrator, Role::UnitHead]),
            Action::WorkRequests => Some(&[Role::Administrator, Role::ServiceOwner, Role::UnitHead, Role::Executor]),
            Action::CreateBody | Action::ReadAudit | Action::ErasePersonalData => Some(&[Role::Administrator]),
        }
    }

    fn writes(self) -> bool {
        !matches!(self, Action::ReadInternal | Action::ReadAudit)
    }
}

impl Actor {
    pub fn new(who: Who) -> Actor {
        Actor { who, request_id: None, ip: None }
    }

    pub fn system() -> Actor {
        Actor::new(Who::System)
    }

    pub fn open() -> Actor {
        Actor::new(Who::Open)
    }

    pub fn anonymous() -> Actor {
        Actor::new(Who::Anonymous)
    }

    /// How the audit trail names the actor.
    pub fn label(&self) -> String {
        match &self.who {
            Who::Anonymous => "anonymous".into(),
            Who::Open => "open".into(),
            Who::System => "system".into(),
            Who::Staff(s) => format!("account:{}", s.account_id),
        }
    }

    /// Who and where, for the audit trail.
    pub fn trail(&self) -> okno_store::Trail {
        okno_store::Trail { actor: self.label(), request_id: self.request_id.clone(), ip: self.ip.clone() }
    }

    pub fn may(&self, action: Action, scope: Scope) -> bool {
        match &self.who {
            Who::Anonymous => false,
            // Until accounts exist, an open instance may do every action there is.
            Who::Open | Who::System => true,
            Who::Staff(s) => {
                // Instance-wide actions are asked in the instance scope whatever the caller says.
                let scope = if matches!(action, Action::CreateBody | Action::ReadAudit | Action::ErasePersonalData) {
                    Scope::Instance
                } else {
                    scope
                };
                (s.may_write || !action.writes())
                    && match action.roles() {
                        None => s.has_in(scope, Role::ALL),
                        Some(roles) => s.has_in(scope, roles),
                    }
            }
        }
    }

    /// `Ok` if allowed; the error says whether signing in could help.
    pub fn require(&self, action: Action, scope: Scope) -> Result<(), AppError> {
        if self.may(action, scope) {
            Ok(())
        } else if self.who == Who::Anonymous {
            Err(AppError::Unauthenticated)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// `Ok` if allowed in the body.
    pub fn require_in(&self, action: Action, body: Id) -> Result<(), AppError> {
        self.require(action, Scope::Body(body))
    }

    /// The bodies whose internal records this actor reads; `None` when every body.
    pub fn internal_bodies(&self) -> Option<Vec<Id>> {
        match &self.who {
            Who::Anonymous => Some(Vec::new()),
            Who::Open | Who::System => None,
            Who::Staff(s) => s.bodies(),
        }
    }

    /// The signed-in account, if any.
    pub fn account_id(&self) -> Option<Id> {
        match &self.who {
            Who::Staff(s) => Some(s.account_id),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;

    #[test]
    fn anonymous_reads_only_what_is_public() {
        let b = Scope::Body(Id::new());
        assert!(!Actor::anonymous().may(EditOfferings, b));
        assert!(!Actor::anonymous().may(ReadInternal, b));
        assert!(matches!(Actor::anonymous().require(EditOfferings, b), Err(AppError::Unauthenticated)));
        assert!(Actor::system().require(ErasePersonalData, Scope::Instance).is_ok());
        assert!(Actor::open().require(ReadInternal, b).is_ok());
        assert_eq!(Actor::anonymous().internal_bodies(), Some(vec![]));
    }

    fn staff(body: Option<Id>, role: Role, may_write: bool) -> Actor {
        Actor::new(Who::Staff(Staff { account_id: Id::new(), roles: vec![(body, role)], may_write }))
    }

    #[test]
    fn roles_decide_what_staff_may_do() {
        // ReadInternal, EditOfferings, EditStructure, CreateBody, ReadAudit, ErasePersonalData, WorkRequests — with a grant in every body
        let table = [
            (Role::Administrator, [true, true, true, true, true, true, true]),
            (Role::ServiceOwner, [true, true, false, false, false, false, true]),
            (Role::UnitHead, [true, false, true, false, false, false, true]),
            (Role::Executor, [true, false, false, false, false, false, true]),
            (Role::Analyst, [true, false, false, false, false, false, false]),
            (Role::CommunicationsEditor, [true, false, false, false, false, false, false]),
        ];
        let b = Scope::Body(Id::new());
        for (role, expect) in table {
            let a = staff(None, role, true);
            assert_eq!(Action::ALL.map(|x| a.may(x, b)), expect, "{role:?}");
        }
        assert!(!staff(None, Role::Administrator, false).may(EditOfferings, b), "a read token writes nothing");
        assert!(staff(None, Role::Administrator, false).may(ReadInternal, b), "a read token reads");
        assert!(staff(None, Role::Administrator, false).may(ReadAudit, b), "a read token reads the audit trail");
        assert!(!staff(None, Role::Administrator, false).may(ErasePersonalData, b), "but erases nothing");
        assert!(matches!(staff(None, Role::Executor, true).require(EditOfferings, b), Err(AppError::Forbidden)));
    }

    #[test]
    fn a_role_in_one_body_holds_there_only() {
        let (mine, other) = (Id::new(), Id::new());
        let owner = staff(Some(mine), Role::ServiceOwner, true);
        assert!(owner.may(EditOfferings, Scope::Body(mine)));
        assert!(!owner.may(EditOfferings, Scope::Body(other)));
        assert!(!owner.may(ReadInternal, Scope::Body(other)));
        assert!(owner.may(EditOfferings, Scope::SomeBody));
        assert_eq!(owner.internal_bodies(), Some(vec![mine]));

        let admin = staff(Some(mine), Role::Administrator, true);
        assert!(admin.may(EditStructure, Scope::Body(mine)));
        assert!(!admin.may(ReadAudit, Scope::Body(mine)), "the audit trail spans bodies");
        assert!(!admin.may(CreateBody, Scope::SomeBody));
        assert!(staff(None, Role::Administrator, true).may(ErasePersonalData, Scope::Instance));
    }
}
