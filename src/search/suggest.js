/* zhiku suggestions for a query that finds nothing: served as a file of its own next to
 * search.js (`suggest-<hash>.js`), which loads it the first time a query finds nothing. Mirrors
 * src/search/nearby.rs step by step, so the search page and `zhiku search --suggest --json`
 * give the same phrases with the same counts: candidates one character changed, added or
 * dropped, from each character's neighbours in the bigram dictionary (`near/<c/256>/<c>`);
 * the most promising CHECKED of them read their rarest bigrams' doc lists while the run's
 * RUN_ENTRIES allow (count: pages holding the bigrams read) and are kept when one of the first
 * VERIFIED such pages (or of the site, when even the rarest list is too long) holds the phrase. */
(function (root) {
  "use strict";
  var MAX_SUGGESTIONS = 5, CHECKED = 8, LONGEST = 16, VERIFIED = 3, RUN_ENTRIES = 16384;
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

  /** A token's dictionary entries per field (one dictionary shard). */
  function entries(s, m, t) {
    return s.shard(m, api.fnv1a(t) % m.shards).then(function (map) { return map.get(t) || []; });
  }

  /** Title df + body df of a token: from the `near/` files of its characters (already loaded for
   * a bigram of the candidates), else from the dictionary. */
  function docFreq(s, m, near, t) {
    var cs = Array.from(t).map(function (c) { return c.codePointAt(0); });
    if (cs.length === 2 && near[cs[1]]) return Promise.resolve(near[cs[1]].prev.get(cs[0]) || 0);
    if (cs.length === 2 && near[cs[0]]) {
      var hit = near[cs[0]].next.filter(function (xd) { return xd[0] === cs[1]; })[0];
      if (hit) return Promise.resolve(hit[1]);
    }
    return entries(s, m, t).then(function (es) {
      return (es[s.TITLE] ? es[s.TITLE].df : 0) + (es[s.BODY] ? es[s.BODY].df : 0);
    });
  }

  /** Which bigram lists each candidate reads (nearby.rs `check`): rarest first while the next
   * fits in what is left of the run's RUN_ENTRIES, in candidate order. */
  function plan(s, m, near, texts) {
    var left = RUN_ENTRIES, plans = [];
    function next(i) {
      if (i >= texts.length) return Promise.resolve(plans);
      var parts = s.parse(texts[i]);
      if (parts.length !== 1 || parts[0].unigram) return next(i + 1);
      var part = parts[0];
      return Promise.all(part.tokens.map(function (t) { return docFreq(s, m, near, t[0]); })).then(function (dfs) {
        var order = dfs.map(function (df, k) { return [df, k]; });
        order.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
        if (!order.length || order[0][0] === 0) return next(i + 1);
        var read = [];
        for (var k = 0; k < order.length && order[k][0] <= left; k++) {
          left -= order[k][0];
          read.push(part.tokens[order[k][1]][0]);
        }
        plans.push({ text: texts[i], part: part, read: read, rarest: part.tokens[order[0][1]][0] });
        return next(i + 1);
      });
    }
    return next(0);
  }

  /** Docs holding token `t` in the title or the body, ascending. */
  function holders(s, m, t) {
    return entries(s, m, t).then(function (es) {
      return Promise.all([s.TITLE, s.BODY].map(function (fi) { return es[fi] ? s.postings(es[fi], fi) : null; }));
    }).then(function (lists) {
      var all = [];
      lists.forEach(function (l) { if (l) for (var i = 0; i < l.docs.length; i++) all.push(l.docs[i]); });
      all.sort(function (a, b) { return a - b; });
      return all.filter(function (d, i) { return i === 0 || all[i - 1] !== d; });
    });
  }

  /** Whether `doc` holds the phrase `part` in its title or its text. */
  function holds(s, m, part, doc) {
    return s.titlePhrase(doc, part).then(function (tf) {
      if (tf > 0) return true;
      var rows = part.tokens.map(function () { return { masks: null }; });
      return s.bodyPhrase(m, doc, part, rows).then(function (r) { return r[0] > 0; });
    });
  }

  /** {text, count} when the planned candidate is a suggestion, else null. */
  function check(s, m, p) {
    return Promise.all(p.read.map(function (t) { return holders(s, m, t); })).then(function (sets) {
      if (sets.length) {
        var holding = sets[0];
        sets.slice(1).forEach(function (set) {
          var has = new Set(set);
          holding = holding.filter(function (d) { return has.has(d); });
        });
        return { count: holding.length, pages: holding.slice(0, VERIFIED) };
      }
      // The rarest bigram is too common to read: the site's first pages, which most such hold.
      return entries(s, m, p.rarest).then(function (es) {
        var pages = [];
        for (var d = 0; d < Math.min(VERIFIED, m.docs); d++) pages.push(d);
        return { count: Math.max(es[s.TITLE] ? es[s.TITLE].df : 0, es[s.BODY] ? es[s.BODY].df : 0), pages: pages };
      });
    }).then(function (c) {
      if (!c.count) return null;
      function from(i) {
        if (i >= c.pages.length) return null;
        return holds(s, m, p.part, c.pages[i]).then(function (yes) {
          return yes ? { text: p.text, count: c.count } : from(i + 1);
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
    var texts = ordered.slice(0, CHECKED).map(function (e) { return e[1]; });
    return plan(s, m, near, texts).then(function (plans) {
      return Promise.all(plans.map(function (p) { return check(s, m, p); }));
    }).then(function (got) {
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
