//! The client map: the seed's central question, "what is our product and who is its
//! client?", answered three ways for one body — per offering, per segment and per unit.

use crate::ids::Id;
use crate::offering::{Kind, Offering, Status};
use crate::org::Unit;
use crate::segment::{Segment, Side};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ClientMap {
    pub body_id: Id,
    pub offerings: Vec<MapOffering>,
    pub segments: Vec<MapSegment>,
    pub units: Vec<MapUnit>,
    /// Offerings that name no client: the first thing to fix.
    pub offerings_without_clients: Vec<Id>,
    /// Segments that nothing is produced for.
    pub segments_without_offerings: Vec<Id>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MapOffering {
    pub id: Id,
    pub name: String,
    pub kind: Kind,
    pub status: Status,
    pub owner_unit_id: Id,
    pub clients: Vec<MapClient>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MapClient {
    pub segment_id: Id,
    pub name: String,
    pub side: Side,
    pub benefit: String,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MapSegment {
    pub id: Id,
    pub name: String,
    pub side: Side,
    pub offerings: Vec<MapServed>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MapServed {
    pub offering_id: Id,
    pub name: String,
    pub kind: Kind,
    pub benefit: String,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MapUnit {
    pub id: Id,
    pub name: String,
    pub parent_id: Option<Id>,
    /// Offerings the unit owns.
    pub offerings: Vec<Id>,
    /// Distinct segments served by those offerings, internal first.
    pub segments: Vec<Id>,
}

/// Builds the map. Retired offerings are left out: the map shows what the body does now.
/// Order: internal segments before external, then by name, so printed maps are stable.
pub fn build(body_id: Id, units: &[Unit], segments: &[Segment], offerings: &[Offering]) -> ClientMap {
    let live: Vec<&Offering> = offerings.iter().filter(|o| o.body_id == body_id && o.status != Status::Retired).collect();
    let mut segs: Vec<&Segment> = segments.iter().filter(|s| s.body_id == body_id).collect();
    segs.sort_by(|a, b| (a.side, &a.name).cmp(&(b.side, &b.name)));
    let seg_rank: HashMap<Id, usize> = segs.iter().enumerate().map(|(i, s)| (s.id, i)).collect();

    let map_offerings: Vec<MapOffering> = live
        .iter()
        .map(|o| {
            let mut clients: Vec<MapClient> = o
                .segments
                .iter()
                .map(|s| MapClient { segment_id: s.id, name: s.name.clone(), side: s.side, benefit: s.benefit.clone() })
                .collect();
            clients.sort_by_key(|c| seg_rank.get(&c.segment_id).copied().unwrap_or(usize::MAX));
            MapOffering { id: o.id, name: o.name.clone(), kind: o.kind, status: o.status, owner_unit_id: o.owner_unit.id, clients }
        })
        .collect();

    let map_segments: Vec<MapSegment> = segs
        .iter()
        .map(|s| MapSegment {
            id: s.id,
            name: s.name.clone(),
            side: s.side,
            offerings: live
                .iter()
                .filter_map(|o| {
                    o.segments.iter().find(|x| x.id == s.id).map(|x| MapServed {
                        offering_id: o.id,
                        name: o.name.clone(),
                        kind: o.kind,
                        benefit: x.benefit.clone(),
                    })
                })
                .collect(),
        })
        .collect();

    let map_units = units
        .iter()
        .filter(|u| u.body_id == body_id)
        .map(|u| {
            let owned: Vec<&&Offering> = live.iter().filter(|o| o.owner_unit.id == u.id).collect();
            let mut served: Vec<Id> = Vec::new();
            for o in &owned {
                for s in &o.segments {
                    if !served.contains(&s.id) {
                        served.push(s.id);
                    }
                }
            }
            served.sort_by_key(|id| seg_rank.get(id).copied().unwrap_or(usize::MAX));
            MapUnit {
                id: u.id,
                name: u.name.clone(),
                parent_id: u.parent_id,
                offerings: owned.iter().map(|o| o.id).collect(),
                segments: served,
            }
        })
        .collect();

    ClientMap {
        body_id,
        offerings_without_clients: map_offerings.iter().filter(|o| o.clients.is_empty()).map(|o| o.id).collect(),
        segments_without_offerings: map_segments.iter().filter(|s| s.offerings.is_empty()).map(|s| s.id).collect(),
        offerings: map_offerings,
        segments: map_segments,
        units: map_units,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offering::{NamedRef, OfferingSegment, ServiceKind};

    fn offering(body: Id, unit: Id, name: &str, status: Status, segs: &[&Segment]) -> Offering {
        Offering {
            id: Id::new(),
            body_id: body,
            name: name.into(),
            description: String::new(),
            kind: Kind::Service,
            product_type: None,
            service_kind: Some(ServiceKind::Regulated),
            owner_unit: NamedRef { id: unit, name: "u".into() },
            responsible_employee: None,
            legal_basis: vec![],
            channels: vec![],
            fee_kopecks: None,
            term: None,
            required_documents: vec![],
            status,
            segments: segs.iter().map(|s| OfferingSegment { id: s.id, name: s.name.clone(), side: s.side, benefit: "b".into() }).collect(),
            outputs: vec![],
            provided_by: vec![],
            version: 1,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn answers_who_the_clients_are_three_ways() {
        let body = Id::new();
        let unit = Unit { id: Id::new(), body_id: body, parent_id: None, name: "Отдел".into(), description: String::new() };
        let citizens =
            Segment { id: Id::new(), body_id: body, name: "Граждане".into(), side: Side::External, description: String::new() };
        let staff =
            Segment { id: Id::new(), body_id: body, name: "Служащие".into(), side: Side::Internal, description: String::new() };
        let students =
            Segment { id: Id::new(), body_id: body, name: "Студенты".into(), side: Side::External, description: String::new() };
        let extract = offering(body, unit.id, "Выписка", Status::Published, &[&citizens, &staff]);
        let orphan = offering(body, unit.id, "Без клиентов", Status::Draft, &[]);
        let old = offering(body, unit.id, "Старая", Status::Retired, &[&students]);
        let other_body = offering(Id::new(), unit.id, "Чужая", Status::Published, &[&students]);
        let map = build(
            body,
            std::slice::from_ref(&unit),
            &[citizens.clone(), staff.clone(), students.clone()],
            &[extract.clone(), orphan.clone(), old, other_body],
        );

        assert_eq!(map.offerings.len(), 2, "retired and foreign offerings are left out");
        let clients: Vec<_> = map.offerings[0].clients.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(clients, vec!["Служащие", "Граждане"], "internal clients first");
        assert_eq!(map.segments[0].id, staff.id);
        assert_eq!(map.segments[1].offerings[0].offering_id, extract.id);
        assert_eq!(map.offerings_without_clients, vec![orphan.id]);
        assert_eq!(map.segments_without_offerings, vec![students.id]);
        assert_eq!(map.units[0].offerings, vec![extract.id, orphan.id]);
        assert_eq!(map.units[0].segments, vec![staff.id, citizens.id]);
    }
}
