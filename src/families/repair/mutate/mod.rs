//! Seeded mutation generator: fresh code-repair tasks derived from a bundled Python project
//! (`suites/mutation-base/`, embedded in the binary) by injecting one realistic bug that the
//! project's own tests catch.
//!
//! The candidate sites ([`operators::Site`]) are enumerated in a fixed order from the project's
//! modules. Task `index` of seed `seed` draws from its own ChaCha8 stream ([`Draw`], shared with
//! the math generator): first an operator among those with sites left, then one of its sites. The
//! mutant is tested in the sandbox; it is kept when at least one test fails (and the run neither
//! timed out nor broke the test collection), otherwise the task draws again. A site that failed
//! once, and every line an earlier task mutated, are never drawn again. The tests are
//! deterministic, so the same seed always yields the same tasks, and a smaller `n` is a prefix.
//!
//! Each kept mutant becomes a `repair:DIR` task folder ([`task`]): the mutated project without its
//! tests, the tests as hidden files, the reverse diff as `fix.patch`, and a `task.toml` whose issue
//! ([`issue`]) describes the symptom of the first failing test without revealing the change.

pub mod issue;
pub mod operators;
pub mod task;
pub mod tokens;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::time::Duration;

use super::grading::{Framework, TestStatus, parse_log};
pub use crate::families::draw::Draw;
use crate::sandbox::{Ending, Execution, Limits, Sandbox};
pub use operators::{Operator, Site};

/// How the bundled project's tests run, from its root.
pub const TEST_COMMAND: &str = "python3 -m unittest -v";

/// Wall-clock limit of one test run of a mutant (the unmutated tests take well under a second; a
/// mutant that loops forever is dropped when it runs into this).
pub const MUTANT_TIMEOUT: Duration = Duration::from_secs(20);

/// Draws a task may spend on sites its tests do not catch before the generator gives up.
const MAX_TRIES: usize = 200;

macro_rules! base_files {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../../../suites/mutation-base/", $path)))),*]
    };
}

/// The bundled project, `(path relative to its root, content)` sorted by path: embedded so the
/// generator works from an installed binary.
pub const BASE_PROJECT: &[(&str, &str)] = base_files![
    "README.md",
    "tests/__init__.py",
    "tests/test_billing.py",
    "tests/test_dates.py",
    "tests/test_durations.py",
    "tests/test_entries.py",
    "tests/test_money.py",
    "tests/test_report.py",
    "worklog/__init__.py",
    "worklog/billing.py",
    "worklog/dates.py",
    "worklog/durations.py",
    "worklog/entries.py",
    "worklog/money.py",
    "worklog/report.py",
];

/// Whether `path` (relative to the project root) is part of the tests, which become hidden files.
pub fn is_test_file(path: &str) -> bool {
    path.starts_with("tests/")
}

/// A Python project to mutate: its files by relative path, sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// `(relative path, content)`, sorted by path.
    pub files: Vec<(String, String)>,
}

impl Project {
    /// The project embedded in the binary.
    pub fn bundled() -> Project {
        let mut files: Vec<(String, String)> =
            BASE_PROJECT.iter().map(|(p, c)| (p.to_string(), c.to_string())).collect();
        files.sort();
        Project { files }
    }

    /// The content of `path`.
    pub fn file(&self, path: &str) -> Option<&str> {
        self.files.iter().find(|(p, _)| p == path).map(|(_, c)| c.as_str())
    }

    /// Every candidate site, module by module in path order, in source order within a module.
    pub fn sites(&self) -> Vec<Site> {
        self.files
            .iter()
            .filter(|(path, _)| path.ends_with(".py") && !is_test_file(path))
            .flat_map(|(path, source)| operators::sites_in(path, source))
            .collect()
    }

    /// The project's files with `site` applied (all of them, tests included).
    pub fn mutated(&self, site: &Site) -> Vec<(String, String)> {
        self.files
            .iter()
            .map(|(path, source)| {
                let text =
                    if *path == site.file { operators::apply(source, &site.changes) } else { source.clone() };
                (path.clone(), text)
            })
            .collect()
    }
}

/// The tests a mutant breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caught {
    /// Tests that fail or error under the mutant, sorted.
    pub failing: Vec<String>,
    /// Tests that still pass, sorted.
    pub passing: Vec<String>,
    /// The test log (for the failure messages).
    pub output: String,
}

