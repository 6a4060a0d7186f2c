// NOTE: imports are extensionless because jest.config.js has no
// moduleNameMapper for ".js" -> ".ts"; tsc (CommonJS package) accepts both.
import fc from 'fast-check';
import {
  MAX_EXPONENT,
  addQuantity,
  ceilQuantity,
  compareQuantity,
  describeQuantity,
  floorQuantity,
  makeQuantity,
  parseQuantity,
  parseQuantityShared,
  quantityEquals,
  quantityToNumber,
  type Quantity,
} from './quantity';

/** Parses or fails the test. */
function q(input: unknown): Quantity {
  const r = parseQuantity(input);
  if (r === null) throw new Error(`expected ${String(input)} to parse`);
  return r;
}

/** [num, den] of a parsed quantity. */
function val(input: unknown): [bigint, bigint] | null {
  const r = parseQuantity(input);
  return r === null ? null : [r.num, r.den];
}

const KI = 1024n;
const MI = KI * KI;
const GI = MI * KI;

describe('parseQuantity: valid strings', () => {
  test.each<[string, bigint, bigint]>([
    ['0', 0n, 1n],
    ['00', 0n, 1n],
    ['0.000', 0n, 1n],
    ['-0', 0n, 1n],
    ['1', 1n, 1n],
    ['+1', 1n, 1n],
    ['-1', -1n, 1n],
    ['1073741824', GI, 1n],
    ['1Gi', GI, 1n],
    ['1024Mi', GI, 1n],
    ['1.5Gi', 1610612736n, 1n],
    ['0.5Ki', 512n, 1n],
    ['1.3Ki', 6656n, 5n], // 1331.2
    ['1Ki', 1024n, 1n],
    ['1Mi', MI, 1n],
    ['1Ti', 1n << 40n, 1n],
    ['1Pi', 1n << 50n, 1n],
    ['1Ei', 1n << 60n, 1n],
    ['500m', 1n, 2n],
    ['1500m', 3n, 2n],
    ['250m', 1n, 4n],
    ['1n', 1n, 1_000_000_000n],
    ['1u', 1n, 1_000_000n],
    ['1m', 1n, 1000n],
    ['1k', 1000n, 1n],
    ['1M', 1_000_000n, 1n],
    ['1G', 1_000_000_000n, 1n],
    ['1T', 10n ** 12n, 1n],
    ['1P', 10n ** 15n, 1n],
    ['1E', 10n ** 18n, 1n], // "E" alone is the exa suffix, not an exponent
    ['1e3', 1000n, 1n],
    ['1E3', 1000n, 1n],
    ['1e+3', 1000n, 1n],
    ['1e-3', 1n, 1000n],
    ['12E-2', 3n, 25n],
    ['1.5e3', 1500n, 1n],
    ['1e0', 1n, 1n],
    ['.5', 1n, 2n],
    ['1.', 1n, 1n],
    ['-.5Gi', -(GI / 2n), 1n],
    ['0.1', 1n, 10n],
    ['-1.5', -3n, 2n],
    ['123456789012345678901234567890', 123456789012345678901234567890n, 1n],
    ['0.1n', 1n, 10_000_000_000n], // exact: not rounded up to 1n as the API server would
  ])('%s = %s/%s', (input, num, den) => {
    expect(val(input)).toEqual([num, den]);
  });

  test('surrounding whitespace is trimmed like Quantity.UnmarshalJSON (Go TrimSpace)', () => {
    expect(val(' 1Gi ')).toEqual([GI, 1n]);
    expect(val('\t2\n')).toEqual([2n, 1n]);
    expect(val('\u00a0500m\u3000')).toEqual([1n, 2n]);
    expect(q(' 1Gi ').text).toBe('1Gi');
  });

  test('text keeps what was written', () => {
    expect(q('1.5Gi').text).toBe('1.5Gi');
    expect(q('1536Mi').text).toBe('1536Mi');
    expect(q(0.5).text).toBe('0.5');
  });

  test('exponent limit', () => {
    expect(val(`1e${MAX_EXPONENT}`)).toEqual([10n ** BigInt(MAX_EXPONENT), 1n]);
    expect(val(`1e-${MAX_EXPONENT}`)).toEqual([1n, 10n ** BigInt(MAX_EXPONENT)]);
    expect(parseQuantity(`1e${MAX_EXPONENT + 1}`)).toBeNull();
    expect(parseQuantity('1e999999999999999999999')).toBeNull();
  });
});

