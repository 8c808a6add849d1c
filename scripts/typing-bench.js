// Prints the longest main-thread task while one types into the header box from file:// (the
// search runs on the page there), and how often the search yielded. A benchmark, not a test.
// Usage: node scripts/typing-bench.js PUBLIC_DIR [QUERY …]
"use strict";
const path = require("path");
const { Browser } = require("../tests/js/chromium");

const publicDir = path.resolve(process.argv[2]);
const queries = process.argv.length > 3 ? process.argv.slice(3) : ["社会工作", "基层治理", "志愿服务", "新就业群体", "枫桥经念"];

(async () => {
  const browser = new Browser();
  try {
    const page = await browser.page();
    await page.goto("file://" + path.join(publicDir, "index.html"));
    await page.eval(`(() => {
      window.__tasks = [];
      new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__tasks.push(Math.round(e.duration)))).observe({ type: 'longtask' });
    })()`);
    for (const q of queries) {
      await page.eval("(() => { const i = document.querySelector('[data-search-input]'); i.focus(); i.select(); })()");
      // One character at a time, 40 ms apart: faster than the box's 120 ms pause, then a rest.
      for (const ch of Array.from(q)) {
        await page.type(ch);
        await new Promise((r) => setTimeout(r, 40));
      }
      await page.waitFor(`document.getElementById('site-search-list').getAttribute('data-query') === ${JSON.stringify(q)}`, 60000);
      await new Promise((r) => setTimeout(r, 300));
    }
    const tasks = await page.eval("window.__tasks");
    const yields = await page.eval("document.querySelector('[data-search-form]').zhikuEngine().yields()");
    tasks.sort((a, b) => b - a);
    console.log(`${queries.length} queries typed from file:// into ${publicDir}`);
    console.log(`long tasks (> 50 ms): ${tasks.length}; longest: ${tasks.slice(0, 5).join(", ") || "none"} ms; yields: ${yields}`);
  } finally {
    await browser.close();
  }
})();
