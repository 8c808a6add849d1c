//! Errors of the library, and diagnostics that point at a place in a source file.

use crate::safety::terminal_safe;
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
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {kind}: {}", terminal_safe(&self.message))?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {}", terminal_safe(hint))?;
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
    #[error("failed to {action} `{path}`: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}", render_list(.0))]
    Content(Vec<Diagnostic>),
    #[error("template error: {0}")]
    Template(String),
    #[error("{0}")]
    Usage(String),
    #[error("search index error: {0}")]
    Search(String),
}

impl Error {
    /// The message for a terminal: content diagnostics as they are (each names its file and
    /// says `error:`), anything else after `error: `; control characters escaped.
    pub fn report(&self) -> String {
        match self {
            Error::Content(_) => self.to_string(),
            _ => format!("error: {}", terminal_safe(&self.to_string())),
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
    out.push_str(&format!("{errors} error(s) found; nothing was written"));
    out
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}
