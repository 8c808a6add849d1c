//! Search on numbers as they are written and on typed pinyin: a ratio is not a decimal
//! (`1∶3` is not `1.3`), a thousands separator joins (`3,210` is not 3 … 210), a date keeps
//! its separator, each end of a percentage range is a
//! percentage (`2%` finds `2%—4%`), a range typed with a hyphen finds one written with a dash,
//! and pinyin typed with `v` for `ü`, or for a word inside a long title, finds the title. The
//! client in node gives the same results and scores as `zhiku search --json`.

mod common;

use common::*;
use serde_json::json;

fn urls(root: &std::path::Path, q: &str) -> Vec<String> {
    cli_search(root, &[q, "--limit", "100"]).iter().map(|r| r["url"].as_str().unwrap().to_string()).collect()
}

#[test]
fn numbers_keep_their_kind_and_pinyin_is_typed() {
    let site = SiteTest::fixture("writing");
    site.build().unwrap();
    // (query, pages it finds, pages it must not find)
    let cases: &[(&str, &[&str], &[&str])] = &[
        ("1∶3", &["/cases/bili/"], &["/cases/zhouqi/"]),
        ("1:3", &["/cases/bili/"], &["/cases/zhouqi/"]),
        ("１：３", &["/cases/bili/"], &["/cases/zhouqi/"]),
        ("1.3", &["/cases/zhouqi/"], &["/cases/bili/"]),
        ("2%", &["/cases/zhangfu/"], &["/cases/ruzhu/"]),
        ("4%", &["/cases/zhangfu/"], &["/cases/ruzhu/"]),
        ("2%—4%", &["/cases/zhangfu/"], &["/cases/ruzhu/"]),
        ("2%-4%", &["/cases/zhangfu/"], &["/cases/ruzhu/"]),
        ("90%", &["/cases/ruzhu/"], &["/cases/zhangfu/"]),
        ("2022/06/30", &["/cases/yanshou/"], &["/cases/wangong/"]),
        ("2022-06-30", &["/cases/wangong/"], &["/cases/yanshou/"]),
        ("06-30", &["/cases/wangong/"], &["/cases/yanshou/"]),
        ("2022", &["/cases/yanshou/", "/cases/wangong/"], &[]),
        ("2-3小时", &["/cases/peixun/"], &[]),
        ("2～3小时", &["/cases/peixun/"], &[]),
        ("3,210", &["/cases/renci/"], &["/cases/hushu/"]),
        ("３，２１０", &["/cases/renci/"], &["/cases/hushu/"]),
        ("210", &["/cases/renci/", "/cases/hushu/"], &[]),
        ("7*24", &["/cases/renci/"], &[]),
        // A joiner typed after a number asks for nothing more.
        ("2022-06-30。", &["/cases/wangong/"], &["/cases/yanshou/"]),
        ("90%，", &["/cases/ruzhu/"], &[]),
        ("3,210，", &["/cases/renci/"], &["/cases/hushu/"]),
        ("lvshi", &["/policies/nvxing/"], &[]),
        ("lüshi", &["/policies/nvxing/"], &[]),
        ("nvxing", &["/policies/nvxing/"], &[]),
        ("zhengjiao", &["/policies/zhengjiao/"], &[]),
        ("yanglaobaoxian", &["/policies/zhengjiao/"], &[]),
        ("ylbx", &["/policies/zhengjiao/"], &[]),
    ];
    let mut expected = Vec::new();
    for (q, finds, not) in cases {
        let found = urls(&site.root, q);
        for u in *finds {
            assert!(found.iter().any(|f| f == u), "`{q}` finds {u}: {found:?}");
        }
        for u in *not {
            assert!(!found.iter().any(|f| f == u), "`{q}` does not find {u}: {found:?}");
        }
        let results = cli_search(&site.root, &[q, "--limit", "100"]);
        expected.push(json!({ "query": q, "limit": 100, "results": results }));
    }
    let path = site.root.join("expected.json");
    std::fs::write(&path, serde_json::to_string(&expected).unwrap()).unwrap();
    node(&["--test", "tests/js/agree.test.js"], &[("ZHIKU_PUBLIC", &site.public()), ("ZHIKU_EXPECTED", &path)]);
}

/// A joined number (`3.5`) cut by the text chunks the client reads (`CHUNK_POSITIONS`): right
/// before and right after the joiner, the client finds what `zhiku search` finds, with the same
/// scores, when the number's token list is long enough to carry no chunk masks.
#[test]
fn a_joined_number_at_a_chunk_boundary_is_found_by_the_client_too() {
    let site = SiteTest::fixture("writing");
    let page = |body: &str| format!("---\ntitle: 长文\ndate: 2024-01-01\ntype: case\n---\n\n{body}\n");
    for i in 0..20 {
        site.write(&format!("content/cases/p{i}.md"), &page(&format!("全区人口{i}.5万人。")));
    }
    // 499 × 4 positions, then 3 or 4 bigram positions: `3` at 1999 (`5` opens the next chunk)
    // or at 2000 (`3` opens it).
    let filler = "社会工作。".repeat(499);
    site.write("content/cases/cut-after.md", &page(&format!("{filler}甲乙丙丁3.5万人口。")));
    site.write("content/cases/cut-before.md", &page(&format!("{filler}甲乙丙丁戊3.5万人口。")));
    site.build().unwrap();
    let mut expected = Vec::new();
    for q in ["3.5", "3.5万", "丁3.5万", "5万人"] {
        let results = cli_search(&site.root, &[q, "--limit", "100"]);
        let found: Vec<&str> = results.iter().map(|r| r["url"].as_str().unwrap()).collect();
        if q.starts_with('3') {
            assert!(found.contains(&"/cases/cut-after/") && found.contains(&"/cases/cut-before/"), "`{q}`: {found:?}");
        }
        expected.push(json!({ "query": q, "limit": 100, "results": results }));
    }
    let path = site.root.join("expected.json");
    std::fs::write(&path, serde_json::to_string(&expected).unwrap()).unwrap();
    node(&["--test", "tests/js/agree.test.js"], &[("ZHIKU_PUBLIC", &site.public()), ("ZHIKU_EXPECTED", &path)]);
}
