//! Notifications by e-mail: what is said to whom, and the sender that delivers it.
//!
//! - **Clients** get one short plain-text mail for every change of their request they
//!   should know about (the facts marked `client_visible`: created, a stage entered,
//!   documents asked for, suspended, resumed, extended, a message from staff, closed).
//!   The mail is built by `client_mails` and queued in the outbox in the same transaction
//!   as the change (`Store::create_request`, `Store::save_move`).
//! - **Staff** get a digest from the deadline sweep (`App::sweep_deadlines`, every minute
//!   in `okno serve`): open requests whose deadline passed, or falls before the end of the
//!   next working day, that were not yet alerted for that stage, due date and kind. One
//!   mail per body and recipient lists them; recipients are the active accounts with the
//!   `executor` or `unit_head` role in the request's body (or in every body). Each alert
//!   is recorded with its mails, so it is sent once, on any number of nodes.
//! - **The sender** (`Sender::send_due`, looped by `Sender::run`) reads due outbox rows,
//!   claims each one, sends it over SMTP (lettre, rustls) and marks it sent; a failed try
//!   is retried after 30 s, doubling up to one hour, and given up after
//!   `MAX_ATTEMPTS` tries (the row stays, marked failed). Delivery is at least once: a
//!   node that dies between sending and marking sends again after the lease.
//!
//! Links: a mail is queued with the mark `{base_url}` where the site's address goes; the
//! sender puts the configured `base_url` there, so mails queued while sending is off
//! still get the right address.
//!
//! Never logged: addresses, subjects, bodies, SMTP replies (they may quote an address).

use crate::{App, AppError};
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use okno_domain::calendar::{ru_plural, BodyCalendar, DeadlineRule, DeadlineUnit};
use okno_domain::chain::Variant;
use okno_domain::request::{EventKind, Fact, Outcome, Phase};
use okno_domain::Id;
use okno_store::{DeadlineCandidate, NewMail, OutboxMail, RequestRecord, StoreError};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

/// Where the site's address goes in a queued mail; the sender fills it in.
pub const BASE_URL_MARK: &str = "{base_url}";
/// Tries before a mail is given up on.
pub const MAX_ATTEMPTS: i64 = 20;
/// The first retry waits this long; each next one twice as long, up to `BACKOFF_CAP_MS`.
pub const BACKOFF_FIRST_MS: i64 = 30_000;
pub const BACKOFF_CAP_MS: i64 = 3_600_000;
/// How long a claimed mail is left to its sender before another may try it.
pub const LEASE_MS: i64 = 10 * 60_000;
/// Mails read per round.
const BATCH: i64 = 50;
/// Changes dated further back than this are history being loaded (the demo): no mail.
const HISTORY_MS: i64 = 10 * 60_000;
/// At most this many requests are listed per section of a staff digest.
const DIGEST_LINES: usize = 50;

const MONTHS: [&str; 12] =
    ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"];

/// «12 марта 2026», in the body's time zone.
fn date_words(ms: i64, cal: &BodyCalendar) -> String {
    let t = cal.local(ms);
    format!("{} {} {}", t.day(), MONTHS[t.month() as usize - 1], t.year())
}

fn short(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max).collect::<String>().trim_end())
    }
}

fn outcome_words(o: Outcome) -> &'static str {
    match o {
        Outcome::Granted => "услуга предоставлена",
        Outcome::Refused => "в предоставлении отказано",
        Outcome::Answered => "вам дан ответ",
        Outcome::Withdrawn => "заявка отозвана",
        Outcome::Redirected => "заявка направлена по компетенции в другой орган",
        Outcome::LeftUnanswered => "заявка оставлена без ответа",
    }
}

