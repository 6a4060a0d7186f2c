/** The core Finding and ESLint's LintMessage made from it at the edge. */
import { fileFindings, fromLintMessage, toLintMessage, toLintResult, type Finding } from '../src/engine/finding';
import { findingKind, internalErrorOf, messageIdOf, type LintResult } from '../src/engine/result';

const range = { line: 3, column: 5, endLine: 3, endColumn: 9 };

test('toLintMessage keeps the field order the JSON output has always had, and the facts beside the message', () => {
  const f: Finding = {
    kind: 'rule',
    ruleId: 'image-tag',
    messageId: 'latest',
    message: 'm',
    severity: 'warning',
    range,
    path: '/spec/containers/0/image',
    exact: true,
    fix: { range: [1, 2], text: 'x' },
    object: { apiVersion: 'v1', kind: 'Pod', name: 'p', document: 0 },
  };
  const m = toLintMessage(f);
  expect(Object.keys(m)).toEqual([
    'ruleId',
    'severity',
    'level',
    'message',
    'line',
    'column',
    'endLine',
    'endColumn',
    'nodeType',
    'path',
    'exact',
    'fix',
    'object',
  ]);
  expect([m.severity, m.level, m.fatal]).toEqual([1, 'warning', undefined]);
  expect(messageIdOf(m)).toBe('latest');
  expect(findingKind(m)).toBe('rule');
  expect(fromLintMessage(m)).toEqual(f);
});

test('not-linted and internal-error findings are fatal messages; the kind survives the round trip', () => {
  const notLinted: Finding = { kind: 'not-linted', ruleId: 'yaml-syntax', messageId: 'syntax', message: 'bad', severity: 'error', range };
  const m = toLintMessage(notLinted);
  expect([m.severity, m.fatal, findingKind(m)]).toEqual([2, true, 'rule']);
  expect(fromLintMessage(m)).toEqual(notLinted);

  const crash: Finding = {
    kind: 'internal-error',
    ruleId: 'host-path',
    message: 'internal error: boom',
    severity: 'error',
    range,
    internalError: 'f.yaml: boom',
  };
  const c = toLintMessage(crash);
  expect([c.fatal, findingKind(c), internalErrorOf(c)]).toEqual([true, 'internal-error', 'f.yaml: boom']);
  expect(fromLintMessage(c)).toEqual(crash);
});

test('a rendered position is a related location; a file groups its findings and suppressed findings', () => {
  const f: Finding = {
    kind: 'rule',
    ruleId: 'image-tag',
    message: 'm',
    severity: 'info',
    range,
    related: [{ file: 'c[helm template]', range: { line: 40, column: 1, endLine: 40, endColumn: 2 }, role: 'rendered' }],
    suppressions: [{ kind: 'inSource', justification: 'why', source: 'comment' }],
  };
  const m = toLintMessage(f);
  expect(m.rendered).toEqual({ file: 'c[helm template]', line: 40, column: 1, endLine: 40, endColumn: 2 });
  const r: LintResult = {
    filePath: 'c/templates/d.yaml',
    messages: [],
    suppressedMessages: [m],
    errorCount: 0,
    warningCount: 0,
    infoCount: 0,
    fatalErrorCount: 0,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
    usedDeprecatedRules: [],
    objectCount: 2,
    skipped: 'x',
  };
  expect(fileFindings(r)).toEqual({ filePath: 'c/templates/d.yaml', findings: [], suppressed: [f], objectCount: 2, skipped: 'x' });
});

test("the suppression stage's own findings keep their JSON field order (position first), and their message id", () => {
  const f: Finding = {
    kind: 'rule',
    ruleId: 'unused-suppression',
    messageId: 'unusedOnLine',
    message: 'unused',
    severity: 'info',
    range,
    path: '/metadata',
  };
  const m = toLintMessage(f);
  expect(Object.keys(m)).toEqual(['line', 'column', 'endLine', 'endColumn', 'nodeType', 'severity', 'level', 'path', 'ruleId', 'message']);
  expect([m.severity, m.level, messageIdOf(m)]).toEqual([1, 'info', 'unusedOnLine']);
  expect(fromLintMessage(m)).toEqual(f);
  // any other rule's finding has the usual order
  expect(Object.keys(toLintMessage({ ...f, ruleId: 'image-tag' }))[0]).toBe('ruleId');
});

