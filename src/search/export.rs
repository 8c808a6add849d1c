//! The static export under `public/search/`, read from tantivy's own term dictionary, postings
//! and field norms. Every file is gzip-compressed in itself (the client decompresses), so any
//! static server works; each also has a `.js` twin for pages opened from `file://`, where
//! `fetch()` is blocked and data can only arrive through `<script>` elements.
//!
//! Files (all little-endian varints unless noted; `str` = varint byte length + UTF-8):
//! - `manifest`: JSON — doc count, shard count, token totals and tantivy's field norms (the
//!   client computes BM25's length normalisation from them), facet values.
//! - `norms/<field>`: one field-norm id byte per doc, for queries whose every body token is
//!   common (title lists carry their docs' norms at any length).
//! - `dict/<shard>`: terms hashed (FNV-1a) into shards; per term and field: df, idf (f32),
//!   postings inline or in `post/<shard>-<k>` (the shard's k-th long list), so an edit of one
//!   page changes only the shards of its terms. The title field also holds each title's
//!   *pairs* (three Han characters: two bigrams at consecutive positions, [`title_pairs`]).
//! - postings: doc-id deltas, term frequencies, (short lists) field-norm ids, and (short body
//!   lists) chunk masks: bit k = the term occurs in text chunk k, so phrase checks read only
//!   those chunks.
//! - `doc/<doc/256>/<doc>`: a page's metadata and its text in chunks of `CHUNK_POSITIONS`
//!   tokens (chunk masks name them), with the traditional characters it uses.
//! - `facet/<name>`: doc lists per facet value.
//! - `t2s/<block>`: traditional → simplified pairs for code points `block*256 ..`.
//! - `near/<c/256>/<c>`: a character's neighbours in the bigram dictionary, for suggestions
//!   when a query finds nothing (`nearby::encode_neighbours`).
//! - `shingle/<shard>`: the site's *shingles* ([`Shingles`]), hashed: every two and three tokens
//!   at consecutive positions of a title or text, so a phrase holding one that no page holds is
//!   known to match nothing before any list or page is read.

use super::index::{Detail, SearchIndex, TermPostings};
use super::query::chunks;
use super::{CHUNK_POSITIONS, FACETS, FieldKind, SearchDoc};
use crate::Result;
use crate::output::Sink;
use crate::render::OutputFile;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// Postings longer than this (bytes, before compression) get their own file.
const INLINE_LIMIT: usize = 256;
/// Target size of a dictionary shard before compression.
const SHARD_BYTES: usize = 8 * 1024;
/// libdeflate's level for search files (1–12). At 10k pages, level 1 writes 4% more bytes than
/// level 2 (1% more per query) and saves about 0.8 s of CPU; level 2 fetched 0.7% more per query
/// than level 6. All beat zlib at level 3 in size and speed.
const GZIP_LEVEL: i32 = 1;

/// Chunk masks have this many bits; later chunks share the last bit.
pub const MASK_BITS: u32 = 52;
/// Dictionary shards (and their long postings) per `<script>` bundle.
const SHARDS_PER_BUNDLE: u32 = 64;
/// Docs per doc folder and doc bundle.
const DOCS_PER_GROUP: usize = 256;

/// A growable byte buffer with the export's encodings.
#[derive(Default)]
pub struct Buf(pub Vec<u8>);

impl Buf {
    pub fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8 & 0x7f) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }
    pub fn str(&mut self, s: &str) {
        self.varint(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }
    pub fn f32(&mut self, v: f32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    /// A sorted doc list as deltas (the first id as is); `Reader.prototype.docList` reads it.
    pub fn doc_deltas(&mut self, docs: &[u32]) {
        let mut prev = 0u32;
        for &d in docs {
            self.varint((d - prev) as u64);
            prev = d;
        }
    }
    pub fn bytes(&mut self, b: &[u8]) {
        self.varint(b.len() as u64);
        self.0.extend_from_slice(b);
    }
}

/// FNV-1a over UTF-8 bytes; `search.js` computes the same with `Math.imul`.
pub fn fnv1a(s: &str) -> u32 {
    let mut h: u32 = 0x811c9dc5;
    for b in s.bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x01000193);
    }
    h
}

/// FNV-1a continued over more bytes.
fn fnv1a_more(mut h: u32, bytes: &[u8]) -> u32 {
    for &b in bytes {
        h ^= b as u32;
        h = h.wrapping_mul(0x01000193);
    }
    h
}

/// Bytes of a shingle shard before compression, about (two bytes an entry): a phrase query
/// reads one shard per three-token shingle it looks up (at 10k pages, 1 KB shards added 2 KB to
/// the median query).
const SHINGLE_SHARD_BYTES: u64 = 512;
/// Bits a shingle's hash keeps beyond those that number the site's shingles: a phrase holding a
/// shingle no page holds is missed (and checked page by page, as before) about once in 2^10.
const SHINGLE_SPARE_BITS: u32 = 10;

/// The site's *shingles*: every two and every three tokens at consecutive positions of a
/// field value (title, title pinyin, text), hashed (FNV-1a of the token texts joined by U+0001),
/// with how many docs hold each. A phrase occurs in a doc only where each of its shingles does,
/// so a phrase with a shingle that no doc holds matches nothing: the client knows that from one
/// small file per shingle it looks up, instead of checking every page holding its bigrams (a
/// typo of common bigrams, `为党的人`, read 2,800 pages at 10k). Hash collisions only make a
/// missing shingle look present (the phrase is then checked as before), so results are exact.
#[derive(Default, Clone)]
pub struct Shingles(HashMap<u32, u32, FnvBuild>);

impl Shingles {
    /// The shingles of every doc (which must still hold its text).
    pub fn of(docs: &[Arc<SearchDoc>]) -> Shingles {
        let counts = docs
            .par_iter()
            .fold(HashMap::default, |mut m: HashMap<u32, u32, FnvBuild>, d| {
                for h in doc_shingles(d) {
                    *m.entry(h).or_default() += 1;
                }
                m
            })
            .reduce(HashMap::default, |a, b| {
                let (mut big, small) = if a.len() >= b.len() { (a, b) } else { (b, a) };
                for (h, n) in small {
                    *big.entry(h).or_default() += n;
                }
                big
            });
        Shingles(counts)
    }

    fn add(&mut self, hashes: &[u32], delta: i64) {
        for &h in hashes {
            let n = self.0.entry(h).or_default();
            *n = (*n as i64 + delta).max(0) as u32;
            if *n == 0 {
                self.0.remove(&h);
            }
        }
    }

    /// How far hashes are shifted right: they keep `SHINGLE_SPARE_BITS` more bits than the
    /// count of shingles needs.
    fn shift(&self) -> u32 {
        let needed = (self.0.len().max(1) as u64).next_power_of_two().trailing_zeros() + SHINGLE_SPARE_BITS;
        32u32.saturating_sub(needed)
    }

    fn shards(&self) -> u32 {
        ((self.0.len() as u64 * 2).div_ceil(SHINGLE_SHARD_BYTES)).max(1) as u32
    }

    /// Every shard's file: a count, then the sorted keys (`hash >> shift`) divided by the shard
    /// count, times two, plus one where the shingle has a span list (its hash is in `listed`,
    /// see [`Spans`]), as deltas; shard `key % shards`.
    fn files(&self, only: Option<std::ops::Range<u32>>, listed: &HashSet<u32>) -> Vec<OutputFile> {
        let (shift, shards) = (self.shift(), self.shards());
        let range = only.unwrap_or(0..shards);
        let mut buckets: Vec<Vec<u32>> = vec![Vec::new(); range.len()];
        for &h in self.0.keys() {
            let key = h >> shift;
            let s = key % shards;
            if range.contains(&s) {
                buckets[(s - range.start) as usize].push(key / shards * 2 + listed.contains(&h) as u32);
            }
        }
        buckets
            .into_par_iter()
            .enumerate()
            .flat_map_iter(|(i, mut keys)| {
                keys.sort_unstable();
                keys.dedup();
                let mut b = Buf::default();
                b.varint(keys.len() as u64);
                b.doc_deltas(&keys);
                data_files(&format!("shingle/{}", range.start + i as u32), &b.0)
            })
            .collect()
    }
}

