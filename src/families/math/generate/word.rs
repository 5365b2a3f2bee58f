//! Word problems in the style of GSM8K at levels 1 and 2 (one or two whole-number steps at level
//! 1, two or three steps with larger numbers at level 2), and the helpers every word template
//! shares; level 3 lives in `word_mid`, levels 4-5 in `word_hard`.
//!
//! Every template builds its story from random people, objects and contexts, computes the answer
//! exactly, and writes the worked steps. A template that drew awkward numbers returns `None` and the
//! caller draws again.

use super::num::{Draw, Q};
use super::vocab::{BAKED, GOODS, RELATIONS, THINGS, cap, people, person};
use super::{Item, retry, word_mid};

/// A word template: a story with its exact answer, or `None` to draw again.
pub(crate) type Template = fn(&mut Draw) -> Option<Item>;

const LEVEL1: &[Template] = &[buy, gain_lose, boxes, share, reading, savings, legs, ages];
const LEVEL2: &[Template] = &[shopping, wages, fence, bakery, trip, compare, fundraiser, buses];
const LEVEL3: &[Template] = &[
    word_mid::fraction_chain,
    word_mid::discount,
    word_mid::groceries,
    word_mid::class_split,
    word_mid::recipe,
    word_mid::tip,
    word_mid::tank,
    word_mid::average,
];

/// A word problem at level 1, 2 or 3.
pub(crate) fn generate(d: &mut Draw, level: u8) -> Item {
    let templates = match level {
        1 => LEVEL1,
        2 => LEVEL2,
        _ => LEVEL3,
    };
    retry(d, |d| pick_and_try(d, templates), fallback)
}

/// Picks a template, then gives it several draws before moving on, so templates whose numbers
/// often need redrawing are not crowded out by those that always work.
pub(crate) fn pick_and_try(d: &mut Draw, templates: &[Template]) -> Option<Item> {
    let template = d.pick(templates);
    (0..50).find_map(|_| template(d))
}

/// A one-step story that always works, used only if every draw was rejected.
pub(crate) fn fallback(d: &mut Draw) -> Item {
    let (p, a, b) = (person(d), d.int(2, 20), d.int(2, 20));
    Item::text(
        format!("{} has {a} pencils and buys {b} more. How many pencils does {} have now?", p.name, p.they),
        (a + b).to_string(),
        vec![format!("{a} + {b} = {}.", a + b)],
    )
}

/// Accepts an answer that a story can have: not negative, with a finite decimal expansion.
pub(crate) fn done(problem: String, answer: Q, steps: Vec<String>) -> Option<Item> {
    if answer.is_negative() {
        return None;
    }
    let steps = steps.iter().map(|s| cents(s)).collect();
    Some(Item::text(cents(&problem), answer.decimal()?, steps))
}

/// `cup` for amounts up to one, else the plural `unit` (`cups`).
pub(crate) fn unit_for(amount: Q, unit: &str) -> &str {
    if amount <= Q::int(1) { unit.trim_end_matches('s') } else { unit }
}

/// `1 lap`, `3 laps`: a count with its noun in the right number.
pub(crate) fn plural(n: i64, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

static ONE_DECIMAL_DOLLARS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"\$(\d+\.\d)\b").unwrap_or_else(|e| panic!("built-in pattern does not compile: {e}"))
});

/// Writes dollar amounts with one decimal as cents (`$38.5` -> `$38.50`).
fn cents(text: &str) -> String {
    ONE_DECIMAL_DOLLARS.replace_all(text, "$${1}0").into_owned()
}

/// Shorthand for a whole number as an exact rational.
pub(crate) fn q(n: i64) -> Q {
    Q::int(n)
}

// ---- level 1 ----

fn buy(d: &mut Draw) -> Option<Item> {
    let p = person(d);
    let (goods, lo, hi) = d.pick(GOODS);
    let (n, price) = (d.int(2, 9), d.int(lo, hi));
    let total = n * price;
    let mut steps = vec![format!("{n} {goods} at ${price} each cost {n} * {price} = ${total}.")];
    if d.chance(1, 2) {
        let bill = [10, 20, 50, 100].into_iter().find(|&b| b > total)?;
        steps.push(format!("The change is {bill} - {total} = ${}.", bill - total));
        let problem = format!(
            "{} buys {n} {goods} for ${price} each and pays with a ${bill} bill. How many dollars of change does {} get?",
            p.name, p.they
        );
        return done(problem, q(bill - total), steps);
    }
    let problem = format!(
        "{} buys {n} {goods} that cost ${price} each. How many dollars does {} spend?",
        p.name, p.they
    );
    done(problem, q(total), steps)
}

