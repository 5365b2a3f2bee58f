//! Exact numbers and value-stable random draws, the two things every generator needs.
//!
//! Draws come only from ChaCha8's `next_u64()` through the small helpers on [`Draw`] (rejection
//! sampling for ranges, index picks for slices), never from `rand`'s distribution code, whose
//! output may change between releases. The per-task key is derived with splitmix64 here rather
//! than by `seed_from_u64`, so the byte stream depends only on the ChaCha8 algorithm itself.
//! Answers are computed with [`Q`], a reduced `i128` fraction: no floats anywhere.

use std::fmt;
use std::ops::{Add, Div, Mul, Neg, Sub};

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

/// One step of splitmix64: a fixed, well-mixed map from a counter to 64 bits.
pub(crate) fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The random source of one generated task: ChaCha8 keyed by the seed, on the stream of the index.
///
/// Each task has its own stream, so a task's content depends only on (seed, index) and a shorter
/// batch is a prefix of a longer one.
pub(crate) struct Draw(ChaCha8Rng);

impl Draw {
    /// The draws of task `index` in the batch of `seed`.
    pub(crate) fn for_task(seed: u64, index: u64) -> Draw {
        let mut state = seed;
        let mut key = [0u8; 32];
        for chunk in key.chunks_exact_mut(8) {
            chunk.copy_from_slice(&splitmix64(&mut state).to_le_bytes());
        }
        let mut rng = ChaCha8Rng::from_seed(key);
        rng.set_stream(index);
        Draw(rng)
    }

    /// A uniform integer in `0..n` by rejection sampling (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n <= 1 {
            return 0;
        }
        let zone = (u64::MAX / n) * n;
        loop {
            let x = self.0.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }

    /// A uniform integer in `lo..=hi` (`lo` when the range is empty).
    pub(crate) fn int(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = hi.abs_diff(lo).saturating_add(1);
        lo.wrapping_add_unsigned(self.below(span))
    }

    /// A uniform non-zero integer in `lo..=hi`, assuming the range holds one.
    pub(crate) fn nonzero(&mut self, lo: i64, hi: i64) -> i64 {
        for _ in 0..64 {
            let v = self.int(lo, hi);
            if v != 0 {
                return v;
            }
        }
        if hi > 0 { hi } else { lo }
    }

    /// True with probability `num / den`.
    pub(crate) fn chance(&mut self, num: u64, den: u64) -> bool {
        self.below(den) < num
    }

    /// A uniform element of a non-empty slice.
    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.index(items.len())]
    }

    /// A uniform index into a collection of `len` elements.
    pub(crate) fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap_or_default()
    }

    /// `k` distinct elements of `items` in random order (all of them when `k` is larger).
    pub(crate) fn distinct<T: Copy>(&mut self, items: &[T], k: usize) -> Vec<T> {
        let mut pool: Vec<T> = items.to_vec();
        let k = k.min(pool.len());
        for i in 0..k {
            let j = i + self.index(pool.len() - i);
            pool.swap(i, j);
        }
        pool.truncate(k);
        pool
    }
}

/// Greatest common divisor (non-negative; `gcd(0, 0) = 0`).
pub(crate) fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// An exact rational number, always reduced with a positive denominator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Q {
    num: i128,
    den: i128,
}

impl Q {
    /// `num / den`, reduced. A zero denominator is a generator bug; it yields 0 (tests catch it).
    pub(crate) fn new(num: i128, den: i128) -> Q {
        debug_assert!(den != 0, "zero denominator");
        if den == 0 {
            return Q { num: 0, den: 1 };
        }
        let g = gcd(num, den).max(1);
        let sign = if den < 0 { -1 } else { 1 };
        Q { num: sign * num / g, den: sign * den / g }
    }

    /// The integer `n`.
    pub(crate) fn int(n: i64) -> Q {
        Q { num: i128::from(n), den: 1 }
    }

    /// The numerator (carries the sign).
    pub(crate) fn num(self) -> i128 {
        self.num
    }

    /// The denominator (positive).
    pub(crate) fn den(self) -> i128 {
        self.den
    }

    /// Whether the number is a whole number.
    pub(crate) fn is_int(self) -> bool {
        self.den == 1
    }

    /// Whether the number is below zero.
    pub(crate) fn is_negative(self) -> bool {
        self.num < 0
    }

    /// The absolute value.
    pub(crate) fn abs(self) -> Q {
        Q { num: self.num.abs(), den: self.den }
    }

    /// The largest integer not above the number.
    pub(crate) fn floor(self) -> i128 {
        self.num.div_euclid(self.den)
    }

    /// The smallest integer not below the number.
    pub(crate) fn ceil(self) -> i128 {
        -(-self.num).div_euclid(self.den)
    }

    /// The number to a non-negative integer power.
    pub(crate) fn pow(self, e: u32) -> Q {
        Q::new(self.num.pow(e), self.den.pow(e))
    }

