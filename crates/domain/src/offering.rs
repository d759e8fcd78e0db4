//! Offerings: the products and services a body delivers, and the outputs that tie a
//! service to the material product it hands over (seed §3.2).

use crate::ids::Id;
use crate::segment::Side;
use crate::text;
use crate::validation::Invalid;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

crate::string_enum! {
    /// A product is a tangible result; a service an intangible one.
    pub enum Kind { Product = "product", Service = "service" }
}

crate::string_enum! {
    /// The seed's products: a decision, a document, data, an e-service.
    pub enum ProductType { Decision = "decision", Document = "document", Data = "data", EService = "e_service", Other = "other" }
}

crate::string_enum! {
    /// `Regulated` is a state or municipal service defined by law (210-FZ); the rest are
    /// the internal kinds the seed lists.
    pub enum ServiceKind {
        Regulated = "regulated",
        ProcessOrganisation = "process_organisation",
        Planning = "planning",
        InstructionControl = "instruction_control",
        DataProcessing = "data_processing",
        AnalysisExpertise = "analysis_expertise",
        Maintenance = "maintenance",
        Other = "other",
    }
}

crate::string_enum! {
    pub enum Channel { InPerson = "in_person", EService = "e_service", Mail = "mail", Phone = "phone", Api = "api" }
}

crate::string_enum! {
    /// Only published offerings are public; retired ones stay for history.
    pub enum Status { Draft = "draft", Published = "published", Retired = "retired" }
}

crate::string_enum! {
    pub enum TermUnit { WorkingDays = "working_days", CalendarDays = "calendar_days", Hours = "hours" }
}

pub const NAME_MAX: usize = 300;
pub const DESCRIPTION_MAX: usize = 2000;
pub const MAX_LIST: usize = 50;

/// What one segment gets from an offering.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SegmentLink {
    pub segment_id: Id,
    /// In plain words, what this segment gets («выписку за один день»).
    #[serde(default)]
    pub benefit: String,
}

/// A service → product link: the material product the service hands over.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OutputLink {
    pub product_id: Id,
    /// When the product is handed over («если замечания оформлены письменно»).
    #[serde(default)]
    pub note: String,
}

/// The regulatory term of an offering, e.g. 5 working days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Term {
    pub value: u32,
    pub unit: TermUnit,
}

/// Input as the API and the forms send it: codes as text, so that every problem can be
/// reported at once instead of failing on the first unknown code in deserialisation.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferingInput {
    pub body_id: Option<Id>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// `product` or `service`.
    #[serde(default)]
    pub kind: String,
    /// With `kind = product`: decision, document, data, e_service, other.
    #[serde(default)]
    pub product_type: Option<String>,
    /// With `kind = service`: regulated, process_organisation, planning, instruction_control,
    /// data_processing, analysis_expertise, maintenance, other.
    #[serde(default)]
    pub service_kind: Option<String>,
    pub owner_unit_id: Option<Id>,
    #[serde(default)]
    pub responsible_employee_id: Option<Id>,
    #[serde(default)]
    pub legal_basis: Vec<String>,
    #[serde(default)]
    pub channels: Vec<String>,
    /// The fee in kopecks; 0 means free, absent means not stated.
    #[serde(default)]
    pub fee_kopecks: Option<i64>,
    #[serde(default)]
    pub term: Option<TermInput>,
    #[serde(default)]
    pub required_documents: Vec<String>,
    /// draft (default), published, retired.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub segments: Vec<SegmentLink>,
    #[serde(default)]
    pub outputs: Vec<OutputLink>,
    /// For updates: the version read; a stale one is refused.
    #[serde(default)]
    pub version: Option<i64>,
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct TermInput {
    pub value: i64,
    pub unit: String,
}

/// An offering that passed every rule that needs no other records.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ValidOffering {
    pub body_id: Id,
    pub name: String,
    pub description: String,
    pub kind: Kind,
    pub product_type: Option<ProductType>,
    pub service_kind: Option<ServiceKind>,
    pub owner_unit_id: Id,
    pub responsible_employee_id: Option<Id>,
    pub legal_basis: Vec<String>,
    pub channels: Vec<Channel>,
    pub fee_kopecks: Option<i64>,
    pub term: Option<Term>,
    pub required_documents: Vec<String>,
    pub status: Status,
    pub segments: Vec<SegmentLink>,
    pub outputs: Vec<OutputLink>,
}

