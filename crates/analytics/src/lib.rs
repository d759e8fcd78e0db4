//! Okno's analytics engine: how requests move through the stages of a delivery chain,
//! measured per stage, and the client-centricity index built on it (DESIGN.md §4).
//!
//! Owns: the in-memory columnar event log ([`Log`], built row by row with [`LogBuilder`]
//! in `ORDER BY request_id, seq` order); the one-pass computation of per-stage metrics,
//! the performance directly-follows graph, case throughput and rework, filtered by period
//! and case attributes and grouped by one of them ([`compute`], [`Query`], [`Report`]);
//! the centricity index and its parts ([`centricity`]); the lifecycle view that
//! process-mining tools read, both ways ([`lifecycle`]); RFC 3339 timestamps ([`iso`]).
//! The definitions of every metric are in [`metrics`].
//!
//! Must never: do I/O (files, network, database), be async, read the clock, or allocate
//! per event. The store reads rows and feeds the builder; the app decides the period, the
//! weights and who may see what; the web layer renders. Everything here is a function of
//! its input, so a figure on a dashboard can be recomputed and checked.
//!
//! Independent of `okno-domain` on purpose: the log needs only the event codes (the
//! tests check they are the domain's), and staying free of the domain's web-facing
//! dependencies keeps the engine and its benchmark small to build.

pub mod centricity;
mod intern;
pub mod iso;
pub mod lifecycle;
mod log;
mod median;
pub mod metrics;

pub use centricity::{Centricity, Criterion, Parts, Rating, RatingError, RatingSummary, Score, Weights};
pub use intern::Interner;
pub use log::{Attr, BuildError, CaseInput, CaseView, EventInput, EventView, Kind, Log, LogBuilder, NO_LABEL};
pub use median::median_in_place;
pub use metrics::{compute, CaseMetrics, Edge, GroupReport, Query, Report, StageMetrics, Stat};
