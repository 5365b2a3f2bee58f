//! Equations: linear equations in one unknown, quadratics with rational roots, and 2x2 linear
//! systems. Each is built backwards from its solution, so the answer is exact by construction, and
//! each equation sits in its own `$...$` so a reader (or a test) can plug the answer back in.

use super::num::{Draw, Q, gcd, iterms, terms};
use super::{Item, retry};

const VARS: &[&str] = &["x", "y", "n", "t", "k", "a", "m", "z", "w", "r"];
const PAIRS: &[(&str, &str)] = &[("x", "y"), ("a", "b"), ("m", "n"), ("p", "q"), ("u", "v"), ("s", "t")];
const FRACTION_NOTE: &str = " Express your answer as a common fraction.";

/// One side of a linear equation: its LaTeX and its value `coef * v + constant`.
struct Side {
    text: String,
    coef: Q,
    constant: Q,
}

fn q(n: i64) -> Q {
    Q::int(n)
}

/// A question about one equation in one unknown, phrased one of several ways.
fn ask(d: &mut Draw, v: &str, equation: &str) -> String {
    match d.below(5) {
        0 => format!("Solve for ${v}$: ${equation}$."),
        1 => format!("What value of ${v}$ satisfies ${equation}$?"),
        2 => format!("If ${equation}$, what is the value of ${v}$?"),
        3 => format!("Find ${v}$ such that ${equation}$."),
        _ => format!("For what value of ${v}$ is ${equation}$ true?"),
    }
}

/// A linear equation at the given level; the answer is an integer at levels 1-3.
pub(crate) fn linear(d: &mut Draw, level: u8) -> Item {
    let v = d.pick(VARS);
    let (lhs, rhs) =
        retry(d, |d| linear_sides(d, level, v), |d| linear_sides(d, 1, v).unwrap_or_else(|| simple(v)));
    let slope = lhs.coef - rhs.coef;
    let value = (rhs.constant - lhs.constant) / slope;
    let mut problem = ask(d, v, &format!("{} = {}", lhs.text, rhs.text));
    if !value.is_int() {
        problem.push_str(FRACTION_NOTE);
    }
    let mut steps = Vec::new();
    if level == 3 || level == 5 {
        steps.push(format!(
            "Clearing parentheses and fractions, the equation reads ${} = {}$.",
            terms(&[(lhs.coef, v), (lhs.constant, "")]),
            terms(&[(rhs.coef, v), (rhs.constant, "")])
        ));
    }
    steps.push(format!(
        "Collecting terms: ${} = {}$.",
        terms(&[(slope, v)]),
        (rhs.constant - lhs.constant).latex()
    ));
    steps.push(format!("Dividing by ${}$: ${v} = {}$.", slope.latex(), value.latex()));
    Item::text(problem, value.latex(), steps)
}

fn simple(v: &str) -> (Side, Side) {
    (
        Side { text: format!("2{v} + 1"), coef: q(2), constant: q(1) },
        Side { text: "7".into(), coef: q(0), constant: q(7) },
    )
}

