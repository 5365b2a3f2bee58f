//! The values of a provider table that no request could work with, all found at once, each tied to
//! the key that sets it so the error points at that key's line.

use super::{MAX_CONCURRENCY_BOUND, MAX_RETRIES_BOUND, ProviderConfig};

/// One thing wrong with a provider table.
#[derive(Debug)]
pub(super) struct Problem {
    /// The key it is about; `None` when it is about the table as a whole (a missing key).
    pub key: Option<&'static str>,
    /// What is wrong and what was expected, phrased after `[providers.NAME] `.
    pub what: String,
}

impl Problem {
    /// A problem with the value of `key`.
    pub fn at(key: &'static str, what: impl Into<String>) -> Problem {
        Problem { key: Some(key), what: what.into() }
    }

    /// A problem with the table as a whole.
    pub fn table(what: impl Into<String>) -> Problem {
        Problem { key: None, what: what.into() }
    }
}

/// Every out-of-range value set in `c` (limits, budgets, sampling, price); absent values are fine.
pub(super) fn value_problems(c: &ProviderConfig) -> Vec<Problem> {
    let mut problems = Vec::new();
    if let Some(n) = c.max_concurrency
        && !(1..=MAX_CONCURRENCY_BOUND).contains(&n)
    {
        problems.push(Problem::at(
            "max_concurrency",
            format!("has max_concurrency = {n}; expected 1 to {MAX_CONCURRENCY_BOUND} requests in flight"),
        ));
    }
    if let Some(n) = c.max_retries
        && n > MAX_RETRIES_BOUND
    {
        problems.push(Problem::at(
            "max_retries",
            format!(
                "has max_retries = {n}; expected 0 to {MAX_RETRIES_BOUND} retries after the first attempt"
            ),
        ));
    }
    if c.rpm == Some(0) {
        problems.push(Problem::at("rpm", "has rpm = 0; expected a positive limit, or leave it out for none"));
    }
    if c.tpm == Some(0) {
        problems.push(Problem::at("tpm", "has tpm = 0; expected a positive limit, or leave it out for none"));
    }
    if c.max_answer_mb == Some(0) {
        problems.push(Problem::at("max_answer_mb", "has max_answer_mb = 0; expected at least 1 (MiB)"));
    }
    if c.max_tokens == Some(0) {
        problems.push(Problem::at(
            "max_tokens",
            "has max_tokens = 0; expected at least 1 (the output budget of tasks that set none), or leave it out",
        ));
    }
    if let Some(t) = c.timeout_s
        && !(t > 0.0 && t.is_finite())
    {
        problems.push(Problem::at(
            "timeout_s",
            format!("has timeout_s = {t}; expected a positive number of seconds"),
        ));
    }
    if let Some(t) = c.temperature
        && !(0.0..=2.0).contains(&t)
    {
        problems.push(Problem::at(
            "temperature",
            format!("has temperature = {t}; expected a value between 0 and 2"),
        ));
    }
    if let Some(price) = &c.price
        && let Err(e) = price.validate()
    {
        problems.push(Problem::at("price", format!("has an invalid price: {e}")));
    }
    problems
}
