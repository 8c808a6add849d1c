/* The search page: reads ?q= and filters from the address, runs zhiku's client, shows results. */
(function () {
  "use strict";
  var root = document.body.getAttribute("data-root") || "./";
  var fromDisk = location.protocol === "file:";
  // On the page: the search gives the event loop back between its steps (typing stays quick).
  var engine = window.zhikuSearch.createSearch({ base: root + "search/", yielding: true });
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var empty = document.getElementById("search-empty");
  var selects = Array.prototype.slice.call(document.querySelectorAll("#search-filters select"));
  var params = new URLSearchParams(location.search);
  var PAGE = 20;
  var limit = PAGE;
  var run = 0;
  // After 显示更多结果: the first newly shown result takes the focus (a keyboard reader goes on
  // reading where the list grew instead of starting over from the top of the page).
  var focusAt = -1;

  // Result URLs are paths inside the site (`/cases/x/`); anything else is not linked.
  function href(url) {
    if (typeof url !== "string" || !/^\/(?![\/\\])[^:]*$/.test(url)) return null;
    var rel = root + url.replace(/^\//, "");
    return fromDisk && /\/$/.test(rel) ? rel + "index.html" : rel;
  }

  function setStatus(text) { status.textContent = text; }

  function fillFilters(m) {
    selects.forEach(function (sel) {
      var values = (m.facets && m.facets[sel.getAttribute("data-facet")]) || [];
      values.forEach(function (v) {
        var o = document.createElement("option");
        o.value = v[0];
        o.textContent = v[1] + "（" + v[2] + "）";
        sel.appendChild(o);
      });
      sel.value = params.get(sel.name) || "";
      sel.parentNode.hidden = values.length === 0;
    });
  }

  function filters() {
    var out = {};
    selects.forEach(function (sel) { if (sel.value) out[sel.name] = sel.value; });
    return out;
  }

  function render(results, q) {
    list.textContent = "";
    results.forEach(function (r, i) {
      var li = document.createElement("li");
      li.className = "page-item search-result";
      var meta = document.createElement("div");
      meta.className = "page-item-meta";
      var badge = document.createElement("span");
      badge.className = "badge badge-" + r.type;
      badge.textContent = r.typeLabel || r.type;
      meta.appendChild(badge);
      if (r.date) {
        var t = document.createElement("time");
        t.dateTime = r.date;
        t.textContent = r.date.replace(/^(\d+)-0?(\d+)-0?(\d+)$/, "$1年$2月$3日");
        meta.appendChild(t);
      }
      var a = document.createElement("a");
      a.className = "page-item-title";
      var target = href(r.url);
      if (target) a.href = target;
      a.textContent = r.title;
      var p = document.createElement("p");
      p.className = "page-item-summary snippet";
      p.innerHTML = r.snippet; // built by the client from escaped text and <mark> only
      li.appendChild(meta);
      li.appendChild(a);
      li.appendChild(p);
      list.appendChild(li);
    });
    if (results.length < results.total) {
      var more = document.createElement("li");
      more.className = "search-more";
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = "显示更多结果";
      b.addEventListener("click", function () { focusAt = limit; limit += PAGE; search(); });
      more.appendChild(b);
      list.appendChild(more);
    }
    empty.hidden = results.length > 0 || !q;
    var next = list.querySelectorAll("a.page-item-title")[focusAt];
    focusAt = -1;
    if (next) next.focus();
  }

  // Trend (提法演变): matching pages per year, as bars with their numbers in text, and what the
  // bars leave out (results without a date). Counting checks every candidate page, so a query
  // with many candidates asks first.
  var trend = document.getElementById("search-trend");
  var caption = document.getElementById("trend-caption");
  var bars = document.getElementById("trend-bars");
  var trendNote = document.getElementById("trend-note");
  var TREND_AUTO = 300;
  function trendLine(text) {
    bars.textContent = "";
    var li = document.createElement("li");
    li.className = "trend-state";
    li.textContent = text;
    bars.appendChild(li);
    return li;
  }
  function showTrend(q, mine, results) {
    caption.textContent = "提法演变：每年包含“" + q + "”的页面数";
    trendNote.textContent = "";
    trendLine("正在统计……");
    trend.setAttribute("aria-busy", "true");
    trend.hidden = false;
    engine.byYear(q).then(function (years) {
      if (mine !== run) return;
      trend.removeAttribute("aria-busy");
      bars.textContent = "";
      var most = 1, dated = 0;
      years.forEach(function (y) { most = Math.max(most, y.count); dated += y.count; });
      years.forEach(function (y) {
        var li = document.createElement("li");
        var year = document.createElement("span");
        year.className = "trend-year";
        year.textContent = y.year + "年";
        // A <meter> draws the bar without a style attribute (the number is in the text beside it).
        var bar = document.createElement("meter");
        bar.className = "trend-bar";
        bar.setAttribute("aria-hidden", "true");
        bar.min = 0;
        bar.max = most;
        bar.value = y.count;
        var count = document.createElement("span");
        count.className = "trend-count";
        count.textContent = y.count + " 篇";
        li.appendChild(year);
        li.appendChild(bar);
        li.appendChild(count);
        bars.appendChild(li);
      });
      // The bars count dated pages only (as `zhiku search --by-year`), over all pages whatever
      // the filters: say what they leave out, and that the filters do not apply.
      var filtered = Object.keys(filters()).length > 0;
      var undated = results.exact && !filtered ? results.total - dated : 0;
      if (!years.length) trendNote.textContent = "匹配的页面都没有日期（如专题页），无法按年份统计。";
      else if (filtered) trendNote.textContent = "按年统计不受上方筛选条件限制：共 " + dated + " 篇有日期的页面。";
      else if (undated > 0) trendNote.textContent = "共 " + dated + " 篇有日期的页面；另有 " + undated + " 条结果没有日期（如专题页），未计入。";
      else trendNote.textContent = "共 " + dated + " 篇有日期的页面。";
    }).catch(function () {
      if (mine !== run) return;
      trend.removeAttribute("aria-busy");
      trendLine("统计失败：部分索引文件未能加载。可以换一个更具体的词再试。").classList.add("trend-error");
    });
  }
  function offerTrend(q, mine, results) {
    // The count is over all pages, whatever the filters: a filtered total does not bound it.
    if (results.total <= TREND_AUTO && !Object.keys(filters()).length) return showTrend(q, mine, results);
    caption.textContent = "提法演变：每年包含“" + q + "”的页面数";
    trendNote.textContent = "";
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button-quiet";
    b.textContent = "统计每年的页面数";
    b.addEventListener("click", function () {
      showTrend(q, mine, results);
      // The focus stays inside the chart (the button it was on is gone).
      trend.focus();
    });
    trendLine("结果较多，统计需要加载较多数据：").appendChild(b);
    trend.hidden = false;
  }

  // No result: "您是不是要找：枫桥经验（12 篇）", each a link that runs it (as zhiku search --suggest).
  var suggest = document.getElementById("search-suggest");
  function showSuggestions(q, mine) {
    engine.suggest(q).then(function (list) {
      if (mine !== run || !list.length) return;
      suggest.textContent = "您是不是要找：";
      list.forEach(function (t, i) {
        if (i) suggest.appendChild(document.createTextNode("、"));
        var a = document.createElement("a");
        a.href = "?q=" + encodeURIComponent(t.text);
        a.textContent = t.text;
        a.addEventListener("click", function (e) {
          e.preventDefault();
          input.value = t.text;
          limit = PAGE;
          search();
        });
        suggest.appendChild(a);
        suggest.appendChild(document.createTextNode("（" + t.count + " 篇）"));
      });
      suggest.hidden = false;
    }).catch(function () {});
  }

  function search() {
    var q = input.value.trim();
    var mine = ++run;
    var url = new URL(location.href);
    url.searchParams.set("q", q);
    selects.forEach(function (sel) { if (sel.value) url.searchParams.set(sel.name, sel.value); else url.searchParams.delete(sel.name); });
    if (!fromDisk) history.replaceState(null, "", url);
    trend.hidden = true;
    suggest.hidden = true;
    if (!q) { list.textContent = ""; empty.hidden = true; setStatus("请输入关键词。"); return; }
    setStatus("正在搜索……");
    var started = performance.now();
    engine.search(q, { limit: limit, filters: filters(), stale: function () { return mine !== run; } }).then(function (results) {
      if (mine !== run) return;
      var ms = Math.round(performance.now() - started);
      var count = (results.exact ? "共 " : "约 ") + results.total + " 条结果" +
        (results.length < results.total ? "，已显示前 " + results.length + " 条" : "");
      var shown = results.cut ? results.searched + "…" : q;
      var cut = results.cut ? "查询过长，只搜索了前 " + window.zhikuSearch.MAX_QUERY_CHARS + " 个字。" : "";
      setStatus(cut + (results.length ? count + "（用时 " + ms + " 毫秒）" : "没有找到与“" + shown + "”匹配的页面。"));
      render(results, q);
      if (results.length) offerTrend(q, mine, results);
      else showSuggestions(q, mine);
    }).catch(function (e) {
      if (mine !== run) return;
      setStatus("搜索索引无法加载：" + e.message);
    });
  }

  // Keyboard: ↓/↑ move through results, Enter opens (the browser follows the focused link).
  document.addEventListener("keydown", function (e) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(list.querySelectorAll("a.page-item-title"));
    var i = links.indexOf(document.activeElement);
    // Only from the box or a result: elsewhere (a filter's list, a button) ↑/↓ keep their own use.
    if (!links.length || (i < 0 && document.activeElement !== input)) return;
    if (e.key === "ArrowDown") i = Math.min(links.length - 1, i + 1);
    else if (i <= 0) { input.focus(); e.preventDefault(); return; } else i -= 1;
    links[i].focus();
    e.preventDefault();
  });

  form.addEventListener("submit", function (e) { e.preventDefault(); limit = PAGE; search(); });
  selects.forEach(function (sel) { sel.addEventListener("change", function () { limit = PAGE; search(); }); });
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { limit = PAGE; search(); }, 200);
  });

  input.value = params.get("q") || "";
  engine.manifest().then(fillFilters).then(function () { if (input.value) search(); }).catch(function (e) {
    setStatus("搜索索引无法加载：" + e.message);
  });
})();
