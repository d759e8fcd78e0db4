//! The dashboards' SVG charts, drawn on the server: an offering's chain as a flow (each
//! stage's waiting against working time, breaches, returns drawn as loops back, ratings)
//! and a monthly trend. Each has a `<title>`, and the page puts a table with the same
//! figures beside it, so nothing is only in the picture.

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

/// A number with a decimal comma and `digits` decimals.
fn num(x: f64, digits: usize) -> String {
    format!("{x:.digits$}").replace('.', ",")
}

/// One stage of the flow. Times in days (means over finished visits).
#[derive(Clone, Debug, Default)]
pub struct FlowStage {
    pub name: String,
    pub visits: u64,
    pub waiting_days: Option<f64>,
    pub working_days: Option<f64>,
    pub breach_share: Option<f64>,
    pub return_share: Option<f64>,
    pub rating: Option<f64>,
    pub index: Option<f64>,
}

/// A return: from the stage at index `from` back to the stage at index `to` (< `from`).
#[derive(Clone, Copy, Debug)]
pub struct FlowLoop {
    pub from: usize,
    pub to: usize,
    pub count: u64,
}

/// The words the chart needs, in the page's language.
pub struct FlowLabels<'a> {
    pub title: &'a str,
    pub waiting: &'a str,
    pub working: &'a str,
    pub days: &'a str,
    pub late: &'a str,
    pub returns: &'a str,
    pub index: &'a str,
}

const BOX_W: f64 = 220.0;
const GAP: f64 = 46.0;
const BOX_H: f64 = 132.0;
const TOP: f64 = 34.0;

