//! What a build reads and leaves on disk: never a file from outside the site, never a hang on a
//! special file, ordinary permissions, and an output that survives a build killed at any moment.
#![cfg(unix)]

mod common;

use common::*;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs the `zhiku` binary under umask 022, killing it if it has not finished in 60 s.
fn zhiku(args: &[&str], cwd: &Path) -> Output {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("umask 022 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_zhiku"))
        .args(args)
        .current_dir(cwd)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("zhiku {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn build(site: &SiteTest) -> Output {
    zhiku(&["build", "--root", site.root.to_str().unwrap()], &site.root)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

/// A folder outside the site holding a secret, for links to point at.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("shadow"), "root:SECRET-HASH:19000:0:99999:7:::\n").unwrap();
    std::fs::write(dir.path().join("leak.md"), "---\ntitle: 外部文件\n---\n\nSECRET-HASH\n").unwrap();
    dir
}

/// Every file under `dir` whose bytes contain `needle`.
fn files_containing(dir: &Path, needle: &str) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter(|e| std::fs::read(e.path()).is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle.as_bytes())))
        .map(|e| e.path().display().to_string())
        .collect()
}

#[test]
fn a_link_to_outside_the_site_is_an_error_and_nothing_of_it_is_published() {
    let secret = outside();
    let site = SiteTest::fixture("basic");
    site.build().unwrap();
    std::fs::create_dir_all(site.root.join("themes/default")).unwrap();
    symlink(secret.path(), site.root.join("themes/default/static")).unwrap();
    symlink(secret.path().join("leak.md"), site.root.join("content/cases/leak.md")).unwrap();
    symlink(secret.path(), site.root.join("content/speeches/etc")).unwrap();

    let out = build(&site);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for link in ["themes/default/static", "content/cases/leak.md", "content/speeches/etc"] {
        let line = err.lines().find(|l| l.starts_with(&format!("{link}: error: links to"))).unwrap_or_else(|| {
            panic!("no error for {link}: {err}");
        });
        assert!(line.contains(&secret.path().display().to_string()), "names the target: {line}");
        assert!(line.contains("outside the site"), "{line}");
    }
    assert!(err.contains("hint: copy the files you need into the site folder"), "{err}");
    assert!(files_containing(&site.root, "SECRET-HASH").is_empty(), "nothing of the target is in the site");
    assert!(site.public().join("index.html").exists(), "the last good output stays");

    // The same through `check`, and through a link in the config's place.
    assert_eq!(zhiku(&["check", "--root", site.root.to_str().unwrap()], &site.root).status.code(), Some(1));
    let config = site.root.join("config.yaml");
    std::fs::rename(&config, secret.path().join("config.yaml")).unwrap();
    symlink(secret.path().join("config.yaml"), &config).unwrap();
    let err = stderr(&build(&site));
    assert!(err.contains("config.yaml: error: links to"), "{err}");
}

#[test]
fn links_inside_the_site_are_followed() {
    let site = SiteTest::fixture("basic");
    site.write("shared/notes/nei-lian.md", "---\ntitle: 内部链接的页面\ndate: 2024-03-01\n---\n\n正文。\n");
    site.write("shared/assets/brand.css", "body { color: #333 }\n");
    symlink("../../shared/notes/nei-lian.md", site.root.join("content/cases/nei-lian.md")).unwrap();
    std::fs::create_dir_all(site.root.join("themes/default/static")).unwrap();
    symlink("../../../shared/assets", site.root.join("themes/default/static/brand")).unwrap();

    let out = build(&site);
    assert!(out.status.success(), "{}", stderr(&out));
    let title = site.html("cases/nei-lian/index.html").select(&sel("h1")).next().map(|h| h.text().collect::<String>());
    assert_eq!(title.as_deref(), Some("内部链接的页面"));
    assert_eq!(site.read("static/brand/brand.css"), "body { color: #333 }\n");
}

#[test]
fn a_loop_of_links_is_an_error() {
    let site = SiteTest::fixture("basic");
    symlink("..", site.root.join("content/cases/up")).unwrap();
    symlink("b.md", site.root.join("content/cases/a.md")).unwrap();
    symlink("a.md", site.root.join("content/cases/b.md")).unwrap();
    let out = build(&site);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("content/cases/up: error: links to `content`, a folder that holds it"), "{err}");
    assert!(err.contains("content/cases/a.md: error: is a loop of links"), "{err}");
    assert!(err.contains("content/cases/b.md: error: is a loop of links"), "{err}");
    assert!(!site.public().exists());
}

#[test]
fn special_files_never_hang_a_build_and_are_named() {
    let site = SiteTest::fixture("basic");
    mkfifo(&site.root.join("content/cases/pipe.md"));
    mkfifo(&site.root.join("content/cases/notes.txt"));
    std::fs::create_dir_all(site.root.join("themes/default/static")).unwrap();
    mkfifo(&site.root.join("themes/default/static/feed.css"));
    let out = build(&site);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("content/cases/pipe.md: error: is a FIFO (named pipe), not a regular file"), "{err}");
    assert!(err.contains("themes/default/static/feed.css: error: is a FIFO (named pipe)"), "{err}");

    // A FIFO the build would not read anyway is a warning, and the build goes on.
    std::fs::remove_file(site.root.join("content/cases/pipe.md")).unwrap();
    std::fs::remove_file(site.root.join("themes/default/static/feed.css")).unwrap();
    let out = build(&site);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("content/cases/notes.txt: warning: is a FIFO (named pipe)"), "{}", stderr(&out));

    // A FIFO in the config's place, too.
    std::fs::remove_file(site.root.join("config.yaml")).unwrap();
    mkfifo(&site.root.join("config.yaml"));
    let err = stderr(&build(&site));
    assert!(err.contains("config.yaml") && err.contains("not a regular file"), "{err}");
}
