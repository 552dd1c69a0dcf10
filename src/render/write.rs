//! Writing the outputs as a whole: everything is rendered into a staging folder next to
//! the output folder, and only when every file is there are they moved into place (each
//! by a rename on the same file system). A failed render removes the staging folder and
//! leaves the previous outputs untouched; files in the output folder that this render
//! does not produce are left alone.

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic};

/// A staging folder for one render.
pub struct Staging {
    /// The staging folder.
    pub dir: PathBuf,
    /// The final output folder.
    pub out: PathBuf,
    /// Files written so far, relative, in order.
    pub files: Vec<String>,
}

fn fail(what: String, err: std::io::Error) -> Diagnostic {
    Diagnostic::new(Code::OutputUnwritable, format!("{what}: {err}"))
        .hint("check that the output folder's parent exists and is writable")
}

impl Staging {
    /// Creates an empty staging folder beside `out`.
    pub fn new(out: &Path) -> Result<Staging, Diagnostic> {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)
            .map_err(|e| fail(format!("cannot create `{}`", parent.display()), e))?;
        let dir = parent.join(format!(".{name}.otel-dpia-staging"));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)
                .map_err(|e| fail(format!("cannot clear `{}`", dir.display()), e))?;
        }
        std::fs::create_dir_all(&dir)
            .map_err(|e| fail(format!("cannot create `{}`", dir.display()), e))?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            files: Vec::new(),
        })
    }

    /// A work folder inside the staging folder (not moved into place).
    pub fn work(&self) -> PathBuf {
        self.dir.join(".work")
    }

    /// Writes one file, `rel` like `en/dpia.md`.
    pub fn put(&mut self, rel: &str, content: &[u8]) -> Result<(), Diagnostic> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| fail(format!("cannot create `{}`", parent.display()), e))?;
        }
        std::fs::write(&path, content)
            .map_err(|e| fail(format!("cannot write `{}`", path.display()), e))?;
        self.files.push(rel.to_string());
        Ok(())
    }

    /// Moves every file into the output folder and removes the staging folder.
    pub fn commit(self) -> Result<Vec<PathBuf>, Diagnostic> {
        let mut written = Vec::new();
        for rel in &self.files {
            let target = self.out.join(rel);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| fail(format!("cannot create `{}`", parent.display()), e))?;
            }
            std::fs::rename(self.dir.join(rel), &target)
                .map_err(|e| fail(format!("cannot move into `{}`", target.display()), e))?;
            written.push(target);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
        Ok(written)
    }

    /// The staged files that differ from those in the output folder (or are missing there),
    /// for `render --check`. Paths are shown under the output folder as given.
    pub fn differences(&self) -> Vec<crate::checks::StaleDocument> {
        self.files
            .iter()
            .filter_map(|rel| {
                let target = self.out.join(rel);
                let new = std::fs::read(self.dir.join(rel)).ok()?;
                let reason = match std::fs::read(&target) {
                    Err(_) => "missing",
                    Ok(old) if old != new => "differs from what the configuration gives",
                    Ok(_) => return None,
                };
                Some(crate::checks::StaleDocument {
                    path: target.display().to_string(),
                    reason: reason.to_string(),
                })
            })
            .collect()
    }

    /// Removes the staging folder (after a failure).
    pub fn abandon(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
