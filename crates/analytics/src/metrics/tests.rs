use super::*;
use crate::log::{CaseInput, EventInput, LogBuilder};
use crate::Rating;

/// Minutes to milliseconds.
fn m(x: i64) -> i64 {
    x * 60_000
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6 * b.abs().max(1.0)
}

#[track_caller]
fn stat_min(s: &Stat, count: u64, mean: f64, median: f64) {
    assert_eq!(s.count, count, "{s:?}");
    assert!(close(s.mean_ms.unwrap(), m(1) as f64 * mean), "mean {s:?} want {mean} min");
    assert!(close(s.median_ms.unwrap(), m(1) as f64 * median), "median {s:?} want {median} min");
}

struct Case<'a> {
    b: &'a mut LogBuilder,
}

impl Case<'_> {
    fn ev(&mut self, kind: Kind, stage: &str, at_min: i64) -> &mut Self {
        self.b.event(&EventInput::new(kind, stage, m(at_min), "staff")).unwrap();
        self
    }
    fn client(&mut self, kind: Kind, stage: &str, at_min: i64) -> &mut Self {
        self.b.event(&EventInput { by_client: true, ..EventInput::new(kind, stage, m(at_min), "client") }).unwrap();
        self
    }
    fn visible(&mut self, kind: Kind, stage: &str, at_min: i64) -> &mut Self {
        self.b.event(&EventInput { client_visible: true, ..EventInput::new(kind, stage, m(at_min), "staff") }).unwrap();
        self
    }
}

/// Two cases worked out by hand in the comments.
///
/// r1 (offering o1, due at minute 100):
///   a: entered 0, reassigned 10, paused 20, resumed 50 (client), completed 60
///      → queue 10, client 30, work 20, total 60
///   b: entered 60, commented 75, returned 90 → queue 15, work 15, total 30, a return
///   a: entered 90, comment by the client 92 (no start), suspended 100, resumed 130,
///      completed 140 → queue 10, client 30, work 10, total 50
///   b: entered 140, reassigned 150, completed 170 → queue 10, work 20, total 30
///   c: entered 170, completed 200, closed 200 → no staff action before the end: queue 30
///   DFG: a→b 75−60 = 15, b→a 100−90 = 10, a→b 150−140 = 10, b→c 200−170 = 30.
/// r2 (offering o2, no due), created at minute 1000:
///   a: entered 1000, reassigned 1010, completed 1040 → queue 10, work 30, total 40
///   b: entered 1040, still open.
fn two_cases() -> Log {
    let mut b = LogBuilder::new();
    b.begin_case(&CaseInput {
        id: "r1",
        offering: Some("o1"),
        due_at: Some(m(100)),
        channel: Some("web_form"),
        outcome: Some("granted"),
        ..Default::default()
    })
    .unwrap();
    Case { b: &mut b }
        .client(Kind::Created, "a", 0)
        .b
        .event(&EventInput { client_visible: true, by_client: true, ..EventInput::new(Kind::Entered, "a", 0, "client") })
        .unwrap();
    Case { b: &mut b }
        .ev(Kind::Reassigned, "a", 10)
        .visible(Kind::Paused, "a", 20)
        .client(Kind::Resumed, "a", 50)
        .ev(Kind::Completed, "a", 60)
        .ev(Kind::Entered, "b", 60)
        .ev(Kind::Commented, "b", 75)
        .ev(Kind::Returned, "b", 90)
        .ev(Kind::Entered, "a", 90)
        .client(Kind::Commented, "a", 92)
        .visible(Kind::Suspended, "a", 100)
        .ev(Kind::Resumed, "a", 130)
        .ev(Kind::Completed, "a", 140)
        .ev(Kind::Entered, "b", 140)
        .ev(Kind::Reassigned, "b", 150)
        .ev(Kind::Completed, "b", 170)
        .ev(Kind::Entered, "c", 170)
        .ev(Kind::Completed, "c", 200)
        .visible(Kind::Closed, "c", 200);
    b.begin_case(&CaseInput { id: "r2", offering: Some("o2"), channel: Some("api"), ..Default::default() }).unwrap();
    Case { b: &mut b }
        .ev(Kind::Created, "a", 1000)
        .ev(Kind::Entered, "a", 1000)
        .ev(Kind::Reassigned, "a", 1010)
        .ev(Kind::Completed, "a", 1040)
        .ev(Kind::Entered, "b", 1040);
    b.finish()
}

