//! The family as a whole: every kind's answer where it should be and nowhere else, sizes and
//! counts against the encoder, haystacks from files, loading errors, and the registry's hooks.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use super::code::Language;
use super::kinds::Kind;
use super::line::{Recipe, TaskLine};
use super::prompt::{self, Built};
use super::*;
use crate::core::count_o200k;
use crate::families::Registry;

fn recipe(kind: Kind, length: u64, depth: u8, seed: u64) -> Recipe {
    let depth = kind.has_depth().then_some(depth);
    Recipe { kind, length, depth, seed, haystack: None }
}

fn build(recipe: &Recipe) -> Built {
    let source = prompt::source(recipe, &[]).unwrap();
    prompt::build(recipe, source.as_deref())
}

/// Occurrences of `needle` in `text`, case aside.
fn occurrences(text: &str, needle: &str) -> usize {
    text.to_lowercase().matches(&needle.to_lowercase()).count()
}

/// Everything a built prompt promises: its count, its size, each needle's place, each answer only
/// in the needles.
fn check(built: &Built, recipe: &Recipe) {
    let what = format!("{:?} {} at {:?} (seed {})", recipe.kind, recipe.length, recipe.depth, recipe.seed);
    assert_eq!(built.tokens, count_o200k(&built.text), "{what}: the builder's count is exact");
    let haystack = &built.text[built.haystack.clone()];
    let size = count_o200k(haystack);
    assert!(size.abs_diff(recipe.length) * 100 <= recipe.length, "{what}: {size} tokens");
    assert_eq!(built.needles.len(), built.plan.needles.len());
    // Tokens before each needle, counted stretch by stretch, each cut before the space that opens
    // the needle's first piece (where the pre-tokenizer splits).
    let (mut before, mut counted_to) = (0, built.haystack.start);
    for (range, needle) in built.needles.iter().zip(&built.plan.needles) {
        assert_eq!(built.text[range.clone()], needle.text, "{what}");
        let cut = range.start - usize::from(built.text[..range.start].ends_with(' '));
        before += count_o200k(&built.text[counted_to..cut]);
        counted_to = cut;
        // A needle at depth d starts after d of the text around it: at 100% it ends the text.
        let at = before as f64 / (size - count_o200k(&built.text[range.clone()])) as f64;
        assert!((at - needle.at).abs() <= 0.02, "{what}: needle at {at:.3}, wanted {:.3}", needle.at);
    }
    if recipe.kind.has_depth() && recipe.kind != Kind::Absent {
        let depth = recipe.depth_fraction();
        assert!(
            built.plan.needles.iter().any(|n| (n.at - depth).abs() < 1e-9),
            "{what}: a needle at the depth"
        );
    }
    let needles: String = built.needles.iter().map(|r| &built.text[r.clone()]).collect::<Vec<_>>().join("\n");
    for answer in &built.plan.expected {
        let inside = occurrences(&needles, answer);
        assert!(inside >= 1, "{what}: `{answer}` is in a needle");
        assert_eq!(occurrences(haystack, answer), inside, "{what}: `{answer}` outside the needles");
    }
    if recipe.kind == Kind::Absent {
        let asked = built.plan.question.split(" for ").nth(1).and_then(|s| s.split(' ').next()).unwrap();
        assert_eq!(occurrences(haystack, asked), 0, "{what}: `{asked}` is not in the text");
        assert_eq!(occurrences(haystack, "special magic number"), 1, "{what}: only the near miss");
    }
    if recipe.kind == Kind::Aggregate {
        for word in &built.plan.expected {
            assert_eq!(occurrences(haystack, &format!("entry: {word}.")), 5, "{what}: {word}");
        }
    }
}

#[test]
fn every_kind_hides_its_answer_at_its_depth_and_nowhere_else() {
    for kind in Kind::ALL {
        for (length, depths) in [(1024, &[0, 50, 100][..]), (5000, &[25][..]), (65_536, &[75][..])] {
            for &depth in depths {
                let recipe = recipe(kind, length, depth, 11 + u64::from(depth));
                check(&build(&recipe), &recipe);
            }
        }
    }
}

