//! Rendering: Markdown bodies to HTML and tera templates to pages. Each template gets a small
//! context made for it (never whole sections), so rendering stays linear in the site's size.

use crate::config::Config;
use crate::content::CONTENT_DIR;
use crate::content::{Page, PageKind};
use crate::diagnostic::Diagnostic;
use crate::link::{Links, relative};
use crate::markdown::{self, Document, Glossary, RenderContext};
use crate::paginate;
use crate::registry::{ClashKind, Registry};
use crate::theme::Theme;
use crate::{Error, Result};
use rayon::prelude::*;
use rust_i18n::t;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// One file of the output, path relative to the output folder.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Extra per-page data computed by later stages (search-based related pages).
#[derive(Debug, Clone, Default)]
pub struct Extras {
    pub similar: Vec<Vec<usize>>,
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    /// How many link-preview files there are (`<body data-previews>`, for `zhiku.js`).
    previews: usize,
    title: &'a str,
    description: &'a str,
    /// `<html lang>`: the site's language, or the page's ([`Renderer::lang`]).
    lang: &'a str,
    /// The page's absolute address, when `base_url` is one (canonical link, `og:url`).
    canonical: Option<String>,
    /// Relative prefix to the site root from the current page (`../../`).
    root: String,
    nav: Vec<NavItem>,
    /// Current section dir, for highlighting the navigation.
    current: &'a str,
}

#[derive(Serialize)]
struct NavItem {
    title: String,
    href: String,
    key: String,
}

#[derive(Serialize, Clone)]
struct PageLink {
    title: String,
    href: String,
    type_label: &'static str,
    type_key: &'static str,
    date: String,
    iso_date: String,
    summary: String,
}

#[derive(Serialize)]
struct NamedLink {
    title: String,
    href: String,
    count: usize,
}

#[derive(Serialize)]
struct HeadingCtx<'a> {
    level: u8,
    text: &'a str,
    id: &'a str,
}

#[derive(Serialize)]
struct PageCtx<'a> {
    title: &'a str,
    type_label: &'static str,
    type_key: &'static str,
    date: String,
    iso_date: String,
    speaker: Option<&'a str>,
    organization: Option<&'a str>,
    region: Option<NamedLink>,
    source: Option<&'a str>,
    source_url: Option<&'a str>,
    topics: Vec<NamedLink>,
    summary: String,
    content: String,
    toc: Vec<HeadingCtx<'a>>,
    backlinks: Vec<PageLink>,
    related: Vec<PageLink>,
    similar: Vec<PageLink>,
    prev: Option<PageLink>,
    next: Option<PageLink>,
    section: Option<NamedLink>,
    chars: usize,
    aliases: &'a [String],
    /// Topic pages: the pages on this topic (the first page of them) and how many there are.
    members: Vec<PageLink>,
    member_count: usize,
    /// Topic pages: the topic's Atom feed.
    feed: String,
    url: &'a str,
    /// Files to download: what the page links to, then the rest of its bundle.
    attachments: Vec<AttachmentCtx>,
    /// The page's first picture, for link previews (`og:image`): absolute when `base_url` is
    /// a web address, else relative to the page.
    image: Option<String>,
    /// The knowledge map of the page's neighbourhood (SVG).
    map: Option<String>,
    /// Topic pages: the topic's pages by year (SVG).
    years: Option<String>,
}

#[derive(Serialize)]
struct AttachmentCtx {
    name: String,
    href: String,
    /// `PDF`, `Word`…
    kind: &'static str,
    size: String,
}

/// A theme's templates, compiled once (the preview keeps them between edits).
pub struct Templates {
    tera: tera::Tera,
    /// Hash of the template sources, part of every fingerprint.
    hash: u64,
}

impl Templates {
    pub fn new(theme: &Theme) -> Result<Templates> {
        use std::hash::{Hash, Hasher};
        let mut tera = tera::Tera::default();
        tera.set_escape_fn(markdown::escape_html);
        tera.add_raw_templates(theme.templates.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(tera_error)?;
        let mut h = std::hash::DefaultHasher::new();
        theme.templates.hash(&mut h);
        Ok(Templates { tera, hash: h.finish() })
    }
}

/// Everything rendering needs, borrowed from earlier stages.
pub struct Renderer<'s> {
    pub config: &'s Config,
    pub pages: &'s [Page],
    pub docs: &'s [Document<'s>],
    pub links: &'s Links,
    pub extras: &'s Extras,
    templates: &'s Templates,
    glossary: Option<Glossary>,
    summaries: Vec<String>,
    /// Whether each page is written in traditional characters ([`is_traditional`]).
    traditional: Vec<bool>,
    /// The link graph the knowledge maps are drawn from.
    graph: crate::map::Graph<'s>,
    /// [`crate::preview_data::shards`], computed once.
    pub(crate) preview_shards: usize,
}

/// One HTML file to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Job {
    /// A regular or topic page (by page index).
    Page(usize),
    Home,
    /// Page n (0-based) of a section's list.
    Section(usize, usize),
    TopicIndex,
    /// Page n (0-based) of a topic's list: page 0 only for a topic without its own page (a
    /// topic page renders its first page itself).
    Topic(usize, usize),
    /// The year index.
    Timeline,
    /// Page n (0-based) of one year of the timeline (by index into `Links::years`).
    Year(usize, usize),
    Regions,
    /// Page n (0-based) of a region's list.
    Region(usize, usize),
    NotFound,
    Search,
    /// The site's knowledge map (`map/`).
    Map,
}

/// Every HTML file of the site, as jobs that render one file each; lists take one job per page
/// of `per_page` entries.
pub fn jobs(pages: &[Page], l: &Links, per_page: usize) -> Vec<Job> {
    let mut jobs: Vec<Job> =
        (0..pages.len()).filter(|&i| pages[i].kind != PageKind::SectionIndex).map(Job::Page).collect();
    let paged = |len: usize| 0..paginate::count(len, per_page);
    jobs.push(Job::Home);
    for (s, section) in l.sections.iter().enumerate() {
        jobs.extend(paged(section.members.len()).map(|n| Job::Section(s, n)));
    }
    jobs.push(Job::TopicIndex);
    for (t, topic) in l.topics.iter().enumerate() {
        let first = usize::from(topic.page.is_some());
        jobs.extend(paged(topic.members.len()).skip(first).map(|n| Job::Topic(t, n)));
    }
    jobs.push(Job::Timeline);
    for (y, (_, list)) in l.years.iter().enumerate() {
        jobs.extend(paged(list.len()).map(|n| Job::Year(y, n)));
    }
    jobs.push(Job::Regions);
    for (r, region) in l.regions.iter().enumerate() {
        jobs.extend(paged(region.members.len()).map(|n| Job::Region(r, n)));
    }
    jobs.push(Job::NotFound);
    jobs.push(Job::Search);
    jobs.push(Job::Map);
    jobs
}

/// URL of one year of the timeline.
pub fn year_url(year: u16) -> String {
    format!("timeline/{year}/")
}