#[test]
fn stage_durations_split_into_queue_client_and_work() {
    let log = two_cases();
    let r = compute(&log, &Query::default());
    assert_eq!(r.groups.len(), 1);
    let g = &r.groups[0];
    assert_eq!(g.key, None);

    let a = g.stage("a").unwrap();
    assert_eq!((a.visits, a.finished), (3, 3));
    stat_min(&a.queue_wait, 3, 10.0, 10.0);
    stat_min(&a.client_wait, 3, 20.0, 30.0);
    stat_min(&a.working, 3, 20.0, 20.0);
    stat_min(&a.duration, 3, 50.0, 50.0);
    assert!(close(a.waiting_share.unwrap(), 90.0 / 150.0));
    assert_eq!((a.returns, a.rework_cases, a.client_asks), (0, 1, 1));

    let b = g.stage("b").unwrap();
    assert_eq!((b.visits, b.finished), (3, 2));
    stat_min(&b.queue_wait, 2, 12.5, 12.5);
    stat_min(&b.client_wait, 2, 0.0, 0.0);
    stat_min(&b.working, 2, 17.5, 17.5);
    stat_min(&b.duration, 2, 30.0, 30.0);
    assert_eq!((b.returns, b.rework_cases), (1, 1));
    assert_eq!(b.return_share, Some(0.5));

    let c = g.stage("c").unwrap();
    stat_min(&c.queue_wait, 1, 30.0, 30.0);
    stat_min(&c.working, 1, 0.0, 0.0);
    assert_eq!(c.rework_cases, 0);

    // Stages come in the order they first appear.
    assert_eq!(g.stages.iter().map(|s| s.stage.as_str()).collect::<Vec<_>>(), ["a", "b", "c"]);
}

#[test]
fn the_performance_dfg_measures_from_end_to_next_work_start() {
    let log = two_cases();
    let g = &compute(&log, &Query::default()).groups[0];
    let ab = g.edge("a", "b").unwrap();
    assert_eq!(ab.count, 2);
    assert!(close(ab.mean_ms.unwrap(), m(1) as f64 * 12.5));
    assert!(close(ab.median_ms.unwrap(), m(1) as f64 * 12.5));
    let ba = g.edge("b", "a").unwrap();
    assert_eq!((ba.count, ba.mean_ms), (1, Some(m(10) as f64)));
    let bc = g.edge("b", "c").unwrap();
    assert_eq!((bc.count, bc.median_ms), (1, Some(m(30) as f64)));
    // r2's open visit of b gives no edge.
    assert_eq!(g.edges.len(), 3);
}

#[test]
fn cases_throughput_breaches_and_rework() {
    let log = two_cases();
    let g = &compute(&log, &Query::default()).groups[0];
    let c = &g.cases;
    assert_eq!((c.cases, c.closed), (2, 1));
    stat_min(&c.throughput, 1, 200.0, 200.0);
    // r1 closed at 200, due 100; r2 has no due.
    assert_eq!((c.with_due, c.breached, c.breach_share), (1, 1, Some(1.0)));
    assert_eq!((c.rework_cases, c.returns), (1, 1));
    assert_eq!((c.client_asks, c.asks_per_case), (1, Some(0.5)));
    assert_eq!(c.visits, 7);
    assert_eq!(c.events["entered"], 7);
    assert_eq!(c.events["closed"], 1);
    assert!(!c.events.contains_key("extended"));
    // Without stage due times, visits are judged against the request's due (minute 100):
    // a ended at 60 and 140, b at 90 and 170, c at 200; r2 has no due.
    let s = |k: &str| {
        let s = g.stage(k).unwrap();
        (s.with_due, s.breached)
    };
    assert_eq!((s("a"), s("b"), s("c")), ((2, 1), (2, 1), (1, 1)));
}

