//! Reading a page's front matter the way a curator writes it: key by key, so that one broken
//! line is reported with its place and its fix while the other keys are still read (the page
//! keeps its title for links, and its body is still checked in the same run).
//!
//! The YAML is cut into top-level entries (a `key:` line and the indented or `- ` lines under
//! it); common slips are named before YAML sees them (a full-width colon, no space after `:`,
//! tabs, an unclosed `[`, full-width list punctuation); each remaining entry is parsed by
//! serde_yaml on its own and its value checked against the key. Everything is one pass over
//! the lines, and each entry is parsed once.

use crate::content::{FrontMatter, PageType};
use crate::diagnostic::{Diagnostic, excerpt};
use rust_i18n::t;
use serde_yaml::Value;
use std::path::Path;

/// The keys a page's front matter may hold, in the order the documentation lists them.
pub const KEYS: [&str; 15] = [
    "title",
    "date",
    "type",
    "speaker",
    "organization",
    "region",
    "source",
    "source_url",
    "topics",
    "summary",
    "related",
    "draft",
    "aliases",
    "updated",
    "lang",
];

/// Other names a curator may write for a key (Chinese, or other site generators' English),
/// mapped to the key (suggested, not accepted: the keys stay one spelling, so pages stay
/// uniform).
const OTHER_NAMES: [(&str, &str); 43] = [
    ("tags", "topics"),
    ("tag", "topics"),
    ("keywords", "topics"),
    ("categories", "topics"),
    ("category", "topics"),
    ("topic", "topics"),
    ("author", "speaker"),
    ("authors", "speaker"),
    ("description", "summary"),
    ("abstract", "summary"),
    ("excerpt", "summary"),
    ("url", "source_url"),
    ("link", "source_url"),
    ("source_link", "source_url"),
    ("organisation", "organization"),
    ("org", "organization"),
    ("alias", "aliases"),
    ("language", "lang"),
    ("lastmod", "updated"),
    ("modified", "updated"),
    ("标题", "title"),
    ("题目", "title"),
    ("日期", "date"),
    ("时间", "date"),
    ("类型", "type"),
    ("讲话人", "speaker"),
    ("发言人", "speaker"),
    ("作者", "speaker"),
    ("单位", "organization"),
    ("机构", "organization"),
    ("地区", "region"),
    ("来源", "source"),
    ("出处", "source"),
    ("原文链接", "source_url"),
    ("专题", "topics"),
    ("主题", "topics"),
    ("摘要", "summary"),
    ("相关", "related"),
    ("草稿", "draft"),
    ("别名", "aliases"),
    ("更新日期", "updated"),
    ("修订日期", "updated"),
    ("语言", "lang"),
];

const LIST_KEYS: [&str; 3] = ["topics", "related", "aliases"];

/// What was read of a front matter: the fields (those that could be read), the line of each
/// key, and every problem found.
#[derive(Debug, Default)]
pub struct Read {
    pub meta: FrontMatter,
    /// Line in the file of each top-level key, for messages about its value.
    pub key_lines: Vec<(String, usize)>,
    pub errors: Vec<Diagnostic>,
    /// Slips read as meant (full-width spaces), named so the file can be tidied.
    pub warnings: Vec<Diagnostic>,
    /// Whether a `title` was written at all (even on a broken line), so a missing title is not
    /// reported on top of the line's own error.
    pub title_seen: bool,
}

/// One top-level entry: its key as written, its first line (1-based, in the file), and its
/// text (the key line and the lines under it).
struct Entry<'a> {
    key: &'a str,
    line: usize,
    text: String,
    first: &'a str,
}

