//! The stable diagnostic codes. A code never changes meaning once released: scripts,
//! CI filters and documentation refer to it. New problems get new codes.
//!
//! Ranges: `OD0xx` usage, `OD1xx` reading files, `OD2xx` coding-agent settings,
//! `OD3xx` collector configuration, `OD4xx` the project file `dpia.yaml`, `OD5xx` the
//! analysis (where it had to assume the worst), `OD6xx` rendering the documents, `OD7xx`
//! the `receive` endpoint.

use super::Severity;

macro_rules! codes {
    ($($variant:ident = $code:literal, $sev:ident, $desc:literal;)*) => {
        /// A stable diagnostic code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(#[doc = $desc] $variant,)*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as printed, e.g. `OD305`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The severity a diagnostic with this code has unless stated otherwise.
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }

            /// One line that says what the code means.
            pub fn description(self) -> &'static str {
                match self { $(Code::$variant => $desc,)* }
            }
        }
    };
}

codes! {
    Usage = "OD001", Error, "A command-line argument is malformed or two arguments contradict each other.";
    FileUnreadable = "OD101", Error, "A file named in the inputs does not exist or cannot be read.";
    NotUtf8 = "OD102", Error, "A file is not UTF-8 text.";
    YamlSyntax = "OD103", Error, "A YAML file is not well-formed.";
    JsonSyntax = "OD104", Error, "A JSON file is not well-formed.";
    PlistSyntax = "OD105", Error, "A property list or configuration profile cannot be read.";
    EnvFileSyntax = "OD106", Error, "A line of an environment file is not `KEY=VALUE`.";
    DuplicateKey = "OD107", Error, "A key appears twice in the same mapping.";
    MultipleDocuments = "OD108", Error, "A YAML file holds more than one document; only one is read.";
    OutputUnwritable = "OD109", Error, "An output file cannot be written.";
    OutputExists = "OD110", Error, "The output file exists already and `--force` was not given.";
    InputTooLarge = "OD111", Error, "An input file is larger than the input size limit (16 MiB unless `--max-input-size` or `OTEL_DPIA_MAX_INPUT_SIZE` sets another); it is not read.";
    NotAFile = "OD112", Error, "A path names a folder, a device, a pipe or a socket where a file is expected; it is not read.";
    AliasExpansion = "OD113", Error, "Aliases (YAML `*name`, shared objects of a binary property list) expand a document past the limit: as many nodes as the file has bytes, at least 100 000.";
    NestingTooDeep = "OD114", Error, "A document nests mappings and lists deeper than 128 levels.";
    ValueTooLong = "OD115", Error, "A single value or key is longer than 1 MiB.";
    OtlpCapture = "OD116", Error, "A capture is neither OTLP/JSON nor an OTLP protobuf export request with at least one resource entry, or a protobuf capture decodes as more than one signal and its file name does not say which.";
    NoCaptures = "OD117", Error, "A folder given as OTLP captures holds no capture file (`*.json`, `*.pb`, `*.binpb`, `*.protobuf`).";
    SettingsUnknownKey = "OD201", Warning, "A settings file has a key the coding agent does not know; it is ignored.";
    SettingsWrongType = "OD202", Error, "A settings value has the wrong type (for example a number where the agent expects a string).";
    UnknownSource = "OD203", Error, "The telemetry source named with `--source` or in the project file is not in the catalogue.";
    UnknownSourceVersion = "OD204", Warning, "The source version is not one the catalogue was checked against; the nearest older known behaviour is assumed.";
    ManagedTierShadowed = "OD205", Warning, "A managed-settings source is ignored because a higher policy tier is present (the first non-empty tier wins).";
    ProtocolUnset = "OD206", Warning, "An OTLP exporter is selected but no protocol is set; the agent reports an error and the outcome is assumed to be an export.";
    DroppedByManaged = "OD207", Info, "A lower-scope exporter setting is dropped because managed settings claim the generic one.";
    UnknownExporterValue = "OD208", Warning, "An exporter selector has a value the agent does not know.";
    DynamicHeaders = "OD209", Warning, "Export headers come from a helper script; their names cannot be known from the configuration.";
    MultipleManagedFiles = "OD210", Error, "More than one main managed-settings file was given; the agent reads exactly one.";
    EnvShadowed = "OD211", Info, "A variable of the process environment is overridden by a settings file.";
    SwitchValueUnclear = "OD212", Warning, "A yes/no variable has a value that is neither truthy nor falsy; the agent's reading of it is shown.";
    UnknownProtocolValue = "OD213", Warning, "An OTLP protocol value is not one the agent knows; the export is assumed to happen.";
    PolicyHelper = "OD214", Warning, "Managed settings name a policy helper whose output replaces them at start-up; the settings shown may not be the ones in force.";
    TomlSyntax = "OD215", Error, "A TOML settings file (Codex `config.toml`, `requirements.toml`) is not well-formed.";
    UnknownSettingsLayer = "OD216", Error, "A settings layer named with `--codex-config`, `--gemini-settings` or in the project file is not one the agent reads.";
    OverrideSyntax = "OD217", Error, "A `--codex-flag` / `-c` override is not of the form `KEY=VALUE` with a dotted key.";
    PinnedByRequirements = "OD218", Info, "A value under `[otel]` is pinned by `requirements.toml` and overrides every configuration layer.";
    LayerNeedsTrust = "OD219", Info, "A project or workspace settings file applies only when the agent trusts the folder; it is applied here (the worst case) and the user can change it.";
    EnvOverridesPolicy = "OD220", Warning, "An environment variable overrides a value of the system settings file; the employee's environment, not the policy, decides it.";
    CachedAccount = "OD221", Info, "A cached account file names a signed-in account; its e-mail address is attached to the telemetry.";
    UnresolvedReference = "OD301", Warning, "A `${...}` reference in a collector configuration has no value; the value is treated as unknown.";
    InvalidReference = "OD302", Error, "A `${...}` reference is malformed.";
    FileReferenceMissing = "OD303", Error, "A `${file:...}` reference names a file that cannot be read.";
    InvalidComponentId = "OD304", Error, "A component or pipeline id is not of the form `type` or `type/name`.";
    UndefinedComponent = "OD305", Error, "A pipeline or `service.extensions` names a component that is not configured.";
    PipelineIncomplete = "OD306", Error, "A pipeline has no receiver or no exporter.";
    InvalidPipelineId = "OD307", Error, "A pipeline id does not start with `traces`, `metrics`, `logs` or `profiles`.";
    DuplicateInPipeline = "OD308", Error, "A pipeline lists the same component twice.";
    ConnectorMisuse = "OD309", Error, "A connector is used only as an exporter or only as a receiver, or for a signal pair it does not support.";
    PipelineCycle = "OD310", Error, "Connectors join pipelines into a cycle.";
    AmbiguousConnector = "OD311", Error, "An id names both a connector and a receiver or exporter.";
    NoPipelines = "OD312", Error, "The collector configuration has no `service.pipelines`.";
    ConfigFragment = "OD313", Info, "The file is a fragment of a collector configuration (no `service` section); it is not a runnable collector on its own.";
    CollectorUnknownKey = "OD314", Error, "A collector configuration has a top-level or service key the collector does not know.";
    CollectorWrongShape = "OD315", Error, "A collector configuration section has the wrong shape (for example a list where a mapping is expected).";
    UnusedComponent = "OD316", Info, "A component is configured but used in no pipeline; it is not started.";
    ProfilesPipeline = "OD317", Warning, "A `profiles` pipeline needs the `service.profilesSupport` feature gate.";
    ExpansionLimit = "OD318", Error, "A `${...}` expansion refers to itself or nests too deeply.";
    UnknownValue = "OD319", Warning, "A collector setting that decides where data goes is unknown; the analysis assumes the worst.";
    NotCollectorConfig = "OD320", Error, "A file given as a collector configuration has none of the collector's sections; it is another kind of file (a Helm values file or template, a Kubernetes manifest).";
    TemplateValue = "OD321", Warning, "Part of the collector configuration depends on how a Helm template is rendered (a `{{ … }}` expression, or the settings of a component written under `{{ if }}`); it is treated as unknown.";
    TemplateUnreadable = "OD322", Error, "A Helm template cannot be read without rendering it: an expression produces YAML structure or a key inside the collector configuration, a key is written in two branches of a condition, or its blocks do not balance.";
    TemplateCondition = "OD323", Info, "A pipeline lists a processor only under a Helm template condition; it may not run, so what it would remove is not counted as removed.";
    DeployedConfig = "OD324", Info, "The collector configuration is read from where it is deployed (a Kubernetes ConfigMap, an OpenTelemetryCollector resource, values of the opentelemetry-collector Helm chart); the message names the part read and the chart defaults assumed.";
    CollectorChoice = "OD325", Error, "A manifest or values file holds several collector configurations and none is chosen, or the `FILE#NAME/KEY` choice names none of them.";
    DeploymentValue = "OD326", Info, "A `${env:…}` variable is set by the deployment when the collector runs (from the pod, a Secret or a ConfigMap); its value is treated as unknown.";
    ChartPreset = "OD327", Info, "A preset of the opentelemetry-collector Helm chart adds components to the configuration; they are added with their settings unknown.";
    TooManyCollectors = "OD328", Error, "More collectors are given than one run follows (1 000).";
    TooManyPipelines = "OD329", Error, "A collector configuration has more pipelines than otel-dpia reads (100 000).";
    TooManyComponents = "OD330", Error, "A collector configuration has more components than otel-dpia reads (100 000 receivers, processors, exporters, connectors and extensions together).";
    OttlTooLarge = "OD331", Error, "An OTTL statement or condition is longer than 64 KiB or nests deeper than 256 levels.";
    PatternTooLarge = "OD332", Warning, "A regular expression compiles to more than otel-dpia allows (1 MiB for one pattern, 64 MiB for all of a run); the component using it is treated as not understood.";
    SubstitutionTooLarge = "OD333", Error, "The `${...}` references of a collector configuration produce more text than allowed (four times the input size limit).";
    ProjectUnknownKey = "OD401", Error, "The project file has a key that is not part of its schema.";
    ProjectWrongType = "OD402", Error, "A project-file value has the wrong type.";
    ProjectBadValue = "OD403", Error, "A project-file value is not one of the allowed values.";
    ProjectMissingKey = "OD404", Error, "The project file lacks a key that is required.";
    MissingFact = "OD405", Warning, "A fact only a person can give (legal basis, retention, recipient, …) is missing; documents show a TODO.";
    ProjectInvalid = "OD406", Error, "A project-file value is not valid (for example an empty list where one entry is required).";
    SchemaStale = "OD407", Warning, "A generated JSON Schema file differs from the one this version of otel-dpia writes; `schema --check` fails.";
    UnmodelledProcessor = "OD501", Warning, "A processor type is not modelled; the analysis assumes it may add or change anything and removes nothing.";
    UndecidableCondition = "OD502", Info, "A condition cannot be decided from the configuration; what it would remove may still arrive.";
    ValueMasking = "OD503", Info, "A value is masked by a pattern on its content; parts of the original content may still arrive.";
    NoCollectorForEndpoint = "OD504", Warning, "The client sends to an endpoint that no supplied collector serves; whatever listens there may forward the data anywhere.";
    UnknownDestination = "OD505", Warning, "Where an exporter sends data cannot be decided; it is treated as leaving the device to an unknown recipient.";
    OttlNotUnderstood = "OD506", Warning, "An OTTL statement or condition could not be parsed or is not modelled; it is treated as removing nothing and possibly copying anything.";
    UnmodelledExporter = "OD507", Warning, "An exporter type is not known; its destination is treated as unknown and leaving the device.";
    UnmodelledConnector = "OD508", Warning, "A connector type is not modelled; its output is treated as carrying anything its input carries, under unknown keys.";
    SimulationIncomplete = "OD509", Warning, "The simulation cannot run part of a pipeline on the data given (a construct it does not model, or the collector would drop the batch); what that part emits is not shown.";
    ProcessorConfigUnreadable = "OD510", Warning, "A processor's configuration has a value the analysis cannot read; the processor is treated as removing nothing and possibly adding anything.";
    AssumedCollector = "OD511", Info, "Nothing declares which collector serves an address; a supplied collector whose OTLP receiver listens on every interface on that port and protocol is taken to be it.";
    SeveralCollectorsMatch = "OD512", Warning, "Several supplied collectors could serve the same address; the data is followed through each of them.";
    CollectorNotReached = "OD513", Warning, "A supplied collector receives nothing from the clients or the other collectors, so its processors and exporters are in no document.";
    TemplateMissing = "OD601", Error, "A document template for a requested language is neither built in nor in the `--templates` folder.";
    TemplateError = "OD602", Error, "A document template cannot be parsed or fails while rendering.";
    TypstMissing = "OD603", Error, "PDF output needs the typst CLI, which was not found.";
    TypstFailed = "OD604", Error, "The typst CLI could not turn a document into PDF.";
    ListenFailed = "OD701", Error, "`receive` cannot listen on an address given (malformed, in use, or not permitted), or cannot start.";
    CaptureFolderFull = "OD702", Error, "`receive` stopped storing: the output folder holds as many numbered requests as its file names allow (999 999); name a new folder.";
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for code in Code::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "code {s} used twice");
            assert!(
                s.len() == 5 && s.starts_with("OD") && s[2..].chars().all(|c| c.is_ascii_digit()),
                "{s}"
            );
            assert!(
                code.description().ends_with('.'),
                "{s} description must be a sentence"
            );
        }
    }
}
