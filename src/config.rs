//! `config.yaml`: the site's settings. Unknown keys are errors, so typos surface.

use crate::content::PageType;
use crate::diagnostic::{Diagnostic, excerpt};
use crate::{Error, Result, fsx, safety};
use rust_i18n::t;
use serde::Deserialize;
use std::path::Path;

pub const CONFIG_FILE: &str = "config.yaml";
/// A larger `config.yaml` is refused unread: it holds a title and a few settings.
pub const MAX_CONFIG_BYTES: usize = 1 << 20;

/// Site settings. Every field but `title` has a default.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Config {
    /// Site name, shown in the header and the feed.
    pub title: String,
    /// One sentence about the site, for the home page and `<meta name="description">`.
    #[serde(default)]
    pub description: String,
    /// Absolute address where the site is published, used for the sitemap and feeds only;
    /// pages link to each other relatively, so the site also works under a sub-path and from disk.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// Page language; Chinese typography is the default theme's first concern.
    #[serde(default = "default_language")]
    pub language: String,
    /// Theme folder under `themes/`; files there override the built-in default theme by name.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// How Chinese file names become URL slugs.
    #[serde(default)]
    pub slug_style: SlugStyle,
    /// Sections (content folders), in the order the navigation shows them.
    #[serde(default = "default_sections")]
    pub sections: Vec<SectionConfig>,
    #[serde(default)]
    pub topics: TopicConfig,
    /// How many pages the Atom feeds list.
    #[serde(default = "default_feed_limit")]
    pub feed_limit: usize,
    /// How many entries a list page (section, topic, region, a year of the timeline) shows;
    /// longer lists continue on `page/2/`, `page/3/` ….
    #[serde(default = "default_paginate")]
    pub paginate: usize,
}