/// The client's mail about a new request or a move: none when they gave no e-mail, when
/// nothing in `facts` is for their eyes, or when `at` is history being loaded.
pub(crate) fn client_mails(r: &RequestRecord, variant: &Variant, facts: &[Fact], at: i64, cal: &BodyCalendar) -> Vec<NewMail> {
    let Some(to) = r.client.email.as_deref().filter(|e| !e.trim().is_empty()) else {
        return Vec::new();
    };
    if crate::requests::now_ms() - at > HISTORY_MS {
        return Vec::new();
    }
    let visible: Vec<&Fact> = facts.iter().filter(|f| f.client_visible).collect();
    if visible.is_empty() {
        return Vec::new();
    }
    let has = |k: EventKind| visible.iter().any(|f| f.kind == k);
    let code = &r.tracking_code;
    let headline = if has(EventKind::Closed) {
        "рассмотрение завершено"
    } else if has(EventKind::Created) {
        "принята"
    } else if has(EventKind::Paused) {
        "нужен ваш ответ"
    } else if has(EventKind::Extended) {
        "срок продлён"
    } else if has(EventKind::Suspended) {
        "рассмотрение приостановлено"
    } else if has(EventKind::Entered) {
        "новый этап"
    } else if has(EventKind::ClientNotified) {
        "сообщение"
    } else {
        "рассмотрение продолжается"
    };
    let mut parts: Vec<String> = Vec::new();
    for f in &visible {
        let stage = variant.stages.iter().find(|s| s.key == f.stage);
        let note = f.note.trim();
        match f.kind {
            EventKind::Created => {
                parts.push(format!("Мы приняли вашу заявку «{}».", short(&r.subject, 120)));
            }
            EventKind::Entered => {
                let Some(s) = stage else { continue };
                let mut p = format!("Сейчас заявка на этапе «{}».", s.name);
                if !s.waits_for_client && !s.client_sees.trim().is_empty() {
                    p.push(' ');
                    p.push_str(s.client_sees.trim());
                }
                if r.state.stage == s.key && r.state.phase == Phase::Open {
                    if let Some(d) = r.stage_due_at {
                        p.push_str(&format!(" Этот этап мы закончим до {}.", date_words(d, cal)));
                    }
                }
                parts.push(p);
            }
            EventKind::Paused => parts.push(format!(
                "Нам нужно от вас: {note}\nОтветьте на странице заявки по ссылке ниже. Пока мы ждём ответа, срок рассмотрения не идёт."
            )),
            EventKind::Resumed => parts.push("Рассмотрение заявки продолжается.".into()),
            EventKind::Suspended => parts.push(format!("Рассмотрение заявки приостановлено. Причина: {note}")),
            EventKind::Extended => {
                let days = u64::from(f.days.unwrap_or(0));
                let mut p = format!("Срок рассмотрения продлён на {days} {}. Причина: {note}", ru_plural(days, "день", "дня", "дней"));
                if let Some(d) = r.due_at {
                    p.push_str(&format!("\nНовый срок: {}.", date_words(d, cal)));
                }
                parts.push(p);
            }
            // The notice that comes with an extension says the same as the extension.
            EventKind::ClientNotified if has(EventKind::Extended) => {}
            EventKind::ClientNotified => parts.push(format!("Сообщение от исполнителя:\n{note}")),
            EventKind::Closed => {
                let mut p = format!("Рассмотрение заявки завершено: {}.", f.outcome.map(outcome_words).unwrap_or("заявка закрыта"));
                if !note.is_empty() {
                    p.push_str(&format!("\nПояснение: {note}"));
                }
                parts.push(p);
            }
            _ => {}
        }
    }
    let body = format!(
        "Здравствуйте, {name}!\n\n{parts}\n\nКод заявки: {code}. Назовите его, если будете звонить.\n\
         Что с заявкой сейчас: {BASE_URL_MARK}/status/{code}\n\n\
         Письмо отправлено автоматически, отвечать на него не нужно.\n",
        name = r.client.name.trim(),
        parts = parts.join("\n\n"),
    );
    vec![NewMail {
        to: to.trim().to_string(),
        subject: format!("Заявка {code}: {headline}"),
        body,
        kind: if has(EventKind::Created) { "request_created" } else { "request_changed" }.into(),
        request_id: Some(r.id),
    }]
}

