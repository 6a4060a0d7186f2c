/**
 * go-yaml v2 (as used by sigs.k8s.io/yaml, kubectl and the API server),
 * value by value. Each row: plain scalar source → the value the cluster sees.
 * The table follows go-yaml v2's resolve.go: its resolve table, the int path
 * (underscores removed, strconv.ParseInt base 0, then ParseUint), the YAML
 * float regexp, and timestamps kept as strings for interface{} targets.
 */
import { resolveV2, resolveCore12, resolveTagged, ambiguity } from './goyaml';
import { parseText } from './parse';

const table: [string, unknown][] = [
  // booleans: exactly these spellings
  ['y', true],
  ['Y', true],
  ['yes', true],
  ['Yes', true],
  ['YES', true],
  ['on', true],
  ['On', true],
  ['ON', true],
  ['true', true],
  ['True', true],
  ['TRUE', true],
  ['n', false],
  ['N', false],
  ['no', false],
  ['No', false],
  ['NO', false],
  ['off', false],
  ['Off', false],
  ['OFF', false],
  ['false', false],
  ['False', false],
  ['FALSE', false],
  // other case variants are strings
  ['yEs', 'yEs'],
  ['oN', 'oN'],
  ['tRUE', 'tRUE'],
  ['nO', 'nO'],
  // nulls
  ['', null],
  ['~', null],
  ['null', null],
  ['Null', null],
  ['NULL', null],
  ['nUll', 'nUll'],
  // ints: ParseInt base 0 after removing underscores
  ['0', 0],
  ['7', 7],
  ['-7', -7],
  ['+7', 7],
  ['0644', 420],
  ['0755', 493],
  ['0777', 511],
  ['00', 0],
  ['0x1F', 31],
  ['0X1f', 31],
  ['-0x10', -16],
  ['0b101', 5],
  ['-0b11', -3],
  ['0o17', 15],
  ['1_000', 1000],
  ['1_0_0', 100],
  ['0_644', 420],
  ['9223372036854775807', 9223372036854775807],
  ['18446744073709551615', 18446744073709551615],
  // not valid octal → the float regexp (ParseFloat of "08" is 8)
  ['08', 8],
  ['09.5', 9.5],
  // floats (YAML-style regexp)
  ['1.5', 1.5],
  ['-1.5', -1.5],
  ['.5', 0.5],
  ['1.', 1],
  ['1e3', 1000],
  ['1E3', 1000],
  ['1.5e-3', 0.0015],
  ['+1e2', 100],
  ['.inf', Infinity],
  ['.Inf', Infinity],
  ['+.INF', Infinity],
  ['-.inf', -Infinity],
  ['.nan', NaN],
  ['.NaN', NaN],
  // strings: no sexagesimal, timestamps stay strings, versions, colons
  ['22:22', '22:22'],
  ['190:20:30', '190:20:30'],
  ['2001-12-14', '2001-12-14'],
  ['2001-12-14t21:59:43.10-05:00', '2001-12-14t21:59:43.10-05:00'],
  ['1.2.3', '1.2.3'],
  ['v1', 'v1'],
  ['1Gi', '1Gi'],
  ['500m', '500m'],
  ['0x', '0x'],
  ['0b2', '0b2'],
  ['1e', '1e'],
  ['-', '-'],
  ['+', '+'],
  ['.', '.'],
  ['..', '..'],
  ['1_000.5', 1000.5],
  ['0o8', '0o8'],
  ['e3', 'e3'],
  ['hello', 'hello'],
  ['Norway', 'Norway'],
];

describe('go-yaml v2 plain scalar resolution', () => {
  test.each(table)('%p → %p', (src, want) => {
    const got = resolveV2(src).value;
    if (typeof want === 'number' && Number.isNaN(want)) expect(Number.isNaN(got as number)).toBe(true);
    else expect(got).toBe(want);
  });

  test('the same values come out of a whole document', () => {
    // `-` alone after a key starts a block sequence, so it cannot stand in this document
    const rows = table.filter(([src]) => src !== '-');
    const text = rows.map(([src], i) => `k${i}: ${src}`).join('\n');
    const out = parseText(text);
    expect(out.errors).toEqual([]);
    const doc = out.documents[0]!;
    const v = doc.value as Record<string, unknown>;
    rows.forEach(([, want], i) => {
      const got = v[`k${i}`];
      if (typeof want === 'number' && Number.isNaN(want)) expect(Number.isNaN(got as number)).toBe(true);
      else expect([i, got]).toEqual([i, want]);
    });
  });

  test('quoted and block scalars are always strings', () => {
    const v = parseText('a: "on"\nb: \'0644\'\nc: |\n  yes\nd: >-\n  1e3\n').documents[0]!.value;
    expect(v).toEqual({ a: 'on', b: '0644', c: 'yes\n', d: '1e3' });
  });

  test('non-string keys become strings as sigs.k8s.io/yaml converts them', () => {
    const v = parseText('on: 1\n2: x\nno: why\n1.5: z\ny: 3\n').documents[0]!.value;
    // `y` as a key is the boolean true too, so it collides with `on`: the last one wins, as in go-yaml v2
    expect(v).toEqual({ true: 3, '2': 'x', false: 'why', '1.5': 'z' });
  });

  test('explicit tags', () => {
    expect(resolveTagged('tag:yaml.org,2002:str', '0644', true)).toEqual({ kind: 'str', value: '0644' });
    expect(resolveTagged('tag:yaml.org,2002:int', '0644', false)).toEqual({ kind: 'int', value: 420 });
    expect(resolveTagged('tag:yaml.org,2002:int', 'abc', true)).toHaveProperty('error');
    expect(parseText('a: !!str yes\nb: !!int "12"\n').documents[0]!.value).toEqual({ a: 'yes', b: 12 });
  });

  test('merge keys: explicit keys win, then earlier sources', () => {
    const text = 'a: &a {p: 1, q: 1}\nb: &b {q: 2, r: 2}\nc:\n  <<: [*a, *b]\n  p: 9\n';
    expect((parseText(text).documents[0]!.value as Record<string, unknown>).c).toEqual({ p: 9, q: 1, r: 2 });
  });
});

describe('YAML 1.2 core reading and ambiguity', () => {
  test.each([
    ['on', 'str'],
    ['yes', 'str'],
    ['NO', 'str'],
    ['0644', 'int'],
    ['1_000', 'str'],
    ['0b101', 'str'],
    ['true', 'bool'],
    ['0o17', 'int'],
    ['0x1F', 'int'],
  ])('core reading of %p is %p', (src, kind) => {
    expect(resolveCore12(src).kind).toBe(kind);
  });

  test.each([['on'], ['yes'], ['n'], ['NO'], ['0644'], ['1_000'], ['0b101'], ['-0755']])('%p is ambiguous', (src) => {
    expect(ambiguity(src, resolveV2(src))).toBeDefined();
  });

  test.each([['true'], ['false'], ['null'], ['7'], ['1.5'], ['1e3'], ['0x1F'], ['0o17'], ['hello'], ['22:22'], ['08'], ['.inf']])(
    '%p is read the same by both',
    (src) => {
      expect(ambiguity(src, resolveV2(src))).toBeUndefined();
    },
  );
});
