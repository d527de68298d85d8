//! PNG text chunks: `tEXt` (Latin-1 keyword and text) and `iTXt` (UTF-8 text, uncompressed)
//! written into an encoded PNG before its `IEND` chunk, and every text chunk read back.
//!
//! Units: bytes. A chunk is a 4-byte big-endian length, a 4-byte type, the data and the CRC-32
//! (ISO-HDLC, the PNG one) of type and data (PNG specification, 3rd edition, §5.3).
//!
//! The CRC is the `crc` crate's with `NoTable` (bit by bit): we checksum only the few kB of
//! text chunks we write (the image's own chunks keep their CRCs), and the table-driven
//! `crc32fast` would ship its 16 KiB slice-by-16 table (`[[u32; 256]; 16]`) in the bundle.
//! Reading checks every chunk's CRC (tests, and anyone checking a record).

use crc::{CRC_32_ISO_HDLC, Crc, NoTable};

/// The 8 bytes every PNG starts with.
pub const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

const CRC32: Crc<u32, NoTable> = Crc::<u32, NoTable>::new(&CRC_32_ISO_HDLC);

/// One text chunk: a keyword (1–79 printable Latin-1 characters, no leading, trailing or
/// double space) and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextChunk {
    /// `tEXt`: keyword and text in Latin-1 (a character above U+00FF is refused).
    Latin1 { keyword: String, text: String },
    /// `iTXt`: UTF-8 text, uncompressed, no language tag.
    Utf8 { keyword: String, text: String },
}

impl TextChunk {
    /// The keyword.
    pub fn keyword(&self) -> &str {
        match self {
            TextChunk::Latin1 { keyword, .. } | TextChunk::Utf8 { keyword, .. } => keyword,
        }
    }

    /// The text.
    pub fn text(&self) -> &str {
        match self {
            TextChunk::Latin1 { text, .. } | TextChunk::Utf8 { text, .. } => text,
        }
    }
}

/// Why a PNG could not be read or written.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum PngError {
    #[error("not a PNG (no signature)")]
    NotPng,
    /// The chunk starting at byte `at` runs past the end.
    #[error("chunk at byte {at} runs past the end")]
    Truncated { at: usize },
    /// The chunk starting at byte `at` has a wrong CRC.
    #[error("chunk at byte {at} has a wrong CRC")]
    BadCrc { at: usize },
    #[error("no IEND chunk")]
    NoEnd,
    /// A keyword that PNG does not allow (empty, over 79 bytes, not printable Latin-1, spaces).
    #[error("keyword {0:?} is not a PNG keyword")]
    BadKeyword(String),
    /// A `tEXt` text with a character outside Latin-1.
    #[error("text of {0:?} is not Latin-1")]
    NotLatin1(String),
    /// A text chunk whose data is not laid out as its type says (or a compressed `iTXt`).
    #[error("text chunk at byte {at} is malformed or compressed")]
    BadText { at: usize },
}

fn latin1(s: &str) -> Option<Vec<u8>> {
    s.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect()
}

fn keyword_bytes(k: &str) -> Result<Vec<u8>, PngError> {
    let bad = || PngError::BadKeyword(k.to_string());
    let b = latin1(k).ok_or_else(bad)?;
    let printable = b.iter().all(|&c| (32..=126).contains(&c) || c >= 161);
    if b.is_empty()
        || b.len() > 79
        || !printable
        || k.starts_with(' ')
        || k.ends_with(' ')
        || k.contains("  ")
    {
        return Err(bad());
    }
    Ok(b)
}

/// A whole chunk (length, type, data, CRC).
fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 12);
    out.extend_from_slice(&u32::try_from(data.len()).unwrap_or(u32::MAX).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut d = CRC32.digest();
    d.update(kind);
    d.update(data);
    out.extend_from_slice(&d.finalize().to_be_bytes());
    out
}

