//! The tantivy index: built from [`SearchDoc`]s with the zhiku analyzer registered as the
//! tokenizer, read back through tantivy's term dictionary, postings and field norms.

use super::analyzer::tantivy_adapter::Analyzer;
use super::{FieldKind, SearchDoc};
use crate::{Error, Result};
use std::path::Path;
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
    Positions,
    /// For each doc, a bit per text chunk holding the term (positions folded on the fly).
    ChunkMasks,
}

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

fn register(index: &Index) {
    index.tokenizers().register("zhiku", Analyzer { unigram: false });
    index.tokenizers().register("zhiku1", Analyzer { unigram: true });
}

/// An index over a site's pages, with zhiku's doc ids (positions in the `SearchDoc` list).
pub struct SearchIndex {
    reader: IndexReader,
    fields: Fields,
    /// tantivy doc id → zhiku doc id.
    to_doc: Vec<u32>,
    num_docs: u32,
}

impl SearchIndex {
    /// Builds the index in `dir` (created; must be empty) or in memory.
    pub fn build(dir: Option<&Path>, docs: &[SearchDoc], threads: usize) -> Result<SearchIndex> {
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
        let mut writer: tantivy::IndexWriter<TantivyDocument> =
            index.writer_with_num_threads(threads, threads * per_thread).map_err(err)?;
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        for (i, d) in docs.iter().enumerate() {
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.text[0], &d.title);
            doc.add_text(fields.text[1], &d.text);
            doc.add_text(fields.text[2], &d.title);
            doc.add_text(fields.text[3], &d.text);
            doc.add_u64(fields.doc, i as u64);
            doc.add_text(fields.facets[0], &d.kind);
            for t in &d.topics {
                doc.add_text(fields.facets[1], t);
            }
            doc.add_text(fields.facets[2], d.year());
            doc.add_text(fields.facets[3], &d.region);
            writer.add_document(doc).map_err(err)?;
        }
        let t = std::time::Instant::now();
        writer.commit().map_err(err)?;
        let segments = index.searchable_segment_ids().map_err(err)?;
        let committed = t.elapsed().as_secs_f64();
        if segments.len() > 1 {
            writer.merge(&segments).wait().map_err(err)?;
        }
        writer.wait_merging_threads().map_err(err)?;
        if std::env::var_os("ZHIKU_TIMINGS").is_some() {
            eprintln!(
                "  (index: commit {committed:.3}s, {} segment(s), merge {:.3}s)",
                segments.len(),
                t.elapsed().as_secs_f64() - committed
            );
        }
        SearchIndex::from_index(index, fields, docs.len() as u32)
    }

    /// Opens an index written by [`SearchIndex::build`].
    pub fn open(dir: &Path) -> Result<SearchIndex> {
        let index = Index::open_in_dir(dir).map_err(err)?;
        register(&index);
        let (_, fields) = schema();
        let num_docs = index.reader().map_err(err)?.searcher().num_docs() as u32;
        SearchIndex::from_index(index, fields, num_docs)
    }

    fn from_index(index: Index, fields: Fields, num_docs: u32) -> Result<SearchIndex> {
        let reader = index.reader().map_err(err)?;
        let searcher = reader.searcher();
        let segments = searcher.segment_readers();
        if segments.len() > 1 {
            return Err(Error::Search("the index has more than one segment".into()));
        }
        let mut to_doc = Vec::new();
        if let Some(seg) = segments.first() {
            let column = seg.fast_fields().u64("doc").map_err(err)?;
            to_doc = (0..seg.max_doc()).map(|d| column.first(d).unwrap_or(0) as u32).collect();
        }
        Ok(SearchIndex { reader, fields, to_doc, num_docs })
    }

    pub fn num_docs(&self) -> u32 {
        self.num_docs
    }

    fn segment(&self) -> Option<tantivy::SegmentReader> {
        self.reader.searcher().segment_readers().first().cloned()
    }

    /// BM25's length normalisation per field-norm id in field `f`.
    pub fn tf_cache(&self, f: FieldKind) -> Vec<f32> {
        tf_cache(self.total_tokens(f).unwrap_or(0), self.num_docs)
    }

    /// Tokens indexed in field `f`, over all docs.
    pub fn total_tokens(&self, f: FieldKind) -> Result<u64> {
        let Some(seg) = self.segment() else { return Ok(0) };
        Ok(seg.inverted_index(self.fields.text[f as usize]).map_err(err)?.total_num_tokens())
    }

    /// The field-norm id of every doc (zhiku doc order) in field `f`.
    pub fn norm_ids(&self, f: FieldKind) -> Result<Vec<u8>> {
        let mut out = vec![0u8; self.num_docs as usize];
        if let Some(seg) = self.segment() {
            let norms = seg.get_fieldnorms_reader(self.fields.text[f as usize]).map_err(err)?;
            for (tantivy_doc, &doc) in self.to_doc.iter().enumerate() {
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
        let Some(seg) = self.segment() else { return Ok(None) };
        let field = self.fields.text[f as usize];
        let ii = seg.inverted_index(field).map_err(err)?;
        let Some(info) = ii.get_term_info(&Term::from_field_text(field, term)).map_err(err)? else {
            return Ok(None);
        };
        let record = if with_positions && f.has_positions() {
            IndexRecordOption::WithFreqsAndPositions
        } else {
            IndexRecordOption::WithFreqs
        };
        let postings = ii.read_postings_from_terminfo(&info, record).map_err(err)?;
        let norms = seg.get_fieldnorms_reader(field).map_err(err)?;
        Ok(Some(self.collect(postings, &norms, record.has_positions())))
    }

    fn collect(
        &self,
        mut postings: tantivy::postings::SegmentPostings,
        norms: &tantivy::fieldnorm::FieldNormReader,
        with_positions: bool,
    ) -> TermPostings {
        let mut rows: Vec<(u32, u32, u8, Vec<u32>)> = Vec::new();
        let mut doc = postings.doc();
        while doc != TERMINATED {
            let mut pos = Vec::new();
            if with_positions {
                postings.positions(&mut pos);
            }
            rows.push((self.to_doc[doc as usize], postings.term_freq(), norms.fieldnorm_id(doc), pos));
            doc = postings.advance();
        }
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

    /// Calls `visit` for every term of field `f`, in term order, with its postings (and chunk
    /// masks in `masks` when `detail` asks for them; positions are not kept then).
    pub fn for_each_term(
        &self,
        f: FieldKind,
        detail: Detail,
        mut visit: impl FnMut(&str, TermPostings, &[u64]) -> Result<()>,
    ) -> Result<()> {
        let Some(seg) = self.segment() else { return Ok(()) };
        let field = self.fields.text[f as usize];
        let ii = seg.inverted_index(field).map_err(err)?;
        let norms = seg.get_fieldnorms_reader(field).map_err(err)?;
        let positions = detail != Detail::Frequencies && f.has_positions();
        let record = if positions { IndexRecordOption::WithFreqsAndPositions } else { IndexRecordOption::WithFreqs };
        let mut stream = ii.terms().stream().map_err(err)?;
        let mut masks = Vec::new();
        let mut buf = Vec::new();
        while stream.advance() {
            let term = String::from_utf8_lossy(stream.key()).into_owned();
            let postings = ii.read_postings_from_terminfo(stream.value(), record).map_err(err)?;
            if detail == Detail::ChunkMasks && positions {
                let (p, m) = self.collect_masks(postings, &norms, &mut buf, &mut masks);
                visit(&term, p, m)?;
            } else {
                visit(&term, self.collect(postings, &norms, positions), &[])?;
            }
        }
        Ok(())
    }

    fn collect_masks<'m>(
        &self,
        mut postings: tantivy::postings::SegmentPostings,
        norms: &tantivy::fieldnorm::FieldNormReader,
        buf: &mut Vec<u32>,
        masks: &'m mut Vec<u64>,
    ) -> (TermPostings, &'m [u64]) {
        let mut rows: Vec<(u32, u32, u8, u64)> = Vec::new();
        let mut doc = postings.doc();
        while doc != TERMINATED {
            buf.clear();
            postings.positions(buf);
            let mask = super::export::chunk_mask(buf);
            rows.push((self.to_doc[doc as usize], postings.term_freq(), norms.fieldnorm_id(doc), mask));
            doc = postings.advance();
        }
        if !rows.windows(2).all(|w| w[0].0 < w[1].0) {
            rows.sort_by_key(|r| r.0);
        }
        let mut out = TermPostings::default();
        masks.clear();
        for (d, tf, n, m) in rows {
            out.docs.push(d);
            out.tfs.push(tf);
            out.norms.push(n);
            masks.push(m);
        }
        (out, masks)
    }

    /// zhiku doc ids having `value` for facet `name` (`type`, `topic`, `year`, `region`).
    pub fn facet_docs(&self, name: &str, value: &str) -> Result<Vec<u32>> {
        let Some(i) = super::FACETS.iter().position(|f| *f == name) else {
            return Err(Error::Usage(format!("unknown filter `{name}`")));
        };
        let Some(seg) = self.segment() else { return Ok(Vec::new()) };
        let field = self.fields.facets[i];
        let ii = seg.inverted_index(field).map_err(err)?;
        let Some(info) = ii.get_term_info(&Term::from_field_text(field, value)).map_err(err)? else {
            return Ok(Vec::new());
        };
        let mut postings = ii.read_postings_from_terminfo(&info, IndexRecordOption::Basic).map_err(err)?;
        let mut docs = Vec::new();
        let mut doc = postings.doc();
        while doc != TERMINATED {
            docs.push(self.to_doc[doc as usize]);
            doc = postings.advance();
        }
        docs.sort_unstable();
        Ok(docs)
    }

    /// Every value of facet `name` with its doc ids.
    pub fn facet_values(&self, name: &str) -> Result<Vec<(String, Vec<u32>)>> {
        let Some(i) = super::FACETS.iter().position(|f| *f == name) else { return Ok(Vec::new()) };
        let Some(seg) = self.segment() else { return Ok(Vec::new()) };
        let field = self.fields.facets[i];
        let ii = seg.inverted_index(field).map_err(err)?;
        let mut stream = ii.terms().stream().map_err(err)?;
        let mut values = Vec::new();
        while stream.advance() {
            let value = String::from_utf8_lossy(stream.key()).into_owned();
            if !value.is_empty() {
                values.push(value);
            }
        }
        values.into_iter().map(|v| self.facet_docs(name, &v).map(|d| (v, d))).collect()
    }

    /// tantivy's own scores for a query of term/phrase parts (each part: title OR body, title
    /// boosted), used by tests to prove the exported ranking follows tantivy's BM25.
    pub fn tantivy_scores(&self, parts: &[(FieldKind, FieldKind, Vec<String>)]) -> Result<Vec<(u32, f32)>> {
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
                (stored.map_or_else(|| self.to_doc[addr.doc_id as usize], |v| v as u32), score)
            })
            .collect();
        out.sort_by_key(|(d, _)| *d);
        Ok(out)
    }
}
