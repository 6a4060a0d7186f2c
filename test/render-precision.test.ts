/**
 * Helm renders on real charts: line mapping around block scalars in list items
 * (`- |`, as in an init container's `command:` script) and in templates that hold several objects:
 * a finding lands on the template line that wrote the field, never on another
 * object's `kind:` line. Found on GoogleCloudPlatform/microservices-demo
 * helm-chart/templates/loadgenerator.yaml. And helm's own log lines are not
 * part of a helm-render message (rook/rook deploy/charts/rook-ceph), and a
 * checksum/config annotation (a digest of the marked template) does not stop
 * the mapping (grafana/helm-charts charts/fluent-bit).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import type { LintResult } from '../src/engine/result';
import { markTemplate } from '../src/render/helm';
import { cli, writeTree } from './helpers';
import { describeWithTools } from './helpers/tools';

test('markTemplate leaves the content of a `- |` scalar alone, at any indentation deeper than its item', () => {
  const t = ['args:', '- |', '  a: 1', '  b: 2', '- - >', '    c: 3', '- d: |', '    e: 4', 'f: 5'].join('\n');
  expect(markTemplate(t, 1).split('\n')).toEqual([
    'args: #k8sgold@1:1',
    '- | #k8sgold@1:2',
    '  a: 1',
    '  b: 2',
    '- - > #k8sgold@1:5',
    '    c: 3',
    '- d: | #k8sgold@1:7',
    '    e: 4',
    'f: 5 #k8sgold@1:9',
  ]);
});

test('markTemplate leaves a plain scalar that goes on over the next lines unmarked (controller-gen CRD descriptions, consul-k8s)', () => {
  const t = [
    'schema:',
    '  description: ControlPlaneRequestLimit is the Schema for the controlplanerequestlimits',
    '    API.',
    '  properties:',
    '  - name: one',
    '    type: string',
    '  - plain item that',
    '    goes on',
  ].join('\n');
  const marked = markTemplate(t, 0);
  expect(marked.split('\n')).toEqual([
    'schema: #k8sgold@0:1',
    '  description: ControlPlaneRequestLimit is the Schema for the controlplanerequestlimits',
    '    API.',
    '  properties: #k8sgold@0:4',
    '  - name: one #k8sgold@0:5',
    '    type: string #k8sgold@0:6',
    '  - plain item that',
    '    goes on',
  ]);
  expect(YAML.parse(marked)).toEqual(YAML.parse(t));
});

test('markTemplate reads a `}}` inside a string of an action as part of the string, not as the end of the action (kubescape image-pull-secret)', () => {
  const t = [
    'data:',
    '  auth: {{ printf "{\\"auths\\":{\\"%s\\":{}}}" .Values.server',
    '    .Values.user | b64enc }}',
    '  char: {{ printf "%c" \'}\' }}',
    '  raw: {{ `}}` }}',
    '  multi: {{ list `a',
    '    }}` | first }}',
    '  {{/* a comment with "quotes}} and it\'s */}}',
    'kind: Secret',
  ].join('\n');
  expect(markTemplate(t, 2).split('\n')).toEqual([
    'data: #k8sgold@2:1',
    // the action goes on over the next line: no marker inside it
    '  auth: {{ printf "{\\"auths\\":{\\"%s\\":{}}}" .Values.server',
    '    .Values.user | b64enc }}',
    '  char: {{ printf "%c" \'}\' }} #k8sgold@2:4',
    '  raw: {{ `}}` }} #k8sgold@2:5',
    '  multi: {{ list `a',
    '    }}` | first }}',
    '  {{/* a comment with "quotes}} and it\'s */}}',
    'kind: Secret #k8sgold@2:9',
  ]);
});

const TEMPLATE = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: gen
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: gen
spec:
  selector:
    matchLabels:
      app: gen
  template:
    metadata:
      labels:
        app: gen
    spec:
      serviceAccountName: gen
      initContainers:
      - command:
        - /bin/sh
        - -c
        - |
          echo "Attempt 1: ping"
          echo "done"
        name: check
        image: busybox:1.38.0
      containers:
      - name: main
        image: busybox:1.38.0
        resources:
          requests:
            cpu: 100m
            memory: 64Mi
          limits:
            memory: 64Mi
