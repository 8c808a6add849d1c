//! Query semantics and ranking, written once here and mirrored by `search.js`:
//!
//! - space-separated parts must all match; inside a part, punctuation splits it into further
//!   parts (`社工+乡村振兴` = 社工 AND 乡村振兴);
//! - a part of several tokens is a phrase (a Han run of 3+ characters is its overlapping bigrams,
//!   so a phrase is an exact substring after folding); one bigram or word is a term; one Han
//!   character is looked up in the one-character fields;
//! - `"…"` (or `“…”`) forces a phrase over everything quoted;
//! - each part scores BM25 (tantivy's formula, in f32) in the title, boosted, plus the body;
//!   the score of a page is the sum over parts, in query order. Ties go to the lower doc id.

use super::analyzer::{self, Token};
use super::index::{SearchIndex, TermPostings};
use super::{CHUNK_POSITIONS, FieldKind, SearchDoc};
use crate::Result;
use crate::fold::is_han;
use serde::Serialize;

/// At most this many parts are evaluated; the rest of a very long query is ignored.
pub const MAX_PARTS: usize = 12;

/// A query is cut to its first this many characters (Unicode code points) before anything
/// else, here and in `search.js`: each token of a phrase loads its postings with positions, so
/// a 10,000-character query took 6.3 GB. 64 characters hold any sentence one searches for.
pub const MAX_QUERY_CHARS: usize = 64;

/// The part of `query` that is searched, and whether it was cut.
pub fn cut(query: &str) -> (&str, bool) {
    match query.char_indices().nth(MAX_QUERY_CHARS) {
        Some((end, _)) => (&query[..end], true),
        None => (query, false),
    }
}

/// One part of a query: tokens with their positions relative to the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub tokens: Vec<(String, u32)>,
    /// A lone Han character, looked up in the one-character fields.
    pub unigram: bool,
}

impl Part {
    pub fn fields(&self) -> (FieldKind, FieldKind) {
        if self.unigram { (FieldKind::Title1, FieldKind::Body1) } else { (FieldKind::Title, FieldKind::Body) }
    }
}

/// Splits a query (cut to [`MAX_QUERY_CHARS`]) into parts.
pub fn parse(query: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut rest = cut(query).0;
    loop {
        let open = rest.find(['"', '“', '”']);
        let (outside, quoted, tail) = match open {
            Some(i) => {
                let q = rest[i..].chars().next().unwrap_or('"');
                let after = &rest[i + q.len_utf8()..];
                match after.find(['"', '“', '”']) {
                    Some(j) => {
                        let close = after[j..].chars().next().unwrap_or('"');
                        (&rest[..i], Some(&after[..j]), &after[j + close.len_utf8()..])
                    }
                    None => (&rest[..i], Some(after), ""),
                }
            }
            None => (rest, None, ""),
        };
        for chunk in outside.split_whitespace() {
            split_at_gaps(&analyzer::tokenize(chunk), &mut parts);
        }
        if let Some(q) = quoted {
            let tokens = analyzer::tokenize(&join_han(q));
            if let Some(first) = tokens.first().map(|t| t.position) {
                let tokens: Vec<(String, u32)> = tokens.iter().map(|t| (t.text.clone(), t.position - first)).collect();
                let unigram = tokens.len() == 1 && is_single_han(&tokens[0].0);
                parts.push(Part { tokens, unigram });
            }
        }
        if open.is_none() {
            break;
        }
        rest = tail;
    }
    parts.truncate(MAX_PARTS);
    parts
}

/// Removes whitespace between Han characters, which Chinese text does not have.
fn join_han(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let prev = chars[..i].iter().rev().find(|c| !c.is_whitespace());
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if prev.is_some_and(|&p| is_han(p)) && next.is_some_and(|&n| is_han(n)) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

fn is_single_han(t: &str) -> bool {
    let mut chars = t.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if is_han(c))
}

