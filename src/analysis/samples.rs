//! From the samples of one task to the task's score: the mean, or a majority vote over answers;
//! and pass@k over tasks when there are several samples.

use std::collections::BTreeMap;

use super::stats;
use super::view::{Name, RunView};
use crate::core::Vote;
use crate::provider::ErrorClass;

/// The scored samples of one task by one provider, in sample order.
#[derive(Debug, Clone, Default)]
pub struct TaskSamples {
    sum: f64,
    n: u32,
    passed: u32,
    /// Per sample, when the samples vote (see [`TaskSamples::add_vote`]): the family's canonical form
    /// of the answer (if any, as a number equal for equal answers), and whether it passed.
    votes: Vec<(Option<u32>, bool)>,
}

impl TaskSamples {
    /// Adds one scored sample that takes no part in a majority vote (the mean needs only the sums).
    pub fn add(&mut self, value: f64, passed: bool) {
        self.sum += value;
        self.n += 1;
        self.passed += u32::from(passed);
    }

    /// Adds one scored sample with its answer for a majority vote.
    pub fn add_vote(&mut self, value: f64, passed: bool, answer_key: Option<u32>) {
        self.add(value, passed);
        self.votes.push((answer_key, passed));
    }

    fn n(&self) -> u32 {
        self.n
    }

    /// Whether the majority answer is right; `None` when some sample has no answer key (or was added
    /// without a vote).
    fn majority(&self) -> Option<bool> {
        if self.votes.len() != self.n as usize {
            return None;
        }
        let mut groups: Vec<(u32, u32, u32)> = Vec::new(); // (key, size, passed), first-seen order
        for (key, passed) in &self.votes {
            let key = (*key)?;
            match groups.iter_mut().find(|g| g.0 == key) {
                Some(group) => {
                    group.1 += 1;
                    group.2 += u32::from(*passed);
                }
                None => groups.push((key, 1, u32::from(*passed))),
            }
        }
        let mut best: Option<(u32, u32, u32)> = None;
        for group in groups {
            if best.is_none_or(|b| group.1 > b.1) {
                best = Some(group);
            }
        }
        best.map(|(_, size, passed)| 2 * passed > size)
    }

    /// The task's score under `vote`.
    pub fn score(&self, vote: Vote) -> f64 {
        match (vote, self.majority()) {
            (Vote::Majority, Some(right)) => f64::from(u8::from(right)),
            _ => self.sum / f64::from(self.n().max(1)),
        }
    }

    /// Whether the task counts as passed under `vote`.
    pub fn passed(&self, vote: Vote) -> bool {
        match (vote, self.majority()) {
            (Vote::Majority, Some(right)) => right,
            _ => 2 * self.passed > self.n(),
        }
    }
}

/// The scored samples of `provider` per task, by task index in the view (`None`: nothing scored).
///
/// A task beyond the provider's context window (`context_too_long`) is a capability: it counts as a
/// failed sample scored 0. Other failures (infrastructure, scorer errors) give no sample at all.
pub fn task_scores(view: &RunView, provider: Option<Name>, vote: Vote) -> Vec<Option<TaskSamples>> {
    let mut per_task: Vec<Option<TaskSamples>> = vec![None; view.tasks.len()];
    let context_too_long = view.find_name(ErrorClass::ContextTooLong.as_str());
    for row in view.rows.iter().filter(|r| Some(r.provider) == provider) {
        let Some(task) = per_task.get_mut(row.task as usize) else { continue };
        if row.error_class.is_some() && row.error_class == context_too_long {
            task.get_or_insert_with(TaskSamples::default).add(0.0, false);
            continue;
        }
        if row.error_class.is_some() || row.scorer_error.is_some() {
            continue;
        }
        if let (Some(score), Some(passed)) = (row.score, row.passed) {
            let task = task.get_or_insert_with(TaskSamples::default);
            match vote {
                Vote::Majority => task.add_vote(score, passed, row.answer_key.map(|k| k.number())),
                Vote::Mean => task.add(score, passed),
            }
        }
    }
    per_task
}

