/**
 * kustomize `helmCharts:` with the real kubectl 1.35 kustomize and helm 4.1.4:
 * built with --enable-helm and the configured helm, offline (a chart that is
 * not vendored is a kustomize-render error, never a pull).
 *
 * kustomize 5.7 inflates charts with helm 3 only: it runs `helm version -c
 * --short` and refuses a v4. The tests give it a small wrapper that answers
 * `version` as helm 3 and hands every other command (`template`) to the real
 * helm 4; with the real helm 4 itself, the error says what to do.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LintResult } from '../src/engine/result';
import { cli, writeTree } from './helpers';
import { describeWithTools } from './helpers/tools';

const CHART_DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx
`;

describeWithTools('kustomize helmCharts', ({ helm, kubectl }) => {
  const tree = (kustomization: string, helmCommand: string): string => {
    const dir = writeTree({
      '.k8s-gold.yaml': `helm:\n  command: ${helmCommand}\nkustomize:\n  command: [${kubectl}, kustomize]\n`,
      helm3: `#!/bin/sh\nif [ "$1" = version ]; then echo v3.18.0; exit 0; fi\nexec ${helm} "$@"\n`,
      'app/kustomization.yaml': kustomization,
      'app/charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'app/charts/web/values.yaml': 'replicas: 1\n',
      'app/charts/web/templates/deploy.yaml': CHART_DEPLOY,
    });
    fs.chmodSync(path.join(dir, 'helm3'), 0o755);
    return dir;
  };
  const lint = async (dir: string): Promise<{ code: number; results: LintResult[] }> => {
    const r = await cli(['lint', '-f', 'json', '.'], { cwd: dir });
    return { code: r.code, results: JSON.parse(r.stdout) as LintResult[] };
  };
  const messages = (results: LintResult[]) => results.flatMap((r) => r.messages.map((m) => ({ file: r.filePath, ...m })));

  test('a vendored chart is inflated with --enable-helm and the configured helm; its objects are linted through the kustomization only', async () => {
    const dir = tree('namePrefix: prod-\nhelmCharts:\n- name: web\n  releaseName: shop\n  valuesInline:\n    replicas: 3\n', './helm3');
    const { code, results } = await lint(dir);
    expect(code).toBe(1);
    expect(messages(results).filter((m) => m.ruleId === 'kustomize-render')).toEqual([]);
    const tags = messages(results).filter((m) => m.ruleId === 'image-tag');
    // one finding: the chart is not rendered a second time on its own; it lands on the helmCharts entry
    expect(tags.map((m) => [m.file, m.line])).toEqual([['app/kustomization.yaml', 3]]);
    expect(results.some((r) => r.filePath.startsWith('app/charts/'))).toBe(false);
  });

  test('a chart that is not vendored is an error at its entry, not a pull', async () => {
    const dir = tree(
      'resources: []\nhelmCharts:\n- name: web\n  releaseName: shop\n- name: redis\n  repo: https://charts.example.invalid\n  version: 1.2.3\n',
      './helm3',
    );
    const { code, results } = await lint(dir);
    expect(code).toBe(1);
    expect(
      messages(results)
        .filter((m) => m.ruleId === 'kustomize-render')
        .map((m) => [m.file, m.line, m.message]),
    ).toEqual([
      [
        'app/kustomization.yaml',
        5,
        'kustomize build app failed: helm chart redis is not vendored at charts/redis-1.2.3/redis: kustomize would pull it from https://charts.example.invalid over the network, which k8s-gold does not do by default; vendor it (helm pull --untar), or set kustomize.allowRemote: true in the config',
      ],
    ]);
  });

  test('no helm: a clear error', async () => {
    const dir = tree('helmCharts:\n- name: web\n', '/nonexistent/helm');
    const { results } = await lint(dir);
    expect(
      messages(results)
        .filter((m) => m.ruleId === 'kustomize-render')
        .map((m) => m.message),
    ).toEqual([expect.stringContaining('inflates helmCharts, which kustomize does with helm, and /nonexistent/helm was not found')]);
  });

  test('helm 4, which kustomize refuses: the error says to use helm 3', async () => {
    const dir = tree('helmCharts:\n- name: web\n', helm);
    const { results } = await lint(dir);
    expect(
      messages(results)
        .filter((m) => m.ruleId === 'kustomize-render')
        .map((m) => m.message),
    ).toEqual([expect.stringMatching(/\(kustomize inflates helmCharts with helm 3 only: set helm\.command to a helm 3 binary\)$/)]);
    // the same in every run: not the temporary directory kustomize gave helm (apache/pulsar-helm-chart's .ci)
    for (const m of messages(results).filter((x) => x.ruleId === 'kustomize-render'))
      expect(m.message).not.toMatch(/kustomize-helm-\d|env=\[/);
  });
});
