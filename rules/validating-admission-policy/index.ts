import { defineRule } from '../../src/engine/rule.js';
import { whereIs } from '../../src/model/index.js';
import { targetKubernetesVersion } from '../../src/util/kube-version.js';
import type { ObjectIndex } from '../../src/model/index.js';

/** Whether the run has a binding at all; the CEL modules are loaded only then (start-up, docs/performance.md). */
const hasBindings = new WeakMap<ObjectIndex, boolean>();
function bindingsIn(index: ObjectIndex): boolean {
  let b = hasBindings.get(index);
  if (b === undefined) {
    b = index.list('ValidatingAdmissionPolicyBinding').some((o) => o.group === 'admissionregistration.k8s.io');
    hasBindings.set(index, b);
  }
  return b;
}

function vap(): typeof import('../../src/cel/vap.js') {
  return require('../../src/cel/vap.js') as typeof import('../../src/cel/vap.js');
}

export default defineRule({
  meta: {
    id: 'validating-admission-policy',
    severity: 'error',
    category: 'policy',
    description:
      'Objects must pass the ValidatingAdmissionPolicies bound in the input, --context or policies: files, evaluated in CEL as the API server evaluates a CREATE.',
    rationale:
      'A ValidatingAdmissionPolicy rejects (Deny), warns about (Warn) or records (Audit) objects at apply time, which is after the pull request merged. ' +
      "k8s-gold evaluates the same policies and bindings offline: matchConstraints and the binding's matchResources (resource rules with plural resources from a built-in table and the CRDs in the run, excludeResourceRules, namespaceSelector against the Namespace objects in the run or `settings.namespaceLabels`, objectSelector, operation CREATE), matchConditions, params (paramKind/paramRef by name or selector, per namespace), variables and validations, with the Kubernetes CEL libraries of the target `kubernetesVersion`. " +
      'Deny findings are errors, Warn warnings, Audit infos. Where the input cannot tell (the labels of a Namespace that is neither in the run nor in `settings.namespaceLabels`, params that are not in the run, a field the API server may set by defaulting, an evaluation error under failurePolicy Ignore), the finding is an info saying so. ' +
      'A policy whose expression does not compile is reported at that expression. ' +
      'Each policy has its own rule id, `vap/<policy-name>` (e.g. `vap/replica-limit.example.com`): its findings are reported under it, and it can be set in `rules:`, `overrides` and `--rule` (a severity, or `off`) and named in a `# k8s-gold-ignore` comment, alone; `validating-admission-policy` still covers every policy (turning it off turns off all of them). See docs/cel.md.',
    remediation: 'Change the object so that the policy admits it, or, when the policy is wrong, fix the policy.',
    tags: ['policy', 'cel', 'admission'],
    appliesTo: ['Any'],
    instanceIds: { prefix: 'vap', of: 'ValidatingAdmissionPolicy' },
    messages: {
      deny: { text: '{{message}} (ValidatingAdmissionPolicy {{policy}}, binding {{binding}}{{params}}, {{where}})', severity: 'error' },
      warn: {
        text: '{{message}} (ValidatingAdmissionPolicy {{policy}}, binding {{binding}}{{params}}, {{where}}; validationActions Warn)',
        severity: 'warning',
      },
      audit: {
        text: '{{message}} (ValidatingAdmissionPolicy {{policy}}, binding {{binding}}{{params}}, {{where}}; validationActions Audit)',
        severity: 'info',
      },
      notEvaluated: {
        text: 'ValidatingAdmissionPolicy {{policy}} (binding {{binding}}, {{where}}) not evaluated: {{message}}.',
        severity: 'info',
      },
      invalid: { text: 'this expression does not compile, so the API server rejects the policy: {{message}}', severity: 'error' },
      unsupported: { text: 'not evaluated by k8s-gold: {{message}}', severity: 'info' },
      unknownPolicy: {
        text: 'binding {{binding}} names ValidatingAdmissionPolicy {{policy}}, which is not in the input, --context or policies: files, so k8s-gold evaluates nothing for it; add the policy with --context',
        severity: 'info',
      },
    },
    defaultOptions: {},
    precision: 'high',
  },
  check(obj, ctx) {
    const minor = targetKubernetesVersion(ctx.settings).minor;
    if (obj.kind === 'ValidatingAdmissionPolicy' && obj.group === 'admissionregistration.k8s.io') {
      for (const p of vap().policyProblems(ctx.index, minor, obj))
        ctx.report({
          path: p.at,
          messageId: p.unsupported ? 'unsupported' : 'invalid',
          data: { message: p.message },
          instance: obj.name || undefined,
        });
      return;
    }
    if (obj.kind === 'ValidatingAdmissionPolicyBinding' && obj.group === 'admissionregistration.k8s.io') {
      const spec = obj.data.spec as { policyName?: unknown } | undefined;
      const name = spec?.policyName;
      if (
        typeof name === 'string' &&
        !ctx.index.named('ValidatingAdmissionPolicy', name).some((o) => o.group === 'admissionregistration.k8s.io')
      ) {
        ctx.report({ path: ['spec', 'policyName'], messageId: 'unknownPolicy', data: { binding: obj.name, policy: name } });
      }
      return;
    }
    if (!bindingsIn(ctx.index)) return;
    for (const f of vap().evaluateVaps(ctx.index, minor, obj, ctx.settings.namespaceLabels)) {
      const data = {
        message: f.message,
        policy: f.policy.name,
        binding: f.binding.name,
        params: f.params ? `, params ${f.params.kind} ${f.params.name}` : '',
        where: whereIs(f.policy.obj),
      };
      if (f.kind === 'notEvaluated') {
        ctx.report({ path: f.path, messageId: 'notEvaluated', data, instance: f.policy.name || undefined });
        continue;
      }
      const a = f.actions;
      const id = a.includes('Deny') ? 'deny' : a.includes('Warn') ? 'warn' : 'audit';
      ctx.report({ path: f.path, messageId: id, data, instance: f.policy.name || undefined });
    }
  },
});
