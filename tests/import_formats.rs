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

/// The image addresses of a Markdown body, as a Markdown reader sees them.
fn image_links(markdown: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new(markdown)
        .filter_map(|e| match e {
            Event::Start(Tag::Image { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_draft_with_pictures_is_a_page_bundle_and_one_without_is_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().join("kb");
    zhiku::scaffold::init(&kb, "2025-01-01").unwrap();
    let fixtures = repo_root().join("tests/fixtures/import");
    let inbox = dir.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    // A saved page whose picture has a name that is not safe as it is, and a plain text.
    let page = std::fs::read_to_string(fixtures.join("html_people_xxly.html"))
        .unwrap()
        .replace("html_people_xxly_fig1.png", "现场 照片(1).PNG");
    std::fs::write(inbox.join("page.html"), page).unwrap();
    std::fs::copy(fixtures.join("html_people_xxly_fig1.png"), inbox.join("现场 照片(1).PNG")).unwrap();
    std::fs::copy(fixtures.join("txt_people_commentary.txt"), inbox.join("text.txt")).unwrap();
    let mut options = zhiku::import::ImportOptions::new(&kb);
    options.section = Some("cases".into());
    let done = zhiku::import::import(std::slice::from_ref(&inbox), &options).unwrap();
    assert_eq!(done.len(), 2);
    let with_pictures = done.iter().find(|d| !d.pictures.is_empty()).expect("the page has a picture");
    let index = &with_pictures.output;
    assert_eq!(index.file_name().unwrap(), "index.md");
    let bundle = index.parent().unwrap();
    assert_eq!(bundle.parent().unwrap(), kb.join("content/cases"), "the bundle is a folder of the section");
    let links = image_links(&std::fs::read_to_string(index).unwrap());
    assert_eq!(links.len(), 1, "{links:?}");
    let picture = bundle.join(&links[0]);
    assert!(picture.is_file(), "the picture is beside index.md under the name the page uses: {links:?}");
    assert!(
        links[0].chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.')),
        "a safe name: {links:?}"
    );
    assert_eq!(std::fs::read(&picture).unwrap(), std::fs::read(fixtures.join("html_people_xxly_fig1.png")).unwrap());
    let plain = done.iter().find(|d| d.pictures.is_empty()).unwrap();
    assert_eq!(plain.output.parent().unwrap(), kb.join("content/cases"), "a page without pictures stays a file");
    assert_eq!(plain.output.extension().unwrap(), "md");

    // The same input again: the bundle is there, so nothing is replaced without --force, and
    // the names are the same (deterministic).
    let again = zhiku::import::import(&[inbox.join("page.html")], &options);
    assert!(again.is_err(), "an existing bundle is not overwritten");
    options.force = true;
    let again = zhiku::import::import(&[inbox.join("page.html")], &options).unwrap();
    assert_eq!(again[0].output, *index);
    assert_eq!(again[0].pictures, with_pictures.pictures);
}
