//! The first step of every command that reads a deployment: the project file (if given)
//! and the flags, put together into an [`InputSpec`].

use super::InputArgs;
use crate::diag::Diagnostics;
use crate::files::Files;
use crate::inputs::InputSpec;
use crate::project::{self, LoadedProject};

/// A deployment's inputs, located but not yet read.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Files read so far (the project file).
    pub files: Files,
    /// The project file, when one was given and could be read.
    pub project: Option<LoadedProject>,
    /// What to read.
    pub spec: InputSpec,
    /// Problems so far.
    pub diagnostics: Diagnostics,
}

/// Reads the project file (if any) and puts it together with the flags.
pub fn load_inputs(args: &InputArgs) -> Loaded {
    let mut files = Files::with_limits(args.limits.limits()).with_naming(args.naming());
    let mut diagnostics = Diagnostics::new();
    let project = args
        .project
        .as_deref()
        .and_then(|p| project::load(&mut files, p, &mut diagnostics));
    let spec = InputSpec::build(project.as_ref(), &args.flag_inputs(), &mut diagnostics);
    Loaded {
        files,
        project,
        spec,
        diagnostics,
    }
}
