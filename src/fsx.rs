//! Filesystem calls that name the path in their error, so a user always knows which file failed.

use crate::{Error, Result};
use std::path::Path;

pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| Error::Io { action: "read", path: path.to_owned(), source })
}

/// Reads at most `limit + 1` bytes, so a caller can refuse a file above `limit` without
/// holding all of it in memory.
pub fn read_at_most(path: &Path, limit: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(limit.saturating_add(1)).read_to_end(&mut bytes))
        .map_err(|source| Error::Io { action: "read", path: path.to_owned(), source })?;
    Ok(bytes)
}

pub fn read_to_string(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Io { action: "read", path: path.to_owned(), source })
}

pub fn write(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    std::fs::write(path, contents).map_err(|source| Error::Io { action: "write", path: path.to_owned(), source })
}

/// Writes a file that must not exist yet; never overwrites a curator's work.
pub fn write_new(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(|source| Error::Io {
        action: "create",
        path: path.to_owned(),
        source,
    })?;
    file.write_all(contents.as_ref()).map_err(|source| Error::Io { action: "write", path: path.to_owned(), source })
}

pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).map_err(|source| Error::Io { action: "create folder", path: path.to_owned(), source })
}

pub fn remove_dir_all(path: &Path) -> Result<()> {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other.map_err(|source| Error::Io { action: "remove", path: path.to_owned(), source }),
    }
}

pub fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to).map_err(|source| Error::Io { action: "move", path: from.to_owned(), source })
}
