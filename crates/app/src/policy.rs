//! Who may do what. Every use case asks here before it acts; templates only mirror it.

use crate::AppError;

/// Whose action it is. Accounts and roles come with the accounts issue; until then an
/// instance without accounts is open, and `Who::Open` says so explicitly everywhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Who {
    /// Someone not signed in: reads what is published, writes nothing.
    Anonymous,
    /// A request on an instance without accounts yet: may read and change the catalogue.
    Open,
    /// The command line and the demo loader.
    System,
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
        match self.who {
            Who::Anonymous => "anonymous".into(),
            Who::Open => "open".into(),
            Who::System => "system".into(),
        }
    }

    /// Who and where, for the audit trail.
    pub fn trail(&self) -> okno_store::Trail {
        okno_store::Trail { actor: self.label(), request_id: self.request_id.clone(), ip: self.ip.clone() }
    }

    pub fn may(&self, action: Action) -> bool {
        match self.who {
            Who::Anonymous => false,
            // Until accounts exist, an open instance may do every action there is.
            Who::Open | Who::System => matches!(action, Action::ReadInternal | Action::EditCatalogue | Action::ReadAudit),
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
}
