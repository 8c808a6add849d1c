//! Search: the analyzer fixture shared with the JavaScript client, the `search` command on the
//! development queries, the ranking against tantivy's own, and the client in node and Chromium.

mod common;

use common::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::process::Command;
use zhiku::search::analyzer;

fn fixture_path() -> std::path::PathBuf {
    repo_root().join("tests/analyzer_cases.json")
}

fn tokens_json(s: &str) -> Value {
    Value::Array(analyzer::tokenize(s).into_iter().map(|t| json!([t.text, t.position])).collect())
}

/// Every string of the shared fixture gives the recorded tokens and positions.
/// `ZHIKU_BLESS=1 cargo test --test search analyzer_fixture` records them after a deliberate change.
#[test]
fn analyzer_fixture() {
    let mut cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(fixture_path()).unwrap()).unwrap();
    assert!(cases.len() >= 200, "at least 200 strings");
    if std::env::var_os("ZHIKU_BLESS").is_some() {
        for c in &mut cases {
            let input = c["input"].as_str().unwrap().to_string();
            c["tokens"] = tokens_json(&input);
        }
        let lines: Vec<String> = cases.iter().map(|c| serde_json::to_string(c).unwrap()).collect();
        std::fs::write(fixture_path(), format!("[\n{}\n]\n", lines.join(",\n"))).unwrap();
    }
    for c in &cases {
        let input = c["input"].as_str().unwrap();
        assert_eq!(tokens_json(input), c["tokens"], "tokens of {input:?}");
    }
}

/// Seed file prefix → the URL of its curated page.
fn seed_urls() -> BTreeMap<&'static str, &'static str> {
    BTreeMap::from([
        ("000", "/speeches/quanqu-shehui-gongzuo-huiyi/"),
        ("001", "/commentaries/renmin-ribao-shehui-gongzuo/"),
        ("002", "/speeches/2025-quanshi-shehui-gongzuo-huiyi/"),
        ("003", "/reflections/dangjian-yinling-zuzhi-jianshe/"),
        ("004", "/cases/yingze-brand/"),
    ])
}

fn dev_queries() -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(repo_root().join("tests/fixtures/queries/dev.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("query\t") && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (cols[0].to_string(), cols[1].split(',').map(|s| s.trim().to_string()).collect())
        })
        .collect()
}

#[test]
fn cli_finds_the_seeds_of_every_dev_query() {
    let site = SiteTest::repository();
    // No build yet: `search` builds the site first.
    let urls = seed_urls();
    for (query, seeds) in dev_queries() {
        let results = cli_search(&site.root, &[&query, "--limit", "50"]);
        let found: Vec<&str> = results.iter().map(|r| r["url"].as_str().unwrap()).collect();
        for s in &seeds {
            assert!(found.contains(&urls[s.as_str()]), "`{query}` finds seed {s}: {found:?}");
        }
        for r in &results {
            for key in ["url", "title", "score", "snippet", "type", "date"] {
                assert!(r.get(key).is_some(), "{key} in {r}");
            }
        }
        let scores: Vec<f64> = results.iter().map(|r| r["score"].as_f64().unwrap()).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "best first: {scores:?}");
    }
    assert!(site.public().join("search/manifest.bin").exists());
}

#[test]
fn cli_filters_and_phrases() {
    let site = SiteTest::repository();
    site.build().unwrap();
    let speeches = cli_search(&site.root, &["社会工作", "--type", "speech"]);
    assert_eq!(speeches.len(), 2);
    assert!(speeches.iter().all(|r| r["type"] == "speech"));
    let y2024 = cli_search(&site.root, &["社会工作", "--year", "2024"]);
    assert!(!y2024.is_empty() && y2024.iter().all(|r| r["date"].as_str().unwrap().starts_with("2024")));
    let topic = cli_search(&site.root, &["社会工作", "--topic", "乡村振兴"]);
    let urls: Vec<&str> = topic.iter().map(|r| r["url"].as_str().unwrap()).collect();
    assert_eq!(urls, ["/speeches/2025-quanshi-shehui-gongzuo-huiyi/"]);
    // A phrase is an exact substring: 暖蜂行动 is only in the case (and the topic citing it).
    let warm: Vec<String> =
        cli_search(&site.root, &["暖蜂行动"]).iter().map(|r| r["url"].as_str().unwrap().to_string()).collect();
    assert!(warm.contains(&"/cases/yingze-brand/".to_string()));
    assert!(cli_search(&site.root, &["暖蜂驿站行动"]).is_empty(), "no page has this exact phrase");
    assert!(cli_search(&site.root, &["\"社会 工作\""]).len() >= 5, "quotes force one phrase");
    assert!(cli_search(&site.root, &["，。"]).is_empty());
}