/// What testing one mutant found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// At least one test failed: the mutant makes a task.
    Caught(Caught),
    /// Every test passed: the tests do not see this bug.
    Survived,
    /// No usable result (a time-out, a sandbox limit, tests that did not run): dropped.
    Unusable(String),
}

/// Each test's status under its canonical id (`tests.test_a.TestA.test_b`); the parser also
/// records the `test_b (tests.test_a.TestA)` forms, which tasks do not list.
fn canonical_statuses(log: &str) -> BTreeMap<String, TestStatus> {
    let mut statuses = parse_log(Framework::Unittest, log);
    statuses.retain(|id, _| !id.contains(char::is_whitespace));
    statuses
}

/// Reads a mutant's test run against the baseline's test ids.
pub fn verdict(baseline: &[String], run: &Execution) -> Verdict {
    if run.ending == Ending::TimedOut {
        return Verdict::Unusable("timed out".into());
    }
    if let Some(limit) = run.limit {
        return Verdict::Unusable(format!("hit the sandbox's {limit:?} limit"));
    }
    let statuses = canonical_statuses(&run.output);
    if !statuses.keys().eq(baseline.iter()) {
        return Verdict::Unusable("not every test ran (the mutant breaks an import?)".into());
    }
    let (failing, passing): (Vec<_>, Vec<_>) =
        statuses.iter().partition(|(_, s)| matches!(s, TestStatus::Failed | TestStatus::Error));
    if failing.is_empty() {
        return if run.succeeded() {
            Verdict::Survived
        } else {
            Verdict::Unusable(format!("the run failed ({:?}) with every test passing", run.ending))
        };
    }
    if passing.iter().any(|(_, s)| **s != TestStatus::Passed) {
        return Verdict::Unusable("a test was skipped".into());
    }
    Verdict::Caught(Caught {
        failing: failing.into_iter().map(|(id, _)| id.clone()).collect(),
        passing: passing.into_iter().map(|(id, _)| id.clone()).collect(),
        output: run.output.clone(),
    })
}

/// Writes `files` into a fresh temporary folder and runs the tests there in `sandbox`.
pub fn run_tests(sandbox: &Sandbox, files: &[(String, String)]) -> Result<Execution, String> {
    let dir = tempfile::Builder::new()
        .prefix("bench-mutant-")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary folder: {e}"))?;
    for (path, content) in files {
        let target = dir.path().join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&target, content).map_err(|e| format!("{}: {e}", target.display()))?;
    }
    sandbox.run(dir.path(), TEST_COMMAND).map_err(|e| format!("cannot run the tests: {e}"))
}

/// Runs the unmutated project's tests; returns their ids (sorted) when every one passes.
pub fn baseline(sandbox: &Sandbox, project: &Project) -> Result<Vec<String>, String> {
    let run = run_tests(sandbox, &project.files)?;
    let statuses = canonical_statuses(&run.output);
    if !run.succeeded() || statuses.is_empty() || statuses.values().any(|s| *s != TestStatus::Passed) {
        let tail_start = run.output.char_indices().rev().nth(1999).map_or(0, |(i, _)| i);
        return Err(format!(
            "the base project's tests do not pass unmutated (`{TEST_COMMAND}` ended {:?}; is python3 on PATH?):\n{}",
            run.ending,
            &run.output[tail_start..]
        ));
    }
    Ok(statuses.into_keys().collect())
}

/// Tests the mutant of `site`.
pub fn test_site(sandbox: &Sandbox, project: &Project, baseline: &[String], site: &Site) -> Verdict {
    match run_tests(sandbox, &project.mutated(site)) {
        Ok(run) => verdict(baseline, &run),
        Err(e) => Verdict::Unusable(e),
    }
}

/// Counts for the progress display.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Mutants tested so far.
    pub tested: usize,
    /// Tasks kept so far.
    pub kept: usize,
}

/// A site chosen for a task, with the tests it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picked {
    /// The task's index in the batch.
    pub index: u64,
    /// The mutation.
    pub site: Site,
    /// What the tests said.
    pub caught: Caught,
}

