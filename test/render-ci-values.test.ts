/**
 * A chart whose defaults stop the render on purpose (temporalio/helm-charts: `fail "No valid driver configured
 * for default store"`) and that ships chart-testing values (`ci/*-values.yaml`) is linted with each of them, as
 * `ct install` renders it; the stop is an info. A finding the same under every values file is reported once; one
 * that differs names its values file. With values given by the run, a stop stays an error. And a Chart.yaml that
 * is itself a Go template (the source of a generated chart) is an info, not a render error.
 */
import * as path from 'node:path';
import type { LintResult } from '../src/engine/result';
import { cli, writeTree } from './helpers';
import { describeWithTools } from './helpers/tools';

describeWithTools('a chart that needs values, with chart-testing values files', ({ helm }) => {
  const deployment = [
    '{{- if not .Values.store }}{{ fail "No valid driver configured for default store" }}{{ end }}',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: server',
    'spec:',
    '  replicas: {{ .Values.replicas }}',
    '  selector:',
    '    matchLabels: {app: server}',
    '  template:',
    '    metadata:',
    '      labels: {app: server}',
    '    spec:',
    '      containers:',
    '        - name: server',
    '          image: example/server:1.0',
    '          env:',
    '            - name: STORE',
    '              value: {{ .Values.store | quote }}',
    '',
  ].join('\n');
  const tree = (extra: Record<string, string> = {}): Record<string, string> => ({
    '.k8s-gold.yaml': `helm:\n  command: ${helm}\n`,
    'chart/Chart.yaml': 'apiVersion: v2\nname: server\nversion: 0.1.0\n',
    'chart/values.yaml': 'store: ""\nreplicas: 1\n',
    'chart/templates/deployment.yaml': deployment,
    'chart/ci/mysql-values.yaml': 'store: mysql\nreplicas: 3\n',
    'chart/ci/postgres-values.yaml': 'store: postgres\nreplicas: 4\n',
    // not a chart-testing values file (ct reads *-values.yaml only)
    'chart/ci/README.yaml': 'store: x\n',
    ...extra,
  });
  const lint = async (dir: string, args: string[] = []) => {
    const r = await cli(['lint', '-f', 'json', ...args, 'chart'], { cwd: dir });
    const msgs = (JSON.parse(r.stdout) as LintResult[]).flatMap((x) => x.messages.map((m) => ({ file: path.basename(x.filePath), ...m })));
    return { code: r.code, msgs };
  };

  test('is linted with each ci/*-values.yaml; the stop is an info at the fail', async () => {
    const { msgs } = await lint(writeTree(tree()));
    const render = msgs.filter((m) => m.ruleId === 'helm-render');
    expect(render.map((m) => `${m.file}:${m.line} ${m.level}`)).toEqual(['deployment.yaml:1 info']);
    expect(render[0]!.message).toContain('No valid driver configured for default store');
    expect(render[0]!.message).toContain('ci/mysql-values.yaml, ci/postgres-values.yaml');
    // the same finding under both values files: once, without a values name
    const limits = msgs.filter((m) => m.ruleId === 'resource-requests-limits');
    expect(limits).toHaveLength(1);
    expect(limits[0]!.message).not.toMatch(/values ci\//);
    // a finding that differs between them names its values file
    const spread = msgs.filter((m) => m.ruleId === 'topology-spread-constraints').map((m) => m.message);
    expect(spread).toHaveLength(2);
    expect(spread.some((m) => /4 replicas.*\(values ci\/postgres-values\.yaml\)$/.test(m))).toBe(true);
    expect(spread.some((m) => /3 replicas.*\(values ci\/mysql-values\.yaml\)$/.test(m))).toBe(true);
  });

  // opentelemetry-collector: a NetworkPolicy only ci/networkpolicy-override-values.yaml enables gave an error that
  // named no values file, in a chart whose defaults do not render it
  test('a finding that only some values files give names them', async () => {
    const service =
      '{{- if .Values.service }}\napiVersion: v1\nkind: Service\nmetadata:\n  name: server\nspec:\n  selector: {app: server}\n  ports:\n    - port: 80\n      targetPort: metrics\n{{- end }}\n';
    const dir = writeTree(
      tree({ 'chart/templates/service.yaml': service, 'chart/ci/service-values.yaml': 'store: mysql\nreplicas: 3\nservice: true\n' }),
    );
    const { msgs } = await lint(dir);
    const port = msgs.filter((m) => m.ruleId === 'service-selector' && m.level === 'error');
    expect(port.map((m) => m.message.replace(/.*\(values/, '(values'))).toEqual(['(values ci/service-values.yaml)']);
    // under two of the three: named by the one that does not give it
    const spread = msgs.filter((m) => m.ruleId === 'topology-spread-constraints').map((m) => m.message);
    expect(spread.some((m) => /3 replicas.*\(values: all but ci\/postgres-values\.yaml\)$/.test(m))).toBe(true);
    // under all three: no name
    const limits = msgs.filter((m) => m.ruleId === 'resource-requests-limits');
    expect(limits).toHaveLength(1);
    expect(limits[0]!.message).not.toMatch(/values ci\//);
  });

  test('values given by the run are used instead: the stop is an error', async () => {
    const dir = writeTree(tree({ 'empty.yaml': 'replicas: 2\n' }));
    const { code, msgs } = await lint(dir, ['--values', 'empty.yaml']);
    expect(code).toBe(1);
    expect(msgs.filter((m) => m.ruleId === 'helm-render').map((m) => m.level)).toEqual(['error']);
  });

  test('without chart-testing values the stop is an error, as before', async () => {
    const t = tree();
    delete t['chart/ci/mysql-values.yaml'];
    delete t['chart/ci/postgres-values.yaml'];
    const { msgs } = await lint(writeTree(t));
    expect(msgs.filter((m) => m.ruleId === 'helm-render').map((m) => m.level)).toEqual(['error']);
  });
});

// cockroachdb/helm-charts generates its charts from build/templates/<chart>/Chart.yaml (`version: {{ .Version }}`)
describeWithTools('a Chart.yaml that is itself a template', ({ helm }) => {
  test('is the source of a generated chart: an info at the template, not a helm-render error', async () => {
    const dir = writeTree({
      '.k8s-gold.yaml': `helm:\n  command: ${helm}\n`,
      'build/templates/db/Chart.yaml': '# generated by the release script\napiVersion: v1\nname: db\nversion: {{ .Version }}\n',
      'build/templates/db/values.yaml': 'replicas: 3\n',
    });
    const r = await cli(['lint', '-f', 'json', '.'], { cwd: dir });
    const msgs = (JSON.parse(r.stdout) as LintResult[]).flatMap((x) => x.messages.map((m) => ({ file: x.filePath, ...m })));
    expect(r.code).toBe(0);
    expect(msgs.filter((m) => m.ruleId === 'helm-render').map((m) => `${m.file}:${m.line}:${m.column} ${m.level}`)).toEqual([
      'build/templates/db/Chart.yaml:4:10 info',
    ]);
    expect(msgs[0]!.message).toContain('is itself a template ({{ .Version }})');
  });

  test('a Chart.yaml helm cannot load for another reason stays an error', async () => {
    const dir = writeTree({
      '.k8s-gold.yaml': `helm:\n  command: ${helm}\n`,
      'chart/Chart.yaml': 'apiVersion: v2\nname: [db\n',
    });
    const r = await cli(['lint', '-f', 'json', '.'], { cwd: dir });
    const msgs = (JSON.parse(r.stdout) as LintResult[]).flatMap((x) => x.messages);
    expect(msgs.filter((m) => m.ruleId === 'helm-render').map((m) => m.level)).toEqual(['error']);
  });
});
