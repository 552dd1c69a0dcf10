//! What telemetry sources can emit, as data files under `catalogue/`.

pub mod telemetry;