/// The output path of a job.
pub fn job_path(pages: &[Page], l: &Links, job: Job) -> String {
    let list = |base: &str, n: usize| format!("{}index.html", paginate::url(base, n));
    match job {
        Job::Page(i) => format!("{}index.html", pages[i].url),
        Job::Home => "index.html".into(),
        Job::Section(s, n) => list(&l.sections[s].url, n),
        Job::TopicIndex => "topics/index.html".into(),
        Job::Topic(t, n) => list(&l.topics[t].url, n),
        Job::Timeline => "timeline/index.html".into(),
        Job::Year(y, n) => list(&year_url(l.years[y].0), n),
        Job::Regions => "regions/index.html".into(),
        Job::Region(r, n) => list(&l.regions[r].url, n),
        Job::NotFound => "404.html".into(),
        Job::Search => "search/index.html".into(),
        Job::Map => "map/index.html".into(),
    }
}

/// What makes one output file, for the [`Registry`] of output paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Maker {
    Job(Job),
    /// The site's Atom feed (`None`) or a topic's.
    Feed(Option<usize>),
    Sitemap,
    Robots,
    /// A theme's static file, by its name under `static/`.
    Static(String),
    Highlight,
    /// A file of link previews (`previews/<n>.js`).
    Previews(usize),
    /// A picture, resized copy or attachment, by the file it comes from.
    Asset(PathBuf),
}

const SITEMAP: &str = "sitemap.xml";
const ROBOTS: &str = "robots.txt";
const FEED: &str = "atom.xml";
const HIGHLIGHT_CSS: &str = "static/highlight.css";

/// Every file a build writes but the search export's, with what makes it: HTML files, feeds,
/// sitemap, robots.txt and static files. (The export writes only under `search/`, in names
/// with an extension, which no page can have; the search page owns `search/index.html`, so any
/// content under `content/search/` already clashes there.)
pub fn outputs(pages: &[Page], links: &Links, config: &Config, theme: &Theme) -> Registry<Maker> {
    let jobs = jobs(pages, links, config.paginate);
    let mut r = Registry::with_capacity(jobs.len() + links.topics.len() + theme.statics.len() + 5);
    for job in jobs {
        r.add(job_path(pages, links, job), Maker::Job(job));
    }
    r.add(SITEMAP, Maker::Sitemap);
    r.add(FEED, Maker::Feed(None));
    for (t, topic) in links.topics.iter().enumerate() {
        r.add(format!("{}{FEED}", topic.url), Maker::Feed(Some(t)));
    }
    r.add(ROBOTS, Maker::Robots);
    for name in theme.statics.keys() {
        r.add(format!("static/{name}"), Maker::Static(name.clone()));
    }
    r.add(HIGHLIGHT_CSS, Maker::Highlight);
    for n in 0..crate::preview_data::shards(pages, links) {
        r.add(crate::preview_data::shard_path(n), Maker::Previews(n));
    }
    for a in &links.assets.list {
        let urls = a.picture.as_ref().map_or_else(
            || vec![a.url.clone()],
            |p| p.original.then(|| a.url.clone()).into_iter().chain(p.variants.iter().map(|v| v.url.clone())).collect(),
        );
        for url in urls {
            r.add(url, Maker::Asset(a.file.clone()));
        }
    }
    r
}

/// Errors for output paths claimed twice ([`outputs`]): each names both owners, at the content
/// file (and line) that makes one of them where there is one.
pub fn check_outputs(pages: &[Page], links: &Links, config: &Config, theme: &Theme) -> Vec<Diagnostic> {
    let registry = outputs(pages, links, config, theme);
    let owner = |m: &Maker| Owner::of(m, pages, links, config);
    registry
        .clashes()
        .into_iter()
        .map(|c| {
            let (a, b) = (owner(c.first.1), owner(c.second.1));
            let url = |p: &str| format!("/{}", p.strip_suffix("index.html").unwrap_or(p));
            let message = match c.kind {
                ClashKind::SamePath => t!("render.clash_same", url = url(c.first.0), a = a.what, b = b.what),
                ClashKind::CaseOnly => {
                    t!("render.clash_case", url = url(c.first.0), a = a.what, other = url(c.second.0), b = b.what)
                }
                ClashKind::FileAndFolder => {
                    t!("render.clash_file_folder", path = c.first.0, a = a.what, b = b.what, url = url(c.second.0))
                }
            };
            // The place to fix: a content file that owns a path, else what asked for a page.
            let (fix, other) = if a.content || (!b.content && a.place.is_some()) { (a, b) } else { (b, a) };
            let (file, line) =
                fix.place.clone().or(other.place.clone()).unwrap_or_else(|| (PathBuf::from(CONTENT_DIR), 0));
            let hint = match (fix.content, other.content) {
                (true, true) => t!("render.clash_fix_both"),
                (true, false) => t!("render.clash_fix_content", file = file.display(), what = other.what),
                _ => t!("render.clash_fix", fix = fix.fix),
            };
            let mut d = Diagnostic::error(file, line, usize::from(line > 0), message).with_hint(hint);
            // A content file is named in the message already; what asked for a page is not.
            if let Some((f, l)) = other.place.filter(|_| fix.place.is_some() && !other.content) {
                let place = if l > 0 { format!("{}:{l}", f.display()) } else { f.display().to_string() };
                d.message.push_str(&t!("render.see", place = place));
            }
            d
        })
        .collect()
}

/// An output's owner as a clash error names it.
struct Owner {
    /// "`content/regions/bei-jing.md`", "the region page made for `region: 北京`".
    what: String,
    /// The file (and line) that makes it or asks for it.
    place: Option<(PathBuf, usize)>,
    /// Whether it is a content file's own page (which a rename or move fixes).
    content: bool,
    /// How to give up the path, when it is not a content file's own page.
    fix: String,
}

