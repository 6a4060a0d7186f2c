/**
 * Whether a built-in kind's field takes a value, asked of the Kubernetes
 * OpenAPI schema: the deepest typed object on the path (from
 * src/data/k8s-fields.json) is validated with the value in place. Used by
 * fixes that must know whether a string or the YAML 1.1 reading is meant.
 */
import type { ManifestObject, Obj } from '../model/object.js';
import type { Path, PathSeg } from '../parse/source.js';
import { toPointer } from '../parse/source.js';
import { fields, schemaOf, validatorFor } from './builtin.js';

export type Acceptance = 'accepted' | 'rejected' | 'unknown';

/** Whether the field at `path` (from the object root) accepts `value`; `unknown` for custom resources and unclear answers. */
export function fieldAccepts(obj: ManifestObject<Obj>, path: Path, value: unknown): Acceptance {
  const top = schemaOf(obj.apiVersion, obj.kind);
  if (!top) return 'unknown';
  let schema: string = top;
  let data: unknown = obj.data;
  let i = 0;
  // descend through typed objects
  for (; i < path.length - 1; i++) {
    const props: Record<string, string> | undefined = fields().types[schema];
    if (!props) return 'unknown';
    const seg = path[i]!;
    const ref: string | undefined = typeof seg === 'string' && Object.prototype.hasOwnProperty.call(props, seg) ? props[seg]! : undefined;
    if (ref === undefined) return 'unknown';
    if (ref === '') break;
    const child = (data as Record<string, unknown>)[seg as string];
    if (ref.startsWith('[]') || ref.startsWith('{}')) {
      const next = path[i + 1];
      if (i + 1 >= path.length - 1 || next === undefined) break;
      const item = (child as Record<string | number, unknown> | undefined)?.[next as string];
      if (item === null || typeof item !== 'object') break;
      schema = ref.slice(2);
      data = item;
      i++;
    } else {
      if (child === null || typeof child !== 'object' || Array.isArray(child)) break;
      schema = ref;
      data = child;
    }
  }
  const validate = validatorFor(schema);
  if (!validate || data === null || typeof data !== 'object') return 'unknown';
  const rest = path.slice(i);
  const copy = setIn(structuredClone(data), rest, value);
  if (copy === undefined) return 'unknown';
  if (validate(copy)) return 'accepted';
  const errs = validate.errors ?? [];
  const at = toPointer(rest);
  if (errs.length > 0 && errs.every((e) => e.instancePath === at || e.instancePath.startsWith(at + '/'))) return 'rejected';
  return 'unknown';
}

/**
 * The value set at `path`; below the typed object, each container on the path keeps only the path's entry
 * (the other values of a label map may be wrong too, and the validator stops at its first error).
 */
function setIn(root: unknown, path: readonly PathSeg[], value: unknown): unknown {
  if (path.length === 0) return value;
  let cur = root as Record<string | number, unknown>;
  for (let i = 0; i < path.length - 1; i++) {
    const next = cur[path[i] as string];
    if (next === null || typeof next !== 'object') return undefined;
    const seg = path[i + 1]!;
    const minimal = (Array.isArray(next) ? [] : {}) as Record<string | number, unknown>;
    minimal[seg as string] = (next as Record<string | number, unknown>)[seg as string];
    if (Array.isArray(next) && typeof seg === 'number') for (let j = 0; j < seg; j++) (minimal as unknown as unknown[])[j] = next[j];
    cur[path[i] as string] = minimal;
    cur = minimal;
  }
  cur[path[path.length - 1] as string] = value;
  return root;
}
