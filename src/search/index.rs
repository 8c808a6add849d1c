//! The tantivy index: built from [`SearchDoc`]s with the zhiku analyzer registered as the
//! tokenizer, read back through tantivy's term dictionary, postings and field norms.

use super::analyzer::tantivy_adapter::Analyzer;
use super::unigram::{Unigrams, Which};
use super::{FieldKind, SearchDoc};
use crate::{Error, Result};
use rust_i18n::t;
use std::path::Path;
use std::sync::Arc;
use tantivy::postings::Postings;
use tantivy::schema::{FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions, Value};
use tantivy::{DocSet, Index, IndexReader, TERMINATED, TantivyDocument, Term};

const K1: f32 = 1.2;
const B: f32 = 0.75;

fn err(e: impl std::fmt::Display) -> Error {
    Error::Search(e.to_string())
}

/// tantivy's idf for a term that occurs in `df` of `num_docs` documents.
pub fn idf(num_docs: u32, df: u32) -> f32 {
    let x = ((num_docs - df.min(num_docs)) as f32 + 0.5) / (df as f32 + 0.5);
    (1.0 + x).ln()
}

/// BM25's length normalisation per field-norm id, computed as tantivy computes it, for a field
/// holding `total_tokens` tokens over `num_docs` docs.
pub fn tf_cache(total_tokens: u64, num_docs: u32) -> Vec<f32> {
    let avg = total_tokens as f32 / num_docs.max(1) as f32;
    (0..=255u8)
        .map(|id| {
            let fieldnorm = tantivy::fieldnorm::FieldNormReader::id_to_fieldnorm(id);
            K1 * (1.0 - B + B * fieldnorm as f32 / avg)
        })
        .collect()
}

/// Postings of one term in one field, sorted by doc id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TermPostings {
    pub docs: Vec<u32>,
    pub tfs: Vec<u32>,
    /// tantivy's one-byte field-norm id of each doc.
    pub norms: Vec<u8>,
    /// Positions per doc (empty when not requested or the field has none).
    pub positions: Vec<Vec<u32>>,
}

/// What to read besides doc ids and frequencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    Frequencies,
    /// For each doc, a bit per text chunk holding the term (positions folded on the fly).
    ChunkMasks,
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    text: [Field; 4],
    doc: Field,
    facets: [Field; 4],
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = FieldKind::ALL.map(|f| {
        let (tokenizer, record) = if f.has_positions() {
            ("zhiku", IndexRecordOption::WithFreqsAndPositions)
        } else {
            ("zhiku1", IndexRecordOption::WithFreqs)
        };
        let opts = TextOptions::default()
            .set_indexing_options(TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(record));
        b.add_text_field(f.name(), opts)
    });
    let doc = b.add_u64_field("doc", INDEXED | FAST);
    let facets = super::FACETS.map(|name| b.add_text_field(name, STRING));
    (b.build(), Fields { text, doc, facets })
}

/// A search doc as tantivy indexes it, borrowing its text: queued documents are not copies.
#[derive(Debug, Clone)]
struct IndexDoc {
    doc: Arc<SearchDoc>,
    id: u64,
    fields: Fields,
    /// Whether tantivy also indexes the one-character fields (reference indexes for tests).
    unigrams: bool,
    /// The title's pinyin words ([`super::title_pinyin`]): a second value of the title field.
    pinyin: String,
}

/// A field value of an [`IndexDoc`].
#[derive(Debug, Clone)]
enum IndexValue<'a> {
    Str(&'a str),
    U64(u64),
}

impl<'a> tantivy::schema::Value<'a> for IndexValue<'a> {
    type ArrayIter = std::iter::Empty<Self>;
    type ObjectIter = std::iter::Empty<(&'a str, Self)>;

    fn as_value(&self) -> tantivy::schema::document::ReferenceValue<'a, Self> {
        use tantivy::schema::document::{ReferenceValue, ReferenceValueLeaf};
        match self {
            IndexValue::Str(s) => ReferenceValue::Leaf(ReferenceValueLeaf::Str(s)),
            IndexValue::U64(n) => ReferenceValue::Leaf(ReferenceValueLeaf::U64(*n)),
        }
    }
}

