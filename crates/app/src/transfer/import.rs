//! From the rows of a sheet to checked offerings, ready for one batch write.
//!
//! Rows are matched first (by ID, else by name), so that every row has its id before any
//! is checked: outputs may name products of other rows, new or renamed. Then each row
//! becomes an `OfferingInput` with names turned into ids, and goes through the same
//! `validate` and `check_refs` as a form. Problems are collected for the whole file.

use super::cells::{fold, name_and_note, parse_fee, split_channels, split_items};
use super::columns::{map_header, Column};
use super::labels::{self, Entry};
use super::{file_error, Table};
use crate::AppError;
use okno_domain::offering::{BodyRefs, Kind, Offering, OfferingInput, OutputLink, SegmentLink, TermInput};
use okno_domain::{FieldError, Id, Invalid};
use okno_store::{ImportItem, ImportMode, Store};
use std::collections::{BTreeSet, HashMap, HashSet};

/// More problems than this are not listed: the file needs another look anyway.
const MAX_ERRORS: usize = 500;

/// The names of one kind of record of the body (units, segments, …), for finding what a
/// cell names: exactly as written first, else ignoring case, spacing and «ё».
#[derive(Default)]
struct Names {
    exact: HashMap<String, Vec<Id>>,
    folded: HashMap<String, Vec<Id>>,
}

enum Found {
    One(Id),
    Many,
    None,
}

fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Names {
    fn of<'a>(items: impl IntoIterator<Item = (&'a str, Id)>) -> Names {
        let mut n = Names::default();
        for (name, id) in items {
            n.add(name, id);
        }
        n
    }

    fn add(&mut self, name: &str, id: Id) {
        self.exact.entry(clean(name)).or_default().push(id);
        self.folded.entry(fold(name)).or_default().push(id);
    }

    /// The records a name may mean, among those `keep` allows.
    fn candidates(&self, raw: &str, keep: impl Fn(Id) -> bool) -> Vec<Id> {
        let pick = |ids: Option<&Vec<Id>>| ids.map(|v| v.iter().copied().filter(|id| keep(*id)).collect::<Vec<_>>()).unwrap_or_default();
        let exact = pick(self.exact.get(&clean(raw)));
        if exact.is_empty() {
            pick(self.folded.get(&fold(raw)))
        } else {
            exact
        }
    }

    fn find(&self, raw: &str) -> Found {
        found(self.candidates(raw, |_| true))
    }
}

fn found(ids: Vec<Id>) -> Found {
    match ids.as_slice() {
        [] => Found::None,
        [one] => Found::One(*one),
        _ => Found::Many,
    }
}

/// Problems of the file, kept with their position so they can be listed in order.
#[derive(Default)]
struct Problems {
    list: Vec<(usize, Column, FieldError)>,
    cells: HashSet<(usize, Column)>,
}

impl Problems {
    fn push(&mut self, row: usize, column: Column, code: &'static str, message: impl Into<String>) {
        let field = format!("rows[{row}].{}", column.code());
        self.list.push((row, column, FieldError { field, code, message: message.into() }));
        self.cells.insert((row, column));
    }

    fn has(&self, row: usize, column: Column) -> bool {
        self.cells.contains(&(row, column))
    }

    fn into_result(mut self) -> Result<(), Invalid> {
        if self.list.is_empty() {
            return Ok(());
        }
        self.list.sort_by_key(|(r, c, _)| (*r, *c));
        let total = self.list.len();
        let mut list: Vec<FieldError> = self.list.into_iter().take(MAX_ERRORS).map(|(_, _, e)| e).collect();
        if total > MAX_ERRORS {
            list.push(FieldError {
                field: "file".into(),
                code: "too_many_errors",
                message: format!("and {} more problems; fix these and import again", total - MAX_ERRORS),
            });
        }
        Err(Invalid(list))
    }
}

/// One data row, its cells by column.
struct Row<'t> {
    number: usize,
    cells: HashMap<Column, &'t str>,
}