/// Reads `yaml`, which starts at line `yaml_line` of `file`.
pub fn read(file: &Path, yaml: &str, yaml_line: usize) -> Read {
    let mut out = Read::default();
    let spaced;
    let yaml = if yaml.contains('\u{3000}') {
        spaced = full_width_spaces(file, yaml, yaml_line, &mut out.warnings);
        spaced.as_str()
    } else {
        yaml
    };
    let mut fields: Vec<(String, usize, usize, Value)> = Vec::new();
    for entry in entries(file, yaml, yaml_line, &mut out.errors) {
        if entry.key == "title" {
            out.title_seen = true;
        }
        match lint(file, &entry) {
            Lint::Ok => {}
            Lint::Broken(d, recovered) => {
                out.errors.push(*d);
                // The value is still used for the page's title and links, so that the rest
                // of the site can be checked as if the slip were fixed.
                if let Some((key, value)) = recovered {
                    if key == "title" {
                        out.title_seen = true;
                    }
                    if KEYS.contains(&key) && !fields.iter().any(|f| f.0 == key) {
                        out.key_lines.push((key.to_string(), entry.line));
                        let value = serde_yaml::from_str(&value).unwrap_or(Value::String(value));
                        fields.push((key.to_string(), entry.line, 1, value));
                    }
                }
                continue;
            }
        }
        let (key, value) = match serde_yaml::from_str::<serde_yaml::Mapping>(&entry.text) {
            Ok(map) => match map.into_iter().next() {
                // The key as YAML reads it (quotes and escapes resolved).
                Some((Value::String(k), v)) => (k, v),
                Some((k, v)) => (serde_yaml::to_string(&k).unwrap_or_default().trim().to_string(), v),
                None => continue,
            },
            Err(e) => {
                out.errors.push(yaml_error(file, &entry, &e));
                continue;
            }
        };
        let entry = Entry { key: &key, ..entry };
        out.key_lines.push((entry.key.to_string(), entry.line));
        if let Some((_, first, _, _)) = fields.iter().find(|f| f.0 == entry.key) {
            out.errors.push(
                Diagnostic::error(
                    file,
                    entry.line,
                    1,
                    t!("fm.duplicate", key = entry.key, line = first, text = excerpt(entry.first)),
                )
                .with_hint(t!("fm.duplicate_hint")),
            );
            continue;
        }
        if !KEYS.contains(&entry.key) {
            out.errors.push(unknown_key(file, &entry));
            continue;
        }
        let column = entry.first.find(':').map_or(1, |i| entry.first[..i].chars().count() + 3);
        fields.push((entry.key.to_string(), entry.line, column, value));
    }
    for (key, line, column, value) in fields {
        if let Err(Problem(message, hint)) = set(&mut out.meta, &key, value) {
            let d = Diagnostic::error(file, line, column, message);
            out.errors.push(match hint {
                Some(h) => d.with_hint(h),
                None => d,
            });
        }
    }
    out
}

/// The YAML with the full-width spaces (U+3000) a Chinese input method types read as meant:
/// those starting a line are dropped, one after a key's colon becomes a space. Each line
/// where that happened gets a warning.
fn full_width_spaces(file: &Path, yaml: &str, yaml_line: usize, warnings: &mut Vec<Diagnostic>) -> String {
    let mut out = String::with_capacity(yaml.len());
    for (i, line) in yaml.split_inclusive('\n').enumerate() {
        let kept = line.trim_start_matches('\u{3000}');
        let dropped = line.len() != kept.len();
        let key_end = kept.find(':').filter(|&c| kept[c + 1..].starts_with('\u{3000}'));
        let fixed = match key_end {
            Some(c) => format!("{}: {}", &kept[..c], kept[c + 1..].trim_start_matches('\u{3000}')),
            None => kept.to_string(),
        };
        if dropped || key_end.is_some() {
            let column = if dropped { 1 } else { kept[..key_end.unwrap_or(0)].chars().count() + 2 };
            warnings.push(
                Diagnostic::warning(
                    file,
                    yaml_line + i,
                    column,
                    t!("fm.full_width_space", text = excerpt(line.trim_end())),
                )
                .with_hint(t!("fm.full_width_space_hint", fixed = excerpt(fixed.trim_end()))),
            );
        }
        out.push_str(&fixed);
    }
    out
}

