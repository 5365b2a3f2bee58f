//! The needle of `code_needle`: a small function or constant written in the language of the files
//! around it, with a name that says nothing about what it does, and a question that describes only
//! what it does. Finding it means reading the code, not matching words.

use crate::families::draw::Draw;

/// The language a code needle is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// Rust (the bundled source tree).
    Rust,
    /// Python; also what a tree of documents or of other languages gets.
    Python,
    /// JavaScript and TypeScript.
    JavaScript,
    /// Go.
    Go,
}

impl Language {
    /// The language of most files among `paths`, by extension; Python when none is known.
    pub fn of_files<'a>(paths: impl IntoIterator<Item = &'a str>) -> Language {
        let mut counts = [0usize; 4];
        for path in paths {
            let extension = path.rsplit_once('.').map_or("", |(_, e)| e);
            let language = match extension {
                "rs" => Language::Rust,
                "py" => Language::Python,
                "js" | "mjs" | "cjs" | "jsx" | "ts" | "tsx" => Language::JavaScript,
                "go" => Language::Go,
                _ => continue,
            };
            counts[language as usize] += 1;
        }
        const ORDER: [Language; 4] = [Language::Rust, Language::Python, Language::JavaScript, Language::Go];
        let most = counts.iter().copied().max().unwrap_or(0);
        match most {
            0 => Language::Python,
            _ => ORDER[counts.iter().position(|&c| c == most).unwrap_or(1)],
        }
    }

    /// `first second` as this language names a function.
    fn function_name(self, first: &str, second: &str) -> String {
        match self {
            Language::Rust | Language::Python => format!("{first}_{second}"),
            Language::JavaScript | Language::Go => format!("{first}{}", capitalised(second)),
        }
    }

    /// `first second` as this language names a constant.
    fn constant_name(self, first: &str, second: &str) -> String {
        match self {
            Language::Go => format!("{first}{}", capitalised(second)),
            _ => format!("{}_{}", first.to_uppercase(), second.to_uppercase()),
        }
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

/// A code needle: the lines to insert, the name that answers, and the question.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeNeedle {
    /// Whole lines, starting with a letter and ending in a newline.
    pub code: String,
    /// The function's or constant's name: the expected answer.
    pub name: String,
    /// What is asked: its behaviour, in other words than its name.
    pub question: String,
}

const FIRST: &[&str] = &[
    "amber", "basalt", "cinder", "delta", "ember", "fjord", "garnet", "harbor", "indigo", "juniper",
    "kestrel", "lumen", "maple", "nimbus", "onyx", "pebble", "quartz", "russet", "sable", "tundra", "umber",
    "vesper", "willow", "yarrow", "zephyr",
];
const SECOND: &[&str] = &[
    "thicket", "lantern", "meadow", "beacon", "spindle", "harvest", "cobble", "ridge", "hollow", "tassel",
    "furrow", "bramble", "gable", "orchard", "trellis",
];

/// A function by what it does, with its body in each language (`NAME` stands for its name).
struct Behaviour {
    does: &'static str,
    rust: &'static str,
    python: &'static str,
    javascript: &'static str,
    go: &'static str,
}

const BEHAVIOURS: &[Behaviour] = &[
    Behaviour {
        does: "converts a temperature from degrees Celsius to degrees Fahrenheit",
        rust: "fn NAME(value: f64) -> f64 {\n    value * 9.0 / 5.0 + 32.0\n}\n",
        python: "def NAME(value):\n    return value * 9 / 5 + 32\n",
        javascript: "function NAME(value) {\n  return (value * 9) / 5 + 32;\n}\n",
        go: "func NAME(value float64) float64 {\n\treturn value*9/5 + 32\n}\n",
    },
    Behaviour {
        does: "counts the vowels in a piece of text",
        rust: "fn NAME(text: &str) -> usize {\n    text.chars().filter(|c| \"aeiouAEIOU\".contains(*c)).count()\n}\n",
        python: "def NAME(text):\n    return sum(1 for c in text if c in \"aeiouAEIOU\")\n",
        javascript: "function NAME(text) {\n  return [...text].filter((c) => \"aeiouAEIOU\".includes(c)).length;\n}\n",
        go: "func NAME(text string) int {\n\tn := 0\n\tfor _, c := range text {\n\t\tif strings.ContainsRune(\"aeiouAEIOU\", c) {\n\t\t\tn++\n\t\t}\n\t}\n\treturn n\n}\n",
    },
    Behaviour {
        does: "tells whether a year is a leap year in the Gregorian calendar",
        rust: "fn NAME(year: i64) -> bool {\n    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0\n}\n",
        python: "def NAME(year):\n    return (year % 4 == 0 and year % 100 != 0) or year % 400 == 0\n",
        javascript: "function NAME(year) {\n  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;\n}\n",
        go: "func NAME(year int) bool {\n\treturn (year%4 == 0 && year%100 != 0) || year%400 == 0\n}\n",
    },
    Behaviour {
        does: "reverses the order of the words in a sentence",
        rust: "fn NAME(sentence: &str) -> String {\n    sentence.split_whitespace().rev().collect::<Vec<_>>().join(\" \")\n}\n",
        python: "def NAME(sentence):\n    return \" \".join(reversed(sentence.split()))\n",
        javascript: "function NAME(sentence) {\n  return sentence.split(/\\s+/).reverse().join(\" \");\n}\n",
        go: "func NAME(sentence string) string {\n\twords := strings.Fields(sentence)\n\tfor i, j := 0, len(words)-1; i < j; i, j = i+1, j-1 {\n\t\twords[i], words[j] = words[j], words[i]\n\t}\n\treturn strings.Join(words, \" \")\n}\n",
    },
    Behaviour {
        does: "adds up the squares of a list of numbers",
        rust: "fn NAME(values: &[i64]) -> i64 {\n    values.iter().map(|v| v * v).sum()\n}\n",
        python: "def NAME(values):\n    return sum(v * v for v in values)\n",
        javascript: "function NAME(values) {\n  return values.reduce((total, v) => total + v * v, 0);\n}\n",
        go: "func NAME(values []int) int {\n\ttotal := 0\n\tfor _, v := range values {\n\t\ttotal += v * v\n\t}\n\treturn total\n}\n",
    },
    Behaviour {
        does: "converts a distance in miles to kilometres",
        rust: "fn NAME(distance: f64) -> f64 {\n    distance * 1.609344\n}\n",
        python: "def NAME(distance):\n    return distance * 1.609344\n",
        javascript: "function NAME(distance) {\n  return distance * 1.609344;\n}\n",
        go: "func NAME(distance float64) float64 {\n\treturn distance * 1.609344\n}\n",
    },
];