fn gain_lose(d: &mut Draw) -> Option<Item> {
    let who = people(d, 2);
    let (_, plural) = d.pick(THINGS);
    let relation = d.pick(RELATIONS);
    let (a, b) = (d.int(8, 60), d.int(3, 25));
    let c = d.int(2, a + b - 1);
    let problem = format!(
        "{} has {a} {plural}. {} {relation} gives {} {b} more, and then {} gives {c} to {}. How many {plural} does {} have now?",
        who[0].name,
        cap(who[0].their),
        who[0].them,
        who[0].they,
        who[1].name,
        who[0].name
    );
    let steps = vec![
        format!("After the gift: {a} + {b} = {}.", a + b),
        format!("After giving some away: {} - {c} = {}.", a + b, a + b - c),
    ];
    done(problem, q(a + b - c), steps)
}

fn boxes(d: &mut Draw) -> Option<Item> {
    let (container, things, bad) = d.pick(&[
        ("crates", "apples", "bruised"),
        ("boxes", "crayons", "broken"),
        ("cartons", "eggs", "cracked"),
        ("bags", "oranges", "spoiled"),
        ("packs", "balloons", "popped"),
        ("jars", "cookies", "burnt"),
    ]);
    let (k, m) = (d.int(3, 12), d.int(6, 24));
    let total = k * m;
    let mut steps = vec![format!("There are {k} * {m} = {total} {things}.")];
    if d.chance(1, 2) {
        let e = d.int(1, total / 3);
        steps.push(format!("Without the {bad} ones: {total} - {e} = {}.", total - e));
        let problem = format!(
            "A shop receives {k} {container} with {m} {things} in each. {e} of the {things} are {bad}. How many {things} are not {bad}?"
        );
        return done(problem, q(total - e), steps);
    }
    let problem =
        format!("There are {k} {container} with {m} {things} in each. How many {things} are there in all?");
    done(problem, q(total), steps)
}

fn share(d: &mut Draw) -> Option<Item> {
    let p = person(d);
    let (_, plural) = d.pick(THINGS);
    let (k, each, kept) = (d.int(2, 9), d.int(3, 15), d.int(2, 12));
    let total = k * each + kept;
    let problem = format!(
        "{} has {total} {plural}. {} keeps {kept} and shares the rest equally among {k} friends. How many {plural} does each friend get?",
        p.name,
        cap(p.they)
    );
    let steps = vec![
        format!("{} shares {total} - {kept} = {} {plural}.", cap(p.they), total - kept),
        format!("Each friend gets {} / {k} = {each}.", total - kept),
    ];
    done(problem, q(each), steps)
}

fn reading(d: &mut Draw) -> Option<Item> {
    let p = person(d);
    let (per_day, days, left) = (d.int(8, 40), d.int(2, 7), d.int(5, 120));
    let total = per_day * days + left;
    let what = d.pick(&["a novel", "a history book", "a mystery book", "a biography", "a fantasy book"]);
    let problem = format!(
        "{} is reading {what} with {total} pages. {} reads {per_day} pages a day for {days} days. How many pages does {} still have to read?",
        p.name,
        cap(p.they),
        p.they
    );
    let steps = vec![
        format!("{} reads {per_day} * {days} = {} pages.", cap(p.they), per_day * days),
        format!("Pages left: {total} - {} = {left}.", per_day * days),
    ];
    done(problem, q(left), steps)
}

fn savings(d: &mut Draw) -> Option<Item> {
    let p = person(d);
    let (weekly, weeks, has) = (d.int(3, 25), d.int(2, 12), d.int(0, 40));
    let goal = d.pick(&["a bike", "a guitar", "a tablet", "a skateboard", "a telescope", "new headphones"]);
    let price = has + weekly * weeks;
    let problem = format!(
        "{} wants to buy {goal} that costs ${price}. {} has ${has} and saves ${weekly} each week. How many weeks will it take {} to have enough money?",
        p.name,
        cap(p.they),
        p.them
    );
    let steps = vec![
        format!("{} still needs {price} - {has} = ${}.", cap(p.they), price - has),
        format!("That takes {} / {weekly} = {weeks} weeks.", price - has),
    ];
    done(problem, q(weeks), steps)
}

