//! How a file is named in output, so that outputs carry no trace of the machine or the
//! folder the tool ran in.
//!
//! Documents, the data map, `check` and `diff` name a file relative to one folder, the
//! *base*: `--repo-root` when given, else the project file's folder, else the current
//! folder. The same deployment then gives the same bytes whether the tool was called with
//! absolute or relative paths, from whatever folder. A file outside the base is named with
//! `..` steps when the two share a folder below the file-system root (`../shared/x.yaml`,
//! the layout of the repository, stable wherever it is checked out); one that shares only
//! the root (`/etc/codex/config.toml`) names a place on the machines the deployment runs
//! on, the same wherever the tool runs, and is shown as it is.
//!
//! Diagnostics on the terminal are different: an editor or a terminal jumps to
//! `file:line:col` from the current folder, so they name a file as it can be opened from
//! there ([`Naming::local`]).
//!
//! A folder may carry a label instead: the checkout of another commit that `diff --base`
//! writes into a temporary folder names its files `REV:path`, never by the temporary path.

use std::path::{Component, Path, PathBuf};

/// The rules by which one run names files. The default names files relative to the
/// current folder.
#[derive(Debug, Clone, Default)]
pub struct Naming {
    /// The folder names are relative to, absolute and without `.`/`..`; `None`: the
    /// current folder.
    base: Option<PathBuf>,
    /// Folders whose files are named by a label and their path inside, longest first.
    labelled: Vec<(PathBuf, String)>,
}

impl Naming {
    /// Names files relative to `dir` (relative to the current folder, or absolute).
    pub fn relative_to(dir: &Path) -> Naming {
        Naming {
            base: Some(absolute(dir)),
            labelled: Vec::new(),
        }
    }

    /// Names every file inside `dir` as `label` followed by its path inside `dir`.
    pub fn label(&mut self, dir: &Path, label: impl Into<String>) {
        self.labelled.push((absolute(dir), label.into()));
        self.labelled
            .sort_by_key(|(d, _)| std::cmp::Reverse(d.components().count()));
    }

    /// The name of a file in documents, the data map, `check` and `diff` output.
    pub fn shown(&self, path: &Path) -> String {
        let abs = absolute(path);
        if let Some(name) = self.labelled_name(&abs) {
            return name;
        }
        let base = self
            .base
            .clone()
            .unwrap_or_else(|| absolute(Path::new(".")));
        if let Some(rel) = inside(&abs, &base).or_else(|| inside_physically(&abs, &base)) {
            return rel;
        }
        steps_up(&abs, &base).unwrap_or_else(|| slashes(&abs))
    }

    /// The name of a file in a diagnostic on the terminal: relative to the current folder
    /// when it is inside it, else as given, so that `file:line:col` opens from where the
    /// tool ran. A labelled folder's files keep their label (no temporary path).
    pub fn local(&self, path: &Path) -> String {
        if path.is_absolute() || !self.labelled.is_empty() {
            let abs = absolute(path);
            if let Some(name) = self.labelled_name(&abs) {
                return name;
            }
            if path.is_absolute()
                && let Some(rel) = inside(&abs, &absolute(Path::new(".")))
            {
                return rel;
            }
        }
        path.to_string_lossy().into_owned()
    }

    fn labelled_name(&self, abs: &Path) -> Option<String> {
        self.labelled
            .iter()
            .find_map(|(dir, label)| inside(abs, dir).map(|rel| format!("{label}{rel}")))
    }
}

/// The path made absolute against the current folder, with `.` and `..` resolved by name
/// (as a user reads `a/../b`), without touching the file system.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `path` relative to `dir` when inside it, with `/` between folders.
fn inside(path: &Path, dir: &Path) -> Option<String> {
    let rel = path.strip_prefix(dir).ok()?;
    (rel.components().count() > 0).then(|| slashes(rel))
}

/// The same, after following symbolic links: a project named through a link (`/tmp` on
/// macOS) still names the files it lists relative to itself.
fn inside_physically(path: &Path, dir: &Path) -> Option<String> {
    let path = std::fs::canonicalize(path).ok()?;
    let dir = std::fs::canonicalize(dir).ok()?;
    inside(&path, &dir)
}

/// `path` relative to `dir` with `..` steps, when the two share a folder below the root.
fn steps_up(path: &Path, dir: &Path) -> Option<String> {
    let a: Vec<Component<'_>> = path.components().collect();
    let b: Vec<Component<'_>> = dir.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let shared_folders = a[..common]
        .iter()
        .filter(|c| matches!(c, Component::Normal(_)))
        .count();
    if shared_folders == 0 {
        return None;
    }
    let mut parts: Vec<String> = vec!["..".to_string(); b.len() - common];
    parts.extend(
        a[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    Some(parts.join("/"))
}

fn slashes(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if path.has_root() && parts.first().is_some_and(|p| p == "/") {
        format!("/{}", parts[1..].join("/"))
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_relative_to_the_base_whatever_the_path_was_given_as() {
        let n = Naming::relative_to(Path::new("/repo/telemetry"));
        assert_eq!(
            n.shown(Path::new("/repo/telemetry/otelcol.yaml")),
            "otelcol.yaml"
        );
        assert_eq!(
            n.shown(Path::new("/repo/telemetry/./agents/../otelcol.yaml")),
            "otelcol.yaml"
        );
        assert_eq!(
            n.shown(Path::new("/repo/shared/gateway.yaml")),
            "../shared/gateway.yaml"
        );
        assert_eq!(
            n.shown(Path::new("/etc/codex/config.toml")),
            "/etc/codex/config.toml"
        );
    }

    #[test]
    fn a_labelled_folder_names_its_files_by_the_label() {
        let mut n = Naming::relative_to(Path::new("/repo/telemetry"));
        n.label(Path::new("/scratch/x1/tree"), "main:");
        assert_eq!(
            n.shown(Path::new("/scratch/x1/tree/telemetry/dpia.yaml")),
            "main:telemetry/dpia.yaml"
        );
        assert_eq!(
            n.local(Path::new("/scratch/x1/tree/telemetry/dpia.yaml")),
            "main:telemetry/dpia.yaml"
        );
        assert_eq!(
            n.local(Path::new("telemetry/dpia.yaml")),
            "telemetry/dpia.yaml"
        );
    }
}
