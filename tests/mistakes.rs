//! Common mistakes of curators (`tests/sites/mistakes/`), each in its own file added to a copy
//! of the repository's knowledge base: alone and all together, every one is reported in the
//! same run, in Chinese under a Chinese locale, at its file:line:column, quoting the text, with
//! a hint. The forgiving forms (`tests/sites/forgiving/`) build.

mod common;

use common::*;
use scraper::{Html, Selector};
use std::path::Path;
use std::process::{Command, Output};

use common::{Slip as Mistake, slip as m};

const MISTAKES: [Mistake; 28] = [
    m("cases/m01-colon.md", 2, 6, "全角冒号", "title：测试讲话"),
    m("cases/m02-tab.md", 4, 1, "制表符", "type: case"),
    m("cases/m03-nospace.md", 4, 6, "冒号后面少了一个空格", "type:case"),
    m("cases/m04-bracket.md", 5, 9, "没有配对的结束符号", "topics: [志愿服务, 社会工作"),
    m("cases/m05-quote.md", 2, 8, "没有配对的结尾引号", "title: \"未闭合的引号"),
    m("cases/m06-typo.md", 5, 1, "不认识的键", "speakr"),
    m("cases/m07-zhkey.md", 4, 1, "不认识的键", "类型"),
    m("cases/m08-date.md", 3, 1, "不是有效的日期", "2024-13-45"),
    m("cases/m09-type.md", 4, 7, "不是页面类型", "讲稿"),
    m("cases/m10-title.md", 7, 2, "找不到标题相同的页面", "[[在全区社会工作会议上讲话]]"),
    m("cases/m11-anchor.md", 7, 2, "小标题", "#（九）不存在的小标题"),
    m("cases/m12-picture.md", 7, 1, "没有这个文件", "missing.png"),
    m("cases/m13-dup.md", 2, 1, "标题相同", "在全区社会工作会议上的讲话"),
    m("cases/m14-empty.md", 1, 1, "没有元数据", ""),
    m("cases/m15-gbk.md", 2, 8, "UTF-8", ""),
    m("cases/m16-noclose.md", 1, 1, "元数据没有结束", ""),
    m("cases/m17-ext.markdown", 1, 1, "扩展名必须是 `.md`", "m17-ext.markdown"),
    m("cases/m18-comma.md", 5, 14, "全角逗号", "topics: [志愿服务，社会工作]"),
    m("cases/m19-brackets.md", 5, 9, "全角方括号", "topics: 【志愿服务, 社会工作】"),
    m("cases/m20-notitle.md", 1, 1, "没有 `title`", ""),
    m("cases/m21-path.md", 7, 2, "不存在", "@/speeches/nothing.md"),
    m("cases/m22-relative.md", 7, 2, "没有这个页面", "../speeches/nothing.md"),
    m("cases/m23-date.md", 3, 1, "不是有效的日期", "2024年13月1日"),
    m("cases/m24-related.md", 5, 1, "不存在", "cases/nothing.md"),
    m("cases/m25-topic.md", 5, 1, "还没有自己的页面", "志原服务"),
    m("cases/m26-draft.md", 5, 8, "既不是 true 也不是 false", "是的"),
    m("cases/m28-nodate.md", 2, 1, "需要 `date`", ""),
    m("cases/Yingze-Brand.md", 1, 1, "会被写两次", "/cases/yingze-brand/"),
];

/// What a mistake's message must hold beyond its own words: a hint on the next line.
fn hint(lang_zh: bool) -> &'static str {
    if lang_zh { "  提示: " } else { "  hint: " }
}

/// A copy of the repository's site with the given files of `tests/sites/mistakes/content` added.
fn site_with<'a>(files: impl IntoIterator<Item = &'a str>) -> SiteTest {
    let site = SiteTest::repository();
    let from = repo_root().join("tests/sites/mistakes/content");
    for file in files {
        std::fs::copy(from.join(file), site.root.join("content").join(file)).unwrap();
    }
    site
}

fn check_in(lang: &str, root: &Path) -> Output {
    zhiku_in(lang, &["check", "--root", root.to_str().unwrap()], root)
}

/// The report's line for `mistake` (the place, then the message) and the line after it.
fn reported<'a>(stderr: &'a str, mistake: &Mistake) -> Option<(&'a str, &'a str)> {
    let place = format!("content/{}:{}:{}: ", mistake.file, mistake.line, mistake.column);
    let lines: Vec<&str> = stderr.lines().collect();
    lines.iter().enumerate().find_map(|(i, line)| {
        (line.starts_with(&place) && line.contains(mistake.says) && line.contains(mistake.quotes))
            .then(|| (*line, lines.get(i + 1).copied().unwrap_or("")))
    })
}

fn assert_reported_in_chinese(stderr: &str, mistake: &Mistake) {
    let Some((line, next)) = reported(stderr, mistake) else {
        panic!(
            "{}: not reported at {}:{} saying `{}`:\n{stderr}",
            mistake.file, mistake.line, mistake.column, mistake.says
        )
    };
    assert!(line.contains(": 错误: ") || line.contains(": 警告: "), "{line}");
    assert!(next.starts_with(hint(true)), "{}: no hint after `{line}`", mistake.file);
}

