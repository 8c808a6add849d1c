//! Cross-linking: resolves internal links and anchors, and builds backlinks, topics (which double
//! as the glossary), explicit related pages, regions, the timeline and prev/next within sections.
//! Works on loaded pages and parsed documents; knows nothing of templates or output.

use crate::config::Config;
use crate::content::{Page, PageKind};
use crate::diagnostic::{Diagnostic, excerpt};
use crate::fold::fold;
use crate::markdown::{Document, LinkTarget};
use crate::slug::{UniqueNames, slugify};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A topic: from a page in `content/topics/`, or generated for a name used in front matter.
#[derive(Debug, Clone)]
pub struct Topic {
    pub title: String,
    pub slug: String,
    /// `topics/<slug>/`
    pub url: String,
    pub aliases: Vec<String>,
    /// The topic's own page, if it has one.
    pub page: Option<usize>,
    /// Pages on this topic, newest first.
    pub members: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Region {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub members: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub dir: String,
    pub title: String,
    pub url: String,
    /// The section's `_index.md`.
    pub index_page: Option<usize>,
    /// Regular pages, newest first.
    pub members: Vec<usize>,
}

/// The link graph of the site. Indices are positions in the page list.
#[derive(Debug, Default)]
pub struct Links {
    pub topics: Vec<Topic>,
    pub regions: Vec<Region>,
    pub sections: Vec<Section>,
    /// `content/_index.md`, the home page's introduction.
    pub home: Option<usize>,
    pub page_topics: Vec<Vec<usize>>,
    /// The topic each topic page is.
    pub page_topic: Vec<Option<usize>>,
    pub page_region: Vec<Option<usize>>,
    pub page_section: Vec<Option<usize>>,
    pub backlinks: Vec<Vec<usize>>,
    /// Pages each page's body links to (itself excepted), sorted: what its backlinks came from.
    outgoing: Vec<Vec<usize>>,
    /// Explicit `related:` pages.
    pub related: Vec<Vec<usize>>,
    pub prev: Vec<Option<usize>>,
    pub next: Vec<Option<usize>>,
    /// Dated regular pages by year, newest year first, newest page first.
    pub years: Vec<(u16, Vec<usize>)>,
    /// Page index by content path (`cases/a.md`).
    by_rel: HashMap<String, usize>,
    /// Page index by folded title; `None` when two pages share the title.
    by_title: HashMap<String, Option<usize>>,
    anchors: Vec<HashSet<String>>,
    urls: Vec<String>,
}

/// Relative prefix from a page URL (`cases/a/`) to the site root (`../../`).
pub fn root_prefix(url: &str) -> String {
    let depth = url.matches('/').count();
    if depth == 0 { "./".to_string() } else { "../".repeat(depth) }
}

/// Newest first, then by title and path, so order never depends on load order.
fn newest_first(pages: &[Page], list: &mut [usize]) {
    list.sort_by(|&a, &b| newer(pages, a, b));
}

/// The order of [`newest_first`]: `Less` when page `a` comes before page `b`.
fn newer(pages: &[Page], a: usize, b: usize) -> std::cmp::Ordering {
    let (pa, pb) = (&pages[a], &pages[b]);
    pb.date.cmp(&pa.date).then_with(|| pa.meta.title.cmp(&pb.meta.title)).then_with(|| pa.rel.cmp(&pb.rel))
}

impl Links {
    /// Builds the graph and validates every internal link. Errors name file, line and column.
    /// `failed` lists content paths that did not load; links to them are not reported again.
    pub fn build(
        pages: &[Page],
        docs: &[Document],
        config: &Config,
        failed: &[String],
    ) -> Result<(Links, Vec<Diagnostic>), Vec<Diagnostic>> {
        let (links, warnings, errors) = Links::build_with_errors(pages, docs, config, failed);
        if errors.is_empty() { Ok((links, warnings)) } else { Err(errors) }
    }

