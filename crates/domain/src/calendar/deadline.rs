//! Deadlines: when a term set by a rule ends, and how far the request is from it.
//!
//! The conventions, and why:
//! - A term in days starts the day after the event (Civil Code art. 191): a citizen's
//!   appeal registered on March 2 with 30 days to answer is due on April 1, not March 31.
//!   59-FZ and 210-FZ set no counting rule of their own, so the Civil Code's applies.
//! - A term in calendar days that ends on a non-working day ends on the next working day
//!   (Civil Code art. 193); that is the only place the calendar matters for it.
//! - A term in working days counts only working days: weekends, holidays and transferred
//!   days off are skipped, shortened days count as whole days.
//! - A day term ends at the end of its last day, 23:59:59 in the body's local time (art.
//!   194: an act may be done until midnight of the last day).
//! - A term in hours counts working hours from the very moment of the event, inside a
//!   working-hours window (9:00–18:00 unless the body sets another); a shortened day ends
//!   one hour earlier. It ends at the exact moment the hours run out.
//! - Times are taken in the offset the start moment carries: the caller passes it in the
//!   body's local offset (`OffsetDateTime::to_offset`). Russian offsets have no daylight
//!   saving since 2014, so one offset per body is exact.
//!
//! The paused clock: while a request waits on the client (missing documents), the term
//! does not run. For day terms we count every day on which the clock stood at least a
//! moment — for working-day terms only working days — after the start day, and extend the
//! term by that many days. A pause of ten minutes thus gives back a whole day: an executor
//! who waited for the client's answer until noon has rarely had that day to work, and a
//! rule that makes client delays breach the body's term would punish the wrong party.
//! For hour terms the paused working time is given back exactly.

use super::production::{succ, ProductionCalendar};
use crate::text;
use crate::validation::Invalid;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use time::macros::time;
use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// The units a deadline is counted in; the same vocabulary as an offering's term.
pub use crate::offering::TermUnit as DeadlineUnit;

/// Terms longer than ten years are typos; the cap also bounds the day-by-day counting.
pub const AMOUNT_MAX: u32 = 3660;
pub const CITATION_MAX: usize = 300;

/// A legal term and where it comes from: «ч. 1 ст. 12 59-ФЗ: 30 дней».
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeadlineRule {
    pub amount: u32,
    pub unit: DeadlineUnit,
    /// The provision that sets the term, shown beside every due date it produces.
    #[serde(default)]
    pub citation: String,
}

impl DeadlineRule {
    pub fn new(amount: u32, unit: DeadlineUnit, citation: impl Into<String>) -> Self {
        DeadlineRule { amount, unit, citation: citation.into() }
    }

    /// The rule with its citation cleaned, or every problem with it.
    pub fn validate(&self) -> Result<DeadlineRule, Invalid> {
        let mut errs = Invalid::default();
        if !(1..=AMOUNT_MAX).contains(&self.amount) {
            errs.push("amount", "out_of_range", format!("must be from 1 to {AMOUNT_MAX}"));
        }
        let citation = if self.citation.trim().is_empty() {
            Some(String::new())
        } else {
            errs.take(text::name("citation", &self.citation, CITATION_MAX))
        };
        errs.into_result()?;
        Ok(DeadlineRule { amount: self.amount, unit: self.unit, citation: citation.unwrap_or_default() })
    }

    /// «30 дней», «10 рабочих дней», «24 часа».
    pub fn amount_text(&self) -> String {
        let n = u64::from(self.amount);
        let word = match self.unit {
            DeadlineUnit::CalendarDays => ru_plural(n, "день", "дня", "дней"),
            DeadlineUnit::WorkingDays => ru_plural(n, "рабочий день", "рабочих дня", "рабочих дней"),
            DeadlineUnit::Hours => ru_plural(n, "час", "часа", "часов"),
        };
        format!("{n} {word}")
    }

    /// The rule as a due date shows it: «ч. 1 ст. 12 59-ФЗ: 30 дней», or «10 рабочих дней»
    /// when the rule cites nothing.
    pub fn describe(&self) -> String {
        let citation = self.citation.trim();
        if citation.is_empty() {
            self.amount_text()
        } else {
            format!("{citation}: {}", self.amount_text())
        }
    }
}

