//! Medians of many groups of samples without a vector per group: samples are collected as
//! (slot, value) pairs in one vector during the pass, then scattered by slot into one
//! reused buffer (a counting sort) and each slot's segment is cut with
//! `select_nth_unstable`.
//!
//! The median of an even number of values is the mean of the two middle ones — what
//! pandas, PM4Py and DuckDB's `median` give.

/// The median of `values`, reordering them. `None` when empty.
pub fn median_in_place(values: &mut [i64]) -> Option<f64> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let mid = n / 2;
    let (left, hi, _) = values.select_nth_unstable(mid);
    let hi = *hi as f64;
    if n % 2 == 1 {
        return Some(hi);
    }
    let lo = *left.iter().max().expect("n is even and positive, so the left part is not empty") as f64;
    Some((lo + hi) / 2.0)
}

/// Scratch space reused across every median computation of one query.
///
/// [`Scratch::plan`] is given how many samples each slot has and the slot of every
/// sample, and works out where each sample goes in slot order, once; then
/// [`Scratch::medians`] scatters one measure's values there and cuts every segment. Several
/// measures of the same samples (queue, client, work, total) share one plan.
#[derive(Default)]
pub(crate) struct Scratch {
    dest: Vec<u32>,
    bounds: Vec<usize>,
    values: Vec<i64>,
}

impl Scratch {
    /// Plans for samples whose slots are `slots`, with `counts[s]` samples in slot `s`.
    pub(crate) fn plan(&mut self, counts: impl Iterator<Item = u64>, slots: &[u32]) {
        self.bounds.clear();
        self.bounds.push(0);
        let mut total = 0usize;
        for c in counts {
            total += c as usize;
            self.bounds.push(total);
        }
        assert_eq!(total, slots.len(), "the counts must add up to the samples");
        // `next[s]` walks through slot s's segment.
        let mut next: Vec<usize> = self.bounds[..self.bounds.len() - 1].to_vec();
        self.dest.clear();
        self.dest.extend(slots.iter().map(|&s| {
            let at = &mut next[s as usize];
            *at += 1;
            (*at - 1) as u32
        }));
    }

    /// Medians per slot of `values` (one per sample, in the planned samples' order).
    pub(crate) fn medians(&mut self, values: &[i64]) -> Vec<Option<f64>> {
        self.values.clear();
        self.values.resize(values.len(), 0);
        for (&d, &v) in self.dest.iter().zip(values) {
            self.values[d as usize] = v;
        }
        self.bounds.windows(2).map(|w| median_in_place(&mut self.values[w[0]..w[1]])).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_even_and_empty() {
        assert_eq!(median_in_place(&mut []), None);
        assert_eq!(median_in_place(&mut [7]), Some(7.0));
        assert_eq!(median_in_place(&mut [9, 1, 5]), Some(5.0));
        assert_eq!(median_in_place(&mut [4, 1, 3, 2]), Some(2.5));
        assert_eq!(median_in_place(&mut [-3, 10]), Some(3.5));
    }

    #[test]
    fn per_slot_medians_match_sorting_each_group() {
        let mut rng = 12345u64;
        let mut next = || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        let samples: Vec<(u32, i64)> = (0..5000).map(|_| ((next() % 7) as u32, (next() % 1000) as i64 - 200)).collect();
        let slots: Vec<u32> = samples.iter().map(|s| s.0).collect();
        let values: Vec<i64> = samples.iter().map(|s| s.1).collect();
        let mut counts = [0u64; 8];
        for &s in &slots {
            counts[s as usize] += 1;
        }
        let mut scratch = Scratch::default();
        // Slot 7 gets nothing.
        scratch.plan(counts.iter().copied(), &slots);
        let got = scratch.medians(&values);
        for slot in 0..8u32 {
            let mut v: Vec<i64> = samples.iter().filter(|s| s.0 == slot).map(|s| s.1).collect();
            v.sort();
            let want = match v.len() {
                0 => None,
                n if n % 2 == 1 => Some(v[n / 2] as f64),
                n => Some((v[n / 2 - 1] + v[n / 2]) as f64 / 2.0),
            };
            assert_eq!(got[slot as usize], want, "slot {slot}");
        }
        // The plan is reused: a second measure of the same samples (negated) gives negated medians.
        let negated: Vec<i64> = values.iter().map(|v| -v).collect();
        let again: Vec<Option<f64>> = scratch.medians(&negated).into_iter().map(|m| m.map(|x| -x)).collect();
        assert_eq!(again, got);
    }
}
