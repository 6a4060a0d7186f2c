/**
 * Substitution variables filled in before apply: a whole value `${VAR}` (envsubst, clusterctl's templates, Flux's
 * postBuild substitution; `${VAR:=default}` forms too) or `{{ … }}` left in a plain manifest. They replace text, not
 * values, so `data: ${CNI_RESOURCES}` may become a mapping and `replicas: ${N}` a number: what the cluster gets
 * is not known here.
 */
import type { Path } from '../parse/source.js';
import { isObj, own } from './object.js';

const WHOLE = /^\s*(?:\$\{[A-Za-z_][A-Za-z0-9_]*(?:[:=?+-][^{}]*)?\}|\{\{[^{}]*\}\})\s*$/;

/** Whether a value is one whole substitution variable. */
export function isSubstitution(v: unknown): v is string {
  return typeof v === 'string' && v.length < 200 && (v.includes('${') || v.includes('{{')) && WHOLE.test(v);
}

/** The substitution variable at a path of an object's data, or on the way to it (where the walk stops), if any. */
export function substitutionAt(data: unknown, path: Path): string | undefined {
  let v: unknown = data;
  for (const seg of path) {
    if (isSubstitution(v)) return v;
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (isObj(v) && typeof seg === 'string') v = own(v, seg);
    else return undefined;
  }
  return isSubstitution(v) ? v : undefined;
}
