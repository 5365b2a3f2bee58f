//! The project-workspace environment: list, read, search and edit the files of a small project in
//! an in-memory tree, and run its check (what an AI coding tool does all day). `git_commit` is only
//! for tasks that ask for a commit; `web_search` is a distractor (the workspace has no network).
//!
//! State parts: `files` (every path whose content differs from the start: its new text, or null
//! when deleted), `last_check` (`passed`, `failed`, or null before any run: the check as last run,
//! so a stale result does not count) and `commits` (the paths each commit took in).

mod project;
pub(crate) mod tasks;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde_json::{Value, json};

use super::world::{Args, ToolResult, World, tool};
use crate::core::ToolSpec;
pub(crate) use project::{Defect, FIXME_LINE, HELPERS, Project, SETTINGS, check, version_text};

/// The system prompt of workspace tasks.
pub const SYSTEM: &str = "You are a coding assistant working in a project's workspace through tools. Make \
exactly the changes asked for, keep everything else as it is, and do not commit unless asked. When you \
have finished, say briefly what you changed.";

/// The state parts a task may name.
pub const PARTS: &[&str] = &["files", "last_check", "commits"];

/// The workspace environment's tools.
pub fn tools() -> &'static [ToolSpec] {
    static TOOLS: LazyLock<Vec<ToolSpec>> = LazyLock::new(specs);
    &TOOLS
}

fn specs() -> Vec<ToolSpec> {
    let path =
        json!({"type": "string", "description": "A path relative to the project root, such as src/api.py."});
    vec![
        tool(
            "list_files",
            "List the project's files, optionally only those under a folder.",
            json!({"dir": {"type": "string", "description": "A folder such as src; the whole project when left out."}}),
            &[],
        ),
        tool("read_file", "Read a file's whole text.", json!({"path": path}), &["path"]),
        tool(
            "search",
            "Find the lines that contain a text (case-sensitive), as path, line number and line.",
            json!({"text": {"type": "string", "minLength": 1}, "dir": {"type": "string"}}),
            &["text"],
        ),
        tool(
            "write_file",
            "Create a file or replace its whole text.",
            json!({"path": path, "content": {"type": "string"}}),
            &["path", "content"],
        ),
        tool(
            "replace_in_file",
            "Replace an exact text in a file. The text must occur once, unless `all` is true, which replaces every occurrence.",
            json!({"path": path, "old": {"type": "string", "minLength": 1}, "new": {"type": "string"}, "all": {"type": "boolean"}}),
            &["path", "old", "new"],
        ),
        tool("delete_file", "Delete a file.", json!({"path": path}), &["path"]),
        tool(
            "run_check",
            "Run the project's check (versions, imports, settings, FIXMEs) and list its problems.",
            json!({}),
            &[],
        ),
        tool(
            "git_commit",
            "Commit every change made since the last commit.",
            json!({"message": {"type": "string", "minLength": 1}}),
            &["message"],
        ),
        tool("web_search", "Search the web.", json!({"query": {"type": "string"}}), &["query"]),
    ]
}

/// The workspace world: the project's files as they were and as they are.
pub(crate) struct Workspace {
    start: BTreeMap<String, String>,
    files: BTreeMap<String, String>,
    committed: BTreeMap<String, String>,
    last_check: Option<bool>,
    commits: Vec<Value>,
}

impl Workspace {
    /// The world of `seed`.
    pub(crate) fn new(seed: u64) -> Workspace {
        let files = Project::new(seed).files;
        Workspace {
            start: files.clone(),
            committed: files.clone(),
            files,
            last_check: None,
            commits: Vec::new(),
        }
    }

    fn file(&self, path: &str) -> Result<&String, String> {
        self.files.get(path).ok_or_else(|| format!("there is no file {path}"))
    }

    fn replace(&mut self, args: &Args<'_>) -> ToolResult {
        let path = clean_path(args.str("path")?)?;
        let (old, new, all) = (args.str("old")?, args.str("new")?, args.flag("all")?);
        if old.is_empty() {
            return Err("`old` is empty".into());
        }
        let text = self.file(&path)?;
        let found = text.matches(old).count();
        match found {
            0 => return Err(format!("{path} does not contain the text to replace")),
            n if n > 1 && !all => {
                return Err(format!(
                    "the text occurs {n} times in {path}; include more context, or pass all=true"
                ));
            }
            _ => {}
        }
        let replaced = text.replace(old, new);
        self.files.insert(path.clone(), replaced);
        Ok(json!({"path": path, "replacements": found}))
    }

    fn commit(&mut self, args: &Args<'_>) -> ToolResult {
        args.str("message")?;
        let changed = changes(&self.committed, &self.files);
        if changed.is_empty() {
            return Err("nothing to commit".into());
        }
        let paths: Vec<&String> = changed.keys().collect();
        self.commits.push(json!({"files": paths}));
        self.committed = self.files.clone();
        Ok(json!({"commit": self.commits.len(), "files": paths}))
    }
}

