/**
 * What a rule read from the object index, for the incremental cache (incremental.ts).
 *
 * A recording facade wraps the {@link ObjectIndex}: every method call records the keys it reads, as
 * coarse strings that objects "answer" (see {@link answeredKeys}): an object changing in any way
 * changes the answer of exactly the keys it answers, so a check whose recorded keys meet none of them
 * read nothing that changed. A method missing from {@link INDEX_READS}, and any other property (such
 * as `all`), records {@link ALL}: the check is then re-run on any change. A new index method is
 * covered precisely by adding one line to the table.
 */
import type { ManifestObject, Obj } from '../model/object.js';
import { ObjectIndex, dirKey, isClusterScoped, selectorNarrowing } from '../model/index.js';
import { isCustomResource } from '../model/operators.js';
import { compileSelector, labelString, type CompiledSelector } from '../util/selector.js';
import { isObj } from '../model/object.js';
import { isWorkload, podLabels } from '../model/workload.js';

type MO = ManifestObject<Obj>;

/** The key that stands for every object of the index. */
export const ALL = '*';

const kindKey = (kind: string): string => `K\0${kind}`;
const kindNsKey = (kind: string, ns: string): string => `KN\0${kind}\0${ns}`;
const nameKey = (kind: string, ns: string, name: string): string => `KNN\0${kind}\0${isClusterScoped(kind) ? '' : ns}\0${name}`;
const kindNameKey = (kind: string, name: string): string => `N\0${kind}\0${name}`;
const idKey = (o: ManifestObject<unknown>): string => `ID\0${ObjectIndex.identity(o)}`;
const workloadKey = (ns?: string): string => (ns === undefined ? 'W' : `W\0${ns}`);
/** a workload's pod label pair, in its namespace or in any */
const labelKey = (ns: string | undefined, k: string, v: string): string => (ns === undefined ? `LA\0${k}\0${v}` : `L\0${ns}\0${k}\0${v}`);
/** a selector of a kind in a namespace filed under a label pair, or always tried */
const selKey = (kind: string, ns: string, k: string, v: string): string => `S\0${kind}\0${ns}\0${k}\0${v}`;
const selAlwaysKey = (kind: string, ns: string): string => `SA\0${kind}\0${ns}`;
const dirObjKey = (kind: string, ns: string, dir: string): string => `D\0${kind}\0${ns}\0${dir}`;
const dirWorkloadKey = (ns: string, dir: string): string => `WD\0${ns}\0${dir}`;
const hpaKey = (ns: string, kind: string, name: string): string => `H\0${ns}\0${kind}\0${name}`;
const crKey = (ns: string): string => `CR\0${ns}`;

/**
 * Reads of whether something exists rather than of its members: an object answers existence keys
 * (`X` + the derived keys + what is counted, e.g. the workloads of one kind in a namespace); when the number
 * of objects answering one goes from none to some or back, the run makes its derived keys dirty (the reads
 * of `hasWorkloads(ns)`, of `hasWorkloadsInDirectory(ns, dir)`, of `namespaces()`). So a check that only
 * asks whether a namespace holds workloads is not re-run for every workload edited there.
 */
export const EXISTENCE = 'X\0';
export const NS_SET = 'NSSET';
const existenceKey = (derived: string[], counted: string): string => `${EXISTENCE}${JSON.stringify([derived, counted])}`;
const hasWorkloadsKey = (ns: string): string => `EW\0${ns}`;
const hasWorkloadsInDirKey = (ns: string, dir: string): string => `EWD\0${ns}\0${dir}`;

/** The derived keys of an existence key (see {@link EXISTENCE}); [] for the other keys. */
export function existenceKeys(key: string): string[] {
  return key.startsWith(EXISTENCE) ? (JSON.parse(key.slice(EXISTENCE.length)) as [string[], string])[0] : [];
}

/** The keys a selector query over workloads reads: the narrowing label pairs, else every workload of the namespace. */
function matchingKeys(ns: string, selector: CompiledSelector): string[] {
  if (!selector.valid) return [];
  const n = selector.narrowing;
  return n ? n.values.map((v) => labelKey(ns, n.key, v)) : [workloadKey(ns)];
}

/** The keys of a selector table query (servicesSelecting and the like): the label pairs given, and the selectors always tried. */
function selectingKeys(kind: string, ns: string, labels: unknown): string[] {
  const out = [selAlwaysKey(kind, ns)];
  if (isObj(labels)) {
    for (const k of Object.keys(labels)) {
      const v = labelString(labels[k]);
      if (v !== undefined) out.push(selKey(kind, ns, k, v));
    }
  }
  return out;
}