/// The hashes of doc `d`'s shingles (see [`Shingles`]), sorted, each once.
fn doc_shingles(d: &SearchDoc) -> Vec<u32> {
    let pinyin = super::title_pinyin(&d.title);
    let mut out = Vec::new();
    let mut arena = String::new();
    let mut tokens: Vec<(u32, usize, usize)> = Vec::new();
    for text in [&d.title, &pinyin, &d.text] {
        value_shingles(text, &mut arena, &mut tokens, &mut out);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Runs of tokens at one position (positions never decrease): (position, first, end) indexes.
fn position_groups(tokens: &[(u32, usize, usize)]) -> Vec<(u32, usize, usize)> {
    let mut groups: Vec<(u32, usize, usize)> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        match groups.last_mut() {
            Some(g) if g.0 == t.0 => g.2 = i + 1,
            _ => groups.push((t.0, i, i + 1)),
        }
    }
    groups
}

/// Appends the shingle hashes of one field value to `out` (repeats included).
fn value_shingles(text: &str, arena: &mut String, tokens: &mut Vec<(u32, usize, usize)>, out: &mut Vec<u32>) {
    use super::analyzer::TokenIter;
    arena.clear();
    tokens.clear();
    let mut it = TokenIter::new(text);
    let mut buf = String::new();
    while let Some((position, _, _)) = it.next_into(&mut buf) {
        let from = arena.len();
        arena.push_str(&buf);
        tokens.push((position, from, arena.len()));
    }
    let groups = position_groups(tokens);
    let text_of = |i: usize| &arena.as_bytes()[tokens[i].1..tokens[i].2];
    for (k, &(p, a0, a1)) in groups.iter().enumerate() {
        let Some(&(_, b0, b1)) = groups.get(k + 1).filter(|g| g.0 == p + 1) else { continue };
        let third = groups.get(k + 2).filter(|g| g.0 == p + 2).copied();
        for a in a0..a1 {
            let ha = fnv1a_more(0x811c9dc5, text_of(a));
            for b in b0..b1 {
                let hab = fnv1a_more(fnv1a_more(ha, &[1]), text_of(b));
                out.push(hab);
                if let Some((_, c0, c1)) = third {
                    for c in c0..c1 {
                        out.push(fnv1a_more(fnv1a_more(hab, &[1]), text_of(c)));
                    }
                }
            }
        }
    }
}

/// Docs a list may hold and still carry field norms and chunk masks, and what a token's body
/// list must exceed for the token to be *common* (its list carries neither): one doc in
/// `NORM_SHARE` of the site, at least `NORM_MIN`.
pub fn long_list(docs: usize) -> u32 {
    (docs / NORM_SHARE).max(NORM_MIN) as u32
}

/// The body lists of *rare spans of common tokens*: two or three tokens at consecutive
/// positions (the windows [`Shingles`] counts), each token common (its body list longer than
/// [`long_list`]) while the window itself is on at most [`long_list`] docs. A phrase made only
/// of common tokens has only long lists without chunk masks, so the client had to check the
/// text of every page holding them (a rare phrase of common bigrams read 50 MB at 100k pages);
/// a span list names every page holding the span (with chunk masks and norms, as short lists
/// have), so the pages to check are those of the phrase's rarest listed span.
///
/// A span is a term of the body field whose text is its tokens joined by U+0001 (no token holds
/// that character), so its hash is the shingle's. Every such window of a title, title pinyin or
/// text has a term, with an empty list when no text holds it; the shingle files mark these
/// windows (`listed`), so the client asks for a span's list only where one exists. A hash
/// collision can only mark a window that has no term: the client then finds no entry and reads
/// the pages as before.
#[derive(Default)]
pub struct Spans(BTreeMap<String, Rows>);

impl Spans {
    /// The spans of `docs` (which must still hold their text); `common` holds the body's common
    /// tokens, `shingles` the docs' shingle counts.
    pub fn of(docs: &[Arc<SearchDoc>], common: &HashSet<String, FnvBuild>, shingles: &Shingles) -> Spans {
        let limit = long_list(docs.len());
        if common.is_empty() {
            return Spans::default();
        }
        let listed = |h: u32| shingles.0.get(&h).is_some_and(|&n| n <= limit);
        let per_doc: Vec<Vec<(String, u32, u64, bool)>> = docs
            .par_iter()
            .map(|d| {
                let mut found: BTreeMap<String, (u32, u64, bool)> = BTreeMap::new();
                let pinyin = super::title_pinyin(&d.title);
                for (text, body) in [(&d.title, false), (&pinyin, false), (&d.text, true)] {
                    value_spans(text, common, &listed, |term, position| {
                        let e = found.entry(term).or_insert((0, 0, false));
                        if body {
                            e.0 += 1;
                            e.1 |= chunk_mask(&[position]);
                            e.2 = true;
                        }
                    });
                }
                found.into_iter().map(|(t, (tf, mask, body))| (t, tf, mask, body)).collect()
            })
            .collect();
        let mut out: BTreeMap<String, Rows> = BTreeMap::new();
        for (d, spans) in per_doc.into_iter().enumerate() {
            for (term, tf, mask, body) in spans {
                let rows = out.entry(term).or_default();
                if body {
                    rows.docs.push(d as u32);
                    rows.tfs.push(tf);
                    rows.masks.push(mask);
                }
            }
        }
        Spans(out)
    }

    /// The body's common tokens, as tantivy counted them.
    pub fn common_tokens(index: &SearchIndex) -> Result<HashSet<String, FnvBuild>> {
        let limit = long_list(index.num_docs() as usize);
        Ok(index
            .terms_with_prefix(FieldKind::Body, "")?
            .into_iter()
            .filter(|(_, df)| *df > limit)
            .map(|(t, _)| t)
            .collect())
    }
}

/// Whether `term` is a span ([`Spans`]) rather than a token.
fn is_span(term: &str) -> bool {
    term.contains('\u{1}')
}

/// Calls `found(term, position)` for every two and three tokens of `text` at consecutive
/// positions, each token in `common`, whose shingle hash is `listed`.
fn value_spans(
    text: &str,
    common: &HashSet<String, FnvBuild>,
    listed: &dyn Fn(u32) -> bool,
    mut found: impl FnMut(String, u32),
) {
    use super::analyzer::TokenIter;
    let mut it = TokenIter::new(text);
    let mut buf = String::new();
    // Common tokens: (position, start, end in `arena`); a position may hold several.
    let mut arena = String::new();
    let mut tokens: Vec<(u32, usize, usize)> = Vec::new();
    while let Some((position, _, _)) = it.next_into(&mut buf) {
        if common.contains(buf.as_str()) {
            let from = arena.len();
            arena.push_str(&buf);
            tokens.push((position, from, arena.len()));
        }
    }
    let groups = position_groups(&tokens);
    let text_of = |i: usize| &arena[tokens[i].1..tokens[i].2];
    for (k, &(p, a0, a1)) in groups.iter().enumerate() {
        let Some(&(_, b0, b1)) = groups.get(k + 1).filter(|g| g.0 == p + 1) else { continue };
        let third = groups.get(k + 2).filter(|g| g.0 == p + 2).copied();
        for a in a0..a1 {
            let ha = fnv1a(text_of(a));
            for b in b0..b1 {
                let hab = fnv1a_more(fnv1a_more(ha, &[1]), text_of(b).as_bytes());
                if let Some((_, c0, c1)) = third {
                    for c in c0..c1 {
                        if listed(fnv1a_more(fnv1a_more(hab, &[1]), text_of(c).as_bytes())) {
                            found(format!("{}\u{1}{}\u{1}{}", text_of(a), text_of(b), text_of(c)), p);
                        }
                    }
                }
                if listed(hab) {
                    found(format!("{}\u{1}{}", text_of(a), text_of(b)), p);
                }
            }
        }
    }
}

/// FNV-1a as a `Hasher`, for sets of short token texts looked up once per token of every page.
#[derive(Default, Clone, Copy)]
pub struct FnvBuild;

pub struct FnvHasher(u32);

impl std::hash::BuildHasher for FnvBuild {
    type Hasher = FnvHasher;
    fn build_hasher(&self) -> FnvHasher {
        FnvHasher(0x811c9dc5)
    }
}

impl std::hash::Hasher for FnvHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv1a_more(self.0, bytes);
    }
    fn finish(&self) -> u64 {
        // Spread over 64 bits: the table takes its tag bits from the top.
        (self.0 as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }
}

/// gzip with libdeflate's fixed header (no name, mtime 0), so output is byte-identical between
/// builds. The compressor is kept per thread: allocating it for each of thousands of small files
/// cost more than compressing them.
fn gzip(data: &[u8]) -> Vec<u8> {
    use std::cell::RefCell;
    thread_local! {
        static DEFLATE: RefCell<libdeflater::Compressor> =
            RefCell::new(libdeflater::Compressor::new(libdeflater::CompressionLvl::new(GZIP_LEVEL).unwrap_or_default()));
    }
    DEFLATE.with(|d| {
        let mut d = d.borrow_mut();
        let mut out = vec![0; d.gzip_compress_bound(data.len())];
        let n = d.gzip_compress(data, &mut out).unwrap_or(0);
        out.truncate(n);
        out
    })
}

/// Appends standard base64 (with padding) of `data` to `out`, three bytes at a time.
fn base64_into(data: &[u8], out: &mut String) {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut buf = Vec::with_capacity(data.len().div_ceil(3) * 4);
    let mut groups = data.chunks_exact(3);
    for g in &mut groups {
        let n = u32::from(g[0]) << 16 | u32::from(g[1]) << 8 | u32::from(g[2]);
        buf.extend_from_slice(&[
            T[(n >> 18) as usize],
            T[(n >> 12 & 63) as usize],
            T[(n >> 6 & 63) as usize],
            T[(n & 63) as usize],
        ]);
    }
    match *groups.remainder() {
        [a] => {
            let n = u32::from(a) << 16;
            buf.extend_from_slice(&[T[(n >> 18) as usize], T[(n >> 12 & 63) as usize], b'=', b'=']);
        }
        [a, b] => {
            let n = u32::from(a) << 16 | u32::from(b) << 8;
            buf.extend_from_slice(&[
                T[(n >> 18) as usize],
                T[(n >> 12 & 63) as usize],
                T[(n >> 6 & 63) as usize],
                b'=',
            ]);
        }
        _ => {}
    }
    // Only characters of `T` and '=': ASCII.
    out.push_str(std::str::from_utf8(&buf).unwrap_or_default());
}