/// `pinyin` turns 枫桥经验.md into `feng-qiao-jing-yan`; `unicode` keeps `枫桥经验`.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SlugStyle {
    #[default]
    Pinyin,
    Unicode,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SectionConfig {
    /// Folder under `content/`, also the first part of the URL.
    pub dir: String,
    /// Chinese name shown in navigation.
    pub title: String,
    /// Page type given to pages of this section that do not set `type`.
    #[serde(rename = "type", default)]
    pub page_type: Option<PageType>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TopicConfig {
    /// Link the first mention of a topic (or alias) in each page body to the topic page.
    #[serde(default = "yes")]
    pub glossary_links: bool,
    /// Terms shorter than this many characters are not glossary-linked (too ambiguous).
    #[serde(default = "default_min_term_chars")]
    pub min_term_chars: usize,
}

impl Default for TopicConfig {
    fn default() -> Self {
        TopicConfig { glossary_links: true, min_term_chars: default_min_term_chars() }
    }
}

fn yes() -> bool {
    true
}
fn default_min_term_chars() -> usize {
    2
}
fn default_base_url() -> String {
    "/".into()
}
fn default_language() -> String {
    "zh-CN".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_feed_limit() -> usize {
    20
}
fn default_paginate() -> usize {
    50
}

/// The sections a new knowledge base starts with.
pub fn default_sections() -> Vec<SectionConfig> {
    [
        ("speeches", "讲话", PageType::Speech),
        ("commentaries", "评论", PageType::Commentary),
        ("reflections", "研讨发言", PageType::Reflection),
        ("cases", "实践案例", PageType::Case),
        ("policies", "政策文件", PageType::Policy),
    ]
    .into_iter()
    .map(|(dir, title, t)| SectionConfig { dir: dir.into(), title: title.into(), page_type: Some(t) })
    .collect()
}

impl Config {
    /// Reads `config.yaml` under `root`.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        if !path.exists() {
            return Err(Error::Content(vec![
                Diagnostic::error(CONFIG_FILE, 0, 0, t!("config.missing", dir = root.display()))
                    .with_hint(t!("config.missing_hint")),
            ]));
        }
        let bytes = fsx::read_in_site(root, &path, MAX_CONFIG_BYTES as u64)?;
        let text = String::from_utf8(bytes).map_err(|e| Error::Io {
            action: "read",
            path: path.clone(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        })?;
        Config::parse(&text)
    }

    pub fn parse(text: &str) -> Result<Config> {
        let refuse = |line, column, message: String, hint: String| {
            Error::Content(vec![Diagnostic::error(CONFIG_FILE, line, column, message).with_hint(hint)])
        };
        if text.len() > MAX_CONFIG_BYTES {
            return Err(refuse(
                0,
                0,
                t!("config.too_large", max = MAX_CONFIG_BYTES >> 10).into_owned(),
                t!("config.too_large_hint").into_owned(),
            ));
        }
        if let Err(r) = crate::yaml::check(text) {
            let (line, column) = crate::diagnostic::line_col(text, r.offset);
            return Err(refuse(line, column, r.message, r.hint));
        }
        let slips = lint(text);
        if !slips.is_empty() {
            return Err(Error::Content(slips));
        }
        let mut config: Config = serde_yaml::from_str(text).map_err(|e| {
            let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
            let said = crate::diagnostic::yaml_reason(&e.to_string());
            let quoted = text.lines().nth(line.saturating_sub(1)).filter(|_| line > 0).unwrap_or("").trim();
            let message = if quoted.is_empty() {
                said.message
            } else {
                t!("config.yaml", text = crate::diagnostic::excerpt(quoted), reason = said.message).into_owned()
            };
            Error::Content(vec![
                Diagnostic::error(CONFIG_FILE, line, column, message)
                    .with_hint(t!("config.hint_and_reference", hint = said.hint)),
            ])
        })?;
        config.validate(text)?;
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
        Ok(config)
    }

    /// Sets `base_url` from `--base-url`, checked as in `config.yaml`.
    pub fn set_base_url(&mut self, url: &str) -> Result<()> {
        check_base_url(url)
            .map_err(|why| Error::Usage(format!("--base-url `{url}` {why}; {}", t!("config.base_url_hint"))))?;
        self.base_url = if url.ends_with('/') { url.to_string() } else { format!("{url}/") };
        Ok(())
    }

    fn validate(&self, text: &str) -> Result<()> {
        let mut errors = Vec::new();
        let line = |key: &str| text.lines().position(|l| l.starts_with(key)).map_or(0, |i| i + 1);
        if let Err(why) = check_base_url(&self.base_url) {
            errors.push(
                Diagnostic::error(CONFIG_FILE, line("base_url"), 1, format!("`base_url: {}` {why}", self.base_url))
                    .with_hint(t!("config.base_url_hint")),
            );
        }
        let mut texts = vec![
            ("title".to_string(), &self.title),
            ("description".to_string(), &self.description),
            ("language".to_string(), &self.language),
        ];
        texts.extend(self.sections.iter().enumerate().map(|(i, s)| (format!("sections[{i}].title"), &s.title)));
        for (key, value) in texts {
            if let Some((_, c)) = safety::find_stray_control(value) {
                let at = line(key.split('[').next().unwrap_or(&key));
                errors.push(
                    Diagnostic::error(CONFIG_FILE, at, 1, t!("config.control", key = key, name = safety::char_name(c)))
                        .with_hint(t!("config.control_hint")),
                );
            }
        }
        if self.paginate == 0 {
            errors.push(
                Diagnostic::error(CONFIG_FILE, line("paginate"), 1, t!("config.paginate_zero"))
                    .with_hint(t!("config.paginate_zero_hint")),
            );
        }
        let lines = section_dir_lines(text);
        let at = |i: usize| lines.get(i).copied().unwrap_or((0, 0));
        for (i, s) in self.sections.iter().enumerate() {
            let valid = !s.dir.is_empty()
                && s.dir.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                && !matches!(s.dir.as_str(), "topics" | "regions" | "timeline" | "search" | "static");
            let (line, column) = at(i);
            if !valid {
                errors.push(
                    Diagnostic::error(CONFIG_FILE, line, column, t!("config.bad_dir", i = i, dir = s.dir))
                        .with_hint(t!("config.bad_dir_hint")),
                );
            }
            // One folder, one section: a second entry would list the same pages under another title.
            if let Some(first) = self.sections[..i].iter().position(|f| f.dir == s.dir) {
                errors.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        line,
                        column,
                        t!("config.repeated_dir", i = i, dir = s.dir, first = first, line = at(first).0),
                    )
                    .with_hint(t!("config.repeated_dir_hint")),
                );
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(Error::Content(errors)) }
    }

    pub fn section(&self, dir: &str) -> Option<&SectionConfig> {
        self.sections.iter().find(|s| s.dir == dir)
    }

    /// The section a new page of type `t` goes to.
    pub fn section_for_type(&self, t: PageType) -> Option<&SectionConfig> {
        self.sections.iter().find(|s| s.page_type == Some(t))
    }
}

