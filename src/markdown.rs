//! Markdown: parsing with pulldown-cmark, Chinese outline numbering, heading ids, internal link
//! discovery, glossary links, code highlighting and sanitizing. Parses each body once; the
//! `link` stage sits between `parse` and `render`.

use crate::diagnostic::LineIndex;
use crate::safety::{self, UnsafeUrl};
use crate::slug::{UniqueNames, heading_id};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use rust_i18n::t;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

/// The Markdown dialect: tables, footnotes, strikethrough, heading attributes, wikilinks.
/// Smart punctuation stays off: it would turn Chinese quotes into Western ones.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}

/// A heading of the outline.
#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    /// 2..=6; the page title is the only `h1`.
    pub level: u8,
    pub text: String,
    pub id: String,
    pub line: usize,
}

/// Where an internal link points, before resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// `@/cases/yingze-brand.md#anchor`
    Path { path: String, anchor: Option<String> },
    /// `[[页面标题]]` or `[[页面标题#anchor]]`
    Title { title: String, anchor: Option<String> },
    /// `#anchor` on the same page.
    Anchor(String),
    /// A path as authors write it: relative to the page's file (`../speeches/x.md#anchor`,
    /// `photo.jpg`, `附件.pdf`) or to the site root (`/cases/yingze-brand/`), percent-decoded.
    Local { path: String, anchor: Option<String> },
}

/// What a link or picture resolves to, for rendering.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Resolved {
    /// Relative to the page.
    pub href: String,
    /// For `[[标题#…]]` written without its own text: the heading's text.
    pub text: Option<String>,
    /// An attachment's type and size, shown after its link: `PDF，1.2 MB`.
    pub attachment: Option<String>,
    /// A picture: its published forms and size.
    pub picture: Option<Img>,
}

/// A picture as an `<img>` shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Img {
    pub src: String,
    /// `a.480w.jpg 480w, a.jpg 800w`; empty when there is one size.
    pub srcset: String,
    pub width: u32,
    pub height: u32,
}

/// Elements open inside each other at most (Markdown blocks, lists, quotes, emphasis and raw
/// HTML elements together). The sanitizer's HTML tree builder spends time in proportion to the
/// open elements for every tag it reads, so 100,000 unclosed `<div>`s took 24 s; no real page
/// nests a hundred deep.
pub const MAX_NESTING: usize = 100;

/// A problem in a body that fails the build; `link` reports it with the page's file.
#[derive(Debug, Clone)]
pub struct BodyError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: String,
}

#[derive(Debug, Clone)]
pub struct LinkRef {
    pub target: LinkTarget,
    pub line: usize,
    pub column: usize,
}

/// A parsed body: its events (borrowing the source) and what the later stages need from it.
pub struct Document<'a> {
    events: Vec<(Event<'a>, Range<usize>)>,
    /// The events were freed ([`Document::release_events`]): render parses the body again.
    released: bool,
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    /// Pictures with a local address (`photo.jpg`, `/img/logo.png`), in order.
    pub images: Vec<LinkRef>,
    /// Body text without markup, blocks separated by newlines (search, summaries).
    pub text: String,
    /// Characters of `text` that are not whitespace (the page's word count).
    pub chars: usize,
    pub first_paragraph: String,
    pub has_raw_html: bool,
    pub errors: Vec<BodyError>,
}

impl Document<'_> {
    /// Number of Markdown events (benchmarks use it to keep the parse alive).
    pub fn events_len(&self) -> usize {
        self.events.len()
    }

    /// Frees the parsed events, the largest part of a document (about as large as its
    /// Markdown); whoever renders it then parses the body again.
    pub fn release_events(&mut self) {
        self.events = Vec::new();
        self.released = true;
    }

    /// Whether [`Document::release_events`] freed the events.
    pub fn events_released(&self) -> bool {
        self.released
    }

    /// The same document, owning its text (the preview keeps documents between edits).
    pub fn into_owned(self) -> Document<'static> {
        Document {
            released: self.released,
            events: self.events.into_iter().map(|(e, r)| (e.into_static(), r)).collect(),
            headings: self.headings,
            links: self.links,
            images: self.images,
            text: self.text,
            chars: self.chars,
            first_paragraph: self.first_paragraph,
            has_raw_html: self.has_raw_html,
            errors: self.errors,
        }
    }
}

/// Outline level of Chinese official numbering at the start of `text`:
/// 一、 → 1, （一） → 2, 1. → 3, （1） → 4.
pub fn numbering_level(text: &str) -> Option<u8> {
    const CN: &str = "一二三四五六七八九十百零";
    let t = text.trim_start();
    let mut chars = t.chars();
    let first = chars.next()?;
    if CN.contains(first) {
        let rest = t.trim_start_matches(|c| CN.contains(c));
        return rest.starts_with('、').then_some(1);
    }
    if first == '(' || first == '（' {
        let inner = chars.as_str();
        let end = inner.find([')', '）'])?;
        let num = &inner[..end];
        if !num.is_empty() && num.chars().all(|c| CN.contains(c)) {
            return Some(2);
        }
        if !num.is_empty() && num.len() <= 3 && num.chars().all(|c| c.is_ascii_digit()) {
            return Some(4);
        }
        return None;
    }
    if first.is_ascii_digit() {
        let rest = t.trim_start_matches(|c: char| c.is_ascii_digit());
        let digits = t.len() - rest.len();
        let mut after = rest.chars();
        let mark = after.next();
        return (digits <= 2
            && matches!(mark, Some('.' | '．' | '、'))
            && !after.as_str().starts_with(|c: char| c.is_ascii_digit()))
        .then_some(3);
    }
    None
}

/// Whether a one-line paragraph reads as an outline heading (`一、提高政治站位`), not a sentence.
fn looks_like_heading(text: &str) -> bool {
    let level = numbering_level(text);
    let len = text.chars().count();
    let inner = text.trim_end_matches(['。', '.']);
    matches!(level, Some(1) | Some(2)) && len <= 60 && !inner.contains('。')
}

