//! The task kinds, in the style of RULER and NoLiMa (../shared/reference/tasks.md §2), and what each
//! hides in its haystack: the needles, where they go, the question and the answers that score.
//!
//! A task's [`Plan`] follows from its kind, depth and seed alone (stream 0 of its draws), never from
//! its haystack, so the expected answers are known when the suite loads and the size of the prompt is
//! known without building it.

use serde::{Deserialize, Serialize};

use super::code::{self, Language};
use crate::families::draw::Draw;

/// What a task asks of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// One literal needle; the question names its key.
    NiahSingle,
    /// One needle among distractor needles with other keys.
    NiahMultikey,
    /// Four values for one key; all are asked for.
    NiahMultivalue,
    /// Four keys, each with its value; all are asked for at once.
    NiahMultiquery,
    /// A chain of variable assignments; name every variable that holds the value.
    Vartrack,
    /// Entries of a word list spread through the whole text; name the three most frequent words.
    Aggregate,
    /// The question shares no content word with the needle: one associative step is needed.
    Nonliteral,
    /// A function or constant inside real source files, asked about by what it does.
    CodeNeedle,
    /// The needle asked for is not there (a near miss is); the right answer says so.
    Absent,
}

impl Kind {
    /// Every kind, in the order the grid and the README list them.
    pub const ALL: [Kind; 9] = [
        Kind::NiahSingle,
        Kind::NiahMultikey,
        Kind::NiahMultivalue,
        Kind::NiahMultiquery,
        Kind::Vartrack,
        Kind::Aggregate,
        Kind::Nonliteral,
        Kind::CodeNeedle,
        Kind::Absent,
    ];

    /// The name used in task lines, reports and `--kinds`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::NiahSingle => "niah_single",
            Kind::NiahMultikey => "niah_multikey",
            Kind::NiahMultivalue => "niah_multivalue",
            Kind::NiahMultiquery => "niah_multiquery",
            Kind::Vartrack => "vartrack",
            Kind::Aggregate => "aggregate",
            Kind::Nonliteral => "nonliteral",
            Kind::CodeNeedle => "code_needle",
            Kind::Absent => "absent",
        }
    }

    /// The kind named `name`, or what the known names are (with the closest one).
    pub fn parse(name: &str) -> Result<Kind, String> {
        Kind::ALL.into_iter().find(|k| k.name() == name).ok_or_else(|| {
            let names = Kind::ALL.map(Kind::name);
            format!(
                "unknown kind `{name}`{}; expected one of: {}",
                crate::core::did_you_mean(name, names),
                names.join(", ")
            )
        })
    }

    /// Whether the kind hides its answer at a depth. `aggregate` spreads its list over the whole
    /// text, so its tasks have no depth.
    pub fn has_depth(self) -> bool {
        self != Kind::Aggregate
    }
}

/// One thing hidden in the haystack.
#[derive(Debug, Clone, PartialEq)]
pub struct Needle {
    /// Its text: one sentence, or (code) whole lines ending in a newline.
    pub text: String,
    /// Where it goes, as a fraction of the haystack (0 = the start, 1 = the end).
    pub at: f64,
    /// Whether it is source code, placed between lines of code rather than between sentences.
    pub code: bool,
}

/// What a task hides and asks.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// What the prompt says before the haystack.
    pub intro: String,
    /// What it asks after the haystack.
    pub question: String,
    /// Needles, in the order they appear in the text.
    pub needles: Vec<Needle>,
    /// The strings a right answer contains (empty for `absent`).
    pub expected: Vec<String>,
}

/// How far apart the needles of one answer lie, as a fraction of the text, when there are several
/// (values of one key, queried keys, links of a chain).
const SPREAD: f64 = 0.3;
/// How far apart distractors stay from other needles, so none crowds the answer off its depth.
const APART: f64 = 0.05;
/// Distractor needles of `niah_multikey`.
const DISTRACTORS: usize = 4;
/// Values, queried keys and chain links of the multi-needle kinds.
const MANY: usize = 4;

