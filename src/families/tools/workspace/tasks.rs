//! Workspace task templates: a release, a changed setting, a rename across files, a failing check to
//! fix, a file written from another, and a module removed with its uses. Each returns `None` for a
//! project that does not fit (a defect where the task needs a sound project, or none where it needs
//! one).

use serde_json::json;

use super::{Defect, FIXME_LINE, HELPERS, Project, SETTINGS, version_text};
use crate::families::draw::Draw;
use crate::families::tools::generate::{Draft, Template, call};

/// The workspace templates, in the order generated suites cycle through them.
pub(crate) const TEMPLATES: &[Template] =
    &[release, change_setting, rename_helper, fix_check, helpers_doc, remove_legacy];

const RELEASE_NOTES: [&str; 6] = [
    "Stock levels per warehouse",
    "Bulk import of products",
    "Fewer retries on slow networks",
    "Audit log of price changes",
    "Search by partial SKU",
    "Faster start-up",
];

fn sound(seed: u64) -> Option<Project> {
    let project = Project::new(seed);
    (project.defect == Defect::None).then_some(project)
}

fn replace(path: &str, old: &str, new: &str) -> crate::families::tools::generate::Step {
    call("replace_in_file", json!({"path": path, "old": old, "new": new}))
}

/// Bump the version in both files, add a changelog section, check, commit.
fn release(seed: u64, d: &mut Draw) -> Option<Draft> {
    let project = sound(seed)?;
    let (major, minor, _) = project.version;
    let (old, new) = (version_text(project.version), version_text((major, minor + 1, 0)));
    let note = d.pick(&RELEASE_NOTES);
    Some(Draft {
        prompt: format!(
            "Release version {new}: set it in VERSION and in src/__init__.py, and add a section `## {new}` at the top of CHANGELOG.md, above the existing ones, with the single line `- {note}`. Run the check, and if it passes, commit with the message `Release {new}`."
        ),
        facts: vec![new.clone()],
        solution: vec![
            vec![call("search", json!({"text": old}))],
            vec![
                replace("VERSION", &old, &new),
                replace("src/__init__.py", &format!("\"{old}\""), &format!("\"{new}\"")),
                replace("CHANGELOG.md", &format!("## {old}\n"), &format!("## {new}\n- {note}\n\n## {old}\n")),
            ],
            vec![call("run_check", json!({}))],
            vec![call("git_commit", json!({"message": format!("Release {new}")}))],
        ],
        answer: format!(
            "Version {new} is set in VERSION, src/__init__.py and CHANGELOG.md; the check passes and it is committed."
        ),
    })
}

/// Change one setting in the code and where the docs quote it.
fn change_setting(seed: u64, d: &mut Draw) -> Option<Draft> {
    let project = sound(seed)?;
    let (index, old) = project.settings[d.index(project.settings.len())];
    let (name, what, low, high, step) = SETTINGS[index];
    let new = low + step * d.int(0, (high - low) / step);
    if new == old {
        return None;
    }
    Some(Draft {
        prompt: format!(
            "Change {what} to {new}. It is set in the source code; docs/usage.md quotes the value too, so update it there as well. Then run the check, and tell me the name of the setting you changed."
        ),
        facts: vec![name.to_string(), new.to_string()],
        solution: vec![
            vec![
                call("read_file", json!({"path": "src/config.py"})),
                call("read_file", json!({"path": "docs/usage.md"})),
            ],
            vec![
                replace("src/config.py", &format!("{name} = {old}\n"), &format!("{name} = {new}\n")),
                replace("docs/usage.md", &format!("- {what}: {old}\n"), &format!("- {what}: {new}\n")),
            ],
            vec![call("run_check", json!({}))],
        ],
        answer: format!(
            "{name} is now {new} in src/config.py, docs/usage.md says so too, and the check passes."
        ),
    })
}

/// Rename a helper in every file that mentions it; the edits of different files can run together.
fn rename_helper(seed: u64, d: &mut Draw) -> Option<Draft> {
    let project = sound(seed)?;
    let (old, _, _, new) = HELPERS[project.helpers[d.index(3)]];
    let paths: Vec<&String> =
        project.files.iter().filter(|(_, text)| text.contains(old)).map(|(p, _)| p).collect();
    Some(Draft {
        prompt: format!(
            "Rename the helper `{old}` to `{new}` everywhere in the project: its definition, imports, calls, tests and docs. Run the check afterwards."
        ),
        facts: vec![new.to_string()],
        solution: vec![
            vec![call("search", json!({"text": old}))],
            paths
                .iter()
                .map(|p| call("replace_in_file", json!({"path": p, "old": old, "new": new, "all": true})))
                .collect(),
            vec![call("run_check", json!({}))],
        ],
        answer: format!("`{old}` is now `{new}` in {} files, and the check passes.", paths.len()),
    })
}

