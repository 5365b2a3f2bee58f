//! Word problems at level 3: three or four steps with simple fractions, decimals (money) and
//! percentages of round numbers.

use super::Item;
use super::num::{Draw, Q};
use super::vocab::{BAKED, THINGS, cap, fraction_words, money, people, person, prose};
use super::word::{done, q, unit_for};

/// A fraction given away, then a fraction of the rest, then a few lost.
pub(super) fn fraction_chain(d: &mut Draw) -> Option<Item> {
    let who = people(d, 3);
    let (_, plural) = d.pick(THINGS);
    let (a, b, k) = (d.int(2, 5), d.int(2, 4), d.int(2, 8));
    let n = a * b * k;
    let first = n / a;
    let remaining = n - first;
    let second = remaining / b;
    let left = remaining - second;
    let lost = d.int(1, left - 1);
    let problem = format!(
        "{} has {n} {plural}. {} gives {} of them to {}, then gives {} of the remaining {plural} to {}. Later {} loses {lost}. How many {plural} does {} have left?",
        who[0].name,
        cap(who[0].they),
        fraction_words(1, a),
        who[1].name,
        fraction_words(1, b),
        who[2].name,
        who[0].they,
        who[0].name
    );
    let steps = vec![
        format!("{} gets {n} / {a} = {first}, leaving {n} - {first} = {remaining}.", who[1].name),
        format!(
            "{} gets {remaining} / {b} = {second}, leaving {remaining} - {second} = {left}.",
            who[2].name
        ),
        format!("After losing {lost}: {left} - {lost} = {}.", left - lost),
    ];
    done(problem, q(left - lost), steps)
}

/// Several items at a percentage discount, plus shipping.
pub(super) fn discount(d: &mut Draw) -> Option<Item> {
    let p = person(d);
    let what = d.pick(&["jacket", "pair of boots", "backpack", "lamp", "pair of headphones", "rug"]);
    let (price, off, k, ship) =
        (5 * d.int(4, 30), d.pick(&[10, 15, 20, 25, 30, 40]), d.int(2, 4), d.int(3, 9));
    let sale = q(price) * (q(100 - off) / q(100));
    let total = sale * q(k) + q(ship);
    let problem = format!(
        "A {what} normally costs ${price}. During a sale it is {off}% off. {} buys {k} of them and pays ${ship} for shipping. How many dollars does {} pay in total?",
        p.name, p.they
    );
    let steps = vec![
        format!("The discount is {off}% of {price} = ${}.", q(price) * q(off) / q(100)),
        format!("Sale price: {price} - {} = ${sale}.", q(price) * q(off) / q(100)),
        format!("Total: {k} * {sale} + {ship} = ${total}."),
    ];
    done(problem, total, steps)
}

/// Change from a bill after buying by weight and by the piece, in cents.
pub(super) fn groceries(d: &mut Draw) -> Option<Item> {
    let p = person(d);
    let (fruit, unit) =
        d.pick(&[("apples", "pound"), ("grapes", "pound"), ("cherries", "pound"), ("rice", "kilogram")]);
    let (bread, count) = d.pick(&[("loaves of bread", 2), ("cartons of milk", 3), ("jars of honey", 2)]);
    let per_unit = Q::new(i128::from(5 * d.int(15, 99)), 100);
    let amount = d.int(2, 5);
    let each = Q::new(i128::from(5 * d.int(20, 120)), 100);
    let total = per_unit * q(amount) + each * q(count);
    let bill = [20, 50, 100].into_iter().find(|&b| q(b) - total > q(0))?;
    let problem = format!(
        "{} buys {amount} {unit}s of {fruit} at {} per {unit} and {count} {bread} at {} each. {} pays with a ${bill} bill. How many dollars of change does {} get?",
        p.name,
        money(per_unit),
        money(each),
        cap(p.they),
        p.they
    );
    let steps = vec![
        format!("The {fruit} cost {amount} * {per_unit} = ${}.", per_unit * q(amount)),
        format!("The {bread} cost {count} * {each} = ${}.", each * q(count)),
        format!("Change: {bill} - {total} = ${}.", q(bill) - total),
    ];
    done(problem, q(bill) - total, steps)
}

/// A percentage of a class, then a fraction of the rest.
pub(super) fn class_split(d: &mut Draw) -> Option<Item> {
    let (n, pct, a) = (20 * d.int(2, 12), 5 * d.int(6, 14), d.int(2, 5));
    let girls = n * pct / 100;
    let boys = n - girls;
    if boys % a != 0 {
        return None;
    }
    let club = d.pick(&["soccer team", "chess club", "school choir", "drama club", "coding club"]);
    let problem = format!(
        "A school grade has {n} students, and {pct}% of them are girls. {} of the boys are on the {club}. How many boys are not on the {club}?",
        cap(&fraction_words(1, a))
    );
    let steps = vec![
        format!("Girls: {pct}% of {n} = {girls}, so there are {n} - {girls} = {boys} boys."),
        format!("On the {club}: {boys} / {a} = {}.", boys / a),
        format!("Not on it: {boys} - {} = {}.", boys / a, boys - boys / a),
    ];
    done(problem, q(boys - boys / a), steps)
}

