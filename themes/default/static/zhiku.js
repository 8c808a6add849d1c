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
