//! `zhiku import`: texts, saved web pages, Word and PDF files as curators have them become
//! Markdown drafts with front matter, and a report of everything removed or detected.
//!
//! One reader per format (`text`, `html`, `docx`, `pdf`) produces the same [`doc::Document`];
//! one cleaner (`clean`) finds the article in it and writes the draft, so a rule about chrome,
//! titles or dates is written once for every format. General rules, not a list of sites.

pub mod clean;
pub mod doc;
pub mod docx;
pub mod html;
pub mod meta;
pub mod pdf;
pub mod score;
pub mod text;

use crate::config::Config;
use crate::content::{CONTENT_DIR, PageType};
use crate::slug::slugify;
use crate::{Diagnostic, Error, Result, fsx};
use rust_i18n::t;
use std::path::{Component, Path, PathBuf};

pub use clean::{normalize_punctuation, strip_pinyin_glosses};

/// The visible mark left where the source was cut off.
pub const TRUNCATION: &str = "*（原文此处有删节）*";

/// Inputs larger than this are refused: no curator's article is, and every stage stays quick.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// What import found and did, for the report.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub title: String,
    pub subtitle: Option<String>,
    pub date: Option<String>,
    pub page_type: Option<PageType>,
    pub speaker: Option<String>,
    pub source: Option<String>,
    pub source_url: Option<String>,
    pub region: Option<String>,
    pub topics: Vec<String>,
    pub summary: Option<String>,
    /// Markdown body.
    pub body: String,
    /// (why, line) for every line or piece removed.
    pub removed: Vec<(&'static str, String)>,
    /// Counted changes: pinyin glosses removed, punctuation normalized, headings, truncations.
    pub changes: Vec<(&'static str, usize)>,
    /// What a person should look at before publishing (missing date, cut text, same title…).
    pub review: Vec<String>,
    pub encoding: &'static str,
}

/// Turns raw text into a draft. `topics` are the site's topic titles with their aliases.
pub fn import_text(raw: &str, topics: &[(String, Vec<String>)]) -> Draft {
    clean::clean(&text::read_text(raw), topics)
}

/// Decodes a file's bytes: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK.
/// Anything else is an error naming the byte offset.
pub fn decode(bytes: &[u8]) -> std::result::Result<(String, &'static str), String> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return decode_utf16(rest, u16::from_le_bytes).map(|s| (s, "UTF-16LE"));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return decode_utf16(rest, u16::from_be_bytes).map(|s| (s, "UTF-16BE"));
    }
    let bytes_no_bom = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(i) = bytes_no_bom.iter().position(|&b| b == 0) {
        return Err(format!("not a text file: a NUL byte at offset {}", i + (bytes.len() - bytes_no_bom.len())));
    }
    match std::str::from_utf8(bytes_no_bom) {
        Ok(s) => Ok((s.to_string(), "UTF-8")),
        Err(utf8_err) => {
            let (text, had_errors) = encoding_rs::GB18030
                .decode_without_bom_handling_and_without_replacement(bytes_no_bom)
                .map_or((None, true), |t| (Some(t.into_owned()), false));
            match (text, had_errors) {
                (Some(t), false) => Ok((t, "GB18030")),
                _ => Err(format!(
                    "neither UTF-8 nor GB18030: undecodable byte at offset {}",
                    utf8_err.valid_up_to() + (bytes.len() - bytes_no_bom.len())
                )),
            }
        }
    }
}

fn decode_utf16(bytes: &[u8], read: fn([u8; 2]) -> u16) -> std::result::Result<String, String> {
    if !bytes.len().is_multiple_of(2) {
        return Err(format!("UTF-16 text with an odd byte count (offset {})", bytes.len() + 1));
    }
    let units: Vec<u16> = bytes.chunks(2).map(|c| read([c[0], c[1]])).collect();
    String::from_utf16(&units).map_err(|_| "invalid UTF-16 text".to_string())
}

