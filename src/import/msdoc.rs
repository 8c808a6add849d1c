//! The Word 97–2003 reader (`.doc`, and WPS's `.wps`, which keeps the same `WordDocument`
//! stream): an OLE compound file whose text is found through the File Information Block (FIB)
//! and the piece table (CLX) of the table stream. Paragraph marks end paragraphs; cell marks
//! (`\x07`) and the row-end paragraphs make Markdown tables; a field keeps its result, not its
//! code; footnotes become Markdown notes; page headers, footers, comments and text boxes (the
//! stories after the main text and the footnotes) are left out. Heading styles (Word's built-in
//! `heading 1…9`, `Title`, or a style named `标题 N`) become headings; everything else goes to
//! the cleaner as paragraphs, so manual numbering (`一、`, `（一）`) still makes headings.
//!
//! Every structure is read with bounds checks: a cut or damaged file is an error, never a
//! panic. One pass over the text; paragraph properties are found by binary search.

use super::clean::escape_markdown;
use super::doc::{Asset, Block, Document};
use super::meta::regex;
use rust_i18n::t;
use std::collections::HashMap;
use std::io::Read;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at.checked_add(2)?)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

fn damaged() -> String {
    t!("import.msdoc.damaged").into_owned()
}

/// A run of text in the piece table: characters `cp..cp_end`, stored from byte `fc` of the
/// WordDocument stream as UTF-16 or, `compressed`, one byte each (Windows-1252).
struct Piece {
    cp: u32,
    cp_end: u32,
    fc: u32,
    compressed: bool,
}

/// The piece table of a CLX: its property runs (`Prc`) skipped, its `Pcdt` read.
fn pieces(clx: &[u8]) -> Option<Vec<Piece>> {
    let mut at = 0;
    while clx.get(at) == Some(&0x01) {
        let cb = u16_at(clx, at + 1)? as usize;
        at += 3 + cb;
    }
    if clx.get(at) != Some(&0x02) {
        return None;
    }
    let lcb = u32_at(clx, at + 1)? as usize;
    let plc = clx.get(at + 5..at + 5 + lcb)?;
    // (n + 1) character positions, then n piece descriptors of 8 bytes.
    if plc.len() < 4 || !(plc.len() - 4).is_multiple_of(12) {
        return None;
    }
    let n = (plc.len() - 4) / 12;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let cp = u32_at(plc, 4 * i)?;
        let cp_end = u32_at(plc, 4 * (i + 1))?;
        let raw = u32_at(plc, 4 * (n + 1) + 8 * i + 2)?;
        let compressed = raw & 0x4000_0000 != 0;
        let fc = raw & 0x3FFF_FFFF;
        if cp_end < cp {
            return None;
        }
        out.push(Piece { cp, cp_end, fc: if compressed { fc / 2 } else { fc }, compressed });
    }
    Some(out)
}

/// What the paragraph properties say about one paragraph.
#[derive(Clone, Copy, Default)]
struct ParagraphProps {
    istd: u16,
    in_table: bool,
    row_end: bool,
}

/// The paragraph properties of the document: the bin table of PAPX pages and the pages read.
struct Papx<'a> {
    word: &'a [u8],
    /// (first byte, page number) of each page, sorted by first byte.
    bins: Vec<(u32, u32)>,
    pages: HashMap<u32, Vec<(u32, ParagraphProps)>>,
}

