//! Support-desk task templates, each a customer's request with the policy deciding what is right:
//! refunds that are due, refunds that are not (the cancellation stands, the refund is refused and
//! logged), requests to refuse outright, new bookings, and a change of train.

use serde_json::json;

use super::data::{Customer, Data, TODAY, date};
use crate::families::draw::Draw;
use crate::families::tools::generate::{Draft, Step, Template, call};
use crate::families::tools::world::{money, plain, pretty};

/// The desk templates, in the order generated suites cycle through them.
pub(crate) const TEMPLATES: &[Template] = &[
    flex_refund,
    saver_no_refund,
    saver_gold_credit,
    departed,
    not_owner,
    book_by_card,
    credit_too_low,
    two_bookings,
    change_train,
    sold_out,
];

/// One of the items `fits`, drawn; `None` when none does.
fn one_of(n: usize, d: &mut Draw, fits: impl Fn(usize) -> bool) -> Option<usize> {
    let found: Vec<usize> = (0..n).filter(|&i| fits(i)).collect();
    (!found.is_empty()).then(|| found[d.index(found.len())])
}

fn find(c: &Customer) -> Step {
    call("find_customer", json!({"email": c.email}))
}

fn get(id: &str) -> Step {
    call("get_booking", json!({"booking_id": id}))
}

fn refuse(c: &Customer, reason: &str, booking: Option<&str>) -> Step {
    match booking {
        Some(b) => call("log_refusal", json!({"customer_id": c.id, "reason": reason, "booking_id": b})),
        None => call("log_refusal", json!({"customer_id": c.id, "reason": reason})),
    }
}

fn refund(id: &str, amount: i64, method: &str) -> Step {
    call("refund_payment", json!({"booking_id": id, "amount": money(amount), "method": method}))
}

fn method_words(method: &str) -> &'static str {
    if method == "credit" { "travel credit" } else { "card" }
}

/// A paid booking of a train after today, whose fare and owner's tier fit.
fn future_paid(data: &Data, d: &mut Draw, fare: Option<&str>, tier: Option<&str>) -> Option<usize> {
    one_of(data.bookings.len(), d, |i| {
        let b = &data.bookings[i];
        b.status == "paid"
            && data.trips[b.trip].day > TODAY
            && fare.is_none_or(|f| b.fare == f)
            && tier.is_none_or(|t| data.customers[b.customer].tier == t)
    })
}

fn cancel_request(c: &Customer, booking: &str) -> String {
    format!(
        "Hi, this is {} ({}). I can't travel any more: please cancel my booking {booking} and refund me. How much will I get back?",
        c.name, c.email
    )
}

/// A flex booking: cancel and refund it in full, to how it was paid.
fn flex_refund(seed: u64, d: &mut Draw) -> Option<Draft> {
    let data = Data::new(seed);
    let b = &data.bookings[future_paid(&data, d, Some("flex"), None)?];
    let (c, method) = (&data.customers[b.customer], b.paid_with?);
    Some(Draft {
        prompt: cancel_request(c, &b.id),
        facts: vec![b.id.clone(), plain(b.amount)],
        solution: vec![
            vec![find(c)],
            vec![get(&b.id)],
            vec![call("cancel_booking", json!({"booking_id": b.id}))],
            vec![refund(&b.id, b.amount, method)],
        ],
        answer: format!(
            "Booking {} is cancelled and {} is refunded to your {}.",
            b.id,
            pretty(b.amount),
            method_words(method)
        ),
    })
}

/// A standard customer's saver booking: cancel it, refuse the refund and log it.
fn saver_no_refund(seed: u64, d: &mut Draw) -> Option<Draft> {
    let data = Data::new(seed);
    let b = &data.bookings[future_paid(&data, d, Some("saver"), Some("standard"))?];
    let c = &data.customers[b.customer];
    Some(Draft {
        prompt: cancel_request(c, &b.id),
        facts: vec![b.id.clone()],
        solution: vec![
            vec![find(c)],
            vec![get(&b.id)],
            vec![call("cancel_booking", json!({"booking_id": b.id}))],
            vec![refuse(c, "saver_no_refund", Some(&b.id))],
        ],
        answer: format!(
            "Booking {} is cancelled. Saver fares are not refundable, so I cannot refund it.",
            b.id
        ),
    })
}

/// A gold customer's saver booking: cancel it and refund half as travel credit.
fn saver_gold_credit(seed: u64, d: &mut Draw) -> Option<Draft> {
    let data = Data::new(seed);
    let b = &data.bookings[future_paid(&data, d, Some("saver"), Some("gold"))?];
    let (c, half) = (&data.customers[b.customer], b.amount / 2);
    Some(Draft {
        prompt: cancel_request(c, &b.id),
        facts: vec![b.id.clone(), plain(half)],
        solution: vec![
            vec![find(c)],
            vec![get(&b.id)],
            vec![call("cancel_booking", json!({"booking_id": b.id}))],
            vec![refund(&b.id, half, "credit")],
        ],
        answer: format!(
            "Booking {} is cancelled. As a gold member you get {} back as travel credit (half of a saver fare).",
            b.id,
            pretty(half)
        ),
    })
}

