//! The static export under `public/search/`, read from tantivy's own term dictionary, postings
//! and field norms. Every file is gzip-compressed in itself (the client decompresses), so any
//! static server works; each also has a `.js` twin for pages opened from `file://`, where
//! `fetch()` is blocked and data can only arrive through `<script>` elements.
//!
//! Files (all little-endian varints unless noted; `str` = varint byte length + UTF-8):
//! - `manifest`: JSON — doc count, shard count, BM25 length-norm tables, facet values.
//! - `norms/<field>`: one field-norm id byte per doc.
//! - `dict/<shard>`: terms hashed (FNV-1a) into shards; per term and field: df, idf (f32),
//!   postings inline or in `post/<id>`.
//! - postings: doc-id deltas, term frequencies, and (body) chunk masks: bit k = the term
//!   occurs in text chunk k, so phrase checks fetch only the chunks that can hold the phrase.
//! - `chunk/<doc/256>/<doc>-<k>`: a page's metadata and its k-th text chunk.
//! - `facet/<name>`: doc lists per facet value.
//! - `t2s/<block>`: traditional → simplified pairs for code points `block*256 ..`.

use super::index::{Detail, SearchIndex, TermPostings};
use super::query::chunks;
use super::{CHUNK_POSITIONS, FACETS, FieldKind, SearchDoc};
use crate::Result;
use crate::output::Sink;
use crate::render::OutputFile;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Postings longer than this (bytes, before compression) get their own file.
const INLINE_LIMIT: usize = 256;
/// Target size of a dictionary shard before compression.
const SHARD_BYTES: usize = 8 * 1024;
/// Chunk masks have this many bits; later chunks share the last bit.
pub const MASK_BITS: u32 = 52;

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

/// gzip with a fixed header (no name, mtime 0), so output is byte-identical between builds.
/// The deflate state is kept per thread: allocating it for each of thousands of small files
/// cost more than compressing them.
fn gzip(data: &[u8]) -> Vec<u8> {
    use std::cell::RefCell;
    thread_local! {
        static DEFLATE: RefCell<flate2::Compress> = RefCell::new(flate2::Compress::new(flate2::Compression::default(), false));
    }
    let mut out = Vec::with_capacity(data.len() / 2 + 64);
    out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
    DEFLATE.with(|d| {
        let mut d = d.borrow_mut();
        d.reset();
        loop {
            if out.capacity() - out.len() < 1024 {
                out.reserve(out.capacity());
            }
            let consumed = d.total_in() as usize;
            match d.compress_vec(&data[consumed..], &mut out, flate2::FlushCompress::Finish) {
                Ok(flate2::Status::StreamEnd) => break,
                Ok(_) => continue,
                Err(_) => break,
            }
        }
    });
    let mut crc = flate2::Crc::new();
    crc.update(data);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
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
        (Some("chunk"), Some(group), Some(_)) => format!("chunk-{group}"),
        (Some(kind @ ("post" | "dict")), Some(n), None) => format!("{kind}-{}", n.parse::<u64>().unwrap_or(0) / 64),
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
        js.push_str(&format!("zhikuData(\"{name}\",\"{}\");\n", base64(&f.bytes)));
    }
    bundles
        .into_iter()
        .map(|(b, js)| OutputFile { path: format!("search/js/{b}.js"), bytes: js.into_bytes() })
        .collect()
}

fn encode_postings(p: &TermPostings, masks: Option<&[u64]>) -> Vec<u8> {
    let mut b = Buf::default();
    b.varint(p.docs.len() as u64);
    b.doc_deltas(&p.docs);
    for &tf in &p.tfs {
        b.varint(tf as u64);
    }
    if let Some(m) = masks {
        for &mask in m {
            b.varint(mask);
        }
    }
    b.0
}

pub fn chunk_mask(positions: &[u32]) -> u64 {
    positions.iter().fold(0u64, |m, &p| m | 1u64 << (p / CHUNK_POSITIONS).min(MASK_BITS - 1))
}

