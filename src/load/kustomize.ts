/**
 * Kustomize trees read without kustomize: which files a kustomization uses
 * as patches or as configuration of its transformers (they are partial
 * objects or not objects at all, and are not linted as objects), and which
 * ConfigMaps and Secrets its generators create (they count as present for
 * cross-object lookups). Rendering an overlay is another stage; this pass
 * keeps a raw lint of a kustomize tree from reporting patches as broken
 * objects.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ManifestObject, Obj } from '../model/object.js';
import type { PathSeg } from '../parse/source.js';

/** What a kustomization does with a file it names. */
export type PartialRole =
  | 'patch'
  | 'JSON patch'
  | 'transformer configuration'
  | 'generator configuration'
  | 'validator configuration'
  | 'replacement'
  | 'field configuration'
  | 'unused patch';

export interface PartialUse {
  /** the kustomization object that names the file */
  by: ManifestObject<Obj>;
  role: PartialRole;
  /** path of the entry in the kustomization */
  path: PathSeg[];
}

export interface GeneratedObject {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  namespaces: string[];
  /** keys the generator creates; undefined when some source could not be read */
  keys: string[] | undefined;
  by: ManifestObject<Obj>;
  path: PathSeg[];
}

/** Labels kustomize adds to the objects of a file, in every build that includes it. */
export interface LabelEffect {
  /** metadata.labels */
  meta: Record<string, string>;
  /** selectors (commonLabels, labels with includeSelectors) */
  selector: Record<string, string>;
  /** pod template labels (commonLabels, labels with includeSelectors or includeTemplates) */
  template: Record<string, string>;
  /**
   * When every build adds selector labels but they disagree (overlays with
   * different commonLabels over one base): the first build's, used only to
   * create a selector that would otherwise be missing
   */
  selectorFallback?: Record<string, string>;
}

export interface KustomizeAnalysis {
  /** absolute file path → its uses as a partial file (first use first) */
  partial: Map<string, PartialUse[]>;
  generated: GeneratedObject[];
  /** absolute file path → the labels every kustomization build that includes the file adds */
  labels: Map<string, LabelEffect>;
}

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

