//! Loading `content/`: front matter, pages, sections, slugs. Knows nothing of rendering.

use crate::config::Config;
use crate::diagnostic::{self, Diagnostic, line_col};
use crate::slug::slugify;
use crate::{Error, Result, fsx, safety};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub const CONTENT_DIR: &str = "content";
pub const TOPICS_DIR: &str = "topics";

/// What kind of text a page holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageType {
    Speech,
    Commentary,
    Reflection,
    Case,
    Policy,
    Page,
}

impl PageType {
    pub const ALL: [PageType; 6] = [
        PageType::Speech,
        PageType::Commentary,
        PageType::Reflection,
        PageType::Case,
        PageType::Policy,
        PageType::Page,
    ];

    pub fn key(self) -> &'static str {
        match self {
            PageType::Speech => "speech",
            PageType::Commentary => "commentary",
            PageType::Reflection => "reflection",
            PageType::Case => "case",
            PageType::Policy => "policy",
            PageType::Page => "page",
        }
    }

    /// The Chinese name readers see.
    pub fn label(self) -> &'static str {
        match self {
            PageType::Speech => "讲话",
            PageType::Commentary => "评论",
            PageType::Reflection => "研讨发言",
            PageType::Case => "实践案例",
            PageType::Policy => "政策文件",
            PageType::Page => "页面",
        }
    }

    pub fn parse(s: &str) -> Option<PageType> {
        PageType::ALL.into_iter().find(|t| t.key() == s)
    }

    /// Dated types must carry a `date`.
    pub fn needs_date(self) -> bool {
        matches!(self, PageType::Speech | PageType::Commentary | PageType::Case | PageType::Reflection)
    }
}

/// The YAML between the `---` lines. Unknown keys are errors.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(rename = "type", default)]
    pub page_type: Option<PageType>,
    #[serde(default)]
    pub speaker: Option<String>,
    #[serde(default)]
    pub organization: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub source_url: Option<String>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub related: Vec<String>,
    #[serde(default)]
    pub draft: bool,
    /// Topic pages only: other names of the topic (traditional forms, quoted forms).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// When the page was last revised (`YYYY-MM-DD`), for the sitemap's `lastmod`.
    #[serde(default)]
    pub updated: Option<String>,
    /// The page's language tag (`zh-Hant`), when the site's `language` and the detected
    /// script are not right for it.
    #[serde(default)]
    pub lang: Option<String>,
}

impl FrontMatter {
    /// Every text of the front matter with its key, lists item by item.
    fn texts(&self) -> Vec<(&'static str, &str)> {
        let one = [
            ("title", Some(&self.title)),
            ("date", self.date.as_ref()),
            ("speaker", self.speaker.as_ref()),
            ("organization", self.organization.as_ref()),
            ("region", self.region.as_ref()),
            ("source", self.source.as_ref()),
            ("source_url", self.source_url.as_ref()),
            ("summary", self.summary.as_ref()),
            ("updated", self.updated.as_ref()),
            ("lang", self.lang.as_ref()),
        ];
        let lists = [("topics", &self.topics), ("related", &self.related), ("aliases", &self.aliases)];
        one.into_iter()
            .filter_map(|(k, v)| Some((k, v?.as_str())))
            .chain(lists.into_iter().flat_map(|(k, list)| list.iter().map(move |v| (k, v.as_str()))))
            .collect()
    }
}

pub const KNOWN_KEYS: &str = "title, date, type, speaker, organization, region, source, source_url, topics, summary, related, draft, aliases, updated, lang";

