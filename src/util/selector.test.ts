// Imports are extensionless: jest.config.js has no ".js" -> ".ts" mapper.
import fc from 'fast-check';
import { compileSelector, labelKeyProblems, labelValueProblems, mapSelectorMatches, selectorMatches, validateSelector } from './selector';

const web = { app: 'web', tier: 'frontend', env: 'prod' };

describe('selectorMatches: null, empty and matchLabels', () => {
  test('null/undefined selector selects nothing', () => {
    expect(selectorMatches(null, web)).toBe(false);
    expect(selectorMatches(undefined, web)).toBe(false);
    expect(selectorMatches(undefined, {})).toBe(false);
    expect(validateSelector(null)).toEqual([]);
    expect(validateSelector(undefined)).toEqual([]);
  });

  test.each<[string, unknown]>([
    ['{}', {}],
    ['empty matchLabels', { matchLabels: {} }],
    ['empty matchExpressions', { matchExpressions: [] }],
    ['both empty', { matchLabels: {}, matchExpressions: [] }],
    ['null fields', { matchLabels: null, matchExpressions: null }],
  ])('%s selects everything', (_name, sel) => {
    expect(selectorMatches(sel, web)).toBe(true);
    expect(selectorMatches(sel, {})).toBe(true);
    expect(selectorMatches(sel, null)).toBe(true);
    expect(selectorMatches(sel, undefined)).toBe(true);
    expect(compileSelector(sel).selectsEverything).toBe(true);
    expect(validateSelector(sel)).toEqual([]);
  });

  test('all matchLabels must be equal', () => {
    expect(selectorMatches({ matchLabels: { app: 'web' } }, web)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'web', tier: 'frontend' } }, web)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'web', tier: 'backend' } }, web)).toBe(false);
    expect(selectorMatches({ matchLabels: { app: 'api' } }, web)).toBe(false);
    expect(selectorMatches({ matchLabels: { missing: 'x' } }, web)).toBe(false);
    expect(selectorMatches({ matchLabels: { app: 'web' } }, {})).toBe(false);
    expect(selectorMatches({ matchLabels: { app: 'web' } }, null)).toBe(false);
    expect(selectorMatches({ matchLabels: { app: 'Web' } }, web)).toBe(false); // case-sensitive
    expect(selectorMatches({ matchLabels: { app: '' } }, { app: '' })).toBe(true);
    expect(selectorMatches({ matchLabels: { app: '' } }, {})).toBe(false);
    expect(compileSelector({ matchLabels: { app: 'web' } }).selectsEverything).toBe(false);
  });

  test('prefixed keys', () => {
    const labels = { 'app.kubernetes.io/name': 'web' };
    expect(selectorMatches({ matchLabels: { 'app.kubernetes.io/name': 'web' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { name: 'web' } }, labels)).toBe(false);
  });
});