fn encode(c: &TextChunk) -> Result<Vec<u8>, PngError> {
    let mut data = keyword_bytes(c.keyword())?;
    data.push(0);
    match c {
        TextChunk::Latin1 { text, .. } => {
            data.extend(latin1(text).ok_or_else(|| PngError::NotLatin1(c.keyword().into()))?);
            Ok(chunk(b"tEXt", &data))
        }
        TextChunk::Utf8 { text, .. } => {
            // Not compressed, method 0, no language tag, no translated keyword.
            data.extend_from_slice(&[0, 0, 0, 0]);
            data.extend_from_slice(text.as_bytes());
            Ok(chunk(b"iTXt", &data))
        }
    }
}

/// A chunk as read: where it starts, its type and its data.
struct Raw<'a> {
    at: usize,
    kind: [u8; 4],
    data: &'a [u8],
}

/// Every chunk of `png`, each CRC checked, up to and including `IEND`.
fn chunks(png: &[u8]) -> Result<Vec<Raw<'_>>, PngError> {
    let mut rest = png.strip_prefix(&SIGNATURE).ok_or(PngError::NotPng)?;
    let mut at = SIGNATURE.len();
    let mut out = Vec::new();
    loop {
        let Some((head, after)) = rest.split_first_chunk::<8>() else {
            return Err(if rest.is_empty() {
                PngError::NoEnd
            } else {
                PngError::Truncated { at }
            });
        };
        let [l0, l1, l2, l3, k0, k1, k2, k3] = *head;
        let len = usize::try_from(u32::from_be_bytes([l0, l1, l2, l3]))
            .map_err(|_| PngError::Truncated { at })?;
        let kind = [k0, k1, k2, k3];
        if after.len() < len.saturating_add(4) {
            return Err(PngError::Truncated { at });
        }
        let (data, after) = after.split_at(len);
        let (crc, after) = after.split_at(4);
        let mut d = CRC32.digest();
        d.update(&kind);
        d.update(data);
        if crc != d.finalize().to_be_bytes() {
            return Err(PngError::BadCrc { at });
        }
        out.push(Raw { at, kind, data });
        if &kind == b"IEND" {
            return Ok(out);
        }
        at += 12 + len;
        rest = after;
    }
}

/// `png` with `texts` inserted as chunks just before its `IEND` (the image's chunks kept
/// byte for byte). Refuses a PNG that does not read (bad CRC, no `IEND`) and a bad keyword.
pub fn insert_text_chunks(png: &[u8], texts: &[TextChunk]) -> Result<Vec<u8>, PngError> {
    let all = chunks(png)?;
    let end = all.last().map_or(png.len(), |c| c.at);
    let (head, tail) = png.split_at(end.min(png.len()));
    let mut out =
        Vec::with_capacity(png.len() + texts.iter().map(|t| t.text().len() + 96).sum::<usize>());
    out.extend_from_slice(head);
    for t in texts {
        out.extend(encode(t)?);
    }
    out.extend_from_slice(tail);
    Ok(out)
}

fn split_keyword(data: &[u8]) -> Option<(String, &[u8])> {
    let nul = data.iter().position(|&b| b == 0)?;
    let (k, rest) = data.split_at(nul);
    Some((k.iter().map(|&b| char::from(b)).collect(), rest.get(1..)?))
}

