// Prints the bytes a cold client fetches for queries that find nothing: the search itself, then
// its suggestions. Usage: node scripts/suggest-bytes.js PUBLIC_DIR QUERIES.json
// (QUERIES.json: [{query}] or [{query, suggestions}], as tests/search.rs writes them).
// A query whose search alone reads over LIMIT_MB (default 30) is left out and named: a phrase
// of common bigrams that no page holds makes the client read every candidate page.
"use strict";
const path = require("path");
const fs = require("fs");
process.env.ZHIKU_PUBLIC = path.resolve(process.argv[2]);
const { loadClient, fileFetch, baseUrl } = require("../tests/js/helpers.js");
const client = loadClient();
const queries = JSON.parse(fs.readFileSync(process.argv[3], "utf8")).map((e) => e.query);

function pct(list, p) {
  const s = list.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}
(async () => {
  const search = [], suggest = [], both = [];
  let suggested = 0;
  const skipped = [], limit = (+process.env.LIMIT_MB || 30) * 1e6;
  for (const q of queries) {
    const counter = { bytes: 0 }, inner = fileFetch(counter);
    const fetch = (url) => { if (counter.bytes > limit) throw new Error("over the limit"); return inner(url); };
    const s = client.createSearch({ base: baseUrl(), fetch });
    let r;
    try { r = await s.search(q, { limit: 10 }); } catch (e) { skipped.push(q); continue; }
    if (r.length) continue;
    const before = counter.bytes;
    const got = await s.suggest(q);
    if (got.length) suggested++;
    search.push(before);
    suggest.push(counter.bytes - before);
    both.push(counter.bytes);
  }
  const kb = (b) => (b / 1000).toFixed(1) + " KB";
  console.log(`${search.length} queries finding nothing (${suggested} with suggestions)`);
  if (skipped.length) console.log(`left out, their search read over ${limit / 1e6} MB: ${skipped.join(" ")}`);
  for (const [name, list] of [["search", search], ["suggestions, added", suggest], ["both", both]]) {
    console.log(`${name.padEnd(20)} median ${kb(pct(list, 0.5))}  p95 ${kb(pct(list, 0.95))}  max ${kb(Math.max(...list))}`);
  }
})();
