/** The checks of HorizontalPodAutoscaler targets and PodDisruptionBudget selectors. */
import { asString, isObj, type ManifestObject, type Obj } from '../../src/model/object.js';
import { describeSources, podSources, sourcesMatching } from '../../src/model/operators.js';
import { whereIs } from '../../src/model/nearness.js';
import { sampleList, sampleOf } from '../../src/util/sample.js';
import { compileSelector } from '../../src/util/selector.js';
import type { Ctx } from './messages.js';

const SCALABLE = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'DeploymentConfig']);

export function checkHpa(obj: ManifestObject<Obj>, ctx: Ctx): void {
  const spec = obj.data.spec;
  const ref = isObj(spec) ? spec.scaleTargetRef : undefined;
  if (!isObj(ref)) return;
  const kind = asString(ref.kind);
  const name = asString(ref.name);
  if (!kind || !name) return;
  const ignore = new Set(ctx.options.ignoreNames);
  if (ignore.has(name)) return;
  if (ctx.index.named(kind, name).some((o) => o.namespace === obj.namespace)) return;
  const candidates = ctx.index.list(kind, obj.namespace);
  if (ctx.options.requireKindInNamespace ? candidates.length === 0 : !SCALABLE.has(kind) && candidates.length === 0) return;
  const guess = ctx.index.closestName(kind, obj.namespace, name);
  const elsewhere = ctx.index
    .named(kind, name)
    .filter((o) => o.namespace !== obj.namespace)
    .map((o) => `"${o.namespace}"`);
  const hint = elsewhere.length
    ? ` A ${kind} "${name}" exists in namespace ${sampleList([...new Set(elsewhere)], 3)}: an HPA can only scale a target in its own namespace.`
    : '';
  // as for a pod's references: when every object of the kind is in another directory (kube-state-metrics' test
  // manifests beside its examples), the input does not show this directory's workloads
  const weak = !hint && candidates.length > 0 && ctx.index.inDirectory(kind, obj.namespace, obj).length === 0;
  ctx.report({
    path: ['spec', 'scaleTargetRef', 'name'],
    messageId: weak ? 'hpaTargetWeak' : 'hpaTarget',
    data: {
      name: obj.name,
      kind,
      target: name,
      namespace: obj.namespace,
      count: candidates.length,
      s: candidates.length === 1 ? '' : 's',
      ...(weak ? { example: whereIs(candidates[0]!) } : { hint }),
      guess: guess !== undefined ? `Did you mean "${guess}"? ` : '',
    },
  });
}

export function checkPdb(obj: ManifestObject<Obj>, ctx: Ctx): void {
  const spec = obj.data.spec;
  if (!isObj(spec) || !isObj(spec.selector)) return;
  const workloads = ctx.index.workloads(obj.namespace, ['PodTemplate', 'Job', 'CronJob']);
  if (workloads.length === 0) return;
  // pods of Jobs and CronJobs count too
  const selector = compileSelector(spec.selector);
  // a selector the API server rejects (a label value that is a template placeholder) is the schema rule's finding
  if (!selector.valid) return;
  if (ctx.index.workloadsMatching(obj.namespace, selector).some((w) => w.kind !== 'PodTemplate')) return;
  // pods an operator creates from a custom resource in the namespace
  const sources = podSources(ctx.index, obj.namespace, ctx.settings);
  if (sourcesMatching(sources, (l) => selector.matches(l)).length) return;
  const crs = sources.length
    ? ` Namespace "${obj.namespace}" also holds ${describeSources(sources)}, whose operator may create the pods it selects.`
    : '';
  // no workload in the PDB's own directory: its pods are likely defined elsewhere (another tutorial of a samples repository)
  const far = !ctx.index.workloadsInDirectory(obj.namespace, obj).some((w) => w.kind !== 'PodTemplate')
    ? ' (none of them is in this directory)'
    : '';
  ctx.report({
    path: ['spec', 'selector'],
    messageId: sources.length || far ? 'pdbSelectsNothingWeak' : 'pdbSelectsNothing',
    data: {
      name: obj.name,
      count: workloads.length,
      s: workloads.length === 1 ? '' : 's',
      namespace: obj.namespace,
      sample: sampleOf(workloads, (w) => `${w.kind}/${w.name}`),
      far,
      crs,
    },
  });
}
