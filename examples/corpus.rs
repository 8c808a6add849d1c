//! Generates a benchmark corpus of N pages recombined from the repository's curated seed pages:
//! realistic front matter (types, dates over ten years, 1–3 topics, regions), outline headings,
//! internal links, about 20% in traditional characters, and one planted unique phrase per page
//! so known-item queries have one right answer.
//!
//!     cargo run --release --example corpus -- 10000 /tmp/corpus-10k
//!
//! Writes DIR/config.yaml, DIR/content/**, and DIR/queries.tsv (planted phrase → page URL).
//! The same N always gives the same corpus (fixed random seed).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo run --release --example corpus -- N [DIR]

Writes a knowledge base of N generated pages, plus the repository's curated pages, to DIR
(default /tmp/zhiku-corpus-N): DIR/config.yaml, DIR/content/ and DIR/queries.tsv (one planted
phrase per page and the URL of the page that holds it). N may also be written 1k, 10k, 100k.
The same N always gives the same corpus. DIR must be new, empty, or a corpus this generator
wrote before (its content is replaced; public/ and .zhiku/ are left for `zhiku build`).";

/// Marks a folder as written by this generator, so it may be replaced.
const MARKER: &str = ".zhiku-corpus";

/// An I/O error with the path it happened on.
fn io<T>(result: std::io::Result<T>, action: &str, path: &Path) -> Result<T, String> {
    result.map_err(|e| format!("cannot {action} {}: {e}", path.display()))
}

/// `N`, `Nk`: a page count above zero.
fn parse_count(s: &str) -> Option<usize> {
    let (digits, scale) = match s.strip_suffix(['k', 'K']) {
        Some(digits) => (digits, 1000),
        None => (s, 1),
    };
    digits.parse::<usize>().ok().and_then(|n| n.checked_mul(scale)).filter(|&n| n > 0)
}

