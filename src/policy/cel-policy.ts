/**
 * k8s-gold policies written in CEL (`expression:` instead of `condition:`):
 * the expression must be true for each target, with `object` (the whole
 * object), `target` (the object, its pod spec or a container) and `objects`
 * (every object of the run) — the variables of kube-linter's cel-expression
 * check, with the Kubernetes CEL libraries of the target kubernetesVersion.
 */
import { compileCel, toCel } from '../cel/env.js';
import { subjectPath } from '../cel/paths.js';
import { createRule, type AnyRule } from '../engine/rule.js';
import type { ObjectIndex } from '../model/index.js';
import { toDotted } from '../parse/source.js';
import { targetKubernetesVersion } from '../util/kube-version.js';
import { matches, policyMeta, targets, type PolicyDoc } from './match.js';

const VARS = ['object', 'target', 'objects'] as const;

/** The compile error of a policy expression (with every library of the newest version), or undefined. */
export function checkPolicyExpression(expression: string): string | undefined {
  const c = compileCel(expression, targetKubernetesVersion({}).minor, VARS);
  return c.ok || c.unsupported ? undefined : c.error;
}

const allObjects = new WeakMap<ObjectIndex, unknown[]>();
function objectsOf(index: ObjectIndex): unknown[] {
  let l = allObjects.get(index);
  if (!l) {
    l = index.all.map((o) => toCel(o.data));
    allObjects.set(index, l);
  }
  return l;
}

export function celPolicyRule(policy: PolicyDoc, file: string, configDir: string, display: string): AnyRule {
  const expression = policy.expression!;
  return createRule({
    meta: policyMeta(policy, file, display, `This CEL expression must be true:\n\n\`\`\`cel\n${expression}\n\`\`\``, ['policy', 'cel']),
    check(obj, ctx) {
      if (!matches(policy, obj, configDir)) return;
      const minor = targetKubernetesVersion(ctx.settings).minor;
      const c = compileCel(expression, minor, VARS);
      const data = (p: readonly (string | number)[], error: string) => ({
        kind: obj.kind,
        name: obj.name,
        namespace: obj.namespace,
        container: '',
        path: toDotted(p) || obj.kind,
        value: '',
        error,
      });
      if (!c.ok) {
        ctx.report({ path: [], messageId: 'violation', data: data([], `expression not evaluated for Kubernetes 1.${minor}: ${c.error}`) });
        return;
      }
      const object = toCel(obj.data);
      for (const t of targets(policy, obj)) {
        const bindings = { object, target: toCel(t.value), objects: objectsOf(ctx.index) };
        const r = c.program.evaluate(bindings);
        if (r.ok && r.value === true) continue;
        const sctx = { minor, variables: VARS, bindings };
        const rel = r.ok
          ? (subjectPath(expression, 'target', sctx) ?? (t.path.length === 0 ? subjectPath(expression, 'object', sctx) : undefined) ?? [])
          : [];
        const full = [...t.path, ...rel];
        const error = r.ok
          ? r.value === false
            ? `${toDotted(full) || 'the object'}: ${expression} is false`
            : `${expression} returned ${String(r.value)}, not a bool`
          : `${expression} failed: ${r.error}`;
        ctx.report({ path: full, messageId: 'violation', data: { ...data(full, error), container: t.container ?? '' } });
      }
    },
  });
}
