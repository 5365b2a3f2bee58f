//! `bench run`: `bench compare` for a series, answered afresh, with the drift canary on request.

use super::compare::{Flavour, launch_and_report};
use crate::app::RunArgs;
use crate::app::errors::Result;

/// Run the command; returns the exit code.
pub fn run(args: RunArgs) -> Result {
    launch_and_report(args.run, &Flavour { name: "run", fresh: true, canary: args.canary })
}