impl<'a> Papx<'a> {
    fn new(word: &'a [u8], plc: &[u8]) -> Papx<'a> {
        Papx { word, bins: bins(plc), pages: HashMap::new() }
    }

    /// The runs of one 512-byte page: (first byte, properties), sorted.
    fn page(word: &[u8], pn: u32) -> Vec<(u32, ParagraphProps)> {
        let Some(page) = (pn as usize).checked_mul(512).and_then(|s| word.get(s..s + 512)) else { return Vec::new() };
        let crun = page[511] as usize;
        let mut runs = Vec::with_capacity(crun);
        for i in 0..crun {
            let Some(fc) = u32_at(page, 4 * i) else { break };
            let bx = 4 * (crun + 1) + 13 * i;
            let Some(&offset) = page.get(bx) else { break };
            let mut props = ParagraphProps::default();
            if offset != 0 {
                let at = 2 * offset as usize;
                let grpprl = match page.get(at) {
                    Some(&0) => page.get(at + 1).and_then(|&cb| page.get(at + 2..at + 2 + 2 * cb as usize)),
                    Some(&cb) => page.get(at + 1..at + 2 * cb as usize),
                    None => None,
                };
                if let Some(g) = grpprl {
                    props.istd = u16_at(g, 0).unwrap_or(0);
                    read_sprms(g.get(2..).unwrap_or(&[]), &mut props);
                }
            }
            runs.push((fc, props));
        }
        runs
    }

    /// The properties of the paragraph whose mark is at byte `fc`.
    fn at(&mut self, fc: u32) -> ParagraphProps {
        let i = self.bins.partition_point(|(start, _)| *start <= fc);
        let Some(&(_, pn)) = i.checked_sub(1).and_then(|i| self.bins.get(i)) else { return Default::default() };
        let word = self.word;
        let runs = self.pages.entry(pn).or_insert_with(|| Papx::page(word, pn));
        let j = runs.partition_point(|(start, _)| *start <= fc);
        j.checked_sub(1).and_then(|j| runs.get(j)).map(|r| r.1).unwrap_or_default()
    }
}

/// Reads the few paragraph properties the importer uses from a list of SPRMs.
fn read_sprms(mut g: &[u8], props: &mut ParagraphProps) {
    while let Some((op, value, rest)) = next_sprm(g) {
        match op {
            0x2416 => props.in_table = value[0] != 0,
            0x2417 => props.row_end = value[0] != 0,
            _ => {}
        }
        g = rest;
    }
}

/// Heading levels of the document's styles by index (`Block::Heading` scale: Word's Title is
/// 1, Heading 1 is 2).
fn heading_styles(stsh: &[u8]) -> HashMap<u16, Style> {
    let mut out = HashMap::new();
    let Some(cb_stshi) = u16_at(stsh, 0) else { return out };
    let (Some(cstd), Some(base)) = (u16_at(stsh, 2), u16_at(stsh, 4)) else { return out };
    let mut at = 2 + cb_stshi as usize;
    for istd in 0..cstd {
        let Some(cb) = u16_at(stsh, at) else { break };
        let std = stsh.get(at + 2..at + 2 + cb as usize);
        at += 2 + cb as usize;
        let Some(std) = std.filter(|s| !s.is_empty()) else { continue };
        let sti = u16_at(std, 0).unwrap_or(0) & 0x0FFF;
        let name = u16_at(std, base as usize).and_then(|cch| {
            let start = base as usize + 2;
            let units: Vec<u16> = (0..cch as usize).map_while(|k| u16_at(std, start + 2 * k)).collect();
            String::from_utf16(&units).ok()
        });
        let name = name.unwrap_or_default().trim().to_lowercase();
        let style = match sti {
            1..=9 => Some(Style::Heading((sti as u8 + 1).min(6))),
            62 => Some(Style::Heading(1)),
            19..=27 => Some(Style::Contents),
            34 => Some(Style::Caption),
            _ if name == "caption" || name == "题注" => Some(Style::Caption),
            _ if regex!(r"^(toc\s*\d|toc\s*heading|contents\s*\d|目录\s*\d)").is_match(&name) => {
                Some(Style::Contents)
            }
            _ => super::docx::heading_name_level(&name).map(Style::Heading),
        };
        if let Some(style) = style {
            out.insert(istd, style);
        }
    }
    out
}

/// What a paragraph style makes of its paragraphs.
#[derive(Clone, Copy, PartialEq)]
enum Style {
    /// A heading of this level.
    Heading(u8),
    /// A picture's caption.
    Caption,
    /// An entry of a table of contents (the headings again, with page numbers): left out.
    Contents,
}

/// A paragraph of the text with the byte its mark is stored at.
struct Paragraph {
    text: String,
    /// `'\r'` a paragraph mark, `'\x07'` a cell or row end.
    mark: char,
    fc: u32,
    /// The pictures in the paragraph: where their data is in the Data stream.
    pictures: Vec<u32>,
    /// Every visible character of it is set in bold (a lead line such as `一是…。`).
    bold: bool,
}

/// Character properties the importer uses: deleted (a tracked change) and hidden text are
/// not the document's text.
#[derive(Clone, Copy, Default)]
struct CharProps {
    gone: bool,
    /// Set in bold (sprmCFBold on, or toggled from a style that is not).
    bold: bool,
    /// Where a picture's data is in the Data stream (sprmCPicLocation), for a `\x01`.
    picture: Option<u32>,
}

/// The character properties of the document: the bin table of CHPX pages and the pages read.
struct Chpx<'a> {
    word: &'a [u8],
    bins: Vec<(u32, u32)>,
    pages: HashMap<u32, Vec<(u32, CharProps)>>,
    /// The run last found: bytes `.0..1` have properties `.2`.
    current: (u32, u32, CharProps),
}

