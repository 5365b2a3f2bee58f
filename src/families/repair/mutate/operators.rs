//! Mutation operators: where in a Python module a realistic one-token bug can be injected, and
//! how. Every site is found on code tokens only ([`super::tokens`]), so strings, comments and
//! docstrings are never changed, and every mutant keeps the file's line count, so the fix is a
//! plain line-for-line diff.

use super::tokens::{KEYWORDS, Kind, Token, tokenize};

/// The kinds of bug the generator injects; the name is the task's category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Operator {
    /// `<` ↔ `<=`, `>` ↔ `>=`: the boundary case goes the wrong way.
    ComparisonBoundary,
    /// `==` ↔ `!=`, `is` ↔ `is not`, `in` ↔ `not in`: a test turned around.
    NegatedComparison,
    /// An integer in a slice, index, `range`, comparison or `± n` moved by one.
    OffByOne,
    /// Binary `+` ↔ `-` (and `+=` ↔ `-=`).
    ArithmeticSwap,
    /// Binary `*` ↔ `/` (and `*=` ↔ `/=`).
    MulDivSwap,
    /// `//` ↔ `/`: integer and true division confused.
    FloorDivision,
    /// `and` ↔ `or`.
    BooleanOperator,
    /// A `not` forgotten.
    DroppedNot,
    /// `True` ↔ `False`.
    FlippedConstant,
    /// `min(...)` ↔ `max(...)`.
    MinMaxSwap,
    /// A normalising call left out: `.strip()`, `.lower()` and the like, `abs(x)`, `sorted(x)`.
    DroppedCall,
    /// A branch that returns a value returns `None` instead.
    ReturnNone,
    /// The conditions of an `if` (or `elif`) and the `elif` after it swapped: the checks run in the
    /// wrong order.
    BranchOrder,
}

impl Operator {
    /// Every operator, in the order draws see them.
    pub const ALL: [Operator; 13] = [
        Operator::ComparisonBoundary,
        Operator::NegatedComparison,
        Operator::OffByOne,
        Operator::ArithmeticSwap,
        Operator::MulDivSwap,
        Operator::FloorDivision,
        Operator::BooleanOperator,
        Operator::DroppedNot,
        Operator::FlippedConstant,
        Operator::MinMaxSwap,
        Operator::DroppedCall,
        Operator::ReturnNone,
        Operator::BranchOrder,
    ];

    /// The name written as the task's category.
    pub fn name(self) -> &'static str {
        match self {
            Operator::ComparisonBoundary => "comparison-boundary",
            Operator::NegatedComparison => "negated-comparison",
            Operator::OffByOne => "off-by-one",
            Operator::ArithmeticSwap => "arithmetic-swap",
            Operator::MulDivSwap => "mul-div-swap",
            Operator::FloorDivision => "floor-division",
            Operator::BooleanOperator => "boolean-operator",
            Operator::DroppedNot => "dropped-not",
            Operator::FlippedConstant => "flipped-constant",
            Operator::MinMaxSwap => "min-max-swap",
            Operator::DroppedCall => "dropped-call",
            Operator::ReturnNone => "return-none",
            Operator::BranchOrder => "branch-order",
        }
    }
}

/// One replacement of a byte range of one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The 0-based line.
    pub line: usize,
    /// First byte replaced (column).
    pub start: usize,
    /// One past the last byte replaced (column).
    pub end: usize,
    /// What goes there instead.
    pub text: String,
}

/// A place where an operator applies: the unit the generator draws, tests and never reuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// The module, relative to the project root.
    pub file: String,
    /// 1-based line of the (first) change.
    pub line: usize,
    /// 1-based byte column of the (first) change.
    pub column: usize,
    /// The kind of bug.
    pub operator: Operator,
    /// The edit, one change per touched line (two for [`Operator::BranchOrder`]).
    pub changes: Vec<Change>,
}

impl Site {
    /// A readable identity, unique among the sites of a project: `file:line:column:operator:new`.
    pub fn key(&self) -> String {
        let new: Vec<&str> = self.changes.iter().map(|c| c.text.as_str()).collect();
        format!("{}:{}:{}:{}:{}", self.file, self.line, self.column, self.operator.name(), new.join("|"))
    }
}

