#!/usr/bin/env node
// Bytes a cold query fetches (client script included) and client query time, through the real
// client with a counting fetch. Usage: node scripts/bench-queries.js SITE_DIR [QUERIES_TSV]
// A query that finds nothing also pays for its suggestions, as the search page asks for them:
// the suggestion file (search/suggest-<hash>.js, loaded only then) and the files they read.
// Client time is wall time and CPU time (user + system of this process, which a busy machine
// disturbs less), each the least of three runs. VERBOSE=1 prints every query, its bytes by kind
// of file (kind:KB/files) and its times.
"use strict";
const fs = require("fs");
const path = require("path");

const site = process.argv[2];
if (!site) { console.error("usage: bench-queries.js SITE_DIR [queries.tsv]"); process.exit(2); }
const publicDir = path.resolve(site, "public");
const client = require(path.join(publicDir, "search/search.js"));
const clientBytes = fs.statSync(path.join(publicDir, "search/search.js")).size;

// Files already read stay in memory, so a second, fresh client instance measures the client's own
// work (decompression, decoding, ranking, snippets) once the files have arrived.
const arrived = new Map();
function fileFetch(counter) {
  return async (url) => {
    let bytes = arrived.get(url);
    if (!bytes) {
      bytes = fs.readFileSync(decodeURIComponent(new URL(url).pathname));
      arrived.set(url, bytes);
    }
    counter.bytes += bytes.length;
    counter.files += 1;
    const kind = url.split("/search/")[1].split("/")[0].replace(/\.bin$/, "").replace(/^suggest-.*\.js$/, "suggest.js");
    counter.kinds[kind] = (counter.kinds[kind] || [0, 0]).map((v, i) => v + (i ? 1 : bytes.length));
    return { ok: true, arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) };
  };
}

// Known-item queries (planted phrases), the development queries, topic names, and common words.
const queries = [];
const tsv = process.argv[3] || path.resolve(site, "queries.tsv");
if (fs.existsSync(tsv)) {
  fs.readFileSync(tsv, "utf8").split("\n").slice(1).filter(Boolean).slice(0, 30).forEach((l) => queries.push(l.split("\t")[0]));
}
const dev = path.resolve(__dirname, "../tests/fixtures/queries/dev.tsv");
if (fs.existsSync(dev)) {
  fs.readFileSync(dev, "utf8").split("\n").filter((l) => l && !l.startsWith("#") && !l.startsWith("query\t")).forEach((l) => queries.push(l.split("\t")[0]));
}
queries.push("党建引领基层治理", "信访工作法治化", "志願服務", "楓橋經驗", "社区工作者", "新兴领域", "为基层减负", "人民建议征集",
  "乡村振兴", "社会组织", "网格", "党", "治理", "高质量发展", "\"社会工作者\"", "基层 党组织", "2025", "暖蜂驿站", "两企三新", "习近平总书记");

(async () => {
  const rows = [];
  for (const q of queries) {
    const counter = { bytes: clientBytes, files: 1, kinds: {} };
    const s = client.createSearch({ base: "file://" + path.join(publicDir, "search") + "/", fetch: fileFetch(counter) });
    const t0 = process.hrtime.bigint();
    const results = await s.search(q, { limit: 10 });
    const cold = Number(process.hrtime.bigint() - t0) / 1e6;
    // Nothing found: the suggestions (their bytes count, their time does not).
    const suggestions = results.length ? null : await s.suggest(q);
    let warm = Infinity, cpu = Infinity;
    for (let run = 0; run < 3; run++) {
      const fresh = client.createSearch({ base: "file://" + path.join(publicDir, "search") + "/", fetch: fileFetch({ bytes: 0, files: 0, kinds: {} }) });
      const c1 = process.cpuUsage();
      const t1 = process.hrtime.bigint();
      await fresh.search(q, { limit: 10 });
      warm = Math.min(warm, Number(process.hrtime.bigint() - t1) / 1e6);
      const used = process.cpuUsage(c1);
      cpu = Math.min(cpu, (used.user + used.system) / 1e3);
    }
    rows.push({ q, bytes: counter.bytes, files: counter.files, kinds: counter.kinds, results: results.length, total: results.total, exact: results.exact, cold, warm, cpu, suggestions });
  }
  const pct = (xs, p) => { const s = xs.slice().sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
  const kb = (b) => (b / 1024).toFixed(1) + " KB";
  const kinds = (r) => Object.keys(r.kinds).sort((a, b) => r.kinds[b][0] - r.kinds[a][0]).map((k) => `${k}:${(r.kinds[k][0] / 1024).toFixed(1)}/${r.kinds[k][1]}`).join(" ");
  if (process.env.VERBOSE) rows.forEach((r) => console.log(`${r.q}\t${kb(r.bytes)}\t${r.files} files\t${r.results}/${r.exact ? "" : "~"}${r.total}\t${r.warm.toFixed(1)} ms\t${r.cpu.toFixed(1)} ms CPU\t${kinds(r)}`));
  const bytes = rows.map((r) => r.bytes), warm = rows.map((r) => r.warm), cpu = rows.map((r) => r.cpu);
  const none = rows.filter((r) => r.suggestions);
  console.log(`queries: ${rows.length} (client script ${kb(clientBytes)} counted in each; ${none.length} found nothing and count their suggestions' bytes too)`);
  console.log(`bytes per cold query: median ${kb(pct(bytes, 0.5))}, p95 ${kb(pct(bytes, 0.95))}, max ${kb(Math.max(...bytes))}`);
  console.log(`client query time after files arrive: median ${pct(warm, 0.5).toFixed(1)} ms, p95 ${pct(warm, 0.95).toFixed(1)} ms (CPU: median ${pct(cpu, 0.5).toFixed(1)} ms, p95 ${pct(cpu, 0.95).toFixed(1)} ms)`);
})().catch((e) => { console.error(e); process.exit(1); });