#[test]
fn a_stage_due_on_entered_wins_over_the_case_due() {
    let mut b = LogBuilder::new();
    b.begin_case(&CaseInput { id: "r", due_at: Some(m(1000)), ..Default::default() }).unwrap();
    b.event(&EventInput::new(Kind::Created, "a", 0, "x")).unwrap();
    b.event(&EventInput { stage_due: Some(m(30)), ..EventInput::new(Kind::Entered, "a", 0, "x") }).unwrap();
    b.event(&EventInput::new(Kind::Completed, "a", m(40), "x")).unwrap();
    b.event(&EventInput { stage_due: Some(m(100)), ..EventInput::new(Kind::Entered, "b", m(40), "x") }).unwrap();
    b.event(&EventInput::new(Kind::Completed, "b", m(90), "x")).unwrap();
    b.event(&EventInput::new(Kind::Closed, "b", m(90), "x")).unwrap();
    let log = b.finish();
    let g = &compute(&log, &Query::default()).groups[0];
    assert_eq!(g.stage("a").unwrap().breach_share, Some(1.0));
    assert_eq!(g.stage("b").unwrap().breach_share, Some(0.0));
    assert_eq!(g.cases.breach_share, Some(0.0));
}

#[test]
fn transparency_counts_visible_events_and_visible_stages() {
    let log = two_cases();
    // a: r1's first visit (visible entry) and second (visible suspension); r2's visit has
    // no visible event. b: none. c: its only visible event (closed) came after the visit.
    let g = &compute(&log, &Query::default()).groups[0];
    assert_eq!(g.stage("a").unwrap().transparent, 2);
    assert_eq!(g.stage("b").unwrap().transparency, Some(0.0));
    assert_eq!(g.stage("c").unwrap().transparency, Some(0.0));
    let q = Query { visible_stages: &["c"], ..Query::default() };
    let g = &compute(&log, &q).groups[0];
    assert_eq!(g.stage("c").unwrap().transparency, Some(1.0));
    assert!(close(g.cases.transparency.unwrap(), 3.0 / 7.0));
}

#[test]
fn filters_and_groups() {
    let log = two_cases();
    let by_offering = compute(&log, &Query { group_by: Some(Attr::Offering), ..Query::default() });
    assert_eq!(by_offering.groups.iter().map(|g| g.key.clone().unwrap()).collect::<Vec<_>>(), ["o1", "o2"]);
    let o2 = by_offering.group(Some("o2")).unwrap();
    assert_eq!((o2.cases.cases, o2.stage("a").unwrap().finished), (1, 1));
    assert!(o2.edges.is_empty());
    let o1 = by_offering.group(Some("o1")).unwrap();
    assert_eq!(o1.edge("a", "b").unwrap().count, 2);
    // Cases by channel per group (what digital take-up is made of).
    assert_eq!(o1.cases.channels, BTreeMap::from([("web_form".to_string(), 1)]));
    assert_eq!(o2.cases.channels, BTreeMap::from([("api".to_string(), 1)]));
    let whole = compute(&log, &Query::default());
    assert_eq!(whole.groups[0].cases.channels.values().sum::<u64>(), 2);
    stat_min(&o1.stage("a").unwrap().queue_wait, 2, 10.0, 10.0);

    assert_eq!(o1.cases.outcomes, BTreeMap::from([("granted".to_string(), 1)]));
    assert!(o2.cases.outcomes.is_empty(), "r2 is still open");

    // Filter by offering, and by channel: the same single case.
    let only = compute(&log, &Query { offering: Some("o2"), ..Query::default() });
    assert_eq!(only.groups.len(), 1);
    assert_eq!(only.groups[0].cases.cases, 1);
    assert_eq!(compute(&log, &Query { channel: Some("api"), ..Query::default() }).groups[0].cases, only.groups[0].cases);
    // An unknown value matches nothing; so does a filter that excludes every case.
    assert!(compute(&log, &Query { offering: Some("nope"), ..Query::default() }).groups.is_empty());
    assert!(compute(&log, &Query { offering: Some("o1"), channel: Some("api"), ..Query::default() }).groups.is_empty());

    // Period on created_at: [from, to).
    let late = compute(&log, &Query { from: Some(m(1000)), ..Query::default() });
    assert_eq!(late.groups[0].cases.cases, 1);
    let early = compute(&log, &Query { to: Some(m(1000)), ..Query::default() });
    assert_eq!(early.groups[0].cases.cases, 1);
    assert_eq!(early.groups[0].cases.closed, 1);

    // Grouping by an attribute some cases lack: those cases form the `None` group.
    let by_unit = compute(&log, &Query { group_by: Some(Attr::Unit), ..Query::default() });
    assert_eq!(by_unit.groups.len(), 1);
    assert_eq!(by_unit.groups[0].key, None);
    assert_eq!(by_unit.groups[0].cases.cases, 2);
}

