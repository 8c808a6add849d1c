//! More slips of curators (`tests/sites/more_mistakes/`), beyond `tests/mistakes.rs`: each is
//! either read as meant (the forms in `tests/sites/more_forgiving/` build, some with a warning)
//! or named. Added to a copy of the repository's knowledge base all together, every one is
//! reported in the same run at its file:line:column, quoting the text, with a hint on the next
//! line: in Chinese under a Chinese locale, in English under `C`. `config.yaml`'s slips stop a
//! run before the content is read, so each has a run of its own.

mod common;

use common::*;
use std::path::Path;

use common::slip as s;

const SLIPS: [Slip; 32] = [
    s("cases/n01-fullspace.md", 2, 7, "全角空格", "title:\u{3000}全角空格测试"),
    s("cases/n01-fullspace.md", 4, 1, "全角空格", "\u{3000}\u{3000}type: case"),
    s("cases/n02-month.md", 3, 1, "不是有效的日期", "2024年10月"),
    s("cases/n03-feb30.md", 3, 1, "不是有效的日期", "2024-02-30"),
    s("cases/n04-tags.md", 5, 1, "不认识的键", "tags"),
    s("cases/n05-backslash.md", 7, 7, "反斜杠", "图片\\照片.jpg"),
    s("cases/n06-docx.md", 7, 4, "没有这个文件", "实施方案.docx"),
    s("cases/n07-wiki.md", 7, 3, "全角方括号", "【【在全区社会工作会议上的讲话】】"),
    s("cases/n08-heading.md", 7, 1, "不会成为小标题", "#一、总体要求"),
    s("cases/n09-dashes.md", 5, 1, "全角破折号", "———"),
    s("cases/n10-bold.md", 7, 3, "没有配对结束", "**"),
    s("cases/n11-draftlink.md", 7, 2, "找不到标题相同的页面", "[[一篇草稿]]"),
    s("cases/n12-summary.md", 5, 1, "超过了 200 个", "summary"),
    s("cases/n13-mdtxt.md.txt", 1, 1, "不会成为页面", "n13-mdtxt.md.txt"),
    s("cases/n14-emptydate.md", 3, 1, "后面是空的", "date:"),
    s("cases/n15-www.md", 7, 7, "缺少 `https://`", "www.gov.cn/zhengce/a.html"),
    s("cases/n16-sourceurl.md", 5, 1, "不是网址", "www.gov.cn/zhengce/a.html"),
    s("cases/n17-winpath.md", 7, 7, "电脑上的路径", "C:\\Users\\admin\\Desktop\\照片.jpg"),
    s("cases/n18-parens.md", 7, 2, "全角括号", "[讲话]（@/speeches/"),
    s("cases/n19-relsection.md", 7, 2, "没有这个页面", "speeches/quanqu-shehui-gongzuo-huiyi.md"),
    s("cases/n20-spacetopics.md", 5, 9, "带空格的名称", "志愿服务 社会工作"),
    s("cases/n21-Title.md", 2, 1, "大写字母", "Title"),
    s("cases/n22-case.md", 7, 1, "没有这个文件", "../speeches/Nothing.PNG"),
    s("cases/n23 slug.md", 1, 1, "会被写两次", "/cases/n23-slug/"),
    s("cases/n24-author.md", 5, 1, "不认识的键", "author"),
    s("speech/n26-folder.md", 1, 1, "不是 config.yaml 里的栏目", "speech"),
    s("讲话/n27-zhfolder.md", 1, 1, "不是 config.yaml 里的栏目", "讲话"),
    s("cases/n28-year.md", 3, 1, "不是有效的日期", "24-10-12"),
    s("cases/n29-related.md", 5, 1, "不存在", "quanqu-shehui-gongzuo-huiyi.md"),
    s("cases/n30-fwbang.md", 7, 1, "全角感叹号", "！[照片](missing.jpg)"),
    s("cases/n31-at.md", 5, 10, "保留符号", "speaker: @区委书记"),
    s("cases/n32-escape.md", 5, 16, "反斜杠", "summary: \"文件在C:\\目录里\""),
];

/// Files of the fixture that are not a slip's own (the draft a slip links to, the other
/// file of a clash).
const HELPERS: [&str; 2] = ["cases/n11b-draft.md", "cases/n23-slug.md"];

