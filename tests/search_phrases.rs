//! Phrases made of common bigrams (社会工作者, 党建引领基层治理, 社会组织), in simplified and
//! traditional script, on a site where each of their bigrams is in nearly every page: their
//! lists are long (no field norms, no chunk masks), pages run over several text chunks, and
//! many pages hold every bigram of a phrase but not the phrase. Every page holding the phrase
//! is found and ranks above those that do not, and the client in node (fetching every list, or
//! only each phrase's shortest one) gives the same results, scores and yearly counts as
//! `zhiku search --json`.

mod common;

use common::*;
use serde_json::{Value, json};
use zhiku::search::analyzer::fold_text;

/// Sentences the pages are made of: the phrases, their bigrams apart, and traditional forms.
const SENTENCES: &[&str] = &[
    "社会工作者队伍不断壮大。",
    "社会工作部门加强基层治理。",
    "社区工作者和志愿者一起入户走访。",
    "社会组织参与党建引领。",
    "党建引领基层治理取得实效。",
    "党建工作引领社会力量参与基层治理。",
    "組織社會力量，社會工作者深入社區。",
    "黨建引領基層治理，社會組織積極參與。",
    "工作者会议讨论社会问题，组织者记录。",
    "基层治理需要社会各界共同参与。",
];

/// The sentences holding `社会工作者` in some form.
const WITH_PHRASE: [usize; 2] = [0, 6];

const PAGES: usize = 140;

/// The long page holding [`ONCE`].
const ONCE_PAGE: usize = 21;
const ONCE: &str = "社会工作者会议讨论";

/// Phrases no page holds, though every one of their bigrams is on many pages: a span of three
/// or four characters is on none (党建引领 and 引领社会 are, 建引领社 is not), or (the last two)
/// every such span is somewhere but not the whole phrase.
const NO_RESULT: &[&str] =
    &["党建引领社会", "黨建引領社會", "\"社會組織參與基層\"", "社会工作者会议讨论社会", "工作者会议讨论社会组织"];

/// Pages saying [`RARE_SENTENCE`]: it holds phrases made of common bigrams whose spans of three
/// or four characters are on these pages only (量参与党, 社会议).
const RARE_PAGES: [usize; 3] = [30, 47, 96];
const RARE_SENTENCE: &str = "最后一段：社会力量参与党建，讨论社会议题。";

/// Rare phrases of common bigrams: the client reads the pages holding them, not every page
/// holding their bigrams.
const RARE: &[&str] = &["社会力量参与党建", "量参与党", "社会议", "社會議", "\"力量參與黨建\""];

