//! The editor's draft: the whole chain as the form holds it, every value still text, so
//! that what someone typed comes back exactly as typed when the draft is refused or an
//! operation (add, remove, move) redraws the page.
//!
//! Stages carry a row id (`rid`) besides their key: returns point at rows, not keys, so
//! renaming or moving a stage keeps the returns that point at it.

use crate::pages::forms::FormData;
use okno_domain::calendar::{DeadlineRule, DeadlineUnit};
use okno_domain::chain::form::MAX_FIELDS;
use okno_domain::chain::{ActorKind, Chain, FieldKind, FormField, Stage, Variant, MAX_STAGES, MAX_VARIANTS};
use okno_domain::{Id, Invalid};

/// A term as typed: amount, unit code and citation. A blank amount means no term.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    pub amount: String,
    pub unit: String,
    pub citation: String,
}

impl Default for Term {
    fn default() -> Self {
        // Most terms in regulations are in working days: one field less to set.
        Term { amount: String::new(), unit: DeadlineUnit::WorkingDays.code().into(), citation: String::new() }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StageDraft {
    pub rid: u32,
    pub key: String,
    pub name: String,
    /// `unit:<id>`, `employee:<id>`, `other_body` or `institution`; blank when not chosen.
    pub actor: String,
    pub actor_name: String,
    /// For another body or an institution: the unit of ours that answers for the stage.
    pub via_unit: String,
    pub role: String,
    pub deadline: Term,
    pub client_sees: String,
    pub waits: bool,
    /// Row ids of earlier stages.
    pub returns: Vec<u32>,
    pub refuse: bool,
    pub suspend: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VariantDraft {
    pub key: String,
    pub name: String,
    pub applicant: String,
    pub total: Term,
    pub max_extensions: String,
    pub extension_days: String,
    pub stages: Vec<StageDraft>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldDraft {
    pub key: String,
    pub label: String,
    pub hint: String,
    pub kind: String,
    pub required: bool,
    /// One option per line.
    pub options: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    pub variants: Vec<VariantDraft>,
    pub fields: Vec<FieldDraft>,
}

fn term_of(rule: &Option<DeadlineRule>) -> Term {
    match rule {
        Some(r) => Term { amount: r.amount.to_string(), unit: r.unit.code().into(), citation: r.citation.clone() },
        None => Term::default(),
    }
}

fn count(n: u32) -> String {
    if n == 0 {
        String::new()
    } else {
        n.to_string()
    }
}

impl Draft {
    pub fn from_chain(c: &Chain) -> Draft {
        let variants = c
            .variants
            .iter()
            .map(|v| {
                let rid_of = |key: &str| v.stage_index(key).map(|i| i as u32 + 1);
                VariantDraft {
                    key: v.key.clone(),
                    name: v.name.clone(),
                    applicant: v.applicant.clone(),
                    total: term_of(&v.total_deadline),
                    max_extensions: count(v.max_extensions),
                    extension_days: count(v.extension_days),
                    stages: v
                        .stages
                        .iter()
                        .enumerate()
                        .map(|(i, s)| StageDraft {
                            rid: i as u32 + 1,
                            key: s.key.clone(),
                            name: s.name.clone(),
                            actor: match s.actor_kind {
                                ActorKind::Unit => s.unit_id.map(|u| format!("unit:{u}")).unwrap_or_default(),
                                ActorKind::Employee => s.employee_id.map(|e| format!("employee:{e}")).unwrap_or_default(),
                                other => other.code().to_string(),
                            },
                            actor_name: s.actor_name.clone(),
                            via_unit: match s.actor_kind {
                                ActorKind::OtherBody | ActorKind::Institution => s.unit_id.map(|u| u.to_string()).unwrap_or_default(),
                                _ => String::new(),
                            },
                            role: s.role.clone(),
                            deadline: term_of(&s.deadline),
                            client_sees: s.client_sees.clone(),
                            waits: s.waits_for_client,
                            returns: s.may_return_to.iter().filter_map(|k| rid_of(k)).collect(),
                            refuse: s.may_refuse,
                            suspend: s.may_suspend,
                        })
                        .collect(),
                }
            })
            .collect();
        let fields = c
            .form
            .iter()
            .map(|f| FieldDraft {
                key: f.key.clone(),
                label: f.label.clone(),
                hint: f.hint.clone(),
                kind: f.kind.code().into(),
                required: f.required,
                options: f.options.join("\n"),
            })
            .collect();
        let mut d = Draft { variants, fields };
        d.normalise();
        d
    }

    /// Reads the posted editor. Rows are found by their first input, so the form needs
    /// no counters; the limits bound the reading whatever is posted.
    pub fn from_form(f: &FormData) -> Draft {
        let present = |name: &str| f.0.iter().any(|(k, _)| k == name);
        let term = |p: &str| Term {
            amount: f.get(&format!("{p}_amount")).into(),
            unit: f.get(&format!("{p}_unit")).into(),
            citation: f.get(&format!("{p}_citation")).into(),
        };
        let mut variants = Vec::new();
        for vi in 0..MAX_VARIANTS {
            let p = format!("v{vi}");
            if !present(&format!("{p}.key")) {
                break;
            }
            let mut stages = Vec::new();
            for si in 0..MAX_STAGES {
                let sp = format!("{p}.s{si}");
                if !present(&format!("{sp}.rid")) {
                    break;
                }
                let g = |leaf: &str| f.get(&format!("{sp}.{leaf}")).to_string();
                stages.push(StageDraft {
                    rid: f.get(&format!("{sp}.rid")).trim().parse().unwrap_or(0),
                    key: g("key"),
                    name: g("name"),
                    actor: g("actor"),
                    actor_name: g("actor_name"),
                    via_unit: g("via_unit"),
                    role: g("role"),
                    deadline: term(&format!("{sp}.deadline")),
                    client_sees: g("client_sees"),
                    waits: !f.get(&format!("{sp}.waits_for_client")).is_empty(),
                    returns: f.all(&format!("{sp}.may_return_to")).iter().filter_map(|r| r.trim().parse().ok()).collect(),
                    refuse: !f.get(&format!("{sp}.may_refuse")).is_empty(),
                    suspend: !f.get(&format!("{sp}.may_suspend")).is_empty(),
                });
            }
            let g = |leaf: &str| f.get(&format!("{p}.{leaf}")).to_string();
            variants.push(VariantDraft {
                key: g("key"),
                name: g("name"),
                applicant: g("applicant"),
                total: term(&format!("{p}.total")),
                max_extensions: g("max_extensions"),
                extension_days: g("extension_days"),
                stages,
            });
        }
        let mut fields = Vec::new();
        for fi in 0..MAX_FIELDS {
            let p = format!("f{fi}");
            if !present(&format!("{p}.key")) {
                break;
            }
            let g = |leaf: &str| f.get(&format!("{p}.{leaf}")).to_string();
            fields.push(FieldDraft {
                key: g("key"),
                label: g("label"),
                hint: g("hint"),
                kind: g("kind"),
                required: !g("required").is_empty(),
                options: g("options"),
            });
        }
        let mut d = Draft { variants, fields };
        d.normalise();
        d
    }

    /// Row ids unique within each variant, and returns only to earlier rows: after a move a
    /// return to a stage now below is no longer offered, so it is not kept either.
    fn normalise(&mut self) {
        for v in &mut self.variants {
            let mut seen: Vec<u32> = Vec::new();
            let mut next = v.stages.iter().map(|s| s.rid).max().unwrap_or(0) + 1;
            for s in &mut v.stages {
                if s.rid == 0 || seen.contains(&s.rid) {
                    s.rid = next;
                    next += 1;
                }
                seen.push(s.rid);
            }
            for (i, s) in v.stages.iter_mut().enumerate() {
                let earlier = &seen[..i];
                let mut kept: Vec<u32> = Vec::new();
                for r in &s.returns {
                    if earlier.contains(r) && !kept.contains(r) {
                        kept.push(*r);
                    }
                }
                s.returns = kept;
            }
        }
    }

    /// An empty variant with one empty stage, for a chain started from nothing.
    pub fn starter() -> Draft {
        let mut d = Draft::default();
        d.apply("add_variant");
        d
    }

    /// Applies an editing operation (`add_stage:0:2`, `up:1:3`, `remove_field:0`…).
    /// Returns whether the operation was one the editor knows.
    pub fn apply(&mut self, op: &str) -> bool {
        let mut parts = op.split(':');
        let name = parts.next().unwrap_or("");
        let nums: Vec<usize> = parts.filter_map(|p| p.parse().ok()).collect();
        match (name, nums.as_slice()) {
            ("add_variant", []) => {
                if self.variants.len() < MAX_VARIANTS {
                    let key = fresh_key("variant", self.variants.iter().map(|v| v.key.as_str()), self.variants.len() + 1);
                    let mut v = VariantDraft { key, ..Default::default() };
                    v.stages.push(StageDraft { rid: 1, key: "stage_1".into(), ..Default::default() });
                    self.variants.push(v);
                }
            }
            ("remove_variant", [vi]) => {
                if *vi < self.variants.len() {
                    self.variants.remove(*vi);
                }
            }
            ("add_stage", [vi, at]) => {
                if let Some(v) = self.variants.get_mut(*vi) {
                    if v.stages.len() < MAX_STAGES {
                        let at = (*at).min(v.stages.len());
                        let rid = v.stages.iter().map(|s| s.rid).max().unwrap_or(0) + 1;
                        let key = fresh_key("stage", v.stages.iter().map(|s| s.key.as_str()), v.stages.len() + 1);
                        // Consecutive stages are usually done by the same people.
                        let before = at.checked_sub(1).and_then(|i| v.stages.get(i));
                        let (actor, via_unit) = before.map(|s| (s.actor.clone(), s.via_unit.clone())).unwrap_or_default();
                        let actor_name = before.filter(|s| !s.actor.contains(':')).map(|s| s.actor_name.clone()).unwrap_or_default();
                        v.stages.insert(at, StageDraft { rid, key, actor, via_unit, actor_name, ..Default::default() });
                    }
                }
            }
            ("remove_stage", [vi, si]) => {
                if let Some(v) = self.variants.get_mut(*vi) {
                    if *si < v.stages.len() {
                        v.stages.remove(*si);
                    }
                }
            }
            ("up", [vi, si]) => {
                if let Some(v) = self.variants.get_mut(*vi) {
                    if *si > 0 && *si < v.stages.len() {
                        v.stages.swap(*si - 1, *si);
                    }
                }
            }
            ("down", [vi, si]) => {
                if let Some(v) = self.variants.get_mut(*vi) {
                    if *si + 1 < v.stages.len() {
                        v.stages.swap(*si, *si + 1);
                    }
                }
            }
            ("add_field", []) => {
                if self.fields.len() < MAX_FIELDS {
                    let key = fresh_key("field", self.fields.iter().map(|f| f.key.as_str()), self.fields.len() + 1);
                    self.fields.push(FieldDraft { key, kind: FieldKind::Text.code().into(), ..Default::default() });
                }
            }
            ("remove_field", [fi]) => {
                if *fi < self.fields.len() {
                    self.fields.remove(*fi);
                }
            }
            _ => return false,
        }
        self.normalise();
        true
    }

    /// The chain the draft describes, and the problems only the form can have (a term that
    /// is not a number), named by the same paths as the domain's own.
    pub fn to_chain(&self) -> (Chain, Invalid) {
        let mut e = Invalid::default();
        let mut variants = Vec::new();
        for (vi, v) in self.variants.iter().enumerate() {
            let p = format!("variants[{vi}]");
            let key_of = |rid: u32| v.stages.iter().find(|s| s.rid == rid).map(|s| s.key.trim().to_string());
            let stages = v
                .stages
                .iter()
                .enumerate()
                .map(|(si, s)| {
                    let sp = format!("{p}.stages[{si}]");
                    let (actor_kind, unit_id, employee_id) = actor(&s.actor, &s.via_unit);
                    Stage {
                        key: s.key.clone(),
                        name: s.name.clone(),
                        actor_kind,
                        unit_id,
                        employee_id,
                        actor_name: if matches!(actor_kind, ActorKind::OtherBody | ActorKind::Institution) {
                            s.actor_name.clone()
                        } else {
                            String::new()
                        },
                        role: s.role.clone(),
                        deadline: term(&mut e, &format!("{sp}.deadline"), &s.deadline),
                        client_sees: s.client_sees.clone(),
                        waits_for_client: s.waits,
                        may_return_to: s.returns.iter().filter_map(|r| key_of(*r)).collect(),
                        may_refuse: s.refuse,
                        may_suspend: s.suspend,
                    }
                })
                .collect();
            variants.push(Variant {
                key: v.key.clone(),
                name: v.name.clone(),
                applicant: v.applicant.clone(),
                total_deadline: term(&mut e, &format!("{p}.total_deadline"), &v.total),
                max_extensions: number(&mut e, &format!("{p}.max_extensions"), &v.max_extensions),
                extension_days: number(&mut e, &format!("{p}.extension_days"), &v.extension_days),
                stages,
            });
        }
        let form = self
            .fields
            .iter()
            .enumerate()
            .map(|(fi, f)| {
                let kind = FieldKind::from_code(f.kind.trim()).unwrap_or_else(|| {
                    e.push(format!("form[{fi}].kind"), "not_allowed", "choose the kind of answer");
                    FieldKind::Text
                });
                FormField {
                    key: f.key.clone(),
                    label: f.label.clone(),
                    hint: f.hint.clone(),
                    kind,
                    required: f.required,
                    options: if kind == FieldKind::Choice { f.options.lines().map(str::to_string).collect() } else { Vec::new() },
                }
            })
            .collect();
        (Chain { variants, form }, e)
    }

    /// The input an error path points at: `variants[0].stages[2].deadline.amount` →
    /// `v0.s2.deadline_amount`. Paths of whole lists point at their headings.
    pub fn input_for(&self, path: &str) -> String {
        let segs: Vec<(&str, Option<usize>)> = path
            .split('.')
            .map(|s| match s.split_once('[') {
                Some((n, rest)) => (n, rest.trim_end_matches(']').parse().ok()),
                None => (s, None),
            })
            .collect();
        match segs.as_slice() {
            [("variants", Some(vi)), ("stages", Some(si)), rest @ ..] => {
                let sp = format!("v{vi}.s{si}");
                let stage = self.variants.get(*vi).and_then(|v| v.stages.get(*si));
                match rest {
                    [("deadline", _), (leaf, _)] => format!("{sp}.deadline_{leaf}"),
                    [("unit_id", _)] if stage.is_some_and(|s| matches!(s.actor.as_str(), "other_body" | "institution")) => {
                        format!("{sp}.via_unit")
                    }
                    [("unit_id" | "employee_id", _)] => format!("{sp}.actor"),
                    [(leaf, _)] => format!("{sp}.{leaf}"),
                    _ => format!("{sp}.name"),
                }
            }
            [("variants", Some(vi)), ("total_deadline", _), (leaf, _)] => format!("v{vi}.total_{leaf}"),
            [("variants", Some(vi)), ("stages", None)] => format!("v{vi}.stages"),
            [("variants", Some(vi)), (leaf, _)] => format!("v{vi}.{leaf}"),
            [("form", Some(fi)), (leaf, _), ..] => format!("f{fi}.{leaf}"),
            [("form", _), ..] => "form".into(),
            _ => "variants".into(),
        }
    }
}

/// `key_3`, or the next number free among `taken`.
fn fresh_key<'a>(stem: &str, taken: impl Iterator<Item = &'a str> + Clone, from: usize) -> String {
    (from..).map(|n| format!("{stem}_{n}")).find(|k| !taken.clone().any(|t| t.trim() == k)).unwrap_or_default()
}

fn actor(value: &str, via_unit: &str) -> (ActorKind, Option<Id>, Option<Id>) {
    let via = via_unit.trim().parse().ok();
    match value.trim().split_once(':') {
        Some(("employee", id)) => (ActorKind::Employee, None, id.parse().ok()),
        Some(("unit", id)) => (ActorKind::Unit, id.parse().ok(), None),
        _ => match ActorKind::from_code(value.trim()) {
            Some(k @ (ActorKind::OtherBody | ActorKind::Institution)) => (k, via, None),
            // Nothing chosen: the domain asks for the unit, beside the actor select.
            _ => (ActorKind::Unit, None, None),
        },
    }
}

fn term(e: &mut Invalid, p: &str, t: &Term) -> Option<DeadlineRule> {
    let amount = t.amount.trim();
    if amount.is_empty() {
        if !t.citation.trim().is_empty() {
            e.push(format!("{p}.amount"), "term_required", "write the term, or clear its citation");
        }
        return None;
    }
    let unit = DeadlineUnit::from_code(t.unit.trim());
    if unit.is_none() {
        e.push(format!("{p}.unit"), "required", "choose what the term is counted in");
    }
    match amount.parse::<u32>() {
        Ok(n) => unit.map(|u| DeadlineRule::new(n, u, t.citation.clone())),
        Err(_) => {
            e.push(format!("{p}.amount"), "not_a_number", "must be a whole number");
            None
        }
    }
}

fn number(e: &mut Invalid, p: &str, raw: &str) -> u32 {
    let raw = raw.trim();
    if raw.is_empty() {
        return 0;
    }
    raw.parse().unwrap_or_else(|_| {
        e.push(p, "not_a_number", "must be a whole number");
        0
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use okno_domain::chain::{template, Template};

    fn form_of(d: &Draft) -> FormData {
        // What the rendered editor posts back for this draft.
        let mut v: Vec<(String, String)> = Vec::new();
        let mut put = |k: String, val: &str| v.push((k, val.to_string()));
        for (vi, var) in d.variants.iter().enumerate() {
            let p = format!("v{vi}");
            put(format!("{p}.key"), &var.key);
            put(format!("{p}.name"), &var.name);
            put(format!("{p}.applicant"), &var.applicant);
            put(format!("{p}.total_amount"), &var.total.amount);
            put(format!("{p}.total_unit"), &var.total.unit);
            put(format!("{p}.total_citation"), &var.total.citation);
            put(format!("{p}.max_extensions"), &var.max_extensions);
            put(format!("{p}.extension_days"), &var.extension_days);
            for (si, s) in var.stages.iter().enumerate() {
                let sp = format!("{p}.s{si}");
                put(format!("{sp}.rid"), &s.rid.to_string());
                put(format!("{sp}.key"), &s.key);
                put(format!("{sp}.name"), &s.name);
                put(format!("{sp}.actor"), &s.actor);
                put(format!("{sp}.actor_name"), &s.actor_name);
                put(format!("{sp}.via_unit"), &s.via_unit);
                put(format!("{sp}.role"), &s.role);
                put(format!("{sp}.deadline_amount"), &s.deadline.amount);
                put(format!("{sp}.deadline_unit"), &s.deadline.unit);
                put(format!("{sp}.deadline_citation"), &s.deadline.citation);
                put(format!("{sp}.client_sees"), &s.client_sees);
                if s.waits {
                    put(format!("{sp}.waits_for_client"), "on");
                }
                if s.refuse {
                    put(format!("{sp}.may_refuse"), "on");
                }
                if s.suspend {
                    put(format!("{sp}.may_suspend"), "on");
                }
                for r in &s.returns {
                    put(format!("{sp}.may_return_to"), &r.to_string());
                }
            }
        }
        for (fi, f) in d.fields.iter().enumerate() {
            let p = format!("f{fi}");
            put(format!("{p}.key"), &f.key);
            put(format!("{p}.label"), &f.label);
            put(format!("{p}.hint"), &f.hint);
            put(format!("{p}.kind"), &f.kind);
            if f.required {
                put(format!("{p}.required"), "on");
            }
            put(format!("{p}.options"), &f.options);
        }
        FormData(v)
    }

    #[test]
    fn every_template_survives_the_form_unchanged() {
        let unit = Id::new();
        for t in Template::ALL {
            let chain = template(*t, unit);
            let d = Draft::from_chain(&chain);
            assert_eq!(Draft::from_form(&form_of(&d)), d, "{t:?}");
            let (back, pre) = d.to_chain();
            assert!(pre.is_empty(), "{t:?}: {pre:?}");
            assert_eq!(back, chain, "{t:?}");
        }
    }

    #[test]
    fn returns_follow_their_stage_through_renames_and_moves() {
        let unit = Id::new();
        let mut d = Draft::from_chain(&template(Template::CitizenAppeal, unit));
        let v = &mut d.variants[0];
        let last = v.stages.len() - 1;
        v.stages[last].returns = vec![v.stages[0].rid];
        v.stages[0].key = "intake".into();
        let (c, _) = d.to_chain();
        assert_eq!(c.variants[0].stages[last].may_return_to, ["intake"]);
        // Moved to the top, the stage can no longer go back to what is now below it.
        for i in (1..=last).rev() {
            assert!(d.apply(&format!("up:0:{i}")));
        }
        assert!(d.variants[0].stages[0].returns.is_empty());
    }

    #[test]
    fn operations_add_remove_and_move() {
        let mut d = Draft::starter();
        assert_eq!((d.variants.len(), d.variants[0].stages.len()), (1, 1));
        d.variants[0].stages[0].actor = "unit:x".into();
        assert!(d.apply("add_stage:0:1"));
        assert_eq!(d.variants[0].stages[1].key, "stage_2");
        assert_eq!(d.variants[0].stages[1].actor, "unit:x", "a new stage starts with the actor of the one before");
        d.variants[0].stages[1].name = "Второй".into();
        assert!(d.apply("up:0:1"));
        assert_eq!(d.variants[0].stages[0].name, "Второй");
        assert!(d.apply("down:0:0"));
        assert_eq!(d.variants[0].stages[1].name, "Второй");
        assert!(d.apply("remove_stage:0:0"));
        assert_eq!(d.variants[0].stages.len(), 1);
        assert!(d.apply("add_field") && d.apply("add_field"));
        assert_eq!(d.fields[1].key, "field_2");
        assert!(d.apply("remove_field:0"));
        assert!(d.apply("add_variant"));
        assert_eq!(d.variants[1].key, "variant_2");
        assert!(d.apply("remove_variant:0"));
        assert!(!d.apply("explode"));
        assert!(d.apply("up:9:9"), "out of range does nothing but is no error");
    }

    #[test]
    fn form_only_problems_and_error_paths() {
        let mut d = Draft::starter();
        d.variants[0].stages[0].deadline.amount = "пять".into();
        d.variants[0].max_extensions = "x".into();
        d.variants[0].total.citation = "ст. 12".into();
        let (_, pre) = d.to_chain();
        let paths: Vec<&str> = pre.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(paths, ["variants[0].stages[0].deadline.amount", "variants[0].total_deadline.amount", "variants[0].max_extensions"]);
        assert_eq!(d.input_for("variants[0].stages[0].deadline.amount"), "v0.s0.deadline_amount");
        assert_eq!(d.input_for("variants[0].stages[0].unit_id"), "v0.s0.actor");
        assert_eq!(d.input_for("variants[0].stages[0].may_return_to[1]"), "v0.s0.may_return_to");
        assert_eq!(d.input_for("variants[0].total_deadline.citation"), "v0.total_citation");
        assert_eq!(d.input_for("variants[0].stages"), "v0.stages");
        assert_eq!(d.input_for("variants[0].key"), "v0.key");
        assert_eq!(d.input_for("form[1].options[2]"), "f1.options");
        assert_eq!(d.input_for("form"), "form");
        assert_eq!(d.input_for("variants"), "variants");
        d.variants[0].stages[0].actor = "other_body".into();
        assert_eq!(d.input_for("variants[0].stages[0].unit_id"), "v0.s0.via_unit");
    }
}
