//! Four `f32` lanes for the heatmap's hot loops ([`F4`]): wasm SIMD (`core::arch::wasm32`,
//! one `v128` as `f32x4`) in the browser, a plain `[f32; 4]` everywhere else.
//!
//! Units: none (arithmetic only). Why hand-written: the release build compiles the whole
//! program (fat LTO) at the app's opt-level "z", which does not auto-vectorise, so the
//! smoothing's column pass lost its SIMD (density 10.6 → 12.8 ms for 100k reports in the
//! browser, BENCHMARKS.md "Bundle and the opt-levels"). Written with the
//! intrinsics, the vector code no longer depends on the optimiser; it earns its place only
//! while the benchmark says so (BENCHMARKS.md "Heatmap engine (issue 12)").
//!
//! Both implementations do the same IEEE `f32` operation per lane (add, sub, mul, compare; no
//! fused multiply-add, which wasm SIMD has not), so a sum written with [`Lane`] gives the same
//! bits natively as in the browser: the native tests check the browser's arithmetic. The
//! wasm-only part is the few intrinsics below (loads, stores, shuffles), checked against the
//! scalar reference by the benchmark page (`benchHeatmapCheck`).
//!
//! [`Lane`] is implemented by [`F4`] and by `f32` itself, so a loop written once serves the
//! vector body and the scalar tail of a row.

use std::ops::{Add, Mul, Sub};

/// Magnitudes below this are set to zero by [`Lane::flush`]. The smoothing's recursions decay
/// geometrically and would otherwise reach subnormal floats, on which x86 arithmetic (native
/// or a wasm engine's) is some 100 times slower (measured 36 ms instead of 4 ms for the rows
/// of 100k reports in wasm). A density of 1e-20 reports per cell is nothing.
pub const TINY: f32 = 1e-20;

/// What the smoothing and the peak need of a number or of four.
pub trait Lane: Copy + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> {
    /// Every lane `v`.
    fn splat(v: f32) -> Self;
    /// Lanes with `|v| < TINY` (and NaN) set to zero.
    fn flush(self) -> Self;
    /// `self` where it is above zero, else zero (NaN and -0 give 0).
    fn max0(self) -> Self;
    /// Lane-wise `if self < o { o } else { self }`.
    fn pmax(self, o: Self) -> Self;
}

