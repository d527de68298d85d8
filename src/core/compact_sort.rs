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
//! item; the hot sorts (the incident store's snapshot, the
//! incident layer's draw order, the list's top rows) keep the standard sort on their own type.

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
    fn sort_by_key_and_reverse() {
        let mut v = vec!["dover", "calais", "dunkerque", "boulogne"];
        sort_by_key(&mut v, |s| std::cmp::Reverse(s.len()));
        assert_eq!(v, ["dunkerque", "boulogne", "calais", "dover"]);
    }
}
