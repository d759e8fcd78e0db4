//! Charts drawn on the server as SVG: no script, prints well, readable by screen
//! readers through its title and the tables beside it.

use okno_domain::client_map::ClientMap;
use okno_domain::offering::Kind;
use okno_domain::segment::Side;
use std::collections::HashMap;
use std::fmt::Write;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>().trim_end())
    }
}

pub struct MapLabels<'a> {
    pub title: &'a str,
    pub units: &'a str,
    pub offerings: &'a str,
    pub clients: &'a str,
}

const ROW: f64 = 30.0;
const TOP: f64 = 46.0;
const COL_W: f64 = 270.0;
const XS: [f64; 3] = [10.0, 390.0, 770.0];

/// Units → offerings → client segments, with a line for each link. Columns are spread
/// over the same height, so short columns sit centred against long ones.
pub fn client_map_svg(map: &ClientMap, labels: &MapLabels<'_>) -> String {
    let units: Vec<_> = map.units.iter().filter(|u| !u.offerings.is_empty()).collect();
    let n = units.len().max(map.offerings.len()).max(map.segments.len()).max(1);
    let height = TOP + n as f64 * ROW + 10.0;
    let width = XS[2] + COL_W + 10.0;
    let y_of = |i: usize, count: usize| {
        let pad = (n - count) as f64 * ROW / 2.0;
        TOP + pad + i as f64 * ROW + ROW / 2.0
    };
    let unit_y: HashMap<_, _> = units.iter().enumerate().map(|(i, u)| (u.id, y_of(i, units.len()))).collect();
    let off_y: HashMap<_, _> = map.offerings.iter().enumerate().map(|(i, o)| (o.id, y_of(i, map.offerings.len()))).collect();
    let seg_y: HashMap<_, _> = map.segments.iter().enumerate().map(|(i, s)| (s.id, y_of(i, map.segments.len()))).collect();

    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="client-map-svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="group" aria-labelledby="map-svg-title"><title id="map-svg-title">{}</title>"#,
        esc(labels.title)
    );
    for (x, label) in XS.iter().zip([labels.units, labels.offerings, labels.clients]) {
        let _ = write!(s, r#"<text x="{}" y="24" class="col-head">{}</text>"#, x + 4.0, esc(label));
    }
    let curve = |s: &mut String, x1: f64, y1: f64, x2: f64, y2: f64, class: &str| {
        let mid = (x1 + x2) / 2.0;
        let _ = write!(s, r#"<path d="M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}" class="{class}"/>"#);
    };
    for o in &map.offerings {
        let oy = off_y[&o.id];
        if let Some(uy) = unit_y.get(&o.owner_unit_id) {
            curve(&mut s, XS[0] + COL_W, *uy, XS[1], oy, "link link-unit");
        }
        for c in &o.clients {
            if let Some(sy) = seg_y.get(&c.segment_id) {
                curve(&mut s, XS[1] + COL_W, oy, XS[2], *sy, &format!("link link-{}", c.side.code()));
            }
        }
    }
    let node = |s: &mut String, x: f64, y: f64, text: &str, class: &str, href: String| {
        let _ = write!(
            s,
            r#"<a href="{href}"><rect x="{x}" y="{}" width="{COL_W}" height="{}" rx="{}" class="{class}"><title>{}</title></rect><text x="{}" y="{}">{}</text></a>"#,
            y - ROW / 2.0 + 3.0,
            ROW - 6.0,
            if class.contains("service") { 11.0 } else { 2.0 },
            esc(text),
            x + 8.0,
            y + 5.0,
            esc(&clip(text, 36))
        );
    };
    for u in &units {
        node(&mut s, XS[0], unit_y[&u.id], &u.name, "node node-unit", format!("/units/{}", u.id));
    }
    for o in &map.offerings {
        let class = match o.kind {
            Kind::Product => "node node-product",
            Kind::Service => "node node-service",
        };
        let class = if o.clients.is_empty() { format!("{class} node-gap") } else { class.to_string() };
        node(&mut s, XS[1], off_y[&o.id], &o.name, &class, format!("/offerings/{}", o.id));
    }
    for seg in &map.segments {
        let class = match seg.side {
            Side::Internal => "node node-internal",
            Side::External => "node node-external",
        };
        let class = if seg.offerings.is_empty() { format!("{class} node-gap") } else { class.to_string() };
        node(&mut s, XS[2], seg_y[&seg.id], &seg.name, &class, format!("/segments/{}", seg.id));
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use okno_domain::client_map::{MapClient, MapOffering, MapSegment, MapServed, MapUnit};
    use okno_domain::offering::Status;
    use okno_domain::Id;

    #[test]
    fn draws_a_node_per_item_and_a_line_per_link() {
        let (u, o, s1, s2) = (Id::new(), Id::new(), Id::new(), Id::new());
        let map = ClientMap {
            body_id: Id::new(),
            offerings: vec![MapOffering {
                id: o,
                name: "Выписка <из> реестра".into(),
                kind: Kind::Service,
                status: Status::Published,
                owner_unit_id: u,
                clients: vec![
                    MapClient { segment_id: s1, name: "Граждане".into(), side: Side::External, benefit: String::new() },
                    MapClient { segment_id: s2, name: "Служащие".into(), side: Side::Internal, benefit: String::new() },
                ],
            }],
            segments: vec![
                MapSegment {
                    id: s2,
                    name: "Служащие".into(),
                    side: Side::Internal,
                    offerings: vec![MapServed { offering_id: o, name: String::new(), kind: Kind::Service, benefit: String::new() }],
                },
                MapSegment { id: s1, name: "Граждане".into(), side: Side::External, offerings: vec![] },
            ],
            units: vec![MapUnit { id: u, name: "Отдел".into(), parent_id: None, offerings: vec![o], segments: vec![] }],
            offerings_without_clients: vec![],
            segments_without_offerings: vec![],
        };
        let svg = client_map_svg(&map, &MapLabels { title: "t", units: "U", offerings: "O", clients: "C" });
        assert_eq!(svg.matches("<rect").count(), 4);
        assert_eq!(svg.matches("<path").count(), 3, "unit→offering plus two offering→segment");
        assert!(svg.contains("Выписка &lt;из&gt; реестра"), "names are escaped");
        assert!(!svg.contains("<из>"));
        assert!(svg.contains("link-internal") && svg.contains("link-external"));
    }

    #[test]
    fn long_names_are_clipped_with_the_full_name_in_the_tooltip() {
        assert_eq!(clip("абвгд", 10), "абвгд");
        assert_eq!(clip("абвгдежзий", 5), "абвг…");
    }
}
