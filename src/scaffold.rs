//! `zhiku new` and `zhiku init`: start a page or a whole knowledge base from templates.

use crate::config::{CONFIG_FILE, Config};
use crate::content::{CONTENT_DIR, PageType};
use crate::slug::slugify;
use crate::{Error, Result, fsx};
use rust_i18n::t;
use std::path::{Path, PathBuf};

/// Creates `content/<section>/<slug>.md` for a new page of `page_type`; never overwrites.
pub fn new_page(root: &Path, page_type: PageType, title: &str, today: &str) -> Result<PathBuf> {
    let config = Config::load(root)?;
    let title = title.trim();
    if title.is_empty() {
        return Err(Error::Usage(t!("scaffold.empty_title").into_owned()));
    }
    let section = match page_type {
        PageType::Page => String::new(),
        t => config.section_for_type(t).map_or_else(|| default_dir(t).to_string(), |s| s.dir.clone()),
    };
    let slug = slugify(title, config.slug_style);
    if slug.is_empty() {
        return Err(Error::Usage(t!("scaffold.no_file_name", title = title).into_owned()));
    }
    let dir = root.join(CONTENT_DIR).join(&section);
    let path = dir.join(format!("{slug}.md"));
    if path.exists() {
        return Err(Error::Usage(t!("scaffold.exists", path = path.display()).into_owned()));
    }
    let date_line = if page_type.needs_date() || page_type == PageType::Policy {
        format!("date: {today}\n")
    } else {
        String::new()
    };
    let text = format!(
        "---\ntitle: {}\n{date_line}type: {}\n# speaker: 区委书记\n# organization: 中共××区委社会工作部\n# region: 山西省太原市迎泽区\n# source: 中国社区报\n# source_url: https://\ntopics: []\n# summary: 一两句话摘要\ndraft: true\n---\n\n正文从这里开始。\n",
        yaml_string(title),
        page_type.key()
    );
    fsx::write_new(&path, text)?;
    Ok(path)
}

fn default_dir(t: PageType) -> &'static str {
    match t {
        PageType::Speech => "speeches",
        PageType::Commentary => "commentaries",
        PageType::Reflection => "reflections",
        PageType::Case => "cases",
        PageType::Policy => "policies",
        PageType::Page => "",
    }
}

/// Quotes a YAML scalar when it holds characters YAML would read specially.
fn yaml_string(s: &str) -> String {
    if s.contains([':', '#', '"', '\'', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>', '%', '@', '`'])
        || s.starts_with(['-', '?', ' '])
    {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        s.to_string()
    }
}

/// Creates a new knowledge base in `dir`: config, sections, one example page and one topic.
pub fn init(dir: &Path, today: &str) -> Result<Vec<PathBuf>> {
    if dir.join(CONFIG_FILE).exists() || dir.join(CONTENT_DIR).exists() {
        return Err(Error::Usage(t!("scaffold.init_exists", dir = dir.display()).into_owned()));
    }
    let files: Vec<(&str, String)> = vec![
        (CONFIG_FILE, INIT_CONFIG.to_string()),
        (".gitignore", "/public/\n/.zhiku/\n".into()),
        ("content/_index.md", "---\ntitle: 首页\n---\n\n欢迎来到本知识库。这里汇集讲话、评论、研讨发言和实践案例，按专题互相链接。\n".into()),
        ("content/about.md", "---\ntitle: 关于本库\ntype: page\n---\n\n本知识库由社会工作部整理维护，用 zhiku 生成。\n".into()),
        ("content/speeches/_index.md", "---\ntitle: 讲话\nsummary: 各级会议上的讲话文稿。\n---\n".into()),
        ("content/cases/_index.md", "---\ntitle: 实践案例\nsummary: 基层社会工作的实践案例。\n---\n".into()),
        (
            "content/topics/zhi-yuan-fu-wu.md",
            "---\ntitle: 志愿服务\naliases: [志願服務]\nsummary: 志愿者自愿、无偿向社会或他人提供的公益服务。\n---\n\n志愿服务是志愿者、志愿服务组织和其他组织自愿、无偿向社会或者他人提供的公益服务。\n".into(),
        ),
        (
            "content/cases/example.md",
            format!("---\ntitle: 社区志愿服务示例\ndate: {today}\ntype: case\nregion: 山西省太原市\ntopics: [志愿服务]\nsummary: 一个示例页面，展示案例的写法。\n---\n\n## 一、基本情况\n\n某社区组建志愿服务队，常态化开展服务。\n\n## 二、主要做法\n\n### （一）建强队伍\n\n招募党员、青年志愿者。\n"),
        ),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        fsx::write_new(&path, text)?;
        written.push(path);
    }
    Ok(written)
}

const INIT_CONFIG: &str = r#"# zhiku site configuration. See README.md for every key.
title: 社会工作知识库
description: 讲话、评论、研讨发言与实践案例，按专题互相链接，全文可检索。
# Where the site is published (used for sitemap.xml and atom.xml only).
base_url: https://example.org/
language: zh-CN
theme: default
# pinyin: 枫桥经验.md -> feng-qiao-jing-yan ; unicode: keeps the Chinese characters
slug_style: pinyin
sections:
  - { dir: speeches, title: 讲话, type: speech }
  - { dir: commentaries, title: 评论, type: commentary }
  - { dir: reflections, title: 研讨发言, type: reflection }
  - { dir: cases, title: 实践案例, type: case }
  - { dir: policies, title: 政策文件, type: policy }
topics:
  glossary_links: true
  min_term_chars: 2
feed_limit: 20
"#;

/// Today's date (UTC) as YYYY-MM-DD, computed without a date library.
pub fn today() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_quoting() {
        assert_eq!(yaml_string("社会工作"), "社会工作");
        assert_eq!(yaml_string("标题: 副标题"), "\"标题: 副标题\"");
    }

    #[test]
    fn today_is_a_date() {
        assert!(crate::content::Date::parse(&today()).is_some());
    }
}
