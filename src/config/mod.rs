//! Configuration: `bench.toml` (DESIGN contract 2), the built-in presets, and API keys from the
//! environment.
//!
//! A file is parsed into [`ProviderConfig`]s where every field is optional, merged field by field over
//! the preset it names, and resolved into a [`ProviderSpec`] where every field has a value. Unknown keys
//! are rejected; every error names the file, the line and what was expected, and values that make no
//! sense are all reported at once, each at the line of its key.

mod check;
mod lines;
mod migration;
mod price;
mod regress;
mod sandbox;
mod wire;

pub use migration::MigrationRules;
pub use price::{Currency, Price};
pub use regress::{RegressRules, relative_change};
pub use sandbox::SandboxConfig;
pub use wire::{ApiKey, AuthStyle, MaxTokensField, ReasoningEcho, masked_url};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::core::did_you_mean;
use check::Problem;
use lines::{KeyLines, line_of};

/// Default number of requests in flight per provider.
pub const DEFAULT_MAX_CONCURRENCY: u32 = 8;
/// Default per-request deadline, the official SDKs' default.
pub const DEFAULT_TIMEOUT_S: f64 = 600.0;
/// Default retries after the first attempt (the SDKs use 2; long benchmark runs meet more transient
/// failures and every attempt is recorded anyway).
pub const DEFAULT_MAX_RETRIES: u32 = 4;
/// Most requests in flight per provider: more exhausts sockets and file descriptors long before any
/// provider's own limit, so a larger value is a typo.
pub const MAX_CONCURRENCY_BOUND: u32 = 1024;
/// Most retries after the first attempt: with backoff capped at 8 s (or a server's retry-after of up
/// to 120 s), more keeps a run hammering a dead endpoint for the better part of an hour per item.
pub const MAX_RETRIES_BOUND: u32 = 20;
/// Default largest answer read from a provider, in MiB: far above any real answer (a 128k-token answer
/// is well under 1 MiB of JSON events), low enough that a broken or hostile server cannot fill memory
/// and the store.
pub const DEFAULT_MAX_ANSWER_MB: u64 = 8;

/// Which wire protocol (or in-process engine) answers for a provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// Anthropic Messages API (`POST {base_url}/v1/messages`).
    Anthropic,
    /// OpenAI Chat Completions (`POST {base_url}/chat/completions`).
    Openai,
    /// A model run inside the bench process.
    Local,
    /// Answers recorded elsewhere, read from a JSONL file.
    Replay,
}

impl Protocol {
    /// The name used in bench.toml.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Anthropic => "anthropic",
            Protocol::Openai => "openai",
            Protocol::Local => "local",
            Protocol::Replay => "replay",
        }
    }

    /// Whether requests go over HTTP (and so need a base URL, and usually a key).
    pub fn is_http(self) -> bool {
        matches!(self, Protocol::Anthropic | Protocol::Openai)
    }
}

/// A weight format a local model can be requantized to at first load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantize {
    /// 8-bit blocks: candle has fast AVX2 kernels for it (Q4_1 falls to a scalar path ~3x slower).
    Q8_0,
}

/// The whole of a bench.toml file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    providers: BTreeMap<String, toml::Spanned<ProviderConfig>>,
    #[serde(default)]
    sandbox: SandboxConfig,
    #[serde(default)]
    migration: MigrationRules,
    #[serde(default)]
    regress: RegressRules,
    /// Where the runs are stored (`postgres://...` or `sqlite`).
    store: Option<String>,
}

