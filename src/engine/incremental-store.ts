/**
 * The incremental cache's state file (`<cache>.inc`): read, used for one run, written back. The state is
 * stored with V8's serializer, which keeps every value a YAML parse yields (NaN, ±Infinity, -0, large
 * integers) exactly, as stand-in objects must read like the parsed ones.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import { INCREMENTAL_FORMAT, Incremental, IncrementalRestart, type IncrementalState } from './incremental.js';
import type { LintRun } from './linter.js';

/** Lints through the incremental cache at `file`; a missing, stale or corrupt state lints afresh (and records). */
export function runIncremental(
  file: string,
  key: string,
  hashes: Record<string, string>,
  inputs: ReadonlySet<string>,
  lint: (inc?: Incremental) => LintRun,
  write: (file: string, data: Buffer) => void,
): LintRun {
  const others: Record<string, string> = {};
  for (const [k, v] of Object.entries(hashes)) if (!inputs.has(k)) others[k] = v;
  const othersDigest = crypto.createHash('sha256').update(JSON.stringify(others)).digest('hex');
  let prev: IncrementalState | undefined;
  try {
    const s = v8.deserialize(fs.readFileSync(file)) as IncrementalState;
    if (s && s.format === INCREMENTAL_FORMAT && s.key === key && s.others === othersDigest) prev = s;
  } catch {
    // no usable state: lint afresh
  }
  let inc = new Incremental(prev, key, othersDigest, hashes);
  let run: LintRun;
  try {
    run = lint(inc);
  } catch (e) {
    if (!(e instanceof IncrementalRestart)) throw e;
    inc = new Incremental(undefined, key, othersDigest, hashes);
    run = lint(inc);
  }
  lastStats = inc.stats;
  const state = inc.state();
  if (state && run.internalErrors.length === 0) write(file, v8.serialize(state));
  else {
    try {
      fs.unlinkSync(file);
    } catch {
      // none
    }
  }
  return run;
}

/** What the last incremental run did (files read afresh, re-checked, replayed; checks run), for tests and the bench. */
export let lastStats: Incremental['stats'] | undefined;
