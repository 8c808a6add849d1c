/* zhiku suggestions for a query that finds nothing, appended to search.js. Mirrors
 * src/search/nearby.rs step by step, so the search page and `zhiku search --suggest --json`
 * give the same phrases with the same counts: candidates one character changed, added or
 * dropped, from each character's neighbours in the bigram dictionary (`near/<c/256>/<c>`),
 * the most promising CHECKED of them looked up in the dictionary (count: pages holding all of
 * their bigrams) and kept when one of their first VERIFIED such pages holds the phrase. */
(function (root) {
  "use strict";
  var MAX_SUGGESTIONS = 5, CHECKED = 8, LONGEST = 16, VERIFIED = 3;
  var api = root.zhikuSearch;

  /** Code point order (Rust compares strings by UTF-8 bytes: the same order). */
  function cmp(a, b) {
    var x = Array.from(a), y = Array.from(b);
    for (var i = 0; i < x.length && i < y.length; i++) {
      var d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d) return d;
    }
    return x.length - y.length;
  }
  function utf8Length(s) {
    var n = 0;
    Array.from(s).forEach(function (c) { var p = c.codePointAt(0); n += p < 0x80 ? 1 : p < 0x800 ? 2 : p < 0x10000 ? 3 : 4; });
    return n;
  }

  /** A character's neighbours (nearby.rs encode_neighbours): followers [[c, df]] and preceders. */
  function neighbours(s, c) {
    var cache = s.nearCache || (s.nearCache = {});
    if (!cache[c]) {
      cache[c] = s.load("near/" + Math.floor(c / 256) + "/" + c).then(function (bytes) {
        var r = new api.Reader(bytes), next = [], prev = new Map(), n = r.varint(), i;
        for (i = 0; i < n; i++) next.push([r.varint(), r.varint()]);
        n = r.varint();
        for (var last = 0; n > 0; n--) { last += r.varint(); prev.set(last, r.varint()); }
        return { next: next, prev: prev };
      }, function () {
        // A character in no bigram has no file.
        return { next: [], prev: new Map() };
      });
    }
    return cache[c];
  }

  /** Pages holding every token of every part (title or body field), ascending, and per part
   * and field the candidates (as search.js fieldCandidates gives them). */
  function bound(s, m, parts) {
    return Promise.all(parts.map(function (p) {
      return Promise.all(s.fields(p).map(function (fi) {
        return Promise.all(p.tokens.map(function (t) {
          return s.shard(m, api.fnv1a(t[0]) % m.shards).then(function (map) { return (map.get(t[0]) || [])[fi] || null; });
        })).then(function (es) {
          if (es.some(function (e) { return !e; })) return null;
          return Promise.all(es.map(function (e) { return s.postings(e, fi); })).then(function (lists) {
            return s.fieldCandidates(p, fi, es, lists, m.docs);
          });
        });
      }));
    })).then(function (perPart) {
      var all = null;
      perPart.forEach(function (fields) {
        var docs = new Set();
        fields.forEach(function (fc) { if (fc) for (var i = 0; i < fc.count; i++) docs.add(fc.list[i]); });
        all = all === null ? docs : new Set(Array.from(all).filter(function (d) { return docs.has(d); }));
      });
      var docs = Array.from(all || []).sort(function (a, b) { return a - b; });
      return { docs: docs, perPart: perPart };
    });
  }

  /** Whether `doc` holds every part (its phrase, not only its bigrams) in title or body. */
  function holds(s, m, parts, perPart, doc) {
    return Promise.all(parts.map(function (p, pi) {
      var fields = s.fields(p);
      return Promise.all(perPart[pi].map(function (fc, j) {
        var c = fc && fc.docs.get(doc);
        if (!c) return 0;
        if (c.exact) return c.tf;
        if (fields[j] === s.TITLE) return s.titlePhrase(doc, p);
        return s.bodyPhrase(m, doc, p, c.rows).then(function (r) { return r[0]; });
      }));
    })).then(function (tfs) {
      return tfs.every(function (pair) { return pair.some(function (tf) { return tf > 0; }); });
    });
  }

  /** {text, count} when `text` is a suggestion, else null. */
  function check(s, m, text) {
    var parts = s.parse(text);
    return bound(s, m, parts).then(function (b) {
      if (!b.docs.length) return null;
      var first = b.docs.slice(0, VERIFIED);
      function from(i) {
        if (i >= first.length) return null;
        return holds(s, m, parts, b.perPart, first[i]).then(function (yes) {
          return yes ? { text: text, count: b.docs.length } : from(i + 1);
        });
      }
      return from(0);
    });
  }

  function nearby(s, query) {
    var chars = Array.from(api.cutQuery(query).text.trim());
    if (chars.length < 2 || chars.length > LONGEST || !chars.every(function (c) { return api.isHan(c.codePointAt(0)); })) {
      return Promise.resolve([]);
    }
    return s.search(query, { limit: 1 }).then(function (found) {
      if (found.length) return [];
      return s.manifest().then(function (m) {
        var folded = chars.map(function (c) { return s.foldChar(c); });
        var wanted = {};
        folded.forEach(function (c) { wanted[c] = neighbours(s, c); });
        var codes = Object.keys(wanted);
        return Promise.all(codes.map(function (c) { return wanted[c]; })).then(function (lists) {
          var near = {};
          codes.forEach(function (c, i) { near[c] = lists[i]; });
          return candidates(s, m, chars, folded, near);
        });
      });
    });
  }

  function candidates(s, m, chars, folded, near) {
    function df(a, b) { return near[b].prev.get(a) || 0; }
    var byKey = new Map();
    function add(shown, b) {
      var text = shown.join("");
      var key = shown.map(function (c) { return String.fromCodePoint(s.foldChar(c)); }).join("");
      var e = byKey.get(key);
      if (!e) byKey.set(key, e = [0, text]);
      e[0] = Math.max(e[0], b);
    }
    var n = chars.length;
    for (var i = 0; i < n; i++) {
      if (n > 2) {
        var dropped = chars.slice(0, i).concat(chars.slice(i + 1));
        var b = i > 0 && i + 1 < n ? df(folded[i - 1], folded[i + 1]) : 1;
        if (b > 0) add(dropped, b);
      }
      if (i > 0) {
        near[folded[i - 1]].next.forEach(function (xd) {
          var x = xd[0], d = xd[1], ch = String.fromCodePoint(x);
          if (x === folded[i]) return;
          var changed = i + 1 < n ? Math.min(d, df(x, folded[i + 1])) : d;
          if (changed > 0) add(chars.slice(0, i).concat([ch], chars.slice(i + 1)), changed);
          var added = Math.min(d, df(x, folded[i]));
          if (added > 0) add(chars.slice(0, i).concat([ch], chars.slice(i)), added);
        });
      }
    }
    near[folded[n - 1]].next.forEach(function (xd) { add(chars.concat([String.fromCodePoint(xd[0])]), xd[1]); });
    var ordered = Array.from(byKey.values());
    ordered.sort(function (a, b) { return b[0] - a[0] || cmp(a[1], b[1]); });
    return Promise.all(ordered.slice(0, CHECKED).map(function (e) { return check(s, m, e[1]); })).then(function (got) {
      var found = got.filter(Boolean);
      var fold = function (t) { return Array.from(t).map(function (c) { return String.fromCodePoint(s.foldChar(c)); }).join(""); };
      var longer = found.map(function (x) { return [fold(x.text), x.count]; });
      found = found.filter(function (x) {
        var key = fold(x.text);
        return !longer.some(function (l) { return utf8Length(l[0]) > utf8Length(key) && l[0].indexOf(key) >= 0 && l[1] * 2 >= x.count; });
      });
      found.sort(function (a, b) { return b.count - a.count || cmp(a.text, b.text); });
      return found.slice(0, MAX_SUGGESTIONS);
    });
  }

  root.zhikuNearby = nearby;
})(typeof globalThis !== "undefined" ? globalThis : this);