impl tantivy::Document for IndexDoc {
    type Value<'a> = IndexValue<'a>;
    type FieldsValuesIter<'a> = std::vec::IntoIter<(Field, IndexValue<'a>)>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        let (d, f) = (&*self.doc, &self.fields);
        let mut values = vec![
            (f.text[0], IndexValue::Str(&d.title)),
            (f.text[0], IndexValue::Str(&self.pinyin)),
            (f.text[1], IndexValue::Str(&d.text)),
        ];
        if self.unigrams {
            values.extend([(f.text[2], IndexValue::Str(&d.title)), (f.text[3], IndexValue::Str(&d.text))]);
        }
        values.extend([(f.doc, IndexValue::U64(self.id)), (f.facets[0], IndexValue::Str(&d.kind))]);
        values.extend(d.topics.iter().map(|t| (f.facets[1], IndexValue::Str(t))));
        values.push((f.facets[2], IndexValue::Str(d.year())));
        values.push((f.facets[3], IndexValue::Str(&d.region)));
        values.into_iter()
    }
}

fn register(index: &Index) {
    index.tokenizers().register("zhiku", Analyzer { unigram: false });
    index.tokenizers().register("zhiku1", Analyzer { unigram: true });
}

/// An index over a site's pages, with zhiku's doc ids (positions in the `SearchDoc` list).
/// tantivy holds the bigram fields and the facets; the one-character fields are counted
/// beside it ([`Unigrams`]), unless the index is a reference one made for tests.
/// tantivy's part may have several segments (a build does not merge them: merging cost more
/// than reading them together); every reader below combines them in zhiku doc order.
pub struct SearchIndex {
    reader: IndexReader,
    fields: Fields,
    /// Per segment: the reader and its tantivy doc id → zhiku doc id map.
    segments: Vec<(tantivy::SegmentReader, Vec<u32>)>,
    /// Per zhiku doc id: its segment and tantivy doc id there.
    located: Vec<(u32, u32)>,
    num_docs: u32,
    /// `None` when tantivy holds the one-character fields too.
    unigrams: Option<Unigrams>,
}

/// The one-character field `f` stands for, if it is one.
fn unigram_field(f: FieldKind) -> Option<Which> {
    match f {
        FieldKind::Title1 => Some(Which::Title),
        FieldKind::Body1 => Some(Which::Body),
        FieldKind::Title | FieldKind::Body => None,
    }
}

/// One segment's rows of a term: (zhiku doc, tf, field-norm id, positions or chunk mask).
type Row<P> = (u32, u32, u8, P);

impl SearchIndex {
    /// Builds the index in `dir` (created; must be empty) or in memory.
    pub fn build(dir: Option<&Path>, docs: &[Arc<SearchDoc>], threads: usize) -> Result<SearchIndex> {
        SearchIndex::build_with(dir, docs, threads, false)
    }

    /// An index where tantivy holds every field, the one-character ones included: tests compare
    /// zhiku's counts and ranking with tantivy's own.
    pub fn build_reference(docs: &[Arc<SearchDoc>]) -> Result<SearchIndex> {
        SearchIndex::build_with(None, docs, 1, true)
    }

    fn build_with(
        dir: Option<&Path>,
        docs: &[Arc<SearchDoc>],
        threads: usize,
        unigrams_in_tantivy: bool,
    ) -> Result<SearchIndex> {
        let (schema, fields) = schema();
        let index = match dir {
            Some(d) => {
                crate::fsx::create_dir_all(d)?;
                Index::create_in_dir(d, schema).map_err(err)?
            }
            None => Index::create_in_ram(schema),
        };
        register(&index);
        // Small sites: one thread and tantivy's smallest arena; large ones: ~3× the text size,
        // bounded, so memory stays proportionate.
        let text_bytes: usize = docs.iter().map(|d| d.text.len() + d.title.len()).sum();
        let threads = if docs.len() < 500 { 1 } else { threads.clamp(1, 8) };
        let per_thread = (text_bytes * 3 / threads).clamp(20_000_000, 400_000_000);
        let mut writer: tantivy::IndexWriter<IndexDoc> =
            index.writer_with_num_threads(threads, threads * per_thread).map_err(err)?;
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        for (i, d) in docs.iter().enumerate() {
            let doc = IndexDoc {
                doc: Arc::clone(d),
                id: i as u64,
                fields,
                unigrams: unigrams_in_tantivy,
                pinyin: super::title_pinyin(&d.title),
            };
            writer.add_document(doc).map_err(err)?;
        }
        // Counted while tantivy's threads index the rest.
        let t = std::time::Instant::now();
        let unigrams = (!unigrams_in_tantivy).then(|| Unigrams::build(&docs.iter().map(|d| &**d).collect::<Vec<_>>()));
        let counted = t.elapsed().as_secs_f64();
        if let (Some(d), Some(u)) = (dir, &unigrams) {
            crate::fsx::write(&d.join(super::unigram::FILE), u.encode())?;
        }
        writer.commit().map_err(err)?;
        writer.wait_merging_threads().map_err(err)?;
        if std::env::var_os("ZHIKU_TIMINGS").is_some() {
            let segments = index.searchable_segment_ids().map_err(err)?.len();
            eprintln!(
                "  (index: one-character fields {counted:.3}s, then tantivy {:.3}s, {segments} segment(s))",
                t.elapsed().as_secs_f64() - counted
            );
        }
        SearchIndex::from_index(index, fields, docs.len() as u32, unigrams)
    }

