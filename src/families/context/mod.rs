//! Long context: how far into its window a model really reads. Haystacks of 1k to 4m tokens
//! (counted in o200k, as RULER counts lengths: `4k` = 4,096), made of synthetic prose or of real
//! files, hide needles at a depth; the kinds follow RULER and NoLiMa (see [`kinds`]).
//!
//! A task holds a seed and parameters (its recipe), never its haystack: the family builds the prompt
//! when the request is sent ([`Family::build_prompt`]) and knows its size without building it
//! ([`Family::prompt_tokens`]), so a queue of a thousand 128k tasks holds no haystack at all.
//!
//! Suites: the bundled `long-context` (a grid expanded at load, 4k-128k, `--max-context` extends or
//! caps it) and `long-context:FILE.jsonl` (task lines, see [`line`]), which
//! `bench suites generate long-context` writes ([`generate`]).

pub mod code;
mod corpus;
pub mod files;
pub mod generate;
mod haystack;
pub mod kinds;
pub mod line;
pub mod prompt;
mod score;
#[cfg(test)]
mod tests;
mod topics;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Family, SuiteError, SuiteSpec};
use crate::core::{BuiltPrompt, Outcome, Score, Task};
use files::FileSource;
use generate::Grid;
use line::{Recipe, TaskLine};

/// Family name used in suite specs (`long-context:PATH`) and the bundled suite's name.
pub const NAME: &str = "long-context";

/// The long-context family.
pub struct LongContext;

impl Family for LongContext {
    fn name(&self) -> &'static str {
        NAME
    }

    fn load(&self, spec: &SuiteSpec) -> Result<Vec<Task>, SuiteError> {
        if let Some(text) = spec.bundled {
            return bundled(text, spec.max_context, &spec.name);
        }
        let base = spec.path.parent().map(Path::to_path_buf).unwrap_or_default();
        // Each haystack is read and checked once, however many lines name it.
        let mut seen: HashMap<Vec<String>, Result<Arc<FileSource>, String>> = HashMap::new();
        super::load_jsonl(spec, |text, _| {
            let line = TaskLine::parse(text)?;
            let Some(haystack) = &line.recipe.haystack else {
                let language = prompt::language(prompt::source(&line.recipe, &[])?.as_deref());
                return Ok(line.to_task(&spec.name, language, &[]));
            };
            let paths: Vec<PathBuf> = haystack.paths.iter().map(|p| base.join(p)).collect();
            let source = match seen.entry(haystack.paths.clone()).or_insert_with(|| files::load(&paths)) {
                Ok(source) if source.sha256 == haystack.sha256 => Arc::clone(source),
                Ok(source) => return Err(files::changed(&paths, &haystack.sha256, &source.sha256)),
                Err(e) => return Err(format!("`haystack`: {e}")),
            };
            let absolute: Vec<PathBuf> =
                paths.iter().map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone())).collect();
            Ok(line.to_task(&spec.name, source.language, &absolute))
        })
    }

    fn score(&self, task: &Task, outcome: &Outcome) -> Score {
        score::score(task, &outcome.text)
    }

    fn build_prompt(&self, task: &Task) -> Option<Result<BuiltPrompt, String>> {
        let built = recipe(task).and_then(|(recipe, paths)| {
            let source = prompt::source(&recipe, &paths)?;
            Ok(prompt::build(&recipe, source.as_deref()).into_prompt())
        });
        Some(built.map_err(|e| format!("task `{}`: {e}", task.id)))
    }

    fn prompt_tokens(&self, task: &Task) -> Option<u64> {
        // A recipe that does not parse has no size; building its prompt says what is wrong with it.
        let (recipe, _) = recipe(task).ok()?;
        // A code needle's question describes what it does, in the same words in every language.
        Some(prompt::tokens(&recipe, code::Language::Rust))
    }
}

/// A task's recipe and the resolved paths of its haystack files.
fn recipe(task: &Task) -> Result<(Recipe, Vec<PathBuf>), String> {
    let recipe = task.recipe.clone().ok_or("the task has no recipe")?;
    let recipe: Recipe = serde_json::from_value(recipe).map_err(|e| format!("bad recipe: {e}"))?;
    let paths = match task.meta.get("haystack_paths") {
        Some(paths) => {
            serde_json::from_value(paths.clone()).map_err(|e| format!("bad haystack paths: {e}"))?
        }
        None => Vec::new(),
    };
    Ok((recipe, paths))
}

/// The tasks of the bundled grid `text`, up to `max_context`.
fn bundled(text: &str, max_context: Option<u64>, suite: &str) -> Result<Vec<Task>, SuiteError> {
    let grid: Grid = serde_json::from_str(text)
        .map_err(|e| SuiteError::one(format!("{suite} (bundled): not a grid: {e}")))?;
    let grid = grid.up_to(max_context);
    grid.check().map_err(|e| SuiteError::one(format!("{suite} (bundled): {e}")))?;
    let code = files::snapshot();
    Ok(grid.lines().iter().map(|line| line.to_task(suite, code.language, &[])).collect())
}