#[test]
fn each_mistake_alone_is_reported_in_chinese_at_its_place() {
    for mistake in &MISTAKES {
        let site = site_with([mistake.file]);
        let out = check_in("zh_CN.UTF-8", &site.root);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_reported_in_chinese(&stderr, mistake);
    }
}

#[test]
fn all_mistakes_together_are_reported_in_one_run() {
    let site = site_with(MISTAKES.iter().map(|m| m.file));
    let out = check_in("zh_CN.UTF-8", &site.root);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for mistake in &MISTAKES {
        assert_reported_in_chinese(&stderr, mistake);
    }
    assert!(stderr.contains("处错误，没有写入任何文件"), "{stderr}");
    // Nothing in the report speaks English wording of the tool's own.
    for english in ["error:", "warning:", "hint:", "front matter", "does not exist", "expected"] {
        assert!(!stderr.contains(english), "`{english}` in the Chinese report:\n{stderr}");
    }
}

#[test]
fn under_an_english_locale_the_same_places_are_reported_in_english() {
    let site = site_with(MISTAKES.iter().map(|m| m.file));
    let out = check_in("C", &site.root);
    let stderr = String::from_utf8_lossy(&out.stderr);
    for mistake in &MISTAKES {
        let place = format!("content/{}:{}:{}: ", mistake.file, mistake.line, mistake.column);
        let line = stderr.lines().find(|l| l.starts_with(&place) && l.contains(mistake.quotes));
        let line = line.unwrap_or_else(|| panic!("{place} not reported:\n{stderr}"));
        assert!(line.contains(": error: ") || line.contains(": warning: "), "{line}");
    }
    assert!(!stderr.contains("错误") && !stderr.contains("提示"), "{stderr}");
}

#[test]
fn did_you_mean_for_keys_types_titles_and_topics() {
    let site = site_with(["cases/m06-typo.md", "cases/m09-type.md", "cases/m10-title.md", "cases/m25-topic.md"]);
    let stderr = String::from_utf8_lossy(&check_in("zh_CN.UTF-8", &site.root).stderr).into_owned();
    for suggestion in ["是不是想写 `speaker`", "是不是想写 `讲话`", "在全区社会工作会议上的讲话", "志愿服务"]
    {
        assert!(stderr.contains(suggestion), "no `{suggestion}`:\n{stderr}");
    }
}

/// A copy of the repository's site with every file of `tests/sites/forgiving/content` added.
fn forgiving_site() -> SiteTest {
    let site = SiteTest::repository();
    let from = repo_root().join("tests/sites/forgiving/content/speeches");
    for entry in std::fs::read_dir(&from).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, site.root.join("content/speeches").join(path.file_name().unwrap())).unwrap();
    }
    site
}

#[test]
fn forgiving_forms_build_and_summaries_skip_salutations() {
    let site = forgiving_site();
    let report = site.build().unwrap_or_else(|e| panic!("{}", e.report()));
    assert!(report.pages > 10);
    let description = Selector::parse("meta[name=description]").unwrap();
    let page = |slug: &str| {
        let path = site.public().join("speeches").join(slug).join("index.html");
        Html::parse_document(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
    };
    for (slug, starts) in [("f10-salutation", "这次会议"), ("f01-dates", "今天我们召开")] {
        let html = page(slug);
        let meta = html.select(&description).next().and_then(|m| m.value().attr("content")).unwrap_or("");
        assert!(meta.starts_with(starts), "{slug}: summary `{meta}`");
    }
    // Every forgiving file is a page (a BOM, `.MD`, spaces in the name, front matter alone).
    for slug in
        ["f02-dots", "f03-slashes", "f04-bom", "f05-upper", "f06-kong-ge-ming", "f07-smart", "f08-only-front-matter"]
    {
        assert!(site.public().join("speeches").join(slug).join("index.html").is_file(), "{slug}");
    }
    // `[[title#heading as displayed]]` links to that heading, its text the heading's text.
    let html = page("f09-links");
    let links = Selector::parse("main a[href*='quanqu-shehui-gongzuo-huiyi']").unwrap();
    let texts: Vec<String> = html.select(&links).map(|a| a.text().collect()).collect();
    assert!(texts.iter().any(|t| t.starts_with("（一）深刻认识")), "{texts:?}");
    assert!(texts.iter().any(|t| t == "区里的讲话"), "{texts:?}");
}

#[test]
fn a_build_piped_prints_no_progress() {
    let site = SiteTest::repository();
    // Progress would show at once on a terminal; piped, nothing of it is printed.
    let out = Command::new(env!("CARGO_BIN_EXE_zhiku"))
        .args(["build", "--root", site.root.to_str().unwrap()])
        .env("ZHIKU_PROGRESS_DELAY_MS", "0")
        .env("LANG", "zh_CN.UTF-8")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let all = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
    // No carriage returns or terminal control sequences (spinners redraw with them).
    assert!(!all.contains(&b'\r') && !all.contains(&0x1b), "{}", String::from_utf8_lossy(&all));
}
