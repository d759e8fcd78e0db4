//! The client-centricity index (DESIGN.md §4): six parts, each in 0..=1 with 1 best, and
//! their weighted combination on 0..=100.
//!
//! | part | stage | group (offering, unit, body…) |
//! |---|---|---|
//! | timeliness | 1 − share of finished visits past their due time | 1 − share of closed requests past `due_at` |
//! | waiting | 1 − (queue wait + client wait) ÷ visit time | the same over every visit |
//! | rework | 1 − share of finished visits that ended in a return | 1 − share of requests with a return |
//! | transparency | share of visits the client was told about | the same over every visit |
//! | effort | 1 − min(asks per visit, `max_asks`) ÷ `max_asks` | the same with asks per request |
//! | satisfaction | (mean rating − 1) ÷ 4, ratings of the stage | the same, every rating of the group's requests |
//!
//! An "ask" is a `paused` event: the client was asked for documents or an answer.
//! A rating's value is the mean of the criteria the client scored.
//!
//! **Combination.** `index = 100 × Σ wᵢ·pᵢ ÷ Σ wᵢ`, summed over the parts that have data.
//! A part without data (no due times, no ratings, no visits) is left out and the remaining
//! weights are renormalised, so a missing part neither helps nor hurts; `weight_used` says
//! how much of the configured weight the index rests on. With no part at all there is no
//! index. The weights come from [`Weights`], which reads from TOML or JSON with defaults.

use serde::{Deserialize, Serialize};

/// Weights of the parts and the effort scale. Missing fields take the defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Weights {
    pub timeliness: f64,
    pub waiting: f64,
    pub rework: f64,
    pub transparency: f64,
    pub effort: f64,
    pub satisfaction: f64,
    /// Asks per visit (stage) or per request (group) at which the effort part reaches 0.
    pub max_asks: f64,
}

impl Default for Weights {
    /// Timeliness and satisfaction first (what the client feels most), then waiting and
    /// rework, then transparency and effort.
    fn default() -> Weights {
        Weights { timeliness: 0.25, waiting: 0.15, rework: 0.15, transparency: 0.10, effort: 0.10, satisfaction: 0.25, max_asks: 3.0 }
    }
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum WeightsError {
    #[error("the weight of {0} must be a finite number, 0 or more")]
    Weight(&'static str),
    #[error("at least one weight must be above 0")]
    AllZero,
    #[error("max_asks must be a finite number above 0")]
    MaxAsks,
}

impl Weights {
    fn named(&self) -> [(&'static str, f64); 6] {
        [
            ("timeliness", self.timeliness),
            ("waiting", self.waiting),
            ("rework", self.rework),
            ("transparency", self.transparency),
            ("effort", self.effort),
            ("satisfaction", self.satisfaction),
        ]
    }

    /// Checks a configuration: weights finite and non-negative, not all zero.
    pub fn validate(&self) -> Result<(), WeightsError> {
        for (name, w) in self.named() {
            if !w.is_finite() || w < 0.0 {
                return Err(WeightsError::Weight(name));
            }
        }
        if self.named().iter().all(|(_, w)| *w == 0.0) {
            return Err(WeightsError::AllZero);
        }
        if !self.max_asks.is_finite() || self.max_asks <= 0.0 {
            return Err(WeightsError::MaxAsks);
        }
        Ok(())
    }
}

/// The parts, each in 0..=1 (1 is best), `None` where there is no data.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Parts {
    pub timeliness: Option<f64>,
    pub waiting: Option<f64>,
    pub rework: Option<f64>,
    pub transparency: Option<f64>,
    pub effort: Option<f64>,
    pub satisfaction: Option<f64>,
}

/// The index with its parts.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Centricity {
    /// 0..=100, `None` when no part has data (or every part with data weighs 0).
    pub index: Option<f64>,
    pub parts: Parts,
    /// The sum of the weights of the parts that had data (the index's denominator).
    pub weight_used: f64,
}

/// Combines parts with weights as the module documentation says.
pub fn combine(parts: Parts, w: &Weights) -> Centricity {
    let pairs = [
        (parts.timeliness, w.timeliness),
        (parts.waiting, w.waiting),
        (parts.rework, w.rework),
        (parts.transparency, w.transparency),
        (parts.effort, w.effort),
        (parts.satisfaction, w.satisfaction),
    ];
    let (mut sum, mut weight) = (0.0, 0.0);
    for (p, wi) in pairs {
        if let Some(p) = p {
            sum += wi * p;
            weight += wi;
        }
    }
    let index = (weight > 0.0).then(|| 100.0 * sum / weight);
    Centricity { index, parts, weight_used: weight }
}

/// The effort part for `asks` asks per unit (visit or request).
pub fn effort_part(asks_per_unit: f64, w: &Weights) -> f64 {
    1.0 - asks_per_unit.min(w.max_asks) / w.max_asks
}

/// The satisfaction part of a mean rating on 1..=5.
pub fn satisfaction_part(mean_rating: f64) -> f64 {
    ((mean_rating - 1.0) / 4.0).clamp(0.0, 1.0)
}

/// The five criteria of Government Decree No. 1284 (12.12.2012), in its order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// Время предоставления услуги.
    Time,
    /// Время ожидания в очереди при получении услуги.
    Waiting,
    /// Вежливость и компетентность сотрудника, взаимодействующего с заявителем.
    Politeness,
    /// Комфортность условий в помещении, в котором предоставлена услуга.
    Comfort,
    /// Доступность информации о порядке предоставления услуги.
    Information,
}

