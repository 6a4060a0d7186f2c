/**
 * formatMessage splits a template at its placeholders once and fills it per finding: the output must be
 * what the one-regex replacement gives (`{{ name }}` → String(data[name]), a placeholder without data kept
 * as written), for any template and data, including templates past the size of the split cache.
 */
import fc from 'fast-check';
import { formatMessage } from '../src/engine/rule';

type Data = Record<string, string | number | boolean | undefined>;

/** The reference: the replacement formatMessage did before templates were split and kept. */
function reference(template: string, data: Data | undefined): string {
  if (!data) return template;
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, k: string) => (data[k] === undefined ? m : String(data[k])));
}

describe('formatMessage', () => {
  test('fills placeholders, keeps the ones without data, leaves the rest of the text alone', () => {
    const data: Data = { a: 'x', n: 0, b: false, u: undefined, s: '{{a}}', dollar: '$& $1' };
    expect(formatMessage('{{a}} and {{ a }} and {{\ta\n}}', data)).toBe('x and x and x');
    expect(formatMessage('{{n}}/{{b}}/{{u}}/{{missing}}', data)).toBe('0/false/{{u}}/{{missing}}');
    // a value is not itself a template, and replacement patterns in values are literal
    expect(formatMessage('<{{s}}> <{{dollar}}>', data)).toBe('<{{a}}> <$& $1>');
    expect(formatMessage('{{a}}{{a}}', data)).toBe('xx');
    expect(formatMessage('{a} {{}} {{a-b}} {{{a}}}', data)).toBe('{a} {{}} {{a-b}} {x}');
    expect(formatMessage('no placeholders', data)).toBe('no placeholders');
    expect(formatMessage('{{a}}', undefined)).toBe('{{a}}');
    expect(formatMessage('', data)).toBe('');
  });

  test('the same template twice, with other data, gives each its own text', () => {
    const t = '{{who}} runs as {{uid}}';
    expect(formatMessage(t, { who: 'a', uid: 1 })).toBe('a runs as 1');
    expect(formatMessage(t, { who: 'b' })).toBe('b runs as {{uid}}');
  });

  test('matches the regex replacement on generated templates and data', () => {
    const piece = fc.oneof(
      fc.string(),
      fc.constantFrom('{{', '}}', '{', '}', ' ', '\t', 'a', 'b', 'k1', '_', '-', '$&', '{{a}}', '{{ b }}', '{{k1}}', '{{c}}'),
    );
    const template = fc.array(piece, { maxLength: 12 }).map((xs) => xs.join(''));
    const value = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(undefined));
    const data = fc.option(fc.record({ a: value, b: value, k1: value, _: value }, { requiredKeys: [] }), { nil: undefined });
    fc.assert(
      fc.property(template, data, (t, d) => {
        expect(formatMessage(t, d)).toBe(reference(t, d));
        // a second time, from the kept split
        expect(formatMessage(t, d)).toBe(reference(t, d));
      }),
      { numRuns: 2000 },
    );
  });

  test('templates past the cache size are still formatted right', () => {
    for (let i = 0; i < 5000; i++) {
      const t = `#${i} {{a}} {{ b }} {{c}}`;
      expect(formatMessage(t, { a: i, b: 'y' })).toBe(`#${i} ${i} y {{c}}`);
    }
    expect(formatMessage('#1 {{a}} {{ b }} {{c}}', { a: 'z' })).toBe('#1 z {{ b }} {{c}}');
  });
});
