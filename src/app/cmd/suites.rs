//! `bench suites list` (what ships in the binary and which families read files),
//! `bench suites generate math` (a fresh, seeded math suite that no model can have seen),
//! `bench suites generate repair` (fresh code-repair tasks: seeded bugs in a bundled project),
//! `bench suites generate tools` (fresh tool-use tasks with their reference solutions),
//! `bench suites generate long-context` (a grid of long-context tasks) and
//! `bench suites export tools` (those solutions as replay lines).

use std::path::Path;

use comfy_table::Cell;

use crate::app::errors::{EXIT_OK, Error, Result};
use crate::app::print_stdout;
use crate::app::{listing_layout, write_atomically};
use crate::families::{self, BUNDLED, BUNDLED_DIRS, bundled};
use crate::report::layout;

/// Print the bundled suites and the family names usable as `FAMILY:PATH`.
pub fn list() -> Result {
    let columns = layout::always_shown(&["suite", "family", "tasks", "description"]);
    let row = |name: &str, family: &str, tasks: usize, description: &str| -> Vec<Cell> {
        vec![Cell::new(name), Cell::new(family), Cell::new(tasks), Cell::new(description)]
    };
    let mut rows = Vec::new();
    let registry = families::Registry::default();
    for (name, family, text, description) in BUNDLED {
        // A grid (long-context) holds more tasks than lines: count what loads.
        let loaded = families::SuiteSpec::parse(name).ok().and_then(|spec| registry.load(&spec).ok());
        let tasks = loaded.map_or_else(|| text.lines().filter(|l| !l.trim().is_empty()).count(), |t| t.len());
        rows.push(row(name, family, tasks, description));
    }
    for (name, family, files, description) in BUNDLED_DIRS {
        rows.push(row(name, family, bundled::dir_task_count(files), description));
    }
    let layout = listing_layout(&std::io::stdout(), false);
    print_stdout(&format!("{}\n", layout::fit(&columns, rows, layout).table))?;
    let notes = format!(
        "Families for FAMILY:PATH suites: {}\n\
         Run a bundled suite by name, e.g. `bench compare claude kimi --suite quick`.\n\
         Generators for fresh suites: `bench suites generate math` (math:FILE), \
         `bench suites generate repair` (repair:DIR, bugs injected into a bundled Python project), \
         `bench suites generate tools` (tools:FILE, multi-step tool use) and \
         `bench suites generate long-context` (long-context:FILE, haystacks of your own files).",
        families::names().join(", ")
    );
    print_stdout(&format!("{}\n", layout::wrap_text(&notes, layout.width())))?;
    Ok(EXIT_OK)
}

/// Generate `n` code-repair tasks for `seed` into the new folder `out`, with a progress bar on
/// stderr while the mutants are tested.
pub fn generate_repair(seed: u64, n: usize, out: &Path) -> Result {
    use std::io::IsTerminal;

    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

    use crate::families::repair::mutate;
    use crate::sandbox::{Limits, Sandbox};

    mutate::check_out_dir(out).map_err(Error::usage)?;
    let sandbox = Sandbox::new(Limits::default()).map_err(|e| Error::usage(format!("no sandbox: {e}")))?;
    let target = if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(Some(n as u64), target);
    let style =
        ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} tasks, {msg} {elapsed_precise}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
    bar.set_style(style);
    bar.set_prefix("mutants");
    bar.set_message("0 mutants tested");
    let generated = mutate::generate(&sandbox, seed, n, |tally| {
        bar.set_position(tally.kept as u64);
        bar.set_message(format!("{} mutants tested", tally.tested));
    });
    bar.finish_and_clear();
    let generated = generated.map_err(Error::usage)?;
    mutate::task::write_suite(out, &generated.tasks).map_err(Error::usage)?;
    eprintln!(
        "wrote {n} repair tasks (seed {seed}) to {}: {} mutants tested, {} candidate sites; run them with \
         `bench compare PROVIDER... --suite repair:{}`",
        out.display(),
        generated.tested,
        generated.candidates,
        out.display()
    );
    Ok(EXIT_OK)
}

/// Write `n` generated math problems for `seed` as JSONL to `out`, or to stdout when `None`; an
/// existing `out` is replaced only with `force`.
pub fn generate_math(seed: u64, n: usize, out: Option<&Path>, force: bool) -> Result {
    use families::math::generate::write_jsonl;
    let written = emit(out, force, &|mut w| write_jsonl(seed, n, &mut w))?;
    if let Some(path) = written {
        eprintln!("wrote {n} problems (seed {seed}) to {}", path.display());
    }
    Ok(EXIT_OK)
}