impl Criterion {
    pub const ALL: [Criterion; 5] =
        [Criterion::Time, Criterion::Waiting, Criterion::Politeness, Criterion::Comfort, Criterion::Information];

    pub fn code(self) -> &'static str {
        match self {
            Criterion::Time => "time",
            Criterion::Waiting => "waiting",
            Criterion::Politeness => "politeness",
            Criterion::Comfort => "comfort",
            Criterion::Information => "information",
        }
    }
}

/// A score on the 1..=5 scale; no other value can be made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Score(u8);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RatingError {
    #[error("a score is 1 to 5, not {0}")]
    OutOfRange(u8),
    #[error("a rating needs at least one score")]
    Empty,
}

impl TryFrom<u8> for Score {
    type Error = RatingError;
    fn try_from(v: u8) -> Result<Score, RatingError> {
        if (1..=5).contains(&v) {
            Ok(Score(v))
        } else {
            Err(RatingError::OutOfRange(v))
        }
    }
}

impl From<Score> for u8 {
    fn from(s: Score) -> u8 {
        s.0
    }
}

impl Score {
    pub fn get(self) -> u8 {
        self.0
    }
}

/// One client's rating of one request (`stage: None`) or of one stage of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rating {
    /// The case index in the log (see `Log::case_index`).
    pub case: u32,
    /// The stage's activity id in the log (`Log::activity_id`), or `None` for the request.
    pub stage: Option<u32>,
    /// Scores in [`Criterion::ALL`] order; a criterion may be left out (comfort of the
    /// premises means nothing for an e-service).
    pub scores: [Option<Score>; 5],
    /// Internal clients only: "my need was addressed".
    pub need_addressed: Option<bool>,
}

impl Rating {
    /// A rating from raw 1..=5 values, refusing out-of-range values and an empty rating.
    pub fn new(case: u32, stage: Option<u32>, raw: [Option<u8>; 5], need_addressed: Option<bool>) -> Result<Rating, RatingError> {
        let mut scores = [None; 5];
        for (s, r) in scores.iter_mut().zip(raw) {
            *s = r.map(Score::try_from).transpose()?;
        }
        if scores.iter().all(Option::is_none) {
            return Err(RatingError::Empty);
        }
        Ok(Rating { case, stage, scores, need_addressed })
    }

    /// The mean of the scored criteria.
    pub fn mean(&self) -> Option<f64> {
        let (n, sum) = self.scores.iter().flatten().fold((0u32, 0u32), |(n, s), v| (n + 1, s + v.0 as u32));
        (n > 0).then(|| sum as f64 / n as f64)
    }
}

/// Means per criterion (1..=5), `None` where no one scored it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CriteriaMeans {
    pub time: Option<f64>,
    pub waiting: Option<f64>,
    pub politeness: Option<f64>,
    pub comfort: Option<f64>,
    pub information: Option<f64>,
}

/// What the ratings of a stage or a group say.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RatingSummary {
    pub count: u64,
    /// Mean over ratings of each rating's mean score (1..=5).
    pub mean: Option<f64>,
    pub criteria: CriteriaMeans,
    /// Share of 4 and 5 among rating means (GOV.UK "user satisfaction").
    pub satisfied_share: Option<f64>,
    /// Share of "yes" among internal clients who answered "my need was addressed".
    pub need_addressed_share: Option<f64>,
}

/// Running sums behind a [`RatingSummary`].
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct RatingAcc {
    count: u64,
    sum_mean: f64,
    satisfied: u64,
    crit_n: [u64; 5],
    crit_sum: [u64; 5],
    need_yes: u64,
    need_n: u64,
}

impl RatingAcc {
    pub(crate) fn add(&mut self, r: &Rating) {
        let Some(mean) = r.mean() else { return };
        self.count += 1;
        self.sum_mean += mean;
        self.satisfied += (mean >= 4.0) as u64;
        for (i, s) in r.scores.iter().enumerate() {
            if let Some(s) = s {
                self.crit_n[i] += 1;
                self.crit_sum[i] += s.0 as u64;
            }
        }
        if let Some(yes) = r.need_addressed {
            self.need_n += 1;
            self.need_yes += yes as u64;
        }
    }

