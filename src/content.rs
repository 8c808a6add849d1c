//! Loading `content/`: front matter, pages, sections, slugs. Knows nothing of rendering.

use crate::config::Config;
use crate::diagnostic::{self, Diagnostic, excerpt, line_col};
use crate::slug::slugify;
use crate::{Error, Result, fsx, safety};
use rayon::prelude::*;
use rust_i18n::t;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub const CONTENT_DIR: &str = "content";
pub const TOPICS_DIR: &str = "topics";

/// What kind of text a page holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageType {
    #[serde(alias = "讲话")]
    Speech,
    #[serde(alias = "评论")]
    Commentary,
    #[serde(alias = "研讨发言")]
    Reflection,
    #[serde(alias = "案例", alias = "实践案例")]
    Case,
    #[serde(alias = "政策", alias = "政策文件")]
    Policy,
    #[serde(alias = "页面")]
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

    /// Every name a curator may write for the type: its key and its Chinese names.
    pub fn names(self) -> &'static [&'static str] {
        match self {
            PageType::Speech => &["speech", "讲话"],
            PageType::Commentary => &["commentary", "评论"],
            PageType::Reflection => &["reflection", "研讨发言"],
            PageType::Case => &["case", "案例", "实践案例"],
            PageType::Policy => &["policy", "政策", "政策文件"],
            PageType::Page => &["page", "页面"],
        }
    }

    /// The type named `s`, by key (in any case) or Chinese name: `speech`, `讲话`, `案例`.
    pub fn from_name(s: &str) -> Option<PageType> {
        let s = s.trim();
        PageType::ALL.into_iter().find(|t| t.names().iter().any(|n| n.eq_ignore_ascii_case(s)))
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

/// The keys a page's front matter may hold, for messages.
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
    /// Slips read as meant or worth a look (full-width spaces, `———` closing the front
    /// matter, a heading without its space…), reported with the build's warnings.
    pub warnings: Vec<Diagnostic>,
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
            // Read from the body, like the body.
            warnings: _,
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
    /// Parses `2025-03-12`, and the forms Chinese writers use: `2025/3/12`, `2025.3.12`,
    /// `2025年3月12日` (or `12号`), also in full-width digits. A time after the date
    /// (` 10:00`, `T10:00`) is ignored.
    pub fn parse(s: &str) -> Option<Date> {
        let narrow: String = s
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' | '－' | '／' | '．' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                '号' => '日',
                c => c,
            })
            .collect();
        let s = narrow.as_str();
        let (year, month, day_part) = match s.split_once('年') {
            Some((year, rest)) => {
                let (month, day) = rest.split_once('月')?;
                (year.trim(), month.trim(), day.trim().strip_suffix('日')?.trim())
            }
            None => {
                let mut parts = s.splitn(3, ['-', '/', '.']);
                (parts.next()?, parts.next()?, parts.next()?)
            }
        };
        let year: u16 = year.parse().ok()?;
        let month: u8 = month.parse().ok()?;
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
    let loaded: Vec<(String, PageResult, Option<Page>)> =
        listing.files.par_iter().map(|path| load_file_partly(&content_dir, path, config, include_drafts)).collect();
    let mut partial: Vec<Page> = Vec::new();
    let results: Vec<(String, PageResult)> = loaded
        .into_iter()
        .map(|(rel, result, page)| {
            partial.extend(page);
            (rel, result)
        })
        .collect();
    let mut content = assemble(results).0;
    // Pages whose front matter is broken but partly readable join the site for linking, so
    // their bodies' links (and links to them) are checked in the same run; their errors
    // already fail the build. Only files that could not be read at all count as failed.
    let readable: std::collections::HashSet<&str> = partial.iter().map(|p| p.rel.as_str()).collect();
    content.failed.retain(|rel| !readable.contains(rel.as_str()));
    content.pages.extend(partial);
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
    let (yaml, yaml_line, _, _, _) = split_front_matter(path, &text).ok()?;
    check_front_matter(path, yaml, yaml_line).ok()?;
    let read = crate::front_matter::read(path, yaml, yaml_line);
    read.errors.is_empty().then_some(read.meta)
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
            t!("content.draft")
        } else {
            t!("content.draft_lacks", keys = crate::i18n::list(&lacks))
        };
        out.push(Diagnostic::warning(rel, 1, 1, message).with_hint(t!("content.draft_hint")));
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
            Diagnostic::error(CONTENT_DIR, 0, 0, t!("content.no_content", dir = content_dir.display()))
                .with_hint(t!("content.no_content_hint")),
        ]));
    }
    // Hidden files and folders (`.git`, editors' `.x.md.swp`) are skipped with their contents.
    let mut listing = fsx::list_in_site(root, &content_dir, true, &|name| {
        markdown_stem(name).is_some() || other_markdown(name) || notepad_markdown(name)
    })?;
    // `.markdown` and the like are Markdown to their author but not pages to zhiku: say so
    // rather than publish them as attachments without a word.
    let (others, pages): (Vec<_>, Vec<_>) = listing
        .files
        .into_iter()
        .partition(|p| p.file_name().is_some_and(|n| markdown_stem(&n.to_string_lossy()).is_none()));
    listing.files = pages;
    for path in others {
        let shown = Path::new(CONTENT_DIR).join(rel_path(&content_dir, &path));
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
        listing.problems.push(if notepad_markdown(&name) {
            // Notepad adds `.txt` to `讲话.md` when "Text documents" is chosen in its dialog.
            Diagnostic::warning(&shown, 1, 1, t!("content.notepad_txt", name = excerpt(&name)))
                .with_hint(t!("content.notepad_txt_hint", fixed = excerpt(stem)))
        } else {
            Diagnostic::warning(&shown, 1, 1, t!("content.other_markdown", name = excerpt(&name)))
                .with_hint(t!("content.other_markdown_hint", fixed = format!("{stem}.md")))
        });
    }
    Ok(listing)
}

