//! The knowledge map, drawn at build time as SVG (no script, no layout that moves): per page,
//! the pages and topics within two links; per topic, its pages by year; for the site, the
//! topics sized by their page count and joined by the pages they share (`/map/`).
//!
//! Layouts are fixed functions of the sorted input (rings for a page's neighbourhood, a
//! sunflower spiral for the topics), so the same site gives the same bytes. Work per page is
//! capped ([`RING1`], [`RING2`], [`FANOUT`]), so all maps together are linear in the site.

use crate::content::{Page, PageKind};
use crate::link::{Links, relative};
use crate::markdown::escape_attr;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

/// Nodes one link away shown at most.
pub const RING1: usize = 10;
/// Nodes two links away shown at most.
pub const RING2: usize = 14;
/// Entries of each neighbour's lists looked at (its newest backlinks, a topic's newest pages).
pub const FANOUT: usize = 40;
/// Topics the site map draws (the largest); the list under it names every topic.
pub const MAP_TOPICS: usize = 40;
/// Characters of a label before it is cut with "…" (the full title is the node's `<title>`).
const LABEL_CHARS: usize = 7;

/// A node of a map: a page, or a topic (a topic's own page is the topic).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Node {
    Topic(usize),
    Page(usize),
}

/// The graph the maps are drawn from: each page's outgoing links (its backlinks inverted).
pub struct Graph<'a> {
    pages: &'a [Page],
    links: &'a Links,
    outgoing: Vec<Vec<usize>>,
}

/// A page's neighbourhood: the nodes one and two links away, each ring-2 node with the
/// ring-1 node it is drawn next to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Local {
    pub ring1: Vec<Node>,
    pub ring2: Vec<(Node, usize)>,
}

