//! A request (заявка, обращение): one client's case for one offering, moving through the
//! stages of one variant of the offering's chain. The state machine lives here: given the
//! variant, the current state and a move, it says whether the move is allowed and which
//! facts (events) it produces. Storage appends the facts; nothing here knows about time.

use crate::chain::Variant;
use crate::Id;
use serde::{Deserialize, Serialize};

string_enum! {
    /// Where a request stands overall.
    pub enum Phase {
        Open = "open",
        WaitingForClient = "waiting_for_client",
        Suspended = "suspended",
        Closed = "closed",
    }
}

string_enum! {
    /// How a request ended.
    pub enum Outcome {
        Granted = "granted",
        Refused = "refused",
        Answered = "answered",
        Withdrawn = "withdrawn",
        Redirected = "redirected",
        LeftUnanswered = "left_unanswered",
    }
}

string_enum! {
    /// An append-only fact about a request (DESIGN.md's `Event`).
    pub enum EventKind {
        Created = "created",
        Entered = "entered",
        Completed = "completed",
        Returned = "returned",
        Paused = "paused",
        Resumed = "resumed",
        Suspended = "suspended",
        Reassigned = "reassigned",
        Commented = "commented",
        ClientNotified = "client_notified",
        Extended = "extended",
        Closed = "closed",
    }
}

string_enum! {
    /// How the request reached the body.
    pub enum Channel {
        WebForm = "web_form",
        WalkIn = "walk_in",
        Phone = "phone",
        Mail = "mail",
        Api = "api",
        Open311 = "open311",
    }
}

/// The state a request is in: the stage it is at and its phase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestState {
    pub stage: String,
    pub phase: Phase,
    pub outcome: Option<Outcome>,
    pub extensions: u32,
    pub assignee: Option<Id>,
}

/// What a person does to a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "move", rename_all = "snake_case")]
pub enum Move {
    /// The current stage is done: on to the next.
    Complete,
    /// Back to an earlier stage the chain allows.
    Return {
        to: String,
        reason: String,
    },
    /// Ask the client for documents or an answer: the clock pauses.
    AskClient {
        message: String,
    },
    /// The client answered: the clock runs again.
    ClientAnswered {
        note: String,
    },
    Suspend {
        reason: String,
    },
    Resume,
    Reassign {
        employee_id: Id,
    },
    Comment {
        text: String,
    },
    NotifyClient {
        message: String,
    },
    /// Extend the whole term (59-FZ: once, by up to 30 days, telling the client).
    Extend {
        days: u32,
        reason: String,
    },
    Close {
        outcome: Outcome,
        reason: String,
    },
}

impl Move {
    pub fn code(&self) -> &'static str {
        match self {
            Move::Complete => "complete",
            Move::Return { .. } => "return",
            Move::AskClient { .. } => "ask_client",
            Move::ClientAnswered { .. } => "client_answered",
            Move::Suspend { .. } => "suspend",
            Move::Resume => "resume",
            Move::Reassign { .. } => "reassign",
            Move::Comment { .. } => "comment",
            Move::NotifyClient { .. } => "notify_client",
            Move::Extend { .. } => "extend",
            Move::Close { .. } => "close",
        }
    }
}

/// One fact a move produces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    pub kind: EventKind,
    /// The stage the fact is about.
    pub stage: String,
    pub to_stage: Option<String>,
    pub outcome: Option<Outcome>,
    pub days: Option<u32>,
    pub assignee: Option<Id>,
    pub note: String,
    /// Shown to the client on the status page and worth telling them about.
    pub client_visible: bool,
}

impl Fact {
    fn new(kind: EventKind, stage: &str, note: &str, client_visible: bool) -> Fact {
        Fact {
            kind,
            stage: stage.into(),
            to_stage: None,
            outcome: None,
            days: None,
            assignee: None,
            note: note.trim().into(),
            client_visible,
        }
    }
}

/// Why a move is refused: a stable code and a message saying what to do instead.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct MoveError {
    pub code: &'static str,
    pub message: String,
}

fn refuse<T>(code: &'static str, message: impl Into<String>) -> Result<T, MoveError> {
    Err(MoveError { code, message: message.into() })
}

const NOTE_MAX: usize = 4000;

fn need_text(what: &str, s: &str) -> Result<(), MoveError> {
    if s.trim().is_empty() {
        return refuse("reason_required", format!("write {what}"));
    }
    if s.chars().count() > NOTE_MAX {
        return refuse("too_long", format!("{what} must be at most {NOTE_MAX} characters"));
    }
    Ok(())
}

