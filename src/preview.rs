//! The preview's build: the site kept in memory between edits, so that a change re-runs only
//! what it touches.
//!
//! - Content files are re-read only when their size or time changed, or the watcher named
//!   them; unchanged pages keep their parsed documents.
//! - Linking (linear) runs over the whole site, so backlinks, topics, timeline and neighbours
//!   are always those of a full build; an edit of page bodies alone patches the graph instead
//!   ([`Links::update_bodies`]), with the same result.
//! - The search export is updated doc by doc ([`Export::update`]) and its files are encoded when
//!   the browser asks for them, never written.
//! - Every HTML file has a fingerprint of what it is made from ([`Renderer::fingerprints`]);
//!   only files whose fingerprint changed are rendered and written. Other files are compared
//!   by content. On large sites a body edit writes the edited pages first; the other files it
//!   changes follow in [`Session::settle_lists`], related pages in [`Session::settle`].
//!
//! The result equals a full `build` of the same sources (tests/serve.rs checks it).

use crate::config::Config;
use crate::content::{self, Page};
use crate::diagnostic::Diagnostic;
use crate::link::Links;
use crate::markdown::{self, Document};
use crate::render::{Extras, Renderer, Templates};
use crate::search::SearchDoc;
use crate::search::export::Export;
use crate::search::index::SearchIndex;
use crate::site;
use crate::theme::Theme;
use crate::{Error, Result, fsx};
use rayon::prelude::*;
use rust_i18n::t;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

/// The search export being served, shared with the HTTP threads.
pub type SharedExport = Arc<RwLock<Option<Export>>>;

/// Size and modification time: a file whose stamp is unchanged is not read again (unless the
/// watcher names it).
type Stamp = (u64, Option<SystemTime>);

fn stamp(path: &Path) -> Option<Stamp> {
    std::fs::metadata(path).ok().map(|m| (m.len(), m.modified().ok()))
}

/// One file of `content/` as last loaded.
struct Loaded {
    stamp: Option<Stamp>,
    /// Its page (index into `pages`), nothing (a draft), or its errors.
    state: std::result::Result<Option<usize>, Vec<Diagnostic>>,
}

/// What a rebuild did.
#[derive(Debug, Default)]
pub struct Rebuilt {
    /// Files re-read from `content/`.
    pub reloaded: usize,
    /// Files written or removed in the output folder.
    pub written: usize,
    pub removed: usize,
    /// URL paths (`/speeches/x/`) of the pages that changed, for the tabs showing them.
    pub changed_pages: Vec<String>,
    pub warnings: Vec<Diagnostic>,
}

/// Sites up to this many pages get their related pages recomputed before the reload; larger
/// ones right after it ([`Session::settle`]), so the edited page shows first.
const INLINE_RELATED_PAGES: usize = 300;

pub struct Session {
    root: PathBuf,
    out: PathBuf,
    drafts: bool,
    config: Option<Config>,
    theme: Option<Theme>,
    templates: Option<Templates>,
    files: HashMap<PathBuf, Loaded>,
    /// Content files in load order.
    order: Vec<PathBuf>,
    /// What the last listing of `content/` found in the way (links leading outside the site,
    /// special files): its errors fail every rebuild until it is listed again.
    listing_problems: Vec<Diagnostic>,
    pages: Vec<Page>,
    docs: Vec<Document<'static>>,
    links: Option<Links>,
    /// Per page (by `rel`): its search doc and source hash, kept while the file is unchanged.
    search_docs: HashMap<String, Arc<SearchDoc>>,
    sources: HashMap<String, u64>,
    /// The same in page order: the search docs (pages with one), the pages they are for, and
    /// every page's source hash.
    search_list: Vec<Arc<SearchDoc>>,
    doc_pages: Vec<usize>,
    source_list: Vec<u64>,
    /// Related pages as last computed: the pages' `rel` then, and the lists (page indices
    /// then); and whether they are out of date.
    similar: (Vec<String>, Vec<Vec<usize>>),
    related_stale: bool,
    /// Sites with more pages than this settle related pages after the reload.
    pub inline_related_pages: usize,
    export: SharedExport,
    /// Each written file's fingerprint (HTML) or content hash (other files).
    written: HashMap<String, u64>,
    /// Whether every content file loaded without errors last time.
    loaded_clean: bool,
    /// The pages the last reload read again, when nothing but their bodies changed: links are
    /// then brought up to date instead of being built again.
    body_edits: Option<Vec<usize>>,
    /// The warnings of the last linking.
    link_warnings: Vec<Diagnostic>,
    /// The related pages the last update rendered with, and whether it left files (lists,
    /// feeds, pages listing the edited ones) for [`Session::settle_lists`].
    extras: Option<Extras>,
    lists_stale: bool,
    /// Pictures and attachments as last listed, and the problems found then.
    assets: Option<(Arc<crate::assets::Assets>, Vec<Diagnostic>)>,
}