impl<'a> Graph<'a> {
    pub fn new(pages: &'a [Page], links: &'a Links) -> Graph<'a> {
        let mut outgoing = vec![Vec::new(); pages.len()];
        for (t, from) in links.backlinks.iter().enumerate() {
            for &f in from {
                outgoing[f].push(t);
            }
        }
        Graph { pages, links, outgoing }
    }

    /// Page `i` as a node: its topic when it is a topic's page.
    fn node(&self, i: usize) -> Node {
        self.links.page_topic[i].map_or(Node::Page(i), Node::Topic)
    }

    /// The nodes one link from `n`, in a fixed order (explicit related pages, pages it links
    /// to, pages linking to it, its topics; a topic: its page's links, then its newest pages),
    /// at most [`FANOUT`] of each kind. The home page and section introductions are left out.
    fn neighbours(&self, n: Node) -> Vec<Node> {
        let l = self.links;
        let page = match n {
            Node::Page(i) => Some(i),
            Node::Topic(t) => l.topics[t].page,
        };
        let mut out = Vec::new();
        if let Some(i) = page {
            let lists: [&[usize]; 3] = [&l.related[i], &self.outgoing[i], &l.backlinks[i]];
            for list in lists {
                out.extend(list.iter().take(FANOUT).filter(|&&j| self.shown(j)).map(|&j| self.node(j)));
            }
            if let Node::Page(_) = n {
                out.extend(l.page_topics[i].iter().map(|&t| Node::Topic(t)));
            }
        }
        if let Node::Topic(t) = n {
            out.extend(l.topics[t].members.iter().take(FANOUT).filter(|&&j| self.shown(j)).map(|&j| self.node(j)));
        }
        out.retain(|&m| m != n);
        out
    }

    fn shown(&self, i: usize) -> bool {
        self.pages[i].kind != PageKind::SectionIndex && Some(i) != self.links.home
    }

    /// Page `i`'s neighbourhood. Ring 1 keeps its first [`RING1`] distinct neighbours; ring 2
    /// the [`RING2`] nodes most often reached from ring 1 (then newest, then by title).
    pub fn local(&self, i: usize) -> Local {
        let me = self.node(i);
        let mut ring1: Vec<Node> = Vec::new();
        for n in self.neighbours(me) {
            if ring1.len() < RING1 && !ring1.contains(&n) {
                ring1.push(n);
            }
        }
        // Candidate → (times reached, first ring-1 node reaching it).
        let mut reached: HashMap<Node, (usize, usize)> = HashMap::new();
        for (k, &n) in ring1.iter().enumerate() {
            for m in self.neighbours(n) {
                if m != me && !ring1.contains(&m) {
                    let e = reached.entry(m).or_insert((0, k));
                    e.0 += 1;
                }
            }
        }
        let mut ring2: Vec<(Node, usize, usize)> = reached.into_iter().map(|(m, (c, k))| (m, c, k)).collect();
        ring2.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| self.order(a.0, b.0)));
        ring2.truncate(RING2);
        ring2.sort_by(|a, b| a.2.cmp(&b.2).then_with(|| self.order(a.0, b.0)));
        Local { ring1, ring2: ring2.into_iter().map(|(m, _, k)| (m, k)).collect() }
    }

    /// Topics first, then pages newest first, then by title and path.
    fn order(&self, a: Node, b: Node) -> std::cmp::Ordering {
        match (a, b) {
            (Node::Topic(x), Node::Topic(y)) => self.links.topics[x].title.cmp(&self.links.topics[y].title),
            (Node::Topic(_), Node::Page(_)) => std::cmp::Ordering::Less,
            (Node::Page(_), Node::Topic(_)) => std::cmp::Ordering::Greater,
            (Node::Page(x), Node::Page(y)) => {
                let (p, q) = (&self.pages[x], &self.pages[y]);
                q.date.cmp(&p.date).then_with(|| p.meta.title.cmp(&q.meta.title)).then_with(|| p.rel.cmp(&q.rel))
            }
        }
    }

    pub fn title(&self, n: Node) -> &str {
        match n {
            Node::Topic(t) => &self.links.topics[t].title,
            Node::Page(i) => &self.pages[i].meta.title,
        }
    }

    pub fn url(&self, n: Node) -> &str {
        match n {
            Node::Topic(t) => &self.links.topics[t].url,
            Node::Page(i) => &self.pages[i].url,
        }
    }

    /// What a node is, for its colour and its accessible name.
    pub fn kind(&self, n: Node) -> (&'static str, &'static str) {
        match n {
            Node::Topic(_) => ("topic", "专题"),
            Node::Page(i) => (self.pages[i].page_type.key(), self.pages[i].page_type.label()),
        }
    }

    /// Page `i`'s map as SVG (links relative to the page), or `None` when it links nowhere.
    pub fn local_svg(&self, i: usize, local: &Local) -> Option<String> {
        if local.ring1.is_empty() {
            return None;
        }
        let from = &self.pages[i].url;
        let (w, h, cx, cy) = (640.0, 440.0, 320.0, 220.0);
        let ring = |k: usize, n: usize, rx: f64, ry: f64| {
            let a = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * k as f64 / n.max(1) as f64;
            (cx + rx * a.cos(), cy + ry * a.sin())
        };
        let p1: Vec<(f64, f64)> = (0..local.ring1.len()).map(|k| ring(k, local.ring1.len(), 165.0, 115.0)).collect();
        // Ring 2 is sorted by parent; rotated so that the groups sit, on average, beside their
        // parents (the offset that best matches each node's slot to its parent's angle).
        let n1 = local.ring1.len().max(1) as f64;
        let n2 = local.ring2.len().max(1) as f64;
        let shift =
            local.ring2.iter().enumerate().map(|(k, &(_, parent))| parent as f64 / n1 - k as f64 / n2).sum::<f64>()
                / n2;
        let p2: Vec<(f64, f64)> = (0..local.ring2.len())
            .map(|k| {
                let a = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * (k as f64 / n2 + shift);
                (cx + 270.0 * a.cos(), cy + 185.0 * a.sin())
            })
            .collect();
        let mut svg = String::with_capacity(4096);
        let title = format!("{}的知识地图", self.pages[i].meta.title);
        let desc =
            format!("与本文相隔一层链接的 {} 个页面和专题，相隔两层的 {} 个。", local.ring1.len(), local.ring2.len());
        open_svg(&mut svg, "local", w, h, &title, &desc);
        svg.push_str("<g class=\"map-edges\" aria-hidden=\"true\">");
        for &(x, y) in &p1 {
            line(&mut svg, (cx, cy), (x, y));
        }
        svg.push_str("</g><g class=\"map-edges far\" aria-hidden=\"true\">");
        for (k, &(_, parent)) in local.ring2.iter().enumerate() {
            line(&mut svg, p1[parent], p2[k]);
        }
        svg.push_str("</g>");
        let me = self.node(i);
        let (key, label) = self.kind(me);
        let _ = write!(
            svg,
            "<g class=\"map-node here {key}\"><title>本文：{}（{label}）</title><circle cx=\"{cx}\" cy=\"{cy}\" r=\"12\"/>{}</g>",
            escape_attr(self.title(me)),
            text_at(cx, cy + 30.0, self.title(me), 10)
        );
        for (k, &n) in local.ring1.iter().enumerate() {
            self.node_link(&mut svg, from, n, p1[k], 8.0, cy);
        }
        for (k, &(n, _)) in local.ring2.iter().enumerate() {
            self.node_link(&mut svg, from, n, p2[k], 5.5, cy);
        }
        svg.push_str("</svg>");
        Some(svg)
    }

    /// One linked node: a circle and its label (below it in the lower half, above it in the upper).
    fn node_link(&self, svg: &mut String, from: &str, n: Node, (x, y): (f64, f64), r: f64, cy: f64) {
        let (key, label) = self.kind(n);
        let dy = if y < cy - 1.0 { -(r + 7.0) } else { r + 17.0 };
        let _ = write!(
            svg,
            "<a href=\"{}\" class=\"map-node {key}\"><title>{}（{label}）</title><circle cx=\"{}\" cy=\"{}\" r=\"{r}\"/>{}</a>",
            escape_attr(&relative(from, self.url(n))),
            escape_attr(self.title(n)),
            fmt(x),
            fmt(y),
            text_at(x, y + dy, self.title(n), LABEL_CHARS)
        );
    }

    /// A topic's pages by year (newest year last), as bars with their counts; `None` for a
    /// topic without dated pages.
    pub fn topic_years_svg(&self, t: usize) -> Option<String> {
        let years = self.topic_years(t);
        if years.is_empty() {
            return None;
        }
        let max = years.iter().map(|&(_, c)| c).max().unwrap_or(1).max(1);
        let (bar, gap, top, chart) = (34.0, 10.0, 24.0, 120.0);
        let w = (years.len() as f64 * (bar + gap) + gap).max(200.0);
        let h = top + chart + 30.0;
        let topic = &self.links.topics[t].title;
        let desc: Vec<String> = years.iter().map(|(y, c)| format!("{y}年 {c} 篇")).collect();
        let mut svg = String::with_capacity(1024 + years.len() * 300);
        open_svg(&mut svg, "years", w, h, &format!("{topic}：各年份文稿数"), &desc.join("，"));
        for (k, &(y, c)) in years.iter().enumerate() {
            let x = gap + k as f64 * (bar + gap);
            let bh = (chart * c as f64 / max as f64).max(2.0);
            let _ = write!(
                svg,
                "<g class=\"map-year\"><title>{y}年：{c} 篇</title><rect x=\"{}\" y=\"{}\" width=\"{bar}\" height=\"{}\" rx=\"2\"/>\
                 <text class=\"map-count\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{c}</text>\
                 <text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{y}</text></g>",
                fmt(x),
                fmt(top + chart - bh),
                fmt(bh),
                fmt(x + bar / 2.0),
                fmt(top + chart - bh - 6.0),
                fmt(x + bar / 2.0),
                fmt(top + chart + 20.0)
            );
        }
        svg.push_str("</svg>");
        Some(svg)
    }

    /// A topic's dated pages counted by year, oldest first.
    pub fn topic_years(&self, t: usize) -> Vec<(u16, usize)> {
        let mut years: BTreeMap<u16, usize> = BTreeMap::new();
        for &i in &self.links.topics[t].members {
            if let Some(d) = self.pages[i].date {
                *years.entry(d.year).or_default() += 1;
            }
        }
        years.into_iter().collect()
    }
}

