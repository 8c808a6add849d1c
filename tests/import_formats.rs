//! `zhiku import` on pages from many kinds of sites (raw text, saved HTML): each draft is
//! checked against what a curator would have written (`<file>.expected.json`: title, date,
//! source, speaker, source_url, headings, sentences kept, chrome dropped, cut marks, figures).
//! Prints the score per kind of check and every failure.

mod common;

use common::repo_root;
use zhiku::import::score::{score_dir, summary};

#[test]
fn fixtures_of_every_kind_import_as_a_curator_would() {
    let checks = score_dir(&repo_root().join("tests/fixtures/import")).unwrap();
    println!("{}", summary(&checks));
    assert!(checks.len() > 300, "the fixtures are read");
    let failed: Vec<_> = checks.iter().filter(|c| !c.passed).collect();
    assert!(failed.is_empty(), "{}", summary(&checks));
}
