//! `${...}` substitution in a merged collector configuration (confmap's rules).
//!
//! Every string value is expanded; keys are not. A value that is one whole reference takes
//! the referenced value's YAML type (a list, a map, a number); a reference embedded in longer
//! text is inserted as text. Results are expanded again, up to a limit. After expansion every
//! `$$` becomes `$`. A reference with no static value does not stop the run: the value
//! becomes [`Value::Unknown`] and a warning names the variable, so the analysis can assume the
//! worst and the user can supply it.

mod provider;
mod scan;

use provider::Outcome;

use super::env::Environment;
use super::secrets;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::{Files, Span};
use crate::limits::describe_size;
use crate::tree::{Node, Scalar, Value};

/// Expansion rounds of one string after which, like the collector, we give up.
const MAX_ROUNDS: usize = 1000;
/// Nesting of whole-value expansions (a value whose value is a reference, …); lower than the
/// collector's limit to bound recursion, and far beyond any real configuration.
const MAX_DEPTH: usize = 64;
/// A string that grows past this while expanding is a runaway self-reference.
const MAX_LEN: usize = 1 << 20;
/// Stands in for an unresolved reference while the rest of the string is expanded, so that
/// a reference built from it (`${file:${env:DIR}/x}`) is known to be unresolved too.
const HOLE: char = '\u{0}';

/// Expands every reference in `node`. `env` holds the collector's variables.
pub fn substitute(
    node: Node,
    env: &Environment,
    files: &mut Files,
    diags: &mut Diagnostics,
) -> Node {
    let budget = files.limits().substitution_budget();
    let mut expander = Expander {
        env,
        files,
        diags,
        path: Vec::new(),
        budget,
        exhausted: false,
    };
    expander.node(node, 0)
}

struct Expander<'a> {
    env: &'a Environment,
    files: &'a mut Files,
    diags: &'a mut Diagnostics,
    /// Keys from the root to the current value, to keep secrets out of diagnostics.
    path: Vec<String>,
    /// Bytes expansion may still copy ([`crate::limits::Limits::substitution_budget`]).
    budget: usize,
    /// The budget ran out (reported once); references are no longer expanded.
    exhausted: bool,
}

/// Where expansion of one string has got to.
struct Work {
    text: String,
    unresolved: Vec<String>,
    rounds: usize,
}

