#!/usr/bin/env node
// Bytes and client time of phrases that no page holds, made of common bigrams: a typo or a
// phrase the site lacks, whose every bigram is on many pages (what once made the client check
// the text of every page holding them). Usage:
//   node scripts/noresult-bench.js SITE_DIR [COUNT]
// The queries: four known ones (為黨的人, 分社工作, 最后一人, 过组织开展调), then misspellings of
// every 37th Han run of four or more characters of the site's pages, made as tests/suggest.rs
// makes them (the run's first four or five characters, one changed to a character of another
// run, one added or one dropped), kept when each of their bigrams is on at least 1/16 of the pages
// and the query finds nothing, until COUNT (default 30) are kept. A query whose search reads over
// LIMIT_MB (default 50) is stopped and counted as that many bytes (named in the output); whether
// a stopped misspelling finds pages is asked of `zhiku search` (the binary in $ZHIKU, else `zhiku`
// on the PATH): one that does is not a no-result phrase and is skipped, as the client's would be.
// Bytes: the search alone (no client script, no suggestions). Time: wall and CPU time of the
// search once its files have arrived (least of three runs). VERBOSE=1 prints every query;
// NO_SHINGLES=1 measures the client without its shingle check (as before it had one).
// RARE=1 measures rare phrases instead: four to six characters as written on every 37th run
// (no named queries), kept when each bigram is on at least 1/16 of the pages and the phrase on
// 1 to 20 pages (by the client, or by `zhiku search` for a search stopped at LIMIT_MB).
"use strict";
const fs = require("fs");
const path = require("path");

const site = process.argv[2];
if (!site) { console.error("usage: noresult-bench.js SITE_DIR [COUNT]"); process.exit(2); }
const count = +(process.argv[3] || 30);
const limit = (+process.env.LIMIT_MB || 50) * 1e6;
const publicDir = path.resolve(site, "public");
const client = require(path.join(publicDir, "search/search.js"));
const base = "file://" + path.join(publicDir, "search") + "/";
const shingles = !process.env.NO_SHINGLES;

const arrived = new Map();
function fileFetch(counter) {
  return async (url) => {
    if (counter.bytes > limit) throw new Error("over the limit");
    let bytes = arrived.get(url);
    if (!bytes) {
      bytes = fs.readFileSync(decodeURIComponent(new URL(url).pathname));
      // Doc files are many and each read once by a query: not kept, so memory stays bounded.
      if (!url.includes("/doc/")) arrived.set(url, bytes);
    }
    counter.bytes += bytes.length;
    counter.files += 1;
    return { ok: true, arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) };
  };
}

// Han runs of the pages' bodies, files in name order (as walkdir's sort_by_file_name).
function markdown(dir, out) {
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) markdown(p, out);
    else if (name.endsWith(".md")) out.push(p);
  }
  return out;
}
const runs = [];
for (const file of markdown(path.resolve(site, "content"), [])) {
  const body = fs.readFileSync(file, "utf8").split("---").slice(2).join("---");
  // Strings, not arrays of characters: at 100k pages those filled node's memory.
  for (const m of body.matchAll(/\p{Script=Han}{4,}/gu)) runs.push(m[0]);
}
const rare = !!process.env.RARE;
function* spans() {
  for (let k = 0; k < runs.length; k += 37) {
    const run = Array.from(runs[k]);
    const len = Math.min(run.length, 4 + (k % 3));
    const from = Math.floor(k / 37) % (run.length - len + 1);
    yield run.slice(from, from + len).join("");
  }
}
function* misspelt() {
  for (let k = 0; k < runs.length; k += 37) {
    const run = Array.from(runs[k]);
    const q = run.slice(0, Math.min(run.length, 4 + (k % 2)));
    const i = Math.floor(k / 3) % q.length;
    const other = Array.from(runs[(k * 7 + 1) % runs.length])[k % 4];
    const how = Math.floor(k / 3) % 3;
    if (how === 0) q[i] = other; else if (how === 1) q.splice(i, 0, other); else q.splice(i, 1);
    yield q.join("");
  }
}

// Whether `zhiku search` finds pages for `q` on this site (for searches the client was stopped in).
function cliFinds(q, limit = 1) {
  const out = require("child_process").execFileSync(process.env.ZHIKU || "zhiku", ["search", q, "--json", "--limit", String(limit), "--root", site], { encoding: "utf8" });
  return JSON.parse(out).length;
}