    /// Opens an index written by [`SearchIndex::build`] for `num_docs` docs. The one-character
    /// counts are read from beside it, or counted again from `all_docs()` if that file is
    /// missing or does not fit (about 0.5 s per 10,000 pages).
    pub fn open(dir: &Path, num_docs: usize, all_docs: impl FnOnce() -> Result<Vec<SearchDoc>>) -> Result<SearchIndex> {
        let index = Index::open_in_dir(dir).map_err(err)?;
        register(&index);
        let (_, fields) = schema();
        let indexed = index.reader().map_err(err)?.searcher().num_docs() as u32;
        if indexed as usize != num_docs {
            return Err(Error::Search(
                t!("search.index_mismatch", dir = dir.display(), indexed = indexed, stored = num_docs).into_owned(),
            ));
        }
        let unigrams = match Unigrams::open(dir, num_docs) {
            Some(u) => u,
            None => Unigrams::build(&all_docs()?.iter().collect::<Vec<_>>()),
        };
        SearchIndex::from_index(index, fields, indexed, Some(unigrams))
    }

    fn from_index(index: Index, fields: Fields, num_docs: u32, unigrams: Option<Unigrams>) -> Result<SearchIndex> {
        let reader = index.reader().map_err(err)?;
        let mut segments = Vec::new();
        for seg in reader.searcher().segment_readers() {
            let column = seg.fast_fields().u64("doc").map_err(err)?;
            let to_doc: Vec<u32> = (0..seg.max_doc()).map(|d| column.first(d).unwrap_or(0) as u32).collect();
            segments.push((seg.clone(), to_doc));
        }
        let mut located = vec![(u32::MAX, 0); num_docs as usize];
        for (s, (_, to_doc)) in segments.iter().enumerate() {
            for (local, &doc) in to_doc.iter().enumerate() {
                if let Some(slot) = located.get_mut(doc as usize) {
                    *slot = (s as u32, local as u32);
                }
            }
        }
        Ok(SearchIndex { reader, fields, segments, located, num_docs, unigrams })
    }

    pub fn num_docs(&self) -> u32 {
        self.num_docs
    }

    /// The counts that serve field `f`, when it is a one-character field counted beside tantivy.
    fn counted(&self, f: FieldKind) -> Option<(&Unigrams, Which)> {
        Some((self.unigrams.as_ref()?, unigram_field(f)?))
    }

    pub fn segment_count(&self) -> usize {
        self.segments.len()
    }

    /// BM25's length normalisation per field-norm id in field `f`.
    pub fn tf_cache(&self, f: FieldKind) -> Vec<f32> {
        tf_cache(self.total_tokens(f).unwrap_or(0), self.num_docs)
    }

    /// Tokens indexed in field `f`, over all docs.
    pub fn total_tokens(&self, f: FieldKind) -> Result<u64> {
        if let Some((u, w)) = self.counted(f) {
            return Ok(u.total_tokens(w));
        }
        let mut total = 0;
        for (seg, _) in &self.segments {
            total += seg.inverted_index(self.fields.text[f as usize]).map_err(err)?.total_num_tokens();
        }
        Ok(total)
    }

