//! The one analyzer of zhiku's search, mirrored token for token by `search.js`.
//!
//! Folding, one source character at a time: NFKC, lowercase, traditional → simplified;
//! combining marks are dropped. Tokenizing the folded characters:
//! - a run of Han characters gives overlapping bigrams (`社会工作` → 社会 会工 工作);
//!   a lone Han character stays a unigram;
//! - a run of letters and digits gives one word (`2024`, `g20`); words over
//!   [`MAX_WORD_CHARS`] characters are skipped;
//! - punctuation and symbols leave one position gap, so phrases never cross them;
//!   whitespace leaves none; one joiner (`.` `×` `+` `-` `/` `%` `:` `,`, see [`JOINERS`];
//!   range dashes and tildes fold to `-`, `∶` to `:`, `*` to `×`) between letters or digits
//!   leaves none either (`3.5`, `7×24`, `1+10+n`, `5—10`, `3,210` are phrases of adjacent words);
//! - a word right before such a joiner (or before one that ends the text) is also a token with
//!   the joiner after it, at the same position (`3.5` → 3 3. 5), so the phrase `1:5` (→ 1 1: 5)
//!   finds `1∶5` but not `1.5`, while `3` alone still finds the 3 of `3.5`; the joined token
//!   sits with the word before the joiner, so a text chunk cut at any token still tokenizes
//!   to the same tokens (`query::chunks`);
//! - a `%` right after a word is a token of its own, so `100%` is a phrase that `100` alone
//!   (`100多人`) does not match; one joiner right after that `%` joins the next word
//!   (`5%—8%` → 5 % %- 8 %, so `5%` and `8%` find it);
//! - a Han run of 2+ characters right next to a word also gives its outer character alone
//!   (`3.5万人` → 3 5 万 万人), so `3.5万` is a phrase that finds it.
//!
//! No dictionary segmenter: the browser must reproduce every token exactly.

use crate::fold::{fold_char, is_han};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Longer letter/digit runs (hashes, garbage) are not indexed.
pub const MAX_WORD_CHARS: usize = 40;

/// A token with its position and the byte range of the source text it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub position: u32,
    pub from: usize,
    pub to: usize,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    Han,
    Word,
    Space,
    Gap,
    /// `.`, `×`, `+`, `-`, `/`, `%`, `:`: one of them between two letters or digits joins them
    /// into one phrase (`3.5`, `7×24`, `1+10+n`, `2024-10-12`); anywhere else a gap.
    Join,
}

/// The characters that join letters and digits, after folding (full-width forms are ASCII,
/// and see [`joiner_kind`]): `3.5`, `7×24`, `1+10+n`, `2024-10-12`, `1/3`, `8:30`, `5—10`, `1∶5`,
/// and the thousands separator, `3,210` (`３，２１０`), so `3,210` is not 3 … 210 anywhere.
pub const JOINERS: [char; 8] = ['.', '×', '+', '-', '/', '%', ':', ','];

/// Folds the ways Chinese text writes one joiner to one character: range dashes and tildes
/// (`5—10`, `5–10`, `5~10`, `5～10`, `5〜10`) to `-`, the ratio sign (`1∶5`) to `:`, and the
/// keyboard's `*` to `×` (`7*24` is `7×24`).
pub fn joiner_kind(c: char) -> char {
    match c {
        '\u{2014}' | '\u{2013}' | '\u{2015}' | '~' | '\u{301C}' => '-',
        '\u{2236}' => ':',
        '*' => '×',
        c => c,
    }
}

/// A percent sign right after a word is a token too (`100%` is not `100`).
pub const PERCENT: char = '%';

fn class(c: char) -> Class {
    if is_han(c) {
        Class::Han
    } else if c.is_alphanumeric() {
        Class::Word
    } else if c.is_whitespace() {
        Class::Space
    } else if JOINERS.contains(&c) {
        Class::Join
    } else {
        Class::Gap
    }
}

/// One folded character: its class and the byte range of the source character it came from
/// (several folded characters share a range when NFKC expands one).
#[derive(Clone, Copy, Debug)]
pub struct Folded {
    c: char,
    class: Class,
    from: u32,
    to: u32,
}