pub fn parse(body: &str, body_line: usize) -> Document<'_> {
    let mut events: Vec<(Event, Range<usize>)> = Parser::new_ext(body, options()).into_offset_iter().collect();
    promote_outline_paragraphs(&mut events);

    let mut doc = Document {
        events: Vec::new(),
        released: false,
        headings: Vec::new(),
        links: Vec::new(),
        images: Vec::new(),
        text: String::with_capacity(body.len()),
        chars: 0,
        first_paragraph: String::new(),
        has_raw_html: false,
        errors: Vec::new(),
    };
    let mut nesting = Nesting::default();
    let mut ids = UniqueNames::default();
    let mut heading: Option<(usize, String)> = None;
    let mut paragraph_depth = 0usize;
    let mut collecting_first = true;
    let mut lines = LineIndex::new(body);
    let mut pos = |offset: usize| {
        let (l, c) = lines.line_col(offset);
        (l + body_line - 1, c)
    };

    for i in 0..events.len() {
        let (event, range) = &events[i];
        if let Some(depth) = nesting.exceeded(event) {
            let (line, column) = pos(range.start);
            let source = body.get(range.clone()).unwrap_or("").lines().next().unwrap_or("");
            doc.errors.push(BodyError {
                line,
                column,
                message: t!("md.too_deep", text = crate::diagnostic::excerpt(source), depth = depth, max = MAX_NESTING)
                    .into_owned(),
                hint: t!("md.too_deep_hint").into_owned(),
            });
        }
        match event {
            Event::Start(Tag::Heading { attrs, .. }) => {
                heading = Some((i, String::new()));
                for (key, value) in attrs {
                    let source = &body[range.clone()];
                    let braces = source.rfind('{').unwrap_or(0);
                    let at = source[braces..].find(key.as_ref()).map_or(braces, |k| braces + k);
                    let (line, column) = pos(range.start + at);
                    let attr = match value {
                        Some(v) => format!("{key}={v}"),
                        None => key.to_string(),
                    };
                    doc.errors.push(BodyError {
                        line,
                        column,
                        message: t!("md.heading_attribute", attr = quote(&attr)).into_owned(),
                        hint: t!("md.heading_attribute_hint").into_owned(),
                    });
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((start, text)) = heading.take() {
                    let text = text.trim().to_string();
                    let (line, _) = pos(events[start].1.start);
                    let (md_level, explicit_id) = match &events[start].0 {
                        Event::Start(Tag::Heading { level, id, .. }) => {
                            (*level as u8, id.as_ref().map(|s| s.to_string()))
                        }
                        _ => (2, None),
                    };
                    let level = numbering_level(&text).map_or(md_level.max(2), |n| n + 1).min(6);
                    let id = ids.claim(explicit_id.unwrap_or_else(|| heading_id(&text)));
                    doc.headings.push(Heading { level, text, id, line });
                }
                doc.text.push('\n');
            }
            Event::Start(Tag::Link { link_type, dest_url, .. }) => {
                if let Some(target) = classify_link(*link_type, dest_url) {
                    let (line, column) = pos(range.start);
                    doc.links.push(LinkRef { target, line, column });
                } else if let Err(e) = check_destination(*link_type, dest_url) {
                    let (line, column) = pos(range.start);
                    doc.errors.push(refused_url("link", &body[range.clone()], dest_url, &e, line, column));
                }
            }
            Event::Start(Tag::Image { link_type, dest_url, .. }) => {
                if let Err(e) = check_destination(*link_type, dest_url) {
                    let (line, column) = pos(range.start);
                    doc.errors.push(refused_url("picture", &body[range.clone()], dest_url, &e, line, column));
                } else if let Some(target @ LinkTarget::Local { .. }) = classify_link(*link_type, dest_url) {
                    let (line, column) = pos(range.start);
                    doc.images.push(LinkRef { target, line, column });
                }
            }
            Event::Start(Tag::Paragraph) => paragraph_depth += 1,
            Event::End(TagEnd::Paragraph) => {
                paragraph_depth -= 1;
                if collecting_first && !doc.first_paragraph.is_empty() {
                    // A salutation or date line is not what the page is about: the summary
                    // takes the next paragraph.
                    if crate::summary::is_preamble(&doc.first_paragraph) {
                        doc.first_paragraph.clear();
                    } else {
                        collecting_first = false;
                    }
                }
                doc.text.push('\n');
            }
            Event::End(TagEnd::Item | TagEnd::TableCell | TagEnd::CodeBlock | TagEnd::BlockQuote(_)) => {
                doc.text.push('\n')
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(t);
                }
                if collecting_first && paragraph_depth > 0 && heading.is_none() {
                    doc.first_paragraph.push_str(t);
                }
                doc.text.push_str(t);
            }
            Event::SoftBreak | Event::HardBreak => doc.text.push('\n'),
            Event::Start(Tag::HtmlBlock) => {
                let (html, pieces) = html_block(&events, i + 1, body);
                let at = |offset: usize| {
                    let k = pieces.partition_point(|&(start, _)| start <= offset).saturating_sub(1);
                    pieces.get(k).map_or(0, |&(start, source)| source + offset - start)
                };
                raw_references(&html, &at, &mut pos, &mut doc);
            }
            Event::InlineHtml(html) => {
                doc.has_raw_html = true;
                let base = range.start;
                raw_references(html, &|offset| base + offset, &mut pos, &mut doc);
            }
            Event::Html(_) => doc.has_raw_html = true,
            _ => {}
        }
    }
    doc.events = events;
    doc.chars = doc.text.chars().filter(|c| !c.is_whitespace()).count();
    doc
}

/// The text of the HTML block whose first line is event `from`, and for each of its lines
/// (offset in the text, offset in the body), so a place in the text maps back to the body.
fn html_block(events: &[(Event, Range<usize>)], from: usize, body: &str) -> (String, Vec<(usize, usize)>) {
    let mut html = String::new();
    let mut pieces = Vec::new();
    for (event, range) in &events[from..] {
        let Event::Html(line) = event else { break };
        // In a list or quote the line's range also holds the container's marks before it.
        let source = body
            .get(range.clone())
            .map_or(range.start, |s| if s.ends_with(line.as_ref()) { range.end - line.len() } else { range.start });
        pieces.push((html.len(), source));
        html.push_str(line);
    }
    (html, pieces)
}

/// The pictures (`<img src>`) and links (`<a href>`) of a raw HTML fragment: those pointing
/// into the site join the document's, to be checked and resolved like Markdown ones. A picture
/// held in the page as a `data:` address is an error: zhiku publishes pictures as files.
fn raw_references(
    html: &str,
    at: &dyn Fn(usize) -> usize,
    pos: &mut dyn FnMut(usize) -> (usize, usize),
    doc: &mut Document,
) {
    for token in crate::raw_html::tokens(html) {
        let crate::raw_html::Token::Start { name, span, .. } = &token else { continue };
        let (attr, picture) = match name.as_str() {
            "img" => ("src", true),
            "a" => ("href", false),
            _ => continue,
        };
        let Some(value) = token.attr(attr).and_then(|a| a.value.as_deref()) else { continue };
        let (line, column) = pos(at(span.start));
        if picture && value.trim_start().get(..5).is_some_and(|s| s.eq_ignore_ascii_case("data:")) {
            let text = format!("<img src=\"{}\">", quote(value));
            doc.errors.push(BodyError {
                line,
                column,
                message: t!("assets.data_picture", text = crate::diagnostic::excerpt(&text)).into(),
                hint: t!("assets.data_picture_hint").into(),
            });
            continue;
        }
        match classify_link(LinkType::Inline, value) {
            Some(target @ LinkTarget::Local { .. }) if picture => doc.images.push(LinkRef { target, line, column }),
            Some(target) if !picture => doc.links.push(LinkRef { target, line, column }),
            _ => {}
        }
    }
}

/// How many elements are open, counted as events come (see [`MAX_NESTING`]).
#[derive(Default)]
struct Nesting {
    markdown: usize,
    html: usize,
    reported: bool,
}