/// Chooses `n` sites for `seed` (see the module docs), testing candidates with `test`, which must
/// be deterministic for the result to be. `progress` hears after every test.
pub fn pick_sites(
    seed: u64,
    n: usize,
    sites: &[Site],
    mut test: impl FnMut(&Site) -> Verdict,
    mut progress: impl FnMut(Tally),
) -> Result<Vec<Picked>, String> {
    let mut used_lines: HashSet<(&str, usize)> = HashSet::new();
    let mut rejected: HashSet<usize> = HashSet::new();
    let mut picked = Vec::with_capacity(n);
    let mut tally = Tally::default();
    for index in 0..n as u64 {
        let mut draw = Draw::for_task(seed, index);
        let mut found = None;
        for _ in 0..MAX_TRIES {
            let free = |i: &usize| {
                let site = &sites[*i];
                !rejected.contains(i)
                    && !site.changes.iter().any(|c| used_lines.contains(&(&*site.file, c.line)))
            };
            let groups: Vec<Vec<usize>> = Operator::ALL
                .iter()
                .map(|op| (0..sites.len()).filter(|i| sites[*i].operator == *op).filter(free).collect())
                .filter(|g: &Vec<usize>| !g.is_empty())
                .collect();
            let Some(group) = weighted_group(&mut draw, &groups) else { break };
            let i = draw.pick(group);
            tally.tested += 1;
            let verdict = test(&sites[i]);
            progress(tally);
            match verdict {
                Verdict::Caught(caught) => {
                    found = Some((i, caught));
                    break;
                }
                Verdict::Survived | Verdict::Unusable(_) => {
                    rejected.insert(i);
                }
            }
        }
        let Some((i, caught)) = found else {
            return Err(format!(
                "the base project has no more sites its tests catch (each line is used once): {} of {n} tasks \
                 generated for seed {seed} ({} mutants tested); ask for fewer with --n",
                picked.len(),
                tally.tested
            ));
        };
        let site = &sites[i];
        used_lines.extend(site.changes.iter().map(|c| (&*site.file, c.line)));
        picked.push(Picked { index, site: site.clone(), caught });
        tally.kept += 1;
        progress(tally);
    }
    Ok(picked)
}

/// One of the non-empty `groups` (the free sites of each operator), weighted by the square root of
/// its size: common kinds of bug (off-by-one) come up more often than rare ones (a flipped
/// constant) without drowning them. Integer arithmetic only, so every platform draws the same.
fn weighted_group<'g>(draw: &mut Draw, groups: &'g [Vec<usize>]) -> Option<&'g [usize]> {
    let weights: Vec<u64> = groups.iter().map(|g| (g.len() as u64 * 100).isqrt()).collect();
    let mut r = draw.below(weights.iter().sum());
    for (group, weight) in groups.iter().zip(weights) {
        if r < weight {
            return Some(group);
        }
        r -= weight;
    }
    None
}

/// A generated batch: the task folders and how much testing it took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// One folder per task, in index order.
    pub tasks: Vec<task::TaskFolder>,
    /// Mutants tested.
    pub tested: usize,
    /// Candidate sites in the project.
    pub candidates: usize,
}

/// Generates `n` tasks for `seed` from the bundled project, testing mutants in `sandbox`.
pub fn generate(
    sandbox: &Sandbox,
    seed: u64,
    n: usize,
    progress: impl FnMut(Tally),
) -> Result<Generated, String> {
    let project = Project::bundled();
    let ids = baseline(sandbox, &project)?;
    let sites = project.sites();
    let limits = Limits { wall: MUTANT_TIMEOUT, cpu_s: MUTANT_TIMEOUT.as_secs(), ..sandbox.limits };
    let mutant_sandbox = Sandbox { limits, ..sandbox.clone() };
    let mut tested = 0;
    let picked = pick_sites(
        seed,
        n,
        &sites,
        |site| {
            tested += 1;
            test_site(&mutant_sandbox, &project, &ids, site)
        },
        progress,
    )?;
    let tasks = picked.iter().map(|p| task::task_folder(&project, seed, p)).collect();
    Ok(Generated { tasks, tested, candidates: sites.len() })
}

/// Refuses an output folder that exists and is not empty, before any time is spent on testing.
pub fn check_out_dir(out: &Path) -> Result<(), String> {
    match std::fs::read_dir(out).map(|mut entries| entries.next().is_none()) {
        Ok(false) => Err(format!(
            "{} exists and is not empty; name a new folder (generated suites are never merged or overwritten)",
            out.display()
        )),
        Ok(true) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(_) if out.exists() => Err(format!("{} exists and is not a folder", out.display())),
        Err(e) => Err(format!("{}: {e}", out.display())),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
