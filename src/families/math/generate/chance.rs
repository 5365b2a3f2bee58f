//! Probabilities over small sample spaces (dice, bags, coins, draws without replacement, random
//! numbers and random groups), answered as reduced fractions strictly between 0 and 1. Each item
//! carries [`Facts`] so the tests can enumerate the sample space.

use super::arith::join_and;
use super::num::{Draw, Q, choose};
use super::vocab::{THINGS, cap, count_words, people};
use super::{Chance, DrawEvent, Facts, Item, retry};

const COLOURS: &[&str] = &["red", "blue", "green", "yellow", "white", "black", "purple", "orange"];

fn item(problem: String, answer: String, steps: Vec<String>, facts: Facts) -> Item {
    Item { problem, answer, steps, facts }
}

const COMMON: &str = " Express your answer as a common fraction.";

/// A probability question at the given level, answered as a reduced fraction strictly between 0
/// and 1.
pub(crate) fn probability(d: &mut Draw, level: u8) -> Item {
    retry(d, |d| chance(d, level), |d| chance(d, 1).unwrap_or_else(coin_fallback))
}

fn coin_fallback() -> Item {
    item(
        format!("Two fair coins are flipped. What is the probability that both land heads?{COMMON}"),
        "\\frac{1}{4}".into(),
        vec!["One of the 4 equally likely outcomes is two heads.".into()],
        Facts::Chance(Chance::Flips { n: 2, heads: vec![2] }),
    )
}

fn answer(
    favourable: i128,
    total: i128,
    problem: String,
    mut steps: Vec<String>,
    facts: Chance,
) -> Option<Item> {
    let p = Q::new(favourable, total);
    if favourable <= 0 || favourable >= total {
        return None;
    }
    let raw = format!("\\frac{{{favourable}}}{{{total}}}");
    if raw == p.latex() {
        steps.push(format!("The probability is ${raw}$."));
    } else {
        steps.push(format!("The probability is ${raw} = {}$.", p.latex()));
    }
    Some(item(format!("{problem}{COMMON}"), p.latex(), steps, Facts::Chance(facts)))
}