/// The compressed `.bin` file for a data file `name` (no extension).
fn data_files(name: &str, payload: &[u8]) -> [OutputFile; 1] {
    [OutputFile { path: format!("search/{name}.bin"), bytes: gzip(payload) }]
}

/// The `<script>` bundle that carries data file `name` for pages opened from `file://`
/// (bytes do not matter there, file counts do): `search.js` computes the same.
pub fn bundle_of(name: &str) -> String {
    let mut parts = name.split('/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(kind @ ("doc" | "near")), Some(group), Some(_)) => format!("{kind}-{group}"),
        (Some(kind @ ("post" | "dict" | "shingle")), Some(n), None) => {
            let shard = n.split('-').next().unwrap_or(n);
            format!("{kind}-{}", shard.parse::<u64>().unwrap_or(0) / SHARDS_PER_BUNDLE as u64)
        }
        _ => name.replace('/', "-"),
    }
}

/// Groups every `.bin` file into `search/js/<bundle>.js` scripts that hand the data to
/// `zhikuData(name, base64)`.
fn script_bundles(files: &[OutputFile]) -> Vec<OutputFile> {
    let mut bundles: BTreeMap<String, String> = BTreeMap::new();
    for f in files {
        let Some(name) = f.path.strip_prefix("search/").and_then(|p| p.strip_suffix(".bin")) else { continue };
        let js = bundles.entry(bundle_of(name)).or_default();
        js.push_str("zhikuData(\"");
        js.push_str(name);
        js.push_str("\",\"");
        base64_into(&f.bytes, js);
        js.push_str("\");\n");
    }
    bundles
        .into_iter()
        .map(|(b, js)| OutputFile { path: format!("search/js/{b}.js"), bytes: js.into_bytes() })
        .collect()
}

/// Lists of at most one doc in `NORM_SHARE` of the site (or `NORM_MIN` docs) carry norms.
const NORM_SHARE: usize = 16;
const NORM_MIN: usize = 64;
/// Bit of a dictionary entry's storage byte: the postings carry field-norm ids (bit 0: in a
/// `post/` file rather than inline).
const NORMS_FLAG: u8 = 2;
/// Bit of the storage byte: body postings without chunk masks (lists too long to carry norms).
const NO_MASKS_FLAG: u8 = 4;

/// `postings` as [`encode_postings`] wrote them, with each doc's field-norm id (a byte) after
/// the term frequencies.
fn with_norms(postings: &[u8], norms: &[u8], body: bool) -> Vec<u8> {
    let rows = Rows::decode(postings, body);
    let mut b = Buf::default();
    b.varint(rows.docs.len() as u64);
    b.doc_deltas(&rows.docs);
    for &tf in &rows.tfs {
        b.varint(tf as u64);
    }
    b.0.extend(rows.docs.iter().map(|&d| norms.get(d as usize).copied().unwrap_or(0)));
    for &mask in &rows.masks {
        b.varint(mask);
    }
    b.0
}

/// Body `postings` as [`encode_postings`] wrote them, without the chunk masks.
fn without_masks(postings: &[u8]) -> Vec<u8> {
    let rows = Rows::decode(postings, true);
    encode_postings(&rows.docs, &rows.tfs, None)
}

/// Postings as stored: count, doc-id deltas, term frequencies, and (body) chunk masks.
fn encode_postings(docs: &[u32], tfs: &[u32], masks: Option<&[u64]>) -> Vec<u8> {
    let mut b = Buf::default();
    b.varint(docs.len() as u64);
    b.doc_deltas(docs);
    for &tf in tfs {
        b.varint(tf as u64);
    }
    if let Some(m) = masks {
        for &mask in m {
            b.varint(mask);
        }
    }
    b.0
}

/// Decoded postings of one term in one field.
#[derive(Debug, Default)]
struct Rows {
    docs: Vec<u32>,
    tfs: Vec<u32>,
    /// Empty unless the field is the body.
    masks: Vec<u64>,
}

/// Reads the export's varints.
pub struct Cursor<'a>(pub &'a [u8], pub usize);

impl Cursor<'_> {
    pub fn varint(&mut self) -> u64 {
        let mut v = 0u64;
        let mut shift = 0;
        while let Some(&b) = self.0.get(self.1) {
            self.1 += 1;
            // Past 64 bits (bytes that are not a varint) the extra bits are dropped.
            v |= ((b & 0x7f) as u64).checked_shl(shift).unwrap_or(0);
            if b < 0x80 {
                break;
            }
            shift = shift.saturating_add(7);
        }
        v
    }
}

impl Rows {
    fn decode(bytes: &[u8], body: bool) -> Rows {
        let mut c = Cursor(bytes, 0);
        let n = c.varint() as usize;
        let mut rows = Rows { docs: Vec::with_capacity(n), tfs: Vec::with_capacity(n), masks: Vec::new() };
        let mut prev = 0u32;
        for _ in 0..n {
            prev += c.varint() as u32;
            rows.docs.push(prev);
        }
        rows.tfs.extend((0..n).map(|_| c.varint() as u32));
        if body {
            rows.masks.extend((0..n).map(|_| c.varint()));
        }
        rows
    }

    fn encode(&self, body: bool) -> Vec<u8> {
        encode_postings(&self.docs, &self.tfs, body.then_some(&self.masks[..]))
    }

    /// Sets (or, with `None`, removes) doc `d`'s row.
    fn set(&mut self, d: u32, row: Option<(u32, u64)>, body: bool) {
        match (self.docs.binary_search(&d), row) {
            (Ok(i), Some((tf, mask))) => {
                self.tfs[i] = tf;
                if body {
                    self.masks[i] = mask;
                }
            }
            (Ok(i), None) => {
                self.docs.remove(i);
                self.tfs.remove(i);
                if body {
                    self.masks.remove(i);
                }
            }
            (Err(i), Some((tf, mask))) => {
                self.docs.insert(i, d);
                self.tfs.insert(i, tf);
                if body {
                    self.masks.insert(i, mask);
                }
            }
            (Err(_), None) => {}
        }
    }
}

pub fn chunk_mask(positions: &[u32]) -> u64 {
    positions.iter().fold(0u64, |m, &p| m | 1u64 << (p / CHUNK_POSITIONS).min(MASK_BITS - 1))
}

fn varint_len(v: u64) -> u64 {
    (64 - v.max(1).leading_zeros() as u64).div_ceil(7)
}

/// One term's postings in one field, encoded as the files hold them.
#[derive(Debug, Clone, PartialEq)]
struct FieldEntry {
    df: u32,
    postings: Vec<u8>,
}

impl FieldEntry {
    /// Whether the entry is likely inline in its shard (with a norm byte per doc, as short
    /// lists are written). Only the shard count depends on it.
    fn inline(&self) -> bool {
        self.postings.len() + self.df as usize <= INLINE_LIMIT
    }
}

type TermEntry = [Option<FieldEntry>; 4];

/// Terms from (inclusive) and to (exclusive), as UTF-8 bytes; `None` is unbounded.
type TermRange = (Option<Vec<u8>>, Option<Vec<u8>>);

/// The body field's terms are read in this many ranges at once.
const BODY_RANGES: usize = 8;

/// `n` consecutive ranges covering every term (UTF-8 bytes, `None` unbounded): split evenly
/// over the common Han block, where nearly all terms of a Chinese site start.
fn term_ranges(n: usize) -> Vec<TermRange> {
    let bound = |k: usize| {
        let c = char::from_u32(0x4E00 + (0x9FFF - 0x4E00) * k as u32 / n as u32).unwrap_or('\u{4E00}');
        Some(c.to_string().into_bytes())
    };
    (0..n).map(|k| (if k == 0 { None } else { bound(k) }, if k + 1 == n { None } else { bound(k + 1) })).collect()
}

/// Bytes of a term's dictionary entry, not counting references to post files: the sum over
/// all terms sets the shard count, and it can be kept up to date term by term.
fn entry_size(term: &str, entry: &TermEntry) -> u64 {
    let mut n = varint_len(term.len() as u64) + term.len() as u64 + 1;
    for e in entry.iter().flatten() {
        n += varint_len(e.df as u64) + 4 + 1;
        if e.inline() {
            n += varint_len(e.postings.len() as u64) + e.postings.len() as u64 + e.df as u64;
        }
    }
    n
}

/// Facet value labels shown in the UI, e.g. `speech` → `讲话`.
pub type FacetLabels = BTreeMap<String, String>;

