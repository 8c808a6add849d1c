//! Writing the site: into a staging folder beside the output, then swapped in, so a failed
//! build never leaves a half-written `public/`.

use crate::render::OutputFile;
use crate::{Error, Result, fsx};
use std::path::{Path, PathBuf};

/// Refuses outputs that would replace the site's own sources.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<()> {
    let canon_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let canon_out = match output.canonicalize() {
        Ok(p) => p,
        Err(_) => return Ok(()), // does not exist yet
    };
    if canon_root.starts_with(&canon_out)
        || canon_out.join("config.yaml").exists()
        || canon_out.join("content").is_dir()
    {
        return Err(Error::Usage(format!(
            "refusing to write into `{}`: it holds the site's sources, and the output folder is replaced on every build",
            output.display()
        )));
    }
    Ok(())
}

/// Where rendered files go as they are made, so a build never holds the whole site in memory.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<()>;
}

/// Counts files and bytes and keeps nothing (for `check`), or keeps everything (tests).
#[derive(Default)]
pub struct Memory {
    keep: bool,
    files: std::sync::Mutex<Vec<OutputFile>>,
    count: std::sync::atomic::AtomicUsize,
}

impl Memory {
    pub fn keeping() -> Memory {
        Memory { keep: true, ..Memory::default() }
    }
    pub fn count(&self) -> usize {
        self.count.load(std::sync::atomic::Ordering::Relaxed)
    }
    /// The kept files, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.files.into_inner().unwrap_or_default();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Memory {
    fn put(&self, file: OutputFile) -> Result<()> {
        self.count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if let Some(mut files) = self.keep.then(|| self.files.lock().ok()).flatten() {
            files.push(file);
        }
        Ok(())
    }
}

/// A staging folder beside the output: files are written as they come, then [`Staging::commit`]
/// swaps the folder in. Dropped without a commit, it removes itself: a failed build leaves the
/// old output untouched.
pub struct Staging {
    dir: PathBuf,
    committed: bool,
    files: std::sync::atomic::AtomicUsize,
    bytes: std::sync::atomic::AtomicU64,
}

impl Staging {
    pub fn begin(output: &Path) -> Result<Staging> {
        let (parent, name) = split(output);
        fsx::create_dir_all(&parent)?;
        let dir = parent.join(format!(".{name}.zhiku-staging-{}", std::process::id()));
        fsx::remove_dir_all(&dir)?;
        fsx::create_dir_all(&dir)?;
        Ok(Staging { dir, committed: false, files: Default::default(), bytes: Default::default() })
    }

    pub fn files(&self) -> usize {
        self.files.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn bytes(&self) -> u64 {
        self.bytes.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Swaps the staging folder in for `output`. The previous output is moved into `trash`
    /// (removed later, off the critical path) or, failing that, removed now.
    pub fn commit(mut self, output: &Path, trash: Option<&Path>) -> Result<()> {
        let (parent, name) = split(output);
        let old = parent.join(format!(".{name}.zhiku-old-{}", std::process::id()));
        if output.exists() {
            fsx::remove_dir_all(&old)?;
            fsx::rename(output, &old)?;
            if let Err(e) = fsx::rename(&self.dir, output) {
                let _ = fsx::rename(&old, output);
                return Err(e);
            }
            let trashed = trash.is_some_and(|t| {
                let target = t.join(format!("{name}-{}", std::process::id()));
                std::fs::create_dir_all(t).is_ok() && std::fs::rename(&old, target).is_ok()
            });
            if !trashed {
                fsx::remove_dir_all(&old)?;
            }
        } else {
            fsx::rename(&self.dir, output)?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<()> {
        let path = self.dir.join(&file.path);
        if let Some(parent) = path.parent().filter(|p| !p.is_dir()) {
            fsx::create_dir_all(parent)?;
        }
        std::fs::write(&path, &file.bytes).map_err(|source| Error::Io { action: "write", path, source })?;
        self.files.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.bytes.fetch_add(file.bytes.len() as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn split(output: &Path) -> (PathBuf, String) {
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
    let name = output.file_name().map_or("public".into(), |n| n.to_string_lossy().into_owned());
    (parent, name)
}

/// Removes what earlier builds moved into `trash`, in a background thread.
pub fn empty_trash(trash: &Path) -> std::thread::JoinHandle<()> {
    let trash = trash.to_path_buf();
    std::thread::spawn(move || {
        let _ = std::fs::remove_dir_all(&trash);
    })
}
