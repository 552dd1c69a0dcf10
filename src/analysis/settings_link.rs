//! The bridge from the settings resolver's answer to the emission logic: the effective
//! environment as an [`EnvLookup`], and the resolver's decision on which signals leave.
//!
//! The resolver knows more than the catalogue's export rules (protocols, managed
//! dominance, unrecognised values assumed on), so its answer decides; the emission logic
//! only adds what each exported signal carries.

use super::env::{EnvLookup, EnvValue};
use super::openness::{self, UNPINNED_NOTE};
use super::shape::{Evidence, Outcome};
use super::signals::{ExportedSignals, SignalExport};
use crate::sources::EffectiveSettings;

impl EnvLookup for EffectiveSettings {
    /// Settings-file keys first (they carry dots, so they never clash with variable
    /// names), then the environment.
    fn get(&self, key: &str) -> Option<EnvValue> {
        self.config
            .iter()
            .chain(&self.env)
            .find(|e| e.key == key)
            .map(|e| EnvValue {
                value: e.value.clone(),
                provenance: e.provenance.to_string(),
                span: e.provenance.span(),
                pinned: self.complete || self.fixed_by_policy(key, &e.provenance),
            })
    }

    fn complete(&self) -> bool {
        self.complete
    }
}

impl EffectiveSettings {
    /// Whether a set value is the employer's to keep: the resolver's reading of the gate
    /// where it has one (it knows which policy values an environment variable overrides),
    /// else whether it comes from a managed tier.
    fn fixed_by_policy(&self, key: &str, provenance: &crate::sources::Provenance) -> bool {
        match self
            .gates
            .iter()
            .chain(&self.vendor.switches)
            .find(|g| g.name == key)
        {
            Some(g) => g.fixed_by_policy,
            None => {
                provenance.is_managed()
                    && !matches!(provenance, crate::sources::Provenance::EnvOverride { .. })
            }
        }
    }
}

/// The resolver's export decision per signal, with its reason as evidence. A signal the
/// settings below the managed tier could switch on (and the inputs are not declared
/// complete) counts as exported, uncertainly, with one evidence line per open setting.
pub fn exported_from(settings: &EffectiveSettings) -> ExportedSignals {
    let one = |name: &str| {
        settings
            .signals
            .iter()
            .find(|s| s.signal.as_str() == name)
            .map_or_else(
                || SignalExport {
                    exported: false,
                    certain: true,
                    evidence: Vec::new(),
                },
                |s| {
                    let open = !s.exported && opened(settings, s);
                    let mut evidence = vec![Evidence {
                        setting: format!("{name} export"),
                        value: None,
                        provenance: s.selected_by.to_string(),
                        span: s.selected_by.span(),
                        outcome: if s.exported {
                            Outcome::On
                        } else {
                            Outcome::Off
                        },
                        note: Some(s.reason.clone()),
                    }];
                    if open {
                        evidence.extend(
                            s.switchable
                                .iter()
                                .map(|setting| openness::unpinned(setting, UNPINNED_NOTE)),
                        );
                    }
                    SignalExport {
                        exported: s.exported || open,
                        certain: !open,
                        evidence,
                    }
                },
            )
    };
    ExportedSignals {
        metrics: one("metrics"),
        logs: one("logs"),
        traces: one("traces"),
    }
}

/// True when a signal not exported here may be switched on below the managed tier.
pub fn opened(settings: &EffectiveSettings, s: &crate::sources::effective::SignalExport) -> bool {
    !settings.complete && !s.switchable.is_empty()
}
