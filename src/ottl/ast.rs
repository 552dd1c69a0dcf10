//! The OTTL syntax tree: plain data, no evaluation.
//!
//! Two consumers walk it: the concrete evaluator in `simulate` (what does this statement
//! do to this record?) and the abstract interpreter of the data map (which keys may this
//! statement delete, set, hash?). Both need the same facts, so the tree keeps everything
//! the text says, including columns for messages, and nothing more.

/// One statement: `editor(args) [where condition]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// The editor call (a lowercase function such as `set` or `delete_key`).
    pub editor: Call,
    /// The `where` clause; the editor runs only for items where it is true.
    pub condition: Option<BoolExpr>,
}

/// A function call: an editor (lowercase name) or a converter (capitalised name).
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The function name as written (`set`, `SHA256`, `IsMatch`).
    pub name: String,
    /// The arguments in order.
    pub args: Vec<Arg>,
    /// Indexes applied to a converter's result: `Split(x, ",")[0]`.
    pub keys: Vec<Key>,
    /// 1-based column of the name.
    pub col: usize,
}

/// One argument; OTTL allows `name = value` for named arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    /// The name of a named argument.
    pub name: Option<String>,
    /// The value.
    pub value: Expr,
}

/// A value expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `nil`.
    Nil,
    /// `true` / `false`.
    Bool(bool),
    /// An integer literal.
    Int(i64),
    /// A float literal.
    Float(f64),
    /// A string literal, unescaped.
    String(String),
    /// A bytes literal `0x…`.
    Bytes(Vec<u8>),
    /// An all-caps name without parentheses: an enum symbol (`SEVERITY_NUMBER_TRACE`) or a
    /// function passed by name (`SHA256` as the optional argument of `replace_pattern`).
    /// Which one depends on the parameter it is passed to.
    Symbol(String),
    /// A list literal `[a, b]`.
    List(Vec<Expr>),
    /// A map literal `{"k": v}`, keys in written order.
    Map(Vec<(String, Expr)>),
    /// A path into the telemetry (`log.attributes["k"]`).
    Path(Path),
    /// A converter call (`SHA256(x)`).
    Converter(Call),
    /// Arithmetic.
    Math {
        /// The operator.
        op: MathOp,
        /// Left operand.
        left: Box<Expr>,
        /// Right operand.
        right: Box<Expr>,
    },
}

/// An arithmetic operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MathOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

/// A path: optional context prefix, then fields, each with optional indexes.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    /// The context the path refers to. `None` when the text has no context prefix; after
    /// context resolution (see [`super::context`]) every path has one.
    pub context: Option<super::Context>,
    /// The fields after the context prefix: `attributes["k"]` is one field with one key.
    pub fields: Vec<Field>,
    /// 1-based column where the path starts.
    pub col: usize,
}

/// One field of a path.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The field name (`attributes`, `body`, `name`, `severity_number`, …).
    pub name: String,
    /// Indexes: `["k"]`, `[0]`, or a dynamic index.
    pub keys: Vec<Key>,
}

/// An index into a map or a list.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    /// `["k"]`: a literal map key.
    String(String),
    /// `[0]`: a literal list index.
    Int(i64),
    /// `[path]` or `[Converter(...)]`: an index computed from the data. Its value is not
    /// known statically, so an abstract interpreter must treat the written key as unknown.
    Dynamic(Box<Expr>),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// A boolean expression (a `where` clause, a group condition, a filter condition).
#[derive(Debug, Clone, PartialEq)]
pub enum BoolExpr {
    /// `true` / `false`.
    Const(bool),
    /// A converter that returns a boolean (`IsMatch(body, "x")`).
    Converter(Call),
    /// `left op right`.
    Compare {
        /// Left operand.
        left: Expr,
        /// Operator.
        op: CompareOp,
        /// Right operand.
        right: Expr,
    },
    /// `not x`.
    Not(Box<BoolExpr>),
    /// `a and b`.
    And(Box<BoolExpr>, Box<BoolExpr>),
    /// `a or b`.
    Or(Box<BoolExpr>, Box<BoolExpr>),
}

impl Path {
    /// The path as OTTL text (`log.attributes["k"]`), for messages.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if let Some(ctx) = self.context {
            out.push_str(ctx.name());
        }
        for f in &self.fields {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&f.name);
            for k in &f.keys {
                out.push_str(&key_text(k));
            }
        }
        out
    }
}

fn key_text(k: &Key) -> String {
    match k {
        Key::String(s) => format!("[{s:?}]"),
        Key::Int(i) => format!("[{i}]"),
        Key::Dynamic(_) => "[…]".to_string(),
    }
}

impl Statement {
    /// Calls `f` on every path in the statement (editor arguments, converter arguments,
    /// dynamic keys and the where clause).
    pub fn visit_paths_mut(&mut self, f: &mut dyn FnMut(&mut Path)) {
        self.editor.visit_paths_mut(f);
        if let Some(c) = &mut self.condition {
            c.visit_paths_mut(f);
        }
    }

    /// Calls `f` on every path in the statement.
    pub fn visit_paths(&self, f: &mut dyn FnMut(&Path)) {
        let mut copy = self.clone();
        copy.visit_paths_mut(&mut |p| f(p));
    }
}

impl Call {
    /// Calls `f` on every path in the arguments and keys.
    pub fn visit_paths_mut(&mut self, f: &mut dyn FnMut(&mut Path)) {
        for a in &mut self.args {
            a.value.visit_paths_mut(f);
        }
        for k in &mut self.keys {
            if let Key::Dynamic(e) = k {
                e.visit_paths_mut(f);
            }
        }
    }
}

impl Expr {
    /// Calls `f` on every path in the expression.
    pub fn visit_paths_mut(&mut self, f: &mut dyn FnMut(&mut Path)) {
        match self {
            Expr::Path(p) => {
                for field in &mut p.fields {
                    for k in &mut field.keys {
                        if let Key::Dynamic(e) = k {
                            e.visit_paths_mut(f);
                        }
                    }
                }
                f(p);
            }
            Expr::Converter(c) => c.visit_paths_mut(f),
            Expr::List(items) => items.iter_mut().for_each(|i| i.visit_paths_mut(f)),
            Expr::Map(entries) => entries.iter_mut().for_each(|(_, v)| v.visit_paths_mut(f)),
            Expr::Math { left, right, .. } => {
                left.visit_paths_mut(f);
                right.visit_paths_mut(f);
            }
            _ => {}
        }
    }
}

impl BoolExpr {
    /// Calls `f` on every path in the expression.
    pub fn visit_paths_mut(&mut self, f: &mut dyn FnMut(&mut Path)) {
        match self {
            BoolExpr::Const(_) => {}
            BoolExpr::Converter(c) => c.visit_paths_mut(f),
            BoolExpr::Compare { left, right, .. } => {
                left.visit_paths_mut(f);
                right.visit_paths_mut(f);
            }
            BoolExpr::Not(inner) => inner.visit_paths_mut(f),
            BoolExpr::And(a, b) | BoolExpr::Or(a, b) => {
                a.visit_paths_mut(f);
                b.visit_paths_mut(f);
            }
        }
    }
}