describe('parseQuantity: numbers from YAML', () => {
  test.each<[unknown, bigint, bigint]>([
    [0.5, 1n, 2n],
    [2, 2n, 1n],
    [1e3, 1000n, 1n],
    [0, 0n, 1n],
    [-0, 0n, 1n],
    [-3, -3n, 1n],
    [0.1, 1n, 10n], // String(0.1) === "0.1": the YAML text, not the binary double
    [1e21, 10n ** 21n, 1n], // String(1e21) === "1e+21"
    [1e-7, 1n, 10_000_000n],
    [12345678901234567890n, 12345678901234567890n, 1n], // bigint from YAML intAsBigInt
  ])('%p', (input, num, den) => {
    expect(val(input)).toEqual([num, den]);
  });

  test('non-finite numbers and non-scalars are rejected', () => {
    for (const bad of [NaN, Infinity, -Infinity, null, undefined, true, false, {}, [], ['1'], { num: 1n }, () => 1, Symbol('x')]) {
      expect(parseQuantity(bad)).toBeNull();
    }
  });
});

describe('parseQuantity: invalid strings', () => {
  test.each([
    '',
    ' ',
    '1GB',
    '1 Gi',
    '1\u00a0Gi',
    'abc',
    '1.5.5',
    'Gi',
    'Mi',
    'k',
    '-',
    '+',
    '.',
    '-.',
    '+.Gi',
    '1K',
    '1ki',
    '1gi',
    '1mi',
    '1KiB',
    '1Gib',
    '1b',
    '1e',
    '1E+',
    '1e-',
    '1e3.5',
    '1Ee3',
    '1Mi3',
    '1Gi1',
    '1e3Gi',
    '0x10',
    '1_000',
    '1,5',
    '--1',
    '+-1',
    '1-',
    '\ufeff1', // Go's TrimSpace does not strip a BOM
    '\u0661', // ARABIC-INDIC DIGIT ONE
    'Infinity',
    'NaN',
    '1e1.5',
    '1i',
    '1Pi ' + 'x',
  ])('%p', (input) => {
    expect(parseQuantity(input)).toBeNull();
  });
});

describe('compareQuantity', () => {
  test.each<[string, string, -1 | 0 | 1]>([
    ['1Gi', '1024Mi', 0],
    ['1Gi', '1073741824', 0],
    ['500m', '0.5', 0],
    ['1.5', '1500m', 0],
    ['1G', '1Gi', -1],
    ['1Gi', '1G', 1],
    ['999m', '1', -1],
    ['-1', '0', -1],
    ['-1Gi', '-1G', -1],
    ['1e3', '1k', 0],
    ['1n', '0', 1],
    ['100Mi', '0.1Gi', -1], // 104857600 < 107374182.4
  ])('%s vs %s', (a, b, want) => {
    expect(compareQuantity(q(a), q(b))).toBe(want);
    expect(compareQuantity(q(b), q(a))).toBe(want === 0 ? 0 : -want);
    expect(quantityEquals(q(a), q(b))).toBe(want === 0);
  });
});

describe('ceilQuantity / floorQuantity', () => {
  test.each<[string, bigint, bigint]>([
    ['1500m', 2n, 1n],
    ['2', 2n, 2n],
    ['2000m', 2n, 2n],
    ['1n', 1n, 0n],
    ['0', 0n, 0n],
    ['-1.5', -1n, -2n],
    ['-1n', 0n, -1n],
    ['-2', -2n, -2n],
    ['1.5Gi', 1610612736n, 1610612736n],
    ['0.3Ki', 308n, 307n], // 307.2
  ])('%s -> ceil %s, floor %s', (input, c, f) => {
    expect(ceilQuantity(q(input))).toBe(c);
    expect(floorQuantity(q(input))).toBe(f);
  });

  test('does not throw on a malformed Quantity object', () => {
    expect(ceilQuantity({ num: 1n, den: 0n, text: '' })).toBe(0n);
  });
});

describe('quantityToNumber', () => {
  test.each<[string, number]>([
    ['1.5Gi', 1610612736],
    ['500m', 0.5],
    ['-250m', -0.25],
    ['1n', 1e-9],
    ['0', 0],
    ['1e300', 1e300],
    ['1e1000', Infinity],
    ['-1e1000', -Infinity],
    ['1e-1000', 0],
  ])('%s ~ %s', (input, want) => {
    expect(quantityToNumber(q(input))).toBe(want);
  });

  test('huge numerator and denominator still give a sensible ratio', () => {
    const big = q('1e999');
    const ratio: Quantity = { num: big.num * 3n, den: big.num * 2n, text: '' };
    expect(quantityToNumber(ratio)).toBeCloseTo(1.5, 12);
  });
});