    /// Whether the decimal expansion ends (the denominator is 2^a 5^b).
    pub(crate) fn terminates(self) -> bool {
        let mut d = self.den;
        for p in [2, 5] {
            while d % p == 0 {
                d /= p;
            }
        }
        d == 1
    }

    /// The exact decimal (`12.5`, `-0.25`, `7`), or `None` when it does not terminate.
    pub(crate) fn decimal(self) -> Option<String> {
        if !self.terminates() {
            return None;
        }
        let mut places = 0u32;
        let mut scaled = self.num.abs();
        let mut den = self.den;
        while den != 1 {
            // Multiply by 10 and cancel a factor 2 or 5 (or both) from the denominator.
            scaled *= 10;
            places += 1;
            let g = gcd(scaled, den);
            scaled /= g;
            den /= g;
        }
        let sign = if self.num < 0 { "-" } else { "" };
        if places == 0 {
            return Some(format!("{sign}{scaled}"));
        }
        let unit = 10i128.pow(places);
        let frac = format!("{:0width$}", scaled % unit, width = places as usize);
        Some(format!("{sign}{}.{}", scaled / unit, frac.trim_end_matches('0')))
    }

    /// LaTeX form for answers and symbolic problems: `5`, `\frac{3}{4}`, `-\frac{3}{4}`.
    pub(crate) fn latex(self) -> String {
        if self.den == 1 {
            return self.num.to_string();
        }
        let sign = if self.num < 0 { "-" } else { "" };
        format!("{sign}\\frac{{{}}}{{{}}}", self.num.abs(), self.den)
    }

    /// [`Q::latex`] in parentheses when negative, for use after an operator: `(-\frac{1}{2})`.
    pub(crate) fn paren(self) -> String {
        if self.is_negative() { format!("({})", self.latex()) } else { self.latex() }
    }

    /// Plain-text form for word-problem prose and solutions: a decimal when it ends, else `p/q`.
    pub(crate) fn plain(self) -> String {
        self.decimal().unwrap_or_else(|| format!("{}/{}", self.num, self.den))
    }
}

impl fmt::Display for Q {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.plain())
    }
}

impl PartialOrd for Q {
    fn partial_cmp(&self, other: &Q) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Q {
    fn cmp(&self, other: &Q) -> std::cmp::Ordering {
        (self.num * other.den).cmp(&(other.num * self.den))
    }
}

impl From<i64> for Q {
    fn from(n: i64) -> Q {
        Q::int(n)
    }
}

impl Add for Q {
    type Output = Q;
    fn add(self, o: Q) -> Q {
        Q::new(self.num * o.den + o.num * self.den, self.den * o.den)
    }
}

impl Sub for Q {
    type Output = Q;
    fn sub(self, o: Q) -> Q {
        Q::new(self.num * o.den - o.num * self.den, self.den * o.den)
    }
}

impl Mul for Q {
    type Output = Q;
    fn mul(self, o: Q) -> Q {
        Q::new(self.num * o.num, self.den * o.den)
    }
}

impl Div for Q {
    type Output = Q;
    fn div(self, o: Q) -> Q {
        Q::new(self.num * o.den, self.den * o.num)
    }
}

impl Neg for Q {
    type Output = Q;
    fn neg(self) -> Q {
        Q { num: -self.num, den: self.den }
    }
}

/// A polynomial-like LaTeX sum of `coefficient * symbol` terms, skipping zeros and writing unit
/// coefficients without the 1: `terms(&[(3, "x^2"), (-1, "x"), (5, "")])` is `3x^2 - x + 5`.
pub(crate) fn terms(parts: &[(Q, &str)]) -> String {
    let mut out = String::new();
    for &(c, sym) in parts {
        if c.num() == 0 {
            continue;
        }
        let magnitude = if sym.is_empty() || c.abs() != Q::int(1) { c.abs().latex() } else { String::new() };
        let body = format!("{magnitude}{sym}");
        match (out.is_empty(), c.is_negative()) {
            (true, true) => out.push_str(&format!("-{body}")),
            (true, false) => out.push_str(&body),
            (false, true) => out.push_str(&format!(" - {body}")),
            (false, false) => out.push_str(&format!(" + {body}")),
        }
    }
    if out.is_empty() { "0".to_owned() } else { out }
}

/// Integer shorthand for [`terms`].
pub(crate) fn iterms(parts: &[(i64, &str)]) -> String {
    let parts: Vec<(Q, &str)> = parts.iter().map(|&(c, s)| (Q::int(c), s)).collect();
    terms(&parts)
}

/// `n!` for small `n`.
pub(crate) fn factorial(n: i64) -> i128 {
    (1..=i128::from(n)).product()
}

/// Binomial coefficient `C(n, k)` for small arguments (0 outside `0..=n`).
pub(crate) fn choose(n: i64, k: i64) -> i128 {
    if k < 0 || k > n {
        return 0;
    }
    let k = k.min(n - k);
    let mut r: i128 = 1;
    for i in 0..i128::from(k) {
        r = r * (i128::from(n) - i) / (i + 1);
    }
    r
}
