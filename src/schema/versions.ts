/**
 * Which (group, version, kind) of the built-in API groups any Kubernetes
 * version ever served: the schemas of kubernetes-models (src/data/k8s-fields.json,
 * which keeps many removed versions) plus the removed versions of
 * src/data/deprecations.json. Used to tell a misspelt or invented apiVersion
 * of a built-in kind (`policy/v1` PodSecurityPolicy, `apps/v1beta3`
 * Deployment, `extensions/v1` Ingress) from a custom resource.
 */
import { loadData } from '../data/load.js';
import { fields } from './builtin.js';

interface DeprecationEntry {
  apiVersion: string;
  kinds: string[];
  removedIn?: string | null;
  replacement?: string | null;
}

export interface KindVersion {
  apiVersion: string;
  version: string;
  /** first Kubernetes release that no longer serves it, when removed */
  removedIn?: string;
}

interface Table {
  /** group → kind → versions ever served */
  byGroup: Map<string, Map<string, KindVersion[]>>;
  /** kind → served (not removed) apiVersions in any built-in group */
  current: Map<string, string[]>;
  /** `${apiVersion}/${kind}` → replacement named by the deprecation guide */
  replacement: Map<string, string>;
}

let table: Table | undefined;

function split(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

function build(): Table {
  const byGroup = new Map<string, Map<string, KindVersion[]>>();
  const replacement = new Map<string, string>();
  const removed = new Map<string, string>();
  const deps = loadData<{ entries: DeprecationEntry[] }>('deprecations.json').entries;
  for (const e of deps) {
    for (const k of e.kinds) {
      if (e.removedIn) removed.set(`${e.apiVersion}/${k}`, e.removedIn);
      if (e.replacement) replacement.set(`${e.apiVersion}/${k}`, e.replacement);
    }
  }
  const add = (apiVersion: string, kind: string): void => {
    const { group, version } = split(apiVersion);
    let kinds = byGroup.get(group);
    if (!kinds) byGroup.set(group, (kinds = new Map()));
    let list = kinds.get(kind);
    if (!list) kinds.set(kind, (list = []));
    if (list.some((v) => v.apiVersion === apiVersion)) return;
    const r = removed.get(`${apiVersion}/${kind}`);
    list.push(r ? { apiVersion, version, removedIn: r } : { apiVersion, version });
  };
  for (const key of Object.keys(fields().kinds)) {
    const i = key.lastIndexOf('/');
    add(key.slice(0, i), key.slice(i + 1));
  }
  for (const e of deps) for (const k of e.kinds) add(e.apiVersion, k);
  const current = new Map<string, string[]>();
  for (const kinds of byGroup.values()) {
    for (const [kind, list] of kinds) {
      for (const v of list) {
        if (v.removedIn) continue;
        let l = current.get(kind);
        if (!l) current.set(kind, (l = []));
        l.push(v.apiVersion);
      }
    }
  }
  return { byGroup, current, replacement };
}

/** Kubernetes version priority: GA > beta > alpha, then the major, then the pre-release number. */
export function versionRank(version: string): [number, number, number] | undefined {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(version);
  if (!m) return undefined;
  const level = m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0;
  return [Number(m[1]), level, m[3] === undefined ? 0 : Number(m[3])];
}

export function compareRank(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/**
 * Why no Kubernetes version serves `kind` in `apiVersion` of a built-in group,
 * or undefined when it is served, the group or kind is not built in, or the
 * version may be one added after the schemas this tool carries (a version
 * newer than every known one of a kind still served, or an alpha version).
 */
export function neverServed(apiVersion: string, kind: string): string | undefined {
  table ??= build();
  const { group, version } = split(apiVersion);
  const known = table.byGroup.get(group)?.get(kind);
  if (!known || known.length === 0) return undefined;
  if (known.some((v) => v.apiVersion === apiVersion)) return undefined;
  const rank = versionRank(version);
  if (rank && rank[1] === 0) return undefined; // alpha versions come and go without a trace in the guide
  const served = known.filter((v) => !v.removedIn);
  if (served.length > 0) {
    // a version newer than every served one may come with a later Kubernetes release
    if (!rank) return undefined;
    const newest = served.map((v) => versionRank(v.version)).filter((r): r is [number, number, number] => r !== undefined);
    if (newest.length === 0 || newest.every((r) => compareRank(rank, r) > 0)) return undefined;
  }
  const describe = (v: KindVersion): string => (v.removedIn ? `${v.apiVersion} (removed in ${v.removedIn})` : v.apiVersion);
  const sorted = known.slice().sort((a, b) => compareRank(versionRank(b.version) ?? [0, 0, 0], versionRank(a.version) ?? [0, 0, 0]));
  const was = served.length > 0 ? `it is served as ${served.map(describe).join(', ')}` : `it was ${sorted.map(describe).join(', ')}`;
  let use = '';
  if (served.length === 0) {
    const elsewhere = table.current.get(kind) ?? [];
    const repl = sorted.map((v) => table!.replacement.get(`${v.apiVersion}/${kind}`)).find((r) => r !== undefined);
    if (repl && elsewhere.includes(repl)) use = `; use ${repl}`;
    else if (elsewhere.length > 0) use = `; use ${elsewhere[0]}`;
    else use = `; no current Kubernetes version serves ${kind} at all`;
  }
  return `no Kubernetes version serves ${kind} in ${apiVersion}; ${was}${use}`;
}

/** The apiVersions a current Kubernetes release serves a built-in kind in (empty for a kind no built-in group has). */
export function servedApiVersions(kind: string): string[] {
  table ??= build();
  return table.current.get(kind) ?? [];
}

const NOT_RESOURCES = new Set(['Status', 'DeleteOptions', 'WatchEvent', 'APIGroup', 'APIGroupList', 'APIVersions', 'APIResourceList']);

/**
 * What a cluster of the target minor version answers in discovery for its built-in resources, as helm's
 * `.Capabilities.APIVersions` holds it on `helm install`: `group/version/Kind` of every kind served then (GA and
 * beta; alpha APIs are off by default), removed ones left out, and each such `group/version`. `helm template` offline
 * knows only the group/versions of client-go's scheme, so a chart asking `Has "policy/v1/PodDisruptionBudget"`
 * (consul) renders its policy/v1beta1 branch unless told, and one asking `Has "apiregistration.k8s.io/v1"`
 * (prometheus-adapter: a group client-go's scheme lacks) its removed v1beta1 APIService.
 */
export function servedKindVersions(minor: number): string[] {
  table ??= build();
  const gone = (v: KindVersion): boolean => {
    const removed = v.removedIn === undefined ? undefined : Number(/^1\.(\d+)/.exec(v.removedIn)?.[1]);
    return removed !== undefined && Number.isFinite(removed) && removed <= minor;
  };
  // a group version that lost a kind is gone from discovery as a whole (apps/v1beta1's Scale went with its Deployment)
  const goneVersions = new Set<string>();
  for (const kinds of table.byGroup.values())
    for (const list of kinds.values()) for (const v of list) if (gone(v)) goneVersions.add(v.apiVersion);
  const out: string[] = [];
  const groupVersions = new Set<string>();
  for (const kinds of table.byGroup.values())
    for (const [kind, list] of kinds) {
      if (kind.endsWith('List') || NOT_RESOURCES.has(kind)) continue;
      for (const v of list) {
        const rank = versionRank(v.version);
        if (!rank || rank[1] === 0 || goneVersions.has(v.apiVersion)) continue;
        out.push(`${v.apiVersion}/${kind}`);
        groupVersions.add(v.apiVersion);
      }
    }
  out.push(...groupVersions);
  return out.sort();
}

/**
 * Kinds that Kubernetes releases newer than this tool's schemas (SCHEMA_KUBERNETES_VERSION) serve in a built-in group
 * its schemas know: `apiVersion/kind` → the minor version that serves it on by default. MutatingAdmissionPolicy:
 * alpha in 1.32 (off by default), beta in 1.34 (off by default), GA in 1.36 (KEP-3962).
 */
const LATER_KINDS: Record<string, number> = {
  'admissionregistration.k8s.io/v1/MutatingAdmissionPolicy': 36,
  'admissionregistration.k8s.io/v1/MutatingAdmissionPolicyBinding': 36,
};

/** The minor version from which Kubernetes serves this kind in this apiVersion, for kinds newer than the schemas. */
export function servedFromLater(apiVersion: string, kind: string): number | undefined {
  return LATER_KINDS[`${apiVersion}/${kind}`];
}
