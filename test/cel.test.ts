/**
 * The Kubernetes CEL environment (src/cel): the libraries with the results the
 * Kubernetes CEL documentation gives for its examples, RE2 semantics, the
 * property-name escaping, version gating and the evaluation budget. Cases are
 * written in the shape of the cel-spec conformance data: an expression, the
 * bindings, and the expected value or error.
 */
import { compileCel, escapeName, toCel } from '../src/cel/env';
import { subjectPath, unescapeName } from '../src/cel/paths';

const VARS = ['self', 'object'];

function run(expr: string, bindings: Record<string, unknown> = {}, minor = 33, budget?: { maxSteps: number; maxMillis: number }) {
  const c = compileCel(expr, minor, VARS);
  if (!c.ok) return { compileError: c.error, unsupported: c.unsupported };
  const r = c.program.evaluate({ self: null, object: null, ...bindings }, budget);
  return r.ok ? { value: r.value } : { error: r.error, budget: r.budget };
}

interface Case {
  expr: string;
  value?: unknown;
  error?: RegExp;
  bindings?: Record<string, unknown>;
  minor?: number;
}

const section = (name: string, cases: Case[]) =>
  describe(name, () => {
    test.each(cases.map((c) => [c.expr, c] as const))('%s', (_e, c) => {
      const got = run(c.expr, c.bindings ? Object.fromEntries(Object.entries(c.bindings).map(([k, v]) => [k, toCel(v)])) : {}, c.minor);
      if (c.error) {
        expect('error' in got || 'compileError' in got).toBe(true);
        expect(String((got as { error?: string; compileError?: string }).error ?? (got as { compileError?: string }).compileError)).toMatch(
          c.error,
        );
      } else {
        expect(got).toEqual({ value: c.value });
      }
    });
  });

section('lists', [
  { expr: '[1, 2, 3].indexOf(2) == 1', value: true },
  { expr: '[1, 2, 2, 3].lastIndexOf(2)', value: 2n },
  { expr: "['a', 'b'].indexOf('c')", value: -1n },
  { expr: '[1, 2, 3].sum()', value: 6n },
  { expr: '[1.5, 2.5].sum()', value: 4 },
  { expr: '[].sum()', value: 0n },
  { expr: '[3, 1, 2].min()', value: 1n },
  { expr: "['b', 'c', 'a'].max()", value: 'c' },
  { expr: '[1, 2, 3].isSorted()', value: true },
  { expr: '[1, 3, 2].isSorted()', value: false },
  { expr: '[].min()', error: /empty list/ },
]);

section('regex (RE2)', [
  { expr: "'abc 123'.find('[0-9]+')", value: '123' },
  { expr: "'abc'.find('[0-9]+')", value: '' },
  { expr: "'123 abc 456'.findAll('[0-9]+')", value: ['123', '456'] },
  { expr: "'123 abc 456'.findAll('[0-9]+', 1)", value: ['123'] },
  // RE2 syntax that JavaScript's RegExp reads differently
  { expr: "'web'.matches('\\\\Aweb\\\\z')", value: true },
  { expr: "'web\\n'.matches('\\\\Aweb\\\\z')", value: false },
  { expr: "'ab'.matches('(?i)AB')", value: true },
  // RE2 has no backreferences: a compile error of the pattern, at evaluation
  { expr: "'aa'.matches('(a)\\\\1')", error: /invalid regular expression|error/i },
  // the global form, matches(string, string), as gateway-api's safe-upgrades policy calls it on a dyn value
  { expr: "matches('v1.2.3', 'v1.[0-3].\\\\d+')", value: true },
  { expr: "matches('web\\n', '\\\\Aweb\\\\z')", value: false },
  {
    expr: "!matches(object.metadata.annotations['bundle-version'], 'v1.[0-3].\\\\d+')",
    bindings: { object: { metadata: { annotations: { 'bundle-version': 'v1.5.0' } } } },
    value: true,
  },
]);

