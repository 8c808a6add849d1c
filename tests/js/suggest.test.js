// Suggestions for queries that find nothing: the client in node gives exactly what
// `zhiku search --suggest --json` gave for each query in ZHIKU_EXPECTED ([{query, suggestions}]).
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("fs");
const { loadClient, fileFetch, baseUrl } = require("./helpers");

const client = loadClient();
const expected = JSON.parse(fs.readFileSync(process.env.ZHIKU_EXPECTED, "utf8"));

test("same suggestions and counts as the CLI", async () => {
  assert.ok(expected.some((e) => e.suggestions.length > 0), "some queries get suggestions");
  for (const e of expected) {
    const s = client.createSearch({ base: baseUrl(), fetch: fileFetch() });
    assert.deepStrictEqual(await s.suggest(e.query), e.suggestions, e.query);
  }
});

test("the suggestion code is fetched only when a query finds nothing, and once", async () => {
  delete globalThis.zhikuNearby; // as in a fresh page (the test above loaded it into this process)
  const found = [];
  const counting = fileFetch();
  const fetch = (url) => { found.push(url); return counting(url); };
  const isSuggest = (u) => /\/search\/suggest-[0-9a-f]{8}\.js$/.test(u);
  const s = client.createSearch({ base: baseUrl(), fetch });
  const some = expected.find((e) => e.suggestions.length > 0);
  const meant = await s.search(some.suggestions[0].text, { limit: 10 });
  assert.ok(meant.length > 0, "a suggestion finds pages");
  assert.ok(!found.some(isSuggest), "a query with results did not fetch the suggestion code");
  assert.strictEqual((await s.search(some.query, { limit: 10 })).length, 0);
  await s.suggest(some.query);
  await s.suggest(some.query);
  assert.strictEqual(found.filter(isSuggest).length, 1, "fetched once: " + found.filter(isSuggest).join(", "));
});