    /// [`Links::build`], returning the graph (complete but for the links in error) with the
    /// warnings and the errors, so that later checks can add theirs to the same report.
    pub fn build_with_errors(
        pages: &[Page],
        docs: &[Document],
        config: &Config,
        failed: &[String],
    ) -> (Links, Vec<Diagnostic>, Vec<Diagnostic>) {
        let n = pages.len();
        let mut links = Links {
            page_topics: vec![Vec::new(); n],
            page_topic: vec![None; n],
            page_region: vec![None; n],
            page_section: vec![None; n],
            backlinks: vec![Vec::new(); n],
            outgoing: vec![Vec::new(); n],
            related: vec![Vec::new(); n],
            prev: vec![None; n],
            next: vec![None; n],
            anchors: docs.iter().map(|d| d.headings.iter().map(|h| h.id.clone()).collect()).collect(),
            urls: pages.iter().map(|p| p.url.clone()).collect(),
            ..Links::default()
        };
        let mut errors = Vec::new();
        let mut warnings = Vec::new();

        for (i, p) in pages.iter().enumerate() {
            links.by_rel.insert(p.rel.clone(), i);
            links.by_title.entry(fold(p.meta.title.trim())).and_modify(|e| *e = None).or_insert(Some(i));
        }
        links.build_sections(pages, config);
        links.build_topics(pages, &mut warnings, &mut errors);
        links.build_regions(pages, config);

        // Internal links and backlinks.
        for (i, doc) in docs.iter().enumerate() {
            errors.extend(body_errors(&pages[i], doc));
            let (out, mut e) = links.outgoing_links(i, pages, doc, failed);
            errors.append(&mut e);
            for &t in &out {
                links.backlinks[t].push(i);
            }
            links.outgoing[i] = out;
        }
        for b in &mut links.backlinks {
            newest_first(pages, b);
        }

        // Explicit related pages.
        for (i, p) in pages.iter().enumerate() {
            for r in &p.meta.related {
                let path = r.trim().trim_start_matches("@/");
                match links.by_rel.get(path) {
                    Some(&t) if t != i => links.related[i].push(t),
                    Some(_) => {}
                    None if failed.iter().any(|f| f == path) => {}
                    None => errors.push(
                        Diagnostic::error(
                            &p.file,
                            p.key_line("related"),
                            1,
                            format!("related page `{r}` does not exist"),
                        )
                        .with_hint("write the path under content/, e.g. `related: [cases/yingze-brand.md]`"),
                    ),
                }
            }
        }

        // Timeline.
        let mut years: BTreeMap<u16, Vec<usize>> = BTreeMap::new();
        for (i, p) in pages.iter().enumerate() {
            if let (PageKind::Regular, Some(d)) = (p.kind, p.date) {
                years.entry(d.year).or_default().push(i);
            }
        }
        links.years = years
            .into_iter()
            .rev()
            .map(|(y, mut list)| {
                newest_first(pages, &mut list);
                (y, list)
            })
            .collect();

        (links, warnings, errors)
    }

    fn build_sections(&mut self, pages: &[Page], config: &Config) {
        let mut dirs: Vec<(String, String)> =
            config.sections.iter().map(|s| (s.dir.clone(), s.title.clone())).collect();
        let mut known: HashSet<String> = dirs.iter().map(|(d, _)| d.clone()).collect();
        // Each folder's index page (the first) and regular pages, found in one pass.
        let mut index_of: HashMap<&str, usize> = HashMap::new();
        let mut members_of: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, p) in pages.iter().enumerate() {
            if !p.section.is_empty() && p.section != crate::content::TOPICS_DIR && known.insert(p.section.clone()) {
                dirs.push((p.section.clone(), p.section.clone()));
            }
            match p.kind {
                PageKind::SectionIndex => {
                    index_of.entry(&p.section).or_insert(i);
                }
                PageKind::Regular => members_of.entry(&p.section).or_default().push(i),
                PageKind::Topic => {}
            }
        }
        for (dir, title) in dirs {
            let s = self.sections.len();
            let index_page = index_of.get(dir.as_str()).copied();
            let mut members = members_of.get(dir.as_str()).cloned().unwrap_or_default();
            newest_first(pages, &mut members);
            for (k, &m) in members.iter().enumerate() {
                self.page_section[m] = Some(s);
                self.prev[m] = k.checked_sub(1).map(|k| members[k]);
                self.next[m] = members.get(k + 1).copied();
            }
            if let Some(ix) = index_page {
                self.page_section[ix] = Some(s);
            }
            let title = index_page.map_or(title, |i| pages[i].meta.title.clone());
            if members.is_empty() && index_page.is_none() {
                continue;
            }
            self.sections.push(Section { url: format!("{dir}/"), dir, title, index_page, members });
        }
        self.home = pages.iter().position(|p| p.kind == PageKind::SectionIndex && p.section.is_empty());
    }