impl Row<'_> {
    fn get(&self, c: Column) -> &str {
        self.cells.get(&c).map(|s| s.trim()).unwrap_or("")
    }

    /// Untrimmed, for lists: a trailing line break says «one item per line» (`join_items`).
    fn raw(&self, c: Column) -> &str {
        self.cells.get(&c).copied().unwrap_or("")
    }
}

/// Where a row goes: a new offering with a pre-assigned id, or an existing one.
#[derive(Clone, Copy)]
struct Target<'o> {
    id: Id,
    existing: Option<&'o Offering>,
}

/// The body's records that rows refer to by name.
struct Body {
    id: Id,
    units: Names,
    employees: Names,
    employee_unit: HashMap<Id, Id>,
    segments: Names,
    offerings: Vec<Offering>,
}

/// Checks every row of `table` against the body's records and each other; returns what
/// to write, or every problem found.
pub(crate) async fn plan(store: &Store, body: Id, table: &Table) -> Result<Vec<ImportItem>, AppError> {
    let data_columns: BTreeSet<usize> = table.rows.iter().flat_map(|r| r.cells.iter().chain(&r.errors).map(|(c, _)| *c)).collect();
    let columns = map_header(&table.header, &data_columns)?;
    if table.rows.is_empty() {
        return Err(file_error("no_rows", "the file has no offerings below the header row"));
    }
    let units = store.list_units(body).await?;
    let employees = store.list_employees(body).await?;
    let segments = store.list_segments(body).await?;
    let b = Body {
        id: body,
        units: Names::of(units.iter().map(|u| (u.name.as_str(), u.id))),
        employees: Names::of(employees.iter().map(|e| (e.full_name.as_str(), e.id))),
        employee_unit: employees.iter().map(|e| (e.id, e.unit_id)).collect(),
        segments: Names::of(segments.iter().map(|s| (s.name.as_str(), s.id))),
        offerings: store.all_offerings(body).await?,
    };
    let refs_base = BodyRefs {
        units: units.iter().map(|u| u.id).collect(),
        employees: b.employee_unit.clone(),
        segments: segments.iter().map(|s| s.id).collect(),
        products: HashSet::new(),
    };

    let mut problems = Problems::default();
    let rows: Vec<Row> = table
        .rows
        .iter()
        .map(|r| Row { number: r.number, cells: r.cells.iter().filter_map(|(i, s)| columns.get(i).map(|c| (*c, s.as_str()))).collect() })
        .collect();
    for r in &table.rows {
        for (i, e) in &r.errors {
            if let Some(c) = columns.get(i) {
                problems.push(r.number, *c, "cell_error", format!("the cell shows the spreadsheet error {e} instead of a value"));
            }
        }
    }

    let present: HashSet<Column> = columns.values().copied().collect();
    let targets = match_rows(&rows, &b, &mut problems);
    check_names(&rows, &targets, &b, &mut problems);

    // What outputs may name: the rows of the file under their new names, the offerings
    // the file leaves alone, and, failing those, the old names of the ones it renames.
    let touched: HashSet<Id> = targets.iter().filter(|t| t.existing.is_some()).map(|t| t.id).collect();
    let untouched = || b.offerings.iter().filter(|o| !touched.contains(&o.id));
    let mut offering_names = Names::of(untouched().map(|o| (o.name.as_str(), o.id)));
    for (row, t) in rows.iter().zip(&targets) {
        offering_names.add(row.get(Column::Name), t.id);
    }
    let old_names = Names::of(b.offerings.iter().filter(|o| touched.contains(&o.id)).map(|o| (o.name.as_str(), o.id)));
    let mut offering_labels: HashMap<Id, String> = untouched().map(|o| (o.id, o.name.clone())).collect();
    let mut refs = refs_base;
    refs.products = untouched().filter(|o| o.kind == Kind::Product).map(|o| o.id).collect();
    for (row, t) in rows.iter().zip(&targets) {
        offering_labels.insert(t.id, clean(row.get(Column::Name)));
        if labels::parse(labels::KINDS, row.get(Column::Kind)) == Some(Kind::Product.code()) {
            refs.products.insert(t.id);
        }
    }

    let mut items = Vec::with_capacity(rows.len());
    for (row, t) in rows.iter().zip(&targets) {
        let lookup_offering = |name: &str| match offering_names.find(name) {
            Found::None => old_names.find(name),
            other => other,
        };
        let mut input = row_input(row, &b, &lookup_offering, &mut problems);
        if let Some(existing) = t.existing {
            keep_absent_columns(&mut input, existing, &present);
        }
        let v = match input.validate() {
            Ok(v) => v,
            Err(e) => {
                report(row, t.id, &input, e, &offering_labels, &b, &mut problems);
                continue;
            }
        };
        if let Err(e) = v.check_refs(&refs, Some(t.id)) {
            report(row, t.id, &input, e, &offering_labels, &b, &mut problems);
            continue;
        }
        if let Some(existing) = t.existing {
            if existing.kind == Kind::Product && v.kind == Kind::Service {
                let kept: Vec<String> =
                    existing.provided_by.iter().filter(|s| !touched.contains(&s.id)).map(|s| format!("«{}»", s.name)).collect();
                if !kept.is_empty() {
                    problems.push(
                        row.number,
                        Column::Kind,
                        "in_use",
                        format!("services hand this product over: {}; remove it from their results first", kept.join(", ")),
                    );
                    continue;
                }
            }
        }
        let (mode, before) = match t.existing {
            Some(o) => (ImportMode::Update { version: o.version }, serde_json::to_value(o).ok()),
            None => (ImportMode::Create, None),
        };
        items.push(ImportItem { id: t.id, mode, offering: v, before });
    }
    problems.into_result()?;
    Ok(items)
}