fn legs(d: &mut Draw) -> Option<Item> {
    let (place, a, la, b, lb, part) = d.pick(&[
        ("farm", "chickens", 2, "cows", 4, "legs"),
        ("farm", "ducks", 2, "goats", 4, "legs"),
        ("bike shop", "bicycles", 2, "tricycles", 3, "wheels"),
        ("terrarium", "spiders", 8, "beetles", 6, "legs"),
        ("parking lot", "motorcycles", 2, "cars", 4, "wheels"),
    ]);
    let (x, y) = (d.int(3, 20), d.int(2, 15));
    let problem = format!("A {place} has {x} {a} and {y} {b}. How many {part} do they have in total?");
    let steps = vec![
        format!("The {a} have {x} * {la} = {} {part}.", x * la),
        format!("The {b} have {y} * {lb} = {} {part}.", y * lb),
        format!("Together: {} + {} = {}.", x * la, y * lb, x * la + y * lb),
    ];
    done(problem, q(x * la + y * lb), steps)
}

fn ages(d: &mut Draw) -> Option<Item> {
    let who = people(d, 2);
    let (age, later) = (d.int(4, 15), d.int(2, 10));
    if d.chance(1, 2) {
        let gap = d.int(2, 9);
        let problem = format!(
            "{} is {age} years old. {} is {gap} years older than {}. How old will {} be in {later} years?",
            who[0].name, who[1].name, who[0].name, who[1].name
        );
        let steps = vec![
            format!("{} is {age} + {gap} = {} now.", who[1].name, age + gap),
            format!("In {later} years: {} + {later} = {}.", age + gap, age + gap + later),
        ];
        return done(problem, q(age + gap + later), steps);
    }
    let problem = format!(
        "{} is {age} years old, and {} is twice as old. How old will {} be in {later} years?",
        who[0].name, who[1].name, who[1].name
    );
    let steps = vec![
        format!("{} is 2 * {age} = {} now.", who[1].name, 2 * age),
        format!("In {later} years: {} + {later} = {}.", 2 * age, 2 * age + later),
    ];
    done(problem, q(2 * age + later), steps)
}

// ---- level 2 ----

fn shopping(d: &mut Draw) -> Option<Item> {
    let p = person(d);
    let two = d.distinct(GOODS, 2);
    let (a, pa) = (d.int(2, 6), d.int(two[0].1, two[0].2));
    let (b, pb) = (d.int(2, 6), d.int(two[1].1, two[1].2));
    let total = a * pa + b * pb;
    let bill = [50, 100, 200].into_iter().find(|&x| x > total)?;
    let problem = format!(
        "{} buys {a} {} at ${pa} each and {b} {} at ${pb} each. {} pays with ${bill}. How many dollars of change does {} receive?",
        p.name,
        two[0].0,
        two[1].0,
        cap(p.they),
        p.they
    );
    let steps = vec![
        format!("The {} cost {a} * {pa} = ${}.", two[0].0, a * pa),
        format!("The {} cost {b} * {pb} = ${}.", two[1].0, b * pb),
        format!("Total: {} + {} = ${total}; change: {bill} - {total} = ${}.", a * pa, b * pb, bill - total),
    ];
    done(problem, q(bill - total), steps)
}

fn wages(d: &mut Draw) -> Option<Item> {
    let p = person(d);
    let job =
        d.pick(&["a café", "a bookstore", "an animal shelter", "a bike repair shop", "a garden center"]);
    let (hours, days, rate, weeks) = (d.int(3, 8), d.int(2, 6), d.int(11, 28), d.int(2, 5));
    let problem = format!(
        "{} works at {job} for {hours} hours a day, {days} days a week, and earns ${rate} an hour. How many dollars does {} earn in {weeks} weeks?",
        p.name, p.they
    );
    let weekly = hours * days;
    let steps = vec![
        format!("Hours per week: {hours} * {days} = {weekly}."),
        format!("Pay per week: {weekly} * {rate} = ${}.", weekly * rate),
        format!("In {weeks} weeks: {} * {weeks} = ${}.", weekly * rate, weekly * rate * weeks),
    ];
    done(problem, q(weekly * rate * weeks), steps)
}

fn fence(d: &mut Draw) -> Option<Item> {
    let p = person(d);
    let area = d.pick(&["vegetable garden", "dog run", "chicken yard", "flower bed", "play area"]);
    let (len, wid, cost, gate) = (d.int(6, 40), d.int(4, 30), d.int(3, 15), d.int(1, 3));
    let perimeter = 2 * (len + wid);
    let problem = format!(
        "{} is fencing a rectangular {area} that is {len} meters long and {wid} meters wide. {} leaves a {gate}-meter gap for a gate, and fencing costs ${cost} per meter. How many dollars does the fencing cost?",
        p.name,
        cap(p.they)
    );
    let steps = vec![
        format!("The perimeter is 2 * ({len} + {wid}) = {perimeter} meters."),
        format!("Without the gate: {perimeter} - {gate} = {} meters.", perimeter - gate),
        format!("Cost: {} * {cost} = ${}.", perimeter - gate, (perimeter - gate) * cost),
    ];
    done(problem, q((perimeter - gate) * cost), steps)
}