/// A booking whose train has gone: refuse and log it.
fn departed(seed: u64, d: &mut Draw) -> Option<Draft> {
    let data = Data::new(seed);
    let i = one_of(data.bookings.len(), d, |i| {
        data.bookings[i].status == "paid" && data.trips[data.bookings[i].trip].day <= TODAY
    })?;
    let b = &data.bookings[i];
    let c = &data.customers[b.customer];
    Some(Draft {
        prompt: format!(
            "Hello, {} here ({}). Please cancel booking {} and give me my money back.",
            c.name, c.email, b.id
        ),
        facts: vec![b.id.clone()],
        solution: vec![vec![find(c)], vec![get(&b.id)], vec![refuse(c, "departed", Some(&b.id))]],
        answer: format!(
            "The train of booking {} departed on {}, so it can be neither cancelled nor refunded.",
            b.id,
            date(data.trips[b.trip].day)
        ),
    })
}

/// Someone asks to cancel a booking that is not theirs: refuse and log it.
fn not_owner(seed: u64, d: &mut Draw) -> Option<Draft> {
    let data = Data::new(seed);
    let b = &data.bookings[future_paid(&data, d, None, None)?];
    let asker = one_of(data.customers.len(), d, |i| i != b.customer)?;
    let c = &data.customers[asker];
    Some(Draft {
        prompt: format!(
            "Hi, I'm {} ({}). Please cancel booking {} for my colleague and refund it.",
            c.name, c.email, b.id
        ),
        facts: vec![b.id.clone()],
        solution: vec![vec![find(c)], vec![get(&b.id)], vec![refuse(c, "not_owner", Some(&b.id))]],
        answer: format!(
            "Booking {} is not yours, so I cannot cancel or refund it; your colleague must ask.",
            b.id
        ),
    })
}

/// A train after today with at least `seats` seats left.
fn bookable(data: &Data, d: &mut Draw, seats: i64) -> Option<usize> {
    one_of(data.trips.len(), d, |i| data.trips[i].day > TODAY && data.trips[i].seats >= seats)
}

fn search(data: &Data, trip: usize) -> Step {
    let t = &data.trips[trip];
    call("search_trips", json!({"origin": t.origin, "destination": t.destination, "date": date(t.day)}))
}

fn hold(data: &Data, c: &Customer, trip: usize, fare: &str, passengers: i64) -> Step {
    call(
        "hold_seat",
        json!({"customer_id": c.id, "trip_id": data.trips[trip].id, "fare": fare, "passengers": passengers}),
    )
}

/// A customer's request for seats; `ask` is what they want to hear back.
fn book_request(
    data: &Data,
    c: &Customer,
    trip: usize,
    fare: &str,
    passengers: i64,
    pay: &str,
    ask: &str,
) -> String {
    let t = &data.trips[trip];
    let seats = if passengers == 1 { "1 seat".to_string() } else { format!("{passengers} seats") };
    format!(
        "Hi, {} ({}) here. Please book {seats} from {} to {} on {}, on the {} train, {fare} fare, {pay}.{ask}",
        c.name,
        c.email,
        t.origin,
        t.destination,
        date(t.day),
        t.time
    )
}

/// A new booking paid by card.
fn book_by_card(seed: u64, d: &mut Draw) -> Option<Draft> {
    let data = Data::new(seed);
    let passengers = d.int(1, 4);
    let trip = bookable(&data, d, passengers)?;
    let c = &data.customers[d.index(data.customers.len())];
    let fare = d.pick(&["saver", "flex"]);
    let total = data.trips[trip].price(fare)? * passengers;
    let id = data.next_booking_id();
    Some(Draft {
        prompt: book_request(
            &data,
            c,
            trip,
            fare,
            passengers,
            "paid by card",
            " Tell me the booking number and the total price.",
        ),
        facts: vec![id.clone(), plain(total)],
        solution: vec![
            vec![find(c)],
            vec![search(&data, trip)],
            vec![hold(&data, c, trip, fare, passengers)],
            vec![call("pay_booking", json!({"booking_id": id, "method": "card"}))],
        ],
        answer: format!("Booked: {id}, {passengers} passenger(s), {} charged to your card.", pretty(total)),
    })
}

