/**
 * The suppression stage is a pure function of one file's Findings, text and annotations, in the shape of
 * ESLint's apply-disable-directives: it splits the findings into reported and suppressed, and adds the
 * directive findings (suppression-reason, unused-suppression). Each case below is one of ESLint's.
 */
import { loadSource } from '../src/engine/load';
import { applySuppressions, type SuppressionInput } from '../src/engine/suppress';
import type { Finding } from '../src/engine/finding';
import type { SeverityOrOff } from '../src/engine/rule';

const TEXT = `apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    ignore.k8s-gold.dev/host-path: ""
spec:
  containers:
    - name: web
      image: nginx # k8s-gold-ignore image-tag -- pinned by the build
`;

const RULES = ['image-tag', 'image-pull-policy', 'host-path', 'privileged', 'vap', 'suppression-reason', 'unused-suppression'];

function finding(ruleId: string, line: number, column = 1, more: Partial<Finding> = {}): Finding {
  return {
    kind: 'rule',
    ruleId,
    messageId: 'm',
    message: `${ruleId} here`,
    severity: 'warning',
    range: { line, column, endLine: line, endColumn: column + 3 },
    ...more,
  };
}

/** Runs the stage over a text with the given findings (no objects unless the text has some). */
function run(
  text: string,
  findings: Finding[],
  opts: Partial<SuppressionInput> & { severity?: (id: string) => SeverityOrOff | undefined } = {},
) {
  const l = loadSource('m.yaml', '/tmp/m.yaml', text, 'default');
  return applySuppressions({
    source: l.file.parse.source,
    objects: l.objects,
    findings: findings.map((f) => ({ finding: f })),
    // the registry knows instance ids of the policies it has read (vap/<policy>)
    isRule: (id) => RULES.includes(id) || id.startsWith('vap/'),
    groupOf: (id) => id.split('/')[0]!,
    fileSeverity: opts.severity ?? (() => 'warning'),
    objectSeverity: () => 'warning',
    ...opts,
  });
}

/** [ruleId, messageId, line, column] of the directive findings. */
const directives = (fs: Finding[]) =>
  fs
    .filter((f) => f.ruleId === 'suppression-reason' || f.ruleId === 'unused-suppression')
    .map((f) => [f.ruleId, f.messageId, f.range.line, f.range.column]);

test('splits findings into reported and suppressed, emits reason and unused findings, and changes no input', () => {
  const l = loadSource('m.yaml', '/tmp/m.yaml', TEXT, 'default');
  const obj = l.objects[0]!;
  const tag = finding('image-tag', 10, 7, { message: 'moving tag' });
  const other = finding('image-pull-policy', 10, 7, { message: 'pull policy' });
  const frozen = JSON.stringify([tag, other]);
  const out = applySuppressions({
    source: l.file.parse.source,
    objects: l.objects,
    findings: [
      { finding: tag, obj, objPath: ['spec', 'containers', 0, 'image'] },
      { finding: other, obj },
    ],
    isRule: (id) => RULES.includes(id),
    fileSeverity: (id) => (id === 'unused-suppression' ? 'info' : 'warning'),
    objectSeverity: () => 'warning',
  });
  expect(out.suppressed).toEqual([
    { ...tag, suppressions: [{ kind: 'inSource', justification: 'pinned by the build', source: 'comment' }] },
  ]);
  expect(out.findings.map((f) => [f.ruleId, f.severity, f.range.line, f.message])).toEqual([
    ['image-pull-policy', 'warning', 10, 'pull policy'],
    [
      'suppression-reason',
      'warning',
      6,
      'annotation ignore.k8s-gold.dev/host-path gives no reason; set its value to the reason (optionally "containers=<names> -- <reason>")',
    ],
    ['unused-suppression', 'info', 6, 'unused suppression: Pod/web has no host-path finding'],
  ]);
  // the annotation findings point at the annotation key, with its JSON path
  expect(out.findings[1]).toMatchObject({
    kind: 'rule',
    messageId: 'annotation',
    path: '/metadata/annotations/ignore.k8s-gold.dev~1host-path',
    range: { line: 6, column: 5 },
  });
  expect(JSON.stringify([tag, other])).toBe(frozen);
  // a second run over the same input gives the same answer (nothing is carried over)
  const again = applySuppressions({
    source: l.file.parse.source,
    objects: l.objects,
    findings: [{ finding: tag, obj }],
    isRule: () => true,
    fileSeverity: () => 'warning',
    objectSeverity: () => 'off',
  });
  expect(again.suppressed.length).toBe(1);
  expect(again.findings.map((f) => f.ruleId)).toEqual(['suppression-reason']);
});

