//! Delivery chains and requests: the use cases. The chain and the state machine are in
//! `okno_domain`; here are who may act, the clock (due dates from the production calendar,
//! paused while the client is asked), and the one transaction per move.

use crate::policy::{Action, Scope};
use crate::{Actor, App, AppError, PageRequest, Paged};
use okno_domain::calendar::{BodyCalendar, DeadlineRule};
use okno_domain::chain::{Chain, FormField, Variant};
use okno_domain::offering::Status;
use okno_domain::request::{self, Channel, EventKind, Fact, Move, Phase, TrackingCode};
use okno_domain::{text, Id, Invalid};
use okno_store::StoreError;
pub use okno_store::{ClarityGroup, ClientContact, EventRecord, RequestFilter, RequestRecord, ResponseScore};
use time::OffsetDateTime;

/// What a client (or staff on their behalf) submits.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct NewRequest {
    pub offering_id: Option<Id>,
    /// The variant's key; the first variant when absent.
    #[serde(default)]
    pub variant: Option<String>,
    /// How it came in: web_form, walk_in, phone, mail, api, open311.
    #[serde(default)]
    pub channel: Option<String>,
    #[serde(default)]
    pub client_name: String,
    #[serde(default)]
    pub client_email: Option<String>,
    #[serde(default)]
    pub client_phone: Option<String>,
    #[serde(default)]
    pub client_address: Option<String>,
    /// What the request is about, in the client's words.
    #[serde(default)]
    pub subject: String,
    /// Answers to the offering's request form, by field key (see the chain's `form`).
    #[serde(default)]
    pub fields: std::collections::BTreeMap<String, String>,
}

const SUBJECT_MAX: usize = 5000;

/// Now, in UTC milliseconds: the one clock the use cases read.
pub fn now_ms() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// When a stage or the whole is due, in the body's calendar and time zone.
fn due_ms(cal: &BodyCalendar, start: i64, rule: Option<&DeadlineRule>) -> Option<i64> {
    rule.map(|r| cal.due(start, r))
}

fn random_bits() -> u64 {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).expect("the OS random source works");
    u64::from_le_bytes(b)
}

fn stage_unit(variant: &Variant, key: &str) -> Option<Id> {
    variant.stages.iter().find(|s| s.key == key).and_then(|s| s.unit_id)
}

fn move_refused(e: request::MoveError) -> AppError {
    AppError::Conflict { code: e.code, message: e.message }
}

fn stale(e: StoreError) -> AppError {
    match e {
        StoreError::Stale => AppError::Conflict {
            code: "stale_version",
            message: "someone else acted on this request a moment ago; reload it and decide again".into(),
        },
        other => AppError::not_found("request")(other),
    }
}

/// A request as staff see it: the record, its chain and its history.
#[derive(Clone, Debug)]
pub struct RequestCard {
    pub record: RequestRecord,
    pub variant: Variant,
    /// The request form as the client saw it, to label the answers.
    pub form: Vec<FormField>,
    pub events: Vec<EventRecord>,
}

impl RequestCard {
    /// The client's answers to the form, labelled, in the form's order.
    pub fn answers(&self) -> Vec<(&FormField, String)> {
        let map: std::collections::BTreeMap<String, String> = serde_json::from_str(&self.record.fields_json).unwrap_or_default();
        self.form.iter().filter_map(|f| map.get(&f.key).map(|v| (f, v.clone()))).collect()
    }
}

impl App {
    /// The newest chain of an offering; the public may read the chain of a published one.
    pub async fn chain(&self, actor: &Actor, offering: Id) -> Result<Option<(i64, Chain)>, AppError> {
        self.offering(actor, offering).await?;
        Ok(self.store.latest_chain(offering).await?)
    }

    /// Saves the chain as the offering's next version. Requests in flight keep theirs.
    pub async fn save_chain(&self, actor: &Actor, offering: Id, chain: &Chain) -> Result<i64, AppError> {
        self.save_chain_over(actor, offering, chain, None).await
    }

