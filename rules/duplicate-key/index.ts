import { defineRule } from '../../src/engine/rule.js';
import { isHelmRendered } from '../../src/model/object.js';
import { pathStartsWith } from '../../src/util/path.js';

export default defineRule({
  meta: {
    id: 'duplicate-key',
    severity: 'error',
    category: 'syntax',
    description: 'A mapping must not set the same key twice.',
    rationale:
      'With a duplicate key, the second value silently replaces the first when kubectl reads the file, and `kubectl apply --validate=strict` (the default since Kubernetes 1.27) rejects the object outright. The usual cause is a copy-pasted block, so the value that wins is often not the one the author meant, for example a second `resources:` or `env:` that drops the first. ' +
      'In the output of a Helm chart, a key written twice with the same value (an annotation in both the template and the default values) is a warning: `helm install` keeps one and nothing is lost, but the rendered output fails strict validation.',
    remediation: 'Keep one of the two entries and delete the other, merging their contents if both were meant.',
    tags: ['syntax', 'correctness'],
    defaultOptions: {},
    messages: {
      duplicate: 'duplicate key "{{key}}": this value silently replaces the earlier one, and strict validation rejects the object',
      /** the key is set three times or more: one finding, at the value that wins */
      duplicateMany:
        'duplicate key "{{key}}", set {{count}} times in this mapping: this value silently replaces the earlier ones, and strict validation rejects the object',
      /** a chart writes the same key twice with the same value: helm keeps one, nothing is lost */
      sameRendered: {
        text: 'duplicate key "{{key}}" with the same value as the earlier one: the chart writes it twice (helm install keeps one, so nothing is lost), but kubectl apply --validate=strict of the rendered output rejects the object; write it once',
        severity: 'warning',
      },
    },
    precision: 'very-high',
  },
  check(obj, ctx) {
    const base = obj.basePath;
    // a path names the entry that wins, so a key set three times or more is one finding there, with the count
    const seen = new Map<string, { path: (string | number)[]; key: string; count: number; same: boolean }>();
    for (const d of obj.doc.duplicateKeys) {
      if (!pathStartsWith(d.path, base)) continue;
      const path = [...d.path.slice(base.length), d.key];
      const id = JSON.stringify(path);
      const prev = seen.get(id);
      if (prev) prev.count++;
      else seen.set(id, { path, key: d.key, count: 2, same: d.same === true });
    }
    for (const { path, key, count, same } of seen.values())
      ctx.report({
        path,
        messageId: count > 2 ? 'duplicateMany' : same && isHelmRendered(obj) ? 'sameRendered' : 'duplicate',
        data: count > 2 ? { key, count } : { key },
      });
  },
});