/// A topic in the site map's table: the topic, its page count, and the topics it shares most
/// pages with (topic, shared pages).
pub type TopicRow = (usize, usize, Vec<(usize, usize)>);

/// The site map: topics and how they are joined.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SiteMap {
    /// Topics drawn, largest first: (topic, page count).
    pub topics: Vec<(usize, usize)>,
    /// Lines drawn: (a, b, shared pages), indices into `topics`.
    pub edges: Vec<(usize, usize, usize)>,
    /// Every topic, largest first, with its page count and the topics it shares most pages with.
    pub all: Vec<TopicRow>,
}

/// Topics a page counts towards shared pages at most (pairs grow as its square).
const PAIR_TOPICS: usize = 8;
/// Lines drawn from each topic at most (its strongest ties).
const TIES: usize = 3;

/// The site map's data: linear in the pages (each page's first [`PAIR_TOPICS`] topics make
/// the pairs).
pub fn site_map(links: &Links) -> SiteMap {
    let mut shared: HashMap<(usize, usize), usize> = HashMap::new();
    for topics in &links.page_topics {
        let mut ts: Vec<usize> = topics.iter().take(PAIR_TOPICS).copied().collect();
        ts.sort_unstable();
        ts.dedup();
        for (k, &a) in ts.iter().enumerate() {
            for &b in &ts[k + 1..] {
                *shared.entry((a, b)).or_default() += 1;
            }
        }
    }
    let mut order: Vec<usize> = (0..links.topics.len()).collect();
    let count = |t: usize| links.topics[t].members.len();
    order.sort_by(|&a, &b| count(b).cmp(&count(a)).then_with(|| links.topics[a].title.cmp(&links.topics[b].title)));
    let mut ties: Vec<Vec<(usize, usize)>> = vec![Vec::new(); links.topics.len()];
    let mut pairs: Vec<((usize, usize), usize)> = shared.into_iter().collect();
    pairs.sort_unstable();
    for &((a, b), c) in &pairs {
        ties[a].push((b, c));
        ties[b].push((a, c));
    }
    for list in &mut ties {
        list.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| links.topics[x.0].title.cmp(&links.topics[y.0].title)));
    }
    let drawn: Vec<usize> = order.iter().copied().take(MAP_TOPICS).collect();
    let at: HashMap<usize, usize> = drawn.iter().enumerate().map(|(k, &t)| (t, k)).collect();
    let mut edges: Vec<(usize, usize, usize)> = Vec::new();
    for (k, &t) in drawn.iter().enumerate() {
        for &(u, c) in ties[t].iter().filter(|(u, _)| at.contains_key(u)).take(TIES) {
            let (a, b) = (k.min(at[&u]), k.max(at[&u]));
            edges.push((a, b, c));
        }
    }
    edges.sort_unstable();
    edges.dedup();
    SiteMap {
        topics: drawn.iter().map(|&t| (t, count(t))).collect(),
        edges,
        all: order.iter().map(|&t| (t, count(t), ties[t].iter().take(TIES).copied().collect())).collect(),
    }
}

