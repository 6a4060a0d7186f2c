/**
 * The kustomize stage of a raw lint (no kustomize run): between loading and
 * checking, files a kustomization uses as patches or configuration lose
 * their objects, the labels kustomize adds are added, and generated
 * ConfigMaps and Secrets join the index. See src/load/kustomize.ts.
 */
import * as path from 'node:path';
import { analyzeKustomizations, applyLabels, isKustomization } from '../load/kustomize.js';
import { ManifestObject, isObj, type Obj } from '../model/object.js';
import type { PathSeg } from '../parse/source.js';
import { engineReport, type LoadedFile } from './load.js';
import kustomizePatch from '../../rules/kustomize-patch/index.js';

/**
 * kustomize reads `kustomization.yaml` without `apiVersion` and `kind` (kubebuilder's scaffolding writes
 * them so): such a file is a kustomization, not another tool's file. Returns it as an object the kustomize
 * analysis reads (never linted), and drops the file's non-manifest note.
 */
export function kindlessKustomization(l: LoadedFile, defaultNamespace: string): ManifestObject<Obj> | undefined {
  if (!l.notManifest || !KUSTOMIZATION_FILE_NAMES.has(path.basename(l.file.absPath))) return undefined;
  const doc = l.file.parse.documents.find((d) => d.ok && !d.empty && isObj(d.value));
  if (!doc) return undefined;
  const v = doc.value as Obj;
  const keys = [
    'resources',
    'bases',
    'components',
    'patches',
    'patchesStrategicMerge',
    'patchesJson6902',
    'configMapGenerator',
    'secretGenerator',
    'commonLabels',
    'labels',
    'namespace',
    'namePrefix',
    'images',
    'transformers',
    'generators',
  ];
  if (!keys.some((k) => Object.prototype.hasOwnProperty.call(v, k))) return undefined;
  l.early = l.early.filter((e) => e.ruleId !== 'non-manifest-file');
  l.notManifest = false;
  return new ManifestObject<Obj>(l.file, doc, [], v, defaultNamespace);
}

const KUSTOMIZATION_FILE_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/**
 * Files a kustomization (in the input or the context) uses as patches or
 * configuration lose their objects (syntax findings stay); each kustomization
 * that names input files gets one note; generated ConfigMaps and Secrets
 * become index-only objects at their generator entry.
 */
export function applyKustomizeAnalysis(loaded: LoadedFile[], contextObjects: ManifestObject<Obj>[], defaultNamespace: string) {
  const kindless = loaded.map((l) => kindlessKustomization(l, defaultNamespace)).filter((k): k is ManifestObject<Obj> => k !== undefined);
  // the files known to hold no kustomization (LoadedFile.plain) change nothing when no other object is one: read only then
  const others = [...loaded.flatMap((l) => (l.plain ? [] : l.objects)), ...contextObjects, ...kindless];
  const all =
    loaded.some((l) => l.plain) && others.some(isKustomization)
      ? [...loaded.flatMap((l) => l.objects), ...contextObjects, ...kindless]
      : others;
  const a = analyzeKustomizations(all, defaultNamespace);
  const partial = new Map<string, true>();
  const virtual: ManifestObject<Obj>[] = [];
  for (const abs of a.partial.keys()) partial.set(abs, true);
  const notes = new Map<ManifestObject<Obj>, { path: PathSeg[]; files: Map<string, string[]> }>();
  for (const l of loaded) {
    const uses = a.partial.get(l.file.absPath);
    if (!uses) continue;
    l.objects = [];
    l.early = l.early.filter((e) => e.ruleId !== 'invalid-object');
    l.kustomizePartial = true;
    partial.set(l.file.path, true);
    for (const u of uses) {
      let n = notes.get(u.by);
      if (!n) notes.set(u.by, (n = { path: u.path, files: new Map() }));
      // the note sits on the kustomization's first entry that names an input file
      else if (u.by.rangeOf(u.path).range.line < u.by.rangeOf(n.path).range.line) n.path = u.path;
      let list = n.files.get(u.role);
      if (!list) n.files.set(u.role, (list = []));
      if (!list.includes(l.file.path)) list.push(l.file.path);
    }
  }
  // the notes go on the kustomizations that use partial files (usually none)
  for (const l of notes.size ? loaded : []) {
    for (const k of [...l.objects, ...kindless.filter((x) => x.file === l.file)]) {
      const n = notes.get(k);
      if (!n) continue;
      const plural: Record<string, string> = {
        patch: 'patches',
        'JSON patch': 'JSON patches',
        replacement: 'replacements',
        'unused patch': 'patch files no kustomization uses',
      };
      const order = [
        'patch',
        'JSON patch',
        'replacement',
        'transformer configuration',
        'generator configuration',
        'validator configuration',
        'field configuration',
        'unused patch',
      ];
      const parts = [...n.files]
        .sort((x, y) => order.indexOf(x[0]) - order.indexOf(y[0]))
        .map(([role, files]) => `${plural[role] ?? role} ${[...files].sort().join(', ')}`);
      const count = [...n.files.values()].reduce((x, f) => x + f.length, 0);
      const dir = path.posix.dirname(l.file.path);
      l.early.push({
        ...engineReport(kustomizePatch, 'notLinted', { count, files: parts.join('; '), dir }),
        range: k.rangeOf(n.path).range,
        obj: k,
      });
    }
  }
  if (a.labels.size) {
    for (const o of [...loaded.flatMap((l) => l.objects), ...contextObjects]) {
      const e = a.labels.get(o.file.absPath);
      if (e && !isKustomization(o)) applyLabels(o, e);
    }
  }
  for (const g of a.generated) {
    for (const ns of g.namespaces) {
      const data: Obj = {
        apiVersion: 'v1',
        kind: g.kind,
        metadata: { name: g.name, namespace: ns },
        data: Object.fromEntries((g.keys ?? []).map((k) => [k, ''])),
      };
      const o = new ManifestObject<Obj>(g.by.file, g.by.doc, [...g.by.basePath, ...g.path], data, ns);
      o.generated = { by: 'kustomize', keysKnown: g.keys !== undefined };
      virtual.push(o);
    }
  }
  // labels a kustomization adds change the values of objects in other files (the incremental cache keys no such read)
  return { partial, virtual, labelled: a.labels.size > 0 };
}