/// A BCP 47 language tag's shape: letters, digits and `-`, starting with a letter, at most 35
/// characters (it goes into `<html lang>` unescaped by nothing but the template).
pub fn is_language_tag(s: &str) -> bool {
    s.len() <= 35
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.split('-').all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// One Markdown file of `content/`.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path under `content/` with `/` separators: `cases/yingze-brand.md`. Used by `@/` links.
    pub rel: String,
    /// Path for messages, relative to the site root: `content/cases/yingze-brand.md`.
    pub file: PathBuf,
    /// Section folder (`cases`), empty for pages at the top of `content/`.
    pub section: String,
    pub slug: String,
    /// Site-relative URL without a leading slash: `cases/yingze-brand/` (`""` for the home page).
    pub url: String,
    pub meta: FrontMatter,
    pub page_type: PageType,
    /// Year, month and day of `date`, validated.
    pub date: Option<Date>,
    pub body: String,
    /// 1-based line number in the file where the body starts.
    pub body_line: usize,
    pub kind: PageKind,
    /// Line of each top-level front-matter key, for messages about its value.
    pub key_lines: Vec<(String, usize)>,
    /// A page bundle: `content/<section>/<slug>/index.md`, whose folder holds its pictures
    /// and attachments.
    pub bundle: bool,
}

impl Page {
    /// Line of a front-matter key (or of the front matter's start if the key is absent).
    pub fn key_line(&self, key: &str) -> usize {
        self.key_lines.iter().find(|(k, _)| k == key).map_or(2, |(_, l)| *l)
    }

    /// Whether `other` is this page with another body: the same file, URL and front matter.
    pub fn same_but_body(&self, other: &Page) -> bool {
        // Destructured, so a new field has to be placed on one side or the other.
        let Page {
            rel,
            file,
            section,
            slug,
            url,
            meta,
            page_type,
            date,
            body: _,
            body_line: _,
            kind,
            key_lines,
            bundle,
        } = self;
        (rel, file, section, slug, url, meta, page_type, date, kind, key_lines, bundle)
            == (
                &other.rel,
                &other.file,
                &other.section,
                &other.slug,
                &other.url,
                &other.meta,
                &other.page_type,
                &other.date,
                &other.kind,
                &other.key_lines,
                &other.bundle,
            )
    }

    /// The folder under `content/` that holds the page's file (`cases`, or `cases/x` for a
    /// bundle): relative links in its body start there.
    pub fn dir(&self) -> &str {
        self.rel.rsplit_once('/').map_or("", |(d, _)| d)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// An ordinary page.
    Regular,
    /// A section's `_index.md` (or `content/_index.md` for the home page).
    SectionIndex,
    /// A page under `content/topics/`.
    Topic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses `2025-03-12` (also `2025/3/12`).
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let mut parts = s.splitn(3, ['-', '/']);
        let year: u16 = parts.next()?.parse().ok()?;
        let month: u8 = parts.next()?.parse().ok()?;
        let day_part = parts.next()?;
        let day: u8 = day_part.split([' ', 'T']).next()?.parse().ok()?;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
            2 => 28,
            _ => return None,
        };
        ((1000..=9999).contains(&year) && (1..=days).contains(&day)).then_some(Date { year, month, day })
    }

    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `2025年3月12日`, as Chinese readers write dates.
    pub fn chinese(&self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }
}

/// Everything loaded from `content/`, in a stable order (sorted by path).
#[derive(Debug, Default)]
pub struct Content {
    pub pages: Vec<Page>,
    pub warnings: Vec<Diagnostic>,
    /// Errors of files that could not be loaded; the build still links the others, so that
    /// one run reports every problem.
    pub errors: Vec<Diagnostic>,
    /// Content paths (`cases/a.md`) of files that failed to load: links to them are not
    /// reported again as missing.
    pub failed: Vec<String>,
}

pub type PageResult = std::result::Result<Option<Page>, Vec<Diagnostic>>;

/// Above this size a page is built with a warning: Markdown pages are rarely above a few
/// hundred KB, and the whole site is held in memory while it is built.
pub const WARN_PAGE_BYTES: usize = 8 << 20;
/// Above this size a page is refused (read no further).
pub const MAX_PAGE_BYTES: usize = 64 << 20;
/// Front matter above this size is refused: it holds a title and a few short fields.
pub const MAX_FRONT_MATTER_BYTES: usize = 64 << 10;

/// `bytes` in MB with one decimal, for messages about sizes.
fn mb(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / (1 << 20) as f64)
}

