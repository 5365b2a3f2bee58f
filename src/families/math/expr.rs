//! LaTeX and plain-text math expressions: parsed, evaluated, and compared by value.
//!
//! Two expressions are the same answer when they agree as functions. Without a computer algebra
//! system we test that the way polynomial identity testing does: evaluate both at several random
//! points. Where the expressions are rational (`+ − · / ^integer`) and the points are rational, the
//! evaluation is exact, so `\frac{x+1}{2}` and `0.5x + 0.5` agree exactly and two different
//! rational functions of modest degree disagree at a random point with overwhelming probability
//! (Schwartz–Zippel). Radicals, logarithms and trigonometric functions are evaluated in floating
//! point and compared with the tolerance of [`numbers_equal`].
//!
//! The grammar is deliberately small: numbers, single-letter variables (with subscripts),
//! `\pi`, `e`, `\infty`, `+ − · × ÷ / ^ !`, implicit multiplication (`2x`, `x(x+1)`,
//! `2\sqrt{3}`), `\frac`, `\sqrt[n]{}`, and the usual functions (`\sin`, `\ln`, `\log_b`, ...).
//! Anything else (words, sets, relations) does not parse, and the caller falls back to other rules.

use super::number::{Real, decimal, numbers_equal};

/// Functions of one argument an answer may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Func {
    Sin,
    Cos,
    Tan,
    Sec,
    Csc,
    Cot,
    Arcsin,
    Arccos,
    Arctan,
    Ln,
    Exp,
}

impl Func {
    fn named(name: &str) -> Option<Func> {
        Some(match name {
            "sin" => Func::Sin,
            "cos" => Func::Cos,
            "tan" => Func::Tan,
            "sec" => Func::Sec,
            "csc" => Func::Csc,
            "cot" => Func::Cot,
            "arcsin" => Func::Arcsin,
            "arccos" => Func::Arccos,
            "arctan" => Func::Arctan,
            "ln" => Func::Ln,
            "exp" => Func::Exp,
            _ => return None,
        })
    }

