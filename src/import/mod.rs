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
pub mod kinds;
pub mod meta;
pub mod mhtml;
pub mod msdoc;
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
        return Err(t!("import.error.nul_byte", offset = i + (bytes.len() - bytes_no_bom.len())).into_owned());
    }
    match std::str::from_utf8(bytes_no_bom) {
        Ok(s) => Ok((s.to_string(), "UTF-8")),
        Err(utf8_err) => match decode_chinese(bytes_no_bom) {
            Some(decoded) => Ok(decoded),
            None => Err(t!(
                "import.error.undecodable",
                offset = utf8_err.valid_up_to() + (bytes.len() - bytes_no_bom.len())
            )
            .into_owned()),
        },
    }
}

/// Decodes Chinese text in a legacy encoding: GB18030 (GBK, GB2312), unless that reading is
/// full of private-use characters (what Big5 bytes become when read as GBK) and Big5 reads the
/// bytes cleanly (a page from Taiwan or Hong Kong). `None` when neither reads them.
pub fn decode_chinese(bytes: &[u8]) -> Option<(String, &'static str)> {
    let private = |s: &str| s.chars().filter(|c| ('\u{E000}'..='\u{F8FF}').contains(c)).count();
    let han = |s: &str| s.chars().filter(|&c| crate::fold::is_han(c)).count();
    let gb = encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes).map(|t| t.into_owned());
    if let Some(g) = &gb
        && private(g) * 100 <= han(g)
    {
        return gb.map(|g| (g, "GB18030"));
    }
    let big5 = encoding_rs::BIG5.decode_without_bom_handling_and_without_replacement(bytes).map(|t| t.into_owned());
    match (gb, big5) {
        (Some(g), Some(b)) if private(&b) >= private(&g) => Some((g, "GB18030")),
        (_, Some(b)) => Some((b, "Big5")),
        (Some(g), None) => Some((g, "GB18030")),
        (None, None) => None,
    }
}

fn decode_utf16(bytes: &[u8], read: fn([u8; 2]) -> u16) -> std::result::Result<String, String> {
    if !bytes.len().is_multiple_of(2) {
        return Err(t!("import.error.utf16_odd", offset = bytes.len() + 1).into_owned());
    }
    let units: Vec<u16> = bytes.chunks(2).map(|c| read([c[0], c[1]])).collect();
    String::from_utf16(&units).map_err(|_| t!("import.error.utf16_invalid").into_owned())
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
            fm.push_str(&format!("# date: 2025-01-01   # {}\n", t!("import.report.no_date_comment")));
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

    /// A short report: detected fields, counted changes and every removed line, in the
    /// language of messages.
    pub fn report(&self) -> String {
        let mut r = String::new();
        let not_found = t!("import.report.not_found");
        let mut field = |label: &str, value: &str| {
            // Labels line up in a terminal, where a Han character takes two columns.
            let width: usize = label.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
            r.push_str(&format!("  {label}{} {value}\n", " ".repeat(10usize.saturating_sub(width))));
        };
        let or_not_found = |v: &Option<String>| v.clone().unwrap_or_else(|| not_found.to_string());
        field(&t!("import.report.encoding"), self.encoding);
        field(&t!("import.report.title"), if self.title.is_empty() { &not_found } else { &self.title });
        field(&t!("import.report.subtitle"), &or_not_found(&self.subtitle));
        field(&t!("import.report.date"), &or_not_found(&self.date));
        let page_type = self.page_type.unwrap_or(PageType::Page);
        field(
            &t!("import.report.type"),
            if crate::i18n::current() == crate::i18n::Lang::Zh { page_type.label() } else { page_type.key() },
        );
        field(&t!("import.report.speaker"), &or_not_found(&self.speaker));
        field(&t!("import.report.source"), &or_not_found(&self.source));
        field(&t!("import.report.source_url"), &or_not_found(&self.source_url));
        field(&t!("import.report.region"), &or_not_found(&self.region));
        let topics =
            if self.topics.is_empty() { t!("import.report.none").into_owned() } else { self.topics.join("、") };
        field(&t!("import.report.topics"), &topics);
        for (what, n) in &self.changes {
            if *n > 0 {
                let what = change_label(what).unwrap_or_else(|| what.to_string());
                r.push_str(&format!("  {}\n", t!("import.report.change", what = what, count = n)));
            }
        }
        for (why, line) in &self.removed {
            let why = removed_label(why).unwrap_or_else(|| why.to_string());
            r.push_str(&format!("  {}\n", t!("import.report.removed", why = why, line = line)));
        }
        for note in &self.review {
            r.push_str(&format!("  {}\n", t!("import.report.to_check", note = note)));
        }
        r
    }
}

