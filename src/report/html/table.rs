//! The task table's data: every answer of the run as compact JSON (names as indices into short lists,
//! one array per answer), embedded in the page and rendered a window at a time by its script.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};

use crate::analysis::{RunView, UNCATEGORIZED};
use crate::report::outcome::Fate;
use crate::report::texts::Texts;

/// What the page's script reads: lists of names, then tasks and answers that point into them.
///
/// A task is `[suite, id, category, prompt]`; an answer is `[task, provider, sample, outcome, score,
/// latency_ms, answer, detail]`, with `score` and `latency_ms` null where the answer has none.
#[derive(Serialize)]
struct Data<'a> {
    providers: Vec<&'a str>,
    suites: Vec<&'a str>,
    categories: Vec<&'a str>,
    outcomes: Vec<&'static str>,
    tasks: Tasks<'a>,
    rows: Rows<'a>,
}

struct Tasks<'a> {
    view: &'a RunView,
    texts: &'a Texts,
    suites: HashMap<u32, usize>,
    categories: HashMap<u32, usize>,
}

struct Rows<'a> {
    view: &'a RunView,
    texts: &'a Texts,
    providers: HashMap<u32, usize>,
}

impl Serialize for Tasks<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.view.tasks.len()))?;
        for (i, task) in (0u32..).zip(&self.view.tasks) {
            let suite = self.suites.get(&task.suite.number()).copied().unwrap_or(0);
            let category = task.category.and_then(|c| self.categories.get(&c.number()).copied()).unwrap_or(0);
            seq.serialize_element(&(suite, &*task.id, category, self.texts.prompt(i)))?;
        }
        seq.end()
    }
}

impl Serialize for Rows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.view.rows.len()))?;
        for (i, row) in self.view.rows.iter().enumerate() {
            let provider = self.providers.get(&row.provider.number()).copied().unwrap_or(0);
            let fate = Fate::ALL.iter().position(|f| *f == Fate::of(self.view, row)).unwrap_or(0);
            let latency = row.latency_ms.map(|ms| ms.round() as i64);
            let score = row.score.filter(|_| row.error_class.is_none() && row.scorer_error.is_none());
            seq.serialize_element(&(
                row.task,
                provider,
                row.sample,
                fate,
                score,
                latency,
                self.texts.answer(i),
                self.texts.detail(i),
            ))?;
        }
        seq.end()
    }
}

/// Write the table's data as JSON that is safe inside a `<script>` element: every `<` is escaped,
/// so no answer can close the element.
pub fn write(view: &RunView, texts: &Texts, out: &mut Vec<u8>) -> io::Result<()> {
    let mut suites: Vec<&str> = Vec::new();
    let mut suite_index = HashMap::new();
    let mut categories: Vec<&str> = vec![UNCATEGORIZED];
    let mut category_index = HashMap::new();
    for task in &view.tasks {
        suite_index.entry(task.suite.number()).or_insert_with(|| {
            suites.push(view.name(task.suite));
            suites.len() - 1
        });
        if let Some(c) = task.category {
            category_index.entry(c.number()).or_insert_with(|| {
                categories.push(view.name(c));
                categories.len() - 1
            });
        }
    }
    let providers: Vec<&str> = view.manifest.providers.iter().map(|p| p.name.as_str()).collect();
    let provider_index = providers
        .iter()
        .enumerate()
        .filter_map(|(i, p)| view.find_name(p).map(|n| (n.number(), i)))
        .collect();
    let data = Data {
        providers,
        suites,
        categories,
        outcomes: Fate::ALL.iter().map(|f| f.as_str()).collect(),
        tasks: Tasks { view, texts, suites: suite_index, categories: category_index },
        rows: Rows { view, texts, providers: provider_index },
    };
    serde_json::to_writer(ScriptSafe(out), &data).map_err(io::Error::other)
}

/// Bytes of JSON with `<` written as `\u003c` (only inside strings can JSON hold one).
struct ScriptSafe<'a>(&'a mut Vec<u8>);

impl Write for ScriptSafe<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        for part in buf.split_inclusive(|&b| b == b'<') {
            match part.split_last() {
                Some((b'<', head)) => {
                    self.0.extend_from_slice(head);
                    self.0.extend_from_slice(b"\\u003c");
                }
                _ => self.0.extend_from_slice(part),
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_answer_can_close_the_script_element() {
        let mut out = Vec::new();
        let mut safe = ScriptSafe(&mut out);
        serde_json::to_writer(&mut safe, &serde_json::json!({"a": "</script><b>", "n": 1})).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, r#"{"a":"\u003c/script>\u003cb>","n":1}"#);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap()["a"], "</script><b>");
    }
}
