//! The saved-web-page reader: decodes by BOM or `<meta charset>`, finds the main article in the
//! DOM (readability-style: text blocks score their parent by length and commas, links count
//! against), and gives the cleaner the title, the metadata lines above the article and the
//! article's blocks. `<head>` metadata (og:title, publishdate, source, canonical) become hints.

use super::clean::escape_markdown;
use super::doc::{Asset, Block, Document, MetaHint, MetaKey};
use super::meta::{self, regex};
use ego_tree::NodeRef;
use rust_i18n::t;
use scraper::{ElementRef, Html, Node, Selector};
use std::collections::HashMap;
use std::path::Path;

/// Decodes a page: a BOM wins, then `<meta charset>` / `http-equiv` in the first bytes, then
/// UTF-8 if valid, else GB18030.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return (enc.decode_with_bom_removal(bytes).0.into_owned(), enc.name());
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let declared = regex!(r#"charset\s*=\s*["']?\s*([a-z0-9_\-]+)"#)
        .captures(&head)
        .and_then(|c| encoding_rs::Encoding::for_label(c[1].as_bytes()));
    let enc = match declared {
        // Pages declaring GB2312 or GBK often hold GB18030 characters: decode with the superset.
        Some(e) if e == encoding_rs::GBK || e == encoding_rs::GB18030 => encoding_rs::GB18030,
        Some(e) if e != encoding_rs::UTF_16LE && e != encoding_rs::UTF_16BE => e,
        _ if std::str::from_utf8(bytes).is_ok() => encoding_rs::UTF_8,
        // Undeclared and not UTF-8: GBK, or Big5 when GBK reads it as private-use characters.
        _ => match super::decode_chinese(bytes) {
            Some((text, "Big5")) => return (text, "Big5"),
            _ => encoding_rs::GB18030,
        },
    };
    (enc.decode_without_bom_handling(bytes).0.into_owned(), enc.name())
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "blockquote"
            | "center"
            | "ul"
            | "ol"
            | "li"
            | "table"
            | "tbody"
            | "thead"
            | "tr"
            | "td"
            | "th"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "footer"
            | "nav"
            | "aside"
            | "dl"
            | "dd"
            | "dt"
            | "pre"
            | "figure"
            | "figcaption"
            | "form"
            | "hr"
    )
}

fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "iframe"
            | "button"
            | "form"
            | "input"
            | "select"
            | "textarea"
            | "svg"
            | "template"
            // A player's fallback text (`您的浏览器不支持视频播放`) shows only where it cannot play.
            | "video"
            | "audio"
            | "object"
            | "canvas"
    )
}

/// Elements with a block element somewhere inside, found in one pass from the leaves up.
struct BlockParents(std::collections::HashSet<ego_tree::NodeId>);

impl BlockParents {
    fn of(html: &Html) -> BlockParents {
        let order: Vec<NodeRef<'_, Node>> = html.tree.root().descendants().collect();
        let mut set = std::collections::HashSet::new();
        for n in order.iter().rev() {
            let block = n.value().as_element().is_some_and(|el| is_block(el.name()));
            if (block || set.contains(&n.id()))
                && let Some(p) = n.parent()
            {
                set.insert(p.id());
            }
        }
        BlockParents(set)
    }

    fn has_block_child(&self, e: ElementRef) -> bool {
        self.0.contains(&e.id())
    }
}

fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if matches!(c, ' ' | '\n' | '\t' | '\r') {
            space = true;
        } else {
            if space && !out.is_empty() && !out.ends_with('\n') {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    if space && !out.is_empty() {
        out.push(' ');
    }
    out
}

fn text_of(e: ElementRef) -> String {
    let mut s = String::new();
    for n in e.descendants() {
        match n.value() {
            Node::Text(t) if !n.ancestors().any(|a| a.value().as_element().is_some_and(|el| is_skipped(el.name()))) => {
                s.push_str(&t.replace(['\n', '\r'], " "));
            }
            Node::Element(el) if el.name() == "br" => s.push('\n'),
            _ => {}
        }
    }
    s.split('\n').map(|l| collapse(l).trim().to_string()).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
}

/// Readability-style choice of the article's container: every text block with enough text
/// scores its parent (fully) and grandparent (half) by length and commas; link-heavy blocks
/// and containers named like sidebars count less.
fn article_root<'a>(html: &'a Html, blocks: &BlockParents) -> Option<ElementRef<'a>> {
    let mut scores: HashMap<ego_tree::NodeId, f64> = HashMap::new();
    for node in html.tree.root().descendants() {
        let Some(e) = ElementRef::wrap(node) else { continue };
        // `<dd>`: the turns of an interview or the answers of a Q&A set as a definition list.
        if !matches!(e.value().name(), "p" | "section" | "div" | "td" | "dd" | "pre" | "blockquote" | "span" | "font")
            || blocks.has_block_child(e)
        {
            continue;
        }
        let text = text_of(e);
        let n = text.chars().count();
        if n < 20 {
            continue;
        }
        let links: usize = e.select(selector("a")).map(|a| text_of(a).chars().count()).sum();
        let density = links as f64 / n as f64;
        let commas = text.matches(['，', '。', ',', '、']).count() as f64;
        let score = (1.0 + commas + (n as f64 / 100.0).min(3.0)) * (1.0 - density);
        let mut weight = 1.0;
        for anc in e
            .ancestors()
            .filter_map(ElementRef::wrap)
            .skip(usize::from(e.value().name() == "span" || e.value().name() == "font"))
            .take(2)
        {
            *scores.entry(anc.id()).or_default() += score * weight;
            weight /= 2.0;
        }
    }
    scores
        .into_iter()
        .filter_map(|(id, s)| {
            let e = ElementRef::wrap(html.tree.get(id)?)?;
            let name = format!("{} {}", e.value().attr("class").unwrap_or(""), e.value().attr("id").unwrap_or(""));
            let factor =
                if regex!(r"(?i)side|nav|footer|comment|related|recommend|share|menu|hot|rank|list").is_match(&name) {
                    0.3
                } else if regex!(r"(?i)content|article|text|main|body|detail|zoom|editor|con\b").is_match(&name) {
                    1.3
                } else {
                    1.0
                };
            Some((e, s * factor))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.id().cmp(&a.0.id())))
        .map(|(e, _)| e)
}

