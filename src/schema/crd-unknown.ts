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

/** `p` is the path of `value`, a stack the walk pushes to and pops from (copied only for a finding). */
function walk(value: unknown, s: Schema, p: PathSeg[], out: UnknownField[], kind: string, root: boolean): void {
  if (s['x-kubernetes-preserve-unknown-fields'] === true) return;
  if (Array.isArray(value)) {
    if (isObj(s.items)) {
      const items = s.items;
      for (let i = 0; i < value.length; i++) {
        if (!(i in value)) continue; // a hole, as forEach skips it
        p.push(i);
        walk(value[i], items, p, out, kind, false);
        p.pop();
      }
    }
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
        if (isObj(sub)) {
          p.push(key);
          walk(value[key], sub, p, out, kind, false);
          p.pop();
        }
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
    const extra = s.additionalProperties;
    for (const key of Object.keys(value)) {
      p.push(key);
      walk(value[key], extra, p, out, kind, false);
      p.pop();
    }
  }
}
