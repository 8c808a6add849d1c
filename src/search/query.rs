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
            split_at_gaps(&analyzer::tokenize_query(chunk), &mut parts);
        }
        if let Some(q) = quoted {
            let tokens = analyzer::tokenize_query(&join_han(q));
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
    /// The idf (summed over the part's tokens, in order) and the matches of `part` in field `f`,
    /// in doc order. With `exact` false a match's count may be a bound of it (see
    /// [`FieldMatch::exact`]). By default from [`Source::term`]'s postings, all exact.
    fn matches(&self, f: FieldKind, part: &Part, exact: bool) -> Result<(f32, Vec<FieldMatch>)> {
        let _ = exact;
        field_matches(self, f, part)
    }
    /// The exact count of `part` in field `f` of each of `docs`.
    fn counts(&self, f: FieldKind, part: &Part, docs: &[u32]) -> Result<Vec<u32>> {
        let (_, rows) = field_matches(self, f, part)?;
        Ok(docs.iter().map(|d| rows.binary_search_by_key(d, |m| m.doc).map_or(0, |i| rows[i].freq)).collect())
    }
    /// The first position of `part` in field `f` of `doc`, if it is there and `f` has positions.
    fn first_position(&self, f: FieldKind, part: &Part, doc: u32) -> Result<Option<u32>> {
        first_position_from_terms(self, f, part, doc)
    }
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

/// Number of places where the phrase's tokens sit at their relative positions, and the first.
pub fn phrase_count(positions: &[&[u32]], rel: &[u32]) -> (u32, Option<u32>) {
    phrase_count_with(positions, rel, &mut Vec::new())
}

/// [`phrase_count`] with the caller's scratch space. The shortest list leads: each of its
/// positions gives the place the phrase would start, and every other list is searched for its
/// token there, galloping forward from where it last stopped (places only grow), so a doc
/// costs about the shortest list's length times the log of the others'.
pub fn phrase_count_with<L: AsRef<[u32]>>(
    positions: &[L],
    rel: &[u32],
    cursors: &mut Vec<usize>,
) -> (u32, Option<u32>) {
    phrase_scan(positions, rel, cursors, false)
}

fn phrase_scan<L: AsRef<[u32]>>(
    positions: &[L],
    rel: &[u32],
    cursors: &mut Vec<usize>,
    first_only: bool,
) -> (u32, Option<u32>) {
    let n = positions.len();
    if n == 0 || rel.len() < n {
        return (0, None);
    }
    let lead = (0..n).min_by_key(|&i| (positions[i].as_ref().len(), i)).unwrap_or(0);
    cursors.clear();
    cursors.resize(n, 0);
    let mut count = 0;
    let mut first = None;
    'outer: for &q in positions[lead].as_ref() {
        let Some(start) = q.checked_sub(rel[lead]) else { continue };
        for (i, list) in positions.iter().enumerate() {
            if i == lead {
                continue;
            }
            let Some(want) = start.checked_add(rel[i]) else { continue 'outer };
            let list = list.as_ref();
            let c = gallop(list, cursors[i], want);
            cursors[i] = c;
            if list.get(c) != Some(&want) {
                continue 'outer;
            }
        }
        count += 1;
        first.get_or_insert(start);
        if first_only {
            break;
        }
    }
    (count, first)
}

/// The first place of the phrase (see [`phrase_count_with`]), stopping there.
pub fn phrase_first<L: AsRef<[u32]>>(positions: &[L], rel: &[u32], cursors: &mut Vec<usize>) -> Option<u32> {
    phrase_scan(positions, rel, cursors, true).1
}

/// The first index at or after `from` whose value is at least `want` (`list.len()` if none),
/// `list` being sorted.
fn gallop(list: &[u32], from: usize, want: u32) -> usize {
    if list.get(from).is_none_or(|&x| x >= want) {
        return from;
    }
    // list[lo] < want throughout; the answer is in (lo, hi].
    let (mut lo, mut step) = (from, 1);
    let mut hi = from + 1;
    while hi < list.len() && list[hi] < want {
        lo = hi;
        step *= 2;
        hi = lo + step;
    }
    let hi = hi.min(list.len());
    lo + 1 + list[lo + 1..hi].partition_point(|&x| x < want)
}

/// A match of a part in one field of a doc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldMatch {
    pub doc: u32,
    /// The part's count in the field (a phrase's places).
    pub freq: u32,
    /// The field-norm id of the doc.
    pub norm: u8,
    /// Whether `freq` is the count; if not, it is a bound of it (the count is at least 1).
    pub exact: bool,
}