/// Cuts the YAML into top-level entries. Lines before the first key that are neither blank
/// nor comments, and top-level lines that hold no key, are reported.
fn entries<'a>(file: &Path, yaml: &'a str, yaml_line: usize, errors: &mut Vec<Diagnostic>) -> Vec<Entry<'a>> {
    let mut out: Vec<Entry> = Vec::new();
    for (i, line) in yaml.lines().enumerate() {
        let number = yaml_line + i;
        let trimmed = line.trim_start_matches(' ');
        let top = trimmed.len() == line.len();
        if line.trim().is_empty() || trimmed.starts_with('#') {
            if let Some(e) = out.last_mut() {
                e.text.push('\n');
            }
            continue;
        }
        if line.starts_with('\t') {
            let shown = line.replace('\t', "→");
            errors.push(
                Diagnostic::error(file, number, 1, t!("fm.tab", text = excerpt(&shown))).with_hint(t!("fm.tab_hint")),
            );
            continue;
        }
        let continues = !top || line.starts_with("- ") || line == "-" || open_quote(out.last());
        if continues && let Some(e) = out.last_mut() {
            e.text.push_str(line);
            e.text.push('\n');
            continue;
        }
        let key = key_of(line);
        if key.is_empty() {
            errors.push(
                Diagnostic::error(file, number, 1, t!("fm.no_key", text = excerpt(line)))
                    .with_hint(t!("fm.no_key_hint")),
            );
            continue;
        }
        out.push(Entry { key, line: number, text: format!("{line}\n"), first: line });
    }
    out
}

/// Whether an entry's text leaves a double-quoted value open (its next lines continue it).
fn open_quote(entry: Option<&Entry>) -> bool {
    let Some(e) = entry else { return false };
    let Some((_, value)) = e.text.split_once(':') else { return false };
    let value = value.trim_start();
    if !value.starts_with('"') {
        return false;
    }
    let mut open = false;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if open => {
                chars.next();
            }
            '"' => open = !open,
            _ => {}
        }
    }
    open
}

/// The key of a top-level line: the text before the first `:` or `：`, trimmed.
fn key_of(line: &str) -> &str {
    let end = line.find([':', '：']).unwrap_or(0);
    line[..end].trim()
}

enum Lint {
    Ok,
    /// The error, and the key and value it can still be read as.
    Broken(Box<Diagnostic>, Option<(&'static str, String)>),
}

fn known(key: &str) -> Option<&'static str> {
    KEYS.iter().copied().find(|k| *k == key)
}

/// The slips YAML would misread, each with its own message.
fn lint(file: &Path, entry: &Entry) -> Lint {
    let line = entry.first;
    let col = |byte: usize| line[..byte].chars().count() + 1;
    // `title：测试讲话`: a full-width colon before any half-width one.
    if let Some(at) = line.find('：')
        && line.find(':').is_none_or(|c| c > at)
    {
        let key = line[..at].trim();
        let value = line[at + '：'.len_utf8()..].trim().to_string();
        let fixed = format!("{}: {value}", known(key).unwrap_or(key));
        let d = Diagnostic::error(file, entry.line, col(at), t!("fm.full_width_colon", text = excerpt(line)))
            .with_hint(t!("fm.full_width_colon_hint", fixed = excerpt(&fixed)));
        return Lint::Broken(Box::new(d), known(key).map(|k| (k, value)));
    }
    let Some(at) = line.find(':') else { return Lint::Ok };
    let rest = &line[at + 1..];
    // `Title: …`: a known key in other letter case.
    if known(entry.key).is_none()
        && let Some(key) = known(&entry.key.to_ascii_lowercase())
    {
        let value = rest.trim().to_string();
        let fixed = format!("{key}: {value}");
        let d = Diagnostic::error(file, entry.line, 1, t!("fm.key_case", key = excerpt(entry.key), known = key))
            .with_hint(t!("fm.key_case_hint", fixed = excerpt(&fixed)));
        return Lint::Broken(Box::new(d), Some((key, value)));
    }
    // `date:2024-01-01`: a known key without the space YAML needs after its colon.
    if let Some(key) = known(line[..at].trim())
        && !rest.is_empty()
        && !rest.starts_with([' ', '\t'])
    {
        let fixed = format!("{key}: {rest}");
        let d = Diagnostic::error(file, entry.line, col(at) + 1, t!("fm.no_space", text = excerpt(line)))
            .with_hint(t!("fm.no_space_hint", fixed = excerpt(&fixed)));
        return Lint::Broken(Box::new(d), Some((key, rest.to_string())));
    }
    let value = rest.trim();
    let value_at = at + 1 + (rest.len() - rest.trim_start().len());
    let is_list = LIST_KEYS.contains(&entry.key);
    // `topics: 【志愿服务, 基层治理】`
    if is_list && value.starts_with('【') {
        let fixed = format!("{}: [{}]", entry.key, value.trim_start_matches('【').trim_end_matches('】'));
        let d = Diagnostic::error(file, entry.line, col(value_at), t!("fm.full_width_brackets", text = excerpt(line)))
            .with_hint(t!("fm.full_width_brackets_hint", fixed = excerpt(&fixed)));
        return Lint::Broken(Box::new(d), None);
    }
    // `topics: [志愿服务，基层治理]`: one topic named 志愿服务，基层治理 is never meant.
    if is_list
        && value.starts_with('[')
        && let Some(comma) = line[value_at..].find(['，', '、']).map(|i| value_at + i)
    {
        let fixed = format!("{}: {}", entry.key, value.replace(['，', '、'], ", "));
        let d = Diagnostic::error(file, entry.line, col(comma), t!("fm.full_width_comma", text = excerpt(line)))
            .with_hint(t!("fm.full_width_comma_hint", fixed = excerpt(&fixed)));
        return Lint::Broken(Box::new(d), None);
    }
    if value.starts_with(['[', '{']) {
        let open = value.chars().next().unwrap_or('[');
        let close = if open == '[' { ']' } else { '}' };
        let depth = bracket_depth(&entry.text[at + 1..], open, close);
        if depth > 0 {
            let hint = if is_list {
                t!("fm.unclosed_list_hint", fixed = excerpt(&format!("{}: {value}]", entry.key)))
            } else {
                t!("fm.bracket_value_hint", fixed = excerpt(&format!("{}: \"{value}\"", entry.key)))
            };
            let d = Diagnostic::error(
                file,
                entry.line,
                col(value_at),
                t!("fm.unclosed", open = open, text = excerpt(line)),
            )
            .with_hint(hint);
            return Lint::Broken(Box::new(d), None);
        }
    }
    Lint::Ok
}

/// How many `open` brackets are left unclosed in `text`, outside quotes.
fn bracket_depth(text: &str, open: char, close: char) -> usize {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match quote {
            // `\"` does not close a double-quoted value.
            Some('"') if c == '\\' => {
                chars.next();
            }
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == open => depth += 1,
            None if c == close => depth = depth.saturating_sub(1),
            None => {}
        }
    }
    depth
}