/// `zhiku search 党 | head`: a reader that stops early ends the output quietly, no panic.
#[test]
fn search_output_into_a_closed_pipe_is_not_an_error() {
    let site = SiteTest::repository();
    site.build().unwrap();
    for args in [&["党"][..], &["社会工作", "--json"][..]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_zhiku"))
            .arg("search")
            .args(args)
            .arg("--root")
            .arg(&site.root)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Closed before the search has printed anything: every write meets a closed pipe.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

/// The ranking written once in `query.rs` (and mirrored in JS) gives tantivy's BM25 scores:
/// the built index (one-character fields counted beside tantivy) ranks as tantivy does over an
/// index where tantivy holds every field.
#[test]
fn ranking_follows_tantivy_bm25() {
    use std::sync::Arc;
    use zhiku::search::FieldKind;
    use zhiku::search::index::SearchIndex;
    use zhiku::search::query::{IndexSource, parse, rank};
    let site = SiteTest::repository();
    site.build().unwrap();
    let dir = site.root.join(zhiku::site::INDEX_DIR);
    let docs = zhiku::search::store::DocStore::open(&dir.join(zhiku::search::store::FILE)).unwrap().all().unwrap();
    let index = SearchIndex::open(&dir, docs.len(), || Ok(docs.clone())).unwrap();
    let reference = SearchIndex::build_reference(&docs.into_iter().map(Arc::new).collect::<Vec<_>>()).unwrap();
    for q in ["社会工作", "基层治理 志愿服务", "新就业群体", "楓橋經驗", "党", "2024", "社工+乡村振兴", "人民日報"]
    {
        let parts = parse(q);
        let ours = rank(&IndexSource::new(&index), &parts, None).unwrap();
        let spec: Vec<(FieldKind, FieldKind, Vec<String>)> = parts
            .iter()
            .map(|p| {
                let (t, b) = p.fields();
                (t, b, p.tokens.iter().map(|(s, _)| s.clone()).collect())
            })
            .collect();
        let theirs = reference.tantivy_scores(&spec).unwrap();
        let mut ours_by_doc: Vec<(u32, f32)> = ours.iter().map(|h| (h.doc, h.score)).collect();
        ours_by_doc.sort_by_key(|(d, _)| *d);
        assert_eq!(ours_by_doc.len(), theirs.len(), "{q}: same matches");
        for ((d1, s1), (d2, s2)) in ours_by_doc.iter().zip(&theirs) {
            assert_eq!(d1, d2, "{q}");
            assert!((s1 - s2).abs() <= 1e-5 * s2.abs().max(1.0), "{q}: doc {d1}: {s1} vs tantivy {s2}");
        }
    }
}

/// Queries for the parity test: the dev queries plus traditional, digits, punctuation,
/// one-character, quoted, multi-part and filtered ones.
const EXTRA_QUERIES: &[&str] = &[
    "社会工作 基层治理",
    "黨建引領",
    "社會工作者隊伍",
    "1135",
    "152个",
    "党",
    "治",
    "\"新就业 群体\"",
    "“社工+乡村振兴”",
    "新時代 枫桥",
    "信访工作法治化",
    "为基层减负",
    "G20",
    "不存在的词语组合",
    "社区工作者",
    "志願服務 社区",
    // Longer than 64 characters: both sides cut by code points, so each keeps `枫` (a
    // one-character part, which changes the results and scores); cut by UTF-16 units, the
    // emoji (two units each) would leave it out.
    "社会工作，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，，枫桥经验",
    "社会工作😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀枫桥经验",
];

/// The JavaScript client in node: the analyzer fixture, and the same results and scores as
/// `zhiku search --json` for every query.
#[test]
fn node_client_matches_the_cli() {
    let site = SiteTest::repository();
    site.build().unwrap();
    let mut expected = Vec::new();
    let mut queries: Vec<(String, Option<(&str, &str)>)> = dev_queries().into_iter().map(|(q, _)| (q, None)).collect();
    queries.extend(EXTRA_QUERIES.iter().map(|q| (q.to_string(), None)));
    queries.push(("社会工作".into(), Some(("type", "speech"))));
    queries.push(("社会工作".into(), Some(("year", "2024"))));
    queries.push(("志愿服务".into(), Some(("topic", "志愿服务"))));
    for (q, filter) in &queries {
        for limit in ["3", "20", "100"] {
            let mut args = vec![q.as_str(), "--limit", limit];
            if let Some((k, v)) = filter {
                args.push(if *k == "type" {
                    "--type"
                } else if *k == "year" {
                    "--year"
                } else {
                    "--topic"
                });
                args.push(v);
            }
            let results = cli_search(&site.root, &args);
            let filters: Value = filter.map_or(json!({}), |(k, v)| json!({ k: v }));
            expected.push(
                json!({ "query": q, "limit": limit.parse::<u32>().unwrap(), "filters": filters, "results": results }),
            );
        }
    }
    let expected_path = site.root.join("expected.json");
    std::fs::write(&expected_path, serde_json::to_string_pretty(&expected).unwrap()).unwrap();
    node(
        &["--test", "tests/js/analyzer.test.js", "tests/js/parity.test.js"],
        &[("ZHIKU_PUBLIC", &site.public()), ("ZHIKU_EXPECTED", &expected_path), ("ZHIKU_FIXTURE", &fixture_path())],
    );
}

/// The search UI in headless Chromium: typed into the header box, over http and from file://.
#[test]
fn browser_search_over_http_and_file() {
    let site = SiteTest::repository();
    site.build().unwrap();
    node(&["--test", "tests/js/browser.test.js"], &[("ZHIKU_PUBLIC", &site.public())]);
}

/// A query that finds nothing gets the indexed phrases one character away (changed, added,
/// dropped), each finding pages; a query that finds pages gets none.
#[test]
fn no_result_suggests_phrases_one_character_away() {
    let site = SiteTest::repository();
    site.build().unwrap();
    let suggest = |q: &str| -> Vec<(String, u64)> {
        cli_search(&site.root, &["--suggest", q])
            .iter()
            .map(|s| (s["text"].as_str().unwrap().to_string(), s["count"].as_u64().unwrap()))
            .collect()
    };
    for (typo, meant) in [
        ("枫桥经念", "枫桥经验"),
        ("新就叶群体", "新就业群体"),
        ("新就业群群体", "新就业群体"),
        ("志愿眼务", "志愿服务"),
    ] {
        assert!(cli_search(&site.root, &[typo]).is_empty(), "{typo} finds nothing");
        let found = suggest(typo);
        let count = found.iter().find(|(t, _)| t == meant).map(|(_, n)| *n);
        assert_eq!(count, Some(cli_search(&site.root, &[meant, "--limit", "1000"]).len() as u64), "{typo}: {found:?}");
        for (text, n) in &found {
            assert!(*n > 0 && !cli_search(&site.root, &[text]).is_empty(), "{typo}: {text} finds pages");
        }
    }
    assert!(suggest("新就业群体").is_empty(), "found: no suggestions");
    assert!(suggest("zzzz").is_empty() && suggest("没").is_empty(), "letters and one character: none");
    // The plain output names them too.
    let out = Command::new(env!("CARGO_BIN_EXE_zhiku"))
        .args(["--lang", "zh", "search", "枫桥经念", "--root"])
        .arg(&site.root)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("您是不是要找：枫桥经验（"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
