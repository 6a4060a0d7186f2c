/** A stored result (src/engine/stored-result.ts): findings decoded when read, its digest and counts known without decoding. */
import { countsOf, digestOf, lazyResult, noteStored } from '../src/engine/stored-result';
import type { Finding } from '../src/engine/finding';

const finding = (severity: 'error' | 'warning' | 'info'): Finding =>
  ({
    kind: 'rule',
    ruleId: 'r',
    messageId: 'm',
    message: 'x',
    severity,
    range: { line: 1, column: 1, endLine: 1, endColumn: 2 },
  }) as Finding;

describe('stored results', () => {
  const head = { filePath: 'a.yaml', objectCount: 2, digest: 'D', counts: [1, 0, 0, 0] as [number, number, number, number] };

  test('digest and counts come from the head, without decoding; a spread copy or JSON has neither', () => {
    let decoded = 0;
    const r = lazyResult(head, () => {
      decoded++;
      return { findings: [finding('error')], suppressed: [] };
    });
    expect(digestOf(r)).toBe('D');
    expect(countsOf(r)).toEqual([1, 0, 0, 0]);
    expect(decoded).toBe(0);
    const copy = { ...r };
    expect(decoded).toBe(1);
    expect(digestOf(copy)).toBeUndefined();
    expect(JSON.parse(JSON.stringify(r))).toEqual({ filePath: 'a.yaml', findings: [finding('error')], suppressed: [], objectCount: 2 });
  });

  test('findings replaced: the stored digest and counts no longer hold; noted again, the new ones do', () => {
    const r = lazyResult(head, () => ({ findings: [finding('error')], suppressed: [] }));
    r.findings = [finding('warning'), finding('info')];
    expect(digestOf(r)).toBeUndefined();
    expect(countsOf(r)).toEqual([0, 1, 1, 0]);
    const { digest } = noteStored(r, Buffer.from('new bytes'));
    expect(digestOf(r)).toBe(digest);
    expect(digest).not.toBe('D');
    expect(countsOf(r)).toEqual([0, 1, 1, 0]);
  });
});