impl<'a> Chpx<'a> {
    fn new(word: &'a [u8], plc: &[u8]) -> Chpx<'a> {
        Chpx { word, bins: bins(plc), pages: HashMap::new(), current: (1, 0, CharProps::default()) }
    }

    fn page(word: &[u8], pn: u32) -> Vec<(u32, CharProps)> {
        let Some(page) = (pn as usize).checked_mul(512).and_then(|s| word.get(s..s + 512)) else { return Vec::new() };
        let crun = page[511] as usize;
        let mut runs = Vec::with_capacity(crun + 1);
        for i in 0..=crun {
            let Some(fc) = u32_at(page, 4 * i) else { break };
            let mut props = CharProps::default();
            let offset = page.get(4 * (crun + 1) + i).copied().unwrap_or(0) as usize;
            if i < crun && offset != 0 {
                let cb = page.get(2 * offset).copied().unwrap_or(0) as usize;
                let mut g = page.get(2 * offset + 1..2 * offset + 1 + cb).unwrap_or(&[]);
                while let Some((op, value, rest)) = next_sprm(g) {
                    let on = matches!(value.first(), Some(1 | 0x81));
                    // sprmCFRMarkDel (deleted in a tracked change), sprmCFVanish (hidden).
                    if (op == 0x0800 || op == 0x083C) && on {
                        props.gone = true;
                    }
                    if op == 0x0835 && on {
                        props.bold = true;
                    }
                    if op == 0x6A03 {
                        props.picture = u32_at(value, 0);
                    }
                    g = rest;
                }
            }
            runs.push((fc, props));
        }
        runs
    }

    /// The properties of the character stored at byte `fc`.
    fn at(&mut self, fc: u32) -> CharProps {
        if (self.current.0..self.current.1).contains(&fc) {
            return self.current.2;
        }
        let i = self.bins.partition_point(|(start, _)| *start <= fc);
        let Some(&(_, pn)) = i.checked_sub(1).and_then(|i| self.bins.get(i)) else { return Default::default() };
        let word = self.word;
        let runs = self.pages.entry(pn).or_insert_with(|| Chpx::page(word, pn));
        let j = runs.partition_point(|(start, _)| *start <= fc);
        let Some(j) = j.checked_sub(1).filter(|&j| j + 1 < runs.len()) else { return Default::default() };
        self.current = (runs[j].0, runs[j + 1].0, runs[j].1);
        runs[j].1
    }
}

/// The (first byte, page number) pairs of a bin table (`PlcBtePapx`, `PlcBteChpx`).
fn bins(plc: &[u8]) -> Vec<(u32, u32)> {
    let mut bins = Vec::new();
    if plc.len() >= 4 && (plc.len() - 4).is_multiple_of(8) {
        let n = (plc.len() - 4) / 8;
        for i in 0..n {
            if let (Some(fc), Some(pn)) = (u32_at(plc, 4 * i), u32_at(plc, 4 * (n + 1) + 4 * i)) {
                bins.push((fc, pn & 0x003F_FFFF));
            }
        }
    }
    bins
}

/// The first SPRM of a list: its operation, operand and the rest of the list.
fn next_sprm(g: &[u8]) -> Option<(u16, &[u8], &[u8])> {
    let op = u16_at(g, 0)?;
    let operand = &g[2..];
    let size = match op >> 13 {
        0 | 1 => 1,
        2 | 4 | 5 => 2,
        3 => 4,
        7 => 3,
        // sprmTDefTable and sprmPChgTabs have sizes of their own; nothing needed follows.
        _ if op == 0xD608 || op == 0xC615 => return None,
        _ => 1 + *operand.first()? as usize,
    };
    Some((op, operand.get(..size)?, &operand[size..]))
}

/// Largest picture kept from a Word file.
const MAX_PICTURE: usize = 20 << 20;

/// The picture whose PICF structure begins at `at` in the Data stream: the first PNG or JPEG
/// record (OfficeArt BLIP) inside it, as (extension, bytes). Other kinds (WMF, EMF, DIB) are
/// not kept.
fn picture(data: &[u8], at: u32) -> Option<(&'static str, &[u8])> {
    let at = at as usize;
    let lcb = u32_at(data, at)? as usize;
    let block = data.get(at..at.checked_add(lcb)?)?;
    // Records: version/instance (2 bytes), type (2), length (4).
    for i in 0..block.len().saturating_sub(8) {
        let kind = u16_at(block, i + 2)?;
        if !matches!(kind, 0xF01D | 0xF01E) {
            continue;
        }
        let instance = u16_at(block, i)? >> 4;
        let length = u32_at(block, i + 4)? as usize;
        // One or two 16-byte ids, then a tag byte.
        let two_ids = matches!(instance, 0x46B | 0x6E3 | 0x6E1);
        let header = 8 + 16 + if two_ids { 16 } else { 0 } + 1;
        let end = (i + 8).checked_add(length)?;
        let Some(bytes) = block.get(i + header..end) else { continue };
        let ext = match bytes {
            [0x89, b'P', b'N', b'G', ..] => "png",
            [0xFF, 0xD8, 0xFF, ..] => "jpg",
            _ => continue,
        };
        return (bytes.len() <= MAX_PICTURE).then_some((ext, bytes));
    }
    None
}

/// An open field while the text is read.
struct Field {
    /// Still in its code part (before `\x14`).
    in_code: bool,
    code: String,
    /// A table of contents: its result (the headings again, with page numbers) is left out.
    drop: bool,
    /// A hyperlink's address, and where its result begins (paragraph count, byte in the text).
    link: Option<(String, usize, usize)>,
}

/// What a story's text is read with.
struct Story<'s, 'a> {
    word: &'a [u8],
    pieces: &'s [Piece],
    chpx: &'s mut Chpx<'a>,
    /// The characters of footnote and endnote marks in the main text, sorted.
    footnote_refs: &'s [u32],
    endnote_refs: &'s [u32],
    /// Addresses of the links found, by number.
    links: &'s mut Vec<String>,
    /// The drawn objects (`\x08`) met: (paragraph index, character).
    anchors: Vec<(usize, u32)>,
}

impl Story<'_, '_> {
    /// Reads the characters `from..to` into paragraphs: fields keep their result (a table of
    /// contents does not, a hyperlink becomes a link), note marks (`\x02`) become `[^n]`,
    /// deleted and hidden text and control characters go.
    fn paragraphs(&mut self, from: u32, to: u32) -> Vec<Paragraph> {
        let (word, pieces) = (self.word, self.pieces);
        let mut out = Vec::new();
        let mut text = String::new();
        let mut fields: Vec<Field> = Vec::new();
        let mut sequential_notes = 0;
        let mut pictures = Vec::new();
        // Visible characters of the paragraph so far, and how many of them are bold.
        let (mut visible, mut bold) = (0usize, 0usize);
        // The first half of a character outside the BMP (a rare Han character in a name).
        let mut high: Option<u16> = None;
        let start = pieces.partition_point(|p| p.cp_end <= from);
        for piece in &pieces[start..] {
            if piece.cp >= to {
                break;
            }
            let (a, b) = (piece.cp.max(from), piece.cp_end.min(to));
            for cp in a..b {
                let k = (cp - piece.cp) as usize;
                let (c, fc) = if piece.compressed {
                    let fc = piece.fc as usize + k;
                    let Some(&byte) = word.get(fc) else { return out };
                    let c = if byte < 0x80 {
                        byte as char
                    } else {
                        encoding_rs::WINDOWS_1252.decode_without_bom_handling(&[byte]).0.chars().next().unwrap_or(' ')
                    };
                    (c, fc as u32)
                } else {
                    let fc = piece.fc as usize + 2 * k;
                    let Some(unit) = u16_at(word, fc) else { return out };
                    if (0xD800..0xDC00).contains(&unit) {
                        high = Some(unit);
                        continue;
                    }
                    let c = match high.take() {
                        Some(h) if (0xDC00..0xE000).contains(&unit) => {
                            char::from_u32(0x10000 + ((h as u32 - 0xD800) << 10) + (unit as u32 - 0xDC00))
                        }
                        _ => char::from_u32(unit as u32),
                    };
                    (c.unwrap_or('\u{FFFD}'), fc as u32)
                };
                // A paragraph mark of deleted text still ends the paragraph kept before it.
                let props = self.chpx.at(fc);
                if props.gone && !matches!(c, '\r' | '\x07') {
                    continue;
                }
                match c {
                    '\x13' => {
                        fields.push(Field { in_code: true, code: String::new(), drop: false, link: None });
                        continue;
                    }
                    '\x14' => {
                        if let Some(f) = fields.last_mut() {
                            f.in_code = false;
                            let code = f.code.trim_start();
                            let keyword = code.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
                            f.drop = keyword == "TOC";
                            if keyword == "HYPERLINK"
                                && let Some(url) = code.split('"').nth(1).map(str::trim)
                                && (url.starts_with("http://") || url.starts_with("https://"))
                            {
                                f.link = Some((url.to_string(), out.len(), text.len()));
                            }
                        }
                        continue;
                    }
                    '\x15' => {
                        if let Some(Field { link: Some((url, paragraph, at)), .. }) = fields.pop()
                            && paragraph == out.len()
                            && text.len() > at
                            && !fields.iter().any(|f| f.drop || f.in_code)
                        {
                            text.insert(at, LINK_OPEN);
                            text.push_str(&format!("{LINK_MID}{}{LINK_CLOSE}", self.links.len()));
                            self.links.push(url);
                        }
                        continue;
                    }
                    _ => {}
                }
                if let Some(f) = fields.iter_mut().rev().find(|f| f.in_code) {
                    f.code.push(c);
                    continue;
                }
                if fields.iter().any(|f| f.drop) {
                    continue;
                }
                match c {
                    '\r' | '\x07' => {
                        let pictures = std::mem::take(&mut pictures);
                        let bold = visible > 0 && std::mem::take(&mut bold) == std::mem::take(&mut visible);
                        out.push(Paragraph { text: std::mem::take(&mut text), mark: c, fc, pictures, bold });
                    }
                    // A line break, a page or section break: the line ends.
                    '\x0B' | '\x0C' => {
                        let pictures = std::mem::take(&mut pictures);
                        let bold = visible > 0 && std::mem::take(&mut bold) == std::mem::take(&mut visible);
                        out.push(Paragraph {
                            text: std::mem::take(&mut text),
                            mark: '\r',
                            fc: u32::MAX,
                            pictures,
                            bold,
                        })
                    }
                    '\x01' => pictures.extend(props.picture),
                    '\x02' => {
                        let n = if let Ok(k) = self.footnote_refs.binary_search(&cp) {
                            k + 1
                        } else if let Ok(k) = self.endnote_refs.binary_search(&cp) {
                            self.footnote_refs.len() + k + 1
                        } else {
                            sequential_notes += 1;
                            sequential_notes
                        };
                        text.push_str(&format!("{NOTE_OPEN}{n}{NOTE_CLOSE}"));
                    }
                    '\x08' => self.anchors.push((out.len(), cp)),
                    '\t' => text.push(' '),
                    '\x1E' => text.push('-'),
                    '\u{A0}' => text.push(' '),
                    c if (c as u32) < 0x20 => {}
                    c => {
                        if !c.is_whitespace() {
                            visible += 1;
                            bold += usize::from(props.bold);
                        }
                        text.push(c)
                    }
                }
            }
        }
        if !text.trim().is_empty() || !pictures.is_empty() {
            let bold = visible > 0 && bold == visible;
            out.push(Paragraph { text, mark: '\r', fc: u32::MAX, pictures, bold });
        }
        out
    }
}

/// Marks around a link's text while it is escaped: open, then the number of its address.
const LINK_OPEN: char = '\u{E002}';
const LINK_MID: char = '\u{E003}';
const LINK_CLOSE: char = '\u{E004}';

/// Marks around a footnote number while text is escaped (escaping leaves them be).
const NOTE_OPEN: char = '\u{E000}';
const NOTE_CLOSE: char = '\u{E001}';

/// A paragraph's Markdown: escaped, with its note marks and links.
fn markdown_of(text: &str, links: &[String]) -> String {
    let escaped = escape_markdown(text.trim()).replace(NOTE_OPEN, "[^").replace(NOTE_CLOSE, "]");
    if !escaped.contains(LINK_OPEN) {
        return escaped;
    }
    let mut out = String::with_capacity(escaped.len());
    let mut rest = escaped.as_str();
    while let Some(open) = rest.find(LINK_OPEN) {
        out.push_str(&rest[..open]);
        rest = &rest[open + LINK_OPEN.len_utf8()..];
        let (Some(mid), Some(close)) = (rest.find(LINK_MID), rest.find(LINK_CLOSE)) else { break };
        let url = rest[mid + LINK_MID.len_utf8()..close].parse::<usize>().ok().and_then(|k| links.get(k));
        match url.filter(|_| mid < close) {
            Some(url) => out.push_str(&format!(
                "[{}]({})",
                &rest[..mid],
                url.replace(' ', "%20").replace('(', "%28").replace(')', "%29").replace('<', "%3C").replace('>', "%3E")
            )),
            None => out.push_str(&rest[..mid.min(close)]),
        }
        rest = &rest[(close + LINK_CLOSE.len_utf8()).max(mid)..];
    }
    out.push_str(rest);
    out.replace([LINK_OPEN, LINK_MID, LINK_CLOSE], "")
}

/// A stream of the compound file, read whole (its size is bounded by the file's).
fn stream(file: &mut cfb::CompoundFile<std::io::Cursor<&[u8]>>, name: &str) -> Result<Vec<u8>, String> {
    let mut s = file.open_stream(name).map_err(|_| damaged())?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).map_err(|_| damaged())?;
    Ok(out)
}

