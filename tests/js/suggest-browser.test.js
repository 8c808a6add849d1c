// Suggestions in headless Chromium: a query that finds nothing shows what
// `zhiku search --suggest --json` suggests (ZHIKU_EXPECTED: [{query, suggestions}]), on the
// search page ("您是不是要找：枫桥经验（3 篇）") and in the header box ("无结果，试试："), over
// http (the box's client in a Worker) and from file:// (on the page); choosing one runs it.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("fs");
const path = require("path");
const { publicDir } = require("./helpers");
const { serve, Browser } = require("./chromium");

const { query, suggestions } = JSON.parse(fs.readFileSync(process.env.ZHIKU_EXPECTED, "utf8"))[0];
const RESULTS = "document.querySelectorAll('.search-result').length";
const TRIES = "document.querySelectorAll('#site-search-list .search-pop-try')";

async function onSearchPage(page, url) {
  assert.ok(suggestions.length > 0, query + " must get suggestions");
  await page.goto(url + "?q=" + encodeURIComponent(query));
  await page.waitFor("!document.getElementById('search-suggest').hidden");
  const want = "您是不是要找：" + suggestions.map((s) => `${s.text}（${s.count} 篇）`).join("、");
  assert.strictEqual(await page.eval("document.getElementById('search-suggest').textContent"), want);
  assert.strictEqual(await page.eval(RESULTS), 0);
  // The first suggestion is a link; following it searches for it.
  await page.eval("document.querySelector('#search-suggest a').click()");
  await page.waitFor(`${RESULTS} > 0 && document.getElementById('search-q').value === ${JSON.stringify(suggestions[0].text)}`);
  assert.ok(await page.eval("document.getElementById('search-suggest').hidden"), "suggestions go once results show");
}

async function inHeaderBox(page, url) {
  await page.goto(url);
  await page.key("/", "Slash", 191, "/");
  await page.type(query);
  await page.waitFor(`${TRIES}.length > 0 && !document.getElementById('site-search-list').hidden`);
  assert.strictEqual(await page.eval("document.querySelector('#site-search-list .search-pop-note').textContent"), "无结果，试试：");
  const shown = await page.eval(`Array.from(${TRIES}).map(o => o.querySelector('.search-pop-title').textContent + '|' + o.querySelector('.search-pop-meta').textContent)`);
  assert.deepStrictEqual(shown, suggestions.map((s) => `${s.text}|${s.count} 篇`));
  // ↓ chooses the first suggestion, Enter runs it in the box: its results replace the list.
  await page.key("ArrowDown", "ArrowDown", 40);
  assert.strictEqual(await page.eval(`${TRIES}[0].getAttribute('aria-selected')`), "true");
  assert.strictEqual(await page.eval("document.querySelector('#site-search-list .search-pop-all').textContent"), "没有找到，去搜索页看看");
  await page.key("Enter", "Enter", 13, "\r");
  const box = "document.querySelector('[data-search-input]')";
  await page.waitFor(`${box}.value === ${JSON.stringify(suggestions[0].text)} && ${TRIES}.length === 0 && document.querySelectorAll('#site-search-list [role=option]').length > 1`);
}

test("suggestions on the search page and in the header box, over http", { timeout: 120000 }, async () => {
  const browser = new Browser();
  const server = await serve(publicDir);
  try {
    const base = `http://127.0.0.1:${server.address().port}/`;
    await onSearchPage(await browser.page(), base + "search/");
    await inHeaderBox(await browser.page(390, 844), base + "topics/");
  } finally {
    await browser.close();
    server.close();
  }
});

test("suggestions on the search page and in the header box, from file://", { timeout: 120000 }, async () => {
  const browser = new Browser();
  try {
    await onSearchPage(await browser.page(390, 844), "file://" + path.join(publicDir, "search", "index.html"));
    await inHeaderBox(await browser.page(), "file://" + path.join(publicDir, "index.html"));
  } finally {
    await browser.close();
  }
});
