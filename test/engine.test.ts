/** The engine end to end: positions, Lists, suppressions, config, inputs. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSource } from '../src/engine/linter';
import { containers, podTemplate, specReplicas } from '../src/model/workload';
import { ObjectIndex } from '../src/model/index';
import { cli, lintPaths, lintText, only, writeTree } from './helpers';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: prod
spec:
  replicas: 3
  template:
    metadata:
      labels: {app: api}
    spec:
      initContainers:
        - name: migrate
          image: api:1
        - name: proxy
          image: envoy:1
          restartPolicy: Always
      containers:
        - name: api
          image: api:1
          env:
            - name: MODE
              value: on
`;

describe('positions', () => {
  const l = loadSource('d.yaml', '/tmp/d.yaml', deployment, 'default');
  const obj = l.objects[0]!;

  test('an existing scalar: from its key to the end of its value', () => {
    expect(obj.rangeOf(['spec', 'replicas']).range).toEqual({ line: 7, column: 3, endLine: 7, endColumn: 14 });
  });

  test('an existing mapping: its key', () => {
    expect(obj.rangeOf(['spec', 'template', 'metadata']).range).toEqual({ line: 9, column: 5, endLine: 9, endColumn: 13 });
  });

  test('a missing field in a container falls back to the container name entry', () => {
    const r = obj.rangeOf(['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits', 'memory']);
    expect(r.exact).toBe(false);
    expect(r.range).toEqual({ line: 19, column: 11, endLine: 19, endColumn: 20 });
  });

  test('a missing field elsewhere falls back to the nearest existing key', () => {
    const r = obj.rangeOf(['spec', 'template', 'spec', 'securityContext', 'fsGroup']);
    expect(r.range.line).toBe(11);
    expect(r.range.column).toBe(5);
  });

  test('flow mappings have exact columns', () => {
    expect(obj.rangeOf(['spec', 'template', 'metadata', 'labels', 'app']).range).toEqual({
      line: 10,
      column: 16,
      endLine: 10,
      endColumn: 24,
    });
  });

  test('CRLF and a BOM do not shift columns', () => {
    const crlf = '\ufeff' + deployment.replace(/\n/g, '\r\n');
    const l2 = loadSource('d.yaml', '/tmp/d.yaml', crlf.replace(/^\ufeff/, ''), 'default');
    expect(l2.objects[0]!.rangeOf(['spec', 'replicas']).range).toEqual({ line: 7, column: 3, endLine: 7, endColumn: 14 });
  });
});

describe('workload helpers', () => {
  const obj = loadSource('d.yaml', '/tmp/d.yaml', deployment, 'default').objects[0]!;
  test('pod template and containers by kind', () => {
    expect(podTemplate(obj)!.specPath).toEqual(['spec', 'template', 'spec']);
    expect(containers(obj).map((c) => `${c.kind}:${c.name}`)).toEqual(['init:migrate', 'sidecar:proxy', 'regular:api']);
    expect(containers(obj, ['regular']).map((c) => c.path)).toEqual([['spec', 'template', 'spec', 'containers', 0]]);
    expect(specReplicas(obj)).toBe(3);
  });

  test.each([
    ['Pod', 'v1', 'spec:\n  containers:\n    - name: c\n', []],
    ['Job', 'batch/v1', 'spec:\n  template:\n    spec:\n      containers:\n        - name: c\n', ['spec', 'template']],
    [
      'CronJob',
      'batch/v1',
      'spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: c\n',
      ['spec', 'jobTemplate', 'spec', 'template'],
    ],
    ['DaemonSet', 'apps/v1', 'spec:\n  template:\n    spec:\n      containers:\n        - name: c\n', ['spec', 'template']],
    ['ReplicationController', 'v1', 'spec:\n  template:\n    spec:\n      containers:\n        - name: c\n', ['spec', 'template']],
  ])('%s', (kind, apiVersion, body, base) => {
    const o = loadSource('x.yaml', '/tmp/x.yaml', `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: x}\n${body}`, 'default')
      .objects[0]!;
    expect(podTemplate(o)!.specPath).toEqual([...base, 'spec']);
    expect(containers(o).map((c) => c.name)).toEqual(['c']);
  });

  test('wrong types yield nothing instead of throwing', () => {
    for (const body of [
      'spec: 5',
      'spec: {template: "x"}',
      'spec: {template: {spec: {containers: "x"}}}',
      'spec: {template: {spec: {containers: [1, null, "x"]}}}',
    ]) {
      const o = loadSource('x.yaml', '/tmp/x.yaml', `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n${body}\n`, 'default')
        .objects[0]!;
      expect(containers(o)).toEqual([]);
    }
  });

  test('a custom resource that reuses a workload kind name is not a workload', () => {
    const o = loadSource(
      'x.yaml',
      '/tmp/x.yaml',
      'apiVersion: example.com/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {template: {spec: {containers: [{name: c}]}}}\n',
      'default',
    ).objects[0]!;
    expect(podTemplate(o)).toBeUndefined();
  });
});

describe('namespace-aware index', () => {
  const text = `apiVersion: v1
kind: Secret
metadata: {name: tls, namespace: a}
---
apiVersion: v1
kind: Secret
metadata: {name: tls}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: a}
spec: {selector: {app: api}}
`;
  test('objects without a namespace count as the default namespace', () => {
    const objs = loadSource('x.yaml', '/tmp/x.yaml', text, 'default').objects;
    const idx = new ObjectIndex(objs);
    expect(idx.secret('a', 'tls')!.declaredNamespace).toBe('a');
    expect(idx.secret('default', 'tls')!.declaredNamespace).toBeUndefined();
    expect(idx.secret('b', 'tls')).toBeUndefined();
    expect(idx.servicesSelecting('a', { app: 'api', tier: 'x' }).map((s) => s.name)).toEqual(['api']);
    expect(idx.servicesSelecting('default', { app: 'api' })).toEqual([]);
    const custom = new ObjectIndex(loadSource('x.yaml', '/tmp/x.yaml', text, 'team').objects);
    expect(custom.secret('team', 'tls')).toBeDefined();
  });

  test('hpasTargeting matches namespace, target kind, name and API group, in input order, and sees objects added later', () => {
    const hpa = (name: string, ns: string, ref: string): string =>
      `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: {minReplicas: 2, maxReplicas: 5, scaleTargetRef: ${ref}}\n`;
    const docs = [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: a}\nspec: {template: {spec: {containers: [{name: c, image: x}]}}}\n',
      hpa('h1', 'a', '{apiVersion: apps/v1, kind: Deployment, name: api}'),
      hpa('h2', 'b', '{apiVersion: apps/v1, kind: Deployment, name: api}'),
      hpa('h3', 'a', '{apiVersion: apps/v1, kind: StatefulSet, name: api}'),
      hpa('h4', 'a', '{apiVersion: extensions/v1beta1, kind: Deployment, name: api}'),
      hpa('h5', 'a', '{kind: Deployment, name: api}'),
      hpa('h6', 'a', '{apiVersion: apps/v1, kind: Deployment, name: 7}'),
    ].join('---\n');
    const idx = new ObjectIndex(loadSource('x.yaml', '/tmp/x.yaml', docs, 'default').objects);
    const api = idx.find('Deployment', 'a', 'api')!;
    expect(idx.hpasTargeting(api).map((h) => h.name)).toEqual(['h1', 'h5']);
    idx.add(
      loadSource('y.yaml', '/tmp/y.yaml', hpa('h0', 'a', '{apiVersion: apps/v1, kind: Deployment, name: api}'), 'default').objects[0]!,
    );
    expect(idx.hpasTargeting(api).map((h) => h.name)).toEqual(['h1', 'h5', 'h0']);
  });
});

describe('List flattening', () => {
  test('each item of a kind: List is its own object with its own positions', () => {
    const text = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: one}
    data: {a: yes}
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: two}
    data: {b: on}
`;
    const run = lintText(text, { rules: only('ambiguous-yaml-value') });
    const msgs = run.results[0]!.messages;
    expect(run.summary.objects).toBe(2);
    expect(msgs.map((m) => [m.line, m.column, m.object!.name, m.path])).toEqual([
      [7, 15, 'one', '/items/0/data/a'],
      [11, 15, 'two', '/items/1/data/b'],
    ]);
  });

  test('any object with a top-level items array is flattened', () => {
    const run = lintText('items:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: x}\n');
    expect(run.summary.objects).toBe(1);
    expect(run.summary.errors).toBe(0);
  });
});

describe('invalid documents', () => {
  test('scalars, lists and objects without kind are findings; empty documents are fine', () => {
    const run = lintText(
      '# just a comment\n---\n---\nhello\n---\n- a\n- b\n---\napiVersion: v1\nmetadata: {name: x}\n---\napiVersion: v1\nkind: 5\n',
      { rules: only() },
    );
    const msgs = run.results[0]!.messages;
    expect(msgs.map((m) => [m.ruleId, m.line])).toEqual([
      ['invalid-object', 4],
      ['invalid-object', 6],
      ['invalid-object', 9],
      ['invalid-object', 13],
    ]);
    expect(msgs[0]!.message).toMatch(/string "hello"/);
    expect(msgs[2]!.message).toMatch(/no kind/);
    expect(msgs[3]!.message).toMatch(/kind is a number/);
  });

  test('a file with no document at all (empty, or only comments) gets a non-manifest-file note and counts as skipped', () => {
    for (const text of ['', '\n', '# only a comment\n', '# a\n---\n# b\n---\n']) {
      const run = lintText(text, { rules: only('non-manifest-file') });
      expect(run.results[0]!.messages.map((m) => [m.ruleId, m.line, m.severity])).toEqual([['non-manifest-file', 1, 1]]);
      expect(run.results[0]!.messages[0]!.message).toMatch(/^the file holds no YAML document/);
      expect(run.summary.skipped).toBe(1);
    }
  });

  test("a file that does not parse and never mentions kind or apiVersion (JSON lines, a template, another tool's YAML) is data, with a note; a broken manifest stays a yaml-syntax error", () => {
    const lines = '{"rating": 5, "reviewer": "a"}\n{"rating": 4, "reviewer": "b"}\n';
    const tpl = '{{- range .Values.items }}\n- {{ . }}\n  x: [\n{{- end }}\n';
    const dir = writeTree({
      'ratings_data.json': lines,
      'profile.yaml': tpl,
      'broken.json': '{"apiVersion": "v1", "kind": "ConfigMap",}\n',
      'plain.yaml': 'a: [\n',
      'manifest.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata: [\n',
    });
    const run = lintPaths([dir], { cwd: dir, rules: only('non-manifest-file') });
    const got = Object.fromEntries(run.results.map((r) => [r.filePath, r.messages.map((m) => [m.ruleId, m.severity, m.line])]));
    expect(got).toEqual({
      'broken.json': [['yaml-syntax', 2, 1]],
      'manifest.yaml': [['yaml-syntax', 2, 3]],
      'plain.yaml': [['non-manifest-file', 1, 1]],
      'profile.yaml': [['non-manifest-file', 1, 1]],
      'ratings_data.json': [['non-manifest-file', 1, 2]],
    });
    const note = run.results.find((r) => r.filePath === 'ratings_data.json')!.messages[0]!.message;
    expect(note).toMatch(/^not valid JSON \(.+\), and no kind or apiVersion appears in the file, so it is data or a template/);
    expect(run.summary.skipped).toBe(3);
  });

  test('JSON with comments that names kind only inside a string, and JSON whose "kind" is a mapping, are not manifests', () => {
    const dir = writeTree({
      'devcontainer.json': '{\n  // editor settings\n  "features": {"ghcr.io/x/features/kind:1": {}},\n}\n',
      'timeouts.json': '{\n  "kind": {"failover": 240, "clusterIsReady": 600}\n}\n',
    });
    const run = lintPaths([dir], { cwd: dir, rules: only('non-manifest-file') });
    const got = Object.fromEntries(run.results.map((r) => [r.filePath, r.messages.map((m) => [m.ruleId, m.severity])]));
    expect(got).toEqual({ 'devcontainer.json': [['non-manifest-file', 1]], 'timeouts.json': [['non-manifest-file', 1]] });
  });

  test('JSON with comments whose "kind" keys are nested (VS Code launch.json) is not a manifest; a manifest with comments stays an error', () => {
    const dir = writeTree({
      // aks-store-demo's src/*/.vscode/launch.json: a cargo filter has "kind": "bin"
      '.vscode/launch.json':
        '{\n  // Use IntelliSense\n  "version": "0.2.0",\n  "configurations": [\n    {\n      "type": "lldb",\n      /* debug */\n      "cargo": {"args": ["build"], "filter": {"name": "svc", "kind": "bin"}},\n    },\n  ],\n}\n',
      'cm.json':
        '{\n  // a ConfigMap with a comment, which kubectl cannot read\n  "apiVersion": "v1",\n  "kind": "ConfigMap",\n  "metadata": {"name": "x"}\n}\n',
    });
    const run = lintPaths([dir], { cwd: dir, rules: only('non-manifest-file', 'yaml-syntax') });
    const got = Object.fromEntries(run.results.map((r) => [r.filePath, [...new Set(r.messages.map((m) => `${m.ruleId}:${m.level}`))]]));
    expect(got['.vscode/launch.json']).toEqual(['non-manifest-file:info']);
    expect(got['cm.json']).toContain('yaml-syntax:error');
  });

  test('a manifest template whose placeholder breaks the YAML gets a warning naming the placeholder; other syntax errors stay errors', () => {
    const dir = writeTree({
      'secret-template.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: cfg\ndata:\n  config: {{config_data}}\n',
      'rc-template.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n',
      'broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: [\n',
      'brace.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {b: {c: 1}}: 2\n',
      // a Go template's range: the error is at the start of the line after the action, outside any placeholder
      'range.yaml':
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  {{ range $key, $value := .Secrets }}\n  {{ $key }}: |\n    {{ $value | b64enc }}\n  {{ end }}\n',
      'indent.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: 1\n b: 2\n',
      // a single-brace name a script replaces (cert-manager's `sed -e "s|{SERVICE_IP_PREFIX}|…|"`)
      'sed.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: bind\nspec:\n  clusterIP: {SERVICE_IP_PREFIX}.16\n',
      // a lower-case flow mapping followed by text is a real mistake
      'flow.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: bind\nspec:\n  clusterIP: {prefix}.16\n',
      // an autoconf-style `@NAME@` a script replaces (longhorn's dev/scale-test/statefulset.yaml, `name: @STS_NAME@`)
      'at.yaml': 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: @STS_NAME@\n',
      // an "@" that opens no placeholder is a real mistake
      'at-mail.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: @admin\n',
      // a line that is only a substitution variable: a block that envsubst inserts, in a manifest and in another
      // tool's configuration (grafana/loki operator's testdata/schemas-template.yaml)
      'block.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "1"\n  ${EXTRA_DATA}\n  b: "2"\n',
      // a template action above a comment block (gpu-operator's manifests/state-driver templates)
      'scc-template.yaml':
        '{{ if .Runtime.OpenshiftVersion }}\n# Please edit the object below.\n#\nallowHostPID: true\nkind: SecurityContextConstraints\napiVersion: security.openshift.io/v1\n{{ end }}\n',
      'loki-template.yaml': 'limits_config:\n  volume_enabled: true\n  ${STORAGE_STRUCTURED_METADATA}\nmemberlist:\n  join: true\n',
      // Helm values with Go template placeholders, whose kind keys are those of manifests embedded under a key
      // (vcluster's e2e values): with the placeholders filled in, no document is an object
      'values-template.yaml':
        'image:\n  repository: {{.Repository}}\n  tag: {{.Tag}}\nextraObjects:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: x\n',
      // envsubst's `$NAME` without braces, a block it inserts at the start of a line (secrets-store-csi-driver's test
      // SecretProviderClass: a certificate under a `|` key); a lower-case name there is no such variable
      'bare.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  ca.crt: |\n$CA_CERT\n',
      'bare-lower.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  ca.crt: |\n$ca_cert\n',
      // a documentation excerpt that leaves content out with "..." (kubernetes/website's audit event example)
      'excerpt.yaml': '{\n  "kind": "Event",\n  "apiVersion": "audit.k8s.io/v1",\n  "annotations": {\n    "a": "b"\n    ...\n  }\n}\n',
    });
    const run = lintPaths([dir], { cwd: dir, rules: only('non-manifest-file') });
    const got = Object.fromEntries(
      run.results.map((r) => [r.filePath, r.messages.map((m) => [m.ruleId, m.severity, m.line, m.message.split(' is a template')[0]])]),
    );
    expect(got['secret-template.yaml']).toEqual([['yaml-syntax', 1, 6, '{{config_data}}']]);
    expect(got['rc-template.yaml']).toEqual([['yaml-syntax', 1, 4, '{{ .Values.name }}']]);
    expect(got['broken.yaml']!.map((m) => m.slice(0, 3))).toEqual([['yaml-syntax', 2, 6]]);
    expect(got['brace.yaml']!.map((m) => m.slice(0, 2))).toEqual([['yaml-syntax', 2]]);
    expect(got['range.yaml']!.map((m) => [m[0], m[1], m[3]])).toEqual([['yaml-syntax', 1, '{{ $key }}']]);
    expect(got['indent.yaml']!.map((m) => m.slice(0, 2))).toEqual([['yaml-syntax', 2]]);
    expect(got['sed.yaml']!.map((m) => [m[0], m[1], m[2], m[3]])).toEqual([['yaml-syntax', 1, 6, '{SERVICE_IP_PREFIX}']]);
    expect(got['flow.yaml']!.map((m) => m.slice(0, 3))).toEqual([['yaml-syntax', 2, 6]]);
    expect(got['at.yaml']!.map((m) => [m[0], m[1], m[2], m[3]])).toEqual([['yaml-syntax', 1, 4, '@STS_NAME@']]);
    expect(got['at-mail.yaml']!.map((m) => m.slice(0, 3))).toEqual([['yaml-syntax', 2, 6]]);
    expect(got['block.yaml']!.map((m) => [m[0], m[1], m[3]])).toEqual([['yaml-syntax', 1, '${EXTRA_DATA}']]);
    expect(got['scc-template.yaml']![0]!.slice(0, 4)).toEqual(['yaml-syntax', 1, 4, '{{ if .Runtime.OpenshiftVersion }}']);
    expect(got['loki-template.yaml']!.map((m) => m.slice(0, 2))).toEqual([['non-manifest-file', 1]]);
    expect(got['values-template.yaml']!.map((m) => m.slice(0, 3))).toEqual([['non-manifest-file', 1, 2]]);
    expect(got['values-template.yaml']![0]![3]).toMatch(
      /because of its template placeholders, and with them filled in no document is a Kubernetes object/,
    );
    expect(got['bare.yaml']!.map((m) => [m[0], m[1], m[2], m[3]])).toEqual([['yaml-syntax', 1, 7, '$CA_CERT']]);
    expect(got['bare-lower.yaml']!.map((m) => m.slice(0, 3))).toEqual([['yaml-syntax', 2, 7]]);
    expect(got['excerpt.yaml']!.map((m) => m.slice(0, 3))).toEqual([['yaml-syntax', 1, 6]]);
    expect(got['excerpt.yaml']![0]![3]).toMatch(/^this line is only "\.\.\.", which stands for content left out/);
    expect(run.results.find((r) => r.filePath === 'secret-template.yaml')!.messages[0]!.message).toMatch(
      /^\{\{config_data\}\} is a template placeholder, not YAML the cluster can read, so this document was not linted/,
    );
  });

  test('a Jinja or Liquid tag that breaks the YAML (a documentation snippet in {% raw %}) is a warning naming the tag; the documents between are linted', () => {
    const dir = writeTree({
      // external-secrets' docs/snippets: mkdocs removes the raw/endraw tags around the manifest
      'snippet.yaml':
        '{% raw %}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  x: [\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n{% endraw %}\n',
      'trim.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\n{%- endraw %}\n',
      // a "%" that opens no tag is a real mistake
      'percent.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: e\ndata:\n  a: b\n%c: d\n',
    });
    const run = lintPaths([dir], { cwd: dir, rules: only('yaml-syntax') });
    const got = Object.fromEntries(run.results.map((r) => [r.filePath, r.messages.map((m) => [m.severity, m.line, m.message])]));
    const tag = (t: string) =>
      `${t} is a template tag (Jinja or Liquid), not YAML the cluster can read, so this document was not linted; lint what the template renders, or add the file to ignorePatterns`;
    expect(got['snippet.yaml']!.map((m) => m.slice(0, 2))).toEqual([
      [1, 1],
      [2, 12],
      [1, 18],
    ]);
    expect(got['snippet.yaml']![0]![2]).toBe(tag('{% raw %}'));
    expect(got['snippet.yaml']![2]![2]).toBe(tag('{% endraw %}'));
    expect(got['trim.yaml']).toEqual([[1, 5, tag('{%- endraw %}')]]);
    expect(got['percent.yaml']!.map((m) => m[0])).toEqual([2]);
  });
});

