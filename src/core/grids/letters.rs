//! National Grid references with letters ("TR 318 413"): formatting at 1, 10 or 100 m and
//! reading letters + digits back.
//!
//! Units: OSGB36 National Grid metres. The two letters name the 500 km square, then the 100 km
//! square in it (25 letters, no I); the digits are the easting then the northing within the
//! 100 km square, truncated (a reference names the square its point lies in, whose south-west
//! corner it gives back when read).

use super::bng::Bng;

/// The National Grid's extent: 0–700 km east, 0–1,300 km north.
const MAX_E: f64 = 700_000.0;
const MAX_N: f64 = 1_300_000.0;

/// How fine a reference is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    /// 1 m: five digits each ("TR 31800 41300").
    M1,
    /// 10 m: four digits each.
    M10,
    /// 100 m: three digits each ("TR 318 413").
    M100,
}

impl Precision {
    fn digits(self) -> usize {
        match self {
            Precision::M1 => 5,
            Precision::M10 => 4,
            Precision::M100 => 3,
        }
    }
}

/// Why a grid reference was not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefError {
    /// The two letters are not a square of the National Grid.
    Letters,
    /// The digits: not 2 to 10 of them, not an even count, or not only digits.
    Digits,
}

/// Letter index (0–24, no I) of an ASCII letter.
fn index(c: char) -> Option<u32> {
    let c = c.to_ascii_uppercase();
    match c {
        'A'..='H' => Some(c as u32 - 'A' as u32),
        'J'..='Z' => Some(c as u32 - 'A' as u32 - 1),
        _ => None,
    }
}

fn letter(i: u32) -> char {
    let i = if i >= 8 { i + 1 } else { i };
    char::from_u32('A' as u32 + i).unwrap_or('?')
}

/// The reference of a position, `None` outside the grid's 700 × 1,300 km.
pub fn format(b: Bng, precision: Precision) -> Option<String> {
    if !(0.0..MAX_E).contains(&b.e) || !(0.0..MAX_N).contains(&b.n) {
        return None;
    }
    let (e, n) = (b.e.floor() as u32, b.n.floor() as u32);
    let (e100, n100) = (e / 100_000, n / 100_000);
    let l1 = (19 - n100) - (19 - n100) % 5 + (e100 + 10) / 5;
    let l2 = ((19 - n100) * 5) % 25 + e100 % 5;
    let d = precision.digits();
    let div = 10u32.pow(5 - d as u32);
    Some(format!(
        "{}{} {:0d$} {:0d$}",
        letter(l1),
        letter(l2),
        (e % 100_000) / div,
        (n % 100_000) / div,
    ))
}

/// Reads "TR318413", "TR 318 413", "tr 31800 41300": the south-west corner of the square named.
pub fn parse(text: &str) -> Result<Bng, RefError> {
    let t = text.trim();
    let mut chars = t.chars();
    let (a, b) = (chars.next(), chars.next());
    let (i1, i2) = match (a.and_then(index), b.and_then(index)) {
        (Some(x), Some(y)) => (x, y),
        _ => return Err(RefError::Letters),
    };
    let digits: String = chars.filter(|c| !c.is_whitespace()).collect();
    if !digits.chars().all(|c| c.is_ascii_digit())
        || !digits.len().is_multiple_of(2)
        || !(2..=10).contains(&digits.len())
    {
        return Err(RefError::Digits);
    }
    let half = digits.len() / 2;
    let scale = 10f64.powi(5 - half as i32);
    let num = |s: &str| crate::decimal::parse_f64(s).ok_or(RefError::Digits);
    let de = num(digits.get(..half).unwrap_or_default())? * scale;
    let dn = num(digits.get(half..).unwrap_or_default())? * scale;
    // Position of the 500 km and 100 km squares: first letter from the false origin's square S
    // (index 17 without I) two squares west and one south of V.
    let e500 = (i1 % 5) as i64 - 2;
    let n500 = 3 - (i1 / 5) as i64;
    let e100 = e500 * 5 + (i2 % 5) as i64;
    let n100 = n500 * 5 + 4 - (i2 / 5) as i64;
    let b = Bng {
        e: e100 as f64 * 100_000.0 + de,
        n: n100 as f64 * 100_000.0 + dn,
    };
    if !(0.0..MAX_E).contains(&b.e) || !(0.0..MAX_N).contains(&b.n) {
        return Err(RefError::Letters);
    }
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dover_both_ways() {
        let b = Bng {
            e: 631_885.4,
            n: 141_408.1,
        };
        assert_eq!(format(b, Precision::M100).unwrap(), "TR 318 414");
        assert_eq!(format(b, Precision::M1).unwrap(), "TR 31885 41408");
        assert_eq!(
            parse("TR318413").unwrap(),
            Bng {
                e: 631_800.0,
                n: 141_300.0
            }
        );
        assert_eq!(
            parse("tr 31800 41300").unwrap(),
            Bng {
                e: 631_800.0,
                n: 141_300.0
            }
        );
        assert_eq!(parse("SV 000 000").unwrap(), Bng { e: 0.0, n: 0.0 });
        assert_eq!(
            parse("HP 500 100").unwrap(),
            Bng {
                e: 450_000.0,
                n: 1_210_000.0
            }
        );
    }

    #[test]
    fn bad_references() {
        assert_eq!(parse("TI 318 413"), Err(RefError::Letters));
        assert_eq!(parse("TR 3181 413"), Err(RefError::Digits));
        assert_eq!(parse("TR 31x 413"), Err(RefError::Digits));
        assert_eq!(parse("AA 100 100"), Err(RefError::Letters));
        assert_eq!(
            format(
                Bng {
                    e: 700_000.0,
                    n: 0.0
                },
                Precision::M1
            ),
            None
        );
    }
}