    fn apply(self, x: f64) -> f64 {
        match self {
            Func::Sin => x.sin(),
            Func::Cos => x.cos(),
            Func::Tan => x.tan(),
            Func::Sec => 1.0 / x.cos(),
            Func::Csc => 1.0 / x.sin(),
            Func::Cot => 1.0 / x.tan(),
            Func::Arcsin => x.asin(),
            Func::Arccos => x.acos(),
            Func::Arctan => x.atan(),
            Func::Ln => x.ln(),
            Func::Exp => x.exp(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Num(Real),
    Var(String),
    Pi,
    E,
    Infinity,
    Func(Func),
    Log,
    Frac,
    Sqrt,
    Plus,
    Minus,
    Times,
    Divide,
    Caret,
    Bang,
    Open,
    Close,
    OpenSquare,
    CloseSquare,
    Underscore,
}

/// Splits an expression into tokens; `None` for anything outside the grammar.
fn tokenize(s: &str) -> Option<Vec<Token>> {
    let bytes = s.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    // After `^`, `_`, `\frac` and `\sqrt`, TeX reads a bare digit as one argument: `x^23` is x²·3.
    let mut single_digits = 0u8;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let arg_digit = std::mem::take(&mut single_digits);
        match c {
            b'0'..=b'9' | b'.' => {
                let end = if arg_digit > 0 && c != b'.' {
                    single_digits = arg_digit - 1;
                    i + 1
                } else {
                    i + bytes[i..].iter().take_while(|b| b.is_ascii_digit() || **b == b'.').count()
                };
                tokens.push(Token::Num(decimal(&s[i..end])?));
                i = end;
            }
            b'a'..=b'z' | b'A'..=b'Z' => {
                let end = i + bytes[i..].iter().take_while(|b| b.is_ascii_alphabetic()).count();
                let word = &s[i..end];
                if let Some(f) = Func::named(word) {
                    tokens.push(Token::Func(f));
                } else if word == "sqrt" {
                    tokens.push(Token::Sqrt);
                } else if word == "log" {
                    tokens.push(Token::Log);
                } else if word == "pi" {
                    tokens.push(Token::Pi);
                } else if word.len() <= 2 {
                    // `xy` is x·y; longer letter runs are words, not algebra.
                    tokens.extend(
                        word.chars().map(|ch| if ch == 'e' { Token::E } else { Token::Var(ch.into()) }),
                    );
                } else {
                    return None;
                }
                i = end;
            }
            b'\\' => {
                let end = i + 1 + bytes[i + 1..].iter().take_while(|b| b.is_ascii_alphabetic()).count();
                let token = match &s[i + 1..end] {
                    "frac" | "dfrac" | "tfrac" => {
                        single_digits = 2;
                        Token::Frac
                    }
                    "sqrt" => {
                        single_digits = 1;
                        Token::Sqrt
                    }
                    "pi" => Token::Pi,
                    "infty" | "infinity" => Token::Infinity,
                    "cdot" | "times" | "ast" => Token::Times,
                    "div" => Token::Divide,
                    "log" | "lg" => Token::Log,
                    "e" => Token::E,
                    name => Token::Func(Func::named(name)?),
                };
                tokens.push(token);
                i = end;
            }
            _ => {
                let token = match c {
                    b'+' => Token::Plus,
                    b'-' => Token::Minus,
                    b'*' => Token::Times,
                    b'/' => Token::Divide,
                    b'^' => {
                        single_digits = 1;
                        Token::Caret
                    }
                    b'_' => {
                        single_digits = 1;
                        Token::Underscore
                    }
                    b'!' => Token::Bang,
                    b'(' | b'{' => Token::Open,
                    b')' | b'}' => Token::Close,
                    b'[' => Token::OpenSquare,
                    b']' => Token::CloseSquare,
                    _ => return None,
                };
                tokens.push(token);
                i += 1;
            }
        }
    }
    Some(tokens)
}

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr(Node);

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Num(Real),
    Var(String),
    Pi,
    E,
    Neg(Box<Node>),
    Add(Box<Node>, Box<Node>),
    Sub(Box<Node>, Box<Node>),
    Mul(Box<Node>, Box<Node>),
    Div(Box<Node>, Box<Node>),
    Pow(Box<Node>, Box<Node>),
    Root(Box<Node>, Box<Node>),
    Log(Option<Box<Node>>, Box<Node>),
    Func(Func, Box<Node>),
    Factorial(Box<Node>),
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    depth: u32,
}

/// Nesting deeper than this is not an answer; refusing it keeps hostile input off the stack.
const MAX_DEPTH: u32 = 64;

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn eat(&mut self, token: &Token) -> bool {
        let hit = self.peek() == Some(token);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn expr(&mut self) -> Option<Node> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let mut left = self.term()?;
        loop {
            if self.eat(&Token::Plus) {
                left = Node::Add(left.into(), self.term()?.into());
            } else if self.eat(&Token::Minus) {
                left = Node::Sub(left.into(), self.term()?.into());
            } else {
                break;
            }
        }
        self.depth -= 1;
        Some(left)
    }

    fn term(&mut self) -> Option<Node> {
        let mut left = self.unary()?;
        loop {
            if self.eat(&Token::Times) {
                left = Node::Mul(left.into(), self.unary()?.into());
            } else if self.eat(&Token::Divide) {
                left = Node::Div(left.into(), self.unary()?.into());
            } else if self.starts_implicit_factor() {
                left = Node::Mul(left.into(), self.power()?.into());
            } else {
                break;
            }
        }
        Some(left)
    }

    /// Whether the next token can start a factor written without `·`. A bare number cannot: `x 2`
    /// and `(1)2` are more likely typos than products.
    fn starts_implicit_factor(&self) -> bool {
        matches!(
            self.peek(),
            Some(
                Token::Var(_)
                    | Token::Pi
                    | Token::E
                    | Token::Func(_)
                    | Token::Log
                    | Token::Frac
                    | Token::Sqrt
                    | Token::Open
            )
        )
    }

    fn unary(&mut self) -> Option<Node> {
        if self.eat(&Token::Minus) {
            return Some(Node::Neg(self.unary()?.into()));
        }
        if self.eat(&Token::Plus) {
            return self.unary();
        }
        self.power()
    }

    fn power(&mut self) -> Option<Node> {
        let base = self.postfix()?;
        if self.eat(&Token::Caret) {
            return Some(Node::Pow(base.into(), self.unary()?.into()));
        }
        Some(base)
    }

    fn postfix(&mut self) -> Option<Node> {
        let mut node = self.primary()?;
        while self.eat(&Token::Bang) {
            node = Node::Factorial(node.into());
        }
        Some(node)
    }

    /// A `{...}`/`(...)` group, or a single primary (`\frac12`, `\sqrt2`, `\sin x`).
    fn argument(&mut self) -> Option<Node> {
        if self.peek() == Some(&Token::Open) { self.primary() } else { self.power() }
    }

