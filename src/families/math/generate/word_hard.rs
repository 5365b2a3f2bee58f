//! Word problems at levels 4 and 5: four or five steps with percentages, fractions, rates and unit
//! conversions at level 4, and four to six steps mixing all of them (with a rounding-up step where
//! the story needs whole cans, packs or weeks) at level 5.

use super::num::{Draw, Q};
use super::vocab::{cap, fraction_words, money, people, person, prose};
use super::word::{Template, done, fallback, pick_and_try, plural, q};
use super::{Item, retry};

const LEVEL4: &[Template] = &[cycling, together, price_change, rope, coupon_tax, overtime, fuel, day_plan];
const LEVEL5: &[Template] = &[markup, road_trip, pool, saving_goal, paint_room, electricity, butter, laps];

/// A word problem at level 4 or 5.
pub(crate) fn generate(d: &mut Draw, level: u8) -> Item {
    let templates = if level <= 4 { LEVEL4 } else { LEVEL5 };
    retry(d, |d| pick_and_try(d, templates), fallback)
}

/// `pct` percent as an exact fraction.
fn percent(pct: i64) -> Q {
    Q::new(i128::from(pct), 100)
}

/// `1 hour`, `1/2 hours`, `1 1/2 hours`.
fn hours(h: Q) -> String {
    if h == q(1) { "1 hour".to_owned() } else { format!("{} hours", prose(h)) }
}

// ---- level 4 ----

fn cycling(d: &mut Draw) -> Option<Item> {
    let p = person(d);
    let (speed, m1) = (d.int(10, 30), d.pick(&[15, 20, 30, 40, 45]));
    let d1 = q(speed) * Q::new(i128::from(m1), 60);
    let (h, mm, before) = (d.int(1, 3), d.pick(&[10, 15, 20, 30, 45]), d.int(2, 12));
    let hours = q(h) + Q::new(i128::from(mm), 60);
    let ride = q(speed) * hours;
    if !d1.terminates() || !ride.terminates() {
        return None;
    }
    let mode = d.pick(&["rides a bike", "skates", "rows a boat", "cycles"]);
    let problem = format!(
        "{} {mode} {} km in {m1} minutes. {} has already covered {before} km today. If {} keeps the same speed for another {h} hours and {mm} minutes, how many kilometers will {} have covered today in total?",
        p.name,
        d1,
        cap(p.they),
        p.they,
        p.they
    );
    let steps = vec![
        format!(
            "{m1} minutes is {m1}/60 of an hour, so the speed is {d1} / ({m1}/60) = {speed} km per hour."
        ),
        format!("{h} hours and {mm} minutes is {h} + {mm}/60 = {} hours.", prose(hours)),
        format!("Distance: {speed} * {} = {ride} km.", prose(hours)),
        format!("Total today: {before} + {ride} = {} km.", q(before) + ride),
    ];
    done(problem, q(before) + ride, steps)
}

fn together(d: &mut Draw) -> Option<Item> {
    let who = people(d, 2);
    let job = d.pick(&[
        "paint a fence",
        "clean a house",
        "mow a lawn",
        "rake the leaves in a park",
        "wash a fleet of vans",
    ]);
    let (a, b) = (d.int(2, 12), d.int(2, 12));
    let done_part = d.pick(&[q(0), Q::new(1, 4), Q::new(1, 3), Q::new(1, 2), Q::new(2, 5)]);
    if a == b {
        return None;
    }
    let rate = Q::new(1, i128::from(a)) + Q::new(1, i128::from(b));
    let left = q(1) - done_part;
    let minutes = left / rate * q(60);
    let already = if done_part == q(0) {
        String::new()
    } else {
        format!(
            " {} of the job is already done.",
            cap(&fraction_words(done_part.num() as i64, done_part.den() as i64))
        )
    };
    let problem = format!(
        "{} can {job} alone in {a} hours, and {} can do it alone in {b} hours.{already} Working together at these rates, how many minutes will they take to finish the job?",
        who[0].name, who[1].name
    );
    let steps = vec![
        format!("Together they do 1/{a} + 1/{b} = {} of the job per hour.", prose(rate)),
        format!("The part left is {}.", prose(left)),
        format!("Time: {} / {} = {} hours.", prose(left), prose(rate), prose(left / rate)),
        format!("In minutes: {} * 60 = {minutes}.", prose(left / rate)),
    ];
    done(problem, minutes, steps)
}

