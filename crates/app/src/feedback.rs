//! Client feedback on requests (issue 5): when a client is invited to rate, the rating
//! itself (one per request per stage, editable for `EDIT_WINDOW_MS`), the one-time links,
//! and the follow-ups a negative rating opens for the service owner.
//!
//! **What can be rated.** The whole request once it is closed (stage key `""`), and each
//! stage during whose visit the client was asked for something (a `paused` event: the
//! stage waits for the client, or staff asked them) once that stage is `completed`.
//! `ratable_stages` decides it from the request's events alone, so the status page, the
//! link and the API agree without any stored "invitation" state.
//!
//! **Invitations by e-mail.** `invitations` is the pure decision for one move: the stages
//! that became ratable through its facts. For each, `App::feedback_mails` makes a random
//! token, stores its SHA-256 in `feedback_links` and returns a mail with the link
//! `{base_url}/feedback/{token}`, which `apply_move` queues with the move's other mails in
//! the move's own transaction (`Store::save_move`). The link row is written just before,
//! in its own small transaction, so the group-commit move path stays untouched. That is
//! safe in both failure orders: if the move then fails, the row is orphaned and nobody
//! ever holds its token (the mail was never queued); and a link is honoured only while
//! its stage is ratable by the events, so a row can never grant more than the status page
//! already offers.

use crate::policy::{Action, Scope};
use crate::requests::{now_ms, EventRecord, RequestRecord};
use crate::{Actor, App, AppError};
use okno_domain::chain::Variant;
use okno_domain::rating::{Rating, RatingInput, EDIT_WINDOW_MS};
use okno_domain::request::{EventKind, Fact, TrackingCode};
use okno_domain::{text, Id, Invalid};
pub use okno_store::ratings::{FeedbackLinkRecord, FollowupRecord, RatingRecord};
use okno_store::{NewMail, StoreError};
use sha2::{Digest, Sha256};

/// A mailed link can be used for this long.
pub const LINK_TTL_MS: i64 = 30 * 86_400_000;
/// Moves dated further back than this are history being loaded (the demo): no mail.
const HISTORY_MS: i64 = 10 * 60_000;
/// A note closing a follow-up is at most this long.
const NOTE_MAX: usize = 2000;

/// The stages that can be rated, from a request's events in order: `""` (the whole
/// request) first when it is closed, then each stage that waited for the client and was
/// completed, in the order they were completed.
pub fn ratable_stages<'a>(events: impl IntoIterator<Item = (EventKind, &'a str)>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut asked = false;
    let mut closed = false;
    for (kind, stage) in events {
        match kind {
            EventKind::Entered => asked = false,
            EventKind::Paused => asked = true,
            EventKind::Completed if asked => {
                if !out.iter().any(|k| k == stage) {
                    out.push(stage.to_string());
                }
                asked = false;
            }
            EventKind::Closed => closed = true,
            _ => {}
        }
    }
    if closed {
        out.insert(0, String::new());
    }
    out
}

fn of_events(events: &[EventRecord]) -> Vec<String> {
    ratable_stages(events.iter().map(|e| (e.kind, e.stage.as_str())))
}

/// The stages one move makes ratable: those ratable after its facts but not before.
pub fn invitations(before: &[EventRecord], facts: &[Fact]) -> Vec<String> {
    let was = of_events(before);
    let all = before.iter().map(|e| (e.kind, e.stage.as_str())).chain(facts.iter().map(|f| (f.kind, f.stage.as_str())));
    ratable_stages(all).into_iter().filter(|k| !was.contains(k)).collect()
}

fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn new_token() -> String {
    let mut b = [0u8; 24];
    getrandom::fill(&mut b).expect("the OS random source works");
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A stage's name for the client; "the request as a whole" for `""`.
pub fn stage_name(variant: &Variant, key: &str) -> String {
    if key.is_empty() {
        return "Заявка в целом".into();
    }
    variant.stages.iter().find(|s| s.key == key).map(|s| s.name.clone()).unwrap_or_else(|| key.to_string())
}

/// What the client may rate on a request and what they rated already.
#[derive(Clone, Debug)]
pub struct ClientFeedback {
    pub request: RequestRecord,
    pub variant: Variant,
    /// Stage keys that can be rated (`""`: the whole request).
    pub ratable: Vec<String>,
    pub ratings: Vec<RatingRecord>,
}

impl ClientFeedback {
    pub fn rating(&self, stage: &str) -> Option<&RatingRecord> {
        self.ratings.iter().find(|r| r.stage_key == stage)
    }

    /// Whether a rating given at `created_at` can still be changed.
    pub fn editable(created_at: i64) -> bool {
        now_ms() - created_at <= EDIT_WINDOW_MS
    }
}

/// How a rating is posted: a new one, or a change to the one given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateMode {
    New,
    Edit,
}

