//! `zhiku import` on the raw seed texts: every sentence of the curated page is kept, the chrome
//! is gone, and title, date, source and headings are detected; encodings and refusals.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use unicode_normalization::UnicodeNormalization;
use zhiku::import::{ImportOptions, import};

fn seeds() -> PathBuf {
    repo_root().join("tests/fixtures/seeds")
}

fn seed(prefix: &str) -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir(seeds())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    found.sort();
    found.remove(0)
}

/// Text without Markdown markup or whitespace, NFKC-folded: what a reader sees.
fn plain(markdown: &str) -> String {
    markdown.nfkc().filter(|c| !c.is_whitespace() && !matches!(c, '#' | '*' | '\\')).collect()
}

fn body_of(page: &str) -> &str {
    page.splitn(3, "---\n").nth(2).unwrap_or(page)
}

fn front(page: &str, key: &str) -> Option<String> {
    let yaml = page.split("---\n").nth(1)?;
    yaml.lines().find_map(|l| l.strip_prefix(&format!("{key}: ")).map(|v| v.trim_matches('\'').to_string()))
}

fn import_one(site: &SiteTest, file: &Path, out: &Path) -> String {
    let mut options = ImportOptions::new(&site.root);
    options.out = Some(out.to_path_buf());
    options.force = true;
    let done = import(&[file.to_path_buf()], &options).unwrap();
    std::fs::read_to_string(&done[0].output).unwrap()
}

#[test]
fn seeds_import_to_their_curated_text() {
    let site = SiteTest::repository();
    let out = site.root.join("drafts");
    // (seed, curated page, type, title, date, source)
    let cases = [
        ("000", "speeches/quanqu-shehui-gongzuo-huiyi.md", "speech", Some("在全区社会工作会议上的讲话"), None, None),
        (
            "001",
            "commentaries/renmin-ribao-shehui-gongzuo.md",
            "commentary",
            None,
            Some("2024-11-07"),
            Some("人民日報"),
        ),
        (
            "002",
            "speeches/2025-quanshi-shehui-gongzuo-huiyi.md",
            "speech",
            Some("在2025年全市社会工作会议上的讲话"),
            Some("2025-10-11"),
            None,
        ),
        (
            "003",
            "reflections/dangjian-yinling-zuzhi-jianshe.md",
            "reflection",
            Some("以党建引领社会工作，推进新时代组织建设"),
            None,
            None,
        ),
        (
            "004",
            "cases/yingze-brand.md",
            "case",
            Some("争当改革创新排头兵 打造社会工作迎泽品牌"),
            Some("2024-10-12"),
            Some("中国社区报"),
        ),
    ];
    for (prefix, curated, kind, title, date, source) in cases {
        let draft = import_one(&site, &seed(prefix), &out);
        let curated_page = std::fs::read_to_string(repo_root().join("content").join(curated)).unwrap();
        let got = plain(body_of(&draft));
        // Every sentence of the curated body is in the draft (curators only re-cut headings).
        for sentence in plain(body_of(&curated_page)).split(['。', '！', '？']).filter(|s| s.chars().count() >= 6) {
            assert!(got.contains(sentence), "{prefix}: `{sentence}` missing from the draft:\n{draft}");
        }
        for chrome in [
            "省略",
            "下载",
            "Copyright",
            "版權",
            "转载",
            "责任编辑",
            "社区文化网",
            "阅读:",
            "预览",
            "首页",
            "(guān)",
            "【提纲】",
            "目录/提纲",
        ] {
            assert!(!got.contains(&plain(chrome)), "{prefix}: chrome `{chrome}` left");
        }
        assert_eq!(front(&draft, "type").as_deref(), Some(kind), "{prefix}");
        if let Some(t) = title {
            assert_eq!(front(&draft, "title").as_deref(), Some(t), "{prefix}");
        }
        assert_eq!(front(&draft, "date").as_deref(), date, "{prefix}");
        if let Some(s) = source {
            assert_eq!(front(&draft, "source").as_deref(), Some(s), "{prefix}");
        }
        assert_eq!(front(&draft, "draft").as_deref(), Some("true"));
        // Headings follow the outline numbering of the text.
        let curated_headings = curated_page.lines().filter(|l| l.starts_with("## ")).count();
        let draft_headings = draft.lines().filter(|l| l.starts_with("## ")).count();
        assert_eq!(draft_headings, curated_headings, "{prefix}: level-2 headings\n{draft}");
    }
}

