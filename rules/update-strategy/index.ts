import { defineRule } from '../../src/engine/rule.js';
import { own } from '../../src/model/object.js';
import { podLabels } from '../../src/model/workload.js';

interface Options {
  onlyWhenServed: boolean;
}

/** The strategy field of each kind and the values that roll pods one batch at a time. */
const FIELD: Record<string, { field: string; rolling: string }> = {
  Deployment: { field: 'strategy', rolling: 'RollingUpdate' },
  DeploymentConfig: { field: 'strategy', rolling: 'Rolling' },
  DaemonSet: { field: 'updateStrategy', rolling: 'RollingUpdate' },
  StatefulSet: { field: 'updateStrategy', rolling: 'RollingUpdate' },
};

export default defineRule<Options>({
  meta: {
    id: 'update-strategy',
    severity: 'info',
    category: 'reliability',
    description: 'Workloads that serve traffic roll out with the rolling update strategy, not `Recreate` or `OnDelete`.',
    rationale:
      '`Recreate` stops every pod before the new ones start, so each rollout is an outage for the Service in front of them; `OnDelete` never replaces a pod until someone deletes it, so an applied change does not roll out at all and the pods drift from the manifest. ' +
      'Both are sometimes chosen on purpose (a ReadWriteOnce volume two pods cannot share, a database upgraded by hand), so the rule is off by default and reports only workloads a Service in the input selects unless `onlyWhenServed` is false.\n\n' +
      'Decisions: an unset strategy is the rolling one for every kind and is not reported; a custom DeploymentConfig strategy is reported as not rolling.',
    remediation:
      'Set `spec.strategy.type: RollingUpdate` (Deployment), `spec.updateStrategy.type: RollingUpdate` (DaemonSet, StatefulSet) or `spec.strategy.type: Rolling` (DeploymentConfig), or remove the field.',
    tags: ['reliability', 'availability', 'rollout'],
    appliesTo: [
      'apps/Deployment',
      'extensions/Deployment',
      'apps/DaemonSet',
      'extensions/DaemonSet',
      'apps/StatefulSet',
      'apps.openshift.io/DeploymentConfig',
    ],
    presets: [],
    equivalents: { 'kube-linter': ['no-rolling-update-strategy'], 'kube-score': ['Deployment Strategy'] },
    schema: {
      type: 'object',
      properties: { onlyWhenServed: { type: 'boolean', description: 'Report only workloads whose pods a Service in the input selects.' } },
      additionalProperties: false,
    },
    defaultOptions: { onlyWhenServed: true },
    messages: {
      recreate:
        '{{kind}} {{name}} uses the {{type}} strategy, so a rollout stops every pod before new ones start{{served}}; use {{rolling}} unless the pods cannot run side by side.',
      onDelete:
        '{{kind}} {{name}} uses the OnDelete strategy, so an applied change replaces no pod until someone deletes it{{served}}; use RollingUpdate unless pods are replaced by hand on purpose.',
    },
    precision: 'high',
  },
  check(obj, ctx) {
    const f = FIELD[obj.kind];
    if (!f) return;
    const type = own(own(obj.data.spec, f.field), 'type');
    if (typeof type !== 'string' || type === '' || type === f.rolling) return;
    let served = '';
    const ns = ctx.index.servicesSelecting(obj.namespace, podLabels(obj));
    if (ns.length) served = ` (Service ${ns[0]!.name} sends traffic to them)`;
    else if (ctx.options.onlyWhenServed) return;
    const data = { kind: obj.kind, name: obj.name, type, rolling: f.rolling, served };
    ctx.report({ path: ['spec', f.field, 'type'], messageId: type === 'OnDelete' ? 'onDelete' : 'recreate', data });
  },
});
