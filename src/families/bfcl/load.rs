//! Reading BFCL's data: question files (`BFCL_v<N>_<category>.json`, JSON Lines despite the name)
//! with the ground truth of the same name in `possible_answer/` beside them, from one file or from a
//! whole data folder.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Value, json};

use super::checker::{ExpectedCall, FunctionDoc};
use super::{CATEGORIES, NAME, check_of, schema};
use crate::core::{Message, Role, Task};
use crate::families::{SuiteError, SuiteSpec, load_jsonl, strip_bom};

/// Problems reported from one ground-truth file before giving up on it.
const MAX_PROBLEMS: usize = 20;

/// One line of a question file.
#[derive(Debug, Deserialize)]
pub(super) struct Entry {
    /// BFCL's id (`simple_python_0`, `live_multiple_12-4-0`): the task id.
    pub id: String,
    /// Turns, each a list of messages; single-turn entries have one.
    pub question: Vec<Vec<QuestionMessage>>,
    /// The functions offered.
    pub function: Vec<Value>,
}

/// A message of a question.
#[derive(Debug, Deserialize)]
pub(super) struct QuestionMessage {
    role: String,
    content: String,
}

/// A question file to load, with the category its name gives (`None`: read it from each id).
struct QuestionFile {
    path: PathBuf,
    category: Option<String>,
}

/// The tasks of a `bfcl:` suite: a question file, or every single-turn category in a data folder.
pub(super) fn load(spec: &SuiteSpec) -> Result<Vec<Task>, SuiteError> {
    let files = if spec.path.is_dir() { data_folder(&spec.path)? } else { vec![single_file(&spec.path)?] };
    let mut tasks = Vec::new();
    let mut problems = Vec::new();
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    for file in &files {
        match load_file(spec, file) {
            Ok(loaded) => {
                for task in loaded {
                    match seen.get(&task.id) {
                        Some(first) => problems.push(format!(
                            "{}: id `{}` is also in {}",
                            file.path.display(),
                            task.id,
                            first.display()
                        )),
                        None => {
                            seen.insert(task.id.clone(), file.path.clone());
                            tasks.push(task);
                        }
                    }
                }
            }
            Err(error) => problems.extend(error.problems),
        }
    }
    problems.truncate(MAX_PROBLEMS);
    if problems.is_empty() { Ok(tasks) } else { Err(SuiteError { problems }) }
}

/// `(version, category)` from a BFCL file name: `BFCL_v4_live_multiple.json` -> `(4, live_multiple)`.
fn file_category(path: &Path) -> Option<(u32, String)> {
    let name = path.file_name()?.to_str()?;
    let (version, category) = name.strip_prefix("BFCL_v")?.strip_suffix(".json")?.split_once('_')?;
    Some((version.parse().ok()?, category.to_string()))
}

/// The question files of the categories bench checks, newest BFCL version of each; the others are
/// named in a warning.
fn data_folder(dir: &Path) -> Result<Vec<QuestionFile>, SuiteError> {
    let unreadable =
        |e: std::io::Error| SuiteError::one(format!("{}: cannot read the folder: {e}", dir.display()));
    let mut newest: BTreeMap<String, (u32, PathBuf)> = BTreeMap::new();
    let mut older = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let path = entry.map_err(unreadable)?.path();
        let Some((version, category)) = file_category(&path) else { continue };
        match newest.get(&category) {
            Some((kept, _)) if *kept >= version => older.push(path),
            _ => {
                if let Some((_, replaced)) = newest.insert(category, (version, path)) {
                    older.push(replaced);
                }
            }
        }
    }
    let (mut files, mut other) = (Vec::new(), Vec::new());
    for (category, (_, path)) in newest {
        match check_of(&category) {
            Some(_) => files.push(QuestionFile { path, category: Some(category) }),
            None => other.push(category),
        }
    }
    if !other.is_empty() {
        tracing::warn!(
            "{}: left out categories other than the single-turn ones bench checks: {}",
            dir.display(),
            other.join(", ")
        );
    }
    if !older.is_empty() {
        let names: Vec<String> = older.iter().map(|p| p.display().to_string()).collect();
        tracing::warn!("left out older BFCL versions of categories also found newer: {}", names.join(", "));
    }
    if files.is_empty() {
        return Err(SuiteError::one(format!(
            "{}: no BFCL question files of a category bench checks (BFCL_v<N>_<category>.json with <category> \
             one of {})",
            dir.display(),
            CATEGORIES.join(", ")
        )));
    }
    Ok(files)
}

