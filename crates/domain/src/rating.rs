//! A client's rating of a request or of one stage of it, on the five criteria of
//! Government Decree No. 1284 (12.12.2012, «Об оценке гражданами эффективности
//! деятельности руководителей…»): each 1 to 5 with the official-style labels, plus, for
//! internal clients, "my need was addressed", and a free comment.
//!
//! The criteria codes are the ones `okno_analytics::centricity::Criterion` uses, in the
//! same order, so stored ratings feed the index without a mapping table.

use crate::Invalid;
use serde::{Deserialize, Serialize};

string_enum! {
    /// One criterion of Decree No. 1284.
    pub enum Criterion {
        Time = "time",
        Waiting = "waiting",
        Politeness = "politeness",
        Comfort = "comfort",
        Information = "information",
    }
}

impl Criterion {
    /// The criterion as the decree words it.
    pub fn official_name(self) -> &'static str {
        match self {
            Criterion::Time => "Время предоставления услуги",
            Criterion::Waiting => "Время ожидания в очереди при получении услуги",
            Criterion::Politeness => "Вежливость и компетентность сотрудника, взаимодействующего с заявителем",
            Criterion::Comfort => "Комфортность условий в помещении, в котором предоставлена услуга",
            Criterion::Information => "Доступность информации о порядке предоставления услуги",
        }
    }
}

/// The scale's labels, 1 to 5.
pub const SCALE: [&str; 5] = ["очень плохо", "плохо", "удовлетворительно", "хорошо", "отлично"];

/// The label of a score on the 1–5 scale; `None` outside it.
pub fn scale_label(score: u8) -> Option<&'static str> {
    SCALE.get(usize::from(score).wrapping_sub(1)).copied()
}

/// A comment is at most this many characters.
pub const COMMENT_MAX: usize = 2000;
/// A rating can be changed for this long after it was first given; then it is locked.
pub const EDIT_WINDOW_MS: i64 = 14 * 86_400_000;
/// A score at or below this opens a follow-up for the service owner.
pub const FOLLOWUP_AT_OR_BELOW: u8 = 2;

/// A score as sent: a number, or text from a form ("5", "five"), checked by `validate`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum RawScore {
    Whole(i64),
    Fraction(f64),
    Text(String),
    /// Anything else (true, a list): refused as not a score.
    Other(serde::de::IgnoredAny),
}

impl From<i64> for RawScore {
    fn from(v: i64) -> Self {
        RawScore::Whole(v)
    }
}

impl From<&str> for RawScore {
    fn from(v: &str) -> Self {
        RawScore::Text(v.into())
    }
}

/// A rating as given, before it is checked: scores as the client sent them, any text.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, utoipa::ToSchema)]
pub struct RatingInput {
    /// The stage rated: its key, or empty (or absent) for the whole request.
    #[serde(default)]
    pub stage: String,
    /// Scores by criterion code (`time`, `waiting`, `politeness`, `comfort`,
    /// `information`): 1 «очень плохо» … 5 «отлично». A criterion may be left out.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub scores: std::collections::BTreeMap<String, Option<RawScore>>,
    /// Internal clients: was the need addressed?
    #[serde(default)]
    pub need_addressed: Option<bool>,
    #[serde(default)]
    pub comment: String,
}

/// A checked rating: scores in [`Criterion::ALL`] order, each 1–5 or absent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rating {
    pub stage: String,
    pub scores: [Option<u8>; 5],
    pub need_addressed: Option<bool>,
    pub comment: String,
}

impl Rating {
    /// Whether this rating asks the service owner to look again.
    pub fn is_negative(&self) -> bool {
        self.scores.iter().flatten().any(|s| *s <= FOLLOWUP_AT_OR_BELOW) || self.need_addressed == Some(false)
    }
}

