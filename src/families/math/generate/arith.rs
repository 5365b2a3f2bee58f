//! Arithmetic items: fraction expressions to simplify, radicals to simplify or rationalise, and
//! modular arithmetic (remainders, powers, congruences, the Chinese remainder theorem).

use super::num::{Draw, Q, gcd};
use super::vocab::{THINGS, person};
use super::{Facts, Item, retry};

const LOWEST: &str = " Express your answer as a common fraction in lowest terms.";
const RADICAL_FORM: &str = " Express your answer in simplest radical form.";
/// Square-free numbers used under radicals.
const SQUARE_FREE: &[i64] = &[2, 3, 5, 6, 7, 10, 11, 13, 14, 15, 17, 19, 21, 22];

/// A fraction as shown (`\frac{6}{8}`) and its value.
#[derive(Clone)]
struct Shown {
    text: String,
    value: Q,
}

fn shown(d: &mut Draw, max_den: i64) -> Shown {
    let den = d.int(2, max_den);
    let mut num = d.int(1, 2 * den - 1);
    if num % den == 0 {
        num += 1;
    }
    Shown { text: format!("\\frac{{{num}}}{{{den}}}"), value: Q::new(i128::from(num), i128::from(den)) }
}

fn proper(d: &mut Draw, max_den: i64) -> Shown {
    let den = d.int(2, max_den);
    let num = d.int(1, den - 1);
    Shown { text: format!("\\frac{{{num}}}{{{den}}}"), value: Q::new(i128::from(num), i128::from(den)) }
}

/// A fraction expression whose value is a non-integer rational, to give in lowest terms.
pub(crate) fn fraction(d: &mut Draw, level: u8) -> Item {
    let (expr, steps, value) = retry(
        d,
        |d| {
            let (expr, steps, value) = fraction_expr(d, level);
            (!value.is_int()).then_some((expr, steps, value))
        },
        |_| ("\\frac{6}{8}".to_owned(), vec!["Divide top and bottom by 2.".to_owned()], Q::new(3, 4)),
    );
    let problem = match if level == 1 { 0 } else { d.below(3) } {
        0 => format!("Simplify ${expr}$.{LOWEST}"),
        1 => format!("What is the value of ${expr}$?{LOWEST}"),
        _ => format!("Compute ${expr}$.{LOWEST}"),
    };
    Item::text(problem, value.latex(), steps)
}

fn fraction_expr(d: &mut Draw, level: u8) -> (String, Vec<String>, Q) {
    let op = |d: &mut Draw| if d.chance(1, 2) { ("+", 1) } else { ("-", -1) };
    match level {
        1 => {
            let (num, den) = (d.int(1, 15), d.int(2, 16));
            let g = d.int(2, 12);
            let value = Q::new(i128::from(num), i128::from(den));
            let text = format!("\\frac{{{}}}{{{}}}", num * g, den * g);
            let step = format!(
                "The greatest common divisor of {} and {} is {}; dividing both by it gives ${}$.",
                num * g,
                den * g,
                gcd(i128::from(num * g), i128::from(den * g)),
                value.latex()
            );
            (text, vec![step], value)
        }
        2 => {
            let (a, b, (sym, s)) = (shown(d, 12), shown(d, 12), op(d));
            let value = a.value + Q::int(s) * b.value;
            let lcd = a.value.den() * b.value.den() / gcd(a.value.den(), b.value.den());
            let steps = vec![
                format!("Over the common denominator {lcd}, ${} {sym} {}$.", a.text, b.text),
                format!("This equals ${}$.", value.latex()),
            ];
            (format!("{} {sym} {}", a.text, b.text), steps, value)
        }
        3 => {
            let (a, b, c, (sym, s)) = (shown(d, 9), shown(d, 9), shown(d, 10), op(d));
            let product = a.value * b.value;
            let value = product + Q::int(s) * c.value;
            let steps = vec![
                format!("First multiply: ${} \\cdot {} = {}$.", a.text, b.text, product.latex()),
                format!("Then ${} {sym} {} = {}$.", product.latex(), c.text, value.latex()),
            ];
            (format!("{} \\cdot {} {sym} {}", a.text, b.text, c.text), steps, value)
        }
        4 => {
            let (whole, part, b, c, (sym, s)) = (d.int(1, 4), proper(d, 6), shown(d, 9), shown(d, 8), op(d));
            let mixed = Q::int(whole) + part.value;
            let quotient = mixed / b.value;
            let value = quotient + Q::int(s) * c.value;
            let steps = vec![
                format!("Write the mixed number as ${}$.", mixed.latex()),
                format!(
                    "Divide by multiplying by the reciprocal: ${} \\cdot {} = {}$.",
                    mixed.latex(),
                    (Q::int(1) / b.value).latex(),
                    quotient.latex()
                ),
                format!("Then ${} {sym} {} = {}$.", quotient.latex(), c.text, value.latex()),
            ];
            (format!("{whole}{} \\div {} {sym} {}", part.text, b.text, c.text), steps, value)
        }
        _ => {
            let (a, b, c, e) = (shown(d, 8), shown(d, 8), shown(d, 8), shown(d, 8));
            let ((s1, k1), (s2, k2)) = (op(d), op(d));
            let top = a.value + Q::int(k1) * b.value;
            let bottom = c.value + Q::int(k2) * e.value;
            if bottom == Q::int(0) {
                return ("0".into(), Vec::new(), Q::int(0));
            }
            let value = top / bottom;
            let steps = vec![
                format!("Numerator: ${} {s1} {} = {}$.", a.text, b.text, top.latex()),
                format!("Denominator: ${} {s2} {} = {}$.", c.text, e.text, bottom.latex()),
                format!("Dividing: ${} \\div {} = {}$.", top.latex(), bottom.paren(), value.latex()),
            ];
            (format!("\\frac{{{} {s1} {}}}{{{} {s2} {}}}", a.text, b.text, c.text, e.text), steps, value)
        }
    }
}