/// Folds one source character the general way, calling `out` for each folded character.
fn fold_slow(c: char, mut out: impl FnMut(char)) {
    fold_one(c, |n| out(joiner_kind(n)))
}

/// NFKC, lowercase and script form of one character (before [`joiner_kind`]).
fn fold_one(c: char, mut out: impl FnMut(char)) {
    if c.is_ascii() {
        return out(c.to_ascii_lowercase());
    }
    // Fast path: NFKC leaves these alone and they have no case.
    if crate::fold::is_plain_han(c) {
        return out(crate::fold::simplify(c));
    }
    if unicode_normalization::is_nfkc_quick(std::iter::once(c)) == unicode_normalization::IsNormalized::Yes
        && !is_combining_mark(c)
    {
        return out(fold_char(c));
    }
    for n in std::iter::once(c).nfkc() {
        if !is_combining_mark(n) {
            out(fold_char(n));
        }
    }
}

/// Per BMP code point, what [`fold_slow`] gives, precomputed: the folded character (low 21
/// bits) and its class (3 bits), or [`SLOW`] when it is not exactly one character. [`NFKC_SELF`]
/// marks characters NFKC leaves unchanged.
const SLOW: u32 = 1 << 25;
const NFKC_SELF: u32 = 1 << 26;

fn bmp_table() -> &'static [u32] {
    static TABLE: std::sync::OnceLock<Vec<u32>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0..0x10000u32)
            .map(|cp| {
                let Some(c) = char::from_u32(cp) else { return SLOW };
                let mut folded = (None, 0);
                fold_slow(c, |n| folded = (Some(n), folded.1 + 1));
                let same = std::iter::once(c).nfkc().eq(std::iter::once(c));
                let flags = if same { NFKC_SELF } else { 0 };
                match folded {
                    (Some(n), 1) => n as u32 | (class(n) as u32) << 21 | flags,
                    _ => SLOW | flags,
                }
            })
            .collect()
    })
}

fn class_bits(bits: u32) -> Class {
    match bits & 7 {
        0 => Class::Han,
        1 => Class::Word,
        2 => Class::Space,
        3 => Class::Gap,
        _ => Class::Join,
    }
}

/// The folded characters of `text`, with the byte range each came from.
fn fold_all(text: &str) -> Vec<Folded> {
    let mut out = Vec::with_capacity(text.len() / 2);
    for_each_folded(text, |f| out.push(f));
    out
}

/// Calls `out` with each folded character of `text`, in order.
fn for_each_folded(text: &str, mut out: impl FnMut(Folded)) {
    let table = bmp_table();
    for (from, c) in text.char_indices() {
        let (from, to) = (from as u32, (from + c.len_utf8()) as u32);
        let entry = table.get(c as usize).copied().unwrap_or(SLOW);
        if entry & SLOW == 0 {
            let folded = char::from_u32(entry & 0x1F_FFFF).unwrap_or(c);
            out(Folded { c: folded, class: class_bits(entry >> 21), from, to });
        } else {
            fold_slow(c, |n| out(Folded { c: n, class: class(n), from, to }));
        }
    }
}

/// Calls `out(position, from, to)` for each token of `text`, as [`TokenIter::next_into`]
/// yields them (chunk bounds need only spans).
pub fn for_each_span(text: &str, mut out: impl FnMut(u32, usize, usize)) {
    let mut it = TokenIter::new(text);
    while let Some((position, from, to)) = it.next_span() {
        out(position, from, to);
    }
}

/// Calls `out` with each character of NFKC(`c`).
pub fn for_each_nfkc(c: char, mut out: impl FnMut(char)) {
    if bmp_table().get(c as usize).is_some_and(|e| e & NFKC_SELF != 0) {
        out(c)
    } else {
        std::iter::once(c).nfkc().for_each(out)
    }
}

/// The folded form of a text, as the index sees it.
pub fn fold_text(text: &str) -> String {
    fold_all(text).into_iter().map(|f| f.c).collect()
}

