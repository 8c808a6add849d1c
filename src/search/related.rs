//! Related pages: for each page, a few pages most similar by text, computed at build time from
//! the index's body postings. Each page is described by its most distinctive terms (tf·idf);
//! two pages are similar by the weights of the terms they share. Linear in the postings: each
//! term keeps only the pages for which it is most distinctive.

use super::export::Export;
use rayon::prelude::*;
use std::cmp::Ordering;

/// Terms kept per page.
const TERMS_PER_DOC: usize = 24;
/// Pages kept per term.
const DOCS_PER_TERM: usize = 200;

/// Up to `n` similar docs for every doc, most similar first.
pub fn similar(index: &Export, n: usize) -> Vec<Vec<u32>> {
    let num_docs = index.num_docs() as usize;
    let max_df = (num_docs / 4).max(2) as u32;
    // Per doc, its best terms as (weight, term id).
    let mut best: Vec<Vec<(f32, u32)>> = vec![Vec::new(); num_docs];
    let mut term_id = 0u32;
    index.for_each_body_term(|docs, tfs| {
        let df = docs.len() as u32;
        if df >= 2 && df <= max_df {
            let idf = super::index::idf(num_docs as u32, df);
            for (&d, &tf) in docs.iter().zip(tfs) {
                let w = (1.0 + (tf as f32).ln()) * idf;
                let list = &mut best[d as usize];
                list.push((w, term_id));
                if list.len() >= TERMS_PER_DOC * 4 {
                    prune(list);
                }
            }
        }
        term_id += 1;
    });
    for list in &mut best {
        prune(list);
    }

    let mut by_term: Vec<Vec<(u32, f32)>> = vec![Vec::new(); term_id as usize];
    for (d, list) in best.iter().enumerate() {
        for &(w, t) in list {
            by_term[t as usize].push((d as u32, w));
        }
    }
    for list in &mut by_term {
        if list.len() > DOCS_PER_TERM {
            list.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            list.truncate(DOCS_PER_TERM);
        }
    }

    // Each page is scored on its own (per-thread buffers), so pages run in parallel and the
    // result does not depend on the thread count.
    let out: Vec<Vec<u32>> = best
        .par_iter()
        .enumerate()
        .map_init(
            || (vec![0.0f32; num_docs], Vec::<u32>::new()),
            |(acc, touched), (d, list)| {
                for &(w, t) in list {
                    for &(e, we) in &by_term[t as usize] {
                        if e as usize != d {
                            if acc[e as usize] == 0.0 {
                                touched.push(e);
                            }
                            acc[e as usize] += w * we;
                        }
                    }
                }
                let mut scored: Vec<(f32, u32)> = touched.iter().map(|&e| (acc[e as usize], e)).collect();
                scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                for &e in touched.iter() {
                    acc[e as usize] = 0.0;
                }
                touched.clear();
                scored.into_iter().take(n).map(|(_, e)| e).collect()
            },
        )
        .collect();
    out
}

/// Keeps the `TERMS_PER_DOC` heaviest terms (ties: lower term id).
fn prune(list: &mut Vec<(f32, u32)>) {
    list.sort_by(|a, b| match b.0.total_cmp(&a.0) {
        Ordering::Equal => a.1.cmp(&b.1),
        o => o,
    });
    list.truncate(TERMS_PER_DOC);
}
