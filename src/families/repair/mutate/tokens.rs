//! A small Python tokenizer: just enough to tell code from strings and comments, so that mutations
//! only ever touch code tokens, and to know where logical lines end.
//!
//! It knows every string literal form Python 3.8+ accepts: single and triple quotes, and the
//! `r`, `b`, `u`, `f` prefixes and their combinations in any case. An f-string is one opaque
//! string token (the expressions inside are never mutated). Malformed input never panics: an
//! unterminated single-quoted string ends at its line, an unterminated triple-quoted one at the end.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An identifier or a keyword.
    Name,
    /// A numeric literal.
    Number,
    /// A string literal, prefix and quotes included (it may span lines).
    Str,
    /// An operator or a delimiter.
    Op,
    /// A `#` comment, up to the end of its line.
    Comment,
    /// The end of a logical line (never inside brackets or after a backslash continuation).
    Newline,
}

/// One token; positions are byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// What it is.
    pub kind: Kind,
    /// Its text in the source.
    pub text: &'a str,
    /// The 0-based line of its first character.
    pub line: usize,
    /// Its first byte's column on that line (0-based).
    pub col: usize,
    /// Its first byte in the source.
    pub start: usize,
    /// One past its last byte in the source.
    pub end: usize,
}

/// Python's keywords (soft keywords such as `match` are names).
pub const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
    "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
    "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

/// Operators of three and two characters, longest first, so `**=` is not read as `**` and `=`.
const LONG_OPS: &[&str] = &[
    "**=", "//=", ">>=", "<<=", "...", "**", "//", "==", "!=", "<=", ">=", "<<", ">>", "->", "+=", "-=",
    "*=", "/=", "%=", "&=", "|=", "^=", ":=", "@=",
];

/// Whether `text` is a string prefix (`r`, `b`, `u`, `f`, `rb`, `br`, `fr`, `rf`, any case).
fn is_string_prefix(text: &str) -> bool {
    matches!(text.to_ascii_lowercase().as_str(), "r" | "u" | "b" | "f" | "rb" | "br" | "fr" | "rf")
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Splits `source` into tokens. Whitespace and backslash continuations are dropped; every logical
/// line ends with a [`Kind::Newline`] token, the last one included.
pub fn tokenize<'a>(source: &'a str) -> Vec<Token<'a>> {
    let bytes = source.as_bytes();
    let mut tokens: Vec<Token<'a>> = Vec::new();
    let (mut i, mut line, mut line_start, mut depth) = (0usize, 0usize, 0usize, 0usize);
    let push = |tokens: &mut Vec<Token<'a>>, kind, start: usize, end: usize, line, line_start: usize| {
        tokens.push(Token { kind, text: &source[start..end], line, col: start - line_start, start, end });
    };
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\n' => {
                if depth == 0 && tokens.last().is_some_and(|t| t.kind != Kind::Newline) {
                    push(&mut tokens, Kind::Newline, i, i + 1, line, line_start);
                }
                i += 1;
                line += 1;
                line_start = i;
            }
            b' ' | b'\t' | b'\r' | b'\x0c' => i += 1,
            b'\\' if bytes.get(i + 1) == Some(&b'\n') => {
                i += 2;
                line += 1;
                line_start = i;
            }
            b'#' => {
                let end = bytes[i..].iter().position(|&c| c == b'\n').map_or(bytes.len(), |p| i + p);
                push(&mut tokens, Kind::Comment, i, end, line, line_start);
                i = end;
            }
            b'\'' | b'"' => {
                let (start, start_line, start_col) = (i, line, line_start);
                i = scan_string(bytes, i, &mut line, &mut line_start);
                push(&mut tokens, Kind::Str, start, i, start_line, start_col);
            }
            _ if b.is_ascii_digit() || (b == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)) => {
                let start = i;
                while i < bytes.len() {
                    let c = bytes[i];
                    let exponent_sign = (c == b'+' || c == b'-')
                        && matches!(bytes[i - 1], b'e' | b'E')
                        && !source[start..i].starts_with("0x")
                        && !source[start..i].starts_with("0X");
                    if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || exponent_sign {
                        i += 1;
                    } else {
                        break;
                    }
                }
                push(&mut tokens, Kind::Number, start, i, line, line_start);
            }
            _ if is_ident_byte(b) => {
                let start = i;
                while i < bytes.len() && is_ident_byte(bytes[i]) {
                    i += 1;
                }
                if matches!(bytes.get(i), Some(b'\'' | b'"')) && is_string_prefix(&source[start..i]) {
                    let (start_line, start_col) = (line, line_start);
                    i = scan_string(bytes, i, &mut line, &mut line_start);
                    push(&mut tokens, Kind::Str, start, i, start_line, start_col);
                } else {
                    push(&mut tokens, Kind::Name, start, i, line, line_start);
                }
            }
            _ => {
                let len =
                    LONG_OPS.iter().find(|op| bytes[i..].starts_with(op.as_bytes())).map_or(1, |op| op.len());
                match b {
                    b'(' | b'[' | b'{' => depth += 1,
                    b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                    _ => {}
                }
                push(&mut tokens, Kind::Op, i, i + len, line, line_start);
                i += len;
            }
        }
    }
    if tokens.last().is_some_and(|t| t.kind != Kind::Newline) {
        push(&mut tokens, Kind::Newline, bytes.len(), bytes.len(), line, line_start);
    }
    tokens
}

/// Scans the string literal whose opening quote is at `i`; returns the offset just past it and
/// keeps the line count up to date for strings that span lines.
fn scan_string(bytes: &[u8], mut i: usize, line: &mut usize, line_start: &mut usize) -> usize {
    let quote = bytes[i];
    let triple = bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote);
    i += if triple { 3 } else { 1 };
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'\\' {
            // An escaped character never ends the string, in raw strings too (`r"\""` is `\"`).
            if bytes.get(i + 1) == Some(&b'\n') {
                *line += 1;
                *line_start = i + 2;
            }
            i += 2;
            continue;
        }
        if c == b'\n' {
            if !triple {
                return i; // unterminated: the newline is not part of it
            }
            *line += 1;
            *line_start = i + 1;
        }
        if c == quote {
            if !triple {
                return i + 1;
            }
            if bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote) {
                return i + 3;
            }
        }
        i += 1;
    }
    bytes.len()
}