impl Nesting {
    /// Counts the elements `event` opens and closes; the depth the first time it passes the limit.
    fn exceeded(&mut self, event: &Event) -> Option<usize> {
        match event {
            Event::Start(_) => self.markdown += 1,
            Event::End(_) => self.markdown = self.markdown.saturating_sub(1),
            Event::Html(html) | Event::InlineHtml(html) => {
                // The deepest point inside the fragment counts: one block of 50,000 nested and
                // closed `<div>`s would otherwise end at depth 0 and reach the sanitizer.
                let peak = count_html_elements(html, &mut self.html);
                let depth = self.markdown + peak;
                return (depth > MAX_NESTING && !std::mem::replace(&mut self.reported, true)).then_some(depth);
            }
            _ => return None,
        }
        let depth = self.markdown + self.html;
        (depth > MAX_NESTING && !std::mem::replace(&mut self.reported, true)).then_some(depth)
    }
}

/// Follows the start and end tags of a raw HTML fragment, keeping `depth` as the number of
/// elements left open. Void elements and those whose end tag may be left out (`<p>`, `<li>`,
/// table cells…, closed by the next one) do not count. Returns the deepest `depth` reached.
fn count_html_elements(html: &str, depth: &mut usize) -> usize {
    let mut peak = *depth;
    const NOT_NESTING: [&str; 36] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
        "keygen", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup",
        "caption", "rb", "rt", "rtc", "rp", "html", "head", "body",
    ];
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let (closing, tag) = match rest.strip_prefix('/') {
            Some(t) => (true, t),
            None => (false, rest),
        };
        let name_len = tag.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(tag.len());
        let name = &tag[..name_len];
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let end = tag.find('>').unwrap_or(tag.len());
        let self_closing = tag[..end].ends_with('/');
        rest = &tag[end..];
        if NOT_NESTING.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            continue;
        }
        if closing {
            *depth = depth.saturating_sub(1);
        } else if !self_closing {
            *depth += 1;
            peak = peak.max(*depth);
        }
    }
    peak
}

fn classify_link(link_type: LinkType, dest: &str) -> Option<LinkTarget> {
    let split = |s: &str| match s.split_once('#') {
        Some((p, a)) => (p.to_string(), Some(a.to_string()).filter(|a| !a.is_empty())),
        None => (s.to_string(), None),
    };
    if matches!(link_type, LinkType::WikiLink { .. }) {
        let (title, anchor) = split(dest.trim());
        return Some(LinkTarget::Title { title: title.trim().to_string(), anchor });
    }
    if let Some(path) = dest.strip_prefix("@/") {
        let (path, anchor) = split(path);
        return Some(LinkTarget::Path { path, anchor });
    }
    if let Some(anchor) = dest.strip_prefix('#') {
        return (!anchor.is_empty()).then(|| LinkTarget::Anchor(anchor.to_string()));
    }
    is_local(link_type, dest).then(|| {
        let (path, anchor) = match dest.split_once('#') {
            Some((p, a)) => (p, Some(a).filter(|a| !a.is_empty())),
            None => (dest, None),
        };
        let path = path.split('?').next().unwrap_or(path).trim();
        LinkTarget::Local { path: safety::percent_decode(path), anchor: anchor.map(safety::percent_decode) }
    })
}

/// Whether an address points into the site by a path: no scheme, not `//host`, not empty.
fn is_local(link_type: LinkType, dest: &str) -> bool {
    let scheme = dest.find([':', '/', '?', '#']).is_some_and(|end| dest[end..].starts_with(':'));
    !matches!(link_type, LinkType::Email | LinkType::Autolink)
        && !dest.trim().is_empty()
        && !scheme
        && !dest.starts_with("//")
        && !dest.starts_with('?')
        // `\\host`, `/\\host` and the like are refused as addresses, never looked up.
        && safety::check_url(dest).is_ok()
}

/// Whether an external link or picture address may be written into the page. Email autolinks
/// (`<a@b.cn>`) get their `mailto:` from the HTML writer.
fn check_destination(link_type: LinkType, dest: &str) -> Result<(), UnsafeUrl> {
    match link_type {
        LinkType::Email => safety::check_url(&format!("mailto:{dest}")),
        _ => safety::check_url(dest),
    }
}

/// A refused link or picture, quoted as written (`source`) when that is short, else by its
/// address.
fn refused_url(what: &str, source: &str, url: &str, e: &UnsafeUrl, line: usize, column: usize) -> BodyError {
    let hint = match e {
        UnsafeUrl::Scheme(_) => t!("md.unsafe_scheme_hint"),
        UnsafeUrl::ProtocolRelative => t!("md.protocol_relative_hint"),
        UnsafeUrl::Control(_) => t!("md.control_hint"),
    };
    let picture = what == "picture";
    let quoted = match (source.chars().count() <= 80 && !source.contains('\n'), picture) {
        (true, false) => t!("md.the_link", text = source),
        (true, true) => t!("md.the_picture", text = source),
        (false, false) => t!("md.the_link_address", text = quote(url)),
        (false, true) => t!("md.the_picture_address", text = quote(url)),
    };
    BodyError { line, column, message: format!("{quoted} {}", e.reason()), hint: hint.into_owned() }
}

/// Content quoted in a message: at most 80 characters.
fn quote(s: &str) -> String {
    match s.char_indices().nth(80) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}

/// Turns a one-line paragraph with outline numbering (`一、…`, `（一）…`) into a heading,
/// so texts pasted without Markdown headings still get an outline.
fn promote_outline_paragraphs(events: &mut [(Event, Range<usize>)]) {
    let mut i = 0;
    while i < events.len() {
        if matches!(events[i].0, Event::Start(Tag::Paragraph)) {
            let mut j = i + 1;
            let mut text = String::new();
            let mut plain = true;
            while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Paragraph)) {
                match &events[j].0 {
                    Event::Text(t) => text.push_str(t),
                    _ => plain = false,
                }
                j += 1;
            }
            if plain && j < events.len() && looks_like_heading(text.trim()) {
                let level = HeadingLevel::H2;
                events[i].0 = Event::Start(Tag::Heading { level, id: None, classes: vec![], attrs: vec![] });
                events[j].0 = Event::End(TagEnd::Heading(level));
            }
            i = j;
        }
        i += 1;
    }
}

/// Topic names and aliases longer than this are not glossary-linked: no text repeats such a
/// name, and each term's length adds to the matcher built for every build.
pub const MAX_TERM_CHARS: usize = 64;

/// Topic terms for glossary links, matched on folded text (traditional finds simplified).
///
/// A trie over characters, searched leftmost-longest from each position. Building it is linear
/// in the terms (aho-corasick's builder took 1 s for 20,000 terms and 14 s for 80,000, its
/// state shuffling being quadratic), and a search step looks at most [`MAX_TERM_CHARS`]
/// characters ahead, so matching is linear in the text.
pub struct Glossary {
    /// The root's child for each character below U+10000 (0: none); most text positions end here.
    root: Vec<u32>,
    /// The other edges, sorted by (parent, character): the children of node n are
    /// `edges[first_edge[n]..first_edge[n + 1]]`.
    edges: Vec<(char, u32)>,
    first_edge: Vec<u32>,
    /// The topic whose term ends at each node, if one does.
    ends: Vec<Option<usize>>,
    /// The topics named, sorted.
    topics: Vec<usize>,
}

