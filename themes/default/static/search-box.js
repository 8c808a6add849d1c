/* The header search box: the top results in a dropdown as one types (the combobox / listbox
 * pattern: ↑/↓ choose, Enter opens, Escape closes). The client is loaded on first use. Over
 * http it runs in a Worker, off the main thread; from file://, where Chromium refuses Workers,
 * it runs on the page, giving the event loop back between its steps (so typing is never held
 * up), and a newer keystroke stops an older query at its next step. */
(function () {
  "use strict";
  var form = document.querySelector("[data-search-form]");
  var input = form && form.querySelector("[data-search-input]");
  if (!input) return;
  var root = document.body.getAttribute("data-root") || "./";
  var fromDisk = location.protocol === "file:";
  // PENDING: how long a query may take before the list says 搜索中 (a first load, a slow line).
  var LIMIT = 8, DELAY = 120, PENDING = 300;

  var list = document.createElement("ul");
  list.id = "site-search-list";
  list.className = "search-pop";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "搜索结果");
  list.hidden = true;
  form.appendChild(list);
  var live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  form.appendChild(live);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  // Result URLs are paths inside the site (`/cases/x/`); anything else is not linked.
  function href(url) {
    if (typeof url !== "string" || !/^\/(?![\/\\])[^:]*$/.test(url)) return null;
    var rel = root + url.replace(/^\//, "");
    return fromDisk && /\/$/.test(rel) ? rel + "index.html" : rel;
  }
  function searchPage(q) {
    return root + "search/" + (fromDisk ? "index.html" : "") + (q ? "?q=" + encodeURIComponent(q) : "");
  }

  // ---- the engine: a Worker where the browser allows one, else the client on this page
  var worker = null, pending = {}, seq = 0, engine = null, loading = null;
  function startWorker() {
    if (fromDisk || typeof Worker !== "function") return false;
    try {
      worker = new Worker(root + "static/search-worker.js");
    } catch (e) {
      return false;
    }
    worker.onmessage = function (e) {
      var done = pending[e.data.id];
      delete pending[e.data.id];
      if (done) done(e.data);
    };
    // A Worker that cannot start or fails: its queries and the next ones run on the page.
    worker.onerror = function () {
      worker = null;
      var waiting = pending;
      pending = {};
      Object.keys(waiting).forEach(function (id) { onPageQuery(waiting[id].q).then(waiting[id]); });
    };
    worker.postMessage({ base: new URL(root + "search/", location.href).href });
    return true;
  }
  function onPage() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        if (window.zhikuSearch) return resolve();
        var s = document.createElement("script");
        s.src = root + "search/search.js";
        s.onload = resolve;
        s.onerror = reject;
        document.head.appendChild(s);
      }).then(function () {
        engine = window.zhikuSearch.createSearch({ base: root + "search/", yielding: true });
        return engine;
      });
    }
    return loading;
  }
  var useWorker = null;
  function query(q, isStale) {
    if (useWorker === null) useWorker = startWorker();
    if (useWorker && worker) {
      var id = ++seq;
      return new Promise(function (resolve) {
        resolve.q = q;
        pending[id] = resolve;
        worker.postMessage({ id: id, q: q, limit: LIMIT });
      });
    }
    return onPageQuery(q, isStale);
  }
  function onPageQuery(q, isStale) {
    return onPage().then(function (s) {
      return s.search(q, { limit: LIMIT, stale: isStale }).then(function (r) {
        // Nothing found: phrases one character away that find pages.
        return (r.length ? Promise.resolve([]) : s.suggest(q)).then(function (suggestions) {
          return { results: Array.prototype.slice.call(r), total: r.total, exact: r.exact, suggestions: suggestions };
        });
      });
    }).then(null, function (e) {
      return e && e.stale ? { stale: true } : { error: String(e && e.message || e) };
    });
  }

  // ---- the dropdown
  var active = -1, shown = [], timer = 0, slow = 0, asked = 0, lastQuery = "";
  function options() { return list.querySelectorAll("[role=option]"); }
  function open(yes) {
    list.hidden = !yes;
    input.setAttribute("aria-expanded", yes ? "true" : "false");
    if (!yes) choose(-1);
  }
  function choose(i) {
    var items = options();
    if (active >= 0 && items[active]) items[active].setAttribute("aria-selected", "false");
    active = i;
    if (i >= 0 && items[i]) {
      items[i].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", items[i].id);
      items[i].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }
  /** A choice: the link itself is the option (a link inside an option would nest one control
   *  in another, which screen readers read badly); its <li> is only a holder. */
  function option(i, link, title, meta, kind) {
    var li = document.createElement("li");
    li.setAttribute("role", "none");
    var a = document.createElement("a");
    a.id = "site-search-opt-" + i;
    a.setAttribute("role", "option");
    a.setAttribute("aria-selected", "false");
    a.href = link;
    a.tabIndex = -1;
    if (kind) a.className = kind;
    var t = document.createElement("span");
    t.className = "search-pop-title";
    t.textContent = title;
    a.appendChild(t);
    if (meta) {
      var m = document.createElement("span");
      m.className = "search-pop-meta";
      m.textContent = meta;
      a.appendChild(m);
    }
    li.appendChild(a);
    return li;
  }
  /** A line in the list that is not a choice (a heading, a state). */
  function note(text) {
    var li = document.createElement("li");
    li.className = "search-pop-note";
    li.setAttribute("role", "presentation");
    li.setAttribute("aria-hidden", "true");
    li.textContent = text;
    return li;
  }
  /** The pages' own date form: 2024-11-07 → 2024年11月7日. */
  function day(date) {
    return String(date || "").replace(/^(\d+)-0?(\d+)-0?(\d+)$/, "$1年$2月$3日");
  }
  /** While a query has not answered for a moment (first load, slow network): 搜索中. */
  function showSearching(q) {
    list.textContent = "";
    list.setAttribute("aria-busy", "true");
    shown = [];
    list.appendChild(note("正在搜索“" + q + "”……"));
    live.textContent = "正在搜索";
    open(true);
  }
  function render(q, answer) {
    list.textContent = "";
    list.removeAttribute("aria-busy");
    list.setAttribute("data-query", q); // which query the list shows (tests watch it)
    shown = [];
    if (answer.error) {
      // Said in the list, not only to screen readers; Enter still opens the search page.
      list.appendChild(note("搜索暂时不可用：索引文件未能加载。"));
      var retry = option(0, searchPage(q), "到搜索页重试", "", "search-pop-all");
      list.appendChild(retry);
      shown.push(searchPage(q));
      live.textContent = "搜索暂时不可用";
      open(true);
      return;
    }
    answer.results.forEach(function (r) {
      var link = href(r.url);
      if (!link) return;
      var meta = [r.typeLabel || r.type, day(r.date)].filter(Boolean).join(" · ");
      list.appendChild(option(shown.length, link, r.title, meta));
      shown.push(link);
    });
    var found = shown.length;
    var tries = found ? [] : answer.suggestions || [];
    if (tries.length) {
      // "无结果，试试：" and the suggestions, each running itself in the box.
      list.appendChild(note("无结果，试试："));
      tries.forEach(function (t) {
        var o = option(shown.length, searchPage(t.text), t.text, t.count + " 篇", "search-pop-try");
        o.querySelector("a").addEventListener("click", function (e) { e.preventDefault(); tryQuery(t.text); });
        list.appendChild(o);
        shown.push({ query: t.text });
      });
    }
    var n = answer.total || 0;
    var all = option(shown.length, searchPage(q), found ? "查看全部结果（" + (answer.exact ? "" : "约 ") + n + " 条）" : "没有找到，去搜索页看看", "", "search-pop-all");
    list.appendChild(all);
    shown.push(searchPage(q));
    live.textContent = tries.length
      ? "没有找到匹配的页面。试试：" + tries.map(function (t) { return t.text; }).join("、") + "，按上下键选择"
      : shown.length > 1 ? (answer.exact ? "" : "约 ") + n + " 条结果，按上下键选择" : "没有找到匹配的页面";
    open(true);
  }
  /** Runs a suggested query in the box. */
  function tryQuery(text) {
    input.value = text;
    input.focus();
    run();
  }
  function run() {
    var q = input.value.trim();
    if (q === lastQuery && !list.hidden) return;
    lastQuery = q;
    var mine = ++asked;
    clearTimeout(slow);
    if (!q) { clear(); return; }
    var isStale = function () { return mine !== asked || input.value.trim() !== q; };
    slow = setTimeout(function () { if (!isStale()) showSearching(q); }, PENDING);
    query(q, isStale).then(function (answer) {
      // A newer keystroke has asked again: this answer is stale.
      if (answer.stale || isStale()) return;
      clearTimeout(slow);
      render(q, answer);
    });
  }
  function clear() {
    list.textContent = "";
    list.setAttribute("data-query", "");
    shown = [];
    open(false);
  }
  // The engine on the page, for tests (null in a Worker or before the first query).
  form.zhikuEngine = function () { return engine; };
  input.addEventListener("input", function () {
    clearTimeout(timer);
    // An emptied box (Escape, the clear button) drops the old list at once: ↑/↓ and Enter
    // must not reach results of a query that is no longer there.
    if (!input.value.trim()) { run(); return; }
    timer = setTimeout(run, DELAY);
  });
  input.addEventListener("focus", function () { if (input.value.trim() && list.children.length) open(true); });
  input.addEventListener("keydown", function (e) {
    var n = options().length;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (list.hidden) { if (n) open(true); else return; }
      e.preventDefault();
      var step = e.key === "ArrowDown" ? 1 : -1;
      choose(active < 0 ? (step > 0 ? 0 : n - 1) : (active + step + n) % n);
    } else if (e.key === "Enter" && active >= 0 && !list.hidden) {
      e.preventDefault();
      if (typeof shown[active] === "string") location.href = shown[active];
      else tryQuery(shown[active].query);
    } else if (e.key === "Escape") {
      if (!list.hidden) { e.preventDefault(); open(false); }
    }
  });
  list.addEventListener("mousedown", function (e) { e.preventDefault(); }); // keep focus for the click
  document.addEventListener("click", function (e) { if (!form.contains(e.target)) open(false); });
  input.addEventListener("blur", function () { setTimeout(function () { if (document.activeElement !== input) open(false); }, 150); });
})();