/// One `[providers.NAME]` table as written: every field optional, to be merged over a preset.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    /// Preset to start from.
    pub preset: Option<String>,
    /// One line shown by `bench providers list`.
    pub description: Option<String>,
    /// Wire protocol or engine.
    pub protocol: Option<Protocol>,
    /// Base URL of an HTTP provider.
    pub base_url: Option<String>,
    /// Model id sent to the provider.
    pub model: Option<String>,
    /// Environment variable holding the API key.
    pub api_key_env: Option<String>,
    /// Whether a missing key is an error (local servers work without one).
    pub api_key_required: Option<bool>,
    /// Which auth header(s) to send.
    pub auth: Option<AuthStyle>,
    /// Requests in flight at most.
    pub max_concurrency: Option<u32>,
    /// Requests per minute at most.
    pub rpm: Option<u32>,
    /// Tokens (input estimate + output budget) per minute at most.
    pub tpm: Option<u64>,
    /// Deadline of one attempt, in seconds.
    pub timeout_s: Option<f64>,
    /// Retries after the first attempt for retryable failures.
    pub max_retries: Option<u32>,
    /// Largest answer body read, in MiB; a longer one is a `bad_response`.
    pub max_answer_mb: Option<u64>,
    /// Stream answers with SSE (default) or not.
    pub stream: Option<bool>,
    /// Sampling temperature sent with every request.
    pub temperature: Option<f64>,
    /// Output budget when the task sets none.
    pub max_tokens: Option<u32>,
    /// Body field for the output budget in OpenAI-style requests.
    pub max_tokens_field: Option<MaxTokensField>,
    /// Which assistant turns send their reasoning back in later requests.
    pub reasoning_echo: Option<ReasoningEcho>,
    /// Context window in tokens (informational; used to warn about oversized prompts).
    pub context_window: Option<u64>,
    /// Extra HTTP headers.
    pub headers: Option<BTreeMap<String, String>>,
    /// Extra top-level JSON body fields.
    pub extra_body: Option<toml::Table>,
    /// For `replay`: the JSONL file of answers.
    pub path: Option<PathBuf>,
    /// For `local`: the GGUF model file.
    pub model_path: Option<PathBuf>,
    /// For `local`: requantize the weights at first load (`"q8_0"`), cached next to the model.
    pub quantize: Option<Quantize>,
    /// For `local`: seed of sampling when temperature > 0 (each sample of a task gets its own stream).
    pub seed: Option<u64>,
    /// Prices per million tokens; replaces the preset's price as a whole.
    pub price: Option<Price>,
}

/// A provider with every setting decided: what the rest of the program works from.
#[derive(Debug, Clone, Serialize)]
pub struct ProviderSpec {
    /// Name used on the command line and in reports.
    pub name: String,
    /// One-line description.
    pub description: String,
    /// Wire protocol or engine.
    pub protocol: Protocol,
    /// Base URL (empty for non-HTTP providers); serialized with credentials masked ([`masked_url`]).
    #[serde(serialize_with = "serialize_masked_url")]
    pub base_url: String,
    /// Model id.
    pub model: String,
    /// Environment variable holding the key, if any.
    pub api_key_env: Option<String>,
    /// Whether a missing key stops the run.
    pub api_key_required: bool,
    /// Auth header(s).
    pub auth: AuthStyle,
    /// Requests in flight at most.
    pub max_concurrency: u32,
    /// Requests per minute at most.
    pub rpm: Option<u32>,
    /// Tokens per minute at most.
    pub tpm: Option<u64>,
    /// Deadline of one attempt.
    #[serde(with = "secs")]
    pub timeout: Duration,
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// Largest answer body read, in MiB.
    pub max_answer_mb: u64,
    /// Stream with SSE.
    pub stream: bool,
    /// Temperature sent with every request, if any.
    pub temperature: Option<f64>,
    /// Default output budget.
    pub max_tokens: Option<u32>,
    /// Output budget field for OpenAI-style bodies.
    pub max_tokens_field: MaxTokensField,
    /// Which assistant turns send their reasoning back (Anthropic default: all; others: none).
    pub reasoning_echo: ReasoningEcho,
    /// Context window, when known.
    pub context_window: Option<u64>,
    /// Extra headers; their values are never serialized (one may hold a credential).
    #[serde(serialize_with = "masked_values")]
    pub headers: BTreeMap<String, String>,
    /// Extra body fields.
    pub extra_body: serde_json::Map<String, serde_json::Value>,
    /// Replay file.
    pub path: Option<PathBuf>,
    /// Local model file.
    pub model_path: Option<PathBuf>,
    /// Requantization of a local model.
    pub quantize: Option<Quantize>,
    /// Sampling seed of a local model.
    pub seed: u64,
    /// Prices, when known.
    pub price: Option<Price>,
}

