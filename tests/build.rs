//! Builds fixture sites and the repository's own knowledge base, and checks the output as a
//! reader and a web server would see it.

mod common;

use common::*;
use zhiku::{Error, site};

#[test]
fn basic_site_pages_metadata_and_cross_links() {
    let site = SiteTest::fixture("basic");
    let report = site.build().expect("basic site builds");
    assert!(report.warnings.iter().any(|w| w.message.contains("未建页面的专题")), "warns about a topic without page");

    let page = site.html("speeches/jiang-hua-jia/index.html");
    assert_eq!(text_of(&page, "h1"), "讲话甲");
    assert_eq!(page.root_element().value().attr("lang"), Some("zh-CN"));
    let meta = text_of(&page, ".meta");
    for expected in ["讲话", "2024年3月1日", "区委书记", "中共某区委社会工作部", "山西省太原市迎泽区", "中国社区报"]
    {
        assert!(meta.contains(expected), "meta shows {expected}: {meta}");
    }
    let source = page.select(&sel(".meta a[href^='https://']")).next().expect("source link");
    assert_eq!(source.value().attr("href"), Some("https://example.org/news/1"));

    // Outline: 一、 is h2, （一） promoted to h3, ids keep the Chinese.
    assert_eq!(texts_of(&page, ".prose h2"), ["一、坚持楓橋經驗#"]);
    assert_eq!(texts_of(&page, ".prose h3"), ["（一）深入基层调研#"]);
    assert_eq!(texts_of(&page, ".toc-side li").len(), 2);

    // Internal links resolve to relative URLs with anchors.
    let hrefs: Vec<String> = page
        .select(&sel(".prose a:not(.anchor):not(.term)"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert!(hrefs.contains(&"../../cases/anli-yi/#二主要做法".to_string()), "{hrefs:?}");
    assert!(hrefs.contains(&"../../cases/anli-yi/".to_string()), "{hrefs:?}");
    assert!(hrefs.contains(&"#一坚持楓橋經驗".to_string()), "{hrefs:?}");

    // Glossary: first mention in the body (traditional form), not in the heading or code.
    let terms: Vec<_> = page.select(&sel(".prose a.term")).collect();
    assert_eq!(terms.len(), 1);
    assert_eq!(terms[0].text().collect::<String>(), "新时代“楓橋經驗”", "longest alias wins");
    assert_eq!(terms[0].value().attr("href"), Some("../../topics/fengqiao/"));
    assert!(page.select(&sel(".prose h2 a.term, .prose pre a")).next().is_none());

    // Masked names shown literally; raw HTML sanitized; code highlighted with classes.
    let prose = text_of(&page, ".prose");
    assert!(prose.contains("现代化**新实践") && prose.contains("以_同志"), "{prose}");
    assert!(page.select(&sel(".prose script, [onclick]")).next().is_none());
    assert!(prose.contains("原始段落"));
    assert!(page.select(&sel("pre.code span[class^='hl-']")).next().is_some());

    // Explicit related page and backlinks.
    assert_eq!(texts_of(&page, "#related-h + .page-list .page-item-title"), ["案例乙"]);
    let case = site.html("cases/anli-yi/index.html");
    // The home page links everywhere: it is not listed as linking here.
    assert_eq!(texts_of(&case, "#backlinks-h ~ .page-list .page-item-title"), ["讲话甲"]);
}

#[test]
fn topics_timeline_regions_and_prev_next() {
    let site = SiteTest::fixture("basic");
    site.build().unwrap();

    let topic = site.html("topics/fengqiao/index.html");
    assert_eq!(text_of(&topic, "h1"), "枫桥经验");
    // Both pages reference the topic (one by its traditional alias), newest first.
    assert_eq!(texts_of(&topic, ".page-list .page-item-title"), ["案例乙", "讲话甲"]);
    let index = site.html("topics/index.html");
    let cards = texts_of(&index, ".topic-card");
    assert!(cards[0].starts_with("枫桥经验") && cards[0].contains("2 篇"), "{cards:?}");
    assert!(site.public().join("topics/wei-jian-ye-mian-de-zhuan-ti/index.html").exists(), "generated topic page");
    assert!(text_of(&index, ".lede").contains("每个专题"), "default introduction");
    site.write("content/topics/_index.md", "---\ntitle: 专题\n---\n\n本库的专题导读。\n");
    site.build().unwrap();
    assert_eq!(text_of(&site.html("topics/index.html"), ".intro").trim(), "本库的专题导读。");
    assert!(site.read("topics/fengqiao/atom.xml").contains("<title>案例乙</title>"));

    let timeline = site.html("timeline/index.html");
    assert_eq!(
        texts_of(&timeline, ".year-index-year").iter().map(|s| s[..4].to_string()).collect::<Vec<_>>(),
        ["2024", "2023"]
    );
    let region = site.html("regions/shan-xi-sheng-tai-yuan-shi-ying-ze-qu/index.html");
    assert_eq!(texts_of(&region, ".page-item-title"), ["案例乙", "讲话甲"]);

    // Section list newest first; prev/next within it; drafts left out.
    let section = site.html("speeches/index.html");
    assert_eq!(texts_of(&section, ".page-item-title"), ["讲话甲", "讲话丙"]);
    assert!(!site.public().join("speeches/cao-gao").exists());
    let page = site.html("speeches/jiang-hua-jia/index.html");
    assert!(text_of(&page, ".prev-next .next").contains("讲话丙"));
}

#[test]
fn drafts_are_built_on_request() {
    let site = SiteTest::fixture("basic");
    let mut options = site.options();
    options.drafts = true;
    zhiku::site::build(&options).unwrap();
    assert!(site.public().join("speeches/cao-gao/index.html").exists());
}

#[test]
fn feeds_sitemap_robots_and_404() {
    let site = SiteTest::fixture("basic");
    site.build().unwrap();
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/kb/speeches/jiang-hua-jia/</loc>"), "{sitemap}");
    assert!(sitemap.contains("<loc>https://example.org/kb/</loc>"));
    let atom = site.read("atom.xml");
    assert!(atom.contains("<updated>2024-06-01T00:00:00+08:00</updated>"));
    assert!(atom.contains("https://example.org/kb/cases/anli-yi/"));
    assert!(site.read("robots.txt").contains("Sitemap: https://example.org/kb/sitemap.xml"));
    let not_found = site.html("404.html");
    assert!(text_of(&not_found, "h1").contains("页面未找到"));
    // Served at any depth: its links start at base_url's path, and no <base> sends its skip
    // link to the home page.
    let css = not_found.select(&sel("link[rel=stylesheet]")).next().unwrap();
    assert_eq!(css.value().attr("href"), Some("/kb/static/style.css"));
    assert!(not_found.select(&sel("base")).next().is_none());
    assert_eq!(not_found.select(&sel("a.skip-link")).next().unwrap().value().attr("href"), Some("#main"));
    assert!(not_found.select(&sel("a[href='/kb/timeline/']")).next().is_some());
    assert!(site.read("static/highlight.css").contains(".hl-"));
}

#[test]
fn every_link_resolves_in_fixture() {
    let site = SiteTest::fixture("basic");
    site.build().unwrap();
    let broken = broken_links(&site.public(), "/kb/");
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn broken_site_reports_every_error_with_place_and_keeps_nothing() {
    let site = SiteTest::fixture("broken");
    let err = site.build().unwrap_err();
    let Error::Content(diags) = &err else { panic!("expected content errors, got {err}") };
    let shown: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    let expect = [
        ("content/cases/b.md:4:1", "unknown field `speakr`"),
        ("content/cases/c.md:3:1", "not a valid date"),
        ("content/cases/d.md:1:1", "not closed"),
        ("content/speeches/a.md:6:2", "missing page `@/cases/missing.md`"),
        ("content/speeches/a.md:8:41", "`[[没有这个标题]]`"),
    ];
    for (place, msg) in expect {
        assert!(shown.iter().any(|s| s.starts_with(place) && s.contains(msg)), "{place} {msg} in {shown:#?}");
    }
    // b.md's front matter has an unknown key, but its title and headings are read: the link
    // to a heading it lacks is reported in the same run.
    assert!(shown.iter().any(|s| s.starts_with("content/speeches/a.md:8:2") && s.contains("no-such-heading")));
    assert!(shown.iter().all(|s| s.contains("hint:")), "{shown:#?}");
    assert!(!site.public().exists());
}

#[test]
fn missing_anchor_is_an_error() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/cases/e.md",
        "---\ntitle: 案例戊\ndate: 2024-01-01\n---\n\n[坏锚点](@/cases/anli-yi.md#三不存在)\n",
    );
    let err = site.build().unwrap_err().to_string();
    assert!(err.contains("content/cases/e.md:6:1: error: link to missing heading `#三不存在`"), "{err}");
    assert!(err.contains("一基本情况"), "lists existing headings: {err}");
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let site = SiteTest::fixture("basic");
    site.build().unwrap();
    let before = snapshot(&site.public());
    site.write("content/cases/anli-yi.md", "---\ntitle: 案例乙\ndate: 2024-06-01\nbad key\n---\n");
    assert!(site.build().is_err());
    assert_eq!(snapshot(&site.public()), before);
    let leftovers: Vec<_> = walkdir::WalkDir::new(&site.root)
        .into_iter()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging") || n.contains("zhiku-old"))
        .collect();
    assert!(site.root.join(".zhiku/index/docs.bin").exists(), "the last good search index is kept");
    assert!(leftovers.is_empty(), "staging folders cleaned up: {leftovers:?}");
}

/// The third build in a row rewrites the second one's output in place instead of making every
/// file anew; the result must be exactly a fresh build, with nothing stale left and nothing
/// written through a link planted in the old output.
#[cfg(unix)]
#[test]
fn rebuilds_recycle_the_previous_output_exactly() {
    use std::os::unix::fs::MetadataExt;
    let site = SiteTest::fixture("basic");
    site.build().unwrap();
    site.build().unwrap();
    let trash = site.root.join(".zhiku/trash");
    let old = std::fs::read_dir(&trash).unwrap().next().unwrap().unwrap().path();
    let inode = |p: &std::path::Path| std::fs::metadata(p).unwrap().ino();
    let kept_inode = inode(&old.join("speeches/jiang-hua-jia/index.html"));
    // Stale things in the old output, and edits: a page removed, one changed, one added.
    std::fs::write(old.join("stale.txt"), "old").unwrap();
    std::fs::create_dir_all(old.join("gone/deep")).unwrap();
    std::fs::write(old.join("gone/deep/index.html"), "old").unwrap();
    std::fs::remove_file(site.root.join("content/speeches/cao-gao.md")).unwrap();
    let case = std::fs::read_to_string(site.root.join("content/cases/anli-yi.md")).unwrap();
    site.write("content/cases/anli-yi.md", &case.replace("---\n\n", "---\n\n新增的一句话。\n\n"));
    site.write("content/policies/xin-wen-jian.md", "---\ntitle: 新文件\ndate: 2024-05-01\n---\n\n正文。\n");

    site.build().unwrap();
    let fresh = tempfile::tempdir().unwrap();
    let mut options = site.options();
    options.output = Some(fresh.path().join("public"));
    zhiku::site::build(&options).unwrap();
    assert_eq!(snapshot(&site.public()), snapshot(&fresh.path().join("public")));
    assert_eq!(inode(&site.public().join("speeches/jiang-hua-jia/index.html")), kept_inode, "recycled in place");
    assert!(site.read("cases/anli-yi/index.html").contains("新增的一句话"));

    // A link in the old output is never written through: that output is not recycled.
    let outside = tempfile::tempdir().unwrap();
    site.build().unwrap();
    let old = std::fs::read_dir(&trash).unwrap().next().unwrap().unwrap().path();
    std::fs::remove_dir_all(old.join("cases")).unwrap();
    std::os::unix::fs::symlink(outside.path(), old.join("cases")).unwrap();
    site.build().unwrap();
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0, "nothing written outside");
    assert_eq!(snapshot(&site.public()), snapshot(&fresh.path().join("public")));

    // A failed build leaves the output alone and keeps the recycled folder for the next one.
    site.build().unwrap();
    let before = snapshot(&site.public());
    site.write("content/cases/anli-yi.md", "---\ntitle: 案例乙\nbad key\n---\n");
    assert!(site.build().is_err());
    assert_eq!(snapshot(&site.public()), before);
    assert!(trash.join("public.recycle").is_dir());
    site.write("content/cases/anli-yi.md", &case);
    site.build().unwrap();
    assert!(!site.read("cases/anli-yi/index.html").contains("新增的一句话"));
}

