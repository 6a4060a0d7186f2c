/**
 * The schema fast path (src/schema/fast.ts) must never pass what ajv rejects:
 * whenever it says "passes", the kubernetes-models validator accepts the
 * object and the unknown-field check finds nothing. Run differentially over
 * every rule fixture, examples/, the real-world corpus, the synthetic bench
 * corpus and a fuzzer that mutates valid objects; and the table must be the
 * one scripts/gen-schema-fast.mjs makes from the installed validators.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Module from 'node:module';
import fc from 'fast-check';
import { parseText } from '../src/parse/parse';
import { schemaOf, unknownFields, validatorFor } from '../src/schema/builtin';
import { BASE64_RE, QUANTITY_RE, fastPasses } from '../src/schema/fast';
import { isApiBase64 } from '../src/schema/base64';
import { ROOT, tmpdir } from './helpers';

const OBJECT_META = 'IoK8sApimachineryPkgApisMetaV1ObjectMeta';

interface Tally {
  objects: number;
  fast: number;
  violations: string[];
}

/** Checks one object both ways; records a violation when the fast path passes what ajv or the unknown-field check rejects. */
function differential(data: unknown, schema: string, where: string, t: Tally, skipStatus = true): boolean {
  t.objects++;
  if (!fastPasses(data, schema, skipStatus)) return false;
  t.fast++;
  const validate = validatorFor(schema)!;
  const ok = validate(data);
  const unknown = unknownFields(data, schema, [], skipStatus ? ['status'] : []);
  if (!ok || unknown.length > 0) {
    t.violations.push(
      `${where}: fast path passed ${schema} but ${!ok ? `ajv rejects it: ${JSON.stringify(validate.errors?.slice(0, 3))}` : `unknown fields: ${unknown.map((u) => u.path.join('.')).join(', ')}`}; data ${JSON.stringify(data).slice(0, 400)}`,
    );
  }
  return true;
}

/** a deep copy made in this realm (jest's structuredClone makes objects of another realm, whose prototypes differ) */
function clone<T>(v: T): T {
  if (v === null || typeof v !== 'object' || v instanceof Date) return v;
  if (Array.isArray(v)) return v.map(clone) as T;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v))
    Object.defineProperty(out, k, {
      value: clone((v as Record<string, unknown>)[k]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out as T;
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') yamlFiles(p, out);
    } else if (/\.(ya?ml)$/.test(e.name)) out.push(p);
  }
  return out;
}

interface Found {
  data: Record<string, unknown>;
  schema: string;
  where: string;
}

/** The built-in objects of the YAML files under `dirs`, as the linter reads them. */
function builtins(files: string[]): Found[] {
  const out: Found[] = [];
  for (const file of files) {
    let parsed: ReturnType<typeof parseText>;
    try {
      parsed = parseText(fs.readFileSync(file, 'utf8'));
    } catch {
      continue;
    }
    for (const doc of parsed.documents) {
      const v = doc.value as Record<string, unknown> | null;
      if (!doc.ok || v === null || typeof v !== 'object' || Array.isArray(v)) continue;
      if (typeof v.apiVersion !== 'string' || typeof v.kind !== 'string') continue;
      const schema = schemaOf(v.apiVersion, v.kind);
      if (schema) out.push({ data: v, schema, where: `${path.relative(ROOT, file)}#${doc.index}` });
    }
  }
  return out;
}

function runAll(found: Found[]): Tally {
  const t: Tally = { objects: 0, fast: 0, violations: [] };
  for (const f of found) {
    differential(f.data, f.schema, f.where, t);
    if (f.data.metadata !== null && typeof f.data.metadata === 'object' && !Array.isArray(f.data.metadata))
      differential(f.data.metadata, OBJECT_META, `${f.where} metadata`, t, false);
  }
  return t;
}