/// [`Source::matches`] from the tokens' whole postings.
fn field_matches<S: Source + ?Sized>(source: &S, f: FieldKind, part: &Part) -> Result<(f32, Vec<FieldMatch>)> {
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
            .map(|i| FieldMatch { doc: p.docs[i], freq: p.tfs[i], norm: p.norms[i], exact: true })
            .collect();
        return Ok((idf_sum, rows));
    }
    let rel: Vec<u32> = part.tokens.iter().map(|(_, r)| *r).collect();
    let mut cursors = vec![0usize; lists.len()];
    let mut scratch = Vec::new();
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
        let positions: Vec<&[u32]> =
            lists.iter().zip(&idx).map(|(l, &i)| l.positions.get(i).map_or(&[][..], Vec::as_slice)).collect();
        let (count, _) = phrase_count_with(&positions, &rel, &mut scratch);
        if count > 0 {
            rows.push(FieldMatch { doc, freq: count, norm: lists[0].norms[i0], exact: true });
        }
    }
    Ok((idf_sum, rows))
}

/// [`Source::first_position`] from the tokens' whole postings.
fn first_position_from_terms<S: Source + ?Sized>(
    source: &S,
    f: FieldKind,
    part: &Part,
    doc: u32,
) -> Result<Option<u32>> {
    if !f.has_positions() {
        return Ok(None);
    }
    let mut lists = Vec::with_capacity(part.tokens.len());
    for (t, _) in &part.tokens {
        let Some((_, p)) = source.term(f, t)? else { return Ok(None) };
        let Ok(i) = p.docs.binary_search(&doc) else { return Ok(None) };
        lists.push(p.positions.get(i).cloned().unwrap_or_default());
    }
    let rel: Vec<u32> = part.tokens.iter().map(|(_, r)| *r).collect();
    Ok(phrase_count_with(&lists, &rel, &mut Vec::new()).1)
}

/// A ranked result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub score: f32,
}

/// Ranks every page matching all parts (and the `allowed` doc filter), best first.
pub fn rank(source: &dyn Source, parts: &[Part], allowed: Option<&[u32]>) -> Result<Vec<Hit>> {
    if parts.is_empty() {
        return Ok(Vec::new());
    }
    // (doc, score so far), by doc: the docs matching every part so far.
    let mut acc: Vec<(u32, f32)> = Vec::new();
    for (k, part) in parts.iter().enumerate() {
        let (title, body) = part.fields();
        let mut fields = Vec::with_capacity(2);
        for f in [title, body] {
            let (idf, rows) = source.matches(f, part, true)?;
            let cache = source.tf_cache(f);
            let scored: Vec<(u32, f32)> = rows
                .iter()
                .map(|m| {
                    (m.doc, field_score(idf, m.freq, cache.get(m.norm as usize).copied().unwrap_or(0.0), f.boost()))
                })
                .collect();
            fields.push(scored);
        }
        let part_scores = merge_by_doc(&fields[0], &fields[1], part_score);
        acc = if k == 0 {
            part_scores
        } else {
            merge_by_doc(&acc, &part_scores, |a, p| match (a, p) {
                (Some(a), Some(p)) => Some(add_part(a, p)),
                _ => None,
            })
        };
        if acc.is_empty() {
            break;
        }
    }
    let mut hits: Vec<Hit> = acc
        .into_iter()
        .filter(|(doc, _)| allowed.is_none_or(|a| a.binary_search(doc).is_ok()))
        .map(|(doc, score)| Hit { doc, score })
        .collect();
    hits.sort_unstable_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
    Ok(hits)
}

/// A part's score in a doc from its title and body scores: 0 + title + body, in that order (as
/// the client adds them); `None` if neither field holds the part.
fn part_score(title: Option<f32>, body: Option<f32>) -> Option<f32> {
    match (title, body) {
        (Some(t), Some(b)) => Some(0.0 + t + b),
        (Some(s), None) | (None, Some(s)) => Some(0.0 + s),
        (None, None) => None,
    }
}

