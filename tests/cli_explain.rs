//! `otel-dpia explain`: the plain-language answer to "what does my machine send?", read
//! from folder trees laid out like a Linux, macOS or Windows machine under `--root`, for
//! each agent, with and without the employee's and a repository's settings, in en, nl
//! and de; and held against the employee notice of the same inputs, which must say the
//! same yes/no for every kind of data.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{repo_dir, texts};

/// A bearer token planted in the managed settings; it must never be printed.
const TOKEN: &str = "tok-PLANTED-5150-never-print";

/// Telemetry on to a remote collector; every content switch pinned off.
fn managed_all_off(host: &str) -> String {
    format!(
        r#"{{"env": {{
  "CLAUDE_CODE_ENABLE_TELEMETRY": "1", "OTEL_LOGS_EXPORTER": "otlp", "OTEL_METRICS_EXPORTER": "otlp",
  "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf", "OTEL_EXPORTER_OTLP_ENDPOINT": "https://{host}:4318",
  "OTEL_LOG_USER_PROMPTS": "0", "OTEL_LOG_ASSISTANT_RESPONSES": "0", "OTEL_LOG_TOOL_DETAILS": "0",
  "OTEL_LOG_TOOL_CONTENT": "0", "OTEL_LOG_RAW_API_BODIES": "0"}}}}"#
    )
}

/// Telemetry on to a remote collector; the prompt switch left open.
fn managed_prompts_open(host: &str) -> String {
    format!(
        r#"{{"env": {{
  "CLAUDE_CODE_ENABLE_TELEMETRY": "1", "OTEL_LOGS_EXPORTER": "otlp", "OTEL_METRICS_EXPORTER": "otlp",
  "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf", "OTEL_EXPORTER_OTLP_ENDPOINT": "https://{host}:4318"}}}}"#
    )
}

const HEADERS_DROP_IN: &str = r#"{"env": {"OTEL_EXPORTER_OTLP_HEADERS": "authorization=Bearer tok-PLANTED-5150-never-print"}}"#;

/// A folder tree standing for one machine.
struct Machine {
    dir: tempfile::TempDir,
}