`;

describeWithTools('a multi-object template with a `- |` script', ({ helm }) => {
  test('the finding on the init container lands on its line, not on the ServiceAccount', async () => {
    const dir = writeTree({
      '.k8s-gold.yaml': `helm:\n  command: ${helm}\nrules:\n  resource-requests-limits: error\n`,
      'chart/Chart.yaml': 'apiVersion: v2\nname: gen\nversion: 0.1.0\n',
      'chart/templates/gen.yaml': TEMPLATE,
    });
    const r = await cli(['lint', '-f', 'json', 'chart'], { cwd: dir });
    const results = JSON.parse(r.stdout) as LintResult[];
    const got = results
      .filter((x) => x.filePath.endsWith(path.join('templates', 'gen.yaml')))
      .flatMap((x) => x.messages)
      .filter((m) => m.ruleId === 'resource-requests-limits')
      .map((m) => `${m.line}:${m.column}`);
    const lines = fs.readFileSync(path.join(dir, 'chart/templates/gen.yaml'), 'utf8').split('\n');
    const want = lines.findIndex((l) => l.includes('name: check')) + 1;
    expect(got).toEqual([`${want}:9`]);
  });
});

describeWithTools('a chart whose vendored library is a symbolic link and whose other dependency is missing', ({ helm }) => {
  test('the helm-render error is the error, without helm 4 log lines, at the missing dependency (rook/rook deploy/charts/rook-ceph)', async () => {
    const dir = writeTree({
      '.k8s-gold.yaml': `helm:\n  command: ${helm}\n`,
      'charts/library/Chart.yaml': 'apiVersion: v2\nname: library\nversion: 0.0.1\ntype: library\n',
      'charts/app/Chart.yaml':
        'apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: library\n    version: "0.0.1"\n    repository: "file://../library"\n  - name: remote-dep\n    version: 1.0.4\n    repository: https://charts.example.com\n',
      'charts/app/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n',
    });
    fs.mkdirSync(path.join(dir, 'charts/app/charts'));
    fs.symlinkSync('../../library', path.join(dir, 'charts/app/charts/library'));
    const r = await cli(['lint', '-f', 'json', 'charts/app'], { cwd: dir });
    const results = JSON.parse(r.stdout) as LintResult[];
    const msgs = results.flatMap((x) =>
      x.messages.map((m) => ({
        file: path.isAbsolute(x.filePath) ? path.relative(dir, x.filePath) : x.filePath,
        line: m.line,
        ruleId: m.ruleId,
        message: m.message,
      })),
    );
    const render = msgs.filter((m) => m.ruleId === 'helm-render');
    expect(render.map((m) => `${m.file}:${m.line}`)).toEqual(['charts/app/Chart.yaml:8']);
    expect(render[0]!.message).not.toMatch(/level=|symbolic link/);
    expect(render[0]!.message).toMatch(/missing in charts\/ directory: remote-dep/);
  });
});

const CHECKSUM_DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shipper
spec:
  selector:
    matchLabels:
      app: shipper
  template:
    metadata:
      labels:
        app: shipper
      annotations:
        checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}
    spec:
      containers:
      - name: shipper
        image: busybox:1.38.0
        resources:
          requests:
            cpu: 100m
            memory: 64Mi
`;

describeWithTools('a template with a checksum/config annotation of another template', ({ helm }) => {
  test('the finding lands on its template line, not on kind: (grafana/helm-charts charts/fluent-bit)', async () => {
    const dir = writeTree({
      '.k8s-gold.yaml': `helm:\n  command: ${helm}\nrules:\n  resource-requests-limits: error\n`,
      'chart/Chart.yaml': 'apiVersion: v2\nname: ship\nversion: 0.1.0\n',
      'chart/templates/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shipper\ndata:\n  a: "1"\n',
      'chart/templates/deployment.yaml': CHECKSUM_DEPLOY,
    });
    const r = await cli(['lint', '-f', 'json', 'chart'], { cwd: dir });
    const results = JSON.parse(r.stdout) as LintResult[];
    const got = results
      .filter((x) => x.filePath.endsWith(path.join('templates', 'deployment.yaml')))
      .flatMap((x) => x.messages)
      .filter((m) => m.ruleId === 'resource-requests-limits')
      .map((m) => m.line);
    const want = CHECKSUM_DEPLOY.split('\n').findIndex((l) => l.includes('resources:')) + 1; // no limits.memory: reported at resources
    expect(got).toEqual([want]);
  });
});

