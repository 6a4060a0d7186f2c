/**
 * The span tape (src/parse/tape.ts): what locate() finds for keys the source spells differently,
 * repeated keys, aliases and merge keys, and the nearest-ancestor fallback, on both readers.
 */
import { fastParse } from './fast';
import { locate, parseText, type ParseOutput } from './parse';

const both = (text: string): [string, ParseOutput][] => {
  const out: [string, ParseOutput][] = [['yaml', parseText(text, { fast: false })]];
  const fast = fastParse(text);
  if (fast) out.push(['fast', fast]);
  return out;
};

/** The source text of the value (or the key, when `key`) that `path` leads to in document d. */
function at(p: ParseOutput, path: (string | number)[], key = false, d = 0): string {
  const doc = p.documents[d]!;
  const l = locate(p.spans, doc.value, doc.node, path);
  return key ? p.source.text.slice(l.span.ks, l.span.ke) : p.source.text.slice(l.span.vs, l.span.ve);
}

describe('span tape', () => {
  test.each(both(Array.from({ length: 400 }, (_, i) => `k${i}: v${i}\n`).join('')))(
    'a released tape reads as empty, and releasing it again does nothing (%s)',
    (_, p) => {
      expect(at(p, ['k399'])).toBe('v399');
      expect(p.spans.nodes).toBe(401);
      p.spans.release();
      expect(p.spans.nodes).toBe(0);
      p.spans.release();
      expect(p.spans.nodes).toBe(0);
    },
  );

  test('a tape of more than a quarter of a chunk has a buffer of its own, given back when released', () => {
    const p = parseText(Array.from({ length: 6000 }, (_, i) => `k${i}: v${i}\n`).join(''));
    const buffer = p.spans.data.buffer;
    expect(buffer.byteLength).toBe(p.spans.data.byteLength);
    expect(at(p, ['k5999'])).toBe('v5999');
    p.spans.release();
    expect(buffer.byteLength).toBe(0);
  });

  test.each(both('a: 1\nb:\n  c: [x, {d: e}]\n  f: g\n'))('paths and the nearest-ancestor fallback (%s)', (_, p) => {
    expect(at(p, ['b', 'c', 1, 'd'])).toBe('e');
    expect(at(p, ['b', 'c', 1, 'd'], true)).toBe('d');
    expect(at(p, ['b', 'f'])).toBe('g');
    const doc = p.documents[0]!;
    const miss = locate(p.spans, doc.value, doc.node, ['b', 'c', 5, 'x']);
    expect([miss.depth, miss.exact, p.source.text.slice(miss.span.ks, miss.span.ke)]).toEqual([2, false, 'c']);
    const wrongType = locate(p.spans, doc.value, doc.node, ['b', 'c', 'd']);
    expect([wrongType.depth, wrongType.exact]).toEqual([2, false]);
    expect(locate(p.spans, doc.value, doc.node, []).span).toEqual(doc.rootSpan);
  });

  test.each(both('"q\\tk": 1\n\'s\': 2\non: 3\n1.0: 4\nplain: 5\n'))('keys the source spells differently (%s)', (_, p) => {
    expect(at(p, ['q\tk'])).toBe('1');
    expect(at(p, ['s'])).toBe('2');
    expect(at(p, ['true'])).toBe('3');
    expect(at(p, ['on']).length).toBeGreaterThan(5); // no key "on": the whole document
    expect(at(p, ['1'])).toBe('4');
    expect(at(p, ['plain'])).toBe('5');
  });

  test.each(both('a: 1\nb: 2\na: 3\na: 4\n'))('a repeated key: the last one is found (%s)', (_, p) => {
    expect(at(p, ['a'])).toBe('4');
    const dups = p.documents[0]!.duplicateKeys.map((d) => [
      p.source.text.slice(d.firstSpan.vs, d.firstSpan.ve),
      p.source.text.slice(d.span.vs, d.span.ve),
    ]);
    expect(dups).toEqual([
      ['1', '3'],
      ['3', '4'],
    ]);
  });

  test('aliases and merge keys lead to the anchored text', () => {
    const p = parseText('base: &b {x: 1, w: [7, 8]}\none: *b\ntwo:\n  <<: [*b, {z: 2}]\n  x: 9\n');
    expect(p.documents[0]!.ok).toBe(true);
    expect(at(p, ['one', 'w', 1])).toBe('8');
    expect(at(p, ['one'])).toBe('*b');
    expect(at(p, ['two', 'x'])).toBe('9');
    expect(at(p, ['two', 'w', 0])).toBe('7');
    expect(at(p, ['two', 'z'])).toBe('2');
    expect(at(p, ['two', '<<'], true)).toBe('two');
  });

  test('documents: each has its root node; an unreadable one keeps its span', () => {
    const p = parseText('a: 1\n---\nb: *nope\n---\nc: [2]\n');
    expect(p.documents.map((d) => d.ok)).toEqual([true, false, true]);
    expect(at(p, ['c', 0], false, 2)).toBe('2');
    expect(at(p, ['b'], false, 1)).toBe('b: *nope\n');
    expect(p.spans.roots()).toEqual(p.documents.map((d) => d.node));
  });

  test('the tape is one Int32Array of six numbers per node', () => {
    const p = parseText('a: 1\nb: [x, y]\n');
    expect(p.spans.data).toBeInstanceOf(Int32Array);
    // root, a, b, b[0], b[1]
    expect(p.spans.nodes).toBe(5);
  });
});
