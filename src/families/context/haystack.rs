//! A haystack of L tokens with its needles: filler (synthetic prose or the lines of files) drawn up
//! to L less the needles' tokens, then each needle put at the boundary nearest its depth.
//!
//! Everything is a list of [`Segment`]s whose counts are known: prose sentences counted once in the
//! pool, file units counted once per tree, needles counted as they are placed. Segments meet only
//! where the o200k pre-tokenizer always splits, so the haystack's size is their sum, exactly, with
//! no second pass over a million tokens. Filling stops within a few tokens of L: the last gap is
//! closed with a sentence of just the right length, or with the first words of the next line.

use std::borrow::Cow;
use std::ops::Range;

use super::corpus::{Pool, pool};
use super::files::{Chunk, FileSource, joins};
use super::kinds::Needle;
use crate::core::count_o200k;
use crate::families::draw::Draw;

/// A stretch of the haystack with its exact token count; `needle` says which needle it holds, if
/// one, and where in `text`.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment<'a> {
    /// Its text.
    pub text: Cow<'a, str>,
    /// Its o200k tokens.
    pub tokens: u64,
    /// The needle it holds (its index in the plan) and where in `text`.
    pub needle: Option<(usize, Range<usize>)>,
}

/// What the filler is made of.
#[derive(Clone, Copy)]
pub enum Filler<'a> {
    /// The synthetic prose of [`super::corpus`].
    Prose,
    /// The files of a tree, in order, repeated when they run out.
    Files(&'a FileSource),
}

/// The haystack of `length` tokens (the needles' included) from `filler`, with `needles` (in text
/// order) at their depths; filler draws come from `draw`.
pub fn build<'a>(filler: Filler<'a>, length: u64, needles: &[Needle], draw: &mut Draw) -> Vec<Segment<'a>> {
    match filler {
        Filler::Prose => prose(length, needles, draw),
        Filler::Files(source) => files(source, length, needles),
    }
}

/// Where among `prefix` (token offsets of the filler's boundaries, starting at 0) each needle
/// `(depth, tokens, is code)` goes: the boundary nearest its depth in the finished text, never before
/// an earlier needle's. `prefer(b)` marks the boundaries where code reads best, taken when one is
/// within 1.5% of the target.
fn positions(prefix: &[u64], needles: &[(f64, u64, bool)], prefer: impl Fn(usize) -> bool) -> Vec<usize> {
    let filler = prefix.last().copied().unwrap_or(0);
    let total = filler + needles.iter().map(|n| n.1).sum::<u64>();
    let window = total * 3 / 200;
    let mut placed = Vec::with_capacity(needles.len());
    let mut before = 0u64;
    let mut lowest = 0usize;
    for &(at, tokens, code) in needles {
        let target = ((at * total.saturating_sub(tokens) as f64) as u64).saturating_sub(before);
        let mut chosen = nearest(lowest..prefix.len(), target, prefix, |_| true);
        if code && chosen.is_some_and(|b| !prefer(b)) {
            let from = prefix.partition_point(|&o| o + window < target).max(lowest);
            let to = prefix.partition_point(|&o| o <= target + window);
            chosen = nearest(from..to.max(from), target, prefix, &prefer).or(chosen);
        }
        let chosen = chosen.unwrap_or(prefix.len() - 1);
        placed.push(chosen);
        lowest = chosen;
        before += tokens;
    }
    placed
}

/// The boundary in `range` that `ok` accepts nearest to `target`, searching outwards from where
/// `target` falls.
fn nearest(
    range: std::ops::Range<usize>,
    target: u64,
    prefix: &[u64],
    ok: impl Fn(usize) -> bool,
) -> Option<usize> {
    let split = prefix.partition_point(|&offset| offset <= target).clamp(range.start, range.end);
    let after = (split..range.end).find(|&b| ok(b));
    let below = (range.start..split).rev().find(|&b| ok(b));
    match (below, after) {
        (Some(a), Some(b)) => {
            Some(if prefix[a].abs_diff(target) <= prefix[b].abs_diff(target) { a } else { b })
        }
        (a, b) => a.or(b),
    }
}