fn price_change(d: &mut Draw) -> Option<Item> {
    let what = d.pick(&["bicycle", "television", "sofa", "camera", "coat", "desk chair"]);
    let (price, up, down) = (20 * d.int(2, 20), d.pick(&[10, 20, 25, 50]), d.pick(&[10, 20, 25, 30, 40]));
    let raised = q(price) * (q(1) + percent(up));
    let last = raised * (q(1) - percent(down));
    if last == q(price) {
        return None;
    }
    let (word, diff) = if last > q(price) { ("more", last - q(price)) } else { ("less", q(price) - last) };
    let problem = format!(
        "A store sold a {what} for ${price}. It raised the price by {up}%, and a month later put the {what} on sale at {down}% off the new price. How many dollars {word} than the original price is the sale price?"
    );
    let steps = vec![
        format!("The increase is {up}% of {price} = ${}, so the new price is ${raised}.", raised - q(price)),
        format!("The discount is {down}% of {raised} = ${}.", raised - last),
        format!("The sale price is {raised} - {} = ${last}.", raised - last),
        format!("Difference from {price}: ${diff}."),
    ];
    done(problem, diff, steps)
}

fn rope(d: &mut Draw) -> Option<Item> {
    let p = person(d);
    let (stuff, piece) =
        d.pick(&[("rope", "piece"), ("ribbon", "strip"), ("wire", "length"), ("fabric trim", "strip")]);
    let (meters, cm) = (d.int(3, 12), d.int(15, 90));
    let total = meters * 100;
    let (count, leftover) = (total / cm, total % cm);
    if leftover == 0 {
        return None;
    }
    let price = Q::new(i128::from(25 * d.int(2, 12)), 100);
    let steps = vec![
        format!("{meters} meters is {meters} * 100 = {total} cm."),
        format!("{total} / {cm} = {count} remainder {leftover}, so there are {count} full {piece}s."),
    ];
    if d.chance(1, 2) {
        let mut steps = steps;
        steps.push(format!("{leftover} cm are left over."));
        let problem = format!(
            "{} has {meters} meters of {stuff} and cuts it into as many {cm}-centimeter {piece}s as possible. How many centimeters of {stuff} are left over?",
            p.name
        );
        return done(problem, q(leftover), steps);
    }
    let mut steps = steps;
    steps.push(format!("Earnings: {count} * {price} = ${}.", q(count) * price));
    let problem = format!(
        "{} has {meters} meters of {stuff}. {} cuts it into as many {cm}-centimeter {piece}s as possible and sells each {piece} for {}. How many dollars does {} earn?",
        p.name,
        cap(p.they),
        money(price),
        p.they
    );
    done(problem, q(count) * price, steps)
}

fn coupon_tax(d: &mut Draw) -> Option<Item> {
    let p = person(d);
    let (a, pa, b, pb) = (d.int(2, 5), d.int(6, 30), d.int(2, 4), d.int(10, 45));
    let (coupon, tax) = (d.pick(&[5, 10, 15]), d.pick(&[5, 6, 8, 10]));
    let (first, second) =
        d.pick(&[("shirts", "pairs of jeans"), ("notebooks", "calculators"), ("plates", "bowls")]);
    let subtotal = a * pa + b * pb;
    let after = q(subtotal - coupon);
    let total = after * (q(1) + percent(tax));
    let problem = format!(
        "{} buys {a} {first} at ${pa} each and {b} {second} at ${pb} each. {} uses a ${coupon}-off coupon, and then {tax}% sales tax is added. How many dollars does {} pay?",
        p.name,
        cap(p.they),
        p.they
    );
    let steps = vec![
        format!("Subtotal: {a} * {pa} + {b} * {pb} = ${subtotal}."),
        format!("After the coupon: {subtotal} - {coupon} = ${after}."),
        format!("Tax: {tax}% of {after} = ${}.", after * percent(tax)),
        format!("Total: {after} + {} = ${total}.", after * percent(tax)),
    ];
    done(problem, total, steps)
}

