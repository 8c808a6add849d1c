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
