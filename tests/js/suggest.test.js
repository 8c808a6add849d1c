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