fn yaml_value(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

impl Draft {
    /// The draft page: front matter (`draft: true`) and body.
    pub fn to_markdown(&self, page_type: PageType) -> String {
        let mut fm = String::from("---\n");
        fm.push_str(&format!(
            "title: {}\n",
            yaml_value(if self.title.is_empty() { "（待补标题）" } else { &self.title })
        ));
        if let Some(d) = &self.date {
            fm.push_str(&format!("date: {d}\n"));
        } else if page_type.needs_date() {
            fm.push_str("# date: 2025-01-01   # not found in the source: set it before publishing\n");
        }
        fm.push_str(&format!("type: {}\n", page_type.key()));
        for (key, value) in [
            ("speaker", &self.speaker),
            ("region", &self.region),
            ("source", &self.source),
            ("source_url", &self.source_url),
        ] {
            if let Some(v) = value {
                fm.push_str(&format!("{key}: {}\n", yaml_value(v)));
            }
        }
        fm.push_str(&format!(
            "topics: [{}]\n",
            self.topics.iter().map(|t| yaml_value(t)).collect::<Vec<_>>().join(", ")
        ));
        if let Some(s) = &self.summary {
            fm.push_str(&format!("summary: {}\n", yaml_value(s)));
        }
        fm.push_str("draft: true\n---\n\n");
        if let Some(s) = &self.subtitle {
            fm.push_str(&clean::escape_markdown(s));
            fm.push_str("\n\n");
        }
        fm + &self.body
    }

    /// A short report: detected fields, counted changes and every removed line.
    pub fn report(&self) -> String {
        let mut r = String::new();
        let field = |k: &str, v: &Option<String>| format!("  {k:<10} {}\n", v.as_deref().unwrap_or("(not found)"));
        r.push_str(&format!("  {:<10} {}\n", "encoding", self.encoding));
        r.push_str(&format!("  {:<10} {}\n", "title", if self.title.is_empty() { "(not found)" } else { &self.title }));
        r.push_str(&field("subtitle", &self.subtitle));
        r.push_str(&field("date", &self.date));
        r.push_str(&format!("  {:<10} {}\n", "type", self.page_type.map_or("page", |t| t.key())));
        r.push_str(&field("speaker", &self.speaker));
        r.push_str(&field("source", &self.source));
        r.push_str(&field("source_url", &self.source_url));
        r.push_str(&field("region", &self.region));
        r.push_str(&format!(
            "  {:<10} {}\n",
            "topics",
            if self.topics.is_empty() { "(none)".into() } else { self.topics.join("、") }
        ));
        for (what, n) in &self.changes {
            if *n > 0 {
                r.push_str(&format!("  {what}: {n}\n"));
            }
        }
        for (why, line) in &self.removed {
            r.push_str(&format!("  removed ({why}): {line}\n"));
        }
        for note in &self.review {
            r.push_str(&format!("  to check: {note}\n"));
        }
        r
    }
}

/// Options of `zhiku import`.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ImportOptions {
    pub root: PathBuf,
    pub page_type: Option<PageType>,
    pub section: Option<String>,
    pub out: Option<PathBuf>,
    pub force: bool,
    pub dry_run: bool,
}

impl ImportOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ImportOptions { root: root.into(), ..ImportOptions::default() }
    }
}

/// One imported file: where its draft went (or would go) and the report.
#[derive(Debug)]
pub struct Imported {
    pub input: PathBuf,
    pub output: PathBuf,
    pub report: String,
    pub written: bool,
    /// What was detected, for the batch table.
    pub draft: Draft,
    /// Pictures written beside the draft.
    pub pictures: Vec<PathBuf>,
}

/// Extensions `import DIR` picks up.
const EXTENSIONS: [&str; 7] = ["txt", "text", "md", "html", "htm", "docx", "pdf"];

