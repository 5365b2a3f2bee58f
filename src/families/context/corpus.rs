//! The synthetic prose a haystack is made of: thousands of plain sentences about harbours, orchards,
//! railways, bakeries, observatories, archives, mountain villages and workshops, drawn from templates
//! by a fixed seed. bench writes it itself, so no copyrighted text ships with it, and it holds none of
//! what needles are made of (hyphenated keys, numbers over four digits, personal names, capitalised
//! codes), so a needle's answer can only come from the needle.
//!
//! Every sentence is counted once, in the four forms a haystack uses (opening a paragraph or
//! continuing one, closing it or not), so a haystack's size is a sum of known counts. The sum is
//! exact: the o200k pre-tokenizer splits before a space that follows a full stop and after a blank
//! line, so a sentence's tokens never depend on its neighbours (the tests check the sum against the
//! encoder).

use std::sync::OnceLock;

use super::topics::{SEASONS, TIMES, TOPICS, Topic};
use crate::core::count_o200k;
use crate::families::draw::Draw;

/// Sentences in the pool: enough that a paragraph rarely repeats one, few enough to count at once.
const POOL_SIZE: usize = 4096;
/// The pool's seed; changing it changes every prose haystack.
const POOL_SEED: u64 = 0x1c0a_57ac_2026;

/// A sentence template: the words of one topic and the draws fill its slots.
type Template = fn(&Topic, &mut Draw) -> String;

const TEMPLATES: &[Template] = &[
    |t, d| {
        format!(
            "In {}, {} {} the {} {}.",
            d.pick(TIMES),
            role(t, d),
            past(t, d),
            noun(t, d),
            d.pick(t.places)
        )
    },
    |t, d| {
        let (a, b) = two_roles(t, d);
        format!("{} {} the {} {} while {} watched.", cap(a), past(t, d), adj(t, d), noun(t, d), b)
    },
    |t, d| {
        format!(
            "Nobody {} could remember {} quite like it.",
            d.pick(t.places),
            a_an(&format!("{} {}", adj(t, d), noun(t, d)))
        )
    },
    |t, d| {
        format!(
            "The {} were {} that year, and {} said it had to do with {}.",
            nouns(t, d),
            adj(t, d),
            role(t, d),
            idea(t, d)
        )
    },
    |t, d| {
        format!(
            "One {} morning, the {} {} were counted again, and there were {} of them.",
            d.pick(SEASONS),
            nouns(t, d),
            d.pick(t.places),
            small(d)
        )
    },
    |t, d| {
        format!(
            "It took {} days to {} the {}, which surprised {}.",
            small(d),
            base(t, d),
            noun(t, d),
            role(t, d)
        )
    },
    |t, d| {
        format!(
            "{} kept a notebook about the {}, full of small drawings and notes on {}.",
            cap(role(t, d)),
            nouns(t, d),
            idea(t, d)
        )
    },
    |t, d| {
        format!(
            "Some people believe that {} matters more than skill when you {} {}.",
            idea(t, d),
            base(t, d),
            a_an(noun(t, d))
        )
    },
    |t, d| {
        format!(
            "The {} {} has stood there since {}, though it was rebuilt twice.",
            noun(t, d),
            d.pick(t.places),
            year(d)
        )
    },
    |t, d| {
        format!(
            "When the weather turned, {} would {} the {} before anyone asked.",
            role(t, d),
            base(t, d),
            nouns(t, d)
        )
    },
    |t, d| {
        format!(
            "There is {} quality to the {} {} that visitors rarely notice.",
            a_an(adj(t, d)),
            nouns(t, d),
            d.pick(t.places)
        )
    },
    |t, d| format!("According to {}, the secret is {} and a little stubbornness.", role(t, d), idea(t, d)),
    |t, d| format!("By {}, the {} had become the pride of the whole district.", year(d), nouns(t, d)),
    |t, d| {
        format!(
            "Every {}, the {} {} look a little more {} than before.",
            d.pick(SEASONS),
            nouns(t, d),
            d.pick(t.places),
            adj(t, d)
        )
    },
    |t, d| {
        format!("The old records mention {} {}, but only a few of them survive today.", small(d), nouns(t, d))
    },
    |t, d| {
        format!(
            "Whether the {} was {} or merely old was a question {} enjoyed arguing about.",
            noun(t, d),
            adj(t, d),
            role(t, d)
        )
    },
    |t, d| {
        format!(
            "{} {} the {} with borrowed tools and a great deal of {}.",
            cap(role(t, d)),
            past(t, d),
            noun(t, d),
            idea(t, d)
        )
    },
    |t, d| format!("Children {} learned early how to {} the {}.", d.pick(t.places), base(t, d), nouns(t, d)),
    |t, d| {
        format!(
            "A visitor in {} described the {} as {}, and the description stuck.",
            year(d),
            noun(t, d),
            adj(t, d)
        )
    },
    |t, d| format!("Most evenings ended with {} talking about {} over a cup of tea.", role(t, d), idea(t, d)),
    |t, d| {
        format!(
            "It is hard to say when the {} first appeared {}, but {} is a good guess.",
            nouns(t, d),
            d.pick(t.places),
            year(d)
        )
    },
    |t, d| format!("{} never hurried, and the {} showed it.", cap(role(t, d)), nouns(t, d)),
    |t, d| {
        format!(
            "Few things were as {} as the {} {} after a long day.",
            adj(t, d),
            noun(t, d),
            d.pick(t.places)
        )
    },
    |t, d| {
        format!("Once {} {} the {}, the rest of the work went quickly.", role(t, d), past(t, d), nouns(t, d))
    },
];