#[test]
fn centricity_of_a_stage_by_hand() {
    let log = two_cases();
    let a = log.activity_id("a").unwrap();
    let ratings = [
        Rating::new(0, Some(a), [Some(5), Some(4), None, None, Some(3)], None).unwrap(),
        // r2's rating of the whole request, and one for a case outside the filter below.
        Rating::new(1, None, [Some(2); 5], None).unwrap(),
    ];
    let g = &compute(&log, &Query { ratings: &ratings, ..Query::default() }).groups[0];
    let s = g.stage("a").unwrap();
    let p = &s.centricity.parts;
    // timeliness 1 − 1/2; waiting 1 − 90/150; no returns at a; transparency 2/3;
    // effort 1 − (1 ask / 3 visits) / 3; satisfaction (4 − 1) / 4.
    assert!(close(p.timeliness.unwrap(), 0.5));
    assert!(close(p.waiting.unwrap(), 0.4));
    assert!(close(p.rework.unwrap(), 1.0));
    assert!(close(p.transparency.unwrap(), 2.0 / 3.0));
    assert!(close(p.effort.unwrap(), 8.0 / 9.0));
    assert!(close(p.satisfaction.unwrap(), 0.75));
    let want = 100.0 * (0.25 * 0.5 + 0.15 * 0.4 + 0.15 + 0.10 * (2.0 / 3.0) + 0.10 * (8.0 / 9.0) + 0.25 * 0.75);
    assert!(close(s.centricity.index.unwrap(), want), "{:?} vs {want}", s.centricity);
    assert_eq!(s.ratings.count, 1);
    assert_eq!(s.ratings.criteria.waiting, Some(4.0));
    // b has no ratings: satisfaction is left out and the rest renormalised.
    let b = g.stage("b").unwrap();
    assert_eq!(b.centricity.parts.satisfaction, None);
    assert!(close(b.centricity.weight_used, 0.75));
    // The group sees both ratings: means 4 and 2.
    assert_eq!(g.ratings.count, 2);
    assert!(close(g.ratings.mean.unwrap(), 3.0));
    // Group parts: one late request of one with a due; one of two with a return.
    let gp = &g.centricity.parts;
    assert!(close(gp.timeliness.unwrap(), 0.0));
    assert!(close(gp.rework.unwrap(), 0.5));
    assert!(close(gp.effort.unwrap(), 1.0 - 0.5 / 3.0));
    // Ratings of cases outside the query are ignored.
    let g2 = &compute(&log, &Query { ratings: &ratings, offering: Some("o1"), ..Query::default() }).groups[0];
    assert_eq!(g2.ratings.count, 1);
}

/// A small deterministic generator of random logs for the property tests: five stages in
/// a line, returns to earlier stages, pauses, suspensions, comments by either side.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const STAGES: [&str; 5] = ["s0", "s1", "s2", "s3", "s4"];

