//! Tables that fit the terminal they are printed on. A table given a width hides its least important
//! columns first (each renderer ranks its own), then wraps cells at spaces. A column is drawn at
//! least as wide as its longest word, up to [`LONGEST_UNBROKEN`] columns, or [`SHORTEST_UNBROKEN`]
//! when the table could not fit otherwise; past that the table runs wider than asked rather than
//! squeeze a column to one character (what a terminal that reports a width of 0 used to get).
//! `--wide` draws every column at its natural width.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, ColumnConstraint, ContentArrangement, Table, Width};
use textwrap::core::display_width;

/// The width tables fit when nothing says how wide the terminal is (a pipe, a file, a terminal that
/// reports 0 columns).
pub const DEFAULT_WIDTH: u16 = 80;

/// Words longer than this (URLs, long model ids) may be broken inside a narrow column.
pub const LONGEST_UNBROKEN: usize = 24;

/// Words up to this long are never broken, whatever the width.
pub const SHORTEST_UNBROKEN: usize = 10;

/// How wide a table may be drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// At most this many display columns, hiding and wrapping columns as the module says; 0 means
    /// unknown ([`DEFAULT_WIDTH`]).
    Fit(u16),
    /// Every column at its natural width, however wide (`--wide`).
    Wide,
}

impl Layout {
    /// The width tables and the text around them fit; `None` when nothing wraps.
    pub fn width(self) -> Option<u16> {
        match self {
            Layout::Fit(0) => Some(DEFAULT_WIDTH),
            Layout::Fit(width) => Some(width),
            Layout::Wide => None,
        }
    }
}

/// A column of a table to fit: its header and how soon it is hidden when the table is too wide.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    /// The header text.
    pub header: &'static str,
    /// 0 for a column that is always shown; among the others, the highest rank is hidden first.
    pub hide_rank: u8,
}

/// Columns that are always shown, for tables with nothing to hide.
pub(crate) fn always_shown(headers: &[&'static str]) -> Vec<Column> {
    headers.iter().map(|&header| Column { header, hide_rank: 0 }).collect()
}

/// A table laid out for its layout, and how many columns it hid to fit.
pub struct Fitted {
    /// The table, ready to display.
    pub table: Table,
    /// Columns left out; 0 with [`Layout::Wide`].
    pub hidden: usize,
}

/// Tables rendered as text, and how many columns were hidden to fit the width.
#[derive(Debug)]
pub struct Rendered {
    /// The tables and the text around them, without a final newline.
    pub text: String,
    /// Columns hidden over all the tables.
    pub hidden: usize,
}

/// The line that tells the reader `hidden` columns are missing and how to see them, when some are.
pub fn hidden_note(hidden: usize) -> Option<String> {
    match hidden {
        0 => None,
        1 => Some("(1 column hidden; --wide shows all)".into()),
        n => Some(format!("({n} columns hidden; --wide shows all)")),
    }
}

/// Lay out `rows` (one cell per column, in `columns` order) for `layout`.
pub(crate) fn fit(columns: &[Column], rows: Vec<Vec<Cell>>, layout: Layout) -> Fitted {
    let shown = match layout.width() {
        Some(width) => shown_columns(columns, &rows, usize::from(width)),
        None => vec![true; columns.len()],
    };
    let keep = |i: usize| shown.get(i).copied().unwrap_or(false);
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED);
    table.set_header(columns.iter().enumerate().filter(|&(i, _)| keep(i)).map(|(_, c)| c.header));
    let mut bounds: Vec<usize> =
        columns.iter().enumerate().filter(|&(i, _)| keep(i)).map(|(_, c)| longest_word(c.header)).collect();
    for row in rows {
        let cells: Vec<Cell> =
            row.into_iter().enumerate().filter(|&(i, _)| keep(i)).map(|(_, c)| c).collect();
        for (bound, cell) in bounds.iter_mut().zip(&cells) {
            *bound = (*bound).max(longest_word(&cell.content()));
        }
        table.add_row(cells);
    }
    match layout.width() {
        Some(width) => {
            table.set_content_arrangement(ContentArrangement::Dynamic).set_width(width);
            let cap = unbroken_cap(&bounds, usize::from(width));
            // comfy-table's lower boundaries include the padding, one space on each side.
            table.set_constraints(bounds.into_iter().map(|b| {
                let b = u16::try_from(b.min(cap) + 2).unwrap_or(u16::MAX);
                ColumnConstraint::LowerBoundary(Width::Fixed(b))
            }));
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    let hidden = shown.iter().filter(|&&s| !s).count();
    Fitted { table, hidden }
}

/// Which columns to show in `width` display columns: all when they fit with unwrapped cells (headers
/// may wrap at spaces), else without the highest-ranked hideable ones (the rightmost first among
/// equals) until they fit or none is left; then each hidden column that still fits in the room left
/// is shown again, the most important first, so one wide column does not take narrow ones with it.
fn shown_columns(columns: &[Column], rows: &[Vec<Cell>], width: usize) -> Vec<bool> {
    let natural: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let cells = rows.iter().filter_map(|r| r.get(i)).map(|cell| widest_line(&cell.content()));
            cells.fold(longest_word(c.header), usize::max)
        })
        .collect();
    // Each column adds its padding (one space each side) and one border; the table adds one more.
    let drawn = |shown: &[bool]| -> usize {
        1 + natural.iter().zip(shown).filter(|&(_, &s)| s).map(|(w, _)| w + 3).sum::<usize>()
    };
    let mut shown = vec![true; columns.len()];
    let mut hideable: Vec<usize> = (0..columns.len()).filter(|&i| columns[i].hide_rank > 0).collect();
    hideable.sort_by_key(|&i| (std::cmp::Reverse(columns[i].hide_rank), std::cmp::Reverse(i)));
    let mut hidden = Vec::new();
    for &i in &hideable {
        if drawn(&shown) <= width {
            break;
        }
        shown[i] = false;
        hidden.push(i);
    }
    for &i in hidden.iter().rev() {
        shown[i] = true;
        if drawn(&shown) > width {
            shown[i] = false;
        }
    }
    shown
}

