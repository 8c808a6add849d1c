// Searches a running preview over HTTP with the client it serves, as a browser tab would:
//   ZHIKU_PREVIEW=http://127.0.0.1:PORT/ node tests/js/preview.test.js QUERY EXPECTED_URL
// Exits non-zero unless EXPECTED_URL is among the results.
"use strict";

async function main() {
  const [query, expected] = process.argv.slice(2);
  const base = process.env.ZHIKU_PREVIEW + "search/";
  const source = await (await fetch(base + "search.js")).text();
  const module = { exports: {} };
  new Function("module", "exports", "self", source)(module, module.exports, {});
  const search = module.exports.createSearch({ base, fetch: (url) => fetch(url) });
  const result = await search.search(query, { limit: 20 });
  const urls = result.map((r) => r.url);
  console.log(JSON.stringify({ query, urls }));
  if (!urls.includes(expected)) {
    console.error(`expected ${expected} among the results of ${query}`);
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
