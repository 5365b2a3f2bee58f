//! A small LaTeX expression reader for the tests, written apart from the generator so it checks
//! the problem text a model sees: numbers, one-letter variables, `+ - \cdot \times \div`, implicit
//! products, parentheses and braces, `^`, `\frac`, `\sqrt` and mixed numbers such as `2\frac{1}{3}`.

/// An expression tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `digits / 10^places`.
    Num(i128, u32),
    Var(char),
    Add(Box<Expr>, Box<Expr>),
    Sub(Box<Expr>, Box<Expr>),
    Mul(Box<Expr>, Box<Expr>),
    Div(Box<Expr>, Box<Expr>),
    Neg(Box<Expr>),
    Pow(Box<Expr>, u32),
    Sqrt(Box<Expr>),
}

/// Parses a whole expression, or says where it stopped.
pub fn parse(text: &str) -> Result<Expr, String> {
    let cleaned = text.replace("\\left", "").replace("\\right", "").replace("\\dfrac", "\\frac");
    let mut p = Parser { s: cleaned.as_bytes(), pos: 0 };
    let e = p.expr()?;
    p.ws();
    if p.pos != p.s.len() {
        return Err(format!("trailing input at {} in {text:?}", p.pos));
    }
    Ok(e)
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.pos < self.s.len() && self.s[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.pos).copied()
    }

    fn eat(&mut self, lit: &str) -> bool {
        self.ws();
        if self.s[self.pos..].starts_with(lit.as_bytes()) {
            self.pos += lit.len();
            true
        } else {
            false
        }
    }

    fn expr(&mut self) -> Result<Expr, String> {
        let mut left = self.term()?;
        loop {
            if self.eat("+") {
                left = Expr::Add(Box::new(left), Box::new(self.term()?));
            } else if self.eat("-") {
                left = Expr::Sub(Box::new(left), Box::new(self.term()?));
            } else {
                return Ok(left);
            }
        }
    }

    fn term(&mut self) -> Result<Expr, String> {
        let mut left = self.unary()?;
        loop {
            if self.eat("\\cdot") || self.eat("\\times") {
                left = Expr::Mul(Box::new(left), Box::new(self.unary()?));
            } else if self.eat("\\div") {
                left = Expr::Div(Box::new(left), Box::new(self.unary()?));
            } else if self.starts_atom() {
                left = Expr::Mul(Box::new(left), Box::new(self.power()?));
            } else {
                return Ok(left);
            }
        }
    }

    fn starts_atom(&mut self) -> bool {
        match self.peek() {
            Some(c) if c.is_ascii_alphabetic() || c == b'(' || c == b'{' => true,
            Some(b'\\') => {
                self.s[self.pos..].starts_with(b"\\frac") || self.s[self.pos..].starts_with(b"\\sqrt")
            }
            _ => false,
        }
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.eat("-") {
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        self.power()
    }

    fn power(&mut self) -> Result<Expr, String> {
        let base = self.atom()?;
        if self.eat("^") {
            let exp = if self.eat("{") {
                let e = self.number_digits()?;
                if !self.eat("}") {
                    return Err("unclosed exponent".into());
                }
                e
            } else {
                self.ws();
                let d = self.s.get(self.pos).copied().ok_or("missing exponent")?;
                self.pos += 1;
                i128::from(d - b'0')
            };
            return Ok(Expr::Pow(Box::new(base), u32::try_from(exp).map_err(|e| e.to_string())?));
        }
        Ok(base)
    }

    fn number_digits(&mut self) -> Result<i128, String> {
        self.ws();
        let start = self.pos;
        while self.pos < self.s.len() && self.s[self.pos].is_ascii_digit() {
            self.pos += 1;
        }
        std::str::from_utf8(&self.s[start..self.pos])
            .map_err(|e| e.to_string())?
            .parse()
            .map_err(|e| format!("{e}"))
    }

    fn group(&mut self) -> Result<Expr, String> {
        if !self.eat("{") {
            return Err(format!("expected {{ at {}", self.pos));
        }
        let e = self.expr()?;
        if !self.eat("}") {
            return Err(format!("expected }} at {}", self.pos));
        }
        Ok(e)
    }

    fn atom(&mut self) -> Result<Expr, String> {
        match self.peek() {
            Some(c) if c.is_ascii_digit() => {
                let whole = self.number_digits()?;
                let mut places = 0;
                let mut digits = whole;
                if self.s.get(self.pos) == Some(&b'.') {
                    self.pos += 1;
                    while self.pos < self.s.len() && self.s[self.pos].is_ascii_digit() {
                        digits = digits * 10 + i128::from(self.s[self.pos] - b'0');
                        places += 1;
                        self.pos += 1;
                    }
                }
                let num = Expr::Num(digits, places);
                // A mixed number: `2\frac{1}{3}` is 2 + 1/3.
                if places == 0 && self.s[self.pos..].starts_with(b"\\frac") {
                    let frac = self.atom()?;
                    return Ok(Expr::Add(Box::new(num), Box::new(frac)));
                }
                Ok(num)
            }
            Some(c) if c.is_ascii_alphabetic() => {
                self.pos += 1;
                Ok(Expr::Var(c as char))
            }
            Some(b'(') => {
                self.pos += 1;
                let e = self.expr()?;
                if !self.eat(")") {
                    return Err(format!("expected ) at {}", self.pos));
                }
                Ok(e)
            }
            Some(b'{') => self.group(),
            Some(b'\\') if self.eat("\\frac") => {
                let top = self.group()?;
                let bottom = self.group()?;
                Ok(Expr::Div(Box::new(top), Box::new(bottom)))
            }
            Some(b'\\') if self.eat("\\sqrt") => Ok(Expr::Sqrt(Box::new(self.group()?))),
            other => Err(format!("unexpected {:?} at {}", other.map(char::from), self.pos)),
        }
    }
}