/// Loads every `.md` file under `root/content`. All errors are collected and returned together.
pub fn load(root: &Path, config: &Config, include_drafts: bool) -> Result<Content> {
    let content_dir = root.join(CONTENT_DIR);
    let listing = list(root)?;
    let results: Vec<(String, PageResult)> =
        listing.files.par_iter().map(|path| load_file(&content_dir, path, config, include_drafts)).collect();
    let mut content = assemble(results).0;
    for problem in listing.problems {
        if problem.is_error() { &mut content.errors } else { &mut content.warnings }.push(problem);
    }
    diagnostic::sort(&mut content.errors);
    Ok(content)
}

/// The name of a Markdown file without its extension: `.md` in any case (`页面.MD`, saved so by
/// some editors, is a page too, never skipped).
fn markdown_stem(file_name: &str) -> Option<&str> {
    let split = file_name.len().checked_sub(3).filter(|&i| file_name.is_char_boundary(i))?;
    let (stem, ext) = file_name.split_at(split);
    (ext.eq_ignore_ascii_case(".md") && !stem.is_empty()).then_some(stem)
}

/// The front matter of a content file, read with the same limits as a build (size, YAML
/// aliases and depth); None if it has none or it does not parse (the load reports why).
pub fn front_matter_of(path: &Path) -> Option<FrontMatter> {
    let bytes = fsx::read_regular(path, MAX_PAGE_BYTES as u64).ok()?;
    if bytes.len() > MAX_PAGE_BYTES {
        return None;
    }
    let text = String::from_utf8(bytes).ok()?;
    let (yaml, yaml_line, _, _) = split_front_matter(path, &text).ok()?;
    check_front_matter(path, yaml, yaml_line).ok()?;
    serde_yaml::from_str(yaml).ok()
}

/// One warning per draft saying what it still lacks before it can be published (a date for
/// dated types, a source, a summary): drafts are left out of builds, so nothing else says so.
pub fn draft_gaps(root: &Path) -> Vec<Diagnostic> {
    let content_dir = root.join(CONTENT_DIR);
    // Files that cannot be listed or read are reported by the load itself.
    let Ok(listing) = list(root) else { return Vec::new() };
    let mut out = Vec::new();
    for path in listing.files {
        let Some(meta) = front_matter_of(&path) else { continue };
        if !meta.draft {
            continue;
        }
        let mut lacks = Vec::new();
        if meta.page_type.is_some_and(PageType::needs_date) && meta.date.is_none() {
            lacks.push("date");
        }
        if meta.source.is_none() && meta.page_type.is_some_and(|t| t != PageType::Page) {
            lacks.push("source");
        }
        if meta.summary.is_none() {
            lacks.push("summary");
        }
        if meta.title.contains("待补标题") {
            lacks.push("title");
        }
        let rel = Path::new(CONTENT_DIR).join(rel_path(&content_dir, &path));
        let message = if lacks.is_empty() {
            "draft: not published until `draft: true` is removed".to_string()
        } else {
            format!("draft: not published until `draft: true` is removed; it still lacks: {}", lacks.join(", "))
        };
        out.push(
            Diagnostic::warning(rel, 1, 1, message)
                .with_hint("fill in the front matter, check the text against the source, then remove `draft: true`"),
        );
    }
    out
}

/// The Markdown files of `root/content`, in load order (names sorted, folder by folder), and
/// what stood in the way: links leading outside the site or in a loop, special files (see
/// [`fsx::list_in_site`]).
pub fn list(root: &Path) -> Result<fsx::Listing> {
    let content_dir = root.join(CONTENT_DIR);
    if !content_dir.is_dir() {
        return Err(Error::Content(vec![
            Diagnostic::error(CONTENT_DIR, 0, 0, format!("no `{CONTENT_DIR}/` folder in `{}`", content_dir.display()))
                .with_hint("put your Markdown files under content/, or start a knowledge base with `zhiku init DIR`"),
        ]));
    }
    // Hidden files and folders (`.git`, editors' `.x.md.swp`) are skipped with their contents.
    fsx::list_in_site(root, &content_dir, true, &|name| markdown_stem(name).is_some())
}

