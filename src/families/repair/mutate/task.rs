//! Turning a caught mutant into a `repair:DIR` task folder, and writing a batch of them atomically.

use std::path::{Path, PathBuf};

use super::{Draw, Picked, Project, TEST_COMMAND, is_test_file, issue};

/// Lines of context around a change in `fix.patch`, as `diff -u` writes.
const CONTEXT: usize = 3;

/// Stream offset of the wording draws, so the issue text does not depend on how many sites a
/// task had to try.
pub const WORDING_STREAM: u64 = 1 << 62;

/// One task folder: its name and its files (relative path, content).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFolder {
    /// `mut-s<SEED>-<INDEX>` (the index zero-padded so folders sort in index order).
    pub name: String,
    /// `task.toml`, `fix.patch`, `repo/...` and `hidden/...`, sorted by path.
    pub files: Vec<(String, String)>,
}

/// The task folder of a picked mutant.
pub fn task_folder(project: &Project, seed: u64, picked: &Picked) -> TaskFolder {
    let site = &picked.site;
    let mutated = project.mutated(site);
    let original = project.file(&site.file).unwrap_or_default();
    let broken = mutated.iter().find(|(p, _)| *p == site.file).map_or("", |(_, c)| c.as_str());
    let mut files = vec![("fix.patch".to_string(), fix_patch(&site.file, broken, original))];
    for (path, content) in &mutated {
        let top = if is_test_file(path) { "hidden" } else { "repo" };
        files.push((format!("{top}/{path}"), content.clone()));
    }
    let mut draw = Draw::for_task(seed, WORDING_STREAM + picked.index);
    let text = issue::issue(&mut draw, original, site, &picked.caught);
    let mut shown = vec![site.file.clone()];
    shown.extend(related_module(project, &site.file, issue::lead_test(&picked.caught.failing, &site.file)));
    shown.sort();
    let toml = task_toml(seed, picked, &text, &shown);
    files.push(("task.toml".to_string(), toml));
    files.sort();
    TaskFolder { name: format!("mut-s{seed}-{:04}", picked.index), files }
}

/// A second module worth showing next to the mutated one: the module the issue's failing test is
/// named after, or else the first module the mutated one imports.
fn related_module(project: &Project, file: &str, lead: &str) -> Option<String> {
    let package = file.rsplit_once('/').map_or("", |(dir, _)| dir);
    let in_package = |module: &str| {
        let path = if package.is_empty() { format!("{module}.py") } else { format!("{package}/{module}.py") };
        (path != file && project.file(&path).is_some()).then_some(path)
    };
    let tested = lead.split('.').find_map(|part| part.strip_prefix("test_")).and_then(in_package);
    tested.or_else(|| {
        let source = project.file(file)?;
        source.lines().find_map(|line| {
            let module = line.strip_prefix("from .")?.split_whitespace().next()?;
            in_package(module)
        })
    })
}

/// A unified diff of one file whose line count did not change, from `old` to `new`, with
/// [`CONTEXT`] lines of context (one hunk per group of nearby changed lines), in the form
/// `git apply` and `patch -p1` read.
pub fn fix_patch(path: &str, old: &str, new: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) =
        (old.split_inclusive('\n').collect(), new.split_inclusive('\n').collect());
    let changed: Vec<usize> = (0..a.len().max(b.len())).filter(|&i| a.get(i) != b.get(i)).collect();
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    let mut k = 0;
    while k < changed.len() {
        let mut last = k;
        while last + 1 < changed.len() && changed[last + 1] - changed[last] <= 2 * CONTEXT {
            last += 1;
        }
        let start = changed[k].saturating_sub(CONTEXT);
        let end = (changed[last] + CONTEXT + 1).min(a.len());
        let range = |count: usize| match count {
            1 => format!("{}", start + 1),
            _ => format!("{},{count}", start + 1),
        };
        out.push_str(&format!("@@ -{} +{} @@\n", range(end - start), range(end - start)));
        let mut i = start;
        while i < end {
            if !changed[k..=last].contains(&i) {
                push_line(&mut out, ' ', a[i]);
                i += 1;
                continue;
            }
            let run_end = (i..end).find(|j| !changed[k..=last].contains(j)).unwrap_or(end);
            for line in &a[i..run_end] {
                push_line(&mut out, '-', line);
            }
            for line in b.get(i..run_end).unwrap_or_default() {
                push_line(&mut out, '+', line);
            }
            i = run_end;
        }
        k = last + 1;
    }
    out
}

fn push_line(out: &mut String, mark: char, line: &str) {
    out.push(mark);
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

/// `s` as a TOML basic string (one line).
fn toml_string(s: &str) -> String {
    format!("\"{}\"", toml_escape(s, false))
}

/// Escapes `s` for a TOML basic string; line breaks stay literal in a multi-line one.
fn toml_escape(s: &str, multiline: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            // In a multi-line string a quote needs escaping only where it could close the string.
            '"' if multiline && !matches!(chars.peek(), Some('"') | None) => out.push('"'),
            '"' => out.push_str("\\\""),
            '\n' if multiline => out.push('\n'),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn toml_list(items: &[String]) -> String {
    let mut out = String::from("[\n");
    for item in items {
        out.push_str(&format!("    {},\n", toml_string(item)));
    }
    out.push(']');
    out
}

/// The task's `task.toml`.
fn task_toml(seed: u64, picked: &Picked, issue: &str, files: &[String]) -> String {
    let files: Vec<String> = files.iter().map(|f| toml_string(f)).collect();
    format!(
        "# Generated by `bench suites generate repair --seed {seed}` (task {index}): a bug injected into\n\
         # {file}, caught by the project's tests. Regenerate rather than edit.\n\
         issue = \"\"\"\n{issue}\"\"\"\n\
         category = {category}\n\
         test_command = {command}\n\
         framework = \"unittest\"\n\
         fail_to_pass = {fail}\n\
         pass_to_pass = {pass}\n\
         files = [{files}]\n\
         timeout_s = 60\n",
        index = picked.index,
        file = picked.site.file,
        issue = toml_escape(issue, true),
        category = toml_string(picked.site.operator.name()),
        command = toml_string(TEST_COMMAND),
        fail = toml_list(&picked.caught.failing),
        pass = toml_list(&picked.caught.passing),
        files = files.join(", "),
    )
}

/// Writes `tasks` as sub-folders of `out`: built in a temporary folder next to it and renamed into
/// place, so a reader never sees half a suite. `out` must not exist or be an empty folder.
pub fn write_suite(out: &Path, tasks: &[TaskFolder]) -> Result<(), String> {
    super::check_out_dir(out)?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out.file_name().map_or_else(|| "suite".into(), |n| n.to_string_lossy().into_owned());
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        std::fs::create_dir(&tmp).map_err(|e| format!("cannot create {}: {e}", tmp.display()))?;
        for task in tasks {
            for (path, content) in &task.files {
                let target = tmp.join(&task.name).join(path);
                if let Some(dir) = target.parent() {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                }
                std::fs::write(&target, content)
                    .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
            }
        }
        std::fs::rename(&tmp, out).map_err(|e| format!("cannot move the suite into {}: {e}", out.display()))
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}
