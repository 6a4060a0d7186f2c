/** helmSourceEdit: moving a rendered-text edit to the template line that wrote it literally, or refusing to. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SourceText } from '../src/parse/source';
import { helmSourceEdit, resetSourceTexts, sameAtPath } from '../src/render/source-edits';

// a helper's lines, indented by nindent 8 where they are rendered, written at 2 in the template
const TEMPLATE = ['{{- define "x.sc" }}', 'securityContext:', '  runAsNonRoot: true', 'name: {{ .Values.name }}', '{{- end }}', ''].join(
  '\n',
);
const RENDERED = [
  'spec:',
  '  containers:',
  '    - image: x',
  '      securityContext:',
  '        runAsNonRoot: true',
  '      name: web',
  '',
].join('\n');

describe('helmSourceEdit', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-gold-se-'));
  const file = path.join(dir, '_sc.yaml');
  fs.writeFileSync(file, TEMPLATE);
  beforeEach(resetSourceTexts);
  const src = new SourceText(RENDERED);
  // rendered line 4 → template line 2, 5 → 3, 6 → 4
  const own = (l: number): { abs: string; line: number } | undefined => (l >= 4 && l <= 6 ? { abs: file, line: l - 2 } : undefined);
  const at = (line: number, col: number): number =>
    RENDERED.split('\n')
      .slice(0, line - 1)
      .join('\n').length +
    (line > 1 ? 1 : 0) +
    col -
    1;
  const apply = (f: { range: [number, number]; text: string }): string =>
    TEMPLATE.slice(0, f.range[0]) + f.text + TEMPLATE.slice(f.range[1]);

  test('an insertion after a line is re-indented to the template (a negative shift)', () => {
    const end = at(5, 27);
    const r = helmSourceEdit(src, own, { range: [end, end], text: '\n        allowPrivilegeEscalation: false' });
    expect(apply(r!.fix)).toBe(TEMPLATE.replace('  runAsNonRoot: true\n', '  runAsNonRoot: true\n  allowPrivilegeEscalation: false\n'));
  });

  test('an insertion before a line (at its column 0)', () => {
    const start = at(5, 1);
    const r = helmSourceEdit(src, own, { range: [start, start], text: '        allowPrivilegeEscalation: false\n' });
    expect(apply(r!.fix)).toBe(TEMPLATE.replace('  runAsNonRoot: true\n', '  allowPrivilegeEscalation: false\n  runAsNonRoot: true\n'));
  });

  test('a replacement in literal text moves; one in text an action wrote does not', () => {
    const v = at(5, 23);
    expect(apply(helmSourceEdit(src, own, { range: [v, v + 4], text: 'false' })!.fix)).toBe(
      TEMPLATE.replace('runAsNonRoot: true', 'runAsNonRoot: false'),
    );
    const n = at(6, 13);
    expect(helmSourceEdit(src, own, { range: [n, n + 3], text: '"web"' })).toBeUndefined();
  });

  test('no move: a line without its own marker, an edit over two lines, new text with a template action, indentation the template lacks', () => {
    const s = at(3, 7);
    expect(helmSourceEdit(src, own, { range: [s, s + 5], text: 'y' })).toBeUndefined();
    expect(helmSourceEdit(src, own, { range: [at(4, 7), at(5, 9)], text: 'x' })).toBeUndefined();
    const end = at(5, 27);
    expect(helmSourceEdit(src, own, { range: [end, end], text: '\n        a: {{ .Values.a }}' })).toBeUndefined();
    expect(helmSourceEdit(src, own, { range: [end, end], text: '\n  a: 1' })).toBeUndefined();
  });
});

test('sameAtPath compares the field, or for a missing field its deepest existing parent', () => {
  const a = { spec: { sc: { x: 1 } } };
  expect(sameAtPath(a, { spec: { sc: { x: 1 } } }, ['spec', 'sc', 'y'])).toBe(true);
  expect(sameAtPath(a, { spec: { sc: { x: 1, z: 2 } } }, ['spec', 'sc', 'y'])).toBe(false);
  expect(sameAtPath(a, { spec: { sc: { x: 1, y: 2 } } }, ['spec', 'sc', 'y'])).toBe(false);
  expect(sameAtPath(a, { spec: { sc: { x: 2 } }, other: 1 }, ['spec', 'sc', 'x'])).toBe(false);
  expect(sameAtPath({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }], c: 3 }, ['a', 1, 'b'])).toBe(true);
});
