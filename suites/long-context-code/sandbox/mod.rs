//! Running untrusted code (a model's patch and the tests it touches) without Docker.
//!
//! Each evaluation gets a fresh temporary copy of the repository ([`WorkDir`]). The command runs in
//! its own process group under a wall-clock deadline, with a two-phase kill (SIGTERM, then SIGKILL
//! to the group and to every process left in its pids cgroup). The child confines itself before
//! running the command (see [`confine`]): rlimits on CPU, memory, processes, file size and open
//! files; a new network namespace; writes confined to the work directory by Landlock where the
//! kernel has it. Output is captured up to a cap. Everything is removed afterwards.

pub mod confine;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill, killpg};
use nix::unistd::Pid;
use serde::Serialize;

/// Resource limits of one evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock deadline of the whole command.
    pub wall: Duration,
    /// CPU seconds per process.
    pub cpu_s: u64,
    /// Address space per process, in bytes.
    pub memory: u64,
    /// Processes (and threads) at once.
    pub processes: u64,
    /// Largest file the command may write, in bytes.
    pub file_size: u64,
    /// Open files per process.
    pub open_files: u64,
    /// Output kept, in bytes (the rest is counted and dropped).
    pub output: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            wall: Duration::from_secs(120),
            cpu_s: 120,
            memory: 4 << 30,
            processes: 256,
            file_size: 256 << 20,
            open_files: 1024,
            output: 1 << 20,
        }
    }
}

/// How the command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ending {
    /// It exited with this code.
    Exited(i32),
    /// A signal ended it.
    Signaled(i32),
    /// The deadline passed and it was killed.
    TimedOut,
}

/// A limit the command ran into, as far as can be told from how it ended and what it printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitHit {
    /// CPU time (SIGXCPU).
    Cpu,
    /// Address space (allocation failures).
    Memory,
    /// Process count (fork failures).
    Processes,
    /// File size (SIGXFSZ / EFBIG).
    FileSize,
}

/// What one sandboxed command did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Execution {
    /// How it ended.
    pub ending: Ending,
    /// A limit it hit, if any.
    pub limit: Option<LimitHit>,
    /// Combined stdout and stderr, up to the cap.
    pub output: String,
    /// Bytes of output dropped beyond the cap.
    pub output_dropped: u64,
    /// Wall time from spawn to the end of clean-up.
    pub elapsed: Duration,
}

impl Execution {
    /// Whether the command exited with code 0.
    pub fn succeeded(&self) -> bool {
        self.ending == Ending::Exited(0)
    }
}

/// A fresh temporary copy of a directory, removed (even if the command made parts of it
/// read-only) when dropped.
pub struct WorkDir {
    dir: tempfile::TempDir,
}

impl WorkDir {
    /// Copies `source` into a new temporary directory. Symlinks are copied as links, never followed.
    pub fn copy_of(source: &Path) -> std::io::Result<WorkDir> {
        let work = WorkDir::empty()?;
        copy_tree(source, work.path())?;
        Ok(work)
    }

    /// A new empty temporary directory, for a caller that fills it some other way (a git clone).
    pub fn empty() -> std::io::Result<WorkDir> {
        Ok(WorkDir { dir: tempfile::Builder::new().prefix("bench-eval-").tempdir()? })
    }

    /// The copy's root.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        make_writable(self.dir.path());
    }
}

/// Restores owner permissions on every directory so the tree can be removed.
fn make_writable(root: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700));
        if let Ok(entries) = std::fs::read_dir(&dir) {
            stack.extend(
                entries.flatten().filter(|e| e.file_type().is_ok_and(|t| t.is_dir())).map(|e| e.path()),
            );
        }
    }
}

/// Copies a directory tree; symlinks are recreated as they are, other special files skipped.
pub fn copy_tree(source: &Path, target: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(target)?;
    for entry in std::fs::read_dir(source)? {
        let entry = entry?;
        let (from, to) = (entry.path(), target.join(entry.file_name()));
        let kind = entry.file_type()?;
        if kind.is_dir() {
            copy_tree(&from, &to)?;
        } else if kind.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(&from)?, &to)?;
        } else if kind.is_file() {
            std::fs::copy(&from, &to)?;
        }
    }
    Ok(())
}

/// Runs commands confined; cheap to clone and share across scoring threads.
#[derive(Debug, Clone)]
pub struct Sandbox {
    /// The `bench` executable, which confines itself (`bench sandbox-exec`) before running the command.
    pub launcher: PathBuf,
    /// Limits of every command.
    pub limits: Limits,
    /// Whether commands keep network access (off by default).
    pub allow_network: bool,
}

/// Time a command gets between SIGTERM and SIGKILL.
const GRACE: Duration = Duration::from_secs(2);

impl Sandbox {
    /// A sandbox that confines commands through the running `bench` executable.
    pub fn new(limits: Limits) -> std::io::Result<Sandbox> {
        Ok(Sandbox { launcher: std::env::current_exe()?, limits, allow_network: false })
    }