const ADJECTIVES: &[&str] = &[
    "amber", "brisk", "cobalt", "dapper", "eager", "fuzzy", "gentle", "hollow", "icy", "jolly", "keen",
    "lucky", "misty", "nimble", "olive", "plucky", "quiet", "rusty", "silky", "tidy", "upbeat", "vivid",
    "witty", "zesty", "bold", "calm", "dusky", "fancy", "grumpy", "hasty", "lofty", "mellow",
];
const NOUNS: &[&str] = &[
    "falcon", "teapot", "glacier", "pancake", "lantern", "walrus", "compass", "meadow", "saddle", "violin",
    "cactus", "harbor", "pigeon", "quilt", "rocket", "sparrow", "tulip", "umbrella", "volcano", "whistle",
    "yacht", "zipper", "anchor", "biscuit", "canyon", "dolphin", "easel", "ferret", "goblet", "hammock",
];
const WORDS: &[&str] = &[
    "zeppelin",
    "quokka",
    "marzipan",
    "kazoo",
    "tuxedo",
    "origami",
    "sphinx",
    "banjo",
    "igloo",
    "jaguar",
    "kimono",
    "lasagna",
    "mammoth",
    "narwhal",
    "ocelot",
    "papaya",
    "quasar",
    "raccoon",
    "sombrero",
    "trombone",
    "ukulele",
    "vulture",
    "wombat",
    "xylophone",
    "yogurt",
    "zucchini",
    "armadillo",
    "boomerang",
    "chinchilla",
    "dumpling",
    "emu",
    "flamingo",
    "gazebo",
    "hyena",
    "iguana",
    "jellyfish",
];
const NAMES: &[&str] = &[
    "Yuki", "Stefan", "Mirela", "Tobias", "Kofi", "Astrid", "Dmitri", "Leilani", "Rafael", "Svetlana",
    "Jomo", "Annika", "Catalina", "Emeka", "Freya", "Gustavo", "Hiroshi", "Jakub", "Lorena", "Marek",
    "Oskar", "Paloma", "Quentin", "Rasmus", "Saoirse", "Wanjiru", "Zdenek", "Beatriz", "Ignacio", "Olufemi",
];
/// A landmark and the city it is in, for `nonliteral`: the needle names the landmark, the question
/// the city, and no word is shared.
const LANDMARKS: &[(&str, &str)] = &[
    ("the Semper Opera House", "Dresden"),
    ("the Kiasma museum", "Helsinki"),
    ("the Atomium", "Brussels"),
    ("the Alhambra", "Granada"),
    ("the Hagia Sophia", "Istanbul"),
    ("the Golden Gate Bridge", "San Francisco"),
    ("the Sagrada Familia", "Barcelona"),
    ("the Acropolis", "Athens"),
    ("the Colosseum", "Rome"),
    ("the Brandenburg Gate", "Berlin"),
    ("the Little Mermaid statue", "Copenhagen"),
    ("the Space Needle", "Seattle"),
    ("the CN Tower", "Toronto"),
    ("the Petronas Towers", "Kuala Lumpur"),
    ("the Burj Khalifa", "Dubai"),
    ("the Charles Bridge", "Prague"),
    ("the Rijksmuseum", "Amsterdam"),
    ("the Forbidden City", "Beijing"),
    ("Table Mountain", "Cape Town"),
    ("the Gateway Arch", "St. Louis"),
    ("the Kremlin", "Moscow"),
    ("the Louvre", "Paris"),
    ("the Prado", "Madrid"),
    ("the Uffizi Gallery", "Florence"),
    ("the Rialto Bridge", "Venice"),
    ("the Wawel Castle", "Krakow"),
    ("the Belem Tower", "Lisbon"),
    ("the Shibuya crossing", "Tokyo"),
    ("the Marina Bay Sands hotel", "Singapore"),
    ("the Christ the Redeemer statue", "Rio de Janeiro"),
];
/// Letters of `vartrack` names: no vowels and no common consonant runs, so a name never turns up
/// inside an English word.
const NAME_LETTERS: &[char] = &['J', 'K', 'Q', 'V', 'W', 'X', 'Z', 'F'];
/// What `absent` (and `niah_single`, so the two cannot be told apart) asks a model to say when the
/// text holds no answer.
pub const NOT_FOUND: &str = "not found";

