/**
 * Data files (src/data/*.json) are read lazily at run time, from src/ or
 * beside dist/ (package.json `files` ships src/data/).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const cache = new Map<string, unknown>();

export function loadData<T>(name: string): T {
  let v = cache.get(name);
  if (v === undefined) {
    const candidates = [path.join(__dirname, name), path.join(__dirname, '../../../src/data', name)];
    const file = candidates.find((c) => fs.existsSync(c)) ?? candidates[0]!;
    v = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    cache.set(name, v);
  }
  return v as T;
}
