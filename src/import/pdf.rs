//! The PDF reader: the text layer, laid out again as paragraphs.
//!
//! `pdf-extract` (on `lopdf`) decodes the glyphs, CID fonts and ToUnicode maps included, and
//! hands over every glyph with its position; this module groups glyphs into lines, drops
//! running headers and footers (lines that repeat at the top or bottom of most pages, page
//! numbers such as `— 1 —` or `第 3 页 共 5 页`, `内部资料　注意保存`), joins lines into
//! paragraphs, undoes hyphenation of Latin words, maps look-alike radicals to ordinary
//! characters, and finds the 发文字号 and 成文日期 as metadata hints (they stay in the text too).
//!
//! The file is untrusted and `pdf-extract` panics on some malformed files, so the whole
//! extraction runs under `catch_unwind` (the panic message still goes to stderr through the
//! panic hook); before it runs, the pages, the inflated size of the file's compressed streams
//! and the nesting of form XObjects (whose cycles would overflow the stack) are bounded.

use super::doc::{Block, Document, MetaHint, MetaKey};
use pdf_extract::{MediaBox, Object, ObjectId, OutputDev, OutputError, Transform};
use regex::Regex;
use rust_i18n::t;
use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

const MAX_FILE_BYTES: usize = 200 << 20;
const MAX_PAGES: usize = 3000;
/// Most the file's compressed streams (pictures excepted) may inflate to, all together.
const MAX_INFLATED_BYTES: u64 = 512 << 20;
/// Most glyphs read from one file (a 3000-page book has about 3 million).
const MAX_GLYPHS: usize = 20_000_000;
const MAX_FORM_DEPTH: usize = 16;
const MAX_FORM_VISITS: usize = 10_000;

/// The error of a PDF without text: says so, and what to do instead.
fn no_text() -> String {
    t!("import.pdf.no_text").into_owned()
}

/// Reads a PDF file's text layer.
pub fn read(bytes: &[u8]) -> Result<Document, String> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(t!("import.pdf.too_large", max = MAX_FILE_BYTES >> 20).into_owned());
    }
    if !bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-") {
        return Err(t!("import.pdf.not_pdf").into_owned());
    }
    check_inflated_size(bytes)?;
    let extracted = catch_unwind(AssertUnwindSafe(|| extract(bytes)))
        .map_err(|_| t!("import.pdf.library_failed").into_owned())??;
    let mut doc = layout(&extracted.pages).ok_or_else(no_text)?;
    // A title set over two lines is one name (`…服务中心` / `2024年度工作报告`) when the file's
    // own title property writes it whole.
    if let Some(info) = extracted.info.iter().find(|h| h.key == MetaKey::Title)
        && let Some(Block::Heading { level: 1, text }) =
            doc.blocks.iter_mut().find(|b| matches!(b, Block::Heading { .. }))
    {
        let bare = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        if text.contains(char::is_whitespace)
            && bare(text) == bare(&info.value)
            && !info.value.contains(char::is_whitespace)
        {
            *text = info.value.clone();
        }
    }
    let mut meta = extracted.info;
    meta.append(&mut doc.meta);
    doc.meta = meta;
    Ok(doc)
}

// ----------------------------------------------------------------------------------------------
// Extraction

struct Extracted {
    pages: Vec<Page>,
    info: Vec<MetaHint>,
}

#[derive(Default)]
struct Page {
    bottom: f64,
    top: f64,
    glyphs: Vec<Glyph>,
    /// Vertical rules (table cell borders), which separate cells whose texts nearly touch.
    rules: Vec<Rule>,
    /// Filled rectangles (a chart's bars, shaded boxes and cells).
    bars: Vec<Bar>,
}

/// A filled axis-aligned rectangle drawn on the page.
#[derive(Debug, Clone, Copy)]
struct Bar {
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
}

/// A vertical line drawn on the page: its x and the y range it spans.
#[derive(Debug, Clone, Copy)]
struct Rule {
    x: f64,
    y0: f64,
    y1: f64,
}

/// Most rules kept per page (a drawing of thousands of strokes is no table).
const MAX_RULES: usize = 2000;

/// Most filled rectangles kept per page (a chart of more bars is not read as one).
const MAX_BARS: usize = 500;

#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    y: f64,
    /// Where the glyph's advance ends.
    end: f64,
    size: f64,
    text: String,
    /// Set in a bold font (see [`mark_bold_fonts`]).
    bold: bool,
}

fn extract(bytes: &[u8]) -> Result<Extracted, String> {
    let mut pdf = pdf_extract::Document::load_mem(bytes).map_err(|_| t!("import.pdf.damaged").into_owned())?;
    if pdf.is_encrypted() && pdf.decrypt("").is_err() {
        return Err(t!("import.pdf.password").into_owned());
    }
    rekey_cid_fonts(&mut pdf);
    mark_bold_fonts(&mut pdf);
    let pages = pdf.get_pages();
    if pages.len() > MAX_PAGES {
        return Err(t!("import.pdf.too_many_pages", count = pages.len(), max = MAX_PAGES).into_owned());
    }
    let mut out = Collector::default();
    for (&number, &id) in &pages {
        check_forms(&pdf, id)?;
        match pdf_extract::output_doc_page(&pdf, &mut out, number) {
            Ok(()) => {}
            Err(_) if out.over_budget => {
                return Err(t!("import.pdf.too_many_glyphs", max = MAX_GLYPHS).into_owned());
            }
            // A page the library cannot read is skipped; the others still make a draft.
            Err(_) => out.end_page().unwrap_or(()),
        }
    }
    Ok(Extracted { pages: out.pages, info: info_hints(&pdf) })
}

#[derive(Default)]
struct Collector {
    pages: Vec<Page>,
    current: Option<Page>,
    glyphs: usize,
    over_budget: bool,
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.current = Some(Page {
            bottom: media_box.lly.min(media_box.ury),
            top: media_box.ury.max(media_box.lly),
            glyphs: Vec::new(),
            rules: Vec::new(),
            bars: Vec::new(),
        });
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        if let Some(page) = self.current.take() {
            self.pages.push(page);
        }
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        self.glyphs += 1;
        if self.glyphs > MAX_GLYPHS {
            self.over_budget = true;
            return Err(OutputError::FormatError(std::fmt::Error));
        }
        // Rotated text (diagonal watermarks, vertical margin notes) is not running text.
        if trm.m11 <= 0.0 || trm.m12.abs() > 0.1 * trm.m11 || trm.m21.abs() > 0.1 * trm.m11 {
            return Ok(());
        }
        let size = (font_size * trm.m11 * font_size * trm.m22).abs().sqrt();
        let (bold, text) = match text.strip_prefix(BOLD_MARK) {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        if !size.is_finite() || size <= 0.0 || text.is_empty() {
            return Ok(());
        }
        let (x, y) = (trm.m31, trm.m32);
        if let Some(page) = self.current.as_mut() {
            page.glyphs.push(Glyph { x, y, end: x + width * size, size, text: text.to_string(), bold });
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn stroke(
        &mut self,
        ctm: &Transform,
        _colorspace: &pdf_extract::ColorSpace,
        _color: &[f64],
        path: &pdf_extract::Path,
    ) -> Result<(), OutputError> {
        self.add_rules(ctm, path, false);
        Ok(())
    }

    fn fill(
        &mut self,
        ctm: &Transform,
        _colorspace: &pdf_extract::ColorSpace,
        _color: &[f64],
        path: &pdf_extract::Path,
    ) -> Result<(), OutputError> {
        self.add_rules(ctm, path, true);
        self.add_bars(ctm, path);
        Ok(())
    }
}

impl Collector {
    /// Keeps the filled rectangles of a path: `re` operators, and closed four-cornered
    /// subpaths whose sides run along the axes (how chart software draws bars).
    fn add_bars(&mut self, ctm: &Transform, path: &pdf_extract::Path) {
        use pdf_extract::PathOp;
        let Some(page) = self.current.as_mut() else { return };
        let at = |x: f64, y: f64| (ctm.m11 * x + ctm.m21 * y + ctm.m31, ctm.m12 * x + ctm.m22 * y + ctm.m32);
        let mut push = |points: &[(f64, f64)]| {
            let xs = points.iter().map(|p| p.0);
            let ys = points.iter().map(|p| p.1);
            let (x0, x1) = (xs.clone().fold(f64::MAX, f64::min), xs.fold(f64::MIN, f64::max));
            let (y0, y1) = (ys.clone().fold(f64::MAX, f64::min), ys.fold(f64::MIN, f64::max));
            // Every corner on the rectangle's outline: no slanted or curved shape.
            let on_edge = points.iter().all(|&(x, y)| {
                ((x - x0).abs() <= 0.5 || (x - x1).abs() <= 0.5) && ((y - y0).abs() <= 0.5 || (y - y1).abs() <= 0.5)
            });
            let finite = [x0, x1, y0, y1].iter().all(|v| v.is_finite());
            if finite && on_edge && x1 - x0 > 3.0 && y1 - y0 > 3.0 && page.bars.len() < MAX_BARS {
                page.bars.push(Bar { x0, x1, y0, y1 });
            }
        };
        let mut corners: Vec<(f64, f64)> = Vec::new();
        let mut curved = false;
        for op in &path.ops {
            match *op {
                PathOp::Rect(x, y, w, h) => push(&[at(x, y), at(x + w, y + h)]),
                PathOp::MoveTo(x, y) => {
                    corners.clear();
                    curved = false;
                    corners.push(at(x, y));
                }
                PathOp::LineTo(x, y) => corners.push(at(x, y)),
                PathOp::CurveTo(..) => curved = true,
                PathOp::Close => {
                    if !curved && (4..=5).contains(&corners.len()) {
                        push(&corners);
                    }
                    corners.clear();
                }
            }
        }
        if !curved && (4..=5).contains(&corners.len()) && corners.first() == corners.last() {
            push(&corners);
        }
    }

    /// Keeps the vertical lines of a drawn path: stroked segments and rectangle sides, and
    /// filled rectangles thin enough to be a line (how Word draws table borders).
    fn add_rules(&mut self, ctm: &Transform, path: &pdf_extract::Path, filled: bool) {
        use pdf_extract::PathOp;
        let Some(page) = self.current.as_mut() else { return };
        let at = |x: f64, y: f64| (ctm.m11 * x + ctm.m21 * y + ctm.m31, ctm.m12 * x + ctm.m22 * y + ctm.m32);
        let mut push = |a: (f64, f64), b: (f64, f64)| {
            let ok = [a.0, a.1, b.0, b.1].iter().all(|v| v.is_finite());
            if ok && (a.0 - b.0).abs() <= 1.0 && (a.1 - b.1).abs() >= 4.0 && page.rules.len() < MAX_RULES {
                page.rules.push(Rule { x: (a.0 + b.0) / 2.0, y0: a.1.min(b.1), y1: a.1.max(b.1) });
            }
        };
        let mut last = None;
        for op in &path.ops {
            match *op {
                PathOp::MoveTo(x, y) | PathOp::CurveTo(_, _, _, _, x, y) => last = Some(at(x, y)),
                PathOp::LineTo(x, y) => {
                    let p = at(x, y);
                    if let Some(q) = last.filter(|_| !filled) {
                        push(q, p);
                    }
                    last = Some(p);
                }
                PathOp::Rect(x, y, w, h) => {
                    let (a, b) = (at(x, y), at(x + w, y + h));
                    if filled && (a.0 - b.0).abs() <= 3.0 {
                        let mid = (a.0 + b.0) / 2.0;
                        push((mid, a.1), (mid, b.1));
                    } else if !filled {
                        push((a.0, a.1), (a.0, b.1));
                        push((b.0, a.1), (b.0, b.1));
                    }
                }
                PathOp::Close => {}
            }
        }
    }
}

/// Inflates every Flate-compressed stream that is not a picture, counting the bytes, so a
/// file whose object or content streams would inflate to gigabytes is refused before the PDF
/// library inflates them without a bound.
fn check_inflated_size(bytes: &[u8]) -> Result<(), String> {
    let finder = memchr_stream();
    let mut total: u64 = 0;
    let mut pos = 0;
    while let Some(found) = finder.find(&bytes[pos..]) {
        let at = pos + found.start();
        let mut start = pos + found.end();
        pos = start;
        if bytes.get(start) == Some(&b'\r') {
            start += 1;
        }
        if bytes.get(start) == Some(&b'\n') {
            start += 1;
        }
        let dict = &bytes[at.saturating_sub(2048)..at];
        let dict = dict.windows(3).rposition(|w| w == b"obj").map_or(dict, |i| &dict[i..]);
        let has = |needle: &[u8]| dict.windows(needle.len()).any(|w| w == needle);
        if !has(b"FlateDecode") || has(b"/Image") {
            continue;
        }
        let mut decoder = flate2::read::ZlibDecoder::new(&bytes[start..]);
        let mut chunk = vec![0u8; 64 << 10];
        loop {
            match decoder.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    total += n as u64;
                    if total > MAX_INFLATED_BYTES {
                        return Err(t!("import.pdf.inflates", max = MAX_INFLATED_BYTES >> 20).into_owned());
                    }
                }
            }
        }
        pos = pos.max(start + decoder.total_in() as usize);
    }
    Ok(())
}

fn memchr_stream() -> &'static aho_corasick::AhoCorasick {
    static FINDER: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
    FINDER.get_or_init(|| {
        // "stream" followed by its end of line; "endstream" never is.
        aho_corasick::AhoCorasick::new(["stream\r\n", "stream\n", "stream\r"]).expect("fixed patterns")
    })
}

