//! macOS policy: a managed-preferences property list (`com.anthropic.claudecode.plist`) or
//! a configuration profile (`.mobileconfig`), XML or binary.
//!
//! A plain property list holds the settings keys at its top level. A profile holds them in
//! one entry of its `PayloadContent` array. The payload chosen is the first whose
//! `PayloadType` is `com.anthropic.claudecode`; failing that, the first that has an `env`
//! dictionary (profiles made with generic tools often use another type). Signed profiles
//! (CMS envelopes) are not read: export the unsigned profile.
//!
//! Property lists carry no positions, so spans are found by searching the XML text for
//! each `<key>` in document order; for a binary list every span is the file's first line.

use std::path::Path;

use super::plist_read::{self, Refused};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::{FileId, Files, Span};
use crate::tree::{Entry, Node, Scalar, Value};

const UNREADABLE_HINT: &str = "give an XML or binary .plist, or an unsigned .mobileconfig (a signed profile must be exported unsigned first)";

/// Keys the locator may fail to find before it stops looking: each miss searches the rest
/// of the text, so unbounded misses would cost quadratic time.
const MAX_MISSES: usize = 16;

/// The payload type of Claude Code's managed preferences.
pub const PAYLOAD_TYPE: &str = "com.anthropic.claudecode";

/// The text a binary property list is registered with, so that spans into it work.
const BINARY_TEXT: &str = "(binary property list)\n";

/// Reads a property list or profile and returns the Claude Code settings object in it.
pub fn read_profile(
    files: &mut Files,
    path: &Path,
    named_at: Option<Span>,
    diags: &mut Diagnostics,
) -> Option<(FileId, Node)> {
    let (file, bytes) = load(files, path, named_at, diags)?;
    convert(files, file, &bytes, diags)
}

/// Reads a property list or profile given as bytes, registered in the file store under
/// `display`, and returns the Claude Code settings object in it.
pub fn read_profile_bytes(
    files: &mut Files,
    display: &str,
    bytes: &[u8],
    diags: &mut Diagnostics,
) -> Option<(FileId, Node)> {
    let text = std::str::from_utf8(bytes).unwrap_or(BINARY_TEXT);
    let file = files.add(display, text);
    convert(files, file, bytes, diags)
}

/// Converts the bytes of the property list registered as `file`.
fn convert(
    files: &Files,
    file: FileId,
    bytes: &[u8],
    diags: &mut Diagnostics,
) -> Option<(FileId, Node)> {
    let value = match plist_read::read(bytes) {
        Ok(v) => v,
        Err(Refused::Syntax(err)) => {
            diags.push(
                Diagnostic::new(
                    Code::PlistSyntax,
                    format!("not a readable property list: {err}"),
                )
                .at(Files::whole(file))
                .hint(UNREADABLE_HINT),
            );
            return None;
        }
        Err(Refused::Limit(code, message)) => {
            let hint = if code == Code::PlistSyntax {
                UNREADABLE_HINT
            } else {
                "no managed-preferences list is this large; check that this is the file meant"
            };
            diags.push(
                Diagnostic::new(code, message)
                    .at(Files::whole(file))
                    .hint(hint),
            );
            return None;
        }
    };
    let mut locator = Locator {
        text: String::from_utf8_lossy(bytes).into_owned(),
        cursor: 0,
        file,
        misses: 0,
    };
    let root = locator.node(&value, files);
    select_payload(root, file, diags)
}

