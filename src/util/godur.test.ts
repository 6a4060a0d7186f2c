// Imports are extensionless: jest.config.js has no ".js" -> ".ts" mapper.
import fc from 'fast-check';
import { parseGoDuration, parseGoDurationNs, parseGoMemLimit } from './godur';

const NS = 1n;
const US = 1000n * NS;
const MS = 1000n * US;
const S = 1000n * MS;
const M = 60n * S;
const H = 60n * M;
const MAX = (1n << 63n) - 1n;
const MIN = -(1n << 63n);

describe('parseGoDurationNs: Go time_test.go parseDurationTests', () => {
  test.each<[string, bigint]>([
    // simple
    ['0', 0n],
    ['5s', 5n * S],
    ['30s', 30n * S],
    ['1478s', 1478n * S],
    // sign
    ['-5s', -5n * S],
    ['+5s', 5n * S],
    ['-0', 0n],
    ['+0', 0n],
    // decimal
    ['5.0s', 5n * S],
    ['5.6s', 5n * S + 600n * MS],
    ['5.s', 5n * S],
    ['.5s', 500n * MS],
    ['1.0s', 1n * S],
    ['1.00s', 1n * S],
    ['1.004s', 1n * S + 4n * MS],
    ['1.0040s', 1n * S + 4n * MS],
    ['100.00100s', 100n * S + 1n * MS],
    // different units
    ['10ns', 10n * NS],
    ['11us', 11n * US],
    ['12\u00b5s', 12n * US], // U+00B5
    ['12\u03bcs', 12n * US], // U+03BC
    ['13ms', 13n * MS],
    ['14s', 14n * S],
    ['15m', 15n * M],
    ['16h', 16n * H],
    // composite durations
    ['3h30m', 3n * H + 30n * M],
    ['10.5s4m', 4n * M + 10n * S + 500n * MS],
    ['-2m3.4s', -(2n * M + 3n * S + 400n * MS)],
    ['1h2m3s4ms5us6ns', 1n * H + 2n * M + 3n * S + 4n * MS + 5n * US + 6n * NS],
    ['39h9m14.425s', 39n * H + 9n * M + 14n * S + 425n * MS],
    // large value
    ['52763797000ns', 52763797000n * NS],
    // more than 9 digits after decimal point, golang.org/issue/6617
    ['0.3333333333333333333h', 20n * M],
    // 1<<53+1 cannot be stored precisely in a float64
    ['9007199254740993ns', (1n << 53n) + 1n],
    // extremes
    ['9223372036854775807ns', MAX],
    ['9223372036854775.807us', MAX],
    ['9223372036s854ms775us807ns', MAX],
    ['-9223372036854775808ns', MIN],
    ['-9223372036854775.808us', MIN],
    ['-9223372036s854ms775us808ns', MIN],
    ['-2562047h47m16.854775808s', MIN], // golang.org/issue/48629
    ['2562047h47m16.854775807s', MAX],
    // huge string; issue 15011
    ['0.100000000000000000000h', 6n * M],
    // tests the first overflow check in leadingFraction
    ['0.830103483285477580700h', 49n * M + 48n * S + 372539827n * NS],
  ])('%p = %s ns', (input, want) => {
    expect(parseGoDurationNs(input)).toBe(want);
  });

  test.each<[string, bigint]>([
    ['1m30s', 90n * S],
    ['1.5h', 90n * M],
    ['500ms', 500n * MS],
    ['0s', 0n],
    ['0.000s', 0n],
    ['1h1h', 2n * H], // repeated units are fine
    ['1.s.5s', 1500n * MS], // "1." then ".5": Go accepts it
    ['0.5ns', 0n], // fractions truncate toward zero
    ['1.9ns', 1n],
    ['1.0000000001s', S], // 1e-10 s is lost, as in Go
    ['-1.9ns', -1n],
  ])('more: %p = %s ns', (input, want) => {
    expect(parseGoDurationNs(input)).toBe(want);
  });

  test.each([
    // Go parseDurationErrorTests / parseDurationTests errors
    '',
    '3',
    '-',
    's',
    '.',
    '-.',
    '.s',
    '+.s',
    '1d',
    '\uFFFD',
    '\uFFFD hello \uFFFD world',
    '3000000h',
    '9223372036854775810ns',
    '9223372036854775808ns',
    '-9223372036854775809ns',
    '9223372036854775.808us',
    '9223372036854ms775us808ns',
    '2562047h47m16.854775808s',
    // more
    '10',
    '1.5',
    '00',
    '+',
    '--1s',
    '+-1s',
    '1 s',
    ' 1s',
    '1s ',
    '1S',
    '1H',
    '1sec',
    '1m30',
    '1e3s',
    '1,5s',
    '1.5.s',
    '..2s',
    'x.s',
    '1y',
    '1w',
    '1M',
    '1\u00b5', // micro sign without s
    '1mss',
    '0x10s',
  ])('invalid: %p', (input) => {
    expect(parseGoDurationNs(input)).toBeNull();
    expect(parseGoDuration(input)).toBeNull();
  });

  test('non-strings are invalid', () => {
    for (const v of [undefined, null, 0, 5, 1n, true, {}, [], ['1s']]) {
      expect(parseGoDurationNs(v)).toBeNull();
      expect(parseGoDuration(v)).toBeNull();
    }
  });
});

