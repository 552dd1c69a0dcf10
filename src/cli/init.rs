//! `otel-dpia init`: a `dpia.yaml` to start from, written from the inputs given as flags.
//!
//! It lists what the configuration shows (inputs, the places data is sent to) and leaves a
//! visible TODO for every fact only the organisation can give. It never overwrites a file
//! unless told to, and never writes a value that looks like a secret.

use std::path::{Component as PathPart, Path, PathBuf};

use super::Report;
use crate::collector::{Collector, Kind, fields};
use crate::diag::{Code, Diagnostic};
use crate::files::Files;
use crate::inputs::InputSpec;
use crate::skeleton::{FoundDestination, SkeletonCollector, SkeletonInputs, skeleton};

/// Arguments of `otel-dpia init`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The deployment's inputs, as flags (a project file cannot be given: this writes one).
    #[command(flatten)]
    pub inputs: super::InputArgs,

    /// Where to write the project file.
    #[arg(long, value_name = "FILE", default_value = "dpia.yaml")]
    pub out: PathBuf,

    /// Overwrite the file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Runs the command.
pub fn run(args: &Args) -> Report {
    let mut loaded = super::load_inputs(&args.inputs);
    let mut report = Report::default();
    if let Some(p) = &args.inputs.project {
        loaded.diagnostics.push(
            Diagnostic::new(Code::Usage, format!("`otel-dpia init` writes a new project file; `{}` was given as input", p.display()))
                .hint("pass the deployment as flags (`--managed-settings`, `--collector`, …) and the target with `--out`"),
        );
    }
    if args.out.exists() && !args.force {
        loaded.diagnostics.push(
            Diagnostic::new(
                Code::OutputExists,
                format!("`{}` exists already", args.out.display()),
            )
            .hint("choose another `--out` file, or add `--force` to replace it"),
        );
    }
    let analysis =
        crate::analysis::run::analyze(&loaded.spec, &mut loaded.files, &mut loaded.diagnostics);
    if !loaded.diagnostics.has_errors() {
        let base = args.out.parent().unwrap_or(Path::new(""));
        let collectors: Vec<Collector> = analysis
            .as_ref()
            .map(|a| a.collectors.iter().map(|c| c.graph.clone()).collect())
            .unwrap_or_default();
        let inputs = skeleton_inputs(&loaded.spec, &collectors, base);
        // The data map's destinations, and every collector exporter besides: until `serves`
        // says which collector listens where, an exporter of one collector may be a hop to
        // another, so each gets an entry to fill in or delete.
        let mut destinations = analysis
            .as_ref()
            .map(|a| from_data_map(&a.map))
            .unwrap_or_default();
        for d in exporter_destinations(&collectors, &loaded.files) {
            if !destinations.iter().any(|x| x.id == d.id) {
                destinations.push(d);
            }
        }
        let text = skeleton(&inputs, &destinations);
        match crate::output::write_atomic(&args.out, text.as_bytes()) {
            Ok(()) => {
                report.output = format!(
                    "wrote {} with {} destination(s); fill in every TODO, then run `otel-dpia check`\n",
                    args.out.display(),
                    destinations.len()
                );
            }
            Err(d) => loaded.diagnostics.push(d),
        }
    }
    report.files = loaded.files;
    report.diagnostics = loaded.diagnostics;
    report
}

/// One entry per destination of the data map: exporters, direct client exports and the
/// vendor's own flows, so every place data goes gets its facts.
fn from_data_map(map: &crate::analysis::map::DataMap) -> Vec<FoundDestination> {
    map.destinations
        .iter()
        .map(|d| FoundDestination {
            id: d.id.clone(),
            endpoint: d.endpoint.clone(),
            found_at: d
                .evidence
                .iter()
                .find_map(|e| Some(format!("{}:{}", e.file.as_ref()?, e.line?)))
                .unwrap_or_else(|| "the client's defaults".to_string()),
        })
        .collect()
}