fn overtime(d: &mut Draw) -> Option<Item> {
    let p = person(d);
    let (per_day, days) = (d.int(8, 11), d.int(5, 6));
    let rate = Q::new(i128::from(50 * d.int(24, 60)), 100);
    let hours = per_day * days;
    if hours <= 40 {
        return None;
    }
    let extra = hours - 40;
    let over_rate = rate * Q::new(3, 2);
    let pay = rate * q(40) + over_rate * q(extra);
    let problem = format!(
        "{} earns {} an hour for the first 40 hours of a week and one and a half times that rate for every hour after 40. This week {} works {per_day} hours a day for {days} days. How many dollars does {} earn this week?",
        p.name,
        money(rate),
        p.they,
        p.they
    );
    let steps = vec![
        format!("Hours worked: {per_day} * {days} = {hours}, so {extra} are overtime."),
        format!("Regular pay: 40 * {rate} = ${}.", rate * q(40)),
        format!(
            "Overtime rate: 1.5 * {rate} = ${over_rate}; overtime pay: {extra} * {over_rate} = ${}.",
            over_rate * q(extra)
        ),
        format!("Total: {} + {} = ${pay}.", rate * q(40), over_rate * q(extra)),
    ];
    done(problem, pay, steps)
}

fn fuel(d: &mut Draw) -> Option<Item> {
    let p = person(d);
    let per100 = d.pick(&[q(5), q(6), Q::new(13, 2), q(7), Q::new(15, 2), q(8), q(9)]);
    let km = 20 * d.int(6, 30);
    let price = Q::new(i128::from(5 * d.int(24, 38)), 100);
    let town = d.pick(&["the coast", "a lake cabin", "the mountains", "a friend's farm", "a music festival"]);
    let total_km = 2 * km;
    let liters = per100 * q(total_km) / q(100);
    let cost = liters * price;
    let problem = format!(
        "{}'s car uses {} liters of fuel per 100 km. {} drives {km} km to {town} and back the same way. Fuel costs {} per liter. How many dollars does the fuel for the round trip cost?",
        p.name,
        per100,
        cap(p.they),
        money(price)
    );
    let steps = vec![
        format!("The round trip is 2 * {km} = {total_km} km."),
        format!("Fuel used: {total_km} / 100 * {per100} = {liters} liters."),
        format!("Cost: {liters} * {price} = ${cost}."),
    ];
    done(problem, cost, steps)
}

fn day_plan(d: &mut Draw) -> Option<Item> {
    let p = person(d);
    let sleep = d.pick(&[Q::new(1, 3), Q::new(3, 8), Q::new(1, 4)]);
    let (place, work) = d.pick(&[
        ("school", Q::new(1, 4)),
        ("work", Q::new(1, 3)),
        ("school", Q::new(1, 6)),
        ("work", Q::new(3, 8)),
        ("practice", Q::new(1, 8)),
    ]);
    let (activity, share) =
        d.pick(&[("reading", Q::new(1, 4)), ("homework", Q::new(2, 5)), ("music practice", Q::new(1, 3))]);
    let rest = q(24) * (q(1) - sleep - work);
    if rest <= q(0) {
        return None;
    }
    let minutes = rest * share * q(60);
    let problem = format!(
        "{} spends {} of a 24-hour day asleep and {} of the day at {place}. {} spends {} of the remaining time on {activity}. How many minutes a day does {} spend on {activity}?",
        p.name,
        prose(sleep),
        prose(work),
        cap(p.they),
        prose(share),
        p.they
    );
    let steps = vec![
        format!(
            "Asleep: {} * 24 = {} hours; at {place}: {} * 24 = {} hours.",
            prose(sleep),
            q(24) * sleep,
            prose(work),
            q(24) * work
        ),
        format!("Remaining: 24 - {} - {} = {} hours.", q(24) * sleep, q(24) * work, prose(rest)),
        format!(
            "On {activity}: {} * {} = {} hours = {minutes} minutes.",
            prose(share),
            prose(rest),
            prose(rest * share)
        ),
    ];
    done(problem, minutes, steps)
}

