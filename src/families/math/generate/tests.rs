mod brute;
mod latex;

use std::collections::{BTreeSet, HashSet};

use super::*;
use crate::families::math::score_answer;
use crate::families::{BUNDLED, SuiteSpec};
use latex::{Expr, Frac, Value, eval, exact, float, math_segments, parse, split_top};

fn jsonl(seed: u64, n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    write_jsonl(seed, n, &mut out).unwrap();
    out
}

// ---- determinism and shape ----

#[test]
fn same_seed_same_bytes_and_shorter_batches_are_prefixes() {
    assert_eq!(jsonl(7, 60), jsonl(7, 60));
    assert_ne!(jsonl(7, 60), jsonl(8, 60));
    let long = jsonl(42, 50);
    let short = jsonl(42, 10);
    assert!(long.starts_with(&short));
    assert_eq!(short.iter().filter(|&&b| b == b'\n').count(), 10);
    // Every task depends only on (seed, index).
    assert_eq!(problem(42, 37), generate(42, 50)[37]);
}

#[test]
fn draws_are_pinned_to_the_chacha8_stream() {
    // A change here means every generated suite changes: regenerate suites/math.jsonl on purpose.
    let mut d = num::Draw::for_task(0, 0);
    let first: Vec<i64> = (0..6).map(|_| d.int(0, 999)).collect();
    assert_eq!(first, [832, 865, 166, 631, 259, 994]);
    let mut again = num::Draw::for_task(0, 0);
    assert_eq!(first, (0..6).map(|_| again.int(0, 999)).collect::<Vec<_>>());
    let mut other = num::Draw::for_task(0, 1);
    assert_ne!(first, (0..6).map(|_| other.int(0, 999)).collect::<Vec<_>>());
    let mut d = num::Draw::for_task(1, 0);
    for _ in 0..1000 {
        let v = d.int(-3, 3);
        assert!((-3..=3).contains(&v));
    }
}

