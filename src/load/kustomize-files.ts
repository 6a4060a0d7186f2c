/** Kustomization files and the file references in them, as the static analysis reads them. */
import * as path from 'node:path';
import type { ManifestObject, Obj } from '../model/object.js';

export const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

export function isKustomization(o: ManifestObject<Obj>): boolean {
  // kustomize reads a kustomization.yaml without apiVersion and kind
  if (o.kind === '' && o.apiVersion === '') return KUSTOMIZATION_NAMES.has(path.basename(o.file.absPath));
  if (o.kind !== 'Kustomization' && o.kind !== 'Component') return false;
  return o.group === 'kustomize.config.k8s.io' || KUSTOMIZATION_NAMES.has(path.basename(o.file.absPath));
}

export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A list entry that names a file rather than holding inline YAML. */
export function fileRef(v: unknown): string | undefined {
  if (typeof v !== 'string' || v === '' || /[\n:{}[\]]/.test(v.trim()) || /^https?:\/\//.test(v)) return undefined;
  return v;
}

/** A path (relative to its kustomization's directory) named as a patch: `*patch*`, or under a `patches` directory. */
export function namedAsPatch(rel: string): boolean {
  const segs = rel.split(/[\\/]/);
  return /patch/i.test(segs[segs.length - 1]!) || segs.slice(0, -1).includes('patches');
}

/** The kustomization of each directory (the first one read, should a directory hold two). */
export function kustomizationsByDir(kusts: ManifestObject<Obj>[]): Map<string, ManifestObject<Obj>> {
  const byDir = new Map<string, ManifestObject<Obj>>();
  for (const k of kusts)
    if (k.file.absPath !== '<stdin>' && !byDir.has(path.dirname(k.file.absPath))) byDir.set(path.dirname(k.file.absPath), k);
  return byDir;
}
