//! The Russian production calendar (производственный календарь).
//!
//! A year is *covered* when a file declares it (`year 2026`): then every day it does not
//! list is an ordinary weekday or weekend, and the listed days are the holidays, the
//! transfers and the shortened days. Years nobody declared fall back to what the Labour
//! Code alone says (art. 112 holidays and the weekend-transfer rule, art. 95 shortened
//! days), because a deadline in 2030 must still be computable; `covers` and `YearStatus`
//! let callers say such a date is provisional.

use crate::validation::Invalid;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::OnceLock;
use time::{Date, Month, Weekday};

crate::string_enum! {
    /// What a day is when a term is counted. `Short` is a working day one hour shorter
    /// (Labour Code art. 95); `DayOff` is a weekday made a day off by a transfer.
    pub enum DayKind { Working = "working", Short = "short", Weekend = "weekend", Holiday = "holiday", DayOff = "day_off" }
}

impl DayKind {
    pub fn is_working(self) -> bool {
        matches!(self, DayKind::Working | DayKind::Short)
    }
}

/// How sure a covered year is: `Projected` years were written before the Government's
/// decree on transfers, from the Labour Code alone, and may still change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YearStatus {
    Published,
    Projected,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    kind: DayKind,
    note: String,
}

/// Working days, holidays, transfers and shortened days, per date.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProductionCalendar {
    years: BTreeMap<i32, YearStatus>,
    days: BTreeMap<Date, Entry>,
}

/// What is wrong with one line of a calendar file. `Display` is the English text (the
/// API, the command line, logs); `ru` the Russian one the pages show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineProblem {
    NotADate(String),
    UnknownKind(String),
    BadYearLine,
    NotAYear(String),
    YearOutOfRange(i32),
    KindMissing,
    TooManyWords,
    YearTwice {
        year: i32,
        first: usize,
    },
    DateTwice {
        date: Date,
        first: usize,
    },
    /// A dated line in a year neither the file nor the calendar under it covers; `covered`
    /// is what is covered, so the message can say where a day may go.
    NotCovered {
        year: i32,
        covered: Vec<i32>,
    },
    /// A regional overlay's `year` line replaces the whole federal year, yet leaves this
    /// Labour Code holiday a working day: almost surely someone meant to add one day.
    YearIncomplete {
        year: i32,
        holiday: Date,
    },
}

fn kinds_list() -> String {
    DayKind::ALL.iter().map(|k| k.code()).collect::<Vec<_>>().join(", ")
}

/// «2025–2027» for a run of years, «2025, 2027» otherwise.
fn years_text(years: &[i32]) -> String {
    let contiguous = years.windows(2).all(|w| w[1] == w[0] + 1);
    match years {
        [] => String::new(),
        [one] => one.to_string(),
        [first, .., last] if contiguous => format!("{first}–{last}"),
        _ => years.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
    }
}

impl std::fmt::Display for LineProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LineProblem::NotADate(s) => write!(f, "`{s}` is not a date; write it as YYYY-MM-DD"),
            LineProblem::UnknownKind(k) => write!(f, "unknown day kind `{k}`; use one of: {}", kinds_list()),
            LineProblem::BadYearLine => write!(f, "expected `year YYYY` or `year YYYY projected`"),
            LineProblem::NotAYear(s) => write!(f, "`{s}` is not a year"),
            LineProblem::YearOutOfRange(y) => write!(f, "year {y} is outside {MIN_YEAR}–{MAX_YEAR}"),
            LineProblem::KindMissing => write!(f, "expected a day kind after the date, e.g. `2026-01-09 day_off`"),
            LineProblem::TooManyWords => write!(f, "expected `YYYY-MM-DD KIND`; put notes after `#`"),
            LineProblem::YearTwice { year, first } => write!(f, "year {year} is already declared on line {first}"),
            LineProblem::DateTwice { date, first } => write!(f, "{date} is already given on line {first}"),
            LineProblem::NotCovered { year, covered } if covered.is_empty() => {
                write!(f, "year {year} is not covered; add a `year {year}` line")
            }
            LineProblem::NotCovered { year, covered } => write!(
                f,
                "year {year} is not covered: the calendar covers {}; a day can only be added to a covered year (to add {year}, import its whole calendar under a `year {year}` line)",
                years_text(covered)
            ),
            LineProblem::YearIncomplete { year, holiday } => write!(
                f,
                "`year {year}` replaces the whole federal calendar of {year}, but leaves the holiday {holiday} a working day; list the whole year, or remove the `year` line to add single days to the federal calendar"
            ),
        }
    }
}