/// Page `i`: its title and body. Every seventh page is long (three or more text chunks) and
/// says 社会工作者 only at its end.
fn page(i: usize) -> (String, String) {
    let mut state = (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let long = i.is_multiple_of(7);
    let count = if long { 420 } else { 8 + next(40) };
    let mut body = String::new();
    for _ in 0..count {
        let mut s = next(SENTENCES.len());
        if long {
            while WITH_PHRASE.contains(&s) {
                s = next(SENTENCES.len());
            }
        }
        body.push_str(SENTENCES[s]);
    }
    if long && i.is_multiple_of(2) {
        body.push_str("最后一段：社會工作者在基層治理中發揮作用。");
    }
    // Once in the site, at the end of a long page: a phrase of common bigrams whose every
    // two and three bigrams are common too (社会工作者, 工作者会议讨论).
    if i == ONCE_PAGE {
        body.push_str("最后一段：社会工作者会议讨论。");
    }
    if RARE_PAGES.contains(&i) {
        body.push_str(RARE_SENTENCE);
    }
    // Titles: most hold every bigram of 社会工作者 and 社会组织 (so their title lists are long
    // too), some the phrases themselves.
    let title = match i % 5 {
        0 => format!("第{i}号案例：社会工作者风采"),
        1 => format!("第{i}号：协会组织社会工作会议"),
        2 => format!("第{i}号：工作者社会组织"),
        3 => format!("第{i}號：社會工作者與黨建引領基層治理"),
        _ => format!("第{i}号：社会组织工作会议"),
    };
    (title, body)
}

const QUERIES: &[&str] = &[
    "社会工作者",
    "社會工作者",
    "\"社会工作者\"",
    "党建引领基层治理",
    "黨建引領基層治理",
    "社会组织",
    "社會組織",
    "基层治理 社会工作者",
    ONCE,
];

/// The fixture site with the generated pages, built.
fn built_site() -> SiteTest {
    let site = SiteTest::fixture("forms");
    for i in 0..PAGES {
        let (title, body) = page(i);
        let date = format!("{}-0{}-1{}", 2023 + i % 3, 1 + i % 9, i % 10);
        site.write(
            &format!("content/cases/gen{i:03}.md"),
            &format!("---\ntitle: {title}\ndate: {date}\ntype: case\n---\n\n{body}\n"),
        );
    }
    site.build().unwrap();
    site
}

#[test]
fn phrases_of_common_bigrams_find_every_page_that_holds_them() {
    let site = built_site();
    let pages = folded_pages(&site.root);

    let mut expected = Vec::new();
    for q in QUERIES {
        let results = cli_search(&site.root, &[q, "--limit", "1000"]);
        let urls: Vec<&str> = results.iter().map(|r| r["url"].as_str().unwrap()).collect();
        let parts: Vec<String> = q.trim_matches('"').split(' ').map(fold_text).collect();
        let holding: Vec<&str> = pages
            .iter()
            .filter(|(_, text)| parts.iter().all(|p| text.contains(p.as_str())))
            .map(|(u, _)| u.as_str())
            .collect();
        // Long lists: more pages than carry field norms and chunk masks in their lists (64).
        let least = if *q == ONCE { 1 } else { 65 };
        assert!(holding.len() >= least, "`{q}`: the test needs common bigrams, {} pages hold it", holding.len());
        assert!(holding.len() < PAGES, "`{q}`: some pages hold its bigrams but not the phrase");
        for u in &holding {
            assert!(urls.contains(u), "`{q}` finds {u}");
        }
        let first_other = urls.iter().position(|u| !holding.contains(u)).unwrap_or(urls.len());
        assert!(urls[first_other..].iter().all(|u| !holding.contains(u)), "`{q}`: pages holding it come first");
        for u in pages.iter().map(|(u, _)| u.as_str()).filter(|u| !holding.contains(u)) {
            assert!(!urls.contains(&u), "`{q}` does not find {u}, which does not hold it");
        }
        let by_year: Value = cli_search(&site.root, &[q, "--by-year"]).into();
        for limit in [3usize, 10, 1000] {
            let top: Vec<&Value> = results.iter().take(limit).collect();
            expected.push(json!({ "query": q, "limit": limit, "results": top, "byYear": by_year }));
        }
    }
    // Pages saying it only at their end (a later text chunk) are found.
    let late = "/cases/gen014/";
    assert!(pages.iter().any(|(u, t)| u == late && t.find("社会工作者").is_some_and(|at| at > t.len() / 2)));
    assert!(cli_search(&site.root, &["社会工作者", "--limit", "1000"]).iter().any(|r| r["url"] == late));

    // Once, in a long page's last chunk, among pages holding each of its bigrams and spans.
    assert_eq!(cli_search(&site.root, &[ONCE]).len(), 1);
    let once = &cli_search(&site.root, &[ONCE])[0];
    assert_eq!(once["url"], format!("/cases/gen{ONCE_PAGE:03}/"));

    // Phrases no page holds: nothing in the terminal, and the client (`noReads`) finds nothing
    // without reading a posting list or a page.
    for q in NO_RESULT {
        let folded = fold_text(q.trim_matches('"'));
        assert!(pages.iter().all(|(_, t)| !t.contains(&folded)), "`{q}` is on no page");
        let chars: Vec<char> = folded.chars().collect();
        for w in chars.windows(2) {
            let bigram: String = w.iter().collect();
            let on = pages.iter().filter(|(_, t)| t.contains(&bigram)).count();
            assert!(on > 64, "`{q}`: its bigram {bigram} is on {on} pages, the test needs common ones");
        }
        assert!(cli_search(&site.root, &[q]).is_empty(), "`{q}` finds nothing");
        let by_year: Value = cli_search(&site.root, &[q, "--by-year"]).into();
        let reads = !q.starts_with("社会工作者会议");
        expected.push(json!({ "query": q, "limit": 10, "results": [], "byYear": by_year, "noReads": reads }));
    }

    // Rare phrases of common bigrams: found on the pages holding them, and the client reads no
    // other page (`readsAtMost`).
    for q in RARE {
        let folded = fold_text(q.trim_matches('"'));
        let holding: Vec<&str> = pages.iter().filter(|(_, t)| t.contains(&folded)).map(|(u, _)| u.as_str()).collect();
        let mut want: Vec<String> = RARE_PAGES.iter().map(|i| format!("/cases/gen{i:03}/")).collect();
        want.sort();
        assert_eq!(holding, want, "`{q}` is on the pages saying the rare sentence");
        let chars: Vec<char> = folded.chars().collect();
        for w in chars.windows(2) {
            let bigram: String = w.iter().collect();
            let on = pages.iter().filter(|(_, t)| t.contains(&bigram)).count();
            assert!(on > 64, "`{q}`: its bigram {bigram} is on {on} pages, the test needs common ones");
        }
        let results = cli_search(&site.root, &[q, "--limit", "1000"]);
        let mut urls: Vec<&str> = results.iter().map(|r| r["url"].as_str().unwrap()).collect();
        urls.sort();
        assert_eq!(urls, holding, "`{q}` finds the pages holding it");
        let by_year: Value = cli_search(&site.root, &[q, "--by-year"]).into();
        expected.push(
            json!({ "query": q, "limit": 10, "results": results, "byYear": by_year, "readsAtMost": holding.len() }),
        );
    }

    let path = site.root.join("expected.json");
    std::fs::write(&path, serde_json::to_string(&expected).unwrap()).unwrap();
    node(&["--test", "tests/js/phrases.test.js"], &[("ZHIKU_PUBLIC", &site.public()), ("ZHIKU_EXPECTED", &path)]);
}

/// `zhiku search` counts phrases exactly only for the pages that can reach the results shown
/// (`query::top`); its results, scores and total are the first of the full ranking
/// (`query::rank`, every phrase counted), for every limit, with and without a filter.
#[test]
fn the_shown_results_are_those_of_the_full_ranking() {
    use zhiku::search::index::SearchIndex;
    use zhiku::search::query::{IndexSource, matching_docs, parse, rank, top};
    let site = built_site();
    let dir = site.root.join(zhiku::site::INDEX_DIR);
    let store = zhiku::search::store::DocStore::open(&dir.join(zhiku::search::store::FILE)).unwrap();
    let index = SearchIndex::open(&dir, store.len(), || store.all()).unwrap();
    let source = IndexSource::new(&index);
    let year = index.facet_docs("year", "2024").unwrap();
    let mut queries: Vec<&str> = QUERIES.to_vec();
    queries.extend(["社会", "社会 工作者", "组织 党建引领", "治理社会", "第7号", "不存在的短语"]);
    let mut pruned = 0;
    for q in queries {
        let parts = parse(q);
        for allowed in [None, Some(year.as_slice())] {
            let all = rank(&source, &parts, allowed).unwrap();
            let docs = matching_docs(&source, &parts, allowed).unwrap();
            let mut ranked: Vec<u32> = all.iter().map(|h| h.doc).collect();
            ranked.sort_unstable();
            assert_eq!(docs, ranked, "`{q}`: the same pages match");
            for limit in [0, 1, 3, 10, 1000] {
                let (shown, total) = top(&source, &parts, allowed, limit).unwrap();
                assert_eq!(total, all.len(), "`{q}`, limit {limit}: total");
                let expected = &all[..limit.min(all.len())];
                assert_eq!(shown.len(), expected.len(), "`{q}`, limit {limit}");
                for (a, b) in shown.iter().zip(expected) {
                    assert_eq!((a.doc, a.score.to_bits()), (b.doc, b.score.to_bits()), "`{q}`, limit {limit}");
                }
                pruned += usize::from(limit > 0 && limit < all.len());
            }
        }
    }
    assert!(pruned > 20, "the limits cut the results of most queries");
}