fn split_at_gaps(tokens: &[Token], parts: &mut Vec<Part>) {
    let mut group: Vec<&Token> = Vec::new();
    let mut flush = |group: &mut Vec<&Token>| {
        if let Some(first) = group.first().map(|t| t.position) {
            let tokens: Vec<(String, u32)> = group.iter().map(|t| (t.text.clone(), t.position - first)).collect();
            let unigram = tokens.len() == 1 && is_single_han(&tokens[0].0);
            parts.push(Part { tokens, unigram });
        }
        group.clear();
    };
    let is_word = |t: Option<&Token>| t.is_some_and(|t| !t.text.chars().next().is_some_and(is_han));
    for (i, t) in tokens.iter().enumerate() {
        // A lone Han character is its own one-character part: in the text it may sit inside a
        // longer run (`找到了` must find `找到了解`, where 了 is part of the bigram 了解). Next
        // to a word (`3.5万`, `第3`) it stays in the phrase: the index holds a Han character
        // next to a word alone too (see `analyzer::TokenIter`).
        let attached = (i > 0 && is_word(tokens.get(i - 1)) && tokens[i - 1].position + 1 == t.position)
            || (is_word(tokens.get(i + 1)) && tokens[i + 1].position == t.position + 1);
        if is_single_han(&t.text) && !attached {
            flush(&mut group);
            group.push(t);
            flush(&mut group);
            continue;
        }
        if group.last().is_some_and(|last| t.position > last.position + 1) {
            flush(&mut group);
        }
        group.push(t);
    }
    flush(&mut group);
}

/// What ranking needs from an index: statistics and postings. Implemented by the tantivy index
/// (the `search` command) and, in JavaScript, by the static export.
pub trait Source {
    fn tf_cache(&self, f: FieldKind) -> &[f32];
    /// idf and postings (with positions where the field has them) of a term.
    fn term(&self, f: FieldKind, term: &str) -> Result<Option<(f32, TermPostings)>>;
}

/// `1 + K1` in f32, as tantivy computes it.
fn one_plus_k1() -> f32 {
    1.0f32 + 1.2f32
}

/// BM25 of one field, boosted, exactly as `search.js` computes it.
pub fn field_score(idf: f32, tf: u32, norm_factor: f32, boost: f32) -> f32 {
    let weight = idf * one_plus_k1();
    let tf = tf as f32;
    let score = weight * (tf / (tf + norm_factor));
    if boost == 1.0 { score } else { score * boost }
}

/// Number of places where the phrase's tokens sit at their relative positions.
pub fn phrase_count(positions: &[&[u32]], rel: &[u32]) -> (u32, Option<u32>) {
    let mut count = 0;
    let mut first = None;
    'outer: for &p in positions[0] {
        for (i, list) in positions.iter().enumerate().skip(1) {
            if list.binary_search(&(p + rel[i])).is_err() {
                continue 'outer;
            }
        }
        count += 1;
        first.get_or_insert(p);
    }
    (count, first)
}

/// A match of a part in one field of a doc.
struct FieldMatch {
    doc: u32,
    freq: u32,
    norm: u8,
    first_position: u32,
}

