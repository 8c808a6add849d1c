//! Drives the stages: load → parse → link → render → write. Also `check`, which stops before writing.

use crate::alloc::return_free_memory;
use crate::config::Config;
use crate::content::{self, Page, PageKind, PageType};
use crate::diagnostic::{self, Diagnostic};
use crate::link::Links;
use crate::markdown::{self, Document};
use crate::render::{Extras, Renderer, Templates};
use crate::search::{self, SearchDoc, export::Export, index::SearchIndex, store::DocStore};
use crate::theme::Theme;
use crate::{Error, Result, fsx, output};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;
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
    /// Markdown bytes (all pages together) up to which parsed pages are kept for rendering;
    /// above, each page is parsed again when it is rendered, so memory stays proportionate.
    pub keep_parsed_bytes: usize,
    /// Told each stage as it starts, for a progress display.
    pub progress: StageHook,
}

/// A build's stages as a progress display names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Load,
    Link,
    Index,
    Render,
    Pictures,
    Write,
}

/// Called with each [`Stage`] as it starts; does nothing by default.
#[derive(Clone, Default)]
pub struct StageHook(Option<Arc<dyn Fn(Stage) + Send + Sync>>);

impl StageHook {
    pub fn new(f: impl Fn(Stage) + Send + Sync + 'static) -> Self {
        StageHook(Some(Arc::new(f)))
    }

    fn start(&self, stage: Stage) {
        if let Some(f) = &self.0 {
            f(stage);
        }
    }
}

impl std::fmt::Debug for StageHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "StageHook(set)" } else { "StageHook(none)" })
    }
}

/// Default [`BuildOptions::keep_parsed_bytes`]: about 25,000 pages of 10 KB. Parsed events
/// take about as much memory as their Markdown; parsing again costs ~5% more CPU.
pub const KEEP_PARSED_BYTES: usize = 256 << 20;

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            keep_parsed_bytes: KEEP_PARSED_BYTES,
            progress: StageHook::default(),
        }
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
    /// Per stage, in order.
    pub timings: Vec<Lap>,
}

/// One build stage's figures (`ZHIKU_TIMINGS` prints them).
#[derive(Debug, Clone, Copy)]
pub struct Lap {
    pub stage: &'static str,
    pub wall: f64,
    /// CPU seconds of the whole process (0 where unknown).
    pub cpu: f64,
    /// Resident memory at the stage's end and the peak so far, in MiB (0 where unknown).
    pub rss_mib: u64,
    pub peak_mib: u64,
}

/// Wall and CPU time and memory per build stage, for `ZHIKU_TIMINGS` and the benchmarks.
#[derive(Debug)]
struct Stopwatch {
    wall: Instant,
    cpu: f64,
    laps: Vec<Lap>,
}

impl Stopwatch {
    fn start() -> Stopwatch {
        Stopwatch { wall: Instant::now(), cpu: cpu_seconds(), laps: Vec::new() }
    }

    fn lap(&mut self, stage: &'static str) {
        let cpu = cpu_seconds();
        let (rss_mib, peak_mib) = memory_mib();
        self.laps.push(Lap { stage, wall: self.wall.elapsed().as_secs_f64(), cpu: cpu - self.cpu, rss_mib, peak_mib });
        self.wall = Instant::now();
        self.cpu = cpu;
    }
}

/// User and system CPU time of this process so far, from `/proc/self/stat` (0 elsewhere).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // Fields after the command name, which is in parentheses: utime and stime are the 12th and 13th.
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// Resident memory now and at its peak (VmRSS, VmHWM), in MiB, from `/proc/self/status`.
fn memory_mib() -> (u64, u64) {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else { return (0, 0) };
    let kib = |key: &str| {
        let line = status.lines().find(|l| l.starts_with(key));
        line.and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0)
    };
    (kib("VmRSS:") / 1024, kib("VmHWM:") / 1024)
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
    /// Pictures and attachments of `content/` and `static/`.
    pub assets: Arc<crate::assets::Assets>,
}

