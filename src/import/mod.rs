//! `zhiku import`: raw text as it comes from the web becomes a Markdown draft with front matter,
//! and a report of everything that was removed or detected. General rules, not a list of the
//! seeds' strings: encodings, site chrome, truncation notices, pinyin glosses, half-width
//! punctuation in Chinese, outline numbering, masked names.

pub mod doc;
pub mod docx;
pub mod pdf;

use crate::config::Config;
use crate::content::{CONTENT_DIR, PageType};
use crate::fold::{fold, is_han};
use crate::slug::slugify;
use crate::{Error, Result, fsx};
use regex::Regex;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The visible mark left where the source was cut off.
pub const TRUNCATION: &str = "*（原文此处有删节）*";

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
    pub encoding: &'static str,
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

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid pattern"))
}

macro_rules! regex {
    ($p:expr) => {{
        static CELL: OnceLock<Regex> = OnceLock::new();
        re(&CELL, $p)
    }};
}

/// Removes pinyin glosses after Han characters: `關(guān)` → `關`.
pub fn strip_pinyin_glosses(text: &str) -> (String, usize) {
    let r = regex!(r"(\p{Han})[(（]([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7})[)）]");
    let mut count = 0;
    let out = r
        .replace_all(text, |c: &regex::Captures| {
            count += 1;
            c[1].to_string()
        })
        .into_owned();
    (out, count)
}

fn is_chinese_context(c: char) -> bool {
    is_han(c) || "，。、；：？！“”‘’《》（）【】…—".contains(c)
}

/// Half-width `,:;?!()` next to Chinese text become full-width; numbers, URLs and Latin keep theirs.
pub fn normalize_punctuation(line: &str) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut count = 0;
    let mut open_converted = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev = if i > 0 { chars[i - 1] } else { ' ' };
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        let converted = match c {
            ',' | ';' | '?' | '!' if is_chinese_context(prev) => Some(match c {
                ',' => '，',
                ';' => '；',
                '?' => '？',
                _ => '！',
            }),
            ':' if is_chinese_context(prev) && !(next == '/' || prev.is_ascii_alphanumeric()) => Some('：'),
            '(' => {
                let chinese = is_chinese_context(prev) || is_chinese_context(next);
                open_converted.push(chinese);
                chinese.then_some('（')
            }
            ')' => {
                let opened = open_converted.pop().unwrap_or(false);
                (opened || is_chinese_context(prev)).then_some('）')
            }
            _ => None,
        };
        match converted {
            Some(f) => {
                out.push(f);
                count += 1;
            }
            None => out.push(c),
        }
    }
    (out, count)
}