/// The first state of a new request and its facts: created, entered the first stage.
pub fn start(variant: &Variant) -> (RequestState, Vec<Fact>) {
    let first = &variant.stages[0];
    let mut state = RequestState { stage: first.key.clone(), phase: Phase::Open, outcome: None, extensions: 0, assignee: None };
    let mut facts = vec![Fact::new(EventKind::Created, &first.key, "", true)];
    enter(variant, &mut state, 0, &mut facts);
    (state, facts)
}

fn enter(variant: &Variant, state: &mut RequestState, index: usize, facts: &mut Vec<Fact>) {
    let stage = &variant.stages[index];
    state.stage = stage.key.clone();
    state.phase = Phase::Open;
    facts.push(Fact::new(EventKind::Entered, &stage.key, "", true));
    if stage.waits_for_client {
        state.phase = Phase::WaitingForClient;
        facts.push(Fact::new(EventKind::Paused, &stage.key, &stage.client_sees, true));
    }
}

/// Applies a move: the new state and the facts to append, or why not.
pub fn apply(variant: &Variant, state: &RequestState, mv: &Move) -> Result<(RequestState, Vec<Fact>), MoveError> {
    let Some(index) = variant.stage_index(&state.stage) else {
        return refuse("unknown_stage", "the request is at a stage its chain no longer has");
    };
    let stage = &variant.stages[index];
    let mut next = state.clone();
    let mut facts = Vec::new();
    let here = stage.key.as_str();

    if state.phase == Phase::Closed && !matches!(mv, Move::Comment { .. }) {
        return refuse("closed", "the request is closed; only a comment can be added");
    }
    match mv {
        Move::Comment { text } => {
            need_text("the comment", text)?;
            facts.push(Fact::new(EventKind::Commented, here, text, false));
        }
        Move::NotifyClient { message } => {
            need_text("the message to the client", message)?;
            facts.push(Fact::new(EventKind::ClientNotified, here, message, true));
        }
        Move::Reassign { employee_id } => {
            next.assignee = Some(*employee_id);
            let mut f = Fact::new(EventKind::Reassigned, here, "", false);
            f.assignee = Some(*employee_id);
            facts.push(f);
        }
        Move::Close { outcome: Outcome::Withdrawn, reason } => {
            close(&mut next, &mut facts, here, Outcome::Withdrawn, reason);
        }
        _ if state.phase == Phase::WaitingForClient => match mv {
            Move::ClientAnswered { note } => {
                next.phase = Phase::Open;
                facts.push(Fact::new(EventKind::Resumed, here, note, true));
                // A stage that exists only to wait for the client ends with the answer.
                if stage.waits_for_client {
                    return apply(variant, &next, &Move::Complete).map(|(s, mut more)| {
                        facts.append(&mut more);
                        (s, facts)
                    });
                }
            }
            _ => return refuse("waiting_for_client", "the request waits for the client: record their answer first"),
        },
        _ if state.phase == Phase::Suspended => match mv {
            Move::Resume => {
                next.phase = Phase::Open;
                facts.push(Fact::new(EventKind::Resumed, here, "", true));
            }
            _ => return refuse("suspended", "the request is suspended: resume it first"),
        },
        Move::Complete => {
            if index + 1 == variant.stages.len() {
                return refuse("last_stage", "this is the last stage: close the request with its result");
            }
            facts.push(Fact::new(EventKind::Completed, here, "", false));
            enter(variant, &mut next, index + 1, &mut facts);
        }
        Move::Return { to, reason } => {
            if !stage.may_return_to.iter().any(|k| k == to) {
                let allowed = if stage.may_return_to.is_empty() { "none".to_string() } else { stage.may_return_to.join(", ") };
                return refuse("move_not_allowed", format!("from «{}» the chain allows returns to: {allowed}", stage.name));
            }
            need_text("why the request goes back", reason)?;
            let mut f = Fact::new(EventKind::Returned, here, reason, false);
            f.to_stage = Some(to.clone());
            facts.push(f);
            let target = variant.stage_index(to).expect("validated chain");
            enter(variant, &mut next, target, &mut facts);
        }
        Move::AskClient { message } => {
            need_text("what the client is asked for", message)?;
            next.phase = Phase::WaitingForClient;
            facts.push(Fact::new(EventKind::Paused, here, message, true));
        }
        Move::ClientAnswered { .. } => return refuse("not_waiting", "the request is not waiting for the client"),
        Move::Suspend { reason } => {
            if !stage.may_suspend {
                return refuse("move_not_allowed", format!("the chain does not allow suspending at «{}»", stage.name));
            }
            need_text("why the request is suspended", reason)?;
            next.phase = Phase::Suspended;
            facts.push(Fact::new(EventKind::Suspended, here, reason, true));
        }
        Move::Resume => return refuse("not_suspended", "the request is not suspended"),
        Move::Extend { days, reason } => {
            if state.extensions >= variant.max_extensions {
                return refuse("move_not_allowed", format!("the term can be extended {} time(s), and has been", variant.max_extensions));
            }
            if *days == 0 || *days > variant.extension_days {
                return refuse("out_of_range", format!("an extension is 1 to {} days", variant.extension_days));
            }
            need_text("why the term is extended", reason)?;
            next.extensions += 1;
            let mut f = Fact::new(EventKind::Extended, here, reason, true);
            f.days = Some(*days);
            facts.push(f);
            // 59-FZ art. 12 part 2: the citizen is told; the notice is part of the move.
            facts.push(Fact::new(EventKind::ClientNotified, here, reason, true));
        }
        Move::Close { outcome, reason } => {
            let last = index + 1 == variant.stages.len();
            match outcome {
                Outcome::Granted | Outcome::Answered if !last => {
                    return refuse("move_not_allowed", "the result is given at the last stage: complete the stages first")
                }
                Outcome::Refused | Outcome::LeftUnanswered if !stage.may_refuse => {
                    return refuse("move_not_allowed", format!("the chain does not allow refusing at «{}»", stage.name))
                }
                Outcome::Refused | Outcome::LeftUnanswered | Outcome::Redirected => need_text("the reason", reason)?,
                _ => {}
            }
            facts.push(Fact::new(EventKind::Completed, here, "", false));
            close(&mut next, &mut facts, here, *outcome, reason);
        }
    }
    Ok((next, facts))
}

