//! `zhiku import` on the raw seed texts: every sentence of the curated page is kept, the chrome
//! is gone, and title, date, source and headings are detected; encodings and refusals.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use unicode_normalization::UnicodeNormalization;
use zhiku::import::{ImportOptions, import};

fn seeds() -> PathBuf {
    repo_root().join("tests/fixtures/seeds")
}

fn seed(prefix: &str) -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir(seeds())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    found.sort();
    found.remove(0)
}

/// Text without Markdown markup or whitespace, NFKC-folded: what a reader sees.
fn plain(markdown: &str) -> String {
    markdown.nfkc().filter(|c| !c.is_whitespace() && !matches!(c, '#' | '*' | '\\')).collect()
}

fn body_of(page: &str) -> &str {
    page.splitn(3, "---\n").nth(2).unwrap_or(page)
}

fn front(page: &str, key: &str) -> Option<String> {
    let yaml = page.split("---\n").nth(1)?;
    yaml.lines().find_map(|l| l.strip_prefix(&format!("{key}: ")).map(|v| v.trim_matches('\'').to_string()))
}

fn import_one(site: &SiteTest, file: &Path, out: &Path) -> String {
    let mut options = ImportOptions::new(&site.root);
    options.out = Some(out.to_path_buf());
    options.force = true;
    let done = import(&[file.to_path_buf()], &options).unwrap();
    std::fs::read_to_string(&done[0].output).unwrap()
}

#[test]
fn seeds_import_to_their_curated_text() {
    let site = SiteTest::repository();
    let out = site.root.join("drafts");
    // (seed, curated page, type, title, date, source)
    let cases = [
        ("000", "speeches/quanqu-shehui-gongzuo-huiyi.md", "speech", Some("在全区社会工作会议上的讲话"), None, None),
        (
            "001",
            "commentaries/renmin-ribao-shehui-gongzuo.md",
            "commentary",
            None,
            Some("2024-11-07"),
            Some("人民日報"),
        ),
        (
            "002",
            "speeches/2025-quanshi-shehui-gongzuo-huiyi.md",
            "speech",
            Some("在2025年全市社会工作会议上的讲话"),
            Some("2025-10-11"),
            None,
        ),
        (
            "003",
            "reflections/dangjian-yinling-zuzhi-jianshe.md",
            "reflection",
            Some("以党建引领社会工作，推进新时代组织建设"),
            None,
            None,
        ),
        (
            "004",
            "cases/yingze-brand.md",
            "case",
            Some("争当改革创新排头兵 打造社会工作迎泽品牌"),
            Some("2024-10-12"),
            Some("中国社区报"),
        ),
    ];
    for (prefix, curated, kind, title, date, source) in cases {
        let draft = import_one(&site, &seed(prefix), &out);
        let curated_page = std::fs::read_to_string(repo_root().join("content").join(curated)).unwrap();
        let got = plain(body_of(&draft));
        // Every sentence of the curated body is in the draft (curators only re-cut headings).
        for sentence in plain(body_of(&curated_page)).split(['。', '！', '？']).filter(|s| s.chars().count() >= 6) {
            assert!(got.contains(sentence), "{prefix}: `{sentence}` missing from the draft:\n{draft}");
        }
        for chrome in [
            "省略",
            "下载",
            "Copyright",
            "版權",
            "转载",
            "责任编辑",
            "社区文化网",
            "阅读:",
            "预览",
            "首页",
            "(guān)",
            "【提纲】",
            "目录/提纲",
        ] {
            assert!(!got.contains(&plain(chrome)), "{prefix}: chrome `{chrome}` left");
        }
        assert_eq!(front(&draft, "type").as_deref(), Some(kind), "{prefix}");
        if let Some(t) = title {
            assert_eq!(front(&draft, "title").as_deref(), Some(t), "{prefix}");
        }
        assert_eq!(front(&draft, "date").as_deref(), date, "{prefix}");
        if let Some(s) = source {
            assert_eq!(front(&draft, "source").as_deref(), Some(s), "{prefix}");
        }
        assert_eq!(front(&draft, "draft").as_deref(), Some("true"));
        // Headings follow the outline numbering of the text.
        let curated_headings = curated_page.lines().filter(|l| l.starts_with("## ")).count();
        let draft_headings = draft.lines().filter(|l| l.starts_with("## ")).count();
        assert_eq!(draft_headings, curated_headings, "{prefix}: level-2 headings\n{draft}");
    }
}