/// Escapes what Markdown would read as markup in running text: masked names `_`, `*`, `**`.
fn escape_markdown(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[derive(Debug, PartialEq)]
enum Line {
    Chrome(&'static str),
    Truncation { keep: String },
    Outline,
    Text,
}

/// Classifies a line of raw text.
fn classify(line: &str) -> Line {
    let t = line.trim();
    let truncation = regex!(
        r"(……)?\s*[（(]?[^（(]*?(此处)?省略\s*\d+\s*字.*$|……\s*[（(]未完.*$|预览结束.*$|全文共\s*\d+\s*字.*当前.*$|还剩\s*\d+\s*字.*$"
    );
    if let Some(m) = truncation.find(t) {
        return Line::Truncation { keep: t[..m.start()].trim_end().to_string() };
    }
    let chrome: [(&'static str, &Regex); 6] = [
        (
            "download or promotion",
            regex!(
                r"^(下载全文|点击下载|下载此文档|收藏《|本文\d*$|相关文章|相关阅读|热点新闻|分享到|扫一扫|点击(查看|阅读|关注)|到.{1,12}首页$)"
            ),
        ),
        (
            "copyright or licence",
            regex!(
                r"(?i)copyright|版权所有|版權|all rights reserved|ICP|增值电信|增值電信|营业执照|營業執照|许可证|許可證|关于我们|關于我們|關於我們|合作咨询|合作諮詢"
            ),
        ),
        ("reprint notice", regex!(r"如若转载|转载请注明|轉載請註明|未经.{0,6}(同意|许可|授权)不得|未經.{0,6}不得")),
        (
            "editor or reading count",
            regex!(r"^(责任编辑|責任編輯|编辑|審核|审核|校对)\s*[:：]|阅读\s*[:：]\s*[\d.]+万?$|閱讀\s*[:：]"),
        ),
        ("bare link", regex!(r"^(https?://|www\.)\S+$")),
        ("publication line", regex!(r"^发布时间\s*[:：]|^《\s*[^》]+\s*》\s*[（(]\s*\d{4}年")),
    ];
    if regex!(r"^(目录|提纲|目錄)\s*[/／]?\s*(提纲|目录)?\s*[:：]|^【提纲】|^【目录】").is_match(t)
    {
        return Line::Outline;
    }
    // Chrome is short and never a sentence: a line of running text is kept whatever it mentions.
    if t.contains('。') || t.chars().count() > 80 {
        return Line::Text;
    }
    for (why, r) in chrome {
        if r.is_match(t) {
            return Line::Chrome(why);
        }
    }
    Line::Text
}

fn find_date(text: &str) -> Option<String> {
    let patterns = [
        r"发布时间\s*[:：]\s*(\d{4})[/\-年.](\d{1,2})[/\-月.](\d{1,2})",
        r"[（(]\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*\d*\s*版\s*[)）]",
        r"(?m)^\s*(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})\s+\d{1,2}:\d{2}",
        r"(\d{4})[/\-](\d{1,2})[/\-](\d{1,2})",
    ];
    for p in patterns {
        if let Some(c) = Regex::new(p).ok()?.captures(text) {
            let date = format!("{}-{:0>2}-{:0>2}", &c[1], &c[2], &c[3]);
            if crate::content::Date::parse(&date).is_some() {
                return Some(date);
            }
        }
    }
    None
}

fn find_source(text: &str) -> Option<String> {
    if let Some(c) = regex!(r"来源\s*[:：]\s*([^\s　]+)").captures(text) {
        return Some(c[1].to_string());
    }
    if let Some(c) = regex!(r"《\s*([^》]+?)\s*》\s*[（(]\s*\d{4}年").captures(text) {
        return Some(c[1].to_string());
    }
    None
}

const PROVINCES: &str = "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|内蒙古|广西|西藏|宁夏|新疆|香港|澳门|台湾";

/// A place name such as 山西省太原市迎泽区: a province (from the list) with its city and
/// district, or a city with its district.
fn find_region(text: &str) -> Option<String> {
    static WITH_PROVINCE: OnceLock<Regex> = OnceLock::new();
    let with_province = WITH_PROVINCE.get_or_init(|| {
        Regex::new(&format!(r"(?:{PROVINCES})(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)(?:\p{{Han}}{{2,4}}?(?:市|州|盟|地区))?(?:\p{{Han}}{{1,3}}?(?:区|县|市|旗))?"))
            .expect("valid pattern")
    });
    let city_district = regex!(r"(\p{Han}{2,3}市)(\p{Han}{1,3}?(?:区|县))");
    let bad = |s: &str| ["全", "我", "各", "本", "城市", "之", "的", "该"].iter().any(|w| s.contains(w));
    with_province
        .find_iter(text)
        .map(|m| m.as_str().to_string())
        .chain(city_district.captures_iter(text).filter_map(|c| {
            let (city, district) = (c.get(1)?.as_str(), c.get(2)?.as_str());
            (!bad(city) && !bad(district)).then(|| format!("{city}{district}"))
        }))
        .max_by_key(|s| s.chars().count())
}

/// Heading level for a line that starts with outline numbering, and the heading text;
/// a lead sentence (`（一）强化理论武装，坚定理想信念。正文…`) is split from its paragraph.
fn outline_heading(line: &str) -> Option<(usize, String, Option<String>)> {
    let levels: [(usize, &Regex); 4] = [
        (2, regex!(r"^[一二三四五六七八九十]+、")),
        (3, regex!(r"^[（(][一二三四五六七八九十]+[)）]")),
        (3, regex!(r"^[一二三四五六七八九十]要")),
        (4, regex!(r"^(第[一二三四五六七八九十]+[，,、]|[一二三四五六七八九十]是)")),
    ];
    for (level, r) in levels {
        if r.is_match(line) {
            let (head, rest) = match line.find('。') {
                Some(i) if line[..i].chars().count() <= 40 => (&line[..i], line[i + '。'.len_utf8()..].trim()),
                _ if line.chars().count() <= 40 => (line, ""),
                _ => return None,
            };
            let rest = (!rest.is_empty()).then(|| rest.to_string());
            return Some((level, head.trim_end_matches(['。', '：', ':']).to_string(), rest));
        }
    }
    None
}

/// A short line standing alone between blank lines, with no sentence punctuation: a section title
/// such as `聚焦政治引领 首任首责“领航定向”`.
fn is_section_title(l: &str) -> bool {
    let n = l.chars().count();
    (4..=30).contains(&n)
        && l != TRUNCATION
        && !l.contains(['。', '，', ',', '；', '！', '？'])
        && !l.ends_with(['：', ':', '…'])
        && l.chars().any(is_han)
}

fn ends_sentence(s: &str) -> bool {
    s.trim_end().ends_with(['。', '！', '？', '”', '：', ':', '；', '）', ')', '…', '」', '!', '?'])
}

/// Turns raw text into a draft. `topics` are the site's topic titles with their aliases.
pub fn import_text(raw: &str, topics: &[(String, Vec<String>)]) -> Draft {
    let mut d = Draft::default();
    let text: String = raw
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| {
            !matches!(c, '\u{200B}'..='\u{200D}' | '\u{FEFF}' | '\u{2060}')
                && (c == '\n' || c == '\t' || !c.is_control())
        })
        .map(|c| if matches!(c, '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\t') { ' ' } else { c })
        .collect();
    let (text, glosses) = strip_pinyin_glosses(&text);
    d.changes.push(("pinyin glosses removed", glosses));
    d.date = find_date(&text);
    d.source = find_source(&text);
    d.source_url =
        regex!(r"(?:如若转载|转载|出处|来源)[^\n]*?(https?://[^\s，。）)]+)").captures(&text).map(|c| c[1].to_string());

    // Lines: drop chrome and outline blocks, mark truncations.
    let mut lines: Vec<String> = Vec::new();
    let mut in_outline = false;
    let mut truncations = 0;
    for raw_line in text.lines() {
        let line = raw_line.trim().trim_matches('\u{3000}').to_string();
        if line.is_empty() {
            if !in_outline {
                lines.push(String::new());
            }
            continue;
        }
        if in_outline {
            let ends = line == "……" || line == "...";
            d.removed.push(("outline block (the page gets a table of contents)", line.clone()));
            if ends {
                in_outline = false;
            }
            continue;
        }
        match classify(&line) {
            Line::Chrome(why) => d.removed.push((why, line)),
            Line::Outline => {
                d.removed.push(("outline block (the page gets a table of contents)", line.clone()));
                in_outline = line.ends_with("……") || line.ends_with(':') || line.ends_with('：');
            }
            Line::Truncation { keep } => {
                d.removed.push(("truncation or preview notice", line[keep.len()..].trim().to_string()));
                if !keep.is_empty() {
                    lines.push(keep);
                }
                lines.push(TRUNCATION.to_string());
                truncations += 1;
            }
            Line::Text => lines.push(line),
        }
    }

    // Title: the first short line without a full stop; a `——` splits off a subtitle; a
    // `角色姓名:标题` byline gives the speaker. Later repeats of the title are dropped.
    let title_at = lines.iter().position(|l| {
        let n = l.chars().count();
        !l.is_empty()
            && l != TRUNCATION
            && n <= 80
            && !l.contains('。')
            && outline_heading(l).is_none()
            && !l.ends_with([':', '：'])
    });
    if let Some(i) = title_at {
        let line = lines[i].clone();
        let (mut title, subtitle) = match line.split_once("——") {
            Some((t, s)) => (t.trim().to_string(), Some(s.trim().to_string())),
            None => (line.clone(), None),
        };
        if let Some((who, rest)) =
            title.split_once([':', '：']).filter(|(w, r)| w.chars().count() >= 4 && !r.is_empty())
        {
            d.speaker = Some(who.trim().to_string());
            title = rest.trim().to_string();
        }
        let role = regex!(r"^(.*?(部长|书记|主任|局长|区长|市长|县长|主席|同志))");
        if let Some(c) = subtitle.as_deref().and_then(|s| role.captures(s)) {
            d.speaker = Some(c[1].to_string());
        }
        d.removed.push(("title (moved to front matter)", line.clone()));
        lines.remove(i);
        let (title, _) = normalize_punctuation(&title);
        lines.retain(|l| *l != title && *l != line);
        d.title = title;
        d.subtitle = subtitle;
    }
    // Short site-name lines at the end (社区文化网).
    while let Some(last) = lines.iter().rposition(|l| !l.is_empty()) {
        let l = &lines[last];
        if l.chars().count() <= 12 && !ends_sentence(l) && regex!(r"(网|網|站|文库|文庫|报|報|号|號)$").is_match(l)
        {
            d.removed.push(("site name", l.clone()));
            lines.remove(last);
        } else {
            break;
        }
    }

    // A byline in brackets at the very end: （杨会明）.
    let byline = regex!(r"[（(]\s*(\p{Han}{2,4})\s*[)）]\s*$");
    let last = lines.iter_mut().rev().find(|l| !l.is_empty());
    let found = last.and_then(|l| {
        let (start, whole, name) = {
            let c = byline.captures(l)?;
            (c.get(0).map_or(0, |m| m.start()), c[0].to_string(), c[1].to_string())
        };
        Some((l, start, whole, name))
    });
    if let Some((last, start, whole, name)) = found {
        d.removed.push(("byline (moved to speaker)", whole));
        last.truncate(start);
        d.speaker = Some(match d.speaker.take() {
            Some(s) if !s.contains(&name) => format!("{s} {name}"),
            Some(s) => s,
            None => name,
        });
    }
    // Join lines broken in the middle of a sentence, then build paragraphs and headings.
    let mut paragraphs: Vec<String> = Vec::new();
    let mut open = false;
    let standalone: Vec<bool> = (0..lines.len())
        .map(|i| {
            let l = &lines[i];
            let blank_around = (i == 0 || lines[i - 1].is_empty()) && lines.get(i + 1).is_none_or(|n| n.is_empty());
            blank_around && is_section_title(l)
        })
        .collect();
    let mut section_titles = Vec::new();
    for (i, l) in lines.into_iter().enumerate() {
        if l.is_empty() {
            open = false;
            continue;
        }
        if standalone[i] {
            section_titles.push(paragraphs.len());
            paragraphs.push(l);
            open = false;
            continue;
        }
        if l == TRUNCATION {
            // An ellipsis just before a cut belongs to the site's notice, not to the text.
            if let Some(p) = paragraphs.last_mut() {
                let kept = p.trim_end_matches(['…', '.', ' ', '\u{3000}']).len();
                p.truncate(kept);
            }
        }
        let starts_block = l == TRUNCATION || outline_heading(&l).is_some();
        match paragraphs.last_mut() {
            Some(p)
                if open && !starts_block && p != TRUNCATION && !ends_sentence(p) && outline_heading(p).is_none() =>
            {
                p.push_str(&l)
            }
            _ => paragraphs.push(l),
        }
        open = true;
    }
    // A text that stops mid-sentence was cut off by the site, even without a notice.
    if let Some(last) = paragraphs.last() {
        let tail = match outline_heading(last) {
            Some((_, _, rest)) => rest,
            None => Some(last.clone()),
        };
        let cut = tail.is_some_and(|t| !ends_sentence(&t)) && !section_titles.contains(&(paragraphs.len() - 1));
        if last != TRUNCATION && cut {
            d.removed.push((
                "nothing: the text stops mid-sentence, marked as cut",
                last.chars().rev().take(12).collect::<Vec<_>>().into_iter().rev().collect(),
            ));
            paragraphs.push(TRUNCATION.to_string());
            truncations += 1;
        }
    }
    let mut body = String::new();
    let (mut punct, mut headings) = (0, 0);
    for (i, p) in paragraphs.into_iter().enumerate() {
        if section_titles.contains(&i) {
            headings += 1;
            body.push_str(&format!("## {}\n\n", escape_markdown(&normalize_punctuation(&p).0)));
            continue;
        }
        if p == TRUNCATION {
            body.push_str(TRUNCATION);
            body.push_str("\n\n");
            continue;
        }
        let (p, n) = normalize_punctuation(&p);
        punct += n;
        match outline_heading(&p) {
            Some((level, head, rest)) => {
                headings += 1;
                body.push_str(&format!("{} {}\n\n", "#".repeat(level), escape_markdown(&head)));
                if let Some(rest) = rest {
                    body.push_str(&escape_markdown(&rest));
                    body.push_str("\n\n");
                }
            }
            None => {
                body.push_str(&escape_markdown(&p));
                body.push_str("\n\n");
            }
        }
    }
    d.changes.push(("punctuation made full-width", punct));
    d.changes.push(("outline headings", headings));
    d.changes.push(("truncations marked", truncations));
    d.body = body.trim_end().to_string() + "\n";

    let opening: Vec<&str> =
        d.body.lines().filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('*')).take(3).collect();
    d.region = std::iter::once(d.title.as_str())
        .chain(d.speaker.as_deref())
        .chain(opening.iter().copied())
        .filter_map(find_region)
        .max_by_key(|r| r.chars().count());
    let folded = fold(&format!("{}\n{}", d.title, d.body));
    d.topics = topics
        .iter()
        .filter(|(t, aliases)| {
            std::iter::once(t).chain(aliases).any(|n| n.chars().count() >= 2 && folded.contains(&fold(n)))
        })
        .map(|(t, _)| t.clone())
        .collect();
    d.page_type = Some(detect_type(&d));
    d
}

fn detect_type(d: &Draft) -> PageType {
    let head = format!("{} {}", d.title, d.subtitle.as_deref().unwrap_or(""));
    let source = d.source.as_deref().unwrap_or("");
    if regex!(r"发言稿|發言稿|研讨|研討|心得|体会|體會|交流发言").is_match(&head) {
        PageType::Reflection
    } else if regex!(r"讲话|講話|致辞|致辭").is_match(&head) {
        PageType::Speech
    } else if regex!(r"人民日报|人民日報|评论|評論|社论|社論|时评|時評").is_match(&format!("{head} {source}"))
    {
        PageType::Commentary
    } else if regex!(r"品牌|做法|经验|經驗|案例|探索|实践|實踐|模式").is_match(&head) {
        PageType::Case
    } else {
        PageType::Page
    }
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
        if let Some(s) = &self.subtitle {
            fm.push_str(&format!("summary: {}\n", yaml_value(s)));
        }
        fm.push_str("draft: true\n---\n\n");
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
}

fn site_topics(root: &Path) -> Vec<(String, Vec<String>)> {
    let dir = root.join(CONTENT_DIR).join(crate::content::TOPICS_DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    files
        .iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(f).ok()?;
            let yaml = text.strip_prefix("---\n")?.split("\n---").next()?;
            let meta: crate::content::FrontMatter = serde_yaml::from_str(yaml).ok()?;
            Some((meta.title, meta.aliases))
        })
        .collect()
}

