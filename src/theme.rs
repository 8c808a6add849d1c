//! The theme: templates and static files. The default theme is compiled into the binary;
//! a site's `themes/<name>/templates` and `themes/<name>/static` override files by name.

use crate::config::Config;
use crate::{Error, Result, fsx};
use include_dir::{Dir, include_dir};
use std::collections::BTreeMap;
use std::path::Path;

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
        let dir = root.join("themes").join(&config.theme);
        if dir.is_dir() {
            theme.overlay(&dir)?;
        } else if config.theme != "default" {
            return Err(Error::Usage(format!(
                "config.yaml: theme `{}` not found: no folder `{}`",
                config.theme,
                dir.display()
            )));
        }
        Ok(theme)
    }

    fn overlay(&mut self, dir: &Path) -> Result<()> {
        for (sub, is_template) in [("templates", true), ("static", false)] {
            let base = dir.join(sub);
            if !base.is_dir() {
                continue;
            }
            for entry in walkdir::WalkDir::new(&base).sort_by_file_name() {
                let entry = entry.map_err(|e| Error::Usage(format!("cannot list `{}`: {e}", base.display())))?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let rel = entry.path().strip_prefix(&base).unwrap_or(entry.path());
                let name = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                if is_template {
                    self.templates.insert(name, fsx::read_to_string(entry.path())?);
                } else {
                    self.statics.insert(name, fsx::read(entry.path())?);
                }
            }
        }
        Ok(())
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