/// A one-time link, found and still usable.
#[derive(Clone, Debug)]
pub struct LinkView {
    pub tracking_code: String,
    pub stage_key: String,
    pub stage_name: String,
}

fn conflict(code: &'static str, message: impl Into<String>) -> AppError {
    AppError::Conflict { code, message: message.into() }
}

impl App {
    /// The mails inviting the client to rate what `facts` made ratable, each with a fresh
    /// one-time link whose hash is stored now (see the module doc for why before the move).
    pub(crate) async fn feedback_mails(
        &self,
        r: &RequestRecord,
        variant: &Variant,
        facts: &[Fact],
        at: i64,
    ) -> Result<Vec<NewMail>, AppError> {
        let Some(to) = r.client.email.as_deref().filter(|e| !e.trim().is_empty()) else { return Ok(Vec::new()) };
        if now_ms() - at > HISTORY_MS || !facts.iter().any(|f| matches!(f.kind, EventKind::Completed | EventKind::Closed)) {
            return Ok(Vec::new());
        }
        let before = self.store.request_events(r.id).await?;
        let invited = invitations(&before, facts);
        if invited.is_empty() {
            return Ok(Vec::new());
        }
        let mut links = Vec::new();
        let mut lines = Vec::new();
        for key in &invited {
            let token = new_token();
            links.push(FeedbackLinkRecord {
                token_hash: sha256_hex(&token),
                request_id: r.id,
                stage_key: key.clone(),
                created_at: at,
                expires_at: at + LINK_TTL_MS,
                used_at: None,
            });
            let what = if key.is_empty() {
                "работу по заявке в целом".to_string()
            } else {
                format!("этап «{}»", stage_name(variant, key))
            };
            lines.push(format!("Оценить {what}: {}/feedback/{token}", crate::notify::BASE_URL_MARK));
        }
        self.store.add_feedback_links(&links).await?;
        let body = format!(
            "Здравствуйте!\n\nПожалуйста, оцените, как мы работали с вашей заявкой {code}: время, ожидание, вежливость и компетентность, \
             комфортность условий и доступность информации — по шкале от 1 («очень плохо») до 5 («отлично»). Это займёт минуту и \
             поможет нам работать лучше.\n\n{links}\n\nКаждая ссылка действует один раз в течение 30 дней. Оценить можно и на странице \
             заявки: {base}/status/{code}\n",
            code = r.tracking_code,
            links = lines.join("\n"),
            base = crate::notify::BASE_URL_MARK,
        );
        Ok(vec![NewMail {
            to: to.to_string(),
            subject: format!("Оцените нашу работу по заявке {}", r.tracking_code),
            body,
            kind: "feedback_invitation".into(),
            request_id: Some(r.id),
        }])
    }

    async fn feedback_of(&self, request: RequestRecord) -> Result<ClientFeedback, AppError> {
        let chain = self.store.chain_version(request.offering_id, request.chain_version).await?;
        let variant = chain.variant(&request.variant_key).cloned().ok_or(AppError::Internal(StoreError::Corrupt("variant_key")))?;
        let events = self.store.request_events(request.id).await?;
        let ratings = self.store.request_ratings(request.id).await?;
        Ok(ClientFeedback { ratable: of_events(&events), request, variant, ratings })
    }

    /// What the client may rate, by tracking code (no login).
    pub async fn client_feedback(&self, code: &str) -> Result<ClientFeedback, AppError> {
        let code = TrackingCode::parse(code).ok_or_else(|| Invalid::one("code", "invalid_code", "a tracking code looks like K7M2-9QXD"))?;
        let r = self.store.request_by_code(code.as_str()).await.map_err(AppError::not_found("request"))?;
        self.feedback_of(r).await
    }

    /// The client rates a stage (or the whole request) by tracking code: a new rating, or
    /// a change to theirs within the edit window.
    pub async fn rate_by_code(&self, code: &str, input: &RatingInput, mode: RateMode) -> Result<RatingRecord, AppError> {
        let fb = self.client_feedback(code).await?;
        let rating = input.validate()?;
        self.rate(&fb, rating, mode, None).await
    }

    /// A one-time link, if it can still be used.
    pub async fn feedback_link(&self, token: &str) -> Result<(LinkView, ClientFeedback), AppError> {
        let (link, fb) = self.usable_link(token).await?;
        let view = LinkView {
            tracking_code: fb.request.tracking_code.clone(),
            stage_name: stage_name(&fb.variant, &link.stage_key),
            stage_key: link.stage_key,
        };
        Ok((view, fb))
    }