    /// The field-norm id of every doc (zhiku doc order) in field `f`.
    pub fn norm_ids(&self, f: FieldKind) -> Result<Vec<u8>> {
        if let Some((u, w)) = self.counted(f) {
            return Ok(u.norm_ids(w));
        }
        let mut out = vec![0u8; self.num_docs as usize];
        for (seg, to_doc) in &self.segments {
            let norms = seg.get_fieldnorms_reader(self.fields.text[f as usize]).map_err(err)?;
            for (tantivy_doc, &doc) in to_doc.iter().enumerate() {
                if let Some(slot) = out.get_mut(doc as usize) {
                    *slot = norms.fieldnorm_id(tantivy_doc as u32);
                }
            }
        }
        Ok(out)
    }

    /// tantivy's idf for a term that occurs in `df` documents.
    pub fn idf(&self, df: u32) -> f32 {
        idf(self.num_docs, df)
    }

    /// Postings of `term` in field `f`, in zhiku doc order.
    pub fn postings(&self, f: FieldKind, term: &str, with_positions: bool) -> Result<Option<TermPostings>> {
        if let Some((u, w)) = self.counted(f) {
            return Ok(u.postings(w, term));
        }
        let field = self.fields.text[f as usize];
        let record = if with_positions && f.has_positions() {
            IndexRecordOption::WithFreqsAndPositions
        } else {
            IndexRecordOption::WithFreqs
        };
        let mut rows = Vec::new();
        let mut found = false;
        for (seg, to_doc) in &self.segments {
            let ii = seg.inverted_index(field).map_err(err)?;
            let Some(info) = ii.get_term_info(&Term::from_field_text(field, term)).map_err(err)? else { continue };
            found = true;
            let postings = ii.read_postings_from_terminfo(&info, record).map_err(err)?;
            let norms = seg.get_fieldnorms_reader(field).map_err(err)?;
            collect_rows(postings, to_doc, &norms, &mut rows, |p, _| {
                let mut pos = Vec::new();
                if record.has_positions() {
                    p.positions(&mut pos);
                }
                pos
            });
        }
        Ok(found.then(|| into_postings(rows, record.has_positions())))
    }

    /// Every doc of field `f` holding the phrase `tokens` (each with its position relative to
    /// the first; one token is a term): its (zhiku doc, phrase count, field-norm id), in zhiku
    /// doc order, and each token's document frequency (for the idf), or `None` when a token
    /// is in no doc. Unlike [`SearchIndex::postings`], nothing is kept per token: the tokens'
    /// postings are intersected as they are read, positions are read only for docs holding
    /// every token (into buffers reused from doc to doc), and the segments are read side by
    /// side (rows merged in doc order, so the result does not depend on the threads).
    ///
    /// With `exact` false, a phrase's count is only bounded: a doc's positions are read up to
    /// its first place of the phrase (so whether it holds it is exact) and its count is given
    /// as the least of its tokens' frequencies, which the phrase cannot exceed ([`PhraseMatches::exact`]
    /// says which counts are exact; [`SearchIndex::phrase_counts`] gives the others).
    pub fn phrase_matches(&self, f: FieldKind, tokens: &[(String, u32)], exact: bool) -> Result<Option<PhraseMatches>> {
        if let Some((u, w)) = self.counted(f) {
            // A one-character field holds no positions: only one-token parts are looked up there.
            let [(term, _)] = tokens else { return Ok(None) };
            return Ok(u.postings(w, term).map(|p| PhraseMatches {
                doc_freqs: vec![p.docs.len() as u32],
                exact: vec![true; p.docs.len()],
                rows: (0..p.docs.len()).map(|i| (p.docs[i], p.tfs[i], p.norms[i])).collect(),
            }));
        }
        let field = self.fields.text[f as usize];
        let terms: Vec<Term> = tokens.iter().map(|(t, _)| Term::from_field_text(field, t)).collect();
        let rel: Vec<u32> = tokens.iter().map(|(_, r)| *r).collect();
        // Per segment: its term infos (None where a token is missing there).
        let mut doc_freqs = vec![0u32; tokens.len()];
        let mut plans = Vec::with_capacity(self.segments.len());
        for (seg, to_doc) in &self.segments {
            let ii = seg.inverted_index(field).map_err(err)?;
            let mut infos = Vec::with_capacity(terms.len());
            for (i, term) in terms.iter().enumerate() {
                let info = ii.get_term_info(term).map_err(err)?;
                if let Some(info) = &info {
                    doc_freqs[i] += info.doc_freq;
                }
                infos.push(info);
            }
            let infos: Option<Vec<_>> = infos.into_iter().collect();
            if let Some(infos) = infos {
                plans.push((ii, seg.get_fieldnorms_reader(field).map_err(err)?, to_doc, infos));
            }
        }
        if doc_freqs.contains(&0) {
            return Ok(None);
        }
        use rayon::prelude::*;
        let per_segment: Vec<Result<Vec<Row<bool>>>> = plans
            .par_iter()
            .map(|(ii, norms, to_doc, infos)| segment_phrase_rows(ii, norms, to_doc, infos, &rel, exact))
            .collect();
        let mut rows = Vec::new();
        for r in per_segment {
            rows.extend(r?);
        }
        if !rows.windows(2).all(|w| w[0].0 < w[1].0) {
            rows.sort_unstable_by_key(|r| r.0);
        }
        Ok(Some(PhraseMatches {
            doc_freqs,
            exact: rows.iter().map(|r| r.3).collect(),
            rows: rows.into_iter().map(|(d, tf, n, _)| (d, tf, n)).collect(),
        }))
    }

