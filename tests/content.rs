//! The repository's knowledge base: each seed text is on exactly one page, with the web chrome
//! gone, pinyin glosses removed and the original characters kept.

mod common;

use common::*;
use std::collections::BTreeMap;
use unicode_normalization::UnicodeNormalization;

fn seeds_dir() -> std::path::PathBuf {
    repo_root().join("tests/fixtures/seeds")
}

/// NFKC without whitespace: full-width and half-width punctuation compare equal.
fn norm(s: &str) -> String {
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

fn strip_pinyin_glosses(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('(') {
        let (before, after) = rest.split_at(i);
        let close = after.find(')').unwrap_or(0);
        let inner = &after[1..close.max(1)];
        let gloss = close > 1
            && inner.chars().all(|c| c.is_alphabetic() && !zhiku::fold::is_han(c))
            && before.chars().last().is_some_and(zhiku::fold::is_han);
        out.push_str(before);
        if gloss {
            rest = &after[close + 1..];
        } else {
            out.push('(');
            rest = &after[1..];
        }
    }
    out.push_str(rest);
    out
}

const CHROME: [&str; 16] = [
    "省略",
    "下载",
    "Copyright",
    "http",
    "版權",
    "转载",
    "预览",
    "收藏",
    "责任编辑",
    "来源:",
    "发布时间",
    "提纲",
    "目录",
    "首页",
    "營業執照",
    "阅读:",
];

/// Sentences of a seed's text body (outline block and chrome lines left out).
fn seed_sentences(text: &str) -> Vec<String> {
    let text = strip_pinyin_glosses(text);
    let mut in_outline = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with("目录/提纲") {
            in_outline = true;
            continue;
        }
        if in_outline {
            in_outline = line.trim() != "……";
            continue;
        }
        // A truncation notice ends the text on its line.
        let line = line.split("……(").next().unwrap_or(line).trim_end_matches([' ', '…']);
        // Title, byline and heading lines are metadata or headings on the page; paragraphs
        // (lines with a full stop) are the body.
        let is_paragraph = line.contains('。') || line.contains('：') || line.ends_with(',') || line.ends_with('，');
        if !is_paragraph || CHROME.iter().any(|c| line.contains(c)) || line.starts_with('【') {
            continue;
        }
        for s in line.split(['。', '！', '？', '；']) {
            let s = norm(s);
            if s.chars().count() >= 12 {
                out.push(s);
            }
        }
    }
    out
}

#[test]
fn each_seed_body_is_on_exactly_one_page_without_chrome() {
    let site = SiteTest::repository();
    site.build().unwrap();
    let pages: BTreeMap<String, String> = snapshot(&site.public())
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, bytes)| {
            let doc = scraper::Html::parse_document(&String::from_utf8(bytes).unwrap());
            (p, norm(&texts_of(&doc, ".prose").concat()))
        })
        .collect();

    let mut seeds: Vec<_> = std::fs::read_dir(seeds_dir()).unwrap().map(|e| e.unwrap().path()).collect();
    seeds.sort();
    assert_eq!(seeds.len(), 5);
    for seed in seeds {
        let text = std::fs::read_to_string(&seed).unwrap();
        let sentences = seed_sentences(&text);
        assert!(sentences.len() > 15, "{}", seed.display());
        let mut home = None;
        for s in &sentences {
            let found: Vec<&String> = pages.iter().filter(|(_, t)| t.contains(s.as_str())).map(|(p, _)| p).collect();
            assert_eq!(found.len(), 1, "{}: `{s}` found on {found:?}", seed.display());
            match home {
                None => home = Some(found[0].clone()),
                Some(ref h) => {
                    assert_eq!(h, found[0], "{}: all sentences on one page", seed.display())
                }
            }
        }
    }

    // The seed pages in full (the about page names the rules, so it is left out).
    let all: String = snapshot(&site.public())
        .into_iter()
        .filter(|(p, _)| ["speeches/", "commentaries/", "reflections/", "cases/"].iter().any(|s| p.starts_with(s)))
        .map(|(_, bytes)| norm(&String::from_utf8_lossy(&bytes)))
        .collect();
    for chrome in [
        "省略1177字",
        "点击下载",
        "下载全文",
        "Copyright",
        "ICP",
        "如若转载",
        "责任编辑",
        "社区文化网",
        "到文鼎文库首页",
        "(guān)",
        "(guan)",
        "阅读:1.3万",
        "預覽",
    ] {
        assert!(!all.contains(&norm(chrome)), "chrome `{chrome}` left in the site");
    }
    assert!(all.matches("原文此处有删节").count() >= 4, "truncations are marked");
}

#[test]
fn traditional_text_and_masked_names_are_kept() {
    let site = SiteTest::repository();
    site.build().unwrap();
    let commentary = norm(&text_of(&site.html("commentaries/renmin-ribao-shehui-gongzuo/index.html"), ".prose"));
    assert!(commentary.contains(&norm("事關黨長期執政和國家長治久安")));
    assert!(!commentary.contains("(zh")); // glosses gone
    let speech = text_of(&site.html("speeches/quanqu-shehui-gongzuo-huiyi/index.html"), ".prose");
    assert!(speech.contains("中国式现代化**新实践"), "masked ** shown literally");
    assert!(speech.contains("以_新时代中国特色社会主义思想为指导"));
    let city = text_of(&site.html("speeches/2025-quanshi-shehui-gongzuo-huiyi/index.html"), ".prose");
    assert!(city.contains("奋力开创*市社会工作高质量发展新局面"));
}

#[test]
fn seed_pages_carry_their_metadata_and_topics() {
    let site = SiteTest::repository();
    site.build().unwrap();
    let cases = [
        ("speeches/quanqu-shehui-gongzuo-huiyi/", "讲话"),
        ("speeches/2025-quanshi-shehui-gongzuo-huiyi/", "讲话"),
        ("commentaries/renmin-ribao-shehui-gongzuo/", "评论"),
        ("reflections/dangjian-yinling-zuzhi-jianshe/", "研讨发言"),
        ("cases/yingze-brand/", "实践案例"),
    ];
    for (url, type_label) in cases {
        let page = site.html(&format!("{url}index.html"));
        assert_eq!(text_of(&page, ".meta .badge"), type_label, "{url}");
        assert!(!text_of(&page, ".meta time").is_empty(), "{url} has a date");
        assert!(!text_of(&page, ".meta").contains("来源") || !text_of(&page, ".summary").is_empty(), "{url}");
        assert!(texts_of(&page, ".topics .chip").len() >= 3, "{url} has topics");
        assert!(texts_of(&page, ".prose h2").len() >= 2 || url.starts_with("commentaries"), "{url} keeps its outline");
    }
    let case = site.html("cases/yingze-brand/index.html");
    let meta = text_of(&case, ".meta");
    assert!(
        meta.contains("2024年10月12日") && meta.contains("中国社区报") && meta.contains("山西省太原市迎泽区"),
        "{meta}"
    );
    let topics = site.html("topics/index.html");
    assert!(texts_of(&topics, ".topic-card").len() >= 8);
}