/// Reads and parses one file of `content_dir`: its path under `content/` and the page (`None`
/// for a draft left out).
pub fn load_file(content_dir: &Path, path: &Path, config: &Config, include_drafts: bool) -> (String, PageResult) {
    let rel = rel_path(content_dir, path);
    let page = fsx::read_regular(path, MAX_PAGE_BYTES as u64)
        .map_err(|e| vec![Diagnostic::error(Path::new(CONTENT_DIR).join(&rel), 0, 0, e.to_string())])
        .and_then(|bytes| parse_page(&rel, &bytes, config))
        .map(|page| page.filter(|p| include_drafts || !p.meta.draft));
    (rel, page)
}

/// Path of a content file under `content/`, with `/` separators.
pub fn rel_path(content_dir: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(content_dir).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Gathers loaded files (in load order) into the site's pages and errors. Also returns, for
/// each file, the index of its page, if it has one.
pub fn assemble(results: impl IntoIterator<Item = (String, PageResult)>) -> (Content, Vec<Option<usize>>) {
    let mut content = Content::default();
    let mut slots = Vec::new();
    for (rel, r) in results {
        match r {
            Ok(Some(p)) => {
                slots.push(Some(content.pages.len()));
                content.pages.push(p);
            }
            Ok(None) => slots.push(None),
            Err(mut e) => {
                slots.push(None);
                content.failed.push(rel);
                content.errors.append(&mut e);
            }
        }
    }
    check_unique_urls(&content.pages, &mut content.errors);
    for p in content.pages.iter().filter(|p| p.body.len() > WARN_PAGE_BYTES) {
        content.warnings.push(
            Diagnostic::warning(
                &p.file,
                0,
                0,
                format!(
                    "the page is {} long; pages above {} slow every build and preview",
                    mb(p.body.len()),
                    mb(WARN_PAGE_BYTES)
                ),
            )
            .with_hint("split it into several pages"),
        );
    }
    diagnostic::sort(&mut content.errors);
    (content, slots)
}

fn check_unique_urls(pages: &[Page], errors: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &Page> = HashMap::new();
    for page in pages {
        if let Some(other) = seen.insert(&page.url, page) {
            errors.push(
                Diagnostic::error(
                    &page.file,
                    1,
                    1,
                    format!(
                        "slug `{}` clashes with `{}`: both would be written to /{}",
                        page.slug,
                        other.file.display(),
                        page.url
                    ),
                )
                .with_hint("rename one of the two files"),
            );
        }
    }
}

/// Parses one file: front matter, body, slug and URL.
pub fn parse_page(rel: &str, bytes: &[u8], config: &Config) -> std::result::Result<Option<Page>, Vec<Diagnostic>> {
    let file = Path::new(CONTENT_DIR).join(rel);
    if bytes.len() > MAX_PAGE_BYTES {
        return Err(vec![
            Diagnostic::error(
                &file,
                0,
                0,
                format!("the file is over {}, the largest page zhiku reads", mb(MAX_PAGE_BYTES)),
            )
            .with_hint("split it into several pages, each under 8 MB"),
        ]);
    }
    let text = decode(&file, bytes)?;
    // Reported with the file's other errors.
    let mut errors: Vec<Diagnostic> = stray_controls(&file, &text).into_iter().collect();
    let (yaml, yaml_line, body, body_line) = match split_front_matter(&file, &text) {
        Ok(parts) => parts,
        Err(d) => {
            errors.push(d);
            return Err(errors);
        }
    };
    if let Err(d) = check_front_matter(&file, yaml, yaml_line) {
        errors.push(d);
        return Err(errors);
    }

    let meta: FrontMatter = match serde_yaml::from_str(yaml) {
        Ok(meta) => meta,
        Err(e) => {
            errors.push(yaml_diagnostic(&file, yaml, yaml_line, &e));
            return Err(errors);
        }
    };

    let mut segments: Vec<&str> = rel.split('/').collect();
    let file_name = segments.last().copied().unwrap_or(rel);
    let mut stem = markdown_stem(file_name).unwrap_or(file_name);
    // A page bundle `cases/x/index.md` is the page `cases/x`: its folder names it.
    let bundle = stem.eq_ignore_ascii_case("index") && segments.len() >= 2;
    if bundle {
        segments.pop();
        stem = segments.last().copied().unwrap_or(stem);
    }
    let section = if segments.len() > 1 { segments[..segments.len() - 1].join("/") } else { String::new() };
    let kind = if stem == "_index" {
        PageKind::SectionIndex
    } else if section == TOPICS_DIR {
        PageKind::Topic
    } else {
        PageKind::Regular
    };
    if segments.len() > 2 {
        errors.push(
            Diagnostic::error(
                &file,
                1,
                1,
                "pages may be nested one folder deep only (content/<section>/<page>.md, or content/<section>/<page>/index.md for a page with its pictures)",
            )
            .with_hint("move the file into its section folder"),
        );
    }

    let section_type = config.section(&section).and_then(|s| s.page_type);
    let page_type = meta.page_type.or(section_type).unwrap_or(PageType::Page);
    let key_pos = |key: &str| find_key(yaml, key).map_or((yaml_line, 1), |(l, c)| (yaml_line + l - 1, c));

    if meta.title.trim().is_empty() {
        let (l, c) = key_pos("title");
        errors.push(
            Diagnostic::error(&file, l, c, "`title` is empty")
                .with_hint("give the page a title, e.g. `title: 在全区社会工作会议上的讲话`"),
        );
    }
    let date = match &meta.date {
        Some(d) => match Date::parse(d) {
            Some(date) => Some(date),
            None => {
                let (l, c) = key_pos("date");
                errors.push(
                    Diagnostic::error(&file, l, c, format!("`date: {d}` is not a valid date"))
                        .with_hint("write dates as YYYY-MM-DD, e.g. `date: 2025-03-12`"),
                );
                None
            }
        },
        None => {
            // A draft may lack its date: imported drafts build, and `check` lists what they lack.
            if page_type.needs_date() && kind == PageKind::Regular && !meta.draft {
                errors.push(
                    Diagnostic::error(
                        &file,
                        yaml_line,
                        1,
                        format!("a page of type `{}` needs a `date`", page_type.key()),
                    )
                    .with_hint("add a line such as `date: 2025-03-12` to the front matter"),
                );
            }
            None
        }
    };
    if let Some(u) = meta.updated.as_deref().filter(|u| Date::parse(u).is_none()) {
        let (l, c) = key_pos("updated");
        errors.push(
            Diagnostic::error(&file, l, c, format!("`updated: {u}` is not a valid date"))
                .with_hint("write dates as YYYY-MM-DD, e.g. `updated: 2025-03-12`"),
        );
    }
    if let Some(lang) = meta.lang.as_deref().filter(|l| !is_language_tag(l)) {
        let (l, c) = key_pos("lang");
        errors.push(
            Diagnostic::error(&file, l, c, format!("`lang: {lang}` is not a language tag"))
                .with_hint("write a tag such as `zh-Hans` (simplified Chinese), `zh-Hant` (traditional) or `en`"),
        );
    }
    if !meta.aliases.is_empty() && kind != PageKind::Topic {
        let (l, c) = key_pos("aliases");
        errors.push(
            Diagnostic::error(&file, l, c, "`aliases` is only used on topic pages (content/topics/)")
                .with_hint("move the aliases to the topic page, or remove the key"),
        );
    }
    for (key, value) in meta.texts() {
        if let Some((_, c)) = safety::find_stray_control(value) {
            let (l, c0) = key_pos(key);
            errors.push(
                Diagnostic::error(&file, l, c0, format!("`{key}` contains the control character {}", safety::char_name(c)))
                    .with_hint("remove it: it is invisible, and web pages and feeds cannot hold it (in quotes it is written like `\\0` or `\\e`)"),
            );
        }
    }
    let is_web = |u: &&String| {
        (u.starts_with("http://") || u.starts_with("https://"))
            && safety::check_url(u).is_ok()
            && !u.contains(char::is_whitespace)
    };
    if let Some(url) = meta.source_url.as_ref().filter(|u| !is_web(u)) {
        let (l, c) = key_pos("source_url");
        errors.push(
            Diagnostic::error(&file, l, c, format!("`source_url: {url}` is not a web address"))
                .with_hint("write the full address, starting with https:// or http://"),
        );
    }

    let slug = match kind {
        PageKind::SectionIndex => String::new(),
        _ => slugify(stem, config.slug_style),
    };
    if slug.is_empty() && kind != PageKind::SectionIndex {
        errors.push(
            Diagnostic::error(&file, 1, 1, format!("the file name `{file_name}` gives an empty URL slug"))
                .with_hint("rename the file using letters, digits or Chinese characters"),
        );
    }
    if slug.len() > fsx::MAX_NAME_BYTES {
        errors.push(
            Diagnostic::error(
                &file,
                1,
                1,
                format!(
                    "the file name gives a URL slug of {} bytes (`{}…`), too long for a folder name: file systems allow {}",
                    slug.len(),
                    slug.chars().take(40).collect::<String>(),
                    fsx::MAX_NAME_BYTES
                ),
            )
            .with_hint("rename the file with a shorter name, a few words are enough (the title can stay as long as it is)"),
        );
    }
    let url = match (kind, section.is_empty()) {
        (PageKind::SectionIndex, true) => String::new(),
        (PageKind::SectionIndex, false) => format!("{section}/"),
        (_, true) => format!("{slug}/"),
        (_, false) => format!("{section}/{slug}/"),
    };
    if section.is_empty() && kind == PageKind::Regular && RESERVED_TOP.contains(&slug.as_str()) {
        errors.push(
            Diagnostic::error(&file, 1, 1, format!("`/{slug}/` is a URL zhiku generates itself"))
                .with_hint("rename the file"),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let key_lines = yaml
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let (key, _) = l.split_once(':')?;
            (!key.starts_with([' ', '-', '#']) && !key.is_empty()).then(|| (key.trim().to_string(), yaml_line + i))
        })
        .collect();
    Ok(Some(Page {
        rel: rel.to_string(),
        file,
        section,
        slug,
        url,
        meta,
        page_type,
        date,
        body: body.to_string(),
        body_line,
        kind,
        key_lines,
        bundle,
    }))
}

const RESERVED_TOP: [&str; 5] = ["topics", "regions", "timeline", "search", "static"];

/// Decodes UTF-8 (a BOM is dropped, CRLF becomes LF); anything else is an error with its place.
fn decode(file: &Path, bytes: &[u8]) -> std::result::Result<String, Vec<Diagnostic>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(if s.contains('\r') { s.replace("\r\n", "\n").replace('\r', "\n") } else { s.to_string() }),
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let (line, column) = line_col(valid, valid.len());
            Err(vec![
                Diagnostic::error(
                    file,
                    line,
                    column,
                    format!("the file is not valid UTF-8 (bad byte at offset {})", e.valid_up_to()),
                )
                .with_hint("save the file as UTF-8; texts in GBK/GB18030 can be converted with `zhiku import`"),
            ])
        }
    }
}

