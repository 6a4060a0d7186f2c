/**
 * A CRD rule that reads `self` only as `self.field` sees `self` typed only in those fields
 * (src/cel/self-fields.ts, toCelTypedFields): what it reads, and so its result, value or error, must be
 * exactly what it gets from the whole typed value. Checked differentially over rules × values × schemas.
 */
import { celToString, compileCel } from '../src/cel/env';
import { selfFields } from '../src/cel/self-fields';
import { toCelTypedAt, toCelTypedFields } from '../src/cel/typed';
import type { Obj } from '../src/model/object';

describe('the fields of self a rule reads', () => {
  test.each([
    ['self.replicas <= self.maxReplicas', ['replicas', 'maxReplicas']],
    ["!has(self.mode) || self.mode != 'Unsafe' || self.replicas == 1", ['mode', 'replicas']],
    ["self.a == 'self.b' && self .c.d > 0", ['a', 'c']],
    ['oldSelf.a == self.a', ['a']],
    ['self.items.exists(i, i > 1)', ['items']],
    ['1 == 1', []],
  ])('%s reads %j', (rule, fields) => {
    expect(selfFields(rule)).toEqual(fields);
  });

  test.each([
    'self == 1',
    'size(self) > 0',
    'self.all(k, k != "")',
    'self.size() > 0',
    'self[0] > 1',
    "self['a'] > 1",
    'self.?a.orValue(1) > 0',
    'self.a__dash__b > 1',
    'x.self.a > 1',
    "'a' in self",
    'self.a > 1 // self',
    "self.a == 'it\\'s'",
    "self.a == '''x'''",
    "self.a == 'unterminated",
    'self',
  ])('%s may read more: the whole value', (rule) => {
    expect(selfFields(rule)).toBeUndefined();
  });
});

const schemas: Obj[] = [
  {
    type: 'object',
    properties: {
      replicas: { type: 'integer' },
      maxReplicas: { type: 'integer' },
      mode: { type: 'string' },
      start: { type: 'string', format: 'date-time' },
      timeout: { type: 'string', format: 'duration' },
      data: { type: 'string', format: 'byte' },
      ratio: { type: 'number' },
      port: { 'x-kubernetes-int-or-string': true },
      items: { type: 'array', items: { type: 'integer' } },
      nested: { type: 'object', properties: { a: { type: 'string' } } },
      open: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      namespace: { type: 'string' },
    },
  },
  { type: 'object', additionalProperties: { type: 'integer' } },
  { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { replicas: { type: 'integer' } } },
  { type: 'object' },
];

const values: unknown[] = [
  {},
  { replicas: 2, maxReplicas: 5, mode: 'Safe' },
  { replicas: 9, maxReplicas: 5, mode: 'Unsafe', undeclared: 1 },
  { replicas: '2', maxReplicas: 5.5, mode: 3 },
  { replicas: null, mode: null },
  { start: '2024-01-01T00:00:00Z', timeout: '1h', data: 'aGVsbG8=', ratio: 2, port: 'http', items: [1, 2] },
  { start: 'not a time', timeout: '3d', data: '???', ratio: 1.5, port: 80, items: [] },
  { nested: { a: 'x', b: 'pruned' }, open: { x: { y: 1 } }, labels: { 'a-b': 'c', app: 'w' }, namespace: 'ns' },
  { 'a-b': 1, namespace: 2, replicas: 1 },
  [1, 2],
  'text',
  7,
];

const rules = [
  'self.replicas <= self.maxReplicas',
  "!has(self.mode) || self.mode != 'Unsafe' || self.replicas == 1",
  "self.start < timestamp('2025-01-01T00:00:00Z')",
  "self.timeout > duration('1m')",
  'size(self.data) == 5',
  'self.ratio > 1.0',
  "self.port == 'http' || self.port == 80",
  'self.items.all(i, i > 0)',
  "self.nested.a == 'x' && !has(self.nested.b)",
  'has(self.open.x) && self.open.x.y == 1',
  "self.labels.app == 'w'",
  "self.namespace == 'ns'",
  'self.undeclared == 1',
  'self.replicas',
];

describe('self typed in the fields a rule reads', () => {
  test('gives every rule the result, value or error, it gets from the whole typed value', () => {
    let compared = 0;
    for (const schema of schemas)
      for (const value of values)
        for (const root of [false, true])
          for (const rule of rules) {
            const fields = selfFields(rule);
            expect(fields).toBeDefined();
            const c = compileCel(rule, 33, ['self', 'oldSelf']);
            if (!c.ok) continue;
            const show = (r: ReturnType<typeof c.program.evaluate>) => (r.ok ? `value ${celToString(r.value)}` : `error ${r.error}`);
            const whole = show(c.program.evaluate({ self: toCelTypedAt(schema, value, 33, root) }));
            const part = show(c.program.evaluate({ self: toCelTypedFields(schema, value, 33, root, fields!) }));
            expect([rule, value, part]).toEqual([rule, value, whole]);
            compared++;
          }
    expect(compared).toBeGreaterThan(500);
  });
});
