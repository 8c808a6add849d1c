// Shared by the node tests: load the client from a built site, with a fetch that reads files.
"use strict";
const fs = require("fs");
const path = require("path");

const publicDir = process.env.ZHIKU_PUBLIC;

function loadClient() {
  if (!publicDir) throw new Error("ZHIKU_PUBLIC must name a built site (run through `cargo test`)");
  return require(path.join(publicDir, "search", "search.js"));
}

/** A fetch over file:// URLs that counts the bytes it returns. */
function fileFetch(counter) {
  return async (url) => {
    const file = decodeURIComponent(new URL(url).pathname);
    let bytes;
    try {
      bytes = fs.readFileSync(file);
    } catch (e) {
      return { ok: false, status: 404, arrayBuffer: async () => new ArrayBuffer(0) };
    }
    if (counter) counter.bytes += bytes.length;
    return { ok: true, status: 200, arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) };
  };
}

function baseUrl() {
  return "file://" + path.join(publicDir, "search") + "/";
}

module.exports = { loadClient, fileFetch, baseUrl, publicDir };