// ---- level 5 ----

fn markup(d: &mut Draw) -> Option<Item> {
    let shop = d.pick(&["A shop owner", "A street vendor", "An online seller", "A garden center"]);
    let goods = d.pick(&["umbrellas", "lamps", "backpacks", "sunglasses", "potted plants", "phone cases"]);
    let den = d.pick(&[4, 5]);
    let num = if den == 4 { 3 } else { d.int(2, den - 1) };
    let n = den * d.int(4, 20);
    let (cost, up, off) = (d.int(4, 40), d.pick(&[20, 25, 40, 50, 60, 75]), d.pick(&[10, 20, 25, 30, 50]));
    let price = q(cost) * (q(1) + percent(up));
    let sale = price * (q(1) - percent(off));
    let (full, rest) = (n * num / den, n - n * num / den);
    let revenue = price * q(full) + sale * q(rest);
    let profit = revenue - q(n * cost);
    let problem = format!(
        "{shop} buys {n} {goods} for ${cost} each and marks the price up by {up}%. {} of the {goods} sell at that price, and the rest sell at {off}% off the marked price. How many dollars of profit does the seller make?",
        cap(&fraction_words(num, den))
    );
    let steps = vec![
        format!("Marked price: {cost} + {up}% of {cost} = ${price}."),
        format!(
            "Sold at full price: {} of {n} = {full}; the other {rest} sell for {price} - {off}% = ${sale}.",
            prose(Q::new(i128::from(num), i128::from(den)))
        ),
        format!("Revenue: {full} * {price} + {rest} * {sale} = ${revenue}."),
        format!("Cost: {n} * {cost} = ${}; profit: {revenue} - {} = ${profit}.", n * cost, n * cost),
    ];
    done(problem, profit, steps)
}

fn road_trip(d: &mut Draw) -> Option<Item> {
    let p = person(d);
    let (v1, t1, v2, t2) =
        (4 * d.int(12, 25), d.pick(&[45, 60, 75, 90, 120]), 4 * d.int(10, 22), d.pick(&[30, 45, 60, 90]));
    let (d1, d2) = (v1 * t1 / 60, v2 * t2 / 60);
    let rest = d.pick(&[15, 20, 30, 45]);
    let total = q(t1 + rest + t2) / q(60);
    let problem = format!(
        "{} drives {d1} km on a highway at {v1} km per hour, stops for a {rest}-minute break, and then drives {d2} km on country roads at {v2} km per hour. How many hours does the whole trip take, including the break?",
        p.name
    );
    let steps = vec![
        format!("Highway: {d1} / {v1} = {} = {t1} minutes.", hours(Q::new(i128::from(t1), 60))),
        format!("Country roads: {d2} / {v2} = {} = {t2} minutes.", hours(Q::new(i128::from(t2), 60))),
        format!("In all: {t1} + {rest} + {t2} = {} minutes.", t1 + rest + t2),
        format!("In hours: {} / 60 = {total}.", t1 + rest + t2),
    ];
    done(problem, total, steps)
}

fn pool(d: &mut Draw) -> Option<Item> {
    let what = d.pick(&["swimming pool", "water tank", "reservoir tank", "fish pond"]);
    let (cubic, a, b) = (d.int(6, 40), 10 * d.int(4, 30), 10 * d.int(3, 20));
    let drain = 5 * d.int(2, 12);
    let net = a + b - drain;
    if net <= 0 {
        return None;
    }
    let liters = cubic * 1000;
    let minutes = Q::new(i128::from(liters), i128::from(net));
    let hours = minutes / q(60);
    let problem = format!(
        "An empty {what} holds {cubic} cubic meters of water (1 cubic meter is 1,000 liters). Two pipes fill it at {a} and {b} liters per minute, while a leak drains {drain} liters per minute. How many hours does it take to fill the {what}?"
    );
    let steps = vec![
        format!("Capacity: {cubic} * 1000 = {liters} liters."),
        format!("Net rate: {a} + {b} - {drain} = {net} liters per minute."),
        format!("Time: {liters} / {net} = {} minutes.", prose(minutes)),
        format!("In hours: {} / 60 = {}.", prose(minutes), hours),
    ];
    done(problem, hours, steps)
}