describe('describeQuantity', () => {
  test.each<[string, string]>([
    ['1.5Gi', '1536Mi'],
    ['1024Mi', '1Gi'],
    ['1073741824', '1073741824'], // decimal input stays decimal
    ['0.5', '500m'],
    ['1.5', '1500m'],
    ['2000', '2k'],
    ['1500', '1500'],
    ['0', '0'],
    ['-1Gi', '-1Gi'],
    ['1e-10', '0.0000000001'],
    ['-25e-12', '-0.000000000025'],
    ['1e3', '1k'],
    ['0.5Ki', '512'],
    ['100m', '100m'],
    ['1E', '1E'],
  ])('%s -> %s', (input, want) => {
    expect(describeQuantity(q(input))).toBe(want);
  });

  test('explicit styles', () => {
    expect(describeQuantity(q('1073741824'), 'binary')).toBe('1Gi');
    expect(describeQuantity(q('1Gi'), 'decimal')).toBe('1073741824');
    expect(describeQuantity(q('1.5'), 'binary')).toBe('1500m');
  });
});

describe('makeQuantity / addQuantity', () => {
  test('makeQuantity reduces and renders', () => {
    expect(makeQuantity(2n, 4n)).toEqual({ num: 1n, den: 2n, text: '500m' });
    expect(makeQuantity(3n, -6n)).toEqual({ num: -1n, den: 2n, text: '-500m' });
    expect(makeQuantity(0n, 7n)).toEqual({ num: 0n, den: 1n, text: '0' });
    expect(makeQuantity(1n, 0n)).toBeNull();
  });

  test('addQuantity is exact', () => {
    expect(addQuantity(q('500m'), q('1.5'))).toEqual({ num: 2n, den: 1n, text: '2' });
    expect(addQuantity(q('512Mi'), q('0.5Gi'))).toEqual({ num: GI, den: 1n, text: '1Gi' });
    expect(addQuantity(q('1'), q('-1'))).toEqual({ num: 0n, den: 1n, text: '0' });
    expect(addQuantity(q('1n'), q('1u'))).toEqual({ num: 1001n, den: 1_000_000_000n, text: '1001n' });
  });
});

// ---------------------------------------------------------------------------
// Properties

const BINARY: ReadonlyArray<[string, bigint]> = [
  ['Ki', 1n << 10n],
  ['Mi', 1n << 20n],
  ['Gi', 1n << 30n],
  ['Ti', 1n << 40n],
  ['Pi', 1n << 50n],
  ['Ei', 1n << 60n],
];
const DECIMAL: ReadonlyArray<[string, number]> = [
  ['n', -9],
  ['u', -6],
  ['m', -3],
  ['', 0],
  ['k', 3],
  ['M', 6],
  ['G', 9],
  ['T', 12],
  ['P', 15],
  ['E', 18],
];

const isReduced = (r: Quantity): boolean => {
  let a = r.num < 0n ? -r.num : r.num;
  let b = r.den;
  while (b !== 0n) [a, b] = [b, a % b];
  return r.den > 0n && (r.num === 0n ? r.den === 1n : a === 1n);
};

const quantityChars = fc.constantFrom(...'0123456789.+-eEinumkKMGTPB xX'.split(''));

