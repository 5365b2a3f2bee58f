//! Haystacks made of files: the team's own (`--haystack PATH...`: a source tree, documents) or the
//! small snapshot of real source bundled for `code_needle`.
//!
//! A tree is read in a fixed order (paths as given, each folder walked by file name), skipping hidden
//! entries, build and dependency folders, binary files and files over [`MAX_FILE_BYTES`]; its
//! content hash ([`FileSource::sha256`]) is what a task line records and what loading checks.
//!
//! Each file is cut into units (a line, or a line with the blank lines after it) at places where the
//! o200k pre-tokenizer always splits ([`is_piece_boundary`]), and each unit is counted once, when a
//! haystack first needs it; a haystack's size is then a sum of known counts, exact like the prose's.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use include_dir::{Dir, include_dir};
use sha2::{Digest, Sha256};

use super::code::Language;
use crate::core::count_o200k;

/// Files larger than this are skipped: generated data, not code or prose a team reads.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// Reading stops after this much text; no haystack needs more.
pub const MAX_TREE_BYTES: u64 = 32 * 1024 * 1024;
/// Folders never read: version control, build output, dependencies.
const SKIPPED_DIRS: &[&str] = &["target", "node_modules", "__pycache__", "vendor", "dist", "build"];

/// The bundled source tree: a fixed copy of some of bench's own files, so the bundled suite never
/// changes when bench's code does.
static SNAPSHOT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/suites/long-context-code");

/// One line of a file (with the blank lines after it). Lines run together in chunks that end where
/// the o200k pre-tokenizer always splits; a chunk's count is exact, a line's is its share of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    /// Where it starts in its file's text.
    pub start: usize,
    /// Where it ends (after its blank lines).
    pub end: usize,
    /// Its own count; the last line of a chunk takes what makes the chunk's lines add up exactly.
    pub tokens: u64,
    /// Whether it starts at the left margin (a top-level item in most languages): where a code
    /// needle reads most naturally.
    pub margin: bool,
    /// For the first line of a chunk: the chunk's exact count and number of lines. `None` for a
    /// line that runs on from the one before (a `//` line after punctuation, say).
    pub chunk: Option<Chunk>,
}

/// A run of lines whose tokens add up exactly with whatever comes before and after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk {
    /// Its tokens, counted on it alone.
    pub tokens: u64,
    /// How many lines it holds.
    pub lines: usize,
}

/// One file of a haystack source.
pub struct SourceFile {
    /// Its path as shown in the haystack (`src/core/task.rs`).
    pub path: String,
    /// Its text without leading blank lines or trailing white space, followed by one blank line.
    pub text: String,
    lines: OnceLock<Vec<Line>>,
}

impl SourceFile {
    fn new(path: String, raw: &str) -> SourceFile {
        let body = raw.trim_end();
        let first_line =
            body.find(|c: char| !c.is_whitespace()).map_or(0, |i| body[..i].rfind('\n').map_or(0, |n| n + 1));
        SourceFile { path, text: format!("{}\n\n", &body[first_line..]), lines: OnceLock::new() }
    }

    /// The file's lines, cut and counted on first use.
    pub fn lines(&self) -> &[Line] {
        self.lines.get_or_init(|| split_lines(&self.text))
    }
}

/// Files a haystack is made of, in order.
pub struct FileSource {
    /// The files, in order.
    pub files: Vec<SourceFile>,
    /// sha256 (hex) of every file's path and raw bytes, in order: what a task line records.
    pub sha256: String,
    /// The language most files are written in, for a code needle.
    pub language: Language,
}

/// The bundled snapshot, read once.
pub fn snapshot() -> Arc<FileSource> {
    static SOURCE: OnceLock<Arc<FileSource>> = OnceLock::new();
    let source = SOURCE.get_or_init(|| {
        let mut files = Vec::new();
        collect(&SNAPSHOT, &mut files);
        files.sort();
        Arc::new(FileSource::from_files(files))
    });
    Arc::clone(source)
}

/// Every file under `dir`, as (`src/` + its path, its bytes).
fn collect(dir: &Dir<'static>, out: &mut Vec<(String, Vec<u8>)>) {
    for file in dir.files() {
        out.push((format!("src/{}", file.path().to_string_lossy()), file.contents().to_vec()));
    }
    for sub in dir.dirs() {
        collect(sub, out);
    }
}