/// What one sweep did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Requests newly alerted.
    pub alerted: usize,
    /// Mails queued.
    pub mails: usize,
}

impl App {
    /// Finds open requests overdue at `now` or due before the end of the next working day,
    /// not yet alerted for this stage and due date, and queues one digest per body for
    /// each of its executors and unit heads. Safe to run on many nodes at once.
    pub async fn sweep_deadlines(&self, now: i64) -> Result<SweepReport, AppError> {
        // "The end of the next working day" is the body's: its holidays, hours and zone.
        let next_day = DeadlineRule::new(1, DeadlineUnit::WorkingDays, "");
        let mut cals: HashMap<Id, (Arc<BodyCalendar>, i64)> = HashMap::new();
        for b in self.list_bodies().await? {
            let cal = self.body_calendar(b.id).await?;
            let soon = cal.due(now, &next_day);
            cals.insert(b.id, (cal, soon));
        }
        let horizon = cals.values().map(|(_, soon)| *soon).max().unwrap_or(now);
        let candidates = self.store.deadline_candidates(now, horizon, 500).await?;
        let mut by_body: BTreeMap<Id, Vec<DeadlineCandidate>> = BTreeMap::new();
        for c in candidates {
            if c.overdue || cals.get(&c.body_id).is_none_or(|(_, soon)| c.due_at <= *soon) {
                by_body.entry(c.body_id).or_default().push(c);
            }
        }
        let mut chains: HashMap<(Id, i64), okno_domain::chain::Chain> = HashMap::new();
        let mut offerings: HashMap<Id, String> = HashMap::new();
        let mut report = SweepReport::default();
        for (body, list) in by_body {
            let cal = match cals.get(&body) {
                Some((cal, _)) => cal.clone(),
                None => self.body_calendar(body).await?,
            };
            let recipients = self.store.deadline_recipients(body).await?;
            let mut lines: (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
            for c in &list {
                let key = (c.offering_id, c.chain_version);
                if let std::collections::hash_map::Entry::Vacant(e) = chains.entry(key) {
                    e.insert(self.store.chain_version(c.offering_id, c.chain_version).await?);
                }
                let stage = chains[&key]
                    .variant(&c.variant_key)
                    .and_then(|v| v.stages.iter().find(|s| s.key == c.stage_key))
                    .map(|s| s.name.clone())
                    .unwrap_or_else(|| c.stage_key.clone());
                let offering = match offerings.get(&c.offering_id) {
                    Some(n) => n.clone(),
                    None => {
                        let n = match self.store.get_offering(c.offering_id).await {
                            Ok(o) => o.name,
                            Err(StoreError::NotFound) => String::new(),
                            Err(e) => return Err(e.into()),
                        };
                        offerings.insert(c.offering_id, n.clone());
                        n
                    }
                };
                let when = if c.overdue { "срок истёк" } else { "срок истекает" };
                let line = format!(
                    "- {code}, «{offering}», этап «{stage}»: {when} {date}\n  {BASE_URL_MARK}/requests/{id}",
                    code = c.tracking_code,
                    offering = short(&offering, 80),
                    date = date_words(c.due_at, &cal),
                    id = c.request_id,
                );
                if c.overdue {
                    lines.0.push(line)
                } else {
                    lines.1.push(line)
                }
            }
            let mut mails = Vec::new();
            if recipients.is_empty() {
                tracing::warn!(body = %body, requests = list.len(), "deadline alerts: no executor or unit head with an e-mail in this body");
            } else {
                let body_text = digest(&lines.0, &lines.1);
                let subject = format!("Сроки заявок: просрочено — {}, истекает — {}", lines.0.len(), lines.1.len());
                for to in &recipients {
                    mails.push(NewMail {
                        to: to.clone(),
                        subject: subject.clone(),
                        body: body_text.clone(),
                        kind: "deadlines".into(),
                        request_id: None,
                    });
                }
            }
            if self.store.record_deadline_alerts(&list, &mails, now).await? {
                report.alerted += list.len();
                report.mails += mails.len();
            }
        }
        if report.alerted > 0 {
            tracing::info!(requests = report.alerted, mails = report.mails, "deadline alerts queued");
        }
        Ok(report)
    }
}

fn digest(overdue: &[String], soon: &[String]) -> String {
    let mut out = String::from("Здравствуйте!\n\nЭти заявки ждут решения.\n");
    for (title, lines) in [("Срок истёк", overdue), ("Срок истекает до конца следующего рабочего дня", soon)]
    {
        if lines.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{title}:\n"));
        for l in lines.iter().take(DIGEST_LINES) {
            out.push_str(l);
            out.push('\n');
        }
        if lines.len() > DIGEST_LINES {
            out.push_str(&format!("- и ещё {}: смотрите очередь {BASE_URL_MARK}/requests\n", lines.len() - DIGEST_LINES));
        }
    }
    out.push_str("\nОб одном сроке мы пишем один раз. Письмо отправлено автоматически.\n");
    out
}

/// Why a sender cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum MailConfigError {
    #[error("smtp_url is not a valid SMTP URL (smtp://host:port, smtps://user:password@host, ?tls=required for STARTTLS)")]
    SmtpUrl,
    #[error("mail_from is not a valid address, e.g. «Okno <okno@example.org>»")]
    From,
    #[error("base_url must start with http:// or https://")]
    BaseUrl,
}