    /// The exact count of the phrase `tokens` in field `f` (one with positions) of each of
    /// `docs` (zhiku doc ids, any order), 0 where it is not there: each segment's postings are
    /// read once, seeking to its docs in order.
    pub fn phrase_counts(&self, f: FieldKind, tokens: &[(String, u32)], docs: &[u32]) -> Result<Vec<u32>> {
        Ok(self.phrase_places(f, tokens, docs)?.into_iter().map(|(count, _)| count).collect())
    }

    /// The first position in zhiku doc `doc` of field `f` (one with positions) where the phrase
    /// `tokens` occurs, if it does: the snippet's anchor, read for the shown results only.
    pub fn first_phrase_position(&self, f: FieldKind, tokens: &[(String, u32)], doc: u32) -> Result<Option<u32>> {
        Ok(self.phrase_places(f, tokens, &[doc])?.first().and_then(|&(_, first)| first))
    }

    /// (count, first position) of the phrase in each of `docs` (see [`SearchIndex::phrase_counts`]).
    fn phrase_places(&self, f: FieldKind, tokens: &[(String, u32)], docs: &[u32]) -> Result<Vec<(u32, Option<u32>)>> {
        let mut out = vec![(0, None); docs.len()];
        if self.counted(f).is_some() || !f.has_positions() || tokens.is_empty() {
            return Ok(out);
        }
        let field = self.fields.text[f as usize];
        let rel: Vec<u32> = tokens.iter().map(|(_, r)| *r).collect();
        // (segment, tantivy doc, slot in `out`), in reading order.
        let mut wanted: Vec<(u32, u32, usize)> = docs
            .iter()
            .enumerate()
            .filter_map(|(slot, &d)| self.located.get(d as usize).map(|&(s, local)| (s, local, slot)))
            .filter(|&(s, _, _)| (s as usize) < self.segments.len())
            .collect();
        wanted.sort_unstable();
        let mut positions: Vec<Vec<u32>> = vec![Vec::new(); tokens.len()];
        let mut cursors = Vec::new();
        for group in wanted.chunk_by(|a, b| a.0 == b.0) {
            let (seg, _) = &self.segments[group[0].0 as usize];
            let ii = seg.inverted_index(field).map_err(err)?;
            let mut postings = Vec::with_capacity(tokens.len());
            for (t, _) in tokens {
                let Some(info) = ii.get_term_info(&Term::from_field_text(field, t)).map_err(err)? else { break };
                postings.push(
                    ii.read_postings_from_terminfo(&info, IndexRecordOption::WithFreqsAndPositions).map_err(err)?,
                );
            }
            if postings.len() < tokens.len() {
                continue;
            }
            for &(_, local, slot) in group {
                if postings.iter_mut().any(|p| p.seek(local) != local) {
                    continue;
                }
                for (p, buf) in postings.iter_mut().zip(positions.iter_mut()) {
                    p.positions(buf);
                }
                out[slot] = super::query::phrase_count_with(&positions, &rel, &mut cursors);
            }
        }
        Ok(out)
    }