/// Composite fonts whose codes reach their glyphs through an embedded CMap (`begincidchar`,
/// `begincidrange`: fpdf2 and some Chinese producers write them) are re-keyed to `Identity-H`,
/// their widths moved from glyph ids to codes. `pdf-extract` reads only `Identity-H` right (it
/// misreads multi-entry `cidrange` blocks and ignores `cidchar`), while the font's ToUnicode
/// map is keyed by code, so with codes passed through as they are the text comes out right.
fn rekey_cid_fonts(pdf: &mut pdf_extract::Document) {
    let mut plans: Vec<(ObjectId, ObjectId, Vec<Object>)> = Vec::new();
    // (font, lacks a ToUnicode map) of fonts whose codes are Unicode already.
    let mut unicode_fonts: Vec<(ObjectId, bool)> = Vec::new();
    for (&id, object) in &pdf.objects {
        let Ok(font) = object.as_dict() else { continue };
        if font.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Type0".as_slice()) {
            continue;
        }
        let encoding = font.get(b"Encoding").ok().and_then(|o| deref(pdf, o));
        if let Some(Object::Name(name)) = encoding
            && UNICODE_CMAPS.contains(&name.as_slice())
        {
            unicode_fonts.push((id, font.get(b"ToUnicode").is_err()));
            continue;
        }
        let Some(Object::Stream(cmap)) = encoding else { continue };
        let Ok(content) = cmap.get_plain_content() else { continue };
        let Some(code_to_cid) = parse_cid_cmap(&content) else { continue };
        let descendant = font
            .get(b"DescendantFonts")
            .ok()
            .and_then(|o| deref(pdf, o))
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first());
        let Some(Object::Reference(cid_font_id)) = descendant else { continue };
        let Ok(cid_font) = pdf.get_dictionary(*cid_font_id) else { continue };
        let widths = cid_widths(pdf, cid_font);
        let default = cid_font.get(b"DW").ok().and_then(|o| o.as_float().ok()).unwrap_or(1000.0);
        let mut w = Vec::with_capacity(code_to_cid.len() * 2);
        for (code, cid) in code_to_cid {
            w.push(Object::Integer(code as i64));
            w.push(Object::Array(vec![Object::Real(widths.get(&cid).copied().unwrap_or(default))]));
        }
        plans.push((id, *cid_font_id, w));
    }
    if unicode_fonts.iter().any(|(_, lacks)| *lacks) {
        let identity = pdf.add_object(pdf_extract::Stream::new(pdf_extract::Dictionary::new(), identity_to_unicode()));
        for (font_id, lacks) in &unicode_fonts {
            if let Ok(Object::Dictionary(font)) = pdf.get_object_mut(*font_id)
                && *lacks
            {
                font.set("ToUnicode", Object::Reference(identity));
            }
        }
    }
    for (font_id, _) in unicode_fonts {
        if let Ok(Object::Dictionary(font)) = pdf.get_object_mut(font_id) {
            font.set("Encoding", Object::Name(b"Identity-H".to_vec()));
        }
    }
    for (font_id, cid_font_id, w) in plans {
        if let Ok(Object::Dictionary(font)) = pdf.get_object_mut(font_id) {
            font.set("Encoding", Object::Name(b"Identity-H".to_vec()));
        }
        if let Ok(Object::Dictionary(cid_font)) = pdf.get_object_mut(cid_font_id) {
            cid_font.set("W", Object::Array(w));
        }
    }
}

/// Put before the text of every glyph of a bold font by its rewritten ToUnicode map, and taken
/// off again when the glyph is collected: `pdf-extract` does not say which font a glyph is in.
/// A noncharacter, so no text holds it.
const BOLD_MARK: char = '\u{FDD0}';

/// Rewrites the ToUnicode map of every bold font (by its name, `…-Bold`, `…Heavy`, or its
/// descriptor's weight or ForceBold flag) so that each glyph's text starts with [`BOLD_MARK`]:
/// subheads set only in bold type are told from the body that way.
fn mark_bold_fonts(pdf: &mut pdf_extract::Document) {
    let mut plans: Vec<(ObjectId, Vec<u8>)> = Vec::new();
    for (&id, object) in &pdf.objects {
        let Ok(font) = object.as_dict() else { continue };
        if font.get(b"Type").and_then(Object::as_name).ok() != Some(b"Font".as_slice()) || !is_bold_font(pdf, font) {
            continue;
        }
        let two_bytes = font.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0".as_slice());
        let Some(Object::Stream(map)) = font.get(b"ToUnicode").ok().and_then(|o| deref(pdf, o)) else { continue };
        let Ok(content) = map.get_plain_content() else { continue };
        if let Some(entries) = parse_to_unicode(&content) {
            plans.push((id, marked_to_unicode(&entries, two_bytes)));
        }
    }
    for (id, cmap) in plans {
        let stream = pdf.add_object(pdf_extract::Stream::new(pdf_extract::Dictionary::new(), cmap));
        if let Ok(Object::Dictionary(font)) = pdf.get_object_mut(id) {
            font.set("ToUnicode", Object::Reference(stream));
        }
    }
}

/// Whether a font is a bold face: its name says so (`NotoSansCJKSC-Bold`, `SimSun,Bold`,
/// `…Heavy`, `…Black`, `…Semibold`), or its descriptor (its descendant's, for a composite
/// font) has a weight of 600 or more or the ForceBold flag.
fn is_bold_font(pdf: &pdf_extract::Document, font: &pdf_extract::Dictionary) -> bool {
    let name = |d: &pdf_extract::Dictionary| {
        d.get(b"BaseFont").ok().and_then(|o| deref(pdf, o)).and_then(|o| o.as_name().ok()).map(|n| {
            let n = String::from_utf8_lossy(n).to_lowercase();
            n.split_once('+').map_or(n.clone(), |(_, rest)| rest.to_string())
        })
    };
    let descendant = font
        .get(b"DescendantFonts")
        .ok()
        .and_then(|o| deref(pdf, o))
        .and_then(|o| o.as_array().ok())
        .and_then(|a| a.first())
        .and_then(|o| deref(pdf, o))
        .and_then(|o| o.as_dict().ok());
    let named_bold = [Some(font), descendant]
        .into_iter()
        .flatten()
        .filter_map(name)
        .any(|n| ["bold", "heavy", "black", "semibold", "demibold", "demi"].iter().any(|w| n.contains(w)));
    let described_bold = [Some(font), descendant].into_iter().flatten().any(|d| {
        let Some(desc) = d.get(b"FontDescriptor").ok().and_then(|o| deref(pdf, o)).and_then(|o| o.as_dict().ok())
        else {
            return false;
        };
        let number = |key: &[u8]| desc.get(key).ok().and_then(|o| deref(pdf, o)).and_then(|o| o.as_float().ok());
        number(b"FontWeight").is_some_and(|w| w >= 600.0)
            || number(b"Flags").is_some_and(|f| (f as i64) & (1 << 18) != 0)
    });
    named_bold || described_bold
}

/// The code → UTF-16BE pairs of a ToUnicode map (`beginbfchar`, `beginbfrange` with a start
/// value or an array), or `None` when it holds none. Ranges are bounded to 65536 codes.
fn parse_to_unicode(content: &[u8]) -> Option<Vec<(u32, Vec<u8>)>> {
    #[derive(PartialEq)]
    enum Tok<'a> {
        Hex(Vec<u8>),
        Open,
        Close,
        Word(&'a [u8]),
    }
    let mut toks = Vec::new();
    let mut i = 0;
    while i < content.len() {
        let c = content[i];
        match c {
            b'<' => {
                let end = content[i + 1..].iter().position(|&b| b == b'>').map(|p| i + 1 + p)?;
                let digits: Vec<u8> = content[i + 1..end].iter().copied().filter(u8::is_ascii_hexdigit).collect();
                let bytes = digits
                    .chunks(2)
                    .map(|p| {
                        let h = std::str::from_utf8(p).ok()?;
                        u8::from_str_radix(&format!("{h:0<2}"), 16).ok()
                    })
                    .collect::<Option<Vec<u8>>>()?;
                toks.push(Tok::Hex(bytes));
                i = end + 1;
            }
            b'[' => {
                toks.push(Tok::Open);
                i += 1;
            }
            b']' => {
                toks.push(Tok::Close);
                i += 1;
            }
            b'%' => {
                while i < content.len() && content[i] != b'\n' && content[i] != b'\r' {
                    i += 1;
                }
            }
            _ if c.is_ascii_whitespace() => i += 1,
            _ => {
                let start = i;
                while i < content.len() && !b"<>[]% \t\r\n\x0c".contains(&content[i]) {
                    i += 1;
                }
                toks.push(Tok::Word(&content[start..i.max(start + 1)]));
                i = i.max(start + 1);
            }
        }
    }
    let code = |b: &[u8]| (b.len() <= 4).then(|| b.iter().fold(0u32, |acc, &x| (acc << 8) | x as u32));
    let mut out: Vec<(u32, Vec<u8>)> = Vec::new();
    let mut k = 0;
    let mut mode = None;
    while k < toks.len() {
        match (&toks[k], mode) {
            (Tok::Word(b"beginbfchar"), _) => mode = Some(false),
            (Tok::Word(b"beginbfrange"), _) => mode = Some(true),
            (Tok::Word(b"endbfchar" | b"endbfrange"), _) => mode = None,
            (Tok::Hex(src), Some(false)) => {
                if let Some(Tok::Hex(dst)) = toks.get(k + 1) {
                    out.push((code(src)?, dst.clone()));
                    k += 1;
                }
            }
            (Tok::Hex(lo), Some(true)) => {
                let (Some(Tok::Hex(hi)), Some(next)) = (toks.get(k + 1), toks.get(k + 2)) else { return None };
                let (lo, hi) = (code(lo)?, code(hi)?);
                if hi < lo || hi - lo > 0xFFFF || out.len() > 0x40000 {
                    return None;
                }
                match next {
                    Tok::Hex(start) if !start.is_empty() => {
                        for (n, c) in (lo..=hi).enumerate() {
                            let mut dst = start.clone();
                            // The last byte counts up (carrying into the one before it).
                            let len = dst.len();
                            let last = dst[len - 1] as usize + n;
                            dst[len - 1] = (last & 0xFF) as u8;
                            if len >= 2 {
                                dst[len - 2] = dst[len - 2].wrapping_add((last >> 8) as u8);
                            }
                            out.push((c, dst));
                        }
                        k += 2;
                    }
                    Tok::Open => {
                        let mut c = lo;
                        k += 3;
                        while let Some(Tok::Hex(dst)) = toks.get(k) {
                            if c <= hi {
                                out.push((c, dst.clone()));
                            }
                            c += 1;
                            k += 1;
                        }
                    }
                    _ => return None,
                }
            }
            _ => {}
        }
        k += 1;
    }
    (!out.is_empty()).then_some(out)
}