/// Walks the folded characters of a text and yields its tokens one at a time into a reused
/// buffer, so indexing allocates nothing per token. [`tokenize`] collects the same tokens.
///
/// A Han run of two or more characters right next to a word (no space or punctuation between:
/// `3.5万人`, `热线12345`) also gives its first (or last) character alone, at the position of
/// the first (or last) bigram, so a query joining a word and one Han character (`3.5万`,
/// `第3`) is a phrase that finds it.
pub struct TokenIter {
    chars: Vec<Folded>,
    i: usize,
    pos: u32,
    gap_pending: bool,
    emitted: bool,
    /// Tokens of the current run still to yield: (first char, end char, position).
    queue: std::collections::VecDeque<(usize, usize, u32)>,
}

impl TokenIter {
    pub fn new(text: &str) -> TokenIter {
        TokenIter {
            chars: fold_all(text),
            i: 0,
            pos: 0,
            gap_pending: false,
            emitted: false,
            queue: std::collections::VecDeque::new(),
        }
    }

    /// Writes the next token's text into `out` and returns (position, from, to).
    pub fn next_into(&mut self, out: &mut String) -> Option<(u32, usize, usize)> {
        let (a, b, position) = self.next_token()?;
        out.clear();
        out.extend(self.chars[a..b].iter().map(|f| f.c));
        Some((position, self.chars[a].from as usize, self.chars[b - 1].to as usize))
    }

    /// The next token's (position, from, to), without its text.
    pub fn next_span(&mut self) -> Option<(u32, usize, usize)> {
        let (a, b, position) = self.next_token()?;
        Some((position, self.chars[a].from as usize, self.chars[b - 1].to as usize))
    }

    fn class_at(&self, i: usize) -> Option<Class> {
        self.chars.get(i).map(|f| f.class)
    }

    /// Whether the character at `i` is one joiner that joins the word before it to a word after
    /// it, or ends the text (but `%`, which is a token of its own there).
    fn joins(&self, i: usize) -> bool {
        self.class_at(i) == Some(Class::Join)
            && match self.class_at(i + 1) {
                Some(k) => k == Class::Word,
                None => self.chars[i].c != PERCENT,
            }
    }

    fn next_token(&mut self) -> Option<(usize, usize, u32)> {
        loop {
            if let Some(t) = self.queue.pop_front() {
                self.emitted = true;
                return Some(t);
            }
            let k = self.chars.get(self.i)?.class;
            let start = self.i;
            self.i += self.chars[start..].iter().position(|f| f.class != k).unwrap_or(self.chars.len() - start);
            let end = self.i;
            if matches!(k, Class::Han | Class::Word) && self.gap_pending {
                self.pos += 1;
                self.gap_pending = false;
            }
            let word_before = start > 0 && self.class_at(start - 1) == Some(Class::Word);
            let word_after = self.class_at(end) == Some(Class::Word);
            match k {
                Class::Han if end - start == 1 => {
                    self.queue.push_back((start, end, self.pos));
                    self.pos += 1;
                }
                Class::Han => {
                    let last = self.pos + (end - start) as u32 - 2;
                    if word_before {
                        self.queue.push_back((start, start + 1, self.pos));
                    }
                    for j in start..end - 1 {
                        self.queue.push_back((j, j + 2, self.pos + (j - start) as u32));
                    }
                    if word_after {
                        self.queue.push_back((end - 1, end, last));
                    }
                    self.pos = last + 1;
                }
                Class::Word => {
                    if end - start <= MAX_WORD_CHARS {
                        self.queue.push_back((start, end, self.pos));
                        // `3.5`: `3.` beside `3`, so a phrase tells `1.5` from `1:5`.
                        if self.joins(end) {
                            self.queue.push_back((start, end + 1, self.pos));
                        }
                    }
                    self.pos += 1;
                }
                // One joiner between two letters or digits: the word goes on at the next position.
                Class::Join if end - start == 1 && word_before && word_after => {}
                // `100%`: the sign is a token after its number, then a gap as for punctuation,
                // unless one joiner and a word follow (`5%—8%`): then that word goes on.
                Class::Join if word_before && self.chars[start].c == PERCENT => {
                    self.queue.push_back((start, start + 1, self.pos));
                    if end - start == 2 && (word_after || end == self.chars.len()) {
                        self.queue.push_back((start, end, self.pos));
                    }
                    self.pos += 1;
                    if !(end - start == 2 && word_after) {
                        self.gap_pending = true;
                    }
                }
                Class::Gap | Class::Join => self.gap_pending = self.emitted,
                Class::Space => {}
            }
        }
    }
}

