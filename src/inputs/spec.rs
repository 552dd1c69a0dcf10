//! What to read, after putting the project file and the command-line flags together.
//!
//! The project file's `inputs` section names paths relative to itself; flags name paths
//! relative to the working directory. Flags add to lists and override single values and
//! same-named environment variables, so a CI job can vary one thing without editing the file.

use std::path::PathBuf;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::files::Span;
use crate::limits::MAX_COLLECTORS;
use crate::project::LayerFiles;
use crate::project::LoadedProject;

/// A path to read and where it was named.
#[derive(Debug, Clone, PartialEq)]
pub struct PathRef {
    /// The path, ready to open.
    pub path: PathBuf,
    /// Where the project file names it; `None` for a command-line flag.
    pub named_at: Option<Span>,
}

/// A telemetry source to analyse: `claude-code@2.1.330`.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRef {
    /// The source name, e.g. `claude-code`.
    pub name: String,
    /// The client version; `None` means the newest the catalogue knows.
    pub version: Option<String>,
    /// Where the project file names it; `None` for a flag.
    pub named_at: Option<Span>,
}

/// Where a process-environment variable was given.
#[derive(Debug, Clone, PartialEq)]
pub enum EnvOrigin {
    /// `--env KEY=VALUE`.
    Flag,
    /// The project file's `inputs.env`, at this key.
    Project(Span),
    /// A line of an `--env-file` / `inputs.env_files` file.
    EnvFile(Span),
}

/// One variable of the process environment the agent starts with.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvVar {
    /// Name.
    pub key: String,
    /// Value.
    pub value: String,
    /// Where it was given.
    pub origin: EnvOrigin,
}

/// One collector: its files, merged in order, and what it knows about its surroundings.
#[derive(Debug, Clone, PartialEq)]
pub struct CollectorSpec {
    /// Name used in destination ids.
    pub name: String,
    /// Configuration files, merged in order.
    pub files: Vec<PathRef>,
    /// Values for `${env:X}` in its configuration (collector-specific, then global).
    pub env: Vec<(String, String)>,
    /// Endpoints by which clients reach it.
    pub serves: Vec<String>,
    /// Where the project file declares it.
    pub named_at: Option<Span>,
}

/// A settings file of a layered agent (Codex CLI, Gemini CLI) and the layer it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerFile {
    /// The layer as named (`system`, `user`, `workspace`, …); checked by the agent's reader.
    pub layer: String,
    /// The file.
    pub file: PathRef,
}

/// A `-c KEY=VALUE` override of Codex CLI's command line, not yet parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigOverride {
    /// `KEY=VALUE` as written.
    pub raw: String,
    /// Where the project file gives it; `None` for a flag.
    pub named_at: Option<Span>,
}

/// Everything to read for one run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InputSpec {
    /// Sources to analyse; empty means the default source (Claude Code, newest version).
    pub sources: Vec<SourceRef>,
    /// Managed settings files, folders and profiles.
    pub managed_settings: Vec<PathRef>,
    /// The user settings file.
    pub user_settings: Option<PathRef>,
    /// Claude Code project settings files (`.claude/settings.json`, and
    /// `.claude/settings.local.json`, which is applied after them), in the order given.
    pub project_settings: Vec<PathRef>,
    /// True when the settings files given are every one the clients read (a lab machine,
    /// a capture): no user or repository settings file elsewhere can change what the
    /// managed settings leave open.
    pub no_other_settings: bool,
    /// The process environment, in the order given (a later value for a key wins).
    pub env: Vec<EnvVar>,
    /// Environment files.
    pub env_files: Vec<PathRef>,
    /// Collectors.
    pub collectors: Vec<CollectorSpec>,
    /// Codex CLI configuration files by layer, in the order given.
    pub codex_config: Vec<LayerFile>,
    /// Codex CLI `-c` overrides, in order.
    pub codex_flags: Vec<ConfigOverride>,
    /// Gemini CLI settings files by layer, in the order given.
    pub gemini_settings: Vec<LayerFile>,
    /// Gemini CLI's cached-accounts file (`~/.gemini/google_accounts.json`).
    pub gemini_accounts: Option<PathRef>,
}