/// A ToUnicode map giving each code its text with [`BOLD_MARK`] before it.
fn marked_to_unicode(entries: &[(u32, Vec<u8>)], two_bytes: bool) -> Vec<u8> {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CMapName /Marked-UCS def\n/CMapType 2 def\n",
    );
    cmap.push_str(if two_bytes {
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
    } else {
        "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
    });
    let mark = format!("{:04X}", BOLD_MARK as u32);
    for block in entries.chunks(100) {
        cmap.push_str(&format!("{} beginbfchar\n", block.len()));
        for (code, dst) in block {
            let hex: String = dst.iter().map(|b| format!("{b:02X}")).collect();
            if two_bytes || *code > 0xFF {
                cmap.push_str(&format!("<{code:04X}> <{mark}{hex}>\n"));
            } else {
                cmap.push_str(&format!("<{code:02X}> <{mark}{hex}>\n"));
            }
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    cmap.into_bytes()
}

/// Predefined CMaps whose two-byte codes are the characters' Unicode values (Chinese PDFs that
/// use the reader's own Song or Hei font, not an embedded one, are written with them).
const UNICODE_CMAPS: &[&[u8]] = &[b"UniGB-UCS2-H", b"UniGB-UTF16-H", b"UniCNS-UCS2-H", b"UniCNS-UTF16-H"];

/// A ToUnicode map taking every two-byte code to the same Unicode value (surrogates aside).
fn identity_to_unicode() -> Vec<u8> {
    let ranges: Vec<String> = (0u32..=0xFF)
        .filter(|hi| !(0xD8..=0xDF).contains(hi))
        .map(|hi| format!("<{hi:02X}00> <{hi:02X}FF> <{hi:02X}00>"))
        .collect();
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CMapName /Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for block in ranges.chunks(100) {
        cmap.push_str(&format!("{} beginbfrange\n{}\nendbfrange\n", block.len(), block.join("\n")));
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    cmap.into_bytes()
}

/// Code → CID pairs of a two-byte CMap, or `None` when it is not one (or maps nothing).
fn parse_cid_cmap(content: &[u8]) -> Option<Vec<(u32, u32)>> {
    let text = String::from_utf8_lossy(content);
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let hex = |t: &str| -> Option<(u32, usize)> {
        let h = t.strip_prefix('<')?.strip_suffix('>')?;
        (h.len() <= 8).then_some(())?;
        Some((u32::from_str_radix(h, 16).ok()?, h.len()))
    };
    let mut pairs = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match tokens[i] {
            "begincidchar" => {
                i += 1;
                while i + 1 < tokens.len() && tokens[i] != "endcidchar" {
                    let (code, len) = hex(tokens[i])?;
                    if len != 4 {
                        return None;
                    }
                    pairs.push((code, tokens[i + 1].parse().ok()?));
                    i += 2;
                }
            }
            "begincidrange" => {
                i += 1;
                while i + 2 < tokens.len() && tokens[i] != "endcidrange" {
                    let ((lo, len), (hi, _)) = (hex(tokens[i])?, hex(tokens[i + 1])?);
                    let cid: u32 = tokens[i + 2].parse().ok()?;
                    if len != 4 || hi < lo || pairs.len() + (hi - lo) as usize > 0x10000 {
                        return None;
                    }
                    pairs.extend((lo..=hi).map(|c| (c, cid + (c - lo))));
                    i += 3;
                }
            }
            _ => {}
        }
        i += 1;
    }
    pairs.sort_unstable();
    pairs.dedup_by_key(|p| p.0);
    (!pairs.is_empty()).then_some(pairs)
}

/// The `W` array of a CID font: `c [w1 w2 …]` and `c_first c_last w`.
fn cid_widths(pdf: &pdf_extract::Document, cid_font: &pdf_extract::Dictionary) -> std::collections::HashMap<u32, f32> {
    let mut widths = std::collections::HashMap::new();
    let Some(w) = cid_font.get(b"W").ok().and_then(|o| deref(pdf, o)).and_then(|o| o.as_array().ok()) else {
        return widths;
    };
    let num = |o: &Object| deref(pdf, o).and_then(|o| o.as_float().ok());
    let mut i = 0;
    while i < w.len() {
        let Some(first) = num(&w[i]) else { break };
        match w.get(i + 1).and_then(|o| deref(pdf, o)) {
            Some(Object::Array(list)) => {
                for (k, v) in list.iter().enumerate().take(0x10000) {
                    if let Some(v) = num(v) {
                        widths.insert(first as u32 + k as u32, v);
                    }
                }
                i += 2;
            }
            Some(_) => {
                let (Some(last), Some(v)) = (num(&w[i + 1]), w.get(i + 2).and_then(num)) else { break };
                for c in (first as u32)..=(last as u32).min(first as u32 + 0x10000) {
                    widths.insert(c, v);
                }
                i += 3;
            }
            None => break,
        }
    }
    widths
}

/// Refuses form XObjects that draw themselves (the library would recurse until the stack
/// overflows, which no `catch_unwind` survives) or nest absurdly deep or wide.
fn check_forms(pdf: &pdf_extract::Document, page: ObjectId) -> Result<(), String> {
    let mut dict = pdf.get_dictionary(page).ok();
    let mut resources = None;
    for _ in 0..64 {
        let Some(d) = dict else { break };
        if let Some(r) = d.get(b"Resources").ok().and_then(|o| deref(pdf, o)).and_then(|o| o.as_dict().ok()) {
            resources = Some(r);
            break;
        }
        dict = d.get(b"Parent").ok().and_then(|o| deref(pdf, o)).and_then(|o| o.as_dict().ok());
    }
    let Some(resources) = resources else { return Ok(()) };
    let mut visits = 0;
    forms_below(pdf, resources, &mut Vec::new(), &mut visits)
}

fn forms_below(
    pdf: &pdf_extract::Document,
    resources: &pdf_extract::Dictionary,
    stack: &mut Vec<ObjectId>,
    visits: &mut usize,
) -> Result<(), String> {
    let damaged = || t!("import.pdf.self_reference").into_owned();
    let Some(xobjects) = resources.get(b"XObject").ok().and_then(|o| deref(pdf, o)).and_then(|o| o.as_dict().ok())
    else {
        return Ok(());
    };
    for (_, value) in xobjects.iter() {
        let Object::Reference(id) = value else { continue };
        *visits += 1;
        if *visits > MAX_FORM_VISITS || stack.contains(id) || stack.len() >= MAX_FORM_DEPTH {
            return Err(damaged());
        }
        let Ok(Object::Stream(stream)) = pdf.get_object(*id) else { continue };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form".as_slice()) {
            continue;
        }
        // A form without resources of its own uses its caller's, as the library does.
        let inner = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|o| deref(pdf, o))
            .and_then(|o| o.as_dict().ok())
            .unwrap_or(resources);
        stack.push(*id);
        forms_below(pdf, inner, stack, visits)?;
        stack.pop();
    }
    Ok(())
}

fn deref<'a>(pdf: &'a pdf_extract::Document, o: &'a Object) -> Option<&'a Object> {
    match o {
        Object::Reference(id) => pdf.get_object(*id).ok(),
        other => Some(other),
    }
}

/// Title, author and creation date from the document information dictionary.
fn info_hints(pdf: &pdf_extract::Document) -> Vec<MetaHint> {
    let Some(info) = pdf.trailer.get(b"Info").ok().and_then(|o| deref(pdf, o)).and_then(|o| o.as_dict().ok()) else {
        return Vec::new();
    };
    let get = |key: &[u8]| {
        info.get(key)
            .ok()
            .and_then(|o| deref(pdf, o))
            .and_then(|o| o.as_str().ok())
            .map(text_string)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let mut meta = Vec::new();
    if let Some(title) = get(b"Title").map(|t| clean_info_title(&t)).filter(|t| !is_generic_title(t)) {
        meta.push(MetaHint { key: MetaKey::Title, value: title, origin: "PDF Info" });
    }
    // CreationDate is when the file was made (often when it was printed to PDF or
    // downloaded), not the text's date: a curator never takes it, so neither does import.
    if let Some(author) = get(b"Author").filter(|a| !is_generic_author(a) && a.chars().any(crate::fold::is_han)) {
        meta.push(MetaHint {
            key: MetaKey::Speaker,
            value: author,
            origin: "PDF Info (Author: often the typist, a weak hint)",
        });
    }
    meta
}

/// A PDF text string: UTF-16BE with its byte-order mark, else UTF-8, else PDFDocEncoding for
/// ASCII, else GB18030 (which Chinese producers write without saying so).
fn text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        return String::from_utf16_lossy(&units);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// `Microsoft Word - 关于….docx` → `关于…`.
fn clean_info_title(title: &str) -> String {
    let t = title
        .strip_prefix("Microsoft Word - ")
        .or_else(|| title.strip_prefix("Microsoft PowerPoint - "))
        .unwrap_or(title);
    let lower = t.to_lowercase();
    let t = [".docx", ".doc", ".wps", ".pdf", ".txt"]
        .iter()
        .find(|e| lower.ends_with(*e))
        .map_or(t, |e| &t[..t.len() - e.len()]);
    t.trim().to_string()
}

fn is_generic_title(t: &str) -> bool {
    let l = t.to_lowercase();
    l.is_empty()
        || ["untitled", "无标题", "新建 microsoft word 文档", "document", "文档"]
            .iter()
            .any(|g| l == *g || l.starts_with(&format!("{g} ")))
}

fn is_generic_author(a: &str) -> bool {
    ["administrator", "admin", "user", "微软用户", "microsoft", "windows 用户", "unknown", "lenovo"]
        .contains(&a.to_lowercase().as_str())
}

// ----------------------------------------------------------------------------------------------
// Layout: glyphs → lines → paragraphs

/// A run of glyphs on one baseline with no wide gap and no rule inside it: a line of a column,
/// a table cell, or a whole line of a single-column page.
#[derive(Debug, Clone)]
struct Frag {
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
    text: String,
    /// Every visible glyph of it is bold.
    bold: bool,
}

#[derive(Debug, Clone)]
struct Line {
    page: usize,
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
    text: String,
    /// Every fragment of it is bold.
    bold: bool,
    frags: Vec<Frag>,
    /// The left and right edges of the column the line was read in, when the page has columns.
    column: Option<(f64, f64)>,
    /// A vertical column beside a larger one (a cover's unit or month beside its title): never
    /// a heading, whatever its size.
    beside_title: bool,
}

/// What a page's layout gives, in reading order.
#[derive(Debug, Clone)]
enum Item {
    Line(Line),
    /// A table of aligned or ruled cells, row by row (the first row is the header).
    Table(Vec<Vec<String>>),
}

/// A gap wider than this (in character heights) ends a fragment: text on both sides of it
/// belongs to different columns or cells unless the page's layout says otherwise.
const FRAG_GAP: f64 = 1.0;

/// The document laid out from its pages' glyphs, or `None` when no page holds any text.
fn layout(pages: &[Page]) -> Option<Document> {
    let mut vertical: Vec<Vec<Line>> = Vec::with_capacity(pages.len());
    let mut per_page: Vec<Vec<Line>> = Vec::with_capacity(pages.len());
    for (i, p) in pages.iter().enumerate() {
        let (columns, glyphs) = vertical_columns(i, &p.glyphs);
        vertical.push(columns);
        per_page.push(page_rows(i, without_chart_labels(page_frags(&glyphs, &p.rules), &p.bars)));
    }
    if per_page.iter().chain(&vertical).flatten().all(|l| l.text.trim().is_empty()) {
        return None;
    }
    let (printed_url, compiler) = drop_running_lines(pages, &mut per_page);
    let mut items: Vec<Item> = Vec::new();
    for ((rows, page), columns) in per_page.into_iter().zip(pages).zip(vertical) {
        items.extend(columns.into_iter().map(Item::Line));
        let rows: Vec<Line> = rows.into_iter().filter(|l| !l.text.trim().is_empty()).collect();
        items.extend(order_page(rows, &page.rules));
    }
    for item in &mut items {
        match item {
            Item::Line(l) => l.text = map_lookalikes(l.text.trim()),
            Item::Table(rows) => {
                for cell in rows.iter_mut().flatten() {
                    *cell = map_lookalikes(cell.trim());
                }
            }
        }
    }
    if is_ocr_spaced(&items) {
        for item in &mut items {
            if let Item::Line(l) = item {
                l.text = without_han_spaces(&l.text);
            }
        }
    }
    let lines: Vec<Line> = items
        .iter()
        .filter_map(|i| match i {
            Item::Line(l) => Some(l.clone()),
            Item::Table(_) => None,
        })
        .collect();
    let mut meta = text_hints(&lines);
    if let Some(unit) = compiler {
        meta.push(MetaHint {
            key: MetaKey::Organization,
            value: unit,
            origin: "the unit that compiled the text (编), in the running header or footer",
        });
    }
    if let Some(url) = printed_url {
        meta.push(MetaHint {
            key: MetaKey::SourceUrl,
            value: url,
            origin: "the page address a browser printed in the PDF's header or footer",
        });
    }
    let mut blocks = paragraphs(&items);
    // A form's notes on how to fill it in (`填表说明：1. 本表一式三份…`) are furniture, not text.
    blocks.retain(|b| !matches!(b, Block::Paragraph(t) if super::meta::regex!(r"^(?:填表|填写|填报)(?:说明|须知)\s*[:：]").is_match(t)));
    meta.extend(super::docx::drop_colophon(&mut blocks));
    Some(Document { meta, blocks, assets: Vec::new() })
}

/// Whether the text layer is a scanner app's OCR, which puts spaces between some Han
/// characters of running text (`冬 季是火灾易发季节。`): typeset Chinese never spaces a
/// sentence's characters, so two such lines tell it.
fn is_ocr_spaced(items: &[Item]) -> bool {
    static SPACED: OnceLock<Regex> = OnceLock::new();
    let spaced = re(&SPACED, r"\p{Han} \p{Han}");
    items
        .iter()
        .filter(|i| matches!(i, Item::Line(l) if l.text.contains(['。', '，']) && spaced.is_match(&l.text)))
        .nth(1)
        .is_some()
}

/// `冬 季` → `冬季`: one space between two Han characters taken out.
fn without_han_spaces(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let han = |i: usize| chars.get(i).is_some_and(|&c| crate::fold::is_han(c));
    chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| !(c == ' ' && i > 0 && han(i - 1) && han(i + 1)))
        .map(|(_, &c)| c)
        .collect()
}

/// Groups a page's glyphs, in the order the page draws them, into fragments: a fragment ends
/// where the baseline changes, the text goes back left, a gap wider than [`FRAG_GAP`] opens or
/// a vertical rule stands between two glyphs.
fn page_frags(glyphs: &[Glyph], rules: &[Rule]) -> Vec<Frag> {
    let mut frags: Vec<Frag> = Vec::new();
    // Whether a space glyph came after the fragment's last visible glyph.
    let mut spaced = false;
    for g in glyphs {
        let blank = g.text.trim().is_empty();
        let joins = frags.last().is_some_and(|l| {
            let size = l.size.max(g.size);
            (g.y - l.y).abs() <= 0.4 * size
                && g.x >= l.x1 - 0.8 * size
                && (blank || l.text.is_empty() || g.x - l.x1 <= FRAG_GAP * size)
                && !rules.iter().any(|r| {
                    r.x > l.x1 - 0.3 * size && r.x < g.x + 0.3 * size && r.y0 <= g.y + 0.5 * size && r.y1 >= g.y
                })
        });
        if !joins {
            if blank {
                continue;
            }
            frags.push(Frag { x0: g.x, x1: g.end, y: g.y, size: g.size, text: String::new(), bold: g.bold });
            spaced = false;
        }
        let Some(frag) = frags.last_mut() else { continue };
        if blank {
            spaced = !frag.text.is_empty();
            continue;
        }
        let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        if !frag.text.is_empty() {
            let word_gap =
                latin(frag.text.chars().last()) && latin(g.text.chars().next()) && g.x - frag.x1 > 0.15 * g.size;
            if spaced || word_gap {
                frag.text.push(' ');
            }
        }
        spaced = false;
        frag.bold &= g.bold;
        frag.text.push_str(&g.text);
        frag.x1 = frag.x1.max(g.end);
        frag.size = frag.size.max(g.size);
    }
    frags.retain(|f| !f.text.trim().is_empty());
    for f in &mut frags {
        f.text = f.text.trim_end().to_string();
    }
    frags
}

