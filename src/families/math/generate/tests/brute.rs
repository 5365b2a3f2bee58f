//! Brute-force answers for the items that carry [`Facts`]: every count is made by enumerating the
//! objects, every probability by enumerating the sample space, every residue by trying them all.
//! None of this shares code with the generators' formulas.

use std::collections::HashSet;

use super::super::{Chance, Count, DrawEvent, Facts, SeqAsk};
use super::latex::{Frac, Value};

/// The answer the facts imply, as an exact fraction (`None` for `Facts::Text`).
pub fn answer(facts: &Facts) -> Option<Frac> {
    Some(match facts {
        Facts::Text => return None,
        Facts::Remainder { factors, add, modulus } => {
            let mut acc = 1 % modulus;
            for &(base, exp) in factors {
                for _ in 0..exp {
                    acc = acc * base.rem_euclid(*modulus) % modulus;
                }
            }
            Frac::int(i128::from((acc + add).rem_euclid(*modulus)))
        }
        Facts::Congruence { a, b, modulus } => {
            let all: Vec<i64> = (0..*modulus).filter(|x| (a * x - b).rem_euclid(*modulus) == 0).collect();
            assert_eq!(all.len(), 1, "{facts:?} has solutions {all:?}");
            Frac::int(i128::from(all[0]))
        }
        Facts::Crt(pairs) => {
            let n = (1..1_000_000i64).find(|n| pairs.iter().all(|&(r, m)| n % m == r)).unwrap();
            Frac::int(i128::from(n))
        }
        Facts::Count(c) => Frac::int(count(c)),
        Facts::Chance(c) => chance(c),
        Facts::Sequence { first, step, geometric, ask } => sequence(*first, *step, *geometric, *ask),
    })
}

/// Calls `visit` with every permutation of `0..n` (Heap's algorithm).
fn permutations(n: usize, visit: &mut dyn FnMut(&[usize])) {
    let mut a: Vec<usize> = (0..n).collect();
    let mut c = vec![0usize; n];
    visit(&a);
    let mut i = 0;
    while i < n {
        if c[i] < i {
            if i % 2 == 0 {
                a.swap(0, i);
            } else {
                a.swap(c[i], i);
            }
            visit(&a);
            c[i] += 1;
            i = 0;
        } else {
            c[i] = 0;
            i += 1;
        }
    }
}

/// Subsets of `0..n` of size `k`, as bit masks (by enumeration for small `n`, else Pascal's rule).
fn subsets(n: i64, k: i64) -> i128 {
    if n <= 16 {
        return (0u32..1 << n).filter(|m| i64::from(m.count_ones()) == k).count() as i128;
    }
    let mut row = vec![1i128];
    for _ in 0..n {
        let mut next = vec![1i128; row.len() + 1];
        for i in 1..row.len() {
            next[i] = row[i - 1] + row[i];
        }
        row = next;
    }
    usize::try_from(k).ok().and_then(|k| row.get(k).copied()).unwrap_or(0)
}

fn count(c: &Count) -> i128 {
    match c {
        Count::Product(sizes) => {
            let mut odometer = vec![0i64; sizes.len()];
            let mut total = 0;
            'outer: loop {
                total += 1;
                for (i, size) in sizes.iter().enumerate() {
                    odometer[i] += 1;
                    if odometer[i] < *size {
                        continue 'outer;
                    }
                    odometer[i] = 0;
                }
                break total;
            }
        }
        Count::Arrange { n, k } => {
            fn go(n: i64, k: i64, used: &mut Vec<bool>) -> i128 {
                if k == 0 {
                    return 1;
                }
                let mut total = 0;
                for i in 0..n as usize {
                    if !used[i] {
                        used[i] = true;
                        total += go(n, k - 1, used);
                        used[i] = false;
                    }
                }
                total
            }
            go(*n, *k, &mut vec![false; *n as usize])
        }
        Count::Choose { n, k } => subsets(*n, *k),
        Count::Anagrams(word) => {
            let letters: Vec<char> = word.chars().collect();
            let mut seen = HashSet::new();
            permutations(letters.len(), &mut |p| {
                seen.insert(p.iter().map(|&i| letters[i]).collect::<String>());
            });
            seen.len() as i128
        }
        Count::GridPaths { right, up } => {
            let (r, u) = (*right as usize, *up as usize);
            let mut ways = vec![vec![0i128; u + 1]; r + 1];
            for i in 0..=r {
                for j in 0..=u {
                    ways[i][j] = if i == 0 || j == 0 { 1 } else { ways[i - 1][j] + ways[i][j - 1] };
                }
            }
            ways[r][u]
        }
        Count::Committee(groups) => groups.iter().map(|&(n, k)| subsets(n, k)).product(),
        Count::AtLeastOne { n, special, k } => (0u32..1 << n)
            .filter(|m| i64::from(m.count_ones()) == *k && m & ((1 << special) - 1) != 0)
            .count() as i128,
        Count::Adjacent { n, together } => {
            let mut total = 0;
            permutations(*n as usize, &mut |p| {
                let pos = |who| p.iter().position(|&x| x == who).unwrap();
                if (pos(0).abs_diff(pos(1)) == 1) == *together {
                    total += 1;
                }
            });
            total
        }
        Count::Circle { n } => {
            // One seating per rotation class has person 0 in seat 0.
            let mut total = 0;
            permutations(*n as usize, &mut |p| total += i128::from(p[0] == 0));
            total
        }
        Count::DivisibleBy { upto, a, b } => (1..=*upto).filter(|x| x % a == 0 || x % b == 0).count() as i128,
        Count::Divisors(n) => (1..=*n).filter(|d| n % d == 0).count() as i128,
        Count::Digits { len, distinct, even } => {
            let (lo, hi) = (10i64.pow(len - 1), 10i64.pow(*len));
            (lo..hi)
                .filter(|x| {
                    let digits = x.to_string();
                    let unique: HashSet<char> = digits.chars().collect();
                    (!distinct || unique.len() == digits.len()) && (!even || x % 2 == 0)
                })
                .count() as i128
        }
    }
}