#[test]
fn detected_people_places_and_links() {
    let site = SiteTest::repository();
    let out = site.root.join("drafts");
    let case = import_one(&site, &seed("004"), &out);
    assert_eq!(front(&case, "region").as_deref(), Some("山西省太原市迎泽区"));
    assert!(front(&case, "speaker").unwrap().contains("杨会明"));
    let reflection = import_one(&site, &seed("003"), &out);
    assert_eq!(front(&reflection, "speaker").as_deref(), Some("市委社会工作部部长"));
    assert_eq!(front(&reflection, "source_url").as_deref(), Some("https://www.dawenyou.com/239001.html"));
    let speech = import_one(&site, &seed("000"), &out);
    assert!(speech.contains("推动中国式现代化\\*\\*新实践"), "masked names escaped");
    assert!(speech.contains("新就业\\_"));
    assert_eq!(speech.matches("原文此处有删节").count(), 2);
    let commentary = import_one(&site, &seed("001"), &out);
    assert!(commentary.contains("事關黨長期執政"), "glosses removed, traditional kept");
    assert!(
        front(&commentary, "topics").unwrap().contains("新时代“枫桥经验”"),
        "topics found through traditional aliases"
    );
}

#[test]
fn gbk_and_utf16_inputs_give_the_same_draft() {
    let site = SiteTest::repository();
    let text = std::fs::read_to_string(seed("004")).unwrap();
    let utf8 = site.root.join("raw-utf8.txt");
    std::fs::write(&utf8, &text).unwrap();
    let gbk = site.root.join("raw-gbk.txt");
    std::fs::write(&gbk, encoding_rs::GB18030.encode(&text).0).unwrap();
    let utf16 = site.root.join("raw-utf16.txt");
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.replace('\n', "\r\n").encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(&utf16, bytes).unwrap();
    let a = import_one(&site, &utf8, &site.root.join("a"));
    assert_eq!(import_one(&site, &gbk, &site.root.join("b")), a);
    assert_eq!(import_one(&site, &utf16, &site.root.join("c")), a);
}

#[test]
fn cli_refuses_binary_and_overwrites_and_dry_run_writes_nothing() {
    let site = SiteTest::repository();
    let bin = env!("CARGO_BIN_EXE_zhiku");
    let png = site.root.join("image.txt");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let out = Command::new(bin)
        .args(["import", png.to_str().unwrap(), "--root", site.root.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("image.txt") && err.contains("offset 8"), "{err}");

    let raw = seed("004");
    let dry = Command::new(bin)
        .args(["import", raw.to_str().unwrap(), "--root", site.root.to_str().unwrap(), "--dry-run"])
        .output()
        .unwrap();
    assert!(dry.status.success());
    let report = String::from_utf8_lossy(&dry.stdout);
    assert!(report.contains("): 社区文化网\n") && report.contains("would write"), "{report}");
    let before = snapshot(&site.root.join("content"));
    assert_eq!(snapshot(&site.root.join("content")).len(), before.len());

    let first = Command::new(bin)
        .args(["import", raw.to_str().unwrap(), "--root", site.root.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let again = Command::new(bin)
        .args(["import", raw.to_str().unwrap(), "--root", site.root.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    // The same text imported twice is a duplicate: the site's [[title]] link becomes ambiguous,
    // and the build says so instead of guessing.
    let mut with_drafts = site.options();
    with_drafts.drafts = true;
    let err = zhiku::site::build(&with_drafts).unwrap_err().to_string();
    assert!(err.contains("matches more than one page"), "{err}");
    zhiku::site::check(&site.root).expect("drafts are left out of a normal check");

    // In a new knowledge base the draft builds as a page.
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().join("kb");
    zhiku::scaffold::init(&kb, "2025-01-01").unwrap();
    let done = import(std::slice::from_ref(&raw), &ImportOptions::new(&kb)).unwrap();
    assert!(done[0].output.starts_with(kb.join("content/cases")));
    let mut options = zhiku::site::BuildOptions::new(&kb);
    options.drafts = true;
    zhiku::site::build(&options).unwrap();
    let page = std::fs::read_dir(kb.join("public/cases")).unwrap().count();
    assert!(page >= 2, "the imported case is built");
}
