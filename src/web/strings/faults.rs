//! The feed's texts added for what the fault-injection tests found (issue 15 item 4), in
//! English and French. Units: seconds, in the language's number form.

use super::locale::number;
use super::table::Lang;
use crate::core::feed::BACKOFF_MAX_MS;

/// An HTTP error answered with `Retry-After: asked_s`: how long the feed waits, which is what
/// the server asked, up to the back-off's cap (`core::feed::BACKOFF_MAX_MS`).
pub fn retry_after(lang: Lang, asked_s: u32) -> String {
    let cap_s = BACKOFF_MAX_MS / 1_000.0;
    let asked = number(lang, f64::from(asked_s), 0);
    let cap = number(lang, cap_s, 0);
    match (lang, f64::from(asked_s) > cap_s) {
        (Lang::En, false) => format!("it asked to wait {asked} s: retrying after that"),
        (Lang::En, true) => {
            format!("it asked to wait {asked} s: retrying in {cap} s, the longest wait")
        }
        (Lang::Fr, false) => {
            format!("il a demandé d’attendre {asked} s : nouvel essai après ce délai")
        }
        (Lang::Fr, true) => format!(
            "il a demandé d’attendre {asked} s : nouvel essai dans {cap} s, l’attente la plus longue"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_the_cap_when_the_server_asks_for_more() {
        assert_eq!(
            retry_after(Lang::En, 30),
            "it asked to wait 30 s: retrying in 10 s, the longest wait"
        );
        assert_eq!(
            retry_after(Lang::Fr, 5),
            "il a demandé d’attendre 5 s : nouvel essai après ce délai"
        );
    }
}
