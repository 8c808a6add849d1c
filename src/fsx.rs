//! Filesystem calls that name the path in their error, so a user always knows which file failed.

use crate::{Diagnostic, Error, Result};
use rust_i18n::t;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The longest file or folder name (in bytes) that common file systems accept (ext4's
/// `NAME_MAX`; FAT and NTFS count 255 UTF-16 units, which ASCII and Chinese names fit too).
pub const MAX_NAME_BYTES: usize = 255;

pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| Error::Io { action: "read", path: path.to_owned(), source })
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

/// Reads a file the site holds, refusing anything but a regular file: a FIFO would block the
/// build forever and a device could be endless. Opened without blocking, then checked, so even
/// a file swapped for a FIFO after it was listed cannot stall a build. Reads at most `limit + 1`
/// bytes, so a caller can refuse a file above `limit` without holding all of it in memory.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let io = |source| Error::Io { action: "read", path: path.to_owned(), source };
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK | libc::O_NOCTTY);
    let file = options.open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        let kind = special_kind(&meta.file_type());
        return Err(io(std::io::Error::other(t!("fsx.not_regular", kind = kind).into_owned())));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(limit) as usize);
    // Through `take`, which also keeps `File::read_to_end` from asking the size again.
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(io)?;
    Ok(bytes)
}

pub fn utf8(path: &Path, bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| Error::Io {
        action: "read",
        path: path.to_owned(),
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            t!("fsx.not_utf8", error = e.utf8_error()).into_owned(),
        ),
    })
}

/// What a file that is neither a regular file, a folder nor a link is, for messages.
fn special_kind(kind: &std::fs::FileType) -> std::borrow::Cow<'static, str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return t!("fsx.fifo");
        } else if kind.is_socket() {
            return t!("fsx.socket");
        } else if kind.is_block_device() || kind.is_char_device() {
            return t!("fsx.device");
        }
    }
    if kind.is_dir() { t!("fsx.folder") } else { t!("fsx.special") }
}

/// Swaps two paths in one step (Linux `renameat2(RENAME_EXCHANGE)`): there is no moment at
/// which either name is missing. Fails where the system or file system cannot do it; callers
/// then fall back to two renames.
pub fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
        let (a, b) = (c(a)?, c(b)?);
        // SAFETY: both pointers are NUL-terminated strings that live across the call.
        let done = unsafe {
            libc::syscall(
                libc::SYS_renameat2,
                libc::AT_FDCWD,
                a.as_ptr(),
                libc::AT_FDCWD,
                b.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if done == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        Err(std::io::Error::new(std::io::ErrorKind::Unsupported, "no atomic exchange on this system"))
    }
}

/// Whether the process `pid` is still running: its leftovers are not a dead build's. Where
/// that cannot be known, every process counts as running, so nothing is taken from it.
pub fn process_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else { return true };
        if pid <= 0 {
            return true;
        }
        // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
        let found = unsafe { libc::kill(pid, 0) } == 0;
        found || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// The files of one folder of the site, listed without ever leaving the site (see
/// [`list_in_site`]).
#[derive(Debug, Default)]
pub struct Listing {
    /// The wanted regular files, names sorted folder by folder, spelled under the listed folder
    /// (through the links that lead to them).
    pub files: Vec<PathBuf>,
    /// Links leading outside the site or in a loop, and entries that cannot be read: errors.
    /// Unreadable entries the caller would not have read anyway: warnings.
    pub problems: Vec<Diagnostic>,
}

