/**
 * `--fix`: lint, apply the fixes that do not conflict, lint again, up to 10
 * passes (as ESLint), all in memory. Files with a syntax error or that could
 * not be read are never fixed; a pass whose result no longer parses cleanly
 * is dropped for that file.
 */
import type { FindingsRun, LintOptions } from '../engine/linter.js';
import type { Finding } from '../engine/finding.js';
import { applyFixes } from './apply.js';

export const MAX_FIX_PASSES = 10;

export interface FixedFile {
  /** reported path */
  display: string;
  abs: string;
  original: string;
  output: string;
  /** fixes applied over all passes */
  fixes: number;
}

export interface FixRun {
  /** the run after the last pass: what remains */
  run: FindingsRun;
  /** files whose text changed, in reported-path order */
  fixed: FixedFile[];
  passes: number;
  notes: string[];
}

export function lintAndFix(lint: (o: LintOptions) => FindingsRun, opts: LintOptions, shouldFix: (f: Finding) => boolean): FixRun {
  const overrides = new Map<string, string>(opts.overrides ?? []);
  const originals = new Map<string, { display: string; text: string; fixes: number }>();
  const broken = new Set<string>();
  const notes: string[] = [];
  let run = lint({ ...opts, overrides });
  let passes = 0;
  const seen = new Map<string, Set<string>>();
  while (passes < MAX_FIX_PASSES) {
    let changed = false;
    for (const r of run.results) {
      const src = run.sources?.get(r.filePath);
      if (!src || broken.has(src.abs)) continue;
      // a file that was not (fully) linted: a syntax error, unreadable, an internal error
      if (r.findings.some((f) => f.kind !== 'rule') || r.suppressed.some((f) => f.kind !== 'rule')) {
        if (originals.has(src.abs)) {
          // a fix produced text that no longer parses: keep the file as it was
          broken.add(src.abs);
          overrides.set(src.abs, originals.get(src.abs)!.text);
          originals.delete(src.abs);
          notes.push(`${r.filePath}: the fixes did not leave valid YAML, so the file was not fixed; please report this`);
          changed = true;
        }
        continue;
      }
      const { output, applied } = applyFixes(src.text, r.findings, shouldFix);
      if (applied.length === 0) continue;
      let texts = seen.get(src.abs);
      if (!texts) seen.set(src.abs, (texts = new Set([src.text])));
      if (texts.has(output)) continue; // a fix that does not converge
      texts.add(output);
      const o = originals.get(src.abs) ?? { display: r.filePath, text: src.text, fixes: 0 };
      o.fixes += applied.length;
      originals.set(src.abs, o);
      overrides.set(src.abs, output);
      changed = true;
    }
    if (!changed) break;
    passes++;
    run = lint({ ...opts, overrides });
  }
  const fixed: FixedFile[] = [];
  for (const [abs, o] of originals) {
    const output = overrides.get(abs)!;
    if (output !== o.text) fixed.push({ display: o.display, abs, original: o.text, output, fixes: o.fixes });
  }
  fixed.sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
  return { run, fixed, passes, notes };
}