/// One sentence of prose filler: a pool sentence and its place in its paragraph.
#[derive(Clone, Copy)]
struct Line {
    sentence: u32,
    opens: bool,
    closes: bool,
}

impl Line {
    fn tokens(self, pool: &Pool) -> u64 {
        pool.sentences[self.sentence as usize].tokens(self.opens, self.closes)
    }
}

/// Paragraphs of 3 to 7 sentences on one topic, up to `budget` tokens, the last gap filled with
/// sentences of just the right length (added inside the last paragraph).
fn paragraphs(pool: &'static Pool, budget: u64, draw: &mut Draw) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut used = 0;
    let mut last_start = 0;
    let mut last_topic = 0;
    loop {
        let topic = draw.index(pool.topics());
        let count = draw.int(3, 7) as usize;
        let paragraph: Vec<Line> = (0..count)
            .map(|i| Line { sentence: pool.draw(topic, draw), opens: i == 0, closes: i + 1 == count })
            .collect();
        let tokens: u64 = paragraph.iter().map(|l| l.tokens(pool)).sum();
        if used + tokens > budget && !lines.is_empty() {
            break;
        }
        last_start = lines.len();
        last_topic = topic;
        lines.extend(paragraph);
        used += tokens;
    }
    let mut gap = budget.saturating_sub(used);
    while let Some(sentence) = pool.fitting(gap, last_topic, draw) {
        let line = Line { sentence, opens: false, closes: false };
        lines.insert(last_start + 1, line);
        gap -= line.tokens(pool);
    }
    lines
}

fn prose(length: u64, needles: &[Needle], draw: &mut Draw) -> Vec<Segment<'static>> {
    let pool = pool();
    let estimates: Vec<(f64, u64, bool)> =
        needles.iter().map(|n| (n.at, count_o200k(&format!(" {}", n.text)), false)).collect();
    let budget = length.saturating_sub(estimates.iter().map(|e| e.1).sum());
    let lines = paragraphs(pool, budget, draw);
    let mut prefix = Vec::with_capacity(lines.len() + 1);
    prefix.push(0);
    for line in &lines {
        prefix.push(prefix.last().copied().unwrap_or(0) + line.tokens(pool));
    }
    let at = positions(&prefix, &estimates, |_| true);
    let mut segments = Vec::with_capacity(lines.len() + needles.len());
    let mut next_needle = 0;
    for b in 0..=lines.len() {
        while next_needle < needles.len() && at[next_needle] == b {
            // A needle joins the paragraph it lands in: it opens one after a blank line and closes
            // one before a new paragraph.
            let opens = segments.last().is_none_or(|s: &Segment| s.text.ends_with('\n'));
            let closes = lines.get(b).is_none_or(|l| l.opens) && at.get(next_needle + 1) != Some(&b);
            let text = format!(
                "{}{}{}",
                if opens { "" } else { " " },
                needles[next_needle].text,
                if closes { "\n\n" } else { "" }
            );
            let start = usize::from(!opens);
            let needle = Some((next_needle, start..start + needles[next_needle].text.len()));
            segments.push(Segment { tokens: count_o200k(&text), text: Cow::Owned(text), needle });
            next_needle += 1;
        }
        if let Some(line) = lines.get(b) {
            let sentence = &pool.sentences[line.sentence as usize];
            segments.push(Segment {
                text: Cow::Borrowed(sentence.text(line.opens, line.closes)),
                tokens: line.tokens(pool),
                needle: None,
            });
        }
    }
    segments
}

/// `File: PATH` (and `, copy N` from the second time round): the line before each file's text.
fn header(path: &str, copy: usize) -> String {
    match copy {
        0 => format!("File: {path}\n\n"),
        n => format!("File: {path}, copy {}\n\n", n + 1),
    }
}

