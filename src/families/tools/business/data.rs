//! The business world's data, drawn from its seed: customers, products, orders in the customers'
//! currencies, and the exchange rates every conversion uses. Amounts are whole cents and every
//! conversion rounds once, half away from zero, so totals are exact and the same everywhere.

use std::collections::BTreeMap;

use crate::families::draw::Draw;

/// Customer segments.
pub(crate) const SEGMENTS: [&str; 3] = ["enterprise", "smb", "public"];
/// Product categories.
pub(crate) const CATEGORIES: [&str; 3] = ["furniture", "electronics", "accessories"];
/// Order statuses.
pub(crate) const STATUSES: [&str; 3] = ["paid", "pending", "refunded"];
/// The currencies the tools know.
pub(crate) const CURRENCIES: [&str; 4] = ["USD", "EUR", "GBP", "CAD"];
/// The months orders fall in, oldest first.
pub(crate) const MONTHS: [&str; 6] = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"];
/// Countries: (code, name, currency).
pub(crate) const COUNTRIES: [(&str, &str, &str); 5] = [
    ("US", "the United States", "USD"),
    ("DE", "Germany", "EUR"),
    ("FR", "France", "EUR"),
    ("GB", "the United Kingdom", "GBP"),
    ("CA", "Canada", "CAD"),
];

const COMPANIES: [&str; 12] = [
    "Acme Corp",
    "Birch Labs",
    "Cobalt Foods",
    "Delta Freight",
    "Ember Studio",
    "Fjord Outdoor",
    "Granite Bank",
    "Harbor Health",
    "Indigo Retail",
    "Juniper Farms",
    "Kestrel Air",
    "Lumen Energy",
];

const PRODUCTS: [(&str, &str); 10] = [
    ("Standing Desk", "furniture"),
    ("Ergo Chair", "furniture"),
    ("Filing Cabinet", "furniture"),
    ("USB-C Dock", "electronics"),
    ("Noise-Cancelling Headset", "electronics"),
    ("Webcam Pro", "electronics"),
    ("Monitor Arm", "accessories"),
    ("Desk Lamp", "accessories"),
    ("Cable Kit", "accessories"),
    ("Laptop Stand", "accessories"),
];

/// A customer company.
#[derive(Debug, Clone)]
pub(crate) struct Customer {
    pub id: String,
    pub name: &'static str,
    pub segment: &'static str,
    pub country: &'static str,
    pub currency: &'static str,
}

/// A product with its list price in US dollars.
#[derive(Debug, Clone)]
pub(crate) struct Product {
    pub id: String,
    pub name: &'static str,
    pub category: &'static str,
    pub unit_usd: i64,
}

/// An order, priced in its customer's currency.
#[derive(Debug, Clone)]
pub(crate) struct Order {
    pub id: String,
    pub customer: usize,
    pub product: usize,
    pub quantity: i64,
    pub amount: i64,
    pub month: &'static str,
    pub status: &'static str,
}

/// The whole data set of one seed.
#[derive(Debug, Clone)]
pub(crate) struct Data {
    pub customers: Vec<Customer>,
    pub products: Vec<Product>,
    pub orders: Vec<Order>,
    /// US dollars per unit, in millionths, by currency.
    rates: BTreeMap<&'static str, i64>,
}

/// How `summarize_orders` groups orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GroupBy {
    Customer,
    Product,
    Category,
    Month,
}

impl GroupBy {
    /// The argument values, as the tool's schema lists them.
    pub(crate) const NAMES: [&'static str; 4] = ["customer", "product", "category", "month"];

    /// The grouping an argument names.
    pub(crate) fn parse(name: &str) -> Option<GroupBy> {
        match name {
            "customer" => Some(GroupBy::Customer),
            "product" => Some(GroupBy::Product),
            "category" => Some(GroupBy::Category),
            "month" => Some(GroupBy::Month),
            _ => None,
        }
    }
}

/// Which orders a query covers; `None` fields do not filter.
#[derive(Debug, Clone, Default)]
pub(crate) struct Filter<'a> {
    pub status: Option<&'a str>,
    pub month_from: Option<&'a str>,
    pub month_to: Option<&'a str>,
    pub customers: Option<Vec<&'a str>>,
    pub products: Option<Vec<&'a str>>,
}

/// One group of a summary: its key, a readable label, how many orders and their total in cents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Group {
    pub key: String,
    pub label: String,
    pub orders: usize,
    pub total: i64,
}

