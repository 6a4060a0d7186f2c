import { defineRule } from '../../src/engine/rule.js';
import { sourcePath } from '../../src/model/object.js';
import { podTemplate } from '../../src/model/workload.js';
import { podServiceAccount } from '../../src/model/service-account.js';

export default defineRule({
  meta: {
    id: 'automount-service-account-token',
    severity: 'warning',
    category: 'security',
    description:
      'Pods that do not call the Kubernetes API should not get a service-account token mounted (`automountServiceAccountToken: false`).',
    rationale:
      "By default the kubelet mounts a token of the pod's service account at `/var/run/secrets/kubernetes.io/serviceaccount` in every container. Most applications never talk to the API server, but anyone who gets code execution in them (an RCE, a compromised dependency) reads that token and acts with the service account's RBAC permissions from inside the cluster. " +
      'Turning automounting off removes the credential where it is not used. The rule cannot know which pods call the API, so it is not on by default.',
    remediation:
      'Set `automountServiceAccountToken: false` in the pod spec, or on the ServiceAccount (then every pod using it gets no token unless its spec sets `true`). Pods that need the API (controllers, operators) keep the token: suppress the finding on them, or set `automountServiceAccountToken: true` explicitly on the pod to state the intent.',
    tags: ['security', 'service-account'],
    appliesTo: ['PodSpecHolder'],
    presets: [],
    equivalents: { polaris: ['automountServiceAccountToken'], checkov: ['CKV_K8S_38'] },
    hasSuggestions: true,
    messages: {
      unmount: 'Set automountServiceAccountToken: false in the pod spec',
      mounted:
        '{{kind}} {{name}} gets a token of ServiceAccount {{sa}} mounted: {{why}}; set automountServiceAccountToken: false in the pod spec unless it calls the Kubernetes API.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'medium',
    securitySeverity: 4.0,
  },
  check(obj, ctx) {
    const tpl = podTemplate(obj);
    if (!tpl) return;
    const pod = tpl.spec.automountServiceAccountToken;
    if (pod === false || pod === true) return; // decided on the pod: false, or true on purpose
    const sa = podServiceAccount(tpl);
    const saObj = ctx.index.find('ServiceAccount', obj.namespace, sa.name, '');
    const saSetting = saObj?.data.automountServiceAccountToken;
    if (saSetting === false) return;
    const why =
      saSetting === true
        ? `ServiceAccount ${sa.name} (${sourcePath(saObj!)}) sets automountServiceAccountToken: true and the pod does not override it`
        : saObj
          ? `neither the pod nor ServiceAccount ${sa.name} (${sourcePath(saObj)}) sets automountServiceAccountToken: false`
          : 'the pod does not set automountServiceAccountToken: false';
    // a suggestion, not a fix: whether the pod calls the API is not in the manifest
    ctx.report({
      path: sa.path,
      messageId: 'mounted',
      data: { kind: obj.kind, name: obj.name, sa: sa.name, why },
      suggest: [{ messageId: 'unmount', fix: (f) => f.set([...tpl.specPath, 'automountServiceAccountToken'], false) }],
    });
  },
});
