//! The web-archive reader (`.mhtml` from Chrome and Edge's "网页，单个文件", `.mht` from IE): a
//! MIME multipart message whose main part is the page and whose other parts are its pictures.
//! The page goes to the saved-page reader as it is; its pictures are found by their address
//! (`Content-Location`) or `cid:`; the archive's `Snapshot-Content-Location` is the page's
//! address. One pass over the file: parts are cut at the boundary lines, then decoded one by one.

use super::doc::{Document, MetaHint, MetaKey};
use super::html;
use rust_i18n::t;
use std::collections::HashMap;

/// Largest picture kept from an archive (a curator's article has none larger).
const MAX_PICTURE: usize = 20 << 20;
/// Most parts read from one archive (a page has tens, a few hundred at most).
const MAX_PARTS: usize = 5_000;

/// One MIME part: its headers (names in lower case, folded lines joined) and raw body.
struct Part<'a> {
    headers: Vec<(String, String)>,
    body: &'a [u8],
}

impl Part<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The media type of `Content-Type`, lower case (`text/html`).
    fn media_type(&self) -> String {
        self.header("content-type").unwrap_or("text/plain").split(';').next().unwrap_or("").trim().to_ascii_lowercase()
    }

    /// The body with its `Content-Transfer-Encoding` undone.
    fn decoded(&self) -> Result<Vec<u8>, String> {
        let encoding = self.header("content-transfer-encoding").unwrap_or("7bit").trim().to_ascii_lowercase();
        match encoding.as_str() {
            "base64" => std::str::from_utf8(self.body)
                .ok()
                .and_then(html::base64_decode)
                .ok_or_else(|| t!("import.mhtml.bad_base64").into_owned()),
            "quoted-printable" => Ok(quoted_printable(self.body)),
            _ => Ok(self.body.to_vec()),
        }
    }
}

/// A parameter of a header value (`boundary="----=_Part"`, `charset=gbk`), without quotes.
fn parameter<'v>(value: &'v str, name: &str) -> Option<&'v str> {
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim().trim_matches('"').trim())
    })
}

/// Splits a header block from its body at the first empty line; headers folded over several
/// lines are joined.
fn split_headers(bytes: &[u8]) -> (Vec<(String, String)>, &[u8]) {
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let end = bytes[at..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |p| at + p);
        let line = String::from_utf8_lossy(&bytes[at..end]);
        let line = line.trim_end_matches('\r');
        at = (end + 1).min(bytes.len());
        if line.is_empty() {
            return (headers, &bytes[at..]);
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = headers.last_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    (headers, &bytes[bytes.len()..])
}

/// Undoes quoted-printable: `=XX` bytes and `=` soft line breaks; a stray `=` is kept.
fn quoted_printable(body: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if b != b'=' {
            out.push(b);
            i += 1;
            continue;
        }
        match body.get(i + 1..i + 3) {
            Some([b'\r', b'\n']) => i += 3,
            Some([b'\n', _]) => i += 2,
            None if body.get(i + 1) == Some(&b'\n') => i += 2,
            Some(&[h, l]) if hex(h).is_some() && hex(l).is_some() => {
                out.push(hex(h).unwrap_or(0) << 4 | hex(l).unwrap_or(0));
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// The parts of a multipart body, cut at its `--boundary` lines (one pass).
fn parts<'a>(body: &'a [u8], boundary: &str) -> Result<Vec<Part<'a>>, String> {
    let delimiter = format!("--{boundary}");
    let finder = aho_corasick::AhoCorasick::new([delimiter.as_bytes()]).map_err(|e| e.to_string())?;
    // Delimiters at the start of a line only.
    let starts: Vec<usize> = finder
        .find_iter(body)
        .map(|m| m.start())
        .filter(|&s| s == 0 || body[s - 1] == b'\n')
        .take(MAX_PARTS + 1)
        .collect();
    if starts.len() > MAX_PARTS {
        return Err(t!("import.mhtml.too_many_parts", max = MAX_PARTS).into_owned());
    }
    let mut parts = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let after = start + delimiter.len();
        if body[after..].starts_with(b"--") {
            break;
        }
        // The rest of the delimiter line (transport padding) is not the part's.
        let Some(line_end) = body[after..].iter().position(|&b| b == b'\n') else { break };
        let from = after + line_end + 1;
        let mut to = starts.get(k + 1).copied().unwrap_or(body.len()).max(from);
        // The line break before the next delimiter belongs to it.
        if to > from && body[to - 1] == b'\n' && k + 1 < starts.len() {
            to -= 1;
            if to > from && body[to - 1] == b'\r' {
                to -= 1;
            }
        }
        let (headers, part_body) = split_headers(&body[from..to]);
        parts.push(Part { headers, body: part_body });
    }
    Ok(parts)
}

/// The file extension of a picture's bytes, if they are a PNG, JPEG, GIF or WebP.
fn picture_ext(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0x89, b'P', b'N', b'G', ..] => Some("png"),
        [0xFF, 0xD8, 0xFF, ..] => Some("jpg"),
        [b'G', b'I', b'F', b'8', ..] => Some("gif"),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some("webp"),
        _ => None,
    }
}

