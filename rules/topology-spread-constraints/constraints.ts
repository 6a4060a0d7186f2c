/** How a workload's topology spread constraints and anti-affinity terms fail to spread its own pods. */
import { formatSelector } from '../../src/util/format.js';
import { asArray, isObj, own, type Obj } from '../../src/model/object.js';
import type { PodTemplate } from '../../src/model/workload.js';
import type { PathSeg } from '../../src/parse/source.js';
import { compileSelector } from '../../src/util/selector.js';

export interface Spreader {
  kind: 'constraint' | 'anti-affinity';
  /** path of the constraint or affinity term (podAffinityTerm for preferred terms) */
  path: PathSeg[];
  /** path of the item in its list (for messages about the whole entry) */
  itemPath: PathSeg[];
  key: string | undefined;
  hard: boolean;
  /** why it does not select the workload's own pods, or undefined when it does */
  miss: string | undefined;
  /** field to point at when it does not select */
  missPath: PathSeg[];
  label: string;
  /** the valid labelSelector of an anti-affinity term that does not select the workload's own pods */
  otherSelector?: unknown;
}

/**
 * Whether a labelSelector names none of the pod's label keys and none of its values: it is written for other pods
 * (an anti-affinity term that keeps a backend out of the zones of a gateway's proxies), not a near miss of the
 * pod's own labels (a typo, `app` relabelled `app.kubernetes.io/name`).
 */
export function sharesNoLabel(sel: unknown, labels: Obj): boolean {
  if (!isObj(sel)) return false;
  const keys: unknown[] = [];
  const values: unknown[] = [];
  if (isObj(sel.matchLabels)) for (const [k, v] of Object.entries(sel.matchLabels)) keys.push(k), values.push(v);
  for (const e of asArray(sel.matchExpressions)) if (isObj(e)) keys.push(e.key), values.push(...asArray(e.values));
  const own = Object.values(labels);
  return !keys.some((k) => typeof k === 'string' && Object.hasOwn(labels, k)) && !values.some((v) => own.includes(v));
}

/** Why a label selector does not select the pod labels, or undefined when it does. */
function selectorMiss(sel: unknown, labels: Obj): string | undefined {
  const c = compileSelector(sel);
  if (!c.valid) {
    const p = c.problems.find((x) => x.fatal);
    return `has an invalid labelSelector${p ? ` (${p.path ? `${p.path}: ` : ''}${p.message})` : ''}, which selects no pods`;
  }
  if (c.matches(labels)) return undefined;
  return `has labelSelector ${formatSelector(sel)}`;
}

/** Why a term's labelSelector misses the workload's own pods (undefined when it selects them), and where to report it. */
/** topologySpreadConstraints values the API server rejects: maxSkew below 1, minDomains below 1 or with ScheduleAnyway. */
export function constraintProblems(tpl: PodTemplate): { path: PathSeg[]; message: string }[] {
  const out: { path: PathSeg[]; message: string }[] = [];
  asArray(own(tpl.spec, 'topologySpreadConstraints')).forEach((c, i) => {
    if (!isObj(c)) return;
    const path = [...tpl.specPath, 'topologySpreadConstraints', i];
    const at = `topologySpreadConstraints[${i}]`;
    if (typeof c.maxSkew === 'number' && c.maxSkew < 1) {
      out.push({
        path: [...path, 'maxSkew'],
        message: `${at} sets maxSkew: ${String(c.maxSkew)}; the API server rejects it (maxSkew must be at least 1). Use maxSkew: 1.`,
      });
    }
    if (typeof c.minDomains === 'number') {
      if (c.minDomains < 1)
        out.push({
          path: [...path, 'minDomains'],
          message: `${at} sets minDomains: ${String(c.minDomains)}; the API server rejects it (minDomains must be at least 1). Remove it or set 1 or more.`,
        });
      else if (c.whenUnsatisfiable === 'ScheduleAnyway')
        out.push({
          path: [...path, 'minDomains'],
          message: `${at} sets minDomains with whenUnsatisfiable: ScheduleAnyway; the API server rejects it (minDomains works only with DoNotSchedule). Remove minDomains or use DoNotSchedule.`,
        });
    }
  });
  return out;
}

/** Constraints without labelSelector on objects the spread analysis does not cover (bare Pods, one replica): they count no pods. */
export function selectorlessConstraints(tpl: PodTemplate): { path: PathSeg[]; message: string }[] {
  const out: { path: PathSeg[]; message: string }[] = [];
  asArray(own(tpl.spec, 'topologySpreadConstraints')).forEach((c, i) => {
    if (!isObj(c) || (c.labelSelector !== undefined && c.labelSelector !== null)) return;
    out.push({
      path: [...tpl.specPath, 'topologySpreadConstraints', i],
      message: `topologySpreadConstraints[${i}] has no labelSelector, so it counts no pods and spreads nothing; add a labelSelector that matches the pod labels.`,
    });
  });
  return out;
}

export function ownSelectorMiss(term: Obj, path: PathSeg[], labels: Obj, verb: string): { miss: string | undefined; missPath: PathSeg[] } {
  const sel = own(term, 'labelSelector');
  if (sel === undefined || sel === null) return { miss: `has no labelSelector, so it ${verb} no pods at all`, missPath: path };
  return { miss: selectorMiss(sel, labels), missPath: [...path, 'labelSelector'] };
}

export function antiSpreader(
  t: Obj,
  path: PathSeg[],
  itemPath: PathSeg[],
  hard: boolean,
  label: string,
  labels: Obj,
  namespace: string,
): Spreader {
  const key = typeof t.topologyKey === 'string' ? t.topologyKey : undefined;
  let { miss, missPath } = ownSelectorMiss(t, path, labels, 'matches');
  if (miss === undefined) {
    const mismatch = asArray(own(t, 'mismatchLabelKeys')).filter(
      (k): k is string => typeof k === 'string' && Object.prototype.hasOwnProperty.call(labels, k),
    );
    if (mismatch.length) {
      miss = `has mismatchLabelKeys [${mismatch.join(', ')}], which excludes pods that share this pod's value`;
      missPath = [...path, 'mismatchLabelKeys'];
    }
  }
  if (miss === undefined) {
    const nss = asArray(own(t, 'namespaces')).filter((n): n is string => typeof n === 'string');
    const nsSel = own(t, 'namespaceSelector');
    if (nss.length > 0 && !nss.includes(namespace) && (nsSel === undefined || nsSel === null)) {
      miss = `looks only in namespaces ${nss.join(', ')}, not in ${namespace}`;
      missPath = [...path, 'namespaces'];
    }
  }
  const sel = own(t, 'labelSelector');
  const other = miss !== undefined && missPath[missPath.length - 1] === 'labelSelector' && compileSelector(sel).valid;
  return { kind: 'anti-affinity', path, itemPath, key, hard, miss, missPath, label, ...(other ? { otherSelector: sel } : {}) };
}