fn site_topics(root: &Path) -> Vec<(String, Vec<String>)> {
    let dir = root.join(CONTENT_DIR).join(crate::content::TOPICS_DIR);
    let Ok(listing) = crate::content::list(root) else { return Vec::new() };
    let topics = listing.files.into_iter().filter(|f| f.parent() == Some(dir.as_path()));
    topics.filter_map(|f| crate::content::front_matter_of(&f)).map(|m| (m.title, m.aliases)).collect()
}

/// Titles of the site's pages, with their files: an imported title that is already there is
/// reported (the same text imported twice makes `[[title]]` links ambiguous).
fn site_titles(root: &Path) -> std::collections::HashMap<String, PathBuf> {
    let Ok(listing) = crate::content::list(root) else { return Default::default() };
    let mut titles = std::collections::HashMap::new();
    for f in &listing.files {
        if let Some(meta) = crate::content::front_matter_of(f) {
            titles.entry(meta.title).or_insert_with(|| f.strip_prefix(root).unwrap_or(f).to_path_buf());
        }
    }
    titles
}

/// Whether `dir` (or, while it does not exist yet, its nearest existing parent) resolves inside
/// the site root: a section folder that is a link to elsewhere must not receive drafts.
fn resolves_inside(root: &Path, dir: &Path) -> bool {
    let Ok(root) = root.canonicalize() else { return false };
    dir.ancestors().find_map(|d| d.canonicalize().ok()).is_some_and(|real| real.starts_with(&root))
}

/// A `--section` must name a folder inside `content/`: relative, without `..`.
fn check_section(section: &str) -> std::result::Result<(), String> {
    let path = Path::new(section);
    let inside =
        !section.is_empty() && !section.contains('\\') && path.components().all(|c| matches!(c, Component::Normal(_)));
    if inside { Ok(()) } else { Err(format!("`--section {section}` is not a folder inside content/")) }
}

/// The formats import reads, told apart by the file's first bytes, then its extension.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    Text,
    Html,
    Docx,
    Pdf,
}

fn format_of(path: &Path, bytes: &[u8]) -> Format {
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    if bytes.starts_with(b"%PDF") {
        return Format::Pdf;
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Format::Docx;
    }
    if matches!(ext.as_str(), "html" | "htm" | "xhtml" | "shtml") {
        return Format::Html;
    }
    let start = String::from_utf8_lossy(&bytes[..bytes.len().min(512)])
        .trim_start_matches('\u{feff}')
        .trim_start()
        .to_ascii_lowercase();
    if start.starts_with("<!doctype html") || start.starts_with("<html") {
        return Format::Html;
    }
    Format::Text
}

/// Reads one file into a document, refusing what is not a regular file or is too large.
fn read_input(file: &Path) -> std::result::Result<(doc::Document, &'static str), (String, &'static str)> {
    let meta = std::fs::metadata(file).map_err(|e| (format!("cannot read it: {e}"), "check the path"))?;
    if !meta.is_file() {
        return Err((
            "not a regular file (a folder, pipe, device or socket)".to_string(),
            "import reads text, HTML, Word and PDF files, or folders of them",
        ));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err((
            format!("{} bytes: larger than the {} MiB import reads", meta.len(), MAX_INPUT_BYTES / 1024 / 1024),
            "split the file, or import the article's own text",
        ));
    }
    let mut bytes = Vec::new();
    {
        use std::io::Read;
        let f = std::fs::File::open(file).map_err(|e| (format!("cannot read it: {e}"), "check the permissions"))?;
        f.take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| (format!("cannot read it: {e}"), "check the file"))?;
    }
    match format_of(file, &bytes) {
        Format::Pdf => {
            pdf::read(&bytes).map(|d| (d, "PDF")).map_err(|e| (e, "import reads PDF files that have a text layer"))
        }
        Format::Docx => docx::read(&bytes)
            .map(|d| (d, "Word"))
            .map_err(|e| (e, "save the document as .docx, or copy its text into a .txt file")),
        Format::Html => {
            let (_, encoding) = html::decode(&bytes);
            html::read(&bytes, file.parent())
                .map(|d| (d, encoding))
                .map_err(|e| (e, "save the page as \"Web page, complete\" or copy its text into a .txt file"))
        }
        Format::Text => decode(&bytes)
            .map(|(text, encoding)| (text::read_text(&text), encoding))
            .map_err(|e| (e, "import reads UTF-8, UTF-16 with a BOM, or GB18030/GBK text files")),
    }
}

