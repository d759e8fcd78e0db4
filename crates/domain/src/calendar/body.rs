//! One body's business calendar: the federal production calendar with the body's own
//! lines laid over it (regional holidays — Курбан-байрам and the Republic Day in
//! Tatarstan, Ураза-байрам in Bashkortostan — and their transfers), its UTC offset and its
//! working hours.
//!
//! The offset is fixed, not a time-zone name: Russia has had no daylight saving since
//! 2014 (Federal Law 248-FZ of 21.07.2014), every Russian zone is a whole number of hours
//! from UTC (UTC+2 Калининград … UTC+12 Камчатка), and a fixed offset needs no tz
//! database in the binary. Should a region ever move its clock again, its administrator
//! changes the offset on that day; due dates already computed keep the moment they were
//! given as. Offsets of −12…+14 with :30 and :45 are accepted, so an instance abroad
//! (a consulate's service, a test) is not refused.

use super::deadline::{days_left, due_with_pauses, DaysLeft, DeadlineRule, DeadlineUnit, Due, Pause, WorkingHours};
use super::production::{CalendarParseErrors, DayKind, ProductionCalendar, YearStatus};
use crate::validation::Invalid;
use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month, OffsetDateTime, Time, UtcOffset};

/// Moscow time, which every body keeps until its administrator sets another.
pub const DEFAULT_OFFSET_MINUTES: i32 = 180;
/// UTC−12:00 … UTC+14:00, the offsets in use anywhere.
pub const OFFSET_MIN_MINUTES: i32 = -12 * 60;
pub const OFFSET_MAX_MINUTES: i32 = 14 * 60;
/// A regional overlay is a few dozen lines a year; this bounds parsing, not real files.
pub const OVERLAY_MAX_BYTES: usize = 64 * 1024;

/// The offsets of Russia's eleven zones, west to east (UTC+2 Калининград … UTC+12
/// Камчатка), for a time-zone select; the interfaces name their cities.
pub const RUSSIAN_OFFSETS: [i32; 11] = [120, 180, 240, 300, 360, 420, 480, 540, 600, 660, 720];

/// «UTC+3», «UTC+5:45», «UTC−3:30».
pub fn offset_label(minutes: i32) -> String {
    let sign = if minutes < 0 { "−" } else { "+" };
    let (h, m) = (minutes.abs() / 60, minutes.abs() % 60);
    if m == 0 {
        format!("UTC{sign}{h}")
    } else {
        format!("UTC{sign}{h}:{m:02}")
    }
}

/// Checks an offset: whole hours, or :30 and :45 as some zones have, within −12…+14.
pub fn validate_offset(minutes: i32) -> Result<UtcOffset, Invalid> {
    let field = "utc_offset_minutes";
    if !(OFFSET_MIN_MINUTES..=OFFSET_MAX_MINUTES).contains(&minutes) {
        return Err(Invalid::one(field, "invalid_offset", "the offset must be from -720 (UTC-12) to 840 (UTC+14) minutes"));
    }
    if !matches!(minutes.abs() % 60, 0 | 30 | 45) {
        return Err(Invalid::one(field, "invalid_offset", "the offset must be whole hours, or hours and 30 or 45 minutes"));
    }
    let (h, m) = ((minutes / 60) as i8, (minutes % 60) as i8);
    UtcOffset::from_hms(h, m, 0).map_err(|_| Invalid::one(field, "invalid_offset", "not a valid offset"))
}

/// «09:00» or «9:00»: hours in one or two digits, minutes in two.
fn parse_time(s: &str) -> Option<Time> {
    let (h, m) = s.trim().split_once(':')?;
    let digits = |x: &str, n: std::ops::RangeInclusive<usize>| n.contains(&x.len()) && x.bytes().all(|b| b.is_ascii_digit());
    if !digits(h, 1..=2) || !digits(m, 2..=2) {
        return None;
    }
    Time::from_hms(h.parse().ok()?, m.parse().ok()?, 0).ok()
}