/// Whether `url` can be the site's `base_url`: an http(s) address or a path from the server's
/// root, with no character that would need quoting in HTML or XML. It goes into the sitemap,
/// the feeds and the 404 page's `<base href>`.
fn check_base_url(url: &str) -> std::result::Result<(), String> {
    if let Some(c) = url.chars().find(|&c| c.is_control() || c.is_whitespace() || "\"'<>\\^`{}|?#".contains(c)) {
        return Err(match c {
            c if c.is_control() => t!("config.url_control", name = safety::char_name(c)).into_owned(),
            c if c.is_whitespace() => t!("config.url_space").into_owned(),
            c => t!("config.url_char", char = c).into_owned(),
        });
    }
    match url.split_once("://") {
        Some((scheme, rest)) => {
            if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
                return Err(t!("config.url_scheme", scheme = scheme).into_owned());
            }
            if rest.is_empty() || rest.starts_with('/') {
                return Err(t!("config.url_no_host").into_owned());
            }
            Ok(())
        }
        None if url.is_empty() || (url.starts_with('/') && !url.starts_with("//")) => Ok(()),
        None => Err(t!("config.url_neither").into_owned()),
    }
}

/// Keys of `config.yaml`, at any level, for the slips YAML would misread.
const KEYS: [&str; 14] = [
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "slug_style",
    "sections",
    "topics",
    "feed_limit",
    "paginate",
    "dir",
    "type",
    "glossary_links",
    "min_term_chars",
];

/// The slips of a curator YAML would misread or word for programmers, line by line: a tab
/// starting the line, a full-width colon `：` after a key, no space after a key's colon.
fn lint(text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // The last key line: its indentation, and whether a plain value follows its colon.
    let mut previous: Option<(usize, bool)> = None;
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        let content = line.trim_start_matches([' ', '-', '{']).trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        // Where the key starts (after a list item's `- `).
        let indent = line.len() - content.len();
        let key = content.split_once(':').map(|(k, _)| k.trim()).filter(|k| KEYS.contains(k));
        // `  min_term_chars: 2` under ` glossary_links: true`: indented deeper than a key
        // with a value, YAML reads it as more words of that value.
        if let (Some(key), Some((above, true))) = (key, previous)
            && indent > above
            && !line.trim_start().starts_with('-')
        {
            let fixed = format!("{}{}", " ".repeat(above), line.trim_start());
            out.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    number,
                    1,
                    t!("config.indented", key = key, text = excerpt(line.trim())),
                )
                .with_hint(t!("config.fix", fixed = excerpt(&fixed))),
            );
        }
        if key.is_some() {
            let value = content.split_once(':').map_or("", |(_, v)| v.trim());
            let plain = !value.is_empty() && !value.starts_with(['[', '{', '|', '>', '"', '\'', '#', '&', '*']);
            previous = Some((indent, plain));
        }
        let column = |byte: usize| line[..byte].chars().count() + 1;
        if line.starts_with('\t') {
            out.push(
                Diagnostic::error(CONFIG_FILE, number, 1, t!("config.tab", text = excerpt(&line.replace('\t', "→"))))
                    .with_hint(t!("config.tab_hint")),
            );
            continue;
        }
        let start = line.len() - content.len();
        if let Some(at) = line.find('：')
            && line.find(':').is_none_or(|c| c > at)
            && KEYS.contains(&line[start..at].trim())
        {
            let fixed =
                format!("{}{}: {}", &line[..start], line[start..at].trim(), line[at + '：'.len_utf8()..].trim());
            out.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    number,
                    column(at),
                    t!("config.full_width_colon", text = excerpt(line.trim())),
                )
                .with_hint(t!("config.fix", fixed = excerpt(fixed.trim()))),
            );
            continue;
        }
        if let Some(at) = line.find(':')
            && KEYS.contains(&line[start..at].trim())
            && !line[at + 1..].is_empty()
            && !line[at + 1..].starts_with([' ', '\t'])
            && !line[..at].contains('{')
        {
            let fixed = format!("{}{}: {}", &line[..start], line[start..at].trim(), &line[at + 1..]);
            out.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    number,
                    column(at) + 1,
                    t!("config.no_space", text = excerpt(line.trim())),
                )
                .with_hint(t!("config.fix", fixed = excerpt(fixed.trim()))),
            );
        }
    }
    out
}

