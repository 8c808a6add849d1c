//! Suggestions when a query finds nothing, in the terminal and in the browser alike: misspelt
//! queries (a character changed, added or dropped; simplified, traditional, Taiwan and Hong
//! Kong forms) get exactly the same suggestions and counts from the client in node as from
//! `zhiku search --suggest --json`, and the search page and the header box show them as links
//! that run them (Chromium, over http and from file://).

mod common;

use common::*;
use serde_json::{Value, json};
use std::path::Path;
use zhiku::fold::is_han;

/// Typos everyone makes, and what they meant.
const TYPOS: &[(&str, &str)] = &[
    ("枫桥经念", "枫桥经验"),
    ("楓橋經念", "楓橋經验"),
    ("新就叶群体", "新就业群体"),
    ("新就业群群体", "新就业群体"),
    ("志愿眼务", "志愿服务"),
    ("社會工做", "社會工作"),
];

/// Misspellings of phrases from the site's pages: every third Han run of four or more
/// characters, its first four or five characters with one changed (to a character of another
/// run), one added or one dropped.
fn misspelt(root: &Path) -> Vec<String> {
    let mut runs: Vec<Vec<char>> = Vec::new();
    for entry in walkdir::WalkDir::new(root.join("content")).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let body = text.splitn(3, "---").nth(2).unwrap_or("");
        let mut run = Vec::new();
        for c in body.chars().chain(['\n']) {
            if is_han(c) {
                run.push(c);
            } else {
                if run.len() >= 4 {
                    runs.push(std::mem::take(&mut run));
                }
                run.clear();
            }
        }
    }
    let mut out = Vec::new();
    for (k, run) in runs.iter().enumerate().step_by(3) {
        let mut q: Vec<char> = run[..run.len().min(4 + k % 2)].to_vec();
        let i = (k / 3) % q.len();
        let other = runs[(k * 7 + 1) % runs.len()][k % 4];
        match (k / 3) % 3 {
            0 => q[i] = other,
            1 => q.insert(i, other),
            _ => {
                q.remove(i);
            }
        }
        out.push(q.into_iter().collect());
    }
    out
}

fn suggestions(root: &Path, query: &str) -> Value {
    Value::Array(cli_search(root, &["--suggest", query]))
}

/// Writes `[{query, suggestions}]` from the CLI for the typos and the misspellings of `site`.
fn expected(site: &SiteTest, name: &str) -> std::path::PathBuf {
    let mut queries: Vec<String> = TYPOS.iter().map(|(q, _)| q.to_string()).collect();
    queries.extend(misspelt(&site.root));
    let list: Vec<Value> =
        queries.iter().map(|q| json!({ "query": q, "suggestions": suggestions(&site.root, q) })).collect();
    let with = list.iter().filter(|e| !e["suggestions"].as_array().unwrap().is_empty()).count();
    assert!(with >= 10, "{name}: only {with} of {} queries get suggestions", list.len());
    let path = site.root.join(format!("suggest-{name}.json"));
    std::fs::write(&path, serde_json::to_string_pretty(&list).unwrap()).unwrap();
    path
}

#[test]
fn the_client_suggests_what_the_cli_suggests() {
    let repo = SiteTest::repository();
    repo.build().unwrap();
    for (typo, meant) in TYPOS {
        let got = suggestions(&repo.root, typo);
        assert!(got.as_array().unwrap().iter().any(|s| s["text"] == *meant), "{typo} → {meant}: {got}");
    }
    let path = expected(&repo, "repository");
    node(&["--test", "tests/js/suggest.test.js"], &[("ZHIKU_PUBLIC", &repo.public()), ("ZHIKU_EXPECTED", &path)]);

    // Pages in mainland, Taiwan and Hong Kong forms.
    let forms = SiteTest::fixture("forms");
    forms.build().unwrap();
    let path = expected(&forms, "forms");
    node(&["--test", "tests/js/suggest.test.js"], &[("ZHIKU_PUBLIC", &forms.public()), ("ZHIKU_EXPECTED", &path)]);
}

#[test]
fn the_search_page_and_the_header_box_show_suggestions() {
    let site = SiteTest::repository();
    site.build().unwrap();
    let path = site.root.join("suggest-page.json");
    let list = json!([{ "query": "枫桥经念", "suggestions": suggestions(&site.root, "枫桥经念") }]);
    std::fs::write(&path, list.to_string()).unwrap();
    node(
        &["--test", "tests/js/suggest-browser.test.js"],
        &[("ZHIKU_PUBLIC", &site.public()), ("ZHIKU_EXPECTED", &path)],
    );
}

/// From file:// the box's search runs on the page: it yields, and an overtaken query's results
/// never replace a newer one's.
#[test]
fn typing_from_file_yields_and_drops_overtaken_queries() {
    let site = SiteTest::repository();
    site.build().unwrap();
    node(&["--test", "tests/js/suggest-typing.test.js"], &[("ZHIKU_PUBLIC", &site.public())]);
}