    async fn usable_link(&self, token: &str) -> Result<(FeedbackLinkRecord, ClientFeedback), AppError> {
        let token = token.trim();
        if token.is_empty() || token.len() > 200 {
            return Err(AppError::NotFound("feedback link"));
        }
        let link = self.store.feedback_link(&sha256_hex(token)).await?.ok_or(AppError::NotFound("feedback link"))?;
        if link.used_at.is_some() {
            return Err(conflict("link_used", "this link has been used: a rating was given through it"));
        }
        if now_ms() > link.expires_at {
            return Err(conflict("link_expired", "this link has expired"));
        }
        let r = self.store.get_request(link.request_id).await.map_err(AppError::not_found("feedback link"))?;
        let fb = self.feedback_of(r).await?;
        if fb.rating(&link.stage_key).is_some() {
            return Err(conflict("link_used", "this stage has been rated already"));
        }
        Ok((link, fb))
    }

    /// The client rates through a one-time link: the stage is the link's; the link is used up.
    pub async fn rate_by_link(&self, token: &str, input: &RatingInput) -> Result<(LinkView, RatingRecord), AppError> {
        let (link, fb) = self.usable_link(token).await?;
        let rating = Rating { stage: link.stage_key.clone(), ..input.validate()? };
        let saved = self.rate(&fb, rating, RateMode::New, Some(&link.token_hash)).await?;
        let view = LinkView {
            tracking_code: fb.request.tracking_code.clone(),
            stage_name: stage_name(&fb.variant, &link.stage_key),
            stage_key: link.stage_key,
        };
        Ok((view, saved))
    }

    async fn rate(&self, fb: &ClientFeedback, rating: Rating, mode: RateMode, link: Option<&str>) -> Result<RatingRecord, AppError> {
        if !fb.ratable.contains(&rating.stage) {
            return Err(if fb.ratable.is_empty() {
                conflict("not_ratable", "there is nothing to rate yet: you can rate the request when it is closed")
            } else {
                Invalid::one("stage", "not_ratable", "this stage cannot be rated").into()
            });
        }
        let now = now_ms();
        let followup = rating.is_negative().then_some(fb.request.body_id);
        let existing = fb.rating(&rating.stage);
        let mut rec = RatingRecord {
            request_id: fb.request.id,
            stage_key: rating.stage,
            scores: rating.scores,
            need_addressed: rating.need_addressed,
            comment: rating.comment,
            created_at: now,
            updated_at: now,
        };
        let exists = || conflict("rating_exists", "this is rated already; change the rating you gave instead of adding another");
        let locked = || {
            conflict(
                "rating_locked",
                format!(
                    "a rating can be changed for {} days after it was given; this one can no longer be changed",
                    EDIT_WINDOW_MS / 86_400_000
                ),
            )
        };
        match mode {
            RateMode::New => {
                if existing.is_some() {
                    return Err(exists());
                }
                self.store.add_rating(&rec, link, fb.request.body_id, followup, &client_trail()).await.map_err(|e| match e {
                    StoreError::Duplicate(_) => exists(),
                    StoreError::Stale => conflict("link_used", "this link has been used: a rating was given through it"),
                    other => other.into(),
                })?;
            }
            RateMode::Edit => {
                let Some(old) = existing else {
                    return Err(conflict("no_rating", "there is no rating to change yet"));
                };
                if now - old.created_at > EDIT_WINDOW_MS {
                    return Err(locked());
                }
                rec.created_at = old.created_at;
                self.store.update_rating(&rec, now - EDIT_WINDOW_MS, fb.request.body_id, followup, &client_trail()).await.map_err(|e| {
                    match e {
                        StoreError::Stale => locked(),
                        StoreError::NotFound => conflict("no_rating", "there is no rating to change yet"),
                        other => other.into(),
                    }
                })?;
            }
        }
        tracing::info!(request = %rec.request_id, negative = followup.is_some(), "rating saved");
        Ok(rec)
    }

    /// A request's ratings, for staff of its body.
    pub async fn request_ratings(&self, actor: &Actor, id: Id) -> Result<(Vec<RatingRecord>, Vec<FollowupRecord>), AppError> {
        actor.require(Action::ReadInternal, Scope::SomeBody)?;
        let r = self.store.get_request(id).await.map_err(AppError::not_found("request"))?;
        actor.require_in(Action::ReadInternal, r.body_id)?;
        Ok((self.store.request_ratings(id).await?, self.store.request_followups(id).await?))
    }

    /// Follow-ups of a body (open ones with `open_only`), newest first, with each request.
    pub async fn followups(&self, actor: &Actor, body: Id, open_only: bool) -> Result<Vec<(FollowupRecord, RequestRecord)>, AppError> {
        actor.require(Action::ReadInternal, Scope::SomeBody)?;
        actor.require_in(Action::ReadInternal, body)?;
        let mut out = Vec::new();
        for f in self.store.followups(body, open_only, 500).await? {
            let r = self.store.get_request(f.request_id).await?;
            out.push((f, r));
        }
        Ok(out)
    }

