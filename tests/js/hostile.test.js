// The hostile site (tests/sites/hostile, every field carrying script payloads that call
// hit('<where>')) in headless Chromium: every generated page, the feeds and the search page with
// queries that bring the payloads into results and snippets. Fails if a payload runs, a dialog
// opens, a script throws, or the DOM holds an event handler, a script the theme did not write, or
// an address with a scheme other than http, https or mailto.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("fs");
const path = require("path");
const { publicDir } = require("./helpers");
const { serve, Browser } = require("./chromium");

// Installed before any script of each document (frames included): records every call.
const HOOKS = `
  window.__hits = [];
  window.hit = function (where) { window.__hits.push(String(where)); };
  window.alert = window.confirm = window.prompt = function (x) { window.__hits.push("dialog: " + x); };
`;

// Evaluated in the page: what a payload could have left behind, one line each.
const SCAN = `(() => {
  const bad = [];
  const urlAttrs = ["href", "src", "action", "formaction", "data", "poster", "background", "cite", "longdesc", "ping", "manifest", "codebase", "xlink:href", "lowsrc", "dynsrc"];
  const theme = /\\/(static\\/zhiku\\.js|static\\/theme\\.js|static\\/search-ui\\.js|static\\/search-box\\.js|search\\/search\\.js|search\\/js\\/[^/]+\\.js)$/;
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "");
  for (const el of document.querySelectorAll("*")) {
    for (const a of Array.from(el.attributes)) {
      const name = a.name.toLowerCase();
      if (name.startsWith("on")) bad.push(describe(el) + " has " + name + "=" + a.value);
      if (name === "srcdoc" || name === "srcset" || (name === "style" && !el.closest("#zhiku-error"))) bad.push(describe(el) + " has " + name + "=" + a.value);
      if (urlAttrs.includes(name) || name.endsWith(":href")) {
        let scheme;
        try { scheme = new URL(a.value, document.baseURI).protocol; } catch (e) { scheme = "unparsable:"; }
        if (!["http:", "https:", "mailto:", "file:"].includes(scheme)) bad.push(describe(el) + " " + name + "=" + a.value);
      }
    }
    const tag = el.tagName.toLowerCase();
    // (Chromium shows XML files with a stylesheet of its own.)
    const html = document.contentType === "text/html";
    if (["iframe", "frame", "object", "embed", "applet"].includes(tag) || (html && tag === "style")) bad.push("element " + tag);
    if (tag === "meta" && el.hasAttribute("http-equiv")) bad.push("meta http-equiv=" + el.getAttribute("http-equiv"));
    if (tag === "base" && new URL(el.href).origin !== location.origin) bad.push("base href=" + el.getAttribute("href"));
    if (tag === "script" && !(el.src && theme.test(el.src))) bad.push("script " + (el.src || el.textContent.slice(0, 80)));
  }
  return bad;
})()`;

const RESULTS = "document.querySelectorAll('.search-result').length";

/** Every file of the site that a reader may open: HTML pages and the XML feeds and sitemap. */
function pages(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...pages(p));
    else if (/\.(html|xml)$/.test(entry.name)) out.push(path.relative(publicDir, p).split(path.sep).join("/"));
  }
  return out.sort();
}

async function open(browser, url) {
  const page = await browser.page();
  await page.send("Page.addScriptToEvaluateOnNewDocument", { source: HOOKS });
  await page.goto(url);
  return page;
}

/** What ran or remains on `page`, after handlers that fire late (image errors) had their turn. */
async function findings(browser, page, where) {
  await new Promise((r) => setTimeout(r, 300));
  const found = [];
  const hits = await page.eval("window.__hits || ['hooks missing']");
  found.push(...hits.map((h) => where + ": payload ran: " + h));
  found.push(...(await page.eval(SCAN)).map((b) => where + ": " + b));
  for (const e of browser.events) {
    if (e.sessionId !== page.sessionId) continue;
    if (e.method === "Runtime.exceptionThrown") {
      const d = e.params.exceptionDetails;
      found.push(where + ": script error: " + ((d.exception && d.exception.description) || d.text));
    }
    if (e.method === "Page.javascriptDialogOpening") found.push(where + ": dialog: " + e.params.message);
  }
  return found;
}

test("no payload of the hostile site runs in any page or in search results", { timeout: 300000 }, async () => {
  const browser = new Browser();
  const server = await serve(publicDir);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const found = [];
  try {
    const files = pages(publicDir);
    assert.ok(files.length > 10, "the hostile site has pages: " + files.join(" "));
    for (const file of files) {
      const page = await open(browser, base + file);
      found.push(...(await findings(browser, page, file)));
      await page.close();
    }
    // Queries whose results show the payloads' titles and snippets.
    for (const q of ["载荷", "hit", "onerror", "script", "载荷 专题"]) {
      const page = await open(browser, base + "search/?q=" + encodeURIComponent(q));
      await page.waitFor(RESULTS + " > 0 || !document.getElementById('search-empty').hidden");
      const shown = await page.eval(RESULTS);
      assert.ok(shown > 0, "results for " + q);
      found.push(...(await findings(browser, page, "search ?q=" + q)));
      if (q === "载荷") {
        const titles = await page.eval("Array.from(document.querySelectorAll('.search-result a.page-item-title')).map(a => a.textContent).join('\\n')");
        assert.match(titles, /<script>hit\('title'\)<\/script>/, "the payload shows as text in the result title");
      }
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  assert.deepStrictEqual(found, [], found.join("\n"));
});