    fn primary(&mut self) -> Option<Node> {
        match self.next()? {
            Token::Num(r) => Some(Node::Num(r)),
            Token::Infinity => Some(Node::Num(Real::float(f64::INFINITY))),
            Token::Pi => Some(Node::Pi),
            Token::E => Some(Node::E),
            Token::Var(mut name) => {
                if self.eat(&Token::Underscore) {
                    name.push('_');
                    match self.next()? {
                        Token::Num(r) => name.push_str(&format!("{}", r.value)),
                        Token::Var(v) => name.push_str(&v),
                        Token::Open => {
                            while let Some(t) = self.next() {
                                match t {
                                    Token::Close => break,
                                    Token::Num(r) => name.push_str(&format!("{}", r.value)),
                                    Token::Var(v) => name.push_str(&v),
                                    _ => return None,
                                }
                            }
                        }
                        _ => return None,
                    }
                }
                Some(Node::Var(name))
            }
            Token::Open => {
                let inner = self.expr()?;
                self.eat(&Token::Close).then_some(inner)
            }
            Token::OpenSquare => {
                let inner = self.expr()?;
                self.eat(&Token::CloseSquare).then_some(inner)
            }
            Token::Frac => {
                let num = self.argument()?;
                let den = self.argument()?;
                Some(Node::Div(num.into(), den.into()))
            }
            Token::Sqrt => {
                let index = if self.eat(&Token::OpenSquare) {
                    let index = self.expr()?;
                    self.eat(&Token::CloseSquare).then_some(index)?
                } else {
                    Node::Num(Real::int(2))
                };
                Some(Node::Root(self.argument()?.into(), index.into()))
            }
            Token::Log => {
                let base = if self.eat(&Token::Underscore) { Some(Box::new(self.argument()?)) } else { None };
                Some(Node::Log(base, self.function_argument()?.into()))
            }
            Token::Func(f) => {
                // `\sin^2 x` is (sin x)².
                if self.eat(&Token::Caret) {
                    let exponent = self.argument()?;
                    let arg = self.function_argument()?;
                    return Some(Node::Pow(Node::Func(f, arg.into()).into(), exponent.into()));
                }
                Some(Node::Func(f, self.function_argument()?.into()))
            }
            _ => None,
        }
    }

    /// The argument of `\sin`, `\log`...: a group, or a product of factors (`\sin 2x` is sin(2x)).
    fn function_argument(&mut self) -> Option<Node> {
        if self.peek() == Some(&Token::Open) {
            return self.postfix();
        }
        let mut node = self.power()?;
        while matches!(self.peek(), Some(Token::Var(_) | Token::Pi | Token::E)) {
            node = Node::Mul(node.into(), self.power()?.into());
        }
        Some(node)
    }
}

impl Expr {
    /// Parses an (already normalised) answer string; `None` when it is not an expression.
    pub fn parse(s: &str) -> Option<Expr> {
        let tokens = tokenize(s)?;
        if tokens.is_empty() {
            return None;
        }
        let mut parser = Parser { tokens, pos: 0, depth: 0 };
        let node = parser.expr()?;
        (parser.pos == parser.tokens.len()).then_some(Expr(node))
    }

