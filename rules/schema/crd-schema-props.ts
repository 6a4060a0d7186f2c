/**
 * A CustomResourceDefinition's openAPIV3Schema as the API server validates it, where the OpenAPI schema of the CRD
 * kind says less: `additionalProperties` is a JSONSchemaPropsOrBool (a schema, true or false), which the OpenAPI
 * document types as an object; and beside non-empty `properties` only `additionalProperties: true` is allowed
 * (apiextensions validation: "additionalProperties and properties are mutual exclusive").
 */
import { isObj, type ManifestObject, type Obj } from '../../src/model/object.js';
import type { Path } from '../../src/parse/source.js';

const CRD_SCHEMA = /^IoK8sApiextensionsApiserverPkgApisApiextensionsV1(beta1)?CustomResourceDefinition$/;

/** A type error on a boolean `additionalProperties` of a CRD's schema: a JSONSchemaPropsOrBool may be a boolean. */
export function boolAdditionalProperties(schema: string, e: { keyword: string; instancePath: string }, data: unknown): boolean {
  if (e.keyword !== 'type' || !CRD_SCHEMA.test(schema) || !e.instancePath.endsWith('/additionalProperties')) return false;
  let v: unknown = data;
  for (const seg of e.instancePath.slice(1).split('/')) {
    if (!isObj(v) && !Array.isArray(v)) return false;
    v = (v as Record<string, unknown>)[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return typeof v === 'boolean';
}

const SUBSCHEMAS = ['items', 'additionalProperties', 'not'] as const;
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'] as const;

/** `additionalProperties` (false, or a schema) beside non-empty `properties` in a CRD's schemas: the API server rejects the CRD. */
export function additionalBesideProperties(obj: ManifestObject<Obj>): { path: Path; message: string }[] {
  const out: { path: Path; message: string }[] = [];
  if (obj.kind !== 'CustomResourceDefinition' || obj.group !== 'apiextensions.k8s.io' || !isObj(obj.data.spec)) return out;
  const walk = (s: unknown, p: Path, depth: number): void => {
    if (!isObj(s) || depth > 64) return;
    const props = s.properties;
    const extra = s.additionalProperties;
    if (isObj(props) && Object.keys(props).length > 0 && (extra === false || isObj(extra)))
      out.push({
        path: [...p, 'additionalProperties'],
        message: `additionalProperties${extra === false ? ': false' : ''} beside properties: Kubernetes allows only one of them in a schema ("additionalProperties and properties are mutual exclusive"), so the API server rejects the CustomResourceDefinition; remove additionalProperties (the API server prunes fields the schema does not declare)`,
      });
    if (isObj(props)) for (const [k, v] of Object.entries(props)) walk(v, [...p, 'properties', k], depth + 1);
    for (const k of SUBSCHEMAS) walk(s[k], [...p, k], depth + 1);
    for (const k of SCHEMA_LISTS) if (Array.isArray(s[k])) (s[k] as unknown[]).forEach((v, i) => walk(v, [...p, k, i], depth + 1));
  };
  const spec = obj.data.spec;
  if (Array.isArray(spec.versions))
    spec.versions.forEach((v: unknown, i: number) => {
      if (isObj(v) && isObj(v.schema)) walk(v.schema.openAPIV3Schema, ['spec', 'versions', i, 'schema', 'openAPIV3Schema'], 0);
    });
  if (isObj(spec.validation)) walk(spec.validation.openAPIV3Schema, ['spec', 'validation', 'openAPIV3Schema'], 0);
  return out;
}
