//! What content may put into a page or a terminal: URLs with safe schemes only, no control
//! characters. Content is untrusted (pasted from the web); these checks run on every page,
//! whether or not it holds raw HTML.

use rust_i18n::t;
use std::borrow::Cow;

/// Schemes a link or picture from content may use; anything else (`javascript:`, `data:`,
/// `vbscript:`, `file:` …) could run script or read the reader's disk.
pub const SAFE_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// Why a URL from content is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnsafeUrl {
    /// A scheme other than [`SAFE_SCHEMES`], lowercased (`javascript`).
    Scheme(String),
    /// `//host/…` (or with backslashes): another site, with whatever scheme the page has.
    ProtocolRelative,
    /// An invisible control character, which browsers drop or mangle (`java\tscript:`).
    Control(char),
}

impl UnsafeUrl {
    /// What is wrong, for a message that quotes the URL before it.
    pub fn reason(&self) -> String {
        match self {
            UnsafeUrl::Scheme(s) => t!("safety.scheme", scheme = s).into_owned(),
            UnsafeUrl::ProtocolRelative => t!("safety.protocol_relative").into_owned(),
            UnsafeUrl::Control(c) => t!("safety.control", name = char_name(*c)).into_owned(),
        }
    }
}

/// Checks a URL as a browser would read it: control characters anywhere, the scheme after
/// leading spaces, case folded, also once percent-decoded (`%6Aavascript:`). A URL without a
/// scheme is relative to the page, which is safe. Entities (`&#106;`, `&colon;`) are decoded
/// by the Markdown parser and the HTML sanitizer before the URL gets here.
pub fn check_url(url: &str) -> Result<(), UnsafeUrl> {
    check_decoded(url)?;
    if url.contains('%') {
        check_decoded(&percent_decode(url))?;
    }
    Ok(())
}

fn check_decoded(url: &str) -> Result<(), UnsafeUrl> {
    if let Some(c) = url.chars().find(|c| c.is_control()) {
        return Err(UnsafeUrl::Control(c));
    }
    let url = url.trim_matches(|c: char| c.is_whitespace());
    let mut start = url.chars();
    if let (Some('/' | '\\'), Some('/' | '\\')) = (start.next(), start.next()) {
        return Err(UnsafeUrl::ProtocolRelative);
    }
    match scheme(url) {
        Some(s) if !SAFE_SCHEMES.iter().any(|safe| s.eq_ignore_ascii_case(safe)) => {
            Err(UnsafeUrl::Scheme(s.to_ascii_lowercase()))
        }
        _ => Ok(()),
    }
}

/// The scheme of `url` as the URL standard reads it: an ASCII letter, then letters, digits,
/// `+`, `-` or `.`, then `:`. Anything else before the first `:` makes a relative URL.
fn scheme(url: &str) -> Option<&str> {
    let end = url.find([':', '/', '?', '#'])?;
    let s = &url[..end];
    let valid = url[end..].starts_with(':')
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(s)
}

/// `%XX` sequences decoded (invalid UTF-8 replaced), others left as they are.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (bytes.get(i + 1).and_then(|&b| hex(b)), bytes.get(i + 2).and_then(|&b| hex(b)))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A C0 or C1 control character or DEL, but tab and line ends: invisible, and never meant in a
/// text. ([`check_url`] refuses tabs and line ends too: browsers delete them from URLs, so
/// `java&#9;script:` is `javascript:`.)
pub fn is_stray_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// The first stray control character of `s` (see [`is_stray_control`]), with its byte offset.
pub fn find_stray_control(s: &str) -> Option<(usize, char)> {
    s.char_indices().find(|&(_, c)| is_stray_control(c))
}

/// `U+001B (ESC)`: how a message names an invisible character.
pub fn char_name(c: char) -> String {
    const C0: [&str; 32] = [
        "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "TAB", "LF", "VT", "FF", "CR", "SO", "SI", "DLE",
        "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US",
    ];
    match C0.get(c as usize) {
        Some(name) => format!("U+{:04X} ({name})", c as u32),
        None if c == '\u{7f}' => "U+007F (DEL)".into(),
        None => format!("U+{:04X}", c as u32),
    }
}

/// `s` made safe to print on a terminal: control characters (but line feeds and tabs) and the
/// bidirectional overrides that reorder what is shown are written as `\u{1b}`, so a text
/// quoted in a message can neither drive the terminal nor hide what it says.
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    let hidden = |c: char| (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c);
    if !s.chars().any(hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_by_scheme_and_encoding() {
        let safe = [
            "https://example.org/a?b=c#d",
            "HTTP://EXAMPLE.ORG",
            "mailto:office@example.org",
            "",
            "#一提高站位",
            "../cases/x/",
            "/cases/x/",
            "picture.png",
            "注意:不是协议",
            "a b:c",
            "%E4%B8%AD%E6%96%87",
            "?q=javascript:",
            "./javascript:alert(1)",
        ];
        for url in safe {
            assert_eq!(check_url(url), Ok(()), "{url:?}");
        }
        let scheme = |s: &str| Err(UnsafeUrl::Scheme(s.into()));
        let refused = [
            ("javascript:alert(1)", scheme("javascript")),
            ("JaVaScRiPt:alert(1)", scheme("javascript")),
            ("  javascript:alert(1)", scheme("javascript")),
            ("\u{3000}javascript:alert(1)", scheme("javascript")),
            ("vbscript:msgbox(1)", scheme("vbscript")),
            ("data:text/html;base64,PHNjcmlwdD4=", scheme("data")),
            ("data:image/svg+xml,<svg onload=alert(1)>", scheme("data")),
            ("file:///etc/passwd", scheme("file")),
            ("%6Aavascript:alert(1)", scheme("javascript")),
            ("%6a%61%76%61script:alert(1)", scheme("javascript")),
            ("java%09script:alert(1)", Err(UnsafeUrl::Control('\t'))),
            ("java\tscript:alert(1)", Err(UnsafeUrl::Control('\t'))),
            ("java\nscript:alert(1)", Err(UnsafeUrl::Control('\n'))),
            ("\u{1}javascript:alert(1)", Err(UnsafeUrl::Control('\u{1}'))),
            ("javascript\u{0}:alert(1)", Err(UnsafeUrl::Control('\u{0}'))),
            ("//evil.example/x", Err(UnsafeUrl::ProtocolRelative)),
            ("\\\\evil.example/x", Err(UnsafeUrl::ProtocolRelative)),
            ("/\\evil.example/x", Err(UnsafeUrl::ProtocolRelative)),
            ("c:\\windows", scheme("c")),
            ("tel:+8612345", scheme("tel")),
        ];
        for (url, verdict) in refused {
            assert_eq!(check_url(url), verdict, "{url:?}");
        }
    }

    #[test]
    fn terminal_text_is_escaped() {
        assert_eq!(terminal_safe("正文\n\t缩进"), "正文\n\t缩进");
        assert_eq!(terminal_safe("a\u{1b}[2Jb\u{7}c\u{0}"), "a\\u{1b}[2Jb\\u{7}c\\u{0}");
        assert_eq!(terminal_safe("x\u{202e}y\r"), "x\\u{202e}y\\u{d}");
        assert_eq!(char_name('\u{1b}'), "U+001B (ESC)");
        assert_eq!(find_stray_control("标题\t\n\u{7}"), Some((8, '\u{7}')));
    }
}
