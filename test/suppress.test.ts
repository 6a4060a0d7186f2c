/** The suppression stage is a pure function of one file's findings, text and annotations. */
import { loadSource } from '../src/engine/load';
import { applySuppressions } from '../src/engine/suppress';
import type { LintMessage } from '../src/engine/result';

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

test('splits findings into reported and suppressed, emits reason and unused findings, and changes no input', () => {
  const l = loadSource('m.yaml', '/tmp/m.yaml', TEXT, 'default');
  const obj = l.objects[0]!;
  const msg: LintMessage = { ruleId: 'image-tag', severity: 1, level: 'warning', message: 'moving tag', line: 10, column: 7, endLine: 10, endColumn: 19, nodeType: null };
  const other: LintMessage = { ...msg, ruleId: 'image-pull-policy', message: 'pull policy' };
  const frozen = JSON.stringify([msg, other]);
  const out = applySuppressions({
    source: l.file.parse.source,
    objects: l.objects,
    findings: [
      { msg, obj, objPath: ['spec', 'containers', 0, 'image'] },
      { msg: other, obj },
    ],
    isRule: (id) => ['image-tag', 'image-pull-policy', 'host-path', 'suppression-reason', 'unused-suppression'].includes(id),
    fileSeverity: (id) => (id === 'unused-suppression' ? 'info' : 'warning'),
    objectSeverity: () => 'warning',
  });
  expect(out.suppressed).toEqual([{ ...msg, suppressions: [{ kind: 'inSource', justification: 'pinned by the build', source: 'comment' }] }]);
  expect(out.messages.map((m) => [m.ruleId, m.level, m.line, m.message])).toEqual([
    ['image-pull-policy', 'warning', 10, 'pull policy'],
    ['suppression-reason', 'warning', 6, 'annotation ignore.k8s-gold.dev/host-path gives no reason; set its value to the reason (optionally "containers=<names> -- <reason>")'],
    ['unused-suppression', 'info', 6, 'unused suppression: Pod/web has no host-path finding'],
  ]);
  expect(JSON.stringify([msg, other])).toBe(frozen);
  // a second run over the same input gives the same answer (nothing is carried over)
  const again = applySuppressions({
    source: l.file.parse.source,
    objects: l.objects,
    findings: [{ msg, obj }],
    isRule: () => true,
    fileSeverity: () => 'warning',
    objectSeverity: () => 'off',
  });
  expect(again.suppressed.length).toBe(1);
  expect(again.messages.map((m) => m.ruleId)).toEqual(['suppression-reason']);
});
