//! How large an input may be, in every dimension that costs time or memory.
//!
//! Every reader checks its own dimension and, past the limit, reports a located error with a
//! code of its own instead of going on: no input, however large or hostile, may take
//! unbounded time or memory, and a limit must never be hit silently (a truncated
//! configuration would give an unsound data map). The numbers are far above what real
//! deployments write, so a limit is only ever met by a broken or hostile file; each says
//! below why it is what it is. Only the size of an input file can be changed, with
//! `--max-input-size` or `OTEL_DPIA_MAX_INPUT_SIZE`: everything else is fixed, so that a
//! result does not depend on the machine it was made on.

pub mod go_syntax;
pub mod pattern;
mod size;

pub use size::parse_size;

/// The largest input file read, in bytes, unless `--max-input-size` says otherwise: 16 MiB.
/// The largest real inputs (a Helm chart's values with every subchart, a managed-settings
/// file with long permission lists, a day of captured OTLP) are a few hundred kilobytes;
/// the whole file is held in memory, several times over while it is parsed.
pub const DEFAULT_MAX_INPUT_SIZE: u64 = 16 * 1024 * 1024;

/// The deepest nesting of mappings and lists in any configuration tree (YAML, JSON, TOML,
/// property lists, OTLP/JSON): 128 levels, the depth `serde_json` allows. Real files nest
/// fewer than 20 levels (a Kubernetes manifest holding a collector configuration); every later
/// stage walks the tree recursively, so depth is stack.
pub const MAX_DEPTH: usize = 128;

/// The longest single value or key, in bytes: 1 MiB. The longest real values are inline
/// certificate bundles (some tens of kilobytes); values are copied, compared and searched
/// by several stages.
pub const MAX_SCALAR_LEN: usize = 1024 * 1024;

/// The fewest nodes YAML aliases (`*name`) may add to a document, whatever its size (see
/// [`alias_budget`]). Real files reuse a few anchors a few times, adding hundreds of nodes.
pub const ALIAS_NODES_FLOOR: usize = 100_000;

/// How many nodes YAML aliases may add to a document of `bytes` bytes: as many as the
/// document has bytes, and at least [`ALIAS_NODES_FLOOR`]. An alias copies the anchored
/// node, so nine aliases of nine aliases (a "billion laughs" bomb of two kilobytes) would
/// build a tree of 9⁹ nodes; with this budget an expanded document is at most about twice
/// what the same file could write out, and the bomb is stopped after 100 000 nodes.
pub fn alias_budget(bytes: usize) -> usize {
    bytes.max(ALIAS_NODES_FLOOR)
}

/// The most collectors one run follows: 1 000. A deployment has a handful (an agent per host
/// type, a gateway or two); every route through them is followed.
pub const MAX_COLLECTORS: usize = 1_000;

/// The most pipelines of one collector: 100 000. Large generated configurations have some
/// thousands (one per tenant); ten thousand must be analysed, and are benchmarked.
pub const MAX_PIPELINES: usize = 100_000;

/// The most components (receivers, processors, exporters, connectors and extensions
/// together) of one collector: 100 000, for the same reason as [`MAX_PIPELINES`].
pub const MAX_COMPONENTS: usize = 100_000;

/// The longest OTTL statement or condition, in bytes: 64 KiB. Real statements are a line;
/// the longest (a `replace_pattern` with a long alternation) a few kilobytes.
pub const MAX_OTTL_LEN: usize = 64 * 1024;

/// The deepest OTTL expression: 256 levels, counting nested calls, parentheses, lists and
/// maps and every operator of a chain (`a or b or c` is three levels). The parser and every
/// evaluator recurse over the expression; a chain of 256 alternatives is far beyond real
/// conditions.
pub const MAX_OTTL_DEPTH: usize = 256;

/// How much text `${…}` references of one collector configuration may produce in total, as
/// a multiple of the input size limit: 4 (64 MiB by default). Each expansion round copies
/// the value, so a self-referencing variable used in many places, or a large `${file:…}`
/// named many times, would otherwise cost time and memory without bound.
pub const SUBSTITUTION_FACTOR: u64 = 4;

/// The limits of one run: the fixed ones above and the input size, which the command line
/// can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest input file read, in bytes.
    pub max_input_size: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_size: DEFAULT_MAX_INPUT_SIZE,
        }
    }
}

impl Limits {
    /// How many bytes `${…}` expansion may produce in one collector configuration.
    pub fn substitution_budget(&self) -> usize {
        usize::try_from(self.max_input_size.saturating_mul(SUBSTITUTION_FACTOR))
            .unwrap_or(usize::MAX)
    }
}

/// A byte count as people read it: `16 MiB`, `512 KiB`, `300 bytes`.
pub fn describe_size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (unit, name) in UNITS {
        if bytes >= unit && bytes.is_multiple_of(unit) {
            return format!("{} {name}", bytes / unit);
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(describe_size(DEFAULT_MAX_INPUT_SIZE), "16 MiB");
        assert_eq!(describe_size(512 * 1024), "512 KiB");
        assert_eq!(describe_size(1536), "1536 bytes");
    }
}