/// Decides for each row which offering it writes: the one its ID names, else the one of
/// the same name that no ID claims, else a new one.
fn match_rows<'o>(rows: &[Row], b: &'o Body, problems: &mut Problems) -> Vec<Target<'o>> {
    let by_id: HashMap<Id, &Offering> = b.offerings.iter().map(|o| (o.id, o)).collect();
    let mut targets: Vec<Option<Target>> = vec![None; rows.len()];
    let mut claimed: HashMap<Id, usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        let raw = row.get(Column::Id);
        if raw.is_empty() {
            continue;
        }
        match raw.parse::<Id>() {
            Err(_) => problems.push(
                row.number,
                Column::Id,
                "invalid",
                format!("«{raw}» is not an offering ID; leave the cell empty to add a new offering"),
            ),
            Ok(id) => match (by_id.get(&id), claimed.get(&id)) {
                (None, _) => problems.push(
                    row.number,
                    Column::Id,
                    "unknown",
                    format!("no offering of this body has the ID {id}; clear the cell to add the row as a new offering"),
                ),
                (Some(_), Some(first)) => problems.push(row.number, Column::Id, "duplicate", format!("row {first} has the same ID")),
                (Some(o), None) => {
                    claimed.insert(id, row.number);
                    targets[i] = Some(Target { id, existing: Some(o) });
                }
            },
        }
    }
    let names = Names::of(b.offerings.iter().map(|o| (o.name.as_str(), o.id)));
    for (i, row) in rows.iter().enumerate() {
        if targets[i].is_some() || !row.get(Column::Id).is_empty() {
            continue;
        }
        let candidates = names.candidates(row.get(Column::Name), |id| !claimed.contains_key(&id));
        targets[i] = match found(candidates) {
            Found::One(id) => {
                // A second row of the same name is reported by `check_names`.
                claimed.entry(id).or_insert(row.number);
                Some(Target { id, existing: by_id.get(&id).copied() })
            }
            Found::Many => {
                problems.push(
                    row.number,
                    Column::Name,
                    "ambiguous",
                    format!(
                        "several offerings are named like «{}»; put the ID of the one to change in the ID column",
                        row.get(Column::Name)
                    ),
                );
                None
            }
            Found::None => None,
        };
    }
    // Rows in error get a throwaway id, so that their other cells can still be checked.
    targets.into_iter().map(|t| t.unwrap_or(Target { id: Id::new(), existing: None })).collect()
}

