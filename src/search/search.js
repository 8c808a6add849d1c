/* zhiku search client. One plain script: a classic <script> in the browser (also from file://)
 * and a CommonJS module in node. Mirrors src/search/analyzer.rs and src/search/query.rs: the
 * same tokens, the same query parts and the same f32 BM25 arithmetic as `zhiku search`.
 *
 *   var s = createSearch({ base: "search/", fetch: optionalFetch });
 *   s.search("社会工作", { limit: 10, filters: { type: "speech" } }).then(function (results) { … });
 */
(function (root) {
  "use strict";

  // ---------------------------------------------------------------- analyzer
  var MAX_WORD_CHARS = 40;
  var RE_MARK = /\p{M}/u;
  var RE_WORD = /[\p{Alphabetic}\p{N}]/u;
  var RE_SPACE = /\p{White_Space}/u;
  var RE_UPPER = /\p{Uppercase}/u;
  var HAN = 1, WORD = 2, SPACE = 3, GAP = 4, JOIN = 5;
  // analyzer.rs JOINERS: one between two letters or digits joins them (3.5, 7×24, 1+10+n, 5—10).
  var JOINERS = { 0x2e: 1, 0xd7: 1, 0x2b: 1, 0x2d: 1, 0x2f: 1, 0x25: 1, 0x3a: 1, 0x2c: 1 };
  var PERCENT = 0x25;

  // analyzer.rs joiner_kind: range dashes and tildes fold to "-", the ratio sign to ":", "*" to "×".
  function joinerKind(c) {
    return c === 0x2014 || c === 0x2013 || c === 0x2015 || c === 0x7e || c === 0x301c ? 0x2d :
      c === 0x2236 ? 0x3a : c === 0x2a ? 0xd7 : c;
  }

  function isHan(c) {
    return (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0x20000 && c <= 0x2a6df) || (c >= 0x2a700 && c <= 0x2ebef) || (c >= 0x30000 && c <= 0x323af) ||
      c === 0x3007;
  }

  function isPlainHan(c) {
    return (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x20000 && c <= 0x2a6df) ||
      (c >= 0x2a700 && c <= 0x2ebef) || (c >= 0x30000 && c <= 0x323af);
  }

  // Per BMP code point, its class (0: not yet known) and its case-folded form (-1: not yet
  // known): the Unicode property tests are slow, and a text repeats its characters.
  var classes = new Uint8Array(0x10000), lowered = new Int32Array(0x10000).fill(-1);

  function classOf(c) {
    if (c < 0x10000 && classes[c]) return classes[c];
    var k;
    if (isHan(c)) k = HAN;
    else {
      var ch = String.fromCodePoint(c);
      k = RE_WORD.test(ch) ? WORD : RE_SPACE.test(ch) ? SPACE : JOINERS[c] ? JOIN : GAP;
    }
    if (c < 0x10000) classes[c] = k;
    return k;
  }

  function lower(c) {
    if (c < 0x10000 && lowered[c] >= 0) return lowered[c];
    var out = c, ch = String.fromCodePoint(c);
    if (RE_UPPER.test(ch)) {
      var low = ch.toLowerCase();
      var l = low.codePointAt(0);
      if (low.length === String.fromCodePoint(l).length) out = l;
    }
    if (c < 0x10000) lowered[c] = out;
    return out;
  }

  function foldCode(c, t2s) {
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
    else if (c === 0x3000) c = 0x20;
    c = lower(c);
    var s = t2s ? t2s.get(c) : undefined;
    return joinerKind(s === undefined ? c : s);
  }

  /** The code points of a character's NFKC form without combining marks (remembered). */
  var nfkc = new Map();
  function nfkcOf(c) {
    var ds = nfkc.get(c);
    if (ds) return ds;
    ds = [];
    var n = String.fromCodePoint(c).normalize("NFKC");
    for (var j = 0; j < n.length;) {
      var d = n.codePointAt(j);
      j += d > 0xffff ? 2 : 1;
      if (!RE_MARK.test(String.fromCodePoint(d))) ds.push(d);
    }
    nfkc.set(c, ds);
    return ds;
  }

  /**
   * Folded code points, each with the UTF-16 range of its source character, in typed arrays:
   * {n, code, from, to}.
   */
  function foldWithOffsets(text, t2s) {
    var cap = text.length + 8, n = 0;
    var code = new Int32Array(cap), from = new Int32Array(cap), to = new Int32Array(cap);
    function put(c, i, j) {
      if (n === cap) {
        cap *= 2;
        var c2 = new Int32Array(cap), f2 = new Int32Array(cap), t2 = new Int32Array(cap);
        c2.set(code); f2.set(from); t2.set(to);
        code = c2; from = f2; to = t2;
      }
      code[n] = c; from[n] = i; to[n] = j; n++;
    }
    for (var i = 0; i < text.length;) {
      var c = text.codePointAt(i);
      var len = c > 0xffff ? 2 : 1;
      if (c < 128) {
        put(c >= 65 && c <= 90 ? c + 32 : c === 0x7e || c === 0x2a ? joinerKind(c) : c, i, i + len);
      } else if (isPlainHan(c)) {
        // NFKC leaves these alone and they have no case: only traditional → simplified.
        var simple = t2s ? t2s.get(c) : undefined;
        put(simple === undefined ? c : simple, i, i + len);
      } else {
        var ds = nfkcOf(c);
        for (var j = 0; j < ds.length; j++) put(foldCode(ds[j], t2s), i, i + len);
      }
      i += len;
    }
    return { n: n, code: code, from: from, to: to };
  }

  /**
   * Tokens of a query part (analyzer.rs tokenize_query): the text up to its last letter, digit
   * or Han character, or a % right after a word.
   */
  function tokenizeQuery(text, t2s) {
    var chars = foldWithOffsets(text, t2s), end = 0, last = SPACE;
    for (var x = 0; x < chars.n; x++) {
      var k = classOf(chars.code[x]);
      if (k === HAN || k === WORD || (chars.code[x] === PERCENT && last === WORD)) end = chars.to[x];
      last = k;
    }
    return tokenize(text.slice(0, end), t2s);
  }

  /** Tokens {text, position, from, to} exactly as the Rust analyzer makes them. */
  function tokenize(text, t2s) {
    var chars = foldWithOffsets(text, t2s), len = chars.n, code = chars.code, from = chars.from, to = chars.to;
    var classes = new Uint8Array(len);
    for (var x = 0; x < len; x++) classes[x] = classOf(code[x]);
    var tokens = [];
    var pos = 0, gapPending = false, i = 0;
    // analyzer.rs TokenIter::joins: one joiner joining the word before it to a word after it, or
    // ending the text (but %).
    function joins(j) {
      return j < len && classes[j] === JOIN && (j + 1 < len ? classes[j + 1] === WORD : code[j] !== PERCENT);
    }
    while (i < len) {
      var k = classes[i], start = i;
      while (i < len && classes[i] === k) i++;
      var n = i - start;
      if ((k === HAN || k === WORD) && gapPending) { pos += 1; gapPending = false; }
      var wordBefore = start > 0 && classes[start - 1] === WORD, wordAfter = i < len && classes[i] === WORD;
      if (k === HAN) {
        if (n === 1) {
          tokens.push({ text: String.fromCodePoint(code[start]), position: pos, from: from[start], to: to[start] });
          pos += 1;
        } else {
          // Next to a word, the run's outer character is a token too (analyzer.rs TokenIter).
          if (wordBefore) tokens.push({ text: String.fromCodePoint(code[start]), position: pos, from: from[start], to: to[start] });
          for (var j = 0; j < n - 1; j++) {
            tokens.push({ text: String.fromCodePoint(code[start + j], code[start + j + 1]), position: pos + j, from: from[start + j], to: to[start + j + 1] });
          }
          if (wordAfter) tokens.push({ text: String.fromCodePoint(code[i - 1]), position: pos + n - 2, from: from[i - 1], to: to[i - 1] });
          pos += n - 1;
        }
      } else if (k === WORD) {
        if (n <= MAX_WORD_CHARS) {
          var w = "";
          for (var m = start; m < i; m++) w += String.fromCodePoint(code[m]);
          tokens.push({ text: w, position: pos, from: from[start], to: to[i - 1] });
          // 3.5: "3." beside "3", so a phrase tells 1.5 from 1:5 (analyzer.rs TokenIter).
          if (joins(i)) tokens.push({ text: w + String.fromCodePoint(code[i]), position: pos, from: from[start], to: to[i] });
        }
        pos += 1;
      } else if (k === JOIN && n === 1 && wordBefore && wordAfter) {
        // one joiner between two letters or digits: the word goes on at the next position
      } else if (k === JOIN && wordBefore && code[start] === PERCENT) {
        // 100%: the sign is a token after its number, then a gap (analyzer.rs PERCENT), unless
        // one joiner and a word follow (5%—8%): then that word goes on.
        tokens.push({ text: "%", position: pos, from: from[start], to: to[start] });
        if (n === 2 && (wordAfter || i === len)) tokens.push({ text: String.fromCodePoint(code[start], code[start + 1]), position: pos, from: from[start], to: to[start + 1] });
        pos += 1;
        if (!(n === 2 && wordAfter)) gapPending = true;
      } else if (k === GAP || k === JOIN) {
        gapPending = tokens.length > 0;
      }
    }
    return tokens;
  }

  // ---------------------------------------------------------------- query parts
  var MAX_PARTS = 12;
  // A query is cut to its first 64 characters (code points) before anything else, as in
  // query.rs: a 10,000-character query took 37 s and 1.3 GB here.
  var MAX_QUERY_CHARS = 64;
  var QUOTES = /["“”]/;

  /** The part of a query that is searched: {text, cut}. */
  function cutQuery(query) {
    var cps = Array.from(query);
    return cps.length > MAX_QUERY_CHARS ? { text: cps.slice(0, MAX_QUERY_CHARS).join(""), cut: true } : { text: query, cut: false };
  }

  function isSingleHan(t) {
    var c = t.codePointAt(0);
    return t.length === String.fromCodePoint(c).length && isHan(c);
  }

  function joinHan(s) {
    var cps = Array.from(s), out = "";
    for (var i = 0; i < cps.length; i++) {
      var c = cps[i];
      if (RE_SPACE.test(c)) {
        var prev = null, next = null, j;
        for (j = i - 1; j >= 0; j--) if (!RE_SPACE.test(cps[j])) { prev = cps[j]; break; }
        for (j = i + 1; j < cps.length; j++) if (!RE_SPACE.test(cps[j])) { next = cps[j]; break; }
        if (prev && next && isHan(prev.codePointAt(0)) && isHan(next.codePointAt(0))) continue;
      }
      out += c;
    }
    return out;
  }

  function makePart(tokens) {
    var first = tokens[0].position;
    var list = tokens.map(function (t) { return [t.text, t.position - first]; });
    return { tokens: list, unigram: list.length === 1 && isSingleHan(list[0][0]) };
  }

  function splitAtGaps(tokens, parts) {
    var group = [];
    function isWord(t) { return t !== undefined && !isHan(t.text.codePointAt(0)); }
    for (var i = 0; i < tokens.length; i++) {
      var t = tokens[i];
      // A lone Han character is its own one-character part (it may sit inside a longer run),
      // unless it sits next to a word (3.5万, 第3): then it stays in the phrase, as in query.rs.
      var attached = (i > 0 && isWord(tokens[i - 1]) && tokens[i - 1].position + 1 === t.position) ||
        (isWord(tokens[i + 1]) && tokens[i + 1].position === t.position + 1);
      if (isSingleHan(t.text) && !attached) {
        if (group.length) parts.push(makePart(group));
        parts.push(makePart([t]));
        group = [];
        continue;
      }
      if (group.length && t.position > group[group.length - 1].position + 1) { parts.push(makePart(group)); group = []; }
      group.push(t);
    }
    if (group.length) parts.push(makePart(group));
  }

  function parseQuery(query, t2s) {
    var parts = [];
    var rest = cutQuery(query).text;
    for (;;) {
      var open = rest.search(QUOTES);
      var outside = rest, quoted = null, tail = "";
      if (open >= 0) {
        outside = rest.slice(0, open);
        var after = rest.slice(open + 1);
        var close = after.search(QUOTES);
        if (close >= 0) { quoted = after.slice(0, close); tail = after.slice(close + 1); }
        else quoted = after;
      }
      outside.split(/\p{White_Space}+/u).forEach(function (chunk) {
        if (chunk) splitAtGaps(tokenizeQuery(chunk, t2s), parts);
      });
      if (quoted !== null) {
        var tokens = tokenizeQuery(joinHan(quoted), t2s);
        if (tokens.length) parts.push(makePart(tokens));
      }
      if (open < 0) break;
      rest = tail;
    }
    return parts.slice(0, MAX_PARTS);
  }

  // ---------------------------------------------------------------- ranking arithmetic (f32)
  var f = Math.fround;
  var K1 = f(1.2), B = f(0.75);
  var ONE_PLUS_K1 = f(1 + K1);
  var TITLE = 0, BODY = 1, TITLE1 = 2, BODY1 = 3;

  function fieldScore(idf, tf, normFactor, boost) {
    var weight = f(idf * ONE_PLUS_K1);
    var score = f(weight * f(tf / f(tf + normFactor)));
    return boost === 1 ? score : f(score * boost);
  }

  /** Places where the phrase's tokens sit at their relative positions (sorted lists). */
  function phraseCount(lists, rel) {
    var count = 0, first = -1;
    outer: for (var i = 0; i < lists[0].length; i++) {
      var p = lists[0][i];
      for (var k = 1; k < lists.length; k++) if (!hasSorted(lists[k], p + rel[k])) continue outer;
      count++;
      if (first < 0) first = p;
    }
    return [count, first];
  }

  function hasSorted(list, v) {
    var lo = 0, hi = list.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid] === v) return true;
      if (list[mid] < v) lo = mid + 1; else hi = mid - 1;
    }
    return false;
  }

  // ---------------------------------------------------------------- binary data
  function Reader(bytes) { this.b = bytes; this.p = 0; }
  Reader.prototype.varint = function () {
    var v = 0, mul = 1, byte;
    do { byte = this.b[this.p++]; v += (byte & 0x7f) * mul; mul *= 128; } while (byte & 0x80);
    return v;
  };
  Reader.prototype.bytes = function (n) { var s = this.b.subarray(this.p, this.p + n); this.p += n; return s; };
  var utf8 = typeof TextDecoder !== "undefined" ? new TextDecoder() : null;
  Reader.prototype.str = function () { return utf8.decode(this.bytes(this.varint())); };
  Reader.prototype.f32 = function () {
    var v = new DataView(this.b.buffer, this.b.byteOffset + this.p, 4).getFloat32(0, true);
    this.p += 4;
    return v;
  };
  Reader.prototype.u8 = function () { return this.b[this.p++]; };
  /** A sorted doc list of `n` ids written as deltas (export.rs `Buf::doc_deltas`). */
  Reader.prototype.docList = function (n) {
    var docs = new Array(n), d = 0;
    for (var i = 0; i < n; i++) { d += this.varint(); docs[i] = d; }
    return docs;
  };

  function base64Bytes(s) {
    var bin = typeof atob === "function" ? atob(s) : Buffer.from(s, "base64").toString("binary");
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  // In node, zlib (synchronous, native); in browsers, DecompressionStream.
  var zlib = typeof process !== "undefined" && process.versions && process.versions.node && typeof require === "function" ? require("zlib") : null;
  function gunzip(bytes) {
    if (zlib) return Promise.resolve(new Uint8Array(zlib.gunzipSync(bytes)));
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b); });
  }

  // The suggestion file beside this one; export.rs `client_script` names it with its hash.
  var SUGGEST_FILE = "suggest.js";

  function fnv1a(s) {
    var bytes = new TextEncoder().encode(s), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }

  // <script> loading for file://, where fetch() is blocked: data files arrive in bundles
  // (see bundle_of in export.rs), each calling zhikuData(name, base64) per file it carries.
  var received = {};
  root.zhikuData = function (name, data) { received[name] = data; };
  var bundles = {};
  function bundleOf(name) {
    var m = /^(doc|near)\/(\d+)\/[^/]+$/.exec(name);
    if (m) return m[1] + "-" + m[2];
    m = /^(post|dict|shingle)\/(\d+)(-\d+)?$/.exec(name);
    if (m) return m[1] + "-" + Math.floor(+m[2] / 64);
    return name.replace(/\//g, "-");
  }
  function loadScript(base, name) {
    var bundle = bundleOf(name);
    if (!bundles[bundle]) {
      bundles[bundle] = new Promise(function (resolve, reject) {
        var el = document.createElement("script");
        el.src = base + "js/" + bundle + ".js";
        el.async = true;
        // A bundle that fails is asked for again next time.
        el.onerror = function () { delete bundles[bundle]; el.remove(); reject(new Error("cannot load " + el.src)); };
        el.onload = function () { el.remove(); resolve(); };
        document.head.appendChild(el);
      });
    }
    return bundles[bundle].then(function () {
      var data = received[name];
      if (data === undefined) throw new Error("no search data " + name);
      return data;
    });
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // ---------------------------------------------------------------- the search object
  function defaultBase() {
    if (typeof document !== "undefined" && document.currentScript && document.currentScript.src) {
      return document.currentScript.src.replace(/[^/]*$/, "");
    }
    return "search/";
  }
  var scriptBase = defaultBase();

  function createSearch(options) {
    options = options || {};
    var base = options.base || scriptBase;
    var injected = options.fetch || null;
    var useScripts = !injected && (typeof location !== "undefined" && location.protocol === "file:" || typeof fetch !== "function");
    var files = {};
    var MAX_LOADS = 16, loading = 0, waiting = [];
    function throttled(start) {
      return new Promise(function (resolve, reject) {
        waiting.push(function () {
          loading++;
          var done = function () { loading--; if (waiting.length && loading < MAX_LOADS) waiting.shift()(); };
          Promise.resolve().then(start).then(function (v) { done(); resolve(v); }, function (e) { done(); reject(e); });
        });
        if (loading < MAX_LOADS) waiting.shift()();
      });
    }
    /** Keeps `p` as `cache[key]` until it fails (so a later call tries again). */
    function keep(cache, key, p) {
      cache[key] = p;
      p.catch(function () { if (cache[key] === p) delete cache[key]; });
      return p;
    }
    var bytesFetched = 0;

    // On the page (no Worker, as from file://), `yielding: true` makes a search give the event
    // loop back between its steps, so typing stays responsive; a search whose `stale()` turns
    // true stops at its next step with an error whose `stale` is true.
    var yields = 0;
    function stale() { var e = new Error("a newer query replaced this one"); e.stale = true; return e; }
    function pause(ctl) {
      if (ctl && ctl.stale && ctl.stale()) return Promise.reject(stale());
      if (!options.yielding) return Promise.resolve();
      yields++;
      return new Promise(function (resolve) {
        if (typeof scheduler !== "undefined" && scheduler.yield) scheduler.yield().then(resolve);
        else setTimeout(resolve, 0);
      }).then(function () { if (ctl && ctl.stale && ctl.stale()) throw stale(); });
    }

    /**
     * A file's bytes, gunzipped. At most `MAX_LOADS` files are asked for at once (a trend count
     * checks thousands of pages: a browser refuses that many requests at once); a file that
     * fails is not kept, so asking again retries it. Doc files are not kept here (`docFile`
     * keeps what is read from them, and lets go of pages that do not match).
     */
    function load(name) {
      if (files[name]) return files[name];
      var got = throttled(function () {
        if (useScripts) return loadScript(base, name).then(base64Bytes);
        return (injected || fetch)(base + name + ".bin").then(function (r) {
          if (r.ok === false) throw new Error("cannot load " + base + name + ".bin (" + r.status + ")");
          return r.arrayBuffer();
        }).then(function (b) { return new Uint8Array(b); });
      }).then(function (b) { bytesFetched += b.length; return gunzip(b); });
      return /^doc\//.test(name) ? got : keep(files, name, got);
    }

    var manifestP = null;
    function manifest() {
      if (!manifestP) {
        manifestP = load("manifest").then(function (b) {
          var m = JSON.parse(utf8.decode(b));
          // JSON carries the f32 values in their shortest form: make them f32 again.
          // BM25's length normalisation per field-norm id, as index.rs `tf_cache` computes it.
          m.tf_cache = m.total_tokens.map(function (total) {
            var avg = f(f(total) / f(Math.max(1, m.docs)));
            return m.fieldnorms.map(function (norm) { return f(K1 * f(f(1 - B) + f(f(B * f(norm)) / avg))); });
          });
          m.boost = m.boost.map(f);
          return m;
        });
        var asked = manifestP;
        asked.catch(function () { if (manifestP === asked) manifestP = null; });
      }
      return manifestP;
    }

    var t2s = new Map();
    var t2sLoaded = {};
    function loadT2s(m, text) {
      var blocks = {};
      var norm = text.normalize("NFKC");
      for (var i = 0; i < norm.length;) {
        var c = norm.codePointAt(i);
        i += c > 0xffff ? 2 : 1;
        if (isHan(c)) blocks[Math.floor(c / 256)] = true;
      }
      var wanted = m.t2s_blocks.filter(function (b) { return blocks[b] && !t2sLoaded[b]; });
      return Promise.all(wanted.map(function (b) {
        return load("t2s/" + b).then(function (bytes) {
          t2sLoaded[b] = true;
          var r = new Reader(bytes);
          while (r.p < bytes.length) { var lo = r.varint(); t2s.set(b * 256 + lo, r.varint()); }
        });
      }));
    }

    var shardCache = {};
    function shard(m, i) {
      if (!shardCache[i]) {
        keep(shardCache, i, load("dict/" + i).then(function (bytes) {
          var r = new Reader(bytes), n = r.varint(), map = new Map();
          for (var e = 0; e < n; e++) {
            var term = r.str(), mask = r.u8(), fields = [null, null, null, null];
            for (var fi = 0; fi < 4; fi++) {
              if (!(mask & (1 << fi))) continue;
              var entry = { df: r.varint(), idf: r.f32() };
              // Storage byte: bit 0 = in a post file, bit 1 = the list carries field-norm ids,
              // bit 2 = a body list without chunk masks.
              var how = r.u8();
              entry.norms = (how & 2) !== 0;
              entry.noMasks = (how & 4) !== 0;
              if ((how & 1) === 0) entry.inline = r.bytes(r.varint()); else entry.file = i + "-" + r.varint();
              fields[fi] = entry;
            }
            map.set(term, fields);
          }
          return map;
        }));
      }
      return shardCache[i];
    }

    function postings(entry, field) {
      if (!entry) return Promise.resolve(null);
      if (!entry.postings) {
        var bytesP = entry.inline ? Promise.resolve(entry.inline) : load("post/" + entry.file);
        keep(entry, "postings", bytesP.then(function (bytes) {
          var r = new Reader(bytes), n = r.varint(), docs = new Uint32Array(n), tfs = new Uint32Array(n), masks = null, i, d = 0;
          for (i = 0; i < n; i++) { d += r.varint(); docs[i] = d; }
          for (i = 0; i < n; i++) tfs[i] = r.varint();
          var norms = entry.norms ? r.bytes(n) : null;
          if (field === BODY && !entry.noMasks) { masks = new Float64Array(n); for (i = 0; i < n; i++) masks[i] = r.varint(); }
          return { idf: entry.idf, docs: docs, tfs: tfs, norms: norms, masks: masks };
        }));
      }
      return entry.postings;
    }

    /**
     * Whether the site may hold every shingle of a phrase part (export.rs `Shingles`: two or
     * three tokens at consecutive positions, hashed), and which of them have a span list
     * (export.rs `Spans`): `{ may, spans: [{ term, token }] }`, `token` the index in the part of
     * the span's first token. `may` false means no page holds the phrase, so nothing needs to be
     * read to know it matches nothing. A run of positions is looked up by its three-token
     * shingles (a run of two by its pair; the pairs are inside the threes), each one small
     * file. `shingles: false` (for measurements) skips the check: every phrase is then checked
     * page by page.
     */
    var shingleCache = {};
    function mayHoldShingles(m, part) {
      var sh = m.shingles;
      if (!sh || options.shingles === false || part.tokens.length < 2) return Promise.resolve({ may: true, spans: [] });
      var at = new Map();
      part.tokens.forEach(function (t, i) { if (!at.has(t[1])) at.set(t[1], i); });
      var positions = Array.from(at.keys()).sort(function (a, b) { return a - b; });
      var keys = [];
      for (var i = 0; i < positions.length;) {
        var j = i;
        while (j + 1 < positions.length && positions[j + 1] === positions[j] + 1) j++;
        var run = positions.slice(i, j + 1).map(function (p) { return at.get(p); });
        var width = run.length === 2 ? 2 : 3;
        for (var k = 0; k + width <= run.length; k++) {
          var ids = run.slice(k, k + width);
          keys.push({ term: ids.map(function (x) { return part.tokens[x][0]; }).join("\u0001"), token: ids[0] });
        }
        i = j + 1;
      }
      return Promise.all(keys.map(function (w) {
        var key = fnv1a(w.term) >>> sh.shift, shard = key % sh.shards, v = Math.floor(key / sh.shards) * 2;
        if (!shingleCache[shard]) {
          keep(shingleCache, shard, load("shingle/" + shard).then(function (bytes) { var r = new Reader(bytes); return r.docList(r.varint()); }));
        }
        return shingleCache[shard].then(function (list) {
          var listed = hasSorted(list, v + 1);
          return { present: listed || hasSorted(list, v), listed: listed };
        });
      })).then(function (found) {
        return {
          may: found.every(function (x) { return x.present; }),
          spans: keys.filter(function (_, k) { return found[k].listed; })
        };
      });
    }

    var normsCache = {};
    var FIELD_NAMES = ["title", "body", "title1", "body1"];
    function norms(field) {
      if (!normsCache[field]) keep(normsCache, field, load("norms/" + FIELD_NAMES[field]));
      return normsCache[field];
    }

    var facetCache = {};
    function facetDocs(name, value) {
      if (!facetCache[name]) {
        keep(facetCache, name, load("facet/" + name).then(function (bytes) {
          var r = new Reader(bytes), n = r.varint(), map = new Map();
          for (var v = 0; v < n; v++) {
            var key = r.str();
            var list = new Set(r.docList(r.varint()));
            map.set(key, list);
          }
          return map;
        }));
      }
      return facetCache[name].then(function (map) { return map.get(value) || new Set(); });
    }

    // A doc file: the page's metadata, then its text chunks, then the traditional characters.
    var docCache = {};
    function docFile(doc) {
      if (!docCache[doc]) {
        keep(docCache, doc, load("doc/" + Math.floor(doc / 256) + "/" + doc).then(function (bytes) {
          var r = new Reader(bytes);
          var d = { url: r.str(), title: r.str(), date: r.str(), type: r.str(), typeLabel: r.str(), region: r.str(), summary: r.str() };
          var nt = r.varint();
          d.topics = [];
          for (var i = 0; i < nt; i++) d.topics.push(r.str());
          var parts = [], n = r.varint();
          for (var k = 0; k < n; k++) parts.push({ first: r.varint(), text: r.str() });
          var np = r.varint();
          d.t2s = new Map();
          for (var j = 0; j < np; j++) { var t = r.varint(); d.t2s.set(t, r.varint()); }
          d.chunks = parts.map(function (p, k) {
            return {
              url: d.url, title: d.title, date: d.date, type: d.type, typeLabel: d.typeLabel, region: d.region,
              summary: d.summary, topics: d.topics, chunks: n, first: p.first, text: p.text, t2s: d.t2s, k: k
            };
          });
          return d;
        }));
      }
      return docCache[doc];
    }

    /** Chunk `k` of a doc's text, with the doc's metadata; fails when the doc has no chunk `k`. */
    function chunk(doc, k) {
      return docFile(doc).then(function (d) {
        if (!d.chunks[k]) throw new Error("doc " + doc + " has no chunk " + k);
        return d.chunks[k];
      });
    }

    /** Absolute positions of each token of `part` in a chunk (null-safe). */
    function chunkTokens(c) {
      if (!c.tokens) c.tokens = tokenize(c.text, c.t2s);
      return c.tokens;
    }

    function chunkPositions(c, part) {
      var tokens = chunkTokens(c), lists = part.tokens.map(function () { return []; });
      var index = new Map();
      part.tokens.forEach(function (t, i) { (index.get(t[0]) || index.set(t[0], []).get(t[0])).push(i); });
      tokens.forEach(function (t) {
        var idx = index.get(t.text);
        if (idx) idx.forEach(function (i) { lists[i].push(t.position + c.first); });
      });
      return lists;
    }

    function maskBits(mask, bits) {
      var out = [];
      for (var k = 0; k < bits && mask > 0; k++) {
        if (mask % 2 === 1) out.push(k);
        mask = Math.floor(mask / 2);
      }
      return out;
    }

    /** Exact phrase frequency of `part` in the body of `doc`, and its first match position. */
    function bodyPhrase(m, doc, part, rows) {
      // Per token of the part, its chunk mask in this doc; null where its list has no masks (a
      // common token) or was not fetched (`row.token` names the token of a row).
      var masks = part.tokens.map(function () { return null; });
      rows.forEach(function (row, k) { if (row.masks) masks[row.token === undefined ? k : row.token] = row.masks[row.idx]; });
      if (masks.every(function (mk) { return mk !== null; })) return bodyPhraseIn(m, doc, part, masks);
      // A token without a mask may be in any chunk.
      return allChunks(m, doc).then(function (all) {
        return bodyPhraseIn(m, doc, part, masks.map(function (mk) { return mk === null ? all : mk; }));
      });
    }

    /** The chunk mask naming every chunk of a doc. */
    function allChunks(m, doc) {
      return docFile(doc).then(function (d) { return Math.pow(2, Math.min(d.chunks.length, m.mask_bits)) - 1; });
    }

    function bodyPhraseIn(m, doc, part, masks) {
      // Chunks where the first token occurs and every token occurs there or in the next chunk.
      var wanted = {};
      maskBits(masks[0], m.mask_bits).forEach(function (k) {
        var ok = masks.every(function (mk) { return bitSet(mk, k) || bitSet(mk, k + 1); });
        if (ok) { wanted[k] = true; if (masks.some(function (mk) { return bitSet(mk, k + 1); })) wanted[k + 1] = true; }
      });
      var ks = Object.keys(wanted).map(Number).sort(function (a, b) { return a - b; });
      if (masks[0] >= Math.pow(2, m.mask_bits - 1)) {
        // The last mask bit stands for "this chunk or later": fetch the rest, learning the count.
        return chunk(doc, 0).then(function (c0) {
          for (var k = m.mask_bits - 1; k < c0.chunks; k++) wanted[k] = true;
          return countIn(Object.keys(wanted).map(Number).sort(function (a, b) { return a - b; }));
        });
      }
      return countIn(ks);
      function countIn(list) {
        return Promise.all(list.map(function (k) { return chunk(doc, k); })).then(function (cs) {
          var lists = part.tokens.map(function () { return []; });
          cs.forEach(function (c) {
            chunkPositions(c, part).forEach(function (l, i) { lists[i] = lists[i].concat(l); });
          });
          lists.forEach(function (l) { l.sort(function (a, b) { return a - b; }); });
          var seen = lists.map(function (l) { return l.filter(function (v, i) { return i === 0 || l[i - 1] !== v; }); });
          return phraseCount(seen, part.tokens.map(function (t) { return t[1]; }));
        });
      }
    }

    function bitSet(mask, k) {
      return Math.floor(mask / Math.pow(2, k)) % 2 === 1;
    }

    function titlePhrase(doc, part) {
      return chunk(doc, 0).then(function (c) {
        var tokens = tokenize(c.title, c.t2s), lists = part.tokens.map(function () { return []; });
        tokens.forEach(function (t) {
          part.tokens.forEach(function (q, i) { if (q[0] === t.text) lists[i].push(t.position); });
        });
        return phraseCount(lists, part.tokens.map(function (t) { return t[1]; }))[0];
      });
    }

    /**
     * Per part and field: the docs holding every token, with tf (or, for a phrase, a bound: the
     * least tf of its tokens), field norm (-1 if no list carries it) and each token's row, in
     * typed arrays; `at[doc]` is the doc's index or -1. `docs.get(doc)` gives one doc's entry.
     * `tokens` (optional) names the token of each list when only some of the part's lists were
     * fetched ([`pickLists`]): the docs are then those holding these tokens, still every doc
     * holding the phrase, and the bound the least tf of these tokens.
     */
    function fieldCandidates(part, field, entries, lists, n, tokens) {
      if (lists.some(function (l) { return !l; })) return null;
      var idf = 0;
      entries.forEach(function (e) { idf = f(idf + e.idf); });
      var first = lists[0], cap = first.docs.length;
      var at = new Int32Array(n).fill(-1), docs = new Uint32Array(cap), tfs = new Uint32Array(cap), normIds = new Int16Array(cap);
      var rows = lists.map(function () { return new Uint32Array(cap); });
      var cursors = new Uint32Array(lists.length), count = 0;
      // A list that carries field norms gives every candidate's (they are all in it).
      var withNorms = -1;
      lists.forEach(function (l, k) { if (l.norms && withNorms < 0) withNorms = k; });
      outer: for (var i = 0; i < cap; i++) {
        var doc = first.docs[i], tf = first.tfs[i];
        rows[0][count] = i;
        for (var k = 1; k < lists.length; k++) {
          var l = lists[k], c = cursors[k];
          while (c < l.docs.length && l.docs[c] < doc) c++;
          cursors[k] = c;
          if (c >= l.docs.length || l.docs[c] !== doc) continue outer;
          rows[k][count] = c;
          if (l.tfs[c] < tf) tf = l.tfs[c];
        }
        if (doc >= n) continue;
        at[doc] = count;
        docs[count] = doc;
        tfs[count] = tf;
        normIds[count] = withNorms < 0 ? -1 : lists[withNorms].norms[rows[withNorms][count]];
        count++;
      }
      var exactTf = entries.length === 1;
      return {
        idf: idf, norms: withNorms >= 0, at: at, count: count, list: docs, tfs: tfs, normIds: normIds,
        docs: {
          get: function (doc) {
            var x = doc < n ? at[doc] : -1;
            if (x < 0) return undefined;
            return {
              tf: tfs[x], exact: exactTf, norm: normIds[x],
              rows: lists.map(function (l, k) { return { masks: l.masks, idx: rows[k][x], token: tokens ? tokens[k] : k }; })
            };
          }
        }
      };
    }

    /**
     * Which of a part's token lists (in one field) to fetch: the shortest, and every other one of
     * at most `options.longList` docs (8192; at 0.5–1 byte a doc, one or two doc files' worth).
     * The shortest list holds every doc where the phrase occurs, so at 100k pages a phrase of
     * common bigrams (社会组织) fetches one long list instead of one per bigram. Each further
     * list makes the candidates' bound tighter (the least tf of the fetched tokens), so fewer
     * candidates' texts are checked: on smaller sites that is worth its bytes.
     */
    var longList = options.longList === undefined ? 8192 : options.longList;

    /**
     * The title pairs (export.rs `title_pairs`: bigram `ab` at a position and `bc` at the next
     * give `abc`) a phrase part holds, or null when it is not a run of overlapping Han bigrams.
     */
    function titlePairs(part) {
      var t = part.tokens;
      if (t.length < 2) return null;
      var out = [];
      for (var k = 0; k < t.length; k++) {
        var cs = Array.from(t[k][0]);
        if (cs.length !== 2 || !isHan(cs[0].codePointAt(0)) || !isHan(cs[1].codePointAt(0)) || t[k][1] !== k) return null;
        if (k > 0) {
          var prev = Array.from(t[k - 1][0]);
          if (prev[1] !== cs[0]) return null;
          out.push(prev[0] + prev[1] + cs[1]);
        }
      }
      return out;
    }
    function pickLists(es) {
      var best = 0;
      es.forEach(function (e, k) { if (e.df < es[best].df) best = k; });
      var out = [];
      es.forEach(function (e, k) { if (k === best || e.df <= longList) out.push(k); });
      return out;
    }

    function search(query, opts) {
      opts = opts || {};
      var limit = opts.limit || 10;
      var filters = opts.filters || {};
      var searched = cutQuery(query);
      return manifest().then(function (m) {
        return loadT2s(m, searched.text).then(function () { return pause(opts); }).then(function () { return run(m, searched.text, limit, filters, false, opts); });
      }).then(function (results) {
        // Results say which text was searched when the query was cut.
        results.cut = searched.cut;
        results.searched = searched.text;
        return results;
      });
    }

    /** Matching pages per year, years ascending: [{year, count}], as `zhiku search --by-year`. */
    function byYear(query) {
      var searched = cutQuery(query).text;
      return manifest().then(function (m) {
        return loadT2s(m, searched).then(function () { return run(m, searched, Infinity, {}, true); }).then(function (docs) {
          var years = ((m.facets && m.facets.year) || []).map(function (e) { return e[0]; }).filter(function (y) { return y; });
          years.sort();
          return Promise.all(years.map(function (y) { return facetDocs("year", y); })).then(function (sets) {
            var out = [];
            years.forEach(function (y, i) {
              var n = 0;
              docs.forEach(function (d) { if (sets[i].has(d)) n++; });
              if (n) out.push({ year: y, count: n });
            });
            return out;
          });
        });
      });
    }

    function run(m, query, limit, filters, docsOnly, ctl) {
      var parts = parseQuery(query, t2s);
      if (!parts.length) { var none = []; none.total = 0; none.exact = true; return none; }
      var fieldPairs = parts.map(function (p) { return p.unigram ? [TITLE1, BODY1] : [TITLE, BODY]; });
      // A title list longer than the lists that carry norms in the body (export.rs
      // `carries_norms`; title lists carry them at any length) is bounded through its pairs.
      var longTitle = Math.max(Math.floor(m.docs / 16), 64);

      // Dictionary entries and postings of every token in both fields of its part.
      function entry(term) {
        return shard(m, fnv1a(term) % m.shards).then(function (map) { return map.get(term) || [null, null, null, null]; });
      }
      var entriesP = Promise.all(parts.map(function (p) {
        return Promise.all(p.tokens.map(function (t) { return entry(t[0]); }));
      }));
      // A phrase with a shingle no page holds: no page matches, and no list or page is read.
      var shinglesP = Promise.all(parts.map(function (p) { return mayHoldShingles(m, p); }));
      var filterNames = Object.keys(filters).filter(function (k) { return filters[k] !== undefined && filters[k] !== null && filters[k] !== ""; });
      var allowedP = Promise.all(filterNames.map(function (k) { return facetDocs(k, String(filters[k])); }));
      return Promise.all([entriesP, shinglesP]).then(function (got) {
        var entries = got[0];
        var held = got[1];
        if (!held.every(function (h) { return h.may; })) entries = entries.map(function (es) { return es.map(function () { return [null, null, null, null]; }); });
        var postingsP = Promise.all(parts.map(function (p, pi) {
          return Promise.all(fieldPairs[pi].map(function (fi) {
            var es = entries[pi].map(function (fs) { return fs[fi]; });
            if (es.some(function (e) { return !e; })) return null;
            var pairs = fi === TITLE && titlePairs(p);
            if (pairs && es.some(function (e) { return e.df > longTitle; })) {
              // A bigram in many titles: titles holding the phrase hold each of its pairs,
              // so the candidates come from the pairs' lists, bound by their least tf (the idf
              // stays the bigrams').
              return Promise.all(pairs.map(entry)).then(function (pairEntries) {
                var pes = pairEntries.map(function (fs) { return fs[TITLE]; });
                if (pes.some(function (e) { return !e; })) return null;
                var picked = pickLists(pes);
                return Promise.all(picked.map(function (k) { return postings(pes[k], TITLE); })).then(function (lists) {
                  return fieldCandidates(p, TITLE, es, lists, m.docs, picked);
                });
              });
            }
            var spans = held[pi].spans;
            if (fi === BODY && spans.length && es.every(function (e) { return e.df > longTitle; })) {
              // Every token common (long lists without chunk masks): the pages holding the
              // phrase are among those of its rare spans, whose lists are short.
              return Promise.all(spans.map(function (w) { return entry(w.term); })).then(function (spanEntries) {
                var ses = [], tokens = [];
                spanEntries.forEach(function (fs, k) { if (fs[BODY]) { ses.push(fs[BODY]); tokens.push(spans[k].token); } });
                if (!ses.length) return bodyLists();
                if (ses.some(function (e) { return e.df === 0; })) return null;
                var picked = pickLists(ses);
                return Promise.all(picked.map(function (k) { return postings(ses[k], BODY); })).then(function (lists) {
                  return fieldCandidates(p, BODY, es, lists, m.docs, picked.map(function (k) { return tokens[k]; }));
                });
              });
            }
            return bodyLists();
            function bodyLists() {
              var which = pickLists(es);
              return Promise.all(which.map(function (k) { return postings(es[k], fi); })).then(function (lists) {
                return fieldCandidates(p, fi, es, lists, m.docs, which);
              });
            }
          }));
        }));
        // Norm tables only for fields where no token's list carries the candidates' norms.
        var normsP = postingsP.then(function (perPart) {
          var needed = {};
          perPart.forEach(function (fields, pi) {
            fields.forEach(function (fc, j) { if (fc && !fc.norms) needed[fieldPairs[pi][j]] = true; });
          });
          return Promise.all(Object.keys(needed).map(function (fi) {
            return norms(+fi).then(function (n) { return [+fi, n]; });
          }));
        });
        return Promise.all([postingsP, allowedP, normsP]);
      }).then(function (all) { return pause(ctl).then(function () { return all; }); }).then(function (all) {
        var perPart = all[0], allowed = all[1], normTables = {};
        all[2].forEach(function (x) { normTables[x[0]] = x[1]; });
        function normOf(fi, c, doc) { return c.norm >= 0 ? c.norm : normTables[fi][doc]; }

        // Candidates: docs matching every part in title or body, each with a bound of its score
        // (exact for terms; a phrase occurs at most as often as its rarest token).
        var n = m.docs, reached = new Uint8Array(n);
        perPart.forEach(function (fields, pi) {
          fields.forEach(function (fc) {
            if (!fc) return;
            for (var i = 0; i < fc.count; i++) { var d = fc.list[i]; if (reached[d] === pi) reached[d] = pi + 1; }
          });
        });
        var list = [];
        (perPart[0] || []).forEach(function (fc) {
          if (!fc) return;
          for (var i = 0; i < fc.count; i++) {
            var d = fc.list[i];
            if (reached[d] === parts.length) { reached[d] = 0; list.push(d); }
          }
        });
        if (allowed.length) list = list.filter(function (d) { return allowed.every(function (set) { return set.has(d); }); });

        function partScore(pi, doc, tfs) {
          var s = 0;
          fieldPairs[pi].forEach(function (fi, j) {
            var fc = perPart[pi][j];
            var tf = tfs[j];
            if (!fc || !tf) return;
            s = f(s + fieldScore(fc.idf, tf, m.tf_cache[fi][normOf(fi, fc.docs.get(doc), doc)], m.boost[fi]));
          });
          return s;
        }
        function score(doc, tfsPerPart) {
          var total = 0;
          parts.forEach(function (_, pi) { total = pi === 0 ? partScore(0, doc, tfsPerPart[0]) : f(total + partScore(pi, doc, tfsPerPart[pi])); });
          return total;
        }
        /** The bound of a candidate, in the order and f32 steps of `score`. */
        function bound(doc) {
          var total = 0;
          for (var pi = 0; pi < parts.length; pi++) {
            var s = 0;
            for (var j = 0; j < 2; j++) {
              var fc = perPart[pi][j], x = fc ? fc.at[doc] : -1;
              if (x < 0) continue;
              var fi = fieldPairs[pi][j], norm = fc.normIds[x] >= 0 ? fc.normIds[x] : normTables[fi][doc];
              s = f(s + fieldScore(fc.idf, fc.tfs[x], m.tf_cache[fi][norm], m.boost[fi]));
            }
            total = pi === 0 ? s : f(total + s);
          }
          return total;
        }

        var bounds = new Float64Array(list.length);
        for (var ci = 0; ci < list.length; ci++) bounds[ci] = bound(list[ci]);
        // Best first; only the best few are sorted at first, the rest if the checks reach them.
        function sortedFrom(from) {
          var order = [];
          for (var i = 0; i < list.length; i++) order.push(i);
          if (from > 0) {
            var sortedBounds = Float64Array.from(bounds).sort();
            var cut = sortedBounds[Math.max(0, sortedBounds.length - from)];
            order = order.filter(function (i) { return bounds[i] >= cut; });
          }
          order.sort(function (a, b) { return bounds[b] - bounds[a] || list[a] - list[b]; });
          return order.map(function (i) { return { doc: list[i], bound: bounds[i] }; });
        }
        var head = Math.max(64, 8 * limit);
        var scored = isFinite(head) && list.length > 4 * head ? sortedFrom(head) : sortedFrom(0);
        var partial = scored.length < list.length;
        var allExact = parts.every(function (p) { return p.tokens.length === 1; });

        // Exact frequencies for a doc: phrases are counted in the title and in the chunks that
        // can hold them.
        function exact(doc) {
          var firstPos = -1;
          return Promise.all(parts.map(function (p, pi) {
            return Promise.all(perPart[pi].map(function (fc, j) {
              var c = fc && fc.docs.get(doc);
              if (!c) return 0;
              var field = fieldPairs[pi][j];
              if (c.exact) {
                if (field === BODY && firstPos < 0) firstPos = -2; // a term: position found for the snippet
                return c.tf;
              }
              if (field === TITLE) return titlePhrase(doc, p);
              return bodyPhrase(m, doc, p, c.rows).then(function (r) {
                if (r[0] > 0 && (firstPos < 0 || r[1] < firstPos)) firstPos = r[1];
                return r[0];
              });
            }));
          })).then(function (tfs) {
            var matches = tfs.every(function (pair) { return pair[0] > 0 || pair[1] > 0; });
            return matches ? { doc: doc, score: score(doc, tfs), position: firstPos } : null;
          });
        }

        var results = [], next = 0, verified = 0;
        function kth() { return results.length >= limit ? results[limit - 1] : null; }
        function settled() {
          var k = kth();
          if (next >= scored.length && partial) {
            // The best few are checked: order the rest too (they follow them in the full order).
            scored = sortedFrom(0);
            partial = false;
          }
          if (next >= scored.length) return true;
          if (!k) return false;
          var c = scored[next];
          return c.bound < k.score || (c.bound === k.score && c.doc > k.doc);
        }
        function step() {
          if (allExact) {
            results = scored.map(function (c) { return { doc: c.doc, score: c.bound, position: -2 }; });
            next = scored.length;
            return Promise.resolve();
          }
          if (settled()) return Promise.resolve();
          var batch = scored.slice(next, next + Math.max(4, limit - results.length));
          next += batch.length;
          return pause(ctl).then(function () {
            return Promise.all(batch.map(function (c) { return exact(c.doc); }));
          }).then(function (found) {
            verified += batch.length;
            // A doc that does not hold the query is not needed again: letting it go keeps a
            // query that checks thousands of candidates from holding all their texts.
            found.forEach(function (r, i) { if (r) results.push(r); else delete docCache[batch[i].doc]; });
            results.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
            return step();
          });
        }
        return step().then(function () { return pause(ctl); }).then(function () {
          if (docsOnly) return results.map(function (r) { return r.doc; });
          var top = results.slice(0, limit);
          return Promise.all(top.map(function (r) { return present(m, r, parts, perPart, fieldPairs); })).then(function (out) {
            out.total = allExact ? list.length : results.length + (list.length - next);
            out.exact = allExact || next >= list.length;
            return out;
          });
        });
      });
    }

    /** The first chunk of a doc that holds the (one-token) part, for a list without masks. */
    function firstChunkWith(doc, part) {
      return docFile(doc).then(function (d) {
        for (var k = 0; k < d.chunks.length; k++) if (chunkPositions(d.chunks[k], part)[0].length) return k;
        return 0;
      });
    }

    /** The result object: metadata from the doc's chunk, a snippet around the first match. */
    function present(m, r, parts, perPart, fieldPairs) {
      var k = 0, kP = null;
      if (r.position >= 0) {
        k = Math.floor(r.position / m.chunk_positions);
      } else {
        // A term match: the first chunk that holds a body token of the first matching part.
        for (var pi = 0; pi < parts.length; pi++) {
          var body = perPart[pi][1];
          var c = body && body.docs.get(r.doc);
          if (c && c.rows[0].masks) { k = Math.min(maskBits(c.rows[0].masks[c.rows[0].idx], m.mask_bits)[0] || 0, m.mask_bits - 1); break; }
          if (c && fieldPairs[pi][1] === BODY) { kP = firstChunkWith(r.doc, parts[pi]); break; }
        }
      }
      return (kP || Promise.resolve(k)).then(function (k) { return chunk(r.doc, k); }).catch(function () { return chunk(r.doc, 0); }).then(function (c) {
        return {
          url: c.url, title: c.title, score: r.score, snippet: snippet(c, parts, fieldPairs),
          type: c.type, typeLabel: c.typeLabel, date: c.date, topics: c.topics, region: c.region, doc: r.doc
        };
      });
    }

    function snippet(c, parts, fieldPairs) {
      var BEFORE = 30, LEN = 110;
      var tokens = chunkTokens(c);
      var spans = [];
      parts.forEach(function (p, pi) {
        if (fieldPairs[pi][1] !== BODY) {
          // One-character part: mark the character itself.
          var ch = p.tokens[0][0];
          var folded = foldWithOffsets(c.text, c.t2s);
          for (var x = 0; x < folded.n; x++) if (String.fromCodePoint(folded.code[x]) === ch) spans.push([folded.from[x], folded.to[x]]);
          return;
        }
        var positions = chunkPositions(c, p);
        var rel = p.tokens.map(function (t) { return t[1]; });
        positions[0].forEach(function (start) {
          for (var i = 1; i < positions.length; i++) if (positions[i].indexOf(start + rel[i]) < 0) return;
          var from = Infinity, to = -1;
          tokens.forEach(function (t) {
            var abs = t.position + c.first;
            if (abs >= start && abs <= start + rel[rel.length - 1] && p.tokens.some(function (q) { return q[1] === abs - start && q[0] === t.text; })) {
              from = Math.min(from, t.from); to = Math.max(to, t.to);
            }
          });
          if (to > from) spans.push([from, to]);
        });
      });
      if (!spans.length) return escapeHtml(Array.from(c.summary).slice(0, LEN).join(""));
      spans.sort(function (a, b) { return a[0] - b[0]; });
      var merged = [];
      spans.forEach(function (s) {
        var last = merged[merged.length - 1];
        if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]); else merged.push(s.slice());
      });
      var text = c.text;
      var startCp = Math.max(0, Array.from(text.slice(0, merged[0][0])).length - BEFORE);
      var cps = Array.from(text), start = 0;
      for (var i = 0; i < startCp; i++) start += cps[i].length;
      var end = start, count = 0;
      while (end < text.length && count < LEN) { end += cps[startCp + count].length; count++; }
      var html = start > 0 ? "…" : "", at = start;
      merged.forEach(function (s) {
        if (s[1] <= start || s[0] >= end) return;
        var a = Math.max(s[0], start), b = Math.min(s[1], end);
        html += escapeHtml(text.slice(at, a)) + "<mark>" + escapeHtml(text.slice(a, b)) + "</mark>";
        at = b;
      });
      html += escapeHtml(text.slice(at, end)) + (end < text.length ? "…" : "");
      return html.replace(/\s+/g, " ");
    }

    // The suggestion code (suggest.js) is a file of its own beside this one, loaded the first
    // time a query finds nothing: by a <script> on a page (http and file://), importScripts in
    // a Worker, and through fetch in node. Its name carries a hash of the client (set when the
    // client is served), so a cached client never runs another version's suggestions.
    var suggestP = null;
    function loadSuggest() {
      if (!suggestP) {
        var url = base + SUGGEST_FILE;
        suggestP = new Promise(function (resolve, reject) {
          if (root.zhikuNearby) return resolve();
          if (typeof document !== "undefined") {
            var el = document.createElement("script");
            el.src = url;
            el.onerror = function () { reject(new Error("cannot load " + url)); };
            el.onload = function () { el.remove(); resolve(); };
            document.head.appendChild(el);
          } else if (typeof importScripts === "function") {
            importScripts(url);
            resolve();
          } else {
            resolve((injected || fetch)(url).then(function (r) {
              if (r.ok === false) throw new Error("cannot load " + url + " (" + r.status + ")");
              return r.arrayBuffer();
            }).then(function (b) {
              bytesFetched += b.byteLength;
              new Function(utf8.decode(new Uint8Array(b)))();
            }));
          }
        }).then(function () {
          if (!root.zhikuNearby) throw new Error("no suggestions in " + url);
          return root.zhikuNearby;
        });
        suggestP.catch(function () { suggestP = null; });
      }
      return suggestP;
    }

    // What suggest.js needs from inside this search object.
    var inside = {
      manifest: manifest, loadT2s: loadT2s, t2s: t2s, load: load, shard: shard, postings: postings,
      fieldCandidates: fieldCandidates, titlePhrase: titlePhrase, bodyPhrase: bodyPhrase, search: search,
      parse: function (q) { return parseQuery(q, t2s); },
      foldChar: function (c) { var f = foldWithOffsets(c, t2s); return f.n ? f.code[0] : c.codePointAt(0); },
      fields: function (part) { return part.unigram ? [TITLE1, BODY1] : [TITLE, BODY]; },
      TITLE: TITLE, BODY: BODY
    };

    return {
      search: search,
      /** Queries one character away that find pages, when `query` finds none (suggest.js). */
      suggest: function (q) { return loadSuggest().then(function (nearby) { return nearby(inside, q); }); },
      byYear: byYear,
      manifest: manifest,
      bytesFetched: function () { return bytesFetched; },
      /** How often searches gave the event loop back (`yielding: true`). */
      yields: function () { return yields; },
      parse: function (q) { return manifest().then(function (m) { return loadT2s(m, cutQuery(q).text); }).then(function () { return parseQuery(q, t2s); }); }
    };
  }

  var api = {
    createSearch: createSearch,
    tokenize: function (text, pairs) { return tokenize(text, pairs ? new Map(pairs) : null); },
    parseQuery: function (q, pairs) { return parseQuery(q, pairs ? new Map(pairs) : null); },
    cutQuery: cutQuery,
    isHan: isHan,
    fnv1a: fnv1a,
    Reader: Reader,
    MAX_QUERY_CHARS: MAX_QUERY_CHARS,
    fieldScore: fieldScore,
    escapeHtml: escapeHtml
  };
  root.zhikuSearch = api;
  root.createSearch = createSearch;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
