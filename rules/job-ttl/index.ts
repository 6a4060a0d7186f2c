import { defineRule } from '../../src/engine/rule.js';
import { isObj } from '../../src/model/object.js';

export default defineRule({
  meta: {
    id: 'job-ttl',
    severity: 'info',
    category: 'efficiency',
    description: 'Jobs should set `ttlSecondsAfterFinished` so that finished Jobs and their pods are deleted.',
    rationale:
      "A finished Job and its pods stay in the API server until someone deletes them: they count against the namespace's object quota, slow down list calls and keep their logs on the node. CronJobs prune their own history (`successfulJobsHistoryLimit`), but a Job applied from a manifest (a migration, a one-off task) never goes away. Some teams keep finished Jobs on purpose, so the rule is off by default.",
    remediation:
      'Set `spec.ttlSecondsAfterFinished` (e.g. 86400 to keep it a day for debugging). A GitOps tool that re-applies the Job after deletion needs its own hook policy instead (Argo CD `hook-delete-policy`, Helm `helm.sh/hook-delete-policy`).',
    tags: ['efficiency', 'jobs'],
    appliesTo: ['batch/Job'],
    presets: [],
    equivalents: { 'kube-linter': ['job-ttl-seconds-after-finished'] },
    messages: {
      unset:
        'Job {{name}} does not set ttlSecondsAfterFinished, so it and its pods stay in the cluster after it finishes; set ttlSecondsAfterFinished.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'high',
  },
  check(obj, ctx) {
    const spec = obj.data.spec;
    if (!isObj(spec) || typeof spec.ttlSecondsAfterFinished === 'number') return;
    ctx.report({ path: ['spec'], messageId: 'unset', data: { name: obj.name } });
  },
});