/// Lists the regular files under `dir` (a folder of the site at `root`) for which `wanted`
/// (given the file name) holds. Hidden entries (`.git`, `.x.md.swp`) are passed over if
/// `skip_hidden`.
///
/// Nothing outside the site is ever listed: a link (on the way to `dir` or under it) that
/// resolves outside `root` is an error naming it and its target, and is not followed. A link
/// inside the site is followed, and each real folder is listed once: a link back into a
/// folder that holds it is a loop, a second way into a folder already listed is an error too,
/// so a listing is linear in what the site holds. FIFOs, sockets and devices are never opened;
/// they and links leading nowhere are errors where the file is wanted and warnings otherwise,
/// so nothing is skipped without a word.
pub fn list_in_site(root: &Path, dir: &Path, skip_hidden: bool, wanted: &dyn Fn(&str) -> bool) -> Result<Listing> {
    let canon_root =
        root.canonicalize().map_err(|source| Error::Io { action: "open", path: root.to_owned(), source })?;
    let mut walk = Walk { root, canon_root, skip_hidden, wanted, visited: HashMap::new(), listing: Listing::default() };
    match walk.confine(dir) {
        Ok(canon) => {
            walk.visited.insert(canon.clone(), dir.to_owned());
            walk.folder(dir, &mut vec![canon]);
        }
        Err(problem) => walk.listing.problems.push(problem),
    }
    Ok(walk.listing)
}

/// Reads `path` (under `root`), a file the build needs, refusing one that resolves outside
/// the site or is not a regular file.
pub fn read_in_site(root: &Path, path: &Path, limit: u64) -> Result<Vec<u8>> {
    let canon_root =
        root.canonicalize().map_err(|source| Error::Io { action: "open", path: root.to_owned(), source })?;
    let walk = Walk {
        root,
        canon_root,
        skip_hidden: false,
        wanted: &|_| true,
        visited: HashMap::new(),
        listing: Listing::default(),
    };
    walk.confine(path).map_err(|problem| Error::Content(vec![problem]))?;
    read_regular(path, limit)
}

/// [`read_in_site`], as UTF-8 text.
pub fn read_in_site_to_string(root: &Path, path: &Path, limit: u64) -> Result<String> {
    utf8(path, read_in_site(root, path, limit)?)
}

struct Walk<'a> {
    root: &'a Path,
    canon_root: PathBuf,
    skip_hidden: bool,
    wanted: &'a dyn Fn(&str) -> bool,
    /// Real (canonical) folders listed so far, with the path they were reached by.
    visited: HashMap<PathBuf, PathBuf>,
    listing: Listing,
}

