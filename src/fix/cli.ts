/** `--fix`, `--fix-dry-run` and `--fix-type` for the command line: which fixes, writing files, the diff. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RuleRegistry } from '../engine/registry.js';
import type { Finding } from '../engine/finding.js';
import type { FixedFile } from './run.js';

/** The `--fix-type` values: the categories and tags of the fixable rules. */
export function fixTypesOf(registry: RuleRegistry): string[] {
  const out = new Set<string>();
  for (const r of registry.all()) {
    if (!r.meta.fixable) continue;
    out.add(r.meta.category);
    for (const t of r.meta.tags) out.add(t);
  }
  return [...out].sort();
}

/** Which findings' fixes to apply: every one, or those of rules whose category or tags name a `--fix-type`; errors only with --quiet. */
export function fixFilter(registry: RuleRegistry, types: readonly string[], errorsOnly: boolean): (f: Finding) => boolean {
  return (m) => {
    if (errorsOnly && m.severity !== 'error') return false;
    if (types.length === 0) return true;
    const meta = registry.get(m.ruleId)?.meta;
    if (!meta) return false;
    return types.includes(meta.category) || meta.tags.some((t) => types.includes(t));
  };
}

/**
 * Writes the fixed files atomically (a temporary file in the same directory,
 * renamed over the original, with the original's mode). A file whose bytes
 * changed since it was linted is left alone. A byte-order mark is kept.
 * Returns notes for the files not written.
 */
export function writeFixes(files: readonly FixedFile[]): string[] {
  const notes: string[] = [];
  for (const f of files) {
    let raw: Buffer;
    let mode: number;
    let target: string;
    try {
      // a symbolic link stays a link: its target is written
      target = fs.realpathSync(f.abs);
      raw = fs.readFileSync(target);
      mode = fs.statSync(target).mode & 0o7777;
    } catch (e) {
      notes.push(`${f.display}: not fixed: cannot read it again (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      continue;
    }
    const bom = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf;
    if (raw.toString('utf8', bom ? 3 : 0) !== f.original) {
      notes.push(`${f.display}: not fixed: the file changed while k8s-gold was fixing it`);
      continue;
    }
    const tmp = path.join(path.dirname(target), `.${path.basename(target)}.k8s-gold-fix-${process.pid}.tmp`);
    try {
      const fd = fs.openSync(tmp, 'wx', mode);
      try {
        fs.writeFileSync(fd, (bom ? '\ufeff' : '') + f.output);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, target);
    } catch (e) {
      try {
        fs.unlinkSync(tmp);
      } catch {
        // nothing to clean up
      }
      notes.push(`${f.display}: not fixed: cannot write it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  return notes;
}

/** The fixes as one unified diff (a/ and b/ prefixes, as git). */
export function dryRunDiff(files: readonly FixedFile[]): string {
  const { createTwoFilesPatch } = require('diff') as typeof import('diff');
  let out = '';
  for (const f of files) {
    const patch = createTwoFilesPatch(
      `a/${f.display.replace(/^\/+/, '')}`,
      `b/${f.display.replace(/^\/+/, '')}`,
      f.original,
      f.output,
      undefined,
      undefined,
      { context: 3 },
    );
    // drop the "====" header line jsdiff puts first
    out += patch.replace(/^={3,}\n/, '');
  }
  return out;
}
