//! Finds the settings files the coding agents read on one machine and turns them into the
//! same input spec the other commands take from flags.
//!
//! This is a pure function of the machine's description (its layout, a root folder, the
//! home and project folders, the process environment), so tests can describe a Linux, macOS
//! or Windows machine as a folder tree. An agent with no settings file and no variable of
//! its own in the environment is reported as not set up rather than analysed with its
//! defaults: nothing on the machine makes it send anything to the employer.
//!
//! The spec never says `no_other_settings`: another repository's settings can still switch
//! on what the managed settings leave open, and the analysis must count that.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::environment::relevant;
use super::layout::{Os, Root, under};
use crate::inputs::{EnvOrigin, EnvVar, InputSpec, LayerFile, PathRef, SourceRef};

/// A coding agent `explain` looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Agent {
    /// Anthropic's Claude Code.
    ClaudeCode,
    /// OpenAI's Codex CLI.
    Codex,
    /// Google's Gemini CLI.
    GeminiCli,
}

impl Agent {
    /// Every agent, in output order.
    pub const ALL: &'static [Agent] = &[Agent::ClaudeCode, Agent::Codex, Agent::GeminiCli];

    /// The source id the catalogue and the analysis use.
    pub fn source(self) -> &'static str {
        match self {
            Agent::ClaudeCode => "claude-code",
            Agent::Codex => "codex",
            Agent::GeminiCli => "gemini-cli",
        }
    }

    /// The product name.
    pub fn name(self) -> &'static str {
        match self {
            Agent::ClaudeCode => "Claude Code",
            Agent::Codex => "Codex CLI",
            Agent::GeminiCli => "Gemini CLI",
        }
    }

    /// The agent of a source id.
    pub fn of_source(source: &str) -> Option<Agent> {
        Agent::ALL.iter().copied().find(|a| a.source() == source)
    }

    /// Whether a variable of the environment belongs to this agent alone (and so shows
    /// that the agent is configured here even without a settings file).
    fn owns_variable(self, key: &str) -> bool {
        match self {
            Agent::ClaudeCode => key.starts_with("CLAUDE_CODE_"),
            Agent::Codex => false,
            Agent::GeminiCli => key.starts_with("GEMINI_TELEMETRY_"),
        }
    }
}

/// Who stands behind a settings file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Settings the employer manages; the employee cannot change them.
    Managed,
    /// System-wide defaults the employer put there; the employee's settings can change them.
    SystemDefaults,
    /// The employee's own settings.
    User,
    /// The settings of the repository (project folder) worked in.
    Project,
}

/// A settings file that was found, as the client knows its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The agent that reads it.
    pub agent: Agent,
    /// The path as the client knows it (`/etc/claude-code/managed-settings.json`,
    /// `~/.claude/settings.json`, `.claude/settings.json`).
    pub shown: String,
    /// Who stands behind it.
    pub role: Role,
}

/// The machine to explain.
#[derive(Debug, Clone)]
pub struct Machine {
    /// Its file layout.
    pub os: Os,
    /// Where its system paths are found.
    pub root: Root,
    /// Its home folder as the machine names it (`/home/alice`, `C:\Users\alice`).
    pub home: Option<String>,
    /// The project folder worked in, on this machine (not under the root).
    pub project: Option<PathBuf>,
    /// The process environment the agents start with (every variable; only the
    /// telemetry-relevant ones are used).
    pub env: BTreeMap<String, String>,
}

/// What discovery found.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    /// What to analyse.
    pub spec: InputSpec,
    /// Every settings file found, in the order the agents are listed.
    pub read: Vec<Found>,
    /// The agents analysed.
    pub present: Vec<Agent>,
    /// The agents with nothing on this machine.
    pub absent: Vec<Agent>,
    /// The names of the environment variables used, sorted (values are never kept here).
    pub env_keys: Vec<String>,
}

/// Collects files while discovering.
struct Collect<'a> {
    machine: &'a Machine,
    out: Discovery,
}