pub fn load(root: &Path, base_url: Option<&str>, drafts: bool) -> Result<Source> {
    let mut config = Config::load(root)?;
    if let Some(url) = base_url {
        config.set_base_url(url)?;
    }
    let theme = Theme::load(root, &config);
    let mut loaded = content::load(root, &config, drafts)?;
    let (assets, asset_problems) = crate::assets::Assets::scan(root)?;
    for d in asset_problems {
        if d.is_error() { &mut loaded.errors } else { &mut loaded.warnings }.push(d);
    }
    diagnostic::sort(&mut loaded.errors);
    // Theme files that cannot be read are reported with the content's errors, in one round.
    let theme = match theme {
        Err(Error::Content(mut errors)) => {
            errors.extend(loaded.errors);
            diagnostic::sort(&mut errors);
            return Err(Error::Content(errors));
        }
        other => other?,
    };
    Ok(Source {
        config,
        theme,
        pages: loaded.pages,
        warnings: loaded.warnings,
        errors: loaded.errors,
        failed: loaded.failed,
        assets: Arc::new(assets),
    })
}

/// Parses every body and links the site. Returns the documents, the graph and warnings.
pub fn analyze<'a>(source: &'a Source) -> Result<(Vec<Document<'a>>, Links, Vec<Diagnostic>)> {
    let docs: Vec<Document> = source.pages.par_iter().map(|p| markdown::parse(&p.body, p.body_line)).collect();
    let (links, warnings) = link(
        &source.pages,
        &docs,
        &source.config,
        &source.theme,
        source.errors.clone(),
        &source.failed,
        &source.warnings,
        source.assets.clone(),
    )?;
    Ok((docs, links, warnings))
}

/// Links parsed pages and checks that every output path has one owner
/// ([`render::check_outputs`]); fails with the load, link and clash errors together.
#[allow(clippy::too_many_arguments)]
pub fn link(
    pages: &[Page],
    docs: &[Document],
    config: &Config,
    theme: &Theme,
    mut errors: Vec<Diagnostic>,
    failed: &[String],
    load_warnings: &[Diagnostic],
    assets: Arc<crate::assets::Assets>,
) -> Result<(Links, Vec<Diagnostic>)> {
    let (links, mut warnings, mut link_errors) = Links::build_with_errors(pages, docs, config, failed, assets);
    errors.append(&mut link_errors);
    errors.extend(crate::render::check_outputs(pages, &links, config, theme));
    warnings.extend(load_warnings.iter().cloned());
    warnings.extend(pages.iter().flat_map(|p| p.warnings.iter().cloned()));
    warnings.extend(content::folder_warnings(pages, config));
    if !errors.is_empty() {
        // The warnings too: one run names every problem, not the errors first and the
        // warnings only once the errors are fixed.
        errors.append(&mut warnings);
        diagnostic::sort(&mut errors);
        return Err(Error::Content(errors));
    }
    diagnostic::sort(&mut warnings);
    Ok((links, warnings))
}

/// Renders the whole site into `sink`.
pub fn render(
    source: &Source,
    docs: &[Document],
    links: &Links,
    extras: &Extras,
    sink: &dyn output::Sink,
) -> Result<()> {
    let templates = Templates::new(&source.theme)?;
    let renderer = Renderer::new(&templates, &source.config, &source.pages, docs, links, extras)?;
    let paths = renderer.render_all(sink)?;
    for file in renderer.support_files(&source.theme, &paths) {
        sink.put(file)?;
    }
    Ok(())
}

/// Publishes the pictures, resized copies and attachments into `sink`.
pub fn copy_assets(root: &Path, assets: &crate::assets::Assets, sink: &dyn output::Sink) -> Result<()> {
    assets.outputs(root).par_iter().try_for_each(|(path, from)| {
        let bytes = fsx::read_in_site(root, from, crate::assets::MAX_ASSET_BYTES)?;
        sink.put(crate::render::OutputFile { path: path.clone(), bytes })
    })
}

