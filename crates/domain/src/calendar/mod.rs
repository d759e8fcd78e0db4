//! The business calendar and deadline arithmetic: which days are working days in Russia
//! (and in a region), and when a term set by a rule ends.
//!
//! `production` is the calendar itself — statutory holidays, the Government's yearly
//! transfers, shortened pre-holiday days — read from a plain text file so that a body's
//! administrator can import next year's decree or a regional holiday without a release.
//! `deadline` turns a rule («ч. 1 ст. 12 59-ФЗ: 30 дней») and a start moment into a due
//! moment, with the clock paused while the request waits on the client. `body` is one
//! body's calendar: the federal one with its regional lines, its UTC offset and hours.

mod body;
mod deadline;
mod production;

pub use body::{
    offset_label, time_text, validate_offset, BodyCalendar, BodyCalendarInput, CalendarDay, CalendarYear, DEFAULT_OFFSET_MINUTES,
    OFFSET_MAX_MINUTES, OFFSET_MIN_MINUTES, OVERLAY_MAX_BYTES, RUSSIAN_OFFSETS,
};
pub use deadline::{
    days_left, due, due_with_pauses, ru_plural, DaysLeft, DeadlineRule, DeadlineUnit, Due, Pause, WorkingHours, AMOUNT_MAX, CITATION_MAX,
};
pub use production::{CalendarParseError, CalendarParseErrors, DayKind, LineProblem, ProductionCalendar, YearStatus};
