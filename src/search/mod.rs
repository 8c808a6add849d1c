//! Full-text search: one analyzer, a tantivy index built at compile time, a static sharded export
//! read by `search.js`, and the `zhiku search` command, which ranks exactly as the browser does.
//!
//! This stage reads pages (as [`SearchDoc`]s) and writes files; it knows nothing of templates.

pub mod analyzer;
pub mod export;
pub mod index;
pub mod nearby;
pub mod query;
pub mod related;
pub mod store;
pub mod unigram;

use serde::{Deserialize, Serialize};

/// What the search index knows of a page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SearchDoc {
    /// Site-relative URL with a leading slash: `/speeches/x/`.
    pub url: String,
    pub title: String,
    /// Plain body text followed by a line of metadata (speaker, organization, source, region),
    /// so that `人民日報` finds a page whose source it is.
    pub text: String,
    /// `speech`, `case`, … (`topic` for topic pages).
    pub kind: String,
    pub kind_label: String,
    /// `2024-10-12` or empty.
    pub date: String,
    pub topics: Vec<String>,
    pub region: String,
    /// One or two sentences shown when a match is only in the title.
    pub summary: String,
}

impl SearchDoc {
    pub fn year(&self) -> &str {
        self.date.get(..4).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn title_pinyin_has_full_pinyin_and_initials() {
        let words = super::title_pinyin("坚持发展新时代“枫桥经验”");
        let words: Vec<&str> = words.split(' ').collect();
        for w in ["fengqiao", "fqjy", "fengqiaojingyan", "jianchi", "xinshidai", "jcfzxsd"] {
            assert!(words.contains(&w), "{w} in {words:?}");
        }
        assert!(super::title_pinyin("社会工作").split(' ').any(|w| w == "shehuigongzuo"));
        // A two-character word's other readings: 行 in 银行, 调 in 调解, 長 in 長者.
        for (title, w) in [("银行网点", "yinhang"), ("银行网点", "yh"), ("调解纠纷", "tiaojie"), ("長者", "zhangzhe")]
        {
            assert!(super::title_pinyin(title).split(' ').any(|x| x == w), "{w} in {title}");
        }
        assert!(super::title_pinyin("银行网点").split(' ').any(|x| x == "yinxing"));
        // ü as typed: v (and as written).
        for (title, w) in [("律师咨询", "lvshi"), ("律师咨询", "lüshi"), ("妇女儿童", "funv"), ("覆盖率", "fugailv")]
        {
            assert!(super::title_pinyin(title).split(' ').any(|x| x == w), "{w} in {title}");
        }
        assert_eq!(super::title_pinyin("党"), "");
        assert_eq!(super::title_pinyin("G20 summit"), "");
    }
}

/// Pinyin of a title, indexed as more words of the title field so that `fengqiao`, `fqjy` and
/// `shehuigongzuo` find 枫桥经验 and 社会工作 (in `zhiku search` and the browser alike: the
/// client needs no table, the words are terms of the index). For each run of Han characters:
/// the full pinyin (without tones, the most common reading) and the initials of every stretch
/// of 2 to 4 characters, and of the whole run when it has 5 to 12. A stretch of 2 characters
/// also gets its other readings (the first two of each character: 银行 yinhang as well as
/// yinxing, 调解 tiaojie, 长者 zhangzhe and changzhe), since a word's reading depends on the
/// word. A reading with ü is also spelt with v, as pinyin keyboards type it (律师 lüshi, lvshi).
/// Space-separated, each word once, in order of first appearance.
pub fn title_pinyin(title: &str) -> String {
    use pinyin::{ToPinyin, ToPinyinMulti};
    const LONGEST_RUN: usize = 12;
    let mut words: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut add = |syllables: &[&str], words: &mut Vec<String>| {
        let full: String = syllables.concat();
        let initials: String = syllables.iter().filter_map(|s| s.chars().next()).collect();
        // ü as a keyboard types it: 绿色 lüse and lvse.
        let typed = if full.contains('ü') { full.replace('ü', "v") } else { String::new() };
        for w in [full, initials, typed].into_iter().filter(|w| !w.is_empty()) {
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
    };
    // Each character's readings, the most common first, at most two.
    let mut run: Vec<[Option<&'static str>; 2]> = Vec::new();
    let chars = title.chars().map(Some).chain(std::iter::once(None));
    for c in chars {
        let han = c.filter(|&c| crate::fold::is_han(c));
        if let Some(first) = han.and_then(|c| c.to_pinyin()).map(|p| p.plain()) {
            let second = han
                .and_then(|c| c.to_pinyin_multi())
                .and_then(|m| m.into_iter().map(|p| p.plain()).find(|&p| p != first));
            run.push([Some(first), second]);
            continue;
        }
        let primary: Vec<&str> = run.iter().filter_map(|r| r[0]).collect();
        for len in 2..=4.min(primary.len()) {
            for (i, window) in primary.windows(len).enumerate() {
                add(window, &mut words);
                if len == 2 {
                    for a in run[i].iter().flatten() {
                        for b in run[i + 1].iter().flatten() {
                            add(&[a, b], &mut words);
                        }
                    }
                }
            }
        }
        if (5..=LONGEST_RUN).contains(&primary.len()) {
            add(&primary, &mut words);
        }
        run.clear();
    }
    words.join(" ")
}

/// Index fields, in the order the export numbers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FieldKind {
    Title = 0,
    Body = 1,
    Title1 = 2,
    Body1 = 3,
}

impl FieldKind {
    pub const ALL: [FieldKind; 4] = [FieldKind::Title, FieldKind::Body, FieldKind::Title1, FieldKind::Body1];

    pub fn name(self) -> &'static str {
        match self {
            FieldKind::Title => "title",
            FieldKind::Body => "body",
            FieldKind::Title1 => "title1",
            FieldKind::Body1 => "body1",
        }
    }

    pub fn has_positions(self) -> bool {
        matches!(self, FieldKind::Title | FieldKind::Body)
    }

    /// Title matches count this many times a body match (applied as tantivy's BoostQuery does).
    pub fn boost(self) -> f32 {
        match self {
            FieldKind::Title | FieldKind::Title1 => 3.0,
            FieldKind::Body | FieldKind::Body1 => 1.0,
        }
    }
}

/// Facets a search can be filtered by.
pub const FACETS: [&str; 4] = ["type", "topic", "year", "region"];

/// Token positions per text chunk: snippets fetch one chunk, found from a match's position.
pub const CHUNK_POSITIONS: u32 = 2000;