/// A page's score so far plus its next part's score.
fn add_part(so_far: f32, part: f32) -> f32 {
    so_far + part
}

/// The score of a doc matching every part, from its (title, body) field scores per part, in
/// the parts' order: the same steps as [`rank`].
fn doc_score(per_part: impl IntoIterator<Item = (Option<f32>, Option<f32>)>) -> Option<f32> {
    let mut total: Option<f32> = None;
    for (t, b) in per_part {
        let p = part_score(t, b)?;
        total = Some(total.map_or(p, |so_far| add_part(so_far, p)));
    }
    total
}

/// The best `limit` pages matching all parts (and `allowed`), best first, exactly as the first
/// `limit` of [`rank`], and how many pages match. Phrase counts are first only bounded (the
/// least of the tokens' frequencies; whether a page holds the phrase at all is exact, so the
/// total is): pages are taken in the order of the score that bound gives, and counted exactly
/// only until the `limit`-th best exact score is above the next page's bound. A common phrase
/// (社会工作, in nearly every page) then reads each page's positions only up to its first place.
pub fn top(source: &dyn Source, parts: &[Part], allowed: Option<&[u32]>, limit: usize) -> Result<(Vec<Hit>, usize)> {
    if parts.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let (lists, mut docs) = part_matches(source, parts)?;
    if let Some(a) = allowed {
        docs = intersect(&docs, a);
    }
    let total = docs.len();
    let score_of = |doc: u32, exact: &dyn Fn(usize, usize, &FieldMatch) -> u32| {
        doc_score(lists.iter().enumerate().map(|(k, fields)| {
            let mut s = [None, None];
            for (j, (f, idf, matches)) in fields.iter().enumerate() {
                if let Ok(i) = matches.binary_search_by_key(&doc, |m| m.doc) {
                    let m = &matches[i];
                    let cache = source.tf_cache(*f);
                    let norm = cache.get(m.norm as usize).copied().unwrap_or(0.0);
                    s[j] = Some(field_score(*idf, exact(k, j, m), norm, f.boost()));
                }
            }
            (s[0], s[1])
        }))
        .unwrap_or(0.0)
    };
    // (bound, doc) of every matching doc, merged per field and part in the steps of `rank`.
    let mut by_doc: Vec<(u32, f32)> = Vec::new();
    for (k, fields) in lists.iter().enumerate() {
        let [t, b] = fields.each_ref().map(|(f, idf, matches)| {
            let cache = source.tf_cache(*f);
            let norm = |m: &FieldMatch| cache.get(m.norm as usize).copied().unwrap_or(0.0);
            matches.iter().map(|m| (m.doc, field_score(*idf, m.freq, norm(m), f.boost()))).collect::<Vec<_>>()
        });
        let part = merge_by_doc(&t, &b, part_score);
        by_doc = if k == 0 {
            part
        } else {
            merge_by_doc(&by_doc, &part, |a, p| match (a, p) {
                (Some(a), Some(p)) => Some(add_part(a, p)),
                _ => None,
            })
        };
    }
    if allowed.is_some() {
        by_doc.retain(|(d, _)| docs.binary_search(d).is_ok());
    }
    let mut bounds: Vec<(f32, u32)> = by_doc.into_iter().map(|(d, s)| (s, d)).collect();
    let by_bound = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    let better = |a: &Hit, b: &Hit| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc));
    let mut hits: Vec<Hit> = Vec::new();
    let mut next = 0;
    let mut batch = limit.max(1) * 2;
    // `bounds[..sorted]` is in order and holds the best bounds; the rest is not sorted.
    let mut sorted = 0;
    while next < bounds.len() && limit > 0 {
        if sorted <= next {
            // Bring the next best bounds forward (a selection, then a sort of those only).
            let want = (next + batch).min(bounds.len());
            let rest = &mut bounds[next..];
            if want - next < rest.len() {
                rest.select_nth_unstable_by(want - next - 1, by_bound);
            }
            bounds[next..want].sort_unstable_by(by_bound);
            sorted = want;
        }
        if hits.len() >= limit {
            // A margin for f32 rounding: a bound is computed in the same steps as the score,
            // from a count at least as large, so it is not below the score but by rounding.
            let kth = hits[limit - 1].score;
            let bound = bounds[next].0;
            if kth > bound + bound.abs() * 1e-4 {
                break;
            }
        }
        let chunk: Vec<u32> = bounds[next..(next + batch).min(sorted)].iter().map(|b| b.1).collect();
        next += chunk.len();
        batch *= 2;
        // Exact counts of the chunk's docs wherever a field's count is only bounded.
        let mut exact: std::collections::HashMap<(usize, usize, u32), u32> = std::collections::HashMap::new();
        for (k, fields) in lists.iter().enumerate() {
            for (j, (f, _, matches)) in fields.iter().enumerate() {
                let inexact: Vec<u32> = chunk
                    .iter()
                    .copied()
                    .filter(|d| matches.binary_search_by_key(d, |m| m.doc).is_ok_and(|i| !matches[i].exact))
                    .collect();
                if inexact.is_empty() {
                    continue;
                }
                for (d, c) in inexact.iter().zip(source.counts(*f, &parts[k], &inexact)?) {
                    exact.insert((k, j, *d), c);
                }
            }
        }
        for &doc in &chunk {
            let score =
                score_of(doc, &|k, j, m| if m.exact { m.freq } else { exact.get(&(k, j, doc)).copied().unwrap_or(0) });
            hits.push(Hit { doc, score });
        }
        hits.sort_unstable_by(better);
        hits.truncate(limit);
    }
    Ok((hits, total))
}

