//! The JSON fields PostgreSQL queries need from stored JSON text (score details, outcomes,
//! manifests), read in Rust rather than by the server: the server's JSON functions refuse a whole
//! document over one `\u0000` in any string, which an answer may hold, and a report must not fail
//! on it. Each field reads as SQLite's `json_extract` gives it, so both stores hand back the same rows.

use serde_json::{Map, Value};

use crate::store::{FailureFacts, StoreError};

/// A score detail's top-level fields, or none for a missing or non-object detail.
pub struct Detail(Option<Map<String, Value>>);

impl Detail {
    /// Parse a stored detail; `what` names it in the error for malformed JSON.
    pub fn parse(text: Option<&str>, what: impl Fn() -> String) -> Result<Detail, StoreError> {
        let Some(text) = text else { return Ok(Detail(None)) };
        match serde_json::from_str(text) {
            Ok(Value::Object(map)) => Ok(Detail(Some(map))),
            Ok(_) => Ok(Detail(None)),
            Err(e) => Err(StoreError(format!("{}: bad score detail: {e}", what()))),
        }
    }

    fn get(&self, field: &str) -> Option<&Value> {
        self.0.as_ref()?.get(field).filter(|v| !v.is_null())
    }

    /// Whether the field is there at all (JSON `null` included), as SQLite's `json_type` says.
    pub fn has(&self, field: &str) -> bool {
        self.0.as_ref().is_some_and(|map| map.contains_key(field))
    }

    /// Whether the field holds a value (not absent, not JSON `null`).
    pub fn present(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    /// A field as text: a string as is, a number as written, a boolean as 1 or 0, an array or object
    /// as compact JSON; absent for `null`.
    pub fn text(&self, field: &str) -> Option<String> {
        match self.get(field)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => match n.as_i64() {
                Some(i) => Some(i.to_string()),
                None => n.as_f64().map(|x| x.to_string()),
            },
            Value::Bool(b) => Some(if *b { "1" } else { "0" }.to_string()),
            other => Some(other.to_string()),
        }
    }

    /// A field as a string; absent when it is not one.
    pub fn string(&self, field: &str) -> Option<String> {
        self.get(field).and_then(Value::as_str).map(str::to_string)
    }

    /// A field as a count.
    pub fn count(&self, field: &str) -> Option<u32> {
        self.get(field).and_then(Value::as_u64).and_then(|n| u32::try_from(n).ok())
    }

    /// A field as a flag: a boolean, or a number other than 0.
    pub fn flag(&self, field: &str) -> Option<bool> {
        match self.get(field)? {
            Value::Bool(b) => Some(*b),
            Value::Number(n) => n.as_f64().map(|x| x != 0.0),
            _ => None,
        }
    }

    /// The failure facts of a failed answer (`passed` false); empty otherwise.
    pub fn failure(&self, passed: Option<bool>) -> FailureFacts {
        if passed != Some(false) {
            return FailureFacts::default();
        }
        FailureFacts {
            class: self.text("class"),
            error_type: self.text("error_type"),
            method: self.text("method"),
            refusal: self.text("refusal"),
        }
    }

    /// The detail as compact JSON without `model_patch` (what SQLite's `json_remove` gives).
    pub fn without_patch(mut self) -> Option<String> {
        let map = self.0.as_mut()?;
        map.remove("model_patch");
        Some(Value::Object(std::mem::take(map)).to_string())
    }
}

/// The text of a stored outcome (`$.text`).
pub fn outcome_text(json: &str) -> Result<Option<String>, serde_json::Error> {
    #[derive(serde::Deserialize)]
    struct Text {
        text: Option<String>,
    }
    serde_json::from_str::<Text>(json).map(|t| t.text)
}

/// The tag under which a stored manifest's run counts in a series: its top-level tag, none for a shard (a part of a run, not a run of a series:
/// only the run `bench merge` makes of the shards counts).
pub fn series_tag(json: &str) -> Result<Option<String>, serde_json::Error> {
    #[derive(serde::Deserialize)]
    struct Tag {
        tag: Option<String>,
        #[serde(default)]
        shard: Option<serde::de::IgnoredAny>,
    }
    serde_json::from_str::<Tag>(json).map(|t| if t.shard.is_some() { None } else { t.tag })
}

#[cfg(test)]
mod tests {
    use super::Detail;

    #[test]
    fn fields_read_as_sqlite_json_extract_gives_them() {
        let text = r#"{"answer_key":42,"x":4.0,"flag":true,"off":0,"s":"a\u0000b","none":null,"model_patch":"diff"}"#;
        let d = Detail::parse(Some(text), String::new).expect("valid");
        assert_eq!(d.text("answer_key").as_deref(), Some("42"));
        assert_eq!(d.text("x").as_deref(), Some("4"));
        assert_eq!(d.text("flag").as_deref(), Some("1"));
        assert_eq!(d.flag("off"), Some(false));
        assert_eq!(d.string("s").as_deref(), Some("a\0b"), "a NUL in an answer is no error");
        assert_eq!((d.text("none"), d.has("none"), d.has("gone")), (None, true, false));
        assert_eq!(d.failure(Some(true)), crate::store::FailureFacts::default());
        let without = d.without_patch().expect("an object");
        assert!(!without.contains("model_patch") && without.starts_with(r#"{"answer_key":42,"flag":true"#));
        assert!(Detail::parse(Some("{"), || "r/t".into()).is_err_and(|e| e.0.contains("r/t")));
    }
}
