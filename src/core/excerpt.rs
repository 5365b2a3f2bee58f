//! Short excerpts of long texts (prompts, answers, scorer details) for reports that show many of
//! them side by side.

/// `text` on one line (every run of whitespace folded to a space) and at most `max` characters: when
/// longer, its first third and its end joined by ` … `, since a question and an answer both tend to
/// say what matters at the end.
pub fn excerpt(text: &str, max: usize) -> String {
    let text = text.trim();
    if folded(text.chars()).take(max + 1).count() <= max {
        return folded(text.chars()).collect();
    }
    const CUT: &str = " … ";
    let room = max.saturating_sub(CUT.chars().count());
    if room < 2 {
        return folded(text.chars()).take(max).collect();
    }
    let head_len = room / 3;
    let head: String = folded(text.chars()).take(head_len).collect();
    let mut tail: Vec<char> = folded(text.chars().rev()).take(room - head_len).collect();
    tail.reverse();
    let tail: String = tail.into_iter().collect();
    format!("{}{CUT}{}", head.trim_end(), tail.trim_start())
}

/// The characters with every run of whitespace as one space.
fn folded(chars: impl Iterator<Item = char>) -> impl Iterator<Item = char> {
    let mut in_space = false;
    chars.filter_map(move |c| {
        let space = c.is_whitespace();
        let keep = !(space && in_space);
        in_space = space;
        keep.then_some(if space { ' ' } else { c })
    })
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn a_short_text_is_kept_on_one_line() {
        assert_eq!(excerpt("  What is\n\n 2 +\t2?  ", 40), "What is 2 + 2?");
    }

    #[test]
    fn a_long_text_keeps_its_start_and_its_end_within_the_limit() {
        let text = format!("Question: {} The answer is 42.", "filler ".repeat(200));
        let cut = excerpt(&text, 60);
        assert!(cut.chars().count() <= 60, "{cut}");
        assert!(cut.starts_with("Question: filler") && cut.ends_with("The answer is 42."), "{cut}");
        assert!(cut.contains(" … "), "{cut}");
    }

    #[test]
    fn characters_not_bytes_are_counted() {
        let cut = excerpt(&"é".repeat(100), 10);
        assert_eq!(cut.chars().count(), 10, "{cut}");
        assert_eq!(excerpt("αβγ", 2), "αβ");
    }
}