impl OfferingInput {
    pub fn validate(&self) -> Result<ValidOffering, Invalid> {
        let mut e = Invalid::default();
        if self.body_id.is_none() {
            e.push("body_id", "required", "choose the body");
        }
        let name = e.take(text::name("name", &self.name, NAME_MAX));
        let description = e.take(text::long_text("description", &self.description, DESCRIPTION_MAX));
        let kind = e.take(Kind::parse("kind", &self.kind));
        let blank = |o: &Option<String>| o.as_deref().map(str::trim).unwrap_or("").is_empty();
        let (mut product_type, mut service_kind) = (None, None);
        match kind {
            Some(Kind::Product) => {
                if blank(&self.product_type) {
                    e.push("product_type", "required", "choose what kind of product it is");
                } else {
                    product_type = e.take(ProductType::parse("product_type", self.product_type.as_deref().unwrap()));
                }
                if !blank(&self.service_kind) {
                    e.push("service_kind", "not_for_product", "a product has no service kind");
                }
                if !self.outputs.is_empty() {
                    e.push("outputs", "not_for_product", "only a service hands over products");
                }
            }
            Some(Kind::Service) => {
                if blank(&self.service_kind) {
                    e.push("service_kind", "required", "choose what kind of service it is");
                } else {
                    service_kind = e.take(ServiceKind::parse("service_kind", self.service_kind.as_deref().unwrap()));
                }
                if !blank(&self.product_type) {
                    e.push("product_type", "not_for_service", "a service has no product type");
                }
            }
            None => {}
        }
        if self.owner_unit_id.is_none() {
            e.push("owner_unit_id", "required", "choose the unit that owns it");
        }
        let legal_basis = e.take(text::list("legal_basis", &self.legal_basis, MAX_LIST, 500));
        let mut channels = Vec::new();
        for (i, c) in self.channels.iter().enumerate() {
            if let Some(c) = e.take(Channel::parse(&format!("channels[{i}]"), c)) {
                if !channels.contains(&c) {
                    channels.push(c);
                }
            }
        }
        channels.sort();
        if let Some(fee) = self.fee_kopecks {
            if !(0..=10_000_000_000).contains(&fee) {
                e.push("fee_kopecks", "out_of_range", "must be between 0 and 100 000 000 roubles");
            }
        }
        let term = match &self.term {
            None => Some(None),
            Some(t) => {
                let unit = e.take(TermUnit::parse("term.unit", &t.unit));
                if !(1..=3650).contains(&t.value) {
                    e.push("term.value", "out_of_range", "must be a whole number from 1 to 3650");
                    None
                } else {
                    unit.map(|unit| Some(Term { value: t.value as u32, unit }))
                }
            }
        };
        let required_documents = e.take(text::list("required_documents", &self.required_documents, MAX_LIST, 300));
        let status = match self.status.as_deref().map(str::trim) {
            None | Some("") => Some(Status::Draft),
            Some(s) => e.take(Status::parse("status", s)),
        };
        let mut segments: Vec<SegmentLink> = Vec::new();
        for (i, s) in self.segments.iter().enumerate() {
            if segments.iter().any(|x| x.segment_id == s.segment_id) {
                e.push(format!("segments[{i}].segment_id"), "duplicate", "this segment is listed twice");
                continue;
            }
            if let Some(benefit) = e.take(text::long_text(&format!("segments[{i}].benefit"), &s.benefit, 500)) {
                segments.push(SegmentLink { segment_id: s.segment_id, benefit });
            }
        }
        let mut outputs: Vec<OutputLink> = Vec::new();
        for (i, o) in self.outputs.iter().enumerate() {
            if outputs.iter().any(|x| x.product_id == o.product_id) {
                e.push(format!("outputs[{i}].product_id"), "duplicate", "this product is listed twice");
                continue;
            }
            if let Some(note) = e.take(text::long_text(&format!("outputs[{i}].note"), &o.note, 500)) {
                outputs.push(OutputLink { product_id: o.product_id, note });
            }
        }
        if status == Some(Status::Published) && segments.is_empty() {
            // The seed's question must be answered before an offering goes public.
            e.push("segments", "required_to_publish", "name at least one client segment before publishing");
        }
        e.into_result()?;
        Ok(ValidOffering {
            body_id: self.body_id.unwrap(),
            name: name.unwrap(),
            description: description.unwrap(),
            kind: kind.unwrap(),
            product_type,
            service_kind,
            owner_unit_id: self.owner_unit_id.unwrap(),
            responsible_employee_id: self.responsible_employee_id,
            legal_basis: legal_basis.unwrap(),
            channels,
            fee_kopecks: self.fee_kopecks,
            term: term.unwrap(),
            required_documents: required_documents.unwrap(),
            status: status.unwrap(),
            segments,
            outputs,
        })
    }
}

