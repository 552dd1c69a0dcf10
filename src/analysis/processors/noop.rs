//! Processors that change how data is batched, sampled or aggregated in time, but never
//! which attribute keys or values travel (SEMANTICS B.10, B.11).

/// Types whose effect on attributes is nothing (they may drop whole items or change
/// numbers, which a may-reach analysis does not need).
const NO_DATA_EFFECT: &[&str] = &[
    "batch",
    "memory_limiter",
    "groupbytrace",
    "cumulativetodelta",
    "deltatocumulative",
    "deltatorate",
    "interval",
    "metricstarttime",
];

/// True when the type has no effect on attribute keys and values.
pub fn has_no_data_effect(kind: &str) -> bool {
    NO_DATA_EFFECT.contains(&kind)
}
