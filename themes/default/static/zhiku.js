/* zhiku page script: file:// link fix and table-of-contents highlighting. No dependencies. */
(function () {
  "use strict";
  // Opened from disk, folder links (…/x/) would show a directory listing: point them at index.html.
  if (location.protocol === "file:") {
    var links = document.querySelectorAll("a[href]");
    for (var i = 0; i < links.length; i++) {
      var href = links[i].getAttribute("href");
      if (/^[a-z]+:/i.test(href) || href.charAt(0) === "#") continue;
      var m = href.match(/^([^#?]*\/)([?#].*)?$/);
      if (m) links[i].setAttribute("href", m[1] + "index.html" + (m[2] || ""));
      else if (href === "." || href === "..") links[i].setAttribute("href", href + "/index.html");
    }
  }
  // The header search box: `/` focuses it; submitting opens the search page (also from disk).
  var root = document.body.getAttribute("data-root") || "./";
  document.querySelectorAll("[data-search-form]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var q = form.querySelector("[data-search-input]").value.trim();
      var page = root + "search/" + (location.protocol === "file:" ? "index.html" : "");
      location.href = page + (q ? "?q=" + encodeURIComponent(q) : "");
    });
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var box = document.getElementById("search-q") || document.querySelector("[data-search-input]");
    if (box) { e.preventDefault(); box.focus(); box.select(); }
  });

  // Light / dark: follows the system until the reader chooses; the choice is remembered (the
  // inline script in <head> applies it before the first paint, so nothing flashes).
  var html = document.documentElement;
  var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  var isDark = function () {
    var chosen = html.getAttribute("data-theme");
    return chosen ? chosen === "dark" : !!(dark && dark.matches);
  };
  document.querySelectorAll("[data-theme-toggle]").forEach(function (button) {
    var show = function () { button.setAttribute("aria-pressed", isDark() ? "true" : "false"); };
    show();
    if (dark && dark.addEventListener) dark.addEventListener("change", show);
    button.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      html.setAttribute("data-theme", next);
      try { localStorage.setItem("zhiku-theme", next); } catch (e) { /* private mode: not remembered */ }
      show();
    });
  });

  // Narrow screens: the navigation scrolls sideways. Bring the current section into view and
  // fade the right edge while more items are hidden there.
  var nav = document.querySelector(".site-nav");
  if (nav) {
    var current = nav.querySelector("[aria-current]");
    var edge = function () { nav.classList.toggle("at-end", nav.scrollLeft + nav.clientWidth >= nav.scrollWidth - 2); };
    var reveal = function () {
      if (!current) return;
      var left = current.getBoundingClientRect().left - nav.getBoundingClientRect().left;
      if (left < 0 || left + current.offsetWidth > nav.clientWidth) nav.scrollLeft += left - 16;
      edge();
    };
    nav.addEventListener("scroll", edge, { passive: true });
    window.addEventListener("resize", reveal);
    reveal();
  }

  // Highlight the current section in the side table of contents.
  var toc = document.querySelector(".toc-side .toc");
  if (toc && "IntersectionObserver" in window) {
    var byId = {};
    toc.querySelectorAll("a[href^='#']").forEach(function (a) { byId[decodeURIComponent(a.getAttribute("href").slice(1))] = a; });
    var current = null;
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (e.isIntersecting && byId[e.target.id]) {
          if (current) current.classList.remove("active");
          current = byId[e.target.id];
          current.classList.add("active");
        }
      });
    }, { rootMargin: "0px 0px -70% 0px" });
    document.querySelectorAll(".prose h2[id], .prose h3[id], .prose h4[id]").forEach(function (h) { observer.observe(h); });
  }
})();

/* Link previews: hovering (after a short delay) or focusing an internal link, a glossary term or a
   backlink shows the target's title, type, date and summary (for a link to a heading, that
   section's first lines) from `previews/<n>.js`, written by the build. Script files rather than
   fetch, so that previews work from file:// too; each holds the pages whose URL hashes to it
   (FNV-1a, as src/preview_data.rs), a few KB. On touch screens the first tap on a link shows its
   preview and the title inside opens the page (as does a second tap). Escape closes. The card
   describes the link (aria-describedby) and never takes the focus. */
