//! URL slugs from file names and titles: pinyin for Chinese by default, stable across builds.

use crate::config::SlugStyle;
use pinyin::ToPinyin;
use std::collections::{HashMap, HashSet};

/// Names made unique with a number (`同名`, `同名-2`, `同名-3`…): heading ids, generated
/// slugs. It remembers the next number to try for each name, so n equal names cost n steps.
#[derive(Debug, Default)]
pub struct UniqueNames {
    taken: HashSet<String>,
    next: HashMap<String, usize>,
}

impl UniqueNames {
    /// `name` if it is free, else `name-N` with the smallest free N from 2; marked taken.
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let n = self.next.entry(name.clone()).or_insert(2);
        loop {
            let candidate = format!("{name}-{n}");
            *n += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// Makes a slug: ASCII letters and digits lowercased, Han characters as pinyin syllables
/// (or kept, with `SlugStyle::Unicode`), everything else a single `-`.
pub fn slugify(text: &str, style: SlugStyle) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    let push = |out: &mut String, piece: &str, pending_dash: &mut bool| {
        if *pending_dash && !out.is_empty() {
            out.push('-');
        }
        *pending_dash = false;
        out.push_str(piece);
    };
    let mut buf = [0u8; 4];
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            let lower = c.to_ascii_lowercase();
            push(&mut out, lower.encode_utf8(&mut buf), &mut pending_dash);
        } else if crate::fold::is_han(c) {
            match style {
                SlugStyle::Unicode => push(&mut out, c.encode_utf8(&mut buf), &mut pending_dash),
                SlugStyle::Pinyin => match c.to_pinyin() {
                    Some(p) => {
                        pending_dash = true;
                        push(&mut out, p.plain(), &mut pending_dash);
                        pending_dash = true;
                    }
                    None => pending_dash = true,
                },
            }
        } else {
            pending_dash = true;
        }
    }
    out
}

/// A heading id: readable, Chinese kept, punctuation dropped, spaces as `-`.
pub fn heading_id(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '_' {
            dash = true;
        }
    }
    if out.is_empty() { "section".into() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        let cases = [
            ("yingze-brand", SlugStyle::Pinyin, "yingze-brand"),
            ("Yingze Brand 2024", SlugStyle::Pinyin, "yingze-brand-2024"),
            ("枫桥经验", SlugStyle::Pinyin, "feng-qiao-jing-yan"),
            ("2025年全市会议", SlugStyle::Pinyin, "2025-nian-quan-shi-hui-yi"),
            ("楓橋經驗", SlugStyle::Pinyin, "feng-qiao-jing-yan"),
            ("枫桥经验", SlugStyle::Unicode, "枫桥经验"),
            ("新时代\"枫桥经验\"", SlugStyle::Unicode, "新时代-枫桥经验"),
            ("a__b", SlugStyle::Pinyin, "a-b"),
            ("--", SlugStyle::Pinyin, ""),
        ];
        for (input, style, expected) in cases {
            assert_eq!(slugify(input, style), expected, "{input}");
        }
    }

    #[test]
    fn unique_names_count_on_from_the_last_number() {
        let mut names = UniqueNames::default();
        let got: Vec<String> = ["a", "a-3", "a", "a", "a", "b", "a-2-2", "a-2", "a-2"]
            .iter()
            .map(|n| names.claim(n.to_string()))
            .collect();
        assert_eq!(got, ["a", "a-3", "a-2", "a-4", "a-5", "b", "a-2-2", "a-2-3", "a-2-4"]);
    }

    #[test]
    fn heading_ids() {
        for (input, expected) in [
            ("一、提高政治站位，深刻认识", "一提高政治站位深刻认识"),
            ("（一）加强组织领导", "一加强组织领导"),
            ("Hello World", "hello-world"),
            ("！！", "section"),
        ] {
            assert_eq!(heading_id(input), expected, "{input}");
        }
    }
}