fn serialize_masked_url<S: serde::Serializer>(url: &str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&masked_url(url))
}

fn masked_values<S: serde::Serializer>(headers: &BTreeMap<String, String>, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(headers.len()))?;
    for name in headers.keys() {
        map.serialize_entry(name, "***")?;
    }
    map.end()
}

mod secs {
    pub fn serialize<S: serde::Serializer>(d: &std::time::Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(d.as_secs_f64())
    }
}

/// A configuration problem, phrased for the person who has to fix it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// The presets and the user's file, merged: the set of providers a run can name.
#[derive(Debug, Clone)]
pub struct Config {
    /// Providers written in the user's file, merged over their presets, by name.
    configured: BTreeMap<String, ProviderConfig>,
    /// Where each configured provider was written: "bench.toml:12".
    origin: BTreeMap<String, String>,
    /// Limits of the code-repair sandbox (`[sandbox]`).
    pub sandbox: SandboxConfig,
    /// The rules of the migration report (`[migration]`).
    pub migration: MigrationRules,
    /// The thresholds of `bench regress` (`[regress]`).
    pub regress: RegressRules,
    /// `store = "..."`: where the runs are stored, unless `--store` says.
    pub store: Option<StoreSetting>,
}

/// The `store` key of a bench.toml, read as text (the store module parses it), with where it is
/// written so that a bad value is reported at its line.
#[derive(Debug, Clone)]
pub struct StoreSetting {
    /// The value: a `postgres://` URL or `sqlite`.
    pub value: String,
    /// Where it is written: "bench.toml:3".
    pub origin: String,
}

static PRESETS: LazyLock<BTreeMap<String, ProviderConfig>> = LazyLock::new(|| {
    let file: ConfigFile = match toml::from_str(include_str!("presets.toml")) {
        Ok(file) => file,
        Err(e) => panic!("the bundled presets.toml is invalid: {e}"),
    };
    file.providers.into_iter().map(|(name, spanned)| (name, spanned.into_inner())).collect()
});