test("toLintResult sorts and counts a file's findings, in the JSON output's field order", () => {
  const at = (line: number, column: number) => ({ line, column, endLine: line, endColumn: column + 1 });
  const err: Finding = {
    kind: 'rule',
    ruleId: 'b-rule',
    message: 'e',
    severity: 'error',
    range: at(5, 1),
    fix: { range: [0, 1], text: 'x' },
  };
  const warn: Finding = {
    kind: 'rule',
    ruleId: 'a-rule',
    message: 'w',
    severity: 'warning',
    range: at(5, 1),
    fix: { range: [2, 3], text: 'y' },
  };
  const info: Finding = { kind: 'rule', ruleId: 'c-rule', message: 'i', severity: 'info', range: at(2, 7) };
  const fatal: Finding = { kind: 'not-linted', ruleId: 'yaml-syntax', message: 's', severity: 'error', range: at(9, 1) };
  const sup: Finding = { ...info, suppressions: [{ kind: 'inSource', justification: 'why', source: 'comment' }] };
  const r = toLintResult({
    filePath: 'a.yaml',
    findings: [fatal, err, warn, info],
    suppressed: [sup],
    objectCount: 3,
    skipped: 'not-a-manifest',
  });
  expect(Object.keys(r)).toEqual([
    'filePath',
    'messages',
    'suppressedMessages',
    'errorCount',
    'warningCount',
    'infoCount',
    'fatalErrorCount',
    'fixableErrorCount',
    'fixableWarningCount',
    'usedDeprecatedRules',
    'objectCount',
    'skipped',
  ]);
  expect(r.messages.map((m) => m.ruleId)).toEqual(['c-rule', 'a-rule', 'b-rule', 'yaml-syntax']);
  expect([r.errorCount, r.warningCount, r.infoCount, r.fatalErrorCount, r.fixableErrorCount, r.fixableWarningCount]).toEqual([
    2, 1, 1, 1, 1, 1,
  ]);
  expect(fileFindings(r)).toEqual({
    filePath: 'a.yaml',
    findings: [info, warn, err, fatal],
    suppressed: [sup],
    objectCount: 3,
    skipped: 'not-a-manifest',
  });
  expect(Object.keys(toLintResult({ filePath: 'b.yaml', findings: [], suppressed: [], objectCount: 0 }))).not.toContain('skipped');
});

test('fromLintMessage gives back the Finding a message was made from while the message still says the same, else converts afresh', () => {
  const f: Finding = {
    kind: 'rule',
    ruleId: 'image-tag',
    messageId: 'latest',
    message: 'm',
    severity: 'warning',
    range: { ...range },
    path: '/spec/containers/0/image',
    object: { apiVersion: 'v1', kind: 'Pod', name: 'p', document: 0 },
  };
  const m = toLintMessage(f);
  expect(fromLintMessage(m)).toBe(f);
  // a message moved after it was made (as the render remap may): a new Finding at the new place, the id kept
  m.line = 7;
  const moved = fromLintMessage(m);
  expect(moved).not.toBe(f);
  expect(moved).toEqual({ ...f, range: { ...range, line: 7 } });
  expect(messageIdOf(m)).toBe('latest');
  // a Finding changed after its message was made no longer stands for the message
  const g: Finding = { kind: 'rule', ruleId: 'host-path', message: 'a', severity: 'error', range: { ...range } };
  const gm = toLintMessage(g);
  g.message = 'b';
  expect(fromLintMessage(gm)).toEqual({ kind: 'rule', ruleId: 'host-path', message: 'a', severity: 'error', range });
  // an empty suggestion list is not in the message, so the Finding made back has none
  const h: Finding = { kind: 'rule', ruleId: 'x', message: 'h', severity: 'info', range, suggestions: [] };
  expect(fromLintMessage(toLintMessage(h))).toEqual({ kind: 'rule', ruleId: 'x', message: 'h', severity: 'info', range });
});
