//! OSTN15's horizontal shifts (ETRS89 → OSGB36) over a regional rectangle of its 1 km grid,
//! read from the app's grid file and interpolated bilinearly, as OSTN15 prescribes.
//!
//! Units: ETRS89 and OSGB36 National Grid eastings and northings, metres; the file's nodes are
//! every 1,000 m, their shifts stored in millimetres.
//!
//! The grid file (`public/data/ostn15-kent.bin`, made by `tools/ostn15-region` from the
//! `ostn15_phf` crate; © Ordnance Survey 2016, BSD-style licence, see that tool's README) holds
//! E 560–700 km × N 70–200 km: Kent from the Thames estuary to Dungeness, the Strait and the
//! French coast as far as OSTN15 reaches. OSTN15's grid ends at E 700 km (its 701 columns), so
//! Calais (E 671 km) is covered and Dunkirk (E 707 km) is not.
//!
//! Format (little-endian): the magic `OSTN15R1`; u16 e0_km, n0_km, cols, rows; i32 base_e_mm,
//! base_n_mm; then rows × cols nodes (row by row from the south, west to east) of i16 de_mm,
//! dn_mm, the shifts minus the base; `i16::MIN` in both for a node without data.
//!
//! The interpolation is hand-written: the crates that carry OSTN15 (`ostn15_phf`, `lonlat_bng`)
//! hold the whole of Britain's 876,951 nodes (a 4.5 MB xz data file turned into a static map of
//! about 21 MB), far over the bundle's budget; the region's 18,471 nodes are 73,900 bytes.

use thiserror::Error;

/// Bytes of the file's header.
const HEADER: usize = 24;
/// The file's magic.
const MAGIC: &[u8; 8] = b"OSTN15R1";
/// No data at a node.
const NO_DATA: i16 = i16::MIN;
/// A node every this many metres.
const STEP_M: f64 = 1000.0;

/// Why a grid file was refused.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum GridFileError {
    /// Not an OSTN15 region file (magic missing).
    #[error("not an OSTN15 region file")]
    NotAGridFile,
    /// Shorter or longer than its header says.
    #[error("grid file of {found} bytes, expected {expected}")]
    WrongLength {
        /// Bytes expected from the header.
        expected: usize,
        /// Bytes found.
        found: usize,
    },
}

/// The OSTN15 shifts of a rectangle of 1 km nodes.
#[derive(Clone, Debug, PartialEq)]
pub struct Ostn15Grid {
    e0_m: f64,
    n0_m: f64,
    cols: usize,
    rows: usize,
    base: (f64, f64),
    /// (de_mm, dn_mm) per node, row-major from the south-west.
    nodes: Vec<(i16, i16)>,
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    b.get(at..at + 2)
        .and_then(|s| s.try_into().ok())
        .map_or(0, u16::from_le_bytes)
}

fn i32_at(b: &[u8], at: usize) -> i32 {
    b.get(at..at + 4)
        .and_then(|s| s.try_into().ok())
        .map_or(0, i32::from_le_bytes)
}

impl Ostn15Grid {
    /// Reads a grid file.
    pub fn parse(bytes: &[u8]) -> Result<Ostn15Grid, GridFileError> {
        if bytes.get(..8) != Some(MAGIC.as_slice()) || bytes.len() < HEADER {
            return Err(GridFileError::NotAGridFile);
        }
        let cols = usize::from(u16_at(bytes, 12));
        let rows = usize::from(u16_at(bytes, 14));
        let expected = HEADER + cols * rows * 4;
        if bytes.len() != expected || cols < 2 || rows < 2 {
            return Err(GridFileError::WrongLength {
                expected,
                found: bytes.len(),
            });
        }
        let body = bytes.get(HEADER..).unwrap_or_default();
        let nodes = body
            .chunks_exact(4)
            .map(|c| match c {
                [a, b, c, d] => (i16::from_le_bytes([*a, *b]), i16::from_le_bytes([*c, *d])),
                _ => (NO_DATA, NO_DATA),
            })
            .collect();
        Ok(Ostn15Grid {
            e0_m: f64::from(u16_at(bytes, 8)) * STEP_M,
            n0_m: f64::from(u16_at(bytes, 10)) * STEP_M,
            cols,
            rows,
            base: (
                f64::from(i32_at(bytes, 16)) / 1000.0,
                f64::from(i32_at(bytes, 20)) / 1000.0,
            ),
            nodes,
        })
    }