struct FieldEntry {
    df: u32,
    idf: f32,
    postings: Vec<u8>,
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
    tf_cache: [Vec<f32>; 4],
    /// facet → [(value, label, count)], most frequent first.
    facets: BTreeMap<&'a str, Vec<(String, String, usize)>>,
    t2s_blocks: Vec<u32>,
}

/// Writes the search export for `docs`, indexed in `index`.
/// The chunk files of doc `i`.
fn chunk_files(i: usize, d: &SearchDoc) -> Vec<OutputFile> {
    let parts = chunks(&d.text);
    let mut out = Vec::with_capacity(parts.len());
    for (k, (first, range)) in parts.iter().enumerate() {
        let mut b = Buf::default();
        for s in [&d.url, &d.title, &d.date, &d.kind, &d.kind_label, &d.region, &d.summary] {
            b.str(s);
        }
        b.varint(d.topics.len() as u64);
        for t in &d.topics {
            b.str(t);
        }
        b.varint(parts.len() as u64);
        b.varint(*first as u64);
        let text = &d.text[range.clone()];
        b.str(text);
        // The traditional characters of title and chunk, so the client folds them without
        // loading the whole table.
        let mut pairs: Vec<(char, char)> = Vec::new();
        for c in d.title.chars().chain(text.chars()) {
            if c.is_ascii() {
                continue;
            }
            let mut push = |c: char| {
                let s = crate::fold::simplify(c);
                if s != c {
                    pairs.push((c, s));
                }
            };
            if crate::fold::is_plain_han(c) {
                push(c);
            } else {
                unicode_normalization::UnicodeNormalization::nfkc(std::iter::once(c)).for_each(&mut push);
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        b.varint(pairs.len() as u64);
        for (t, s) in pairs {
            b.varint(t as u64);
            b.varint(s as u64);
        }
        out.extend(data_files(&format!("chunk/{}/{i}-{k}", i / 256), &b.0));
    }
    out
}

/// Writes the search export for `docs`, indexed in `index`, into `sink`.
pub fn export(index: &SearchIndex, docs: &[SearchDoc], labels: &FacetLabels, sink: &dyn Sink) -> Result<()> {
    let mut files: Vec<OutputFile> = Vec::new();
    let clock = std::time::Instant::now();
    let verbose = std::env::var_os("ZHIKU_TIMINGS").is_some();
    let lap = |what: &str| {
        if verbose {
            eprintln!("  (export: {what} done at {:.3}s)", clock.elapsed().as_secs_f64());
        }
    };

    // Terms of every field, grouped by term so one shard answers all fields of a term.
    let mut terms: BTreeMap<String, [Option<FieldEntry>; 4]> = BTreeMap::new();
    let mut post_files: Vec<Vec<u8>> = Vec::new();
    // The four fields are read in parallel, then merged in field order.
    let per_field: Vec<Vec<(String, FieldEntry)>> = FieldKind::ALL
        .par_iter()
        .map(|&f| {
            let detail = if f == FieldKind::Body { Detail::ChunkMasks } else { Detail::Frequencies };
            let mut list = Vec::new();
            index.for_each_term(f, detail, |term, p, masks| {
                let masks = (f == FieldKind::Body).then_some(masks);
                let df = p.docs.len() as u32;
                list.push((
                    term.to_string(),
                    FieldEntry { df, idf: index.idf(df), postings: encode_postings(&p, masks) },
                ));
                Ok(())
            })?;
            Ok(list)
        })
        .collect::<Result<_>>()?;
    for (f, list) in FieldKind::ALL.into_iter().zip(per_field) {
        for (term, entry) in list {
            terms.entry(term).or_insert_with(|| [None, None, None, None])[f as usize] = Some(entry);
        }
    }

    lap("terms");
    let mut entries: Vec<(String, Vec<u8>)> = Vec::with_capacity(terms.len());
    let mut total = 0usize;
    for (term, fields) in terms {
        let mut b = Buf::default();
        b.str(&term);
        let mask = fields.iter().enumerate().filter(|(_, e)| e.is_some()).fold(0u8, |m, (i, _)| m | 1 << i);
        b.0.push(mask);
        for e in fields.into_iter().flatten() {
            b.varint(e.df as u64);
            b.f32(e.idf);
            if e.postings.len() <= INLINE_LIMIT {
                b.0.push(0);
                b.bytes(&e.postings);
            } else {
                b.0.push(1);
                b.varint(post_files.len() as u64);
                post_files.push(e.postings);
            }
        }
        total += b.0.len();
        entries.push((term, b.0));
    }
    let shards = total.div_ceil(SHARD_BYTES).max(1) as u32;
    let mut shard_bufs: Vec<Vec<&[u8]>> = vec![Vec::new(); shards as usize];
    for (term, bytes) in &entries {
        shard_bufs[(fnv1a(term) % shards) as usize].push(bytes);
    }
    let encoded: Vec<[OutputFile; 1]> = shard_bufs
        .par_iter()
        .enumerate()
        .map(|(i, list)| {
            let mut b = Buf::default();
            b.varint(list.len() as u64);
            for e in list {
                b.0.extend_from_slice(e);
            }
            data_files(&format!("dict/{i}"), &b.0)
        })
        .collect();
    files.extend(encoded.into_iter().flatten());
    let encoded: Vec<[OutputFile; 1]> =
        post_files.par_iter().enumerate().map(|(i, p)| data_files(&format!("post/{i}"), p)).collect();
    files.extend(encoded.into_iter().flatten());

    lap("dictionary and postings");
    for f in FieldKind::ALL {
        files.extend(data_files(&format!("norms/{}", f.name()), &index.norm_ids(f)?));
    }

    // Chunks: each carries the page's metadata, so a result needs one file. Written group by
    // group (with the group's script bundle), never all held at once.
    (0..docs.len().div_ceil(256)).into_par_iter().try_for_each(|group| {
        let mut bins = Vec::new();
        for (i, d) in docs.iter().enumerate().skip(group * 256).take(256) {
            bins.extend(chunk_files(i, d));
        }
        for f in script_bundles(&bins) {
            sink.put(f)?;
        }
        bins.into_iter().try_for_each(|f| sink.put(f))
    })?;

    lap("chunks");
    let mut facets = BTreeMap::new();
    for name in FACETS {
        let mut values = index.facet_values(name)?;
        values.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
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
                let label = labels.get(&format!("{name}:{v}")).cloned().unwrap_or_else(|| v.clone());
                (v, label, list.len())
            })
            .collect();
        facets.insert(name, listed);
    }

    let mut blocks: BTreeMap<u32, Vec<u8>> = BTreeMap::new();
    for line in crate::fold::T2S_TABLE.lines().filter(|l| !l.starts_with('#')) {
        let mut chars = line.chars();
        if let (Some(t), Some(_), Some(s)) = (chars.next(), chars.next(), chars.next()) {
            let block = blocks.entry(t as u32 / 256).or_default();
            let mut b = Buf(std::mem::take(block));
            b.varint(t as u64 % 256);
            b.varint(s as u64);
            *block = b.0;
        }
    }
    let t2s_blocks: Vec<u32> = blocks.keys().copied().collect();
    for (block, data) in &blocks {
        files.extend(data_files(&format!("t2s/{block}"), data));
    }

    let manifest = Manifest {
        version: 1,
        docs: index.num_docs(),
        shards,
        chunk_positions: CHUNK_POSITIONS,
        mask_bits: MASK_BITS,
        boost: FieldKind::ALL.map(FieldKind::boost),
        tf_cache: FieldKind::ALL.map(|f| index.tf_cache(f)),
        facets,
        t2s_blocks,
    };
    let json = serde_json::to_vec(&manifest).map_err(|e| crate::Error::Search(e.to_string()))?;
    files.extend(data_files("manifest", &json));
    let scripts = script_bundles(&files);
    files.extend(scripts);
    lap("script bundles");
    files.push(OutputFile { path: "search/search.js".into(), bytes: CLIENT.as_bytes().to_vec() });
    files.into_iter().try_for_each(|f| sink.put(f))
}

/// The browser and node client.
pub const CLIENT: &str = include_str!("search.js");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard() {
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

    #[test]
    fn fnv_is_stable() {
        assert_eq!(fnv1a(""), 0x811c9dc5);
        assert_eq!(fnv1a("a"), 0xe40c292c);
    }
}
