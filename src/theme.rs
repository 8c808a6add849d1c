//! The theme: templates and static files. The default theme is compiled into the binary;
//! a site's `themes/<name>/templates` and `themes/<name>/static` override files by name.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::{Error, Result, fsx};
use include_dir::{Dir, include_dir};
use rust_i18n::t;
use std::collections::BTreeMap;
use std::path::Path;

/// Theme files are read whole into memory; no real template or picture comes near this.
const MAX_THEME_FILE_BYTES: u64 = 64 << 20;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Templates by name (`page.html`) and static files by path under `static/`.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub templates: BTreeMap<String, String>,
    pub statics: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    pub fn load(root: &Path, config: &Config) -> Result<Theme> {
        let mut theme = Theme::default();
        collect_embedded(&DEFAULT_THEME, &mut theme);
        // The setting names a folder under `themes/`; a path (`/srv/theme`, `../x`) would
        // read templates from anywhere, so it is refused before anything is joined.
        let name = config.theme.as_str();
        if name.is_empty() || name == "." || name == ".." || name.contains(['/', '\\']) || name.contains(':') {
            return Err(Error::Usage(t!("theme.not_a_name", name = name).into_owned()));
        }
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            theme.overlay(root, &dir)?;
        } else if config.theme != "default" {
            return Err(Error::Usage(t!("theme.not_found", name = config.theme, dir = dir.display()).into_owned()));
        }
        Ok(theme)
    }

    /// Reads the site's theme folder `dir` over the built-in files. Every file there is
    /// published or used, so anything that cannot be read (a link out of the site, a FIFO)
    /// is an error; all of them are reported together.
    fn overlay(&mut self, root: &Path, dir: &Path) -> Result<()> {
        let mut problems = Vec::new();
        for (sub, is_template) in [("templates", true), ("static", false)] {
            let base = dir.join(sub);
            // A `static` that is a file or a link leading nowhere is listed, and reported.
            if std::fs::symlink_metadata(&base).is_err() {
                continue;
            }
            let listing = fsx::list_in_site(root, &base, false, &|_| true)?;
            problems.extend(listing.problems);
            for path in listing.files {
                let rel = path.strip_prefix(&base).unwrap_or(&path);
                let name = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                let bytes = fsx::read_regular(&path, MAX_THEME_FILE_BYTES)?;
                if bytes.len() as u64 > MAX_THEME_FILE_BYTES {
                    problems.push(Diagnostic::error(
                        &path,
                        0,
                        0,
                        t!("theme.too_large", max = MAX_THEME_FILE_BYTES >> 20),
                    ));
                } else if is_template {
                    self.templates.insert(name, fsx::utf8(&path, bytes)?);
                } else {
                    self.statics.insert(name, bytes);
                }
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(Error::Content(problems)) }
    }
}

fn collect_embedded(dir: &Dir<'static>, theme: &mut Theme) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        if let Some(name) = path.strip_prefix("templates/") {
            theme.templates.insert(name.to_string(), String::from_utf8_lossy(file.contents()).into_owned());
        } else if let Some(name) = path.strip_prefix("static/") {
            theme.statics.insert(name.to_string(), file.contents().to_vec());
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, theme);
    }
}