/// Text set vertically (a cover's title, unit and month, one character under the other in
/// columns read right to left): each column is one line, read before the page's rows; the
/// other glyphs are returned for the rows. A column is three or more characters, each alone on
/// its row (no glyph within half a character beside it, as a justified paragraph's characters
/// would be; no other text on the row, as a table's cells would have), at one x and one size,
/// at most two and a half characters apart.
fn vertical_columns(page: usize, glyphs: &[Glyph]) -> (Vec<Line>, Vec<Glyph>) {
    let visible: Vec<usize> = (0..glyphs.len()).filter(|&i| !glyphs[i].text.trim().is_empty()).collect();
    // Rows: glyphs on one baseline, left to right.
    let mut by_row = visible.clone();
    by_row.sort_by(|&a, &b| glyphs[b].y.total_cmp(&glyphs[a].y).then(glyphs[a].x.total_cmp(&glyphs[b].x)));
    let mut alone = vec![false; glyphs.len()];
    let mut mixed = vec![false; glyphs.len()];
    let mut start = 0;
    while start < by_row.len() {
        let g0 = &glyphs[by_row[start]];
        let mut end = start + 1;
        while end < by_row.len() && (glyphs[by_row[end]].y - g0.y).abs() <= 0.4 * g0.size {
            end += 1;
        }
        let mut row: Vec<usize> = by_row[start..end].to_vec();
        row.sort_by(|&a, &b| glyphs[a].x.total_cmp(&glyphs[b].x));
        for k in 0..row.len() {
            let g = &glyphs[row[k]];
            let apart_left = k == 0 || g.x - glyphs[row[k - 1]].end >= 0.5 * g.size;
            let apart_right = k + 1 == row.len() || glyphs[row[k + 1]].x - g.end >= 0.5 * g.size;
            alone[row[k]] = apart_left && apart_right && g.text.chars().count() == 1 && !g.text.is_ascii();
        }
        // A row that also holds running text or a cell's words: its lone glyph is a table's
        // one-character cell (`男`, `是`), not vertical text.
        if row.iter().any(|&i| !alone[i]) {
            row.iter().for_each(|&i| mixed[i] = true);
        }
        start = end;
    }
    // Columns: lone glyphs at one x and size, top to bottom.
    let mut stacks: std::collections::BTreeMap<(i64, i64), Vec<usize>> = std::collections::BTreeMap::new();
    for &i in visible.iter().filter(|&&i| alone[i]) {
        let g = &glyphs[i];
        stacks.entry(((g.x * 2.0).round() as i64, (g.size * 2.0).round() as i64)).or_default().push(i);
    }
    let mut taken = vec![false; glyphs.len()];
    let mut columns: Vec<Line> = Vec::new();
    for stack in stacks.values_mut() {
        stack.sort_by(|&a, &b| glyphs[b].y.total_cmp(&glyphs[a].y));
        let mut run: Vec<usize> = Vec::new();
        let mut flush = |run: &mut Vec<usize>, taken: &mut Vec<bool>| {
            if run.len() >= 3 && run.iter().filter(|&&i| mixed[i]).count() * 3 <= run.len() {
                let top = &glyphs[run[0]];
                let text: String = run.iter().map(|&i| glyphs[i].text.as_str()).collect();
                let x1 = run.iter().map(|&i| glyphs[i].end).fold(f64::MIN, f64::max);
                let frag =
                    Frag { x0: top.x, x1, y: top.y, size: top.size, text, bold: run.iter().all(|&i| glyphs[i].bold) };
                columns.push(line_of(page, vec![frag], None));
                run.iter().for_each(|&i| taken[i] = true);
            }
            run.clear();
        };
        for &i in stack.iter() {
            let g = &glyphs[i];
            let follows = run.last().is_some_and(|&p| {
                let step = glyphs[p].y - g.y;
                step >= 0.8 * g.size && step <= 2.5 * g.size
            });
            if !follows {
                flush(&mut run, &mut taken);
            }
            run.push(i);
        }
        flush(&mut run, &mut taken);
    }
    if columns.is_empty() {
        return (columns, glyphs.to_vec());
    }
    let largest = columns.iter().map(|l| l.size).fold(0.0, f64::max);
    for c in &mut columns {
        c.beside_title = c.size < 0.9 * largest;
    }
    // Right to left, as vertical text is read.
    columns.sort_by(|a, b| b.x0.total_cmp(&a.x0).then(b.y.total_cmp(&a.y)));
    let rest = glyphs.iter().zip(&taken).filter(|(_, t)| !**t).map(|(g, _)| g.clone()).collect();
    (columns, rest)
}

/// A bar chart's labels are text set at a bar's end or under or over a bar (`助餐` … `64.8%`):
/// they label the picture, they are no sentence and no table of the text, and are dropped (the
/// chart's caption, `图2　…`, is a line of its own and stays). A filled rectangle that holds
/// text is a shaded box or cell, not a bar; one as tall as a line (or as narrow as a column
/// of a chart) and longer than it is wide across the text counts, so a shaded sidebar's
/// neighbours and a square bullet's line stay.
fn without_chart_labels(frags: Vec<Frag>, bars: &[Bar]) -> Vec<Frag> {
    if bars.is_empty() {
        return frags;
    }
    let centre = |f: &Frag| ((f.x0 + f.x1) / 2.0, f.y + 0.3 * f.size);
    let holds_text = |b: &Bar| {
        frags.iter().any(|f| {
            let (x, y) = centre(f);
            x > b.x0 && x < b.x1 && y > b.y0 && y < b.y1
        })
    };
    let bars: Vec<&Bar> = bars.iter().filter(|b| !holds_text(b)).collect();
    if bars.is_empty() {
        return frags;
    }
    let is_label = |f: &Frag| {
        let s = f.size;
        let t = f.text.trim();
        if t.chars().count() > 16 || t.contains(['。', '，', '；', '：', ',', ';']) {
            return false;
        }
        let (cx, cy) = centre(f);
        bars.iter().any(|b| {
            let (w, h) = (b.x1 - b.x0, b.y1 - b.y0);
            // A horizontal bar, the label at its left or right end.
            let beside = h <= 2.5 * s
                && w >= 1.5 * s
                && cy >= b.y0 - 0.3 * s
                && cy <= b.y1 + 0.3 * s
                && ((b.x0 - f.x1 >= -0.2 * s && b.x0 - f.x1 <= 1.5 * s)
                    || (f.x0 - b.x1 >= -0.2 * s && f.x0 - b.x1 <= 1.5 * s));
            // A vertical bar, the label over its top or under its foot.
            let (bottom, top) = (f.y - 0.25 * f.size, f.y + 0.85 * f.size);
            let stacked = w <= 4.0 * s
                && h >= 1.5 * s
                && cx >= b.x0 - 0.5 * s
                && cx <= b.x1 + 0.5 * s
                && ((bottom - b.y1 >= -0.2 * s && bottom - b.y1 <= 1.2 * s)
                    || (b.y0 - top >= -0.2 * s && b.y0 - top <= 1.2 * s));
            beside || stacked
        })
    };
    frags.into_iter().filter(|f| !is_label(f)).collect()
}

/// A page's fragments as rows, top to bottom: fragments on one baseline make one row, left to
/// right; its text joins them, with a space where a wide gap separates them.
fn page_rows(page: usize, mut frags: Vec<Frag>) -> Vec<Line> {
    frags.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x0.total_cmp(&b.x0)));
    let mut rows: Vec<Vec<Frag>> = Vec::new();
    for f in frags {
        match rows.last_mut() {
            Some(row) if (row[0].y - f.y).abs() <= 0.4 * row[0].size.max(f.size) => row.push(f),
            _ => rows.push(vec![f]),
        }
    }
    rows.into_iter()
        .map(|mut frags| {
            frags.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            line_of(page, frags, None)
        })
        .collect()
}

/// One line made of fragments of one row (all of it, or those of one column).
fn line_of(page: usize, frags: Vec<Frag>, column: Option<(f64, f64)>) -> Line {
    let mut text = String::new();
    let mut x1 = f64::MIN;
    for f in &frags {
        let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        let gap = f.x0 - x1;
        if !text.is_empty()
            && (gap > 1.5 * f.size
                || (latin(text.chars().last()) && latin(f.text.chars().next()) && gap > 0.15 * f.size))
        {
            text.push(' ');
        }
        text.push_str(&f.text);
        x1 = x1.max(f.x1);
    }
    Line {
        page,
        x0: frags.first().map_or(0.0, |f| f.x0),
        x1: frags.iter().map(|f| f.x1).fold(f64::MIN, f64::max),
        y: frags.first().map_or(0.0, |f| f.y),
        size: frags.iter().map(|f| f.size).fold(0.0, f64::max),
        text,
        bold: !frags.is_empty() && frags.iter().all(|f| f.bold),
        frags,
        column,
        beside_title: false,
    }
}

/// A page's rows in reading order. A segment of consecutive rows whose side-by-side fragments
/// leave common gutters (vertical strips free of glyphs, or holding a vertical rule) is read
/// column by column when its columns hold running text, or becomes a table when they hold
/// short cells; a row that crosses the gutters (a title across the columns, single-column
/// text) ends the segment and is read as it is.
fn order_page(rows: Vec<Line>, rules: &[Rule]) -> Vec<Item> {
    // Beyond this many rows a page is no article page; its rows are read as they come.
    const MAX_ROWS: usize = 4000;
    if rows.len() < 2 || rows.len() > MAX_ROWS {
        return rows.into_iter().map(Item::Line).collect();
    }
    let mut sizes: Vec<f64> = rows.iter().flat_map(|r| r.frags.iter().map(|f| f.size)).collect();
    sizes.sort_by(f64::total_cmp);
    let size = sizes.get(sizes.len() / 2).copied().unwrap_or(12.0);
    let gaps: Vec<Vec<(f64, f64)>> = (0..rows.len()).map(|j| row_gaps(&rows, j, rules, size)).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let (start, end, gutters) = segment(&rows, &gaps, i);
        out.extend(rows[i..start].iter().cloned().map(Item::Line));
        let seg = &rows[start..end];
        let gutters: Vec<(f64, f64)> = gutters.into_iter().filter(|&(a, b)| both_sides(seg, a, b)).collect();
        if gutters.is_empty() {
            out.extend(seg.iter().cloned().map(Item::Line));
        } else {
            read_columns(seg, &gutters, &mut out);
        }
        i = end;
    }
    out
}

/// The gaps between side-by-side fragments at row `j`'s height: its own, and those of rows
/// less than a line away (columns whose baselines do not line up). A gap counts when it is
/// wider than [`FRAG_GAP`] or holds a vertical rule.
fn row_gaps(rows: &[Line], j: usize, rules: &[Rule], size: f64) -> Vec<(f64, f64)> {
    let near = |k: usize| (rows[k].y - rows[j].y).abs() < 0.9 * rows[k].size.max(rows[j].size);
    let from = (0..j).rev().take_while(|&k| near(k)).last().unwrap_or(j);
    let to = (j + 1..rows.len()).take_while(|&k| near(k)).last().unwrap_or(j);
    let mut frags: Vec<&Frag> = rows[from..=to].iter().flat_map(|r| r.frags.iter()).collect();
    frags.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let mut gaps = Vec::new();
    let mut reach = f64::MIN;
    for pair in frags.windows(2) {
        reach = reach.max(pair[0].x1);
        let (a, b) = (reach, pair[1].x0);
        let y = pair[1].y;
        let ruled =
            rules.iter().any(|r| r.x > a - 0.3 * size && r.x < b + 0.3 * size && r.y0 <= y + 0.5 * size && r.y1 >= y);
        if b - a >= 0.99 * FRAG_GAP * size || ruled {
            gaps.push((a.min(b), a.max(b)));
        }
    }
    gaps
}