fn single_file(path: &Path) -> Result<QuestionFile, SuiteError> {
    if path.parent().and_then(Path::file_name).is_some_and(|dir| dir == "possible_answer") {
        return Err(SuiteError::one(format!(
            "{}: this is BFCL's ground truth; give the question file of the same name in the folder above, or \
             that folder",
            path.display()
        )));
    }
    match file_category(path) {
        Some((_, category)) if check_of(&category).is_none() => {
            Err(SuiteError::one(format!("{}: {}", path.display(), unsupported(&category))))
        }
        Some((_, category)) => Ok(QuestionFile { path: path.to_path_buf(), category: Some(category) }),
        None => Ok(QuestionFile { path: path.to_path_buf(), category: None }),
    }
}

fn unsupported(category: &str) -> String {
    format!(
        "category `{category}` is not one bench checks: bfcl suites cover BFCL's single-turn Python categories \
         ({}); multi-turn, agentic, Java and JavaScript ones are not supported",
        CATEGORIES.join(", ")
    )
}

/// The category an id names (`live_simple_3-2-0` -> `live_simple`), for files not named by BFCL's scheme.
fn category_of_id(id: &str) -> Result<String, String> {
    match id.rsplit_once('_') {
        Some((category, n))
            if !category.is_empty() && !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == '-') =>
        {
            Ok(category.to_string())
        }
        _ => Err(format!("cannot tell the category of `{id}`; name the file BFCL_v4_<category>.json")),
    }
}

/// `possible_answer/NAME` beside the question file `NAME`.
fn answers_path(question_file: &Path) -> PathBuf {
    let mut path = question_file.with_file_name("possible_answer");
    if let Some(name) = question_file.file_name() {
        path.push(name);
    }
    path
}

fn load_file(spec: &SuiteSpec, file: &QuestionFile) -> Result<Vec<Task>, SuiteError> {
    let answers_path = answers_path(&file.path);
    let needs_answers = file.category.as_deref().and_then(check_of).is_some_and(|c| c.needs_ground_truth());
    let answers = if answers_path.is_file() {
        Some(read_answers(&answers_path)?)
    } else if needs_answers {
        return Err(SuiteError::one(format!(
            "{}: no ground truth: {} not found",
            file.path.display(),
            answers_path.display()
        )));
    } else {
        None
    };
    let file_spec = SuiteSpec { path: file.path.clone(), ..spec.clone() };
    load_jsonl(&file_spec, |line, _| {
        let entry: Entry =
            serde_json::from_str(line).map_err(|e| format!("not a BFCL question entry: {e}"))?;
        let category = match &file.category {
            Some(category) => category.clone(),
            None => category_of_id(&entry.id)?,
        };
        let check = check_of(&category).ok_or_else(|| unsupported(&category))?;
        let ground_truth =
            if check.needs_ground_truth() {
                let answers = answers
                    .as_ref()
                    .ok_or_else(|| format!("no ground truth: {} not found", answers_path.display()))?;
                let found = answers.get(&entry.id).cloned();
                Some(found.ok_or_else(|| {
                    format!("`{}` has no ground truth in {}", entry.id, answers_path.display())
                })?)
            } else {
                None
            };
        task(&spec.name, &category, entry, ground_truth)
    })
}

