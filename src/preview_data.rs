//! Link previews: what a reader sees when hovering, focusing or tapping an internal link (the
//! target's title, type, date and summary, or for a link to a heading that section's first
//! lines), written at build time into small script files, `previews/<n>.js`.
//!
//! Script files, not JSON fetched: from `file://` browsers refuse `fetch` but run
//! `<script src>`. Each file holds the pages whose URL hashes to it (FNV-1a of the URL's UTF-8
//! bytes, modulo the number of files, which every page carries in `<body data-previews>`), about
//! [`PER_SHARD`] pages, so a preview loads one file of a few KB whatever the site's size.
//! Headings get an excerpt only when some link in the site leads to them.

use crate::content::{Page, PageKind};
use crate::link::{Links, root_prefix};
use crate::markdown;
use crate::render::{OutputFile, Renderer};
use std::collections::HashMap;

/// Pages per preview file, on average (the hash spreads them).
pub const PER_SHARD: usize = 24;
/// Characters of a section's excerpt.
const EXCERPT_CHARS: usize = 90;
/// Markdown bytes read after a heading for its excerpt at most.
const EXCERPT_SOURCE_BYTES: usize = 2048;

/// How many preview files a site with `pages` previewable pages has.
pub fn shard_count(pages: usize) -> usize {
    pages.div_ceil(PER_SHARD).max(1)
}

/// The file holding a URL's preview: FNV-1a (32 bits) of its bytes, as `zhiku.js` computes it.
pub fn shard_of(url: &str, count: usize) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for b in url.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h as usize % count.max(1)
}

/// How many preview files a site has: [`shard_count`] of the pages a link can lead to (regular
/// and topic pages, and topics without a page).
pub fn shards(pages: &[Page], links: &Links) -> usize {
    let generated = links.topics.iter().filter(|t| t.page.is_none()).count();
    shard_count(pages.iter().filter(|p| p.kind != PageKind::SectionIndex).count() + generated)
}

/// Path of preview file `n`.
pub fn shard_path(n: usize) -> String {
    format!("previews/{n}.js")
}

/// One page's preview: URL, title, type key and label, date, summary, and the excerpts of its
/// linked headings (id, text, first lines).
type Entry = (String, String, &'static str, &'static str, String, String, Vec<(String, String, String)>);

impl Renderer<'_> {
    /// Pages a link may lead to: regular and topic pages (the home page's and sections'
    /// introductions are lists, which need no preview).
    fn previewable(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.pages.len()).filter(|&i| self.pages[i].kind != PageKind::SectionIndex)
    }

    /// Every preview file. Linear in the pages and links of the site.
    pub fn preview_files(&self) -> Vec<OutputFile> {
        let count = self.preview_shards;
        let linked = self.linked_headings();
        let mut shards: Vec<Vec<Entry>> = vec![Vec::new(); count];
        for i in self.previewable() {
            let p = &self.pages[i];
            let (label, key) = self.type_of(i);
            let date = p.date.map(|d| d.chinese()).unwrap_or_default();
            let excerpts = linked.get(&i).map(|ids| self.excerpts(i, ids)).unwrap_or_default();
            let entry =
                (p.url.clone(), p.meta.title.clone(), key, label, date, self.summary_of(i).to_string(), excerpts);
            shards[shard_of(&p.url, count)].push(entry);
        }
        for t in self.links.topics.iter().filter(|t| t.page.is_none()) {
            let summary = format!("本专题收录 {} 篇文稿。", t.members.len());
            shards[shard_of(&t.url, count)].push((
                t.url.clone(),
                t.title.clone(),
                "topic",
                "专题",
                String::new(),
                summary,
                Vec::new(),
            ));
        }
        shards
            .into_iter()
            .enumerate()
            .map(|(n, mut entries)| {
                entries.sort();
                let json = serde_json::to_string(&entries).unwrap_or_else(|_| "[]".into());
                OutputFile { path: shard_path(n), bytes: format!("zhikuPreviews({n},{json});\n").into_bytes() }
            })
            .collect()
    }

    /// Per page, the ids of its headings that some link of the site leads to.
    fn linked_headings(&self) -> HashMap<usize, Vec<String>> {
        let by_url: HashMap<&str, usize> = self.previewable().map(|i| (self.pages[i].url.as_str(), i)).collect();
        let mut linked: HashMap<usize, Vec<String>> = HashMap::new();
        for i in self.previewable() {
            let prefix = root_prefix(&self.pages[i].url);
            for link in &self.docs[i].links {
                let Some(r) = self.links.resolve(i, &link.target) else { continue };
                let Some((path, anchor)) = r.href.split_once('#') else { continue };
                let target = if path.is_empty() {
                    Some(i)
                } else {
                    path.strip_prefix(prefix.as_str()).and_then(|u| by_url.get(u).copied())
                };
                if let Some(t) = target {
                    linked.entry(t).or_default().push(anchor.to_string());
                }
            }
        }
        for ids in linked.values_mut() {
            ids.sort();
            ids.dedup();
        }
        linked
    }

    /// The first lines under each of `ids`' headings of page `i`, as plain text.
    fn excerpts(&self, i: usize, ids: &[String]) -> Vec<(String, String, String)> {
        let page = &self.pages[i];
        let headings = &self.docs[i].headings;
        // Byte offset of each line of the body.
        let starts: Vec<usize> =
            std::iter::once(0).chain(page.body.match_indices('\n').map(|(at, _)| at + 1)).collect();
        let line_at = |line: usize| {
            let k = line.saturating_sub(page.body_line);
            starts.get(k).copied().unwrap_or(page.body.len())
        };
        let mut out = Vec::new();
        for (k, h) in headings.iter().enumerate() {
            if ids.binary_search(&h.id).is_err() {
                continue;
            }
            let start = line_at(h.line + 1);
            let mut end = headings.get(k + 1).map_or(page.body.len(), |next| line_at(next.line)).max(start);
            if end - start > EXCERPT_SOURCE_BYTES {
                end = start + EXCERPT_SOURCE_BYTES;
                while !page.body.is_char_boundary(end) {
                    end -= 1;
                }
            }
            let doc = markdown::parse(&page.body[start..end], h.line + 1);
            let first = doc.text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
            let text = crate::summary::of(None, first, EXCERPT_CHARS);
            if !text.is_empty() {
                out.push((h.id.clone(), h.text.clone(), text));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_match_the_client_hash() {
        // FNV-1a test vectors; zhiku.js computes the same over UTF-8 bytes.
        assert_eq!(shard_of("", usize::MAX), 0x811c_9dc5);
        assert_eq!(shard_of("a", usize::MAX), 0xe40c_292c);
        assert_eq!(shard_of("cases/枫桥/", 1), 0);
        assert_eq!(shard_count(0), 1);
        assert_eq!(shard_count(24), 1);
        assert_eq!(shard_count(25), 2);
    }
}