/// The inputs as given on the command line (already split, not yet checked).
#[derive(Debug, Clone, Default)]
pub struct FlagInputs {
    /// `--source NAME[@VERSION]`.
    pub sources: Vec<String>,
    /// `--managed-settings FILE|DIR`.
    pub managed_settings: Vec<PathBuf>,
    /// `--user-settings FILE`.
    pub user_settings: Option<PathBuf>,
    /// `--project-settings FILE`.
    pub project_settings: Vec<PathBuf>,
    /// `--no-other-settings`.
    pub no_other_settings: bool,
    /// `--env KEY=VALUE`.
    pub env: Vec<String>,
    /// `--env-file FILE`.
    pub env_files: Vec<PathBuf>,
    /// `--collector [NAME[@ADDRESS,…]=]FILE[,FILE…]`.
    pub collectors: Vec<String>,
    /// `--collector-env KEY=VALUE`, for every collector.
    pub collector_env: Vec<String>,
    /// `--codex-config LAYER=FILE`.
    pub codex_config: Vec<String>,
    /// `--codex-flag KEY=VALUE`.
    pub codex_flags: Vec<String>,
    /// `--gemini-settings LAYER=FILE`.
    pub gemini_settings: Vec<String>,
    /// `--gemini-accounts FILE`.
    pub gemini_accounts: Option<PathBuf>,
}

impl InputSpec {
    /// Puts together the project file's inputs (if any) and the flags.
    pub fn build(
        project: Option<&LoadedProject>,
        flags: &FlagInputs,
        diags: &mut Diagnostics,
    ) -> InputSpec {
        let mut spec = InputSpec::default();
        let mut global_collector_env = Vec::new();
        if let Some(p) = project {
            spec.add_project(p);
        }
        for raw in &flags.sources {
            let source = parse_source(raw, None);
            spec.sources.retain(|s| s.name != source.name);
            spec.sources.push(source);
        }
        spec.managed_settings
            .extend(flags.managed_settings.iter().map(|p| PathRef {
                path: p.clone(),
                named_at: None,
            }));
        if let Some(p) = &flags.user_settings {
            spec.user_settings = Some(PathRef {
                path: p.clone(),
                named_at: None,
            });
        }
        spec.project_settings
            .extend(flags.project_settings.iter().map(|p| PathRef {
                path: p.clone(),
                named_at: None,
            }));
        spec.no_other_settings |= flags.no_other_settings;
        for raw in &flags.env {
            if let Some((key, value)) = split_pair(raw, "--env", diags) {
                spec.env.push(EnvVar {
                    key,
                    value,
                    origin: EnvOrigin::Flag,
                });
            }
        }
        spec.env_files
            .extend(flags.env_files.iter().map(|p| PathRef {
                path: p.clone(),
                named_at: None,
            }));
        for raw in &flags.collector_env {
            if let Some(pair) = split_pair(raw, "--collector-env", diags) {
                global_collector_env.push(pair);
            }
        }
        let given = spec.collectors.len() + flags.collectors.len();
        if given > MAX_COLLECTORS {
            let at = spec.collectors.first().and_then(|c| c.named_at);
            diags.push(
                Diagnostic::new(
                    Code::TooManyCollectors,
                    format!("{given} collectors are given, more than the {MAX_COLLECTORS} one run follows"),
                )
                .at_opt(at)
                .hint("give the collectors of one deployment; analyse unrelated deployments in separate runs"),
            );
            spec.collectors.clear();
        } else {
            for (i, raw) in flags.collectors.iter().enumerate() {
                if let Some(c) = parse_collector_flag(raw, i, diags) {
                    spec.collectors.retain(|x| x.name != c.name);
                    spec.collectors.push(c);
                }
            }
        }
        // Flag values come last so they override the project file's for the same key.
        for c in &mut spec.collectors {
            c.env.extend(global_collector_env.iter().cloned());
        }
        spec.add_agent_flags(flags, diags);
        spec
    }

    /// The Codex CLI and Gemini CLI flags: layer files (a flag replaces the project
    /// file's file for the same layer), `-c` overrides after the project file's.
    fn add_agent_flags(&mut self, flags: &FlagInputs, diags: &mut Diagnostics) {
        for raw in &flags.codex_config {
            if let Some(l) = layer_flag(raw, "--codex-config", diags) {
                self.codex_config.retain(|x| x.layer != l.layer);
                self.codex_config.push(l);
            }
        }
        self.codex_flags
            .extend(flags.codex_flags.iter().map(|raw| ConfigOverride {
                raw: raw.clone(),
                named_at: None,
            }));
        for raw in &flags.gemini_settings {
            if let Some(l) = layer_flag(raw, "--gemini-settings", diags) {
                self.gemini_settings.retain(|x| x.layer != l.layer);
                self.gemini_settings.push(l);
            }
        }
        if let Some(p) = &flags.gemini_accounts {
            self.gemini_accounts = Some(PathRef {
                path: p.clone(),
                named_at: None,
            });
        }
    }