/// One line of a ground-truth file.
#[derive(Debug, Deserialize)]
struct Answer {
    id: String,
    ground_truth: Vec<Value>,
}

/// A ground-truth file by id; every bad line is reported as `file:line: what`.
fn read_answers(path: &Path) -> Result<HashMap<String, Value>, SuiteError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| SuiteError::one(format!("{}: cannot read the ground truth: {e}", path.display())))?;
    let mut answers = HashMap::new();
    let mut problems = Vec::new();
    for (index, line) in strip_bom(&text).lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = format!("{}:{}", path.display(), index + 1);
        let parsed =
            serde_json::from_str::<Answer>(line).map_err(|e| format!("not a BFCL ground-truth entry: {e}"));
        let checked = parsed.and_then(|answer| {
            answer.ground_truth.iter().try_for_each(|call| ExpectedCall::read(call).map(drop))?;
            Ok(answer)
        });
        match checked {
            Ok(answer) => {
                if answers.insert(answer.id.clone(), Value::Array(answer.ground_truth)).is_some() {
                    problems.push(format!("{at}: duplicate id `{}`", answer.id));
                }
            }
            Err(what) => problems.push(format!("{at}: {what}")),
        }
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
    }
    if problems.is_empty() { Ok(answers) } else { Err(SuiteError { problems }) }
}

/// The task of one question entry of `category`, with its ground truth when the category has one.
pub(super) fn task(
    suite: &str,
    category: &str,
    entry: Entry,
    ground_truth: Option<Value>,
) -> Result<Task, String> {
    let id = entry.id;
    if entry.function.is_empty() {
        return Err(format!("`{id}`: no functions"));
    }
    let docs = entry.function.iter().map(FunctionDoc::read).collect::<Result<Vec<_>, _>>();
    let docs = docs.map_err(|e| format!("`{id}`: {e}"))?;
    if let Some(truth) = &ground_truth {
        let calls = truth.as_array().filter(|calls| !calls.is_empty());
        let calls = calls.ok_or_else(|| format!("`{id}`: the ground truth holds no call"))?;
        for call in calls {
            let call = ExpectedCall::read(call).map_err(|e| format!("`{id}`: {e}"))?;
            if !docs.iter().any(|doc| doc.name == call.name) {
                return Err(format!(
                    "`{id}`: the ground truth calls `{}`, which is not among the functions",
                    call.name
                ));
            }
        }
    }
    let (system, messages) = conversation(&entry.question).map_err(|e| format!("`{id}`: {e}"))?;
    let (tools, renamed) = schema::tools(&entry.function);
    Ok(Task {
        id,
        suite: suite.to_string(),
        family: NAME.to_string(),
        category: Some(category.to_string()),
        system,
        messages,
        tools,
        max_tokens: None,
        expected: json!({"category": category, "functions": entry.function, "ground_truth": ground_truth}),
        meta: json!({"names": renamed}),
        recipe: None,
    })
}

/// A single-turn question as a system prompt (its system messages) and the other messages.
fn conversation(question: &[Vec<QuestionMessage>]) -> Result<(Option<String>, Vec<Message>), String> {
    let [turn] = question else {
        return Err(format!(
            "`question` has {} turns; only single-turn entries are supported",
            question.len()
        ));
    };
    let mut system = Vec::new();
    let mut messages = Vec::new();
    for message in turn {
        match message.role.as_str() {
            "system" => system.push(message.content.as_str()),
            "user" => messages.push(Message::user(message.content.as_str())),
            "assistant" => messages.push(Message::assistant(message.content.as_str())),
            other => return Err(format!("a message of role `{other}` (expected system, user or assistant)")),
        }
    }
    if !messages.iter().any(|m| m.role == Role::User) {
        return Err("the question has no user message".into());
    }
    Ok(((!system.is_empty()).then(|| system.join("\n\n")), messages))
}
