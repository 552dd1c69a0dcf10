//! The checks `otelcol validate` makes on the service section: every pipeline names
//! configured components, has a receiver and an exporter, runs no processor twice; every
//! extension in `service.extensions` is configured. Unused components are reported as
//! information. Connector rules live in [`super::connectors`].
//!
//! Wherever a list or section is unknown (an unresolved `${...}`), the checks that depend on
//! it are skipped: anything may be there.

use std::collections::HashSet;

use super::id::{ComponentId, Signal};
use super::model::{Collector, Kind, Pipeline, Ref, RefList};
use crate::diag::{Code, Diagnostic, Diagnostics, did_you_mean};
use crate::files::{Files, Span};

/// Runs the checks on a built collector.
pub fn validate(c: &Collector, files: &Files, diags: &mut Diagnostics) {
    if c.fragment {
        diags.push(fragment(c, files));
        return;
    }
    for p in &c.pipelines {
        pipeline(c, p, diags);
    }
    references(
        c,
        &c.service_extensions,
        &[Kind::Extension],
        "`service.extensions`",
        diags,
    );
    unused(c, diags);
}

fn fragment(c: &Collector, files: &Files) -> Diagnostic {
    let names: Vec<&str> = c
        .files
        .iter()
        .map(|f| files.get(*f).display.as_str())
        .collect();
    Diagnostic::new(
        Code::ConfigFragment,
        format!(
            "collector `{}` ({}) has no `service` section: it is a fragment of a configuration, not a runnable collector, so its pipelines are not checked",
            c.name,
            names.join(", ")
        ),
    )
    .at_opt(c.files.first().map(|f| Files::whole(*f)))
    .hint("pass it together with the file that has the `service` section, e.g. `--collector base.yaml,this.yaml`")
}

fn pipeline(c: &Collector, p: &Pipeline, diags: &mut Diagnostics) {
    let what = |list: &str| format!("`{list}` of pipeline `{}`", p.id);
    references(
        c,
        &p.receivers,
        &[Kind::Receiver, Kind::Connector],
        &what("receivers"),
        diags,
    );
    references(
        c,
        &p.processors,
        &[Kind::Processor],
        &what("processors"),
        diags,
    );
    references(
        c,
        &p.exporters,
        &[Kind::Exporter, Kind::Connector],
        &what("exporters"),
        diags,
    );
    for (list, side) in [(&p.receivers, "receiver"), (&p.exporters, "exporter")] {
        if list.is_empty() {
            diags.push(
                Diagnostic::new(
                    Code::PipelineIncomplete,
                    format!("pipeline `{}` has no {side}", p.id),
                )
                .at(p.span)
                .hint(format!(
                    "add at least one {side}; a pipeline without one does not start"
                )),
            );
        }
    }
    let mut listed: HashSet<&ComponentId> = HashSet::new();
    for r in &p.processors.refs {
        if !listed.insert(&r.id) {
            diags.push(
                Diagnostic::new(
                    Code::DuplicateInPipeline,
                    format!("pipeline `{}` lists processor `{}` more than once", p.id, r.id),
                )
                .at(r.span)
                .hint("a processor may run once per pipeline; define a second one (e.g. `batch/2`) if you need it twice"),
            );
        }
    }
    if p.id.signal == Signal::Profiles {
        diags.push(
            Diagnostic::new(
                Code::ProfilesPipeline,
                format!("pipeline `{}` carries profiles, which the collector accepts only with a feature gate", p.id),
            )
            .at(p.span)
            .hint("the collector must run with `--feature-gates=service.profilesSupport`; otherwise it refuses this configuration"),
        );
    }
}

/// Reports the entries of `list` that name no configured component of the given kinds.
fn references(c: &Collector, list: &RefList, kinds: &[Kind], what: &str, diags: &mut Diagnostics) {
    if kinds.iter().any(|k| c.section_unknown(*k).is_some()) {
        return;
    }
    // The ids for "did you mean" are listed only when needed: once per pipeline would be
    // quadratic in a configuration with many pipelines.
    let defined = || -> Vec<String> {
        c.components
            .iter()
            .filter(|comp| kinds.contains(&comp.kind))
            .map(|comp| comp.id.to_string())
            .collect()
    };
    for r in &list.refs {
        if kinds.iter().all(|k| c.component(*k, &r.id).is_none()) {
            diags.push(undefined(r, kinds, what, &defined()));
        }
    }
}

fn undefined(r: &Ref, kinds: &[Kind], what: &str, defined: &[String]) -> Diagnostic {
    let words: Vec<&str> = kinds.iter().map(|k| k.word()).collect();
    let sections: Vec<String> = kinds
        .iter()
        .map(|k| format!("`{}:`", k.section()))
        .collect();
    let d = Diagnostic::new(
        Code::UndefinedComponent,
        format!(
            "{what} names `{}`, but no {} with that id is configured",
            r.id,
            words.join(" or ")
        ),
    )
    .at(r.span);
    match did_you_mean(&r.id.to_string(), defined.iter().map(String::as_str)) {
        Some(s) => d.hint(format!("did you mean `{s}`?")),
        None => d.hint(format!(
            "define `{}` under {}, or remove it from the list",
            r.id,
            sections.join(" or ")
        )),
    }
}