impl LineProblem {
    /// The Russian text, for the pages.
    pub fn ru(&self) -> String {
        match self {
            LineProblem::NotADate(s) => format!("«{s}» — не дата; запишите её как ГГГГ-ММ-ДД"),
            LineProblem::UnknownKind(k) => format!("неизвестный вид дня «{k}»; используйте один из: {}", kinds_list()),
            LineProblem::BadYearLine => "ожидается «year ГГГГ» или «year ГГГГ projected»".into(),
            LineProblem::NotAYear(s) => format!("«{s}» — не год"),
            LineProblem::YearOutOfRange(y) => format!("год {y} вне диапазона {MIN_YEAR}–{MAX_YEAR}"),
            LineProblem::KindMissing => "после даты нужен вид дня, например «2026-01-09 day_off»".into(),
            LineProblem::TooManyWords => "ожидается «ГГГГ-ММ-ДД ВИД»; пояснение пишите после «#»".into(),
            LineProblem::YearTwice { year, first } => format!("год {year} уже объявлен в строке {first}"),
            LineProblem::DateTwice { date, first } => format!("день {date} уже указан в строке {first}"),
            LineProblem::NotCovered { year, covered } if covered.is_empty() => {
                format!("{year} год не объявлен; добавьте строку «year {year}»")
            }
            LineProblem::NotCovered { year, covered } => format!(
                "{year} года нет в календаре (в нём {}); день можно добавить только в эти годы — чтобы добавить {year} год, загрузите его полный календарь со строкой «year {year}»",
                years_text(covered)
            ),
            LineProblem::YearIncomplete { year, holiday } => format!(
                "строка «year {year}» заменяет весь федеральный календарь {year} года, но праздник {holiday} остаётся рабочим днём; перечислите весь год или уберите строку «year», чтобы добавить отдельные дни к федеральному календарю"
            ),
        }
    }
}

/// One bad line of a calendar file. Lines count from 1, as an editor shows them.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct CalendarParseError {
    pub line: usize,
    pub problem: LineProblem,
}

impl CalendarParseError {
    /// The English text without the line number.
    pub fn message(&self) -> String {
        self.problem.to_string()
    }

    /// «строка 3: …», for the pages.
    pub fn ru(&self) -> String {
        format!("строка {}: {}", self.line, self.problem.ru())
    }
}

/// Every bad line of a file, so an administrator fixes them in one pass.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct CalendarParseErrors(pub Vec<CalendarParseError>);

impl CalendarParseErrors {
    /// One field error per bad line, all on `field`, each message starting «line N:».
    pub fn into_invalid(self, field: &str) -> Invalid {
        let mut out = Invalid::default();
        for err in self.0 {
            out.push(field, "calendar_line", err.to_string());
        }
        out
    }
}

impl From<CalendarParseErrors> for Invalid {
    fn from(e: CalendarParseErrors) -> Self {
        e.into_invalid("file")
    }
}

/// Years outside this range in a file are typos, not calendars.
const MIN_YEAR: i32 = 2000;
const MAX_YEAR: i32 = 2100;

const SHIPPED: &str = include_str!("russia.txt");

enum Line<'a> {
    Year { year: i32, status: YearStatus },
    Day { date: Date, kind: DayKind, note: &'a str },
}