describe('properties', () => {
  test('never throws, on anything', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withBoxedValues: true, withMap: true, withSet: true }), (x) => {
        const r = parseQuantity(x);
        expect(r === null || isReduced(r)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  test('never throws on near-grammar strings; results are reduced with den > 0', () => {
    fc.assert(
      fc.property(fc.string({ unit: quantityChars, maxLength: 14 }), (s) => {
        const r = parseQuantity(s);
        if (r !== null) expect(isReduced(r)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  test('accepts exactly the k8s grammar (regex oracle)', () => {
    const grammar = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]?|[eE][+-]?[0-9]+)$/;
    fc.assert(
      fc.property(fc.string({ unit: quantityChars, maxLength: 10 }), (s) => {
        const t = s.trim();
        const exp = /[eE]([+-]?[0-9]+)$/.exec(t);
        const inRange = exp === null || /[0-9.]E$/.test(t) || Math.abs(Number(exp[1])) <= MAX_EXPONENT;
        expect(parseQuantity(s) !== null).toBe(grammar.test(t) && inRange);
      }),
      { numRuns: 5000 },
    );
  });

  test('integers parse to themselves (string, number and bigint input)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (n) => {
        expect(val(String(n))).toEqual([n, 1n]);
        expect(val(n)).toEqual([n, 1n]);
      }),
    );
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        expect(val(n)).toEqual([BigInt(n), 1n]);
      }),
    );
  });

  test('`${n}Ki` == n * 1024, and likewise for every binary suffix', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.constantFrom(...BINARY), (n, [suffix, mult]) => {
        expect(val(`${n}${suffix}`)).toEqual([n * mult, 1n]);
        expect(compareQuantity(q(`${n}${suffix}`), q(String(n * mult)))).toBe(0);
      }),
    );
  });

  test('decimal SI suffixes and exponents agree: `${n}k` == `${n}e3`', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.constantFrom(...DECIMAL), (n, [suffix, exp]) => {
        expect(compareQuantity(q(`${n}${suffix}`), q(`${n}e${exp}`))).toBe(0);
      }),
    );
  });

  test('a decimal point scales by the number of fraction digits', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: 1, maxLength: 8 }),
        fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: 0, maxLength: 8 }),
        fc.constantFrom('', 'm', 'k', 'Ki', 'Gi', 'e5', 'e-4'),
        (int, frac, suffix) => {
          const withPoint = q(`${int}.${frac}${suffix}`);
          const without = q(`${int}${frac}${suffix}`);
          const scale = 10n ** BigInt(frac.length);
          expect(withPoint.num * scale * without.den).toBe(without.num * withPoint.den);
        },
      ),
    );
  });

  test('sign flips the value', () => {
    fc.assert(
      fc.property(fc.string({ unit: quantityChars, maxLength: 10 }), (s) => {
        const pos = parseQuantity(s);
        if (pos === null || /^\s*[+-]/.test(s)) return;
        const neg = parseQuantity(`-${s.trimStart()}`);
        expect(neg).not.toBeNull();
        expect(neg?.num).toBe(-pos.num);
        expect(neg?.den).toBe(pos.den);
      }),
      { numRuns: 3000 },
    );
  });

  test('finite JS numbers parse to (approximately) themselves', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e200, max: 1e200 }).filter((x) => x === 0 || Math.abs(x) > 1e-200),
        (x) => {
          const r = q(x);
          const back = quantityToNumber(r);
          if (x === 0) expect(back).toBe(0);
          else expect(Math.abs(back - x) / Math.abs(x)).toBeLessThan(1e-15);
        },
      ),
    );
  });

  test('compareQuantity is a total order consistent with the exact value', () => {
    const arb = fc.tuple(fc.bigInt({ min: -1000n, max: 1000n }), fc.constantFrom('', 'm', 'k', 'Ki', 'u', 'e-1'));
    fc.assert(
      fc.property(arb, arb, arb, ([a, sa], [b, sb], [c, sc]) => {
        const [x, y, z] = [q(`${a}${sa}`), q(`${b}${sb}`), q(`${c}${sc}`)];
        expect(compareQuantity(x, y)).toBe(0 - compareQuantity(y, x)); // 0 - 0 is 0, not -0 (Object.is)
        expect(compareQuantity(x, x)).toBe(0);
        if (compareQuantity(x, y) <= 0 && compareQuantity(y, z) <= 0) expect(compareQuantity(x, z)).toBeLessThanOrEqual(0);
        const diff = addQuantity(x, { num: -y.num, den: y.den, text: '' });
        expect(compareQuantity(x, y)).toBe(diff.num === 0n ? 0 : diff.num > 0n ? 1 : -1);
      }),
    );
  });

  test('ceil/floor bracket the value and describeQuantity round-trips', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: -12, max: 12 }), fc.boolean(), (m, e, bin) => {
        const x = q(`${m}e${e}`);
        const c = ceilQuantity(x);
        const f = floorQuantity(x);
        expect(c * x.den >= x.num).toBe(true);
        expect((c - 1n) * x.den < x.num).toBe(true);
        expect(f * x.den <= x.num).toBe(true);
        expect((f + 1n) * x.den > x.num).toBe(true);
        const text = describeQuantity(x, bin ? 'binary' : 'decimal');
        expect(compareQuantity(q(text), x)).toBe(0);
      }),
    );
  });
});

describe('parseQuantityShared', () => {
  it('parses as parseQuantity does, once per string, and the shared quantity cannot be changed', () => {
    for (const v of ['100m', ' 1Gi ', '1e3', '0.5', '-2k', '', 'abc', '1 Gi', 2, 0.5, null, undefined, true]) {
      expect(parseQuantityShared(v)).toEqual(parseQuantity(v));
    }
    const a = parseQuantityShared('128Mi');
    expect(parseQuantityShared('128Mi')).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });
});
