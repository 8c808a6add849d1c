// Headless Chromium driven over the DevTools protocol (a pipe, no packages), and a small static
// server: shared by the browser tests.
"use strict";
const http = require("http");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawn } = require("child_process");

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".bin": "application/octet-stream", ".xml": "application/xml" };

function serve(dir) {
  const server = http.createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (p.endsWith("/")) p += "index.html";
    const file = path.join(dir, p);
    if (!file.startsWith(dir) || !fs.existsSync(file)) { res.writeHead(404); res.end("not found"); return; }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function chromiumPath() {
  // Debian's /usr/bin/chromium is a shell wrapper; the binary behind it keeps the protocol pipes.
  for (const p of [process.env.CHROMIUM, "/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]) {
    if (p && fs.existsSync(p)) return p;
  }
  throw new Error("Chromium not found: install Debian's `chromium` (apt-get install chromium) or set CHROMIUM");
}

class Browser {
  constructor() {
    this.profile = fs.mkdtempSync(path.join(os.tmpdir(), "zhiku-chrome-"));
    this.proc = spawn(chromiumPath(), [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-quic",
      "--user-data-dir=" + this.profile, "--remote-debugging-pipe", "about:blank",
    ], { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"] });
    this.out = this.proc.stdio[3];
    this.proc.on("error", (e) => { for (const w of this.waiting.values()) w.reject(e); });
    this.id = 0;
    this.waiting = new Map();
    this.events = [];
    let buf = Buffer.alloc(0);
    this.proc.stdio[4].on("data", (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      let end;
      while ((end = buf.indexOf(0)) >= 0) {
        const msg = JSON.parse(buf.subarray(0, end).toString("utf8"));
        buf = buf.subarray(end + 1);
        if (msg.id && this.waiting.has(msg.id)) {
          const { resolve, reject } = this.waiting.get(msg.id);
          this.waiting.delete(msg.id);
          if (msg.error) reject(new Error(JSON.stringify(msg.error))); else resolve(msg.result);
        } else if (msg.method) {
          this.events.push(msg);
        }
      }
    });
  }
  send(method, params = {}, sessionId) {
    const id = ++this.id;
    const msg = { id, method, params };
    if (sessionId) msg.sessionId = sessionId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error("Chromium did not answer " + method));
      }, 20000);
      this.waiting.set(id, {
        resolve: (v) => { clearTimeout(timer); resolve(v); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.out.write(JSON.stringify(msg) + "\0");
    });
  }
  async page(width = 1280, height = 900) {
    const { targetId } = await this.send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await this.send("Target.attachToTarget", { targetId, flatten: true });
    const page = new Page(this, sessionId, targetId);
    await page.send("Page.enable");
    await page.send("Runtime.enable");
    await page.send("Emulation.setDeviceMetricsOverride", { width, height, deviceScaleFactor: 1, mobile: width < 600 });
    return page;
  }
  async close() {
    const exited = new Promise((r) => (this.proc.exitCode !== null ? r() : this.proc.once("exit", r)));
    this.proc.kill();
    await exited;
    // Chromium's helper processes may still write for a moment: removing the profile is best effort.
    for (let i = 0; i < 10; i++) {
      try { fs.rmSync(this.profile, { recursive: true, force: true }); return; } catch (e) { await new Promise((r) => setTimeout(r, 200)); }
    }
  }
}

class Page {
  constructor(browser, sessionId, targetId) { this.browser = browser; this.sessionId = sessionId; this.targetId = targetId; }
  close() { return this.browser.send("Target.closeTarget", { targetId: this.targetId }); }
  send(method, params) { return this.browser.send(method, params, this.sessionId); }
  async eval(expr) {
    const r = await this.send("Runtime.evaluate", { expression: expr, returnByValue: true, awaitPromise: true });
    if (r.exceptionDetails) throw new Error(r.exceptionDetails.text + " in " + expr);
    return r.result.value;
  }
  async goto(url) {
    await this.send("Page.navigate", { url });
    await this.waitFor("document.readyState === 'complete' && location.href !== 'about:blank'");
  }
  async waitFor(expr, ms = 15000) {
    const end = Date.now() + ms;
    for (;;) {
      try { if (await this.eval(expr)) return; } catch (e) { /* page navigating */ }
      if (Date.now() > end) throw new Error("timed out waiting for " + expr + " on " + (await this.eval("location.href").catch(() => "?")));
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  async key(key, code, keyCode, text) {
    await this.send("Input.dispatchKeyEvent", { type: "keyDown", key, code, windowsVirtualKeyCode: keyCode, text });
    await this.send("Input.dispatchKeyEvent", { type: "keyUp", key, code, windowsVirtualKeyCode: keyCode });
  }
  type(text) { return this.send("Input.insertText", { text }); }
}

module.exports = { serve, Browser, Page };