fn parse_line(raw: &str) -> Result<Option<Line<'_>>, LineProblem> {
    let (content, note) = match raw.find('#') {
        Some(i) => (&raw[..i], raw[i + 1..].trim()),
        None => (raw, ""),
    };
    let tokens: Vec<&str> = content.split_whitespace().collect();
    match tokens.as_slice() {
        [] => Ok(None),
        ["year", rest @ ..] => {
            let status = match rest {
                [_] => YearStatus::Published,
                [_, "projected"] => YearStatus::Projected,
                _ => return Err(LineProblem::BadYearLine),
            };
            let year: i32 = rest[0].parse().map_err(|_| LineProblem::NotAYear(rest[0].to_string()))?;
            check_year(year)?;
            Ok(Some(Line::Year { year, status }))
        }
        [date, kind] => {
            let date = parse_date(date)?;
            let kind = DayKind::from_code(kind).ok_or_else(|| LineProblem::UnknownKind(kind.to_string()))?;
            Ok(Some(Line::Day { date, kind, note }))
        }
        [_] => Err(LineProblem::KindMissing),
        _ => Err(LineProblem::TooManyWords),
    }
}

fn parse_date(s: &str) -> Result<Date, LineProblem> {
    let date =
        Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).map_err(|_| LineProblem::NotADate(s.to_string()))?;
    check_year(date.year())?;
    Ok(date)
}

fn check_year(year: i32) -> Result<(), LineProblem> {
    if (MIN_YEAR..=MAX_YEAR).contains(&year) {
        Ok(())
    } else {
        Err(LineProblem::YearOutOfRange(year))
    }
}

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

fn ordinary(d: Date) -> DayKind {
    if is_weekend(d) {
        DayKind::Weekend
    } else {
        DayKind::Working
    }
}

/// The next day. Terms are capped by `DeadlineRule::validate`, so the end of `time`'s
/// range (year 9999) is never reached by valid input.
pub(super) fn succ(d: Date) -> Date {
    d.next_day().expect("dates beyond year 9999 are out of range")
}

fn art_112_holidays(year: i32) -> Vec<Date> {
    let d = |m: Month, day: u8| Date::from_calendar_date(year, m, day).expect("statutory holidays are valid dates");
    let mut out: Vec<Date> = (1..=8).map(|day| d(Month::January, day)).collect();
    out.extend([d(Month::February, 23), d(Month::March, 8), d(Month::May, 1), d(Month::May, 9), d(Month::June, 12), d(Month::November, 4)]);
    out
}

/// A year as the Labour Code alone makes it, before any decree: art. 112 part 2 moves a
/// weekend that falls on a holiday to the next working day, except in January (the
/// Government places those days itself); art. 95 shortens the working day right before a
/// holiday. Only days that differ from an ordinary week are returned.
fn statutory_year(year: i32) -> BTreeMap<Date, DayKind> {
    let holidays = art_112_holidays(year);
    let mut days: BTreeMap<Date, DayKind> = holidays.iter().map(|&h| (h, DayKind::Holiday)).collect();
    for &h in holidays.iter().filter(|h| h.month() != Month::January && is_weekend(**h)) {
        let mut d = succ(h);
        while is_weekend(d) || days.contains_key(&d) {
            d = succ(d);
        }
        days.insert(d, DayKind::DayOff);
    }
    let next_new_year = Date::from_calendar_date(year + 1, Month::January, 1).expect("January 1 exists");
    for h in holidays.iter().copied().chain([next_new_year]) {
        let Some(before) = h.previous_day() else { continue };
        if before.year() == year && !is_weekend(before) && !days.contains_key(&before) {
            days.insert(before, DayKind::Short);
        }
    }
    days
}

