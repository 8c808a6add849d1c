//! Character folding shared by glossary matching and search: every mainland, Taiwan and Hong Kong
//! form of a character to one representative (one character to one character), full-width →
//! half-width, lowercase.
//!
//! The table `data/t2s.txt` is derived from OpenCC's tables in `data/opencc/` (see
//! [`derive_table`]): every pair those tables name (simplified ↔ traditional in both directions,
//! with all candidates of one-to-many entries; Taiwan and Hong Kong variants and their reverses;
//! the characters a traditional → simplified phrase rule changes) joins two characters into one
//! equivalence class, and each class folds to one representative: the form most traditional
//! characters of the class simplify to. A query in any form then finds text in every other
//! form, in both directions (乾/干/幹, 裡/裏/里, 衛/衞/卫), at the price of also finding the
//! other meanings of a merged character (a bigram rarely exists in both).
//!
//! Folding one character at a time keeps character positions aligned with the original text,
//! so a match in folded text maps straight back to the characters the reader sees.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

/// The OpenCC-derived table, `form<TAB>representative` per line (see [`derive_table`]).
pub const T2S_TABLE: &str = include_str!("../data/t2s.txt");

/// Code points below this are looked up in a flat array (every Han character of the BMP);
/// the few above it in a map.
const FLAT_END: u32 = 0xA000;

struct Table {
    flat: Vec<u32>,
    rest: HashMap<char, char>,
}

impl Table {
    /// Reads `form<TAB>target[ other candidates…]` lines (comments start with `#`): each form
    /// to its first target.
    fn parse(text: &str) -> Table {
        let mut table = Table { flat: vec![0; FLAT_END as usize], rest: HashMap::new() };
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let mut chars = line.chars();
            if let (Some(t), Some('\t'), Some(s)) = (chars.next(), chars.next(), chars.next()) {
                if (t as u32) < FLAT_END {
                    table.flat[t as usize] = s as u32;
                } else {
                    table.rest.insert(t, s);
                }
            }
        }
        table
    }

    fn get(&self, c: char) -> char {
        match self.flat.get(c as usize) {
            Some(&0) => c,
            Some(&s) => char::from_u32(s).unwrap_or(c),
            None => self.rest.get(&c).copied().unwrap_or(c),
        }
    }
}

fn t2s() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| Table::parse(T2S_TABLE))
}

/// Traditional → simplified for one character; others unchanged.
pub fn simplify(c: char) -> char {
    t2s().get(c)
}

/// Traditional → simplified for one character, as a reader would write it (OpenCC's
/// `TSCharacters`, first candidate); a character that is already simplified, or the same in
/// both scripts, stays. Unlike [`simplify`], which folds a whole class of forms to one
/// representative for matching (so a simplified 划 may fold to 画), this never changes a
/// simplified text: for reading metadata and telling the script of a text.
pub fn to_simplified(c: char) -> char {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| Table::parse(include_str!("../data/opencc/TSCharacters.txt"))).get(c)
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

/// OpenCC's tables the fold is derived from, by file name (`data/opencc/`, Apache-2.0).
pub const OPENCC_TABLES: [(&str, &str); 8] = [
    ("STCharacters.txt", include_str!("../data/opencc/STCharacters.txt")),
    ("TSCharacters.txt", include_str!("../data/opencc/TSCharacters.txt")),
    ("TSCharactersExt.txt", include_str!("../data/opencc/TSCharactersExt.txt")),
    ("TWVariants.txt", include_str!("../data/opencc/TWVariants.txt")),
    ("TWVariantsRev.txt", include_str!("../data/opencc/TWVariantsRev.txt")),
    ("HKVariants.txt", include_str!("../data/opencc/HKVariants.txt")),
    ("HKVariantsRev.txt", include_str!("../data/opencc/HKVariantsRev.txt")),
    ("TSPhrases.txt", include_str!("../data/opencc/TSPhrases.txt")),
];