impl Owner {
    fn of(maker: &Maker, pages: &[Page], l: &Links, config: &Config) -> Owner {
        let file = |i: usize, key: &str| {
            Some((pages[i].file.clone(), if key.is_empty() { 1 } else { pages[i].key_line(key) }))
        };
        let generated = |what: String, place: Option<(PathBuf, usize)>, fix: &str| Owner {
            what,
            place,
            content: false,
            fix: fix.to_string(),
        };
        let fixed_text = t!("render.fixed");
        let fixed = &*fixed_text;
        // The first page (by path) naming topic `t` in its front matter.
        let topic_cause = |t: usize| {
            let title = crate::fold::fold(l.topics[t].title.trim());
            let named = |p: &Page| p.meta.topics.iter().any(|n| crate::fold::fold(n.trim()) == title);
            pages.iter().position(named).and_then(|i| file(i, "topics"))
        };
        if let Some(i) = Owner::content_page(maker, l) {
            let what = format!("`{}`", pages[i].file.display());
            return Owner { what, place: file(i, ""), content: true, fix: String::new() };
        }
        match maker {
            Maker::Job(Job::Section(s, n)) => {
                let section = &l.sections[*s];
                let first = section.members.iter().copied().min_by(|&a, &b| pages[a].file.cmp(&pages[b].file));
                generated(
                    format!("{}{}", page_of(*n), t!("render.section_list", dir = section.dir)),
                    first.and_then(|i| file(i, "")),
                    &t!("render.section_fix", dir = section.dir),
                )
            }
            Maker::Job(Job::Topic(t, _)) | Maker::Feed(Some(t)) => {
                let topic = &l.topics[*t];
                let what = match maker {
                    Maker::Feed(_) => t!("render.topic_feed", title = topic.title).into_owned(),
                    Maker::Job(Job::Topic(_, n)) => {
                        format!("{}{}", page_of(*n), t!("render.topic_page", title = topic.title))
                    }
                    _ => t!("render.topic_page", title = topic.title).into_owned(),
                };
                let place = match topic.page {
                    Some(i) => file(i, ""),
                    None => topic_cause(*t),
                };
                generated(what, place, &t!("render.topic_fix"))
            }
            Maker::Job(Job::Region(r, n)) => {
                let region = &l.regions[*r];
                let first = region.members.iter().copied().min_by(|&a, &b| pages[a].file.cmp(&pages[b].file));
                generated(
                    format!("{}{}", page_of(*n), t!("render.region_page", name = region.name)),
                    first.and_then(|i| file(i, "region")),
                    &t!("render.region_fix"),
                )
            }
            Maker::Job(Job::Home) => generated(t!("render.home").into(), l.home.and_then(|i| file(i, "")), fixed),
            Maker::Job(job) => {
                let what = match job {
                    Job::TopicIndex => t!("render.topic_index"),
                    Job::Timeline | Job::Year(..) => t!("render.timeline"),
                    Job::Regions => t!("render.region_index"),
                    Job::NotFound => t!("render.not_found"),
                    Job::Map => t!("render.map"),
                    _ => t!("render.search_page"),
                };
                generated(what.into(), None, fixed)
            }
            Maker::Feed(None) => generated(t!("render.site_feed").into(), None, fixed),
            Maker::Sitemap => generated(t!("render.sitemap").into(), None, fixed),
            Maker::Robots => generated("robots.txt".into(), None, fixed),
            Maker::Highlight => generated(t!("render.highlight").into(), None, fixed),
            Maker::Previews(_) => generated(t!("render.previews").into(), None, fixed),
            Maker::Asset(file) => Owner {
                what: t!("render.the_file", file = file.display()).into_owned(),
                place: Some((file.clone(), 0)),
                content: true,
                fix: String::new(),
            },
            Maker::Static(name) => {
                let path = PathBuf::from("themes").join(&config.theme).join("static").join(name);
                generated(
                    t!("render.theme_static", path = path.display()).into_owned(),
                    Some((path, 0)),
                    &t!("render.theme_static_fix"),
                )
            }
        }
    }

    /// The content file whose own page a maker renders: a page, or a section's `_index.md`.
    fn content_page(maker: &Maker, l: &Links) -> Option<usize> {
        match maker {
            Maker::Job(Job::Page(i)) => Some(*i),
            Maker::Job(Job::Section(s, 0)) => l.sections[*s].index_page,
            _ => None,
        }
    }
}

/// "page 2 of " for a list's later pages, in clash messages.
fn page_of(n: usize) -> String {
    if n == 0 { String::new() } else { t!("render.page_of", n = n + 1).into_owned() }
}

fn tera_error(e: tera::Error) -> Error {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    Error::Template(msg)
}

/// Whether a text is written in traditional characters: at least one Han character in four has
/// a simplified form. Measured on the generated 10k corpus, whose simplified pages quote
/// traditional names and phrases: simplified pages 0–19%, traditional ones 37–44%; the
/// repository's traditional commentary 33%. Title and body, one pass.
pub fn is_traditional(title: &str, body: &str) -> bool {
    let (mut han, mut differ) = (0usize, 0usize);
    for c in title.chars().chain(body.chars()).filter(|&c| crate::fold::is_han(c)) {
        han += 1;
        differ += usize::from(crate::fold::to_simplified(c) != c);
    }
    differ >= 2 && differ * 4 >= han
}

/// Summary for lists: the front matter's, else the first paragraph of substance, cut to
/// `max` characters (see [`crate::summary`]).
fn summary(page: &Page, doc: &Document, max: usize) -> String {
    crate::summary::of(page.meta.summary.as_deref(), &doc.first_paragraph, max)
}

