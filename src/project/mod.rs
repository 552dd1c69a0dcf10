//! The project file `dpia.yaml`: its types, loading with precise diagnostics, and the
//! skeleton `init` writes.

mod load;
mod model;

pub use load::{LoadedProject, load};
pub use model::*;
