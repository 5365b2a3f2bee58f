//! Grids of long-context tasks: every length × depth × kind, a few tasks per cell, as task lines.
//! `bench suites generate long-context` writes one; the bundled `long-context` suite is one too,
//! expanded when it loads (no big file ships).
//!
//! A task's id and seed follow from its cell (kind, length, depth, sample) and the grid's seed, not
//! from its place in the grid, so a longer grid (`--max-context 1m`) holds the shorter one's tasks
//! unchanged and runs over both pair up task by task.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::files::FileSource;
use super::kinds::Kind;
use super::line::{HaystackRef, MAX_LENGTH, MIN_LENGTH, Recipe, TaskLine, length_name};
use crate::families::draw::splitmix64;

/// The bundled suite's grid: 4k to 128k, five depths, every kind, two tasks a cell (seed 2026).
pub const BUNDLED_GRID: &str = r#"{"seed": 2026, "lengths": [4096, 8192, 16384, 32768, 65536, 131072], "depths": [0, 25, 50, 75, 100], "kinds": ["niah_single", "niah_multikey", "niah_multivalue", "niah_multiquery", "vartrack", "aggregate", "nonliteral", "code_needle", "absent"], "per_cell": 2}"#;

/// The default grid's lengths start here and double.
const FIRST_LENGTH: u64 = 4096;

/// Tasks for every length × depth × kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grid {
    /// What every task's seed is derived from.
    pub seed: u64,
    /// Lengths in tokens.
    pub lengths: Vec<u64>,
    /// Depths in percent (`aggregate` has none: it gets as many tasks per length as the others
    /// get per length and kind).
    pub depths: Vec<u8>,
    /// Kinds of task.
    pub kinds: Vec<Kind>,
    /// Tasks per cell.
    pub per_cell: u32,
    /// The team's own files, instead of synthetic prose and the bundled source tree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub haystack: Option<HaystackRef>,
}

impl Grid {
    /// The grid with `--max-context`: lengths doubling from 4k up to `max`, and `max` itself when it
    /// falls between two (`200k`: 4k ... 128k, 200k); `None` keeps the grid's own lengths.
    pub fn up_to(mut self, max: Option<u64>) -> Grid {
        let Some(max) = max else { return self };
        let mut lengths: Vec<u64> = std::iter::successors(Some(FIRST_LENGTH), |l| l.checked_mul(2))
            .take_while(|&l| l <= max)
            .collect();
        if lengths.last() != Some(&max) {
            lengths.push(max);
        }
        self.lengths = lengths;
        self
    }

    /// Every task line, by length, then depth, then kind; `aggregate`'s after each length's others.
    pub fn lines(&self) -> Vec<TaskLine> {
        let mut lines = Vec::new();
        for &length in &self.lengths {
            for &depth in &self.depths {
                for &kind in self.kinds.iter().filter(|k| k.has_depth()) {
                    for sample in 1..=self.per_cell {
                        lines.push(self.line(kind, length, Some(depth), sample));
                    }
                }
            }
            if self.kinds.contains(&Kind::Aggregate) {
                for sample in 1..=self.per_cell * self.depths.len().max(1) as u32 {
                    lines.push(self.line(Kind::Aggregate, length, None, sample));
                }
            }
        }
        lines
    }