(async () => {
  // Document frequencies from searches of single tokens, by a client not kept between queries
  // (its lists would fill node's memory at 100k pages).
  const plainFetch = async (url) => {
    const bytes = fs.readFileSync(decodeURIComponent(new URL(url).pathname));
    return { ok: true, arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) };
  };
  let helper = client.createSearch({ base, fetch: plainFetch });
  const m = await helper.manifest();
  const common = new Map();
  async function allCommon(q) {
    helper = client.createSearch({ base, fetch: plainFetch });
    const parts = await helper.parse(q);
    for (const p of parts) {
      for (const [t] of p.tokens) {
        if (!common.has(t)) {
          const r = await helper.search(t, { limit: 1 });
          common.set(t, r.total * 16 >= m.docs);
        }
        if (!common.get(t)) return false;
      }
    }
    return parts.length > 0;
  }
  async function measure(q) {
    const counter = { bytes: 0, files: 0 };
    const s = client.createSearch({ base, fetch: fileFetch(counter), shingles });
    const t0 = process.hrtime.bigint();
    let results = null;
    try { results = await s.search(q, { limit: 10 }); } catch (e) { if (!String(e).includes("over the limit")) throw e; }
    const cold = Number(process.hrtime.bigint() - t0) / 1e6;
    let warm = Infinity, cpu = Infinity;
    if (results && counter.bytes < 5e6 && !(rare && (results.total < 1 || results.total > 20))) {
      for (let run = 0; run < 3; run++) {
        const fresh = client.createSearch({ base, fetch: fileFetch({ bytes: 0, files: 0 }), shingles });
        const c1 = process.cpuUsage(), t1 = process.hrtime.bigint();
        await fresh.search(q, { limit: 10 });
        warm = Math.min(warm, Number(process.hrtime.bigint() - t1) / 1e6);
        const used = process.cpuUsage(c1);
        cpu = Math.min(cpu, (used.user + used.system) / 1e3);
      }
    } else { warm = cold; cpu = NaN; }
    return { q, bytes: Math.min(counter.bytes, limit), over: !results, files: counter.files, found: results ? results.length : 0, total: results ? results.total : -1, warm, cpu };
  }
  const rows = [];
  const known = rare ? [] : ["為黨的人", "分社工作", "最后一人", "过组织开展调"];
  for (const q of known) rows.push(await measure(q));
  let skipped = 0;
  for (const q of rare ? spans() : misspelt()) {
    if (rows.length >= known.length + count) break;
    if (rows.some((r) => r.q === q) || !(await allCommon(q))) { skipped++; continue; }
    const r = await measure(q);
    if (rare) {
      const on = r.over ? cliFinds(q, 21) : r.total;
      if (on < 1 || on > 20) { skipped++; continue; }
    } else if (r.found || (r.over && cliFinds(q))) { skipped++; continue; }
    rows.push(r);
    if (process.env.VERBOSE) console.log(`${r.q}\t${r.over ? ">" : ""}${(r.bytes / 1024).toFixed(1)} KB\t${r.files} files\t${r.over ? "?" : r.total} found\t${r.warm.toFixed(1)} ms`);
  }
  const kb = (b) => (b / 1024).toFixed(1) + " KB";

  const pct = (xs, p) => { const s = xs.slice().sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
  const bytes = rows.map((r) => r.bytes), warm = rows.map((r) => r.warm), cpu = rows.filter((r) => !isNaN(r.cpu)).map((r) => r.cpu);
  const found = rows.filter((r) => r.found);
  if (rare) console.log(`queries: ${rows.length} rare phrases (on 1 to 20 pages; ${skipped} candidates skipped: a rarer bigram, or on no page or more than 20)`);
  else console.log(`queries: ${rows.length} (${known.length} named, ${rows.length - known.length} misspellings; ${skipped} candidates skipped: a rarer bigram, or found pages)`);
  if (found.length && !rare) console.log(`found pages (not no-result phrases): ${found.map((r) => r.q).join(" ")}`);
  const over = rows.filter((r) => r.over);
  if (over.length) console.log(`stopped at ${limit / 1e6} MB (misspellings among them found nothing by zhiku search too): ${over.map((r) => r.q).join(" ")}`);
  console.log(`bytes of the search: median ${kb(pct(bytes, 0.5))}, p95 ${kb(pct(bytes, 0.95))}, max ${kb(Math.max(...bytes))}, total ${kb(bytes.reduce((a, b) => a + b, 0))}`);
  console.log(`files: median ${pct(rows.map((r) => r.files), 0.5)}, max ${Math.max(...rows.map((r) => r.files))}`);
  console.log(`client time after files arrive: median ${pct(warm, 0.5).toFixed(1)} ms, p95 ${pct(warm, 0.95).toFixed(1)} ms` +
    (cpu.length ? ` (CPU of the ${cpu.length} under 5 MB: median ${pct(cpu, 0.5).toFixed(1)} ms, p95 ${pct(cpu, 0.95).toFixed(1)} ms)` : ""));
})().catch((e) => { console.error(e); process.exit(1); });
