/**
 * What a parsed document's shape says about it: a Kubernetes object (or a list of them), another tool's file, or a
 * template or data that does not parse and that, fixed, would still hold no object.
 */
import { isObj, type Obj } from '../model/object.js';
import { parseText } from '../parse/parse.js';
import { parseJsonc } from '../parse/jsonc.js';
import { servedApiVersions } from '../schema/versions.js';

const isJsonName = (absPath: string): boolean => absPath.toLowerCase().endsWith('.json');

/** `kind:` or `apiVersion:` as a key (YAML or JSON), not a word in a string or comment (`"features/kind:1"`) */
const TYPE_KEY = /(?:^|[\s{,[-])["']?(?:kind|apiVersion)["']?[ \t]*:/m;

/**
 * A template whose placeholders are all that keeps it from parsing, and which with them filled in holds no Kubernetes
 * object (a Helm values file or another tool's configuration with `{{.Tag}}` placeholders, whose `kind:` keys belong
 * to manifests embedded deeper down: vcluster's e2e values): a template of something else, not a broken manifest.
 */
function templateOfNoManifest(absPath: string, text: string): boolean {
  if (isJsonName(absPath) || !/\{\{|\{%/.test(text)) return false;
  const filled = text.replace(/\{%.*?%\}/g, '').replace(/\{\{.*?\}\}/g, 'placeholder');
  const again = parseText(filled, { json: false });
  if (again.errors.length > 0) return false;
  const docs = again.documents.filter((d) => d.ok && !d.empty);
  return docs.length > 0 && !docs.some((d) => looksLikeManifest(d.value));
}

/**
 * A file that does not parse and in which neither `kind` nor `apiVersion` appears as a key: whatever it is (JSON
 * lines, a data fixture, a Go template, another tool's YAML such as a KEP's kep.yaml), fixed it would still be no
 * Kubernetes object, as a parsed file without them is not. JSON with comments whose top level is no object neither.
 */
export function dataOrTemplate(absPath: string, text: string): 'data' | 'template' | undefined {
  if (!TYPE_KEY.test(text)) return 'data';
  if (templateOfNoManifest(absPath, text)) return 'template';
  // JSON with comments whose top level is no object (VS Code's launch.json has "kind" keys deeper down)
  const jsonc = isJsonName(absPath) ? parseJsonc(text) : undefined;
  return jsonc !== undefined && !looksLikeManifest(jsonc.value) ? 'data' : undefined;
}

/**
 * A mapping with `kind`, or with a string `apiVersion` and `metadata`. Other
 * tools' files carry an `apiVersion` but neither `kind` nor `metadata`
 * (Grafana provisioning: `apiVersion: 1`; a Helm repository's index.yaml:
 * `apiVersion: v1`, `entries`), and are not Kubernetes objects.
 */
function hasTypeKey(v: unknown): boolean {
  if (!isObj(v)) return false;
  const has = (k: string) => Object.prototype.hasOwnProperty.call(v, k);
  if (!has('apiVersion') && foreignApiVersion(v) !== undefined) return false;
  // a kind that is a mapping or a list is some other format's key (`"kind": {"failover": 240}`), unless apiVersion and metadata say otherwise;
  // a kind alone, with neither apiVersion nor metadata, is a tool's configuration (kube-state-metrics' CustomResourceStateMetrics)
  if (has('kind') && !isObj(v.kind) && !Array.isArray(v.kind) && (has('apiVersion') || has('metadata')) && toolKind(v) === undefined)
    return true;
  return has('apiVersion') && (typeof v.apiVersion === 'string' || v.apiVersion === null) && has('metadata');
}

/**
 * `apiVersion` written in another case (`apiversion`), with a value whose API group is no Kubernetes group (none
 * without a dot, none ending in `.k8s.io`): a tool that reads keys in any case reads that file (operator-sdk's
 * `bundle/tests/scorecard/config.yaml`, `apiversion: scorecard.operatorframework.io/v1alpha3`), not the API server.
 * The key as written, or undefined. (`apiversion: apps/v1` is a manifest with a mistake, reported as one.)
 */
export function foreignApiVersion(v: Obj): string | undefined {
  const key = Object.keys(v).find((k) => k !== 'apiVersion' && k.toLowerCase() === 'apiversion');
  const value = key === undefined ? undefined : v[key];
  if (typeof value !== 'string' || !value.includes('/')) return undefined;
  const group = value.slice(0, value.lastIndexOf('/'));
  return group.includes('.') && !group.endsWith('.k8s.io') && !group.endsWith('.kubernetes.io') ? key : undefined;
}

/**
 * The kind of a mapping with a kind and metadata but no apiVersion, when no Kubernetes release serves that kind: another
 * tool's file in the manifests' shape (kops' channel `kind: Addons`), which kubectl never gets. A built-in kind without
 * apiVersion is a manifest that lost it.
 */
export function toolKind(v: unknown): string | undefined {
  if (!isObj(v) || v.apiVersion !== undefined || typeof v.kind !== 'string' || v.kind === '' || !isObj(v.metadata)) return undefined;
  // apiVersion in another case with a Kubernetes group (`ApiVersion: gateway.networking.k8s.io/v1`): a manifest with a typo
  if (Object.keys(v).some((k) => k.toLowerCase() === 'apiversion')) return undefined;
  return servedApiVersions(v.kind).length === 0 ? v.kind : undefined;
}

/** A document that is, or lists, Kubernetes objects: some mapping with apiVersion or kind. */
export function looksLikeManifest(v: unknown): boolean {
  if (hasTypeKey(v)) return true;
  return isObj(v) && Array.isArray(v.items) && v.items.some(hasTypeKey);
}