/// Information about components no pipeline (or, for extensions, `service.extensions`) uses:
/// the collector does not start them, so they have no effect on the data.
fn unused(c: &Collector, diags: &mut Diagnostics) {
    let lists_unknown = c.pipelines_unknown.is_some()
        || c.pipelines.iter().any(|p| {
            p.receivers.unknown.is_some()
                || p.processors.unknown.is_some()
                || p.exporters.unknown.is_some()
        });
    let listed = |pick: fn(&Pipeline) -> &RefList| -> HashSet<&ComponentId> {
        c.pipelines
            .iter()
            .flat_map(|p| pick(p).refs.iter().map(|r| &r.id))
            .collect()
    };
    let receivers = listed(|p| &p.receivers);
    let processors = listed(|p| &p.processors);
    let exporters = listed(|p| &p.exporters);
    for comp in &c.components {
        let id = &comp.id;
        let used = match comp.kind {
            Kind::Extension => {
                c.service_extensions.unknown.is_some() || c.service_extensions.contains(id)
            }
            Kind::Receiver => lists_unknown || receivers.contains(id),
            Kind::Processor => lists_unknown || processors.contains(id),
            Kind::Exporter => lists_unknown || exporters.contains(id),
            Kind::Connector => lists_unknown || receivers.contains(id) || exporters.contains(id),
        };
        if !used {
            diags.push(unused_component(comp.kind.word(), id, comp.span));
        }
    }
}

fn unused_component(word: &str, id: &ComponentId, span: Span) -> Diagnostic {
    let list = if word == "extension" {
        "`service.extensions`"
    } else {
        "any pipeline"
    };
    Diagnostic::new(
        Code::UnusedComponent,
        format!(
            "{word} `{id}` is configured but not used in {list}; the collector does not start it"
        ),
    )
    .at(span)
    .hint(format!(
        "remove it, or add it to {list} if it was meant to run"
    ))
}

#[cfg(test)]
mod tests {
    use crate::collector::testing::{GOOD, load_texts};
    use crate::diag::{Code, Severity};

    #[test]
    fn undefined_references_name_the_list_and_suggest() {
        let text = GOOD.replace("[attributes/strip, batch]", "[attributes/stirp, batch]");
        let loaded = load_texts(&[&text], &[]);
        assert_eq!(
            loaded.codes(),
            [Code::UndefinedComponent, Code::UnusedComponent]
        );
        let d = &loaded.diags[0];
        assert_eq!(d.span.map(|s| s.line), Some(22));
        assert!(
            d.message.contains("`processors` of pipeline `logs`"),
            "{}",
            d.message
        );
        assert_eq!(d.hint.as_deref(), Some("did you mean `attributes/strip`?"));
        let ext = GOOD.replace(
            "extensions: [health_check]",
            "extensions: [health_check, pprof]",
        );
        let loaded = load_texts(&[&ext], &[]);
        assert_eq!(loaded.codes(), [Code::UndefinedComponent]);
        assert!(loaded.diags[0].message.contains("`service.extensions`"));
        let exp = GOOD.replace("exporters: [otlphttp/vendor]", "exporters: [kafka]");
        assert_eq!(load_texts(&[&exp], &[]).codes(), [Code::UndefinedComponent]);
    }

    #[test]
    fn pipelines_need_a_receiver_and_an_exporter() {
        let text = GOOD.replace(
            "      receivers: [otlp]\n      processors",
            "      receivers: []\n      processors",
        );
        let loaded = load_texts(&[&text], &[]);
        assert_eq!(loaded.codes(), [Code::PipelineIncomplete]);
        assert!(loaded.diags[0].message.contains("no receiver"));
        assert_eq!(loaded.diags[0].span.map(|s| s.line), Some(20));
        let text = GOOD.replace("      exporters: [otlphttp/vendor]\n", "");
        assert_eq!(
            load_texts(&[&text], &[]).codes(),
            [Code::PipelineIncomplete]
        );
    }

    #[test]
    fn a_processor_may_run_once_per_pipeline() {
        let text = GOOD.replace(
            "[attributes/strip, batch]",
            "[batch, attributes/strip, batch]",
        );
        let loaded = load_texts(&[&text], &[]);
        assert_eq!(loaded.codes(), [Code::DuplicateInPipeline]);
        assert_eq!(loaded.diags[0].span.map(|s| s.col), Some(45));
    }

    #[test]
    fn profiles_pipelines_warn() {
        let text = GOOD
            .replace("    metrics:", "    profiles:")
            .replace("otlphttp/vendor, debug", "debug");
        let loaded = load_texts(&[&text], &[]);
        assert_eq!(loaded.codes(), [Code::ProfilesPipeline]);
        assert_eq!(loaded.diags[0].severity, Severity::Warning);
    }

    #[test]
    fn unused_components_are_information() {
        let text = GOOD.replace("  debug:\n", "  debug:\n  file/audit:\n    path: /tmp/x\n");
        let loaded = load_texts(&[&text], &[]);
        assert_eq!(loaded.codes(), [Code::UnusedComponent]);
        assert_eq!(loaded.diags[0].severity, Severity::Info);
        assert!(loaded.diags[0].message.contains("`file/audit`"));
        let text = GOOD.replace("  extensions: [health_check]\n", "");
        let loaded = load_texts(&[&text], &[]);
        assert_eq!(loaded.codes(), [Code::UnusedComponent]);
        assert!(loaded.diags[0].message.contains("`service.extensions`"));
    }

    #[test]
    fn unknown_lists_silence_the_checks_that_depend_on_them() {
        let text = GOOD
            .replace("[otlphttp/vendor, debug]", "${env:EXP}")
            .replace("  debug:\n", "  debug:\n  kafka:\n");
        let loaded = load_texts(&[&text], &[]);
        assert_eq!(
            loaded.codes(),
            [Code::UnresolvedReference],
            "kafka may be in the unknown list"
        );
    }
}