#[derive(serde::Serialize)]
struct Manifest<'a> {
    version: u32,
    docs: u32,
    shards: u32,
    chunk_positions: u32,
    mask_bits: u32,
    boost: [f32; 4],
    /// Tokens per field over all docs: with `fieldnorms`, the client computes BM25's length
    /// normalisation per field-norm id (`index::tf_cache`) in f32 as Rust does.
    total_tokens: [u64; 4],
    /// tantivy's field norm (token count, rounded down to one of 256 values) per field-norm id.
    fieldnorms: Vec<u32>,
    /// facet → [(value, label, count)], most frequent first.
    facets: BTreeMap<&'a str, Vec<(String, String, usize)>>,
    t2s_blocks: Vec<u32>,
    /// Shingle files ([`Shingles`], with the bit that marks span lists: a client of an earlier
    /// export, perhaps cached, knows only `shingle_shards` and so checks no shingle).
    shingles: ShingleInfo,
}

#[derive(serde::Serialize)]
struct ShingleInfo {
    shards: u32,
    /// How far a shingle's hash is shifted right.
    shift: u32,
}

/// The doc file of doc `i`: its metadata once, then its text chunks.
fn doc_file(i: usize, d: &SearchDoc) -> [OutputFile; 1] {
    let parts = chunks(&d.text);
    let mut b = Buf::default();
    for s in [&d.url, &d.title, &d.date, &d.kind, &d.kind_label, &d.region, &d.summary] {
        b.str(s);
    }
    b.varint(d.topics.len() as u64);
    for t in &d.topics {
        b.str(t);
    }
    b.varint(parts.len() as u64);
    for (first, range) in &parts {
        b.varint(*first as u64);
        b.str(&d.text[range.clone()]);
    }
    // The traditional characters of title and text, so the client folds them without loading
    // the whole table.
    let mut pairs: Vec<(char, char)> = Vec::new();
    for c in d.title.chars().chain(d.text.chars()) {
        if has_t2s_pairs(c) {
            t2s_pairs(c, |t, s| pairs.push((t, s)));
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    b.varint(pairs.len() as u64);
    for (t, s) in pairs {
        b.varint(t as u64);
        b.varint(s as u64);
    }
    data_files(&format!("doc/{}/{i}", i / DOCS_PER_GROUP), &b.0)
}

/// Calls `out(t, s)` for each character `t` that `c` stands for (itself, or its NFKC form) and
/// that folds to another character `s` by the traditional → simplified table.
fn t2s_pairs(c: char, mut out: impl FnMut(char, char)) {
    let mut each = |c: char| {
        let s = crate::fold::simplify(c);
        if s != c {
            out(c, s);
        }
    };
    if crate::fold::is_plain_han(c) { each(c) } else { super::analyzer::for_each_nfkc(c, each) }
}

/// Per BMP code point, whether [`t2s_pairs`] gives anything: most characters of any text give
/// nothing, and this answers for them with one bit.
fn has_t2s_pairs(c: char) -> bool {
    static TABLE: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut bits = vec![0u64; 0x10000 / 64];
        for c in (0..0x10000).filter_map(char::from_u32) {
            let mut any = false;
            t2s_pairs(c, |_, _| any = true);
            if any {
                bits[c as usize / 64] |= 1 << (c as usize % 64);
            }
        }
        bits
    });
    table.get(c as usize / 64).is_none_or(|w| w >> (c as usize % 64) & 1 == 1)
}

/// The doc files of docs `group * DOCS_PER_GROUP ..` (one bundle).
fn doc_group(docs: &[Arc<SearchDoc>], group: usize) -> Vec<OutputFile> {
    let range = group * DOCS_PER_GROUP..((group + 1) * DOCS_PER_GROUP).min(docs.len());
    range.flat_map(|i| doc_file(i, &docs[i])).collect()
}

/// Writes data files and the `<script>` bundles carrying them.
fn put_group(sink: &dyn Sink, bins: Vec<OutputFile>) -> Result<()> {
    for f in script_bundles(&bins) {
        sink.put(f)?;
    }
    bins.into_iter().try_for_each(|f| sink.put(f))
}

/// Writes the doc files of `docs` (text for snippets and phrase checks): the only search files
/// that need the docs' text, so a build writes them first and then drops the text.
pub fn write_docs(docs: &[Arc<SearchDoc>], sink: &dyn Sink) -> Result<()> {
    (0..docs.len().div_ceil(DOCS_PER_GROUP)).into_par_iter().try_for_each(|g| put_group(sink, doc_group(docs, g)))
}

/// The traditional → simplified table in blocks of 256 code points, and the block numbers:
/// the same for every site, so made once.
fn t2s_files() -> &'static (Vec<OutputFile>, Vec<u32>) {
    static FILES: std::sync::OnceLock<(Vec<OutputFile>, Vec<u32>)> = std::sync::OnceLock::new();
    FILES.get_or_init(|| {
        let mut blocks: BTreeMap<u32, Buf> = BTreeMap::new();
        for line in crate::fold::T2S_TABLE.lines().filter(|l| !l.starts_with('#')) {
            let mut chars = line.chars();
            if let (Some(t), Some(_), Some(s)) = (chars.next(), chars.next(), chars.next()) {
                let b = blocks.entry(t as u32 / 256).or_default();
                b.varint(t as u64 % 256);
                b.varint(s as u64);
            }
        }
        let files = blocks.iter().flat_map(|(block, data)| data_files(&format!("t2s/{block}"), &data.0)).collect();
        (files, blocks.into_keys().collect())
    })
}

/// A Han bigram's two characters.
fn han_bigram(t: &str) -> Option<(char, char)> {
    let mut cs = t.chars();
    match (cs.next(), cs.next(), cs.next()) {
        (Some(a), Some(b), None) if crate::fold::is_han(a) && crate::fold::is_han(b) => Some((a, b)),
        _ => None,
    }
}

/// The *title pairs* of a title and how often each occurs: for every bigram `ab` at a position
/// and `bc` at the next (what a phrase query's consecutive bigrams are), the three characters
/// `abc`. The export adds them to the title field's terms (tantivy does not hold them; they
/// count in no field norm), so the client bounds how often a phrase occurs in a title by its
/// pairs rather than its bigrams, and a title holding every bigram of `社会组织` but not the
/// phrase (`协会组织社会…`) is not a candidate. Titles are short: the pairs cost little.
pub fn title_pairs(title: &str) -> BTreeMap<String, u32> {
    use super::analyzer::tantivy_adapter::Analyzer;
    use tantivy::tokenizer::{TokenStream, Tokenizer};
    let mut analyzer = Analyzer { unigram: false };
    let mut stream = analyzer.token_stream(title);
    let mut bigrams: Vec<(usize, char, char)> = Vec::new();
    while stream.advance() {
        let t = stream.token();
        if let Some((a, b)) = han_bigram(&t.text) {
            bigrams.push((t.position, a, b));
        }
    }
    bigrams.sort_by_key(|b| b.0);
    let mut out = BTreeMap::new();
    for (i, &(p, a, b)) in bigrams.iter().enumerate() {
        for &(_, b2, c) in bigrams[i + 1..].iter().take_while(|n| n.0 <= p + 1).filter(|n| n.0 == p + 1) {
            if b2 == b {
                *out.entry(format!("{a}{b}{c}")).or_default() += 1;
            }
        }
    }
    out
}

/// What the index knows of one doc: per field, each term's frequency and chunk mask, and the
/// field's token count (tantivy's field norm); the title's pairs ([`title_pairs`]) are terms of
/// the title field that count in no token total.
struct DocTerms {
    fields: [BTreeMap<String, (u32, u64)>; 4],
    tokens: [u32; 4],
    shingles: Vec<u32>,
}

impl DocTerms {
    /// Tokenizes `doc` exactly as tantivy does when it indexes it.
    fn of(doc: &SearchDoc) -> DocTerms {
        use super::analyzer::tantivy_adapter::Analyzer;
        use tantivy::tokenizer::{TokenStream, Tokenizer};
        let mut out = DocTerms { fields: Default::default(), tokens: [0; 4], shingles: doc_shingles(doc) };
        let pinyin = super::title_pinyin(&doc.title);
        let values = |f: FieldKind| match f {
            FieldKind::Title => vec![&doc.title, &pinyin],
            FieldKind::Title1 => vec![&doc.title],
            _ => vec![&doc.text],
        };
        for f in FieldKind::ALL {
            for text in values(f) {
                let mut analyzer = Analyzer { unigram: !f.has_positions() };
                let mut stream = analyzer.token_stream(text);
                let map = &mut out.fields[f as usize];
                while stream.advance() {
                    let t = stream.token();
                    let slot = map.entry(t.text.clone()).or_insert((0, 0));
                    slot.0 += 1;
                    if f == FieldKind::Body {
                        slot.1 |= chunk_mask(&[t.position as u32]);
                    }
                    out.tokens[f as usize] += 1;
                }
            }
        }
        for (pair, tf) in title_pairs(&doc.title) {
            out.fields[FieldKind::Title as usize].insert(pair, (tf, 0));
        }
        out
    }
}

/// The whole search export as data: terms with their encoded postings, field norms, and the
/// docs. Files are encoded from it on demand, one at a time (the preview serves them this way)
/// or all at once ([`Export::write_all`], for a build); [`Export::update`] applies an edit.
pub struct Export {
    terms: BTreeMap<String, TermEntry>,
    norms: [Vec<u8>; 4],
    total_tokens: [u64; 4],
    /// Shared with the preview, which keeps unchanged docs between edits without copying them.
    docs: Vec<Arc<SearchDoc>>,
    labels: FacetLabels,
    /// Sum of [`entry_size`] over all terms.
    size: u64,
    shards: u32,
    /// The terms of each shard, in term order.
    shard_terms: Vec<Vec<String>>,
    shingles: Shingles,
}