/// What one round of the sender did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SendReport {
    pub sent: usize,
    /// Failed tries that will be retried.
    pub retrying: usize,
    /// Mails given up on in this round.
    pub gave_up: usize,
    /// Due mails another sender claimed first, or left for the next round.
    pub skipped: usize,
}

/// Delivers the outbox over SMTP.
#[derive(Clone)]
pub struct Sender {
    app: App,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    base_url: String,
}

impl std::fmt::Debug for Sender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sender").field("base_url", &self.base_url).finish_non_exhaustive()
    }
}

/// The wait before the try after `attempts` failed ones: 30 s, 1 min, 2 min, … up to 1 hour.
pub fn backoff_ms(attempts: i64) -> i64 {
    let exp = (attempts - 1).clamp(0, 20) as u32;
    BACKOFF_FIRST_MS.saturating_mul(1i64 << exp).min(BACKOFF_CAP_MS)
}

impl Sender {
    /// `smtp_url`: `smtp://host:port` (plain, e.g. a local relay), `smtp://…?tls=required`
    /// (STARTTLS), `smtps://user:password@host` (TLS). `from`: the From address.
    /// `base_url`: the site's address as clients reach it, for links.
    pub fn new(app: App, smtp_url: &str, from: &str, base_url: &str) -> Result<Sender, MailConfigError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|_| MailConfigError::SmtpUrl)?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        let from: Mailbox = from.parse().map_err(|_| MailConfigError::From)?;
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(MailConfigError::BaseUrl);
        }
        Ok(Sender { app, transport, from, base_url: base_url.trim_end_matches('/').to_string() })
    }

    fn message(&self, m: &OutboxMail) -> Option<Message> {
        let to: Mailbox = m.to.parse().ok()?;
        let domain = self.from.email.domain().to_string();
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.replace(BASE_URL_MARK, &self.base_url))
            .message_id(Some(format!("<{}@{domain}>", m.id)))
            .header(ContentType::TEXT_PLAIN)
            .body(m.body.replace(BASE_URL_MARK, &self.base_url))
            .ok()
    }

    /// One round: every mail due at `now` (up to a batch) is claimed, sent and marked.
    /// When the server cannot be reached the round stops at the first such failure: the
    /// rest wait for the next round, untouched.
    pub async fn send_due(&self, now: i64) -> Result<SendReport, AppError> {
        let store = self.app.store();
        let mut report = SendReport::default();
        let due = store.due_mails(now, BATCH).await?;
        let mut unreachable = false;
        for m in due {
            if unreachable || !store.claim_mail(m.id, m.next_attempt_at, now + LEASE_MS).await? {
                report.skipped += 1;
                continue;
            }
            let Some(msg) = self.message(&m) else {
                // An address that cannot be parsed never will be: give up at once.
                store.mark_mail_failed(m.id, "invalid address or message", now, Some(now)).await?;
                tracing::warn!(mail = %m.id, kind = %m.kind, "mail given up: invalid address or message");
                report.gave_up += 1;
                continue;
            };
            match self.transport.send(msg).await {
                Ok(_) => {
                    store.mark_mail_sent(m.id, crate::requests::now_ms()).await?;
                    tracing::debug!(mail = %m.id, kind = %m.kind, "mail sent");
                    report.sent += 1;
                }
                Err(e) => {
                    let attempts = m.attempts + 1;
                    let give_up = attempts >= MAX_ATTEMPTS;
                    // The server's words may quote the address: stored for the operator, not logged.
                    store.mark_mail_failed(m.id, &e.to_string(), now + backoff_ms(attempts), give_up.then_some(now)).await?;
                    if give_up {
                        tracing::warn!(mail = %m.id, kind = %m.kind, attempts, "mail given up after repeated failures");
                        report.gave_up += 1;
                    } else {
                        tracing::info!(mail = %m.id, kind = %m.kind, attempts, "mail not sent; will retry");
                        report.retrying += 1;
                    }
                    if !e.is_permanent() {
                        unreachable = true;
                    }
                }
            }
        }
        Ok(report)
    }

    /// Sends forever: a round every few seconds (at once again while rounds are full).
    pub async fn run(self) {
        loop {
            let pause = match self.send_due(crate::requests::now_ms()).await {
                Ok(r) if r.sent as i64 == BATCH => Duration::ZERO,
                Ok(_) => Duration::from_secs(5),
                Err(e) => {
                    tracing::warn!(error = %e, "outbox: cannot read or update the queue");
                    Duration::from_secs(15)
                }
            };
            tokio::time::sleep(pause).await;
        }
    }
}

