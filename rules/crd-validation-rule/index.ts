import { defineRule } from '../../src/engine/rule.js';
import { whereIs } from '../../src/model/index.js';
import { isObj } from '../../src/model/object.js';
import { crdRegistry } from '../../src/schema/crd.js';
import { targetKubernetesVersion } from '../../src/util/kube-version.js';

/**
 * Whether a schema has an x-kubernetes-validations key anywhere; the CEL modules are loaded only then (start-up).
 * A search that stops at the first one (a CRD's rules are most often near the top, on spec): serialising each
 * schema to look for the name cost ~1 ms per 30 KB of schema.
 */
const withRules = new WeakMap<object, boolean>();
const KEY = 'x-kubernetes-validations';
const CYCLE = new Error('cycle');
function hasRules(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null) return false;
  let r = withRules.get(schema);
  if (r === undefined) {
    try {
      r = hasKey(schema, new Set());
    } catch (e) {
      if (e !== CYCLE) throw e;
      r = JSON.stringify(schema).includes(`"${KEY}"`); // throws on the cycle, as it always did
    }
    withRules.set(schema, r);
  }
  return r;
}

/** Whether `x` or an object below it has the key; `open` holds the objects being searched (a cycle throws CYCLE). */
function hasKey(x: object, open: Set<object>): boolean {
  if (open.has(x)) throw CYCLE;
  open.add(x);
  let found = false;
  if (Array.isArray(x)) found = x.some((v) => typeof v === 'object' && v !== null && hasKey(v, open));
  else if (Object.hasOwn(x, KEY)) found = true;
  else
    for (const k in x) {
      const v = (x as Record<string, unknown>)[k];
      if (typeof v === 'object' && v !== null && hasKey(v, open)) {
        found = true;
        break;
      }
    }
  open.delete(x);
  return found;
}

let crdRulesModule: typeof import('../../src/cel/crd-rules.js') | undefined;
function crdRules(): typeof import('../../src/cel/crd-rules.js') {
  // once: in the bundle each require of a lazy module copies its exports into a new object
  crdRulesModule ??= require('../../src/cel/crd-rules.js') as typeof import('../../src/cel/crd-rules.js');
  return crdRulesModule;
}

/** Whether the input holds an object of the CRD's group and kind. */
function hasCustomResources(crd: { data: unknown }, list: (kind: string) => { group: string }[]): boolean {
  const spec = isObj(crd.data) && isObj(crd.data.spec) ? crd.data.spec : undefined;
  const group = spec && typeof spec.group === 'string' ? spec.group : undefined;
  const kind = spec && isObj(spec.names) && typeof spec.names.kind === 'string' ? spec.names.kind : undefined;
  return group !== undefined && kind !== undefined && list(kind).some((o) => o.group === group);
}

export default defineRule({
  meta: {
    id: 'crd-validation-rule',
    severity: 'error',
    category: 'schema',
    description:
      'Custom resources must pass the CEL validation rules (x-kubernetes-validations) of their CustomResourceDefinition in the input, --context or --crd.',
    rationale:
      "The API server evaluates a CRD's `x-kubernetes-validations` rules on every write and rejects the object when one is false. k8s-gold evaluates them offline at every schema node that carries them, with `self` the value there, " +
      "and reports a violation at that node (or at its `fieldPath`), with the rule's `message` or `messageExpression`. " +
      'Transition rules (`oldSelf`) compare with the stored object, which does not exist offline: they are not evaluated (an info on the CRD says so when the input holds custom resources of it), except with `optionalOldSelf: true`, where `oldSelf` is `optional.none()` as on a create. ' +
      'A rule that does not compile is an error on the CRD. ' +
      'The rules of each CRD have their own rule id, `crd-rule/<crd-name>` (e.g. `crd-rule/backups.example.com`): findings are reported under it, and it can be set in `rules:`, `overrides` and `--rule` (a severity, or `off`) and named in a `# k8s-gold-ignore` comment, alone; `crd-validation-rule` still covers every CRD (turning it off turns off all of them). See docs/cel.md.',
    remediation: 'Change the custom resource so that the rule holds, or fix the rule in the CRD.',
    tags: ['schema', 'cel', 'crd'],
    appliesTo: ['Any'],
    instanceIds: { prefix: 'crd-rule', of: 'CustomResourceDefinition' },
    messages: {
      violation: '{{message}} (x-kubernetes-validations rule of CustomResourceDefinition {{crd}}, {{where}})',
      error: 'the API server rejects the object: {{message}} (CustomResourceDefinition {{crd}}, {{where}})',
      invalid: {
        text: 'this CEL rule does not compile, so the API server rejects the CustomResourceDefinition: {{message}}',
        severity: 'error',
      },
      unsupported: { text: 'not evaluated by k8s-gold: {{message}}', severity: 'info' },
      transition: {
        text: 'transition rule (it reads oldSelf) not evaluated: offline there is no stored object to compare with',
        severity: 'info',
      },
    },
    defaultOptions: {},
    precision: 'high',
  },
  check(obj, ctx) {
    const minor = targetKubernetesVersion(ctx.settings).minor;
    if (obj.kind === 'CustomResourceDefinition' && obj.group === 'apiextensions.k8s.io') {
      if (!hasRules(obj.data.spec)) return;
      const { problems, transitions } = crdRules().crdRuleProblems(obj, minor);
      for (const p of problems)
        ctx.report({
          path: p.at,
          messageId: p.unsupported ? 'unsupported' : 'invalid',
          data: { message: p.message },
          instance: obj.name || undefined,
        });
      // a note only where it matters: when the input holds custom resources of the CRD, whose checks skip these rules
      if (transitions.length && hasCustomResources(obj, ctx.index.list.bind(ctx.index)))
        for (const t of transitions) ctx.report({ path: t, messageId: 'transition', instance: obj.name || undefined });
      return;
    }
    const v = crdRegistry(ctx.index).lookup(obj.group, obj.version, obj.kind, obj).version;
    if (!v || !isObj(v.schema) || !hasRules(v.schema)) return;
    for (const f of crdRules().evaluateCrdRules(v.schema, obj, minor)) {
      ctx.report({
        path: f.path,
        messageId: f.kind === 'violation' ? 'violation' : 'error',
        data: { message: f.message, crd: v.crd.name, where: whereIs(v.crd) },
        instance: v.crd.name || undefined,
      });
    }
  },
});