/// Reads a Word 97–2003 document.
pub fn read(bytes: &[u8]) -> Result<Document, String> {
    let mut file = cfb::CompoundFile::open(std::io::Cursor::new(bytes)).map_err(|_| damaged())?;
    if file.exists("/EncryptedPackage") || file.exists("/EncryptionInfo") {
        return Err(t!("import.msdoc.password").into_owned());
    }
    if !file.exists("/WordDocument") {
        let other = if file.exists("/Workbook") || file.exists("/Book") {
            t!("import.msdoc.spreadsheet")
        } else if file.exists("/PowerPoint Document") {
            t!("import.msdoc.presentation")
        } else {
            t!("import.msdoc.not_word")
        };
        return Err(other.into_owned());
    }
    let word = stream(&mut file, "/WordDocument")?;
    if u16_at(&word, 0) != Some(0xA5EC) {
        return Err(t!("import.msdoc.not_word").into_owned());
    }
    let n_fib = u16_at(&word, 2).ok_or_else(damaged)?;
    if n_fib <= 0x0068 {
        // Word 6 and Word 95 (nFib below 104) store their text otherwise.
        return Err(t!("import.msdoc.too_old").into_owned());
    }
    let flags = u16_at(&word, 0x0A).ok_or_else(damaged)?;
    if flags & 0x0100 != 0 {
        return Err(t!("import.msdoc.password").into_owned());
    }
    let table_name = if flags & 0x0200 != 0 { "/1Table" } else { "/0Table" };
    if !file.exists(table_name) {
        return Err(damaged());
    }
    let table = stream(&mut file, table_name)?;
    // The pictures' data, when there are pictures.
    let data = if file.exists("/Data") { stream(&mut file, "/Data").ok() } else { None };
    drop(file);
    // FibBase (32 bytes), then counted arrays: 16-bit values, 32-bit values, (fc, lcb) pairs.
    let csw = u16_at(&word, 32).ok_or_else(damaged)? as usize;
    let lw = 34 + 2 * csw;
    let cslw = u16_at(&word, lw).ok_or_else(damaged)? as usize;
    let long = |i: usize| if i < cslw { u32_at(&word, lw + 2 + 4 * i) } else { Some(0) };
    let ccp_text = long(3).ok_or_else(damaged)?;
    let ccp_ftn = long(4).ok_or_else(damaged)?;
    let blob = lw + 2 + 4 * cslw;
    let pairs = u16_at(&word, blob).ok_or_else(damaged)? as usize;
    let pair = |i: usize| -> Option<&[u8]> {
        if i >= pairs {
            return Some(&[]);
        }
        let fc = u32_at(&word, blob + 2 + 8 * i)? as usize;
        let lcb = u32_at(&word, blob + 2 + 8 * i + 4)? as usize;
        if lcb == 0 {
            return Some(&[]);
        }
        table.get(fc..fc.checked_add(lcb)?)
    };
    let stsh = pair(1).ok_or_else(damaged)?;
    let bte_papx = pair(13).ok_or_else(damaged)?;
    let clx = pair(33).filter(|c| !c.is_empty()).ok_or_else(damaged)?;
    let pieces = pieces(clx).ok_or_else(damaged)?;
    let headings = heading_styles(stsh);
    let mut papx = Papx::new(&word, bte_papx);
    // The characters at which a PLC's entries start (`entry` bytes of data each).
    let starts = |plc: &[u8], entry: usize| -> Vec<u32> {
        let n = plc.len().saturating_sub(4) / (4 + entry);
        (0..=n).filter_map(|i| u32_at(plc, 4 * i)).collect()
    };
    let mut footnote_refs = starts(pair(2).ok_or_else(damaged)?, 2);
    footnote_refs.pop();
    let mut endnote_refs = starts(pair(46).ok_or_else(damaged)?, 2);
    endnote_refs.pop();
    footnote_refs.sort_unstable();
    endnote_refs.sort_unstable();
    // The stories follow each other: main text, footnotes, headers, comments, endnotes, text boxes.
    let story_start = |n: usize| -> Option<u32> { (3..n).try_fold(0u32, |sum, i| sum.checked_add(long(i)?)) };
    let (ftn, edn, txbx) = (
        story_start(4).ok_or_else(damaged)?,
        story_start(6).and_then(|s| s.checked_add(long(7)?)).ok_or_else(damaged)?,
        story_start(6).and_then(|s| s.checked_add(long(7)?)?.checked_add(long(8)?)).ok_or_else(damaged)?,
    );
    let (ccp_edn, ccp_txbx) = (long(8).ok_or_else(damaged)?, long(9).ok_or_else(damaged)?);
    let mut chpx = Chpx::new(&word, pair(12).ok_or_else(damaged)?);
    let mut links = Vec::new();
    let mut story = Story {
        word: &word,
        pieces: &pieces,
        chpx: &mut chpx,
        footnote_refs: &footnote_refs,
        endnote_refs: &endnote_refs,
        links: &mut links,
        anchors: Vec::new(),
    };
    let main = story.paragraphs(0, ccp_text);
    let anchors = std::mem::take(&mut story.anchors);
    let note_paragraphs = story.paragraphs(ftn, ftn.saturating_add(ccp_ftn));
    let endnote_paragraphs = story.paragraphs(edn, edn.saturating_add(ccp_edn));
    // Text boxes: each is read after the paragraph its shape is anchored in (the shape's id in
    // the main text's shape table is the text box's), or after the text when that is unknown.
    let mut boxes: Vec<(Option<u32>, Vec<Paragraph>)> = Vec::new();
    if ccp_txbx > 0 {
        let plc = pair(56).ok_or_else(damaged)?;
        let cps = starts(plc, 22);
        let n = cps.len().saturating_sub(1);
        for i in 0..n {
            let (a, b) = (cps[i], cps[i + 1].min(ccp_txbx));
            if a < b {
                let lid = u32_at(plc, 4 * (n + 1) + 22 * i + 14);
                boxes.push((lid, story.paragraphs(txbx.saturating_add(a), txbx.saturating_add(b))));
            }
        }
        if n == 0 {
            boxes.push((None, story.paragraphs(txbx, txbx.saturating_add(ccp_txbx))));
        }
    }
    let shapes = pair(40).ok_or_else(damaged)?;
    let shape_cps = starts(shapes, 26);
    let shape_count = shape_cps.len().saturating_sub(1);
    let mut placed: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut used = vec![false; boxes.len()];
    for (paragraph, cp) in anchors {
        let Some(k) = shape_cps[..shape_count].iter().position(|&c| c == cp) else { continue };
        let Some(spid) = u32_at(shapes, 4 * (shape_count + 1) + 26 * k) else { continue };
        if let Some(b) = boxes.iter().position(|(lid, _)| *lid == Some(spid))
            && !used[b]
        {
            used[b] = true;
            placed.entry(paragraph).or_default().push(b);
        }
    }
    let mut boxes: Vec<Option<Vec<Paragraph>>> = boxes.into_iter().map(|(_, p)| Some(p)).collect();
    let mut all = Vec::with_capacity(main.len());
    for (i, p) in main.into_iter().enumerate() {
        all.push(p);
        for &b in placed.get(&i).map(Vec::as_slice).unwrap_or(&[]) {
            all.extend(boxes[b].take().unwrap_or_default());
        }
    }
    for (b, paragraphs) in boxes.iter_mut().enumerate() {
        if !used[b] {
            all.extend(paragraphs.take().unwrap_or_default());
        }
    }
    let mut doc = Document::default();
    let mut row: Vec<String> = Vec::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut cell = String::new();
    // Without paragraph properties a row ends at an empty cell-mark paragraph after a cell.
    let has_props = !papx.bins.is_empty();
    let mut previous_cell_mark = false;
    let flush_table = |rows: &mut Vec<Vec<String>>, doc: &mut Document| {
        if !rows.is_empty() {
            let width = rows.iter().map(Vec::len).max().unwrap_or(0);
            for r in rows.iter_mut() {
                r.resize(width, String::new());
            }
            doc.blocks.push(Block::Table(std::mem::take(rows)));
        }
    };
    for p in all {
        let props = if p.fc == u32::MAX { ParagraphProps::default() } else { papx.at(p.fc) };
        if p.mark == '\x07' {
            let row_end = if has_props { props.row_end } else { previous_cell_mark && p.text.is_empty() };
            if row_end {
                if !cell.is_empty() {
                    row.push(std::mem::take(&mut cell));
                }
                if !row.is_empty() {
                    rows.push(std::mem::take(&mut row));
                }
                previous_cell_mark = false;
            } else {
                let text = markdown_of(&p.text, &links);
                if !cell.is_empty() && !text.is_empty() {
                    cell.push(' ');
                }
                cell.push_str(&text);
                row.push(std::mem::take(&mut cell));
                previous_cell_mark = true;
            }
            continue;
        }
        previous_cell_mark = false;
        if props.in_table && !props.row_end {
            // A paragraph of a cell with more than one.
            let text = markdown_of(&p.text, &links);
            if !cell.is_empty() && !text.is_empty() {
                cell.push(' ');
            }
            cell.push_str(&text);
            continue;
        }
        flush_table(&mut rows, &mut doc);
        let text = p.text.trim();
        if text.is_empty() && p.pictures.is_empty() {
            continue;
        }
        let style = headings.get(&props.istd).copied();
        if style == Some(Style::Contents) {
            continue;
        }
        if style == Some(Style::Caption)
            && let Some(Block::Figure { caption: slot @ None, .. }) = doc.blocks.last_mut()
        {
            *slot = Some(p.text.trim().to_string());
            continue;
        }
        if !text.is_empty() {
            match style {
                Some(Style::Heading(level)) => {
                    doc.blocks.push(Block::Heading { level, text: markdown_of(text, &links) })
                }
                _ if p.bold && !text.contains('\n') => {
                    doc.blocks.push(Block::Paragraph(format!("**{}**", markdown_of(text, &links))))
                }
                _ => doc.blocks.push(Block::Paragraph(markdown_of(text, &links))),
            }
        }
        for at in &p.pictures {
            if let Some((ext, bytes)) = data.as_deref().and_then(|d| picture(d, *at)) {
                let name = format!("image-{}.{ext}", doc.assets.len() + 1);
                doc.assets.push(Asset { name: name.clone(), bytes: bytes.to_vec() });
                doc.blocks.push(Block::Figure { file: name, alt: String::new(), caption: None });
            }
        }
    }
    flush_table(&mut rows, &mut doc);
    let colophon = super::docx::drop_colophon(&mut doc.blocks);
    doc.meta = super::docx::structure_hints(&doc.blocks);
    doc.meta.extend(colophon);
    // The footnotes' and endnotes' stories: each note begins with its mark.
    let mut texts: Vec<String> = Vec::new();
    for p in note_paragraphs.into_iter().chain(endnote_paragraphs) {
        let t = p.text.trim();
        if let Some(rest) = t.strip_prefix(NOTE_OPEN) {
            let rest = rest.split_once(NOTE_CLOSE).map_or(rest, |(_, r)| r);
            texts.push(rest.trim().to_string());
        } else if let Some(last) = texts.last_mut().filter(|_| !t.is_empty()) {
            last.push(' ');
            last.push_str(t);
        }
    }
    for (k, text) in texts.iter().enumerate() {
        doc.blocks.push(Block::Paragraph(format!("[^{}]: {}", k + 1, markdown_of(text, &links))));
    }
    if doc.blocks.is_empty() {
        return Err(t!("import.msdoc.no_text").into_owned());
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::doc::testing::{fixture, read_damaged};
    use std::io::Write;

    /// A compound file with the given streams, as another program would write it.
    fn compound(streams: &[(&str, &[u8])]) -> Vec<u8> {
        let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
        for (name, bytes) in streams {
            file.create_stream(name).unwrap().write_all(bytes).unwrap();
        }
        file.flush().unwrap();
        file.into_inner().into_inner()
    }

    #[test]
    fn reads_paragraphs_headings_tables_fields_and_notes() {
        let doc = read(&fixture("doc_district_speech.doc")).unwrap();
        let headings: Vec<_> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { level, text } => Some((*level, text.as_str())),
                _ => None,
            })
            .collect();
        assert_eq!(headings, [(2, "一、上半年工作回顾"), (2, "二、下一阶段重点任务")]);
        let table = doc.blocks.iter().find_map(|b| if let Block::Table(t) = b { Some(t) } else { None }).unwrap();
        assert_eq!(table.len(), 3, "{table:?}");
        assert_eq!(table[2], ["西山街道", "", "980 （含上门服务）"], "an empty cell stays, two paragraphs join");
        let text: Vec<String> = doc
            .blocks
            .iter()
            .filter_map(|b| if let Block::Paragraph(p) = b { Some(p.clone()) } else { None })
            .collect();
        assert!(text.iter().any(|p| p.ends_with("百分之八十五[^1]。")), "{text:?}");
        assert_eq!(text.last().map(String::as_str), Some("[^1]: 数据来源于区民政局六月统计报表。"));
        assert!(
            text.iter().any(|p| p
                == "（二）完善服务评估机制。详见[区级评估办法](https://mz.example.gov.cn/pg/2023.html)，各街道要对照执行。"),
            "a hyperlink field is a link: {text:?}"
        );
        assert!(!text.iter().any(|p| p.contains("HYPERLINK") || p.contains("文件汇编")), "{text:?}");
    }

    #[test]
    fn other_compound_files_are_named() {
        let sheet = compound(&[("/Workbook", b"\x09\x08")]);
        assert!(read(&sheet).unwrap_err().contains("spreadsheet"));
        let slides = compound(&[("/PowerPoint Document", b"\0")]);
        assert!(read(&slides).unwrap_err().contains("presentation"));
        let locked = compound(&[("/EncryptionInfo", b"\x04\0"), ("/EncryptedPackage", b"\0\0")]);
        assert!(read(&locked).unwrap_err().contains("password"));
        let other = compound(&[("/Contents", b"x")]);
        assert!(read(&other).unwrap_err().contains("not a Word document"));
        // A Word file whose FIB says it is encrypted (Word 97's own password protection).
        let mut word = fixture("doc_district_speech.doc");
        let mut file = cfb::CompoundFile::open(std::io::Cursor::new(&mut word)).unwrap();
        let mut stream = Vec::new();
        file.open_stream("/WordDocument").unwrap().read_to_end(&mut stream).unwrap();
        stream[0x0B] |= 0x01;
        let mut s = file.open_stream("/WordDocument").unwrap();
        s.write_all(&stream).unwrap();
        drop(s);
        file.flush().unwrap();
        drop(file);
        assert!(read(&word).unwrap_err().contains("password"));
    }

    #[test]
    fn a_cut_or_damaged_file_is_an_error_never_a_panic() {
        let bytes = fixture("doc_district_speech.doc");
        assert!(read(&bytes[..bytes.len() / 2]).is_err(), "half a file");
        read_damaged(&bytes, 97, 13, |b| {
            let _ = read(b);
        });
    }
}
