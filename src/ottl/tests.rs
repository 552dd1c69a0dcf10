//! Parser tests: every statement form the transform processor documents, grouped and
//! flat configs, context inference, and errors with their columns.

use super::*;
use crate::files::Files;
use crate::tree::parse_yaml;

fn stmt(text: &str) -> Statement {
    parse_statement(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn err(text: &str) -> ParseError {
    parse_statement(text).expect_err(text)
}

fn path(ctx: Option<Context>, fields: &[(&str, Vec<Key>)], col: usize) -> Expr {
    Expr::Path(Path {
        context: ctx,
        fields: fields
            .iter()
            .map(|(n, k)| Field {
                name: n.to_string(),
                keys: k.clone(),
            })
            .collect(),
        col,
    })
}

#[test]
fn set_with_where_comparison() {
    let s = stmt(r#"set(attributes["test"], "pass") where body == "operationA""#);
    assert_eq!(s.editor.name, "set");
    assert_eq!(
        s.editor.args[0].value,
        path(None, &[("attributes", vec![Key::String("test".into())])], 5)
    );
    assert_eq!(s.editor.args[1].value, Expr::String("pass".into()));
    assert_eq!(
        s.condition,
        Some(BoolExpr::Compare {
            left: path(None, &[("body", vec![])], 39),
            op: CompareOp::Eq,
            right: Expr::String("operationA".into()),
        })
    );
}

#[test]
fn context_prefixes_are_recognised() {
    let s = stmt(r#"delete_key(resource.attributes, "host.name")"#);
    let Expr::Path(p) = &s.editor.args[0].value else {
        panic!()
    };
    assert_eq!(p.context, Some(Context::Resource));
    assert_eq!(p.fields[0].name, "attributes");
    let s = stmt(r#"set(span.status.code, STATUS_CODE_ERROR)"#);
    let Expr::Path(p) = &s.editor.args[0].value else {
        panic!()
    };
    assert_eq!((p.context, p.fields.len()), (Some(Context::Span), 2));
    assert_eq!(
        s.editor.args[1].value,
        Expr::Symbol("STATUS_CODE_ERROR".into())
    );
    // A single segment is a field, not a context (`resource` alone has no field).
    let s = stmt(r#"set(cache["x"], log.body)"#);
    let Expr::Path(p) = &s.editor.args[0].value else {
        panic!()
    };
    assert_eq!(p.context, None);
}

#[test]
fn literals_of_every_kind() {
    let s = stmt(
        r#"set(attributes["x"], [1, -2, 3.5, -0.25, "s\"q\\", true, false, nil, 0xCAFE, {"k": {"n": 1}}])"#,
    );
    let Expr::List(items) = &s.editor.args[1].value else {
        panic!()
    };
    assert_eq!(
        items,
        &vec![
            Expr::Int(1),
            Expr::Int(-2),
            Expr::Float(3.5),
            Expr::Float(-0.25),
            Expr::String("s\"q\\".into()),
            Expr::Bool(true),
            Expr::Bool(false),
            Expr::Nil,
            Expr::Bytes(vec![0xca, 0xfe]),
            Expr::Map(vec![(
                "k".into(),
                Expr::Map(vec![("n".into(), Expr::Int(1))])
            )]),
        ]
    );
}

#[test]
fn regex_escapes_survive_in_strings() {
    let s = stmt(r#"replace_pattern(body, "\d+", "$$1")"#);
    assert_eq!(s.editor.args[1].value, Expr::String("\\d+".into()));
}

#[test]
fn nested_converters_indexes_and_named_args() {
    let s = stmt(
        r#"set(attributes["h"], SHA256(Concat([attributes["a"], Split(body, ",")[0]], "-")))"#,
    );
    let Expr::Converter(sha) = &s.editor.args[1].value else {
        panic!()
    };
    assert_eq!(sha.name, "SHA256");
    let Expr::Converter(concat) = &sha.args[0].value else {
        panic!()
    };
    let Expr::List(items) = &concat.args[0].value else {
        panic!()
    };
    let Expr::Converter(split) = &items[1] else {
        panic!()
    };
    assert_eq!(
        (split.name.as_str(), split.keys.clone()),
        ("Split", vec![Key::Int(0)])
    );
    let s = stmt(r#"replace_pattern(attributes["x"], "a", "b", function = SHA256)"#);
    assert_eq!(s.editor.args[3].name.as_deref(), Some("function"));
    assert_eq!(s.editor.args[3].value, Expr::Symbol("SHA256".into()));
}

#[test]
fn dynamic_index() {
    let s = stmt(r#"delete_key(attributes, attributes[attributes["which"]])"#);
    let Expr::Path(p) = &s.editor.args[1].value else {
        panic!()
    };
    assert!(matches!(p.fields[0].keys[0], Key::Dynamic(_)));
}

#[test]
fn boolean_precedence_not_and_or_parentheses() {
    let s = stmt(
        r#"set(attributes["x"], 1) where not a == 1 and (b == 2 or c == 3) or IsMatch(body, "x")"#,
    );
    let Some(BoolExpr::Or(left, right)) = s.condition else {
        panic!("or at the top")
    };
    let BoolExpr::And(not, paren) = *left else {
        panic!("and binds tighter")
    };
    assert!(matches!(*not, BoolExpr::Not(_)));
    assert!(matches!(*paren, BoolExpr::Or(_, _)));
    assert!(matches!(*right, BoolExpr::Converter(_)));
}

#[test]
fn every_comparison_and_math() {
    for (op, want) in [
        ("==", CompareOp::Eq),
        ("!=", CompareOp::Ne),
        ("<", CompareOp::Lt),
        ("<=", CompareOp::Le),
        (">", CompareOp::Gt),
        (">=", CompareOp::Ge),
    ] {
        let c = parse_condition(&format!("severity_number {op} SEVERITY_NUMBER_WARN")).unwrap();
        assert!(
            matches!(c, BoolExpr::Compare { op, .. } if op == want),
            "{op}"
        );
    }
    let v = parse_value("1 + 2 * (3 - 4) / 5").unwrap();
    let Expr::Math {
        op: MathOp::Add,
        right,
        ..
    } = v
    else {
        panic!("+ at the top")
    };
    assert!(matches!(
        *right,
        Expr::Math {
            op: MathOp::Div,
            ..
        }
    ));
    assert!(parse_condition("(1 + 2) == 3").is_ok());
    assert_eq!(parse_condition("true").unwrap(), BoolExpr::Const(true));
}

#[test]
fn errors_name_the_column() {
    let e = err(r#"set(attributes["x"] "y")"#);
    assert_eq!(e.col, 21, "{e}");
    assert!(e.message.contains("expected `,`"), "{e}");
    assert_eq!(err(r#"set(attributes["x"], "unterminated)"#).col, 22);
    assert_eq!(err("SHA256(body)").col, 1);
    assert_eq!(err(r#"set(attributes["x"], 1) where"#).col, 30);
    assert_eq!(err(r#"set(attributes["x"], 1) where body"#).col, 31);
    assert_eq!(err("set(attributes, 1) extra").col, 20);
    assert_eq!(err("set(x, 1) # comment").col, 11);
    assert!(err("set(x, delete_key(y))").message.contains("editor"));
}

fn yaml(text: &str) -> crate::tree::Node {
    let mut files = Files::new();
    let id = files.add("t.yaml", text);
    let mut diags = crate::diag::Diagnostics::new();
    parse_yaml(&files, id, &mut diags).unwrap().remove(0)
}

#[test]
fn grouped_statements_with_context_conditions_and_error_mode() {
    let node = yaml(
        "- context: log\n  error_mode: ignore\n  conditions:\n    - body == \"x\"\n  statements:\n    - set(attributes[\"a\"], resource.attributes[\"r\"])\n",
    );
    let groups = parse_statement_groups(&node, Signal::Logs).unwrap();
    assert_eq!(groups.len(), 1);
    let g = &groups[0];
    assert_eq!(
        (g.context, g.error_mode),
        (Context::Log, Some(ErrorMode::Ignore))
    );
    let mut contexts = Vec::new();
    g.statements[0].visit_paths(&mut |p| contexts.push(p.context));
    assert_eq!(contexts, vec![Some(Context::Log), Some(Context::Resource)]);
    assert_eq!(g.conditions.len(), 1);
    assert_eq!(g.statement_spans[0].line, 6);
}

#[test]
fn flat_statements_infer_the_deepest_context() {
    let node = yaml(
        "- set(resource.attributes[\"x\"], \"y\")\n- set(span.attributes[\"k\"], resource.attributes[\"x\"])\n- delete_key(spanevent.attributes, \"p\") where span.name == \"n\"\n",
    );
    let groups = parse_statement_groups(&node, Signal::Traces).unwrap();
    let contexts: Vec<Context> = groups.iter().map(|g| g.context).collect();
    assert_eq!(
        contexts,
        vec![Context::Resource, Context::Span, Context::SpanEvent]
    );
}

#[test]
fn inference_errors_are_reported_with_their_line() {
    let node = yaml("- set(attributes[\"x\"], \"y\")\n");
    let e = parse_statement_groups(&node, Signal::Logs).unwrap_err();
    assert!(e.message.contains("no context prefix"), "{}", e.message);
    assert_eq!(e.span.line, 1);
    let node = yaml("- set(log.attributes[\"x\"], span.name)\n");
    let e = parse_statement_groups(&node, Signal::Logs).unwrap_err();
    assert!(e.message.contains("cannot be used"), "{}", e.message);
    let node =
        yaml("- context: resource\n  statements:\n    - set(log.attributes[\"x\"], \"y\")\n");
    let e = parse_statement_groups(&node, Signal::Logs).unwrap_err();
    assert!(
        e.message
            .contains("cannot be used in the `resource` context"),
        "{}",
        e.message
    );
    assert_eq!(e.span.line, 3);
    let node = yaml("- context: log\n  statements:\n    - set(attributes[\"x\"] \"y\")\n");
    let e = parse_statement_groups(&node, Signal::Logs).unwrap_err();
    assert!(e.message.contains("column 21"), "{}", e.message);
}

#[test]
fn filter_style_conditions_use_their_fixed_context() {
    let node = yaml("- 'attributes[\"prompt\"] != nil'\n- resource.attributes[\"a\"] == \"b\"\n");
    let conds = parse_conditions(&node, Signal::Logs, Context::Log).unwrap();
    let mut contexts = Vec::new();
    for (c, _) in &conds {
        let mut c = c.clone();
        c.visit_paths_mut(&mut |p| contexts.push(p.context));
    }
    assert_eq!(contexts, vec![Some(Context::Log), Some(Context::Resource)]);
}