fn bakery(d: &mut Draw) -> Option<Item> {
    let p = person(d);
    let (food, container) = d.pick(BAKED);
    let (trays, per) = (d.int(3, 8), d.pick(&[12, 15, 16, 18, 20, 24]));
    let bag = d.pick(&[3, 4, 5, 6]);
    let total = trays * per;
    let bags = d.int(2, total / bag - 1);
    let sold = total - bags * bag;
    let problem = format!(
        "{} bakes {trays} {container}s of {food} with {per} on each {container}. {} sells {sold} of them at a market and packs the rest into bags of {bag}. How many bags does {} fill?",
        p.name,
        cap(p.they),
        p.they
    );
    let steps = vec![
        format!("{} bakes {trays} * {per} = {total} {food}.", cap(p.they)),
        format!("Left after selling: {total} - {sold} = {}.", total - sold),
        format!("Bags: {} / {bag} = {bags}.", total - sold),
    ];
    done(problem, q(bags), steps)
}

fn trip(d: &mut Draw) -> Option<Item> {
    let p = person(d);
    let (v1, h1, v2, h2) = (d.int(35, 70), d.int(2, 5), d.int(30, 65), d.int(1, 4));
    let driven = v1 * h1 + v2 * h2;
    let rest = d.int(20, 150);
    let total = driven + rest;
    let problem = format!(
        "{} is driving {total} miles to visit family. {} drives at {v1} miles per hour for {h1} hours, then at {v2} miles per hour for {}. How many miles are left?",
        p.name,
        cap(p.they),
        plural(h2, "hour", "hours")
    );
    let steps = vec![
        format!("First part: {v1} * {h1} = {} miles.", v1 * h1),
        format!("Second part: {v2} * {h2} = {} miles.", v2 * h2),
        format!("Left: {total} - {} - {} = {rest}.", v1 * h1, v2 * h2),
    ];
    done(problem, q(rest), steps)
}

fn compare(d: &mut Draw) -> Option<Item> {
    let who = people(d, 3);
    let (_, plural) = d.pick(THINGS);
    let (c, fewer, times) = (d.int(20, 80), d.int(3, 15), d.int(2, 4));
    let b = c - fewer;
    let a = times * b;
    let problem = format!(
        "{} has {times} times as many {plural} as {}. {} has {fewer} fewer {plural} than {}, who has {c}. How many {plural} do {} and {} have together?",
        who[0].name, who[1].name, who[1].name, who[2].name, who[0].name, who[1].name
    );
    let steps = vec![
        format!("{} has {c} - {fewer} = {b}.", who[1].name),
        format!("{} has {times} * {b} = {a}.", who[0].name),
        format!("Together: {a} + {b} = {}.", a + b),
    ];
    done(problem, q(a + b), steps)
}

fn fundraiser(d: &mut Draw) -> Option<Item> {
    let group =
        d.pick(&["The school band", "The chess club", "A youth soccer team", "The robotics club", "A choir"]);
    let (item_a, item_b) = d.pick(&[("cupcakes", "lemonades"), ("candles", "cards"), ("pies", "coffees")]);
    let (na, pa, nb, pb) = (d.int(20, 90), d.int(2, 6), d.int(15, 80), d.int(1, 4));
    let income = na * pa + nb * pb;
    let cost = d.int(income / 5, income * 3 / 5);
    let problem = format!(
        "{group} sells {na} {item_a} for ${pa} each and {nb} {item_b} for ${pb} each. The supplies cost ${cost}. How many dollars of profit does the group make?"
    );
    let steps = vec![
        format!("Sales: {na} * {pa} + {nb} * {pb} = {} + {} = ${income}.", na * pa, nb * pb),
        format!("Profit: {income} - {cost} = ${}.", income - cost),
    ];
    done(problem, q(income - cost), steps)
}

fn buses(d: &mut Draw) -> Option<Item> {
    let (students, adults, seats) = (d.int(60, 300), d.int(4, 20), d.pick(&[24, 30, 36, 40, 45, 48]));
    let people_total = students + adults;
    if people_total % seats == 0 {
        return None;
    }
    let buses = people_total / seats + 1;
    let place = d.pick(&["the science museum", "the zoo", "a state park", "the aquarium", "a theater"]);
    let problem = format!(
        "{students} students and {adults} adults are going on a trip to {place}. Each bus holds {seats} people. What is the smallest number of buses they need?"
    );
    let steps = vec![
        format!("There are {students} + {adults} = {people_total} people."),
        format!(
            "{people_total} / {seats} is between {} and {buses}, so they need {buses} buses.",
            people_total / seats
        ),
    ];
    done(problem, q(buses), steps)
}
