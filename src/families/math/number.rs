//! Numbers as answers carry them: exact rationals where the text is exact, floats where it is not.
//!
//! A [`Real`] keeps both a reduced `i128` fraction (when every step so far was exact and fitted) and
//! an `f64`. Comparisons use the fraction when both sides have one, so `1450001` never equals
//! `1,450,000` and `\frac{1}{2}` always equals `0.5`; a tolerance applies only where someone had to
//! round (see [`numbers_equal`]).

/// A real number as read from an answer or computed from one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Real {
    /// Numerator and (positive) denominator in lowest terms, when exact and within `i128`.
    pub exact: Option<(i128, i128)>,
    /// The value as a float, for tolerance comparisons and where exactness was lost.
    pub value: f64,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.abs()
}

/// The fraction n/d in lowest terms with a positive denominator; `None` on overflow or d = 0.
fn reduce(n: i128, d: i128) -> Option<(i128, i128)> {
    if d == 0 {
        return None;
    }
    let g = gcd(n, d).max(1);
    let (n, d) = (n / g, d / g);
    if d < 0 { Some((n.checked_neg()?, d.checked_neg()?)) } else { Some((n, d)) }
}

impl Real {
    /// An exact integer.
    pub fn int(n: i128) -> Real {
        Real { exact: Some((n, 1)), value: n as f64 }
    }

    /// An exact fraction n/d (d ≠ 0).
    pub fn ratio(n: i128, d: i128) -> Option<Real> {
        let (n, d) = reduce(n, d)?;
        Some(Real { exact: Some((n, d)), value: n as f64 / d as f64 })
    }

    /// A value known only approximately.
    pub fn float(value: f64) -> Real {
        Real { exact: None, value }
    }

    fn with_exact(value: f64, exact: Option<(i128, i128)>) -> Real {
        match exact {
            Some((n, d)) => Real { exact: Some((n, d)), value: n as f64 / d as f64 },
            None => Real::float(value),
        }
    }

    /// x / y; `None` when y is zero.
    pub fn checked_div(self, other: Real) -> Option<Real> {
        if other.value == 0.0 && other.exact.is_none_or(|(n, _)| n == 0) {
            return None;
        }
        let exact = match (self.exact, other.exact) {
            (Some((a, b)), Some((c, d))) if c != 0 => (|| reduce(a.checked_mul(d)?, b.checked_mul(c)?))(),
            _ => None,
        };
        Some(Real::with_exact(self.value / other.value, exact))
    }

    /// x^y: exact for an exact base and a small integer exponent, by floats otherwise.
    pub fn pow(self, exponent: Real) -> Real {
        if let (Some((n, d)), Some((e, 1))) = (self.exact, exponent.exact)
            && let Ok(k) = u32::try_from(e.unsigned_abs())
            && k <= 128
        {
            let exact = (|| {
                let (pn, pd) = (n.checked_pow(k)?, d.checked_pow(k)?);
                if e >= 0 { reduce(pn, pd) } else { reduce(pd, pn) }
            })();
            if exact.is_some() {
                return Real::with_exact(0.0, exact);
            }
        }
        if let (Some(_), Some((1, q))) = (self.exact, exponent.exact)
            && let Some(root) = self.root(q)
        {
            return root;
        }
        Real::float(self.value.powf(exponent.value))
    }

    /// The principal k-th root: exact when numerator and denominator are perfect k-th powers.
    pub fn root(self, k: i128) -> Option<Real> {
        let k32 = u32::try_from(k).ok().filter(|&k| k >= 1)?;
        if let Some((n, d)) = self.exact {
            let odd = k32 % 2 == 1;
            if n >= 0 || odd {
                let sign = if n < 0 { -1 } else { 1 };
                if let (Some(rn), Some(rd)) = (int_root(n.abs(), k32), int_root(d, k32)) {
                    return Real::ratio(sign * rn, rd);
                }
            }
        }
        let v = self.value;
        let r = if v < 0.0 && k32 % 2 == 1 {
            -(-v).powf(1.0 / f64::from(k32))
        } else {
            v.powf(1.0 / f64::from(k32))
        };
        Some(Real::float(r))
    }

    /// Whether this is exactly an integer, and which.
    pub fn as_int(self) -> Option<i128> {
        match self.exact {
            Some((n, 1)) => Some(n),
            _ => None,
        }
    }
}

impl std::ops::Neg for Real {
    type Output = Real;
    fn neg(self) -> Real {
        Real { exact: self.exact.and_then(|(n, d)| Some((n.checked_neg()?, d))), value: -self.value }
    }
}

impl std::ops::Add for Real {
    type Output = Real;
    fn add(self, other: Real) -> Real {
        let exact = match (self.exact, other.exact) {
            (Some((a, b)), Some((c, d))) => {
                (|| reduce(a.checked_mul(d)?.checked_add(c.checked_mul(b)?)?, b.checked_mul(d)?))()
            }
            _ => None,
        };
        Real::with_exact(self.value + other.value, exact)
    }
}

impl std::ops::Sub for Real {
    type Output = Real;
    fn sub(self, other: Real) -> Real {
        self + -other
    }
}

impl std::ops::Mul for Real {
    type Output = Real;
    fn mul(self, other: Real) -> Real {
        let exact = match (self.exact, other.exact) {
            (Some((a, b)), Some((c, d))) => (|| reduce(a.checked_mul(c)?, b.checked_mul(d)?))(),
            _ => None,
        };
        Real::with_exact(self.value * other.value, exact)
    }
}