describe('suppressions', () => {
  const base = (extra = '', ann = '') => `apiVersion: v1
kind: Pod
metadata:
  name: web${ann}
spec:
  containers:
    - name: web
      image: nginx
      env:
        - name: A
          value: on${extra}
    - name: side
      image: nginx
      env:
        - name: B
          value: yes
`;

  test('a trailing comment with a reason suppresses its line, and the finding stays in the output as suppressed', () => {
    const run = lintText(base(' # k8s-gold-ignore ambiguous-yaml-value -- the app reads a boolean'), {
      rules: only('ambiguous-yaml-value', 'suppression-reason', 'unused-suppression'),
    });
    const r = run.results[0]!;
    expect(r.messages.map((m) => m.line)).toEqual([16]);
    expect(r.suppressedMessages.map((m) => [m.line, m.suppressions])).toEqual([
      [11, [{ kind: 'inSource', justification: 'the app reads a boolean', source: 'comment' }]],
    ]);
    expect(run.summary.suppressed).toBe(1);
  });

  test('a comment alone on a line suppresses the next line', () => {
    const text = base().replace('          value: on', '          # k8s-gold-ignore ambiguous-yaml-value -- reviewed\n          value: on');
    const r = lintText(text, { rules: only('ambiguous-yaml-value', 'unused-suppression') }).results[0]!;
    expect(r.suppressedMessages.map((m) => m.line)).toEqual([12]);
    expect(r.messages.map((m) => m.ruleId)).toEqual(['ambiguous-yaml-value']);
  });

  test('a file-level comment suppresses the whole file', () => {
    const r = lintText('# k8s-gold-ignore-file ambiguous-yaml-value -- generated file\n' + base(), {
      rules: only('ambiguous-yaml-value', 'unused-suppression'),
    }).results[0]!;
    expect(r.messages).toEqual([]);
    expect(r.suppressedMessages).toHaveLength(2);
  });

  test('an annotation narrowed to a container suppresses only that container', () => {
    const ann = '\n  annotations:\n    ignore.k8s-gold.dev/ambiguous-yaml-value: "containers=side -- legacy image reads yes"';
    const r = lintText(base('', ann), { rules: only('ambiguous-yaml-value', 'unused-suppression', 'suppression-reason') }).results[0]!;
    expect(r.messages.map((m) => [m.ruleId, m.line])).toEqual([['ambiguous-yaml-value', 13]]);
    expect(r.suppressedMessages.map((m) => [m.line, m.suppressions![0]!.justification, m.suppressions![0]!.source])).toEqual([
      [18, 'legacy image reads yes', 'annotation'],
    ]);
  });

  test('a suppression without a reason still suppresses, with a warning', () => {
    const r = lintText(base(' # k8s-gold-ignore ambiguous-yaml-value'), { rules: only('ambiguous-yaml-value', 'suppression-reason') })
      .results[0]!;
    expect(r.messages.map((m) => [m.ruleId, m.line, m.level])).toEqual([
      ['suppression-reason', 11, 'warning'],
      ['ambiguous-yaml-value', 16, 'warning'],
    ]);
    expect(r.suppressedMessages).toHaveLength(1);
  });

  test('unused suppressions and unknown rule ids are reported', () => {
    const text =
      base().replace('    - name: side', '    # k8s-gold-ignore duplicate-key -- nothing here\n    - name: side') +
      '# k8s-gold-ignore no-such-rule -- typo\n';
    const ann = '\n  annotations:\n    ignore.k8s-gold.dev/duplicate-key: "nothing"';
    const r = lintText(text.replace('  name: web', '  name: web' + ann), { rules: only('ambiguous-yaml-value', 'unused-suppression') })
      .results[0]!;
    const unused = r.messages.filter((m) => m.ruleId === 'unused-suppression');
    expect(unused.map((m) => m.line)).toEqual([6, 14, 20]);
    expect(unused.map((m) => m.message)).toEqual([
      expect.stringMatching(/no duplicate-key finding/),
      expect.stringMatching(/no duplicate-key finding on this line/),
      expect.stringMatching(/unknown rule "no-such-rule"/),
    ]);
  });

  test('a suppression of a rule that is off is not reported as unused', () => {
    const r = lintText(base(' # k8s-gold-ignore ambiguous-yaml-value -- x'), {
      rules: { ...only('unused-suppression'), 'ambiguous-yaml-value': 'off' },
    }).results[0]!;
    expect(r.messages).toEqual([]);
  });
});

