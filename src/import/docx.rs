//! The Word (`.docx`) reader: the main document part of the zip package becomes `Block`s.
//!
//! Paragraph styles are resolved through `styles.xml` (names such as `heading 2`/`标题 2`, ids
//! such as `Heading2`, outline levels, `basedOn` chains) so styled headings become
//! `Block::Heading`; Word's auto-numbering is rendered into the text when it is the Chinese
//! outline format (`一、`, `（一）`), other numbered and bulleted paragraphs become lists. Page
//! headers and footers live in parts of their own, which this reader never opens. Manual
//! numbering typed by the author stays in the text for the cleaner.
//!
//! The package is untrusted: sizes are checked before and while inflating (zip bombs), XML
//! nesting is bounded, and every malformed part is an `Err`, never a panic.

use super::clean::{escape_markdown, is_organization, plain_of};
use super::doc::{Asset, Block, Document, MetaHint, MetaKey};
use super::meta;
use super::meta::regex;
use quick_xml::events::Event;
use quick_xml::reader::Reader;
use rust_i18n::t;
use std::collections::HashMap;
use std::io::{Cursor, Read};

/// Most a package may inflate to, all parts together (pictures included).
const MAX_TOTAL_BYTES: u64 = 200 << 20;
/// A part this many times larger than its compressed size is a zip bomb, not a document (text
/// XML compresses about 5–20×; a picture hardly at all).
const MAX_RATIO: u64 = 200;
/// Ratios are only judged on parts larger than this (tiny parts compress oddly).
const RATIO_FLOOR: u64 = 1 << 20;
const MAX_ENTRIES: usize = 10_000;
/// Deepest XML nesting accepted (real documents stay far below 64).
const MAX_DEPTH: usize = 256;
/// Longest `basedOn` chain followed (Word itself allows no cycles; a damaged file may).
const MAX_STYLE_CHAIN: usize = 32;

/// Reads a `.docx` file.
pub fn read(bytes: &[u8]) -> Result<Document, String> {
    let mut package = Package::open(bytes)?;
    let main = package.main_part()?;
    let rels = package.relationships(&main)?;
    let styles = match rels.target_of_type("/styles") {
        Some(path) => Styles::parse(&package.xml(&path)?),
        None => Styles::default(),
    };
    let numbering = match rels.target_of_type("/numbering") {
        Some(path) => Numbering::parse(&package.xml(&path)?),
        None => Numbering::default(),
    };
    let body = package.xml(&main)?;
    let mut reader = BodyReader {
        package: &mut package,
        rels: &rels,
        styles: &styles,
        numbering,
        doc: Document::default(),
        toc_depth: 0,
        right_aligned: Vec::new(),
    };
    reader.body(&body)?;
    let right_aligned = std::mem::take(&mut reader.right_aligned);
    let mut doc = reader.doc;
    let mut reader_meta = std::mem::take(&mut doc.meta);
    // Footnotes and endnotes are the article's text: their definitions go at the end, in order
    // of reference. Endnote marks read as `[^eN]` (their ids restart at 1); without footnotes
    // they are plain `[^N]`.
    let mut notes = notes_of(&mut package, &rels, "footnote");
    let endnotes = notes_of(&mut package, &rels, "endnote");
    if notes.is_empty() {
        for block in &mut doc.blocks {
            if let Block::Paragraph(t) = block
                && t.contains("[^e")
            {
                *t = t.replace("[^e", "[^");
            }
        }
        notes = endnotes;
    } else {
        notes.extend(endnotes.into_iter().map(|(id, text)| (format!("e{id}"), text)));
    }
    if !notes.is_empty() {
        let mut seen = std::collections::HashSet::new();
        let mut order = Vec::new();
        for block in &doc.blocks {
            if let Block::Paragraph(t) = block {
                for c in regex!(r"\[\^(e?[0-9]+)\]").captures_iter(t) {
                    if seen.insert(c[1].to_string()) {
                        order.push(c[1].to_string());
                    }
                }
            }
        }
        for id in order {
            if let Some(text) = notes.get(&id) {
                doc.blocks.push(Block::Paragraph(format!("[^{id}]: {}", escape_markdown(text))));
            }
        }
    }
    // What the document's layout says is stronger than the file's properties: listed first.
    let mut meta = structure_hints(&doc.blocks);
    meta.extend(signature_block(&doc.blocks, &right_aligned));
    meta.extend(doc.blocks.iter().take(12).filter_map(|b| match b {
        Block::Paragraph(t) => cover_unit(&plain_of(t)),
        _ => None,
    }));
    meta.extend(running_lines(&mut package, &rels));
    meta.append(&mut reader_meta);
    let official = doc.blocks.iter().take(6).any(|b| matches!(b, Block::Paragraph(t) if is_doc_number(&plain_of(t))));
    meta.extend(core_properties(&mut package, official));
    demote_banner(&mut doc.blocks);
    if let Some(title) = drop_translated_title(&mut doc.blocks) {
        meta.insert(
            0,
            MetaHint { key: MetaKey::Title, value: title, origin: "the title above its English translation" },
        );
    }
    drop_doc_number(&mut doc.blocks);
    meta.extend(drop_colophon(&mut doc.blocks));
    doc.meta = meta;
    Ok(doc)
}

/// A cover's line naming who issued or wrote the text: `某某市场监督管理局　发布` (a standard),
/// `评估机构：某某评估中心`, `编制单位：…` (a report). Who commissioned or funded it is not the
/// author (`委托单位`, `资助单位`).
pub(super) fn cover_unit(line: &str) -> Option<MetaHint> {
    let line = line.trim();
    let unit = regex!(r"^(\S.{3,30}?)\s*发布$")
        .captures(line)
        .or_else(|| {
            regex!(r"^\p{Han}{0,4}?(?:评估|编制|编写|编印|撰写|报告|出品|发布|承担|实施|研究|提供|供稿|报送|申报)(?:单位|机构|方)\s*[:：]\s*(\S.{3,30})$")
                .captures(line)
        })
        .map(|c| c[1].trim().to_string())?;
    is_organization(&unit).then_some(MetaHint { key: MetaKey::Source, value: unit, origin: "the cover's issuing unit" })
}

/// A 发文字号 alone on its line (`某民函〔2025〕58号`).
pub(super) fn is_doc_number(t: &str) -> bool {
    let t = t.trim();
    regex!(r"^\p{Han}{1,12}\s*[〔［\[【(（]\s*(?:19|20)\d{2}\s*[〕］\]】)）]\s*(?:第\s*)?\d{1,5}\s*号$").is_match(t)
}

/// The 落款 of a letter or notice typed in Word: the unit and the date under it, both set flush
/// right (anywhere in the text, as an attachment may follow). The date is the text's 成文日期.
fn signature_block(blocks: &[Block], right_aligned: &[usize]) -> Vec<MetaHint> {
    let plain = |i: usize| match blocks.get(i) {
        Some(Block::Paragraph(t)) => plain_of(t).trim().to_string(),
        _ => String::new(),
    };
    let calendar = meta::Calendar::default();
    right_aligned
        .windows(2)
        .filter(|w| w[1] == w[0] + 1)
        .find(|w| is_organization(&plain(w[0])) && meta::is_date_only(&plain(w[1]), calendar))
        .and_then(|w| {
            let date = meta::dates(&plain(w[1]), calendar).into_iter().next()?;
            Some(vec![
                MetaHint { key: MetaKey::Source, value: plain(w[0]), origin: "unit above the date" },
                MetaHint { key: MetaKey::Date, value: date, origin: "the 落款 (unit and date set flush right)" },
            ])
        })
        .unwrap_or_default()
}

/// A 公文's banner set in the Title style (`某某区民政局`, `某某部文件`) over its 发文字号 or its
/// `关于…` title: a paragraph for the cleaner (which drops it), not the document's title.
fn demote_banner(blocks: &mut [Block]) {
    let Some(i) = blocks.iter().take(3).position(|b| matches!(b, Block::Heading { level: 1, .. })) else { return };
    let Block::Heading { text, .. } = &blocks[i] else { return };
    let banner = plain_of(text).trim().to_string();
    let below = |b: &Block| match b {
        Block::Paragraph(t) | Block::Heading { text: t, .. } => {
            let p = plain_of(t);
            is_doc_number(&p) || p.trim().starts_with("关于")
        }
        _ => false,
    };
    if (is_organization(&banner) || banner.ends_with("文件")) && blocks[i + 1..].iter().take(2).any(below) {
        blocks[i] = Block::Paragraph(format!("**{}**", escape_markdown(&banner)));
    }
}

/// The 发文字号 under a 公文's banner is metadata, not text: the first one alone on its line
/// near the top goes.
fn drop_doc_number(blocks: &mut Vec<Block>) {
    if let Some(i) = blocks.iter().take(6).position(|b| matches!(b, Block::Paragraph(t) if is_doc_number(&plain_of(t))))
    {
        blocks.remove(i);
    }
}