/// The article's title element when neither an `<h1>` nor the `<title>`'s main part finds it:
/// the element whose text opens the `<title>` before a column or site suffix (`标题-栏目-站名`);
/// or, when the `<title>` is only the site's name, the last short element before the article
/// that is named or set as a title (`class="title"`, `class="bt"`, a `<b>` line).
fn titled_element<'a>(
    html: &'a Html,
    raw_title: Option<&str>,
    root: ego_tree::NodeId,
    root_line: &std::collections::HashSet<ego_tree::NodeId>,
) -> Option<ElementRef<'a>> {
    let elements = || {
        html.root_element()
            .descendants()
            .filter_map(ElementRef::wrap)
            .filter(move |e| e.id() < root && !root_line.contains(&e.id()))
            .filter(|e| !matches!(e.value().name(), "head" | "title"))
    };
    if let Some(raw) = raw_title {
        let prefix = elements()
            .filter(|e| {
                let t = text_of(*e);
                t.chars().count() >= 6
                    && raw
                        .strip_prefix(t.as_str())
                        .is_some_and(|rest| rest.trim_start().starts_with(['-', '_', '|', '｜', '—', '–', '－']))
            })
            .last();
        if prefix.is_some() {
            return prefix;
        }
        // A `<title>` that the page's header band prints again (its logo) is the site's name.
        let in_header = elements().any(|e| text_of(e) == raw.trim() && in_site_header(e));
        if !meta::is_site_name(raw) && !in_header {
            return None;
        }
    }
    elements()
        .filter(|e| {
            let t = text_of(*e);
            let n = t.chars().count();
            let named = format!("{} {}", e.value().attr("class").unwrap_or(""), e.value().attr("id").unwrap_or(""));
            (6..=80).contains(&n)
                && !t.contains(['。', '\n'])
                && !meta::starts_with_label(&t)
                && !t.starts_with(['—', '－', '-'])
                && !regex!(r"(?i)sub-?title").is_match(&named)
                && (matches!(e.value().name(), "b" | "strong")
                    || regex!(r"(?i)title|\bbt\b|\btit\b|headline|biaoti").is_match(&named))
        })
        .last()
}

/// An element of the page's header band (its logo, its menu): where a `<title>` that is only the
/// site's name is printed again, never the article's title.
fn in_site_header(e: ElementRef) -> bool {
    std::iter::once(e).chain(e.ancestors().filter_map(ElementRef::wrap)).any(|a| {
        let named = format!("{} {}", a.value().attr("class").unwrap_or(""), a.value().attr("id").unwrap_or(""));
        matches!(a.value().name(), "header" | "nav")
            || regex!(r"(?i)\blogo|(^|[\s_-])(layout-)?header\b|\bnav(bar)?\b|\bmasthead\b|\bsite-?name\b|\bbrand\b")
                .is_match(&named)
    })
}

/// A picture's caption set as its own paragraph: a `<figcaption>`, or a short centred line
/// (often grey, small) right after an element holding a picture.
fn is_caption(e: ElementRef) -> bool {
    if e.value().name() == "figcaption" {
        return true;
    }
    let text = text_of(e);
    if text.chars().count() > 60 || text.contains('。') || text.is_empty() {
        return false;
    }
    let centred = |el: ElementRef| {
        let style = el.value().attr("style").unwrap_or("").to_ascii_lowercase().replace(' ', "");
        let class = el.value().attr("class").unwrap_or("").to_ascii_lowercase();
        style.contains("text-align:center") || regex!(r"caption|pic-?txt|img-?desc|imgtext|pictext").is_match(&class)
    };
    let after_picture = e
        .prev_siblings()
        .filter_map(ElementRef::wrap)
        .next()
        .is_some_and(|p| p.value().name() == "img" || p.select(selector("img")).next().is_some());
    (centred(e) || e.children().filter_map(ElementRef::wrap).any(centred)) && after_picture
}

