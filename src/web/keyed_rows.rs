//! A keyed list whose rows free all their memory when they leave it (Leptos's `For`, without
//! its per-row leak).
//!
//! No units: DOM rows of a list, each with its own reactive owner.
//!
//! Leptos 0.8's `For` (leptos 0.8.23, `for_loop.rs`) gives each row an owner made with
//! `parent.with(Owner::new)`, a child of the `For`'s own owner; `Owner::new` (reactive_graph
//! 0.2.16, `owner.rs`) pushes a `Weak` to the child into the parent's `children`, which is
//! emptied only when the parent is cleaned up. A list that lives long (the desk's incident
//! list, shown all shift) and replaces rows often (each flush renders again every row whose
//! text changed) so keeps one `Weak` and the allocation it pins (the row owner's
//! `Arc<RwLock<OwnerInner>>`, 79 B a row in `tests/web_keyed_rows.rs`'s setting) for every
//! row it ever rendered (BENCHMARKS.md, "accelerated-day soak", "The desk"). [`KeyedRows`] gives
//! each row a detached owner instead (no parent: nothing else points at it), held by the row
//! alone, so removing a row frees its owner, its effects and its listeners at once; removing
//! the list removes its rows, and with them their owners. Rows see the one [`AppState`]
//! through context as any view does.
//!
//! Rows should be static (what they show is their key): an effect or memo made in a row that
//! reads a signal living longer than the row (a `class:x=move || …` over `AppState`) stays in
//! that signal's subscribers after the row goes, as a `Weak` pinning the effect's allocation
//! (reactive_graph 0.2.16 unsubscribes an effect only when it runs again, never when it is
//! dropped; a signal's `mark_subscribers_check` notifies dead subscribers without removing
//! them), 82 B a row more in the same test.

use std::hash::Hash;

use leptos::prelude::*;
use leptos::reactive::owner::Owner;
use leptos::tachys::reactive_graph::OwnedView;
use leptos::tachys::view::keyed::{SerializableKey, keyed};

use crate::state::{AppState, use_app};

/// An owner with no parent (so no other owner keeps a reference to it), holding the
/// [`AppState`] as context. Made while the current owner is set aside for a moment.
fn detached_owner(state: AppState) -> Owner {
    let current = Owner::current();
    if let Some(c) = current.clone() {
        c.unset();
    }
    let owner = Owner::new();
    if let Some(c) = current {
        c.set();
    }
    owner.with(|| provide_context(state));
    owner
}

/// The rows of `each()`, keyed by `key` (a row whose key stays keeps its DOM; a new key
/// renders `children` for it; a key that goes takes its row and all it owns with it), as
/// Leptos's `For` with the same arguments.
#[component]
pub fn KeyedRows<IF, I, T, EF, N, KF, K>(each: IF, key: KF, children: EF) -> impl IntoView
where
    IF: Fn() -> I + Send + 'static,
    I: IntoIterator<Item = T> + Send + 'static,
    EF: Fn(T) -> N + Send + Clone + 'static,
    N: IntoView + 'static,
    KF: Fn(&T) -> K + Send + Clone + 'static,
    K: Eq + Hash + SerializableKey + 'static,
    T: Send + 'static,
{
    let state = use_app();
    let row = move |_, item| {
        let owner = detached_owner(state);
        let view = owner.with(|| children(item));
        (drop, OwnedView::new_with_owner(view, owner))
    };
    move || keyed(each(), key.clone(), row.clone())
}

/// New rows a list builds in one task at most ([`paced`]): about 4–8 ms of DOM work.
pub const NEW_ROWS_PER_TASK: usize = 50;

/// The rows of `full` to render now, in its order, when `before` is what is rendered (a
/// slice: a list's few hundred rows, compared by value, need no hashing code): every
/// row already rendered (its DOM stays) and the new rows up to the `budget`-th new one; the
/// rest wait for the next task (`bool`: some wait). A burst or a snapshot that replaces the
/// 200 rows of the incident list so builds them over four tasks (the first ones on top)
/// instead of one of 25–35 ms (BENCHMARKS.md, "Main-thread blocks").
pub fn paced<K: PartialEq + Clone>(full: &[K], before: &[K], budget: usize) -> (Vec<K>, bool) {
    let mut new = 0;
    let mut waiting = false;
    let mut out = Vec::with_capacity(full.len());
    for k in full {
        if before.contains(k) {
            out.push(k.clone());
        } else if new < budget {
            new += 1;
            out.push(k.clone());
        } else {
            waiting = true;
        }
    }
    (out, waiting)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paced_keeps_rendered_rows_and_adds_new_ones_in_order_up_to_the_budget() {
        let before = [2, 5, 9];
        let full = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        assert_eq!(paced(&full, &before, 2), (vec![1, 2, 3, 5, 9], true));
        assert_eq!(paced(&full, &before, 6), (full.to_vec(), false));
        // Repeated until nothing waits: the whole list, in at most ceil(new / budget) steps.
        let mut shown: Vec<u32> = Vec::new();
        let mut steps = 0;
        let full: Vec<u32> = (0..200).collect();
        loop {
            let (rows, waiting) = paced(&full, &shown, NEW_ROWS_PER_TASK);
            shown = rows.clone();
            steps += 1;
            if !waiting {
                assert_eq!(rows, full);
                break;
            }
        }
        assert_eq!(steps, 4);
        // Rows that left the listing are not kept.
        let (rows, waiting) = paced(&[7, 8], &shown, 0);
        assert_eq!((rows, waiting), (vec![7, 8], false));
    }
}
