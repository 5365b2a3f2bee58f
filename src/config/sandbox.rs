//! The `[sandbox]` table of bench.toml: limits of the code-repair sandbox, for projects whose tests
//! need more than the defaults (numeric libraries reserve much address space, big suites write big
//! files) or a network (tests that download fixtures).
//!
//! ```toml
//! [sandbox]
//! memory_mib = 8192       # address space per process (default 4096)
//! processes = 512         # processes and threads at once (default 256)
//! file_size_mib = 1024    # largest file a test may write (default 256)
//! open_files = 4096       # per process (default 1024)
//! output_kib = 4096       # test output kept for grading (default 1024)
//! network = false         # true keeps the host's network (default: none)
//! ```
//!
//! A test run's wall-clock limit comes from the task (`timeout_s`), and so does its CPU limit.

use serde::Deserialize;

use crate::sandbox::Limits;

/// The `[sandbox]` table as written; absent fields keep the defaults of [`Limits`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SandboxConfig {
    /// Address space per process, in MiB.
    pub memory_mib: Option<u64>,
    /// Processes and threads at once.
    pub processes: Option<u64>,
    /// Largest file a test may write, in MiB.
    pub file_size_mib: Option<u64>,
    /// Open files per process.
    pub open_files: Option<u64>,
    /// Test output kept, in KiB.
    pub output_kib: Option<u64>,
    /// Whether tests keep the host's network.
    pub network: Option<bool>,
}

impl SandboxConfig {
    /// Every value too small to run tests with, as (key, what is wrong), all at once.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let fields = [
            ("memory_mib", self.memory_mib, 64),
            ("processes", self.processes, 8),
            ("file_size_mib", self.file_size_mib, 1),
            ("open_files", self.open_files, 64),
            ("output_kib", self.output_kib, 16),
        ];
        fields
            .into_iter()
            .filter_map(|(name, value, least)| match value {
                Some(v) if v < least => Some((name, format!("{name} = {v} is too small; at least {least}"))),
                _ => None,
            })
            .collect()
    }

    /// The limits of every sandboxed command.
    pub fn limits(&self) -> Limits {
        let default = Limits::default();
        Limits {
            memory: self.memory_mib.map_or(default.memory, |m| m.saturating_mul(1 << 20)),
            processes: self.processes.unwrap_or(default.processes),
            file_size: self.file_size_mib.map_or(default.file_size, |m| m.saturating_mul(1 << 20)),
            open_files: self.open_files.unwrap_or(default.open_files),
            output: self
                .output_kib
                .map_or(default.output, |k| usize::try_from(k.saturating_mul(1 << 10)).unwrap_or(usize::MAX)),
            ..default
        }
    }

    /// Whether tests keep the network.
    pub fn network(&self) -> bool {
        self.network.unwrap_or(false)
    }
}