function sharedDir(): string | undefined {
  const candidates = [process.env.K8S_GOLD_SHARED, path.resolve(ROOT, '../shared'), path.resolve(ROOT, '../../shared')];
  return candidates.find((c): c is string => c !== undefined && fs.existsSync(c));
}
const shared = sharedDir();
const realworld = shared && fs.existsSync(path.join(shared, 'corpus', 'realworld')) ? path.join(shared, 'corpus', 'realworld') : undefined;
const generator =
  shared && fs.existsSync(path.join(shared, 'bench', 'gen-corpus.mjs')) ? path.join(shared, 'bench', 'gen-corpus.mjs') : undefined;

const fixtures = builtins(yamlFiles(path.join(ROOT, 'rules')));
const examples = builtins(yamlFiles(path.join(ROOT, 'examples')));

/**
 * @kubernetes-models/validate's own `byte` and `quantity` checks, read from its dist/formats.js (the engine's lazy copy
 * of the package reads base64 as the API server does, and under jest that copy may be what a require returns).
 */
function packageFormats(): { byte: { validate: (s: string) => boolean }; quantity: { validate: RegExp } } {
  const req = Module.createRequire(require.resolve('kubernetes-models/package.json'));
  const file = Module.createRequire(req.resolve('@kubernetes-models/validate')).resolve('./formats.js');
  const text = fs.readFileSync(file, 'utf8');
  const b64 = /const rBase64 = \/(.+)\/;\n/.exec(text);
  expect(b64).not.toBeNull();
  expect(text).toContain('validate: (value) => rBase64.test(value)');
  const re = new RegExp(b64![1]!);
  const real = (Module.createRequire(file)('./formats.js') as { formats: { quantity: { validate: RegExp } } }).formats;
  return { byte: { validate: (s) => re.test(s) }, quantity: real.quantity };
}

