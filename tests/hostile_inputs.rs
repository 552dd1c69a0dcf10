//! Hostile inputs against the real binary: every one is answered with exit code 2, a message
//! that names the file (and the line where there is one) and the diagnostic's code, and no
//! output at all (`analyze --format json` prints nothing, `render --out DIR` and
//! `init --out FILE` create nothing); or with exit code 0 where the input is legitimately
//! fine. How long each case takes is measured by hand, not asserted: tests do not time.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::texts;

const SETTINGS: &str = r#"{
  "env": {
    "CLAUDE_CODE_ENABLE_TELEMETRY": "1",
    "OTEL_LOGS_EXPORTER": "otlp",
    "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
    "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector.example:4318"
  }
}
"#;

const COLLECTOR: &str = "receivers:
  otlp:
    protocols:
      http:
        endpoint: 0.0.0.0:4318
exporters:
  otlphttp:
    endpoint: https://backend.example
service:
  pipelines:
    logs:
      receivers: [otlp]
      exporters: [otlphttp]
";

/// A collector whose exporter endpoint is `value`, written on line 8.
fn collector_with_endpoint(value: &str) -> String {
    COLLECTOR.replace("https://backend.example", value)
}

/// What a case must end with.
enum Expect {
    /// Exit 2; the code and every text (file names, `file:line`) appear on standard error.
    Refused(&'static str, Vec<String>),
    /// Exit 0 (the input is fine); the texts appear on standard error (warnings).
    Fine(Vec<String>),
}

/// One hostile input: a folder with its files, the flags that name them, what must happen.
struct Case {
    name: &'static str,
    dir: tempfile::TempDir,
    args: Vec<String>,
    expect: Expect,
}

impl Case {
    fn new(name: &'static str) -> Case {
        Case {
            name,
            dir: tempfile::tempdir().expect("a temporary folder"),
            args: Vec::new(),
            expect: Expect::Fine(Vec::new()),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file of the case.
    fn file(self, name: &str, content: impl AsRef<[u8]>) -> Case {
        let path = self.path(name);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("folder");
        std::fs::write(path, content).expect("written");
        self
    }

    /// Adds flags (relative paths are inside the case's folder, where the binary runs).
    fn args(mut self, args: &[&str]) -> Case {
        self.args.extend(args.iter().map(|a| a.to_string()));
        self
    }

    /// The usual valid managed settings, so that a case is only about its one input.
    fn with_settings(self) -> Case {
        self.file("managed-settings.json", SETTINGS)
            .args(&["--managed-settings", "managed-settings.json"])
    }

    fn refused(mut self, code: &'static str, texts: &[&str]) -> Case {
        self.expect = Expect::Refused(code, texts.iter().map(|t| t.to_string()).collect());
        self
    }

    fn fine(mut self, texts: &[&str]) -> Case {
        self.expect = Expect::Fine(texts.iter().map(|t| t.to_string()).collect());
        self
    }

    fn run(&self, command: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_otel-dpia"))
            .args(command)
            .args(&self.args)
            .current_dir(self.dir.path())
            .env_remove("OTEL_DPIA_DIAGNOSTIC_FORMAT")
            .env_remove("OTEL_DPIA_MAX_INPUT_SIZE")
            .output()
            .expect("the binary runs")
    }

    /// Runs `analyze --format json`, `render --out DIR` and `init --out FILE` and checks
    /// each against the expectation.
    fn check(&self) {
        let analyze = self.run(&["analyze", "--format", "json"]);
        self.judge("analyze --format json", &analyze);
        let render = self.run(&["render", "--out", "documents"]);
        self.judge("render --out documents", &render);
        let init = self.run(&["init", "--out", "new-dpia.yaml"]);
        self.judge("init --out new-dpia.yaml", &init);
        if let Expect::Refused(..) = self.expect {
            for made in ["documents", "new-dpia.yaml"] {
                assert!(
                    !self.path(made).exists(),
                    "{}: `{made}` was written although the input was refused",
                    self.name
                );
            }
        }
    }

    fn judge(&self, command: &str, out: &Output) {
        let (stdout, stderr) = texts(out);
        let name = self.name;
        let code = out.status.code();
        match &self.expect {
            Expect::Refused(diag, wanted) => {
                assert_eq!(code, Some(2), "{name}: `{command}` must exit 2\n{stderr}");
                assert!(
                    stdout.is_empty(),
                    "{name}: `{command}` printed output on exit 2"
                );
                assert!(
                    stderr.contains(&format!("error[{diag}]")),
                    "{name}: `{command}` must report {diag}\n{stderr}"
                );
                for w in wanted {
                    assert!(
                        stderr.contains(w.as_str()),
                        "{name}: `{command}` must name `{w}`\n{stderr}"
                    );
                }
            }
            Expect::Fine(wanted) => {
                assert_eq!(code, Some(0), "{name}: `{command}` must exit 0\n{stderr}");
                for w in wanted {
                    assert!(
                        stderr.contains(w.as_str()),
                        "{name}: `{command}` must name `{w}`\n{stderr}"
                    );
                }
            }
        }
    }
}

/// True when this process can read a file whose permissions forbid it (it runs as root):
/// then `chmod 000` makes no unreadable file and another kind of unreadable input is used.
#[cfg(unix)]
fn permissions_are_not_enforced(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    let probe = dir.join("probe");
    std::fs::write(&probe, "x").expect("written");
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let readable = std::fs::read(&probe).is_ok();
    std::fs::remove_file(&probe).expect("removed");
    readable
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo runs");
}

/// Nine levels of nine-fold aliases: 9⁹ nodes from a few hundred bytes.
fn alias_bomb() -> String {
    let mut text = String::from(
        "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(",");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    text + COLLECTOR
}

/// A binary property list of `n` arrays, each holding the next one twice: 2ⁿ values.
fn plist_bomb(n: u8) -> Vec<u8> {
    let mut out = b"bplist00".to_vec();
    let mut offsets = Vec::new();
    for i in 0..n {
        offsets.push(out.len());
        out.extend([0xA2, i + 1, i + 1]);
    }
    offsets.push(out.len());
    out.push(0x09);
    let table = out.len();
    for o in &offsets {
        out.extend(u16::try_from(*o).expect("small").to_be_bytes());
    }
    out.extend([0; 6]);
    out.extend([2, 1]);
    out.extend((offsets.len() as u64).to_be_bytes());
    out.extend(0u64.to_be_bytes());
    out.extend((table as u64).to_be_bytes());
    out
}

/// A collector with `n` pipelines.
fn many_pipelines(n: usize) -> String {
    let mut text = COLLECTOR.to_string();
    for i in 0..n {
        text.push_str(&format!(
            "    logs/{i}:\n      receivers: [otlp]\n      exporters: [otlphttp]\n"
        ));
    }
    text
}

/// A transform processor with one statement, in the collector's logs pipeline.
fn with_transform(statement: &str) -> String {
    let statement = statement.replace('\'', "''");
    COLLECTOR.replace(
        "exporters:\n  otlphttp:",
        &format!("processors:\n  transform:\n    log_statements:\n      - '{statement}'\nexporters:\n  otlphttp:"),
    )
    .replace("      exporters: [otlphttp]", "      processors: [transform]\n      exporters: [otlphttp]")
}

fn collector_cases() -> Vec<Case> {
    let deep_yaml = format!(
        "x: {}1{}\n{COLLECTOR}",
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    let mut deep_block = String::from("receivers:\n");
    for level in 1..200 {
        deep_block.push_str(&format!("{}k{level}:\n", " ".repeat(level)));
    }
    vec![
        Case::new("YAML alias bomb")
            .with_settings()
            .file("bomb.yaml", alias_bomb())
            .args(&["--collector", "bomb.yaml"])
            .refused("OD113", &["bomb.yaml:6", "`*a4`"]),
        Case::new("YAML flow nesting 20 000 deep")
            .with_settings()
            .file("deep.yaml", deep_yaml)
            .args(&["--collector", "deep.yaml"])
            .refused("OD114", &["deep.yaml:1"]),
        Case::new("YAML block nesting 200 deep")
            .with_settings()
            .file("deep.yaml", deep_block)
            .args(&["--collector", "deep.yaml"])
            .refused("OD114", &["deep.yaml:129"]),
        Case::new("YAML value of 2 MiB")
            .with_settings()
            .file("long.yaml", collector_with_endpoint(&"x".repeat(2 << 20)))
            .args(&["--collector", "long.yaml"])
            .refused("OD115", &["long.yaml:8", "not shown"]),
        Case::new("YAML duplicate key")
            .with_settings()
            .file(
                "dup.yaml",
                COLLECTOR.replace(
                    "exporters:\n  otlphttp:\n",
                    "exporters:\n  otlphttp:\n    endpoint: https://a.example\n",
                ),
            )
            .args(&["--collector", "dup.yaml"])
            .refused("OD107", &["dup.yaml:9"]),
        Case::new("YAML with a byte-order mark (the collector's YAML reader skips it)")
            .with_settings()
            .file("bom.yaml", format!("\u{FEFF}{COLLECTOR}"))
            .args(&["--collector", "bom.yaml"])
            .fine(&[]),
        Case::new("YAML with a NUL byte")
            .with_settings()
            .file(
                "nul.yaml",
                COLLECTOR.replace("otlphttp:\n    endpoint", "otlphttp:\n    end\0point"),
            )
            .args(&["--collector", "nul.yaml"])
            .refused("OD103", &["nul.yaml:8"]),
        Case::new("empty collector file")
            .with_settings()
            .file("empty.yaml", "")
            .args(&["--collector", "empty.yaml"])
            .refused("OD320", &["empty.yaml"]),
        Case::new("a folder given as the collector")
            .with_settings()
            .file("conf.d/x.yaml", COLLECTOR)
            .args(&["--collector", "conf.d"])
            .refused("OD112", &["`conf.d` is a folder"]),
        Case::new("invalid UTF-8")
            .with_settings()
            .file("latin1.yaml", b"receivers:\n  otlp: # caf\xe9\n")
            .args(&["--collector", "latin1.yaml"])
            .refused("OD102", &["latin1.yaml"]),
        Case::new("a file past --max-input-size")
            .with_settings()
            .file("c.yaml", COLLECTOR)
            .args(&["--collector", "c.yaml", "--max-input-size", "100"])
            .refused("OD111", &["`c.yaml` is", "more than the 100 bytes"]),
        Case::new("${file:/dev/zero}")
            .with_settings()
            .file("zero.yaml", collector_with_endpoint("${file:/dev/zero}"))
            .args(&["--collector", "zero.yaml"])
            .refused("OD112", &["zero.yaml:8", "/dev/zero` is a device"]),
        Case::new("${file:} of a folder")
            .with_settings()
            .file("sub/keep", "")
            .file("folder.yaml", collector_with_endpoint("${file:sub}"))
            .args(&["--collector", "folder.yaml"])
            .refused("OD112", &["folder.yaml:8", "is a folder"]),
        Case::new("${file:} past the size limit")
            .with_settings()
            .file("big.txt", "x".repeat(2000))
            .file("big-ref.yaml", collector_with_endpoint("${file:big.txt}"))
            .args(&["--collector", "big-ref.yaml", "--max-input-size", "1KiB"])
            .refused("OD111", &["big-ref.yaml:8", "more than the 1 KiB"]),
        Case::new("${env:} that refers to itself")
            .with_settings()
            .file("self.yaml", collector_with_endpoint("${env:A}"))
            .args(&["--collector", "self.yaml", "--collector-env", "A=${env:A}"])
            .refused("OD318", &["self.yaml:8"]),
        Case::new("${env:} that grows, used in many places")
            .with_settings()
            .file("grow.yaml", {
                let mut text = collector_with_endpoint("${env:A}");
                for i in 0..50 {
                    text = text.replace(
                        "exporters:\n",
                        &format!("exporters:\n  otlphttp/{i}:\n    endpoint: ${{env:A}}\n"),
                    );
                }
                text
            })
            .args(&[
                "--collector",
                "grow.yaml",
                "--collector-env",
                &format!("A={}${{env:A}}", "x".repeat(1000)),
            ])
            .refused("OD333", &["grow.yaml:"]),
        Case::new("100 001 pipelines")
            .with_settings()
            .file("pipelines.yaml", many_pipelines(100_000))
            .args(&["--collector", "pipelines.yaml"])
            .refused("OD329", &["pipelines.yaml:300011", "has 100001 pipelines"]),
        Case::new("an OTTL statement of 70 KiB")
            .with_settings()
            .file(
                "ottl.yaml",
                with_transform(&format!(
                    "set(log.attributes[\"k\"], \"{}\")",
                    "x".repeat(70 * 1024)
                )),
            )
            .args(&["--collector", "ottl.yaml"])
            .refused("OD331", &["ottl.yaml:9"]),
        Case::new("an OTTL statement nested 1 000 deep")
            .with_settings()
            .file(
                "ottl.yaml",
                with_transform(&format!(
                    "set(log.attributes[\"k\"], {}1{})",
                    "(".repeat(1000),
                    ")".repeat(1000)
                )),
            )
            .args(&["--collector", "ottl.yaml"])
            .refused("OD331", &["ottl.yaml:9"]),
        Case::new("a regular expression too large to compile (treated as not understood)")
            .with_settings()
            .file(
                "regex.yaml",
                with_transform(
                    "replace_pattern(log.attributes[\"k\"], \"(\\\\pL{10}){30}\", \"x\")",
                ),
            )
            .args(&["--collector", "regex.yaml"])
            .fine(&["warning[OD332]", "regex.yaml:9"]),
        Case::new("1 001 collectors")
            .with_settings()
            .file("c.yaml", COLLECTOR)
            .args(&["--collector", "c.yaml"].repeat(1001))
            .refused("OD328", &["1001 collectors"]),
    ]
}

fn settings_cases() -> Vec<Case> {
    let deep_json = format!("{{\"env\": {}1{}}}", "[".repeat(20_000), "]".repeat(20_000));
    vec![
        Case::new("JSON nested 20 000 deep")
            .file("deep.json", deep_json)
            .args(&["--managed-settings", "deep.json"])
            .refused("OD114", &["deep.json:1"]),
        Case::new("JSON nested 200 deep")
            .file("deep.json", format!("{{\"env\": {}1{}}}", "[".repeat(200), "]".repeat(200)))
            .args(&["--managed-settings", "deep.json"])
            .refused("OD114", &["deep.json:1"]),
        Case::new("JSON value of 2 MiB")
            .file("long.json", SETTINGS.replace("http://collector.example:4318", &"x".repeat(2 << 20)))
            .args(&["--managed-settings", "long.json"])
            .refused("OD115", &["long.json:6"]),
        Case::new("JSON with a byte-order mark (JSON.parse refuses it)")
            .file("bom.json", format!("\u{FEFF}{SETTINGS}"))
            .args(&["--managed-settings", "bom.json"])
            .refused("OD104", &["bom.json:1", "byte-order mark"]),
        Case::new("JSON with a NUL byte")
            .file("nul.json", SETTINGS.replace("\"1\"", "\"1\0\""))
            .args(&["--managed-settings", "nul.json"])
            .refused("OD104", &["nul.json:3"]),
        Case::new("JSON duplicate key (JSON.parse keeps the last)")
            .file("dup.json", SETTINGS.replace("\"OTEL_LOGS_EXPORTER\": \"otlp\",", "\"OTEL_LOGS_EXPORTER\": \"none\",\n    \"OTEL_LOGS_EXPORTER\": \"otlp\","))
            .args(&["--managed-settings", "dup.json"])
            .fine(&["warning[OD107]", "dup.json:5"]),
        Case::new("empty JSON settings file")
            .file("empty.json", "")
            .args(&["--managed-settings", "empty.json"])
            .refused("OD104", &["empty.json"]),
        Case::new("a folder where the settings file is expected")
            .file("user/x", "")
            .args(&["--user-settings", "user"])
            .refused("OD112", &["`user` is a folder"]),
        Case::new("TOML nested 20 000 deep")
            .file("config.toml", format!("[otel]\nexporter = {}1{}\n", "[".repeat(20_000), "]".repeat(20_000)))
            .args(&["--source", "codex", "--codex-config", "system=config.toml"])
            .refused("OD114", &["config.toml:2"]),
        Case::new("TOML value of 2 MiB")
            .file("config.toml", format!("[otel]\nenvironment = \"{}\"\n", "x".repeat(2 << 20)))
            .args(&["--source", "codex", "--codex-config", "system=config.toml"])
            .refused("OD115", &["config.toml:2"]),
        Case::new("TOML with a byte-order mark (the TOML parser Codex uses skips it)")
            .file("config.toml", "\u{FEFF}[otel]\nlog_user_prompt = false\n")
            .args(&["--source", "codex", "--codex-config", "system=config.toml"])
            .fine(&[]),
        Case::new("TOML duplicate key")
            .file("config.toml", "[otel]\nlog_user_prompt = false\nlog_user_prompt = true\n")
            .args(&["--source", "codex", "--codex-config", "system=config.toml"])
            .refused("OD215", &["config.toml:3"]),
        Case::new("property list nested 20 000 deep")
            .file("deep.plist", format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict><key>env</key>{}{}</dict>\n</plist>\n", "<array>".repeat(20_000), "</array>".repeat(20_000)))
            .args(&["--managed-settings", "deep.plist"])
            .refused("OD114", &["deep.plist:1"]),
        Case::new("project file alias bomb")
            .file("dpia.yaml", alias_bomb().replace(COLLECTOR, "schema_version: 1\n"))
            .args(&["dpia.yaml"])
            .refused("OD113", &["dpia.yaml:6", "`*a4`"]),
        Case::new("binary property list whose objects share children (2⁴⁰ values)")
            .file("bomb.plist", plist_bomb(40))
            .args(&["--managed-settings", "bomb.plist"])
            .refused("OD113", &["bomb.plist:1"]),
    ]
}

#[cfg(unix)]
fn special_file_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let fifo = Case::new("a named pipe given as the collector")
        .with_settings()
        .args(&["--collector", "pipe.yaml"])
        .refused("OD112", &["`pipe.yaml` is a named pipe"]);
    mkfifo(&fifo.path("pipe.yaml"));
    cases.push(fifo);
    let drop_in = |name: &'static str| {
        Case::new(name)
            .file("managed/managed-settings.json", SETTINGS)
            .file("managed/managed-settings.d/10-ok.json", "{}")
            .args(&["--managed-settings", "managed"])
    };
    let looped = drop_in("a symbolic link loop in managed-settings.d/").refused(
        "OD101",
        &["20-loop.json` is a symbolic link that leads back to itself"],
    );
    let at = looped.path("managed/managed-settings.d/20-loop.json");
    std::os::unix::fs::symlink(&at, &at).expect("a link");
    cases.push(looped);
    let folder = drop_in("a folder named like a drop-in file")
        .file("managed/managed-settings.d/30-folder.json/x", "")
        .refused("OD112", &["30-folder.json` is a folder"]);
    cases.push(folder);
    let piped = drop_in("a named pipe in managed-settings.d/")
        .refused("OD112", &["40-pipe.json` is a named pipe"]);
    mkfifo(&piped.path("managed/managed-settings.d/40-pipe.json"));
    cases.push(piped);
    let probe = tempfile::tempdir().expect("a temporary folder");
    let unreadable = if permissions_are_not_enforced(probe.path()) {
        // Running as root: chmod 000 stops nothing, so the unreadable file is a link to a
        // file that is not there.
        let case = drop_in("an unreadable drop-in (a dangling link: permissions do not bind root)")
            .refused("OD101", &["50-gone.json` is a symbolic link to nothing"]);
        std::os::unix::fs::symlink(
            case.path("nowhere.json"),
            case.path("managed/managed-settings.d/50-gone.json"),
        )
        .expect("a link");
        case
    } else {
        use std::os::unix::fs::PermissionsExt as _;
        let case = drop_in("an unreadable drop-in (chmod 000)")
            .file("managed/managed-settings.d/50-secret.json", SETTINGS)
            .refused(
                "OD101",
                &["50-secret.json` cannot be read (permission denied)"],
            );
        let path = case.path("managed/managed-settings.d/50-secret.json");
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
        case
    };
    cases.push(unreadable);
    cases
}

/// A `--templates` folder whose template is a named pipe: refused, nothing written.
#[cfg(unix)]
#[test]
fn a_template_that_is_a_pipe_is_refused_without_waiting() {
    let case = Case::new("template pipe")
        .with_settings()
        .file("c.yaml", COLLECTOR)
        .file("templates/en/keep", "")
        .args(&["--collector", "c.yaml", "--templates", "templates"]);
    mkfifo(&case.path("templates/en/dpia.md.j2"));
    let out = case.run(&["render", "--out", "documents"]);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stdout.is_empty(), "output on exit 2");
    assert!(stderr.contains("dpia.md.j2` is a named pipe"), "{stderr}");
    assert!(!case.path("documents").exists(), "documents written");
}

#[cfg(not(unix))]
fn special_file_cases() -> Vec<Case> {
    Vec::new()
}

#[test]
fn hostile_collector_configurations_are_refused_cleanly() {
    collector_cases().iter().for_each(Case::check);
}

#[test]
fn hostile_settings_files_are_refused_cleanly() {
    settings_cases().iter().for_each(Case::check);
}

#[test]
fn devices_pipes_links_and_folders_are_refused_without_waiting() {
    special_file_cases().iter().for_each(Case::check);
}

#[test]
fn the_size_limit_can_be_raised_through_the_environment() {
    let case = Case::new("OTEL_DPIA_MAX_INPUT_SIZE")
        .with_settings()
        .file("c.yaml", COLLECTOR)
        .args(&["--collector", "c.yaml"]);
    let run = |size: &str| {
        Command::new(env!("CARGO_BIN_EXE_otel-dpia"))
            .args(["analyze", "--format", "json"])
            .args(&case.args)
            .current_dir(case.dir.path())
            .env("OTEL_DPIA_MAX_INPUT_SIZE", size)
            .output()
            .expect("the binary runs")
    };
    let small = run("100");
    let (stdout, stderr) = texts(&small);
    assert_eq!(small.status.code(), Some(2), "{stderr}");
    assert!(
        stdout.is_empty() && stderr.contains("error[OD111]"),
        "{stderr}"
    );
    let (_, stderr) = texts(&run("1MiB"));
    assert!(!stderr.contains("OD111"), "{stderr}");
}

#[test]
fn hostile_otlp_captures_are_refused_cleanly() {
    let record = |body: &str| {
        format!(
            r#"{{"resourceLogs":[{{"resource":{{"attributes":[]}},"scopeLogs":[{{"scope":{{}},"logRecords":[{{"timeUnixNano":"1","body":{body},"attributes":[]}}]}}]}}]}}"#
        )
    };
    let deep = format!(
        "{}{{\"stringValue\":\"x\"}}{}",
        "{\"arrayValue\":{\"values\":[".repeat(100),
        "]}}".repeat(100)
    );
    let cases = [
        ("deep.json", record(&deep), "OD114"),
        (
            "long.json",
            record(&format!("{{\"stringValue\":\"{}\"}}", "x".repeat(2 << 20))),
            "OD115",
        ),
    ];
    for (name, text, code) in cases {
        let case = Case::new("OTLP capture")
            .with_settings()
            .file("c.yaml", COLLECTOR)
            .file(name, text)
            .args(&["--collector", "c.yaml"]);
        let out = case.run(&["simulate", "--otlp", name, "--out", "received"]);
        let (stdout, stderr) = texts(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(stdout.is_empty(), "{name}: output on exit 2");
        assert!(
            stderr.contains(&format!("error[{code}]")),
            "{name}: {stderr}"
        );
        assert!(stderr.contains(&format!("{name}:1")), "{name}: {stderr}");
        assert!(
            !case.path("received").exists(),
            "{name}: output folder written"
        );
    }
}
