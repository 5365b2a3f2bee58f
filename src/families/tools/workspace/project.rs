//! The workspace's project, drawn from its seed: a small Python service (version files, a
//! changelog, settings, helpers, an API module, a legacy module, tests and docs), sometimes with one
//! defect that its check reports, and the check itself.
//!
//! The check is a handful of rules an AI coding tool would meet in CI: the version agrees in
//! `VERSION`, `src/__init__.py` and the changelog's first heading; every name imported from
//! `utils` is defined there; every `config.NAME` used is set in `src/config.py`; every imported
//! local module exists; no line says FIXME.

use std::collections::BTreeMap;

use crate::families::draw::Draw;

/// Helpers the project may define: (name, parameters, body, the name a rename gives it).
pub(crate) const HELPERS: [(&str, &str, &str, &str); 7] = [
    ("normalize_sku", "sku", "return sku.strip().upper()", "clean_sku"),
    ("parse_quantity", "text", "return int(text.strip())", "read_quantity"),
    ("format_price", "cents", "return f\"{cents / 100:.2f}\"", "price_label"),
    ("slugify", "name", "return name.lower().replace(\" \", \"-\")", "make_slug"),
    ("clamp", "value, low, high", "return max(low, min(high, value))", "bounded"),
    ("chunked", "items, size", "return [items[i:i + size] for i in range(0, len(items), size)]", "batches"),
    ("is_valid_email", "address", "return \"@\" in address", "looks_like_email"),
];

/// Settings the project may have: (name, what it is, lowest, highest, step).
pub(crate) const SETTINGS: [(&str, &str, i64, i64, i64); 5] = [
    ("MAX_RETRIES", "the number of retries of a failed request", 2, 6, 1),
    ("TIMEOUT_S", "the request timeout (seconds)", 10, 60, 5),
    ("PAGE_SIZE", "the page size of listings", 20, 100, 10),
    ("CACHE_TTL_S", "the lifetime of a cache entry (seconds)", 60, 600, 60),
    ("MAX_UPLOAD_MB", "the upload size limit (megabytes)", 5, 50, 5),
];

const NOTES: [&str; 8] = [
    "Faster listing of large stores",
    "Retry uploads after a timeout",
    "Prices shown with two decimals",
    "New endpoint for stock levels",
    "Clearer errors for bad SKUs",
    "Pagination on every listing",
    "Email addresses checked on sign-up",
    "Smaller responses for mobile clients",
];

/// The comment a FIXME defect leaves in a file.
pub(crate) const FIXME_LINE: &str = "# FIXME: remove before release\n";

/// What is wrong with the project at the start, if anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Defect {
    /// Nothing: the check passes.
    None,
    /// `src/__init__.py` still has the previous version.
    VersionDrift,
    /// `src/api.py` misspells the first helper (import and call) as this name.
    ImportTypo(String),
    /// A FIXME line was left at the top of this file.
    Fixme(&'static str),
}

/// The project of one seed.
#[derive(Debug, Clone)]
pub(crate) struct Project {
    pub files: BTreeMap<String, String>,
    pub version: (u32, u32, u32),
    /// Indices into [`HELPERS`], in the order `src/utils.py` defines them; the first three are used
    /// by the API, the first and last by the tests.
    pub helpers: Vec<usize>,
    /// (index into [`SETTINGS`], value), in the order `src/config.py` sets them.
    pub settings: Vec<(usize, i64)>,
    pub defect: Defect,
}

/// `major.minor.patch`.
pub(crate) fn version_text((major, minor, patch): (u32, u32, u32)) -> String {
    format!("{major}.{minor}.{patch}")
}

impl Project {
    /// The project of `seed`.
    pub(crate) fn new(seed: u64) -> Project {
        let mut d = Draw::for_task(seed, 0);
        let version = (d.int(1, 9) as u32, d.int(0, 9) as u32, d.int(1, 9) as u32);
        let count = d.int(4, 5) as usize;
        let helpers = d.distinct(&[0, 1, 2, 3, 4, 5, 6], count);
        let settings: Vec<(usize, i64)> = d
            .distinct(&[0, 1, 2, 3, 4], 4)
            .into_iter()
            .map(|i| {
                let (_, _, low, high, step) = SETTINGS[i];
                (i, low + step * d.int(0, (high - low) / step))
            })
            .collect();
        let notes = d.distinct(&NOTES, 2);
        let defect = match d.below(4) {
            0 => Defect::None,
            1 => Defect::VersionDrift,
            2 => {
                let name = HELPERS[helpers[0]].0;
                Defect::ImportTypo(format!("{}{}{}", &name[..1], &name[2..3], &name[1..2]) + &name[3..])
            }
            _ => Defect::Fixme(d.pick(&["src/api.py", "src/utils.py", "src/config.py"])),
        };
        let mut project = Project { files: BTreeMap::new(), version, helpers, settings, defect };
        project.write_files(&notes);
        project
    }