/// `reference` made absolute against `base` (an `http(s)://` address): what a browser does to a
/// page's `src`, enough for the addresses an archive names its parts by.
fn resolve(base: &str, reference: &str) -> String {
    let reference = reference.trim();
    if reference.contains("://") || reference.starts_with("cid:") || reference.starts_with("data:") {
        return reference.to_string();
    }
    let Some((scheme, rest)) = base.split_once("://") else { return reference.to_string() };
    let host_end = rest.find('/').unwrap_or(rest.len());
    let (host, path) = rest.split_at(host_end);
    if let Some(r) = reference.strip_prefix("//") {
        return format!("{scheme}://{r}");
    }
    if reference.starts_with('/') {
        return format!("{scheme}://{host}{reference}");
    }
    let path = path.split(['?', '#']).next().unwrap_or("");
    let mut segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if !path.ends_with('/') {
        segments.pop();
    }
    for s in reference.split('/') {
        match s {
            "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    format!("{scheme}://{host}/{}", segments.join("/"))
}

/// A picture's file name from its address: the last path segment, made unique by the part's
/// number when two pictures share it.
fn picture_file_name(location: &str, n: usize, ext: &str, taken: &mut std::collections::HashSet<String>) -> String {
    let last = location.split(['?', '#']).next().unwrap_or("").rsplit('/').next().unwrap_or("");
    let stem = last.rsplit_once('.').map_or(last, |(s, _)| s);
    let stem = if stem.is_empty() || stem.starts_with("cid:") { format!("image-{n}") } else { stem.to_string() };
    let mut name = format!("{stem}.{ext}");
    if !taken.insert(name.clone()) {
        name = format!("{stem}-{n}.{ext}");
        taken.insert(name.clone());
    }
    name
}

/// Reads a web archive.
pub fn read(bytes: &[u8]) -> Result<Document, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let (headers, body) = split_headers(bytes);
    let top = Part { headers, body };
    let content_type = top.header("content-type").unwrap_or("").to_string();
    if top.headers.is_empty() || content_type.is_empty() {
        return Err(t!("import.mhtml.not_mhtml").into_owned());
    }
    let snapshot = top
        .header("snapshot-content-location")
        .or_else(|| top.header("content-location"))
        .map(str::trim)
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .map(str::to_string);
    let parts = if top.media_type().starts_with("multipart/") {
        let boundary =
            parameter(&content_type, "boundary").ok_or_else(|| t!("import.mhtml.no_boundary").into_owned())?;
        parts(body, boundary)?
    } else {
        vec![top]
    };
    // The page: the part `start=` names, else the first HTML part.
    let start = parameter(&content_type, "start").map(|s| s.trim_matches(['<', '>']).to_string());
    let is_start = |p: &Part| {
        start.as_deref().is_some_and(|s| p.header("content-id").is_some_and(|id| id.trim_matches(['<', '>', ' ']) == s))
    };
    let main = parts
        .iter()
        .position(is_start)
        .or_else(|| parts.iter().position(|p| p.media_type() == "text/html"))
        .ok_or_else(|| t!("import.mhtml.no_page").into_owned())?;
    let page = &parts[main];
    let page_bytes = page.decoded()?;
    // The part's charset first (what the archive says it wrote), else the page's own `<meta>`;
    // the text goes on as UTF-8 with a BOM, which the page reader takes over any `<meta>`.
    let declared = page
        .header("content-type")
        .and_then(|c| parameter(c, "charset"))
        .and_then(|c| encoding_rs::Encoding::for_label(c.as_bytes()))
        .map(|e| if e == encoding_rs::GBK { encoding_rs::GB18030 } else { e });
    let text = match declared {
        Some(enc) => enc.decode_with_bom_removal(&page_bytes).0.into_owned(),
        None => html::decode(&page_bytes).0,
    };
    let mut utf8 = Vec::with_capacity(text.len() + 3);
    utf8.extend_from_slice(b"\xEF\xBB\xBF");
    utf8.extend_from_slice(text.as_bytes());
    drop(page_bytes);
    let page_location = page.header("content-location").map(str::trim).map(str::to_string);
    let base = page_location.clone().or_else(|| snapshot.clone()).unwrap_or_default();
    // The pictures by every name the page may use: their address and `cid:`.
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for (k, p) in parts.iter().enumerate() {
        if k == main || !p.media_type().starts_with("image/") {
            continue;
        }
        if let Some(l) = p.header("content-location") {
            by_name.entry(l.trim().to_string()).or_insert(k);
        }
        if let Some(id) = p.header("content-id") {
            by_name.entry(format!("cid:{}", id.trim().trim_matches(['<', '>']))).or_insert(k);
        }
    }
    let taken = std::cell::RefCell::new(std::collections::HashSet::new());
    let named = std::cell::RefCell::new(HashMap::<usize, String>::new());
    let find = |src: &str| -> Option<(String, Vec<u8>)> {
        let k = *by_name.get(src.trim()).or_else(|| by_name.get(&resolve(&base, src)))?;
        let part = &parts[k];
        let bytes = part.decoded().ok().filter(|b| b.len() <= MAX_PICTURE)?;
        let ext = picture_ext(&bytes)?;
        let mut named = named.borrow_mut();
        let name = named
            .entry(k)
            .or_insert_with(|| {
                picture_file_name(part.header("content-location").unwrap_or(""), k, ext, &mut taken.borrow_mut())
            })
            .clone();
        Some((name, bytes))
    };
    let mut doc = html::read_archived(&utf8, None, Some(&find))?;
    if let Some(url) = snapshot.or(page_location.filter(|u| u.starts_with("http://") || u.starts_with("https://"))) {
        doc.meta.push(MetaHint { key: MetaKey::SourceUrl, value: url, origin: "saved from" });
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_printable_undoes_soft_breaks_and_escapes() {
        assert_eq!(quoted_printable(b"a=3Db=\r\nc=E4=B8=AD\r\n"), "a=bc中\r\n".as_bytes());
        assert_eq!(quoted_printable(b"x=\ny =zz"), b"xy =zz");
    }

    #[test]
    fn relative_addresses_resolve_against_the_page() {
        let base = "https://www.example.cn/news/2024/a.html?x=1";
        assert_eq!(resolve(base, "img/p.jpg"), "https://www.example.cn/news/2024/img/p.jpg");
        assert_eq!(resolve(base, "../p.jpg"), "https://www.example.cn/news/p.jpg");
        assert_eq!(resolve(base, "/p.jpg"), "https://www.example.cn/p.jpg");
        assert_eq!(resolve(base, "//cdn.example.cn/p.jpg"), "https://cdn.example.cn/p.jpg");
        assert_eq!(resolve(base, "cid:abc@x"), "cid:abc@x");
    }

    #[test]
    fn folded_headers_are_joined() {
        let (h, body) =
            split_headers(b"Content-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n boundary=\"b1\"\r\n\r\nbody");
        assert_eq!(parameter(&h[0].1, "boundary"), Some("b1"));
        assert_eq!(body, b"body");
    }
}

#[cfg(test)]
mod damage {
    use super::*;
    use crate::import::doc::testing::{fixture, read_damaged};

    #[test]
    fn a_malformed_archive_is_an_error_and_a_damaged_one_never_panics() {
        assert!(read(b"<html><body>not an archive</body></html>").is_err());
        let no_boundary = b"MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\nbody";
        assert!(read(no_boundary).unwrap_err().contains("boundary"));
        let no_page = b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: image/png\r\n\r\nxx\r\n--b--\r\n";
        assert!(read(no_page).unwrap_err().contains("no web page"));
        for name in ["mhtml_gbk_street_news.mhtml", "mhtml_ie_utf8_diary.mht"] {
            let bytes = fixture(name);
            read_damaged(&bytes, 53, 29, |b| {
                let _ = read(b);
            });
        }
    }
}
