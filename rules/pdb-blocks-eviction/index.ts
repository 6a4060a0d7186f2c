import { defineRule } from '../../src/engine/rule.js';
import { isObj, type ManifestObject, type Obj } from '../../src/model/object.js';
import { specReplicas } from '../../src/model/workload.js';

/** An int or percent string, as intstr; undefined when neither. */
function intOrPercent(v: unknown): { n: number; percent: boolean } | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return { n: v, percent: false };
  if (typeof v === 'string') {
    const m = /^(\d+)%$/.exec(v);
    if (m) return { n: Number(m[1]), percent: true };
  }
  return undefined;
}

/** The fewest pods each selected workload can run: HPA minReplicas when an HPA scales it, else spec.replicas. */
function podCounts(
  ws: ManifestObject<Obj>[],
  ctx: { index: { hpasTargeting(w: ManifestObject<Obj>): ManifestObject<Obj>[] } },
): { total: number; parts: string[] } | undefined {
  let total = 0;
  const parts: string[] = [];
  for (const w of ws) {
    const hpa = ctx.index.hpasTargeting(w)[0];
    if (hpa) {
      const spec = hpa.data.spec;
      const min = isObj(spec) && typeof spec.minReplicas === 'number' ? spec.minReplicas : 1;
      total += min;
      parts.push(`${w.kind} ${w.name} down to ${min} (HorizontalPodAutoscaler ${hpa.name} minReplicas)`);
      continue;
    }
    const r = specReplicas(w);
    if (r === undefined) return undefined; // DaemonSets, Jobs, bare pods: the count is not in the manifest
    total += r;
    parts.push(`${w.kind} ${w.name} replicas: ${r}`);
  }
  return { total, parts };
}

export default defineRule({
  meta: {
    id: 'pdb-blocks-eviction',
    severity: 'warning',
    category: 'reliability',
    description:
      'A PodDisruptionBudget must allow at least one disruption: not `maxUnavailable: 0`, and `minAvailable` below the number of pods it selects.',
    rationale:
      'A budget that allows zero disruptions makes every voluntary eviction fail: `kubectl drain` hangs, node upgrades and cluster-autoscaler scale-downs stall (managed node pools force-delete after a timeout, taking the pods down anyway, with no budget at all). ' +
      '`minAvailable` equal to the replica count does the same, and with a HorizontalPodAutoscaler the workload runs at `minReplicas` most of the night, so a budget sized for the daytime peak blocks the nightly node rotation.',
    remediation:
      "Use `maxUnavailable: 1` (it follows the replica count), or set `minAvailable` below the smallest replica count (the HPA's `minReplicas`). A single-replica workload cannot be protected by a budget: run two replicas, or accept the brief outage and drop the budget.",
    tags: ['reliability', 'availability', 'pdb'],
    appliesTo: ['policy/PodDisruptionBudget'],
    presets: ['recommended'],
    equivalents: {
      'kube-linter': ['pdb-max-unavailable', 'pdb-min-available'],
      polaris: ['pdbDisruptionsIsZero', 'pdbMinAvailableGreaterThanHPAMinReplicas'],
    },
    messages: {
      maxZero:
        'PodDisruptionBudget {{name}} sets maxUnavailable: {{value}}, so no pod it selects may ever be evicted and node drains hang; use maxUnavailable: 1.',
      minAll:
        'PodDisruptionBudget {{name}} sets minAvailable: {{value}}, so no pod it selects may ever be evicted and node drains hang; use maxUnavailable: 1.',
      minReplicas:
        'PodDisruptionBudget {{name}} sets minAvailable: {{value}}{{rounded}} but selects {{total}} pod{{s}} ({{parts}}), so no pod may be evicted and node drains hang; set minAvailable below {{total}} or use maxUnavailable: 1.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'very-high',
  },
  check(obj, ctx) {
    const spec = obj.data.spec;
    if (!isObj(spec)) return;
    const max = intOrPercent(spec.maxUnavailable);
    if (max && max.n === 0) {
      ctx.report({ path: ['spec', 'maxUnavailable'], messageId: 'maxZero', data: { name: obj.name, value: String(spec.maxUnavailable) } });
      return;
    }
    const min = intOrPercent(spec.minAvailable);
    if (!min || min.n === 0) return;
    if (min.percent && min.n >= 100) {
      ctx.report({ path: ['spec', 'minAvailable'], messageId: 'minAll', data: { name: obj.name, value: String(spec.minAvailable) } });
      return;
    }
    if (spec.selector === undefined || spec.selector === null) return;
    const ws = ctx.index.workloadsSelectedBy(obj.namespace, spec.selector);
    if (ws.length === 0) return; // missing-references reports a budget that selects nothing
    const counts = podCounts(ws, ctx);
    if (!counts || counts.total === 0) return;
    // the disruption controller rounds a percentage up
    const needed = min.percent ? Math.ceil((min.n * counts.total) / 100) : min.n;
    if (needed < counts.total) return;
    ctx.report({
      path: ['spec', 'minAvailable'],
      messageId: 'minReplicas',
      data: {
        name: obj.name,
        value: String(spec.minAvailable),
        rounded: min.percent ? ` (the disruption controller rounds ${min.n}% of ${counts.total} up to ${needed})` : '',
        total: counts.total,
        s: counts.total === 1 ? '' : 's',
        parts: counts.parts.join(', '),
      },
    });
  },
});
