//! Micro-benchmarks of the hot stages, on the repository's own knowledge base:
//!
//!     cargo bench --bench micro            # all
//!     cargo bench --bench micro -- analyzer
//!
//! `analyzer` tokenizes a page (bigrams, folding), `markdown` parses and renders a page body
//! (outline, glossary and link resolution included), `template` renders a whole page and the
//! timeline through tera, `export` encodes one dictionary shard and writes the whole export
//! of the site. Throughput is reported in bytes of page text.

use criterion::{Criterion, Throughput, black_box, criterion_group, criterion_main};
use std::path::Path;
use std::sync::Arc;
use zhiku::markdown;
use zhiku::render::{Job, Renderer, Templates};
use zhiku::search::{SearchDoc, analyzer, export::Export, index::SearchIndex};
use zhiku::site;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn benches(c: &mut Criterion) {
    let source = site::load(root(), None, false).expect("the repository's site loads");
    let (mut docs, links, _) = site::analyze(&source).expect("and links");
    // The longest page: a speech of several thousand characters.
    let page = (0..source.pages.len()).max_by_key(|&i| source.pages[i].body.len()).unwrap();
    let body = &source.pages[page].body;
    let text = &docs[page].text;

    let mut g = c.benchmark_group("analyzer");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("tokenize page", |b| b.iter(|| analyzer::tokenize(black_box(text)).len()));
    g.finish();

    let (search_docs, doc_pages) = site::search_docs(&source.pages, &mut docs, &links);
    let search_docs: Vec<Arc<SearchDoc>> = search_docs.into_iter().map(Arc::new).collect();
    let index = SearchIndex::build(None, &search_docs, 1).unwrap();
    let export = Export::from_index(&index, search_docs.clone(), &site::facet_labels()).unwrap();
    let extras = site::extras(&export, source.pages.len(), &doc_pages);
    let templates = Templates::new(&source.theme).unwrap();
    let renderer = Renderer::new(&templates, &source.config, &source.pages, &docs, &links, &extras).unwrap();

    let mut g = c.benchmark_group("markdown");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("parse page", |b| b.iter(|| markdown::parse(black_box(body), 1).events_len()));
    g.bench_function("render page body", |b| b.iter(|| renderer.body_html(black_box(page)).len()));
    g.finish();

    let mut g = c.benchmark_group("template");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("render page", |b| b.iter(|| renderer.render_job(Job::Page(black_box(page))).unwrap()));
    g.bench_function("render timeline", |b| b.iter(|| renderer.render_job(Job::Timeline).unwrap()));
    g.finish();

    let mut g = c.benchmark_group("export");
    let total: usize = search_docs.iter().map(|d| d.text.len()).sum();
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function("one dictionary shard", |b| b.iter(|| export.file("search/dict/0.bin").unwrap()));
    g.bench_function("whole site export", |b| {
        b.iter(|| {
            let sink = zhiku::output::Memory::default();
            export.write_all(&sink).unwrap();
            sink.count()
        })
    });
    g.finish();
}

criterion_group!(micro, benches);
criterion_main!(micro);
