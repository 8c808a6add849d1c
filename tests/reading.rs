//! What a reader gets besides the text: pagination of long lists and the timeline by year,
//! page metadata, cross-link lists.

mod common;
use common::*;
use scraper::Html;

/// The `basic` fixture with `paginate: 1`, so every list of two pages or more is paged.
fn paged_site() -> SiteTest {
    let site = SiteTest::fixture("basic");
    let config = std::fs::read_to_string(site.root.join("config.yaml")).unwrap();
    site.write("config.yaml", &format!("{config}paginate: 1\n"));
    site.build().unwrap();
    site
}

fn attr(doc: &Html, selector: &str, name: &str) -> Option<String> {
    doc.select(&sel(selector)).next().and_then(|e| e.value().attr(name)).map(str::to_string)
}

#[test]
fn long_lists_are_paged_with_relative_links() {
    let site = paged_site();
    // Section: page 1 at its own URL, page 2 under page/2/, rel prev/next both ways.
    let first = site.html("speeches/index.html");
    assert_eq!(texts_of(&first, ".page-list .page-item-title"), ["讲话甲"]);
    assert!(text_of(&first, ".stats").contains("共 2 篇"), "{}", text_of(&first, ".stats"));
    assert_eq!(attr(&first, "link[rel=next]", "href").as_deref(), Some("../speeches/page/2/"));
    assert_eq!(attr(&first, "link[rel=prev]", "href"), None);
    let second = site.html("speeches/page/2/index.html");
    assert_eq!(texts_of(&second, ".page-list .page-item-title"), ["讲话丙"]);
    assert_eq!(attr(&second, "link[rel=prev]", "href").as_deref(), Some("../../../speeches/"));
    assert_eq!(text_of(&second, ".pager [aria-current=page]"), "2");
    assert!(text_of(&second, "title").contains("第 2 页"));
    // Topic and region lists too; the topic's definition only on its first page.
    let topic2 = site.html("topics/fengqiao/page/2/index.html");
    assert_eq!(texts_of(&topic2, ".page-list .page-item-title"), ["讲话甲"]);
    assert!(topic2.select(&sel(".definition")).next().is_none());
    assert_eq!(
        attr(&topic2, "link[type='application/atom+xml'][title='枫桥经验']", "href").as_deref(),
        Some("../../../../topics/fengqiao/atom.xml")
    );
    assert!(site.public().join("regions/shan-xi-sheng-tai-yuan-shi-ying-ze-qu/page/2/index.html").exists());
    // Every link of every page, the pagers' included, resolves.
    assert_eq!(broken_links(&site.public(), "/kb/"), Vec::<String>::new());
    // Later pages are in the sitemap.
    assert!(site.read("sitemap.xml").contains("<loc>https://example.org/kb/speeches/page/2/</loc>"));
}

#[test]
fn the_timeline_is_a_year_index_with_a_page_per_year() {
    let site = SiteTest::fixture("basic");
    site.build().unwrap();
    let index = site.html("timeline/index.html");
    let years: Vec<(String, String)> = index
        .select(&sel(".year-index a"))
        .map(|a| (a.value().attr("href").unwrap().to_string(), a.text().collect::<String>()))
        .collect();
    assert_eq!(years.len(), 2, "{years:?}");
    assert_eq!(years[0].0, "../timeline/2024/");
    assert!(years[0].1.contains("2024年") && years[0].1.contains("篇"), "{years:?}");
    let year = site.html("timeline/2024/index.html");
    assert!(text_of(&year, "h1").starts_with("2024年"));
    assert!(!texts_of(&year, ".timeline a").is_empty());
    assert_eq!(text_of(&year, ".year-jump [aria-current=page]"), "2024");
    // The home page's year chips lead to the year pages.
    let home = site.html("index.html");
    assert!(home.select(&sel("a.chip[href='timeline/2024/']")).next().is_some());
}

#[test]
fn a_content_file_on_a_list_page_url_is_a_clash() {
    let site = SiteTest::fixture("basic");
    let config = std::fs::read_to_string(site.root.join("config.yaml")).unwrap();
    site.write("config.yaml", &format!("{config}paginate: 1\n"));
    site.write("content/timeline/2024.md", "---\ntitle: 二〇二四\n---\n\n正文。\n");
    let err = site.build().unwrap_err().to_string();
    assert!(err.contains("`/timeline/2024/` would be written twice"), "{err}");
    assert!(err.contains("content/timeline/2024.md") && err.contains("the timeline"), "{err}");
}