describe('as ESLint applies disable directives', () => {
  test('a comment alone on its line covers the next line with content (disable-next-line), skipping blank and comment lines', () => {
    const text = 'a: 1\n# k8s-gold-ignore image-tag -- why\n\n# another comment\nb: 2\nc: 3\n';
    const out = run(text, [finding('image-tag', 5), finding('image-tag', 6), finding('image-tag', 1)]);
    expect(out.suppressed.map((f) => f.range.line)).toEqual([5]);
    expect(out.findings.map((f) => f.range.line)).toEqual([6, 1]);
    expect(directives(out.findings)).toEqual([]);
  });

  test('a comment at the end of a line covers that line only (disable-line), for the rules it names', () => {
    const text = 'a: 1 # k8s-gold-ignore image-tag, privileged -- why\nb: 2\n';
    const out = run(text, [finding('image-tag', 1), finding('privileged', 1, 4), finding('image-pull-policy', 1), finding('image-tag', 2)]);
    expect(out.suppressed.map((f) => [f.ruleId, f.range.line])).toEqual([
      ['image-tag', 1],
      ['privileged', 1],
    ]);
    expect(out.findings.map((f) => [f.ruleId, f.range.line])).toEqual([
      ['image-pull-policy', 1],
      ['image-tag', 2],
    ]);
  });

  test('a comment naming no rule covers every rule on its line', () => {
    const out = run('a: 1 # k8s-gold-ignore -- why\n', [finding('image-tag', 1), finding('privileged', 1)]);
    expect(out.suppressed.map((f) => f.ruleId)).toEqual(['image-tag', 'privileged']);
    expect(out.findings).toEqual([]);
  });

  test('a file comment covers the whole file (a range from line 1 to the end), before or after the finding', () => {
    const text = 'a: 1\nb: 2\n# k8s-gold-ignore-file image-tag -- generated\nc: 3\n';
    const out = run(text, [finding('image-tag', 1), finding('image-tag', 4), finding('privileged', 2)]);
    expect(out.suppressed.map((f) => [f.range.line, f.suppressions])).toEqual([
      [1, [{ kind: 'inSource', justification: 'generated', source: 'file-comment' }]],
      [4, [{ kind: 'inSource', justification: 'generated', source: 'file-comment' }]],
    ]);
    expect(out.findings.map((f) => f.ruleId)).toEqual(['privileged']);
  });

  test('a file comment covers only the range its caller allows (a template of a rendered chart)', () => {
    const text = 'a: 1\n# k8s-gold-ignore-file image-tag -- why\nb: 2\nc: 3\nd: 4\n';
    // lines 1-3 are one template, 4-5 another
    const out = run(text, [finding('image-tag', 1), finding('image-tag', 3), finding('image-tag', 4)], {
      fileCommentCovers: (c, f) => c <= 3 === f <= 3,
    });
    expect(out.suppressed.map((f) => f.range.line)).toEqual([1, 3]);
    expect(out.findings.map((f) => f.range.line)).toEqual([4]);
  });

  test('two directives covering one finding both count as used, and both are recorded on it', () => {
    const text = '# k8s-gold-ignore-file image-tag -- file reason\na: 1 # k8s-gold-ignore image-tag -- line reason\n';
    const out = run(text, [finding('image-tag', 2)]);
    expect(out.suppressed[0]!.suppressions!.map((s) => s.justification)).toEqual(['file reason', 'line reason']);
    expect(directives(out.findings)).toEqual([]);
  });

  test('an instance id (vap/<policy>) is covered by its own id or its rule id', () => {
    const text = 'a: 1 # k8s-gold-ignore vap -- why\nb: 2 # k8s-gold-ignore vap/limit -- why\nc: 3 # k8s-gold-ignore vap/limit -- why\n';
    const out = run(text, [finding('vap/limit', 1), finding('vap/limit', 2), finding('vap/other', 3)]);
    expect(out.suppressed.map((f) => f.range.line)).toEqual([1, 2]);
    expect(out.findings.map((f) => [f.ruleId, f.messageId, f.range.line])).toEqual([
      ['vap/other', 'm', 3],
      ['unused-suppression', 'unusedOnLine', 3],
    ]);
  });

  test('unused directives are reported at the comment: a rule with no finding, an unknown rule, a bare directive with none', () => {
    const text =
      'a: 1 # k8s-gold-ignore image-tag -- why\nb: 2 # k8s-gold-ignore no-such-rule -- why\nc: 3 # k8s-gold-ignore -- why\n# k8s-gold-ignore-file privileged -- why\n';
    const out = run(text, [], { severity: () => 'info' });
    expect(directives(out.findings)).toEqual([
      ['unused-suppression', 'unusedOnLine', 1, 6],
      ['unused-suppression', 'unknownRule', 2, 6],
      ['unused-suppression', 'unusedAny', 3, 6],
      ['unused-suppression', 'unusedInFile', 4, 1],
    ]);
    expect(out.findings.map((f) => f.severity)).toEqual(['info', 'info', 'info', 'info']);
    expect(out.findings[0]).toMatchObject({
      kind: 'rule',
      message: 'unused suppression: no image-tag finding on this line',
      range: { line: 1, column: 6, endLine: 1, endColumn: 40 },
    });
  });

  test('a directive for a rule that is off is not unused (the rule could not report)', () => {
    const out = run('a: 1 # k8s-gold-ignore privileged -- why\n', [], { severity: (id) => (id === 'privileged' ? 'off' : 'warning') });
    expect(out.findings).toEqual([]);
  });

  test("the directive findings follow their own rules' severities, and none when those rules are off", () => {
    const text = 'a: 1 # k8s-gold-ignore image-tag\n';
    expect(
      run(text, [], {
        severity: (id) => (id === 'suppression-reason' ? 'error' : id === 'unused-suppression' ? 'off' : 'warning'),
      }).findings.map((f) => [f.ruleId, f.severity]),
    ).toEqual([['suppression-reason', 'error']]);
    expect(run(text, [], { severity: (id) => (id === 'image-tag' ? 'warning' : 'off') }).findings).toEqual([]);
  });

  test('a reason is required: a directive without one still suppresses, and is reported', () => {
    const out = run('a: 1 # k8s-gold-ignore image-tag\nb: 2 # k8s-gold-ignore image-tag --   \n', [
      finding('image-tag', 1),
      finding('image-tag', 2),
    ]);
    expect(out.suppressed.map((f) => [f.range.line, f.suppressions![0]!.justification])).toEqual([
      [1, ''],
      [2, ''],
    ]);
    expect(directives(out.findings)).toEqual([
      ['suppression-reason', 'comment', 1, 6],
      ['suppression-reason', 'comment', 2, 6],
    ]);
  });

  test('an annotation narrowed to containers covers only findings in those containers', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    ignore.k8s-gold.dev/privileged: "containers=side -- the sidecar needs it"
spec:
  containers:
    - name: web
      image: nginx
    - name: side
      image: envoy
`;
    const l = loadSource('m.yaml', '/tmp/m.yaml', text, 'default');
    const obj = l.objects[0]!;
    const inWeb = finding('privileged', 9, 7);
    const inSide = finding('privileged', 11, 7);
    const out = applySuppressions({
      source: l.file.parse.source,
      objects: l.objects,
      findings: [
        { finding: inWeb, obj, objPath: ['spec', 'containers', 0] },
        { finding: inSide, obj, objPath: ['spec', 'containers', 1] },
      ],
      isRule: (id) => RULES.includes(id),
      fileSeverity: () => 'warning',
      objectSeverity: () => 'warning',
    });
    expect(out.suppressed).toEqual([
      { ...inSide, suppressions: [{ kind: 'inSource', justification: 'the sidecar needs it', source: 'annotation' }] },
    ]);
    expect(out.findings).toEqual([inWeb]);
  });

  test('an annotation that suppresses nothing, or names an unknown rule, is reported at its key', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    ignore.k8s-gold.dev/privileged: "containers=side -- why"
    ignore.k8s-gold.dev/no-such: "why"
spec:
  containers:
    - name: side
      image: envoy
`;
    const out = run(text, []);
    expect(directives(out.findings)).toEqual([
      ['unused-suppression', 'annotationUnusedInContainers', 6, 5],
      ['unused-suppression', 'annotationUnknownRule', 7, 5],
    ]);
    expect(out.findings[0]!.message).toBe('unused suppression: Pod/web has no privileged finding in container(s) side');
  });
});
