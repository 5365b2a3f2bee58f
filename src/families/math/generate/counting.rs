//! Counting: products of choices, arrangements, selections, anagrams, lattice paths, committees,
//! seatings, divisors and digit counts. Each item carries [`Facts`] so the tests can count by brute
//! force.

use super::arith::join_and;
use super::num::{Draw, choose, factorial, gcd};
use super::vocab::{cap, count_words, people, person};
use super::{Count, Facts, Item};

const WORDS: &[&str] = &[
    "BANANA", "LEVEL", "COOKIE", "PEPPER", "COFFEE", "ALPHA", "STREET", "MAMMAL", "LETTER", "BALLOON",
    "BAMBOO", "TOMATO", "ACCESS", "PUZZLE", "GAGGLE", "PARALLEL", "ALGEBRA", "RADAR", "SEESAW", "TATTOO",
];

fn item(problem: String, answer: String, steps: Vec<String>, facts: Facts) -> Item {
    Item { problem, answer, steps, facts }
}

fn count(problem: String, n: i128, steps: Vec<String>, facts: Count) -> Item {
    item(problem, n.to_string(), steps, Facts::Count(facts))
}

/// Falling factorial `n (n-1) ... (n-k+1)`.
fn arrangements(n: i64, k: i64) -> i128 {
    (0..k).map(|i| i128::from(n - i)).product()
}