impl Walk<'_> {
    /// `path` as the user knows it: relative to the site root.
    fn shown(&self, path: &Path) -> PathBuf {
        path.strip_prefix(self.root).unwrap_or(path).to_path_buf()
    }

    /// A target for messages: relative to the site root when inside it.
    fn shown_target(&self, target: &Path) -> String {
        match target.strip_prefix(&self.canon_root) {
            Ok(rel) if rel.as_os_str().is_empty() => t!("fsx.site_folder_itself").into_owned(),
            Ok(rel) => format!("`{}`", rel.display()),
            Err(_) => format!("`{}`", target.display()),
        }
    }

    /// The canonical path of `path` if it stays inside the site, else an error naming the
    /// first link on the way that leads out.
    fn confine(&self, path: &Path) -> std::result::Result<PathBuf, Diagnostic> {
        match path.canonicalize() {
            Ok(canon) if canon.starts_with(&self.canon_root) => return Ok(canon),
            Ok(_) => {}
            // Missing: nothing there to read (callers check for what they need).
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(path.to_owned()),
            Err(e) => return Err(self.unresolved(path, &e, true)),
        }
        let rel = path.strip_prefix(self.root).unwrap_or(path);
        let mut prefix = self.root.to_path_buf();
        for part in rel.components() {
            prefix.push(part);
            if let Ok(canon) = prefix.canonicalize()
                && !canon.starts_with(&self.canon_root)
            {
                return Err(self.outside(&prefix, &canon));
            }
        }
        Err(self.outside(path, &path.canonicalize().unwrap_or_default()))
    }

    fn outside(&self, link: &Path, target: &Path) -> Diagnostic {
        Diagnostic::error(
            self.shown(link),
            0,
            0,
            t!("fsx.outside", target = target.display(), root = self.canon_root.display()),
        )
        .with_hint(t!("fsx.outside_hint"))
    }

    /// A link that cannot be resolved: a loop of links, a link leading nowhere, or no access.
    fn unresolved(&self, path: &Path, e: &std::io::Error, wanted: bool) -> Diagnostic {
        let shown = self.shown(path);
        let target = std::fs::read_link(path).map(|t| format!("`{}`", t.display())).unwrap_or_default();
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return Diagnostic::error(&shown, 0, 0, t!("fsx.loop")).with_hint(t!("fsx.loop_hint"));
        }
        let (message, hint) = if e.kind() == std::io::ErrorKind::NotFound {
            (t!("fsx.dangling", target = target), t!("fsx.dangling_hint"))
        } else {
            (t!("fsx.cannot_open", error = e), t!("fsx.cannot_open_hint"))
        };
        let problem = if wanted {
            Diagnostic::error(&shown, 0, 0, message)
        } else {
            Diagnostic::warning(&shown, 0, 0, t!("fsx.skipped", message = message))
        };
        problem.with_hint(hint)
    }

    /// Lists the folder at `dir`, whose real path is the last of `stack` (the real folders
    /// that hold it, outermost first).
    fn folder(&mut self, dir: &Path, stack: &mut Vec<PathBuf>) {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                let shown = self.shown(dir);
                let problem = Diagnostic::error(&shown, 0, 0, t!("fsx.cannot_list", error = e));
                self.listing.problems.push(problem.with_hint(t!("fsx.cannot_list_hint")));
                return;
            }
        };
        let mut entries: Vec<(std::ffi::OsString, std::io::Result<std::fs::FileType>)> =
            entries.flatten().map(|e| (e.file_name(), e.file_type())).collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let canon_dir = stack.last().cloned().unwrap_or_default();
        for (name, kind) in entries {
            let text = name.to_string_lossy();
            if self.skip_hidden && text.starts_with('.') {
                continue;
            }
            let wanted = (self.wanted)(&text);
            let path = dir.join(&name);
            let (kind, canon) = match kind {
                Ok(kind) if kind.is_symlink() => match path.canonicalize() {
                    Ok(target) if !target.starts_with(&self.canon_root) => {
                        self.listing.problems.push(self.outside(&path, &target));
                        continue;
                    }
                    Ok(target) => match std::fs::metadata(&target) {
                        Ok(meta) => (meta.file_type(), target),
                        Err(e) => {
                            self.listing.problems.push(self.unresolved(&path, &e, wanted));
                            continue;
                        }
                    },
                    Err(e) => {
                        self.listing.problems.push(self.unresolved(&path, &e, wanted));
                        continue;
                    }
                },
                Ok(kind) => (kind, canon_dir.join(&name)),
                Err(e) => {
                    self.listing.problems.push(self.unresolved(&path, &e, wanted));
                    continue;
                }
            };
            if kind.is_dir() {
                self.subfolder(&path, canon, stack);
            } else if kind.is_file() {
                if wanted {
                    self.listing.files.push(path);
                }
            } else {
                let shown = self.shown(&path);
                let message = t!("fsx.special_not_read", kind = special_kind(&kind));
                let problem = if wanted {
                    Diagnostic::error(&shown, 0, 0, message)
                } else {
                    Diagnostic::warning(&shown, 0, 0, message)
                };
                self.listing.problems.push(problem.with_hint(t!("fsx.special_hint")));
            }
        }
    }

    fn subfolder(&mut self, path: &Path, canon: PathBuf, stack: &mut Vec<PathBuf>) {
        let shown = self.shown(path);
        if let Some(holder) = stack.iter().find(|s| s.starts_with(&canon)) {
            let problem = Diagnostic::error(&shown, 0, 0, t!("fsx.folder_loop", target = self.shown_target(holder)));
            self.listing.problems.push(problem.with_hint(t!("fsx.folder_loop_hint")));
            return;
        }
        if let Some(first) = self.visited.get(&canon) {
            let problem = Diagnostic::error(&shown, 0, 0, t!("fsx.same_folder", first = self.shown(first).display()));
            self.listing.problems.push(problem.with_hint(t!("fsx.same_folder_hint")));
            return;
        }
        self.visited.insert(canon.clone(), path.to_owned());
        stack.push(canon);
        self.folder(path, stack);
        stack.pop();
    }
}