impl Session {
    /// A session writing into `out` (emptied first). Nothing is built until [`Session::rebuild`].
    /// Changed paths given later must be spelled like `root` (the watcher gives absolute ones, so
    /// `serve` passes the canonical root).
    pub fn new(root: &Path, out: &Path, drafts: bool) -> Result<Session> {
        fsx::remove_dir_all(out)?;
        fsx::create_dir_all(out)?;
        Ok(Session {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            drafts,
            config: None,
            theme: None,
            templates: None,
            files: HashMap::new(),
            order: Vec::new(),
            listing_problems: Vec::new(),
            pages: Vec::new(),
            docs: Vec::new(),
            links: None,
            search_docs: HashMap::new(),
            sources: HashMap::new(),
            search_list: Vec::new(),
            doc_pages: Vec::new(),
            source_list: Vec::new(),
            similar: (Vec::new(), Vec::new()),
            related_stale: false,
            inline_related_pages: INLINE_RELATED_PAGES,
            export: Arc::new(RwLock::new(None)),
            written: HashMap::new(),
            loaded_clean: false,
            body_edits: None,
            link_warnings: Vec::new(),
            extras: None,
            lists_stale: false,
            assets: None,
        })
    }

    pub fn export(&self) -> SharedExport {
        self.export.clone()
    }