/// An error for a file holding control characters (ESC, BEL, NUL …, not tabs or line ends):
/// invisible, they would reach pages, feeds and terminals. Names the first and counts them.
fn stray_controls(file: &Path, text: &str) -> Option<Diagnostic> {
    let (at, c) = safety::find_stray_control(text)?;
    let count = text.chars().filter(|&c| safety::is_stray_control(c)).count();
    let (line, column) = line_col(text, at);
    let more = if count > 1 { format!(" ({count} in the file)") } else { String::new() };
    Some(
        Diagnostic::error(file, line, column, format!("the control character {} is not allowed{more}", safety::char_name(c)))
            .with_hint("delete it: it is invisible (an editor may show it as a box or `^[`); `zhiku import` removes such characters from pasted texts"),
    )
}

/// Splits `---\nyaml\n---\nbody` and returns (yaml, first yaml line, body, first body line).
fn split_front_matter<'a>(
    file: &Path,
    text: &'a str,
) -> std::result::Result<(&'a str, usize, &'a str, usize), Diagnostic> {
    let Some(rest) = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---").filter(|r| r.is_empty())) else {
        return Err(Diagnostic::error(file, 1, 1, "the file does not start with front matter")
            .with_hint("start the file with a line `---`, then `title: …` and the other keys, then a line `---`"));
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let body_line = 2 + yaml.matches('\n').count() + 1;
            return Ok((yaml, 2, body, body_line));
        }
        offset += line.len();
    }
    Err(Diagnostic::error(file, 1, 1, "the front matter is not closed")
        .with_hint("did you forget the closing `---` line after the front matter?"))
}

