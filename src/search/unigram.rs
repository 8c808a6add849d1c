//! The one-character fields (`title1`, `body1`): for each folded Han character, the docs
//! holding it with its frequency, and each doc's character count (its field norm).
//!
//! tantivy holds the bigram fields, whose positions it is good at. A one-character field has
//! no positions, so its postings are a plain count; through tantivy's postings writer they cost
//! as much as the body's bigrams with positions (half of the index stage at 10k pages). Counted
//! here they cost a few percent of that, with the same numbers: doc ids, frequencies, field-norm
//! ids and token totals equal what tantivy computes for the same tokens (see the tests and
//! `tests/search.rs`, which compares the ranking with tantivy's own scores).

use super::SearchDoc;
use super::analyzer::for_each_han;
use super::export::{Buf, Cursor};
use super::index::TermPostings;
use rayon::prelude::*;

/// Docs counted in parallel at a time: bounds the per-doc lists held before merging.
const BATCH: usize = 4096;
/// Code points: the dense tables below are indexed by `char`.
const CHARS: usize = 0x11_0000;
const NONE: u32 = u32::MAX;
/// The file beside tantivy's that holds the counts, and how it starts (with a format version).
pub const FILE: &str = "unigrams.bin";
const MAGIC: &[u8] = b"zhiku-unigrams-1\n";

/// One field: terms in code point order (which is UTF-8 byte order, as tantivy sorts terms).
#[derive(Debug, Default)]
struct Field1 {
    /// (character, df, where its doc-id deltas and frequencies, interleaved varints, lie in
    /// the postings bytes).
    terms: Vec<(char, u32, std::ops::Range<usize>)>,
    norms: Vec<u8>,
    total_tokens: u64,
}

/// The title's and the body's one-character postings. The postings stay in one block of bytes
/// (the stored file, mapped, when opened): `zhiku search` decodes only the characters a query
/// has (at 100k pages the file holds 110 MB).
pub struct Unigrams {
    fields: [Field1; 2],
    postings: tantivy::directory::OwnedBytes,
}

impl std::fmt::Debug for Unigrams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Unigrams").field("fields", &self.fields).finish_non_exhaustive()
    }
}

impl PartialEq for Unigrams {
    fn eq(&self, other: &Unigrams) -> bool {
        self.fields.iter().zip(&other.fields).all(|(a, b)| {
            a.norms == b.norms
                && a.total_tokens == b.total_tokens
                && a.terms.len() == b.terms.len()
                && a.terms.iter().zip(&b.terms).all(|(x, y)| {
                    (x.0, x.1) == (y.0, y.1) && self.postings.get(x.2.clone()) == other.postings.get(y.2.clone())
                })
        })
    }
}

/// Which one-character field: the title's or the body's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Title = 0,
    Body = 1,
}

/// Per-thread character counts of one text, reset after each use.
struct Counter {
    counts: Vec<u32>,
    touched: Vec<char>,
}

impl Counter {
    fn new() -> Counter {
        Counter { counts: vec![0; CHARS], touched: Vec::new() }
    }

    /// (character, frequency) of each Han character of `text`, in first-occurrence order.
    fn count(&mut self, text: &str) -> Vec<(char, u32)> {
        for_each_han(text, |c| {
            let n = &mut self.counts[c as usize];
            if *n == 0 {
                self.touched.push(c);
            }
            *n += 1;
        });
        let out = self.touched.iter().map(|&c| (c, std::mem::take(&mut self.counts[c as usize]))).collect();
        self.touched.clear();
        out
    }
}

/// A field being collected doc by doc, in doc order.
struct Collector {
    /// Per code point: its slot in `lists`, or `NONE`.
    slot: Vec<u32>,
    /// (character, df, last doc, postings).
    lists: Vec<(char, u32, u32, Buf)>,
    norms: Vec<u8>,
    total_tokens: u64,
}

impl Collector {
    fn new(docs: usize) -> Collector {
        Collector { slot: vec![NONE; CHARS], lists: Vec::new(), norms: Vec::with_capacity(docs), total_tokens: 0 }
    }

