//! Scores drafts against what a careful curator would have written: a folder of inputs, each
//! with `<file>.expected.json` (title, date, source, speaker, source_url, headings, must_keep,
//! must_drop, truncated, figures). Used by `tests/import_formats.rs` and
//! `examples/import_score.rs`, which prints the percentage for any such folder.

use super::{ImportOptions, TRUNCATION, import};
use serde_json::Value;
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

/// One check on one draft.
#[derive(Debug, Clone)]
pub struct Check {
    pub file: String,
    /// `title`, `date`, `keep`, `drop`, …
    pub kind: &'static str,
    pub passed: bool,
    /// What was expected and what the draft has, when they differ.
    pub detail: String,
}

/// Text without Markdown markup or whitespace, NFKC-folded: what a reader sees.
pub fn plain(markdown: &str) -> String {
    markdown.nfkc().filter(|c| !c.is_whitespace() && !matches!(c, '#' | '*' | '\\')).collect()
}

fn field(expected: &Value, key: &str) -> Option<String> {
    expected.get(key).and_then(Value::as_str).map(str::to_string)
}

/// Imports every input of `dir` that has an expectation file and checks its draft.
pub fn score_dir(dir: &Path) -> std::io::Result<Vec<Check>> {
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    inputs.sort();
    let site = tempfile_dir()?;
    let mut checks = Vec::new();
    for expected_path in inputs {
        let name = expected_path
            .file_name()
            .map(|n| n.to_string_lossy().trim_end_matches(".expected.json").to_string())
            .unwrap_or_default();
        let input = dir.join(&name);
        let expected: Value = serde_json::from_str(&std::fs::read_to_string(&expected_path)?).unwrap_or(Value::Null);
        let mut options = ImportOptions::new(&site);
        options.dry_run = true;
        let result = import(std::slice::from_ref(&input), &options);
        let mut check = |kind: &'static str, passed: bool, detail: String| {
            checks.push(Check {
                file: name.clone(),
                kind,
                passed,
                detail: if passed { String::new() } else { detail },
            });
        };
        if expected.get("no_text_layer").and_then(Value::as_bool) == Some(true) {
            let said = result.as_ref().err().map(|e| e.to_string()).unwrap_or_default();
            check(
                "refused",
                said.contains("text"),
                format!("expected an error saying there is no text layer, got {said:?}"),
            );
            continue;
        }
        let draft = match result {
            Ok(mut done) if !done.is_empty() => done.remove(0).draft,
            other => {
                let why = other.err().map(|e| e.to_string()).unwrap_or_default();
                check("imported", false, why);
                continue;
            }
        };
        let body = plain(&format!("{}\n{}", draft.subtitle.as_deref().unwrap_or(""), draft.body));
        for (kind, key, got) in [
            ("title", "title", Some(draft.title.clone()).filter(|t| !t.is_empty())),
            ("date", "date", draft.date.clone()),
            ("source", "source", draft.source.clone()),
            ("speaker", "speaker", draft.speaker.clone()),
            ("source_url", "source_url", draft.source_url.clone()),
        ] {
            let want = field(&expected, key);
            check(kind, want == got, format!("expected {want:?}, got {got:?}"));
        }
        let headings: Vec<String> =
            draft.body.lines().filter(|l| l.starts_with('#')).map(|l| plain(l.trim_start_matches('#'))).collect();
        let want: Vec<String> = expected
            .get("headings")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(plain).collect())
            .unwrap_or_default();
        check("headings", headings == want, format!("expected {want:?}, got {headings:?}"));
        for (key, kind, present) in
            [("must_keep", "keep", true), ("must_drop", "drop", false), ("figures", "figure", true)]
        {
            for item in expected.get(key).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
                let found = body.contains(&plain(item));
                check(
                    kind,
                    found == present,
                    format!("`{item}` {}", if present { "missing" } else { "left in the draft" }),
                );
            }
        }
        let want_cut = expected.get("truncated").and_then(Value::as_bool).unwrap_or(false);
        let cuts = draft.body.contains(TRUNCATION);
        check("cut mark", cuts == want_cut, format!("expected truncated = {want_cut}, got {cuts}"));
    }
    let _ = std::fs::remove_dir_all(&site);
    Ok(checks)
}

fn tempfile_dir() -> std::io::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("zhiku-import-score-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// A table of the checks: per kind and per file, passed/total, then every failure.
pub fn summary(checks: &[Check]) -> String {
    let mut out = String::new();
    let mut kinds: Vec<&str> = checks.iter().map(|c| c.kind).collect();
    kinds.dedup();
    kinds.sort();
    kinds.dedup();
    for kind in kinds {
        let of: Vec<&Check> = checks.iter().filter(|c| c.kind == kind).collect();
        out.push_str(&format!("{kind:<12} {:>4}/{:<4}\n", of.iter().filter(|c| c.passed).count(), of.len()));
    }
    // Per kind of input (the file's extension: txt, html, docx, pdf).
    let ext = |c: &Check| c.file.rsplit_once('.').map_or(String::new(), |(_, e)| e.to_ascii_lowercase());
    let mut exts: Vec<String> = checks.iter().map(ext).collect();
    exts.sort();
    exts.dedup();
    for e in exts {
        let of: Vec<&Check> = checks.iter().filter(|c| ext(c) == e).collect();
        out.push_str(&format!("input .{e:<6} {:>4}/{:<4}\n", of.iter().filter(|c| c.passed).count(), of.len()));
    }
    for c in checks.iter().filter(|c| !c.passed) {
        out.push_str(&format!("FAIL {} {}: {}\n", c.file, c.kind, c.detail));
    }
    let passed = checks.iter().filter(|c| c.passed).count();
    out.push_str(&format!(
        "score: {passed}/{} = {:.1}%\n",
        checks.len(),
        if checks.is_empty() { 0.0 } else { 100.0 * passed as f64 / checks.len() as f64 }
    ));
    out
}