/// The idf (summed over a phrase's tokens) and the matches of one part in one field.
fn field_matches(source: &dyn Source, f: FieldKind, part: &Part) -> Result<(f32, Vec<FieldMatch>)> {
    let mut lists = Vec::with_capacity(part.tokens.len());
    let mut idf_sum = 0.0f32;
    for (t, _) in &part.tokens {
        match source.term(f, t)? {
            Some((idf, p)) => {
                idf_sum += idf;
                lists.push(p);
            }
            None => return Ok((0.0, Vec::new())),
        }
    }
    if lists.len() == 1 {
        let p = &lists[0];
        let rows = (0..p.docs.len())
            .map(|i| FieldMatch {
                doc: p.docs[i],
                freq: p.tfs[i],
                norm: p.norms[i],
                first_position: p.positions.get(i).and_then(|v| v.first().copied()).unwrap_or(0),
            })
            .collect();
        return Ok((idf_sum, rows));
    }
    let rel: Vec<u32> = part.tokens.iter().map(|(_, r)| *r).collect();
    let mut cursors = vec![0usize; lists.len()];
    let mut rows = Vec::new();
    'docs: for (i0, &doc) in lists[0].docs.iter().enumerate() {
        let mut idx = vec![i0];
        for (k, list) in lists.iter().enumerate().skip(1) {
            let c = &mut cursors[k];
            while *c < list.docs.len() && list.docs[*c] < doc {
                *c += 1;
            }
            if *c >= list.docs.len() || list.docs[*c] != doc {
                continue 'docs;
            }
            idx.push(*c);
        }
        let positions: Vec<&[u32]> = lists.iter().zip(&idx).map(|(l, &i)| l.positions[i].as_slice()).collect();
        let (count, first) = phrase_count(&positions, &rel);
        if count > 0 {
            rows.push(FieldMatch { doc, freq: count, norm: lists[0].norms[i0], first_position: first.unwrap_or(0) });
        }
    }
    Ok((idf_sum, rows))
}

/// A ranked result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub score: f32,
    /// First body position where a part matched (for the snippet), if the body matched.
    pub body_position: Option<u32>,
}

/// Ranks every page matching all parts (and the `allowed` doc filter), best first.
pub fn rank(source: &dyn Source, parts: &[Part], allowed: Option<&[u32]>) -> Result<Vec<Hit>> {
    use std::collections::BTreeMap;
    if parts.is_empty() {
        return Ok(Vec::new());
    }
    // doc → (score so far, parts matched, first body position)
    let mut acc: BTreeMap<u32, (f32, usize, Option<u32>)> = BTreeMap::new();
    for (k, part) in parts.iter().enumerate() {
        let (title, body) = part.fields();
        let mut part_scores: BTreeMap<u32, (f32, Option<u32>)> = BTreeMap::new();
        for f in [title, body] {
            let (idf, rows) = field_matches(source, f, part)?;
            let cache = source.tf_cache(f);
            for m in rows {
                let s = field_score(idf, m.freq, cache[m.norm as usize], f.boost());
                let e = part_scores.entry(m.doc).or_insert((0.0, None));
                e.0 += s;
                if f == body && f.has_positions() {
                    e.1 = Some(m.first_position);
                }
            }
        }
        for (doc, (s, pos)) in part_scores {
            if k == 0 {
                acc.insert(doc, (s, 1, pos));
            } else if let Some(e) = acc.get_mut(&doc).filter(|e| e.1 == k) {
                e.0 += s;
                e.1 += 1;
                e.2 = match (e.2, pos) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
        }
    }
    let mut hits: Vec<Hit> = acc
        .into_iter()
        .filter(|(doc, e)| e.1 == parts.len() && allowed.is_none_or(|a| a.binary_search(doc).is_ok()))
        .map(|(doc, (score, _, body_position))| Hit { doc, score, body_position })
        .collect();
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
    Ok(hits)
}

/// The tantivy index as a ranking [`Source`], for the `search` command.
pub struct IndexSource<'a> {
    index: &'a SearchIndex,
    caches: [Vec<f32>; 4],
}

impl<'a> IndexSource<'a> {
    pub fn new(index: &'a SearchIndex) -> Self {
        IndexSource { index, caches: FieldKind::ALL.map(|f| index.tf_cache(f)) }
    }
}

impl Source for IndexSource<'_> {
    fn tf_cache(&self, f: FieldKind) -> &[f32] {
        &self.caches[f as usize]
    }
    fn term(&self, f: FieldKind, term: &str) -> Result<Option<(f32, TermPostings)>> {
        Ok(self.index.postings(f, term, true)?.map(|p| (self.index.idf(p.docs.len() as u32), p)))
    }
}

