//! The `zhiku` binary as a user runs it: exit codes, messages, `init`, `new`, `check`.

mod common;

use common::*;
use std::process::{Command, Output};

/// Runs zhiku in English (`LANG=C`, whatever the machine's locale).
fn zhiku(args: &[&str], cwd: &std::path::Path) -> Output {
    zhiku_in("C", args, cwd)
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
    assert!(err.contains("6 error(s) found"), "{err}");
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

/// A page with the common slips of a curator, one of each, and links in its body.
const SLIPS: &str = "---\ntitle：测试讲话\ndate:2024-01-01\nspeakr: 区委书记\ntopics: [志愿服务，基层治理]\n\tsummary: 摘要\nrelated: [cases/a.md\n---\n\n同志们：\n\n见[[没有这个标题]]和[案例](@/cases/missing.md)。\n";

#[test]
fn every_slip_in_one_run_in_chinese_under_a_chinese_locale() {
    let site = SiteTest::fixture("basic");
    site.write("content/speeches/slips.md", SLIPS);
    let out = zhiku_in("zh_CN.UTF-8", &["check"], &site.root);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let expect = [
        ("content/speeches/slips.md:2:6: 错误: ", "全角冒号", "`title: 测试讲话`"),
        ("content/speeches/slips.md:3:6: 错误: ", "冒号后面少了一个空格", "`date: 2024-01-01`"),
        ("content/speeches/slips.md:4:1: 错误: ", "不认识的键 `speakr`", "是不是想写 `speaker`？"),
        ("content/speeches/slips.md:5:14: 错误: ", "全角逗号", "`topics: [志愿服务, 基层治理]`"),
        ("content/speeches/slips.md:6:1: 错误: ", "制表符", "两个空格"),
        ("content/speeches/slips.md:7:10: 错误: ", "`[` 没有配对", "`related: [cases/a.md]`"),
        // The body is still checked: the page keeps the title read from the broken line.
        ("content/speeches/slips.md:12:2: 错误: ", "没有这个标题", ""),
        ("content/speeches/slips.md:12:", "cases/missing.md", ""),
    ];
    let blocks: Vec<&str> = err.split("\ncontent/").collect();
    for (place, message, fix) in expect {
        let place = place.trim_start_matches("content/");
        let block = blocks.iter().find(|b| b.trim_start_matches("content/").starts_with(place) && b.contains(message));
        let block = block.unwrap_or_else(|| panic!("no `{place}` … `{message}` in:\n{err}"));
        assert!(block.contains("提示: ") && block.contains(fix), "{block}");
    }
    assert!(err.contains("发现 8 处错误"), "{err}");
    assert!(!err.contains("error"), "English words in a Chinese report:\n{err}");
}

#[test]
fn the_same_slips_in_english_under_lang_c() {
    let site = SiteTest::fixture("basic");
    site.write("content/speeches/slips.md", SLIPS);
    let out = zhiku_in("C", &["check"], &site.root);
    let err = stderr(&out);
    assert!(err.contains("content/speeches/slips.md:2:6: error: front matter: full-width colon"), "{err}");
    assert!(err.contains("hint: did you mean `speaker`?"), "{err}");
    assert!(err.contains("8 error(s) found"), "{err}");
    // The flag and ZHIKU_LANG override the locale.
    let out = zhiku_in("C", &["check", "--lang", "zh"], &site.root);
    assert!(stderr(&out).contains("发现 8 处错误"), "{}", stderr(&out));
}

#[test]
fn forgiving_dates_and_chinese_type_names_build() {
    let site = SiteTest::fixture("basic");
    for (name, date, kind) in
        [("a", "2024年10月12日", "讲话"), ("b", "2024.10.12", "评论"), ("c", "2024/10/12", "研讨发言")]
    {
        let text = format!(
            "---\ntitle: 宽容的写法{name}\ndate: {date}\ntype: {kind}\n---\n\n同志们：\n\n今天我们召开会议，部署全年工作。\n"
        );
        site.write(&format!("content/speeches/forgiving-{name}.md"), &text);
    }
    let out = zhiku(&["build"], &site.root);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(site.public().join("speeches/forgiving-a/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let meta = scraper::Selector::parse("meta[name=description]").unwrap();
    let description = doc.select(&meta).next().and_then(|m| m.value().attr("content")).unwrap();
    assert_eq!(description, "今天我们召开会议，部署全年工作。", "the summary skips the salutation");
    let time = scraper::Selector::parse("time").unwrap();
    assert!(doc.select(&time).any(|t| t.value().attr("datetime") == Some("2024-10-12")), "{html}");

    let out = zhiku(&["new", "案例", "一个新案例"], &site.root);
    assert!(out.status.success(), "{}", stderr(&out));
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(path.contains("cases"), "{path}");
    assert!(std::fs::read_to_string(site.root.join(&path)).unwrap().contains("type: case"));
    let out = zhiku_in("zh_CN.UTF-8", &["new", "讲画", "x"], &site.root);
    assert!(stderr(&out).contains("是不是想写 `讲话`？"), "{}", stderr(&out));
}

#[test]
fn help_is_chinese_under_a_chinese_locale() {
    let out = zhiku_in("zh_CN.UTF-8", &["build", "--help"], std::path::Path::new("."));
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("用法： zhiku build") && help.contains("选项:") && help.contains("站点文件夹"), "{help}");
}

#[test]
fn init_suggests_a_command_that_runs_as_typed() {
    let dir = tempfile::tempdir().unwrap();
    let out = zhiku(&["init", "my kb"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let next = err.lines().find_map(|l| l.strip_prefix("done. next: ")).unwrap_or_else(|| panic!("{err}"));
    let run = Command::new("sh").arg("-c").arg(next).current_dir(dir.path()).env("LANG", "C").output().unwrap();
    assert!(run.status.success(), "`{next}`: {}", stderr(&run));
    assert!(dir.path().join("my kb/public/index.html").exists());
}

/// A slip on the command line (a misspelt command, a bad value, a missing argument) is said in
/// the reader's language, with the command meant and where to read how to use it; exit 2.
#[test]
fn command_line_slips_are_named_in_the_readers_language() {
    let dir = tempfile::tempdir().unwrap();
    let run = |lang: &str, args: &[&str]| {
        let out = zhiku_in(lang, args, dir.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let zh = run("zh_CN.UTF-8", &["biuld"]);
    assert!(zh.contains("没有 `biuld` 这个命令") && zh.contains("是不是想写 `build`"), "{zh}");
    assert!(!zh.contains("error") && !zh.contains("tip:") && !zh.contains("Usage"), "{zh}");
    let zh = run("zh_CN.UTF-8", &["serve", "--port", "abc"]);
    assert!(zh.contains("`abc` 不是 `--port <PORT>` 可以取的值") && zh.contains("serve --help"), "{zh}");
    assert!(zh.contains("请写一个整数") && !zh.contains("invalid digit"), "{zh}");
    let zh = run("zh_CN.UTF-8", &["build", "--lang", "fr"]);
    assert!(zh.contains("可以取的值：`zh`, `en`"), "{zh}");
    let zh = run("zh_CN.UTF-8", &["search"]);
    assert!(zh.contains("这个命令还缺少 `<QUERY>`"), "{zh}");
    let en = run("C", &["biuld"]);
    assert!(en.contains("there is no command `biuld`") && en.contains("did you mean `build`?"), "{en}");
    assert!(!en.contains("没有"), "{en}");
}
