//! The plain-text reader: decoded text becomes paragraphs of lines. Lines of one paragraph
//! (no blank line between them) stay separate, joined by `\n`: whether the source broke a
//! sentence there is the cleaner's decision, made with the whole document in view.
//!
//! A note app's Markdown export (语雀, Notion, Obsidian and the like) is read as Markdown: its
//! front matter (`---` / `title: …` / `---`) gives the title and is left out, `#` lines are
//! headings, `>` quote marks and `---` rules are dropped, and a line set in italics or bold
//! keeps its emphasis.

use super::clean::escape_markdown;
use super::doc::{Block, Document, MetaHint, MetaKey};
use super::meta::regex;

/// Reads decoded text (any line ends) into a document of paragraphs.
pub fn read_text(text: &str) -> Document {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut meta = Vec::new();
    let body = match front_matter(&text) {
        Some((fields, rest)) => {
            for (key, value) in fields {
                let value = value.trim().trim_matches(['"', '\'']).trim().to_string();
                if value.is_empty() {
                    continue;
                }
                match key.to_ascii_lowercase().as_str() {
                    "title" => meta.push(MetaHint { key: MetaKey::Title, value, origin: "front matter" }),
                    "url" | "source_url" | "link" | "original" | "origin"
                        if value.starts_with("http://") || value.starts_with("https://") =>
                    {
                        meta.push(MetaHint { key: MetaKey::SourceUrl, value, origin: "front matter" })
                    }
                    _ => {}
                }
            }
            rest
        }
        None => text.as_str(),
    };
    let markdown = !meta.is_empty() || body.lines().any(|l| regex!(r"^#{1,6}[ \t]+\S").is_match(l));
    let mut blocks = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    let flush = |lines: &mut Vec<String>, blocks: &mut Vec<Block>| {
        if !lines.is_empty() {
            blocks.push(Block::Paragraph(lines.join("\n")));
            lines.clear();
        }
    };
    for line in body.split('\n') {
        let mut visible =
            line.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{200B}' || c == '\u{FEFF}');
        if markdown {
            if let Some(c) = regex!(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$").captures(visible) {
                flush(&mut lines, &mut blocks);
                let text = c[2].trim().to_string();
                if !text.is_empty() {
                    blocks.push(Block::Heading { level: c[1].len() as u8, text });
                }
                continue;
            }
            if regex!(r"^([-*_][ \t]*){3,}$").is_match(visible) {
                visible = "";
            }
            visible = visible.strip_prefix('>').map_or(visible, str::trim_start);
        }
        if visible.is_empty() {
            flush(&mut lines, &mut blocks);
            continue;
        }
        let emphasis = markdown
            .then(|| regex!(r"^(\*\*|\*|__|_)([^*_]+)(\*\*|\*|__|_)$").captures(visible))
            .flatten()
            .filter(|c| c[1] == c[3]);
        lines.push(match emphasis {
            Some(c) => {
                let mark = if c[1].len() == 2 { "**" } else { "*" };
                format!("{mark}{}{mark}", escape_markdown(c[2].trim()))
            }
            None => escape_markdown(visible.trim()),
        });
    }
    flush(&mut lines, &mut blocks);
    Document { blocks, meta, ..Document::default() }
}

/// A note app's front matter: a `---` line first, `key: value` lines (and their indented or
/// `- ` list continuations), then a closing `---` within the first lines. Returns the fields
/// and the text after it.
fn front_matter(text: &str) -> Option<(Vec<(String, String)>, &str)> {
    let start = text.trim_start_matches(['\u{FEFF}', '\n', ' ', '\t']);
    let rest = start.strip_prefix("---")?;
    let rest = rest.trim_start_matches([' ', '\t']).strip_prefix('\n')?;
    let mut fields = Vec::new();
    let mut at = 0;
    for line in rest.split('\n').take(60) {
        let next = at + line.len() + 1;
        if line.trim_end() == "---" || line.trim_end() == "..." {
            return (!fields.is_empty()).then(|| (fields, rest.get(next.min(rest.len())..).unwrap_or("")));
        }
        if let Some(c) = regex!(r"^([A-Za-z_][\w-]{0,30})\s*:\s?(.*)$").captures(line) {
            fields.push((c[1].to_string(), c[2].to_string()));
        } else if !(line.trim().is_empty() || line.starts_with([' ', '\t', '-'])) {
            return None;
        }
        at = next;
    }
    None
}
