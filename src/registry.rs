//! Who owns each output path. Every file the site writes is registered with its owner (a content
//! file, a page zhiku makes, a theme file) and checked in one place, so no source can silently
//! replace another's file.
//!
//! Paths that differ only in letter case clash too: the output is meant to be copied to USB
//! sticks (FAT, exFAT) and to Windows and macOS disks, where `Cases/a/` and `cases/a/` are one
//! folder and one of the two pages would be lost in the copy. (Unicode normalization, which
//! macOS also ignores in names, is not checked: slugs are ASCII or kept as written.)

use std::borrow::Cow;
use std::collections::HashMap;

/// How two output paths clash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClashKind {
    /// Both write the same file.
    SamePath,
    /// The paths differ only in letter case: one file on case-insensitive file systems.
    CaseOnly,
    /// The first writes a file where the second needs a folder (`a.xml` and `a.xml/index.html`).
    FileAndFolder,
}

/// Two registered paths that cannot both be written.
#[derive(Debug, PartialEq, Eq)]
pub struct Clash<'a, O> {
    pub kind: ClashKind,
    pub first: (&'a str, &'a O),
    pub second: (&'a str, &'a O),
}

/// Output paths (relative to the output folder, `/` separated) and their owners, in the order
/// registered.
#[derive(Debug)]
pub struct Registry<O> {
    entries: Vec<(String, O)>,
}

impl<O> Default for Registry<O> {
    fn default() -> Self {
        Registry { entries: Vec::new() }
    }
}

impl<O> Registry<O> {
    pub fn with_capacity(n: usize) -> Self {
        Registry { entries: Vec::with_capacity(n) }
    }

    pub fn add(&mut self, path: impl Into<String>, owner: O) {
        self.entries.push((path.into(), owner));
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(p, _)| p.as_str())
    }

    /// Every clash, in registration order: each later path against the first one it clashes
    /// with. Linear in the total length of the paths.
    pub fn clashes(&self) -> Vec<Clash<'_, O>> {
        let keys: Vec<Cow<str>> = self.entries.iter().map(|(p, _)| fold_case(p)).collect();
        let mut files: HashMap<&str, usize> = HashMap::with_capacity(keys.len());
        let mut out = Vec::new();
        let clash = |kind, a: usize, b: usize| Clash {
            kind,
            first: (self.entries[a].0.as_str(), &self.entries[a].1),
            second: (self.entries[b].0.as_str(), &self.entries[b].1),
        };
        for (i, key) in keys.iter().enumerate() {
            match files.get(key.as_ref()) {
                Some(&j) => {
                    let kind =
                        if self.entries[j].0 == self.entries[i].0 { ClashKind::SamePath } else { ClashKind::CaseOnly };
                    out.push((i, clash(kind, j, i)));
                }
                None => {
                    files.insert(key, i);
                }
            }
        }
        // Each folder some path needs (its proper prefixes), with the first path needing it.
        let mut folders: HashMap<&str, usize> = HashMap::new();
        for (i, key) in keys.iter().enumerate() {
            for (at, _) in key.match_indices('/') {
                folders.entry(&key[..at]).or_insert(i);
            }
        }
        for (key, &i) in &files {
            if let Some(&j) = folders.get(key) {
                out.push((i.max(j), clash(ClashKind::FileAndFolder, i, j)));
            }
        }
        out.sort_by_key(|(at, c)| (*at, c.first.0, c.second.0));
        out.into_iter().map(|(_, c)| c).collect()
    }
}

/// The key under which case-insensitive file systems store a name.
fn fold_case(path: &str) -> Cow<'_, str> {
    if path.chars().any(char::is_uppercase) { Cow::Owned(path.to_lowercase()) } else { Cow::Borrowed(path) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(paths: &[&str]) -> Vec<(ClashKind, String, String)> {
        let mut r = Registry::default();
        for (i, p) in paths.iter().enumerate() {
            r.add(*p, i);
        }
        r.clashes().into_iter().map(|c| (c.kind, c.first.0.to_string(), c.second.0.to_string())).collect()
    }

    #[test]
    fn clashes_are_found() {
        use ClashKind::*;
        assert_eq!(kinds(&["a/index.html", "b/index.html", "a-b/index.html"]), vec![]);
        let page = "regions/bei-jing/index.html";
        assert_eq!(kinds(&[page, "x.html", page]), vec![(SamePath, page.to_string(), page.to_string())]);
        assert_eq!(kinds(&["Cases/a/index.html", "cases/a/index.html"])[0].0, CaseOnly);
        let folder = kinds(&["sitemap.xml", "a-b/index.html", "sitemap.xml/index.html"]);
        assert_eq!(folder, vec![(FileAndFolder, "sitemap.xml".into(), "sitemap.xml/index.html".into())]);
        // Either order.
        assert_eq!(kinds(&["static/a/index.html", "static/a"])[0].0, FileAndFolder);
        assert_eq!(kinds(&["STATIC/a", "static/a/index.html"])[0].0, FileAndFolder);
    }
}
