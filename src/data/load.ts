/**
 * Data files (src/data/*.json) are read lazily at run time, from src/data/
 * in every layout (package.json `files` ships src/data/).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PACKAGE_ROOT } from '../util/layout.js';

const cache = new Map<string, unknown>();

export function loadData<T>(name: string): T {
  let v = cache.get(name);
  if (v === undefined) {
    v = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'src', 'data', name), 'utf8')) as unknown;
    cache.set(name, v);
  }
  return v as T;
}