describeWithTools('a template whose action holds `}}` in a string, beside the template with the finding', ({ helm }) => {
  test('the marked copy still renders: the finding lands on its template line, not on kind: (kubescape-operator)', async () => {
    const dir = writeTree({
      '.k8s-gold.yaml': `helm:\n  command: ${helm}\nrules:\n  resource-requests-limits: error\n`,
      'chart/Chart.yaml': 'apiVersion: v2\nname: ship\nversion: 0.1.0\n',
      'chart/values.yaml': 'registry: r.example.com\n',
      'chart/templates/secret.yaml':
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: pull\ntype: kubernetes.io/dockerconfigjson\nstringData:\n' +
        '  .dockerconfigjson: {{ printf "{\\"auths\\":{\\"%s\\":{}}}"\n    .Values.registry | quote }}\n',
      'chart/templates/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shipper\ndata:\n  a: "1"\n',
      'chart/templates/deployment.yaml': CHECKSUM_DEPLOY,
    });
    const r = await cli(['lint', '-f', 'json', 'chart'], { cwd: dir });
    const results = JSON.parse(r.stdout) as LintResult[];
    const got = results
      .filter((x) => x.filePath.endsWith(path.join('templates', 'deployment.yaml')))
      .flatMap((x) => x.messages)
      .filter((m) => m.ruleId === 'resource-requests-limits')
      .map((m) => m.line);
    const want = CHECKSUM_DEPLOY.split('\n').findIndex((l) => l.includes('resources:')) + 1;
    expect(got).toEqual([want]);
  });
});

describeWithTools('a dependency missing from charts/ that the values switch off (external-secrets bitwarden-sdk-server)', ({ helm }) => {
  const chart = (values: string): Record<string, string> => ({
    '.k8s-gold.yaml': `helm:\n  command: ${helm}\n`,
    'app/Chart.yaml':
      'apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: sdk-server\n    version: v0.6.0\n    repository: oci://ghcr.io/example/charts\n    condition: sdk-server.enabled\n  - name: extras\n    version: 1.0.0\n    repository: https://charts.example.com\n    tags: [extras]\n',
    'app/values.yaml': values,
    'app/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  mode: {{ .Values.mode | quote }}\n',
  });
  const lint = async (dir: string, args: string[] = []) => {
    const r = await cli(['lint', '-f', 'json', ...args, 'app'], { cwd: dir });
    const results = JSON.parse(r.stdout) as LintResult[];
    return results.flatMap((x) =>
      x.messages
        .filter((m) => m.ruleId === 'helm-render')
        .map((m) => `${path.isAbsolute(x.filePath) ? path.relative(dir, x.filePath) : x.filePath}:${m.line} ${m.severity} ${m.message}`),
    );
  };

  test('both off by the values: rendered without them, one info at each dependency, the chart linted', async () => {
    const dir = writeTree(chart('mode: fast\nsdk-server:\n  enabled: false\ntags:\n  extras: false\n'));
    const got = await lint(dir);
    expect(got).toEqual([
      'app/Chart.yaml:5 1 dependency sdk-server is not vendored in charts/ but is switched off (condition sdk-server.enabled is false), so app was rendered without it; helm itself refuses to render the chart until it is vendored (helm dependency build)',
      'app/Chart.yaml:9 1 dependency extras is not vendored in charts/ but is switched off (tags extras are false), so app was rendered without it; helm itself refuses to render the chart until it is vendored (helm dependency build)',
    ]);
    // the chart's own objects were linted: a rule sees the ConfigMap (rendered from the copy, mapped to the user's template)
    const r = await cli(['lint', '-f', 'json', 'app'], { cwd: dir });
    const objects = (JSON.parse(r.stdout) as LintResult[]).map((x) => x.filePath);
    expect(objects).toContain('app/templates/cm.yaml');
    // the user's Chart.yaml is untouched
    expect(fs.readFileSync(path.join(dir, 'app/Chart.yaml'), 'utf8')).toContain('name: sdk-server');
  });

  test("one of them on (or decided by --set): helm's error stands", async () => {
    const dir = writeTree(chart('mode: fast\nsdk-server:\n  enabled: true\ntags:\n  extras: false\n'));
    const got = await lint(dir);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/^app\/Chart\.yaml:\d+ 2 helm template app failed: .*missing in charts\/ directory/);
    const off = writeTree(chart('mode: fast\nsdk-server:\n  enabled: false\ntags:\n  extras: false\n'));
    const set = await lint(off, ['--set', 'sdk-server.enabled=true']);
    expect(set).toHaveLength(1);
    expect(set[0]).toMatch(/ 2 helm template app failed: /);
  });
});

