//! Helm (Go) templates read without rendering them.
//!
//! A template is not YAML: `{{ … }}` actions stand where values and whole lines will be.
//! To read the collector configuration inside one, every action is replaced by text of the
//! same length on the same line, so that the result parses as YAML and every line and
//! column still points at the template a user can open:
//!
//! * a value expression inside a line (`endpoint: http://{{ include "x.host" . }}:9090`)
//!   becomes a marker; the scalar that holds it becomes *unknown* afterwards, like an
//!   unresolved `${env:X}` (the destination is then unknown and leaving the device);
//! * `if`/`else`/`end` (and `with`, `range`, `block`) become blank: the content of every
//!   branch is read, which for destinations is sound (more exporters). What sits under a
//!   condition is remembered as a [`Region`], so that a processor listed only there is not
//!   counted on to run, and a component configured partly there is treated as unknown;
//! * comments, variable assignments and a value expression alone on its line (it usually
//!   writes YAML structure, `{{ toYaml .Values.x | nindent 4 }}`) become blank lines. Such
//!   an expression *inside* the collector configuration makes the template unreadable
//!   ([`Template::check_config`]); outside it (labels, a Deployment) it does not matter.

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::{FileId, Files, Span};
use crate::tree::{Entry, Node, Scalar, Value};

/// Starts a value marker; the index of the expression follows as decimal digits.
const VALUE_START: char = '\u{E000}';
/// Pads a value marker to the length of the expression it replaces.
const VALUE_PAD: char = '\u{E001}';
/// Stands for a control action written inside a line (`[loki{{ if .Values.x }}, …`).
const CONTROL: char = '\u{E002}';

/// A 1-based (line, column) position in the template, columns in characters.
pub type Pos = (u32, u32);

/// The part of a template under a condition: from the end of `{{ if … }}` (or `with`,
/// `range`, `block`) to the start of its `{{ end }}`, every branch included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// First position under the condition.
    pub start: Pos,
    /// First position after it (where `{{ end }}` starts).
    pub end: Pos,
    /// Where the opening action is written.
    pub open: Span,
}

