//! Where a repair task's repository comes from, and how an evaluation gets its own copy of it: a
//! folder is copied; a git repository is cloned at the task's commit (SWE-bench `base_commit`)
//! without touching the original checkout.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::{Deserialize, Serialize};

use crate::sandbox::WorkDir;

/// A repository snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// A folder, taken as it is.
    Dir {
        /// The folder.
        path: PathBuf,
    },
    /// A local git repository at a commit.
    Git {
        /// The checkout (its working tree is never read or changed; only its objects are).
        repo: PathBuf,
        /// The commit the task starts from.
        commit: String,
    },
}

/// `path` made absolute, so a run resumed from another folder still finds its repositories.
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

impl Source {
    /// A folder snapshot.
    pub fn dir(path: &Path) -> Source {
        Source::Dir { path: absolute(path) }
    }

    /// A git snapshot: `repo` at `commit`.
    pub fn git(repo: &Path, commit: &str) -> Source {
        Source::Git { repo: absolute(repo), commit: commit.trim().to_string() }
    }

    /// A fresh temporary copy of the snapshot for one evaluation. A git source becomes a shared
    /// clone (it borrows the original's objects, so it is fast and small) checked out at the commit.
    pub fn materialize(&self) -> Result<WorkDir, String> {
        match self {
            Source::Dir { path } => {
                WorkDir::copy_of(path).map_err(|e| format!("cannot copy {}: {e}", path.display()))
            }
            Source::Git { repo, commit } => {
                let work = WorkDir::empty().map_err(|e| format!("cannot make a work folder: {e}"))?;
                git(repo, &["clone", "--quiet", "--shared", "--no-checkout", "."])
                    .arg(work.path())
                    .output()
                    .map_err(|e| format!("cannot run git: {e}"))
                    .and_then(|out| check(&out, "git clone"))?;
                let out = git(work.path(), &["-c", "advice.detachedHead=false", "checkout", "--quiet"])
                    .arg(commit)
                    .output()
                    .map_err(|e| format!("cannot run git: {e}"))?;
                check(&out, &format!("git checkout {commit}"))?;
                Ok(work)
            }
        }
    }

    /// A file of the snapshot (`None` when the snapshot has no such file).
    pub fn read(&self, rel: &str) -> Option<Vec<u8>> {
        match self {
            Source::Dir { path } => std::fs::read(path.join(rel)).ok(),
            Source::Git { repo, commit } => {
                let out = git(repo, &["cat-file", "blob"]).arg(format!("{commit}:{rel}")).output().ok()?;
                out.status.success().then_some(out.stdout)
            }
        }
    }

    /// Whether the snapshot can be had: the folder exists, or the repository has the commit.
    pub fn check(&self) -> Result<(), String> {
        match self {
            Source::Dir { path } if path.is_dir() => Ok(()),
            Source::Dir { path } => Err(format!("{}: no such folder", path.display())),
            Source::Git { repo, commit } => {
                let out = git(repo, &["cat-file", "-e"])
                    .arg(format!("{commit}^{{commit}}"))
                    .output()
                    .map_err(|e| format!("cannot run git: {e}"))?;
                if out.status.success() {
                    Ok(())
                } else {
                    Err(format!(
                        "{}: commit {commit} is not in this repository (git fetch it, or clone with full history)",
                        repo.display()
                    ))
                }
            }
        }
    }
}

fn git(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(dir).args(args).env("GIT_TERMINAL_PROMPT", "0");
    cmd
}

fn check(out: &std::process::Output, what: &str) -> Result<(), String> {
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    Err(format!("{what} failed: {}", stderr.lines().take(3).collect::<Vec<_>>().join(" / ")))
}
