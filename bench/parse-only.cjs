'use strict';
// The baseline: single-threaded yaml.parseAllDocuments(text).map(d => d.toJS()) over the same files, read the same way.
const fs = require('node:fs');
const path = require('node:path');
const yaml = require('yaml');

const files = [];
const walk = (p) => {
  const st = fs.statSync(p);
  if (st.isDirectory()) {
    for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e));
  } else if (/\.(ya?ml|json)$/i.test(p)) files.push(p);
};
for (const a of process.argv.slice(2)) walk(a);
let docs = 0;
for (const f of files) {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(f));
  docs += yaml.parseAllDocuments(text).map((d) => d.toJS({ maxAliasCount: -1 })).length;
}
process.stdout.write(`${files.length} files, ${docs} documents\n`);