impl Region {
    /// True when the region holds the start of `span`.
    pub fn holds(&self, span: Span) -> bool {
        let at = (span.line, span.col);
        self.start <= at && at < self.end
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Writes a value.
    Value,
    /// `if`, `with`, `range`, `block`: opens a conditional part.
    Open,
    /// `define`: a named template, not written in place.
    Define,
    /// `else`, `else if …`.
    Else,
    /// `end`.
    End,
    /// Comments, assignments, `break`, `continue`: write nothing.
    Silent,
}

/// One `{{ … }}` action.
#[derive(Debug, Clone)]
struct Action {
    kind: Kind,
    /// The action as written.
    text: String,
    /// Where it is written (its first line).
    span: Span,
    /// Last position (line, column) of the action, inclusive.
    last: Pos,
    /// True when nothing but whitespace and other actions shares its lines.
    alone: bool,
}

/// A template with its actions replaced (see the module documentation).
#[derive(Debug, Clone)]
pub struct Template {
    /// The text with every action replaced, same lines and columns as the template.
    pub neutral: String,
    actions: Vec<Action>,
    regions: Vec<Region>,
}

/// True when a text holds a template action.
pub fn has_actions(text: &str) -> bool {
    text.contains("{{")
}

/// Scans the template in file `file`. An action that is not closed, or blocks that do not
/// balance, make it unreadable (`helm template` refuses it too); the diagnostic names the
/// place.
pub fn scan(files: &Files, file: FileId) -> Result<Template, Diagnostic> {
    let text = &files.get(file).text;
    let raw = find_actions(files, file)?;
    let regions = regions(&raw)?;
    let neutral = neutralise(text, &raw);
    Ok(Template {
        neutral,
        actions: raw,
        regions,
    })
}

/// Every action with what it is.
fn find_actions(files: &Files, file: FileId) -> Result<Vec<Action>, Diagnostic> {
    let source = files.get(file);
    let text = &source.text;
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(rel) = text[from..].find("{{") {
        let start = from + rel;
        let Some(end) = action_end(text, start) else {
            return Err(unreadable(
                files.span_at(file, start, 2),
                "a `{{` opens a template action that is never closed with `}}`".into(),
            ));
        };
        let inner = text[start + 2..end - 2]
            .trim_start_matches('-')
            .trim_end_matches('-')
            .trim();
        let kind = kind_of(inner);
        let span = files.span_at(file, start, text[start..end].chars().count());
        let (last_line, last_col) = source.position(end - 1);
        out.push(Action {
            kind,
            text: text[start..end].to_string(),
            span: Span {
                file,
                line: span.line,
                col: span.col,
                len: if last_line == span.line { span.len } else { 2 },
            },
            last: (last_line, last_col),
            alone: false,
        });
        from = end;
    }
    mark_alone(text, &mut out);
    Ok(out)
}

/// The byte offset just after the `}}` that closes the action starting at `start`, skipping
/// string literals ("…", `…`, '…') and comments (`/* … */`).
fn action_end(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = start + 2;
    if bytes.get(i) == Some(&b'-') {
        i += 1;
    }
    while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    if text[i..].starts_with("/*") {
        let close = text[i + 2..].find("*/")? + i + 4;
        let rest = &text[close..];
        let after = rest.trim_start_matches([' ', '-']);
        return after
            .starts_with("}}")
            .then(|| close + (rest.len() - after.len()) + 2);
    }
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    if bytes.get(i) == Some(&b'\n') {
                        return None;
                    }
                    i += 1;
                }
            }
            b'`' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'`' {
                    i += 1;
                }
            }
            b'\'' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'\'' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'}' if bytes.get(i + 1) == Some(&b'}') => return Some(i + 2),
            _ => {}
        }
        i += 1;
    }
    None
}