/// Writes `n = k^2 m` with `m` square-free: returns `(k, m)`.
fn split_square(n: i128) -> (i128, i128) {
    let (mut k, mut m) = (1, n);
    let mut f = 2;
    while f * f <= m {
        while m % (f * f) == 0 {
            m /= f * f;
            k *= f;
        }
        f += 1;
    }
    (k, m)
}

/// `sqrt(s)` for a positive rational, as `r sqrt(m)` with `m` square-free.
fn sqrt_q(s: Q) -> (Q, i128) {
    let (k, m) = split_square(s.num() * s.den());
    (Q::new(k, s.den()), m)
}

/// `r sqrt(m)` in simplest radical form: `3\sqrt{2}`, `-\sqrt{5}`, `\frac{3\sqrt{2}}{2}`.
fn radical_latex(r: Q, m: i128) -> String {
    if m == 1 {
        return r.latex();
    }
    let sign = if r.is_negative() { "-" } else { "" };
    let coef = if r.num().abs() == 1 { String::new() } else { r.num().abs().to_string() };
    let body = format!("{coef}\\sqrt{{{m}}}");
    if r.den() == 1 { format!("{sign}{body}") } else { format!("{sign}\\frac{{{body}}}{{{}}}", r.den()) }
}

/// A radical expression whose value is an irrational `r sqrt(m)`, in simplest radical form.
pub(crate) fn radical(d: &mut Draw, level: u8) -> Item {
    let (expr, steps, r, m) = retry(
        d,
        |d| radical_expr(d, level).filter(|x| x.3 > 1 && x.2 != Q::int(0)),
        |_| ("\\sqrt{8}".to_owned(), vec!["$8 = 4 \\cdot 2$.".to_owned()], Q::int(2), 2),
    );
    let problem = match d.below(3) {
        0 => format!("Simplify ${expr}$.{RADICAL_FORM}"),
        1 => format!("Write ${expr}$ in simplest radical form."),
        _ => format!("What is ${expr}$ in simplest radical form?"),
    };
    Item::text(problem, radical_latex(r, m), steps)
}

type Radical = (String, Vec<String>, Q, i128);

