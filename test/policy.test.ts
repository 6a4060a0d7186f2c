/** Policies and plugins: written by a user as files, enforced, positioned, documented, and rejected clearly when malformed. */
import { cli, writeTree } from './helpers';

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      initContainers:
        - name: init
          image: registry.example.com/init:1
      containers:
        - name: web
          image: docker.io/nginx:1.27
          securityContext:
            allowPrivilegeEscalation: true
`;

const TEAM = `id: acme/required-team-label
severity: error
description: Workloads must carry a team label.
rationale: On-call routing keys on the team label.
remediation: Add metadata.labels.team.
helpUrl: https://wiki.example.com/labels
match:
  kinds: [Deployment]
condition:
  required: [metadata]
  properties:
    metadata:
      required: [labels]
      properties:
        labels:
          required: [team]
`;

const REGISTRY = `id: acme/allowed-registries
description: Images come from registry.example.com.
message: 'container {{container}} image {{value}} is not from registry.example.com'
target: container
condition:
  properties:
    image:
      pattern: "^registry\\\\.example\\\\.com/"
---
id: acme/no-privilege-escalation
severity: warning
description: Containers must not allow privilege escalation.
target: container
containerKinds: [init, regular, ephemeral]
condition:
  required: [securityContext]
  properties:
    securityContext:
      required: [allowPrivilegeEscalation]
      properties:
        allowPrivilegeEscalation: {const: false}