/// The plan of a task of `kind` at `depth` (a fraction; ignored by `aggregate`) from `seed`; a code
/// needle is written in `language`.
pub fn plan(kind: Kind, depth: f64, seed: u64, language: Language) -> Plan {
    let mut d = Draw::for_task(seed, 0);
    let d = &mut d;
    match kind {
        Kind::NiahSingle | Kind::Absent => single(kind, depth, d),
        Kind::NiahMultikey => multikey(depth, d),
        Kind::NiahMultivalue => multivalue(depth, d),
        Kind::NiahMultiquery => multiquery(depth, d),
        Kind::Vartrack => vartrack(depth, d),
        Kind::Aggregate => aggregate(d),
        Kind::Nonliteral => nonliteral(depth, d),
        Kind::CodeNeedle => {
            let needle = code::needle(language, d);
            Plan {
                intro: "Below are the source files of a code base, each after a line naming its path. Read \
                        them carefully: I will ask you about the code afterwards."
                    .into(),
                question: format!("Question: {} Answer with its name only.", needle.question),
                needles: vec![Needle { text: needle.code, at: depth, code: true }],
                expected: vec![needle.name],
            }
        }
    }
}

const ONE_NUMBER: &str = "A special magic number is hidden within the following text. Make sure to memorize \
                          it. I will quiz you about it afterwards.";
const SOME_NUMBERS: &str = "Some special magic numbers are hidden within the following text. Make sure to \
                            memorize them. I will quiz you about them afterwards.";

fn sentence(text: String, at: f64) -> Needle {
    Needle { text, at, code: false }
}