/// Applies `changes` to `source`; the line count never changes.
pub fn apply(source: &str, changes: &[Change]) -> String {
    let mut out = String::with_capacity(source.len() + 16);
    for (n, line) in source.split_inclusive('\n').enumerate() {
        let mut here: Vec<&Change> = changes.iter().filter(|c| c.line == n).collect();
        here.sort_by_key(|c| std::cmp::Reverse(c.start));
        let mut text = line.to_string();
        for change in here {
            if change.start <= change.end && change.end <= text.len() {
                text.replace_range(change.start..change.end, &change.text);
            }
        }
        out.push_str(&text);
    }
    out
}

const COMPARISONS: &[&str] = &["<", "<=", ">", ">=", "==", "!="];
/// Methods whose call normalises a value; leaving one out is a classic bug.
const NORMALISING_METHODS: &[&str] =
    &["strip", "lstrip", "rstrip", "lower", "upper", "casefold", "title", "capitalize"];
/// Built-ins whose single-argument call can be left out (`abs(x)` → `(x)`).
const DROPPABLE_CALLS: &[&str] = &["abs", "sorted"];
/// Calls whose integer arguments are counts or bounds.
const BOUND_CALLS: &[&str] = &["range", "enumerate"];

/// An open bracket and what it means.
#[derive(Debug, Clone, Copy)]
struct Frame<'a> {
    /// `[` after an operand: an index or a slice.
    subscript: bool,
    /// The name called, for `(` right after a name.
    call: Option<&'a str>,
    /// A `for` was seen and its `in` not yet.
    for_pending: bool,
}

fn is_keyword(text: &str) -> bool {
    KEYWORDS.contains(&text)
}

/// Whether a token can end an operand, so that a following `+`, `-`, `*` or `[` is binary.
fn ends_operand(t: &Token<'_>) -> bool {
    match t.kind {
        Kind::Name => !is_keyword(t.text) || matches!(t.text, "True" | "False" | "None"),
        Kind::Number | Kind::Str => true,
        Kind::Op => matches!(t.text, ")" | "]" | "}"),
        _ => false,
    }
}

/// The code tokens of a module and the sites in it.
struct Scan<'a> {
    file: &'a str,
    source: &'a str,
    /// Code tokens (comments dropped).
    toks: Vec<Token<'a>>,
    sites: Vec<Site>,
}

/// Every candidate site in `source` (the module at `file`), in source order.
pub fn sites_in(file: &str, source: &str) -> Vec<Site> {
    let toks: Vec<Token<'_>> = tokenize(source).into_iter().filter(|t| t.kind != Kind::Comment).collect();
    let mut scan = Scan { file, source, toks, sites: Vec::new() };
    scan.run();
    scan.sites
}

