/**
 * Custom resources: CustomResourceDefinitions found among the input, the
 * --context files and the --crd / config `crds:` files validate the objects
 * of their group/version/kind against openAPIV3Schema. Schemas are compiled
 * with ajv once per CRD version, on first use.
 *
 * Kubernetes extensions: x-kubernetes-int-or-string becomes
 * `type: [integer, string]`; x-kubernetes-preserve-unknown-fields and
 * x-kubernetes-embedded-resource stop the unknown-field check (structural
 * schemas prune every other unknown field, so they are reported like
 * built-ins). The schema's defaults are applied before validation, as the
 * API server applies them (rules/schema). Formats are not evaluated here;
 * x-kubernetes-validations (CEL) are, by the crd-validation-rule rule.
 *
 * Cost: a CRD is never compiled unless a custom resource of its
 * group/version/kind is in the input (context and --crd objects are only
 * looked up). Generated CRDs repeat large subschemas many times (Argo's
 * Workflow schema holds the container schema dozens of times, and a full
 * WorkflowSpec again under status), so before compiling: `status` is dropped
 * (never validated: the API server ignores it on create), descriptions are
 * dropped, and every subschema of at least SHARE_MIN_CHARS is registered once
 * in the shared ajv instance under an id derived from its content and
 * replaced by a `$ref`, so each distinct subschema is compiled once per run,
 * across versions and CRDs.
 */
import type { ObjectIndex } from '../model/index.js';
import { isObj, type ManifestObject, type Obj } from '../model/object.js';
import { distance } from '../model/nearness.js';
import type { SchemaError } from './errors.js';
import { type FastNode, prepareFast } from './crd-fast.js';
import { transformSchema } from './crd-transform.js';

export { crdUnknownFields } from './crd-unknown.js';
export { transformSchema } from './crd-transform.js';

type Schema = Record<string, unknown>;

export interface CrdVersion {
  crd: ManifestObject<Obj>;
  group: string;
  kind: string;
  version: string;
  served: boolean;
  schema?: Schema;
  compiled?: ((d: unknown) => boolean) & { errors?: SchemaError[] | null };
  compileError?: string;
  /** the schema as ajv gets it (see prepared()) */
  root?: Schema;
  /** the fast path's checks (./crd-fast.ts); null when the schema has a part it does not mirror */
  fast?: FastNode | null;
}

export interface CrdLookup {
  /** the CRD version for group/version/kind: of several definitions, the nearest to the object asking (the first on a tie) */
  version?: CrdVersion;
  /** the other definitions of group/version/kind in the input (old releases, vendored copies), in input order */
  others?: CrdVersion[];
  /** versions the CRD defines, when the group/kind is known but not this version */
  known?: string[];
}

export class CrdRegistry {
  private byGvk = new Map<string, CrdVersion[]>();
  private byGk = new Map<string, string[]>();

  constructor(crds: Iterable<ManifestObject<Obj>>) {
    for (const crd of crds) this.add(crd);
  }

  private add(crd: ManifestObject<Obj>): void {
    if (crd.group !== 'apiextensions.k8s.io') return;
    const spec = (crd.data as Obj).spec;
    if (!isObj(spec)) return;
    const group = typeof spec.group === 'string' ? spec.group : undefined;
    const names = isObj(spec.names) ? spec.names : undefined;
    const kind = names && typeof names.kind === 'string' ? names.kind : undefined;
    if (!group || !kind) return;
    const entries: { name: string; served: boolean; schema?: Schema }[] = [];
    const topSchema = isObj(spec.validation) && isObj(spec.validation.openAPIV3Schema) ? spec.validation.openAPIV3Schema : undefined; // v1beta1
    if (Array.isArray(spec.versions)) {
      for (const v of spec.versions) {
        if (!isObj(v) || typeof v.name !== 'string') continue;
        const s = isObj(v.schema) && isObj(v.schema.openAPIV3Schema) ? v.schema.openAPIV3Schema : topSchema;
        entries.push({ name: v.name, served: v.served !== false, schema: s });
      }
    } else if (typeof spec.version === 'string') {
      entries.push({ name: spec.version, served: true, schema: topSchema });
    }
    const gk = `${group}/${kind}`;
    for (const e of entries) {
      const key = `${group}/${e.name}/${kind}`;
      const defs = this.byGvk.get(key);
      const def = { crd, group, kind, version: e.name, served: e.served, schema: e.schema };
      if (defs) {
        // another definition of the same version (an old release, a vendored copy): kept, see lookup()
        defs.push(def);
        continue;
      }
      this.byGvk.set(key, [def]);
      let l = this.byGk.get(gk);
      if (!l) this.byGk.set(gk, (l = []));
      l.push(e.name);
    }
  }

  lookup(group: string, version: string, kind: string, from?: ManifestObject<unknown>): CrdLookup {
    const defs = this.byGvk.get(`${group}/${version}/${kind}`);
    if (defs) {
      if (defs.length === 1 || !from) return { version: defs[0]!, ...(defs.length > 1 ? { others: defs.slice(1) } : {}) };
      let best = 0;
      for (let i = 1, bd = distance(from, defs[0]!.crd); i < defs.length; i++) {
        const d = distance(from, defs[i]!.crd);
        if (d < bd) [best, bd] = [i, d];
      }
      return { version: defs[best]!, others: defs.filter((_, i) => i !== best) };
    }
    const known = this.byGk.get(`${group}/${kind}`);
    return known ? { known } : {};
  }

  get size(): number {
    return this.byGvk.size;
  }
}

const registries = new WeakMap<ObjectIndex, CrdRegistry>();