`;

function tree(extra: Record<string, string> = {}) {
  return writeTree({
    '.k8s-gold.yaml': 'policies: [policies/]\n',
    'policies/team.yaml': TEAM,
    'policies/registry.yaml': REGISTRY,
    'deploy.yaml': DEPLOY,
    ...extra,
  });
}

describe('policies', () => {
  test('are enforced at the failing field, with the policy message', async () => {
    const dir = tree();
    const r = await cli(['lint', '-f', 'json', 'deploy.yaml'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const msgs = JSON.parse(r.stdout)[0].messages.filter((m: { ruleId: string }) => m.ruleId.startsWith('acme/'));
    const got = msgs.map(
      (m: { ruleId: string; line: number; column: number; level: string; message: string }) =>
        `${m.line}:${m.column} ${m.ruleId} ${m.level} ${m.message}`,
    );
    expect(got).toEqual([
      '3:1 acme/required-team-label error Workloads must carry a team label: metadata.labels is missing',
      '13:11 acme/no-privilege-escalation warning Containers must not allow privilege escalation: spec.template.spec.initContainers[0].securityContext is missing',
      '17:11 acme/allowed-registries error container web image docker.io/nginx:1.27 is not from registry.example.com',
      '19:13 acme/no-privilege-escalation warning Containers must not allow privilege escalation: spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation: the boolean true is not false',
    ]);
  });

  test('take config severities, overrides and suppressions like built-in rules', async () => {
    const dir = tree({
      '.k8s-gold.yaml': 'policies: ["policies/*.yaml"]\nrules:\n  acme/allowed-registries: "off"\n  acme/no-privilege-escalation: error\n',
      'deploy.yaml': DEPLOY.replace(
        '  name: web\n',
        '  name: web\n  annotations:\n    ignore.k8s-gold.dev/acme/required-team-label: "owned by the platform team, labelled by the operator"\n',
      ),
    });
    const r = await cli(['lint', '-f', 'json', 'deploy.yaml'], { cwd: dir });
    const res = JSON.parse(r.stdout)[0];
    const ids = res.messages
      .map((m: { ruleId: string; level: string }) => `${m.ruleId}:${m.level}`)
      .filter((s: string) => s.startsWith('acme/'));
    expect(ids).toEqual(['acme/no-privilege-escalation:error', 'acme/no-privilege-escalation:error']);
    expect(res.suppressedMessages.map((m: { ruleId: string }) => m.ruleId)).toEqual(['acme/required-team-label']);
  });

  test('appear in rules, explain and SARIF rule metadata', async () => {
    const dir = tree();
    const list = await cli(['rules'], { cwd: dir });
    expect(list.stdout).toMatch(/^acme\/required-team-label\s+error\s+Workloads must carry a team label\.$/m);
    const ex = await cli(['explain', 'acme/required-team-label'], { cwd: dir });
    expect(ex.code).toBe(0);
    expect(ex.stdout).toContain('On-call routing keys on the team label.');
    expect(ex.stdout).toContain('Add metadata.labels.team.');
    expect(ex.stdout).toContain('required:\n      - labels');
    expect(ex.stdout).toContain('More: https://wiki.example.com/labels');
    const s = await cli(['lint', '-f', 'sarif', 'deploy.yaml'], { cwd: dir });
    const rule = JSON.parse(s.stdout).runs[0].tool.driver.rules.find((x: { id: string }) => x.id === 'acme/required-team-label');
    expect(rule.helpUri).toBe('https://wiki.example.com/labels');
    expect(rule.shortDescription.text).toBe('Workloads must carry a team label.');
  });

  test('match by namespace, label selector and file glob', async () => {
    const dir = tree({
      'policies/team.yaml': TEAM.replace(
        '  kinds: [Deployment]\n',
        '  kinds: [Deployment]\n  namespaces: ["prod-*"]\n  labelSelector:\n    matchLabels: {tier: web}\n  files: ["apps/**"]\n',
      ),
      'apps/a.yaml': DEPLOY.replace('  name: web\n', '  name: a\n  namespace: prod-eu\n  labels: {tier: web}\n'),
      'apps/b.yaml': DEPLOY.replace('  name: web\n', '  name: b\n  namespace: dev\n  labels: {tier: web}\n'),
      'apps/c.yaml': DEPLOY.replace('  name: web\n', '  name: c\n  namespace: prod-eu\n  labels: {tier: db}\n'),
      'other/d.yaml': DEPLOY.replace('  name: web\n', '  name: d\n  namespace: prod-eu\n  labels: {tier: web}\n'),
    });
    const r = await cli(
      ['lint', '-f', 'json', '--rule', 'acme/allowed-registries=off', '--rule', 'acme/no-privilege-escalation=off', 'apps', 'other'],
      { cwd: dir },
    );
    const hits = JSON.parse(r.stdout).flatMap((f: { filePath: string; messages: { ruleId: string }[] }) =>
      f.messages.filter((m) => m.ruleId === 'acme/required-team-label').map(() => f.filePath),
    );
    expect(hits).toEqual(['apps/a.yaml']);
  });

  test.each([
    [
      'an unknown property',
      TEAM.replace('severity: error', 'severty: error'),
      /policies\/team\.yaml:2:1: \(policy\): unknown property "severty"/,
    ],
    [
      'a bad severity',
      TEAM.replace('severity: error', 'severity: fatal'),
      /policies\/team\.yaml:2:1: severity: must be one of "error", "warning", "info"/,
    ],
    [
      'an id without a namespace',
      TEAM.replace('id: acme/required-team-label', 'id: required-team-label'),
      /policies\/team\.yaml:1:1: id: must be a namespaced kebab-case id/,
    ],
    [
      'a typo in the condition',
      TEAM.replace('required: [team]', 'requird: [team]'),
      /policies\/team\.yaml:9:1: condition is not a valid JSON Schema: strict mode: unknown keyword: "requird"/,
    ],
    ['a YAML error', TEAM.replace('description: Workloads must carry a team label.', 'description: a: b'), /policies\/team\.yaml:3:\d+: /],
    ['a missing condition', TEAM.replace(/condition:[\s\S]*$/, ''), /missing required property "condition"/],
  ])('a policy with %s exits 2 naming file, line and problem', async (_what, text, re) => {
    const dir = tree({ 'policies/team.yaml': text });
    const r = await cli(['lint', 'deploy.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(re);
  });

  test('a policy id that collides with another exits 2', async () => {
    const dir = tree({ 'policies/dup.yaml': TEAM });
    const r = await cli(['lint', 'deploy.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/duplicate rule id "acme\/required-team-label"/);
  });
});

const PLUGIN = `module.exports = [{
  meta: { id: 'acme/no-web-name', severity: 'warning', category: 'style', description: 'Objects must not be named web.', rationale: 'Too generic.', remediation: 'Rename it.', tags: [], defaultOptions: {} },
  check(obj, ctx) { if (obj.name === 'web') ctx.report({ path: ['metadata', 'name'], message: 'name "web" is too generic; rename it' }); },
}];
`;

describe('plugins', () => {
  test('load rules with the built-in rule API', async () => {
    const dir = writeTree({ '.k8s-gold.yaml': 'plugins: ["./rules.js"]\n', 'rules.js': PLUGIN, 'deploy.yaml': DEPLOY });
    const r = await cli(['lint', '-f', 'json', 'deploy.yaml'], { cwd: dir });
    const m = JSON.parse(r.stdout)[0].messages.find((x: { ruleId: string }) => x.ruleId === 'acme/no-web-name');
    expect(m).toMatchObject({ line: 4, column: 3, level: 'warning', message: 'name "web" is too generic; rename it' });
    const ex = await cli(['explain', 'acme/no-web-name'], { cwd: dir });
    expect(ex.stdout).toContain('Too generic.');
  });

  test('a default export works too', async () => {
    const dir = writeTree({
      '.k8s-gold.yaml': 'plugins: ["./rules.js"]\n',
      'rules.js': PLUGIN.replace('module.exports = [', 'exports.default = ['),
    });
    const r = await cli(['rules'], { cwd: dir });
    expect(r.stdout).toMatch(/^acme\/no-web-name\s+warning/m);
  });

  test.each([
    [
      'no check function',
      PLUGIN.replace(/check\(obj, ctx\) \{.*\},\n/, ''),
      /plugin \.\/rules\.js does not export valid rules\n {2}\.\/rules\.js: rule 0 \(acme\/no-web-name\): check must be a function/,
    ],
    [
      'a missing rationale',
      PLUGIN.replace("rationale: 'Too generic.', ", ''),
      /rule 0 \(acme\/no-web-name\): meta\.rationale must be a non-empty string/,
    ],
    ['a syntax error', 'module.exports = {;\n', /plugin \.\/rules\.js failed to load: Unexpected token/],
    ['a missing file', null, /plugin \.\/rules\.js: no such file/],
  ])('a plugin with %s exits 2 with a clear message', async (_what, text, re) => {
    const files: Record<string, string> = { '.k8s-gold.yaml': 'plugins: ["./rules.js"]\n', 'deploy.yaml': DEPLOY };
    if (text !== null) files['rules.js'] = text;
    const dir = writeTree(files);
    const r = await cli(['lint', 'deploy.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(re);
  });
});

describe('examples/policies', () => {
  test('the example config, policies and plugin work from their directory', async () => {
    const dir = require('node:path').join(__dirname, '../examples/policies');
    const r = await cli(['lint', '-f', 'json', 'manifests/'], { cwd: dir });
    expect(r.stderr).toBe('');
    // the built-in rules also speak about these manifests; this test is about the policies and the plugin
    const got = JSON.parse(r.stdout).flatMap((f: { filePath: string; messages: { ruleId: string; line: number }[] }) =>
      f.messages.filter((m) => m.ruleId.includes('/')).map((m) => `${f.filePath}:${m.line} ${m.ruleId}`),
    );
    expect(got).toEqual([
      'manifests/web.yaml:3 acme/required-team-label',
      'manifests/web.yaml:23 acme/allowed-registries',
      'manifests/web.yaml:23 acme/no-latest-tag',
      'manifests/web.yaml:24 acme/no-privilege-escalation',
    ]);
  });
});