section('url', [
  { expr: "url('https://example.com:80/').getHost()", value: 'example.com:80' },
  { expr: "url('https://example.com/path').getHostname()", value: 'example.com' },
  { expr: "url('https://[::1]:80/').getHostname()", value: '::1' },
  { expr: "url('https://example.com:80/').getPort()", value: '80' },
  { expr: "url('https://example.com/').getScheme()", value: 'https' },
  { expr: "url('https://example.com/path/with%20spaces/').getEscapedPath()", value: '/path/with%20spaces/' },
  { expr: "url('https://example.com/path?k1=a&k2=b&k2=c').getQuery()", value: { k1: ['a'], k2: ['b', 'c'] } },
  { expr: "isURL('https://example.com/')", value: true },
  { expr: "isURL('example.com')", value: false },
  { expr: "isURL('/absolute-path')", value: true },
]);

section('quantity', [
  { expr: "isQuantity('1.3G')", value: true },
  { expr: "isQuantity('1.3Gi')", value: true },
  { expr: "isQuantity('1,3G')", value: false },
  { expr: "quantity('1.3G').isInteger()", value: true },
  { expr: "quantity('1.3G').asInteger()", value: 1300000000n },
  { expr: "quantity('50k').asApproximateFloat()", value: 50000 },
  { expr: "quantity('-50k').sign()", value: -1n },
  { expr: "quantity('50k').add(quantity('20k')).compareTo(quantity('70k'))", value: 0n },
  { expr: "quantity('50k').sub(20000).compareTo(quantity('30k'))", value: 0n },
  { expr: "quantity('1Gi').isGreaterThan(quantity('500Mi'))", value: true },
  { expr: "quantity('200M').isLessThan(quantity('100M'))", value: false },
  { expr: "quantity('50m').asInteger()", error: /cannot convert/ },
  { expr: "quantity('1,3G')", error: /quantities must match/ },
]);

section('ip and cidr', [
  { expr: "isIP('127.0.0.1')", value: true },
  { expr: "isIP('1.2.3.04')", value: false },
  { expr: "isIP('::ffff:1.2.3.4')", value: false },
  { expr: "ip('127.0.0.1').family()", value: 4n },
  { expr: "ip('fe80::1').family()", value: 6n },
  { expr: "ip.isCanonical('127.0.0.1')", value: true },
  { expr: "ip.isCanonical('2001:db8::abcd')", value: true },
  { expr: "ip.isCanonical('2001:DB8::ABCD')", value: false },
  { expr: "ip.isCanonical('2001:db8:0:0:0:0:2:1')", value: false },
  { expr: "ip('0.0.0.0').isUnspecified()", value: true },
  { expr: "ip('127.0.0.1').isLoopback()", value: true },
  { expr: "ip('::1').isLoopback()", value: true },
  { expr: "ip('224.0.0.1').isLinkLocalMulticast()", value: true },
  { expr: "ip('169.254.169.254').isLinkLocalUnicast()", value: true },
  { expr: "ip('192.168.0.1').isGlobalUnicast()", value: true },
  { expr: "ip('255.255.255.255').isGlobalUnicast()", value: false },
  { expr: "isCIDR('192.168.0.0/16')", value: true },
  { expr: "isCIDR('192.168.0.0/33')", value: false },
  { expr: "cidr('192.168.0.0/24').containsIP(ip('192.168.0.1'))", value: true },
  { expr: "cidr('192.168.0.0/24').containsIP('192.168.1.1')", value: false },
  { expr: "cidr('192.168.0.0/24').containsCIDR(cidr('192.168.0.0/25'))", value: true },
  { expr: "cidr('192.168.0.0/24').containsCIDR('192.168.0.0/23')", value: false },
  { expr: "cidr('192.168.0.0/24').prefixLength()", value: 24n },
  { expr: "cidr('192.168.0.1/24').masked() == cidr('192.168.0.0/24')", value: true },
  { expr: "cidr('::1/128').ip() == ip('::1')", value: true },
]);

