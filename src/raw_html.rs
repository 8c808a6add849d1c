//! Pictures and links written as raw HTML in Markdown (`<img src="photo.jpg">`, `<a
//! href="方案.pdf">`, as curators paste them or the importer leaves them): a scanner for the
//! start and end tags of a fragment, with each attribute's place and decoded value, and a
//! rewriter that changes the attributes of chosen tags and copies everything else as written.
//!
//! This is not the sanitizer: what comes out still goes through `markdown::sanitize`, which
//! parses it as a browser does. The scanner only has to find the tags an author meant; a tag it
//! misreads is left as written and sanitized like any other.

use std::ops::Range;

/// An attribute of a start tag.
#[derive(Debug, Clone)]
pub struct Attr {
    /// Lowercased.
    pub name: String,
    /// The whole attribute in the fragment, value and quotes included.
    pub span: Range<usize>,
    /// The value with character references decoded; `None` when a named reference the
    /// scanner does not know is left in it (the sanitizer reads such values).
    pub value: Option<String>,
    /// Where the value starts in the fragment (after its quote).
    pub value_at: usize,
}

/// A tag of a fragment.
#[derive(Debug, Clone)]
pub enum Token {
    Start { name: String, span: Range<usize>, attrs: Vec<Attr>, self_closing: bool },
    End { name: String, span: Range<usize> },
}

impl Token {
    /// The value of attribute `name` of a start tag, and where it starts.
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        match self {
            Token::Start { attrs, .. } => attrs.iter().find(|a| a.name == name),
            Token::End { .. } => None,
        }
    }
}

/// The tags of `html`, in order. Comments, doctypes and the text of `<script>`, `<style>`,
/// `<textarea>` and `<title>` are skipped. Linear in the fragment.
pub fn tokens(html: &str) -> Vec<Token> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(open) = html[i..].find('<').map(|o| i + o) {
        i = open + 1;
        let rest = &html[i..];
        if let Some(comment) = rest.strip_prefix("!--") {
            i = comment.find("-->").map_or(html.len(), |end| i + 3 + end + 3);
            continue;
        }
        if rest.starts_with(['!', '?']) {
            i = rest.find('>').map_or(html.len(), |end| i + end + 1);
            continue;
        }
        let closing = rest.starts_with('/');
        let name_start = i + usize::from(closing);
        if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_end = html[name_start..]
            .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
            .map_or(html.len(), |e| name_start + e);
        let name = html[name_start..name_end].to_ascii_lowercase();
        if closing {
            let end = html[name_end..].find('>').map_or(html.len(), |e| name_end + e + 1);
            out.push(Token::End { name, span: open..end });
            i = end;
            continue;
        }
        let (attrs, end, self_closing) = attributes(html, name_end);
        i = end;
        let raw_text = matches!(name.as_str(), "script" | "style" | "textarea" | "title");
        out.push(Token::Start { name: name.clone(), span: open..end, attrs, self_closing });
        if raw_text {
            // Up to the matching end tag, which the next round reads.
            let close = format!("</{name}");
            i = find_ascii_case_insensitive(&html[i..], &close).map_or(html.len(), |e| i + e);
        }
    }
    out
}

fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    (0..h.len().saturating_sub(n.len() - 1)).find(|&k| h[k..k + n.len()].eq_ignore_ascii_case(n))
}

/// The attributes of a start tag whose name ends at `at`; the offset after its `>` (or the
/// fragment's end) and whether it ends with `/>`.
fn attributes(html: &str, mut at: usize) -> (Vec<Attr>, usize, bool) {
    let bytes = html.as_bytes();
    let mut attrs = Vec::new();
    loop {
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b'/') {
            if bytes[at] == b'/' && bytes.get(at + 1) == Some(&b'>') {
                return (attrs, at + 2, true);
            }
            at += 1;
        }
        match bytes.get(at) {
            None => return (attrs, html.len(), false),
            Some(b'>') => return (attrs, at + 1, false),
            _ => {}
        }
        let start = at;
        // The first character of a name may be anything but these (`=` included, per HTML).
        at += html[at..].chars().next().map_or(1, char::len_utf8);
        while at < bytes.len() && !matches!(bytes[at], b'=' | b'>' | b'/') && !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let name = html[start..at].to_ascii_lowercase();
        let mut after = at;
        while after < bytes.len() && bytes[after].is_ascii_whitespace() {
            after += 1;
        }
        if bytes.get(after) != Some(&b'=') {
            attrs.push(Attr { name, span: start..at, value: Some(String::new()), value_at: at });
            continue;
        }
        at = after + 1;
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let (raw, value_at, end) = match bytes.get(at) {
            Some(&q @ (b'"' | b'\'')) => {
                let close = html[at + 1..].find(q as char).map_or(html.len(), |e| at + 1 + e);
                (&html[at + 1..close], at + 1, (close + 1).min(html.len()))
            }
            _ => {
                let close =
                    html[at..].find(|c: char| c.is_ascii_whitespace() || c == '>').map_or(html.len(), |e| at + e);
                (&html[at..close], at, close)
            }
        };
        attrs.push(Attr { name, span: start..end, value: decode(raw), value_at });
        at = end;
    }
}

