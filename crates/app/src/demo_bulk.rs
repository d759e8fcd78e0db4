//! A large demo: up to millions of requests with a believable past over the last twelve
//! months, made in memory and written in large transactions (`Store::insert_requests_bulk`)
//! instead of one use case per move. The history is made by the same pure state machine
//! (`request::start`, `request::apply`) and the same clock (`requests::clock`: due dates
//! from the body's calendar, moved on by paused time) as real moves, so the records are
//! what the use cases would have written; the events are hash-chained the same way.
//!
//! The mix: most requests finish; some are sent back a stage (rework), some wait for the
//! client or are suspended, some stages are done after their deadline, every outcome
//! occurs, requests are assigned to the body's employees, channels are mixed, and about
//! 40 % of finished requests are rated. Only recent requests are left unfinished.

use crate::demo_history::{answers, load_history, Lcg, ANSWERS, ASKS, NAMES, SUBJECTS, SURNAMES};
use crate::feedback::{RatingRecord, DEMO_COMMENTS};
use crate::requests::{clock, now_ms};
use crate::{App, AppError};
use okno_domain::calendar::BodyCalendar;
use okno_domain::chain::{Chain, Variant};
use okno_domain::offering::{Kind, Status};
use okno_domain::request::{self, Channel, Move, Outcome, Phase, TrackingCode};
use okno_domain::Id;
use okno_store::{BulkEvent, BulkRequest, ClientContact, RequestRecord};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// Above this many requests `okno demo --requests N` takes the bulk path; up to it, the
/// per-request use cases (demo_history.rs).
pub const BULK_ABOVE: usize = 2000;

/// Requests per transaction.
const BATCH: usize = 2000;

const CHANNELS: [Channel; 6] = [Channel::WebForm, Channel::WalkIn, Channel::Phone, Channel::Mail, Channel::Api, Channel::Open311];

/// What a generated request can be made of: an offering with its newest chain.
struct Offer {
    id: Id,
    body: Id,
    version: i64,
    chain: Chain,
}

/// How much was written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BulkTotals {
    pub requests: usize,
    pub events: u64,
    pub ratings: usize,
}

/// Gives the demo's services their chains (as `load_history` does), then creates `n`
/// requests with their history in transactions of 2,000. `progress` is called after
/// every 100,000 requests and at the end.
pub async fn load_bulk(app: &App, n: usize, mut progress: impl FnMut(&BulkTotals)) -> Result<BulkTotals, AppError> {
    load_history(app, 0).await?;
    let mut offers = Vec::new();
    let mut cals: HashMap<Id, Arc<BodyCalendar>> = HashMap::new();
    let mut staff: HashMap<Id, Vec<Id>> = HashMap::new();
    for body in app.list_bodies().await? {
        for o in app.store().all_offerings(body.id).await? {
            if o.kind != Kind::Service || o.status != Status::Published {
                continue;
            }
            if let Some((version, chain)) = app.store().latest_chain(o.id).await? {
                offers.push(Offer { id: o.id, body: body.id, version, chain });
            }
        }
        cals.insert(body.id, app.body_calendar(body.id).await?);
        staff.insert(body.id, app.store().list_employees(body.id).await?.into_iter().map(|e| e.id).collect());
    }
    let mut totals = BulkTotals::default();
    if offers.is_empty() {
        return Ok(totals);
    }
    let mut g =
        Generator { rng: Lcg(0x0b0c_2026), now: now_ms(), codes: app.store().request_tracking_codes().await?, offers: offers.len() };
    let mut batch = Vec::with_capacity(BATCH);
    for i in 0..n {
        let o = &offers[i % offers.len()];
        batch.push(g.request(i, o, &cals[&o.body], &staff[&o.body]));
        if batch.len() == BATCH || i + 1 == n {
            totals.ratings += batch.iter().filter(|b| b.rating.is_some()).count();
            totals.events += app.store().insert_requests_bulk(&mut batch).await?;
            let before = totals.requests;
            totals.requests += batch.len();
            batch.clear();
            if totals.requests / 100_000 > before / 100_000 || totals.requests == n {
                progress(&totals);
            }
        }
    }
    tracing::info!(requests = totals.requests, events = totals.events, "demo requests generated");
    Ok(totals)
}

