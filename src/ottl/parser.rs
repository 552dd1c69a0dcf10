//! Recursive-descent parser for OTTL statements and conditions.
//!
//! Grammar (as the collector's `pkg/ottl` accepts it, v0.120+):
//! ```text
//! statement  = editor [ "where" bool ]
//! editor     = lower-name "(" [ arg { "," arg } ] ")"
//! arg        = [ name "=" ] value
//! bool       = and { "or" and } ;  and = unary { "and" unary }
//! unary      = "not" unary | "(" bool ")" | value [ cmp value ]
//! value      = term { ("+"|"-") term } ;  term = factor { ("*"|"/") factor }
//! factor     = literal | path | Converter "(" args ")" { key } | "(" value ")"
//! path       = name { key } { "." name { key } } ;  key = "[" (string | int | value) "]"
//! ```

use super::ParseError;
use super::ast::*;
use super::context::Context;
use super::lexer::{Tok, Token, lex};
use crate::limits;

/// Parses one statement (`editor(args) [where cond]`).
pub fn parse_statement(text: &str) -> Result<Statement, ParseError> {
    let mut p = Parser::new(text)?;
    let editor = p.call()?;
    if !is_editor_name(&editor.name) {
        return Err(ParseError::new(
            editor.col,
            format!(
                "`{}` is not an editor: a statement starts with a lowercase function such as `set` or `delete_key`",
                editor.name
            ),
        ));
    }
    if !editor.keys.is_empty() {
        return Err(ParseError::new(
            editor.col,
            "an editor's result cannot be indexed",
        ));
    }
    let condition = if p.eat_ident("where") {
        Some(p.bool_expr()?)
    } else {
        None
    };
    p.expect_end()?;
    Ok(Statement { editor, condition })
}

/// Parses one boolean condition (a `conditions:` entry or a filter condition).
pub fn parse_condition(text: &str) -> Result<BoolExpr, ParseError> {
    let mut p = Parser::new(text)?;
    let expr = p.bool_expr()?;
    p.expect_end()?;
    Ok(expr)
}

/// Parses one value expression (for tests and for configs that hold a single value).
pub fn parse_value(text: &str) -> Result<Expr, ParseError> {
    let mut p = Parser::new(text)?;
    let expr = p.value()?;
    p.expect_end()?;
    Ok(expr)
}

fn is_editor_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
}

fn is_converter_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
}

const KEYWORDS: &[&str] = &["and", "or", "not", "where", "true", "false", "nil"];

struct Parser {
    toks: Vec<Token>,
    pos: usize,
    end_col: usize,
    /// Levels of the expression being parsed (see [`limits::MAX_OTTL_DEPTH`]).
    depth: usize,
}

impl Parser {
    fn new(text: &str) -> Result<Self, ParseError> {
        if text.len() > limits::MAX_OTTL_LEN {
            return Err(ParseError::limit(
                1,
                format!(
                    "the statement is {} long, more than the {} otel-dpia reads",
                    limits::describe_size(text.len() as u64),
                    limits::describe_size(limits::MAX_OTTL_LEN as u64)
                ),
            ));
        }
        let toks = lex(text)?;
        let end_col = text.chars().count() + 1;
        if toks.is_empty() {
            return Err(ParseError::new(1, "empty statement"));
        }
        Ok(Parser {
            toks,
            pos: 0,
            end_col,
            depth: 0,
        })
    }

    /// Goes `levels` deeper, failing past [`limits::MAX_OTTL_DEPTH`]; [`Parser::leave`]
    /// comes back up.
    fn enter(&mut self, levels: usize) -> Result<(), ParseError> {
        self.depth += levels;
        if self.depth > limits::MAX_OTTL_DEPTH {
            self.depth -= levels;
            return Err(ParseError::limit(
                self.col(),
                format!(
                    "the expression nests or chains more than {} levels here",
                    limits::MAX_OTTL_DEPTH
                ),
            ));
        }
        Ok(())
    }

    fn leave(&mut self, levels: usize) {
        self.depth -= levels;
    }

