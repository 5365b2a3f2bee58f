//! Finding a model's final answer in free-form output, and normalising answer strings.
//!
//! Extraction rules, tried in order (the first that finds something wins):
//! 1. the content of the last `\boxed{...}` / `\fbox{...}` (braces matched);
//! 2. the rest of the line after the last `####`;
//! 3. the text after the last "the answer is" / "answer:" phrase, up to the end of its sentence,
//!    when it looks like an answer (holds a digit or LaTeX, or is a short token like `B`);
//! 4. the last number in the text.
//!
//! Only the text after a closing `</think>` is searched; a reply still inside `<think>` has no answer.

use std::sync::LazyLock;

use regex::Regex;

fn static_regex(pattern: &str) -> Regex {
    // Only built-in patterns reach this; they are covered by the tests.
    Regex::new(pattern).unwrap_or_else(|e| panic!("built-in pattern {pattern:?} does not compile: {e}"))
}

static ANSWER_RE: LazyLock<Regex> =
    LazyLock::new(|| static_regex(r"(?i)\b(?:final\s+)?answer\b(?:\s+is\b\s*:?|\s*[:=])"));
static NUMBER_RE: LazyLock<Regex> =
    LazyLock::new(|| static_regex(r"-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:/\d+)?|\.\d+)"));
static TEXT_RE: LazyLock<Regex> =
    LazyLock::new(|| static_regex(r"\\(?:text|textbf|textrm|mathrm|mbox|mathbf)\s*\{([^{}]*)\}"));
static DIGIT_GROUP_RE: LazyLock<Regex> = LazyLock::new(|| static_regex(r"(\d)(?:\\,|\{,\}|\\!)(\d)"));
static TRAILING_WORDS_RE: LazyLock<Regex> =
    LazyLock::new(|| static_regex(r"^(-?[0-9][0-9.,/]*)\s+[A-Za-z]{2,}(?:\s+[A-Za-z]{2,})*$"));

/// Stands in for `\\` while normalising (a control character no answer contains).
const ROW_BREAK: &str = "\u{1}";

/// An answer found in a model's output, with the rule that found it (for score details).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// The answer text as found, before normalisation.
    pub raw: String,
    /// Which rule found it: `boxed`, `hashes`, `answer_phrase` or `last_number`.
    pub method: &'static str,
}

/// Contents of the last `\boxed{...}` or `\fbox{...}` whose braces close.
pub fn last_boxed(text: &str) -> Option<&str> {
    let mut best: Option<(usize, &str)> = None;
    for opener in ["\\boxed", "\\fbox"] {
        for (pos, _) in text.match_indices(opener) {
            let after = &text[pos + opener.len()..];
            let trimmed = after.trim_start();
            let Some(inner) = trimmed.strip_prefix('{') else { continue };
            if let Some(content) = balanced(inner)
                && best.is_none_or(|(p, _)| pos > p)
            {
                best = Some((pos, content));
            }
        }
    }
    best.map(|(_, content)| content)
}

/// The text up to the `}` closing an already-opened brace, if it closes.
fn balanced(inner: &str) -> Option<&str> {
    let mut depth = 1usize;
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&inner[..i]);
                }
            }
            _ => {}
        }
    }
    None
}

/// Cuts an answer phrase's tail at the end of its sentence: a newline, or a period followed by
/// whitespace (so `3.5` and `\frac{1}{2}.` survive).
fn sentence(rest: &str) -> &str {
    let line = rest.split('\n').next().unwrap_or_default();
    let b = line.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_whitespace) {
            return &line[..i];
        }
    }
    line
}

/// Finds the final answer in a model's output; `None` when there is nothing answer-like at all.
pub fn extract(text: &str) -> Option<Extracted> {
    // Reasoning models think aloud first, boxing drafts; only what follows the thinking counts, and
    // a generation cut off while still thinking has no answer.
    let text = match (text.rfind("</think>"), text.contains("<think>")) {
        (Some(end), _) => &text[end + "</think>".len()..],
        (None, true) => return None,
        (None, false) => text,
    };
    let found = |raw: &str, method| Some(Extracted { raw: raw.trim().to_owned(), method });
    if let Some(content) = last_boxed(text) {
        return found(content, "boxed");
    }
    if let Some(pos) = text.rfind("####") {
        let line = text[pos + 4..].split('\n').next().unwrap_or_default();
        if !line.trim().is_empty() {
            return found(line, "hashes");
        }
    }
    if let Some(m) = ANSWER_RE.find_iter(text).last() {
        let tail = sentence(&text[m.end()..]).trim().trim_start_matches(['*', '_', ':']);
        // "The answer is not obvious" is prose, not an answer: require a digit, LaTeX, or a short
        // token such as a choice letter.
        let answer_like = tail.contains(|c: char| c.is_ascii_digit() || c == '\\') || tail.trim().len() <= 3;
        if !tail.trim().is_empty() && answer_like {
            return found(tail, "answer_phrase");
        }
    }
    let cleaned = normalize_numbers_only(text);
    let last = NUMBER_RE.find_iter(&cleaned).last()?;
    let mut raw = last.as_str();
    if raw.starts_with('-')
        && cleaned[..last.start()].chars().next_back().is_some_and(|c| c.is_alphanumeric())
    {
        raw = &raw[1..];
    }
    found(raw, "last_number")
}

/// Light clean-up used before scanning for the last number: LaTeX digit grouping and Unicode minus.
fn normalize_numbers_only(text: &str) -> String {
    let s = text.replace('\u{2212}', "-");
    DIGIT_GROUP_RE.replace_all(&s, "${1}${2}").into_owned()
}

/// Normalises an answer string for comparison: strips `$`, `\text{}` wrappers (keeping their
/// content), `%`, degree signs, LaTeX spacing, `\left`/`\right`, a trailing period, unit words
/// after a lone number; rewrites `\dfrac`/`\tfrac` to `\frac`. Thousands separators are left to
/// the number parser, which knows when a comma is one.
pub fn normalize(answer: &str) -> String {
    // A matrix row break `\\` must survive the spacing rules below (`\ ` is a space).
    let mut s = answer.trim().replace('\u{2212}', "-").replace('\n', " ").replace("\\\\", ROW_BREAK);
    // `\text{...}` may nest `\text{}` inside other braces; a few passes unwrap the usual cases.
    for _ in 0..3 {
        let next = TEXT_RE.replace_all(&s, "${1}").into_owned();
        if next == s {
            break;
        }
        s = next;
    }
    s = DIGIT_GROUP_RE.replace_all(&s, "${1}${2}").into_owned();
    for (from, to) in [
        ("\\dfrac", "\\frac"),
        ("\\tfrac", "\\frac"),
        ("\\left", ""),
        ("\\right", ""),
        ("\\displaystyle", ""),
        ("^{\\circ}", ""),
        ("^\\circ", ""),
        ("\u{b0}", ""),
        ("\\%", ""),
        ("%", ""),
        ("\\$", ""),
        ("$", ""),
        ("\\!", ""),
        ("\\,", " "),
        ("\\;", " "),
        ("\\ ", " "),
        ("~", " "),
    ] {
        if s.contains(from) {
            s = s.replace(from, to);
        }
    }
    let mut s = s.trim().replace(ROW_BREAK, "\\\\");
    while let Some(rest) = s.strip_suffix('.') {
        s = rest.trim_end().to_owned();
    }
    if let Some(caps) = TRAILING_WORDS_RE.captures(&s)
        && let Some(number) = caps.get(1)
    {
        s = number.as_str().trim_end_matches(['.', ',']).to_owned();
    }
    s
}
