//! The child side of the sandbox: `bench sandbox-exec`, a hidden command that confines itself and
//! then becomes the untrusted command (`exec`), so no `unsafe` pre-exec hook is needed.
//!
//! In order: join the evaluation's pids cgroup (so a fork bomb hits `pids.max` and every process can
//! be found and killed, even ones that leave the process group), set rlimits, enter a new network
//! namespace (a new user namespace too when not root), restrict writes to the work directory with
//! Landlock, and `exec` `sh -c COMMAND` with a scrubbed environment.

use std::ffi::OsString;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};

use nix::sched::{CloneFlags, unshare};
use nix::sys::resource::{Resource, getrlimit, setrlimit};

/// What the parent asks the shim to enforce; passed on its command line.
#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
pub struct ConfineArgs {
    /// Work directory: the only place the command may write.
    #[arg(long)]
    pub workdir: PathBuf,
    /// CPU seconds.
    #[arg(long)]
    pub cpu: u64,
    /// Address space in bytes.
    #[arg(long)]
    pub memory: u64,
    /// Processes of this user (where the kernel enforces it) and of the cgroup.
    #[arg(long)]
    pub processes: u64,
    /// Largest file in bytes.
    #[arg(long)]
    pub file_size: u64,
    /// Open files.
    #[arg(long)]
    pub open_files: u64,
    /// A pids cgroup to join first (`cgroup.procs` is written), when the parent made one.
    #[arg(long)]
    pub cgroup: Option<PathBuf>,
    /// Keep the network (for test commands that need a registry, by the user's choice).
    #[arg(long)]
    pub allow_network: bool,
    /// The shell command to run.
    #[arg(last = true, required = true)]
    pub command: Vec<OsString>,
}

/// Environment variables the command keeps; everything else (API keys included) is dropped.
const KEPT_ENV: &[&str] = &[
    "PATH",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "TERM",
    "RUSTUP_HOME",
    "CARGO_HOME",
    "GOROOT",
    "GOPATH",
    "PYENV_ROOT",
];

/// Confines the current process and execs the command; returns only on failure (exit code 126,
/// with the reason on stderr, as shells do for a command that cannot run).
pub fn run(args: &ConfineArgs) -> u8 {
    if let Err(e) = confine(args) {
        eprintln!("bench sandbox: {e}");
        return 126;
    }
    let mut cmd = std::process::Command::new("/bin/sh");
    cmd.arg("-c").args(&args.command).current_dir(&args.workdir).env_clear();
    for key in KEPT_ENV {
        if let Some(value) = std::env::var_os(key) {
            cmd.env(key, value);
        }
    }
    if std::env::var_os("RUSTUP_HOME").is_none()
        && let Some(home) = std::env::var_os("HOME")
    {
        cmd.env("RUSTUP_HOME", Path::new(&home).join(".rustup"));
        cmd.env("CARGO_HOME", Path::new(&home).join(".cargo"));
    }
    let tmp = args.workdir.join(".sandbox-tmp");
    let _ = std::fs::create_dir_all(&tmp);
    cmd.env("HOME", &tmp)
        .env("TMPDIR", &tmp)
        .env("GOCACHE", tmp.join("go-cache"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONHASHSEED", "0")
        .env("CARGO_TARGET_DIR", args.workdir.join("target"))
        .env("CARGO_NET_OFFLINE", "true");
    let error = cmd.exec();
    eprintln!("bench sandbox: cannot run /bin/sh: {error}");
    126
}

fn confine(args: &ConfineArgs) -> Result<(), String> {
    if let Some(cgroup) = &args.cgroup {
        std::fs::write(cgroup.join("cgroup.procs"), std::process::id().to_string())
            .map_err(|e| format!("cannot join {}: {e}", cgroup.display()))?;
    }
    // Without a pids cgroup, RLIMIT_NPROC is the fallback; it counts every task of the user, so the
    // budget comes on top of what the user already runs. (Root is exempt from it: use a cgroup.)
    let processes = match &args.cgroup {
        Some(_) => nix::sys::resource::RLIM_INFINITY,
        None => args.processes.saturating_add(tasks_of_this_user()),
    };
    let limits = [
        (Resource::RLIMIT_CPU, args.cpu, args.cpu + 1),
        (Resource::RLIMIT_AS, args.memory, args.memory),
        (Resource::RLIMIT_NPROC, processes, processes),
        (Resource::RLIMIT_FSIZE, args.file_size, args.file_size),
        (Resource::RLIMIT_NOFILE, args.open_files, args.open_files),
        (Resource::RLIMIT_CORE, 0, 0),
    ];
    for (resource, soft, hard) in limits {
        // A limit can only be lowered: stay within what this process already has.
        let (_, current_hard) = getrlimit(resource).map_err(|e| format!("getrlimit {resource:?}: {e}"))?;
        let (soft, hard) = (soft.min(current_hard), hard.min(current_hard));
        setrlimit(resource, soft, hard).map_err(|e| format!("setrlimit {resource:?}: {e}"))?;
    }
    if !args.allow_network {
        isolate_network()?;
    }
    restrict_writes(&args.workdir)
}

/// Threads and processes the current user runs, as RLIMIT_NPROC counts them.
fn tasks_of_this_user() -> u64 {
    use std::os::unix::fs::MetadataExt;
    let uid = nix::unistd::getuid().as_raw();
    let Ok(entries) = std::fs::read_dir("/proc") else { return 0 };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().bytes().all(|b| b.is_ascii_digit()))
        .filter(|e| e.metadata().is_ok_and(|m| m.uid() == uid))
        .map(|e| std::fs::read_dir(e.path().join("task")).map_or(1, |t| t.count() as u64))
        .sum()
}

/// A new, empty network namespace (only a loopback that is down): no connection can leave.
fn isolate_network() -> Result<(), String> {
    let uid = nix::unistd::geteuid();
    if uid.is_root() {
        return unshare(CloneFlags::CLONE_NEWNET).map_err(|e| format!("cannot isolate the network: {e}"));
    }
    let gid = nix::unistd::getegid();
    unshare(CloneFlags::CLONE_NEWUSER | CloneFlags::CLONE_NEWNET)
        .map_err(|e| format!("cannot isolate the network (user namespaces disabled?): {e}"))?;
    // Map ourselves to ourselves so files keep their owners.
    let write = |file: &str, text: String| {
        std::fs::write(format!("/proc/self/{file}"), text).map_err(|e| format!("/proc/self/{file}: {e}"))
    };
    write("setgroups", "deny".into())?;
    write("uid_map", format!("{uid} {uid} 1"))?;
    write("gid_map", format!("{gid} {gid} 1"))
}

/// With Landlock (Linux 5.13+), allow writes only beneath the work directory and to `/dev` (for
/// `/dev/null`); reads and execution stay allowed everywhere. On older kernels this is a no-op:
/// the copy in a fresh temporary directory is then the only protection of other files.
fn restrict_writes(workdir: &Path) -> Result<(), String> {
    use landlock::{ABI, Access, AccessFs, Ruleset, RulesetAttr, RulesetCreatedAttr, path_beneath_rules};
    let abi = ABI::V3;
    let all = AccessFs::from_all(abi);
    let read = AccessFs::from_read(abi);
    Ruleset::default()
        .handle_access(all)
        .and_then(|r| r.create())
        .and_then(|r| r.add_rules(path_beneath_rules(["/"], read)))
        .and_then(|r| r.add_rules(path_beneath_rules([workdir, Path::new("/dev")], all)))
        .and_then(|r| r.restrict_self())
        .map(|_| ())
        .map_err(|e| format!("landlock: {e}"))
}
