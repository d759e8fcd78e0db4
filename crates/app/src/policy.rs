//! Who may do what. Every use case asks here before it acts; templates only mirror it.

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

impl Staff {
    fn has(&self, any_of: &[Role]) -> bool {
        self.roles.iter().any(|(_, r)| any_of.contains(r))
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
    /// Read drafts and retired offerings, staff details.
    ReadInternal,
    /// Create, change or delete bodies, units, employees, segments and offerings.
    EditCatalogue,
    /// Read and verify the audit trail.
    ReadAudit,
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

    pub fn may(&self, action: Action) -> bool {
        match &self.who {
            Who::Anonymous => false,
            // Until accounts exist, an open instance may do every action there is.
            Who::Open | Who::System => matches!(action, Action::ReadInternal | Action::EditCatalogue | Action::ReadAudit),
            // Roles hold in their body; checking the body of each record is the next step,
            // until then a role in any body counts.
            Who::Staff(s) => match action {
                Action::ReadInternal => !s.roles.is_empty(),
                Action::EditCatalogue => s.may_write && s.has(&[Role::Administrator, Role::ServiceOwner, Role::UnitHead]),
                Action::ReadAudit => s.has(&[Role::Administrator]),
            },
        }
    }

    /// `Ok` if allowed; the error says whether signing in could help.
    pub fn require(&self, action: Action) -> Result<(), AppError> {
        if self.may(action) {
            Ok(())
        } else if self.who == Who::Anonymous {
            Err(AppError::Unauthenticated)
        } else {
            Err(AppError::Forbidden)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anonymous_reads_only_what_is_public() {
        assert!(!Actor::anonymous().may(Action::EditCatalogue));
        assert!(!Actor::anonymous().may(Action::ReadInternal));
        assert!(matches!(Actor::anonymous().require(Action::EditCatalogue), Err(AppError::Unauthenticated)));
        assert!(Actor::system().require(Action::EditCatalogue).is_ok());
        assert!(Actor::open().require(Action::ReadInternal).is_ok());
    }

    fn staff(role: Role, may_write: bool) -> Actor {
        Actor::new(Who::Staff(Staff { account_id: Id::new(), roles: vec![(None, role)], may_write }))
    }

    #[test]
    fn roles_decide_what_staff_may_do() {
        use Action::*;
        let table = [
            (Role::Administrator, [true, true, true]),
            (Role::ServiceOwner, [true, true, false]),
            (Role::UnitHead, [true, true, false]),
            (Role::Executor, [true, false, false]),
            (Role::Analyst, [true, false, false]),
            (Role::CommunicationsEditor, [true, false, false]),
        ];
        for (role, expect) in table {
            let a = staff(role, true);
            assert_eq!([a.may(ReadInternal), a.may(EditCatalogue), a.may(ReadAudit)], expect, "{role:?}");
        }
        assert!(!staff(Role::Administrator, false).may(EditCatalogue), "a read token writes nothing");
        assert!(matches!(staff(Role::Executor, true).require(EditCatalogue), Err(AppError::Forbidden)));
    }
}
