//! OTTL comparisons: nil equals only nil; numbers compare across int and double;
//! strings and bytes compare lexically; booleans, maps and lists only for (in)equality;
//! values of different kinds are unequal and never ordered.

use std::cmp::Ordering;

use crate::otlp::AnyValue;
use crate::ottl::CompareOp;

/// Evaluates `l op r`.
pub(crate) fn compare(l: &AnyValue, op: CompareOp, r: &AnyValue) -> bool {
    match order(l, r) {
        Some(Some(ord)) => match op {
            CompareOp::Eq => ord == Ordering::Equal,
            CompareOp::Ne => ord != Ordering::Equal,
            CompareOp::Lt => ord == Ordering::Less,
            CompareOp::Le => ord != Ordering::Greater,
            CompareOp::Gt => ord == Ordering::Greater,
            CompareOp::Ge => ord != Ordering::Less,
        },
        // Comparable for equality only.
        Some(None) => match op {
            CompareOp::Eq => l == r,
            CompareOp::Ne => l != r,
            _ => false,
        },
        // Not comparable: unequal.
        None => op == CompareOp::Ne,
    }
}

/// `Some(Some(ordering))` for ordered kinds, `Some(None)` for kinds that only support
/// equality, `None` for mismatched kinds.
fn order(l: &AnyValue, r: &AnyValue) -> Option<Option<Ordering>> {
    use AnyValue::*;
    Some(match (l, r) {
        (Empty, Empty) => Some(Ordering::Equal),
        (Int(a), Int(b)) => Some(a.cmp(b)),
        (Int(a), Double(b)) => (*a as f64).partial_cmp(b),
        (Double(a), Int(b)) => a.partial_cmp(&(*b as f64)),
        (Double(a), Double(b)) => a.partial_cmp(b),
        (Str(a), Str(b)) => Some(a.cmp(b)),
        (Bytes(a), Bytes(b)) => Some(a.cmp(b)),
        (Bool(_), Bool(_)) | (Map(_), Map(_)) | (Array(_), Array(_)) => None,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_kinds_are_unequal_and_unordered() {
        let one = AnyValue::Int(1);
        let s = AnyValue::str("1");
        assert!(!compare(&one, CompareOp::Eq, &s));
        assert!(compare(&one, CompareOp::Ne, &s));
        assert!(!compare(&one, CompareOp::Lt, &s));
        assert!(compare(&one, CompareOp::Eq, &AnyValue::Double(1.0)));
        assert!(compare(&AnyValue::Empty, CompareOp::Eq, &AnyValue::Empty));
        assert!(!compare(&AnyValue::Empty, CompareOp::Eq, &one));
        assert!(!compare(
            &AnyValue::Bool(true),
            CompareOp::Gt,
            &AnyValue::Bool(false)
        ));
        assert!(compare(
            &AnyValue::str("a"),
            CompareOp::Lt,
            &AnyValue::str("b")
        ));
    }
}
