// The CRD fast path (src/schema/crd-fast.ts) against ajv as src/schema/crd.ts compiles it: wherever the fast
// path gives a verdict it must be ajv's, and a schema it accepts must compile.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { type CrdVersion, compiled, fastChecks } from '../src/schema/crd';
import { fastCrdVerdict } from '../src/schema/crd-fast';
import type { ManifestObject, Obj } from '../src/model/object';

type S = Record<string, unknown>;
const version = (schema: S): CrdVersion => ({
  crd: {} as ManifestObject<Obj>,
  group: 'example.com',
  kind: 'Thing',
  version: 'v1',
  served: true,
  schema,
});

/** ajv's verdict and the fast path's; the fast one must be ajv's or -1 (unknown). */
function both(schema: S, data: unknown): { ajv: boolean; fast: 1 | 0 | -1 } {
  const v = version(schema);
  const fast = fastChecks(v);
  const validate = compiled(v);
  if (!fast || !validate) throw new Error(`no fast path or no validator: ${v.compileError}`);
  return { ajv: validate(data), fast: fastCrdVerdict(fast, data) };
}
const obj = (spec: S, extra: S = {}): S => ({ type: 'object', properties: { spec: { ...spec } }, ...extra });

describe('CRD fast path: exact where it answers', () => {
  const cases: [string, S, unknown[], unknown[]][] = [
    // name, spec schema, values ajv accepts, values it rejects
    [
      'string pattern and lengths',
      { type: 'string', pattern: '^[a-z]+$', minLength: 2, maxLength: 3 },
      ['ab', 'abc'],
      ['a', 'abcd', 'A1', 5, null, true],
    ],
    ['code points, not UTF-16 units', { type: 'string', maxLength: 2 }, ['😀😀', 'ab'], ['😀😀a']],
    ['integer bounds', { type: 'integer', minimum: 0, maximum: 10 }, [0, 10, 5], [-1, 11, 1.5, '5']],
    ['exclusive bounds (numbers, draft-07)', { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }, [0.5], [0, 1, 2]],
    ['multipleOf', { type: 'integer', multipleOf: 5 }, [10, 0, -5], [7]],
    [
      'int-or-string',
      { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
      [80, 'http'],
      [true, 1.5, null, {}],
    ],
    ['nullable', { type: 'string', nullable: true }, ['x', null], [1]],
    ['enum', { type: 'string', enum: ['A', 'B'] }, ['A'], ['C', null]],
    ['required', { type: 'object', required: ['a'], properties: { a: { type: 'string' } } }, [{ a: 'x' }], [{}, { a: 1 }, []]],
    // beside properties the API server rejects `false` (the CRD gets that error), so the transform drops it there: an
    // object is closed only by pruning, whose unknown fields are reported apart (src/schema/crd-unknown.ts)
    ['additionalProperties false', { type: 'object', additionalProperties: false }, [{}], [{ b: 1 }, []]],
    [
      'additionalProperties false beside properties',
      { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false },
      [{ a: 'x', b: 1 }],
      [{ a: 1 }],
    ],
    [
      'map',
      { type: 'object', additionalProperties: { type: 'integer' }, minProperties: 1, maxProperties: 2 },
      [{ a: 1 }, { a: 1, b: 2 }],
      [{}, { a: 1, b: 2, c: 3 }, { a: 'x' }],
    ],
    [
      'arrays',
      { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 2, uniqueItems: true },
      [['a'], ['a', 'b']],
      [[], ['a', 'b', 'c'], [1], ['a', 'a']],
    ],
    ['oneOf', { oneOf: [{ required: ['a'] }, { required: ['b'] }] }, [{ a: 1 }, { b: 1 }], [{ a: 1, b: 1 }, {}]],
    [
      'anyOf, allOf, not',
      { allOf: [{ type: 'object' }], anyOf: [{ required: ['a'] }, { required: ['b'] }], not: { required: ['c'] } },
      [{ a: 1 }, { a: 1, b: 2 }],
      [{ c: 1, a: 1 }, {}, 'x'],
    ],
    ['untyped keywords apply by the value type', { minLength: 2, minimum: 3 }, ['ab', 3, {}, null], ['a', 2]],
  ];
  for (const [name, spec, ok, bad] of cases) {
    test(name, () => {
      const schema = obj(spec);
      for (const value of ok)
        expect([JSON.stringify(value), both(schema, { spec: value })]).toEqual([JSON.stringify(value), { ajv: true, fast: 1 }]);
      for (const value of bad) {
        const r = both(schema, { spec: value });
        expect([JSON.stringify(value), r.ajv]).toEqual([JSON.stringify(value), false]);
        expect([JSON.stringify(value), r.fast]).toEqual([JSON.stringify(value), 0]);
      }
    });
  }
  test('values it does not mirror are unknown, never a verdict', () => {
    expect(both(obj({ type: 'number' }), { spec: Number.POSITIVE_INFINITY }).fast).toBe(-1);
    expect(both(obj({ type: 'array', uniqueItems: true }), { spec: [{ a: 1 }, { a: 1 }] })).toEqual({ ajv: false, fast: -1 });
    expect(both(obj({ enum: [{ a: 1 }] }), { spec: { a: 1 } })).toEqual({ ajv: true, fast: -1 });
  });
  test('a property named like one objects inherit (constructor, toString) is read there, as ajv reads it', () => {
    const spec = { type: 'object', properties: { constructor: { type: 'string' }, toString: { type: 'integer' }, a: { type: 'string' } } };
    // ajv sees Object.prototype's functions under those names: it fails, the fast path does not pass
    expect(both(obj(spec), { spec: { a: 'x' } })).toEqual({ ajv: false, fast: -1 });
    expect(both(obj(spec), { spec: { a: 1 } })).toEqual({ ajv: false, fast: 0 });
    const own = Object.assign(Object.create(null) as S, { constructor: 'x', toString: 1, a: 'x' });
    expect(both(obj(spec), { spec: own })).toEqual({ ajv: true, fast: 1 });
    expect(both(obj(spec), { spec: { ...own, toString: 'x' } })).toEqual({ ajv: false, fast: 0 });
  });
  test('a schema with a part it does not mirror, or one ajv cannot compile, has no fast path', () => {
    for (const spec of [
      { type: 'object', patternProperties: { '^a': { type: 'string' } } },
      { type: 'integer', exclusiveMinimum: true, minimum: 0 },
      { type: 'string', pattern: '(' },
      { type: 'strin' },
      { const: 1 },
    ]) {
      expect([spec, fastChecks(version(obj(spec)))]).toEqual([spec, undefined]);
    }
    // ajv rejects the last four at compile time: the CRD stays "not validated", as before
    expect(compiled(version(obj({ type: 'integer', exclusiveMinimum: true, minimum: 0 })))).toBeUndefined();
    expect(compiled(version(obj({ type: 'string', pattern: '(' })))).toBeUndefined();
  });
});

describe('CRD fast path on the bench CRDs, with mutated objects', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-gold-crd-fast-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  test("every verdict is ajv's; valid objects pass without ajv", () => {
    const r = spawnSync(
      process.execPath,
      [path.join(__dirname, '..', 'bench', 'generate.mjs'), 'crds', dir, '--crds', '8', '--per-crd', '6'],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(0);
    const read = (sub: string): S[] =>
      fs
        .readdirSync(path.join(dir, sub))
        .sort()
        .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, sub, f), 'utf8')).map((d) => d.toJS() as S));
    const versions = new Map<string, CrdVersion>();
    for (const crd of read('crds')) {
      const spec = crd.spec as { group: string; names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: S } }[] };
      for (const v of spec.versions)
        versions.set(`${spec.group}/${v.name}/${spec.names.kind}`, { ...version(v.schema.openAPIV3Schema), kind: spec.names.kind });
    }
    let rand = 42;
    const next = (n: number): number => {
      rand = (rand * 1103515245 + 12345) % 2147483648;
      return Math.floor((rand / 2147483648) * n);
    };
    const replacements: unknown[] = ['x', 'Always', 'UPPER_case', 'a'.repeat(300), 70000, -1, 1.5, 3, true, null, {}, [], [{}], { k: 'v' }];
    const counts = { pass: 0, fail: 0, unknown: 0, objects: 0 };
    for (const cr of read('resources')) {
      const v = versions.get(`${String(cr.apiVersion)}/${String(cr.kind)}`)!;
      expect(v).toBeDefined();
      const fast = fastChecks(v)!;
      const validate = compiled(v)!;
      expect(fast).toBeDefined();
      const data = { ...cr };
      delete data.metadata;
      const original = both(v.schema!, data);
      expect(original.fast).toBe(validate(data) ? 1 : 0);
      for (let m = 0; m < 40; m++) {
        // (JSON, not structuredClone: under jest that makes objects of another realm, which the fast path leaves to ajv)
        const copy = JSON.parse(JSON.stringify(data)) as S;
        // walk to a random place and change it
        let at: unknown = copy;
        let key: string | number | undefined;
        let parent: Record<string | number, unknown> | undefined;
        for (let depth = 0; depth < 8 && at && typeof at === 'object'; depth++) {
          const keys = Object.keys(at);
          if (keys.length === 0 || next(4) === 0) break;
          parent = at as Record<string, unknown>;
          key = Array.isArray(at) ? next(at.length) : keys[next(keys.length)]!;
          at = parent[key];
        }
        if (!parent || key === undefined) continue;
        const op = next(6);
        if (op === 0 && !Array.isArray(parent)) delete parent[key];
        else if (op === 1 && !Array.isArray(parent)) parent[`unknown${m}`] = replacements[next(replacements.length)];
        else parent[key] = JSON.parse(JSON.stringify(replacements[next(replacements.length)])) as unknown;
        const verdict = fastCrdVerdict(fast, copy);
        const ajv = validate(copy);
        counts.objects++;
        if (verdict === -1) counts.unknown++;
        else {
          expect([JSON.stringify(copy), verdict]).toEqual([JSON.stringify(copy), ajv ? 1 : 0]);
          counts[ajv ? 'pass' : 'fail']++;
        }
      }
    }
    // the mutations reach both sides, and the fast path answers nearly all of them
    expect(counts.pass).toBeGreaterThan(100);
    expect(counts.fail).toBeGreaterThan(100);
    expect(counts.unknown).toBeLessThan(counts.objects / 20);
  });
});
