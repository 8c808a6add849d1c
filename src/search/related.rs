//! Related pages: for each page, a few pages most similar by text, computed at build time from
//! the export's body postings. Each page is described by its most distinctive terms (tf·idf);
//! two pages are similar by the weights of the terms they share. Linear in the postings: each
//! term keeps only the pages for which it is most distinctive.

use super::export::{Cursor, Export};
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

/// Terms kept per page.
const TERMS_PER_DOC: usize = 24;
/// Pages kept per term.
const DOCS_PER_TERM: usize = 200;

/// A page's best terms as (weight, term id), heaviest first, ties to the lower term id.
type Best = Vec<(f32, u32)>;

/// Up to `n` similar docs for every doc, most similar first.
pub fn similar(index: &Export, n: usize) -> Vec<Vec<u32>> {
    similar_unless(index, n, &AtomicBool::new(false)).unwrap_or_default()
}

/// [`similar`], given up (`None`) as soon as `cancel` is set: the preview drops a computation
/// a newer save has made stale.
pub fn similar_unless(index: &Export, n: usize, cancel: &AtomicBool) -> Option<Vec<Vec<u32>>> {
    let cancelled = || cancel.load(Ordering::Relaxed);
    let num_docs = index.num_docs() as usize;
    let max_df = (num_docs / 4).max(2) as u32;
    let terms = index.body_postings();
    // 1 + ln(tf) for the common small frequencies.
    let log_tf: Vec<f32> = (0..64u32).map(|tf| 1.0 + (tf.max(1) as f32).ln()).collect();

    // Each thread takes a contiguous range of terms and keeps every doc's best terms of that
    // range; the ranges' lists are then merged. The result is the top of one total order, so it
    // does not depend on how terms were split.
    let ranges = rayon::current_num_threads().max(1) * 2;
    let per_range = terms.len().div_ceil(ranges).max(1);
    let partial: Vec<Vec<Best>> = terms
        .par_chunks(per_range)
        .enumerate()
        .map(|(r, chunk)| {
            let mut best: Vec<Best> = vec![Vec::new(); num_docs];
            // Weight a new term must beat, per doc, once its list is full.
            let mut floor = vec![f32::NEG_INFINITY; num_docs];
            let mut docs = Vec::new();
            for (k, bytes) in chunk.iter().enumerate() {
                if cancelled() {
                    return None;
                }
                let term = (r * per_range + k) as u32;
                let mut c = Cursor(bytes, 0);
                let df = c.varint() as u32;
                if df < 2 || df > max_df {
                    continue;
                }
                let idf = super::index::idf(num_docs as u32, df);
                docs.clear();
                let mut d = 0u32;
                for _ in 0..df {
                    d += c.varint() as u32;
                    docs.push(d);
                }
                for &d in &docs {
                    let tf = c.varint() as u32;
                    let w = log_tf.get(tf as usize).copied().unwrap_or_else(|| 1.0 + (tf as f32).ln()) * idf;
                    // Terms come in increasing id order: an equal weight loses the tie.
                    if w <= floor[d as usize] {
                        continue;
                    }
                    let list = &mut best[d as usize];
                    if list.capacity() == 0 {
                        // One allocation, never grown: at 100k pages, lists that doubled as they
                        // filled held over a gigabyte.
                        list.reserve_exact(TERMS_PER_DOC * 2);
                    }
                    list.push((w, term));
                    if list.len() >= TERMS_PER_DOC * 2 {
                        prune(list);
                        floor[d as usize] = list[TERMS_PER_DOC - 1].0;
                    }
                }
            }
            Some(best)
        })
        .collect::<Option<_>>()?;
    let best: Vec<Best> = (0..num_docs)
        .into_par_iter()
        .map(|d| {
            let mut list: Best = partial.iter().flat_map(|p| p[d].iter().copied()).collect();
            prune(&mut list);
            list
        })
        .collect();
    drop(partial);

    let mut by_term: Vec<Vec<(u32, f32)>> = vec![Vec::new(); terms.len()];
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
    best.par_iter()
        .enumerate()
        .map_init(
            || (vec![0.0f32; num_docs], Vec::<u32>::new(), Vec::<(f32, u32)>::new()),
            |(acc, touched, scored), (d, list)| {
                if cancelled() {
                    return None;
                }
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
                scored.clear();
                scored.extend(touched.iter().map(|&e| (acc[e as usize], e)));
                let order = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
                if scored.len() > n && n > 0 {
                    scored.select_nth_unstable_by(n - 1, order);
                    scored.truncate(n);
                }
                scored.sort_by(order);
                for &e in touched.iter() {
                    acc[e as usize] = 0.0;
                }
                touched.clear();
                // Collected from a borrow: `into_iter().collect()` would reuse the scored
                // buffer and keep its whole capacity in every page's short list (1.3 GB at 100k).
                Some(scored.iter().take(n).map(|&(_, e)| e).collect())
            },
        )
        .collect()
}

/// Keeps the `TERMS_PER_DOC` heaviest terms (ties: lower term id), heaviest first.
fn prune(list: &mut Best) {
    list.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    list.truncate(TERMS_PER_DOC);
}
