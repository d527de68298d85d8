//! WGS84 positions as text: decimal degrees, degrees-minutes-seconds, degrees and decimal
//! minutes (as coastguards write them); formatting and one lenient reader.
//!
//! Units: degrees WGS84 (latitude north positive, longitude east positive).
//!
//! Forms written: DD `51.125000° N, 1.312500° E` (6 decimals ≈ 0.1 m); DMS
//! `51°07'30.0"N 1°18'45.0"E` (0.1″ ≈ 3 m… 2 m); DDM `51°07.500'N 001°18.750'E` (0.001′ ≈ 2 m).
//! Read: any of them, with N/S/E/W (or the French O for ouest) before or after each half or
//! signs, `°` `'` `"` (and ′ ″ º) or spaces between the parts, a comma or spaces between
//! latitude and longitude. Without letters the latitude comes first (as on charts and in most
//! map apps); with letters the order is free.

/// A WGS84 text form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wgs84Form {
    /// Decimal degrees.
    Dd,
    /// Degrees, minutes, seconds.
    Dms,
    /// Degrees and decimal minutes.
    Ddm,
}

impl Wgs84Form {
    /// All forms, in the switch's order.
    pub const ALL: [Wgs84Form; 3] = [Wgs84Form::Dd, Wgs84Form::Dms, Wgs84Form::Ddm];

    /// A stable key (the remembered choice, `data-form`).
    pub fn key(self) -> &'static str {
        match self {
            Wgs84Form::Dd => "dd",
            Wgs84Form::Dms => "dms",
            Wgs84Form::Ddm => "ddm",
        }
    }

    /// The form of a key.
    pub fn from_key(k: &str) -> Option<Wgs84Form> {
        Wgs84Form::ALL.into_iter().find(|f| f.key() == k)
    }
}

/// Which half of a position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Half {
    /// The latitude.
    Latitude,
    /// The longitude.
    Longitude,
}

/// Why a text is not a WGS84 position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wgs84Error {
    /// A character that belongs to no form (its position in characters).
    Character(usize),
    /// Not two halves of one to three numbers each.
    Shape,
    /// Two latitudes or two longitudes (N and S, or E and W, letters on both halves).
    SameAxisTwice,
    /// Degrees with a fraction followed by minutes, or minutes with one followed by seconds.
    FractionBeforeMore(Half),
    /// Minutes or seconds of 60 or more.
    MinutesOrSeconds(Half),
    /// Beyond ±90° of latitude or ±180° of longitude.
    OutOfRange(Half),
}

fn hemi(v: f64, pos: char, neg: char) -> char {
    if v < 0.0 { neg } else { pos }
}

/// Splits |v| into whole degrees and minutes rounded to `dec` decimals, carrying a rounded 60.
fn deg_min(v: f64, dec: i32) -> (u32, f64) {
    let scale = 10f64.powi(dec);
    let total = (v.abs() * 60.0 * scale).round() / scale;
    let d = (total / 60.0).floor();
    (d as u32, (total - d * 60.0).max(0.0))
}

/// Splits |v| into degrees, minutes and seconds rounded to `dec` decimals.
fn deg_min_sec(v: f64, dec: i32) -> (u32, u32, f64) {
    let scale = 10f64.powi(dec);
    let total = (v.abs() * 3600.0 * scale).round() / scale;
    let d = (total / 3600.0).floor();
    let m = ((total - d * 3600.0) / 60.0).floor();
    (d as u32, m as u32, (total - d * 3600.0 - m * 60.0).max(0.0))
}