/// `zhiku check`: everything `build` validates, writing nothing.
pub fn check(root: &Path) -> Result<BuildReport> {
    check_with(root, &StageHook::default())
}

/// [`check`], telling `progress` each stage as it starts.
pub fn check_with(root: &Path, progress: &StageHook) -> Result<BuildReport> {
    progress.start(Stage::Load);
    let source = load(root, None, false)?;
    progress.start(Stage::Link);
    let (docs, links, mut warnings) = analyze(&source)?;
    progress.start(Stage::Render);
    let sink = output::Memory::default();
    render(&source, &docs, &links, &Extras::default(), &sink)?;
    warnings.extend(content::draft_gaps(root));
    diagnostic::sort(&mut warnings);
    Ok(BuildReport { pages: source.pages.len(), files: sink.count(), warnings, ..BuildReport::default() })
}

/// Folder (under the site root) holding the last build's tantivy index, for `zhiku search`.
pub const INDEX_DIR: &str = ".zhiku/index";
/// Where a build moves the previous output; the next build recycles one and removes the rest
/// in the background.
pub const TRASH_DIR: &str = ".zhiku/trash";

/// The pages the search index holds (regular and topic pages), with the page index of each.
/// Each page's plain text moves out of its document into its search doc (rendering needs only
/// the markup).
pub fn search_docs(pages: &[Page], docs: &mut [Document], links: &Links) -> (Vec<SearchDoc>, Vec<usize>) {
    let indices: Vec<usize> = (0..pages.len()).filter(|&i| pages[i].kind != PageKind::SectionIndex).collect();
    let out = indices
        .iter()
        .map(|&i| {
            let text = std::mem::take(&mut docs[i].text);
            search_doc(&pages[i], text, &docs[i].first_paragraph, search_topics(links, i))
        })
        .collect();
    (out, indices)
}

/// Titles of page `i`'s topics, as the search index holds them.
pub fn search_topics(links: &Links, i: usize) -> Vec<String> {
    links.page_topics[i].iter().map(|&t| links.topics[t].title.clone()).collect()
}

/// What the search index holds of one page, given its plain text and first paragraph.
pub fn search_doc(p: &Page, mut text: String, first_paragraph: &str, topics: Vec<String>) -> SearchDoc {
    let topic = p.kind == PageKind::Topic;
    // The date is not searchable text (it is the year filter and the trend): `2025年` finds
    // pages that say it, not every page dated 2025.
    let meta = [&p.meta.speaker, &p.meta.organization, &p.meta.source, &p.meta.region];
    text.truncate(text.trim_end().len());
    let meta: Vec<&str> = meta.iter().filter_map(|m| m.as_deref()).collect();
    if !meta.is_empty() {
        text.push('\n');
        text.push_str(&meta.join(" "));
    }
    let summary = p.meta.summary.clone().unwrap_or_else(|| crate::summary::of(None, first_paragraph, 120));
    SearchDoc {
        url: format!("/{}", p.url),
        title: p.meta.title.clone(),
        text,
        kind: if topic { "topic".into() } else { p.page_type.key().into() },
        kind_label: if topic { "专题".into() } else { p.page_type.label().into() },
        date: p.date.map(|d| d.iso()).unwrap_or_default(),
        topics,
        region: p.meta.region.clone().unwrap_or_default(),
        summary,
    }
}

/// Related pages by text, from the search export (doc ids mapped back to page indices).
pub fn extras(export: &Export, pages: usize, doc_pages: &[usize]) -> Extras {
    extras_unless(export, pages, doc_pages, &std::sync::atomic::AtomicBool::new(false)).unwrap_or_default()
}

/// [`extras`], given up (`None`) as soon as `cancel` is set.
pub fn extras_unless(
    export: &Export,
    pages: usize,
    doc_pages: &[usize],
    cancel: &std::sync::atomic::AtomicBool,
) -> Option<Extras> {
    let mut extras = Extras { similar: vec![Vec::new(); pages] };
    for (d, list) in search::related::similar_unless(export, 5, cancel)?.into_iter().enumerate() {
        extras.similar[doc_pages[d]] = list.into_iter().map(|e| doc_pages[e as usize]).collect();
    }
    Some(extras)
}