/// Imports files (folders: their `.txt` and `.md` files), writing drafts unless `dry_run`.
pub fn import(inputs: &[PathBuf], options: &ImportOptions) -> Result<Vec<Imported>> {
    let config = Config::load(&options.root).ok();
    let topics = site_topics(&options.root);
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(input)
                .sort_by_file_name()
                .into_iter()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .filter(|p| p.extension().is_some_and(|x| x == "txt" || x == "md" || x == "text"))
                .collect();
            files.append(&mut found);
        } else {
            files.push(input.clone());
        }
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        let bytes = fsx::read(&file)?;
        let (text, encoding) = match decode(&bytes) {
            Ok(ok) => ok,
            Err(why) => {
                errors.push(
                    crate::Diagnostic::error(&file, 0, 0, why)
                        .with_hint("import reads UTF-8, UTF-16 with a BOM, or GB18030/GBK text files"),
                );
                continue;
            }
        };
        let mut draft = import_text(&text, &topics);
        draft.encoding = encoding;
        let page_type = options.page_type.or(draft.page_type).unwrap_or(PageType::Page);
        draft.page_type = Some(page_type);
        let section = options.section.clone().unwrap_or_else(|| match page_type {
            PageType::Page => String::new(),
            t => config
                .as_ref()
                .and_then(|c| c.section_for_type(t))
                .map_or_else(|| format!("{}s", t.key()), |s| s.dir.clone()),
        });
        let base = options.out.clone().unwrap_or_else(|| options.root.join(CONTENT_DIR).join(&section));
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
        let output = base.join(format!("{slug}.md"));
        let markdown = draft.to_markdown(page_type);
        let mut written = false;
        if !options.dry_run {
            if output.exists() && !options.force {
                errors.push(
                    crate::Diagnostic::error(
                        &output,
                        0,
                        0,
                        format!("`{}` already exists; not overwriting it", output.display()),
                    )
                    .with_hint("pass --force to replace it, or --out DIR to write elsewhere"),
                );
            } else {
                fsx::write(&output, &markdown)?;
                written = true;
            }
        }
        out.push(Imported { input: file, output, report: draft.report(), written });
    }
    if !errors.is_empty() {
        return Err(Error::Content(errors));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_glosses() {
        for (input, expected) in [
            ("事關(guān)黨", "事關黨"),
            ("新時(shí)代", "新時代"),
            ("社區(qū)(村)", "社區(村)"),
            ("G20(summit)", "G20(summit)"),
            ("關（guān）", "關"),
        ] {
            assert_eq!(strip_pinyin_glosses(input).0, expected, "{input}");
        }
    }

    #[test]
    fn punctuation() {
        for (input, expected) in [
            ("提高政治站位,深刻认识", "提高政治站位，深刻认识"),
            ("同志们:", "同志们："),
            ("(一)深刻认识", "（一）深刻认识"),
            ("社区(村)", "社区（村）"),
            ("1,200余起", "1,200余起"),
            ("见 http://www.example.org:8080/a", "见 http://www.example.org:8080/a"),
            ("Hello, world", "Hello, world"),
            ("怎么办?", "怎么办？"),
        ] {
            assert_eq!(normalize_punctuation(input).0, expected, "{input}");
        }
    }

    #[test]
    fn chrome_lines() {
        for (line, kind) in [
            ("Copyright ? 2001-2024 某某网络科技股份有限公司 All Rights Reserved", "copyright or licence"),
            ("如若转载,请注明出处:https://www.example.com/1.html", "reprint notice"),
            ("责任编辑:刘某", "editor or reading count"),
            ("下载此文档(WORD版)", "download or promotion"),
            ("到某某文库首页", "download or promotion"),
            ("京ICP备12345678号", "copyright or licence"),
        ] {
            assert_eq!(classify(line), Line::Chrome(kind), "{line}");
        }
        assert_eq!(
            classify("二是构建格局。“独角戏”, ……(未完,全文共7175字,当前仅显示3307字)"),
            Line::Truncation { keep: "二是构建格局。“独角戏”,".into() }
        );
        assert!(matches!(
            classify("……(新文秘网http://www.wm114.cn省略1177字,正式会员可完整阅读)……"),
            Line::Truncation { .. }
        ));
        assert_eq!(classify("社会工作是党和国家工作的重要组成部分。"), Line::Text);
        assert_eq!(
            classify("推行“证照分离”，办理营业执照和许可证的时间缩短一半。"),
            Line::Text,
            "sentences are never chrome"
        );
    }

    #[test]
    fn dates() {
        for (text, date) in [
            ("发布时间:2025/10/11 18:09:18 字数:3505", "2025-10-11"),
            ("2024/10/12 11:36 来源:中国社区报", "2024-10-12"),
            ("《 人民日報 》( 2024年11月07日 01 版)", "2024-11-07"),
        ] {
            assert_eq!(find_date(text).as_deref(), Some(date), "{text}");
        }
    }

    #[test]
    fn headings_and_leads() {
        assert_eq!(outline_heading("一、提高政治站位"), Some((2, "一、提高政治站位".into(), None)));
        assert_eq!(
            outline_heading("(一)强化理论武装,坚定理想信念。习近平总书记强调。"),
            Some((3, "(一)强化理论武装,坚定理想信念".into(), Some("习近平总书记强调。".into())))
        );
        assert_eq!(
            outline_heading("一要聚焦兜底保障。要始终把…"),
            Some((3, "一要聚焦兜底保障".into(), Some("要始终把…".into())))
        );
        assert_eq!(outline_heading("一些人认为"), None);
    }

    #[test]
    fn decoding() {
        let (gbk, _, _) = encoding_rs::GBK.encode("社会工作，楓橋經驗");
        assert_eq!(decode(&gbk).unwrap(), ("社会工作，楓橋經驗".to_string(), "GB18030"));
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "社会".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&utf16).unwrap().0, "社会");
        assert!(decode(b"\x89PNG\r\n\x1a\n\0\0").unwrap_err().contains("offset 8"));
        assert!(decode(&[0xE4, 0xB8, 0xAD, 0xFF, 0xFF, 0xFF]).unwrap_err().contains("offset 3"));
    }

    #[test]
    fn a_raw_case_becomes_a_draft() {
        let raw = "热点新闻\n\n某市某区委社会工作部部长张三:打造社会工作品牌\n\n2024/10/12 11:36 来源:中国社区报    阅读:1.3万\n\n山西省太原市迎泽区委社会工作部深入学习,探索\"三聚焦\"模式。\n\n  聚焦政治引领 首任首责\n\n以政治立部。推进新就业_群体工作,**镇参与。(张三)\n\n责任编辑:李四\n\n社区文化网\n";
        let d = import_text(raw, &[("志愿服务".into(), vec![]), ("新就业群体".into(), vec![])]);
        assert_eq!(d.title, "打造社会工作品牌");
        assert_eq!(d.speaker.as_deref(), Some("某市某区委社会工作部部长张三"));
        assert_eq!(d.date.as_deref(), Some("2024-10-12"));
        assert_eq!(d.source.as_deref(), Some("中国社区报"));
        assert_eq!(d.region.as_deref(), Some("山西省太原市迎泽区"));
        assert_eq!(d.page_type, Some(PageType::Case));
        assert!(d.body.contains("推进新就业\\_群体工作，\\*\\*镇参与。"), "{}", d.body);
        for chrome in ["热点新闻", "阅读", "责任编辑", "社区文化网", "（张三）"] {
            assert!(!d.body.contains(chrome), "{chrome} left in {}", d.body);
        }
    }
}
