// What a reader does with the mouse, the keyboard and a finger, in headless Chromium, on the
// repository's site (ZHIKU_PUBLIC): link previews (hover, focus, tap, Escape, from file:// too),
// the knowledge maps, and the light/dark toggle remembered across a reload.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const path = require("path");
const { publicDir } = require("./helpers");
const { serve, Browser } = require("./chromium");

const PAGE = "/cases/yingze-brand/";
// The first glossary or internal link in the text: scrolled into view, its centre returned.
const FIRST_LINK = `(() => {
  const a = document.querySelector(".prose a.term, .prose a[href^='../']");
  a.scrollIntoView({ block: "center" });
  const r = a.getClientRects()[0];
  return { x: r.left + Math.min(8, r.width / 2), y: r.top + r.height / 2, href: a.href, text: a.textContent };
})()`;
const CARD = "document.getElementById('zhiku-link-preview')";
const OPEN = `!${CARD}.hidden`;

async function withBrowser(fn) {
  const server = await serve(publicDir);
  const base = "http://127.0.0.1:" + server.address().port;
  const browser = new Browser();
  try { await fn(browser, base); } finally { await browser.close(); server.close(); }
}

/** The card's title, what it says, and whether the link is described by it. */
const cardState = `(() => {
  const card = ${CARD};
  const a = document.querySelector("[aria-describedby='zhiku-link-preview']");
  const r = card.getBoundingClientRect();
  return { title: card.querySelector(".link-preview-title a").textContent, href: card.querySelector(".link-preview-title a").href,
    text: (card.querySelector(".link-preview-text") || {}).textContent || "", badge: card.querySelector(".badge").textContent,
    role: card.getAttribute("role"), described: a ? a.href : null, left: r.left, right: r.right, width: document.documentElement.clientWidth };
})()`;

/** The h1 of the page at `href`, fetched as a reader's browser would. */
const titleOf = (href) => `fetch(${JSON.stringify(href)}).then((r) => r.text()).then((t) => new DOMParser().parseFromString(t, "text/html").querySelector("h1").textContent.trim())`;

test("hovering a link previews its target; Escape closes; keyboard focus previews too", { timeout: 120000 }, async () => {
  await withBrowser(async (browser, base) => {
    const page = await browser.page(1280, 900);
    await page.goto(base + PAGE);
    const link = await page.eval(FIRST_LINK);
    await page.send("Input.dispatchMouseEvent", { type: "mouseMoved", x: link.x, y: link.y });
    await page.waitFor(OPEN);
    const state = await page.eval(cardState);
    assert.strictEqual(state.href, link.href);
    assert.strictEqual(state.title, await page.eval(titleOf(link.href)));
    assert.ok(state.text.length > 10, "the summary is shown: " + JSON.stringify(state));
    assert.strictEqual(state.role, "tooltip");
    assert.strictEqual(state.described, link.href, "the link is described by the open card");
    // The link keeps its own name.
    assert.strictEqual(await page.eval(`document.querySelector("[aria-describedby]").textContent`), link.text);
    await page.key("Escape", "Escape", 27);
    await page.waitFor(`${CARD}.hidden`);
    assert.strictEqual(await page.eval(`document.querySelectorAll("[aria-describedby='zhiku-link-preview']").length`), 0);
    // Moving away closes it too.
    await page.send("Input.dispatchMouseEvent", { type: "mouseMoved", x: 5, y: 880 });
    await page.send("Input.dispatchMouseEvent", { type: "mouseMoved", x: link.x, y: link.y });
    await page.waitFor(OPEN);
    await page.send("Input.dispatchMouseEvent", { type: "mouseMoved", x: 5, y: 880 });
    await page.waitFor(`${CARD}.hidden`);

    // Keyboard: Tab until a link of the text has the focus; its preview opens without a mouse.
    let focused = null;
    for (let i = 0; i < 80 && !focused; i++) {
      await page.key("Tab", "Tab", 9);
      focused = await page.eval(`(() => { const a = document.activeElement; return a && a.closest(".prose") && (a.classList.contains("term") || a.getAttribute("href").startsWith("../")) ? a.href : null; })()`);
    }
    assert.ok(focused, "Tab reaches a link in the text");
    await page.waitFor(OPEN);
    assert.strictEqual((await page.eval(cardState)).described, focused);
    // The card never takes the focus: Escape closes it and the focus stays on the link.
    await page.key("Escape", "Escape", 27);
    await page.waitFor(`${CARD}.hidden`);
    assert.strictEqual(await page.eval("document.activeElement.href"), focused);
    await page.close();
  });
});