/// Line and column of each `dir:` key under the top-level `sections:` key, in order (block or
/// flow style), for messages about a section. serde_yaml keeps no positions of values.
fn section_dir_lines(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut inside = false;
    for (n, line) in text.lines().enumerate() {
        let top_level = !line.starts_with([' ', '\t', '-', '#']) && !line.trim().is_empty();
        if top_level {
            inside = line.starts_with("sections:");
            continue;
        }
        if !inside {
            continue;
        }
        let bytes = line.as_bytes();
        for (at, _) in line.match_indices("dir") {
            let before = at.checked_sub(1).map(|b| bytes[b]);
            let after = line[at + 3..].trim_start();
            if matches!(before, None | Some(b' ' | b'\t' | b'{' | b',' | b'-')) && after.starts_with(':') {
                out.push((n + 1, line[..at].chars().count() + 1));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_named_with_line() {
        let err = Config::parse("title: 知库\ntitel: x\n").unwrap_err().to_string();
        assert!(err.contains("config.yaml:2:1"), "{err}");
        assert!(err.contains("unknown key `titel`"), "{err}");
        assert!(err.contains("did you mean `title`?"), "{err}");
        assert!(err.contains("base_url"), "lists known keys: {err}");
    }

    #[test]
    fn defaults_fill_in() {
        let c = Config::parse("title: 知库\nbase_url: https://example.org/kb\n").unwrap();
        assert_eq!(c.base_url, "https://example.org/kb/");
        assert_eq!(c.language, "zh-CN");
        assert_eq!(c.sections.len(), 5);
        assert_eq!(c.paginate, 50);
        let err = Config::parse("title: t\npaginate: 0\n").unwrap_err().to_string();
        assert!(err.contains("config.yaml:2:1: error: `paginate: 0`"), "{err}");
    }

    #[test]
    fn base_url_is_a_web_address_or_a_path() {
        for ok in ["/", "/kb/", "https://example.org", "HTTP://example.org/知库/", "http://127.0.0.1:8080/kb"] {
            assert!(Config::parse(&format!("title: t\nbase_url: \"{ok}\"\n")).is_ok(), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript://%0aalert(1)",
            "data:text/html,x",
            "//evil.example/",
            "kb/",
            "https://",
            "https:///x",
            "https://x.org/\" onload=\"alert(1)",
            "https://x.org/<script>",
            "/kb/ x",
            "/kb/\\u0000",
            "/kb/?q=1",
        ] {
            let yaml = format!("title: t\nsections: []\nbase_url: \"{}\"\n", bad.replace('"', "\\\""));
            let err = Config::parse(&yaml).err().unwrap_or_else(|| panic!("{bad} accepted")).to_string();
            assert!(err.contains("config.yaml:3:1: error: `base_url:"), "{bad}: {err}");
            assert!(err.contains("hint: write the address"), "{bad}: {err}");
        }
        let mut c = Config::parse("title: t\n").unwrap();
        assert!(c.set_base_url("javascript:alert(1)").unwrap_err().to_string().contains("--base-url"));
        c.set_base_url("https://example.org/kb").unwrap();
        assert_eq!(c.base_url, "https://example.org/kb/");
    }

    #[test]
    fn control_characters_in_texts_are_errors() {
        let err = Config::parse("title: \"知\\0库\"\ndescription: \"a\\eb\"\n").unwrap_err().to_string();
        assert!(err.contains("config.yaml:1:1: error: `title` contains the control character U+0000 (NUL)"), "{err}");
        assert!(err.contains("config.yaml:2:1: error: `description` contains the control character U+001B (ESC)"));
    }

    #[test]
    fn repeated_section_dir_is_named_with_its_line() {
        let text = "title: t\nsections:\n  - dir: cases\n    title: 案例\n  - {title: 讲话, dir: speeches}\n  - dir: cases\n    title: 又一个\n";
        let err = Config::parse(text).unwrap_err().to_string();
        assert!(
            err.contains("config.yaml:6:5: error: sections[2].dir `cases` repeats sections[0].dir (line 3)"),
            "{err}"
        );
        assert_eq!(section_dir_lines(text), [(3, 5), (5, 17), (6, 5)]);
    }

    #[test]
    fn reserved_section_dir_rejected() {
        let err = Config::parse("title: t\nsections:\n  - {dir: topics, title: 专题}\n").unwrap_err().to_string();
        assert!(err.contains("reserved"), "{err}");
    }
}
