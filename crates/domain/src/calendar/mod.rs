//! The business calendar and deadline arithmetic: which days are working days in Russia
//! (and in a region), and when a term set by a rule ends.
//!
//! `production` is the calendar itself — statutory holidays, the Government's yearly
//! transfers, shortened pre-holiday days — read from a plain text file so that a body's
//! administrator can import next year's decree or a regional holiday without a release.
//! `deadline` turns a rule («ч. 1 ст. 12 59-ФЗ: 30 дней») and a start moment into a due
//! moment, with the clock paused while the request waits on the client.

mod deadline;
mod production;

pub use deadline::{
    days_left, due, due_with_pauses, ru_plural, DaysLeft, DeadlineRule, DeadlineUnit, Due, Pause, WorkingHours, AMOUNT_MAX, CITATION_MAX,
};
pub use production::{CalendarParseError, CalendarParseErrors, DayKind, ProductionCalendar, YearStatus};
