//! Errors of the library, and diagnostics that point at a place in a source file.

use crate::safety::terminal_safe;
use rust_i18n::t;
use std::fmt;
use std::path::PathBuf;

/// How serious a diagnostic is: errors fail the build, warnings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A message about one place in one file, with a hint on how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as the user knows it, relative to the site root (`content/cases/x.md`).
    pub file: PathBuf,
    /// 1-based line; 0 when the message is about the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, file: file.into(), line, column, message: message.into(), hint: None }
    }

    pub fn warning(file: impl Into<PathBuf>, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(file, line, column, message) }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Printed for a terminal: text quoted from content (control characters, bidirectional
/// overrides) is escaped by [`terminal_safe`].
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", terminal_safe(&self.file.display().to_string()))?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        let kind = match self.severity {
            Severity::Error => t!("diag.error"),
            Severity::Warning => t!("diag.warning"),
        };
        write!(f, ": {kind}: {}", terminal_safe(&self.message))?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  {}: {}", t!("diag.hint"), terminal_safe(hint))?;
        }
        Ok(())
    }
}

/// Sorts diagnostics by file and position so reports are stable between runs.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity, &a.message).cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
    });
}

/// Errors of the library. Content problems come as a list, so a curator fixes them in one round.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}", t!("diag.io", action = io_action(action), path = path.display(), source = source))]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}", render_list(.0))]
    Content(Vec<Diagnostic>),
    #[error("{}", t!("diag.template", message = .0))]
    Template(String),
    #[error("{0}")]
    Usage(String),
    #[error("{}", t!("diag.search", message = .0))]
    Search(String),
}

impl Error {
    /// The message for a terminal: content diagnostics as they are (each names its file and
    /// says `error:`), anything else after `error: `; control characters escaped.
    pub fn report(&self) -> String {
        match self {
            Error::Content(_) => self.to_string(),
            _ => format!("{}: {}", t!("diag.error"), terminal_safe(&self.to_string())),
        }
    }
}

fn render_list(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&d.to_string());
        out.push('\n');
    }
    out.push_str(&t!("diag.errors_found", errors = errors));
    out
}

/// What an [`Error::Io`] failed to do, in the reader's language.
fn io_action(action: &str) -> std::borrow::Cow<'_, str> {
    match action {
        "read" => t!("io.read"),
        "write" => t!("io.write"),
        "create" => t!("io.create"),
        "create folder" => t!("io.create_folder"),
        "remove" => t!("io.remove"),
        "move" => t!("io.move"),
        "open" => t!("io.open"),
        "set permissions of" => t!("io.set_permissions"),
        other => other.into(),
    }
}

/// "did you mean" for a name that is not known: the known names closest to it, by edit
/// distance and, for Chinese names, by the distance of their pinyin. None if nothing is close.
pub fn did_you_mean<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let close = crate::suggest::closest(name, known, 3);
    match close.as_slice() {
        [] => None,
        [one] => Some(t!("diag.did_you_mean", name = one).into_owned()),
        many => Some(t!("diag.did_you_mean_one_of", names = crate::i18n::list(many)).into_owned()),
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// 1-based line and column (in characters) of a byte offset in `text`. For many lookups in
/// one text, use a [`LineIndex`].
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(text).line_col(offset)
}

/// `text` for quoting in a message: its first 40 characters, with `…` when cut, so a message
/// about a 100 KB name stays one line.
pub fn excerpt(text: &str) -> String {
    const CHARS: usize = 40;
    match text.char_indices().nth(CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// Line starts of a text, so that each line/column lookup is a binary search instead of a scan
/// from the start (a page with 100,000 headings or links asks 100,000 times).
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset where each line starts; the first is 0.
    starts: Vec<usize>,
    /// The last answer (offset, line, column): lookups at growing offsets on one long line
    /// count the characters from there, not from the line's start.
    last: (usize, usize, usize),
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { text, starts, last: (0, 1, 1) }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&mut self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let (last_offset, last_line, last_column) = self.last;
        let (from, column) = if last_line == line && last_offset <= offset {
            (last_offset, last_column)
        } else {
            (self.starts[line - 1], 1)
        };
        let column = column + self.text[from..offset].chars().count();
        self.last = (offset, line, column);
        (line, column)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_agrees_with_a_scan_from_the_start() {
        let text = "第一行\n\nab社会\n最后";
        let scan = |offset: usize| {
            let before = &text[..floor_char_boundary(text, offset.min(text.len()))];
            let line = before.matches('\n').count() + 1;
            let start = before.rfind('\n').map_or(0, |i| i + 1);
            (line, before[start..].chars().count() + 1)
        };
        let mut index = LineIndex::new(text);
        // Growing, then falling and repeated offsets, inside characters and past the end.
        let offsets = (0..=text.len() + 2).chain((0..=text.len()).rev()).chain([5, 5, 1, 14, 13]);
        for offset in offsets {
            assert_eq!(index.line_col(offset), scan(offset), "offset {offset}");
        }
    }
}
