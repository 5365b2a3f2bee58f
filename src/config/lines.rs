//! Where each key of a bench.toml is written, so an error about a value points at the line that sets
//! it rather than at its table's header.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The keys of one bench.toml text with their positions.
pub(super) struct KeyLines<'a> {
    text: &'a str,
    /// `None` when the text does not parse (the typed parse reports that error first).
    doc: Option<Spanned<DeTable<'a>>>,
}

impl<'a> KeyLines<'a> {
    /// Index the keys of `text`.
    pub(super) fn new(text: &'a str) -> KeyLines<'a> {
        KeyLines { text, doc: DeTable::parse(text).ok() }
    }

    /// The 1-based line that sets the key at `path` (`["providers", "kimi", "rpm"]`), if the file
    /// sets it.
    pub(super) fn line(&self, path: &[&str]) -> Option<usize> {
        let (last, parents) = path.split_last()?;
        let mut table = self.doc.as_ref()?.get_ref();
        for key in parents {
            match table.get(*key).map(Spanned::get_ref) {
                Some(DeValue::Table(inner)) => table = inner,
                _ => return None,
            }
        }
        let (key, _) = table.get_key_value(*last)?;
        Some(line_of(self.text, key.span().start))
    }
}

/// 1-based line of a byte offset.
pub(super) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_in_tables_subtables_and_inline_tables() {
        let text = "[providers.a]\npreset = \"kimi\"\n\nrpm = 0\nheaders = { X = \"y\" }\n[providers.a.price]\ninput = -1\n[sandbox]\nprocesses = 1\n";
        let lines = KeyLines::new(text);
        assert_eq!(lines.line(&["providers", "a", "preset"]), Some(2));
        assert_eq!(lines.line(&["providers", "a", "rpm"]), Some(4));
        assert_eq!(lines.line(&["providers", "a", "headers", "X"]), Some(5));
        assert_eq!(lines.line(&["providers", "a", "price"]), Some(6));
        assert_eq!(lines.line(&["providers", "a", "price", "input"]), Some(7));
        assert_eq!(lines.line(&["sandbox", "processes"]), Some(9));
        assert_eq!(lines.line(&["providers", "a", "model"]), None);
        assert_eq!(lines.line(&["providers", "b", "rpm"]), None);
    }
}
