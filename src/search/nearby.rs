//! Suggestions for a query that finds nothing: indexed phrases one character away from it
//! (a character changed, added or dropped), each checked by running it, ranked by how many
//! pages it finds.
//!
//! Candidates come from the bigram dictionary: a character `x` may follow `a` when the index
//! holds the bigram `ax` (a prefix range of the sorted term dictionary: no postings are read),
//! and may precede `b` when it holds `xb` (one lookup). So a change or an insertion after the
//! first character is proposed from the index itself; a change of the first character is not
//! (the dictionary is not sorted by a term's last character), but dropping it is.
//!
//! The browser client runs the same steps on the export's `near/<block>/<char>` files
//! ([`neighbours`]: each character's followers, as here, and every character that precedes it,
//! for the document frequency of a new bigram), so `zhiku search --suggest` and the search
//! page suggest the same phrases with the same counts. A suggestion's count is the number of
//! pages holding all of its bigrams (in the title or in the body: exact for two characters, at
//! most that for longer phrases), which the client knows from the dictionary alone; it is shown
//! only when one of its first [`VERIFIED`] such pages (by doc id) holds the phrase itself, so
//! the client reads a few pages' text, not every page's.
//!
//! The other script form is not suggested: folding makes a query in one form find exactly what
//! the other finds, so it would find nothing too.

use super::FieldKind;
use super::export::Buf;
use super::index::SearchIndex;
use super::query::{IndexSource, Part, cut, parse, rank};
use crate::Result;
use crate::fold::{fold_char, is_han};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Suggestions shown at most.
pub const MAX_SUGGESTIONS: usize = 5;
/// Candidates run as queries at most (the most promising by the rarer of their new bigrams).
const CHECKED: usize = 8;
/// Followers of a character considered, the most frequent first.
const FOLLOWERS: usize = 200;
/// Queries longer than this (characters) get no suggestions.
const LONGEST: usize = 16;
/// Pages (the first by doc id among those holding every bigram) checked for the phrase itself.
pub const VERIFIED: usize = 3;

/// A suggested query and how many pages it finds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub text: String,
    pub count: usize,
}

/// Queries one character away from `query` that find pages, most pages first (ties in text
/// order). Only a query of Han characters (2 to 16, no spaces) that finds nothing gets any.
pub fn suggest(index: &SearchIndex, query: &str) -> Result<Vec<Suggestion>> {
    let chars: Vec<char> = cut(query).0.trim().chars().collect();
    if !(2..=LONGEST).contains(&chars.len()) || !chars.iter().all(|&c| is_han(c)) {
        return Ok(Vec::new());
    }
    let source = IndexSource::new(index);
    if !rank(&source, &parse(query), None)?.is_empty() {
        return Ok(Vec::new());
    }
    let folded: Vec<char> = chars.iter().map(|&c| fold_char(c)).collect();
    let mut near = Near { index, followers: HashMap::new() };
    // folded text → (bound, text as shown)
    let mut candidates: BTreeMap<String, (u32, String)> = BTreeMap::new();
    let mut add = |shown: Vec<char>, bound: u32| {
        let key: String = fold_text(&shown.iter().collect::<String>());
        let e = candidates.entry(key).or_insert((0, shown.iter().collect()));
        e.0 = e.0.max(bound);
    };
    let n = chars.len();
    for i in 0..n {
        if n > 2 {
            let mut dropped = chars.clone();
            dropped.remove(i);
            // Inside, the new bigram bounds it; at an end it is a fragment of the query, tried last.
            let bound = if i > 0 && i + 1 < n { near.bigram_df(folded[i - 1], folded[i + 1])? } else { 1 };
            if bound > 0 {
                add(dropped, bound);
            }
        }
        if i > 0 {
            for (x, df) in near.followers(folded[i - 1])? {
                if x == folded[i] {
                    continue;
                }
                // Changed: a x c; added: a x b.
                let changed = if i + 1 < n { df.min(near.bigram_df(x, folded[i + 1])?) } else { df };
                if changed > 0 {
                    let mut c = chars.clone();
                    c[i] = x;
                    add(c, changed);
                }
                let added = df.min(near.bigram_df(x, folded[i])?);
                if added > 0 {
                    let mut c = chars.clone();
                    c.insert(i, x);
                    add(c, added);
                }
            }
        }
    }
    for (x, df) in near.followers(folded[n - 1])? {
        let mut c = chars.clone();
        c.push(x);
        add(c, df);
    }
    let mut ordered: Vec<(u32, String)> = candidates.into_values().collect();
    ordered.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut found = Vec::new();
    for (_, text) in ordered.into_iter().take(CHECKED) {
        let parts = parse(&text);
        let holding = bound_docs(index, &parts)?;
        if holding.is_empty() {
            continue;
        }
        let hits: BTreeSet<u32> = rank(&source, &parts, None)?.into_iter().map(|h| h.doc).collect();
        if holding.iter().take(VERIFIED).any(|d| hits.contains(d)) {
            found.push(Suggestion { text, count: holding.len() });
        }
    }
    // A fragment of another suggestion that finds about as much says nothing more (社会工 beside
    // 社会工作).
    let longer: Vec<(String, usize)> = found.iter().map(|s| (fold_text(&s.text), s.count)).collect();
    found.retain(|s| {
        let key = fold_text(&s.text);
        !longer.iter().any(|(t, count)| t.len() > key.len() && t.contains(&key) && count * 2 >= s.count)
    });
    found.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.text.cmp(&b.text)));
    found.truncate(MAX_SUGGESTIONS);
    Ok(found)
}