fn radical_expr(d: &mut Draw, level: u8) -> Option<Radical> {
    let m = i128::from(d.pick(SQUARE_FREE));
    let sq = |k: i64| i128::from(k * k) * m;
    match level {
        1 => {
            let k = d.int(2, 12);
            let step = format!(
                "${} = {}^2 \\cdot {m}$, so the square root is ${}$.",
                sq(k),
                k,
                radical_latex(Q::int(k), m)
            );
            Some((format!("\\sqrt{{{}}}", sq(k)), vec![step], Q::int(k), m))
        }
        2 if d.chance(1, 2) => {
            let (a, b) = (d.int(2, 30), d.int(2, 30));
            let (r, root) = sqrt_q(Q::int(a * b));
            let (ka, _) = split_square(i128::from(a));
            let (kb, _) = split_square(i128::from(b));
            if ka > 1 || kb > 1 {
                return None;
            }
            let step = format!(
                "$\\sqrt{{{a}}} \\cdot \\sqrt{{{b}}} = \\sqrt{{{}}} = {}$.",
                a * b,
                radical_latex(r, root)
            );
            Some((format!("\\sqrt{{{a}}} \\cdot \\sqrt{{{b}}}"), vec![step], r, root))
        }
        2 | 3 => {
            let (k1, k2) = (d.int(1, 6), d.int(2, 7));
            let (c1, c2) = if level == 2 { (1, 1) } else { (d.int(1, 5), d.nonzero(-4, 4)) };
            let k3 = if level == 3 { d.int(1, 5) } else { 0 };
            let total = c1 * k1 + c2 * k2 - k3;
            let part = |c: i64| if c == 1 { String::new() } else { c.to_string() };
            let mut expr = format!("{}\\sqrt{{{}}}", part(c1), sq(k1));
            expr.push_str(&if c2 < 0 {
                format!(" - {}\\sqrt{{{}}}", part(-c2), sq(k2))
            } else {
                format!(" + {}\\sqrt{{{}}}", part(c2), sq(k2))
            });
            if k3 > 0 {
                expr.push_str(&format!(" - \\sqrt{{{}}}", sq(k3)));
            }
            let step = format!(
                "Each term is a multiple of $\\sqrt{{{m}}}$: $\\sqrt{{{}}} = {k1}\\sqrt{{{m}}}$ and $\\sqrt{{{}}} = {k2}\\sqrt{{{m}}}${}; combining gives ${}$.",
                sq(k1),
                sq(k2),
                if k3 > 0 {
                    format!(" and $\\sqrt{{{}}} = {k3}\\sqrt{{{m}}}$", sq(k3))
                } else {
                    String::new()
                },
                radical_latex(Q::int(total), m)
            );
            Some((expr, vec![step], Q::int(total), m))
        }
        4 => {
            let (a, k) = (d.int(1, 30), d.int(1, 4));
            let b = sq(k);
            let value = Q::new(i128::from(a), i128::from(k) * m);
            let mut steps = Vec::new();
            if k > 1 {
                steps.push(format!("$\\sqrt{{{b}}} = {}$.", radical_latex(Q::int(k), m)));
            }
            steps.push(format!(
                    "Multiply top and bottom by $\\sqrt{{{m}}}$: $\\frac{{{a}}}{{{}}} = \\frac{{{a}\\sqrt{{{m}}}}}{{{}}} = {}$.",
                    radical_latex(Q::int(k), m),
                    i128::from(k) * m,
                    radical_latex(value, m)
            ));
            Some((format!("\\frac{{{a}}}{{\\sqrt{{{b}}}}}"), steps, value, m))
        }
        _ => {
            let (c, e, a, b) = (d.int(1, 9), d.int(1, 6), d.int(2, 50), d.int(2, 50));
            if split_square(i128::from(a)).1 == 1 || split_square(i128::from(b)).1 == 1 {
                return None;
            }
            let ratio = Q::new(i128::from(a), i128::from(b));
            let (r, root) = sqrt_q(ratio);
            let value = r * Q::new(i128::from(c), i128::from(e));
            let (expr, first) = if d.chance(1, 2) && c == 1 && e == 1 {
                (
                    format!("\\sqrt{{\\frac{{{a}}}{{{b}}}}}"),
                    format!("$\\frac{{{a}}}{{{b}}} = {}$.", ratio.latex()),
                )
            } else {
                let top = if c == 1 { String::new() } else { c.to_string() };
                let bottom = if e == 1 { String::new() } else { e.to_string() };
                (
                    format!("\\frac{{{top}\\sqrt{{{a}}}}}{{{bottom}\\sqrt{{{b}}}}}"),
                    format!(
                        "Combine the roots: $\\frac{{\\sqrt{{{a}}}}}{{\\sqrt{{{b}}}}} = \\sqrt{{{}}}$.",
                        ratio.latex()
                    ),
                )
            };
            let steps = vec![
                first,
                {
                    let middle =
                        format!("\\frac{{\\sqrt{{{}}}}}{{{}}}", ratio.num() * ratio.den(), ratio.den());
                    let end = radical_latex(r, root);
                    if ratio.is_int() || middle == end {
                        format!("$\\sqrt{{{}}} = {end}$.", ratio.latex())
                    } else {
                        format!("$\\sqrt{{{}}} = {middle} = {end}$.", ratio.latex())
                    }
                },
                format!("With the coefficient: ${}$.", radical_latex(value, root)),
            ];
            Some((expr, steps, value, root))
        }
    }
}