/// A counted change of the cleaner in the language of messages; `None` for one this list
/// lacks (a test keeps it complete).
fn change_label(what: &str) -> Option<String> {
    let label = match what {
        "pinyin glosses removed" => t!("import.change.glosses"),
        "truncations marked" => t!("import.change.truncations"),
        "text stops mid-sentence, marked as cut" => t!("import.change.cut_mid_sentence"),
        "punctuation made full-width" => t!("import.change.punctuation"),
        "outline headings" => t!("import.change.headings"),
        "first sentence as title (no title line)" => t!("import.change.title_from_sentence"),
        _ => return None,
    };
    Some(label.into_owned())
}

/// Why the cleaner removed a line, in the language of messages; `None` for a reason this list
/// lacks (a test keeps it complete).
fn removed_label(why: &str) -> Option<String> {
    let label = match why {
        "above the article (site chrome)" => t!("import.removed.above_article"),
        "after the article (footer, credits, related items)" => t!("import.removed.after_article"),
        "bare link" => t!("import.removed.bare_link"),
        "attachment file name" => t!("import.removed.attachment_name"),
        "byline (moved to speaker)" => t!("import.removed.byline"),
        "chat around the notice (messages, senders, placeholders)" => t!("import.removed.chat"),
        "cache banner (copy of another page)" => t!("import.removed.cache_banner"),
        "comment box" => t!("import.removed.comment_box"),
        "copyright or licence" => t!("import.removed.copyright"),
        "credits" => t!("import.removed.credits"),
        "disclaimer" => t!("import.removed.disclaimer"),
        "download or promotion" => t!("import.removed.download"),
        "e-mail header" => t!("import.removed.email_header"),
        "e-mail notice or client signature" => t!("import.removed.email_notice"),
        "e-mail view-in-browser line" => t!("import.removed.email_view_in_browser"),
        "encyclopedia notice or statistics" => t!("import.removed.wiki_notice"),
        "editor or reading count" => t!("import.removed.editor"),
        "end mark" => t!("import.removed.end_mark"),
        "hashtag" => t!("import.removed.hashtag"),
        "infobox (label and value lines)" => t!("import.removed.infobox"),
        "masthead (running header)" => t!("import.removed.masthead"),
        "metadata line (read into front matter)" => t!("import.removed.metadata"),
        "navigation or breadcrumb" => t!("import.removed.navigation"),
        "note to the editor" => t!("import.removed.note_to_editor"),
        "outline block (the page gets a table of contents)" => t!("import.removed.outline_block"),
        "page number" => t!("import.removed.page_number"),
        "page tools" => t!("import.removed.page_tools"),
        "page-break prompt (download, membership)" => t!("import.removed.page_break_prompt"),
        "phone status bar or app bar" => t!("import.removed.phone_bar"),
        "player controls or counters" => t!("import.removed.player_counters"),
        "post controls (time, delete, likes)" => t!("import.removed.post_controls"),
        "publication line" => t!("import.removed.publication_line"),
        "rating" => t!("import.removed.rating"),
        "repeated title" => t!("import.removed.repeated_title"),
        "repost account blurb" => t!("import.removed.repost_blurb"),
        "repost account" => t!("import.removed.repost_account"),
        "reprint notice" => t!("import.removed.reprint_notice"),
        "running header" => t!("import.removed.running_header"),
        "search box" => t!("import.removed.search_box"),
        "section number" => t!("import.removed.section_number"),
        "service line (hotline, call for contributions)" => t!("import.removed.service_line"),
        "sign-up button or teaser" => t!("import.removed.sign_up"),
        "stage cue (music, pause, recording)" => t!("import.removed.stage_cue"),
        "status line (live, processing)" => t!("import.removed.status_line"),
        "site footer" => t!("import.removed.site_footer"),
        "site name" => t!("import.removed.site_name"),
        "skip link or back link" => t!("import.removed.skip_link"),
        "social buttons" => t!("import.removed.social"),
        "submission line (read into front matter)" => t!("import.removed.submission"),
        "technical support" => t!("import.removed.technical_support"),
        "title (moved to front matter)" => t!("import.removed.title"),
        "transcriber's remark" => t!("import.removed.transcriber_remark"),
        "truncation or preview notice" => t!("import.removed.truncation_notice"),
        "vote or answer count" => t!("import.removed.vote_count"),
        _ => return None,
    };
    Some(label.into_owned())
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
const EXTENSIONS: [&str; 11] = ["txt", "text", "md", "html", "htm", "docx", "pdf", "mht", "mhtml", "doc", "wps"];

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
    if inside { Ok(()) } else { Err(t!("import.error.section", section = section).into_owned()) }
}

