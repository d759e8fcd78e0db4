//! Labels (stage keys, actors, offerings, units…) to dense `u32` ids.
//!
//! A label already known is found by hashing the borrowed `&str`: no allocation. Only a
//! label seen for the first time is copied, once. The hasher is a small multiplicative
//! one (the "Fx" scheme): fast on short keys, not resistant to chosen collisions — fine for
//! labels that come from our own database, not for untrusted keys.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A fast non-cryptographic hasher for short keys.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]));
        }
        let rest = chunks.remainder();
        // The length keeps "ab" and "ab\0" (equal once zero-padded) apart.
        self.add(bytes.len() as u64);
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(buf));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;
pub(crate) type FxMap<K, V> = HashMap<K, V, FxBuild>;

/// Labels to ids `0..len`, in order of first appearance, and back.
#[derive(Clone, Debug, Default)]
pub struct Interner {
    ids: FxMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Interner {
    /// The id of `label`, adding it if new. Allocates only for a new label.
    #[inline]
    pub fn intern(&mut self, label: &str) -> u32 {
        if let Some(&id) = self.ids.get(label) {
            return id;
        }
        let id = u32::try_from(self.names.len()).expect("fewer than 2^32 labels");
        self.names.push(label.into());
        self.ids.insert(label.into(), id);
        id
    }

    /// The id of a known label.
    pub fn get(&self, label: &str) -> Option<u32> {
        self.ids.get(label).copied()
    }

    /// The label of an id given by this interner.
    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Every (id, label), in id order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &str)> {
        self.names.iter().enumerate().map(|(i, n)| (i as u32, &**n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hash;

    #[test]
    fn ids_are_dense_and_stable() {
        let mut i = Interner::default();
        assert_eq!(i.intern("registration"), 0);
        assert_eq!(i.intern("review"), 1);
        assert_eq!(i.intern("registration"), 0);
        assert_eq!(i.get("review"), Some(1));
        assert_eq!(i.get("answer"), None);
        assert_eq!(i.name(1), "review");
        assert_eq!(i.len(), 2);
        assert_eq!(i.iter().map(|(_, n)| n).collect::<Vec<_>>(), ["registration", "review"]);
    }

    #[test]
    fn the_hasher_tells_close_keys_apart() {
        let hash = |s: &str| {
            let mut h = FxHasher::default();
            s.hash(&mut h);
            h.finish()
        };
        // Same first eight bytes, different tails; a key and its prefix.
        assert_ne!(hash("stage_review_1"), hash("stage_review_2"));
        assert_ne!(hash("review"), hash("review\0"));
        assert_ne!(hash(""), hash("a"));
        assert_eq!(hash("приём"), hash("приём"));
    }
}