    fn add_project(&mut self, p: &LoadedProject) {
        let inputs = &p.project.inputs;
        let at = |path: &[&str]| Some(p.span_of(path));
        let rel = |s: &str, path: &[&str]| PathRef {
            path: p.dir.join(s),
            named_at: at(path),
        };
        self.sources = inputs
            .sources
            .iter()
            .map(|s| parse_source(s, at(&["inputs", "sources"])))
            .collect();
        self.managed_settings = inputs
            .managed_settings
            .iter()
            .map(|s| rel(s, &["inputs", "managed_settings"]))
            .collect();
        self.user_settings = inputs
            .user_settings
            .as_deref()
            .map(|s| rel(s, &["inputs", "user_settings"]));
        self.project_settings = inputs
            .project_settings
            .iter()
            .enumerate()
            .map(|(i, s)| rel(s, &["inputs", "project_settings", &i.to_string()]))
            .collect();
        self.no_other_settings = inputs.no_other_settings;
        self.env = inputs
            .env
            .iter()
            .map(|(k, v)| EnvVar {
                key: k.clone(),
                value: v.clone(),
                origin: EnvOrigin::Project(p.span_of(&["inputs", "env", k])),
            })
            .collect();
        self.env_files = inputs
            .env_files
            .iter()
            .map(|s| rel(s, &["inputs", "env_files"]))
            .collect();
        self.codex_config = layer_files(p, &inputs.codex_config, "codex_config");
        self.gemini_settings = layer_files(p, &inputs.gemini_settings, "gemini_settings");
        self.codex_flags = inputs
            .codex_flags
            .iter()
            .enumerate()
            .map(|(i, raw)| ConfigOverride {
                raw: raw.clone(),
                named_at: at(&["inputs", "codex_flags", &i.to_string()]),
            })
            .collect();
        self.gemini_accounts = inputs
            .gemini_accounts
            .as_deref()
            .map(|s| rel(s, &["inputs", "gemini_accounts"]));
        self.collectors = inputs
            .collectors
            .iter()
            .map(|c| CollectorSpec {
                name: c.name.clone(),
                files: c
                    .files
                    .iter()
                    .map(|f| rel(f, &["inputs", "collectors"]))
                    .collect(),
                env: c.env.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                serves: c.serves.clone(),
                named_at: at(&["inputs", "collectors"]),
            })
            .collect();
    }
}

/// The layer files of the project file, in either of its two forms.
fn layer_files(p: &LoadedProject, given: &LayerFiles, key: &str) -> Vec<LayerFile> {
    let file = |layer: &str, path: &str, at: Span| LayerFile {
        layer: layer.to_string(),
        file: PathRef {
            path: p.dir.join(path),
            named_at: Some(at),
        },
    };
    match given {
        LayerFiles::ByLayer(map) => map
            .iter()
            .map(|(layer, path)| file(layer, path, p.span_of(&["inputs", key, layer])))
            .collect(),
        LayerFiles::List(list) => list
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let at = p.span_of(&["inputs", key, &i.to_string(), "layer"]);
                file(&l.layer, &l.file, at)
            })
            .collect(),
    }
}

/// `LAYER=FILE`.
fn layer_flag(raw: &str, flag: &str, diags: &mut Diagnostics) -> Option<LayerFile> {
    let (layer, path) = split_pair(raw, flag, diags)?;
    if path.trim().is_empty() {
        diags.push(
            Diagnostic::new(Code::Usage, format!("`{flag} {raw}` names no file"))
                .hint(format!("write it as `{flag} LAYER=path/to/file`")),
        );
        return None;
    }
    Some(LayerFile {
        layer,
        file: PathRef {
            path: PathBuf::from(path.trim()),
            named_at: None,
        },
    })
}

/// `name@version` or `name`.
fn parse_source(raw: &str, named_at: Option<Span>) -> SourceRef {
    match raw.split_once('@') {
        Some((name, version)) => SourceRef {
            name: name.trim().to_string(),
            version: Some(version.trim().to_string()),
            named_at,
        },
        None => SourceRef {
            name: raw.trim().to_string(),
            version: None,
            named_at,
        },
    }
}

/// `KEY=VALUE`; the value may contain `=`.
pub fn split_pair(raw: &str, flag: &str, diags: &mut Diagnostics) -> Option<(String, String)> {
    match raw.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Some((k.trim().to_string(), v.to_string())),
        _ => {
            diags.push(
                Diagnostic::new(
                    Code::Usage,
                    format!("`{flag} {raw}` is not of the form KEY=VALUE"),
                )
                .hint(format!("write it as `{flag} NAME=value`")),
            );
            None
        }
    }
}