#[test]
fn page_metadata_language_and_cross_link_lists() {
    let site = SiteTest::fixture("basic");
    // 案例乙 links back to 讲话甲, which names it as related: listed once, under 相关文稿.
    let case = std::fs::read_to_string(site.root.join("content/cases/anli-yi.md")).unwrap();
    site.write("content/cases/anli-yi.md", &format!("{case}\n另见[[讲话甲]]。\n"));
    site.write("content/topics/fengqiao.md", "---\ntitle: 枫桥经验\naliases: [楓橋經驗]\n---\n\n典型见[[案例乙]]。\n");
    site.write(
        "content/cases/fan-ti.md",
        "---\ntitle: 楓橋經驗的實踐\ndate: 2024-05-01\nupdated: 2025-02-03\n---\n\n這是一篇以繁體字書寫的實踐總結，記錄了社區工作者們的經驗與體會。\n\n*（原文此处有删节）*\n",
    );
    site.write(
        "content/cases/en.md",
        "---\ntitle: 英文摘要\ndate: 2024-04-01\nlang: en\n---\n\nAn English abstract.\n",
    );
    site.build().unwrap();

    let page = site.html("speeches/jiang-hua-jia/index.html");
    assert_eq!(attr(&page, "html", "lang").as_deref(), Some("zh-CN"));
    assert_eq!(texts_of(&page, "#related-h + .page-list .page-item-title"), ["案例乙"]);
    assert!(!texts_of(&page, "#backlinks-h ~ .page-list .page-item-title").contains(&"案例乙".to_string()));
    // Open Graph and canonical link from base_url; the favicon from the theme.
    let canonical = "https://example.org/kb/speeches/jiang-hua-jia/";
    assert_eq!(attr(&page, "link[rel=canonical]", "href").as_deref(), Some(canonical));
    assert_eq!(attr(&page, "meta[property='og:url']", "content").as_deref(), Some(canonical));
    assert_eq!(attr(&page, "meta[property='og:title']", "content").as_deref(), Some("讲话甲"));
    assert_eq!(attr(&page, "meta[property='og:type']", "content").as_deref(), Some("article"));
    assert_eq!(attr(&page, "meta[property='og:description']", "content").as_deref(), Some("讲话甲的摘要。"));
    assert_eq!(attr(&page, "link[rel=icon]", "href").as_deref(), Some("../../static/favicon.svg"));
    assert!(site.read("static/favicon.svg").starts_with("<svg"));

    // Traditional text is marked zh-Hant; front matter `lang` wins; the cut mark is a note.
    let fan = site.html("cases/fan-ti/index.html");
    assert_eq!(attr(&fan, "html", "lang").as_deref(), Some("zh-Hant"));
    assert_eq!(attr(&site.html("cases/en/index.html"), "html", "lang").as_deref(), Some("en"));
    assert_eq!(text_of(&fan, ".prose p.truncated[role=note]"), "（原文此处有删节）");
    assert!(fan.select(&sel(".prose em")).next().is_none());

    // A topic's page is a 专题 in every list.
    let case = site.html("cases/anli-yi/index.html");
    let badges: Vec<(String, String)> = case
        .select(&sel("#backlinks-h ~ .page-list .page-item"))
        .map(|li| {
            let text = |s: &str| li.select(&sel(s)).next().map(|e| e.text().collect::<String>()).unwrap_or_default();
            (text(".page-item-title"), text(".badge"))
        })
        .collect();
    assert!(badges.contains(&("枫桥经验".to_string(), "专题".to_string())), "{badges:?}");
    assert!(!badges.iter().any(|(t, _)| t == "首页"), "{badges:?}");

    // lastmod: `updated`, else the date.
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/kb/cases/fan-ti/</loc><lastmod>2025-02-03</lastmod>"),
        "{sitemap}"
    );
    assert!(sitemap.contains("<loc>https://example.org/kb/speeches/jiang-hua-jia/</loc><lastmod>2024-03-01</lastmod>"));
}

#[test]
fn bad_updated_and_lang_are_errors_at_their_line() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/cases/x.md",
        "---\ntitle: x\ndate: 2024-01-01\nupdated: 2024-13-01\nlang: \"zh\\\" onload\"\n---\n\n正文。\n",
    );
    let err = site.build().unwrap_err().to_string();
    assert!(err.contains("content/cases/x.md:4:1: error: `updated: 2024-13-01` is not a valid date"), "{err}");
    assert!(err.contains("content/cases/x.md:5:1: error: `lang: zh\" onload` is not a language tag"), "{err}");
}