    /// `save_chain` over the version the editor started from (0: none yet); a version
    /// saved by someone else since is a `stale_version` conflict, not an overwrite.
    pub async fn save_chain_over(&self, actor: &Actor, offering: Id, chain: &Chain, expected: Option<i64>) -> Result<i64, AppError> {
        actor.require(Action::EditOfferings, Scope::SomeBody)?;
        let o = self.store.get_offering(offering).await.map_err(AppError::not_found("offering"))?;
        actor.require_in(Action::EditOfferings, o.body_id)?;
        let units: Vec<Id> = self.store.list_units(o.body_id).await?.iter().map(|u| u.id).collect();
        let employees: Vec<(Id, Id)> = self.store.list_employees(o.body_id).await?.iter().map(|e| (e.id, e.unit_id)).collect();
        let valid = chain.validate(&units, &employees)?;
        self.store.save_chain(offering, o.body_id, &valid, expected, &actor.trail()).await.map_err(|e| match e {
            StoreError::Stale => AppError::Conflict {
                code: "stale_version",
                message: "someone saved a newer version of this chain; reload it and apply your change again".into(),
            },
            other => other.into(),
        })
    }

    /// Creates a request. Anyone may, for a published offering with a chain (a citizen
    /// through the public form); staff of the body may for a draft too. The tracking code
    /// is returned with the record.
    pub async fn create_request(&self, actor: &Actor, input: &NewRequest) -> Result<RequestRecord, AppError> {
        self.create_request_at(actor, input, now_ms()).await
    }

