//! Progress bars on stderr, one per provider: done/total, failures and spend so far. Hidden when
//! stderr is not a terminal, so logs and CI output stay clean.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::run::{RunEvent, Sink, SinkClosed};

/// One bar per provider, fed by the scheduler.
pub struct Progress {
    multi: MultiProgress,
    bars: Vec<Bar>,
}

struct Bar {
    name: String,
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
                    name: name.clone(),
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
        if let Err(e) = self.multi.clear() {
            tracing::debug!("cannot clear the progress bars: {e}");
        }
    }

    /// Print a line above the bars (or plainly when they are hidden).
    pub fn println(&self, line: &str) {
        if self.multi.is_hidden() {
            eprintln!("{line}");
        } else {
            if self.multi.println(line).is_err() {
                eprintln!("{line}");
            }
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

impl Progress {
    fn bar(&self, provider: &str) -> Option<&Bar> {
        self.bars.iter().find(|b| b.name == provider)
    }
}

impl Sink for Progress {
    fn event(&self, event: &RunEvent) -> Result<(), SinkClosed> {
        match event {
            RunEvent::Attempt(a) => {
                if let (Some(error), Some(bar)) = (&a.error, self.bar(&a.key.provider)) {
                    bar.attempt_errors.fetch_add(1, Ordering::Relaxed);
                    bar.refresh();
                    tracing::debug!(provider = %a.key.provider, "attempt failed: {error}");
                }
            }
            RunEvent::Result(r) => {
                if let Some(bar) = self.bar(&r.key.provider) {
                    if r.outcome.is_err() {
                        bar.failed.fetch_add(1, Ordering::Relaxed);
                    }
                    let spent = if r.from_cache { 0.0 } else { r.cost };
                    bar.spend_micros.fetch_add((spent * 1e6).round() as u64, Ordering::Relaxed);
                    bar.bar.inc(1);
                    bar.refresh();
                }
            }
            RunEvent::Score(..) | RunEvent::Stopped(_) | RunEvent::Turn(_) => {}
        }
        Ok(())
    }
}
