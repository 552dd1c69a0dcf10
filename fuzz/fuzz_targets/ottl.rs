//! The OTTL parser: any text is a statement, a condition, a value or an error at a column
//! of the text; a parsed statement or condition then has its paths' contexts resolved for
//! every signal, with and without an explicit context, as the transform and filter
//! processors do.
#![no_main]

use libfuzzer_sys::fuzz_target;
use otel_dpia::ottl::{
    Context, ParseError, Signal, parse_condition, parse_statement, parse_value, resolve_group,
};

/// An error must name a column of the text (or the one just after it).
fn located<T>(text: &str, result: Result<T, ParseError>) -> Option<T> {
    result
        .map_err(|e| {
            let len = text.chars().count();
            assert!(
                e.col >= 1 && e.col <= len + 1,
                "column {} of {len}: {e}",
                e.col
            );
        })
        .ok()
}

fuzz_target!(|text: &str| {
    let statement = located(text, parse_statement(text));
    let condition = located(text, parse_condition(text));
    located(text, parse_value(text));
    for signal in [Signal::Logs, Signal::Metrics, Signal::Traces] {
        let explicit = Context::for_signal(signal).iter().copied().map(Some);
        for context in std::iter::once(None).chain(explicit) {
            let mut statements: Vec<_> = statement.iter().cloned().collect();
            let mut conditions: Vec<_> = condition.iter().cloned().collect();
            if let Err((_, e)) = resolve_group(signal, context, &mut statements, &mut conditions) {
                assert!(!e.message.is_empty());
            }
        }
    }
});
