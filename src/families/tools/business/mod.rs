//! The business-data environment: customers, products and orders to look up, filter, convert and
//! aggregate, and two sinks, `create_chart` and `write_report`: the data -> chart -> report chain.
//! `send_email` and `forecast_demand` are distractors no task needs.
//!
//! State parts: `charts` (kind, labels, values of each chart made), `reports` (the charts each
//! report includes) and `emails` (the recipients of each email sent). Titles and bodies are free
//! text and are not compared; the facts a task needs are checked in the final answer.

mod data;
pub(crate) mod tasks;

use std::sync::LazyLock;

use serde_json::{Value, json};

use super::world::{Args, ToolResult, World, cents, money, tool};
use crate::core::ToolSpec;
use data::{CURRENCIES, Data, Filter, GroupBy};

/// The system prompt of business tasks.
pub const SYSTEM: &str = "You are a data analyst with tools over the company's sales data: customers, \
products and orders (each order is priced in its customer's currency). Use the tools to get every figure; \
never estimate. Amounts are rounded to the cent. When you have finished, answer with the figures asked for.";

/// The state parts a task may name.
pub const PARTS: &[&str] = &["charts", "reports", "emails"];

/// The business environment's tools.
pub fn tools() -> &'static [ToolSpec] {
    static TOOLS: LazyLock<Vec<ToolSpec>> = LazyLock::new(specs);
    &TOOLS
}

fn specs() -> Vec<ToolSpec> {
    let month =
        json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "description": "A month as YYYY-MM."});
    let currency = json!({"type": "string", "enum": CURRENCIES});
    vec![
        tool(
            "list_customers",
            "List customer companies (id, name, segment, country, currency), optionally only one segment or country.",
            json!({"segment": {"type": "string", "enum": data::SEGMENTS},
                   "country": {"type": "string", "enum": data::COUNTRIES.map(|c| c.0), "description": "ISO country code."}}),
            &[],
        ),
        tool(
            "get_customer",
            "One customer company by id.",
            json!({"customer_id": {"type": "string", "description": "Such as C-101."}}),
            &["customer_id"],
        ),
        tool(
            "list_products",
            "List products (id, name, category, unit price in USD), optionally one category.",
            json!({"category": {"type": "string", "enum": data::CATEGORIES}}),
            &[],
        ),
        tool(
            "find_orders",
            "Find orders (id, customer, product, quantity, amount in the customer's currency, month, status), in id order. Every filter is optional.",
            json!({"customer_id": {"type": "string"}, "product_id": {"type": "string"},
                   "status": {"type": "string", "enum": data::STATUSES},
                   "month_from": month, "month_to": month}),
            &[],
        ),
        tool(
            "get_order",
            "One order by id.",
            json!({"order_id": {"type": "string", "description": "Such as O-3001."}}),
            &["order_id"],
        ),
        tool(
            "convert_currency",
            "Convert an amount between currencies at today's rate, rounded to the cent.",
            json!({"amount": {"type": "number"}, "from": currency, "to": currency}),
            &["amount", "from", "to"],
        ),
        tool(
            "summarize_orders",
            "Total the orders matching the filters, grouped by customer, product, category or month. Each order is converted to `currency` (rounded to the cent) before summing. Groups without orders are left out.",
            json!({"group_by": {"type": "string", "enum": GroupBy::NAMES}, "currency": currency,
                   "status": {"type": "string", "enum": data::STATUSES, "description": "Only orders with this status; all statuses when left out."},
                   "month_from": month, "month_to": month,
                   "customer_ids": {"type": "array", "items": {"type": "string"}},
                   "product_ids": {"type": "array", "items": {"type": "string"}}}),
            &["group_by", "currency"],
        ),
        tool(
            "create_chart",
            "Draw a chart from labels and values (one value per label, in order). Returns the chart's id.",
            json!({"kind": {"type": "string", "enum": ["bar", "line", "pie"]}, "title": {"type": "string"},
                   "labels": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                   "values": {"type": "array", "items": {"type": "number"}, "minItems": 1}}),
            &["kind", "title", "labels", "values"],
        ),
        tool(
            "write_report",
            "Publish a report with a title, a body and the charts it includes (ids from create_chart; may be empty).",
            json!({"title": {"type": "string"}, "body": {"type": "string"},
                   "chart_ids": {"type": "array", "items": {"type": "string"}}}),
            &["title", "body", "chart_ids"],
        ),
        tool(
            "send_email",
            "Send an email from the analytics team.",
            json!({"to": {"type": "string"}, "subject": {"type": "string"}, "body": {"type": "string"}}),
            &["to", "subject", "body"],
        ),
        tool(
            "forecast_demand",
            "Forecast the units of a product sold in each of the next months (a statistical estimate, not data).",
            json!({"product_id": {"type": "string"}, "months": {"type": "integer", "minimum": 1, "maximum": 12}}),
            &["product_id", "months"],
        ),
    ]
}