    fn add(&mut self, doc: u32, counts: &[(char, u32)]) {
        let tokens: u32 = counts.iter().map(|&(_, tf)| tf).sum();
        self.norms.push(tantivy::fieldnorm::FieldNormReader::fieldnorm_to_id(tokens));
        self.total_tokens += tokens as u64;
        for &(c, tf) in counts {
            let slot = &mut self.slot[c as usize];
            if *slot == NONE {
                *slot = self.lists.len() as u32;
                self.lists.push((c, 0, 0, Buf::default()));
            }
            let (_, df, last, buf) = &mut self.lists[*slot as usize];
            buf.varint((doc - *last) as u64);
            buf.varint(tf as u64);
            *last = doc;
            *df += 1;
        }
    }

    /// The field, its postings appended to `postings`.
    fn finish(self, postings: &mut Vec<u8>) -> Field1 {
        let mut lists = self.lists;
        lists.sort_unstable_by_key(|t| t.0);
        let terms = lists
            .into_iter()
            .map(|(c, df, _, b)| {
                let from = postings.len();
                postings.extend_from_slice(&b.0);
                (c, df, from..postings.len())
            })
            .collect();
        Field1 { terms, norms: self.norms, total_tokens: self.total_tokens }
    }
}

impl Unigrams {
    /// Counts the Han characters of every doc's title and text.
    pub fn build(docs: &[&SearchDoc]) -> Unigrams {
        let count = |batch: &[&SearchDoc]| -> Vec<[Vec<(char, u32)>; 2]> {
            batch.par_iter().map_init(Counter::new, |c, d| [c.count(&d.title), c.count(&d.text)]).collect()
        };
        let mut fields = [Collector::new(docs.len()), Collector::new(docs.len())];
        let mut batches = docs.chunks(BATCH);
        let mut counted = count(batches.next().unwrap_or(&[]));
        let mut doc = 0u32;
        // Each batch is merged (in doc order, on one thread) while the next one is counted.
        loop {
            let next = batches.next();
            let merge = || {
                for pair in &counted {
                    for (field, counts) in fields.iter_mut().zip(pair) {
                        field.add(doc, counts);
                    }
                    doc += 1;
                }
            };
            let (_, more) = rayon::join(merge, || next.map(count));
            match more {
                Some(more) => counted = more,
                None => break,
            }
        }
        let mut postings = Vec::new();
        let fields = fields.map(|f| f.finish(&mut postings));
        Unigrams { fields, postings: tantivy::directory::OwnedBytes::new(postings) }
    }

    /// The counts as stored beside the index ([`FILE`]), so `zhiku search` need not count
    /// them again.
    pub fn encode(&self) -> Vec<u8> {
        let mut b = Buf::default();
        b.0.extend_from_slice(MAGIC);
        for f in &self.fields {
            b.varint(f.total_tokens);
            b.bytes(&f.norms);
            b.varint(f.terms.len() as u64);
            for (c, df, range) in &f.terms {
                b.varint(u64::from(*c));
                b.varint(u64::from(*df));
                b.bytes(&self.postings[range.clone()]);
            }
        }
        b.0
    }

    /// Reads what [`Unigrams::encode`] wrote for `num_docs` docs; `None` if `bytes` are not that.
    pub fn decode(bytes: &[u8], num_docs: usize) -> Option<Unigrams> {
        Unigrams::decode_owned(tantivy::directory::OwnedBytes::new(bytes.to_vec()), num_docs)
    }

    /// Opens the stored file (mapped: only the characters a query asks for are read), or
    /// `None` if it is missing or not the counts of `num_docs` docs.
    pub fn open(dir: &std::path::Path, num_docs: usize) -> Option<Unigrams> {
        use tantivy::directory::{Directory, MmapDirectory};
        let file = MmapDirectory::open(dir).ok()?.open_read(std::path::Path::new(FILE)).ok()?;
        Unigrams::decode_owned(file.read_bytes().ok()?, num_docs)
    }

