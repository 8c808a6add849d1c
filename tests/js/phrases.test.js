// Phrases of common bigrams (tests/search_phrases.rs): the client in node gives the same pages,
// order, f32 scores and yearly counts as `zhiku search --json`, whether it fetches every token's
// list (longList: Infinity), only each phrase's shortest (longList: 0) or the default choice.
// No query reads a title norm table. A rare phrase of common bigrams (`readsAtMost`) reads only
// the pages holding it. Phrases that no page holds (`noReads`: one of their spans is on no page) read no list or page.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("fs");
const { loadClient, fileFetch, baseUrl } = require("./helpers");

const client = loadClient();
const expected = JSON.parse(fs.readFileSync(process.env.ZHIKU_EXPECTED, "utf8"));

for (const longList of [undefined, 0, Infinity]) {
  test(`same results, scores and years as the CLI (longList ${longList})`, async () => {
    assert.ok(expected.length > 0);
    for (const e of expected) {
      const counter = { bytes: 0 }, urls = [], inner = fileFetch(counter);
      const fetch = (url) => { urls.push(url); return inner(url); };
      const s = client.createSearch({ base: baseUrl(), fetch, longList });
      const got = await s.search(e.query, { limit: e.limit });
      assert.deepStrictEqual(got.map((r) => r.url), e.results.map((r) => r.url), `${e.query} (limit ${e.limit})`);
      got.forEach((r, i) => assert.strictEqual(r.score, e.results[i].score, `${e.query}: score of ${r.url}`));
      assert.deepStrictEqual(await s.byYear(e.query), e.byYear, `${e.query}: by year`);
      // Title lists carry their docs' field norms however long they are: no title norm table.
      assert.deepStrictEqual(urls.filter((u) => /\/search\/norms\/title/.test(u)), [], `${e.query}: no title norm table`);
      // A phrase with a span no page holds is known to match nothing from the shingle files.
      // A rare phrase of common bigrams reads the pages holding it (from its spans' lists),
      // not every page holding its bigrams.
      if (e.readsAtMost !== undefined) {
        const docs = new Set(urls.filter((u) => /\/search\/doc\//.test(u)));
        assert.ok(docs.size <= e.readsAtMost, `${e.query}: ${docs.size} pages read, at most ${e.readsAtMost}`);
      }
      if (e.noReads) {
        const read = urls.filter((u) => /\/search\/(post|doc)\//.test(u));
        assert.deepStrictEqual(read, [], `${e.query}: no posting list or page is read`);
        assert.ok(got.total === 0 && got.exact, `${e.query}: none, exactly`);
      }
    }
  });
}

// A trend count checks every page holding a phrase's bigrams at once: the client asks for at
// most 16 files at a time (a browser refuses thousands of requests at once), and a file that
// failed is asked for again by the next search instead of failing it too.
test("at most 16 files at once; a failed file is asked for again", async () => {
  const e = expected.find((x) => x.query === "社会工作者");
  assert.ok(e, "the expected results hold 社会工作者");
  let active = 0, most = 0, failed = 0;
  const inner = fileFetch({ bytes: 0 });
  const fetch = async (url) => {
    active++;
    most = Math.max(most, active);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (!failed && /\/search\/doc\//.test(url)) { failed++; return { ok: false, status: 503 }; }
      return await inner(url);
    } finally { active--; }
  };
  const s = client.createSearch({ base: baseUrl(), fetch });
  await assert.rejects(s.byYear(e.query), /503/);
  assert.deepStrictEqual(await s.byYear(e.query), e.byYear, "the second count is whole");
  assert.strictEqual(failed, 1);
  assert.ok(most > 1 && most <= 16, `${most} files asked for at once`);
});