/// Per part, its (field, idf, matches) in title and body, counts only bounded (see [`top`]).
type PartMatches = Vec<[(FieldKind, f32, Vec<FieldMatch>); 2]>;

/// The parts' matches and the docs holding every part, by doc.
fn part_matches(source: &dyn Source, parts: &[Part]) -> Result<(PartMatches, Vec<u32>)> {
    let mut lists: PartMatches = Vec::with_capacity(parts.len());
    let mut docs: Option<Vec<u32>> = None;
    for part in parts {
        let (title, body) = part.fields();
        let (ti, tm) = source.matches(title, part, false)?;
        let (bi, bm) = source.matches(body, part, false)?;
        // Docs holding the part in either field, then those holding every part so far.
        let t: Vec<(u32, f32)> = tm.iter().map(|m| (m.doc, 0.0)).collect();
        let b: Vec<(u32, f32)> = bm.iter().map(|m| (m.doc, 0.0)).collect();
        let either: Vec<u32> = merge_by_doc(&t, &b, |_, _| Some(0.0)).into_iter().map(|(d, _)| d).collect();
        docs = Some(match docs {
            None => either,
            Some(prev) => intersect(&prev, &either),
        });
        lists.push([(title, ti, tm), (body, bi, bm)]);
        if docs.as_ref().is_some_and(Vec::is_empty) {
            break;
        }
    }
    Ok((lists, docs.unwrap_or_default()))
}

/// The docs matching every part (and `allowed`), by doc: the pages [`rank`] ranks, found
/// without counting phrases.
pub fn matching_docs(source: &dyn Source, parts: &[Part], allowed: Option<&[u32]>) -> Result<Vec<u32>> {
    if parts.is_empty() {
        return Ok(Vec::new());
    }
    let docs = part_matches(source, parts)?.1;
    Ok(match allowed {
        Some(a) => intersect(&docs, a),
        None => docs,
    })
}

/// The docs in both sorted lists.
fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len().min(b.len()));
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// Two lists sorted by doc merged into one: `join` gets each doc's value from either side and
/// says what the doc keeps (`None` drops it).
fn merge_by_doc(
    a: &[(u32, f32)],
    b: &[(u32, f32)],
    join: impl Fn(Option<f32>, Option<f32>) -> Option<f32>,
) -> Vec<(u32, f32)> {
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let (doc, x, y) = match (a.get(i), b.get(j)) {
            (Some(&(da, x)), Some(&(db, y))) if da == db => {
                i += 1;
                j += 1;
                (da, Some(x), Some(y))
            }
            (Some(&(da, x)), Some(&(db, _))) if da < db => {
                i += 1;
                (da, Some(x), None)
            }
            (Some(&(da, x)), None) => {
                i += 1;
                (da, Some(x), None)
            }
            (_, Some(&(db, y))) => {
                j += 1;
                (db, None, Some(y))
            }
            (None, None) => break,
        };
        if let Some(v) = join(x, y) {
            out.push((doc, v));
        }
    }
    out
}

