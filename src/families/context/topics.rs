//! The words of the synthetic prose: eight everyday topics (a harbour, an orchard, a railway, a
//! bakery, an observatory, an archive, a mountain village, a workshop), each with the people, things,
//! qualities, actions, places and ideas its sentences are made of. No hyphens, no personal names,
//! no numbers: nothing a needle is made of.

/// One topic's words, each list a set of interchangeable fillers for a template slot.
pub struct Topic {
    /// People, as a definite noun phrase (`the harbourmaster`).
    pub roles: &'static [&'static str],
    /// Things, singular and plural.
    pub nouns: &'static [(&'static str, &'static str)],
    /// Qualities.
    pub adjectives: &'static [&'static str],
    /// Verbs, past tense and base form.
    pub verbs: &'static [(&'static str, &'static str)],
    /// Prepositional phrases of place.
    pub places: &'static [&'static str],
    /// Abstract nouns.
    pub ideas: &'static [&'static str],
}

/// Every topic; a paragraph keeps to one.
pub const TOPICS: &[Topic] = &[
    Topic {
        roles: &[
            "the harbourmaster",
            "the ferry captain",
            "an old net mender",
            "the lighthouse keeper",
            "a young deckhand",
        ],
        nouns: &[
            ("pier", "piers"),
            ("fishing boat", "fishing boats"),
            ("tide table", "tide tables"),
            ("rope locker", "rope lockers"),
            ("buoy", "buoys"),
            ("sea wall", "sea walls"),
        ],
        adjectives: &["weathered", "salty", "crowded", "sturdy", "faded", "windswept"],
        verbs: &[
            ("painted", "paint"),
            ("repaired", "repair"),
            ("inspected", "inspect"),
            ("tarred", "tar"),
            ("moored", "moor"),
        ],
        places: &[
            "along the northern quay",
            "near the fish market",
            "beyond the breakwater",
            "at the mouth of the bay",
        ],
        ideas: &["patience", "the weather", "habit", "luck", "good timing"],
    },
    Topic {
        roles: &[
            "the orchard keeper",
            "a seasonal picker",
            "the beekeeper",
            "the farmer next door",
            "a retired schoolteacher",
        ],
        nouns: &[
            ("apple tree", "apple trees"),
            ("cider press", "cider presses"),
            ("hedge", "hedges"),
            ("beehive", "beehives"),
            ("wooden crate", "wooden crates"),
            ("ladder", "ladders"),
        ],
        adjectives: &["gnarled", "fragrant", "overgrown", "heavy", "crooked", "sunlit"],
        verbs: &[
            ("pruned", "prune"),
            ("grafted", "graft"),
            ("watered", "water"),
            ("harvested", "harvest"),
            ("fenced", "fence"),
        ],
        places: &[
            "on the south slope",
            "behind the farmhouse",
            "along the lower field",
            "by the old stone wall",
        ],
        ideas: &["care", "the soil", "tradition", "a steady hand", "the rain"],
    },
    Topic {
        roles: &[
            "the station master",
            "a signal operator",
            "the night porter",
            "an engine driver",
            "the ticket clerk",
        ],
        nouns: &[
            ("platform", "platforms"),
            ("signal box", "signal boxes"),
            ("timetable", "timetables"),
            ("carriage", "carriages"),
            ("waiting room", "waiting rooms"),
            ("footbridge", "footbridges"),
        ],
        adjectives: &["draughty", "punctual", "noisy", "elegant", "narrow", "freshly painted"],
        verbs: &[
            ("cleaned", "clean"),
            ("rebuilt", "rebuild"),
            ("timed", "time"),
            ("oiled", "oil"),
            ("checked", "check"),
        ],
        places: &[
            "at the junction",
            "past the goods yard",
            "under the iron roof",
            "beside the level crossing",
        ],
        ideas: &["punctuality", "routine", "discipline", "small courtesies", "the timetable"],
    },
    Topic {
        roles: &[
            "the baker",
            "a pastry cook",
            "the miller",
            "an apprentice baker",
            "the owner of the corner shop",
        ],
        nouns: &[
            ("oven", "ovens"),
            ("loaf", "loaves"),
            ("flour sack", "flour sacks"),
            ("mixing bowl", "mixing bowls"),
            ("recipe book", "recipe books"),
            ("proving basket", "proving baskets"),
        ],
        adjectives: &["warm", "golden", "dusty", "crusty", "generous", "slightly burnt"],
        verbs: &[
            ("kneaded", "knead"),
            ("baked", "bake"),
            ("weighed", "weigh"),
            ("shaped", "shape"),
            ("glazed", "glaze"),
        ],
        places: &[
            "in the back kitchen",
            "on the market stall",
            "behind the counter",
            "near the warm chimney",
        ],
        ideas: &["temperature", "timing", "a good starter", "early mornings", "practice"],
    },
    Topic {
        roles: &[
            "the astronomer",
            "a visiting student",
            "the night assistant",
            "the instrument maker",
            "an amateur observer",
        ],
        nouns: &[
            ("telescope", "telescopes"),
            ("star chart", "star charts"),
            ("lens", "lenses"),
            ("dome", "domes"),
            ("logbook", "logbooks"),
            ("brass clock", "brass clocks"),
        ],
        adjectives: &["clear", "cold", "precise", "enormous", "polished", "patient"],
        verbs: &[
            ("aligned", "align"),
            ("recorded", "record"),
            ("polished", "polish"),
            ("calibrated", "calibrate"),
            ("measured", "measure"),
        ],
        places: &[
            "on the hilltop",
            "inside the observatory",
            "above the sleeping town",
            "on the roof terrace",
        ],
        ideas: &["clear skies", "careful notes", "curiosity", "steady nerves", "darkness"],
    },
    Topic {
        roles: &[
            "the archivist",
            "a local historian",
            "the reading room attendant",
            "the bookbinder",
            "a curious visitor",
        ],
        nouns: &[
            ("ledger", "ledgers"),
            ("map drawer", "map drawers"),
            ("letter", "letters"),
            ("catalogue card", "catalogue cards"),
            ("bookshelf", "bookshelves"),
            ("photograph", "photographs"),
        ],
        adjectives: &["fragile", "yellowed", "handwritten", "forgotten", "careful", "dusty"],
        verbs: &[
            ("sorted", "sort"),
            ("copied", "copy"),
            ("mended", "mend"),
            ("catalogued", "catalogue"),
            ("labelled", "label"),
        ],
        places: &[
            "in the basement stacks",
            "on the top floor",
            "in the quiet reading room",
            "behind the locked door",
        ],
        ideas: &["memory", "order", "accuracy", "small details", "the passing of time"],
    },
    Topic {
        roles: &[
            "the shepherd",
            "the innkeeper",
            "a mountain guide",
            "the village carpenter",
            "the postwoman",
        ],
        nouns: &[
            ("footpath", "footpaths"),
            ("chalet", "chalets"),
            ("stone bridge", "stone bridges"),
            ("woodpile", "woodpiles"),
            ("weather vane", "weather vanes"),
            ("cowbell", "cowbells"),
        ],
        adjectives: &["steep", "snowy", "quiet", "remote", "mossy", "bright"],
        verbs: &[
            ("cleared", "clear"),
            ("marked", "mark"),
            ("stacked", "stack"),
            ("shuttered", "shutter"),
            ("walked", "walk"),
        ],
        places: &["above the tree line", "in the upper valley", "near the chapel", "along the winding road"],
        ideas: &["the seasons", "neighbourly help", "stubbornness", "the first snow", "hard work"],
    },
    Topic {
        roles: &["the weaver", "the mill foreman", "a dyer", "the clockmaker", "a young seamstress"],
        nouns: &[
            ("loom", "looms"),
            ("spool", "spools"),
            ("dye vat", "dye vats"),
            ("workbench", "workbenches"),
            ("pattern", "patterns"),
            ("bolt of cloth", "bolts of cloth"),
        ],
        adjectives: &["intricate", "colourful", "noisy", "tidy", "sturdy", "delicate"],
        verbs: &[
            ("threaded", "thread"),
            ("dyed", "dye"),
            ("adjusted", "adjust"),
            ("folded", "fold"),
            ("stitched", "stitch"),
        ],
        places: &[
            "in the long workshop",
            "by the tall windows",
            "on the ground floor",
            "next to the river wheel",
        ],
        ideas: &["rhythm", "skill", "steady light", "good thread", "concentration"],
    },
];

/// Times and seasons, shared by every topic.
pub const TIMES: &[&str] = &[
    "the early spring",
    "a wet autumn",
    "the middle of winter",
    "a long dry summer",
    "the last week of the season",
    "the years after the war",
];
/// Seasons and times of year.
pub const SEASONS: &[&str] = &["spring", "summer", "autumn", "winter", "harvest", "holiday"];