describeWithTools('a chart whose values schema requires a value its defaults leave out (external-dns policy)', ({ helm }) => {
  test('the helm-render error says how to give values; with them the chart renders', async () => {
    const dir = writeTree({
      '.k8s-gold.yaml': `helm:\n  command: ${helm}\n`,
      'app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
      'app/values.yaml': 'policy: # one of create-only, sync, upsert-only\n',
      'app/values.schema.json': JSON.stringify({
        type: 'object',
        required: ['policy'],
        properties: { policy: { type: 'string', enum: ['create-only', 'sync', 'upsert-only'] } },
      }),
      'app/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  policy: {{ .Values.policy | quote }}\n',
    });
    const render = async (args: string[]) => {
      const r = await cli(['lint', '-f', 'json', ...args, 'app'], { cwd: dir });
      return (JSON.parse(r.stdout) as LintResult[]).flatMap((x) =>
        x.messages.filter((m) => m.ruleId === 'helm-render').map((m) => m.message),
      );
    };
    const failed = await render([]);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(/values don't meet the specifications of the schema/);
    expect(failed[0]).toMatch(/the chart needs values its defaults do not give: pass them with --values or --set/);
    expect(await render(['--set', 'policy=sync'])).toEqual([]);
  });
});

describeWithTools('dependencies kept in the repository (repository: file://…), as linkerd and rook keep them', ({ helm }) => {
  const tree = (extraValues = ''): Record<string, string> => ({
    '.k8s-gold.yaml': `helm:\n  command: ${helm}\n`,
    'charts/partials/Chart.yaml': 'apiVersion: v2\nname: partials\nversion: 0.1.0\ntype: library\n',
    'charts/partials/templates/_helpers.tpl': '{{- define "partials.image" -}}\nexample/app:latest\n{{- end -}}\n',
    'charts/worker/Chart.yaml': 'apiVersion: v2\nname: worker\nversion: 0.1.0\n',
    'charts/worker/templates/pod.yaml':
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: worker\nspec:\n  containers:\n    - name: worker\n      image: example/worker:latest\n',
    'charts/app/Chart.yaml':
      'apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: partials\n    version: 0.1.0\n    repository: file://../partials\n  - name: worker\n    version: 0.1.0\n    repository: "file://../worker"\n',
    'charts/app/values.yaml': `name: app\n${extraValues}`,
    'charts/app/templates/pod.yaml':
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ required "name is required" .Values.name }}\nspec:\n  containers:\n    - name: app\n      image: {{ include "partials.image" . }}\n',
  });
  const findings = async (dir: string) => {
    const r = await cli(['lint', '-f', 'json', 'charts/app'], { cwd: dir });
    return (JSON.parse(r.stdout) as LintResult[]).flatMap((x) =>
      x.messages
        .filter((m) => m.ruleId === 'image-tag' || m.ruleId === 'helm-render')
        .map((m) => `${path.isAbsolute(x.filePath) ? path.relative(dir, x.filePath) : x.filePath}:${m.line} ${m.ruleId}`),
    );
  };

  test('rendered as helm dependency build would vendor them, offline; findings in a local dependency point at its own directory', async () => {
    const dir = writeTree(tree());
    expect(await findings(dir)).toEqual(['charts/app/templates/pod.yaml:8 image-tag', 'charts/worker/templates/pod.yaml:8 image-tag']);
    expect(fs.existsSync(path.join(dir, 'charts/app/charts'))).toBe(false);
  });

  test('--cache sees an edit of a local dependency', async () => {
    const dir = writeTree(tree());
    const run = async () => {
      const r = await cli(['lint', '--cache', '-f', 'json', 'charts/app'], { cwd: dir });
      return (JSON.parse(r.stdout) as LintResult[]).flatMap((x) =>
        x.messages.filter((m) => m.ruleId === 'image-tag').map(() => x.filePath),
      );
    };
    expect(await run()).toEqual(['charts/app/templates/pod.yaml', 'charts/worker/templates/pod.yaml']);
    fs.writeFileSync(
      path.join(dir, 'charts/worker/templates/pod.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: worker\nspec:\n  containers:\n    - name: worker\n      image: example/worker:1.2.3\n',
    );
    expect(await run()).toEqual(['charts/app/templates/pod.yaml']);
  });

  test('when the copy with them still fails, its error is reported (here a required value), with how to give values', async () => {
    const dir = writeTree(tree());
    fs.writeFileSync(path.join(dir, 'charts/app/values.yaml'), 'name: ""\n');
    const r = await cli(['lint', '-f', 'json', 'charts/app'], { cwd: dir });
    const msgs = (JSON.parse(r.stdout) as LintResult[]).flatMap((x) => x.messages.filter((m) => m.ruleId === 'helm-render'));
    expect(msgs).toHaveLength(1);
    expect(msgs[0]!.message).toMatch(/execution error at \(app\/templates\/pod\.yaml:4:\d+\): name is required/);
    expect(msgs[0]!.message).toMatch(/pass them with --values or --set/);
  });
});