fn role(t: &Topic, d: &mut Draw) -> &'static str {
    d.pick(t.roles)
}

fn two_roles(t: &Topic, d: &mut Draw) -> (&'static str, &'static str) {
    let picked = d.distinct(t.roles, 2);
    (picked[0], picked[1])
}

fn noun(t: &Topic, d: &mut Draw) -> &'static str {
    d.pick(t.nouns).0
}

fn nouns(t: &Topic, d: &mut Draw) -> &'static str {
    d.pick(t.nouns).1
}

fn adj(t: &Topic, d: &mut Draw) -> &'static str {
    d.pick(t.adjectives)
}

fn past(t: &Topic, d: &mut Draw) -> &'static str {
    d.pick(t.verbs).0
}

fn base(t: &Topic, d: &mut Draw) -> &'static str {
    d.pick(t.verbs).1
}

fn idea(t: &Topic, d: &mut Draw) -> &'static str {
    d.pick(t.ideas)
}

/// A small count, spelled out as people write them in prose.
fn small(d: &mut Draw) -> &'static str {
    d.pick(&[
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "eleven",
        "twelve",
        "forty",
        "a hundred",
    ])
}

/// A year; four digits at most, so it can never be mistaken for a needle's value.
fn year(d: &mut Draw) -> String {
    d.int(1852, 1989).to_string()
}

/// `phrase` after `a` or `an`.
fn a_an(phrase: &str) -> String {
    let article = if phrase.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{article} {phrase}")
}

/// `text` with its first letter in capitals.
fn cap(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One pool sentence, stored as ` Sentence.\n\n` so each of its four forms is a slice.
pub(crate) struct Sentence {
    padded: String,
    /// Tokens of each form, indexed by [`Sentence::form`].
    tokens: [u32; 4],
}

impl Sentence {
    fn new(text: &str) -> Sentence {
        let padded = format!(" {text}\n\n");
        let mut sentence = Sentence { padded, tokens: [0; 4] };
        for (form, (opens, closes)) in
            [(false, false), (false, true), (true, false), (true, true)].into_iter().enumerate()
        {
            sentence.tokens[form] = count_o200k(sentence.text(opens, closes)) as u32;
        }
        sentence
    }

    fn form(opens: bool, closes: bool) -> usize {
        usize::from(opens) * 2 + usize::from(closes)
    }

    /// The sentence as written in a paragraph: without the leading space when it `opens` one, with
    /// a blank line after it when it `closes` one.
    pub(crate) fn text(&self, opens: bool, closes: bool) -> &str {
        let start = usize::from(opens);
        let end = self.padded.len() - if closes { 0 } else { 2 };
        &self.padded[start..end]
    }

    /// Tokens of that form.
    pub(crate) fn tokens(&self, opens: bool, closes: bool) -> u64 {
        u64::from(self.tokens[Sentence::form(opens, closes)])
    }
}

/// Every pool sentence, grouped by topic, with the count of each form.
pub(crate) struct Pool {
    /// Every sentence, in the order drawn.
    pub sentences: Vec<Sentence>,
    /// Sentence indices of each topic.
    by_topic: Vec<Vec<u32>>,
    /// For a count `c`, the sentences whose continuing, non-closing form has exactly `c` tokens: how
    /// a haystack's last few tokens are filled exactly.
    by_tokens: Vec<Vec<u32>>,
}

/// The pool, built and counted on first use (a few milliseconds) and shared after.
pub(crate) fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| {
        let mut draw = Draw::for_task(POOL_SEED, 0);
        let mut sentences = Vec::with_capacity(POOL_SIZE);
        let mut by_topic = vec![Vec::new(); TOPICS.len()];
        for index in 0..POOL_SIZE {
            let topic = index % TOPICS.len();
            let template = draw.pick(TEMPLATES);
            by_topic[topic].push(index as u32);
            sentences.push(Sentence::new(&template(&TOPICS[topic], &mut draw)));
        }
        let longest = sentences.iter().map(|s| s.tokens(false, false)).max().unwrap_or(0);
        let mut by_tokens = vec![Vec::new(); longest as usize + 1];
        for (index, sentence) in sentences.iter().enumerate() {
            by_tokens[sentence.tokens(false, false) as usize].push(index as u32);
        }
        Pool { sentences, by_topic, by_tokens }
    })
}