/// The k reported for `samples` per task: the usual 1, 5, 10, 20, 50, 100... up to `samples`, and
/// `samples` itself. Nothing for a single sample.
fn ks(samples: u32) -> Vec<u32> {
    if samples < 2 {
        return Vec::new();
    }
    let mut ks: Vec<u32> =
        [1, 5, 10, 20, 50, 100, 200, 500, 1000].into_iter().filter(|&k| k < samples).collect();
    ks.push(samples);
    ks
}

/// Mean unbiased pass@k over the tasks, for each reported k; a task counts for k only when it has
/// at least k scored samples (infrastructure failures can leave fewer).
pub fn pass_at_k<'a>(
    tasks: impl Iterator<Item = &'a TaskSamples> + Clone,
    samples: u32,
) -> BTreeMap<u32, f64> {
    ks(samples)
        .into_iter()
        .filter_map(|k| {
            let values: Vec<f64> =
                tasks.clone().filter_map(|t| stats::pass_at_k(t.n(), t.passed, k)).collect();
            (!values.is_empty()).then(|| (k, stats::mean(&values)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(answers: &[(&str, bool)]) -> TaskSamples {
        let mut t = TaskSamples::default();
        let mut keys: Vec<&str> = Vec::new();
        for (key, passed) in answers {
            let n = keys.iter().position(|k| k == key).unwrap_or_else(|| {
                keys.push(key);
                keys.len() - 1
            });
            t.add_vote(f64::from(u8::from(*passed)), *passed, Some(n as u32));
        }
        t
    }

    #[test]
    fn majority_vote_follows_the_most_common_answer() {
        // Two of five samples are right, but the wrong answers disagree: "12" wins the vote.
        let t = task(&[("12", true), ("7", false), ("12", true), ("8", false), ("9", false)]);
        assert_eq!((t.score(Vote::Majority), t.passed(Vote::Majority)), (1.0, true));
        assert!((t.score(Vote::Mean) - 0.4).abs() < 1e-12);
        assert!(!t.passed(Vote::Mean));
        // A shared wrong answer beats a right one.
        let t = task(&[("7", false), ("12", true), ("7", false)]);
        assert_eq!(t.score(Vote::Majority), 0.0);
        // Ties go to the answer given first.
        assert_eq!(task(&[("12", true), ("7", false)]).score(Vote::Majority), 1.0);
        assert_eq!(task(&[("7", false), ("12", true)]).score(Vote::Majority), 0.0);
    }

    #[test]
    fn majority_without_answer_keys_is_the_mean() {
        let mut t = task(&[("1", true)]);
        t.add_vote(0.0, false, None);
        t.add_vote(1.0, true, None);
        assert!((t.score(Vote::Majority) - 2.0 / 3.0).abs() < 1e-12);
        assert!(t.passed(Vote::Majority));
        // Samples added without votes make the majority the mean too.
        let mut t = task(&[("1", true)]);
        t.add(0.0, false);
        assert!((t.score(Vote::Majority) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn pass_at_k_over_tasks() {
        assert!(ks(1).is_empty());
        assert_eq!(ks(5), vec![1, 5]);
        assert_eq!(ks(16), vec![1, 5, 10, 16]);
        let tasks =
            [task(&[("a", true), ("b", false), ("c", false), ("d", false)]), task(&[("x", false); 4])];
        let p = pass_at_k(tasks.iter(), 4);
        assert_eq!(p.keys().copied().collect::<Vec<_>>(), vec![1, 4]);
        assert!((p[&1] - 0.125).abs() < 1e-12);
        assert!((p[&4] - 0.5).abs() < 1e-12);
        // A task cut short by failures counts only for the k it can support.
        let short = [task(&[("a", true)]), task(&[("a", false), ("b", false)])];
        let p = pass_at_k(short.iter(), 2);
        assert_eq!((p.get(&1), p.get(&2)), (Some(&0.5), Some(&0.0)));
    }
}