impl Lane for f32 {
    #[inline(always)]
    fn splat(v: f32) -> f32 {
        v
    }
    #[inline(always)]
    fn flush(self) -> f32 {
        if self.abs() >= TINY { self } else { 0.0 }
    }
    #[inline(always)]
    fn max0(self) -> f32 {
        if 0.0 < self { self } else { 0.0 }
    }
    #[inline(always)]
    fn pmax(self, o: f32) -> f32 {
        if self < o { o } else { self }
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::{Lane, TINY};
    use core::arch::wasm32::{
        f32x4, f32x4_abs, f32x4_add, f32x4_extract_lane, f32x4_ge, f32x4_mul, f32x4_pmax,
        f32x4_splat, f32x4_sub, i32x4_shuffle, i64x2_shuffle, u32x4, u32x4_extract_lane, u32x4_min,
        u32x4_splat, u32x4_trunc_sat_f32x4, v128, v128_and, v128_any_true, v128_load, v128_store,
    };
    use std::ops::{Add, Mul, Sub};

    /// Four `f32` lanes in one wasm `v128`.
    #[derive(Clone, Copy, Debug)]
    pub struct F4(v128);

    impl F4 {
        #[inline(always)]
        pub fn new(v: [f32; 4]) -> F4 {
            let [a, b, c, d] = v;
            F4(f32x4(a, b, c, d))
        }
        #[inline(always)]
        pub fn load(p: &[f32; 4]) -> F4 {
            // SAFETY: `p` is 16 readable bytes; `v128_load` has no alignment requirement.
            F4(unsafe { v128_load(p.as_ptr().cast::<v128>()) })
        }
        #[inline(always)]
        pub fn store(self, p: &mut [f32; 4]) {
            // SAFETY: `p` is 16 writable bytes; `v128_store` has no alignment requirement.
            unsafe { v128_store(p.as_mut_ptr().cast::<v128>(), self.0) }
        }
        #[inline(always)]
        pub fn to_array(self) -> [f32; 4] {
            [
                f32x4_extract_lane::<0>(self.0),
                f32x4_extract_lane::<1>(self.0),
                f32x4_extract_lane::<2>(self.0),
                f32x4_extract_lane::<3>(self.0),
            ]
        }
        /// Whether no lane is `>= limit` (NaN is not).
        #[inline(always)]
        pub fn all_below(self, limit: f32) -> bool {
            !v128_any_true(f32x4_ge(self.0, f32x4_splat(limit)))
        }
        /// Each lane as a byte, saturating (`as u8`: NaN and below 0 give 0, above 255 gives
        /// 255), in `u32` lanes.
        #[inline(always)]
        pub fn to_bytes(self) -> B4 {
            B4(u32x4_min(u32x4_trunc_sat_f32x4(self.0), u32x4_splat(255)))
        }
        /// Rows to columns: lane `l` of output `k` is lane `k` of input `l`.
        #[inline(always)]
        pub fn transpose([a, b, c, d]: [F4; 4]) -> [F4; 4] {
            let t0 = i32x4_shuffle::<0, 4, 1, 5>(a.0, b.0);
            let t1 = i32x4_shuffle::<2, 6, 3, 7>(a.0, b.0);
            let t2 = i32x4_shuffle::<0, 4, 1, 5>(c.0, d.0);
            let t3 = i32x4_shuffle::<2, 6, 3, 7>(c.0, d.0);
            [
                F4(i64x2_shuffle::<0, 2>(t0, t2)),
                F4(i64x2_shuffle::<1, 3>(t0, t2)),
                F4(i64x2_shuffle::<0, 2>(t1, t3)),
                F4(i64x2_shuffle::<1, 3>(t1, t3)),
            ]
        }
    }

    /// Four bytes in `u32` lanes ([`F4::to_bytes`]).
    #[derive(Clone, Copy, Debug)]
    pub struct B4(v128);

    impl B4 {
        #[inline(always)]
        pub fn is_zero(self) -> bool {
            !v128_any_true(self.0)
        }
        /// `table[lane]` for each lane (a byte: no index is out of range).
        #[inline(always)]
        pub fn look_up(self, table: &[u32; 256]) -> B4 {
            let [a, b, c, d] = self.to_array();
            let at = |i: u32| table.get((i & 255) as usize).copied().unwrap_or(0);
            B4(u32x4(at(a), at(b), at(c), at(d)))
        }
        /// The four lanes as 16 little-endian bytes.
        #[inline(always)]
        pub fn store_bytes(self, p: &mut [u8; 16]) {
            // SAFETY: `p` is 16 writable bytes; `v128_store` has no alignment requirement.
            unsafe { v128_store(p.as_mut_ptr().cast::<v128>(), self.0) }
        }
        #[inline(always)]
        pub fn to_array(self) -> [u32; 4] {
            [
                u32x4_extract_lane::<0>(self.0),
                u32x4_extract_lane::<1>(self.0),
                u32x4_extract_lane::<2>(self.0),
                u32x4_extract_lane::<3>(self.0),
            ]
        }
    }

    impl Add for F4 {
        type Output = F4;
        #[inline(always)]
        fn add(self, o: F4) -> F4 {
            F4(f32x4_add(self.0, o.0))
        }
    }
    impl Sub for F4 {
        type Output = F4;
        #[inline(always)]
        fn sub(self, o: F4) -> F4 {
            F4(f32x4_sub(self.0, o.0))
        }
    }
    impl Mul for F4 {
        type Output = F4;
        #[inline(always)]
        fn mul(self, o: F4) -> F4 {
            F4(f32x4_mul(self.0, o.0))
        }
    }

    impl Lane for F4 {
        #[inline(always)]
        fn splat(v: f32) -> F4 {
            F4(f32x4_splat(v))
        }
        #[inline(always)]
        fn flush(self) -> F4 {
            let keep = f32x4_ge(f32x4_abs(self.0), f32x4_splat(TINY));
            F4(v128_and(self.0, keep))
        }
        #[inline(always)]
        fn max0(self) -> F4 {
            // pmax(0, v) = 0 < v ? v : 0
            F4(f32x4_pmax(f32x4_splat(0.0), self.0))
        }
        #[inline(always)]
        fn pmax(self, o: F4) -> F4 {
            F4(f32x4_pmax(self.0, o.0))
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::Lane;
    use std::ops::{Add, Mul, Sub};

    /// Four `f32` lanes (the wasm `v128`'s stand-in off the browser).
    #[derive(Clone, Copy, Debug, PartialEq)]
    pub struct F4([f32; 4]);

    impl F4 {
        #[inline(always)]
        pub fn new(v: [f32; 4]) -> F4 {
            F4(v)
        }
        #[inline(always)]
        pub fn load(p: &[f32; 4]) -> F4 {
            F4(*p)
        }
        #[inline(always)]
        pub fn store(self, p: &mut [f32; 4]) {
            *p = self.0;
        }
        #[inline(always)]
        pub fn to_array(self) -> [f32; 4] {
            self.0
        }
        /// Whether no lane is `>= limit` (NaN is not).
        #[inline(always)]
        pub fn all_below(self, limit: f32) -> bool {
            let [a, b, c, d] = self.0;
            !(a >= limit || b >= limit || c >= limit || d >= limit)
        }
        /// Each lane as a byte, saturating (`as u8`: NaN and below 0 give 0, above 255 gives
        /// 255), in `u32` lanes.
        #[inline(always)]
        pub fn to_bytes(self) -> B4 {
            let [a, b, c, d] = self.0;
            let f = |v: f32| u32::from(v as u8);
            B4([f(a), f(b), f(c), f(d)])
        }
        /// Rows to columns: lane `l` of output `k` is lane `k` of input `l`.
        #[inline(always)]
        pub fn transpose([a, b, c, d]: [F4; 4]) -> [F4; 4] {
            let ([a0, a1, a2, a3], [b0, b1, b2, b3]) = (a.0, b.0);
            let ([c0, c1, c2, c3], [d0, d1, d2, d3]) = (c.0, d.0);
            [
                F4([a0, b0, c0, d0]),
                F4([a1, b1, c1, d1]),
                F4([a2, b2, c2, d2]),
                F4([a3, b3, c3, d3]),
            ]
        }
        #[inline(always)]
        fn zip(self, o: F4, f: impl Fn(f32, f32) -> f32) -> F4 {
            let ([a0, a1, a2, a3], [b0, b1, b2, b3]) = (self.0, o.0);
            F4([f(a0, b0), f(a1, b1), f(a2, b2), f(a3, b3)])
        }
    }

    /// Four bytes in `u32` lanes ([`F4::to_bytes`]).
    #[derive(Clone, Copy, Debug, PartialEq)]
    pub struct B4([u32; 4]);

    impl B4 {
        #[inline(always)]
        pub fn is_zero(self) -> bool {
            self.0 == [0; 4]
        }
        /// `table[lane]` for each lane (a byte: no index is out of range).
        #[inline(always)]
        pub fn look_up(self, table: &[u32; 256]) -> B4 {
            let [a, b, c, d] = self.0;
            let at = |i: u32| table.get((i & 255) as usize).copied().unwrap_or(0);
            B4([at(a), at(b), at(c), at(d)])
        }
        /// The four lanes as 16 little-endian bytes.
        #[inline(always)]
        pub fn store_bytes(self, p: &mut [u8; 16]) {
            let [a, b, c, d] = self.0.map(u32::to_le_bytes);
            let [[a0, a1, a2, a3], [b0, b1, b2, b3]] = [a, b];
            let [[c0, c1, c2, c3], [d0, d1, d2, d3]] = [c, d];
            *p = [
                a0, a1, a2, a3, b0, b1, b2, b3, c0, c1, c2, c3, d0, d1, d2, d3,
            ];
        }
        #[inline(always)]
        pub fn to_array(self) -> [u32; 4] {
            self.0
        }
    }

    impl Add for F4 {
        type Output = F4;
        #[inline(always)]
        fn add(self, o: F4) -> F4 {
            self.zip(o, |a, b| a + b)
        }
    }
    impl Sub for F4 {
        type Output = F4;
        #[inline(always)]
        fn sub(self, o: F4) -> F4 {
            self.zip(o, |a, b| a - b)
        }
    }
    impl Mul for F4 {
        type Output = F4;
        #[inline(always)]
        fn mul(self, o: F4) -> F4 {
            self.zip(o, |a, b| a * b)
        }
    }

    impl Lane for F4 {
        #[inline(always)]
        fn splat(v: f32) -> F4 {
            F4([v; 4])
        }
        #[inline(always)]
        fn flush(self) -> F4 {
            let [a, b, c, d] = self.0;
            F4([a.flush(), b.flush(), c.flush(), d.flush()])
        }
        #[inline(always)]
        fn max0(self) -> F4 {
            let [a, b, c, d] = self.0;
            F4([a.max0(), b.max0(), c.max0(), d.max0()])
        }
        #[inline(always)]
        fn pmax(self, o: F4) -> F4 {
            self.zip(o, Lane::pmax)
        }
    }
}

pub use imp::{B4, F4};

impl Default for F4 {
    fn default() -> F4 {
        F4::splat(0.0)
    }
}

/// Eight lanes as two [`F4`]: two independent recursions in one loop, so that each waits on
/// its own previous output while the other computes.
#[derive(Clone, Copy, Debug, Default)]
pub struct F8(pub F4, pub F4);

impl Add for F8 {
    type Output = F8;
    #[inline(always)]
    fn add(self, o: F8) -> F8 {
        F8(self.0 + o.0, self.1 + o.1)
    }
}
impl Sub for F8 {
    type Output = F8;
    #[inline(always)]
    fn sub(self, o: F8) -> F8 {
        F8(self.0 - o.0, self.1 - o.1)
    }
}
impl Mul for F8 {
    type Output = F8;
    #[inline(always)]
    fn mul(self, o: F8) -> F8 {
        F8(self.0 * o.0, self.1 * o.1)
    }
}

impl Lane for F8 {
    #[inline(always)]
    fn splat(v: f32) -> F8 {
        F8(F4::splat(v), F4::splat(v))
    }
    #[inline(always)]
    fn flush(self) -> F8 {
        F8(self.0.flush(), self.1.flush())
    }
    #[inline(always)]
    fn max0(self) -> F8 {
        F8(self.0.max0(), self.1.max0())
    }
    #[inline(always)]
    fn pmax(self, o: F8) -> F8 {
        F8(self.0.pmax(o.0), self.1.pmax(o.1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_do_what_one_number_does() {
        let a = F4::new([1.5, -2.0, 1e-21, f32::NAN]);
        let b = F4::new([0.25, 3.0, -4.0, 1.0]);
        assert_eq!((a + b).to_array()[..3], [1.75, 1.0, -4.0]);
        assert_eq!((a - b).to_array()[..3], [1.25, -5.0, 4.0]);
        assert_eq!((a * b).to_array()[..2], [0.375, -6.0]);
        assert_eq!(a.flush().to_array(), [1.5, -2.0, 0.0, 0.0]);
        assert_eq!(a.max0().to_array(), [1.5, 0.0, 1e-21, 0.0]);
        assert_eq!(a.pmax(b).to_array()[..3], [1.5, 3.0, 1e-21]);
        let rows = [0, 1, 2, 3].map(|r| F4::new([0, 1, 2, 3].map(|c| (10 * r + c) as f32)));
        let cols = F4::transpose(rows).map(F4::to_array);
        assert_eq!(cols[2], [2.0, 12.0, 22.0, 32.0]);
        let mut out = [0.0f32; 4];
        F4::load(&[1.0, 2.0, 3.0, 4.0]).store(&mut out);
        assert_eq!(out, [1.0, 2.0, 3.0, 4.0]);
        let b = F4::new([-3.0, 254.9, 300.0, f32::NAN]).to_bytes();
        assert_eq!(b.to_array(), [0, 254, 255, 0]);
        assert!(!b.is_zero());
        assert!(F4::new([0.9, -1.0, 0.0, f32::NAN]).to_bytes().is_zero());
        assert!(F4::new([0.9, -1.0, 0.0, f32::NAN]).all_below(1.0));
        assert!(!F4::new([0.9, -1.0, 1.0, f32::NAN]).all_below(1.0));
    }
}