impl Glossary {
    /// `terms` are (term, topic index); terms shorter than `min_chars` or longer than
    /// [`MAX_TERM_CHARS`] are left out. A term named twice goes to the lower topic index.
    pub fn new(terms: &[(String, usize)], min_chars: usize) -> Option<Glossary> {
        let mut kept: Vec<(String, usize)> = terms
            .iter()
            .map(|(t, i)| (crate::fold::fold(t.trim()), *i))
            .filter(|(t, _)| (min_chars.max(1)..=MAX_TERM_CHARS).contains(&t.chars().count()))
            .collect();
        kept.sort();
        kept.dedup_by(|a, b| a.0 == b.0);
        if kept.is_empty() {
            return None;
        }
        // Nodes are numbered as they are made; 0 is the root.
        let mut children: HashMap<(u32, char), u32> = HashMap::new();
        let mut ends: Vec<Option<usize>> = vec![None];
        for (term, topic) in &kept {
            let mut node = 0;
            for c in term.chars() {
                let fresh = ends.len() as u32;
                node = *children.entry((node, c)).or_insert(fresh);
                if node == fresh {
                    ends.push(None);
                }
            }
            ends[node as usize] = Some(*topic);
        }
        let mut root = vec![0u32; 0x10000];
        let mut rest: Vec<(u32, char, u32)> = Vec::new();
        for ((parent, c), child) in children {
            match (parent, u32::from(c)) {
                (0, code) if code < 0x10000 => root[code as usize] = child,
                _ => rest.push((parent, c, child)),
            }
        }
        rest.sort_unstable();
        let mut first_edge = Vec::with_capacity(ends.len() + 1);
        let mut e = 0;
        for node in 0..=ends.len() as u32 {
            while e < rest.len() && rest[e].0 < node {
                e += 1;
            }
            first_edge.push(e as u32);
        }
        let edges = rest.into_iter().map(|(_, c, child)| (c, child)).collect();
        let mut topics: Vec<usize> = kept.into_iter().map(|(_, i)| i).collect();
        topics.sort_unstable();
        topics.dedup();
        Some(Glossary { root, edges, first_edge, ends, topics })
    }

    fn child(&self, node: u32, c: char) -> Option<u32> {
        let code = u32::from(c);
        if node == 0 && code < 0x10000 {
            return Some(self.root[code as usize]).filter(|&n| n != 0);
        }
        let (from, to) = (self.first_edge[node as usize] as usize, self.first_edge[node as usize + 1] as usize);
        let edges = &self.edges[from..to];
        edges.binary_search_by(|(e, _)| e.cmp(&c)).ok().map(|i| edges[i].1)
    }

    /// The terms in `text`, leftmost-longest and not overlapping: (start, end, topic).
    fn matches<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, usize, usize)> + 't {
        let mut at = 0;
        std::iter::from_fn(move || {
            while let Some(first) = text[at..].chars().next() {
                let start = at;
                let mut node = 0;
                let mut longest = None;
                for (i, c) in text[start..].char_indices() {
                    let Some(next) = self.child(node, c) else { break };
                    node = next;
                    if let Some(topic) = self.ends[node as usize] {
                        longest = Some((start + i + c.len_utf8(), topic));
                    }
                }
                match longest {
                    Some((end, topic)) => {
                        at = end;
                        return Some((start, end, topic));
                    }
                    None => at += first.len_utf8(),
                }
            }
            None
        })
    }
}

/// What `render` needs from the rest of the site.
pub struct RenderContext<'r> {
    /// Resolves an internal link to an href relative to the current page (None if broken;
    /// `link` has already reported it).
    pub resolve: &'r dyn Fn(&LinkTarget) -> Option<Resolved>,
    pub glossary: Option<&'r Glossary>,
    /// href and title of each topic, by topic index.
    pub topic_href: &'r dyn Fn(usize) -> (String, String),
    /// The topic this page is, so a topic page does not link to itself.
    pub self_topic: Option<usize>,
}

pub struct Rendered {
    pub html: String,
}

