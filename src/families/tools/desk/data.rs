//! The support desk's data, drawn from its seed: customers with their tier, travel credit and card,
//! trains on a few routes (some already gone, some sold out) with saver and flex fares, and the
//! bookings made so far. Days count from 2026-06-01; today is day 14.

use crate::families::draw::Draw;

/// Today, as a day number (2026-06-15).
pub(crate) const TODAY: i64 = 14;

const CITIES: [&str; 8] = ["Lyon", "Paris", "Geneva", "Turin", "Milan", "Zurich", "Basel", "Marseille"];
const TIMES: [&str; 7] = ["07:10", "08:15", "09:40", "12:05", "14:30", "17:45", "19:20"];
const PEOPLE: [(&str, &str); 12] = [
    ("Ana", "Lopez"),
    ("Ben", "Okafor"),
    ("Chloe", "Martin"),
    ("Dev", "Patel"),
    ("Elif", "Kaya"),
    ("Finn", "Berg"),
    ("Grace", "Chen"),
    ("Hugo", "Silva"),
    ("Ines", "Moreau"),
    ("Jonas", "Weber"),
    ("Keiko", "Sato"),
    ("Liam", "Walsh"),
];

/// A customer of the desk.
#[derive(Debug, Clone)]
pub(crate) struct Customer {
    pub id: String,
    pub name: String,
    pub email: String,
    pub tier: &'static str,
    /// Travel credit, in cents.
    pub credit: i64,
    pub card: String,
}

/// A train.
#[derive(Debug, Clone)]
pub(crate) struct Trip {
    pub id: String,
    pub origin: &'static str,
    pub destination: &'static str,
    pub day: i64,
    pub time: &'static str,
    /// Price per passenger, in cents.
    pub saver: i64,
    pub flex: i64,
    pub seats: i64,
}

impl Trip {
    /// The price per passenger of `fare`.
    pub(crate) fn price(&self, fare: &str) -> Option<i64> {
        match fare {
            "saver" => Some(self.saver),
            "flex" => Some(self.flex),
            _ => None,
        }
    }
}

/// A booking.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Booking {
    pub id: String,
    pub customer: usize,
    pub trip: usize,
    pub fare: &'static str,
    pub passengers: i64,
    /// `held`, `paid` or `cancelled`.
    pub status: &'static str,
    /// `card` or `credit`, once paid.
    pub paid_with: Option<&'static str>,
    /// The price of the booking, in cents.
    pub amount: i64,
    /// Refunded so far, in cents.
    pub refunded: i64,
}

/// The desk's data of one seed.
#[derive(Debug, Clone)]
pub(crate) struct Data {
    pub customers: Vec<Customer>,
    pub trips: Vec<Trip>,
    pub bookings: Vec<Booking>,
}

/// Day `day` (from 2026-06-01) as YYYY-MM-DD.
pub(crate) fn date(day: i64) -> String {
    if day < 30 { format!("2026-06-{:02}", day + 1) } else { format!("2026-07-{:02}", day - 29) }
}

/// The day number of a YYYY-MM-DD date in June or July 2026.
pub(crate) fn day_of(date: &str) -> Option<i64> {
    let rest = date.strip_prefix("2026-")?;
    let (month, day) = rest.split_once('-')?;
    let day: i64 = day.parse().ok().filter(|d| (1..=31).contains(d))?;
    match month {
        "06" if day <= 30 => Some(day - 1),
        "07" => Some(day + 29),
        _ => None,
    }
}

/// Trains on five routes, three or four each, on days 0..45 (some gone, some sold out).
fn trips(d: &mut Draw) -> Vec<Trip> {
    let cities = d.distinct(&CITIES, 8);
    let routes = [(0, 1), (2, 3), (4, 5), (6, 7), (1, 0)].map(|(a, b)| (cities[a], cities[b]));
    let days: Vec<i64> = (0..45).collect();
    let mut trips = Vec::new();
    for (origin, destination) in routes {
        let picked = d.distinct(&days, 3);
        let times = d.distinct(&TIMES, 4);
        let mut departures: Vec<(i64, &str)> =
            picked.iter().zip(&times).map(|(&day, &time)| (day, time)).collect();
        if d.chance(1, 2) {
            departures.push((picked[0], times[3]));
        }
        departures.sort();
        for (day, time) in departures {
            let saver = d.int(29, 149) * 100 + d.pick(&[0, 50]);
            trips.push(Trip {
                id: format!("T-{}", 501 + trips.len()),
                origin,
                destination,
                day,
                time,
                saver,
                flex: (saver * 3 / 2 + 25) / 50 * 50,
                seats: if d.chance(1, 6) { 0 } else { d.int(3, 40) },
            });
        }
    }
    trips
}