/// A standard's or report's cover gives the title again in English under the Chinese one
/// (`Service specification for …`): a translation, never the title. Returns the Chinese title.
fn drop_translated_title(blocks: &mut Vec<Block>) -> Option<String> {
    let text = |b: &Block| match b {
        Block::Paragraph(t) | Block::Heading { text: t, .. } => Some(plain_of(t).trim().to_string()),
        _ => None,
    };
    let i = (1..blocks.len().min(12)).find(|&i| {
        let Some(t) = text(&blocks[i]) else { return false };
        let english = !t.chars().any(crate::fold::is_han)
            && t.split_whitespace().filter(|w| w.chars().any(|c| c.is_ascii_alphabetic())).count() >= 3
            && t.chars().all(|c| c.is_ascii_alphabetic() || " -,:'&()".contains(c));
        english
            && text(&blocks[i - 1]).is_some_and(|above| {
                above.chars().any(crate::fold::is_han)
                    && above.chars().count() <= 40
                    && !above.ends_with(['。', '；', '，', '：'])
            })
    })?;
    blocks.remove(i);
    text(&blocks[i - 1])
}

/// A line of a 公文's 版记 (the colophon under the text): who else gets copies (`抄送：…`,
/// `报：…`, `送：…`, `发：…`) and who printed it when (`某某办公室　2025年12月9日印发`).
pub(super) fn is_colophon_line(t: &str) -> bool {
    regex!(
        r"^(?:抄送|抄报|抄发|分送|印送|报送|报|送|发)\s*[:：]\s*\S|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发$|^[（(]共印\s*\d+\s*份[）)]$"
    )
    .is_match(t.trim())
}

/// Drops a 公文's 版记 at the end of the text, as lines or as the table Word draws it in: the
/// trailing run of colophon lines and of unit names after the first of them. It is printed
/// under the document, for the mail room; no curator keeps it. Its `某某办公室　2026年1月16日印发`
/// line is returned as weak hints (a bulletin may give no other date or unit).
pub(super) fn drop_colophon(blocks: &mut Vec<Block>) -> Vec<MetaHint> {
    let cells = |b: &Block| -> Option<Vec<String>> {
        match b {
            Block::Paragraph(t) => Some(vec![plain_of(t).trim().to_string()]),
            Block::Table(rows) => {
                Some(rows.iter().flatten().map(|c| plain_of(c).trim().to_string()).filter(|c| !c.is_empty()).collect())
            }
            _ => None,
        }
    };
    let mut start = blocks.len();
    while start > 0 {
        let Some(cs) = cells(&blocks[start - 1]) else { break };
        if cs.is_empty() || !cs.iter().all(|c| is_colophon_line(c) || is_organization(c)) {
            break;
        }
        start -= 1;
    }
    // The run begins at its first colophon line: a unit above it is the signature.
    while start < blocks.len() && cells(&blocks[start]).is_some_and(|cs| !cs.iter().any(|c| is_colophon_line(c))) {
        start += 1;
    }
    let mut hints = Vec::new();
    for cell in blocks[start..].iter().filter_map(cells).flatten() {
        let Some(c) = regex!(r"^(.*?)\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*印发$").captures(&cell)
        else {
            continue;
        };
        if let Some(date) = meta::dates(&c[2], meta::Calendar::default()).into_iter().next() {
            hints.push(MetaHint { key: MetaKey::Date, value: date, origin: "the 版记's 印发 date" });
        }
        if is_organization(c[1].trim()) {
            hints.push(MetaHint {
                key: MetaKey::Source,
                value: c[1].trim().to_string(),
                origin: "the 版记's 印发 unit",
            });
        }
    }
    blocks.truncate(start);
    hints
}

/// Metadata that a document's layout states without a label the cleaner reads:
/// - the unit alone on a line right above the date alone, on the cover under the title or as
///   the 落款 at the end (`某某社会工作服务中心` / `2025年12月10日`): the source;
/// - a signed line under the title (`督导：姓名（单位）`, `执笔：姓名`): the author, and the unit
///   in brackets as the source.
pub(super) fn structure_hints(blocks: &[Block]) -> Vec<MetaHint> {
    let calendar = meta::Calendar::default();
    let plain = |b: &Block| match b {
        Block::Paragraph(t) => Some(plain_of(t).trim().to_string()),
        _ => None,
    };
    let mut hints = Vec::new();
    let n = blocks.len();
    let near_ends = (0..n.min(8)).chain(n.saturating_sub(6).max(n.min(8))..n);
    for i in near_ends {
        let Some(line) = plain(&blocks[i]) else { continue };
        // The date may give only the month (a questionnaire's `2025年12月`).
        let dated = |next: String| {
            meta::is_date_only(&next, calendar)
                || regex!(
                    r"^(?:\d{4}|[〇零○一二三四五六七八九]{4})\s*年\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月$"
                )
                .is_match(&next)
        };
        if is_organization(&line) && blocks.get(i + 1).and_then(plain).is_some_and(dated) {
            hints.push(MetaHint { key: MetaKey::Source, value: line, origin: "unit above the date" });
            continue;
        }
        if i >= 8 {
            continue;
        }
        // A personal piece signed under its title with the writer's unit and name
        // (`某某街道某某社区　张三`): the writer.
        if i < 4
            && let Some(c) = regex!(r"^(\S{4,30}?)[\s　]+(\p{Han}{2,4})$").captures(&line)
            && is_organization(&c[1])
            && meta::is_person_name(&c[2])
        {
            hints.push(MetaHint {
                key: MetaKey::Speaker,
                value: c[2].to_string(),
                origin: "unit and name under the title",
            });
            continue;
        }
        if let Some(c) = regex!(
            r"^(?:督导|评估|作者|执笔|撰稿|撰写|报告|主讲)人?\s*[:：]\s*(\p{Han}{2,4})\s*(?:[（(]([^）)]{4,30})[）)])?"
        )
        .captures(&line)
        {
            if meta::is_person_name(&c[1]) {
                hints.push(MetaHint { key: MetaKey::Speaker, value: c[1].to_string(), origin: "signed line" });
            }
            if let Some(unit) = c.get(2).map(|m| m.as_str().trim()).filter(|u| is_organization(u)) {
                hints.push(MetaHint { key: MetaKey::Source, value: unit.to_string(), origin: "signed line" });
            }
        }
    }
    hints
}

/// The page headers and footers are dropped, but a unit's documents name the unit there: a
/// header or footer that is a unit's name alone, or a form's `某某单位制表` / `某某印制` line.
fn running_lines(package: &mut Package, rels: &Relationships) -> Vec<MetaHint> {
    let mut targets: Vec<(&String, &String)> = rels
        .by_id
        .iter()
        .filter(|(_, (ty, _, ext))| !ext && (ty.ends_with("/header") || ty.ends_with("/footer")))
        .map(|(id, (_, target, _))| (id, target))
        .collect();
    targets.sort();
    let mut hints = Vec::new();
    for (_, target) in targets {
        let Ok(Some(bytes)) = package.part(target) else { continue };
        let Ok(root) = parse_xml(&bytes) else { continue };
        for p in root.children_named("p") {
            let mut content = ParagraphContent::default();
            read_runs(p, rels, &mut content, &mut Vec::new());
            let line = content.plain.trim();
            let unit = regex!(r"^(.{4,30}?)(?:制表|印制|编制|填报)$")
                .captures(line)
                .map(|c| c[1].to_string())
                .or_else(|| Some(line.to_string()))
                .filter(|u| is_organization(u));
            if let Some(unit) = unit
                && !hints.iter().any(|h: &MetaHint| h.value == unit)
            {
                hints.push(MetaHint { key: MetaKey::Source, value: unit, origin: "page header or footer" });
            }
        }
    }
    hints
}

// ----------------------------------------------------------------------------------------------
// The zip package

struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Lower-cased part name → index, as part names are case-insensitive in OPC.
    names: HashMap<String, usize>,
    /// Bytes inflated so far, against `MAX_TOTAL_BYTES`.
    inflated: u64,
}