fn score(field: &str, v: &Option<RawScore>, e: &mut Invalid) -> Option<u8> {
    let n = match v {
        None => return None,
        Some(RawScore::Whole(n)) => Some(*n),
        Some(RawScore::Text(s)) if s.trim().is_empty() => return None,
        Some(RawScore::Text(s)) => s.trim().parse::<i64>().ok(),
        Some(RawScore::Fraction(_) | RawScore::Other(_)) => None,
    };
    match n {
        Some(n @ 1..=5) => Some(n as u8),
        Some(n) => {
            e.push(field, "out_of_range", format!("a score is 1 («очень плохо») to 5 («отлично»), not {n}"));
            None
        }
        None => {
            e.push(field, "not_a_score", "a score is a whole number from 1 («очень плохо») to 5 («отлично»)");
            None
        }
    }
}

impl RatingInput {
    /// Checks every part and reports every problem at once, each naming its field
    /// (`scores.time`, `comment`, …).
    pub fn validate(&self) -> Result<Rating, Invalid> {
        let mut e = Invalid::default();
        let mut scores = [None; 5];
        for (k, v) in &self.scores {
            let field = format!("scores.{k}");
            match Criterion::from_code(k) {
                Some(c) => {
                    let i = Criterion::ALL.iter().position(|x| *x == c).expect("listed");
                    scores[i] = score(&field, v, &mut e);
                }
                None => e.push(field, "unknown_criterion", "the criteria are time, waiting, politeness, comfort and information"),
            }
        }
        let comment = self.comment.trim().to_string();
        if comment.chars().count() > COMMENT_MAX {
            e.push("comment", "too_long", format!("the comment must be at most {COMMENT_MAX} characters"));
        }
        if comment.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
            e.push("comment", "control_chars", "the comment has characters that cannot be shown");
        }
        if e.is_empty() && scores.iter().all(Option::is_none) && self.need_addressed.is_none() {
            e.push("scores", "empty_rating", "give a score on at least one criterion");
        }
        let stage = self.stage.trim().to_string();
        if stage.chars().count() > 100 {
            e.push("stage", "unknown_stage", "no such stage");
        }
        e.into_result()?;
        Ok(Rating { stage, scores, need_addressed: self.need_addressed, comment })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(scores: &[(&str, Option<RawScore>)]) -> RatingInput {
        RatingInput { scores: scores.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(), ..Default::default() }
    }

    #[test]
    fn a_good_rating_passes_in_criterion_order() {
        let r = input(&[("information", Some(4.into())), ("time", Some("5".into())), ("comfort", None)]).validate().unwrap();
        assert_eq!(r.scores, [Some(5), None, None, None, Some(4)]);
        assert!(!r.is_negative());
        assert!(input(&[("waiting", Some(2.into()))]).validate().unwrap().is_negative());
    }

    #[test]
    fn bad_scores_are_named_by_field() {
        let e = input(&[
            ("time", Some(0.into())),
            ("waiting", Some(6.into())),
            ("politeness", Some("five".into())),
            ("comfort", Some(RawScore::Fraction(4.5))),
            ("mood", Some(3.into())),
        ])
        .validate()
        .unwrap_err();
        let got: Vec<(&str, &str)> = e.0.iter().map(|f| (f.field.as_str(), f.code)).collect();
        assert_eq!(
            got,
            vec![
                ("scores.comfort", "not_a_score"),
                ("scores.mood", "unknown_criterion"),
                ("scores.politeness", "not_a_score"),
                ("scores.time", "out_of_range"),
                ("scores.waiting", "out_of_range"),
            ]
        );
    }

    #[test]
    fn empty_and_long_inputs_are_refused() {
        assert_eq!(input(&[]).validate().unwrap_err().0[0].code, "empty_rating");
        let long = RatingInput { comment: "я".repeat(COMMENT_MAX + 1), ..input(&[("time", Some(3.into()))]) };
        assert_eq!(long.validate().unwrap_err().0[0].field, "comment");
        let internal = RatingInput { need_addressed: Some(false), ..Default::default() };
        assert!(internal.validate().unwrap().is_negative());
    }

    #[test]
    fn the_scale_has_official_labels() {
        assert_eq!(scale_label(1), Some("очень плохо"));
        assert_eq!(scale_label(5), Some("отлично"));
        assert_eq!(scale_label(0), None);
        assert_eq!(scale_label(6), None);
        let codes: Vec<&str> = Criterion::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(codes, ["time", "waiting", "politeness", "comfort", "information"]);
    }
}