describeWithTools('a chart whose default values leave the image repository empty (tekton test/gohelloworld)', ({ helm }) => {
  test('is an info that says to give the value, where a plain manifest with ":latest" stays an error', async () => {
    const dir = writeTree({
      '.k8s-gold.yaml': `helm:\n  command: ${helm}\n`,
      'chart/Chart.yaml': 'apiVersion: v2\nname: hello\nversion: 0.1.0\n',
      'chart/values.yaml': 'image:\n  tag: latest\n',
      'chart/templates/pod.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: hello\nspec:\n  containers:\n    - name: hello\n      image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n',
      'plain/pod.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: plain\nspec:\n  containers:\n    - name: plain\n      image: ":latest"\n',
    });
    const r = await cli(['lint', '-f', 'json', '.'], { cwd: dir });
    const got = (JSON.parse(r.stdout) as LintResult[]).flatMap((x) =>
      x.messages.filter((m) => m.ruleId === 'image-tag').map((m) => [x.filePath, m.line, m.level, m.message.split(' with the chart')[0]]),
    );
    expect(got).toEqual([
      ['chart/templates/pod.yaml', 8, 'info', 'image ":latest" of container "hello" has an empty repository'],
      ['plain/pod.yaml', 8, 'error', expect.stringContaining('has an empty repository name')],
    ]);
  });
});

const RANDOM_POD = `apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-test-{{ randAlphaNum 5 | lower }}
  annotations:
    "helm.sh/hook": test
spec:
  containers:
    - name: probe
      image: busybox:1.38.0
      command: ['wget', '{{ .Release.Name }}:80']
  restartPolicy: Never
`;

describeWithTools('a template with a random value (randAlphaNum) in it', ({ helm }) => {
  test('the finding lands on its template line, not on kind: (stefanprodan/podinfo charts/podinfo/templates/tests)', async () => {
    const dir = writeTree({
      '.k8s-gold.yaml': `helm:\n  command: ${helm}\n`,
      'chart/Chart.yaml': 'apiVersion: v2\nname: probe\nversion: 0.1.0\n',
      'chart/templates/tests/probe.yaml': RANDOM_POD,
    });
    const r = await cli(['lint', '-f', 'json', 'chart'], { cwd: dir });
    const results = JSON.parse(r.stdout) as LintResult[];
    const got = results
      .filter((x) => x.filePath.endsWith(path.join('tests', 'probe.yaml')))
      .flatMap((x) => x.messages)
      .filter((m) => m.ruleId === 'privilege-escalation')
      .map((m) => m.line);
    const want = RANDOM_POD.split('\n').findIndex((l) => l.includes('- name: probe')) + 1;
    expect(got).toEqual([want]);
    // the random value is fixed, so every run prints the same (the object's name is in JSON and SARIF fingerprints)
    const again = await cli(['lint', '-f', 'json', 'chart'], { cwd: dir });
    expect(again.stdout).toBe(r.stdout);
    const names = results.flatMap((x) => x.messages.map((m) => (m as { object?: { name?: string } }).object?.name)).filter(Boolean);
    expect(new Set(names)).toEqual(new Set(['release-name-test-xxxxx']));
  });
});