impl Data {
    /// The data of `seed`.
    pub(crate) fn new(seed: u64) -> Data {
        let mut d = Draw::for_task(seed, 0);
        let customers = d
            .distinct(&PEOPLE, 8)
            .into_iter()
            .enumerate()
            .map(|(i, (first, last))| Customer {
                id: format!("U-{}", 401 + i),
                name: format!("{first} {last}"),
                email: format!("{}.{}@example.com", first.to_lowercase(), last.to_lowercase()),
                tier: if d.chance(1, 3) { "gold" } else { "standard" },
                credit: d.pick(&[0, 2000, 4500, 6000, 9000, 15000, 25000]),
                card: d.int(1000, 9999).to_string(),
            })
            .collect();
        let trips = trips(&mut d);
        let mut data = Data { customers, trips, bookings: Vec::new() };
        for i in 0..20 {
            let (customer, trip) = (d.index(data.customers.len()), d.index(data.trips.len()));
            let fare = d.pick(&["saver", "flex"]);
            let passengers = d.int(1, 3);
            let cancelled = d.chance(1, 8);
            let paid_with = if d.chance(1, 4) { "credit" } else { "card" };
            let per_passenger = if fare == "saver" { data.trips[trip].saver } else { data.trips[trip].flex };
            let amount = per_passenger * passengers;
            data.bookings.push(Booking {
                id: format!("B-{}", 601 + i),
                customer,
                trip,
                fare,
                passengers,
                status: if cancelled { "cancelled" } else { "paid" },
                paid_with: Some(paid_with),
                amount,
                refunded: 0,
            });
        }
        data
    }

    /// The customer with this id.
    pub(crate) fn customer(&self, id: &str) -> Option<usize> {
        self.customers.iter().position(|c| c.id == id)
    }

    /// The trip with this id.
    pub(crate) fn trip(&self, id: &str) -> Option<usize> {
        self.trips.iter().position(|t| t.id == id)
    }

    /// The booking with this id.
    pub(crate) fn booking(&self, id: &str) -> Option<usize> {
        self.bookings.iter().position(|b| b.id == id)
    }

    /// The id the next new booking gets.
    pub(crate) fn next_booking_id(&self) -> String {
        format!("B-{}", 701 + self.bookings.iter().filter(|b| b.id.as_str() >= "B-701").count())
    }

    /// The trips from `origin` to `destination` on `day`, earliest first.
    pub(crate) fn trips_on(&self, origin: &str, destination: &str, day: i64) -> Vec<usize> {
        let mut found: Vec<usize> = (0..self.trips.len())
            .filter(|&i| {
                let t = &self.trips[i];
                t.origin.eq_ignore_ascii_case(origin)
                    && t.destination.eq_ignore_ascii_case(destination)
                    && t.day == day
            })
            .collect();
        found.sort_by_key(|&i| self.trips[i].time);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_day_numbers_agree() {
        for day in 0..45 {
            assert_eq!(day_of(&date(day)), Some(day), "{}", date(day));
        }
        assert_eq!(date(TODAY), "2026-06-15");
        assert_eq!(day_of("2026-06-31"), None);
        assert_eq!(day_of("2025-06-01"), None);
        assert_eq!(day_of("tomorrow"), None);
    }

    #[test]
    fn the_world_has_departed_and_sold_out_trains_and_routes_with_several() {
        let data = Data::new(1);
        assert_eq!(format!("{data:?}"), format!("{:?}", Data::new(1)));
        assert!(data.trips.len() >= 15);
        for trip in &data.trips {
            assert_eq!(
                data.trips_on(trip.origin, trip.destination, trip.day)
                    .iter()
                    .filter(|&&i| data.trips[i].id == trip.id)
                    .count(),
                1
            );
            assert!(trip.flex > trip.saver && trip.flex % 50 == 0);
        }
        for b in &data.bookings {
            assert_eq!(b.amount, data.trips[b.trip].price(b.fare).unwrap() * b.passengers);
        }
        assert_eq!(data.next_booking_id(), "B-701");
    }
}
