//! Cost of the code-repair sandbox: per-evaluation overhead (copy, confinement, kill, clean-up)
//! beyond the command's own run time, evaluations per second with every core busy, and the cost of
//! a fresh copy of a mid-size repository (2,000 files) as a folder and as a git commit (SWE-bench).
//!
//!     cargo bench --bench sandbox

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use bench::families::repair::Source;
use bench::sandbox::{Limits, Sandbox, WorkDir};
use rayon::prelude::*;

const RUNS: usize = 40;

fn mean(d: &[Duration]) -> f64 {
    d.iter().map(Duration::as_secs_f64).sum::<f64>() / d.len() as f64
}

fn main() {
    let repo = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(repo.path().join("tests")).expect("mkdir");
    std::fs::write(repo.path().join("calc.py"), "def add(a, b):\n    return a + b\n").expect("write");
    std::fs::write(repo.path().join("tests/__init__.py"), "").expect("write");
    std::fs::write(
        repo.path().join("tests/test_calc.py"),
        "import unittest\nimport calc\n\nclass T(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(calc.add(2, 3), 5)\n",
    )
    .expect("write");
    let sandbox = Sandbox {
        launcher: PathBuf::from(env!("CARGO_BIN_EXE_bench")),
        limits: Limits::default(),
        allow_network: false,
    };
    let command = "python3 -m unittest -q";

    // The command alone: a plain spawn in the original folder.
    let bare: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            let status =
                Command::new("sh").args(["-c", command]).current_dir(repo.path()).output().expect("spawn");
            assert!(status.status.success());
            t.elapsed()
        })
        .collect();
    // The same command as an evaluation: fresh copy, confined run, kill sweep, removal.
    let evaluate = || {
        let t = Instant::now();
        let work = WorkDir::copy_of(repo.path()).expect("copy");
        let run = sandbox.run(work.path(), command).expect("run");
        assert!(run.succeeded(), "{}", run.output);
        drop(work);
        t.elapsed()
    };
    let boxed: Vec<Duration> = (0..RUNS).map(|_| evaluate()).collect();
    let (bare_s, boxed_s) = (mean(&bare), mean(&boxed));
    println!("command alone        {:>8.1} ms", bare_s * 1e3);
    println!("sandboxed evaluation {:>8.1} ms", boxed_s * 1e3);
    println!(
        "overhead             {:>8.1} ms per evaluation ({:.2}x)",
        (boxed_s - bare_s) * 1e3,
        boxed_s / bare_s
    );

    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let t = Instant::now();
    (0..RUNS * 2).into_par_iter().for_each(|_| {
        evaluate();
    });
    let parallel = (RUNS * 2) as f64 / t.elapsed().as_secs_f64();
    println!(
        "throughput           {parallel:>8.1} evaluations/s on {cores} cores ({:.2}x one at a time)",
        parallel * boxed_s
    );

    snapshot_copies();
}

/// A fresh copy of a 2,000-file repository (8 MB), as a folder and as a shared git clone at a commit.
fn snapshot_copies() {
    let repo = tempfile::tempdir().expect("temp dir");
    let line = "def f(x):\n    return x + 1  # some ordinary code to fill a line or two of text\n";
    for d in 0..40 {
        let dir = repo.path().join(format!("pkg{d}"));
        std::fs::create_dir_all(&dir).expect("mkdir");
        for f in 0..50 {
            std::fs::write(dir.join(format!("m{f}.py")), line.repeat(50)).expect("write");
        }
    }
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .arg("-C")
            .arg(repo.path())
            .args(["-c", "user.name=b", "-c", "user.email=b@example.com"])
            .args(args)
            .output()
            .expect("git")
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "base"]);
    let head =
        Command::new("git").arg("-C").arg(repo.path()).args(["rev-parse", "HEAD"]).output().expect("git");
    let commit = String::from_utf8_lossy(&head.stdout).trim().to_string();
    let time = |source: &Source| {
        let runs: Vec<Duration> = (0..10)
            .map(|_| {
                let t = Instant::now();
                drop(source.materialize().expect("copy"));
                t.elapsed()
            })
            .collect();
        mean(&runs) * 1e3
    };
    let folder = time(&Source::dir(repo.path()));
    let clone = time(&Source::git(repo.path(), &commit));
    println!("2,000-file repository: folder copy {folder:.1} ms, git clone at a commit {clone:.1} ms");
}
