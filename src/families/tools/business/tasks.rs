//! Business task templates: each draws its parameters, looks at the world of a seed, and writes the
//! prompt, the reference solution (the calls, turn by turn), the facts the answer must hold and a
//! reference answer. A template returns `None` when the world does not fit (too few orders to make
//! a chart worth drawing, a tie that would make "the largest" ambiguous); the generator then tries
//! another seed.

use serde_json::json;

use super::data::{COUNTRIES, Customer, Data, Filter, Group, GroupBy, MONTHS, SEGMENTS};
use crate::families::draw::Draw;
use crate::families::tools::generate::{Draft, Template, call};
use crate::families::tools::world::{money, plain, pretty};

/// The business templates, in the order generated suites cycle through them.
pub(crate) const TEMPLATES: &[Template] =
    &[segment_revenue, product_trend, category_share, compare_two, largest_orders, pending_by_country];

/// A currency to report in.
fn currency(d: &mut Draw) -> &'static str {
    d.pick(&["USD", "EUR", "GBP", "CAD"])
}

/// A range of at least `min` months: (first, last) as indices into [`MONTHS`].
fn months(d: &mut Draw, min: usize) -> (usize, usize) {
    let first = d.index(MONTHS.len() - min + 1);
    let last = first + min - 1 + d.index(MONTHS.len() - first - min + 1);
    (first, last)
}

/// Groups sorted by total, largest first; `None` when two totals tie (the order would be ambiguous).
fn ranked(mut groups: Vec<Group>) -> Option<Vec<Group>> {
    groups.sort_by_key(|g| std::cmp::Reverse(g.total));
    groups.windows(2).all(|w| w[0].total != w[1].total).then_some(groups)
}

fn report(title: &str, charts: &[&str]) -> crate::families::tools::generate::Step {
    call(
        "write_report",
        json!({"title": title, "body": format!("{title}: figures from the order data."), "chart_ids": charts}),
    )
}

fn names(customers: &[&Customer]) -> Vec<&'static str> {
    customers.iter().map(|c| c.name).collect()
}

/// Paid revenue of one segment's customers over a few months: a ranked bar chart and a report.
fn segment_revenue(seed: u64, d: &mut Draw) -> Option<Draft> {
    let data = Data::new(seed);
    let (segment, cur, (first, last)) = (d.pick(&SEGMENTS), currency(d), months(d, 2));
    let ids: Vec<&str> =
        data.customers.iter().filter(|c| c.segment == segment).map(|c| c.id.as_str()).collect();
    let filter = Filter {
        status: Some("paid"),
        month_from: Some(MONTHS[first]),
        month_to: Some(MONTHS[last]),
        customers: Some(ids.clone()),
        ..Filter::default()
    };
    let groups = ranked(data.summarize(&filter, GroupBy::Customer, cur)?).filter(|g| g.len() >= 2)?;
    let (labels, values): (Vec<&str>, Vec<f64>) =
        groups.iter().map(|g| (g.label.as_str(), money(g.total))).unzip();
    let top = &groups[0];
    Some(Draft {
        prompt: format!(
            "Build a bar chart of the paid order revenue in {cur} of each {segment}-segment customer from {} to {} (both months included): one bar per customer with at least one paid order in that period, labelled with the customer's name, highest revenue first. Then write a report that includes the chart. Finally tell me which customer is on top and its revenue.",
            MONTHS[first], MONTHS[last]
        ),
        facts: vec![top.label.clone(), plain(top.total)],
        solution: vec![
            vec![call("list_customers", json!({"segment": segment}))],
            vec![call(
                "summarize_orders",
                json!({"group_by": "customer", "currency": cur, "status": "paid", "month_from": MONTHS[first], "month_to": MONTHS[last], "customer_ids": ids}),
            )],
            vec![call(
                "create_chart",
                json!({"kind": "bar", "title": format!("Paid revenue of {segment} customers ({cur})"), "labels": labels, "values": values}),
            )],
            vec![report(&format!("Revenue of {segment} customers"), &["chart-1"])],
        ],
        answer: format!(
            "The chart and the report are done. {} is on top with {} {cur}.",
            top.label,
            pretty(top.total)
        ),
    })
}

