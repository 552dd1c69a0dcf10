//! A property list read event by event into a [`plist::Value`], within the limits.
//!
//! `plist::Value::from_reader` has no bound on what it builds: it nests as deep as the file
//! does (and every later stage recurses), and a binary list may refer to one object from
//! many places, so forty objects referring twice to the next describe a tree of 2⁴⁰ nodes.
//! Here the events of `plist`'s own reader are counted (like YAML aliases, at most as many
//! as the file has bytes, at least [`limits::ALIAS_NODES_FLOOR`]), nesting is capped at
//! [`limits::MAX_DEPTH`] and every string at [`limits::MAX_SCALAR_LEN`].

use std::io::Cursor;

use plist::stream::{Event, Reader};
use plist::{Dictionary, Value};

use crate::diag::Code;
use crate::limits::{self, describe_size};

/// Why a property list was not read.
pub enum Refused {
    /// It is not a property list `plist` can read.
    Syntax(plist::Error),
    /// It passes a limit: the code and what to say.
    Limit(Code, String),
}

/// A container being filled.
enum Open {
    Array(Vec<Value>),
    /// A dictionary and the key whose value comes next, once its key was read.
    Dict(Dictionary, Option<String>),
}

/// Reads the whole list.
pub fn read(bytes: &[u8]) -> Result<Value, Refused> {
    let budget = limits::alias_budget(bytes.len());
    let mut open: Vec<Open> = Vec::new();
    let mut events = 0usize;
    for event in Reader::new(Cursor::new(bytes)) {
        let event = event.map_err(Refused::Syntax)?;
        events += 1;
        if events > budget {
            return Err(Refused::Limit(
                Code::AliasExpansion,
                format!(
                    "the property list expands to more than {budget} values, the most a list of {} may have (a binary list can refer to one object from many places)",
                    describe_size(bytes.len() as u64)
                ),
            ));
        }
        let value = match event {
            Event::StartArray(_) | Event::StartDictionary(_) if open.len() >= limits::MAX_DEPTH => {
                return Err(Refused::Limit(
                    Code::NestingTooDeep,
                    format!(
                        "the property list nests dictionaries and arrays deeper than {} levels",
                        limits::MAX_DEPTH
                    ),
                ));
            }
            Event::StartArray(_) => {
                open.push(Open::Array(Vec::new()));
                continue;
            }
            Event::StartDictionary(_) => {
                open.push(Open::Dict(Dictionary::new(), None));
                continue;
            }
            Event::EndCollection => match open.pop() {
                Some(Open::Array(items)) => Value::Array(items),
                Some(Open::Dict(dict, None)) => Value::Dictionary(dict),
                Some(Open::Dict(_, Some(key))) => {
                    return Err(malformed(&format!("the key `{key}` has no value")));
                }
                None => return Err(malformed("a collection ends that was never started")),
            },
            Event::String(s) => Value::String(checked(s.into_owned())?),
            Event::Data(d) if d.len() > limits::MAX_SCALAR_LEN => {
                return Err(too_long(d.len()));
            }
            Event::Data(d) => Value::Data(d.into_owned()),
            Event::Boolean(b) => Value::Boolean(b),
            Event::Date(d) => Value::Date(d),
            Event::Integer(i) => Value::Integer(i),
            Event::Real(r) => Value::Real(r),
            Event::Uid(u) => Value::Uid(u),
            _ => {
                return Err(malformed(
                    "it holds a kind of value this reader does not know",
                ));
            }
        };
        if let Some(done) = place(&mut open, value)? {
            return Ok(done);
        }
    }
    Err(malformed("it ends before its top-level value does"))
}

/// Puts a finished value into the open container; the value itself when it is the root.
fn place(open: &mut [Open], value: Value) -> Result<Option<Value>, Refused> {
    match open.last_mut() {
        None => Ok(Some(value)),
        Some(Open::Array(items)) => {
            items.push(value);
            Ok(None)
        }
        Some(Open::Dict(dict, pending)) => match (pending.take(), value) {
            (Some(key), value) => {
                dict.insert(key, value);
                Ok(None)
            }
            (None, Value::String(key)) => {
                *pending = Some(key);
                Ok(None)
            }
            (None, _) => Err(malformed("a dictionary key is not a string")),
        },
    }
}

fn checked(text: String) -> Result<String, Refused> {
    if text.len() > limits::MAX_SCALAR_LEN {
        return Err(too_long(text.len()));
    }
    Ok(text)
}

fn too_long(len: usize) -> Refused {
    Refused::Limit(
        Code::ValueTooLong,
        format!(
            "the property list holds a value of {}, more than the {} one value may have",
            describe_size(len as u64),
            describe_size(limits::MAX_SCALAR_LEN as u64)
        ),
    )
}

fn malformed(why: &str) -> Refused {
    Refused::Limit(
        Code::PlistSyntax,
        format!("not a readable property list: {why}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xml(body: &str) -> Vec<u8> {
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n{body}\n</plist>\n")
            .into_bytes()
    }

    #[test]
    fn reads_what_plist_reads() {
        let v = read(&xml("<dict><key>env</key><dict><key>A</key><string>1</string></dict><key>n</key><array><integer>2</integer></array></dict>")).ok().unwrap();
        let env = v.as_dictionary().unwrap().get("env").unwrap();
        assert_eq!(
            env.as_dictionary().unwrap().get("A").unwrap().as_string(),
            Some("1")
        );
    }

    #[test]
    fn deep_nesting_and_shared_objects_are_refused() {
        let deep = xml(&format!(
            "{}{}",
            "<array>".repeat(200),
            "</array>".repeat(200)
        ));
        assert!(matches!(
            read(&deep),
            Err(Refused::Limit(Code::NestingTooDeep, _))
        ));
        // Each array holds the next one twice: 2^40 leaves from a few hundred bytes.
        let binary = shared_binary(40);
        assert!(binary.len() < 1_000, "{}", binary.len());
        assert!(matches!(
            read(&binary),
            Err(Refused::Limit(Code::AliasExpansion, _))
        ));
    }

    /// A binary property list of `n` arrays, each holding the next one twice, and `true`.
    fn shared_binary(n: u8) -> Vec<u8> {
        let mut out = b"bplist00".to_vec();
        let mut offsets = Vec::new();
        for i in 0..n {
            offsets.push(out.len());
            out.extend([0xA2, i + 1, i + 1]);
        }
        offsets.push(out.len());
        out.push(0x09);
        let table = out.len();
        for o in &offsets {
            out.extend(u16::try_from(*o).unwrap().to_be_bytes());
        }
        out.extend([0; 6]);
        out.extend([2, 1]);
        out.extend((offsets.len() as u64).to_be_bytes());
        out.extend(0u64.to_be_bytes());
        out.extend((table as u64).to_be_bytes());
        out
    }
}
