/**
 * Glob inputs: `k8s-gold lint 'deploy/**\/*.yaml'` when the shell did not expand it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { minimatch } from 'minimatch';

export const GLOB_CHARS = /[*?[\]{}]/;

/** Expands a glob relative to cwd by walking its static prefix. */
export function expandGlob(pattern: string, cwd: string): string[] {
  const norm = pattern.split(path.sep).join('/');
  const parts = norm.split('/');
  const staticParts: string[] = [];
  for (const p of parts) {
    if (GLOB_CHARS.test(p)) break;
    staticParts.push(p);
  }
  const root = path.resolve(cwd, staticParts.join('/') || '.');
  const absPattern = path.resolve(cwd, norm).split(path.sep).join('/');
  const out: string[] = [];
  const visited = new Set<string>();
  const rec = (dir: string): void => {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch {
      return;
    }
    if (visited.has(real)) return;
    visited.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === 'node_modules' || e.name === '.git') continue;
      const p = path.join(dir, e.name);
      const posix = p.split(path.sep).join('/');
      if (minimatch(posix, absPattern, { dot: false })) out.push(p);
      let isDir = e.isDirectory();
      if (e.isSymbolicLink()) {
        try {
          isDir = fs.statSync(p).isDirectory();
        } catch {
          isDir = false;
        }
      }
      if (isDir) rec(p);
    }
  };
  rec(root);
  return out.sort();
}