    /// Calls `visit` for every term of field `f` in `range` (UTF-8 bytes, from inclusive, to
    /// exclusive; `None` is unbounded), in term order, with its postings (and chunk masks when
    /// `detail` asks for them and the field has positions; else no masks).
    pub fn for_each_term(
        &self,
        f: FieldKind,
        detail: Detail,
        range: (Option<&[u8]>, Option<&[u8]>),
        mut visit: impl FnMut(&str, TermPostings, &[u64]) -> Result<()>,
    ) -> Result<()> {
        if let Some((u, w)) = self.counted(f) {
            return u.for_each_term(w, range, |term, p| visit(term, p, &[]));
        }
        let field = self.fields.text[f as usize];
        let masks_only = detail == Detail::ChunkMasks && f.has_positions();
        let record = if masks_only { IndexRecordOption::WithFreqsAndPositions } else { IndexRecordOption::WithFreqs };
        let mut readers = Vec::new();
        for (seg, to_doc) in &self.segments {
            readers.push((
                seg.inverted_index(field).map_err(err)?,
                seg.get_fieldnorms_reader(field).map_err(err)?,
                to_doc,
            ));
        }
        let mut streams = Vec::new();
        for (ii, _, _) in &readers {
            let mut builder = ii.terms().range();
            if let Some(from) = range.0 {
                builder = builder.ge(from);
            }
            if let Some(to) = range.1 {
                builder = builder.lt(to);
            }
            let mut stream = builder.into_stream().map_err(err)?;
            let live = stream.advance();
            streams.push((stream, live));
        }
        let mut rows: Vec<Row<u64>> = Vec::new();
        let mut masks = Vec::new();
        // The smallest current term over the segments' streams, in turn (a k-way merge).
        while let Some(key) = streams.iter().filter(|(_, live)| *live).map(|(s, _)| s.key()).min().map(<[u8]>::to_vec) {
            rows.clear();
            for ((stream, live), (ii, norms, to_doc)) in streams.iter_mut().zip(&readers) {
                if !*live || stream.key() != key.as_slice() {
                    continue;
                }
                let postings = ii.read_postings_from_terminfo(stream.value(), record).map_err(err)?;
                collect_rows(postings, to_doc, norms, &mut rows, |p, buf: &mut Vec<u32>| {
                    if !masks_only {
                        return 0;
                    }
                    buf.clear();
                    p.positions(buf);
                    super::export::chunk_mask(buf)
                });
                *live = stream.advance();
            }
            if !rows.windows(2).all(|w| w[0].0 < w[1].0) {
                rows.sort_by_key(|r| r.0);
            }
            let mut p = TermPostings::default();
            masks.clear();
            for &(d, tf, n, m) in &rows {
                p.docs.push(d);
                p.tfs.push(tf);
                p.norms.push(n);
                masks.push(m);
            }
            visit(&String::from_utf8_lossy(&key), p, if masks_only { &masks } else { &[] })?;
        }
        Ok(())
    }

    /// Terms of field `f` (a field with positions) that start with `prefix`, with their
    /// document frequency (summed over segments), in term order. Only the term dictionary is
    /// read, not postings.
    pub fn terms_with_prefix(&self, f: FieldKind, prefix: &str) -> Result<Vec<(String, u32)>> {
        let field = self.fields.text[f as usize];
        let mut end = prefix.as_bytes().to_vec();
        end.push(0xff);
        let mut out: std::collections::BTreeMap<String, u32> = std::collections::BTreeMap::new();
        for (seg, _) in &self.segments {
            let ii = seg.inverted_index(field).map_err(err)?;
            let mut stream = ii.terms().range().ge(prefix.as_bytes()).lt(&end).into_stream().map_err(err)?;
            while stream.advance() {
                let term = String::from_utf8_lossy(stream.key()).into_owned();
                *out.entry(term).or_default() += stream.value().doc_freq;
            }
        }
        Ok(out.into_iter().collect())
    }