impl<'a> Package<'a> {
    fn open(bytes: &'a [u8]) -> Result<Self, String> {
        let not_docx = || t!("import.docx.not_docx").into_owned();
        // A zip's signature with a broken package after it: a download or copy cut short.
        let damaged = |_: zip::result::ZipError| t!("import.docx.damaged_zip").into_owned();
        let zip = zip::ZipArchive::new(Cursor::new(bytes));
        let mut zip = match zip {
            Ok(zip) => zip,
            Err(e) if bytes.starts_with(b"PK") => return Err(damaged(e)),
            Err(_) => return Err(not_docx()),
        };
        if zip.len() > MAX_ENTRIES {
            return Err(t!("import.docx.too_many_parts", count = zip.len(), max = MAX_ENTRIES).into_owned());
        }
        let mut names = HashMap::new();
        let mut declared: u64 = 0;
        for i in 0..zip.len() {
            let entry = zip.by_index_raw(i).map_err(damaged)?;
            declared = declared.saturating_add(entry.size());
            if entry.size() > RATIO_FLOOR && entry.size() / entry.compressed_size().max(1) > MAX_RATIO {
                return Err(t!(
                    "import.docx.zip_bomb",
                    part = entry.name(),
                    ratio = entry.size() / entry.compressed_size().max(1),
                    max = MAX_RATIO
                )
                .into_owned());
            }
            names.insert(entry.name().to_lowercase(), i);
        }
        if declared > MAX_TOTAL_BYTES {
            return Err(too_big());
        }
        if !names.contains_key("[content_types].xml") {
            return Err(not_docx());
        }
        Ok(Package { zip, names, inflated: 0 })
    }

    /// The bytes of one part, or `None` when the package has no such part. Reads at most what
    /// is left of the budget, whatever the zip's headers claim.
    fn part(&mut self, name: &str) -> Result<Option<Vec<u8>>, String> {
        let Some(&index) = self.names.get(&name.trim_start_matches('/').to_lowercase()) else {
            return Ok(None);
        };
        let entry = self
            .zip
            .by_index(index)
            .map_err(|e| t!("import.docx.cannot_read_part", part = name, detail = e).into_owned())?;
        let left = MAX_TOTAL_BYTES - self.inflated;
        let mut bytes = Vec::new();
        entry
            .take(left + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| t!("import.docx.cannot_read_part", part = name, detail = e).into_owned())?;
        if bytes.len() as u64 > left {
            return Err(too_big());
        }
        self.inflated += bytes.len() as u64;
        Ok(Some(bytes))
    }

    fn xml(&mut self, name: &str) -> Result<Element, String> {
        let bytes = self.part(name)?.ok_or_else(|| t!("import.docx.missing_part", part = name).into_owned())?;
        parse_xml(&bytes).map_err(|e| t!("import.docx.bad_xml", part = name, detail = e).into_owned())
    }

    /// The main document part named by the package relationships (`word/document.xml` as a rule).
    fn main_part(&mut self) -> Result<String, String> {
        let rels = match self.part("_rels/.rels")? {
            Some(bytes) => parse_xml(&bytes).map(|x| Relationships::parse(&x, "")).unwrap_or_default(),
            None => Relationships::default(),
        };
        let main = rels.target_of_type("/officeDocument").unwrap_or_else(|| "word/document.xml".to_string());
        if self.names.contains_key(&main.to_lowercase()) {
            Ok(main)
        } else {
            Err(t!("import.docx.not_word").into_owned())
        }
    }

    fn relationships(&mut self, part: &str) -> Result<Relationships, String> {
        let (dir, file) = part.rsplit_once('/').unwrap_or(("", part));
        let rels_name = if dir.is_empty() { format!("_rels/{file}.rels") } else { format!("{dir}/_rels/{file}.rels") };
        Ok(match self.part(&rels_name)? {
            Some(bytes) => parse_xml(&bytes).map(|x| Relationships::parse(&x, dir)).unwrap_or_default(),
            None => Relationships::default(),
        })
    }
}

fn too_big() -> String {
    t!("import.docx.too_big", max = MAX_TOTAL_BYTES >> 20).into_owned()
}

#[derive(Default)]
struct Relationships {
    /// Id → (type, target resolved against the part's folder, external).
    by_id: HashMap<String, (String, String, bool)>,
}

impl Relationships {
    fn parse(root: &Element, dir: &str) -> Self {
        let mut by_id = HashMap::new();
        for rel in root.children_named("Relationship") {
            let (Some(id), Some(target)) = (rel.attr("Id"), rel.attr("Target")) else { continue };
            let external = rel.attr("TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("External"));
            let target = if external { target.to_string() } else { resolve_path(dir, target) };
            by_id.insert(id.to_string(), (rel.attr("Type").unwrap_or("").to_string(), target, external));
        }
        Relationships { by_id }
    }

    /// The first internal target whose type ends with `suffix` (types differ between the
    /// transitional and strict namespaces, their last segment does not). Ids are sorted first,
    /// so the answer does not depend on hash order.
    fn target_of_type(&self, suffix: &str) -> Option<String> {
        let mut ids: Vec<&String> = self.by_id.keys().collect();
        ids.sort();
        ids.into_iter()
            .map(|id| &self.by_id[id])
            .find(|(ty, _, ext)| !ext && ty.ends_with(suffix))
            .map(|(_, t, _)| t.clone())
    }
}

/// Resolves a relationship target (`media/image1.png`, `../customXml/item1.xml`, `/word/x.xml`)
/// against the folder of the part that names it.
fn resolve_path(dir: &str, target: &str) -> String {
    let mut parts: Vec<&str> =
        if target.starts_with('/') { Vec::new() } else { dir.split('/').filter(|s| !s.is_empty()).collect() };
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

// ----------------------------------------------------------------------------------------------
// A small XML tree: document parts are a few MB at most, and a tree keeps the reading rules short.

#[derive(Debug, Default)]
struct Element {
    /// Local name (`p` for `w:p`): every part uses one vocabulary per name, so prefixes add nothing.
    name: String,
    /// (local name, value)
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
}

#[derive(Debug)]
enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    fn children_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Element> {
        self.elements().filter(move |e| e.name == name)
    }

    fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// `w:val` of a child such as `<w:pStyle w:val="Heading1"/>`.
    fn child_val(&self, name: &str) -> Option<&str> {
        self.child(name).and_then(|c| c.attr("val"))
    }

    /// All text below this element.
    fn text(&self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    fn collect_text(&self, out: &mut String) {
        for n in &self.children {
            match n {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => e.collect_text(out),
            }
        }
    }

    /// Depth-first search for the first descendant with this name.
    fn find(&self, name: &str) -> Option<&Element> {
        for e in self.elements() {
            if e.name == name {
                return Some(e);
            }
            if let Some(found) = e.find(name) {
                return Some(found);
            }
        }
        None
    }
}

/// A boolean property such as `<w:b/>`, `<w:b w:val="0"/>`: present and not switched off.
fn on(e: Option<&Element>) -> bool {
    e.is_some_and(|e| !matches!(e.attr("val"), Some("0" | "false" | "off" | "none")))
}

fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, l)| l)
}

fn parse_xml(bytes: &[u8]) -> Result<Element, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8 at byte {}", e.valid_up_to()))?;
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = vec![Element::default()];
    let open = |e: &quick_xml::events::BytesStart| -> Result<Element, String> {
        let mut attrs = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|e| e.to_string())?;
            let value = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).map_err(|e| e.to_string())?;
            attrs.push((local(a.key.as_ref()).to_string(), value.into_owned()));
        }
        Ok(Element { name: local(e.name().as_ref()).to_string(), attrs, children: Vec::new() })
    };
    loop {
        let event = reader.read_event().map_err(|e| format!("{e} at byte {}", reader.error_position()))?;
        match event {
            Event::Start(e) => {
                if stack.len() > MAX_DEPTH {
                    return Err(format!("elements nested deeper than {MAX_DEPTH} levels"));
                }
                stack.push(open(&e)?);
            }
            Event::Empty(e) => {
                let el = open(&e)?;
                if let Some(top) = stack.last_mut() {
                    top.children.push(Node::Element(el));
                }
            }
            Event::End(_) => {
                let done = stack.pop().ok_or("an end tag without a start")?;
                let parent = stack.last_mut().ok_or("an end tag without a start")?;
                parent.children.push(Node::Element(done));
            }
            Event::Text(t) => push_text(&mut stack, &t.xml10_content()),
            Event::CData(t) => push_text(&mut stack, &t),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => c,
                    None => match &*r {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "apos" => '\'',
                        "quot" => '"',
                        other => return Err(format!("unknown entity `&{other};`")),
                    },
                };
                push_text(&mut stack, c.encode_utf8(&mut [0; 4]));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err("the part ends inside an element (truncated)".to_string());
    }
    let root = stack.pop().unwrap_or_default();
    root.children
        .into_iter()
        .find_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
        .ok_or_else(|| "no root element".to_string())
}

fn push_text(stack: &mut [Element], t: &str) {
    if let Some(top) = stack.last_mut() {
        if let Some(Node::Text(prev)) = top.children.last_mut() {
            prev.push_str(t);
        } else {
            top.children.push(Node::Text(t.to_string()));
        }
    }
}

// ----------------------------------------------------------------------------------------------
// Styles and numbering

#[derive(Default)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline_level: Option<u8>,
    num: Option<(String, u8)>,
}

#[derive(Default)]
struct Styles {
    by_id: HashMap<String, Style>,
    /// Lower-cased name → id, for documents that name a style instead of giving its id.
    by_name: HashMap<String, String>,
}

