//! The tablet layout's texts with values (`tap_chooser.rs`), in English and French. No units
//! (counts).

use super::table::Lang;

/// The tap chooser's heading: how many things the tap hit.
pub fn chooser_title(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En => format!("{n} things here: which one?"),
        Lang::Fr => format!("{n} objets ici : lequel ?"),
    }
}