/// The formats import reads, told apart by the file's first bytes, then its extension.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    Text,
    Html,
    Docx,
    Pdf,
    /// A web archive (`.mht`, `.mhtml`).
    Mhtml,
    /// A Word 97–2003 document (`.doc`, WPS's `.wps`): an OLE compound file.
    MsDoc,
}

fn format_of(path: &Path, bytes: &[u8]) -> Format {
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    if bytes.starts_with(b"%PDF") {
        return Format::Pdf;
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Format::Docx;
    }
    if bytes.starts_with(&OLE_SIGNATURE) {
        return Format::MsDoc;
    }
    if matches!(ext.as_str(), "mht" | "mhtml") || is_mime_archive(bytes) {
        return Format::Mhtml;
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

/// The first bytes of an OLE compound file (Word 97–2003, old Excel, password-protected Office).
const OLE_SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Whether a file without a telling extension is a MIME web archive: its header block names a
/// MIME version and a multipart/related body.
fn is_mime_archive(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    let header_start = ["from:", "mime-version:", "content-type:", "date:", "subject:", "snapshot-content-location:"];
    header_start.iter().any(|h| head.starts_with(h))
        && head.contains("mime-version:")
        && head.contains("multipart/related")
}

/// Extensions of files import refuses with a message of their own: office formats it does not
/// read. A folder's files with these are listed as not imported, so none goes missing unseen.
const REFUSED: [&str; 12] = ["dot", "rtf", "odt", "ofd", "caj", "epub", "xls", "xlsx", "et", "ppt", "pptx", "dps"];

/// Why a file of a format import does not read is refused, and what to do instead: told by
/// the OLE signature of old Office and password-protected files, then by the extension.
fn refused(path: &Path, bytes: &[u8]) -> Option<String> {
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let ole = bytes.starts_with(&OLE_SIGNATURE);
    let message = match ext.as_str() {
        "xls" | "xlsx" | "et" => t!("import.error.spreadsheet", ext = ext),
        "ppt" | "pptx" | "dps" => t!("import.error.presentation", ext = ext),
        // An old Word file (`.doc`, `.wps`, or without a telling name) is read; the reader
        // tells a password-protected or non-Word one apart.
        _ if ole && !matches!(ext.as_str(), "doc" | "wps" | "") => {
            t!("import.error.old_office", ext = ext)
        }
        _ if ole => return None,
        "dot" | "rtf" | "odt" | "ofd" | "caj" | "epub" => {
            t!("import.error.other_document", ext = ext)
        }
        "jpg" | "jpeg" | "png" | "gif" | "bmp" | "tif" | "tiff" | "webp" | "heic" => {
            t!("import.error.picture", ext = ext)
        }
        _ => return None,
    };
    Some(message.into_owned())
}

/// Why a file cannot be read, in plain words.
fn cannot_read(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => t!("import.error.not_found").into_owned(),
        _ => t!("import.error.cannot_read", detail = e).into_owned(),
    }
}

/// Reads one file into a document, refusing what is not a regular file or is too large. The
/// error says what is wrong and what to do.
fn read_input(file: &Path) -> std::result::Result<(doc::Document, &'static str), String> {
    let meta = std::fs::metadata(file).map_err(|e| cannot_read(&e))?;
    if !meta.is_file() {
        return Err(t!("import.error.not_regular").into_owned());
    }
    if meta.len() > MAX_INPUT_BYTES {
        let size = format!("{:.1}", meta.len() as f64 / 1e6);
        return Err(t!("import.error.too_large", size = size, max = MAX_INPUT_BYTES / 1024 / 1024).into_owned());
    }
    let mut bytes = Vec::new();
    {
        use std::io::Read;
        let f = std::fs::File::open(file).map_err(|e| cannot_read(&e))?;
        f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes).map_err(|e| cannot_read(&e))?;
    }
    if let Some(why) = refused(file, &bytes) {
        return Err(why);
    }
    match format_of(file, &bytes) {
        Format::Pdf => pdf::read(&bytes).map(|d| (d, "PDF")),
        Format::Docx => docx::read(&bytes).map(|d| (d, "Word")),
        Format::MsDoc => msdoc::read(&bytes).map(|d| (d, "Word 97–2003")),
        Format::Mhtml => mhtml::read(&bytes).map(|d| (d, "MHTML")),
        Format::Html => {
            let (_, encoding) = html::decode(&bytes);
            html::read(&bytes, file.parent()).map(|d| (d, encoding))
        }
        Format::Text => decode(&bytes).map(|(text, encoding)| (text::read_text(&text), encoding)),
    }
}

