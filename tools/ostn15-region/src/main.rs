//! Writes the OSTN15 shifts (ETRS89 → OSGB36, metres) of a rectangle of the National Grid's
//! 1 km nodes, read from the `ostn15_phf` crate (the whole of Britain, © Ordnance Survey), to
//! the small binary file the app fetches (`public/data/ostn15-kent.bin`).
//!
//! Usage: `cargo run --release -- OUT.bin` (from `tools/ostn15-region/`; `scripts/ostn15-region.sh`).
//!
//! The rectangle, in ETRS89 National Grid kilometres (E 560–700, N 70–200): Kent from the Thames
//! estuary (Southend, E 588 N 186) to Dungeness (E 609 N 117), the Strait, and the French coast
//! as far as OSTN15 has data. OSTN15's grid ends at E 700 km (its 701 columns are 0–700 km):
//! Calais (E 671) and Gravelines (E 690) are inside it, Dunkirk (E 707) is not.
//!
//! Format (little-endian), read by `calais_core::grids::ostn15`:
//! - bytes 0..8: the magic `OSTN15R1`;
//! - u16 e0_km, u16 n0_km (the south-west node), u16 cols, u16 rows;
//! - i32 base_e_mm, i32 base_n_mm (the shifts are stored as i16 millimetres from these);
//! - then rows × cols nodes, row by row from the south, west to east: i16 de_mm, i16 dn_mm
//!   (the easting and northing shifts minus the base; a node with no data is i16::MIN, i16::MIN).
use std::io::Write;

const E0_KM: i32 = 560;
const E1_KM: i32 = 700;
const N0_KM: i32 = 70;
const N1_KM: i32 = 200;
/// OSTN15's node index: e + n × 701 + 1 (the crate's key, its data file's Point_ID).
const ROW: i32 = 701;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args().nth(1).ok_or("usage: ostn15-region OUT.bin")?;
    let cols = E1_KM - E0_KM + 1;
    let rows = N1_KM - N0_KM + 1;
    let mut nodes = Vec::with_capacity((cols * rows) as usize);
    for n in N0_KM..=N1_KM {
        for e in E0_KM..=E1_KM {
            nodes.push(ostn15_phf::ostn15_lookup(&(e + n * ROW + 1)).map(|(de, dn, _)| {
                ((de * 1000.0).round() as i32, (dn * 1000.0).round() as i32)
            }));
        }
    }
    let present: Vec<(i32, i32)> = nodes.iter().flatten().copied().collect();
    let base_e = present.iter().map(|p| p.0).sum::<i32>() / present.len().max(1) as i32;
    let base_n = present.iter().map(|p| p.1).sum::<i32>() / present.len().max(1) as i32;
    let mut buf = Vec::new();
    buf.extend_from_slice(b"OSTN15R1");
    for v in [E0_KM, N0_KM, cols, rows] {
        buf.extend_from_slice(&u16::try_from(v)?.to_le_bytes());
    }
    buf.extend_from_slice(&base_e.to_le_bytes());
    buf.extend_from_slice(&base_n.to_le_bytes());
    for node in &nodes {
        let (de, dn) = match node {
            Some((e, n)) => (i16::try_from(e - base_e)?, i16::try_from(n - base_n)?),
            None => (i16::MIN, i16::MIN),
        };
        buf.extend_from_slice(&de.to_le_bytes());
        buf.extend_from_slice(&dn.to_le_bytes());
    }
    std::fs::File::create(&out)?.write_all(&buf)?;
    eprintln!(
        "{out}: {} bytes, {cols} x {rows} nodes, {} with data",
        buf.len(),
        present.len()
    );
    Ok(())
}