/// Tokens of a query part: the text up to its last letter, digit or Han character (or a `%`
/// right after a word), so a joiner typed at the end (`12345，`, `2024.`) does not ask for a
/// joined token (`12345,`) that only a text ending there holds.
pub fn tokenize_query(text: &str) -> Vec<Token> {
    let mut end = 0;
    let mut last = Class::Space;
    for_each_folded(text, |f| {
        if matches!(f.class, Class::Han | Class::Word) || (f.c == PERCENT && last == Class::Word) {
            end = f.to as usize;
        }
        last = f.class;
    });
    tokenize(&text[..end])
}

/// Tokens for the title and body fields.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut it = TokenIter::new(text);
    let mut tokens = Vec::new();
    let mut buf = String::new();
    while let Some((position, from, to)) = it.next_into(&mut buf) {
        tokens.push(Token { text: buf.clone(), position, from, to });
    }
    tokens
}

/// The Han characters of a text, folded, with their byte ranges: the tokens of the
/// one-character fields.
fn han_chars(text: &str) -> Vec<Folded> {
    let mut chars = Vec::new();
    for_each_folded(text, |f| {
        if f.class == Class::Han {
            chars.push(f)
        }
    });
    chars
}

/// Calls `out` with each folded Han character of `text`, in order: the tokens of the
/// one-character fields, without their offsets.
pub fn for_each_han(text: &str, mut out: impl FnMut(char)) {
    for_each_folded(text, |f| {
        if f.class == Class::Han {
            out(f.c)
        }
    });
}

/// The analyzers as tantivy tokenizers, so tantivy indexes exactly these tokens.
pub mod tantivy_adapter {
    use tantivy::tokenizer::{Token as TToken, TokenStream, Tokenizer};

    #[derive(Clone, Copy)]
    pub struct Analyzer {
        pub unigram: bool,
    }

    pub enum Stream {
        Bigrams { iter: super::TokenIter, token: TToken },
        Unigrams { chars: Vec<super::Folded>, next: usize, token: TToken },
    }