/// axe-core (from `npm ci`) over every page type in headless Chromium. In CI (`CI=true`) a
/// missing `node_modules` fails; elsewhere the test says why it did not run.
#[test]
fn axe_core_finds_no_serious_violation() {
    if !repo_root().join("node_modules/axe-core/axe.min.js").exists() {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
        assert!(!ci, "node_modules/axe-core is missing: run `npm ci` in the repository first (.ci/run does)");
        println!("skipped: node_modules/axe-core is missing; run `npm ci` to include the accessibility test");
        return;
    }
    let site = SiteTest::repository();
    site.build().unwrap();
    node(&["--test", "tests/js/axe.test.js"], &[("ZHIKU_PUBLIC", &site.public())]);
}

/// The link previews' data: each page's title, type, date and summary, in the file its URL
/// hashes to, and the first lines under each heading a link leads to.
#[test]
fn previews_hold_each_page_and_the_headings_linked_to() {
    let site = SiteTest::fixture("basic");
    site.build().unwrap();
    let page = site.html("speeches/jiang-hua-jia/index.html");
    let shards: usize = attr(&page, "body", "data-previews").unwrap().parse().unwrap();
    let entry = |url: &str| -> serde_json::Value {
        let file = site.read(&format!("previews/{}.js", zhiku::preview_data::shard_of(url, shards)));
        let json = file.split_once(',').unwrap().1.trim_end().trim_end_matches(");");
        let entries: Vec<serde_json::Value> = serde_json::from_str(json).unwrap();
        entries.into_iter().find(|e| e[0] == url).unwrap_or_else(|| panic!("no preview for {url}: {file}"))
    };
    let speech = entry("speeches/jiang-hua-jia/");
    assert_eq!(speech[1], "讲话甲");
    assert_eq!(
        (&speech[2], &speech[3], &speech[4], &speech[5]),
        (&"speech".into(), &"讲话".into(), &"2024年3月1日".into(), &"讲话甲的摘要。".into())
    );
    // 讲话甲 links to 案例乙's second heading: its first lines come with the preview.
    let case = entry("cases/anli-yi/");
    assert_eq!(case[6], serde_json::json!([["二主要做法", "二、主要做法", "做法介绍。"]]));
    // A topic without a page has a preview too; a topic's page is a 专题.
    assert_eq!(entry("topics/fengqiao/")[3], "专题");
    let generated = site.html("topics/index.html");
    let href = generated
        .select(&sel("a"))
        .filter_map(|a| a.value().attr("href"))
        .find(|h| h.contains("wei-jian"))
        .map(str::to_string);
    if let Some(href) = href {
        let url = href.trim_start_matches("../");
        assert_eq!(entry(url)[3], "专题");
    }
}

/// The knowledge maps: a page's neighbourhood, a topic's pages by year, the site's topics.
#[test]
fn knowledge_maps_are_svg_with_links_and_the_same_bytes_every_build() {
    let site = SiteTest::fixture("basic");
    site.build().unwrap();
    let page = site.html("speeches/jiang-hua-jia/index.html");
    let nodes: Vec<String> = page
        .select(&sel("svg.map-local a"))
        .map(|a| a.select(&sel("title")).next().unwrap().text().collect())
        .collect();
    assert!(nodes.contains(&"案例乙（实践案例）".to_string()), "{nodes:?}");
    assert!(nodes.contains(&"枫桥经验（专题）".to_string()), "{nodes:?}");
    assert!(page.select(&sel("svg.map-local > title")).next().is_some());
    let topic = site.html("topics/fengqiao/index.html");
    let years: Vec<String> = topic.select(&sel("svg.map-years g title")).map(|t| t.text().collect()).collect();
    assert_eq!(years, ["2024年：2 篇"]);
    let map = site.html("map/index.html");
    assert!(map.select(&sel("svg.map-site a.map-node")).count() >= 2);
    assert!(texts_of(&map, ".map-table tbody th a").contains(&"枫桥经验".to_string()));
    assert_eq!(attr(&map, ".site-nav a[aria-current=page]", "href").as_deref(), Some("../map/"));
    // Deterministic: a second build writes the same bytes.
    let first = snapshot(&site.public());
    site.build().unwrap();
    let second = snapshot(&site.public());
    for (path, bytes) in &first {
        if path.starts_with("map/") || path.starts_with("previews/") || path.ends_with("index.html") {
            assert!(second.get(path) == Some(bytes), "{path} changed between two builds");
        }
    }
}

/// Previews, maps and the dark-mode toggle used with mouse, keyboard and touch in Chromium.
#[test]
fn previews_maps_and_the_toggle_in_a_browser() {
    let site = SiteTest::repository();
    site.build().unwrap();
    node(&["--test", "tests/js/reader.test.js"], &[("ZHIKU_PUBLIC", &site.public())]);
}