/** The keys each method call reads, by method name; the arguments are the call's. */
/* eslint-disable @typescript-eslint/no-explicit-any */
export const INDEX_READS: Record<string, (...args: any[]) => string[]> = {
  // the context set is fixed while the incremental state is used (a changed context file starts afresh)
  isContext: () => [],
  // only ever compared with another object's: the relative order of two objects no other change alters
  position: () => [],
  sameIdentity: (o: MO) => [idKey(o)],
  resolve: (kind: string, _group: string | undefined, ns: string, name: string) => [nameKey(kind, ns, name)],
  // pure functions of their arguments (objects read through other calls) and the files' paths
  nearestEach: () => [],
  isNearest: (target: MO) => [idKey(target)],
  list: (kind: string, ns?: string) => [ns === undefined ? kindKey(kind) : kindNsKey(kind, ns)],
  inDirectory: (kind: string, ns: string, from: MO) => [dirObjKey(kind, ns, dirKey(from))],
  workloadsInDirectory: (ns: string, from: MO) => [dirWorkloadKey(ns, dirKey(from))],
  // every name of the list may be the closest
  closestName: (kind: string, ns: string) => [kindNsKey(kind, ns)],
  named: (kind: string, name: string) => [kindNameKey(kind, name)],
  get: (kind: string, ns: string, name: string) => [nameKey(kind, ns, name)],
  find: (kind: string, ns: string, name: string) => [nameKey(kind, ns, name)],
  secret: (ns: string, name: string) => [nameKey('Secret', ns, name)],
  configMap: (ns: string, name: string) => [nameKey('ConfigMap', ns, name)],
  workloadsWithLabel: (k: string, v: string, ns?: string) => [labelKey(ns, k, v)],
  workloadsMatching: (ns: string, selector: CompiledSelector) => matchingKeys(ns, selector),
  workloadsSelectedBy: (ns: string, selector: unknown, kind: 'labelSelector' | 'map' = 'labelSelector') => {
    if (kind === 'labelSelector') return matchingKeys(ns, compileSelector(selector));
    const first = isObj(selector) ? Object.keys(selector)[0] : undefined;
    const v = first === undefined ? undefined : labelString((selector as Obj)[first]);
    return first === undefined || v === undefined ? [] : [labelKey(ns, first, v)];
  },
  workloads: (ns?: string) => [workloadKey(ns)],
  hasWorkloads: (ns: string) => [hasWorkloadsKey(ns)],
  hasWorkloadsInDirectory: (ns: string, from: MO) => [hasWorkloadsInDirKey(ns, dirKey(from))],
  namespaces: () => [NS_SET],
  customResources: (ns: string) => [crKey(ns)],
  servicesSelecting: (ns: string, labels: unknown) => selectingKeys('Service', ns, labels),
  hpasTargeting: (w: MO) => [hpaKey(w.namespace, w.kind, w.name), idKey(w)],
  pdbsSelecting: (ns: string, labels: unknown) => selectingKeys('PodDisruptionBudget', ns, labels),
  networkPoliciesSelecting: (ns: string, labels: unknown) => selectingKeys('NetworkPolicy', ns, labels),
  ingresses: (ns: string) => [kindNsKey('Ingress', ns)],
  certificates: (ns: string) => [kindNsKey('Certificate', ns)],
  limitRanges: (ns: string) => [kindNsKey('LimitRange', ns)],
};
/* eslint-enable @typescript-eslint/no-explicit-any */

const SELECTING_KINDS = new Set(['Service', 'PodDisruptionBudget', 'NetworkPolicy']);

/**
 * Every key whose answer an object takes part in (the union over all methods of {@link INDEX_READS}): an
 * object is in an answer, or its presence changes one, only if it answers the answer's key.
 */
export function answeredKeys(o: MO): string[] {
  const ns = o.namespace;
  const keys = [
    kindKey(o.kind),
    kindNsKey(o.kind, ns),
    nameKey(o.kind, ns, o.name),
    kindNameKey(o.kind, o.name),
    idKey(o),
    dirObjKey(o.kind, ns, dirKey(o)),
  ];
  if (isWorkload(o)) {
    const dir = dirKey(o);
    keys.push(
      workloadKey(),
      workloadKey(ns),
      dirWorkloadKey(ns, dir),
      existenceKey([hasWorkloadsKey(ns), NS_SET], o.kind),
      existenceKey([hasWorkloadsInDirKey(ns, dir)], o.kind),
    );
    const labels = podLabels(o);
    for (const k of Object.keys(labels)) {
      const v = labelString(labels[k]);
      if (v !== undefined) keys.push(labelKey(ns, k, v), labelKey(undefined, k, v));
    }
  }
  if (SELECTING_KINDS.has(o.kind)) {
    const n = selectorNarrowing(o.kind, o).narrowing;
    if (n === 'always') keys.push(selAlwaysKey(o.kind, ns));
    else if (n !== 'never') for (const v of n.values) keys.push(selKey(o.kind, ns, n.key, v));
  }
  if (o.kind === 'HorizontalPodAutoscaler') {
    const spec = o.data.spec;
    const ref = isObj(spec) ? spec.scaleTargetRef : undefined;
    if (isObj(ref) && typeof ref.kind === 'string' && typeof ref.name === 'string') keys.push(hpaKey(ns, ref.kind, ref.name));
  }
  if (o.kind === 'Namespace') keys.push(existenceKey([NS_SET], o.name));
  if (!isClusterScoped(o.kind)) keys.push(existenceKey([NS_SET], ns));
  if (isCustomResource(o)) keys.push(crKey(ns));
  return keys;
}

/** Where the facade records: the keys of the check that runs now (undefined: nothing is recorded). */
export interface ReadRecorder {
  reads: Set<string> | undefined;
  /** the absolute path of the file whose check runs now */
  file?: string;
  /** set when the check running now read its own file's source: a position, a parsed document, the text (a fix) */
  src?: boolean;
}

/** The index as a rule sees it: the same answers, each read recorded into `rec.reads`. */
export function recordingIndex(index: ObjectIndex, rec: ReadRecorder): ObjectIndex {
  const wrappers = new Map<PropertyKey, unknown>();
  return new Proxy(index, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof prop === 'symbol' || prop === 'constructor') return value;
      if (typeof value !== 'function') {
        rec.reads?.add(ALL);
        return value;
      }
      let w = wrappers.get(prop);
      if (!w) {
        const keysOf = Object.prototype.hasOwnProperty.call(INDEX_READS, prop) ? INDEX_READS[prop]! : () => [ALL];
        const fn = value as (...a: unknown[]) => unknown;
        w = (...args: unknown[]): unknown => {
          const reads = rec.reads;
          if (reads) for (const k of keysOf(...args)) reads.add(k);
          return fn.apply(target, args);
        };
        wrappers.set(prop, w);
      }
      return w;
    },
  });
}
