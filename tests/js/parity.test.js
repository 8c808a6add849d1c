// The client in node returns the same pages, in the same order, with the same f32 scores as
// `zhiku search --json` (recorded by the Rust test in ZHIKU_EXPECTED).
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("fs");
const { loadClient, fileFetch, baseUrl } = require("./helpers");

const client = loadClient();
const expected = JSON.parse(fs.readFileSync(process.env.ZHIKU_EXPECTED, "utf8"));

test("same results and scores as the CLI", async () => {
  assert.ok(expected.length > 40);
  for (const e of expected) {
    const counter = { bytes: 0 };
    const s = client.createSearch({ base: baseUrl(), fetch: fileFetch(counter) });
    const got = await s.search(e.query, { limit: e.limit, filters: e.filters });
    const label = `${e.query} ${JSON.stringify(e.filters)} limit ${e.limit}`;
    assert.strictEqual(got.cut, Array.from(e.query).length > client.MAX_QUERY_CHARS, `${label}: cut`);
    assert.deepStrictEqual(got.map((r) => r.url), e.results.map((r) => r.url), label);
    assert.deepStrictEqual(got.map((r) => r.title), e.results.map((r) => r.title), label);
    got.forEach((r, i) => {
      assert.strictEqual(r.score, e.results[i].score, `${label}: score of ${r.url}`);
      assert.ok(Math.abs(r.score - e.results[i].score) <= 1e-6 * Math.max(1, Math.abs(r.score)), label);
      assert.strictEqual(typeof r.snippet, "string");
    });
    if (got.length) assert.ok(counter.bytes > 0);
  }
});

test("snippets are escaped HTML with <mark> around the match", async () => {
  const s = client.createSearch({ base: baseUrl(), fetch: fileFetch() });
  const [top] = await s.search("暖蜂行动", { limit: 1 });
  assert.match(top.snippet, /<mark>暖蜂行动<\/mark>/);
  assert.doesNotMatch(top.snippet.replace(/<\/?mark>/g, ""), /[<>]/);
  const trad = await s.search("楓橋經驗", { limit: 5 });
  assert.ok(trad.some((r) => /<mark>枫桥经验<\/mark>/.test(r.snippet)), "simplified text found by a traditional query");
  assert.ok(trad.some((r) => /<mark>楓橋經驗<\/mark>/.test(r.snippet)), "traditional text keeps its characters");
});

test("the client loads in node as a module and exposes createSearch", () => {
  assert.strictEqual(typeof client.createSearch, "function");
  const parts = client.parseQuery("社工+乡村振兴 党");
  assert.deepStrictEqual(parts.map((p) => p.tokens.map((t) => t[0])), [["社工"], ["乡村", "村振", "振兴"], ["党"]]);
});