impl Styles {
    fn parse(root: &Element) -> Self {
        let mut styles = Styles::default();
        for s in root.children_named("style") {
            if s.attr("type").is_some_and(|t| t != "paragraph") {
                continue;
            }
            let Some(id) = s.attr("styleId") else { continue };
            let ppr = s.child("pPr");
            let style = Style {
                name: s.child_val("name").unwrap_or("").to_string(),
                based_on: s.child_val("basedOn").map(str::to_string),
                outline_level: ppr.and_then(|p| p.child_val("outlineLvl")).and_then(|v| v.parse().ok()),
                num: ppr.and_then(|p| p.child("numPr")).and_then(num_pr),
            };
            styles.by_name.insert(style.name.to_lowercase(), id.to_string());
            styles.by_id.insert(id.to_string(), style);
        }
        styles
    }

    /// The style and its ancestors, nearest first, without cycles.
    fn chain<'s>(&'s self, id: &str) -> Vec<(&'s str, &'s Style)> {
        let mut out: Vec<(&str, &Style)> = Vec::new();
        let mut next = self
            .by_id
            .get_key_value(id)
            .or_else(|| self.by_name.get(&id.to_lowercase()).and_then(|i| self.by_id.get_key_value(i)));
        while let Some((id, style)) = next {
            if out.len() >= MAX_STYLE_CHAIN || out.iter().any(|(seen, _)| *seen == id.as_str()) {
                break;
            }
            out.push((id.as_str(), style));
            next = style.based_on.as_deref().and_then(|b| self.by_id.get_key_value(b));
        }
        out
    }

    /// The heading level (`Block::Heading` scale: 1 the title, 2 Word's Heading 1) a style
    /// gives, from the first style in its chain that says anything about it.
    fn heading_level(&self, id: &str) -> Option<u8> {
        for (id, style) in self.chain(id) {
            if let Some(level) = heading_name_level(&style.name).or_else(|| heading_name_level(id)) {
                return Some(level);
            }
            if let Some(lvl) = style.outline_level {
                return outline_to_heading(lvl);
            }
        }
        None
    }

    fn is_caption(&self, id: &str) -> bool {
        self.chain(id).iter().any(|(id, s)| {
            let n = s.name.to_lowercase();
            n == "caption" || n == "题注" || id.eq_ignore_ascii_case("caption")
        })
    }

    /// A table of contents' entry style (`toc 1`, `TOC2`, `目录 1`, `TOC Heading`): its lines
    /// repeat the headings with page numbers.
    fn is_contents_entry(&self, id: &str) -> bool {
        let toc = |n: &str| {
            let n = n.trim().to_lowercase();
            regex!(r"^(toc\s*\d|toc\s*heading|toc标题|目录\s*\d|目录标题)").is_match(&n)
        };
        toc(id) || self.chain(id).iter().any(|(id, s)| toc(id) || toc(&s.name))
    }

    fn numbering(&self, id: &str) -> Option<(String, u8)> {
        self.chain(id).into_iter().find_map(|(_, s)| s.num.clone())
    }
}

/// `heading 2`, `Heading2`, `标题 2` → 3; `Title`, `标题` → 1.
pub(super) fn heading_name_level(name: &str) -> Option<u8> {
    let n = name.trim().to_lowercase();
    if n == "title" || n == "标题" {
        return Some(1);
    }
    let rest = n.strip_prefix("heading").or_else(|| n.strip_prefix("标题"))?.trim();
    let digit: u8 = rest.parse().ok()?;
    (1..=9).contains(&digit).then(|| (digit + 1).min(6))
}

/// Word's outline level 0 is Heading 1; 9 means body text.
fn outline_to_heading(lvl: u8) -> Option<u8> {
    (lvl < 9).then(|| (lvl + 2).min(6))
}

fn num_pr(e: &Element) -> Option<(String, u8)> {
    let id = e.child_val("numId")?.to_string();
    let level = e.child_val("ilvl").and_then(|v| v.parse().ok()).unwrap_or(0).min(8);
    Some((id, level))
}

#[derive(Clone, Default)]
struct Level {
    format: String,
    text: String,
    start: u32,
}

#[derive(Default)]
struct Numbering {
    abstracts: HashMap<String, Vec<Level>>,
    /// numId → (abstractNumId, start overrides per level)
    nums: HashMap<String, (String, HashMap<u8, u32>)>,
    /// numId → current counter of each level.
    counters: HashMap<String, [u32; 9]>,
}

impl Numbering {
    fn parse(root: &Element) -> Self {
        let mut n = Numbering::default();
        for a in root.children_named("abstractNum") {
            let Some(id) = a.attr("abstractNumId") else { continue };
            let mut levels = vec![Level::default(); 9];
            for l in a.children_named("lvl") {
                let Some(i) = l.attr("ilvl").and_then(|v| v.parse::<usize>().ok()).filter(|&i| i < 9) else { continue };
                levels[i] = Level {
                    format: l.child_val("numFmt").unwrap_or("decimal").to_string(),
                    text: l.child_val("lvlText").unwrap_or("").to_string(),
                    start: l.child_val("start").and_then(|v| v.parse().ok()).unwrap_or(1),
                };
            }
            n.abstracts.insert(id.to_string(), levels);
        }
        for num in root.children_named("num") {
            let (Some(id), Some(abs)) = (num.attr("numId"), num.child_val("abstractNumId")) else { continue };
            let mut overrides = HashMap::new();
            for o in num.children_named("lvlOverride") {
                if let (Some(l), Some(s)) = (
                    o.attr("ilvl").and_then(|v| v.parse().ok()),
                    o.child_val("startOverride").and_then(|v| v.parse().ok()),
                ) {
                    overrides.insert(l, s);
                }
            }
            n.nums.insert(id.to_string(), (abs.to_string(), overrides));
        }
        n
    }

    /// Counts one paragraph of list `num` at `level` and says how it reads.
    fn next(&mut self, num: &str, level: u8) -> Option<Numbered> {
        let (abs, overrides) = self.nums.get(num)?;
        let levels = self.abstracts.get(abs)?;
        let lv = levels.get(level as usize)?;
        if lv.format == "none" {
            return None;
        }
        if lv.format == "bullet" {
            return Some(Numbered::Bullet);
        }
        let starts: Vec<u32> =
            (0..9u8).map(|i| overrides.get(&i).copied().unwrap_or(levels[i as usize].start)).collect();
        let counters = self.counters.entry(num.to_string()).or_insert([0; 9]);
        let l = level as usize;
        counters[l] = if counters[l] == 0 { starts[l] } else { counters[l].saturating_add(1) };
        for deeper in counters.iter_mut().skip(l + 1) {
            *deeper = 0;
        }
        // `%1` is level 0's number in level 0's own format, and so on.
        let mut label = String::new();
        let mut chars = lv.text.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek().and_then(|d| d.to_digit(10))) {
                ('%', Some(d)) if (1..=9).contains(&d) => {
                    chars.next();
                    let i = d as usize - 1;
                    let value = if counters[i] == 0 { starts[i] } else { counters[i] };
                    label.push_str(&format_number(value, &levels[i].format));
                }
                _ => label.push(c),
            }
        }
        let outline = levels.iter().take(l + 1).any(|lv| is_chinese_format(&lv.format));
        Some(if outline { Numbered::Outline(label) } else { Numbered::Ordered(label) })
    }
}

enum Numbered {
    Bullet,
    /// A list number in the Chinese outline format, written into the text (`一、`, `（一）`).
    Outline(String),
    Ordered(String),
}

fn is_chinese_format(format: &str) -> bool {
    format.starts_with("chinese")
        || format.starts_with("ideograph")
        || format == "taiwaneseCounting"
        || format == "japaneseCounting"
}

fn format_number(n: u32, format: &str) -> String {
    match format {
        f if f.starts_with("chineseLegal") => chinese_number(n, "零壹贰叁肆伍陆柒捌玖", ['拾', '佰', '仟']),
        f if f.starts_with("chinese") || f == "taiwaneseCounting" || f == "japaneseCounting" => {
            chinese_number(n, "〇一二三四五六七八九", ['十', '百', '千'])
        }
        "ideographTraditional" => cycle(n, "甲乙丙丁戊己庚辛壬癸"),
        "ideographZodiac" => cycle(n, "子丑寅卯辰巳午未申酉戌亥"),
        "decimalFullWidth" | "decimalFullWidth2" => {
            n.to_string().chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)).collect()
        }
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n - 1).map_or_else(|| n.to_string(), String::from)
        }
        "lowerLetter" | "upperLetter" => {
            let base = if format == "lowerLetter" { b'a' } else { b'A' };
            let letter = (base + ((n.max(1) - 1) % 26) as u8) as char;
            letter.to_string().repeat(((n.max(1) - 1) / 26 + 1) as usize)
        }
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        _ => n.to_string(),
    }
}

