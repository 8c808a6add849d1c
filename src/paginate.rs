//! Long lists split into pages of `paginate` entries (`config.yaml`): page 1 stays at the list's
//! own URL (`speeches/`), page n is `speeches/page/n/`. Every list page links to a fixed number
//! of other pages (first, last, and two on each side of the current one), so the pager costs the
//! same on page 3 of 4 as on page 300 of 400 and rendering all pages of a list stays linear.

use crate::link::relative;
use serde::Serialize;

/// How many pages a list of `len` entries takes (an empty list still has its first page).
pub fn count(len: usize, per_page: usize) -> usize {
    len.div_ceil(per_page.max(1)).max(1)
}

/// The URL of page `n` (0-based) of the list at `base` (`speeches/`).
pub fn url(base: &str, n: usize) -> String {
    if n == 0 { base.to_string() } else { format!("{base}page/{}/", n + 1) }
}

/// The entries page `n` (0-based) shows.
pub fn slice<T>(list: &[T], n: usize, per_page: usize) -> &[T] {
    let per_page = per_page.max(1);
    let start = (n * per_page).min(list.len());
    &list[start..(start + per_page).min(list.len())]
}

/// The pager of one list page, for the templates (`pager`).
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Pager {
    /// 1-based number of this page.
    pub number: usize,
    /// How many pages the list has.
    pub count: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The numbered links, with `None` hrefs where numbers are left out (shown as "…").
    pub links: Vec<PagerLink>,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct PagerLink {
    pub number: usize,
    pub href: Option<String>,
    pub current: bool,
}

/// The pager of page `n` (0-based) of `count` pages of the list at `base`, with hrefs relative
/// to that page; `None` for a list of one page.
pub fn pager(base: &str, n: usize, count: usize) -> Option<Pager> {
    if count <= 1 {
        return None;
    }
    let here = url(base, n);
    let href = |k: usize| Some(relative(&here, &url(base, k)));
    let mut links = Vec::new();
    let shown = |k: usize| k == 0 || k + 1 == count || k.abs_diff(n) <= 2;
    for k in 0..count {
        if shown(k) {
            links.push(PagerLink { number: k + 1, href: href(k), current: k == n });
        } else if links.last().is_some_and(|l| l.href.is_some()) {
            links.push(PagerLink { number: k + 1, href: None, current: false });
        }
    }
    Some(Pager {
        number: n + 1,
        count,
        prev: n.checked_sub(1).and_then(href),
        next: (n + 1 < count).then(|| href(n + 1)).flatten(),
        links,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_slices() {
        assert_eq!(count(0, 50), 1);
        assert_eq!(count(50, 50), 1);
        assert_eq!(count(51, 50), 2);
        assert_eq!(url("speeches/", 0), "speeches/");
        assert_eq!(url("speeches/", 1), "speeches/page/2/");
        let list: Vec<usize> = (0..7).collect();
        assert_eq!(slice(&list, 0, 3), [0, 1, 2]);
        assert_eq!(slice(&list, 2, 3), [6]);
        assert!(slice(&list, 5, 3).is_empty());
    }

    #[test]
    fn pager_links_are_relative_and_bounded() {
        assert_eq!(pager("speeches/", 0, 1), None);
        let p = pager("speeches/", 5, 400).unwrap();
        assert_eq!(p.prev.as_deref(), Some("../../../speeches/page/5/"));
        assert_eq!(p.next.as_deref(), Some("../../../speeches/page/7/"));
        let numbers: Vec<String> =
            p.links.iter().map(|l| if l.href.is_some() { l.number.to_string() } else { "…".into() }).collect();
        assert_eq!(numbers, ["1", "…", "4", "5", "6", "7", "8", "…", "400"]);
        assert_eq!(p.links[0].href.as_deref(), Some("../../../speeches/"));
        let first = pager("timeline/2024/", 0, 2).unwrap();
        assert_eq!((first.prev, first.next.as_deref()), (None, Some("../../timeline/2024/page/2/")));
    }
}