/// `closed_all`: every case ends closed. `work_at_creation`: the first visit starts work
/// at creation (what the lifecycle view can carry).
pub(crate) fn random_log(seed: u64, cases: usize, closed_all: bool, work_at_creation: bool) -> Log {
    let mut rng = Rng(seed | 1);
    let mut b = LogBuilder::new();
    let offerings = ["o1", "o2", "o3"];
    let mut id = String::new();
    for c in 0..cases {
        id.clear();
        id.push_str(&format!("case{c:05}"));
        let due = (rng.below(3) > 0).then(|| rng.below(5000) as i64 * 1000);
        b.begin_case(&CaseInput {
            id: &id,
            offering: Some(offerings[rng.below(3) as usize]),
            unit: (rng.below(4) > 0).then_some(["u1", "u2"][rng.below(2) as usize]),
            due_at: due,
            ..Default::default()
        })
        .unwrap();
        let mut t = rng.below(10_000) as i64 * 1000;
        let ev = |b: &mut LogBuilder, kind: Kind, stage: &str, t: i64, by_client: bool, rng: &mut Rng| {
            let e = EventInput {
                client_visible: rng.below(3) == 0,
                by_client,
                stage_due: (kind == Kind::Entered && rng.below(4) == 0).then(|| t + rng.below(400) as i64 * 1000),
                ..EventInput::new(kind, stage, t, if by_client { "client" } else { "staff" })
            };
            b.event(&e).unwrap();
        };
        let mut pos = 0usize;
        ev(&mut b, Kind::Created, STAGES[0], t, true, &mut rng);
        ev(&mut b, Kind::Entered, STAGES[0], t, false, &mut rng);
        if work_at_creation {
            ev(&mut b, Kind::Reassigned, STAGES[0], t, false, &mut rng);
        }
        let mut steps = 0;
        loop {
            steps += 1;
            let s = STAGES[pos];
            t += rng.below(300) as i64 * 1000;
            if rng.below(4) == 0 {
                ev(&mut b, Kind::Commented, s, t, true, &mut rng);
                t += rng.below(50) as i64 * 1000;
            }
            match rng.below(5) {
                0 => {}
                1 => ev(&mut b, Kind::Commented, s, t, false, &mut rng),
                _ => ev(&mut b, Kind::Reassigned, s, t, false, &mut rng),
            }
            for _ in 0..rng.below(3) {
                t += rng.below(100) as i64 * 1000;
                let kind = if rng.below(3) == 0 { Kind::Suspended } else { Kind::Paused };
                ev(&mut b, kind, s, t, false, &mut rng);
                t += rng.below(500) as i64 * 1000;
                ev(&mut b, Kind::Resumed, s, t, rng.below(2) == 0, &mut rng);
            }
            t += rng.below(400) as i64 * 1000;
            if !closed_all && rng.below(12) == 0 {
                break; // left open mid-visit
            }
            if pos == STAGES.len() - 1 || steps > 12 {
                ev(&mut b, Kind::Completed, s, t, false, &mut rng);
                ev(&mut b, Kind::Closed, s, t, false, &mut rng);
                break;
            }
            if pos > 0 && rng.below(5) == 0 {
                ev(&mut b, Kind::Returned, s, t, false, &mut rng);
                pos = rng.below(pos as u64) as usize;
            } else {
                ev(&mut b, Kind::Completed, s, t, false, &mut rng);
                pos += 1;
            }
            ev(&mut b, Kind::Entered, STAGES[pos], t, false, &mut rng);
        }
    }
    b.finish()
}

