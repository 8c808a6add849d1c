//! Cross-linking: resolves internal links and anchors, and builds backlinks, topics (which double
//! as the glossary), explicit related pages, regions, the timeline and prev/next within sections.
//! Works on loaded pages and parsed documents; knows nothing of templates or output.

use crate::assets::{Assets, Kind};
use crate::config::Config;
use crate::content::{Page, PageKind};
use crate::diagnostic::{Diagnostic, excerpt};
use crate::fold::fold;
use crate::markdown::{Document, Img, LinkTarget, Resolved};
use crate::slug::{UniqueNames, heading_id, slugify};
use rust_i18n::t;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

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
    /// Per page: the attachments it links to, then the other attachments of its bundle.
    pub page_attachments: Vec<Vec<usize>>,
    /// Per page: its first picture (the page's image for link previews).
    pub page_image: Vec<Option<usize>>,
    /// The site's pictures and attachments.
    pub assets: Arc<Assets>,
    /// Page index by content path (`cases/a.md`).
    by_rel: HashMap<String, usize>,
    /// Page index by URL (`cases/a/`).
    by_url: HashMap<String, usize>,
    /// URLs zhiku makes (sections, topics, regions, timeline…), for root-absolute links.
    generated: HashSet<String>,
    /// Pages by folded title.
    by_title: HashMap<String, Vec<usize>>,
    anchors: Vec<HashSet<String>>,
    /// Per page, in document order: each heading's id and text.
    headings: Vec<Vec<(String, String)>>,
    urls: Vec<String>,
    /// Per page: its file, the folder its relative links start from, and whether it is a bundle.
    files: Vec<(PathBuf, String, bool)>,
    /// How many more broken `[[title]]` links get a "did you mean" (each costs one distance
    /// per title, so a site full of broken links must not make the check quadratic).
    suggestions_left: AtomicUsize,
    /// Each page's title, trimmed, as written.
    titles: Vec<String>,
}

/// Broken `[[title]]` links per run that get title suggestions.
const TITLE_SUGGESTIONS: usize = 200;