section('format', [
  { expr: "format.dns1123Label().validate('my-name').hasValue()", value: false },
  { expr: "format.dns1123Label().validate('My_Name').hasValue()", value: true },
  { expr: "format.dns1123Subdomain().validate('example.com').hasValue()", value: false },
  { expr: "format.dns1035Label().validate('1abc').hasValue()", value: true },
  { expr: "format.qualifiedName().validate('example.com/MyName').hasValue()", value: false },
  { expr: "format.labelValue().validate('').hasValue()", value: false },
  { expr: "format.uuid().validate('123e4567-e89b-12d3-a456-426614174000').hasValue()", value: false },
  { expr: "format.named('dns1123Label').hasValue()", value: true },
  { expr: "format.named('nope').hasValue()", value: false },
  { expr: "format.dns1123Label().validate('a'.format([]) + 'B').value().size() > 0", value: true },
]);

section('semver', [
  { expr: "isSemver('1.0.0')", value: true },
  { expr: "isSemver('v1.0')", value: false },
  { expr: "semver('1.2.3').major()", value: 1n },
  { expr: "semver('1.2.3').minor()", value: 2n },
  { expr: "semver('1.2.3').patch()", value: 3n },
  { expr: "semver('1.2.3').isLessThan(semver('1.10.0'))", value: true },
  { expr: "semver('1.0.0-alpha').isLessThan(semver('1.0.0-alpha.1'))", value: true },
  { expr: "semver('1.0.0-rc.1').isGreaterThan(semver('1.0.0-beta.11'))", value: true },
  { expr: "semver('2.0.0').compareTo(semver('2.0.0+build'))", value: 0n },
]);

section('sets', [
  { expr: 'sets.contains([1, 2, 3, 4], [2, 3])', value: true },
  { expr: 'sets.contains([1, 2], [3])', value: false },
  { expr: 'sets.contains([], [])', value: true },
  { expr: 'sets.equivalent([1, 2, 3], [3, 2, 1])', value: true },
  { expr: 'sets.equivalent([1, 2], [1, 2, 3])', value: false },
  { expr: 'sets.intersects([1, 2], [2, 3])', value: true },
  { expr: 'sets.intersects([1], [])', value: false },
]);

section('strings extension (v2)', [
  { expr: "'hello'.charAt(1)", value: 'e' },
  { expr: "'hello'.charAt(5)", value: '' },
  { expr: "'hello mellow'.indexOf('ello', 2)", value: 7n },
  { expr: "'hello mellow'.lastIndexOf('ello')", value: 7n },
  { expr: "['hello', 'mellow'].join(' ')", value: 'hello mellow' },
  { expr: "'TacoCat'.lowerAscii()", value: 'tacocat' },
  { expr: "'hello hello'.replace('he', 'we')", value: 'wello wello' },
  { expr: "'hello hello'.replace('he', 'we', 1)", value: 'wello hello' },
  { expr: "'hello hello'.split(' ')", value: ['hello', 'hello'] },
  { expr: "'tacocat'.substring(4)", value: 'cat' },
  { expr: "'  \\ttrim\\n    '.trim()", value: 'trim' },
  { expr: "'TacoCat'.upperAscii()", value: 'TACOCAT' },
  { expr: 'strings.quote(\'single-quote with "double quote"\')', value: '"single-quote with \\"double quote\\""' },
  { expr: "'%d apples and %s'.format([dyn(3), dyn('pears')])", value: '3 apples and pears' },
  { expr: "'%.3f'.format([2.5])", value: '2.500' },
]);

section('two-variable comprehensions (1.32)', [
  { expr: '[10, 20].all(i, v, v == (i + 1) * 10)', value: true },
  { expr: "{'a': 1, 'b': 2}.all(k, v, v > 0 && k.size() == 1)", value: true },
  { expr: "{'a': 1, 'b': 2}.exists(k, v, k == 'b' && v == 2)", value: true },
  { expr: "{'a': 1, 'b': 2}.exists(k, v, k == 'c')", value: false },
  { expr: '[1, 2, 2].existsOne(i, v, v == 2)', value: false },
  { expr: '[1, 2, 3].existsOne(i, v, v == 2)', value: true },
  { expr: '[1, 2, 3].transformList(i, v, i * v)', value: [0n, 2n, 6n] },
  { expr: '[1, 2, 3].transformList(i, v, i > 0, v * 10)', value: [20n, 30n] },
  { expr: "{'a': 1, 'b': 2}.transformMap(k, v, v + 1)['b']", value: 3n },
  { expr: "{'a': 1, 'b': 2}.transformMap(k, v, v > 1, v)['a']", error: /key|a/ },
  // an error is absorbed when another element decides, as for the one-variable macros
  { expr: '[0, 1].all(i, v, 10 / v > 0)', error: /division|zero/i },
  { expr: '[0, 1].exists(i, v, 10 / v > 0)', value: true },
  { expr: '[0, 1].all(i, v, v == 0 && 10 / v > 0)', value: false },
  { expr: 'self.all(k, v, v >= 0)', value: false, bindings: { self: { a: 1, b: -1 } } },
]);