impl Collect<'_> {
    /// The file on this machine if it exists.
    fn system(&self, shown: &str) -> Option<PathBuf> {
        let p = self.machine.root.locate(shown);
        p.exists().then_some(p)
    }

    fn note(&mut self, agent: Agent, shown: String, role: Role) {
        self.out.read.push(Found { agent, shown, role });
    }

    fn home_file(&self, name: &str) -> Option<(PathBuf, String)> {
        let home = self.machine.home.as_deref()?;
        let p = under(&self.machine.root.locate(home), name);
        p.exists().then(|| (p, format!("~/{name}")))
    }

    fn project_file(&self, name: &str) -> Option<(PathBuf, String)> {
        let p = under(self.machine.project.as_deref()?, name);
        let same_as_home = self.home_file(name).is_some_and(|(h, _)| same_file(&h, &p));
        (p.exists() && !same_as_home).then(|| (p, name.to_string()))
    }
}

/// Two paths name the same file (the project folder is the home folder).
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

fn path_ref(path: PathBuf) -> PathRef {
    PathRef {
        path,
        named_at: None,
    }
}

fn layer(layer: &str, path: PathBuf) -> LayerFile {
    LayerFile {
        layer: layer.to_string(),
        file: path_ref(path),
    }
}

/// Finds every settings file and the telemetry-relevant environment of a machine.
pub fn discover(machine: &Machine) -> Discovery {
    let mut c = Collect {
        machine,
        out: Discovery::default(),
    };
    let env: Vec<(&String, &String)> = machine.env.iter().filter(|(k, _)| relevant(k)).collect();
    let mut had_file = BTreeMap::new();
    let before = c.out.read.len();
    claude(&mut c);
    had_file.insert(Agent::ClaudeCode, c.out.read.len() > before);
    let before = c.out.read.len();
    codex(&mut c);
    had_file.insert(Agent::Codex, c.out.read.len() > before);
    let before = c.out.read.len();
    gemini(&mut c);
    had_file.insert(Agent::GeminiCli, c.out.read.len() > before);
    let mut out = c.out;
    for agent in Agent::ALL {
        let owns = env.iter().any(|(k, _)| agent.owns_variable(k));
        if had_file[agent] || owns {
            out.present.push(*agent);
            out.spec.sources.push(SourceRef {
                name: agent.source().to_string(),
                version: None,
                named_at: None,
            });
        } else {
            out.absent.push(*agent);
        }
    }
    for (k, v) in env {
        out.env_keys.push(k.clone());
        out.spec.env.push(EnvVar {
            key: k.clone(),
            value: v.clone(),
            origin: EnvOrigin::Flag,
        });
    }
    out
}

fn claude(c: &mut Collect<'_>) {
    let os = c.machine.os;
    let dir = os.claude_managed_dir();
    for name in ["managed-settings.json", "managed-settings.d"] {
        let shown = os.join(dir, name);
        if let Some(p) = c.system(&shown) {
            c.out.spec.managed_settings.push(path_ref(p));
            c.note(Agent::ClaudeCode, shown, Role::Managed);
        }
    }
    if let Some(shown) = os.claude_plist()
        && let Some(p) = c.system(shown)
    {
        c.out.spec.managed_settings.push(path_ref(p));
        c.note(Agent::ClaudeCode, shown.to_string(), Role::Managed);
    }
    if let Some((p, shown)) = c.home_file(".claude/settings.json") {
        c.out.spec.user_settings = Some(path_ref(p));
        c.note(Agent::ClaudeCode, shown, Role::User);
    }
    for name in [".claude/settings.json", ".claude/settings.local.json"] {
        if let Some((p, shown)) = c.project_file(name) {
            c.out.spec.project_settings.push(path_ref(p));
            c.note(Agent::ClaudeCode, shown, Role::Project);
        }
    }
}

fn codex(c: &mut Collect<'_>) {
    let os = c.machine.os;
    if let Some(dir) = os.codex_system_dir() {
        for (name, id, role) in [
            ("config.toml", "system", Role::SystemDefaults),
            ("managed_config.toml", "managed", Role::Managed),
            ("requirements.toml", "requirements", Role::Managed),
        ] {
            let shown = os.join(dir, name);
            if let Some(p) = c.system(&shown) {
                c.out.spec.codex_config.push(layer(id, p));
                c.note(Agent::Codex, shown, role);
            }
        }
    }
    // `CODEX_HOME` moves the user's folder.
    let user = match c.machine.env.get("CODEX_HOME").filter(|h| !h.is_empty()) {
        Some(home) => {
            let shown = format!("{}/config.toml", home.trim_end_matches(['/', '\\']));
            c.system(&shown).map(|p| (p, shown))
        }
        None => c.home_file(".codex/config.toml"),
    };
    if let Some((p, shown)) = user {
        c.out.spec.codex_config.push(layer("user", p));
        c.note(Agent::Codex, shown, Role::User);
    }
    if let Some((p, shown)) = c.project_file(".codex/config.toml") {
        c.out.spec.codex_config.push(layer("project", p));
        c.note(Agent::Codex, shown, Role::Project);
    }
}

