//! Deciding whether an extracted answer equals the gold answer, without asking any model.
//!
//! Both sides are normalised (see [`super::extract::normalize`]) and then read, in order, as an
//! equation (`x = 3` counts as `3` when the left side is a single variable), a multiple-choice
//! letter, a number (integers, decimals, `a/b`, `\frac{a}{b}`, mixed numbers such as `1\frac{1}{2}`
//! or `1 1/2`, compared as exact rationals where possible and with a relative tolerance of 1e-6
//! only where rounding was needed, see [`numbers_equal`]), or a tuple/interval compared
//! element-wise with matching brackets. Anything else is compared as a normalised string with
//! whitespace removed (method `string`).
//!
//! Next step (not in this slice): symbolic comparison of expressions (`\frac{x+1}{2}` vs
//! `0.5x + 0.5`), by parsing the LaTeX and comparing the expressions, or evaluating both at
//! random points; sets, matrices, and order-free comparisons.

use std::sync::LazyLock;

use regex::Regex;

use super::extract::normalize;

static EQUATION_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z](?:_\{?[A-Za-z0-9]+\}?)?\s*=\s*([^=]+)$")
        .unwrap_or_else(|e| panic!("built-in pattern does not compile: {e}"))
});

/// A real number as read from an answer: exact as a rational when it can be, always as a float.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Real {
    /// Numerator and (positive) denominator, when the text was exact and fits in `i128`.
    pub exact: Option<(i128, i128)>,
    /// The value as a float, for tolerance comparisons.
    pub value: f64,
}

impl Real {
    fn neg(self) -> Real {
        Real { exact: self.exact.and_then(|(n, d)| Some((n.checked_neg()?, d))), value: -self.value }
    }

    fn add(self, other: Real) -> Real {
        let exact = match (self.exact, other.exact) {
            (Some((a, b)), Some((c, d))) => a
                .checked_mul(d)
                .and_then(|ad| c.checked_mul(b).and_then(|cb| ad.checked_add(cb)))
                .and_then(|n| Some((n, b.checked_mul(d)?))),
            _ => None,
        };
        Real { exact, value: self.value + other.value }
    }

    fn div(self, other: Real) -> Option<Real> {
        if other.value == 0.0 {
            return None;
        }
        let exact = match (self.exact, other.exact) {
            (Some((a, b)), Some((c, d))) if c != 0 => {
                a.checked_mul(d).and_then(|n| b.checked_mul(c).map(|den| (n, den)))
            }
            _ => None,
        };
        let exact = exact
            .and_then(|(n, d)| if d < 0 { Some((n.checked_neg()?, d.checked_neg()?)) } else { Some((n, d)) });
        Some(Real { exact, value: self.value / other.value })
    }
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
/// (scientific notation, overflow) or a fraction with no finite decimal (`1/3` vs `0.3333333`).
pub fn numbers_equal(a: Real, b: Real) -> bool {
    if let (Some((n1, d1)), Some((n2, d2))) = (a.exact, b.exact)
        && let (Some(l), Some(r)) = (n1.checked_mul(d2), n2.checked_mul(d1))
    {
        if l == r {
            return true;
        }
        if terminates(d1) && terminates(d2) {
            return false;
        }
    }
    let diff = (a.value - b.value).abs();
    a.value == b.value || diff <= 1e-9 || diff <= 1e-6 * a.value.abs().max(b.value.abs())
}

/// A plain decimal: digits with optional well-formed thousands commas and a fractional part, or
/// scientific notation (inexact).
fn decimal(s: &str) -> Option<Real> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.contains(['e', 'E']) {
        let v: f64 = s.parse().ok()?;
        return v.is_finite().then_some(Real { exact: None, value: v });
    }
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
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
    let digits = format!("{int}{frac}");
    let value: f64 =
        format!("{}.{}", if int.is_empty() { "0" } else { &int }, if frac.is_empty() { "0" } else { frac })
            .parse()
            .ok()?;
    let exact = u32::try_from(frac.len())
        .ok()
        .and_then(|k| 10i128.checked_pow(k))
        .and_then(|den| digits.parse::<i128>().ok().map(|num| (num, den)));
    Some(Real { exact, value })
}

/// Reads one `\frac` argument: a `{...}` group or a single character. Returns it and the rest.
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
    parse_real(num)?.div(parse_real(den)?)
}

