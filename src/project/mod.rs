//! The project file `dpia.yaml`: its types, its JSON Schema, loading with precise
//! diagnostics (every problem in one run), and the list of facts a person still has to give.

mod countries;
mod facts;
mod load;
mod model;
mod path;
mod rules;
mod scalars;
mod schema;
mod text;
mod validate;

pub use countries::{EEA, is_eea, is_iso_alpha2};
pub use facts::{missing_facts, text_languages, texts};
pub use load::{LoadedProject, load};
pub use model::*;
pub use schema::{SCHEMA_FILE_NAME, project_schema, schema_text};
pub use text::FALLBACK_ORDER;
