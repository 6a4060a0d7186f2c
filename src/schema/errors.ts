/**
 * Turns JSON Schema validation errors (ajv's shape, as produced by
 * kubernetes-models' precompiled validators and by ajv for CRD schemas) into
 * findings a person can act on: one per field, grouped so that the
 * anyOf/oneOf noise of int-or-string and quantity fields becomes one message.
 */
import type { Path, PathSeg } from '../parse/source.js';
import { toDotted } from '../parse/source.js';

export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
  schemaPath?: string;
}

export interface Finding {
  path: Path;
  message: string;
  /** a required field that is missing (a defaulting webhook may set it) */
  required?: true;
}

/** JSON Pointer → path, walking the data so that array indices become numbers (and map keys "0" stay strings). */
export function pointerToPath(pointer: string, data: unknown): PathSeg[] {
  if (pointer === '') return [];
  const out: PathSeg[] = [];
  let cur: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      const i = Number(seg);
      out.push(i);
      cur = cur[i];
    } else {
      out.push(seg);
      cur =
        cur !== null && typeof cur === 'object' && Object.prototype.hasOwnProperty.call(cur, seg)
          ? (cur as Record<string, unknown>)[seg]
          : undefined;
    }
  }
  return out;
}

export function valueAt(data: unknown, path: Path): unknown {
  let cur = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** the scalar as written (e.g. `1.0`, `yes`), when known */
export type RawText = (path: Path) => string | undefined;

export function describeValue(v: unknown, raw?: string): string {
  if (v === null) return 'null';
  if (raw !== undefined && (typeof v === 'number' || typeof v === 'boolean') && raw !== String(v))
    return `${typeof v === 'number' ? 'the number' : 'the boolean'} ${raw} (YAML reads it as ${String(v)})`;
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 60 ? v.slice(0, 60) + '…' : v)}`;
  if (typeof v === 'boolean') return `the boolean ${v}`;
  if (typeof v === 'number') return `the number ${v}`;
  return typeof v;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean (true or false)',
  object: 'a mapping',
  array: 'a list',
  null: 'null',
};

function orList(xs: string[]): string {
  if (xs.length <= 1) return xs.join('');
  return `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`;
}

function typeHint(expected: Set<string>, value: unknown, raw: string | undefined): string {
  if (expected.has('string') && !expected.has('integer') && (typeof value === 'number' || typeof value === 'boolean')) {
    return `; quote it so YAML reads it as a string: "${raw ?? String(value)}"`;
  }
  if ((expected.has('integer') || expected.has('number')) && typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) {
    return `; remove the quotes`;
  }
  if (expected.has('boolean') && typeof value === 'string' && /^(true|false)$/i.test(value)) return '; remove the quotes';
  if (expected.has('array') && value !== null && typeof value !== 'object') return '; write it as a list (one "- item" per line)';
  return '';
}

const describeValueRaw = describeValue;

const QUANTITY_EXAMPLES = 'e.g. 500m, 2, 1.5, 128Mi, 1Gi, 1G';

/**
 * Groups errors by field and words them. `root` is the validated data (to
 * show the offending values); `skip` drops errors under a path (e.g. status).
 */
export function describeErrors(
  errors: readonly SchemaError[],
  root: unknown,
  skip?: (path: Path) => boolean,
  rawText?: RawText,
): Finding[] {
  const groups = new Map<string, SchemaError[]>();
  for (const e of errors) {
    let g = groups.get(e.instancePath);
    if (!g) groups.set(e.instancePath, (g = []));
    g.push(e);
  }
  // alternatives (anyOf/oneOf) subsume the errors of their branches below them
  const alternatives = [...groups.entries()]
    .filter(([, es]) => es.some((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf'))
    .map(([p]) => p);
  const out: Finding[] = [];
  for (const [pointer, es] of groups) {
    if (alternatives.some((a) => a !== pointer && pointer.startsWith(a + '/'))) continue;
    const path = pointerToPath(pointer, root);
    if (skip?.(path)) continue;
    const value = valueAt(root, path);
    const raw = value !== null && typeof value !== 'object' ? rawText?.(path) : undefined;
    const describeValue = (v: unknown): string => describeValueRaw(v, raw);
    const where = toDotted(path) || 'the object';
    const alt = es.some((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
    const types = new Set<string>();
    for (const e of es) {
      if (e.keyword !== 'type') continue;
      const t = e.params.type;
      for (const x of Array.isArray(t) ? t : String(t).split(',')) types.add(String(x));
    }
    const formats = es.filter((e) => e.keyword === 'format').map((e) => String(e.params.format));
    const done = new Set<SchemaError>();
    if (value === null && types.size && !es.some((e) => e.keyword === 'required')) {
      // null on an optional field means "unset" to the API server
      continue;
    }
    if (alt || types.size) {
      const isQuantity = formats.includes('quantity') || (alt && types.has('number') && types.has('string') && !types.has('integer'));
      const isIntOrString = !isQuantity && types.has('integer') && types.has('string');
      if (isQuantity) {
        out.push({
          path,
          message:
            typeof value === 'string'
              ? `${where}: "${value}" is not a valid Kubernetes quantity (${QUANTITY_EXAMPLES}); the API server rejects the object`
              : `${where} must be a quantity, a string such as "500m" or "128Mi" or a plain number, not ${describeValue(value)}`,
        });
      } else if (isIntOrString) {
        out.push({
          path,
          message: `${where} must be an integer or a string (int-or-string: a port number or name, a count or a percentage like "25%"), not ${describeValue(value)}`,
        });
      } else if (types.size) {
        const expected = [...types].sort().map((t) => TYPE_NAMES[t] ?? t);
        out.push({ path, message: `${where} must be ${orList(expected)}, not ${describeValue(value)}${typeHint(types, value, raw)}` });
      } else {
        const e = es.find((x) => x.keyword === 'anyOf' || x.keyword === 'oneOf')!;
        out.push({
          path,
          message: `${where}: ${describeValue(value)} matches ${e.keyword === 'oneOf' ? 'not exactly one' : 'none'} of the allowed forms of this field`,
        });
      }
      for (const e of es) if (e.keyword === 'type' || e.keyword === 'format' || e.keyword === 'anyOf' || e.keyword === 'oneOf') done.add(e);
    }
    for (const e of es) {
      if (done.has(e)) continue;
      const m = describeOne(e, path, where, value, describeValue, root);
      if (m) out.push(m);
    }
  }
  return dedupe(out);
}

function describeOne(
  e: SchemaError,
  path: PathSeg[],
  where: string,
  value: unknown,
  describeValue: (v: unknown) => string,
  root?: unknown,
): Finding | undefined {
  const p = e.params;
  switch (e.keyword) {
    case 'required': {
      const missing = String(p.missingProperty);
      return {
        path: [...path, missing],
        message: `${path.length ? where : 'the object'} is missing the required field "${missing}"`,
        required: true,
      };
    }
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      return { path, message: `${where}: ${describeValue(value)} is not allowed; use one of ${allowed.join(', ')}` };
    }
    case 'const':
      return { path, message: `${where} must be ${JSON.stringify(p.allowedValue)}, not ${describeValue(value)}` };
    case 'format': {
      const f = String(p.format);
      if (f === 'int32' || f === 'int64')
        return {
          path,
          message: `${where}: ${describeValue(value)} does not fit in ${f === 'int32' ? 'a 32-bit' : 'a 64-bit'} integer (${f})`,
        };
      if (f === 'byte') {
        const kind = root !== null && typeof root === 'object' ? (root as { kind?: unknown }).kind : undefined;
        if (kind === 'Secret' && path[0] === 'data')
          return {
            path,
            message: `${where} is not valid base64; Secret data values must be base64-encoded (or use stringData for plain text)`,
          };
        if (kind === 'ConfigMap' && path[0] === 'binaryData')
          return { path, message: `${where} is not valid base64; binaryData values must be base64-encoded (or use data for plain text)` };
        return {
          path,
          message: `${where} is not valid base64; this field holds bytes and must be base64-encoded (e.g. the output of base64 -w0 for a PEM bundle)`,
        };
      }
      if (f === 'date-time')
        return { path, message: `${where}: ${describeValue(value)} is not an RFC 3339 date-time such as "2024-01-31T12:00:00Z"` };
      return { path, message: `${where}: ${describeValue(value)} is not a valid ${f}` };
    }
    case 'additionalProperties': {
      const k = String(p.additionalProperty);
      return { path: [...path, k], message: `unknown field "${k}" in ${where}` };
    }
    default:
      return { path, message: `${where} ${e.message ?? `fails the schema's ${e.keyword} constraint`}` };
  }
}

function dedupe(fs: Finding[]): Finding[] {
  const seen = new Set<string>();
  return fs.filter((f) => {
    const k = JSON.stringify(f.path) + '\u0000' + f.message;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Required fields that are present but null (`selector:` with no value, as an
 * empty Helm value renders). A JSON Schema validator sees the key and is
 * content with `required`; the type error on the null is dropped above
 * because null on an optional field means "unset". The API server treats a
 * null required field as missing ("Required value"). Found by validating a
 * copy without the null fields and keeping the `required` errors they cause.
 */
export function nullRequired(
  validate: ((data: unknown) => boolean) & { errors?: SchemaError[] | null },
  errors: readonly SchemaError[],
  root: unknown,
  skip?: (path: Path) => boolean,
): Finding[] {
  const nulls = new Map<string, PathSeg[]>();
  for (const e of errors) {
    if (e.keyword !== 'type') continue;
    const path = pointerToPath(e.instancePath, root);
    if (path.length === 0 || typeof path[path.length - 1] !== 'string' || skip?.(path)) continue;
    if (valueAt(root, path) === null) nulls.set(JSON.stringify(path), path);
  }
  if (nulls.size === 0) return [];
  const copy = structuredClone(root);
  for (const path of nulls.values()) {
    const parent = valueAt(copy, path.slice(0, -1));
    if (parent !== null && typeof parent === 'object' && !Array.isArray(parent))
      delete (parent as Record<string, unknown>)[path[path.length - 1] as string];
  }
  if (validate(copy)) return [];
  const out: Finding[] = [];
  for (const e of validate.errors ?? []) {
    if (e.keyword !== 'required') continue;
    const parent = pointerToPath(e.instancePath, copy);
    const field = String(e.params.missingProperty);
    const path = [...parent, field];
    if (!nulls.has(JSON.stringify(path))) continue;
    const where = toDotted(parent) || 'the object';
    out.push({
      path,
      message: `required field "${field}" of ${where} is null (an empty value); the API server rejects it ("Required value"). Give it a value; an empty value rendered from a template (Helm, envsubst) looks like this`,
    });
  }
  return dedupe(out);
}