/// `base^exp mod m` by repeated multiplication (exponents here are at most a few hundred).
fn pow_mod(base: i64, exp: u32, m: i64) -> i64 {
    (0..exp).fold(1 % m, |acc, _| acc * base.rem_euclid(m) % m)
}

/// A modular-arithmetic item; every answer is a residue or a smallest positive solution.
pub(crate) fn modular(d: &mut Draw, level: u8) -> Item {
    match level {
        1 => {
            let story = d.chance(1, 3);
            let (n, m) = (if story { d.int(100, 2_000) } else { d.int(100, 99_999) }, d.int(3, 15));
            let r = n % m;
            let facts = Facts::Remainder { factors: vec![(n, 1)], add: 0, modulus: m };
            let step = format!("${n} = {m} \\cdot {} + {r}$.", n / m);
            let problem = if story {
                let p = person(d);
                let (_, plural) = d.pick(THINGS);
                format!(
                    "{} has {n} {plural} and packs them into bags of {m}, filling as many bags as possible. How many {plural} are left over?",
                    p.name
                )
            } else {
                format!("What is the remainder when ${n}$ is divided by ${m}$?")
            };
            Item { problem, answer: r.to_string(), steps: vec![step], facts }
        }
        2 => {
            let (a, b, c, m) = (d.int(100, 9_999), d.int(100, 9_999), d.int(0, 999), d.int(4, 19));
            let (ra, rb) = (a % m, b % m);
            let r = (ra * rb + c) % m;
            let facts = Facts::Remainder { factors: vec![(a, 1), (b, 1)], add: c, modulus: m };
            let steps = vec![
                format!("Modulo {m}: ${a} \\equiv {ra}$, ${b} \\equiv {rb}$ and ${c} \\equiv {}$.", c % m),
                format!("So the remainder is that of ${ra} \\cdot {rb} + {}$, which is ${r}$.", c % m),
            ];
            let problem = format!("What is the remainder when ${a} \\cdot {b} + {c}$ is divided by ${m}$?");
            Item { problem, answer: r.to_string(), steps, facts }
        }
        3 => {
            let units = d.chance(1, 3);
            let (base, exp) = (d.int(2, 19), u32::try_from(d.int(20, 300)).unwrap_or(20));
            let m = if units { 10 } else { d.int(5, 13) };
            let base = if base % m == 0 { base + 1 } else { base };
            let r = pow_mod(base, exp, m);
            let facts = Facts::Remainder { factors: vec![(base, exp)], add: 0, modulus: m };
            let problem = if units {
                format!("What is the units digit of ${base}^{{{exp}}}$?")
            } else {
                format!("What is the remainder when ${base}^{{{exp}}}$ is divided by ${m}$?")
            };
            Item { problem, answer: r.to_string(), steps: cycle_steps(base, exp, m), facts }
        }
        4 => {
            let m = d.pick(&[7, 9, 11, 13, 17, 19, 23, 25, 27, 29, 31]);
            let a = retry(
                d,
                |d| Some(d.int(2, m - 1)).filter(|&a| gcd(i128::from(a), i128::from(m)) == 1),
                |_| 1,
            );
            let inverse = d.chance(1, 3);
            let b = if inverse { 1 } else { d.int(1, m - 1) };
            let inv = (1..m).find(|&i| a * i % m == 1).unwrap_or(1);
            let x = inv * b % m;
            let facts = Facts::Congruence { a, b, modulus: m };
            let problem = if inverse {
                format!(
                    "Find ${a}^{{-1}} \\pmod{{{m}}}$, as a residue modulo ${m}$. (Give an answer between $0$ and ${}$, inclusive.)",
                    m - 1
                )
            } else {
                format!(
                    "Find the smallest non-negative integer $x$ such that ${a}x \\equiv {b} \\pmod{{{m}}}$."
                )
            };
            let mut steps = vec![format!(
                "${a} \\cdot {inv} = {} \\equiv 1 \\pmod{{{m}}}$, so the inverse of ${a}$ is ${inv}$.",
                a * inv
            )];
            if !inverse {
                steps.push(format!(
                    "Then $x \\equiv {inv} \\cdot {b} = {} \\equiv {x} \\pmod{{{m}}}$.",
                    inv * b
                ));
            }
            Item { problem, answer: x.to_string(), steps, facts }
        }
        _ => crt(d),
    }
}

