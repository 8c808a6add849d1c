//! The one analyzer of zhiku's search, mirrored token for token by `search.js`.
//!
//! Folding, one source character at a time: NFKC, lowercase, traditional → simplified;
//! combining marks are dropped. Tokenizing the folded characters:
//! - a run of Han characters gives overlapping bigrams (`社会工作` → 社会 会工 工作);
//!   a lone Han character stays a unigram;
//! - a run of letters and digits gives one word (`2024`, `g20`); words over
//!   [`MAX_WORD_CHARS`] characters are skipped;
//! - punctuation and symbols leave one position gap, so phrases never cross them;
//!   whitespace leaves none.
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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Han,
    Word,
    Space,
    Gap,
}

fn class(c: char) -> Class {
    if is_han(c) {
        Class::Han
    } else if c.is_alphanumeric() {
        Class::Word
    } else if c.is_whitespace() {
        Class::Space
    } else {
        Class::Gap
    }
}

/// Folded characters, each with the byte range of the source character it came from.
pub fn fold_with_offsets(text: &str) -> Vec<(char, usize, usize)> {
    let mut out = Vec::with_capacity(text.len() / 2);
    for (from, c) in text.char_indices() {
        let to = from + c.len_utf8();
        if c.is_ascii() {
            out.push((c.to_ascii_lowercase(), from, to));
            continue;
        }
        // Fast path: NFKC leaves these alone and they have no case.
        if crate::fold::is_plain_han(c) {
            out.push((crate::fold::simplify(c), from, to));
            continue;
        }
        if unicode_normalization::is_nfkc_quick(std::iter::once(c)) == unicode_normalization::IsNormalized::Yes
            && !is_combining_mark(c)
        {
            out.push((fold_char(c), from, to));
            continue;
        }
        for n in std::iter::once(c).nfkc() {
            if is_combining_mark(n) {
                continue;
            }
            out.push((fold_char(n), from, to));
        }
    }
    out
}

/// The folded form of a text, as the index sees it.
pub fn fold_text(text: &str) -> String {
    fold_with_offsets(text).into_iter().map(|(c, _, _)| c).collect()
}

/// Walks the folded characters of a text and yields its tokens one at a time into a reused
/// buffer, so indexing allocates nothing per token. [`tokenize`] collects the same tokens.
pub struct TokenIter {
    chars: Vec<(char, usize, usize)>,
    i: usize,
    pos: u32,
    gap_pending: bool,
    emitted: bool,
    /// The Han run being turned into bigrams: (start, end, next bigram index).
    run: Option<(usize, usize, usize)>,
}

impl TokenIter {
    pub fn new(text: &str) -> TokenIter {
        TokenIter { chars: fold_with_offsets(text), i: 0, pos: 0, gap_pending: false, emitted: false, run: None }
    }

    /// Writes the next token's text into `out` and returns (position, from, to).
    pub fn next_into(&mut self, out: &mut String) -> Option<(u32, usize, usize)> {
        loop {
            if let Some((start, end, j)) = self.run {
                if start + j + 1 < end {
                    self.run = Some((start, end, j + 1));
                    let (a, b) = (self.chars[start + j], self.chars[start + j + 1]);
                    out.clear();
                    out.push(a.0);
                    out.push(b.0);
                    self.emitted = true;
                    return Some((self.pos + j as u32, a.1, b.2));
                }
                self.pos += (end - start) as u32 - 1;
                self.run = None;
            }
            if self.i >= self.chars.len() {
                return None;
            }
            let k = class(self.chars[self.i].0);
            let start = self.i;
            while self.i < self.chars.len() && class(self.chars[self.i].0) == k {
                self.i += 1;
            }
            let end = self.i;
            if matches!(k, Class::Han | Class::Word) && self.gap_pending {
                self.pos += 1;
                self.gap_pending = false;
            }
            match k {
                Class::Han if end - start == 1 => {
                    let c = self.chars[start];
                    out.clear();
                    out.push(c.0);
                    self.emitted = true;
                    self.pos += 1;
                    return Some((self.pos - 1, c.1, c.2));
                }
                Class::Han => self.run = Some((start, end, 0)),
                Class::Word => {
                    self.pos += 1;
                    if end - start <= MAX_WORD_CHARS {
                        out.clear();
                        out.extend(self.chars[start..end].iter().map(|c| c.0));
                        self.emitted = true;
                        return Some((self.pos - 1, self.chars[start].1, self.chars[end - 1].2));
                    }
                }
                Class::Gap => self.gap_pending = self.emitted,
                Class::Space => {}
            }
        }
    }
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
pub fn han_chars(text: &str) -> Vec<(char, usize, usize)> {
    let mut chars = fold_with_offsets(text);
    chars.retain(|(c, _, _)| is_han(*c));
    chars
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
        Unigrams { chars: Vec<(char, usize, usize)>, next: usize, token: TToken },
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
                    Some(&(c, from, to)) => {
                        token.text.clear();
                        token.text.push(c);
                        token.position = *next;
                        token.offset_from = from;
                        token.offset_to = to;
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
        assert_eq!(toks("2024年以来"), t(&[("2024", 0), ("年以", 1), ("以来", 2)]));
        assert_eq!(toks("ＡＢＣ １２３"), t(&[("abc", 0), ("123", 1)]));
        assert_eq!(toks("党，"), t(&[("党", 0)]));
        assert_eq!(toks("，，党"), t(&[("党", 0)]));
    }

    #[test]
    fn offsets_point_into_the_source() {
        let s = "新時代“楓橋經驗”";
        for t in tokenize(s) {
            assert_eq!(fold_text(&s[t.from..t.to]), t.text);
        }
    }
}