describe('schema fast path', () => {
  test('the table is the one scripts/gen-schema-fast.mjs makes from the installed validators', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'gen-schema-fast.mjs'), '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test('never passes what ajv rejects: rule fixtures', () => {
    const t = runAll(fixtures);
    expect(t.violations).toEqual([]);
    expect(t.objects).toBeGreaterThan(500);
    // not vacuous: many fixture objects pass fast, and many (the invalid ones) do not
    expect(t.fast).toBeGreaterThan(t.objects * 0.3);
    expect(t.fast).toBeLessThan(t.objects);
  });

  test('never passes what ajv rejects: examples/', () => {
    const t = runAll(examples);
    expect(t.violations).toEqual([]);
    expect(t.fast).toBeGreaterThan(0);
  });

  (realworld ? test : test.skip)(
    `never passes what ajv rejects: real-world corpus${realworld ? '' : ' (skipped: no ../shared/corpus/realworld; set K8S_GOLD_SHARED to the shared folder)'}`,
    () => {
      const found = builtins(yamlFiles(realworld!));
      const t = runAll(found);
      expect(t.violations).toEqual([]);
      expect(t.objects).toBeGreaterThan(100);
      expect(t.fast).toBeGreaterThan(0);
    },
  );

  (generator ? test : test.skip)(
    `never passes what ajv rejects: synthetic bench corpus${generator ? '' : ' (skipped: no ../shared/bench/gen-corpus.mjs; set K8S_GOLD_SHARED to the shared folder)'}`,
    () => {
      const out = path.join(tmpdir(), 'corpus');
      const r = spawnSync(process.execPath, [generator!, '--out', out, '--resources', '600'], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      const t = runAll(builtins(yamlFiles(out)));
      expect(t.violations).toEqual([]);
      expect(t.objects).toBeGreaterThan(600);
      // the generated objects are mostly schema-valid: the fast path must take most of them
      expect(t.fast).toBeGreaterThan(t.objects * 0.5);
    },
  );

  test('never passes what ajv rejects: mutated objects (fuzzer)', () => {
    const seeds = [...fixtures, ...examples].filter((f) => fastPasses(f.data, f.schema));
    expect(seeds.length).toBeGreaterThan(100);
    // values found in the seeds, so mutants often stay well-typed and reach deep into the table
    const pool: unknown[] = [];
    const collect = (v: unknown, depth: number): void => {
      if (pool.length > 3000 || depth > 8) return;
      if (v !== null && typeof v === 'object') {
        pool.push(v);
        for (const x of Object.values(v)) collect(x, depth + 1);
      } else pool.push(v);
    };
    for (const s of seeds.slice(0, 200)) collect(s.data, 0);
    const special: unknown[] = [
      null,
      true,
      false,
      0,
      -1,
      1.5,
      2 ** 31,
      -(2 ** 31) - 1,
      2 ** 31 - 1,
      Number.MAX_SAFE_INTEGER,
      1e300,
      Number.POSITIVE_INFINITY,
      Number.NaN,
      '',
      'x',
      '80',
      '8080',
      'http',
      '1Gi',
      '100m',
      '1.5',
      '+1e3',
      '1 Gi',
      'Mi',
      'SGVsbG8=',
      'SGVsbG8',
      '2024-01-01T00:00:00Z',
      'TCP',
      'tcp',
      'Always',
      'IfNotPresent',
      [],
      [null],
      [1],
      ['a'],
      [[]],
      [['a']],
      [{}],
      {},
      { a: 1 },
      { a: null },
      { a: 'b' },
      { name: 'x' },
      [{ name: 'x' }],
      new Date(0),
    ];
    const t: Tally = { objects: 0, fast: 0, violations: [] };
    let rejected = 0;
    /** the containers along the object (paths to every object and array) */
    const containers = (root: unknown): (Record<string, unknown> | unknown[])[] => {
      const out: (Record<string, unknown> | unknown[])[] = [];
      const go = (v: unknown): void => {
        if (v === null || typeof v !== 'object') return;
        out.push(v as Record<string, unknown>);
        for (const x of Object.values(v)) go(x);
      };
      go(root);
      return out;
    };
    const mutation = fc.record({
      seed: fc.nat(),
      at: fc.nat(),
      op: fc.constantFrom('set', 'set', 'add', 'delete', 'wrap', 'swap'),
      value: fc.oneof(
        fc.constantFrom(...special),
        fc.nat().map((i) => pool[i % pool.length]),
        fc.string({ maxLength: 6 }),
        fc.integer(),
        fc.double(),
      ),
      key: fc.oneof(
        fc.constantFrom(
          'name',
          'port',
          'image',
          'type',
          'protocol',
          'limits',
          'value',
          'items',
          'spec',
          'status',
          'unknownField',
          'targetPort',
          'replicas',
          '__proto__',
        ),
        fc.string({ maxLength: 5 }),
      ),
      count: fc.integer({ min: 1, max: 4 }),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (muts) => {
        const s = seeds[muts[0]!.seed % seeds.length]!;
        const data = clone(s.data);
        for (const m of muts) {
          const cs = containers(data);
          const c = cs[m.at % cs.length]!;
          const v = clone(m.value);
          if (Array.isArray(c)) {
            const i = c.length === 0 ? 0 : m.at % c.length;
            if (m.op === 'delete') c.splice(i, 1);
            else if (m.op === 'add') c.push(v);
            else if (m.op === 'wrap') c[i] = [c[i]];
            else c[i] = v;
          } else {
            const keys = Object.keys(c);
            const k = m.op === 'add' || keys.length === 0 ? m.key : keys[m.at % keys.length]!;
            if (m.op === 'delete') delete c[k];
            else if (m.op === 'wrap') c[k] = [c[k]];
            else if (m.op === 'swap' && keys.length > 1) {
              const other = keys[(m.at + 1) % keys.length]!;
              [c[k], c[other]] = [c[other], c[k]];
            } else Object.defineProperty(c, k, { value: v, enumerable: true, writable: true, configurable: true });
          }
        }
        const fast = differential(data, s.schema, `mutant of ${s.where}`, t);
        if (!fast) rejected++;
        return t.violations.length === 0;
      }),
      { numRuns: 4000, seed: 1517 },
    );
    expect(t.violations).toEqual([]);
    // the mutants are both: some still pass fast (and ajv agrees), many go to ajv
    expect(t.fast).toBeGreaterThan(200);
    expect(rejected).toBeGreaterThan(1000);
  });

  test('schema-guided fuzzer: random values for every property of every type reached by the seeds', () => {
    // every property of each seed's objects set to each special value in turn: the table's descriptors at their edges
    const values: unknown[] = [
      null,
      true,
      0,
      -1,
      1.5,
      2 ** 31,
      2 ** 31 - 1,
      -(2 ** 31),
      1e300,
      '',
      'x',
      '1Gi',
      '1.5',
      'SGVsbG8=',
      'TCP',
      [],
      [null],
      ['x'],
      [1],
      {},
      { x: 1 },
      { name: 'a' },
    ];
    const t: Tally = { objects: 0, fast: 0, violations: [] };
    const seeds = [...fixtures, ...examples].filter((f) => fastPasses(f.data, f.schema)).slice(0, 150);
    for (const s of seeds) {
      const walk = (v: unknown, set: (x: unknown) => void): void => {
        if (v === null || typeof v !== 'object') return;
        if (Array.isArray(v)) {
          v.forEach((x, i) => walk(x, (y) => (v[i] = y)));
          return;
        }
        const o = v as Record<string, unknown>;
        for (const k of Object.keys(o)) {
          const keep = o[k];
          for (const x of values) {
            o[k] = clone(x);
            differential(s.data, s.schema, `${s.where} ${k}=${JSON.stringify(x)}`, t);
          }
          o[k] = keep;
          walk(keep, (y) => (o[k] = y));
        }
        void set;
      };
      walk(s.data, () => undefined);
    }
    expect(t.violations).toEqual([]);
    expect(t.objects).toBeGreaterThan(10000);
    expect(t.fast).toBeGreaterThan(1000);
  });

  test("the byte and quantity formats are @kubernetes-models/validate's own", () => {
    const formats = packageFormats();
    expect(QUANTITY_RE.source).toBe(formats.quantity.validate.source);
    expect(QUANTITY_RE.flags).toBe(formats.quantity.validate.flags);
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'AZaz09+/=-_ \n.'.split('')), maxLength: 13 }),
        (s) => BASE64_RE.test(s) === formats.byte.validate(s),
      ),
      { numRuns: 20000, seed: 7 },
    );
    for (const s of ['', 'QQ==', 'QUI=', 'QUJD', 'Q', 'QQ=', 'QQ==\n', 'SGVsbG8gd29ybGQ='])
      expect(BASE64_RE.test(s)).toBe(formats.byte.validate(s));
  });

  test("base64 as the API server reads it: the package's check, with line breaks skipped (Go base64.StdEncoding)", () => {
    const validate = packageFormats().byte.validate;
    // without line breaks, exactly the package's verdict
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'AZaz09+/=-_ .'.split('')), maxLength: 13 }), (s) => isApiBase64(s) === validate(s)),
      { numRuns: 20000, seed: 11 },
    );
    // wrapped at any column (kustomize writes binaryData wrapped at 76), CRLF too
    const b64 = Buffer.from('a tar.gz stand-in with enough bytes to wrap over several lines of base64').toString('base64');
    for (const width of [4, 19, 76]) {
      const wrapped = b64.match(new RegExp(`.{1,${width}}`, 'g'))!.join('\n');
      expect(validate(wrapped)).toBe(false);
      expect(isApiBase64(wrapped)).toBe(true);
      expect(isApiBase64(`${wrapped}\n`)).toBe(true);
      expect(isApiBase64(wrapped.replace(/\n/g, '\r\n'))).toBe(true);
    }
    for (const bad of ['QQ=\n', 'QQ==\nQQ', 'Q Q==', 'not base64\n', 'QQ==\t']) expect(isApiBase64(bad)).toBe(false);
  });
});
