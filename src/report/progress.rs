//! Progress bars on stderr, one per provider: done/total, failures and spend so far. Hidden when
//! stderr is not a terminal, so logs and CI output stay clean.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::provider::ProviderError;
use crate::run::Observer;

/// One bar per provider, fed by the scheduler.
pub struct Progress {
    multi: MultiProgress,
    bars: Vec<Bar>,
}

struct Bar {
    bar: ProgressBar,
    failed: AtomicU64,
    attempt_errors: AtomicU64,
    /// Spend in micro-units of the provider's currency (atomics hold integers).
    spend_micros: AtomicU64,
    currency: &'static str,
}

impl Progress {
    /// Bars for providers given as (name, items to do, items already done, currency code).
    pub fn new(providers: &[(String, u64, u64, &'static str)], color: bool) -> Progress {
        let target = if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let multi = MultiProgress::with_draw_target(target);
        let width = providers.iter().map(|p| p.0.len()).max().unwrap_or(8);
        let template = if color {
            format!(
                "{{prefix:>{width}.bold}} [{{bar:30.cyan/blue}}] {{pos}}/{{len}} {{msg}} {{elapsed_precise}} eta {{eta}}"
            )
        } else {
            format!(
                "{{prefix:>{width}}} [{{bar:30}}] {{pos}}/{{len}} {{msg}} {{elapsed_precise}} eta {{eta}}"
            )
        };
        let style = ProgressStyle::with_template(&template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        let bars = providers
            .iter()
            .map(|(name, total, done, currency)| {
                let bar =
                    multi.add(ProgressBar::new(*total).with_style(style.clone()).with_prefix(name.clone()));
                bar.set_position(*done);
                bar.set_message("0 failed");
                Bar {
                    bar,
                    failed: AtomicU64::new(0),
                    attempt_errors: AtomicU64::new(0),
                    spend_micros: AtomicU64::new(0),
                    currency,
                }
            })
            .collect();
        Progress { multi, bars }
    }

    /// Remove the bars from the terminal.
    pub fn finish(&self) {
        for bar in &self.bars {
            bar.bar.finish_and_clear();
        }
        let _ = self.multi.clear();
    }

    /// Print a line above the bars (or plainly when they are hidden).
    pub fn println(&self, line: &str) {
        if self.multi.is_hidden() {
            eprintln!("{line}");
        } else {
            let _ = self.multi.println(line);
        }
    }
}

impl Bar {
    fn refresh(&self) {
        let spend = self.spend_micros.load(Ordering::Relaxed) as f64 / 1e6;
        self.bar.set_message(format!(
            "{} failed, {} attempt errors, {spend:.4} {}",
            self.failed.load(Ordering::Relaxed),
            self.attempt_errors.load(Ordering::Relaxed),
            self.currency
        ));
    }
}

impl Observer for Progress {
    fn item_done(&self, provider: usize, ok: bool, cost: f64) {
        if let Some(bar) = self.bars.get(provider) {
            if !ok {
                bar.failed.fetch_add(1, Ordering::Relaxed);
            }
            bar.spend_micros.fetch_add((cost * 1e6).round() as u64, Ordering::Relaxed);
            bar.bar.inc(1);
            bar.refresh();
        }
    }

    fn attempt_failed(&self, provider: usize, error: &ProviderError) {
        if let Some(bar) = self.bars.get(provider) {
            bar.attempt_errors.fetch_add(1, Ordering::Relaxed);
            bar.refresh();
            tracing::debug!(provider = provider, "attempt failed: {error}");
        }
    }
}
