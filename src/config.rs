//! `config.yaml`: the site's settings. Unknown keys are errors, so typos surface.

use crate::content::PageType;
use crate::diagnostic::Diagnostic;
use crate::{Error, Result, fsx};
use serde::Deserialize;
use std::path::Path;

pub const CONFIG_FILE: &str = "config.yaml";

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
                Diagnostic::error(CONFIG_FILE, 0, 0, format!("no {CONFIG_FILE} in `{}`", root.display())).with_hint(
                    "run zhiku in the knowledge base folder, pass --root DIR, or start one with `zhiku init DIR`",
                ),
            ]));
        }
        Config::parse(&fsx::read_to_string(&path)?)
    }

    pub fn parse(text: &str) -> Result<Config> {
        let mut config: Config = serde_yaml::from_str(text).map_err(|e| {
            let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
            Error::Content(vec![
                Diagnostic::error(
                    CONFIG_FILE,
                    line,
                    column,
                    e.to_string().split(" at line").next().unwrap_or("").to_string(),
                )
                .with_hint("see the config reference in README.md"),
            ])
        })?;
        config.validate(text)?;
        if !config.base_url.ends_with('/') {
            config.base_url.push('/');
        }
        Ok(config)
    }

    fn validate(&self, text: &str) -> Result<()> {
        let mut errors = Vec::new();
        let lines = section_dir_lines(text);
        let at = |i: usize| lines.get(i).copied().unwrap_or((0, 0));
        for (i, s) in self.sections.iter().enumerate() {
            let valid = !s.dir.is_empty()
                && s.dir.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                && !matches!(s.dir.as_str(), "topics" | "regions" | "timeline" | "search" | "static");
            let (line, column) = at(i);
            if !valid {
                errors.push(
                    Diagnostic::error(CONFIG_FILE, line, column, format!("sections[{i}].dir `{}` is not a usable folder name", s.dir))
                        .with_hint("use lowercase Latin letters, digits and `-`; `topics`, `regions`, `timeline`, `search` and `static` are reserved"),
                );
            }
            // One folder, one section: a second entry would list the same pages under another title.
            if let Some(first) = self.sections[..i].iter().position(|f| f.dir == s.dir) {
                errors.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        line,
                        column,
                        format!("sections[{i}].dir `{}` repeats sections[{first}].dir (line {})", s.dir, at(first).0),
                    )
                    .with_hint("each section needs its own folder: remove one of the two entries or change its `dir`"),
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
        assert!(err.contains("unknown field `titel`"), "{err}");
        assert!(err.contains("base_url"), "lists known keys: {err}");
    }

    #[test]
    fn defaults_fill_in() {
        let c = Config::parse("title: 知库\nbase_url: https://example.org/kb\n").unwrap();
        assert_eq!(c.base_url, "https://example.org/kb/");
        assert_eq!(c.language, "zh-CN");
        assert_eq!(c.sections.len(), 5);
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
