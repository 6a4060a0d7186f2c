/**
 * The labels kustomize adds (`commonLabels`, `labels` with includeSelectors/includeTemplates),
 * per build, and the objects as those builds would see them.
 */
import * as path from 'node:path';
import type { ManifestObject, Obj } from '../model/object.js';
import { asArray, fileRef, isObj, kustomizationsByDir } from './kustomize-files.js';

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

const EMPTY_EFFECT = (): LabelEffect => ({ meta: {}, selector: {}, template: {} });

function ownLabels(d: Obj): LabelEffect {
  const e = EMPTY_EFFECT();
  const strMap = (m: unknown): Record<string, string> => {
    const r: Record<string, string> = {};
    if (isObj(m))
      for (const [k, v] of Object.entries(m))
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') r[k] = String(v);
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

const isEmptyEffect = (e: LabelEffect): boolean =>
  !Object.keys(e.meta).length && !Object.keys(e.selector).length && !Object.keys(e.template).length;

/**
 * For each resource file, the labels that every build including it adds: each
 * root kustomization (one no other kustomization includes) is a build; along a
 * chain the outer kustomization's values win, as in kustomize; across builds
 * only the labels all of them add, with one value, are kept.
 */
export function labelEffects(kusts: ManifestObject<Obj>[]): Map<string, LabelEffect> {
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
    const acc: LabelEffect = {
      meta: { ...own.meta, ...outer.meta },
      selector: { ...own.selector, ...outer.selector },
      template: { ...own.template, ...outer.template },
    };
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
    if (!Object.keys(common.selector).length && list.every((e) => Object.keys(e.selector).length > 0))
      common.selectorFallback = { ...list[0]!.selector };
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