struct Generator {
    rng: Lcg,
    now: i64,
    /// Tracking codes in use: 40 random bits clash about once in a million draws.
    codes: HashSet<String>,
    offers: usize,
}

/// The next moment in working hours (9:00–18:00 local on a working day) at or after `ms`.
fn working(cal: &BodyCalendar, ms: i64) -> i64 {
    let mut t = cal.local(ms);
    for _ in 0..30 {
        let open = cal.day_kind(t.date()).is_working();
        if open && (9..18).contains(&t.hour()) {
            break;
        }
        let morning = t.replace_time(time::Time::from_hms(9, t.minute(), t.second()).expect("a valid time of day"));
        t = if open && t.hour() < 9 { morning } else { morning + time::Duration::days(1) };
    }
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

/// Applies a move at `at` as a use case would: the state machine, then the clock. A move
/// the chain does not allow is skipped (`false`).
fn step(
    cal: &BodyCalendar,
    variant: &Variant,
    r: &mut RequestRecord,
    events: &mut Vec<BulkEvent>,
    mv: &Move,
    at: i64,
    actor: &'static str,
) -> bool {
    let Ok((state, facts)) = request::apply(variant, &r.state, mv) else { return false };
    let version = r.version;
    *r = clock(cal, r, variant, state, &facts, at);
    r.version = version + 1;
    events.extend(facts.into_iter().map(|fact| BulkEvent { at, fact, actor }));
    true
}

impl Generator {
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.below(items.len() as u64) as usize]
    }

    fn tracking_code(&mut self) -> String {
        loop {
            let bits = (self.rng.next() << 31) ^ self.rng.next();
            let code = TrackingCode::from_random(bits).to_string();
            if self.codes.insert(code.clone()) {
                return code;
            }
        }
    }

    fn request(&mut self, i: usize, o: &Offer, cal: &BodyCalendar, people: &[Id]) -> BulkRequest {
        let now = self.now;
        let variant = self.pick(&o.chain.variants);
        // `Lcg` draws 31 bits, under 25 days in ms: a year back is a day, then a moment in it.
        let back = self.rng.below(365) as i64 * DAY + self.rng.below(DAY as u64) as i64;
        let mut t = working(cal, now - back).min(now - HOUR);
        // Only requests of the last six weeks may still be in progress.
        let recent = now - t < 42 * DAY;
        let channel = *self.pick(&CHANNELS);
        let name = format!("{} {}", self.pick(&SURNAMES), self.pick(&NAMES));
        let client = ClientContact {
            name,
            email: (channel != Channel::Phone).then(|| format!("client{i}@example.ru")),
            phone: matches!(channel, Channel::Phone | Channel::WalkIn)
                .then(|| format!("+7 900 {:03}-{:02}-{:02}", i % 1000, i / 1000 % 100, i / 100_000 % 100)),
            address: (channel == Channel::Mail).then(|| "г. Москва, ул. Садовая, д. 12, кв. 5".to_string()),
        };
        let subject = self.pick(&SUBJECTS).to_string();
        let fields_json = serde_json::to_string(&answers(&o.chain.form, &mut self.rng)).expect("a map of strings serialises");
        let (state, facts) = request::start(variant);
        let first = &variant.stages[0];
        let mut r = RequestRecord {
            id: Id::new(),
            tracking_code: self.tracking_code(),
            body_id: o.body,
            offering_id: o.id,
            chain_version: o.version,
            variant_key: variant.key.clone(),
            channel,
            stage_unit_id: first.unit_id,
            client,
            subject,
            fields_json,
            created_at: t,
            stage_entered_at: t,
            stage_due_at: first.deadline.as_ref().map(|d| cal.due(t, d)),
            due_at: variant.total_deadline.as_ref().map(|d| cal.due(t, d)),
            closed_at: None,
            paused_ms: 0,
            paused_since: (state.phase != Phase::Open).then_some(t),
            events: 0,
            last_hash: String::new(),
            version: 1,
            updated_at: t,
            state,
        };
        let creator = if matches!(channel, Channel::WebForm | Channel::Open311) { "anonymous" } else { "system" };
        let mut events: Vec<BulkEvent> = facts.into_iter().map(|fact| BulkEvent { at: t, fact, actor: creator }).collect();
        let assigned_at = t + HOUR + self.rng.below(2 * HOUR as u64) as i64;
        // Never in the future: an event later than now would hold the analytics watermark
        // ahead of real moves, and they would not be seen until the next full reload.
        if !people.is_empty() && self.rng.chance(75) && assigned_at < now {
            t = assigned_at;
            let employee_id = *self.pick(people);
            step(cal, variant, &mut r, &mut events, &Move::Reassign { employee_id }, t, "system");
        }
        // Of each offering's recent requests, some are left waiting for the client or
        // suspended: the queues show every state there is.
        let nth = (i / self.offers) % 16;
        for _ in 0..40 {
            let idx = variant.stage_index(&r.state.stage).unwrap_or(0);
            let stage = &variant.stages[idx];
            let last = idx + 1 == variant.stages.len();
            let late = r.state.phase == Phase::Open && self.rng.chance(10);
            t = match r.state.phase {
                Phase::WaitingForClient => t + (self.rng.below(10) as i64 + 1) * DAY + self.rng.below(8) as i64 * HOUR,
                Phase::Suspended => t + (self.rng.below(20) as i64 + 3) * DAY,
                // A breach: the stage is done after its deadline.
                _ if late => r.stage_due_at.unwrap_or(t).max(t) + (self.rng.below(5) as i64 + 1) * DAY,
                _ => t + (self.rng.below(44) as i64 + 2) * HOUR,
            };
            t = working(cal, t);
            if t >= now || r.state.phase == Phase::Closed {
                break;
            }
            // Some recent requests simply wait at a stage: the overdue queue is true.
            if recent && self.rng.chance(8) {
                break;
            }
            let open = r.state.phase == Phase::Open;
            let (mv, actor) = match r.state.phase {
                Phase::WaitingForClient => (Move::ClientAnswered { note: "Документы приложены".into() }, "client"),
                Phase::Suspended => (Move::Resume, "system"),
                _ if recent && nth == 5 => (Move::AskClient { message: self.pick(&ASKS).to_string() }, "system"),
                _ if recent && nth == 7 && stage.may_suspend => {
                    (Move::Suspend { reason: "Ждём ответа на межведомственный запрос".into() }, "system")
                }
                _ if self.rng.chance(10) => (Move::AskClient { message: self.pick(&ASKS).to_string() }, "system"),
                _ if !stage.may_return_to.is_empty() && self.rng.chance(12) => {
                    let to = self.pick(&stage.may_return_to).clone();
                    (Move::Return { to, reason: "Нужно уточнить сведения".into() }, "system")
                }
                _ if stage.may_suspend && self.rng.chance(5) => {
                    (Move::Suspend { reason: "Ждём ответа на межведомственный запрос".into() }, "system")
                }
                _ if !people.is_empty() && self.rng.chance(4) => (Move::Reassign { employee_id: *self.pick(people) }, "system"),
                _ if self.rng.chance(3) => (Move::Comment { text: "Запрошены сведения из реестра".into() }, "system"),
                _ if self.rng.chance(2) => (Move::NotifyClient { message: "Ваша заявка в работе.".into() }, "system"),
                _ if r.state.extensions < variant.max_extensions && variant.extension_days > 0 && self.rng.chance(3) => {
                    let days = 1 + self.rng.below(u64::from(variant.extension_days)) as u32;
                    (Move::Extend { days, reason: "Нужен ответ другого органа".into() }, "system")
                }
                _ if stage.may_refuse && self.rng.chance(4) => (
                    Move::Close {
                        outcome: Outcome::Refused, reason: "Нет оснований для предоставления".into()
                    },
                    "system",
                ),
                _ if stage.may_refuse && self.rng.chance(1) => (
                    Move::Close {
                        outcome: Outcome::LeftUnanswered, reason: "В обращении нет фамилии и адреса для ответа".into()
                    },
                    "system",
                ),
                _ if self.rng.chance(1) => (
                    Move::Close {
                        outcome: Outcome::Redirected, reason: "Направлено по подведомственности".into()
                    },
                    "system",
                ),
                _ if self.rng.chance(2) => {
                    (Move::Close { outcome: Outcome::Withdrawn, reason: "Заявитель отозвал заявку".into() }, "client")
                }
                _ if last => {
                    let outcome = if variant.key == "appeal" { Outcome::Answered } else { Outcome::Granted };
                    (Move::Close { outcome, reason: self.pick(&ANSWERS).to_string() }, "system")
                }
                _ => (Move::Complete, "system"),
            };
            let parks = recent && open && (nth == 5 || nth == 7) && matches!(mv, Move::AskClient { .. } | Move::Suspend { .. });
            step(cal, variant, &mut r, &mut events, &mv, t, actor);
            if parks {
                break;
            }
        }
        let rating = match r.closed_at {
            Some(closed) => {
                let mut fb = Lcg(0x5eed_f00d ^ i as u64);
                fb.chance(40).then(|| rating(&r, closed, now, &mut fb))
            }
            None => None,
        };
        BulkRequest { record: r, events, rating }
    }
}