/// The text of a position in a form.
pub fn format(lon: f64, lat: f64, form: Wgs84Form) -> String {
    let (ns, ew) = (hemi(lat, 'N', 'S'), hemi(lon, 'E', 'W'));
    match form {
        Wgs84Form::Dd => format!("{:.6}° {ns}, {:.6}° {ew}", lat.abs(), lon.abs()),
        Wgs84Form::Dms => {
            let (ad, am, asec) = deg_min_sec(lat, 1);
            let (od, om, osec) = deg_min_sec(lon, 1);
            format!("{ad}°{am:02}'{asec:04.1}\"{ns} {od}°{om:02}'{osec:04.1}\"{ew}")
        }
        Wgs84Form::Ddm => {
            let (ad, am) = deg_min(lat, 3);
            let (od, om) = deg_min(lon, 3);
            format!("{ad:02}°{am:06.3}'{ns} {od:03}°{om:06.3}'{ew}")
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Tok {
    Num(f64, bool),
    Hemi(char),
    Comma,
}

fn tokens(text: &str) -> Result<Vec<Tok>, Wgs84Error> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            '0'..='9' | '.' | '-' | '+' | '−' => {
                let start = i;
                i += 1;
                while chars
                    .get(i)
                    .is_some_and(|c| c.is_ascii_digit() || *c == '.')
                {
                    i += 1;
                }
                let s: String = chars
                    .get(start..i)
                    .unwrap_or_default()
                    .iter()
                    .map(|&c| if c == '−' { '-' } else { c })
                    .collect();
                let v = crate::decimal::parse_f64(&s).ok_or(Wgs84Error::Character(start))?;
                out.push(Tok::Num(v, s.contains('.')));
                continue;
            }
            'N' | 'n' | 'S' | 's' | 'E' | 'e' | 'W' | 'w' | 'O' | 'o' => {
                let h = match c.to_ascii_uppercase() {
                    'O' => 'W',
                    u => u,
                };
                out.push(Tok::Hemi(h));
            }
            ',' | ';' => out.push(Tok::Comma),
            '°' | 'º' | '\'' | '"' | '′' | '″' | '’' | '”' => {}
            c if c.is_whitespace() => {}
            _ => return Err(Wgs84Error::Character(i)),
        }
        i += 1;
    }
    Ok(out)
}

/// One half: its numbers and its letter.
#[derive(Default)]
struct Part {
    nums: Vec<(f64, bool)>,
    hemi: Option<char>,
}

fn split(toks: &[Tok]) -> Result<[Part; 2], Wgs84Error> {
    let prefix = matches!(toks.first(), Some(Tok::Hemi(_)));
    let mut parts: Vec<Part> = vec![Part::default()];
    let has_letters = toks.iter().any(|t| matches!(t, Tok::Hemi(_)));
    for t in toks {
        let cur_len = parts.len();
        match *t {
            Tok::Num(v, f) => {
                if let Some(p) = parts.last_mut() {
                    // A suffix letter closed the part: a number after it starts the next.
                    if !prefix && p.hemi.is_some() {
                        parts.push(Part {
                            nums: vec![(v, f)],
                            hemi: None,
                        });
                    } else {
                        p.nums.push((v, f));
                    }
                }
            }
            Tok::Hemi(h) => {
                if prefix {
                    let last_empty = parts
                        .last()
                        .is_some_and(|p| p.nums.is_empty() && p.hemi.is_none());
                    if !last_empty {
                        parts.push(Part::default());
                    }
                }
                if let Some(p) = parts.last_mut() {
                    if p.hemi.is_some() {
                        return Err(Wgs84Error::Shape);
                    }
                    p.hemi = Some(h);
                }
            }
            Tok::Comma => {
                if has_letters {
                    continue;
                }
                if parts.last().is_some_and(|p| !p.nums.is_empty()) && cur_len == 1 {
                    parts.push(Part::default());
                } else {
                    return Err(Wgs84Error::Shape);
                }
            }
        }
    }
    // No letters and no comma: split the numbers in half (1+1, 2+2, 3+3).
    if parts.len() == 1 {
        let all = parts.pop().map(|p| p.nums).unwrap_or_default();
        if !all.len().is_multiple_of(2) {
            return Err(Wgs84Error::Shape);
        }
        let (a, b) = all.split_at(all.len() / 2);
        parts = vec![
            Part {
                nums: a.to_vec(),
                hemi: None,
            },
            Part {
                nums: b.to_vec(),
                hemi: None,
            },
        ];
    }
    match <[Part; 2]>::try_from(parts) {
        Ok(p) if p.iter().all(|p| (1..=3).contains(&p.nums.len())) => Ok(p),
        _ => Err(Wgs84Error::Shape),
    }
}