fn saving_goal(d: &mut Draw) -> Option<Item> {
    let p = person(d);
    let item = d.pick(&["laptop", "electric scooter", "camera", "keyboard", "telescope"]);
    let (price, tax, has) = (10 * d.int(12, 60), d.pick(&[5, 8, 10]), d.int(20, 100));
    let (wage, hours, spend) = (d.int(10, 20), d.int(5, 15), d.pick(&[10, 20, 25, 40, 50]));
    let cost = q(price) * (q(1) + percent(tax));
    let need = cost - q(has);
    let weekly = q(wage * hours) * (q(1) - percent(spend));
    if need <= q(0) || (need / weekly).is_int() {
        return None;
    }
    let weeks = (need / weekly).ceil();
    let problem = format!(
        "{} wants a {item} that costs ${price} plus {tax}% sales tax. {} has saved ${has}. {} earns ${wage} an hour and works {hours} hours a week, spends {spend}% of each week's pay, and saves the rest. How many full weeks must {} work before {} can afford the {item}?",
        p.name,
        cap(p.they),
        cap(p.they),
        p.they,
        p.they
    );
    let steps = vec![
        format!("With tax the {item} costs {price} + {tax}% = ${cost}."),
        format!("{} still needs {cost} - {has} = ${need}.", cap(p.they)),
        format!(
            "Weekly pay is {wage} * {hours} = ${}; {} saves {}% of it = ${weekly}.",
            wage * hours,
            p.they,
            100 - spend
        ),
        format!("{need} / {weekly} = {}, so {} needs {weeks} weeks.", prose(need / weekly), p.they),
    ];
    done(problem, Q::new(weeks, 1), steps)
}

fn paint_room(d: &mut Draw) -> Option<Item> {
    let p = person(d);
    let (len, wid, height) = (d.int(3, 8), d.int(3, 7), d.pick(&[Q::new(5, 2), q(3), Q::new(27, 10)]));
    let windows = d.int(1, 3);
    let (cover, can_price) = (d.pick(&[10, 12, 15]), d.int(18, 45));
    let walls = q(2 * (len + wid)) * height;
    let paint = walls - q(2) - Q::new(18, 10) * q(windows);
    let coats = paint * q(2);
    let cans = (coats / q(cover)).ceil();
    let problem = format!(
        "{} is painting the walls of a room that is {len} m long, {wid} m wide and {height} m high. The room has one door of 2 square meters and {}, which are not painted. {} puts on two coats. A can of paint covers {cover} square meters and costs ${can_price}. How many dollars does {} spend on paint if {} buys only whole cans?",
        p.name,
        if windows == 1 {
            "one window of 1.8 square meters".to_owned()
        } else {
            format!("{windows} windows of 1.8 square meters each")
        },
        cap(p.they),
        p.they,
        p.they
    );
    let steps = vec![
        format!("Wall area: 2 * ({len} + {wid}) * {height} = {walls} square meters."),
        format!("Minus the door and windows: {walls} - 2 - {windows} * 1.8 = {paint}."),
        format!("Two coats: 2 * {paint} = {coats} square meters."),
        format!("Cans: {coats} / {cover} = {}, rounded up to {cans}.", coats / q(cover)),
        format!("Cost: {cans} * {can_price} = ${}.", cans * i128::from(can_price)),
    ];
    done(problem, Q::new(cans * i128::from(can_price), 1), steps)
}

