//! Drives the stages: load → parse → link → render → write. Also `check`, which stops before writing.

use crate::config::Config;
use crate::content::{self, Page};
use crate::diagnostic::{self, Diagnostic};
use crate::link::Links;
use crate::markdown::{self, Document};
use crate::render::{Extras, OutputFile, Renderer};
use crate::theme::Theme;
use crate::{Error, Result, output};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Options of `zhiku build`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `<root>/public`.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions { root: root.into(), output: None, base_url: None, drafts: false }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output.clone().unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a build did, for the CLI to report.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub warnings: Vec<Diagnostic>,
    pub timings: Vec<(&'static str, f64)>,
}

/// A loaded site: configuration, theme and pages.
pub struct Source {
    pub config: Config,
    pub theme: Theme,
    pub pages: Vec<Page>,
    pub warnings: Vec<Diagnostic>,
    /// Load errors, reported together with the link errors.
    pub errors: Vec<Diagnostic>,
    pub failed: Vec<String>,
}

pub fn load(root: &Path, base_url: Option<&str>, drafts: bool) -> Result<Source> {
    let mut config = Config::load(root)?;
    if let Some(url) = base_url {
        config.base_url = if url.ends_with('/') { url.to_string() } else { format!("{url}/") };
    }
    let theme = Theme::load(root, &config)?;
    let loaded = content::load(root, &config, drafts)?;
    Ok(Source {
        config,
        theme,
        pages: loaded.pages,
        warnings: loaded.warnings,
        errors: loaded.errors,
        failed: loaded.failed,
    })
}

/// Parses every body and links the site. Returns the documents, the graph and warnings.
pub fn analyze<'a>(source: &'a Source) -> Result<(Vec<Document<'a>>, Links, Vec<Diagnostic>)> {
    let docs: Vec<Document> = source.pages.par_iter().map(|p| markdown::parse(&p.body, p.body_line)).collect();
    let mut errors = source.errors.clone();
    let linked = Links::build(&source.pages, &docs, &source.config, &source.failed);
    let (links, mut warnings) = match linked {
        Ok(ok) if errors.is_empty() => ok,
        Ok(_) => return Err(Error::Content(errors)),
        Err(mut e) => {
            errors.append(&mut e);
            diagnostic::sort(&mut errors);
            return Err(Error::Content(errors));
        }
    };
    warnings.extend(source.warnings.iter().cloned());
    diagnostic::sort(&mut warnings);
    Ok((docs, links, warnings))
}

/// Renders the whole site in memory.
pub fn render(source: &Source, docs: &[Document], links: &Links, extras: &Extras) -> Result<Vec<OutputFile>> {
    let renderer = Renderer::new(&source.theme, &source.config, &source.pages, docs, links, extras)?;
    let mut files = renderer.render_all()?;
    let support = renderer.support_files(&source.theme, &files);
    files.extend(support);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// `zhiku check`: everything `build` validates, writing nothing.
pub fn check(root: &Path) -> Result<BuildReport> {
    let source = load(root, None, false)?;
    let (docs, links, warnings) = analyze(&source)?;
    let files = render(&source, &docs, &links, &Extras::default())?;
    Ok(BuildReport { pages: source.pages.len(), files: files.len(), warnings, ..BuildReport::default() })
}

/// `zhiku build`: renders the site and swaps it into the output folder.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let output_dir = options.output_dir();
    output::check_output_dir(&options.root, &output_dir)?;
    let mut timings = Vec::new();
    let mut t = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, f64)>| {
        timings.push((name, t.elapsed().as_secs_f64()));
        t = Instant::now();
    };
    let source = load(&options.root, options.base_url.as_deref(), options.drafts)?;
    lap("load", &mut timings);
    let (docs, links, warnings) = analyze(&source)?;
    lap("parse+link", &mut timings);
    let files = render(&source, &docs, &links, &Extras::default())?;
    lap("render", &mut timings);
    output::write_atomically(&output_dir, &files)?;
    lap("write", &mut timings);
    Ok(BuildReport {
        pages: source.pages.len(),
        files: files.len(),
        bytes: files.iter().map(|f| f.bytes.len() as u64).sum(),
        warnings,
        timings,
    })
}