/// The site map as SVG, links relative to `from` (`map/`).
pub fn site_map_svg(links: &Links, map: &SiteMap, from: &str) -> Option<String> {
    if map.topics.is_empty() {
        return None;
    }
    // Sunflower spiral: the largest topic in the middle, each next one further out at the
    // golden angle, so circles spread evenly without any iteration.
    let spacing = 78.0;
    let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
    let pos: Vec<(f64, f64)> = (0..map.topics.len())
        .map(|k| {
            let r = spacing * (k as f64 + 0.35).sqrt();
            let a = k as f64 * golden - std::f64::consts::FRAC_PI_2;
            (r * a.cos(), r * a.sin())
        })
        .collect();
    // The drawing's bounds, with room for the circles and their labels.
    let (pad, below) = (40.0, 50.0);
    let left = pos.iter().map(|p| p.0).fold(0.0, f64::min) - pad - 30.0;
    let right = pos.iter().map(|p| p.0).fold(0.0, f64::max) + pad + 30.0;
    let top = pos.iter().map(|p| p.1).fold(0.0, f64::min) - pad;
    let bottom = pos.iter().map(|p| p.1).fold(0.0, f64::max) + pad + below;
    let max = map.topics.iter().map(|&(_, c)| c).max().unwrap_or(1).max(1) as f64;
    let radius = |c: usize| 6.0 + 24.0 * (c as f64 / max).sqrt();
    let mut svg = String::with_capacity(8192);
    let desc = format!(
        "{} 个专题，圆的大小表示文稿数，连线表示两个专题共同标注的文稿，线越粗共同文稿越多。",
        map.topics.len()
    );
    open_svg(&mut svg, "site", right - left, bottom - top, "专题地图", &desc);
    let shift = |(x, y): (f64, f64)| (x - left, y - top);
    let strongest = map.edges.iter().map(|e| e.2).max().unwrap_or(1).max(1) as f64;
    svg.push_str("<g class=\"map-edges\" aria-hidden=\"true\">");
    for &(a, b, c) in &map.edges {
        let width = 1.0 + 5.0 * (c as f64 / strongest);
        let ((x1, y1), (x2, y2)) = (shift(pos[a]), shift(pos[b]));
        let _ = write!(
            svg,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke-width=\"{}\"/>",
            fmt(x1),
            fmt(y1),
            fmt(x2),
            fmt(y2),
            fmt(width)
        );
    }
    svg.push_str("</g>");
    for (k, &(t, c)) in map.topics.iter().enumerate() {
        let topic = &links.topics[t];
        let (x, y) = shift(pos[k]);
        let r = radius(c);
        let _ = write!(
            svg,
            "<a href=\"{}\" class=\"map-node topic\"><title>{}：{c} 篇</title><circle cx=\"{}\" cy=\"{}\" r=\"{}\"/>{}<text class=\"map-count\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{c}</text></a>",
            escape_attr(&relative(from, &topic.url)),
            escape_attr(&topic.title),
            fmt(x),
            fmt(y),
            fmt(r),
            text_at(x, y + r + 16.0, &topic.title, LABEL_CHARS),
            fmt(x),
            fmt(y + r + 31.0),
        );
    }
    svg.push_str("</svg>");
    Some(svg)
}

