//! Decimal numbers written as text (typed in a box, held in a GeoJSON string property, kept in a
//! stored setting) read as `f64`. No units: the caller's number.
//!
//! Every reader of typed or stored numbers in the app goes through [`parse_f64`], which hands the
//! number to serde_json's number reader (the one that reads every JSON number the app receives)
//! instead of the standard library's `str::parse::<f64>`. The standard parser links its own
//! 10.4 KB table of 128-bit powers of five and its big-decimal slow path; with serde_json's
//! reader the bundle holds one float reader, not two (measured: BENCHMARKS "Bundle: tables in
//! the data"). This is the module's only reason to exist.
//!
//! Accepted: an optional sign (`+` or `-`), digits with at most one decimal point and at least
//! one digit on either side of it (`5`, `5.`, `.5`, `007.50`), then an optional exponent (`e` or
//! `E`, an optional sign, at least one digit). Nothing else: no spaces (callers trim), no `_`,
//! no `inf`/`NaN` (the standard parser takes those; no caller wants them), no hexadecimal.
//! A number too large for `f64` (`1e400`) is `None`, not infinity.
//!
//! Precision: serde_json without `float_roundtrip` reads the digits as an integer and scales it
//! by one power of ten, so a number of at most 15 significant digits whose scale is within
//! 10^±22 (every number a person types or a feed writes: coordinates to the nanodegree, metres,
//! seconds) is correctly rounded, the same `f64` as `str::parse`. Longer or more extreme numbers
//! may be a few units in the last place apart (at most 1e-15 relative in the property test
//! below, which holds both bounds against `str::parse` over 200,000 texts).

/// `text` as an `f64` (grammar and precision in the module doc), or `None`.
pub fn parse_f64(text: &str) -> Option<f64> {
    let mut rest = text;
    let mut json = String::with_capacity(text.len() + 2);
    if let Some(r) = rest.strip_prefix('-') {
        json.push('-');
        rest = r;
    } else if let Some(r) = rest.strip_prefix('+') {
        rest = r;
    }
    let (int, r) = digits(rest);
    let (frac, r) = match r.strip_prefix('.') {
        Some(r) => digits(r),
        None => ("", r),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    // JSON wants one leading digit, no leading zeros and digits after a decimal point.
    let int = int.trim_start_matches('0');
    json.push_str(if int.is_empty() { "0" } else { int });
    if !frac.is_empty() {
        json.push('.');
        json.push_str(frac);
    }
    rest = r;
    if let Some(r) = rest.strip_prefix(['e', 'E']) {
        json.push('e');
        let (sign, r) = match r.strip_prefix(['+', '-']) {
            Some(after) => (r.chars().next(), after),
            None => (None, r),
        };
        json.extend(sign);
        let (exp, r) = digits(r);
        if exp.is_empty() {
            return None;
        }
        json.push_str(exp);
        rest = r;
    }
    if !rest.is_empty() {
        return None;
    }
    serde_json::from_str::<f64>(&json).ok()
}

/// The ASCII digits `text` starts with, and what follows them.
fn digits(text: &str) -> (&str, &str) {
    let n = text.bytes().take_while(u8::is_ascii_digit).count();
    text.split_at_checked(n).unwrap_or((text, ""))
}

#[cfg(test)]
mod tests {
    use super::parse_f64;

    #[test]
    fn the_forms_people_type() {
        assert_eq!(parse_f64("51.0295"), Some(51.0295));
        assert_eq!(parse_f64("-1.85"), Some(-1.85));
        assert_eq!(parse_f64("+1.85"), Some(1.85));
        assert_eq!(parse_f64("05"), Some(5.0));
        assert_eq!(parse_f64("007.50"), Some(7.5));
        assert_eq!(parse_f64(".5"), Some(0.5));
        assert_eq!(parse_f64("5."), Some(5.0));
        assert_eq!(parse_f64("0"), Some(0.0));
        assert_eq!(parse_f64("-0").map(f64::is_sign_negative), Some(true));
        assert_eq!(parse_f64("1e3"), Some(1000.0));
        assert_eq!(parse_f64("2.5E-2"), Some(0.025));
        assert_eq!(parse_f64("1e+2"), Some(100.0));
        assert_eq!(parse_f64("318"), Some(318.0));
    }

    #[test]
    fn what_it_refuses() {
        for bad in [
            "", " 5", "5 ", "+", "-", ".", "-.", "1e", "1e+", "e5", "1.2.3", "1,5", "0x10", "inf",
            "-inf", "NaN", "infinity", "1_000", "--1", "+-1", "5m", "1e400", "-1e400", "١٢",
        ] {
            assert_eq!(parse_f64(bad), None, "{bad:?}");
        }
    }

    /// At most 15 significant digits, scaled by at most 10^22 either way (module doc).
    fn plain(text: &str) -> bool {
        let (mantissa, exp) = text.split_once(['e', 'E']).unwrap_or((text, "0"));
        let Some(exp) = crate::decimal::parse_f64(exp) else {
            return false;
        };
        let digits = mantissa.trim_start_matches(['+', '-']);
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let all = format!("{int}{frac}");
        let significant = all.trim_start_matches('0').trim_end_matches('0');
        // The integer serde_json scales: the digits after the first non-zero one, trailing
        // zeros of the fraction included; its scale is the exponent less the fraction's length.
        let read = all.trim_start_matches('0');
        let scale = exp - frac.len() as f64;
        significant.len() <= 15 && read.len() <= 15 && scale.abs() <= 22.0
    }

    /// Against the standard parser, over numbers of the shapes the app reads (coordinates,
    /// metres, seconds, ratios) and random digit strings: the same acceptance on the grammar,
    /// the same bits for the numbers of [`plain`], and within 1e-15 relative for the others.
    #[test]
    fn agrees_with_the_standard_parser() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let (mut checked, mut exact) = (0, 0);
        for _ in 0..200_000 {
            let r = next();
            let text = match r % 4 {
                0 => format!("{}", f64::from_bits(next()) % 1e6),
                1 => format!(
                    "{:.*}",
                    (r >> 8) as usize % 12,
                    (next() % 2_000_000) as f64 / 7.0
                ),
                2 => format!("{}e{}", next() % 100_000, (next() % 60) as i64 - 30),
                _ => (0..(r >> 4) % 24)
                    .map(|k| b"0123456789.-+e"[((r >> (k % 60)) ^ next()) as usize % 14] as char)
                    .collect(),
            };
            let std = text.parse::<f64>().ok().filter(|v| v.is_finite());
            let ours = parse_f64(&text);
            match (std, ours) {
                (Some(a), Some(b)) => {
                    if plain(&text) {
                        assert_eq!(a.to_bits(), b.to_bits(), "{text}: {a} vs {b}");
                        exact += 1;
                    } else {
                        assert!((a - b).abs() <= a.abs() * 1e-15, "{text}: {a} vs {b}");
                    }
                    checked += 1;
                }
                (None, None) => {}
                (a, b) => panic!("{text:?}: std {a:?}, ours {b:?}"),
            }
        }
        assert!(checked > 100_000, "only {checked} numbers compared");
        assert!(exact > 50_000, "only {exact} numbers compared bit for bit");
    }
}