/// Stages left to right in chain order, an arrow between neighbours, and each return as
/// an arc under the boxes from the later stage back to the earlier one.
pub fn flow_svg(stages: &[FlowStage], loops: &[FlowLoop], l: &FlowLabels<'_>) -> String {
    let n = stages.len().max(1);
    let width = 10.0 + n as f64 * (BOX_W + GAP);
    let deepest = loops.iter().map(|x| x.from - x.to).max().unwrap_or(0) as f64;
    let height = TOP + BOX_H + 30.0 + if loops.is_empty() { 0.0 } else { 24.0 + 22.0 * deepest.min(6.0) };
    let longest = stages.iter().map(|s| s.waiting_days.unwrap_or(0.0) + s.working_days.unwrap_or(0.0)).fold(0.0, f64::max);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="flow-svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="flow-title"><title id="flow-title">{}</title>"#,
        esc(l.title)
    );
    s.push_str(r#"<defs><marker id="flow-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="flow-arrowhead"/></marker></defs>"#);
    let x_of = |i: usize| 10.0 + i as f64 * (BOX_W + GAP);
    for (i, st) in stages.iter().enumerate() {
        let x = x_of(i);
        let late = st.breach_share.unwrap_or(0.0);
        let class = if late >= 0.2 {
            "flow-box flow-bad"
        } else if late >= 0.05 {
            "flow-box flow-warn"
        } else {
            "flow-box"
        };
        let _ = write!(
            s,
            r#"<g class="flow-stage"><rect x="{x}" y="{TOP}" width="{BOX_W}" height="{BOX_H}" rx="6" class="{class}"><title>{}</title></rect>"#,
            esc(&st.name)
        );
        let _ = write!(s, r#"<text x="{}" y="{}" class="flow-name">{}</text>"#, x + 8.0, TOP + 20.0, esc(&clip(&st.name, 28)));
        // Waiting (queue + client) against working, on one scale for every stage.
        let bar_w = BOX_W - 16.0;
        let (wait, work) = (st.waiting_days.unwrap_or(0.0), st.working_days.unwrap_or(0.0));
        if longest > 0.0 {
            let ww = bar_w * wait / longest;
            let kw = bar_w * work / longest;
            let y = TOP + 32.0;
            let _ = write!(
                s,
                r#"<rect x="{}" y="{y}" width="{ww:.1}" height="12" class="flow-wait"><title>{}: {} {}</title></rect>"#,
                x + 8.0,
                esc(l.waiting),
                num(wait, 1),
                esc(l.days)
            );
            let _ = write!(
                s,
                r#"<rect x="{:.1}" y="{y}" width="{kw:.1}" height="12" class="flow-work"><title>{}: {} {}</title></rect>"#,
                x + 8.0 + ww,
                esc(l.working),
                num(work, 1),
                esc(l.days)
            );
        }
        let line = |s: &mut String, k: usize, text: String| {
            let _ = write!(s, r#"<text x="{}" y="{}" class="flow-figure">{}</text>"#, x + 8.0, TOP + 62.0 + k as f64 * 16.0, esc(&text));
        };
        let pct = |v: Option<f64>| v.map_or("—".to_string(), |v| format!("{} %", num(v * 100.0, 0)));
        line(
            &mut s,
            0,
            format!(
                "{} {} · {} {}",
                l.waiting,
                st.waiting_days.map_or("—".into(), |d| num(d, 1)),
                l.working,
                st.working_days.map_or("—".into(), |d| num(d, 1))
            ),
        );
        line(&mut s, 1, format!("{} {} · {} {}", l.late, pct(st.breach_share), l.returns, pct(st.return_share)));
        line(
            &mut s,
            2,
            format!("★ {} · {} {}", st.rating.map_or("—".into(), |r| num(r, 1)), l.index, st.index.map_or("—".into(), |i| num(i, 0))),
        );
        line(&mut s, 3, format!("n = {}", st.visits));
        s.push_str("</g>");
        if i + 1 < stages.len() {
            let y = TOP + BOX_H / 2.0;
            let _ = write!(
                s,
                r#"<line x1="{}" y1="{y}" x2="{}" y2="{y}" class="flow-step" marker-end="url(#flow-arrow)"/>"#,
                x + BOX_W,
                x + BOX_W + GAP - 2.0
            );
        }
    }
    for lp in loops.iter().filter(|lp| lp.to < lp.from && lp.from < stages.len()) {
        let (x1, x2) = (x_of(lp.from) + BOX_W / 2.0 - 10.0, x_of(lp.to) + BOX_W / 2.0 + 10.0);
        let base = TOP + BOX_H;
        let depth = 24.0 + 22.0 * ((lp.from - lp.to) as f64).min(6.0);
        let _ = write!(
            s,
            r#"<path d="M{x1},{base} C{x1},{} {x2},{} {x2},{base}" class="flow-loop" marker-end="url(#flow-arrow)"><title>{} {}</title></path><text x="{}" y="{}" class="flow-loop-label">↺ {}</text>"#,
            base + depth,
            base + depth,
            esc(l.returns),
            lp.count,
            (x1 + x2) / 2.0,
            base + depth * 0.75 + 4.0,
            lp.count
        );
    }
    s.push_str("</svg>");
    s
}

/// One month of a trend.
#[derive(Clone, Debug)]
pub struct TrendPoint {
    /// A short label, e.g. «04.26».
    pub label: String,
    pub requests: u64,
    /// 0..100.
    pub index: Option<f64>,
    /// 0..1.
    pub on_time: Option<f64>,
}

pub struct TrendLabels<'a> {
    pub title: &'a str,
    pub requests: &'a str,
    pub index: &'a str,
    pub on_time: &'a str,
}

/// Requests per month as bars; the index and the on-time share (as 0..100) as lines on
/// one 0..100 scale.
pub fn trend_svg(points: &[TrendPoint], l: &TrendLabels<'_>) -> String {
    const W: f64 = 56.0;
    const H: f64 = 180.0;
    const TOP: f64 = 30.0;
    let width = 50.0 + points.len().max(1) as f64 * W + 20.0;
    let height = TOP + H + 56.0;
    let most = points.iter().map(|p| p.requests).max().unwrap_or(0).max(1) as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="trend-svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="trend-title"><title id="trend-title">{}</title>"#,
        esc(l.title)
    );
    for k in 0..=4 {
        let y = TOP + H - H * k as f64 / 4.0;
        let _ = write!(
            s,
            r#"<line x1="44" y1="{y}" x2="{}" y2="{y}" class="trend-grid"/><text x="38" y="{}" class="trend-axis" text-anchor="end">{}</text>"#,
            width - 20.0,
            y + 4.0,
            k * 25
        );
    }
    let x_of = |i: usize| 50.0 + i as f64 * W;
    for (i, p) in points.iter().enumerate() {
        let h = H * p.requests as f64 / most;
        let _ = write!(
            s,
            r#"<rect x="{}" y="{:.1}" width="{}" height="{h:.1}" class="trend-bar"><title>{}: {} {}</title></rect><text x="{}" y="{}" class="trend-axis" text-anchor="middle">{}</text>"#,
            x_of(i) + 8.0,
            TOP + H - h,
            W - 16.0,
            esc(&p.label),
            esc(l.requests),
            p.requests,
            x_of(i) + W / 2.0,
            TOP + H + 16.0,
            esc(&p.label)
        );
    }
    let line = |s: &mut String, pick: &dyn Fn(&TrendPoint) -> Option<f64>, class: &str| {
        let mut d = String::new();
        let mut pen = false;
        for (i, p) in points.iter().enumerate() {
            match pick(p) {
                Some(v) => {
                    let (x, y) = (x_of(i) + W / 2.0, TOP + H - H * v.clamp(0.0, 100.0) / 100.0);
                    let _ = write!(d, "{}{x:.1},{y:.1} ", if pen { "L" } else { "M" });
                    let _ = write!(s, r#"<circle cx="{x:.1}" cy="{y:.1}" r="3" class="{class}-dot"/>"#);
                    pen = true;
                }
                None => pen = false,
            }
        }
        if !d.is_empty() {
            let _ = write!(s, r#"<path d="{}" class="{class}"/>"#, d.trim_end());
        }
    };
    line(&mut s, &|p| p.index, "trend-index");
    line(&mut s, &|p| p.on_time.map(|v| v * 100.0), "trend-ontime");
    let ly = TOP + H + 40.0;
    let _ = write!(
        s,
        r#"<rect x="50" y="{}" width="12" height="12" class="trend-bar"/><text x="68" y="{ly}" class="trend-axis">{}</text><line x1="200" y1="{}" x2="222" y2="{}" class="trend-index"/><text x="228" y="{ly}" class="trend-axis">{}</text><line x1="400" y1="{}" x2="422" y2="{}" class="trend-ontime"/><text x="428" y="{ly}" class="trend-axis">{}</text>"#,
        ly - 10.0,
        esc(l.requests),
        ly - 4.0,
        ly - 4.0,
        esc(l.index),
        ly - 4.0,
        ly - 4.0,
        esc(l.on_time)
    );
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> FlowLabels<'static> {
        FlowLabels {
            title: "t",
            waiting: "ожидание",
            working: "работа",
            days: "дн.",
            late: "просрочено",
            returns: "возвраты",
            index: "индекс",
        }
    }

    #[test]
    fn a_flow_has_a_box_per_stage_an_arrow_between_and_an_arc_per_return() {
        let st = |name: &str, wait: f64, work: f64| FlowStage {
            name: name.into(),
            visits: 10,
            waiting_days: Some(wait),
            working_days: Some(work),
            breach_share: Some(0.25),
            ..FlowStage::default()
        };
        let stages = [st("Приём <заявления>", 1.0, 1.0), st("Проверка", 3.0, 1.0), st("Решение", 0.5, 0.5)];
        let svg = flow_svg(&stages, &[FlowLoop { from: 2, to: 0, count: 7 }], &labels());
        assert_eq!(svg.matches("class=\"flow-box flow-bad\"").count(), 3, "a quarter late is bad");
        assert_eq!(svg.matches("class=\"flow-step\"").count(), 2);
        assert_eq!(svg.matches("class=\"flow-loop\"").count(), 1);
        assert!(svg.contains("↺ 7"));
        assert!(svg.contains("Приём &lt;заявления&gt;") && !svg.contains("<заявления>"));
        // The longest stage (4 days) fills the bar: its waiting part is 3/4 of 204 px.
        assert!(svg.contains(r#"width="153.0" height="12" class="flow-wait""#), "{svg}");
    }

    #[test]
    fn a_trend_breaks_its_line_where_a_month_has_no_figure() {
        let p = |label: &str, requests, index| TrendPoint { label: label.into(), requests, index, on_time: None };
        let svg = trend_svg(
            &[p("01.26", 10, Some(50.0)), p("02.26", 0, None), p("03.26", 5, Some(80.0)), p("04.26", 20, Some(70.0))],
            &TrendLabels { title: "t", requests: "r", index: "i", on_time: "o" },
        );
        assert_eq!(svg.matches("class=\"trend-bar\"").count(), 5, "four months and the legend");
        assert_eq!(svg.matches("class=\"trend-index-dot\"").count(), 3);
        let path = svg.split("class=\"trend-index\"").next().unwrap().rsplit("d=\"").next().unwrap().to_string();
        assert_eq!(path.matches('M').count(), 2, "a gap starts a new segment: {path}");
        assert!(!svg.contains("trend-ontime-dot"));
    }
}
