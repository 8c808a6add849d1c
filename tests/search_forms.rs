//! Search on text as people write it: a query in any script form (mainland, Taiwan, Hong Kong)
//! finds every page holding it in any form; numbers, units and codes match as written. The
//! oracle is the folded text itself: a page contains a query when its folded title or body holds
//! the folded query. Every such page is found, none that does not ranks above one that does,
//! and the client in node gives the same results and scores as `zhiku search --json`.

mod common;

use common::*;
use serde_json::{Value, json};
use zhiku::search::analyzer::fold_text;

/// Queries in every form of the texts in `tests/sites/forms`.
const QUERIES: &[&str] = &[
    // Variant and one-to-many forms, each direction.
    "卫生",
    "衛生",
    "衞生",
    "干净",
    "乾淨",
    "这里",
    "這裡",
    "這裏",
    "着重",
    "著重",
    "沉默",
    "沈默",
    "干部",
    "幹部",
    "每周",
    "每週",
    "社区卫生",
    "社區衞生服務",
    "枫桥经验",
    "楓橋經驗",
    // Forms OpenCC's newer tables join (邨/村, 舖/铺, 拚/拼, 像/象).
    "屋村",
    "屋邨",
    "店铺",
    "店舖",
    "打拼",
    "打拚",
    "想像",
    // Numbers, units and codes as written; full-width forms fold to them.
    "3.5万",
    "7×24小时",
    "7×24",
    "PM2.5",
    "pm2.5",
    "1+10+N",
    "１＋１０＋Ｎ",
    "2024-10-12",
    "12345热线",
    "12345",
    "98.5%",
    "3.5",
    // Ranges, ratios and percentages as written.
    "9～18时",
    "9~18",
    "3—4人",
    "100%",
    "９５％",
    "1∶20",
    "5%—8%",
    // Dates: a page's own date is not text, so only pages saying it are found.
    "2025年",
    "2025",
];

#[test]
fn every_form_finds_every_page_that_holds_it() {
    let site = SiteTest::fixture("forms");
    site.build().unwrap();
    let pages = folded_pages(&site.root);
    let mut expected = Vec::new();
    for q in QUERIES {
        let results = cli_search(&site.root, &[q, "--limit", "100"]);
        let urls: Vec<&str> = results.iter().map(|r| r["url"].as_str().unwrap()).collect();
        let needle = fold_text(q);
        let holding: Vec<&str> =
            pages.iter().filter(|(_, text)| text.contains(&needle)).map(|(u, _)| u.as_str()).collect();
        assert!(!holding.is_empty(), "`{q}`: the fixture holds it somewhere");
        for u in &holding {
            assert!(urls.contains(u), "`{q}` finds {u}: {urls:?}");
        }
        // Pages holding the query come first.
        let first_other = urls.iter().position(|u| !holding.contains(u)).unwrap_or(urls.len());
        assert!(urls[first_other..].iter().all(|u| !holding.contains(u)), "`{q}`: {urls:?}, holding {holding:?}");
        let by_year: Value = cli_search(&site.root, &[q, "--by-year"]).into();
        let counted: u64 = by_year.as_array().unwrap().iter().map(|y| y["count"].as_u64().unwrap()).sum();
        let dated = results.iter().filter(|r| r["date"].as_str().is_some_and(|d| !d.is_empty())).count();
        assert_eq!(counted as usize, dated, "`{q}`: every dated page found is counted once, in its year");
        expected.push(json!({ "query": q, "limit": 100, "results": results, "byYear": by_year }));
    }
    // Written apart, the parts of a number do not match it: 35个 … 万余 is not 3.5万.
    // 100多人 … 5% is not 100%.
    for (q, not) in [
        ("3.5万", "/cases/shuzi/"),
        ("3.5", "/cases/shuzi/"),
        ("12345热线", "/cases/shuzi/"),
        ("100%", "/cases/baifenbi/"),
    ] {
        let urls: Vec<String> = cli_search(&site.root, &[q, "--limit", "100"])
            .iter()
            .map(|r| r["url"].as_str().unwrap().to_string())
            .collect();
        assert!(!urls.iter().any(|u| u == not), "`{q}` does not find {not}: {urls:?}");
    }
    // Pinyin (full or initials) of titles and topic names finds them, in the CLI and in node.
    for (q, url) in [
        ("shehuigongzuo", "/topics/shehui-gongzuo/"),
        ("shgz", "/topics/shehui-gongzuo/"),
        ("sqws", "/speeches/dalu/"),
        ("shequweisheng", "/speeches/dalu/"),
        ("taiwan", "/speeches/taiwan/"),
        ("xianggang", "/cases/xianggang/"),
        ("jczlgc", "/commentaries/riqi/"),
        // A two-character word's other reading: 银行 yinhang, 调解 tiaojie.
        ("yinhang", "/cases/yinhang/"),
        ("tiaojie", "/cases/yinhang/"),
    ] {
        let results = cli_search(&site.root, &[q, "--limit", "100"]);
        let urls: Vec<&str> = results.iter().map(|r| r["url"].as_str().unwrap()).collect();
        assert!(urls.contains(&url), "`{q}` finds {url}: {urls:?}");
        expected.push(json!({ "query": q, "limit": 100, "results": results }));
    }
    // Two pages are dated 2024 and none says 2024年: no result.
    assert!(cli_search(&site.root, &["2024年"]).is_empty());
    let path = site.root.join("expected.json");
    std::fs::write(&path, serde_json::to_string(&expected).unwrap()).unwrap();
    node(&["--test", "tests/js/agree.test.js"], &[("ZHIKU_PUBLIC", &site.public()), ("ZHIKU_EXPECTED", &path)]);
}
