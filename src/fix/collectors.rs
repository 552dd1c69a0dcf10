//! The collectors: which of them export to a destination the policy does not hold for,
//! and the one processor each of those gets (see [`super::processor`] for its content and
//! [`super::collector_edit`] for where it goes).

use super::{
    FixPlan, base_name, collector_edit, plan, policy_word, processor, read, record, text_edit,
};
use crate::checks::Context;
use crate::collector::deployed::{region, split_choice};
use crate::inputs::InputSpec;
use crate::project::PolicyLevel;

/// Every collector exporting to a destination the policy does not hold for.
pub(super) fn collectors(
    spec: &InputSpec,
    ctx: &Context<'_>,
    policy: PolicyLevel,
    out: &mut FixPlan,
) {
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
            let (path, choice) = split_choice(&file.path);
            let Some(whole) = read(&path, out) else {
                continue;
            };
            // A configuration file, or the block of a manifest that holds one.
            let region = match collector_edit::pipelines_to(&whole, &exporters).is_empty() {
                true => region::editable(&whole, choice.as_deref()),
                false => None,
            };
            let before = region.as_ref().map_or(whole.clone(), |r| r.text.clone());
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
                    base_name(&path),
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
            let (before, after) = match &region {
                Some(r) => (whole.clone(), r.replace(&whole, &after)),
                None => (before, after),
            };
            if after == before {
                out.cannot.push(format!(
                    "{}: `{}` is already there as the fix would write it and the policy still does not hold for {}; run `otel-dpia analyze` to see why",
                    base_name(&path),
                    collector_edit::PROCESSOR_ID,
                    ids.join(", ")
                ));
                break;
            }
            out.done.push(format!(
                "{}: processor `{}` {} — for {}: content and unknown keys stop leaving, identifiers {}",
                base_name(&path),
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
                    "become SHA-256 hashes"
                } else {
                    "stay"
                }
            ));
            record(out, path, before, after);
            break;
        }
        if !placed {
            out.cannot.push(format!(
                "collector `{}`: no file of it names the pipelines of {} in a form the fix edits (Helm values or a Helm template, a configuration in a folded or quoted string, or pipelines built by substitution); add `{}` by hand",
                spec.collectors[i].name,
                ids.join(", "),
                collector_edit::PROCESSOR_ID
            ));
        }
    }
}