fn linear_sides(d: &mut Draw, level: u8, v: &str) -> Option<(Side, Side)> {
    match level {
        1 => {
            let (a, x, b) = (d.int(2, 9), d.int(1, 12), d.nonzero(-20, 20));
            let c = a * x + b;
            Some((Side { text: iterms(&[(a, v), (b, "")]), coef: q(a), constant: q(b) }, constant_side(q(c))))
        }
        2 | 4 => {
            let (a, c) = (d.nonzero(-9, 9), d.nonzero(-9, 9));
            if a == c {
                return None;
            }
            let b = d.int(-20, 20);
            let dd = if level == 2 {
                (a - c) * d.int(-10, 10) + b
            } else {
                let dd = d.int(-20, 20);
                if (dd - b) % (a - c) == 0 {
                    return None;
                }
                dd
            };
            let lhs = Side { text: iterms(&[(a, v), (b, "")]), coef: q(a), constant: q(b) };
            let rhs = Side { text: iterms(&[(c, v), (dd, "")]), coef: q(c), constant: q(dd) };
            Some(if d.chance(1, 2) { (lhs, rhs) } else { (rhs, lhs) })
        }
        3 => {
            let (a, dd) = (d.int(2, 7), d.int(2, 7));
            let (b, e, c) = (d.nonzero(-9, 9), d.nonzero(-9, 9), d.int(-9, 9));
            if a == dd {
                return None;
            }
            let x = d.int(-10, 10);
            let f = a * (x + b) - c - dd * (x - e);
            let lhs = Side {
                text: format!("{a}({}){}", iterms(&[(1, v), (b, "")]), tail(-c)),
                coef: q(a),
                constant: q(a * b - c),
            };
            let rhs = Side {
                text: format!("{dd}({}){}", iterms(&[(1, v), (-e, "")]), tail(f)),
                coef: q(dd),
                constant: q(f - dd * e),
            };
            Some((lhs, rhs))
        }
        _ => {
            let (b, dd) = (d.int(2, 6), d.int(2, 6));
            let (a, c, e) = (d.nonzero(-9, 9), d.nonzero(-9, 9), d.int(-6, 9));
            let minus = d.chance(1, 2);
            let s = if minus { q(-1) } else { q(1) };
            let coef = Q::new(1, i128::from(b)) + s * Q::new(1, i128::from(dd));
            if b == dd || coef == q(0) {
                return None;
            }
            let constant = Q::new(i128::from(a), i128::from(b)) + s * Q::new(i128::from(c), i128::from(dd));
            let text = format!(
                "\\frac{{{}}}{{{b}}} {} \\frac{{{}}}{{{dd}}}",
                iterms(&[(1, v), (a, "")]),
                if minus { "-" } else { "+" },
                iterms(&[(1, v), (c, "")])
            );
            Some((Side { text, coef, constant }, constant_side(q(e))))
        }
    }
}

fn constant_side(c: Q) -> Side {
    Side { text: c.latex(), coef: q(0), constant: c }
}

/// ` + 5`, ` - 5`, or nothing for 0: a constant added at the end of an expression.
fn tail(c: i64) -> String {
    match c {
        0 => String::new(),
        c if c < 0 => format!(" - {}", -c),
        c => format!(" + {c}"),
    }
}

