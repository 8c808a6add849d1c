//! Test harness: copies a fixture site into a temp folder, builds it, and reads the output
//! as parsed HTML.
#![allow(dead_code)]

use scraper::{Html, Selector};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use zhiku::search::analyzer::fold_text;
use zhiku::site::{self, BuildOptions, BuildReport};

pub struct SiteTest {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

impl SiteTest {
    /// A copy of `tests/sites/<name>`.
    pub fn fixture(name: &str) -> SiteTest {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        copy_tree(&repo_root().join("tests/sites").join(name), &root);
        SiteTest { _dir: dir, root }
    }

    /// A copy of the repository's own knowledge base (config.yaml and content/).
    pub fn repository() -> SiteTest {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::copy(repo_root().join("config.yaml"), root.join("config.yaml")).unwrap();
        copy_tree(&repo_root().join("content"), &root.join("content"));
        SiteTest { _dir: dir, root }
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions::new(&self.root)
    }

    pub fn build(&self) -> zhiku::Result<BuildReport> {
        site::build(&self.options())
    }

    pub fn public(&self) -> PathBuf {
        self.root.join("public")
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.public().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn html(&self, rel: &str) -> Html {
        Html::parse_document(&self.read(rel))
    }
}

/// Runs node (`node --test …`) in the repository with `envs`; fails with its output.
pub fn node(args: &[&str], envs: &[(&str, &Path)]) {
    let mut cmd = std::process::Command::new("node");
    cmd.args(args).current_dir(repo_root());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("node (18 or newer) must be installed to test the search client");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{text}");
    println!("{text}");
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// Text of the first element matching `selector`.
pub fn text_of(doc: &Html, selector: &str) -> String {
    doc.select(&sel(selector)).next().map(|e| e.text().collect::<String>()).unwrap_or_default()
}

pub fn texts_of(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector)).map(|e| e.text().collect::<String>().trim().to_string()).collect()
}

/// Every file of a tree with its bytes, for byte-identical comparisons.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}

/// Checks that every relative link and anchor in every HTML file under `public` resolves to a
/// file (a folder link needs its index.html) and an element id. Returns the broken ones.
/// Absolute-path links (the 404 page's) are resolved against `base_path`.
pub fn broken_links(public: &Path, base_path: &str) -> Vec<String> {
    let mut broken = Vec::new();
    let mut ids_cache: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    let files = snapshot(public);
    for (rel, bytes) in &files {
        if !rel.ends_with(".html") {
            continue;
        }
        let doc = Html::parse_document(&String::from_utf8_lossy(bytes));
        let here = public.join(rel);
        let dir = here.parent().unwrap().to_path_buf();
        for (selector, attr) in [("a[href]", "href"), ("link[href]", "href"), ("script[src]", "src")] {
            for el in doc.select(&sel(selector)) {
                let href = el.value().attr(attr).unwrap();
                if href.contains("://") || href.starts_with("mailto:") {
                    continue;
                }
                let (path_part, anchor) = match href.split_once('#') {
                    Some((p, a)) => (p, Some(a)),
                    None => (href, None),
                };
                let target = if path_part.is_empty() {
                    here.clone()
                } else if let Some(abs) = path_part.strip_prefix(base_path) {
                    public.join(abs)
                } else if path_part.starts_with('/') {
                    broken.push(format!("{rel}: {href} (absolute path outside base {base_path})"));
                    continue;
                } else {
                    dir.join(path_part)
                };
                let file = if target.is_dir() || path_part.ends_with('/') { target.join("index.html") } else { target };
                let Ok(file) = file.canonicalize() else {
                    broken.push(format!("{rel}: {href} (no file)"));
                    continue;
                };
                if !file.starts_with(public.canonicalize().unwrap()) {
                    broken.push(format!("{rel}: {href} (outside the site)"));
                    continue;
                }
                if let Some(anchor) = anchor.filter(|a| !a.is_empty()) {
                    let ids = ids_cache.entry(file.clone()).or_insert_with(|| {
                        let d = Html::parse_document(&std::fs::read_to_string(&file).unwrap_or_default());
                        d.select(&sel("[id]")).map(|e| e.value().attr("id").unwrap().to_string()).collect()
                    });
                    if !ids.iter().any(|id| id == anchor) {
                        broken.push(format!("{rel}: {href} (no element with id `{anchor}`)"));
                    }
                }
            }
        }
    }
    broken
}

/// Runs `zhiku search ARGS --root ROOT --json` and returns its results, best first.
pub fn cli_search(root: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zhiku"))
        .arg("search")
        .args(args)
        .arg("--root")
        .arg(root)
        .arg("--json")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Runs zhiku under the locale `lang` (`zh_CN.UTF-8`, `C`), no other language setting.
pub fn zhiku_in(lang: &str, args: &[&str], cwd: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_zhiku"))
        .args(args)
        .current_dir(cwd)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("ZHIKU_LANG")
        .env("LANG", lang)
        .output()
        .unwrap()
}

/// One mistake planted in a fixture site: the file under `content/`, where it must be reported
/// (line, column), what the Chinese message says, and the text it quotes.
pub struct Slip {
    pub file: &'static str,
    pub line: usize,
    pub column: usize,
    pub says: &'static str,
    pub quotes: &'static str,
}

pub const fn slip(file: &'static str, line: usize, column: usize, says: &'static str, quotes: &'static str) -> Slip {
    Slip { file, line, column, says, quotes }
}

/// Each content page's URL and its folded title and body (front matter values other than the
/// title are metadata, not text).
pub fn folded_pages(root: &Path) -> Vec<(String, String)> {
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(root.join("content")).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(root.join("content")).unwrap().to_string_lossy().replace('\\', "/");
        if !rel.ends_with(".md") || rel.ends_with("_index.md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let (front, body) = text.trim_start_matches("---\n").split_once("\n---\n").unwrap();
        let title = front.lines().find_map(|l| l.strip_prefix("title: ")).unwrap();
        let url = format!("/{}/", rel.trim_end_matches(".md"));
        pages.push((url, fold_text(&format!("{title}\n{body}"))));
    }
    pages
}