/// Whether a folder's file is left alone: Word's lock files (`~$报告.docx`, there while the
/// document is open) and hidden files such as the `._报告.docx` copies macOS leaves on a stick.
fn is_scratch_file(path: &Path) -> bool {
    path.file_name().is_some_and(|n| {
        let n = n.to_string_lossy();
        n.starts_with("~$") || n.starts_with('.')
    })
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
                    p.extension().is_some_and(|x| {
                        let x = x.to_string_lossy().to_ascii_lowercase();
                        EXTENSIONS.contains(&x.as_str()) || REFUSED.contains(&x.as_str())
                    })
                })
                .filter(|p| !is_scratch_file(p))
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
        return Err(Error::Content(vec![Diagnostic::error("--section", 0, 0, why)]));
    }
    if let Some(out) = options.out.as_ref().filter(|o| o.exists() && !o.is_dir()) {
        return Err(Error::Content(vec![Diagnostic::error(out, 0, 0, t!("import.error.out_not_folder"))]));
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
            Err(why) => {
                errors.push(Diagnostic::error(&file, 0, 0, why));
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
            return Err(Error::Content(vec![Diagnostic::error(&base, 0, 0, t!("import.error.link_outside"))]));
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
        // A draft that is there already is not imported (a dry run says so too): one row, the
        // error's, names the file and the way out.
        if exists && !options.force {
            errors.push(Diagnostic::error(&file, 0, 0, t!("import.error.exists", path = output.display())));
            continue;
        }
        let markdown = draft.to_markdown(page_type);
        let mut written = false;
        if !options.dry_run {
            fsx::write(&output, &markdown)?;
            for (path, bytes) in &pictures {
                fsx::write(path, bytes)?;
            }
            written = true;
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
        d.review.push(t!("import.review.no_title").into_owned());
    }
    if d.date.is_none() {
        d.review.push(t!("import.review.no_date").into_owned());
    }
    if d.source.is_none() {
        d.review.push(t!("import.review.no_source").into_owned());
    }
    let cuts = d.body.matches(TRUNCATION).count();
    if cuts > 0 {
        d.review.push(t!("import.review.cut", count = cuts).into_owned());
    }
    if d.body.chars().filter(|c| crate::fold::is_han(*c)).count() < 100 {
        d.review.push(t!("import.review.little_text").into_owned());
    }
    let here = output.strip_prefix(root).unwrap_or(output);
    if let Some(file) = titles.get(&d.title).filter(|f| !d.title.is_empty() && f.as_path() != here) {
        d.review.push(t!("import.review.same_title", file = file.display()).into_owned());
    }
}

/// The table ending a batch import: each file, what was detected, how many lines were
/// removed, and what needs a human look.
pub fn batch_table(imported: &[Imported], failed: &[Diagnostic]) -> String {
    let cell = |s: &str| s.replace('|', "／");
    let note_separator = if crate::i18n::current() == crate::i18n::Lang::Zh { "；" } else { "; " };
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
            cell(&if d.review.is_empty() { "—".to_string() } else { d.review.join(note_separator) }),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every reason the cleaner gives for a removed line, and every change it counts, has a
    /// text in both languages: a new rule with a reason missing here would print English to a
    /// Chinese reader.
    #[test]
    fn every_reason_and_change_of_the_cleaner_has_a_label() {
        let literal = regex::Regex::new(r#""([a-z][a-z ,()\-]*)""#).unwrap();
        let mut seen = 0;
        let code = |source: &'static str| &source[..source.find("\nmod tests").unwrap_or(source.len())];
        for c in [code(include_str!("clean.rs")), code(include_str!("kinds.rs"))]
            .into_iter()
            .flat_map(|code| literal.captures_iter(code))
        {
            let text = &c[1];
            // Not a reason: where a piece of metadata was found.
            if text == "saved from" {
                continue;
            }
            seen += 1;
            assert!(removed_label(text).is_some() || change_label(text).is_some(), "no label for {text:?}");
        }
        assert!(seen > 30, "{seen} reasons found: has the cleaner changed how it names them?");
    }

    #[test]
    fn refused_formats_are_named_with_what_to_do() {
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        let cases: [(&str, &[u8], Option<&str>); 7] = [
            ("a.doc", &ole, None),
            ("a.dot", &ole, Some("save it as .docx")),
            ("locked.docx", &ole, Some("protected by a password")),
            ("b.xlsx", b"PK\x03\x04", Some("spreadsheet")),
            ("c.jpg", b"\xFF\xD8\xFF", Some("no OCR")),
            ("d.txt", "正文".as_bytes(), None),
            ("e.docx", b"PK\x03\x04", None),
        ];
        for (name, bytes, want) in cases {
            let got = refused(Path::new(name), bytes);
            match want {
                Some(want) => assert!(got.as_deref().is_some_and(|m| m.contains(want)), "{name}: {got:?}"),
                None => assert!(got.is_none(), "{name}: {got:?}"),
            }
        }
    }
}