/// A quadratic equation with rational roots; levels rise from monic with integer roots to
/// equations with terms on both sides, or questions about the roots.
pub(crate) fn quadratic(d: &mut Draw, level: u8) -> Item {
    let v = d.pick(VARS);
    let double = level == 2 && d.chance(1, 3);
    let ((p1, q1), (p2, q2)) = if level <= 2 {
        let r1 = d.int(-9, 9);
        let r2 = if double { r1 } else { loop_distinct(d, r1) };
        ((1, r1), (1, r2))
    } else {
        let f1 = factor(d, 1, 3);
        let f2 = loop {
            let f2 = factor(d, 2, 4);
            if f2.1 * f1.0 != f1.1 * f2.0 {
                break f2;
            }
        };
        (f1, f2)
    };
    let (a, b, c) = (p1 * p2, -(p1 * q2 + p2 * q1), q1 * q2);
    let v2 = format!("{v}^2");
    let standard = iterms(&[(a, &v2), (b, v), (c, "")]);
    let r1 = Q::new(i128::from(q1), i128::from(p1));
    let r2 = Q::new(i128::from(q2), i128::from(p2));
    let (lo, hi) = if r1 <= r2 { (r1, r2) } else { (r2, r1) };
    let equation = match level {
        1 | 3 => format!("{standard} = 0"),
        2 | 4 => match d.below(3) {
            0 => format!("{} = {}", iterms(&[(a, &v2), (b, v)]), -c),
            1 => format!("{} = {}", iterms(&[(a, &v2), (c, "")]), iterms(&[(-b, v)])),
            _ => format!("{v}({}) = {}", iterms(&[(a, v), (b, "")]), -c),
        },
        _ => {
            let (s, t, u) = (d.nonzero(-4, 4), d.int(-6, 6), d.int(-9, 9));
            if a + s == 0 {
                format!("{} = {}", iterms(&[(a, &v2), (b + t, v), (c, "")]), iterms(&[(t, v)]))
            } else {
                format!(
                    "{} = {}",
                    iterms(&[(a + s, &v2), (b + t, v), (c + u, "")]),
                    iterms(&[(s, &v2), (t, v), (u, "")])
                )
            }
        }
    };
    let factored = format!("({})({})", iterms(&[(p1, v), (-q1, "")]), iterms(&[(p2, v), (-q2, "")]));
    let mut steps = Vec::new();
    if equation != format!("{standard} = 0") {
        steps.push(format!("Moving every term to the left side gives ${standard} = 0$."));
    }
    steps.push(format!("The left side factors as ${factored}$."));
    let (problem, answer) = if level == 5 && lo != hi && d.chance(1, 2) {
        let diff = hi - lo;
        steps.push(format!("The solutions are ${}$ and ${}$.", lo.latex(), hi.latex()));
        steps.push(format!(
            "Their positive difference is ${} - ({}) = {}$.",
            hi.latex(),
            lo.latex(),
            diff.latex()
        ));
        let mut problem = format!("What is the positive difference between the solutions of ${equation}$?");
        if !diff.is_int() {
            problem.push_str(FRACTION_NOTE);
        }
        (problem, diff.latex())
    } else if lo == hi {
        steps.push(format!("So ${v} = {}$ is the only solution.", lo.latex()));
        (format!("Find all solutions to ${equation}$. Enter all solutions, separated by commas."), lo.latex())
    } else {
        steps.push(format!("So ${v} = {}$ or ${v} = {}$.", lo.latex(), hi.latex()));
        let mut problem = match d.below(3) {
            0 => format!("Find all solutions to ${equation}$."),
            1 => format!("Solve ${equation}$ for ${v}$."),
            _ => format!("What are the values of ${v}$ that satisfy ${equation}$?"),
        };
        problem.push_str(" Enter all solutions, separated by commas.");
        if !lo.is_int() || !hi.is_int() {
            problem.push_str(" Express any non-integer solution as a common fraction.");
        }
        (problem, format!("{}, {}", lo.latex(), hi.latex()))
    };
    Item::text(problem, answer, steps)
}

fn loop_distinct(d: &mut Draw, r1: i64) -> i64 {
    let r2 = d.int(-9, 8);
    if r2 >= r1 { r2 + 1 } else { r2 }
}

/// A factor `p v - q` with `p` in `lo..=hi` and `gcd(p, q) = 1`, so the product is primitive.
fn factor(d: &mut Draw, lo: i64, hi: i64) -> (i64, i64) {
    let p = d.int(lo, hi);
    loop {
        let q = d.int(-9, 9);
        if gcd(i128::from(p), i128::from(q)) == 1 {
            return (p, q);
        }
    }
}

/// `a x + b y = c` with its display text.
struct Line {
    a: i64,
    b: i64,
    c: Q,
    text: String,
}

/// A 2x2 linear system with a unique solution, as an ordered pair.
pub(crate) fn system(d: &mut Draw, level: u8) -> Item {
    let (x, y) = d.pick(PAIRS);
    let (e1, e2) = retry(
        d,
        |d| system_lines(d, level, x, y),
        |d| system_lines(d, 1, x, y).unwrap_or_else(|| sum_diff(3, 1, x, y)),
    );
    let det = e1.a * e2.b - e2.a * e1.b;
    let xv = (e1.c * q(e2.b) - e2.c * q(e1.b)) / q(det);
    let yv = (q(e1.a) * e2.c - q(e2.a) * e1.c) / q(det);
    let pair = format!("({x}, {y})");
    let mut problem = match d.below(4) {
        0 => format!(
            "Solve the system ${}$ and ${}$. Enter your answer as an ordered pair ${pair}$.",
            e1.text, e2.text
        ),
        1 => format!("Find the ordered pair ${pair}$ that satisfies both ${}$ and ${}$.", e1.text, e2.text),
        2 => format!("If ${}$ and ${}$, what is the ordered pair ${pair}$?", e1.text, e2.text),
        _ => format!(
            "The equations ${}$ and ${}$ have exactly one common solution. Find it as an ordered pair ${pair}$.",
            e1.text, e2.text
        ),
    };
    if !xv.is_int() || !yv.is_int() {
        problem.push_str(" Express non-integer coordinates as common fractions.");
    }
    let steps = vec![
        format!(
            "In standard form: ${}$ and ${}$.",
            terms(&[(q(e1.a), x), (q(e1.b), y)]) + " = " + &e1.c.latex(),
            terms(&[(q(e2.a), x), (q(e2.b), y)]) + " = " + &e2.c.latex()
        ),
        format!(
            "Eliminating ${x}$: ${} = {}$, so ${y} = {}$.",
            iterms(&[(det, y)]),
            (q(e1.a) * e2.c - q(e2.a) * e1.c).latex(),
            yv.latex()
        ),
        format!("Substituting back gives ${x} = {}$.", xv.latex()),
    ];
    Item::text(problem, format!("({}, {})", xv.latex(), yv.latex()), steps)
}