test("a link to a heading previews that section's first lines", { timeout: 60000 }, async () => {
  await withBrowser(async (browser, base) => {
    const page = await browser.page(1280, 900);
    // Any page linking to a heading of another page.
    const fs = require("fs");
    const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]);
    const from = walk(publicDir).filter((f) => f.endsWith("index.html")).find((f) => /class="prose[^"]*"[\s\S]*<a href="\.\.\/\.\.\/[^"#]+#[^"]+"/.test(fs.readFileSync(f, "utf8")));
    assert.ok(from, "the repository's site links to a heading of another page");
    await page.goto(base + "/" + path.relative(publicDir, from).replace(/index\.html$/, ""));
    const link = await page.eval(`(() => { const a = [...document.querySelectorAll(".prose a[href*='#']")].find((a) => a.getAttribute("href").startsWith("../")); a.scrollIntoView({ block: "center" }); const r = a.getClientRects()[0]; return { x: r.left + 4, y: r.top + r.height / 2, id: decodeURIComponent(new URL(a.href).hash.slice(1)), href: a.href }; })()`);
    await page.send("Input.dispatchMouseEvent", { type: "mouseMoved", x: link.x, y: link.y });
    await page.waitFor(OPEN);
    const section = await page.eval(`${CARD}.querySelector(".link-preview-section").textContent`);
    const text = await page.eval(`${CARD}.querySelector(".link-preview-text").textContent`);
    // The heading's text and the first words of the paragraph under it, as the target page shows them.
    const target = await page.eval(`fetch(${JSON.stringify(link.href)}).then((r) => r.text()).then((t) => { const d = new DOMParser().parseFromString(t, "text/html"); const h = d.getElementById(${JSON.stringify(link.id)}); let p = h.nextElementSibling; while (p && p.tagName !== "P") p = p.nextElementSibling; const c = h.cloneNode(true); c.querySelectorAll(".anchor").forEach((x) => x.remove()); return [c.textContent.trim(), p ? p.textContent.trim() : ""]; })`);
    assert.strictEqual(section, target[0]);
    assert.ok(target[1].startsWith(text.replace(/…$/, "").slice(0, 20)), JSON.stringify({ text, target }));
    await page.close();
  });
});

test("on a phone the first tap previews, the title opens the page; the card fits the screen", { timeout: 60000 }, async () => {
  await withBrowser(async (browser, base) => {
    const page = await browser.page(390, 844);
    await page.send("Emulation.setTouchEmulationEnabled", { enabled: true, maxTouchPoints: 5 });
    await page.goto(base + PAGE);
    const link = await page.eval(FIRST_LINK);
    const tap = async (x, y) => {
      await page.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x, y }] });
      await page.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
    };
    await tap(link.x, link.y);
    await page.waitFor(OPEN);
    await new Promise((r) => setTimeout(r, 300));
    assert.strictEqual(await page.eval("location.pathname"), PAGE, "the first tap does not leave the page");
    const state = await page.eval(cardState);
    assert.ok(state.left >= 0 && state.right <= state.width, "the card fits in 390 px: " + JSON.stringify(state));
    const title = await page.eval(`(() => { const r = ${CARD}.querySelector(".link-preview-title a").getBoundingClientRect(); return { x: r.left + 4, y: r.top + r.height / 2 }; })()`);
    await tap(title.x, title.y);
    await page.waitFor(`location.href === ${JSON.stringify(link.href)}`);
    await page.close();
  });
});

test("previews work from file:// (script files, no fetch)", { timeout: 60000 }, async () => {
  await withBrowser(async (browser) => {
    const page = await browser.page(1280, 900);
    await page.goto("file://" + path.join(publicDir, PAGE, "index.html"));
    const link = await page.eval(FIRST_LINK);
    await page.send("Input.dispatchMouseEvent", { type: "mouseMoved", x: link.x, y: link.y });
    await page.waitFor(OPEN);
    const state = await page.eval(cardState);
    assert.ok(state.title.length > 0 && state.href.endsWith("/index.html"), JSON.stringify(state));
    await page.close();
  });
});

