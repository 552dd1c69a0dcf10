//! The hash functions processors use, with the exact input encodings of the collector,
//! so a simulated hash equals the one the destination would receive.

use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};
use sha3::Sha3_256;

use crate::otlp::AnyValue;

/// Lowercase hex of bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn digest_hex<D: Digest>(data: &[u8]) -> String {
    hex(&D::digest(data))
}

/// SHA-256 hex of text.
pub(crate) fn sha256_hex(text: &str) -> String {
    digest_hex::<Sha256>(text.as_bytes())
}

/// SHA-1 hex of text.
pub(crate) fn sha1_hex(text: &str) -> String {
    digest_hex::<Sha1>(text.as_bytes())
}

/// SHA-512 hex of text.
pub(crate) fn sha512_hex(text: &str) -> String {
    digest_hex::<Sha512>(text.as_bytes())
}

/// MD5 hex of text.
pub(crate) fn md5_hex(text: &str) -> String {
    digest_hex::<Md5>(text.as_bytes())
}

/// SHA3-256 hex of text.
pub(crate) fn sha3_hex(text: &str) -> String {
    digest_hex::<Sha3_256>(text.as_bytes())
}

/// 64-bit FNV-1a of text, as OTTL's `FNV` returns it (the unsigned sum as int64).
pub(crate) fn fnv1a64(text: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h as i64
}

/// The attributes processor's `hash` action: SHA-256 over a typed encoding (strings as
/// UTF-8, ints as 8 little-endian bytes, doubles as their IEEE-754 bits little-endian,
/// bools as one byte). Maps, lists, bytes and empty values become the empty string, and
/// so does the empty string itself (v0.124 hashes only non-empty input; later versions
/// hash it).
pub(crate) fn attribute_hash(value: &AnyValue) -> AnyValue {
    let input: Option<Vec<u8>> = match value {
        AnyValue::Str(s) if s.is_empty() => None,
        AnyValue::Str(s) => Some(s.as_bytes().to_vec()),
        AnyValue::Int(i) => Some(i.to_le_bytes().to_vec()),
        AnyValue::Double(d) => Some(d.to_bits().to_le_bytes().to_vec()),
        AnyValue::Bool(b) => Some(vec![u8::from(*b)]),
        _ => None,
    };
    AnyValue::Str(input.map(|b| digest_hex::<Sha256>(&b)).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_sha256_matches_the_collector_test_vectors() {
        // Values from the collector's attraction tests (see the conformance cases).
        assert_eq!(
            attribute_hash(&AnyValue::str("foo")),
            AnyValue::str("2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae")
        );
        assert_eq!(
            attribute_hash(&AnyValue::Bool(true)),
            AnyValue::str("4bf5122f344554c53bde2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459a")
        );
        assert_eq!(attribute_hash(&AnyValue::Array(vec![])), AnyValue::str(""));
        assert_eq!(attribute_hash(&AnyValue::str("")), AnyValue::str(""));
    }

    #[test]
    fn fnv1a_known_vector() {
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c.
        assert_eq!(fnv1a64("a"), 0xaf63_dc4c_8601_ec8c_u64 as i64);
    }

    #[test]
    fn md5_and_sha3_hex() {
        assert_eq!(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(
            sha3_hex(""),
            "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"
        );
    }
}
