import fc from 'fast-check';
import { loadSource } from './load';
import { locateFindings } from './locate';
import { locate } from '../parse/parse';
import type { PathSeg } from '../parse/source';

describe('locate stage', () => {
  const l = loadSource(
    'x.yaml',
    '/tmp/x.yaml',
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx\n',
    'default',
  );
  const obj = l.objects[0]!;

  test('paths become ranges; a missing path falls back to its nearest ancestor; known ranges stay', () => {
    const known = { line: 9, column: 9, endLine: 9, endColumn: 10 };
    const out = locateFindings([
      { ruleId: 'r', message: 'image', obj, objPath: ['spec', 'containers', 0, 'image'] },
      { ruleId: 'r', message: 'value', obj, objPath: ['spec', 'containers', 0, 'image'], valueOnly: true },
      { ruleId: 'r', message: 'missing', obj, objPath: ['spec', 'containers', 0, 'resources', 'limits'] },
      { ruleId: 'r', message: 'item', obj, objPath: ['spec', 'containers', 0] },
      { ruleId: 'yaml-syntax', message: 'known', range: known },
    ]);
    expect(out.map((f) => [f.range, f.exact])).toEqual([
      [{ line: 8, column: 7, endLine: 8, endColumn: 19 }, true],
      [{ line: 8, column: 14, endLine: 8, endColumn: 19 }, true],
      [{ line: 7, column: 7, endLine: 7, endColumn: 14 }, false],
      [{ line: 7, column: 7, endLine: 7, endColumn: 14 }, true],
      [known, undefined],
    ]);
  });

  test('a finding with neither a range nor an object is an engine bug, not a silent position', () => {
    expect(() => locateFindings([{ ruleId: 'r', message: 'm' }])).toThrow(/neither a range nor an object/);
  });

  test('an object resumes each walk after the prefix it shares with the last one: the same as walking from its root', () => {
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: apps/v1',
      '    kind: Deployment',
      '    metadata: {name: d, labels: {a: "1", "0": x}}',
      '    spec:',
      '      template:',
      '        spec:',
      '          containers:',
      '            - name: a',
      '              image: nginx',
      '              ports: [{containerPort: 80}, {containerPort: 81}]',
      '            - name: b',
      '              securityContext: {runAsUser: 0}',
      '          volumes: []',
      '',
    ].join('\n');
    const objs = loadSource('l.yaml', '/tmp/l.yaml', text, 'default').objects;
    const dep = objs.find((o) => o.kind === 'Deployment')!;
    expect(dep.basePath).toEqual(['items', 0]);
    const seg = fc.constantFrom<PathSeg>(
      'spec',
      'template',
      'containers',
      0,
      1,
      2,
      '0',
      'name',
      'image',
      'ports',
      'containerPort',
      'securityContext',
      'runAsUser',
      'metadata',
      'labels',
      'a',
      'volumes',
      'missing',
    );
    const c0: PathSeg[] = ['spec', 'template', 'spec', 'containers', 0, 'name'];
    const c0s: PathSeg[] = ['spec', 'template', 'spec', 'containers', '0', 'name'];
    fc.assert(
      fc.property(fc.array(fc.array(seg, { maxLength: 8 }), { minLength: 1, maxLength: 12 }), (paths) => {
        // an index and the same digits as a key are different segments
        paths.push(c0, c0s, c0, ['metadata', 'labels', 0], ['metadata', 'labels', '0']);
        for (const p of paths) {
          const fromRoot = locate(dep.file.parse.spans, dep.doc.value, dep.doc.node, [...dep.basePath, ...p]);
          const got = dep.locate(p);
          expect(got.depth).toBe(fromRoot.depth - dep.basePath.length);
          expect([got.span, got.exact, got.node, got.value]).toEqual([fromRoot.span, fromRoot.exact, fromRoot.node, fromRoot.value]);
          expect(got.value).toBe(fromRoot.value);
        }
      }),
    );
  });
});
