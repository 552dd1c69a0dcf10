//! Reading one input file from disk, within bounds: only a regular file, only up to the
//! input size limit, and never waiting for a writer.
//!
//! A path may name anything: `/dev/zero` (endless), a FIFO (blocks until someone writes),
//! a folder, a file that grows while it is read. The file is opened without blocking,
//! checked through the open handle (so it cannot be swapped between check and read), its
//! size compared with the limit before reading, and the read itself stops one byte past
//! the limit.

use std::fs::{File, Metadata};
use std::io::Read as _;
use std::path::Path;

use crate::diag::{Code, Diagnostic};
use crate::limits::describe_size;

/// The bytes of a regular file of at most `limit` bytes, or the diagnostic that says why
/// it cannot be read (not yet located: the caller knows where the path was named).
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    let display = super::local(path);
    let file = open(path).map_err(|e| unreadable(path, &display, &e))?;
    let meta = file
        .metadata()
        .map_err(|e| unreadable(path, &display, &e))?;
    if !meta.is_file() {
        return Err(not_a_file(&display, &meta));
    }
    if meta.len() > limit {
        return Err(too_large(
            &display,
            &format!("is {}", describe_size(meta.len())),
            limit,
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(path, &display, &e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(&display, "grew while it was read and is", limit));
    }
    Ok(bytes)
}

/// Opens for reading without blocking: opening a FIFO for reading otherwise waits until a
/// writer opens it, which may be never. Reads of a regular file ignore the flag.
#[cfg(unix)]
fn open(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

fn unreadable(path: &Path, display: &str, err: &std::io::Error) -> Diagnostic {
    if path.is_dir() {
        return Diagnostic::new(
            Code::NotAFile,
            format!("`{display}` is a folder, not a file"),
        )
        .hint(
            "name a file in it; paths in a project file are relative to the project file's folder",
        );
    }
    let what = match err.kind() {
        std::io::ErrorKind::NotFound if path.symlink_metadata().is_ok() => {
            "is a symbolic link to nothing".to_string()
        }
        std::io::ErrorKind::NotFound => "does not exist".to_string(),
        std::io::ErrorKind::PermissionDenied => "cannot be read (permission denied)".to_string(),
        _ if err.raw_os_error() == Some(LOOP) => {
            "is a symbolic link that leads back to itself".to_string()
        }
        _ => format!("cannot be read ({err})"),
    };
    Diagnostic::new(Code::FileUnreadable, format!("`{display}` {what}"))
        .hint("check the path; paths in a project file are relative to the project file's folder")
}

/// The error number of a loop of symbolic links.
#[cfg(unix)]
const LOOP: i32 = libc::ELOOP;
#[cfg(not(unix))]
const LOOP: i32 = -1;

fn not_a_file(display: &str, meta: &Metadata) -> Diagnostic {
    let what = if meta.is_dir() {
        "a folder".to_string()
    } else {
        special_kind(meta)
    };
    Diagnostic::new(Code::NotAFile, format!("`{display}` is {what}, not a file"))
        .hint("name the regular file that holds the configuration; devices, pipes and sockets are not read, since they may never end")
}

#[cfg(unix)]
fn special_kind(meta: &Metadata) -> String {
    use std::os::unix::fs::FileTypeExt as _;
    let t = meta.file_type();
    if t.is_fifo() {
        "a named pipe (FIFO)".to_string()
    } else if t.is_char_device() || t.is_block_device() {
        "a device".to_string()
    } else if t.is_socket() {
        "a socket".to_string()
    } else {
        "not a regular file".to_string()
    }
}

#[cfg(not(unix))]
fn special_kind(_: &Metadata) -> String {
    "not a regular file".to_string()
}

fn too_large(display: &str, what: &str, limit: u64) -> Diagnostic {
    Diagnostic::new(
        Code::InputTooLarge,
        format!(
            "`{display}` {what}, more than the {} an input file may have",
            describe_size(limit)
        ),
    )
    .hint("check that this is the file meant; if it is, raise the limit with `--max-input-size` (e.g. `--max-input-size 64MiB`) or `OTEL_DPIA_MAX_INPUT_SIZE`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_within_the_limit_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let small = dir.path().join("small.yaml");
        std::fs::write(&small, "a: 1\n").unwrap();
        assert_eq!(read_bytes(&small, 5).unwrap(), b"a: 1\n");
        assert_eq!(read_bytes(&small, 4).unwrap_err().code, Code::InputTooLarge);
        assert_eq!(
            read_bytes(dir.path(), 100).unwrap_err().code,
            Code::NotAFile
        );
        let missing = read_bytes(&dir.path().join("nope"), 100).unwrap_err();
        assert_eq!(missing.code, Code::FileUnreadable);
        assert!(
            missing.message.contains("does not exist"),
            "{}",
            missing.message
        );
    }

    #[cfg(unix)]
    #[test]
    fn devices_pipes_and_link_loops_are_refused_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let zero = read_bytes(Path::new("/dev/zero"), 100).unwrap_err();
        assert_eq!(zero.code, Code::NotAFile);
        assert!(zero.message.contains("a device"), "{}", zero.message);
        let fifo = dir.path().join("fifo.yaml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo runs");
        let d = read_bytes(&fifo, 100).unwrap_err();
        assert!(d.message.contains("named pipe"), "{}", d.message);
        let a = dir.path().join("a.json");
        std::os::unix::fs::symlink(&a, &a).unwrap();
        let d = read_bytes(&a, 100).unwrap_err();
        assert!(d.message.contains("leads back to itself"), "{}", d.message);
        let dangling = dir.path().join("d.json");
        std::os::unix::fs::symlink(dir.path().join("gone"), &dangling).unwrap();
        let d = read_bytes(&dangling, 100).unwrap_err();
        assert!(d.message.contains("link to nothing"), "{}", d.message);
    }
}
