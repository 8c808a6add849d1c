// The shipped analyzer gives the tokens and positions the Rust analyzer recorded in the fixture.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("fs");
const path = require("path");
const { loadClient } = require("./helpers");

const client = loadClient();
const cases = JSON.parse(fs.readFileSync(process.env.ZHIKU_FIXTURE, "utf8"));
const pairs = fs.readFileSync(path.join(__dirname, "../../data/t2s.txt"), "utf8")
  .split("\n").filter((l) => l && !l.startsWith("#"))
  .map((l) => { const [t, s] = l.split("\t"); return [t.codePointAt(0), s.codePointAt(0)]; });

test("fixture has at least 200 strings", () => {
  assert.ok(cases.length >= 200);
});

test("JS tokens and positions equal the Rust analyzer's", () => {
  for (const c of cases) {
    const tokens = client.tokenize(c.input, pairs).map((t) => [t.text, t.position]);
    assert.deepStrictEqual(tokens, c.tokens, JSON.stringify(c.input));
  }
});

test("token offsets point at the source characters", () => {
  const s = "新時代“楓橋經驗”，ＡＢＣ１２３";
  for (const t of client.tokenize(s, pairs)) {
    const folded = client.tokenize(s.slice(t.from, t.to), pairs).map((x) => x.text);
    assert.ok(folded.includes(t.text), `${t.text} from ${s.slice(t.from, t.to)}`);
  }
});
