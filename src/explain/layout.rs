//! Where each coding agent keeps its settings files on each operating system, and how a
//! path of one operating system is found under a folder (`--root`).
//!
//! The locations are the ones the clients themselves read (their documentation and the
//! catalogues' reference material):
//! - Claude Code managed settings: `/etc/claude-code/` (Linux, WSL),
//!   `/Library/Application Support/ClaudeCode/` (macOS), `C:\Program Files\ClaudeCode\`
//!   (Windows), each with `managed-settings.json` and a `managed-settings.d/` folder; on
//!   macOS also the managed-preferences property list
//!   `/Library/Managed Preferences/com.anthropic.claudecode.plist`.
//! - Codex CLI: `/etc/codex/` (`config.toml`, `managed_config.toml`, `requirements.toml`)
//!   on Linux and macOS; Windows has no documented system folder, so only the user's
//!   `~/.codex/config.toml` is read there.
//! - Gemini CLI: `/etc/gemini-cli/`, `/Library/Application Support/GeminiCli/` or
//!   `C:\ProgramData\gemini-cli\` (`system-defaults.json`, `settings.json`).
//!
//! Under `--root DIR` a system path is looked up inside DIR: a POSIX path by joining it
//! (`/etc/codex/x` → `DIR/etc/codex/x`), a Windows path by dropping the drive and turning
//! backslashes into folders (`C:\Program Files\ClaudeCode\x` → `DIR/Program Files/ClaudeCode/x`),
//! as a copied disk image or a test tree lays them out. The path shown to the reader is
//! always the one the client knows, never the folder it was found in.

use std::path::{Path, PathBuf};

/// An operating system's file layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Os {
    /// Linux, and Windows Subsystem for Linux.
    Linux,
    /// macOS.
    Macos,
    /// Windows.
    Windows,
}

impl Os {
    /// The layout of the system this binary was built for.
    pub fn current() -> Os {
        if cfg!(target_os = "macos") {
            Os::Macos
        } else if cfg!(windows) {
            Os::Windows
        } else {
            Os::Linux
        }
    }

    /// Claude Code's managed settings folder.
    pub fn claude_managed_dir(self) -> &'static str {
        match self {
            Os::Linux => "/etc/claude-code",
            Os::Macos => "/Library/Application Support/ClaudeCode",
            Os::Windows => r"C:\Program Files\ClaudeCode",
        }
    }

    /// Claude Code's managed-preferences property list (macOS only).
    pub fn claude_plist(self) -> Option<&'static str> {
        match self {
            Os::Macos => Some("/Library/Managed Preferences/com.anthropic.claudecode.plist"),
            _ => None,
        }
    }

    /// Codex CLI's system folder; `None` where none is documented (Windows).
    pub fn codex_system_dir(self) -> Option<&'static str> {
        match self {
            Os::Linux | Os::Macos => Some("/etc/codex"),
            Os::Windows => None,
        }
    }

    /// Gemini CLI's system folder.
    pub fn gemini_system_dir(self) -> &'static str {
        match self {
            Os::Linux => "/etc/gemini-cli",
            Os::Macos => "/Library/Application Support/GeminiCli",
            Os::Windows => r"C:\ProgramData\gemini-cli",
        }
    }

    /// A file in a system folder, written the way this system writes paths.
    pub fn join(self, dir: &str, name: &str) -> String {
        match self {
            Os::Windows => format!(r"{dir}\{}", name.replace('/', r"\")),
            _ => format!("{dir}/{name}"),
        }
    }
}

/// Where a path of the machine being explained is found on this one.
#[derive(Debug, Clone)]
pub struct Root {
    /// `--root`, or `None` for the machine itself.
    pub dir: Option<PathBuf>,
}

impl Root {
    /// Finds a system path (POSIX or Windows form) under the root.
    pub fn locate(&self, shown: &str) -> PathBuf {
        let Some(dir) = &self.dir else {
            return PathBuf::from(shown);
        };
        let relative = strip_drive(shown).replace('\\', "/");
        let mut out = dir.clone();
        for part in relative.split('/').filter(|p| !p.is_empty() && *p != ".") {
            out.push(part);
        }
        out
    }
}

/// `C:\x` → `\x`; other paths unchanged.
fn strip_drive(path: &str) -> &str {
    let b = path.as_bytes();
    if b.len() >= 2 && b[1] == b':' && b[0].is_ascii_alphabetic() {
        &path[2..]
    } else {
        path
    }
}

/// Joins a relative name (`.claude/settings.json`) to a folder found on this machine.
pub fn under(dir: &Path, name: &str) -> PathBuf {
    let mut out = dir.to_path_buf();
    for part in name.split('/') {
        out.push(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_and_posix_paths_map_under_the_root() {
        let root = Root {
            dir: Some(PathBuf::from("/img")),
        };
        assert_eq!(
            root.locate(r"C:\Program Files\ClaudeCode\managed-settings.json"),
            PathBuf::from("/img/Program Files/ClaudeCode/managed-settings.json")
        );
        assert_eq!(
            root.locate("/etc/codex/requirements.toml"),
            PathBuf::from("/img/etc/codex/requirements.toml")
        );
        let none = Root { dir: None };
        assert_eq!(none.locate("/etc/x"), PathBuf::from("/etc/x"));
    }

    #[test]
    fn system_files_are_written_the_system_s_way() {
        assert_eq!(
            Os::Windows.join(Os::Windows.claude_managed_dir(), "managed-settings.d"),
            r"C:\Program Files\ClaudeCode\managed-settings.d"
        );
        assert_eq!(
            Os::Linux.join(Os::Linux.gemini_system_dir(), "settings.json"),
            "/etc/gemini-cli/settings.json"
        );
    }
}