/// What the records of one body look like to the reference check.
#[derive(Debug, Default)]
pub struct BodyRefs {
    pub units: HashSet<Id>,
    /// Employee → unit.
    pub employees: HashMap<Id, Id>,
    pub segments: HashSet<Id>,
    /// Offerings of the body that are products.
    pub products: HashSet<Id>,
}

impl ValidOffering {
    /// Rules that need the body's other records: everything referenced belongs to the same
    /// body, and a service only hands over products (never itself).
    pub fn check_refs(&self, refs: &BodyRefs, self_id: Option<Id>) -> Result<(), Invalid> {
        let mut e = Invalid::default();
        if !refs.units.contains(&self.owner_unit_id) {
            e.push("owner_unit_id", "unknown", "no such unit in this body");
        }
        if let Some(emp) = self.responsible_employee_id {
            if !refs.employees.contains_key(&emp) {
                e.push("responsible_employee_id", "unknown", "no such employee in this body");
            }
        }
        for (i, s) in self.segments.iter().enumerate() {
            if !refs.segments.contains(&s.segment_id) {
                e.push(format!("segments[{i}].segment_id"), "unknown", "no such client segment in this body");
            }
        }
        for (i, o) in self.outputs.iter().enumerate() {
            if Some(o.product_id) == self_id || !refs.products.contains(&o.product_id) {
                e.push(format!("outputs[{i}].product_id"), "unknown", "must be a product of this body");
            }
        }
        e.into_result()
    }
}

/// An offering as read back, with the names of what it references.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Offering {
    pub id: Id,
    pub body_id: Id,
    pub name: String,
    pub description: String,
    pub kind: Kind,
    pub product_type: Option<ProductType>,
    pub service_kind: Option<ServiceKind>,
    pub owner_unit: NamedRef,
    pub responsible_employee: Option<NamedRef>,
    pub legal_basis: Vec<String>,
    pub channels: Vec<Channel>,
    pub fee_kopecks: Option<i64>,
    pub term: Option<Term>,
    pub required_documents: Vec<String>,
    pub status: Status,
    pub segments: Vec<OfferingSegment>,
    pub outputs: Vec<OfferingOutput>,
    /// Services that hand this product over (filled for products).
    pub provided_by: Vec<NamedRef>,
    pub version: i64,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
}