/// One entry per exporter used in a pipeline, per collector. With several collectors the
/// id is `collector:exporter`, as `analyze` names destinations.
fn exporter_destinations(collectors: &[Collector], files: &Files) -> Vec<FoundDestination> {
    let several = collectors.len() > 1;
    let mut out = Vec::new();
    for c in collectors {
        for e in c.of_kind(Kind::Exporter) {
            if !c.pipelines.iter().any(|p| p.exporters.contains(&e.id)) {
                continue;
            }
            let endpoint = fields::destination_fields(&e.config)
                .into_iter()
                .find(|f| {
                    f.path.ends_with("endpoint") || f.path == "path" || f.path.ends_with("site")
                })
                .map(|f| f.value.to_string());
            let id = if several {
                format!("{}:{}", c.name, e.id)
            } else {
                e.id.to_string()
            };
            out.push(FoundDestination {
                id,
                endpoint,
                found_at: files.cite(e.span),
            });
        }
    }
    out
}

fn skeleton_inputs(spec: &InputSpec, collectors: &[Collector], base: &Path) -> SkeletonInputs {
    let rel = |p: &Path| relative_to(p, base);
    SkeletonInputs {
        sources: spec
            .sources
            .iter()
            .map(|s| match &s.version {
                Some(v) => format!("{}@{v}", s.name),
                None => s.name.clone(),
            })
            .collect(),
        managed_settings: spec.managed_settings.iter().map(|p| rel(&p.path)).collect(),
        user_settings: spec.user_settings.as_ref().map(|p| rel(&p.path)),
        project_settings: spec.project_settings.iter().map(|p| rel(&p.path)).collect(),
        no_other_settings: spec.no_other_settings,
        env: spec
            .env
            .iter()
            .map(|v| (v.key.clone(), v.value.clone()))
            .collect(),
        env_files: spec.env_files.iter().map(|p| rel(&p.path)).collect(),
        collectors: spec
            .collectors
            .iter()
            .map(|c| SkeletonCollector {
                name: c.name.clone(),
                files: c.files.iter().map(|f| rel(&f.path)).collect(),
                env: c.env.clone(),
                serves: c.serves.clone(),
                receiver_endpoints: collectors
                    .iter()
                    .find(|g| g.name == c.name)
                    .map(receiver_endpoints)
                    .unwrap_or_default(),
            })
            .collect(),
    }
}

/// The endpoints the collector's receivers listen on, as hints for `serves`.
fn receiver_endpoints(c: &Collector) -> Vec<String> {
    c.of_kind(Kind::Receiver)
        .flat_map(|r| {
            fields::destination_fields(&r.config)
                .into_iter()
                .filter(|f| f.path.ends_with("endpoint"))
                .map(move |f| format!("{} {} {}", r.id, f.path, f.value))
        })
        .collect()
}

/// `path` written relative to the folder of the project file, with `/` separators, so the
/// file works from any checkout.
fn relative_to(path: &Path, base: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let abs = |p: &Path| {
        normalise(&if p.is_absolute() {
            p.to_path_buf()
        } else {
            cwd.join(p)
        })
    };
    let (target, base) = (abs(path), abs(base));
    let common = target
        .components()
        .zip(base.components())
        .take_while(|(a, b)| a == b)
        .count();
    let ups = base.components().count() - common;
    let mut parts: Vec<String> = std::iter::repeat_n("..".to_string(), ups).collect();
    parts.extend(
        target
            .components()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// Removes `.` and resolves `..` without touching the file system.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            PathPart::CurDir => {}
            PathPart::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_relative_to_the_project_folder() {
        assert_eq!(
            relative_to(Path::new("deploy/otelcol.yaml"), Path::new("deploy")),
            "otelcol.yaml"
        );
        assert_eq!(
            relative_to(Path::new("configs/m.json"), Path::new("docs/dpia")),
            "../../configs/m.json"
        );
        assert_eq!(
            relative_to(Path::new("./a/./b.yaml"), Path::new("")),
            "a/b.yaml"
        );
    }
}