/// Names are unique in a body: within the file, and against the offerings it leaves alone.
fn check_names(rows: &[Row], targets: &[Target], b: &Body, problems: &mut Problems) {
    let touched: HashSet<Id> = targets.iter().filter(|t| t.existing.is_some()).map(|t| t.id).collect();
    let others: HashMap<String, &Offering> = b.offerings.iter().filter(|o| !touched.contains(&o.id)).map(|o| (o.name.clone(), o)).collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in rows {
        let name = clean(row.get(Column::Name));
        if name.is_empty() {
            continue;
        }
        if let Some(first) = seen.get(&name) {
            problems.push(row.number, Column::Name, "duplicate", format!("row {first} has the same name"));
        } else if others.contains_key(&name) {
            problems.push(
                row.number,
                Column::Name,
                "duplicate",
                format!("another offering of this body, not in this file, is named «{name}»"),
            );
        }
        seen.entry(name).or_insert(row.number);
    }
}

/// Parses a vocabulary cell; `None` with a problem recorded when the word is unknown.
fn vocabulary(row: &Row, column: Column, table: &[Entry], what: &str, problems: &mut Problems) -> Option<&'static str> {
    let raw = row.get(column);
    if raw.is_empty() {
        return None;
    }
    let code = labels::parse(table, raw);
    if code.is_none() {
        problems.push(row.number, column, "not_allowed", format!("unknown {what} «{raw}»; write one of: {}", labels::choices(table)));
    }
    code
}

/// The one record a cell names; `hint` says what to do when several have that name.
fn one_of(found: Found, row: &Row, column: Column, name: &str, what: &str, hint: &str, problems: &mut Problems) -> Option<Id> {
    match found {
        Found::One(id) => Some(id),
        Found::Many => {
            problems.push(row.number, column, "ambiguous", format!("several {what}s are named «{name}»; {hint}"));
            None
        }
        Found::None => {
            problems.push(row.number, column, "unknown", format!("no {what} named «{name}» in this body"));
            None
        }
    }
}