/// Derives `data/t2s.txt` from [`OPENCC_TABLES`]: union-find over every character pair the
/// tables name (for phrase rules, the characters at the same place of two phrases of one
/// length), then per class the representative, the form a reader of simplified text knows: a
/// member in the Basic Multilingual Plane if there is one (fonts have it), then the one with the
/// most votes, then a member that is a key of `STCharacters`, then the lowest
/// code point. Each distinct pair (traditional form, simplified form) votes once for its
/// simplified form: 2 when it is the first candidate of a `TSCharacters` entry other than the key
/// itself, 1 for a later candidate or a phrase rule (so 資 and 貲 make 资 the form of 资/赀, and
/// place names in phrase rules do not outvote the characters). `TSCharactersExt` joins forms but
/// does not vote: it names rare forms fonts may lack. Linear in the tables' size (with path
/// halving); the output is sorted.
pub fn derive_table() -> String {
    fn find(parent: &mut BTreeMap<char, char>, mut x: char) -> char {
        loop {
            let p = *parent.entry(x).or_insert(x);
            if p == x {
                return x;
            }
            let gp = *parent.entry(p).or_insert(p);
            parent.insert(x, gp);
            x = gp;
        }
    }
    let mut parent: BTreeMap<char, char> = BTreeMap::new();
    // (traditional, simplified) → the weight of its vote.
    let mut pair_votes: BTreeMap<(char, char), usize> = BTreeMap::new();
    let mut simplified: BTreeSet<char> = BTreeSet::new();
    for (name, text) in OPENCC_TABLES {
        for line in text.lines() {
            let Some((key, values)) = line.split_once('\t') else { continue };
            // The first candidate other than the key: what the key is simplified to.
            let first_other = values.split(' ').find(|v| *v != key);
            for (i, value) in values.split(' ').enumerate() {
                let (k, v): (Vec<char>, Vec<char>) = (key.chars().collect(), value.chars().collect());
                if k.len() != v.len() || (name != "TSPhrases.txt" && k.len() != 1) {
                    continue;
                }
                for (&a, &b) in k.iter().zip(&v) {
                    let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                    if ra != rb {
                        parent.insert(ra, rb);
                    }
                    // A traditional form simplified to another character votes for it.
                    let weight = match name {
                        "TSCharacters.txt" if Some(value) == first_other => 2,
                        "TSCharacters.txt" | "TSPhrases.txt" => 1,
                        _ => 0,
                    };
                    if a != b && weight > 0 {
                        let w = pair_votes.entry((a, b)).or_default();
                        *w = (*w).max(weight);
                    }
                }
                if name == "STCharacters.txt" && i == 0 {
                    simplified.insert(k[0]);
                }
            }
        }
    }
    let mut votes: BTreeMap<char, usize> = BTreeMap::new();
    for (&(_, b), &w) in &pair_votes {
        *votes.entry(b).or_default() += w;
    }
    let chars: Vec<char> = parent.keys().copied().collect();
    let mut classes: BTreeMap<char, Vec<char>> = BTreeMap::new();
    for c in chars {
        let root = find(&mut parent, c);
        classes.entry(root).or_default().push(c);
    }
    let mut pairs: Vec<(char, char)> = Vec::new();
    for members in classes.values() {
        let rank = |c: &char| {
            (*c as u32 > 0xFFFF, std::cmp::Reverse(votes.get(c).copied().unwrap_or(0)), !simplified.contains(c), *c)
        };
        let Some(&rep) = members.iter().min_by_key(|c| rank(c)) else { continue };
        pairs.extend(members.iter().filter(|&&c| c != rep).map(|&c| (c, rep)));
    }
    pairs.sort_unstable();
    let mut out = String::from(
        "# Every form of a character -> its class's representative, one character to one character.\n\
         # Derived from OpenCC's tables in data/opencc/ (Apache License 2.0) by fold::derive_table;\n\
         # regenerate with ZHIKU_BLESS=1 cargo test --release --lib fold.\n",
    );
    for (c, rep) in pairs {
        out.push(c);
        out.push('\t');
        out.push(rep);
        out.push('\n');
    }
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
    fn to_simplified_never_changes_a_simplified_text() {
        // The fold may pick another member of a class as its representative (计划 and 计画
        // fold together); reading metadata must see the text as written.
        let simplified = "本文链接：沉下身子，制定工作计划，发展社会工作";
        assert_eq!(simplified.chars().map(to_simplified).collect::<String>(), simplified);
        assert_eq!(
            "本文鏈接：沉下身子，制定工作計劃".chars().map(to_simplified).collect::<String>(),
            "本文链接：沉下身子，制定工作计划"
        );
    }

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

    /// `data/t2s.txt` is what [`derive_table`] makes of the vendored OpenCC tables.
    #[test]
    fn table_is_derived_from_opencc() {
        let derived = derive_table();
        if std::env::var_os("ZHIKU_BLESS").is_some() {
            std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/data/t2s.txt"), &derived).unwrap();
        }
        assert_eq!(T2S_TABLE, derived, "data/t2s.txt is stale: ZHIKU_BLESS=1 cargo test --release --lib fold");
    }

    /// Every form of a class folds to one character, whichever direction the tables map.
    #[test]
    fn variant_and_one_to_many_forms_fold_together() {
        for class in
            ["乾干幹", "裡裏里", "衛衞卫", "後后", "台臺檯颱", "著着", "沈沉", "髮發发", "週周", "麵面", "鍾鐘钟"]
        {
            let folded: BTreeSet<char> = class.chars().map(fold_char).collect();
            assert_eq!(folded.len(), 1, "{class} → {folded:?}");
        }
        assert_eq!(fold("乾淨"), fold("干净"));
        assert_eq!(fold("衞生"), fold("卫生"));
        assert_eq!(fold("這裡"), fold("这里"));
        assert_ne!(fold("社会"), fold("社工"));
    }

    #[test]
    fn keeps_length() {
        let s = "關於黨的ＡＢ建設";
        assert_eq!(fold(s).chars().count(), s.chars().count());
    }
}