/// The segment of rows from `i` on that shares gutters: (first row, end, gutters). Rows
/// before the first are read as they are (a paragraph's last line above a table).
fn segment(rows: &[Line], gaps: &[Vec<(f64, f64)>], i: usize) -> (usize, usize, Vec<(f64, f64)>) {
    let crosses = |g: &[(f64, f64)], r: &Line| r.frags.iter().any(|f| g.iter().any(|&(a, b)| f.x0 < b && f.x1 > a));
    let mut gutters: Option<Vec<(f64, f64)>> = None;
    let mut loose = false;
    let mut start = i;
    let mut j = i;
    while j < rows.len() {
        // A wide empty band (a footer strip far under the columns) ends the segment.
        if j > start && gutters.is_some() && rows[j - 1].y - rows[j].y > 4.0 * rows[j].size.max(rows[j - 1].size) {
            break;
        }
        if gaps[j].is_empty() {
            if gutters.as_deref().is_some_and(|g| crosses(g, &rows[j])) {
                break;
            }
        } else {
            // A gutter narrows to the row's gaps that overlap it; one the row has no gap in
            // stays when the row's text does not reach into it more than half way (a short
            // line, a subhead of one column beside an empty stretch of the next), narrowed by
            // what does reach in.
            let (mut kept, mut dropped) = (0, 0);
            let next: Vec<(f64, f64)> = match &gutters {
                None => gaps[j].clone(),
                Some(g) => g
                    .iter()
                    .flat_map(|&(a, b)| {
                        let narrowed: Vec<(f64, f64)> =
                            gaps[j].iter().map(|&(c, d)| (a.max(c), b.min(d))).filter(|(a, b)| a < b).collect();
                        if !narrowed.is_empty() {
                            return narrowed;
                        }
                        let (mut a2, mut b2) = (a, b);
                        for f in rows[j].frags.iter().filter(|f| f.x0 < b && f.x1 > a) {
                            if f.x1.min(b) - f.x0.max(a) > 0.5 * (b - a) {
                                a2 = b2;
                                break;
                            }
                            if f.x0 + f.x1 < a + b { a2 = a2.max(f.x1) } else { b2 = b2.min(f.x0) }
                        }
                        if a2 < b2 {
                            kept += 1;
                            vec![(a2, b2)]
                        } else {
                            dropped += 1;
                            Vec::new()
                        }
                    })
                    .collect(),
            };
            // Once a gutter has been kept that way, the gutters are strips no text crosses: a
            // row with text across one (a footer strip under the columns) ends the segment.
            loose |= kept > 0;
            if next.is_empty() || (loose && dropped > 0) {
                break;
            }
            if gutters.is_none()
                && let Some(k) = (start..j).rev().find(|&k| crosses(&next, &rows[k]))
            {
                start = k + 1;
            }
            // A line standing apart above the columns (a byline under the title) is not their
            // first line.
            while gutters.is_none()
                && start < j
                && rows[start].y - rows[start + 1].y > 2.0 * rows[start].size.max(rows[start + 1].size)
            {
                start += 1;
            }
            gutters = Some(next);
        }
        j += 1;
    }
    (start, j.max(i + 1), gutters.unwrap_or_default())
}

/// Whether at least two rows have text left of the strip and two right of it, side by side
/// (their vertical extents overlap): two columns, not a short line and a signature below it.
fn both_sides(rows: &[Line], x0: f64, x1: f64) -> bool {
    let ys = |side: &dyn Fn(&Frag) -> bool| {
        let ys: Vec<f64> = rows.iter().filter(|r| r.frags.iter().any(side)).map(|r| r.y).collect();
        (ys.len() >= 2)
            .then(|| (ys.iter().copied().fold(f64::MAX, f64::min), ys.iter().copied().fold(f64::MIN, f64::max)))
    };
    match (ys(&|f: &Frag| f.x1 <= x0 + 0.5), ys(&|f: &Frag| f.x0 >= x1 - 0.5)) {
        (Some((l0, l1)), Some((r0, r1))) => l0.max(r0) < l1.min(r1),
        _ => false,
    }
}

/// Reads rows split by gutters: running text column by column, short cells as a table.
fn read_columns(rows: &[Line], gutters: &[(f64, f64)], out: &mut Vec<Item>) {
    let size = rows.iter().map(|r| r.size).sum::<f64>() / rows.len().max(1) as f64;
    let column_of = |f: &Frag| gutters.iter().filter(|&&(a, _)| (f.x0 + f.x1) / 2.0 > a).count();
    let n = gutters.len() + 1;
    // cells[row][column]: the fragments of that row in that column.
    let cells: Vec<Vec<Vec<Frag>>> = rows
        .iter()
        .map(|r| {
            let mut row = vec![Vec::new(); n];
            for f in &r.frags {
                row[column_of(f)].push(f.clone());
            }
            row
        })
        .collect();
    let column_frags = |c: usize| cells.iter().flat_map(move |row| row[c].iter());
    let running_text = (0..n).all(|c| {
        let mut counts: Vec<usize> = column_frags(c).map(|f| f.text.chars().count()).collect();
        counts.sort_unstable();
        let x0 = column_frags(c).map(|f| f.x0).fold(f64::MAX, f64::min);
        let x1 = column_frags(c).map(|f| f.x1).fold(f64::MIN, f64::max);
        counts.len() >= 2 && counts[counts.len() / 2] >= 8 && x1 - x0 >= 8.0 * size
    });
    if running_text {
        for c in 0..n {
            let x0 = column_frags(c).map(|f| f.x0).fold(f64::MAX, f64::min);
            let x1 = column_frags(c).map(|f| f.x1).fold(f64::MIN, f64::max);
            for (row, line) in cells.iter().zip(rows) {
                if !row[c].is_empty() {
                    out.push(Item::Line(line_of(line.page, row[c].clone(), Some((x0, x1)))));
                }
            }
        }
        return;
    }
    let text = |frags: &[Frag]| line_of(0, frags.to_vec(), None).text;
    let right_end = |frags: &[Frag]| frags.iter().map(|f| f.x1).fold(f64::MIN, f64::max);
    // Where each column's text ends at the furthest: a cell's line reaching it was wrapped.
    let column_end: Vec<f64> =
        (0..n).map(|c| cells.iter().map(|row| right_end(&row[c])).fold(f64::MIN, f64::max)).collect();
    let mut table: Vec<Vec<String>> = Vec::new();
    let mut last_y = f64::MAX;
    let mut last_row: Option<&Vec<Vec<Frag>>> = None;
    for (row, line) in cells.iter().zip(rows) {
        let texts: Vec<String> = row.iter().map(|f| text(f)).collect();
        // A row without a first cell, close under the one before, is that row's wrapped text;
        // so is one a row's spacing below, when each of its cells goes on a cell above that
        // filled its column's width without ending a sentence (a form's long answer).
        let wrapped = last_row.is_some_and(|above| {
            (0..n).all(|c| {
                row[c].is_empty()
                    || (!above[c].is_empty()
                        && right_end(&above[c]) >= column_end[c] - 1.5 * line.size
                        && !text(&above[c]).ends_with(['。', '！', '？', '；', '：', ':', ';']))
            })
        });
        let gap = last_y - line.y;
        let continues =
            texts[0].is_empty() && !table.is_empty() && (gap < 1.6 * line.size || (wrapped && gap < 2.6 * line.size));
        last_row = Some(row);
        match table.last_mut() {
            Some(prev) if continues => {
                for (cell, more) in prev.iter_mut().zip(texts) {
                    *cell = join(cell, &more);
                }
            }
            _ => table.push(texts),
        }
        last_y = line.y;
    }
    let filled = table.iter().filter(|r| r.iter().filter(|c| !c.is_empty()).count() >= 2).count();
    if table.len() >= 2 && filled * 2 >= table.len() {
        out.push(Item::Table(table));
    } else {
        out.extend(rows.iter().cloned().map(Item::Line));
    }
}

/// The running header and footer: lines in the top or bottom eighth of the page that are page
/// numbers, confidentiality marks, or repeat (digits aside) on most pages.
///
/// A page printed from a browser carries the page's address in its header or footer (with
/// `n/N` beside it): that line goes too, and the address is returned as the source URL.
fn drop_running_lines(pages: &[Page], per_page: &mut [Vec<Line>]) -> (Option<String>, Option<String>) {
    let key = |t: &str| -> String {
        t.chars().filter(|c| !c.is_whitespace()).map(|c| if c.is_ascii_digit() { '#' } else { c }).collect()
    };
    let zone = |page: &Page, l: &Line| {
        let h = (page.top - page.bottom).max(1.0);
        l.y > page.top - 0.125 * h || l.y < page.bottom + 0.125 * h
    };
    // The candidates of each page: its two highest and two lowest lines inside the zones.
    let candidates: Vec<Vec<usize>> = per_page
        .iter()
        .zip(pages)
        .map(|(lines, page)| {
            let mut by_y: Vec<usize> = (0..lines.len()).filter(|&i| zone(page, &lines[i])).collect();
            by_y.sort_by(|&a, &b| lines[b].y.total_cmp(&lines[a].y));
            let mut c: Vec<usize> = by_y.iter().take(2).chain(by_y.iter().rev().take(2)).copied().collect();
            c.sort_unstable();
            c.dedup();
            c
        })
        .collect();
    let mut counts: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for (lines, cands) in per_page.iter().zip(&candidates) {
        let mut keys: Vec<String> = cands.iter().map(|&i| key(&lines[i].text)).collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            *counts.entry(k).or_default() += 1;
        }
    }
    let pages_with_text = per_page.iter().filter(|p| !p.is_empty()).count();
    let repeated =
        |k: &str| pages_with_text >= 2 && counts.get(k).is_some_and(|&n| n >= 2 && n * 5 >= pages_with_text * 2);
    // The body size: the size most characters are set in.
    let mut sizes: std::collections::BTreeMap<i64, usize> = std::collections::BTreeMap::new();
    for l in per_page.iter().flatten() {
        *sizes.entry((l.size * 2.0).round() as i64).or_default() += l.text.chars().count();
    }
    let body = sizes.iter().max_by_key(|(s, n)| (**n, -**s)).map_or(12.0, |(s, _)| *s as f64 / 2.0);
    let (mut url, mut unit) = (None, None);
    for (page_index, (lines, cands)) in per_page.iter_mut().zip(&candidates).enumerate() {
        // A header that only the pages after the first carry (the first has the masthead):
        // the top line of the page, in smaller type than the text, set apart from it.
        let top = (0..lines.len()).max_by(|&a, &b| lines[a].y.total_cmp(&lines[b].y));
        let header_only = top.filter(|&t| {
            let below = lines.iter().filter(|l| l.y < lines[t].y).map(|l| l.y).fold(f64::MIN, f64::max);
            page_index > 0
                && cands.contains(&t)
                && lines[t].size < 0.9 * body
                && lines[t].y - below > 2.0 * body
                && lines[t].text.chars().count() <= 40
        });
        let drop: Vec<usize> = cands
            .iter()
            .copied()
            .filter(|&i| {
                // Two pages printed on one sheet have two page numbers in one row.
                let numbers = lines[i].frags.len() > 1 && lines[i].frags.iter().all(|f| is_page_number(&f.text));
                is_page_number(&lines[i].text)
                    || numbers
                    || repeated(&key(&lines[i].text))
                    || Some(i) == header_only
                    || printed_address(&lines[i].text).is_some()
            })
            .collect();
        if url.is_none() {
            url = cands.iter().find_map(|&i| printed_address(&lines[i].text));
        }
        if unit.is_none() {
            unit = drop.iter().find_map(|&i| compiled_by(&lines[i].text));
        }
        let mut i = 0;
        lines.retain(|l| {
            let keep = !drop.contains(&i) && !is_confidentiality_mark(&l.text) && !is_scanner_mark(&l.text);
            i += 1;
            keep
        });
    }
    (url, unit)
}

/// A running line naming who compiled the book (`某某市民政局　某某协会　编`): the first unit.
fn compiled_by(text: &str) -> Option<String> {
    let c = super::meta::regex!(r"^(.{4,80}?)\s*(?:编印|编制|编著|编辑|主编|编|主办)$").captures(text.trim())?;
    c[1].split_whitespace().next().and_then(cover_unit)
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("a valid fixed pattern"))
}

fn is_page_number(t: &str) -> bool {
    static PAGE: OnceLock<Regex> = OnceLock::new();
    re(
        &PAGE,
        r"^(?:[-—–－~～_·•\s]*[0-9０-９]{1,4}[-—–－~～_·•\s]*|第\s*\d+\s*页\s*(?:[,，/／、]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页\s*第\s*\d+\s*页|\d+\s*/\s*\d+|(?i:page)\s*\d+(?:\s*(?i:of)\s*\d+)?)$",
    )
    .is_match(t.trim())
}

/// The address a browser prints in a page's margin, alone or beside the page count
/// (`https://… 1/3`, `1/3 https://…`).
fn printed_address(t: &str) -> Option<String> {
    let c = super::meta::regex!(r"^(?:\d{1,4}\s*/\s*\d{1,4}\s+)?(https?://[!-~]+?)(?:\s+\d{1,4}\s*/\s*\d{1,4})?$")
        .captures(t.trim())?;
    Some(c[1].to_string())
}

/// The mark a phone scanner app prints on each page it makes (`由 某某 扫描创建`, `Scanned
/// with …`): the app's, not the text's.
fn is_scanner_mark(t: &str) -> bool {
    super::meta::regex!(r"^(?:由\s*\S.{0,20}?\s*扫描(?:创建|生成|制作)|(?i:scanned\s+(?:with|by)\s+\S.{0,30}))$")
        .is_match(t.trim())
}

fn is_confidentiality_mark(t: &str) -> bool {
    static MARK: OnceLock<Regex> = OnceLock::new();
    re(&MARK, r"^(?:内部资料|内部文件|内部刊物|内部参阅|内部材料)[\s　，,、]*(?:注意保存|妥善保管|请勿外传|不得外传|注意保密)?$").is_match(t.trim())
}