    /// The document frequency of `term` in field `f` (0 when absent), without reading postings.
    pub fn doc_freq(&self, f: FieldKind, term: &str) -> Result<u32> {
        if let Some((u, w)) = self.counted(f) {
            return Ok(u.postings(w, term).map_or(0, |p| p.docs.len() as u32));
        }
        let field = self.fields.text[f as usize];
        let mut df = 0;
        for (seg, _) in &self.segments {
            let ii = seg.inverted_index(field).map_err(err)?;
            if let Some(info) = ii.get_term_info(&Term::from_field_text(field, term)).map_err(err)? {
                df += info.doc_freq;
            }
        }
        Ok(df)
    }

    /// zhiku doc ids having `value` for facet `name` (`type`, `topic`, `year`, `region`).
    pub fn facet_docs(&self, name: &str, value: &str) -> Result<Vec<u32>> {
        let Some(i) = super::FACETS.iter().position(|f| *f == name) else {
            return Err(Error::Usage(t!("search.unknown_filter", name = name).into_owned()));
        };
        let field = self.fields.facets[i];
        let mut docs = Vec::new();
        for (seg, to_doc) in &self.segments {
            let ii = seg.inverted_index(field).map_err(err)?;
            let Some(info) = ii.get_term_info(&Term::from_field_text(field, value)).map_err(err)? else { continue };
            let mut postings = ii.read_postings_from_terminfo(&info, IndexRecordOption::Basic).map_err(err)?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                docs.push(to_doc[doc as usize]);
                doc = postings.advance();
            }
        }
        docs.sort_unstable();
        Ok(docs)
    }

    /// The values facet `name` takes (`year`: `2023`, `2024`, …), sorted, each once.
    pub fn facet_values(&self, name: &str) -> Result<Vec<String>> {
        let Some(i) = super::FACETS.iter().position(|f| *f == name) else {
            return Err(Error::Usage(t!("search.unknown_filter", name = name).into_owned()));
        };
        let mut values = std::collections::BTreeSet::new();
        for (seg, _) in &self.segments {
            let ii = seg.inverted_index(self.fields.facets[i]).map_err(err)?;
            let mut stream = ii.terms().stream().map_err(err)?;
            while stream.advance() {
                values.insert(String::from_utf8_lossy(stream.key()).into_owned());
            }
        }
        Ok(values.into_iter().collect())
    }

    /// tantivy's own scores for a query of term/phrase parts (each part: title OR body, title
    /// boosted), used by tests to prove the exported ranking follows tantivy's BM25.
    pub fn tantivy_scores(&self, parts: &[(FieldKind, FieldKind, Vec<String>)]) -> Result<Vec<(u32, f32)>> {
        if parts.iter().any(|(t, b, _)| self.counted(*t).or(self.counted(*b)).is_some()) {
            return Err(Error::Search("tantivy holds no one-character fields here: use a reference index".into()));
        }
        use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
        let make = |f: FieldKind, tokens: &[String]| -> Box<dyn Query> {
            let field = self.fields.text[f as usize];
            let terms: Vec<Term> = tokens.iter().map(|t| Term::from_field_text(field, t)).collect();
            let q: Box<dyn Query> = if terms.len() == 1 {
                Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::WithFreqs))
            } else {
                Box::new(PhraseQuery::new(terms))
            };
            if f.boost() == 1.0 { q } else { Box::new(BoostQuery::new(q, f.boost())) }
        };
        let clauses: Vec<(Occur, Box<dyn Query>)> = parts
            .iter()
            .map(|(title, body, tokens)| {
                let part: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
                    (Occur::Should, make(*title, tokens)),
                    (Occur::Should, make(*body, tokens)),
                ]));
                (Occur::Must, part)
            })
            .collect();
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let top = searcher
            .search(&query, &tantivy::collector::TopDocs::with_limit(self.num_docs.max(1) as usize))
            .map_err(err)?;
        let mut out: Vec<(u32, f32)> = top
            .into_iter()
            .map(|(score, addr)| {
                let stored: Option<u64> = searcher
                    .doc::<TantivyDocument>(addr)
                    .ok()
                    .and_then(|d| d.get_first(self.fields.doc).and_then(|v| v.as_u64()));
                let fallback = || self.segments[addr.segment_ord as usize].1[addr.doc_id as usize];
                (stored.map_or_else(fallback, |v| v as u32), score)
            })
            .collect();
        out.sort_by_key(|(d, _)| *d);
        Ok(out)
    }
}

