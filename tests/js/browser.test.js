// The search UI in headless Chromium, driven over the DevTools protocol (a pipe, no packages):
// a reader types into the header box, lands on the search page and sees results, over http and
// from file://.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const path = require("path");
const { publicDir } = require("./helpers");
const { serve, Browser } = require("./chromium");

const RESULTS = "document.querySelectorAll('.search-result').length";

async function typeInHeaderAndSearch(page, query) {
  await page.key("/", "Slash", 191, "/");
  assert.strictEqual(await page.eval("document.activeElement && document.activeElement.getAttribute('data-search-input') !== null"), true, "`/` focuses the search box");
  await page.type(query);
  await page.key("Enter", "Enter", 13, "\r");
  await page.waitFor("location.pathname.indexOf('/search/') >= 0 && " + RESULTS + " > 0");
}

async function checkSearchPage(page) {
  const urls = await page.eval("Array.from(document.querySelectorAll('.search-result a.page-item-title')).map(a => a.getAttribute('href'))");
  assert.ok(urls.some((u) => u.includes("cases/yingze-brand/")), urls.join(" "));
  assert.match(await page.eval("document.getElementById('search-status').textContent"), /条结果/);
  assert.ok(await page.eval("document.querySelectorAll('.search-result mark').length") > 0, "highlighted snippets");
  // Type a traditional query into the page's own box: results update.
  await page.eval("document.getElementById('search-q').select()");
  await page.type("楓橋經驗");
  await page.waitFor("Array.from(document.querySelectorAll('.search-result mark')).some(m => m.textContent === '枫桥经验')");
  // Filter by type.
  await page.eval("(() => { const s = document.querySelector('select[name=type]'); s.value = 'case'; s.dispatchEvent(new Event('change')); })()");
  await page.waitFor(RESULTS + " === 1 && document.querySelector('.search-result .badge').textContent === '实践案例'");
  // Nothing found: a message with the topic index.
  await page.eval("document.getElementById('search-q').select()");
  await page.type("没有这样的词组合");
  await page.waitFor("!document.getElementById('search-empty').hidden");
  assert.ok(await page.eval("!!document.querySelector('#search-empty a[href*=\"topics/\"]')"));
}

test("search from the header box over http, then on the search page", { timeout: 120000 }, async () => {
  // The browser first: without Chromium the test fails at once instead of leaving a server open.
  const browser = new Browser();
  const server = await serve(publicDir);
  try {
    const page = await browser.page();
    await page.goto(`http://127.0.0.1:${server.address().port}/speeches/`);
    await typeInHeaderAndSearch(page, "新就业群体");
    await checkSearchPage(page);
    // A result link opens the page.
    await page.eval("document.getElementById('search-q').select()");
    await page.type("暖蜂行动");
    await page.waitFor(RESULTS + " > 0");
    const phone = await browser.page(390, 844);
    await phone.goto(`http://127.0.0.1:${server.address().port}/search/?q=%E5%BF%97%E6%84%BF%E6%9C%8D%E5%8A%A1`);
    await phone.waitFor(RESULTS + " > 0");
    const wide = await phone.eval("Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > 391 && getComputedStyle(e).position !== 'absolute').map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 5).join(', ')");
    assert.ok(await phone.eval("document.documentElement.scrollWidth <= 390"), "no horizontal scrolling on a phone: " + wide);
  } finally {
    await browser.close();
    server.close();
  }
});

test("search from file:// (index files loaded through <script> elements)", { timeout: 120000 }, async () => {
  const browser = new Browser();
  try {
    const page = await browser.page();
    await page.goto("file://" + path.join(publicDir, "index.html"));
    await typeInHeaderAndSearch(page, "新就业群体");
    assert.strictEqual(await page.eval("location.protocol"), "file:");
    await checkSearchPage(page);
  } finally {
    await browser.close();
  }
});