describe('selectorMatches: matchExpressions', () => {
  const expr = (key: string, operator: string, values?: unknown[]) => ({
    matchExpressions: [values === undefined ? { key, operator } : { key, operator, values }],
  });

  test.each<[string, unknown, Record<string, unknown>, boolean]>([
    ['In, present and in set', expr('env', 'In', ['prod', 'staging']), web, true],
    ['In, present not in set', expr('env', 'In', ['dev']), web, false],
    ['In, absent key', expr('zone', 'In', ['a']), web, false],
    ['In, empty string value', expr('x', 'In', ['']), { x: '' }, true],
    ['NotIn, absent key matches', expr('zone', 'NotIn', ['a']), web, true],
    ['NotIn, present and in set', expr('env', 'NotIn', ['prod']), web, false],
    ['NotIn, present not in set', expr('env', 'NotIn', ['dev', 'qa']), web, true],
    ['Exists, present', expr('app', 'Exists'), web, true],
    ['Exists, present with empty value', expr('app', 'Exists'), { app: '' }, true],
    ['Exists, absent', expr('zone', 'Exists'), web, false],
    ['Exists with values: []', expr('app', 'Exists', []), web, true],
    ['DoesNotExist, absent', expr('zone', 'DoesNotExist'), web, true],
    ['DoesNotExist, present', expr('app', 'DoesNotExist'), web, false],
    ['DoesNotExist, no labels', expr('app', 'DoesNotExist'), {}, true],
  ])('%s', (_name, sel, labels, want) => {
    expect(selectorMatches(sel, labels)).toBe(want);
    expect(validateSelector(sel)).toEqual([]);
  });

  test('requirements are ANDed, with matchLabels too', () => {
    const sel = {
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', 'staging'] },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    };
    expect(selectorMatches(sel, web)).toBe(true);
    expect(selectorMatches(sel, { ...web, canary: 'true' })).toBe(false);
    expect(selectorMatches(sel, { ...web, env: 'dev' })).toBe(false);
    expect(selectorMatches(sel, { ...web, app: 'api' })).toBe(false);
  });

  test('a non-map labels argument is treated as no labels', () => {
    const absent = expr('app', 'DoesNotExist');
    for (const labels of ['app=web', 42, ['app'], true]) {
      expect(selectorMatches(absent, labels as unknown as Record<string, unknown>)).toBe(true);
      expect(selectorMatches({ matchLabels: { app: 'web' } }, labels as unknown as Record<string, unknown>)).toBe(false);
    }
  });

  test('inherited properties are not labels', () => {
    expect(selectorMatches({ matchLabels: { toString: 'x' } }, {})).toBe(false);
    expect(selectorMatches(expr('constructor', 'DoesNotExist'), {})).toBe(true);
    expect(selectorMatches(expr('hasOwnProperty', 'Exists'), {})).toBe(false);
    const parsed = JSON.parse('{"__proto__": "x"}') as Record<string, unknown>;
    expect(selectorMatches(expr('__proto__', 'Exists'), parsed)).toBe(false); // "__proto__" is not a valid key
  });
});

describe('YAML scalar leniency', () => {
  test('numbers and booleans compare as their string form, with a note', () => {
    expect(selectorMatches({ matchLabels: { version: 1 } }, { version: '1' })).toBe(true);
    expect(selectorMatches({ matchLabels: { version: 1 } }, { version: 1 })).toBe(true);
    expect(selectorMatches({ matchLabels: { version: '1' } }, { version: 1 })).toBe(true);
    expect(selectorMatches({ matchLabels: { version: 1 } }, { version: '1.0' })).toBe(false);
    expect(selectorMatches({ matchLabels: { enabled: true } }, { enabled: 'true' })).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'v', operator: 'In', values: [1, 2] }] }, { v: 2 })).toBe(true);
    expect(validateSelector({ matchLabels: { version: 1 } })).toEqual([
      'matchLabels["version"]: value is a number (1); quote it: the API server only accepts strings here',
    ]);
    const c = compileSelector({ matchLabels: { version: 1 } });
    expect(c.valid).toBe(true);
    expect(c.problems.map((p) => p.fatal)).toEqual([false]);
  });

  test('null values read as the empty string, as Go decodes them', () => {
    expect(selectorMatches({ matchLabels: { app: null } }, { app: '' })).toBe(true);
    expect(selectorMatches({ matchLabels: { app: null } }, { app: null })).toBe(true);
    expect(selectorMatches({ matchLabels: { app: '' } }, { app: null })).toBe(true);
    expect(selectorMatches({ matchLabels: { app: null } }, {})).toBe(false);
    expect(validateSelector({ matchLabels: { app: null } })).toEqual([
      'matchLabels["app"]: value is null; the API server reads it as the empty string ""',
    ]);
  });

  test('non-scalar label values are present but equal nothing', () => {
    const labels = { app: { nested: true } };
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'In', values: ['[object Object]'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['x'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: '[object Object]' } }, labels)).toBe(false);
  });
});