fn unknown_key(file: &Path, entry: &Entry) -> Diagnostic {
    let key = entry.key;
    let from_other = OTHER_NAMES.iter().find(|(other, _)| other.eq_ignore_ascii_case(key)).map(|(_, k)| *k);
    let suggestion = match from_other {
        Some(k) => Some(t!("diag.did_you_mean", name = k).into_owned()),
        None => crate::diagnostic::did_you_mean(key, KEYS),
    };
    let known = crate::i18n::list(&KEYS);
    let hint = match suggestion {
        Some(s) => format!("{s} {}", t!("fm.known_keys", keys = known)),
        None => t!("fm.known_keys", keys = known).into_owned(),
    };
    Diagnostic::error(file, entry.line, 1, t!("fm.unknown_key", key = excerpt(key), text = excerpt(entry.first)))
        .with_hint(hint)
}

/// serde_yaml's own error for an entry none of the checks above explains, placed in the file.
fn yaml_error(file: &Path, entry: &Entry, e: &serde_yaml::Error) -> Diagnostic {
    let msg = e.to_string();
    let reason = msg.split(" at line ").next().unwrap_or(&msg);
    let (line, column) = e.location().map_or((entry.line, 1), |l| (entry.line + l.line() - 1, l.column()));
    let value = entry.first.split_once(':').map_or("", |(_, v)| v.trim());
    // An opening quote with no closing one on the line (the value may not span lines here).
    if let Some(quote) = value.chars().next().filter(|c| matches!(c, '"' | '\''))
        && (value.len() == 1 || !value.ends_with(quote))
    {
        let column = entry.first.find(quote).map_or(1, |i| entry.first[..i].chars().count() + 1);
        let fixed = format!("{}: {value}{quote}", entry.key);
        return Diagnostic::error(
            file,
            entry.line,
            column,
            t!("fm.unclosed_quote", text = excerpt(entry.first), quote = quote),
        )
        .with_hint(t!("fm.unclosed_quote_hint", fixed = excerpt(&fixed), quote = quote));
    }
    let said = crate::diagnostic::yaml_reason(reason);
    let hint = if value.starts_with(['[', '{']) && !LIST_KEYS.contains(&entry.key) {
        t!("fm.bracket_value_hint", fixed = excerpt(&format!("{}: \"{value}\"", entry.key))).into_owned()
    } else if reason.contains("mapping values are not allowed") {
        t!("fm.colon_in_value_hint", fixed = excerpt(&format!("{}: \"{value}\"", entry.key))).into_owned()
    } else if reason.contains("cannot start any token") {
        t!("fm.quote_value_hint", fixed = excerpt(&format!("{}: \"{value}\"", entry.key))).into_owned()
    } else {
        said.hint
    };
    Diagnostic::error(file, line, column, t!("fm.syntax", reason = said.message, text = excerpt(entry.first)))
        .with_hint(hint)
}