impl ProductionCalendar {
    /// The federal calendar shipped with Okno: 2025 and 2026 from the Government's decrees,
    /// 2027 projected. See `russia.txt` for the sources.
    pub fn russia() -> &'static ProductionCalendar {
        static RUSSIA: OnceLock<ProductionCalendar> = OnceLock::new();
        RUSSIA.get_or_init(|| ProductionCalendar::parse(SHIPPED).expect("the shipped calendar file parses"))
    }

    /// The text of the shipped calendar, to show an administrator the format or export it.
    pub fn shipped_text() -> &'static str {
        SHIPPED
    }

    /// Reads a calendar file; see `russia.txt` for the format.
    pub fn parse(text: &str) -> Result<ProductionCalendar, CalendarParseErrors> {
        ProductionCalendar::default().with_overlay(text)
    }

    /// This calendar with another file laid over it — a region's holidays for one body, or
    /// next year's decree. A dated line replaces this calendar's entry for that date. A
    /// `year` line replaces the whole year, so a full calendar for a year imported over a
    /// projection leaves no stale projected transfer behind. A dated line must fall in a
    /// year declared by the file or already covered here, which catches mistyped years.
    pub fn with_overlay(&self, text: &str) -> Result<ProductionCalendar, CalendarParseErrors> {
        self.overlay(text, false)
    }

    /// `with_overlay` for one body's own lines over the federal calendar, with one more
    /// check: a `year` line there must bring a whole year, so every Labour Code holiday
    /// (art. 112) of that year must stay a day off. Someone who writes `year 2026` above a
    /// single regional holiday would otherwise wipe out every federal holiday of 2026.
    pub fn with_regional_overlay(&self, text: &str) -> Result<ProductionCalendar, CalendarParseErrors> {
        self.overlay(text, true)
    }

    fn overlay(&self, text: &str, regional: bool) -> Result<ProductionCalendar, CalendarParseErrors> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut errors = Vec::new();
        let mut years: BTreeMap<i32, (YearStatus, usize)> = BTreeMap::new();
        let mut days: Vec<(usize, Date, DayKind, &str)> = Vec::new();
        let mut seen: HashMap<Date, usize> = HashMap::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let mut fail = |problem: LineProblem| errors.push(CalendarParseError { line, problem });
            match parse_line(raw) {
                Ok(None) => {}
                Ok(Some(Line::Year { year, status })) => match years.get(&year) {
                    Some(&(_, first)) => fail(LineProblem::YearTwice { year, first }),
                    None => {
                        years.insert(year, (status, line));
                    }
                },
                Ok(Some(Line::Day { date, kind, note })) => match seen.get(&date) {
                    Some(&first) => fail(LineProblem::DateTwice { date, first }),
                    None => {
                        seen.insert(date, line);
                        days.push((line, date, kind, note));
                    }
                },
                Err(problem) => fail(problem),
            }
        }
        let mut covered: Vec<i32> = self.years.keys().chain(years.keys()).copied().collect();
        covered.sort_unstable();
        covered.dedup();
        for &(line, date, _, _) in &days {
            let year = date.year();
            if !years.contains_key(&year) && !self.years.contains_key(&year) {
                errors.push(CalendarParseError { line, problem: LineProblem::NotCovered { year, covered: covered.clone() } });
            }
        }
        // The good lines are merged even when others are bad, so the regional check below
        // can report in the same pass: an administrator fixes every line at once.
        let mut out = self.clone();
        for (&year, &(status, _)) in &years {
            out.days.retain(|d, _| d.year() != year);
            out.years.insert(year, status);
        }
        for (_, date, kind, note) in days {
            out.days.insert(date, Entry { kind, note: note.to_string() });
        }
        if regional {
            for (&year, &(_, line)) in &years {
                if let Some(holiday) = art_112_holidays(year).into_iter().find(|&h| out.is_working_day(h)) {
                    errors.push(CalendarParseError { line, problem: LineProblem::YearIncomplete { year, holiday } });
                }
            }
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.line);
            return Err(CalendarParseErrors(errors));
        }
        Ok(out)
    }

    /// The calendar in its file format, so what was imported can be exported and edited.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (&year, &status) in &self.years {
            let _ = writeln!(out, "year {year}{}", if status == YearStatus::Projected { " projected" } else { "" });
            for (date, e) in self.days.range(first_day(year)..first_day(year + 1)) {
                let note = if e.note.is_empty() { String::new() } else { format!(" # {}", e.note) };
                let _ = writeln!(out, "{date} {}{note}", e.kind);
            }
        }
        out
    }

    /// Whether a file declared this year; otherwise dates in it are the Labour Code's alone.
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    pub fn year_status(&self, year: i32) -> Option<YearStatus> {
        self.years.get(&year).copied()
    }

    /// Whether dates in this year are settled: covered by a file from a published decree.
    pub fn is_settled(&self, year: i32) -> bool {
        self.year_status(year) == Some(YearStatus::Published)
    }

    pub fn covered_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    pub fn day_kind(&self, date: Date) -> DayKind {
        if let Some(e) = self.days.get(&date) {
            return e.kind;
        }
        if self.covers(date.year()) {
            return ordinary(date);
        }
        statutory_year(date.year()).get(&date).copied().unwrap_or_else(|| ordinary(date))
    }

    /// The note a file gave the day («перенос выходного с 2026-01-03»), for a tooltip.
    pub fn note(&self, date: Date) -> Option<&str> {
        self.days.get(&date).map(|e| e.note.as_str()).filter(|n| !n.is_empty())
    }

    pub fn is_working_day(&self, date: Date) -> bool {
        self.day_kind(date).is_working()
    }

    /// `date` itself when it is a working day, else the first working day after it.
    pub fn working_day_on_or_after(&self, date: Date) -> Date {
        let mut d = date;
        while !self.is_working_day(d) {
            d = succ(d);
        }
        d
    }

    /// The `n`-th working day after `start`, not counting `start` itself; `start` for 0.
    pub fn add_working_days(&self, start: Date, n: u32) -> Date {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            d = succ(d);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days after `from` up to and including `to`; 0 when `to` is not later.
    pub fn working_days_between(&self, from: Date, to: Date) -> u32 {
        let mut n = 0;
        let mut d = from;
        while d < to {
            d = succ(d);
            if self.is_working_day(d) {
                n += 1;
            }
        }
        n
    }
}