/// «09:00».
pub fn time_text(t: Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// What an administrator sends: the body's own lines, its offset, its working hours.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BodyCalendarInput {
    /// The body's lines over the federal calendar, in the format of
    /// `GET /api/v1/calendar/russia`: `2026-05-27 holiday # Курбан-байрам`. Empty: the federal
    /// calendar alone.
    #[serde(default)]
    pub overlay: String,
    /// Minutes east of UTC: 180 for Moscow (UTC+3), 300 for Yekaterinburg, 720 for
    /// Kamchatka. Moscow when absent.
    #[serde(default)]
    pub utc_offset_minutes: Option<i32>,
    /// When the working day starts, «09:00»; 09:00 when absent.
    #[serde(default)]
    pub work_start: Option<String>,
    /// When it ends, «18:00»; 18:00 when absent. A pre-holiday day ends an hour earlier.
    #[serde(default)]
    pub work_end: Option<String>,
    /// The version read (0 for a body that has never set its calendar): a calendar saved
    /// by someone else since is refused, not overwritten.
    #[serde(default)]
    pub version: Option<i64>,
}

impl BodyCalendarInput {
    /// The calendar this input makes over `federal`, or every problem with it: each bad
    /// overlay line as its own error on `overlay`, the message starting «line N:».
    pub fn validate(&self, federal: &ProductionCalendar) -> Result<BodyCalendar, Invalid> {
        let mut errs = Invalid::default();
        let offset = errs.take(validate_offset(self.utc_offset_minutes.unwrap_or(DEFAULT_OFFSET_MINUTES)));
        let time = |field: &'static str, v: &Option<String>, default: Time, errs: &mut Invalid| -> Option<Time> {
            match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => Some(default),
                Some(s) => {
                    let t = parse_time(s);
                    if t.is_none() {
                        errs.push(field, "invalid_time", "write the time as HH:MM, e.g. 09:00");
                    }
                    t
                }
            }
        };
        let defaults = WorkingHours::default();
        let start = time("work_start", &self.work_start, defaults.start(), &mut errs);
        let end = time("work_end", &self.work_end, defaults.end(), &mut errs);
        let hours = match (start, end) {
            (Some(s), Some(e)) => match WorkingHours::new(s, e) {
                Ok(h) => Some(h),
                Err(_) => {
                    errs.push("work_end", "hours_too_short", "the working day must end more than one hour after it starts");
                    None
                }
            },
            _ => None,
        };
        let overlay = normalise(&self.overlay);
        let calendar = if overlay.len() > OVERLAY_MAX_BYTES {
            errs.push("overlay", "too_long", format!("the calendar text must be at most {} KiB", OVERLAY_MAX_BYTES / 1024));
            None
        } else {
            errs.take(federal.with_regional_overlay(&overlay).map_err(|e: CalendarParseErrors| e.into_invalid("overlay")))
        };
        errs.into_result()?;
        Ok(BodyCalendar {
            calendar: calendar.expect("no errors"),
            offset: offset.expect("no errors"),
            hours: hours.expect("no errors"),
            overlay,
        })
    }
}

/// The overlay as stored: no byte-order mark, `\n` line ends, one final newline.
fn normalise(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out: String = text.lines().map(|l| l.trim_end()).collect::<Vec<_>>().join("\n");
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// A body's calendar, ready for deadline arithmetic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BodyCalendar {
    /// The federal calendar with the body's lines over it.
    pub calendar: ProductionCalendar,
    pub offset: UtcOffset,
    pub hours: WorkingHours,
    /// The body's own lines as saved, to show and edit.
    pub overlay: String,
}

impl Default for BodyCalendar {
    fn default() -> Self {
        BodyCalendar::federal()
    }
}

/// One day of a year, for display.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CalendarDay {
    #[schema(value_type = String, example = "2026-06-15")]
    #[serde(serialize_with = "iso_date")]
    pub date: Date,
    pub kind: DayKind,
    /// The note the calendar gives the day («Курбан-байрам», «перенос выходного с 2026-01-03»).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The body's own line decides this day, not the federal calendar.
    pub regional: bool,
}