impl Export {
    /// Reads the terms, postings and norms of `index`, which indexes `docs` (with their text).
    pub fn from_index(index: &SearchIndex, docs: Vec<Arc<SearchDoc>>, labels: &FacetLabels) -> Result<Export> {
        let shingles = Shingles::of(&docs);
        let spans = Spans::of(&docs, &Spans::common_tokens(index)?, &shingles);
        Export::with_shingles(index, docs, labels, shingles, spans)
    }

    /// [`Export::from_index`] with the docs' shingles and spans counted before (a build drops
    /// the docs' text first).
    pub fn with_shingles(
        index: &SearchIndex,
        docs: Vec<Arc<SearchDoc>>,
        labels: &FacetLabels,
        shingles: Shingles,
        spans: Spans,
    ) -> Result<Export> {
        // The fields are read in parallel, the body (by far the largest) in several term ranges;
        // then merged in field and term order.
        let parts: Vec<(FieldKind, TermRange)> = FieldKind::ALL
            .into_iter()
            .flat_map(|f| {
                let ranges = if f == FieldKind::Body { term_ranges(BODY_RANGES) } else { vec![(None, None)] };
                ranges.into_iter().map(move |r| (f, r))
            })
            .collect();
        let per_part: Vec<Vec<(String, FieldEntry)>> = parts
            .par_iter()
            .map(|(f, (from, to))| {
                let f = *f;
                let detail = if f == FieldKind::Body { Detail::ChunkMasks } else { Detail::Frequencies };
                let mut list = Vec::new();
                index.for_each_term(f, detail, (from.as_deref(), to.as_deref()), |term, p: TermPostings, masks| {
                    let masks = (f == FieldKind::Body).then_some(masks);
                    let df = p.docs.len() as u32;
                    list.push((term.to_string(), FieldEntry { df, postings: encode_postings(&p.docs, &p.tfs, masks) }));
                    Ok(())
                })?;
                Ok(list)
            })
            .collect::<Result<_>>()?;
        let per_field = parts.iter().map(|(f, _)| *f).zip(per_part);
        let mut terms: BTreeMap<String, TermEntry> = BTreeMap::new();
        for (f, list) in per_field {
            for (term, entry) in list {
                terms.entry(term).or_insert_with(|| [None, None, None, None])[f as usize] = Some(entry);
            }
        }
        // Title pairs: three Han characters, never a term of tantivy's title field.
        let mut pairs: BTreeMap<String, (Vec<u32>, Vec<u32>)> = BTreeMap::new();
        for (i, d) in docs.iter().enumerate() {
            for (pair, tf) in title_pairs(&d.title) {
                let e = pairs.entry(pair).or_default();
                e.0.push(i as u32);
                e.1.push(tf);
            }
        }
        for (pair, (ds, tfs)) in pairs {
            let slot = &mut terms.entry(pair).or_insert_with(|| [None, None, None, None])[FieldKind::Title as usize];
            if slot.is_none() {
                *slot = Some(FieldEntry { df: ds.len() as u32, postings: encode_postings(&ds, &tfs, None) });
            }
        }
        for (span, rows) in spans.0 {
            let slot = &mut terms.entry(span).or_insert_with(|| [None, None, None, None])[FieldKind::Body as usize];
            *slot = Some(FieldEntry { df: rows.docs.len() as u32, postings: rows.encode(true) });
        }
        let mut norms: [Vec<u8>; 4] = Default::default();
        let mut total_tokens = [0u64; 4];
        for f in FieldKind::ALL {
            norms[f as usize] = index.norm_ids(f)?;
            total_tokens[f as usize] = index.total_tokens(f)?;
        }
        let size = terms.iter().map(|(t, e)| entry_size(t, e)).sum();
        let mut export = Export {
            terms,
            norms,
            total_tokens,
            docs,
            labels: labels.clone(),
            size,
            shards: 0,
            shard_terms: Vec::new(),
            shingles,
        };
        export.layout();
        if std::env::var_os("ZHIKU_TIMINGS").is_some() {
            let bytes: usize = export.terms.values().flatten().flatten().map(|e| e.postings.len()).sum();
            eprintln!(
                "  (export: {} terms, {:.1} MB of postings, {} shingles in {} files)",
                export.terms.len(),
                bytes as f64 / 1e6,
                export.shingles.0.len(),
                export.shingles.shards()
            );
        }
        Ok(export)
    }

    pub fn num_docs(&self) -> u32 {
        self.docs.len() as u32
    }

    /// The shingle hashes of the spans ([`Spans`]): the windows with a span list.
    fn listed(&self) -> HashSet<u32> {
        self.terms.keys().filter(|t| is_span(t)).map(|t| fnv1a(t)).collect()
    }

    /// Makes the span lists those of the docs as they are now ([`Spans::of`], over every doc's
    /// text: which tokens are common and which windows are rare are the site's, so one edit can
    /// change the lists of spans it does not hold).
    fn refresh_spans(&mut self) {
        let limit = long_list(self.docs.len());
        let mut common = HashSet::with_hasher(FnvBuild);
        let mut old = Vec::new();
        for (term, fields) in &self.terms {
            if is_span(term) {
                old.push(term.clone());
            } else if fields[FieldKind::Body as usize].as_ref().is_some_and(|e| e.df > limit) {
                common.insert(term.clone());
            }
        }
        let spans = Spans::of(&self.docs, &common, &self.shingles);
        for term in old {
            if !spans.0.contains_key(&term) {
                self.set_entry(FieldKind::Body, &term, None);
            }
        }
        for (term, rows) in spans.0 {
            let entry = FieldEntry { df: rows.docs.len() as u32, postings: rows.encode(true) };
            self.set_entry(FieldKind::Body, &term, Some(entry));
        }
    }

    pub fn docs(&self) -> &[Arc<SearchDoc>] {
        &self.docs
    }

    fn idf(&self, df: u32) -> f32 {
        super::index::idf(self.num_docs(), df)
    }

    /// Assigns terms to shards; the shard count follows the dictionary's size.
    fn layout(&mut self) {
        self.shards = self.size.div_ceil(SHARD_BYTES as u64).max(1) as u32;
        self.shard_terms = vec![Vec::new(); self.shards as usize];
        for term in self.terms.keys() {
            self.shard_terms[(fnv1a(term) % self.shards) as usize].push(term.clone());
        }
    }

    /// The encoded postings of every body term, in term order.
    pub fn body_postings(&self) -> Vec<&[u8]> {
        self.terms.values().filter_map(|e| e[FieldKind::Body as usize].as_ref()).map(|e| &e.postings[..]).collect()
    }

    /// Whether a list of `df` docs in field `f` carries its docs' field-norm ids: short lists
    /// do, so a query with a rare token needs no norm table (one byte per doc of the site), and
    /// so does every title list: a long title list fetched with its norms cost 7–14 KB more at
    /// 100k pages, the title norm table it spared 51–59 KB (title lengths vary more than text
    /// lengths, so that table compresses worse than the body's).
    fn carries_norms(&self, f: usize, df: u32) -> bool {
        f == FieldKind::Title as usize
            || f == FieldKind::Title1 as usize
            || df as usize <= (self.docs.len() / NORM_SHARE).max(NORM_MIN)
    }

    /// Dictionary shard `i` and its long postings, unencoded.
    fn shard(&self, i: u32) -> (Vec<u8>, Vec<Cow<'_, [u8]>>) {
        let list = &self.shard_terms[i as usize];
        let mut b = Buf::default();
        let mut posts = Vec::new();
        b.varint(list.len() as u64);
        for term in list {
            let Some(fields) = self.terms.get(term) else { continue };
            b.str(term);
            let mask = fields.iter().enumerate().filter(|(_, e)| e.is_some()).fold(0u8, |m, (i, _)| m | 1 << i);
            b.0.push(mask);
            for (f, e) in fields.iter().enumerate() {
                let Some(e) = e else { continue };
                b.varint(e.df as u64);
                b.f32(self.idf(e.df));
                let body = f == FieldKind::Body as usize;
                let (bytes, flag) = if self.carries_norms(f, e.df) {
                    (Cow::Owned(with_norms(&e.postings, &self.norms[f], body)), NORMS_FLAG)
                } else if body {
                    // A common term's chunk masks would name nearly every chunk of its docs.
                    (Cow::Owned(without_masks(&e.postings)), NO_MASKS_FLAG)
                } else {
                    (Cow::Borrowed(&e.postings[..]), 0)
                };
                if bytes.len() <= INLINE_LIMIT {
                    b.0.push(flag);
                    b.bytes(&bytes);
                } else {
                    b.0.push(flag | 1);
                    b.varint(posts.len() as u64);
                    posts.push(bytes);
                }
            }
        }
        (b.0, posts)
    }