/// Pages holding every token of every part (in the part's title field or in its body field),
/// by doc id: the client's candidates before it checks phrases.
fn bound_docs(index: &SearchIndex, parts: &[Part]) -> Result<Vec<u32>> {
    let mut all: Option<BTreeSet<u32>> = None;
    for part in parts {
        let (title, body) = part.fields();
        let mut docs = BTreeSet::new();
        for f in [title, body] {
            let mut inter: Option<BTreeSet<u32>> = None;
            for (token, _) in &part.tokens {
                let list: BTreeSet<u32> =
                    index.postings(f, token, false)?.map(|p| p.docs.into_iter().collect()).unwrap_or_default();
                inter = Some(match inter {
                    None => list,
                    Some(i) => i.intersection(&list).copied().collect(),
                });
            }
            docs.extend(inter.unwrap_or_default());
        }
        all = Some(match all {
            None => docs,
            Some(a) => a.intersection(&docs).copied().collect(),
        });
    }
    Ok(all.unwrap_or_default().into_iter().collect())
}

/// A character's neighbours in the bigram dictionary (title and body, document frequencies
/// added): the [`FOLLOWERS`] most frequent characters after it, as [`Near::followers`] finds
/// them, and every character before it, in code point order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Neighbours {
    pub next: Vec<(char, u32)>,
    pub prev: Vec<(char, u32)>,
}

/// The neighbours of every character from the dictionary's terms (`term`, document frequency
/// in one field; a term may come once per field). Only bigrams of two Han characters count.
pub fn neighbours<'a>(terms: impl Iterator<Item = (&'a str, u32)>) -> BTreeMap<char, Neighbours> {
    let mut pairs: BTreeMap<(char, char), u32> = BTreeMap::new();
    for (term, df) in terms {
        let mut cs = term.chars();
        if let (Some(a), Some(b), None) = (cs.next(), cs.next(), cs.next())
            && is_han(a)
            && is_han(b)
        {
            *pairs.entry((a, b)).or_default() += df;
        }
    }
    let mut out: BTreeMap<char, Neighbours> = BTreeMap::new();
    for (&(a, b), &df) in &pairs {
        out.entry(a).or_default().next.push((b, df));
        out.entry(b).or_default().prev.push((a, df));
    }
    for n in out.values_mut() {
        n.next.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        n.next.truncate(FOLLOWERS);
        n.prev.sort();
    }
    out
}

/// The export's `near/<c/256>/<c>` file of a character (before compression): the followers
/// (count, then code point and df each, most frequent first), then the preceders (count, then
/// code point deltas and df, ascending). `search.js` reads it.
pub fn encode_neighbours(n: &Neighbours) -> Vec<u8> {
    let mut b = Buf::default();
    b.varint(n.next.len() as u64);
    for &(c, df) in &n.next {
        b.varint(c as u64);
        b.varint(df as u64);
    }
    b.varint(n.prev.len() as u64);
    let mut last = 0u32;
    for &(c, df) in &n.prev {
        b.varint((c as u32 - last) as u64);
        b.varint(df as u64);
        last = c as u32;
    }
    b.0
}

fn fold_text(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

struct Near<'a> {
    index: &'a SearchIndex,
    followers: HashMap<char, Vec<(char, u32)>>,
}

impl Near<'_> {
    /// Characters that follow `a` in an indexed bigram (title or body), with the bigram's
    /// document frequency, the most frequent first.
    fn followers(&mut self, a: char) -> Result<Vec<(char, u32)>> {
        if let Some(list) = self.followers.get(&a) {
            return Ok(list.clone());
        }
        let mut df: BTreeMap<char, u32> = BTreeMap::new();
        for f in [FieldKind::Title, FieldKind::Body] {
            for (term, n) in self.index.terms_with_prefix(f, a.encode_utf8(&mut [0; 4]))? {
                let mut cs = term.chars().skip(1);
                if let (Some(x), None) = (cs.next(), cs.next())
                    && is_han(x)
                {
                    *df.entry(x).or_default() += n;
                }
            }
        }
        let mut list: Vec<(char, u32)> = df.into_iter().collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        list.truncate(FOLLOWERS);
        self.followers.insert(a, list.clone());
        Ok(list)
    }

    fn bigram_df(&self, a: char, b: char) -> Result<u32> {
        let term: String = [a, b].iter().collect();
        Ok(self.index.doc_freq(FieldKind::Title, &term)? + self.index.doc_freq(FieldKind::Body, &term)?)
    }
}