/// A counting question at the given level.
pub(crate) fn combinatorics(d: &mut Draw, level: u8) -> Item {
    let kind = d.below(3);
    match (level, kind) {
        (1, 0 | 1) => {
            let p = person(d);
            let (a, b) = (d.int(2, 8), d.int(2, 8));
            let hats = d.chance(1, 2).then(|| d.int(2, 5));
            let mut sizes = vec![a, b];
            let mut list = vec![format!("{a} shirts"), format!("{b} pairs of pants")];
            if let Some(h) = hats {
                sizes.push(h);
                list.push(format!("{h} hats"));
            }
            let total: i64 = sizes.iter().product();
            let problem = format!(
                "{} has {}. An outfit is one of each. How many different outfits can {} make?",
                p.name,
                join_and(&list),
                p.they
            );
            let shown: Vec<String> = sizes.iter().map(i64::to_string).collect();
            count(
                problem,
                i128::from(total),
                vec![format!("Multiply the choices: {} = {total}.", shown.join(" * "))],
                Count::Product(sizes),
            )
        }
        (1, _) => {
            let n = d.int(3, 7);
            let what = d.pick(&[
                "different books on a shelf",
                "different trophies in a row",
                "runners in the lanes of a track",
            ]);
            let problem = format!("In how many ways can {n} {what} be arranged?");
            let steps = vec![format!("There are {n}! = {} orders.", factorial(n))];
            count(problem, factorial(n), steps, Count::Arrange { n, k: n })
        }
        (2, 0) => {
            let (n, k) = (d.int(5, 15), d.int(2, 3));
            let roles = if k == 2 {
                "a president and a vice-president"
            } else {
                "a president, a vice-president and a treasurer"
            };
            let problem = format!(
                "A club has {n} members. In how many ways can it choose {roles} if no member can hold more than one office?"
            );
            let steps = vec![format!("The offices are filled in order: {} ways.", arrangements(n, k))];
            count(problem, arrangements(n, k), steps, Count::Arrange { n, k })
        }
        (2, 1) => {
            let n = d.int(4, 25);
            let problem = format!(
                "At a meeting, each of {n} people shakes hands exactly once with each of the other people. How many handshakes take place?"
            );
            let steps = vec![format!("Each pair shakes once: $\\binom{{{n}}}{{2}} = {}$.", choose(n, 2))];
            count(problem, choose(n, 2), steps, Count::Choose { n, k: 2 })
        }
        (2, _) | (3, 2) => {
            let (n, k) = if level == 2 { (d.int(5, 12), d.int(2, 4)) } else { (d.int(8, 20), d.int(3, 6)) };
            let problem = match d.below(3) {
                0 => format!(
                    "A committee of {k} people is chosen from a group of {n}. How many different committees are possible?"
                ),
                1 => format!(
                    "A pizza place offers {n} different toppings. How many pizzas with exactly {k} different toppings can be ordered?"
                ),
                _ => format!("Compute $\\dbinom{{{n}}}{{{k}}}$."),
            };
            let steps = vec![format!(
                "$\\binom{{{n}}}{{{k}}} = \\frac{{{n}!}}{{{k}!\\,{}!}} = {}$.",
                n - k,
                choose(n, k)
            )];
            count(problem, choose(n, k), steps, Count::Choose { n, k })
        }
        (3, 0) => {
            let word = d.pick(WORDS);
            let mut letters: Vec<char> = word.chars().collect();
            letters.sort_unstable();
            letters.dedup();
            let mults: Vec<i64> =
                letters.iter().map(|&c| word.chars().filter(|&w| w == c).count() as i64).collect();
            let total = factorial(word.len() as i64) / mults.iter().map(|&m| factorial(m)).product::<i128>();
            let repeated: Vec<String> = letters
                .iter()
                .zip(&mults)
                .filter(|(_, m)| **m > 1)
                .map(|(c, m)| format!("{c} appears {m} times"))
                .collect();
            let problem =
                format!("How many distinct arrangements of the letters in the word {word} are there?");
            let steps = vec![
                format!("{word} has {} letters; {}.", word.len(), join_and(&repeated)),
                format!("Divide {}! by the factorials of the repeats: {total}.", word.len()),
            ];
            count(problem, total, steps, Count::Anagrams(word.to_owned()))
        }
        (3, _) => {
            let (right, up) = (d.int(2, 7), d.int(2, 6));
            let problem = format!(
                "A city map is a grid of streets {right} blocks wide and {up} blocks tall. How many shortest routes along the streets lead from the bottom-left corner to the top-right corner?"
            );
            let steps = vec![
                format!("Every shortest route is {right} moves right and {up} moves up in some order."),
                format!(
                    "Choose which {up} of the {} moves go up: $\\binom{{{}}}{{{up}}} = {}$.",
                    right + up,
                    right + up,
                    choose(right + up, up)
                ),
            ];
            count(problem, choose(right + up, up), steps, Count::GridPaths { right, up })
        }
        (4, 0) => {
            let (n1, k1, n2, k2) = (d.int(4, 9), d.int(1, 3), d.int(5, 12), d.int(2, 4));
            let (g1, g2) = d.pick(&[
                ("teachers", "students"),
                ("coaches", "players"),
                ("doctors", "nurses"),
                ("adults", "children"),
            ]);
            let total = choose(n1, k1) * choose(n2, k2);
            let problem = format!(
                "A group of {n1} {g1} and {n2} {g2} needs a team of {k1} of the {g1} and {k2} of the {g2}. How many different teams can be formed?"
            );
            let steps = vec![format!(
                "Choose independently: $\\binom{{{n1}}}{{{k1}}} \\cdot \\binom{{{n2}}}{{{k2}}} = {} \\cdot {} = {total}$.",
                choose(n1, k1),
                choose(n2, k2)
            )];
            count(problem, total, steps, Count::Committee(vec![(n1, k1), (n2, k2)]))
        }
        (4, 1) => {
            let (n, special, k) = (d.int(7, 14), d.int(2, 5), d.int(3, 5));
            let (group, who, one) = d.pick(&[
                ("students", "seniors", "senior"),
                ("players", "goalkeepers", "goalkeeper"),
                ("musicians", "drummers", "drummer"),
                ("employees", "managers", "manager"),
            ]);
            let total = choose(n, k) - choose(n - special, k);
            let problem = format!(
                "A group of {n} {group} includes {special} {who}. In how many ways can {k} of the {group} be chosen so that at least one {one} is among them?"
            );
            let steps = vec![
                format!(
                    "All groups: $\\binom{{{n}}}{{{k}}} = {}$; groups with none of them: $\\binom{{{}}}{{{k}}} = {}$.",
                    choose(n, k),
                    n - special,
                    choose(n - special, k)
                ),
                format!("Subtract: {} - {} = {total}.", choose(n, k), choose(n - special, k)),
            ];
            count(problem, total, steps, Count::AtLeastOne { n, special, k })
        }
        (4, _) => {
            let n = d.int(4, 9);
            let problem = format!(
                "In how many ways can {n} people sit around a round table if two seatings that are rotations of each other count as the same?"
            );
            let steps = vec![format!(
                "Fix one person's seat and arrange the rest: ({n} - 1)! = {}.",
                factorial(n - 1)
            )];
            count(problem, factorial(n - 1), steps, Count::Circle { n })
        }
        _ => combinatorics_hard(d),
    }
}