impl Offering {
    /// The seed's distinction: a service with no output is "only a service".
    pub fn hands_over_product(&self) -> bool {
        !self.outputs.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct NamedRef {
    pub id: Id,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct OfferingSegment {
    pub id: Id,
    pub name: String,
    pub side: Side,
    pub benefit: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct OfferingOutput {
    pub product_id: Id,
    pub name: String,
    pub product_type: Option<ProductType>,
    pub note: String,
}

/// Parses a fee typed by a person in roubles («350», «350,50», «1 200.5»).
pub fn parse_roubles(field: &str, raw: &str) -> Result<Option<i64>, Invalid> {
    let s: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() {
        return Ok(None);
    }
    let bad = || Invalid::one(field, "invalid_amount", "write the amount in roubles, e.g. 350 or 350,50");
    let s = s.replace(',', ".");
    let (rub, kop) = match s.split_once('.') {
        Some((r, k)) => (r, k),
        None => (s.as_str(), ""),
    };
    if rub.is_empty() || !rub.chars().all(|c| c.is_ascii_digit()) || kop.len() > 2 || !kop.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let rub: i64 = rub.parse().map_err(|_| bad())?;
    let kop: i64 = if kop.is_empty() { 0 } else { format!("{kop:0<2}").parse().map_err(|_| bad())? };
    rub.checked_mul(100).and_then(|r| r.checked_add(kop)).map(Some).ok_or_else(bad)
}

/// Formats kopecks as roubles for people: «350 ₽», «350,50 ₽», «бесплатно» is the UI's job.
pub fn format_roubles(kopecks: i64) -> String {
    let rub = kopecks / 100;
    let kop = kopecks % 100;
    let digits = rub.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('\u{a0}');
        }
        grouped.push(ch);
    }
    if kop == 0 {
        format!("{grouped}\u{a0}₽")
    } else {
        format!("{grouped},{kop:02}\u{a0}₽")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service() -> OfferingInput {
        OfferingInput {
            body_id: Some(Id::new()),
            name: "Выдача выписки из реестра".into(),
            kind: "service".into(),
            service_kind: Some("regulated".into()),
            owner_unit_id: Some(Id::new()),
            ..Default::default()
        }
    }

    fn codes(e: &Invalid) -> Vec<(&str, &str)> {
        e.0.iter().map(|f| (f.field.as_str(), f.code)).collect()
    }

    #[test]
    fn a_minimal_service_is_a_draft() {
        let v = service().validate().unwrap();
        assert_eq!(v.status, Status::Draft);
        assert_eq!(v.service_kind, Some(ServiceKind::Regulated));
        assert_eq!(v.product_type, None);
    }

    #[test]
    fn kind_decides_which_type_is_required() {
        let mut p = service();
        p.kind = "product".into();
        let e = p.validate().unwrap_err();
        assert_eq!(codes(&e), vec![("product_type", "required"), ("service_kind", "not_for_product")]);
        let mut s = service();
        s.product_type = Some("document".into());
        assert_eq!(codes(&s.validate().unwrap_err()), vec![("product_type", "not_for_service")]);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let input = OfferingInput {
            kind: "thing".into(),
            channels: vec!["fax".into()],
            term: Some(TermInput { value: 0, unit: "weeks".into() }),
            ..Default::default()
        };
        let e = input.validate().unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, vec!["body_id", "name", "kind", "owner_unit_id", "channels[0]", "term.unit", "term.value"]);
    }

    #[test]
    fn products_hand_over_nothing_and_publishing_needs_clients() {
        let mut p = service();
        p.kind = "product".into();
        p.service_kind = None;
        p.product_type = Some("document".into());
        p.outputs = vec![OutputLink { product_id: Id::new(), note: String::new() }];
        assert_eq!(codes(&p.validate().unwrap_err()), vec![("outputs", "not_for_product")]);
        let mut s = service();
        s.status = Some("published".into());
        assert_eq!(codes(&s.validate().unwrap_err()), vec![("segments", "required_to_publish")]);
        s.segments = vec![SegmentLink { segment_id: Id::new(), benefit: "выписка".into() }];
        assert!(s.validate().is_ok());
    }

    #[test]
    fn duplicates_are_refused() {
        let mut s = service();
        let seg = Id::new();
        s.segments = vec![SegmentLink { segment_id: seg, benefit: String::new() }, SegmentLink { segment_id: seg, benefit: String::new() }];
        assert_eq!(codes(&s.validate().unwrap_err()), vec![("segments[1].segment_id", "duplicate")]);
    }

    #[test]
    fn references_must_belong_to_the_body() {
        let mut s = service();
        let product = Id::new();
        s.outputs = vec![OutputLink { product_id: product, note: String::new() }];
        let v = s.validate().unwrap();
        let mut refs = BodyRefs::default();
        let e = v.check_refs(&refs, None).unwrap_err();
        assert_eq!(codes(&e), vec![("owner_unit_id", "unknown"), ("outputs[0].product_id", "unknown")]);
        refs.units.insert(v.owner_unit_id);
        refs.products.insert(product);
        assert!(v.check_refs(&refs, None).is_ok());
        assert!(v.check_refs(&refs, Some(product)).is_err(), "an offering cannot hand over itself");
    }

    #[test]
    fn roubles_parse_and_format() {
        assert_eq!(parse_roubles("fee", "").unwrap(), None);
        assert_eq!(parse_roubles("fee", "350").unwrap(), Some(35_000));
        assert_eq!(parse_roubles("fee", "1 200,5").unwrap(), Some(120_050));
        assert_eq!(parse_roubles("fee", "0").unwrap(), Some(0));
        for bad in ["-5", "12,345", "abc", ",5", "1.2.3"] {
            assert!(parse_roubles("fee", bad).is_err(), "{bad}");
        }
        assert_eq!(format_roubles(120_050), "1\u{a0}200,50\u{a0}₽");
        assert_eq!(format_roubles(35_000), "350\u{a0}₽");
    }
}