describe('parseGoDuration (milliseconds)', () => {
  test.each<[string, number]>([
    ['0', 0],
    ['-0', 0],
    ['1m30s', 90_000],
    ['1.5h', 5_400_000],
    ['-1s', -1000],
    ['500ms', 500],
    ['1500us', 1.5],
    ['1ns', 0.000001],
    ['1h2m3s4ms5us6ns', 3_723_004.005006],
    ['24h', 86_400_000],
  ])('%p = %s ms', (input, want) => {
    expect(parseGoDuration(input)).toBe(want);
  });

  test('never returns -0', () => {
    expect(Object.is(parseGoDuration('-0s'), 0)).toBe(true);
    expect(Object.is(parseGoDuration('-0.1ns'), 0)).toBe(true);
  });
});

describe('parseGoMemLimit', () => {
  test.each<[string, bigint]>([
    ['512MiB', 512n << 20n],
    ['1GiB', 1n << 30n],
    ['1073741824', 1n << 30n],
    ['1073741824B', 1n << 30n],
    ['1KiB', 1024n],
    ['2TiB', 2n << 40n],
    ['0', 0n],
    ['0B', 0n],
    ['007MiB', 7n << 20n],
    ['9223372036854775807', MAX],
    ['9223372036854775807B', MAX],
    ['8388607TiB', 8388607n << 40n],
    // Go runtime atoi64 quirks: the sign is stripped before digits are required.
    ['-0', 0n],
    ['-0B', 0n],
    ['-KiB', 0n],
    ['-00MiB', 0n],
  ])('%p = %s bytes', (input, bytes) => {
    expect(parseGoMemLimit(input)).toEqual({ kind: 'bytes', bytes });
  });

  test('"" and "off" mean no limit', () => {
    expect(parseGoMemLimit('off')).toEqual({ kind: 'off' });
    expect(parseGoMemLimit('')).toEqual({ kind: 'off' });
  });

  test.each([
    '1GB',
    '1Gi',
    '1G',
    '1MB',
    '1KB',
    '1kB',
    '1kiB',
    '1KIB',
    '1PiB',
    '1EiB',
    '1.5GiB',
    '1 GiB',
    ' 1GiB',
    '1GiB ',
    'OFF',
    'Off',
    ' off',
    'none',
    'B',
    'iB',
    'KiB',
    '-',
    '-B',
    '-1',
    '-1B',
    '-1KiB',
    '+1',
    '1e9',
    '0x10',
    '9223372036854775808',
    '9223372036854775808B',
    '8388608TiB',
    '9007199254740993KiB',
    '99999999999999999999999',
    '1,024',
    '\u0661',
  ])('invalid: %p', (input) => {
    const r = parseGoMemLimit(input);
    expect(r.kind).toBe('invalid');
  });

  test('non-strings are invalid with a reason', () => {
    for (const v of [undefined, null, 1024, 1n, true, {}, []]) {
      const r = parseGoMemLimit(v);
      expect(r.kind).toBe('invalid');
      if (r.kind === 'invalid') expect(r.reason).toMatch(/string/);
    }
  });

  test('invalid results explain the accepted syntax', () => {
    const r = parseGoMemLimit('1Gi');
    expect(r).toEqual({ kind: 'invalid', reason: expect.stringContaining('KiB, MiB, GiB or TiB') });
  });
});

// ---------------------------------------------------------------------------
// Properties

const UNITS: ReadonlyArray<[string, bigint]> = [
  ['ns', NS],
  ['us', US],
  ['\u00b5s', US],
  ['\u03bcs', US],
  ['ms', MS],
  ['s', S],
  ['m', M],
  ['h', H],
];
const durChars = fc.constantFrom(...'0123456789.+-nsuµμmhd '.split(''));

