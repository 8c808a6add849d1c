//! Full-text search: one analyzer, a tantivy index built at compile time, a static sharded export
//! read by `search.js`, and the `zhiku search` command, which ranks exactly as the browser does.
//!
//! This stage reads pages (as [`SearchDoc`]s) and writes files; it knows nothing of templates.

pub mod analyzer;
pub mod export;
pub mod index;
pub mod query;
pub mod related;
pub mod unigram;

use serde::{Deserialize, Serialize};

/// What the search index knows of a page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SearchDoc {
    /// Site-relative URL with a leading slash: `/speeches/x/`.
    pub url: String,
    pub title: String,
    /// Plain body text followed by a line of metadata (speaker, organization, source, region),
    /// so that `人民日報` finds a page whose source it is.
    pub text: String,
    /// `speech`, `case`, … (`topic` for topic pages).
    pub kind: String,
    pub kind_label: String,
    /// `2024-10-12` or empty.
    pub date: String,
    pub topics: Vec<String>,
    pub region: String,
    /// One or two sentences shown when a match is only in the title.
    pub summary: String,
}

impl SearchDoc {
    pub fn year(&self) -> &str {
        self.date.get(..4).unwrap_or("")
    }
}

/// Index fields, in the order the export numbers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FieldKind {
    Title = 0,
    Body = 1,
    Title1 = 2,
    Body1 = 3,
}

impl FieldKind {
    pub const ALL: [FieldKind; 4] = [FieldKind::Title, FieldKind::Body, FieldKind::Title1, FieldKind::Body1];

    pub fn name(self) -> &'static str {
        match self {
            FieldKind::Title => "title",
            FieldKind::Body => "body",
            FieldKind::Title1 => "title1",
            FieldKind::Body1 => "body1",
        }
    }

    pub fn has_positions(self) -> bool {
        matches!(self, FieldKind::Title | FieldKind::Body)
    }

    /// Title matches count this many times a body match (applied as tantivy's BoostQuery does).
    pub fn boost(self) -> f32 {
        match self {
            FieldKind::Title | FieldKind::Title1 => 3.0,
            FieldKind::Body | FieldKind::Body1 => 1.0,
        }
    }
}

/// Facets a search can be filtered by.
pub const FACETS: [&str; 4] = ["type", "topic", "year", "region"];

/// Token positions per text chunk: snippets fetch one chunk, found from a match's position.
pub const CHUNK_POSITIONS: u32 = 2000;