describe('malformed selectors select nothing and are explained', () => {
  test.each<[string, unknown, string[]]>([
    ['a string', 'app=web', ['a label selector must be a map, got a string']],
    ['a list', [{ app: 'web' }], ['a label selector must be a map, got a list']],
    ['a number', 3, ['a label selector must be a map, got a number']],
    ['matchLabels list', { matchLabels: ['app'] }, ['matchLabels: must be a map of label keys to values, got a list']],
    ['matchLabels string', { matchLabels: 'app=web' }, ['matchLabels: must be a map of label keys to values, got a string']],
    ['matchLabels nested map', { matchLabels: { app: { name: 'web' } } }, ['matchLabels["app"]: value must be a string, got a map']],
    ['matchExpressions map', { matchExpressions: { key: 'app' } }, ['matchExpressions: must be a list, got a map']],
    [
      'expression not a map',
      { matchExpressions: ['app In (web)'] },
      ['matchExpressions[0]: must be a map with key, operator and values, got a string'],
    ],
    [
      'lowercase operator',
      { matchExpressions: [{ key: 'app', operator: 'in', values: ['web'] }] },
      [
        'matchExpressions[0].operator: "in" is not a valid label selector operator (one of In, NotIn, Exists, DoesNotExist); did you mean "In"?',
      ],
    ],
    [
      'Equals is not a LabelSelector operator',
      { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['web'] }] },
      ['matchExpressions[0].operator: "Equals" is not a valid label selector operator (one of In, NotIn, Exists, DoesNotExist)'],
    ],
    [
      'does_not_exist spelling',
      { matchExpressions: [{ key: 'app', operator: 'does_not_exist' }] },
      [
        'matchExpressions[0].operator: "does_not_exist" is not a valid label selector operator (one of In, NotIn, Exists, DoesNotExist); did you mean "DoesNotExist"?',
      ],
    ],
    [
      'operator missing',
      { matchExpressions: [{ key: 'app', values: ['web'] }] },
      ['matchExpressions[0].operator: is required (one of In, NotIn, Exists, DoesNotExist)'],
    ],
    [
      'operator not a string',
      { matchExpressions: [{ key: 'app', operator: 1, values: ['web'] }] },
      ['matchExpressions[0].operator: must be a string, got a number'],
    ],
    ['key missing', { matchExpressions: [{ operator: 'Exists' }] }, ['matchExpressions[0].key: is required']],
    ['key a list', { matchExpressions: [{ key: ['app'], operator: 'Exists' }] }, ['matchExpressions[0].key: must be a string, got a list']],
    [
      'In without values',
      { matchExpressions: [{ key: 'app', operator: 'In' }] },
      ['matchExpressions[0].values: must be non-empty when operator is "In"'],
    ],
    [
      'NotIn with empty values',
      { matchExpressions: [{ key: 'app', operator: 'NotIn', values: [] }] },
      ['matchExpressions[0].values: must be non-empty when operator is "NotIn"'],
    ],
    [
      'Exists with values',
      { matchExpressions: [{ key: 'app', operator: 'Exists', values: ['web'] }] },
      ['matchExpressions[0].values: must be empty when operator is "Exists"'],
    ],
    [
      'values a string',
      { matchExpressions: [{ key: 'app', operator: 'In', values: 'web' }] },
      [
        'matchExpressions[0].values: must be a list of strings, got a string',
        'matchExpressions[0].values: must be non-empty when operator is "In"',
      ],
    ],
    [
      'values with a map',
      { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', { x: 1 }] }] },
      ['matchExpressions[0].values[1]: must be a string, got a map'],
    ],
    [
      'invalid key',
      { matchLabels: { 'my app': 'web' } },
      [
        `matchLabels["my app"]: invalid label key: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      ],
    ],
    [
      'invalid prefix',
      { matchLabels: { 'Example.com/app': 'web' } },
      ['matchLabels["Example.com/app"]: invalid label key: prefix part must be a lowercase RFC 1123 subdomain (e.g. example.com)'],
    ],
    [
      'invalid value',
      { matchLabels: { app: '-web' } },
      [
        `matchLabels["app"]: invalid label value "-web": must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      ],
    ],
    [
      'too long value',
      { matchLabels: { app: 'a'.repeat(64) } },
      [`matchLabels["app"]: invalid label value "${'a'.repeat(64)}": must be no more than 63 characters`],
    ],
    ['typo in field', { matchLabel: { app: 'web' } }, ['matchLabel: unknown field "matchLabel" (did you mean "matchLabels"?)']],
    ['unknown field', { selector: { app: 'web' } }, ['selector: unknown field "selector"']],
    [
      'typo in requirement field',
      { matchExpressions: [{ key: 'app', operator: 'In', value: ['web'] }] },
      [
        'matchExpressions[0].value: unknown field "value" (did you mean "values"?)',
        'matchExpressions[0].values: must be non-empty when operator is "In"',
      ],
    ],
  ])('%s', (_name, sel, problems) => {
    expect(validateSelector(sel)).toEqual(problems);
    expect(selectorMatches(sel, web)).toBe(false);
    expect(selectorMatches(sel, { app: 'web', 'my app': 'web', 'Example.com/app': 'web' })).toBe(false);
    expect(selectorMatches(sel, {})).toBe(false);
    const c = compileSelector(sel);
    expect(c.valid).toBe(false);
    expect(c.selectsEverything).toBe(false);
  });

  test('a single bad requirement invalidates the whole selector', () => {
    const sel = {
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'env', operator: 'Exists' },
        { key: 'zone', operator: 'Within', values: ['a'] },
      ],
    };
    expect(selectorMatches(sel, { ...web, zone: 'a' })).toBe(false);
  });

  test('getters that throw do not escape', () => {
    const evil = {
      get matchLabels(): never {
        throw new Error('boom');
      },
    };
    expect(selectorMatches(evil, web)).toBe(false);
    expect(validateSelector(evil)).toEqual(['unreadable label selector']);
    const evilLabels = {
      get app(): never {
        throw new Error('boom');
      },
    };
    expect(selectorMatches({ matchLabels: { app: 'web' } }, evilLabels)).toBe(false);
    expect(mapSelectorMatches({ app: 'web' }, evilLabels)).toBe(false);
  });
});

