//! The `bench` binary: parse the command line, set up logging, run, exit with the command's code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = bench::app::Cli::parse();
    bench::app::init_logging(cli.verbose);
    std::process::ExitCode::from(bench::app::run(cli))
}