#[test]
fn detected_people_places_and_links() {
    let site = SiteTest::repository();
    let out = site.root.join("drafts");
    let case = import_one(&site, &seed("004"), &out);
    assert_eq!(front(&case, "region").as_deref(), Some("山西省太原市迎泽区"));
    assert!(front(&case, "speaker").unwrap().contains("杨会明"));
    let reflection = import_one(&site, &seed("003"), &out);
    assert_eq!(front(&reflection, "speaker").as_deref(), Some("市委社会工作部部长"));
    assert_eq!(front(&reflection, "source_url").as_deref(), Some("https://www.dawenyou.com/239001.html"));
    let speech = import_one(&site, &seed("000"), &out);
    assert!(speech.contains("推动中国式现代化\\*\\*新实践"), "masked names escaped");
    assert!(speech.contains("新就业\\_"));
    assert_eq!(speech.matches("原文此处有删节").count(), 2);
    let commentary = import_one(&site, &seed("001"), &out);
    assert!(commentary.contains("事關黨長期執政"), "glosses removed, traditional kept");
    assert!(
        front(&commentary, "topics").unwrap().contains("新时代“枫桥经验”"),
        "topics found through traditional aliases"
    );
}

#[test]
fn gbk_and_utf16_inputs_give_the_same_draft() {
    let site = SiteTest::repository();
    let text = std::fs::read_to_string(seed("004")).unwrap();
    let utf8 = site.root.join("raw-utf8.txt");
    std::fs::write(&utf8, &text).unwrap();
    let gbk = site.root.join("raw-gbk.txt");
    std::fs::write(&gbk, encoding_rs::GB18030.encode(&text).0).unwrap();
    let utf16 = site.root.join("raw-utf16.txt");
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.replace('\n', "\r\n").encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(&utf16, bytes).unwrap();
    let a = import_one(&site, &utf8, &site.root.join("a"));
    assert_eq!(import_one(&site, &gbk, &site.root.join("b")), a);
    assert_eq!(import_one(&site, &utf16, &site.root.join("c")), a);
}