/// Characters of the CJK Radicals Supplement that fonts put where the ordinary character was
/// meant (PDF exports of some Chinese fonts map glyphs to the radical's code point). Only
/// radicals that look like a whole character or a usual component are listed.
const RADICALS: &[(char, char)] = &[
    ('⺁', '厂'),
    ('⺅', '亻'),
    ('⺆', '冂'),
    ('⺇', '几'),
    ('⺉', '刂'),
    ('⺊', '卜'),
    ('⺌', '小'),
    ('⺎', '兀'),
    ('⺐', '尢'),
    ('⺒', '巳'),
    ('⺓', '幺'),
    ('⺖', '忄'),
    ('⺘', '扌'),
    ('⺙', '攵'),
    ('⺜', '日'),
    ('⺝', '月'),
    ('⺟', '母'),
    ('⺠', '民'),
    ('⺡', '氵'),
    ('⺣', '灬'),
    ('⺨', '犭'),
    ('⺩', '王'),
    ('⺪', '疋'),
    ('⺫', '罒'),
    ('⺬', '示'),
    ('⺭', '礻'),
    ('⺯', '糸'),
    ('⺰', '纟'),
    ('⺲', '罒'),
    ('⺹', '耂'),
    ('⺻', '聿'),
    ('⺼', '月'),
    ('⺽', '臼'),
    ('⺾', '艹'),
    ('⺿', '艹'),
    ('⻀', '艹'),
    ('⻁', '虎'),
    ('⻂', '衤'),
    ('⻃', '覀'),
    ('⻄', '西'),
    ('⻅', '见'),
    ('⻆', '角'),
    ('⻈', '讠'),
    ('⻉', '贝'),
    ('⻋', '车'),
    ('⻌', '辶'),
    ('⻍', '辶'),
    ('⻎', '辶'),
    ('⻏', '阝'),
    ('⻐', '钅'),
    ('⻑', '長'),
    ('⻓', '长'),
    ('⻔', '门'),
    ('⻖', '阝'),
    ('⻗', '雨'),
    ('⻘', '青'),
    ('⻙', '韦'),
    ('⻚', '页'),
    ('⻛', '风'),
    ('⻜', '飞'),
    ('⻝', '食'),
    ('⻟', '食'),
    ('⻠', '饣'),
    ('⻢', '马'),
    ('⻣', '骨'),
    ('⻤', '鬼'),
    ('⻥', '鱼'),
    ('⻦', '鸟'),
    ('⻧', '卤'),
    ('⻨', '麦'),
    ('⻩', '黄'),
    ('⻪', '黾'),
    ('⻬', '齐'),
    ('⻮', '齿'),
    ('⻰', '龙'),
    ('⻳', '龟'),
];

/// Kangxi radicals and CJK compatibility ideographs through NFKC (`⼀` → `一`), the radicals
/// supplement through `RADICALS`; everything else as it is (NFKC on the whole text would turn
/// Chinese full-width punctuation into ASCII).
fn map_lookalikes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c as u32 {
            0x2F00..=0x2FDF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F => out.extend(c.nfkc()),
            0x2E80..=0x2EFF => match RADICALS.binary_search_by(|(r, _)| r.cmp(&c)) {
                Ok(i) => out.push(RADICALS[i].1),
                Err(_) => out.push(c),
            },
            _ => out.push(c),
        }
    }
    out
}

/// Chinese outline numbering at the start of a line, which always starts a paragraph.
fn starts_outline(t: &str) -> bool {
    static OUTLINE: OnceLock<Regex> = OnceLock::new();
    re(
        &OUTLINE,
        r"^(?:\d{1,2}(?:[.．]\d{1,2})+\s+\S|[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.．、](?:\D|$)|[（(]\d{1,2}[）)]|第[一二三四五六七八九十]{1,3}[章节条部分]|[①-⑳])",
    )
    .is_match(t)
}

fn ends_paragraph(t: &str) -> bool {
    let t = t.trim_end_matches(['”', '’', '」', '』', '）', ')']);
    t.ends_with(['。', '！', '？', '：', '!', '?', '…'])
}