/// `讲话.md.txt`, in any case: a page saved by Notepad with `.txt` added.
fn notepad_markdown(file_name: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    lower.len() > ".md.txt".len() && lower.ends_with(".md.txt")
}

/// A file name with another Markdown extension (`.markdown`, `.mdown`, `.mkd`), in any case.
fn other_markdown(file_name: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    [".markdown", ".mdown", ".mkd"].iter().any(|ext| lower.len() > ext.len() && lower.ends_with(ext))
}

/// Reads and parses one file of `content_dir`: its path under `content/` and the page (`None`
/// for a draft left out).
pub fn load_file(content_dir: &Path, path: &Path, config: &Config, include_drafts: bool) -> (String, PageResult) {
    let (rel, page, _) = load_file_partly(content_dir, path, config, include_drafts);
    (rel, page)
}

/// [`load_file`], and for a file with errors the page as far as it could be read (see
/// [`parse_page_partly`]).
pub fn load_file_partly(
    content_dir: &Path,
    path: &Path,
    config: &Config,
    include_drafts: bool,
) -> (String, PageResult, Option<Page>) {
    let rel = rel_path(content_dir, path);
    let (page, partial) = match fsx::read_regular(path, MAX_PAGE_BYTES as u64) {
        Ok(bytes) => parse_page_partly(&rel, &bytes, config),
        Err(e) => (Err(vec![Diagnostic::error(Path::new(CONTENT_DIR).join(&rel), 0, 0, e.to_string())]), None),
    };
    let keep = |p: &Page| include_drafts || !p.meta.draft;
    (rel, page.map(|page| page.filter(keep)), partial.filter(keep))
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
                t!("content.big_page", size = mb(p.body.len()), max = mb(WARN_PAGE_BYTES)),
            )
            .with_hint(t!("content.big_page_hint")),
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
                    t!("content.slug_clash", slug = page.slug, other = other.file.display(), url = page.url),
                )
                .with_hint(t!("content.slug_clash_hint")),
            );
        }
    }
}

