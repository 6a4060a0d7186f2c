/**
 * The environment a container sees, as far as the input tells: `envFrom`
 * ConfigMaps (with their prefix) first, in order, then `env` entries, later
 * entries overriding earlier ones, as the kubelet builds it. Values pulled
 * from a ConfigMap through `valueFrom.configMapKeyRef` or `envFrom` are
 * resolved through the object index (same namespace; of several ConfigMaps
 * of one name, the nearest to the workload's file); anything else
 * (Secrets, fieldRef, resourceFieldRef, ConfigMaps not in the input) has an
 * undefined value. `$(VAR)` references are not expanded.
 */
import type { ObjectIndex } from './index.js';
import { isObj, own, type ManifestObject, type Obj } from './object.js';
import type { ContainerRef } from './workload.js';
import type { PathSeg } from '../parse/source.js';

export interface EnvVar {
  name: string;
  /** the value as a string, when known */
  value: string | undefined;
  /** where the value comes from, for messages: `env READ_TIMEOUT`, `ConfigMap app key READ_TIMEOUT via env READ_TIMEOUT` */
  source: string;
  /** path (from the object root) to report at: the `value`, `valueFrom` or `envFrom` entry */
  path: PathSeg[];
  /** true when the value was read from a ConfigMap in the input */
  fromConfigMap: boolean;
  /**
   * true when the input holds several ConfigMaps of that name that disagree
   * on the value (the nearest one's is used): a finding built on it cannot
   * be known to be true, so it is at most an info
   */
  ambiguous?: boolean;
}

/** Whether another ConfigMap of the name (not `cm`) gives the key another value, or lacks it. */
function disagrees(
  index: ObjectIndex,
  obj: ManifestObject<Obj>,
  name: string,
  cm: ManifestObject<Obj>,
  key: string,
  value: string,
): boolean {
  const all = index.resolve('ConfigMap', '', obj.namespace, name);
  if (all.length < 2) return false;
  return all.some((o) => o !== cm && (!isObj(o.data.data) || scalarString(own(o.data.data, key)) !== value));
}

function scalarString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/**
 * The last object's environments, per container, for each index (the rules that read a container's environment run
 * one after the other on an object: computed once for them). An incremental run gives each rule its own index facade,
 * so each rule's reads are still its own. Held weakly by the index: a module-level reference to the last index kept
 * every value of a run alive into its report (+15 MB peak RSS at 20,000 resources, json).
 */
const lastByIndex = new WeakMap<
  ObjectIndex,
  { obj: ManifestObject<Obj>; envs: Map<object, { path: readonly PathSeg[]; env: Map<string, EnvVar> }> }
>();

/**
 * The container's effective environment, keyed by variable name (insertion order = precedence order). The map is
 * shared by the callers on one object: read it, never change it.
 */
export function containerEnv(obj: ManifestObject<Obj>, ref: ContainerRef, index: ObjectIndex): ReadonlyMap<string, EnvVar> {
  let last = lastByIndex.get(index);
  if (!last || last.obj !== obj) lastByIndex.set(index, (last = { obj, envs: new Map() }));
  const hit = last.envs.get(ref.container);
  // the same container at another path (a YAML alias) has its own paths
  if (hit && samePath(hit.path, ref.path)) return hit.env;
  const env = environment(obj, ref, index);
  if (!hit) last.envs.set(ref.container, { path: ref.path, env });
  return env;
}

function samePath(a: readonly PathSeg[], b: readonly PathSeg[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Each variable as one object literal, its path made once (no spread of a throw-away object per variable). */
function environment(obj: ManifestObject<Obj>, ref: ContainerRef, index: ObjectIndex): Map<string, EnvVar> {
  const out = new Map<string, EnvVar>();
  const c = ref.container as Obj;
  const envFrom = Array.isArray(c.envFrom) ? c.envFrom : [];
  envFrom.forEach((e: unknown, i: number) => {
    if (!isObj(e)) return;
    const cmRef = e.configMapRef;
    if (!isObj(cmRef) || typeof cmRef.name !== 'string') return;
    const prefix = typeof e.prefix === 'string' ? e.prefix : '';
    const cm = index.configMap(obj.namespace, cmRef.name, obj);
    const data = cm && isObj(cm.data.data) ? cm.data.data : undefined;
    if (!data) return;
    for (const key of Object.keys(data)) {
      const value = scalarString(own(data, key));
      if (value === undefined) continue;
      const name = prefix + key;
      out.delete(name);
      const v: EnvVar = {
        name,
        value,
        source: `ConfigMap ${cmRef.name} key ${key} via envFrom${prefix ? ` prefix ${prefix}` : ''}`,
        path: [...ref.path, 'envFrom', i],
        fromConfigMap: true,
      };
      if (disagrees(index, obj, cmRef.name, cm!, key, value)) v.ambiguous = true;
      out.set(name, v);
    }
  });
  const env = Array.isArray(c.env) ? c.env : [];
  env.forEach((e: unknown, i: number) => {
    if (!isObj(e) || typeof e.name !== 'string' || e.name === '') return;
    const name = e.name;
    let v: EnvVar;
    if (Object.prototype.hasOwnProperty.call(e, 'value')) {
      const value = scalarString(e.value) ?? (e.value === null ? '' : undefined);
      v = { name, value, source: `env ${name}`, path: [...ref.path, 'env', i, 'value'], fromConfigMap: false };
    } else if (isObj(e.valueFrom)) {
      v = { name, value: undefined, source: `env ${name}`, path: [...ref.path, 'env', i, 'valueFrom'], fromConfigMap: false };
      const k = e.valueFrom.configMapKeyRef;
      if (isObj(k) && typeof k.name === 'string' && typeof k.key === 'string') {
        const cm = index.configMap(obj.namespace, k.name, obj);
        const data = cm && isObj(cm.data.data) ? cm.data.data : undefined;
        const value = data ? scalarString(own(data, k.key)) : undefined;
        if (value !== undefined) {
          v.value = value;
          v.source = `ConfigMap ${k.name} key ${k.key} via env ${name}`;
          v.fromConfigMap = true;
          if (disagrees(index, obj, k.name, cm!, k.key, value)) v.ambiguous = true;
        }
      }
    } else {
      v = { name, value: '', source: `env ${name}`, path: [...ref.path, 'env', i], fromConfigMap: false };
    }
    out.delete(name);
    out.set(name, v);
  });
  return out;
}
