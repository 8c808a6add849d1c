// The search as a reader meets it, in headless Chromium (ZHIKU_EXPECTED: [{query, byYear,
// total}] from `zhiku search --by-year --json` and `zhiku search --json`).
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("fs");
const http = require("http");
const path = require("path");
const { publicDir } = require("./helpers");
const { serve, Browser } = require("./chromium");

const expected = JSON.parse(fs.readFileSync(process.env.ZHIKU_EXPECTED, "utf8"));
const RESULTS = "document.querySelectorAll('.search-result').length";
const LIST = "document.getElementById('site-search-list')";
const OPTIONS = "document.querySelectorAll('#site-search-list [role=option]')";

async function withSite(fn, server) {
  const browser = new Browser();
  server = server || (await serve(publicDir));
  try {
    await fn(browser, `http://127.0.0.1:${server.address().port}`);
  } finally {
    await browser.close();
    server.close();
  }
}

test("the trend shows zhiku search --by-year's counts and names the results it leaves out", { timeout: 120000 }, async () => {
  await withSite(async (browser, base) => {
    const page = await browser.page();
    for (const { query, byYear, total } of expected) {
      await page.goto(`${base}/search/?q=${encodeURIComponent(query)}`);
      await page.waitFor(`${RESULTS} > 0 && !document.getElementById('search-trend').hidden && !document.getElementById('search-trend').hasAttribute('aria-busy')`);
      assert.strictEqual(await page.eval("document.querySelectorAll('[data-search-input]').length"), 0, "one search box on the search page");
      assert.strictEqual(await page.eval("document.getElementById('trend-caption').textContent"), `提法演变：每年包含“${query}”的页面数`);
      const bars = await page.eval(`Array.from(document.querySelectorAll('#trend-bars li')).map(li => [li.querySelector('.trend-year').textContent, li.querySelector('.trend-count').textContent])`);
      assert.deepStrictEqual(bars, byYear.map((y) => [y.year + "年", y.count + " 篇"]), query);
      const dated = byYear.reduce((n, y) => n + y.count, 0);
      const note = await page.eval("document.getElementById('trend-note').textContent");
      if (dated < total) assert.strictEqual(note, `共 ${dated} 篇有日期的页面；另有 ${total - dated} 条结果没有日期（如专题页），未计入。`);
      else assert.strictEqual(note, `共 ${dated} 篇有日期的页面。`);
    }
    // A filter narrows the results, not the trend (as `zhiku search --by-year`): the note says so.
    const { query, byYear } = expected[0];
    await page.goto(`${base}/search/?q=${encodeURIComponent(query)}&year=${byYear[0].year}`);
    await page.waitFor(`${RESULTS} > 0 && document.querySelector('#trend-bars button')`);
    await page.eval("document.querySelector('#trend-bars button').click()");
    await page.waitFor(`${RESULTS} > 0 && !document.getElementById('search-trend').hidden && !document.getElementById('search-trend').hasAttribute('aria-busy')`);
    const dated = byYear.reduce((n, y) => n + y.count, 0);
    assert.strictEqual(await page.eval("document.getElementById('trend-note').textContent"), `按年统计不受上方筛选条件限制：共 ${dated} 篇有日期的页面。`);
    assert.strictEqual(await page.eval("document.querySelectorAll('#trend-bars li').length"), byYear.length);
    assert.ok(expected.some((e) => e.byYear.length > 3), "a trend over many years");
    assert.ok(expected.some((e) => e.byYear.reduce((n, y) => n + y.count, 0) < e.total), "a query with undated results");
  });
});

test("显示更多结果 by keyboard moves the focus to the first new result; ↓ on a filter stays there", { timeout: 120000 }, async () => {
  const { query, total } = expected[0];
  assert.ok(total > 20, `${query} finds more than a page of results`);
  await withSite(async (browser, base) => {
    const page = await browser.page();
    await page.goto(`${base}/search/?q=${encodeURIComponent(query)}`);
    await page.waitFor(`${RESULTS} === 20`);
    assert.match(await page.eval("document.getElementById('search-status').textContent"), new RegExp(`^共 ${total} 条结果，已显示前 20 条`));
    await page.eval("document.querySelector('.search-more button').focus()");
    await page.key("Enter", "Enter", 13, "\r");
    await page.waitFor(`${RESULTS} === ${Math.min(total, 40)}`);
    const focused = await page.eval("Array.from(document.querySelectorAll('.search-result a.page-item-title')).indexOf(document.activeElement)");
    assert.strictEqual(focused, 20, "the 21st result has the focus");
    // ↓ from the box goes to the first result; on a filter it stays the filter's key.
    await page.eval("document.getElementById('search-q').focus()");
    await page.key("ArrowDown", "ArrowDown", 40);
    assert.strictEqual(await page.eval("document.activeElement === document.querySelector('.search-result a.page-item-title')"), true);
    await page.eval("document.querySelector('select[name=type]').focus()");
    await page.key("ArrowDown", "ArrowDown", 40);
    assert.strictEqual(await page.eval("document.activeElement.name"), "type", "the focus stays on the filter");
  });
});