/// One product's paid revenue month by month (months without sales as 0): a line chart and a report.
fn product_trend(seed: u64, d: &mut Draw) -> Option<Draft> {
    let data = Data::new(seed);
    let product = &data.products[d.index(data.products.len())];
    let (cur, (first, last)) = (currency(d), months(d, 3));
    let filter = Filter {
        status: Some("paid"),
        month_from: Some(MONTHS[first]),
        month_to: Some(MONTHS[last]),
        products: Some(vec![product.id.as_str()]),
        ..Filter::default()
    };
    let groups = data.summarize(&filter, GroupBy::Month, cur)?;
    let best = ranked(groups.clone()).filter(|g| g.len() >= 2)?.remove(0);
    let labels = &MONTHS[first..=last];
    let values: Vec<f64> =
        labels.iter().map(|m| money(groups.iter().find(|g| g.key == *m).map_or(0, |g| g.total))).collect();
    let total: i64 = groups.iter().map(|g| g.total).sum();
    Some(Draft {
        prompt: format!(
            "Make a line chart of the monthly paid revenue in {cur} of our {} from {} to {}: one point per month, labelled YYYY-MM, oldest first, with 0 for a month without paid orders. Write a report that includes the chart, then tell me the best month (as YYYY-MM) and the total over the whole period.",
            product.name, MONTHS[first], MONTHS[last]
        ),
        facts: vec![best.key.clone(), plain(total)],
        solution: vec![
            vec![call("list_products", json!({}))],
            vec![call(
                "summarize_orders",
                json!({"group_by": "month", "currency": cur, "status": "paid", "month_from": MONTHS[first], "month_to": MONTHS[last], "product_ids": [product.id]}),
            )],
            vec![call(
                "create_chart",
                json!({"kind": "line", "title": format!("{} revenue ({cur})", product.name), "labels": labels, "values": values}),
            )],
            vec![report(&format!("{} sales", product.name), &["chart-1"])],
        ],
        answer: format!(
            "Done: the best month was {} and the total over the period is {} {cur}.",
            best.key,
            pretty(total)
        ),
    })
}

/// Paid revenue per product category: a pie chart, largest slice first, and a report.
fn category_share(seed: u64, d: &mut Draw) -> Option<Draft> {
    let data = Data::new(seed);
    let (cur, (first, last)) = (currency(d), months(d, 3));
    let filter = Filter {
        status: Some("paid"),
        month_from: Some(MONTHS[first]),
        month_to: Some(MONTHS[last]),
        ..Filter::default()
    };
    let groups = ranked(data.summarize(&filter, GroupBy::Category, cur)?).filter(|g| g.len() >= 2)?;
    let (labels, values): (Vec<&str>, Vec<f64>) =
        groups.iter().map(|g| (g.label.as_str(), money(g.total))).unzip();
    Some(Draft {
        prompt: format!(
            "Show how paid revenue from {} to {} splits across product categories: a pie chart in {cur}, one slice per category labelled with the category name, largest slice first. Put it in a report and tell me the largest category and its revenue.",
            MONTHS[first], MONTHS[last]
        ),
        facts: vec![groups[0].label.clone(), plain(groups[0].total)],
        solution: vec![
            vec![call(
                "summarize_orders",
                json!({"group_by": "category", "currency": cur, "status": "paid", "month_from": MONTHS[first], "month_to": MONTHS[last]}),
            )],
            vec![call(
                "create_chart",
                json!({"kind": "pie", "title": format!("Revenue by category ({cur})"), "labels": labels, "values": values}),
            )],
            vec![report("Revenue by category", &["chart-1"])],
        ],
        answer: format!(
            "{} is the largest category with {} {cur}; the report is published.",
            groups[0].label,
            pretty(groups[0].total)
        ),
    })
}

/// Two named customers' paid totals side by side, and the difference.
fn compare_two(seed: u64, d: &mut Draw) -> Option<Draft> {
    let data = Data::new(seed);
    let picked = d.distinct(&(0..data.customers.len()).collect::<Vec<_>>(), 2);
    let pair: Vec<&Customer> = picked.iter().map(|&i| &data.customers[i]).collect();
    let cur = currency(d);
    let ids: Vec<&str> = pair.iter().map(|c| c.id.as_str()).collect();
    let filter = Filter { status: Some("paid"), customers: Some(ids.clone()), ..Filter::default() };
    let groups = data.summarize(&filter, GroupBy::Customer, cur)?;
    let totals: Vec<i64> =
        ids.iter().map(|id| groups.iter().find(|g| g.key == *id).map(|g| g.total)).collect::<Option<_>>()?;
    if totals[0] == totals[1] {
        return None;
    }
    let [a, b] = [pair[0].name, pair[1].name];
    let (higher, gap) =
        if totals[0] > totals[1] { (a, totals[0] - totals[1]) } else { (b, totals[1] - totals[0]) };
    Some(Draft {
        prompt: format!(
            "Compare {a} and {b}: the total value in {cur} of each one's paid orders (all months). Draw a bar chart with two bars, {a} first, labelled with their names, put it in a report, and tell me both totals and which one is higher by how much."
        ),
        facts: vec![plain(totals[0]), plain(totals[1]), plain(gap), higher.to_string()],
        solution: vec![
            vec![call("list_customers", json!({}))],
            vec![call(
                "summarize_orders",
                json!({"group_by": "customer", "currency": cur, "status": "paid", "customer_ids": ids}),
            )],
            vec![call(
                "create_chart",
                json!({"kind": "bar", "title": format!("{a} vs {b} ({cur})"), "labels": names(&pair), "values": [money(totals[0]), money(totals[1])]}),
            )],
            vec![report(&format!("{a} and {b}"), &["chart-1"])],
        ],
        answer: format!(
            "{a}: {} {cur}; {b}: {} {cur}. {higher} is higher by {} {cur}.",
            pretty(totals[0]),
            pretty(totals[1]),
            pretty(gap)
        ),
    })
}