    impl Tokenizer for Analyzer {
        type TokenStream<'a> = Stream;
        fn token_stream<'a>(&'a mut self, text: &'a str) -> Stream {
            if self.unigram {
                Stream::Unigrams { chars: super::han_chars(text), next: 0, token: TToken::default() }
            } else {
                Stream::Bigrams { iter: super::TokenIter::new(text), token: TToken::default() }
            }
        }
    }

    impl TokenStream for Stream {
        fn advance(&mut self) -> bool {
            match self {
                Stream::Bigrams { iter, token } => match iter.next_into(&mut token.text) {
                    Some((position, from, to)) => {
                        token.position = position as usize;
                        token.offset_from = from;
                        token.offset_to = to;
                        token.position_length = 1;
                        true
                    }
                    None => false,
                },
                Stream::Unigrams { chars, next, token } => match chars.get(*next) {
                    Some(f) => {
                        token.text.clear();
                        token.text.push(f.c);
                        token.position = *next;
                        token.offset_from = f.from as usize;
                        token.offset_to = f.to as usize;
                        token.position_length = 1;
                        *next += 1;
                        true
                    }
                    None => false,
                },
            }
        }
        fn token(&self) -> &TToken {
            match self {
                Stream::Bigrams { token, .. } | Stream::Unigrams { token, .. } => token,
            }
        }
        fn token_mut(&mut self) -> &mut TToken {
            match self {
                Stream::Bigrams { token, .. } | Stream::Unigrams { token, .. } => token,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<(String, u32)> {
        tokenize(s).into_iter().map(|t| (t.text, t.position)).collect()
    }

    #[test]
    fn bigrams_gaps_and_words() {
        let t = |v: &[(&str, u32)]| v.iter().map(|(a, b)| (a.to_string(), *b)).collect::<Vec<_>>();
        assert_eq!(toks("社会工作"), t(&[("社会", 0), ("会工", 1), ("工作", 2)]));
        assert_eq!(toks("社工+乡村振兴"), t(&[("社工", 0), ("乡村", 2), ("村振", 3), ("振兴", 4)]));
        assert_eq!(toks("楓橋經驗"), toks("枫桥经验"));
        assert_eq!(toks("2024年以来"), t(&[("2024", 0), ("年", 1), ("年以", 1), ("以来", 2)]));
        assert_eq!(toks("ＡＢＣ １２３"), t(&[("abc", 0), ("123", 1)]));
        assert_eq!(toks("党，"), t(&[("党", 0)]));
        assert_eq!(toks("，，党"), t(&[("党", 0)]));
    }

    /// Numbers, units and codes: a joiner between letters or digits keeps them adjacent, and a
    /// Han run next to a word also gives its outer character alone.
    #[test]
    fn numbers_units_and_codes() {
        let t = |v: &[(&str, u32)]| v.iter().map(|(a, b)| (a.to_string(), *b)).collect::<Vec<_>>();
        assert_eq!(toks("3.5万人"), t(&[("3", 0), ("3.", 0), ("5", 1), ("万", 2), ("万人", 2)]));
        assert_eq!(toks("3.5万"), t(&[("3", 0), ("3.", 0), ("5", 1), ("万", 2)]));
        assert_eq!(toks("7×24小时"), t(&[("7", 0), ("7×", 0), ("24", 1), ("小", 2), ("小时", 2)]));
        assert_eq!(toks("１＋１０＋Ｎ"), toks("1+10+N"));
        assert_eq!(toks("1+10+N"), t(&[("1", 0), ("1+", 0), ("10", 1), ("10+", 1), ("n", 2)]));
        assert_eq!(toks("热线12345"), t(&[("热线", 0), ("线", 0), ("12345", 1)]));
        assert_eq!(toks("2024-10-12"), t(&[("2024", 0), ("2024-", 0), ("10", 1), ("10-", 1), ("12", 2)]));
        assert_eq!(toks("98.5%。"), t(&[("98", 0), ("98.", 0), ("5", 1), ("%", 2)]));
        assert_eq!(toks("100%的人"), t(&[("100", 0), ("%", 1), ("的人", 3)]));
        assert_eq!(toks("5—10人"), t(&[("5", 0), ("5-", 0), ("10", 1), ("人", 2)]));
        assert_eq!(toks("5～10"), toks("5~10"));
        assert_eq!(toks("5〜10"), toks("5-10"));
        assert_eq!(toks("1∶5"), t(&[("1", 0), ("1:", 0), ("5", 1)]));
        assert_eq!(toks("1∶5"), toks("1:5"));
        assert_ne!(toks("1∶5"), toks("1.5"));
        assert_eq!(toks("% 5"), t(&[("5", 0)]));
        assert_eq!(toks("３，２１０人"), t(&[("3", 0), ("3,", 0), ("210", 1), ("人", 2)]));
        assert_eq!(toks("7*24"), toks("7×24"));
        assert_eq!(toks("甲，乙, 1, 2"), t(&[("甲", 0), ("乙", 2), ("1", 4), ("2", 6)]));
        assert_eq!(toks("社工+乡村"), t(&[("社工", 0), ("乡村", 2)]));
        // A range of percentages: each number keeps its sign.
        assert_eq!(toks("5%—8%"), t(&[("5", 0), ("%", 1), ("%-", 1), ("8", 2), ("%", 3)]));
        assert_eq!(toks("5%—"), t(&[("5", 0), ("%", 1), ("%-", 1)]));
        assert_eq!(toks("5%—，"), t(&[("5", 0), ("%", 1)]));
        assert_eq!(toks("5%——8"), t(&[("5", 0), ("%", 1), ("8", 3)]));
        assert_eq!(toks("5%，8"), t(&[("5", 0), ("%", 1), ("%,", 1), ("8", 2)]));
        assert_eq!(toks("5%、8"), t(&[("5", 0), ("%", 1), ("8", 3)]));
        // A joiner ending the text joins too, so a chunk cut after it keeps its tokens.
        assert_eq!(toks("共3."), t(&[("共", 0), ("3", 1), ("3.", 1)]));
        assert_eq!(toks("共3.。"), t(&[("共", 0), ("3", 1)]));
        // A query ends at its last word: a joiner typed after it asks for nothing more.
        let q = |s: &str| tokenize_query(s).into_iter().map(|t| (t.text, t.position)).collect::<Vec<_>>();
        assert_eq!(q("12345，"), toks("12345"));
        assert_eq!(q("2024-"), toks("2024"));
        assert_eq!(q("98.5%，"), toks("98.5%"));
        assert_eq!(q("5%—"), toks("5%"));
        assert_eq!(q("社区，"), toks("社区"));
        assert_eq!(q("，"), vec![]);
        assert_eq!(toks("3..5"), t(&[("3", 0), ("5", 2)]));
    }

    /// The precomputed table folds every BMP character exactly as the general path does.
    #[test]
    fn table_folds_like_the_general_path() {
        for c in (0..0x10000u32).filter_map(char::from_u32) {
            let mut slow = Vec::new();
            fold_slow(c, |n| slow.push((n, class(n))));
            let fast: Vec<(char, Class)> =
                fold_all(c.encode_utf8(&mut [0; 4])).iter().map(|f| (f.c, f.class)).collect();
            assert_eq!(fast, slow, "U+{:04X}", c as u32);
            let mut nfkc = Vec::new();
            for_each_nfkc(c, |n| nfkc.push(n));
            assert_eq!(nfkc, std::iter::once(c).nfkc().collect::<Vec<_>>(), "U+{:04X}", c as u32);
        }
        assert_eq!(fold_text("Ａ楓ｂ\u{1D400}𠀋\u{0301}x"), "a枫ba𠀋x");
    }

    /// The one-pass spans equal the token iterator's, on the analyzer fixture and on texts
    /// mixing every class, NFKC expansions, long words and runs at both ends.
    #[test]
    fn spans_equal_the_token_iterator() {
        let fixture = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/analyzer_cases.json"));
        let cases: Vec<serde_json::Value> = serde_json::from_str(&fixture.unwrap()).unwrap();
        let long_word = "x".repeat(MAX_WORD_CHARS + 1);
        let mut texts: Vec<String> = cases.iter().filter_map(|c| c["input"].as_str().map(str::to_string)).collect();
        assert!(texts.len() >= 200);
        texts.extend(
            [
                "社会工作",
                "党，",
                "，，党",
                "社工+乡村振兴 2024年以来",
                "Ａ楓ｂ\u{1D400}𠀋\u{0301}x ㈱㍿ ＡＢＣ １２３",
                "a 社 b，，c社会。",
                "",
                " ",
                "，",
                "\n\n新時代“楓橋經驗”\n",
            ]
            .map(str::to_string),
        );
        texts.push(format!("前{long_word}后 {long_word}，党"));
        let alphabet: Vec<char> = "社会工楓，。 a1Ａ\u{0301}㈱\n".chars().collect();
        for i in 0..300usize {
            texts.push((0..i % 40).map(|k| alphabet[(i * 31 + k * k * 7) % alphabet.len()]).collect());
        }
        assert!(texts.len() > 500);
        for t in &texts {
            let mut ours = Vec::new();
            for_each_span(t, |p, a, b| ours.push((p, a, b)));
            let mut it = TokenIter::new(t);
            let mut text = String::new();
            let theirs: Vec<(u32, usize, usize)> = std::iter::from_fn(|| it.next_into(&mut text)).collect();
            assert_eq!(ours, theirs, "{t:?}");
        }
    }

    #[test]
    fn han_characters_are_the_one_character_tokens() {
        for s in ["新時代“楓橋經驗”", "Ａ楓ｂ\u{1D400}𠀋\u{0301}x 党，", "", "2024年 g20"] {
            let mut ours = Vec::new();
            for_each_han(s, |c| ours.push(c));
            let theirs: Vec<char> = han_chars(s).iter().map(|f| f.c).collect();
            assert_eq!(ours, theirs, "{s}");
        }
    }

    #[test]
    fn offsets_point_into_the_source() {
        let s = "新時代“楓橋經驗”";
        for t in tokenize(s) {
            assert_eq!(fold_text(&s[t.from..t.to]), t.text);
        }
    }
}
