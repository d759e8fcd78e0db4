//! One person's data, for an administrator: everything held about them as a file
//! (152-FZ art. 14, the person's right to know), and its erasure (art. 21).
//!
//! Both span bodies (an account may hold roles in several), so both need an
//! administrator of every body.

use crate::policy::{Action, Scope};
use crate::{Actor, App, AppError, AuditRecord};
use okno_domain::account::Email;
use okno_domain::org::Employee;
use okno_domain::{Id, Invalid};
pub use okno_store::Erasure;
use okno_store::PersonQuery;
use serde::Serialize;

/// Whom an administrator asks about: an e-mail address, an employee record, or both.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::ToSchema, utoipa::IntoParams)]
pub struct PersonRequest {
    /// The person's e-mail: their account and employee records with this address.
    #[serde(default)]
    pub email: Option<String>,
    /// An employee record's id, for employees without an address.
    #[serde(default)]
    pub employee_id: Option<String>,
}

impl PersonRequest {
    fn validate(&self) -> Result<PersonQuery, Invalid> {
        let mut e = Invalid::default();
        let email = self.email.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let employee = self.employee_id.as_deref().map(str::trim).filter(|s| !s.is_empty());
        if email.is_none() && employee.is_none() {
            e.push("email", "required", "give the person's e-mail or an employee record's id");
        }
        let email = email.and_then(|raw| e.take(Email::parse("email", raw))).map(|m| m.as_str().to_string());
        let employee_id = employee.and_then(|raw| match raw.parse::<Id>() {
            Ok(id) => Some(id),
            Err(_) => {
                e.push("employee_id", "invalid", "an employee id looks like 0192f3a4-…; copy it from the employee's page");
                None
            }
        });
        e.into_result()?;
        Ok(PersonQuery { email, employee_id })
    }
}

/// An account as exported: never its password hash.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AccountExport {
    pub id: Id,
    pub email: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub disabled: bool,
    /// `[body id or null for every body, role]`.
    #[schema(value_type = Vec<Object>)]
    pub roles: Vec<(Option<Id>, String)>,
}

/// Everything Okno holds about one person.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PersonalExport {
    /// RFC 3339, UTC.
    pub exported_at: String,
    pub account: Option<AccountExport>,
    pub employees: Vec<Employee>,
    /// Audit entries about the person, and those they made.
    #[schema(value_type = Vec<Object>)]
    pub audit: Vec<AuditRecord>,
    /// Requests the person made as a client (by the e-mail they gave), with what they wrote.
    pub requests: Vec<ClientRequestExport>,
}

/// A request as its client's data: who they said they were, how to reach them, what they
/// asked and answered, and where the case stands.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ClientRequestExport {
    pub tracking_code: String,
    pub offering_id: Id,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub client_name: String,
    pub client_email: Option<String>,
    pub client_phone: Option<String>,
    pub client_address: Option<String>,
    pub subject: String,
    #[schema(value_type = Object)]
    pub fields: serde_json::Value,
    pub phase: String,
    pub outcome: Option<String>,
}

impl PersonalExport {
    pub fn is_empty(&self) -> bool {
        self.account.is_none() && self.employees.is_empty() && self.requests.is_empty()
    }
}

use okno_domain::instant::rfc3339;

impl App {
    /// Everything held about a person. Nothing found is an empty export, not an error:
    /// "we hold nothing about you" is an answer too.
    pub async fn personal_data(&self, actor: &Actor, request: &PersonRequest) -> Result<PersonalExport, AppError> {
        actor.require(Action::ReadAudit, Scope::Instance)?;
        let q = request.validate()?;
        let found = self.store.find_person(&q).await?;
        let now = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
        Ok(PersonalExport {
            exported_at: rfc3339(now),
            account: found.account.map(|a| AccountExport {
                id: a.id,
                email: a.email,
                created_at: rfc3339(a.created_at),
                disabled: a.disabled_at.is_some(),
                roles: a.roles.iter().map(|(b, r)| (*b, r.code().to_string())).collect(),
            }),
            employees: found.employees,
            audit: found.audit,
            requests: found
                .requests
                .into_iter()
                .map(|r| ClientRequestExport {
                    tracking_code: r.tracking_code,
                    offering_id: r.offering_id,
                    created_at: rfc3339(r.created_at),
                    client_name: r.client.name,
                    client_email: r.client.email,
                    client_phone: r.client.phone,
                    client_address: r.client.address,
                    subject: r.subject,
                    fields: serde_json::from_str(&r.fields_json).unwrap_or_default(),
                    phase: r.state.phase.code().into(),
                    outcome: r.state.outcome.map(|o| o.code().into()),
                })
                .collect(),
        })
    }

    /// Erases a person's data for good. Nothing matching is `NotFound`; erasing one's own
    /// account is refused, so an administrator cannot lock the instance out by mistake.
    pub async fn erase_personal_data(&self, actor: &Actor, request: &PersonRequest) -> Result<Erasure, AppError> {
        actor.require(Action::ErasePersonalData, Scope::Instance)?;
        let q = request.validate()?;
        if let (Some(me), Some(email)) = (actor.account_id(), q.email.as_deref()) {
            let mine = self.store.get_account(me).await.map_err(AppError::not_found("account"))?;
            if mine.email == email {
                return Err(AppError::Conflict {
                    code: "own_account",
                    message: "you cannot erase your own account; ask another administrator".into(),
                });
            }
        }
        let erasure = self.store.erase_person(&q, &actor.trail()).await.map_err(AppError::not_found("person"))?;
        tracing::info!(
            redacted = erasure.redacted_entries.len(),
            employees = erasure.employee_ids.len(),
            account = erasure.account_id.is_some(),
            requests = erasure.request_ids.len(),
            "personal data erased"
        );
        Ok(erasure)
    }
}