fn iso_date<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.to_string())
}

/// A year of a body's calendar with its totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CalendarYear {
    pub year: i32,
    /// published (from a decree), projected (from the Labour Code alone, may change), or
    /// uncovered (no file covers the year: the Labour Code's holidays only).
    pub status: &'static str,
    /// Working days, shortened ones included.
    pub working_days: u32,
    /// Of them, shortened by an hour before a holiday.
    pub short_days: u32,
    /// Weekends, holidays and days off.
    pub days_off: u32,
    /// The year's working time on a 40-hour week (8 hours a day, 7 on a shortened day):
    /// the norm the Ministry of Labour publishes.
    pub norm_hours_40: u32,
    /// The hours the body's working window is open over the year; hour terms run in it.
    pub window_hours: u32,
    pub days: Vec<CalendarDay>,
}

impl BodyCalendar {
    /// The federal calendar in Moscow time, 9:00–18:00: what a body has until it sets its own.
    pub fn federal() -> BodyCalendar {
        BodyCalendar {
            calendar: ProductionCalendar::russia().clone(),
            offset: validate_offset(DEFAULT_OFFSET_MINUTES).expect("Moscow's offset is valid"),
            hours: WorkingHours::default(),
            overlay: String::new(),
        }
    }

    pub fn offset_minutes(&self) -> i32 {
        self.offset.whole_minutes() as i32
    }

    /// A moment (UTC milliseconds) in the body's local time.
    pub fn local(&self, ms: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).unwrap_or(OffsetDateTime::UNIX_EPOCH).to_offset(self.offset)
    }

    /// The body's local date at a moment.
    pub fn today(&self, ms: i64) -> Date {
        self.local(ms).date()
    }

    /// When a term that started at `start_ms` ends, as UTC milliseconds.
    pub fn due(&self, start_ms: i64, rule: &DeadlineRule) -> i64 {
        to_ms(self.due_full(start_ms, rule, &[]).at)
    }

    /// `due` with the clock paused (`from`, `to` in UTC milliseconds), and everything the
    /// computation knows: the paused days, whether the date is provisional.
    pub fn due_full(&self, start_ms: i64, rule: &DeadlineRule, pauses: &[(i64, i64)]) -> Due {
        let pauses: Vec<Pause> = pauses.iter().map(|&(a, b)| Pause { from: self.local(a), to: self.local(b) }).collect();
        due_with_pauses(self.local(start_ms), rule, &self.calendar, &self.hours, &pauses)
    }

    /// `n` calendar days after `ms`, moved to the next working day if it falls on a day
    /// off, to the end of that day: a 59-FZ extension.
    pub fn extend(&self, ms: i64, days: u32) -> i64 {
        self.due(ms, &DeadlineRule::new(days, DeadlineUnit::CalendarDays, ""))
    }

    /// Where a due moment stands at `now_ms`, in the body's working days.
    pub fn days_left(&self, now_ms: i64, due_ms: i64) -> DaysLeft {
        let due = Due {
            at: self.local(due_ms),
            rule: DeadlineRule::new(1, DeadlineUnit::CalendarDays, ""),
            paused_days: 0,
            paused_time: Duration::ZERO,
            provisional: false,
        };
        days_left(self.local(now_ms), &due, &self.calendar)
    }

    pub fn day_kind(&self, date: Date) -> DayKind {
        self.calendar.day_kind(date)
    }

    /// Every day of `year` with its kind and note, and the year's totals.
    pub fn year(&self, year: i32) -> CalendarYear {
        let federal = ProductionCalendar::russia();
        let window = (self.hours.end() - self.hours.start()).whole_minutes();
        let (mut working_days, mut short_days, mut days_off, mut norm, mut window_minutes) = (0, 0, 0, 0, 0i64);
        let mut days = Vec::with_capacity(366);
        let Ok(mut d) = Date::from_calendar_date(year, Month::January, 1) else {
            return CalendarYear { year, status: "uncovered", working_days, short_days, days_off, norm_hours_40: 0, window_hours: 0, days };
        };
        while d.year() == year {
            let kind = self.calendar.day_kind(d);
            let note = self.calendar.note(d).map(str::to_string);
            match kind {
                DayKind::Working => (working_days, norm, window_minutes) = (working_days + 1, norm + 8, window_minutes + window),
                DayKind::Short => {
                    (working_days, short_days, norm, window_minutes) =
                        (working_days + 1, short_days + 1, norm + 7, window_minutes + window - 60)
                }
                _ => days_off += 1,
            }
            let regional = kind != federal.day_kind(d) || note.as_deref() != federal.note(d);
            days.push(CalendarDay { date: d, kind, note, regional });
            match d.next_day() {
                Some(n) => d = n,
                None => break,
            }
        }
        let status = match self.calendar.year_status(year) {
            Some(YearStatus::Published) => "published",
            Some(YearStatus::Projected) => "projected",
            None => "uncovered",
        };
        CalendarYear {
            year,
            status,
            working_days,
            short_days,
            days_off,
            norm_hours_40: norm,
            window_hours: (window_minutes / 60) as u32,
            days,
        }
    }
}