impl Pool {
    /// The number of topics paragraphs are drawn from.
    pub(crate) fn topics(&self) -> usize {
        self.by_topic.len()
    }

    /// A random sentence of `topic`.
    pub(crate) fn draw(&self, topic: usize, draw: &mut Draw) -> u32 {
        draw.pick(&self.by_topic[topic])
    }

    /// A sentence (continuing form) that fits `budget`, if any does: any of `topic` while the
    /// budget is larger than every sentence, then one with the most tokens that fit, of `topic`
    /// when there is one.
    pub(crate) fn fitting(&self, budget: u64, topic: usize, draw: &mut Draw) -> Option<u32> {
        if budget as usize >= self.by_tokens.len() {
            return Some(self.draw(topic, draw));
        }
        let candidates =
            (1..=budget as usize).rev().map(|count| &self.by_tokens[count]).find(|c| !c.is_empty())?;
        // Sentence `i` is of topic `i % topics` (the pool takes the topics in turn).
        let on_topic: Vec<u32> =
            candidates.iter().copied().filter(|&i| i as usize % self.by_topic.len() == topic).collect();
        Some(if on_topic.is_empty() { draw.pick(candidates) } else { draw.pick(&on_topic) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_are_plain_prose_without_needle_material() {
        let pool = pool();
        assert_eq!(pool.sentences.len(), POOL_SIZE);
        let distinct: std::collections::HashSet<&str> =
            pool.sentences.iter().map(|s| s.text(true, false)).collect();
        assert!(distinct.len() > POOL_SIZE / 2, "varied: {} distinct sentences", distinct.len());
        for sentence in &pool.sentences {
            let text = sentence.text(true, false);
            assert!(text.ends_with('.') && text.starts_with(|c: char| c.is_uppercase()), "{text}");
            assert!(!text.contains('-') && !text.contains("  "), "{text}");
            let digits = text.split(|c: char| !c.is_ascii_digit()).map(str::len).max().unwrap_or(0);
            assert!(digits <= 4, "{text}");
            // Short enough that the nearest sentence boundary is always within 2% of a 1k text.
            assert!(sentence.tokens(false, true) <= 36, "{text}");
        }
    }

    #[test]
    fn each_form_is_counted_as_the_encoder_counts_it() {
        let pool = pool();
        for sentence in pool.sentences.iter().step_by(97) {
            for (opens, closes) in [(false, false), (false, true), (true, false), (true, true)] {
                assert_eq!(sentence.tokens(opens, closes), count_o200k(sentence.text(opens, closes)));
            }
        }
        let mut draw = Draw::for_task(1, 1);
        let longest = pool.by_tokens.len() as u64 - 1;
        assert!(longest >= 24, "{longest}");
        for budget in 12..=longest {
            let fit =
                pool.fitting(budget, 0, &mut draw).map(|i| pool.sentences[i as usize].tokens(false, false));
            assert_eq!(fit, Some(budget), "a sentence of every common length");
        }
        assert_eq!(pool.fitting(0, 0, &mut draw), None);
        let long = pool.fitting(1000, 3, &mut draw).unwrap_or(u32::MAX);
        assert_eq!(long as usize % TOPICS.len(), 3, "of the topic asked for");
    }
}
