import { loadSource } from './load';
import { locateFindings } from './locate';

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
});