    /// The rectangle the file covers: west, south, east, north (ETRS89 grid metres).
    pub fn bounds(&self) -> [f64; 4] {
        [
            self.e0_m,
            self.n0_m,
            self.e0_m + (self.cols - 1) as f64 * STEP_M,
            self.n0_m + (self.rows - 1) as f64 * STEP_M,
        ]
    }

    fn node(&self, col: usize, row: usize) -> Option<(f64, f64)> {
        if col >= self.cols || row >= self.rows {
            return None;
        }
        let &(de, dn) = self.nodes.get(row * self.cols + col)?;
        (de != NO_DATA).then(|| {
            (
                self.base.0 + f64::from(de) / 1000.0,
                self.base.1 + f64::from(dn) / 1000.0,
            )
        })
    }

    /// The shifts (metres, east and north) at an ETRS89 grid position, bilinear between the four
    /// nodes around it; `None` outside the file or where a node has no data.
    pub fn shift(&self, e: f64, n: f64) -> Option<(f64, f64)> {
        let fx = (e - self.e0_m) / STEP_M;
        let fy = (n - self.n0_m) / STEP_M;
        if !(fx.is_finite() && fy.is_finite()) || fx < 0.0 || fy < 0.0 {
            return None;
        }
        // In range: both non-negative and finite; a value past the last node is refused by `node`.
        let (col, row) = (fx.floor() as usize, fy.floor() as usize);
        let (t, u) = (fx - fx.floor(), fy - fy.floor());
        let s0 = self.node(col, row)?;
        let s1 = self.node(col + 1, row)?;
        let s2 = self.node(col + 1, row + 1)?;
        let s3 = self.node(col, row + 1)?;
        let mix = |a: f64, b: f64, c: f64, d: f64| {
            (1.0 - t) * (1.0 - u) * a + t * (1.0 - u) * b + t * u * c + (1.0 - t) * u * d
        };
        Some((mix(s0.0, s1.0, s2.0, s3.0), mix(s0.1, s1.1, s2.1, s3.1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Vec<u8> {
        let mut b = MAGIC.to_vec();
        for v in [600u16, 100, 2, 2] {
            b.extend_from_slice(&v.to_le_bytes());
        }
        b.extend_from_slice(&100_000i32.to_le_bytes());
        b.extend_from_slice(&(-80_000i32).to_le_bytes());
        for (de, dn) in [(0i16, 0i16), (1000, 0), (0, 1000), (1000, 1000)] {
            b.extend_from_slice(&de.to_le_bytes());
            b.extend_from_slice(&dn.to_le_bytes());
        }
        b
    }

    #[test]
    fn bilinear_between_nodes() {
        let g = Ostn15Grid::parse(&tiny()).unwrap();
        let (de, dn) = g.shift(600_500.0, 100_250.0).unwrap();
        assert!((de - 100.5).abs() < 1e-9, "{de}");
        assert!((dn + 79.75).abs() < 1e-9, "{dn}");
        assert_eq!(g.shift(601_000.5, 100_000.0), None);
        assert_eq!(g.shift(599_999.0, 100_000.0), None);
    }

    #[test]
    fn refuses_bad_files() {
        assert_eq!(Ostn15Grid::parse(b"nope"), Err(GridFileError::NotAGridFile));
        let mut b = tiny();
        b.pop();
        assert!(matches!(
            Ostn15Grid::parse(&b),
            Err(GridFileError::WrongLength { .. })
        ));
    }
}