/// Size, anchors, aliases and nesting, checked before serde_yaml reads the front matter.
fn check_front_matter(file: &Path, yaml: &str, yaml_line: usize) -> std::result::Result<(), Diagnostic> {
    if yaml.len() > MAX_FRONT_MATTER_BYTES {
        return Err(Diagnostic::error(
            file,
            yaml_line,
            1,
            format!(
                "the front matter is {} KB; at most {} KB are accepted",
                yaml.len() >> 10,
                MAX_FRONT_MATTER_BYTES >> 10
            ),
        )
        .with_hint(
            "keep the front matter to short fields; long text goes into the page body, after the closing `---`",
        ));
    }
    crate::yaml::check(yaml).map_err(|r| {
        let (line, column) = line_col(yaml, r.offset);
        Diagnostic::error(file, yaml_line + line - 1, column, format!("front matter: {}", r.message)).with_hint(r.hint)
    })
}

fn yaml_diagnostic(file: &Path, yaml: &str, yaml_line: usize, e: &serde_yaml::Error) -> Diagnostic {
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    let (line, column) = match e.location() {
        Some(l) => (yaml_line + l.line() - 1, l.column()),
        None if msg.contains("missing field") => (yaml_line.saturating_sub(1), 1),
        None => (yaml_line, 1),
    };
    let hint = if msg.contains("unknown field") {
        format!("the known keys are: {KNOWN_KEYS}")
    } else if msg.contains("unknown variant") {
        "`type` is one of: speech, commentary, reflection, case, policy, page".to_string()
    } else if msg.contains("missing field `title`") {
        "every page needs `title: …`".to_string()
    } else if msg.contains("invalid type") {
        "check the value's form: lists are written `[甲, 乙]`, `draft` is true or false".to_string()
    } else {
        let _ = yaml;
        "check the YAML syntax: `key: value`, one key per line; quote values that contain `:` or `#`".to_string()
    };
    Diagnostic::error(file, line, column, format!("front matter: {msg}")).with_hint(hint)
}