    /// Runs `parse` one level deeper.
    fn nested<T>(
        &mut self,
        parse: impl FnOnce(&mut Self) -> Result<T, ParseError>,
    ) -> Result<T, ParseError> {
        self.enter(1)?;
        let result = parse(self);
        self.leave(1);
        result
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.tok)
    }

    fn peek_at(&self, k: usize) -> Option<&Tok> {
        self.toks.get(self.pos + k).map(|t| &t.tok)
    }

    fn col(&self) -> usize {
        self.toks.get(self.pos).map_or(self.end_col, |t| t.col)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn is_punct(&self, p: &str) -> bool {
        matches!(self.peek(), Some(Tok::Punct(q)) if *q == p)
    }

    fn eat_punct(&mut self, p: &str) -> bool {
        let hit = self.is_punct(p);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn expect_punct(&mut self, p: &str) -> Result<(), ParseError> {
        if self.eat_punct(p) {
            Ok(())
        } else {
            Err(self.unexpected(&format!("`{p}`")))
        }
    }

    fn eat_ident(&mut self, word: &str) -> bool {
        let hit = matches!(self.peek(), Some(Tok::Ident(w)) if w == word);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn expect_end(&self) -> Result<(), ParseError> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.unexpected("the end of the statement (or `where`)")),
        }
    }

    fn unexpected(&self, wanted: &str) -> ParseError {
        let found = match self.peek() {
            None => "the end".to_string(),
            Some(Tok::Ident(w)) => format!("`{w}`"),
            Some(Tok::Str(s)) => format!("the string {s:?}"),
            Some(Tok::Int(i)) => format!("the number {i}"),
            Some(Tok::Float(f)) => format!("the number {f}"),
            Some(Tok::Bytes(_)) => "a bytes literal".to_string(),
            Some(Tok::Punct(p)) => format!("`{p}`"),
        };
        ParseError::new(self.col(), format!("expected {wanted}, found {found}"))
    }

    /// `name(args) {keys}`.
    fn call(&mut self) -> Result<Call, ParseError> {
        let col = self.col();
        let name = match self.next().map(|t| t.tok) {
            Some(Tok::Ident(n)) if !KEYWORDS.contains(&n.as_str()) => n,
            _ => {
                self.pos -= 1;
                return Err(self.unexpected("a function name"));
            }
        };
        self.expect_punct("(")?;
        let mut args = Vec::new();
        if !self.eat_punct(")") {
            loop {
                args.push(self.arg()?);
                if self.eat_punct(")") {
                    break;
                }
                self.expect_punct(",")?;
            }
        }
        let keys = self.keys()?;
        Ok(Call {
            name,
            args,
            keys,
            col,
        })
    }

    fn arg(&mut self) -> Result<Arg, ParseError> {
        if let (Some(Tok::Ident(n)), Some(Tok::Punct("="))) = (self.peek(), self.peek_at(1)) {
            let name = n.clone();
            self.pos += 2;
            return Ok(Arg {
                name: Some(name),
                value: self.value()?,
            });
        }
        Ok(Arg {
            name: None,
            value: self.value()?,
        })
    }

    fn keys(&mut self) -> Result<Vec<Key>, ParseError> {
        let mut keys = Vec::new();
        while self.eat_punct("[") {
            let key = match (self.peek().cloned(), self.peek_at(1)) {
                (Some(Tok::Str(s)), Some(Tok::Punct("]"))) => {
                    self.pos += 1;
                    Key::String(s)
                }
                (Some(Tok::Int(i)), Some(Tok::Punct("]"))) => {
                    self.pos += 1;
                    Key::Int(i)
                }
                _ => Key::Dynamic(Box::new(self.value()?)),
            };
            self.expect_punct("]")?;
            keys.push(key);
        }
        Ok(keys)
    }

    /// `value = term { (+|-) term }`. Every operator of the chain is a level of the tree.
    fn value(&mut self) -> Result<Expr, ParseError> {
        self.nested(|p| p.chain(&[("+", MathOp::Add), ("-", MathOp::Sub)], Self::term))
    }

    /// `term = factor { (*|/) factor }`.
    fn term(&mut self) -> Result<Expr, ParseError> {
        self.chain(&[("*", MathOp::Mul), ("/", MathOp::Div)], Self::factor)
    }

    /// A left-associative chain of `operand`s joined by the given operators; each operator
    /// counts as a level of nesting, so a long chain meets the nesting limit, not the stack.
    fn chain(
        &mut self,
        ops: &[(&str, MathOp)],
        operand: fn(&mut Self) -> Result<Expr, ParseError>,
    ) -> Result<Expr, ParseError> {
        let mut left = operand(self)?;
        let mut chained = 0;
        let result = loop {
            let Some(op) = ops
                .iter()
                .find(|(p, _)| self.eat_punct(p))
                .map(|(_, op)| *op)
            else {
                break Ok(left);
            };
            if let Err(e) = self.enter(1) {
                break Err(e);
            }
            chained += 1;
            let right = match operand(self) {
                Ok(r) => r,
                Err(e) => break Err(e),
            };
            left = Expr::Math {
                op,
                left: Box::new(left),
                right: Box::new(right),
            };
        };
        self.leave(chained);
        result
    }

    fn factor(&mut self) -> Result<Expr, ParseError> {
        let col = self.col();
        match self.peek().cloned() {
            Some(Tok::Str(s)) => {
                self.pos += 1;
                Ok(Expr::String(s))
            }
            Some(Tok::Int(i)) => {
                self.pos += 1;
                Ok(Expr::Int(i))
            }
            Some(Tok::Float(f)) => {
                self.pos += 1;
                Ok(Expr::Float(f))
            }
            Some(Tok::Bytes(b)) => {
                self.pos += 1;
                Ok(Expr::Bytes(b))
            }
            Some(Tok::Punct("-")) | Some(Tok::Punct("+")) => self.signed_number(),
            Some(Tok::Punct("(")) => {
                self.pos += 1;
                let inner = self.value()?;
                self.expect_punct(")")?;
                Ok(inner)
            }
            Some(Tok::Punct("[")) => self.list(),
            Some(Tok::Punct("{")) => self.map(),
            Some(Tok::Ident(w)) => self.ident_value(w, col),
            _ => Err(self.unexpected("a value")),
        }
    }

    fn signed_number(&mut self) -> Result<Expr, ParseError> {
        let negative = self.is_punct("-");
        self.pos += 1;
        match self.next().map(|t| t.tok) {
            Some(Tok::Int(i)) => Ok(Expr::Int(if negative { -i } else { i })),
            Some(Tok::Float(f)) => Ok(Expr::Float(if negative { -f } else { f })),
            _ => {
                self.pos -= 1;
                Err(self.unexpected("a number after the sign"))
            }
        }
    }

    fn ident_value(&mut self, w: String, col: usize) -> Result<Expr, ParseError> {
        match w.as_str() {
            "nil" => {
                self.pos += 1;
                return Ok(Expr::Nil);
            }
            "true" | "false" => {
                self.pos += 1;
                return Ok(Expr::Bool(w == "true"));
            }
            "and" | "or" | "not" | "where" => return Err(self.unexpected("a value")),
            _ => {}
        }
        let called = matches!(self.peek_at(1), Some(Tok::Punct("(")));
        if is_converter_name(&w) {
            if called {
                return Ok(Expr::Converter(self.call()?));
            }
            self.pos += 1;
            return Ok(Expr::Symbol(w));
        }
        if called {
            return Err(ParseError::new(
                col,
                format!(
                    "`{w}` is an editor; only converters (capitalised, e.g. `SHA256`) can be used as values"
                ),
            ));
        }
        self.path().map(Expr::Path)
    }

    fn path(&mut self) -> Result<Path, ParseError> {
        let col = self.col();
        let mut fields = Vec::new();
        loop {
            let name = match self.next().map(|t| t.tok) {
                Some(Tok::Ident(n)) if !is_converter_name(&n) => n,
                _ => {
                    self.pos -= 1;
                    return Err(self.unexpected("a path field name"));
                }
            };
            let keys = self.keys()?;
            fields.push(Field { name, keys });
            if !self.eat_punct(".") {
                break;
            }
        }
        let context = match fields.as_slice() {
            [first, _, ..] if first.keys.is_empty() => Context::from_prefix(&first.name),
            _ => None,
        };
        if context.is_some() {
            fields.remove(0);
        }
        Ok(Path {
            context,
            fields,
            col,
        })
    }

    fn list(&mut self) -> Result<Expr, ParseError> {
        self.expect_punct("[")?;
        let mut items = Vec::new();
        if !self.eat_punct("]") {
            loop {
                items.push(self.value()?);
                if self.eat_punct("]") {
                    break;
                }
                self.expect_punct(",")?;
            }
        }
        Ok(Expr::List(items))
    }

    fn map(&mut self) -> Result<Expr, ParseError> {
        self.expect_punct("{")?;
        let mut entries = Vec::new();
        if !self.eat_punct("}") {
            loop {
                let key = match self.next().map(|t| t.tok) {
                    Some(Tok::Str(s)) => s,
                    _ => {
                        self.pos -= 1;
                        return Err(self.unexpected("a string map key"));
                    }
                };
                self.expect_punct(":")?;
                entries.push((key, self.value()?));
                if self.eat_punct("}") {
                    break;
                }
                self.expect_punct(",")?;
            }
        }
        Ok(Expr::Map(entries))
    }

    fn bool_expr(&mut self) -> Result<BoolExpr, ParseError> {
        self.nested(|p| {
            let mut left = p.bool_and()?;
            let mut chained = 0;
            let result = loop {
                if !p.eat_ident("or") {
                    break Ok(left);
                }
                if let Err(e) = p.enter(1) {
                    break Err(e);
                }
                chained += 1;
                match p.bool_and() {
                    Ok(right) => left = BoolExpr::Or(Box::new(left), Box::new(right)),
                    Err(e) => break Err(e),
                }
            };
            p.leave(chained);
            result
        })
    }

    fn bool_and(&mut self) -> Result<BoolExpr, ParseError> {
        let mut left = self.bool_unary()?;
        let mut chained = 0;
        let result = loop {
            if !self.eat_ident("and") {
                break Ok(left);
            }
            if let Err(e) = self.enter(1) {
                break Err(e);
            }
            chained += 1;
            match self.bool_unary() {
                Ok(right) => left = BoolExpr::And(Box::new(left), Box::new(right)),
                Err(e) => break Err(e),
            }
        };
        self.leave(chained);
        result
    }

    fn bool_unary(&mut self) -> Result<BoolExpr, ParseError> {
        if self.eat_ident("not") {
            return self.nested(|p| Ok(BoolExpr::Not(Box::new(p.bool_unary()?))));
        }
        if self.is_punct("(") {
            let save = self.pos;
            self.pos += 1;
            match self.bool_expr() {
                Ok(inner) if self.eat_punct(")") && !self.at_compare_op() && !self.at_math_op() => {
                    return Ok(inner);
                }
                // Past a limit inside: reading it as a value would pass it too.
                Err(e) if e.limit => return Err(e),
                _ => {}
            }
            self.pos = save;
        }
        self.comparison()
    }

    fn at_compare_op(&self) -> bool {
        matches!(
            self.peek(),
            Some(Tok::Punct("==" | "!=" | "<" | "<=" | ">" | ">="))
        )
    }

    fn at_math_op(&self) -> bool {
        matches!(self.peek(), Some(Tok::Punct("+" | "-" | "*" | "/")))
    }

    fn comparison(&mut self) -> Result<BoolExpr, ParseError> {
        let col = self.col();
        let left = self.value()?;
        let op = match self.peek() {
            Some(Tok::Punct("==")) => CompareOp::Eq,
            Some(Tok::Punct("!=")) => CompareOp::Ne,
            Some(Tok::Punct("<")) => CompareOp::Lt,
            Some(Tok::Punct("<=")) => CompareOp::Le,
            Some(Tok::Punct(">")) => CompareOp::Gt,
            Some(Tok::Punct(">=")) => CompareOp::Ge,
            _ => {
                return match left {
                    Expr::Bool(b) => Ok(BoolExpr::Const(b)),
                    Expr::Converter(c) => Ok(BoolExpr::Converter(c)),
                    _ => Err(ParseError::new(
                        col,
                        "a condition must be a comparison (`a == b`), `true`/`false`, or a converter such as `IsMatch(...)`",
                    )),
                };
            }
        };
        self.pos += 1;
        let right = self.value()?;
        Ok(BoolExpr::Compare { left, op, right })
    }
}