fn selector(s: &'static str) -> &'static Selector {
    use std::sync::OnceLock;
    static CACHE: OnceLock<std::sync::Mutex<HashMap<&'static str, &'static Selector>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    map.entry(s).or_insert_with(|| {
        Box::leak(Box::new(Selector::parse(s).unwrap_or_else(|_| Selector::parse("*").expect("valid selector"))))
    })
}

fn head_hints(html: &Html) -> Vec<MetaHint> {
    let mut meta = Vec::new();
    let attr = |e: ElementRef, a: &str| e.value().attr(a).map(str::trim).unwrap_or("").to_string();
    let mut title = None;
    for e in html.select(selector("meta")) {
        let name = format!("{}{}", attr(e, "name"), attr(e, "property")).to_ascii_lowercase();
        let content = attr(e, "content");
        if content.is_empty() {
            continue;
        }
        let key = match name.as_str() {
            "og:title" | "articletitle" | "citation_title" => {
                title.get_or_insert(content.clone());
                continue;
            }
            "publishdate"
            | "pubdate"
            | "article:published_time"
            | "publish_time"
            | "firstpublishedtime"
            | "dc.date"
            | "date" => MetaKey::Date,
            "source" | "contentsource" | "dc.source" => MetaKey::Source,
            // A scholarly page's citation tags: the journal publishes it; its author, when it has
            // one only, is the one speaking (as for a signed article).
            "citation_journal_title" | "citation_conference_title" | "prism.publicationname" => MetaKey::Source,
            "citation_author" if html.select(selector("meta[name=citation_author]")).count() == 1 => MetaKey::Speaker,
            "og:url" => MetaKey::SourceUrl,
            _ => continue,
        };
        meta.push(MetaHint { key, value: content, origin: "<meta>" });
    }
    // Structured data (`<script type="application/ld+json">`): an article's `datePublished`,
    // `headline` and `publisher`. Its `author` counts only as an organisation (an account on a
    // platform); a person there is, on a news page, the reporter.
    for e in html.select(selector("script")) {
        if !attr(e, "type").eq_ignore_ascii_case("application/ld+json") {
            continue;
        }
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&e.text().collect::<String>()) else { continue };
        let items = value.get("@graph").cloned().unwrap_or(value);
        let items = match items {
            serde_json::Value::Array(a) => a,
            one => vec![one],
        };
        for item in items {
            let text = |v: Option<&serde_json::Value>| {
                v.and_then(|v| v.as_str().or_else(|| v.get("name").and_then(serde_json::Value::as_str)))
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
            };
            if let Some(d) = text(item.get("datePublished")) {
                meta.push(MetaHint { key: MetaKey::Date, value: d, origin: "ld+json" });
            }
            if let Some(h) = text(item.get("headline")) {
                title.get_or_insert(h);
            }
            // An organisation as the author (an account on a platform) is the source; the
            // publisher may be only the platform.
            if let Some(a) =
                item.get("author").filter(|a| a.get("@type").and_then(|t| t.as_str()) == Some("Organization"))
                && let Some(a) = text(Some(a))
            {
                meta.push(MetaHint { key: MetaKey::Source, value: a, origin: "ld+json author" });
            }
            if let Some(p) = text(item.get("publisher")) {
                meta.push(MetaHint { key: MetaKey::Source, value: p, origin: "ld+json" });
            }
        }
    }
    // A WeChat page names its account in `#js_name` (or `var nickname` in a script): the source.
    let account = html.select(selector("#js_name")).map(|e| text_of(e)).find(|t| !t.is_empty()).or_else(|| {
        html.select(selector("script")).find_map(|s| {
            regex!(r#"var\s+nickname\s*=\s*["']([^"']{2,30})["']"#)
                .captures(&s.text().collect::<String>())
                .map(|c| c[1].trim().to_string())
        })
    });
    if let Some(a) = account {
        meta.push(MetaHint { key: MetaKey::Source, value: a, origin: "WeChat account" });
    }
    for e in html.select(selector("link[rel=canonical]")) {
        let href = attr(e, "href");
        if href.starts_with("http") {
            meta.insert(0, MetaHint { key: MetaKey::SourceUrl, value: href, origin: "<link rel=canonical>" });
        }
    }
    // A reprint or permalink line anywhere on the page (`本文链接：<a>http…</a>`, `转载请注明来源：…
    // http…`), also outside the article: the address of the text.
    let label = regex!(r"本文链接|原文链接|原文地址|本文网址|本文地址|原文网址|转载");
    let url = regex!(r"https?://[^\s，。）)<>]+");
    for node in html.tree.nodes() {
        if let Node::Text(t) = node.value()
            && label.is_match(t)
            && let Some(parent) = node.parent().and_then(ElementRef::wrap)
        {
            let line = text_of(parent);
            if line.chars().count() <= 200
                && let Some(u) = url.find(&line)
            {
                meta.push(MetaHint { key: MetaKey::SourceUrl, value: u.as_str().to_string(), origin: "reprint line" });
                break;
            }
        }
    }
    let element = html.select(selector("title")).next().map(|t| text_of(t)).filter(|t| !t.is_empty());
    let title = title.or_else(|| element.clone()).filter(|t| !t.is_empty());
    // The `<title>` element too when `og:title` was preferred: its site part names the owner.
    if let Some(e) = element.filter(|e| title.as_ref().is_some_and(|t| t != e)) {
        meta.push(MetaHint { key: MetaKey::Title, value: e, origin: "<title> element" });
    }
    if let Some(t) = title {
        meta.insert(0, MetaHint { key: MetaKey::Title, value: t, origin: "<title>" });
    }
    meta
}

/// Finds a picture of a web archive (`.mhtml`) by the address the page gives it: the picture's
/// file name (unique in the archive) and its bytes.
pub type ArchivePictures<'a> = &'a dyn Fn(&str) -> Option<(String, Vec<u8>)>;

/// Reads a saved page. `dir` is the page's folder: pictures found there are copied as assets.
pub fn read(bytes: &[u8], dir: Option<&Path>) -> Result<Document, String> {
    read_archived(bytes, dir, None)
}

/// [`read`] for a page of a web archive, whose pictures `archive` finds.
pub fn read_archived(bytes: &[u8], dir: Option<&Path>, archive: Option<ArchivePictures>) -> Result<Document, String> {
    let (text, _) = decode(bytes);
    let html = Html::parse_document(&text);
    // A viewer's shell page (a document preview, an embedded article) whose text is the
    // document inside `<iframe srcdoc="…">`: that document is read, with the shell's address.
    if let Some(inner) = framed_document(&html) {
        let mut doc = read_archived(inner.as_bytes(), dir, archive)?;
        let shell = read_archived_page(&text, &html, dir, archive)
            .map(|d| d.meta.into_iter().filter(|h| h.key == MetaKey::SourceUrl).collect::<Vec<_>>())
            .unwrap_or_default();
        doc.meta.extend(shell);
        return Ok(doc);
    }
    read_archived_page(&text, &html, dir, archive)
}

/// The document of an `<iframe srcdoc>` that holds more text than the page around it (the
/// page is only its frame). A document framed again inside it is read the same way.
fn framed_document(html: &Html) -> Option<String> {
    let frame =
        html.select(selector("iframe[srcdoc]")).filter_map(|f| f.value().attr("srcdoc")).max_by_key(|d| d.len())?;
    let inner = Html::parse_document(frame);
    let visible = |h: &Html| {
        h.select(selector("body")).next().map_or(0, |b| text_of(b).chars().filter(|c| !c.is_whitespace()).count())
    };
    (visible(&inner) > visible(html)).then(|| frame.to_string())
}

fn read_archived_page(
    text: &str,
    html: &Html,
    dir: Option<&Path>,
    archive: Option<ArchivePictures>,
) -> Result<Document, String> {
    let mut doc = Document { meta: head_hints(html), ..Document::default() };
    // A browser's `<!-- saved from url=(0071)http://… -->` mark: the page's address, the last
    // resort after the canonical link and a reprint line.
    let start: String = text.chars().take(2000).collect();
    if let Some(c) = regex!(r"<!--\s*saved from url=\(\d+\)\s*(https?://[^\s>]+?)\s*-->").captures(&start) {
        doc.meta.push(MetaHint { key: MetaKey::SourceUrl, value: c[1].to_string(), origin: "saved from" });
    }
    // A save by a browser extension (SingleFile, Save Page WE, …) names the page's address in
    // its opening comment (`url: https://…`); a saved page's `<base href>` does too.
    if let Some(c) = regex!(r"<!--(?:[^-]|-[^-]){0,400}?\burl:\s*(https?://[^\s>]+)").captures(&start) {
        doc.meta.push(MetaHint { key: MetaKey::SourceUrl, value: c[1].to_string(), origin: "saved from" });
    }
    if let Some(href) = html.select(selector("base[href]")).filter_map(|b| b.value().attr("href")).next()
        && (href.starts_with("http://") || href.starts_with("https://"))
        && !href.contains(char::is_whitespace)
        // A folder or the site's root is not the page's address.
        && !href.trim().ends_with('/')
    {
        doc.meta.push(MetaHint { key: MetaKey::SourceUrl, value: href.trim().to_string(), origin: "saved from" });
    }
    // A copy saved from a web archive: its links are the archive's, the page's own address is
    // the one the archive names.
    let archived = super::kinds::archived_address(&text.chars().take(20_000).collect::<String>());
    for h in doc.meta.iter_mut().filter(|h| h.key == MetaKey::SourceUrl) {
        h.value = super::kinds::unarchived(&h.value);
    }
    if let Some(url) = archived {
        doc.meta.push(MetaHint { key: MetaKey::SourceUrl, value: url, origin: "archived copy" });
    }
    let block_parents = BlockParents::of(html);
    let Some(root) = article_root(html, &block_parents) else {
        return Err(t!("import.html.no_article").into_owned());
    };
    let title_hint = doc.meta.iter().find(|h| h.key == MetaKey::Title).map(|h| meta::strip_site_parts(&h.value));
    // The title: the last <h1> before the article, else the deepest element holding exactly the
    // <title>'s main part.
    let root_line: std::collections::HashSet<ego_tree::NodeId> = root.ancestors().map(|a| a.id()).collect();
    let before = |e: &ElementRef| e.id() < root.id() && !root_line.contains(&e.id());
    let raw_title = doc.meta.iter().find(|h| h.key == MetaKey::Title).map(|h| h.value.trim().to_string());
    let title_el = html
        .select(selector("h1"))
        .rfind(|e| before(e) && !text_of(*e).is_empty())
        .or_else(|| {
            let hint = title_hint.as_deref()?;
            html.root_element()
                .descendants()
                .filter_map(ElementRef::wrap)
                .filter(|e| before(e) && !matches!(e.value().name(), "head" | "title") && text_of(*e) == hint)
                .filter(|e| !in_site_header(*e))
                .last()
        })
        .or_else(|| titled_element(html, raw_title.as_deref(), root.id(), &root_line));
    let mut blocks = Vec::new();
    // Labelled metadata above the article (a 政务公开 table of 索引号/发文机关/成文日期).
    for tr in html.select(selector("tr")) {
        if before(&tr) && title_el.is_none_or(|t| tr.id() < t.id()) {
            let cells: Vec<String> = tr.select(selector("td, th")).map(|c| text_of(c)).collect();
            let line = cells.join("　");
            if meta::starts_with_label(&line) {
                blocks.push(Block::Paragraph(escape_markdown(&line)));
            }
        }
    }
    if let Some(t) = title_el {
        blocks.push(Block::Heading { level: 1, text: text_of(t).replace('\n', "") });
        // Short lines between the title and the article: author, date and source lines. A
        // table cell holding only a label (`访谈时间：`) is read with the cell after it.
        let mut label = String::new();
        for node in html.root_element().descendants() {
            let Some(e) = ElementRef::wrap(node) else { continue };
            if e.id() <= t.id() || t.descendants().any(|d| d.id() == e.id()) || !before(&e) {
                continue;
            }
            if is_block(e.value().name())
                && !block_parents.has_block_child(e)
                && !e.ancestors().any(|a| a.value().as_element().is_some_and(|el| is_skipped(el.name())))
            {
                let line = match bar_items(e) {
                    Some(items) => items.join("\u{3000}"),
                    None => text_of(e),
                };
                if matches!(e.value().name(), "td" | "th") && line.ends_with(['：', ':']) && line.chars().count() <= 10
                {
                    label = line;
                    continue;
                }
                let line = std::mem::take(&mut label) + &line;
                if !line.is_empty() {
                    blocks.push(Block::Paragraph(escape_markdown(&line)));
                }
            }
        }
    }
    let mut walker = Walker {
        dir,
        archive,
        block_parents: &block_parents,
        blocks: Vec::new(),
        buf: String::new(),
        assets: Vec::new(),
        pending_figures: Vec::new(),
        link_end: None,
    };
    walker.walk(*root);
    walker.flush();
    blocks.append(&mut walker.blocks);
    // A pager just under the article, outside the element that holds it (`第1页　共3页　下一页`):
    // read with the article, where it marks the cut of a page saved alone.
    let last_inside = root.descendants().last().map_or(root.id(), |n| n.id());
    if let Some(pager) = html
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.id() > last_inside && is_block(e.value().name()) && !block_parents.has_block_child(*e))
        .take(8)
        .map(|e| text_of(e).replace('\n', " "))
        .find(|t| super::clean::is_pager_before_last(t))
    {
        blocks.push(Block::Paragraph(escape_markdown(&pager)));
    }
    doc.blocks = blocks;
    doc.assets = walker.assets;
    Ok(doc)
}

