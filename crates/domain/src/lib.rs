//! Okno's domain: the vocabulary of DESIGN.md §1 as types, and the rules that hold
//! whatever the storage or the interface.
//!
//! Owns: ids, validated newtypes, the catalogue (bodies, units, employees, offerings,
//! outputs, client segments), the client map built from it, the business calendar with
//! the deadline arithmetic on it, delivery chains, and the request state machine.
//!
//! Must never: do I/O, be async, know SQL or HTTP. Everything here is a pure function of
//! its inputs, so it is tested without a database and reused by every edge.

#[macro_use]
mod enums;
pub mod account;
pub mod calendar;
pub mod chain;
pub mod client_map;
pub mod ids;
pub mod instant;
pub mod offering;
pub mod org;
pub mod rating;
pub mod request;
pub mod segment;
pub mod text;
pub mod validation;

pub use ids::Id;
pub use validation::{FieldError, Invalid};