describe('config', () => {
  const manifest =
    'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: x\n  namespace: team-a\n  labels: {tier: web}\nspec:\n  a: on\n';

  test('discovered from the current directory upward, up to the repository root', async () => {
    const dir = writeTree({ '.git/HEAD': '', '.k8s-gold.yaml': 'rules:\n  ambiguous-yaml-value: error\n', 'sub/deeper/m.yaml': manifest });
    const r = await cli(['lint', '.'], { cwd: path.join(dir, 'sub/deeper') });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/m\.yaml:8:6 +error/);
  });

  test('a config above the repository root is not used', async () => {
    const dir = writeTree({ '.k8s-gold.yaml': 'rules:\n  ambiguous-yaml-value: error\n', 'repo/.git/HEAD': '', 'repo/m.yaml': manifest });
    const r = await cli(['lint', '.'], { cwd: path.join(dir, 'repo') });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/warning/);
  });

  test('--config overrides discovery; an invalid config exits 2 listing every error with its line', async () => {
    const dir = writeTree({ 'bad.yaml': 'rules:\n  ambiguous-yaml-value: loud\nunknownKey: 1\ndefaultNamespace: 5\n', 'm.yaml': manifest });
    const r = await cli(['lint', '--config', 'bad.yaml', '.'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:2:3: rules\.ambiguous-yaml-value: must be one of "error", "warning", "info", "off"/);
    expect(r.stderr).not.toMatch(/oneOf|must be array/);
    expect(r.stderr).toMatch(/bad\.yaml:3:1: \(root\): unknown property "unknownKey"/);
    expect(r.stderr).toMatch(/bad\.yaml:4:1: defaultNamespace: must be string/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  test('an unknown rule id in the config exits 2 with a suggestion', async () => {
    const dir = writeTree({ '.k8s-gold.yaml': 'rules:\n  ambiguous-yaml-values: off\n', '.git/HEAD': '', 'm.yaml': manifest });
    const r = await cli(['lint', '.'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown rule "ambiguous-yaml-values"[\s\S]*did you mean "ambiguous-yaml-value"/);
  });

  test('overrides by path glob and by object match; --rule wins over both', () => {
    const dir = writeTree({ 'prod/m.yaml': manifest, 'dev/m.yaml': manifest.replace('team-a', 'team-b') });
    const config = {
      rules: { 'ambiguous-yaml-value': 'error' as const },
      overrides: [
        { files: ['dev/**'], rules: { 'ambiguous-yaml-value': 'off' as const } },
        { match: { namespaces: ['team-a'], labels: { tier: 'web' } }, rules: { 'ambiguous-yaml-value': 'info' as const } },
      ],
    };
    const run = lintPaths([dir], { cwd: dir, config });
    const byFile = Object.fromEntries(run.results.map((r) => [r.filePath, r.messages.map((m) => m.level)]));
    expect(byFile).toEqual({ 'dev/m.yaml': [], 'prod/m.yaml': ['info'] });
    const run2 = lintPaths([dir], { cwd: dir, config, rules: { 'ambiguous-yaml-value': 'warning' } });
    expect(run2.results.map((r) => r.messages.map((m) => m.level))).toEqual([['warning'], ['warning']]);
  });

  test('ignore patterns from the config and the command line', async () => {
    const dir = writeTree({
      '.git/HEAD': '',
      '.k8s-gold.yaml': 'ignorePatterns: ["vendor/**"]\n',
      'vendor/a.yaml': 'x: [',
      'gen/b.yaml': 'x: [',
      'ok.yaml': manifest,
      'node_modules/m/c.yaml': 'x: [',
    });
    const r = await cli(['lint', '--ignore-pattern', 'gen', '-f', 'json', '.'], { cwd: dir });
    expect(JSON.parse(r.stdout).map((x: { filePath: string }) => x.filePath)).toEqual(['ok.yaml']);
    expect(r.code).toBe(0);
  });

  test('defaultNamespace from the config', () => {
    const dir = writeTree({ 'm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n' });
    const run = lintPaths([dir], { cwd: dir, config: { defaultNamespace: 'apps' } });
    expect(run.summary.objects).toBe(1);
  });
});

describe('inputs', () => {
  test('directories recurse into .yaml, .yml and .json only, in a stable order', () => {
    const dir = writeTree({
      'b/x.yml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n',
      'a.json': '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}',
      'c.txt': 'not: linted',
      'a/deep/z.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: z}\n',
    });
    const run = lintPaths(['.'], { cwd: dir });
    expect(run.results.map((r) => r.filePath)).toEqual(['a.json', 'a/deep/z.yaml', 'b/x.yml']);
    expect(run.summary.files).toBe(3);
  });

  test('globs', () => {
    const dir = writeTree({
      'k/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
      'k/b.yml': 'x: 1',
      'k/sub/c.yaml': 'x: 1',
    });
    expect(lintPaths(['k/*.yaml'], { cwd: dir }).results.map((r) => r.filePath)).toEqual(['k/a.yaml']);
    expect(lintPaths(['k/**/*.yaml'], { cwd: dir }).results.map((r) => r.filePath)).toEqual(['k/a.yaml', 'k/sub/c.yaml']);
  });

  test('a path that does not exist exits 2 with a clear message', async () => {
    const r = await cli(['lint', 'does/not/exist'], { cwd: writeTree({}) });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('k8s-gold: No such file or directory: does/not/exist\n');
  });

  test('a directory or glob with no YAML/JSON file exits 2 (never a green run that checked nothing), unless allowed', async () => {
    const dir = writeTree({ 'docs/README.md': '# hi\n', 'k/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' });
    const empty = await cli(['lint', 'docs'], { cwd: dir });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe('k8s-gold: No YAML or JSON files found in docs; pass --no-error-on-unmatched-pattern to allow it\n');
    const glob = await cli(['lint', 'k/*.json'], { cwd: dir });
    expect(glob.code).toBe(2);
    const ignored = await cli(['lint', 'k', '--ignore-pattern', 'k/**'], { cwd: dir });
    expect(ignored.code).toBe(2);
    expect(ignored.stderr).toBe(
      'k8s-gold: All files in k are ignored by ignore patterns; pass --no-error-on-unmatched-pattern to allow it\n',
    );
    const allowed = await cli(['lint', 'docs', '--no-error-on-unmatched-pattern'], { cwd: dir });
    expect(allowed.code).toBe(0);
    // one input with files is enough: ESLint's rule is per pattern, ours is per run
    expect((await cli(['lint', 'docs', 'k'], { cwd: dir })).code).toBe(0);
  });

  test('a Helm chart that cannot be rendered (no helm) is an error at its Chart.yaml, never a green run', async () => {
    const dir = writeTree({
      '.k8s-gold.yaml': 'helm: {command: ./no-such-helm}\n',
      'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
      'charts/web/templates/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n',
      'plain.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
    });
    const r = await cli(['lint', '.'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `charts/web/Chart.yaml:1:1  error  helm template charts/web failed: cannot run ${path.join(dir, 'no-such-helm')} (not found), so this chart was not rendered or linted; install helm (k8s-gold does not download it) or set helm.command in the config  helm-render`,
    );
    // the template is not linted raw (it would be a YAML error), and every chart file is counted
    expect(r.stdout).not.toContain('deploy.yaml');
    expect(r.stdout).toMatch(/3 files, 1 object, 1 error, 0 warnings/);
  });

  test('a symlink loop is not followed', async () => {
    const dir = writeTree({ 'a/m.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' });
    fs.symlinkSync('..', path.join(dir, 'a', 'loop'));
    const r = await cli(['lint', '-f', 'json', '.'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).map((x: { filePath: string }) => x.filePath)).toEqual(['a/m.yaml']);
  });

  test('stdin with --stdin-filename', async () => {
    const r = await cli(['lint', '-', '--stdin-filename', 'rendered/chart.yaml'], {
      stdin: 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a}\nspec: {x: on}\n',
      cwd: writeTree({}),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^rendered\/chart\.yaml\n {2}rendered\/chart\.yaml:4:11 +warning/);
  });

  test('--context objects resolve cross-object references (pre-commit passes only changed files)', () => {
    const sts =
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: db, image: db:1}]}\n';
    const svc =
      'apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec:\n  clusterIP: None\n  selector: {app: db}\n  ports: [{port: 5432}]\n';
    const dir = writeTree({ 'k8s/sts.yaml': sts, 'k8s/svc.yaml': svc });
    const rules = only('statefulset-headless-service');
    const alone = lintPaths(['k8s/sts.yaml'], { cwd: dir, rules });
    expect(alone.results[0]!.messages.map((m) => m.ruleId)).toEqual(['statefulset-headless-service']);
    const withContext = lintPaths(['k8s/sts.yaml'], { cwd: dir, rules, context: ['k8s'] });
    expect(withContext.results.map((r) => [r.filePath, r.messages.length])).toEqual([['k8s/sts.yaml', 0]]);
  });

  test('--context objects feed cross-object lookups but are not reported', () => {
    const dir = writeTree({
      'in/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
      'ctx/b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: {x: on}\n',
    });
    const run = lintPaths(['in'], { cwd: dir, context: ['ctx'] });
    expect(run.results.map((r) => r.filePath)).toEqual(['in/a.yaml']);
    expect(run.summary.warnings).toBe(0);
  });
});

describe('files that are not manifests', () => {
  test('YAML and JSON without any apiVersion or kind get an info note and are counted as skipped', async () => {
    const dir = writeTree({
      'values.yaml': 'replicaCount: 2\nimage: {tag: on}\n',
      'package.json': '{"name": "x"}',
      // Grafana provisioning: a numeric apiVersion and no kind is another tool's file
      'grafana-datasources.yaml': 'apiVersion: 1\ndatasources:\n  - name: prometheus\n    type: prometheus\n',
      // a Helm repository index: apiVersion, no kind, no metadata
      'index.yaml': 'apiVersion: v1\nentries:\n  minio-operator: []\ngenerated: "2024-01-01T00:00:00Z"\n',
      'deploy.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nmetadata: {name: b}\n',
    });
    const r = await cli(['lint', '-f', 'json', '.'], { cwd: dir });
    const results = JSON.parse(r.stdout) as { filePath: string; skipped?: string; messages: { ruleId: string; level: string }[] }[];
    expect(results.map((x) => [x.filePath, x.skipped ?? '', x.messages.map((m) => `${m.ruleId}:${m.level}`)])).toEqual([
      ['deploy.yaml', '', ['invalid-object:error']],
      ['grafana-datasources.yaml', 'not-a-manifest', ['non-manifest-file:info']],
      ['index.yaml', 'not-a-manifest', ['non-manifest-file:info']],
      ['package.json', 'not-a-manifest', ['non-manifest-file:info']],
      ['values.yaml', 'not-a-manifest', ['non-manifest-file:info']],
    ]);
    expect(r.code).toBe(1);
  });

  test('chainsaw and KUTTL assertions are partial state a test compares, not objects: one note each, syntax kept', async () => {
    const partialPod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nstatus:\n  phase: Running\n';
    const dir = writeTree({
      'e2e/smoke/chainsaw-test.yaml':
        'apiVersion: chainsaw.kyverno.io/v1alpha1\nkind: Test\nmetadata: {name: smoke}\nspec:\n  steps:\n  - try:\n    - apply: {file: install.yaml}\n    - assert: {file: expected-pod.yaml}\n    - patch: {file: relabel.yaml}\n    - apply:\n        file: rejected.yaml\n        expect:\n        - check:\n            ($error != null): true\n    catch:\n    - error: {file: never.yaml}\n',
      // a patch: fields merged into the Deployment that exists
      'e2e/smoke/relabel.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    metadata:\n      labels: {tier: web}\n',
      // applied expecting the API server to reject it
      'e2e/smoke/rejected.yaml': partialPod,
      'e2e/smoke/install.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: b}\n',
      'e2e/smoke/expected-pod.yaml': partialPod,
      'e2e/smoke/never.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  nodeName: [\n',
      'kuttl/basic/00-assert.yaml': partialPod,
      'kuttl/basic/01-errors.yaml': partialPod,
      // the same partial object where nothing says it is an assertion: the schema rule reports it
      'deploy/pod.yaml': partialPod,
    });
    const r = await cli(['lint', '-f', 'json', '.'], { cwd: dir });
    const results = JSON.parse(r.stdout) as { filePath: string; skipped?: string; messages: { ruleId: string; level: string }[] }[];
    expect(results.map((x) => [x.filePath, x.skipped ?? '', [...new Set(x.messages.map((m) => `${m.ruleId}:${m.level}`))]])).toEqual([
      ['deploy/pod.yaml', '', ['schema:error']],
      ['e2e/smoke/chainsaw-test.yaml', '', []],
      ['e2e/smoke/expected-pod.yaml', 'test-assertion', ['non-manifest-file:info']],
      ['e2e/smoke/install.yaml', '', []],
      ['e2e/smoke/never.yaml', 'test-assertion', ['non-manifest-file:info', 'yaml-syntax:error']],
      ['e2e/smoke/rejected.yaml', 'test-assertion', ['non-manifest-file:info']],
      ['e2e/smoke/relabel.yaml', 'test-assertion', ['non-manifest-file:info']],
      ['kuttl/basic/00-assert.yaml', 'test-assertion', ['non-manifest-file:info']],
      ['kuttl/basic/01-errors.yaml', 'test-assertion', ['non-manifest-file:info']],
    ]);
    const note = results.find((x) => x.filePath === 'e2e/smoke/expected-pod.yaml')!.messages[0] as unknown as { message: string };
    expect(note.message).toBe(
      'this file is an assertion of the chainsaw test e2e/smoke/chainsaw-test.yaml: the fields a test compares with the cluster, not an object to apply as it is, so its documents were not linted',
    );
  });

  test("a file of snapshots of what a controller made (ownerReferences with controller: true and no uid) is compared, not applied: one note (percona's e2e compare files)", async () => {
    const sts = (owned: string) =>
      `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\n  generation: 1\n${owned}spec:\n  replicas: 2\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n      containers: [{name: db, image: "db:1.0.0"}]\n`;
    const snapshot = '  ownerReferences:\n    - controller: true\n      kind: PerconaXtraDBCluster\n      name: cluster1\n';
    const dir = writeTree({
      'e2e/limits/compare/statefulset_db.yml': sts(snapshot),
      // with a uid the reference can be applied (a dump of a live object): linted, as is one a user wrote
      'live/statefulset_db.yml': sts(`${snapshot}      apiVersion: pxc.percona.com/v1\n      uid: 0d7a3c2e-1111-4222-8333-944455556666\n`),
    });
    const r = await cli(['lint', '-f', 'json', '.'], { cwd: dir });
    const results = JSON.parse(r.stdout) as { filePath: string; skipped?: string; messages: { ruleId: string; message: string }[] }[];
    const snap = results.find((x) => x.filePath === 'e2e/limits/compare/statefulset_db.yml')!;
    expect(snap.skipped).toBe('test-assertion');
    expect(snap.messages.map((m) => m.message)).toEqual([
      'this file is a snapshot of what a controller made (owned by PerconaXtraDBCluster cluster1 with controller: true and no uid, which the API server requires): the fields a test compares with the cluster, not an object to apply as it is, so its documents were not linted',
    ]);
    expect(results.find((x) => x.filePath === 'live/statefulset_db.yml')!.skipped).toBeUndefined();
  });
});

describe('stdin', () => {
  test('invalid UTF-8 on stdin is reported, not replaced', async () => {
    const bytes = Buffer.concat([
      Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: "'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}\n'),
    ]);
    const r = await cli(['lint', '-f', 'json', '-'], { stdin: bytes, cwd: writeTree({}) });
    expect(r.code).toBe(1);
    const m = JSON.parse(r.stdout)[0].messages[0];
    expect([m.ruleId, m.line, m.column, m.message]).toEqual([
      'unreadable-file',
      4,
      12,
      'invalid UTF-8 at byte 62; the file must be UTF-8 text',
    ]);
  });
});

describe('apiVersion written in another case', () => {
  test("another tool's file (a group that is no Kubernetes group) is a note; a Kubernetes object is an error naming the key", () => {
    const dir = writeTree({
      // operator-sdk's bundle/tests/scorecard/config.yaml: the scorecard reads keys in any case
      'scorecard.yaml':
        '\nkind: Configuration\napiversion: scorecard.operatorframework.io/v1alpha3\nmetadata:\n  name: config\nstages: []\n',
      // a Deployment with the key in the wrong case: a mistake
      'typo.yaml': 'kind: Deployment\napiversion: apps/v1\nmetadata:\n  name: web\n',
      'typo-crd.yaml': 'kind: Gateway\nApiVersion: gateway.networking.k8s.io/v1\nmetadata:\n  name: gw\n',
    });
    const run = lintPaths([dir], { cwd: dir, rules: only('non-manifest-file', 'invalid-object') });
    const got = Object.fromEntries(run.results.map((r) => [r.filePath, r.messages.map((m) => [m.ruleId, m.level, m.line, m.message])]));
    expect(got['scorecard.yaml']!.map((m) => m.slice(0, 3))).toEqual([['non-manifest-file', 'info', 1]]);
    expect(got['scorecard.yaml']![0]![3]).toMatch(
      /^its documents write apiVersion as apiversion, of API group scorecard\.operatorframework\.io/,
    );
    expect(got['typo.yaml']!.map((m) => m.slice(0, 3))).toEqual([['invalid-object', 'error', 2]]);
    expect(got['typo.yaml']![0]![3]).toBe(
      'document 1 is not a Kubernetes object: it has no apiVersion, but apiversion, which Kubernetes does not read (keys are case-sensitive); write apiVersion',
    );
    expect(got['typo-crd.yaml']!.map((m) => m.slice(0, 3))).toEqual([['invalid-object', 'error', 2]]);
  });
});
