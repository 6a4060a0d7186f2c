/**
 * Helm charts and kustomize trees, rendered with the real helm 4.1.4 and
 * kubectl 1.35 kustomize (test/helpers/tools.ts): findings land on the template
 * or source line that wrote the field. Skipped, loudly, only when the tools
 * package cannot be unzipped.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LintMessage, LintResult } from '../src/engine/result';
import { markTemplate } from '../src/render/helm';
import { cli, writeTree } from './helpers';
import { describeWithTools } from './helpers/tools';

type Result = LintResult & { messages: (LintMessage & { rendered?: { file: string; line: number } })[] };

/** 1-based line of the first line of `file` (in `dir`) that contains `needle`; fails the test if there is none. */
function lineOf(dir: string, file: string, needle: string, from = 1): number {
  const lines = fs.readFileSync(path.join(dir, file), 'utf8').split('\n');
  const i = lines.findIndex((l, k) => k + 1 >= from && l.includes(needle));
  if (i < 0) throw new Error(`${file} has no line with ${needle}`);
  return i + 1;
}

function find(results: Result[], file: string, ruleId: string): LintMessage[] {
  return (results.find((r) => r.filePath === file)?.messages ?? []).filter((m) => m.ruleId === ruleId);
}

function files(results: Result[]): string[] {
  return results.filter((r) => r.messages.length + r.suppressedMessages.length > 0).map((r) => r.filePath);
}

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-shop
  labels:
    app: shop
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
    spec:
      containers:
        # k8s-gold-ignore privilege-escalation -- the namespace's admission policy sets it
        - name: shop
          image: "{{ .Values.image.repository }}{{ with .Values.image.tag }}:{{ . }}{{ end }}"
          {{- with .Values.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
`;

const WORKERS = `{{- range .Values.workers }}
---
apiVersion: v1
kind: Pod
metadata:
  name: worker-{{ . }}
spec:
  containers:
    - name: {{ . }}
      image: busybox
      resources:
        requests: {cpu: 10m, memory: 16Mi}
        limits: {memory: 16Mi}
{{- end }}
`;

/** a quoted scalar over several lines, one of which looks like a key: its marker changes the value, so the guard rejects the markers */
const NOTE = `apiVersion: v1
kind: ConfigMap
metadata:
  name: note
  annotations:
    note: "first
      second: line
      third"
data:
  enabled: on
`;

const VALUES = `replicas: 1
image:
  repository: nginx
  tag: ""
resources:
  limits:
    cpu: 100m
workers: [a, b]
`;

describeWithTools('Helm charts and kustomize trees with the real tools', ({ helm, kubectl }) => {
  const config = `helm:\n  command: ${helm}\nkustomize:\n  command: [${kubectl}, kustomize]\n`;

  test('markTemplate marks keys and items (before their comments), not block scalars or actions', () => {
    const t = [
      'a: 1',
      'b: |',
      '  c: 2',
      '{{- if .x }}',
      'd: {{ .x }} # note',
      '- e: 3',
      'f: {{ include "x" . }}',
      'g: x -}}',
      '{{- end }}',
    ].join('\n');
    expect(markTemplate(t, 4).split('\n')).toEqual([
      'a: 1 #k8sgold@4:1',
      'b: | #k8sgold@4:2',
      '  c: 2',
      '{{- if .x }}',
      'd: {{ .x }} #k8sgold@4:5 # note',
      '- e: 3 #k8sgold@4:6',
      '#k8sgold@4:7',
      'f: {{ include "x" . }}',
      'g: x -}}',
      '{{- end }}',
    ]);
  });

  describe('a chart', () => {
    const dir = writeTree({
      '.k8s-gold.yaml': config,
      // the directory name differs from the chart name: # Source: lines use the chart name
      'charts/shop-chart/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 0.1.0\n',
      'charts/shop-chart/values.yaml': VALUES,
      'charts/shop-chart/templates/deployment.yaml': DEPLOY,
      'charts/shop-chart/templates/workers.yaml': WORKERS,
      'charts/shop-chart/templates/note.yaml': NOTE,
      'charts/shop-chart/templates/NOTES.txt': 'Installed {{ .Release.Name }}.\n',
      'charts/shop-chart/charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
      'charts/shop-chart/charts/sub/templates/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sub\ndata:\n  mode: "fast"\n  enabled: on\n',
    });
    const T = 'charts/shop-chart/templates';
    let results: Result[] = [];
    let code = -1;
    beforeAll(async () => {
      const r = await cli(['lint', '-f', 'json', '.'], { cwd: dir });
      code = r.code;
      results = JSON.parse(r.stdout) as Result[];
    });

    test('is rendered and linted, and no chart file is linted raw', () => {
      expect(code).toBe(1);
      for (const f of files(results)) expect(f).toMatch(/^charts\/shop-chart\/(templates|charts\/sub\/templates)\//);
      expect(results.some((r) => /values\.yaml$|Chart\.yaml$|NOTES/.test(r.filePath))).toBe(false);
    });

    test('a finding lands on the template line that wrote the field', () => {
      const [tag] = find(results, `${T}/deployment.yaml`, 'image-tag');
      expect(tag).toMatchObject({ line: lineOf(dir, `${T}/deployment.yaml`, 'image: "{{'), column: 11 });
      const [res] = find(results, `${T}/deployment.yaml`, 'resource-requests-limits');
      // missing requests: reported at the nearest existing field, resources, which the template writes on the `resources:` line
      expect(res!.line).toBe(lineOf(dir, `${T}/deployment.yaml`, 'resources:'));
      // whose content toYaml writes from the values: the message names them
      expect(res!.message).toMatch(/\(the template writes this from \.Values\.resources: change it in the values\)$/);
      expect(tag!.message).not.toContain('.Values');
    });

    test('lines written by toYaml map to the including line', () => {
      // the object's own rendered position is kept in `rendered`
      const [res] = find(results, `${T}/deployment.yaml`, 'resource-requests-limits') as Result['messages'];
      expect(res!.rendered).toMatchObject({ file: 'charts/shop-chart[helm template]' });
      expect(res!.rendered!.line).toBeGreaterThan(res!.line);
    });

    test('range writes several documents: each finding lands on the same template line', () => {
      const tags = find(results, `${T}/workers.yaml`, 'image-tag');
      expect(tags.map((m) => m.line)).toEqual([
        lineOf(dir, `${T}/workers.yaml`, 'image: busybox'),
        lineOf(dir, `${T}/workers.yaml`, 'image: busybox'),
      ]);
      expect(tags.map((m) => m.message).join('\n')).toMatch(/container "a"[\s\S]*container "b"/);
    });

    test('a suppression comment in a template works', () => {
      const r = results.find((x) => x.filePath === `${T}/deployment.yaml`)!;
      expect(r.messages.filter((m) => m.ruleId === 'privilege-escalation')).toEqual([]);
      expect(
        r.suppressedMessages.filter((m) => m.ruleId === 'privilege-escalation').map((m) => [m.line, m.suppressions![0]!.justification]),
      ).toEqual([[lineOf(dir, `${T}/deployment.yaml`, '- name: shop'), "the namespace's admission policy sets it"]]);
      expect(results.flatMap((x) => x.messages).filter((m) => m.ruleId === 'unused-suppression')).toEqual([]);
    });

    test('a document whose markers change a quoted string (not its shape) still maps each field to its line', () => {
      // the marker of `second: line` lands inside the multi-line quoted annotation: the value differs from the
      // plain render, but every key is where it was, so the finding is at `enabled: on`, not at `kind:`
      const [amb] = find(results, `${T}/note.yaml`, 'ambiguous-yaml-value');
      expect(amb!.line).toBe(lineOf(dir, `${T}/note.yaml`, 'enabled: on'));
    });

    test('a sub-chart is rendered through its parent and maps to its own templates', () => {
      const [amb] = find(results, 'charts/shop-chart/charts/sub/templates/cm.yaml', 'ambiguous-yaml-value');
      expect(amb).toMatchObject({ line: 7, column: 3 });
    });

    test('stylish and SARIF show the source location; SARIF keeps the rendered one as a related location', async () => {
      const s = await cli(['lint', '.'], { cwd: dir });
      expect(s.stdout).toContain(`${T}/deployment.yaml:${lineOf(dir, `${T}/deployment.yaml`, 'image: "{{')}:11 `);
      expect(s.stdout).not.toContain('[helm template]');
      const sarif = JSON.parse((await cli(['lint', '-f', 'sarif', '.'], { cwd: dir })).stdout);
      const res = sarif.runs[0].results.find(
        (x: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
          x.ruleId === 'image-tag' && x.locations[0]!.physicalLocation.artifactLocation.uri.endsWith('deployment.yaml'),
      );
      expect(res.locations[0].physicalLocation.region.startLine).toBe(lineOf(dir, `${T}/deployment.yaml`, 'image: "{{'));
      expect(res.relatedLocations[0].physicalLocation.artifactLocation.uri).toBe('charts/shop-chart%5Bhelm%20template%5D');
    });

    test('overrides with files: match the template an object came from', async () => {
      fs.writeFileSync(
        path.join(dir, 'overrides.yaml'),
        `${config}overrides:\n  - files: ["${T}/workers.yaml"]\n    rules: {image-tag: off}\n`,
      );
      const out = JSON.parse((await cli(['lint', '-f', 'json', '-c', 'overrides.yaml', '.'], { cwd: dir })).stdout) as Result[];
      expect(find(out, `${T}/workers.yaml`, 'image-tag')).toEqual([]);
      expect(find(out, `${T}/deployment.yaml`, 'image-tag')).toHaveLength(1);
    });

    test('--show-rendered reports rendered positions', async () => {
      const r = await cli(['lint', '-f', 'json', '--show-rendered', '.'], { cwd: dir });
      const out = JSON.parse(r.stdout) as Result[];
      const rendered = spawnSync(helm, ['template', 'release-name', 'charts/shop-chart'], { cwd: dir, encoding: 'utf8' }).stdout.split(
        '\n',
      );
      const tag = find(out, 'charts/shop-chart[helm template]', 'image-tag').find((m) => m.message.includes('"shop"'))!;
      expect(rendered[tag.line - 1]).toMatch(/^\s+image: "nginx"$/);
    });

    test('--set and --values reach helm, and profiles from the config are each linted and named', async () => {
      const withTag = await cli(['lint', '-f', 'json', '--set', 'image.tag=1.27.3', '.'], { cwd: dir });
      expect(find(JSON.parse(withTag.stdout) as Result[], `${T}/deployment.yaml`, 'image-tag')).toEqual([]);
      fs.writeFileSync(path.join(dir, 'prod.yaml'), 'image: {tag: "1.27.3"}\n');
      const withValues = await cli(['lint', '-f', 'json', '--values', 'prod.yaml', '.'], { cwd: dir });
      expect(find(JSON.parse(withValues.stdout) as Result[], `${T}/deployment.yaml`, 'image-tag')).toEqual([]);
      fs.writeFileSync(
        path.join(dir, 'profiles.yaml'),
        `helm:\n  command: ${helm}\n  charts:\n    - path: charts/shop-chart\n      profiles:\n        - {name: dev}\n        - {name: prod, values: [prod.yaml], namespace: shop}\n`,
      );
      const p = await cli(['lint', '-f', 'json', '-c', 'profiles.yaml', '.'], { cwd: dir });
      const out = JSON.parse(p.stdout) as Result[];
      const tags = find(out, `${T}/deployment.yaml`, 'image-tag');
      expect(tags.map((m) => m.message)).toEqual([expect.stringMatching(/ \(profile dev\)$/)]);
      // the profiles are alternatives: their objects are not duplicates of each other
      expect(out.flatMap((r) => r.messages).filter((m) => m.ruleId === 'duplicate-object')).toEqual([]);
    });
  });

  test('helm create: findings on the scaffold land on its template lines', async () => {
    const dir = writeTree({ '.k8s-gold.yaml': config });
    expect(spawnSync(helm, ['create', 'web'], { cwd: dir, encoding: 'utf8' }).status).toBe(0);
    const r = await cli(['lint', '-f', 'json', '.'], { cwd: dir });
    const out = JSON.parse(r.stdout) as Result[];
    const T = 'web/templates/deployment.yaml';
    expect(find(out, T, 'resource-requests-limits').map((m) => m.line)).toEqual([lineOf(dir, T, '- name: {{ .Chart.Name }}')]);
    expect(find(out, T, 'missing-probes').map((m) => m.line)).toEqual([lineOf(dir, T, 'livenessProbe:')]);
    expect(find(out, 'web/templates/tests/test-connection.yaml', 'image-tag').map((m) => m.line)).toEqual([
      lineOf(dir, 'web/templates/tests/test-connection.yaml', 'image: busybox'),
    ]);
    // the test pod (helm.sh/hook: test) is linted, but the Service does not count it among the pods it selects
    expect(find(out, 'web/templates/service.yaml', 'service-selector')).toEqual([]);
    // ignore patterns apply to the templates findings map to
    const ignored = JSON.parse(
      (await cli(['lint', '-f', 'json', '--ignore-pattern', 'web/templates/tests/', '.'], { cwd: dir })).stdout,
    ) as Result[];
    expect(ignored.map((x) => x.filePath).filter((f) => f.includes('/tests/'))).toEqual([]);
    expect(find(ignored, T, 'missing-probes')).toHaveLength(1);
  });

  test("a chart's test pod finds the ConfigMap of its test scripts, another test hook (jenkinsci's chart)", async () => {
    const dir = writeTree({
      '.k8s-gold.yaml': config,
      'chart/Chart.yaml': 'apiVersion: v2\nname: ci\nversion: 0.1.0\n',
      'chart/templates/tests/test-config.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-tests\n  annotations:\n    "helm.sh/hook": test\ndata:\n  run.sh: "true"\n',
      'chart/templates/tests/test-pod.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-ui-test\n  annotations:\n    "helm.sh/hook": test-success\nspec:\n  restartPolicy: Never\n  containers:\n    - name: t\n      image: busybox:1.38.0\n      volumeMounts: [{name: tests, mountPath: /tests}]\n  volumes:\n    - name: tests\n      configMap: {name: {{ .Release.Name }}-tests}\n    - name: other\n      configMap: {name: {{ .Release.Name }}-gone}\n',
    });
    const r = await cli(['lint', '-f', 'json', 'chart'], { cwd: dir });
    const out = JSON.parse(r.stdout) as Result[];
    const refs = find(out, 'chart/templates/tests/test-pod.yaml', 'missing-references').map((m) => m.message);
    expect(refs).toEqual([expect.stringContaining('ConfigMap "release-name-gone"')]);
  });

  test('a library chart is not rendered on its own (helm refuses to), and says so', async () => {
    const dir = writeTree({
      '.k8s-gold.yaml': config,
      'common/Chart.yaml': 'apiVersion: v2\nname: common\nversion: 0.1.0\ntype: library\n',
      'common/templates/_labels.tpl': '{{- define "common.labels" -}}\napp: x\n{{- end -}}\n',
      'common/templates/cm.yaml': '{{- define "common.cm" -}}\napiVersion: v1\nkind: ConfigMap\n{{- end -}}\n',
    });
    const r = await cli(['lint', '.'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('note: library chart(s) common have no manifests of their own and were not rendered');
  });

  test('a chart or a kustomization that renders no object gets a note at its Chart.yaml or kustomization.yaml, not a green run', async () => {
    const dir = writeTree({
      '.k8s-gold.yaml': config,
      'off/Chart.yaml': 'apiVersion: v2\nname: off\nversion: 0.1.0\n',
      'off/values.yaml': 'enabled: false\n',
      'off/templates/cm.yaml': '{{- if .Values.enabled }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n{{- end }}\n',
      'flux/kustomization.yaml': 'resources:\n  - gotk-components.yaml\n',
      'flux/gotk-components.yaml': '# This manifest was generated by flux. DO NOT EDIT.\n',
    });
    const r = await cli(['lint', '-f', 'json', '.'], { cwd: dir });
    expect(r.code).toBe(0);
    const got = (JSON.parse(r.stdout) as Result[])
      .filter((x) => x.messages.length)
      .map((x) => [x.filePath, x.messages.map((m) => [m.ruleId, m.line, m.message.slice(0, 47)])]);
    expect(got).toEqual([
      ['flux/kustomization.yaml', [['non-manifest-file', 1, 'the render produced no Kubernetes object (every']]],
      ['off/Chart.yaml', [['non-manifest-file', 1, 'the render produced no Kubernetes object (every']]],
    ]);
  });

  describe('charts that do not render are errors at the line helm names', () => {
    test('a template error', async () => {
      const dir = writeTree({
        '.k8s-gold.yaml': config,
        'c/Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 0.1.0\n',
        'c/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {{ .Values.nope.deeper }}\n',
      });
      const r = await cli(['lint', '.'], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        /c\/templates\/cm\.yaml:6:15 +error +helm template c failed: demo\/templates\/cm\.yaml:6:15 executing "demo\/templates\/cm\.yaml" at <\.Values\.nope\.deeper>: nil pointer evaluating interface \{\}\.deeper +helm-render/,
      );
    });

    test('a template that renders invalid YAML', async () => {
      const dir = writeTree({
        '.k8s-gold.yaml': config,
        'c/Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 0.1.0\n',
        'c/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   bad: 1\n',
      });
      const r = await cli(['lint', '.'], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        /c\/templates\/cm\.yaml:5:1 +error +helm template c failed: YAML parse error on demo\/templates\/cm\.yaml: .*line 5: mapping values are not allowed in this context +helm-render/,
      );
    });

    test('a dependency that is not vendored (no network unless asked)', async () => {
      const dir = writeTree({
        '.k8s-gold.yaml': config,
        'c/Chart.yaml':
          'apiVersion: v2\nname: demo\nversion: 0.1.0\ndependencies:\n  - name: redis\n    version: 1.0.0\n    repository: https://charts.example.com\n',
        'c/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
      });
      const r = await cli(['lint', '.'], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        /c\/Chart\.yaml:5:3 +error +helm template c failed: .*missing in charts\/ directory: redis \(k8s-gold never downloads: vendor them with `helm dependency build`, or lint with --helm-dependency-update\) +helm-render/,
      );
    });

    test('an apiVersion v1 chart lists its dependencies in requirements.yaml: the error is at the entry there (DataDog charts/datadog)', async () => {
      const dir = writeTree({
        '.k8s-gold.yaml': config,
        'c/Chart.yaml': 'apiVersion: v1\nname: demo\nversion: 0.1.0\n',
        'c/requirements.yaml': 'dependencies:\n  - name: redis\n    version: 1.0.0\n    repository: https://charts.example.com\n',
        'c/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
      });
      const r = await cli(['lint', '.'], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/c\/requirements\.yaml:2:3 +error +helm template c failed: .*missing in charts\/ directory: redis/);
    });

    test("a dependency with the chart's own name is found under dependencies:, not at the chart's name", async () => {
      const dir = writeTree({
        '.k8s-gold.yaml': config,
        'c/Chart.yaml':
          'apiVersion: v2\nname: redis\nversion: 0.1.0\ndependencies:\n  - name: redis\n    version: 1.0.0\n    repository: https://charts.example.com\n',
        'c/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
      });
      const r = await cli(['lint', '.'], { cwd: dir });
      expect(r.stdout).toMatch(/c\/Chart\.yaml:5:3 +error +helm template c failed: .*missing in charts\/ directory: redis/);
    });
  });

  test('a kustomization that reads a file outside its directory is built with LoadRestrictionsNone and an info (cluster-api), unless the config says rootOnly or none', async () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cni}\ndata:\n  mode: "on"\n  count: 3\n';
    const dir = writeTree({
      '.k8s-gold.yaml': config,
      'root-only.yaml': `${config}  loadRestrictor: rootOnly\n`,
      'none.yaml': `${config}  loadRestrictor: none\n`,
      'lr/bases/cm.yaml': cm,
      'lr/a/kustomization.yaml': 'namePrefix: a-\nresources:\n- ../bases/cm.yaml\n',
      'lr/b/kustomization.yaml': 'resources:\n- ../a\n',
    });
    const lines = async (args: string[]): Promise<{ code: number; msgs: string[] }> => {
      const r = await cli(['lint', '-f', 'json', ...args, 'lr/b'], { cwd: dir });
      const out = JSON.parse(r.stdout) as Result[];
      return {
        code: r.code,
        msgs: out.flatMap((x) => x.messages.map((m) => `${x.filePath}:${m.line}:${m.column} ${m.severity} ${m.ruleId}`)),
      };
    };
    // built: the ConfigMap's finding (a number in data) lands in the base file; the note is at the entry, in a's kustomization
    const auto = await lines([]);
    expect(auto.msgs).toEqual(['lr/a/kustomization.yaml:3:1 1 kustomize-render', 'lr/bases/cm.yaml:6:3 2 schema']);
    expect(auto.code).toBe(1);
    const rootOnly = await lines(['-c', 'root-only.yaml']);
    expect(rootOnly.msgs).toEqual(['lr/a/kustomization.yaml:3:1 2 kustomize-render']);
    expect(rootOnly.code).toBe(1);
    const none = await lines(['-c', 'none.yaml']);
    expect(none.msgs).toEqual(['lr/bases/cm.yaml:6:3 2 schema']);
    const text = (await cli(['lint', 'lr/b'], { cwd: dir })).stdout;
    expect(text).toContain("../bases/cm.yaml is outside this kustomization's directory");
  });

  test('a file a generator reads that does not exist (git-ignored params.env) is an error at its entry, before the build', async () => {
    const dir = writeTree({
      '.k8s-gold.yaml': config,
      'o/kustomization.yaml': 'resources:\n- cm.yaml\nconfigMapGenerator:\n- name: params\n  envs:\n  - params.env\n',
      'o/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    });
    const r = await cli(['lint', '-f', 'json', 'o'], { cwd: dir });
    expect(r.code).toBe(1);
    const msgs = (JSON.parse(r.stdout) as Result[]).flatMap((x) =>
      x.messages.map((m) => `${x.filePath}:${m.line}:${m.column} ${m.message}`),
    );
    expect(msgs).toEqual([
      'o/kustomization.yaml:6:3 kustomize build o failed: file params.env, which a generator reads, does not exist, so kustomize cannot build it; create it (a git-ignored or generated file must exist before the lint), or remove the entry',
    ]);
  });

  test('a listed configuration or patch file that does not exist is an error at its entry, in words, not kustomize lstat text', async () => {
    const dir = writeTree({
      '.k8s-gold.yaml': config,
      'q/kustomization.yaml': 'resources:\n- cm.yaml\nconfigurations:\n- kustomizeconfig/mykind.yaml\n',
      'q/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
      'p/kustomization.yaml': 'resources:\n- cm.yaml\npatches:\n- path: replicas-patch.yaml\n',
      'p/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    });
    const r = await cli(['lint', '-f', 'json', 'q', 'p'], { cwd: dir });
    expect(r.code).toBe(1);
    const msgs = (JSON.parse(r.stdout) as Result[]).flatMap((x) =>
      x.messages.map((m) => `${x.filePath}:${m.line}:${m.column} ${m.message}`),
    );
    expect(msgs).toEqual([
      'p/kustomization.yaml:4:1 kustomize build p failed: file replicas-patch.yaml, listed under patches, does not exist, so kustomize cannot build it; create it, or fix or remove the entry',
      'q/kustomization.yaml:4:1 kustomize build q failed: file kustomizeconfig/mykind.yaml, listed under configurations, does not exist, so kustomize cannot build it; create it, or fix or remove the entry',
    ]);
  });

  test('a listed file that is missing but git-ignored (a setup step makes it) is an info naming the pattern; one not ignored stays an error', async () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n';
    const dir = writeTree({
      '.k8s-gold.yaml': config,
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore':
        '# made by make deploy\noverlays/*/params.yaml\n!overlays/keep/params.yaml\nparams.env\ngenerated/\n# a directory pattern after a file pattern: the file pattern is named\nb\n# make copies kustomization_base.yaml\nmanager/kustomization.yaml\n',
      'overlays/a/kustomization.yaml': 'resources:\n- cm.yaml\npatches:\n- path: params.yaml\n',
      'overlays/a/cm.yaml': cm,
      'overlays/keep/kustomization.yaml': 'resources:\n- cm.yaml\npatches:\n- path: params.yaml\n',
      'overlays/keep/cm.yaml': cm,
      'overlays/b/kustomization.yaml': 'configMapGenerator:\n- name: env\n  envs:\n  - params.env\n',
      'overlays/c/kustomization.yaml': 'resources:\n- generated/all.yaml\n',
      // made by a script from the template beside it (kubevirtci's sriovdp-config.yaml.in), not git-ignored
      'overlays/d/kustomization.yaml': 'resources:\n- cm.yaml\n- device-config.yaml\n',
      'overlays/d/cm.yaml': cm,
      'overlays/d/device-config.yaml.in': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: devices}\ndata: {config: $CONFIG}\n',
      // a resource directory whose kustomization a setup step copies from a base file (solr-operator's config/manager)
      'overlays/e/kustomization.yaml': 'namespace: op\nbases:\n- ../../manager\n',
      'manager/kustomization_base.yaml': 'resources:\n- cm.yaml\n',
      'manager/cm.yaml': cm,
      // the same without the ignore pattern: kustomize's own error
      'overlays/f/kustomization.yaml': 'resources:\n- ../../lib\n',
      'lib/cm.yaml': cm,
      // a Helm post-renderer: the script writes what helm renders to template.yaml, then builds (the Flink operator)
      'overlays/g/kustomization.yaml': 'resources:\n  - template.yaml\npatches:\n  - path: patch.yaml\n',
      'overlays/g/patch.yaml': cm,
      'overlays/g/render':
        '#!/bin/bash\nBASEDIR=$(dirname "$0")\ncat <&0 > $BASEDIR/template.yaml\nkustomize build $BASEDIR && rm $BASEDIR/template.yaml\n',
      // a script that only reads a file of that name writes nothing: the error stays
      'overlays/h/kustomization.yaml': 'resources:\n  - all.yaml\n',
      'overlays/h/show.sh': '#!/bin/sh\ncat all.yaml > /dev/null\necho done > all.yaml.log\n',
    });
    fs.chmodSync(path.join(dir, 'overlays/g/render'), 0o755);
    const r = await cli(['lint', '-f', 'json', 'overlays'], { cwd: dir });
    expect(r.code).toBe(1);
    const msgs = (JSON.parse(r.stdout) as Result[]).flatMap((x) =>
      x.messages.map((m) => `${x.filePath}:${m.line}:${m.column} ${m.level} ${m.message}`),
    );
    const made =
      "a setup step makes it, so this kustomization was not built or linted; make the file (the repository's build or README says how) and lint again to check it";
    expect(msgs).toEqual([
      `overlays/a/kustomization.yaml:4:1 info kustomize build overlays/a not run: params.yaml does not exist and is git-ignored (overlays/*/params.yaml in .gitignore): ${made}`,
      `overlays/b/kustomization.yaml:4:3 info kustomize build overlays/b not run: params.env does not exist and is git-ignored (params.env in .gitignore): ${made}`,
      `overlays/c/kustomization.yaml:2:1 info kustomize build overlays/c not run: generated/all.yaml does not exist and is git-ignored (generated/ in .gitignore): ${made}`,
      `overlays/d/kustomization.yaml:3:1 info kustomize build overlays/d not run: device-config.yaml does not exist and its template device-config.yaml.in beside it does: ${made}`,
      `overlays/e/kustomization.yaml:3:1 info kustomize build overlays/e not run: ../../manager/kustomization.yaml does not exist and is git-ignored (manager/kustomization.yaml in .gitignore): ${made}`,
      expect.stringMatching(
        /^overlays\/f\/kustomization.yaml:2:1 error kustomize build overlays\/f failed: .*unable to find one of 'kustomization.yaml'/,
      ),
      `overlays/g/kustomization.yaml:2:3 info kustomize build overlays/g not run: template.yaml does not exist and the script render beside it writes it: ${made}`,
      'overlays/h/kustomization.yaml:2:3 error kustomize build overlays/h failed: resource all.yaml does not exist, so kustomize cannot build it ("must resolve to a file"); create it (a generated file must be generated before the lint), or remove the entry',
      'overlays/keep/kustomization.yaml:4:1 error kustomize build overlays/keep failed: file params.yaml, listed under patches, does not exist, so kustomize cannot build it; create it, or fix or remove the entry',
    ]);
    // a run that checked nothing because of it says why, not "point k8s-gold at the manifests"
    const only = await cli(['lint', 'overlays/a', 'overlays/b'], { cwd: dir });
    expect(only.code).toBe(0);
    expect(only.stdout).toContain(
      'note: no Kubernetes object was linted, so nothing was checked: 2 kustomizations need files a setup step makes (the infos at their entries name them); make them and lint again',
    );
  });

  describe('a kustomize tree', () => {
    const dir = writeTree({
      '.k8s-gold.yaml': config,
      'k/base/kustomization.yaml': 'resources:\n  - deploy.yaml\n  - service.yaml\n',
      'k/base/deploy.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        # k8s-gold-ignore privilege-escalation -- set by the cluster policy\n        - name: web\n          image: nginx:1.27.3\n',
      'k/base/service.yaml':
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n    - port: 80\n      targetPort: 8080\n',
      'k/overlays/prod/kustomization.yaml': 'namePrefix: prod-\nresources:\n  - ../../base\npatches:\n  - path: image.yaml\n',
      'k/overlays/prod/image.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx:latest\n          imagePulPolicy: Always\n',
      'k/overlays/prod/stray.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stray}\n',
      'k/overlays/dev/kustomization.yaml':
        'resources:\n  - ../../base\n  - hpa.yaml\nconfigMapGenerator:\n  - name: settings\n    literals: [mode=fast]\n  - name: web-env\n    literals: [LOG=debug]\n',
      'k/overlays/dev/hpa.yaml':
        'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 2\n  maxReplicas: 4\n  metrics:\n    - type: Resource\n      resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}\n',
      // `vars` makes kustomize print a deprecation warning before the error
      'k/broken/kustomization.yaml':
        'resources:\n  - deploy.yaml\n  - missing.yaml\nvars:\n  - name: CM\n    objref: {kind: ConfigMap, name: a, apiVersion: v1}\n',
      'k/broken/deploy.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    });
    let results: Result[] = [];
    let stdout = '';
    beforeAll(async () => {
      const r = await cli(['lint', '-f', 'json', 'k'], { cwd: dir });
      expect(r.code).toBe(1);
      stdout = r.stdout;
      results = JSON.parse(r.stdout) as Result[];
    });

    test('overlays are built; the base is linted through them; patches and kustomizations are not linted raw', () => {
      expect(files(results).sort()).toEqual(['k/base/deploy.yaml', 'k/broken/kustomization.yaml', 'k/overlays/prod/image.yaml']);
      // a complete object that no kustomization lists is linted on its own (src/engine/unlisted.ts), not through a build
      const stray = results.find((r) => r.filePath === 'k/overlays/prod/stray.yaml');
      expect(stray?.objectCount).toBe(1);
      expect(stray?.messages).toEqual([]);
      expect(stdout).not.toContain('stray[kustomize build]');
    });

    test('a field set by a patch lands on the patch line', () => {
      const [tag] = find(results, 'k/overlays/prod/image.yaml', 'image-tag');
      expect(tag).toMatchObject({ line: 10, column: 11 });
      expect(tag!.message).toContain('nginx:latest');
    });

    test('a field a patch adds (absent from the base) lands on the patch line, not on its parent in the base', () => {
      const [unknown] = find(results, 'k/overlays/prod/image.yaml', 'schema');
      expect(unknown).toMatchObject({ line: 11, column: 11 });
      expect(unknown!.message).toMatch(/^unknown field "imagePulPolicy"/);
      expect(find(results, 'k/base/deploy.yaml', 'schema')).toEqual([]);
    });

    test('an unchanged field lands on its line in the base, once for both overlays when the finding is the same', () => {
      const res = find(results, 'k/base/deploy.yaml', 'resource-requests-limits');
      expect(res.map((m) => m.line)).toEqual([15]);
    });

    test('a suppression comment in a kustomize source file works (kustomize drops comments; they are read from the source)', () => {
      const r = results.find((x) => x.filePath === 'k/base/deploy.yaml')!;
      expect(r.messages.filter((m) => m.ruleId === 'privilege-escalation')).toEqual([]);
      expect(
        r.suppressedMessages.filter((m) => m.ruleId === 'privilege-escalation').map((m) => [m.line, m.suppressions![0]!.justification]),
      ).toEqual([[15, 'set by the cluster policy']]);
    });

    test('messages that name another object give its source file and line, and overlays are not duplicates of each other', () => {
      const [hpa] = find(results, 'k/base/deploy.yaml', 'replicas-with-hpa');
      expect(hpa).toMatchObject({ line: 6 });
      expect(hpa!.message).toContain('k/overlays/dev/hpa.yaml');
      expect(
        results
          .flatMap((r) => r.messages)
          .map((m) => m.message)
          .join('\n'),
      ).not.toMatch(/\[kustomize build\]/);
      // and a render sees only its own objects (and plain manifests): the dev Deployment is not selected by prod's Service
      expect(find(results, 'k/base/deploy.yaml', 'missing-probes').map((m) => m.message)).toEqual([
        expect.stringContaining('Service "web" selects this pod'),
      ]);
      expect(results.flatMap((r) => r.messages).filter((m) => m.ruleId === 'duplicate-object')).toEqual([]);
    });

    test('an object from a generator maps to its generator entry in the kustomization', async () => {
      fs.writeFileSync(
        path.join(dir, 'labels.yaml'),
        `${config}rules:\n  required-labels: [warning, {labels: [team], kinds: [core/ConfigMap]}]\n`,
      );
      const r = await cli(['lint', '-f', 'json', '-c', 'labels.yaml', 'k/overlays/dev'], { cwd: dir });
      const out = JSON.parse(r.stdout) as Result[];
      const msgs = (out.find((x) => x.filePath === 'k/overlays/dev/kustomization.yaml')?.messages ?? []).filter(
        (m) => m.ruleId === 'required-labels',
      );
      expect(msgs.map((m) => [m.line, m.object!.name.replace(/-[a-z0-9]{10}$/, '')])).toEqual([
        [5, 'settings'],
        [7, 'web-env'],
      ]);
    });

    test('a kustomization that does not build is an error at the entry it names', () => {
      const [e] = find(results, 'k/broken/kustomization.yaml', 'kustomize-render');
      expect(e).toMatchObject({ line: 3, column: 3, level: 'error' });
      expect(e!.message).toMatch(/^kustomize build k\/broken failed: .*missing\.yaml/);
      // kubectl's log prefix (E1202 02:09:45.553776 20456 run.go:72] "command failed" err=…) is not repeated
      expect(e!.message).not.toMatch(/run\.go|"command failed"/);
      // nor kustomize's deprecation warning, which is not the failure
      expect(e!.message).not.toMatch(/# Warning|deprecated/);
    });

    test('a component is linted through the kustomization that uses it, and never built alone', async () => {
      fs.mkdirSync(path.join(dir, 'c/comp'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'c/app'), { recursive: true });
      fs.writeFileSync(
        path.join(dir, 'c/comp/kustomization.yaml'),
        'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - cm.yaml\n',
      );
      fs.writeFileSync(
        path.join(dir, 'c/comp/cm.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  mode: fast\n',
      );
      fs.writeFileSync(path.join(dir, 'c/app/kustomization.yaml'), 'resources: []\ncomponents:\n  - ../comp\n');
      const alone = await cli(['lint', 'c/comp'], { cwd: dir });
      expect(alone.code).toBe(0);
      expect(alone.stdout).toContain('note: kustomize component(s) c/comp are used by no kustomization in the input and were not linted');
      const all = JSON.parse((await cli(['lint', '-f', 'json', 'c'], { cwd: dir })).stdout) as Result[];
      expect(files(all)).toEqual([]);
      expect(all.find((r) => r.filePath === 'c/comp/cm.yaml')?.objectCount).toBe(1);
    });

    test.each([
      [
        'a remote resource is not fetched: an error at its entry',
        'r',
        'resources:\n  - deploy.yaml\n  - https://github.com/example/manifests//base?ref=v1\n',
        '3:3',
        'https://github.com/example/manifests//base?ref=v1',
      ],
      [
        'an OpenAPI schema read from a URL is not fetched either: an error at its entry (argo-rollouts test/kustomize)',
        'oa',
        'resources:\n  - deploy.yaml\nopenapi:\n  path: https://example.com/schema/kustomize_schema.json\n',
        '4:3',
        'https://example.com/schema/kustomize_schema.json',
      ],
    ])('%s', async (_name, sub, kustomization, at, url) => {
      fs.mkdirSync(path.join(dir, sub), { recursive: true });
      fs.writeFileSync(path.join(dir, sub, 'kustomization.yaml'), kustomization);
      fs.writeFileSync(path.join(dir, sub, 'deploy.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
      const r = await cli(['lint', sub], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(
        `${sub}/kustomization.yaml:${at}  error  kustomize build ${sub} failed: remote resource ${url}: kustomize would fetch it from the network, which k8s-gold does not do by default; vendor it, or set kustomize.allowRemote: true in the config  kustomize-render`,
      );
    });

    test('a patch whose target no resource of the build is: the error is at the patch entry and names it (velero design/CLI/PoC)', async () => {
      fs.mkdirSync(path.join(dir, 'pt/base'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'pt/overlay'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'pt/base/kustomization.yaml'), 'resources:\n  - cm.yaml\n');
      fs.writeFileSync(path.join(dir, 'pt/base/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
      fs.writeFileSync(
        path.join(dir, 'pt/overlay/kustomization.yaml'),
        'resources:\n  - ../base\npatchesStrategicMerge:\n  - plugin.yaml # this patches the deployment\n',
      );
      fs.writeFileSync(
        path.join(dir, 'pt/overlay/plugin.yaml'),
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: velero\nspec:\n  replicas: 2\n',
      );
      const r = await cli(['lint', '-f', 'json', 'pt/overlay'], { cwd: dir });
      const msgs = (JSON.parse(r.stdout) as Result[]).flatMap((x) =>
        x.messages
          .filter((m) => m.ruleId === 'kustomize-render')
          .map((m) => ({ at: `${x.filePath}:${m.line}:${m.column}`, message: m.message })),
      );
      expect(msgs.map((m) => m.at)).toEqual(['pt/overlay/kustomization.yaml:4:3']);
      expect(msgs[0]!.message).toMatch(/the patch plugin\.yaml is for Deployment velero, which no resource of this build is/);
    });

    test('overlays built on a base that fails at one place get one finding there, naming them all (kubeflow)', async () => {
      fs.mkdirSync(path.join(dir, 'm/base'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'm/base/kustomization.yaml'), 'resources:\n  - https://github.com/example/crds//minimal?ref=v3\n');
      for (const o of ['dev', 'prod', 'stage']) {
        fs.mkdirSync(path.join(dir, `m/overlays/${o}`), { recursive: true });
        fs.writeFileSync(path.join(dir, `m/overlays/${o}/kustomization.yaml`), 'resources:\n  - ../../base\n');
      }
      const r = await cli(['lint', '-f', 'json', 'm/overlays'], { cwd: dir });
      expect(r.code).toBe(1);
      const msgs = (JSON.parse(r.stdout) as Result[]).flatMap((x) =>
        x.messages.filter((m) => m.ruleId === 'kustomize-render').map((m) => `${x.filePath}:${m.line} ${m.message.split(' failed:')[0]}`),
      );
      expect(msgs).toEqual([
        'm/base/kustomization.yaml:2 kustomize build m/overlays/dev (and 2 other kustomizations whose build reaches it: m/overlays/prod, m/overlays/stage)',
      ]);
    });

    test('overlays on a base that lists a missing (generated) file get one finding at its entry (ingress-nginx)', async () => {
      fs.mkdirSync(path.join(dir, 'g/common'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'g/common/kustomization.yaml'), 'resources:\n- manifest.yaml\n- namespace.yaml\n');
      fs.writeFileSync(path.join(dir, 'g/common/namespace.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: ingress}\n');
      for (const [o, up] of [
        ['aws', '../..'],
        ['aws/nlb', '../../..'],
        ['kind', '../..'],
      ]) {
        fs.mkdirSync(path.join(dir, `g/provider/${o}`), { recursive: true });
        fs.writeFileSync(path.join(dir, `g/provider/${o}/kustomization.yaml`), `resources:\n- ${up}/common\n`);
      }
      const r = await cli(['lint', '-f', 'json', 'g/provider'], { cwd: dir });
      expect(r.code).toBe(1);
      const msgs = (JSON.parse(r.stdout) as Result[]).flatMap((x) =>
        x.messages.filter((m) => m.ruleId === 'kustomize-render').map((m) => `${x.filePath}:${m.line}:${m.column} ${m.message}`),
      );
      expect(msgs).toEqual([
        'g/common/kustomization.yaml:2:1 kustomize build g/provider/aws (and 2 other kustomizations whose build reaches it: g/provider/aws/nlb, g/provider/kind) failed: resource manifest.yaml does not exist, so kustomize cannot build it ("must resolve to a file"); create it (a generated file must be generated before the lint), or remove the entry',
      ]);
    });

    test('a base given alone is a target itself', async () => {
      const r = await cli(['lint', '-f', 'json', 'k/base'], { cwd: dir });
      const out = JSON.parse(r.stdout) as Result[];
      expect(find(out, 'k/base/deploy.yaml', 'image-tag')).toEqual([]);
      expect(find(out, 'k/base/deploy.yaml', 'resource-requests-limits').map((m) => m.line)).toEqual([15]);
    });
  });
});