impl FileSource {
    fn from_files(files: Vec<(String, Vec<u8>)>) -> FileSource {
        let mut hash = Sha256::new();
        for (path, bytes) in &files {
            hash.update(path.as_bytes());
            hash.update([0]);
            hash.update((bytes.len() as u64).to_le_bytes());
            hash.update(bytes);
        }
        let language = Language::of_files(files.iter().map(|(p, _)| p.as_str()));
        let files = files
            .into_iter()
            .map(|(path, bytes)| SourceFile::new(path, &String::from_utf8_lossy(&bytes)))
            .collect();
        FileSource { files, sha256: crate::core::hex(&hash.finalize()), language }
    }

    /// Read the files under `paths` (files or folders), in order.
    pub fn read(paths: &[PathBuf]) -> Result<FileSource, String> {
        let mut files = Vec::new();
        let mut total = 0u64;
        for root in paths {
            let shown_root = root.file_name().map(|n| PathBuf::from(n.to_string_lossy().as_ref()));
            if !root.exists() {
                return Err(format!("{}: no such file or folder", root.display()));
            }
            let walk = walkdir::WalkDir::new(root).sort_by_file_name().into_iter().filter_entry(|entry| {
                let name = entry.file_name().to_string_lossy();
                entry.depth() == 0
                    || !(name.starts_with('.')
                        || (entry.file_type().is_dir() && SKIPPED_DIRS.contains(&name.as_ref())))
            });
            for entry in walk {
                let entry = entry.map_err(|e| format!("{}: cannot read: {e}", root.display()))?;
                if !entry.file_type().is_file() || total >= MAX_TREE_BYTES {
                    continue;
                }
                let Some(bytes) = read_text(entry.path())? else { continue };
                total += bytes.len() as u64;
                let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
                let shown = match (&shown_root, relative.as_os_str().is_empty()) {
                    (Some(r), false) => r.join(relative),
                    (Some(r), true) => r.clone(),
                    (None, _) => relative.to_path_buf(),
                };
                files.push((shown.to_string_lossy().replace('\\', "/"), bytes));
            }
        }
        if files.is_empty() {
            let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            return Err(format!("{}: no text files to build a haystack from", shown.join(", ")));
        }
        Ok(FileSource::from_files(files))
    }
}

/// A file's bytes when it is text worth reading: not empty, not over [`MAX_FILE_BYTES`], UTF-8 and
/// without NUL bytes.
fn read_text(path: &Path) -> Result<Option<Vec<u8>>, String> {
    let size = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?.len();
    if size == 0 || size > MAX_FILE_BYTES {
        return Ok(None);
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = std::str::from_utf8(&bytes).ok().filter(|t| !t.contains('\0') && !t.trim().is_empty());
    Ok(text.is_some().then_some(bytes))
}

/// Trees read during this process, by content hash, so each is read and counted once however many
/// tasks use it.
fn cache() -> &'static Mutex<HashMap<String, Arc<FileSource>>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<FileSource>>>> = OnceLock::new();
    CACHE.get_or_init(Mutex::default)
}

/// The tree under `paths`, read now or earlier in this process.
pub fn load(paths: &[PathBuf]) -> Result<Arc<FileSource>, String> {
    let source = Arc::new(FileSource::read(paths)?);
    let mut cache = cache().lock().map_err(|_| "the haystack cache is poisoned".to_string())?;
    Ok(Arc::clone(cache.entry(source.sha256.clone()).or_insert(source)))
}

/// The tree with content hash `sha256`: from the cache, else read again from `paths` and checked.
pub fn with_hash(sha256: &str, paths: &[PathBuf]) -> Result<Arc<FileSource>, String> {
    let cached = cache().lock().ok().and_then(|cache| cache.get(sha256).cloned());
    if let Some(source) = cached {
        return Ok(source);
    }
    let source = load(paths)?;
    if source.sha256 != sha256 {
        return Err(changed(paths, sha256, &source.sha256));
    }
    Ok(source)
}

/// What to say when a haystack's files are not what a task line recorded.
pub fn changed(paths: &[PathBuf], recorded: &str, now: &str) -> String {
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    format!(
        "the haystack files changed since the suite was generated ({} has sha256 {}, the task line records {}); \
         generate the suite again",
        shown.join(", "),
        &now[..now.len().min(12)],
        &recorded[..recorded.len().min(12)]
    )
}

/// Whether the o200k pre-tokenizer always splits `text` at `p` (see [`joins`]).
pub fn is_piece_boundary(text: &str, p: usize) -> bool {
    p > 0 && p < text.len() && text.is_char_boundary(p) && joins(&text[..p], &text[p..])
}

