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

/// A YAML error said in the reader's language: what is wrong, in plain words, and the fix.
/// serde_yaml and libyaml word their errors for programmers (`did not find expected key`);
/// the common kinds get a sentence of their own, the rest a general one with the original
/// wording in brackets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlReason {
    pub message: String,
    pub hint: String,
}

/// The name in serde's "`x`, expected one of `a`, `b`" and a hint: the nearest known name
/// first, then `list` of all of them.
fn name_and_known(rest: &str, list: impl Fn(String) -> String) -> (&str, String) {
    let (name, expected) = rest.split_once(", expected").unwrap_or((rest, ""));
    let name = name.trim_matches('`');
    let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let all = list(crate::i18n::list(&known));
    match did_you_mean(name, known.iter().copied()) {
        Some(s) => (name, format!("{s} {all}")),
        None => (name, all),
    }
}

/// [`YamlReason`] for serde_yaml's message (`e.to_string()`, with or without its
/// ` at line … column …` tail; a leading `key.path: ` names the key).
pub fn yaml_reason(error: &str) -> YamlReason {
    let reason = error.split(" at line ").next().unwrap_or(error).trim();
    // serde_yaml puts the path of the value first: `sections[0].type: unknown variant …`.
    let (key, reason) = match reason.split_once(": ") {
        Some((path, rest)) if !path.is_empty() && !path.contains(' ') => (Some(path), rest),
        _ => (None, reason),
    };
    let key = key.unwrap_or("");
    let said = |message: std::borrow::Cow<'_, str>, hint: std::borrow::Cow<'_, str>| YamlReason {
        message: message.into_owned(),
        hint: hint.into_owned(),
    };
    let quoted = |text: &str| excerpt(text.trim_matches('`'));
    if let Some(rest) = reason.strip_prefix("unknown field ") {
        let (name, hint) = name_and_known(rest, |names| t!("yaml.known", names = names).into_owned());
        return YamlReason { message: t!("yaml.unknown_field", name = quoted(name)).into_owned(), hint };
    }
    if let Some(rest) = reason.strip_prefix("unknown variant ") {
        let (name, hint) = name_and_known(rest, |names| t!("yaml.choices", names = names).into_owned());
        return YamlReason { message: t!("yaml.unknown_variant", name = quoted(name), key = key).into_owned(), hint };
    }
    if let Some(field) = reason.strip_prefix("missing field ") {
        let field = field.trim_matches('`');
        return said(t!("yaml.missing_field", name = field), t!("yaml.missing_field_hint", name = field));
    }
    if let Some(rest) =
        reason.strip_prefix("duplicate field ").or_else(|| reason.strip_prefix("duplicate entry with key "))
    {
        let name = rest.trim_matches(['`', '"']);
        return said(t!("yaml.duplicate", name = name), t!("yaml.duplicate_hint"));
    }
    if let Some(rest) = reason.strip_prefix("invalid type: ").or_else(|| reason.strip_prefix("invalid value: ")) {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return said(
            t!("yaml.invalid_type", key = key, found = yaml_found(found), expected = yaml_expected(expected)),
            t!("yaml.invalid_type_hint", expected = yaml_expected(expected)),
        );
    }
    // One literal key per kind, so `tests/messages.rs` sees every message used.
    if reason.contains("did not find expected key") {
        said(t!("yaml.indent"), t!("yaml.indent_hint"))
    } else if reason.contains("mapping values are not allowed") || reason.contains("mapping keys are not allowed") {
        said(t!("yaml.colon_in_value"), t!("yaml.colon_in_value_hint"))
    } else if reason.contains("found character that cannot start any token")
        || reason.contains("found undefined tag handle")
    {
        said(t!("yaml.bad_start"), t!("yaml.bad_start_hint"))
    } else if reason.contains("block sequence entries are not allowed")
        || reason.contains("did not find expected '-' indicator")
    {
        said(t!("yaml.dash_here"), t!("yaml.dash_here_hint"))
    } else if reason.contains("did not find expected ',' or ']'") {
        said(t!("yaml.list_open"), t!("yaml.list_open_hint"))
    } else if reason.contains("did not find expected ',' or '}'") {
        said(t!("yaml.map_open"), t!("yaml.map_open_hint"))
    } else if reason.contains("found unexpected end of stream") || reason.contains("EOF while parsing") {
        said(t!("yaml.end"), t!("yaml.end_hint"))
    } else if reason.contains("found a tab character") {
        said(t!("yaml.tab"), t!("yaml.tab_hint"))
    } else if reason.contains("found unknown escape character") || reason.contains("expected hexadecimal number") {
        said(t!("yaml.escape"), t!("yaml.escape_hint"))
    } else if reason.contains("could not find expected ':'") {
        said(t!("yaml.no_colon"), t!("yaml.no_colon_hint"))
    } else if reason.contains("did not find expected node content") {
        said(t!("yaml.no_value"), t!("yaml.no_value_hint"))
    } else if reason.contains("found unexpected document indicator")
        || reason.contains("did not find expected <document start>")
    {
        said(t!("yaml.document"), t!("yaml.document_hint"))
    } else {
        said(t!("yaml.other", original = excerpt(reason)), t!("yaml.other_hint"))
    }
}

