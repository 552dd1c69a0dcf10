//! PDF through the typst CLI: the Typst source and the picture go into a work folder,
//! `typst compile` turns them into a PDF with a fixed creation timestamp and only the
//! fonts typst embeds (so the bytes do not depend on the machine or the clock).
//!
//! The binary is `--typst PATH`, else `OTEL_DPIA_TYPST`, else `typst` on the PATH.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::diag::{Code, Diagnostic};

/// How to install typst, for error messages.
pub const INSTALL: &str = "cargo install typst-cli --locked";

/// Finds the typst binary.
pub fn locate(flag: Option<&Path>) -> Result<PathBuf, Diagnostic> {
    if let Some(p) = flag {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("OTEL_DPIA_TYPST").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(exe("typst")))
        .find(|p| p.is_file())
        .ok_or_else(missing)
}

fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

fn missing() -> Diagnostic {
    missing_as("the typst CLI is needed for PDF output but was not found on the PATH".into())
}

fn missing_as(message: String) -> Diagnostic {
    Diagnostic::new(Code::TypstMissing, message).hint(format!(
        "install it with `{INSTALL}`, or name it with `--typst PATH` or `OTEL_DPIA_TYPST`; or leave `pdf` out of `--format`"
    ))
}

/// Prepares `work` for [`compile`]: the folder, and the data-flow picture the documents
/// include. Written once before the documents are compiled side by side, so that no typst
/// process reads the picture while another call rewrites it.
pub fn prepare(work: &Path, svg: &str) -> Result<(), Diagnostic> {
    std::fs::create_dir_all(work)
        .and_then(|()| std::fs::write(work.join(super::html::PICTURE), svg))
        .map_err(|e| unwritable(work, &e))
}

fn unwritable(work: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        Code::OutputUnwritable,
        format!("cannot prepare the PDF in `{}`: {e}", work.display()),
    )
}

/// Compiles `source` in `work` (made ready by [`prepare`]) to `work/<stem>.pdf` and
/// returns the PDF's bytes.
pub fn compile(
    typst: &Path,
    work: &Path,
    stem: &str,
    source: &str,
    timestamp: Option<i64>,
) -> Result<Vec<u8>, Diagnostic> {
    let io = |e: std::io::Error| unwritable(work, &e);
    let input = work.join(format!("{stem}.typ"));
    let output = work.join(format!("{stem}.pdf"));
    std::fs::write(&input, source).map_err(io)?;
    let mut cmd = Command::new(typst);
    cmd.arg("compile")
        .arg("--root")
        .arg(work)
        .arg("--ignore-system-fonts")
        .arg("--diagnostic-format")
        .arg("short")
        .env_remove("SOURCE_DATE_EPOCH");
    if let Some(ts) = timestamp {
        cmd.arg("--creation-timestamp").arg(ts.to_string());
    }
    cmd.arg(&input).arg(&output);
    let run = cmd.output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            missing_as(format!(
                "the typst CLI `{}` named for PDF output does not exist",
                typst.display()
            ))
        } else {
            Diagnostic::new(
                Code::TypstFailed,
                format!("cannot run `{}`: {e}", typst.display()),
            )
        }
    })?;
    if !run.status.success() {
        let stderr = String::from_utf8_lossy(&run.stderr);
        return Err(Diagnostic::new(
            Code::TypstFailed,
            format!("typst could not compile `{stem}`: {}", stderr.trim()),
        )
        .hint("this is a bug in otel-dpia's Typst output or an incompatible typst version; the Markdown and HTML are not affected"));
    }
    std::fs::read(&output).map_err(io)
}