impl Config {
    /// Load `path` if given (it must exist), else `./bench.toml` if it exists, else presets only.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        match path {
            Some(p) => Config::from_file(p),
            None if Path::new("bench.toml").exists() => Config::from_file(Path::new("bench.toml")),
            None => Ok(Config {
                configured: BTreeMap::new(),
                origin: BTreeMap::new(),
                sandbox: SandboxConfig::default(),
                migration: MigrationRules::default(),
                regress: RegressRules::default(),
                store: None,
            }),
        }
    }

    /// Parse a bench.toml file.
    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError(format!("{}: cannot read config: {e}", path.display())))?;
        let mut config = Config::parse(&text, &path.display().to_string())?;
        // Files named in the config are relative to the config file, as a reader of it expects.
        let dir = path.parent().unwrap_or(Path::new(""));
        for provider in config.configured.values_mut() {
            for file in [&mut provider.path, &mut provider.model_path].into_iter().flatten() {
                if file.is_relative() {
                    *file = dir.join(&*file);
                }
            }
        }
        Ok(config)
    }

    /// Parse bench.toml text; `source` names it in errors. A syntax or type error stops at the first;
    /// values that make no sense are all reported, each at the line of its own key.
    pub fn parse(text: &str, source: &str) -> Result<Config, ConfigError> {
        // Editors on Windows write a byte-order mark; it is not part of the configuration.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let file: ConfigFile = toml::from_str(text).map_err(|e| ConfigError(format!("{source}: {e}")))?;
        let lines = KeyLines::new(text);
        let mut errors: Vec<(usize, String)> = file
            .sandbox
            .problems()
            .into_iter()
            .map(|(key, what)| {
                let line = lines.line(&["sandbox", key]).or(lines.line(&["sandbox"])).unwrap_or(1);
                (line, format!("{source}:{line}: [sandbox] {what}"))
            })
            .collect();
        errors.extend(file.migration.problems().into_iter().map(|(keys, what)| {
            let set = keys.iter().find_map(|key| lines.line(&["migration", key]));
            let line = set.or(lines.line(&["migration"])).unwrap_or(1);
            (line, format!("{source}:{line}: [migration] {what}"))
        }));
        errors.extend(file.regress.problems().into_iter().map(|(key, what)| {
            let line = lines.line(&["regress", key]).or(lines.line(&["regress"])).unwrap_or(1);
            (line, format!("{source}:{line}: [regress] {what}"))
        }));
        let mut configured = BTreeMap::new();
        let mut origin = BTreeMap::new();
        for (name, spanned) in file.providers {
            let header = line_of(text, spanned.span().start);
            let (merged, problems) = merge_and_check(&name, spanned.into_inner());
            for problem in problems {
                let line =
                    problem.key.and_then(|key| lines.line(&["providers", &name, key])).unwrap_or(header);
                errors.push((line, format!("{source}:{line}: [providers.{name}] {}", problem.what)));
            }
            configured.insert(name.clone(), merged);
            origin.insert(name, format!("{source}:{header}"));
        }
        if !errors.is_empty() {
            errors.sort_by_key(|(line, _)| *line);
            return Err(ConfigError(errors.into_iter().map(|(_, e)| e).collect::<Vec<_>>().join("\n")));
        }
        let store = file.store.map(|value| {
            let line = lines.line(&["store"]).unwrap_or(1);
            StoreSetting { value, origin: format!("{source}:{line}") }
        });
        Ok(Config {
            configured,
            origin,
            sandbox: file.sandbox,
            migration: file.migration,
            regress: file.regress,
            store,
        })
    }

    /// Every provider name a run can use: configured ones first, then presets not overridden.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.configured.keys().cloned().collect();
        names.extend(PRESETS.keys().filter(|n| !self.configured.contains_key(*n)).cloned());
        names
    }

    /// Where a provider comes from: a file and line, or "preset".
    pub fn origin(&self, name: &str) -> String {
        self.origin.get(name).cloned().unwrap_or_else(|| "preset".into())
    }

    /// Resolve a provider named on the command line.
    pub fn provider(&self, name: &str) -> Result<ProviderSpec, ConfigError> {
        let (config, place) = match (self.configured.get(name), PRESETS.get(name)) {
            (Some(config), _) => (config, self.origin(name)),
            (None, Some(preset)) => (preset, "preset".to_string()),
            (None, None) => {
                let names = self.names();
                let configured = match self.configured.keys().map(String::as_str).collect::<Vec<_>>() {
                    mine if mine.is_empty() => String::new(),
                    mine => format!("configured: {}; ", mine.join(", ")),
                };
                return Err(ConfigError(format!(
                    "unknown provider `{name}`{}: it is neither in the config file nor a preset; {configured}presets: {}",
                    did_you_mean(name, names.iter().map(String::as_str)),
                    preset_names().join(", ")
                )));
            }
        };
        resolve(name, config.clone()).map_err(|problems| {
            ConfigError(
                problems
                    .iter()
                    .map(|p| format!("{place}: [providers.{name}] {}", p.what))
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        })
    }
}

