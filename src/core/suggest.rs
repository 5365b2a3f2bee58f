//! "Did you mean": the closest known name to a mistyped one, so an error can offer the fix.

/// Similarity (Jaro-Winkler, 0 to 1) a known name needs to be offered: catches a dropped, doubled or
/// swapped letter in names of four or more letters (`claud`, `kmi`, `maht`) without offering `glm`
/// for `gpt`.
const THRESHOLD: f64 = 0.8;

/// The known name most like `input` (case aside), when one is like it at all.
pub fn closest<'a>(input: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input = input.to_lowercase();
    known
        .into_iter()
        .map(|name| (strsim::jaro_winkler(&input, &name.to_lowercase()), name))
        .filter(|(score, _)| *score >= THRESHOLD)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name)
}

/// `" (did you mean `NAME`?)"` for the closest known name, or nothing: ready to put after the name an
/// error is about.
pub fn did_you_mean<'a>(input: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    closest(input, known).map_or(String::new(), |name| format!(" (did you mean `{name}`?)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRESETS: &[&str] = &["claude", "kimi", "kimi-anthropic", "deepseek", "glm", "gpt", "qwen"];

    #[test]
    fn offers_the_closest_name_for_typical_typos() {
        assert_eq!(closest("claud", PRESETS.iter().copied()), Some("claude"));
        assert_eq!(closest("Claude", PRESETS.iter().copied()), Some("claude"));
        assert_eq!(closest("kmi", PRESETS.iter().copied()), Some("kimi"));
        assert_eq!(closest("deepsek", PRESETS.iter().copied()), Some("deepseek"));
        assert_eq!(closest("kimi-antropic", PRESETS.iter().copied()), Some("kimi-anthropic"));
        assert_eq!(closest("maht", ["custom", "gsm8k", "math", "aime"]), Some("math"));
    }

    #[test]
    fn offers_nothing_for_unrelated_names() {
        assert_eq!(closest("mistral", PRESETS.iter().copied()), None);
        assert_eq!(closest("xyz", PRESETS.iter().copied()), None);
        assert_eq!(closest("anything", std::iter::empty()), None);
        assert_eq!(did_you_mean("mistral", PRESETS.iter().copied()), "");
        assert_eq!(did_you_mean("glmm", PRESETS.iter().copied()), " (did you mean `glm`?)");
    }
}
