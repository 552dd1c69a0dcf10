//! Why a simulation stopped.

use crate::files::Span;

/// Why a processor could not be simulated, or what it did instead of passing data on.
#[derive(Debug, Clone, PartialEq)]
pub enum SimError {
    /// The processor type, an option or an OTTL function is not modelled: the simulation
    /// cannot say what the collector would emit.
    NotModelled {
        /// The processor type.
        processor: String,
        /// What is not modelled.
        reason: String,
        /// Where the unmodelled construct is written, when known.
        span: Option<Span>,
    },
    /// The configuration is invalid: the collector would refuse to start.
    Config {
        /// The processor type.
        processor: String,
        /// What is wrong.
        message: String,
        /// Where.
        span: Span,
    },
    /// The processor fails at run time on this data and the collector drops the whole
    /// batch (for example a transform statement erroring with `error_mode: propagate`).
    Dropped {
        /// The processor type.
        processor: String,
        /// The run-time error.
        message: String,
        /// The statement or condition that failed, when known.
        span: Option<Span>,
    },
}

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SimError::NotModelled {
                processor, reason, ..
            } => {
                write!(
                    f,
                    "processor `{processor}`: not modelled ({reason}); the simulation cannot say what it emits"
                )
            }
            SimError::Config {
                processor, message, ..
            } => {
                write!(
                    f,
                    "processor `{processor}`: invalid configuration: {message}"
                )
            }
            SimError::Dropped {
                processor, message, ..
            } => {
                write!(
                    f,
                    "processor `{processor}` fails on this data and the batch is dropped: {message}"
                )
            }
        }
    }
}

impl std::error::Error for SimError {}

/// A configuration problem found while reading a processor's settings; the caller adds
/// the processor type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ConfigError {
    pub span: Span,
    pub message: String,
    /// True when the setting is valid for the collector but not modelled here.
    pub not_modelled: bool,
}

impl ConfigError {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        ConfigError {
            span,
            message: message.into(),
            not_modelled: false,
        }
    }

    pub fn not_modelled(span: Span, message: impl Into<String>) -> Self {
        ConfigError {
            span,
            message: message.into(),
            not_modelled: true,
        }
    }

    /// A statement or condition list that cannot be read: invalid for the collector, or
    /// past a limit of this tool (then valid, but not modelled).
    pub fn from_group(e: crate::ottl::GroupError) -> Self {
        if e.limit {
            ConfigError::not_modelled(e.span, e.message)
        } else {
            ConfigError::new(e.span, e.message)
        }
    }

    pub fn into_sim(self, processor: &str) -> SimError {
        if self.not_modelled {
            SimError::NotModelled {
                processor: processor.to_string(),
                reason: self.message,
                span: Some(self.span),
            }
        } else {
            SimError::Config {
                processor: processor.to_string(),
                message: self.message,
                span: self.span,
            }
        }
    }
}