fn chance(d: &mut Draw, level: u8) -> Option<Item> {
    let kind = d.below(3);
    match (level, kind) {
        (1, 0) => {
            let sides = d.pick(&[6, 8, 10, 12, 20]);
            let (event, test): (String, fn(i64, i64) -> bool) = match d.below(4) {
                0 => ("an even number".into(), |f, _| f % 2 == 0),
                1 => ("a prime number".into(), |f, _| (2..f).all(|k| f % k != 0) && f > 1),
                2 => ("a multiple of 3".into(), |f, _| f % 3 == 0),
                _ => ("a number greater than K".into(), |f, k| f > k),
            };
            let k = d.int(2, sides - 2);
            let event = event.replace('K', &k.to_string());
            let faces: Vec<i64> = (1..=sides).filter(|&f| test(f, k)).collect();
            let problem = format!(
                "A fair {sides}-sided die with faces numbered 1 through {sides} is rolled once. What is the probability that it shows {event}?"
            );
            let steps = vec![format!("{} of the {sides} faces qualify.", faces.len())];
            answer(
                faces.len() as i128,
                i128::from(sides),
                problem,
                steps,
                Chance::Dice { dice: 1, sides, sums: faces },
            )
        }
        (1, _) => {
            let colours = d.distinct(COLOURS, 3);
            let counts = vec![d.int(1, 9), d.int(1, 9), d.int(1, 9)];
            let (_, plural) = d.pick(&[("marble", "marbles"), ("bead", "beads"), ("ball", "balls")]);
            let total: i64 = counts.iter().sum();
            let not = d.chance(1, 2);
            let wanted: Vec<usize> = if not { vec![1, 2] } else { vec![0] };
            let good: i64 = wanted.iter().map(|&i| counts[i]).sum();
            let problem = format!(
                "A bag holds {} {}, {} {} and {} {} {plural}. One is drawn at random. What is the probability that it is {}{}?",
                counts[0],
                colours[0],
                counts[1],
                colours[1],
                counts[2],
                colours[2],
                if not { "not " } else { "" },
                colours[0]
            );
            let steps = vec![format!("{good} of the {total} {plural} qualify.")];
            answer(i128::from(good), i128::from(total), problem, steps, Chance::Bag { counts, wanted })
        }
        (2, 0) | (5, 0) => {
            let dice = if level == 2 { 2 } else { 3 };
            let s = d.int(i64::from(dice) + 1, 6 * i64::from(dice) - 1);
            let ways = dice_ways(dice, s);
            let total = 6i128.pow(dice);
            let problem = format!(
                "{} fair six-sided dice are rolled. What is the probability that the numbers shown add up to {s}?",
                cap(&count_words(i64::from(dice)))
            );
            let steps =
                vec![format!("There are {total} equally likely outcomes, and {ways} of them have sum {s}.")];
            answer(ways, total, problem, steps, Chance::Dice { dice, sides: 6, sums: vec![s] })
        }
        (2, _) | (4, 0) => {
            let n = u32::try_from(if level == 2 { d.int(3, 5) } else { d.int(5, 9) }).unwrap_or(2);
            let k = u32::try_from(d.int(1, i64::from(n) - 1)).unwrap_or(1);
            let at_least = level == 4 && d.chance(1, 2);
            let heads: Vec<u32> = if at_least { (k..=n).collect() } else { vec![k] };
            let ways: i128 = heads.iter().map(|&h| choose(i64::from(n), i64::from(h))).sum();
            let heads_word = if k == 1 { "head" } else { "heads" };
            let what = if at_least {
                format!("at least {k} {heads_word}")
            } else {
                format!("exactly {k} {heads_word}")
            };
            let problem = match d.below(3) {
                0 => format!("A fair coin is flipped {n} times. What is the probability of getting {what}?"),
                1 => format!(
                    "{} fair coins are tossed at once. What is the probability that they show {what}?",
                    cap(&count_words(i64::from(n)))
                ),
                _ => {
                    let p = people(d, 1);
                    format!(
                        "{} flips a fair coin {n} times. What is the probability that {} gets {what}?",
                        p[0].name, p[0].they
                    )
                }
            };
            let steps = vec![format!(
                "Of the $2^{{{n}}} = {}$ equally likely sequences, {ways} have {what}.",
                1i128 << n
            )];
            answer(ways, 1i128 << n, problem, steps, Chance::Flips { n, heads })
        }
        (3, 0) | (5, 1) => {
            let k = if level == 3 { 2 } else { 3 };
            let colours = d.distinct(COLOURS, k);
            let counts: Vec<i64> = (0..k).map(|_| d.int(2, 8)).collect();
            let total: i64 = counts.iter().sum();
            let event = if level == 3 {
                DrawEvent::Both(0)
            } else if d.chance(1, 2) {
                DrawEvent::Same
            } else {
                DrawEvent::Different
            };
            let pairs = |c: i64| i128::from(c * (c - 1));
            let same: i128 = counts.iter().map(|&c| pairs(c)).sum();
            let (good, what) = match event {
                DrawEvent::Both(i) => (pairs(counts[i]), format!("both are {}", colours[i])),
                DrawEvent::Same => (same, "both are the same colour".to_owned()),
                DrawEvent::Different => (pairs(total) - same, "they are different colours".to_owned()),
            };
            let listed: Vec<String> = counts.iter().zip(&colours).map(|(n, c)| format!("{n} {c}")).collect();
            let problem = format!(
                "A box contains {} socks. Two socks are taken out at random, one after the other, without replacement. What is the probability that {what}?",
                join_and(&listed)
            );
            let steps = vec![format!(
                "There are {total} * {} = {} ordered draws, and {good} of them qualify.",
                total - 1,
                pairs(total)
            )];
            answer(good, pairs(total), problem, steps, Chance::TwoDraws { counts, event })
        }
        (3, _) => {
            let (upto, a, b) = (d.int(20, 100), d.int(2, 6), d.int(3, 11));
            if a == b {
                return None;
            }
            let good = (1..=upto).filter(|n| n % a == 0 || n % b == 0).count() as i128;
            let problem = format!(
                "A whole number from 1 to {upto}, inclusive, is chosen at random. What is the probability that it is divisible by {a} or by {b}?"
            );
            let steps = vec![format!(
                "Counting multiples with inclusion-exclusion gives {good} of the {upto} numbers."
            )];
            answer(good, i128::from(upto), problem, steps, Chance::Divisible { upto, a, b })
        }
        (4, _) => {
            let (dice, face) = (d.int(2, 3) as u32, d.int(1, 6));
            let total = 6i128.pow(dice);
            let none = 5i128.pow(dice);
            let problem = format!(
                "{} fair six-sided dice are rolled. What is the probability that at least one of them shows a {face}?",
                cap(&count_words(i64::from(dice)))
            );
            let steps = vec![format!(
                "No die shows a {face} in $5^{dice} = {none}$ of the $6^{dice} = {total}$ outcomes, so {} outcomes have at least one.",
                total - none
            )];
            answer(total - none, total, problem, steps, Chance::AnyFace { dice, sides: 6, face })
        }
        _ => {
            let (n, k) = (d.int(5, 14), d.int(2, 5));
            let names = people(d, 2);
            let (_, plural) = d.pick(THINGS);
            let good = choose(n - 2, k - 2);
            let problem = format!(
                "A teacher picks {k} of the {n} students in a class at random to hand out {plural}. What is the probability that both {} and {} are picked?",
                names[0].name, names[1].name
            );
            let steps = vec![format!(
                "Groups with both: $\\binom{{{}}}{{{}}} = {good}$ out of $\\binom{{{n}}}{{{k}}} = {}$.",
                n - 2,
                k - 2,
                choose(n, k)
            )];
            answer(good, choose(n, k), problem, steps, Chance::BothChosen { n, k })
        }
    }
}

/// Ways for `dice` six-sided dice to total `s`.
fn dice_ways(dice: u32, s: i64) -> i128 {
    let mut ways = vec![1i128];
    for _ in 0..dice {
        let mut next = vec![0i128; ways.len() + 6];
        for (total, w) in ways.iter().enumerate() {
            for face in 1..=6 {
                next[total + face] += w;
            }
        }
        ways = next;
    }
    usize::try_from(s).ok().and_then(|s| ways.get(s).copied()).unwrap_or(0)
}