/// A provider table merged over the preset it names, with every problem of the result. With an
/// unknown preset, the table is checked on its own and only its own values are reported (what it
/// lacks, the preset was meant to give).
fn merge_and_check(name: &str, config: ProviderConfig) -> (ProviderConfig, Vec<Problem>) {
    let Some(preset) = config.preset.clone() else {
        let problems = problems_of(name, config.clone());
        return (config, problems);
    };
    if let Some(base) = PRESETS.get(&preset) {
        let merged = merge(base.clone(), config);
        let problems = problems_of(name, merged.clone());
        return (merged, problems);
    }
    let mut problems = vec![Problem::at(
        "preset",
        format!(
            "names unknown preset `{preset}`{}; expected one of: {}",
            did_you_mean(&preset, preset_names()),
            preset_names().join(", ")
        ),
    )];
    let own = problems_of(name, config.clone());
    problems.extend(own.into_iter().filter(|p| p.key.is_some()));
    (config, problems)
}

/// Every problem of a merged provider table; none when it resolves.
fn problems_of(name: &str, config: ProviderConfig) -> Vec<Problem> {
    match resolve(name, config) {
        Ok(_) => Vec::new(),
        Err(problems) => problems,
    }
}

/// Check a merged provider table, reporting every problem, and fill in every default.
fn resolve(name: &str, c: ProviderConfig) -> Result<ProviderSpec, Vec<Problem>> {
    let mut problems = check::value_problems(&c);
    if c.protocol.is_none() {
        problems.push(Problem::table(format!(
            "needs `protocol` (one of anthropic, openai, local, replay) or `preset` (one of: {})",
            preset_names().join(", ")
        )));
    }
    let base_url = match (c.protocol.is_some_and(Protocol::is_http), c.base_url) {
        (true, None) => {
            problems.push(Problem::table("needs `base_url` (for example \"https://api.example.com/v1\")"));
            String::new()
        }
        (true, Some(url)) => {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                problems.push(Problem::at(
                    "base_url",
                    format!("has base_url \"{}\"; expected an http:// or https:// URL", masked_url(&url)),
                ));
            } else if let Err(e) = url::Url::parse(&url) {
                problems.push(Problem::at(
                    "base_url",
                    format!("has base_url \"{}\", which is not a valid URL: {e}", masked_url(&url)),
                ));
            }
            url.trim_end_matches('/').to_string()
        }
        (false, url) => url.unwrap_or_default(),
    };
    let model = match (c.model, c.protocol) {
        (Some(m), _) if !m.trim().is_empty() => m,
        (_, Some(Protocol::Replay)) => "replay".into(),
        (_, Some(Protocol::Local)) => "local".into(),
        _ => {
            problems.push(Problem::table("needs `model` (the model id the provider expects)"));
            String::new()
        }
    };
    if c.protocol == Some(Protocol::Replay) && c.path.is_none() {
        problems.push(Problem::table("uses protocol \"replay\" and needs `path` (a JSONL file of answers)"));
    }
    let extra_body = match c.extra_body.map(serde_json::to_value) {
        Some(Ok(serde_json::Value::Object(map))) => map,
        Some(_) => {
            problems.push(Problem::at("extra_body", "has an extra_body that is not a table"));
            serde_json::Map::new()
        }
        None => serde_json::Map::new(),
    };
    let protocol = match c.protocol {
        Some(protocol) if problems.is_empty() => protocol,
        _ => return Err(problems),
    };
    Ok(ProviderSpec {
        name: name.to_string(),
        description: c.description.unwrap_or_default(),
        protocol,
        base_url,
        model,
        api_key_env: c.api_key_env,
        api_key_required: c.api_key_required.unwrap_or(protocol.is_http()),
        auth: c.auth.unwrap_or(match protocol {
            Protocol::Anthropic => AuthStyle::XApiKey,
            _ => AuthStyle::Bearer,
        }),
        max_concurrency: c.max_concurrency.unwrap_or(DEFAULT_MAX_CONCURRENCY),
        rpm: c.rpm,
        tpm: c.tpm,
        timeout: Duration::from_secs_f64(c.timeout_s.unwrap_or(DEFAULT_TIMEOUT_S)),
        max_retries: c.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
        max_answer_mb: c.max_answer_mb.unwrap_or(DEFAULT_MAX_ANSWER_MB),
        stream: c.stream.unwrap_or(true),
        temperature: c.temperature,
        max_tokens: c.max_tokens,
        max_tokens_field: c.max_tokens_field.unwrap_or(MaxTokensField::MaxTokens),
        reasoning_echo: c.reasoning_echo.unwrap_or(match protocol {
            Protocol::Anthropic => ReasoningEcho::All,
            _ => ReasoningEcho::None,
        }),
        context_window: c.context_window,
        headers: c.headers.unwrap_or_default(),
        extra_body,
        path: c.path,
        model_path: c.model_path,
        quantize: c.quantize,
        seed: c.seed.unwrap_or(0),
        price: c.price,
    })
}