/// The business world: its data and what the episode made.
pub(crate) struct Business {
    data: Data,
    charts: Vec<Value>,
    reports: Vec<Value>,
    emails: Vec<Value>,
}

impl Business {
    /// The world of `seed`.
    pub(crate) fn new(seed: u64) -> Business {
        Business { data: Data::new(seed), charts: Vec::new(), reports: Vec::new(), emails: Vec::new() }
    }

    fn customer_json(&self, i: usize) -> Value {
        let c = &self.data.customers[i];
        json!({"id": c.id, "name": c.name, "segment": c.segment, "country": c.country, "currency": c.currency})
    }

    fn order_json(&self, order: &data::Order) -> Value {
        json!({"id": order.id, "customer_id": self.data.customers[order.customer].id,
               "product_id": self.data.products[order.product].id, "quantity": order.quantity,
               "amount": money(order.amount), "currency": self.data.customers[order.customer].currency,
               "month": order.month, "status": order.status})
    }

    fn filter<'a>(&self, args: &Args<'a>) -> Result<Filter<'a>, String> {
        let customer = args.opt_str("customer_id")?;
        let product = args.opt_str("product_id")?;
        Ok(Filter {
            status: args.opt_str("status")?,
            month_from: args.opt_str("month_from")?,
            month_to: args.opt_str("month_to")?,
            customers: args.strs("customer_ids")?.or(customer.map(|c| vec![c])),
            products: args.strs("product_ids")?.or(product.map(|p| vec![p])),
        })
    }

    fn list_customers(&self, args: &Args<'_>) -> ToolResult {
        let (segment, country) = (args.opt_str("segment")?, args.opt_str("country")?);
        let list: Vec<Value> = (0..self.data.customers.len())
            .filter(|&i| segment.is_none_or(|s| self.data.customers[i].segment == s))
            .filter(|&i| country.is_none_or(|c| self.data.customers[i].country == c))
            .map(|i| self.customer_json(i))
            .collect();
        Ok(json!({"customers": list}))
    }

    fn summarize(&self, args: &Args<'_>) -> ToolResult {
        let by = args.str("group_by")?;
        let by = GroupBy::parse(by).ok_or_else(|| format!("cannot group by `{by}`"))?;
        let currency = args.str("currency")?;
        let groups = self
            .data
            .summarize(&self.filter(args)?, by, currency)
            .ok_or_else(|| format!("unknown currency `{currency}`"))?;
        let groups: Vec<Value> = groups
            .iter()
            .map(|g| json!({"group": g.key, "label": g.label, "orders": g.orders, "total": money(g.total)}))
            .collect();
        Ok(json!({"currency": currency, "groups": groups}))
    }

    fn create_chart(&mut self, args: &Args<'_>) -> ToolResult {
        let (kind, _title) = (args.str("kind")?, args.str("title")?);
        let labels = args.strs("labels")?.ok_or("missing argument `labels`")?;
        let values = args.numbers("values")?;
        if labels.is_empty() || labels.len() != values.len() {
            return Err(format!(
                "a chart needs one value per label: {} labels, {} values",
                labels.len(),
                values.len()
            ));
        }
        self.charts.push(json!({"kind": kind, "labels": labels, "values": values}));
        Ok(json!({"chart_id": format!("chart-{}", self.charts.len())}))
    }

    fn write_report(&mut self, args: &Args<'_>) -> ToolResult {
        let (_title, body) = (args.str("title")?, args.str("body")?);
        if body.trim().is_empty() {
            return Err("the report's body is empty".into());
        }
        let charts = args.strs("chart_ids")?.ok_or("missing argument `chart_ids`")?;
        for id in &charts {
            let known = id.strip_prefix("chart-").and_then(|n| n.parse::<usize>().ok());
            if !known.is_some_and(|n| (1..=self.charts.len()).contains(&n)) {
                return Err(format!("there is no chart `{id}` ({} charts made so far)", self.charts.len()));
            }
        }
        self.reports.push(json!({"chart_ids": charts}));
        Ok(json!({"report_id": format!("report-{}", self.reports.len())}))
    }

    fn forecast(&self, args: &Args<'_>) -> ToolResult {
        let id = args.str("product_id")?;
        let product = self.data.product(id).ok_or_else(|| format!("there is no product `{id}`"))?;
        let months = args.int("months")?.clamp(1, 12);
        let sold: i64 = self.data.orders.iter().filter(|o| o.product == product).map(|o| o.quantity).sum();
        let units: Vec<i64> = (0..months).map(|m| sold / 6 + (m % 3)).collect();
        Ok(json!({"product_id": id, "estimated_units": units}))
    }
}