/// The files an input names: a folder gives its files of the formats import reads, sorted.
fn input_files(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let found = walkdir::WalkDir::new(input)
                .sort_by_file_name()
                .into_iter()
                .filter_map(|e| e.ok())
                // Pipes, devices and sockets with a readable name are kept, so that the table names
                // them as not imported instead of leaving them out without a word.
                .filter(|e| !e.file_type().is_dir() && !e.file_type().is_symlink())
                .map(|e| e.into_path())
                .filter(|p| {
                    p.extension()
                        .is_some_and(|x| EXTENSIONS.contains(&x.to_string_lossy().to_ascii_lowercase().as_str()))
                })
                .filter(|p| !p.to_string_lossy().ends_with(".expected.json"));
            files.extend(found);
        } else {
            files.push(input.clone());
        }
    }
    files
}

/// A picture's file name inside its page bundle: the picture's own name in lower-case ASCII
/// letters, digits, `-` and `_` with its extension, nothing that could leave the folder or
/// clash with `index.md`; `image-N` when nothing of the name is left.
fn picture_name(n: usize, name: &str) -> String {
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !e.is_empty() && e.len() <= 5 && e.chars().all(|c| c.is_ascii_alphanumeric()) => {
            (s, e.to_ascii_lowercase())
        }
        _ => (name, "bin".to_string()),
    };
    let mut clean = String::new();
    for c in stem.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() || c == '_' {
            clean.push(c);
        } else if !clean.ends_with('-') && !clean.is_empty() {
            clean.push('-');
        }
    }
    let clean = clean.trim_end_matches('-');
    let stem = if clean.is_empty() || clean == "index" { format!("image-{n}") } else { clean.to_string() };
    format!("{stem}.{ext}")
}

/// Gives the document's pictures their names in the page bundle, and its figures those names.
fn name_pictures(document: &mut doc::Document) {
    let mut names = std::collections::HashSet::new();
    let mut renamed = std::collections::HashMap::new();
    for (k, asset) in document.assets.iter_mut().enumerate() {
        let mut name = picture_name(k + 1, &asset.name);
        let mut m = 2;
        while !names.insert(name.clone()) {
            let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, "bin"));
            name = format!("{stem}-{m}.{ext}");
            m += 1;
        }
        renamed.insert(std::mem::replace(&mut asset.name, name.clone()), name);
    }
    for block in &mut document.blocks {
        if let doc::Block::Figure { file, .. } = block
            && let Some(name) = renamed.get(file.as_str())
        {
            *file = name.clone();
        }
    }
}

/// Where a draft goes: `<base>/<slug>.md`, or with pictures the page bundle
/// `<base>/<slug>/index.md` with the pictures beside it.
fn draft_path(base: &Path, slug: &str, bundle: bool) -> PathBuf {
    if bundle { base.join(slug).join("index.md") } else { base.join(format!("{slug}.md")) }
}

/// Whether a page with this slug is already in the section, as a file or as a bundle.
fn page_exists(base: &Path, slug: &str) -> bool {
    base.join(format!("{slug}.md")).exists() || base.join(slug).join("index.md").exists()
}

/// Imports files (folders: their text, HTML, Word and PDF files), writing drafts unless
/// `dry_run`.
pub fn import(inputs: &[PathBuf], options: &ImportOptions) -> Result<Vec<Imported>> {
    import_with_progress(inputs, options, &mut |_, _, _| {})
}

