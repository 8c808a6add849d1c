//! Slips in a page's body that Markdown reads without a word, though the author meant
//! something else: links written with full-width brackets (`【【标题】】`, `[文字]（…）`,
//! `！[图片](…)`), a heading without the space after `#`, an unclosed `**`, a picture path
//! with `\`, a path on the author's own computer, a web address without `https://`.
//! Each is a warning at its line and column with the fix; code is skipped. One pass over the
//! lines.

use crate::diagnostic::{Diagnostic, excerpt};
use rust_i18n::t;
use std::path::Path;

/// The slips of `body`, which starts at line `body_line` of `file`.
pub fn body(file: &Path, body: &str, body_line: usize) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    // `**` seen in the current paragraph: (line, column) of each.
    let mut strong: Vec<(usize, usize)> = Vec::new();
    for (i, raw) in body.lines().enumerate() {
        let number = body_line + i;
        let trimmed = raw.trim_start_matches(' ');
        let indent = raw.len() - trimmed.len();
        if let Some(open) = fence {
            if indent < 4 && trimmed.starts_with(open) {
                fence = None;
            }
            continue;
        }
        if indent < 4 && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            fence = Some(&trimmed[..3]);
            unclosed_strong(file, &mut strong, &mut out);
            continue;
        }
        if raw.trim().is_empty() {
            unclosed_strong(file, &mut strong, &mut out);
            continue;
        }
        // `***`, `* * *`: a thematic break, not emphasis.
        if raw.trim().chars().all(|c| matches!(c, '*' | '-' | '_' | ' ')) {
            unclosed_strong(file, &mut strong, &mut out);
            continue;
        }
        let line = without_code_spans(raw);
        heading_without_space(file, number, &line, &mut out);
        links(file, number, &line, &mut out);
        let mut from = 0;
        while let Some(at) = line[from..].find("**").map(|a| a + from) {
            strong.push((number, line[..at].chars().count() + 1));
            from = at + 2;
        }
        if line.trim_start().starts_with('#') {
            // A heading ends its paragraph.
            unclosed_strong(file, &mut strong, &mut out);
        }
    }
    unclosed_strong(file, &mut strong, &mut out);
    out
}

/// The line with the text of inline code spans (`` `…` ``) blanked, one space per character,
/// so columns stay right and nothing inside code is taken for a slip.
fn without_code_spans(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut inside = false;
    for c in line.chars() {
        if c == '`' {
            inside = !inside;
            out.push(' ');
        } else {
            out.push(if inside { ' ' } else { c });
        }
    }
    // An unclosed backquote is no code span: keep the line as it was.
    if inside { line.to_string() } else { out }
}

/// An odd number of `**` in a paragraph: the last one is never closed, and shows as `**`.
fn unclosed_strong(file: &Path, strong: &mut Vec<(usize, usize)>, out: &mut Vec<Diagnostic>) {
    if strong.len() % 2 == 1
        && let Some(&(line, column)) = strong.last()
    {
        out.push(
            Diagnostic::warning(file, line, column, t!("slip.unclosed_strong"))
                .with_hint(t!("slip.unclosed_strong_hint")),
        );
    }
    strong.clear();
}

/// `#一、总体要求`: without a space after the `#`, Markdown shows the line as it is. A
/// `#话题#` (a hashtag, closed by a second `#`) is left alone.
fn heading_without_space(file: &Path, number: usize, line: &str, out: &mut Vec<Diagnostic>) {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return;
    }
    let hashes = trimmed.len() - trimmed.trim_start_matches('#').len();
    let rest = &trimmed[hashes..];
    let Some(next) = rest.chars().next() else { return };
    if !(1..=6).contains(&hashes) || next.is_whitespace() || next == '#' || rest.contains('#') {
        return;
    }
    let fixed = format!("{} {}", &trimmed[..hashes], rest.trim_start_matches('\u{3000}'));
    out.push(
        Diagnostic::warning(
            file,
            number,
            line.len() - trimmed.len() + 1,
            t!("slip.heading_space", text = excerpt(trimmed)),
        )
        .with_hint(t!("slip.heading_space_hint", fixed = excerpt(&fixed))),
    );
}

