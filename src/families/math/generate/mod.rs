//! Seeded generators of fresh math problems with exact answers, so a suite cannot have leaked into
//! any model's training data: word problems in the style of GSM8K at levels 1-5 and symbolic items
//! (equations, systems, fractions, radicals, modular arithmetic, counting, probability, sequences).
//!
//! Determinism (DESIGN "Deterministic by seed"): task `index` of seed `seed` draws only from its own
//! ChaCha8 stream ([`num::Draw`]), so the same seed gives byte-identical output on every platform,
//! and `n = 10` is a prefix of `n = 100`. The category and level of a task follow from its index
//! alone ([`plan`]). Every answer is computed with exact rationals and written in a form the
//! checker ([`super::equiv`]) reads. Output is JSONL in the MATH format that `math:PATH` imports.

mod algebra;
mod arith;
mod chance;
mod counting;
mod num;
mod sequence;
mod vocab;
mod word;
mod word_hard;
mod word_mid;

use std::io::Write;

use serde::{Deserialize, Serialize};

use num::Draw;

/// The kinds of problem the generator makes; the tag is the task's `subject` (its category).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// Multi-step word problems in the style of GSM8K.
    Word,
    /// Linear equations in one unknown.
    Linear,
    /// Quadratic equations with rational roots.
    Quadratic,
    /// Two linear equations in two unknowns.
    System,
    /// Fraction arithmetic to simplify.
    Fraction,
    /// Radicals to simplify or rationalise.
    Radical,
    /// Remainders, congruences and the Chinese remainder theorem.
    Modular,
    /// Counting: arrangements, selections, paths.
    Combinatorics,
    /// Probabilities over small sample spaces.
    Probability,
    /// Arithmetic and geometric sequences and series.
    Sequence,
}

impl Category {
    /// Every category, word problems first.
    pub const ALL: [Category; 10] = [
        Category::Word,
        Category::Linear,
        Category::Quadratic,
        Category::System,
        Category::Fraction,
        Category::Radical,
        Category::Modular,
        Category::Combinatorics,
        Category::Probability,
        Category::Sequence,
    ];

    /// The tag written as `subject`, which becomes the task category in reports.
    pub fn tag(self) -> &'static str {
        match self {
            Category::Word => "word",
            Category::Linear => "linear",
            Category::Quadratic => "quadratic",
            Category::System => "system",
            Category::Fraction => "fraction",
            Category::Radical => "radical",
            Category::Modular => "modular",
            Category::Combinatorics => "combinatorics",
            Category::Probability => "probability",
            Category::Sequence => "sequence",
        }
    }
}

/// Levels run from 1 (one or two easy steps) to 5 (several steps mixing kinds of numbers).
pub const LEVELS: u8 = 5;

/// The category and level of task `index`, the same for every seed.
///
/// Even indices are word problems and odd ones cycle through the nine symbolic categories; the
/// level cycles 1..=5 along each, so every (category, level) pair appears within 180 tasks and a
/// batch of any size is balanced.
pub fn plan(index: u64) -> (Category, u8) {
    let half = index / 2;
    let level = (half % u64::from(LEVELS)) as u8 + 1;
    if index.is_multiple_of(2) {
        return (Category::Word, level);
    }
    let symbolic = &Category::ALL[1..];
    (symbolic[(half % symbolic.len() as u64) as usize], level)
}

/// One generated problem, serialised as one JSONL line in the MATH dataset format (keys in this
/// order), so the `math:PATH` importer and the bundled `math` suite read it as is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneratedProblem {
    /// `math-s{seed}-{index:05}`: stable for a given seed and index (contract 6).
    pub unique_id: String,
    /// The problem statement, saying what form the answer should take where that matters.
    pub problem: String,
    /// The exact answer in a form the checker accepts.
    pub answer: String,
    /// The category tag (see [`Category::tag`]).
    pub subject: String,
    /// `Level N` with N in 1..=5.
    pub level: String,
    /// A short worked solution ending in `\boxed{ANSWER}`.
    pub solution: String,
}

/// What a generator returns before the id and tags are attached.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Item {
    /// The problem statement.
    pub problem: String,
    /// The exact answer string.
    pub answer: String,
    /// Worked steps, without the final boxed line.
    pub steps: Vec<String>,
    /// The numbers behind the question, for independent checks in the tests.
    pub facts: Facts,
}

impl Item {
    /// An item with no structured facts (checked through its text).
    pub(crate) fn text(problem: String, answer: String, steps: Vec<String>) -> Item {
        Item { problem, answer, steps, facts: Facts::Text }
    }
}

/// What a symbolic item asks, as plain numbers, so the tests can recompute its answer by brute
/// force without this module's arithmetic. Items the tests check through their text carry `Text`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Facts {
    /// Nothing beyond the problem text.
    Text,
    /// The remainder of the product of `base^exp` plus `add`, divided by `modulus`.
    Remainder { factors: Vec<(i64, u32)>, add: i64, modulus: i64 },
    /// The residue `x` in `0..modulus` with `a x = b (mod modulus)`.
    Congruence { a: i64, b: i64, modulus: i64 },
    /// The smallest positive `n` with `n = r (mod m)` for every `(r, m)`.
    Crt(Vec<(i64, i64)>),
    /// A number of ways.
    Count(Count),
    /// A probability.
    Chance(Chance),
    /// A sequence with first term and step (difference or ratio) as `(num, den)`.
    Sequence { first: (i64, i64), step: (i64, i64), geometric: bool, ask: SeqAsk },
}