fn electricity(d: &mut Draw) -> Option<Item> {
    let (heater, h1) = (100 * d.int(8, 20), d.int(2, 6));
    let (lamp, h2) = (20 * d.int(2, 5), d.int(3, 8));
    let (days, cents) = (d.pick(&[7, 14, 30, 31]), d.int(10, 25));
    let thing = d.pick(&["space heater", "air conditioner", "dehumidifier"]);
    let per_day = Q::new(i128::from(heater * h1 + lamp * h2), 1000);
    let kwh = per_day * q(days);
    let cost = kwh * q(cents) / q(100);
    if !(cost * q(100)).is_int() {
        return None;
    }
    let problem = format!(
        "{} {heater}-watt {thing} runs {h1} hours a day and a {lamp}-watt lamp runs {h2} hours a day. Electricity costs {cents} cents per kilowatt-hour. How many dollars does it cost to run both for {days} days?",
        if heater.to_string().starts_with('8') { "An" } else { "A" }
    );
    let steps = vec![
        format!(
            "Energy per day: {heater} * {h1} + {lamp} * {h2} = {} watt-hours = {per_day} kWh.",
            heater * h1 + lamp * h2
        ),
        format!("For {days} days: {per_day} * {days} = {kwh} kWh."),
        format!("Cost: {kwh} * {cents} = {} cents = ${cost}.", kwh * q(cents)),
    ];
    done(problem, cost, steps)
}

fn butter(d: &mut Draw) -> Option<Item> {
    let p = person(d);
    let cups = d.pick(&[Q::new(1, 2), Q::new(3, 4), Q::new(1, 4), Q::new(3, 8), q(1)]);
    let (batches, per_pack) = (d.int(3, 9), d.pick(&[2, 4]));
    let price = Q::new(i128::from(25 * d.int(14, 32)), 100);
    let food = d.pick(&["shortbread", "cookies", "scones", "pie crusts", "brownies"]);
    let tbsp = cups * q(16) * q(batches);
    let sticks = (tbsp / q(8)).ceil();
    let packs = Q::new(sticks, i128::from(per_pack)).ceil();
    let cost = Q::new(packs, 1) * price;
    let problem = format!(
        "One batch of {food} needs {} cup of butter. {} is making {batches} batches. A cup is 16 tablespoons, a stick of butter is 8 tablespoons, and butter comes in packs of {per_pack} sticks for {} a pack. How many dollars does {} spend on butter if {} buys only whole packs?",
        prose(cups),
        p.name,
        money(price),
        p.they,
        p.they
    );
    let steps = vec![
        format!("Butter needed: {batches} * {} * 16 = {tbsp} tablespoons.", prose(cups)),
        format!("Sticks: {tbsp} / 8 = {}, so {sticks} sticks.", prose(tbsp / q(8))),
        format!("Packs: {sticks} / {per_pack} rounded up is {packs}."),
        format!("Cost: {packs} * {price} = ${cost}."),
    ];
    done(problem, cost, steps)
}

fn laps(d: &mut Draw) -> Option<Item> {
    let p = person(d);
    let lap_count = d.int(5, 25);
    let km = Q::new(i128::from(lap_count * 2), 5);
    let pace = d.pick(&[Q::new(3, 2), Q::new(7, 4), q(2), Q::new(9, 4), Q::new(5, 2)]);
    let (warm, warm_pace) = (d.int(1, 4), d.pick(&[3, 4, 5]));
    let run = pace * q(lap_count);
    let total = run + q(warm * warm_pace);
    let problem = format!(
        "A running track is 400 meters around. {} warms up by walking {} at {warm_pace} minutes per lap, then runs {km} km at a steady pace of {} minutes per lap. How many minutes does {} spend on the track?",
        p.name,
        plural(warm, "lap", "laps"),
        pace,
        p.they
    );
    let steps = vec![
        format!("{km} km is {km} * 1000 / 400 = {lap_count} laps."),
        format!("Running: {lap_count} * {pace} = {run} minutes."),
        format!("Warm-up: {warm} * {warm_pace} = {} minutes.", warm * warm_pace),
        format!("Total: {run} + {} = {total} minutes.", warm * warm_pace),
    ];
    done(problem, total, steps)
}
