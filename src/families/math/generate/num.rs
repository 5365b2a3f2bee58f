//! Exact numbers and value-stable random draws ([`Draw`], shared with the other generators), the two
//! things every generator needs. Answers are computed with [`Q`], a reduced `i128` fraction: no
//! floats anywhere.

use std::fmt;
use std::ops::{Add, Div, Mul, Neg, Sub};

pub(crate) use crate::families::draw::Draw;

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
