//! Splits OTTL text into tokens, each with its 1-based column.

use super::ParseError;

/// One token.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// A name: `set`, `attributes`, `SHA256`, `IsMatch`, `and`, `where`, …
    Ident(String),
    /// A string literal, unescaped.
    Str(String),
    /// An integer literal (unsigned; a sign is a separate token).
    Int(i64),
    /// A float literal (unsigned).
    Float(f64),
    /// A bytes literal `0x…`.
    Bytes(Vec<u8>),
    /// Punctuation or an operator: `( ) [ ] { } , . : = == != < <= > >= + - * /`.
    Punct(&'static str),
}

/// A token and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// The token.
    pub tok: Tok,
    /// 1-based column in characters.
    pub col: usize,
}

const PUNCT: &[&str] = &[
    "==", "!=", "<=", ">=", "(", ")", "[", "]", "{", "}", ",", ".", ":", "=", "<", ">", "+", "-",
    "*", "/",
];

/// Tokenises a statement or condition.
pub fn lex(text: &str) -> Result<Vec<Token>, ParseError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        if c.is_whitespace() {
            i += 1;
        } else if c == '"' {
            let (s, next) = lex_string(&chars, i)?;
            out.push(Token {
                tok: Tok::Str(s),
                col,
            });
            i = next;
        } else if c == '0' && matches!(chars.get(i + 1), Some('x') | Some('X')) {
            let (b, next) = lex_bytes(&chars, i)?;
            out.push(Token {
                tok: Tok::Bytes(b),
                col,
            });
            i = next;
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            let (t, next) = lex_number(&chars, i)?;
            out.push(Token { tok: t, col });
            i = next;
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Ident(chars[start..i].iter().collect()),
                col,
            });
        } else if let Some(p) = PUNCT.iter().find(|p| starts_with(&chars, i, p)) {
            out.push(Token {
                tok: Tok::Punct(p),
                col,
            });
            i += p.chars().count();
        } else {
            return Err(ParseError::new(col, format!("unexpected character `{c}`")));
        }
    }
    Ok(out)
}

fn starts_with(chars: &[char], at: usize, p: &str) -> bool {
    p.chars()
        .enumerate()
        .all(|(k, pc)| chars.get(at + k) == Some(&pc))
}

/// A string literal: `"` … `"` with backslash escapes. OTTL keeps unknown escapes as
/// written (`"\d"` stays `\d`, which regexes need).
fn lex_string(chars: &[char], start: usize) -> Result<(String, usize), ParseError> {
    let mut s = String::new();
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '"' => return Ok((s, i + 1)),
            '\\' => {
                let next = *chars
                    .get(i + 1)
                    .ok_or_else(|| ParseError::new(start + 1, "unterminated string"))?;
                match next {
                    '"' => s.push('"'),
                    '\\' => s.push('\\'),
                    'n' => s.push('\n'),
                    't' => s.push('\t'),
                    'r' => s.push('\r'),
                    other => {
                        s.push('\\');
                        s.push(other);
                    }
                }
                i += 2;
            }
            c => {
                s.push(c);
                i += 1;
            }
        }
    }
    Err(ParseError::new(
        start + 1,
        "unterminated string: add the closing `\"`",
    ))
}

fn lex_bytes(chars: &[char], start: usize) -> Result<(Vec<u8>, usize), ParseError> {
    let mut i = start + 2;
    let digits_start = i;
    while i < chars.len() && chars[i].is_ascii_hexdigit() {
        i += 1;
    }
    let hex: String = chars[digits_start..i].iter().collect();
    if hex.is_empty() || !hex.len().is_multiple_of(2) {
        return Err(ParseError::new(
            start + 1,
            "a bytes literal needs an even number of hex digits after `0x`",
        ));
    }
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|k| u8::from_str_radix(&hex[k..k + 2], 16).expect("hex digits"))
        .collect();
    Ok((bytes, i))
}

fn lex_number(chars: &[char], start: usize) -> Result<(Tok, usize), ParseError> {
    let mut i = start;
    let mut is_float = false;
    while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
        if chars[i] == '.' {
            if is_float || !chars.get(i + 1).is_some_and(char::is_ascii_digit) {
                break;
            }
            is_float = true;
        }
        i += 1;
    }
    if i < chars.len() && matches!(chars[i], 'e' | 'E') && is_float {
        let mut j = i + 1;
        if j < chars.len() && matches!(chars[j], '+' | '-') {
            j += 1;
        }
        if j < chars.len() && chars[j].is_ascii_digit() {
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    let text: String = chars[start..i].iter().collect();
    let bad = || ParseError::new(start + 1, format!("`{text}` is not a valid number"));
    let tok = if is_float {
        Tok::Float(text.parse().map_err(|_| bad())?)
    } else {
        Tok::Int(text.parse().map_err(|_| bad())?)
    };
    Ok((tok, i))
}