    fn helper(&self, k: usize) -> &'static str {
        HELPERS[self.helpers[k]].0
    }

    fn write_files(&mut self, notes: &[&str]) {
        let (v, (major, minor, patch)) = (version_text(self.version), self.version);
        let previous = version_text((major, minor, patch - 1));
        let init_version = if self.defect == Defect::VersionDrift { &previous } else { &v };
        let helpers: Vec<&str> = (0..self.helpers.len()).map(|k| self.helper(k)).collect();
        let (first, last) = (helpers[0], helpers[helpers.len() - 1]);
        let utils: Vec<String> = self
            .helpers
            .iter()
            .map(|&h| format!("def {}({}):\n    {}\n", HELPERS[h].0, HELPERS[h].1, HELPERS[h].2))
            .collect();
        let config: String =
            self.settings.iter().map(|&(i, value)| format!("{} = {value}\n", SETTINGS[i].0)).collect();
        let docs: String =
            self.settings.iter().map(|&(i, value)| format!("- {}: {value}\n", SETTINGS[i].1)).collect();
        let files = [
            ("README.md", "# inventory-service\n\nA small inventory service. See docs/usage.md.\n".to_string()),
            ("VERSION", format!("{v}\n")),
            ("CHANGELOG.md", format!("# Changelog\n\n## {v}\n- {}\n\n## {previous}\n- {}\n", notes[0], notes[1])),
            ("src/__init__.py", format!("__version__ = \"{init_version}\"\n")),
            ("src/config.py", format!("\"\"\"Settings of the service.\"\"\"\n\n{config}")),
            ("src/utils.py", format!("\"\"\"Small helpers shared by the service.\"\"\"\n\n\n{}", utils.join("\n\n"))),
            ("src/api.py", self.api_module(&helpers)),
            ("src/legacy.py", "\"\"\"The old request format, kept for one more release.\"\"\"\n\n\ndef convert(request):\n    return dict(request)\n".to_string()),
            (
                "tests/test_utils.py",
                format!(
                    "from utils import {first}, {last}\n\n\ndef test_first_helper():\n    assert {first}\n\n\n\
                     def test_last_helper():\n    assert {last}\n"
                ),
            ),
            (
                "docs/usage.md",
                format!(
                    "# Usage\n\nRun the service with `python -m src`.\n\n## Settings\n\n{docs}\n## Helpers\n\n{}\n",
                    helpers.join(", ")
                ),
            ),
        ];
        self.files = files.into_iter().map(|(path, text)| (path.to_string(), text)).collect();
        if let Defect::Fixme(path) = self.defect
            && let Some(text) = self.files.get_mut(path)
        {
            text.insert_str(0, FIXME_LINE);
        }
    }

    /// `src/api.py`: handlers using the first three helpers and two settings, and the legacy one.
    fn api_module(&self, helpers: &[&str]) -> String {
        let first = match &self.defect {
            Defect::ImportTypo(typo) => typo.as_str(),
            _ => helpers[0],
        };
        let (second, third) = (helpers[1], helpers[2]);
        let (retries, size) = (SETTINGS[self.settings[0].0].0, SETTINGS[self.settings[1].0].0);
        format!(
            "from utils import {first}, {second}, {third}\nimport config\nimport legacy\n\n\n\
             def handle_create(request):\n    sku = {first}(request[\"sku\"])\n    return {{\"sku\": sku, \"retries\": config.{retries}}}\n\n\n\
             def handle_list(request):\n    page = {second}(request)\n    return {{\"page\": page, \"size\": config.{size}}}\n\n\n\
             def handle_check(request):\n    return {third}(request)\n\n\n\
             def handle_legacy(request):\n    return legacy.convert(request)\n"
        )
    }
}

