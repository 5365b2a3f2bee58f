//! The words behind a run's answers, joined to its view: each task's prompt excerpt and each
//! result's answer and scorer detail, cut to the lengths a report shows. Loaded from the store alone
//! (the prompt excerpt was stored when the run started), one row at a time.

use std::collections::HashMap;

use serde_json::Value;

use crate::analysis::{Name, RunView};
use crate::core::{ItemKey, excerpt};
use crate::store::{Reads, ResultText, StoreError};

/// Characters kept of each text.
#[derive(Debug, Clone, Copy)]
pub struct Lengths {
    /// Of a task's prompt.
    pub prompt: usize,
    /// Of an answer.
    pub answer: usize,
    /// Of a scorer's detail or an error message.
    pub detail: usize,
}

/// One result's answer and what the scorer (or the error) said, cut short.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowText {
    /// The answer ("" for a failed item).
    pub answer: Box<str>,
    /// The score's detail as `key: value` pairs, or the error of a failed item.
    pub detail: Box<str>,
}

/// Excerpts by the view's task and row indices.
#[derive(Debug, Clone, Default)]
pub struct Texts {
    prompts: Vec<Box<str>>,
    rows: Vec<RowText>,
}

/// Detail keys that are bookkeeping rather than explanation (or too long to excerpt usefully).
const HIDDEN_DETAIL: [&str; 3] = ["answer_key", "model_patch", "scorer_error"];

/// A run's texts as the store holds them, cut short but not yet joined to a view: they need only the
/// run id, so they can be read on a thread of their own while the view loads.
#[derive(Debug, Default)]
pub struct StoredTexts {
    prompts: Vec<(String, String, Box<str>)>,
    rows: Vec<(ItemKey, RowText)>,
}

impl StoredTexts {
    /// Read the texts of run `run_id` from `store`, cut to `lengths`.
    pub fn read(store: &dyn Reads, run_id: &str, lengths: Lengths) -> Result<StoredTexts, StoreError> {
        let mut texts = StoredTexts::default();
        store.task_texts(run_id, &mut |text| {
            if let Some(prompt) = text.prompt_excerpt {
                texts.prompts.push((text.suite, text.id, excerpt(&prompt, lengths.prompt).into()));
            }
        })?;
        store.result_texts(run_id, &mut |text| {
            let row = row_text(&text, lengths);
            texts.rows.push((text.key, row));
        })?;
        Ok(texts)
    }

    /// Place each text at its task's or row's index in `view` (texts the view has no place for are
    /// dropped; a place with no text stays empty).
    pub fn join(self, view: &RunView) -> Texts {
        let tasks: HashMap<(&str, &str), u32> =
            (0u32..).zip(&view.tasks).map(|(i, t)| ((view.name(t.suite), &*t.id), i)).collect();
        let mut prompts = vec![Box::<str>::default(); view.tasks.len()];
        for (suite, id, prompt) in self.prompts {
            if let Some(slot) =
                tasks.get(&(suite.as_str(), id.as_str())).and_then(|&i| prompts.get_mut(i as usize))
            {
                *slot = prompt;
            }
        }
        let providers: HashMap<&str, Name> = view
            .manifest
            .providers
            .iter()
            .filter_map(|p| view.find_name(&p.name).map(|n| (p.name.as_str(), n)))
            .collect();
        let rows: HashMap<(u32, Name, u32), usize> =
            view.rows.iter().enumerate().map(|(i, r)| ((r.task, r.provider, r.sample), i)).collect();
        let mut texts = vec![RowText::default(); view.rows.len()];
        for (key, text) in self.rows {
            let task = tasks.get(&(key.suite.as_str(), key.task_id.as_str()));
            let provider = providers.get(key.provider.as_str());
            if let (Some(&task), Some(&provider)) = (task, provider)
                && let Some(slot) = rows.get(&(task, provider, key.sample)).and_then(|&i| texts.get_mut(i))
            {
                *slot = text;
            }
        }
        Texts { prompts, rows: texts }
    }
}

impl Texts {
    /// Read the texts of `view`'s run from `store`, cut to `lengths`.
    pub fn load(store: &dyn Reads, view: &RunView, lengths: Lengths) -> Result<Texts, StoreError> {
        Ok(StoredTexts::read(store, &view.run.run_id, lengths)?.join(view))
    }

    /// Texts made in memory, for tests.
    #[cfg(test)]
    pub fn new(prompts: Vec<Box<str>>, rows: Vec<RowText>) -> Texts {
        Texts { prompts, rows }
    }

    /// The prompt excerpt of task `task` ("" when none was stored).
    pub fn prompt(&self, task: u32) -> &str {
        self.prompts.get(task as usize).map_or("", |p| p)
    }

    /// The answer excerpt of row `row` ("" when none was stored).
    pub fn answer(&self, row: usize) -> &str {
        self.rows.get(row).map_or("", |t| &t.answer)
    }

    /// The detail (or error) excerpt of row `row` ("" when none was stored).
    pub fn detail(&self, row: usize) -> &str {
        self.rows.get(row).map_or("", |t| &t.detail)
    }
}

fn row_text(text: &ResultText, lengths: Lengths) -> RowText {
    let detail = match (&text.detail, &text.error) {
        (Some(detail), _) => detail_text(detail),
        (None, Some(error)) => error.clone(),
        (None, None) => String::new(),
    };
    RowText {
        answer: excerpt(text.answer.as_deref().unwrap_or(""), lengths.answer).into(),
        detail: excerpt(&detail, lengths.detail).into(),
    }
}

/// A score detail as `key: value; ...`, leaving out bookkeeping keys and empty values.
pub fn detail_text(json: &str) -> String {
    match serde_json::from_str::<Value>(json) {
        Ok(Value::Object(map)) => map
            .iter()
            .filter(|(key, value)| !HIDDEN_DETAIL.contains(&key.as_str()) && !is_empty(value))
            .map(|(key, value)| match value {
                Value::String(text) => format!("{key}: {text}"),
                other => format!("{key}: {other}"),
            })
            .collect::<Vec<_>>()
            .join("; "),
        Ok(other) => other.to_string(),
        Err(_) => json.to_string(),
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        Value::String(text) => text.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::detail_text;

    #[test]
    fn a_detail_reads_as_key_value_pairs_without_bookkeeping() {
        let json =
            r#"{"got": "7", "expected": ["14"], "answer_key": "7", "missing": [], "note": null, "n": 3}"#;
        assert_eq!(detail_text(json), r#"expected: ["14"]; got: 7; n: 3"#);
        assert_eq!(detail_text("not json"), "not json");
    }
}
