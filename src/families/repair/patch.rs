//! A model's patch: found in its answer, checked for paths that leave the repository, and applied
//! by a ladder of ever more tolerant methods, recording which rung worked.
//!
//! The ladder: `git apply`, `git apply --recount` (LLM hunks often carry wrong line counts),
//! `patch --batch --fuzz=5 -p1`, then a whitespace-tolerant search and replace of each hunk (or of
//! each aider-style SEARCH/REPLACE block, which is the only rung such blocks need).

use std::path::{Component, Path};
use std::process::{Command, Stdio};

/// An edit as the model wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// A unified diff (the text from the first `diff --git` / `--- ` line on).
    Diff(String),
    /// Aider-style blocks: (path, search text, replacement text).
    Blocks(Vec<(String, String, String)>),
}

/// Finds the edit in an answer: a unified diff (fenced or bare), else SEARCH/REPLACE blocks.
pub fn find_edit(answer: &str) -> Option<Edit> {
    let text = answer.replace("\r\n", "\n");
    let mut diff = String::new();
    let mut in_fence = false;
    let mut fence_is_diff = false;
    for line in text.lines() {
        if let Some(info) = line.trim_start().strip_prefix("```") {
            in_fence = !in_fence;
            fence_is_diff = in_fence && matches!(info.trim(), "diff" | "patch" | "");
            continue;
        }
        if !in_fence || fence_is_diff {
            diff.push_str(line);
            diff.push('\n');
        }
    }
    if let Some(start) =
        diff.find("diff --git ").or_else(|| diff.find("--- ").filter(|&i| diff[i..].contains("\n+++ ")))
    {
        let body: String =
            diff[start..].lines().take_while(|l| !l.starts_with("```")).map(|l| format!("{l}\n")).collect();
        if body.contains("\n@@") {
            return Some(Edit::Diff(body));
        }
    }
    let blocks = search_replace_blocks(&text);
    (!blocks.is_empty()).then_some(Edit::Blocks(blocks))
}

fn search_replace_blocks(text: &str) -> Vec<(String, String, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim_start().starts_with("<<<<<<< SEARCH") {
            let path = (0..i)
                .rev()
                .map(|j| lines[j].trim())
                .find(|l| !l.is_empty() && !l.starts_with("```"))
                .map(|l| l.trim_matches(['`', '*', ':']).trim())
                .unwrap_or_default()
                .to_string();
            let (mut search, mut replace, mut j) = (String::new(), String::new(), i + 1);
            while j < lines.len() && !lines[j].trim_start().starts_with("=======") {
                search.push_str(lines[j]);
                search.push('\n');
                j += 1;
            }
            j += 1;
            while j < lines.len() && !lines[j].trim_start().starts_with(">>>>>>> REPLACE") {
                replace.push_str(lines[j]);
                replace.push('\n');
                j += 1;
            }
            if j < lines.len() && !path.is_empty() {
                blocks.push((path, search, replace));
            }
            i = j;
        }
        i += 1;
    }
    blocks
}

/// The repository-relative paths an edit touches (both sides of a diff), each once, in order.
pub fn touched_paths(edit: &Edit) -> Vec<String> {
    let mut paths = all_paths(edit);
    let mut seen = std::collections::HashSet::new();
    paths.retain(|p| seen.insert(p.clone()));
    paths
}

fn all_paths(edit: &Edit) -> Vec<String> {
    match edit {
        Edit::Blocks(blocks) => blocks.iter().map(|(p, _, _)| p.clone()).collect(),
        Edit::Diff(diff) => {
            let mut paths = Vec::new();
            for line in diff.lines() {
                let rest = ["--- ", "+++ ", "rename from ", "rename to ", "copy from ", "copy to "]
                    .iter()
                    .find_map(|p| line.strip_prefix(p));
                if let Some(rest) = rest {
                    let path = rest.split('\t').next().unwrap_or_default().trim();
                    if path != "/dev/null" {
                        let path =
                            path.strip_prefix("a/").or_else(|| path.strip_prefix("b/")).unwrap_or(path);
                        paths.push(path.to_string());
                    }
                } else if let Some(rest) = line.strip_prefix("diff --git ") {
                    paths.extend(rest.split_whitespace().map(|p| {
                        p.strip_prefix("a/").or_else(|| p.strip_prefix("b/")).unwrap_or(p).to_string()
                    }));
                }
            }
            paths
        }
    }
}

