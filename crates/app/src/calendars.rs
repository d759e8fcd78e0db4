//! A body's business calendar: the federal production calendar with the body's regional
//! lines, its UTC offset and working hours. Deadlines of the body's requests are counted
//! in it; administrators and unit heads of the body edit it.
//!
//! The cache, and why it checks the version on every use: parsing the federal file and
//! the overlay takes far longer than one primary-key lookup, but a calendar decides legal
//! due dates, so no node may go on using an old one after another node saved a new one —
//! with a TTL, two nodes would give one request two different due dates until it ran
//! out. So each `body_calendar` call reads only the stored version (one indexed row,
//! `Store::body_calendar_version`) and parses again only when it moved. Callers that need
//! the calendar for many requests of one body ask once per body.

use crate::policy::{Action, Scope};
use crate::{Actor, App, AppError};
use okno_domain::calendar::{time_text, ProductionCalendar};
pub use okno_domain::calendar::{BodyCalendar, BodyCalendarInput, CalendarDay, CalendarYear};
use okno_domain::{Id, Invalid};
use okno_store::{BodyCalendarRecord, BodyCalendarWrite, Change};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A parsed calendar and the stored version it was parsed from.
type Cached = (i64, Arc<BodyCalendar>);

/// Parsed calendars per body.
#[derive(Clone, Debug, Default)]
pub(crate) struct CalendarCache(Arc<Mutex<HashMap<Id, Cached>>>);

impl CalendarCache {
    fn get(&self, body: Id, version: i64) -> Option<Arc<BodyCalendar>> {
        let map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.get(&body).filter(|(v, _)| *v == version).map(|(_, c)| c.clone())
    }

    fn put(&self, body: Id, version: i64, cal: Arc<BodyCalendar>) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).insert(body, (version, cal));
    }

    fn forget(&self, body: Id) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).remove(&body);
    }
}

/// A year of a body's calendar for display, with what an editor needs.
#[derive(Clone, Debug)]
pub struct CalendarView {
    /// The stored version (0: the body keeps the federal calendar); send it back to save.
    pub version: i64,
    pub calendar: Arc<BodyCalendar>,
    pub year: CalendarYear,
}

/// The years a view may ask for: those the calendar file format accepts.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

fn input_of(r: &BodyCalendarRecord) -> BodyCalendarInput {
    BodyCalendarInput {
        overlay: r.overlay_text.clone(),
        utc_offset_minutes: i32::try_from(r.utc_offset_minutes).ok(),
        work_start: r.work_start.clone(),
        work_end: r.work_end.clone(),
        version: Some(r.version),
    }
}

/// The stored calendar, parsed. It was valid when saved; should a newer federal file make
/// it invalid, the body keeps its offset and hours over the federal calendar rather than
/// having no calendar at all (and the log says so, so an administrator can fix it).
fn parse_record(r: &BodyCalendarRecord) -> BodyCalendar {
    let input = input_of(r);
    match input.validate(ProductionCalendar::russia()) {
        Ok(cal) => cal,
        Err(e) => {
            tracing::warn!(body = %r.body_id, problems = e.0.len(), "a stored body calendar no longer validates; using the federal calendar for it");
            BodyCalendarInput { overlay: String::new(), ..input }.validate(ProductionCalendar::russia()).unwrap_or_default()
        }
    }
}

/// What the audit trail keeps of a calendar.
#[derive(serde::Serialize)]
struct Snapshot<'a> {
    #[serde(flatten)]
    write: &'a BodyCalendarWrite,
    version: i64,
}

impl App {
    /// The body's calendar for deadlines: `due(start_ms, rule)`, `due_full` with pauses,
    /// `extend`, `days_left(now_ms, due_ms)`, `local(ms)`, `today(ms)`. A body that never
    /// set one (or an unknown id) gets the federal calendar in Moscow time, 9:00–18:00.
    pub async fn body_calendar(&self, body: Id) -> Result<Arc<BodyCalendar>, AppError> {
        Ok(self.body_calendar_versioned(body).await?.1)
    }

    /// `body_calendar` with the stored version it came from (0: none stored).
    pub async fn body_calendar_versioned(&self, body: Id) -> Result<(i64, Arc<BodyCalendar>), AppError> {
        let version = self.store.body_calendar_version(body).await?;
        if let Some(cal) = self.calendars.get(body, version) {
            return Ok((version, cal));
        }
        let (version, cal) = match self.store.get_body_calendar(body).await? {
            Some(r) => (r.version, Arc::new(parse_record(&r))),
            // Deleted between the two reads, or never set.
            None => (0, Arc::new(BodyCalendar::federal())),
        };
        self.calendars.put(body, version, cal.clone());
        Ok((version, cal))
    }

    /// Saves a body's calendar: administrators and unit heads of the body. The input's
    /// `version` must be the one read (0 for a body without one); someone else's save in
    /// between is a `stale_version` conflict. Returns the new version.
    pub async fn save_body_calendar(&self, actor: &Actor, body: Id, input: &BodyCalendarInput) -> Result<i64, AppError> {
        actor.require(Action::EditStructure, Scope::SomeBody)?;
        self.body(body).await?;
        actor.require_in(Action::EditStructure, body)?;
        let checked = input.validate(ProductionCalendar::russia());
        let expected = match (input.version, checked.as_ref().err()) {
            (Some(v), None) if v >= 0 => v,
            (version, errs) => {
                let mut all = errs.cloned().unwrap_or_default();
                if version.is_none_or(|v| v < 0) {
                    all.push("version", "required", "send the version you read (0 when the body has no calendar yet)");
                }
                return Err(all.into());
            }
        };
        let cal = checked?;
        let write = BodyCalendarWrite {
            overlay_text: cal.overlay.clone(),
            utc_offset_minutes: i64::from(cal.offset_minutes()),
            work_start: Some(time_text(cal.hours.start())),
            work_end: Some(time_text(cal.hours.end())),
        };
        let before = self.store.get_body_calendar(body).await?;
        let after = Snapshot { write: &write, version: expected + 1 };
        let change = match &before {
            Some(b) => Change::updated(b, &after),
            None => Change::created(&after),
        };
        let version = self.store.save_body_calendar(body, &write, expected, &actor.trail(), &change).await?;
        // This node's next read parses afresh; other nodes see the version move.
        self.calendars.forget(body);
        Ok(version)
    }

    /// One year of the body's calendar with every day's kind and note; the current year
    /// in the body's time when `year` is `None`. Public, like the body itself.
    pub async fn calendar_view(&self, body: Id, year: Option<i32>) -> Result<CalendarView, AppError> {
        self.body(body).await?;
        let (version, calendar) = self.body_calendar_versioned(body).await?;
        let year = year.unwrap_or_else(|| calendar.today(crate::requests::now_ms()).year());
        if !YEARS.contains(&year) {
            return Err(Invalid::one("year", "out_of_range", format!("the year must be from {} to {}", YEARS.start(), YEARS.end())).into());
        }
        let year = calendar.year(year);
        Ok(CalendarView { version, calendar, year })
    }
}