pub fn render(doc: &Document, ctx: &RenderContext) -> Rendered {
    let mut out: Vec<Event> = Vec::with_capacity(doc.events.len() + 16);
    let mut heading_index = 0;
    let mut in_heading = false;
    let mut link_depth = 0usize;
    // Per open link: whether its address was refused (then only its text is kept), and what
    // follows its `</a>` (an attachment's type and size).
    let mut links_dropped: Vec<bool> = Vec::new();
    let mut link_after: Vec<Option<String>> = Vec::new();
    // `[[标题#…]]`: the heading's text, written instead of the link's own text.
    let mut link_text: Option<(usize, String)> = None;
    let mut code: Option<(String, String)> = None;
    let mut linked = Linked::default();
    if let (Some(t), Some(g)) = (ctx.self_topic, ctx.glossary) {
        linked.insert(t, g);
    }
    let mut figures = Figures::default();
    let mut skip_paragraph_end = false;
    // What raw HTML owes after an end tag still to come (an attachment's `</a>`).
    let mut raw_pending: Vec<(String, String)> = Vec::new();
    let events = &doc.events;
    let mut k = 0;
    while k < events.len() {
        let (event, _) = &events[k];
        k += 1;
        if let Some((lang, text)) = code.as_mut() {
            match event {
                Event::Text(t) => text.push_str(t),
                Event::End(TagEnd::CodeBlock) => {
                    let html = highlight(lang, text);
                    out.push(Event::Html(html.into()));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        if link_text.as_ref().is_some_and(|(depth, _)| *depth == link_depth)
            && !matches!(event, Event::End(TagEnd::Link))
        {
            continue;
        }
        match event {
            Event::Start(Tag::Heading { classes, .. }) => {
                in_heading = true;
                let h = &doc.headings[heading_index.min(doc.headings.len() - 1)];
                out.push(Event::Start(Tag::Heading {
                    level: level_of(h.level),
                    id: Some(CowStr::from(h.id.clone())),
                    classes: classes.clone(),
                    // Other attributes are refused at parse time (`onmouseover=…`).
                    attrs: Vec::new(),
                }));
            }
            Event::End(TagEnd::Heading(_)) => {
                in_heading = false;
                let h = &doc.headings[heading_index.min(doc.headings.len() - 1)];
                out.push(Event::InlineHtml(
                    format!("<a class=\"anchor\" href=\"#{}\" aria-label=\"本节链接\">#</a>", escape_attr(&h.id))
                        .into(),
                ));
                out.push(Event::End(TagEnd::Heading(level_of(h.level))));
                heading_index += 1;
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                link_depth += 1;
                let internal = classify_link(*link_type, dest_url);
                let dropped = internal.is_none() && check_destination(*link_type, dest_url).is_err();
                links_dropped.push(dropped);
                let mut after = None;
                match internal {
                    // Internal hrefs are written as they are (Chinese anchors unencoded), so they
                    // match the ids byte for byte; pulldown-cmark would percent-encode them.
                    Some(target) => {
                        let resolved = (ctx.resolve)(&target)
                            .unwrap_or_else(|| Resolved { href: "#".into(), ..Resolved::default() });
                        let title =
                            if title.is_empty() { String::new() } else { format!(" title=\"{}\"", escape_attr(title)) };
                        let class = if resolved.attachment.is_some() { " class=\"attachment\"" } else { "" };
                        out.push(Event::InlineHtml(
                            format!("<a{class} href=\"{}\"{title}>", escape_attr(&resolved.href)).into(),
                        ));
                        if let (LinkType::WikiLink { has_pothole: false }, Some(text)) = (link_type, resolved.text) {
                            out.push(Event::Text(text.clone().into()));
                            link_text = Some((link_depth, text));
                        }
                        after = resolved
                            .attachment
                            .map(|a| format!("<span class=\"attachment-meta\">（{}）</span>", escape_html(&a)));
                    }
                    None if dropped => {}
                    None => out.push(Event::Start(Tag::Link {
                        link_type: *link_type,
                        dest_url: dest_url.clone(),
                        title: title.clone(),
                        id: id.clone(),
                    })),
                }
                link_after.push(after);
            }
            Event::End(TagEnd::Link) => {
                if link_text.as_ref().is_some_and(|(depth, _)| *depth == link_depth) {
                    link_text = None;
                }
                link_depth = link_depth.saturating_sub(1);
                if !links_dropped.pop().unwrap_or(false) {
                    out.push(event.clone());
                }
                if let Some(Some(after)) = link_after.pop() {
                    out.push(Event::InlineHtml(after.into()));
                }
            }
            Event::Start(Tag::HtmlBlock) => {
                let mut html = String::new();
                while let Some((Event::Html(line), _)) = events.get(k) {
                    html.push_str(line);
                    k += 1;
                }
                out.push(event.clone());
                out.push(Event::Html(rewrite_raw_html(&html, ctx, &mut raw_pending).into()));
            }
            Event::InlineHtml(html) => {
                out.push(Event::InlineHtml(rewrite_raw_html(html, ctx, &mut raw_pending).into()));
            }
            Event::Start(Tag::Paragraph) if lone_figure(events, k) => skip_paragraph_end = true,
            Event::End(TagEnd::Paragraph) if skip_paragraph_end => skip_paragraph_end = false,
            Event::Start(Tag::Image { link_type, dest_url, title, .. }) => {
                let (alt, end) = alt_text(events, k);
                k = end + 1;
                if check_destination(*link_type, dest_url).is_err() {
                    continue;
                }
                let img = match classify_link(*link_type, dest_url) {
                    Some(target) => match (ctx.resolve)(&target) {
                        Some(Resolved { picture: Some(img), .. }) => img,
                        // Reported by `link`: a missing file, or one that is no picture.
                        Some(r) => Img { src: r.href, ..Img::default() },
                        None => continue,
                    },
                    None => Img { src: dest_url.to_string(), ..Img::default() },
                };
                let html = picture_html(&img, &alt, title, skip_paragraph_end.then_some(&mut figures));
                out.push(Event::InlineHtml(html.into()));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => l.split([',', ' ']).next().unwrap_or("").to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Text(text) if !in_heading && link_depth == 0 => match ctx.glossary {
                Some(g) => glossary_links(text, g, ctx, &mut linked, &mut out),
                None => out.push(event.clone()),
            },
            _ => out.push(event.clone()),
        }
    }

    let source_len = doc.events.last().map_or(0, |(_, range)| range.end);
    let mut html = String::with_capacity(source_len * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    if doc.has_raw_html {
        html = sanitize(&html);
    }
    Rendered { html }
}

/// Where a picture's `End(Image)` is, from just after its `Start(Image)` at `k - 1`, and its
/// alternative text.
fn alt_text(events: &[(Event, Range<usize>)], k: usize) -> (String, usize) {
    let mut alt = String::new();
    let mut depth = 0usize;
    for (j, (e, _)) in events.iter().enumerate().skip(k) {
        match e {
            Event::Start(_) => depth += 1,
            Event::End(TagEnd::Image) if depth == 0 => return (alt, j),
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) => alt.push_str(t),
            Event::SoftBreak | Event::HardBreak => alt.push(' '),
            _ => {}
        }
    }
    (alt, events.len())
}

/// Whether the paragraph opened at `k - 1` holds one captioned picture and nothing else: it
/// becomes a `<figure>`.
fn lone_figure(events: &[(Event, Range<usize>)], k: usize) -> bool {
    let Some((Event::Start(Tag::Image { title, .. }), _)) = events.get(k) else { return false };
    let (alt, end) = alt_text(events, k + 1);
    matches!(events.get(end + 1), Some((Event::End(TagEnd::Paragraph), _)))
        && (!title.trim().is_empty() || own_number(&alt).is_some())
}

/// The number an author gave a figure: `图3 …`, `图 3：…`.
fn own_number(caption: &str) -> Option<u32> {
    let rest = caption.trim_start().strip_prefix('图')?.trim_start();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Figures numbered on a page as Chinese documents number them: 图1, 图2…; an author's own
/// number is kept and counting goes on from it.
#[derive(Default)]
struct Figures {
    last: u32,
}

impl Figures {
    fn caption(&mut self, caption: &str) -> String {
        let caption = caption.trim();
        match own_number(caption) {
            Some(n) => {
                self.last = n;
                caption.to_string()
            }
            None => {
                self.last += 1;
                format!("图{}　{caption}", self.last)
            }
        }
    }
}

/// A raw HTML fragment with its pictures and links into the site resolved as Markdown ones
/// are: `src`/`href` relative to the page, a picture's size (unless the author gave one),
/// lazy loading and resized copies, an attachment's type and size after its link.
fn rewrite_raw_html(html: &str, ctx: &RenderContext, pending: &mut Vec<(String, String)>) -> String {
    use crate::raw_html::{TagEdit, Token};
    crate::raw_html::rewrite(html, pending, |token| {
        let Token::Start { name, .. } = token else { return None };
        let (attr, picture) = match name.as_str() {
            "img" => ("src", true),
            "a" => ("href", false),
            _ => return None,
        };
        let value = token.attr(attr)?.value.as_deref()?;
        let target = match classify_link(LinkType::Inline, value)? {
            t @ LinkTarget::Local { .. } => t,
            _ if picture => return None,
            t => t,
        };
        let resolved = (ctx.resolve)(&target)?;
        let mut edit = TagEdit::default();
        if !picture {
            edit.set.push(("href", resolved.href));
            if let Some(a) = resolved.attachment {
                let class = token.attr("class").and_then(|c| c.value.clone()).unwrap_or_default();
                edit.set.push(("class", format!("{class} attachment").trim_start().to_string()));
                edit.after_end = Some(format!("<span class=\"attachment-meta\">（{}）</span>", escape_html(&a)));
            }
            return Some(edit);
        }
        let img = resolved.picture.unwrap_or(Img { src: resolved.href, ..Img::default() });
        edit.set.push(("src", img.src));
        edit.drop.extend(["srcset", "sizes"]);
        if !img.srcset.is_empty() {
            edit.set.push(("srcset", img.srcset));
            edit.set.push(("sizes", PICTURE_SIZES.to_string()));
        }
        if img.width > 0 && token.attr("width").is_none() && token.attr("height").is_none() {
            edit.set.push(("width", img.width.to_string()));
            edit.set.push(("height", img.height.to_string()));
        }
        if token.attr("loading").is_none() {
            edit.set.push(("loading", "lazy".into()));
        }
        edit.set.push(("decoding", "async".into()));
        Some(edit)
    })
}

/// How wide a picture shows, for the browser to choose among its copies: the page's text
/// column (720 px) on screens wider than 760 px, the screen's width below.
const PICTURE_SIZES: &str = "(max-width: 760px) 100vw, 720px";

/// `<img>` with its size, lazy loading and resized copies; inside a `<figure>` with its
/// caption when `figures` is given.
fn picture_html(img: &Img, alt: &str, title: &str, figures: Option<&mut Figures>) -> String {
    let mut tag = format!("<img src=\"{}\"", escape_attr(&img.src));
    if !img.srcset.is_empty() {
        tag.push_str(&format!(" srcset=\"{}\" sizes=\"{PICTURE_SIZES}\"", escape_attr(&img.srcset)));
    }
    if img.width > 0 {
        tag.push_str(&format!(" width=\"{}\" height=\"{}\"", img.width, img.height));
    }
    tag.push_str(&format!(" alt=\"{}\" loading=\"lazy\" decoding=\"async\"", escape_attr(alt)));
    let Some(figures) = figures else {
        if !title.is_empty() {
            tag.push_str(&format!(" title=\"{}\"", escape_attr(title)));
        }
        tag.push('>');
        return tag;
    };
    tag.push('>');
    let caption = figures.caption(if title.trim().is_empty() { alt } else { title });
    format!("<figure class=\"figure\">{tag}<figcaption>{}</figcaption></figure>\n", escape_html(&caption))
}

fn level_of(level: u8) -> HeadingLevel {
    match level {
        1 | 2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// The glossary topics a page has linked (or is), and how many it has.
#[derive(Default)]
struct Linked {
    topics: HashSet<usize>,
    /// How many of `topics` the glossary names.
    glossary_topics: usize,
}

impl Linked {
    /// Marks `topic` linked; false if it already was.
    fn insert(&mut self, topic: usize, g: &Glossary) -> bool {
        let new = self.topics.insert(topic);
        if new && g.topics.binary_search(&topic).is_ok() {
            self.glossary_topics += 1;
        }
        new
    }

    fn all(&self, g: &Glossary) -> bool {
        self.glossary_topics >= g.topics.len()
    }
}

/// Splits a text event around the first mention of each topic not yet linked on this page.
fn glossary_links<'a>(
    text: &CowStr<'a>,
    g: &Glossary,
    ctx: &RenderContext,
    linked: &mut Linked,
    out: &mut Vec<Event<'a>>,
) {
    if linked.all(g) {
        return out.push(Event::Text(text.clone()));
    }
    let folded = crate::fold::fold(text);
    // Folding keeps the character count, so walking both texts side by side maps a folded
    // offset back to the original one (matches come in order; most texts hold none).
    let mut offsets = folded
        .char_indices()
        .map(|(f, _)| f)
        .zip(text.char_indices().map(|(o, _)| o))
        .chain(std::iter::once((folded.len(), text.len())))
        .peekable();
    let mut to_source = |at: usize| {
        while let Some(&(f, o)) = offsets.peek() {
            if f >= at {
                return o;
            }
            offsets.next();
        }
        text.len()
    };
    let mut last = 0;
    for (start, end, topic) in g.matches(&folded) {
        if !linked.insert(topic, g) {
            continue;
        }
        let (start, end) = (to_source(start), to_source(end));
        if start > last {
            out.push(Event::Text(text[last..start].to_string().into()));
        }
        let (href, title) = (ctx.topic_href)(topic);
        out.push(Event::InlineHtml(
            format!("<a class=\"term\" href=\"{}\" title=\"专题：{}\">", escape_attr(&href), escape_attr(&title))
                .into(),
        ));
        out.push(Event::Text(text[start..end].to_string().into()));
        out.push(Event::InlineHtml("</a>".into()));
        last = end;
        if linked.all(g) {
            break;
        }
    }
    if last == 0 {
        out.push(Event::Text(text.clone()));
    } else if last < text.len() {
        out.push(Event::Text(text[last..].to_string().into()));
    }
}

pub fn escape_attr(s: &str) -> String {
    escape_with(s, |b| match b {
        b'&' => Some("&amp;"),
        b'"' => Some("&quot;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'\'' => Some("&#39;"),
        _ => None,
    })
}

/// HTML escaping with the entities of tera's own `escape_html` (templates' autoescape), which
/// re-encodes every character: Chinese text, mostly free of these, is copied run by run.
pub fn escape_html(s: &str) -> String {
    escape_with(s, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#x27;"),
        b'/' => Some("&#x2F;"),
        _ => None,
    })
}

/// `s` with each ASCII byte that `entity` names replaced. ASCII bytes never occur inside a
/// multi-byte character, so the runs between them are whole characters.
fn escape_with(s: &str, entity: impl Fn(u8) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        if let Some(e) = entity(b) {
            out.push_str(&s[run..i]);
            out.push_str(e);
            run = i + 1;
        }
    }
    out.push_str(&s[run..]);
    out
}

fn syntaxes() -> &'static syntect::parsing::SyntaxSet {
    static SET: OnceLock<syntect::parsing::SyntaxSet> = OnceLock::new();
    SET.get_or_init(syntect::parsing::SyntaxSet::load_defaults_newlines)
}

const CLASS_STYLE: syntect::html::ClassStyle = syntect::html::ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Highlights a code block with CSS classes (the stylesheet comes from [`highlight_css`]).
fn highlight(lang: &str, code: &str) -> String {
    let lang_attr = escape_attr(lang);
    let body = if lang.is_empty() {
        None
    } else {
        let ss = syntaxes();
        ss.find_syntax_by_token(lang).and_then(|syntax| {
            let mut generator = syntect::html::ClassedHTMLGenerator::new_with_class_style(syntax, ss, CLASS_STYLE);
            for line in syntect::util::LinesWithEndings::from(code) {
                generator.parse_html_for_line_which_includes_newline(line).ok()?;
            }
            Some(generator.finalize())
        })
    };
    let body = body.unwrap_or_else(|| escape_attr(code));
    format!("<pre class=\"code\" data-lang=\"{lang_attr}\"><code>{body}</code></pre>\n")
}

/// The stylesheet for highlighted code, generated from a syntect theme at build time.
pub fn highlight_css() -> String {
    static CSS: OnceLock<String> = OnceLock::new();
    CSS.get_or_init(|| {
        let themes = syntect::highlighting::ThemeSet::load_defaults();
        themes
            .themes
            .get("InspiredGitHub")
            .and_then(|t| syntect::html::css_for_theme_with_class_style(t, CLASS_STYLE).ok())
            .map(|css| with_aa_contrast(&css, LIGHT_CODE_BG))
            .unwrap_or_default()
    })
    .clone()
}

/// The light theme's code background (`--pre-bg` in style.css), against which code colours are
/// checked.
pub const LIGHT_CODE_BG: [u8; 3] = [0xf7, 0xf6, 0xf3];

/// WCAG 2 relative luminance and contrast ratio of sRGB colours.
fn channel(c: u8) -> f64 {
    let c = f64::from(c) / 255.0;
    if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
}
fn relative_luminance([r, g, b]: [u8; 3]) -> f64 {
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}
pub(crate) fn contrast_ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (relative_luminance(a), relative_luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Rewrites every text colour (`color: #rrggbb`, not `background-color`) of a stylesheet that
/// is below WCAG AA (4.5:1) against `background`: it is moved towards black (light background)
/// or white (dark background) in small steps until it reaches 4.5:1, keeping its hue. Syntect's
/// themes have several greys and greens below AA on our code background.
pub fn with_aa_contrast(css: &str, background: [u8; 3]) -> String {
    let towards_black = relative_luminance(background) > 0.18;
    let fix = |mut rgb: [u8; 3]| {
        for _ in 0..64 {
            if contrast_ratio(rgb, background) >= 4.5 {
                break;
            }
            for c in &mut rgb {
                *c = if towards_black {
                    (f64::from(*c) * 0.94) as u8
                } else {
                    (f64::from(*c) + (255.0 - f64::from(*c)) * 0.08).ceil() as u8
                };
            }
        }
        rgb
    };
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(at) = rest.find("color: #") {
        let is_background = rest[..at].ends_with("background-");
        let hex_start = at + "color: #".len();
        out.push_str(&rest[..hex_start]);
        rest = &rest[hex_start..];
        let hex: String = rest.chars().take_while(char::is_ascii_hexdigit).collect();
        if !is_background && hex.len() == 6 {
            let rgb = [0, 2, 4].map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0));
            let [r, g, b] = fix(rgb);
            out.push_str(&format!("{r:02x}{g:02x}{b:02x}"));
            rest = &rest[6..];
        }
    }
    out.push_str(rest);
    out
}

/// Cleans raw HTML from content: no scripts, styles, event handlers, or URLs but those
/// [`safety::check_url`] allows.
fn sanitize(html: &str) -> String {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER
        .get_or_init(|| {
            let mut b = ammonia::Builder::default();
            b.add_generic_attributes(["id", "class", "title", "data-lang"]);
            b.add_tags(["figure", "figcaption", "mark", "details", "summary"]);
            // Pictures keep what `rewrite_raw_html` and `picture_html` give them; a `srcset`
            // is kept only when every address in it passes `safety::check_url`.
            b.add_tag_attributes("img", ["srcset", "sizes", "loading", "decoding"]);
            b.attribute_filter(|element, attribute, value| match (element, attribute) {
                ("img", "srcset") if !srcset_urls(value).all(|u| safety::check_url(u).is_ok()) => None,
                _ => Some(value.into()),
            });
            b.url_schemes(safety::SAFE_SCHEMES.into_iter().collect());
            // Relative URLs pass, but `//other.site/` (a relative URL to the parser).
            b.url_relative(ammonia::UrlRelative::Custom(Box::new(safe_relative_url)));
            b
        })
        .clean(html)
        .to_string()
}

/// The addresses of a `srcset` (`a.480w.jpg 480w, a.jpg 800w`).
fn srcset_urls(srcset: &str) -> impl Iterator<Item = &str> {
    srcset.split(',').filter_map(|candidate| candidate.split_whitespace().next())
}

/// A relative URL in raw HTML, kept unless [`safety::check_url`] refuses it.
fn safe_relative_url(url: &str) -> Option<std::borrow::Cow<'_, str>> {
    safety::check_url(url).ok().map(|()| std::borrow::Cow::Borrowed(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every text colour of a stylesheet, as RGB.
    fn text_colours(css: &str) -> Vec<[u8; 3]> {
        let mut out = Vec::new();
        for (at, _) in css.match_indices("color: #") {
            if css[..at].ends_with("background-") {
                continue;
            }
            let hex = &css[at + 8..at + 14];
            out.push([0, 2, 4].map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()));
        }
        out
    }

    #[test]
    fn code_colours_meet_aa_on_the_light_and_dark_code_background() {
        let light = highlight_css();
        assert!(text_colours(&light).len() > 10, "the highlight stylesheet has its colours");
        for c in text_colours(&light) {
            assert!(contrast_ratio(c, LIGHT_CODE_BG) >= 4.5, "{c:?} on the light code background");
        }
        let dark_bg = [0x1f, 0x22, 0x26];
        let fixed = with_aa_contrast(".a { color: #4f5b66; background-color: #000000; }", dark_bg);
        assert!(fixed.contains("background-color: #000000"), "backgrounds are left alone: {fixed}");
        for c in text_colours(&fixed) {
            assert!(contrast_ratio(c, dark_bg) >= 4.5, "{c:?} on the dark code background");
        }
    }

    #[test]
    fn escapes_like_tera() {
        for s in
            ["", "社会工作", "<a href=\"x\">'&'</a>", "a/b", "关于《意见》的说明 & <注>", "末尾&", "𠀋<𠀋>", "ＡＢ\"'"]
        {
            assert_eq!(escape_html(s), tera::escape_html(s), "{s}");
        }
        assert_eq!(escape_attr("<\"会\"&'>"), "&lt;&quot;会&quot;&amp;&#39;&gt;");
    }

    fn render_plain(body: &str) -> (Document<'_>, String) {
        let doc = parse(body, 1);
        let resolve = |_: &LinkTarget| Some(Resolved { href: "../x/".to_string(), ..Resolved::default() });
        let topic_href = |_: usize| ("../../topics/t/".to_string(), "志愿服务".to_string());
        let html = render(
            &doc,
            &RenderContext { resolve: &resolve, glossary: None, topic_href: &topic_href, self_topic: None },
        )
        .html;
        (doc, html)
    }

    #[test]
    fn numbering_levels() {
        for (text, level) in [
            ("一、提高政治站位", Some(1)),
            ("十二、其他", Some(1)),
            ("（一）加强组织领导", Some(2)),
            ("(三)强化自身建设", Some(2)),
            ("1. 第一点", Some(3)),
            ("2、第二点", Some(3)),
            ("（1）小点", Some(4)),
            ("(12)小点", Some(4)),
            ("2024年以来", None),
            ("1.5倍", None),
            ("一是加强", None),
            ("一些人", None),
            ("(注)", None),
        ] {
            assert_eq!(numbering_level(text), level, "{text}");
        }
    }

    #[test]
    fn outline_headings_and_ids() {
        let body = "## 一、提高站位\n\n正文。\n\n（一）深刻认识\n\n正文。\n\n### 一、提高站位\n\n（二）这是一个很长的句子。后面还有句子。\n";
        let (doc, html) = render_plain(body);
        let levels: Vec<u8> = doc.headings.iter().map(|h| h.level).collect();
        assert_eq!(levels, [2, 3, 2]);
        assert_eq!(doc.headings[0].id, "一提高站位");
        assert_eq!(doc.headings[2].id, "一提高站位-2");
        assert_eq!(doc.headings[1].line, 5);
        assert!(html.contains("<h3 id=\"一深刻认识\">"), "{html}");
        assert!(html.contains("<p>（二）这是一个很长的句子。"), "{html}");
    }

    #[test]
    fn internal_links_are_found_with_position() {
        let body = "看[案例](@/cases/a.md#x)和[[迎泽品牌]]，\n以及[外部](https://example.org)与[本页](#top)。\n";
        let doc = parse(body, 10);
        let targets: Vec<_> = doc.links.iter().map(|l| (&l.target, l.line, l.column)).collect();
        assert_eq!(targets.len(), 3);
        assert_eq!(targets[0], (&LinkTarget::Path { path: "cases/a.md".into(), anchor: Some("x".into()) }, 10, 2));
        assert_eq!(targets[1].0, &LinkTarget::Title { title: "迎泽品牌".into(), anchor: None });
        assert_eq!(targets[2], (&LinkTarget::Anchor("top".into()), 11, 29));
    }

    #[test]
    fn raw_html_is_sanitized() {
        let (_, html) =
            render_plain("<script>alert(1)</script>\n\n<p onclick=\"x()\">段落</p>\n\n[a](javascript:alert(1))\n");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("段落"));
    }

    /// Every attribute value of every element of `html`, as a browser's DOM would hold it.
    fn attributes(html: &str) -> Vec<(String, String, String)> {
        let doc = scraper::Html::parse_fragment(html);
        doc.root_element()
            .descendants()
            .filter_map(scraper::ElementRef::wrap)
            .flat_map(|e| {
                let tag = e.value().name().to_string();
                e.value().attrs().map(move |(k, v)| (tag.clone(), k.to_string(), v.to_string())).collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn unsafe_addresses_are_refused_and_never_written() {
        let body = "[点](javascript:alert(1)) <javascript:alert(3)> [实体](&#106;avascript:alert(1))\n\
            [冒号](javascript&colon;alert(1)) [大写](JaVaScRiPt:alert(1)) [空格](< javascript:alert(1)>)\n\
            [编码](%6Aavascript:alert(1)) [制表](java&#9;script:alert(1)) [换行](java&#10;script:alert(1))\n\
            [vb](vbscript:msgbox(1)) [数据](data:text/html,<script>alert(1)</script>) [别站](//evil.example/)\n\
            ![图](javascript:alert(1)) ![图2](data:image/svg+xml,<svg/onload=alert(1)>)\n\
            [![内图](a.png)](javascript:alert(1))\n\
            [引用][r]\n\n[r]: javascript:alert(1)\n\n\
            ## 标题 {#h .note onmouseover=alert(2) style=color:red}\n\n\
            [好](https://example.org/a) [邮件](mailto:a@b.cn) <a@b.cn> [相对](../x/) ![好图](p.png)\n";
        let (doc, html) = render_plain(body);
        assert!(!doc.has_raw_html);
        let refused: Vec<(usize, usize)> = doc.errors.iter().map(|r| (r.line, r.column)).collect();
        assert_eq!(
            refused,
            [
                (1, 1),
                (1, 26),
                (1, 48),
                (2, 1),
                (2, 33),
                (2, 59),
                (3, 1),
                (3, 29),
                (3, 59),
                (4, 1),
                (4, 26),
                (4, 73),
                (5, 1),
                (5, 27),
                (6, 1),
                (7, 1),
                (11, 17),
                (11, 38),
            ],
            "{:#?}",
            doc.errors
        );
        assert!(doc.errors[0].message.contains("`[点](javascript:alert(1))`"), "{}", doc.errors[0].message);
        assert!(doc.errors[16].message.contains("`onmouseover=alert(2)`"), "{}", doc.errors[16].message);
        let attrs = attributes(&html);
        let urls: Vec<&str> =
            attrs.iter().filter(|(_, k, _)| k == "href" || k == "src").map(|(_, _, v)| v.as_str()).collect();
        // Local addresses (`a.png`, `../x/`) are what `link` resolved them to.
        assert_eq!(urls, ["../x/", "#h", "https://example.org/a", "mailto:a@b.cn", "mailto:a@b.cn", "../x/", "../x/"]);
        assert!(attrs.iter().all(|(_, k, _)| !k.starts_with("on") && k != "style"), "{attrs:?}");
        assert!(html.contains("<h2 id=\"h\" class=\"note\">"), "{html}");
        // The text of a refused link stays.
        assert!(html.contains("点") && html.contains("引用"), "{html}");
    }

    #[test]
    fn raw_html_keeps_only_safe_addresses() {
        let (_, html) = render_plain(
            "<a href=\"//evil.example/\">a</a> <a href=\"tel:1\">b</a> <a href=\"java&#x09;script:alert(1)\">c</a>\n\
             <img src=\"x\" onerror=\"alert(1)\"> <a href=\"https://ok.example/\">d</a> <a href=\"../x/\">e</a>\n",
        );
        let urls: Vec<String> =
            attributes(&html).into_iter().filter(|(_, k, _)| k == "href" || k == "src").map(|(_, _, v)| v).collect();
        // `x` is a path into the site: resolved like a Markdown picture's.
        assert_eq!(urls, ["../x/", "https://ok.example/", "../x/"], "{html}");
    }

    #[test]
    fn masked_names_stay_literal() {
        let (_, html) = render_plain("推动中国式现代化\\*\\*新实践，以\\_同志为核心\n");
        assert!(html.contains("现代化**新实践"), "{html}");
        assert!(html.contains("以_同志"), "{html}");
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let (_, html) = render_plain("```rust\nfn main() {}\n```\n");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("data-lang=\"rust\""));
    }

    #[test]
    fn glossary_links_first_mention_only_outside_headings_and_code() {
        let g = Glossary::new(&[("枫桥经验".into(), 0), ("楓橋經驗".into(), 0), ("志愿服务".into(), 1)], 2).unwrap();
        let body = "## 志愿服务\n\n`志愿服务`与[志愿服务](https://x)。坚持新时代“楓橋經驗”，枫桥经验。志愿服务队伍。\n";
        let doc = parse(body, 1);
        let resolve = |_: &LinkTarget| None;
        let topic_href = |i: usize| (format!("../t{i}/"), format!("专题{i}"));
        let html = render(
            &doc,
            &RenderContext { resolve: &resolve, glossary: Some(&g), topic_href: &topic_href, self_topic: None },
        )
        .html;
        assert_eq!(html.matches("class=\"term\"").count(), 2, "{html}");
        assert!(html.contains("<a class=\"term\" href=\"../t0/\" title=\"专题：专题0\">楓橋經驗</a>"), "{html}");
        assert!(html.contains("<a class=\"term\" href=\"../t1/\" title=\"专题：专题1\">志愿服务</a>队伍"), "{html}");
        assert!(html.contains("<code>志愿服务</code>"));
    }

    #[test]
    fn glossary_links_map_folded_matches_back_to_the_source_text() {
        let g = Glossary::new(&[("枫桥经验".into(), 0), ("志愿服务".into(), 1), ("社区".into(), 2)], 2).unwrap();
        // Full-width letters fold to one byte each, so folded and source offsets differ; the two
        // terms are adjacent and the last one ends the text. Topic 7, the page itself, is no term.
        let doc = parse("ＡＢＣ「楓橋經驗」楓橋經驗志願服務\n", 1);
        let resolve = |_: &LinkTarget| None;
        let topic_href = |i: usize| (format!("../t{i}/"), format!("专题{i}"));
        let ctx = RenderContext { resolve: &resolve, glossary: Some(&g), topic_href: &topic_href, self_topic: Some(7) };
        let html = render(&doc, &ctx).html;
        let link =
            |i: usize, text: &str| format!("<a class=\"term\" href=\"../t{i}/\" title=\"专题：专题{i}\">{text}</a>");
        let expected = format!("<p>ＡＢＣ「{}」楓橋經驗{}</p>", link(0, "楓橋經驗"), link(1, "志願服務"));
        assert_eq!(html.trim(), expected);
    }
}
