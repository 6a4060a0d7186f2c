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
import { ObjectIndex, isClusterScoped } from '../model/index.js';
import { isWorkload } from '../model/workload.js';

type MO = ManifestObject<Obj>;

/** The key that stands for every object of the index. */
export const ALL = '*';

const kindKey = (kind: string): string => `K\0${kind}`;
const kindNsKey = (kind: string, ns: string): string => `KN\0${kind}\0${ns}`;
const nameKey = (kind: string, ns: string, name: string): string => `KNN\0${kind}\0${isClusterScoped(kind) ? '' : ns}\0${name}`;
const kindNameKey = (kind: string, name: string): string => `N\0${kind}\0${name}`;
const idKey = (o: ManifestObject<unknown>): string => `ID\0${ObjectIndex.identity(o)}`;
const workloadKey = (ns?: string): string => (ns === undefined ? 'W' : `W\0${ns}`);

/** The keys each method call reads, by method name; the arguments are the call's. */
/* eslint-disable @typescript-eslint/no-explicit-any */
export const INDEX_READS: Record<string, (...args: any[]) => string[]> = {
  // the context set is fixed while the incremental state is used (a changed context file starts afresh)
  isContext: () => [],
  sameIdentity: (o: MO) => [idKey(o)],
  resolve: (kind: string, _group: string | undefined, ns: string, name: string) => [nameKey(kind, ns, name)],
  // pure functions of their arguments (objects read through other calls) and the files' paths
  nearestEach: () => [],
  isNearest: (target: MO) => [idKey(target)],
  list: (kind: string, ns?: string) => [ns === undefined ? kindKey(kind) : kindNsKey(kind, ns)],
  named: (kind: string, name: string) => [kindNameKey(kind, name)],
  get: (kind: string, ns: string, name: string) => [nameKey(kind, ns, name)],
  find: (kind: string, ns: string, name: string) => [nameKey(kind, ns, name)],
  secret: (ns: string, name: string) => [nameKey('Secret', ns, name)],
  configMap: (ns: string, name: string) => [nameKey('ConfigMap', ns, name)],
  workloadsSelectedBy: (ns: string) => [workloadKey(ns)],
  workloads: (ns?: string) => [workloadKey(ns)],
  servicesSelecting: (ns: string) => [kindNsKey('Service', ns)],
  hpasTargeting: (w: MO) => [kindNsKey('HorizontalPodAutoscaler', w.namespace), idKey(w)],
  pdbsSelecting: (ns: string) => [kindNsKey('PodDisruptionBudget', ns)],
  networkPoliciesSelecting: (ns: string) => [kindNsKey('NetworkPolicy', ns)],
  ingresses: (ns: string) => [kindNsKey('Ingress', ns)],
  certificates: (ns: string) => [kindNsKey('Certificate', ns)],
  limitRanges: (ns: string) => [kindNsKey('LimitRange', ns)],
};
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Every key whose answer an object takes part in (the union over all methods of {@link INDEX_READS}). */
export function answeredKeys(o: MO): string[] {
  const keys = [kindKey(o.kind), kindNsKey(o.kind, o.namespace), nameKey(o.kind, o.namespace, o.name), kindNameKey(o.kind, o.name), idKey(o)];
  if (isWorkload(o)) keys.push(workloadKey(), workloadKey(o.namespace));
  return keys;
}

/** Where the facade records: the keys of the check that runs now (undefined: nothing is recorded). */
export interface ReadRecorder {
  reads: Set<string> | undefined;
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
