// The client in node returns the same pages, in the same order, with the same f32 scores as
// `zhiku search --json` for the queries in ZHIKU_EXPECTED (any site, any number of queries).
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("fs");
const { loadClient, fileFetch, baseUrl } = require("./helpers");

const client = loadClient();
const expected = JSON.parse(fs.readFileSync(process.env.ZHIKU_EXPECTED, "utf8"));

test("same results and scores as the CLI", async () => {
  assert.ok(expected.length > 0);
  for (const e of expected) {
    const s = client.createSearch({ base: baseUrl(), fetch: fileFetch() });
    const got = await s.search(e.query, { limit: e.limit, filters: e.filters || {} });
    assert.deepStrictEqual(got.map((r) => r.url), e.results.map((r) => r.url), e.query);
    got.forEach((r, i) => assert.strictEqual(r.score, e.results[i].score, `${e.query}: score of ${r.url}`));
    if (e.byYear) assert.deepStrictEqual(await s.byYear(e.query), e.byYear, `${e.query}: by year`);
  }
});