/// Reads the bytes; a binary list is registered with a placeholder text so spans work.
fn load(
    files: &mut Files,
    path: &Path,
    named_at: Option<Span>,
    diags: &mut Diagnostics,
) -> Option<(FileId, Vec<u8>)> {
    match files.read(path, named_at) {
        Ok(id) => Some((id, files.get(id).text.clone().into_bytes())),
        Err(d) if d.code == Code::NotUtf8 => match files.read_bytes(path, named_at) {
            Ok(bytes) => {
                let display = path.to_string_lossy().into_owned();
                Some((files.add(display, BINARY_TEXT), bytes))
            }
            Err(d) => {
                diags.push(d);
                None
            }
        },
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

fn select_payload(root: Node, file: FileId, diags: &mut Diagnostics) -> Option<(FileId, Node)> {
    if root.as_map().is_none() {
        diags.push(
            Diagnostic::new(
                Code::SettingsWrongType,
                "the property list's top level is not a dictionary",
            )
            .at(root.span)
            .hint("a managed-preferences list or profile has a <dict> at its top level"),
        );
        return None;
    }
    let Some(payloads) = root.get("PayloadContent").and_then(Node::as_seq) else {
        return Some((file, root));
    };
    let by_type = payloads
        .iter()
        .find(|p| p.get("PayloadType").and_then(Node::as_str) == Some(PAYLOAD_TYPE));
    let with_env = || {
        payloads
            .iter()
            .find(|p| p.get("env").and_then(Node::as_map).is_some())
    };
    match by_type.or_else(with_env) {
        Some(payload) => Some((file, payload.clone())),
        None => {
            diags.push(
                Diagnostic::new(Code::PlistSyntax, "the profile has no payload for Claude Code")
                    .at(root.span)
                    .hint(format!("add a payload with PayloadType `{PAYLOAD_TYPE}` holding the settings keys (env, …)")),
            );
            None
        }
    }
}

/// Walks the text in document order to give each converted value a span.
struct Locator {
    text: String,
    cursor: usize,
    file: FileId,
    /// Keys and elements not found so far (see [`MAX_MISSES`]).
    misses: usize,
}

impl Locator {
    fn node(&mut self, value: &plist::Value, files: &Files) -> Node {
        let span = self.next_element(files);
        let value = match value {
            plist::Value::Dictionary(dict) => {
                let entries = dict
                    .iter()
                    .map(|(key, v)| {
                        let key_span = self.key(key, files);
                        Entry {
                            key: key.clone(),
                            key_span,
                            value: self.node(v, files),
                        }
                    })
                    .collect();
                Value::Map(entries)
            }
            plist::Value::Array(items) => {
                Value::Seq(items.iter().map(|v| self.node(v, files)).collect())
            }
            plist::Value::String(s) => scalar(s.clone(), true),
            plist::Value::Boolean(b) => scalar(b.to_string(), false),
            plist::Value::Integer(i) => scalar(i.to_string(), false),
            plist::Value::Real(r) => scalar(r.to_string(), false),
            plist::Value::Date(d) => scalar(d.to_xml_format(), true),
            plist::Value::Uid(u) => scalar(u.get().to_string(), false),
            plist::Value::Data(_) => Value::Unknown("binary data".to_string()),
            _ => Value::Unknown("an unsupported property-list value".to_string()),
        };
        Node::new(value, span)
    }

    /// The span of `<key>KEY</key>` after the cursor, moving past it.
    fn key(&mut self, key: &str, files: &Files) -> Span {
        if self.misses >= MAX_MISSES {
            return Files::whole(self.file);
        }
        let needle = format!("<key>{}</key>", escape(key));
        match self.text[self.cursor..].find(&needle) {
            Some(at) => {
                let start = self.cursor + at;
                self.cursor = start + needle.len();
                files.span_at(self.file, start + 5, key.chars().count())
            }
            None => {
                self.misses += 1;
                Files::whole(self.file)
            }
        }
    }

    /// The span of the next element start after the cursor (the value after a key).
    fn next_element(&mut self, files: &Files) -> Span {
        let rest = &self.text[self.cursor..];
        let skip = |r: &str| {
            ["<?", "<!", "</", "<plist"]
                .iter()
                .any(|p| r.starts_with(p))
        };
        let mut from = 0;
        while let Some(at) = rest[from..].find('<') {
            let start = from + at;
            if skip(&rest[start..]) {
                from = start + 1;
                continue;
            }
            self.cursor += start + 1;
            return files.span_at(self.file, self.cursor - 1, 1);
        }
        // Past the last element: later calls start where this one ended.
        self.cursor = self.text.len();
        Files::whole(self.file)
    }
}

fn scalar(text: String, quoted: bool) -> Value {
    Value::Scalar(Scalar { text, quoted })
}

fn escape(key: &str) -> String {
    key.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROFILE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>PayloadContent</key>
  <array>
    <dict>
      <key>PayloadType</key>
      <string>com.example.other</string>
      <key>env</key>
      <dict><key>X</key><string>1</string></dict>
    </dict>
    <dict>
      <key>PayloadType</key>
      <string>com.anthropic.claudecode</string>
      <key>env</key>
      <dict>
        <key>CLAUDE_CODE_ENABLE_TELEMETRY</key>
        <string>1</string>
      </dict>
    </dict>
  </array>
  <key>PayloadType</key>
  <string>Configuration</string>
</dict>
</plist>
"#;

    #[test]
    fn picks_the_claude_code_payload_with_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.mobileconfig");
        std::fs::write(&path, PROFILE).unwrap();
        let mut files = Files::new();
        let mut diags = Diagnostics::new();
        let (_, node) = read_profile(&mut files, &path, None, &mut diags).unwrap();
        let entry = node
            .get("env")
            .unwrap()
            .entry("CLAUDE_CODE_ENABLE_TELEMETRY")
            .unwrap();
        assert_eq!(entry.key_span.line, 18);
        assert_eq!(entry.value.as_str(), Some("1"));
        assert_eq!(entry.value.span.line, 19);
        assert!(diags.is_empty());
    }

    #[test]
    fn reads_binary_lists() {
        let mut dict = plist::Dictionary::new();
        let mut env = plist::Dictionary::new();
        env.insert("A".into(), plist::Value::String("1".into()));
        dict.insert("env".into(), plist::Value::Dictionary(env));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.plist");
        plist::Value::Dictionary(dict)
            .to_file_binary(&path)
            .unwrap();
        let mut files = Files::new();
        let mut diags = Diagnostics::new();
        let (_, node) = read_profile(&mut files, &path, None, &mut diags).unwrap();
        assert_eq!(
            node.get("env").unwrap().get("A").unwrap().as_str(),
            Some("1")
        );
    }
}
