import * as path from 'node:path';
import { fileFindings } from '../engine/finding.js';
import type { AnyFormatter, FindingsFormatter, FormatContext, Formatter, StreamFormatter } from './types.js';

/** Built-in formatters, loaded on demand. */
export const FORMATS = ['stylish', 'json', 'sarif', 'github', 'junit'] as const;

/**
 * A built-in formatter that reads each file's Findings, by name: stylish, sarif, github, junit. `json`
 * prints ESLint's LintResult and is not one (the CLI makes those at that edge).
 */
export function findingsFormatter(name: string): FindingsFormatter | undefined {
  switch (name) {
    case 'stylish':
      return (require('./stylish.js') as typeof import('./stylish.js')).stylish;
    case 'sarif':
      return (require('./sarif.js') as typeof import('./sarif.js')).sarif;
    case 'github':
      return (require('./github.js') as typeof import('./github.js')).github;
    case 'junit':
      return (require('./junit.js') as typeof import('./junit.js')).junit;
    default:
      return undefined;
  }
}

/**
 * A built-in formatter by name, in ESLint's shape (LintResult[] in): json as it is, the others reading
 * the Findings of each result (`fileFindings`).
 */
export function loadFormatter(name: string): Formatter | undefined {
  if (name === 'json') return (require('./json.js') as typeof import('./json.js')).json;
  const f = findingsFormatter(name);
  if (!f) return undefined;
  return (results, ctx) => f(results.map(fileFindings), ctx);
}

/** The built-in formats that read Findings and stream their output, by name (json streams at the CLI's edge; stylish through writeStylish). */
export function loadStreamFormatter(name: string): StreamFormatter | undefined {
  switch (name) {
    case 'sarif': {
      const { writeSarif } = require('./sarif.js') as typeof import('./sarif.js');
      return (files, ctx, write) => {
        writeSarif(files, ctx, write);
      };
    }
    case 'github':
      return (require('./github.js') as typeof import('./github.js')).writeGithub;
    case 'junit':
      return (require('./junit.js') as typeof import('./junit.js')).writeJunit;
    default:
      return undefined;
  }
}

export class FormatterLoadError extends Error {}

/**
 * A formatter by name, as ESLint resolves them: a built-in name; a path
 * (`./my-formatter.js`, absolute); or a package, tried as
 * `k8s-gold-formatter-<name>` (`@scope/k8s-gold-formatter[-name]`) and then
 * as given (so ESLint formatter packages work), resolved from `cwd`. The
 * module exports `(results, context) => string | Promise<string>` (or
 * `{ default: fn }`); `results` is the same array `--format json` prints.
 */
export function resolveFormatter(name: string, cwd: string): AnyFormatter {
  const builtin = loadFormatter(name);
  if (builtin) return builtin;
  const isPath = name.startsWith('.') || path.isAbsolute(name) || (/[\\/]/.test(name) && !name.startsWith('@'));
  const candidates: string[] = [];
  if (isPath) candidates.push(path.resolve(cwd, name));
  else if (name.startsWith('@')) {
    const [scope, rest] = name.split('/', 2) as [string, string | undefined];
    if (!rest) candidates.push(`${scope}/k8s-gold-formatter`);
    else if (!rest.startsWith('k8s-gold-formatter')) candidates.push(`${scope}/k8s-gold-formatter-${rest}`);
    candidates.push(name);
  } else {
    if (!name.startsWith('k8s-gold-formatter-')) candidates.push(`k8s-gold-formatter-${name}`);
    candidates.push(name);
  }
  for (const c of candidates) {
    let resolved: string;
    try {
      resolved = require.resolve(c, { paths: [cwd] });
    } catch {
      continue;
    }
    let mod: unknown;
    try {
      mod = require(resolved);
    } catch (e) {
      throw new FormatterLoadError(`cannot load formatter "${name}" (${resolved}): ${(e as Error).message}`);
    }
    const fn = typeof mod === 'function' ? mod : (mod as { default?: unknown } | null)?.default;
    if (typeof fn !== 'function')
      throw new FormatterLoadError(`formatter "${name}" (${resolved}) does not export a function (results, context) => string`);
    return fn as AnyFormatter;
  }
  throw new FormatterLoadError(
    `unknown format "${name}"; use one of ${FORMATS.join(', ')}, a path to a formatter module, or an installed formatter package`,
  );
}

/** ESLint's formatter context fields, for ESLint formatters: rulesMeta by rule id. */
export function rulesMeta(ctx: FormatContext): NonNullable<FormatContext['rulesMeta']> {
  const { helpUri } = require('../engine/rule.js') as typeof import('../engine/rule.js');
  const out: NonNullable<FormatContext['rulesMeta']> = {};
  for (const r of ctx.registry.all()) {
    out[r.meta.id] = {
      type: r.meta.severity === 'error' ? 'problem' : 'suggestion',
      docs: { description: r.meta.description, url: helpUri(r.meta) },
    };
  }
  return out;
}