    /// The `.bin` files of shards `group * SHARDS_PER_BUNDLE ..`: dictionary, then postings.
    fn shard_group(&self, group: u32) -> Vec<OutputFile> {
        let range = group * SHARDS_PER_BUNDLE..((group + 1) * SHARDS_PER_BUNDLE).min(self.shards);
        let mut dicts = Vec::new();
        let mut posts = Vec::new();
        for i in range {
            let (dict, long) = self.shard(i);
            dicts.extend(data_files(&format!("dict/{i}"), &dict));
            for (k, p) in long.iter().enumerate() {
                posts.extend(data_files(&format!("post/{i}-{k}"), p));
            }
        }
        dicts.extend(posts);
        dicts
    }

    fn doc_group(&self, group: usize) -> Vec<OutputFile> {
        doc_group(&self.docs, group)
    }

    /// The shingle files of shards `group * SHARDS_PER_BUNDLE ..` (one bundle).
    fn shingle_group(&self, group: u32) -> Vec<OutputFile> {
        let shards = self.shingles.shards();
        self.shingles
            .files(Some(group * SHARDS_PER_BUNDLE..((group + 1) * SHARDS_PER_BUNDLE).min(shards)), &self.listed())
    }

    /// Doc lists per value of facet `name`, most frequent value first.
    fn facet_values(&self, name: &str) -> Vec<(String, Vec<u32>)> {
        fn add<'a>(values: &mut BTreeMap<&'a str, Vec<u32>>, v: &'a str, i: u32) {
            if !v.is_empty() {
                let list = values.entry(v).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        let mut values: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
        for (i, d) in self.docs.iter().enumerate() {
            let i = i as u32;
            match name {
                "type" => add(&mut values, &d.kind, i),
                "topic" => d.topics.iter().for_each(|t| add(&mut values, t, i)),
                "year" => add(&mut values, d.year(), i),
                _ => add(&mut values, &d.region, i),
            }
        }
        let mut values: Vec<(String, Vec<u32>)> = values.into_iter().map(|(v, l)| (v.to_string(), l)).collect();
        values.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
        values
    }

    /// The small files: norms, facets, traditional → simplified blocks and the manifest.
    fn misc_files(&self) -> Result<Vec<OutputFile>> {
        let mut files = Vec::new();
        for f in FieldKind::ALL {
            files.extend(data_files(&format!("norms/{}", f.name()), &self.norms[f as usize]));
        }
        let mut facets = BTreeMap::new();
        for name in FACETS {
            let values = self.facet_values(name);
            let mut b = Buf::default();
            b.varint(values.len() as u64);
            for (v, list) in &values {
                b.str(v);
                b.varint(list.len() as u64);
                b.doc_deltas(list);
            }
            files.extend(data_files(&format!("facet/{name}"), &b.0));
            let listed = values
                .into_iter()
                .map(|(v, list)| {
                    let label = self.labels.get(&format!("{name}:{v}")).cloned().unwrap_or_else(|| v.clone());
                    (v, label, list.len())
                })
                .collect();
            facets.insert(name, listed);
        }

        let (t2s, blocks) = t2s_files();
        files.extend(t2s.iter().cloned());

        let manifest = Manifest {
            version: 4,
            docs: self.num_docs(),
            shards: self.shards,
            chunk_positions: CHUNK_POSITIONS,
            mask_bits: MASK_BITS,
            boost: FieldKind::ALL.map(FieldKind::boost),
            total_tokens: self.total_tokens,
            fieldnorms: (0..=255u8).map(tantivy::fieldnorm::FieldNormReader::id_to_fieldnorm).collect(),
            facets,
            t2s_blocks: blocks.clone(),
            shingles: ShingleInfo { shards: self.shingles.shards(), shift: self.shingles.shift() },
        };
        let json = serde_json::to_vec(&manifest).map_err(|e| crate::Error::Search(e.to_string()))?;
        files.extend(data_files("manifest", &json));
        Ok(files)
    }

    /// Writes every file of the export into `sink`, group by group (with each group's script
    /// bundle), never holding all of them at once.
    pub fn write_all(&self, sink: &dyn Sink) -> Result<()> {
        write_docs(&self.docs, sink)?;
        self.write_index_files(sink)
    }

    /// Every file but the chunks: dictionary, postings, norms, facets, manifest and client.
    /// A build writes the doc files before and drops the docs' text ([`write_docs`]).
    pub fn write_index_files(&self, sink: &dyn Sink) -> Result<()> {
        let groups = self.shards.div_ceil(SHARDS_PER_BUNDLE);
        (0..groups).into_par_iter().try_for_each(|g| put_group(sink, self.shard_group(g)))?;
        put_group(sink, self.misc_files()?)?;
        put_group(sink, self.near_files(None))?;
        let shingle_groups = self.shingles.shards().div_ceil(SHARDS_PER_BUNDLE);
        (0..shingle_groups).into_par_iter().try_for_each(|g| put_group(sink, self.shingle_group(g)))?;
        sink.put(OutputFile { path: "search/search.js".into(), bytes: client_script().as_bytes().to_vec() })?;
        sink.put(OutputFile { path: format!("search/{}", suggest_file()), bytes: suggest_script().as_bytes().to_vec() })
    }

    /// One file of the export, by its path under the output folder (`search/dict/3.bin`).
    pub fn file(&self, path: &str) -> Option<Vec<u8>> {
        let name = path.strip_prefix("search/")?;
        if name == "search.js" {
            return Some(client_script().as_bytes().to_vec());
        }
        if name == suggest_file() {
            return Some(suggest_script().as_bytes().to_vec());
        }
        let group_files = |bundle: &str| -> Option<Vec<OutputFile>> {
            let (kind, n) = bundle.rsplit_once('-')?;
            let n: u32 = n.parse().ok()?;
            match kind {
                "dict" | "post" if n < self.shards.div_ceil(SHARDS_PER_BUNDLE) => Some(self.shard_group(n)),
                "doc" if (n as usize) < self.docs.len().div_ceil(DOCS_PER_GROUP) => Some(self.doc_group(n as usize)),
                "near" => Some(self.near_files(Some(n))),
                "shingle" if n < self.shingles.shards().div_ceil(SHARDS_PER_BUNDLE) => Some(self.shingle_group(n)),
                _ => None,
            }
        };
        if let Some(bundle) = name.strip_prefix("js/").and_then(|b| b.strip_suffix(".js")) {
            let bins = group_files(bundle).map_or_else(|| self.misc_files().ok(), Some)?;
            return script_bundles(&bins).into_iter().find(|f| f.path == path).map(|f| f.bytes);
        }
        let data = name.strip_suffix(".bin")?;
        let bins = match data.split_once('/') {
            Some(("dict", i)) => {
                let i: u32 = i.parse().ok().filter(|&i| i < self.shards)?;
                return Some(gzip(&self.shard(i).0));
            }
            Some(("post", id)) => {
                let (i, k) = id.split_once('-')?;
                let i: u32 = i.parse().ok().filter(|&i| i < self.shards)?;
                let k: usize = k.parse().ok()?;
                return self.shard(i).1.get(k).map(|p| gzip(p));
            }
            Some(("near", rest)) => self.near_files(Some(rest.split_once('/')?.0.parse().ok()?)),
            Some(("shingle", i)) => {
                let i: u32 = i.parse().ok().filter(|&i| i < self.shingles.shards())?;
                self.shingles.files(Some(i..i + 1), &self.listed())
            }
            Some(("doc", rest)) => {
                let d: usize = rest.split_once('/')?.1.parse().ok()?;
                doc_file(d, self.docs.get(d)?).into()
            }
            _ => self.misc_files().ok()?,
        };
        bins.into_iter().find(|f| f.path == path).map(|f| f.bytes)
    }

    /// The suggestion files `near/<block>/<char>` of the characters in code point block `block`
    /// (256 code points), or of every character.
    fn near_files(&self, block: Option<u32>) -> Vec<OutputFile> {
        // For one block, only the bigrams with a character in it count: a preview's request
        // for one file then does not rebuild every character's neighbours.
        let in_block = |t: &str| block.is_none_or(|b| t.chars().take(2).any(|c| c as u32 / 256 == b));
        let terms = self.terms.iter().filter(|(t, _)| in_block(t)).flat_map(|(t, e)| {
            [FieldKind::Title, FieldKind::Body]
                .into_iter()
                .filter_map(move |f| e[f as usize].as_ref().map(|x| (t.as_str(), x.df)))
        });
        super::nearby::neighbours(terms)
            .iter()
            .filter(|(c, _)| block.is_none_or(|b| **c as u32 / 256 == b))
            .flat_map(|(c, n)| {
                data_files(&format!("near/{}/{}", *c as u32 / 256, *c as u32), &super::nearby::encode_neighbours(n))
            })
            .collect()
    }

    /// Makes the export that of `docs`, as if they had been indexed from scratch: only the
    /// terms of changed docs are touched, unless docs were added or removed (doc ids shift).
    pub fn update(&mut self, docs: Vec<Arc<SearchDoc>>) {
        let old = std::mem::take(&mut self.docs);
        let indexed_same =
            |a: &Arc<SearchDoc>, b: &Arc<SearchDoc>| Arc::ptr_eq(a, b) || (a.title == b.title && a.text == b.text);
        if old.len() == docs.len() && old.iter().zip(&docs).all(|(a, b)| a.url == b.url) {
            for (d, (a, b)) in old.iter().zip(&docs).enumerate() {
                if !indexed_same(a, b) {
                    self.replace(d as u32, Some(&DocTerms::of(a)), Some(&DocTerms::of(b)));
                }
            }
        } else {
            let new_ids: HashMap<&str, u32> =
                docs.iter().enumerate().map(|(i, d)| (d.url.as_str(), i as u32)).collect();
            let mut map: Vec<Option<u32>> = Vec::with_capacity(old.len());
            for (d, a) in old.iter().enumerate() {
                let kept = new_ids.get(a.url.as_str()).copied().filter(|&n| indexed_same(a, &docs[n as usize]));
                if kept.is_none() {
                    self.replace(d as u32, Some(&DocTerms::of(a)), None);
                }
                map.push(kept);
            }
            self.renumber(&map, docs.len());
            let mut added = vec![true; docs.len()];
            for n in map.iter().flatten() {
                added[*n as usize] = false;
            }
            for (n, d) in docs.iter().enumerate().filter(|(n, _)| added[*n]) {
                self.replace(n as u32, None, Some(&DocTerms::of(d)));
            }
        }
        self.docs = docs;
        self.refresh_spans();
        if self.size.div_ceil(SHARD_BYTES as u64).max(1) as u32 != self.shards {
            self.layout();
        }
    }

    /// Gives doc `old` the id `map[old]` in every posting list and norm table (docs mapped to
    /// `None` must have no postings left).
    fn renumber(&mut self, map: &[Option<u32>], new_len: usize) {
        self.terms.par_iter_mut().for_each(|(_, fields)| {
            for (f, slot) in fields.iter_mut().enumerate() {
                let Some(e) = slot else { continue };
                let body = f == FieldKind::Body as usize;
                let rows = Rows::decode(&e.postings, body);
                let mut out: Vec<(u32, u32, u64)> = (0..rows.docs.len())
                    .filter_map(|i| {
                        let d = map.get(rows.docs[i] as usize).copied().flatten()?;
                        Some((d, rows.tfs[i], rows.masks.get(i).copied().unwrap_or(0)))
                    })
                    .collect();
                out.sort_unstable_by_key(|r| r.0);
                let renumbered = Rows {
                    docs: out.iter().map(|r| r.0).collect(),
                    tfs: out.iter().map(|r| r.1).collect(),
                    masks: if body { out.iter().map(|r| r.2).collect() } else { Vec::new() },
                };
                e.postings = renumbered.encode(body);
            }
        });
        for norms in &mut self.norms {
            let mut renumbered = vec![0u8; new_len];
            for (old, &id) in norms.iter().zip(map) {
                if let Some(n) = id {
                    renumbered[n as usize] = *old;
                }
            }
            *norms = renumbered;
        }
        // Sizes of inline postings may have changed with the deltas.
        self.size = self.terms.iter().map(|(t, e)| entry_size(t, e)).sum();
    }

    /// Replaces doc `d`'s terms `old` (if it was indexed) with `new` (if it stays).
    fn replace(&mut self, d: u32, old: Option<&DocTerms>, new: Option<&DocTerms>) {
        if let Some(o) = old {
            self.shingles.add(&o.shingles, -1);
        }
        if let Some(n) = new {
            self.shingles.add(&n.shingles, 1);
        }
        let empty = BTreeMap::new();
        for f in FieldKind::ALL {
            let fi = f as usize;
            let before = old.map_or(&empty, |o| &o.fields[fi]);
            let after = new.map_or(&empty, |n| &n.fields[fi]);
            let changed: Vec<&String> = before
                .iter()
                .filter(|(t, v)| after.get(*t) != Some(v))
                .map(|(t, _)| t)
                .chain(after.iter().filter(|(t, v)| before.get(*t) != Some(v)).map(|(t, _)| t))
                .collect();
            for term in changed {
                self.set_row(f, term, d, after.get(term).copied());
            }
            let tokens = new.map_or(0, |n| n.tokens[fi]);
            self.total_tokens[fi] = self.total_tokens[fi] + tokens as u64 - old.map_or(0, |o| o.tokens[fi] as u64);
            if new.is_some() {
                if self.norms[fi].len() <= d as usize {
                    self.norms[fi].resize(d as usize + 1, 0);
                }
                self.norms[fi][d as usize] = tantivy::fieldnorm::FieldNormReader::fieldnorm_to_id(tokens);
            }
        }
    }

    fn set_row(&mut self, f: FieldKind, term: &str, d: u32, row: Option<(u32, u64)>) {
        let body = f == FieldKind::Body;
        if row.is_none() && !self.terms.contains_key(term) {
            return;
        }
        let old = self.terms.get(term).and_then(|fields| fields[f as usize].as_ref());
        let mut rows = old.map(|e| Rows::decode(&e.postings, body)).unwrap_or_default();
        rows.set(d, row, body);
        let entry =
            (!rows.docs.is_empty()).then(|| FieldEntry { df: rows.docs.len() as u32, postings: rows.encode(body) });
        self.set_entry(f, term, entry);
    }

    /// Sets (or, with `None`, removes) `term`'s entry in field `f`, keeping the dictionary's
    /// size and shards up to date.
    fn set_entry(&mut self, f: FieldKind, term: &str, entry: Option<FieldEntry>) {
        let is_new = !self.terms.contains_key(term);
        if is_new && entry.is_none() {
            return;
        }
        let fields = self.terms.entry(term.to_string()).or_insert_with(|| [None, None, None, None]);
        self.size -= if is_new { 0 } else { entry_size(term, fields) };
        fields[f as usize] = entry;
        let gone = fields.iter().all(Option::is_none);
        if gone {
            self.terms.remove(term);
        } else {
            self.size += entry_size(term, fields);
        }
        if (is_new || gone) && self.shards > 0 {
            let list = &mut self.shard_terms[(fnv1a(term) % self.shards) as usize];
            match (list.binary_search_by(|t| t.as_str().cmp(term)), gone) {
                (Err(i), false) => list.insert(i, term.to_string()),
                (Ok(i), true) => {
                    list.remove(i);
                }
                _ => {}
            }
        }
    }
}

/// The browser and node client, as written.
pub const CLIENT: &str = include_str!("search.js");
/// The suggestions for a query that finds nothing, as written: the client loads them from a
/// file of their own ([`suggest_file`]) only when a query finds nothing.
pub const SUGGEST: &str = include_str!("suggest.js");

/// Name of the suggestion file under `search/`: `suggest-<hash>.js`, the hash (FNV-1a) of both
/// scripts as written, so that a client (perhaps cached) only ever loads its own suggestions.
pub fn suggest_file() -> &'static str {
    static NAME: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    NAME.get_or_init(|| format!("suggest-{:08x}.js", fnv1a(&[CLIENT, SUGGEST].concat())))
}