/// A number type the tree can be evaluated in.
pub trait Value: Copy + PartialEq + std::fmt::Debug {
    fn num(digits: i128, places: u32) -> Self;
    fn add(self, o: Self) -> Self;
    fn sub(self, o: Self) -> Self;
    fn mul(self, o: Self) -> Self;
    fn div(self, o: Self) -> Option<Self>;
    fn sqrt(self) -> Option<Self>;
}

/// An exact fraction, kept separate from the generator's own rational type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frac(pub i128, pub i128);

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a.abs() } else { gcd(b, a % b) }
}

impl Frac {
    pub fn new(n: i128, d: i128) -> Frac {
        let g = gcd(n, d).max(1) * d.signum();
        Frac(n / g, d / g)
    }
    pub fn int(n: i128) -> Frac {
        Frac(n, 1)
    }
}

impl Value for Frac {
    fn num(digits: i128, places: u32) -> Frac {
        Frac::new(digits, 10i128.pow(places))
    }
    fn add(self, o: Frac) -> Frac {
        Frac::new(self.0 * o.1 + o.0 * self.1, self.1 * o.1)
    }
    fn sub(self, o: Frac) -> Frac {
        Frac::new(self.0 * o.1 - o.0 * self.1, self.1 * o.1)
    }
    fn mul(self, o: Frac) -> Frac {
        Frac::new(self.0 * o.0, self.1 * o.1)
    }
    fn div(self, o: Frac) -> Option<Frac> {
        (o.0 != 0).then(|| Frac::new(self.0 * o.1, self.1 * o.0))
    }
    fn sqrt(self) -> Option<Frac> {
        let root = |n: i128| {
            let r = (n as f64).sqrt().round() as i128;
            (r * r == n).then_some(r)
        };
        if self.0 < 0 {
            return None;
        }
        Some(Frac(root(self.0)?, root(self.1)?))
    }
}