/// `[NAME][@ADDRESS[,ADDRESS…]]=FILE[,FILE…]` or `FILE[,FILE…]`. Without a name the
/// collector is called `collector`, or `collector2`, … for later ones. The addresses are
/// what clients and other collectors send to when they mean this collector (its `serves`),
/// e.g. `gateway@otel-gateway.corp.example:4318=gw.yaml,gw.prod.yaml`.
fn parse_collector_flag(raw: &str, index: usize, diags: &mut Diagnostics) -> Option<CollectorSpec> {
    let default_name = || {
        if index == 0 {
            "collector".to_string()
        } else {
            format!("collector{}", index + 1)
        }
    };
    // The part before the first `=` is a name (and addresses) unless it reads as a path.
    let (head, list) = match raw.split_once('=') {
        Some((h, l)) if !h.split('@').next().unwrap_or("").contains(['/', '\\', ',']) => {
            (Some(h), l)
        }
        _ => (None, raw),
    };
    let (name, serves) = match head.map(|h| h.split_once('@').unwrap_or((h, ""))) {
        Some((n, addrs)) => {
            let n = n.trim();
            let name = if n.is_empty() {
                default_name()
            } else {
                n.to_string()
            };
            let serves: Vec<String> = addrs
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect();
            (name, serves)
        }
        None => (default_name(), Vec::new()),
    };
    let hint = "write `--collector otelcol.yaml`, `--collector gateway=base.yaml,override.yaml` or `--collector gateway@otel-gateway.corp.example:4318=gateway.yaml`";
    if let Some(bad) = serves
        .iter()
        .find(|a| crate::analysis::endpoint::HostPort::parse(a).is_none_or(|hp| hp.port.is_none()))
    {
        diags.push(
            Diagnostic::new(
                Code::Usage,
                format!("`--collector {raw}`: `{bad}` is not an address with a port (HOST:PORT or a URL)"),
            )
            .hint(hint),
        );
        return None;
    }
    if head.is_some_and(|h| h.contains('@')) && serves.is_empty() {
        diags.push(
            Diagnostic::new(
                Code::Usage,
                format!("`--collector {raw}` has `@` but no address after it"),
            )
            .hint(hint),
        );
        return None;
    }
    let files: Vec<PathRef> = list
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| PathRef {
            path: PathBuf::from(s),
            named_at: None,
        })
        .collect();
    if files.is_empty() {
        diags.push(
            Diagnostic::new(
                Code::Usage,
                format!("`--collector {raw}` names no configuration file"),
            )
            .hint(hint),
        );
        return None;
    }
    Some(CollectorSpec {
        name,
        files,
        env: Vec::new(),
        serves,
        named_at: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_parse_names_lists_and_pairs() {
        let flags = FlagInputs {
            sources: vec!["claude-code@2.1.197".into()],
            env: vec!["A=1=2".into(), "broken".into()],
            collectors: vec!["agent.yaml".into(), "gw=base.yaml,prod.yaml".into()],
            collector_env: vec!["HOST=example.com".into()],
            ..FlagInputs::default()
        };
        let mut diags = Diagnostics::new();
        let spec = InputSpec::build(None, &flags, &mut diags);
        assert_eq!(spec.sources[0].version.as_deref(), Some("2.1.197"));
        assert_eq!(spec.env.len(), 1);
        assert_eq!(spec.env[0].value, "1=2");
        assert_eq!(diags.iter().next().unwrap().code, Code::Usage);
        assert_eq!(spec.collectors[0].name, "collector");
        assert_eq!(spec.collectors[1].name, "gw");
        assert_eq!(spec.collectors[1].files.len(), 2);
        assert_eq!(
            spec.collectors[1].env,
            vec![("HOST".to_string(), "example.com".to_string())]
        );
    }

    #[test]
    fn a_collector_flag_can_say_what_it_serves() {
        let flags = FlagInputs {
            collectors: vec![
                "gateway@otel-gateway.corp.example:4318=gw.yaml,gw.prod.yaml".into(),
                "@http://10.0.0.7:4317,otel:4318=agent.yaml".into(),
                "dir/with=sign.yaml".into(),
            ],
            ..FlagInputs::default()
        };
        let mut diags = Diagnostics::new();
        let spec = InputSpec::build(None, &flags, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        let gw = &spec.collectors[0];
        assert_eq!(gw.name, "gateway");
        assert_eq!(gw.serves, ["otel-gateway.corp.example:4318"]);
        assert_eq!(gw.files.len(), 2);
        let agent = &spec.collectors[1];
        assert_eq!(agent.name, "collector2");
        assert_eq!(agent.serves, ["http://10.0.0.7:4317", "otel:4318"]);
        let plain = &spec.collectors[2];
        assert!(plain.serves.is_empty());
        assert_eq!(plain.files[0].path, PathBuf::from("dir/with=sign.yaml"));
    }

    #[test]
    fn a_served_address_needs_a_port() {
        for raw in ["gw@otel-gateway=gw.yaml", "gw@=gw.yaml", "gw@host:4318="] {
            let flags = FlagInputs {
                collectors: vec![raw.into()],
                ..FlagInputs::default()
            };
            let mut diags = Diagnostics::new();
            let spec = InputSpec::build(None, &flags, &mut diags);
            assert!(spec.collectors.is_empty(), "{raw}");
            assert_eq!(diags.iter().next().unwrap().code, Code::Usage, "{raw}");
        }
    }
}
