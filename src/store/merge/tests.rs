use super::*;
use crate::config::Config;
use crate::core::RunOptions;
use crate::store::{ProviderSnapshot, ShardRecord, SuiteRecord, TaskRecord, WholeSuite, content_hash};

fn record(id: &str) -> TaskRecord {
    TaskRecord {
        suite: "s".into(),
        id: id.into(),
        family: "custom".into(),
        category: None,
        fingerprint: format!("fp-{id}"),
        meta: serde_json::Value::Null,
    }
}

fn suite(tasks: &[TaskRecord]) -> SuiteRecord {
    SuiteRecord {
        name: "s".into(),
        family: "custom".into(),
        source: "custom:/suites/s.jsonl".into(),
        repos: None,
        max_context: None,
        tasks: tasks.len(),
        content_hash: content_hash(tasks.iter()),
    }
}

/// Tasks t1 to t9; shard k of 3 holds those whose number leaves k - 1 divided by 3.
fn all() -> Vec<TaskRecord> {
    (1..=9).map(|i| record(&format!("t{i}"))).collect()
}

fn part(index: u32) -> Vec<TaskRecord> {
    all().into_iter().enumerate().filter(|(i, _)| (*i as u32 + 1) % 3 == index % 3).map(|(_, t)| t).collect()
}

fn shard<'a>(store: &'a dyn Reads, index: u32, count: u32, tasks: Vec<TaskRecord>) -> ShardRun<'a> {
    let all = all();
    let snapshot =
        ProviderSnapshot::of(&Config::parse("", "b.toml").unwrap().provider("kimi").unwrap()).unwrap();
    let manifest = Manifest {
        format: 1,
        bench_version: "test".into(),
        baseline: "kimi".into(),
        options: RunOptions { use_cache: false, ..RunOptions::default() },
        providers: vec![snapshot],
        suites: vec![suite(&tasks)],
        tag: Some("nightly".into()),
        shard: Some(ShardRecord {
            index,
            count,
            suites: vec![WholeSuite { suite: suite(&all), task_set: task_set_hash(all.iter()) }],
        }),
    };
    ShardRun {
        label: format!("shard-{index}"),
        store,
        run: RunRow {
            run_id: format!("run-{index}"),
            created_at: "2026-12-08T02:00:00Z".into(),
            status: RunStatus::Finished,
            command: format!("run kimi --suite s.jsonl --shard {index}/{count}"),
            done: 0,
            cost: Vec::new(),
        },
        manifest,
        tasks: tasks.into_iter().map(|record| StoredTask { record, prompt_excerpt: None }).collect(),
    }
}

fn with_store(test: impl FnOnce(&dyn Reads)) {
    let dir = tempfile::tempdir().unwrap();
    let reader = Store::open(dir.path(), &crate::store::Location::Sqlite).unwrap().reader().unwrap();
    test(&reader);
}

fn error(shards: &[ShardRun<'_>]) -> String {
    match check(shards) {
        Ok(_) => panic!("merged"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn every_shard_once_makes_the_run_unsharded_in_suite_then_shard_order() {
    with_store(|store| {
        let shards =
            vec![shard(store, 3, 3, part(3)), shard(store, 1, 3, part(1)), shard(store, 2, 3, part(2))];
        let joined = check(&shards).unwrap();
        assert_eq!(
            joined.shards.iter().map(|s| s.label.as_str()).collect::<Vec<_>>(),
            ["shard-1", "shard-2", "shard-3"]
        );
        let ids: Vec<&str> = joined.tasks.iter().map(|t| t.record.id.as_str()).collect();
        assert_eq!(ids, ["t1", "t4", "t7", "t2", "t5", "t8", "t3", "t6", "t9"]);
        assert_eq!(joined.manifest.shard, None);
        assert_eq!(
            joined.manifest.suites,
            vec![suite(&all())],
            "the whole suite, as an unsharded run has it"
        );
    });
}

#[test]
fn a_task_in_two_shards_or_in_none_is_refused() {
    with_store(|store| {
        let mut doubled = part(2);
        doubled.push(record("t1"));
        let shards =
            vec![shard(store, 1, 3, part(1)), shard(store, 2, 3, doubled), shard(store, 3, 3, part(3))];
        assert_eq!(error(&shards), "task s/t1 is in two shards: shard-1 and shard-2");

        let mut short = part(3);
        short.pop();
        let shards =
            vec![shard(store, 1, 3, part(1)), shard(store, 2, 3, part(2)), shard(store, 3, 3, short)];
        assert_eq!(
            error(&shards),
            "the shards (shard-1, shard-2, shard-3) hold 8 tasks of suite `s`, which has 9"
        );

        let mut stray = part(3);
        stray.push(TaskRecord { suite: "u".into(), ..record("t1") });
        let shards =
            vec![shard(store, 1, 3, part(1)), shard(store, 2, 3, part(2)), shard(store, 3, 3, stray)];
        assert_eq!(
            error(&shards),
            "the shards (shard-1, shard-2, shard-3) hold 1 tasks of suite `u`, which has 0"
        );

        let mut swapped = part(3);
        swapped[0] = record("t10");
        let shards =
            vec![shard(store, 1, 3, part(1)), shard(store, 2, 3, part(2)), shard(store, 3, 3, swapped)];
        assert!(error(&shards).ends_with("which has 9, and not the same ones"), "{}", error(&shards));
    });
}

#[test]
fn shards_must_be_one_to_n_each_once_finished_and_alike() {
    with_store(|store| {
        let twice =
            vec![shard(store, 1, 3, part(1)), shard(store, 1, 3, part(1)), shard(store, 3, 3, part(3))];
        assert_eq!(error(&twice), "shard-1 and shard-1 are both shard 1/3: give each shard once");
        let missing = vec![shard(store, 3, 3, part(3))];
        assert_eq!(
            error(&missing),
            "shards 1, 2 of 3 are missing (given: 3/3 in shard-3); merge needs all 3"
        );

        let mut unfinished = shard(store, 2, 3, part(2));
        unfinished.run.status = RunStatus::Interrupted;
        let shards = vec![shard(store, 1, 3, part(1)), unfinished];
        assert_eq!(
            error(&shards),
            "shard-2: run run-2 is interrupted, not finished; finish it first with: bench run --resume run-2 --out shard-2"
        );

        let mut unsharded = shard(store, 2, 3, part(2));
        unsharded.manifest.shard = None;
        assert!(error(&[unsharded]).contains("shard-2: run run-2 is not a shard"));

        let mut other_n = shard(store, 2, 4, part(2));
        other_n.label = "four-2".into();
        let shards = vec![shard(store, 1, 3, part(1)), other_n];
        let said = error(&shards);
        assert!(
            said.starts_with("shard-1 and four-2 are not shards of one run:\n  number of shards: 3 -> 4"),
            "{said}"
        );
        let mut dearer =
            vec![shard(store, 1, 3, part(1)), shard(store, 2, 3, part(2)), shard(store, 3, 3, part(3))];
        let price = dearer[2].manifest.providers[0].price.as_mut().unwrap();
        price.output *= 2.0;
        assert!(
            error(&dearer)
                .contains("shard-1 and shard-3 are not shards of one run:\n  provider `kimi` price:"),
            "{}",
            error(&dearer)
        );
    });
}
