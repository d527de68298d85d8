//! Colours as viewers with a colour-vision deficiency see them (issue 15, item 5): the
//! palette's checks (`tests/colour_vision.rs`) simulate protanopia, deuteranopia and
//! tritanopia and measure what is left of a difference.
//!
//! Units: colours are sRGB bytes (`[u8; 3]`, D65 white); the simulation works on linear RGB
//! (0–1); differences are CIEDE2000 ΔE₀₀ in CIELAB (D65), where 1 is about a just-noticeable
//! difference side by side and 10 or more tells two small marks apart at a glance.
//!
//! The simulation is Machado, Oliveira & Fernandes (2009), "A Physiologically-based Model for
//! Simulation of Color Vision Deficiency" (IEEE TVCG 15(6)), at severity 1.0 (dichromacy, the
//! worst case), applied to linear RGB as the authors' matrices are meant. CIEDE2000 follows
//! Sharma, Wu & Dalal (2005), whose test pairs `tests/colour_vision.rs` checks.

/// A colour-vision deficiency (dichromacy: one cone type missing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deficiency {
    /// No L cones (red-weak), about 1 % of men.
    Protanopia,
    /// No M cones (green-weak), about 1 % of men (with the anomalous forms, 6 %).
    Deuteranopia,
    /// No S cones (blue-weak), rare.
    Tritanopia,
}

impl Deficiency {
    pub const ALL: [Deficiency; 3] = [
        Deficiency::Protanopia,
        Deficiency::Deuteranopia,
        Deficiency::Tritanopia,
    ];

    /// Machado et al. (2009), severity 1.0, on linear RGB.
    fn matrix(self) -> [[f64; 3]; 3] {
        match self {
            Deficiency::Protanopia => [
                [0.152286, 1.052583, -0.204868],
                [0.114503, 0.786281, 0.099216],
                [-0.003882, -0.048116, 1.051998],
            ],
            Deficiency::Deuteranopia => [
                [0.367322, 0.860646, -0.227968],
                [0.280085, 0.672501, 0.047413],
                [-0.011820, 0.042940, 0.968881],
            ],
            Deficiency::Tritanopia => [
                [1.255528, -0.076749, -0.178779],
                [-0.078411, 0.930809, 0.147602],
                [0.004733, 0.691367, 0.303900],
            ],
        }
    }
}

/// An sRGB byte as linear light, 0–1.
fn linear(c: u8) -> f64 {
    let c = f64::from(c) / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// Linear RGB (0–1) of an sRGB colour, as seen with `deficiency` (`None`: normal vision).
pub fn seen(rgb: [u8; 3], deficiency: Option<Deficiency>) -> [f64; 3] {
    let l = rgb.map(linear);
    let Some(d) = deficiency else { return l };
    d.matrix()
        .map(|row| (row[0] * l[0] + row[1] * l[1] + row[2] * l[2]).clamp(0.0, 1.0))
}

/// CIELAB (D65) of a linear RGB colour.
pub fn lab(l: [f64; 3]) -> [f64; 3] {
    let x = 0.412_456_4 * l[0] + 0.357_576_1 * l[1] + 0.180_437_5 * l[2];
    let y = 0.212_672_9 * l[0] + 0.715_152_2 * l[1] + 0.072_175_0 * l[2];
    let z = 0.019_333_9 * l[0] + 0.119_192_0 * l[1] + 0.950_304_1 * l[2];
    let f = |t: f64| {
        if t > 216.0 / 24_389.0 {
            t.cbrt()
        } else {
            (24_389.0 / 27.0 * t + 16.0) / 116.0
        }
    };
    let (fx, fy, fz) = (f(x / 0.950_47), f(y), f(z / 1.088_83));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

/// CIEDE2000 colour difference ΔE₀₀ between two CIELAB colours (kL = kC = kH = 1).
pub fn ciede2000(p: [f64; 3], q: [f64; 3]) -> f64 {
    let [l1, a1, b1] = p;
    let [l2, a2, b2] = q;
    let pow7 = |c: f64| c.powi(7);
    let c_bar = (a1.hypot(b1) + a2.hypot(b2)) / 2.0;
    let g = 0.5 * (1.0 - (pow7(c_bar) / (pow7(c_bar) + pow7(25.0))).sqrt());
    let (a1p, a2p) = ((1.0 + g) * a1, (1.0 + g) * a2);
    let (c1p, c2p) = (a1p.hypot(b1), a2p.hypot(b2));
    let hue = |a: f64, b: f64| {
        if a == 0.0 && b == 0.0 {
            0.0
        } else {
            b.atan2(a).to_degrees().rem_euclid(360.0)
        }
    };
    let (h1, h2) = (hue(a1p, b1), hue(a2p, b2));
    let dl = l2 - l1;
    let dc = c2p - c1p;
    let chroma_zero = c1p * c2p == 0.0;
    let dh_angle = if chroma_zero {
        0.0
    } else {
        let d = h2 - h1;
        if d > 180.0 {
            d - 360.0
        } else if d < -180.0 {
            d + 360.0
        } else {
            d
        }
    };
    let dh = 2.0 * (c1p * c2p).sqrt() * (dh_angle.to_radians() / 2.0).sin();
    let l_bar = (l1 + l2) / 2.0;
    let cp_bar = (c1p + c2p) / 2.0;
    let h_bar = if chroma_zero {
        h1 + h2
    } else if (h1 - h2).abs() <= 180.0 {
        (h1 + h2) / 2.0
    } else if h1 + h2 < 360.0 {
        (h1 + h2 + 360.0) / 2.0
    } else {
        (h1 + h2 - 360.0) / 2.0
    };
    let cos = |deg: f64| deg.to_radians().cos();
    let t =
        1.0 - 0.17 * cos(h_bar - 30.0) + 0.24 * cos(2.0 * h_bar) + 0.32 * cos(3.0 * h_bar + 6.0)
            - 0.20 * cos(4.0 * h_bar - 63.0);
    let d_theta = 30.0 * (-((h_bar - 275.0) / 25.0).powi(2)).exp();
    let rc = 2.0 * (pow7(cp_bar) / (pow7(cp_bar) + pow7(25.0))).sqrt();
    let sl = 1.0 + 0.015 * (l_bar - 50.0).powi(2) / (20.0 + (l_bar - 50.0).powi(2)).sqrt();
    let sc = 1.0 + 0.045 * cp_bar;
    let sh = 1.0 + 0.015 * cp_bar * t;
    let rt = -(2.0 * d_theta).to_radians().sin() * rc;
    ((dl / sl).powi(2) + (dc / sc).powi(2) + (dh / sh).powi(2) + rt * (dc / sc) * (dh / sh)).sqrt()
}

/// ΔE₀₀ between two sRGB colours as seen with `deficiency` (`None`: normal vision).
pub fn difference(a: [u8; 3], b: [u8; 3], deficiency: Option<Deficiency>) -> f64 {
    ciede2000(lab(seen(a, deficiency)), lab(seen(b, deficiency)))
}

/// An sRGB colour written `#rrggbb` (the palette's CSS form); `None` for anything else.
pub fn parse_hex(css: &str) -> Option<[u8; 3]> {
    let hex = css.strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}