/// One line of a file haystack (or a header, a needle, the last partial line), before lines that
/// run on into each other are joined into segments.
struct Atom<'a> {
    text: Cow<'a, str>,
    tokens: u64,
    /// Starts at the left margin: where code needles go when they can.
    margin: bool,
    /// Runs on from the atom before (the pre-tokenizer may not split between them).
    glued: bool,
    /// The exact count of the chunk this atom starts, and its length in atoms.
    chunk: Option<Chunk>,
    needle: Option<usize>,
}

impl<'a> Atom<'a> {
    /// An atom counted on its own, exactly.
    fn exact(text: Cow<'a, str>, tokens: u64, needle: Option<usize>) -> Atom<'a> {
        Atom { text, tokens, margin: true, glued: false, chunk: Some(Chunk { tokens, lines: 1 }), needle }
    }
}

/// The lines of files (each file after its header) up to `budget`, then the first words of the
/// next line.
fn file_filler(source: &FileSource, budget: u64) -> Vec<Atom<'_>> {
    let mut out = Vec::new();
    let mut used = 0;
    for (copy, file) in (0..).flat_map(|copy| source.files.iter().map(move |f| (copy, f))) {
        let head = header(&file.path, copy);
        let lines = file.lines();
        let head_glued = lines.first().is_some_and(|l| !joins(&head, &file.text[l.start..l.end]));
        let head_tokens = count_o200k(&head);
        let body = lines.iter().enumerate().map(|(i, line)| {
            let glued = line.chunk.is_none() || (i == 0 && head_glued);
            Atom {
                text: Cow::Borrowed(&file.text[line.start..line.end]),
                tokens: line.tokens,
                margin: line.margin,
                glued,
                chunk: if glued { None } else { line.chunk },
                needle: None,
            }
        });
        for atom in std::iter::once(Atom::exact(Cow::Owned(head), head_tokens, None)).chain(body) {
            if used + atom.tokens > budget {
                if let Some((text, tokens)) = partial_line(&atom.text, budget - used) {
                    out.push(Atom { glued: atom.glued, ..Atom::exact(Cow::Owned(text), tokens, None) });
                }
                return out;
            }
            used += atom.tokens;
            out.push(atom);
        }
    }
    out
}

/// The longest run of whole words from the start of `text` that, with a newline, fits `budget`.
fn partial_line(text: &str, budget: u64) -> Option<(String, u64)> {
    let cuts: Vec<usize> = text.match_indices(' ').map(|(i, _)| i).filter(|&i| i > 0).collect();
    let counted = |cut: usize| {
        let line = format!("{}\n", &text[..cut]);
        let tokens = count_o200k(&line);
        (line, tokens)
    };
    let fits = cuts.partition_point(|&cut| counted(cut).1 <= budget);
    let cut = *cuts.get(fits.checked_sub(1)?)?;
    if text[..cut].trim().is_empty() {
        return None;
    }
    Some(counted(cut))
}

fn files<'a>(source: &'a FileSource, length: u64, needles: &[Needle]) -> Vec<Segment<'a>> {
    // A sentence becomes a line of its own; code (whole lines already) gets a blank line after it.
    let texts: Vec<String> = needles.iter().map(|n| format!("{}\n", n.text)).collect();
    let estimates: Vec<(f64, u64, bool)> =
        needles.iter().zip(&texts).map(|(n, t)| (n.at, count_o200k(t), n.code)).collect();
    let budget = length.saturating_sub(estimates.iter().map(|e| e.1).sum());
    let filler = file_filler(source, budget);
    let mut prefix = Vec::with_capacity(filler.len() + 1);
    prefix.push(0);
    for atom in &filler {
        prefix.push(prefix.last().copied().unwrap_or(0) + atom.tokens);
    }
    // Code reads best between top-level items: after a blank line, before a line at the margin.
    let prefer = |b: usize| {
        b.checked_sub(1).is_none_or(|before| filler[before].text.ends_with("\n\n"))
            && filler.get(b).is_none_or(|next| next.margin)
    };
    let at = positions(&prefix, &estimates, prefer);
    let mut atoms: Vec<Atom<'a>> = Vec::with_capacity(filler.len() + needles.len());
    let mut next_needle = 0;
    for (b, atom) in filler.into_iter().map(Some).chain(std::iter::once(None)).enumerate() {
        while next_needle < needles.len() && at[next_needle] == b {
            let text = Cow::Owned(texts[next_needle].clone());
            atoms.push(Atom::exact(text, estimates[next_needle].1, Some(next_needle)));
            next_needle += 1;
        }
        atoms.extend(atom);
    }
    for i in 1..atoms.len() {
        if atoms[i].needle.is_some() || atoms[i - 1].needle.is_some() {
            atoms[i].glued = !joins(&atoms[i - 1].text, &atoms[i].text);
        }
    }
    segments(atoms, needles)
}

