/**
 * Substitution variables filled in before apply: `${VAR}` (envsubst, clusterctl's templates, Flux's postBuild
 * substitution; `${VAR:=default}` and `${A:-${B}}` forms too), `{{ … }}` left in a plain manifest, or a whole
 * upper-case name a `sed` replaces (`FILESTORE_CAPACITY`), also in single braces (`{GATEWAY_CONTROLLER_NAME}`, which
 * gateway-api's conformance suite replaces in Go before applying), or a whole value in angle brackets that a reader
 * fills in (`<insert-secret-here>`, nginx/kubernetes-ingress's examples), or an upper-case name in square brackets
 * (`[YOUR_BASE64_AK_ID]`, which YAML reads as a one-item list), or a whole value that describes its content between
 * ellipses (`dhparam.pem: "...base64 encoded data..."`, ingress-nginx's examples), or a whole value that is a phrase of
 * three or more words in capitals (`FILLED BY THE OPERATOR`, which NVIDIA's gpu-operator fills in its assets). They replace
 * text before the YAML is read, so `data: ${CNI_RESOURCES}` may become a mapping, `port: ${PORT}` a number and
 * `namespace: ${NS:-default}` a valid name: what the cluster gets is not known here.
 */
import type { Path } from '../parse/source.js';
import { isObj, own } from './object.js';

const VARIABLE = /\$\{[A-Za-z_][A-Za-z0-9_]*[}:=?+-]|\{\{/;
/** a whole value that names what goes there, for `sed` to replace (`storage: FILESTORE_CAPACITY`, GKE's samples) */
const NAMED = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
/** a whole value in angle brackets that says what to put there (`client-secret: <insert-secret-here>`, `<YOUR_TOKEN>`) */
const ANGLED = /^<[A-Za-z][^<>]*>$/;
/** an upper-case name in single braces anywhere in the value (`controllerName: "{GATEWAY_CONTROLLER_NAME}"`) */
const BRACED = /\{[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\}/;
/** a whole value of words between ellipses that describes what goes there (`"...base64 encoded data..."`) */
const ELLIPSIZED = /^(?:\.{3}|\u2026) ?[A-Za-z][\w -]*[\w] ?(?:\.{3}|\u2026)$/;
/** a whole value that is a phrase in capitals saying who fills it in (`FILLED BY THE OPERATOR`, NVIDIA gpu-operator's assets) */
const PHRASE = /^[A-Z][A-Z0-9]*(?: [A-Z][A-Z0-9]*){2,}$/;

/** Whether a value is a string that holds a substitution variable, or is an upper-case placeholder name. */
export function isSubstitution(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  if (v.includes('${') || v.includes('{{')) return VARIABLE.test(v);
  if (v.includes('{')) return BRACED.test(v);
  if (v.charCodeAt(0) === 0x3c) return ANGLED.test(v);
  const c = v.charCodeAt(0);
  if (c === 0x2e || c === 0x2026) return ELLIPSIZED.test(v);
  if (c < 0x41 || c > 0x5a) return false;
  return v.includes('_') ? NAMED.test(v) : v.includes(' ') && PHRASE.test(v);
}

/**
 * An upper-case name in square brackets, which YAML reads as a one-item list (`access-key: [YOUR_BASE64_AK_ID]`,
 * cluster-autoscaler's cloud provider examples): as written, `[YOUR_BASE64_AK_ID]`.
 */
function bracketed(v: unknown): string | undefined {
  if (!Array.isArray(v) || v.length !== 1) return undefined;
  const item: unknown = v[0];
  return typeof item === 'string' && NAMED.test(item) ? `[${item}]` : undefined;
}

/** The string holding a substitution variable at a path of an object's data, or on the way to it (where the walk stops). */
export function substitutionAt(data: unknown, path: Path): string | undefined {
  let v: unknown = data;
  for (const seg of path) {
    if (isSubstitution(v)) return v;
    const b = bracketed(v);
    if (b !== undefined) return b;
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (isObj(v) && typeof seg === 'string') v = own(v, seg);
    else return undefined;
  }
  return isSubstitution(v) ? v : bracketed(v);
}

/**
 * A placeholder written as a key with an empty value, which a script replaces with a block
 * (`HELMSUBST_SERVICE_TYPE: ""`, gatekeeper's helmify input): an unknown field named in upper-case snake case
 * (Kubernetes field names are camelCase), or a value that must be a list or a scalar but is a mapping of such keys
 * alone. As written, the key (or `{KEY}`). An upper-case key with a value (`DB_HOST: db`, an env var written in the
 * wrong place) is a mistake, not a placeholder.
 */
export function placeholderKeyAt(data: unknown, path: Path, unknownField: boolean): string | undefined {
  const parentPath = unknownField ? path.slice(0, -1) : path;
  let v: unknown = data;
  for (const seg of parentPath) {
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (isObj(v) && typeof seg === 'string') v = own(v, seg);
    else return undefined;
  }
  if (!isObj(v)) return undefined;
  const empty = (k: string): boolean => NAMED.test(k) && (own(v, k) === '' || own(v, k) === null);
  if (unknownField) {
    const last = path[path.length - 1];
    return typeof last === 'string' && empty(last) ? last : undefined;
  }
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every(empty) ? `{${keys.join(', ')}}` : undefined;
}