/// The longest word length columns keep unbroken: [`LONGEST_UNBROKEN`], lowered as far as
/// [`SHORTEST_UNBROKEN`] while columns `longest_words` wide would not fit in `width`.
fn unbroken_cap(longest_words: &[usize], width: usize) -> usize {
    let drawn = |cap: usize| 1 + longest_words.iter().map(|&w| w.min(cap) + 3).sum::<usize>();
    (SHORTEST_UNBROKEN..=LONGEST_UNBROKEN).rev().find(|&cap| drawn(cap) <= width).unwrap_or(SHORTEST_UNBROKEN)
}

fn widest_line(text: &str) -> usize {
    text.lines().map(display_width).max().unwrap_or(0)
}

fn longest_word(text: &str) -> usize {
    text.split_whitespace().map(display_width).max().unwrap_or(0)
}

/// `text` wrapped at spaces to `width` columns (each of its lines on its own), or as is without one.
pub(crate) fn wrap_text(text: &str, width: Option<u16>) -> String {
    match width {
        Some(width) => text
            .lines()
            .flat_map(|line| textwrap::wrap(line, usize::from(width.max(1))))
            .collect::<Vec<_>>()
            .join("\n"),
        None => text.to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn columns() -> Vec<Column> {
        vec![
            Column { header: "name", hide_rank: 0 },
            Column { header: "detail", hide_rank: 2 },
            Column { header: "extra", hide_rank: 1 },
            Column { header: "more", hide_rank: 2 },
        ]
    }

    fn rows() -> Vec<Vec<Cell>> {
        vec![vec![
            Cell::new("alpha"),
            Cell::new("a fairly long sentence that wants room"),
            Cell::new("1234567890"),
            Cell::new("short"),
        ]]
    }

    #[test]
    fn columns_are_hidden_by_rank_then_from_the_right_until_the_table_fits() {
        // Natural widths 5, 38, 10, 5: drawn 1 + 8 + 41 + 13 + 8 = 71.
        assert_eq!(shown_columns(&columns(), &rows(), 71), vec![true; 4]);
        assert_eq!(shown_columns(&columns(), &rows(), 70), vec![true, true, true, false]);
        assert_eq!(shown_columns(&columns(), &rows(), 29), vec![true, false, true, false]);
        assert_eq!(
            shown_columns(&columns(), &rows(), 30),
            vec![true, false, true, true],
            "`more` fits again once the wide `detail` is hidden"
        );
        assert_eq!(shown_columns(&columns(), &rows(), 10), vec![true, false, false, false], "rank 0 stays");
    }

    #[test]
    fn a_narrow_width_wraps_at_words_and_never_squeezes_a_column_to_one_character() {
        let always = always_shown(&["name", "detail"]);
        for width in [0, 1, 20] {
            let fitted =
                fit(&always, rows().into_iter().map(|r| r[..2].to_vec()).collect(), Layout::Fit(width));
            let text = fitted.table.to_string();
            for word in ["alpha", "fairly", "sentence", "detail"] {
                assert!(text.contains(word), "width {width}: `{word}` is broken:\n{text}");
            }
            assert_eq!(fitted.hidden, 0);
        }
    }

    #[test]
    fn long_words_break_only_as_far_as_the_width_needs() {
        assert_eq!(unbroken_cap(&[30, 30], 80), LONGEST_UNBROKEN, "2 x 27 + 1 fits");
        assert_eq!(unbroken_cap(&[30, 30, 30], 70), 20, "3 x 23 + 1 = 70");
        assert_eq!(unbroken_cap(&[30; 9], 80), SHORTEST_UNBROKEN, "no lower than that");
    }

    #[test]
    fn wide_shows_every_column_on_one_line() {
        let fitted = fit(&columns(), rows(), Layout::Wide);
        let text = fitted.table.to_string();
        assert_eq!(fitted.hidden, 0);
        assert_eq!(text.lines().count(), 5, "{text}");
        assert!(text.contains("a fairly long sentence that wants room"), "{text}");
    }

    #[test]
    fn text_wraps_at_spaces_only_when_a_width_is_given() {
        assert_eq!(wrap_text("one two three\nfour", Some(8)), "one two\nthree\nfour");
        assert_eq!(wrap_text("one two three", None), "one two three");
    }
}
