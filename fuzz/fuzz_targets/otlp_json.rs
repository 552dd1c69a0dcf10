//! OTLP/JSON export requests (the captures `simulate` reads): any text is a request or an
//! error at a line and column. A request read once is written and read again, and must
//! come back the same, so the writer never produces what the reader refuses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use otel_dpia::otlp::{read_request, write_request};

fuzz_target!(|text: &str| {
    let Ok(data) = read_request(text) else {
        return;
    };
    let written = write_request(&data);
    let again = read_request(&written)
        .unwrap_or_else(|e| panic!("the written request does not read back: {e:?}\n{written}"));
    assert_eq!(write_request(&again), written, "writing is not stable");
});