/// Atoms joined into segments wherever one runs on from the one before, each counted exactly: a
/// whole chunk by its known count, anything a needle or the end cut into by counting it again.
fn segments<'a>(atoms: Vec<Atom<'a>>, needles: &[Needle]) -> Vec<Segment<'a>> {
    let mut out: Vec<Segment<'a>> = Vec::new();
    let mut group: Vec<Atom<'a>> = Vec::new();
    for atom in atoms.into_iter().map(Some).chain(std::iter::once(None)) {
        let ends_group = atom.as_ref().is_none_or(|a| !a.glued);
        if ends_group && !group.is_empty() {
            out.push(segment(std::mem::take(&mut group), needles));
        }
        group.extend(atom);
    }
    out
}

/// One segment from a group of atoms that run on into each other.
fn segment<'a>(mut group: Vec<Atom<'a>>, needles: &[Needle]) -> Segment<'a> {
    let complete = group.first().and_then(|a| a.chunk).filter(|c| c.lines == group.len());
    let mut needle = None;
    let text = match group.len() {
        1 => {
            let atom = group.remove(0);
            needle = atom.needle.map(|i| (i, 0..needles[i].text.len()));
            atom.text
        }
        _ => {
            let mut joined = String::new();
            for atom in group {
                if let Some(i) = atom.needle {
                    needle = Some((i, joined.len()..joined.len() + needles[i].text.len()));
                }
                joined.push_str(&atom.text);
            }
            Cow::Owned(joined)
        }
    };
    let tokens = complete.map_or_else(|| count_o200k(&text), |c| c.tokens);
    Segment { text, tokens, needle }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needle(text: &str, at: f64) -> Needle {
        Needle { text: text.into(), at, code: false }
    }

    #[test]
    fn prose_counts_add_up_and_fill_the_length_closely() {
        for (seed, length) in [(1, 1024), (2, 3000), (3, 16_384)] {
            let needles = [needle("The special magic number for amber-falcon is: 4829173.", 0.5)];
            let segments = build(Filler::Prose, length, &needles, &mut Draw::for_task(seed, 1));
            let text: String = segments.iter().map(|s| s.text.as_ref()).collect();
            let sum: u64 = segments.iter().map(|s| s.tokens).sum();
            assert_eq!(sum, count_o200k(&text), "seed {seed}");
            assert!(sum.abs_diff(length) * 100 <= length, "{sum} for {length}");
            assert!(text.ends_with(".\n\n") && !text.contains("\n\n\n") && !text.starts_with(' '));
        }
    }

    #[test]
    fn a_partial_line_ends_on_a_word_within_its_budget() {
        let (line, tokens) =
            partial_line("let total = values.iter().sum();", 4).unwrap_or_else(|| panic!("none"));
        assert!(
            tokens <= 4 && line.ends_with('\n') && "let total = values".starts_with(line.trim_end()),
            "{line:?}"
        );
        assert_eq!(partial_line("word", 3), None, "no space to cut at");
    }
}