/// `n` distinct `adjective-noun` keys.
fn keys(d: &mut Draw, n: usize) -> Vec<String> {
    let mut keys: Vec<String> = Vec::with_capacity(n);
    while keys.len() < n {
        let key = format!("{}-{}", d.pick(ADJECTIVES), d.pick(NOUNS));
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

/// `n` distinct seven-digit numbers.
fn values(d: &mut Draw, n: usize) -> Vec<String> {
    let mut values: Vec<String> = Vec::with_capacity(n);
    while values.len() < n {
        let value = d.int(1_000_000, 9_999_999).to_string();
        if !values.contains(&value) {
            values.push(value);
        }
    }
    values
}

/// Where `n` needles of one answer go: `SPREAD` apart in all, evenly, one of them exactly at
/// `depth`, all within the text.
pub fn spread(depth: f64, n: usize) -> Vec<f64> {
    if n <= 1 {
        return vec![depth];
    }
    let step = SPREAD / (n - 1) as f64;
    let first_at = (0..n)
        .map(|j| depth - j as f64 * step)
        .find(|&start| start >= -1e-9 && start + SPREAD <= 1.0 + 1e-9)
        .unwrap_or(0.0);
    (0..n).map(|i| (first_at + i as f64 * step).clamp(0.0, 1.0)).collect()
}

fn single(kind: Kind, depth: f64, d: &mut Draw) -> Plan {
    let keys = keys(d, 1);
    let value = values(d, 1).remove(0);
    // `absent` hides the near miss (same adjective, other noun) and asks for the first key.
    let (hidden, asked) = match kind {
        Kind::Absent => (near_miss(&keys[0], d), keys[0].clone()),
        _ => (keys[0].clone(), keys[0].clone()),
    };
    Plan {
        intro: ONE_NUMBER.into(),
        question: format!(
            "What is the special magic number for {asked} mentioned in the provided text? If the text \
             mentions no special magic number for {asked}, answer \"{NOT_FOUND}\"."
        ),
        needles: vec![sentence(format!("The special magic number for {hidden} is: {value}."), depth)],
        expected: if kind == Kind::Absent { Vec::new() } else { vec![value] },
    }
}

/// A key one noun away from `key`.
fn near_miss(key: &str, d: &mut Draw) -> String {
    let (adjective, noun) = key.split_once('-').unwrap_or((key, ""));
    let others: Vec<&str> = NOUNS.iter().copied().filter(|n| *n != noun).collect();
    format!("{adjective}-{}", d.pick(&others))
}

fn multikey(depth: f64, d: &mut Draw) -> Plan {
    let keys = keys(d, DISTRACTORS + 1);
    let values = values(d, DISTRACTORS + 1);
    let mut needles =
        vec![sentence(format!("One of the special magic numbers for {} is: {}.", keys[0], values[0]), depth)];
    for (key, value) in keys.iter().zip(&values).skip(1) {
        let taken: Vec<f64> = needles.iter().map(|n| n.at).collect();
        let at = apart(d, &taken);
        needles.push(sentence(format!("One of the special magic numbers for {key} is: {value}."), at));
    }
    needles.sort_by(|a, b| a.at.total_cmp(&b.at));
    Plan {
        intro: SOME_NUMBERS.into(),
        question: format!("What is the special magic number for {} mentioned in the provided text?", keys[0]),
        needles,
        expected: vec![values[0].clone()],
    }
}

/// A random place at least [`APART`] from every place `taken`, when one is found soon.
fn apart(d: &mut Draw, taken: &[f64]) -> f64 {
    let mut at = 0.0;
    for _ in 0..100 {
        at = d.below(1001) as f64 / 1000.0;
        if taken.iter().all(|t| (t - at).abs() >= APART) {
            break;
        }
    }
    at
}

fn multivalue(depth: f64, d: &mut Draw) -> Plan {
    let key = keys(d, 1).remove(0);
    let values = values(d, MANY);
    let needles = values
        .iter()
        .zip(spread(depth, MANY))
        .map(|(value, at)| sentence(format!("One of the special magic numbers for {key} is: {value}."), at))
        .collect();
    Plan {
        intro: SOME_NUMBERS.into(),
        question: format!(
            "What are all the special magic numbers for {key} mentioned in the provided text? List every one of them."
        ),
        needles,
        expected: values,
    }
}

fn multiquery(depth: f64, d: &mut Draw) -> Plan {
    let keys = keys(d, MANY);
    let values = values(d, MANY);
    let needles = keys
        .iter()
        .zip(&values)
        .zip(spread(depth, MANY))
        .map(|((key, value), at)| {
            sentence(format!("One of the special magic numbers for {key} is: {value}."), at)
        })
        .collect();
    let (last, rest) = keys.split_last().map_or((String::new(), &keys[..]), |(l, r)| (l.clone(), r));
    Plan {
        intro: SOME_NUMBERS.into(),
        question: format!(
            "What are the special magic numbers for {} and {last} mentioned in the provided text? Give each \
             number with its key.",
            rest.join(", ")
        ),
        needles,
        expected: values,
    }
}

fn vartrack(depth: f64, d: &mut Draw) -> Plan {
    let links = MANY + 1;
    let mut names: Vec<String> = Vec::with_capacity(links);
    while names.len() < links {
        let name: String = (0..5).map(|_| d.pick(NAME_LETTERS)).collect();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let value = d.int(10_000, 99_999);
    let needles = spread(depth, links)
        .into_iter()
        .enumerate()
        .map(|(i, at)| match i {
            0 => sentence(format!("VAR {} = {value}.", names[0]), at),
            _ => sentence(format!("VAR {} = VAR {}.", names[i], names[i - 1]), at),
        })
        .collect();
    Plan {
        intro: "Memorize and track the chain of variable assignments hidden in the following text.".into(),
        question: format!(
            "Question: Find all variables that are assigned the value {value} in the text above, directly or \
             through other variables. List their names."
        ),
        needles,
        expected: names,
    }
}

/// Occurrences of each of the three most frequent words of `aggregate`, and of each other word.
const FREQUENT: usize = 5;
const RARE: usize = 2;
/// Words in the list besides the three most frequent.
const OTHER_WORDS: usize = 10;

fn aggregate(d: &mut Draw) -> Plan {
    let words = d.distinct(WORDS, 3 + OTHER_WORDS);
    let mut entries: Vec<&str> = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let times = if i < 3 { FREQUENT } else { RARE };
        entries.extend(std::iter::repeat_n(*word, times));
    }
    let order = d.distinct(&(0..entries.len()).collect::<Vec<_>>(), entries.len());
    let n = entries.len() as f64;
    let needles = order
        .iter()
        .enumerate()
        .map(|(slot, &i)| sentence(format!("Word list entry: {}.", entries[i]), (slot as f64 + 0.5) / n))
        .collect();
    Plan {
        intro:
            "Entries of a word list are scattered through the following text, each written as \"Word list \
                entry: WORD.\" Keep count of how often each word appears."
                .into(),
        question:
            "Question: Which three words appear most often in the word list? Answer with the three words."
                .into(),
        needles,
        expected: words[..3].iter().map(|w| w.to_string()).collect(),
    }
}

fn nonliteral(depth: f64, d: &mut Draw) -> Plan {
    let name = d.pick(NAMES);
    let (landmark, city) = d.pick(LANDMARKS);
    Plan {
        intro: "Read the following text carefully. I will ask you a question about it afterwards.".into(),
        question: format!(
            "Question: Which character has been to {city}? Answer with the character's name only."
        ),
        needles: vec![sentence(format!("Actually, {name} lives next to {landmark}."), depth)],
        expected: vec![name.to_string()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_misspellings_get_a_suggestion() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.name()), Ok(kind));
            assert_eq!(serde_json::to_value(kind).unwrap_or_default(), kind.name());
        }
        let wrong = Kind::parse("niah_singel").unwrap_err();
        assert!(wrong.contains("did you mean `niah_single`") && wrong.contains("code_needle"), "{wrong}");
    }

    #[test]
    fn spread_puts_one_needle_at_the_depth_and_all_inside_the_text() {
        for depth in [0.0, 0.25, 0.5, 0.75, 1.0] {
            let at = spread(depth, 4);
            assert!(at.iter().any(|a| (a - depth).abs() < 1e-9), "{depth}: {at:?}");
            assert!(at.iter().all(|a| (0.0..=1.0).contains(a)), "{depth}: {at:?}");
            assert!(at.windows(2).all(|w| (w[1] - w[0] - 0.1).abs() < 1e-9), "{depth}: {at:?}");
        }
    }

    #[test]
    fn nonliteral_questions_share_no_content_word_with_their_needle() {
        const FUNCTION_WORDS: &[&str] =
            &["the", "to", "has", "been", "which", "of", "a", "answer", "with", "only", "question"];
        let words = |text: &str| -> Vec<String> {
            text.split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .filter(|w| !FUNCTION_WORDS.contains(&w.as_str()))
                .collect()
        };
        for (landmark, city) in LANDMARKS {
            let needle = words(&format!("Actually, Yuki lives next to {landmark}."));
            let question =
                words(&format!("Which character has been to {city}? Answer with the character's name only."));
            let shared: Vec<&String> = question.iter().filter(|w| needle.contains(w)).collect();
            assert!(shared.is_empty(), "{landmark} / {city}: {shared:?}");
        }
    }

    #[test]
    fn answers_are_known_from_the_seed_and_differ_between_seeds() {
        for kind in Kind::ALL {
            let a = plan(kind, 0.5, 1, Language::Rust);
            assert_eq!(a, plan(kind, 0.5, 1, Language::Rust), "{kind:?}");
            assert_ne!(a, plan(kind, 0.5, 2, Language::Rust), "{kind:?}");
            assert_eq!(a.expected.is_empty(), kind == Kind::Absent, "{kind:?}");
            assert!(a.needles.windows(2).all(|w| w[0].at <= w[1].at), "{kind:?}: needles in text order");
        }
        let absent = plan(Kind::Absent, 0.5, 3, Language::Rust);
        let asked =
            absent.question.split(" for ").nth(1).and_then(|s| s.split(' ').next()).unwrap_or_default();
        assert!(!absent.needles[0].text.contains(asked), "{} / {}", absent.needles[0].text, absent.question);
        assert_eq!(
            asked.split('-').next(),
            absent.needles[0].text.split(" for ").nth(1).and_then(|s| s.split('-').next())
        );
    }
}
