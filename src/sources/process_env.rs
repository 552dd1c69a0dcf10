//! The process environment a coding agent starts with, from the inputs: environment
//! files, the project file's `inputs.env` and `--env` flags.
//!
//! Order (a later value for the same variable wins): the project file's env files, its
//! `inputs.env`, then the env files given as flags, then `--env` flags. So the command
//! line overrides the project file, and a single flag overrides a file.

use super::env::EnvTable;
use super::env_file::parse_env_file;
use super::provenance::{Cite, EnvVia, Provenance};
use super::secret;
use crate::diag::Diagnostics;
use crate::files::{Files, Span};
use crate::inputs::{EnvOrigin, EnvVar, InputSpec, PathRef};

/// Puts the process environment of `spec` into `env`.
pub fn apply_process_env(
    spec: &InputSpec,
    files: &mut Files,
    diags: &mut Diagnostics,
    env: &mut EnvTable,
) {
    let (project_files, flag_files): (Vec<&PathRef>, Vec<&PathRef>) =
        spec.env_files.iter().partition(|p| p.named_at.is_some());
    let (flag_vars, project_vars): (Vec<&EnvVar>, Vec<&EnvVar>) =
        spec.env.iter().partition(|v| v.origin == EnvOrigin::Flag);
    for path in project_files {
        apply_env_file(path, files, diags, env);
    }
    for var in project_vars {
        apply_var(var, files, env);
    }
    for path in flag_files {
        apply_env_file(path, files, diags, env);
    }
    for var in flag_vars {
        apply_var(var, files, env);
    }
}

fn apply_env_file(path: &PathRef, files: &mut Files, diags: &mut Diagnostics, env: &mut EnvTable) {
    let id = match files.read(&path.path, path.named_at) {
        Ok(id) => id,
        Err(d) => return diags.push(d),
    };
    for line in parse_env_file(files, id, diags) {
        let provenance = Provenance::ProcessEnv {
            via: EnvVia::EnvFile,
            at: Some(Cite::new(files, line.span)),
        };
        env.set(&line.key, &line.value, provenance);
    }
}

fn apply_var(var: &EnvVar, files: &mut Files, env: &mut EnvTable) {
    let provenance = match &var.origin {
        EnvOrigin::Flag => Provenance::ProcessEnv {
            via: EnvVia::Flag,
            at: None,
        },
        EnvOrigin::Project(span) | EnvOrigin::EnvFile(span) => {
            if secret::is_secret(&var.key, &var.value) {
                mark_rest_of_line(files, *span);
            }
            let via = match var.origin {
                EnvOrigin::EnvFile(_) => EnvVia::EnvFile,
                _ => EnvVia::ProjectFile,
            };
            Provenance::ProcessEnv {
                via,
                at: Some(Cite::new(files, *span)),
            }
        }
    };
    env.set(&var.key, &var.value, provenance);
}

/// Marks everything after a key on its line as secret (the key stays readable).
fn mark_rest_of_line(files: &mut Files, key: Span) {
    let width = files
        .get(key.file)
        .line_text(key.line)
        .map_or(0, |t| t.chars().count());
    let col = key.col + key.len;
    if let Ok(len) = u32::try_from(width.saturating_sub(col as usize - 1)) {
        files.mark_secret(Span {
            col,
            len: len.max(1),
            ..key
        });
    }
}
