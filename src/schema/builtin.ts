/**
 * Validation of built-in kinds against the Kubernetes OpenAPI schema, with
 * kubernetes-models' precompiled (ajv standalone) validators, loaded lazily
 * per kind, plus an unknown-field check from src/data/k8s-fields.json (the
 * OpenAPI schemas do not set additionalProperties: false, so the validators
 * accept misspelt fields silently).
 */
import * as path from 'node:path';
import type { Path, PathSeg } from '../parse/source.js';
import { toDotted } from '../parse/source.js';
import { closest } from '../util/strings.js';
import { loadData } from '../data/load.js';
import { installLazyValidate } from './lazy-formats.js';
import { isApiBase64 } from './base64.js';
import type { SchemaError } from './errors.js';

/**
 * The Kubernetes version kubernetes-models@4.5.1 was generated from. Its
 * README badge says 1.27.1, but the schemas hold fields added later:
 * Container.restartPolicy (1.28), ImageVolumeSource (1.31), PodSpec.resources
 * (1.32) and Lifecycle.stopSignal (1.33), and none of 1.34's
 * (PodSpec.hostnameOverride, Container.restartPolicyRules,
 * EnvVarSource.fileKeyRef). So: 1.33.
 */
export const SCHEMA_KUBERNETES_VERSION = '1.33';

interface FieldData {
  kinds: Record<string, string>;
  types: Record<string, Record<string, string>>;
}

let fieldData: FieldData | undefined;
export function fields(): FieldData {
  fieldData ??= loadData<FieldData>('k8s-fields.json');
  return fieldData;
}

export type Validate = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

const validators = new Map<string, Validate | null>();
let modelsDir: string | undefined;
let machineryDir: string | undefined;

function pkgDir(name: string): string {
  const dir = path.dirname(require.resolve(`${name}/package.json`));
  installLazyValidate(dir);
  return dir;
}

/** The precompiled validator of a schema type (e.g. IoK8sApiAppsV1Deployment), loaded on first use. */
export function validatorFor(schema: string): Validate | undefined {
  let v = validators.get(schema);
  if (v === undefined) {
    v = null;
    const isMachinery = schema.startsWith('IoK8sApimachinery');
    const dir = isMachinery ? (machineryDir ??= pkgDir('@kubernetes-models/apimachinery')) : (modelsDir ??= pkgDir('kubernetes-models'));
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      v = apiBase64((require(path.join(dir, '_schemas', `${schema}.js`)) as { validate: Validate }).validate);
    } catch {
      v = null;
    }
    validators.set(schema, v);
  }
  return v ?? undefined;
}

/**
 * The validator with `byte` format errors dropped where the API server accepts the value (line-wrapped base64: see
 * src/schema/base64.ts), and `enum` errors of a null value (an optional field the API server reads as left out). The lazy @kubernetes-models/validate already checks `byte` that way; this holds when it could
 * not be installed (a module system of its own, as under jest). The validators collect every error (allErrors).
 */
function apiBase64(raw: Validate): Validate {
  const v = ((data: unknown): boolean => {
    if (raw(data)) {
      v.errors = null;
      return true;
    }
    const errs = (raw.errors ?? []).filter((e) => {
      const x = e as { keyword?: string; params?: { format?: unknown }; instancePath?: string };
      // null for an optional field with allowed values (`imagePullPolicy: null`, a chart's empty value): the API server
      // decodes it as the field left out and defaults it (a required field's null fails its type instead)
      if (x.keyword === 'enum') return valueAt(data, x.instancePath ?? '') !== null;
      if (x.keyword !== 'format' || x.params?.format !== 'byte') return true;
      const value = valueAt(data, x.instancePath ?? '');
      return typeof value !== 'string' || !isApiBase64(value);
    });
    v.errors = errs.length ? errs : null;
    return errs.length === 0;
  }) as Validate;
  return v;
}

