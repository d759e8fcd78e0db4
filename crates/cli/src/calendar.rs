//! `okno calendar`: a body's business calendar from the command line — import its
//! regional lines from a text file, and show what it holds with the working-day counts.
//! Runs on the same database as the server (also while it runs): the server re-reads a
//! calendar whose stored version moved.

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use okno_app::calendars::{BodyCalendarInput, CalendarView};
use okno_app::{Actor, App, AppError};
use okno_domain::calendar::{offset_label, time_text};
use okno_domain::Id;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum CalendarCommand {
    /// Replace a body's own lines (regional holidays, transfers) with a text file in the
    /// format of the federal calendar (`GET /api/v1/calendar/russia`). Nothing is saved
    /// if any line is wrong; every bad line is named.
    Import {
        /// The body's id.
        #[arg(long)]
        body: Id,
        /// The body's UTC offset in minutes (180 is Moscow time); kept as it is when absent.
        #[arg(long, allow_hyphen_values = true)]
        utc_offset_minutes: Option<i32>,
        /// Working hours as HH:MM-HH:MM, e.g. 08:00-17:00; kept as they are when absent.
        #[arg(long)]
        hours: Option<String>,
        file: PathBuf,
    },
    /// Print a body's time zone, working hours, own lines and working-day counts.
    Show {
        #[arg(long)]
        body: Id,
        /// One year; every year the calendar covers when absent.
        #[arg(long)]
        year: Option<i32>,
    },
}

pub async fn run(app: &App, cmd: CalendarCommand) -> Result<()> {
    match cmd {
        CalendarCommand::Import { body, utc_offset_minutes, hours, file } => import(app, body, utc_offset_minutes, hours, file).await,
        CalendarCommand::Show { body, year } => show(app, body, year).await,
    }
}

async fn import(app: &App, body: Id, offset: Option<i32>, hours: Option<String>, file: PathBuf) -> Result<()> {
    let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
    let Ok(text) = String::from_utf8(bytes) else { bail!("{} is not UTF-8 text; save it as UTF-8 and try again", file.display()) };
    let (version, current) = app.body_calendar_versioned(body).await.context("cannot read the body's calendar")?;
    let (start, end) = match hours.as_deref() {
        Some(h) => match h.split_once('-') {
            Some((s, e)) => (s.trim().to_string(), e.trim().to_string()),
            None => bail!("--hours must look like 09:00-18:00"),
        },
        None => (time_text(current.hours.start()), time_text(current.hours.end())),
    };
    let input = BodyCalendarInput {
        overlay: text,
        utc_offset_minutes: Some(offset.unwrap_or_else(|| current.offset_minutes())),
        work_start: Some(start),
        work_end: Some(end),
        version: Some(version),
    };
    match app.save_body_calendar(&Actor::system(), body, &input).await {
        Ok(version) => {
            let name = app.body(body).await?.name;
            println!("Saved the calendar of «{name}» (version {version}).");
            print_years(app, body, None).await
        }
        Err(AppError::Invalid(inv)) => {
            for e in &inv.0 {
                eprintln!("{}: {}", e.field, e.message);
            }
            bail!("nothing was saved: {} problem(s) in {}", inv.0.len(), file.display())
        }
        Err(e) => Err(e).context("cannot save the calendar"),
    }
}

async fn show(app: &App, body: Id, year: Option<i32>) -> Result<()> {
    let name = app.body(body).await.context("cannot find the body")?.name;
    let v = app.calendar_view(body, year).await.context("cannot read the calendar")?;
    let cal = &v.calendar;
    println!("Body: {name}");
    println!("Time zone: {}", offset_label(cal.offset_minutes()));
    println!("Working hours: {}–{}", time_text(cal.hours.start()), time_text(cal.hours.end()));
    if cal.overlay.is_empty() {
        println!("Own lines: none (the federal calendar as it is)");
    } else {
        println!("Own lines (version {}):", v.version);
        for line in cal.overlay.lines() {
            println!("  {line}");
        }
    }
    print_years(app, body, year).await
}

fn year_line(v: &CalendarView) -> String {
    let y = &v.year;
    let regional: Vec<String> = y
        .days
        .iter()
        .filter(|d| d.regional)
        .map(|d| format!("{} {}{}", d.date, d.kind, d.note.as_deref().map(|n| format!(" ({n})")).unwrap_or_default()))
        .collect();
    let mut out = format!(
        "{} ({}): {} working days ({} shortened), {} days off, {} hours on a 40-hour week",
        y.year, y.status, y.working_days, y.short_days, y.days_off, y.norm_hours_40
    );
    if !regional.is_empty() {
        out.push_str(&format!("; the body's own days: {}", regional.join(", ")));
    }
    out
}

/// One line per year: the asked one, or every year the body's calendar covers.
async fn print_years(app: &App, body: Id, year: Option<i32>) -> Result<()> {
    let years: Vec<i32> = match year {
        Some(y) => vec![y],
        None => app.body_calendar(body).await?.calendar.covered_years().collect(),
    };
    for y in years {
        let v = app.calendar_view(body, Some(y)).await.with_context(|| format!("cannot list {y}"))?;
        println!("{}", year_line(&v));
    }
    Ok(())
}