    /// Names of the variables, sorted and without repeats.
    pub fn variables(&self) -> Vec<String> {
        fn walk(node: &Node, out: &mut Vec<String>) {
            match node {
                Node::Var(v) => out.push(v.clone()),
                Node::Num(_) | Node::Pi | Node::E => {}
                Node::Neg(a) | Node::Func(_, a) | Node::Factorial(a) | Node::Log(None, a) => walk(a, out),
                Node::Add(a, b)
                | Node::Sub(a, b)
                | Node::Mul(a, b)
                | Node::Div(a, b)
                | Node::Pow(a, b)
                | Node::Root(a, b)
                | Node::Log(Some(a), b) => {
                    walk(a, out);
                    walk(b, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.0, &mut out);
        out.sort();
        out.dedup();
        out
    }

    /// The value with each variable bound by `vars` (unbound ones are NaN); exact where possible.
    pub fn eval(&self, vars: &[(String, Real)]) -> Real {
        eval(&self.0, vars)
    }
}

fn eval(node: &Node, vars: &[(String, Real)]) -> Real {
    let nan = Real::float(f64::NAN);
    match node {
        Node::Num(r) => *r,
        Node::Var(v) => vars.iter().find(|(name, _)| name == v).map_or(nan, |(_, r)| *r),
        Node::Pi => Real::float(std::f64::consts::PI),
        Node::E => Real::float(std::f64::consts::E),
        Node::Neg(a) => -eval(a, vars),
        Node::Add(a, b) => eval(a, vars) + eval(b, vars),
        Node::Sub(a, b) => eval(a, vars) - eval(b, vars),
        Node::Mul(a, b) => eval(a, vars) * eval(b, vars),
        Node::Div(a, b) => eval(a, vars).checked_div(eval(b, vars)).unwrap_or(nan),
        Node::Pow(a, b) => eval(a, vars).pow(eval(b, vars)),
        Node::Root(a, k) => {
            let (x, k) = (eval(a, vars), eval(k, vars));
            match k.as_int() {
                Some(k) => x.root(k).unwrap_or(nan),
                None => Real::float(x.value.powf(1.0 / k.value)),
            }
        }
        Node::Log(base, a) => {
            let x = eval(a, vars).value;
            let base = base.as_ref().map_or(10.0, |b| eval(b, vars).value);
            Real::float(x.ln() / base.ln())
        }
        Node::Func(f, a) => Real::float(f.apply(eval(a, vars).value)),
        Node::Factorial(a) => match eval(a, vars).as_int() {
            Some(n @ 0..=33) => Real::int((1..=n).product()),
            _ => nan,
        },
    }
}

/// Random rational points, the same on every run so a verdict never flips between runs.
struct Points(u64);

impl Points {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A positive rational p/q with p in 1..=97 and q in 1..=11: positive so that square roots and
    /// logarithms of a bare variable stay defined, small so that exact arithmetic stays in range.
    fn value(&mut self) -> Real {
        let r = self.next();
        Real::ratio(1 + (r % 97) as i128, 1 + ((r >> 32) % 11) as i128).unwrap_or(Real::int(1))
    }
}

/// Points tried per comparison, and how many must be defined on both sides for a verdict.
const POINTS: usize = 6;
const NEEDED: usize = 3;

/// Evaluates both sides at the same random points and applies `agree` to each pair of values.
/// `None` when too few points were defined on both sides to decide.
fn at_random_points(a: &Expr, b: &Expr, mut agree: impl FnMut(Real, Real) -> bool) -> Option<bool> {
    let mut names = a.variables();
    names.extend(b.variables());
    names.sort();
    names.dedup();
    let mut points = Points(0x5EED_u64);
    let mut decided = 0;
    let tries = if names.is_empty() { 1 } else { POINTS };
    for _ in 0..tries {
        let vars: Vec<(String, Real)> = names.iter().map(|n| (n.clone(), points.value())).collect();
        let (x, y) = (a.eval(&vars), b.eval(&vars));
        match (x.value.is_nan(), y.value.is_nan()) {
            (true, true) => continue,
            (false, false) => {}
            _ => return Some(false),
        }
        if !agree(x, y) {
            return Some(false);
        }
        decided += 1;
    }
    (decided >= NEEDED.min(tries)).then_some(true)
}

/// The value of an expression without variables (`2\\sqrt{3}`, `\\frac{\\pi}{4}`), if it is one.
pub fn constant_value(s: &str) -> Option<Real> {
    let e = Expr::parse(s)?;
    let value = e.eval(&[]);
    (e.variables().is_empty() && !value.value.is_nan()).then_some(value)
}

/// Whether two expressions have the same value everywhere (tested at random points); `None` when
/// either side does not parse or too few points were defined.
pub fn same_value(a: &str, b: &str) -> Option<bool> {
    let (a, b) = (Expr::parse(a)?, Expr::parse(b)?);
    at_random_points(&a, &b, numbers_equal)
}

/// Whether `l1 = r1` and `l2 = r2` are the same equation: `l1 − r1` is a non-zero constant multiple
/// of `l2 − r2` (so `y = 2x + 1` equals `2y − 4x = 2`).
pub fn same_equation((l1, r1): (&str, &str), (l2, r2): (&str, &str)) -> Option<bool> {
    let parse_side =
        |l: &str, r: &str| Some(Expr(Node::Sub(Expr::parse(l)?.0.into(), Expr::parse(r)?.0.into())));
    let (a, b) = (parse_side(l1, r1)?, parse_side(l2, r2)?);
    let mut ratio: Option<Real> = None;
    at_random_points(&a, &b, |x, y| {
        let (x_zero, y_zero) = (numbers_equal(x, Real::int(0)), numbers_equal(y, Real::int(0)));
        if x_zero || y_zero {
            return x_zero && y_zero;
        }
        let Some(r) = x.checked_div(y) else { return false };
        match ratio {
            None => {
                ratio = Some(r);
                true
            }
            Some(first) => numbers_equal(first, r),
        }
    })
}
