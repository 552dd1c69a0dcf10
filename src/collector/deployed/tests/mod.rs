//! Loading collectors from deployed forms, through the real file reading.

mod chart_values;
mod manifests;
mod templates;