fn chance(c: &Chance) -> Frac {
    let (good, total): (usize, usize) = match c {
        Chance::Dice { dice, sides, sums } => {
            let outcomes = all_rolls(*dice, *sides);
            (outcomes.iter().filter(|r| sums.contains(&r.iter().sum())).count(), outcomes.len())
        }
        Chance::AnyFace { dice, sides, face } => {
            let outcomes = all_rolls(*dice, *sides);
            (outcomes.iter().filter(|r| r.contains(face)).count(), outcomes.len())
        }
        Chance::Bag { counts, wanted } => {
            let balls = bag(counts);
            (balls.iter().filter(|b| wanted.contains(b)).count(), balls.len())
        }
        Chance::TwoDraws { counts, event } => {
            let balls = bag(counts);
            let mut good = 0;
            let mut total = 0;
            for (i, a) in balls.iter().enumerate() {
                for (j, b) in balls.iter().enumerate() {
                    if i == j {
                        continue;
                    }
                    total += 1;
                    good += usize::from(match event {
                        DrawEvent::Both(c) => a == c && b == c,
                        DrawEvent::Same => a == b,
                        DrawEvent::Different => a != b,
                    });
                }
            }
            (good, total)
        }
        Chance::Flips { n, heads } => {
            let good = (0u32..1 << n).filter(|m| heads.contains(&m.count_ones())).count();
            (good, 1 << n)
        }
        Chance::Divisible { upto, a, b } => {
            ((1..=*upto).filter(|x| x % a == 0 || x % b == 0).count(), *upto as usize)
        }
        Chance::BothChosen { n, k } => {
            let chosen: Vec<u32> = (0u32..1 << n).filter(|m| i64::from(m.count_ones()) == *k).collect();
            (chosen.iter().filter(|m| *m & 3 == 3).count(), chosen.len())
        }
    };
    Frac::new(good as i128, total as i128)
}

fn all_rolls(dice: u32, sides: i64) -> Vec<Vec<i64>> {
    let mut out = vec![Vec::new()];
    for _ in 0..dice {
        out = out.into_iter().flat_map(|r| (1..=sides).map(move |f| [r.clone(), vec![f]].concat())).collect();
    }
    out
}

fn bag(counts: &[i64]) -> Vec<usize> {
    counts.iter().enumerate().flat_map(|(colour, &n)| std::iter::repeat_n(colour, n as usize)).collect()
}

fn sequence(first: (i64, i64), step: (i64, i64), geometric: bool, ask: SeqAsk) -> Frac {
    let first = Frac::new(i128::from(first.0), i128::from(first.1));
    let step = Frac::new(i128::from(step.0), i128::from(step.1));
    let next = |t: Frac| if geometric { t.mul(step) } else { t.add(step) };
    match ask {
        SeqAsk::Term(n) => (1..n).fold(first, |t, _| next(t)),
        SeqAsk::Sum(n) => {
            let (mut t, mut sum) = (first, Frac::int(0));
            for _ in 0..n {
                sum = sum.add(t);
                t = next(t);
            }
            sum
        }
        SeqAsk::CountTo(last) => {
            let (mut t, mut n) = (first, 1);
            while t != Frac::int(i128::from(last)) {
                t = next(t);
                n += 1;
                assert!(n < 100_000, "never reaches {last}");
            }
            Frac::int(n)
        }
        SeqAsk::Infinite => {
            // Partial sums converge; the tests compare the limit within a tolerance.
            let (mut t, mut sum) = (first.0 as f64 / first.1 as f64, 0.0);
            let r = step.0 as f64 / step.1 as f64;
            assert!(r.abs() < 1.0);
            for _ in 0..200 {
                sum += t;
                t *= r;
            }
            let scaled = (sum * 1_000_000.0).round() as i128;
            Frac::new(scaled, 1_000_000)
        }
    }
}
