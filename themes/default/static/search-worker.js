/* The search client off the page's main thread (search-box.js): the first message names the
 * search folder, each later one asks a query; answers carry the asking id. */
"use strict";
var engine = null;
onmessage = function (e) {
  var m = e.data;
  if (m.base) {
    importScripts(m.base + "search.js");
    engine = self.zhikuSearch.createSearch({ base: m.base });
    return;
  }
  engine.search(m.q, { limit: m.limit }).then(function (r) {
    var results = Array.prototype.map.call(r, function (x) {
      return { url: x.url, title: x.title, type: x.type, typeLabel: x.typeLabel, date: x.date };
    });
    // Nothing found: phrases one character away that find pages.
    return (r.length ? Promise.resolve([]) : engine.suggest(m.q)).then(function (suggestions) {
      postMessage({ id: m.id, results: results, total: r.total, exact: r.exact, suggestions: suggestions });
    });
  }).catch(function (err) {
    postMessage({ id: m.id, error: String(err && err.message || err) });
  });
};
