import { defineRule } from '../../src/engine/rule.js';
import { isObj } from '../../src/model/object.js';
import { specReplicas } from '../../src/model/workload.js';

/** intstr scaled to a replica count (percentages rounded down for maxUnavailable, up for maxSurge, as the Deployment controller does). */
function scaled(v: unknown, replicas: number, roundUp: boolean, dflt: string): number | undefined {
  const x = v === undefined || v === null ? dflt : v;
  if (typeof x === 'number' && Number.isInteger(x) && x >= 0) return x;
  if (typeof x === 'string') {
    const m = /^(\d+)%$/.exec(x);
    if (!m) return undefined;
    const f = (Number(m[1]) * replicas) / 100;
    return roundUp ? Math.ceil(f) : Math.floor(f);
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'rolling-update-unavailable',
    severity: 'warning',
    category: 'reliability',
    description: "A Deployment's rolling update must keep at least one pod available: `maxUnavailable` below the replica count.",
    rationale:
      'With `maxUnavailable` equal to or above `replicas` (an absolute number, or `100%`) a rollout may take every old pod down before any new one is ready: the service has no endpoints for the length of a pod start, on every deploy. ' +
      'With both `maxUnavailable` and `maxSurge` at 0 the API server rejects the Deployment, since the rollout could never make progress.',
    remediation:
      'Set `maxUnavailable` below the replica count (`0` or `1`, or `25%`, the default) and `maxSurge` to at least 1 so new pods start before old ones stop.',
    tags: ['reliability', 'availability', 'rollout'],
    appliesTo: ['apps/Deployment', 'extensions/Deployment'],
    presets: ['recommended'],
    equivalents: {},
    messages: {
      allDown:
        'Deployment {{name}} allows maxUnavailable: {{value}} with {{replicas}} replica{{s}}, so a rollout may stop every pod before a new one is ready; set maxUnavailable below {{replicas}} (e.g. 0 with maxSurge: 1).',
      allDownSingle: {
        text: 'Deployment {{name}} allows maxUnavailable: {{value}} with 1 replica, so a rollout may stop the pod before the new one is ready; if the pod can run twice (no ReadWriteOnce volume), set maxUnavailable: 0 and maxSurge: 1.',
        severity: 'info',
      },
      stuck: {
        text: 'Deployment {{name}} sets maxUnavailable and maxSurge both to 0, so a rollout can never make progress; the API server rejects it. Set maxSurge: 1.',
        severity: 'error',
      },
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'very-high',
  },
  check(obj, ctx) {
    const spec = obj.data.spec;
    if (!isObj(spec)) return;
    const strategy = isObj(spec.strategy) ? spec.strategy : {};
    if (strategy.type !== undefined && strategy.type !== 'RollingUpdate') return;
    const ru = isObj(strategy.rollingUpdate) ? strategy.rollingUpdate : undefined;
    if (!ru || ru.maxUnavailable === undefined || ru.maxUnavailable === null) return; // the default 25% keeps pods
    const hpa = ctx.index.hpasTargeting(obj)[0];
    const replicas = hpa ? undefined : specReplicas(obj);
    const path = ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'];
    const probe = replicas ?? 1; // for the 0/0 test the count does not matter
    const unavailable = scaled(ru.maxUnavailable, probe, false, '25%');
    const surge = scaled(ru.maxSurge, probe, true, '25%');
    if (
      unavailable === 0 &&
      surge === 0 &&
      (typeof ru.maxUnavailable === 'number' || ru.maxUnavailable === '0%') &&
      (ru.maxSurge === 0 || ru.maxSurge === '0%')
    ) {
      ctx.report({ path, messageId: 'stuck', data: { name: obj.name } });
      return;
    }
    if (replicas === undefined || replicas === 0 || unavailable === undefined || unavailable < replicas) return;
    ctx.report({
      path,
      messageId: replicas === 1 ? 'allDownSingle' : 'allDown',
      data: { name: obj.name, value: String(ru.maxUnavailable), replicas, s: replicas === 1 ? '' : 's' },
    });
  },
});
