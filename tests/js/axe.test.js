// axe-core over every page type of a built site (home, page, a page with an open link preview,
// topic, timeline and a year, search with results, the header box's open list, the knowledge map, 404) at 1280 and 390 px, light and dark, in headless Chromium: no serious or
// critical violation. axe-core comes from node_modules (`npm ci`).
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("fs");
const path = require("path");
const { publicDir } = require("./helpers");
const { serve, Browser } = require("./chromium");

// Hovers the first link of the text and waits for its preview.
const OPEN_PREVIEW = "open preview";
async function openPreview(page) {
  const p = await page.eval(`(() => { const a = document.querySelector(".prose a.term, .prose a[href^='../']"); a.scrollIntoView({ block: "center" }); const r = a.getClientRects()[0]; return { x: r.left + 4, y: r.top + r.height / 2 }; })()`);
  await page.send("Input.dispatchMouseEvent", { type: "mouseMoved", x: 1, y: 1 });
  await page.send("Input.dispatchMouseEvent", { type: "mouseMoved", x: p.x, y: p.y });
  await page.waitFor("!document.getElementById('zhiku-link-preview').hidden");
}

// Types into the header box and chooses the first result in its list.
const OPEN_LIST = "open the header box's list";
async function openList(page) {
  await page.key("/", "Slash", 191, "/");
  await page.type("社会工作");
  await page.waitFor("!document.getElementById('site-search-list').hidden && document.querySelectorAll('#site-search-list [role=option]').length > 1");
  await page.key("ArrowDown", "ArrowDown", 40);
}

const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

function pages() {
  const year = fs.readdirSync(path.join(publicDir, "timeline")).find((d) => /^\d{4}$/.test(d));
  const topic = fs.readdirSync(path.join(publicDir, "topics")).find((d) => fs.existsSync(path.join(publicDir, "topics", d, "index.html")));
  const section = fs.readdirSync(path.join(publicDir, "cases")).find((d) => fs.existsSync(path.join(publicDir, "cases", d, "index.html")));
  // A case whose text links to a topic (a glossary link).
  const html = (d) => path.join(publicDir, "cases", d, "index.html");
  const linking = fs.readdirSync(path.join(publicDir, "cases")).find((d) => fs.existsSync(html(d)) && /class="term"/.test(fs.readFileSync(html(d), "utf8")));
  return [
    ["home", "/", null],
    ["page", "/cases/" + section + "/", null],
    ["topic", "/topics/" + topic + "/", null],
    ["timeline", "/timeline/", null],
    ["year", "/timeline/" + year + "/", null],
    ["search", "/search/?q=" + encodeURIComponent("社会工作"), "document.querySelectorAll('.search-result').length > 0"],
    ["header list", "/", OPEN_LIST],
    ["404", "/404.html", null],
    ["map", "/map/", null],
    ["preview", "/cases/" + linking + "/", OPEN_PREVIEW],
  ];
}

test("no serious or critical axe-core violation on any page type, at 1280 and 390 px, light and dark", { timeout: 300000 }, async () => {
  const server = await serve(publicDir);
  const base = "http://127.0.0.1:" + server.address().port;
  const browser = new Browser();
  const found = [];
  try {
    for (const [width, height] of [[1280, 900], [390, 844]]) {
      for (const scheme of ["light", "dark"]) {
        const page = await browser.page(width, height);
        await page.send("Emulation.setEmulatedMedia", { features: [{ name: "prefers-color-scheme", value: scheme }] });
        for (const [name, url, ready] of pages()) {
          await page.goto(base + url);
          if (ready === OPEN_PREVIEW) await openPreview(page);
          else if (ready === OPEN_LIST) await openList(page);
          else if (ready) await page.waitFor(ready);
          await page.eval(AXE + ";true");
          const violations = await page.eval(`axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => v.impact + " " + v.id + " (" + v.help + "): " + v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " " + (n.failureSummary || "").replace(/\\s+/g, " ")).join(" | ")))`);
          for (const v of violations) found.push(`${name} ${url} at ${width}px, ${scheme}: ${v}`);
        }
        await page.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  assert.deepStrictEqual(found, [], found.join("\n"));
});