#[test]
fn the_same_seed_builds_the_same_bytes() {
    let a = build(&recipe(Kind::NiahMultikey, 8192, 50, 3));
    assert_eq!(a.text, build(&recipe(Kind::NiahMultikey, 8192, 50, 3)).text);
    assert_ne!(a.text, build(&recipe(Kind::NiahMultikey, 8192, 50, 4)).text);
    let code = build(&recipe(Kind::CodeNeedle, 8192, 50, 3));
    assert!(code.text[code.haystack.clone()].starts_with("File: src/"), "the bundled tree");
    assert!(a.text.starts_with(&a.plan.intro) && a.text.ends_with(&a.plan.question));
}

/// A small Python project to build haystacks from.
fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("proj");
    std::fs::create_dir_all(root.join("app")).unwrap();
    let mut module = String::new();
    for i in 0..60 {
        module.push_str(&format!(
            "def handler_{i}(request):\n    \"\"\"Serve request {i}.\"\"\"\n    if request.user is None:\n        return {i}\n\n    # the common case\n    return request.value * {i}\n\n\n"
        ));
    }
    std::fs::write(root.join("app/handlers.py"), &module).unwrap();
    std::fs::write(root.join("README.md"), "# proj\n\nA small service.\n").unwrap();
    (dir, root)
}

#[test]
fn haystacks_from_files_keep_their_promises_and_write_code_in_their_language() {
    let (_dir, root) = project();
    let source = files::load(std::slice::from_ref(&root)).unwrap();
    assert_eq!(source.language, Language::Python);
    for (kind, length, depth) in
        [(Kind::CodeNeedle, 4096, 60), (Kind::NiahSingle, 3000, 10), (Kind::Vartrack, 20_000, 100)]
    {
        let recipe = recipe(kind, length, depth, 5);
        let built = prompt::build(&recipe, Some(&source));
        check(&built, &recipe);
        assert!(built.text.contains("File: proj/app/handlers.py"));
    }
    let code = prompt::build(&recipe(Kind::CodeNeedle, 4096, 60, 5), Some(&source));
    assert!(code.plan.needles[0].text.starts_with("def ") || code.plan.needles[0].text.contains(" = "));
}