fn cycle_steps(base: i64, exp: u32, m: i64) -> Vec<String> {
    let mut seen: Vec<i64> = Vec::new();
    let mut v = base.rem_euclid(m);
    while !seen.contains(&v) {
        seen.push(v);
        v = v * base.rem_euclid(m) % m;
    }
    let start = seen.iter().position(|&s| s == v).unwrap_or(0);
    let period = seen.len() - start;
    let listed: Vec<String> = seen.iter().map(|s| s.to_string()).collect();
    let e = exp as usize;
    let index = if e <= seen.len() { e - 1 } else { start + (e - 1 - start) % period };
    vec![
        format!(
            "The powers ${base}^1, {base}^2, \\dots$ modulo ${m}$ are ${}$, and then repeat with period ${period}$.",
            listed.join(", ")
        ),
        format!(
            "So ${base}^{{{exp}}}$ leaves the same remainder as power number ${}$ in that list: ${}$.",
            index + 1,
            seen[index]
        ),
    ]
}

fn crt(d: &mut Draw) -> Item {
    let count = if d.chance(1, 3) { 3 } else { 2 };
    let moduli = retry(
        d,
        |d| {
            let ms = d.distinct(&[3i64, 4, 5, 7, 8, 9, 11], count);
            let coprime = ms
                .iter()
                .enumerate()
                .all(|(i, &a)| ms[i + 1..].iter().all(|&b| gcd(i128::from(a), i128::from(b)) == 1));
            coprime.then_some(ms)
        },
        |_| vec![3, 5],
    );
    let pairs: Vec<(i64, i64)> = moduli.iter().map(|&m| (d.int(0, m - 1), m)).collect();
    let lcm: i64 = pairs.iter().map(|p| p.1).product();
    let n = (1..=lcm).find(|n| pairs.iter().all(|&(r, m)| n % m == r)).unwrap_or(lcm);
    let facts = Facts::Crt(pairs.clone());
    let problem = if d.chance(1, 2) {
        let conds: Vec<String> =
            pairs.iter().map(|(r, m)| format!("$n \\equiv {r} \\pmod{{{m}}}$")).collect();
        format!("What is the smallest positive integer $n$ such that {}?", join_and(&conds))
    } else {
        let p = person(d);
        let (_, plural) = d.pick(THINGS);
        let conds: Vec<String> = pairs
            .iter()
            .map(|(r, m)| match r {
                0 => format!("in groups of {m} there are none left over"),
                1 => format!("in groups of {m} there is 1 left over"),
                r => format!("in groups of {m} there are {r} left over"),
            })
            .collect();
        format!(
            "{} has at least 1 and at most {} {plural}. When {} sorts them, {}. How many {plural} does {} have?",
            p.name,
            lcm,
            p.they,
            join_and(&conds),
            p.name
        )
    };
    let steps = vec![
        format!("The moduli are pairwise coprime, so there is exactly one solution from 1 to {lcm}."),
        format!(
            "Checking the numbers congruent to {} modulo {} in turn, the first that fits every condition is {n}.",
            pairs[0].0, pairs[0].1
        ),
    ];
    Item { problem, answer: n.to_string(), steps, facts }
}

/// `a`, `a and b`, `a, b and c`.
pub(crate) fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
