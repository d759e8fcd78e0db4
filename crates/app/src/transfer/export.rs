//! The catalogue of a body as rows of cells, in the layout the importer reads back.

use super::cells::{join_items, roubles, with_note};
use super::columns::Column;
use super::labels::{self, label};
use super::Book;
use crate::AppError;
use okno_domain::offering::Offering;
use okno_domain::Id;
use okno_store::Store;
use std::collections::HashMap;

/// One cell of an export. Numbers stay numbers in XLSX so that people can sum them.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Text(String),
    Int(i64),
    /// A fee in kopecks, written as roubles.
    Roubles(i64),
    Empty,
}

impl Value {
    /// The text of the cell in a CSV file (and in tests).
    pub(crate) fn text(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Int(n) => n.to_string(),
            Value::Roubles(k) => roubles(*k),
            Value::Empty => String::new(),
        }
    }
}

pub(crate) async fn build(store: &Store, body: Id) -> Result<Book, AppError> {
    let offerings = store.all_offerings(body).await?;
    let mut catalogue = vec![Column::ALL.iter().map(|c| Value::Text(c.title().to_string())).collect()];
    catalogue.extend(offerings.iter().map(|o| Column::ALL.iter().map(|c| cell(o, *c)).collect()));

    let segments =
        store.list_segments(body).await?.into_iter().map(|s| [s.name, label(labels::SIDES, s.side.code()), s.description]).collect();
    let units = store.list_units(body).await?;
    let unit_names: HashMap<Id, &str> = units.iter().map(|u| (u.id, u.name.as_str())).collect();
    let units = units
        .iter()
        .map(|u| {
            let parent = u.parent_id.and_then(|p| unit_names.get(&p)).unwrap_or(&"").to_string();
            [u.name.clone(), parent, u.description.clone()]
        })
        .collect();
    Ok(Book { catalogue, segments, units })
}

fn text(s: impl Into<String>) -> Value {
    let s = s.into();
    if s.is_empty() {
        Value::Empty
    } else {
        Value::Text(s)
    }
}

/// What a column holds for one offering, written so that the importer reads it back
/// unchanged.
pub(crate) fn cell(o: &Offering, c: Column) -> Value {
    match c {
        Column::Id => text(o.id.to_string()),
        Column::Name => text(&o.name),
        Column::Kind => text(label(labels::KINDS, o.kind.code())),
        Column::Type => match (o.product_type, o.service_kind) {
            (Some(p), _) => text(label(labels::PRODUCT_TYPES, p.code())),
            (None, Some(s)) => text(label(labels::SERVICE_KINDS, s.code())),
            (None, None) => Value::Empty,
        },
        Column::Status => text(label(labels::STATUSES, o.status.code())),
        Column::OwnerUnit => text(&o.owner_unit.name),
        Column::Responsible => o.responsible_employee.as_ref().map(|e| text(&e.name)).unwrap_or(Value::Empty),
        Column::Description => text(&o.description),
        Column::LegalBasis => text(join_items(&o.legal_basis)),
        Column::Channels => text(o.channels.iter().map(|ch| label(labels::CHANNELS, ch.code())).collect::<Vec<_>>().join(", ")),
        Column::Fee => o.fee_kopecks.map(Value::Roubles).unwrap_or(Value::Empty),
        Column::TermValue => o.term.map(|t| Value::Int(t.value as i64)).unwrap_or(Value::Empty),
        Column::TermUnit => o.term.map(|t| text(label(labels::TERM_UNITS, t.unit.code()))).unwrap_or(Value::Empty),
        Column::RequiredDocuments => text(join_items(&o.required_documents)),
        Column::Segments => text(join_items(&o.segments.iter().map(|s| with_note(&s.name, &s.benefit)).collect::<Vec<_>>())),
        Column::Outputs => text(join_items(&o.outputs.iter().map(|x| with_note(&x.name, &x.note)).collect::<Vec<_>>())),
    }
}