fn suite_file(dir: &std::path::Path, lines: &[String]) -> SuiteSpec {
    let path = dir.join("lc.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    SuiteSpec::parse(&format!("long-context:{}", path.display())).unwrap()
}

#[test]
fn a_suite_over_files_loads_builds_and_notices_when_they_change() {
    let (dir, root) = project();
    let grid = generate::Grid {
        seed: 1,
        lengths: vec![2048],
        depths: vec![50],
        kinds: vec![Kind::CodeNeedle, Kind::Absent],
        per_cell: 1,
        haystack: Some(generate::haystack_ref(std::slice::from_ref(&root), Some(dir.path())).unwrap()),
    };
    let lines: Vec<String> = grid.lines().iter().map(|l| serde_json::to_string(l).unwrap()).collect();
    assert!(lines[0].contains(r#""haystack":{"paths":["proj"],"sha256":""#), "{}", lines[0]);
    let spec = suite_file(dir.path(), &lines);
    let registry = Registry::default();
    let tasks = registry.load(&spec).unwrap();
    let built = registry.build_prompt(&tasks[0]).unwrap().unwrap();
    assert_eq!(built.tokens, count_o200k(&built.messages[0].content));
    let expected = tasks[0].expected["strings"][0].as_str().unwrap();
    assert!(
        expected.contains('_') && built.messages[0].content.contains(&format!("def {expected}("))
            || built.messages[0].content.contains(&format!("{expected} = "))
    );

    std::fs::write(root.join("README.md"), "# proj\n\nChanged.\n").unwrap();
    let error = registry.load(&spec).unwrap_err().to_string();
    let at = format!("{}:1: the haystack files changed since the suite was generated", spec.path.display());
    assert!(error.contains(&at) && error.contains(":2: the haystack files changed"), "{error}");
}

#[test]
fn bad_lines_are_reported_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let lines = [
        r#"{"id":"a","kind":"niah_single","length":4096,"depth":50,"seed":1}"#.to_string(),
        r#"{"id":"b","kind":"niah_singel","length":4096,"depth":50,"seed":1}"#.to_string(),
        r#"{"id":"c","kind":"absent","length":"4q","depth":50,"seed":1}"#.to_string(),
        r#"{"id":"d","kind":"absent","length":4096,"depth":150,"seed":1}"#.to_string(),
        r#"{"id":"e","kind":"absent","length":4096,"depth":5,"seed":1,"haystack":{"paths":["gone"],"sha256":"ab"}}"#.to_string(),
    ];
    let spec = suite_file(dir.path(), &lines);
    let error = Registry::default().load(&spec).unwrap_err().to_string();
    let path = spec.path.display();
    for (line, what) in [
        (2, "`kind`: unknown kind `niah_singel`"),
        (3, "`length`: `4q` is not a length"),
        (4, "`depth`: 150"),
        (5, "`haystack`:"),
    ] {
        assert!(error.contains(&format!("{path}:{line}: {what}")), "line {line}: {error}");
    }
    assert!(!error.contains(&format!("{path}:1:")), "{error}");
}

#[test]
fn the_registry_builds_long_context_prompts_and_sizes_them_without_building() {
    let registry = Registry::default();
    let line = TaskLine { id: "t".into(), recipe: recipe(Kind::NiahMultiquery, 16_384, 25, 8) };
    let task = line.to_task("lc", Language::Rust, &[]);
    let estimate = registry.prompt_tokens(&task).unwrap();
    let built = registry.build_prompt(&task).unwrap().unwrap();
    assert!(built.system.is_none() && built.messages.len() == 1);
    assert!(estimate.abs_diff(built.tokens) * 100 <= built.tokens, "{estimate} vs {}", built.tokens);
    let custom = crate::families::SuiteSpec::parse("quick").unwrap();
    let plain = &registry.load(&custom).unwrap()[0];
    assert!(registry.build_prompt(plain).is_none() && registry.prompt_tokens(plain).is_none());
    let mut broken = task.clone();
    broken.recipe = Some(serde_json::json!({"kind": "niah_single"}));
    assert!(registry.build_prompt(&broken).unwrap().unwrap_err().starts_with("task `t`: bad recipe"));
}

#[test]
fn the_bundled_suite_is_a_grid_that_max_context_extends() {
    let spec = SuiteSpec::parse(NAME).unwrap();
    let tasks = Registry::default().load(&spec).unwrap();
    assert_eq!(tasks.len(), 540);
    let longest = tasks.iter().filter_map(|t| t.meta["length"].as_u64()).max();
    assert_eq!(longest, Some(131_072));
    let long = Registry::default().load(&SuiteSpec { max_context: Some(1_048_576), ..spec }).unwrap();
    assert_eq!(long.len(), 540 + 3 * 90);
    assert!(tasks.iter().all(|t| long.iter().any(|l| l.id == t.id && l.fingerprint() == t.fingerprint())));
    let aggregate = tasks.iter().find(|t| t.category.as_deref() == Some("aggregate")).unwrap();
    assert!(aggregate.meta["depth"].is_null());
}

#[test]
fn a_thousand_queued_128k_tasks_hold_their_recipes_not_their_haystacks() {
    let grid = generate::Grid {
        seed: 9,
        lengths: vec![131_072],
        depths: (0..100).collect(),
        kinds: vec![Kind::NiahSingle, Kind::NiahMultikey, Kind::Vartrack, Kind::Nonliteral, Kind::Absent],
        per_cell: 2,
        haystack: None,
    };
    let tasks: Vec<Task> = grid.lines().iter().map(|line| line.to_task("lc", Language::Rust, &[])).collect();
    assert_eq!(tasks.len(), 1000);
    let config = crate::config::Config::parse("", "b.toml").unwrap();
    let plan = crate::run::Plan::make(
        tasks,
        vec![config.provider("kimi").unwrap()],
        crate::core::RunOptions::default(),
        &std::collections::HashSet::new(),
        None,
    )
    .unwrap();
    // 131,072 tokens of haystack would be about half a megabyte of text per task.
    let held: usize = plan.tasks.iter().map(|t| serde_json::to_string(t).unwrap().len()).sum();
    assert!(held < 1000 * 1024, "{held} bytes for 1,000 queued tasks");
    assert!(plan.tasks.iter().all(|t| t.messages.is_empty() && t.recipe.is_some()));
    let registry = Registry::default();
    assert!(plan.tasks.iter().all(|t| registry.prompt_tokens(t).is_some_and(|n| n > 131_072)));
}