/// What an action does, from its first word.
fn kind_of(inner: &str) -> Kind {
    if inner.starts_with("/*") {
        return Kind::Silent;
    }
    let word = inner
        .split(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    match word {
        "if" | "with" | "range" | "block" => Kind::Open,
        "define" => Kind::Define,
        "else" => Kind::Else,
        "end" => Kind::End,
        "break" | "continue" => Kind::Silent,
        _ if word.starts_with('$') && is_assignment(inner) => Kind::Silent,
        _ => Kind::Value,
    }
}

/// `$x := …` or `$x = …`: declares or sets a variable, writes nothing.
fn is_assignment(inner: &str) -> bool {
    let rest = inner
        .trim_start_matches('$')
        .trim_start_matches(|c: char| c.is_alphanumeric() || c == '_');
    let rest = rest.trim_start();
    rest.starts_with(":=") || (rest.starts_with('=') && !rest.starts_with("=="))
}

/// Marks the actions whose lines hold nothing else but whitespace.
fn mark_alone(text: &str, actions: &mut [Action]) {
    let lines: Vec<&str> = text.split('\n').collect();
    // Per line, the character ranges covered by actions.
    let mut covered: Vec<Vec<(u32, u32)>> = vec![Vec::new(); lines.len() + 1];
    for a in actions.iter() {
        for line in a.span.line..=a.last.0 {
            let from = if line == a.span.line { a.span.col } else { 1 };
            let to = if line == a.last.0 { a.last.1 } else { u32::MAX };
            if let Some(c) = covered.get_mut(line as usize) {
                c.push((from, to));
            }
        }
    }
    let only_actions = |line: u32| -> bool {
        let Some(text) = lines.get(line as usize - 1) else {
            return true;
        };
        text.chars().enumerate().all(|(i, ch)| {
            let col = u32::try_from(i + 1).unwrap_or(u32::MAX);
            ch.is_whitespace()
                || covered[line as usize]
                    .iter()
                    .any(|(a, b)| *a <= col && col <= *b)
        })
    };
    for a in actions.iter_mut() {
        a.alone = (a.span.line..=a.last.0).all(only_actions);
    }
}

/// The conditional parts, from the balance of `if`/`with`/`range`/`block`/`define` and
/// `end`.
fn regions(actions: &[Action]) -> Result<Vec<Region>, Diagnostic> {
    let mut open: Vec<&Action> = Vec::new();
    let mut out = Vec::new();
    for a in actions {
        match a.kind {
            Kind::Open | Kind::Define => open.push(a),
            Kind::Else if open.is_empty() => {
                return Err(unreadable(
                    a.span,
                    "`{{ else }}` stands outside any `{{ if }}`, `with` or `range`".into(),
                ));
            }
            Kind::End => {
                let Some(o) = open.pop() else {
                    return Err(unreadable(
                        a.span,
                        "`{{ end }}` closes no `{{ if }}`, `with`, `range` or `define`".into(),
                    ));
                };
                out.push(Region {
                    start: (o.last.0, o.last.1 + 1),
                    end: (a.span.line, a.span.col),
                    open: o.span,
                });
            }
            _ => {}
        }
    }
    if let Some(o) = open.pop() {
        return Err(unreadable(
            o.span,
            format!("`{}` is never closed with `{{{{ end }}}}`", o.text.trim()),
        ));
    }
    Ok(out)
}

/// The template with its actions replaced, line and column structure kept.
fn neutralise(text: &str, actions: &[Action]) -> String {
    let mut lines: Vec<Vec<char>> = text.split('\n').map(|l| l.chars().collect()).collect();
    let mut blank_lines: Vec<u32> = Vec::new();
    for (index, a) in actions.iter().enumerate() {
        let blank = a.alone || a.kind != Kind::Value;
        for line in a.span.line..=a.last.0 {
            let chars = &mut lines[line as usize - 1];
            let from = if line == a.span.line { a.span.col } else { 1 } as usize - 1;
            let to = if line == a.last.0 {
                a.last.1 as usize
            } else {
                chars.len()
            };
            let to = to.min(chars.len());
            if a.alone {
                blank_lines.push(line);
            }
            let fill: Vec<char> = if a.alone {
                vec![' '; to - from]
            } else if blank {
                vec![CONTROL; to - from]
            } else {
                value_marker(index, to - from)
            };
            chars.splice(from..to, fill);
        }
    }
    for line in blank_lines {
        let chars = &mut lines[line as usize - 1];
        if chars.iter().all(|c| c.is_whitespace()) {
            chars.clear();
        }
    }
    lines
        .iter()
        .map(|l| l.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `VALUE_START`, the index, then padding to `len` characters (longer when the index does
/// not fit, which only moves the columns after it on that line).
fn value_marker(index: usize, len: usize) -> Vec<char> {
    let mut out = vec![VALUE_START];
    out.extend(index.to_string().chars());
    while out.len() < len {
        out.push(VALUE_PAD);
    }
    out
}

impl Template {
    /// The conditional parts of the template.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// Problems that make the collector configuration, written on lines `first..=last`,
    /// unreadable without rendering: a value expression alone on its line (it writes YAML
    /// structure), an expression that produces YAML (`toYaml`, `include … | nindent`),
    /// or a `define`.
    pub fn check_config(&self, first: u32, last: u32) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for a in &self.actions {
            if a.span.line < first || a.span.line > last {
                continue;
            }
            let inner = a.text.as_str();
            let structural = a.kind == Kind::Value
                && (a.alone
                    || ["toYaml", "toJson", "nindent", "indent", "tpl "]
                        .iter()
                        .any(|w| inner.contains(w)));
            if structural {
                out.push(unreadable(
                    a.span,
                    format!(
                        "`{}` inside the collector configuration writes YAML that is only known once the chart is rendered",
                        a.text.trim()
                    ),
                ));
            } else if a.kind == Kind::Define {
                out.push(unreadable(
                    a.span,
                    "a `{{ define }}` inside the collector configuration is not written in place"
                        .into(),
                ));
            }
        }
        out
    }

    /// The collector configuration parsed from [`Template::neutral`], with every scalar
    /// that holds a value expression turned unknown (warning OD321 at the expression), and
    /// the markers of inline conditions removed from the edges of scalars. A key that holds
    /// an expression, or a scalar whose middle depends on a condition, cannot be read.
    pub fn resolve(&self, node: Node, diags: &mut Diagnostics, path: &mut Vec<String>) -> Node {
        let span = node.span;
        match node.value {
            Value::Map(entries) => {
                let mut out = Vec::with_capacity(entries.len());
                for e in entries {
                    let key = e.key.trim_matches(CONTROL).to_string();
                    if key.contains([VALUE_START, CONTROL]) {
                        let shown = self.restore(&key);
                        diags.push(unreadable(
                            e.key_span,
                            format!("the key `{shown}` is computed by the template"),
                        ));
                        continue;
                    }
                    path.push(key.clone());
                    let value = self.resolve(e.value, diags, path);
                    path.pop();
                    out.push(Entry {
                        key,
                        key_span: e.key_span,
                        value,
                    });
                }
                Node::new(Value::Map(out), span)
            }
            Value::Seq(items) => {
                let items = items
                    .into_iter()
                    .enumerate()
                    .map(|(i, n)| {
                        path.push(i.to_string());
                        let n = self.resolve(n, diags, path);
                        path.pop();
                        n
                    })
                    .collect();
                Node::new(Value::Seq(items), span)
            }
            Value::Scalar(s) => self.scalar(s, span, diags, path),
            other => Node::new(other, span),
        }
    }

    fn scalar(&self, s: Scalar, span: Span, diags: &mut Diagnostics, path: &[String]) -> Node {
        let trimmed = s
            .text
            .trim_matches(|c: char| c == CONTROL || c.is_whitespace());
        let text = if trimmed.len() == s.text.len() || s.quoted {
            s.text.clone()
        } else {
            trimmed.to_string()
        };
        let expressions: Vec<&Action> = text
            .split(VALUE_START)
            .skip(1)
            .filter_map(|rest| {
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                self.actions.get(digits.parse::<usize>().ok()?)
            })
            .collect();
        let at = path.join(".");
        if let Some(first) = expressions.first() {
            let shown: Vec<String> = expressions
                .iter()
                .map(|a| format!("`{}`", a.text.trim()))
                .collect();
            diags.push(
                Diagnostic::new(
                    Code::TemplateValue,
                    format!(
                        "`{at}` is computed by the template expression {} when the chart is rendered, so it is treated as unknown",
                        shown.join(" and ")
                    ),
                )
                .at(first.span)
                .hint("to analyse the rendered value, render the chart (`helm template …`) and pass the result, or write the value into the template"),
            );
            let reason = format!(
                "computed by the template expression {}",
                shown.join(" and ")
            );
            return Node::new(Value::Unknown(reason), span);
        }
        if text.contains(CONTROL) {
            diags.push(
                Diagnostic::new(
                    Code::TemplateValue,
                    format!(
                        "part of `{at}` is written under a template condition, so its value is treated as unknown"
                    ),
                )
                .at(span)
                .hint("render the chart (`helm template …`) and pass the result to analyse one rendering"),
            );
            return Node::new(
                Value::Unknown("written partly under a template condition".into()),
                span,
            );
        }
        Node::new(
            Value::Scalar(Scalar {
                text,
                quoted: s.quoted,
            }),
            span,
        )
    }

    /// A neutral text with its markers replaced by the template text they stand for.
    pub fn restore(&self, neutral: &str) -> String {
        let mut out = String::new();
        let mut chars = neutral.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                VALUE_START => {
                    let mut digits = String::new();
                    while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                        digits.push(*d);
                        chars.next();
                    }
                    match digits
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| self.actions.get(i))
                    {
                        Some(a) => out.push_str(a.text.trim()),
                        None => out.push_str("{{…}}"),
                    }
                }
                VALUE_PAD | CONTROL => {}
                c => out.push(c),
            }
        }
        out
    }
}