/// Links and pictures written with full-width punctuation, and link targets that cannot work
/// on a web site.
fn links(file: &Path, number: usize, line: &str, out: &mut Vec<Diagnostic>) {
    let col = |byte: usize| line[..byte].chars().count() + 1;
    let mut warn = |byte: usize, message: std::borrow::Cow<'_, str>, hint: std::borrow::Cow<'_, str>| {
        out.push(Diagnostic::warning(file, number, col(byte), message).with_hint(hint));
    };
    // `【【标题】】`: a page link in full-width brackets.
    if let Some(open) = line.find("【【")
        && let Some(close) = line[open..].find("】】").map(|c| c + open)
    {
        let title = &line[open + "【【".len()..close];
        warn(
            open,
            t!("slip.wide_wiki", text = excerpt(&line[open..close + "】】".len()])),
            t!("slip.wide_wiki_hint", fixed = excerpt(&format!("[[{title}]]"))),
        );
    }
    // `[文字]（地址）` and `【文字】(地址)`.
    for (joint, open) in [("]（", '['), ("】(", '【'), ("】（", '【')] {
        if let Some(at) = line.find(joint)
            && let Some(start) = line[..at].rfind(open)
        {
            let text = &line[start + open.len_utf8()..at];
            let after = &line[at + joint.len()..];
            let target = after.split(['）', ')']).next().unwrap_or(after);
            warn(
                start,
                t!("slip.wide_link", text = excerpt(&format!("{}{joint}{target}", &line[start..at]))),
                t!("slip.wide_link_hint", fixed = excerpt(&format!("[{text}]({target})"))),
            );
        }
    }
    // `！[照片](x.jpg)`: a link to the picture, not the picture.
    if let Some(at) = line.find("！[") {
        warn(at, t!("slip.wide_bang", text = excerpt(&line[at..])), t!("slip.wide_bang_hint"));
    }
    // Targets: `](…)`.
    let mut from = 0;
    while let Some(at) = line[from..].find("](").map(|a| a + from) {
        let start = at + 2;
        let end = line[start..].find(')').map_or(line.len(), |e| e + start);
        let target = line[start..end].trim().trim_start_matches('<').trim_end_matches('>');
        from = end.min(line.len());
        if target.is_empty() {
            continue;
        }
        let bytes = target.as_bytes();
        let drive =
            bytes.len() > 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && matches!(bytes[2], b'\\' | b'/');
        let name = target.rsplit(['\\', '/']).next().unwrap_or(target);
        if drive || target.starts_with("file:") || target.starts_with("\\\\") {
            warn(
                start,
                t!("slip.own_computer", path = excerpt(target)),
                t!("slip.own_computer_hint", name = excerpt(name)),
            );
        } else if target.contains('\\') && !target.contains("://") {
            warn(
                start,
                t!("slip.backslash", path = excerpt(target)),
                t!("slip.backslash_hint", fixed = excerpt(&target.replace('\\', "/"))),
            );
        } else if target.to_ascii_lowercase().starts_with("www.") {
            warn(
                start,
                t!("slip.no_scheme", path = excerpt(target)),
                t!("slip.no_scheme_hint", fixed = excerpt(&format!("https://{target}"))),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slips(body: &str) -> Vec<(usize, usize)> {
        super::body(Path::new("content/a.md"), body, 5).iter().map(|d| (d.line, d.column)).collect()
    }

    #[test]
    fn each_slip_at_its_place_and_code_left_alone() {
        let cases: [(&str, &[(usize, usize)]); 13] = [
            ("上文\n\n***\n\n下文\n", &[]),
            ("#一、总体要求\n", &[(5, 1)]),
            ("# 一、总体要求\n#话题#\n", &[]),
            ("见【【讲话】】。\n", &[(5, 2)]),
            ("见[讲话]（@/a.md）。\n", &[(5, 2)]),
            ("！[照片](a.jpg)\n", &[(5, 1)]),
            ("这是**重点\n\n**另一段**\n", &[(5, 3)]),
            ("**一**和**二**\n", &[]),
            ("![照片](图片\\照片.jpg)\n", &[(5, 7)]),
            ("![照片](C:\\Users\\照片.jpg)\n", &[(5, 7)]),
            ("[原文](www.gov.cn/a.html)\n", &[(5, 6)]),
            ("```\n#不是标题 **\n```\n`**` 和 `【【x】】`\n", &[]),
            ("[原文](https://www.gov.cn/a\\b)\n", &[]),
        ];
        let wrong: Vec<String> = cases
            .iter()
            .filter(|(body, want)| slips(body) != *want)
            .map(|(body, want)| format!("{body:?}: {:?}, not {want:?}", slips(body)))
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }
}