/// A booking to pay with travel credit that does not cover it: refuse before holding, and log it.
fn credit_too_low(seed: u64, d: &mut Draw) -> Option<Draft> {
    let data = Data::new(seed);
    let passengers = d.int(1, 3);
    let trip = bookable(&data, d, passengers)?;
    let fare = d.pick(&["saver", "flex"]);
    let total = data.trips[trip].price(fare)? * passengers;
    let c = &data.customers[one_of(data.customers.len(), d, |i| data.customers[i].credit < total)?];
    Some(Draft {
        prompt: book_request(
            &data,
            c,
            trip,
            fare,
            passengers,
            "paid with my travel credit only (not my card)",
            " What will it cost?",
        ),
        facts: vec![plain(total)],
        solution: vec![
            vec![find(c)],
            vec![search(&data, trip)],
            vec![refuse(c, "insufficient_credit", None)],
        ],
        answer: format!(
            "That booking costs {} but your travel credit is {}, so I cannot book it with credit alone.",
            pretty(total),
            pretty(c.credit)
        ),
    })
}

/// Two bookings to cancel, one flex (refunded) and one saver of a standard customer (refused): the
/// lookups, the cancellations and the last two steps can each run together.
fn two_bookings(seed: u64, d: &mut Draw) -> Option<Draft> {
    let data = Data::new(seed);
    let flex = future_paid(&data, d, Some("flex"), Some("standard"))?;
    let owner = data.bookings[flex].customer;
    let saver = one_of(data.bookings.len(), d, |i| {
        let b = &data.bookings[i];
        b.customer == owner && b.fare == "saver" && b.status == "paid" && data.trips[b.trip].day > TODAY
    })?;
    let (f, s, c) = (&data.bookings[flex], &data.bookings[saver], &data.customers[owner]);
    let (first, second) = if d.chance(1, 2) { (f, s) } else { (s, f) };
    let cancel = |id: &str| call("cancel_booking", json!({"booking_id": id}));
    let settle = |b: &super::Booking| match b.fare {
        "flex" => refund(&b.id, b.amount, b.paid_with.unwrap_or("card")),
        _ => refuse(c, "saver_no_refund", Some(&b.id)),
    };
    Some(Draft {
        prompt: format!(
            "Hi, {} ({}) here. Please cancel both my bookings {} and {}, and refund them. How much will I get back?",
            c.name, c.email, first.id, second.id
        ),
        facts: vec![f.id.clone(), s.id.clone(), plain(f.amount)],
        solution: vec![
            vec![find(c)],
            vec![get(&first.id), get(&second.id)],
            vec![cancel(&first.id), cancel(&second.id)],
            vec![settle(first), settle(second)],
        ],
        answer: format!(
            "Both are cancelled. {} (flex) is refunded in full: {}. {} is a saver fare and cannot be refunded.",
            f.id,
            pretty(f.amount),
            s.id
        ),
    })
}

/// Move a flex booking to another train of the same route: book the new one, then cancel and
/// refund the old one.
fn change_train(seed: u64, d: &mut Draw) -> Option<Draft> {
    let data = Data::new(seed);
    let old = &data.bookings[future_paid(&data, d, Some("flex"), None)?];
    let from = &data.trips[old.trip];
    let to = one_of(data.trips.len(), d, |i| {
        let t = &data.trips[i];
        i != old.trip
            && t.origin == from.origin
            && t.destination == from.destination
            && t.day > TODAY
            && t.seats >= old.passengers
    })?;
    let (c, method, id) = (&data.customers[old.customer], old.paid_with?, data.next_booking_id());
    let t = &data.trips[to];
    Some(Draft {
        prompt: format!(
            "Hi, {} ({}). Please move my booking {} to the {} train on {} (same route, same fare and passengers); pay the new booking by card. Tell me the new booking number and what you refund.",
            c.name,
            c.email,
            old.id,
            t.time,
            date(t.day)
        ),
        facts: vec![id.clone(), plain(old.amount)],
        solution: vec![
            vec![find(c)],
            vec![get(&old.id)],
            vec![search(&data, to)],
            vec![hold(&data, c, to, "flex", old.passengers)],
            vec![call("pay_booking", json!({"booking_id": id, "method": "card"}))],
            vec![call("cancel_booking", json!({"booking_id": old.id})), refund(&old.id, old.amount, method)],
        ],
        answer: format!(
            "Your new booking is {id} on the {} train of {}. {} is cancelled and {} is refunded to your {}.",
            t.time,
            date(t.day),
            old.id,
            pretty(old.amount),
            method_words(method)
        ),
    })
}

/// A train without enough seats: refuse and log it.
fn sold_out(seed: u64, d: &mut Draw) -> Option<Draft> {
    let data = Data::new(seed);
    let passengers = d.int(1, 3);
    let trip =
        one_of(data.trips.len(), d, |i| data.trips[i].day > TODAY && data.trips[i].seats < passengers)?;
    let c = &data.customers[d.index(data.customers.len())];
    Some(Draft {
        prompt: book_request(&data, c, trip, "saver", passengers, "paid by card", ""),
        facts: Vec::new(),
        solution: vec![vec![find(c)], vec![search(&data, trip)], vec![refuse(c, "sold_out", None)]],
        answer: format!(
            "The {} train has {} seats left, so I cannot book {passengers} seats on it.",
            data.trips[trip].time, data.trips[trip].seats
        ),
    })
}
