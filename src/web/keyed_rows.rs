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