impl World for Business {
    fn call(&mut self, name: &str, args: &Args<'_>) -> ToolResult {
        match name {
            "list_customers" => self.list_customers(args),
            "get_customer" => {
                let id = args.str("customer_id")?;
                let i = self.data.customer(id).ok_or_else(|| format!("there is no customer `{id}`"))?;
                Ok(self.customer_json(i))
            }
            "list_products" => {
                let category = args.opt_str("category")?;
                let list: Vec<Value> = self
                    .data
                    .products
                    .iter()
                    .filter(|p| category.is_none_or(|c| p.category == c))
                    .map(|p| json!({"id": p.id, "name": p.name, "category": p.category, "unit_price_usd": money(p.unit_usd)}))
                    .collect();
                Ok(json!({"products": list}))
            }
            "find_orders" => {
                let list: Vec<Value> =
                    self.data.select(&self.filter(args)?).into_iter().map(|o| self.order_json(o)).collect();
                Ok(json!({"orders": list}))
            }
            "get_order" => {
                let id = args.str("order_id")?;
                let order = self
                    .data
                    .orders
                    .iter()
                    .find(|o| o.id == id)
                    .ok_or_else(|| format!("there is no order `{id}`"))?;
                Ok(self.order_json(order))
            }
            "convert_currency" => {
                let (amount, from, to) = (cents(args.number("amount")?)?, args.str("from")?, args.str("to")?);
                let converted = self
                    .data
                    .convert(amount, from, to)
                    .ok_or_else(|| format!("cannot convert {from} to {to}"))?;
                Ok(json!({"amount": money(converted), "currency": to, "rate": self.data.rate(from, to)}))
            }
            "summarize_orders" => self.summarize(args),
            "create_chart" => self.create_chart(args),
            "write_report" => self.write_report(args),
            "send_email" => {
                let to = args.str("to")?;
                self.emails.push(json!({"to": to}));
                Ok(json!({"sent": true}))
            }
            "forecast_demand" => self.forecast(args),
            other => Err(format!("there is no tool named `{other}`")),
        }
    }

    fn state(&self) -> Value {
        json!({"charts": self.charts, "reports": self.reports, "emails": self.emails})
    }
}
