// Typing into the header box from file://, where the search runs on the page (no Worker): the
// search gives the event loop back between its steps (yields), and a query overtaken by a
// newer keystroke never replaces the newer one's results. Timings are not asserted here: the
// longest task is printed by scripts/typing-bench.js.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const path = require("path");
const { publicDir } = require("./helpers");
const { Browser } = require("./chromium");

// Prefixes typed one after another; the pauses between some let a search start and run.
const STEPS = [["社", 0], ["会", 0], ["工", 150], ["作", 10], [" ", 0], ["志", 130], ["愿", 5], ["服", 140], ["务", 0]];

test("typing quickly from file:// yields and never shows an older query's results", { timeout: 120000 }, async () => {
  const browser = new Browser();
  try {
    const page = await browser.page();
    await page.goto("file://" + path.join(publicDir, "index.html"));
    await page.eval(`(() => {
      window.__shown = [];
      const list = document.getElementById('site-search-list');
      new MutationObserver(() => { const q = list.getAttribute('data-query'); if (window.__shown[window.__shown.length - 1] !== q) window.__shown.push(q); })
        .observe(list, { attributes: true, attributeFilter: ['data-query'] });
    })()`);
    await page.key("/", "Slash", 191, "/");
    let typed = "";
    const prefixes = [];
    for (const [ch, wait] of STEPS) {
      await page.type(ch);
      typed += ch;
      prefixes.push(typed.trim());
      if (wait) await new Promise((r) => setTimeout(r, wait));
    }
    const final = typed.trim();
    await page.waitFor(`document.getElementById('site-search-list').getAttribute('data-query') === ${JSON.stringify(final)} && !document.getElementById('site-search-list').hidden`);
    await new Promise((r) => setTimeout(r, 500)); // any overtaken query would have answered by now
    const shown = await page.eval("window.__shown");
    assert.strictEqual(shown[shown.length - 1], final, "the last list is the last query's: " + shown.join(" → "));
    const order = shown.map((q) => prefixes.indexOf(q));
    assert.ok(order.every((k, i) => k >= 0 && (i === 0 || k > order[i - 1])), "lists follow the typing, never go back: " + shown.join(" → "));
    const yields = await page.eval("document.querySelector('[data-search-form]').zhikuEngine().yields()");
    assert.ok(yields > 1, `the search yielded ${yields} times`);
  } finally {
    await browser.close();
  }
});
