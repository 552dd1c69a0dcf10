//! Installing the real client, and one session of it: fake API, `otel-dpia receive`, the
//! client with the scenario's settings, and `otel-dpia verify` on what arrived.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::fake_api::FakeApi;

/// The session's prompt, as the captures in the reference material used it.
const PROMPT: &str = "say hi. run echo hi with Bash, then write hello.txt";

/// How long one client session may take before the test fails.
const SESSION_LIMIT: Duration = Duration::from_secs(150);

/// What a scenario sets: the process environment, or managed settings (written where the
/// client reads them on Linux, `/etc/claude-code/managed-settings.json`).
pub struct Scenario {
    pub env: Vec<(String, String)>,
    pub managed: Option<Value>,
}

/// Installs `@anthropic-ai/claude-code@VERSION` once under the target folder and returns its
/// binary; `None` (with a notice) when it cannot be installed for a reason outside the
/// project: npm missing (unless CI requires it) or the registry unreachable.
pub fn install(version: &str) -> Option<PathBuf> {
    // The tests of this file run side by side; one installs, the others wait for it.
    static INSTALLING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = INSTALLING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("claude-code")
        .join(version);
    let bin = dir.join("node_modules/@anthropic-ai/claude-code/bin/claude.exe");
    if bin.is_file() {
        return Some(bin);
    }
    let required = std::env::var("OTEL_DPIA_REQUIRE_REAL_CLIENT").is_ok_and(|v| v == "1");
    if Command::new("npm").arg("--version").output().is_err() {
        assert!(
            !required,
            "npm is needed to install the real client (OTEL_DPIA_REQUIRE_REAL_CLIENT=1)"
        );
        eprintln!(
            "notice: npm not found; the real-client test is skipped (install Node.js and npm to run it)"
        );
        return None;
    }
    std::fs::create_dir_all(&dir).unwrap();
    let out = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&dir)
        .arg(format!("@anthropic-ai/claude-code@{version}"))
        .output()
        .expect("npm runs");
    if out.status.success() && bin.is_file() {
        return Some(bin);
    }
    let reachable = Command::new("npm")
        .arg("ping")
        .output()
        .is_ok_and(|o| o.status.success());
    if !reachable {
        eprintln!("notice: the npm registry cannot be reached; the real-client test is skipped");
        return None;
    }
    panic!(
        "installing @anthropic-ai/claude-code@{version} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// One finished session: where its telemetry was stored and the settings it ran with.
pub struct Session {
    /// Keeps the session's folders until the test ends.
    _dir: tempfile::TempDir,
    /// The receiver's folder.
    pub received: PathBuf,
    scenario: Scenario,
    managed_file: Option<PathBuf>,
}

impl Session {
    /// Runs the client once with the scenario built for the receiver's endpoint.
    pub fn run(
        client: &Path,
        name: &str,
        scenario: impl FnOnce(&str) -> Scenario,
    ) -> Option<Session> {
        // One session at a time: sessions side by side on a small machine would only make
        // each slower and its time limit less telling.
        static RUNNING: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _guard = RUNNING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let dir = tempfile::tempdir().unwrap();
        let work = dir.path().join("work");
        let home = dir.path().join("home");
        let received = dir.path().join("received");
        for d in [&work, &home] {
            std::fs::create_dir_all(d).unwrap();
        }
        let api = FakeApi::start(&work);
        let (mut receiver, endpoint) = start_receiver(&received);
        let scenario = scenario(&endpoint);
        let managed_file = scenario.managed.as_ref().map(|m| {
            let f = dir.path().join("etc-claude-code/managed-settings.json");
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(&f, serde_json::to_string_pretty(m).unwrap()).unwrap();
            f
        });
        let mut cmd = match &managed_file {
            Some(f) => match managed_namespace(f.parent().unwrap(), client) {
                Some(c) => c,
                None => {
                    stop(&mut receiver);
                    return None;
                }
            },
            None => Command::new(client),
        };
        cmd.args(["-p", PROMPT, "--allowedTools", "Bash", "Write"])
            .current_dir(&work)
            .env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("HOME", &home)
            .env("TERM", "xterm-256color")
            .env("USER", "tester")
            .env("ANTHROPIC_BASE_URL", &api.base_url)
            .env("ANTHROPIC_API_KEY", "test-key-not-a-secret")
            .envs(scenario.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("the client starts");
        let status = wait_for(&mut child, SESSION_LIMIT);
        let out = child.wait_with_output().unwrap();
        // Exports still in flight when the client exits get a moment to arrive.
        std::thread::sleep(Duration::from_millis(500));
        stop(&mut receiver);
        assert!(
            status.is_some_and(|s| s.success()),
            "{name}: the client did not finish a session in time ({} API requests)\nstdout: {}\nstderr: {}",
            api.requests(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            work.join("hello.txt").is_file(),
            "{name}: the scripted session wrote hello.txt"
        );
        keep(&received, name);
        Some(Session {
            _dir: dir,
            received,
            scenario,
            managed_file,
        })
    }

    /// The signals whose export requests arrived.
    pub fn signals(&self) -> BTreeSet<String> {
        std::fs::read_dir(&self.received)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .filter_map(|e| {
                        let name = e.file_name().to_string_lossy().to_string();
                        ["logs", "metrics", "traces"]
                            .into_iter()
                            .find(|s| name.contains(s))
                            .map(str::to_string)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `otel-dpia verify` of what arrived against the session's settings, with `overrides`
    /// added to (or replacing in) its environment.
    pub fn verify(&self, version: &str, overrides: &[(&str, &str)]) -> Output {
        let mut env: Vec<(String, String)> = self
            .scenario
            .env
            .iter()
            .filter(|(k, _)| !overrides.iter().any(|(o, _)| o == k))
            .cloned()
            .collect();
        env.extend(
            overrides
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string())),
        );
        self.verify_with(version, &env)
    }

    /// `verify` against the session's settings without one of them.
    pub fn verify_without(&self, version: &str, key: &str) -> Output {
        let env: Vec<(String, String)> = self
            .scenario
            .env
            .iter()
            .filter(|(k, _)| k != key)
            .cloned()
            .collect();
        self.verify_with(version, &env)
    }

    fn verify_with(&self, version: &str, env: &[(String, String)]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_otel-dpia"));
        cmd.args(["verify", "--source"])
            .arg(format!("claude-code@{version}"))
            .arg("--no-other-settings")
            .arg("--otlp")
            .arg(&self.received);
        for (k, v) in env {
            cmd.arg("--env").arg(format!("{k}={v}"));
        }
        if let Some(f) = &self.managed_file {
            cmd.arg("--managed-settings").arg(f);
        }
        cmd.output().expect("otel-dpia runs")
    }
}

/// Copies what arrived to `OTEL_DPIA_REAL_CLIENT_KEEP/<scenario>/` when that is set, for
/// folding a new client version into the catalogue.
fn keep(received: &Path, name: &str) {
    let Some(to) = std::env::var_os("OTEL_DPIA_REAL_CLIENT_KEEP").filter(|v| !v.is_empty()) else {
        return;
    };
    let to = Path::new(&to).join(name);
    std::fs::create_dir_all(&to).unwrap();
    for e in std::fs::read_dir(received).into_iter().flatten().flatten() {
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// Starts `otel-dpia receive` on a free loopback port; returns it and its endpoint URL.
fn start_receiver(out: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_otel-dpia"))
        .args([
            "receive",
            "--http",
            "127.0.0.1:0",
            "--timeout",
            "600",
            "--out",
        ])
        .arg(out)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("otel-dpia receive starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("receive prints its address").unwrap();
    let addr = first
        .strip_prefix("http ")
        .unwrap_or_else(|| panic!("unexpected first line: {first}"))
        .trim()
        .to_string();
    (child, format!("http://{addr}"))
}

/// Ends the receiver as Ctrl-C would; it finishes its writes and exits 0.
fn stop(receiver: &mut Child) {
    let _ = Command::new("kill")
        .args(["-INT", &receiver.id().to_string()])
        .status();
    let status = wait_for(receiver, Duration::from_secs(20));
    assert!(
        status.is_some_and(|s| s.success()),
        "receive ends with exit 0 on Ctrl-C ({status:?})"
    );
}

/// Waits for a child up to a limit; kills it past the limit.
fn wait_for(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The client run in a private mount namespace where `/etc/claude-code` is the scenario's
/// folder, so the machine's own `/etc` is never written. Needs root and `unshare`;
/// otherwise `None` with a notice.
fn managed_namespace(folder: &Path, client: &Path) -> Option<Command> {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let unshare = Command::new("unshare").arg("--version").output().is_ok();
    if !root || !unshare {
        eprintln!(
            "notice: the managed-settings scenario needs root and unshare (a private mount of /etc/claude-code); skipped"
        );
        return None;
    }
    // The mount point must exist; an empty folder made here is the only trace left.
    std::fs::create_dir_all("/etc/claude-code").ok()?;
    let mut cmd = Command::new("unshare");
    cmd.args(["--mount", "--propagation", "private", "sh", "-c"])
        .arg("mount --bind \"$0\" /etc/claude-code && exec \"$@\"")
        .arg(folder)
        .arg(client);
    // `sh -c SCRIPT FOLDER CLIENT ARGS…`: `$0` is the folder, `"$@"` the client and the
    // arguments added by the caller.
    Some(cmd)
}