/// Filters and limit of a search.
#[derive(Debug, Clone, Default)]
pub struct SearchOptions {
    pub limit: usize,
    /// (facet, value): `("type", "speech")`, `("topic", "志愿服务")`, `("year", "2024")`, `("region", …)`.
    pub filters: Vec<(String, String)>,
}

/// The number of documents matching `query` per year of their date, years ascending (undated
/// documents are not counted): the trend of a phrase over time. The year facet's doc lists
/// give each hit's year, so no doc is read. The client's `byYear` gives the same counts.
pub fn by_year(index: &SearchIndex, query: &str) -> Result<Vec<(String, usize)>> {
    let hits = rank(&IndexSource::new(index), &parse(query), None)?;
    let mut hit = vec![false; index.num_docs() as usize];
    for h in &hits {
        if let Some(slot) = hit.get_mut(h.doc as usize) {
            *slot = true;
        }
    }
    let mut years = Vec::new();
    for year in index.facet_values("year")?.into_iter().filter(|y| !y.is_empty()) {
        let n =
            index.facet_docs("year", &year)?.iter().filter(|&&d| hit.get(d as usize).copied().unwrap_or(false)).count();
        if n > 0 {
            years.push((year, n));
        }
    }
    Ok(years)
}

/// Runs a query against an index: the best `limit` results and the total count. `doc` reads a
/// doc by id; it is asked only for the results shown.
pub fn search(
    index: &SearchIndex,
    doc: &dyn Fn(u32) -> Result<Option<SearchDoc>>,
    query: &str,
    options: &SearchOptions,
) -> Result<(Vec<SearchResult>, usize)> {
    let parts = parse(query);
    let mut allowed: Option<Vec<u32>> = None;
    for (facet, value) in &options.filters {
        let list = index.facet_docs(facet, value)?;
        allowed = Some(match allowed {
            None => list,
            Some(prev) => prev.into_iter().filter(|d| list.binary_search(d).is_ok()).collect(),
        });
    }
    let hits = rank(&IndexSource::new(index), &parts, allowed.as_deref())?;
    let total = hits.len();
    let mut results = Vec::new();
    for h in hits.into_iter().take(options.limit) {
        let Some(d) = doc(h.doc)? else { continue };
        results.push(SearchResult {
            snippet: snippet(&d, h.body_position),
            url: d.url,
            title: d.title,
            score: f64::from(h.score),
            kind: d.kind,
            date: d.date,
        });
    }
    Ok((results, total))
}

/// Text chunks of a page: chunk `k` holds the tokens at positions `k * CHUNK_POSITIONS ..
/// (k + 1) * CHUNK_POSITIONS`, from the first one's start to the last one's end (the first chunk
/// from the text's start, the last to its end), so tokenizing a chunk gives back exactly its
/// tokens. Returns (position of the chunk's first token, byte range).
pub fn chunks(text: &str) -> Vec<(u32, std::ops::Range<usize>)> {
    let mut out: Vec<(u32, std::ops::Range<usize>)> = Vec::new();
    analyzer::for_each_span(text, |position, from, to| {
        let k = (position / CHUNK_POSITIONS) as usize;
        if out.len() <= k {
            out.push((position, from..to));
        } else if let Some(last) = out.last_mut() {
            last.1.end = to;
        }
    });
    match out.first_mut() {
        None => return vec![(0, 0..text.len())],
        Some(first) => first.1.start = 0,
    }
    if let Some(last) = out.last_mut() {
        last.1.end = text.len();
    }
    out
}