/// The additive figures of a report, stage by stage and edge by edge.
fn counts(r: &Report) -> BTreeMap<String, i128> {
    let mut out = BTreeMap::new();
    let mut add = |k: String, v: i128| *out.entry(k).or_insert(0) += v;
    for g in &r.groups {
        let c = &g.cases;
        add("cases".into(), c.cases as i128);
        add("closed".into(), c.closed as i128);
        add("with_due".into(), c.with_due as i128);
        add("breached".into(), c.breached as i128);
        add("returns".into(), c.returns as i128);
        add("rework_cases".into(), c.rework_cases as i128);
        add("asks".into(), c.client_asks as i128);
        add("throughput_sum".into(), (c.throughput.mean_ms.unwrap_or(0.0) * c.throughput.count as f64).round() as i128);
        for (k, n) in &c.events {
            add(format!("events {k}"), *n as i128);
        }
        for s in &g.stages {
            let n = s.finished as f64;
            for (what, v) in [
                ("visits", s.visits as i128),
                ("finished", s.finished as i128),
                ("returns", s.returns as i128),
                ("rework_cases", s.rework_cases as i128),
                ("with_due", s.with_due as i128),
                ("breached", s.breached as i128),
                ("transparent", s.transparent as i128),
                ("asks", s.client_asks as i128),
                ("queue_sum", (s.queue_wait.mean_ms.unwrap_or(0.0) * n).round() as i128),
                ("client_sum", (s.client_wait.mean_ms.unwrap_or(0.0) * n).round() as i128),
                ("work_sum", (s.working.mean_ms.unwrap_or(0.0) * n).round() as i128),
            ] {
                add(format!("{} {what}", s.stage), v);
            }
        }
        for e in &g.edges {
            add(format!("{}>{} count", e.from, e.to), e.count as i128);
            add(format!("{}>{} sum", e.from, e.to), (e.mean_ms.unwrap_or(0.0) * e.count as f64).round() as i128);
        }
    }
    out
}

fn sum_maps(a: BTreeMap<String, i128>, b: BTreeMap<String, i128>) -> BTreeMap<String, i128> {
    let mut out = a;
    for (k, v) in b {
        *out.entry(k).or_insert(0) += v;
    }
    out.retain(|_, v| *v != 0);
    out
}

fn nonzero(mut m: BTreeMap<String, i128>) -> BTreeMap<String, i128> {
    m.retain(|_, v| *v != 0);
    m
}

#[test]
fn counts_of_a_log_are_the_sums_over_its_split_halves() {
    for seed in [1u64, 7, 99, 2024] {
        let log = random_log(seed, 400, false, false);
        let whole = nonzero(counts(&compute(&log, &Query::default())));
        assert!(whole["cases"] == 400 && whole.len() > 30, "{whole:?}");
        // Split by period of creation.
        let mid = 5_000_000;
        let a = counts(&compute(&log, &Query { to: Some(mid), ..Query::default() }));
        let b = counts(&compute(&log, &Query { from: Some(mid), ..Query::default() }));
        assert_eq!(sum_maps(a, b), whole, "seed {seed}: period halves");
        // Split by groups: the per-offering reports add up to the whole.
        let grouped = nonzero(counts(&compute(&log, &Query { group_by: Some(Attr::Offering), ..Query::default() })));
        assert_eq!(grouped, whole, "seed {seed}: groups");
        // Split into two logs built separately (first half of the cases, second half).
        let (first, second) = halves(&log);
        assert_eq!(
            sum_maps(counts(&compute(&first, &Query::default())), counts(&compute(&second, &Query::default()))),
            whole,
            "seed {seed}: two logs"
        );
    }
}

/// Rebuilds two logs from the first and second half of a log's cases.
fn halves(log: &Log) -> (Log, Log) {
    let n = log.cases() as u32;
    let build = |cases: std::ops::Range<u32>| {
        let mut b = LogBuilder::new();
        for c in cases {
            let v = log.case(c);
            b.begin_case(&CaseInput {
                id: v.id,
                offering: v.offering,
                variant: v.variant,
                unit: v.unit,
                body: v.body,
                channel: v.channel,
                outcome: v.outcome,
                due_at: v.due_at,
            })
            .unwrap();
            for i in v.events {
                let e = log.event(i);
                b.event(&EventInput {
                    kind: e.kind,
                    stage: e.stage,
                    at: e.at,
                    resource: e.resource,
                    client_visible: e.client_visible,
                    by_client: e.by_client,
                    stage_due: e.stage_due,
                })
                .unwrap();
            }
        }
        b.finish()
    };
    (build(0..n / 2), build(n / 2..n))
}