/// The counting questions, each with the sizes a brute-force count needs.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Count {
    /// One choice from each of several independent lists of these sizes.
    Product(Vec<i64>),
    /// Ordered selections of `k` distinct things out of `n`.
    Arrange { n: i64, k: i64 },
    /// Unordered selections of `k` out of `n`.
    Choose { n: i64, k: i64 },
    /// Distinct orderings of the letters of a word.
    Anagrams(String),
    /// Shortest lattice paths with `right` steps right and `up` steps up.
    GridPaths { right: i64, up: i64 },
    /// A choice of `k` from each group of `n`: `(n, k)` per group.
    Committee(Vec<(i64, i64)>),
    /// `k`-subsets of `n` people that include at least one of `special` given people.
    AtLeastOne { n: i64, special: i64, k: i64 },
    /// Orders of `n` people in a row where two given people are (or are not) side by side.
    Adjacent { n: i64, together: bool },
    /// Seatings of `n` people around a round table, rotations counted once.
    Circle { n: i64 },
    /// Integers in `1..=upto` divisible by `a` or by `b`.
    DivisibleBy { upto: i64, a: i64, b: i64 },
    /// Positive divisors of `n`.
    Divisors(i64),
    /// `len`-digit positive integers, optionally with distinct digits and optionally even.
    Digits { len: u32, distinct: bool, even: bool },
}

/// The probability questions, each over a sample space small enough to enumerate.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Chance {
    /// `dice` fair dice with `sides` faces; the total is one of `sums`.
    Dice { dice: u32, sides: i64, sums: Vec<i64> },
    /// `dice` fair dice; at least one shows `face`.
    AnyFace { dice: u32, sides: i64, face: i64 },
    /// One draw from a bag with these colour counts; the colour is one of `wanted`.
    Bag { counts: Vec<i64>, wanted: Vec<usize> },
    /// Two draws without replacement from a bag with these colour counts.
    TwoDraws { counts: Vec<i64>, event: DrawEvent },
    /// `n` fair coin flips; the number of heads is one of `heads`.
    Flips { n: u32, heads: Vec<u32> },
    /// A uniform integer in `1..=upto` divisible by `a` or by `b`.
    Divisible { upto: i64, a: i64, b: i64 },
    /// `k` of `n` people chosen at random; two given people are both chosen.
    BothChosen { n: i64, k: i64 },
}

/// What two draws from a bag must show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DrawEvent {
    /// Both of this colour.
    Both(usize),
    /// Both of one colour, whichever.
    Same,
    /// Two different colours.
    Different,
}

/// What a sequence question asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SeqAsk {
    /// The `n`-th term (1-based).
    Term(i64),
    /// The sum of the first `n` terms.
    Sum(i64),
    /// How many terms up to and including this one.
    CountTo(i64),
    /// The sum of the infinite geometric series.
    Infinite,
}

/// The raw item of task `index`: category, level and content. The tests use its facts.
pub(crate) fn item(seed: u64, index: u64) -> (Category, u8, Item) {
    let (category, level) = plan(index);
    let mut draw = Draw::for_task(seed, index);
    let d = &mut draw;
    let item = match category {
        Category::Word if level <= 3 => word::generate(d, level),
        Category::Word => word_hard::generate(d, level),
        Category::Linear => algebra::linear(d, level),
        Category::Quadratic => algebra::quadratic(d, level),
        Category::System => algebra::system(d, level),
        Category::Fraction => arith::fraction(d, level),
        Category::Radical => arith::radical(d, level),
        Category::Modular => arith::modular(d, level),
        Category::Combinatorics => counting::combinatorics(d, level),
        Category::Probability => chance::probability(d, level),
        Category::Sequence => sequence::sequence(d, level),
    };
    (category, level, item)
}

/// Task `index` of the batch for `seed`.
pub fn problem(seed: u64, index: u64) -> GeneratedProblem {
    let (category, level, item) = item(seed, index);
    let mut solution = item.steps.join("\n");
    if !solution.is_empty() {
        solution.push('\n');
    }
    solution.push_str(&format!("The answer is $\\boxed{{{}}}$.", item.answer));
    GeneratedProblem {
        unique_id: format!("math-s{seed}-{index:05}"),
        problem: item.problem,
        answer: item.answer,
        subject: category.tag().to_owned(),
        level: format!("Level {level}"),
        solution,
    }
}

/// The first `n` tasks for `seed`.
pub fn generate(seed: u64, n: usize) -> Vec<GeneratedProblem> {
    (0..n as u64).map(|index| problem(seed, index)).collect()
}

/// Writes the first `n` tasks for `seed` as JSONL (one object a line, `\n` endings), one at a time.
pub fn write_jsonl(seed: u64, n: usize, out: &mut impl Write) -> std::io::Result<()> {
    for index in 0..n as u64 {
        serde_json::to_writer(&mut *out, &problem(seed, index))?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// Retries a fallible draw a bounded number of times (the rng decides, so this stays
/// deterministic), then falls back to a construction that always succeeds.
pub(crate) fn retry<T>(
    d: &mut Draw,
    mut attempt: impl FnMut(&mut Draw) -> Option<T>,
    fallback: impl FnOnce(&mut Draw) -> T,
) -> T {
    for _ in 0..200 {
        if let Some(found) = attempt(d) {
            return found;
        }
    }
    fallback(d)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
