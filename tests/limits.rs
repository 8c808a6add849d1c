//! Inputs that once took unbounded memory or quadratic time are refused with an error naming
//! file, line and column and saying the fix, or are built as they should be. How long they take
//! is measured by `examples/shapes.rs`, not here.

mod common;

use common::*;
use zhiku::{Diagnostic, Error};

/// The diagnostics `zhiku check` gives for the site (empty if it passes).
fn check(site: &SiteTest) -> Vec<Diagnostic> {
    match zhiku::site::check(&site.root) {
        Ok(_) => Vec::new(),
        Err(Error::Content(d)) => d,
        Err(e) => panic!("not a content error: {e}"),
    }
}

/// The one error about `file`, printed as the user sees it.
fn error_of(diagnostics: &[Diagnostic], file: &str) -> String {
    let of_file: Vec<String> =
        diagnostics.iter().filter(|d| d.file.ends_with(file) && d.is_error()).map(|d| d.to_string()).collect();
    assert_eq!(of_file.len(), 1, "one error for {file}: {of_file:#?}");
    of_file[0].clone()
}

fn page(front: &str, body: &str) -> String {
    format!("---\ntitle: 测试页\n{front}---\n\n{body}")
}

#[test]
fn bombs_in_front_matter_are_refused_with_their_place_all_in_one_run() {
    let site = SiteTest::fixture("basic");
    // An alias bomb: every `*a` would be a full copy of the anchored text.
    let refs = vec!["*a"; 5_000].join(", ");
    site.write(
        "content/pages/aliases.md",
        &page(&format!("summary: &a {}\ntopics: [{refs}]\n", "长文".repeat(500)), ""),
    );
    site.write("content/pages/nesting.md", &page(&format!("summary: {}\n", "[".repeat(100_000 / 4)), ""));
    site.write("content/pages/big.md", &page(&format!("summary: \"{}\"\n", "字".repeat(30_000)), ""));
    let d = check(&site);

    let e = error_of(&d, "pages/aliases.md");
    assert!(e.starts_with("content/pages/aliases.md:3:10: error: front matter: `&a` is an anchor"), "{e}");
    assert!(e.contains("write the value out in full"), "{e}");

    let e = error_of(&d, "pages/nesting.md");
    assert!(e.starts_with("content/pages/nesting.md:3:42: error: front matter: `[` or `{` nested more than 32"), "{e}");

    let e = error_of(&d, "pages/big.md");
    assert!(e.starts_with("content/pages/big.md:2:1: error: the front matter is 87 KB; at most 64 KB"), "{e}");
    assert!(e.contains("long text goes into the page body"), "{e}");
}

#[test]
fn anchors_in_config_are_refused_with_their_place() {
    let site = SiteTest::fixture("basic");
    site.write("config.yaml", "title: &t 知库\ndescription: *t\n");
    let e = zhiku::site::check(&site.root).unwrap_err().report();
    assert!(e.starts_with("config.yaml:1:8: error: `&t` is an anchor"), "{e}");
}

#[test]
fn deep_nesting_in_a_body_is_refused_with_its_place() {
    let site = SiteTest::fixture("basic");
    site.write("content/pages/divs.md", &page("", &"<div>\n".repeat(100_000)));
    site.write("content/pages/quotes.md", &page("", &format!("{} 引文\n", ">".repeat(100_000))));
    // Closed again within one line: the depth inside the fragment counts, not where it ends.
    let closed = format!("{}深{}\n", "<div>".repeat(50_000), "</div>".repeat(50_000));
    site.write("content/pages/closed.md", &page("", &closed));
    // Elements that close themselves, or are closed, nest no deeper however many there are.
    let flat = "<p>段落<br>\n".repeat(5_000) + &"<div>块</div>\n".repeat(5_000) + "<ul><li>一<li>二</ul>\n";
    site.write("content/pages/flat.md", &page("", &flat));
    let d = check(&site);

    // Line 5 is the body's first; the HTML block and the 100th `<div>`, on line 104, are 101 deep.
    let e = error_of(&d, "pages/divs.md");
    assert!(e.starts_with("content/pages/divs.md:104:1: error: `<div>` is nested 101 levels deep"), "{e}");
    assert!(e.contains("each `<div>` needs a `</div>`"), "{e}");
    let e = error_of(&d, "pages/quotes.md");
    assert!(e.starts_with("content/pages/quotes.md:5:101: error: `>>>>"), "{e}");
    let e = error_of(&d, "pages/closed.md");
    assert!(e.starts_with("content/pages/closed.md:5:1: error: `<div><div>"), "{e}");
    assert!(!d.iter().any(|d| d.is_error() && d.file.ends_with("pages/flat.md")), "{d:#?}");
}

#[test]
fn huge_pages_are_refused_and_large_ones_warned_about() {
    let site = SiteTest::fixture("basic");
    let huge = page("", &"社会工作。\n".repeat((zhiku::content::MAX_PAGE_BYTES / 16) + 1));
    assert!(huge.len() > zhiku::content::MAX_PAGE_BYTES);
    site.write("content/pages/huge.md", &huge);
    let e = error_of(&check(&site), "pages/huge.md");
    assert!(e.starts_with("content/pages/huge.md: error: the file is over 64.0 MB"), "{e}");
    assert!(e.contains("split it into several pages"), "{e}");

    std::fs::remove_file(site.root.join("content/pages/huge.md")).unwrap();
    let large = page("", &"社会工作。\n".repeat((zhiku::content::WARN_PAGE_BYTES / 16) + 1));
    site.write("content/pages/large.md", &large);
    let report = zhiku::site::check(&site.root).unwrap();
    // `pages/` is no configured section: that is warned about too, on its own.
    let w: Vec<String> = report
        .warnings
        .iter()
        .filter(|w| w.file.ends_with("pages/large.md") && !w.message.contains("config.yaml"))
        .map(|w| w.to_string())
        .collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("the page is 8.0 MB long"), "{w:?}");
}

#[test]
fn twenty_thousand_equal_headings_get_unique_ids_in_order() {
    let site = SiteTest::fixture("basic");
    // An explicit id taking a number the others would have used is skipped over.
    let body = "## 同名\n\n".repeat(3) + "## 另一个 {#同名-4}\n\n" + &"## 同名\n\n".repeat(20_000 - 3);
    site.write("content/pages/same.md", &page("", &body));
    site.build().unwrap();
    let html = site.html("pages/same/index.html");
    let ids: Vec<String> = html
        .select(&sel("article h2[id]"))
        .filter_map(|h| h.value().attr("id").filter(|id| id.starts_with("同名")).map(str::to_string))
        .collect();
    let mut expected: Vec<String> = vec!["同名".into(), "同名-2".into(), "同名-3".into(), "同名-4".into()];
    expected.extend((5..=20_001).map(|n| format!("同名-{n}")));
    assert_eq!(ids.len(), expected.len());
    assert_eq!(ids, expected);
    // The table of contents links to each of them.
    let toc: Vec<String> = html
        .select(&sel("aside.toc-side a"))
        .map(|a| a.value().attr("href").unwrap_or("").trim_start_matches('#').to_string())
        .collect();
    assert_eq!(toc, expected);
}
