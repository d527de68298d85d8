//! The video wall's texts with values (`wall_ui.rs`), in English and French: the lost-feed
//! banner with its age. Units: ages are whole seconds or minutes of wall-clock time.

use super::table::Lang;

/// An age as "45 s", "3 min", "2 h 05 min".
pub fn age(ms: f64) -> String {
    let s = (ms.max(0.0) / 1000.0).floor() as u64;
    if s < 60 {
        format!("{s} s")
    } else if s < 3600 {
        format!("{} min", s / 60)
    } else {
        format!("{} h {:02} min", s / 3600, (s % 3600) / 60)
    }
}

/// The lost-feed banner: how long the picture has not been updated (`None`: never was).
pub fn feed_lost(lang: Lang, age_ms: Option<f64>) -> String {
    match (lang, age_ms) {
        (Lang::En, Some(a)) => format!("FEED LOST · no update for {}", age(a)),
        (Lang::En, None) => "FEED LOST · no update received".to_string(),
        (Lang::Fr, Some(a)) => format!("FLUX PERDU · aucune mise à jour depuis {}", age(a)),
        (Lang::Fr, None) => "FLUX PERDU · aucune mise à jour reçue".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_and_banner() {
        assert_eq!(age(45_900.0), "45 s");
        assert_eq!(age(190_000.0), "3 min");
        assert_eq!(age(7_500_000.0), "2 h 05 min");
        assert_eq!(
            feed_lost(Lang::En, Some(130_000.0)),
            "FEED LOST · no update for 2 min"
        );
        assert!(feed_lost(Lang::Fr, None).starts_with("FLUX PERDU"));
    }
}