impl<'s> Renderer<'s> {
    pub fn new(
        templates: &'s Templates,
        config: &'s Config,
        pages: &'s [Page],
        docs: &'s [Document<'s>],
        links: &'s Links,
        extras: &'s Extras,
    ) -> Result<Self> {
        let glossary = if config.topics.glossary_links {
            let terms: Vec<(String, usize)> = links
                .topics
                .iter()
                .enumerate()
                .flat_map(|(i, t)| {
                    std::iter::once((t.title.clone(), i)).chain(t.aliases.iter().map(move |a| (a.clone(), i)))
                })
                .collect();
            Glossary::new(&terms, config.topics.min_term_chars)
        } else {
            None
        };
        let summaries = pages.par_iter().zip(docs).map(|(p, d)| summary(p, d, 110)).collect();
        let traditional = pages.par_iter().map(|p| is_traditional(&p.meta.title, &p.body)).collect();
        let preview_shards = crate::preview_data::shards(pages, links);
        let graph = crate::map::Graph::new(pages, links);
        Ok(Renderer {
            config,
            pages,
            docs,
            links,
            extras,
            templates,
            glossary,
            summaries,
            traditional,
            preview_shards,
            graph,
        })
    }

    fn site(&self, url: &str, current: &'s str) -> SiteCtx<'s> {
        let mut nav: Vec<NavItem> = self
            .links
            .sections
            .iter()
            .map(|s| NavItem { title: s.title.clone(), href: relative(url, &s.url), key: s.dir.clone() })
            .collect();
        for (title, target, key) in
            [("专题", "topics/", "topics"), ("时间线", "timeline/", "timeline"), ("地图", "map/", "map")]
        {
            nav.push(NavItem { title: title.into(), href: relative(url, target), key: key.into() });
        }
        SiteCtx {
            previews: self.preview_shards,
            title: &self.config.title,
            description: &self.config.description,
            lang: &self.config.language,
            canonical: self.config.base_url.contains("://").then(|| absolute(self.config, url)),
            root: crate::link::root_prefix(url),
            nav,
            current,
        }
    }

    fn page_link(&self, from_url: &str, i: usize) -> PageLink {
        let p = &self.pages[i];
        PageLink {
            title: p.meta.title.clone(),
            href: relative(from_url, &p.url),
            type_label: self.type_of(i).0,
            type_key: self.type_of(i).1,
            date: p.date.map(|d| d.chinese()).unwrap_or_default(),
            iso_date: p.date.map(|d| d.iso()).unwrap_or_default(),
            summary: self.summaries[i].clone(),
        }
    }

    /// Page `i`'s summary as lists show it.
    pub(crate) fn summary_of(&self, i: usize) -> &str {
        &self.summaries[i]
    }

    /// Label and key of a page's type as readers see it: a topic's own page is a 专题
    /// everywhere (lists, search, its page), not a 页面.
    pub(crate) fn type_of(&self, i: usize) -> (&'static str, &'static str) {
        match self.links.page_topic[i] {
            Some(_) => ("专题", "topic"),
            None => (self.pages[i].page_type.label(), self.pages[i].page_type.key()),
        }
    }

    /// The language of page `i`: its front matter's `lang`, else `zh-Hant` for a page written
    /// in traditional characters on a site whose language is simplified Chinese, else the site's.
    fn lang(&self, i: usize) -> &str {
        let p = &self.pages[i];
        if let Some(lang) = p.meta.lang.as_deref() {
            return lang;
        }
        let site = self.config.language.as_str();
        let simplified_site = site.eq_ignore_ascii_case("zh")
            || ["zh-cn", "zh-hans", "zh-sg"].iter().any(|t| site.to_ascii_lowercase().starts_with(t));
        if simplified_site && self.traditional[i] { "zh-Hant" } else { site }
    }

    fn links_from(&self, from_url: &str, list: &[usize]) -> Vec<PageLink> {
        list.iter().map(|&i| self.page_link(from_url, i)).collect()
    }

    fn topic_links(&self, from_url: &str, topics: &[usize]) -> Vec<NamedLink> {
        topics
            .iter()
            .map(|&t| {
                let topic = &self.links.topics[t];
                NamedLink {
                    title: topic.title.clone(),
                    href: relative(from_url, &topic.url),
                    count: topic.members.len(),
                }
            })
            .collect()
    }

    /// Renders `template` to bytes (tera's own `render` re-validates the whole page as UTF-8).
    fn render(&self, template: &str, context: &tera::Context) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(64 * 1024);
        self.templates.tera.render_to(template, context, &mut out).map_err(tera_error)?;
        Ok(out)
    }

    /// The body HTML of page `i`, with links resolved and glossary terms linked.
    pub fn body_html(&self, i: usize) -> String {
        let resolve = |t: &markdown::LinkTarget| self.links.resolve(i, t);
        let url = &self.pages[i].url;
        let topic_href = |t: usize| {
            let topic = &self.links.topics[t];
            (relative(url, &topic.url), topic.title.clone())
        };
        let self_topic = self.links.page_topic[i];
        let ctx =
            RenderContext { resolve: &resolve, glossary: self.glossary.as_ref(), topic_href: &topic_href, self_topic };
        let html = if self.docs[i].events_released() {
            let page = &self.pages[i];
            markdown::render(&markdown::parse(&page.body, page.body_line), &ctx).html
        } else {
            markdown::render(&self.docs[i], &ctx).html
        };
        cut_marks_as_notes(html)
    }

    /// Renders one content page (regular, topic, or section/home index handled elsewhere).
    pub fn render_page(&self, i: usize) -> Result<OutputFile> {
        let p = &self.pages[i];
        let url = p.url.as_str();
        let l = self.links;
        let topic = l.page_topic[i].map(|t| &l.topics[t]);
        // Each page is listed once below the text: an explicit related page, else a page linking
        // here, else one with similar text. The home page links everywhere and says nothing.
        let related = &l.related[i];
        let backlinks: Vec<usize> =
            l.backlinks[i].iter().copied().filter(|&j| Some(j) != l.home && !related.contains(&j)).collect();
        let similar: Vec<usize> = self
            .extras
            .similar
            .get(i)
            .map(|s| s.iter().copied().filter(|j| !related.contains(j) && !backlinks.contains(j)).collect())
            .unwrap_or_default();
        let local = self.graph.local(i);
        let page = PageCtx {
            title: &p.meta.title,
            type_label: self.type_of(i).0,
            type_key: self.type_of(i).1,
            date: p.date.map(|d| d.chinese()).unwrap_or_default(),
            iso_date: p.date.map(|d| d.iso()).unwrap_or_default(),
            speaker: p.meta.speaker.as_deref(),
            organization: p.meta.organization.as_deref(),
            region: l.page_region[i].map(|r| {
                let r = &l.regions[r];
                NamedLink { title: r.name.clone(), href: relative(url, &r.url), count: r.members.len() }
            }),
            source: p.meta.source.as_deref(),
            source_url: p.meta.source_url.as_deref(),
            topics: self.topic_links(url, &l.page_topics[i]),
            summary: self.summaries[i].clone(),
            content: self.body_html(i),
            toc: self.docs[i]
                .headings
                .iter()
                .filter(|h| h.level <= 4)
                .map(|h| HeadingCtx { level: h.level, text: &h.text, id: &h.id })
                .collect(),
            backlinks: self.links_from(url, &backlinks),
            related: self.links_from(url, related),
            similar: self.links_from(url, &similar),
            prev: l.prev[i].map(|j| self.page_link(url, j)),
            next: l.next[i].map(|j| self.page_link(url, j)),
            section: l.page_section[i].map(|s| {
                let s = &l.sections[s];
                NamedLink { title: s.title.clone(), href: relative(url, &s.url), count: s.members.len() }
            }),
            chars: self.docs[i].chars,
            aliases: &p.meta.aliases,
            members: topic.map(|t| self.links_from(url, self.slice(&t.members, 0))).unwrap_or_default(),
            member_count: topic.map_or(0, |t| t.members.len()),
            feed: topic.map(|t| relative(url, &format!("{}{FEED}", t.url))).unwrap_or_default(),
            url,
            attachments: self.attachments(i),
            map: self.graph.local_svg(i, &local),
            years: topic.and_then(|_| l.page_topic[i]).and_then(|t| self.graph.topic_years_svg(t)),
            image: self.links.image_url(i, None).map(|rel| {
                if self.config.base_url.contains("://") {
                    let asset = &l.assets.list[l.page_image[i].unwrap_or_default()];
                    absolute(self.config, asset.picture.as_ref().map_or(asset.url.as_str(), |p| p.src(asset)))
                } else {
                    rel
                }
            }),
        };
        let mut site = self.site(url, if topic.is_some() { "topics" } else { &p.section });
        site.lang = self.lang(i);
        let mut ctx = tera::Context::new();
        ctx.insert("site", &site);
        ctx.insert("page", &page);
        if let Some(t) = topic {
            ctx.insert("pager", &self.pager(&t.url, 0, t.members.len()));
        }
        let template = if topic.is_some() { "topic.html" } else { "page.html" };
        Ok(OutputFile { path: format!("{url}index.html"), bytes: self.render(template, &ctx)? })
    }

    fn attachments(&self, i: usize) -> Vec<AttachmentCtx> {
        let assets = &self.links.assets;
        self.links.page_attachments[i]
            .iter()
            .map(|&a| {
                let a = &assets.list[a];
                AttachmentCtx {
                    name: a.name().to_string(),
                    href: self.links.href(i, &a.url),
                    kind: match a.kind {
                        crate::assets::Kind::Attachment(k) => k,
                        _ => "文件",
                    },
                    size: crate::assets::human_size(a.len),
                }
            })
            .collect()
    }

    /// Every HTML file of the site, as jobs that render one file each.
    pub fn jobs(&self) -> Vec<Job> {
        jobs(self.pages, self.links, self.config.paginate)
    }

    /// The entries of page `n` of a list.
    fn slice<'l>(&self, list: &'l [usize], n: usize) -> &'l [usize] {
        paginate::slice(list, n, self.config.paginate)
    }

    /// The pager of page `n` of the list of `len` entries at `base`.
    fn pager(&self, base: &str, n: usize, len: usize) -> Option<paginate::Pager> {
        paginate::pager(base, n, paginate::count(len, self.config.paginate))
    }

    /// The output path of a job.
    pub fn path(&self, job: Job) -> String {
        job_path(self.pages, self.links, job)
    }

    pub fn render_job(&self, job: Job) -> Result<OutputFile> {
        match job {
            Job::Page(i) => self.render_page(i),
            Job::Home => self.render_home(),
            Job::Section(s, n) => self.render_section(s, n),
            Job::TopicIndex => self.render_topic_index(),
            Job::Topic(t, n) => self.render_topic_list(t, n),
            Job::Timeline => self.render_timeline(),
            Job::Year(y, n) => self.render_year(y, n),
            Job::Regions => self.render_region_index(),
            Job::Region(r, n) => self.render_region(r, n),
            Job::NotFound => self.render_404(),
            Job::Search => self.render_search(),
            Job::Map => self.render_map(),
        }
    }

    /// Renders every HTML page in parallel into `sink`; returns their paths, sorted.
    pub fn render_all(&self, sink: &dyn crate::output::Sink) -> Result<Vec<String>> {
        let mut paths: Vec<String> = self
            .jobs()
            .into_par_iter()
            .map(|job| {
                let file = self.render_job(job)?;
                let path = file.path.clone();
                sink.put(file)?;
                Ok(path)
            })
            .collect::<Result<_>>()?;
        paths.sort();
        Ok(paths)
    }

    /// A hash of everything job's file is made from (the page's source, the titles, dates
    /// and summaries of the pages it lists, the site's configuration, navigation, glossary
    /// and templates): equal fingerprints give equal files, so the preview re-renders only
    /// the files whose fingerprint changed. Much cheaper than rendering.
    /// `sources` holds [`source_hash`] of every page.
    pub fn fingerprints(&self, sources: &[u64]) -> Vec<(Job, String, u64)> {
        use std::hash::{Hash, Hasher};
        let l = self.links;
        // What a list shows of a page: with and without its summary.
        let (cards, bare_cards): (Vec<u64>, Vec<u64>) = (0..self.pages.len())
            .into_par_iter()
            .map(|j| {
                let p = &self.pages[j];
                let mut h = std::hash::DefaultHasher::new();
                (&p.meta.title, &p.url, p.page_type.key(), p.date.map(|d| (d.year, d.month, d.day))).hash(&mut h);
                let bare = h.finish();
                self.summaries[j].hash(&mut h);
                (h.finish(), bare)
            })
            .unzip();
        let mut seed = std::hash::DefaultHasher::new();
        self.templates.hash.hash(&mut seed);
        self.preview_shards.hash(&mut seed);
        format!("{:?}", self.config).hash(&mut seed);
        for s in &l.sections {
            (&s.title, &s.url, &s.dir).hash(&mut seed);
        }
        for t in &l.topics {
            (&t.title, &t.url, &t.aliases, t.page).hash(&mut seed);
        }
        let seed = seed.finish();
        // A page's own source and what its body's links resolve to.
        let source = |h: &mut std::hash::DefaultHasher, i: usize| {
            sources[i].hash(h);
            for link in self.docs[i].links.iter().chain(&self.docs[i].images) {
                l.resolve(i, &link.target).hash(h);
            }
            for &a in &l.page_attachments[i] {
                (&l.assets.list[a].url, l.assets.list[a].len).hash(h);
            }
        };
        let list = |h: &mut std::hash::DefaultHasher, list: &[usize]| {
            list.len().hash(h);
            for &j in list {
                cards[j].hash(h);
            }
        };
        let named =
            |h: &mut std::hash::DefaultHasher, title: &str, url: &str, count: usize| (title, url, count).hash(h);
        self.jobs()
            .into_par_iter()
            .map(|job| {
                let mut h = std::hash::DefaultHasher::new();
                seed.hash(&mut h);
                format!("{job:?}").hash(&mut h);
                match job {
                    Job::Page(i) => {
                        source(&mut h, i);
                        self.summaries[i].hash(&mut h);
                        if let Some(r) = l.page_region[i] {
                            named(&mut h, &l.regions[r].name, &l.regions[r].url, l.regions[r].members.len());
                        }
                        for &t in &l.page_topics[i] {
                            named(&mut h, &l.topics[t].title, &l.topics[t].url, l.topics[t].members.len());
                        }
                        if let Some(s) = l.page_section[i] {
                            named(&mut h, &l.sections[s].title, &l.sections[s].url, l.sections[s].members.len());
                        }
                        list(&mut h, &l.backlinks[i]);
                        list(&mut h, &l.related[i]);
                        list(&mut h, self.extras.similar.get(i).map_or(&[][..], |v| &v[..]));
                        list(&mut h, &l.prev[i].into_iter().chain(l.next[i]).collect::<Vec<_>>());
                        (l.prev[i].is_some(), l.next[i].is_some()).hash(&mut h);
                        if let Some(t) = l.page_topic[i] {
                            l.topics[t].members.len().hash(&mut h);
                            list(&mut h, self.slice(&l.topics[t].members, 0));
                            self.graph.topic_years(t).hash(&mut h);
                        }
                        self.map_print(&mut h, i);
                    }
                    Job::Home => {
                        if let Some(i) = l.home {
                            source(&mut h, i);
                        }
                        for (y, v) in &l.years {
                            (y, v.len()).hash(&mut h);
                        }
                        list(&mut h, &l.years.iter().flat_map(|(_, v)| v.iter().copied()).take(8).collect::<Vec<_>>());
                        for s in &l.sections {
                            s.members.len().hash(&mut h);
                        }
                        for t in &l.topics {
                            t.members.len().hash(&mut h);
                        }
                        self.pages
                            .iter()
                            .filter(|p| p.kind == PageKind::Regular && p.page_type != crate::content::PageType::Page)
                            .count()
                            .hash(&mut h);
                    }
                    Job::Section(s, n) => {
                        if let Some(i) = l.sections[s].index_page.filter(|_| n == 0) {
                            source(&mut h, i);
                        }
                        l.sections[s].members.len().hash(&mut h);
                        list(&mut h, self.slice(&l.sections[s].members, n));
                    }
                    Job::TopicIndex => {
                        if let Some(i) = self.topic_index_page() {
                            source(&mut h, i);
                        }
                        for t in &l.topics {
                            t.members.len().hash(&mut h);
                            t.page.map(|i| &self.summaries[i]).hash(&mut h);
                        }
                    }
                    Job::Topic(t, n) => {
                        if n == 0 {
                            self.graph.topic_years(t).hash(&mut h);
                        }
                        l.topics[t].members.len().hash(&mut h);
                        list(&mut h, self.slice(&l.topics[t].members, n));
                    }
                    Job::Timeline => {
                        for (y, v) in &l.years {
                            (y, v.len()).hash(&mut h);
                        }
                    }
                    Job::Year(y, n) => {
                        for (y, v) in &l.years {
                            (y, v.len()).hash(&mut h);
                        }
                        self.slice(&l.years[y].1, n).iter().for_each(|&j| bare_cards[j].hash(&mut h));
                    }
                    Job::Regions => {
                        for r in &l.regions {
                            named(&mut h, &r.name, &r.url, r.members.len());
                        }
                    }
                    Job::Region(r, n) => {
                        named(&mut h, &l.regions[r].name, &l.regions[r].url, l.regions[r].members.len());
                        list(&mut h, self.slice(&l.regions[r].members, n));
                    }
                    Job::Map => crate::map::site_map(l).hash(&mut h),
                    Job::NotFound | Job::Search => {}
                }
                (job, self.path(job), h.finish())
            })
            .collect()
    }

    /// What page `i`'s knowledge map shows: its nodes' titles, URLs and types.
    fn map_print(&self, h: &mut std::hash::DefaultHasher, i: usize) {
        use std::hash::Hash;
        let local = self.graph.local(i);
        local.hash(h);
        let nodes = local.ring1.iter().chain(local.ring2.iter().map(|(n, _)| n));
        for &n in std::iter::once(&crate::map::Node::Page(i)).chain(nodes) {
            (self.graph.title(n), self.graph.url(n), self.graph.kind(n)).hash(h);
        }
    }

    /// `content/topics/_index.md`, if any, introduces the topic index.
    fn topic_index_page(&self) -> Option<usize> {
        self.pages.iter().position(|p| p.kind == PageKind::SectionIndex && p.section == crate::content::TOPICS_DIR)
    }

    fn intro(&self, index: Option<usize>) -> (String, String) {
        match index {
            Some(i) => (self.body_html(i), self.pages[i].meta.summary.clone().unwrap_or_default()),
            None => (String::new(), String::new()),
        }
    }

    fn render_home(&self) -> Result<OutputFile> {
        let url = "";
        let l = self.links;
        let mut latest: Vec<usize> = l.years.iter().flat_map(|(_, v)| v.iter().copied()).take(8).collect();
        latest.truncate(8);
        let sections: Vec<NamedLink> = l
            .sections
            .iter()
            .map(|s| NamedLink { title: s.title.clone(), href: relative(url, &s.url), count: s.members.len() })
            .collect();
        let mut topics: Vec<usize> = (0..l.topics.len()).collect();
        topics.sort_by(|&a, &b| {
            l.topics[b].members.len().cmp(&l.topics[a].members.len()).then(l.topics[a].title.cmp(&l.topics[b].title))
        });
        let (intro, _) = self.intro(l.home);
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.site(url, ""));
        ctx.insert("intro", &intro);
        ctx.insert("latest", &self.links_from(url, &latest));
        ctx.insert("sections", &sections);
        ctx.insert("topics", &self.topic_links(url, &topics));
        ctx.insert(
            "page_count",
            &self
                .pages
                .iter()
                .filter(|p| p.kind == PageKind::Regular && p.page_type != crate::content::PageType::Page)
                .count(),
        );
        ctx.insert(
            "years",
            &l.years
                .iter()
                .map(|(y, v)| NamedLink { title: y.to_string(), href: year_url(*y), count: v.len() })
                .collect::<Vec<_>>(),
        );
        Ok(OutputFile { path: "index.html".into(), bytes: self.render("home.html", &ctx)? })
    }

    /// Page `n` of a section's list; the introduction shows on the first page only.
    fn render_section(&self, s: usize, n: usize) -> Result<OutputFile> {
        let section = &self.links.sections[s];
        let url = paginate::url(&section.url, n);
        let (intro, description) = if n == 0 { self.intro(section.index_page) } else { Default::default() };
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.site(&url, &section.dir));
        ctx.insert("title", &section.title);
        ctx.insert("description", &description);
        ctx.insert("intro", &intro);
        ctx.insert("total", &section.members.len());
        ctx.insert("pages", &self.links_from(&url, self.slice(&section.members, n)));
        ctx.insert("pager", &self.pager(&section.url, n, section.members.len()));
        Ok(OutputFile { path: format!("{url}index.html"), bytes: self.render("section.html", &ctx)? })
    }

    fn render_topic_index(&self) -> Result<OutputFile> {
        let url = "topics/";
        #[derive(Serialize)]
        struct TopicEntry {
            title: String,
            href: String,
            count: usize,
            summary: String,
            aliases: Vec<String>,
        }
        let mut entries: Vec<TopicEntry> = self
            .links
            .topics
            .iter()
            .map(|t| TopicEntry {
                title: t.title.clone(),
                href: relative(url, &t.url),
                count: t.members.len(),
                summary: t.page.map(|i| self.summaries[i].clone()).unwrap_or_default(),
                aliases: t.aliases.clone(),
            })
            .collect();
        entries.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.title.cmp(&b.title)));
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.site(url, "topics"));
        ctx.insert("topics", &entries);
        ctx.insert("intro", &self.intro(self.topic_index_page()).0);
        Ok(OutputFile { path: "topics/index.html".into(), bytes: self.render("topics.html", &ctx)? })
    }

    /// Page `n` of a topic's list: the whole page of a topic without its own page, or a later
    /// page of any topic's list (the definition shows on the first page only).
    fn render_topic_list(&self, t: usize, n: usize) -> Result<OutputFile> {
        let topic = &self.links.topics[t];
        let url = paginate::url(&topic.url, n);
        let page = serde_json::json!({
            "title": topic.title, "type_label": "专题", "type_key": "topic", "content": "", "toc": [],
            "topics": [], "backlinks": [], "related": [], "similar": [], "aliases": [], "summary": "",
            "members": self.links_from(&url, self.slice(&topic.members, n)), "member_count": topic.members.len(),
            "feed": relative(&url, &format!("{}{FEED}", topic.url)), "url": url,
            "generated": topic.page.is_none() && n == 0,
            "years": if n == 0 { self.graph.topic_years_svg(t) } else { None },
        });
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.site(&url, "topics"));
        ctx.insert("page", &page);
        ctx.insert("pager", &self.pager(&topic.url, n, topic.members.len()));
        Ok(OutputFile { path: format!("{url}index.html"), bytes: self.render("topic.html", &ctx)? })
    }

    /// Every year with its page count, linking to `timeline/<year>/`, from `from_url`.
    fn year_links(&self, from_url: &str) -> Vec<NamedLink> {
        let year = |(y, v): &(u16, Vec<usize>)| NamedLink {
            title: y.to_string(),
            href: relative(from_url, &year_url(*y)),
            count: v.len(),
        };
        self.links.years.iter().map(year).collect()
    }

    /// The year index: every year with its count.
    fn render_timeline(&self) -> Result<OutputFile> {
        let url = "timeline/";
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.site(url, "timeline"));
        ctx.insert("years", &self.year_links(url));
        ctx.insert("total", &self.links.years.iter().map(|(_, v)| v.len()).sum::<usize>());
        ctx.insert("year", &serde_json::Value::Null);
        Ok(OutputFile { path: "timeline/index.html".into(), bytes: self.render("timeline.html", &ctx)? })
    }

    /// Page `n` of one year of the timeline. Entries carry title, date and type, no summary:
    /// a summary edit then re-renders it in the preview only if a date or title changed.
    fn render_year(&self, y: usize, n: usize) -> Result<OutputFile> {
        let (year, list) = &self.links.years[y];
        let base = year_url(*year);
        let url = paginate::url(&base, n);
        let entry = |i: usize| PageLink { summary: String::new(), ..self.page_link(&url, i) };
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.site(&url, "timeline"));
        ctx.insert("years", &self.year_links(&url));
        ctx.insert(
            "year",
            &serde_json::json!({ "year": year, "count": list.len(),
                "pages": self.slice(list, n).iter().map(|&i| entry(i)).collect::<Vec<_>>() }),
        );
        ctx.insert("pager", &self.pager(&base, n, list.len()));
        Ok(OutputFile { path: format!("{url}index.html"), bytes: self.render("timeline.html", &ctx)? })
    }

    fn render_region_index(&self) -> Result<OutputFile> {
        let url = "regions/";
        let all: Vec<NamedLink> = self
            .links
            .regions
            .iter()
            .map(|r| NamedLink { title: r.name.clone(), href: relative(url, &r.url), count: r.members.len() })
            .collect();
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.site(url, "regions"));
        ctx.insert("regions", &all);
        ctx.insert("region", &serde_json::Value::Null);
        Ok(OutputFile { path: "regions/index.html".into(), bytes: self.render("region.html", &ctx)? })
    }

    fn render_region(&self, r: usize, n: usize) -> Result<OutputFile> {
        let r = &self.links.regions[r];
        let url = paginate::url(&r.url, n);
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.site(&url, "regions"));
        ctx.insert(
            "region",
            &serde_json::json!({ "name": r.name, "count": r.members.len(),
                "pages": self.links_from(&url, self.slice(&r.members, n)) }),
        );
        ctx.insert("regions", &Vec::<NamedLink>::new());
        ctx.insert("pager", &self.pager(&r.url, n, r.members.len()));
        Ok(OutputFile { path: format!("{url}index.html"), bytes: self.render("region.html", &ctx)? })
    }

    /// `map/`: the topics sized by their pages and joined by the pages they share, and the
    /// same as a table.
    fn render_map(&self) -> Result<OutputFile> {
        let url = "map/";
        let map = crate::map::site_map(self.links);
        #[derive(Serialize)]
        struct Row {
            title: String,
            href: String,
            count: usize,
            ties: Vec<NamedLink>,
        }
        let topic_link = |t: usize, count: usize| NamedLink {
            title: self.links.topics[t].title.clone(),
            href: relative(url, &self.links.topics[t].url),
            count,
        };
        let rows: Vec<Row> = map
            .all
            .iter()
            .map(|(t, count, ties)| {
                let NamedLink { title, href, .. } = topic_link(*t, *count);
                Row { title, href, count: *count, ties: ties.iter().map(|&(u, c)| topic_link(u, c)).collect() }
            })
            .collect();
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.site(url, "map"));
        ctx.insert("svg", &crate::map::site_map_svg(self.links, &map, url));
        ctx.insert("rows", &rows);
        ctx.insert("drawn", &map.topics.len());
        Ok(OutputFile { path: "map/index.html".into(), bytes: self.render("map.html", &ctx)? })
    }

    fn render_search(&self) -> Result<OutputFile> {
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.site("search/", "search"));
        Ok(OutputFile { path: "search/index.html".into(), bytes: self.render("search.html", &ctx)? })
    }

    /// 404 is served at any depth: its links start at `base_url`'s path (`/kb/static/…`). (A
    /// `<base>` element would do that too, but would also send its skip link `#main` home.)
    fn render_404(&self) -> Result<OutputFile> {
        let mut site = self.site("", "");
        let base = base_path(&self.config.base_url);
        site.root = base.clone();
        site.canonical = None;
        for item in &mut site.nav {
            item.href = format!("{base}{}", item.href);
        }
        let mut ctx = tera::Context::new();
        ctx.insert("site", &site);
        Ok(OutputFile { path: "404.html".into(), bytes: self.render("404.html", &ctx)? })
    }
}