fn paragraphs(items: &[Item]) -> Vec<Block> {
    let lines: Vec<&Line> = items
        .iter()
        .filter_map(|i| match i {
            Item::Line(l) => Some(l),
            Item::Table(_) => None,
        })
        .collect();
    // The body: the size most characters are set in, its left edge and right margin (of the
    // lines read across the page; a column's lines have their column's edges).
    let mut sizes: std::collections::BTreeMap<i64, usize> = std::collections::BTreeMap::new();
    for l in &lines {
        *sizes.entry((l.size * 2.0).round() as i64).or_default() += l.text.chars().count();
    }
    let body = sizes.iter().max_by_key(|(s, n)| (**n, -**s)).map_or(12.0, |(s, _)| *s as f64 / 2.0);
    let is_body = |l: &Line| (l.size - body).abs() <= 0.15 * body;
    let across: Vec<&&Line> = lines.iter().filter(|l| is_body(l) && l.column.is_none()).collect();
    let measured: Vec<&&Line> = if across.is_empty() { lines.iter().filter(|l| is_body(l)).collect() } else { across };
    let mut x0s: Vec<f64> = measured.iter().map(|l| l.x0).collect();
    let mut x1s: Vec<f64> = measured.iter().map(|l| l.x1).collect();
    x0s.sort_by(f64::total_cmp);
    x1s.sort_by(f64::total_cmp);
    let page_left = x0s.get(x0s.len() / 10).copied().unwrap_or(0.0);
    let page_right = common_edge(&x1s, 1.5 * body).unwrap_or(f64::MAX);
    let left = |l: &Line| l.column.map_or(page_left, |c| c.0);
    let right = |l: &Line| l.column.map_or(page_right, |c| c.1);
    let indented = |l: &Line| l.x0 > left(l) + 1.2 * l.size;
    // Whether paragraphs here start with a first-line indent, so that a full line ending a
    // sentence may still continue on an unindented next line.
    let uses_indent =
        lines.iter().filter(|l| is_body(l) && indented(l) && l.x1 >= right(l) - 1.5 * l.size).count() >= 2;

    // Whether bold type marks something here (subheads), not the whole text: bold lines then
    // stand apart from the lines around them.
    let (bold_chars, body_chars) = lines.iter().filter(|l| is_body(l)).fold((0, 0), |(b, n), l| {
        let count = l.text.chars().count();
        (b + if l.bold { count } else { 0 }, n + count)
    });
    let bold_marks = bold_chars > 0 && bold_chars * 4 < body_chars;
    let page_width =
        lines.iter().map(|l| l.x1).fold(f64::MIN, f64::max) - lines.iter().map(|l| l.x0).fold(f64::MAX, f64::min);

    enum Group<'a> {
        Lines(Vec<&'a Line>),
        Table(&'a [Vec<String>]),
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut prev: Option<&Line> = None;
    for item in items {
        let l = match item {
            Item::Table(rows) => {
                groups.push(Group::Table(rows));
                prev = None;
                continue;
            }
            Item::Line(l) => l,
        };
        let starts = match prev {
            None => true,
            Some(p) => {
                let full = p.x1 >= right(p) - 1.5 * p.size;
                let size_change = (l.size - p.size).abs() > 0.15 * p.size.min(l.size);
                let gap = p.page == l.page && (p.y - l.y) > 2.6 * l.size;
                // A Latin word hyphenated at the line's end goes on, however long the line.
                let hyphenated = join(&p.text, &l.text).len() < p.text.len() + l.text.len();
                // A title in large type wrapped over two or three lines is one title.
                let title_wraps = p.size > 1.2 * body
                    && !size_change
                    && p.page == l.page
                    && (p.y - l.y) <= 2.0 * l.size
                    && !ends_paragraph(&p.text)
                    && !starts_outline(&l.text)
                    && !crate::import::meta::is_masthead(&p.text);
                // A title set on two centred lines in the same type, the first not ending a
                // sentence, right under each other before the first paragraph.
                let centred = |l: &Line| {
                    let (a, b) = (l.x0 - left(l), right(l) - l.x1);
                    a > 2.0 * l.size && (a - b).abs() <= 2.0 * l.size && l.text.chars().count() <= 30
                };
                let before_body =
                    groups.iter().all(|g| matches!(g, Group::Lines(g) if g.len() == 1 && !ends_paragraph(&g[0].text)))
                        && matches!(groups.last(), Some(Group::Lines(g)) if g.len() == 1);
                let centred_pair = before_body
                    && !size_change
                    && p.page == l.page
                    && (p.y - l.y) <= 2.0 * l.size
                    && centred(p)
                    && centred(l)
                    && !ends_paragraph(&p.text)
                    && !ends_paragraph(&l.text)
                    && !starts_outline(&l.text)
                    && !crate::import::meta::is_masthead(&p.text)
                    && !is_doc_number(&p.text)
                    && !is_doc_number(&l.text)
                    && !p.text.ends_with("文件")
                    && !l.text.starts_with(['—', '－', '-', '（', '(', '〔', '['])
                    && !super::meta::regex!(r"\d\s*[年月日号]|〔|\[|同志|讲话$|发言$|致辞$").is_match(&l.text)
                    && !super::meta::regex!(r"〔|讲话$|发言$|致辞$").is_match(&p.text);
                // Bold subheads one under the other (`1.` then `1.1`) are each a line of
                // their own.
                let width = |l: &Line| l.column.map_or(page_width, |c| c.1 - c.0);
                let bold_change = bold_marks
                    && (p.bold != l.bold || (p.bold && l.bold && is_subhead(&p.text) && p.x1 - p.x0 < 0.6 * width(p)));
                bold_change
                    || (!hyphenated
                        && !title_wraps
                        && !centred_pair
                        && (size_change
                            || gap
                            || !full
                            || indented(l)
                            || starts_outline(&l.text)
                            || (ends_paragraph(&p.text) && !(uses_indent && !indented(l) && is_body(l)))))
            }
        };
        match groups.last_mut() {
            Some(Group::Lines(g)) if !starts => g.push(l),
            _ => groups.push(Group::Lines(vec![l])),
        }
        prev = Some(l);
    }

    let mut blocks = Vec::new();
    let mut seen_title = false;
    for g in groups {
        let g = match g {
            Group::Table(rows) => {
                let escaped =
                    rows.iter().map(|r| r.iter().map(|c| super::clean::escape_markdown(c)).collect()).collect();
                blocks.push(Block::Table(escaped));
                continue;
            }
            Group::Lines(g) => g,
        };
        let big = g[0].size > 1.2 * body && !g[0].beside_title;
        let text = g.iter().fold(String::new(), |acc, l| {
            // A headline set on two lines by choice (the first ends well before the margin) is
            // two phrases, written with a space between them; one wrapped at the margin, a
            // 公文 title (`关于…`) or a line ending in a linking word runs on.
            let chosen_break = big
                && !acc.is_empty()
                && !acc.starts_with("关于")
                && !acc.ends_with(['的', '和', '与', '及', '暨', '在', '对', '于', '、', '，', '：'])
                && g.iter().any(|p| p.text == acc && p.x1 - p.x0 < 0.75 * (page_right - page_left));
            if chosen_break { format!("{acc} {}", l.text) } else { join(&acc, &l.text) }
        });
        let escaped = super::clean::escape_markdown(&text);
        let masthead = crate::import::meta::is_masthead(&text) || is_doc_number(&text);
        // A chapter printed on its own (`第三章　…` in large type before any text): its
        // heading is the title of what was printed.
        let chapter = !seen_title
            && blocks.is_empty()
            && super::meta::regex!(r"^第[一二三四五六七八九十百]{1,4}[章编篇部分]").is_match(&text)
            && !ends_paragraph(&text);
        if big && (!starts_outline(&text) || chapter) && !masthead {
            // The gap after a chapter's number is an ideographic space (`第三章　…`), as
            // such a heading is typed; so is one spreading a short heading (`概　述`).
            let spread = text.chars().filter(|c| !c.is_whitespace()).count() <= 4;
            let escaped = if g.len() == 1 && (chapter || spread) { ideographic_spaces(&escaped) } else { escaped };
            blocks.push(Block::Heading { level: if seen_title { 2 } else { 1 }, text: escaped });
            seen_title = true;
        } else if is_label_line(&text) {
            // A caption or a box's label: a line of its own, never a heading (written the way
            // a reader marks a caption).
            blocks.push(Block::Paragraph(format!("*{escaped}*")));
        } else if seen_title && bold_marks && !big && g.iter().all(|l| l.bold) && is_subhead(&text) {
            blocks.push(Block::Heading { level: outline_depth(&text) + 1, text: escaped });
        } else {
            blocks.push(Block::Paragraph(escaped));
        }
    }
    blocks
}

/// A figure's or a table's caption (`图2　…`, `表1　…`) or a sidebar box's label (`专栏3-1　…`):
/// short, numbered, no sentence.
fn is_label_line(text: &str) -> bool {
    let t = text.trim();
    t.chars().count() <= 40
        && !t.ends_with(['。', '；', '，', '：', ';', ',', ':'])
        && super::meta::regex!(r"^(?:图|表|专栏)\s*\d{1,3}(?:\s*[-－—.．]\s*\d{1,3})?(?:\s|　|[\p{Han}“（(])")
            .is_match(t)
}

/// `概 述` → `概　述`: a space between two Han characters is an ideographic space.
fn ideographic_spaces(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let han = |c: Option<&char>| c.is_some_and(|&c| crate::fold::is_han(c));
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == ' ' && i > 0 {
            let mut j = i;
            while j < chars.len() && chars[j] == ' ' {
                j += 1;
            }
            if han(chars.get(i - 1)) && han(chars.get(j)) {
                out.push('\u{3000}');
                i = j;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Whether a bold line of body size is a subhead: short, not a sentence or a clause, not a
/// caption (`图1 …`, `表2 …`).
fn is_subhead(text: &str) -> bool {
    let t = text.trim();
    t.chars().count() <= 40
        && !t.ends_with(['。', '；', '，', '、', '：', ';', ',', ':'])
        && !super::meta::regex!(r"^(图|表)\s*\d").is_match(t)
}

/// How deep a numbered heading is: `1.1 …` is 2, `1.1.1 …` 3, anything else 1.
fn outline_depth(text: &str) -> u8 {
    let dotted = super::meta::regex!(r"^\d{1,2}((?:[.．]\d{1,2})*)");
    dotted.captures(text.trim()).map_or(1, |c| 1 + c[1].chars().filter(|&c| c == '.' || c == '．').count() as u8).min(4)
}

/// The right margin: the edge most lines end near (within `window`), the furthest of them. A
/// few lines further right (a date set wider than it is) do not move it.
fn common_edge(sorted: &[f64], window: f64) -> Option<f64> {
    let mut best: Option<(usize, f64)> = None;
    let mut lo = 0;
    for (hi, &x) in sorted.iter().enumerate() {
        while x - sorted[lo] > window {
            lo += 1;
        }
        if best.is_none_or(|(n, _)| hi + 1 - lo >= n) {
            best = Some((hi + 1 - lo, x));
        }
    }
    best.map(|(_, x)| x)
}

/// Joins a line to the text before it: Chinese runs touch, Latin words get a space, and a
/// Latin word hyphenated across the break is made whole again.
fn join(before: &str, line: &str) -> String {
    if before.is_empty() {
        return line.to_string();
    }
    let mut out = before.to_string();
    let mut tail = before.chars().rev();
    let (last, prev) = (tail.next(), tail.next());
    let next = line.chars().next();
    if last == Some('-')
        && prev.is_some_and(|c| c.is_ascii_alphabetic())
        && next.is_some_and(|c| c.is_ascii_lowercase())
    {
        out.pop();
    } else if last.is_some_and(|c| c.is_ascii_alphanumeric() || ",.;:!?".contains(c))
        && next.is_some_and(|c| c.is_ascii_alphanumeric())
        && !number_in_chinese(before, line)
    {
        out.push(' ');
    }
    out.push_str(line);
    out
}

/// Whether the break falls inside a number (or code such as `4A`) set in Chinese text:
/// `截至1` + `2月10日` is `截至12月10日`, with no space.
fn number_in_chinese(before: &str, line: &str) -> bool {
    let tail: String = before.chars().rev().take_while(char::is_ascii_alphanumeric).collect();
    // A decimal or a percentage goes on to its end (`4` + `6.8%，`).
    let head: String = line.chars().take_while(|&c| c.is_ascii_alphanumeric() || c == '.' || c == '%').collect();
    let cjk = |c: Option<char>| c.is_none_or(|c| !c.is_ascii());
    (tail.chars().any(|c| c.is_ascii_digit()) || head.chars().any(|c| c.is_ascii_digit()))
        && !tail.is_empty()
        && cjk(before.chars().rev().nth(tail.chars().count()))
        && cjk(line.chars().nth(head.chars().count()))
}

/// A 发文字号 (`临民发〔2024〕21号`): metadata printed under the banner, never a heading.
fn is_doc_number(text: &str) -> bool {
    static NUMBER: OnceLock<Regex> = OnceLock::new();
    re(&NUMBER, r"[〔［\[【(（]\s*(?:19|20)\d{2}\s*[〕］\]】)）]\s*\d{1,5}\s*号$").is_match(text.trim())
        && text.chars().count() <= 30
}

/// The banner of a 公文 (`山西省委社会工作部文件`): large type, but not the title.
fn is_red_head(text: &str) -> bool {
    text.ends_with("文件") && text.chars().count() <= 30 && !text.contains(['关', '的'])
}

// ----------------------------------------------------------------------------------------------
// Hints found in the text

fn text_hints(lines: &[Line]) -> Vec<MetaHint> {
    static NUMBER: OnceLock<Regex> = OnceLock::new();
    let number = re(&NUMBER, r"^[\p{Han}]{2,12}\s*[〔［\[【(（]\s*(?:19|20)\d{2}\s*[〕］\]】)）]\s*\d{1,5}\s*号$");
    let mut meta = Vec::new();
    if let Some(l) = lines.iter().find(|l| number.is_match(l.text.trim())) {
        meta.push(MetaHint {
            key: MetaKey::Source,
            value: l.text.split_whitespace().collect(),
            origin: "发文字号 (document number) in the PDF text",
        });
    }
    if let Some(l) = lines.iter().find(|l| is_red_head(&l.text) && l.size > 1.2 * l.size.min(body_size(lines))) {
        let org = l.text.trim_end_matches("文件").trim().to_string();
        if !org.is_empty() {
            meta.push(MetaHint {
                key: MetaKey::Organization,
                value: org,
                origin: "the 公文 banner (…文件) in the PDF text",
            });
        }
    }
    // A cover: the unit on a line of its own (`…中心`, `…委员会　编印`) right above a date on the
    // first page is the document's source.
    let first: Vec<&Line> = lines.iter().filter(|l| l.page == 0).collect();
    // The date may give only the month (`二〇二四年八月`).
    if let Some(unit) = first.windows(2).find_map(|w| {
        let next = w[1].text.trim();
        if parse_date(next).is_none() && !is_year_month(next) {
            return None;
        }
        cover_unit(&w[0].text)
    }) {
        meta.push(MetaHint { key: MetaKey::Organization, value: unit, origin: "the unit above the date on the cover" });
    }
    if let Some(h) = first.iter().find_map(|l| super::docx::cover_unit(&l.text)) {
        meta.push(h);
    }
    if let Some(unit) = signature_unit(lines) {
        meta.push(MetaHint { key: MetaKey::Organization, value: unit, origin: "the 落款 (unit and date set right)" });
    }
    // 成文日期: the last line that is a date and nothing else (after the signature), or a
    // labelled one anywhere.
    let labelled = lines.iter().find_map(|l| {
        l.text
            .trim()
            .strip_prefix("成文日期")
            .map(|d| d.trim_start_matches(['：', ':', ' ', '　']))
            .and_then(parse_date)
    });
    let standalone = lines.iter().rev().take(12).find_map(|l| parse_date(l.text.trim()));
    if let Some(date) = labelled.or(standalone) {
        meta.push(MetaHint { key: MetaKey::Date, value: date, origin: "成文日期 (the date line of the PDF text)" });
    }
    meta
}

/// The unit of the first 落款: a unit's name on a line right above a date, both set in the
/// right half of their page's text (an attachment may follow it).
fn signature_unit(lines: &[Line]) -> Option<String> {
    let pages = lines.iter().map(|l| l.page + 1).max().unwrap_or(0);
    let mut edges = vec![(f64::MAX, f64::MIN); pages];
    for l in lines {
        let e = &mut edges[l.page];
        *e = (e.0.min(l.x0), e.1.max(l.x1));
    }
    let right = |l: &Line| {
        let (x0, x1) = edges[l.page];
        x1 > x0 && l.x0 > x0 + 0.5 * (x1 - x0)
    };
    lines.windows(2).find_map(|w| {
        (w[0].page == w[1].page && right(&w[0]) && right(&w[1]) && parse_date(w[1].text.trim()).is_some())
            .then(|| cover_unit(&w[0].text))
            .flatten()
    })
}

/// An organisation's name alone on a line, with the word for what it did after it (`编印`,
/// `编`, `主办`, `制`) taken off.
fn cover_unit(text: &str) -> Option<String> {
    let t: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let t = super::meta::regex!(r"\s*(编印|编制|印制|主办|编|制|印)$").replace(&t, "").trim().to_string();
    ((4..=30).contains(&t.chars().count())
        && !t.contains(|c: char| c.is_whitespace() || "。，：:！？；、“”《》".contains(c))
        && super::meta::regex!(r"(政府|局|委员会|委|中心|院|校|协会|学会|基金会|联合会|会|部|厅|办公室|所|站|社|队)$")
            .is_match(&t))
    .then_some(t)
}

fn body_size(lines: &[Line]) -> f64 {
    let mut sizes: Vec<f64> = lines.iter().map(|l| l.size).collect();
    sizes.sort_by(f64::total_cmp);
    sizes.get(sizes.len() / 2).copied().unwrap_or(12.0)
}

/// A whole date: `2024年12月20日`, `二〇二四年十二月二十日`, `2024-12-20` → `2024-12-20`.
fn parse_date(text: &str) -> Option<String> {
    static DATE: OnceLock<Regex> = OnceLock::new();
    let date = re(
        &DATE,
        r"^([0-9〇零○Ｏ一二三四五六七八九]{4})\s*年\s*([0-9一二三四五六七八九十]{1,3})\s*月\s*([0-9一二三四五六七八九十]{1,3})\s*日$|^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$",
    );
    let c = date.captures(text)?;
    let (y, m, d) = match (c.get(1), c.get(4)) {
        (Some(y), _) => (year_number(y.as_str())?, small_number(&c[2])?, small_number(&c[3])?),
        (None, Some(y)) => (y.as_str().parse().ok()?, c[5].parse().ok()?, c[6].parse().ok()?),
        _ => return None,
    };
    ((1900..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// `2024年8月`, `二〇二四年八月`: a month with no day.
fn is_year_month(text: &str) -> bool {
    super::meta::regex!(
        r"^(?:\d{4}|[〇零○Ｏ一二三四五六七八九]{4})\s*年\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月$"
    )
    .is_match(text)
}

fn chinese_digit(c: char) -> Option<u32> {
    match c {
        '〇' | '零' | '○' | 'Ｏ' => Some(0),
        _ => "一二三四五六七八九".chars().position(|d| d == c).map(|i| i as u32 + 1).or_else(|| c.to_digit(10)),
    }
}

/// `二〇二四` or `2024`, digit by digit.
fn year_number(s: &str) -> Option<u32> {
    s.chars().try_fold(0, |acc, c| Some(acc * 10 + chinese_digit(c)?))
}

/// `十二` → 12, `二十` → 20, `三十一` → 31, `9` → 9.
fn small_number(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    match s.split_once('十') {
        None => chinese_digit(s.chars().next()?).filter(|_| s.chars().count() == 1),
        Some((tens, units)) => {
            let t = if tens.is_empty() { 1 } else { chinese_digit(tens.chars().next()?)? };
            let u = if units.is_empty() { 0 } else { chinese_digit(units.chars().next()?)? };
            (tens.chars().count() <= 1 && units.chars().count() <= 1).then_some(t * 10 + u)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::import::doc::testing::fixture;

    fn texts(doc: &Document) -> Vec<String> {
        doc.blocks
            .iter()
            .map(|b| match b {
                Block::Heading { level, text } => format!("h{level} {text}"),
                Block::Paragraph(t) => t.clone(),
                other => format!("{other:?}"),
            })
            .collect()
    }

    fn hint(doc: &Document, key: MetaKey, origin_starts: &str) -> Option<String> {
        doc.meta.iter().find(|m| m.key == key && m.origin.starts_with(origin_starts)).map(|m| m.value.clone())
    }

    #[test]
    fn notice_reads_as_paragraphs_without_running_lines() {
        let doc = read(&fixture("notice.pdf")).expect("notice.pdf reads");
        assert_eq!(
            texts(&doc),
            vec![
                "山西省委社会工作部文件",
                "晋社工发〔2024〕12号",
                "h1 关于加强新兴领域党建工作的通知",
                "各市委社会工作部：",
                "为深入贯彻落实党中央关于加强新经济组织、新社会组织、新就业群体党的建设的决策部署，推动新兴领域党建工作高质量发展，现就有关事项通知如下。",
                "一、提高政治站位",
                // Kangxi radical ⼀ and the radicals ⻓ ⻔ come out as the ordinary characters.
                "各地要把新兴领域党建工作摆在突出位置，一体推进组织覆盖和工作覆盖，建立健全长效机制，畅通服务群众的“最后一公里”，打开服务之门。",
                "（一）加强组织领导",
                // This paragraph runs over the page break: the footer `— 1 —` and the header
                // `内部资料　注意保存` between its halves are gone.
                "市委社会工作部要履行牵头抓总职责，定期研究新兴领域党建工作，及时解决重点难点问题，县（市、区）委社会工作部要抓好具体落实，形成一级抓一级、层层抓落实的工作格局，确保各项任务落地见效，真正把党的组织优势转化为发展优势和治理效能，为推进中国式现代化山西实践提供坚强组织保证。",
                "（二）强化工作保障",
                "各级要统筹用好党费、福彩公益金等资金渠道，为新兴领域党组织开展活动提供必要保障，引导新就业群体积极参与基层治理。",
                "二、压实工作责任",
                "各市要于每季度末报送工作进展情况，省委社会工作部将适时开展督导调研。",
                "山西省委社会工作部",
                "二〇二四年十二月二十日",
            ]
        );
    }

    #[test]
    fn notice_hints() {
        let doc = read(&fixture("notice.pdf")).unwrap();
        assert_eq!(hint(&doc, MetaKey::Source, "发文字号").as_deref(), Some("晋社工发〔2024〕12号"));
        assert_eq!(hint(&doc, MetaKey::Date, "成文日期").as_deref(), Some("2024-12-20"));
        assert_eq!(hint(&doc, MetaKey::Organization, "the 公文 banner").as_deref(), Some("山西省委社会工作部"));
        assert_eq!(hint(&doc, MetaKey::Title, "PDF Info").as_deref(), Some("关于加强新兴领域党建工作的通知"));
        assert_eq!(hint(&doc, MetaKey::Date, "PDF Info"), None, "the file's creation date is not the text's");
        // `Administrator` is no person.
        assert_eq!(hint(&doc, MetaKey::Speaker, ""), None);
    }

    #[test]
    fn bulletin_footers_headers_and_hyphenation() {
        let doc = read(&fixture("bulletin.pdf")).expect("bulletin.pdf reads");
        assert_eq!(
            texts(&doc),
            vec![
                "h1 社区服务项目进展顺利",
                "本季度全市社区服务项目进展顺利，各区结合实际创新服务方式，居民满意度明显提升，志愿服务参与人数同比增长三成。",
                "1.项目实施情况",
                "迎泽区引入专业社会工作机构，开展老年人助餐、儿童托管和邻里互助等服务，受益群众超过两万人次，形成了可复制的经验做法。",
                "项目组借鉴国际上的 neighbourhood centre 模式，建设社区综合服务中心。",
                "2.存在问题",
                "部分社区服务场地不足，专业人才短缺，资金来源单一，需要在下一步工作中重点加以解决。",
                "3.下一步打算",
                "各区要总结经验，补齐短板，推动社区服务提质增效，力争明年实现城市社区综合服务设施全覆盖，并建立社区服务项目评估机制，定期向社会公布评估结果。",
                "太原市委社会工作部办公室 2024年10月12日",
            ]
        );
    }

    #[test]
    fn columns_are_read_one_after_another_and_tables_become_tables() {
        let doc = read(&fixture("pdf_layout_newsletter_two_column.pdf")).expect("reads");
        let t = texts(&doc);
        // The heading wrapped inside its column stays whole; a sentence runs from the foot of
        // column 1 into column 2, and one from page 1 into page 2 (the header of page 2 gone).
        assert!(t.contains(&"一、摸清底数，建立一户一档的需求清单，做到情况明、底数清".to_string()), "{t:#?}");
        assert!(t.iter().any(|p| p.starts_with("对独居、高龄和失能老人") && p.ends_with("事事有着落。")), "{t:#?}");
        assert!(t.iter().any(|p| p.starts_with("截至三月底") && p.ends_with("百分之九十六。")), "{t:#?}");
        assert!(!t.iter().any(|p| p.contains("社区服务通讯　2025年第3期")), "{t:#?}");

        let doc = read(&fixture("pdf_layout_mixed_three_column.pdf")).expect("reads");
        let t = texts(&doc);
        let at =
            |prefix: &str| t.iter().position(|p| p.starts_with(prefix)).unwrap_or_else(|| panic!("{prefix}: {t:#?}"));
        assert!(at("为总结推广") < at("老年助餐") && at("老年助餐") < at("城关镇志愿者"));
        assert!(
            at("城关镇志愿者") < at("儿童托管") && at("青石乡") < at("邻里调解") && at("河西社区") < at("活动期间")
        );

        let doc = read(&fixture("pdf_layout_report_tables.pdf")).expect("reads");
        let tables: Vec<&Vec<Vec<String>>> =
            doc.blocks.iter().filter_map(|b| if let Block::Table(t) = b { Some(t) } else { None }).collect();
        let row = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert_eq!(tables.len(), 2, "{:#?}", doc.blocks);
        assert_eq!(tables[0][0], row(&["序号", "服务项目", "服务人次", "满意度"]));
        assert_eq!(tables[0][1], row(&["1", "老年人助餐配餐服务", "12800", "97%"]), "cells only a rule apart");
        assert_eq!(tables[1].last().unwrap(), &row(&["北山镇", "2", "7", "188"]));
        assert_eq!(tables[1].len(), 4);
    }

    #[test]
    fn a_headline_broken_by_choice_keeps_a_space() {
        let line = |x0: f64, x1: f64, y: f64, text: &str| Line {
            page: 0,
            x0,
            x1,
            y,
            size: 20.0,
            text: text.to_string(),
            bold: false,
            frags: Vec::new(),
            column: None,
            beside_title: false,
        };
        let body = |y: f64| Item::Line(Line { size: 12.0, ..line(70.0, 520.0, y, &"社区服务".repeat(9)) });
        let items = vec![
            Item::Line(line(150.0, 440.0, 760.0, "某镇探索社工服务模式")),
            Item::Line(line(180.0, 410.0, 735.0, "打通服务最后一米")),
            body(700.0),
            body(680.0),
        ];
        assert!(
            matches!(&paragraphs(&items)[0], Block::Heading { text, .. } if text == "某镇探索社工服务模式 打通服务最后一米")
        );
    }

    #[test]
    fn a_scanned_pdf_is_an_error_saying_so() {
        let err = read(&fixture("scanned.pdf")).unwrap_err();
        assert_eq!(err, no_text());
    }

    #[test]
    fn not_a_pdf() {
        let err = read(b"<html>not a pdf</html>").unwrap_err();
        assert!(err.contains("not a PDF"), "{err}");
    }

    #[test]
    fn damaged_files_are_errors_not_panics() {
        crate::import::doc::testing::read_damaged(&fixture("bulletin.pdf"), 211, 173, |b| drop(read(b)));
    }

    #[test]
    fn a_stream_bomb_is_refused() {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![b' '; 1 << 20];
        for _ in 0..600 {
            z.write_all(&zeros).unwrap();
        }
        let data = z.finish().unwrap();
        let mut pdf = b"%PDF-1.7\n1 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>\nstream\n".to_vec();
        pdf.extend_from_slice(&data);
        pdf.extend_from_slice(b"\nendstream\nendobj\n%%EOF\n");
        let err = read(&pdf).unwrap_err();
        assert!(err.contains("inflate to more than"), "{err}");
    }

    /// A one-page PDF showing `codes` (hex) in a Type0 font with this encoding and no
    /// embedded font file, as producers write for the reader's own Song font.
    fn pdf_with_type0_font(encoding: &str, codes: &str) -> Vec<u8> {
        use pdf_extract::{Dictionary, Stream};
        let dict = |pairs: Vec<(&str, Object)>| {
            let mut d = Dictionary::new();
            for (k, v) in pairs {
                d.set(k, v);
            }
            d
        };
        let name = |n: &str| Object::Name(n.as_bytes().to_vec());
        let mut pdf = pdf_extract::Document::with_version("1.5");
        let pages_id = pdf.new_object_id();
        let descriptor = pdf.add_object(dict(vec![
            ("Type", name("FontDescriptor")),
            ("FontName", name("STSong-Light")),
            ("Flags", Object::Integer(6)),
        ]));
        let system_info = dict(vec![
            ("Registry", Object::string_literal("Adobe")),
            ("Ordering", Object::string_literal("GB1")),
            ("Supplement", Object::Integer(4)),
        ]);
        let cid_font = pdf.add_object(dict(vec![
            ("Type", name("Font")),
            ("Subtype", name("CIDFontType0")),
            ("BaseFont", name("STSong-Light")),
            ("CIDSystemInfo", Object::Dictionary(system_info)),
            ("FontDescriptor", Object::Reference(descriptor)),
            ("DW", Object::Integer(1000)),
        ]));
        let font = pdf.add_object(dict(vec![
            ("Type", name("Font")),
            ("Subtype", name("Type0")),
            ("BaseFont", name("STSong-Light")),
            ("Encoding", name(encoding)),
            ("DescendantFonts", Object::Array(vec![Object::Reference(cid_font)])),
        ]));
        let resources = dict(vec![("Font", Object::Dictionary(dict(vec![("F1", Object::Reference(font))])))]);
        let content = pdf
            .add_object(Stream::new(Dictionary::new(), format!("BT /F1 12 Tf 72 700 Td <{codes}> Tj ET").into_bytes()));
        let media_box = Object::Array([0, 0, 595, 842].into_iter().map(Object::Integer).collect());
        let page = pdf.add_object(dict(vec![
            ("Type", name("Page")),
            ("Parent", Object::Reference(pages_id)),
            ("Contents", Object::Reference(content)),
            ("MediaBox", media_box),
            ("Resources", Object::Dictionary(resources)),
        ]));
        let pages = dict(vec![
            ("Type", name("Pages")),
            ("Kids", Object::Array(vec![Object::Reference(page)])),
            ("Count", Object::Integer(1)),
        ]);
        pdf.objects.insert(pages_id, Object::Dictionary(pages));
        let catalog = pdf.add_object(dict(vec![("Type", name("Catalog")), ("Pages", Object::Reference(pages_id))]));
        pdf.trailer.set("Root", Object::Reference(catalog));
        let mut bytes = Vec::new();
        pdf.save_to(&mut bytes).unwrap();
        bytes
    }

    #[test]
    fn unicode_cmaps_without_an_embedded_font() {
        // 社会工作 in UCS-2.
        let doc = read(&pdf_with_type0_font("UniGB-UCS2-H", "793E4F1A5DE54F5C")).expect("reads");
        assert_eq!(texts(&doc), vec!["社会工作"]);
    }

    #[test]
    fn a_library_panic_is_an_error() {
        // pdf-extract panics on CMaps it does not know (here GBK codes); the reader says it
        // could not read the file instead of taking the program down.
        let err = read(&pdf_with_type0_font("GBK-EUC-H", "C9E7BBE1")).unwrap_err();
        assert!(err.contains("could not be read"), "{err}");
    }

    #[test]
    fn running_line_patterns() {
        for t in ["— 1 —", "- 2 -", "3", "－ 12 －", "第 3 页 共 5 页", "第3页", "2/5", "Page 4 of 9"] {
            assert!(is_page_number(t), "{t}");
        }
        for t in ["2024年", "一、总体要求", "第三章", "100%"] {
            assert!(!is_page_number(t), "{t}");
        }
        assert!(is_confidentiality_mark("内部资料　注意保存"));
        assert!(is_confidentiality_mark("内部资料，注意保存"));
        assert!(!is_confidentiality_mark("内部资料管理办法"));
    }

    #[test]
    fn lookalikes() {
        assert_eq!(map_lookalikes("⼀体推进⻓效机制，打开⻔，⻜⻢，⻅⾯"), "一体推进长效机制，打开门，飞马，见面");
        // Full-width punctuation and letters stay as they are.
        assert_eq!(map_lookalikes("（一）ＡＢ，。"), "（一）ＡＢ，。");
        assert!(RADICALS.windows(2).all(|w| w[0].0 < w[1].0), "sorted for binary search");
    }

    #[test]
    fn dates() {
        for (t, want) in [
            ("二〇二四年十二月二十日", Some("2024-12-20")),
            ("二〇二五年一月五日", Some("2025-01-05")),
            ("2024年10月12日", Some("2024-10-12")),
            ("2024年3月31日", Some("2024-03-31")),
            ("2024-10-12", Some("2024-10-12")),
            ("二〇二四年十三月一日", None),
            ("会议于2024年10月12日召开", None),
        ] {
            assert_eq!(parse_date(t).as_deref(), want, "{t}");
        }
    }

    #[test]
    fn bold_fonts_get_a_marked_to_unicode_map() {
        let map = b"/CIDInit /ProcSet findresource begin\n2 beginbfchar\n<0003><4E00>\n<0004> <5341>\nendbfchar\n\
            1 beginbfrange\n<0010> <0012> <0041>\nendbfrange\n1 beginbfrange\n<0020> <0021> [<0061> <0062>]\nendbfrange\nend";
        let entries = parse_to_unicode(map).unwrap();
        let as_text = |v: &[u8]| {
            String::from_utf16(&v.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect::<Vec<_>>()).unwrap()
        };
        let decoded: Vec<(u32, String)> = entries.iter().map(|(c, v)| (*c, as_text(v))).collect();
        assert_eq!(
            decoded,
            [(3, "一"), (4, "十"), (0x10, "A"), (0x11, "B"), (0x12, "C"), (0x20, "a"), (0x21, "b")]
                .map(|(c, t)| (c, t.to_string()))
        );
        let marked = parse_to_unicode(&marked_to_unicode(&entries, true)).unwrap();
        assert!(
            marked
                .iter()
                .zip(&entries)
                .all(|((c, m), (d, v))| c == d && as_text(m) == format!("{BOLD_MARK}{}", as_text(v)))
        );
        assert!(parse_to_unicode(b"no map here").is_none());
    }

    #[test]
    fn printed_addresses_and_cover_units() {
        let url = "https://www.example.gov.cn/a/b_1.html";
        assert_eq!(printed_address(&format!("{url} 1/3")).as_deref(), Some(url));
        assert_eq!(printed_address(&format!("2/3  {url}")).as_deref(), Some(url));
        assert_eq!(printed_address(url).as_deref(), Some(url));
        assert_eq!(printed_address(&format!("详见{url}")), None);
        assert_eq!(cover_unit("某某社区居民委员会　编印").as_deref(), Some("某某社区居民委员会"));
        assert_eq!(cover_unit("某市青禾社会工作服务中心").as_deref(), Some("某市青禾社会工作服务中心"));
        assert_eq!(cover_unit("请各单位于月底前报送。"), None);
        assert_eq!(cover_unit("中心"), None);
    }

    #[test]
    fn joining_lines() {
        assert_eq!(join("neighbour-", "hood centre"), "neighbourhood centre");
        assert_eq!(join("COVID-", "19"), "COVID-19");
        assert_eq!(join("social", "work"), "social work");
        assert_eq!(join("社会", "工作"), "社会工作");
        assert_eq!(clean_info_title("Microsoft Word - 关于开展活动的通知.docx"), "关于开展活动的通知");
    }
}