    /// `create_request` as if at `now` (ms): the demo's history is made with it.
    pub(crate) async fn create_request_at(&self, actor: &Actor, input: &NewRequest, now: i64) -> Result<RequestRecord, AppError> {
        let mut e = Invalid::default();
        let offering = match input.offering_id {
            Some(id) => match self.store.get_offering(id).await {
                Ok(o) if o.status == Status::Published || actor.may(Action::ReadInternal, Scope::Body(o.body_id)) => Some(o),
                Ok(_) | Err(StoreError::NotFound) => {
                    e.push("offering_id", "unknown", "no such offering takes requests");
                    None
                }
                Err(other) => return Err(other.into()),
            },
            None => {
                e.push("offering_id", "required", "choose the product or service");
                None
            }
        };
        let channel = match input.channel.as_deref() {
            None | Some("") => Some(if matches!(actor.who, crate::Who::Anonymous) { Channel::WebForm } else { Channel::Api }),
            Some(c) => e.take(Channel::parse("channel", c)),
        };
        // Only the body's own staff take requests at the counter, by phone or by post: the
        // channel feeds the digital take-up figure, so a caller cannot simply claim one.
        if let (Some(Channel::WalkIn | Channel::Phone | Channel::Mail), Some(o)) = (channel, &offering) {
            if !actor.may(Action::WorkRequests, Scope::Body(o.body_id)) {
                e.push("channel", "staff_only", "only the body's staff register requests made in person, by phone or by post");
            }
        }
        let name = e.take(text::name("client_name", &input.client_name, 300));
        let email = match input.client_email.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(m) => e.take(okno_domain::account::Email::parse("client_email", m)).map(|m| Some(m.as_str().to_string())),
            None => Some(None),
        };
        let phone = input.client_phone.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(|p| p.to_string());
        if phone.as_ref().is_some_and(|p| p.chars().count() > 40 || !p.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c))) {
            e.push("client_phone", "invalid_phone", "write the phone number with digits, e.g. +7 900 123-45-67");
        }
        let address = match input.client_address.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(a) => e.take(text::long_text("client_address", a, 500)).map(Some),
            None => Some(None),
        };
        if email.as_ref().is_some_and(|m| m.is_none()) && phone.is_none() && address.as_ref().is_some_and(|a| a.is_none()) {
            e.push("client_email", "contact_required", "give an e-mail, a phone or a postal address, so that we can answer");
        }
        let subject = e.take(text::long_text("subject", &input.subject, SUBJECT_MAX));
        if subject.as_deref().is_some_and(str::is_empty) {
            e.push("subject", "required", "say what the request is about");
        }
        let chain = match &offering {
            Some(o) => match self.store.latest_chain(o.id).await? {
                Some(c) => Some(c),
                None => {
                    e.push("offering_id", "no_chain", "this offering does not take requests yet: its delivery chain is not set up");
                    None
                }
            },
            None => None,
        };
        let variant = chain.as_ref().and_then(|(_, c)| match input.variant.as_deref().filter(|v| !v.is_empty()) {
            Some(k) => match c.variant(k) {
                Some(v) => Some(v.clone()),
                None => {
                    e.push("variant", "unknown", "no such variant of this offering");
                    None
                }
            },
            None => c.variants.first().cloned(),
        });
        let answers = match &chain {
            Some((_, c)) => e.take(okno_domain::chain::form::check_answers(&c.form, &input.fields)),
            None => None,
        };
        e.into_result()?;
        let (o, (version, _), variant) = (offering.expect("checked"), chain.expect("checked"), variant.expect("checked"));
        let fields_json = serde_json::to_string(&answers.expect("checked")).expect("a map of strings serialises");
        let cal = self.body_calendar(o.body_id).await?;
        let (state, facts) = request::start(&variant);
        let first = &variant.stages[0];
        let mut r = RequestRecord {
            id: Id::new(),
            tracking_code: TrackingCode::from_random(random_bits()).to_string(),
            body_id: o.body_id,
            offering_id: o.id,
            chain_version: version,
            variant_key: variant.key.clone(),
            channel: channel.expect("checked"),
            stage_unit_id: first.unit_id,
            client: ClientContact {
                name: name.expect("checked"),
                email: email.expect("checked"),
                phone,
                address: address.expect("checked"),
            },
            subject: subject.expect("checked"),
            fields_json,
            created_at: now,
            stage_entered_at: now,
            stage_due_at: due_ms(&cal, now, first.deadline.as_ref()),
            due_at: due_ms(&cal, now, variant.total_deadline.as_ref()),
            closed_at: None,
            paused_ms: 0,
            paused_since: (state.phase != Phase::Open).then_some(now),
            events: 0,
            last_hash: String::new(),
            version: 1,
            updated_at: now,
            state,
        };
        // A code is 40 random bits: a clash is rare, and simply drawn again.
        for _ in 0..3 {
            let mails = crate::notify::client_mails(&r, &variant, &facts, now, &cal);
            match self.store.create_request(&r, &facts, &actor.label(), &mails).await {
                Ok(()) => {
                    tracing::info!(request = %r.id, offering = %o.id, channel = r.channel.code(), "request created");
                    return Ok(r);
                }
                Err(StoreError::Duplicate(_)) => r.tracking_code = TrackingCode::from_random(random_bits()).to_string(),
                Err(other) => return Err(other.into()),
            }
        }
        Err(AppError::Conflict { code: "try_again", message: "could not issue a tracking code; try again".into() })
    }

    async fn load(&self, id: Id) -> Result<(RequestRecord, Variant), AppError> {
        let (r, variant, _) = self.load_with_form(id).await?;
        Ok((r, variant))
    }

    async fn load_with_form(&self, id: Id) -> Result<(RequestRecord, Variant, Vec<FormField>), AppError> {
        let r = self.store.get_request(id).await.map_err(AppError::not_found("request"))?;
        let chain = self.store.chain_version(r.offering_id, r.chain_version).await?;
        let variant = chain.variant(&r.variant_key).cloned().ok_or(AppError::Internal(StoreError::Corrupt("variant_key")))?;
        Ok((r, variant, chain.form))
    }

    /// The employee record of the signed-in person in a body: the one whose work e-mail is
    /// the account's. It is how "my queue" and "take it" know who "me" is.
    pub async fn my_employee(&self, actor: &Actor, body: Id) -> Result<Option<okno_domain::org::Employee>, AppError> {
        let crate::Who::Staff(staff) = &actor.who else { return Ok(None) };
        let Ok(account) = self.store.get_account(staff.account_id).await else { return Ok(None) };
        let mine = account.email.to_lowercase();
        Ok(self.store.list_employees(body).await?.into_iter().find(|e| e.email.as_deref().is_some_and(|m| m.to_lowercase() == mine)))
    }

    /// A request's card for staff of its body.
    pub async fn request_card(&self, actor: &Actor, id: Id) -> Result<RequestCard, AppError> {
        actor.require(Action::ReadInternal, Scope::SomeBody)?;
        let (record, variant, form) = self.load_with_form(id).await?;
        actor.require_in(Action::ReadInternal, record.body_id)?;
        let events = self.store.request_events(id).await?;
        Ok(RequestCard { record, variant, form, events })
    }

    /// What the client sees by tracking code: no login, no personal data.
    pub async fn request_status(&self, code: &str) -> Result<RequestCard, AppError> {
        let code = TrackingCode::parse(code).ok_or_else(|| Invalid::one("code", "invalid_code", "a tracking code looks like K7M2-9QXD"))?;
        let r = self.store.request_by_code(code.as_str()).await.map_err(AppError::not_found("request"))?;
        let (record, variant, form) = self.load_with_form(r.id).await?;
        let events = self.store.request_events(r.id).await?.into_iter().filter(|e| e.client_visible).collect();
        Ok(RequestCard { record, variant, form, events })
    }

    /// A move by staff. With `expected` set, a request moved by someone else since is a
    /// conflict, not a silent overwrite.
    pub async fn move_request(&self, actor: &Actor, id: Id, expected: Option<i64>, mv: &Move) -> Result<RequestRecord, AppError> {
        actor.require(Action::WorkRequests, Scope::SomeBody)?;
        let (r, variant) = self.load(id).await?;
        actor.require_in(Action::WorkRequests, r.body_id)?;
        if let Move::Reassign { employee_id } = mv {
            let e = self.store.get_employee(*employee_id).await.map_err(|_| Invalid::one("employee_id", "unknown", "no such employee"))?;
            if e.body_id != r.body_id {
                return Err(Invalid::one("employee_id", "unknown", "no such employee in this body").into());
            }
        }
        // A text for the client is scored as it goes out, so clarity can be measured
        // per unit and offering; the score is written after the move, and a crash in
        // between loses only the score.
        let scored = match crate::clarity::client_text(mv) {
            Some((kind, text)) => Some((kind, self.check_response(text).await?)),
            None => None,
        };
        let now = now_ms();
        let moved = self.apply_move(actor, r, &variant, expected, mv, now).await?;
        if let Some((kind, report)) = scored {
            self.save_score(&moved, kind, &report, now).await?;
        }
        Ok(moved)
    }

    /// Stores the score of a text that went out with the move that made `moved`.
    pub(crate) async fn save_score(
        &self,
        moved: &RequestRecord,
        kind: &str,
        report: &crate::clarity::Report,
        at: i64,
    ) -> Result<(), AppError> {
        let score = okno_store::ResponseScore {
            request_id: moved.id,
            version: moved.version,
            kind: kind.into(),
            score: report.score,
            words: report.metrics.words as i64,
            findings: report.findings.len() as i64,
            checked_at: at,
        };
        Ok(self.store.save_response_score(&score).await?)
    }

    /// A move as the system at `now` (ms), for the demo's history.
    pub(crate) async fn move_request_at(&self, id: Id, mv: &Move, now: i64) -> Result<RequestRecord, AppError> {
        let (r, variant) = self.load(id).await?;
        self.apply_move(&Actor::system(), r, &variant, None, mv, now).await
    }

    /// The client answers a request for documents or information, by tracking code.
    pub async fn client_answers(&self, code: &str, answer: &str) -> Result<RequestRecord, AppError> {
        let card = self.request_status(code).await?;
        if card.record.state.phase != Phase::WaitingForClient {
            return Err(AppError::Conflict { code: "not_waiting", message: "the request is not waiting for your answer".into() });
        }
        let answer = text::long_text("answer", answer, SUBJECT_MAX)?;
        if answer.is_empty() {
            return Err(Invalid::one("answer", "required", "write your answer").into());
        }
        let client = Actor::new(crate::Who::Anonymous);
        let version = card.record.version;
        self.apply_move(&client, card.record, &card.variant, Some(version), &Move::ClientAnswered { note: answer }, now_ms()).await
    }

    async fn apply_move(
        &self,
        actor: &Actor,
        r: RequestRecord,
        variant: &Variant,
        expected: Option<i64>,
        mv: &Move,
        now: i64,
    ) -> Result<RequestRecord, AppError> {
        let (state, facts) = request::apply(variant, &r.state, mv).map_err(move_refused)?;
        let expected = expected.unwrap_or(r.version);
        let cal = self.body_calendar(r.body_id).await?;
        let next = clock(&cal, &r, variant, state, &facts, now);
        let label = if matches!(actor.who, crate::Who::Anonymous) { "client".to_string() } else { actor.label() };
        let mut mails = crate::notify::client_mails(&next, variant, &facts, now, &cal);
        // Invitations to rate what this move finished (feedback.rs says why links come first).
        mails.extend(self.feedback_mails(&next, variant, &facts, now).await?);
        let version = self.store.save_move(&next, expected, &facts, now, &label, &mails).await.map_err(stale)?;
        Ok(RequestRecord { version, ..next })
    }

    pub async fn requests(&self, actor: &Actor, filter: &RequestFilter, page: PageRequest) -> Result<Paged<RequestRecord>, AppError> {
        actor.require(Action::ReadInternal, Scope::SomeBody)?;
        let Some(body) = filter.body_id else {
            return Err(Invalid::one("body", "required", "give the body's id").into());
        };
        actor.require_in(Action::ReadInternal, body)?;
        let offset = (page.page as i64 - 1) * page.per_page as i64;
        let p = self.store.list_requests(filter, page.per_page as i64, offset).await?;
        Ok(Paged { items: p.items, total: p.total, page: page.page, per_page: page.per_page })
    }

    /// Active, waiting for the client, overdue, and due within three days.
    pub async fn request_counts(&self, actor: &Actor, body: Id) -> Result<(i64, i64, i64, i64), AppError> {
        actor.require_in(Action::ReadInternal, body)?;
        let now = now_ms();
        Ok(self.store.request_counts(body, now, now + 3 * 86_400_000).await?)
    }
}

