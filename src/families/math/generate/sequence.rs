//! Sequences: terms and sums of arithmetic and geometric sequences, counts of terms in a list, and
//! infinite geometric series, from whole-number steps at level 1 to fractional ratios at level 5.

use super::num::{Draw, Q};
use super::{Facts, Item, SeqAsk};

/// A sequence with its first term and its difference (arithmetic) or ratio (geometric).
#[derive(Clone, Copy)]
struct Seq {
    first: Q,
    step: Q,
    geometric: bool,
}

impl Seq {
    fn term(self, n: i64) -> Q {
        let k = n - 1;
        if self.geometric {
            self.first * self.step.pow(u32::try_from(k).unwrap_or(0))
        } else {
            self.first + self.step * Q::int(k)
        }
    }

    fn sum(self, n: i64) -> Q {
        if self.geometric {
            self.first * (self.step.pow(u32::try_from(n).unwrap_or(0)) - Q::int(1)) / (self.step - Q::int(1))
        } else {
            Q::int(n) * (self.first + self.term(n)) / Q::int(2)
        }
    }

    /// The first few terms, as shown in a problem.
    fn shown(self, count: i64) -> String {
        let listed: Vec<String> = (1..=count).map(|i| self.term(i).latex()).collect();
        format!("{}, \\ldots", listed.join(", "))
    }

    fn kind(self) -> &'static str {
        if self.geometric { "geometric" } else { "arithmetic" }
    }

    fn facts(self, ask: SeqAsk) -> Facts {
        let pair = |q: Q| (i64::try_from(q.num()).unwrap_or(0), i64::try_from(q.den()).unwrap_or(1));
        Facts::Sequence { first: pair(self.first), step: pair(self.step), geometric: self.geometric, ask }
    }
}

fn ordinal(n: i64) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn with_note(problem: String, value: Q) -> String {
    if value.is_int() { problem } else { format!("{problem} Express your answer as a common fraction.") }
}

/// A sequence question at the given level.
pub(crate) fn sequence(d: &mut Draw, level: u8) -> Item {
    let arithmetic = |d: &mut Draw, lo: i64, hi: i64| Seq {
        first: Q::int(d.int(-10, 30)),
        step: Q::int(d.nonzero(lo, hi)),
        geometric: false,
    };
    let geometric = |d: &mut Draw| Seq {
        first: Q::int(d.int(1, 5)),
        step: Q::int(d.pick(&[2, 3, -2, -3])),
        geometric: true,
    };
    match level {
        1 => term_question(arithmetic(d, 2, 9), d, 10, 60),
        2 if d.chance(1, 2) => term_question(arithmetic(d, -9, -2), d, 10, 40),
        2 => term_question(geometric(d), d, 5, 9),
        3 if d.chance(1, 2) => {
            let s = arithmetic(d, 2, 12);
            let n = d.int(8, 40);
            sum_question(s, n)
        }
        3 => {
            let s = arithmetic(d, 2, 11);
            let n = d.int(12, 80);
            let last = s.term(n);
            let problem = format!(
                "How many numbers are in the list ${}, {}, {}, \\ldots, {}$?",
                s.term(1).latex(),
                s.term(2).latex(),
                s.term(3).latex(),
                last.latex()
            );
            let steps = vec![
                format!("The numbers go up by {} each time.", s.step.latex()),
                format!(
                    "From {} to {} is {} steps, so there are {} + 1 = {n} numbers.",
                    s.first.latex(),
                    last.latex(),
                    n - 1,
                    n - 1
                ),
            ];
            let last_int = i64::try_from(last.num()).unwrap_or(0);
            Item { problem, answer: n.to_string(), steps, facts: s.facts(SeqAsk::CountTo(last_int)) }
        }
        4 if d.chance(1, 2) => {
            let s = geometric(d);
            let n = d.int(5, 10);
            sum_question(s, n)
        }
        4 => {
            let s = arithmetic(d, -8, 9);
            let (i, gap, n) = (d.int(2, 6), d.int(3, 8), d.int(15, 40));
            let j = i + gap;
            let (ti, tj, tn) = (s.term(i), s.term(j), s.term(n));
            let problem = format!(
                "The {} term of an arithmetic sequence is ${}$ and the {} term is ${}$. What is the {} term?",
                ordinal(i),
                ti.latex(),
                ordinal(j),
                tj.latex(),
                ordinal(n)
            );
            let steps = vec![
                format!(
                    "The difference is $\\frac{{{} - {}}}{{{gap}}} = {}$.",
                    tj.latex(),
                    ti.paren(),
                    s.step.latex()
                ),
                format!(
                    "The {} term is ${} + ({n} - {i}) \\cdot {} = {}$.",
                    ordinal(n),
                    ti.latex(),
                    s.step.paren(),
                    tn.latex()
                ),
            ];
            Item { problem, answer: tn.latex(), steps, facts: s.facts(SeqAsk::Term(n)) }
        }
        _ => {
            let den: i64 = d.pick(&[2, 3, 4]);
            let num: i64 = d.pick(&[1, -1, 2, 3]);
            if num.abs() >= den {
                return term_question(geometric(d), d, 5, 9);
            }
            let ratio = Q::new(i128::from(num), i128::from(den));
            let first = Q::int(d.int(1, 4) * den.pow(u32::try_from(d.int(1, 3)).unwrap_or(1)));
            let s = Seq { first, step: ratio, geometric: true };
            match d.below(3) {
                0 => term_question(s, d, 6, 9),
                1 => sum_question(s, d.int(4, 7)),
                _ => {
                    let total = s.first / (Q::int(1) - s.step);
                    let problem = with_note(
                        format!(
                            "Find the sum of the infinite geometric series ${} + \\cdots$.",
                            s.shown(3)
                                .trim_end_matches(", \\ldots")
                                .replace(", ", " + ")
                                .replace("+ -", "- ")
                        ),
                        total,
                    );
                    let steps = vec![
                        format!(
                            "The first term is ${}$ and the ratio is ${}$.",
                            s.first.latex(),
                            s.step.latex()
                        ),
                        format!(
                            "The sum is $\\frac{{{}}}{{1 - ({})}} = {}$.",
                            s.first.latex(),
                            s.step.latex(),
                            total.latex()
                        ),
                    ];
                    Item { problem, answer: total.latex(), steps, facts: s.facts(SeqAsk::Infinite) }
                }
            }
        }
    }
}

