//! The word lists of the rules, compiled once.
//!
//! Lists of single words are written as lemmas, so one entry catches every form; the
//! dictionary gives each word form its lemma and [`lemma_id`] turns the lemma into a small
//! number stored with the form, so a rule asks «is this word on my list?» with an array
//! lookup. Lists of phrases are matched on the lower-cased text with Aho–Corasick, in one pass
//! per list whatever its length.

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::rules;

/// No rule lists this lemma.
pub(crate) const NONE: u16 = u16::MAX;

fn lemmas() -> &'static HashMap<&'static str, u16> {
    static LEMMAS: OnceLock<HashMap<&'static str, u16>> = OnceLock::new();
    LEMMAS.get_or_init(|| {
        let mut map = HashMap::new();
        for lemma in rules::listed_lemmas() {
            let next = u16::try_from(map.len()).expect("fewer than 65535 listed lemmas");
            map.entry(lemma).or_insert(next);
        }
        map
    })
}

/// The number of a listed lemma (lower case, «е» for «ё»), or [`NONE`].
pub(crate) fn lemma_id(lemma: &str) -> u16 {
    let map = lemmas();
    if let Some(id) = map.get(lemma) {
        return *id;
    }
    if lemma.contains('ё') {
        return map.get(lemma.replace('ё', "е").as_str()).copied().unwrap_or(NONE);
    }
    NONE
}

/// A table from listed lemmas to the entries of one rule's list.
pub(crate) struct LemmaTable<T: 'static> {
    by_id: Vec<Option<&'static T>>,
}

impl<T> LemmaTable<T> {
    pub fn new(entries: &'static [T], lemma: impl Fn(&T) -> &'static str) -> Self {
        let mut by_id = vec![None; lemmas().len()];
        for entry in entries {
            let id = lemma_id(lemma(entry));
            if id != NONE {
                by_id[usize::from(id)] = Some(entry);
            }
        }
        LemmaTable { by_id }
    }

    pub fn get(&self, id: u16) -> Option<&'static T> {
        self.by_id.get(usize::from(id)).copied().flatten()
    }
}

/// A list of phrases found as whole words in the lower-cased text.
pub(crate) struct PhraseList<T: 'static> {
    automaton: AhoCorasick,
    entries: &'static [T],
}

impl<T> PhraseList<T> {
    pub fn new(entries: &'static [T], phrase: impl Fn(&T) -> &'static str) -> Self {
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(entries.iter().map(phrase))
            .expect("phrase lists are small and valid");
        PhraseList { automaton, entries }
    }

    /// Whole-word matches as (byte start, byte end, entry), left to right, not overlapping.
    pub fn find<'a>(&'a self, lower: &'a str) -> impl Iterator<Item = (usize, usize, &'static T)> + 'a {
        self.automaton.find_iter(lower).filter_map(move |m| {
            let before = lower[..m.start()].chars().next_back();
            let after = lower[m.end()..].chars().next();
            let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
            (boundary(before) && boundary(after)).then(|| (m.start(), m.end(), &self.entries[m.pattern().as_usize()]))
        })
    }
}

/// The text in lower case with «ё» as «е», byte for byte at the same offsets as the source,
/// so a match in one is a span of the other. Characters whose lower case has another length
/// (rare outside Cyrillic and Latin) are kept as they are.
pub(crate) fn lower(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = if c.is_ascii() {
            c.to_ascii_lowercase()
        } else {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
                _ => c,
            }
        };
        out.push(if c == 'ё' { 'е' } else { c });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_keeps_offsets() {
        let text = "В Целях Ёлки İ";
        let lowered = lower(text);
        assert_eq!(lowered.len(), text.len());
        assert!(lowered.starts_with("в целях елки"));
    }

    #[test]
    fn phrases_match_whole_words_only() {
        static LIST: [&str; 2] = ["в целях", "в связи с"];
        let list = PhraseList::new(&LIST, |p| p);
        let found: Vec<_> = list.find("в целях экономии, в связи со сроками и в связи с этим").map(|(s, _, p)| (s, *p)).collect();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].1, "в целях");
        assert_eq!(found[1].1, "в связи с");
    }
}
