import { applyEdits, mergeEdits, YamlEditor, type FixValue } from './edits';
import type { Path } from '../parse/source';

function set(text: string, path: Path, value: FixValue, json = false): string | null {
  const e = new YamlEditor(text, json).set(0, path, value);
  return e ? applyEdits(text, [e]) : null;
}

describe('YamlEditor', () => {
  test('a key added to a block mapping follows its indentation (4 spaces), after a trailing comment', () => {
    expect(set('a:\n    b: 1 # c\nz: 2\n', ['a', 'd'], true)).toBe('a:\n    b: 1 # c\n    d: true\nz: 2\n');
  });
  test("missing mappings are created with the document's indentation step and sequence style", () => {
    expect(set('s:\n    l:\n    - x\n', ['s', 'm', 'k'], ['v'])).toBe('s:\n    l:\n    - x\n    m:\n        k:\n        - v\n');
    // y and n are YAML 1.1 booleans: quoted as keys and values
    expect(set('s: {}\n', ['s', 'y'], 'n')).toBe('s: {"y": "n"}\n');
  });
  test('CRLF stays CRLF', () => {
    expect(set('a:\r\n  b: 1\r\n', ['a', 'c'], 'x')).toBe('a:\r\n  b: 1\r\n  c: x\r\n');
  });
  test('flow mappings: padded, empty, and pretty-printed JSON', () => {
    expect(set('a: { b: 1 }\n', ['a', 'c'], 2)).toBe('a: { b: 1, c: 2 }\n');
    expect(set('a: {}\n', ['a', 'c'], 2)).toBe('a: {c: 2}\n');
    expect(set('a: { }\n', ['a', 'c'], 2)).toBe('a: { c: 2 }\n');
    expect(set('{\n  "a": {\n    "b": 1\n  }\n}\n', ['a', 'c'], { d: 'on' }, true)).toBe(
      '{\n  "a": {\n    "b": 1,\n    "c": {"d": "on"}\n  }\n}\n',
    );
  });
  test('strings are quoted where a YAML 1.1 reader would take them for something else', () => {
    expect(set('a: {}\n', ['a', 'b'], 'no')).toBe('a: {b: "no"}\n');
    expect(set('a: {}\n', ['a', 'b'], '0644')).toBe('a: {b: "0644"}\n');
    expect(set('a: {}\n', ['a', 'b'], 'nginx:1.27')).toBe('a: {b: nginx:1.27}\n');
    expect(set('a: {}\n', ['a', 'b'], 'x: y')).toBe('a: {b: "x: y"}\n');
  });
  test('a replaced string keeps its quotes', () => {
    expect(set("a: 'x'\n", ['a'], 'y')).toBe("a: 'y'\n");
    expect(set('a: "x"\n', ['a'], 'y')).toBe('a: "y"\n');
  });
  test('refuses where an edit would reach elsewhere: aliases, merge keys, anchors, syntax errors', () => {
    expect(set('base: &b {x: 1}\nuse: *b\n', ['use', 'y'], 1)).toBeNull();
    expect(set('base: &b {x: 1}\nuse:\n  <<: *b\n  z: 1\n', ['use', 'y'], 1)).toBeNull();
    expect(set('a: &x 1\n', ['a'], 2)).toBeNull();
    expect(set('a: [1\nb: 2\n', ['b'], 3)).toBeNull();
    expect(set('a: 1\n', ['a', 'b'], 3)).toBeNull();
  });
  test('an empty value is filled after its colon, never duplicated', () => {
    expect(set('a:\n  b:\n  c: 1\n', ['a', 'b'], false)).toBe('a:\n  b: false\n  c: 1\n');
    expect(set('a:\n  b:\n  c: 1\n', ['a', 'b', 'd'], 1)).toBe('a:\n  b:\n    d: 1\n  c: 1\n');
  });
  test('append and removeItem on block and flow sequences', () => {
    const t = 'l:\n  - a\n  - b # two\nm: [x]\n';
    const e = new YamlEditor(t);
    expect(applyEdits(t, [e.append(0, ['l'], 'c')!])).toBe('l:\n  - a\n  - b # two\n  - c\nm: [x]\n');
    expect(applyEdits(t, [e.append(0, ['m'], { k: 'v' })!])).toBe('l:\n  - a\n  - b # two\nm: [x, {k: v}]\n');
    expect(applyEdits(t, [e.removeItem(0, ['l', 1])!])).toBe('l:\n  - a\nm: [x]\n');
    expect(e.removeItem(0, ['m', 0])).toBeNull();
  });
  test('only the edited document is parsed when its region is known, with offsets of the file', () => {
    const t = 'a: 1\n---\nb:\n  c: 2\n';
    const e = new YamlEditor(t);
    e.region(1, t.indexOf('b:'), t.length);
    expect(applyEdits(t, [e.set(1, ['b', 'd'], 3)!])).toBe('a: 1\n---\nb:\n  c: 2\n  d: 3\n');
  });
  test('mergeEdits keeps the text between edits and refuses overlaps', () => {
    const t = 'abcdef';
    expect(
      mergeEdits(t, [
        { range: [4, 5], text: 'E' },
        { range: [1, 2], text: 'B' },
      ]),
    ).toEqual({ range: [1, 5], text: 'BcdE' });
    expect(
      mergeEdits(t, [
        { range: [1, 3], text: 'x' },
        { range: [2, 4], text: 'y' },
      ]),
    ).toBeNull();
  });
});