/// The dark variant of the code highlighting (syntect's `base16-ocean.dark`), for the system's
/// dark scheme unless the reader chose light, and for the reader's dark choice. Code keeps the
/// page's own background; comments get a lighter grey than the theme's, for AA contrast (6.4:1
/// on the dark `--pre-bg`).
fn dark_highlight_css() -> String {
    /// The dark theme's `--pre-bg` in style.css.
    const DARK_CODE_BG: [u8; 3] = [0x1f, 0x22, 0x26];
    static CSS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    CSS.get_or_init(|| {
        let themes = syntect::highlighting::ThemeSet::load_defaults();
        let style = syntect::html::ClassStyle::SpacedPrefixed { prefix: "hl-" };
        let Some(css) =
            themes.themes.get("base16-ocean.dark").and_then(|t| syntect::html::css_for_theme_with_class_style(t, style).ok())
        else {
            return String::new();
        };
        let css = format!("{css}\n.hl-code {{ background-color: transparent; }}\n.hl-comment {{ color: #9aa5b1; }}\n");
        let css = crate::markdown::with_aa_contrast(&css, DARK_CODE_BG);
        let scoped = |scope: &str| {
            let mut out = String::new();
            for rule in css.split_inclusive('}') {
                if let Some((selectors, body)) = rule.split_once('{') {
                    let selectors = selectors.rsplit("*/").next().unwrap_or(selectors);
                    let list: Vec<String> = selectors
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(|s| format!("{scope} {s}"))
                        .collect();
                    if !list.is_empty() {
                        out.push_str(&format!("{} {{{body}\n", list.join(", ")));
                    }
                }
            }
            out
        };
        format!(
            "/* dark: the system's scheme unless the reader chose light, or the reader's choice */\n@media (prefers-color-scheme: dark) {{\n{}}}\n{}",
            scoped(":root:not([data-theme=\"light\"])"),
            scoped(":root[data-theme=\"dark\"]")
        )
    })
    .clone()
}