struct Walker<'a> {
    dir: Option<&'a Path>,
    archive: Option<ArchivePictures<'a>>,
    block_parents: &'a BlockParents,
    blocks: Vec<Block>,
    buf: String,
    assets: Vec<Asset>,
    pending_figures: Vec<Block>,
    /// Where the last link ended in `buf`: a link right after it (no text between) is the next
    /// button of a bar, set apart by a wide space.
    link_end: Option<usize>,
}

impl<'a> Walker<'a> {
    fn sub(&self) -> Walker<'a> {
        Walker {
            dir: self.dir,
            archive: self.archive,
            block_parents: self.block_parents,
            blocks: Vec::new(),
            buf: String::new(),
            assets: Vec::new(),
            pending_figures: Vec::new(),
            link_end: None,
        }
    }

    fn flush(&mut self) {
        let text = self
            .buf
            .split('\n')
            .map(|l| l.trim())
            .filter(|l| !l.is_empty() && *l != "****")
            .collect::<Vec<_>>()
            .join("\n");
        if !text.is_empty() {
            self.blocks.push(Block::Paragraph(text));
        }
        self.buf.clear();
        self.blocks.append(&mut self.pending_figures);
    }

    fn walk(&mut self, node: NodeRef<'_, Node>) {
        for child in node.children() {
            match child.value() {
                Node::Text(t) => self.buf.push_str(&escape_markdown(&collapse(&t.text))),
                Node::Element(el) => {
                    let name = el.name();
                    let Some(e) = ElementRef::wrap(child) else { continue };
                    if is_skipped(name) || super::kinds::is_insertion_box(el) {
                        continue;
                    }
                    match name {
                        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                            self.flush();
                            let level = name[1..].parse::<u8>().unwrap_or(2).max(2);
                            let text = text_of(e).replace('\n', " ");
                            if !text.is_empty() {
                                self.blocks.push(Block::Heading { level, text });
                            }
                        }
                        "ul" | "ol" if is_contents_list(e) => {
                            // A table of contents repeats the headings below; its `目录` heading
                            // goes with it.
                            self.flush();
                            if let Some(Block::Heading { text, .. }) = self.blocks.last()
                                && regex!(r"^(目\s*录|(?i:contents))$").is_match(text.trim())
                            {
                                self.blocks.pop();
                            }
                        }
                        "ul" | "ol" => {
                            self.flush();
                            let items: Vec<String> = e
                                .children()
                                .filter_map(ElementRef::wrap)
                                .filter(|li| li.value().name() == "li")
                                .map(|li| {
                                    let mut w = self.sub();
                                    w.inline(li);
                                    w.buf.replace('\n', " ").trim().to_string()
                                })
                                .filter(|s| !s.is_empty())
                                .collect();
                            if !items.is_empty() {
                                self.blocks.push(Block::List { ordered: name == "ol", items });
                            }
                        }
                        "table" if is_data_table(e) => {
                            self.flush();
                            let rows: Vec<Vec<String>> = e
                                .select(selector("tr"))
                                .map(|tr| {
                                    tr.children()
                                        .filter_map(ElementRef::wrap)
                                        .filter(|c| matches!(c.value().name(), "td" | "th"))
                                        .map(|c| escape_markdown(&text_of(c).replace('\n', " ")))
                                        .collect()
                                })
                                .filter(|r: &Vec<String>| !r.is_empty())
                                .collect();
                            if !rows.is_empty() {
                                self.blocks.push(Block::Table(rows));
                            }
                        }
                        "img" => {
                            self.figure(e);
                        }
                        "br" => self.buf.push('\n'),
                        _ if is_block(name) && !self.block_parents.has_block_child(e) && is_caption(e) => {
                            self.flush();
                            let text = text_of(e).replace('\n', " ");
                            self.blocks.push(Block::Paragraph(format!("*{}*", escape_markdown(text.trim()))));
                        }
                        _ if is_block(name) => {
                            self.flush();
                            if let Some(rows) = grid_rows(e, self.block_parents) {
                                self.blocks.push(Block::Table(rows));
                            } else if self.block_parents.has_block_child(e) {
                                self.walk(child);
                            } else if let Some(items) = bar_items(e) {
                                self.buf.push_str(&escape_markdown(&items.join("\u{3000}")));
                            } else {
                                self.inline(e);
                            }
                            self.flush();
                        }
                        _ => self.inline(e),
                    }
                }
                _ => {}
            }
        }
    }

    /// Inline content as Markdown: bold, italic, links (web and mail only), pictures.
    fn inline(&mut self, e: ElementRef) {
        for child in e.children() {
            match child.value() {
                Node::Text(t) => self.buf.push_str(&escape_markdown(&collapse(&t.text))),
                Node::Element(el) => {
                    let Some(c) = ElementRef::wrap(child) else { continue };
                    match el.name() {
                        n if is_skipped(n) => {}
                        "br" => self.buf.push('\n'),
                        "img" => self.figure(c),
                        "strong" | "b" | "em" | "i" => {
                            let mark = if matches!(el.name(), "strong" | "b") { "**" } else { "*" };
                            let mut inner = self.sub();
                            inner.inline(c);
                            self.assets.append(&mut inner.assets);
                            self.pending_figures.append(&mut inner.pending_figures);
                            let text = inner.buf.trim().to_string();
                            if text.is_empty() {
                                self.buf.push_str(&inner.buf);
                            } else if self.buf.ends_with(mark) {
                                // Adjacent bold runs are one: `**a****b**` would not render.
                                self.buf.truncate(self.buf.len() - mark.len());
                                self.buf.push_str(&format!("{text}{mark}"));
                            } else {
                                self.buf.push_str(&format!("{mark}{text}{mark}"));
                            }
                        }
                        "a" => {
                            let href = el.attr("href").unwrap_or("").trim();
                            let mut inner = self.sub();
                            inner.inline(c);
                            self.assets.append(&mut inner.assets);
                            self.pending_figures.append(&mut inner.pending_figures);
                            let text = inner.buf.trim();
                            // Links side by side with nothing between (`<a>在线办理</a><a>预约办理</a>`)
                            // are a bar of buttons: a wide space keeps them apart, as on screen.
                            if !text.is_empty() && self.link_end == Some(self.buf.len()) {
                                self.buf.push('\u{3000}');
                            }
                            let web = ["http://", "https://", "mailto:"]
                                .iter()
                                .any(|p| href.to_ascii_lowercase().starts_with(p));
                            if web && !text.is_empty() && !href.contains([' ', ')', '(']) {
                                self.buf.push_str(&format!("[{text}]({href})"));
                            } else {
                                self.buf.push_str(text);
                            }
                            self.link_end = Some(self.buf.len());
                        }
                        _ => self.inline(c),
                    }
                }
                _ => {}
            }
        }
    }

    fn figure(&mut self, img: ElementRef) {
        let src = img.value().attr("src").unwrap_or("").trim();
        let alt = img.value().attr("alt").unwrap_or("").trim().to_string();
        if src.is_empty() {
            return;
        }
        // A picture saved inside the page (SingleFile, 'save as one file'): `data:image/png;base64,…`.
        if src.starts_with("data:") {
            if let Some((ext, bytes)) = inline_picture(src) {
                let name = format!("inline-{}.{ext}", self.assets.len() + 1);
                self.assets.push(Asset { name: name.clone(), bytes });
                self.pending_figures.push(Block::Figure { file: name, alt, caption: None });
            } else if !alt.is_empty() {
                self.pending_figures.push(Block::Paragraph(format!("［图：{}］", escape_markdown(&alt))));
            }
            return;
        }
        if let Some((name, bytes)) = self.archive.and_then(|find| find(src)) {
            if !self.assets.iter().any(|a| a.name == name) {
                self.assets.push(Asset { name: name.clone(), bytes });
            }
            self.pending_figures.push(Block::Figure { file: name, alt, caption: None });
            return;
        }
        let name = src.rsplit('/').next().unwrap_or(src).split(['?', '#']).next().unwrap_or("").to_string();
        let local = self
            .dir
            .filter(|_| !src.contains("://") && !src.starts_with('/') && !src.split(['/', '\\']).any(|c| c == ".."))
            .map(|d| d.join(crate::safety::percent_decode(src)));
        let file = match local.and_then(|p| std::fs::read(&p).ok()) {
            Some(bytes) if !name.is_empty() => {
                if !self.assets.iter().any(|a| a.name == name) {
                    self.assets.push(Asset { name: name.clone(), bytes });
                }
                name
            }
            _ if src.starts_with("http://") || src.starts_with("https://") => src.to_string(),
            // A picture that was not saved with the page: its description is kept.
            _ => String::new(),
        };
        if file.is_empty() {
            if !alt.is_empty() {
                self.pending_figures.push(Block::Paragraph(format!("［图：{}］", escape_markdown(&alt))));
            }
            return;
        }
        self.pending_figures.push(Block::Figure { file, alt, caption: None });
    }
}