describe('label syntax helpers', () => {
  test.each(['app', 'a', 'app.kubernetes.io/name', 'example.com/a-b_c.d', 'A1', `${'a'.repeat(253)}/x`, 'x'.repeat(63)])(
    'valid key %p',
    (k) => {
      expect(labelKeyProblems(k)).toEqual([]);
    },
  );
  test.each(['', '-a', 'a-', 'a b', '/a', 'a/', 'a/b/c', 'UPPER.com/a', `${'a'.repeat(254)}/x`, 'x'.repeat(64), '__proto__'])(
    'invalid key %p',
    (k) => {
      expect(labelKeyProblems(k).length).toBeGreaterThan(0);
    },
  );
  test.each(['', 'web', 'v1.2.3', 'a_b-c', 'X'.repeat(63)])('valid value %p', (v) => {
    expect(labelValueProblems(v)).toEqual([]);
  });
  test.each(['-a', 'a-', 'a b', 'a/b', 'X'.repeat(64), '1e+21'])('invalid value %p', (v) => {
    expect(labelValueProblems(v).length).toBeGreaterThan(0);
  });
});

describe('mapSelectorMatches (Service / ReplicationController)', () => {
  test('all entries must match', () => {
    expect(mapSelectorMatches({ app: 'web' }, web)).toBe(true);
    expect(mapSelectorMatches({ app: 'web', tier: 'frontend' }, web)).toBe(true);
    expect(mapSelectorMatches({ app: 'web', tier: 'backend' }, web)).toBe(false);
    expect(mapSelectorMatches({ app: 'web', zone: 'a' }, web)).toBe(false);
    expect(mapSelectorMatches({ app: 'web' }, {})).toBe(false);
    expect(mapSelectorMatches({ app: 'web' }, null)).toBe(false);
    expect(mapSelectorMatches({ app: 'web' }, undefined)).toBe(false);
  });

  test('empty or absent selector selects nothing', () => {
    expect(mapSelectorMatches({}, web)).toBe(false);
    expect(mapSelectorMatches(null, web)).toBe(false);
    expect(mapSelectorMatches(undefined, web)).toBe(false);
    expect(mapSelectorMatches({}, {})).toBe(false);
  });

  test('scalar coercion and malformed values', () => {
    expect(mapSelectorMatches({ version: 2 }, { version: '2' })).toBe(true);
    expect(mapSelectorMatches({ canary: false }, { canary: 'false' })).toBe(true);
    expect(mapSelectorMatches({ app: null }, { app: '' })).toBe(true);
    expect(mapSelectorMatches({ app: ['web'] }, { app: 'web' })).toBe(false);
    expect(mapSelectorMatches({ app: 'web' }, { app: ['web'] })).toBe(false);
    expect(mapSelectorMatches(['app'] as unknown as Record<string, unknown>, web)).toBe(false);
    expect(mapSelectorMatches('app=web' as unknown as Record<string, unknown>, web)).toBe(false);
    expect(mapSelectorMatches({ toString: 'x' }, {})).toBe(false);
  });
});

// ---------------------------------------------------------------------------
// Properties

const keyArb = fc.constantFrom('app', 'env', 'tier', 'zone', 'app.kubernetes.io/name', 'v');
const valueArb = fc.constantFrom('web', 'api', 'prod', 'dev', '', 'a-1');
const labelsArb = fc.dictionary(keyArb, valueArb, { maxKeys: 5 });
const opArb = fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist');
const reqArb = fc
  .record({
    key: keyArb,
    operator: opArb,
    values: fc.uniqueArray(valueArb, { minLength: 1, maxLength: 3 }),
  })
  .map((r) => (r.operator === 'In' || r.operator === 'NotIn' ? r : { key: r.key, operator: r.operator }));