#[test]
fn every_visit_splits_exactly_and_nothing_is_negative() {
    let log = random_log(42, 600, false, false);
    for g in &compute(&log, &Query { group_by: Some(Attr::Offering), ..Query::default() }).groups {
        for s in &g.stages {
            let (q, c, w, t) =
                (s.queue_wait.mean_ms.unwrap(), s.client_wait.mean_ms.unwrap(), s.working.mean_ms.unwrap(), s.duration.mean_ms.unwrap());
            assert!(close(q + c + w, t), "{s:?}");
            for st in [&s.queue_wait, &s.client_wait, &s.working, &s.duration] {
                assert!(st.median_ms.unwrap() >= 0.0 && st.mean_ms.unwrap() >= 0.0, "{s:?}");
            }
            assert!(s.finished <= s.visits && s.returns <= s.finished && s.breached <= s.with_due);
            let idx = s.centricity.index.unwrap();
            assert!((0.0..=100.0).contains(&idx));
        }
        for e in &g.edges {
            assert!(e.median_ms.unwrap() >= 0.0);
        }
    }
}

#[test]
fn medians_match_a_naive_computation() {
    let log = random_log(5, 300, false, false);
    let g = &compute(&log, &Query::default()).groups[0];
    // Recompute the edge durations naively from the definitions, with vectors.
    let mut naive: BTreeMap<(String, String), Vec<i64>> = BTreeMap::new();
    for c in 0..log.cases() as u32 {
        let v = log.case(c);
        let evs: Vec<_> = v.events.map(|i| log.event(i)).collect();
        let mut prev: Option<(String, i64)> = None;
        let mut i = 0;
        while i < evs.len() {
            if evs[i].kind != Kind::Entered {
                i += 1;
                continue;
            }
            let stage = evs[i].stage.to_string();
            let mut start = None;
            let mut j = i + 1;
            let mut end = None;
            while j < evs.len() {
                let e = &evs[j];
                match e.kind {
                    Kind::Completed | Kind::Returned | Kind::Closed => {
                        end = Some(e.at);
                        break;
                    }
                    Kind::Entered => break,
                    Kind::Created => {}
                    Kind::Paused | Kind::Suspended | Kind::Started => {
                        start.get_or_insert(e.at);
                    }
                    _ if !e.by_client => {
                        start.get_or_insert(e.at);
                    }
                    _ => {}
                }
                j += 1;
            }
            let Some(end) = end else { break };
            let start = start.unwrap_or(end);
            if let Some((p, pend)) = prev.take() {
                naive.entry((p, stage.clone())).or_default().push(start - pend);
            }
            prev = Some((stage, end));
            i = j + 1;
        }
    }
    assert_eq!(naive.len(), g.edges.len());
    for ((a, b), mut v) in naive {
        let e = g.edge(&a, &b).unwrap();
        assert_eq!(e.count, v.len() as u64);
        v.sort();
        let n = v.len();
        let med = if n % 2 == 1 { v[n / 2] as f64 } else { (v[n / 2 - 1] + v[n / 2]) as f64 / 2.0 };
        assert_eq!(e.median_ms, Some(med), "{a}>{b}");
        let mean = v.iter().sum::<i64>() as f64 / n as f64;
        assert!(close(e.mean_ms.unwrap(), mean));
    }
}

#[test]
fn an_empty_log_or_selection_gives_no_groups() {
    let log = LogBuilder::new().finish();
    assert!(compute(&log, &Query::default()).groups.is_empty());
    let log = two_cases();
    assert!(compute(&log, &Query { from: Some(m(5000)), ..Query::default() }).groups.is_empty());
}

#[test]
fn the_report_serialises_for_the_api() {
    let log = two_cases();
    let json = serde_json::to_value(compute(&log, &Query::default())).unwrap();
    let a = &json["groups"][0]["stages"][0];
    assert_eq!(a["stage"], "a");
    assert_eq!(a["queue_wait"]["median_ms"], 600_000.0);
    assert!(a["centricity"]["parts"]["satisfaction"].is_null());
    assert_eq!(json["groups"][0]["cases"]["events"]["entered"], 7);
}