/// The record after a move: stage times, due dates and the paused clock.
pub(crate) fn clock(
    cal: &BodyCalendar,
    r: &RequestRecord,
    variant: &Variant,
    state: request::RequestState,
    facts: &[Fact],
    now: i64,
) -> RequestRecord {
    let mut next = RequestRecord { state, updated_at: now, ..r.clone() };
    let was_paused = r.state.phase == Phase::WaitingForClient || r.state.phase == Phase::Suspended;
    let is_paused = next.state.phase == Phase::WaitingForClient || next.state.phase == Phase::Suspended;
    if was_paused && !is_paused {
        // The client's time does not count against the body: every due date moves on by it.
        let since = r.paused_since.unwrap_or(now);
        let paused = (now - since).max(0);
        next.paused_ms += paused;
        next.paused_since = None;
        next.due_at = next.due_at.map(|d| d + paused);
        next.stage_due_at = next.stage_due_at.map(|d| d + paused);
    }
    for f in facts {
        match f.kind {
            EventKind::Entered => {
                let stage = variant.stages.iter().find(|s| s.key == f.stage);
                next.stage_entered_at = now;
                next.stage_unit_id = stage_unit(variant, &f.stage);
                next.stage_due_at = due_ms(cal, now, stage.and_then(|s| s.deadline.as_ref()));
            }
            EventKind::Extended => {
                let days = f.days.unwrap_or(0);
                next.due_at = next.due_at.map(|d| cal.extend(d, days));
            }
            EventKind::Closed => {
                next.closed_at = Some(now);
                next.stage_due_at = None;
            }
            _ => {}
        }
    }
    if is_paused && next.paused_since.is_none() {
        next.paused_since = Some(now);
    }
    if next.state.phase == Phase::Closed {
        if let Some(since) = next.paused_since.take() {
            next.paused_ms += (now - since).max(0);
        }
    }
    next
}
