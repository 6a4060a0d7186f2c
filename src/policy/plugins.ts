/**
 * Plugins: JavaScript modules exporting rules with exactly the built-in rule
 * API (`{ meta, check }`), one rule or an array, as module.exports or the
 * default export.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../config/config.js';
import { AJV_OPTIONS, precompiled } from '../config/precompiled.js';
import { matcherProblems } from '../engine/applies.js';
import { PACKAGE_ROOT } from '../util/layout.js';
import type { AnyRule } from '../engine/rule.js';

const ID = /^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9-]*$/;
const SEVERITIES = ['error', 'warning', 'info'];

function problems(r: unknown): string[] {
  if (r === null || typeof r !== 'object') return [`is ${r === null ? 'null' : typeof r}, not a rule object { meta, check }`];
  const rule = r as { meta?: Record<string, unknown>; check?: unknown };
  const m = rule.meta;
  if (m === null || typeof m !== 'object') return ['has no meta object'];
  const out: string[] = [];
  if (typeof m.id !== 'string' || !ID.test(m.id))
    out.push(`meta.id ${JSON.stringify(m.id)} must be a namespaced kebab-case id such as "acme/no-latest-tag"`);
  if (typeof m.severity !== 'string' || !SEVERITIES.includes(m.severity))
    out.push(`meta.severity ${JSON.stringify(m.severity)} must be one of error, warning, info`);
  for (const k of ['category', 'description', 'rationale', 'remediation'])
    if (typeof m[k] !== 'string' || m[k] === '') out.push(`meta.${k} must be a non-empty string`);
  if (!Array.isArray(m.tags) || m.tags.some((t) => typeof t !== 'string')) out.push('meta.tags must be an array of strings');
  if (m.defaultOptions === null || typeof m.defaultOptions !== 'object' || Array.isArray(m.defaultOptions))
    out.push('meta.defaultOptions must be an object (use {} for none)');
  if (m.kinds !== undefined && (!Array.isArray(m.kinds) || m.kinds.some((k) => typeof k !== 'string')))
    out.push('meta.kinds must be an array of strings');
  if (typeof rule.check !== 'function') out.push('check must be a function (obj, ctx) => void');
  if (out.length === 0) out.push(...metaProblems(m));
  return out;
}

type MetaValidate = ((d: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
let metaValidate: MetaValidate | undefined;

/** Problems with a rule's meta against schemas/rule-meta.schema.json (shared by built-in rules and plugins), and its kind matchers. */
export function metaProblems(meta: unknown): string[] {
  if (!metaValidate) {
    const schema = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'schemas', 'rule-meta.schema.json'), 'utf8')) as object;
    // generated at build time with these options (../config/precompiled.ts), else compiled here
    metaValidate = precompiled('rule-meta', schema);
    if (!metaValidate) {
      const Ajv = (require('ajv') as typeof import('ajv')).default;
      metaValidate = new Ajv({ ...AJV_OPTIONS['rule-meta'] }).compile(schema) as MetaValidate;
    }
  }
  const out: string[] = [];
  if (!metaValidate(meta)) {
    for (const e of metaValidate.errors ?? []) out.push(`meta${e.instancePath.replace(/\//g, '.')} ${e.message ?? 'is invalid'}`);
  }
  const applies = (meta as { appliesTo?: unknown }).appliesTo;
  if (Array.isArray(applies))
    out.push(...matcherProblems(applies.filter((a): a is string => typeof a === 'string')).map((p) => `meta.appliesTo: ${p}`));
  return [...new Set(out)];
}

/** Loads a plugin module (path relative to the config's directory); throws ConfigError naming the file and what is wrong. */
export function loadPlugin(entry: string, baseDir: string): AnyRule[] {
  const abs = path.resolve(baseDir, entry);
  let mod: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(abs);
  } catch (e) {
    const err = e as Error & { code?: string };
    if (err.code === 'MODULE_NOT_FOUND' && err.message.includes(abs)) throw new ConfigError(`plugin ${entry}: no such file: ${abs}`);
    const where = /\n\s+at .*?\(?(\/[^:)]+:\d+:\d+)\)?/.exec(err.stack ?? '')?.[1];
    const syntaxWhere = err instanceof SyntaxError ? /^(\/[^\n]+:\d+)\n/.exec(err.stack ?? '')?.[1] : undefined;
    throw new ConfigError(
      `plugin ${entry} failed to load: ${err.message.split('\n')[0]}`,
      syntaxWhere ? [syntaxWhere] : where ? [where] : [],
    );
  }
  const m = mod as { default?: unknown; __esModule?: boolean };
  const exported = m && typeof m === 'object' && 'default' in m && m.default !== undefined ? m.default : mod;
  const list = Array.isArray(exported) ? exported : [exported];
  if (list.length === 0) throw new ConfigError(`plugin ${entry} exports no rules`);
  const details: string[] = [];
  list.forEach((r, i) => {
    for (const p of problems(r))
      details.push(
        `${entry}: ${Array.isArray(exported) ? `rule ${i}` : 'the rule'}${(r as { meta?: { id?: unknown } })?.meta?.id ? ` (${String((r as { meta: { id: unknown } }).meta.id)})` : ''}: ${p}`,
      );
  });
  if (details.length) throw new ConfigError(`plugin ${entry} does not export valid rules`, details);
  return list as AnyRule[];
}