/// The largest paid order of each of three customers, converted to one currency: lookups and
/// conversions that can run in parallel, then a chart and a report.
fn largest_orders(seed: u64, d: &mut Draw) -> Option<Draft> {
    let data = Data::new(seed);
    let picked = d.distinct(&(0..data.customers.len()).collect::<Vec<_>>(), 3);
    let cur = currency(d);
    let mut largest = Vec::new();
    for &i in &picked {
        let customer = &data.customers[i];
        let filter =
            Filter { status: Some("paid"), customers: Some(vec![customer.id.as_str()]), ..Filter::default() };
        let mut orders = data.select(&filter);
        orders.sort_by_key(|o| std::cmp::Reverse(o.amount));
        if orders.len() > 1 && orders[0].amount == orders[1].amount {
            return None;
        }
        let order = *orders.first()?;
        largest.push((customer, order, data.convert(order.amount, customer.currency, cur)?));
    }
    let named: Vec<&str> = largest.iter().map(|(c, _, _)| c.name).collect();
    let top = largest.iter().max_by_key(|(_, _, converted)| *converted)?;
    if largest.iter().filter(|(_, _, converted)| *converted == top.2).count() > 1 {
        return None;
    }
    let mut facts: Vec<String> = largest.iter().map(|(_, o, _)| o.id.clone()).collect();
    facts.push(plain(top.2));
    Some(Draft {
        prompt: format!(
            "For each of {}, {} and {}, find their largest paid order (by amount) and convert its amount to {cur}. Chart the three converted amounts as a bar chart labelled with the order ids, in the order I named the customers, put the chart in a report, and tell me the three order ids and the largest converted amount.",
            named[0], named[1], named[2]
        ),
        facts,
        solution: vec![
            vec![call("list_customers", json!({}))],
            largest
                .iter()
                .map(|(c, _, _)| call("find_orders", json!({"customer_id": c.id, "status": "paid"})))
                .collect(),
            largest
                .iter()
                .map(|(c, o, _)| {
                    call(
                        "convert_currency",
                        json!({"amount": money(o.amount), "from": c.currency, "to": cur}),
                    )
                })
                .collect(),
            vec![call(
                "create_chart",
                json!({"kind": "bar", "title": format!("Largest paid orders ({cur})"),
                       "labels": largest.iter().map(|(_, o, _)| o.id.as_str()).collect::<Vec<_>>(),
                       "values": largest.iter().map(|(_, _, v)| money(*v)).collect::<Vec<_>>()}),
            )],
            vec![report("Largest paid orders", &["chart-1"])],
        ],
        answer: format!(
            "The largest paid orders are {} ({}), {} ({}) and {} ({}); the largest is {} {cur}.",
            largest[0].1.id,
            named[0],
            largest[1].1.id,
            named[1],
            largest[2].1.id,
            named[2],
            pretty(top.2)
        ),
    })
}

/// The orders still pending in one country: a report without a chart, and two figures.
fn pending_by_country(seed: u64, d: &mut Draw) -> Option<Draft> {
    let data = Data::new(seed);
    let (code, country, _) = d.pick(&COUNTRIES);
    let cur = currency(d);
    let ids: Vec<&str> = data.customers.iter().filter(|c| c.country == code).map(|c| c.id.as_str()).collect();
    let filter = Filter { status: Some("pending"), customers: Some(ids.clone()), ..Filter::default() };
    let groups = data.summarize(&filter, GroupBy::Customer, cur)?;
    let count: usize = groups.iter().map(|g| g.orders).sum();
    let total: i64 = groups.iter().map(|g| g.total).sum();
    if count < 2 {
        return None;
    }
    Some(Draft {
        prompt: format!(
            "Write a short report, without a chart, on the orders still pending for our customers in {country}: how many there are and their total value in {cur}. Tell me both figures as well."
        ),
        facts: vec![count.to_string(), plain(total)],
        solution: vec![
            vec![call("list_customers", json!({"country": code}))],
            vec![call(
                "summarize_orders",
                json!({"group_by": "customer", "currency": cur, "status": "pending", "customer_ids": ids}),
            )],
            vec![report(&format!("Pending orders in {country}"), &[])],
        ],
        answer: format!(
            "There are {count} pending orders in {country}, worth {} {cur} in total.",
            pretty(total)
        ),
    })
}
