import { defineRule } from '../../src/engine/rule.js';
import { isObj } from '../../src/model/object.js';
import type { PathSeg } from '../../src/parse/source.js';

const INTEGER_LIKE = /^(0|[1-9]\d*)$/;
/** Byte order, as kube-linter sorts (Go's sort.Strings). */
const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function where(path: PathSeg[]): string {
  let out = '';
  for (const s of path) out += typeof s === 'number' ? `[${s}]` : out ? `.${s}` : s;
  return out || 'the top level';
}

export default defineRule({
  meta: {
    id: 'sorted-keys',
    severity: 'info',
    category: 'style',
    description: 'The keys of every mapping are in alphabetical order (a team convention; off by default).',
    rationale:
      'Some teams keep manifest keys sorted so that diffs between similar objects line up and a reviewer finds a field at once. Key order means nothing to the API server, so this is purely a style convention and the rule is off by default.\n\n' +
      'Decisions: keys are compared by their bytes (uppercase before lowercase), as kube-linter does; every mapping is checked, nested ones and those in lists included, with one finding per mapping at the first key that comes too late; mappings with integer-like keys are skipped (their order is not kept by the parser).',
    remediation: 'Sort the keys of the mapping, e.g. with `yq -i -P \'sort_keys(..)\' file.yaml` (which also sorts the ones a team may prefer in the conventional order, so run it on whole files only if that is the rule).',
    tags: ['style'],
    appliesTo: ['Any'],
    presets: [],
    equivalents: { 'kube-linter': ['sorted-keys'] },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    messages: {
      unsorted: 'keys at {{where}} are not in alphabetical order: {{key}} comes after {{previous}}; sort them ({{expected}}).',
    },
    precision: 'very-high',
  },
  check(obj, ctx) {
    const walk = (v: unknown, path: PathSeg[]): void => {
      if (Array.isArray(v)) {
        v.forEach((item, i) => walk(item, [...path, i]));
        return;
      }
      if (!isObj(v)) return;
      const keys = Object.keys(v);
      if (!keys.some((k) => INTEGER_LIKE.test(k))) {
        for (let i = 1; i < keys.length; i++) {
          if (byteOrder(keys[i - 1]!, keys[i]!) <= 0) continue;
          const expected = [...keys].sort(byteOrder).join(', ');
          ctx.report({ path: [...path, keys[i]!], messageId: 'unsorted', data: { where: where(path), key: keys[i]!, previous: keys[i - 1]!, expected } });
          break;
        }
      }
      for (const k of keys) walk(v[k], [...path, k]);
    };
    walk(obj.data, []);
  },
});