/// The importer marks where a source text was cut with a paragraph `*（原文此处有删节）*`: shown
/// as an editor's note (`p.truncated`), not as slanted Chinese.
fn cut_marks_as_notes(html: String) -> String {
    const MARK: &str = "<p><em>（原文此处有删节）</em></p>";
    if !html.contains(MARK) {
        return html;
    }
    html.replace(MARK, "<p class=\"truncated\" role=\"note\">（原文此处有删节）</p>")
}

/// A hash of a page's source (front matter, body and where it lives), for
/// [`Renderer::fingerprints`].
pub fn source_hash(p: &Page) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    format!("{:?}", (&p.rel, &p.url, &p.meta, p.page_type, p.date, p.kind, &p.section, &p.file)).hash(&mut h);
    p.body.hash(&mut h);
    h.finish()
}

/// Path part of `base_url`: `https://x.org/kb/` → `/kb/`.
pub fn base_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, rest)| rest);
    let path = if base_url.contains("://") {
        after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
    } else {
        after_scheme
    };
    let mut p = path.to_string();
    if !p.starts_with('/') {
        p.insert(0, '/');
    }
    if !p.ends_with('/') {
        p.push('/');
    }
    p
}

/// Escaped for XML text and attributes, without the characters XML 1.0 cannot hold at all
/// (U+FFFE, U+FFFF; C0 controls are refused when content is loaded), so a feed never becomes
/// malformed and unreadable for every subscriber because of one page.
fn xml_escape(s: &str) -> String {
    let escaped = markdown::escape_attr(s);
    if escaped.contains(['\u{FFFE}', '\u{FFFF}']) { escaped.replace(['\u{FFFE}', '\u{FFFF}'], "") } else { escaped }
}