pub fn facet_labels() -> search::export::FacetLabels {
    let mut labels: search::export::FacetLabels =
        PageType::ALL.iter().map(|t| (format!("type:{}", t.key()), t.label().to_string())).collect();
    labels.insert("type:topic".into(), "专题".into());
    labels
}

/// `zhiku build`: renders the site and its search index, and swaps them into place.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let output_dir = options.output_dir();
    output::check_output_dir(&options.root, &output_dir)?;
    let mut clock = Stopwatch::start();
    let trash = options.root.join(TRASH_DIR);
    output::recover(&output_dir, &trash);
    // Index staging folders of stopped builds (see below for their names).
    if let Some(dir) = options.root.join(INDEX_DIR).parent() {
        for (stopped, _) in output::dead_leftovers(dir, "index.staging-") {
            fsx::remove_dir_all(&stopped)?;
        }
    }
    // Not joined: whatever is left when the process ends is removed by the next build.
    let (recycle, _cleaner) = output::tidy_trash(&trash, &output_dir);
    options.progress.start(Stage::Load);
    let source = load(&options.root, options.base_url.as_deref(), options.drafts)?;
    clock.lap("load");
    options.progress.start(Stage::Link);
    let (mut docs, links, warnings) = analyze(&source)?;
    if source.pages.iter().map(|p| p.body.len()).sum::<usize>() > options.keep_parsed_bytes {
        docs.iter_mut().for_each(Document::release_events);
        return_free_memory();
    }
    clock.lap("parse+link");

    let (search_docs, doc_pages) = search_docs(&source.pages, &mut docs, &links);
    let search_docs: Vec<Arc<SearchDoc>> = search_docs.into_iter().map(Arc::new).collect();
    let index_dir = options.root.join(INDEX_DIR);
    let staging = index_dir.with_file_name(format!("index.staging-{}", std::process::id()));
    fsx::remove_dir_all(&staging)?;
    let result = build_with_index(
        options,
        &source,
        &docs,
        &links,
        search_docs,
        &doc_pages,
        &staging,
        recycle.as_deref(),
        &mut clock,
    );
    if result.is_err() {
        let _ = fsx::remove_dir_all(&staging);
    }
    let (files, bytes) = result?;
    // In one step where the system can, so `zhiku search` never finds the index missing.
    if fsx::exchange(&staging, &index_dir).is_ok() {
        fsx::remove_dir_all(&staging)?;
    } else {
        fsx::remove_dir_all(&index_dir)?;
        fsx::rename(&staging, &index_dir)?;
    }
    Ok(BuildReport { pages: source.pages.len(), files, bytes, warnings, timings: clock.laps })
}