fn sum_diff(xs: i64, ys: i64, x: &str, y: &str) -> (Line, Line) {
    let l1 = Line { a: 1, b: 1, c: q(xs + ys), text: format!("{x} + {y} = {}", xs + ys) };
    let l2 = Line { a: 1, b: -1, c: q(xs - ys), text: format!("{x} - {y} = {}", xs - ys) };
    (l1, l2)
}

fn standard(a: i64, b: i64, c: Q, x: &str, y: &str) -> Line {
    Line { a, b, c, text: format!("{} = {}", iterms(&[(a, x), (b, y)]), c.latex()) }
}

fn system_lines(d: &mut Draw, level: u8, x: &str, y: &str) -> Option<(Line, Line)> {
    let (lo, hi) = match level {
        1 | 2 => (1, 5),
        _ => (-7, 7),
    };
    if level == 1 {
        let ys = d.int(1, 15);
        return Some(sum_diff(ys + d.int(1, 15), ys, x, y));
    }
    let (a1, b1, a2, b2) = (d.nonzero(lo, hi), d.nonzero(lo, hi), d.nonzero(lo, hi), d.nonzero(lo, hi));
    if a1 * b2 - a2 * b1 == 0 {
        return None;
    }
    let (xs, ys) = match level {
        2 => (q(d.int(0, 9)), q(d.int(0, 9))),
        3 | 5 => (q(d.int(-9, 9)), q(d.int(-9, 9))),
        _ => {
            let (c1, c2) = (d.int(-12, 12), d.int(-12, 12));
            let det = a1 * b2 - a2 * b1;
            let xs = Q::new(i128::from(c1 * b2 - c2 * b1), i128::from(det));
            let ys = Q::new(i128::from(a1 * c2 - a2 * c1), i128::from(det));
            if (xs.is_int() && ys.is_int()) || xs.den() > 12 || ys.den() > 12 {
                return None;
            }
            (xs, ys)
        }
    };
    let c1 = q(a1) * xs + q(b1) * ys;
    let c2 = q(a2) * xs + q(b2) * ys;
    let first = if level == 5 {
        // x / a + y / b = c, written with fractions.
        let (da, db) = (d.int(2, 5), d.int(2, 5));
        let c = xs / q(da) + ys / q(db);
        let text = format!("\\frac{{{x}}}{{{da}}} + \\frac{{{y}}}{{{db}}} = {}", c.latex());
        Line { a: db, b: da, c: c * q(da * db), text }
    } else {
        standard(a1, b1, c1, x, y)
    };
    let second = match level {
        3 if b2 == -1 || b2 == 1 => {
            // Solved for y: y = m x + k.
            let (m, k) = (q(-a2) / q(b2), c2 / q(b2));
            let text = format!("{y} = {}", terms(&[(m, x), (k, "")]));
            Line { a: a2, b: b2, c: c2, text }
        }
        5 => {
            // a x = b y + c, the terms on both sides.
            let text = format!("{} = {}", iterms(&[(a2, x)]), terms(&[(q(-b2), y), (c2, "")]));
            Line { a: a2, b: b2, c: c2, text }
        }
        _ => standard(a2, b2, c2, x, y),
    };
    if first.a * second.b - second.a * first.b == 0 {
        return None;
    }
    Some((first, second))
}