/// Whether the o200k pre-tokenizer always splits between `left` and `right`, so that their tokens
/// add up to those of `left + right`: `left` ends a line, `right` starts one that holds more than
/// white space, and no piece ending in newlines runs on into it (only a punctuation piece can, and
/// only over `/`).
pub fn joins(left: &str, right: &str) -> bool {
    let line = right.split('\n').next().unwrap_or("");
    if !left.ends_with('\n') || line.trim().is_empty() || right.starts_with('\r') {
        return false;
    }
    !right.starts_with('/')
        || left.trim_end_matches(['\r', '\n']).chars().last().is_some_and(char::is_alphanumeric)
}

/// `text` cut into lines (each with the blank lines after it), each counted, grouped into chunks
/// at piece boundaries with their exact counts.
fn split_lines(text: &str) -> Vec<Line> {
    let mut starts = vec![0];
    for (i, _) in text.match_indices('\n') {
        let p = i + 1;
        if p < text.len() && !text[p..].split('\n').next().unwrap_or("").trim().is_empty() {
            starts.push(p);
        }
    }
    let mut lines: Vec<Line> = starts
        .iter()
        .zip(starts.iter().skip(1).chain(std::iter::once(&text.len())))
        .map(|(&start, &end)| Line {
            start,
            end,
            tokens: count_o200k(&text[start..end]),
            margin: !text[start..].starts_with(char::is_whitespace),
            chunk: None,
        })
        .collect();
    let mut first = 0;
    while first < lines.len() {
        let next = (first + 1..lines.len())
            .find(|&i| is_piece_boundary(text, lines[i].start))
            .unwrap_or(lines.len());
        let exact = count_o200k(&text[lines[first].start..lines[next - 1].end]);
        let others: u64 = lines[first..next - 1].iter().map(|l| l.tokens).sum();
        lines[next - 1].tokens = exact.saturating_sub(others);
        lines[first].chunk = Some(Chunk { tokens: exact, lines: next - first });
        first = next;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_add_up_to_the_encoders_count_of_real_files() {
        let snapshot = snapshot();
        assert!(snapshot.files.len() >= 5 && snapshot.language == Language::Rust);
        let tricky = SourceFile::new(
            "t.rs".into(),
            "fn a() {\n    x;\n}\n//! doc\n///\n/// b.\n\n\n    y\n  \nz /\n/w\r\nq\n",
        );
        for file in snapshot.files.iter().chain([&tricky]) {
            let lines = file.lines();
            let sum: u64 = lines.iter().map(|l| l.tokens).sum();
            assert_eq!(sum, count_o200k(&file.text), "{}", file.path);
            assert_eq!(lines.last().map(|l| l.end), Some(file.text.len()));
            let mut i = 0;
            while let Some(chunk) = lines.get(i).and_then(|l| l.chunk) {
                let text = &file.text[lines[i].start..lines[i + chunk.lines - 1].end];
                assert_eq!(chunk.tokens, count_o200k(text), "{}: {text:?}", file.path);
                i += chunk.lines;
            }
            assert_eq!(i, lines.len(), "{}: every line is in a chunk", file.path);
        }
        let starts: Vec<&str> = tricky.lines().iter().map(|l| &tricky.text[l.start..l.end]).collect();
        assert_eq!(
            starts[3..6],
            ["//! doc\n", "///\n", "/// b.\n\n\n"],
            "a line each, blank lines kept with the one before"
        );
    }

    #[test]
    fn a_tree_is_read_in_order_without_hidden_binary_or_huge_files() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path().join("proj");
        let write = |name: &str, bytes: &[u8]| {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap_or(&root)).unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{e}"));
        };
        write("b.py", b"print('b')\n");
        write("a/z.py", b"\n\nprint('z')\n");
        write(".git/config", b"[core]\n");
        write("target/out.py", b"x = 1\n");
        write("blob.bin", b"\x00\x01\x02");
        write("big.txt", &vec![b'a'; MAX_FILE_BYTES as usize + 1]);
        let source = FileSource::read(std::slice::from_ref(&root)).unwrap_or_else(|e| panic!("{e}"));
        let paths: Vec<&str> = source.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["proj/a/z.py", "proj/b.py"]);
        assert_eq!(
            source.files[0].text, "print('z')\n\n",
            "leading blank lines dropped, one blank line after"
        );
        assert_eq!(source.language, Language::Python);
        let again = FileSource::read(std::slice::from_ref(&root)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again.sha256, source.sha256);
        write("b.py", b"print('B')\n");
        let changed = FileSource::read(std::slice::from_ref(&root)).unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(changed.sha256, source.sha256);
        let missing = FileSource::read(&[dir.path().join("nope")]).err().unwrap_or_default();
        assert!(missing.contains("no such file"), "{missing}");
    }
}