/** The CRDs of a run (input + context + --crd files, all in the index). */
export function crdRegistry(index: ObjectIndex): CrdRegistry {
  let r = registries.get(index);
  if (!r) {
    r = new CrdRegistry([...index.list('CustomResourceDefinition')]);
    registries.set(index, r);
  }
  return r;
}

let ajvInstance: import('ajv').default | undefined;
function ajv(): import('ajv').default {
  if (!ajvInstance) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv = require('ajv').default as typeof import('ajv').default;
    ajvInstance = new Ajv({
      allErrors: true,
      strict: false,
      validateFormats: false,
      logger: false,
      validateSchema: false,
      addUsedSchema: false,
      inlineRefs: false,
    });
  }
  return ajvInstance;
}

/** Subschemas at least this long (as JSON, without annotations) are compiled once and shared by `$ref`. */
export const SHARE_MIN_CHARS = 2000;
const SHARED_PREFIX = 'https://k8s-gold.invalid/crd-schema/';
/** ids of the subschemas already added to the ajv instance */
const sharedIds = new Set<string>();

/** Keywords that do not change what a schema accepts (ajv runs without format validation). */
const ANNOTATIONS = new Set(['description', 'title', 'example', 'examples', 'default', 'format', 'readOnly', 'writeOnly', '$comment']);

/**
 * Bottom-up: drops annotations, and replaces every large subschema by a
 * `$ref` to a copy registered once under a content-derived id. Returns the
 * schema to compile. `shared` counts the replacements (for tests).
 */
export function shareSubschemas(s: unknown, add: (id: string, schema: Schema) => void, stats?: { shared: number }): unknown {
  const rec = (x: unknown, isSchema: boolean): unknown => {
    if (Array.isArray(x)) return x.map((i) => rec(i, isSchema));
    if (!isObj(x)) return x;
    if (!isSchema) return x;
    const out: Schema = {};
    for (const [k, v] of Object.entries(x)) {
      if (ANNOTATIONS.has(k)) continue;
      if (k === 'properties' || k === 'patternProperties' || k === 'definitions') {
        out[k] = isObj(v) ? Object.fromEntries(Object.entries(v).map(([pk, pv]) => [pk, share(rec(pv, true))])) : v;
      } else if (k === 'items' || k === 'additionalProperties' || k === 'not' || k === 'allOf' || k === 'anyOf' || k === 'oneOf') {
        out[k] = Array.isArray(v) ? v.map((i) => share(rec(i, true))) : isObj(v) ? share(rec(v, true)) : v;
      } else out[k] = v;
    }
    return out;
  };
  /** the JSON length a shared `$ref` stands for */
  const expanded = new Map<string, number>();
  const share = (x: unknown): unknown => {
    if (!isObj(x)) return x;
    const json = JSON.stringify(x);
    // the size the subschema had before its own parts were replaced by refs
    let size = json.length;
    for (const m of json.matchAll(/"\$ref":"([^"]+)"/g)) size += expanded.get(m[1]!) ?? 0;
    if (size < SHARE_MIN_CHARS) return x;
    // node:crypto loaded here, not with the module: most runs compile no CRD schema (about 15 modules to load)
    const { createHash } = require('node:crypto') as typeof import('node:crypto');
    const id = SHARED_PREFIX + createHash('sha256').update(json).digest('hex').slice(0, 32);
    expanded.set(id, size);
    add(id, x);
    if (stats) stats.shared++;
    return { $ref: id };
  };
  return rec(s, true);
}

/** The schema ajv compiles: Kubernetes' extensions transformed, apiVersion, kind, metadata and status left out. Throws on a malformed schema. */
function prepared(v: CrdVersion & { schema: Schema }): Schema {
  if (v.root) return v.root;
  const root = transformSchema(v.schema) as Schema;
  // apiVersion, kind and metadata are the API server's, checked apart; status is never validated
  if (isObj(root.properties)) {
    const props = { ...root.properties };
    delete props.metadata;
    delete props.apiVersion;
    delete props.kind;
    delete props.status;
    root.properties = props;
  }
  if (Array.isArray(root.required))
    root.required = root.required.filter((r) => r !== 'metadata' && r !== 'apiVersion' && r !== 'kind' && r !== 'status');
  return (v.root = root);
}

/**
 * The fast path's checks for a CRD version (./crd-fast.ts), made once; undefined when it has no schema or one
 * the fast path does not mirror exactly (its objects then always go to ajv). Where this is defined, compiled()
 * succeeds.
 */
export function fastChecks(v: CrdVersion): FastNode | undefined {
  if (v.fast === undefined) {
    v.fast = null;
    if (v.schema && !v.compileError) {
      try {
        v.fast = prepareFast(prepared(v as CrdVersion & { schema: Schema })) ?? null;
      } catch {
        v.fast = null;
      }
    }
  }
  return v.fast ?? undefined;
}

/** Compiles a CRD version's schema once; undefined when it has none. */
export function compiled(v: CrdVersion): CrdVersion['compiled'] {
  if (v.compiled || v.compileError || !v.schema) return v.compiled;
  try {
    const root = prepared(v as CrdVersion & { schema: Schema });
    const a = ajv();
    const top = shareSubschemas(root, (id, schema) => {
      if (sharedIds.has(id)) return;
      sharedIds.add(id);
      a.addSchema({ ...schema, $id: id }, id);
    }) as Schema;
    v.compiled = a.compile(top) as CrdVersion['compiled'];
  } catch (e) {
    v.compileError = (e as Error).message;
  }
  return v.compiled;
}