const BASE_DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: carts
spec:
  selector:
    matchLabels:
      app: carts
  template:
    metadata:
      labels:
        app: carts
    spec:
      containers:
      - name: carts
        image: busybox:1.38.0
`;

describeWithTools('a base that two overlays scale differently (aws-samples/eks-workshop-v2)', ({ kubectl }) => {
  test('the findings at one base line name the overlay each came from; one overlay alone stays unnamed', async () => {
    const overlay = (n: number): string =>
      `resources:\n- ../../base\npatches:\n- target:\n    kind: Deployment\n    name: carts\n  patch: |-\n    - op: add\n      path: /spec/replicas\n      value: ${n}\n`;
    const dir = writeTree({
      '.k8s-gold.yaml': `kustomize:\n  command: [${kubectl}, kustomize]\nrules:\n  topology-spread-constraints: warning\n`,
      'base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
      'base/deployment.yaml': BASE_DEPLOY,
      'overlays/small/kustomization.yaml': overlay(4),
      'overlays/large/kustomization.yaml': overlay(7),
    });
    const topology = async (args: string[]): Promise<string[]> => {
      const r = await cli(['lint', '-f', 'json', ...args], { cwd: dir });
      const results = JSON.parse(r.stdout) as LintResult[];
      return results
        .filter((x) => x.filePath.endsWith(path.join('base', 'deployment.yaml')))
        .flatMap((x) => x.messages)
        .filter((m) => m.ruleId === 'topology-spread-constraints')
        .map((m) => `${m.line} ${/has (\d+) replicas/.exec(m.message)?.[1]} ${/\((kustomize build [^)]*)\)$/.exec(m.message)?.[1] ?? '-'}`);
    };
    const line = BASE_DEPLOY.split('\n').indexOf('    spec:') + 1;
    expect((await topology(['.'])).sort()).toEqual([
      `${line} 4 kustomize build overlays/small`,
      `${line} 7 kustomize build overlays/large`,
    ]);
    expect(await topology(['overlays/small'])).toEqual([`${line} 4 -`]);
  });
});

const SCHEMA_WITH_URL = `{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "properties": {
    "seLinuxOptions": {
      "$ref": "https://raw.githubusercontent.com/instrumenta/kubernetes-json-schema/master/v1.18.0/_definitions.json#/definitions/io.k8s.api.core.v1.SELinuxOptions"
    }
  }
}
`;

describeWithTools('a chart whose values.schema.json refers to a URL (DataDog private-action-runner)', ({ helm }) => {
  test('is rendered without schema validation (helm would download the reference) and linted; an info at the $ref says so', async () => {
    const dir = writeTree({
      '.k8s-gold.yaml': `helm:\n  command: ${helm}\n`,
      'chart/Chart.yaml': 'apiVersion: v2\nname: runner\nversion: 0.1.0\n',
      'chart/values.yaml': 'image: busybox:latest\n',
      'chart/values.schema.json': SCHEMA_WITH_URL,
      'chart/templates/pod.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: runner\nspec:\n  containers:\n    - name: runner\n      image: {{ .Values.image }}\n',
    });
    const r = await cli(['lint', '-f', 'json', 'chart'], { cwd: dir });
    const results = JSON.parse(r.stdout) as LintResult[];
    const msgs = results.flatMap((x) => x.messages.map((m) => ({ file: x.filePath, ...m })));
    const render = msgs.filter((m) => m.ruleId === 'helm-render');
    expect(render.map((m) => `${path.basename(m.file)}:${m.line} ${m.level}`)).toEqual(['values.schema.json:6 info']);
    expect(render[0]!.message).toMatch(/refers to https:\/\/raw\.githubusercontent\.com\/.*_definitions\.json, which helm downloads/);
    // the templates were linted: the :latest image is found in the template
    expect(msgs.some((m) => m.ruleId === 'image-tag' && m.file.endsWith(path.join('templates', 'pod.yaml')))).toBe(true);
  });
});

describeWithTools(
  'a library kept in the repository whose schema has an $id URL and relative $refs (bjw-s common test-chart)',
  ({ helm }) => {
    test('is rendered without schema validation (the references resolve against the URL, which helm downloads); an info at the $ref', async () => {
      const dir = writeTree({
        '.k8s-gold.yaml': `helm:\n  command: ${helm}\n`,
        'lib/Chart.yaml': 'apiVersion: v2\nname: lib\ntype: library\nversion: 0.1.0\n',
        'lib/values.schema.json':
          '{\n  "$id": "https://charts.example.com/lib/values.schema.json",\n  "type": "object",\n' +
          '  "properties": {\n    "pod": { "$ref": "#/definitions/pod" },\n    "main": { "$ref": "schemas/container.json" }\n  },\n' +
          '  "definitions": { "pod": { "type": "object" } }\n}\n',
        'lib/templates/_pod.tpl': '{{- define "lib.image" -}}busybox:latest{{- end -}}\n',
        'app/Chart.yaml':
          'apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: lib\n    version: 0.1.0\n    repository: file://../lib\n',
        'app/templates/pod.yaml':
          'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: {{ include "lib.image" . }}\n',
      });
      const r = await cli(['lint', '-f', 'json', 'app'], { cwd: dir });
      const results = JSON.parse(r.stdout) as LintResult[];
      // the last two segments of each file: lib/values.schema.json, templates/pod.yaml
      const msgs = results.flatMap((x) => x.messages.map((m) => ({ file: x.filePath.split(/[\\/]/).slice(-2).join('/'), ...m })));
      const render = msgs.filter((m) => m.ruleId === 'helm-render');
      expect(render.map((m) => `${m.file}:${m.line} ${m.level}`)).toEqual(['lib/values.schema.json:6 info']);
      expect(render[0]!.message).toMatch(/refers to https:\/\/charts\.example\.com\/lib\/schemas\/container\.json, which helm downloads/);
      expect(msgs.some((m) => m.ruleId === 'image-tag' && m.file === 'templates/pod.yaml')).toBe(true);
    });
  },
);

const POD_TPL = `{{- define "agent.podTemplate" -}}
metadata:
  labels:
    app: agent
