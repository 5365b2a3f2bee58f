//! `bench completions SHELL`: the shell's completion script for every command and flag, on stdout.

use clap::CommandFactory;

use crate::app::Cli;
use crate::app::errors::{EXIT_OK, Result};
use crate::app::print_stdout;

/// Print the completion script for `shell`.
pub fn print(shell: clap_complete::Shell) -> Result {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut visible_command(), "bench", &mut script);
    print_stdout(&String::from_utf8_lossy(&script))?;
    Ok(EXIT_OK)
}

/// The command line without its hidden subcommands, which clap_complete's scripts would offer.
fn visible_command() -> clap::Command {
    let full = Cli::command();
    let mut visible = clap::Command::new("bench")
        .version(env!("CARGO_PKG_VERSION"))
        .args(full.get_arguments().cloned())
        .subcommands(full.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
    if let Some(about) = full.get_about() {
        visible = visible.about(about.clone());
    }
    visible
}