/// Parses one file: front matter, body, slug and URL.
pub fn parse_page(rel: &str, bytes: &[u8], config: &Config) -> std::result::Result<Option<Page>, Vec<Diagnostic>> {
    parse_page_partly(rel, bytes, config).0
}

/// [`parse_page`], and with its errors the page as far as it could be read: a front matter with
/// broken lines still gives the keys it holds (at least a title or a body), so the page can be
/// linked and its body checked in the same run.
pub fn parse_page_partly(rel: &str, bytes: &[u8], config: &Config) -> (PageResult, Option<Page>) {
    let file = Path::new(CONTENT_DIR).join(rel);
    if bytes.len() > MAX_PAGE_BYTES {
        let d = Diagnostic::error(&file, 0, 0, t!("content.too_large", max = mb(MAX_PAGE_BYTES)))
            .with_hint(t!("content.too_large_hint"));
        return (Err(vec![d]), None);
    }
    let text = match decode(&file, bytes) {
        Ok(text) => text,
        Err(e) => return (Err(e), None),
    };
    // Reported with the file's other errors.
    let mut errors: Vec<Diagnostic> = stray_controls(&file, &text).into_iter().collect();
    let (yaml, yaml_line, body, body_line, fence_slip) = match split_front_matter(&file, &text) {
        Ok(parts) => parts,
        Err(d) => {
            errors.push(d);
            return (Err(errors), None);
        }
    };
    if let Err(d) = check_front_matter(&file, yaml, yaml_line) {
        errors.push(d);
        return (Err(errors), None);
    }

    let read = crate::front_matter::read(&file, yaml, yaml_line);
    let readable = read.errors.is_empty() || !read.meta.title.trim().is_empty();
    errors.extend(read.errors);
    let mut warnings: Vec<Diagnostic> = fence_slip.into_iter().chain(read.warnings).collect();
    warnings.extend(crate::slips::body(&file, body, body_line));
    let meta = read.meta;
    let key_lines = read.key_lines;

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
        errors.push(Diagnostic::error(&file, 1, 1, t!("content.nested")).with_hint(t!("content.nested_hint")));
    }

    let section_type = config.section(&section).and_then(|s| s.page_type);
    let page_type = meta.page_type.or(section_type).unwrap_or(PageType::Page);
    let key_pos = |key: &str| key_lines.iter().find(|(k, _)| k == key).map_or((yaml_line, 1), |(_, l)| (*l, 1));

    if !read.title_seen {
        errors.push(
            Diagnostic::error(&file, yaml_line.saturating_sub(1), 1, t!("fm.no_title"))
                .with_hint(t!("fm.no_title_hint")),
        );
    } else if meta.title.trim().is_empty() && key_lines.iter().any(|(k, _)| k == "title") {
        let (l, c) = key_pos("title");
        errors.push(Diagnostic::error(&file, l, c, t!("fm.empty_title")).with_hint(t!("fm.empty_title_hint")));
    }
    let date = match &meta.date {
        Some(d) => match Date::parse(d) {
            Some(date) => Some(date),
            None => {
                let (l, c) = key_pos("date");
                errors.push(
                    Diagnostic::error(&file, l, c, t!("fm.bad_date", value = excerpt(d)))
                        .with_hint(t!("fm.bad_date_hint")),
                );
                None
            }
        },
        None => {
            // A draft may lack its date: imported drafts build, and `check` lists what they lack.
            // A date on a broken line is reported there.
            let dated = page_type.needs_date() && kind == PageKind::Regular && !meta.draft;
            // `date:` with nothing after it: read, but empty.
            let written = key_lines.iter().find(|(k, _)| k == "date").map(|(_, l)| *l);
            if let Some(line) = written.filter(|_| dated) {
                errors.push(
                    Diagnostic::error(&file, line, 1, t!("fm.empty_date", kind = type_name(page_type)))
                        .with_hint(t!("fm.needs_date_hint")),
                );
            }
            if dated && written.is_none() && readable {
                errors.push(
                    Diagnostic::error(&file, yaml_line, 1, t!("fm.needs_date", kind = type_name(page_type)))
                        .with_hint(t!("fm.needs_date_hint")),
                );
            }
            None
        }
    };
    if let Some(summary) = &meta.summary {
        let chars = summary.trim().chars().count();
        if chars > MAX_SUMMARY_CHARS {
            let (l, c) = key_pos("summary");
            warnings.push(
                Diagnostic::warning(&file, l, c, t!("fm.long_summary", chars = chars, max = MAX_SUMMARY_CHARS))
                    .with_hint(t!("fm.long_summary_hint", shown = crate::summary::MAX_CHARS)),
            );
        }
    }
    if let Some(u) = meta.updated.as_deref().filter(|u| Date::parse(u).is_none()) {
        let (l, c) = key_pos("updated");
        errors.push(
            Diagnostic::error(&file, l, c, t!("fm.bad_updated", value = excerpt(u))).with_hint(t!("fm.bad_date_hint")),
        );
    }
    if let Some(lang) = meta.lang.as_deref().filter(|l| !is_language_tag(l)) {
        let (l, c) = key_pos("lang");
        errors.push(
            Diagnostic::error(&file, l, c, t!("fm.bad_lang", value = excerpt(lang))).with_hint(t!("fm.bad_lang_hint")),
        );
    }
    if !meta.aliases.is_empty() && kind != PageKind::Topic {
        let (l, c) = key_pos("aliases");
        errors.push(
            Diagnostic::error(&file, l, c, t!("fm.aliases_not_topic")).with_hint(t!("fm.aliases_not_topic_hint")),
        );
    }
    for (key, value) in meta.texts() {
        if let Some((_, c)) = safety::find_stray_control(value) {
            let (l, c0) = key_pos(key);
            errors.push(
                Diagnostic::error(&file, l, c0, t!("fm.control_in_key", key = key, char = safety::char_name(c)))
                    .with_hint(t!("fm.control_in_key_hint")),
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
            Diagnostic::error(&file, l, c, t!("fm.not_web", url = excerpt(url))).with_hint(t!("fm.not_web_hint")),
        );
    }

    let slug = match kind {
        PageKind::SectionIndex => String::new(),
        _ => slugify(stem, config.slug_style),
    };
    if slug.is_empty() && kind != PageKind::SectionIndex {
        errors.push(
            Diagnostic::error(&file, 1, 1, t!("content.empty_slug", name = file_name))
                .with_hint(t!("content.empty_slug_hint")),
        );
    }
    if slug.len() > fsx::MAX_NAME_BYTES {
        errors.push(
            Diagnostic::error(
                &file,
                1,
                1,
                t!(
                    "content.long_slug",
                    bytes = slug.len(),
                    start = slug.chars().take(40).collect::<String>(),
                    max = fsx::MAX_NAME_BYTES
                ),
            )
            .with_hint(t!("content.long_slug_hint")),
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
            Diagnostic::error(&file, 1, 1, t!("content.reserved", slug = slug)).with_hint(t!("content.reserved_hint")),
        );
    }
    let page = Page {
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
        warnings,
    };
    if errors.is_empty() {
        return (Ok(Some(page)), None);
    }
    // A page that keeps a title and an address can stand in the site while its errors are
    // reported; one whose name gives no address cannot.
    let usable = readable && !page.slug.is_empty() || page.kind == PageKind::SectionIndex;
    let usable = usable && page.slug.len() <= fsx::MAX_NAME_BYTES && !page.meta.title.trim().is_empty();
    (Err(errors), usable.then_some(page))
}

