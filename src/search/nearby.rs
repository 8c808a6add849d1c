//! Suggestions for a query that finds nothing: indexed phrases one character away from it
//! (a character changed, added or dropped), each confirmed on a few pages' text, ranked by how
//! many pages hold them.
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
//! page suggest the same phrases with the same counts.
//!
//! What confirming a candidate may read is bounded, so a suggestion run costs the client a few
//! small files whatever the site's size: the [`CHECKED`] most promising candidates, in order,
//! share a budget of [`RUN_ENTRIES`] postings entries. Each reads the doc lists of its bigrams,
//! rarest first (document frequencies come from the `near/` files, so no dictionary is read to
//! choose), while the next list fits in what is left; its count is the number of pages holding
//! every bigram read (exact for two characters, at most that for longer phrases), and it is
//! shown when one of the first [`VERIFIED`] of those pages holds the phrase itself. A candidate
//! whose rarest bigram is too common to read (hundreds of kilobytes at 100k pages) is checked on
//! the site's first [`VERIFIED`] pages instead, which most such phrases are on, and counted as
//! the larger of its rarest bigram's title and body document frequencies.
//!
//! The other script form is not suggested: folding makes a query in one form find exactly what
//! the other finds, so it would find nothing too.

use super::FieldKind;
use super::export::Buf;
use super::index::SearchIndex;
use super::query::{IndexSource, Part, cut, parse, phrase_count, rank};
use super::{SearchDoc, analyzer};
use crate::Result;
use crate::fold::{fold_char, is_han};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Suggestions shown at most.
pub const MAX_SUGGESTIONS: usize = 5;
/// Candidates run as queries at most (the most promising by the rarer of their new bigrams).
const CHECKED: usize = 8;
/// Followers of a character considered, the most frequent first.
const FOLLOWERS: usize = 200;
/// Queries longer than this (characters) get no suggestions.
const LONGEST: usize = 16;
/// Pages (the first by doc id among those holding the bigrams read) checked for the phrase itself.
pub const VERIFIED: usize = 3;
/// Postings entries (a bigram's title and body lists together) one suggestion run reads at most:
/// ~20–30 KB of compressed lists.
pub const RUN_ENTRIES: u32 = 16_384;

/// A suggested query and how many pages it finds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub text: String,
    pub count: usize,
}

/// Queries one character away from `query` that find pages, most pages first (ties in text
/// order). Only a query of Han characters (2 to 16, no spaces) that finds nothing gets any.
/// `doc` reads a page by doc id (only the few checked for a phrase are read).
pub fn suggest(
    index: &SearchIndex,
    doc: &dyn Fn(u32) -> Result<Option<SearchDoc>>,
    query: &str,
) -> Result<Vec<Suggestion>> {
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
    let mut left = RUN_ENTRIES;
    for (_, text) in ordered.into_iter().take(CHECKED) {
        let parts = parse(&text);
        let [part] = parts.as_slice() else { continue };
        if part.unigram {
            continue;
        }
        if let Some(count) = check(index, doc, part, &mut left)? {
            found.push(Suggestion { text, count });
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

/// The count of a candidate phrase when one of the pages it reads holds it, spending at most
/// `left` postings entries (see the module's notes); `search.js` `check` does the same.
fn check(
    index: &SearchIndex,
    doc: &dyn Fn(u32) -> Result<Option<SearchDoc>>,
    part: &Part,
    left: &mut u32,
) -> Result<Option<usize>> {
    // (title df + body df, position), rarest first.
    let mut order = Vec::with_capacity(part.tokens.len());
    for (i, (token, _)) in part.tokens.iter().enumerate() {
        order.push((index.doc_freq(FieldKind::Title, token)? + index.doc_freq(FieldKind::Body, token)?, i));
    }
    order.sort_unstable();
    let Some(&(rarest, first)) = order.first() else { return Ok(None) };
    if rarest == 0 {
        return Ok(None);
    }
    let mut holding: Option<Vec<u32>> = None;
    for &(df, i) in &order {
        if df > *left {
            break;
        }
        *left -= df;
        let token = &part.tokens[i].0;
        let mut docs = Vec::new();
        for f in [FieldKind::Title, FieldKind::Body] {
            docs.extend(index.postings(f, token, false)?.map(|p| p.docs).unwrap_or_default());
        }
        docs.sort_unstable();
        docs.dedup();
        holding = Some(match holding {
            None => docs,
            Some(h) => h.into_iter().filter(|d| docs.binary_search(d).is_ok()).collect(),
        });
    }
    let (count, pages): (usize, Vec<u32>) = match holding {
        Some(h) => (h.len(), h.into_iter().take(VERIFIED).collect()),
        None => {
            let token = &part.tokens[first].0;
            let count = index.doc_freq(FieldKind::Title, token)?.max(index.doc_freq(FieldKind::Body, token)?);
            (count as usize, (0..index.num_docs().min(VERIFIED as u32)).collect())
        }
    };
    if count == 0 {
        return Ok(None);
    }
    for d in pages {
        if doc(d)?.is_some_and(|d| holds(&d, part)) {
            return Ok(Some(count));
        }
    }
    Ok(None)
}

/// Whether a page's title or text holds the phrase `part` (its tokens at their places).
fn holds(doc: &SearchDoc, part: &Part) -> bool {
    let rel: Vec<u32> = part.tokens.iter().map(|(_, r)| *r).collect();
    [&doc.title, &doc.text].into_iter().any(|text| {
        let tokens = analyzer::tokenize(text);
        let lists: Vec<Vec<u32>> = part
            .tokens
            .iter()
            .map(|(t, _)| {
                let mut l: Vec<u32> = tokens.iter().filter(|x| x.text == *t).map(|x| x.position).collect();
                l.sort_unstable();
                l.dedup();
                l
            })
            .collect();
        let refs: Vec<&[u32]> = lists.iter().map(Vec::as_slice).collect();
        phrase_count(&refs, &rel).0 > 0
    })
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