/// A copy of the repository's site with `files` of `tests/sites/<fixture>/content` added.
fn site_with<'a>(fixture: &str, files: impl IntoIterator<Item = &'a str>) -> SiteTest {
    let site = SiteTest::repository();
    let from = repo_root().join("tests/sites").join(fixture).join("content");
    for file in files {
        let to = site.root.join("content").join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from.join(file), to).unwrap();
    }
    site
}

fn check_in(lang: &str, root: &Path) -> String {
    let out = zhiku_in(lang, &["check", "--root", root.to_str().unwrap()], root);
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The line reporting `slip` (its place, its words, its quote) and the line after it.
fn reported<'a>(report: &'a str, slip: &Slip, says: &str) -> Option<(&'a str, &'a str)> {
    let place = format!("content/{}:{}:{}: ", slip.file, slip.line, slip.column);
    let lines: Vec<&str> = report.lines().collect();
    lines.iter().enumerate().find_map(|(i, line)| {
        (line.starts_with(&place) && line.contains(says) && line.contains(slip.quotes))
            .then(|| (*line, lines.get(i + 1).copied().unwrap_or("")))
    })
}

#[test]
fn every_slip_is_named_in_one_run_in_chinese() {
    let site = site_with("more_mistakes", SLIPS.iter().map(|s| s.file).chain(HELPERS));
    let report = check_in("zh_CN.UTF-8", &site.root);
    for slip in &SLIPS {
        let Some((line, next)) = reported(&report, slip, slip.says) else {
            panic!("{}: not reported at {}:{} saying `{}`:\n{report}", slip.file, slip.line, slip.column, slip.says)
        };
        assert!(line.contains(": 错误: ") || line.contains(": 警告: "), "{line}");
        assert!(next.starts_with("  提示: "), "{}: no hint after `{line}`", slip.file);
    }
    // The fixes named: suggestions for keys and folders, the corrected text.
    for fix in [
        "是不是想写 `topics`",
        "是不是想写 `speaker`",
        "改为 `title: 大写键测试`",
        "改为 `topics: [志愿服务, 社会工作]`",
        "改为 `图片/照片.jpg`",
        "改为 `https://www.gov.cn/zhengce/a.html`",
        "改为 `# 一、总体要求`",
        "`[[在全区社会工作会议上的讲话]]`",
        "是不是想放进栏目 `speeches`",
        "`speaker: \"@区委书记\"`",
        "标有 `draft: true` 的草稿不发布",
    ] {
        assert!(report.contains(fix), "no `{fix}`:\n{report}");
    }
    for english in ["error:", "warning:", "hint:", "did not find", "expected", "unknown", "invalid"] {
        assert!(!report.contains(english), "`{english}` in the Chinese report:\n{report}");
    }
}

#[test]
fn under_an_english_locale_the_same_places_are_reported_in_english() {
    let site = site_with("more_mistakes", SLIPS.iter().map(|s| s.file).chain(HELPERS));
    let report = check_in("C", &site.root);
    for slip in &SLIPS {
        let Some((line, next)) = reported(&report, slip, "") else {
            panic!("{}:{}:{} not reported:\n{report}", slip.file, slip.line, slip.column)
        };
        assert!(line.contains(": error: ") || line.contains(": warning: "), "{line}");
        assert!(next.starts_with("  hint: "), "{line}");
    }
    assert!(!report.contains("错误") && !report.contains("提示") && !report.contains("警告"), "{report}");
}

