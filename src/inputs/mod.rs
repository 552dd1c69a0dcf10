//! The deployed inputs: which files to read, and the readers for each kind.

pub mod spec;

pub use spec::{
    CollectorSpec, ConfigOverride, EnvOrigin, EnvVar, InputSpec, LayerFile, PathRef, SourceRef,
};