function valueAt(data: unknown, pointer: string): unknown {
  let cur = data;
  for (const seg of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

const schemaByApiVersion = new Map<string, Map<string, string | null>>();

/** The schema type of a built-in apiVersion/kind, or undefined. */
export function schemaOf(apiVersion: string, kind: string): string | undefined {
  // memoised by apiVersion, then kind: several rules ask for every object, and the table is a large dictionary
  let byKind = schemaByApiVersion.get(apiVersion);
  if (!byKind) schemaByApiVersion.set(apiVersion, (byKind = new Map()));
  let v = byKind.get(kind);
  if (v === undefined) {
    const k = `${apiVersion}/${kind}`;
    v = Object.prototype.hasOwnProperty.call(fields().kinds, k) ? fields().kinds[k]! : null;
    byKind.set(kind, v);
  }
  return v ?? undefined;
}

let kindsByApiVersion: Map<string, string[]> | undefined;
/** Kinds known for an apiVersion (for "did you mean" on a misspelt kind). */
export function kindsOf(apiVersion: string): string[] | undefined {
  if (!kindsByApiVersion) {
    kindsByApiVersion = new Map();
    for (const k of Object.keys(fields().kinds)) {
      const i = k.lastIndexOf('/');
      const av = k.slice(0, i);
      let l = kindsByApiVersion.get(av);
      if (!l) kindsByApiVersion.set(av, (l = []));
      l.push(k.slice(i + 1));
    }
  }
  return kindsByApiVersion.get(apiVersion);
}

export interface UnknownField {
  path: PathSeg[];
  message: string;
}

function shortType(schema: string): string {
  return schema.replace(/^IoK8s(Api|Apimachinery|ApiextensionsApiserver|KubeAggregator)\w*?V\d+(alpha\d+|beta\d+)?(?=[A-Z])/, '');
}

/**
 * Unknown fields of built-in types, with "did you mean". `skip` names the
 * top-level fields not to descend into (status).
 */
export function unknownFields(
  data: unknown,
  schema: string,
  base: PathSeg[] = [],
  skipTop: readonly string[] = ['status'],
): UnknownField[] {
  const out: UnknownField[] = [];
  walk(data, schema, [...base], out, skipTop);
  return out;
}

/** `p` is a path stack shared by the whole walk (pushed and popped), copied only for a finding. */
function walk(value: unknown, schema: string, p: PathSeg[], out: UnknownField[], skip: readonly string[]): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const props = fields().types[schema];
  if (!props) return;
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (skip.includes(key)) continue;
    if (!Object.prototype.hasOwnProperty.call(props, key)) {
      out.push({ path: [...p, key], message: unknownMessage(key, Object.keys(props), p.slice(), shortType(schema)) });
      continue;
    }
    const ref = props[key]!;
    if (!ref) continue;
    const v = obj[key];
    p.push(key);
    if (ref.startsWith('[]')) {
      if (Array.isArray(v)) {
        const item = ref.slice(2);
        v.forEach((x, i) => {
          p.push(i);
          walk(x, item, p, out, []);
          p.pop();
        });
      }
    } else if (ref.startsWith('{}')) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        const item = ref.slice(2);
        for (const k of Object.keys(v)) {
          p.push(k);
          walk((v as Record<string, unknown>)[k], item, p, out, []);
          p.pop();
        }
      }
    } else walk(v, ref, p, out, []);
    p.pop();
  }
}

export function unknownMessage(key: string, known: string[], parent: Path, typeName: string): string {
  const where = toDotted(parent) || 'the object';
  const guess = closest(key, known);
  const sorted = known.slice().sort();
  const hint = guess ? `did you mean "${guess}"?` : `known fields: ${sorted.slice(0, 15).join(', ')}${sorted.length > 15 ? ', …' : ''}.`;
  const head = `unknown field "${key}" in ${where}${typeName ? ` (${typeName})` : ''}`;
  return `${head}; ${hint} The API server rejects it under strict field validation (kubectl's default) or silently drops it, so the setting has no effect`;
}
