//! Every user-visible string of the app, keyed, in English and French: the one string table.
//! No units (text); numbers inside sentences are in the language's form (`locale::number`).
//!
//! **Rule:** the core (`src/core`) returns enums and structured errors (kind, field, value) and
//! never words a sentence for the operator; its `thiserror` `Display` texts exist for logs and
//! the `Error` trait only. Every text the UI shows comes from here: fixed texts are keys of
//! [`T`] (English and French side by side in one `table!` line), texts with values are
//! functions of [`Lang`] in [`labels`] (names of the core's enums), [`messages`] (sentences
//! and errors rendered from the core's structured variants) and [`problems`] (why data was
//! refused: GeoJSON features, zones, zone files, storage), each one `match` on the language.
//! A panel holds no English literal of its own (test ids, CSS classes and wire keys are not
//! text). ARCHITECTURE.md states the same rule.
//!
//! Coverage: a `table!` line must give both languages (the macro does not accept a line
//! without French) and a `match lang` must have both arms (the compiler rejects a missing
//! one), so a missing French string does not build; `tests/strings_table.rs` fails on an
//! empty entry, on a key no module uses and on a `fn label` left in the core.
//!
//! The language is `AppState::lang` (`?lang=`, else the device's remembered choice, else
//! English: `lang_switch::start_lang`). Panels read it when they are built and inside their
//! reactive closures; the switch (`lang_switch.rs`) sets the signal and the app rebuilds the
//! panels. The locale's forms of numbers, zone names and property labels are [`locale`].
//!
//! To add a string: add a line `Key => "English", "Français";` to the table below (or a
//! function to `labels`/`messages` for a text with values), then use `T::Key.get(lang)`.
//!
//! Why a hand-made table and not `leptos_i18n` 0.6 (which checks key coverage at compile time
//! too): measured in release builds (`gzip -9` of wasm + JS, BENCHMARKS.md "Strings: hand table
//! or leptos_i18n"), leptos_i18n with 40 representative keys of the layer panel, legend, banners
//! and controls adds 22.3 KiB (it brings leptos-use, leptos_meta and ICU locale negotiation, and
//! a build script generating code from JSON files), where this table with every text of the UI
//! in both languages adds 3.5 KiB; its coverage is checked by the compiler and one test.

pub mod announce;
pub mod compare;
pub mod export;
pub mod faults;
pub mod field;
pub mod grids;
pub mod heatmap;
pub mod labels;
pub mod limits;
pub mod locale;
pub mod messages;
pub mod offline;
pub mod problems;
pub mod table;
pub mod tablet;
pub mod wall;

pub use table::{Lang, T};