/// Character references decoded: numeric ones and the few named ones found in addresses.
/// `None` when another named reference is left (the address is then not read here).
pub fn decode(raw: &str) -> Option<String> {
    if !raw.contains('&') {
        return Some(raw.to_string());
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp + 1..];
        let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '#')).unwrap_or(rest.len());
        let (name, terminated) = (&rest[..end], rest[end..].starts_with(';'));
        let numeric = name.strip_prefix('#').and_then(|n| match n.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => n.parse().ok(),
        });
        let c = match (numeric, name) {
            (Some(n), _) => Some(char::from_u32(n).filter(|&c| c != '\0').unwrap_or('\u{fffd}')),
            (None, "amp") => Some('&'),
            (None, "lt") => Some('<'),
            (None, "gt") => Some('>'),
            (None, "quot") => Some('"'),
            (None, "apos") => Some('\''),
            (None, "") => None,
            // An unknown name: left for the sanitizer, which knows them all. Without its `;`
            // it is text (only a few old names may drop it, and those are above).
            (None, _) if terminated => return None,
            (None, _) => None,
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + usize::from(terminated)..];
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    Some(out)
}

/// How to change one start tag.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TagEdit {
    /// Attributes to write with these values, replacing any of the same name.
    pub set: Vec<(&'static str, String)>,
    /// Attributes to leave out.
    pub drop: Vec<&'static str>,
    /// HTML written right after the element's end tag (an attachment's type and size).
    pub after_end: Option<String>,
}

/// `html` with the start tags that `edit` returns an edit for changed, everything else copied
/// as written. `pending` carries the HTML owed after end tags from one fragment to the next
/// (an inline `<a …>` and its `</a>` arrive as separate fragments).
pub fn rewrite(
    html: &str,
    pending: &mut Vec<(String, String)>,
    mut edit: impl FnMut(&Token) -> Option<TagEdit>,
) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut copied = 0;
    for token in tokens(html) {
        match &token {
            Token::Start { name, span, attrs, self_closing } => {
                let Some(e) = edit(&token) else { continue };
                out.push_str(&html[copied..span.start]);
                out.push('<');
                out.push_str(name);
                for a in attrs {
                    if !e.set.iter().any(|(n, _)| *n == a.name) && !e.drop.contains(&a.name.as_str()) {
                        out.push(' ');
                        out.push_str(&html[a.span.clone()]);
                    }
                }
                for (n, v) in &e.set {
                    out.push_str(&format!(" {n}=\"{}\"", crate::markdown::escape_attr(v)));
                }
                out.push_str(if *self_closing { " />" } else { ">" });
                copied = span.end;
                if let Some(after) = e.after_end {
                    pending.push((name.clone(), after));
                }
            }
            Token::End { name, span } => {
                if let Some(k) = pending.iter().rposition(|(n, _)| n == name) {
                    out.push_str(&html[copied..span.end]);
                    out.push_str(&pending.remove(k).1);
                    copied = span.end;
                }
            }
        }
    }
    out.push_str(&html[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A start tag's name and its attributes' names and values.
    type Start = (String, Vec<(String, Option<String>)>);

    fn starts(html: &str) -> Vec<Start> {
        tokens(html)
            .into_iter()
            .filter_map(|t| match t {
                Token::Start { name, attrs, .. } => {
                    Some((name, attrs.into_iter().map(|a| (a.name, a.value)).collect()))
                }
                Token::End { .. } => None,
            })
            .collect()
    }

    #[test]
    fn tags_attributes_and_values() {
        let found = starts(
            "<p>照片<IMG SRC=\"a&amp;b.jpg\" alt='活动 现场' width=300 hidden/>和<a href=方案.pdf>方案</a>\
             <!-- <img src=no.jpg> --><style>img{}<img src=no2.jpg></style><img\n src=\"&#x7167;.png\">",
        );
        let names: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["p", "img", "a", "style", "img"]);
        assert_eq!(
            found[1].1,
            [
                ("src".into(), Some("a&b.jpg".into())),
                ("alt".into(), Some("活动 现场".into())),
                ("width".into(), Some("300".into())),
                ("hidden".into(), Some(String::new())),
            ]
        );
        assert_eq!(found[2].1, [("href".into(), Some("方案.pdf".into()))]);
        assert_eq!(found[4].1, [("src".into(), Some("照.png".into()))]);
        assert_eq!(decode("JaVaScRiPt&colon;x"), None);
        assert_eq!(decode("a&b &#106;").as_deref(), Some("a&b j"));
    }

    #[test]
    fn value_places_point_into_the_fragment() {
        let html = "x <img alt=\"\" src=\"照片.jpg\">";
        let t = tokens(html);
        let src = t[0].attr("src").unwrap();
        assert_eq!(&html[src.value_at..src.value_at + "照片.jpg".len()], "照片.jpg");
    }

    #[test]
    fn rewriting_changes_only_the_chosen_tags() {
        let mut pending = Vec::new();
        let html = "<p><img src=a.jpg srcset=\"x 1x\" alt=图><a href=\"f.pdf\" class=c>下载</a> <b>b</b></p>";
        let out = rewrite(html, &mut pending, |t| match t {
            Token::Start { name, .. } if name == "img" => Some(TagEdit {
                set: vec![("src", "../a.jpg".into()), ("width", "10".into())],
                drop: vec!["srcset"],
                after_end: None,
            }),
            Token::Start { name, .. } if name == "a" => {
                Some(TagEdit { set: vec![("href", "f.pdf".into())], drop: vec![], after_end: Some("（PDF）".into()) })
            }
            _ => None,
        });
        assert_eq!(
            out,
            "<p><img alt=图 src=\"../a.jpg\" width=\"10\"><a class=c href=\"f.pdf\">下载</a>（PDF） <b>b</b></p>"
        );
        assert!(pending.is_empty());
        // An inline link's end tag comes in the next fragment.
        let first = rewrite("<a href=f.pdf>", &mut pending, |_| {
            Some(TagEdit { after_end: Some("!".into()), ..TagEdit::default() })
        });
        assert_eq!(first, "<a href=f.pdf>");
        assert_eq!(rewrite("</a>", &mut pending, |_| None), "</a>!");
    }
}