/// A path the model gave, as a key of the tree: relative, without `.`/`..` parts or doubled slashes.
fn clean_path(path: &str) -> Result<String, String> {
    let parts: Vec<&str> = path.trim().trim_start_matches("./").split('/').collect();
    if path.starts_with('/') || parts.iter().any(|p| p.is_empty() || *p == "." || *p == "..") {
        return Err(format!("`{path}` is not a path inside the project (use paths like src/api.py)"));
    }
    Ok(parts.join("/"))
}

/// Paths whose text differs between `before` and `after`: the new text, or null when deleted.
fn changes(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> BTreeMap<String, Value> {
    let mut changed = BTreeMap::new();
    for (path, text) in after {
        if before.get(path) != Some(text) {
            changed.insert(path.clone(), Value::String(text.clone()));
        }
    }
    for path in before.keys().filter(|p| !after.contains_key(*p)) {
        changed.insert(path.clone(), Value::Null);
    }
    changed
}

fn under<'a>(dir: Option<&'a str>) -> impl Fn(&str) -> bool + 'a {
    move |path: &str| {
        dir.map(|d| d.trim_end_matches('/'))
            .is_none_or(|d| d.is_empty() || path.starts_with(&format!("{d}/")))
    }
}

impl World for Workspace {
    fn call(&mut self, name: &str, args: &Args<'_>) -> ToolResult {
        let path = || args.str("path").and_then(clean_path);
        match name {
            "list_files" => {
                let inside = under(args.opt_str("dir")?);
                Ok(json!({"files": self.files.keys().filter(|p| inside(p)).collect::<Vec<_>>()}))
            }
            "read_file" => {
                let path = path()?;
                Ok(json!({"path": path, "content": self.file(&path)?}))
            }
            "search" => {
                let (text, inside) = (args.str("text")?, under(args.opt_str("dir")?));
                let matches: Vec<Value> = self
                    .files
                    .iter()
                    .filter(|(p, _)| inside(p))
                    .flat_map(|(p, body)| {
                        body.lines()
                            .enumerate()
                            .filter(|(_, l)| l.contains(text))
                            .map(move |(n, l)| json!({"path": p, "line": n + 1, "text": l}))
                    })
                    .collect();
                Ok(json!({"matches": matches}))
            }
            "write_file" => {
                let (path, content) = (path()?, args.str("content")?);
                self.files.insert(path.clone(), content.to_string());
                Ok(json!({"written": path, "bytes": content.len()}))
            }
            "replace_in_file" => self.replace(args),
            "delete_file" => {
                let path = path()?;
                self.files.remove(&path).ok_or_else(|| format!("there is no file {path}"))?;
                Ok(json!({"deleted": path}))
            }
            "run_check" => {
                let problems = check(&self.files);
                self.last_check = Some(problems.is_empty());
                Ok(json!({"passed": problems.is_empty(), "problems": problems}))
            }
            "git_commit" => self.commit(args),
            "web_search" => Err("this workspace has no network access".into()),
            other => Err(format!("there is no tool named `{other}`")),
        }
    }

    fn state(&self) -> Value {
        let last_check = self.last_check.map(|passed| if passed { "passed" } else { "failed" });
        json!({"files": changes(&self.start, &self.files), "last_check": last_check, "commits": self.commits})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_project() {
        assert_eq!(clean_path("./src/api.py"), Ok("src/api.py".into()));
        for bad in ["/etc/passwd", "../x", "src//api.py", "src/./api.py"] {
            assert!(clean_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn edits_show_in_the_state_and_an_ambiguous_replacement_is_refused() {
        let mut world = Workspace::new(3);
        let call = |w: &mut Workspace, name: &str, args: Value| w.call(name, &Args(&args));
        assert_eq!(world.state(), json!({"files": {}, "last_check": null, "commits": []}));
        call(&mut world, "write_file", json!({"path": "notes.txt", "content": "a a"})).unwrap();
        let twice = call(&mut world, "replace_in_file", json!({"path": "notes.txt", "old": "a", "new": "b"}));
        assert!(twice.unwrap_err().contains("occurs 2 times"));
        call(
            &mut world,
            "replace_in_file",
            json!({"path": "notes.txt", "old": "a", "new": "b", "all": true}),
        )
        .unwrap();
        call(&mut world, "delete_file", json!({"path": "README.md"})).unwrap();
        call(&mut world, "git_commit", json!({"message": "x"})).unwrap();
        assert!(call(&mut world, "git_commit", json!({"message": "again"})).unwrap_err().contains("nothing"));
        let state = world.state();
        assert_eq!(state["files"], json!({"README.md": null, "notes.txt": "b b"}));
        assert_eq!(state["commits"], json!([{"files": ["README.md", "notes.txt"]}]));
        assert!(call(&mut world, "web_search", json!({"query": "x"})).is_err());
    }
}