fn cycle(n: u32, set: &str) -> String {
    let chars: Vec<char> = set.chars().collect();
    chars[(n.max(1) as usize - 1) % chars.len()].to_string()
}

/// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百〇五 (numbers of outline items stay small;
/// above 9999 the digits are written as they are).
fn chinese_number(n: u32, digits: &str, units: [char; 3]) -> String {
    let d: Vec<char> = digits.chars().collect();
    if n == 0 || n > 9999 {
        return n.to_string();
    }
    let parts = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let mut out = String::new();
    let mut zero = false;
    for (i, &p) in parts.iter().enumerate() {
        if p == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push(d[0]);
            zero = false;
        }
        // 10–19 read 十, 十一 … (not 一十一) when the ten is the leading digit.
        if !(i == 2 && p == 1 && out.is_empty()) {
            out.push(d[p as usize]);
        }
        if i < 3 {
            out.push(units[2 - i]);
        }
    }
    out
}

fn roman(n: u32) -> String {
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n.min(3999);
    let mut out = String::new();
    for (v, s) in table {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

// ----------------------------------------------------------------------------------------------
// The document body

struct BodyReader<'p, 'a> {
    package: &'p mut Package<'a>,
    rels: &'p Relationships,
    styles: &'p Styles,
    numbering: Numbering,
    doc: Document,
    /// Inside a table of contents field (`TOC \o …`), how many fields are open.
    toc_depth: usize,
    /// The blocks read from paragraphs set flush right (a 落款), by index.
    right_aligned: Vec<usize>,
}

/// What one paragraph holds once its runs are read.
#[derive(Default)]
struct ParagraphContent {
    /// Inline Markdown (escaped text, `**bold**`, `*italic*`, links).
    markdown: String,
    /// Plain text, for headings and captions.
    plain: String,
    /// (relationship id, alternative text) of each picture.
    pictures: Vec<(String, String)>,
}

impl BodyReader<'_, '_> {
    fn body(&mut self, root: &Element) -> Result<(), String> {
        let body = root.child("body").ok_or_else(|| t!("import.docx.no_body").into_owned())?;
        self.blocks(body)
    }

    /// Reads paragraphs and tables in order, looking through content controls and other
    /// wrappers.
    fn blocks(&mut self, parent: &Element) -> Result<(), String> {
        for e in parent.elements() {
            match e.name.as_str() {
                "p" => self.paragraph(e)?,
                "tbl" => self.table(e)?,
                "sectPr" | "bookmarkStart" | "bookmarkEnd" | "proofErr" | "del" | "moveFrom" => {}
                // A table of contents in its content control: the headings again, with page numbers.
                "sdt"
                    if e.child("sdtPr")
                        .and_then(|p| p.child("docPartObj"))
                        .and_then(|o| o.child_val("docPartGallery"))
                        == Some("Table of Contents") => {}
                "AlternateContent" => {
                    if let Some(choice) = e.child("Choice") {
                        self.blocks(choice)?;
                    }
                }
                _ => self.blocks(e)?,
            }
        }
        Ok(())
    }

    fn paragraph(&mut self, p: &Element) -> Result<(), String> {
        let ppr = p.child("pPr");
        let style = ppr.and_then(|pp| pp.child_val("pStyle")).unwrap_or("");
        if self.styles.is_contents_entry(style) {
            return Ok(());
        }
        if self.in_contents(p) {
            return Ok(());
        }
        let mut content = ParagraphContent::default();
        let mut text_boxes = Vec::new();
        read_runs(p, self.rels, &mut content, &mut text_boxes);
        // A contents line typed by hand (`一、项目概况……………1`): the headings again.
        if regex!(r"^\S.{0,60}?(?:\.{4,}|…{2,}|·{4,}|-{6,}|_{6,})\s*\d{1,4}$").is_match(content.plain.trim()) {
            self.drop_contents_label();
            return Ok(());
        }

        let heading = ppr
            .and_then(|pp| pp.child_val("outlineLvl"))
            .and_then(|v| v.parse().ok())
            .map(outline_to_heading)
            .unwrap_or_else(|| self.styles.heading_level(style));
        let num = match ppr.and_then(|pp| pp.child("numPr")).and_then(num_pr) {
            Some((id, _)) if id == "0" => None,
            Some(n) => Some(n),
            None => self.styles.numbering(style),
        };
        let numbered = if content.plain.trim().is_empty() {
            None
        } else {
            num.and_then(|(id, lvl)| self.numbering.next(&id, lvl))
        };
        // A document typed without styles: its first line, centred and set in bold or large
        // type, short and no sentence, is its title.
        let heading = heading.or_else(|| {
            let t = content.plain.trim();
            let centred = ppr.and_then(|pp| pp.child_val("jc")) == Some("center");
            let md = content.markdown.trim();
            let bold = md.starts_with("**") && md.ends_with("**") && md.matches("**").count() == 2;
            (self.doc.blocks.is_empty()
                && numbered.is_none()
                && centred
                && (bold || largest_run(p) >= 32)
                && (4..=40).contains(&t.chars().count())
                && !t.contains('\n')
                && !t.ends_with(['。', '；', '：', '，', ':', ';', ','])
                && !t.contains(['。', '！', '？'])
                // A 公文's red banner (`某某局文件`) and a masthead are no title.
                && !t.trim_end_matches(char::is_whitespace).ends_with("文件")
                && !meta::is_masthead(t))
            .then_some(1)
        });

        let caption = self.styles.is_caption(style) || starts_like_caption(&content.plain);
        if caption
            && content.pictures.is_empty()
            && let Some(Block::Figure { caption: slot @ None, .. }) = self.doc.blocks.last_mut()
        {
            *slot = Some(content.plain.trim().to_string());
            return Ok(());
        }

        let plain = content.plain.trim();
        let markdown = content.markdown.trim();
        if matches!(ppr.and_then(|pp| pp.child_val("jc")), Some("right" | "end")) && !plain.is_empty() {
            self.right_aligned.push(self.doc.blocks.len());
        }
        if !plain.is_empty() {
            match (heading, numbered) {
                (Some(level), n) => {
                    let label = match n {
                        Some(Numbered::Outline(l) | Numbered::Ordered(l)) => l,
                        _ => String::new(),
                    };
                    self.doc.blocks.push(Block::Heading {
                        level,
                        text: format!("{label}{}", escape_markdown(&plain.replace('\n', ""))),
                    });
                }
                (None, Some(Numbered::Outline(label))) => self.push_paragraphs(&format!("{label}{markdown}")),
                (None, Some(Numbered::Bullet)) => self.push_list_item(false, markdown),
                (None, Some(Numbered::Ordered(_))) => self.push_list_item(true, markdown),
                (None, None) => self.push_paragraphs(markdown),
            }
        }
        for (id, alt) in content.pictures {
            self.figure(&id, alt)?;
        }
        for tb in text_boxes {
            self.blocks(tb)?;
        }
        Ok(())
    }

    /// Whether this paragraph belongs to a table of contents field (Word's `TOC` field not
    /// wrapped in a content control: from the field's start to its end, entries' own
    /// `PAGEREF` fields nested inside).
    fn in_contents(&mut self, p: &Element) -> bool {
        let mut events = Vec::new();
        field_events(p, &mut events, 0);
        let inside = self.toc_depth > 0;
        let mut touched = inside;
        let mut open = 0usize;
        for e in events {
            match e {
                Field::Begin if self.toc_depth > 0 => self.toc_depth += 1,
                Field::Begin => open += 1,
                Field::End if self.toc_depth > 0 => self.toc_depth -= 1,
                Field::End => open = open.saturating_sub(1),
                Field::Instruction(t) if self.toc_depth == 0 && t.trim_start().starts_with("TOC") => {
                    open = open.saturating_sub(1);
                    self.toc_depth = 1;
                    touched = true;
                    self.drop_contents_label();
                }
                Field::Instruction(_) => {}
            }
        }
        touched
    }

    /// The `目　录` line over a table of contents goes with it.
    fn drop_contents_label(&mut self) {
        let label = |b: &Block| match b {
            Block::Paragraph(t) | Block::Heading { text: t, .. } => {
                plain_of(t).chars().filter(|c| !c.is_whitespace()).collect::<String>() == "目录"
            }
            _ => false,
        };
        if self.doc.blocks.last().is_some_and(label) {
            self.doc.blocks.pop();
        }
    }

    /// A manual line break (Shift+Enter) in Chinese documents separates what are paragraphs
    /// to the reader, so each line becomes one.
    fn push_paragraphs(&mut self, markdown: &str) {
        for line in markdown.split('\n').map(str::trim).filter(|l| !l.is_empty()) {
            self.doc.blocks.push(Block::Paragraph(line.to_string()));
        }
    }

    fn push_list_item(&mut self, ordered: bool, markdown: &str) {
        let item = markdown.replace('\n', " ");
        if let Some(Block::List { ordered: o, items }) = self.doc.blocks.last_mut()
            && *o == ordered
        {
            items.push(item);
            return;
        }
        self.doc.blocks.push(Block::List { ordered, items: vec![item] });
    }

    fn figure(&mut self, id: &str, alt: String) -> Result<(), String> {
        let Some((_, target, false)) = self.rels.by_id.get(id) else { return Ok(()) };
        let Some(bytes) = self.package.part(target)? else { return Ok(()) };
        let name = asset_name(target, &self.doc.assets);
        self.doc.assets.push(Asset { name: name.clone(), bytes });
        self.doc.blocks.push(Block::Figure { file: name, alt, caption: None });
        Ok(())
    }

    fn table(&mut self, tbl: &Element) -> Result<(), String> {
        let rows: Vec<&Element> = tbl.children_named("tr").collect();
        let one_column = rows.iter().all(|r| r.children_named("tc").count() <= 1);
        if one_column {
            // A one-column table is a frame drawn around text (a box for a note or a quote),
            // not data: its paragraphs are read as paragraphs.
            let start = self.doc.blocks.len();
            for r in rows {
                for c in r.children_named("tc") {
                    self.blocks(c)?;
                }
            }
            // A box's bold first line over its content (`专栏1　…`, `案例链接`) labels the box; it
            // is no section of the document, so it is kept as a plain line, not a bold lead.
            if self.doc.blocks.len() > start + 1
                && let Some(Block::Paragraph(label)) = self.doc.blocks.get_mut(start)
                && let Some(inner) = label.strip_prefix("**").and_then(|l| l.strip_suffix("**"))
                && !inner.contains("**")
                && inner.chars().count() <= 40
                && !inner.ends_with(['。', '！', '？'])
            {
                *label = inner.to_string();
            }
            return Ok(());
        }
        let mut out: Vec<Vec<String>> = Vec::new();
        for r in rows {
            let mut cells = Vec::new();
            for c in r.children_named("tc") {
                let tcpr = c.child("tcPr");
                let continued =
                    tcpr.and_then(|p| p.child("vMerge")).is_some_and(|m| m.attr("val").is_none_or(|v| v == "continue"));
                let text = if continued { String::new() } else { cell_text(c, self.rels) };
                cells.push(text);
                let span: usize = tcpr.and_then(|p| p.child_val("gridSpan")).and_then(|v| v.parse().ok()).unwrap_or(1);
                for _ in 1..span.min(64) {
                    cells.push(String::new());
                }
            }
            self.form_fields(&cells);
            self.signature_cells(&cells);
            if cells.iter().any(|c| !c.is_empty()) {
                out.push(cells);
            }
        }
        let width = out.iter().map(Vec::len).max().unwrap_or(0);
        for row in &mut out {
            row.resize(width, String::new());
        }
        if !out.is_empty() {
            self.doc.blocks.push(Block::Table(out));
        }
        Ok(())
    }
}

impl BodyReader<'_, '_> {
    /// A signature table (`甲方（盖章）：…` | `乙方（盖章）：…`, `日期：…`): the date signed is the
    /// text's date, and the first party (甲方, who commissions and numbers an agreement) its
    /// source.
    fn signature_cells(&mut self, cells: &[String]) {
        for cell in cells {
            let t = plain_of(cell).trim().to_string();
            if let Some(c) = regex!(r"^(?:签订|签署|签约|签字|签章)?(?:日期|时间)\s*[:：]\s*(.+)$").captures(&t)
                && meta::is_date_only(c[1].trim(), meta::Calendar::default())
            {
                let value = c[1].trim().to_string();
                if !self.doc.meta.iter().any(|m| m.key == MetaKey::Date && m.value == value) {
                    self.doc.meta.push(MetaHint { key: MetaKey::Date, value, origin: "signature table" });
                }
            } else if let Some(c) =
                regex!(r"^甲\s*方\s*(?:[（(](?:盖章|签章|公章|签字)[）)])?\s*[:：]\s*(\S.{2,40})$").captures(&t)
                && is_organization(c[1].trim())
                && !self.doc.meta.iter().any(|m| m.origin == "signature table" && m.key == MetaKey::Source)
            {
                let value = c[1].trim().to_string();
                self.doc.meta.push(MetaHint { key: MetaKey::Source, value, origin: "signature table" });
            }
        }
    }

    /// A form (`结案日期 | 2025年10月28日 | 填报单位 | …`): a label cell followed by its value
    /// gives the record's own date and the unit that filled it in. Other dates of a form (when a
    /// case was opened, a birthday) are not the record's.
    fn form_fields(&mut self, cells: &[String]) {
        for pair in cells.windows(2) {
            let label: String = plain_of(&pair[0]).chars().filter(|c| !c.is_whitespace()).collect();
            let value = plain_of(&pair[1]).trim().to_string();
            if value.is_empty() || label.chars().count() > 8 {
                continue;
            }
            if regex!(r"^(结案|填报|填表|报告|撰写|成文|制表|签发|完成|报送|落款)(日期|时间)[:：]?$").is_match(&label)
                && !meta::dates(&value, meta::Calendar::default()).is_empty()
            {
                self.doc.meta.push(MetaHint { key: MetaKey::Date, value, origin: "form field" });
            } else if regex!(r"^(填报|填表|报送|制表|服务|实施|承办|承接)(单位|机构)(名称)?[:：]?$").is_match(&label)
                && is_organization(&value)
            {
                self.doc.meta.push(MetaHint { key: MetaKey::Source, value, origin: "form field" });
            }
        }
    }
}

/// A cell's paragraphs on one line (a Markdown table cell holds no line breaks).
enum Field {
    Begin,
    End,
    Instruction(String),
}

/// A paragraph's field marks in order (`fldChar` begin and end, `instrText`), depth-bounded.
fn field_events(e: &Element, out: &mut Vec<Field>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for c in e.elements() {
        match c.name.as_str() {
            "fldChar" => match c.attr("fldCharType") {
                Some("begin") => out.push(Field::Begin),
                Some("end") => out.push(Field::End),
                _ => {}
            },
            "instrText" => out.push(Field::Instruction(c.text())),
            _ => field_events(c, out, depth + 1),
        }
    }
}

/// The largest font size set on a paragraph's runs, in half-points (`w:sz`), 0 when none is.
fn largest_run(p: &Element) -> u32 {
    p.children_named("r")
        .filter_map(|r| r.child("rPr").and_then(|rp| rp.child_val("sz")).and_then(|v| v.parse().ok()))
        .max()
        .unwrap_or(0)
}

fn cell_text(cell: &Element, rels: &Relationships) -> String {
    let mut parts = Vec::new();
    collect_cell(cell, rels, &mut parts);
    parts.join(" ")
}

fn collect_cell(e: &Element, rels: &Relationships, parts: &mut Vec<String>) {
    for c in e.elements() {
        if c.name == "p" {
            let mut content = ParagraphContent::default();
            read_runs(c, rels, &mut content, &mut Vec::new());
            let t = content.markdown.replace('\n', " ").replace('|', "\\|");
            if !t.trim().is_empty() {
                parts.push(t.trim().to_string());
            }
        } else if c.name != "tcPr" {
            collect_cell(c, rels, parts);
        }
    }
}

fn starts_like_caption(text: &str) -> bool {
    let t = text.trim_start();
    let Some(rest) = t.strip_prefix('图') else { return false };
    rest.chars().next().is_some_and(|c| c.is_ascii_digit() || "一二三四五六七八九十０１２３４５６７８９".contains(c))
        && t.chars().count() <= 60
}

#[derive(Clone, Copy, Default, PartialEq)]
struct Format {
    bold: bool,
    italic: bool,
}

/// Reads the runs of a paragraph (also inside hyperlinks, fields, insertions, smart tags) into
/// `content`; text boxes are set aside to be read as blocks of their own after the paragraph.
fn read_runs<'e>(
    e: &'e Element,
    rels: &Relationships,
    content: &mut ParagraphContent,
    text_boxes: &mut Vec<&'e Element>,
) {
    let mut pending: Vec<(Format, String)> = Vec::new();
    walk_runs(e, rels, content, text_boxes, &mut pending);
    flush(&mut pending, content);
    // A footnote's mark becomes a Markdown footnote reference; plain text goes without it.
    if content.plain.contains(NOTE_OPEN) {
        content.markdown = content.markdown.replace(NOTE_OPEN, "[^").replace(NOTE_CLOSE, "]");
        content.plain = regex!(r"\x{E000}e?[0-9]+\x{E001}").replace_all(&content.plain, "").into_owned();
    }
}

/// Private-use marks around a footnote's number while runs are read (escaping leaves them be).
const NOTE_OPEN: char = '\u{E000}';
const NOTE_CLOSE: char = '\u{E001}';

/// The texts of `word/footnotes.xml` (`kind` "footnote") or `word/endnotes.xml` ("endnote") by
/// id, separators left out.
fn notes_of(package: &mut Package, rels: &Relationships, kind: &str) -> HashMap<String, String> {
    let mut notes = HashMap::new();
    let Some(path) = rels.target_of_type(&format!("/{kind}s")) else { return notes };
    let Ok(root) = package.xml(&path) else { return notes };
    for note in root.children_named(kind) {
        let Some(id) = note.attr("id").filter(|id| id.chars().all(|c| c.is_ascii_digit())) else { continue };
        if note.attr("type").is_some_and(|t| t != "normal") {
            continue;
        }
        let text: Vec<String> = note
            .elements()
            .filter(|p| p.name == "p")
            .map(|p| p.text().trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        if !text.is_empty() {
            notes.insert(id.to_string(), text.join(" "));
        }
    }
    notes
}

fn walk_runs<'e>(
    e: &'e Element,
    rels: &Relationships,
    content: &mut ParagraphContent,
    text_boxes: &mut Vec<&'e Element>,
    pending: &mut Vec<(Format, String)>,
) {
    for c in e.elements() {
        match c.name.as_str() {
            "r" => run(c, content, text_boxes, pending),
            "hyperlink" => {
                let url = c
                    .attr("id")
                    .and_then(|id| rels.by_id.get(id))
                    .filter(|(_, _, ext)| *ext)
                    .map(|(_, t, _)| t.clone());
                match url.filter(|u| u.starts_with("http://") || u.starts_with("https://")) {
                    Some(url) => {
                        flush(pending, content);
                        let mut inner = ParagraphContent::default();
                        walk_runs(c, rels, &mut inner, text_boxes, &mut Vec::new());
                        let label = inner.plain.trim().to_string();
                        if label.is_empty() {
                            continue;
                        }
                        content.plain.push_str(&label);
                        content.markdown.push_str(&format!(
                            "[{}]({})",
                            escape_markdown(&label),
                            url.replace(' ', "%20").replace(')', "%29")
                        ));
                        content.pictures.extend(inner.pictures);
                    }
                    None => walk_runs(c, rels, content, text_boxes, pending),
                }
            }
            "pPr" | "del" | "moveFrom" | "bookmarkStart" | "bookmarkEnd" | "proofErr" => {}
            _ => walk_runs(c, rels, content, text_boxes, pending),
        }
    }
}

fn run<'e>(
    r: &'e Element,
    content: &mut ParagraphContent,
    text_boxes: &mut Vec<&'e Element>,
    pending: &mut Vec<(Format, String)>,
) {
    let rpr = r.child("rPr");
    let format = Format { bold: on(rpr.and_then(|p| p.child("b"))), italic: on(rpr.and_then(|p| p.child("i"))) };
    let hidden = on(rpr.and_then(|p| p.child("vanish")));
    let mut text = String::new();
    for c in r.elements() {
        match c.name.as_str() {
            "t" if !hidden => text.push_str(&c.text()),
            "tab" | "ptab" if !hidden => text.push(' '),
            "br" | "cr" => text.push('\n'),
            "noBreakHyphen" => text.push('-'),
            "footnoteReference" | "endnoteReference" => {
                if let Some(id) = c.attr("id").filter(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_digit())) {
                    text.push(NOTE_OPEN);
                    if c.name == "endnoteReference" {
                        text.push('e');
                    }
                    text.push_str(id);
                    text.push(NOTE_CLOSE);
                }
            }
            "drawing" | "pict" | "object" | "AlternateContent" => {
                let graphic = if c.name == "AlternateContent" { c.child("Choice").unwrap_or(c) } else { c };
                if let Some(blip) = graphic.find("blip").or_else(|| graphic.find("imagedata")) {
                    let id = blip.attr("embed").or_else(|| blip.attr("id")).unwrap_or("");
                    let alt = graphic
                        .find("docPr")
                        .and_then(|d| d.attr("descr").or_else(|| d.attr("title")))
                        .unwrap_or("")
                        .to_string();
                    content.pictures.push((id.to_string(), alt));
                }
                if let Some(tb) = graphic.find("txbxContent") {
                    text_boxes.push(tb);
                }
            }
            _ => {}
        }
    }
    if !text.is_empty() {
        content.plain.push_str(&text);
        match pending.last_mut() {
            Some((f, t)) if *f == format => t.push_str(&text),
            _ => pending.push((format, text)),
        }
    }
}

