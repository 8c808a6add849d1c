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

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let out = PathBuf::from(args.get(2).cloned().unwrap_or_else(|| format!("/tmp/zhiku-corpus-{n}")));
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));

    let paragraphs = seed_paragraphs(&repo.join("content"));
    let topics = topic_titles(&repo.join("content/topics"));
    let s2t = simplified_to_traditional();
    // Sentences recombined into paragraphs give pages that share vocabulary but not text.
    let sentences: Vec<String> = paragraphs
        .iter()
        .flat_map(|p| p.split_inclusive(['。', '！', '？']).map(str::to_string).collect::<Vec<_>>())
        .filter(|s| s.chars().count() > 8)
        .collect();
    assert!(sentences.len() > 100, "seed sentences found: {}", sentences.len());
    let mut rng0 = Rng(7);
    let paragraphs: Vec<String> =
        (0..2000).map(|_| (0..3 + rng0.below(4)).map(|_| rng0.pick(&sentences).as_str()).collect::<String>()).collect();

    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(out.join("content")).unwrap();
    std::fs::copy(repo.join("config.yaml"), out.join("config.yaml")).unwrap();
    // The curated knowledge base itself (topic pages link to its seed pages), then N generated pages.
    for dir in ["", "speeches", "commentaries", "reflections", "cases", "topics"] {
        copy_dir(&repo.join("content").join(dir), &out.join("content").join(dir));
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
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, page).unwrap();
        made.push(format!("{section}/{slug}.md"));
    }
    std::fs::write(out.join("queries.tsv"), queries).unwrap();
    eprintln!("wrote {n} pages to {}", out.display());
}

/// Paragraphs of the curated seed pages (front matter, headings and notes left out).
fn seed_paragraphs(content: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for dir in ["speeches", "commentaries", "reflections", "cases"] {
        let mut files: Vec<_> = std::fs::read_dir(content.join(dir)).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for f in files {
            if f.file_name().unwrap() == "_index.md" {
                continue;
            }
            let text = std::fs::read_to_string(&f).unwrap();
            let body = text.splitn(3, "---\n").nth(2).unwrap_or("");
            for p in body.split("\n\n") {
                let p = p.trim();
                if p.chars().count() > 40 && !p.starts_with('#') && !p.starts_with('*') {
                    out.push(p.to_string());
                }
            }
        }
    }
    out
}

fn topic_titles(dir: &Path) -> Vec<String> {
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
        .iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(f).ok()?;
            let line = text.lines().find(|l| l.starts_with("title: "))?;
            Some(line["title: ".len()..].to_string())
        })
        .collect()
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

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}