/// A believable rating of a closed request, as `App::demo_rating` gives: most good, some
/// middling, a few bad; comfort of the premises is not asked of online requests.
fn rating(r: &RequestRecord, closed: i64, now: i64, fb: &mut Lcg) -> RatingRecord {
    let mood = match fb.below(100) {
        0..=9 => 0,
        10..=29 => 1,
        _ => 2,
    };
    let base: i64 = [1, 3, 5][mood];
    let mut scores = [None; 5];
    for (i, s) in scores.iter_mut().enumerate() {
        if i == 3 && matches!(r.channel, Channel::WebForm | Channel::Api | Channel::Open311) {
            continue;
        }
        *s = Some((base + fb.below(3) as i64 - 1).clamp(1, 5) as u8);
    }
    let comments = DEMO_COMMENTS[mood];
    let at = (closed + (fb.below(48) as i64 + 1) * HOUR).min(now);
    RatingRecord {
        request_id: r.id,
        stage_key: String::new(),
        scores,
        need_addressed: None,
        comment: comments[fb.below(comments.len() as u64) as usize].to_string(),
        created_at: at,
        updated_at: at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_land_in_working_hours() {
        let cal = BodyCalendar::federal();
        // Saturday 2026-11-28 23:30 Moscow time, in UTC ms.
        let sat = time::macros::datetime!(2026-11-28 20:30 UTC);
        let ms = (sat.unix_timestamp_nanos() / 1_000_000) as i64;
        let t = cal.local(working(&cal, ms));
        assert!(cal.day_kind(t.date()).is_working());
        assert!((9..18).contains(&t.hour()), "{t}");
        assert!(working(&cal, ms) > ms);
        // A moment already in working hours stays.
        let tue = (time::macros::datetime!(2026-11-24 09:00 UTC).unix_timestamp_nanos() / 1_000_000) as i64;
        assert_eq!(working(&cal, tue), tue);
    }
}