/// Why an edit is refused before anything is written: a path that is absolute, climbs out with
/// `..`, goes through a symlink, or a diff that creates a symlink.
pub fn unsafe_reason(edit: &Edit, repo: &Path) -> Option<String> {
    if let Edit::Diff(diff) = edit
        && diff.lines().any(|l| l.starts_with("new file mode 120000") || l.starts_with("new mode 120000"))
    {
        return Some("the patch creates a symlink".into());
    }
    for path in touched_paths(edit) {
        let p = Path::new(&path);
        if p.is_absolute() || path.starts_with('~') {
            return Some(format!("absolute path `{path}`"));
        }
        if p.components()
            .any(|c| matches!(c, Component::ParentDir | Component::RootDir | Component::Prefix(_)))
        {
            return Some(format!("path `{path}` leaves the repository"));
        }
        let mut at = repo.to_path_buf();
        for component in p.components() {
            at.push(component);
            if at.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()) {
                return Some(format!("path `{path}` goes through a symlink"));
            }
        }
    }
    None
}

/// Which method applied the edit.
pub type Rung = &'static str;

/// Applies an edit in `dir` by the ladder; the rung that worked, or what the last one said.
pub fn apply(edit: &Edit, dir: &Path) -> Result<Rung, String> {
    let diff = match edit {
        Edit::Blocks(blocks) => return apply_blocks(blocks, dir).map(|()| "search_replace"),
        Edit::Diff(diff) => diff,
    };
    let tries: [(Rung, &str, &[&str]); 3] = [
        ("git_apply", "git", &["apply", "--whitespace=nowarn", "-"]),
        ("git_apply_recount", "git", &["apply", "--recount", "--whitespace=nowarn", "-"]),
        ("patch_fuzz", "patch", &["--batch", "--fuzz=5", "-p1", "--no-backup-if-mismatch", "-r", "-"]),
    ];
    let mut last = String::new();
    for (rung, program, args) in tries {
        let snapshot = Snapshot::take(dir, &touched_paths(edit));
        match run_with_input(program, args, diff, dir) {
            Ok(()) => return Ok(rung),
            Err(e) => {
                snapshot.restore(dir);
                last = format!("{rung}: {e}");
            }
        }
    }
    let blocks = hunks_as_blocks(diff);
    let snapshot = Snapshot::take(dir, &touched_paths(edit));
    match apply_blocks(&blocks, dir) {
        Ok(()) if !blocks.is_empty() => Ok("hunk_search_replace"),
        Ok(()) => Err(last),
        Err(e) => {
            snapshot.restore(dir);
            Err(format!("{last}; hunk_search_replace: {e}"))
        }
    }
}

/// The touched files' contents before a rung, so a half-applied rung leaves nothing behind.
struct Snapshot(Vec<(String, Option<Vec<u8>>)>);

impl Snapshot {
    fn take(dir: &Path, paths: &[String]) -> Snapshot {
        Snapshot(paths.iter().map(|p| (p.clone(), std::fs::read(dir.join(p)).ok())).collect())
    }

    fn restore(&self, dir: &Path) {
        for (path, content) in &self.0 {
            let target = dir.join(path);
            let _ = match content {
                Some(bytes) => std::fs::write(&target, bytes),
                None => std::fs::remove_file(&target),
            };
        }
    }
}

fn run_with_input(program: &str, args: &[&str], input: &str, dir: &Path) -> Result<(), String> {
    use std::io::Write;
    let mut child = Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input.as_bytes());
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if out.status.success() {
        return Ok(());
    }
    let text = String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    Err(text.lines().take(3).collect::<Vec<_>>().join(" / "))
}

/// Each hunk of a diff as a search/replace block: (context and `-` lines) → (context and `+` lines).
fn hunks_as_blocks(diff: &str) -> Vec<(String, String, String)> {
    let mut blocks = Vec::new();
    let mut path = String::new();
    let mut current: Option<(String, String)> = None;
    let flush = |current: &mut Option<(String, String)>, blocks: &mut Vec<_>, path: &str| {
        if let Some((old, new)) = current.take()
            && !path.is_empty()
        {
            blocks.push((path.to_string(), old, new));
        }
    };
    for line in diff.lines() {
        if let Some(p) = line.strip_prefix("+++ ") {
            flush(&mut current, &mut blocks, &path);
            let p = p.split('\t').next().unwrap_or_default().trim();
            path = p.strip_prefix("b/").unwrap_or(p).to_string();
        } else if line.starts_with("@@") {
            flush(&mut current, &mut blocks, &path);
            current = Some((String::new(), String::new()));
        } else if line.starts_with("--- ") || line.starts_with("diff --git") {
            flush(&mut current, &mut blocks, &path);
        } else if let Some((old, new)) = current.as_mut() {
            match line.chars().next() {
                Some('-') => old.push_str(&format!("{}\n", &line[1..])),
                Some('+') => new.push_str(&format!("{}\n", &line[1..])),
                Some('\\') => {}
                _ => {
                    let context = line.strip_prefix(' ').unwrap_or(line);
                    old.push_str(&format!("{context}\n"));
                    new.push_str(&format!("{context}\n"));
                }
            }
        }
    }
    flush(&mut current, &mut blocks, &path);
    blocks
}