/// A plain-text snippet around `position` in `text` (or the summary), at most ~110 characters.
pub fn snippet(doc: &SearchDoc, position: Option<u32>) -> String {
    const BEFORE: usize = 30;
    const LEN: usize = 110;
    let Some(p) = position else { return doc.summary.chars().take(LEN).collect() };
    let token = analyzer::tokenize(&doc.text).into_iter().find(|t| t.position >= p);
    let Some(t) = token else { return doc.summary.chars().take(LEN).collect() };
    let start_char = doc.text[..t.from].chars().count().saturating_sub(BEFORE);
    let s: String = doc.text.chars().skip(start_char).take(LEN).collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One result of the `search` command (`--json` prints these).
#[derive(Debug, Clone, Serialize)]
pub struct SearchResult {
    pub url: String,
    pub title: String,
    /// The f32 score, widened exactly to f64 so JSON carries every digit the browser computes.
    pub score: f64,
    pub snippet: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub date: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(q: &str) -> Vec<(Vec<String>, bool)> {
        parse(q).into_iter().map(|p| (p.tokens.into_iter().map(|(t, _)| t).collect(), p.unigram)).collect()
    }

    fn v(tokens: &[&str], unigram: bool) -> (Vec<String>, bool) {
        (tokens.iter().map(|s| s.to_string()).collect(), unigram)
    }

    #[test]
    fn query_parts() {
        assert_eq!(p("社会工作"), [v(&["社会", "会工", "工作"], false)]);
        assert_eq!(p("社工+乡村振兴"), [v(&["社工"], false), v(&["乡村", "村振", "振兴"], false)]);
        assert_eq!(p("党 2024"), [v(&["党"], true), v(&["2024"], false)]);
        assert_eq!(p("2024年"), [v(&["2024", "年"], false)]);
        assert_eq!(p("3.5万"), [v(&["3", "5", "万"], false)]);
        assert_eq!(p("1+10+N 第3"), [v(&["1", "10", "n"], false), v(&["第", "3"], false)]);
        assert_eq!(p("了 年，2024"), [v(&["了"], true), v(&["年"], true), v(&["2024"], false)]);
        assert_eq!(p("G20峰会"), [v(&["g20", "峰", "峰会"], false)]);
        assert_eq!(p("人民日報"), [v(&["人民", "民日", "日报"], false)]);
        assert_eq!(p("\"社会 工作\""), [v(&["社会", "会工", "工作"], false)]);
        assert_eq!(p("“社工+乡村”"), [v(&["社工", "乡村"], false)]);
        assert_eq!(parse("“社工+乡村”")[0].tokens[1].1, 2, "quoted phrase keeps the gap");
        assert!(parse("，。！").is_empty());
    }

    #[test]
    fn long_queries_are_cut_by_characters() {
        let long = "社会工作".repeat(100);
        let (searched, was_cut) = cut(&long);
        assert!(was_cut);
        assert_eq!(searched.chars().count(), MAX_QUERY_CHARS);
        assert_eq!(parse(&long), parse(searched));
        // Characters outside the BMP count once (JavaScript cuts code points too).
        let astral = "𠀋".repeat(MAX_QUERY_CHARS);
        assert_eq!(cut(&astral), (astral.as_str(), false));
        assert_eq!(cut(&format!("{astral}社")).0, astral);
    }

    #[test]
    fn phrase_counting() {
        let a: &[u32] = &[0, 5, 9];
        let b: &[u32] = &[1, 6, 20];
        assert_eq!(phrase_count(&[a, b], &[0, 1]), (2, Some(0)));
        assert_eq!(phrase_count(&[a, b], &[0, 2]), (0, None));
    }

    #[test]
    fn chunks_cover_the_text() {
        let text = "社会工作。".repeat(1000);
        let c = chunks(&text);
        assert!(c.len() > 1);
        assert_eq!(c[0].1.start, 0);
        assert_eq!(c.last().unwrap().1.end, text.len());
        let all = analyzer::tokenize(&text);
        for (first, range) in &c {
            let local = analyzer::tokenize(&text[range.clone()]);
            let global: Vec<_> =
                all.iter().filter(|t| t.position / CHUNK_POSITIONS == first / CHUNK_POSITIONS).collect();
            assert_eq!(local.len(), global.len());
            for (l, g) in local.iter().zip(global) {
                assert_eq!((&l.text, l.position + first), (&g.text, g.position));
            }
        }
    }
}