/// A list of links to the page's own sections (`<a href="#s1">1 积分规则</a>`, two or more),
/// with little text besides its numbers: a table of contents.
fn is_contents_list(list: ElementRef) -> bool {
    let links: Vec<ElementRef> = list.select(selector("a")).collect();
    let anchors = links.iter().filter(|a| a.value().attr("href").is_some_and(|h| h.trim().starts_with('#'))).count();
    if anchors < 2 || anchors < links.len() {
        return false;
    }
    let linked: usize = links.iter().map(|a| text_of(*a).chars().count()).sum();
    let all = text_of(list).chars().filter(|c| !c.is_whitespace() && !c.is_ascii_digit() && *c != '.').count();
    all <= linked + 2 * anchors
}

/// A table built of `<div>`s (a CSS grid or flex rows): three rows or more, each of the same
/// number of cells (two or more), every cell a block without blocks inside and short text.
/// Read cell by cell it would be a heap of lone words and numbers.
fn grid_rows(e: ElementRef, blocks: &BlockParents) -> Option<Vec<Vec<String>>> {
    fn elements<'b>(p: ElementRef<'b>) -> Option<Vec<ElementRef<'b>>> {
        let mut out = Vec::new();
        for c in p.children() {
            match c.value() {
                Node::Text(t) if t.text.trim().is_empty() => {}
                Node::Element(_) => out.push(ElementRef::wrap(c)?),
                Node::Comment(_) => {}
                _ => return None,
            }
        }
        Some(out)
    }
    let rows = elements(e)?;
    if rows.len() < 3 || rows.iter().any(|r| r.value().name() != "div") {
        return None;
    }
    let mut table = Vec::new();
    for row in rows {
        let cells = elements(row)?;
        if cells.len() < 2
            || table.first().is_some_and(|first: &Vec<String>| first.len() != cells.len())
            || cells.iter().any(|c| !matches!(c.value().name(), "div" | "span") || blocks.has_block_child(*c))
        {
            return None;
        }
        let texts: Vec<String> = cells.iter().map(|c| escape_markdown(&text_of(*c).replace('\n', " "))).collect();
        if texts.iter().any(|t| t.chars().count() > 60) {
            return None;
        }
        table.push(texts);
    }
    Some(table)
}

