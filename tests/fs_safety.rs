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

#[test]
fn published_files_get_ordinary_permissions() {
    let site = SiteTest::fixture("basic");
    site.write("themes/default/static/private.css", "a{}");
    site.write("themes/default/static/tool.js", "run()");
    let mode = |p: &Path| std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o7777;
    let set = |p: &Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    set(&site.root.join("themes/default/static/private.css"), 0o600);
    set(&site.root.join("themes/default/static/tool.js"), 0o4755);
    set(&site.root.join("content/cases/anli-yi.md"), 0o640);
    let check = |when: &str| {
        for entry in walkdir::WalkDir::new(site.public()) {
            let entry = entry.unwrap();
            let expected = if entry.file_type().is_dir() { 0o755 } else { 0o644 };
            assert_eq!(mode(entry.path()), expected, "{when}: {}", entry.path().display());
        }
    };
    let out = build(&site);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.public().join("static/private.css").exists());
    check("fresh build");

    // Modes changed in an output are set right when it is recycled as a later build's staging.
    set(&site.public().join("index.html"), 0o600);
    set(&site.public().join("static/tool.js"), 0o755);
    for _ in 0..2 {
        assert!(build(&site).status.success());
    }
    check("recycled output");
}

/// A process id that is no longer running.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

/// The names in the site folder that a build stopped halfway could leave.
fn leftovers(site: &SiteTest) -> Vec<String> {
    let names = |dir: &Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .map_or(Vec::new(), |d| d.flatten().map(|e| e.file_name().to_string_lossy().into()).collect())
    };
    let mut found: Vec<String> = names(&site.root).into_iter().filter(|n| n.contains(".zhiku-")).collect();
    found.extend(names(&site.root.join(".zhiku")).into_iter().filter(|n| n.starts_with("index.staging-")));
    found
}

/// A build killed between the two renames of a swap (as on systems without an atomic exchange,
/// or by an earlier zhiku) left no `public/`, the previous output set aside, and a staging
/// folder: the next build puts the previous output back before anything else, even if it fails.
#[test]
fn a_stopped_build_is_recovered_and_its_leftovers_cleaned() {
    let site = SiteTest::fixture("basic");
    assert!(build(&site).status.success());
    let before = snapshot(&site.public());
    let pid = dead_pid();
    std::fs::rename(site.public(), site.root.join(format!(".public.zhiku-old-{pid}"))).unwrap();
    site.write(&format!(".public.zhiku-staging-{pid}/cases/half.html"), "<p>half");
    site.write(&format!(".zhiku/index.staging-{pid}/meta.json"), "{");
    // A preview's output and a running build's staging folder are not the dead build's.
    site.write(".zhiku/preview/1111/index.html", "preview");
    let mut running = Command::new("sleep").arg("60").spawn().unwrap();
    site.write(&format!(".public.zhiku-staging-{}/index.html", running.id()), "running");

    let case = std::fs::read_to_string(site.root.join("content/cases/anli-yi.md")).unwrap();
    site.write("content/cases/anli-yi.md", "---\ntitle: 案例乙\nbad key\n---\n");
    assert_eq!(build(&site).status.code(), Some(1));
    assert_eq!(snapshot(&site.public()), before, "the previous output is back");
    assert_eq!(leftovers(&site), [format!(".public.zhiku-staging-{}", running.id())]);

    site.write("content/cases/anli-yi.md", &case);
    let out = build(&site);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(snapshot(&site.public()), before);
    assert_eq!(leftovers(&site), [format!(".public.zhiku-staging-{}", running.id())]);
    assert_eq!(std::fs::read_to_string(site.root.join(".zhiku/preview/1111/index.html")).unwrap(), "preview");
    running.kill().unwrap();
    running.wait().unwrap();
    assert!(build(&site).status.success());
    assert!(leftovers(&site).is_empty(), "{:?}", leftovers(&site));
}

/// A build killed right after the swap leaves the previous output under its staging name, and
/// one killed while writing leaves a partial staging folder (with a folder still under its
/// temporary name). Either is recycled by the next build, whose output is exactly a fresh one.
#[test]
fn a_stopped_builds_staging_folder_is_recycled_exactly() {
    let site = SiteTest::fixture("basic");
    assert!(build(&site).status.success());
    let stopped = site.root.join(format!(".public.zhiku-staging-{}", dead_pid()));
    std::fs::rename(site.public(), &stopped).unwrap();
    std::fs::create_dir_all(stopped.join(".zhiku-new-1-abc")).unwrap();
    std::fs::write(stopped.join("cases/anli-yi/index.html"), "<p>half written").unwrap();
    std::fs::remove_dir_all(site.root.join(".zhiku/trash")).ok();
    site.write("content/policies/xin-wen-jian.md", "---\ntitle: 新文件\ndate: 2024-05-01\n---\n\n正文。\n");

    let out = build(&site);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(leftovers(&site).is_empty(), "{:?}", leftovers(&site));
    let fresh = tempfile::tempdir().unwrap();
    let fresh_out = fresh.path().join("public");
    let out =
        zhiku(&["build", "--root", site.root.to_str().unwrap(), "--output", fresh_out.to_str().unwrap()], &site.root);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(snapshot(&site.public()), snapshot(&fresh_out));
    let folders = |dir: &Path| -> Vec<String> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_dir())
            .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
            .collect()
    };
    assert_eq!(folders(&site.public()), folders(&fresh_out), "no folder left over");
}

#[test]
fn a_file_name_too_long_for_a_folder_names_the_source() {
    let site = SiteTest::fixture("basic");
    let name = "在全区社会工作会议上的讲话".repeat(7).chars().take(84).collect::<String>();
    site.write(&format!("content/speeches/{name}.md"), "---\ntitle: 长\ndate: 2025-01-01\n---\n\n正文。\n");
    let out = build(&site);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("content/speeches/{name}.md:1:1: error: the file name gives a URL slug of")),
        "{err}"
    );
    assert!(err.contains("hint: rename the file with a shorter name"), "{err}");
}

#[test]
fn a_theme_setting_that_is_a_path_is_refused_by_name() {
    let site = SiteTest::fixture("basic");
    let config = std::fs::read_to_string(site.root.join("config.yaml")).unwrap();
    for bad in ["/etc", "../../outside", "a/b"] {
        let text = if config.contains("theme:") {
            config
                .lines()
                .map(|l| if l.starts_with("theme:") { format!("theme: {bad}") } else { l.to_string() })
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            format!("{config}\ntheme: {bad}\n")
        };
        site.write("config.yaml", &text);
        let out = build(&site);
        assert_eq!(out.status.code(), Some(1), "{bad}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(&format!("theme `{bad}` is not a theme name")), "{err}");
        assert!(err.contains("themes/"), "says where themes go: {err}");
    }
}