/// Where a link leads.
enum Dest {
    Page(usize, Option<String>),
    Asset(usize),
    /// A page zhiku makes (`topics/`, `cases/`).
    Url(String),
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
        assets: Arc<Assets>,
    ) -> Result<(Links, Vec<Diagnostic>), Vec<Diagnostic>> {
        let (links, warnings, errors) = Links::build_with_errors(pages, docs, config, failed, assets);
        if errors.is_empty() { Ok((links, warnings)) } else { Err(errors) }
    }

    /// [`Links::build`], returning the graph (complete but for the links in error) with the
    /// warnings and the errors, so that later checks can add theirs to the same report.
    pub fn build_with_errors(
        pages: &[Page],
        docs: &[Document],
        config: &Config,
        failed: &[String],
        assets: Arc<Assets>,
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
            headings: docs
                .iter()
                .map(|d| d.headings.iter().map(|h| (h.id.clone(), h.text.clone())).collect())
                .collect(),
            urls: pages.iter().map(|p| p.url.clone()).collect(),
            files: pages.iter().map(|p| (p.file.clone(), p.dir().to_string(), p.bundle)).collect(),
            page_attachments: vec![Vec::new(); n],
            page_image: vec![None; n],
            assets,
            suggestions_left: AtomicUsize::new(TITLE_SUGGESTIONS),
            titles: pages.iter().map(|p| p.meta.title.trim().to_string()).collect(),
            ..Links::default()
        };
        let mut errors = Vec::new();
        let mut warnings = Vec::new();

        for (i, p) in pages.iter().enumerate() {
            links.by_rel.insert(p.rel.clone(), i);
            links.by_url.insert(p.url.clone(), i);
            links.by_title.entry(fold(p.meta.title.trim())).or_default().push(i);
        }
        // Two pages with one title: `[[title]]` cannot tell them apart. Said at each, naming another.
        for same in links.by_title.values().filter(|same| same.len() > 1) {
            for (k, &i) in same.iter().enumerate() {
                let (p, first) = (&pages[i], &pages[same[usize::from(k == 0)]]);
                if p.kind == PageKind::SectionIndex || first.kind == PageKind::SectionIndex {
                    continue;
                }
                warnings.push(
                    Diagnostic::warning(
                        &p.file,
                        p.key_line("title"),
                        1,
                        t!("link.same_title", title = excerpt(p.meta.title.trim()), other = first.file.display()),
                    )
                    .with_hint(t!("link.same_title_hint")),
                );
            }
        }
        links.build_sections(pages, config);
        links.build_topics(pages, &mut warnings, &mut errors);
        links.build_regions(pages, config);
        let generated =
            ["", "topics/", "timeline/", "regions/", "search/", "map/", "atom.xml", "sitemap.xml", "404.html"];
        links.generated = generated.iter().map(|u| u.to_string()).collect();
        links.generated.extend(links.sections.iter().map(|s| s.url.clone()));
        links.generated.extend(links.topics.iter().map(|t| t.url.clone()));
        links.generated.extend(links.regions.iter().map(|r| r.url.clone()));
        let bundle_files = links.bundle_attachments();

        // Internal links and backlinks.
        for (i, doc) in docs.iter().enumerate() {
            errors.extend(body_errors(&pages[i], doc));
            let (out, mut e) = links.outgoing_links(i, pages, doc, failed);
            errors.append(&mut e);
            links.page_assets(i, doc, &bundle_files);
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
                            t!("link.related_missing", path = excerpt(r)),
                        )
                        .with_hint(t!("link.related_missing_hint")),
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
                        let theirs_is_title = fold(other.title.trim()) == key;
                        let key_name = if k == 0 { "title" } else { "aliases" };
                        let message = match (k == 0, theirs_is_title) {
                            (true, true) => {
                                t!("link.topic_clash_title_title", name = name, other = other.title, file = other_file)
                            }
                            (true, false) => {
                                t!("link.topic_clash_title_alias", name = name, other = other.title, file = other_file)
                            }
                            (false, true) => {
                                t!("link.topic_clash_alias_title", name = name, other = other.title, file = other_file)
                            }
                            (false, false) => {
                                t!("link.topic_clash_alias_alias", name = name, other = other.title, file = other_file)
                            }
                        };
                        errors.push(
                            Diagnostic::error(&p.file, p.key_line(key_name), 1, message)
                                .with_hint(t!("link.topic_clash_hint", name = name)),
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
        // Names of the topics that have a page, for "did you mean" (bounded: each costs one
        // distance per name).
        let mut folded_names = HashSet::new();
        let topic_names: Vec<String> = self
            .topics
            .iter()
            .flat_map(|t| std::iter::once(&t.title).chain(&t.aliases))
            .filter(|name| folded_names.insert(fold(name.trim())))
            .cloned()
            .collect();
        let mut suggestions_left = TITLE_SUGGESTIONS;
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
                                t!("link.topic_no_page", name = excerpt(name)),
                            )
                            .with_hint({
                                let mut hint = t!("link.topic_no_page_hint").into_owned();
                                if suggestions_left > 0 {
                                    suggestions_left -= 1;
                                    let names = topic_names.iter().map(String::as_str);
                                    if let Some(s) = crate::diagnostic::did_you_mean(name, names) {
                                        hint = format!("{s} {hint}");
                                    }
                                }
                                hint
                            }),
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
        for l in &doc.images {
            match self.target(i, &l.target) {
                Ok(Dest::Asset(a)) if self.assets.list[a].kind.is_picture() => {}
                Ok(Dest::Asset(a)) if crate::assets::unviewable_picture(self.assets.list[a].kind).is_some() => {
                    let format = crate::assets::unviewable_picture(self.assets.list[a].kind).unwrap_or_default();
                    let message = rust_i18n::t!("assets.unviewable_picture", path = shown(&l.target), format = format);
                    errors.push(
                        Diagnostic::error(&pages[i].file, l.line, l.column, message)
                            .with_hint(rust_i18n::t!("assets.unviewable_hint")),
                    );
                }
                Ok(_) => errors.push(
                    Diagnostic::error(
                        &pages[i].file,
                        l.line,
                        l.column,
                        t!("link.not_a_picture", path = shown(&l.target)),
                    )
                    .with_hint(t!("link.not_a_picture_hint")),
                ),
                Err((message, hint)) => {
                    errors.push(Diagnostic::error(&pages[i].file, l.line, l.column, message).with_hint(hint))
                }
            }
        }
        for l in &doc.links {
            match self.target(i, &l.target) {
                Ok(Dest::Page(target, _)) => {
                    if target != i {
                        out.push(target);
                    }
                }
                Ok(_) => {}
                Err(_) if matches!(&l.target, LinkTarget::Path { path, .. } if failed.contains(path)) => {}
                Err(_) if matches!(&l.target, LinkTarget::Local { path, .. } if failed.iter().any(|f| path.ends_with(f.as_str()))) =>
                    {}
                Err((message, mut hint)) => {
                    // The page with that title may be one that did not load.
                    if let LinkTarget::Title { title, .. } = &l.target
                        && !self.by_title.contains_key(&fold(title))
                        && let Some(s) = self.suggest_title(title)
                    {
                        hint = format!("{s} {hint}");
                    }
                    if matches!(l.target, LinkTarget::Title { .. }) && !failed.is_empty() {
                        hint.push_str(&t!(
                            "link.or_failed_page",
                            files = crate::i18n::list(&failed.iter().map(String::as_str).collect::<Vec<_>>())
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
        self.suggestions_left.store(TITLE_SUGGESTIONS, Ordering::Relaxed);
        let bundle_files = self.bundle_attachments();
        for &i in changed {
            self.anchors[i] = docs[i].headings.iter().map(|h| h.id.clone()).collect();
            self.headings[i] = docs[i].headings.iter().map(|h| (h.id.clone(), h.text.clone())).collect();
            errors.extend(body_errors(&pages[i], &docs[i]));
            self.page_assets(i, &docs[i], &bundle_files);
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

    /// The attachments of each bundle folder (`cases/x`), in name order.
    fn bundle_attachments(&self) -> HashMap<String, Vec<usize>> {
        let mut by_dir: HashMap<String, Vec<usize>> = HashMap::new();
        for (a, asset) in self.assets.list.iter().enumerate() {
            if asset.in_content && matches!(asset.kind, Kind::Attachment(_)) {
                let dir = asset.url.rsplit_once('/').map_or("", |(d, _)| d);
                by_dir.entry(dir.to_string()).or_default().push(a);
            }
        }
        by_dir
    }

    /// Page `i`'s attachments and first picture, from its links and its bundle.
    fn page_assets(&mut self, i: usize, doc: &Document, bundle_files: &HashMap<String, Vec<usize>>) {
        let mut list = Vec::new();
        for l in &doc.links {
            if let Ok(Dest::Asset(a)) = self.target(i, &l.target)
                && matches!(self.assets.list[a].kind, Kind::Attachment(_))
                && !list.contains(&a)
            {
                list.push(a);
            }
        }
        let (_, dir, bundle) = &self.files[i];
        if *bundle {
            for &a in bundle_files.get(dir.as_str()).map_or(&[][..], |v| &v[..]) {
                if !list.contains(&a) {
                    list.push(a);
                }
            }
        }
        self.page_attachments[i] = list;
        self.page_image[i] = doc.images.iter().find_map(|l| match self.target(i, &l.target) {
            Ok(Dest::Asset(a)) if self.assets.list[a].kind.is_picture() => Some(a),
            _ => None,
        });
    }

    /// The id of the heading `anchor` names on page `page`: its id, or its text as displayed
    /// (punctuation and all; a text ending in `…` names the one heading starting so).
    fn find_anchor(&self, page: usize, anchor: &str) -> Option<String> {
        if self.anchors[page].contains(anchor) {
            return Some(anchor.to_string());
        }
        let headings = &self.headings[page];
        let id = heading_id(anchor);
        if self.anchors[page].contains(&id) {
            return Some(id);
        }
        let folded = fold(anchor.trim());
        if let Some((id, _)) = headings.iter().find(|(_, text)| fold(text.trim()) == folded) {
            return Some(id.clone());
        }
        let prefix = folded.trim_end_matches(['…', '.', '。']).trim_end();
        if prefix.len() < folded.len() && !prefix.is_empty() {
            let mut found = headings.iter().filter(|(_, text)| fold(text.trim()).starts_with(prefix));
            if let (Some((id, _)), None) = (found.next(), found.next()) {
                return Some(id.clone());
            }
        }
        None
    }

    /// Finds what a link points to, or says why it cannot.
    fn target(&self, from: usize, target: &LinkTarget) -> Result<Dest, (String, String)> {
        let (page, anchor) = match target {
            LinkTarget::Path { path, anchor } => match self.by_rel.get(path.as_str()) {
                Some(&p) => (p, anchor.clone()),
                None => {
                    return Err((
                        t!("link.missing_page", path = path).into_owned(),
                        t!("link.missing_page_hint").into_owned(),
                    ));
                }
            },
            LinkTarget::Title { title, anchor } => match self.by_title.get(&fold(title)).map(Vec::as_slice) {
                Some([p]) => (*p, anchor.clone()),
                Some(many) if !many.is_empty() => {
                    let files: Vec<String> = many.iter().map(|&p| format!("`{}`", self.files[p].0.display())).collect();
                    let first = self.files[many[0]]
                        .0
                        .strip_prefix(crate::content::CONTENT_DIR)
                        .unwrap_or(&self.files[many[0]].0);
                    let files: Vec<&str> = files.iter().map(String::as_str).collect();
                    return Err((
                        t!(
                            "link.title_ambiguous",
                            title = excerpt(title),
                            count = many.len(),
                            files = crate::i18n::list(&files)
                        )
                        .into_owned(),
                        t!(
                            "link.title_ambiguous_hint",
                            title = excerpt(title),
                            path = first.to_string_lossy().trim_start_matches('/')
                        )
                        .into_owned(),
                    ));
                }
                _ => {
                    return Err((
                        t!("link.title_missing", title = excerpt(title)).into_owned(),
                        t!("link.title_missing_hint").into_owned(),
                    ));
                }
            },
            LinkTarget::Anchor(a) => (from, Some(a.clone())),
            LinkTarget::Local { path, anchor } => match self.local(from, path)? {
                Dest::Page(p, _) => (p, anchor.clone()),
                other => return Ok(other),
            },
        };
        match anchor {
            None => Ok(Dest::Page(page, None)),
            Some(a) => match self.find_anchor(page, &a) {
                Some(id) => Ok(Dest::Page(page, Some(id))),
                None => {
                    let known: Vec<String> =
                        self.headings[page].iter().take(12).map(|(id, text)| format!("{text} (#{id})")).collect();
                    let more = self.headings[page].len().saturating_sub(known.len());
                    let hint = if known.is_empty() {
                        t!("link.no_headings_hint").into_owned()
                    } else {
                        let texts = self.headings[page].iter().map(|(_, text)| text.as_str());
                        let suggestion =
                            crate::diagnostic::did_you_mean(&a, texts).map(|s| format!("{s} ")).unwrap_or_default();
                        let separator = if crate::i18n::current() == crate::i18n::Lang::Zh { "；" } else { "; " };
                        let mut hint =
                            format!("{suggestion}{}", t!("link.headings_hint", headings = known.join(separator)));
                        if more > 0 {
                            hint.push_str(&t!("link.and_more", count = more));
                        }
                        hint
                    };
                    let file = self.files[page].0.display();
                    Err((t!("link.missing_heading", anchor = excerpt(&a), file = file).into_owned(), hint))
                }
            },
        }
    }

    /// What a path written by an author (relative to the page's file, or to the site root)
    /// names: a page by its file or URL, a picture or attachment, or a page zhiku makes.
    fn local(&self, from: usize, path: &str) -> Result<Dest, (String, String)> {
        let (file, dir, bundle) = &self.files[from];
        let candidates: Vec<String> = match path.strip_prefix('/') {
            Some(site) => vec![site.to_string()],
            None => {
                let mut c: Vec<String> = join(dir, path).into_iter().collect();
                // From a bundle, a path may also be meant from its section's folder.
                if *bundle && let Some(parent) = dir.rsplit_once('/').map(|(d, _)| d).or(Some("")) {
                    c.extend(join(parent, path));
                }
                c
            }
        };
        for c in &candidates {
            let lower = c.to_ascii_lowercase();
            if lower.ends_with(".md") {
                if let Some(&p) = self.by_rel.get(c.as_str()) {
                    return Ok(Dest::Page(p, None));
                }
                continue;
            }
            if let Some(a) = self.assets.get(c) {
                return Ok(Dest::Asset(a));
            }
            let url = c.strip_suffix("index.html").unwrap_or(c);
            let url = if url.is_empty() || url.ends_with('/') || url.contains('.') {
                url.to_string()
            } else {
                format!("{url}/")
            };
            if let Some(&p) = self.by_url.get(&url) {
                return Ok(Dest::Page(p, None));
            }
            if self.generated.contains(&url) {
                return Ok(Dest::Url(url));
            }
        }
        let looked = candidates
            .first()
            .map_or_else(|| t!("link.outside_content").into_owned(), |c| format!("`content/{}`", excerpt(c)));
        let path = excerpt(path);
        let (message, hint) = if path.to_ascii_lowercase().ends_with(".md") {
            (t!("link.no_such_page", path = path, looked = looked), t!("link.no_such_page_hint"))
        } else if path.starts_with('/') {
            (t!("link.no_such_page_or_file", path = path, looked = looked), t!("link.no_such_page_or_file_hint"))
        } else {
            (t!("link.no_such_file", path = path, looked = looked), t!("link.no_such_file_hint"))
        };
        let _ = file;
        Err((message.into_owned(), hint.into_owned()))
    }

    /// "did you mean" for a `[[title]]` that names no page, while the run's budget lasts.
    fn suggest_title(&self, title: &str) -> Option<String> {
        let left = self.suggestions_left.load(Ordering::Relaxed);
        if left == 0 {
            return None;
        }
        self.suggestions_left.store(left - 1, Ordering::Relaxed);
        // Each title once (the first page that has it), in page order.
        let titles = self
            .titles
            .iter()
            .enumerate()
            .filter(|(i, t)| self.by_title.get(&fold(t)).and_then(|pages| pages.first()) == Some(i));
        crate::diagnostic::did_you_mean(title, titles.map(|(_, t)| t.as_str()))
    }

    /// href of an internal link or picture, relative to page `from`.
    pub fn resolve(&self, from: usize, target: &LinkTarget) -> Option<Resolved> {
        match self.target(from, target).ok()? {
            Dest::Page(page, anchor) => {
                let mut href = if page == from { String::new() } else { self.href(from, &self.urls[page]) };
                let mut text = None;
                if let Some(a) = anchor {
                    href.push('#');
                    href.push_str(&a);
                    if matches!(target, LinkTarget::Title { .. }) {
                        text = self.headings[page].iter().find(|(id, _)| *id == a).map(|(_, t)| t.clone());
                    }
                }
                Some(Resolved { href, text, ..Resolved::default() })
            }
            Dest::Url(url) => Some(Resolved { href: self.href(from, &url), ..Resolved::default() }),
            Dest::Asset(a) => {
                let asset = &self.assets.list[a];
                let href = self.href(from, asset.picture.as_ref().map_or(asset.url.as_str(), |p| p.src(asset)));
                let attachment = match asset.kind {
                    Kind::Attachment(label) => Some(format!("{label}，{}", crate::assets::human_size(asset.len))),
                    _ => None,
                };
                let picture = match &asset.picture {
                    Some(p) => {
                        let mut set: Vec<String> =
                            p.variants.iter().map(|v| format!("{} {}w", self.href(from, &v.url), v.width)).collect();
                        if p.original && !set.is_empty() {
                            set.push(format!("{} {}w", self.href(from, &asset.url), p.width));
                        }
                        // The size of what `src` shows: the largest copy when it replaces the file.
                        let (width, height) = match p.variants.last() {
                            Some(v) if !p.original => (v.width, v.height),
                            _ => (p.width, p.height),
                        };
                        Some(Img { src: href.clone(), srcset: set.join(", "), width, height })
                    }
                    None if asset.kind == Kind::OtherPicture => Some(Img { src: href.clone(), ..Img::default() }),
                    None => None,
                };
                Some(Resolved { href, attachment, picture, ..Resolved::default() })
            }
        }
    }

    /// A page's image as a URL for link previews: absolute when `base` (the site's address,
    /// ending in `/`) is given, else relative to the page.
    pub fn image_url(&self, from: usize, base: Option<&str>) -> Option<String> {
        let asset = &self.assets.list[self.page_image[from]?];
        let url = asset.picture.as_ref().map_or(asset.url.as_str(), |p| p.src(asset));
        Some(match base {
            Some(base) => format!("{base}{url}"),
            None => self.href(from, url),
        })
    }

    /// href from page `from` to a site URL such as `topics/x/`.
    pub fn href(&self, from: usize, url: &str) -> String {
        relative(&self.urls[from], &encode_path(url))
    }
}

/// A site URL with the characters that would end or split it in an href or a `srcset`
/// (`#`, `?`, `%`, `,`, spaces; file names may hold them) percent-encoded.
fn encode_path(url: &str) -> std::borrow::Cow<'_, str> {
    if !url.contains(['#', '?', '%', ',', ' ', '\t']) {
        return url.into();
    }
    let mut out = String::with_capacity(url.len() + 8);
    for c in url.chars() {
        match c {
            '#' | '?' | '%' | ',' | ' ' | '\t' => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.into()
}

/// A link's target as the author wrote it, for messages.
fn shown(target: &LinkTarget) -> String {
    match target {
        LinkTarget::Local { path, .. } => path.clone(),
        LinkTarget::Path { path, .. } => format!("@/{path}"),
        LinkTarget::Title { title, .. } => format!("[[{title}]]"),
        LinkTarget::Anchor(a) => format!("#{a}"),
    }
}

/// `path` (relative, `..` allowed) joined to the folder `dir` under `content/`; `None` when it
/// climbs out of `content/`.
fn join(dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let mut joined = parts.join("/");
    if path.ends_with('/') && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
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

    #[test]
    fn file_names_that_would_split_an_href_are_encoded() {
        assert_eq!(encode_path("cases/x/会议 纪要#1,2%.pdf"), "cases/x/会议%20纪要%231%2C2%25.pdf");
        assert_eq!(join("cases", "../speeches/x.md").as_deref(), Some("speeches/x.md"));
        assert_eq!(join("cases/x", "../../a/"), Some("a/".into()));
        assert_eq!(join("cases", "../../x.md"), None);
    }
}
