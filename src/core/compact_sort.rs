//! Stable sorting through one shared instance of the standard library's sort, for the code
//! that is not hot (a few dozen to a few thousand items, once per change, not per frame).
//!
//! Units: none (slices of any item; the comparator decides the order).
//!
//! Why: every `sort_by` of a new item type or comparator instantiates the standard library's
//! driftsort (stable) or ipnsort (unstable) again, 3–6 KB of wasm each; the bundle had 26 of
//! them (about 110 KB before compression). [`sort_by`] and [`sort_by_key`] sort the items'
//! positions (`u32`) with a `&mut dyn FnMut` comparator, so every caller shares one
//! `sort_unstable_by` on `u32`, then move the items into that order. The standard sort still
//! does the sorting; the hand-written part is only the permutation, a few lines (measured in
//! BENCHMARKS.md "Bundle: one shared sort, and what a split can and cannot reach": −7.9 KB
//! gzip for nine call sites).
//!
//! Semantics: exactly those of `slice::sort_by` — stable (equal items keep their input order:
//! ties are broken by position); `cmp` must be a total order, as for the standard sort (the
//! callers compare floats with `total_cmp`). Cost: one dyn call per comparison and a `u32` per
//! item; the hot sorts of the frame (the incident layer's draw order, the list's top rows) keep
//! the standard sort on their own type.
//!
//! The hot sorts of a snapshot (100k incidents: the store's index by time, the heatmap
//! history's columns) sort by an `i64` key (ms since the Unix epoch) through one more shared
//! instance, the standard `sort_unstable` of `u64` keys ([`sort_keys`]), as do the `f64`
//! sorts ([`sort_f64`], [`f64_key`]: the zone index's row crossings): [`order_by_i64`]
//! packs each item's key (as its offset from the smallest, or its rank among the distinct keys
//! when they span more than 2^32) above its position, so the one unstable sort gives the stable
//! order, with no comparator call at all (measured in BENCHMARKS.md "Bundle: where the bytes go
//! and what was cut", with the native times of `examples/snapshot_sorts.rs`).

use std::cmp::Ordering;

/// Sorts `v` by `cmp`, stably (as `slice::sort_by`).
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let Ok(n) = u32::try_from(v.len()) else {
        // Beyond 4 billion items (never in this app): the standard sort on the type itself.
        v.sort_by(cmp);
        return;
    };
    let mut order: Vec<u32> = (0..n).collect();
    {
        let items: &[T] = v;
        let mut by_position = |a: u32, b: u32| match (items.get(a as usize), items.get(b as usize))
        {
            (Some(x), Some(y)) => cmp(x, y),
            _ => Ordering::Equal,
        };
        sort_positions(&mut order, &mut by_position);
    }
    permute(v, &mut order);
}

/// Sorts `v` by the key `key` gives, stably (as `slice::sort_by_key`).
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// The positions `0..keys.len()` ordered by `keys`, stably (ties by position): the order
/// `sort_by_key` would put items with these keys in. One [`sort_keys`] of `(key << 32) |
/// position`, the key as its offset from the smallest (or, when the keys span 2^32 or more,
/// its rank among the distinct keys, found by a second `sort_keys` and a binary search).
/// At most 2^32 keys (positions are `u32`: on wasm32 a slice never holds more).
pub fn order_by_i64(keys: &[i64]) -> Vec<u32> {
    let (Some(&lo), Some(&hi)) = (keys.iter().min(), keys.iter().max()) else {
        return Vec::new();
    };
    let span = hi.abs_diff(lo);
    let mut packed: Vec<u64> = if span < 1 << 32 {
        keys.iter()
            .zip(0u64..)
            .map(|(&k, i)| (k.abs_diff(lo) << 32) | i)
            .collect()
    } else {
        let mut distinct: Vec<u64> = keys.iter().map(|&k| ordered(k)).collect();
        sort_keys(&mut distinct);
        distinct.dedup();
        keys.iter()
            .zip(0u64..)
            .map(|(&k, i)| {
                let rank = distinct.binary_search(&ordered(k)).unwrap_or(0) as u64;
                (rank << 32) | i
            })
            .collect()
    };
    sort_keys(&mut packed);
    packed.into_iter().map(|k| k as u32).collect()
}