impl Machine {
    fn new() -> Machine {
        Machine {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The repository folder worked in (outside the root's system folders).
    fn project(&self) -> PathBuf {
        self.root().join("work/repo")
    }

    fn put(&self, rel: &str, text: &str) -> &Self {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    fn put_project(&self, rel: &str, text: &str) -> &Self {
        let p = self.project().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    /// Runs `explain` for this machine with an empty process environment plus `env`.
    fn explain(&self, os: &str, lang: &str, env: &[(&str, &str)], extra: &[&str]) -> Output {
        std::fs::create_dir_all(self.project()).unwrap();
        let home = if os == "windows" {
            r"C:\Users\alice"
        } else {
            "/home/alice"
        };
        let root = self.root().to_str().unwrap();
        let project = self.project();
        let mut args = vec![
            "explain",
            "--root",
            root,
            "--os",
            os,
            "--home",
            home,
            "--project",
            project.to_str().unwrap(),
            "--lang",
            lang,
        ];
        args.extend_from_slice(extra);
        Command::new(env!("CARGO_BIN_EXE_otel-dpia"))
            .args(&args)
            .current_dir(self.root())
            .env_clear()
            .envs(env.iter().copied())
            .output()
            .expect("the binary runs")
    }

    /// `explain` in English, Linux layout; asserts exit 0 and returns standard output.
    fn ok(&self, os: &str, lang: &str) -> String {
        let out = self.explain(os, lang, &[], &[]);
        let (stdout, stderr) = texts(&out);
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        assert!(!stdout.contains(TOKEN), "{stdout}");
        assert!(!stderr.contains(TOKEN), "{stderr}");
        assert!(
            !stdout.contains(self.root().to_str().unwrap()),
            "no path of this machine: {stdout}"
        );
        stdout
    }
}

/// The line about one kind of data (`- Your prompts …: not sent …`).
fn line<'a>(text: &'a str, starts: &str) -> &'a str {
    text.lines()
        .find(|l| l.starts_with(&format!("- {starts}")))
        .unwrap_or_else(|| panic!("no line for `{starts}` in:\n{text}"))
}

#[test]
fn linux_managed_settings_with_a_drop_in_in_three_languages() {
    let m = Machine::new();
    m.put(
        "etc/claude-code/managed-settings.json",
        &managed_all_off("otel.corp.example"),
    )
    .put(
        "etc/claude-code/managed-settings.d/50-headers.json",
        HEADERS_DROP_IN,
    );
    let en = m.ok("linux", "en");
    assert!(en.contains("Telemetry (information about how you use the assistant, sent to your employer) is ON. This was set by your employer's managed settings. You cannot change this yourself."), "{en}");
    assert!(
        en.contains("- to otel.corp.example; it leaves this machine"),
        "{en}"
    );
    assert!(line(&en, "Your prompts").contains(": not sent"), "{en}");
    assert!(
        line(&en, "The output of commands").contains(": not sent"),
        "{en}"
    );
    assert!(line(&en, "How much you use it").contains(": sent"), "{en}");
    assert!(en.contains("What happens after otel.corp.example (a collector or a service) is not visible from this machine. Ask your employer's privacy contact"), "{en}");
    assert!(
        en.contains("- /etc/claude-code/managed-settings.json (your employer's managed settings)"),
        "{en}"
    );
    assert!(
        en.contains("- /etc/claude-code/managed-settings.d (your employer's managed settings)"),
        "{en}"
    );
    assert!(
        en.contains(
            "- On by the assistant's default, not locked by your employer: your account ID"
        ),
        "{en}"
    );
    assert!(
        en.contains("Codex CLI: no settings found on this machine"),
        "{en}"
    );
    assert!(
        !en.contains("OTEL_LOG_USER_PROMPTS"),
        "no setting names without --details: {en}"
    );

    let nl = m.ok("linux", "nl");
    assert!(
        nl.contains("staat AAN. Dit is ingesteld door de beheerde instellingen van je werkgever."),
        "{nl}"
    );
    assert!(
        nl.contains("- naar otel.corp.example; het verlaat deze computer"),
        "{nl}"
    );
    assert!(line(&nl, "Je prompts").contains(": niet verzonden"), "{nl}");
    assert!(nl.contains("Wat er na otel.corp.example"), "{nl}");

    let de = m.ok("linux", "de");
    assert!(
        de.contains("ist EIN. Gesetzt durch die verwalteten Einstellungen Ihres Arbeitgebers."),
        "{de}"
    );
    assert!(
        de.contains("- an otel.corp.example; die Daten verlassen diesen Rechner"),
        "{de}"
    );
    assert!(
        line(&de, "Ihre Prompts").contains(": wird nicht übermittelt"),
        "{de}"
    );
    assert!(de.contains("Was nach otel.corp.example"), "{de}");

    let details = texts(&m.explain("linux", "en", &[], &["--details"])).0;
    assert!(
        details.contains("OTEL_LOG_USER_PROMPTS") || details.contains("settings:"),
        "{details}"
    );
    assert!(
        details.contains("[env.CLAUDE_CODE_ENABLE_TELEMETRY]"),
        "{details}"
    );
    assert!(!details.contains(TOKEN), "{details}");
}

#[test]
fn a_drop_in_alone_switches_telemetry_on() {
    let m = Machine::new();
    m.put(
        "etc/claude-code/managed-settings.d/10-telemetry.json",
        &managed_all_off("dropin.corp.example"),
    );
    let en = m.ok("linux", "en");
    assert!(en.contains("is ON"), "{en}");
    assert!(
        en.contains("- to dropin.corp.example; it leaves this machine"),
        "{en}"
    );
}

#[test]
fn what_the_employer_leaves_open_the_employee_and_a_repository_can_switch_on() {
    // Managed settings only: the prompt switch is open, so prompts may be sent.
    let m = Machine::new();
    m.put(
        "etc/claude-code/managed-settings.json",
        &managed_prompts_open("otel.corp.example"),
    );
    for (lang, prompts, open) in [
        (
            "en",
            "Your prompts",
            "off now, but your own settings or a repository's settings can switch it on",
        ),
        (
            "nl",
            "Je prompts",
            "nu uit, maar je eigen instellingen of de instellingen van een repository kunnen het aanzetten",
        ),
        (
            "de",
            "Ihre Prompts",
            "jetzt aus, aber Ihre eigenen Einstellungen oder die eines Repositorys können es einschalten",
        ),
    ] {
        let text = m.ok("linux", lang);
        let l = line(&text, prompts);
        assert!(l.contains(open), "{lang}: {l}");
        assert!(
            !l.contains("not sent") && !l.contains("niet verzonden"),
            "{lang}: {l}"
        );
    }
    let en = m.ok("linux", "en");
    assert!(
        en.contains("- Not locked by your employer: your prompts"),
        "{en}"
    );

    // The employee's own settings switch prompts on.
    m.put(
        "home/alice/.claude/settings.json",
        r#"{"env": {"OTEL_LOG_USER_PROMPTS": "1"}}"#,
    );
    let en = m.ok("linux", "en");
    let l = line(&en, "Your prompts");
    assert!(
        l.contains(": sent (switched on by your own settings)"),
        "{l}"
    );
    assert!(
        en.contains("- ~/.claude/settings.json (your own settings)"),
        "{en}"
    );
    let nl = m.ok("linux", "nl");
    assert!(
        line(&nl, "Je prompts").contains("aangezet door je eigen instellingen"),
        "{nl}"
    );
    let de = m.ok("linux", "de");
    assert!(
        line(&de, "Ihre Prompts").contains("eingeschaltet durch Ihre eigenen Einstellungen"),
        "{de}"
    );

    // A repository's settings do the same (and `.local` comes after the shared file).
    let r = Machine::new();
    r.put(
        "etc/claude-code/managed-settings.json",
        &managed_prompts_open("otel.corp.example"),
    );
    r.put_project(
        ".claude/settings.json",
        r#"{"env": {"OTEL_LOG_USER_PROMPTS": "0"}}"#,
    )
    .put_project(
        ".claude/settings.local.json",
        r#"{"env": {"OTEL_LOG_USER_PROMPTS": "1"}}"#,
    );
    let en = r.ok("linux", "en");
    assert!(
        line(&en, "Your prompts").contains("switched on by a repository's settings"),
        "{en}"
    );
    assert!(
        en.contains("- .claude/settings.json (this repository's settings)"),
        "{en}"
    );
    assert!(
        en.contains("- .claude/settings.local.json (this repository's settings)"),
        "{en}"
    );

    // Pinned off by the employer, the employee's `1` changes nothing.
    let p = Machine::new();
    p.put(
        "etc/claude-code/managed-settings.json",
        &managed_all_off("otel.corp.example"),
    )
    .put(
        "home/alice/.claude/settings.json",
        r#"{"env": {"OTEL_LOG_USER_PROMPTS": "1"}}"#,
    );
    let en = p.ok("linux", "en");
    assert!(line(&en, "Your prompts").contains(": not sent"), "{en}");
}

#[test]
fn the_environment_is_read_but_never_printed() {
    let m = Machine::new();
    m.put(
        "etc/claude-code/managed-settings.json",
        &managed_prompts_open("otel.corp.example"),
    );
    let header = format!("authorization=Bearer {TOKEN}");
    let out = m.explain(
        "linux",
        "en",
        &[
            ("OTEL_LOG_USER_PROMPTS", "1"),
            ("OTEL_EXPORTER_OTLP_HEADERS", header.as_str()),
            ("GITHUB_TOKEN", "ghp-unrelated"),
        ],
        &["--details"],
    );
    let (en, err) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        line(&en, "Your prompts")
            .contains("switched on by the environment the assistant starts in"),
        "{en}"
    );
    assert!(en.contains("Also read: 2 telemetry variables of the environment (values are not shown). (OTEL_EXPORTER_OTLP_HEADERS, OTEL_LOG_USER_PROMPTS)"), "{en}");
    for secret in [TOKEN, "ghp-unrelated", "GITHUB_TOKEN"] {
        assert!(
            !en.contains(secret) && !err.contains(secret),
            "{secret}: {en}{err}"
        );
    }
}

const PLIST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>env</key>
  <dict>
    <key>CLAUDE_CODE_ENABLE_TELEMETRY</key><string>1</string>
    <key>OTEL_LOGS_EXPORTER</key><string>otlp</string>
    <key>OTEL_EXPORTER_OTLP_PROTOCOL</key><string>http/protobuf</string>
    <key>OTEL_EXPORTER_OTLP_ENDPOINT</key><string>https://mdm.corp.example:4318</string>
    <key>OTEL_EXPORTER_OTLP_HEADERS</key><string>authorization=Bearer tok-PLANTED-5150-never-print</string>
    <key>OTEL_LOG_USER_PROMPTS</key><string>1</string>
  </dict>
</dict>
</plist>
"#;

#[test]
fn macos_layout_reads_the_json_and_the_managed_preferences() {
    let m = Machine::new();
    m.put(
        "Library/Application Support/ClaudeCode/managed-settings.json",
        &managed_all_off("json.corp.example"),
    );
    let en = m.ok("macos", "en");
    assert!(
        en.contains("- to json.corp.example; it leaves this machine"),
        "{en}"
    );
    assert!(en.contains("- /Library/Application Support/ClaudeCode/managed-settings.json (your employer's managed settings)"), "{en}");
    // The same tree read as Linux has nothing.
    assert!(
        m.ok("linux", "en")
            .contains("Claude Code: no settings found")
    );

    // The managed preferences win over the file (the first non-empty policy tier).
    m.put(
        "Library/Managed Preferences/com.anthropic.claudecode.plist",
        PLIST,
    );
    m.put("Users/alice/.claude/settings.json", "{}");
    for lang in ["en", "nl", "de"] {
        let text = m.ok("macos", lang);
        assert!(text.contains("mdm.corp.example"), "{lang}: {text}");
        assert!(!text.contains("json.corp.example"), "{lang}: {text}");
        assert!(
            text.contains("/Library/Managed Preferences/com.anthropic.claudecode.plist"),
            "{text}"
        );
    }
    let en = m.ok("macos", "en");
    assert!(
        line(&en, "Your prompts").contains(": sent (fixed by your employer)"),
        "{en}"
    );
}

#[test]
fn windows_layout_maps_the_drive_under_the_root() {
    let m = Machine::new();
    m.put(
        "Program Files/ClaudeCode/managed-settings.json",
        &managed_prompts_open("win.corp.example"),
    );
    let en = m.ok("windows", "en");
    assert!(en.contains(r"- C:\Program Files\ClaudeCode\managed-settings.json (your employer's managed settings)"), "{en}");
    assert!(
        en.contains("- to win.corp.example; it leaves this machine"),
        "{en}"
    );
    assert!(line(&en, "Your prompts").contains("off now"), "{en}");

    m.put(
        "Users/alice/.claude/settings.json",
        r#"{"env": {"OTEL_LOG_USER_PROMPTS": "1"}}"#,
    );
    m.put_project(
        ".claude/settings.json",
        r#"{"env": {"OTEL_LOG_TOOL_DETAILS": "1"}}"#,
    );
    for (lang, prompts, by_you) in [
        ("en", "Your prompts", "switched on by your own settings"),
        ("nl", "Je prompts", "aangezet door je eigen instellingen"),
        (
            "de",
            "Ihre Prompts",
            "eingeschaltet durch Ihre eigenen Einstellungen",
        ),
    ] {
        let text = m.ok("windows", lang);
        assert!(line(&text, prompts).contains(by_you), "{lang}: {text}");
        assert!(text.contains("~/.claude/settings.json"), "{text}");
        assert!(text.contains(".claude/settings.json"), "{text}");
    }
}

fn example(path: &str) -> String {
    std::fs::read_to_string(repo_dir().join("examples").join(path)).unwrap()
}

#[test]
fn codex_requirements_beat_the_employee_s_config() {
    let m = Machine::new();
    m.put(
        "etc/codex/managed_config.toml",
        &example("three-agents/codex-managed_config.toml"),
    )
    .put(
        "etc/codex/requirements.toml",
        &example("three-agents/codex-requirements.toml"),
    );
    for (lang, on, prompts, not_sent) in [
        ("en", "is ON", "Your prompts", ": not sent"),
        ("nl", "staat AAN", "Je prompts", ": niet verzonden"),
        ("de", "ist EIN", "Ihre Prompts", ": wird nicht übermittelt"),
    ] {
        let text = m.ok("linux", lang);
        assert!(text.contains("== ") && text.contains("Codex CLI"), "{text}");
        assert!(text.contains(on), "{lang}: {text}");
        assert!(text.contains("otel.noordwind.example"), "{lang}: {text}");
        assert!(line(&text, prompts).contains(not_sent), "{lang}: {text}");
        assert!(text.contains("/etc/codex/requirements.toml"), "{text}");
    }
    // The employee's own config asks for prompts: the requirements still win.
    m.put(
        "home/alice/.codex/config.toml",
        "[otel]\nlog_user_prompt = true\n",
    );
    let en = m.ok("linux", "en");
    assert!(line(&en, "Your prompts").contains(": not sent"), "{en}");
    assert!(
        en.contains("- ~/.codex/config.toml (your own settings)"),
        "{en}"
    );
    assert!(
        en.contains("Claude Code: no settings found on this machine"),
        "{en}"
    );
}

#[test]
fn codex_config_of_the_employee_alone() {
    let m = Machine::new();
    m.put(
        "home/alice/.codex/config.toml",
        "[otel]\nlog_user_prompt = true\nexporter = { otlp-http = { endpoint = \"https://mine.example:4318/v1/logs\", protocol = \"binary\" } }\n",
    );
    let en = m.ok("linux", "en");
    assert!(
        en.contains("is ON. This was set by your own settings."),
        "{en}"
    );
    assert!(
        line(&en, "Your prompts").contains("switched on by your own settings"),
        "{en}"
    );
}

#[test]
fn gemini_system_settings_beat_the_employee_s() {
    let m = Machine::new();
    m.put(
        "etc/gemini-cli/settings.json",
        &example("three-agents/gemini-system-settings.json"),
    );
    let base = m.ok("linux", "en");
    assert!(base.contains("Gemini CLI"), "{base}");
    assert!(
        base.contains("is ON. This was set by your employer's managed settings."),
        "{base}"
    );
    // The prompt switch is off in the system settings, but Gemini's environment variables
    // beat every file: not locked. (The command line may carry a prompt anyway.)
    assert!(
        line(&base, "The assistant's answers").contains("off now"),
        "{base}"
    );
    m.put(
        "home/alice/.gemini/settings.json",
        r#"{"telemetry": {"logPrompts": true}}"#,
    );
    m.put_project(
        ".gemini/settings.json",
        r#"{"telemetry": {"logPrompts": true}}"#,
    );
    // The system settings beat the employee's and the workspace's `true`.
    for (lang, answers, off) in [
        ("en", "The assistant's answers", "off now"),
        ("nl", "De antwoorden van de assistent", "nu uit"),
        ("de", "Die Antworten des Assistenten", "jetzt aus"),
    ] {
        let text = m.ok("linux", lang);
        assert!(text.contains("otel.noordwind.example"), "{lang}: {text}");
        assert!(line(&text, answers).contains(off), "{lang}: {text}");
        assert!(text.contains("~/.gemini/settings.json"), "{text}");
        assert!(text.contains(".gemini/settings.json"), "{text}");
    }
}

#[test]
fn gemini_user_settings_alone_and_the_macos_and_windows_folders() {
    let m = Machine::new();
    m.put(
        "home/alice/.gemini/settings.json",
        r#"{"telemetry": {"enabled": true, "target": "local", "otlpEndpoint": "https://me.example:4318", "otlpProtocol": "http", "logPrompts": true}}"#,
    );
    let en = m.ok("linux", "en");
    assert!(
        en.contains("is ON. This was set by your own settings."),
        "{en}"
    );
    assert!(
        line(&en, "Your prompts").contains("switched on by your own settings"),
        "{en}"
    );

    let mac = Machine::new();
    mac.put(
        "Library/Application Support/GeminiCli/settings.json",
        &example("three-agents/gemini-system-settings.json"),
    );
    assert!(
        mac.ok("macos", "en")
            .contains("/Library/Application Support/GeminiCli/settings.json")
    );
    let win = Machine::new();
    win.put(
        "ProgramData/gemini-cli/settings.json",
        &example("three-agents/gemini-system-settings.json"),
    );
    assert!(
        win.ok("windows", "en")
            .contains(r"C:\ProgramData\gemini-cli\settings.json")
    );
}

#[test]
fn a_machine_with_nothing_set_up_says_so() {
    let m = Machine::new();
    for (lang, text) in [
        ("en", "Claude Code: no settings found on this machine"),
        (
            "nl",
            "Claude Code: geen instellingen gevonden op deze computer",
        ),
        (
            "de",
            "Claude Code: keine Einstellungen auf diesem Rechner gefunden",
        ),
    ] {
        let out = m.ok("linux", lang);
        assert!(out.contains(text), "{out}");
    }
}

#[test]
fn a_broken_settings_file_is_a_located_error() {
    let m = Machine::new();
    m.put("etc/claude-code/managed-settings.json", "{\"env\": ");
    let out = m.explain("linux", "en", &[], &[]);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("OD104"), "{stderr}");
}

/// The kinds of data and their labels in the notice's table (`item_short`), by the start of
/// `explain`'s line (`item`).
const KINDS: &[(&str, &str)] = &[
    ("Your prompts", "Prompts"),
    ("The assistant's answers", "Responses"),
    ("The text of commands", "Commands run"),
    (
        "The output of commands and tools",
        "Tool and command output",
    ),
    ("The content of files", "File contents"),
    ("Names and paths of files", "File paths"),
    ("Your e-mail address", "E-mail address"),
    ("Your account ID", "Account IDs"),
    ("Technical IDs", "Installation, session and request IDs"),
    ("How much you use it", "Usage and cost"),
];

/// Whether the notice's table puts a kind under "What is collected".
fn notice_collects(notice: &str, label: &str) -> bool {
    let mut yes = false;
    let mut no = false;
    for row in notice.lines().filter(|l| l.starts_with("| ")) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let (left, right) = (
            cells.get(1).copied().unwrap_or(""),
            cells.get(2).copied().unwrap_or(""),
        );
        yes |= left == label || left.starts_with(&format!("{label} ("));
        no |= right == label || right.starts_with(&format!("{label} ("));
    }
    assert!(
        yes != no,
        "`{label}` must be in exactly one column:\n{notice}"
    );
    yes
}