export function isKustomization(o: ManifestObject<Obj>): boolean {
  // kustomize reads a kustomization.yaml without apiVersion and kind
  if (o.kind === '' && o.apiVersion === '') return KUSTOMIZATION_NAMES.has(path.basename(o.file.absPath));
  if (o.kind !== 'Kustomization' && o.kind !== 'Component') return false;
  return o.group === 'kustomize.config.k8s.io' || KUSTOMIZATION_NAMES.has(path.basename(o.file.absPath));
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A list entry that names a file rather than holding inline YAML. */
function fileRef(v: unknown): string | undefined {
  if (typeof v !== 'string' || v === '' || /[\n:{}[\]]/.test(v.trim()) || /^https?:\/\//.test(v)) return undefined;
  return v;
}

/**
 * Reads the kustomizations among `objects` (the objects of the linted input).
 * Pure except for reading `envs` files of generators, which hold the keys.
 */
export function analyzeKustomizations(objects: Iterable<ManifestObject<Obj>>, defaultNamespace: string): KustomizeAnalysis {
  const out: KustomizeAnalysis = { partial: new Map(), generated: [], labels: new Map() };
  const kusts: ManifestObject<Obj>[] = [];
  const nsByDir = new Map<string, Set<string>>();
  const files = new Set<string>();
  for (const o of objects) {
    if (o.file.absPath !== '<stdin>') files.add(o.file.absPath);
    if (isKustomization(o)) kusts.push(o);
    else if (o.file.absPath !== '<stdin>') {
      const dir = path.dirname(o.file.absPath);
      let s = nsByDir.get(dir);
      if (!s) nsByDir.set(dir, (s = new Set()));
      s.add(o.namespace);
    }
  }
  for (const k of kusts) {
    if (k.file.absPath === '<stdin>') continue;
    const dir = path.dirname(k.file.absPath);
    const d = k.data;
    const mark = (rel: string, role: PartialRole, p: PathSeg[]): void => {
      const abs = path.resolve(dir, rel);
      let uses = out.partial.get(abs);
      if (!uses) out.partial.set(abs, (uses = []));
      uses.push({ by: k, role, path: p });
    };
    asArray(d.patches).forEach((p, i) => {
      if (isObj(p) && typeof p.path === 'string' && p.path !== '') mark(p.path, 'patch', ['patches', i, 'path']);
    });
    asArray(d.patchesStrategicMerge).forEach((p, i) => {
      const f = fileRef(p);
      if (f) mark(f, 'patch', ['patchesStrategicMerge', i]);
    });
    asArray(d.patchesJson6902).forEach((p, i) => {
      if (isObj(p) && typeof p.path === 'string' && p.path !== '') mark(p.path, 'JSON patch', ['patchesJson6902', i, 'path']);
    });
    for (const [field, role] of [
      ['transformers', 'transformer configuration'],
      ['generators', 'generator configuration'],
      ['validators', 'validator configuration'],
      ['configurations', 'field configuration'],
    ] as const) {
      asArray(d[field]).forEach((p, i) => {
        const f = fileRef(p);
        // a directory names a kustomization of transformers: its own files are read through it
        if (f && /\.(ya?ml|json)$/i.test(f)) mark(f, role, [field, i]);
      });
    }
    asArray(d.replacements).forEach((p, i) => {
      if (isObj(p) && typeof p.path === 'string' && p.path !== '') mark(p.path, 'replacement', ['replacements', i, 'path']);
    });

    // generators: the ConfigMaps and Secrets kustomize adds (resources refer to them by this name)
    const kustNs = isObj(d) && typeof d.namespace === 'string' && d.namespace !== '' ? d.namespace : undefined;
    for (const [field, kind] of [
      ['configMapGenerator', 'ConfigMap'],
      ['secretGenerator', 'Secret'],
    ] as const) {
      asArray(d[field]).forEach((g, i) => {
        if (!isObj(g) || typeof g.name !== 'string' || g.name === '') return;
        const namespaces = new Set<string>();
        if (typeof g.namespace === 'string' && g.namespace !== '') namespaces.add(g.namespace);
        else {
          namespaces.add(kustNs ?? defaultNamespace);
          // objects of the tree, read raw, carry their own namespace (kustomize would set kustNs)
          for (const [objDir, set] of nsByDir) if (objDir === dir || objDir.startsWith(dir + path.sep)) for (const n of set) namespaces.add(n);
        }
        let keys: string[] | undefined = [];
        for (const l of asArray(g.literals)) {
          if (typeof l !== 'string') continue;
          const eq = l.indexOf('=');
          keys.push(eq > 0 ? l.slice(0, eq) : l);
        }
        for (const f of asArray(g.files)) {
          if (typeof f !== 'string') continue;
          const eq = f.indexOf('=');
          keys.push(eq > 0 ? f.slice(0, eq) : path.basename(f));
        }
        const envs = [...asArray(g.envs), ...(typeof g.env === 'string' ? [g.env] : [])];
        for (const e of envs) {
          if (typeof e !== 'string') continue;
          const k = envKeys(path.resolve(dir, e));
          if (k === undefined) keys = undefined;
          else if (keys) keys.push(...k);
          if (!keys) break;
        }
        out.generated.push({ kind, name: g.name, namespaces: [...namespaces].sort(), keys, by: k, path: [field, i] });
      });
    }
  }
  out.labels = labelEffects(kusts);
  markUnusedPatches(out, kusts, files);
  return out;
}

/** A path (relative to its kustomization's directory) named as a patch: `*patch*`, or under a `patches` directory. */
export function namedAsPatch(rel: string): boolean {
  const segs = rel.split(/[\\/]/);
  return /patch/i.test(segs[segs.length - 1]!) || segs.slice(0, -1).includes('patches');
}

/** The kustomization of each directory (the first one read, should a directory hold two). */
function kustomizationsByDir(kusts: ManifestObject<Obj>[]): Map<string, ManifestObject<Obj>> {
  const byDir = new Map<string, ManifestObject<Obj>>();
  for (const k of kusts) if (k.file.absPath !== '<stdin>' && !byDir.has(path.dirname(k.file.absPath))) byDir.set(path.dirname(k.file.absPath), k);
  return byDir;
}

/**
 * A file named as a patch (`*patch*`, or under a `patches` directory) inside a
 * kustomization's directory that no kustomization uses: scaffolding such as
 * kubebuilder's commented-out webhook and cert-manager patches. kustomize
 * never reads it and `kubectl apply -f` of a kustomize directory is not how
 * it is deployed; it is a partial object, not linted as one.
 */
function markUnusedPatches(out: KustomizeAnalysis, kusts: ManifestObject<Obj>[], files: Set<string>): void {
  const byDir = kustomizationsByDir(kusts);
  if (!byDir.size) return;
  const referenced = new Set<string>();
  for (const [dir, k] of byDir) {
    for (const entry of [...asArray(k.data.resources), ...asArray(k.data.bases), ...asArray(k.data.crds)]) {
      const f = fileRef(entry);
      if (f) referenced.add(path.resolve(dir, f));
    }
  }
  for (const f of files) {
    if (out.partial.has(f) || referenced.has(f) || KUSTOMIZATION_NAMES.has(path.basename(f))) continue;
    let dir = path.dirname(f);
    let k: ManifestObject<Obj> | undefined;
    for (;;) {
      k = byDir.get(dir);
      if (k) break;
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
    if (!k) continue;
    if (namedAsPatch(path.relative(dir, f))) out.partial.set(f, [{ by: k, role: 'unused patch', path: [] }]);
  }
}

const EMPTY_EFFECT = (): LabelEffect => ({ meta: {}, selector: {}, template: {} });

function ownLabels(d: Obj): LabelEffect {
  const e = EMPTY_EFFECT();
  const strMap = (m: unknown): Record<string, string> => {
    const r: Record<string, string> = {};
    if (isObj(m)) for (const [k, v] of Object.entries(m)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') r[k] = String(v);
    return r;
  };
  const common = strMap(d.commonLabels);
  Object.assign(e.meta, common);
  Object.assign(e.selector, common);
  Object.assign(e.template, common);
  for (const l of asArray(d.labels)) {
    if (!isObj(l)) continue;
    const pairs = strMap(l.pairs);
    Object.assign(e.meta, pairs);
    if (l.includeSelectors === true) Object.assign(e.selector, pairs);
    if (l.includeSelectors === true || l.includeTemplates === true) Object.assign(e.template, pairs);
  }
  return e;
}

const isEmptyEffect = (e: LabelEffect): boolean => !Object.keys(e.meta).length && !Object.keys(e.selector).length && !Object.keys(e.template).length;

/**
 * For each resource file, the labels that every build including it adds: each
 * root kustomization (one no other kustomization includes) is a build; along a
 * chain the outer kustomization's values win, as in kustomize; across builds
 * only the labels all of them add, with one value, are kept.
 */
function labelEffects(kusts: ManifestObject<Obj>[]): Map<string, LabelEffect> {
  const byDir = kustomizationsByDir(kusts);
  const children = new Map<ManifestObject<Obj>, { kusts: ManifestObject<Obj>[]; files: string[] }>();
  const included = new Set<ManifestObject<Obj>>();
  for (const k of byDir.values()) {
    const dir = path.dirname(k.file.absPath);
    const c = { kusts: [] as ManifestObject<Obj>[], files: [] as string[] };
    for (const entry of [...asArray(k.data.resources), ...asArray(k.data.bases), ...asArray(k.data.components)]) {
      const f = fileRef(entry);
      if (!f) continue;
      const abs = path.resolve(dir, f);
      const child = byDir.get(abs);
      if (child) {
        c.kusts.push(child);
        included.add(child);
      } else if (/\.(ya?ml|json)$/i.test(f)) c.files.push(abs);
    }
    children.set(k, c);
  }
  const chains = new Map<string, LabelEffect[]>();
  const walk = (k: ManifestObject<Obj>, outer: LabelEffect, seen: Set<ManifestObject<Obj>>): void => {
    if (seen.has(k)) return;
    const own = ownLabels(k.data);
    const acc: LabelEffect = { meta: { ...own.meta, ...outer.meta }, selector: { ...own.selector, ...outer.selector }, template: { ...own.template, ...outer.template } };
    const c = children.get(k)!;
    for (const f of c.files) {
      let l = chains.get(f);
      if (!l) chains.set(f, (l = []));
      l.push(acc);
    }
    const next = new Set(seen).add(k);
    for (const ch of c.kusts) walk(ch, acc, next);
  };
  for (const k of byDir.values()) if (!included.has(k)) walk(k, EMPTY_EFFECT(), new Set());
  const out = new Map<string, LabelEffect>();
  for (const [f, list] of chains) {
    const common = EMPTY_EFFECT();
    for (const part of ['meta', 'selector', 'template'] as const) {
      for (const [key, value] of Object.entries(list[0]![part])) if (list.every((e) => e[part][key] === value)) common[part][key] = value;
    }
    if (!Object.keys(common.selector).length && list.every((e) => Object.keys(e.selector).length > 0)) common.selectorFallback = { ...list[0]!.selector };
    if (!isEmptyEffect(common) || common.selectorFallback) out.set(f, common);
  }
  return out;
}

const SELECTOR_WORKLOADS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']);

/**
 * Adds kustomize's labels to an object's data, as far as that can only make
 * selectors match what they match in every build: metadata labels and pod
 * template labels get the labels all builds add; a Deployment, ReplicaSet,
 * StatefulSet or DaemonSet without a selector gets the one kustomize creates
 * (and its template those labels). Existing selectors, Services and
 * PodDisruptionBudgets are left as written: a selector given labels that a
 * shared base's pods get in only some builds would select nothing here.
 * Added fields have no source position: findings on them point at the
 * nearest written ancestor.
 */
export function applyLabels(o: ManifestObject<Obj>, e: LabelEffect): void {
  const d = o.data;
  const child = (holder: unknown, key: string, create: boolean): Obj | undefined => {
    if (!isObj(holder)) return undefined;
    if (holder[key] === undefined && create) holder[key] = {};
    return isObj(holder[key]) ? (holder[key] as Obj) : undefined;
  };
  const addTo = (holder: Obj | undefined, add: Record<string, string>): void => {
    if (!holder || !Object.keys(add).length) return;
    const cur = child(holder, 'labels', true);
    if (cur) Object.assign(cur, add);
  };
  if (Object.keys(e.meta).length) addTo(child(d, 'metadata', true), e.meta);
  if (o.group !== 'apps' && o.group !== 'extensions' && o.group !== 'batch') return;
  const spec = isObj(d.spec) ? d.spec : undefined;
  if (!spec) return;
  const tplHolder = o.kind === 'CronJob' ? child(child(spec, 'jobTemplate', false), 'spec', false) : spec;
  const tpl = child(tplHolder, 'template', false);
  const tplMeta = tpl ? child(tpl, 'metadata', true) : undefined;
  addTo(tplMeta, e.template);
  if (SELECTOR_WORKLOADS.has(o.kind) && spec.selector === undefined) {
    const sel = Object.keys(e.selector).length ? e.selector : e.selectorFallback;
    if (sel && Object.keys(sel).length) {
      spec.selector = { matchLabels: { ...sel } };
      addTo(tplMeta, sel);
    }
  }
}
/** Keys of a kustomize env file (`KEY=value` lines, `#` comments); undefined if unreadable. */
function envKeys(file: string): string[] | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const keys: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    keys.push(eq > 0 ? line.slice(0, eq) : line);
  }
  return keys;
}