/// An `i64` as the `u64` of the same order (the sign bit flipped).
fn ordered(k: i64) -> u64 {
    (k as u64) ^ (1 << 63)
}

/// Sorts `v` in the order of `f64::total_cmp` (as `sort_by(f64::total_cmp)`: equal under it
/// is the same bits) through [`sort_keys`], with no comparator call.
pub fn sort_f64(v: &mut [f64]) {
    let mut keys: Vec<u64> = v.iter().map(|&x| f64_key(x)).collect();
    sort_keys(&mut keys);
    for (x, k) in v.iter_mut().zip(keys) {
        *x = f64_of_key(k);
    }
}

/// `x` as the `u64` whose order is `f64::total_cmp`'s (negatives: every bit flipped; the
/// rest: the sign bit set). [`f64_of_key`] gives `x` back, bit for bit.
pub fn f64_key(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// The `f64` of a key of [`f64_key`].
pub fn f64_of_key(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

/// The one instance of the standard unstable sort on `u64` keys, shared by every key sort.
#[inline(never)]
pub fn sort_keys(keys: &mut [u64]) {
    keys.sort_unstable();
}

/// The one instance of the standard sort: positions by `cmp`, ties by position (stable).
#[inline(never)]
fn sort_positions(order: &mut [u32], cmp: &mut dyn FnMut(u32, u32) -> Ordering) {
    order.sort_unstable_by(|&a, &b| cmp(a, b).then(a.cmp(&b)));
}

/// Moves the items so that `v[i]` becomes the old `v[order[i]]`, in place (following each
/// cycle of the permutation with swaps). `order` is a permutation of `0..v.len()`; it is used
/// up (its entries are overwritten as the cycles close).
fn permute<T>(v: &mut [T], order: &mut [u32]) {
    for start in 0..order.len() {
        let mut at = start;
        // Follow the cycle through `start`: each step puts the right item at `at` (a closed
        // position points at itself and ends the walk at once).
        while let Some(&from) = order.get(at) {
            let from = from as usize;
            if let Some(slot) = order.get_mut(at) {
                *slot = at as u32;
            }
            if from == start {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        // Pairs (key, input position): equal keys must keep their input order.
        let mut seed = 7u64;
        for len in [0usize, 1, 2, 3, 10, 100, 1000] {
            let input: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                    ((seed >> 59) as u8, i)
                })
                .collect();
            let mut ours = input.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std = input.clone();
            std.sort_by_key(|a| a.0);
            assert_eq!(ours, std, "len {len}");
        }
    }

    #[test]
    fn order_by_i64_is_the_stable_order() {
        let mut seed = 11u64;
        for (len, spread) in [
            (0usize, 1u64),
            (1, 1),
            (2, 5),
            (100, 7),
            (1000, 1 << 40),
            (500, u64::MAX),
        ] {
            let keys: Vec<i64> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                    let k = (seed >> 3) % spread.max(1);
                    // Extremes too: i64::MIN and i64::MAX when the spread is the whole range.
                    if spread == u64::MAX && k.is_multiple_of(5) {
                        if k.is_multiple_of(2) {
                            i64::MIN
                        } else {
                            i64::MAX
                        }
                    } else {
                        (k as i64).wrapping_sub(3)
                    }
                })
                .collect();
            let mut expected: Vec<u32> = (0..len as u32).collect();
            expected.sort_by_key(|&i| keys[i as usize]);
            assert_eq!(order_by_i64(&keys), expected, "len {len} spread {spread}");
        }
    }

    #[test]
    fn sort_f64_is_total_cmp_order() {
        let mut v = vec![
            3.5,
            -0.0,
            0.0,
            f64::NAN,
            -f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -1e-310,
            1e-310,
            -2.0,
            2.0,
            f64::MAX,
            f64::MIN,
            -0.0,
        ];
        let mut std = v.clone();
        std.sort_by(f64::total_cmp);
        sort_f64(&mut v);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&v), bits(&std));
        for x in std {
            assert_eq!(f64_of_key(f64_key(x)).to_bits(), x.to_bits());
        }
    }

    #[test]
    fn sort_by_key_and_reverse() {
        let mut v = vec!["dover", "calais", "dunkerque", "boulogne"];
        sort_by_key(&mut v, |s| std::cmp::Reverse(s.len()));
        assert_eq!(v, ["dunkerque", "boulogne", "calais", "dover"]);
    }
}
