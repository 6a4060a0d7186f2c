/** The cross-object context: files read into the index but never reported on (--context, CRDs, policies). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discover, type DiscoveredFile } from '../load/discover.js';
import type { ManifestObject, Obj } from '../model/object.js';
import type { ObjectIndex } from '../model/index.js';
import { podTemplate } from '../model/workload.js';
import { loadSource, readInput, type LoadedFile } from './load.js';
import { kindlessKustomization } from './kustomize-stage.js';
import { UsageError, type LintOptions } from './lint-options.js';

function readCached(
  f: DiscoveredFile,
  maxSize: number,
  defaultNamespace: string,
  cache: NonNullable<LintOptions['contextCache']>,
): LoadedFile {
  let st: { mtimeMs: number; size: number } | undefined;
  try {
    st = fs.statSync(f.abs);
  } catch {
    st = undefined;
  }
  const hit = cache.get(f.abs);
  if (st && hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.loaded;
  const loaded = readInput(f, maxSize, defaultNamespace);
  if (st) cache.set(f.abs, { mtimeMs: st.mtimeMs, size: st.size, loaded });
  return loaded;
}

/** The objects of the context files (`context:`, `--context`, `crds:`, `--crd`) that are not inputs. */
export function readContext(
  opts: LintOptions,
  inputAbs: ReadonlySet<string>,
  ignorePatterns: string[],
  maxSize: number,
  defaultNamespace: string,
): ManifestObject<Obj>[] {
  const cfg = opts.config.data;
  const contextObjects: ManifestObject<Obj>[] = [];
  const contextPaths = [
    ...(cfg.context ?? []).map((c) => path.resolve(opts.config.dir, c)),
    ...(opts.context ?? []).map((c) => path.resolve(opts.cwd, c)),
  ];
  // CRDs (config `crds:`, --crd) are context too: the schema rule finds them in the index
  contextPaths.push(
    ...(cfg.crds ?? []).map((c) => path.resolve(opts.config.dir, c)),
    ...(opts.crds ?? []).map((c) => path.resolve(opts.cwd, c)),
  );
  if (contextPaths.length) {
    const ctxDisc = discover(contextPaths, { cwd: opts.cwd, baseDir: opts.config.dir, ignorePatterns });
    if (ctxDisc.missing.length) throw new UsageError(ctxDisc.missing.map((m) => `No such context file or directory: ${m}`).join('\n'));
    for (const f of ctxDisc.files) {
      if (inputAbs.has(f.abs)) continue;
      const o = opts.overrides?.get(f.abs);
      const l =
        o !== undefined
          ? loadSource(f.display, f.abs, o, defaultNamespace)
          : opts.contextCache
            ? readCached(f, maxSize, defaultNamespace, opts.contextCache)
            : readInput(f, maxSize, defaultNamespace);
      contextObjects.push(...l.objects);
      // a kustomization without apiVersion and kind (kustomize accepts them) still says what its files are
      const k = kindlessKustomization(l, defaultNamespace);
      if (k) contextObjects.push(k);
    }
  }
  return contextObjects;
}

/** Kubernetes objects in `policies:` files (ValidatingAdmissionPolicies, bindings, params) join the index as context. */
export function indexPolicies(
  opts: LintOptions,
  index: ObjectIndex,
  inputAbs: ReadonlySet<string>,
  maxSize: number,
  defaultNamespace: string,
): void {
  const cfg = opts.config.data;
  if (cfg.policies?.length) {
    const { expandPolicyPaths } = require('../policy/policy.js') as typeof import('../policy/policy.js');
    for (const abs of expandPolicyPaths(cfg.policies, opts.config.dir)) {
      if (inputAbs.has(abs)) continue;
      const l = readInput({ abs, display: path.relative(opts.cwd, abs).split(path.sep).join('/') || abs }, maxSize, defaultNamespace);
      for (const o of l.objects) if (o.kind && o.apiVersion && o.apiVersion !== 'k8s-gold.dev/v1') index.add(o, { context: true });
    }
  }
}

/**
 * A chart's test pod (`helm.sh/hook: test`) runs only during `helm test`: it is linted, but other objects
 * never see it (a Service that also selects it is not missing its ports). The chart's other test hooks (the
 * ConfigMap of its test scripts) are in the index, where the test pod finds them (jenkinsci's chart).
 */
export function isHelmTestHook(o: ManifestObject<Obj>): boolean {
  if (!o.render || podTemplate(o) === undefined) return false;
  const h = o.annotations['helm.sh/hook'];
  return typeof h === 'string' && h.split(',').some((x) => /^test(-success|-failure)?$/.test(x.trim()));
}