fn combinatorics_hard(d: &mut Draw) -> Item {
    match d.below(4) {
        0 => {
            let n = d.int(4, 8);
            let names = people(d, 2);
            let together = d.chance(1, 2);
            let (total, rule) = if together {
                (2 * factorial(n - 1), "insist on standing next to each other")
            } else {
                (factorial(n) - 2 * factorial(n - 1), "refuse to stand next to each other")
            };
            let problem = format!(
                "{} friends, including {} and {}, line up in a row for a photo. {} and {} {rule}. In how many orders can the friends line up?",
                cap(&count_words(n)),
                names[0].name,
                names[1].name,
                names[0].name,
                names[1].name
            );
            let mut steps = vec![format!(
                "Treat the pair as one block: 2 * ({n} - 1)! = {} orders with them together.",
                2 * factorial(n - 1)
            )];
            if !together {
                steps.push(format!("Subtract from all {n}! = {} orders: {total}.", factorial(n)));
            }
            count(problem, total, steps, Count::Adjacent { n, together })
        }
        1 => {
            let (upto, a, b) = (d.int(50, 500), d.int(2, 9), d.int(3, 13));
            if a == b || b % a == 0 || a % b == 0 {
                return count_fallback(d);
            }
            let l = i64::try_from(i128::from(a) * i128::from(b) / gcd(i128::from(a), i128::from(b)))
                .unwrap_or(i64::MAX);
            let total = upto / a + upto / b - upto / l;
            let problem = format!(
                "How many positive integers less than or equal to {upto} are divisible by {a} or by {b} (or both)?"
            );
            let steps = vec![
                format!(
                    "Multiples of {a}: {}; of {b}: {}; of both (multiples of {l}): {}.",
                    upto / a,
                    upto / b,
                    upto / l
                ),
                format!("By inclusion-exclusion: {} + {} - {} = {total}.", upto / a, upto / b, upto / l),
            ];
            count(problem, i128::from(total), steps, Count::DivisibleBy { upto, a, b })
        }
        2 => {
            let k = if d.chance(1, 2) { 2 } else { 3 };
            let primes = d.distinct(&[2i64, 3, 5, 7], k);
            let exps: Vec<u32> = primes.iter().map(|_| u32::try_from(d.int(1, 4)).unwrap_or(1)).collect();
            let n: i64 = primes.iter().zip(&exps).map(|(p, e)| p.pow(*e)).product();
            let total: i64 = exps.iter().map(|&e| i64::from(e) + 1).product();
            let factored: Vec<String> = primes.iter().zip(&exps).map(|(p, e)| format!("{p}^{e}")).collect();
            let counts: Vec<String> = exps.iter().map(|e| format!("({e} + 1)")).collect();
            let problem = format!("How many positive divisors does {n} have?");
            let steps = vec![format!(
                "${n} = {}$, so it has {} = {total} divisors.",
                factored.join(" \\cdot "),
                counts.join(" * ")
            )];
            count(problem, i128::from(total), steps, Count::Divisors(n))
        }
        _ => {
            let len = u32::try_from(d.int(3, 4)).unwrap_or(3);
            let (distinct, even) = d.pick(&[(true, false), (true, true), (false, true)]);
            let (total, step) = match (distinct, even) {
                (true, true) => {
                    let rest = arrangements(8, i64::from(len) - 2);
                    (
                        41 * rest,
                        format!(
                            "Ending in 0: 9 * {rest} = {}; ending in 2, 4, 6 or 8: 4 * 8 * {rest} = {}.",
                            9 * rest,
                            32 * rest
                        ),
                    )
                }
                (true, false) => {
                    let rest = arrangements(9, i64::from(len) - 1);
                    (
                        9 * rest,
                        format!(
                            "The first digit has 9 choices (not 0), and the others {rest} ordered choices from the 9 digits left."
                        ),
                    )
                }
                _ => {
                    let middle = 10i128.pow(len - 2);
                    (
                        45 * middle,
                        format!(
                            "First digit: 9 choices; middle digits: {middle} ways; last digit: 5 even choices."
                        ),
                    )
                }
            };
            let what = match (distinct, even) {
                (true, true) => "are even and have no repeated digits",
                (true, false) => "have no repeated digits",
                _ => "are even",
            };
            let problem = format!("How many {len}-digit positive integers {what}?");
            count(
                problem,
                total,
                vec![format!("{step} Total: {total}.")],
                Count::Digits { len, distinct, even },
            )
        }
    }
}

fn count_fallback(d: &mut Draw) -> Item {
    let n = d.int(4, 9);
    let problem = format!(
        "In how many ways can {n} people sit around a round table if two seatings that are rotations of each other count as the same?"
    );
    count(problem, factorial(n - 1), vec![format!("({n} - 1)! = {}.", factorial(n - 1))], Count::Circle { n })
}