/// An offering's regulatory term, before anyone has cited its source.
impl From<crate::offering::Term> for DeadlineRule {
    fn from(t: crate::offering::Term) -> Self {
        DeadlineRule::new(t.value, t.unit, "")
    }
}

/// Picks the Russian form for a count: 1 день, 2 дня, 5 дней, 11 дней, 21 день.
pub fn ru_plural<'a>(n: u64, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    match (n % 10, n % 100) {
        (_, 11..=14) => many,
        (1, _) => one,
        (2..=4, _) => few,
        _ => many,
    }
}

/// The daily window in which hour terms run. Kept as a parameter: bodies differ, and a
/// multifunctional centre open 8:00–20:00 counts its hours differently from a ministry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkingHours {
    start: Time,
    end: Time,
}

impl Default for WorkingHours {
    fn default() -> Self {
        WorkingHours { start: time!(9:00), end: time!(18:00) }
    }
}

/// Labour Code art. 95: the working day before a holiday is one hour shorter.
const PRE_HOLIDAY_CUT: Duration = Duration::hours(1);

impl WorkingHours {
    /// The window must be longer than the pre-holiday hour, or a shortened day would have
    /// no working time at all and an hour term could never end.
    pub fn new(start: Time, end: Time) -> Result<WorkingHours, Invalid> {
        if end - start <= PRE_HOLIDAY_CUT {
            return Err(Invalid::one("working_hours", "too_short", "the working day must end more than one hour after it starts"));
        }
        Ok(WorkingHours { start, end })
    }

    pub fn start(&self) -> Time {
        self.start
    }

    pub fn end(&self) -> Time {
        self.end
    }

    /// The working time of a day, or `None` on a day off.
    pub fn window(&self, cal: &ProductionCalendar, date: Date) -> Option<(PrimitiveDateTime, PrimitiveDateTime)> {
        let end = match cal.day_kind(date) {
            super::DayKind::Working => self.end,
            super::DayKind::Short => self.end - PRE_HOLIDAY_CUT,
            _ => return None,
        };
        Some((PrimitiveDateTime::new(date, self.start), PrimitiveDateTime::new(date, end)))
    }

    /// Working time inside `[from, to)`.
    pub fn working_time_between(&self, cal: &ProductionCalendar, from: PrimitiveDateTime, to: PrimitiveDateTime) -> Duration {
        let mut total = Duration::ZERO;
        let mut day = from.date();
        while day <= to.date() {
            if let Some((a, b)) = self.window(cal, day) {
                let (a, b) = (a.max(from), b.min(to));
                if a < b {
                    total += b - a;
                }
            }
            day = succ(day);
        }
        total
    }

    /// The moment `amount` of working time after `from`; `from` itself for zero.
    pub fn add_working_time(&self, cal: &ProductionCalendar, from: PrimitiveDateTime, amount: Duration) -> PrimitiveDateTime {
        let mut left = amount;
        if left <= Duration::ZERO {
            return from;
        }
        let mut day = from.date();
        loop {
            if let Some((a, b)) = self.window(cal, day) {
                let a = a.max(from);
                if a < b {
                    if left <= b - a {
                        return a + left;
                    }
                    left -= b - a;
                }
            }
            day = succ(day);
        }
    }
}

/// A span in which the clock stood: the request waited on the client. An open pause is
/// passed with `to` set to now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pause {
    pub from: OffsetDateTime,
    pub to: OffsetDateTime,
}

/// When a term ends, and the rule it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Due {
    /// The last moment within the term, in the start moment's offset.
    pub at: OffsetDateTime,
    pub rule: DeadlineRule,
    /// Days the paused clock added (day terms).
    pub paused_days: u32,
    /// Working time the paused clock added (hour terms).
    pub paused_time: Duration,
    /// The term crosses a year the calendar only projects or does not cover, so the date
    /// may move when the Government's decree comes out; the UI marks it as provisional.
    pub provisional: bool,
}

impl Due {
    pub fn date(&self) -> Date {
        self.at.date()
    }
}