section('lists extension v3 (1.34)', [
  { expr: '[1, 2, 3, 4].slice(1, 3)', value: [2n, 3n], minor: 34 },
  { expr: '[1, 2].slice(2, 1)', error: /start index/, minor: 34 },
  { expr: 'self.flatten()', value: [1n, 2n, [3n]], minor: 34, bindings: { self: [[1], [2, [3]]] } },
  { expr: 'self.flatten(2)', value: [1n, 2n, 3n], minor: 34, bindings: { self: [[1], [2, [3]]] } },
  { expr: '[1, 2, 2, 1, 3].distinct()', value: [1n, 2n, 3n], minor: 34 },
  { expr: '[1, 2, 3].reverse()', value: [3n, 2n, 1n], minor: 34 },
  { expr: "['b', 'c', 'a'].sort()", value: ['a', 'b', 'c'], minor: 34 },
  { expr: 'lists.range(3)', value: [0n, 1n, 2n], minor: 34 },
]);

section('has() on an indexed operand (cel-go accepts it)', [
  { expr: 'has(self[0].a)', value: true, bindings: { self: [{ a: 1 }] } },
  { expr: 'has(self[0].b)', value: false, bindings: { self: [{ a: 1 }] } },
  { expr: "has(self['x'].a) && !has(self.x.b)", value: true, bindings: { self: { x: { a: 1 } } } },
  { expr: "size(self) > 1 && has(self[1].a) ? 'has(x.y)' : 'no'", value: 'no', bindings: { self: [{ a: 1 }] } },
  { expr: 'has(self.a)', value: true, bindings: { self: { a: 1 } } },
  { expr: 'has(self[0].a)', error: /invalid has\(\) argument/, bindings: { self: [1] } },
]);

section('a leading dot on an identifier or global call (cel-go resolves it from the root scope)', [
  { expr: ".self.group != 'core' || .self.kind == 'Secret'", value: true, bindings: { self: { group: 'core', kind: 'Secret' } } },
  { expr: ".self.group != 'core' || .self.kind == 'Secret'", value: false, bindings: { self: { group: 'core', kind: 'Pod' } } },
  { expr: "(.self.kind in ['A', 'B']) && 'A' in .self.all", value: true, bindings: { self: { kind: 'A', all: ['A'] } } },
  { expr: '.size(.self.items) == 2 && !.self.off', value: true, bindings: { self: { items: [1, 2], off: false } } },
  { expr: ".self.name.startsWith('.x') && '.a'.size() == 2", value: true, bindings: { self: { name: '.x.y' } } },
  { expr: '.self . name == "n"', value: true, bindings: { self: { name: 'n' } } },
  { expr: 'has(.self[0].a)', value: true, bindings: { self: [{ a: 1 }] } },
  { expr: '.nope == 1', error: /nope/ },
  { expr: 'self..x == 1', error: /DOT/ },
]);

section('optionals and cross-type numbers', [
  { expr: "{'a': 1}.?b.orValue(5)", value: 5n },
  { expr: 'optional.of(1).hasValue()', value: true },
  { expr: 'self.?spec.?replicas.orValue(1)', value: 1n, bindings: { self: { spec: {} } } },
  { expr: '1 < 1.5', value: true },
  { expr: 'self.x == 1.0', value: true, bindings: { self: { x: 1 } } },
]);