/// A recipe scaled by a fractional factor, minus what is already in the cupboard.
pub(super) fn recipe(d: &mut Draw) -> Option<Item> {
    let p = person(d);
    let (ingredient, unit) =
        d.pick(&[("flour", "cups"), ("sugar", "cups"), ("milk", "cups"), ("oats", "cups")]);
    let amount = d.pick(&[Q::new(1, 2), Q::new(3, 4), Q::new(1, 4), Q::new(3, 2), Q::new(5, 4)]);
    let (food, _) = d.pick(BAKED);
    let batch = d.pick(&[8, 10, 12, 16, 20, 24]);
    let factor = d.pick(&[Q::new(3, 2), Q::new(5, 2), q(2), q(3), q(4)]);
    let want = q(batch) * factor;
    if !want.is_int() {
        return None;
    }
    let needed = amount * factor;
    let has = d.pick(&[Q::new(1, 2), q(1), Q::new(3, 4)]);
    if needed - has <= q(0) {
        return None;
    }
    let problem = format!(
        "A recipe uses {} {} of {ingredient} to make {batch} {food}. {} wants to make {want} {food} and already has {} {} of {ingredient}. How many more {unit} of {ingredient} does {} need?",
        prose(amount),
        unit_for(amount, unit),
        p.name,
        prose(has),
        unit_for(has, unit),
        p.they
    );
    let steps = vec![
        format!("{want} {food} is {want} / {batch} = {} batches.", prose(factor)),
        format!("{} needs {} * {} = {} {unit}.", cap(p.they), prose(factor), prose(amount), prose(needed)),
        format!("More to get: {} - {} = {}.", prose(needed), prose(has), prose(needed - has)),
    ];
    done(problem, needed - has, steps)
}

/// A restaurant bill with a percentage tip, split equally.
pub(super) fn tip(d: &mut Draw) -> Option<Item> {
    let k = d.pick(&[2, 4, 5]);
    let names = people(d, 1);
    let (mains, price) = (k, d.int(9, 24));
    let dessert = d.int(5, 18);
    let pct = d.pick(&[10, 15, 20, 25]);
    let bill = q(mains * price + dessert);
    let total = bill * q(100 + pct) / q(100);
    let each = total / q(k);
    if !(each * q(100)).is_int() {
        return None;
    }
    let problem = format!(
        "{} and {} friends go out to eat. They order {mains} meals at ${price} each and share a dessert for ${dessert}. They leave a {pct}% tip and split the total equally. How many dollars does each person pay?",
        names[0].name,
        k - 1
    );
    let steps = vec![
        format!("The bill is {mains} * {price} + {dessert} = ${bill}."),
        format!("With the tip: {bill} * {} = ${total}.", Q::new(i128::from(100 + pct), 100)),
        format!("Each of the {k} pays {total} / {k} = ${each}."),
    ];
    done(problem, each, steps)
}

/// Filling the rest of a partly full tank at a steady rate.
pub(super) fn tank(d: &mut Draw) -> Option<Item> {
    let (f, rate, j) = (d.int(3, 5), d.int(4, 15), d.int(2, 8));
    let full = f * rate * j;
    let already = full / f;
    let what = d.pick(&["water tank", "rain barrel", "fish tank", "water trough"]);
    let problem = format!(
        "A {what} holds {full} gallons and is {} full. A hose adds {rate} gallons per minute. How many minutes does it take to fill the {what}?",
        fraction_words(1, f)
    );
    let steps = vec![
        format!("It already holds {full} / {f} = {already} gallons."),
        format!("It needs {full} - {already} = {} more gallons.", full - already),
        format!("Time: {} / {rate} = {} minutes.", full - already, (full - already) / rate),
    ];
    done(problem, q((full - already) / rate), steps)
}

/// The score a last test needs for a target average.
pub(super) fn average(d: &mut Draw) -> Option<Item> {
    let p = person(d);
    let subject = d.pick(&["math", "history", "science", "Spanish", "geography"]);
    let scores = [d.int(62, 98), d.int(62, 98), d.int(62, 98)];
    let target = d.int(75, 92);
    let need = 4 * target - scores.iter().sum::<i64>();
    if !(40..=100).contains(&need) {
        return None;
    }
    let problem = format!(
        "{} scored {}, {} and {} on {} first three {subject} tests. What score does {} need on the fourth test to have an average of exactly {target}?",
        p.name, scores[0], scores[1], scores[2], p.their, p.they
    );
    let steps = vec![
        format!("An average of {target} over 4 tests needs a total of 4 * {target} = {}.", 4 * target),
        format!("So far: {} + {} + {} = {}.", scores[0], scores[1], scores[2], scores.iter().sum::<i64>()),
        format!("Needed: {} - {} = {need}.", 4 * target, scores.iter().sum::<i64>()),
    ];
    done(problem, q(need), steps)
}
