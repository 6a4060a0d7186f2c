import { defineRule } from '../../src/engine/rule.js';
import { podTemplate } from '../../src/model/workload.js';

export default defineRule({
  meta: {
    id: 'deprecated-service-account-field',
    severity: 'warning',
    category: 'correctness',
    description: 'Pod specs should name their service account with `serviceAccountName`, not the deprecated `serviceAccount` alias.',
    rationale:
      '`serviceAccount` is a deprecated alias kept for old clients. When both fields are set with different values the API server keeps `serviceAccountName` and the other value is silently ignored, so the pod does not run as the account the author wrote; tools that read only one of the fields (policy engines, RBAC reviews) see a different account from the one that runs.',
    remediation: 'Rename `serviceAccount` to `serviceAccountName`; when both are set, keep the one you mean and delete the other.',
    tags: ['correctness', 'service-account', 'deprecated'],
    appliesTo: ['PodSpecHolder'],
    presets: ['recommended'],
    equivalents: { 'kube-linter': ['deprecated-service-account-field'] },
    messages: {
      deprecated: '{{kind}} {{name}} sets the deprecated serviceAccount: {{value}}; rename it to serviceAccountName.',
      mismatch: {
        text: '{{kind}} {{name}} sets serviceAccount: {{value}} but serviceAccountName: {{other}}; the pod runs as {{other}} and {{value}} is ignored. Delete serviceAccount.',
        severity: 'error',
      },
      duplicate:
        '{{kind}} {{name}} sets the deprecated serviceAccount next to serviceAccountName with the same value; delete serviceAccount.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'very-high',
  },
  check(obj, ctx) {
    const tpl = podTemplate(obj);
    if (!tpl) return;
    const value = tpl.spec.serviceAccount;
    if (typeof value !== 'string' || value === '') return;
    const other = tpl.spec.serviceAccountName;
    const path = [...tpl.specPath, 'serviceAccount'];
    const data = { kind: obj.kind, name: obj.name, value, other: typeof other === 'string' ? other : undefined };
    if (typeof other !== 'string' || other === '') ctx.report({ path, messageId: 'deprecated', data });
    else if (other !== value) ctx.report({ path, messageId: 'mismatch', data });
    else ctx.report({ path, messageId: 'duplicate', data });
  },
});
