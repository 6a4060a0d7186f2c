/** A CRD schema turned into the JSON Schema ajv compiles and the fast path walks (see ./crd.ts). */
import { isObj } from '../model/object.js';

type Schema = Record<string, unknown>;

/** A copy of an openAPIV3Schema with Kubernetes' extensions turned into JSON Schema ajv understands. */
export function transformSchema(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(transformSchema);
  if (!isObj(s)) return s;
  const out: Schema = {};
  for (const k of Object.keys(s)) {
    const v = s[k];
    if (k === 'properties' || k === 'patternProperties' || k === 'definitions') {
      out[k] = isObj(v) ? transformEach(v) : v;
    } else if (k === 'items' || k === 'additionalProperties' || k === 'not' || k === 'allOf' || k === 'anyOf' || k === 'oneOf') {
      out[k] = transformSchema(v);
    } else if (
      k === 'default' ||
      k === 'example' ||
      k === 'enum' ||
      k.startsWith('x-kubernetes-') ||
      k === '$ref' ||
      k === 'id' ||
      k === '$schema'
    ) {
      if (k === 'enum' || k === 'default') out[k] = v;
    } else {
      out[k] = v;
    }
  }
  if (s['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.type = ['integer', 'string'];
    // a nested anyOf of [integer, string] (controller-gen's output) adds nothing
    delete out.anyOf;
  }
  if (out.nullable === true && typeof out.type === 'string') {
    out.type = [out.type, 'null'];
  }
  if (Object.hasOwn(out, 'nullable')) delete out.nullable; // (a delete makes V8 keep the object as a slower dictionary)
  // `additionalProperties: false` beside properties: the API server rejects such a CRD (the schema rule says so on
  // it); a closed object is what pruning makes of any structural schema, and its unknown fields are reported as such
  if (out.additionalProperties === false && isObj(out.properties) && Object.keys(out.properties).length > 0)
    delete out.additionalProperties;
  return out;
}

/** A map of subschemas transformed, as Object.fromEntries would build it (own data properties, `__proto__` too). */
function transformEach(m: Schema): Schema {
  const out: Schema = {};
  for (const k of Object.keys(m)) {
    if (k === '__proto__')
      Object.defineProperty(out, k, { value: transformSchema(m[k]), writable: true, enumerable: true, configurable: true });
    else out[k] = transformSchema(m[k]);
  }
  return out;
}