/// Writes runs as Markdown, bold and italic marks around their text but outside its spaces
/// (`** x**` is not bold in CommonMark).
fn flush(pending: &mut Vec<(Format, String)>, content: &mut ParagraphContent) {
    for (format, text) in pending.drain(..) {
        let mark = match (format.bold, format.italic) {
            (true, true) => "***",
            (true, false) => "**",
            (false, true) => "*",
            (false, false) => "",
        };
        let core = text.trim();
        if mark.is_empty() || core.is_empty() || core.contains('\n') {
            content.markdown.push_str(&escape_markdown(&text));
            continue;
        }
        let lead = &text[..text.len() - text.trim_start().len()];
        let trail = &text[text.trim_end().len()..];
        content.markdown.push_str(&format!("{lead}{mark}{}{mark}{trail}", escape_markdown(core)));
    }
}

/// The picture's file name in the package (`image1.png`), kept to safe characters and unique
/// among the document's assets.
fn asset_name(target: &str, assets: &[Asset]) -> String {
    let file = target.rsplit('/').next().unwrap_or(target);
    let mut safe: String = file
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' { c } else { '_' })
        .collect();
    if safe.trim_matches('.').is_empty() {
        safe = "image".to_string();
    }
    let (stem, ext) = match safe.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s.to_string(), format!(".{e}")),
        _ => (safe.clone(), String::new()),
    };
    let mut name = safe;
    let mut n = 2;
    while assets.iter().any(|a| a.name == name) {
        name = format!("{stem}-{n}{ext}");
        n += 1;
    }
    name
}

