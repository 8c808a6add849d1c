//! The search as a reader meets it, in headless Chromium (`tests/js/search-ui.test.js`): the
//! trend chart shows `zhiku search --by-year`'s counts and says which results it leaves out,
//! 显示更多结果 keeps the keyboard's place, and the header box says when it is searching, when
//! the index cannot load, and drops its list when the box is emptied.

mod common;

use common::*;
use serde_json::json;
use std::process::Command;

/// Visit notes, two or three a year from 2019 to 2025: more than one page of results (20) and
/// a trend over many years.
const VISITS: usize = 30;

#[test]
fn the_search_page_and_the_header_box_as_a_reader_uses_them() {
    let site = SiteTest::repository();
    for i in 0..VISITS {
        let year = 2019 + i % 7;
        site.write(
            &format!("content/cases/zoufang-{i:02}.md"),
            &format!(
                "---\ntitle: 社区入户走访记录第{i}号\ndate: {year}-0{}-1{}\n---\n\n社工入户走访独居老人，记录居住和身体情况。\n",
                1 + i % 9,
                i % 10
            ),
        );
    }
    site.build().unwrap();
    let mut expected = Vec::new();
    for query in ["走访", "社会工作"] {
        let out = Command::new(env!("CARGO_BIN_EXE_zhiku"))
            .args(["search", query, "--by-year", "--json", "--root"])
            .arg(&site.root)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let by_year: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let total = cli_search(&site.root, &[query, "--limit", "1000"]).len();
        expected.push(json!({ "query": query, "byYear": by_year, "total": total }));
    }
    let path = site.root.join("search-ui.json");
    std::fs::write(&path, serde_json::to_string(&expected).unwrap()).unwrap();
    node(&["--test", "tests/js/search-ui.test.js"], &[("ZHIKU_PUBLIC", &site.public()), ("ZHIKU_EXPECTED", &path)]);
}