/// `sitemap.xml` with absolute URLs from `base_url`, and each page's `lastmod` (its front
/// matter's `updated`, else its date) from `lastmod`.
pub fn sitemap(config: &Config, urls: &[String], lastmod: &HashMap<&str, String>) -> OutputFile {
    let mut urls: Vec<&str> = urls.iter().map(String::as_str).collect();
    urls.par_sort_unstable();
    urls.dedup();
    let lines: Vec<String> = urls
        .par_iter()
        .map(|u| match lastmod.get(u) {
            Some(d) => format!("  <url><loc>{}</loc><lastmod>{d}</lastmod></url>\n", xml_escape(&absolute(config, u))),
            None => format!("  <url><loc>{}</loc></url>\n", xml_escape(&absolute(config, u))),
        })
        .collect();
    let mut out = String::with_capacity(lines.iter().map(String::len).sum::<usize>() + 200);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    lines.iter().for_each(|l| out.push_str(l));
    out.push_str("</urlset>\n");
    OutputFile { path: SITEMAP.into(), bytes: out.into_bytes() }
}

pub fn absolute(config: &Config, url: &str) -> String {
    let base = if config.base_url.contains("://") {
        config.base_url.clone()
    } else {
        format!("http://localhost{}", base_path(&config.base_url))
    };
    format!("{base}{}", url.split('/').map(encode_segment).collect::<Vec<_>>().join("/"))
}

