/**
 * A helper template that several objects of one render include (zero-to-jupyterhub's two image puller DaemonSets
 * share their pod spec) gets a rule's finding once per object, at the same template line: each row names its
 * object, so that the two do not read as one finding reported twice. A line only one object uses stays as it is.
 */
import * as path from 'node:path';
import type { LintResult } from '../src/engine/result';
import { cli, writeTree } from './helpers';
import { describeWithTools } from './helpers/tools';

describeWithTools('a helper template shared by two objects', ({ helm }) => {
  const deployment = (name: string) =>
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      `  name: ${name}`,
      'spec:',
      '  selector:',
      `    matchLabels: {app: ${name}}`,
      '  template:',
      '    metadata:',
      `      labels: {app: ${name}}`,
      '    spec:',
      `      {{- include "podspec" (dict "name" "${name}") | nindent 6 }}`,
      '',
    ].join('\n');
  const helpers = [
    '{{- define "podspec" }}',
    'containers:',
    '  - name: puller',
    '    image: example/puller:1.0',
    '    resources: {}',
    '{{- end }}',
    '',
  ].join('\n');
  const single = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: solo',
    'spec:',
    '  selector:',
    '    matchLabels: {app: solo}',
    '  template:',
    '    metadata:',
    '      labels: {app: solo}',
    '    spec:',
    '      containers:',
    '        - name: solo',
    '          image: example/solo:1.0',
    '          resources: {}',
    '',
  ].join('\n');

  test('each finding at the shared line names its object; a line of one object does not', async () => {
    const dir = writeTree({
      '.k8s-gold.yaml': `helm:\n  command: ${helm}\n`,
      'chart/Chart.yaml': 'apiVersion: v2\nname: shared\nversion: 0.1.0\n',
      'chart/values.yaml': '{}\n',
      'chart/templates/_helpers.tpl': helpers,
      'chart/templates/a.yaml': deployment('alpha'),
      'chart/templates/b.yaml': deployment('beta'),
      'chart/templates/solo.yaml': single,
    });
    const r = await cli(['lint', '-f', 'json', 'chart'], { cwd: dir });
    const msgs = (JSON.parse(r.stdout) as LintResult[]).flatMap((x) => x.messages.map((m) => ({ file: path.basename(x.filePath), ...m })));
    const limits = msgs.filter((m) => m.ruleId === 'resource-requests-limits');
    const shared = limits.filter((m) => m.file === '_helpers.tpl');
    expect(shared.map((m) => m.line)).toEqual([5, 5]);
    expect(shared.map((m) => / \((Deployment \w+)\)$/.exec(m.message)?.[1]).sort()).toEqual(['Deployment alpha', 'Deployment beta']);
    // the rest of the message is the rule's, the same for both
    expect(new Set(shared.map((m) => m.message.replace(/ \(Deployment \w+\)$/, ''))).size).toBe(1);
    const solo = limits.filter((m) => m.file === 'solo.yaml');
    expect(solo).toHaveLength(1);
    expect(solo[0]!.message).not.toMatch(/\(Deployment solo\)$/);
  });
});
