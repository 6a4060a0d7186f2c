// Regenerates docs/rules/ and docs/migration/ from rule metadata, fixtures and src/data/migration.json
// (run `npm run build` first; `npm run docs` does both).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { generateDocs, generateMigrationDocs } = require(path.join(root, 'dist/src/docs.js'));
const { RuleRegistry } = require(path.join(root, 'dist/src/engine/registry.js'));

function write(dir, docs) {
  const outDir = path.join(root, dir);
  fs.mkdirSync(outDir, { recursive: true });
  for (const f of fs.readdirSync(outDir)) if (f.endsWith('.md') && !docs.has(f)) fs.unlinkSync(path.join(outDir, f));
  for (const [name, text] of docs) fs.writeFileSync(path.join(outDir, name), text);
  console.log(`wrote ${docs.size} files to ${dir}/`);
}

const registry = new RuleRegistry();
write('docs/rules', generateDocs(registry));
const migration = JSON.parse(fs.readFileSync(path.join(root, 'src/data/migration.json'), 'utf8'));
write('docs/migration', generateMigrationDocs(registry, migration));
