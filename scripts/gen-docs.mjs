// Regenerates docs/rules/ from rule metadata and fixtures (run `npm run build` first; `npm run docs` does both).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { generateDocs } = require(path.join(root, 'dist/src/docs.js'));
const { RuleRegistry } = require(path.join(root, 'dist/src/engine/registry.js'));

const outDir = path.join(root, 'docs/rules');
fs.mkdirSync(outDir, { recursive: true });
const docs = generateDocs(new RuleRegistry());
for (const f of fs.readdirSync(outDir)) if (f.endsWith('.md') && !docs.has(f)) fs.unlinkSync(path.join(outDir, f));
for (const [name, text] of docs) fs.writeFileSync(path.join(outDir, name), text);
console.log(`wrote ${docs.size} files to docs/rules/`);
