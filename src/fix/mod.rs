//! `otel-dpia fix`: the configuration changes after which the data map satisfies a policy
//! at every telemetry destination, made as edits of the original files.
//!
//! The plan is read from the analysis itself ([`plan`]): the destinations off the device
//! where the policy does not hold, what reaches them, which settings let it through. Two
//! kinds of change follow: Claude Code's managed `env` pins its gates ([`pins`],
//! [`settings_edit`]), and every collector that exports to such a destination gets one
//! `transform` processor ([`processor`], [`collector_edit`]). Edits keep every byte they do
//! not change ([`text_edit`]). Whether the result holds is not assumed: the caller
//! analyses the changed files again.

pub mod codex_edit;
pub mod collector_edit;
pub mod effect;
pub mod pins;
pub mod plan;
pub mod processor;
pub mod settings_edit;
pub mod summary;
pub mod text_edit;

use std::path::PathBuf;

use crate::analysis::run::Analysis;
use crate::checks::Context;
use crate::inputs::InputSpec;
use crate::project::PolicyLevel;

/// One input file the fix changes.
#[derive(Debug, Clone)]
pub struct FileChange {
    /// Where it is read from.
    pub path: PathBuf,
    /// The text before.
    pub before: String,
    /// The text after.
    pub after: String,
}

/// What the fix does and what it cannot do.
#[derive(Debug, Default)]
pub struct FixPlan {
    /// The changed files, in input order.
    pub changes: Vec<FileChange>,
    /// One line per change: what it does and why.
    pub done: Vec<String>,
    /// One line per destination that configuration cannot fix, with the reason.
    pub cannot: Vec<String>,
}

/// The policy's word in `dpia.yaml`.
pub fn policy_word(p: PolicyLevel) -> &'static str {
    match p {
        PolicyLevel::MetadataOnly => "metadata_only",
        PolicyLevel::Identifiers => "identifiers",
        PolicyLevel::Content => "content",
    }
}

/// Plans the changes for one analysed deployment.
pub fn plan(
    spec: &InputSpec,
    analysis: &Analysis,
    ctx: &Context<'_>,
    policy: PolicyLevel,
) -> FixPlan {
    let mut out = FixPlan::default();
    let flows: Vec<String> = plan::breaches(ctx, policy)
        .iter()
        .filter(|b| ctx.is_vendor_flow(b.destination))
        .flat_map(|b| b.destination.records.iter().map(|r| r.name.clone()))
        .collect();
    settings(spec, analysis, policy, &flows, &mut out);
    codex(spec, analysis, policy, &mut out);
    gemini(spec, analysis, policy, &mut out);
    collectors(spec, ctx, policy, &mut out);
    out
}

fn read(path: &std::path::Path, out: &FixPlan) -> Option<String> {
    if let Some(c) = out.changes.iter().find(|c| c.path == path) {
        return Some(c.after.clone());
    }
    std::fs::read_to_string(path).ok()
}

fn record(out: &mut FixPlan, path: PathBuf, before: String, after: String) {
    if before == after {
        return;
    }
    if let Some(c) = out.changes.iter_mut().find(|c| c.path == path) {
        c.after = after;
    } else {
        out.changes.push(FileChange {
            path,
            before,
            after,
        });
    }
}

/// Claude Code's managed settings: the first managed-settings JSON file given.
fn settings(
    spec: &InputSpec,
    analysis: &Analysis,
    policy: PolicyLevel,
    flows: &[String],
    out: &mut FixPlan,
) {
    let Some(source) = analysis.map.sources.iter().find(|s| s.name == pins::SOURCE) else {
        return;
    };
    let Ok(version) = crate::catalogue::telemetry::Version::parse(&source.version) else {
        return;
    };
    let Some(cat) = crate::catalogue::telemetry::cached(pins::SOURCE) else {
        return;
    };
    let wanted = pins::claude_code(&version, policy, flows);
    if wanted.is_empty() {
        return;
    }
    let file = spec.managed_settings.iter().find_map(|p| {
        let path = if p.path.is_dir() {
            p.path.join("managed-settings.json")
        } else {
            p.path.clone()
        };
        (path.extension().is_some_and(|e| e == "json") && path.is_file()).then_some(path)
    });
    let Some(path) = file else {
        out.cannot.push(format!(
            "Claude Code settings: no managed-settings JSON file is given; pin {} in the managed `env` by hand",
            wanted.iter().map(|p| format!("`{}={}`", p.key, p.value)).collect::<Vec<_>>().join(", ")
        ));
        return;
    };
    let Some(before) = read(&path, out) else {
        return;
    };
    let Some((edits, changed)) =
        settings_edit::pin_env(&before, &wanted, |a, b| pins::same_meaning(cat, a, b))
    else {
        out.cannot.push(format!(
            "{}: not a JSON object; its settings are left as they are",
            base_name(&path)
        ));
        return;
    };
    for pin in &changed {
        out.done.push(format!(
            "{}: `{}` = \"{}\" ({})",
            base_name(&path),
            pin.key,
            pin.value,
            pin.why
        ));
    }
    let after = text_edit::apply(&before, &edits);
    record(out, path, before, after);
}