describe('properties', () => {
  test('never throws, on anything', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withBoxedValues: true }), (x) => {
        const ns = parseGoDurationNs(x);
        const mem = parseGoMemLimit(x);
        if (typeof x !== 'string') {
          expect(ns).toBeNull();
          expect(mem.kind).toBe('invalid');
        }
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (s) => {
        const ns = parseGoDurationNs(s);
        if (ns !== null) expect(ns >= MIN && ns <= MAX).toBe(true);
        expect(['bytes', 'off', 'invalid']).toContain(parseGoMemLimit(s).kind);
      }),
    );
  });

  test('near-grammar strings: results stay in int64 range and ms agrees with ns', () => {
    fc.assert(
      fc.property(fc.string({ unit: durChars, maxLength: 16 }), (s) => {
        const ns = parseGoDurationNs(s);
        const ms = parseGoDuration(s);
        if (ns === null) {
          expect(ms).toBeNull();
        } else {
          expect(ns >= MIN && ns <= MAX).toBe(true);
          expect(ms).toBe(Number(ns) / 1e6 || 0);
        }
      }),
      { numRuns: 3000 },
    );
  });

  test("accepts exactly Go's grammar (regex oracle)", () => {
    const unitNs: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 6e10, h: 3.6e12 };
    // element = number with at least one digit + a unit that is the maximal non-[0-9.] run
    const element = /(?:([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)(?=[0-9.]|$))/y;
    /** true/false, or undefined when the value is too close to int64 overflow to judge by floats. */
    const oracle = (s: string): boolean | undefined => {
      const rest = s.replace(/^[+-]/, '');
      if (rest === '0') return true;
      if (rest === '') return false;
      element.lastIndex = 0;
      let total = 0;
      while (element.lastIndex < rest.length) {
        const m = element.exec(rest);
        if (!m) return false;
        total += Number(m[1]) * (unitNs[m[2] as string] as number);
      }
      return total < 9e18 ? true : undefined;
    };
    fc.assert(
      fc.property(fc.string({ unit: durChars, maxLength: 12 }), (s) => {
        const want = oracle(s);
        fc.pre(want !== undefined);
        expect(parseGoDurationNs(s) !== null).toBe(want);
      }),
      { numRuns: 5000 },
    );
  });

  test('`${n}${unit}` is n * unit', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2_000_000n }), fc.constantFrom(...UNITS), (n, [unit, mult]) => {
        expect(parseGoDurationNs(`${n}${unit}`)).toBe(n * mult);
        expect(parseGoDurationNs(`-${n}${unit}`)).toBe(-(n * mult));
      }),
    );
  });

  test('concatenation adds, and a leading "-" negates', () => {
    const elem = fc
      .tuple(fc.nat({ max: 100_000 }), fc.option(fc.nat({ max: 999 }), { nil: undefined }), fc.constantFrom(...UNITS))
      .map(([i, f, [u]]) => (f === undefined ? `${i}${u}` : `${i}.${f}${u}`));
    fc.assert(
      fc.property(elem, elem, (a, b) => {
        const x = parseGoDurationNs(a);
        const y = parseGoDurationNs(b);
        expect(x).not.toBeNull();
        expect(y).not.toBeNull();
        expect(parseGoDurationNs(a + b)).toBe((x as bigint) + (y as bigint));
        expect(parseGoDurationNs(`-${a}${b}`)).toBe(-((x as bigint) + (y as bigint)));
      }),
    );
  });

  test('GOMEMLIMIT accepts exactly ^[0-9]+(([KMGT]i)?B)?$ plus the runtime\'s "-0" quirks', () => {
    const chars = fc.constantFrom(...'0123456789KMGTPiBb-+. '.split(''));
    const documented = /^[0-9]+(([KMGT]i)?B)?$/;
    const quirk = /^-(0+(([KMGT]i)?B)?|[KMGT]iB)$/;
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 8 }), (s) => {
        const r = parseGoMemLimit(s);
        if (s === '') expect(r.kind).toBe('off');
        else expect(r.kind).toBe(documented.test(s) || quirk.test(s) ? 'bytes' : 'invalid');
      }),
      { numRuns: 5000 },
    );
  });

  test('GOMEMLIMIT values scale by their suffix', () => {
    const suffixes: ReadonlyArray<[string, bigint]> = [
      ['', 1n],
      ['B', 1n],
      ['KiB', 1n << 10n],
      ['MiB', 1n << 20n],
      ['GiB', 1n << 30n],
      ['TiB', 1n << 40n],
    ];
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX }), fc.constantFrom(...suffixes), (n, [suffix, mult]) => {
        const r = parseGoMemLimit(`${n}${suffix}`);
        if (n * mult <= MAX) expect(r).toEqual({ kind: 'bytes', bytes: n * mult });
        else expect(r.kind).toBe('invalid');
      }),
    );
  });
});