/// A setting by what it controls: the question's words, the comment beside it, its value range.
struct Setting {
    controls: &'static str,
    comment: &'static str,
    values: (i64, i64),
}

const SETTINGS: &[Setting] = &[
    Setting {
        controls: "sets how many seconds an idle connection stays open before it is closed",
        comment: "seconds an unused connection is kept before the pool drops it",
        values: (30, 900),
    },
    Setting {
        controls: "sets the largest upload that is accepted, in megabytes",
        comment: "uploads above this many megabytes are refused",
        values: (8, 512),
    },
    Setting {
        controls: "sets how many times a declined payment is tried again",
        comment: "how often a declined charge is attempted again before giving up",
        values: (2, 9),
    },
    Setting {
        controls: "sets how many thumbnails are kept in memory",
        comment: "thumbnails cached before the oldest is evicted",
        values: (64, 4096),
    },
];

/// A code needle in `language`: one of the functions or settings, under a name drawn from two
/// unrelated words.
pub fn needle(language: Language, d: &mut Draw) -> CodeNeedle {
    let (first, second) = (d.pick(FIRST), d.pick(SECOND));
    let choice = d.index(BEHAVIOURS.len() + SETTINGS.len());
    if let Some(behaviour) = BEHAVIOURS.get(choice) {
        let name = language.function_name(first, second);
        let body = match language {
            Language::Rust => behaviour.rust,
            Language::Python => behaviour.python,
            Language::JavaScript => behaviour.javascript,
            Language::Go => behaviour.go,
        };
        return CodeNeedle {
            code: body.replace("NAME", &name),
            question: format!("Which function in the code above {}?", behaviour.does),
            name,
        };
    }
    let setting = &SETTINGS[choice - BEHAVIOURS.len()];
    let name = language.constant_name(first, second);
    let value = d.int(setting.values.0, setting.values.1);
    let comment = setting.comment;
    let code = match language {
        Language::Rust => format!("const {name}: u64 = {value}; // {comment}\n"),
        Language::Python => format!("{name} = {value}  # {comment}\n"),
        Language::JavaScript => format!("const {name} = {value}; // {comment}\n"),
        Language::Go => format!("const {name} = {value} // {comment}\n"),
    };
    CodeNeedle { code, question: format!("Which constant in the code above {}?", setting.controls), name }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_is_the_most_common_one_among_the_files() {
        assert_eq!(Language::of_files(["a/b.rs", "c.rs", "d.py"]), Language::Rust);
        assert_eq!(Language::of_files(["x.ts", "y.tsx", "z.md"]), Language::JavaScript);
        assert_eq!(Language::of_files(["main.go"]), Language::Go);
        assert_eq!(Language::of_files(["README.md", "notes.txt"]), Language::Python);
    }

    #[test]
    fn needles_are_named_in_each_languages_style_and_start_with_a_letter() {
        for language in [Language::Rust, Language::Python, Language::JavaScript, Language::Go] {
            for seed in 0..40 {
                let needle = needle(language, &mut Draw::for_task(seed, 0));
                assert!(needle.code.starts_with(|c: char| c.is_ascii_alphabetic()), "{}", needle.code);
                assert!(needle.code.ends_with('\n') && needle.code.contains(&needle.name), "{}", needle.code);
                assert_eq!(needle.code.matches(&needle.name).count(), 1, "{}", needle.code);
                let question = needle.question.to_lowercase();
                for word in needle.name.to_lowercase().split('_') {
                    assert!(!question.contains(word), "{question} names {word}");
                }
            }
        }
        let rust = needle(Language::Rust, &mut Draw::for_task(1, 0));
        let go = needle(Language::Go, &mut Draw::for_task(1, 0));
        assert_ne!(rust.name, go.name, "the same draw, named the way each language names things");
    }
}
