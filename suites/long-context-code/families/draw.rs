//! Value-stable random draws for the seeded generators (math problems, code-repair mutants).
//!
//! Draws come only from ChaCha8's `next_u64()` through the small helpers on [`Draw`] (rejection
//! sampling for ranges, index picks for slices), never from `rand`'s distribution code, whose
//! output may change between releases. The per-task key is derived with splitmix64 rather than by
//! `seed_from_u64`, so the byte stream depends only on the ChaCha8 algorithm itself.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

/// One step of splitmix64: a fixed, well-mixed map from a counter to 64 bits.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The random source of one generated task: ChaCha8 keyed by the seed, on the stream of the index.
///
/// Each task has its own stream, so a task's content depends only on (seed, index) and a shorter
/// batch is a prefix of a longer one.
pub struct Draw(ChaCha8Rng);

impl Draw {
    /// The draws of task `index` in the batch of `seed`.
    pub fn for_task(seed: u64, index: u64) -> Draw {
        let mut state = seed;
        let mut key = [0u8; 32];
        for chunk in key.chunks_exact_mut(8) {
            chunk.copy_from_slice(&splitmix64(&mut state).to_le_bytes());
        }
        let mut rng = ChaCha8Rng::from_seed(key);
        rng.set_stream(index);
        Draw(rng)
    }

    /// A uniform integer in `0..n` by rejection sampling (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n <= 1 {
            return 0;
        }
        let zone = (u64::MAX / n) * n;
        loop {
            let x = self.0.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }

    /// A uniform integer in `lo..=hi` (`lo` when the range is empty).
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = hi.abs_diff(lo).saturating_add(1);
        lo.wrapping_add_unsigned(self.below(span))
    }

    /// A uniform non-zero integer in `lo..=hi`, assuming the range holds one.
    pub fn nonzero(&mut self, lo: i64, hi: i64) -> i64 {
        for _ in 0..64 {
            let v = self.int(lo, hi);
            if v != 0 {
                return v;
            }
        }
        if hi > 0 { hi } else { lo }
    }

    /// True with probability `num / den`.
    pub fn chance(&mut self, num: u64, den: u64) -> bool {
        self.below(den) < num
    }

    /// A uniform element of a non-empty slice.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.index(items.len())]
    }

    /// A uniform index into a collection of `len` elements.
    pub fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap_or_default()
    }

    /// `k` distinct elements of `items` in random order (all of them when `k` is larger).
    pub fn distinct<T: Copy>(&mut self, items: &[T], k: usize) -> Vec<T> {
        let mut pool: Vec<T> = items.to_vec();
        let k = k.min(pool.len());
        for i in 0..k {
            let j = i + self.index(pool.len() - i);
            pool.swap(i, j);
        }
        pool.truncate(k);
        pool
    }
}
