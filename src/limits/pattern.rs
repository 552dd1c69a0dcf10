//! Regular expressions taken from configurations (attribute and filter matches, redaction
//! patterns, OTTL `IsMatch`, `replace_pattern`, …), compiled in one place with bounded cost.
//!
//! Patterns are written for Go's `regexp`; [`go_syntax`] gives their Perl classes Go's ASCII
//! meaning before compiling, so that a match here is a match in the collector.
//!
//! The `regex` crate matches in linear time, but compiling is where a pattern costs: a few
//! characters such as `\pL{100}` build megabytes of automaton. So every pattern is compiled
//! with a size limit, first a small one and then larger ones, and what each compiled pattern
//! may have cost is charged to a budget for the whole run, so many heavy patterns cannot
//! add up either. A pattern is compiled once per run: consumers ask again for every item
//! they test. A pattern over a limit is reported as such; every consumer then treats it as
//! it treats a pattern it cannot read (the component is not understood), which is sound.

use std::cell::RefCell;
use std::collections::HashMap;

use regex::{Regex, RegexBuilder};

use super::describe_size;
use super::go_syntax;

/// The most one pattern may compile to: 1 MiB of automaton (the `regex` crate allows 10 MiB
/// by default). Real patterns need a few kilobytes; a Unicode class repeated a few dozen
/// times (`\pL{40}`) is the first that does not fit. Compiling up to this takes milliseconds.
pub const SIZE_LIMIT: usize = 1024 * 1024;

/// The most memory one pattern's lazy DFA may cache while matching: 1 MiB (default 2 MiB).
/// Over it, the `regex` crate clears the cache or matches more slowly, never wrongly.
pub const DFA_SIZE_LIMIT: usize = 1024 * 1024;

/// What all patterns of one run may cost together: 64 MiB, charged per pattern at the size
/// limit it was compiled under (4 KiB, 64 KiB or 1 MiB). That is sixteen thousand plain
/// patterns, a thousand medium ones or sixty-four at the largest size, a few hundred
/// milliseconds of compiling in all.
pub const TOTAL_BUDGET: usize = 64 * 1024 * 1024;

/// The size limits tried in turn: small patterns are charged little.
const TIERS: [usize; 3] = [4 * 1024, 64 * 1024, SIZE_LIMIT];

/// Why a pattern was not compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    /// The pattern is not valid syntax; the text says why (last line of the parser's message).
    Syntax(String),
    /// Compiling it would pass a limit; the text says which.
    TooLarge(String),
}

impl PatternError {
    /// True when the pattern may be valid but is over a limit of this tool.
    pub fn is_limit(&self) -> bool {
        matches!(self, PatternError::TooLarge(_))
    }

    /// What is wrong, in a few words (without the pattern).
    pub fn reason(&self) -> &str {
        match self {
            PatternError::Syntax(s) | PatternError::TooLarge(s) => s,
        }
    }
}

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.reason())
    }
}

/// The hint every consumer gives for a pattern over a limit.
pub const TOO_LARGE_HINT: &str = "write a smaller pattern (an ASCII class such as `[A-Za-z]` instead of `\\pL` is far smaller than a Unicode one, and fewer repetitions), or split it";

#[derive(Default)]
struct State {
    compiled: HashMap<String, Result<Regex, PatternError>>,
    spent: usize,
}

thread_local! {
    // One run of the command line is one thread; tests running side by side get their own.
    static STATE: RefCell<State> = RefCell::new(State::default());
}

/// Compiles a pattern in Go RE2 syntax, with Go's meaning of `\d`, `\w`, `\s` and `\b`,
/// within the limits, or says why not.
pub fn compile(pattern: &str) -> Result<Regex, PatternError> {
    STATE.with(|state| {
        let mut state = state.borrow_mut();
        if let Some(done) = state.compiled.get(pattern) {
            return done.clone();
        }
        let result = compile_charged(pattern, &mut state.spent);
        state.compiled.insert(pattern.to_string(), result.clone());
        result
    })
}

fn compile_charged(pattern: &str, spent: &mut usize) -> Result<Regex, PatternError> {
    for limit in TIERS {
        if spent.saturating_add(limit) > TOTAL_BUDGET {
            return Err(PatternError::TooLarge(format!(
                "the patterns read so far have used the {} all patterns of one run may compile to",
                describe_size(TOTAL_BUDGET as u64)
            )));
        }
        match RegexBuilder::new(&go_syntax::to_rust(pattern))
            .size_limit(limit)
            .dfa_size_limit(DFA_SIZE_LIMIT)
            .build()
        {
            Ok(re) => {
                *spent += limit;
                return Ok(re);
            }
            Err(regex::Error::CompiledTooBig(_)) => {}
            Err(e) => {
                let text = e.to_string();
                let last = text.lines().last().unwrap_or_default().trim();
                return Err(PatternError::Syntax(last.to_string()));
            }
        }
    }
    Err(PatternError::TooLarge(format!(
        "it compiles to more than {}, the most one pattern may",
        describe_size(SIZE_LIMIT as u64)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_patterns_compile_once_and_heavy_ones_are_refused() {
        let re = compile("^claude_code\\..*").unwrap();
        assert!(re.is_match("claude_code.cost.usage"));
        assert!(compile("^claude_code\\..*").is_ok());
        let heavy = compile("(\\pL{10}){30}").unwrap_err();
        assert!(heavy.is_limit(), "{heavy:?}");
        let bad = compile("(unclosed").unwrap_err();
        assert!(!bad.is_limit());
        assert!(bad.reason().contains("unclosed"), "{bad:?}");
    }

    #[test]
    fn many_heavy_patterns_exhaust_the_run_budget() {
        let limited = (0..100)
            .map(|i| compile(&format!("\\pL{{20}}x{i}")))
            .filter(|r| r.as_ref().is_err_and(PatternError::is_limit))
            .count();
        // 64 MiB / 1 MiB: the budget runs out after 64 patterns of the largest size.
        assert!(limited >= 30, "{limited} refused");
    }
}