/// [`import`], calling `progress(done, total, file)` before each file.
pub fn import_with_progress(
    inputs: &[PathBuf],
    options: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize, &Path),
) -> Result<Vec<Imported>> {
    let (out, errors) = import_batch(inputs, options, progress)?;
    if errors.is_empty() { Ok(out) } else { Err(Error::Content(errors)) }
}

/// A batch: the files imported, and the errors of the files that were not (a scanned PDF, a
/// draft already there), so that one bad file among hundreds does not hide the others' report.
/// `Err` only for what stops the whole batch (a bad `--section`, a section linked elsewhere).
pub fn import_batch(
    inputs: &[PathBuf],
    options: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize, &Path),
) -> Result<(Vec<Imported>, Vec<Diagnostic>)> {
    if let Some(section) = &options.section
        && let Err(why) = check_section(section)
    {
        return Err(Error::Content(vec![
            Diagnostic::error("--section", 0, 0, why)
                .with_hint("name a section folder such as `cases` or `speeches/2025`"),
        ]));
    }
    let config = Config::load(&options.root).ok();
    let topics = site_topics(&options.root);
    let mut titles = site_titles(&options.root);
    let files = input_files(inputs);
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let total = files.len();
    let mut this_run = std::collections::HashSet::new();
    let mut next_number: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (n, file) in files.into_iter().enumerate() {
        progress(n, total, &file);
        let (document, encoding) = match read_input(&file) {
            Ok(ok) => ok,
            Err((why, hint)) => {
                errors.push(Diagnostic::error(&file, 0, 0, why).with_hint(hint));
                continue;
            }
        };
        let mut document = document;
        name_pictures(&mut document);
        let mut draft = clean::clean(&document, &topics);
        draft.encoding = encoding;
        // `--type` first; then the type of the section the curator chose (a case put into
        // `cases` is a case); then what the text looks like.
        let section_type = options
            .section
            .as_deref()
            .and_then(|dir| config.as_ref().and_then(|c| c.section(dir)))
            .and_then(|s| s.page_type);
        let page_type = options.page_type.or(section_type).or(draft.page_type).unwrap_or(PageType::Page);
        draft.page_type = Some(page_type);
        let section = options.section.clone().unwrap_or_else(|| match page_type {
            PageType::Page => String::new(),
            t => config
                .as_ref()
                .and_then(|c| c.section_for_type(t))
                .map_or_else(|| format!("{}s", t.key()), |s| s.dir.clone()),
        });
        let base = options.out.clone().unwrap_or_else(|| options.root.join(CONTENT_DIR).join(&section));
        if options.out.is_none() && !resolves_inside(&options.root, &base) {
            return Err(Error::Content(vec![
                Diagnostic::error(&base, 0, 0, "this folder is a link that leads outside the site folder")
                    .with_hint("drafts are written only inside content/: remove the link or pass --out"),
            ]));
        }
        let name = if draft.title.is_empty() {
            file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
        } else {
            draft.title.clone()
        };
        let short: String = name.chars().filter(|c| !c.is_whitespace()).take(12).collect();
        let mut slug = slugify(&short, config.as_ref().map_or(Default::default(), |c| c.slug_style));
        if slug.is_empty() {
            slug = "imported".into();
        }
        // Two inputs of one run with the same title get numbered names; a file that was there
        // before the run is never replaced without --force.
        let bundle = !document.assets.is_empty();
        // The next number to try is kept per slug, so many inputs with one title stay linear.
        let n = next_number.entry(slug.clone()).or_insert(2);
        let base_slug = slug;
        let mut slug = base_slug.clone();
        while this_run.contains(&slug) {
            slug = format!("{base_slug}-{n}");
            *n += 1;
        }
        this_run.insert(slug.clone());
        let output = draft_path(&base, &slug, bundle);
        let exists = page_exists(&base, &slug);
        // A draft with pictures is a page bundle: the pictures beside its index.md, linked by
        // their names there.
        let pictures: Vec<(PathBuf, &Vec<u8>)> =
            document.assets.iter().map(|a| (base.join(&slug).join(&a.name), &a.bytes)).collect();
        review(&mut draft, &titles, &output, &options.root);
        if !draft.title.is_empty() {
            titles
                .entry(draft.title.clone())
                .or_insert_with(|| output.strip_prefix(&options.root).unwrap_or(&output).to_path_buf());
        }
        let markdown = draft.to_markdown(page_type);
        let mut written = false;
        if !options.dry_run {
            if exists && !options.force {
                errors.push(
                    Diagnostic::error(
                        &output,
                        0,
                        0,
                        format!("`{}` already exists; not overwriting it", output.display()),
                    )
                    .with_hint("pass --force to replace it, or --out DIR to write elsewhere"),
                );
            } else {
                fsx::write(&output, &markdown)?;
                for (path, bytes) in &pictures {
                    fsx::write(path, bytes)?;
                }
                written = true;
            }
        }
        out.push(Imported {
            input: file,
            output,
            report: draft.report(),
            written,
            draft,
            pictures: pictures.into_iter().map(|(p, _)| p).collect(),
        });
    }
    if total > 0 {
        progress(total, total, Path::new(""));
    }
    crate::diagnostic::sort(&mut errors);
    Ok((out, errors))
}

