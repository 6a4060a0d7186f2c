/**
 * Pre-commit passes the changed files, not the chart or overlay: a file inside
 * a chart selects its chart (rendered once, however many of its files are
 * named), a configured values file its chart, and a kustomize source the
 * kustomizations that deploy it. With the real helm 4.1.4 and kubectl 1.35
 * kustomize (test/helpers/tools.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LintMessage, LintResult } from '../src/engine/result';
import { cli, writeTree } from './helpers';
import { describeWithTools } from './helpers/tools';

type Result = LintResult & { messages: (LintMessage & { rendered?: { file: string; line: number } })[] };

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "web.name" . }}
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: "nginx:{{ .Values.tag }}"
`;

async function lintJson(args: string[], cwd: string): Promise<{ code: number; results: Result[] }> {
  const r = await cli(['lint', '-f', 'json', ...args], { cwd });
  return { code: r.code, results: JSON.parse(r.stdout) as Result[] };
}

/** what was rendered: with --show-rendered every render is one result named `<dir>[helm template]` or `<dir>[kustomize build]` */
async function renders(args: string[], cwd: string): Promise<string[]> {
  const { results } = await lintJson(['--show-rendered', ...args], cwd);
  return results.map((r) => r.filePath).filter((f) => f.includes('['));
}