    fn build_topics(&mut self, pages: &[Page], warnings: &mut Vec<Diagnostic>, errors: &mut Vec<Diagnostic>) {
        let mut by_name: HashMap<String, usize> = HashMap::new();
        for (i, p) in pages.iter().enumerate().filter(|(_, p)| p.kind == PageKind::Topic) {
            let t = self.topics.len();
            self.page_topic[i] = Some(t);
            for (k, name) in std::iter::once(&p.meta.title).chain(&p.meta.aliases).enumerate() {
                let key = fold(name.trim());
                match by_name.get(&key) {
                    // A name (folded) belongs to one topic: glossary links and `topics:` entries
                    // would otherwise go to whichever topic loaded first.
                    Some(&other) if other != t => {
                        let other = &self.topics[other];
                        let other_file =
                            other.page.map_or_else(Default::default, |o| pages[o].file.display().to_string());
                        let theirs = if fold(other.title.trim()) == key { "the title" } else { "an alias" };
                        let (ours, key_name) = if k == 0 { ("title", "title") } else { ("alias", "aliases") };
                        errors.push(
                            Diagnostic::error(
                                &p.file,
                                p.key_line(key_name),
                                1,
                                format!(
                                    "the {ours} `{name}` of this topic is also {theirs} of the topic `{}` ({other_file}): glossary links and `topics:` would go to that one only",
                                    other.title
                                ),
                            )
                            .with_hint(format!(
                                "remove `{name}` from one of the two topics, or merge them into one page (a name written in traditional and simplified characters counts as one)"
                            )),
                        );
                    }
                    Some(_) => {}
                    None => {
                        by_name.insert(key, t);
                    }
                }
            }
            self.topics.push(Topic {
                title: p.meta.title.clone(),
                slug: p.slug.clone(),
                url: p.url.clone(),
                aliases: p.meta.aliases.clone(),
                page: Some(i),
                members: Vec::new(),
            });
        }
        let mut used = UniqueNames::default();
        for t in &self.topics {
            used.claim(t.slug.clone());
        }
        let mut on_page = HashSet::new();
        for (i, p) in pages.iter().enumerate() {
            if p.kind == PageKind::SectionIndex {
                continue;
            }
            on_page.clear();
            for name in &p.meta.topics {
                let key = fold(name.trim());
                let t = match by_name.get(&key) {
                    Some(&t) => t,
                    None => {
                        warnings.push(
                            Diagnostic::warning(
                                &p.file,
                                p.key_line("topics"),
                                1,
                                format!("topic `{}` has no page; a plain one is generated", excerpt(name)),
                            )
                            .with_hint(
                                "add content/topics/<slug>.md with a short definition, or use an existing topic's name",
                            ),
                        );
                        let mut slug = slugify(name, crate::config::SlugStyle::Pinyin);
                        if slug.is_empty() {
                            slug = "topic".into();
                        }
                        let slug = used.claim(slug);
                        let t = self.topics.len();
                        self.topics.push(Topic {
                            title: name.trim().to_string(),
                            url: format!("topics/{slug}/"),
                            slug,
                            aliases: Vec::new(),
                            page: None,
                            members: Vec::new(),
                        });
                        by_name.insert(key, t);
                        t
                    }
                };
                if on_page.insert(t) {
                    self.page_topics[i].push(t);
                    if p.kind != PageKind::Topic {
                        self.topics[t].members.push(i);
                    }
                }
            }
        }
        for t in &mut self.topics {
            newest_first(pages, &mut t.members);
        }
    }

