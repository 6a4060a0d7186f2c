import { isSopsEncrypted } from '../../src/model/sops.js';
import { defineRule } from '../../src/engine/rule.js';
import type { PathSeg } from '../../src/parse/source.js';

const INTEGER_LIKE = /^(0|[1-9]\d*)$/;
/** Byte order, as kube-linter sorts (Go's sort.Strings). */
const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function where(path: PathSeg[]): string {
  let out = '';
  for (const s of path) out += typeof s === 'number' ? `[${s}]` : out ? `.${s}` : s;
  return out || 'the top level';
}

interface WalkState {
  /** the path of the mapping being walked */
  path: PathSeg[];
  /** unsorted mappings seen */
  unsorted: number;
  /** the first of them: its path, keys and the first key out of place */
  first: { path: PathSeg[]; keys: string[]; at: number } | undefined;
}

/**
 * Every mapping under `v` (in document order), with one plain recursive function and `for…in` over each
 * mapping's keys: no closure per object, and no array of keys per mapping except the first unsorted one.
 */
function walk(v: object, st: WalkState): void {
  const path = st.path;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const item: unknown = v[i];
      if (item === null || typeof item !== 'object') continue;
      path.push(i);
      walk(item, st);
      path.pop();
    }
    return;
  }
  const m = v as Record<string, unknown>;
  let prev: string | undefined;
  let integerLike = false;
  let outOfOrder = -1;
  let i = 0;
  for (const k in m) {
    const c0 = k.charCodeAt(0);
    if (c0 >= 48 && c0 <= 57 && INTEGER_LIKE.test(k)) integerLike = true;
    if (outOfOrder < 0 && prev !== undefined && prev > k) outOfOrder = i;
    prev = k;
    i++;
  }
  if (outOfOrder > 0 && !integerLike) {
    st.unsorted++;
    if (!st.first) st.first = { path: [...path], keys: Object.keys(m), at: outOfOrder };
  }
  for (const k in m) {
    const child = m[k];
    if (child === null || typeof child !== 'object') continue;
    path.push(k);
    walk(child, st);
    path.pop();
  }
}

export default defineRule({
  meta: {
    id: 'sorted-keys',
    severity: 'info',
    category: 'style',
    description: 'The keys of every mapping are in alphabetical order (a team convention; off by default).',
    rationale:
      'Some teams keep manifest keys sorted so that diffs between similar objects line up and a reviewer finds a field at once. Key order means nothing to the API server, so this is purely a style convention and the rule is off by default.\n\n' +
      'Decisions: keys are compared by their bytes (uppercase before lowercase), as kube-linter does; every mapping is checked, nested ones and those in lists included, with one finding per object, at the first key out of place in its first unsorted mapping, counting the other unsorted mappings (sorting a whole object is one edit, and a finding per mapping would bury the findings of every other rule); mappings with integer-like keys are skipped (their order is not kept by the parser).',
    remediation:
      "Sort the keys of the mapping, e.g. with `yq -i -P 'sort_keys(..)' file.yaml` (which also sorts the ones a team may prefer in the conventional order, so run it on whole files only if that is the rule).",
    tags: ['style'],
    appliesTo: ['Any'],
    presets: [],
    equivalents: { 'kube-linter': ['sorted-keys'] },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    messages: {
      unsorted: 'keys at {{where}} are not in alphabetical order: {{key}} comes after {{previous}}; sort them ({{expected}}).',
      unsortedMore:
        'keys at {{where}} are not in alphabetical order: {{key}} comes after {{previous}}; sort them ({{expected}}), and the keys of {{others}} of this object.',
    },
    precision: 'very-high',
  },
  check(obj, ctx) {
    const st: WalkState = { path: [], unsorted: 0, first: undefined };
    // SOPS writes its `sops` block last, and decryption removes it: the object is checked without it
    if (obj.data !== null && typeof obj.data === 'object')
      walk(isSopsEncrypted(obj.data) ? Object.fromEntries(Object.entries(obj.data).filter(([k]) => k !== 'sops')) : obj.data, st);
    const first = st.first;
    if (!first) return;
    const unsorted = st.unsorted;
    const { keys, at } = first;
    const others = unsorted - 1;
    ctx.report({
      path: [...first.path, keys[at]!],
      messageId: others ? 'unsortedMore' : 'unsorted',
      data: {
        where: where(first.path),
        key: keys[at]!,
        previous: keys[at - 1]!,
        expected: [...keys].sort(byteOrder).join(', '),
        others: `${others} other mapping${others === 1 ? '' : 's'}`,
      },
    });
  },
});