const selectorArb = fc.record({ matchLabels: labelsArb, matchExpressions: fc.array(reqArb, { maxLength: 4 }) }, { requiredKeys: [] });

describe('properties', () => {
  test('never throws on arbitrary input', () => {
    const any = fc.anything({ withBigInt: true, withBoxedValues: true, withMap: true, withSet: true, withNullPrototype: true });
    fc.assert(
      fc.property(any, any, (sel, labels) => {
        const m = selectorMatches(sel, labels as Record<string, unknown>);
        const problems = validateSelector(sel);
        expect(typeof m).toBe('boolean');
        expect(Array.isArray(problems)).toBe(true);
        expect(typeof mapSelectorMatches(sel as Record<string, unknown>, labels as Record<string, unknown>)).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });

  test('never throws on selector-shaped garbage; invalid selectors never match', () => {
    const junk = fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.array(fc.string(), { maxLength: 2 }),
      fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 2 }),
    );
    const shaped = fc.record(
      {
        matchLabels: fc.oneof(labelsArb, junk, fc.dictionary(keyArb, junk, { maxKeys: 3 })),
        matchExpressions: fc.oneof(
          junk,
          fc.array(
            fc.oneof(
              junk,
              fc.record(
                {
                  key: fc.oneof(keyArb, junk),
                  operator: fc.oneof(opArb, junk),
                  values: fc.oneof(fc.array(fc.oneof(valueArb, junk), { maxLength: 3 }), junk),
                },
                { requiredKeys: [] },
              ),
            ),
            { maxLength: 3 },
          ),
        ),
        extra: junk,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(shaped, labelsArb, (sel, labels) => {
        const c = compileSelector(sel);
        const m = selectorMatches(sel, labels);
        if (!c.valid) expect(m).toBe(false);
        expect(c.valid).toBe(c.problems.every((p) => !p.fatal));
        if (c.problems.length === 0) expect(validateSelector(sel)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  test('matches a reference implementation of LabelSelectorAsSelector', () => {
    fc.assert(
      fc.property(selectorArb, labelsArb, (sel, labels) => {
        const has = (k: string) => Object.prototype.hasOwnProperty.call(labels, k);
        const ml = Object.entries(sel.matchLabels ?? {}).every(([k, v]) => has(k) && labels[k] === v);
        const me = (sel.matchExpressions ?? []).every((r) => {
          const vals = 'values' in r ? (r.values as string[]) : [];
          switch (r.operator) {
            case 'In':
              return has(r.key) && vals.includes(labels[r.key] as string);
            case 'NotIn':
              return !has(r.key) || !vals.includes(labels[r.key] as string);
            case 'Exists':
              return has(r.key);
            default:
              return !has(r.key);
          }
        });
        expect(validateSelector(sel)).toEqual([]);
        expect(selectorMatches(sel, labels)).toBe(ml && me);
      }),
      { numRuns: 2000 },
    );
  });

  test('operator dualities: NotIn == !In, DoesNotExist == !Exists', () => {
    fc.assert(
      fc.property(keyArb, fc.uniqueArray(valueArb, { minLength: 1, maxLength: 3 }), labelsArb, (key, values, labels) => {
        const one = (operator: string, v?: string[]) => ({ matchExpressions: [v ? { key, operator, values: v } : { key, operator }] });
        expect(selectorMatches(one('NotIn', values), labels)).toBe(!selectorMatches(one('In', values), labels));
        expect(selectorMatches(one('DoesNotExist'), labels)).toBe(!selectorMatches(one('Exists'), labels));
      }),
    );
  });

  test('matchLabels agrees with the map selector, and every label set selects itself', () => {
    fc.assert(
      fc.property(labelsArb, labelsArb, (sel, labels) => {
        const nonEmpty = Object.keys(sel).length > 0;
        expect(mapSelectorMatches(sel, labels)).toBe(nonEmpty && selectorMatches({ matchLabels: sel }, labels));
        expect(selectorMatches({ matchLabels: labels }, labels)).toBe(true);
        expect(mapSelectorMatches(labels, labels)).toBe(Object.keys(labels).length > 0);
        // adding labels never breaks a match
        if (selectorMatches({ matchLabels: sel }, labels)) {
          expect(selectorMatches({ matchLabels: sel }, { ...labels, extra: 'x' })).toBe(true);
        }
      }),
    );
  });
});