    pub async fn open_followup_count(&self, actor: &Actor, body: Id) -> Result<i64, AppError> {
        actor.require_in(Action::ReadInternal, body)?;
        Ok(self.store.open_followup_count(body).await?)
    }

    /// The service owner (or anyone who works the body's requests) closes a request's
    /// open follow-ups with a note; a `commented` event records it on the request.
    pub async fn close_followup(&self, actor: &Actor, request: Id, note: &str) -> Result<(), AppError> {
        // The service owner answers for the service: executors see the follow-up, the
        // owner (or an administrator) decides it is dealt with.
        actor.require(Action::EditOfferings, Scope::SomeBody)?;
        let r = self.store.get_request(request).await.map_err(AppError::not_found("request"))?;
        actor.require_in(Action::EditOfferings, r.body_id)?;
        let note = text::long_text("note", note, NOTE_MAX)?;
        if note.is_empty() {
            return Err(Invalid::one("note", "required", "say what was done about the feedback").into());
        }
        let event_note = format!("Отзыв клиента разобран: {note}");
        match self.store.close_followups(request, &note, &event_note, &actor.label()).await {
            Ok(true) => Ok(()),
            Ok(false) => Err(conflict("no_open_followup", "this request has no open follow-up")),
            Err(e) => Err(AppError::not_found("request")(e)),
        }
    }
}

/// Who rated, in the audit trail: the client, never named (nor their address).
fn client_trail() -> okno_store::Trail {
    okno_store::Trail { actor: "client".into(), request_id: None, ip: None }
}

/// Comments the demo's clients leave, by how they felt (bad, middling, good).
pub(crate) const DEMO_COMMENTS: [&[&str]; 3] = [
    &["Ответа ждал дольше срока, никто не перезвонил.", "Пришлось трижды приносить одни и те же документы."],
    &["В целом нормально, но долго.", ""],
    &["Всё понятно объяснили, спасибо.", "Быстро и вежливо.", ""],
];

impl App {
    /// A believable rating for a closed demo request: most good, some middling, a few
    /// bad (which open follow-ups). `below(n)` is the demo's generator, 0..n.
    pub(crate) async fn demo_rating(&self, r: &RequestRecord, mut below: impl FnMut(u64) -> u64) -> Result<(), AppError> {
        let Some(closed) = r.closed_at else { return Ok(()) };
        let mood = match below(100) {
            0..=9 => 0,
            10..=29 => 1,
            _ => 2,
        };
        let base: i64 = [1, 3, 5][mood];
        let mut scores = [None; 5];
        for (i, s) in scores.iter_mut().enumerate() {
            // Comfort of the premises means nothing when the request came online.
            if i == 3 && matches!(r.channel, okno_domain::request::Channel::WebForm | okno_domain::request::Channel::Api) {
                continue;
            }
            *s = Some((base + below(3) as i64 - 1).clamp(1, 5) as u8);
        }
        let comments = DEMO_COMMENTS[mood];
        let at = (closed + (below(48) as i64 + 1) * 3_600_000).min(now_ms());
        let rec = RatingRecord {
            request_id: r.id,
            stage_key: String::new(),
            scores,
            need_addressed: None,
            comment: comments[below(comments.len() as u64) as usize].to_string(),
            created_at: at,
            updated_at: at,
        };
        let negative = scores.iter().flatten().any(|s| *s <= okno_domain::rating::FOLLOWUP_AT_OR_BELOW);
        self.store.add_rating(&rec, None, r.body_id, negative.then_some(r.body_id), &Actor::system().trail()).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use EventKind::*;

    #[test]
    fn only_closed_requests_and_finished_client_stages_are_ratable() {
        let ev = |v: &[(EventKind, &'static str)]| ratable_stages(v.iter().copied());
        assert!(ev(&[(Created, "a"), (Entered, "a"), (Completed, "a"), (Entered, "b")]).is_empty());
        assert_eq!(ev(&[(Entered, "a"), (Paused, "a"), (Resumed, "a"), (Completed, "a"), (Entered, "b")]), vec!["a"]);
        assert_eq!(ev(&[(Entered, "a"), (Paused, "a"), (Resumed, "a"), (Entered, "b")]), Vec::<String>::new(), "a return is no completion");
        assert_eq!(ev(&[(Entered, "a"), (Completed, "a"), (Entered, "b"), (Completed, "b"), (Closed, "b")]), vec![""]);
        assert_eq!(ev(&[(Entered, "a"), (Paused, "a"), (Completed, "a"), (Closed, "a")]), vec!["", "a"]);
    }
}
