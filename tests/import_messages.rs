//! `zhiku import` speaks the curator's language: a batch with a good file and every kind of file
//! it cannot read lists all the problems in one run, each naming its file and the fix, in Chinese
//! under a Chinese locale and in English otherwise; the good file is still imported and the exit
//! status says that some were not. And one import's reading of dates never leaks into the next.

mod common;

use common::*;
use std::path::Path;

/// A PDF whose text is locked by a password (an /Encrypt dictionary the empty password does
/// not open), written out with a correct cross-reference table.
fn encrypted_pdf() -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>".to_string(),
        format!("<< /Filter /Standard /V 1 /R 2 /O <{}> /U <{}> /P -4 >>", "41".repeat(32), "42".repeat(32)),
    ];
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.push_str(&format!("{} 0 obj\n{object}\nendobj\n", i + 1));
    }
    let xref = pdf.len();
    pdf.push_str(&format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1));
    for offset in offsets {
        pdf.push_str(&format!("{offset:010} 00000 n \n"));
    }
    let id = "00112233445566778899AABBCCDDEEFF";
    pdf.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R /Encrypt 4 0 R /ID [<{id}> <{id}>] >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    pdf.into_bytes()
}

/// A site and, in a folder whose name has a space and Chinese characters, one good text and
/// five files import cannot read.
fn batch(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let kb = dir.join("kb");
    zhiku::scaffold::init(&kb, "2025-01-01").unwrap();
    let inbox = dir.join("收件 箱");
    std::fs::create_dir_all(&inbox).unwrap();
    let fixtures = repo_root().join("tests/fixtures/import");
    std::fs::copy(fixtures.join("txt_gov_news_12345.txt"), inbox.join("好文章.txt")).unwrap();
    std::fs::copy(fixtures.join("scanned.pdf"), inbox.join("扫描件.pdf")).unwrap();
    // A Word file cut short, as by a download that stopped.
    let word = std::fs::read(fixtures.join("notice.docx")).unwrap();
    std::fs::write(inbox.join("损坏.docx"), &word[..word.len() / 2]).unwrap();
    std::fs::write(inbox.join("加密.pdf"), encrypted_pdf()).unwrap();
    std::fs::write(inbox.join("旧文档.doc"), [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0]).unwrap();
    std::fs::write(inbox.join("表格.xlsx"), b"PK\x03\x04 a spreadsheet").unwrap();
    // Word's lock file of an open document: left alone, not reported.
    std::fs::write(inbox.join("~$文章.docx"), b"\x0block").unwrap();
    (kb, inbox)
}

/// The problem files and what their message says, in each language.
const PROBLEMS: [(&str, &str, &str); 5] = [
    ("扫描件.pdf", "没有文字层", "no text layer"),
    ("损坏.docx", "已损坏", "damaged"),
    ("加密.pdf", "设了密码", "password"),
    ("旧文档.doc", "另存为 .docx", "save it as .docx"),
    ("表格.xlsx", "表格文件", "spreadsheet"),
];

fn drafts(kb: &Path) -> usize {
    walkdir::WalkDir::new(kb.join("content"))
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| std::fs::read_to_string(e.path()).is_ok_and(|t| t.contains("draft: true")))
        .count()
}

#[test]
fn a_batch_lists_every_problem_in_chinese_and_imports_the_good_file() {
    let dir = tempfile::tempdir().unwrap();
    let (kb, inbox) = batch(dir.path());
    let out = zhiku_in("zh_CN.UTF-8", &["import", inbox.to_str().unwrap(), "--root", kb.to_str().unwrap()], dir.path());
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!out.status.success(), "five files were not imported: the exit status says so");
    assert_eq!(drafts(&kb), 1, "the good file is imported all the same:\n{stdout}\n{stderr}");

    // Every line is Chinese: the report, the table and the errors (the table's rule excepted).
    for line in stdout.lines().chain(stderr.lines()).filter(|l| !l.trim().is_empty() && !l.starts_with("|---")) {
        assert!(line.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "not Chinese: {line}");
        for english in ["error", "hint", "not imported", "removed", "cannot", "this ", "file(s)", "not found"] {
            assert!(!line.contains(english), "English `{english}` in: {line}");
        }
    }
    assert!(stdout.contains("已删除（") && stdout.contains("编码"), "the report is Chinese:\n{stdout}");

    // One run names every problem with its file and what to do, in the table and on stderr.
    let rows: Vec<&str> = stdout.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| 文件")).collect();
    assert_eq!(rows.len(), 6, "one row per file, the lock file left alone:\n{stdout}");
    for (file, says, _) in PROBLEMS {
        assert!(rows.iter().any(|r| r.contains(file) && r.contains("未导入") && r.contains(says)), "{file}:\n{stdout}");
        let error = stderr.lines().find(|l| l.contains(file)).unwrap_or_else(|| panic!("{file} on stderr:\n{stderr}"));
        assert!(error.contains("错误") && error.contains(says) && error.contains('：'), "{error}");
        assert!(error.contains("请"), "says what to do: {error}");
    }
    assert!(stderr.contains("5 个文件没有导入；已写出 1 篇草稿"), "{stderr}");
    assert!(!stdout.contains("~$") && !stderr.contains("~$"), "Word's lock file is not reported");

    // The same batch again: the good file's draft is there, so it is not imported, in one row
    // (not also as imported), and the message names the draft and the way out.
    let again =
        zhiku_in("zh_CN.UTF-8", &["import", inbox.to_str().unwrap(), "--root", kb.to_str().unwrap()], dir.path());
    let stdout = String::from_utf8_lossy(&again.stdout);
    let rows: Vec<&str> = stdout.lines().filter(|l| l.contains("好文章.txt")).collect();
    assert_eq!(rows.len(), 1, "{stdout}");
    assert!(rows[0].contains("已经存在") && rows[0].contains("--force"), "{}", rows[0]);
    assert!(stdout.contains("已导入 0 个文件"), "{stdout}");
}

