//! Short excerpts of long texts (prompts, answers, scorer details) for reports that show many of
//! them side by side.

/// `text` on one line (every run of whitespace folded to a space) and at most `max` characters: when
/// longer, its first third and its end joined by ` … `, since a question and an answer both tend to
/// say what matters at the end.
pub fn excerpt(text: &str, max: usize) -> String {
    let text = text.trim();
    let mut out = String::with_capacity(text.len().min(max * 2 + 8));
    let whole = push_folded(&mut out, text, max);
    if whole {
        return out;
    }
    const CUT: &str = " … ";
    let room = max.saturating_sub(CUT.chars().count());
    if room < 2 {
        return out;
    }
    let head_len = room / 3;
    let head_end = out.char_indices().nth(head_len).map_or(out.len(), |(i, _)| i);
    out.truncate(head_end);
    out.truncate(out.trim_end().len());
    out.push_str(CUT);
    let tail = &text[tail_start(text, room - head_len)..];
    push_folded(&mut out, tail.trim_start(), usize::MAX);
    out
}

/// Push `text` with every run of whitespace as one space, at most `max` characters; whether it all fit.
fn push_folded(out: &mut String, text: &str, max: usize) -> bool {
    let mut count = 0;
    let mut in_space = false;
    for c in text.chars() {
        let space = c.is_whitespace();
        if space && in_space {
            continue;
        }
        if count == max {
            return false;
        }
        in_space = space;
        out.push(if space { ' ' } else { c });
        count += 1;
    }
    true
}

/// Byte offset where the last `chars` characters of `text` begin, counting each run of whitespace as one.
fn tail_start(text: &str, chars: usize) -> usize {
    let mut count = 0;
    let mut in_space = false;
    let mut start = text.len();
    for (i, c) in text.char_indices().rev() {
        let space = c.is_whitespace();
        if !(space && in_space) {
            if count == chars {
                break;
            }
            count += 1;
        }
        in_space = space;
        start = i;
    }
    start
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

    /// The first, plainly written version: the fast one must cut every text exactly like it.
    fn reference(text: &str, max: usize) -> String {
        fn folded(chars: impl Iterator<Item = char>) -> impl Iterator<Item = char> {
            let mut in_space = false;
            chars.filter_map(move |c| {
                let space = c.is_whitespace();
                let keep = !(space && in_space);
                in_space = space;
                keep.then_some(if space { ' ' } else { c })
            })
        }
        let text = text.trim();
        if folded(text.chars()).take(max + 1).count() <= max {
            return folded(text.chars()).collect();
        }
        let room = max.saturating_sub(3);
        if room < 2 {
            return folded(text.chars()).take(max).collect();
        }
        let head: String = folded(text.chars()).take(room / 3).collect();
        let mut tail: Vec<char> = folded(text.chars().rev()).take(room - room / 3).collect();
        tail.reverse();
        let tail: String = tail.into_iter().collect();
        format!("{} … {}", head.trim_end(), tail.trim_start())
    }

    #[test]
    fn cuts_exactly_like_the_plain_version() {
        let pieces = ["a", " ", "\n\t ", "é", "日本", "  ", "word", "\u{3000}", ".", "  x  "];
        let mut seed = 7u64;
        for _ in 0..2000 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let len = (seed >> 33) % 60;
            let text: String =
                (0..len).map(|k| pieces[((seed >> (k % 50)) as usize + k as usize) % pieces.len()]).collect();
            for max in [0, 1, 2, 4, 5, 7, 10, 20, 40, 200] {
                assert_eq!(excerpt(&text, max), reference(&text, max), "{text:?} at {max}");
            }
        }
    }
}