/** findings as comparable rows */
function rows(results: Result[]): string[] {
  return results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line}:${m.column} ${m.ruleId} ${m.message}`)).sort();
}

describeWithTools('a changed file selects the chart or kustomization it belongs to', ({ helm, kubectl }) => {
  const config = `helm:\n  command: ${helm}\n  charts:\n    - path: charts/web\n      profiles:\n        - {name: prod, values: [env/prod-values.yaml]}\nkustomize:\n  command: [${kubectl}, kustomize]\n`;
  const dir = writeTree({
    '.k8s-gold.yaml': config,
    'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'charts/web/values.yaml': 'tag: latest\n',
    'charts/web/templates/_helpers.tpl': '{{- define "web.name" -}}{{ .Release.Name }}-web{{- end -}}\n',
    'charts/web/templates/deployment.yaml': DEPLOY,
    'charts/web/charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
    'charts/web/charts/sub/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sub\ndata:\n  enabled: on\n',
    'charts/other/Chart.yaml': 'apiVersion: v2\nname: other\nversion: 0.1.0\n',
    'charts/other/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\ndata:\n  enabled: on\n',
    'env/prod-values.yaml': 'tag: "1.27.3"\n',
    'k/base/kustomization.yaml': 'resources:\n  - deploy.yaml\n',
    'k/base/deploy.yaml':
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n        - name: api\n          image: api:1.0.0\n',
    'k/comp/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - cm.yaml\n',
    'k/comp/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  mode: fast\n',
    'k/overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\npatches:\n  - path: patches/image.yaml\n',
    'k/overlays/prod/patches/image.yaml':
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: api:latest\n',
    'k/overlays/dev/kustomization.yaml':
      'resources:\n  - ../../base\ncomponents:\n  - ../../comp\nconfigMapGenerator:\n  - name: settings\n    files: [config/app.properties]\n',
    'k/overlays/dev/config/app.properties': 'mode=debug\n',
    'k/standalone/kustomization.yaml': 'resources:\n  - cm.yaml\n',
    'k/standalone/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: alone\n',
    'plain/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n',
  });

  test('files inside a chart render their chart once, with the findings of linting the chart', async () => {
    const files = [
      'charts/web/templates/deployment.yaml',
      'charts/web/values.yaml',
      'charts/web/templates/_helpers.tpl',
      'charts/web/charts/sub/templates/cm.yaml',
    ];
    expect(await renders(files, dir)).toEqual(['charts/web[helm template]']);
    const byFiles = await lintJson(files, dir);
    const byChart = await lintJson(['charts/web'], dir);
    expect(byFiles.code).toBe(1);
    expect(rows(byFiles.results)).toEqual(rows(byChart.results));
    // the template's finding, at its line
    expect(rows(byFiles.results)).toContainEqual(
      expect.stringMatching(/^charts\/web\/templates\/deployment\.yaml:14:9 resource-requests-limits /),
    );
    // the sub-chart is rendered through its parent
    expect(rows(byFiles.results)).toContainEqual(
      expect.stringMatching(/^charts\/web\/charts\/sub\/templates\/cm\.yaml:6:\d+ ambiguous-yaml-value /),
    );
    // and no chart file is read raw
    expect(byFiles.results.some((r) => /values\.yaml$|_helpers\.tpl$/.test(r.filePath))).toBe(false);
  });

  test('a values file a render profile names, outside the chart, selects that chart', async () => {
    expect(await renders(['env/prod-values.yaml'], dir)).toEqual(['charts/web[helm template]']);
    const { results } = await lintJson(['env/prod-values.yaml'], dir);
    // not read raw; the chart's findings with the profile's values (its pinned tag: no image-tag finding)
    expect(results.some((r) => r.filePath === 'env/prod-values.yaml')).toBe(false);
    expect(rows(results)).toEqual(rows((await lintJson(['charts/web'], dir)).results));
    expect(rows(results).filter((x) => x.includes('image-tag'))).toEqual([]);
    // without the profile the default values (tag: latest) give one: the values file is what decides
    fs.writeFileSync(path.join(dir, 'noprofile.yaml'), `helm:\n  command: ${helm}\n`);
    expect(rows((await lintJson(['-c', 'noprofile.yaml', 'charts/web/values.yaml'], dir)).results)).toContainEqual(
      expect.stringMatching(/^charts\/web\/templates\/deployment\.yaml:15:\d+ image-tag /),
    );
  });

  test('a changed base selects the overlays that build on it, not the base alone', async () => {
    expect(await renders(['k/base/deploy.yaml'], dir)).toEqual(['k/overlays/dev[kustomize build]', 'k/overlays/prod[kustomize build]']);
    expect(await renders(['k/base/kustomization.yaml'], dir)).toEqual([
      'k/overlays/dev[kustomize build]',
      'k/overlays/prod[kustomize build]',
    ]);
    const { results } = await lintJson(['k/base/deploy.yaml'], dir);
    // the overlay's patch is linted too: the base is deployed only through the overlays
    expect(rows(results)).toContainEqual(expect.stringMatching(/^k\/overlays\/prod\/patches\/image\.yaml:10:\d+ image-tag .*api:latest/));
    expect(rows(results)).toEqual(rows((await lintJson(['k/overlays'], dir)).results));
  });

  test('a patch, a generator source and a component select the kustomizations that read them', async () => {
    expect(await renders(['k/overlays/prod/patches/image.yaml'], dir)).toEqual(['k/overlays/prod[kustomize build]']);
    expect(await renders(['k/overlays/dev/config/app.properties'], dir)).toEqual(['k/overlays/dev[kustomize build]']);
    expect(await renders(['k/comp/cm.yaml'], dir)).toEqual(['k/overlays/dev[kustomize build]']);
    // several changed files of one tree: each target once
    expect(
      await renders(['k/base/deploy.yaml', 'k/overlays/prod/patches/image.yaml', 'k/comp/cm.yaml', 'charts/web/values.yaml'], dir),
    ).toEqual(['charts/web[helm template]', 'k/overlays/dev[kustomize build]', 'k/overlays/prod[kustomize build]']);
  });

  test('a kustomization nothing builds on is its own target; plain manifests stay plain', async () => {
    expect(await renders(['k/standalone/cm.yaml', 'plain/cm.yaml'], dir)).toEqual(['k/standalone[kustomize build]']);
    const { results } = await lintJson(['plain/cm.yaml'], dir);
    expect(results.map((r) => r.filePath)).toEqual(['plain/cm.yaml']);
  });

  test('a .tpl file outside any chart (the hook passes *.tpl) is skipped with a note, not read as YAML', async () => {
    fs.writeFileSync(path.join(dir, 'plain/x.tpl'), '{{- define "x" -}}\napp: {{ .Values.a }}\n{{- end -}}\n');
    const r = await cli(['lint', 'plain/x.tpl'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'note: plain/x.tpl: template file(s) outside any Helm chart (no Chart.yaml above them) are not manifests and were not linted',
    );
    expect(r.stdout).toContain('1 skipped');
  });

  test('a directory given alone keeps its meaning: a base directory is a target itself', async () => {
    expect(await renders(['k/base'], dir)).toEqual(['k/base[kustomize build]']);
  });

  test('--cache: a change in an overlay a named base file was linted through is seen', async () => {
    const patch = path.join(dir, 'k/overlays/prod/patches/image.yaml');
    const before = fs.readFileSync(patch, 'utf8');
    const run = async () =>
      rows(JSON.parse((await cli(['lint', '-f', 'json', '--cache', 'k/base/deploy.yaml'], { cwd: dir })).stdout) as Result[]).filter((x) =>
        x.includes('image-tag'),
      );
    expect(await run()).toEqual([expect.stringMatching(/^k\/overlays\/prod\/patches\/image\.yaml:10:\d+ image-tag /)]);
    fs.writeFileSync(patch, before.replace('api:latest', 'api:1.0.1'));
    try {
      expect(await run()).toEqual([]);
    } finally {
      fs.writeFileSync(patch, before);
    }
  });

  test('kustomizations under ignored directories are not selected', async () => {
    fs.writeFileSync(path.join(dir, 'ignored.yaml'), `${config}ignorePatterns: [k/overlays/dev/]\n`);
    expect(await renders(['-c', 'ignored.yaml', 'k/base/deploy.yaml'], dir)).toEqual(['k/overlays/prod[kustomize build]']);
  });
});