#[test]
fn forgiving_forms_build_as_meant() {
    let site = SiteTest::repository();
    let from = repo_root().join("tests/sites/more_forgiving/content/cases");
    for entry in std::fs::read_dir(&from).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, site.root.join("content/cases").join(path.file_name().unwrap())).unwrap();
    }
    let report = site.build().unwrap_or_else(|e| panic!("{}", e.report()));
    let date = |slug: &str| {
        let html = site.html(&format!("cases/{slug}/index.html"));
        html.select(&sel("time[datetime]")).next().and_then(|t| t.value().attr("datetime").map(str::to_string))
    };
    for (slug, iso) in [
        ("g01-ellipsis", "2024-05-06"),
        ("g02-dashes", "2024-05-06"),
        ("g03-fullspace", "2024-05-06"),
        ("g05-digits", "2024-01-05"),
        ("g06-hao", "2024-10-12"),
        ("g09-wide-digits", "2024-10-12"),
        ("g10-time", "2024-10-12"),
    ] {
        assert_eq!(date(slug).as_deref().map(|d| &d[..10]), Some(iso), "{slug}");
    }
    // The page's own words, not front matter, in the body.
    let body = text_of(&site.html("cases/g02-dashes/index.html"), "main");
    assert!(!body.contains("title:") && body.contains("正文"), "{body}");
    // A table row with a cell missing keeps its row; the missing cell is empty.
    let table = site.html("cases/g04-table/index.html");
    let rows = table.select(&sel("main table tbody tr")).count();
    assert_eq!(rows, 2);
    // A topic in traditional script is the topic; `type: Case` is a case.
    let g07 = site.html("cases/g07-traditional/index.html");
    let topic_links = texts_of(&g07, "main a[href*='topics/']");
    assert!(topic_links.iter().any(|t| t.contains("志愿服务")), "{topic_links:?}");
    assert!(site.public().join("cases/g08-case/index.html").is_file());
    // Read as meant, with a warning where the file should be tidied: the fences, the spaces.
    let warned: Vec<String> = report.warnings.iter().map(|w| format!("{}:{}", w.file.display(), w.line)).collect();
    for place in ["content/cases/g02-dashes.md:1", "content/cases/g03-fullspace.md:2"] {
        assert!(warned.iter().any(|w| w == place), "{place} not warned: {warned:?}");
    }
    for quiet in ["g01", "g04", "g05", "g06", "g07", "g08", "g09", "g10"] {
        let file = format!("content/cases/{quiet}");
        assert!(!warned.iter().any(|w| w.starts_with(&file)), "{quiet} warned: {warned:?}");
    }
}

/// `config.yaml` with one line replaced by `line`, checked under a Chinese locale.
fn config_report(from: &str, to: &str) -> String {
    let site = SiteTest::repository();
    let path = site.root.join("config.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    check_in("zh_CN.UTF-8", &site.root)
}

#[test]
fn config_slips_are_named_in_chinese_with_the_fix() {
    let cases = [
        (
            "title: 社会工作知识库",
            "title：社会工作知识库",
            "config.yaml:2:6: 错误:",
            "全角冒号",
            "改为 `title: 社会工作知识库`",
        ),
        ("feed_limit: 20", "feed_limit:20", "config.yaml:17:12: 错误:", "少了一个空格", "改为 `feed_limit: 20`"),
        ("feed_limit: 20", "\tfeed_limit: 20", "config.yaml:17:1: 错误:", "制表符", "空格"),
        (
            "feed_limit: 20",
            "feed_limt: 20",
            "config.yaml:17:1: 错误:",
            "不认识的键 `feed_limt`",
            "是不是想写 `feed_limit`",
        ),
        (
            "slug_style: pinyin",
            "slug_style: pinyn",
            "config.yaml:7:13: 错误:",
            "不是 `slug_style` 可以取的值",
            "是不是想写 `pinyin`",
        ),
        ("feed_limit: 20", "feed_limit: 二十", "config.yaml:17:13: 错误:", "文字 `二十`", "正整数"),
        ("  min_term_chars: 2", "min_term_chars: 2", "config.yaml:16:1: 错误:", "不认识的键", "min_term_chars"),
        (
            "  glossary_links: true",
            " glossary_links: true",
            "config.yaml:16:1: 错误:",
            "缩进得多",
            "改为 ` min_term_chars: 2`",
        ),
    ];
    for (from, to, place, says, fix) in cases {
        let report = config_report(from, to);
        let line = report.lines().find(|l| l.starts_with(place) && l.contains(says));
        let line = line.unwrap_or_else(|| panic!("`{to}`: no `{place}` … `{says}`:\n{report}"));
        assert!(report.contains(fix), "`{to}`: no fix `{fix}`:\n{report}");
        assert!(!line.contains("expected") && !line.contains("unknown") && !line.contains("invalid"), "{line}");
    }
}
