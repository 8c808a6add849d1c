// Pictures of a built site open from file:// in headless Chromium: every <img> of every page
// loads (the size the browser picks from srcset included) and stays inside the page, on a wide
// screen and on a phone.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("fs");
const path = require("path");
const { publicDir } = require("./helpers");
const { Browser } = require("./chromium");

function htmlFiles(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) htmlFiles(p, out);
    else if (entry.name.endsWith(".html")) out.push(p);
  }
  return out;
}

test("every picture loads from file://", { timeout: 120000 }, async () => {
  const browser = new Browser();
  try {
    let pictures = 0;
    for (const [width, height] of [[1280, 900], [390, 844]]) {
      const page = await browser.page(width, height);
      for (const file of htmlFiles(publicDir)) {
        await page.goto("file://" + file);
        // Lazy pictures load when near the view: ask for all of them now.
        await page.eval("Array.from(document.images).forEach(i => { i.loading = 'eager'; }), true");
        await page.waitFor("Array.from(document.images).every(i => i.complete)");
        const broken = await page.eval("JSON.stringify(Array.from(document.images).filter(i => !(i.naturalWidth > 0)).map(i => i.getAttribute('src')))");
        assert.deepStrictEqual(JSON.parse(broken), [], path.relative(publicDir, file));
        // No picture sticks out of the page (a phone would scroll sideways).
        const wide = await page.eval("JSON.stringify(Array.from(document.images).filter(i => { const r = i.getBoundingClientRect(); return r.width > 0 && r.right > document.documentElement.clientWidth + 1; }).map(i => i.getAttribute('src')))");
        assert.deepStrictEqual(JSON.parse(wide), [], `${path.relative(publicDir, file)} at ${width} px: pictures wider than the page`);
        pictures += await page.eval("document.images.length");
      }
    }
    assert.ok(pictures > 0, "the site has pictures");
  } finally {
    await browser.close();
  }
});
