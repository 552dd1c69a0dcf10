//! The project as it was at another commit: every tracked file of `REF` written into a
//! temporary folder through a temporary index (`git read-tree` + `git checkout-index`),
//! so the repository's own index, work tree and worktree list are never touched.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::diag::{Code, Diagnostic};

/// A checkout of one commit; the folder is removed when this is dropped.
#[derive(Debug)]
pub struct Checkout {
    /// Holds the files.
    pub dir: tempfile::TempDir,
    /// The project file inside the checkout.
    pub project: PathBuf,
    /// The checkout's root: the repository's top folder at that commit.
    pub tree: PathBuf,
}

/// Writes the files of `rev` into a temporary folder and finds `project` (a path in the
/// current work tree) in it.
pub fn checkout(project: &Path, rev: &str) -> Result<Checkout, Diagnostic> {
    let abs = std::fs::canonicalize(project).map_err(|e| {
        Diagnostic::new(
            Code::FileUnreadable,
            format!("`{}` cannot be read ({e})", project.display()),
        )
        .hint("give the project file as it is in the current work tree; `--base` names the commit to compare it with")
    })?;
    let folder = abs.parent().unwrap_or(Path::new("."));
    let top = git(folder, &["rev-parse", "--show-toplevel"], None).map_err(|e| {
        usage(format!(
            "`{}` is not in a git repository: {e}",
            project.display()
        ))
    })?;
    let top = std::fs::canonicalize(top.trim()).unwrap_or_else(|_| PathBuf::from(top.trim()));
    git(&top, &["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")], None)
        .map_err(|_| {
            usage(format!("`{rev}` is not a commit of this repository"))
                .hint("fetch it first (e.g. `git fetch origin main` and `--base origin/main`); a shallow CI clone needs `fetch-depth: 0`")
        })?;
    let dir = tempfile::tempdir().map_err(|e| usage(format!("no temporary folder: {e}")))?;
    let index = dir.path().join("index");
    let tree = dir.path().join("tree");
    let prefix = format!("{}{}", tree.display(), std::path::MAIN_SEPARATOR);
    git(&top, &["read-tree", rev], Some(&index)).map_err(usage)?;
    git(
        &top,
        &[
            "checkout-index",
            "--all",
            "--force",
            &format!("--prefix={prefix}"),
        ],
        Some(&index),
    )
    .map_err(usage)?;
    let relative_path = abs.strip_prefix(&top).unwrap_or(&abs).to_path_buf();
    let relative = relative_path.to_string_lossy().replace('\\', "/");
    let inside = tree.join(&relative_path);
    if !inside.is_file() {
        return Err(usage(format!("`{relative}` does not exist at `{rev}`"))
            .hint("compare two project files instead: `otel-dpia diff BASE.yaml HEAD.yaml`"));
    }
    Ok(Checkout {
        dir,
        project: inside,
        tree,
    })
}

fn usage(message: String) -> Diagnostic {
    Diagnostic::new(Code::Usage, message)
}

/// Runs git in a folder, optionally with another index file; its standard output.
fn git(dir: &Path, args: &[&str], index: Option<&Path>) -> Result<String, String> {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(dir).args(args);
    if let Some(i) = index {
        cmd.env("GIT_INDEX_FILE", i);
    }
    let out = cmd
        .output()
        .map_err(|e| format!("git cannot be run ({e})"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        Err(format!("`git {}` failed: {}", args.join(" "), err.trim()))
    }
}