/// What [`SearchIndex::phrase_matches`] finds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PhraseMatches {
    /// Each token's document frequency, in the phrase's order.
    pub doc_freqs: Vec<u32>,
    /// (zhiku doc, phrase count or its bound, field-norm id), by doc.
    pub rows: Vec<(u32, u32, u8)>,
    /// Per row: whether its count is exact.
    pub exact: Vec<bool>,
}

/// One segment's rows of a phrase (see [`SearchIndex::phrase_matches`]): the rarest token's
/// postings lead, the others seek to its docs, and positions are read only where all are.
fn segment_phrase_rows(
    ii: &tantivy::InvertedIndexReader,
    norms: &tantivy::fieldnorm::FieldNormReader,
    to_doc: &[u32],
    infos: &[tantivy::postings::TermInfo],
    rel: &[u32],
    exact: bool,
) -> Result<Vec<Row<bool>>> {
    let mut rows = Vec::new();
    if let [info] = infos {
        let mut p = ii.read_postings_from_terminfo(info, IndexRecordOption::WithFreqs).map_err(err)?;
        let mut doc = p.doc();
        while doc != TERMINATED {
            rows.push((to_doc[doc as usize], p.term_freq(), norms.fieldnorm_id(doc), true));
            doc = p.advance();
        }
        return Ok(rows);
    }
    let mut postings = Vec::with_capacity(infos.len());
    for info in infos {
        postings.push(ii.read_postings_from_terminfo(info, IndexRecordOption::WithFreqsAndPositions).map_err(err)?);
    }
    // Seek order: rarest first.
    let mut order: Vec<usize> = (0..infos.len()).collect();
    order.sort_by_key(|&i| (infos[i].doc_freq, i));
    let (lead, others) = order.split_first().map(|(l, o)| (*l, o.to_vec())).unwrap_or_default();
    let mut positions: Vec<Vec<u32>> = vec![Vec::new(); infos.len()];
    let mut cursors = Vec::new();
    let mut doc = postings[lead].doc();
    'docs: while doc != TERMINATED {
        for &i in &others {
            let d = postings[i].seek(doc);
            if d != doc {
                doc = if d == TERMINATED { TERMINATED } else { postings[lead].seek(d) };
                continue 'docs;
            }
        }
        for (p, buf) in postings.iter_mut().zip(positions.iter_mut()) {
            p.positions(buf);
        }
        let to = to_doc[doc as usize];
        if exact {
            let (count, _) = super::query::phrase_count_with(&positions, rel, &mut cursors);
            if count > 0 {
                rows.push((to, count, norms.fieldnorm_id(doc), true));
            }
        } else if super::query::phrase_first(&positions, rel, &mut cursors).is_some() {
            let bound = positions.iter().map(|p| p.len() as u32).min().unwrap_or(0);
            rows.push((to, bound, norms.fieldnorm_id(doc), bound <= 1));
        }
        doc = postings[lead].advance();
    }
    Ok(rows)
}

/// Appends one segment's rows of a term, in zhiku doc ids; `detail` reads positions or masks.
fn collect_rows<P>(
    mut postings: tantivy::postings::SegmentPostings,
    to_doc: &[u32],
    norms: &tantivy::fieldnorm::FieldNormReader,
    rows: &mut Vec<Row<P>>,
    mut detail: impl FnMut(&mut tantivy::postings::SegmentPostings, &mut Vec<u32>) -> P,
) {
    let mut buf = Vec::new();
    let mut doc = postings.doc();
    while doc != TERMINATED {
        let extra = detail(&mut postings, &mut buf);
        rows.push((to_doc[doc as usize], postings.term_freq(), norms.fieldnorm_id(doc), extra));
        doc = postings.advance();
    }
}

/// Rows of all segments as postings in zhiku doc order.
fn into_postings(mut rows: Vec<Row<Vec<u32>>>, with_positions: bool) -> TermPostings {
    if !rows.windows(2).all(|w| w[0].0 < w[1].0) {
        rows.sort_by_key(|r| r.0);
    }
    let mut out = TermPostings::default();
    for (d, tf, n, p) in rows {
        out.docs.push(d);
        out.tfs.push(tf);
        out.norms.push(n);
        if with_positions {
            out.positions.push(p);
        }
    }
    out
}
