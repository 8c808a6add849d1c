//! Character folding shared by glossary matching and search: traditional → simplified
//! (one character to one character), full-width → half-width, lowercase.
//!
//! Folding one character at a time keeps character positions aligned with the original text,
//! so a match in folded text maps straight back to the characters the reader sees.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The OpenCC-derived table, `traditional<TAB>simplified` per line.
pub const T2S_TABLE: &str = include_str!("../data/t2s.txt");

/// Code points below this are looked up in a flat array (every Han character of the BMP);
/// the few above it in a map.
const FLAT_END: u32 = 0xA000;

struct Table {
    flat: Vec<u32>,
    rest: HashMap<char, char>,
}

fn t2s() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Table { flat: vec![0; FLAT_END as usize], rest: HashMap::new() };
        for line in T2S_TABLE.lines().filter(|l| !l.starts_with('#')) {
            let mut chars = line.chars();
            if let (Some(t), Some(_), Some(s)) = (chars.next(), chars.next(), chars.next()) {
                if (t as u32) < FLAT_END {
                    table.flat[t as usize] = s as u32;
                } else {
                    table.rest.insert(t, s);
                }
            }
        }
        table
    })
}

/// Traditional → simplified for one character; others unchanged.
pub fn simplify(c: char) -> char {
    let table = t2s();
    match table.flat.get(c as usize) {
        Some(&0) => c,
        Some(&s) => char::from_u32(s).unwrap_or(c),
        None => table.rest.get(&c).copied().unwrap_or(c),
    }
}

/// Han characters whose NFKC form is themselves (all but the compatibility ideographs).
pub fn is_plain_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0x20000..=0x2A6DF | 0x2A700..=0x2EBEF | 0x30000..=0x323AF)
}

/// Folds one character: full-width forms to ASCII, ideographic space to space,
/// lowercase where that gives one character, traditional to simplified.
pub fn fold_char(c: char) -> char {
    fold_with(fold_table(), c)
}

/// [`fold_char`] for every character of the BMP.
fn fold_table() -> &'static [char] {
    static TABLE: OnceLock<Vec<char>> = OnceLock::new();
    TABLE.get_or_init(|| (0..0x10000).map(|cp| char::from_u32(cp).map_or('\0', fold_char_slow)).collect())
}

fn fold_with(table: &[char], c: char) -> char {
    table.get(c as usize).copied().unwrap_or_else(|| fold_char_slow(c))
}

/// [`fold_char`] computed rather than looked up.
fn fold_char_slow(c: char) -> char {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    };
    let c = if c.is_uppercase() {
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) => l,
            _ => c,
        }
    } else {
        c
    };
    simplify(c)
}

/// Folds a string one character at a time (same character count as the input). Runs of
/// characters that fold to themselves, most of any text, are copied as they are.
pub fn fold(text: &str) -> String {
    let table = fold_table();
    let mut out = String::with_capacity(text.len());
    let mut run = 0;
    for (i, c) in text.char_indices() {
        let f = fold_with(table, c);
        if f != c {
            out.push_str(&text[run..i]);
            out.push(f);
            run = i + c.len_utf8();
        }
    }
    out.push_str(&text[run..]);
    out
}

/// Whether `c` is a Han (CJK ideograph) character.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF | 0x2A700..=0x2EBEF
        | 0x30000..=0x323AF | 0x3007)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_traditional_fullwidth_and_case() {
        for (input, expected) in [
            ("楓橋經驗", "枫桥经验"),
            ("人民日報", "人民日报"),
            ("基層治理", "基层治理"),
            ("ＡＢＣ１２３", "abc123"),
            ("新時代“楓橋經驗”", "新时代“枫桥经验”"),
            ("社会工作", "社会工作"),
        ] {
            assert_eq!(fold(input), expected, "{input}");
        }
    }

    #[test]
    fn table_matches_the_computed_fold() {
        for c in (0..0x10000).filter_map(char::from_u32) {
            assert_eq!(fold_char(c), fold_char_slow(c), "U+{:04X}", c as u32);
        }
        assert_eq!(fold_char('𠀋'), '𠀋');
    }

    #[test]
    fn folding_a_string_folds_each_character() {
        let text = "关于《楓橋經驗》的ＡＢＣ说明，Tab\t𠀋與Ω。";
        assert_eq!(fold(text), text.chars().map(fold_char).collect::<String>());
        assert_eq!(fold(""), "");
    }

    #[test]
    fn keeps_length() {
        let s = "關於黨的ＡＢ建設";
        assert_eq!(fold(s).chars().count(), s.chars().count());
    }
}