impl Value for f64 {
    fn num(digits: i128, places: u32) -> f64 {
        digits as f64 / 10f64.powi(places as i32)
    }
    fn add(self, o: f64) -> f64 {
        self + o
    }
    fn sub(self, o: f64) -> f64 {
        self - o
    }
    fn mul(self, o: f64) -> f64 {
        self * o
    }
    fn div(self, o: f64) -> Option<f64> {
        (o != 0.0).then(|| self / o)
    }
    fn sqrt(self) -> Option<f64> {
        (self >= 0.0).then(|| f64::sqrt(self))
    }
}

/// Evaluates the tree with `vars` giving each variable's value.
pub fn eval<V: Value>(e: &Expr, vars: &dyn Fn(char) -> Option<V>) -> Option<V> {
    Some(match e {
        Expr::Num(d, p) => V::num(*d, *p),
        Expr::Var(c) => vars(*c)?,
        Expr::Add(a, b) => eval(a, vars)?.add(eval(b, vars)?),
        Expr::Sub(a, b) => eval(a, vars)?.sub(eval(b, vars)?),
        Expr::Mul(a, b) => eval(a, vars)?.mul(eval(b, vars)?),
        Expr::Div(a, b) => eval(a, vars)?.div(eval(b, vars)?)?,
        Expr::Neg(a) => V::num(0, 0).sub(eval(a, vars)?),
        Expr::Pow(a, k) => {
            let base = eval(a, vars)?;
            (0..*k).fold(V::num(1, 0), |acc, _| acc.mul(base))
        }
        Expr::Sqrt(a) => eval(a, vars)?.sqrt()?,
    })
}

/// The variables in a tree.
pub fn vars(e: &Expr, out: &mut Vec<char>) {
    match e {
        Expr::Num(..) => {}
        Expr::Var(c) => {
            if !out.contains(c) {
                out.push(*c);
            }
        }
        Expr::Add(a, b) | Expr::Sub(a, b) | Expr::Mul(a, b) | Expr::Div(a, b) => {
            vars(a, out);
            vars(b, out);
        }
        Expr::Neg(a) | Expr::Pow(a, _) | Expr::Sqrt(a) => vars(a, out),
    }
}

/// A constant expression's exact value.
pub fn exact(text: &str) -> Frac {
    let e = parse(text).unwrap_or_else(|err| panic!("{err}"));
    eval::<Frac>(&e, &|_| None).unwrap_or_else(|| panic!("no exact value for {text:?}"))
}

/// A constant expression's value as a float.
pub fn float(text: &str) -> f64 {
    let e = parse(text).unwrap_or_else(|err| panic!("{err}"));
    eval::<f64>(&e, &|_| None).unwrap_or_else(|| panic!("no value for {text:?}"))
}

/// Splits at top-level `, ` (outside brackets and braces).
pub fn split_top(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in s.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(s[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(s[start..].trim());
    out
}

/// The `$...$` segments of a problem.
pub fn math_segments(problem: &str) -> Vec<&str> {
    problem.split('$').skip(1).step_by(2).collect()
}

#[test]
fn the_reader_reads_what_the_generators_write() {
    assert_eq!(exact("2\\frac{1}{3} \\div \\frac{7}{9} - \\frac{1}{2}"), Frac::new(5, 2));
    assert_eq!(exact("\\frac{\\frac{1}{2} + \\frac{1}{3}}{\\frac{3}{4} - \\frac{1}{6}}"), Frac::new(10, 7));
    assert_eq!(exact("-\\frac{3}{4}"), Frac::new(-3, 4));
    assert_eq!(exact("3 \\cdot 2^{3} - 1"), Frac::int(23));
    assert!((float("\\frac{3\\sqrt{2}}{2}") - 3.0 * 2f64.sqrt() / 2.0).abs() < 1e-12);
    let e = parse("-4x(2x + 1) - 3").unwrap();
    assert_eq!(eval::<Frac>(&e, &|_| Some(Frac::int(2))), Some(Frac::int(-43)));
    assert_eq!(split_top("(1, 2), \\frac{1}{2}"), vec!["(1, 2)", "\\frac{1}{2}"]);
}