#[test]
fn cli_refuses_binary_and_overwrites_and_dry_run_writes_nothing() {
    let site = SiteTest::repository();
    let bin = env!("CARGO_BIN_EXE_zhiku");
    let png = site.root.join("image.txt");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let out = Command::new(bin)
        .args(["import", png.to_str().unwrap(), "--root", site.root.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("image.txt") && err.contains("offset 8"), "{err}");

    let raw = seed("004");
    let dry = Command::new(bin)
        .args(["import", raw.to_str().unwrap(), "--root", site.root.to_str().unwrap(), "--dry-run"])
        .output()
        .unwrap();
    assert!(dry.status.success());
    let report = String::from_utf8_lossy(&dry.stdout);
    assert!(report.contains("): 社区文化网\n") && report.contains("would write"), "{report}");
    let before = snapshot(&site.root.join("content"));
    assert_eq!(snapshot(&site.root.join("content")).len(), before.len());

    let first = Command::new(bin)
        .args(["import", raw.to_str().unwrap(), "--root", site.root.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let again = Command::new(bin)
        .args(["import", raw.to_str().unwrap(), "--root", site.root.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    // The same text imported twice is a duplicate: the site's [[title]] link becomes ambiguous,
    // and the build says so instead of guessing.
    let mut with_drafts = site.options();
    with_drafts.drafts = true;
    let err = zhiku::site::build(&with_drafts).unwrap_err().to_string();
    assert!(err.contains("matches more than one page"), "{err}");
    zhiku::site::check(&site.root).expect("drafts are left out of a normal check");

    // In a new knowledge base the draft builds as a page.
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().join("kb");
    zhiku::scaffold::init(&kb, "2025-01-01").unwrap();
    let done = import(std::slice::from_ref(&raw), &ImportOptions::new(&kb)).unwrap();
    assert!(done[0].output.starts_with(kb.join("content/cases")));
    let mut options = zhiku::site::BuildOptions::new(&kb);
    options.drafts = true;
    zhiku::site::build(&options).unwrap();
    let page = std::fs::read_dir(kb.join("public/cases")).unwrap().count();
    assert!(page >= 2, "the imported case is built");
}

#[test]
fn unsafe_inputs_and_sections_are_refused() {
    let site = SiteTest::repository();
    let bin = env!("CARGO_BIN_EXE_zhiku");
    let root = site.root.to_str().unwrap();
    // A FIFO would block a reader forever: it is refused by name, without opening it.
    let fifo = site.root.join("pipe.txt");
    let made = Command::new("mkfifo").arg(&fifo).status().map(|s| s.success()).unwrap_or(false);
    if made {
        let out = Command::new(bin).args(["import", fifo.to_str().unwrap(), "--root", root]).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("pipe.txt") && err.contains("not a regular file"), "{err}");
    }
    let raw = seed("004");
    for section in ["../../x", "/tmp/x", "a/../../b"] {
        let out = Command::new(bin)
            .args(["import", raw.to_str().unwrap(), "--root", root, "--section", section])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{section}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("not a folder inside content/"), "{section}");
    }
    assert!(!site.root.join("x").exists() && !site.root.parent().unwrap().join("x").exists());
}

#[test]
fn a_batch_of_pages_gives_drafts_that_build_and_a_table() {
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().join("kb");
    zhiku::scaffold::init(&kb, "2025-01-01").unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    // A speech without any date, a saved page with a picture beside it, and the same page again.
    std::fs::write(
        inbox.join("a.txt"),
        "在全镇社会工作会议上的讲话\n同志们：\n今天我们召开全镇社会工作会议，部署今年的重点任务。\n一、提高认识\n社会工作直接联系群众、服务群众，大家要高度重视。\n",
    )
    .unwrap();
    let page = "<html><head><meta charset=\"utf-8\"><title>社区议事会议出新邻里_某某网</title></head><body><h1>社区议事会议出新邻里</h1><div>2024-05-09 来源：某某街道</div><div class=\"content\"><p>社区党委牵头成立议事会，居民有事好商量，大家的事大家办。</p><p><img src=\"pic.png\" alt=\"议事会现场\"></p><p>每月召开一次议事会，议题由居民提出，结果张榜公示。</p></div></body></html>";
    std::fs::write(inbox.join("b.html"), page).unwrap();
    std::fs::write(inbox.join("pic.png"), b"\x89PNG\r\n\x1a\nfake").unwrap();
    std::fs::write(inbox.join("c.htm"), page).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_zhiku"))
        .args(["import", inbox.to_str().unwrap(), "--root", kb.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report = String::from_utf8_lossy(&out.stdout);
    let table: Vec<&str> = report.lines().filter(|l| l.starts_with("| ")).collect();
    assert_eq!(table.len(), 4, "a header and one row per file:\n{report}");
    assert!(table[1].contains("a.txt") && table[1].contains("no date found"), "{}", table[1]);
    assert!(
        table[2].contains("社区议事会议出新邻里") && table[2].contains("2024-05-09") && table[2].contains("某某街道")
    );
    assert!(table[3].contains("already exists"), "the second copy is flagged: {}", table[3]);

    let speech = std::fs::read_dir(kb.join("content/speeches"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| std::fs::read_to_string(p).unwrap().contains("全镇社会工作会议"))
        .unwrap();
    let text = std::fs::read_to_string(&speech).unwrap();
    assert!(!text.contains("\ndate:"), "no invented date");
    assert_eq!(front(&text, "summary").as_deref(), Some("今天我们召开全镇社会工作会议，部署今年的重点任务。"));
    // The picture is copied beside its draft (a page bundle) and linked by that name.
    let case = walkdir::WalkDir::new(kb.join("content"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .find(|p| {
            p.extension().is_some_and(|e| e == "md") && std::fs::read_to_string(p).unwrap().contains("议事会现场")
        })
        .unwrap();
    assert_eq!(case.file_name().unwrap(), "index.md", "a draft with pictures is a bundle: {}", case.display());
    let body = std::fs::read_to_string(&case).unwrap();
    let link = body.split("](").nth(1).unwrap().split(')').next().unwrap();
    assert!(case.parent().unwrap().join(link).is_file(), "{link} beside {}", case.display());

    // The dateless draft builds with --drafts, and check says what it lacks.
    let report = zhiku::site::check(&kb).unwrap();
    let about_speech: Vec<String> =
        report.warnings.iter().filter(|w| speech.ends_with(&w.file)).map(|w| w.message.clone()).collect();
    assert!(about_speech.iter().any(|m| m.contains("lacks: date")), "{about_speech:?}");
    let mut options = zhiku::site::BuildOptions::new(&kb);
    options.drafts = true;
    zhiku::site::build(&options).unwrap();
    assert!(kb.join("public/speeches").read_dir().unwrap().count() >= 2, "the dateless speech is built");
}

#[test]
fn a_batch_goes_on_past_a_file_it_cannot_read_and_reports_it() {
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().join("kb");
    zhiku::scaffold::init(&kb, "2025-01-01").unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let fixtures = repo_root().join("tests/fixtures/import");
    std::fs::copy(fixtures.join("scanned.pdf"), inbox.join("a-scan.pdf")).unwrap();
    std::fs::copy(fixtures.join("txt_people_commentary.txt"), inbox.join("b.txt")).unwrap();
    std::fs::copy(fixtures.join("txt_xinhua_case.txt"), inbox.join("c.txt")).unwrap();
    // A named pipe among the files: refused by name (never opened, so nothing waits on it).
    let fifo = Command::new("mkfifo").arg(inbox.join("d-pipe.txt")).status().is_ok_and(|s| s.success());
    let out = Command::new(env!("CARGO_BIN_EXE_zhiku"))
        .args(["import", inbox.to_str().unwrap(), "--root", kb.to_str().unwrap()])
        .output()
        .unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!out.status.success(), "a file was not imported: the exit status says so");
    let rows: Vec<&str> = stdout.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| file ")).collect();
    assert_eq!(rows.len(), 3 + usize::from(fifo), "one row per file, the unreadable ones too:\n{stdout}");
    if fifo {
        assert!(rows.iter().any(|r| r.contains("d-pipe.txt") && r.contains("not imported")), "{stdout}");
        assert!(stderr.contains("d-pipe.txt") && stderr.contains("not a regular file"), "{stderr}");
    }
    assert!(rows.iter().any(|r| r.contains("a-scan.pdf") && r.contains("not imported")), "{stdout}");
    assert!(stderr.contains("a-scan.pdf") && stderr.contains("no text layer"), "{stderr}");
    assert!(stderr.contains("2 draft(s) written"), "{stderr}");
    assert!(!stderr.contains('\r'), "no progress line when stderr is not a terminal: {stderr:?}");
    let drafts = walkdir::WalkDir::new(kb.join("content"))
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| std::fs::read_to_string(e.path()).is_ok_and(|t| t.contains("draft: true")))
        .count();
    assert_eq!(drafts, 2, "the two readable files were imported");
}

#[test]
fn a_draft_put_into_a_section_takes_the_sections_type() {
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().join("kb");
    zhiku::scaffold::init(&kb, "2025-01-01").unwrap();
    let raw = dir.path().join("case.txt");
    std::fs::write(
        &raw,
        "望湖街道推行楼道议事会\n发布时间：2025-04-28\n一、基本情况\n锦苑社区建成于1995年，居民1460户，加装电梯的事议了多年。\n二、主要做法\n街道以楼道为单位成立议事会，所有事项在楼道内公开讨论。\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_zhiku"))
        .args(["import", raw.to_str().unwrap(), "--root", kb.to_str().unwrap(), "--section", "cases"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let drafts: Vec<_> = std::fs::read_dir(kb.join("content/cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "_index.md" && n != "example.md"))
        .collect();
    assert_eq!(drafts.len(), 1, "{drafts:?}");
    let text = std::fs::read_to_string(&drafts[0]).unwrap();
    assert!(text.contains("\ntype: case\n"), "the section's type: {text}");
}

#[test]
fn importing_outside_a_site_folder_says_where_the_drafts_go() {
    let bin = env!("CARGO_BIN_EXE_zhiku");
    let raw = seed("004");
    // A folder without config.yaml: the draft is written, with a warning naming the folder and
    // how to reach a site.
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(bin)
        .args(["import", raw.to_str().unwrap(), "--root", dir.path().to_str().unwrap(), "--lang", "en"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("warning: ") && err.contains("holds no config.yaml") && err.contains("--root"), "{err}");
    assert_eq!(snapshot(&dir.path().join("content")).len(), 1, "the draft is still written");
    // In a site folder (and with --dry-run anywhere) nothing is said.
    let site = SiteTest::repository();
    let quiet = Command::new(bin)
        .args(["import", raw.to_str().unwrap(), "--root", site.root.to_str().unwrap(), "--lang", "en"])
        .output()
        .unwrap();
    assert!(quiet.status.success());
    assert!(
        !String::from_utf8_lossy(&quiet.stderr).contains("config.yaml"),
        "{}",
        String::from_utf8_lossy(&quiet.stderr)
    );
    let dry = tempfile::tempdir().unwrap();
    let dry_run = Command::new(bin)
        .args(["import", raw.to_str().unwrap(), "--root", dry.path().to_str().unwrap(), "--dry-run", "--lang", "en"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&dry_run.stderr).contains("config.yaml"));
}
