import { defineRule } from '../../src/engine/rule.js';
import { isObj } from '../../src/model/object.js';

export default defineRule({
  meta: {
    id: 'cronjob-policy',
    severity: 'info',
    category: 'reliability',
    description: 'CronJobs should set `startingDeadlineSeconds` and an explicit `concurrencyPolicy`.',
    rationale:
      'Without `startingDeadlineSeconds`, a CronJob that missed more than 100 schedules (controller downtime, a suspended CronJob resumed) stops being scheduled with "Cannot determine if job needs to be started"; with a deadline only the recent misses count. ' +
      'The default `concurrencyPolicy: Allow` starts a new run while the previous one still runs, which for most jobs (backups, reports, migrations) means two copies writing the same data. These are judgement calls, so the rule is off by default.',
    remediation:
      'Set `startingDeadlineSeconds` (e.g. 200, well below the schedule interval) and `concurrencyPolicy: Forbid` (or `Replace`), or `Allow` explicitly when overlapping runs are safe.',
    tags: ['reliability', 'jobs'],
    appliesTo: ['batch/CronJob'],
    presets: [],
    equivalents: { 'kube-score': ['CronJob has deadline'] },
    messages: {
      deadline:
        'CronJob {{name}} does not set startingDeadlineSeconds, so after 100 missed schedules it stops running; set startingDeadlineSeconds.',
      concurrency:
        'CronJob {{name}} does not set concurrencyPolicy, so the default Allow starts a run while the previous one still runs; set Forbid, Replace, or Allow explicitly.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'high',
  },
  check(obj, ctx) {
    const spec = obj.data.spec;
    if (!isObj(spec)) return;
    if (typeof spec.startingDeadlineSeconds !== 'number') ctx.report({ path: ['spec'], messageId: 'deadline', data: { name: obj.name } });
    if (typeof spec.concurrencyPolicy !== 'string') ctx.report({ path: ['spec'], messageId: 'concurrency', data: { name: obj.name } });
  },
});
