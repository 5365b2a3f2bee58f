//! Suites shipped inside the binary, so `--suite quick`, `--suite math`, `--suite tools`,
//! `--suite long-context` and `--suite repair` work from an installed `bench` with nothing else on
//! disk.
//!
//! JSONL suites are read straight from the binary. A folder suite (code repair needs real files to
//! copy, patch and test) is unpacked once into the cache folder, under a name that carries a hash of
//! its content, so a newer binary never reuses an older copy and a resumed run finds the same paths.

use std::path::PathBuf;

use include_dir::{Dir, include_dir};
use sha2::{Digest, Sha256};

use super::{SuiteError, context, custom, repair, tools};

/// JSONL suites: (name, family, JSONL text, what it is for). The `long-context` suite's text is the
/// grid its family expands when it loads.
pub const BUNDLED: &[(&str, &str, &str, &str)] = &[
    (
        "quick",
        custom::NAME,
        include_str!("../../suites/quick.jsonl"),
        "ten short questions a small local model can answer in seconds",
    ),
    (
        "math",
        "math",
        include_str!("../../suites/math.jsonl"),
        "200 fresh problems from the seeded generator (seed 2026): word problems levels 1-5 and symbolic items",
    ),
    (
        "tools",
        tools::NAME,
        include_str!("../../suites/tools.jsonl"),
        "60 multi-step tool-use tasks (seed 2026): 20 each in business data, a project workspace and a support desk",
    ),
    (
        context::NAME,
        context::NAME,
        context::generate::BUNDLED_GRID,
        "retrieval over 4k-128k tokens at 5 depths, 9 kinds (needles, variable tracking, aggregation, \
         non-literal, code, absent), built when sent (seed 2026); --max-context 1m extends it",
    ),
];

static REPAIR: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/suites/repair");

/// Folder suites: (name, family, files, what it is for).
pub const BUNDLED_DIRS: &[(&str, &str, &Dir<'static>, &str)] = &[(
    "repair",
    repair::NAME,
    &REPAIR,
    "32 hand-written Python projects with a real-world bug, an issue text and hidden tests",
)];

/// The number of tasks in a folder suite (sub-folders with a `task.toml`).
pub fn dir_task_count(dir: &Dir<'_>) -> usize {
    dir.dirs().filter(|d| d.get_file(d.path().join("task.toml")).is_some()).count()
}

/// The folder suite `name` on disk: unpacked into `${XDG_CACHE_HOME:-~/.cache}/bench/suites/` (or the
/// temporary folder) the first time, reused after.
pub fn unpack(name: &str, dir: &Dir<'static>) -> Result<PathBuf, SuiteError> {
    let mut files = Vec::new();
    collect(dir, &mut files);
    files.sort_by_key(|(path, _)| path.clone());
    let mut hash = Sha256::new();
    for (path, contents) in &files {
        hash.update(path.to_string_lossy().as_bytes());
        hash.update([0]);
        hash.update((contents.len() as u64).to_le_bytes());
        hash.update(contents);
    }
    let digest = crate::core::hex(&hash.finalize()[..8]);
    let base = crate::dirs::cache_dir().unwrap_or_else(|| std::env::temp_dir().join("bench")).join("suites");
    let target = base.join(format!("{name}-{digest}"));
    if target.is_dir() {
        return Ok(target);
    }
    let fail = |e: std::io::Error| {
        SuiteError::one(format!("cannot unpack the bundled suite `{name}` into {}: {e}", base.display()))
    };
    std::fs::create_dir_all(&base).map_err(fail)?;
    let staging = tempfile::Builder::new().prefix(&format!(".{name}-")).tempdir_in(&base).map_err(fail)?;
    for (path, contents) in &files {
        let out = staging.path().join(path);
        if let Some(parent) = out.parent() {
            std::fs::create_dir_all(parent).map_err(fail)?;
        }
        std::fs::write(out, contents).map_err(fail)?;
    }
    // Another bench may have unpacked the same suite meanwhile; its copy is as good as ours.
    match std::fs::rename(staging.path(), &target) {
        Ok(()) => Ok(target),
        Err(_) if target.is_dir() => Ok(target),
        Err(e) => Err(fail(e)),
    }
}

fn collect(dir: &Dir<'static>, out: &mut Vec<(PathBuf, &'static [u8])>) {
    for file in dir.files() {
        out.push((file.path().to_path_buf(), file.contents()));
    }
    for sub in dir.dirs() {
        collect(sub, out);
    }
}
