/**
 * CRD validation rules see `self` typed from the structural schema, as the API
 * server types it: formats (byte, duration, date, date-time), number vs
 * integer, and pruning of undeclared fields. Each case is a rule that the
 * API server evaluates to the given result; with untyped values most of them
 * would be an error (no `-` on strings) or the wrong answer (size of base64 text).
 */
import { evaluateCrdRules } from '../src/cel/crd-rules';
import { toCelTyped } from '../src/cel/typed';
import type { ManifestObject, Obj } from '../src/model/object';

const schema = (props: Obj, rule: string, extra: Obj = {}): Obj => ({
  type: 'object',
  properties: {
    spec: { type: 'object', properties: props, 'x-kubernetes-validations': [{ rule, message: 'failed' }], ...extra },
  },
});

function run(props: Obj, rule: string, spec: Obj, extra: Obj = {}) {
  const obj = { data: { apiVersion: 'example.com/v1', kind: 'W', metadata: { name: 'w' }, spec } } as unknown as ManifestObject<Obj>;
  return evaluateCrdRules(schema(props, rule, extra), obj, 33).map((f) => `${f.kind}: ${f.message}`);
}

describe('self typed from the CRD schema', () => {
  const times = { start: { type: 'string', format: 'date-time' }, end: { type: 'string', format: 'date-time' } };
  test('date-time strings are timestamps (subtraction gives a duration)', () => {
    expect(run(times, "self.end - self.start >= duration('1h')", { start: '2024-01-01T00:00:00Z', end: '2024-01-01T02:00:00Z' })).toEqual(
      [],
    );
    expect(run(times, "self.end - self.start >= duration('1h')", { start: '2024-01-01T00:00:00Z', end: '2024-01-01T00:30:00Z' })).toEqual([
      'violation: failed',
    ]);
  });
  test('date strings are timestamps at midnight UTC', () => {
    const p = { day: { type: 'string', format: 'date' } };
    expect(run(p, "self.day == timestamp('2024-03-01T00:00:00Z')", { day: '2024-03-01' })).toEqual([]);
    expect(run(p, 'self.day.getMonth() == 1', { day: '2024-03-01' })).toEqual(['violation: failed']);
  });
  test('duration strings are durations, including strfmt units', () => {
    const p = { timeout: { type: 'string', format: 'duration' } };
    expect(run(p, "self.timeout <= duration('30s')", { timeout: '10s' })).toEqual([]);
    expect(run(p, "self.timeout <= duration('30s')", { timeout: '1m' })).toEqual(['violation: failed']);
    expect(run(p, "self.timeout == duration('72h')", { timeout: '3d' })).toEqual([]);
  });
  test('byte strings are bytes (size counts decoded bytes)', () => {
    const p = { data: { type: 'string', format: 'byte' } };
    expect(run(p, 'size(self.data) == 5', { data: 'aGVsbG8=' })).toEqual([]);
    expect(run(p, "self.data == b'hello'", { data: 'aGVsbG8=' })).toEqual([]);
  });
  test('a number field is a double even when whole; an integer field an int', () => {
    const p = { ratio: { type: 'number' }, count: { type: 'integer' } };
    expect(run(p, 'type(self.ratio) == double && type(self.count) == int', { ratio: 1, count: 2 })).toEqual([]);
  });
  test('int-or-string keeps the value as written', () => {
    const p = { port: { 'x-kubernetes-int-or-string': true } };
    expect(run(p, 'type(self.port) == int', { port: 8080 })).toEqual([]);
    expect(run(p, 'type(self.port) == string', { port: 'http' })).toEqual([]);
  });
  test('undeclared fields are pruned before validation; kept under preserve-unknown-fields', () => {
    const p = { known: { type: 'string' } };
    expect(run(p, '!has(self.unknown)', { known: 'a', unknown: 'b' })).toEqual([]);
    expect(run(p, 'has(self.unknown)', { known: 'a', unknown: 'b' }, { 'x-kubernetes-preserve-unknown-fields': true })).toEqual([]);
  });
  test('a string whose format does not parse stays a string', () => {
    const p = { timeout: { type: 'string', format: 'duration' } };
    expect(run(p, 'type(self.timeout) == string', { timeout: 'soon' })).toEqual([]);
  });
  test('the root keeps apiVersion, kind and metadata; escaped names stay readable', () => {
    const t = toCelTyped(
      { type: 'object', properties: { spec: { type: 'object', properties: { 'a-b': { type: 'integer' } } } } },
      {
        apiVersion: 'v1',
        kind: 'K',
        metadata: { name: 'n' },
        spec: { 'a-b': 1 },
        status: {},
      },
      33,
    ) as Obj;
    expect(Object.keys(t)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect((t.spec as Obj).a__dash__b).toBe(1n);
  });
});
