/**
 * Compiling a label selector as apimachinery's LabelSelectorAsSelector does: each field and
 * requirement checked, with the problem (and a did-you-mean) that makes it select nothing.
 */
import type { SelectorProblem } from './selector.js';

export const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
export type SelectorOperator = (typeof SELECTOR_OPERATORS)[number];

export type Requirement = { key: string; op: 'In' | 'NotIn'; values: ReadonlySet<string> } | { key: string; op: 'Exists' | 'DoesNotExist' };

export const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// --- label syntax (k8s.io/apimachinery/pkg/util/validation) ----------------

const QUALIFIED_NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Problems with a label key (IsQualifiedName); empty when valid. */
export function labelKeyProblems(key: string): string[] {
  const parts = key.split('/');
  let name: string;
  const out: string[] = [];
  if (parts.length === 1) {
    name = key;
  } else if (parts.length === 2) {
    const prefix = parts[0] as string;
    name = parts[1] as string;
    if (prefix.length === 0) out.push('prefix part must be non-empty');
    else if (prefix.length > 253) out.push('prefix part must be no more than 253 characters');
    else if (!DNS1123_SUBDOMAIN_RE.test(prefix)) out.push('prefix part must be a lowercase RFC 1123 subdomain (e.g. example.com)');
  } else {
    return ['a qualified name must consist of an optional DNS subdomain prefix and "/" and a name'];
  }
  if (name.length === 0) out.push('name part must be non-empty');
  else if (name.length > 63) out.push('name part must be no more than 63 characters');
  else if (!QUALIFIED_NAME_RE.test(name))
    out.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
  return out;
}

/** Problems with a label value (IsValidLabelValue); empty when valid. */
export function labelValueProblems(value: string): string[] {
  if (value.length > 63) return ['must be no more than 63 characters'];
  if (value !== '' && !QUALIFIED_NAME_RE.test(value))
    return ["must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"];
  return [];
}

// --- scalar coercion --------------------------------------------------------

type Coerced = { ok: true; value: string; note?: string } | { ok: false };

/** String form of a YAML scalar, as used for matching (see module comment). */
export function coerceScalar(v: unknown): Coerced {
  switch (typeof v) {
    case 'string':
      return { ok: true, value: v };
    case 'number':
    case 'boolean':
    case 'bigint':
      return {
        ok: true,
        value: String(v),
        note: `is a ${typeof v} (${String(v)}); quote it: the API server only accepts strings here`,
      };
    default:
      if (v === null) return { ok: true, value: '', note: 'is null; the API server reads it as the empty string ""' };
      return { ok: false };
  }
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a map' : `a ${typeof v}`;
}

const json = (s: string): string => JSON.stringify(s);

/** Loose spelling key: lower case, letters and digits only ("Not_In" -> "notin"). */
const loose = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * "Did you mean" for a short fixed list: same letters ignoring case and
 * punctuation, or one being a prefix of the other within two characters
 * ("matchLabel" -> "matchLabels", "exist" -> "Exists"). Kept local so this
 * module has no imports.
 */
function suggest(word: string, options: readonly string[]): string | undefined {
  const w = loose(word);
  if (w === '') return undefined;
  for (const o of options) if (loose(o) === w) return o;
  for (const o of options) {
    const l = loose(o);
    if (Math.abs(l.length - w.length) <= 2 && (l.startsWith(w) || w.startsWith(l))) return o;
  }
  return undefined;
}

function unknownFieldProblem(path: string, field: string, known: readonly string[]): SelectorProblem {
  const guess = suggest(field, known);
  return {
    path: path ? `${path}.${field}` : field,
    message: `unknown field ${json(field)}${guess !== undefined ? ` (did you mean ${json(guess)}?)` : ''}`,
    fatal: true,
  };
}

// --- compilation ------------------------------------------------------------

const SELECTOR_FIELDS = ['matchLabels', 'matchExpressions'] as const;
const REQUIREMENT_FIELDS = ['key', 'operator', 'values'] as const;

