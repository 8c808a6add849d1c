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

// Search as you type: the header box shows the top results in a listbox after a keystroke;
// ↓ chooses the first (announced through aria-activedescendant) and Enter opens it.
async function typeAheadAndFollow(page, start) {
  await page.goto(start);
  await page.key("/", "Slash", 191, "/");
  await page.type("暖蜂行动");
  const OPTIONS = "document.querySelectorAll('#site-search-list [role=option]')";
  await page.waitFor(`${OPTIONS}.length > 1 && !document.getElementById('site-search-list').hidden`);
  const box = "document.querySelector('[data-search-input]')";
  assert.strictEqual(await page.eval(`${box}.getAttribute('role')`), "combobox");
  assert.strictEqual(await page.eval(`${box}.getAttribute('aria-expanded')`), "true");
  const first = await page.eval(`${OPTIONS}[0].getAttribute('href')`);
  const title = await page.eval(`${OPTIONS}[0].textContent`);
  await page.key("ArrowDown", "ArrowDown", 40);
  assert.strictEqual(await page.eval(`${box}.getAttribute('aria-activedescendant')`), await page.eval(`${OPTIONS}[0].id`));
  assert.strictEqual(await page.eval(`${OPTIONS}[0].getAttribute('aria-selected')`), "true");
  // The typed text stays in the box while the list is open.
  assert.strictEqual(await page.eval(`${box}.value`), "暖蜂行动");
  await page.key("Enter", "Enter", 13, "\r");
  await page.waitFor(`location.href.indexOf(${JSON.stringify(first.replace(/^(\.\.\/)+|^\.\//, ""))}) >= 0 && document.readyState === 'complete'`);
  assert.ok(!(await page.eval("location.pathname")).includes("/search/"), "a result page, not the search page: " + title);
  // Escape closes the list.
  await page.key("/", "Slash", 191, "/");
  await page.type("暖蜂");
  await page.waitFor(`${OPTIONS}.length > 1 && !document.getElementById('site-search-list').hidden`);
  await page.key("Escape", "Escape", 27);
  await page.waitFor("document.getElementById('site-search-list').hidden");
}

test("search as you type in the header box, over http and from file://", { timeout: 120000 }, async () => {
  const browser = new Browser();
  const server = await serve(publicDir);
  try {
    const page = await browser.page();
    await typeAheadAndFollow(page, `http://127.0.0.1:${server.address().port}/topics/`);
    const phone = await browser.page(390, 844);
    await typeAheadAndFollow(phone, "file://" + path.join(publicDir, "index.html"));
  } finally {
    await browser.close();
    server.close();
  }
});
