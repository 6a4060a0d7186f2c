/**
 * `K8S_GOLD_TIMING=1` (as ESLint's `TIMING`): the time each rule spends in its checks (reports, messages and
 * fixes included), summed over the run and printed to stderr as a table when the process exits, the slowest
 * first; `K8S_GOLD_TIMING=all` lists every rule, a number N the N slowest (default 10). Off, it costs one test
 * per check.
 */
import type { ManifestObject, Obj } from '../model/object.js';
import type { AnyRule, RuleContext } from './rule.js';

const setting = process.env.K8S_GOLD_TIMING;
const times: Map<string, { ms: number; checks: number }> | undefined = setting ? new Map() : undefined;

/** Whether rule times are being kept. */
export const timingOn = times !== undefined;

/** Runs one check and adds its time to the rule's total. */
export function timedCheck(rule: AnyRule, obj: ManifestObject<Obj>, ctx: RuleContext<Record<string, unknown>>): void {
  const start = performance.now();
  try {
    rule.check!(obj, ctx);
  } finally {
    const id = rule.meta.id;
    let t = times!.get(id);
    if (!t) times!.set(id, (t = { ms: 0, checks: 0 }));
    t.ms += performance.now() - start;
    t.checks++;
  }
}

/** The table: rule, total milliseconds, share of the rules' time, checks run. */
export function timingTable(): string {
  if (!times) return '';
  const rows = [...times].sort((a, b) => b[1].ms - a[1].ms || (a[0] < b[0] ? -1 : 1));
  const total = rows.reduce((s, [, t]) => s + t.ms, 0);
  const n = setting === 'all' ? rows.length : Number(setting) > 1 ? Number(setting) : 10;
  const width = Math.max(4, ...rows.slice(0, n).map(([id]) => id.length));
  const lines = [`${'Rule'.padEnd(width)} | Time (ms) | Relative | Checks`];
  lines.push(`${'-'.repeat(width)}-|-----------|----------|-------`);
  for (const [id, t] of rows.slice(0, n))
    lines.push(
      `${id.padEnd(width)} | ${t.ms.toFixed(3).padStart(9)} | ${(total ? (100 * t.ms) / total : 0).toFixed(1).padStart(7)}% | ${t.checks}`,
    );
  return `${lines.join('\n')}\n`;
}

if (times) process.on('exit', () => process.stderr.write(timingTable()));