fn to_ms(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn input(overlay: &str, offset: i32) -> BodyCalendarInput {
        BodyCalendarInput { overlay: overlay.into(), utc_offset_minutes: Some(offset), ..Default::default() }
    }

    fn codes(e: &Invalid) -> Vec<(&str, &str)> {
        e.0.iter().map(|f| (f.field.as_str(), f.code)).collect()
    }

    #[test]
    fn offsets_are_whole_hours_or_half_or_three_quarters_within_minus_12_to_14() {
        for ok in [-720, -570, -210, 0, 120, 180, 330, 345, 525, 720, 765, 840] {
            assert!(validate_offset(ok).is_ok(), "{ok}");
        }
        for bad in [-721, 841, 900, 190, 200, -200, 15, 59] {
            let err = validate_offset(bad).unwrap_err();
            assert_eq!(codes(&err), vec![("utc_offset_minutes", "invalid_offset")], "{bad}");
        }
        assert_eq!(validate_offset(-210).unwrap(), UtcOffset::from_hms(-3, -30, 0).unwrap());
        assert_eq!(validate_offset(345).unwrap().whole_minutes(), 345);
        assert_eq!(offset_label(180), "UTC+3");
        assert_eq!(offset_label(345), "UTC+5:45");
        assert_eq!(offset_label(-210), "UTC−3:30");
        for minutes in RUSSIAN_OFFSETS {
            assert!(validate_offset(minutes).is_ok());
        }
    }

    #[test]
    fn input_reports_every_problem_at_once() {
        let bad = BodyCalendarInput {
            overlay: "2026-05-27 holiday # Курбан-байрам\n2026-02-30 holiday\n2029-01-10 holiday\n".into(),
            utc_offset_minutes: Some(200),
            work_start: Some("9.00".into()),
            work_end: Some("18:00".into()),
            version: None,
        };
        let err = bad.validate(ProductionCalendar::russia()).unwrap_err();
        assert_eq!(
            codes(&err),
            vec![
                ("utc_offset_minutes", "invalid_offset"),
                ("work_start", "invalid_time"),
                ("overlay", "calendar_line"),
                ("overlay", "calendar_line")
            ]
        );
        assert!(err.0[2].message.starts_with("line 2: `2026-02-30` is not a date"), "{}", err.0[2].message);
        assert!(err.0[3].message.starts_with("line 3: year 2029 is not covered: the calendar covers 2025–2027"), "{}", err.0[3].message);
        let short = BodyCalendarInput { work_start: Some("09:00".into()), work_end: Some("10:00".into()), ..input("", 180) };
        assert_eq!(codes(&short.validate(ProductionCalendar::russia()).unwrap_err()), vec![("work_end", "hours_too_short")]);
        let huge = input(&"# x\n".repeat(OVERLAY_MAX_BYTES), 180);
        assert_eq!(codes(&huge.validate(ProductionCalendar::russia()).unwrap_err()), vec![("overlay", "too_long")]);
    }

    #[test]
    fn a_regional_holiday_moves_deadlines_in_the_bodys_own_time() {
        // Kazan keeps Moscow time; Kurban Bayram is a day off in Tatarstan (Wednesday May 27, 2026).
        let mut i = input("\u{feff}2026-05-27 holiday # Курбан-байрам\r\n\r\n", 180);
        i.work_start = Some("8:30".into());
        i.work_end = Some("17:30".into());
        let kazan = i.validate(ProductionCalendar::russia()).unwrap();
        assert_eq!(kazan.overlay, "2026-05-27 holiday # Курбан-байрам\n", "stored without BOM, CR or trailing blank lines");
        assert_eq!(time_text(kazan.hours.start()), "08:30");
        let tuesday = datetime!(2026-05-26 07:00 UTC).unix_timestamp() * 1000;
        let rule = DeadlineRule::new(1, DeadlineUnit::WorkingDays, "");
        assert_eq!(kazan.local(kazan.due(tuesday, &rule)), datetime!(2026-05-28 23:59:59 +3), "Wednesday is a holiday in Kazan");
        let federal = BodyCalendar::federal();
        assert_eq!(federal.local(federal.due(tuesday, &rule)), datetime!(2026-05-27 23:59:59 +3));
        // An hour term counts in the body's own window: 8:30–17:30.
        let hours = DeadlineRule::new(8, DeadlineUnit::Hours, "");
        assert_eq!(
            kazan.local(kazan.due(tuesday, &hours)),
            datetime!(2026-05-28 09:00 +3),
            "7½ hours on Tuesday, the last half hour on Thursday"
        );

        // Kamchatka: 23:30 UTC on Monday is already Tuesday 11:30 there.
        let kamchatka = input("", 720).validate(ProductionCalendar::russia()).unwrap();
        let late = datetime!(2026-03-02 23:30 UTC).unix_timestamp() * 1000;
        assert_eq!(kamchatka.today(late), date!(2026 - 03 - 03));
        assert_eq!(kamchatka.local(kamchatka.due(late, &rule)), datetime!(2026-03-04 23:59:59 +12));
        assert_eq!(kamchatka.days_left(late, kamchatka.due(late, &rule)), DaysLeft::Remaining(1));
        // Day 4 is Saturday March 7; Sunday the 8th is a holiday and Monday the 9th its transfer.
        assert_eq!(kamchatka.local(kamchatka.extend(late, 4)), datetime!(2026-03-10 23:59:59 +12));
        assert!(parse_time("9:5").is_none() && parse_time("24:00").is_none() && parse_time("09:00").is_some());
    }

    #[test]
    fn a_year_view_counts_the_regional_holiday() {
        let kazan = input("2026-05-27 holiday # Курбан-байрам\n", 180).validate(ProductionCalendar::russia()).unwrap();
        let federal = BodyCalendar::federal().year(2026);
        let year = kazan.year(2026);
        assert_eq!((federal.working_days, federal.norm_hours_40), (247, 1972));
        assert_eq!((year.working_days, year.norm_hours_40), (246, 1964));
        assert_eq!(year.status, "published");
        assert_eq!(year.days.len(), 365);
        let bayram = year.days.iter().find(|d| d.date == date!(2026 - 05 - 27)).unwrap();
        assert_eq!((bayram.kind, bayram.note.as_deref(), bayram.regional), (DayKind::Holiday, Some("Курбан-байрам"), true));
        assert_eq!(year.days.iter().filter(|d| d.regional).count(), 1);
        // 9:00–18:00 is nine open hours a day, eight on a shortened one.
        assert_eq!(federal.window_hours, 9 * 247 - federal.short_days);
        assert_eq!(BodyCalendar::federal().year(2030).status, "uncovered");
    }
}