fn first_day(year: i32) -> Date {
    Date::from_calendar_date(year, Month::January, 1).expect("January 1 exists")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn ru() -> &'static ProductionCalendar {
        ProductionCalendar::russia()
    }

    fn working_days_in(cal: &ProductionCalendar, year: i32, month: Option<Month>) -> (u32, u32) {
        let (mut days, mut hours) = (0, 0);
        let mut d = first_day(year);
        while d.year() == year {
            if month.is_none_or(|m| m == d.month()) {
                match cal.day_kind(d) {
                    DayKind::Working => (days, hours) = (days + 1, hours + 8),
                    DayKind::Short => (days, hours) = (days + 1, hours + 7),
                    _ => {}
                }
            }
            d = succ(d);
        }
        (days, hours)
    }

    #[test]
    fn shipped_calendar_covers_2025_to_2027() {
        let cal = ru();
        assert_eq!(cal.covered_years().collect::<Vec<_>>(), vec![2025, 2026, 2027]);
        assert!(!cal.covers(2024) && !cal.covers(2028));
        assert!(cal.is_settled(2025) && cal.is_settled(2026));
        assert_eq!(cal.year_status(2027), Some(YearStatus::Projected));
    }

    #[test]
    fn known_days_of_2025() {
        let cal = ru();
        assert_eq!(cal.day_kind(date!(2025 - 05 - 02)), DayKind::DayOff);
        assert_eq!(cal.day_kind(date!(2025 - 05 - 08)), DayKind::DayOff);
        assert_eq!(cal.day_kind(date!(2025 - 06 - 13)), DayKind::DayOff);
        // A working Saturday, and shortened: it is the last working day before Nov 4.
        assert_eq!(cal.day_kind(date!(2025 - 11 - 01)), DayKind::Short);
        assert!(cal.is_working_day(date!(2025 - 11 - 01)));
        assert_eq!(cal.day_kind(date!(2025 - 11 - 03)), DayKind::DayOff);
        // The decree sent Feb 23's weekend to May 8, so the Monday after stays working.
        assert_eq!(cal.day_kind(date!(2025 - 02 - 24)), DayKind::Working);
        assert_eq!(cal.day_kind(date!(2025 - 12 - 31)), DayKind::DayOff);
        // Dec 31 is a transferred day off, not a holiday, so Dec 30 is a full day.
        assert_eq!(cal.day_kind(date!(2025 - 12 - 30)), DayKind::Working);
        assert_eq!(cal.note(date!(2025 - 05 - 02)), Some("перенос выходного с 2025-01-04"));
    }

    #[test]
    fn known_days_of_2026() {
        let cal = ru();
        assert_eq!(cal.day_kind(date!(2026 - 01 - 09)), DayKind::DayOff);
        assert_eq!(cal.day_kind(date!(2026 - 01 - 12)), DayKind::Working);
        assert_eq!(cal.day_kind(date!(2026 - 01 - 07)), DayKind::Holiday);
        assert_eq!(cal.day_kind(date!(2026 - 03 - 09)), DayKind::DayOff);
        assert_eq!(cal.day_kind(date!(2026 - 05 - 11)), DayKind::DayOff);
        assert_eq!(cal.day_kind(date!(2026 - 12 - 31)), DayKind::DayOff);
        assert_eq!(cal.day_kind(date!(2026 - 02 - 20)), DayKind::Working);
        assert_eq!(cal.day_kind(date!(2026 - 05 - 08)), DayKind::Short);
        assert_eq!(cal.day_kind(date!(2026 - 02 - 21)), DayKind::Weekend);
    }

    #[test]
    fn yearly_totals_match_the_published_norms() {
        // 247 working days and 1972 hours on a 40-hour week, both years (Minlabour's norms).
        assert_eq!(working_days_in(ru(), 2025, None), (247, 1972));
        assert_eq!(working_days_in(ru(), 2026, None), (247, 1972));
        let months_2026 = [15, 19, 21, 22, 19, 21, 23, 21, 22, 22, 20, 22];
        for (i, &expected) in months_2026.iter().enumerate() {
            let month = Month::try_from(i as u8 + 1).unwrap();
            assert_eq!(working_days_in(ru(), 2026, Some(month)).0, expected, "{month}");
        }
    }

    #[test]
    fn projected_2027_is_what_the_labour_code_alone_gives() {
        let cal = ru();
        let bare = ProductionCalendar::default();
        let mut d = first_day(2027);
        while d.year() == 2027 {
            assert_eq!(cal.day_kind(d), bare.day_kind(d), "{d}");
            d = succ(d);
        }
        assert_eq!(working_days_in(cal, 2027, None).0, 249);
        assert_eq!(cal.day_kind(date!(2027 - 05 - 03)), DayKind::DayOff);
        assert_eq!(cal.day_kind(date!(2027 - 01 - 04)), DayKind::Holiday);
    }

    #[test]
    fn uncovered_years_fall_back_to_the_labour_code() {
        let cal = ru();
        // 2028: Mar 8 is a Wednesday, Jan 1 a Saturday (no automatic transfer in January).
        assert_eq!(cal.day_kind(date!(2028 - 03 - 08)), DayKind::Holiday);
        assert_eq!(cal.day_kind(date!(2028 - 03 - 07)), DayKind::Short);
        assert_eq!(cal.day_kind(date!(2028 - 01 - 10)), DayKind::Working);
        // 2028: Nov 4 is a Saturday, so Monday Nov 6 is off.
        assert_eq!(cal.day_kind(date!(2028 - 11 - 06)), DayKind::DayOff);
    }

    #[test]
    fn working_days_across_the_new_year_holidays() {
        let cal = ru();
        assert_eq!(cal.add_working_days(date!(2025 - 12 - 29), 1), date!(2025 - 12 - 30));
        assert_eq!(cal.add_working_days(date!(2025 - 12 - 29), 2), date!(2026 - 01 - 12));
        assert_eq!(cal.add_working_days(date!(2025 - 12 - 30), 5), date!(2026 - 01 - 16));
        assert_eq!(cal.add_working_days(date!(2026 - 01 - 01), 0), date!(2026 - 01 - 01));
        assert_eq!(cal.working_days_between(date!(2025 - 12 - 29), date!(2026 - 01 - 12)), 2);
        assert_eq!(cal.working_days_between(date!(2026 - 01 - 12), date!(2025 - 12 - 29)), 0);
        assert_eq!(cal.working_day_on_or_after(date!(2026 - 01 - 01)), date!(2026 - 01 - 12));
    }

    #[test]
    fn parse_errors_name_every_bad_line() {
        let text = "# a regional file\nyear 2026\n2026-13-01 holiday\n2026-03-20 holday\n\n2026-03-20 holiday\n2062-01-02 holiday\n2026-05-27\nyear 2026\n2026-05-27 holiday extra words\n";
        let err = ProductionCalendar::parse(text).unwrap_err();
        let got: Vec<(usize, String)> = err.0.iter().map(|e| (e.line, e.message())).collect();
        let got: Vec<(usize, &str)> = got.iter().map(|(l, m)| (*l, m.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (3, "`2026-13-01` is not a date; write it as YYYY-MM-DD"),
                (4, "unknown day kind `holday`; use one of: working, short, weekend, holiday, day_off"),
                (
                    7,
                    "year 2062 is not covered: the calendar covers 2026; a day can only be added to a covered year (to add 2062, import its whole calendar under a `year 2062` line)"
                ),
                (8, "expected a day kind after the date, e.g. `2026-01-09 day_off`"),
                (9, "year 2026 is already declared on line 2"),
                (10, "expected `YYYY-MM-DD KIND`; put notes after `#`"),
            ]
        );
        assert!(err.to_string().starts_with("line 3: "));
        assert_eq!(
            ProductionCalendar::parse("2026-01-09 day_off\n").unwrap_err().0[0].message(),
            "year 2026 is not covered; add a `year 2026` line",
            "a file with no years at all is told to declare one"
        );
        let dup = ProductionCalendar::parse("year 2026\n2026-03-20 holiday\n2026-03-20 working\n").unwrap_err();
        assert_eq!(dup.0, vec![CalendarParseError { line: 3, problem: LineProblem::DateTwice { date: date!(2026 - 03 - 20), first: 2 } }]);
        assert_eq!(dup.0[0].to_string(), "line 3: 2026-03-20 is already given on line 2");
        assert_eq!(dup.0[0].ru(), "строка 3: день 2026-03-20 уже указан в строке 2");
        let invalid: Invalid = dup.into();
        assert_eq!(invalid.0[0].field, "file");
        assert_eq!(ProductionCalendar::parse("year 1899\n").unwrap_err().0[0].message(), "year 1899 is outside 2000–2100");
    }

    #[test]
    fn parser_accepts_a_bom_crlf_and_comments() {
        let cal = ProductionCalendar::parse("\u{feff}year 2026 # federal\r\n  2026-01-09   day_off   # transfer\r\n").unwrap();
        assert_eq!(cal.day_kind(date!(2026 - 01 - 09)), DayKind::DayOff);
        assert_eq!(cal.note(date!(2026 - 01 - 09)), Some("transfer"));
        assert_eq!(cal.day_kind(date!(2026 - 01 - 01)), DayKind::Working, "a covered year holds only what the file says");
    }

    #[test]
    fn regional_overlay_adds_holidays_for_one_body() {
        // Bashkortostan, 2026: Uraza Bayram and Kurban Bayram, and Republic Day (Sunday
        // Oct 11) moved to Monday Oct 12.
        let region = "2026-03-20 holiday # Ураза-байрам\n2026-05-27 holiday # Курбан-байрам\n2026-10-11 holiday # День Республики\n2026-10-12 day_off # перенос выходного с 2026-10-11\n";
        let cal = ru().with_overlay(region).unwrap();
        assert!(!cal.is_working_day(date!(2026 - 03 - 20)));
        assert!(ru().is_working_day(date!(2026 - 03 - 20)), "the federal calendar is untouched");
        assert_eq!(cal.note(date!(2026 - 05 - 27)), Some("Курбан-байрам"));
        assert_eq!(cal.add_working_days(date!(2026 - 03 - 19), 1), date!(2026 - 03 - 23));
        assert_eq!(ru().add_working_days(date!(2026 - 03 - 19), 1), date!(2026 - 03 - 20));
        assert!(!cal.is_working_day(date!(2026 - 10 - 12)));
        assert!(ru().with_overlay("2028-01-10 holiday\n").is_err(), "an overlay may not invent an uncovered year");
    }

    #[test]
    fn a_year_line_in_an_overlay_replaces_the_projection() {
        let decree = "year 2027\n2027-01-01 holiday\n2027-11-13 working # Saturday\n";
        let cal = ru().with_overlay(decree).unwrap();
        assert!(cal.is_settled(2027));
        assert!(cal.is_working_day(date!(2027 - 11 - 13)));
        assert!(cal.is_working_day(date!(2027 - 05 - 03)), "the projected transfer is gone with the projection");
        assert_eq!(cal.day_kind(date!(2026 - 01 - 09)), DayKind::DayOff, "other years stay");
    }

    #[test]
    fn export_reads_back_the_same_calendar() {
        let cal = ru().with_overlay("2026-03-20 holiday # Ураза-байрам\n").unwrap();
        assert_eq!(ProductionCalendar::parse(&cal.to_text()).unwrap(), cal);
    }

    #[test]
    fn an_overlay_line_in_an_uncovered_year_names_the_covered_years() {
        let err = ru().with_regional_overlay("# Татарстан\n2026-06-20 holiday # Сабантуй\n2028-06-20 holiday\n").unwrap_err();
        assert_eq!(err.0.len(), 1);
        assert_eq!(err.0[0].line, 3);
        assert_eq!(err.0[0].problem, LineProblem::NotCovered { year: 2028, covered: vec![2025, 2026, 2027] });
        let en = err.0[0].to_string();
        assert!(en.starts_with("line 3: year 2028 is not covered: the calendar covers 2025–2027"), "{en}");
        let ru_text = err.0[0].ru();
        assert!(ru_text.starts_with("строка 3: 2028 года нет в календаре (в нём 2025–2027)"), "{ru_text}");
        assert_eq!(years_text(&[2025, 2027]), "2025, 2027");
        assert_eq!(years_text(&[2026]), "2026");
    }

    #[test]
    fn a_regional_year_line_must_bring_the_whole_year() {
        // Someone meant to add one holiday but wrote a `year` line above it: every federal
        // holiday of 2026 would be gone.
        let err = ru().with_regional_overlay("year 2026\n2026-08-30 holiday # День Республики Татарстан\n").unwrap_err();
        assert_eq!(err.0[0].line, 1);
        assert_eq!(err.0[0].problem, LineProblem::YearIncomplete { year: 2026, holiday: date!(2026 - 01 - 01) });
        // The same lines without the `year` line are fine, and so is a whole year.
        assert!(ru().with_regional_overlay("2026-08-31 day_off # перенос выходного с 2026-08-30\n").is_ok());
        let whole = format!("{}2028-08-30 holiday\n", ProductionCalendar::default().with_overlay("year 2028\n").unwrap().to_text());
        assert!(ru().with_regional_overlay(&whole).is_err(), "a bare `year 2028` has no holidays");
        let mut full = String::from("year 2028\n");
        for h in art_112_holidays(2028) {
            full.push_str(&format!("{h} holiday\n"));
        }
        assert!(ru().with_regional_overlay(&full).unwrap().covers(2028));
        // The lenient overlay (a federal decree file) is not checked this way.
        assert!(ru().with_overlay("year 2026\n").is_ok());
        // Reported together with the other bad lines, in line order.
        let both = ru().with_regional_overlay("2026-06-31 holiday\nyear 2026\n").unwrap_err();
        assert_eq!(both.0.iter().map(|e| e.line).collect::<Vec<_>>(), vec![1, 2]);
    }
}
