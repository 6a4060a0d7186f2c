/**
 * The validators ajv generated at build time (scripts/gen-validators.mjs, dist/validators/) stand in for the
 * ones ajv compiled at run time: for the current schemas the build step's output is found, and every function
 * answers, errors included, exactly as `new Ajv(AJV_OPTIONS[group]).compile(schema)` does, over valid data and
 * over every property of each schema set to values of every JSON type (and a pattern that does not compile).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { AJV_OPTIONS, precompiled, regexFormat, type ValidatorGroup } from '../src/config/precompiled';
import { BUILTIN_RULES } from '../src/engine/registry';
import { optionsSchemaOf } from '../src/engine/rule';
import { ROOT, writeTree, cli } from './helpers';

type AnyValidate = ((d: unknown) => boolean) & { errors?: unknown[] | null };

const VALUES: unknown[] = [null, true, 0, -1, 1.5, 70000, '', 'x', 'error', '(', 'a/b', [], [1], ['('], ['error', {}], {}, { a: 1 }];

function runtimeValidator(group: ValidatorGroup, schema: object): AnyValidate {
  const ajv = new Ajv({ ...AJV_OPTIONS[group] });
  if (group === 'options') ajv.addFormat('regex', regexFormat);
  return ajv.compile(schema) as AnyValidate;
}

/** `base` and, for each property the schema names (and one it does not), `base` with that property set to each of VALUES. */
function variants(schema: Record<string, unknown>, base: Record<string, unknown>): unknown[] {
  const props = Object.keys((schema.properties as Record<string, unknown> | undefined) ?? {});
  const out: unknown[] = [base, 'not an object', [base]];
  for (const p of [...props, 'notAProperty']) for (const v of VALUES) out.push({ ...base, [p]: v });
  return out;
}

function compare(group: ValidatorGroup, schema: object, data: unknown[]): void {
  const pre = precompiled<unknown>(group, schema) as AnyValidate | undefined;
  expect(pre).toBeDefined();
  const run = runtimeValidator(group, schema);
  for (const d of data) {
    const a = pre!(d);
    const b = run(d);
    expect([d, a, pre!.errors ?? null]).toEqual([d, b, run.errors ?? null]);
  }
}

const readSchema = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', name), 'utf8')) as Record<string, unknown>;

describe('validators generated at build time', () => {
  test('config: the same answers and errors as ajv compiling schemas/config.schema.json', () => {
    const schema = readSchema('config.schema.json');
    const rules = [
      { 'image-tag': 'loud' },
      { 'image-tag': ['warning', 5] },
      { 'image-tag': ['loud', {}] },
      { 'image-tag': { severity: 'warning', options: [] } },
      { 'image-tag': { severity: 'loud' } },
      { 'Not_A_Rule!': 'error' },
      { 'image-tag': 5 },
    ];
    const data = [
      ...variants(schema, {}),
      ...variants(schema, { extends: 'recommended', rules: { 'image-tag': 'warning' } }),
      ...rules.map((r) => ({ rules: r })),
      ...rules.map((r) => ({ overrides: [{ files: ['a/**'], rules: r }] })),
      { overrides: [{ rules: {} }, { files: 'a' }, 5, { files: [], excludedFiles: [1], unknown: 1 }] },
      { helm: { profiles: [{ name: 1 }], values: 3 }, kustomize: 'x', settings: { a: 1 } },
    ];
    compare('config', schema, data);
  });

  test('rule options: the same answers and errors as ajv compiling each built-in rule’s schema', () => {
    let n = 0;
    for (const r of BUILTIN_RULES) {
      const schema = optionsSchemaOf(r.meta);
      if (!schema) continue;
      n++;
      compare('options', schema, variants(schema, { ...(r.meta.defaultOptions as object) }));
    }
    expect(n).toBeGreaterThan(10);
  });

  test('policies and rule meta: the same answers and errors as ajv compiling their schemas', () => {
    const policy = readSchema('policy.schema.json');
    const base = { id: 'acme/team-label', severity: 'error', message: 'm', match: { kinds: ['Deployment'] }, condition: {} };
    compare('policy', policy, variants(policy, base));
    const meta = readSchema('rule-meta.schema.json');
    for (const r of BUILTIN_RULES.slice(0, 12)) compare('rule-meta', meta, variants(meta, { ...r.meta } as Record<string, unknown>));
  });

  test('a schema the build did not see finds none (its caller compiles it with ajv)', () => {
    expect(precompiled('options', { type: 'object', properties: { neverBuilt: { type: 'string' } } })).toBeUndefined();
    expect(precompiled('config', { ...readSchema('config.schema.json'), title: 'changed' })).toBeUndefined();
  });

  test('an invalid config reports each kind of message from the generated validator', async () => {
    const dir = writeTree({
      'bad.yaml':
        'rules:\n  image-tag: [loud, {}]\n  required-labels: {severity: warning, options: 5}\n  Bad_Id: error\n' +
        'overrides:\n  - files: a\n    extra: 1\nignorePatterns: [1]\n',
      'm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
    });
    const r = await cli(['lint', '--config', 'bad.yaml', 'm.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    // every shape config.ts makes of ajv's errors: pattern and propertyNames, enum over oneOf, type, required, additionalProperties
    expect(r.stderr.split(`${dir}/`).join('').replace(/^ +/gm, '')).toContain(
      [
        'bad.yaml:1:1: rules: must match pattern "^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9.-]*)?$"',
        'bad.yaml:1:1: rules: property name must be valid',
        'bad.yaml:2:3: rules.image-tag: must be one of "error", "warning", "info", "off"',
        'bad.yaml:2:15: rules.image-tag.0: must be one of "error", "warning", "info", "off"',
        'bad.yaml:3:3: rules.required-labels: must be one of "error", "warning", "info", "off"',
        'bad.yaml:3:40: rules.required-labels.options: must be object',
        "bad.yaml:6:5: overrides.0: must have required property 'rules'",
        'bad.yaml:7:5: overrides.0: unknown property "extra"',
        'bad.yaml:6:5: overrides.0.files: must be array',
        'bad.yaml:8:18: ignorePatterns.0: must be string',
      ].join('\n'),
    );
  });

  test('invalid rule options report what the generated validator finds, a pattern that does not compile included', async () => {
    const dir = writeTree({
      'bad.yaml': 'rules:\n  probe-timeout-vs-client-timeout: [warning, {flagNamePattern: "(", ratio: 1, extra: 1}]\n',
      'm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
    });
    const r = await cli(['lint', '--config', 'bad.yaml', 'm.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.replace(/^ +/gm, '')).toContain(
      [
        'bad.yaml: invalid options for rule probe-timeout-vs-client-timeout',
        'rules.probe-timeout-vs-client-timeout.options: must NOT have additional properties',
        'rules.probe-timeout-vs-client-timeout.options.flagNamePattern: must match format "regex"',
        'rules.probe-timeout-vs-client-timeout.options.ratio: must be > 1',
      ].join('\n'),
    );
  });
});