/// `<svg>` with its `<title>` and `<desc>`, named by them; `kind` picks the CSS class.
fn open_svg(svg: &mut String, kind: &str, w: f64, h: f64, title: &str, desc: &str) {
    let _ = write!(
        svg,
        "<svg class=\"map map-{kind}\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"group\" aria-labelledby=\"map-{kind}-t\" aria-describedby=\"map-{kind}-d\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"map-{kind}-t\">{}</title><desc id=\"map-{kind}-d\">{}</desc>",
        fmt(w),
        fmt(h),
        fmt(w),
        fmt(h),
        escape_attr(title),
        escape_attr(desc)
    );
}

fn line(svg: &mut String, (x1, y1): (f64, f64), (x2, y2): (f64, f64)) {
    let _ = write!(svg, "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", fmt(x1), fmt(y1), fmt(x2), fmt(y2));
}

/// A centred label, cut to `max` characters.
fn text_at(x: f64, y: f64, label: &str, max: usize) -> String {
    let cut: String = if label.chars().count() > max {
        label.chars().take(max - 1).chain(['…']).collect()
    } else {
        label.to_string()
    };
    format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" aria-hidden=\"true\">{}</text>",
        fmt(x),
        fmt(y),
        escape_attr(&cut)
    )
}

/// A coordinate with one decimal, the same on every machine.
fn fmt(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() { format!("{}", r as i64) } else { format!("{r:.1}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_and_labels() {
        assert_eq!(fmt(12.0), "12");
        assert_eq!(fmt(12.345), "12.3");
        assert_eq!(fmt(-0.04), "0");
        assert!(text_at(0.0, 0.0, "一二三四五六七八", 7).contains(">一二三四五六…<"));
        assert!(text_at(0.0, 0.0, "<b>", 7).contains("&lt;b&gt;"));
    }
}