/// The type's name in messages: `讲话` in Chinese, `speech` in English.
fn type_name(t: PageType) -> &'static str {
    match crate::i18n::current() {
        crate::i18n::Lang::Zh => t.label(),
        crate::i18n::Lang::En => t.key(),
    }
}

/// A longer `summary` is warned about: lists, search results and the meta description show
/// about [`crate::summary::MAX_CHARS`] characters of it.
pub const MAX_SUMMARY_CHARS: usize = 200;

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
                Diagnostic::error(file, line, column, t!("content.not_utf8", offset = e.valid_up_to()))
                    .with_hint(t!("content.not_utf8_hint")),
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
    let more = if count > 1 { t!("content.control_count", count = count) } else { "".into() };
    Some(
        Diagnostic::error(file, line, column, t!("content.control", char = safety::char_name(c), more = more))
            .with_hint(t!("content.control_hint")),
    )
}

/// (yaml, first yaml line, body, first body line, a warning about the fence lines).
type Split<'a> = (&'a str, usize, &'a str, usize, Option<Diagnostic>);

/// Splits `---\nyaml\n---\nbody`. Fences an input method typed (`———`, `— — —`, `－－－`)
/// are read as `---` with a warning; YAML's own end marker `...` closes the front matter too.
fn split_front_matter<'a>(file: &Path, text: &'a str) -> std::result::Result<Split<'a>, Diagnostic> {
    let first = text.split_inclusive('\n').next().unwrap_or("");
    let opened = first.trim_end() == "---" || dash_fence(first);
    if !opened {
        return Err(Diagnostic::error(file, 1, 1, t!("fm.no_start")).with_hint(t!("fm.no_start_hint")));
    }
    let mut slip = dash_fence(first).then(|| fence_warning(file, 1, first));
    let rest = &text[first.len()..];
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        let fence = line.trim_end();
        if fence == "---" || fence == "..." || dash_fence(line) {
            if dash_fence(line) && slip.is_none() {
                slip = Some(fence_warning(file, i + 2, line));
            }
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let body_line = 2 + yaml.matches('\n').count() + 1;
            return Ok((yaml, 2, body, body_line, slip));
        }
        offset += line.len();
    }
    Err(Diagnostic::error(file, 1, 1, t!("fm.not_closed")).with_hint(t!("fm.not_closed_hint")))
}