impl Expander<'_> {
    fn node(&mut self, node: Node, depth: usize) -> Node {
        let span = node.span;
        match node.value {
            Value::Map(entries) => {
                let entries = entries
                    .into_iter()
                    .map(|mut e| {
                        self.path.push(e.key.clone());
                        e.value = self.node(e.value, depth);
                        self.path.pop();
                        e
                    })
                    .collect();
                Node::new(Value::Map(entries), span)
            }
            Value::Seq(items) => {
                let items = items.into_iter().map(|n| self.node(n, depth)).collect();
                Node::new(Value::Seq(items), span)
            }
            Value::Scalar(s) => self.scalar(s, span, depth),
            other => Node::new(other, span),
        }
    }

    fn scalar(&mut self, scalar: Scalar, span: Span, depth: usize) -> Node {
        let mut work = Work {
            text: scalar.text,
            unresolved: Vec::new(),
            rounds: 0,
        };
        while let Some(found) = scan::find(&work.text) {
            work.rounds += 1;
            if work.rounds > MAX_ROUNDS || work.text.len() > MAX_LEN || depth > MAX_DEPTH {
                return self.limit(span, &found.inner);
            }
            // Each round scans and copies the text once.
            if !self.charge(work.text.len(), span) {
                return invalid(span);
            }
            let value = match self.reference(&found.inner, span) {
                Resolved::Value(value) => value,
                Resolved::Unresolved(reason) => {
                    work.unresolved.extend(reason);
                    work.text
                        .replace_range(found.start..found.end, &HOLE.to_string());
                    continue;
                }
                Resolved::Invalid => return invalid(span),
            };
            if !self.charge(weight(&value), span) {
                return invalid(span);
            }
            let whole = found.start == 0 && found.end == work.text.len();
            if whole && work.unresolved.is_empty() {
                return self.node(value, depth + 1);
            }
            if let Value::Unknown(reason) = &value.value {
                work.unresolved.push(reason.clone());
                work.text
                    .replace_range(found.start..found.end, &HOLE.to_string());
                continue;
            }
            let Some(text) = embedded_text(&value) else {
                let msg = format!(
                    "`${{{}}}` is part of a longer text, but its value is {}, which cannot be inserted into text",
                    found.inner,
                    value.kind_name()
                );
                let hint = "make the reference the whole value, or give it a plain value";
                self.report(
                    Diagnostic::new(Code::InvalidReference, msg).hint(hint),
                    span,
                );
                return invalid(span);
            };
            work.text.replace_range(found.start..found.end, &text);
        }
        finish(work, scalar.quoted, span)
    }

    /// Resolves one reference, reporting what is wrong or unknown about it.
    fn reference(&mut self, inner: &str, span: Span) -> Resolved {
        if inner.contains(HOLE) {
            // Built from a reference already reported as unresolved.
            return Resolved::Unresolved(None);
        }
        let reference = match scan::parse(inner) {
            Ok(r) => r,
            Err(msg) => {
                let hint = "write `${env:NAME}`, `${env:NAME:-default}` or `${file:path}`; write `$$` for a literal `$`";
                self.report(
                    Diagnostic::new(Code::InvalidReference, msg).hint(hint),
                    span,
                );
                return Resolved::Invalid;
            }
        };
        match provider::resolve(&reference, span, self.env, self.files, self.diags) {
            Outcome::Value(node) => Resolved::Value(node),
            Outcome::Unresolved(u) => {
                let message = format!(
                    "{}, so `{}` is treated as unknown",
                    u.cause,
                    self.path.join(".")
                );
                let code = if u.at_runtime {
                    Code::DeploymentValue
                } else {
                    Code::UnresolvedReference
                };
                let d = Diagnostic::new(code, message).hint(u.hint);
                self.report(d, span);
                Resolved::Unresolved(Some(u.reason))
            }
            Outcome::Error(d) => {
                self.report(d, span);
                Resolved::Invalid
            }
        }
    }

    /// Takes `bytes` from the budget; false (reported the first time) when it is spent.
    fn charge(&mut self, bytes: usize, span: Span) -> bool {
        if self.exhausted {
            return false;
        }
        if let Some(left) = self.budget.checked_sub(bytes) {
            self.budget = left;
            return true;
        }
        self.exhausted = true;
        let total = self.files.limits().substitution_budget();
        let d = Diagnostic::new(
            Code::SubstitutionTooLarge,
            format!(
                "expanding the `${{…}}` references of this configuration copies more than {} of text; expansion stops here",
                describe_size(total as u64)
            ),
        )
        .hint("a variable or `${file:…}` that is large or refers to itself is used in many places: check what these references expand to");
        self.report(d, span);
        false
    }

    fn limit(&mut self, span: Span, inner: &str) -> Node {
        let d = Diagnostic::new(
            Code::ExpansionLimit,
            format!("expanding `${{{inner}}}` does not end: the value refers to itself or nests too deeply"),
        )
        .hint("check the variables and files this value refers to for a reference back to itself");
        self.report(d, span);
        invalid(span)
    }

    /// Records a diagnostic at the reference. Inside a secret (a header value, a token) or on
    /// a line with a credential-bearing URL, the source line itself may hold the secret, so
    /// the line's value (everything after the key's `:`, or the whole line) is marked secret
    /// in the file store: every printer then shows `****` there instead of the text.
    fn report(&mut self, d: Diagnostic, span: Span) {
        let line = self
            .files
            .get(span.file)
            .line_text(span.line)
            .unwrap_or_default();
        if secrets::is_secret_path(&self.path) || secrets::scrub_url(line) != line {
            let start = line.find(':').map_or(0, |i| {
                let after = &line[i + 1..];
                line[..=i].chars().count() + (after.len() - after.trim_start().len())
            });
            let width = line.chars().count().saturating_sub(start).max(1);
            let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
            self.files.mark_secret(Span {
                col: to_u32(start + 1),
                len: to_u32(width),
                ..span
            });
        }
        self.diags.push(d.at(span));
    }
}

/// The result of resolving one reference.
enum Resolved {
    Value(Node),
    /// No static value; the reason, unless it was already given for the reference this one
    /// is built from.
    Unresolved(Option<String>),
    Invalid,
}

