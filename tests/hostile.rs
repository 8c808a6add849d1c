//! The hostile site (`tests/sites/hostile/`): script payloads in every field. What zhiku refuses
//! (`refused*.md`, copied into `content/` here) is an error at its line; what it accepts is
//! built, and no payload runs in headless Chromium (`tests/js/hostile.test.js`).

mod common;

use common::*;
use std::collections::BTreeSet;
use std::path::PathBuf;
use zhiku::{Diagnostic, Error, site};

const REFUSED: [&str; 3] = ["refused.md", "refused-fields.md", "refused-key.md"];

/// The hostile site with the refused pages in `content/`.
fn with_refused() -> SiteTest {
    let site = SiteTest::fixture("hostile");
    for name in REFUSED {
        std::fs::copy(site.root.join(name), site.root.join("content").join(name)).unwrap();
    }
    site
}

/// In the refused pages, each line that calls `hit(` must give exactly one error there, and no
/// other line any.
#[test]
fn refused_payloads_are_errors_at_their_line() {
    let site = with_refused();
    let Err(Error::Content(diagnostics)) = site::check(&site.root) else { panic!("check accepted the refused pages") };
    let mut expected = Vec::new();
    for name in REFUSED {
        let text = std::fs::read_to_string(site.root.join(name)).unwrap();
        for (i, line) in text.lines().enumerate() {
            if line.contains("hit(") {
                expected.push((PathBuf::from("content").join(name), i + 1));
            }
        }
    }
    expected.sort();
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
    let found: Vec<(PathBuf, usize)> = errors.iter().map(|d| (d.file.clone(), d.line)).collect();
    assert_eq!(found, expected, "{}", errors.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"));
    for d in &errors {
        assert!(d.column > 0 && d.hint.is_some(), "{d}");
    }
    let link = errors.iter().find(|d| d.line == 8 && d.file.ends_with("refused.md")).unwrap();
    assert!(link.message.contains("`[实体](&#106;avascript:hit('entity'))`"), "quotes the text as written: {link}");
    assert!(link.message.contains("`javascript:`"), "{link}");
}

/// Control characters from content never reach the terminal as they are.
#[test]
fn diagnostics_escape_control_characters() {
    let site = with_refused();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zhiku"))
        .args(["check", "--root"])
        .arg(&site.root)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let raw: BTreeSet<char> = stderr.chars().filter(|&c| c.is_control() && c != '\n').collect();
    assert!(raw.is_empty(), "raw control characters {raw:?} in:\n{stderr}");
    assert!(stderr.contains("unknown field `\\u{1b}]0;hit('key')\\u{7}`"), "{stderr}");
}

/// Every page of the built site, parsed: no event handler, style attribute or unsafe address.
fn unsafe_markup(public: &std::path::Path) -> Vec<String> {
    let mut found = Vec::new();
    for (rel, bytes) in snapshot(public) {
        if !rel.ends_with(".html") {
            continue;
        }
        let doc = scraper::Html::parse_document(&String::from_utf8_lossy(&bytes));
        for el in doc.root_element().descendants().filter_map(scraper::ElementRef::wrap) {
            for (name, value) in el.value().attrs() {
                let url = matches!(name, "href" | "src" | "action" | "formaction" | "data" | "poster" | "srcset");
                if name.starts_with("on")
                    || name == "style"
                    || name == "srcdoc"
                    || (url && zhiku::safety::check_url(value).is_err())
                {
                    found.push(format!("{rel}: <{} {name}=\"{value}\">", el.value().name()));
                }
            }
        }
    }
    found
}

#[test]
fn hostile_site_builds_and_no_payload_runs_in_chromium() {
    let site = SiteTest::fixture("hostile");
    site.build().unwrap();
    let found = unsafe_markup(&site.public());
    assert!(found.is_empty(), "{found:#?}");
    let page = site.html("speeches/jiang-hua/index.html");
    assert_eq!(text_of(&page, "h1"), "载荷讲话<script>hit('title')</script>\"><img src=x onerror=hit('title-img')>");
    node(&["--test", "tests/js/hostile.test.js"], &[("ZHIKU_PUBLIC", &site.public())]);
}