/// What serde found (`string "x"`, `sequence`, `integer `5``), for a message.
fn yaml_found(found: &str) -> String {
    if let Some(text) = found.strip_prefix("string ") {
        return t!("yaml.found_text", text = excerpt(text.trim_matches('"'))).into_owned();
    }
    match found.split_whitespace().next().unwrap_or("") {
        "sequence" => t!("yaml.found_list").into_owned(),
        "map" => t!("yaml.found_map").into_owned(),
        "unit" => t!("yaml.found_nothing").into_owned(),
        "boolean" | "integer" | "floating" => {
            let value = found.split('`').nth(1).unwrap_or(found);
            t!("yaml.found_value", value = excerpt(value)).into_owned()
        }
        _ => excerpt(found),
    }
}

/// What serde expected (`a boolean`, `usize`, `struct Config`), for a message.
fn yaml_expected(expected: &str) -> String {
    let e = expected.trim();
    let said = if e.contains("bool") {
        t!("yaml.want_bool")
    } else if matches!(e, "usize" | "u64" | "u32" | "u16" | "u8" | "isize" | "i64" | "i32") || e.contains("integer") {
        t!("yaml.want_count")
    } else if e.contains("sequence") || e.contains("list") {
        t!("yaml.want_list")
    } else if e.contains("string") {
        t!("yaml.want_text")
    } else if e.starts_with("struct") || e.contains("map") {
        t!("yaml.want_map")
    } else {
        return excerpt(e);
    };
    said.into_owned()
}

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
    fn common_yaml_errors_get_their_own_sentence() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Settings {
            title: String,
            #[serde(default)]
            count: usize,
            #[serde(default)]
            draft: bool,
            #[serde(default)]
            style: Option<Style>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[serde(rename_all = "lowercase")]
        enum Style {
            Pinyin,
        }
        let cases = [
            ("title: a: b\n", "holds `: `"),
            ("title: a\n  - b\n- c\n", "indentation"),
            ("title: [a, b\n", "is a list, but it must be a text"),
            ("title: \"a\n", "never closed"),
            ("title: @a\n", "reserves"),
            ("title: \"C:\\x\"\n", "backslash"),
            ("title: a\ntitel: b\n", "unknown key `titel`"),
            ("title: a\nstyle: pinyn\n", "`pinyn` is not one of the values `style` takes"),
            ("count: 1\n", "the key `title` is missing"),
            ("title: a\ncount: 二十\n", "`count` is the text `二十`, but it must be a whole number"),
            ("title: a\ndraft: 是\n", "must be `true` or `false`"),
            ("title: a\ntitle: b\n", "written twice"),
            ("title: a\n  b: c\n", "holds `: `"),
        ];
        let mut wrong = Vec::new();
        for (yaml, says) in cases {
            let e = serde_yaml::from_str::<Settings>(yaml).unwrap_err();
            let said = yaml_reason(&e.to_string());
            if !said.message.contains(says) || said.hint.is_empty() {
                wrong.push(format!("{yaml:?}: `{e}` said as `{}`", said.message));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
        assert!(yaml_reason("recursion limit exceeded").message.contains("(recursion limit exceeded)"));
        let hint = yaml_reason("unknown field `titel`, expected one of `title`, `count`").hint;
        assert!(hint.contains("did you mean `title`?"), "{hint}");
    }

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