    /// Runs `sh -c command` in `workdir`, confined, and waits for it (or for the deadline).
    pub fn run(&self, workdir: &Path, command: &str) -> std::io::Result<Execution> {
        let started = Instant::now();
        let limits = self.limits;
        let cgroup = PidsCgroup::create(limits.processes);
        let (reader, writer) = std::io::pipe()?;
        let mut cmd = Command::new(&self.launcher);
        cmd.arg("sandbox-exec")
            .arg("--workdir")
            .arg(workdir)
            .args(["--cpu", &limits.cpu_s.to_string(), "--memory", &limits.memory.to_string()])
            .args([
                "--processes",
                &limits.processes.to_string(),
                "--file-size",
                &limits.file_size.to_string(),
            ])
            .args(["--open-files", &limits.open_files.to_string()]);
        if let Some(cg) = &cgroup {
            cmd.arg("--cgroup").arg(&cg.path);
        }
        if self.allow_network {
            cmd.arg("--allow-network");
        }
        cmd.arg("--").arg(command).stdin(Stdio::null()).stdout(writer.try_clone()?).stderr(writer);
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let mut child = cmd.spawn()?;
        drop(cmd); // closes our copies of the pipe's write end
        let pgid = Pid::from_raw(i32::try_from(child.id()).unwrap_or(i32::MAX));

        let (out_tx, out_rx) = mpsc::channel();
        let cap = limits.output;
        std::thread::spawn(move || {
            let _ = out_tx.send(read_capped(reader, cap));
        });
        let (done_tx, done_rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = done_tx.send(child.wait());
        });

        let status = match done_rx.recv_timeout(limits.wall) {
            Ok(status) => Some(status?),
            Err(_) => {
                let _ = killpg(pgid, Signal::SIGTERM);
                match done_rx.recv_timeout(GRACE) {
                    Ok(_) => None,
                    Err(_) => {
                        let _ = killpg(pgid, Signal::SIGKILL);
                        let _ = done_rx.recv_timeout(GRACE);
                        None
                    }
                }
            }
        };
        // Whatever the command left running dies with it.
        let _ = killpg(pgid, Signal::SIGKILL);
        if let Some(cg) = cgroup {
            cg.kill_all_and_remove();
        }
        let (output, dropped) = out_rx.recv_timeout(GRACE).unwrap_or_default();
        let ending = match status {
            None => Ending::TimedOut,
            Some(status) => ending_of(status),
        };
        let limit = limit_hit(ending, &output);
        Ok(Execution { ending, limit, output, output_dropped: dropped, elapsed: started.elapsed() })
    }
}

fn ending_of(status: ExitStatus) -> Ending {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => Ending::Exited(code),
        (None, Some(signal)) => Ending::Signaled(signal),
        (None, None) => Ending::Exited(-1),
    }
}

/// Reads everything, keeping the first `cap` bytes (as lossy UTF-8) and counting the rest.
fn read_capped(mut reader: impl Read, cap: usize) -> (String, u64) {
    let (mut kept, mut dropped, mut buf) = (Vec::new(), 0u64, vec![0u8; 64 * 1024]);
    loop {
        match reader.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let room = cap.saturating_sub(kept.len()).min(n);
                kept.extend_from_slice(&buf[..room]);
                dropped += (n - room) as u64;
            }
        }
    }
    (String::from_utf8_lossy(&kept).into_owned(), dropped)
}

/// The limit behind an ending, from the signal (or the shell's 128+signal code) and the messages
/// runtimes print when an rlimit refuses them.
fn limit_hit(ending: Ending, output: &str) -> Option<LimitHit> {
    const SIGXCPU: i32 = 24;
    const SIGXFSZ: i32 = 25;
    let signal = match ending {
        Ending::Signaled(s) => Some(s),
        Ending::Exited(code) if code > 128 => Some(code - 128),
        _ => None,
    };
    match signal {
        Some(SIGXCPU) => return Some(LimitHit::Cpu),
        Some(SIGXFSZ) => return Some(LimitHit::FileSize),
        _ => {}
    }
    if output.contains("File too large") {
        Some(LimitHit::FileSize)
    } else if output.contains("MemoryError") || output.contains("Cannot allocate memory") {
        Some(LimitHit::Memory)
    } else if output.contains("Resource temporarily unavailable") && output.contains("fork")
        || output.contains("BlockingIOError")
        || output.contains("can't fork")
    {
        Some(LimitHit::Processes)
    } else {
        None
    }
}

/// A pids cgroup (v1 `pids` hierarchy or v2) holding one evaluation: it caps the process count even
/// for root, whom RLIMIT_NPROC does not bind, and finds every process to kill at the end, even those
/// that left the process group. Made only where the cgroup file system is writable.
struct PidsCgroup {
    path: PathBuf,
}

impl PidsCgroup {
    fn create(max: u64) -> Option<PidsCgroup> {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("bench-{}-{n}", std::process::id());
        ["/sys/fs/cgroup/pids", "/sys/fs/cgroup"].into_iter().map(Path::new).find_map(|base| {
            if !base.join("pids.max").exists() && !base.join("cgroup.procs").exists() {
                return None;
            }
            let path = base.join(&name);
            std::fs::create_dir(&path).ok()?;
            if std::fs::write(path.join("pids.max"), max.to_string()).is_err() {
                let _ = std::fs::remove_dir(&path);
                return None;
            }
            Some(PidsCgroup { path })
        })
    }

    fn kill_all_and_remove(self) {
        for _ in 0..200 {
            let procs = std::fs::read_to_string(self.path.join("cgroup.procs")).unwrap_or_default();
            let pids: Vec<i32> = procs.lines().filter_map(|l| l.trim().parse().ok()).collect();
            if pids.is_empty() && std::fs::remove_dir(&self.path).is_ok() {
                return;
            }
            for pid in pids {
                let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        tracing::warn!("sandbox cgroup {} still busy; left behind", self.path.display());
    }
}
