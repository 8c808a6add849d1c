//! The plain-text reader: decoded text becomes paragraphs of lines. Lines of one paragraph
//! (no blank line between them) stay separate, joined by `\n`: whether the source broke a
//! sentence there is the cleaner's decision, made with the whole document in view.

use super::clean::escape_markdown;
use super::doc::{Block, Document};

/// Reads decoded text (any line ends) into a document of paragraphs.
pub fn read_text(text: &str) -> Document {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut blocks = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    for line in text.split('\n') {
        let visible =
            line.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{200B}' || c == '\u{FEFF}');
        if visible.is_empty() {
            if !lines.is_empty() {
                blocks.push(Block::Paragraph(lines.join("\n")));
                lines.clear();
            }
        } else {
            lines.push(escape_markdown(line.trim()));
        }
    }
    if !lines.is_empty() {
        blocks.push(Block::Paragraph(lines.join("\n")));
    }
    Document { blocks, ..Document::default() }
}