/// The error for a template that cannot be read without rendering it.
pub fn unreadable(span: Span, what: String) -> Diagnostic {
    Diagnostic::new(
        Code::TemplateUnreadable,
        format!("{what}; the template cannot be read without rendering it"),
    )
    .at(span)
    .hint("render it with `helm template RELEASE CHART -f values.yaml` and pass the rendered manifest (or the collector configuration in it)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scanned(text: &str) -> Result<Template, Diagnostic> {
        let mut files = Files::new();
        let id = files.add("t.yaml", text);
        scan(&files, id)
    }

    fn template(text: &str) -> Template {
        scanned(text).unwrap()
    }

    #[test]
    fn lines_and_columns_are_kept() {
        let text = "a: 1\n{{- if .Values.x }}\nb: http://{{ include \"h\" . }}:9090\n{{- end }}\nc: [l{{ if .Values.y }}, m{{ end }}]\n";
        let t = template(text);
        let lines: Vec<&str> = t.neutral.split('\n').collect();
        assert_eq!(lines.len(), text.split('\n').count());
        assert_eq!(
            lines[1], "",
            "a line holding only a condition becomes empty"
        );
        for (n, o) in lines.iter().zip(text.split('\n')).skip(2).take(1) {
            assert_eq!(n.chars().count(), o.chars().count());
        }
        assert!(lines[2].starts_with("b: http://\u{E000}"));
        assert!(lines[4].starts_with("c: [l\u{E002}"));
        assert_eq!(t.regions().len(), 2);
        let r = t.regions()[0];
        assert_eq!((r.start.0, r.end.0), (2, 4));
    }

    #[test]
    fn action_kinds_and_strings_inside_actions() {
        assert_eq!(kind_of("if .Values.x"), Kind::Open);
        assert_eq!(kind_of("else if .Values.y"), Kind::Else);
        assert_eq!(kind_of("$x := .Values.y"), Kind::Silent);
        assert_eq!(kind_of("$x"), Kind::Value);
        assert_eq!(kind_of("/* note */"), Kind::Silent);
        assert_eq!(kind_of("include \"x\" ."), Kind::Value);
        let t = template("a: {{ \"}}\" }}\nb: {{/* a }} comment */}}\n");
        assert_eq!(t.actions.len(), 2);
        assert_eq!(t.actions[0].text, "{{ \"}}\" }}");
    }

    #[test]
    fn unbalanced_templates_are_unreadable() {
        for (text, line) in [
            ("a: 1\n{{ if .Values.x }}\nb: 2\n", 2),
            ("a: 1\n{{ end }}\n", 2),
            ("a: {{ .Values.x\n", 1),
            ("{{ else }}\n", 1),
        ] {
            let d = scanned(text).unwrap_err();
            assert_eq!(d.code, Code::TemplateUnreadable, "{text}");
            assert_eq!(d.span.unwrap().line, line, "{text}");
            assert!(d.hint.unwrap().contains("helm template"));
        }
    }

    #[test]
    fn structure_written_by_an_expression_is_found_only_where_asked() {
        let text = "labels:\n  {{- include \"l\" . | nindent 2 }}\nconfig:\n  x: {{ toYaml .Values.y }}\n  y: {{ .Values.z | quote }}\n";
        let t = template(text);
        assert_eq!(t.check_config(3, 5).len(), 1, "toYaml inside");
        assert_eq!(t.check_config(1, 2).len(), 1, "nindent alone on its line");
        assert!(t.check_config(5, 5).is_empty(), "a quoted value is a value");
    }
}
