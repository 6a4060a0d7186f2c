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
import { KUSTOMIZATION_NAMES, asArray, fileRef, isKustomization, isObj, kustomizationsByDir, namedAsPatch } from './kustomize-files.js';
import { labelEffects, type LabelEffect } from './kustomize-labels.js';
export { isKustomization, namedAsPatch } from './kustomize-files.js';
export { applyLabels } from './kustomize-labels.js';
export type { LabelEffect } from './kustomize-labels.js';

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

export interface KustomizeAnalysis {
  /** absolute file path → its uses as a partial file (first use first) */
  partial: Map<string, PartialUse[]>;
  generated: GeneratedObject[];
  /** absolute file path → the labels every kustomization build that includes the file adds */
  labels: Map<string, LabelEffect>;
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
  // the objects of a file come one after the other: its directory's set is looked up once
  let lastFile: string | undefined;
  let s: Set<string> | undefined;
  for (const o of objects) {
    if (o.file.absPath !== '<stdin>') files.add(o.file.absPath);
    if (isKustomization(o)) kusts.push(o);
    else if (o.file.absPath !== '<stdin>') {
      if (o.file.absPath !== lastFile || !s) {
        lastFile = o.file.absPath;
        const dir = path.dirname(lastFile);
        s = nsByDir.get(dir);
        if (!s) nsByDir.set(dir, (s = new Set()));
      }
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
          for (const [objDir, set] of nsByDir)
            if (objDir === dir || objDir.startsWith(dir + path.sep)) for (const n of set) namespaces.add(n);
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