/// Sweeps deadlines forever, every `every`.
pub async fn run_deadline_sweep(app: App, every: Duration) {
    loop {
        if let Err(e) = app.sweep_deadlines(crate::requests::now_ms()).await {
            tracing::warn!(error = %e, "deadline sweep failed; will try again");
        }
        tokio::time::sleep(every).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use okno_domain::calendar::{BodyCalendarInput, ProductionCalendar};

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff_ms(1), 30_000);
        assert_eq!(backoff_ms(2), 60_000);
        assert_eq!(backoff_ms(3), 120_000);
        assert_eq!(backoff_ms(8), 3_600_000);
        assert_eq!(backoff_ms(19), 3_600_000);
    }

    #[test]
    fn dates_are_in_words_in_the_bodys_time_zone() {
        // 2026-03-11T21:30:00Z is 12 March 00:30 in Moscow, still 11 March in Kaliningrad.
        let moscow = BodyCalendar::federal();
        assert_eq!(date_words(1_773_264_600_000, &moscow), "12 марта 2026");
        let input = BodyCalendarInput { utc_offset_minutes: Some(120), ..BodyCalendarInput::default() };
        let kaliningrad = input.validate(ProductionCalendar::russia()).unwrap();
        assert_eq!(date_words(1_773_264_600_000, &kaliningrad), "11 марта 2026");
        assert_eq!(short("  абв  ", 5), "абв");
        assert_eq!(short("абвгдеж", 3), "абв…");
    }
}