#[test]
fn builds_are_byte_identical() {
    let site = SiteTest::repository();
    site.build().unwrap();
    let first = snapshot(&site.public());
    site.build().unwrap();
    assert_eq!(snapshot(&site.public()), first);
}

/// Large sites free parsed pages and parse each again when rendering it: same output.
#[test]
fn parsing_again_at_render_gives_the_same_site() {
    let site = SiteTest::repository();
    site.build().unwrap();
    let kept = snapshot(&site.public());
    let mut options = site.options();
    options.keep_parsed_bytes = 0;
    site::build(&options).unwrap();
    let parsed_again = snapshot(&site.public());
    assert_eq!(parsed_again.keys().collect::<Vec<_>>(), kept.keys().collect::<Vec<_>>());
    for (path, bytes) in &kept {
        assert!(parsed_again[path] == *bytes, "{path} differs when pages are parsed again");
    }
}

#[test]
fn output_never_replaces_the_sources() {
    let site = SiteTest::fixture("basic");
    let mut options = site.options();
    options.output = Some(site.root.clone());
    let err = zhiku::site::build(&options).unwrap_err().to_string();
    assert!(err.contains("refusing"), "{err}");
    assert!(site.root.join("content/cases/anli-yi.md").exists());
}

#[test]
fn site_theme_overrides_templates_and_static_files() {
    let site = SiteTest::fixture("basic");
    let page = std::fs::read_to_string(repo_root().join("themes/default/templates/page.html")).unwrap();
    site.write("themes/default/templates/page.html", &page.replace("<article", "<article data-custom=\"yes\""));
    site.write("themes/default/static/extra.css", "body{}");
    site.build().unwrap();
    let html = site.html("speeches/jiang-hua-jia/index.html");
    assert!(html.select(&sel("article[data-custom=yes]")).next().is_some());
    assert!(site.public().join("static/extra.css").exists());
    assert!(site.public().join("static/style.css").exists(), "built-in files still there");
}

