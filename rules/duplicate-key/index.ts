import { defineRule } from '../../src/engine/rule.js';
import { pathStartsWith } from '../../src/util/path.js';

export default defineRule({
  meta: {
    id: 'duplicate-key',
    severity: 'error',
    category: 'syntax',
    description: 'A mapping must not set the same key twice.',
    rationale:
      'With a duplicate key, the second value silently replaces the first when kubectl reads the file, and `kubectl apply --validate=strict` (the default since Kubernetes 1.27) rejects the object outright. The usual cause is a copy-pasted block, so the value that wins is often not the one the author meant, for example a second `resources:` or `env:` that drops the first.',
    remediation: 'Keep one of the two entries and delete the other, merging their contents if both were meant.',
    tags: ['syntax', 'correctness'],
    defaultOptions: {},
    messages: {
      duplicate: 'duplicate key "{{key}}": this value silently replaces the earlier one, and strict validation rejects the object',
      /** the key is set three times or more: one finding, at the value that wins */
      duplicateMany:
        'duplicate key "{{key}}", set {{count}} times in this mapping: this value silently replaces the earlier ones, and strict validation rejects the object',
    },
    precision: 'very-high',
  },
  check(obj, ctx) {
    const base = obj.basePath;
    // a path names the entry that wins, so a key set three times or more is one finding there, with the count
    const seen = new Map<string, { path: (string | number)[]; key: string; count: number }>();
    for (const d of obj.doc.duplicateKeys) {
      if (!pathStartsWith(d.path, base)) continue;
      const path = [...d.path.slice(base.length), d.key];
      const id = JSON.stringify(path);
      const prev = seen.get(id);
      if (prev) prev.count++;
      else seen.set(id, { path, key: d.key, count: 2 });
    }
    for (const { path, key, count } of seen.values())
      ctx.report({
        path,
        messageId: count > 2 ? 'duplicateMany' : 'duplicate',
        data: count > 2 ? { key, count } : { key },
      });
  },
});
