//! Shards: `--shard K/N` splits a run over N machines. A task belongs to one shard, chosen by a
//! stable hash of its suite and id (sha256, never std's per-process hasher), so every machine
//! agrees on the split without talking to the others, every sample and provider of a task lands on
//! the same machine, and a shard keeps its tasks when the suite grows elsewhere.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

use crate::core::Task;

/// The most shards a run may be split into.
pub const MAX_SHARDS: u32 = 10_000;

/// One part of a sharded run: shard `index` (from 1) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shard {
    /// Which part, from 1 to `count`.
    pub index: u32,
    /// How many parts the run is split into.
    pub count: u32,
}

impl Shard {
    /// The shard (from 1) of `count` that task `id` of suite `suite` belongs to.
    pub fn of(suite: &str, id: &str, count: u32) -> u32 {
        let mut hasher = Sha256::new();
        hasher.update(suite.as_bytes());
        hasher.update([0]);
        hasher.update(id.as_bytes());
        let digest = hasher.finalize();
        let mut head = [0u8; 8];
        head.copy_from_slice(&digest[..8]);
        let slot = u64::from_be_bytes(head) % u64::from(count.max(1));
        u32::try_from(slot).unwrap_or(0) + 1
    }

    /// Whether task `id` of suite `suite` is this shard's.
    pub fn owns(&self, suite: &str, id: &str) -> bool {
        Shard::of(suite, id, self.count) == self.index
    }

    /// Keep this shard's tasks of `tasks`, in their order.
    pub fn keep(&self, mut tasks: Vec<Task>) -> Vec<Task> {
        tasks.retain(|task| self.owns(&task.suite, &task.id));
        tasks
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = String;

    /// `K/N`: shard K (from 1) of N.
    fn from_str(s: &str) -> Result<Shard, String> {
        let shape = || format!("`{s}` is not a shard: write K/N, such as 2/8 for the second of eight shards");
        let (k, n) = s.trim().split_once('/').ok_or_else(shape)?;
        let (index, count): (u32, u32) = match (k.trim().parse(), n.trim().parse()) {
            (Ok(k), Ok(n)) => (k, n),
            _ => return Err(shape()),
        };
        if count == 0 || count > MAX_SHARDS {
            return Err(format!("shard {s}: N must be from 1 to {MAX_SHARDS}"));
        }
        if index == 0 {
            return Err(format!("shard {s}: K counts from 1 (1/{count} is the first of {count} shards)"));
        }
        if index > count {
            return Err(format!("shard {s}: K must be at most N ({count})"));
        }
        Ok(Shard { index, count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_k_of_n_and_explains_what_is_wrong() {
        assert_eq!("2/8".parse::<Shard>(), Ok(Shard { index: 2, count: 8 }));
        assert_eq!("1/1".parse::<Shard>().map(|s| s.to_string()), Ok("1/1".to_string()));
        let error = |s: &str| s.parse::<Shard>().unwrap_err();
        assert!(error("0/3").contains("K counts from 1"), "{}", error("0/3"));
        assert!(error("4/3").contains("K must be at most N (3)"), "{}", error("4/3"));
        assert!(error("1/0").contains("N must be from 1"), "{}", error("1/0"));
        for garbage in ["abc", "3", "1/two", "-1/3", "1/3/5", ""] {
            assert!(error(garbage).contains("write K/N"), "{garbage}: {}", error(garbage));
        }
    }

    #[test]
    fn a_task_keeps_its_shard_across_releases() {
        // Pinned: a change here moves every sharded task of every team to another machine.
        assert_eq!(Shard::of("nightly", "q1", 3), 2);
        assert_eq!(Shard::of("nightly", "q2", 3), 1);
        assert_eq!(Shard::of("nightly", "q3", 3), 3);
        assert_eq!(Shard::of("math", "math-s0-17", 8), 1);
        assert_eq!(Shard::of("nightly", "q1", 1), 1);
        // The suite is part of the key: the same id in two suites is two tasks.
        let moved =
            (1..=50).filter(|i| Shard::of("a", &format!("t{i}"), 4) != Shard::of("b", &format!("t{i}"), 4));
        assert!(moved.count() > 20);
    }

    #[test]
    fn growing_a_suite_moves_no_existing_task() {
        let ids = |n: usize| (1..=n).map(|i| format!("q{i}")).collect::<Vec<_>>();
        let before: Vec<u32> = ids(100).iter().map(|id| Shard::of("s", id, 5)).collect();
        let after: Vec<u32> = ids(150).iter().map(|id| Shard::of("s", id, 5)).collect();
        assert_eq!(before[..], after[..100]);
    }

    #[test]
    fn shards_split_a_suite_roughly_evenly_and_exactly_once() {
        let count = 8;
        let mut sizes = vec![0usize; count as usize];
        for i in 0..8000 {
            let id = format!("task-{i}");
            let owners: Vec<u32> =
                (1..=count).filter(|&k| Shard { index: k, count }.owns("suite", &id)).collect();
            assert_eq!(owners.len(), 1, "{id} belongs to exactly one shard");
            sizes[owners[0] as usize - 1] += 1;
        }
        // 1000 expected per shard; a binomial's standard deviation here is about 30.
        assert!(sizes.iter().all(|&n| (880..=1120).contains(&n)), "{sizes:?}");
    }
}
