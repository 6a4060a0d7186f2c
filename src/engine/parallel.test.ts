import * as v8 from 'node:v8';
import { parseText } from '../parse/parse';
import { decodeSpans, encodeSpans } from './parallel';

/** Every span reachable from the documents, as [path, span] pairs in a stable order. */
function allSpans(p: ReturnType<typeof parseText>, docs = p.documents): string[] {
  const out: string[] = [];
  const seen = new Set<object>();
  const visit = (v: unknown, at: string): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    const t = p.spans.get(v);
    if (t instanceof Map) for (const [k, s] of t) out.push(`${at}/${k} ${JSON.stringify(s)}`);
    else if (t) t.forEach((s, i) => out.push(`${at}[${i}] ${JSON.stringify(s)}`));
    else out.push(`${at} none`);
    if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${at}[${i}]`));
    else for (const k of Object.keys(v)) visit((v as Record<string, unknown>)[k], `${at}/${k}`);
  };
  docs.forEach((d, i) => visit(d.value, `#${i}`));
  return out;
}

describe('spans across threads', () => {
  const texts = [
    'a: 1\nb: [x, {c: d}]\n',
    'base: &b {x: 1, y: [1, 2]}\none: *b\ntwo:\n  <<: *b\n  z: 3\n  x: 9\n',
    '2: a\n1: b\nk: c\n10: d\n',
    'a: 1\na: 2\nb: 3\n',
    '__proto__: {p: 1}\nconstructor: 2\n',
    'x\n---\n- [a, b]\n- {c: d}\n---\n',
    'l: &l [1, 2]\nm: [*l, *l]\n',
  ];
  test.each(texts)('round trip through structured clone: %j', (text) => {
    const p = parseText(text);
    const { keys, nums } = encodeSpans(p);
    const cloned = v8.deserialize(v8.serialize({ documents: p.documents, keys, nums })) as { documents: typeof p.documents; keys: string[]; nums: Float64Array };
    const spans = decodeSpans(cloned.documents, cloned.keys, cloned.nums);
    expect(allSpans({ ...p, documents: cloned.documents, spans })).toEqual(allSpans(p));
    expect(allSpans(p).length).toBeGreaterThan(0);
  });
});