spec:
  containers:
    - name: agent
      image: busybox:1.38.0
      securityContext:
        privileged: true
{{- end }}
`;

describeWithTools('a pod template written by a named template of a .tpl file (falcosecurity/charts falco)', ({ helm }) => {
  test('the finding lands on the .tpl line that wrote the field, not on the include line', async () => {
    const dir = writeTree({
      '.k8s-gold.yaml': `helm:\n  command: ${helm}\n`,
      'chart/Chart.yaml': 'apiVersion: v2\nname: agent\nversion: 0.1.0\n',
      'chart/templates/pod-template.tpl': POD_TPL,
      'chart/templates/daemonset.yaml':
        'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLabels:\n      app: agent\n  template:\n    {{- include "agent.podTemplate" . | nindent 4 }}\n',
    });
    const r = await cli(['lint', '-f', 'json', 'chart'], { cwd: dir });
    const results = JSON.parse(r.stdout) as LintResult[];
    const got = results.flatMap((x) =>
      x.messages.filter((m) => m.ruleId === 'privileged-container').map((m) => `${path.basename(x.filePath)}:${m.line}:${m.column}`),
    );
    const line = POD_TPL.split('\n').findIndex((l) => l.includes('privileged: true')) + 1;
    expect(got).toEqual([`pod-template.tpl:${line}:9`]);
  });
});

const CAPABILITIES_PDB = `{{- if .Capabilities.APIVersions.Has "policy/v1/PodDisruptionBudget" }}
apiVersion: policy/v1
{{- else }}
apiVersion: policy/v1beta1
{{- end }}
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app: web
---
{{- if .Capabilities.APIVersions.Has "batch/v1beta1/CronJob" }}
apiVersion: batch/v1beta1
{{- else }}
apiVersion: batch/v1
{{- end }}
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: job
              image: busybox:1.38.0
