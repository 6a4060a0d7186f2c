/**
 * Substitution variables filled in before apply: `${VAR}` (envsubst, clusterctl's templates, Flux's postBuild
 * substitution; `${VAR:=default}` and `${A:-${B}}` forms too) or `{{ … }}` left in a plain manifest. They replace
 * text before the YAML is read, so `data: ${CNI_RESOURCES}` may become a mapping, `port: ${PORT}` a number and
 * `namespace: ${NS:-default}` a valid name: what the cluster gets is not known here.
 */
import type { Path } from '../parse/source.js';
import { isObj, own } from './object.js';

const VARIABLE = /\$\{[A-Za-z_][A-Za-z0-9_]*[}:=?+-]|\{\{/;

/** Whether a value is a string that holds a substitution variable. */
export function isSubstitution(v: unknown): v is string {
  return typeof v === 'string' && (v.includes('${') || v.includes('{{')) && VARIABLE.test(v);
}

/** The string holding a substitution variable at a path of an object's data, or on the way to it (where the walk stops). */
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