/// The client as served: [`CLIENT`] stripped ([`strip`]), naming its suggestion file.
pub fn client_script() -> &'static str {
    static SCRIPT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SCRIPT.get_or_init(|| {
        let named = format!("var SUGGEST_FILE = \"{}\";", suggest_file());
        strip(CLIENT).replacen("var SUGGEST_FILE = \"suggest.js\";", &named, 1)
    })
}

/// The suggestion file as served: [`SUGGEST`] stripped.
pub fn suggest_script() -> &'static str {
    static SCRIPT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SCRIPT.get_or_init(|| strip(SUGGEST))
}

/// A script without comment lines, indentation and blank lines (every query fetches the client,
/// so its size counts in each). Lines stay lines, so no statement is joined to another; the
/// scripts have no multi-line strings and no comment after code on a line that starts a block
/// comment.
fn strip(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut in_block = false;
    for line in source.lines() {
        let mut code = line.trim();
        if in_block {
            match code.find("*/") {
                Some(end) => {
                    in_block = false;
                    code = code[end + 2..].trim();
                }
                None => continue,
            }
        } else if let Some(rest) = code.strip_prefix("/*") {
            match rest.find("*/") {
                Some(end) => code = rest[end + 2..].trim(),
                None => {
                    in_block = true;
                    continue;
                }
            }
        }
        if code.is_empty() || code.starts_with("//") {
            continue;
        }
        out.push_str(code);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::index::SearchIndex;

    #[test]
    fn base64_matches_the_standard() {
        let base64 = |data: &[u8]| {
            let mut out = String::new();
            base64_into(data, &mut out);
            out
        };
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn gzip_round_trips() {
        use std::io::Read;
        for data in [&b""[..], b"abc", "社会工作".repeat(5000).as_bytes()] {
            let gz = gzip(data);
            let mut back = Vec::new();
            flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut back).unwrap();
            assert_eq!(back, data);
            assert_eq!(gzip(data), gz, "deterministic");
        }
    }

    fn arcs(docs: &[SearchDoc]) -> Vec<Arc<SearchDoc>> {
        docs.iter().cloned().map(Arc::new).collect()
    }

    fn doc(url: &str, title: &str, text: &str, topics: &[&str]) -> SearchDoc {
        SearchDoc {
            url: url.into(),
            title: title.into(),
            text: text.into(),
            kind: "speech".into(),
            kind_label: "讲话".into(),
            date: "2024-05-01".into(),
            topics: topics.iter().map(|t| t.to_string()).collect(),
            region: "迎泽区".into(),
            summary: String::new(),
        }
    }

    fn files(export: &Export) -> Vec<(String, Vec<u8>)> {
        let sink = crate::output::Memory::keeping();
        export.write_all(&sink).unwrap();
        sink.into_files().into_iter().map(|f| (f.path, f.bytes)).collect()
    }

    fn fresh(docs: &[SearchDoc]) -> Export {
        let index = SearchIndex::build(None, &arcs(docs), 1).unwrap();
        Export::from_index(&index, arcs(docs), &FacetLabels::new()).unwrap()
    }

    fn assert_same(updated: &Export, docs: &[SearchDoc], what: &str) {
        let (got, want) = (files(updated), files(&fresh(docs)));
        let paths = |f: &[(String, Vec<u8>)]| f.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        assert_eq!(paths(&got), paths(&want), "{what}: file list");
        for ((path, a), (_, b)) in got.iter().zip(&want) {
            assert!(a == b, "{what}: {path} differs from a fresh export");
            assert_eq!(updated.file(path).as_ref(), Some(a), "{what}: {path} served on demand");
        }
    }

    #[test]
    fn updates_equal_a_fresh_export() {
        let long = "社会工作部门坚持党建引领，推进基层治理。".repeat(300);
        let mut docs = vec![
            doc("/a/", "全区社会工作会议", &format!("{long}志愿服务蓬勃发展。"), &["基层治理"]),
            doc("/b/", "人民日报评论", "新時代“楓橋經驗”在基层落地生根，2024年以来成效显著。", &["枫桥经验"]),
            doc("/c/", "迎泽品牌", "社工+乡村振兴，打造“社会工作迎泽品牌”。", &["基层治理", "志愿服务"]),
        ];
        let mut export = fresh(&docs);
        assert_same(&export, &docs, "fresh");
        let mut step = |docs: Vec<SearchDoc>, what: &str| {
            export.update(docs.iter().cloned().map(Arc::new).collect());
            assert_same(&export, &docs, what);
            export.shards
        };

        docs[1].text = "新時代“楓橋經驗”在基层落地生根，2025年以来成效更加显著。".into();
        step(docs.clone(), "body edit");
        docs[0].text.insert_str(0, "开头插入一句话。");
        step(docs.clone(), "edit shifting every position and chunk");
        docs[2].title = "社会工作迎泽品牌".into();
        docs[2].topics = vec!["志愿服务".into()];
        step(docs.clone(), "title and topics");
        docs.insert(1, doc("/a2/", "新增页面", "物业服务企业参与社区治理。", &[]));
        step(docs.clone(), "page added in the middle");
        docs.remove(0);
        step(docs.clone(), "first page removed");
        docs[1].url = "/b-renamed/".into();
        step(docs.clone(), "page renamed");
        let shards = step(docs.clone(), "unchanged");
        for i in 0..40u32 {
            // Distinct characters, so the dictionary grows.
            let text: String = (0..600).filter_map(|k| char::from_u32(0x4e00 + i * 600 + k)).collect();
            docs.push(doc(&format!("/n{i}/"), &format!("第{i}篇"), &format!("{text}第{i}个独特短语{i}。"), &[]));
        }
        let grown = step(docs.clone(), "many pages added (shard count grows)");
        assert!(grown > shards, "the test must cover a change of shard count");
        docs.truncate(2);
        step(docs.clone(), "many pages removed");
    }

    #[test]
    fn span_lists_follow_edits() {
        let sentences = ["社会力量参与基层治理。", "社会组织参与党建引领。", "工作者会议讨论社会问题。"];
        let mut docs: Vec<SearchDoc> = (0..90)
            .map(|i| {
                let text: String = (0..6).map(|k| sentences[(i + k) % 3]).collect();
                doc(&format!("/p{i}/"), &format!("标题{i}"), &text, &[])
            })
            .collect();
        let spans = |e: &Export| e.terms.keys().filter(|t| is_span(t)).cloned().collect::<Vec<_>>();
        let body_df =
            |e: &Export, t: &str| e.terms.get(t).and_then(|f| f[FieldKind::Body as usize].as_ref()).map(|x| x.df);
        let mut export = fresh(&docs);
        assert!(spans(&export).is_empty(), "no rare span yet: every window of common tokens is common");
        let mut step = |docs: &[SearchDoc], what: &str| {
            export.update(arcs(docs));
            assert_same(&export, docs, what);
            (spans(&export), body_df(&export, "量参\u{1}参与\u{1}与党"))
        };
        // 力量参与党建: common bigrams, a rare span (量参与党).
        docs[5].text.push_str("社会力量参与党建。");
        let (listed, df) = step(&docs, "a rare span appears");
        assert!(listed.contains(&"量参\u{1}参与\u{1}与党".to_string()), "{listed:?}");
        assert_eq!(df, Some(1));
        docs[40].text.push_str("力量参与党建。");
        assert_eq!(step(&docs, "on a second page").1, Some(2));
        docs[5].text = sentences[0].repeat(3);
        assert_eq!(step(&docs, "edited away on one page").1, Some(1));
        docs.insert(0, doc("/new/", "社会力量参与党建", "新增。", &[]));
        assert_eq!(step(&docs, "in a new page's title only").1, Some(1));
        // Remove pages until 会议 is no longer common: its spans are no longer listed.
        docs.retain(|d| !d.text.contains("会议") || d.url.ends_with('1') || d.url == "/new/");
        let (listed, _) = step(&docs, "pages removed, tokens no longer common");
        assert!(listed.iter().all(|t| !t.contains("会议")), "{listed:?}");
    }

    #[test]
    fn several_segments_export_like_one() {
        let sentences = [
            "社会工作部门坚持党建引领。",
            "新時代“楓橋經驗”落地生根。",
            "志愿服务蓬勃发展。",
            "物业服务企业参与社区治理。",
        ];
        let docs: Vec<SearchDoc> = (0..700)
            .map(|i| {
                let text: String =
                    (0..20).map(|k| sentences[(i * 7 + k * 3) % 4]).collect::<String>() + &format!("第{i}篇");
                doc(&format!("/p{i}/"), &format!("标题{i}"), &text, &[])
            })
            .collect();
        let one = SearchIndex::build(None, &arcs(&docs), 1).unwrap();
        let many = SearchIndex::build(None, &arcs(&docs), 2).unwrap();
        assert!(many.segment_count() > 1, "the test needs several segments");
        let labels = FacetLabels::new();
        let (a, b) = (
            Export::from_index(&one, arcs(&docs), &labels).unwrap(),
            Export::from_index(&many, arcs(&docs), &labels).unwrap(),
        );
        assert!(files(&a) == files(&b), "two indexing threads (two segments) export the same files");
    }

    #[test]
    fn title_pairs_are_adjacent_bigrams() {
        let pairs = |t: &str| title_pairs(t).into_iter().collect::<Vec<_>>();
        let p = |list: &[(&str, u32)]| list.iter().map(|(s, n)| (s.to_string(), *n)).collect::<Vec<_>>();
        assert_eq!(pairs("社会组织"), p(&[("会组织", 1), ("社会组", 1)]));
        assert_eq!(pairs("社會組織"), pairs("社会组织"), "folded as the bigrams are");
        assert_eq!(pairs("社会工作，社会工作"), p(&[("会工作", 2), ("社会工", 2)]));
        assert_eq!(pairs("社会"), p(&[]));
        assert_eq!(pairs("社会，组织"), p(&[]), "punctuation leaves a gap");
        // A Han character next to a word is a token too; the pairs are of bigrams only.
        assert_eq!(pairs("G20峰会社会"), p(&[("会社会", 1), ("峰会社", 1)]));
    }

    #[test]
    fn fnv_is_stable() {
        assert_eq!(fnv1a(""), 0x811c9dc5);
        assert_eq!(fnv1a("a"), 0xe40c292c);
    }

    #[test]
    fn short_lists_carry_norms_and_long_ones_drop_masks() {
        let docs = [2u32, 5, 300];
        let tfs = [1u32, 4, 2];
        let masks = [1u64, 6, 1 << 40];
        let postings = encode_postings(&docs, &tfs, Some(&masks));
        let mut norms = vec![0u8; 301];
        norms[2] = 7;
        norms[5] = 9;
        norms[300] = 200;
        let b = with_norms(&postings, &norms, true);
        let mut c = Cursor(&b, 0);
        assert_eq!(c.varint(), 3);
        let read: Vec<u64> = (0..6).map(|_| c.varint()).collect();
        assert_eq!(read, [2, 3, 295, 1, 4, 2], "deltas, then frequencies");
        assert_eq!(&b[c.1..c.1 + 3], &[7, 9, 200], "a norm byte per doc");
        c.1 += 3;
        assert_eq!((0..3).map(|_| c.varint()).collect::<Vec<_>>(), masks);
        assert_eq!(c.1, b.len());
        let short = without_masks(&postings);
        assert_eq!(short, encode_postings(&docs, &tfs, None));
    }
}
