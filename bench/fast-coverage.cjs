'use strict';
// How many files the fast reader (dist/src/parse/fast.js) accepts; the rest go to the yaml parser.
//   node bench/fast-coverage.cjs <paths...>  →  {"files": n, "fast": k, "bytes": b, "fastBytes": fb}
const fs = require('node:fs');
const path = require('node:path');
const { fastParse } = require('../dist/src/parse/fast.js');

const files = [];
const walk = (p) => {
  const st = fs.statSync(p);
  if (st.isDirectory()) {
    for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e));
  } else if (/\.(ya?ml|json)$/i.test(p)) files.push(p);
};
for (const a of process.argv.slice(2)) walk(a);
const out = { files: files.length, fast: 0, bytes: 0, fastBytes: 0 };
for (const f of files) {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(f));
  out.bytes += text.length;
  if (fastParse(text, { json: f.toLowerCase().endsWith('.json') })) {
    out.fast++;
    out.fastBytes += text.length;
  }
}
process.stdout.write(JSON.stringify(out) + '\n');