fn term_question(s: Seq, d: &mut Draw, lo: i64, hi: i64) -> Item {
    let n = d.int(lo, hi);
    let value = s.term(n);
    let problem = with_note(
        format!("What is the {} term of the {} sequence ${}$?", ordinal(n), s.kind(), s.shown(4)),
        value,
    );
    let step = if s.geometric {
        format!(
            "The ratio is ${}$, so the {} term is ${} \\cdot ({})^{{{}}} = {}$.",
            s.step.latex(),
            ordinal(n),
            s.first.latex(),
            s.step.latex(),
            n - 1,
            value.latex()
        )
    } else {
        format!(
            "The difference is ${}$, so the {} term is ${} + {} \\cdot ({}) = {}$.",
            s.step.latex(),
            ordinal(n),
            s.first.latex(),
            n - 1,
            s.step.latex(),
            value.latex()
        )
    };
    Item { problem, answer: value.latex(), steps: vec![step], facts: s.facts(SeqAsk::Term(n)) }
}

fn sum_question(s: Seq, n: i64) -> Item {
    let total = s.sum(n);
    let problem = with_note(
        format!("What is the sum of the first {n} terms of the {} sequence ${}$?", s.kind(), s.shown(4)),
        total,
    );
    let step = if s.geometric {
        format!(
            "The ratio is ${}$, so the sum is ${} \\cdot \\frac{{({})^{{{n}}} - 1}}{{{} - 1}} = {}$.",
            s.step.latex(),
            s.first.latex(),
            s.step.latex(),
            s.step.latex(),
            total.latex()
        )
    } else {
        format!(
            "The {} term is ${}$, so the sum is $\\frac{{{n}}}{{2}}({} + {}) = {}$.",
            ordinal(n),
            s.term(n).latex(),
            s.first.latex(),
            s.term(n).latex(),
            total.latex()
        )
    };
    Item { problem, answer: total.latex(), steps: vec![step], facts: s.facts(SeqAsk::Sum(n)) }
}