    /// As [`Unigrams::decode`], keeping `bytes` as the postings (no copy).
    fn decode_owned(bytes: tantivy::directory::OwnedBytes, num_docs: usize) -> Option<Unigrams> {
        let start = MAGIC.len();
        if bytes.get(..start) != Some(MAGIC) {
            return None;
        }
        let mut c = Cursor(&bytes, start);
        let take = |c: &mut Cursor| -> Option<std::ops::Range<usize>> {
            let n = usize::try_from(c.varint()).ok()?;
            let range = c.1..c.1.checked_add(n)?;
            c.0.get(range.clone())?;
            c.1 = range.end;
            Some(range)
        };
        let mut fields: [Field1; 2] = Default::default();
        for f in &mut fields {
            f.total_tokens = c.varint();
            f.norms = bytes.get(take(&mut c)?)?.to_vec();
            if f.norms.len() != num_docs {
                return None;
            }
            let n = usize::try_from(c.varint()).ok()?;
            f.terms.reserve(n.min(CHARS));
            for _ in 0..n {
                let ch = char::from_u32(u32::try_from(c.varint()).ok()?)?;
                let df = u32::try_from(c.varint()).ok()?;
                f.terms.push((ch, df, take(&mut c)?));
            }
        }
        let complete = c.1 == bytes.len();
        complete.then_some(Unigrams { fields, postings: bytes })
    }

    pub fn norm_ids(&self, f: Which) -> Vec<u8> {
        self.fields[f as usize].norms.clone()
    }

    pub fn total_tokens(&self, f: Which) -> u64 {
        self.fields[f as usize].total_tokens
    }

    /// The postings of `term` (one character) in field `f`.
    pub fn postings(&self, f: Which, term: &str) -> Option<TermPostings> {
        let mut chars = term.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else { return None };
        let field = &self.fields[f as usize];
        let i = field.terms.binary_search_by_key(&c, |t| t.0).ok()?;
        Some(field.decode(i, &self.postings))
    }

    /// Calls `visit` for every term of field `f` whose UTF-8 bytes are in `range` (from
    /// inclusive, to exclusive; `None` is unbounded), in term order.
    pub fn for_each_term<E>(
        &self,
        f: Which,
        range: (Option<&[u8]>, Option<&[u8]>),
        mut visit: impl FnMut(&str, TermPostings) -> Result<(), E>,
    ) -> Result<(), E> {
        let field = &self.fields[f as usize];
        let mut buf = [0u8; 4];
        for (i, (c, _, _)) in field.terms.iter().enumerate() {
            let term = c.encode_utf8(&mut buf);
            if range.0.is_some_and(|from| term.as_bytes() < from) || range.1.is_some_and(|to| term.as_bytes() >= to) {
                continue;
            }
            visit(term, field.decode(i, &self.postings))?;
        }
        Ok(())
    }
}