/// The items of a bar of tabs or buttons, or of a line of metadata fields, built of inline
/// elements side by side (`<span>文字实录</span><span>图片直播</span><span>网友留言</span>`,
/// `<span>公示</span><span>某社区居委会</span><span>2025-11-30</span>`): three or more of one
/// kind, nothing but spaces between them, each a few words without sentence punctuation. On
/// screen they stand apart; read as one run they would be one word.
fn bar_items(e: ElementRef) -> Option<Vec<String>> {
    let mut items = Vec::new();
    let mut tag = None;
    for child in e.children() {
        match child.value() {
            Node::Text(t) if t.text.trim().is_empty() => {}
            Node::Element(el) => {
                let c = ElementRef::wrap(child)?;
                // A word processor's runs carry their style: they are pieces of one sentence.
                if !matches!(el.name(), "span" | "a" | "button" | "label" | "li")
                    || tag.is_some_and(|t| t != el.name())
                    || el.attr("style").is_some()
                    || el.attr("lang").is_some()
                {
                    return None;
                }
                tag = Some(el.name());
                let text = text_of(c).replace('\n', " ");
                let n = text.chars().count();
                if !(1..=16).contains(&n) || text.contains(|c: char| "，。、；！？,;!?".contains(c)) {
                    return None;
                }
                items.push(text);
            }
            _ => return None,
        }
    }
    (items.len() >= 3).then_some(items)
}