/// A line of dashes as a Chinese input method types them: `———`, `— — —`, `－－－`, `——`,
/// (not `---` itself). No YAML line looks like that.
fn dash_fence(line: &str) -> bool {
    let dashes: Vec<char> = line.trim().chars().filter(|c| !c.is_whitespace()).collect();
    let wide = dashes.iter().filter(|&&c| matches!(c, '—' | '－' | '–' | '―' | '━')).count();
    wide > 0 && dashes.len() >= 2 && dashes.iter().all(|&c| matches!(c, '-' | '—' | '－' | '–' | '―' | '━'))
}

fn fence_warning(file: &Path, line: usize, text: &str) -> Diagnostic {
    Diagnostic::warning(file, line, 1, t!("fm.wide_fence", text = excerpt(text.trim())))
        .with_hint(t!("fm.wide_fence_hint"))
}

/// Folders of `content/` holding pages that are not sections of `config.yaml`. Sections
/// follow folders, so such a folder is published as a section of its own, titled by its
/// `_index.md` (a new section on purpose) or by its name. Without an `_index.md`, or named
/// like a configured section (`speech/` for `speeches/`, `讲话/`), it is more likely a slip:
/// one warning per folder, at its first page, with the nearest section.
pub fn folder_warnings(pages: &[Page], config: &Config) -> Vec<Diagnostic> {
    let mut folders: std::collections::BTreeMap<&str, (&Path, usize, bool)> = std::collections::BTreeMap::new();
    for p in pages {
        if p.section.is_empty()
            || p.section == TOPICS_DIR
            || p.section.contains('/')
            || config.section(&p.section).is_some()
        {
            continue;
        }
        let folder = folders.entry(p.section.as_str()).or_insert((&p.file, 0, false));
        match p.kind {
            PageKind::SectionIndex => folder.2 = true,
            _ => {
                folder.1 += 1;
                if p.file < *folder.0 {
                    folder.0 = &p.file;
                }
            }
        }
    }
    let mut out = Vec::new();
    for (dir, (file, count, has_index)) in folders {
        let nearest = nearest_section(dir, config);
        if has_index && nearest.is_none() || count == 0 {
            continue;
        }
        let message = t!("content.folder_not_section", dir = excerpt(dir), count = count);
        // A section's `dir` is ASCII (it is the first part of its URLs): a Chinese folder
        // name is offered in pinyin.
        let ascii = dir.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        let folder = if ascii { dir.to_string() } else { slugify(dir, crate::config::SlugStyle::Pinyin) };
        let hint = match (nearest, ascii) {
            (Some(s), true) => t!("content.folder_nearest", dir = s.dir, title = s.title, folder = excerpt(&folder)),
            (Some(s), false) => {
                t!("content.folder_nearest_renamed", dir = s.dir, title = s.title, folder = excerpt(&folder))
            }
            (None, true) => t!("content.folder_new_section", folder = excerpt(&folder)),
            (None, false) => t!("content.folder_new_section_renamed", folder = excerpt(&folder)),
        };
        out.push(Diagnostic::warning(file, 1, 1, message).with_hint(hint));
    }
    out
}