    /// [`Session::update`], [`Session::settle_lists`] and [`Session::settle`]: the output
    /// equals a full build.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Rebuilt> {
        let mut report = self.update(changed)?;
        if let Some(more) = self.settle_lists()? {
            report.written += more.written;
            report.changed_pages.extend(more.changed_pages);
        }
        if let Some(more) = self.settle()? {
            report.written += more.written;
            report.changed_pages.extend(more.changed_pages);
        }
        Ok(report)
    }

    /// Brings pages and search up to date after `changed` paths changed (every path on the
    /// first call). On a large site, related pages keep their last lists until
    /// [`Session::settle`], and after a body edit only the edited pages are written until
    /// [`Session::settle_lists`]. On error the output keeps the last good build.
    pub fn update(&mut self, changed: &[PathBuf]) -> Result<Rebuilt> {
        let changed: HashSet<&Path> = changed.iter().map(PathBuf::as_path).collect();
        let clock = std::time::Instant::now();
        let themes = self.root.join("themes");
        if self.config.is_none() || changed.contains(self.root.join(crate::config::CONFIG_FILE).as_path()) {
            // Unset until it loads, so a broken config stays an error until it is fixed.
            self.config = None;
            let mut config = Config::load(&self.root)?;
            // The preview is served at the root, whatever base_url the site is published under.
            config.base_url = "/".into();
            self.config = Some(config);
            self.theme = None;
            // Parsing depends on the configuration: every file is read again.
            self.files.clear();
        }
        let config = self
            .config
            .clone()
            .ok_or_else(|| Error::Usage(t!("preview.internal", what = "no configuration").into_owned()))?;
        let theme_changed = self.theme.is_none() || changed.iter().any(|p| p.starts_with(&themes));
        if theme_changed {
            // Unset until they load, so a broken template is read again on the next change.
            (self.theme, self.templates) = (None, None);
            let theme = Theme::load(&self.root, &config)?;
            self.templates = Some(Templates::new(&theme)?);
            self.theme = Some(theme);
        }
        self.body_edits = None;
        // Any file in `content/` but a page, or in `static/`: list the assets again.
        let content_dir = self.root.join(content::CONTENT_DIR);
        let statics = self.root.join(crate::assets::STATIC_DIR);
        let assets_changed = self.assets.is_none()
            || changed.iter().any(|p| {
                p.starts_with(&statics)
                    || (p.starts_with(&content_dir) && !p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md")))
            });
        if assets_changed {
            self.assets = None;
            let (assets, problems) = crate::assets::Assets::scan(&self.root)?;
            self.assets = Some((Arc::new(assets), problems));
        }
        let (assets, asset_problems) =
            self.assets.clone().ok_or_else(|| Error::Usage(t!("preview.internal", what = "no assets").into_owned()))?;
        let (reloaded, mut errors, failed) = self.reload(&config, &changed)?;
        if assets_changed {
            // Links to pictures and attachments are checked again by a whole linking.
            self.body_edits = None;
        }
        errors.extend(asset_problems.into_iter().filter(Diagnostic::is_error));
        lap(clock, "reload");
        let mut report = Rebuilt { reloaded: reloaded.len(), ..Rebuilt::default() };
        let last_links = self.links.take();
        self.extras = None;
        // Pages whose bodies alone changed, when nothing else did.
        let mut body_edits = None;
        let theme =
            self.theme.as_ref().ok_or_else(|| Error::Usage(t!("preview.internal", what = "no theme").into_owned()))?;
        let (links, warnings) = match (last_links, self.body_edits.take()) {
            (Some(mut links), Some(changed)) => {
                let mut errors = match links.update_bodies(&self.pages, &self.docs, &changed) {
                    Ok(()) => Vec::new(),
                    Err(errors) => errors,
                };
                // Body edits move no page; a theme's static files may have changed.
                if theme_changed {
                    errors.extend(crate::render::check_outputs(&self.pages, &links, &config, theme));
                }
                if !errors.is_empty() {
                    crate::diagnostic::sort(&mut errors);
                    return Err(Error::Content(errors));
                }
                body_edits = Some(changed);
                (links, self.link_warnings.clone())
            }
            _ => {
                let listing_warnings: Vec<Diagnostic> =
                    self.listing_problems.iter().filter(|d| !d.is_error()).cloned().collect();
                site::link(&self.pages, &self.docs, &config, theme, errors, &failed, &listing_warnings, assets.clone())?
            }
        };
        self.link_warnings = warnings.clone();
        report.warnings = warnings;
        lap(clock, "link");

        match &body_edits {
            Some(changed) => self.update_search_docs(&links, changed),
            None => self.make_search_docs(&links, &reloaded),
        }
        let (search_docs, doc_pages) = (self.search_list.clone(), self.doc_pages.clone());
        lap(clock, "search docs");
        {
            let mut export = self
                .export
                .write()
                .map_err(|_| Error::Search(t!("preview.internal", what = "search state poisoned").into_owned()))?;
            match export.as_mut() {
                Some(e) => e.update(search_docs),
                None => {
                    let index = SearchIndex::build(None, &search_docs, rayon::current_num_threads())?;
                    *export = Some(Export::from_index(&index, search_docs, &site::facet_labels())?);
                }
            }
        }
        lap(clock, "search update");

        let pages = &self.pages;
        let extras = if pages.len() <= self.inline_related_pages || self.similar.0.is_empty() {
            self.related_stale = false;
            self.related(&doc_pages, &AtomicBool::new(false))?.unwrap_or_default()
        } else {
            // The last lists, by page, until `settle` computes the new ones.
            self.related_stale = true;
            let (rels, lists) = &self.similar;
            let similar = if rels.len() == pages.len() && rels.iter().zip(pages).all(|(r, p)| *r == p.rel) {
                lists.clone()
            } else {
                let index: HashMap<&str, usize> = pages.iter().enumerate().map(|(i, p)| (p.rel.as_str(), i)).collect();
                let old: HashMap<&str, &Vec<usize>> = rels.iter().map(String::as_str).zip(lists).collect();
                pages
                    .iter()
                    .map(|p| {
                        let list = old.get(p.rel.as_str()).map_or(&[][..], |v| &v[..]);
                        list.iter().filter_map(|&j| index.get(rels[j].as_str()).copied()).collect()
                    })
                    .collect()
            };
            Extras { similar }
        };
        lap(clock, "related");
        let sources = self.source_list.clone();
        // Large sites: after a body edit, the edited pages show first; the lists showing their
        // summaries follow in `settle_lists`.
        let first = body_edits.filter(|_| self.related_stale);
        let (written, removed, changed_pages) = self.write(&config, &links, &extras, &sources, first.as_deref())?;
        lap(clock, "render and write");
        self.links = Some(links);
        self.extras = Some(extras);
        Ok(Rebuilt { written, removed, changed_pages, ..report })
    }

    /// Renders the files an [`Session::update`] left for later so that the edited pages showed
    /// first: lists, feeds and pages listing the edited ones. `None` when there were none.
    pub fn settle_lists(&mut self) -> Result<Option<Rebuilt>> {
        if !self.lists_stale {
            return Ok(None);
        }
        let clock = std::time::Instant::now();
        let (Some(config), Some(links), Some(extras)) = (self.config.clone(), self.links.take(), self.extras.take())
        else {
            return Ok(None);
        };
        let sources = self.source_list.clone();
        let result = self.write(&config, &links, &extras, &sources, None);
        (self.links, self.extras) = (Some(links), Some(extras));
        let (written, removed, changed_pages) = result?;
        lap(clock, "lists settled");
        Ok(Some(Rebuilt { written, removed, changed_pages, ..Rebuilt::default() }))
    }

    /// The search docs and source hashes of every page, those of unchanged pages kept.
    fn make_search_docs(&mut self, links: &Links, reloaded: &HashSet<String>) {
        let (pages, docs) = (&self.pages, &self.docs);
        let mut search_docs = Vec::with_capacity(pages.len());
        let mut doc_pages = Vec::with_capacity(pages.len());
        let mut kept = HashMap::with_capacity(pages.len());
        let mut sources = Vec::with_capacity(pages.len());
        for (i, p) in pages.iter().enumerate() {
            let fresh = reloaded.contains(&p.rel);
            sources.push(match self.sources.get(&p.rel) {
                Some(&h) if !fresh => h,
                _ => crate::render::source_hash(p),
            });
            if p.kind == crate::content::PageKind::SectionIndex {
                continue;
            }
            let topics = site::search_topics(links, i);
            let doc = match self.search_docs.remove(&p.rel) {
                Some(d) if !fresh && d.topics == topics => d,
                _ => Arc::new(site::search_doc(p, docs[i].text.clone(), &docs[i].first_paragraph, topics)),
            };
            kept.insert(p.rel.clone(), doc.clone());
            search_docs.push(doc);
            doc_pages.push(i);
        }
        self.search_docs = kept;
        self.sources = pages.iter().map(|p| p.rel.clone()).zip(sources.iter().copied()).collect();
        self.search_list = search_docs;
        self.doc_pages = doc_pages;
        self.source_list = sources;
    }

    /// [`Session::make_search_docs`] after an edit of the `changed` pages' bodies alone: their
    /// topics and everyone else's are as they were.
    fn update_search_docs(&mut self, links: &Links, changed: &[usize]) {
        for &i in changed {
            let (p, d) = (&self.pages[i], &self.docs[i]);
            let source = crate::render::source_hash(p);
            self.source_list[i] = source;
            self.sources.insert(p.rel.clone(), source);
            if let Ok(k) = self.doc_pages.binary_search(&i) {
                let doc =
                    Arc::new(site::search_doc(p, d.text.clone(), &d.first_paragraph, site::search_topics(links, i)));
                self.search_list[k] = doc.clone();
                self.search_docs.insert(p.rel.clone(), doc);
            }
        }
    }

    /// Computes the related pages an [`Session::update`] left out of date and re-renders the
    /// pages whose lists changed. Returns `None` when there was nothing to do.
    pub fn settle(&mut self) -> Result<Option<Rebuilt>> {
        self.settle_unless(&AtomicBool::new(false))
    }

    /// [`Session::settle`], given up as soon as `cancel` is set (a newer save arrived): then
    /// nothing is written, related pages stay out of date, and `Ok(None)` is returned.
    pub fn settle_unless(&mut self, cancel: &AtomicBool) -> Result<Option<Rebuilt>> {
        if !self.related_stale {
            return Ok(None);
        }
        let clock = std::time::Instant::now();
        let (Some(config), Some(links)) = (self.config.clone(), self.links.take()) else { return Ok(None) };
        let doc_pages: Vec<usize> =
            (0..self.pages.len()).filter(|&i| self.pages[i].kind != crate::content::PageKind::SectionIndex).collect();
        let result = self.related(&doc_pages, cancel).and_then(|extras| {
            let Some(extras) = extras else { return Ok(None) };
            let sources = self.source_list.clone();
            self.write(&config, &links, &extras, &sources, None).map(Some)
        });
        self.links = Some(links);
        let Some((written, removed, changed_pages)) = result? else {
            lap(clock, "settle given up");
            return Ok(None);
        };
        self.related_stale = false;
        lap(clock, "settle");
        Ok(Some(Rebuilt { written, removed, changed_pages, ..Rebuilt::default() }))
    }

    /// Related pages from the search export; remembered by `rel` for the next update.
    /// `None` when `cancel` was set before they were all computed.
    fn related(&mut self, doc_pages: &[usize], cancel: &AtomicBool) -> Result<Option<Extras>> {
        let export = self
            .export
            .read()
            .map_err(|_| Error::Search(t!("preview.internal", what = "search state poisoned").into_owned()))?;
        let export = export
            .as_ref()
            .ok_or_else(|| Error::Search(t!("preview.internal", what = "no search export").into_owned()))?;
        let Some(extras) = site::extras_unless(export, self.pages.len(), doc_pages, cancel) else { return Ok(None) };
        self.similar = (self.pages.iter().map(|p| p.rel.clone()).collect(), extras.similar.clone());
        Ok(Some(extras))
    }

    /// Renders the files whose fingerprint changed, writes them and the changed support files,
    /// and removes files no longer made. Returns (written, removed, URL paths of changed pages).
    fn write(
        &mut self,
        config: &Config,
        links: &Links,
        extras: &Extras,
        sources: &[u64],
        only_pages: Option<&[usize]>,
    ) -> Result<(usize, usize, Vec<String>)> {
        let clock = std::time::Instant::now();
        let theme =
            self.theme.as_ref().ok_or_else(|| Error::Usage(t!("preview.internal", what = "no theme").into_owned()))?;
        let templates = self
            .templates
            .as_ref()
            .ok_or_else(|| Error::Usage(t!("preview.internal", what = "no templates").into_owned()))?;
        let renderer = Renderer::new(templates, config, &self.pages, &self.docs, links, extras)?;
        lap(clock, "write: renderer");
        let prints = renderer.fingerprints(sources);
        lap(clock, "write: fingerprints");
        let stale: Vec<_> = prints.iter().filter(|(_, path, fp)| self.written.get(path) != Some(fp)).collect();
        // With `only_pages`, every other file waits: its fingerprint stays unrecorded, so the
        // next write finds it stale. (A body edit removes no file, so none is removed either.)
        let (stale, deferred): (Vec<_>, Vec<_>) = stale.into_iter().partition(|(job, _, _)| match (only_pages, job) {
            (None, _) => true,
            (Some(pages), crate::render::Job::Page(i)) => pages.contains(i),
            (Some(_), _) => false,
        });
        self.lists_stale = only_pages.is_some();
        let mut files = stale
            .par_iter()
            .map(|(job, _, fp)| renderer.render_job(*job).map(|f| (f, *fp)))
            .collect::<Result<Vec<_>>>()?;
        lap(clock, &format!("write: render ({} deferred)", deferred.len()));
        if only_pages.is_some() {
            drop(renderer);
            return self.put_files(files, Vec::new());
        }
        let mut paths: Vec<String> = prints.into_iter().map(|(_, p, _)| p).collect();
        paths.sort();
        let mut current: HashSet<String> = paths.iter().cloned().collect();
        for f in renderer.support_files(theme, &paths) {
            let mut h = std::hash::DefaultHasher::new();
            f.bytes.hash(&mut h);
            let fp = h.finish();
            current.insert(f.path.clone());
            if self.written.get(&f.path) != Some(&fp) {
                files.push((f, fp));
            }
        }
        drop(renderer);
        // Pictures, copies and attachments: by the file's source, size and time.
        if let Some((assets, _)) = &self.assets {
            assets.make_copies(&self.root)?;
            for (path, from) in assets.outputs(&self.root) {
                let mut h = std::hash::DefaultHasher::new();
                (&from, stamp(&from)).hash(&mut h);
                let fp = h.finish();
                current.insert(path.clone());
                if self.written.get(&path) != Some(&fp) {
                    let bytes = fsx::read_in_site(&self.root, &from, crate::assets::MAX_ASSET_BYTES)?;
                    files.push((crate::render::OutputFile { path, bytes }, fp));
                }
            }
        }
        lap(clock, "write: support files");
        let gone: Vec<String> = self.written.keys().filter(|p| !current.contains(*p)).cloned().collect();
        self.put_files(files, gone)
    }

    /// Writes `files` (with their fingerprints) and removes the `gone` ones. Returns (written,
    /// removed, URL paths of the pages written).
    fn put_files(
        &mut self,
        files: Vec<(crate::render::OutputFile, u64)>,
        gone: Vec<String>,
    ) -> Result<(usize, usize, Vec<String>)> {
        let clock = std::time::Instant::now();
        let changed_pages = files
            .iter()
            .filter(|(f, _)| f.path.ends_with(".html"))
            .map(|(f, _)| format!("/{}", f.path.trim_end_matches("index.html")))
            .collect();
        files.par_iter().try_for_each(|(f, _)| write_atomic(&self.out.join(&f.path), &f.bytes))?;
        lap(clock, "write: files written");
        let written = files.len();
        for (f, fp) in files {
            self.written.insert(f.path, fp);
        }
        for path in &gone {
            let file = self.out.join(path);
            if file.exists() {
                std::fs::remove_file(&file).map_err(|e| Error::Io { action: "remove", path: file, source: e })?;
            }
            self.written.remove(path);
        }
        Ok((written, gone.len(), changed_pages))
    }

    /// Re-reads the content files that changed, keeps the others' pages and documents.
    /// Returns the `rel` paths of the files read, the load errors and the failed files.
    fn reload(
        &mut self,
        config: &Config,
        changed: &HashSet<&Path>,
    ) -> Result<(HashSet<String>, Vec<Diagnostic>, Vec<String>)> {
        let content_dir = self.root.join(content::CONTENT_DIR);
        // When the watcher names only known files that still exist (an edit), the folder
        // listing is the last one; anything else (a new, removed or renamed file or folder)
        // lists `content/` again.
        let edits_only = !self.files.is_empty()
            && changed
                .iter()
                .filter(|p| p.starts_with(&content_dir))
                .all(|p| self.files.contains_key(*p) && p.is_file());
        if edits_only
            && self.loaded_clean
            && let Some(reloaded) = self.reload_in_place(config, &content_dir, changed)
        {
            return Ok((reloaded, Vec::new(), Vec::new()));
        }
        let list = if edits_only {
            std::mem::take(&mut self.order)
        } else {
            let listing = content::list(&self.root)?;
            self.listing_problems = listing.problems;
            listing.files
        };
        let mut old_pages: Vec<Option<Page>> = std::mem::take(&mut self.pages).into_iter().map(Some).collect();
        let mut old_docs: Vec<Option<Document<'static>>> =
            std::mem::take(&mut self.docs).into_iter().map(Some).collect();
        let mut old_files = std::mem::take(&mut self.files);
        type Kept = (content::PageResult, Option<Document<'static>>);
        let plan: Vec<(PathBuf, Option<Stamp>, Option<Kept>)> = list
            .into_iter()
            .map(|path| {
                let old = old_files.remove(&path);
                let named = changed.contains(path.as_path());
                // Unnamed files keep their state if their stamp is unchanged (checked only
                // when the folder was listed again).
                let now = match &old {
                    Some(l) if edits_only && !named => l.stamp,
                    _ => stamp(&path),
                };
                // A file with errors is read again: its page as far as it could be read
                // joins the site for linking (as in a build), and it is not kept.
                let kept = match old {
                    Some(l) if now.is_some() && l.stamp == now && !named && l.state.is_ok() => Some(match l.state {
                        Ok(Some(i)) => (Ok(old_pages[i].take()), old_docs[i].take()),
                        _ => (Ok(None), None),
                    }),
                    _ => None,
                };
                (path, now, kept)
            })
            .collect();
        let drafts = self.drafts;
        type Partial = Option<(Page, Document<'static>)>;
        type Read = (PathBuf, Option<Stamp>, String, bool, content::PageResult, Option<Document<'static>>, Partial);
        let loaded: Vec<Read> = plan
            .into_par_iter()
            .map(|(path, now, kept)| {
                if let Some((result, doc)) = kept {
                    let rel = content::rel_path(&content_dir, &path);
                    return (path, now, rel, false, result, doc, None);
                }
                let (rel, result, partial) = content::load_file_partly(&content_dir, &path, config, drafts);
                let doc = match &result {
                    Ok(Some(p)) => Some(markdown::parse(&p.body, p.body_line).into_owned()),
                    _ => None,
                };
                let partial = partial.map(|p| {
                    let doc = markdown::parse(&p.body, p.body_line).into_owned();
                    (p, doc)
                });
                (path, now, rel, true, result, doc, partial)
            })
            .collect();

        let mut reloaded = HashSet::new();
        let mut states = Vec::with_capacity(loaded.len());
        let mut results = Vec::with_capacity(loaded.len());
        let mut partial = Vec::new();
        for (path, now, rel, read, result, doc, part) in loaded {
            if read {
                reloaded.insert(rel.clone());
            }
            partial.extend(part);
            let errors = result.as_ref().err().cloned();
            states.push((path, now, errors));
            results.push((rel, result));
            if let Some(d) = doc {
                self.docs.push(d);
            }
        }
        let (content, slots) = content::assemble(results);
        self.order.clear();
        for ((path, now, errors), slot) in states.into_iter().zip(slots) {
            let state = match errors {
                Some(e) => Err(e),
                None => Ok(slot),
            };
            self.order.push(path.clone());
            self.files.insert(path, Loaded { stamp: now, state });
        }
        self.pages = content.pages;
        // Pages whose front matter is partly readable join the site for linking, after the
        // others (as `content::load` does): their bodies' links are checked in the same run.
        let mut failed = content.failed;
        let readable: HashSet<&str> = partial.iter().map(|(p, _)| p.rel.as_str()).collect();
        failed.retain(|rel| !readable.contains(rel.as_str()));
        for (page, doc) in partial {
            self.pages.push(page);
            self.docs.push(doc);
        }
        let mut errors = content.errors;
        errors.extend(self.listing_problems.iter().filter(|d| d.is_error()).cloned());
        crate::diagnostic::sort(&mut errors);
        self.loaded_clean = errors.is_empty();
        if self.pages.len() != self.docs.len() {
            return Err(Error::Usage(
                t!("preview.internal", what = "internal error: pages and documents out of step").into_owned(),
            ));
        }
        Ok((reloaded, errors, failed))
    }
}

impl Session {
    /// The common edit, without touching the other files' state: every named content file held
    /// a page that still loads cleanly at the same URL, so it takes its old slot. `None` (nothing
    /// changed) when that does not hold, and the caller reloads the general way.
    fn reload_in_place(
        &mut self,
        config: &Config,
        content_dir: &Path,
        changed: &HashSet<&Path>,
    ) -> Option<HashSet<String>> {
        let mut updates = Vec::new();
        for path in changed.iter().filter(|p| p.starts_with(content_dir)) {
            let slot = match self.files.get(*path)?.state {
                Ok(Some(slot)) => slot,
                _ => return None,
            };
            let (rel, result) = content::load_file(content_dir, path, config, self.drafts);
            let page = result.ok().flatten().filter(|p| p.url == self.pages[slot].url)?;
            let doc = markdown::parse(&page.body, page.body_line).into_owned();
            updates.push((path.to_path_buf(), slot, rel, page, doc));
        }
        let mut reloaded = HashSet::new();
        let mut body_edits = Some(Vec::new());
        for (path, slot, rel, page, doc) in updates {
            if let Some(slots) = body_edits.as_mut().filter(|_| page.same_but_body(&self.pages[slot])) {
                slots.push(slot);
            } else {
                body_edits = None;
            }
            self.pages[slot] = page;
            self.docs[slot] = doc;
            if let Some(loaded) = self.files.get_mut(&path) {
                loaded.stamp = stamp(&path);
            }
            reloaded.insert(rel);
        }
        self.body_edits = body_edits;
        Some(reloaded)
    }
}

fn lap(clock: std::time::Instant, what: &str) {
    if std::env::var_os("ZHIKU_TIMINGS").is_some() {
        eprintln!("  ({what} done at {:.1} ms)", clock.elapsed().as_secs_f64() * 1000.0);
    }
}

/// Writes a file so that a reader sees the old or the new bytes, never a part.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        fsx::create_dir_all(dir)?;
    }
    let tmp = path.with_file_name(format!(
        ".{}.{}.zhiku-tmp",
        path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        std::process::id()
    ));
    fsx::write(&tmp, bytes)?;
    fsx::rename(&tmp, path)
}