#[test]
fn explain_and_the_notice_agree_on_what_is_sent() {
    for managed in [
        "content-to-us-saas/managed-settings.json",
        "metadata-only/managed-settings.json",
        "dutch-employer/managed-settings.json",
        "three-agents/claude-managed-settings.json",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let file = repo_dir().join("examples").join(managed);
        let file = file.to_str().unwrap();
        let run = |args: &[&str]| {
            Command::new(env!("CARGO_BIN_EXE_otel-dpia"))
                .args(args)
                .current_dir(dir.path())
                .env_clear()
                .output()
                .unwrap()
        };
        let ex = run(&["explain", "--managed-settings", file, "--lang", "en"]);
        let (explained, err) = texts(&ex);
        assert_eq!(ex.status.code(), Some(0), "{managed}: {err}");
        let r = run(&[
            "render",
            "--managed-settings",
            file,
            "--out",
            "out",
            "--format",
            "md",
            "--lang",
            "en",
            "--date",
            "2026-07-01",
        ]);
        assert_eq!(r.status.code(), Some(0), "{managed}: {}", texts(&r).1);
        let notice = std::fs::read_to_string(dir.path().join("out/en/notice.md")).unwrap();
        for (start, label) in KINDS {
            let l = line(&explained, start);
            let sent = !l.contains(": not sent");
            assert_eq!(
                sent,
                notice_collects(&notice, label),
                "{managed}: `{label}` — explain says `{l}`"
            );
        }
        // The notice's own sentences for the first kinds.
        let prompts_sent = !line(&explained, "Your prompts").contains(": not sent");
        assert_eq!(
            prompts_sent,
            !notice.contains("Your prompts (what you type) are **not sent**"),
            "{managed}"
        );
        // The same inputs found as installed files give the same text.
        let m = Machine::new();
        m.put(
            "etc/claude-code/managed-settings.json",
            &std::fs::read_to_string(file).unwrap(),
        );
        let found = m.ok("linux", "en");
        for (start, _) in KINDS {
            assert_eq!(line(&found, start), line(&explained, start), "{managed}");
        }
    }
}