/// The bytes of text in a value, keys included: what inserting it copies.
fn weight(node: &Node) -> usize {
    match &node.value {
        Value::Scalar(s) => s.text.len(),
        Value::Map(entries) => entries.iter().map(|e| e.key.len() + weight(&e.value)).sum(),
        Value::Seq(items) => items.iter().map(weight).sum(),
        Value::Null | Value::Unknown(_) => 0,
    }
}

/// The text a value is inserted as inside a longer string; `None` for a list or a map.
fn embedded_text(value: &Node) -> Option<String> {
    match &value.value {
        Value::Scalar(s) => Some(s.text.clone()),
        Value::Null => Some(String::new()),
        Value::Map(_) | Value::Seq(_) | Value::Unknown(_) => None,
    }
}

fn finish(work: Work, quoted: bool, span: Span) -> Node {
    if !work.unresolved.is_empty() {
        return Node::new(Value::Unknown(work.unresolved.join("; ")), span);
    }
    Node::new(
        Value::Scalar(Scalar {
            text: work.text.replace("$$", "$"),
            quoted: quoted || work.rounds > 0,
        }),
        span,
    )
}

/// The value of a reference that is in error (already reported; the run will fail).
fn invalid(span: Span) -> Node {
    Node::new(Value::Unknown("invalid reference".into()), span)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostic;
    use crate::tree::parse_yaml;

    fn env(pairs: &[(&str, &str)]) -> Environment {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Environment::user(&pairs)
    }

    /// Substitutes `value:` of a one-key document read from `dir/config.yaml`.
    fn expand_in(
        dir: &std::path::Path,
        text: &str,
        vars: &[(&str, &str)],
    ) -> (Node, Vec<Diagnostic>, Files) {
        let path = dir.join("config.yaml");
        std::fs::write(&path, text).unwrap();
        let mut files = Files::new();
        let id = files.read(&path, None).unwrap();
        let mut diags = Diagnostics::new();
        let root = parse_yaml(&files, id, &mut diags).unwrap().remove(0);
        let out = substitute(root, &env(vars), &mut files, &mut diags);
        let value = out.get("value").cloned().unwrap();
        (value, diags.into_iter().collect(), files)
    }

    fn expand(value: &str, vars: &[(&str, &str)]) -> (Node, Vec<Diagnostic>) {
        let dir = tempfile::tempdir().unwrap();
        let (node, diags, _) = expand_in(dir.path(), &format!("value: {value}\n"), vars);
        (node, diags)
    }

    fn text(value: &str, vars: &[(&str, &str)]) -> String {
        let (node, diags) = expand(value, vars);
        assert!(diags.is_empty(), "{diags:?}");
        node.as_str()
            .unwrap_or_else(|| panic!("{value} gave {:?}", node.value))
            .to_string()
    }

    fn codes(diags: &[Diagnostic]) -> Vec<Code> {
        diags.iter().map(|d| d.code).collect()
    }

    #[test]
    fn env_references_expand_embedded_and_bare() {
        let vars = [("HOST", "collector.example.com"), ("PORT", "4317")];
        assert_eq!(
            text("\"http://${env:HOST}:${PORT}\"", &vars),
            "http://collector.example.com:4317"
        );
        assert_eq!(text("${HOST}", &vars), "collector.example.com");
    }

    #[test]
    fn the_later_pair_for_a_key_wins() {
        assert_eq!(
            text("${env:A}", &[("A", "first"), ("A", "second")]),
            "second"
        );
    }

    #[test]
    fn defaults_apply_only_when_unset() {
        assert_eq!(text("${env:X:-fallback}", &[]), "fallback");
        assert_eq!(text("${X:-fallback}", &[]), "fallback");
        let (node, diags) = expand("${env:X:-fallback}", &[("X", "")]);
        assert!(node.is_null(), "set but empty gives empty, not the default");
        assert!(diags.is_empty());
        assert_eq!(text("\"a${env:X:-fallback}b\"", &[("X", "")]), "ab");
    }

    #[test]
    fn whole_scalar_references_are_typed_as_yaml() {
        let (node, _) = expand("${env:EXPORTERS}", &[("EXPORTERS", "[otlp, debug]")]);
        let items: Vec<&str> = node
            .as_seq()
            .unwrap()
            .iter()
            .filter_map(Node::as_str)
            .collect();
        assert_eq!(items, ["otlp", "debug"]);
        let (node, _) = expand("${env:CFG}", &[("CFG", "{endpoint: a:1}")]);
        assert_eq!(node.get("endpoint").and_then(Node::as_str), Some("a:1"));
        let (node, _) = expand("${env:N}", &[("N", "8080")]);
        assert_eq!(node.to_json(), serde_json::json!(8080));
    }

    #[test]
    fn substituted_values_point_at_the_reference() {
        let (node, _) = expand("${env:EXPORTERS}", &[("EXPORTERS", "[otlp, debug]")]);
        let item = &node.as_seq().unwrap()[1];
        assert_eq!((item.span.line, item.span.col), (1, 8));
    }

    #[test]
    fn unset_variables_become_unknown_with_a_warning() {
        let (node, diags) = expand("\"https://${env:HOST}/v1\"", &[]);
        assert_eq!(node.value, Value::Unknown("${env:HOST} unset".into()));
        assert_eq!(codes(&diags), [Code::UnresolvedReference]);
        assert!(diags[0].message.contains("`HOST`"));
        assert!(
            diags[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("--collector-env HOST=")
        );
        assert_eq!(diags[0].span.map(|s| s.line), Some(1));
    }

    #[test]
    fn variables_the_deployment_sets_at_run_time_are_unknown_even_with_a_default() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.yaml");
        std::fs::write(&path, "value: \"${env:NODE_IP:-localhost}:4317\"\n").unwrap();
        let mut files = Files::new();
        let id = files.read(&path, None).unwrap();
        let mut diags = Diagnostics::new();
        let root = parse_yaml(&files, id, &mut diags).unwrap().remove(0);
        let mut env = Environment::default();
        env.deploy(
            "NODE_IP",
            crate::collector::env::Given::Runtime("the pod's `status.hostIP`".into()),
        );
        let out = substitute(root, &env, &mut files, &mut diags);
        assert!(out.get("value").unwrap().is_unknown());
        let d: Vec<Diagnostic> = diags.into_iter().collect();
        assert_eq!(codes(&d), [Code::DeploymentValue]);
        assert!(d[0].message.contains("status.hostIP"), "{}", d[0].message);
    }

    #[test]
    fn every_unset_variable_of_a_value_is_reported() {
        let (node, diags) = expand("\"${env:A}:${env:B}\"", &[]);
        assert_eq!(
            node.value,
            Value::Unknown("${env:A} unset; ${env:B} unset".into())
        );
        assert_eq!(diags.len(), 2);
    }

    #[test]
    fn remote_schemes_are_unknown_not_errors() {
        for scheme in [
            "https://example.com/c.yaml",
            "s3://bucket/x",
            "secretsmanager:arn",
            "aes:abc",
        ] {
            let (node, diags) = expand(&format!("${{{scheme}}}"), &[]);
            assert!(node.is_unknown(), "{scheme}");
            assert_eq!(codes(&diags), [Code::UnresolvedReference], "{scheme}");
            assert!(
                !diags[0].message.contains("bucket"),
                "the opaque part is not repeated"
            );
        }
    }

    #[test]
    fn dollar_escapes() {
        assert_eq!(text("\"$${env:X}\"", &[("X", "v")]), "${env:X}");
        assert_eq!(text("\"$$${env:X}\"", &[("X", "v")]), "$v");
        assert_eq!(text("\"$$$${env:X}\"", &[("X", "v")]), "$${env:X}");
        assert_eq!(text("\"$$1 and $$$$\"", &[]), "$1 and $$");
        assert_eq!(text("\"$VAR stays\"", &[("VAR", "no")]), "$VAR stays");
    }

    #[test]
    fn results_are_expanded_again() {
        let vars = [("A", "${env:B}"), ("B", "deep")];
        assert_eq!(text("${env:A}", &vars), "deep");
        let (node, diags) = expand("${env:A}", &[("A", "x${env:A}")]);
        assert!(node.is_unknown());
        assert_eq!(codes(&diags), [Code::ExpansionLimit]);
        let (_, diags) = expand("${env:A}", &[("A", "${env:B}"), ("B", "${env:A}")]);
        assert_eq!(codes(&diags), [Code::ExpansionLimit]);
    }

    #[test]
    fn malformed_references_are_errors() {
        for bad in [
            "${env:1X}",
            "${env:A-B}",
            "${e:x}",
            "${env:$FOO}",
            "\"${1bad:x}\"",
        ] {
            let (node, diags) = expand(bad, &[]);
            assert!(node.is_unknown(), "{bad}");
            assert_eq!(codes(&diags), [Code::InvalidReference], "{bad}");
        }
    }

    #[test]
    fn lists_cannot_be_embedded_in_text() {
        let (_, diags) = expand("\"x ${env:L}\"", &[("L", "[a, b]")]);
        assert_eq!(codes(&diags), [Code::InvalidReference]);
    }

    #[test]
    fn file_references_read_relative_to_the_config_and_keep_their_spans() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("parts")).unwrap();
        std::fs::write(
            dir.path().join("parts/pipes.yaml"),
            "logs:\n  receivers: [otlp]\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("parts/host.txt"), "gw.example.com\n").unwrap();
        let (node, diags, files) = expand_in(dir.path(), "value: ${file:parts/pipes.yaml}\n", &[]);
        assert!(diags.is_empty(), "{diags:?}");
        let receivers = node.get("logs").unwrap().get("receivers").unwrap();
        assert!(files.cite(receivers.span).ends_with("pipes.yaml:2"));
        let (node, _, _) = expand_in(
            dir.path(),
            "value: \"https://${file:parts/host.txt}:443\"\n",
            &[],
        );
        assert_eq!(node.as_str(), Some("https://gw.example.com:443"));
    }

    #[test]
    fn nested_references_resolve_inside_out() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("p.yaml"), "[a, b]\n").unwrap();
        let dir_text = dir.path().to_string_lossy().into_owned();
        let (node, diags, _) = expand_in(
            dir.path(),
            "value: ${file:${env:BASE}/p.yaml}\n",
            &[("BASE", &dir_text)],
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(node.as_seq().map(<[Node]>::len), Some(2));
        let (node, diags, _) = expand_in(dir.path(), "value: ${file:${env:BASE}/p.yaml}\n", &[]);
        assert_eq!(node.value, Value::Unknown("${env:BASE} unset".into()));
        assert_eq!(
            codes(&diags),
            [Code::UnresolvedReference],
            "no error for the unknown path"
        );
    }

    #[test]
    fn a_missing_file_is_an_error_at_the_reference() {
        let dir = tempfile::tempdir().unwrap();
        let (_, diags, files) = expand_in(dir.path(), "a: 1\nvalue: ${file:nope.yaml}\n", &[]);
        assert_eq!(codes(&diags), [Code::FileReferenceMissing]);
        let span = diags[0].span.unwrap();
        assert!(files.cite(span).ends_with("config.yaml:2"));
        assert!(diags[0].message.contains("nope.yaml"));
    }

    #[test]
    fn diagnostics_inside_secrets_never_show_the_secret() {
        for text in [
            "value:\n  headers:\n    authorization: \"Bearer s3cr3t ${env:TOKEN}\"\n",
            "value:\n  endpoint: https://u:s3cr3t@${env:HOST}/v1\n",
        ] {
            let dir = tempfile::tempdir().unwrap();
            let (_, diags, files) = expand_in(dir.path(), text, &[]);
            assert_eq!(codes(&diags), [Code::UnresolvedReference]);
            assert!(diags[0].span.is_some(), "the diagnostic keeps its place");
            for format in [
                crate::diag::Format::Human,
                crate::diag::Format::Short,
                crate::diag::Format::Json,
            ] {
                let shown = crate::diag::render(format, &diags, &files);
                assert!(!shown.contains("s3cr3t"), "{shown}");
            }
        }
    }

    #[test]
    fn keys_are_not_substituted() {
        let dir = tempfile::tempdir().unwrap();
        let (node, _, _) = expand_in(dir.path(), "value:\n  ${env:K}: 1\n", &[("K", "x")]);
        assert!(node.get("${env:K}").is_some());
    }
}
