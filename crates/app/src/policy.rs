//! Who may do what. Every use case asks here before it acts; templates only mirror it.

use crate::AppError;

/// The one acting. Accounts and roles come with the accounts issue; until then an
/// instance without accounts is open, and `Open` says so explicitly everywhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    /// Someone not signed in: reads what is published, writes nothing.
    Anonymous,
    /// A request on an instance without accounts yet: may read and change the catalogue.
    Open,
    /// The command line and the demo loader.
    System,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Read drafts and retired offerings, staff details.
    ReadInternal,
    /// Create, change or delete bodies, units, employees, segments and offerings.
    EditCatalogue,
}

impl Actor {
    pub fn may(&self, action: Action) -> bool {
        match self {
            Actor::Anonymous => false,
            // Until accounts exist, an open instance may do every action there is.
            Actor::Open | Actor::System => matches!(action, Action::ReadInternal | Action::EditCatalogue),
        }
    }

    /// `Ok` if allowed; the error says whether signing in could help.
    pub fn require(&self, action: Action) -> Result<(), AppError> {
        if self.may(action) {
            Ok(())
        } else if *self == Actor::Anonymous {
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
        assert!(!Actor::Anonymous.may(Action::EditCatalogue));
        assert!(!Actor::Anonymous.may(Action::ReadInternal));
        assert!(matches!(Actor::Anonymous.require(Action::EditCatalogue), Err(AppError::Unauthenticated)));
        assert!(Actor::System.require(Action::EditCatalogue).is_ok());
    }
}
