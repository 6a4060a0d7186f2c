/** The Pod Security control and violation types, and the field helpers the controls share (src/pss/controls.ts). */
import type { PathSeg } from '../parse/source.js';
import type { FixValue } from '../fix/edits.js';
import { isObj, type Obj } from '../model/object.js';
import type { ContainerRef } from '../model/workload.js';
import type { PodView } from './pod.js';

export type Level = 'baseline' | 'restricted';

export interface Violation {
  /** path from the object root (missing fields fall back to the nearest existing parent) */
  path: PathSeg[];
  /** the field, as PSS names it from the pod: `spec.containers[0].securityContext.privileged` */
  field: string;
  /** the value found: `true`, `"Unconfined"`, or `not set` */
  value: string;
  /** what the control allows there */
  allowed: string;
  /** the container the field belongs to, if any */
  container?: string;
  /** an edit that satisfies the control: `set` the field at `path` to `value`, or `append` it to the list there; `safe` false makes it a suggestion */
  fix?: { op: 'set' | 'append'; path: PathSeg[]; value: FixValue; safe: boolean };
}

export interface Control {
  /** rule id */
  id: string;
  /** PSA check id */
  checkId: string;
  /** the control's name in the Pod Security Standards */
  name: string;
  level: Level;
  /** first policy version (1.<since>) that has the check */
  since: number;
  /** some violations carry a fix */
  fixable?: boolean;
  /** some violations carry a suggestion */
  suggests?: boolean;
  check(pod: PodView): Violation[];
}

// ---------------------------------------------------------------- helpers

export const NOT_SET = 'not set';

export function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

export function get(o: unknown, ...keys: string[]): unknown {
  let cur = o;
  for (const k of keys) {
    if (!isObj(cur) || !Object.prototype.hasOwnProperty.call(cur, k)) return undefined;
    cur = cur[k];
  }
  return cur;
}

export function podSC(pod: PodView): Obj | undefined {
  const sc = pod.spec.securityContext;
  return isObj(sc) ? sc : undefined;
}

export function sc(c: ContainerRef): Obj | undefined {
  const s = c.container.securityContext;
  return isObj(s) ? s : undefined;
}

/** `spec.containers[0]` for a container, from the pod. */
export function cfield(c: ContainerRef, rest: string): string {
  return `spec.${c.field}[${String(c.index)}]${rest ? '.' + rest : ''}`;
}

export function cpath(c: ContainerRef, ...rest: PathSeg[]): PathSeg[] {
  return [...c.path, ...rest];
}

export function ppath(pod: PodView, ...rest: PathSeg[]): PathSeg[] {
  return [...pod.specPath, ...rest];
}

export function isWindows(pod: PodView): boolean {
  return get(pod.spec, 'os', 'name') === 'windows';
}

/** `spec.hostUsers: false`: the pod runs in a user namespace (PSA's relaxPolicyForUserNamespacePod). */
export function inUserNamespace(pod: PodView): boolean {
  return pod.spec.hostUsers === false;
}

export function list(items: readonly string[]): string {
  return items.join(', ');
}

export function capabilityList(c: ContainerRef, key: 'add' | 'drop'): unknown[] {
  const l = get(sc(c), 'capabilities', key);
  return Array.isArray(l) ? l : [];
}

/** Containers whose procMount is set to something other than Default. */
export function unmaskedProcMounts(pod: PodView): Violation[] {
  const out: Violation[] = [];
  for (const c of pod.containers) {
    const pm = sc(c)?.procMount;
    if (typeof pm !== 'string' || pm === 'Default') continue;
    out.push({
      path: cpath(c, 'securityContext', 'procMount'),
      field: cfield(c, 'securityContext.procMount'),
      value: show(pm),
      allowed: 'unset or "Default"',
      container: c.name,
    });
  }
  return out;
}
