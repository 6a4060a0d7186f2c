/** Unknown fields of a custom resource under its CRD's structural schema (see ./crd.ts). */
import { isObj } from '../model/object.js';
import type { PathSeg } from '../parse/source.js';
import { toDotted } from '../parse/source.js';
import { closest } from '../util/strings.js';
import type { UnknownField } from './builtin.js';

type Schema = Record<string, unknown>;

/** Unknown fields under a structural schema (pruned by the API server). */
export function crdUnknownFields(data: unknown, schema: Schema | undefined, kind: string): UnknownField[] {
  const out: UnknownField[] = [];
  if (!schema) return out;
  walk(data, schema, [], out, kind, true);
  return out;
}

function walk(value: unknown, s: Schema, p: PathSeg[], out: UnknownField[], kind: string, root: boolean): void {
  if (s['x-kubernetes-preserve-unknown-fields'] === true) return;
  if (Array.isArray(value)) {
    if (isObj(s.items)) value.forEach((item, i) => walk(item, s.items as Schema, [...p, i], out, kind, false));
    return;
  }
  if (!isObj(value)) return;
  const props = isObj(s.properties) ? s.properties : undefined;
  const embedded = root || s['x-kubernetes-embedded-resource'] === true;
  if (props) {
    for (const key of Object.keys(value)) {
      if (embedded && (key === 'apiVersion' || key === 'kind' || key === 'metadata')) continue;
      if (root && key === 'status') continue;
      if (Object.prototype.hasOwnProperty.call(props, key)) {
        const sub = props[key];
        if (isObj(sub)) walk(value[key], sub, [...p, key], out, kind, false);
        continue;
      }
      if (isObj(s.additionalProperties) || s.additionalProperties === true) continue;
      const known = Object.keys(props).filter((k) => !(root && (k === 'apiVersion' || k === 'kind' || k === 'metadata' || k === 'status')));
      const guess = closest(key, known);
      const where = toDotted(p) || 'the object';
      out.push({
        path: [...p, key],
        message: `unknown field "${key}" in ${where} (${kind} schema); ${guess ? `did you mean "${guess}"?` : `known fields: ${known.sort().slice(0, 15).join(', ') || '(none)'}.`} The API server prunes fields its schema does not declare, so the setting is silently lost`,
      });
    }
  } else if (isObj(s.additionalProperties)) {
    for (const key of Object.keys(value)) walk(value[key], s.additionalProperties, [...p, key], out, kind, false);
  }
}