/// Clears what an earlier run wrote to `out`, refusing folders this generator did not write.
fn prepare(out: &Path) -> Result<(), String> {
    if let Ok(mut entries) = std::fs::read_dir(out) {
        if entries.next().is_some() && !out.join(MARKER).is_file() {
            return Err(format!(
                "{} already holds files this generator did not write; choose a new or empty folder",
                out.display()
            ));
        }
        for name in ["content", "config.yaml", "queries.tsv"] {
            let path = out.join(name);
            if path.is_dir() {
                io(std::fs::remove_dir_all(&path), "remove", &path)?;
            } else if path.exists() {
                io(std::fs::remove_file(&path), "remove", &path)?;
            }
        }
    }
    io(std::fs::create_dir_all(out.join("content")), "create", out)?;
    io(std::fs::write(out.join(MARKER), "written by zhiku's corpus example\n"), "write", &out.join(MARKER))
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const SECTIONS: [(&str, &str); 5] = [
    ("speeches", "speech"),
    ("commentaries", "commentary"),
    ("reflections", "reflection"),
    ("cases", "case"),
    ("policies", "policy"),
];
const REGIONS: [&str; 8] = [
    "山西省太原市迎泽区",
    "山西省太原市小店区",
    "山西省大同市",
    "浙江省绍兴市诸暨市",
    "北京市朝阳区",
    "广东省深圳市南山区",
    "四川省成都市",
    "江苏省南京市",
];
const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
const PLANT_CHARS: &str = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土日月星辰山川河海松竹梅兰菊桃李杏柳桂";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let n = match args.first().map(|a| (a, parse_count(a))) {
        Some((_, Some(n))) if args.len() <= 2 => n,
        Some((a, None)) => {
            eprintln!("error: `{a}` is not a page count (a whole number above zero, or 1k, 10k, 100k)\n\n{USAGE}");
            return ExitCode::from(2);
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let out = PathBuf::from(args.get(1).cloned().unwrap_or_else(|| format!("/tmp/zhiku-corpus-{n}")));
    match generate(n, &out) {
        Ok(()) => {
            eprintln!("wrote {n} pages to {}", out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn generate(n: usize, out: &Path) -> Result<(), String> {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let paragraphs = seed_paragraphs(&repo.join("content"))?;
    let topics = topic_titles(&repo.join("content/topics"))?;
    let s2t = simplified_to_traditional();
    // Sentences recombined into paragraphs give pages that share vocabulary but not text.
    let sentences: Vec<String> = paragraphs
        .iter()
        .flat_map(|p| p.split_inclusive(['。', '！', '？']).map(str::to_string).collect::<Vec<_>>())
        .filter(|s| s.chars().count() > 8)
        .collect();
    if sentences.len() <= 100 {
        return Err(format!("only {} seed sentences in {}/content", sentences.len(), repo.display()));
    }
    let mut rng0 = Rng(7);
    let paragraphs: Vec<String> =
        (0..2000).map(|_| (0..3 + rng0.below(4)).map(|_| rng0.pick(&sentences).as_str()).collect::<String>()).collect();

    prepare(out)?;
    io(std::fs::copy(repo.join("config.yaml"), out.join("config.yaml")), "copy", &repo.join("config.yaml"))?;
    // The curated knowledge base itself (topic pages link to its seed pages), then N generated pages.
    for dir in ["", "speeches", "commentaries", "reflections", "cases", "topics"] {
        copy_dir(&repo.join("content").join(dir), &out.join("content").join(dir))?;
    }

    for (section, _) in SECTIONS {
        let dir = out.join("content").join(section);
        io(std::fs::create_dir_all(&dir), "create", &dir)?;
    }
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ n as u64);
    let mut queries = String::from("query\turl\n");
    let mut made: Vec<String> = Vec::new();
    let plant: Vec<char> = PLANT_CHARS.chars().collect();
    for i in 0..n {
        let (section, kind) = SECTIONS[rng.below(SECTIONS.len())];
        let slug = format!("p{i:06}");
        let traditional = rng.below(5) == 0;
        let year = 2016 + rng.below(10);
        let date = format!("{year}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28));
        let mut page_topics: Vec<&str> = (0..1 + rng.below(3)).map(|_| rng.pick(&topics).as_str()).collect();
        page_topics.sort();
        page_topics.dedup();
        let planted: String = (0..6).map(|_| *rng.pick(&plant)).collect();
        writeln!(queries, "{planted}\t/{section}/{slug}/").unwrap();

        let mut body = String::new();
        let sections = 2 + rng.below(3);
        for numeral in NUMERALS.iter().take(sections) {
            let para = rng.pick(&paragraphs);
            let heading: String = para.chars().take(8 + rng.below(10)).collect();
            writeln!(body, "## {numeral}、{}\n", heading.trim_end_matches(['，', '。', '、'])).unwrap();
            for sub in NUMERALS.iter().take(2) {
                if rng.below(2) == 0 {
                    writeln!(body, "### （{sub}）{}\n", rng.pick(&topics)).unwrap();
                }
                for _ in 0..2 {
                    body.push_str(rng.pick(&paragraphs).as_str());
                    body.push_str("\n\n");
                }
            }
        }
        body.push_str(&format!("本文试点编号为{planted}。"));
        if let Some(prev) = made.get(rng.below(made.len().max(1))).filter(|_| !made.is_empty()) {
            body.push_str(&format!("参见[相关文稿](@/{prev})。"));
        }
        body.push('\n');
        let body = if traditional { to_traditional(&body, &s2t, &planted) } else { body };
        let title: String = rng
            .pick(&paragraphs)
            .chars()
            .take(10 + rng.below(12))
            .collect::<String>()
            .trim_end_matches(['，', '。', '、', '；'])
            .to_string();
        let title = if traditional { to_traditional(&title, &s2t, "") } else { title };
        let region = if rng.below(3) > 0 { format!("region: {}\n", rng.pick(&REGIONS)) } else { String::new() };
        let page = format!(
            "---\ntitle: '{}'\ndate: {date}\ntype: {kind}\n{region}topics: [{}]\nsource: 生成语料\n---\n\n{body}",
            title.replace('\\', "").replace('\'', "''"),
            page_topics.join(", ")
        );
        let path = out.join("content").join(section).join(format!("{slug}.md"));
        io(std::fs::write(&path, page), "write", &path)?;
        made.push(format!("{section}/{slug}.md"));
    }
    io(std::fs::write(out.join("queries.tsv"), queries), "write", &out.join("queries.tsv"))
}

/// Paragraphs of the curated seed pages (front matter, headings and notes left out).
fn seed_paragraphs(content: &Path) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for dir in ["speeches", "commentaries", "reflections", "cases"] {
        for f in files_in(&content.join(dir))? {
            if f.file_name().is_some_and(|n| n == "_index.md") {
                continue;
            }
            let text = io(std::fs::read_to_string(&f), "read", &f)?;
            let body = text.splitn(3, "---\n").nth(2).unwrap_or("");
            for p in body.split("\n\n") {
                let p = p.trim();
                if p.chars().count() > 40 && !p.starts_with('#') && !p.starts_with('*') {
                    out.push(p.to_string());
                }
            }
        }
    }
    Ok(out)
}

/// The files of `dir` (not its folders), sorted by path.
fn files_in(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for entry in io(std::fs::read_dir(dir), "read", dir)? {
        let entry = io(entry, "read", dir)?;
        if io(entry.file_type(), "read", &entry.path())?.is_file() {
            files.push(entry.path());
        }
    }
    files.sort();
    Ok(files)
}

fn topic_titles(dir: &Path) -> Result<Vec<String>, String> {
    let files = files_in(dir)?;
    Ok(files
        .iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(f).ok()?;
            let line = text.lines().find(|l| l.starts_with("title: "))?;
            Some(line["title: ".len()..].to_string())
        })
        .collect())
}

fn simplified_to_traditional() -> HashMap<char, char> {
    let table = include_str!("../data/t2s.txt");
    let mut map = HashMap::new();
    for line in table.lines().filter(|l| !l.starts_with('#')) {
        let mut c = line.chars();
        if let (Some(t), Some(_), Some(s)) = (c.next(), c.next(), c.next()) {
            map.entry(s).or_insert(t);
        }
    }
    map
}

fn to_traditional(text: &str, s2t: &HashMap<char, char>, keep: &str) -> String {
    let converted: String = text.chars().map(|c| *s2t.get(&c).unwrap_or(&c)).collect();
    if keep.is_empty() { converted } else { converted.replace(&to_traditional(keep, s2t, ""), keep) }
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    io(std::fs::create_dir_all(to), "create", to)?;
    for file in files_in(from)? {
        let target = to.join(file.file_name().unwrap_or_default());
        io(std::fs::copy(&file, &target), "copy", &file)?;
    }
    Ok(())
}