fn gemini(c: &mut Collect<'_>) {
    let os = c.machine.os;
    let dir = os.gemini_system_dir();
    // The two system files can be moved by a variable each.
    for (name, var, id, role) in [
        (
            "system-defaults.json",
            "GEMINI_CLI_SYSTEM_DEFAULTS_PATH",
            "system-defaults",
            Role::SystemDefaults,
        ),
        (
            "settings.json",
            "GEMINI_CLI_SYSTEM_SETTINGS_PATH",
            "system",
            Role::Managed,
        ),
    ] {
        let shown = match c.machine.env.get(var).filter(|v| !v.is_empty()) {
            Some(v) => v.clone(),
            None => os.join(dir, name),
        };
        if let Some(p) = c.system(&shown) {
            c.out.spec.gemini_settings.push(layer(id, p));
            c.note(Agent::GeminiCli, shown, role);
        }
    }
    if let Some((p, shown)) = c.home_file(".gemini/settings.json") {
        c.out.spec.gemini_settings.push(layer("user", p));
        c.note(Agent::GeminiCli, shown, Role::User);
    }
    if let Some((p, shown)) = c.project_file(".gemini/settings.json") {
        c.out.spec.gemini_settings.push(layer("workspace", p));
        c.note(Agent::GeminiCli, shown, Role::Project);
    }
    // The cached Google account: not a setting, but it puts the e-mail address on records.
    if let Some((p, _)) = c.home_file(".gemini/google_accounts.json") {
        c.out.spec.gemini_accounts = Some(path_ref(p));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = under(root, rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn machine(root: &Path, os: Os, project: Option<PathBuf>) -> Machine {
        Machine {
            os,
            root: Root {
                dir: Some(root.to_path_buf()),
            },
            home: Some("/home/alice".into()),
            project,
            env: BTreeMap::from([
                ("PATH".into(), "/usr/bin".into()),
                ("OTEL_EXPORTER_OTLP_HEADERS".into(), "x=secret".into()),
            ]),
        }
    }

    #[test]
    fn finds_each_layout_and_reports_absent_agents() {
        let t = tempfile::tempdir().unwrap();
        write(
            t.path(),
            "Program Files/ClaudeCode/managed-settings.json",
            "{}",
        );
        write(t.path(), "home/alice/.gemini/settings.json", "{}");
        let d = discover(&machine(t.path(), Os::Windows, None));
        let shown: Vec<&str> = d.read.iter().map(|f| f.shown.as_str()).collect();
        assert_eq!(
            shown,
            [
                r"C:\Program Files\ClaudeCode\managed-settings.json",
                "~/.gemini/settings.json"
            ]
        );
        assert_eq!(d.present, [Agent::ClaudeCode, Agent::GeminiCli]);
        assert_eq!(d.absent, [Agent::Codex]);
        assert_eq!(
            d.env_keys,
            ["OTEL_EXPORTER_OTLP_HEADERS"],
            "PATH is not read"
        );
        assert!(!d.spec.no_other_settings);
    }

    #[test]
    fn project_settings_come_from_the_project_folder() {
        let t = tempfile::tempdir().unwrap();
        let project = t.path().join("repo");
        write(&project, ".claude/settings.local.json", "{}");
        write(&project, ".codex/config.toml", "");
        write(t.path(), "etc/codex/requirements.toml", "");
        let d = discover(&machine(t.path(), Os::Linux, Some(project)));
        let shown: Vec<(&str, Role)> = d.read.iter().map(|f| (f.shown.as_str(), f.role)).collect();
        assert_eq!(
            shown,
            [
                (".claude/settings.local.json", Role::Project),
                ("/etc/codex/requirements.toml", Role::Managed),
                (".codex/config.toml", Role::Project),
            ]
        );
        assert_eq!(d.spec.codex_config[0].layer, "requirements");
        assert_eq!(d.spec.codex_config[1].layer, "project");
    }
}