/// Line (1-based, within the YAML) and column of a top-level `key:`.
fn find_key(yaml: &str, key: &str) -> Option<(usize, usize)> {
    yaml.lines().enumerate().find_map(|(i, l)| {
        let rest = l.strip_prefix(key)?;
        rest.trim_start().starts_with(':').then_some((i + 1, 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_files_in_any_case_are_pages() {
        assert_eq!(markdown_stem("讲话.md"), Some("讲话"));
        assert_eq!(markdown_stem("page.MD"), Some("page"));
        assert_eq!(markdown_stem("a.Md"), Some("a"));
        for not_page in [".md", "notes.txt", "md", "讲.m", "x.mdx"] {
            assert_eq!(markdown_stem(not_page), None, "{not_page}");
        }
    }

    fn config() -> Config {
        Config::parse("title: t\n").unwrap()
    }

    fn parse(rel: &str, text: &str) -> std::result::Result<Option<Page>, Vec<Diagnostic>> {
        parse_page(rel, text.as_bytes(), &config())
    }

    #[test]
    fn parses_a_speech() {
        let p = parse("speeches/全区会议.md", "---\ntitle: 讲话\ndate: 2025-03-12\ntopics: [志愿服务]\n---\n正文\n")
            .unwrap()
            .unwrap();
        assert_eq!(p.page_type, PageType::Speech);
        assert_eq!(p.url, "speeches/quan-qu-hui-yi/");
        assert_eq!(p.body, "正文\n");
        assert_eq!(p.body_line, 6);
        assert_eq!(p.date.unwrap().chinese(), "2025年3月12日");
    }

    #[test]
    fn errors_have_line_column_and_hint() {
        let cases = [
            ("---\ntitle: a\ndate: 2025-01-01\nspeakr: x\n---\n", 4, "unknown field `speakr`", "known keys"),
            ("---\ntitle: a\ndate: 2025-13-01\n---\n", 3, "not a valid date", "YYYY-MM-DD"),
            ("---\ntitle: a\ndate: 2025-01-01\ntype: speach\n---\n", 4, "unknown variant", "speech"),
            ("---\ntitle: a\n", 1, "not closed", "closing `---`"),
            ("title: a\n", 1, "does not start with front matter", "---"),
            ("---\ntitle: a\n---\n", 2, "needs a `date`", "date:"),
            ("---\ntitle: a\ndate: 2025-01-01\ntopics: x: y\n---\n", 4, "invalid type", "lists are written"),
            ("---\ntitle: a\ndate: 2025-01-01\n\tsummary: x\n---\n", 4, "front matter", "YAML syntax"),
        ];
        for (text, line, msg, hint) in cases {
            let errs = parse("speeches/a.md", text).unwrap_err();
            let d = &errs[0];
            assert_eq!(d.line, line, "{text:?}: {d}");
            assert!(d.message.contains(msg), "{text:?}: {d}");
            assert!(d.hint.as_deref().unwrap_or("").contains(hint), "{text:?}: {d}");
            assert_eq!(d.file, Path::new("content/speeches/a.md"));
        }
    }

    #[test]
    fn invalid_utf8_names_line() {
        let mut bytes = b"---\ntitle: a\n---\n\n\xe4\xb8\xad".to_vec();
        bytes.extend_from_slice(&[0xB9, 0xD8]);
        let errs = parse_page("a.md", &bytes, &config()).unwrap_err();
        assert_eq!((errs[0].line, errs[0].column), (5, 2));
        assert!(errs[0].hint.as_deref().unwrap().contains("UTF-8"));
    }

    #[test]
    fn control_characters_are_errors() {
        let errs = parse("about.md", "---\ntitle: 关于\n---\n正文\u{1b}[31m红\u{7}\n").unwrap_err();
        assert_eq!((errs[0].line, errs[0].column), (4, 3));
        assert!(errs[0].message.contains("U+001B (ESC) is not allowed (2 in the file)"), "{}", errs[0]);
        // Escaped in quoted YAML: named by key.
        let errs = parse("about.md", "---\ntitle: \"关\\0于\"\ntopics: [甲, \"乙\\a\"]\nsummary: \"\\e[2J\"\n---\n")
            .unwrap_err();
        let found: Vec<(usize, String)> = errs.iter().map(|d| (d.line, d.message.clone())).collect();
        assert_eq!(
            found,
            [
                (2, "`title` contains the control character U+0000 (NUL)".to_string()),
                (4, "`summary` contains the control character U+001B (ESC)".to_string()),
                (3, "`topics` contains the control character U+0007 (BEL)".to_string()),
            ]
        );
        // Tabs and line ends are layout.
        assert!(parse("about.md", "---\ntitle: \"关\\t于\"\n---\n正文\t缩进\r\n").is_ok());
    }

    #[test]
    fn source_url_is_a_web_address() {
        for bad in ["javascript:alert(1)", " https://x.org", "https://x.org/a b", "//x.org", "data:text/html,x"] {
            let text = format!("---\ntitle: a\nsource_url: \"{bad}\"\n---\n");
            let errs = parse("about.md", &text).unwrap_err();
            assert!(errs[0].message.contains("is not a web address"), "{bad}: {}", errs[0]);
            assert_eq!(errs[0].line, 3);
        }
    }

    #[test]
    fn crlf_and_bom_are_accepted() {
        let p = parse("about.md", "\u{feff}---\r\ntitle: 关于\r\n---\r\n正文\r\n").unwrap().unwrap();
        assert_eq!(p.meta.title, "关于");
        assert_eq!(p.url, "about/");
    }

    #[test]
    fn dates() {
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2023-02-29").is_none());
        assert_eq!(Date::parse("2024/10/12").unwrap().iso(), "2024-10-12");
    }
}