/// Write `n` generated tool-use tasks for `seed` as JSONL to `out`, or to stdout when `None`; an
/// existing `out` is replaced only with `force`.
pub fn generate_tools(seed: u64, n: usize, out: Option<&Path>, force: bool) -> Result {
    use families::tools::generate::write_jsonl;
    let written = emit(out, force, &|mut w| write_jsonl(seed, n, &mut w))?;
    if let Some(path) = written {
        eprintln!(
            "wrote {n} tool-use tasks (seed {seed}) to {}; run them with `bench compare PROVIDER... --suite tools:{}`",
            path.display(),
            path.display()
        );
    }
    Ok(EXIT_OK)
}

/// Write the long-context tasks of `grid` as JSONL to `out`, or to stdout when `None` (replacing `out`
/// only with `force`); with `haystack`, over those files, named relative to `out`'s folder.
pub fn generate_long_context(
    mut grid: families::context::generate::Grid,
    haystack: &[std::path::PathBuf],
    out: Option<&Path>,
    force: bool,
) -> Result {
    use families::context::generate::haystack_ref;
    grid.check().map_err(Error::usage)?;
    if let Some(path) = out
        && !force
        && path.exists()
    {
        return Err(Error::usage(format!(
            "{} exists; pass --force to replace it, or choose another --out",
            path.display()
        )));
    }
    if !haystack.is_empty() {
        let suite_dir =
            out.map(|p| p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")));
        grid.haystack =
            Some(haystack_ref(haystack, suite_dir).map_err(|e| Error::usage(format!("--haystack: {e}")))?);
    }
    let written = emit(out, force, &|mut w| grid.write_jsonl(&mut w))?;
    if let Some(path) = written {
        eprintln!(
            "wrote {} long-context tasks (seed {}) to {}; run them with `bench compare PROVIDER... --suite long-context:{}`",
            grid.lines().len(),
            grid.seed,
            path.display(),
            path.display()
        );
    }
    Ok(EXIT_OK)
}

/// Write the reference solutions of the tool-use suite `suite` (the bundled `tools`, `tools:FILE`
/// or a plain task file) as multi-turn replay lines to `path`, replaced only with `force`.
pub fn export_tools(suite: &str, path: &Path, force: bool) -> Result {
    let mut spec = families::SuiteSpec::parse(suite)?;
    // A plain file name is a tools task file here, not the team's own prompts.
    if spec.family == families::custom::NAME && spec.bundled.is_none() && !suite.contains(':') {
        spec.family = families::tools::NAME.into();
    }
    if spec.family != families::tools::NAME {
        return Err(Error::usage(format!(
            "`{suite}` is a {} suite; export its solutions from the bundled `tools` suite or a tools:FILE task file",
            spec.family
        )));
    }
    if !force && path.exists() {
        return Err(Error::usage(format!(
            "{} exists; pass --force to replace it, or choose another file",
            path.display()
        )));
    }
    let mut lines = Vec::new();
    let n = families::tools::write_solutions(&spec, &mut lines)?;
    write_atomically(path, |w| std::io::Write::write_all(w, &lines))
        .map_err(|e| Error::usage(format!("cannot write {}: {e}", path.display())))?;
    eprintln!(
        "wrote the reference solutions of {n} tasks of `{}` to {} as multi-turn replay lines",
        spec.name,
        path.display()
    );
    Ok(EXIT_OK)
}

/// Run `fill` on `out` (written atomically, and replaced only with `force`) or on stdout when
/// `None`; the path written, if any. A reader of stdout that goes away early is not an error.
fn emit<'a>(
    out: Option<&'a Path>,
    force: bool,
    fill: &dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<Option<&'a Path>> {
    match out {
        None => {
            let stdout = std::io::stdout();
            let mut writer = std::io::BufWriter::new(stdout.lock());
            match fill(&mut writer) {
                Ok(()) => Ok(None),
                // `bench suites generate math | head` is fine: the reader had enough.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(None),
                Err(e) => Err(Error::usage(format!("cannot write to stdout: {e}"))),
            }
        }
        Some(path) if !force && path.exists() => Err(Error::usage(format!(
            "{} exists; pass --force to replace it, or choose another --out",
            path.display()
        ))),
        Some(path) => {
            write_atomically(path, |w| fill(w))
                .map_err(|e| Error::usage(format!("cannot write {}: {e}", path.display())))?;
            Ok(Some(path))
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn atomic_write_replaces_the_file_and_leaves_no_temp_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("math.jsonl");
        std::fs::write(&path, "old").unwrap();
        write_atomically(&path, |w| w.write_all(b"new\n")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        let failed = write_atomically(&path, |_| Err(std::io::Error::other("disk full")));
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n", "a failed write keeps the old file");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn writing_into_a_missing_folder_is_a_usage_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no/such/dir/math.jsonl");
        let failure = generate_math(1, 3, Some(&path), false).unwrap_err();
        assert_eq!(failure.process_exit_code(), crate::app::EXIT_USAGE);
        let message = failure.to_string();
        assert!(message.contains("cannot write") && message.contains("math.jsonl"), "{message}");
    }
}