describe('property-name escaping', () => {
  test('escapes as the API server does', () => {
    expect(escapeName('foo')).toBeUndefined();
    expect(escapeName('a-b')).toBe('a__dash__b');
    expect(escapeName('a.b')).toBe('a__dot__b');
    expect(escapeName('a/b')).toBe('a__slash__b');
    expect(escapeName('a__b')).toBe('a__underscores__b');
    expect(escapeName('namespace')).toBe('__namespace__');
    expect(escapeName('a b')).toBeUndefined(); // not accessible as a field
    for (const n of ['a-b', 'a.b', 'a/b', 'a__b', 'namespace']) expect(unescapeName(escapeName(n)!)).toBe(n);
  });
  test('escaped names read the field; iteration and size() see the real keys', () => {
    const self = toCel({ 'x-y': 1, namespace: 'n', 'a.b': true });
    expect(run('self.x__dash__y == 1 && self.__namespace__ == "n" && self.a__dot__b', { self })).toEqual({ value: true });
    expect(run('size(self)', { self })).toEqual({ value: 3n });
    expect(run("self.all(k, k in ['x-y', 'namespace', 'a.b'])", { self })).toEqual({ value: true });
  });
});

describe('version gating (environment/base.go)', () => {
  const cases: [string, number, RegExp][] = [
    ["quantity('1').isInteger()", 28, /quantity library is available from Kubernetes 1.28, and the target is 1.27/],
    ["'a'.charAt(0) == 'a'", 29, /strings library is available from Kubernetes 1.29/],
    ['sets.contains([1], [1])', 29, /sets library is available from Kubernetes 1.29/],
    ["isIP('1.2.3.4')", 30, /ip library is available from Kubernetes 1.30/],
    ["cidr('10.0.0.0/8').prefixLength() == 8", 30, /cidr library is available from Kubernetes 1.30/],
    ["!format.dns1123Label().validate('a').hasValue()", 31, /available from Kubernetes 1.31/],
    ["isSemver('1.0.0')", 33, /semver library is available from Kubernetes 1.33/],
    ['[1, 2].all(i, v, v > i)', 32, /two-variable comprehensions are available from Kubernetes 1.32, and the target is 1.31/],
    ['[1, 2, 3].slice(0, 2) == [1, 2]', 34, /the lists extension v3 library is available from Kubernetes 1.34, and the target is 1.33/],
    ["{'a': 1}.?a.orValue(0) == 1", 28, /optional types are available from Kubernetes 1.28/],
  ];
  test.each(cases)('%s: from 1.%i', (expr, since, message) => {
    const before = compileCel(expr, since - 1, VARS);
    expect(before.ok).toBe(false);
    if (!before.ok) {
      expect(before.error).toMatch(message);
      expect(before.unsupported).toBeFalsy();
    }
    const at = run(expr, {}, since);
    expect(at).toEqual({ value: true });
  });
  test('the libraries of every version evaluate the same core language', () => {
    expect(run("[1, 2].all(x, x > 0) && 'abc'.matches('^a')", {}, 25)).toEqual({ value: true });
  });
  test('features k8s-gold lacks are reported as unsupported, not as invalid', () => {
    const two = compileCel("self.transformMapEntry(k, v, {k + 'x': v}) == {}", 33, VARS);
    expect(two.ok).toBe(false);
    if (!two.ok) expect(two.unsupported).toBe(true);
    const twoOld = compileCel('self.all(k, v, v > 0)', 31, VARS);
    expect(twoOld.ok || !!twoOld.unsupported).toBe(false);
    const sortBy = compileCel('[2, 1].sortBy(x, x) == [1, 2]', 34, VARS);
    expect(sortBy.ok).toBe(false);
    if (!sortBy.ok) expect(sortBy.unsupported).toBe(true);
    const typo = compileCel('self.spec.replicas <== 1', 33, VARS);
    expect(typo.ok).toBe(false);
    if (!typo.ok) expect(typo.unsupported).toBeFalsy();
  });
});