/// Every `tEXt` and uncompressed `iTXt` chunk of `png`, in file order; every chunk's CRC is
/// checked. A compressed `iTXt` or a malformed text chunk is an error (we never write one).
pub fn read_text_chunks(png: &[u8]) -> Result<Vec<TextChunk>, PngError> {
    let mut out = Vec::new();
    for c in chunks(png)? {
        let bad = PngError::BadText { at: c.at };
        match &c.kind {
            b"tEXt" => {
                let (keyword, text) = split_keyword(c.data).ok_or(bad)?;
                let text = text.iter().map(|&b| char::from(b)).collect();
                out.push(TextChunk::Latin1 { keyword, text });
            }
            b"iTXt" => {
                let (keyword, rest) = split_keyword(c.data).ok_or(bad.clone())?;
                let [0, _method, rest @ ..] = rest else {
                    return Err(bad);
                };
                // Language tag and translated keyword, each up to a NUL.
                let mut parts = rest.splitn(3, |&b| b == 0);
                let (Some(_lang), Some(_translated), Some(text)) =
                    (parts.next(), parts.next(), parts.next())
                else {
                    return Err(bad);
                };
                let text = String::from_utf8(text.to_vec()).map_err(|_| bad)?;
                out.push(TextChunk::Utf8 { keyword, text });
            }
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1 × 1 grey PNG made by hand: IHDR, IDAT (zlib of one filter byte and one pixel), IEND.
    pub(crate) fn tiny_png() -> Vec<u8> {
        let mut png = SIGNATURE.to_vec();
        png.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]));
        png.extend(chunk(
            b"IDAT",
            &[
                0x78, 0x01, 0x01, 0x02, 0x00, 0xfd, 0xff, 0x00, 0x80, 0x00, 0x82, 0x00, 0x81,
            ],
        ));
        png.extend(chunk(b"IEND", &[]));
        png
    }

    #[test]
    fn crc_is_the_png_one() {
        // The IEND chunk's CRC is the same in every PNG: AE 42 60 82.
        assert_eq!(chunk(b"IEND", &[])[8..], [0xae, 0x42, 0x60, 0x82]);
        // The check value of CRC-32/ISO-HDLC.
        assert_eq!(CRC32.checksum(b"123456789"), 0xcbf4_3926);
    }

    #[test]
    fn texts_round_trip_and_the_image_stays() {
        let png = tiny_png();
        let json = "{\"note\":\"Écluse Carnot — 2 bateaux, 14 h\"}";
        let texts = [
            TextChunk::Latin1 {
                keyword: "Software".into(),
                text: "calais-map 0.1.0 é".into(),
            },
            TextChunk::Utf8 {
                keyword: "Calais-Map-Sidecar".into(),
                text: json.into(),
            },
        ];
        let out = insert_text_chunks(&png, &texts).unwrap();
        assert_eq!(read_text_chunks(&out).unwrap(), texts);
        // The image's chunks are kept byte for byte; IEND is still last.
        let iend = png.len() - 12;
        assert_eq!(out[..iend], png[..iend]);
        assert_eq!(out[out.len() - 12..], png[iend..]);
        // Every chunk still reads with a good CRC.
        assert_eq!(chunks(&out).unwrap().len(), 5);
    }

    #[test]
    fn damage_is_reported_not_read() {
        let png = tiny_png();
        let out = insert_text_chunks(
            &png,
            &[TextChunk::Utf8 {
                keyword: "k".into(),
                text: "text".into(),
            }],
        )
        .unwrap();
        let mut flipped = out.clone();
        let i = out.len() - 20; // inside the iTXt chunk's text
        flipped[i] ^= 1;
        assert!(matches!(
            read_text_chunks(&flipped),
            Err(PngError::BadCrc { .. })
        ));
        assert_eq!(
            read_text_chunks(&out[..out.len() - 3]),
            Err(PngError::Truncated { at: out.len() - 12 })
        );
        assert_eq!(
            read_text_chunks(&out[..out.len() - 12]),
            Err(PngError::NoEnd)
        );
        assert_eq!(read_text_chunks(b"GIF89a"), Err(PngError::NotPng));
        for k in ["", " lead", "two  spaces", &"x".repeat(80), "tab\t"] {
            let t = TextChunk::Latin1 {
                keyword: k.into(),
                text: String::new(),
            };
            assert_eq!(
                insert_text_chunks(&png, &[t]),
                Err(PngError::BadKeyword(k.into()))
            );
        }
        let t = TextChunk::Latin1 {
            keyword: "k".into(),
            text: "€".into(),
        };
        assert_eq!(
            insert_text_chunks(&png, &[t]),
            Err(PngError::NotLatin1("k".into()))
        );
    }
}