test("the knowledge maps: links in SVG with a title and a description, reachable by keyboard", { timeout: 60000 }, async () => {
  await withBrowser(async (browser, base) => {
    const page = await browser.page(1280, 900);
    for (const [url, svg] of [["/map/", "svg.map-site"], [PAGE, "svg.map-local"]]) {
      await page.goto(base + url);
      const info = await page.eval(`(() => { const s = document.querySelector(${JSON.stringify(svg)}); const links = [...s.querySelectorAll("a")];
        return { title: s.querySelector(":scope > title").textContent, desc: s.querySelector(":scope > desc").textContent,
          label: s.getAttribute("aria-labelledby"), links: links.length, named: links.every((a) => a.querySelector("title").textContent.length > 0),
          hrefs: links.map((a) => new URL(a.getAttribute("href"), location.href).href) }; })()`);
      assert.ok(info.title && info.desc && info.label, url + ": " + JSON.stringify(info));
      assert.ok(info.links > 1 && info.named, url + ": " + JSON.stringify(info));
      // Every node leads to a page that exists.
      for (const href of info.hrefs) assert.strictEqual(await page.eval(`fetch(${JSON.stringify(href)}).then((r) => r.status)`), 200, href);
      // A node takes the keyboard focus.
      assert.ok(await page.eval(`(() => { const a = document.querySelector(${JSON.stringify(svg)} + " a"); a.focus(); return document.activeElement === a; })()`));
    }
    // A node of a page's map previews its page too, and the preview's title leads there.
    await page.goto(base + PAGE);
    const node = await page.eval(`(() => { const a = document.querySelector("svg.map-local a"); a.scrollIntoView({ block: "center" }); const r = a.querySelector("circle").getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2, href: new URL(a.getAttribute("href"), location.href).href }; })()`);
    await page.send("Input.dispatchMouseEvent", { type: "mouseMoved", x: 1, y: 1 });
    await page.send("Input.dispatchMouseEvent", { type: "mouseMoved", x: node.x, y: node.y });
    await page.waitFor(OPEN);
    assert.strictEqual((await page.eval(cardState)).href, node.href);
    // The map is in the navigation.
    assert.strictEqual(await page.eval(`[...document.querySelectorAll(".site-nav a")].some((a) => a.textContent === "地图")`), true);
    await page.close();
  });
});

test("the dark-mode toggle switches the scheme and is remembered across a reload", { timeout: 60000 }, async () => {
  await withBrowser(async (browser, base) => {
    const page = await browser.page(1280, 900);
    await page.send("Emulation.setEmulatedMedia", { features: [{ name: "prefers-color-scheme", value: "light" }] });
    await page.goto(base + PAGE);
    const scheme = `({ theme: document.documentElement.getAttribute("data-theme"), paper: getComputedStyle(document.body).backgroundColor,
      pressed: document.querySelector("[data-theme-toggle]").getAttribute("aria-pressed") })`;
    const click = async () => {
      const p = await page.eval(`(() => { const r = document.querySelector("[data-theme-toggle]").getBoundingClientRect(); return { x: r.left + r.width / 2, y: r.top + r.height / 2 }; })()`);
      for (const type of ["mousePressed", "mouseReleased"]) await page.send("Input.dispatchMouseEvent", { type, x: p.x, y: p.y, button: "left", clickCount: 1 });
    };
    const light = await page.eval(scheme);
    assert.deepStrictEqual(light, { theme: null, paper: "rgb(251, 250, 247)", pressed: "false" });
    await click();
    const dark = await page.eval(scheme);
    assert.deepStrictEqual(dark, { theme: "dark", paper: "rgb(22, 24, 27)", pressed: "true" });
    await page.send("Page.reload");
    await page.waitFor("document.readyState === 'complete'");
    assert.deepStrictEqual(await page.eval(scheme), dark, "remembered after a reload");
    await click();
    assert.deepStrictEqual(await page.eval(scheme), { theme: "light", paper: "rgb(251, 250, 247)", pressed: "false" });
    await page.close();
  });
});