/// The integer k-th root of a non-negative n, when n is a perfect k-th power.
fn int_root(n: i128, k: u32) -> Option<i128> {
    if n < 2 || k == 1 {
        return Some(n);
    }
    let guess = (n as f64).powf(1.0 / f64::from(k)).round() as i128;
    (guess.saturating_sub(1)..=guess + 1).find(|&r| r >= 0 && r.checked_pow(k) == Some(n))
}

/// Whether a rational has a finite decimal expansion (denominator of the form 2^a 5^b).
fn terminates(mut den: i128) -> bool {
    if den == 0 {
        return false;
    }
    for p in [2, 5] {
        while den % p == 0 {
            den /= p;
        }
    }
    den.abs() == 1
}

/// Whether two numbers are equal. Two exact numbers that can both be written as finite decimals
/// must be exactly equal (so `1450001` never equals `1,450,000`); the relative tolerance of 1e-6
/// (absolute 1e-9 near zero) applies only where someone had to round: a side that is inexact
/// (a radical, scientific notation, overflow) or a fraction with no finite decimal (`1/3` vs
/// `0.3333333`). Infinities equal only themselves; NaN equals nothing.
pub fn numbers_equal(a: Real, b: Real) -> bool {
    if let (Some((n1, d1)), Some((n2, d2))) = (a.exact, b.exact) {
        if (n1, d1) == (n2, d2) {
            return true;
        }
        if terminates(d1) && terminates(d2) {
            return false;
        }
    }
    if a.value.is_infinite() || b.value.is_infinite() {
        return a.value == b.value;
    }
    let diff = (a.value - b.value).abs();
    diff <= 1e-9 || diff <= 1e-6 * a.value.abs().max(b.value.abs())
}

/// A plain decimal: digits with optional well-formed thousands commas and a fractional part, or
/// scientific notation (inexact).
pub fn decimal(s: &str) -> Option<Real> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.contains(['e', 'E']) {
        let v: f64 = s.parse().ok()?;
        return v.is_finite().then_some(Real::float(v));
    }
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let int = if int.contains(',') {
        let groups: Vec<&str> = int.split(',').collect();
        let first_ok = groups.first().is_some_and(|g| (1..=3).contains(&g.len()));
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return None;
        }
        groups.concat()
    } else {
        int.to_owned()
    };
    if (int.is_empty() && frac.is_empty())
        || !int.bytes().all(|c| c.is_ascii_digit())
        || !frac.bytes().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let value: f64 =
        format!("{}.{}", if int.is_empty() { "0" } else { &int }, if frac.is_empty() { "0" } else { frac })
            .parse()
            .ok()?;
    let exact = u32::try_from(frac.len())
        .ok()
        .and_then(|k| 10i128.checked_pow(k))
        .and_then(|den| format!("{int}{frac}").parse::<i128>().ok().and_then(|num| reduce(num, den)));
    Some(Real::with_exact(value, exact))
}

/// Reads one `\frac` argument: a `{...}` group without nesting, or a single character.
fn frac_arg(s: &str) -> Option<(&str, &str)> {
    let s = s.trim_start();
    if let Some(inner) = s.strip_prefix('{') {
        let end = inner.find('}')?;
        if inner[..end].contains('{') {
            return None;
        }
        return Some((&inner[..end], &inner[end + 1..]));
    }
    let c = s.chars().next()?;
    Some((&s[..c.len_utf8()], &s[c.len_utf8()..]))
}

/// `\frac{a}{b}` (or `\frac ab`) with numeric parts, filling the whole string.
fn latex_fraction(s: &str) -> Option<Real> {
    let rest = s.trim().strip_prefix("\\frac")?;
    let (num, rest) = frac_arg(rest)?;
    let (den, rest) = frac_arg(rest)?;
    if !rest.trim().is_empty() {
        return None;
    }
    parse_real(num)?.checked_div(parse_real(den)?)
}

/// `a/b` with decimal parts.
fn slash_fraction(s: &str) -> Option<Real> {
    let (num, den) = s.split_once('/')?;
    decimal(num)?.checked_div(decimal(den)?)
}

/// A non-negative number without sign: decimal, `a/b`, `\frac{a}{b}`, or a mixed number.
fn unsigned(s: &str) -> Option<Real> {
    let s = s.trim();
    if let Some(r) = decimal(s).or_else(|| latex_fraction(s)) {
        return Some(r);
    }
    if let Some(pos) = s.find("\\frac")
        && pos > 0
    {
        // Mixed number: `1\frac{1}{2}` or `1 \frac{1}{2}`.
        let whole = s[..pos].trim();
        if whole.bytes().all(|c| c.is_ascii_digit()) {
            return Some(decimal(whole)? + latex_fraction(&s[pos..])?);
        }
        return None;
    }
    if let Some((whole, frac)) = s.split_once(' ')
        && whole.bytes().all(|c| c.is_ascii_digit())
        && frac.contains('/')
    {
        // Mixed number: `1 1/2`.
        return Some(decimal(whole)? + slash_fraction(frac.trim())?);
    }
    slash_fraction(s)
}

/// Reads a whole answer string as a real number, if it is one. Commas are read as thousands
/// separators only when they form well-made groups of three digits.
pub fn parse_real(s: &str) -> Option<Real> {
    let s = s.trim();
    let s = s.strip_prefix('{').and_then(|t| t.strip_suffix('}')).unwrap_or(s).trim();
    if let Some(rest) = s.strip_prefix('-') {
        return unsigned(rest).map(|r| -r);
    }
    unsigned(s.strip_prefix('+').unwrap_or(s))
}
