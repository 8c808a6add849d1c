//! The intermediate document that every import reader (text, HTML, Word, PDF) produces and the
//! one cleaner consumes, so a rule about chrome, titles or dates is written once for all formats.

/// One block of an imported document, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading the source itself marked (a Word heading style, an HTML `<h2>`); `level` 1 is a
    /// document title, 2 and deeper are sections.
    Heading { level: u8, text: String },
    /// A paragraph of running text. Inline Markdown is allowed (`**bold**`, `*italic*`,
    /// `[text](url)`); everything else must already be escaped by the reader.
    Paragraph(String),
    /// A list; ordered lists keep their order, the numbers are written by the cleaner.
    List { ordered: bool, items: Vec<String> },
    /// A table, row by row; the first row is the header.
    Table(Vec<Vec<String>>),
    /// A picture saved beside the draft as `file` (one of `Document::assets`), with its
    /// alternative text and caption when the source had them.
    Figure { file: String, alt: String, caption: Option<String> },
}

/// A metadata field a reader found in the file's structure rather than in its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetaKey {
    Title,
    Date,
    Source,
    SourceUrl,
    Speaker,
    Organization,
}

/// A candidate metadata value and where it was found (for the import report, e.g.
/// `"<meta name=publishdate>"`, `"docProps/core.xml"`, `"PDF Info"`).
#[derive(Debug, Clone, PartialEq)]
pub struct MetaHint {
    pub key: MetaKey,
    pub value: String,
    pub origin: &'static str,
}

/// A file to be written beside the draft (a picture from a Word file or a saved page).
#[derive(Debug, Clone, PartialEq)]
pub struct Asset {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What a reader produced from one input file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub blocks: Vec<Block>,
    pub meta: Vec<MetaHint>,
    pub assets: Vec<Asset>,
}

/// Helpers the readers' unit tests share.
#[cfg(test)]
pub(crate) mod testing {
    /// A file of `tests/fixtures/import`.
    pub(crate) fn fixture(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Feeds `read` the file cut short every `cut_step` bytes and with one byte flipped every
    /// `flip_step` bytes: a reader must give an error or a document, never panic.
    pub(crate) fn read_damaged(bytes: &[u8], cut_step: usize, flip_step: usize, read: impl Fn(&[u8])) {
        for cut in (0..bytes.len()).step_by(cut_step) {
            read(&bytes[..cut]);
        }
        for at in (0..bytes.len()).step_by(flip_step) {
            let mut damaged = bytes.to_vec();
            damaged[at] ^= 0x5A;
            read(&damaged);
        }
    }
}