(function () {
  "use strict";
  var body = document.body;
  var count = parseInt(body.getAttribute("data-previews"), 10);
  if (!count || !window.URL || !window.TextEncoder) return;
  var root = new URL(body.getAttribute("data-root") || "./", location.href).href;
  var here = location.href.split("#")[0].split("?")[0];
  var shards = {};
  window.zhikuPreviews = function (n, entries) {
    var map = {};
    entries.forEach(function (e) { map[e[0]] = e; });
    var waiting = shards[n];
    shards[n] = map;
    if (Array.isArray(waiting)) waiting.forEach(function (f) { f(map); });
  };
  var shardOf = function (url) {
    var bytes = new TextEncoder().encode(url), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
    return h % count;
  };
  var load = function (n, done) {
    var s = shards[n];
    if (s && !Array.isArray(s)) { done(s); return; }
    if (s) { s.push(done); return; }
    shards[n] = [done];
    var script = document.createElement("script");
    script.src = root + "previews/" + n + ".js";
    script.async = true;
    script.onerror = function () { window.zhikuPreviews(n, []); };
    document.head.appendChild(script);
  };
  // The site URL (`cases/a/`) and heading id a link leads to, or null for links going elsewhere.
  var target = function (a) {
    if (!a || a.hasAttribute("download") || a.classList.contains("anchor") || a.closest(".link-preview")) return null;
    if (!a.closest(".prose, .xref")) return null;
    var u;
    try { u = new URL(a.getAttribute("href"), location.href); } catch (e) { return null; }
    var page = u.href.split("#")[0].split("?")[0];
    if (page.indexOf(root) !== 0) return null;
    var url;
    try { url = decodeURIComponent(page.slice(root.length)).replace(/index\.html$/, ""); } catch (e) { return null; }
    var id = u.hash ? decodeURIComponent(u.hash.slice(1)) : "";
    return { url: url, id: id, self: page === here, href: u.href };
  };

  var card = document.createElement("div");
  card.className = "link-preview";
  card.id = "zhiku-link-preview";
  card.setAttribute("role", "tooltip");
  card.hidden = true;
  body.appendChild(card);
  var shownFor = null, showTimer = 0, hideTimer = 0, lastTouch = 0;

  var el = function (tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  };
  var fill = function (a, t, entry) {
    var excerpt = null;
    (entry[6] || []).forEach(function (x) { if (x[0] === t.id) excerpt = x; });
    if (t.self && !excerpt) return false;
    card.textContent = "";
    var meta = el("p", "link-preview-meta");
    meta.appendChild(el("span", "badge badge-" + entry[2], entry[3]));
    if (entry[4]) meta.appendChild(el("span", "link-preview-date", entry[4]));
    card.appendChild(meta);
    var title = el("p", "link-preview-title");
    var open = el("a", "", entry[1]);
    open.href = t.href;
    open.tabIndex = -1;
    title.appendChild(open);
    if (excerpt) title.appendChild(el("span", "link-preview-section", excerpt[1]));
    card.appendChild(title);
    var text = excerpt ? excerpt[2] : entry[5];
    if (text) card.appendChild(el("p", "link-preview-text", text));
    return true;
  };
  var place = function (a) {
    var rects = a.getClientRects();
    var r = rects.length ? rects[0] : a.getBoundingClientRect();
    var vw = document.documentElement.clientWidth, vh = window.innerHeight;
    card.style.left = "0px";
    card.style.top = "0px";
    var w = card.offsetWidth, h = card.offsetHeight;
    var left = Math.max(8, Math.min(r.left, vw - w - 8));
    var top = r.bottom + 6;
    if (top + h > vh - 8 && r.top - h - 6 > 8) top = r.top - h - 6;
    card.style.left = Math.round(left + window.scrollX) + "px";
    card.style.top = Math.round(top + window.scrollY) + "px";
  };
  // `failed` runs when there is nothing to show (a tap then opens the page).
  var show = function (a, failed) {
    var t = target(a);
    if (!t) return;
    load(shardOf(t.url), function (map) {
      var entry = map[t.url];
      if (!entry || !fill(a, t, entry)) { if (failed) failed(); return; }
      hide();
      card.hidden = false;
      place(a);
      shownFor = a;
      a.setAttribute("aria-describedby", card.id);
    });
  };
  var hide = function () {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (shownFor) shownFor.removeAttribute("aria-describedby");
    shownFor = null;
    card.hidden = true;
    card.removeAttribute("style");
  };
  var link = function (e) { return e.target && e.target.closest ? e.target.closest("a[href]") : null; };

  document.addEventListener("pointerover", function (e) {
    if (e.pointerType === "touch") return;
    if (card.contains(e.target)) { clearTimeout(hideTimer); return; }
    var a = link(e);
    if (!a || !target(a)) return;
    // The preview replaces the browser's own tooltip (a glossary term's `title`).
    if (a.hasAttribute("title")) a.removeAttribute("title");
    clearTimeout(hideTimer);
    if (a === shownFor) return;
    clearTimeout(showTimer);
    showTimer = setTimeout(function () { show(a); }, 350);
  });
  document.addEventListener("pointerout", function (e) {
    if (e.pointerType === "touch") return;
    var a = link(e);
    if (!(a && target(a)) && !card.contains(e.target)) return;
    clearTimeout(showTimer);
    if (shownFor) { clearTimeout(hideTimer); hideTimer = setTimeout(hide, 250); }
  });
  document.addEventListener("focusin", function (e) {
    var a = link(e);
    if (!a || card.contains(a) || Date.now() - lastTouch < 800) return;
    if (a.matches && !a.matches(":focus-visible")) return;
    if (target(a)) show(a); else hide();
  });
  document.addEventListener("focusout", function (e) {
    if (e.target === shownFor && !(e.relatedTarget && card.contains(e.relatedTarget))) hide();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && shownFor) hide();
  });
  document.addEventListener("pointerdown", function (e) {
    if (e.pointerType === "touch") lastTouch = Date.now();
    if (!card.contains(e.target) && link(e) !== shownFor) hide();
  });
  // Touch: the first tap previews, a second tap (or the title in the preview) opens the page.
  document.addEventListener("click", function (e) {
    if (Date.now() - lastTouch > 800) return;
    var a = link(e);
    if (!a || a === shownFor || card.contains(a) || !target(a)) return;
    e.preventDefault();
    show(a, function () { location.href = target(a).href; });
  });
  window.addEventListener("resize", hide);
})();