// ----------------------------------------------------------------------------------------------
// Document properties

/// Creators that name a machine or a template, never a person.
const GENERIC_CREATORS: &[&str] = &[
    // Online editors name themselves as the author of an export.
    "腾讯文档",
    "金山文档",
    "石墨文档",
    "飞书",
    "飞书文档",
    "wps",
    "wps office",
    "google docs",
    "administrator",
    "admin",
    "user",
    "users",
    "微软用户",
    "microsoft",
    "microsoft office user",
    "windows 用户",
    "python-docx",
    "unknown",
    "lenovo",
    "dell",
    "hp",
    "pc",
    "walkingdead",
];

/// A file's title property left from what the file was made from: a template or a model text
/// (`通讯模板`, `章程示范文本`), a draft or version (`协议（修改稿3）`, `初稿`), a default name
/// (`文档1`, `Document1`). Never the text's title.
fn is_stale_title(t: &str) -> bool {
    regex!(r"(?i)模板|模版|范本|示范文本|样本|样稿|修改稿|草稿|初稿|副本|^新建|^文档\s*\d*$|^document\s*\d*$|template|draft|\bcopy\b")
        .is_match(t)
}

/// A creator property naming the program or the account type, not a person (`某某文档`,
/// `WPS Office`, `Microsoft Office 用户`).
fn is_tool_name(c: &str) -> bool {
    regex!(r"(?i)(文档|办公|笔记|云盘|网盘|助手|软件|编辑器|用户|office|wps|word|docs?|user|admin)$|^(?i:microsoft|wps|kingsoft|金山|腾讯|飞书|钉钉)").is_match(c.trim())
}