/// The configured section a folder name is closest to: one whose title or type is the name
/// (`讲话`), else the nearest by edit distance over folder names and titles (by pinyin for
/// Chinese names).
fn nearest_section<'a>(folder: &str, config: &'a Config) -> Option<&'a crate::config::SectionConfig> {
    let exact = config.sections.iter().find(|s| {
        s.title == folder || s.page_type.is_some_and(|t| t.names().iter().any(|n| n.eq_ignore_ascii_case(folder)))
    });
    exact.or_else(|| {
        let names = config.sections.iter().flat_map(|s| [s.dir.as_str(), s.title.as_str()]);
        let best = *crate::suggest::closest(folder, names, 1).first()?;
        config.sections.iter().find(|s| s.dir == best || s.title == best)
    })
}

/// Size, anchors, aliases and nesting, checked before serde_yaml reads the front matter.
fn check_front_matter(file: &Path, yaml: &str, yaml_line: usize) -> std::result::Result<(), Diagnostic> {
    if yaml.len() > MAX_FRONT_MATTER_BYTES {
        return Err(Diagnostic::error(
            file,
            yaml_line,
            1,
            t!("fm.too_large", size = yaml.len() >> 10, max = MAX_FRONT_MATTER_BYTES >> 10),
        )
        .with_hint(t!("fm.too_large_hint")));
    }
    crate::yaml::check(yaml).map_err(|r| {
        let (line, column) = line_col(yaml, r.offset);
        Diagnostic::error(file, yaml_line + line - 1, column, t!("fm.front_matter_refused", message = r.message))
            .with_hint(r.hint)
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
            ("---\ntitle: a\ndate: 2025-13-01\n---\n", 3, "not a valid date", "2025年3月12日"),
            ("---\ntitle: a\ndate: 2025-01-01\ntype: speach\n---\n", 4, "not a page type", "`speech`"),
            ("---\ntitle: a\n", 1, "not closed", "closing `---`"),
            ("title: a\n", 1, "does not start with front matter", "---"),
            ("---\ntitle: a\n---\n", 2, "needs a `date`", "date:"),
            ("---\ntitle: a\ndate: 2025-01-01\ntopics: x: y\n---\n", 4, "holds `: `", "quotes"),
            ("---\ntitle: a\ndate: 2025-01-01\n\tsummary: x\n---\n", 4, "a tab starts the line", "two spaces"),
            ("---\ntitle: a\ndate: 2024年10月12日\ntopics: [甲，乙]\n---\n", 4, "full-width comma", "[甲, 乙]"),
            ("---\ntitle：a\ndate: 2024.10.12\n---\n", 2, "full-width colon", "`title: a`"),
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
        for forgiving in [
            "2024/10/12",
            "2024.10.12",
            "2024年10月12日",
            "2024 年 10 月 12 日",
            "2024-10-12 09:30",
            "2024年10月12号",
            "２０２４－１０－１２",
        ] {
            assert_eq!(Date::parse(forgiving).map(|d| d.iso()).as_deref(), Some("2024-10-12"), "{forgiving}");
        }
        for strict in ["20241012", "2024年10月", "10/12/2024", "2024.13.1", "2024年2月30日"] {
            assert!(Date::parse(strict).is_none(), "{strict}");
        }
    }
}