#[test]
fn lines_have_the_math_keys_in_order() {
    let text = String::from_utf8(jsonl(3, 4)).unwrap();
    for line in text.lines() {
        let keys: Vec<&str> = ["unique_id", "problem", "answer", "subject", "level", "solution"]
            .into_iter()
            .filter(|k| line.contains(&format!("\"{k}\":")))
            .collect();
        assert_eq!(keys.len(), 6, "{line}");
        let positions: Vec<usize> = keys.iter().map(|k| line.find(&format!("\"{k}\":")).unwrap()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{line}");
    }
    assert!(text.starts_with("{\"unique_id\":\"math-s3-00000\","), "{text}");
}

#[test]
fn every_category_and_level_appears_and_ids_are_unique() {
    let batch = generate(9, 300);
    let ids: HashSet<&str> = batch.iter().map(|p| p.unique_id.as_str()).collect();
    assert_eq!(ids.len(), 300);
    let seen: BTreeSet<(String, String)> =
        batch.iter().map(|p| (p.subject.clone(), p.level.clone())).collect();
    for category in Category::ALL {
        for level in 1..=LEVELS {
            assert!(
                seen.contains(&(category.tag().to_owned(), format!("Level {level}"))),
                "{category:?} level {level}"
            );
        }
    }
    assert_eq!(batch.iter().filter(|p| p.subject == "word").count(), 150);
}

// ---- answers ----

fn boxed(answer: &str) -> String {
    format!("so the answer is \\boxed{{{answer}}}")
}

/// The answer with its first number made one larger, where that is cheap to do.
fn perturbed(answer: &str) -> Option<String> {
    if let Ok(n) = answer.parse::<i64>() {
        return Some((n + 1).to_string());
    }
    if let Some(rest) = answer.strip_prefix("\\frac{").or_else(|| answer.strip_prefix("-\\frac{")) {
        let end = rest.find('}')?;
        let n: i64 = rest[..end].parse().ok()?;
        let sign = if answer.starts_with('-') { "-" } else { "" };
        return Some(format!("{sign}\\frac{{{}}}{}", n + 1, &rest[end + 1..]));
    }
    if answer.starts_with('(') {
        let items = split_top(&answer[1..answer.len() - 1]);
        let first = perturbed(items[0])?;
        return Some(format!("({first}, {})", items[1..].join(", ")));
    }
    None
}

#[test]
fn the_checker_accepts_every_answer_and_rejects_nearby_ones() {
    let mut failures = Vec::new();
    let mut perturbed_checked = 0;
    for p in generate(11, 2000) {
        if !score_answer(&boxed(&p.answer), &p.answer).passed {
            failures.push(format!("{}: answer {:?} not accepted", p.unique_id, p.answer));
        }
        if !score_answer(&p.solution, &p.answer).passed {
            failures.push(format!("{}: solution does not score", p.unique_id));
        }
        if let Some(wrong) = perturbed(&p.answer) {
            perturbed_checked += 1;
            if score_answer(&boxed(&wrong), &p.answer).passed {
                failures.push(format!("{}: wrong answer {wrong:?} accepted for {:?}", p.unique_id, p.answer));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(perturbed_checked > 1500, "{perturbed_checked}");
}

#[test]
fn texts_are_clean() {
    let placeholder = regex::Regex::new(r"\{\}|\{[a-z_]{2,}\}|\+ -|- -|= \+|\b1[a-z]\b|\s{2}").unwrap();
    for p in generate(5, 1000) {
        assert!(!p.problem.trim().is_empty() && !p.answer.trim().is_empty(), "{p:?}");
        for text in [&p.problem, &p.solution] {
            let stripped = text
                .replace("\\frac{", "")
                .replace("\\sqrt{", "")
                .replace("\\binom{", "")
                .replace("\\dbinom{", "");
            let stripped = stripped.replace("^{", "").replace("\\pmod{", "");
            if let Some(m) = placeholder.find(&stripped) {
                panic!("{}: suspicious {:?} in {text:?}", p.unique_id, m.as_str());
            }
        }
        assert!(p.solution.ends_with(&format!("$\\boxed{{{}}}$.", p.answer)), "{p:?}");
    }
}

#[test]
fn word_answers_are_non_negative_decimals() {
    let decimal = regex::Regex::new(r"^(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$").unwrap();
    for index in (0..2000).step_by(2) {
        let p = problem(13, index);
        assert_eq!(p.subject, "word");
        assert!(decimal.is_match(&p.answer), "{p:?}");
        assert!(p.problem.ends_with('?'), "{p:?}");
    }
}

// ---- independent checks of symbolic answers ----

/// The `$...$` equations of a problem (segments holding `=`), as (left, right) trees.
fn equations(problem: &str) -> Vec<(Expr, Expr)> {
    math_segments(problem)
        .into_iter()
        .filter(|s| s.contains('='))
        .map(|s| {
            let (l, r) = s.split_once('=').unwrap();
            (parse(l).unwrap(), parse(r).unwrap())
        })
        .collect()
}

fn at(e: &Expr, values: &[(char, Frac)]) -> Frac {
    eval::<Frac>(e, &|c| values.iter().find(|v| v.0 == c).map(|v| v.1)).unwrap()
}

fn only_var(lhs: &Expr, rhs: &Expr) -> char {
    let mut names = Vec::new();
    latex::vars(lhs, &mut names);
    latex::vars(rhs, &mut names);
    assert_eq!(names.len(), 1, "{names:?}");
    names[0]
}

fn check_linear(p: &GeneratedProblem) {
    let eqs = equations(&p.problem);
    assert_eq!(eqs.len(), 1);
    let (l, r) = &eqs[0];
    let v = only_var(l, r);
    let f = |x: i128| at(l, &[(v, Frac::int(x))]).sub(at(r, &[(v, Frac::int(x))]));
    assert_ne!(f(0), f(1), "the equation has a unique solution");
    assert_eq!(f(1).sub(f(0)), f(2).sub(f(1)), "the equation is linear");
    let x = exact(&p.answer);
    assert_eq!(at(l, &[(v, x)]), at(r, &[(v, x)]), "{} does not solve {}", p.answer, p.problem);
}

fn check_quadratic(p: &GeneratedProblem) {
    let eqs = equations(&p.problem);
    assert_eq!(eqs.len(), 1);
    let (l, r) = &eqs[0];
    let v = only_var(l, r);
    let f = |x: Frac| at(l, &[(v, x)]).sub(at(r, &[(v, x)]));
    let (f0, f1, fm) = (f(Frac::int(0)), f(Frac::int(1)), f(Frac::int(-1)));
    let two = Frac::int(2);
    let a = f1.add(fm).div(two).unwrap().sub(f0);
    let b = f1.sub(fm).div(two).unwrap();
    let c = f0;
    assert_ne!(a, Frac::int(0));
    assert_eq!(f(Frac::int(2)), a.mul(Frac::int(4)).add(b.mul(two)).add(c), "quadratic");
    let disc = b.mul(b).sub(Frac::int(4).mul(a).mul(c));
    if p.problem.contains("positive difference") {
        let diff = exact(&p.answer);
        assert!(diff.0 > 0);
        assert_eq!(diff.mul(diff).mul(a).mul(a), disc, "{p:?}");
        return;
    }
    let roots: Vec<Frac> = split_top(&p.answer).into_iter().map(exact).collect();
    for &x in &roots {
        assert_eq!(f(x), Frac::int(0), "{p:?}");
    }
    match roots.as_slice() {
        [_] => assert_eq!(disc, Frac::int(0), "{p:?}"),
        [x, y] => {
            assert!(x.0 * y.1 < y.0 * x.1, "roots in increasing order: {p:?}");
            assert!(disc.0 > 0);
        }
        _ => panic!("{p:?}"),
    }
}

fn check_system(p: &GeneratedProblem) {
    let eqs = equations(&p.problem);
    assert_eq!(eqs.len(), 2, "{p:?}");
    let pair =
        math_segments(&p.problem).into_iter().find(|s| s.starts_with('(') && !s.contains('=')).unwrap();
    let names: Vec<char> =
        split_top(&pair[1..pair.len() - 1]).iter().map(|s| s.chars().next().unwrap()).collect();
    let values: Vec<Frac> = split_top(&p.answer[1..p.answer.len() - 1]).into_iter().map(exact).collect();
    let assignment = [(names[0], values[0]), (names[1], values[1])];
    for (l, r) in &eqs {
        assert_eq!(at(l, &assignment), at(r, &assignment), "{p:?}");
    }
    // Unique: the two equations' coefficient vectors are independent.
    let coef = |e: &(Expr, Expr), x: i128, y: i128| {
        let v = [(names[0], Frac::int(x)), (names[1], Frac::int(y))];
        at(&e.0, &v).sub(at(&e.1, &v))
    };
    let (a1, b1) =
        (coef(&eqs[0], 1, 0).sub(coef(&eqs[0], 0, 0)), coef(&eqs[0], 0, 1).sub(coef(&eqs[0], 0, 0)));
    let (a2, b2) =
        (coef(&eqs[1], 1, 0).sub(coef(&eqs[1], 0, 0)), coef(&eqs[1], 0, 1).sub(coef(&eqs[1], 0, 0)));
    assert_ne!(a1.mul(b2), a2.mul(b1), "{p:?}");
}

fn lowest_terms(answer: &str) -> bool {
    let body = answer.trim_start_matches('-');
    match body.strip_prefix("\\frac{") {
        Some(rest) => {
            let (num, rest) = rest.split_once('}').unwrap();
            let den = rest.trim_start_matches('{').trim_end_matches('}');
            let num: String = num.chars().filter(char::is_ascii_digit).collect();
            let (n, d): (i128, i128) = (num.parse().unwrap(), den.parse().unwrap());
            let gcd = (1..=n.min(d)).rev().find(|g| n % g == 0 && d % g == 0).unwrap();
            gcd == 1 && d > 1
        }
        None => body.parse::<i128>().is_ok(),
    }
}

fn check_fraction(p: &GeneratedProblem) {
    let segments = math_segments(&p.problem);
    assert_eq!(exact(segments[0]), exact(&p.answer), "{p:?}");
    assert!(p.answer.contains("\\frac") && lowest_terms(&p.answer), "{p:?}");
}

fn check_radical(p: &GeneratedProblem) {
    let segments = math_segments(&p.problem);
    let (want, got) = (float(segments[0]), float(&p.answer));
    assert!((want - got).abs() < 1e-9 * want.abs().max(1.0), "{p:?}: {want} vs {got}");
    let radicand: i64 = p.answer.split("\\sqrt{").nth(1).unwrap().split('}').next().unwrap().parse().unwrap();
    assert!(radicand > 1 && (2..radicand).all(|k| radicand % (k * k) != 0), "not simplest: {p:?}");
    if let Some(rest) = p.answer.trim_start_matches('-').strip_prefix("\\frac{") {
        let coef: i128 = rest.split("\\sqrt").next().unwrap().parse().unwrap_or(1);
        let den: i128 = rest.rsplit('{').next().unwrap().trim_end_matches('}').parse().unwrap();
        assert!((2..=coef.min(den)).all(|g| coef % g != 0 || den % g != 0), "not reduced: {p:?}");
    }
}

#[test]
fn symbolic_answers_check_out_independently() {
    let mut checked = std::collections::BTreeMap::<String, usize>::new();
    for index in (1..4000).step_by(2) {
        let (category, _, it) = item(17, index);
        let p = problem(17, index);
        match category {
            Category::Linear => check_linear(&p),
            Category::Quadratic => check_quadratic(&p),
            Category::System => check_system(&p),
            Category::Fraction => check_fraction(&p),
            Category::Radical => check_radical(&p),
            _ => {
                let want =
                    brute::answer(&it.facts).unwrap_or_else(|| panic!("{category:?} without facts: {p:?}"));
                if let Facts::Sequence { ask: SeqAsk::Infinite, .. } = it.facts {
                    let got = float(&p.answer);
                    assert!((got - want.0 as f64 / want.1 as f64).abs() < 1e-5, "{p:?}");
                } else {
                    assert_eq!(exact(&p.answer), want, "{p:?} with {:?}", it.facts);
                }
                if category == Category::Probability {
                    assert!(want.0 > 0 && want.0 < want.1 && lowest_terms(&p.answer), "{p:?}");
                }
            }
        }
        *checked.entry(p.subject).or_default() += 1;
    }
    assert_eq!(checked.len(), 9, "{checked:?}");
}

// ---- the bundled suite ----

#[test]
fn bundled_math_suite_is_the_seed_2026_output() {
    let (_, family, text, _) = BUNDLED.iter().find(|b| b.0 == "math").expect("math is bundled");
    assert_eq!(*family, "math");
    let expected = String::from_utf8(jsonl(2026, 200)).unwrap();
    assert!(
        *text == expected,
        "suites/math.jsonl is stale; regenerate it with `cargo run -- suites generate math --seed 2026 --n 200 --out suites/math.jsonl`"
    );
    let tasks = crate::families::Registry::default().load(&SuiteSpec::parse("math").unwrap()).unwrap();
    assert_eq!(tasks.len(), 200);
    assert!(tasks.iter().all(|t| t.category.is_some() && t.family == "math"));
    assert_eq!(tasks[0].id, "math-s2026-00000");
}

#[test]
fn other_ways_of_writing_generated_answers_are_accepted() {
    // The answer forms the generator writes, against ways a model may write the same value.
    let cases = [
        ("-5, 6", "6, -5"),
        ("-5, 6", "x = -5, 6"),
        ("-\\frac{9}{4}, \\frac{2}{3}", "\\frac{2}{3}, -\\frac{9}{4}"),
        ("\\frac{3\\sqrt{2}}{2}", "\\frac{3\\sqrt2}{2}"),
        ("\\frac{3\\sqrt{2}}{2}", "\\frac{3}{2}\\sqrt{2}"),
        ("2\\sqrt{6}", "\\sqrt{24}"),
        ("(\\frac{11}{4}, -\\frac{1}{2})", "(2.75, -0.5)"),
        ("12.5", "12.50"),
        ("-\\frac{19}{4}", "-4.75"),
    ];
    let failing: Vec<String> = cases
        .iter()
        .filter(|(gold, said)| !score_answer(&boxed(said), gold).passed)
        .map(|(gold, said)| format!("{said:?} for {gold:?}"))
        .collect();
    assert!(failing.is_empty(), "not accepted: {}", failing.join("; "));
    for (gold, wrong) in
        [("-5, 6", "-5"), ("-5, 6", "5, 6"), ("2\\sqrt{6}", "2\\sqrt{5}"), ("(3, -2)", "(-2, 3)")]
    {
        assert!(!score_answer(&boxed(wrong), gold).passed, "{wrong:?} accepted for {gold:?}");
    }
}