/// The part of a build that writes: the index in `staging`, then the site into the output.
#[allow(clippy::too_many_arguments)]
fn build_with_index(
    options: &BuildOptions,
    source: &Source,
    docs: &[Document],
    links: &Links,
    search_docs: Vec<Arc<SearchDoc>>,
    doc_pages: &[usize],
    staging: &Path,
    recycle: Option<&Path>,
    clock: &mut Stopwatch,
) -> Result<(usize, u64)> {
    let threads = rayon::current_num_threads();
    options.progress.start(Stage::Index);
    let index = SearchIndex::build(Some(staging), &search_docs, threads)?;
    // tantivy's indexing memory, freed as its threads ended.
    return_free_memory();
    clock.lap("index");

    // Pages and search files are written into the staging folder as they are made.
    let out = output::Staging::begin(&options.output_dir(), recycle)?;
    // The doc files (snippet text) and docs.bin are all that still need the pages' text: written
    // now, the text is dropped instead of being held through rendering.
    join_timed(
        "docs",
        ("doc files", &|| search::export::write_docs(&search_docs, &out)),
        ("docs.bin", &|| search::store::write(&staging.join(search::store::FILE), &search_docs)),
    )?;
    let shingles = search::export::Shingles::of(&search_docs);
    let spans = search::export::Spans::of(&search_docs, &search::export::Spans::common_tokens(&index)?, &shingles);
    let search_docs: Vec<Arc<SearchDoc>> = search_docs
        .into_iter()
        .map(|d| Arc::new(SearchDoc { text: String::new(), ..Arc::unwrap_or_clone(d) }))
        .collect();
    return_free_memory();
    clock.lap("docs");
    let export = Export::with_shingles(&index, search_docs, &facet_labels(), shingles, spans)?;
    drop(index);
    clock.lap("export");
    let extras = extras(&export, source.pages.len(), doc_pages);
    return_free_memory();
    clock.lap("related");

    // Side by side: each alone leaves a core idle at times (writes, its last jobs).
    options.progress.start(Stage::Render);
    join_timed(
        "render+search",
        ("pages", &|| render(source, docs, links, &extras, &out)),
        ("search files", &|| export.write_index_files(&out)),
    )?;
    clock.lap("render+search");
    options.progress.start(Stage::Pictures);
    let decoded = source.assets.make_copies(&options.root)?;
    if std::env::var_os("ZHIKU_TIMINGS").is_some() {
        eprintln!("  ({decoded} pictures resized; the others' copies were cached)");
    }
    clock.lap("pictures");
    options.progress.start(Stage::Write);
    copy_assets(&options.root, &source.assets, &out)?;
    clock.lap("assets");
    drop(export);
    let (files, bytes) = (out.files(), out.bytes());
    out.commit(&options.output_dir(), Some(&options.root.join(TRASH_DIR)))?;
    clock.lap("swap");
    Ok((files, bytes))
}

/// A named part of a build stage.
type TimedJob<'a> = (&'static str, &'a (dyn Fn() -> Result<()> + Sync));

/// Runs two parts of a stage side by side; with `ZHIKU_TIMINGS` set, prints how long each took.
fn join_timed(stage: &str, (a_name, a): TimedJob, (b_name, b): TimedJob) -> Result<()> {
    let timed = |f: &(dyn Fn() -> Result<()> + Sync)| {
        let t = std::time::Instant::now();
        f().map(|()| t.elapsed().as_secs_f64())
    };
    let (a_time, b_time) = rayon::join(|| timed(a), || timed(b));
    if std::env::var_os("ZHIKU_TIMINGS").is_some()
        && let (Ok(a_time), Ok(b_time)) = (&a_time, &b_time)
    {
        eprintln!("  ({stage}: {a_name} {a_time:.3}s, {b_name} {b_time:.3}s, side by side)");
    }
    a_time.and(b_time).map(|_| ())
}

/// The last build's search index and its docs, building the site first if there is none.
fn open_index(root: &Path) -> Result<(SearchIndex, DocStore)> {
    let dir = root.join(INDEX_DIR);
    if !dir.join(search::store::FILE).exists() {
        build(&BuildOptions::new(root))?;
    }
    let store = DocStore::open(&dir.join(search::store::FILE))?;
    let index = SearchIndex::open(&dir, store.len(), || store.all())?;
    Ok((index, store))
}

/// `zhiku search --by-year`: [`search::query::by_year`] over the last build's index.
pub fn search_by_year(root: &Path, query: &str) -> Result<Vec<(String, usize)>> {
    let (index, _) = open_index(root)?;
    search::query::by_year(&index, query)
}

/// `zhiku search --suggest`: [`search::nearby::suggest`] over the last build's index.
pub fn search_suggestions(root: &Path, query: &str) -> Result<Vec<search::nearby::Suggestion>> {
    let (index, store) = open_index(root)?;
    search::nearby::suggest(&index, &|id| store.get(id), query)
}

/// `zhiku search`: answers from the last build's index, building the site first if there is none.
pub fn search(
    root: &Path,
    query: &str,
    options: &search::query::SearchOptions,
) -> Result<(Vec<search::query::SearchResult>, usize)> {
    let (index, store) = open_index(root)?;
    search::query::search(&index, &|id| store.get(id), query, options)
}