/// Codex CLI: the `requirements` layer's `[otel]` table.
fn codex(spec: &InputSpec, analysis: &Analysis, policy: PolicyLevel, out: &mut FixPlan) {
    let Some(source) = analysis.map.sources.iter().find(|s| s.name == "codex") else {
        return;
    };
    let Ok(version) = crate::catalogue::telemetry::Version::parse(&source.version) else {
        return;
    };
    let wanted = pins::codex(&version, policy);
    if wanted.is_empty() {
        return;
    }
    let Some(file) = spec.codex_config.iter().find(|l| l.layer == "requirements") else {
        out.cannot.push(format!(
            "Codex CLI settings: no `requirements` layer is given; pin {} in `requirements.toml` by hand",
            wanted
                .iter()
                .map(|p| format!("`{}`", p.key))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        return;
    };
    let path = file.file.path.clone();
    let Some(before) = read(&path, out) else {
        return;
    };
    let Some((edits, changed)) = codex_edit::pin_otel(&before, &wanted) else {
        out.cannot.push(format!(
            "{}: its `[otel]` table is not in a form the fix edits; pin {} by hand",
            base_name(&path),
            wanted
                .iter()
                .map(|p| format!("`{}`", p.key))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        return;
    };
    for pin in &changed {
        out.done.push(format!(
            "{}: `{}` = {} ({})",
            base_name(&path),
            pin.key,
            if pin.value == "1" { "true" } else { "false" },
            pin.why
        ));
    }
    let after = text_edit::apply(&before, &edits);
    record(out, path, before, after);
}

/// Gemini CLI: the `system` layer's `telemetry` object (it wins over every other layer).
fn gemini(spec: &InputSpec, analysis: &Analysis, policy: PolicyLevel, out: &mut FixPlan) {
    let Some(source) = analysis.map.sources.iter().find(|s| s.name == "gemini-cli") else {
        return;
    };
    let Ok(version) = crate::catalogue::telemetry::Version::parse(&source.version) else {
        return;
    };
    let wanted: Vec<settings_edit::Pin> = pins::gemini(&version, policy)
        .into_iter()
        .filter_map(|p| {
            Some(settings_edit::Pin {
                key: p.key.strip_prefix("telemetry.")?.to_string(),
                ..p
            })
        })
        .collect();
    if wanted.is_empty() {
        return;
    }
    let Some(file) = spec.gemini_settings.iter().find(|l| l.layer == "system") else {
        out.cannot.push(format!(
            "Gemini CLI settings: no `system` layer is given; pin {} in its `telemetry` object by hand",
            wanted.iter().map(|p| format!("`telemetry.{}`", p.key)).collect::<Vec<_>>().join(", ")
        ));
        return;
    };
    let path = file.file.path.clone();
    let Some(before) = read(&path, out) else {
        return;
    };
    let boolean = |v: &str| if v == "1" { "true" } else { "false" }.to_string();
    let same = |have: &str, want: &str| have == boolean(want);
    let Some((edits, changed)) =
        settings_edit::pin_object(&before, "telemetry", &wanted, same, boolean)
    else {
        out.cannot.push(format!(
            "{}: not a JSON object; its settings are left as they are",
            base_name(&path)
        ));
        return;
    };
    for pin in &changed {
        out.done.push(format!(
            "{}: `telemetry.{}` = {} ({})",
            base_name(&path),
            pin.key,
            boolean(&pin.value),
            pin.why
        ));
    }
    let after = text_edit::apply(&before, &edits);
    record(out, path, before, after);
}

/// Every collector exporting to a destination the policy does not hold for.
fn collectors(spec: &InputSpec, ctx: &Context<'_>, policy: PolicyLevel, out: &mut FixPlan) {
    let names: Vec<String> = spec.collectors.iter().map(|c| c.name.clone()).collect();
    let mut per_collector: Vec<(plan::Statements, Vec<String>, Vec<String>)> = names
        .iter()
        .map(|_| (plan::Statements::default(), Vec::new(), Vec::new()))
        .collect();
    let mut records: Vec<Vec<String>> = vec![Vec::new(); names.len()];
    for breach in plan::breaches(ctx, policy) {
        let d = breach.destination;
        match plan::exporter_of(&d.id, &names) {
            Some((i, exporter)) if !ctx.is_vendor_flow(d) => {
                per_collector[i].1.push(exporter.to_string());
                per_collector[i].2.push(d.id.clone());
                records[i].extend(
                    breach
                        .beyond
                        .iter()
                        .filter(|a| a.record != "resource")
                        .map(|a| a.record.to_string()),
                );
            }
            _ => {
                let what = crate::checks::arrivals::by_category(&breach.beyond);
                let cats: Vec<&str> = what.iter().map(|(c, _)| c.key()).collect();
                let reason = if ctx.is_vendor_flow(d) {
                    "the vendor's own traffic, outside OpenTelemetry; no documented setting of the deployed client stops it"
                } else {
                    "the client exports there without a supplied collector in between; only the client's settings reach it"
                };
                out.cannot
                    .push(format!("`{}` ({}): {reason}", d.id, cats.join(", ")));
            }
        }
    }
    // Keep lists from every leaving destination of the collector, so that a key a
    // compliant destination receives is not taken from another that shares the processor.
    for d in ctx.leaving() {
        if let Some((i, exporter)) = plan::exporter_of(&d.id, &names)
            && per_collector[i].1.iter().any(|e| e == exporter)
        {
            per_collector[i].0.add(d, policy);
        }
    }
    for (i, (statements, exporters, ids)) in per_collector.into_iter().enumerate() {
        if exporters.is_empty() {
            continue;
        }
        let definition = processor::definition(&statements, policy_word(policy));
        let mut placed = false;
        for file in spec.collectors[i].files.iter().rev() {
            let Some(before) = read(&file.path, out) else {
                continue;
            };
            let pipes = collector_edit::pipelines_to(&before, &exporters);
            if pipes.is_empty() {
                continue;
            }
            // A definition from an earlier run is rewritten only for records it does not
            // name yet (a client update); otherwise what remains is not for it to fix, and
            // a rewrite from the already-filtered map would not be the same twice.
            if let Some(old) = collector_edit::existing_definition(&before)
                && records[i].iter().all(|r| old.contains(&format!("\"{r}\"")))
            {
                placed = true;
                out.cannot.push(format!(
                    "{}: `{}` is already there and the policy still does not hold for {}: their records carry no name the configuration fixes, or a processor the analysis does not model is in the way; run `otel-dpia analyze` to see why",
                    base_name(&file.path),
                    collector_edit::PROCESSOR_ID,
                    ids.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", ")
                ));
                break;
            }
            let Some(edits) = collector_edit::insert(&before, &definition, &pipes) else {
                continue;
            };
            placed = true;
            let after = text_edit::apply(&before, &edits.edits);
            if after == before {
                out.cannot.push(format!(
                    "{}: `{}` is already there as the fix would write it and the policy still does not hold for {}; run `otel-dpia analyze` to see why",
                    base_name(&file.path),
                    collector_edit::PROCESSOR_ID,
                    ids.join(", ")
                ));
                break;
            }
            out.done.push(format!(
                "{}: processor `{}` {} — for {}: content and unknown keys stop leaving, identifiers {}",
                base_name(&file.path),
                collector_edit::PROCESSOR_ID,
                if edits.pipelines.is_empty() {
                    "rewritten for what now reaches its pipelines".to_string()
                } else {
                    format!(
                        "in pipeline(s) {} before `batch`",
                        edits
                            .pipelines
                            .iter()
                            .map(|p| format!("`{p}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
                ids.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", "),
                if policy == PolicyLevel::MetadataOnly {
                    "become SHA-256 hashes (or stop leaving where they may be missing)"
                } else {
                    "stay"
                }
            ));
            record(out, file.path.clone(), before, after);
            break;
        }
        if !placed {
            out.cannot.push(format!(
                "collector `{}`: no file of it names the pipelines of {} in a form the fix edits (a deployed form such as a Helm chart or manifest, or pipelines built by substitution); add `{}` by hand",
                spec.collectors[i].name,
                ids.join(", "),
                collector_edit::PROCESSOR_ID
            ));
        }
    }
}

/// A file's base name, for messages without machine paths.
pub fn base_name(path: &std::path::Path) -> String {
    path.file_name()
        .map_or_else(|| "input".to_string(), |n| n.to_string_lossy().into_owned())
}