/// Largest picture kept from a `data:` address (its base64 text is a third larger).
const MAX_INLINE_PICTURE: usize = 20 << 20;

/// The picture in a `data:image/…;base64,` address, if it is a PNG, JPEG, GIF or WebP whose
/// bytes say so: its extension and bytes. Anything else (SVG, text, a mislabelled file) is not
/// kept.
fn inline_picture(src: &str) -> Option<(&'static str, Vec<u8>)> {
    let (head, data) = src.split_once(',')?;
    let head = head.to_ascii_lowercase();
    if !head.ends_with(";base64") || data.len() > MAX_INLINE_PICTURE / 3 * 4 + 4 {
        return None;
    }
    let bytes = base64_decode(data)?;
    let ext = match bytes.as_slice() {
        [0x89, b'P', b'N', b'G', ..] => "png",
        [0xFF, 0xD8, 0xFF, ..] => "jpg",
        [b'G', b'I', b'F', b'8', ..] => "gif",
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => "webp",
        _ => return None,
    };
    Some((ext, bytes))
}

/// Standard base64 (whitespace and `%0A`-style line breaks ignored); `None` on any other byte.
pub(crate) fn base64_decode(data: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in data.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            b' ' | b'\n' | b'\r' | b'\t' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// A table of data, not of layout: no nested tables and no long running text in a cell.
fn is_data_table(t: ElementRef) -> bool {
    !t.descendants().skip(1).any(|n| n.value().as_element().is_some_and(|e| e.name() == "table"))
        && t.select(selector("td, th")).all(|c| text_of(c).chars().count() <= 200)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_pictures_are_kept_only_when_their_bytes_are_a_picture() {
        // A 1×1 PNG's signature and header, base64.
        let png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB";
        assert_eq!(inline_picture(png).map(|(e, b)| (e, b[..4].to_vec())), Some(("png", vec![0x89, b'P', b'N', b'G'])));
        assert!(inline_picture("data:image/png;base64,PHN2Zz48L3N2Zz4=").is_none(), "an SVG labelled PNG");
        assert!(inline_picture("data:image/svg+xml,<svg></svg>").is_none());
        assert!(inline_picture("data:image/png;base64,@@@").is_none());
    }

    #[test]
    fn finds_the_article_and_its_header() {
        let page = r#"<html><head><meta charset="utf-8"><title>某某社区议事会 - 某某网</title>
        <link rel="canonical" href="https://example.cn/a/1.html"></head><body>
        <div class="nav"><a href="/">首页</a> | <a href="/b">新闻</a></div>
        <h1>某某社区议事会</h1><div class="info">2024-05-09 来源：某某街道</div>
        <div class="content"><p>社区党委牵头成立议事会，居民有事好商量，大家的事大家办。</p>
        <p><strong>一、建立机制</strong></p><p>每月召开一次议事会，议题由居民提出，结果张榜公示。</p>
        <ul><li>议题征集</li><li>协商表决</li></ul>
        <p>详见<a href="https://example.cn/x">通知</a>和<a href="javascript:alert(1)">附件</a>。</p></div>
        <div class="side"><p>热门：<a href="/1">别的文章标题很长很长很长很长很长</a></p></div></body></html>"#;
        let doc = read(page.as_bytes(), None).unwrap();
        assert_eq!(doc.blocks[0], Block::Heading { level: 1, text: "某某社区议事会".into() });
        assert_eq!(doc.blocks[1], Block::Paragraph("2024-05-09 来源：某某街道".into()));
        assert!(doc.blocks.contains(&Block::Paragraph("**一、建立机制**".into())));
        assert!(
            doc.blocks
                .contains(&Block::List { ordered: false, items: vec!["议题征集".into(), "协商表决".into()] })
        );
        assert!(
            doc.blocks.contains(&Block::Paragraph("详见[通知](https://example.cn/x)和附件。".into())),
            "{:?}",
            doc.blocks
        );
        assert!(!format!("{:?}", doc.blocks).contains("热门"));
        assert!(doc.meta.iter().any(|m| m.key == MetaKey::SourceUrl && m.value == "https://example.cn/a/1.html"));
    }

    #[test]
    fn decodes_by_declared_charset() {
        let page = "<html><head><meta charset=\"gbk\"></head><body><p>社会工作</p></body></html>";
        let bytes = encoding_rs::GBK.encode(page).0;
        assert_eq!(decode(&bytes).0, page);
    }
}
