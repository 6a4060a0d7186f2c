import { compileCel, toCel } from '../../src/cel/env';
const vars = ['object', 'self'];
function ev(e: string, minor = 33, v: Record<string, unknown> = {}) { const c = compileCel(e, minor, vars); if (!c.ok) return 'COMPILE ' + c.error; const r = c.program.evaluate({ object: null, self: null, ...v }); return r.ok ? r.value : 'ERR ' + r.error; }
test('try', () => {
  const out: string[] = [];
  for (const e of ["'web'.matches('\\\\Aweb\\\\z')", "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.matches('^(a+)+$')", "'abc 123 def 456'.findAll('[0-9]+')", "'abc 123'.find('[0-9]+')", "quantity('1Gi').isGreaterThan(quantity('500Mi'))", "quantity('1.5').isInteger()", "quantity('1k').asInteger()", "quantity('1').add(2).compareTo(quantity('3'))",
    "url('https://example.com:8443/a/b?x=1&x=2').getHost()", "url('https://[::1]:80/').getHostname()", "url('https://example.com:8443/a?x=1&x=2').getQuery()", "isURL('foo')",
    "ip('10.0.0.1').family()", "ip('::1').isLoopback()", "cidr('10.0.0.0/8').containsIP('10.1.2.3')", "cidr('10.0.0.0/8').containsIP(ip('11.1.2.3'))", "cidr('192.168.1.5/24').masked() == cidr('192.168.1.0/24')", "ip.isCanonical('2001:db8::1')", "ip.isCanonical('2001:DB8::1')", "ip('2001:db8:0:0:1:0:0:1').string()", "isIP('1.2.3.04')",
    "format.dns1123Label().validate('Foo')", "format.dns1123Label().validate('foo').hasValue()", "format.named('uuid').hasValue()",
    "semver('1.2.3').isLessThan(semver('1.10.0'))", "semver('1.0.0-alpha').isLessThan(semver('1.0.0'))", "isSemver('1.2')",
    "sets.contains([1,2,3], [2])", "sets.intersects(['a'], ['b'])", "'hello'.charAt(1)", "'a.b.c'.replace('.', '-')", "strings.quote('a\"b')", "'%s=%d'.format(['a', 1])", "'%.2f'.format([1.5])",
    "[1,2,3].sum()", "[3,1].min()", "[1,2,2].isSorted()", "['a','b'].indexOf('b')",
    "{'a': 1}.?b.orValue(5)", "object.a__dash__b", "object.__namespace__", "[1,2].all(x, [1,2].all(y, x < 10))",
    "[0,1,2,3,4,5,6,7,8,9].all(a, [0,1,2,3,4,5,6,7,8,9].all(b, [0,1,2,3,4,5,6,7,8,9].all(c, [0,1,2,3,4,5,6,7,8,9].all(d, [0,1,2,3,4,5,6,7,8,9].all(e, [0,1,2,3,4,5,6,7,8,9].all(f, [0,1,2,3,4,5,6,7,8,9].all(g, a+b+c+d+e+f+g >= 0)))))))",
    "object.x.all(k, v, v > 0)", "[1].slice(0,1)",
  ]) { const t = Date.now(); out.push(`${e.slice(0, 80)} => ${String((() => { try { const r = ev(e, 33, { object: toCel({ 'a-b': 5, namespace: 'ns', x: { a: 1 } }) }); return typeof r === 'object' && r !== null ? JSON.stringify(r, (_k, v) => typeof v === 'bigint' ? v.toString() + 'n' : v) : r; } catch (x) { return 'THROW ' + (x as Error).message; } })())} (${Date.now() - t}ms)`); }
  out.push('gated quantity@27: ' + String(ev("quantity('1').isInteger()", 27)));
  out.push('gated sets@28: ' + String(ev("sets.contains([1],[1])", 28)));
  out.push('gated optional@27: ' + String(ev("{'a':1}.?a.orValue(1) == 1", 27)));
  out.push('gated semver@32: ' + String(ev("isSemver('1.0.0')", 32)));
  console.log(out.join('\n'));
});