/// The problems the check finds in `files`, each `path:line: what`; empty when it passes.
pub(crate) fn check(files: &BTreeMap<String, String>) -> Vec<String> {
    let mut problems = check_versions(files);
    let text = |path: &str| files.get(path).map(String::as_str).unwrap_or("");
    let (utils, config) = (text("src/utils.py"), text("src/config.py"));
    for (path, body) in files {
        for (n, line) in body.lines().enumerate() {
            let at = format!("{path}:{}", n + 1);
            if line.contains("FIXME") {
                problems.push(format!("{at}: a FIXME is left in"));
            }
            if path.ends_with(".py") {
                check_python_line(&at, line, files, utils, config, &mut problems);
            }
        }
    }
    problems
}

/// The version agrees in `VERSION`, `src/__init__.py` and the changelog's first heading.
fn check_versions(files: &BTreeMap<String, String>) -> Vec<String> {
    let mut problems = Vec::new();
    let version = files.get("VERSION").and_then(|t| t.lines().next()).map_or("", str::trim);
    if version.is_empty() {
        problems.push("VERSION:1: no version".to_string());
    }
    let init = files
        .get("src/__init__.py")
        .and_then(|t| t.lines().find_map(|l| l.strip_prefix("__version__ = ")))
        .map(|v| v.trim().trim_matches('"'));
    if init != Some(version) {
        let found = init.unwrap_or("missing");
        problems.push(format!("src/__init__.py:1: __version__ is {found}, VERSION says {version}"));
    }
    let heading =
        files.get("CHANGELOG.md").and_then(|t| t.lines().find_map(|l| l.strip_prefix("## "))).map(str::trim);
    if heading != Some(version) {
        let found = heading.unwrap_or("missing");
        problems.push(format!("CHANGELOG.md: the first entry is {found}, VERSION says {version}"));
    }
    problems
}

/// One line of Python: its imports from utils are defined there, its imported modules exist, and
/// the settings it reads are set.
fn check_python_line(
    at: &str,
    line: &str,
    files: &BTreeMap<String, String>,
    utils: &str,
    config: &str,
    problems: &mut Vec<String>,
) {
    if let Some(names) = line.strip_prefix("from utils import ") {
        let defined = |name: &str| utils.lines().any(|l| l.starts_with(&format!("def {name}(")));
        for name in names.split(',').map(str::trim).filter(|n| !defined(n)) {
            problems
                .push(format!("{at}: `{name}` is imported from utils, but src/utils.py does not define it"));
        }
    }
    if let Some(module) = line.strip_prefix("import ").map(str::trim)
        && !files.contains_key(&format!("src/{module}.py"))
    {
        problems.push(format!("{at}: module `{module}` is imported, but there is no src/{module}.py"));
    }
    for rest in line.split("config.").skip(1) {
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if !name.is_empty() && !config.lines().any(|l| l.starts_with(&format!("{name} = "))) {
            problems.push(format!("{at}: config.{name} is used, but src/config.py does not set it"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project_with(defect: fn(&Defect) -> bool) -> Project {
        (0..).map(Project::new).find(|p| defect(&p.defect)).unwrap()
    }

    #[test]
    fn a_sound_project_passes_and_each_defect_is_reported_where_it_is() {
        assert_eq!(check(&project_with(|d| *d == Defect::None).files), Vec::<String>::new());
        let drift = check(&project_with(|d| *d == Defect::VersionDrift).files);
        assert!(drift.len() == 1 && drift[0].starts_with("src/__init__.py:1: __version__ is"), "{drift:?}");
        let typo = project_with(|d| matches!(d, Defect::ImportTypo(_)));
        let problems = check(&typo.files);
        assert!(problems.len() == 1 && problems[0].starts_with("src/api.py:1: `"), "{problems:?}");
        let fixme = project_with(|d| matches!(d, Defect::Fixme(_)));
        let problems = check(&fixme.files);
        assert!(problems.len() == 1 && problems[0].ends_with(":1: a FIXME is left in"), "{problems:?}");
    }

    #[test]
    fn the_check_sees_missing_modules_settings_and_versions() {
        let mut files = project_with(|d| *d == Defect::None).files;
        files.remove("src/legacy.py");
        let config = files["src/config.py"].clone();
        let first = config.lines().nth(2).unwrap().to_string();
        files.insert("src/config.py".into(), config.replace(&format!("{first}\n"), ""));
        files.insert("VERSION".into(), "9.9.9\n".into());
        let problems = check(&files);
        assert!(problems.iter().any(|p| p.contains("module `legacy` is imported")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("does not set it")), "{problems:?}");
        assert_eq!(problems.iter().filter(|p| p.contains("VERSION says 9.9.9")).count(), 2, "{problems:?}");
    }
}