    fn line(&self, kind: Kind, length: u64, depth: Option<u8>, sample: u32) -> TaskLine {
        let cell = [
            Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0) as u64,
            length,
            u64::from(depth.unwrap_or(255)),
            u64::from(sample),
        ];
        let mut state = self.seed;
        for part in cell {
            state = splitmix64(&mut state) ^ part;
        }
        // Below 2^53, so a task line's seed survives any JSON reader.
        let seed = splitmix64(&mut state) >> 11;
        let at = depth.map_or(String::new(), |d| format!("-d{d}"));
        TaskLine {
            id: format!("lc-s{}-{}-{}{at}-{sample}", self.seed, kind.name(), length_name(length)),
            recipe: Recipe { kind, length, depth, seed, haystack: self.haystack.clone() },
        }
    }

    /// Write every task line as JSONL (one object a line, `\n` endings).
    pub fn write_jsonl(&self, out: &mut impl Write) -> std::io::Result<()> {
        for line in self.lines() {
            serde_json::to_writer(&mut *out, &line)?;
            out.write_all(b"\n")?;
        }
        out.flush()
    }

    /// Whether every length, depth and the task count are usable; what is wrong otherwise.
    pub fn check(&self) -> Result<(), String> {
        if let Some(bad) = self.lengths.iter().find(|l| !(MIN_LENGTH..=MAX_LENGTH).contains(*l)) {
            return Err(format!(
                "length {bad} is out of range; expected {} to {}",
                length_name(MIN_LENGTH),
                length_name(MAX_LENGTH)
            ));
        }
        if let Some(bad) = self.depths.iter().find(|d| **d > 100) {
            return Err(format!("depth {bad} is not a percentage from 0 to 100"));
        }
        if self.lengths.is_empty() || self.kinds.is_empty() || self.per_cell == 0 {
            return Err(
                "the grid has no tasks: give at least one length, one kind and --per-cell 1 or more".into()
            );
        }
        if self.depths.is_empty() && self.kinds.iter().any(|k| k.has_depth()) {
            return Err("give at least one depth".into());
        }
        Ok(())
    }
}

/// The haystack reference of a grid over the files at `paths`: their content hash, and the paths as
/// a suite file in `suite_dir` names them (relative to it when they can be; as given without one).
pub fn haystack_ref(paths: &[PathBuf], suite_dir: Option<&Path>) -> Result<HaystackRef, String> {
    let source = FileSource::read(paths)?;
    let shown = paths
        .iter()
        .map(|path| {
            let relative = suite_dir.and_then(|dir| {
                let dir = std::path::absolute(dir).ok()?;
                pathdiff::diff_paths(std::path::absolute(path).ok()?, dir)
            });
            let shown = relative.unwrap_or_else(|| path.clone());
            let text = shown.to_string_lossy().replace('\\', "/");
            if text.is_empty() { ".".to_string() } else { text }
        })
        .collect();
    Ok(HaystackRef { paths: shown, sha256: source.sha256 })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> Grid {
        serde_json::from_str(BUNDLED_GRID).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_bundled_grid_covers_every_kind_and_max_context_extends_or_caps_it() {
        let grid = bundled();
        assert_eq!(grid.kinds, Kind::ALL);
        assert_eq!(grid.clone().up_to(Some(131_072)), grid);
        let lines = grid.lines();
        assert_eq!(lines.len(), 6 * (5 * 8 * 2 + 10));
        let long = grid.clone().up_to(Some(1_048_576));
        assert_eq!(long.lengths[6..], [262_144, 524_288, 1_048_576]);
        let long_lines = long.lines();
        assert!(lines.iter().all(|l| long_lines.contains(l)), "the longer grid keeps every shorter task");
        assert_eq!(grid.clone().up_to(Some(16_384)).lengths, [4096, 8192, 16_384]);
        assert_eq!(grid.up_to(Some(204_800)).lengths.last(), Some(&204_800));
    }

    #[test]
    fn ids_are_unique_and_the_same_seed_writes_the_same_bytes() {
        let grid = Grid { per_cell: 3, ..bundled() };
        let lines = grid.lines();
        let ids: std::collections::HashSet<&str> = lines.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(ids.len(), lines.len());
        assert_eq!(lines[0].id, "lc-s2026-niah_single-4k-d0-1");
        let write = |grid: &Grid| {
            let mut bytes = Vec::new();
            grid.write_jsonl(&mut bytes).unwrap_or_else(|e| panic!("{e}"));
            bytes
        };
        assert_eq!(write(&grid), write(&grid.clone()));
        assert_ne!(write(&grid), write(&Grid { seed: 7, ..grid.clone() }));
        let seeds: std::collections::HashSet<u64> = lines.iter().map(|l| l.recipe.seed).collect();
        assert_eq!(seeds.len(), lines.len());
    }

    #[test]
    fn bad_grids_say_what_to_change() {
        assert!(Grid { per_cell: 0, ..bundled() }.check().is_err());
        assert!(Grid { depths: vec![101], ..bundled() }.check().unwrap_err().contains("depth 101"));
        assert!(Grid { lengths: vec![10], ..bundled() }.check().unwrap_err().contains("out of range"));
        assert!(bundled().check().is_ok());
    }
}