fn encode_segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.extend(['%', HEX[usize::from(b >> 4)] as char, HEX[usize::from(b & 15)] as char]);
        }
    }
    out
}

/// An Atom feed of the newest dated pages among `members` (already newest first).
pub fn atom(
    config: &Config,
    pages: &[Page],
    summaries: &dyn Fn(usize) -> String,
    members: &[usize],
    title: &str,
    self_url: &str,
    alt_url: &str,
) -> OutputFile {
    let entries: Vec<usize> =
        members.iter().copied().filter(|&i| pages[i].date.is_some()).take(config.feed_limit).collect();
    let updated = entries.iter().filter_map(|&i| pages[i].date).max().map_or("1970-01-01".to_string(), |d| d.iso());
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n",
    );
    out.push_str(&format!("  <title>{}</title>\n", xml_escape(title)));
    out.push_str(&format!("  <link rel=\"self\" href=\"{}\"/>\n", xml_escape(&absolute(config, self_url))));
    out.push_str(&format!("  <link rel=\"alternate\" href=\"{}\"/>\n", xml_escape(&absolute(config, alt_url))));
    out.push_str(&format!(
        "  <id>{}</id>\n  <updated>{updated}T00:00:00+08:00</updated>\n",
        xml_escape(&absolute(config, self_url))
    ));
    for i in entries {
        let p = &pages[i];
        let link = absolute(config, &p.url);
        let date = p.date.map(|d| d.iso()).unwrap_or_default();
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", xml_escape(&p.meta.title)));
        out.push_str(&format!("    <link href=\"{}\"/>\n    <id>{}</id>\n", xml_escape(&link), xml_escape(&link)));
        out.push_str(&format!("    <updated>{date}T00:00:00+08:00</updated>\n"));
        if let Some(a) = p.meta.speaker.as_deref().or(p.meta.organization.as_deref()) {
            out.push_str(&format!("    <author><name>{}</name></author>\n", xml_escape(a)));
        }
        out.push_str(&format!("    <summary>{}</summary>\n", xml_escape(&summaries(i))));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    OutputFile { path: self_url.to_string(), bytes: out.into_bytes() }
}

impl Renderer<'_> {
    /// Sitemap, feeds, robots.txt, static files and the highlight stylesheet.
    pub fn support_files(&self, theme: &Theme, html_paths: &[String]) -> Vec<OutputFile> {
        let mut files = Vec::new();
        let urls: Vec<String> = html_paths
            .iter()
            .filter(|p| p.ends_with("index.html"))
            .map(|p| p.trim_end_matches("index.html").to_string())
            .collect();
        let lastmod: HashMap<&str, String> = self
            .pages
            .iter()
            .filter(|p| p.kind != PageKind::SectionIndex)
            .filter_map(|p| {
                let updated = p.meta.updated.as_deref().and_then(crate::content::Date::parse);
                Some((p.url.as_str(), updated.or(p.date)?.iso()))
            })
            .collect();
        files.push(sitemap(self.config, &urls, &lastmod));
        let summaries = |i: usize| self.summaries[i].clone();
        let all: Vec<usize> = self.links.years.iter().flat_map(|(_, v)| v.iter().copied()).collect();
        files.push(atom(self.config, self.pages, &summaries, &all, &self.config.title, FEED, ""));
        for t in &self.links.topics {
            let title = format!("{} · {}", t.title, self.config.title);
            files.push(atom(
                self.config,
                self.pages,
                &summaries,
                &t.members,
                &title,
                &format!("{}{FEED}", t.url),
                &t.url,
            ));
        }
        files.push(OutputFile {
            path: ROBOTS.into(),
            bytes: format!("User-agent: *\nAllow: /\nSitemap: {}\n", absolute(self.config, SITEMAP)).into_bytes(),
        });
        let statics: BTreeMap<&String, &Vec<u8>> = theme.statics.iter().collect();
        for (name, bytes) in statics {
            files.push(OutputFile { path: format!("static/{name}"), bytes: bytes.clone() });
        }
        let highlight = format!("{}\n{}", markdown::highlight_css(), dark_highlight_css());
        files.push(OutputFile { path: HIGHLIGHT_CSS.into(), bytes: highlight.into_bytes() });
        files.extend(self.preview_files());
        files
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds_never_hold_characters_xml_forbids() {
        assert_eq!(xml_escape("标\u{FFFE}题 <&\u{FFFF}>"), "标题 &lt;&amp;&gt;");
    }

    #[test]
    fn base_paths() {
        assert_eq!(base_path("/"), "/");
        assert_eq!(base_path("https://example.org/"), "/");
        assert_eq!(base_path("https://example.org/kb/"), "/kb/");
        assert_eq!(base_path("/kb"), "/kb/");
    }
}