#[test]
fn the_same_batch_in_english_under_a_c_locale() {
    let dir = tempfile::tempdir().unwrap();
    let (kb, inbox) = batch(dir.path());
    let root = kb.to_str().unwrap();
    let out = zhiku_in("C", &["import", inbox.to_str().unwrap(), "--root", root, "--dry-run"], dir.path());
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!out.status.success());
    assert_eq!(drafts(&kb), 0, "--dry-run writes nothing");
    assert!(stdout.contains("would write") && stdout.contains("  encoding   UTF-8"), "{stdout}");
    for (file, _, says) in PROBLEMS {
        let error = stderr.lines().find(|l| l.contains(file)).unwrap_or_else(|| panic!("{file} on stderr:\n{stderr}"));
        assert!(error.contains(": error: ") && error.contains(says), "{error}");
    }
    assert!(stderr.contains("5 file(s) not imported; 0 draft(s) written"), "{stderr}");
    assert!(stdout.contains("  removed (above the article (site chrome)): ") && stdout.contains("  type       page"));
    assert!(stdout.contains("| file | title |") && stdout.contains("not imported: "), "{stdout}");
}

#[test]
fn import_help_is_chinese_with_examples() {
    let dir = tempfile::tempdir().unwrap();
    // Run without a file, as a new user does first: what to give, in Chinese, with examples.
    let out = zhiku_in("zh_CN.UTF-8", &["import"], dir.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("请写上要导入的文件或文件夹") && err.contains("例如："), "{err}");
    let out = zhiku_in("zh_CN.UTF-8", &["import", "--help"], dir.path());
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{help}");
    for expected in
        ["另存的网页", "覆盖已有的同名草稿", "例如：", "zhiku import 收件箱/ --section cases", "draft: true"]
    {
        assert!(help.contains(expected), "`{expected}` in:\n{help}");
    }
    let out = zhiku_in("C", &["import", "--help"], dir.path());
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("Examples:") && help.contains("Replace drafts that are already there"), "{help}");
}

/// The 民國 era of one page (bare years such as `114年` count from 1912) is a value of that
/// import: a page of the mainland imported next, in the same process, reads `114-03-12` as no
/// date, and the 民國 page imported again still reads it as 2025.
#[test]
fn the_roc_era_of_one_import_does_not_leak_into_the_next() {
    let roc = "臺北市社會局推動長者共餐據點\n中華民國114年3月12日\n發布單位：臺北市政府社會局\n\
               臺北市政府社會局今日宣布，將在各區增設長者共餐據點，讓長輩就近用餐、交朋友。\n\
               社會局表示，據點由社區發展協會與志願服務團隊共同經營，114-03-20起陸續開放。\n";
    let mainland = "社区议事会开起来了\n编号：114-03-12\n\
                    社区党委牵头成立议事会，居民有事好商量，大家的事大家办。\n\
                    每月召开一次议事会，议题由居民提出，结果张榜公示，群众满意度明显提高。\n";
    let first = zhiku::import::import_text(roc, &[]);
    assert_eq!(first.date.as_deref(), Some("2025-03-12"), "{first:?}");
    let second = zhiku::import::import_text(mainland, &[]);
    assert_eq!(second.date, None, "a mainland page has no 民國 years: {second:?}");
    let again = zhiku::import::import_text(roc, &[]);
    assert_eq!(again.date, first.date);
    // Two imports at once on two threads read each its own era.
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| zhiku::import::import_text(roc, &[]).date);
        let b = s.spawn(|| zhiku::import::import_text(mainland, &[]).date);
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_eq!((a.as_deref(), b), (Some("2025-03-12"), None));
}