export function compile(selector: unknown): { requirements: Requirement[]; problems: SelectorProblem[] } {
  const problems: SelectorProblem[] = [];
  const requirements: Requirement[] = [];
  const problem = (path: string, message: string, fatal = true): void => {
    problems.push({ path, message, fatal });
  };

  if (!isRecord(selector)) {
    problem('', `a label selector must be a map, got ${describeType(selector)}`);
    return { requirements, problems };
  }
  for (const field of Object.keys(selector)) {
    if (!(SELECTOR_FIELDS as readonly string[]).includes(field)) problems.push(unknownFieldProblem('', field, SELECTOR_FIELDS));
  }

  const matchLabels = hasOwn(selector, 'matchLabels') ? selector['matchLabels'] : undefined;
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isRecord(matchLabels)) {
      problem('matchLabels', `must be a map of label keys to values, got ${describeType(matchLabels)}`);
    } else {
      for (const key of Object.keys(matchLabels)) {
        // the path is only written into problems (a selector is compiled for every workload and Service: most have none)
        const path = (): string => `matchLabels[${json(key)}]`;
        for (const p of labelKeyProblems(key)) problem(path(), `invalid label key: ${p}`);
        const c = coerceScalar(matchLabels[key]);
        if (!c.ok) {
          problem(path(), `value must be a string, got ${describeType(matchLabels[key])}`);
          continue;
        }
        if (c.note !== undefined) problem(path(), `value ${c.note}`, false);
        for (const p of labelValueProblems(c.value)) problem(path(), `invalid label value ${json(c.value)}: ${p}`);
        requirements.push({ key, op: 'In', values: new Set([c.value]) });
      }
    }
  }

  const exprs = hasOwn(selector, 'matchExpressions') ? selector['matchExpressions'] : undefined;
  if (exprs !== undefined && exprs !== null) {
    if (!Array.isArray(exprs)) {
      problem('matchExpressions', `must be a list, got ${describeType(exprs)}`);
    } else {
      exprs.forEach((expr: unknown, i: number) => {
        const req = compileRequirement(expr, `matchExpressions[${i}]`, problems);
        if (req) requirements.push(req);
      });
    }
  }
  return { requirements, problems };
}

function compileRequirement(expr: unknown, path: string, problems: SelectorProblem[]): Requirement | null {
  const problem = (p: string, message: string, fatal = true): void => {
    problems.push({ path: p, message, fatal });
  };
  if (!isRecord(expr)) {
    problem(path, `must be a map with key, operator and values, got ${describeType(expr)}`);
    return null;
  }
  for (const field of Object.keys(expr)) {
    if (!(REQUIREMENT_FIELDS as readonly string[]).includes(field)) problems.push(unknownFieldProblem(path, field, REQUIREMENT_FIELDS));
  }

  let ok = true;
  const rawKey = hasOwn(expr, 'key') ? expr['key'] : undefined;
  let key = '';
  if (rawKey === undefined || rawKey === null) {
    problem(`${path}.key`, 'is required');
    ok = false;
  } else {
    const c = coerceScalar(rawKey);
    if (!c.ok) {
      problem(`${path}.key`, `must be a string, got ${describeType(rawKey)}`);
      ok = false;
    } else {
      key = c.value;
      if (c.note !== undefined) problem(`${path}.key`, c.note, false);
      const keyProblems = labelKeyProblems(key);
      for (const p of keyProblems) problem(`${path}.key`, `invalid label key ${json(key)}: ${p}`);
      if (keyProblems.length > 0) ok = false;
    }
  }

  const rawOp = hasOwn(expr, 'operator') ? expr['operator'] : undefined;
  let op: SelectorOperator | undefined;
  if (rawOp === undefined || rawOp === null) {
    problem(`${path}.operator`, `is required (one of ${SELECTOR_OPERATORS.join(', ')})`);
  } else if (typeof rawOp !== 'string') {
    problem(`${path}.operator`, `must be a string, got ${describeType(rawOp)}`);
  } else if (!(SELECTOR_OPERATORS as readonly string[]).includes(rawOp)) {
    const guess = suggest(rawOp, SELECTOR_OPERATORS);
    problem(
      `${path}.operator`,
      `${json(rawOp)} is not a valid label selector operator (one of ${SELECTOR_OPERATORS.join(', ')})` +
        (guess !== undefined ? `; did you mean ${json(guess)}?` : ''),
    );
  } else {
    op = rawOp as SelectorOperator;
  }

  const rawValues = hasOwn(expr, 'values') ? expr['values'] : undefined;
  const values: string[] = [];
  if (rawValues !== undefined && rawValues !== null) {
    if (!Array.isArray(rawValues)) {
      problem(`${path}.values`, `must be a list of strings, got ${describeType(rawValues)}`);
      ok = false;
    } else {
      rawValues.forEach((v: unknown, j: number) => {
        const p = `${path}.values[${j}]`;
        const c = coerceScalar(v);
        if (!c.ok) {
          problem(p, `must be a string, got ${describeType(v)}`);
          ok = false;
          return;
        }
        if (c.note !== undefined) problem(p, c.note, false);
        const vp = labelValueProblems(c.value);
        for (const m of vp) problem(p, `invalid label value ${json(c.value)}: ${m}`);
        if (vp.length > 0) ok = false;
        values.push(c.value);
      });
    }
  }

  if (op === undefined) return null;
  if ((op === 'In' || op === 'NotIn') && values.length === 0) {
    problem(`${path}.values`, `must be non-empty when operator is ${json(op)}`);
    return null;
  }
  if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) {
    problem(`${path}.values`, `must be empty when operator is ${json(op)}`);
    return null;
  }
  if (!ok) return null;
  return op === 'In' || op === 'NotIn' ? { key, op, values: new Set(values) } : { key, op };
}