---
{{- if .Capabilities.APIVersions.Has "apiregistration.k8s.io/v1" }}
apiVersion: apiregistration.k8s.io/v1
{{- else }}
apiVersion: apiregistration.k8s.io/v1beta1
{{- end }}
kind: APIService
metadata:
  name: v1beta1.custom.metrics.k8s.io
spec:
  group: custom.metrics.k8s.io
  version: v1beta1
  groupPriorityMinimum: 100
  versionPriority: 100
  service:
    name: adapter
    namespace: default
`;

describeWithTools(
  'a chart that asks .Capabilities.APIVersions for a kind (hashicorp/consul-k8s) or a group version (prometheus-adapter)',
  ({ helm }) => {
    test.each([
      ['1.33', []],
      ['1.24', ['batch/v1beta1 CronJob']],
    ])('renders as on a cluster of the target version %s: the branch that cluster takes', async (version, deprecated) => {
      const dir = writeTree({
        '.k8s-gold.yaml': `helm:\n  command: ${helm}\nkubernetesVersion: "${version}"\n`,
        'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
        'chart/templates/objects.yaml': CAPABILITIES_PDB,
      });
      const r = await cli(['lint', '-f', 'json', 'chart'], { cwd: dir });
      const results = JSON.parse(r.stdout) as LintResult[];
      const got = results.flatMap((x) =>
        x.messages.filter((m) => m.ruleId === 'deprecated-api').map((m) => /^(\S+ \S+)/.exec(m.message)?.[1]),
      );
      expect(got).toEqual(deprecated);
    });
  },
);

describeWithTools('a chart that refuses the default namespace (NVIDIA k8s-device-plugin)', ({ helm }) => {
  const tree = (profile = ''): Record<string, string> => ({
    '.k8s-gold.yaml': `helm:\n  command: ${helm}\n${profile}`,
    'chart/Chart.yaml': 'apiVersion: v2\nname: plugin\nversion: 0.1.0\n',
    'chart/templates/validation.yaml':
      '{{- if and (eq .Release.Namespace "default") (not .Values.allowDefaultNamespace) }}\n{{- fail "Running in the \'default\' namespace is not recommended. Set \'allowDefaultNamespace=true\' to bypass this error." }}\n{{- end }}\n',
    'chart/templates/cm.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plugin\n  namespace: {{ .Release.Namespace }}\ndata:\n  a: on\n',
  });
  test('is rendered in a namespace named after it, with an info at the fail, and linted', async () => {
    const dir = writeTree(tree());
    const r = await cli(['lint', '-f', 'json', 'chart'], { cwd: dir });
    const msgs = (JSON.parse(r.stdout) as LintResult[]).flatMap((x) => x.messages.map((m) => ({ file: path.basename(x.filePath), ...m })));
    expect(msgs.filter((m) => m.ruleId === 'helm-render').map((m) => `${m.file}:${m.line} ${m.level}`)).toEqual(['validation.yaml:2 info']);
    expect(msgs.find((m) => m.ruleId === 'helm-render')!.message).toMatch(/rendered with --namespace plugin/);
    expect(msgs.some((m) => m.ruleId === 'ambiguous-yaml-value' && m.file === 'cm.yaml')).toBe(true);
  });
  test('a namespace the profile gives is used as it is: a fail there stays an error', async () => {
    const dir = writeTree(tree('  charts:\n    - path: chart\n      profiles:\n        - name: here\n          namespace: default\n'));
    const r = await cli(['lint', '-f', 'json', 'chart'], { cwd: dir });
    const msgs = (JSON.parse(r.stdout) as LintResult[]).flatMap((x) => x.messages);
    expect(msgs.filter((m) => m.ruleId === 'helm-render').map((m) => m.level)).toEqual(['error']);
  });
});