type Resolved = Result<(Id, String), (&'static str, String)>;

/// One «Name: note» item: the first way of reading it that names a record.
fn resolve_item(item: &str, what: &str, find: &impl Fn(&str) -> Found) -> Resolved {
    for (name, note) in name_and_note(item) {
        match find(name) {
            Found::One(id) => return Ok((id, note.to_string())),
            Found::Many => return Err(("ambiguous", format!("several {what}s are named «{name}»"))),
            Found::None => {}
        }
    }
    let shown = item.split(':').next().unwrap_or(item).trim();
    Err(("unknown", format!("no {what} named «{shown}» in this body")))
}

/// Resolves «Name: note» items of a list cell; problems name what was not found.
fn named_items(row: &Row, column: Column, what: &str, find: impl Fn(&str) -> Found, problems: &mut Problems) -> Vec<(Id, String)> {
    let raw = row.raw(column);
    let mut results: Vec<Resolved> = split_items(raw).iter().map(|item| resolve_item(item, what, &find)).collect();
    if results.len() > 1 && results.iter().any(Result::is_err) && !raw.contains('\n') {
        // «Name: note; more of the note» in one line is one item whose note has a «;».
        let whole = resolve_item(raw.trim(), what, &find);
        if whole.is_ok() {
            results = vec![whole];
        }
    }
    let mut out = Vec::new();
    for r in results {
        match r {
            Ok(link) => out.push(link),
            Err((code, message)) => problems.push(row.number, column, code, message),
        }
    }
    out
}

/// The form input a row stands for. Cells that cannot be understood are reported here
/// and left out, so that `validate` adds nothing about them.
fn row_input(row: &Row, b: &Body, find_offering: &dyn Fn(&str) -> Found, problems: &mut Problems) -> OfferingInput {
    let n = row.number;
    let kind = vocabulary(row, Column::Kind, labels::KINDS, "kind", problems);
    if row.get(Column::Kind).is_empty() {
        problems.push(n, Column::Kind, "required", format!("write the kind: {}", labels::choices(labels::KINDS)));
    }
    let (mut product_type, mut service_kind) = (None, None);
    let type_raw = row.get(Column::Type);
    if !type_raw.is_empty() {
        let as_product = labels::parse(labels::PRODUCT_TYPES, type_raw);
        let as_service = labels::parse(labels::SERVICE_KINDS, type_raw);
        match kind {
            Some("product") if as_product.is_some() => product_type = as_product.map(String::from),
            Some("service") if as_service.is_some() => service_kind = as_service.map(String::from),
            Some("product") if as_service.is_some() => problems.push(
                n,
                Column::Type,
                "not_for_product",
                format!(
                    "«{type_raw}» is a kind of service, but the row is a product; write one of: {}",
                    labels::choices(labels::PRODUCT_TYPES)
                ),
            ),
            Some("service") if as_product.is_some() => problems.push(
                n,
                Column::Type,
                "not_for_service",
                format!(
                    "«{type_raw}» is a type of product, but the row is a service; write one of: {}",
                    labels::choices(labels::SERVICE_KINDS)
                ),
            ),
            Some(_) | None if as_product.is_none() && as_service.is_none() => problems.push(
                n,
                Column::Type,
                "not_allowed",
                format!(
                    "unknown type «{type_raw}»; for a product write one of: {}; for a service: {}",
                    labels::choices(labels::PRODUCT_TYPES),
                    labels::choices(labels::SERVICE_KINDS)
                ),
            ),
            // The kind is unknown: its own problem says so, and the type is a real one.
            _ => {}
        }
    }

    let unit_raw = row.get(Column::OwnerUnit);
    let owner_unit_id = if unit_raw.is_empty() {
        None
    } else {
        one_of(b.units.find(unit_raw), row, Column::OwnerUnit, unit_raw, "unit", "rename one of them first", problems)
    };

    let person = row.get(Column::Responsible);
    let responsible_employee_id = if person.is_empty() {
        None
    } else {
        let mut ids = b.employees.candidates(person, |_| true);
        if ids.len() > 1 {
            // Namesakes: the one who works in the owning unit is meant, if just one does.
            let in_unit: Vec<Id> =
                ids.iter().copied().filter(|e| owner_unit_id.is_some() && b.employee_unit.get(e) == owner_unit_id.as_ref()).collect();
            if in_unit.len() == 1 {
                ids = in_unit;
            }
        }
        let hint = "only one of them may work in the owning unit for the row to say who is meant";
        one_of(found(ids), row, Column::Responsible, person, "employee", hint, problems)
    };

    let mut channels = Vec::new();
    let mut unknown = Vec::new();
    for c in split_channels(row.get(Column::Channels)) {
        match labels::parse(labels::CHANNELS, &c) {
            Some(code) => channels.push(code.to_string()),
            None => unknown.push(format!("«{c}»")),
        }
    }
    if !unknown.is_empty() {
        problems.push(
            n,
            Column::Channels,
            "not_allowed",
            format!("unknown channels {}; write any of: {}", unknown.join(", "), labels::choices(labels::CHANNELS)),
        );
    }

    let fee_kopecks = match parse_fee(row.get(Column::Fee)) {
        Ok(fee) => fee,
        Err(e) => {
            for f in e.0 {
                problems.push(n, Column::Fee, f.code, f.message);
            }
            None
        }
    };

    let (value_raw, unit_raw) = (row.get(Column::TermValue), row.get(Column::TermUnit));
    let value = if value_raw.is_empty() {
        None
    } else {
        let v = value_raw.parse::<i64>().ok();
        if v.is_none() {
            problems.push(n, Column::TermValue, "invalid_number", "write the term as a whole number, e.g. 5");
        }
        v
    };
    let unit = vocabulary(row, Column::TermUnit, labels::TERM_UNITS, "term unit", problems);
    let term = match (value_raw.is_empty(), unit_raw.is_empty()) {
        (true, true) => None,
        (false, true) => {
            problems.push(n, Column::TermUnit, "required", format!("write the unit of the term: {}", labels::choices(labels::TERM_UNITS)));
            None
        }
        (true, false) => {
            problems.push(n, Column::TermValue, "required", "write the term as a number, or clear its unit");
            None
        }
        (false, false) => value.zip(unit).map(|(value, unit)| TermInput { value, unit: unit.to_string() }),
    };

    let status = vocabulary(row, Column::Status, labels::STATUSES, "status", problems).map(String::from);
    let segments = named_items(row, Column::Segments, "client segment", |s| b.segments.find(s), problems)
        .into_iter()
        .map(|(segment_id, benefit)| SegmentLink { segment_id, benefit })
        .collect();
    let outputs = named_items(row, Column::Outputs, "offering", find_offering, problems)
        .into_iter()
        .map(|(product_id, note)| OutputLink { product_id, note })
        .collect();

    OfferingInput {
        body_id: Some(b.id),
        name: row.get(Column::Name).to_string(),
        description: row.get(Column::Description).to_string(),
        // An unknown kind stays as written: `validate` refuses it, and the problem
        // already recorded for the cell wins.
        kind: kind.map(String::from).unwrap_or_else(|| row.get(Column::Kind).to_string()),
        product_type,
        service_kind,
        owner_unit_id,
        responsible_employee_id,
        legal_basis: split_items(row.raw(Column::LegalBasis)),
        channels,
        fee_kopecks,
        term,
        required_documents: split_items(row.raw(Column::RequiredDocuments)),
        status,
        segments,
        outputs,
        version: None,
    }
}

/// A file may leave out optional columns (to change only statuses, say): an update then
/// keeps what the offering has in them, instead of clearing every one.
fn keep_absent_columns(input: &mut OfferingInput, o: &Offering, present: &HashSet<Column>) {
    let absent = |c: Column| !present.contains(&c);
    if absent(Column::Description) {
        input.description = o.description.clone();
    }
    if absent(Column::Responsible) {
        input.responsible_employee_id = o.responsible_employee.as_ref().map(|e| e.id);
    }
    if absent(Column::LegalBasis) {
        input.legal_basis = o.legal_basis.clone();
    }
    if absent(Column::Channels) {
        input.channels = o.channels.iter().map(|c| c.code().to_string()).collect();
    }
    if absent(Column::Fee) {
        input.fee_kopecks = o.fee_kopecks;
    }
    // The term is one value in two columns: kept only when the file has neither.
    if absent(Column::TermValue) && absent(Column::TermUnit) {
        input.term = o.term.map(|t| TermInput { value: t.value as i64, unit: t.unit.code().to_string() });
    }
    if absent(Column::RequiredDocuments) {
        input.required_documents = o.required_documents.clone();
    }
    if absent(Column::Status) {
        input.status = Some(o.status.code().to_string());
    }
    if absent(Column::Segments) {
        input.segments = o.segments.iter().map(|s| SegmentLink { segment_id: s.id, benefit: s.benefit.clone() }).collect();
    }
    if absent(Column::Outputs) {
        input.outputs = o.outputs.iter().map(|x| OutputLink { product_id: x.product_id, note: x.note.clone() }).collect();
    }
}

/// The column a field of `OfferingInput` comes from.
fn column_for(field: &str) -> Column {
    match field.split(['[', '.']).next().unwrap_or(field) {
        "name" => Column::Name,
        "description" => Column::Description,
        "kind" => Column::Kind,
        "product_type" | "service_kind" => Column::Type,
        "owner_unit_id" => Column::OwnerUnit,
        "responsible_employee_id" => Column::Responsible,
        "legal_basis" => Column::LegalBasis,
        "channels" => Column::Channels,
        "fee_kopecks" => Column::Fee,
        "term" if field == "term.unit" => Column::TermUnit,
        "term" => Column::TermValue,
        "required_documents" => Column::RequiredDocuments,
        "status" => Column::Status,
        "segments" => Column::Segments,
        "outputs" => Column::Outputs,
        _ => Column::Name,
    }
}

/// `segments[2].benefit` → 2.
fn item_index(field: &str) -> Option<usize> {
    let start = field.find('[')? + 1;
    let end = start + field[start..].find(']')?;
    field[start..end].parse().ok()
}

/// Records the problems `validate` or `check_refs` found in a row, under its columns and
/// with the names the row used. A column that already has a problem keeps only that one.
fn report(row: &Row, target: Id, input: &OfferingInput, e: Invalid, offerings: &HashMap<Id, String>, b: &Body, problems: &mut Problems) {
    let already: HashSet<Column> = Column::ALL.into_iter().filter(|c| problems.has(row.number, *c)).collect();
    let segment_name =
        |id: Id| b.segments.exact.iter().find(|(_, ids)| ids.contains(&id)).map(|(name, _)| name.clone()).unwrap_or_default();
    for f in e.0 {
        let column = column_for(&f.field);
        if already.contains(&column) {
            continue;
        }
        let message = match (column, item_index(&f.field)) {
            (Column::Outputs, Some(i)) if f.field.ends_with("product_id") => {
                let product = input.outputs[i].product_id;
                let name = offerings.get(&product).cloned().unwrap_or_default();
                match f.code {
                    "duplicate" => format!("«{name}» is listed twice"),
                    _ if product == target => "a service cannot hand over itself".to_string(),
                    _ => format!("«{name}» is a service, not a product: a service hands over products only"),
                }
            }
            (Column::Segments, Some(i)) if f.code == "duplicate" => {
                format!("«{}» is listed twice", segment_name(input.segments[i].segment_id))
            }
            (_, Some(i)) => format!("item {}: {}", i + 1, f.message),
            _ => f.message,
        };
        problems.push(row.number, column, f.code, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_of_the_input_map_to_columns() {
        assert_eq!(column_for("owner_unit_id"), Column::OwnerUnit);
        assert_eq!(column_for("service_kind"), Column::Type);
        assert_eq!(column_for("term.unit"), Column::TermUnit);
        assert_eq!(column_for("term.value"), Column::TermValue);
        assert_eq!(column_for("segments[3].benefit"), Column::Segments);
        assert_eq!(column_for("legal_basis[0]"), Column::LegalBasis);
        assert_eq!(item_index("segments[12].segment_id"), Some(12));
        assert_eq!(item_index("name"), None);
    }

    #[test]
    fn list_items_name_records_with_an_optional_note() {
        let (a, b) = (Id::new(), Id::new());
        let names = Names::of([("Заключение", a), ("Граждане", b)]);
        let find = |n: &str| names.find(n);
        let row = |cell| Row { number: 2, cells: [(Column::Outputs, cell)].into() };
        let mut p = Problems::default();
        let got = named_items(&row("Заключение: x; Граждане: y"), Column::Outputs, "offering", find, &mut p);
        assert_eq!(got, vec![(a, "x".to_string()), (b, "y".to_string())]);
        let got = named_items(&row("Заключение: если письменно; устные — без документа"), Column::Outputs, "offering", find, &mut p);
        assert_eq!(got, vec![(a, "если письменно; устные — без документа".to_string())], "a note with «;» stays whole");
        assert!(p.list.is_empty());
        let got = named_items(&row("Граждане\nПенсионеры: льготы"), Column::Outputs, "offering", find, &mut p);
        assert_eq!(got, vec![(b, String::new())]);
        assert_eq!(p.list[0].2.message, "no offering named «Пенсионеры» in this body");
    }

    #[test]
    fn names_match_exactly_first_then_folded() {
        let (a, b, c) = (Id::new(), Id::new(), Id::new());
        let n = Names::of([("Отдел приёма", a), ("Граждане", b), ("граждане", c)]);
        assert!(matches!(n.find("Отдел  приёма"), Found::One(x) if x == a));
        assert!(matches!(n.find("ОТДЕЛ ПРИЕМА"), Found::One(x) if x == a));
        assert!(matches!(n.find("Граждане"), Found::One(x) if x == b), "the exact spelling wins");
        assert!(matches!(n.find("ГРАЖДАНЕ"), Found::Many));
        assert!(matches!(n.find("Бизнес"), Found::None));
    }
}
