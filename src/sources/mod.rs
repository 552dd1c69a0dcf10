//! Telemetry sources (coding agents) and the resolution of their settings.
//!
//! Each agent has its own settings files and precedence rules, so each gets a reader
//! module; they all produce the same [`EffectiveSettings`], which the later stages
//! (data map, checks, documents) consume without knowing which agent it was. The
//! registry below dispatches on the source name and matches the version against the
//! source's catalogue.

pub mod claude_code;
pub mod codex;
pub mod effective;
pub mod env;
pub mod env_file;
pub mod gemini;
pub mod layered;
pub mod process_env;
pub mod provenance;
pub mod secret;

pub use effective::EffectiveSettings;
pub use provenance::{Cite, EnvVia, Provenance, Tier};

use crate::catalogue::{self, Catalogue, Version, VersionMatch};
use crate::diag::{Code, Diagnostic, Diagnostics, Severity, did_you_mean};
use crate::files::Files;
use crate::inputs::{InputSpec, SourceRef};

/// A settings reader: catalogue, version, inputs → effective settings.
type Reader = fn(
    &Catalogue,
    &VersionMatch,
    &InputSpec,
    &mut Files,
    &mut Diagnostics,
) -> Option<EffectiveSettings>;

/// The sources with a settings reader.
const READERS: &[(&str, Reader)] = &[
    ("claude-code", claude_code::resolve),
    ("codex", codex::resolve),
    ("gemini-cli", gemini::resolve),
];

/// The source analysed when the inputs name none.
pub const DEFAULT_SOURCE: &str = "claude-code";

/// The sources to analyse: those named in the inputs, or the default source at its
/// newest known version.
pub fn sources_of(spec: &InputSpec) -> Vec<SourceRef> {
    if spec.sources.is_empty() {
        vec![SourceRef {
            name: DEFAULT_SOURCE.to_string(),
            version: None,
            named_at: None,
        }]
    } else {
        spec.sources.clone()
    }
}

/// Resolves one source's effective settings. Problems go to `diags`; `None` when the
/// source or version cannot be used.
pub fn resolve(
    source: &SourceRef,
    spec: &InputSpec,
    files: &mut Files,
    diags: &mut Diagnostics,
) -> Option<EffectiveSettings> {
    let reader = READERS.iter().find(|(name, _)| *name == source.name);
    let catalogue = catalogue::get(&source.name);
    let (Some((_, reader)), Some(catalogue)) = (reader, catalogue) else {
        diags.push(unknown_source(source));
        return None;
    };
    let version = match_version(catalogue, source, diags)?;
    let mut settings = reader(catalogue, &version, spec, files, diags)?;
    settings.complete = spec.no_other_settings;
    Some(settings)
}

fn unknown_source(source: &SourceRef) -> Diagnostic {
    let names: Vec<&str> = READERS.iter().map(|(n, _)| *n).collect();
    let hint = match did_you_mean(&source.name, names.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? Known sources: {}", names.join(", ")),
        None => format!("known sources: {}", names.join(", ")),
    };
    Diagnostic::new(
        Code::UnknownSource,
        format!(
            "`{}` is not a telemetry source this version knows",
            source.name
        ),
    )
    .at_opt(source.named_at)
    .hint(hint)
}

/// The version to analyse and the catalogued one standing in for it.
fn match_version(
    catalogue: &Catalogue,
    source: &SourceRef,
    diags: &mut Diagnostics,
) -> Option<VersionMatch> {
    let known = catalogue.known_versions();
    let listed: Vec<&str> = known.iter().map(Version::as_str).collect();
    let requested = match source.version.as_deref() {
        None => catalogue.newest()?,
        Some(text) => match Version::parse(text) {
            Some(v) => v,
            None => {
                diags.push(
                    Diagnostic::new(
                        Code::UnknownSourceVersion,
                        format!("`{}@{text}`: `{text}` is not a version number", source.name),
                    )
                    .severity(Severity::Error)
                    .at_opt(source.named_at)
                    .hint(format!(
                        "write {}@MAJOR.MINOR.PATCH (checked: {}), or leave the version out for the newest",
                        source.name,
                        listed.join(", ")
                    )),
                );
                return None;
            }
        },
    };
    let matched = catalogue::match_version(&requested, &known)?;
    if !matched.known {
        diags.push(
            Diagnostic::new(
                Code::UnknownSourceVersion,
                format!(
                    "{} {} was not checked against captures; the observed behaviour of {} is assumed, and version rules (such as managed dominance) are applied for {}",
                    catalogue.name, matched.requested, matched.assumed, matched.requested
                ),
            )
            .at_opt(source.named_at)
            .hint(format!("checked versions: {}", listed.join(", "))),
        );
    }
    Some(matched)
}
