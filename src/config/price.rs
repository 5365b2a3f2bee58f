//! Prices per million tokens and the cost of one answer.
//!
//! Cache reads are billed at the cache price (the input price when none is set), cache writes at the
//! cache-write price (the input price when none is set), and reasoning tokens as output, which is how
//! every provider in the presets bills them.

use serde::{Deserialize, Serialize};

use crate::core::Usage;

/// Currency a price is quoted in; costs are never converted between currencies.
#[allow(clippy::upper_case_acronyms, reason = "ISO 4217 codes, as written in bench.toml")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Currency {
    /// US dollars.
    #[default]
    USD,
    /// Chinese yuan (renminbi).
    CNY,
}

impl Currency {
    /// The ISO code used in tables and summary.json.
    pub fn code(self) -> &'static str {
        match self {
            Currency::USD => "USD",
            Currency::CNY => "CNY",
        }
    }
}

/// Per-million-token prices, as written in bench.toml.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Price {
    /// Uncached input.
    pub input: f64,
    /// Output, reasoning included.
    pub output: f64,
    /// Input read from the prompt cache; the input price when absent.
    pub cache_read: Option<f64>,
    /// Input written to the prompt cache; the input price when absent.
    pub cache_write: Option<f64>,
    /// Currency of all the figures above.
    #[serde(default)]
    pub currency: Currency,
    /// When this price applied (free text, shown by `bench providers list`).
    pub as_of: Option<String>,
    /// Prices that depend on the request's total input length, in ascending `up_to` order; a request
    /// longer than the last tier is billed at the last tier.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<PriceTier>,
}

/// One input-length tier of a tiered price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceTier {
    /// Largest total input (tokens) this tier covers.
    pub up_to: u64,
    /// Uncached input.
    pub input: f64,
    /// Output, reasoning included.
    pub output: f64,
    /// Cache reads; the tier's input price when absent.
    pub cache_read: Option<f64>,
    /// Cache writes; the tier's input price when absent.
    pub cache_write: Option<f64>,
}

impl Price {
    /// Cost of one answer with this usage, in this price's currency.
    pub fn cost(&self, usage: &Usage) -> f64 {
        let total_input = usage.total_input();
        let (input, output, cache_read, cache_write) =
            match self.tiers.iter().find(|t| total_input <= t.up_to).or(self.tiers.last()) {
                Some(t) => (t.input, t.output, t.cache_read, t.cache_write),
                None => (self.input, self.output, self.cache_read, self.cache_write),
            };
        let per_token = |n: u64, price: f64| n as f64 * price / 1_000_000.0;
        per_token(usage.input, input)
            + per_token(usage.cache_read, cache_read.unwrap_or(input))
            + per_token(usage.cache_write, cache_write.unwrap_or(input))
            + per_token(usage.output, output)
    }

    /// Check the figures a user wrote: no negative prices, tiers ascending.
    pub fn validate(&self) -> Result<(), String> {
        let figures = [Some(self.input), Some(self.output), self.cache_read, self.cache_write];
        let tier_figures =
            self.tiers.iter().flat_map(|t| [Some(t.input), Some(t.output), t.cache_read, t.cache_write]);
        if figures.into_iter().chain(tier_figures).flatten().any(|p| !(p >= 0.0 && p.is_finite())) {
            return Err("prices must be finite numbers >= 0 (per million tokens)".into());
        }
        if self.tiers.windows(2).any(|w| w[0].up_to >= w[1].up_to) {
            return Err("price tiers must be in ascending `up_to` order".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat() -> Price {
        Price {
            input: 3.0,
            output: 15.0,
            cache_read: Some(0.3),
            cache_write: Some(3.75),
            currency: Currency::USD,
            as_of: None,
            tiers: vec![],
        }
    }

    #[test]
    fn bills_cache_at_cache_prices_and_reasoning_as_output() {
        let usage = Usage {
            input: 1_000_000,
            output: 2_000_000,
            cache_read: 1_000_000,
            cache_write: 1_000_000,
            reasoning: 1_500_000,
        };
        // 3 + 30 + 0.3 + 3.75; reasoning is inside output and is not billed twice.
        assert!((flat().cost(&usage) - 37.05).abs() < 1e-9);
    }

    #[test]
    fn missing_cache_prices_fall_back_to_input() {
        let price = Price { cache_read: None, cache_write: None, ..flat() };
        let usage = Usage { cache_read: 500_000, cache_write: 500_000, ..Usage::default() };
        assert!((price.cost(&usage) - 3.0).abs() < 1e-9);
    }

    #[test]
    fn tiers_follow_total_input_length() {
        let price = Price {
            tiers: vec![
                PriceTier { up_to: 32_000, input: 1.0, output: 5.0, cache_read: None, cache_write: None },
                PriceTier { up_to: 128_000, input: 2.0, output: 10.0, cache_read: None, cache_write: None },
            ],
            ..flat()
        };
        let short = Usage { input: 10_000, output: 1_000_000, ..Usage::default() };
        let long = Usage { input: 40_000, output: 1_000_000, ..Usage::default() };
        let longer_than_all = Usage { input: 500_000, output: 0, ..Usage::default() };
        assert!((price.cost(&short) - (0.01 + 5.0)).abs() < 1e-9);
        assert!((price.cost(&long) - (0.08 + 10.0)).abs() < 1e-9);
        assert!((price.cost(&longer_than_all) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn rejects_negative_and_unordered() {
        assert!(Price { input: -1.0, ..flat() }.validate().is_err());
        let unordered = Price {
            tiers: vec![
                PriceTier { up_to: 10, input: 1.0, output: 1.0, cache_read: None, cache_write: None },
                PriceTier { up_to: 5, input: 1.0, output: 1.0, cache_read: None, cache_write: None },
            ],
            ..flat()
        };
        assert!(unordered.validate().is_err());
        assert!(flat().validate().is_ok());
    }
}
