//! The seeded mutation generator end to end: the real binary writes the same repair suite twice,
//! refuses to write over it, and every task it writes is unresolved as it stands and resolved by its
//! own `fix.patch` when graded in the sandbox.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use bench::families::repair::mutate::{self, Verdict};
use bench::families::repair::patch::Edit;
use bench::families::repair::{RepairSpec, evaluate_edit, load_task_dir};
use bench::sandbox::{Limits, Sandbox};

use crate::{Workspace, stderr};

fn sandbox() -> Sandbox {
    Sandbox {
        launcher: PathBuf::from(env!("CARGO_BIN_EXE_bench")),
        limits: Limits::default(),
        allow_network: false,
    }
}

/// Every file under `root` by relative path, with its bytes.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                files.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

#[test]
fn generated_repair_tasks_are_deterministic_and_resolved_by_their_fix() {
    let ws = Workspace::new();
    let generate =
        |out: &str| ws.run(&["suites", "generate", "repair", "--seed", "1", "--n", "3", "--out", out]);
    let first = generate("first");
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(stderr(&first).contains("wrote 3 repair tasks (seed 1)"), "{}", stderr(&first));
    let second = generate("second");
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    let files = tree(&ws.path().join("first"));
    assert!(files == tree(&ws.path().join("second")), "the same seed writes byte-identical folders");

    let again = generate("first");
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("exists and is not empty"), "{}", stderr(&again));
    assert_eq!(tree(&ws.path().join("first")), files, "a refused run leaves the suite alone");
    let leftovers: Vec<_> = std::fs::read_dir(ws.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    let sandbox = sandbox();
    let mut names = Vec::new();
    for entry in std::fs::read_dir(ws.path().join("first")).unwrap().flatten() {
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    assert_eq!(names, ["mut-s1-0000", "mut-s1-0001", "mut-s1-0002"]);
    for name in &names {
        let dir = ws.path().join("first").join(name);
        assert!(!dir.join("repo/tests").exists() && dir.join("hidden/tests").is_dir(), "{name}");
        let task = load_task_dir(&dir, "fresh").unwrap();
        let spec: RepairSpec = serde_json::from_value(task.expected.clone()).unwrap();
        assert!(!spec.fail_to_pass.is_empty() && spec.pass_to_pass.len() > 10, "{name}");
        let untouched = evaluate_edit(&sandbox, &spec, None);
        assert!(!untouched.passed, "{name}: resolved without a fix");
        assert_eq!(untouched.detail["class"], "tests_failed", "{name}: {}", untouched.detail);
        let fix = Edit::Diff(std::fs::read_to_string(dir.join("fix.patch")).unwrap());
        let gold = evaluate_edit(&sandbox, &spec, Some(&fix));
        assert!(gold.passed, "{name}: the fix does not resolve it: {}", gold.detail);
        assert_eq!(gold.detail["rung"], "git_apply", "{name}");
    }
}

/// Tests every candidate site of the bundled project and prints how many its tests catch, per
/// operator: the figure to watch when editing `suites/mutation-base/`.
#[test]
#[ignore = "tests every candidate site (about a minute); run with --ignored --nocapture for the figures"]
fn most_candidate_sites_are_caught_by_the_tests() {
    let project = mutate::Project::bundled();
    let limits = Limits { wall: mutate::MUTANT_TIMEOUT, ..Limits::default() };
    let sandbox = Sandbox { limits, ..sandbox() };
    let baseline = mutate::baseline(&sandbox, &project).unwrap();
    let sites = project.sites();
    let mut per_operator: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    let started = std::time::Instant::now();
    for site in &sites {
        let counts = per_operator.entry(site.operator.name()).or_default();
        match mutate::test_site(&sandbox, &project, &baseline, site) {
            Verdict::Caught(_) => counts[0] += 1,
            Verdict::Survived => {
                counts[1] += 1;
                println!("survived: {}", site.key());
            }
            Verdict::Unusable(why) => {
                counts[2] += 1;
                println!("unusable: {} ({why})", site.key());
            }
        }
    }
    let caught: usize = per_operator.values().map(|c| c[0]).sum();
    for (name, [c, s, u]) in &per_operator {
        println!("{name:>20}: {c:>3} caught, {s:>3} survived, {u:>2} unusable");
    }
    println!(
        "{caught} of {} sites caught ({:.0}%) in {:?}",
        sites.len(),
        100.0 * caught as f64 / sites.len() as f64,
        started.elapsed()
    );
    assert!(caught * 10 >= sites.len() * 7, "the tests catch too few mutants: {caught} of {}", sites.len());
    assert!(started.elapsed() < Duration::from_secs(600));
}