fn local(t: OffsetDateTime, offset: UtcOffset) -> PrimitiveDateTime {
    let t = t.to_offset(offset);
    PrimitiveDateTime::new(t.date(), t.time())
}

fn end_of_day(d: Date) -> PrimitiveDateTime {
    PrimitiveDateTime::new(d, time!(23:59:59))
}

/// Local dates after `start_date` on which some pause stood, each once.
fn paused_dates(start_date: Date, pauses: &[Pause], offset: UtcOffset) -> BTreeSet<Date> {
    let mut dates = BTreeSet::new();
    for p in pauses {
        let (a, b) = (local(p.from, offset), local(p.to, offset));
        if b <= a {
            continue;
        }
        // Half-open: a pause that ends exactly at midnight does not touch the next day.
        let last = (b - Duration::nanoseconds(1)).date();
        let mut d = a.date().max(succ(start_date));
        while d <= last {
            dates.insert(d);
            d = succ(d);
        }
    }
    dates
}

/// Working time after `start` covered by the pauses, overlapping pauses counted once.
fn paused_working_time(
    start: PrimitiveDateTime,
    pauses: &[Pause],
    offset: UtcOffset,
    cal: &ProductionCalendar,
    hours: &WorkingHours,
) -> Duration {
    let mut spans: Vec<(PrimitiveDateTime, PrimitiveDateTime)> =
        pauses.iter().map(|p| (local(p.from, offset).max(start), local(p.to, offset))).filter(|(a, b)| a < b).collect();
    spans.sort();
    let mut merged: Vec<(PrimitiveDateTime, PrimitiveDateTime)> = Vec::new();
    for (a, b) in spans {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    merged.into_iter().map(|(a, b)| hours.working_time_between(cal, a, b)).fold(Duration::ZERO, |s, d| s + d)
}

/// When a term that started at `start` (in the body's local offset) ends.
pub fn due(start: OffsetDateTime, rule: &DeadlineRule, cal: &ProductionCalendar, hours: &WorkingHours) -> Due {
    due_with_pauses(start, rule, cal, hours, &[])
}

/// `due`, extended by the time the clock stood (see the module comment for how it is
/// counted). Pauses before the start are ignored.
pub fn due_with_pauses(
    start: OffsetDateTime,
    rule: &DeadlineRule,
    cal: &ProductionCalendar,
    hours: &WorkingHours,
    pauses: &[Pause],
) -> Due {
    let offset = start.offset();
    let from = local(start, offset);
    let start_date = from.date();
    let (at, paused_days, paused_time) = match rule.unit {
        DeadlineUnit::CalendarDays => {
            let paused = paused_dates(start_date, pauses, offset).len() as u32;
            let days = i64::from(rule.amount.saturating_add(paused));
            let last = start_date.checked_add(Duration::days(days)).expect("terms are capped far below the end of the calendar");
            (end_of_day(cal.working_day_on_or_after(last)), paused, Duration::ZERO)
        }
        DeadlineUnit::WorkingDays => {
            let paused = paused_dates(start_date, pauses, offset).into_iter().filter(|&d| cal.is_working_day(d)).count() as u32;
            (end_of_day(cal.add_working_days(start_date, rule.amount.saturating_add(paused))), paused, Duration::ZERO)
        }
        DeadlineUnit::Hours => {
            let paused = paused_working_time(from, pauses, offset, cal, hours);
            (hours.add_working_time(cal, from, Duration::hours(i64::from(rule.amount)) + paused), 0, paused)
        }
    };
    let provisional = (start_date.year()..=at.year()).any(|y| !cal.is_settled(y));
    Due { at: at.assume_offset(offset), rule: rule.clone(), paused_days, paused_time, provisional }
}

/// Where a request stands against its due date, for queues and cards.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "working_days", rename_all = "snake_case")]
pub enum DaysLeft {
    /// Working days after today up to and including the due day.
    Remaining(u32),
    /// Due today and not yet past.
    Today,
    /// Past due; working days from the day after the due day up to and including today,
    /// so 0 when the term ran out today or over a weekend.
    Overdue(u32),
}

impl DaysLeft {
    /// «осталось 3 рабочих дня», «срок истекает сегодня», «просрочено на 1 рабочий день».
    pub fn describe(&self) -> String {
        let days = |n: u32| format!("{n} {}", ru_plural(u64::from(n), "рабочий день", "рабочих дня", "рабочих дней"));
        match *self {
            DaysLeft::Remaining(n) => format!("{} {}", ru_plural(u64::from(n), "остался", "осталось", "осталось"), days(n)),
            DaysLeft::Today => "срок истекает сегодня".into(),
            DaysLeft::Overdue(0) => "срок истёк".into(),
            DaysLeft::Overdue(n) => format!("просрочено на {}", days(n)),
        }
    }

    pub fn is_overdue(&self) -> bool {
        matches!(self, DaysLeft::Overdue(_))
    }
}

pub fn days_left(now: OffsetDateTime, due: &Due, cal: &ProductionCalendar) -> DaysLeft {
    let now = now.to_offset(due.at.offset());
    if now > due.at {
        DaysLeft::Overdue(cal.working_days_between(due.at.date(), now.date()))
    } else if now.date() == due.at.date() {
        DaysLeft::Today
    } else {
        DaysLeft::Remaining(cal.working_days_between(now.date(), due.at.date()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn ru() -> &'static ProductionCalendar {
        ProductionCalendar::russia()
    }

    fn rule(amount: u32, unit: DeadlineUnit) -> DeadlineRule {
        DeadlineRule::new(amount, unit, "")
    }

    fn due_at(start: OffsetDateTime, r: &DeadlineRule) -> OffsetDateTime {
        due(start, r, ru(), &WorkingHours::default()).at
    }

    #[test]
    fn plural_forms() {
        let days = |n| rule(n, DeadlineUnit::CalendarDays).amount_text();
        assert_eq!(
            [1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 30, 101, 111, 112].map(days),
            [
                "1 день",
                "2 дня",
                "4 дня",
                "5 дней",
                "11 дней",
                "12 дней",
                "14 дней",
                "21 день",
                "22 дня",
                "25 дней",
                "30 дней",
                "101 день",
                "111 дней",
                "112 дней"
            ]
        );
        let working = |n| rule(n, DeadlineUnit::WorkingDays).amount_text();
        assert_eq!(
            [1, 2, 5, 10, 21].map(working),
            ["1 рабочий день", "2 рабочих дня", "5 рабочих дней", "10 рабочих дней", "21 рабочий день"]
        );
        let hours = |n| rule(n, DeadlineUnit::Hours).amount_text();
        assert_eq!([1, 3, 8, 24, 48].map(hours), ["1 час", "3 часа", "8 часов", "24 часа", "48 часов"]);
    }

    #[test]
    fn describe_shows_the_citation() {
        assert_eq!(DeadlineRule::new(30, DeadlineUnit::CalendarDays, "ч. 1 ст. 12 59-ФЗ").describe(), "ч. 1 ст. 12 59-ФЗ: 30 дней");
        assert_eq!(rule(10, DeadlineUnit::WorkingDays).describe(), "10 рабочих дней");
    }

    #[test]
    fn validate_reports_every_problem() {
        let bad = DeadlineRule::new(0, DeadlineUnit::Hours, "x".repeat(CITATION_MAX + 1)).validate().unwrap_err();
        assert_eq!(
            bad.0.iter().map(|e| (e.field.as_str(), e.code)).collect::<Vec<_>>(),
            vec![("amount", "out_of_range"), ("citation", "too_long")]
        );
        let ok = DeadlineRule::new(30, DeadlineUnit::CalendarDays, "  ч. 1   ст. 12 59-ФЗ ").validate().unwrap();
        assert_eq!(ok.citation, "ч. 1 ст. 12 59-ФЗ");
    }

    #[test]
    fn appeal_under_59_fz_is_answered_within_30_days_of_registration() {
        let r = DeadlineRule::new(30, DeadlineUnit::CalendarDays, "ч. 1 ст. 12 59-ФЗ");
        // Registered Monday March 2: the count starts on March 3, day 30 is Wednesday April 1.
        let d = due(datetime!(2026-03-02 11:20 +3), &r, ru(), &WorkingHours::default());
        assert_eq!(d.at, datetime!(2026-04-01 23:59:59 +3));
        assert_eq!(d.rule.describe(), "ч. 1 ст. 12 59-ФЗ: 30 дней");
        assert!(!d.provisional);
        // Day 30 is Saturday May 9 (Victory Day); Sunday and the transferred Monday are off too.
        assert_eq!(due_at(datetime!(2026-04-09 10:00 +3), &r), datetime!(2026-05-12 23:59:59 +3));
        // Registered in December: day 30 is January 2, inside the New Year holidays.
        assert_eq!(due_at(datetime!(2025-12-03 10:00 +3), &r), datetime!(2026-01-12 23:59:59 +3));
    }

    #[test]
    fn calendar_term_ending_on_sunday_moves_to_monday() {
        let r = rule(10, DeadlineUnit::CalendarDays);
        assert_eq!(date!(2026 - 03 - 15).weekday(), time::Weekday::Sunday);
        assert_eq!(due_at(datetime!(2026-03-05 09:00 +3), &r), datetime!(2026-03-16 23:59:59 +3));
    }

    #[test]
    fn working_day_terms_skip_the_new_year_holidays() {
        let r = rule(3, DeadlineUnit::WorkingDays);
        // Dec 30 (1), then Dec 31 – Jan 11 are off, Jan 12 (2), Jan 13 (3).
        assert_eq!(due_at(datetime!(2025-12-29 16:00 +3), &r), datetime!(2026-01-13 23:59:59 +3));
        // 210-FZ style 5 working days from a Friday before the May holidays of 2025.
        assert_eq!(due_at(datetime!(2025-04-25 12:00 +3), &rule(5, DeadlineUnit::WorkingDays)), datetime!(2025-05-06 23:59:59 +3));
    }

    #[test]
    fn the_local_date_decides_where_the_count_starts() {
        // 23:30 in Moscow is still March 2 there, though it is 20:30 UTC.
        let start = datetime!(2026-03-02 20:30 UTC).to_offset(time::macros::offset!(+3));
        assert_eq!(due_at(start, &rule(1, DeadlineUnit::WorkingDays)), datetime!(2026-03-03 23:59:59 +3));
    }

    #[test]
    fn hour_terms_count_working_hours() {
        let r = rule(4, DeadlineUnit::Hours);
        // Thursday April 30 is shortened (ends 17:00); May 1–3 are off.
        assert_eq!(due_at(datetime!(2026-04-30 15:00 +3), &r), datetime!(2026-05-04 11:00 +3));
        // Before the window the count starts at 9:00; after it, the next working morning.
        assert_eq!(due_at(datetime!(2026-03-02 07:00 +3), &r), datetime!(2026-03-02 13:00 +3));
        assert_eq!(due_at(datetime!(2026-03-06 19:00 +3), &r), datetime!(2026-03-10 13:00 +3));
        // A term that runs out exactly at closing time ends then, not next morning.
        assert_eq!(due_at(datetime!(2026-03-02 14:00 +3), &r), datetime!(2026-03-02 18:00 +3));
        let mfc = WorkingHours::new(time!(8:00), time!(20:00)).unwrap();
        assert_eq!(due(datetime!(2026-03-02 14:00 +3), &r, ru(), &mfc).at, datetime!(2026-03-02 18:00 +3));
        assert_eq!(due(datetime!(2026-03-02 18:00 +3), &r, ru(), &mfc).at, datetime!(2026-03-03 10:00 +3));
        assert!(WorkingHours::new(time!(9:00), time!(10:00)).is_err());
    }

    #[test]
    fn pauses_extend_working_day_terms_by_the_days_touched() {
        let r = rule(10, DeadlineUnit::WorkingDays);
        let start = datetime!(2026-03-02 10:00 +3);
        let hours = WorkingHours::default();
        assert_eq!(due(start, &r, ru(), &hours).at, datetime!(2026-03-17 23:59:59 +3));
        // Wednesday 15:00 to Friday 10:00 touches three working days.
        let p = [Pause { from: datetime!(2026-03-04 15:00 +3), to: datetime!(2026-03-06 10:00 +3) }];
        let d = due_with_pauses(start, &r, ru(), &hours, &p);
        assert_eq!((d.at, d.paused_days), (datetime!(2026-03-20 23:59:59 +3), 3));
        // A pause overlapping it adds only the days not already counted; a weekend pause adds none.
        let more = [
            p[0],
            Pause { from: datetime!(2026-03-05 09:00 +3), to: datetime!(2026-03-05 12:00 +3) },
            Pause { from: datetime!(2026-03-07 09:00 +3), to: datetime!(2026-03-09 00:00 +3) },
        ];
        assert_eq!(due_with_pauses(start, &r, ru(), &hours, &more).paused_days, 3);
        // A pause on the start day does not count: that day is not part of the term.
        let same_day = [Pause { from: datetime!(2026-03-02 11:00 +3), to: datetime!(2026-03-02 17:00 +3) }];
        assert_eq!(due_with_pauses(start, &r, ru(), &hours, &same_day).paused_days, 0);
    }

    #[test]
    fn pauses_extend_calendar_and_hour_terms() {
        let hours = WorkingHours::default();
        let r = rule(30, DeadlineUnit::CalendarDays);
        // Paused Saturday to Sunday evening: two calendar days, April 1 + 2 = Friday April 3.
        let p = [Pause { from: datetime!(2026-03-07 10:00 +3), to: datetime!(2026-03-08 20:00 +3) }];
        let d = due_with_pauses(datetime!(2026-03-02 10:00 +3), &r, ru(), &hours, &p);
        assert_eq!((d.at, d.paused_days), (datetime!(2026-04-03 23:59:59 +3), 2));

        let r = rule(8, DeadlineUnit::Hours);
        let start = datetime!(2026-03-02 09:00 +3);
        // 16:00 Monday to 10:00 Tuesday is three working hours; the overlapping pause adds none.
        let p = [
            Pause { from: datetime!(2026-03-02 16:00 +3), to: datetime!(2026-03-03 10:00 +3) },
            Pause { from: datetime!(2026-03-02 17:00 +3), to: datetime!(2026-03-03 09:30 +3) },
        ];
        let d = due_with_pauses(start, &r, ru(), &hours, &p);
        assert_eq!((d.at, d.paused_time), (datetime!(2026-03-03 11:00 +3), Duration::hours(3)));
    }

    #[test]
    fn due_dates_in_a_projected_year_are_provisional() {
        let r = rule(30, DeadlineUnit::CalendarDays);
        let d = due(datetime!(2026-12-10 10:00 +3), &r, ru(), &WorkingHours::default());
        assert_eq!(d.at, datetime!(2027-01-11 23:59:59 +3));
        assert!(d.provisional);
    }

    #[test]
    fn days_left_for_queues() {
        let r = rule(10, DeadlineUnit::WorkingDays);
        let d = due(datetime!(2026-03-02 10:00 +3), &r, ru(), &WorkingHours::default());
        assert_eq!(d.date(), date!(2026 - 03 - 17));
        let left = |now| days_left(now, &d, ru());
        assert_eq!(left(datetime!(2026-03-12 10:00 +3)), DaysLeft::Remaining(3));
        assert_eq!(left(datetime!(2026-03-12 10:00 +3)).describe(), "осталось 3 рабочих дня");
        assert_eq!(left(datetime!(2026-03-13 10:00 +3)).describe(), "осталось 2 рабочих дня");
        assert_eq!(left(datetime!(2026-03-16 10:00 +3)).describe(), "остался 1 рабочий день");
        assert_eq!(left(datetime!(2026-03-17 23:00 +3)), DaysLeft::Today);
        assert_eq!(left(datetime!(2026-03-17 21:00 UTC)), DaysLeft::Overdue(1), "midnight in Moscow is the next day");
        assert_eq!(left(datetime!(2026-03-18 00:00 +3)).describe(), "просрочено на 1 рабочий день");
        assert_eq!(left(datetime!(2026-03-24 09:00 +3)).describe(), "просрочено на 5 рабочих дней");
        assert!(left(datetime!(2026-03-24 09:00 +3)).is_overdue());
        assert_eq!(DaysLeft::Overdue(0).describe(), "срок истёк");
    }
}