/// `official`: the text is a 公文 (it has a 发文字号), whose file's creator is the typist.
fn core_properties(package: &mut Package, official: bool) -> Vec<MetaHint> {
    let Ok(Some(bytes)) = package.part("docProps/core.xml") else { return Vec::new() };
    let Ok(root) = parse_xml(&bytes) else { return Vec::new() };
    let mut meta = Vec::new();
    let value = |name: &str| root.child(name).map(|e| e.text().trim().to_string()).filter(|v| !v.is_empty());
    if let Some(title) = value("title").filter(|t| !is_stale_title(t)) {
        meta.push(MetaHint { key: MetaKey::Title, value: title, origin: "docProps/core.xml" });
    }
    // `created` is when the file was made, not the text's date: a curator never takes it.
    // A login name (`zhengyanshi01`) is an account, not a person: only a name in Han counts.
    let person = |c: &String| {
        !GENERIC_CREATORS.contains(&c.to_lowercase().as_str()) && !is_tool_name(c) && c.chars().any(crate::fold::is_han)
    };
    if let Some(creator) = value("creator").filter(person).filter(|_| !official) {
        meta.push(MetaHint {
            key: MetaKey::Speaker,
            value: creator,
            origin: "docProps/core.xml (creator: often the typist, a weak hint)",
        });
    }
    meta
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::import::doc::testing::fixture;

    fn headings(doc: &Document) -> Vec<(u8, &str)> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { level, text } => Some((*level, text.as_str())),
                _ => None,
            })
            .collect()
    }

    fn paragraphs(doc: &Document) -> Vec<&str> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(t) => Some(t.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn report_headings_styles_and_inline_formatting() {
        let doc = read(&fixture("report.docx")).expect("report.docx reads");
        assert_eq!(
            headings(&doc),
            vec![
                (1, "2024年社会工作服务站建设情况报告"),
                (2, "一、基本情况"),
                (3, "（二）队伍建设"),
                (2, "二、下一步打算")
            ]
        );
        let paras = paragraphs(&doc);
        assert!(
            paras.contains(&"今年以来，我区**坚持党建引领**，以*社会工作服务站*为抓手，推动服务下沉。"),
            "{paras:?}"
        );
        // Manual numbering stays in the text, for the cleaner.
        assert!(paras.contains(&"（一）阵地建设。各站统一标识，配备专职社工。"));
        // The empty paragraph is not a block; the last line is kept.
        assert_eq!(paras.last(), Some(&"迎泽区委社会工作部"));
    }

    #[test]
    fn report_lists_and_table() {
        let doc = read(&fixture("report.docx")).unwrap();
        let lists: Vec<_> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::List { ordered, items } => Some((*ordered, items.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(
            lists,
            vec![
                (false, vec!["公开招聘专职社工".to_string(), "引导志愿者参与".into(), "与高校合作培养".into()]),
                (true, vec!["一是完善制度。".to_string(), "二是加强培训。".into()]),
            ]
        );
        let table = doc.blocks.iter().find_map(|b| match b {
            Block::Table(rows) => Some(rows.clone()),
            _ => None,
        });
        assert_eq!(
            table,
            Some(vec![
                vec!["街道".to_string(), "服务人次".into(), "项目数".into()],
                vec!["桥东街道".to_string(), "1200".into(), "8".into()],
                vec!["柳巷街道".to_string(), "950".into(), "6".into()],
            ])
        );
    }

    #[test]
    fn report_picture_with_caption_and_no_header_footer() {
        let doc = read(&fixture("report.docx")).unwrap();
        let figure = doc.blocks.iter().find(|b| matches!(b, Block::Figure { .. }));
        assert_eq!(
            figure,
            Some(&Block::Figure {
                file: "image1.png".into(),
                alt: String::new(),
                caption: Some("图1　桥东街道社会工作服务站".into())
            })
        );
        assert_eq!(doc.assets.len(), 1);
        assert!(doc.assets[0].bytes.starts_with(b"\x89PNG"), "the picture's bytes are the PNG");
        // The caption is not also a paragraph; header and footer text is nowhere.
        let all = format!("{:?}", doc.blocks);
        assert_eq!(all.matches("桥东街道社会工作服务站").count(), 1);
        assert!(!all.contains("内部资料") && !all.contains("第 1 页"), "{all}");
    }

    #[test]
    fn report_core_properties_are_hints() {
        let doc = read(&fixture("report.docx")).unwrap();
        let by_key = |k: MetaKey| doc.meta.iter().find(|m| m.key == k).map(|m| (m.value.as_str(), m.origin));
        assert_eq!(by_key(MetaKey::Title).map(|t| t.0), Some("2024年社会工作服务站建设情况报告"));
        assert_eq!(by_key(MetaKey::Date), None, "the file's creation date is not the text's");
        let speaker = by_key(MetaKey::Speaker).unwrap();
        assert_eq!(speaker.0, "张打字员");
        assert!(speaker.1.starts_with("docProps/core.xml") && speaker.1.contains("weak"), "{}", speaker.1);
    }

    #[test]
    fn notice_style_chains_outline_levels_and_chinese_auto_numbering() {
        let doc = read(&fixture("notice.docx")).expect("notice.docx reads");
        assert_eq!(
            headings(&doc),
            vec![
                // `标题 1` is the Chinese name of Heading 1.
                (2, "关于开展社区志愿服务月活动的通知"),
                // A style based on Heading 2, and outline levels on a style and on a paragraph.
                (3, "服务保障"),
                (4, "宣传报道"),
                (5, "及时报送活动信息"),
            ]
        );
        let paras = paragraphs(&doc);
        // Word's auto-numbering in the Chinese format is written into the text, counted per
        // level and restarted below a higher level.
        let numbered: Vec<&str> = paras.iter().copied().filter(|p| p.starts_with(['一', '二', '（'])).collect();
        assert_eq!(numbered, vec!["一、活动安排", "（一）时间地点", "（二）参与对象", "二、工作要求"]);
        // A generic creator (`Administrator`) and an empty title give no hints.
        assert!(doc.meta.is_empty(), "{:?}", doc.meta);
    }

    #[test]
    fn numbers_in_chinese() {
        let cases = [
            (1, "一"),
            (9, "九"),
            (10, "十"),
            (11, "十一"),
            (20, "二十"),
            (21, "二十一"),
            (100, "一百"),
            (105, "一百〇五"),
            (110, "一百一十"),
            (2024, "二千〇二十四"),
        ];
        for (n, want) in cases {
            assert_eq!(format_number(n, "chineseCounting"), want, "{n}");
        }
        assert_eq!(format_number(3, "chineseLegalSimplified"), "叁");
        assert_eq!(format_number(2, "ideographTraditional"), "乙");
        assert_eq!(format_number(3, "decimalEnclosedCircle"), "③");
        assert_eq!(format_number(4, "lowerRoman"), "iv");
    }

    #[test]
    fn heading_names() {
        for (name, level) in [
            ("heading 1", Some(2)),
            ("Heading2", Some(3)),
            ("标题 3", Some(4)),
            ("标题1", Some(2)),
            ("Title", Some(1)),
            ("标题", Some(1)),
            ("Normal", None),
            ("heading 10", None),
        ] {
            assert_eq!(heading_name_level(name), level, "{name}");
        }
    }

    #[test]
    fn relationship_targets() {
        assert_eq!(resolve_path("word", "media/image1.png"), "word/media/image1.png");
        assert_eq!(resolve_path("word", "../customXml/item1.xml"), "customXml/item1.xml");
        assert_eq!(resolve_path("word", "/word/media/a.png"), "word/media/a.png");
        assert_eq!(resolve_path("word", "../../../etc/passwd"), "etc/passwd");
    }

    #[test]
    fn not_a_docx_is_a_plain_error() {
        let err = read(b"plain text, not a zip").unwrap_err();
        assert!(err.contains("not a Word .docx file") && err.contains("save it as .docx"), "{err}");
        // An old binary .doc file starts with the OLE signature.
        let err = read(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]).unwrap_err();
        assert!(err.contains(".doc"), "{err}");
    }

    #[test]
    fn damaged_files_are_errors_not_panics() {
        crate::import::doc::testing::read_damaged(&fixture("report.docx"), 97, 131, |b| drop(read(b)));
    }

    fn zip_of(parts: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut out);
        for (name, data) in parts {
            w.start_file(*name, zip::write::SimpleFileOptions::default().compression_method(method)).unwrap();
            std::io::Write::write_all(&mut w, data).unwrap();
        }
        w.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn zip_bombs_are_refused() {
        let zeros = vec![0u8; 8 << 20];
        let bomb = zip_of(
            &[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", &zeros)],
            zip::CompressionMethod::Deflated,
        );
        assert!(bomb.len() < 100_000);
        let err = read(&bomb).unwrap_err();
        assert!(err.contains("zip bomb"), "{err}");
    }

    #[test]
    fn deep_xml_is_refused() {
        let deep = format!(
            "<w:document xmlns:w=\"x\"><w:body>{}{}</w:body></w:document>",
            "<w:sdt>".repeat(1000),
            "</w:sdt>".repeat(1000)
        );
        let pkg = zip_of(
            &[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", deep.as_bytes())],
            zip::CompressionMethod::Stored,
        );
        let err = read(&pkg).unwrap_err();
        assert!(err.contains("nested deeper"), "{err}");
    }

    #[test]
    fn a_minimal_document_without_styles_or_rels() {
        let xml = "<w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t xml:space=\"preserve\">a &lt; b &amp; 张*某_</w:t></w:r><w:r><w:br/><w:t>下一行</w:t></w:r></w:p></w:body></w:document>";
        let pkg = zip_of(
            &[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", xml.as_bytes())],
            zip::CompressionMethod::Stored,
        );
        let doc = read(&pkg).unwrap();
        assert_eq!(
            doc.blocks,
            vec![Block::Paragraph("a \\< b & 张\\*某\\_".into()), Block::Paragraph("下一行".into())]
        );
    }
}