    fn build_regions(&mut self, pages: &[Page], config: &Config) {
        let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, p) in pages.iter().enumerate() {
            if let Some(r) = p.meta.region.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
                by_name.entry(r.to_string()).or_default().push(i);
            }
        }
        let mut used = UniqueNames::default();
        for (name, mut members) in by_name {
            let slug = used.claim(slugify(&name, config.slug_style));
            newest_first(pages, &mut members);
            let r = self.regions.len();
            for &m in &members {
                self.page_region[m] = Some(r);
            }
            self.regions.push(Region { url: format!("regions/{slug}/"), name, slug, members });
        }
    }

    /// The pages page `i`'s body links to (itself excepted, sorted, once each) and the
    /// errors of its links that resolve to nothing (refused addresses are among `body_errors`).
    fn outgoing_links(
        &self,
        i: usize,
        pages: &[Page],
        doc: &Document,
        failed: &[String],
    ) -> (Vec<usize>, Vec<Diagnostic>) {
        let mut out = Vec::new();
        let mut errors: Vec<Diagnostic> = Vec::new();
        for l in &doc.links {
            match self.target(i, &l.target) {
                Ok((target, _)) => {
                    if target != i {
                        out.push(target);
                    }
                }
                Err(_) if matches!(&l.target, LinkTarget::Path { path, .. } if failed.contains(path)) => {}
                Err((message, mut hint)) => {
                    // The page with that title may be one that did not load.
                    if matches!(l.target, LinkTarget::Title { .. }) && !failed.is_empty() {
                        hint.push_str(&format!(
                            "; or the page it names is one that failed to load ({})",
                            failed.join(", ")
                        ));
                    }
                    errors.push(Diagnostic::error(&pages[i].file, l.line, l.column, message).with_hint(hint));
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        (out, errors)
    }

    /// Brings the graph up to date after the bodies of the `changed` pages were edited and
    /// nothing else was: the same pages in the same order, each with its front matter as
    /// before (the preview checks that). Only their headings and links changed, so only their
    /// anchors, the backlinks their links give, and the links into them need another look.
    /// The result, errors included, is what [`Links::build`] gives for the same pages. After
    /// an error the graph is partly updated: the caller drops it and builds one next time.
    pub fn update_bodies(
        &mut self,
        pages: &[Page],
        docs: &[Document],
        changed: &[usize],
    ) -> Result<(), Vec<Diagnostic>> {
        let mut errors = Vec::new();
        for &i in changed {
            self.anchors[i] = docs[i].headings.iter().map(|h| h.id.clone()).collect();
            errors.extend(body_errors(&pages[i], &docs[i]));
        }
        // Pages that linked to a changed page: their anchors into it may no longer exist.
        let mut recheck: Vec<usize> = changed.iter().flat_map(|&i| self.backlinks[i].iter().copied()).collect();
        recheck.extend_from_slice(changed);
        recheck.sort_unstable();
        recheck.dedup();
        for &i in changed {
            for t in std::mem::take(&mut self.outgoing[i]) {
                self.backlinks[t].retain(|&b| b != i);
            }
        }
        for &j in &recheck {
            let (out, mut e) = self.outgoing_links(j, pages, &docs[j], &[]);
            errors.append(&mut e);
            if changed.contains(&j) {
                for &t in &out {
                    let at = self.backlinks[t].binary_search_by(|&b| newer(pages, b, j)).unwrap_or_else(|at| at);
                    self.backlinks[t].insert(at, j);
                }
                self.outgoing[j] = out;
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// Finds the page (and anchor) a link points to, or says why it cannot.
    fn target(&self, from: usize, target: &LinkTarget) -> Result<(usize, Option<String>), (String, String)> {
        let (page, anchor) = match target {
            LinkTarget::Path { path, anchor } => match self.by_rel.get(path.as_str()) {
                Some(&p) => (p, anchor.clone()),
                None => {
                    return Err((
                        format!("link to missing page `@/{path}`"),
                        "internal links name a file under content/, e.g. `@/cases/yingze-brand.md`".into(),
                    ));
                }
            },
            LinkTarget::Title { title, anchor } => match self.by_title.get(&fold(title)) {
                Some(Some(p)) => (*p, anchor.clone()),
                Some(None) => {
                    return Err((
                        format!("`[[{title}]]` matches more than one page"),
                        "link with the file path instead: `[文字](@/section/file.md)`".into(),
                    ));
                }
                None => {
                    return Err((
                        format!("`[[{title}]]` matches no page title"),
                        "check the title, or link with the file path: `[文字](@/section/file.md)`".into(),
                    ));
                }
            },
            LinkTarget::Anchor(a) => (from, Some(a.clone())),
        };
        if let Some(a) = anchor.as_ref().filter(|a| !self.anchors[page].contains(*a)) {
            let mut known: Vec<&str> = self.anchors[page].iter().map(String::as_str).collect();
            known.sort_unstable();
            known.truncate(8);
            return Err((
                format!("link to missing heading `#{a}` in `{}`", self.urls[page]),
                format!("headings there: {}", known.join(", ")),
            ));
        }
        Ok((page, anchor))
    }

    /// href of an internal link, relative to page `from`.
    pub fn resolve(&self, from: usize, target: &LinkTarget) -> Option<String> {
        let (page, anchor) = self.target(from, target).ok()?;
        let mut href = if page == from { String::new() } else { self.href(from, &self.urls[page]) };
        if let Some(a) = anchor {
            href.push('#');
            href.push_str(&a);
        }
        Some(href)
    }

    /// href from page `from` to a site URL such as `topics/x/`.
    pub fn href(&self, from: usize, url: &str) -> String {
        relative(&self.urls[from], url)
    }
}

/// The problems `markdown::parse` found in a page's body, as diagnostics of its file.
fn body_errors<'a>(page: &'a Page, doc: &'a Document) -> impl Iterator<Item = Diagnostic> + 'a {
    doc.errors.iter().map(|e| Diagnostic::error(&page.file, e.line, e.column, &e.message).with_hint(&e.hint))
}

/// href from a page at `from_url` to `to_url`, both site-relative.
pub fn relative(from_url: &str, to_url: &str) -> String {
    let prefix = root_prefix(from_url);
    if to_url.is_empty() {
        prefix
    } else if prefix == "./" {
        to_url.to_string()
    } else {
        prefix + to_url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_hrefs() {
        assert_eq!(relative("", ""), "./");
        assert_eq!(relative("", "cases/a/"), "cases/a/");
        assert_eq!(relative("cases/a/", ""), "../../");
        assert_eq!(relative("cases/a/", "topics/b/"), "../../topics/b/");
        assert_eq!(relative("about/", "cases/"), "../cases/");
    }
}