/// A message and its hint.
struct Problem(String, Option<String>);

fn problem(message: impl Into<String>, hint: impl Into<String>) -> Problem {
    Problem(message.into(), Some(hint.into()))
}

/// A value as text: strings as they are, numbers and booleans as written.
fn text(key: &str, value: Value) -> Result<Option<String>, Problem> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::Bool(b) => Ok(Some(b.to_string())),
        _ => Err(problem(t!("fm.not_text", key = key), t!("fm.not_text_hint", key = key))),
    }
}

/// A list value: `[甲, 乙]`, `- 甲` lines, or one item written alone (`topics: 志愿服务`).
fn list(key: &str, value: Value) -> Result<Vec<String>, Problem> {
    let items = match value {
        Value::Null => return Ok(Vec::new()),
        Value::Sequence(items) => items,
        // `topics: 志愿服务 社会工作`: Chinese names are not written with spaces inside.
        Value::String(s) if s.split_whitespace().count() > 1 && s.split_whitespace().all(has_han) => {
            let fixed = format!("{key}: [{}]", s.split_whitespace().collect::<Vec<_>>().join(", "));
            return Err(problem(
                t!("fm.list_by_spaces", key = key, text = excerpt(&s)),
                t!("fm.list_in_text_hint", fixed = excerpt(&fixed)),
            ));
        }
        Value::String(s) if s.contains(['，', '、', ',']) => {
            let fixed = format!("{key}: [{}]", s.replace(['，', '、'], ", "));
            return Err(problem(
                t!("fm.list_in_text", key = key, text = excerpt(&s)),
                t!("fm.list_in_text_hint", fixed = excerpt(&fixed)),
            ));
        }
        one => vec![one],
    };
    let mut out = Vec::new();
    for item in items {
        match text(key, item) {
            Ok(Some(s)) => out.push(s),
            Ok(None) => {}
            Err(_) => {
                return Err(problem(t!("fm.list_of_lists", key = key), t!("fm.list_of_lists_hint", key = key)));
            }
        }
    }
    Ok(out)
}