/// A non-negative number without sign: decimal, `a/b`, `\frac{a}{b}`, or a mixed number.
fn unsigned(s: &str) -> Option<Real> {
    let s = s.trim();
    if let Some(r) = decimal(s) {
        return Some(r);
    }
    if let Some(r) = latex_fraction(s) {
        return Some(r);
    }
    if let Some(pos) = s.find("\\frac")
        && pos > 0
    {
        // Mixed number: `1\frac{1}{2}` or `1 \frac{1}{2}`.
        let whole = s[..pos].trim();
        if whole.bytes().all(|c| c.is_ascii_digit()) {
            return Some(decimal(whole)?.add(latex_fraction(&s[pos..])?));
        }
        return None;
    }
    if let Some((whole, frac)) = s.split_once(' ')
        && whole.bytes().all(|c| c.is_ascii_digit())
        && frac.contains('/')
    {
        // Mixed number: `1 1/2`.
        return Some(decimal(whole)?.add(slash_fraction(frac.trim())?));
    }
    slash_fraction(s)
}

/// `a/b` with decimal parts.
fn slash_fraction(s: &str) -> Option<Real> {
    let (num, den) = s.split_once('/')?;
    decimal(num)?.div(decimal(den)?)
}

/// Reads a whole answer string as a real number, if it is one. Commas are read as thousands
/// separators only when they form well-made groups of three digits.
pub fn parse_real(s: &str) -> Option<Real> {
    let s = s.trim();
    let s = s.strip_prefix('{').and_then(|t| t.strip_suffix('}')).unwrap_or(s).trim();
    if let Some(rest) = s.strip_prefix('-') {
        return unsigned(rest).map(Real::neg);
    }
    unsigned(s.strip_prefix('+').unwrap_or(s))
}

/// A multiple-choice letter (`A`, `(B)`, `C)`), upper-cased.
fn choice_letter(s: &str, upper_only: bool) -> Option<char> {
    let t = s.trim().trim_start_matches('(').trim_end_matches(')').trim();
    let mut chars = t.chars();
    let c = chars.next()?;
    let ok = chars.next().is_none()
        && if upper_only { ('A'..='E').contains(&c) } else { ('A'..='E').contains(&c.to_ascii_uppercase()) };
    ok.then(|| c.to_ascii_uppercase())
}

/// A bracketed list split at top-level commas: `(open, close, items)`.
fn tuple(s: &str) -> Option<(char, char, Vec<&str>)> {
    let s = s.trim();
    let open = s.chars().next().filter(|c| matches!(c, '(' | '['))?;
    let close = s.chars().next_back().filter(|c| matches!(c, ')' | ']'))?;
    if s.len() < 2 {
        return None;
    }
    let inner = &s[1..s.len() - 1];
    let mut items = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in inner.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        if depth < 0 {
            return None;
        }
    }
    items.push(&inner[start..]);
    (items.len() >= 2).then_some((open, close, items))
}

/// The right-hand side of `v = rhs` when the left side is a single variable; else the string.
fn strip_equation(s: &str) -> &str {
    match EQUATION_RE.captures(s).and_then(|c| c.get(1)) {
        Some(rhs) => rhs.as_str().trim(),
        None => s,
    }
}

/// How a comparison was decided, for score details.
pub type Method = &'static str;

/// Whether `answer` (as extracted) equals `gold`, and which rule decided it: `choice`,
/// `numeric`, `tuple` or `string`.
pub fn equivalent(answer: &str, gold: &str) -> (bool, Method) {
    let (a, g) = (normalize(answer), normalize(gold));
    equivalent_normalized(&a, &g)
}

fn equivalent_normalized(a: &str, g: &str) -> (bool, Method) {
    let (a, g) = (strip_equation(a), strip_equation(g));
    if let Some(gl) = choice_letter(g, true) {
        return (choice_letter(a, false) == Some(gl), "choice");
    }
    if let Some(gn) = parse_real(g) {
        return match parse_real(a) {
            Some(an) => (numbers_equal(an, gn), "numeric"),
            None => (squash(a) == squash(g), "string"),
        };
    }
    if let Some((go, gc, gitems)) = tuple(g) {
        let Some((ao, ac, aitems)) = tuple(a) else { return (false, "tuple") };
        let same = ao == go
            && ac == gc
            && aitems.len() == gitems.len()
            && aitems.iter().zip(&gitems).all(|(x, y)| equivalent_normalized(x.trim(), y.trim()).0);
        return (same, "tuple");
    }
    (squash(a) == squash(g), "string")
}

/// The string with all whitespace removed, for the exact-string fallback.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}