describe('evaluation budget: a hostile expression ends with an error, quickly', () => {
  const ten = '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]';
  test('nested comprehensions (10^8 iterations)', () => {
    const expr = `${ten}.all(a, ${ten}.all(b, ${ten}.all(c, ${ten}.all(d, ${ten}.all(e, ${ten}.all(f, ${ten}.all(g, ${ten}.all(h, a + b + c + d + e + f + g + h >= 0))))))))`;
    const t = performance.now();
    const r = run(expr);
    expect(performance.now() - t).toBeLessThan(5000);
    expect(r).toEqual({ error: 'evaluation exceeded the cost budget of 1000000 steps and was stopped', budget: true });
  });
  test('error-absorbing exists() does not swallow the budget', () => {
    const expr = `${ten}.exists(a, ${ten}.exists(b, ${ten}.exists(c, ${ten}.exists(d, ${ten}.exists(e, ${ten}.exists(f, ${ten}.exists(g, a + b + c + d + e + f + g < 0)))))))`;
    expect(run(expr)).toMatchObject({ budget: true });
  });
  test('a huge list built by map()', () => {
    const big = Array.from({ length: 2000 }, (_, i) => i);
    const expr = 'self.map(x, self.map(y, x * y)).size() > 0';
    expect(run(expr, { self: toCel(big) })).toMatchObject({ budget: true });
  });
  test('the budget is deterministic: the same steps stop the same expression', () => {
    const expr = `${ten}.all(a, ${ten}.all(b, ${ten}.all(c, a + b + c >= 0)))`;
    expect(run(expr, {}, 33, { maxSteps: 100_000, maxMillis: 10_000 })).toEqual({ value: true });
    expect(run(expr, {}, 33, { maxSteps: 1000, maxMillis: 10_000 })).toMatchObject({ budget: true });
  });
  test('catastrophic backtracking under JS semantics is linear under RE2', () => {
    const t = performance.now();
    expect(run(`'${'a'.repeat(5000)}!'.matches('^(a+)+$')`)).toEqual({ value: false });
    expect(run(`'${'a'.repeat(5000)}!'.matches('^(a|aa)*$')`)).toEqual({ value: false });
    expect(performance.now() - t).toBeLessThan(2000);
  });
  test('the budget ends with the evaluation: the next one runs normally', () => {
    expect(run(`${ten}.all(a, ${ten}.all(b, a + b >= 0))`, {}, 33, { maxSteps: 10, maxMillis: 1000 })).toMatchObject({ budget: true });
    expect(run(`${ten}.all(a, ${ten}.all(b, a + b >= 0))`)).toEqual({ value: true });
  });
});

describe('subject paths', () => {
  const object = toCel({
    spec: {
      replicas: 5,
      template: {
        spec: {
          containers: [
            { name: 'a', image: 'ok/a' },
            { name: 'b', image: 'bad/b' },
          ],
        },
      },
    },
    metadata: { labels: { 'app-name': 'x' } },
  });
  const ctx = { minor: 33, variables: VARS, bindings: { object, self: null } };
  test.each([
    ['object.spec.replicas <= 3', ['spec', 'replicas']],
    ['has(object.spec.replicas) && object.spec.replicas <= 3', ['spec', 'replicas']],
    ["object.spec.replicas <= 9 && object.metadata.labels['app-name'] == 'y'", ['metadata', 'labels', 'app-name']],
    ["object.spec.template.spec.containers.all(c, c.image.startsWith('ok/'))", ['spec', 'template', 'spec', 'containers', 1, 'image']],
    [
      "!has(object.spec.paused) || object.spec.template.spec.containers.all(c, c.name == 'a')",
      ['spec', 'template', 'spec', 'containers', 1, 'name'],
    ],
    ["object.metadata.labels.all(k, k.startsWith('team'))", ['metadata', 'labels', 'app-name']],
    ['object.metadata.labels.app__dash__name == "y"', ['metadata', 'labels', 'app-name']],
    ['1 == 2', undefined],
  ])('%s → %j', (expr, want) => {
    expect(subjectPath(expr as string, 'object', ctx)).toEqual(want);
  });
  test('variables that are plain chains are followed into the object', () => {
    const containers = (object as { spec: { template: { spec: { containers: unknown } } } }).spec.template.spec.containers;
    const vctx = {
      minor: 33,
      variables: [...VARS, 'variables'],
      bindings: { object, self: null, variables: { containers } },
      variableExpressions: { containers: 'object.spec.template.spec.containers' },
    };
    expect(subjectPath("variables.containers.all(c, c.image.startsWith('ok/'))", 'object', vctx)).toEqual([
      'spec',
      'template',
      'spec',
      'containers',
      1,
      'image',
    ]);
  });
});