impl Data {
    /// The data of `seed`.
    pub(crate) fn new(seed: u64) -> Data {
        let mut d = Draw::for_task(seed, 0);
        let customers = d
            .distinct(&COMPANIES, 8)
            .into_iter()
            .enumerate()
            .map(|(i, name)| {
                let (country, _, currency) = d.pick(&COUNTRIES);
                Customer { id: format!("C-{}", 101 + i), name, segment: d.pick(&SEGMENTS), country, currency }
            })
            .collect::<Vec<_>>();
        let products = d
            .distinct(&PRODUCTS, 8)
            .into_iter()
            .enumerate()
            .map(|(i, (name, category))| Product {
                id: format!("P-{}", 201 + i),
                name,
                category,
                unit_usd: d.int(15, 900) * 100 + d.pick(&[0, 50]),
            })
            .collect::<Vec<_>>();
        let rates = BTreeMap::from([
            ("USD", 1_000_000),
            ("EUR", 1_080_000 + d.int(-40_000, 40_000)),
            ("GBP", 1_270_000 + d.int(-40_000, 40_000)),
            ("CAD", 730_000 + d.int(-30_000, 30_000)),
        ]);
        let mut data = Data { customers, products, orders: Vec::new(), rates };
        for i in 0..40 {
            let (customer, product) = (d.index(data.customers.len()), d.index(data.products.len()));
            let quantity = d.int(1, 12);
            let usd = data.products[product].unit_usd * quantity;
            let amount = data.convert(usd, "USD", data.customers[customer].currency).unwrap_or(usd);
            let status = match d.below(20) {
                0..14 => "paid",
                14..17 => "pending",
                _ => "refunded",
            };
            data.orders.push(Order {
                id: format!("O-{}", 3001 + i),
                customer,
                product,
                quantity,
                amount,
                month: d.pick(&MONTHS),
                status,
            });
        }
        data
    }

    /// `cents` of `from` in `to`, rounded half away from zero; `None` for an unknown currency.
    pub(crate) fn convert(&self, cents: i64, from: &str, to: &str) -> Option<i64> {
        let (from, to) = (i128::from(*self.rates.get(from)?), i128::from(*self.rates.get(to)?));
        let scaled = i128::from(cents.unsigned_abs()) * from;
        let rounded = (2 * scaled + to) / (2 * to);
        let magnitude = i64::try_from(rounded).ok()?;
        Some(if cents < 0 { -magnitude } else { magnitude })
    }

    /// Units of `to` per unit of `from`, to six decimals.
    pub(crate) fn rate(&self, from: &str, to: &str) -> Option<f64> {
        let (from, to) = (*self.rates.get(from)? as f64, *self.rates.get(to)? as f64);
        Some((from / to * 1e6).round() / 1e6)
    }

    /// The customer with this id.
    pub(crate) fn customer(&self, id: &str) -> Option<usize> {
        self.customers.iter().position(|c| c.id == id)
    }

    /// The product with this id.
    pub(crate) fn product(&self, id: &str) -> Option<usize> {
        self.products.iter().position(|p| p.id == id)
    }

    /// The orders `filter` covers, in id order.
    pub(crate) fn select(&self, filter: &Filter<'_>) -> Vec<&Order> {
        self.orders
            .iter()
            .filter(|o| filter.status.is_none_or(|s| o.status == s))
            .filter(|o| filter.month_from.is_none_or(|m| o.month >= m))
            .filter(|o| filter.month_to.is_none_or(|m| o.month <= m))
            .filter(|o| {
                filter
                    .customers
                    .as_ref()
                    .is_none_or(|ids| ids.contains(&self.customers[o.customer].id.as_str()))
            })
            .filter(|o| {
                filter.products.as_ref().is_none_or(|ids| ids.contains(&self.products[o.product].id.as_str()))
            })
            .collect()
    }

    /// The orders `filter` covers, grouped, each order converted to `currency` (rounded per order)
    /// before summing; groups in key order, groups without orders left out.
    pub(crate) fn summarize(&self, filter: &Filter<'_>, by: GroupBy, currency: &str) -> Option<Vec<Group>> {
        let mut groups: BTreeMap<String, Group> = BTreeMap::new();
        for order in self.select(filter) {
            let (customer, product) = (&self.customers[order.customer], &self.products[order.product]);
            let (key, label) = match by {
                GroupBy::Customer => (customer.id.clone(), customer.name.to_string()),
                GroupBy::Product => (product.id.clone(), product.name.to_string()),
                GroupBy::Category => (product.category.to_string(), product.category.to_string()),
                GroupBy::Month => (order.month.to_string(), order.month.to_string()),
            };
            let amount = self.convert(order.amount, customer.currency, currency)?;
            let group = groups.entry(key.clone()).or_insert(Group { key, label, orders: 0, total: 0 });
            group.orders += 1;
            group.total += amount;
        }
        Some(groups.into_values().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_data_and_conversions_round_once() {
        let (a, b) = (Data::new(5), Data::new(5));
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        assert_ne!(format!("{a:?}"), format!("{:?}", Data::new(6)));
        assert_eq!(a.convert(12345, "USD", "USD"), Some(12345));
        assert_eq!(a.convert(-100, "EUR", "EUR"), Some(-100));
        assert_eq!(a.convert(1, "XXX", "USD"), None);
        // 100.00 EUR at the drawn rate, by hand.
        let eur = a.rates["EUR"];
        assert_eq!(a.convert(10000, "EUR", "USD"), Some((10000 * eur + 500_000) / 1_000_000));
    }

    #[test]
    fn a_summary_adds_up_to_its_orders() {
        let data = Data::new(9);
        let filter = Filter { status: Some("paid"), ..Filter::default() };
        let groups = data.summarize(&filter, GroupBy::Month, "USD").unwrap();
        let count: usize = groups.iter().map(|g| g.orders).sum();
        assert_eq!(count, data.orders.iter().filter(|o| o.status == "paid").count());
        let by_hand: i64 = data
            .select(&filter)
            .iter()
            .map(|o| data.convert(o.amount, data.customers[o.customer].currency, "USD").unwrap())
            .sum();
        assert_eq!(groups.iter().map(|g| g.total).sum::<i64>(), by_hand);
    }
}
