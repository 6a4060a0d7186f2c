import { defineRule } from '../../src/engine/rule.js';
import { asArray, isObj } from '../../src/model/object.js';
import { containers } from '../../src/model/workload.js';

export default defineRule({
  meta: {
    id: 'duplicate-env-var',
    severity: 'warning',
    category: 'correctness',
    description: 'A container must not list the same environment variable twice in `env`.',
    rationale:
      'When `env` names a variable twice the later entry silently wins, so the earlier one (often the one a reviewer reads) has no effect. Worse, `kubectl apply` merges `env` by name: with duplicates the patch can drop or keep the wrong entry, and the live object drifts from the manifest.',
    remediation: 'Delete one of the entries, keeping the value the container should see.',
    tags: ['correctness', 'env'],
    appliesTo: ['PodSpecHolder'],
    presets: ['recommended'],
    equivalents: { 'kube-linter': ['duplicate-env-var'], 'kube-score': ['Environment Variable Key Duplication'] },
    messages: {
      duplicate:
        'container "{{container}}" of {{kind}} {{name}} sets env {{var}} again (first at env[{{first}}]); this later entry wins and the first has no effect. Delete one.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'very-high',
  },
  check(obj, ctx) {
    for (const c of containers(obj, ['init', 'sidecar', 'regular', 'ephemeral'])) {
      const seen = new Map<string, number>();
      asArray(c.container.env).forEach((e, i) => {
        if (!isObj(e) || typeof e.name !== 'string' || e.name === '') return;
        const first = seen.get(e.name);
        if (first === undefined) {
          seen.set(e.name, i);
          return;
        }
        ctx.report({
          path: [...c.path, 'env', i, 'name'],
          messageId: 'duplicate',
          data: { container: c.name, kind: obj.kind, name: obj.name, var: e.name, first },
        });
      });
    }
  },
});