/// The kinds the notice's "Per assistant" list for `agent` puts under `Sent:` (true) or
/// `Not sent:` (false).
fn per_assistant(notice: &str, agent: &str) -> Vec<(String, bool)> {
    let at = notice
        .find(&format!("**{agent}**"))
        .unwrap_or_else(|| panic!("no section for {agent}:\n{notice}"));
    let mut out = Vec::new();
    for l in notice[at..].lines().skip(1).take(2) {
        let (sent, list) = match (l.strip_prefix("- Sent: "), l.strip_prefix("- Not sent: ")) {
            (Some(list), _) => (true, list),
            (_, Some(list)) => (false, list),
            _ => panic!("{agent}: unexpected line `{l}`"),
        };
        for item in list.trim_end_matches('.').split("; ") {
            let label = item.split(" (").next().unwrap_or(item);
            out.push((label.to_string(), sent));
        }
    }
    out
}

/// Codex CLI and Gemini CLI next to Claude Code: for each agent, explain and the notice's
/// "Per assistant" lists (English, the same inputs without a collector) agree on what is
/// sent.
#[test]
fn explain_and_the_notice_agree_for_every_agent() {
    let dir = tempfile::tempdir().unwrap();
    let ex = repo_dir().join("examples/three-agents");
    let f = |n: &str| ex.join(n).to_str().unwrap().to_string();
    let inputs = [
        "--source".to_string(),
        "claude-code@2.1.330".into(),
        "--source".into(),
        "codex@0.169.0".into(),
        "--source".into(),
        "gemini-cli@0.61.0".into(),
        "--managed-settings".into(),
        f("claude-managed-settings.json"),
        "--codex-config".into(),
        format!("managed={}", f("codex-managed_config.toml")),
        "--codex-config".into(),
        format!("requirements={}", f("codex-requirements.toml")),
        "--gemini-settings".into(),
        format!("system={}", f("gemini-system-settings.json")),
    ];
    let run = |args: &[&str]| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(inputs.iter().map(String::as_str));
        Command::new(env!("CARGO_BIN_EXE_otel-dpia"))
            .args(&all)
            .current_dir(dir.path())
            .env_clear()
            .output()
            .unwrap()
    };
    let out = run(&["explain", "--lang", "en"]);
    let (explained, err) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let r = run(&[
        "render",
        "--out",
        "out",
        "--format",
        "md",
        "--lang",
        "en",
        "--date",
        "2026-07-01",
    ]);
    assert_eq!(r.status.code(), Some(0), "{}", texts(&r).1);
    let notice = std::fs::read_to_string(dir.path().join("out/en/notice.md")).unwrap();
    let mut compared = 0;
    for (agent, notice_name) in [
        ("Claude Code", "Claude Code"),
        ("Codex CLI", "OpenAI Codex CLI"),
        ("Gemini CLI", "Google Gemini CLI"),
    ] {
        let header = format!("== What {agent} on this machine sends");
        let start = explained
            .find(&header)
            .unwrap_or_else(|| panic!("no section for {agent}:\n{explained}"));
        let section = &explained[start + header.len()..];
        let section = &section[..section.find("\n== ").unwrap_or(section.len())];
        let lists = per_assistant(&notice, notice_name);
        for (start, label) in KINDS {
            let Some((_, in_notice)) = lists.iter().find(|(l, _)| l == label) else {
                continue;
            };
            let l = line(section, start);
            assert_eq!(
                !l.contains(": not sent"),
                *in_notice,
                "{agent}: `{label}` — explain says `{l}`, the notice the opposite"
            );
            compared += 1;
        }
    }
    assert!(compared >= 24, "kinds compared: {compared}");
}