impl ProviderSpec {
    /// Read this provider's key from the environment. `Ok(None)` when it needs none; an error naming the
    /// variable when it needs one that is not set.
    pub fn api_key(&self) -> Result<Option<ApiKey>, ConfigError> {
        let value = self
            .api_key_env
            .as_deref()
            .and_then(|var| std::env::var(var).ok())
            .filter(|v| !v.trim().is_empty());
        match (value, self.api_key_required) {
            (Some(v), _) => Ok(Some(ApiKey::new(v.trim().to_string()))),
            (None, false) => Ok(None),
            (None, true) => Err(ConfigError(match &self.api_key_env {
                Some(var) => {
                    format!("provider `{}` needs an API key: set the environment variable {var}", self.name)
                }
                None => format!(
                    "provider `{}` needs an API key but names no variable: set `api_key_env` in [providers.{}]",
                    self.name, self.name
                ),
            })),
        }
    }

    /// The currency costs are reported in.
    pub fn currency(&self) -> Currency {
        self.price.as_ref().map(|p| p.currency).unwrap_or_default()
    }
}

fn preset_names() -> Vec<&'static str> {
    PRESETS.keys().map(String::as_str).collect()
}

/// Fields set in `over` win; the price is replaced as a whole.
fn merge(base: ProviderConfig, over: ProviderConfig) -> ProviderConfig {
    ProviderConfig {
        preset: over.preset,
        description: over.description.or(base.description),
        protocol: over.protocol.or(base.protocol),
        base_url: over.base_url.or(base.base_url),
        model: over.model.or(base.model),
        api_key_env: over.api_key_env.or(base.api_key_env),
        api_key_required: over.api_key_required.or(base.api_key_required),
        auth: over.auth.or(base.auth),
        max_concurrency: over.max_concurrency.or(base.max_concurrency),
        rpm: over.rpm.or(base.rpm),
        tpm: over.tpm.or(base.tpm),
        timeout_s: over.timeout_s.or(base.timeout_s),
        max_retries: over.max_retries.or(base.max_retries),
        max_answer_mb: over.max_answer_mb.or(base.max_answer_mb),
        stream: over.stream.or(base.stream),
        temperature: over.temperature.or(base.temperature),
        max_tokens: over.max_tokens.or(base.max_tokens),
        max_tokens_field: over.max_tokens_field.or(base.max_tokens_field),
        reasoning_echo: over.reasoning_echo.or(base.reasoning_echo),
        context_window: over.context_window.or(base.context_window),
        headers: over.headers.or(base.headers),
        extra_body: over.extra_body.or(base.extra_body),
        path: over.path.or(base.path),
        model_path: over.model_path.or(base.model_path),
        quantize: over.quantize.or(base.quantize),
        seed: over.seed.or(base.seed),
        price: over.price.or(base.price),
    }
}

#[cfg(test)]
mod tests;
