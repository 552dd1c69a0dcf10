//! OTLP captures in either encoding (what `simulate --otlp` and `receive` read): any bytes
//! are a request or an error. A request read once is written as OTLP/JSON and read again,
//! and sent as protobuf and decoded again, and must come back the same both ways, so
//! nothing read from protobuf is beyond what the JSON reader takes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use otel_dpia::otlp::{proto, read_capture, read_request, write_request};

fuzz_target!(|bytes: &[u8]| {
    let Ok(data) = read_capture(bytes, "capture.pb") else {
        return;
    };
    let written = write_request(&data);
    let again = read_request(&written)
        .unwrap_or_else(|e| panic!("the written request does not read back: {e:?}\n{written}"));
    assert_eq!(write_request(&again), written, "writing is not stable");
    // Ids read from JSON may be any text; only hex ids have a protobuf form.
    if let Ok(encoded) = proto::encode(&data) {
        let decoded = proto::decode(proto::Signal::of(&data), &encoded)
            .unwrap_or_else(|e| panic!("the encoded request does not decode: {e:?}"));
        assert_eq!(write_request(&decoded), written, "protobuf changed the request");
    }
});
