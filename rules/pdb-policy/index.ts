import { defineRule } from '../../src/engine/rule.js';
import { isObj } from '../../src/model/object.js';

export default defineRule({
  meta: {
    id: 'pdb-policy',
    severity: 'warning',
    category: 'reliability',
    description: 'A `policy/v1` PodDisruptionBudget sets `minAvailable` or `maxUnavailable`; without either it protects nothing.',
    rationale:
      'The disruption controller counts the pods a `policy/v1` budget must keep from `minAvailable` or `maxUnavailable`; with neither set it keeps none, so every eviction is allowed and a node drain can take all the selected pods down at once. ' +
      'The budget looks like protection in review while doing nothing.\n\n' +
      'Decisions: `policy/v1beta1` budgets are not reported, because that API version defaulted a missing policy to `minAvailable: 1` (and `deprecated-api` reports the version).',
    remediation: 'Set `spec.maxUnavailable: 1` (or `spec.minAvailable`, as a count or a percentage) on the budget.',
    tags: ['reliability', 'availability', 'pdb'],
    appliesTo: ['policy/PodDisruptionBudget'],
    presets: ['recommended'],
    equivalents: { 'kube-score': ['PodDisruptionBudget has policy'] },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    messages: {
      noPolicy:
        'PodDisruptionBudget {{name}} sets neither minAvailable nor maxUnavailable, so it allows every eviction and a node drain can stop all the pods it selects; set maxUnavailable: 1 (or minAvailable).',
    },
    precision: 'very-high',
  },
  check(obj, ctx) {
    if (obj.version !== 'v1') return;
    const spec = obj.data.spec;
    if (!isObj(spec)) return;
    const set = (v: unknown): boolean => v !== undefined && v !== null;
    if (set(spec.minAvailable) || set(spec.maxUnavailable)) return;
    ctx.report({ path: ['spec'], messageId: 'noPolicy', data: { name: obj.name } });
  },
});