fn close(next: &mut RequestState, facts: &mut Vec<Fact>, here: &str, outcome: Outcome, reason: &str) {
    next.phase = Phase::Closed;
    next.outcome = Some(outcome);
    let mut f = Fact::new(EventKind::Closed, here, reason, true);
    f.outcome = Some(outcome);
    facts.push(f);
}

/// A tracking code a person can read out on the phone: 8 characters from an alphabet
/// without look-alikes (no I, L, O, U), grouped 4-4, e.g. `K7M2-9QXD`. 40 random bits.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TrackingCode(String);

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

impl TrackingCode {
    /// From 40 random bits (the caller brings the randomness: this crate does no I/O).
    pub fn from_random(bits: u64) -> TrackingCode {
        let mut s = String::with_capacity(9);
        for i in 0..8 {
            if i == 4 {
                s.push('-');
            }
            let digit = (bits >> (35 - 5 * i)) & 31;
            s.push(ALPHABET[digit as usize] as char);
        }
        TrackingCode(s)
    }

    /// What a person typed or said: case, spaces and dashes do not matter, and the
    /// look-alikes O, I and L are read as 0, 1 and 1.
    pub fn parse(raw: &str) -> Option<TrackingCode> {
        let mut chars = Vec::with_capacity(8);
        for c in raw.chars() {
            let c = c.to_ascii_uppercase();
            let c = match c {
                ' ' | '-' | '\u{a0}' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            if !ALPHABET.contains(&(c as u8)) || !c.is_ascii() {
                return None;
            }
            chars.push(c);
        }
        if chars.len() != 8 {
            return None;
        }
        let s: String = chars[..4].iter().chain(std::iter::once(&'-')).chain(chars[4..].iter()).collect();
        Some(TrackingCode(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TrackingCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::{template, Template};

    fn appeal() -> Variant {
        template(Template::CitizenAppeal, Id::new()).variants.remove(0)
    }

    fn run(v: &Variant, moves: &[Move]) -> Result<(RequestState, Vec<Fact>), MoveError> {
        let (mut s, mut all) = start(v);
        for m in moves {
            let (n, mut f) = apply(v, &s, m)?;
            s = n;
            all.append(&mut f);
        }
        Ok((s, all))
    }

    #[test]
    fn an_appeal_walks_to_its_answer() {
        let v = appeal();
        let (s, facts) = run(&v, &[Move::Complete, Move::Complete, Move::Complete]).unwrap();
        assert_eq!(s.stage, "answer");
        let (s, _) = apply(&v, &s, &Move::Close { outcome: Outcome::Answered, reason: String::new() }).unwrap();
        assert_eq!((s.phase, s.outcome), (Phase::Closed, Some(Outcome::Answered)));
        let kinds: Vec<&str> = facts.iter().map(|f| f.kind.code()).collect();
        assert_eq!(&kinds[..4], ["created", "entered", "completed", "entered"]);
    }

    #[test]
    fn moves_the_chain_does_not_allow_are_refused_with_a_reason() {
        let v = appeal();
        let (s, _) = start(&v);
        let e = apply(&v, &s, &Move::Return { to: "answer".into(), reason: "x".into() }).unwrap_err();
        assert_eq!(e.code, "move_not_allowed");
        let e = apply(&v, &s, &Move::Close { outcome: Outcome::Answered, reason: String::new() }).unwrap_err();
        assert_eq!(e.code, "move_not_allowed", "no answer before the last stage");
        let e = apply(&v, &s, &Move::Suspend { reason: "x".into() }).unwrap_err();
        assert_eq!(e.code, "move_not_allowed");
        // 59-FZ art. 11: no name or address — left unanswered, with the reason recorded.
        let e = apply(&v, &s, &Move::Close { outcome: Outcome::LeftUnanswered, reason: " ".into() }).unwrap_err();
        assert_eq!(e.code, "reason_required");
        let (s, _) = apply(&v, &s, &Move::Close { outcome: Outcome::LeftUnanswered, reason: "нет почтового адреса".into() }).unwrap();
        assert_eq!(apply(&v, &s, &Move::Complete).unwrap_err().code, "closed");
        assert!(apply(&v, &s, &Move::Comment { text: "архив".into() }).is_ok(), "a closed request takes comments");
    }

    #[test]
    fn waiting_for_the_client_pauses_until_they_answer() {
        let v = appeal();
        let (s, _) = run(&v, &[Move::Complete, Move::Complete, Move::AskClient { message: "Пришлите копию договора".into() }]).unwrap();
        assert_eq!(s.phase, Phase::WaitingForClient);
        assert_eq!(apply(&v, &s, &Move::Complete).unwrap_err().code, "waiting_for_client");
        let (s, f) = apply(&v, &s, &Move::ClientAnswered { note: "прислал".into() }).unwrap();
        assert_eq!((s.phase, s.stage.as_str()), (Phase::Open, "consider"));
        assert_eq!(f[0].kind, EventKind::Resumed);
    }

    #[test]
    fn a_stage_that_waits_for_the_client_starts_paused_and_ends_with_the_answer() {
        let v = template(Template::LegalReview, Id::new()).variants.remove(0);
        let (s, _) = run(&v, &[Move::Complete, Move::Complete]).unwrap();
        assert_eq!((s.stage.as_str(), s.phase), ("rework", Phase::WaitingForClient));
        let (s, _) = apply(&v, &s, &Move::ClientAnswered { note: "исправил".into() }).unwrap();
        assert_eq!((s.stage.as_str(), s.phase), ("conclusion", Phase::Open));
    }

    #[test]
    fn an_appeal_is_extended_once_and_the_citizen_is_told() {
        let v = appeal();
        let (s, _) = start(&v);
        let ext = Move::Extend { days: 30, reason: "нужен запрос в другой орган".into() };
        let (s, f) = apply(&v, &s, &ext).unwrap();
        assert_eq!(s.extensions, 1);
        assert!(f.iter().any(|x| x.kind == EventKind::ClientNotified), "the extension tells the citizen");
        assert_eq!(apply(&v, &s, &ext).unwrap_err().code, "move_not_allowed", "only once");
        assert_eq!(apply(&v, &start(&v).0, &Move::Extend { days: 31, reason: "x".into() }).unwrap_err().code, "out_of_range");
    }

    #[test]
    fn returns_go_where_the_chain_says() {
        let v = template(Template::RegulatedService, Id::new()).variants.remove(0);
        let (s, _) = run(&v, &[Move::Complete, Move::Complete]).unwrap();
        assert_eq!(s.stage, "decision");
        let (s, f) = apply(&v, &s, &Move::Return { to: "intake".into(), reason: "нет подписи".into() }).unwrap();
        assert_eq!(s.stage, "intake");
        assert_eq!(f[0].to_stage.as_deref(), Some("intake"));
    }

    #[test]
    fn tracking_codes_read_back_whatever_the_case_and_look_alikes() {
        let c = TrackingCode::from_random(0xAB_CDEF_0123);
        assert_eq!(c.as_str().len(), 9);
        assert_eq!(&c.as_str()[4..5], "-");
        let typed = c.as_str().to_lowercase().replace('-', " ");
        assert_eq!(TrackingCode::parse(&typed), Some(c.clone()));
        assert_eq!(TrackingCode::parse("K7M2-9QXD").unwrap().as_str(), "K7M2-9QXD");
        assert_eq!(TrackingCode::parse("k7m2 9qxo").unwrap().as_str(), "K7M2-9QX0", "O is read as zero");
        assert_eq!(TrackingCode::parse("K7M2-9QX"), None);
        assert_eq!(TrackingCode::parse("K7M2-9QXU"), None, "U is not in the alphabet");
        assert_ne!(TrackingCode::from_random(1), TrackingCode::from_random(2));
    }
}
