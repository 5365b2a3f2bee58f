//! Names, objects and contexts that word problems draw from, so the same template reads as many
//! different stories, and the small text helpers the templates share.

use super::num::{Draw, Q};

/// A person in a story, with the pronouns the template needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Person {
    /// First name.
    pub name: &'static str,
    /// Subject pronoun (`she`).
    pub they: &'static str,
    /// Object pronoun (`her`).
    pub them: &'static str,
    /// Possessive (`her`).
    pub their: &'static str,
}

const fn she(name: &'static str) -> Person {
    Person { name, they: "she", them: "her", their: "her" }
}

const fn he(name: &'static str) -> Person {
    Person { name, they: "he", them: "him", their: "his" }
}

const PEOPLE: &[Person] = &[
    she("Maya"),
    he("Omar"),
    she("Aiko"),
    he("Diego"),
    she("Priya"),
    he("Liam"),
    she("Fatima"),
    he("Kwame"),
    she("Sofia"),
    he("Mateo"),
    she("Hannah"),
    he("Arjun"),
    she("Zoe"),
    he("Tomás"),
    she("Leila"),
    he("Ethan"),
    she("Amara"),
    he("Kenji"),
    she("Elena"),
    he("Samuel"),
    she("Nadia"),
    he("Ravi"),
    she("Grace"),
    he("Jonas"),
    she("Chloe"),
    he("Malik"),
    she("Ingrid"),
    he("Wei"),
    she("Lucia"),
    he("Theo"),
    she("Yara"),
    he("Felix"),
    she("Mei"),
    he("Oscar"),
    she("Rosa"),
    he("Hugo"),
];

/// One random person.
pub(crate) fn person(d: &mut Draw) -> Person {
    d.pick(PEOPLE)
}

/// `k` different people.
pub(crate) fn people(d: &mut Draw, k: usize) -> Vec<Person> {
    d.distinct(PEOPLE, k)
}

/// A countable thing people collect, share or pack: (singular, plural).
pub(crate) const THINGS: &[(&str, &str)] = &[
    ("sticker", "stickers"),
    ("marble", "marbles"),
    ("stamp", "stamps"),
    ("seashell", "seashells"),
    ("baseball card", "baseball cards"),
    ("bead", "beads"),
    ("postcard", "postcards"),
    ("comic book", "comic books"),
    ("pencil", "pencils"),
    ("crayon", "crayons"),
    ("cookie", "cookies"),
    ("apple", "apples"),
    ("strawberry", "strawberries"),
    ("balloon", "balloons"),
    ("button", "buttons"),
    ("pebble", "pebbles"),
];

/// Something sold at a whole-dollar price: (plural, lowest price, highest price).
pub(crate) const GOODS: &[(&str, i64, i64)] = &[
    ("notebooks", 2, 6),
    ("pens", 1, 4),
    ("books", 8, 20),
    ("T-shirts", 9, 25),
    ("movie tickets", 8, 15),
    ("plants", 4, 12),
    ("toy cars", 3, 9),
    ("candles", 3, 10),
    ("puzzles", 7, 18),
    ("water bottles", 5, 14),
    ("sketchbooks", 6, 12),
    ("board games", 15, 40),
    ("scarves", 10, 24),
    ("mugs", 4, 11),
];

/// Food sold in batches: (plural, the container it comes in).
pub(crate) const BAKED: &[(&str, &str)] = &[
    ("cookies", "tray"),
    ("muffins", "tray"),
    ("cupcakes", "tray"),
    ("rolls", "pan"),
    ("bagels", "rack"),
    ("dumplings", "steamer basket"),
    ("tarts", "tray"),
];

/// A relative or friend who gives or receives things.
pub(crate) const RELATIONS: &[&str] = &[
    "sister",
    "brother",
    "cousin",
    "aunt",
    "uncle",
    "grandmother",
    "grandfather",
    "neighbor",
    "best friend",
];

/// Makes the first letter upper case (`she` -> `She`).
pub(crate) fn cap(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A dollar amount as written in a story: `$12` or `$12.50`.
pub(crate) fn money(q: Q) -> String {
    if q.is_int() {
        return format!("${q}");
    }
    let cents = q * Q::int(100);
    if cents.is_int() {
        let c = cents.num();
        return format!("${}.{:02}", c / 100, c % 100);
    }
    format!("${q}")
}

/// A simple fraction in words: `half`, `a third`, `two fifths`, `three quarters`.
pub(crate) fn fraction_words(num: i64, den: i64) -> String {
    const ONES: [&str; 10] = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
    let (single, plural) = match den {
        2 => ("half", "halves"),
        3 => ("third", "thirds"),
        4 => ("quarter", "quarters"),
        5 => ("fifth", "fifths"),
        6 => ("sixth", "sixths"),
        8 => ("eighth", "eighths"),
        10 => ("tenth", "tenths"),
        _ => return format!("{num}/{den}"),
    };
    match num {
        1 if den == 2 => "half".to_owned(),
        1 => format!("a {single}"),
        2..=9 => format!("{} {plural}", ONES[num as usize]),
        _ => format!("{num}/{den}"),
    }
}

/// A small count in words for prose (`two`, `seven`); larger numbers as digits.
pub(crate) fn count_words(n: i64) -> String {
    const WORDS: [&str; 13] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve",
    ];
    usize::try_from(n).ok().and_then(|i| WORDS.get(i)).map_or_else(|| n.to_string(), |w| (*w).to_owned())
}

/// A rational as written in prose: `3`, `3/4`, `1 1/2`.
pub(crate) fn prose(q: Q) -> String {
    if q.is_int() || q.is_negative() {
        return q.plain();
    }
    let whole = q.floor();
    let part = q - Q::new(whole, 1);
    let frac = format!("{}/{}", part.num(), part.den());
    if whole == 0 { frac } else { format!("{whole} {frac}") }
}