fn value(p: &Part, half: Half) -> Result<f64, Wgs84Error> {
    let mut total = 0.0;
    let mut sign = 1.0;
    for (k, &(v, frac)) in p.nums.iter().enumerate() {
        if k > 0 && v < 0.0 {
            return Err(Wgs84Error::Shape);
        }
        if k == 0 && v < 0.0 || (k == 0 && v == 0.0 && v.is_sign_negative()) {
            sign = -1.0;
        }
        if frac && k + 1 < p.nums.len() {
            return Err(Wgs84Error::FractionBeforeMore(half));
        }
        if k > 0 && v >= 60.0 {
            return Err(Wgs84Error::MinutesOrSeconds(half));
        }
        total += v.abs() / 60f64.powi(k as i32);
    }
    if matches!(p.hemi, Some('S' | 'W')) {
        if sign < 0.0 {
            return Err(Wgs84Error::Shape);
        }
        sign = -1.0;
    }
    let v = sign * total;
    let limit = match half {
        Half::Latitude => 90.0,
        Half::Longitude => 180.0,
    };
    if v.abs() > limit {
        return Err(Wgs84Error::OutOfRange(half));
    }
    Ok(v)
}

/// Reads a WGS84 position in any of the three forms: `(lon, lat)` in degrees.
pub fn parse(text: &str) -> Result<(f64, f64), Wgs84Error> {
    let toks = tokens(text)?;
    let [a, b] = split(&toks)?;
    let axis = |p: &Part| match p.hemi {
        Some('N' | 'S') => Some(Half::Latitude),
        Some(_) => Some(Half::Longitude),
        None => None,
    };
    let (lat, lon) = match (axis(&a), axis(&b)) {
        (Some(x), Some(y)) if x == y => return Err(Wgs84Error::SameAxisTwice),
        (Some(Half::Longitude), _) | (None, Some(Half::Latitude)) => (b, a),
        _ => (a, b),
    };
    Ok((value(&lon, Half::Longitude)?, value(&lat, Half::Latitude)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: (f64, f64), b: (f64, f64)) -> bool {
        (a.0 - b.0).abs() < 1e-7 && (a.1 - b.1).abs() < 1e-7
    }

    #[test]
    fn formats_the_three_forms() {
        let (lon, lat) = (1.3125, 51.125_027_777_8);
        assert_eq!(
            format(lon, lat, Wgs84Form::Dms),
            "51°07'30.1\"N 1°18'45.0\"E"
        );
        assert_eq!(format(lon, lat, Wgs84Form::Ddm), "51°07.502'N 001°18.750'E");
        assert_eq!(
            format(-0.5, -3.25, Wgs84Form::Dd),
            "3.250000° S, 0.500000° W"
        );
    }

    #[test]
    fn reads_leniently() {
        let want = (1.3125, 51.125);
        for t in [
            "51.125, 1.3125",
            "51.125 1.3125",
            "51.125N 1.3125E",
            "1.3125 E 51.125 N",
            "N51 07.5 E001 18.75",
            "51°07.500'N 001°18.750'E",
            "51°07'30\"N 1°18'45\"E",
            "51 7 30 1 18 45",
            "51° 7′ 30″ N, 1° 18′ 45″ E",
        ] {
            assert!(close(parse(t).unwrap(), want), "{t}: {:?}", parse(t));
        }
        assert!(close(parse("-51.5, -1.25").unwrap(), (-1.25, -51.5)));
        assert!(close(parse("51.5 N 1.25 O").unwrap(), (-1.25, 51.5)));
    }

    #[test]
    fn names_what_is_wrong() {
        assert_eq!(parse("51.1x, 1.3"), Err(Wgs84Error::Character(4)));
        assert_eq!(parse("51.125"), Err(Wgs84Error::Shape));
        assert_eq!(parse("51N 1N"), Err(Wgs84Error::SameAxisTwice));
        assert_eq!(
            parse("51 61 1 18"),
            Err(Wgs84Error::MinutesOrSeconds(Half::Latitude))
        );
        assert_eq!(
            parse("51.5 7 1 18"),
            Err(Wgs84Error::FractionBeforeMore(Half::Latitude))
        );
        assert_eq!(parse("95, 1"), Err(Wgs84Error::OutOfRange(Half::Latitude)));
        assert_eq!(
            parse("50, 181"),
            Err(Wgs84Error::OutOfRange(Half::Longitude))
        );
    }
}