    pub(crate) fn summary(&self) -> RatingSummary {
        let ratio = |a: u64, b: u64| (b > 0).then(|| a as f64 / b as f64);
        let c = |i: usize| ratio(self.crit_sum[i], self.crit_n[i]);
        RatingSummary {
            count: self.count,
            mean: (self.count > 0).then(|| self.sum_mean / self.count as f64),
            criteria: CriteriaMeans { time: c(0), waiting: c(1), politeness: c(2), comfort: c(3), information: c(4) },
            satisfied_share: ratio(self.satisfied, self.count),
            need_addressed_share: ratio(self.need_yes, self.need_n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn all_parts_combine_with_the_weights() {
        let parts = Parts {
            timeliness: Some(0.8),
            waiting: Some(0.5),
            rework: Some(1.0),
            transparency: Some(0.0),
            effort: Some(0.5),
            satisfaction: Some(0.75),
        };
        // 0.25·0.8 + 0.15·0.5 + 0.15·1 + 0.10·0 + 0.10·0.5 + 0.25·0.75 = 0.6625; weights sum to 1.
        let c = combine(parts.clone(), &Weights::default());
        assert!(close(c.index.unwrap(), 66.25), "{c:?}");
        assert!(close(c.weight_used, 1.0));
        assert_eq!(c.parts, parts);
    }

    #[test]
    fn a_part_without_data_is_left_out_and_the_rest_renormalised() {
        // Only timeliness 0.5 and satisfaction 1.0, equal default weights 0.25 each: 75.
        let parts = Parts { timeliness: Some(0.5), satisfaction: Some(1.0), ..Parts::default() };
        let c = combine(parts, &Weights::default());
        assert!(close(c.index.unwrap(), 75.0));
        assert!(close(c.weight_used, 0.5));
        // Nothing at all: no index.
        assert_eq!(combine(Parts::default(), &Weights::default()).index, None);
        // Data only where the weight is 0: no index either.
        let w = Weights { rework: 0.0, ..Weights::default() };
        assert_eq!(combine(Parts { rework: Some(1.0), ..Parts::default() }, &w).index, None);
    }

    #[test]
    fn effort_and_satisfaction_scales() {
        let w = Weights::default();
        assert!(close(effort_part(0.0, &w), 1.0));
        assert!(close(effort_part(1.5, &w), 0.5));
        assert!(close(effort_part(7.0, &w), 0.0));
        assert!(close(satisfaction_part(1.0), 0.0));
        assert!(close(satisfaction_part(4.0), 0.75));
        assert!(close(satisfaction_part(5.0), 1.0));
    }

    #[test]
    fn weights_read_from_toml_with_defaults_and_are_checked() {
        let w: Weights = toml::from_str("satisfaction = 0.5\nmax_asks = 2").unwrap();
        assert_eq!(w, Weights { satisfaction: 0.5, max_asks: 2.0, ..Weights::default() });
        assert!(w.validate().is_ok());
        assert!(toml::from_str::<Weights>("timelines = 1").is_err(), "a misspelt key is an error");
        assert_eq!(Weights { waiting: -1.0, ..Weights::default() }.validate(), Err(WeightsError::Weight("waiting")));
        let zero = Weights { timeliness: 0.0, waiting: 0.0, rework: 0.0, transparency: 0.0, effort: 0.0, satisfaction: 0.0, max_asks: 3.0 };
        assert_eq!(zero.validate(), Err(WeightsError::AllZero));
        assert_eq!(Weights { max_asks: 0.0, ..Weights::default() }.validate(), Err(WeightsError::MaxAsks));
        let json: Weights = serde_json::from_str(r#"{"rework": 0.3}"#).unwrap();
        assert!(close(json.rework, 0.3));
    }

    #[test]
    fn ratings_refuse_out_of_range_and_summarise() {
        assert_eq!(Rating::new(0, None, [Some(6), None, None, None, None], None), Err(RatingError::OutOfRange(6)));
        assert_eq!(Rating::new(0, None, [Some(0), None, None, None, None], None), Err(RatingError::OutOfRange(0)));
        assert_eq!(Rating::new(0, None, [None; 5], None), Err(RatingError::Empty));
        assert!(serde_json::from_str::<Score>("9").is_err());
        assert_eq!(serde_json::from_str::<Score>("4").unwrap().get(), 4);

        let a = Rating::new(0, None, [Some(5), Some(4), Some(5), None, Some(4)], Some(true)).unwrap();
        let b = Rating::new(1, None, [Some(2), Some(2), None, None, None], Some(false)).unwrap();
        let c = Rating::new(2, None, [Some(3), None, None, None, None], None).unwrap();
        assert_eq!(a.mean(), Some(4.5));
        let mut acc = RatingAcc::default();
        for r in [&a, &b, &c] {
            acc.add(r);
        }
        let s = acc.summary();
        assert_eq!(s.count, 3);
        // Means 4.5, 2, 3 → 9.5 / 3.
        assert!(close(s.mean.unwrap(), 9.5 / 3.0));
        assert!(close(s.criteria.time.unwrap(), 10.0 / 3.0));
        assert!(close(s.criteria.waiting.unwrap(), 3.0));
        assert_eq!(s.criteria.comfort, None);
        assert!(close(s.satisfied_share.unwrap(), 1.0 / 3.0));
        assert!(close(s.need_addressed_share.unwrap(), 0.5));
    }
}