/// Run the failing check, fix what it reports, run it again.
fn fix_check(seed: u64, _d: &mut Draw) -> Option<Draft> {
    let project = Project::new(seed);
    let v = version_text(project.version);
    let (path, fix, facts) = match &project.defect {
        Defect::None => return None,
        Defect::VersionDrift => {
            let (major, minor, patch) = project.version;
            let previous = version_text((major, minor, patch - 1));
            let path = "src/__init__.py";
            (path, replace(path, &format!("\"{previous}\""), &format!("\"{v}\"")), vec![path.to_string()])
        }
        Defect::ImportTypo(typo) => {
            let (path, right) = ("src/api.py", HELPERS[project.helpers[0]].0);
            let fix = call("replace_in_file", json!({"path": path, "old": typo, "new": right, "all": true}));
            (path, fix, vec![path.to_string()])
        }
        Defect::Fixme(path) => (*path, replace(path, FIXME_LINE, ""), vec![path.to_string()]),
    };
    Some(Draft {
        prompt: format!(
            "We want to ship {v}, but the project's check fails. Run it, fix the cause with the smallest possible \
             change (VERSION, CHANGELOG.md and src/utils.py are right as they are), then run the check again to \
             make sure it passes. Tell me which file you fixed."
        ),
        facts,
        solution: vec![
            vec![call("run_check", json!({}))],
            vec![call("read_file", json!({"path": path}))],
            vec![fix],
            vec![call("run_check", json!({}))],
        ],
        answer: format!(
            "I fixed {path}{}; the check passes now.",
            match &project.defect {
                Defect::ImportTypo(typo) =>
                    format!(": it imported `{typo}` instead of `{}`", HELPERS[project.helpers[0]].0),
                _ => String::new(),
            }
        ),
    })
}

/// Write a doc file listing the helpers as src/utils.py defines them.
fn helpers_doc(seed: u64, _d: &mut Draw) -> Option<Draft> {
    let project = sound(seed)?;
    let lines: String =
        project.helpers.iter().map(|&h| format!("- {}({})\n", HELPERS[h].0, HELPERS[h].1)).collect();
    Some(Draft {
        prompt: format!(
            "Before we ship {}, write docs/helpers.md: a first line `# Helpers`, then one line per function \
             defined in src/utils.py, in the order they are defined there, each written as `- name(parameters)` \
             with the parameters exactly as in the def line. Run the check afterwards, and tell me how many \
             helpers there are.",
            version_text(project.version)
        ),
        facts: vec![project.helpers.len().to_string()],
        solution: vec![
            vec![call("read_file", json!({"path": "src/utils.py"}))],
            vec![call(
                "write_file",
                json!({"path": "docs/helpers.md", "content": format!("# Helpers\n\n{lines}")}),
            )],
            vec![call("run_check", json!({}))],
        ],
        answer: format!("docs/helpers.md lists the {} helpers; the check passes.", project.helpers.len()),
    })
}

/// Delete the legacy module and its import and handler.
fn remove_legacy(seed: u64, _d: &mut Draw) -> Option<Draft> {
    let project = sound(seed)?;
    let handler = "\n\ndef handle_legacy(request):\n    return legacy.convert(request)\n";
    Some(Draft {
        prompt: format!(
            "src/legacy.py is obsolete since {}. Delete it and remove everything that uses it (in src/api.py: its \
             import and the handler that calls it), keeping the rest as it is. Run the check afterwards, and tell \
             me the name of the handler you removed.",
            version_text(project.version)
        ),
        facts: vec!["handle_legacy".into()],
        solution: vec![
            vec![call("search", json!({"text": "legacy"}))],
            vec![call("read_file", json!({"path": "src/api.py"}))],
            vec![
                call("delete_file", json!({"path": "src/legacy.py"})),
                replace("src/api.py", "import legacy\n", ""),
                replace("src/api.py", handler, ""),
            ],
            vec![call("run_check", json!({}))],
        ],
        answer: "Deleted src/legacy.py and removed `import legacy` and handle_legacy from src/api.py; the check passes."
            .into(),
    })
}
