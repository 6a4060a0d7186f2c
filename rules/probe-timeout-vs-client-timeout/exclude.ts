/** Which containers the rule leaves out (`exclude` option and its defaults): container and image names, normalised and matched once per option set. */
import type { Options } from './index.js';
import { memoizeString } from '../../src/util/memo.js';

export const DEFAULT_EXCLUDE = [
  'SHUTDOWN',
  'IDLE',
  'GRACE',
  'KEEP_ALIVE',
  'TERMINATION',
  'DRAIN',
  'WRITE',
  'STARTUP',
  'LEASE',
  'LOCK',
  'SESSION',
  'CACHE',
  'TTL',
  'HEARTBEAT',
  'INACTIVITY',
  'LINGER',
  'RETRY',
  'EXPIR',
  'RECONCIL',
  'RESYNC',
  // an operator's whole-operation timeout (STRIMZI_OPERATION_TIMEOUT_MS: waiting for a rolling update), not a read its health endpoint waits on
  'OPERATION',
  // a whole unit of work the application runs (Harbor's SCANNER_TRIVY_TIMEOUT: one image scan), not a call its health endpoint waits on
  'SCAN',
  'JOB',
  'TASK',
  'BUILD',
  'BACKUP',
  'RESTORE',
  'UPLOAD',
  'DOWNLOAD',
  // a probe's timeout the application sets or runs (faas-netes' readiness_probe_timeout_seconds for the function pods it creates), not a call it waits on
  'PROBE',
];

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** UPPER_SNAKE form of a variable or flag name: `readTimeout`, `read-timeout` → READ_TIMEOUT. */
export const normalizeName: (name: string) => string = memoizeString((name) => normalizeUncached(name));

function normalizeUncached(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}

const excluders = new Map<string, (normalized: string) => string | undefined>();

/** excluder() memoised by the word list (the regular expressions are built once per configuration). */
function cachedExcluder(words: unknown[]): (normalized: string) => string | undefined {
  const key = JSON.stringify(words);
  let ex = excluders.get(key);
  if (!ex) excluders.set(key, (ex = excluder(words as string[])));
  return ex;
}

function excluder(words: string[]): (normalized: string) => string | undefined {
  const res = words
    .filter((w) => typeof w === 'string' && w !== '')
    .map((w) => ({ w, re: new RegExp(`(?:^|_)${escapeRe(normalizeName(w)).replace(/_/g, '_?')}`) }));
  // per name: the same variable and flag names recur across objects (bounded, so a huge input cannot grow it without limit)
  const memo = new Map<string, string | undefined>();
  return (n) => {
    if (memo.has(n)) return memo.get(n);
    if (memo.size >= 10000) memo.clear();
    const w = res.find((r) => r.re.test(n))?.w;
    memo.set(n, w);
    return w;
  };
}

interface Prepared {
  suffixes: string[];
  msSuffixes: string[];
  excluded: (normalized: string) => string | undefined;
  flagRe: RegExp;
}

/** The options in the form check() uses, computed once per options object (they do not change during a run). */
const preparedOptions = new WeakMap<object, Prepared>();
export function prepare(o: Options): Prepared {
  let p = preparedOptions.get(o);
  if (p) return p;
  const suffixes = o.envSuffixes.filter((s) => s !== '').map((s) => s.toUpperCase());
  const msSuffixes = o.millisecondSuffixes.filter((s) => s !== '').map((s) => s.toUpperCase());
  const excluded = cachedExcluder(o.exclude);
  // a valid regular expression: the options schema says format: regex
  const flagRe = new RegExp(o.flagNamePattern, 'i');
  p = { suffixes, msSuffixes, excluded, flagRe };
  preparedOptions.set(o, p);
  return p;
}
