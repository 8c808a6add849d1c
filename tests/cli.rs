//! The `zhiku` binary as a user runs it: exit codes, messages, `init`, `new`, `check`.

mod common;

use common::*;
use std::process::{Command, Output};

fn zhiku(args: &[&str], cwd: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhiku")).args(args).current_dir(cwd).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn build_of_broken_site_exits_1_naming_file_and_line() {
    let site = SiteTest::fixture("broken");
    let out = zhiku(&["build", "--root", site.root.to_str().unwrap()], &site.root);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("content/cases/b.md:4:1: error: front matter: unknown field `speakr`"), "{err}");
    assert!(err.contains("content/speeches/a.md:6:2: error: link to missing page"), "{err}");
    assert!(err.contains("5 error(s) found"), "{err}");
}

#[test]
fn check_validates_without_writing() {
    let site = SiteTest::fixture("basic");
    let out = zhiku(&["check"], &site.root);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("warning: topic `未建页面的专题` has no page"));
    assert!(!site.public().exists());
    let broken = SiteTest::fixture("broken");
    assert_eq!(zhiku(&["check", "--root", broken.root.to_str().unwrap()], &site.root).status.code(), Some(1));
}

#[test]
fn init_then_new_then_build() {
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().join("kb");
    let out = zhiku(&["init", kb.to_str().unwrap()], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!zhiku(&["init", kb.to_str().unwrap()], dir.path()).status.success(), "init refuses an existing site");

    let out = zhiku(&["new", "speech", "在全区社会工作会议上的讲话"], &kb);
    assert!(out.status.success(), "{}", stderr(&out));
    let path = kb.join("content/speeches/zai-quan-qu-she-hui-gong-zuo-hui-yi-shang-de-jiang-hua.md");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("---\ntitle: 在全区社会工作会议上的讲话\ndate: "), "{text}");
    let again = zhiku(&["new", "speech", "在全区社会工作会议上的讲话"], &kb);
    assert!(!again.status.success() && stderr(&again).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text, "not overwritten");
    let bad = zhiku(&["new", "speach", "x"], &kb);
    assert!(!bad.status.success() && stderr(&bad).contains("speech, commentary"));

    let out = zhiku(&["build"], &kb);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(kb.join("public/cases/example/index.html").exists());
    assert!(
        !kb.join("public/speeches/zai-quan-qu-she-hui-gong-zuo-hui-yi-shang-de-jiang-hua").exists(),
        "new pages start as drafts"
    );
    let out = zhiku(&["build", "--drafts", "--output", dir.path().join("out").to_str().unwrap()], &kb);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.path().join("out/speeches/zai-quan-qu-she-hui-gong-zuo-hui-yi-shang-de-jiang-hua/index.html").exists());
}

#[test]
fn missing_config_gives_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let out = zhiku(&["build"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("zhiku init"), "{}", stderr(&out));
}

#[test]
fn every_command_has_help() {
    for cmd in ["build", "check", "new", "init"] {
        let out = zhiku(&[cmd, "--help"], std::path::Path::new("."));
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("Usage: zhiku"), "{cmd}");
    }
}
