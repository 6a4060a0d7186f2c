/**
 * Whether a file is one the repository's `.gitignore` files leave out of version control: a file a kustomization
 * lists that is missing but git-ignored is made by a setup step (`make deploy` writing `params.yaml`), not a defect
 * of the checkout. Git's rules, for the cases repositories use: the `.gitignore` files from the repository root
 * (the nearest directory above that holds `.git`, else the file system root) down to the file's directory, read in
 * order, the last matching pattern deciding; `!` re-includes; a trailing `/` matches directories only; a pattern
 * with a `/` before its end is anchored at its `.gitignore`'s directory, one without matches a name at any depth;
 * a pattern matching a directory above the file ignores the file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { minimatch } from 'minimatch';

interface IgnoreRule {
  /** the `.gitignore` that holds it, and its line as written */
  file: string;
  text: string;
  negate: boolean;
  dirOnly: boolean;
  glob: string;
}

const cache = new Map<string, IgnoreRule[]>();

function rulesOf(gitignore: string): IgnoreRule[] {
  let rules = cache.get(gitignore);
  if (rules) return rules;
  rules = [];
  let text = '';
  try {
    text = fs.readFileSync(gitignore, 'utf8');
  } catch {
    // no .gitignore here
  }
  for (const raw of text.split(/\r?\n/)) {
    let p = raw.replace(/(?<!\\)\s+$/, '');
    if (p === '' || p.startsWith('#')) continue;
    const negate = p.startsWith('!');
    if (negate) p = p.slice(1);
    p = p.replace(/^\\([#!])/, '$1');
    const dirOnly = p.endsWith('/');
    if (dirOnly) p = p.slice(0, -1);
    if (p === '') continue;
    const anchored = p.includes('/');
    if (p.startsWith('/')) p = p.slice(1);
    rules.push({ file: gitignore, text: raw.trim(), negate, dirOnly, glob: anchored ? p : `**/${p}` });
  }
  cache.set(gitignore, rules);
  return rules;
}

/** The repository root above `dir`: the nearest directory holding `.git`, else the file system root. */
function rootOf(dir: string): string {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return d;
  }
}

/**
 * The pattern that git-ignores `abs` (a file or directory, existing or not), as `pattern (in dir/.gitignore)` with
 * the `.gitignore` relative to `base`; undefined when no `.gitignore` ignores it.
 */
export function gitIgnoredBy(abs: string, base: string): string | undefined {
  const dir = path.dirname(abs);
  const root = rootOf(dir);
  const chain: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    chain.unshift(d);
    if (d === root || path.dirname(d) === d) break;
  }
  let decided: IgnoreRule | undefined;
  // the pattern to name: one for the file itself (`.env`) says more than one for a directory above it (`kustomize`)
  let named: IgnoreRule | undefined;
  for (const d of chain) {
    const rel = path.relative(d, abs).split(path.sep).join('/');
    const parts = rel.split('/');
    const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    for (const rule of rulesOf(path.join(d, '.gitignore'))) {
      // the path itself (a file, unless the rule is for directories), or a directory above it below `d`
      const self = !rule.dirOnly && minimatch(rel, rule.glob, { dot: true });
      if (!self && !candidates.slice(0, -1).some((c) => minimatch(c, rule.glob, { dot: true }))) continue;
      decided = rule;
      if (self && !rule.negate) named = rule;
    }
  }
  if (!decided || decided.negate) return undefined;
  const shown = named ?? decided;
  const where = path.relative(base, shown.file).split(path.sep).join('/');
  return `${shown.text} in ${where}`;
}
