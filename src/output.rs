//! Writing the site: into a staging folder beside the output, then swapped in, so a failed
//! build never leaves a half-written `public/`.

use crate::render::OutputFile;
use crate::{Error, Result, fsx};
use rayon::prelude::*;
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

/// Writes `files` under a staging folder and swaps it in for `output`. The previous output is
/// moved into `trash` (removed later, off the critical path) or, failing that, removed now.
pub fn write_atomically(output: &Path, files: &[OutputFile], trash: Option<&Path>) -> Result<()> {
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fsx::create_dir_all(parent)?;
    let name = output.file_name().map_or("public".into(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(".{name}.zhiku-staging-{}", std::process::id()));
    let old = parent.join(format!(".{name}.zhiku-old-{}", std::process::id()));
    fsx::remove_dir_all(&staging)?;

    let written = write_tree(&staging, files);
    if let Err(e) = written {
        let _ = fsx::remove_dir_all(&staging);
        return Err(e);
    }
    if output.exists() {
        fsx::remove_dir_all(&old)?;
        fsx::rename(output, &old)?;
        if let Err(e) = fsx::rename(&staging, output) {
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
        fsx::rename(&staging, output)?;
    }
    Ok(())
}

/// Removes what earlier builds moved into `trash`, in a background thread.
pub fn empty_trash(trash: &Path) -> std::thread::JoinHandle<()> {
    let trash = trash.to_path_buf();
    std::thread::spawn(move || {
        let _ = std::fs::remove_dir_all(&trash);
    })
}

/// Writes files under `dir` in parallel.
pub fn write_tree(dir: &Path, files: &[OutputFile]) -> Result<()> {
    let mut dirs: Vec<PathBuf> =
        files.iter().filter_map(|f| dir.join(&f.path).parent().map(Path::to_path_buf)).collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        fsx::create_dir_all(d)?;
    }
    files.par_iter().try_for_each(|f| {
        let path = dir.join(&f.path);
        std::fs::write(&path, &f.bytes).map_err(|source| Error::Io { action: "write", path, source })
    })
}
