//! Placeholder for the Word reader, written in parallel on another branch: same signature, so
//! the dispatch in `mod.rs` builds before it lands.

use super::doc::Document;

/// Reads a `.docx` file into a document.
pub fn read(_bytes: &[u8]) -> Result<Document, String> {
    Err("Word files (.docx) are not yet supported by this build".to_string())
}
