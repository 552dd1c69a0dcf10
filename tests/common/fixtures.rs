//! The captured Claude Code fixtures: listing them and writing their inputs out as the real
//! files an employer deploys (managed settings, drop-ins, user settings, env).

use std::fs;
use std::path::{Path, PathBuf};

use otel_dpia::inputs::spec::FlagInputs;
use serde_json::Value;

/// The sub-folders of a folder, sorted.
pub fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

/// Every fixture folder of every captured version.
pub fn all_fixtures(shared: &Path) -> Vec<PathBuf> {
    sorted_dirs(&shared.join("claude-code/fixtures"))
        .iter()
        .flat_map(|v| sorted_dirs(v))
        .collect()
}

/// Reads a JSON file.
pub fn read_json(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write_json(path: &Path, value: &Value) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, serde_json::to_string_pretty(value).unwrap()).unwrap();
}

/// Writes a fixture's `inputs.json` as files under `tmp` and returns the flags that name
/// them. Odd `index` passes the process environment as an env file, even as `--env` flags,
/// so both paths run.
pub fn fixture_flags(inputs: &Value, index: usize, tmp: &Path) -> FlagInputs {
    let version = inputs["claude_code_version"].as_str().unwrap();
    // The capture ran in an empty folder with a fresh home: these are every settings file
    // the client read.
    let mut flags = FlagInputs {
        sources: vec![format!("claude-code@{version}")],
        no_other_settings: true,
        ..FlagInputs::default()
    };
    let managed = tmp.join("etc-claude-code");
    if !inputs["managed_settings"].is_null() {
        write_json(
            &managed.join("managed-settings.json"),
            &inputs["managed_settings"],
        );
    }
    if let Some(drop_ins) = inputs["managed_settings_d"].as_object() {
        for (name, doc) in drop_ins {
            write_json(&managed.join("managed-settings.d").join(name), doc);
        }
    }
    if managed.is_dir() {
        flags.managed_settings.push(managed);
    }
    if !inputs["user_settings"].is_null() {
        let user = tmp.join("home/.claude/settings.json");
        write_json(&user, &inputs["user_settings"]);
        flags.user_settings = Some(user);
    }
    let env = inputs["process_env"].as_object().unwrap();
    let pairs = env.iter().map(|(k, v)| (k, v.as_str().unwrap()));
    if index % 2 == 1 {
        let text: String = pairs.map(|(k, v)| format!("export {k}='{v}'\n")).collect();
        let path = tmp.join("agent.env");
        fs::write(&path, format!("# process environment\n{text}")).unwrap();
        flags.env_files.push(path);
    } else {
        flags.env = pairs.map(|(k, v)| format!("{k}={v}")).collect();
    }
    flags
}