impl Field1 {
    fn decode(&self, i: usize, postings: &[u8]) -> TermPostings {
        let (_, df, range) = &self.terms[i];
        let mut p = TermPostings::default();
        let mut c = Cursor(postings.get(range.clone()).unwrap_or(&[]), 0);
        let mut doc = 0u32;
        for _ in 0..*df {
            doc += c.varint() as u32;
            p.docs.push(doc);
            p.tfs.push(c.varint() as u32);
            p.norms.push(self.norms.get(doc as usize).copied().unwrap_or(0));
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::FieldKind;
    use crate::search::index::{Detail, SearchIndex};
    use std::sync::Arc;

    fn doc(title: &str, text: &str) -> Arc<SearchDoc> {
        Arc::new(SearchDoc {
            url: "/x/".into(),
            title: title.into(),
            text: text.into(),
            kind: "speech".into(),
            kind_label: "讲话".into(),
            date: String::new(),
            topics: Vec::new(),
            region: String::new(),
            summary: String::new(),
        })
    }

    fn terms(index: &SearchIndex, f: FieldKind, range: (Option<&[u8]>, Option<&[u8]>)) -> Vec<(String, TermPostings)> {
        let mut out = Vec::new();
        index
            .for_each_term(f, Detail::Frequencies, range, |t, p, _| {
                out.push((t.to_string(), p));
                Ok(())
            })
            .unwrap();
        out
    }

    /// Counted beside tantivy, the one-character fields hold exactly what tantivy computes for
    /// the same tokens: terms, doc ids, frequencies, field norms and token totals. More docs
    /// than one batch, so batches join in doc order.
    #[test]
    fn counts_equal_what_tantivy_indexes() {
        let alphabet: Vec<char> = "社会工作黨建引領楓橋經驗党村治理志愿服务，。 ab1𠀋ＡＢ"
            .chars()
            .chain(['\u{0301}', '\u{F900}', '\u{2F00}'])
            .collect();
        let docs: Vec<Arc<SearchDoc>> = (0..BATCH + 300)
            .map(|i| {
                let pick = |n: usize, salt: usize| -> String {
                    (0..n).map(|k| alphabet[(i * 7 + k * k * 13 + salt) % alphabet.len()]).collect()
                };
                let title = if i % 11 == 0 { String::new() } else { pick(i % 9, 1) };
                doc(&title, &pick(i % 97, 5))
            })
            .collect();
        let ours = SearchIndex::build(None, &docs, 2).unwrap();
        let theirs = SearchIndex::build_reference(&docs).unwrap();
        for f in [FieldKind::Title1, FieldKind::Body1] {
            assert_eq!(ours.norm_ids(f).unwrap(), theirs.norm_ids(f).unwrap(), "{f:?} norms");
            assert_eq!(ours.total_tokens(f).unwrap(), theirs.total_tokens(f).unwrap(), "{f:?} tokens");
            let all = terms(&theirs, f, (None, None));
            assert!(all.len() > 10, "{f:?}: {} terms", all.len());
            assert_eq!(terms(&ours, f, (None, None)), all, "{f:?} postings");
            let (from, to) = ("党".as_bytes(), "治".as_bytes());
            assert_eq!(terms(&ours, f, (Some(from), Some(to))), terms(&theirs, f, (Some(from), Some(to))));
            for (term, p) in &all {
                assert_eq!(ours.postings(f, term, false).unwrap().as_ref(), Some(p), "{f:?} {term}");
            }
            assert_eq!(ours.postings(f, "无", false).unwrap(), None);
        }
    }

    /// The counts stored beside the index read back as they were; a file for other docs, cut
    /// short or changed in its framing is refused (and then counted again by `open`).
    #[test]
    fn stored_counts_read_back_and_bad_files_are_refused() {
        let docs: Vec<Arc<SearchDoc>> = (0..300)
            .map(|i| doc(&"社会工作楓橋"[..3 * (i % 6)], &"党建引领基层治理，志愿服务𠀋。".repeat(i % 7)))
            .collect();
        let counted = Unigrams::build(&docs.iter().map(|d| &**d).collect::<Vec<_>>());
        assert!(counted.fields[1].terms.len() > 5);
        let bytes = counted.encode();
        assert_eq!(Unigrams::decode(&bytes, docs.len()), Some(counted));
        assert_eq!(Unigrams::decode(&bytes, docs.len() - 1), None, "another site's counts");
        assert_eq!(Unigrams::decode(&bytes[..bytes.len() - 1], docs.len()), None, "cut short");
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(Unigrams::decode(&longer, docs.len()), None, "trailing bytes");
        assert_eq!(Unigrams::decode(&bytes[1..], docs.len()), None, "another format");
        assert_eq!(Unigrams::decode(&[0xff; 64], docs.len()), None);
    }

    /// `open` reads the stored counts, and counts again when they are missing.
    #[test]
    fn an_opened_index_has_the_built_counts_with_or_without_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let docs: Vec<Arc<SearchDoc>> =
            (0..50).map(|i| doc("基層治理", &"社会工作者服务群众。".repeat(i % 5 + 1))).collect();
        let built = SearchIndex::build(Some(dir.path()), &docs, 1).unwrap();
        let plain: Vec<SearchDoc> = docs.iter().map(|d| (**d).clone()).collect();
        // Other text: counted again it would give other counts, so equal counts come from the file.
        let other: Vec<SearchDoc> = plain.iter().map(|d| SearchDoc { text: "无".into(), ..d.clone() }).collect();
        let check = |what: &str, docs: &[SearchDoc]| {
            let opened = SearchIndex::open(dir.path(), docs.len(), || Ok(docs.to_vec())).unwrap();
            for f in [FieldKind::Title1, FieldKind::Body1] {
                assert_eq!(terms(&opened, f, (None, None)), terms(&built, f, (None, None)), "{what}: {f:?}");
                assert_eq!(opened.norm_ids(f).unwrap(), built.norm_ids(f).unwrap(), "{what}: {f:?} norms");
            }
        };
        assert!(dir.path().join(FILE).is_file());
        check("stored", &other);
        std::fs::remove_file(dir.path().join(FILE)).unwrap();
        check("counted again", &plain);
    }
}