test("the header box: dates as the pages write them, and an emptied box drops its list at once", { timeout: 120000 }, async () => {
  await withSite(async (browser, base) => {
    const page = await browser.page();
    await page.goto(`${base}/topics/`);
    await page.key("/", "Slash", 191, "/");
    await page.type("走访");
    await page.waitFor(`${OPTIONS}.length > 1 && !${LIST}.hidden`);
    const metas = await page.eval("Array.from(document.querySelectorAll('#site-search-list .search-pop-meta')).map(m => m.textContent)");
    assert.ok(metas.length > 0 && metas.every((m) => /\d{4}年\d{1,2}月\d{1,2}日$/.test(m)), metas.join(" | "));
    // Emptied (Escape in a search box, its clear button): ↓ right away reaches nothing old.
    await page.eval("(() => { const i = document.querySelector('[data-search-input]'); i.value = ''; i.dispatchEvent(new Event('input')); })()");
    await page.key("ArrowDown", "ArrowDown", 40);
    assert.strictEqual(await page.eval(`${LIST}.hidden`), true);
    assert.strictEqual(await page.eval(`${OPTIONS}.length`), 0);
    assert.strictEqual(await page.eval("document.querySelector('[data-search-input]').getAttribute('aria-activedescendant')"), null);
  });
});

test("the header box says 正在搜索 on a slow line, then shows the results", { timeout: 120000 }, async () => {
  await withSite(async (browser, base) => {
    const page = await browser.page();
    await page.send("Network.enable");
    await page.goto(`${base}/topics/`);
    await page.send("Network.emulateNetworkConditions", { offline: false, latency: 1500, downloadThroughput: 200000, uploadThroughput: 200000 });
    await page.key("/", "Slash", 191, "/");
    await page.type("社会工作");
    await page.waitFor(`!${LIST}.hidden && ${LIST}.textContent === '正在搜索“社会工作”……'`);
    assert.strictEqual(await page.eval(`${LIST}.getAttribute('aria-busy')`), "true");
    await page.waitFor(`${OPTIONS}.length > 1 && ${LIST}.getAttribute('data-query') === '社会工作'`, 60000);
    assert.strictEqual(await page.eval(`${LIST}.hasAttribute('aria-busy')`), false);
  });
});

test("the header box says so when the index cannot load, and offers the search page", { timeout: 120000 }, async () => {
  // The site, except the search index's files (search.js itself loads).
  const server = http.createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (p.endsWith("/")) p += "index.html";
    const file = path.join(publicDir, p);
    const index = p.startsWith("/search/") && !/\/search\/(search\.js|index\.html)$/.test(p);
    if (index || !file.startsWith(publicDir) || !fs.existsSync(file)) { res.writeHead(404); res.end("not found"); return; }
    res.writeHead(200, { "content-type": /\.js$/.test(p) ? "text/javascript" : /\.css$/.test(p) ? "text/css" : "text/html; charset=utf-8" });
    res.end(fs.readFileSync(file));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  await withSite(async (browser, base) => {
    const page = await browser.page();
    await page.goto(`${base}/topics/`);
    await page.key("/", "Slash", 191, "/");
    await page.type("社会工作");
    await page.waitFor(`!${LIST}.hidden && ${LIST}.getAttribute('data-query') === '社会工作'`);
    assert.match(await page.eval(`${LIST}.querySelector('.search-pop-note').textContent`), /^搜索暂时不可用/);
    await page.key("ArrowDown", "ArrowDown", 40);
    await page.key("Enter", "Enter", 13, "\r");
    await page.waitFor("location.pathname === '/search/' && new URLSearchParams(location.search).get('q') === '社会工作'");
    await page.waitFor("/搜索索引无法加载/.test(document.getElementById('search-status').textContent)");
  }, server);
});