impl<'a> Scan<'a> {
    fn tok(&self, k: usize) -> Option<&Token<'a>> {
        self.toks.get(k)
    }

    /// The token before `k` on the same logical line.
    fn prev(&self, k: usize) -> Option<&Token<'a>> {
        k.checked_sub(1).and_then(|p| self.toks.get(p)).filter(|t| t.kind != Kind::Newline)
    }

    fn is(&self, k: usize, kind: Kind, text: &str) -> bool {
        self.tok(k).is_some_and(|t| t.kind == kind && t.text == text)
    }

    /// Whether the `+`/`-`/`*`/`/` at `k` is a binary operator.
    fn binary(&self, k: usize) -> bool {
        self.prev(k).is_some_and(ends_operand)
    }

    fn add(&mut self, operator: Operator, changes: Vec<Change>) {
        let Some(first) = changes.first() else { return };
        let (line, column) = (first.line + 1, first.start + 1);
        self.sites.push(Site { file: self.file.to_string(), line, column, operator, changes });
    }

    /// A change replacing tokens `from..=to` (on one line) with `text`.
    fn replace(&self, from: usize, to: usize, text: &str) -> Option<Change> {
        let (a, b) = (self.tok(from)?, self.tok(to)?);
        (from <= to && a.line == b.line && !b.text.contains('\n')).then(|| Change {
            line: a.line,
            start: a.col,
            end: b.col + b.text.len(),
            text: text.to_string(),
        })
    }

    /// The index of the bracket closing the one opened at `open`.
    fn closing(&self, open: usize) -> Option<usize> {
        let mut depth = 0usize;
        for (k, t) in self.toks.iter().enumerate().skip(open) {
            if t.kind != Kind::Op {
                continue;
            }
            match t.text {
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(k);
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// Whether the brackets from `open` to `close` hold exactly one argument.
    fn single_argument(&self, open: usize, close: usize) -> bool {
        let mut depth = 0usize;
        for t in &self.toks[open + 1..close] {
            match t.text {
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" => depth = depth.saturating_sub(1),
                "," | "=" | "*" | "**" if depth == 0 => return false,
                _ => {}
            }
        }
        close > open + 1
    }

    fn run(&mut self) {
        let mut frames: Vec<Frame<'a>> = vec![Frame { subscript: false, call: None, for_pending: false }];
        for k in 0..self.toks.len() {
            let t = self.toks[k];
            let top = frames.len() - 1;
            match (t.kind, t.text) {
                (Kind::Newline, _) => {
                    frames.truncate(1);
                    frames[0].for_pending = false;
                }
                (Kind::Op, "(" | "[" | "{") => {
                    let prev = self.prev(k).copied();
                    let subscript = t.text == "[" && prev.is_some_and(|p| ends_operand(&p));
                    let call = prev
                        .filter(|p| t.text == "(" && p.kind == Kind::Name && !is_keyword(p.text))
                        .map(|p| p.text);
                    frames.push(Frame { subscript, call, for_pending: false });
                }
                (Kind::Op, ")" | "]" | "}") if frames.len() > 1 => {
                    frames.pop();
                }
                (Kind::Name, "for") => frames[top].for_pending = true,
                (Kind::Name, "in") => {
                    if frames[top].for_pending {
                        frames[top].for_pending = false;
                    } else if self.prev(k).is_none_or(|p| p.text != "not") {
                        self.swap(Operator::NegatedComparison, k, "not in");
                    }
                }
                (Kind::Name, "not") => self.not_at(k),
                (Kind::Name, "is") => {
                    if self.is(k + 1, Kind::Name, "not") {
                        let change = self.replace(k, k + 1, "is");
                        self.add_one(Operator::NegatedComparison, change);
                    } else {
                        self.swap(Operator::NegatedComparison, k, "is not");
                    }
                }
                (Kind::Name, "and") => self.swap(Operator::BooleanOperator, k, "or"),
                (Kind::Name, "or") => self.swap(Operator::BooleanOperator, k, "and"),
                (Kind::Name, "True") => self.swap(Operator::FlippedConstant, k, "False"),
                (Kind::Name, "False") => self.swap(Operator::FlippedConstant, k, "True"),
                (Kind::Name, "min" | "max") => {
                    let after_def = self.prev(k).is_some_and(|p| p.text == "def");
                    if self.is(k + 1, Kind::Op, "(") && !after_def {
                        self.swap(Operator::MinMaxSwap, k, if t.text == "min" { "max" } else { "min" });
                    }
                }
                (Kind::Name, "return") => self.return_none(k),
                (Kind::Name, "if" | "elif") => self.branch_order(k),
                (Kind::Name, _) => self.dropped_call(k),
                (Kind::Number, _) => self.off_by_one(k, &frames[top]),
                (Kind::Op, op) => self.operator(k, op),
                _ => {}
            }
        }
    }

    fn add_one(&mut self, operator: Operator, change: Option<Change>) {
        if let Some(change) = change {
            self.add(operator, vec![change]);
        }
    }

    /// Token `k` replaced by `text`.
    fn swap(&mut self, operator: Operator, k: usize, text: &str) {
        let change = self.replace(k, k, text);
        self.add_one(operator, change);
    }

    fn not_at(&mut self, k: usize) {
        if self.prev(k).is_some_and(|p| p.text == "is") {
            return; // `is not`: handled at `is`
        }
        if self.is(k + 1, Kind::Name, "in") {
            let change = self.replace(k, k + 1, "in");
            self.add_one(Operator::NegatedComparison, change);
            return;
        }
        // `not x` → `x`: the `not` and the space after it go.
        let (Some(t), Some(next)) = (self.tok(k), self.tok(k + 1)) else { return };
        if next.kind != Kind::Newline && next.line == t.line {
            let change = Change { line: t.line, start: t.col, end: next.col, text: String::new() };
            self.add(Operator::DroppedNot, vec![change]);
        }
    }

    fn operator(&mut self, k: usize, op: &str) {
        let next_is_str = self.tok(k + 1).is_some_and(|t| t.kind == Kind::Str);
        let prev_is_str = self.prev(k).is_some_and(|t| t.kind == Kind::Str);
        let strings = next_is_str || prev_is_str;
        match op {
            "<" => self.swap(Operator::ComparisonBoundary, k, "<="),
            "<=" => self.swap(Operator::ComparisonBoundary, k, "<"),
            ">" => self.swap(Operator::ComparisonBoundary, k, ">="),
            ">=" => self.swap(Operator::ComparisonBoundary, k, ">"),
            "==" => self.swap(Operator::NegatedComparison, k, "!="),
            "!=" => self.swap(Operator::NegatedComparison, k, "=="),
            "+" | "-" if self.binary(k) && !strings => {
                self.swap(Operator::ArithmeticSwap, k, if op == "+" { "-" } else { "+" });
            }
            "+=" | "-=" if !next_is_str => {
                self.swap(Operator::ArithmeticSwap, k, if op == "+=" { "-=" } else { "+=" });
            }
            "*" | "/" if self.binary(k) && !strings => {
                self.swap(Operator::MulDivSwap, k, if op == "*" { "/" } else { "*" });
                if op == "/" {
                    self.swap(Operator::FloorDivision, k, "//");
                }
            }
            "*=" => self.swap(Operator::MulDivSwap, k, "/="),
            "/=" => self.swap(Operator::MulDivSwap, k, "*="),
            "//" if self.binary(k) => self.swap(Operator::FloorDivision, k, "/"),
            _ => {}
        }
    }

    /// `.strip()`-style calls and `abs(x)`/`sorted(x)` left out.
    fn dropped_call(&mut self, k: usize) {
        let t = self.toks[k];
        if !self.is(k + 1, Kind::Op, "(") {
            return;
        }
        let after_dot = k > 0 && self.is(k - 1, Kind::Op, ".");
        if NORMALISING_METHODS.contains(&t.text) && after_dot {
            if let Some(close) = self.closing(k + 1) {
                let change = self.replace(k - 1, close, "");
                self.add_one(Operator::DroppedCall, change);
            }
        } else if DROPPABLE_CALLS.contains(&t.text)
            && !after_dot
            && self.prev(k).is_none_or(|p| p.text != "def")
            && let Some(close) = self.closing(k + 1)
            && self.single_argument(k + 1, close)
            && self.toks[close].line == t.line
        {
            self.swap(Operator::DroppedCall, k, "");
        }
    }

    /// `n` → `n + 1` and `n - 1` for an integer literal used as an index, bound or count.
    fn off_by_one(&mut self, k: usize, frame: &Frame<'a>) {
        let t = self.toks[k];
        let is_int =
            t.text.bytes().all(|b| b.is_ascii_digit()) && (t.text == "0" || !t.text.starts_with('0'));
        let Some(value) = is_int.then(|| t.text.parse::<i64>().ok()).flatten().filter(|v| *v < 1_000_000_000)
        else {
            return;
        };
        let prev = self.prev(k).copied();
        let unary_minus = prev.is_some_and(|p| p.text == "-") && !self.binary(k - 1);
        let comparison =
            |t: Option<&Token<'_>>| t.is_some_and(|t| t.kind == Kind::Op && COMPARISONS.contains(&t.text));
        let plus_minus =
            |t: Option<&Token<'_>>| t.is_some_and(|t| t.kind == Kind::Op && matches!(t.text, "+" | "-"));
        let first = if unary_minus { k - 1 } else { k };
        let before = self.prev(first);
        let binary_before = plus_minus(before) && self.binary(first - 1);
        let in_context = frame.subscript
            || frame.call.is_some_and(|c| BOUND_CALLS.contains(&c))
            || comparison(before)
            || comparison(self.tok(k + 1))
            || binary_before
            || plus_minus(self.tok(k + 1));
        if !in_context {
            return;
        }
        let value = if unary_minus { -value } else { value };
        for new in [value + 1, value - 1] {
            // `a - -1` reads like nobody's bug.
            if new < 0 && binary_before {
                continue;
            }
            let change = self.replace(first, k, &new.to_string());
            self.add_one(Operator::OffByOne, change);
        }
    }

    /// The first and last token of the logical line holding `k`, without its Newline.
    fn logical_line(&self, k: usize) -> (usize, usize) {
        let mut first = k;
        while first > 0 && self.toks[first - 1].kind != Kind::Newline {
            first -= 1;
        }
        let mut last = k;
        while self.toks.get(last + 1).is_some_and(|t| t.kind != Kind::Newline) {
            last += 1;
        }
        (first, last)
    }

    /// `return x` → `return None` inside a nested block of a function (a branch that forgets its
    /// value); never for `return None`/`True`/`False`, which would be no bug or no realistic one.
    fn return_none(&mut self, k: usize) {
        let (first, last) = self.logical_line(k);
        let t = self.toks[k];
        if first != k || last == k || self.toks[last].line != t.line {
            return;
        }
        let value = self.toks[k + 1];
        if last == k + 1 && matches!(value.text, "None" | "True" | "False") {
            return;
        }
        // Nested: some logical line before it, inside the same function, is less indented.
        let Some(body) = self.function_body_indent(k) else { return };
        if t.col <= body {
            return;
        }
        let change = self.replace(k + 1, last, "None");
        self.add_one(Operator::ReturnNone, change);
    }

    /// The indentation of the body of the function around token `k` (the first statement after
    /// its `def` header).
    fn function_body_indent(&self, k: usize) -> Option<usize> {
        // Walk back over logical lines, only ever to less indented ones: the first `def` so
        // reached encloses `k` (a sibling's `def` is never less indented than a line between).
        let mut bound = self.toks[k].col;
        let mut j = k;
        while j > 0 {
            let (first, _) = self.logical_line(j - 1);
            j = first;
            let t = self.toks[first];
            if t.col < bound {
                if matches!(t.text, "def" | "async") {
                    let (_, header_end) = self.logical_line(first);
                    return self.toks.get(header_end + 2).map(|body| body.col);
                }
                bound = t.col;
            }
        }
        None
    }

    /// `if A:` (or `elif A:`) followed, after its body, by `elif B:` → `if B:` … `elif A:`.
    fn branch_order(&mut self, k: usize) {
        let (first, last) = self.logical_line(k);
        let t = self.toks[k];
        if first != k || !self.is(last, Kind::Op, ":") || self.toks[last].line != t.line || last < k + 2 {
            return;
        }
        // The next logical line at this indentation or less must be an `elif` header.
        let mut j = last + 2;
        while let Some(next) = self.tok(j) {
            let (line_first, line_last) = self.logical_line(j);
            if next.col < t.col {
                return;
            }
            if next.col == t.col {
                if next.text != "elif"
                    || !self.is(line_last, Kind::Op, ":")
                    || self.toks[line_last].line != next.line
                    || line_last < line_first + 2
                {
                    return;
                }
                let (a, b) = (self.cond_span(k + 1, last - 1), self.cond_span(line_first + 1, line_last - 1));
                let (Some(a), Some(b)) = (a, b) else { return };
                let (a_text, b_text) = (&self.source[a.0..a.1], &self.source[b.0..b.1]);
                if a_text == b_text {
                    return;
                }
                let changes = vec![
                    Change { line: a.2, start: a.3, end: a.3 + a_text.len(), text: b_text.to_string() },
                    Change { line: b.2, start: b.3, end: b.3 + b_text.len(), text: a_text.to_string() },
                ];
                self.add(Operator::BranchOrder, changes);
                return;
            }
            j = line_last + 2;
        }
    }

    /// The (start offset, end offset, line, start column) of tokens `from..=to`, when they share a line.
    fn cond_span(&self, from: usize, to: usize) -> Option<(usize, usize, usize, usize)> {
        let (a, b) = (self.tok(from)?, self.tok(to)?);
        (from <= to && a.line == b.line && !b.text.contains('\n')).then_some((a.start, b.end, a.line, a.col))
    }
}
