//! A task's prompt, built when its request is sent: the kind's opening words, the haystack with its
//! needles, and the question, as one user message whose o200k count comes from the builder.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use super::code::Language;
use super::files::{self, FileSource};
use super::haystack::{self, Filler};
use super::kinds::{Kind, Plan, plan};
use super::line::Recipe;
use crate::core::{BuiltPrompt, Message, count_o200k};
use crate::families::draw::Draw;

/// A built prompt with what the tests and the benchmark look at.
#[derive(Debug, Clone)]
pub struct Built {
    /// The user message.
    pub text: String,
    /// Its o200k tokens, summed while building.
    pub tokens: u64,
    /// Where the haystack is in `text`.
    pub haystack: Range<usize>,
    /// Where each needle is in `text`, in the plan's order.
    pub needles: Vec<Range<usize>>,
    /// What was hidden and asked.
    pub plan: Plan,
}

impl Built {
    /// The prompt to send.
    pub fn into_prompt(self) -> BuiltPrompt {
        BuiltPrompt { system: None, messages: vec![Message::user(self.text)], tokens: self.tokens }
    }
}

/// The files a recipe's haystack is made of: its own (`paths`, checked against its hash), the
/// bundled source tree for `code_needle`, or none (synthetic prose).
pub fn source(recipe: &Recipe, paths: &[PathBuf]) -> Result<Option<Arc<FileSource>>, String> {
    match &recipe.haystack {
        Some(haystack) => files::with_hash(&haystack.sha256, paths).map(Some),
        None if recipe.kind == Kind::CodeNeedle => Ok(Some(files::snapshot())),
        None => Ok(None),
    }
}

/// The language a code needle is written in, given the haystack's files.
pub fn language(source: Option<&FileSource>) -> Language {
    source.map_or(Language::Rust, |s| s.language)
}

/// Build the prompt of `recipe` over `source`.
pub fn build(recipe: &Recipe, source: Option<&FileSource>) -> Built {
    let plan = plan(recipe.kind, recipe.depth_fraction(), recipe.seed, language(source));
    let filler = source.map_or(Filler::Prose, Filler::Files);
    let mut segments =
        haystack::build(filler, recipe.length, &plan.needles, &mut Draw::for_task(recipe.seed, 1));
    let opening = format!("{}\n\n", plan.intro);
    let closing = format!("\n\n{}", plan.question);
    // The last stretch of text is counted together with the question that follows it: trimmed of
    // its blank lines, it no longer ends where the pre-tokenizer splits.
    let last = segments.pop();
    let last_text = last.as_ref().map_or("", |s| s.text.trim_end());
    let tail = format!("{last_text}{closing}");
    let tokens = count_o200k(&opening) + segments.iter().map(|s| s.tokens).sum::<u64>() + count_o200k(&tail);
    let size = opening.len() + segments.iter().map(|s| s.text.len()).sum::<usize>() + tail.len();
    let mut text = String::with_capacity(size);
    text.push_str(&opening);
    let mut needles = vec![0..0; plan.needles.len()];
    for segment in &segments {
        if let Some((index, range)) = &segment.needle {
            needles[*index] = text.len() + range.start..text.len() + range.end;
        }
        text.push_str(&segment.text);
    }
    if let Some((index, range)) = last.as_ref().and_then(|l| l.needle.clone()) {
        needles[index] = text.len() + range.start..text.len() + range.end;
    }
    text.push_str(last_text);
    let haystack = opening.len()..text.len();
    text.push_str(&closing);
    Built { text, tokens, haystack, needles, plan }
}

/// The size of the prompt of `recipe` without building it: its length plus the opening words and
/// the question (needles count towards the length).
pub fn tokens(recipe: &Recipe, language: Language) -> u64 {
    let plan = plan(recipe.kind, recipe.depth_fraction(), recipe.seed, language);
    recipe.length
        + count_o200k(&format!("{}\n\n", plan.intro))
        + count_o200k(&format!("\n\n{}", plan.question))
}