/// Notes for the person who publishes the draft: what is missing or doubtful.
fn review(d: &mut Draft, titles: &std::collections::HashMap<String, PathBuf>, output: &Path, root: &Path) {
    if d.title.is_empty() {
        d.review.push("no title found: the draft is titled （待补标题）".into());
    }
    if d.date.is_none() {
        d.review.push("no date found".into());
    }
    if d.source.is_none() {
        d.review.push("no source found".into());
    }
    let cuts = d.body.matches(TRUNCATION).count();
    if cuts > 0 {
        d.review.push(format!("the source was cut {cuts} time(s): find the full text"));
    }
    if d.body.chars().filter(|c| crate::fold::is_han(*c)).count() < 100 {
        d.review.push("very little text: is this the article?".into());
    }
    let here = output.strip_prefix(root).unwrap_or(output);
    if let Some(file) = titles.get(&d.title).filter(|f| !d.title.is_empty() && f.as_path() != here) {
        d.review.push(format!("a page with this title already exists: {}", file.display()));
    }
}

/// The table ending a batch import: each file, what was detected, how many lines were
/// removed, and what needs a human look.
pub fn batch_table(imported: &[Imported], failed: &[Diagnostic]) -> String {
    let cell = |s: &str| s.replace('|', "／");
    let mut out = format!("{}\n|---|---|---|---|---|---|\n", t!("import.table.header"));
    for item in imported {
        let d = &item.draft;
        let name = item.input.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            cell(&name),
            cell(if d.title.is_empty() { "—" } else { &d.title }),
            d.date.as_deref().unwrap_or("—"),
            cell(d.source.as_deref().unwrap_or("—")),
            d.removed.len(),
            cell(&if d.review.is_empty() { "—".to_string() } else { d.review.join("; ") }),
        ));
    }
    for e in failed {
        let name = e.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let why = t!("import.table.not_imported", why = e.message);
        out.push_str(&format!("| {} | — | — | — | — | {} |\n", cell(&name), cell(&why)));
    }
    let to_check = imported.iter().filter(|i| !i.draft.review.is_empty()).count();
    out.push_str(&t!("import.table.summary", imported = imported.len(), to_check = to_check));
    if !failed.is_empty() {
        out.push_str(&t!("import.table.summary_failed", failed = failed.len()));
    }
    out.push('\n');
    out
}