/// The first body position where a part of the query matches `doc` (for the snippet), if the
/// body holds one: read for the results shown only.
pub fn body_position(source: &dyn Source, parts: &[Part], doc: u32) -> Result<Option<u32>> {
    let mut first: Option<u32> = None;
    for part in parts {
        let (_, body) = part.fields();
        if let Some(p) = source.first_position(body, part, doc)? {
            first = Some(first.map_or(p, |f| f.min(p)));
        }
    }
    Ok(first)
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
    fn matches(&self, f: FieldKind, part: &Part, exact: bool) -> Result<(f32, Vec<FieldMatch>)> {
        let Some(m) = self.index.phrase_matches(f, &part.tokens, exact)? else { return Ok((0.0, Vec::new())) };
        let mut idf_sum = 0.0f32;
        for &df in &m.doc_freqs {
            idf_sum += self.index.idf(df);
        }
        let rows =
            m.rows.into_iter().zip(m.exact).map(|((doc, freq, norm), exact)| FieldMatch { doc, freq, norm, exact });
        Ok((idf_sum, rows.collect()))
    }
    fn counts(&self, f: FieldKind, part: &Part, docs: &[u32]) -> Result<Vec<u32>> {
        self.index.phrase_counts(f, &part.tokens, docs)
    }
    fn first_position(&self, f: FieldKind, part: &Part, doc: u32) -> Result<Option<u32>> {
        self.index.first_phrase_position(f, &part.tokens, doc)
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
    let docs = matching_docs(&IndexSource::new(index), &parse(query), None)?;
    let mut hit = vec![false; index.num_docs() as usize];
    for &d in &docs {
        if let Some(slot) = hit.get_mut(d as usize) {
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
    let source = IndexSource::new(index);
    let (hits, total) = top(&source, &parts, allowed.as_deref(), options.limit)?;
    let mut results = Vec::new();
    for h in hits {
        let Some(d) = doc(h.doc)? else { continue };
        results.push(SearchResult {
            snippet: snippet(&d, body_position(&source, &parts, h.doc)?),
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
        assert_eq!(p("3.5万"), [v(&["3", "3.", "5", "万"], false)]);
        assert_eq!(p("1+10+N 第3"), [v(&["1", "1+", "10", "10+", "n"], false), v(&["第", "3"], false)]);
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
        // The shorter list leads; the count and first place are the same.
        let long: Vec<u32> = (0..200).collect();
        let short: &[u32] = &[3, 50, 199];
        assert_eq!(phrase_count(&[&long, short], &[0, 1]), (3, Some(2)));
        assert_eq!(phrase_count(&[short, &long], &[0, 1]), (2, Some(3)));
        assert_eq!(phrase_count(&[&long, short, &long], &[0, 1, 2]), (2, Some(2)));
        assert_eq!(phrase_count(&[short, short], &[0, 3]), (0, None));
        // Against the definition, on lists of every density.
        let mut seed = 7u32;
        let mut next = || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            seed >> 16
        };
        for round in 0..300 {
            let lists: Vec<Vec<u32>> = (0..2 + round % 3)
                .map(|_| {
                    let density = 1 + next() % 20;
                    (0..400).filter(|_| next() % 20 < density).collect()
                })
                .collect();
            let rel: Vec<u32> = (0..lists.len() as u32).map(|i| i * (1 + round as u32 % 2)).collect();
            let expected: Vec<u32> = lists[0]
                .iter()
                .copied()
                .filter(|&p| lists.iter().zip(&rel).all(|(l, r)| l.contains(&(p + r))))
                .collect();
            let refs: Vec<&[u32]> = lists.iter().map(Vec::as_slice).collect();
            assert_eq!(phrase_count(&refs, &rel), (expected.len() as u32, expected.first().copied()), "round {round}");
        }
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