/// Applies search/replace blocks: an empty search creates the file; otherwise the search text must
/// occur once, matched exactly, then ignoring trailing whitespace, then ignoring indentation.
fn apply_blocks(blocks: &[(String, String, String)], dir: &Path) -> Result<(), String> {
    for (path, search, replace) in blocks {
        let target = dir.join(path);
        if search.trim().is_empty() {
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| format!("{path}: {e}"))?;
            }
            std::fs::write(&target, replace).map_err(|e| format!("{path}: {e}"))?;
            continue;
        }
        let content = std::fs::read_to_string(&target).map_err(|e| format!("{path}: {e}"))?;
        let updated = replace_once(&content, search, replace)
            .ok_or_else(|| format!("{path}: search text not found"))?;
        std::fs::write(&target, updated).map_err(|e| format!("{path}: {e}"))?;
    }
    Ok(())
}

fn replace_once(content: &str, search: &str, replace: &str) -> Option<String> {
    if content.matches(search).count() == 1 {
        return Some(content.replacen(search, replace, 1));
    }
    let lines: Vec<&str> = content.split_inclusive('\n').collect();
    let wanted: Vec<&str> = search.lines().collect();
    for normalise in [str::trim_end as fn(&str) -> &str, str::trim] {
        let hits: Vec<usize> = (0..lines.len().saturating_sub(wanted.len() - 1))
            .filter(|&i| wanted.iter().enumerate().all(|(k, w)| normalise(lines[i + k]) == normalise(w)))
            .collect();
        if let [start] = hits[..] {
            let mut out: String = lines[..start].concat();
            out.push_str(replace);
            out.push_str(&lines[start + wanted.len()..].concat());
            return Some(out);
        }
    }
    None
}

/// What an applied edit changed to `paths` (each once), as a clean `git diff`-style patch: `before(path)` gives a file as it
/// was (`None`: it did not exist), `dir` holds it after. Whatever form the model wrote its edit in,
/// this is the patch the official SWE-bench harness can apply (the `model_patch` of a prediction).
pub fn changes_as_diff(paths: &[String], before: impl Fn(&str) -> Option<Vec<u8>>, dir: &Path) -> String {
    let mut out = String::new();
    for path in paths {
        let (old, new) = (before(path), std::fs::read(dir.join(path)).ok());
        if old == new {
            continue;
        }
        let text = |bytes: &Option<Vec<u8>>| match bytes {
            Some(b) => String::from_utf8(b.clone()).ok(),
            None => Some(String::new()),
        };
        let (Some(old_text), Some(new_text)) = (text(&old), text(&new)) else {
            continue;
        };
        out.push_str(&format!("diff --git a/{path} b/{path}\n"));
        if old.is_none() {
            out.push_str("new file mode 100644\n");
        } else if new.is_none() {
            out.push_str("deleted file mode 100644\n");
        }
        let name =
            |exists: bool, side: &str| if exists { format!("{side}/{path}") } else { "/dev/null".into() };
        let diff = diffy::DiffOptions::new()
            .set_original_filename(name(old.is_some(), "a"))
            .set_modified_filename(name(new.is_some(), "b"))
            .create_patch(&old_text, &new_text);
        out.push_str(&diff.to_string());
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_rendered_as_a_diff_git_applies() {
        let dir = tempfile::tempdir().unwrap();
        let before = |p: &str| match p {
            "a.py" => Some(b"x = 1\ny = 2\n".to_vec()),
            "same.py" => Some(b"same\n".to_vec()),
            "gone.py" => Some(b"bye\n".to_vec()),
            _ => None,
        };
        std::fs::write(dir.path().join("a.py"), "x = 1\ny = 3").unwrap();
        std::fs::write(dir.path().join("same.py"), "same\n").unwrap();
        std::fs::write(dir.path().join("new.py"), "hello\n").unwrap();
        let paths: Vec<String> =
            ["a.py", "same.py", "new.py", "gone.py"].iter().map(|s| s.to_string()).collect();
        let diff = changes_as_diff(&paths, before, dir.path());
        assert_eq!(
            diff,
            "diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -1,2 +1,2 @@\n x = 1\n-y = 2\n+y = 3\n\\ No newline at end of file\n\
             diff --git a/new.py b/new.py\nnew file mode 100644\n--- /dev/null\n+++ b/new.py\n@@ -0,0 +1 @@\n+hello\n\
             diff --git a/gone.py b/gone.py\ndeleted file mode 100644\n--- a/gone.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n"
        );
    }

    #[test]
    fn touched_paths_are_listed_once_in_order() {
        let diff = "diff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a\n+b\n\
                    diff --git a/t/new.py b/t/new.py\nnew file mode 100644\n--- /dev/null\n+++ b/t/new.py\n@@ -0,0 +1 @@\n+c\n";
        assert_eq!(touched_paths(&Edit::Diff(diff.into())), vec!["x.py", "t/new.py"]);
    }
}