fn has_han(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Puts one key's value into the front matter, or says what is wrong with it.
fn set(meta: &mut FrontMatter, key: &str, value: Value) -> Result<(), Problem> {
    match key {
        "title" => meta.title = text(key, value)?.unwrap_or_default(),
        "date" => meta.date = text(key, value)?,
        "speaker" => meta.speaker = text(key, value)?,
        "organization" => meta.organization = text(key, value)?,
        "region" => meta.region = text(key, value)?,
        "source" => meta.source = text(key, value)?,
        "source_url" => meta.source_url = text(key, value)?,
        "summary" => meta.summary = text(key, value)?,
        "topics" => meta.topics = list(key, value)?,
        "related" => meta.related = list(key, value)?,
        "aliases" => meta.aliases = list(key, value)?,
        "updated" => meta.updated = text(key, value)?,
        "lang" => meta.lang = text(key, value)?,
        "type" => {
            let Some(name) = text(key, value)? else { return Ok(()) };
            match PageType::from_name(&name) {
                Some(t) => meta.page_type = Some(t),
                None => {
                    let names: Vec<&str> = PageType::ALL.iter().flat_map(|t| t.names()).copied().collect();
                    let mut hint = t!("fm.type_hint").into_owned();
                    if let Some(s) = crate::diagnostic::did_you_mean(&name, names) {
                        hint = format!("{s} {hint}");
                    }
                    return Err(problem(t!("fm.bad_type", value = excerpt(&name)), hint));
                }
            }
        }
        "draft" => match value {
            Value::Bool(b) => meta.draft = b,
            Value::Null => {}
            other => {
                let shown = text(key, other).ok().flatten().unwrap_or_default();
                return Err(problem(t!("fm.bad_draft", value = excerpt(&shown)), t!("fm.bad_draft_hint")));
            }
        },
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_yaml(yaml: &str) -> Read {
        read(Path::new("content/a.md"), yaml, 2)
    }

    #[test]
    fn reads_every_key() {
        let r = read_yaml(
            "title: 讲话\ndate: 2024年10月12日\ntype: 讲话\ntopics:\n- 甲\n- 乙\nrelated: [cases/a.md]\ndraft: true\nsummary: |\n  一段\n  两行\naliases: 枫桥\n",
        );
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(r.meta.title, "讲话");
        assert_eq!(r.meta.page_type, Some(PageType::Speech));
        assert_eq!(r.meta.topics, ["甲", "乙"]);
        assert_eq!(r.meta.related, ["cases/a.md"]);
        assert_eq!(r.meta.aliases, ["枫桥"]);
        assert_eq!(r.meta.summary.as_deref(), Some("一段\n两行\n"));
        assert!(r.meta.draft);
        assert_eq!(r.key_lines[1], ("date".to_string(), 3));
    }

    #[test]
    fn every_slip_is_named_and_the_rest_still_read() {
        let r = read_yaml(
            "title：测试讲话\ndate:2024-01-01\nspeakr: 区委书记\n\ttopics: [甲]\ntopics: [志愿服务，基层治理]\nrelated: [cases/a.md\ntype: speach\ndraft: 是\nsource: 中国社区报\n",
        );
        let found: Vec<(usize, usize, &str)> =
            r.errors.iter().map(|d| (d.line, d.column, d.message.as_str())).collect();
        let expect = [
            (5, 1, "tab"),
            (2, 6, "full-width colon"),
            (3, 6, "no space"),
            (4, 1, "unknown field `speakr`"),
            (6, 14, "full-width"),
            (7, 10, "never closed"),
            (8, 7, "`speach` is not a page type"),
            (9, 8, "`draft: 是`"),
        ];
        assert_eq!(found.len(), expect.len(), "{found:?}");
        for ((l, c, m), (el, ec, em)) in found.iter().zip(expect) {
            assert_eq!((*l, *c), (el, ec), "{m}");
            assert!(m.contains(em), "{m} lacks {em}");
        }
        assert!(r.errors[3].hint.as_deref().unwrap().contains("`speaker`"));
        assert!(r.errors[6].hint.as_deref().unwrap().contains("`speech`"));
        // Still read: the title (from the broken line), the date and the source.
        assert_eq!(r.meta.title, "测试讲话");
        assert_eq!(r.meta.date.as_deref(), Some("2024-01-01"));
        assert_eq!(r.meta.source.as_deref(), Some("中国社区报"));
    }

    #[test]
    fn chinese_keys_are_suggested() {
        let r = read_yaml("title: a\n标题: b\n");
        assert!(r.errors[0].hint.as_deref().unwrap().contains("`title`"), "{:?}", r.errors);
    }

    #[test]
    fn a_title_starting_with_a_bracket_says_to_quote_it() {
        let r = read_yaml("title: [试行]关于开展工作的通知\n");
        assert!(r.errors[0].hint.as_deref().unwrap().contains("\"[试行]"), "{:?}", r.errors);
        let r = read_yaml("title: 会议: 讲话\n");
        assert!(r.errors[0].hint.as_deref().unwrap().contains("\"会议: 讲话\""), "{:?}", r.errors);
    }

    #[test]
    fn multi_line_values_stay_whole() {
        let r = read_yaml("title: \"第一行\n续行\"\ntopics: [甲,\n  乙]\naliases: [\"a\\\"]'\", 'b'' ]']\n");
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(r.meta.title, "第一行 续行");
        assert_eq!(r.meta.topics, ["甲", "乙"]);
        assert_eq!(r.meta.aliases, ["a\"]'", "b' ]"]);
    }
}