/// The repository's own knowledge base: builds, and every link and anchor resolves, at the root
/// and under a sub-path.
#[test]
fn repository_site_links_resolve_at_root_and_sub_path() {
    for (base_url, base_path) in [("https://example.org/", "/"), ("https://example.github.io/zhiku/", "/zhiku/")] {
        let site = SiteTest::repository();
        let mut options = site.options();
        options.base_url = Some(base_url.into());
        let report = zhiku::site::build(&options).unwrap();
        assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
        let broken = broken_links(&site.public(), base_path);
        assert!(broken.is_empty(), "{base_url}: {broken:#?}");
        assert!(site.read("sitemap.xml").contains(&format!("<loc>{base_url}cases/yingze-brand/</loc>")));
    }
}

/// Every URL has one owner. A content file on a URL zhiku makes (a region page, the search page,
/// the sitemap), two paths that differ only in letter case, and a theme file over a generated
/// one are errors naming both sources, in `build` and in `check`, and nothing is written. So
/// are a topic alias that is another topic's title and two sections with the same folder.
#[test]
fn url_clashes_are_errors_naming_both_sources() {
    let site = SiteTest::fixture("basic");
    let case = std::fs::read_to_string(site.root.join("content/cases/anli-yi.md")).unwrap();
    site.write("content/cases/anli-yi.md", &case.replacen("region: 山西省太原市迎泽区", "region: 北京", 1));
    site.write("content/regions/bei-jing.md", "---\ntitle: 北京简介\n---\n\n北京。\n");
    site.write("content/search/_index.md", "---\ntitle: 搜索说明\n---\n\n说明。\n");
    site.write("content/sitemap.xml/_index.md", "---\ntitle: 网站地图\n---\n\n地图。\n");
    site.write("content/Cases/anli-yi.md", "---\ntitle: 大写目录\ndate: 2024-01-01\n---\n\n正文。\n");
    site.write("themes/default/static/highlight.css", "pre { color: red }");
    site.write("content/topics/jiceng.md", "---\ntitle: 基层治理\naliases: [楓橋經驗]\n---\n\n基层。\n");
    let expect = [
        (
            "content/regions/bei-jing.md:1:1",
            "`/regions/bei-jing/` would be written twice: by `content/regions/bei-jing.md` and by the region page for `region: 北京` (see content/cases/anli-yi.md:5)",
        ),
        (
            "content/regions/bei-jing.md:1:1",
            "`/regions/` would be written twice: by the list of the section `regions` and by the region index",
        ),
        (
            "content/search/_index.md:1:1",
            "`/search/` would be written twice: by `content/search/_index.md` and by the search page",
        ),
        (
            "content/sitemap.xml/_index.md:1:1",
            "`/sitemap.xml` is a file made by the sitemap, but `content/sitemap.xml/_index.md` needs a folder of that name",
        ),
        (
            "content/Cases/anli-yi.md:1:1",
            "`/Cases/anli-yi/` (`content/Cases/anli-yi.md`) and `/cases/anli-yi/` (`content/cases/anli-yi.md`) differ only in letter case",
        ),
        (
            "themes/default/static/highlight.css",
            "`/static/highlight.css` would be written twice: by the theme's static file",
        ),
        (
            "content/topics/jiceng.md:3:1",
            "the alias `楓橋經驗` of this topic is also the title of the topic `枫桥经验` (content/topics/fengqiao.md)",
        ),
    ];
    let check = zhiku::site::check(&site.root).unwrap_err().to_string();
    let build = site.build().unwrap_err().to_string();
    for report in [&check, &build] {
        for (place, message) in expect {
            let found = report.lines().any(|l| l.starts_with(&format!("{place}: error: ")) && l.contains(message));
            assert!(found, "{place}: {message}\nin:\n{report}");
        }
    }
    assert!(build.contains("hint: every URL has one source: rename or move `content/search/_index.md`"), "{build}");
    assert!(!site.public().exists(), "nothing is written");

    // Each removed, the site builds.
    for rel in ["content/regions/bei-jing.md", "content/search/_index.md", "content/sitemap.xml/_index.md"] {
        std::fs::remove_file(site.root.join(rel)).unwrap();
    }
    std::fs::remove_dir_all(site.root.join("content/Cases")).unwrap();
    std::fs::remove_file(site.root.join("themes/default/static/highlight.css")).unwrap();
    site.write("content/topics/jiceng.md", "---\ntitle: 基层治理\n---\n\n基层。\n");
    site.build().unwrap();
    assert_eq!(
        site.html("regions/bei-jing/index.html").select(&sel("h1")).next().unwrap().text().collect::<String>(),
        "北京"
    );
}

/// The registry of output paths that clash checks read lists exactly the files a build writes
/// (the search export's data files apart), so no output escapes the check.
#[test]
fn output_registry_lists_every_file_a_build_writes() {
    let site = SiteTest::repository();
    site.build().unwrap();
    let source = site::load(&site.root, None, false).unwrap();
    let (_, links, _) = site::analyze(&source).unwrap();
    let registry = zhiku::render::outputs(&source.pages, &links, &source.config, &source.theme);
    let mut registered: Vec<String> = registry.paths().map(str::to_string).collect();
    registered.sort();
    let written: Vec<String> = snapshot(&site.public())
        .into_keys()
        .filter(|p| !p.starts_with("search/") || p == "search/index.html")
        .collect();
    assert_eq!(registered, written);
}
