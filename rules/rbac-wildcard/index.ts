import { defineRule } from '../../src/engine/rule.js';
import { isAggregated, policyRules } from '../../src/model/rbac.js';

const FIELDS = ['apiGroups', 'resources', 'verbs'] as const;
const READ = new Set(['get', 'list', 'watch']);

export default defineRule({
  meta: {
    id: 'rbac-wildcard',
    severity: 'warning',
    category: 'security',
    description: 'Roles and ClusterRoles should not grant `*` in `verbs`, `resources` or `apiGroups`.',
    rationale:
      'A wildcard grants everything that exists now and everything added later: `verbs: ["*"]` includes `escalate`, `bind`, `impersonate` and `delete`; `resources: ["*"]` includes Secrets, `pods/exec` and every custom resource an operator installs next year; `apiGroups: ["*"]` spans every API group. ' +
      'Whoever holds the role (a service account token stolen from a pod, a CI job) gets far more than the workload needs, and nobody reviewing the role can tell what it was meant to allow. ' +
      'A rule whose only wildcard is `apiGroups: ["*"]`, for named resources and only `get`, `list` or `watch` (the Vertical Pod Autoscaler reads `*/scale` of any workload kind, whose groups it cannot know), is an info: it reads what it names in every group. So is `verbs: ["*"]` alone on named resources of custom API groups (the admin role kubebuilder scaffolds for each API): the verbs that reach further than the resource itself (`escalate`, `bind`, `impersonate`) act only on RBAC objects, users and groups.',
    remediation:
      'List the verbs, resources and API groups the workload uses (`kubectl auth can-i --list --as=system:serviceaccount:<ns>:<sa>` and the audit log show what it calls). Controllers that really manage arbitrary resources (Argo CD, Flux, Crossplane) need wildcards: suppress the finding on the role with the reason.',
    tags: ['security', 'rbac'],
    appliesTo: ['RBACRole'],
    presets: ['recommended'],
    equivalents: { 'kube-linter': ['wildcard-in-rules'], checkov: ['CKV_K8S_49'] },
    messages: {
      wildcard: '{{kind}} {{name}} grants "*" in {{fields}} of rules[{{index}}] ({{what}}); list the {{fields}} it needs instead.',
      /** `apiGroups: ["*"]` alone, for named resources and read verbs only (a reader of every group's scale subresources, as the VPA is) */
      readOnlyGroups: {
        text: '{{kind}} {{name}} grants "*" in apiGroups of rules[{{index}}] ({{what}}): read access to these resources in every API group, including groups installed later; list the API groups if the set is known.',
        severity: 'info',
      },
      /** `verbs: ["*"]` alone, on named resources of custom API groups */
      customVerbs: {
        text: '{{kind}} {{name}} grants "*" in verbs of rules[{{index}}] ({{what}}): full control of these custom resources, now and for verbs added later; list the verbs (get, list, watch, create, update, patch, delete, deletecollection) to make the grant explicit.',
        severity: 'info',
      },
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'very-high',
    securitySeverity: 6.0,
  },
  check(obj, ctx) {
    if (isAggregated(obj)) return;
    for (const p of policyRules(obj)) {
      const wild = FIELDS.filter((f) => p[f].includes('*'));
      if (!wild.length) continue;
      const shown = (l: string[], empty: string): string =>
        l
          .filter((x) => x !== '\u0000')
          .map((x) => (x === '' ? '"" (core)' : x))
          .join(', ') || empty;
      const what =
        p.nonResourceURLs.length && !p.resources.length
          ? `${p.verbs.includes('*') ? 'every verb' : `verbs ${shown(p.verbs, '-')}`} on non-resource URLs ${shown(p.nonResourceURLs, '-')}`
          : `${p.verbs.includes('*') ? 'every verb' : `verbs ${shown(p.verbs, '-')}`} on ${p.resources.includes('*') ? 'every resource' : shown(p.resources, 'no resource')} of ${p.apiGroups.includes('*') ? 'every API group' : `API groups ${shown(p.apiGroups, '-')}`}`;
      const first = wild[0]!;
      const readOnly = wild.length === 1 && first === 'apiGroups' && p.verbs.length > 0 && p.verbs.every((v) => READ.has(v));
      // every verb on named custom resources (kubebuilder's `<kind>_admin_role.yaml`): the verbs that grant more than
      // the resource itself (escalate, bind, impersonate) act only on RBAC objects, users and groups
      const customVerbs =
        wild.length === 1 &&
        first === 'verbs' &&
        p.resources.length > 0 &&
        p.apiGroups.length > 0 &&
        p.apiGroups.every((g) => g.includes('.') && !g.endsWith('.k8s.io'));
      ctx.report({
        path: [...p.path, first, p[first].indexOf('*')],
        messageId: readOnly ? 'readOnlyGroups' : customVerbs ? 'customVerbs' : 'wildcard',
        data: { kind: obj.kind, name: obj.name, fields: wild.join(', '), index: p.index, what },
      });
    }
  },
});
