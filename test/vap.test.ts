/**
 * ValidatingAdmissionPolicy end to end through the CLI: every matching branch
 * (resource rules, excludes, namespaceSelector with and without the Namespace,
 * objectSelector, matchConditions), params (name, selector, per namespace,
 * missing with Allow and Deny), Deny/Warn/Audit, failurePolicy, compile errors
 * at the expression, version gating, hostile expressions, policies from
 * --context and from config `policies:`, and CEL in k8s-gold's own policies.
 */
import * as path from 'node:path';
import { cli, writeTree } from './helpers';

interface Msg {
  ruleId: string;
  line: number;
  column: number;
  level: string;
  message: string;
}

async function lint(
  files: Record<string, string>,
  args: string[] = ['.'],
): Promise<{ code: number; msgs: (Msg & { file: string })[]; stderr: string }> {
  const dir = writeTree(files);
  const r = await cli(['lint', '-f', 'json', ...args], { cwd: dir });
  const out = r.stdout ? (JSON.parse(r.stdout) as { filePath: string; messages: Msg[] }[]) : [];
  const msgs = out.flatMap((f) =>
    f.messages.map((m) => ({ ...m, file: path.isAbsolute(f.filePath) ? path.relative(dir, f.filePath) : f.filePath })),
  );
  return { code: r.code, msgs, stderr: r.stderr };
}

const CONFIG = '.k8s-gold.yaml';
/** Only the CEL rules (others would comment on the sample workloads). */
const onlyCel = 'extends: []\nrules:\n  validating-admission-policy: error\n  crd-validation-rule: error\n';
const celOnly = (extra = '') => ({ [CONFIG]: onlyCel + extra });

function vap(name: string, spec: string): string {
  return `apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
}
function binding(name: string, policy: string, spec = ''): string {
  return `apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata:\n  name: ${name}\nspec:\n  policyName: ${policy}\n${spec}`;
}
const deployRules = `  matchConstraints:\n    resourceRules:\n      - apiGroups: ["apps"]\n        apiVersions: ["v1"]\n        operations: ["CREATE", "UPDATE"]\n        resources: ["deployments"]\n`;
function deploy(name: string, replicas: number, ns = 'default', labels = '{}'): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n  labels: ${labels}\nspec:\n  replicas: ${replicas}\n`;
}
const cel = <M extends Msg>(ms: M[]): M[] =>
  ms.filter(
    (m) =>
      m.ruleId === 'validating-admission-policy' ||
      m.ruleId.startsWith('vap/') ||
      m.ruleId === 'crd-validation-rule' ||
      m.ruleId.startsWith('crd-rule/'),
  );
const brief = (ms: (Msg & { file: string })[]) => cel(ms).map((m) => `${m.file}:${m.line}:${m.column} ${m.level}`);

const MAX3 = `${deployRules}  validations:\n    - expression: "object.spec.replicas <= 3"\n      message: at most 3 replicas\n`;

describe('validationActions', () => {
  test.each([
    ['[Deny]', 'error', 1, ''],
    ['[Warn]', 'warning', 0, '; validationActions Warn'],
    ['[Audit]', 'info', 0, '; validationActions Audit'],
    ['[Warn, Audit]', 'warning', 0, '; validationActions Warn'],
  ])('%s → %s', async (actions, level, code, suffix) => {
    const r = await lint({
      ...celOnly(),
      'p.yaml': `${vap('max3', MAX3)}---\n${binding('b', 'max3', `  validationActions: ${actions}\n`)}`,
      'd.yaml': deploy('web', 4),
    });
    expect(brief(r.msgs)).toEqual([`d.yaml:8:3 ${level}`]);
    expect(cel(r.msgs)[0]!.message).toBe(`at most 3 replicas (ValidatingAdmissionPolicy max3, binding b, p.yaml:2${suffix})`);
    expect(r.code).toBe(code);
  });
  test('at the boundary nothing is reported', async () => {
    const r = await lint({
      ...celOnly(),
      'p.yaml': `${vap('max3', MAX3)}---\n${binding('b', 'max3', '  validationActions: [Deny]\n')}`,
      'd.yaml': deploy('web', 3),
    });
    expect(brief(r.msgs)).toEqual([]);
    expect(r.code).toBe(0);
  });
  test('a policy and binding in two install bundles (same names) deny once: the first definition of each name is the one', async () => {
    // volcano ships installer/volcano-development-vap.yaml and -vap-map.yaml, each with the policy and its binding
    const bundle = `${vap('max3', MAX3)}---\n${binding('b', 'max3', '  validationActions: [Deny]\n')}`;
    const r = await lint({ ...celOnly(), 'install/a.yaml': bundle, 'install/b.yaml': bundle, 'd.yaml': deploy('web', 4) });
    expect(brief(r.msgs)).toEqual(['d.yaml:8:3 error']);
    // a binding of another name binds the policy again: reported for each
    const two = await lint({
      ...celOnly(),
      'p.yaml': `${bundle}---\n${binding('c', 'max3', '  validationActions: [Warn]\n')}`,
      'd.yaml': deploy('web', 4),
    });
    expect(brief(two.msgs)).toEqual(['d.yaml:8:3 error', 'd.yaml:8:3 warning']);
  });
  test('an unbound policy does nothing', async () => {
    const r = await lint({ ...celOnly(), 'p.yaml': vap('max3', MAX3), 'd.yaml': deploy('web', 9) });
    expect(brief(r.msgs)).toEqual([]);
  });
});

describe('matching', () => {
  const withB = (spec: string, bspec = '  validationActions: [Deny]\n') => `${vap('max3', spec)}---\n${binding('b', 'max3', bspec)}`;
  test('excludeResourceRules and resourceNames', async () => {
    const spec = MAX3.replace(
      '  validations:',
      '    excludeResourceRules:\n      - apiGroups: ["apps"]\n        apiVersions: ["*"]\n        operations: ["*"]\n        resources: ["deployments"]\n        resourceNames: ["legacy"]\n  validations:',
    );
    const r = await lint({ ...celOnly(), 'p.yaml': withB(spec), 'd.yaml': `${deploy('legacy', 9)}---\n${deploy('web', 9)}` });
    expect(brief(r.msgs)).toEqual(['d.yaml:17:3 error']);
  });
  test('other resources, operations and scopes do not match', async () => {
    const r1 = await lint({
      ...celOnly(),
      'p.yaml': withB(MAX3.replace('["deployments"]', '["statefulsets"]')),
      'd.yaml': deploy('web', 9),
    });
    const r2 = await lint({
      ...celOnly(),
      'p.yaml': withB(MAX3.replace('["CREATE", "UPDATE"]', '["DELETE"]')),
      'd.yaml': deploy('web', 9),
    });
    const r3 = await lint({
      ...celOnly(),
      'p.yaml': withB(MAX3.replace('resources: ["deployments"]', 'resources: ["deployments"]\n        scope: Cluster')),
      'd.yaml': deploy('web', 9),
    });
    const r4 = await lint({
      ...celOnly(),
      'p.yaml': withB(MAX3.replace('resources: ["deployments"]', 'resources: ["*"]\n        scope: Namespaced')),
      'd.yaml': deploy('web', 9),
    });
    expect([brief(r1.msgs), brief(r2.msgs), brief(r3.msgs), brief(r4.msgs)]).toEqual([[], [], [], ['d.yaml:8:3 error']]);
  });
  test('namespaceSelector: with the Namespace in the input, and without it (info: not evaluated)', async () => {
    const spec = MAX3.replace('  validations:', '    namespaceSelector:\n      matchLabels: { env: prod }\n  validations:');
    const ns = (n: string, env: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${n}\n  labels: { env: ${env} }\n`;
    const r = await lint({
      ...celOnly(),
      'p.yaml': withB(spec),
      'ns.yaml': `${ns('shop', 'prod')}---\n${ns('dev', 'dev')}`,
      'd.yaml': `${deploy('a', 9, 'shop')}---\n${deploy('b', 9, 'dev')}---\n${deploy('c', 9, 'unknown')}`,
    });
    expect(brief(r.msgs)).toEqual(['d.yaml:8:3 error', 'd.yaml:23:3 info']);
    expect(cel(r.msgs)[1]!.message).toMatch(
      /not evaluated: its namespaceSelector needs the labels of Namespace unknown, which is not in the input or --context/,
    );
    // labels declared in the config for a Namespace that is not in the input
    const r3 = await lint({
      [CONFIG]: `${onlyCel}settings:\n  namespaceLabels:\n    unknown: { env: prod }\n    other: { env: dev }\n`,
      'p.yaml': withB(spec),
      'd.yaml': `${deploy('c', 9, 'unknown')}---\n${deploy('d', 9, 'other')}`,
    });
    expect(brief(r3.msgs)).toEqual(['d.yaml:8:3 error']);
    // the automatic kubernetes.io/metadata.name label
    const r2 = await lint({
      ...celOnly(),
      'p.yaml': withB(spec.replace('{ env: prod }', '{ kubernetes.io/metadata.name: shop }')),
      'ns.yaml': ns('shop', 'x'),
      'd.yaml': deploy('a', 9, 'shop'),
    });
    expect(brief(r2.msgs)).toEqual(['d.yaml:8:3 error']);
  });
  test("the binding's matchResources narrows the policy's; objectSelector", async () => {
    const b = '  validationActions: [Deny]\n  matchResources:\n    objectSelector:\n      matchLabels: { tier: web }\n';
    const r = await lint({
      ...celOnly(),
      'p.yaml': withB(MAX3, b),
      'd.yaml': `${deploy('a', 9, 'default', '{ tier: web }')}---\n${deploy('b', 9, 'default', '{ tier: db }')}`,
    });
    expect(brief(r.msgs)).toEqual(['d.yaml:8:3 error']);
  });
  test('matchConditions: false skips, true evaluates', async () => {
    const spec = MAX3.replace(
      '  validations:',
      '  matchConditions:\n    - name: not-exempt\n      expression: "!(\'exempt\' in object.metadata.labels)"\n  validations:',
    );
    const r = await lint({
      ...celOnly(),
      'p.yaml': withB(spec),
      'd.yaml': `${deploy('a', 9, 'default', '{ exempt: "yes" }')}---\n${deploy('b', 9)}`,
    });
    expect(brief(r.msgs)).toEqual(['d.yaml:17:3 error']);
  });
  test('a kind without a CRD in the run matches only resources: ["*"]', async () => {
    const spec = (res: string) =>
      `  matchConstraints:\n    resourceRules:\n      - apiGroups: ["*"]\n        apiVersions: ["*"]\n        operations: ["*"]\n        resources: [${res}]\n  validations:\n    - expression: "has(object.metadata.labels)"\n`;
    const w = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: a\n';
    const star = await lint({ ...celOnly(), 'p.yaml': withB(spec('"*"')), 'w.yaml': w });
    const named = await lint({ ...celOnly(), 'p.yaml': withB(spec('"widgets"')), 'w.yaml': w });
    expect([brief(star.msgs), brief(named.msgs)]).toEqual([['w.yaml:3:1 error'], []]);
  });
  test('custom resources match by the plural of their CRD', async () => {
    const crd =
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n  names: { plural: widgets, kind: Widget }\n  versions: [{ name: v1, served: true, storage: true, schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } } }]\n';
    const spec =
      '  matchConstraints:\n    resourceRules:\n      - apiGroups: ["example.com"]\n        apiVersions: ["v1"]\n        operations: ["CREATE"]\n        resources: ["widgets"]\n  validations:\n    - expression: "object.spec.size < 10"\n';
    const r = await lint({
      ...celOnly(),
      'p.yaml': withB(spec),
      'crd.yaml': crd,
      'w.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 12\n',
    });
    expect(brief(r.msgs)).toEqual(['w.yaml:6:3 error']);
    expect(cel(r.msgs)[0]!.message).toMatch(/^failed expression: object.spec.size < 10 /);
  });
});

describe('params', () => {
  const spec = `  paramKind:\n    apiVersion: v1\n    kind: ConfigMap\n${deployRules}  validations:\n    - expression: "object.spec.replicas <= int(params.data.max)"\n      messageExpression: "'at most ' + params.data.max + ' replicas'"\n`;
  const cm = (name: string, ns: string, max: number, labels = '{}') =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n  labels: ${labels}\ndata:\n  max: "${max}"\n`;
  test('by name, in the namespace of the object when paramRef.namespace is empty', async () => {
    const b = binding('b', 'limit', '  validationActions: [Deny]\n  paramRef:\n    name: limits\n    parameterNotFoundAction: Deny\n');
    const r = await lint({
      ...celOnly(),
      'p.yaml': `${vap('limit', spec)}---\n${b}`,
      'cm.yaml': `${cm('limits', 'a', 2)}---\n${cm('limits', 'b', 5)}`,
      'd.yaml': `${deploy('x', 4, 'a')}---\n${deploy('y', 4, 'b')}`,
    });
    expect(brief(r.msgs)).toEqual(['d.yaml:8:3 error']);
    expect(cel(r.msgs)[0]!.message).toBe(
      'at most 2 replicas (ValidatingAdmissionPolicy limit, binding b, params ConfigMap limits, p.yaml:2)',
    );
  });
  test('by selector: each matching params object is evaluated', async () => {
    const b = binding(
      'b',
      'limit',
      '  validationActions: [Deny]\n  paramRef:\n    namespace: cfg\n    selector:\n      matchLabels: { kind: limit }\n    parameterNotFoundAction: Deny\n',
    );
    const r = await lint({
      ...celOnly(),
      'p.yaml': `${vap('limit', spec)}---\n${b}`,
      'cm.yaml': `${cm('l1', 'cfg', 2, '{ kind: limit }')}---\n${cm('l2', 'cfg', 3, '{ kind: limit }')}---\n${cm('l3', 'cfg', 1, '{}')}`,
      'd.yaml': deploy('x', 3),
    });
    expect(cel(r.msgs).map((m) => m.message.replace(/ \(Valid.*/, ''))).toEqual(['at most 2 replicas']);
  });
  test.each([
    ['Deny', 'denies'],
    ['Allow', 'allows'],
  ])('missing params with parameterNotFoundAction %s: info, not evaluated', async (action, verb) => {
    const b = binding(
      'b',
      'limit',
      `  validationActions: [Deny]\n  paramRef:\n    name: nope\n    namespace: default\n    parameterNotFoundAction: ${action}\n`,
    );
    const r = await lint({ ...celOnly(), 'p.yaml': `${vap('limit', spec)}---\n${b}`, 'd.yaml': deploy('x', 9) });
    expect(brief(r.msgs)).toEqual(['d.yaml:2:1 info']);
    expect(cel(r.msgs)[0]!.message).toContain(
      `no ConfigMap default/nope in the input or --context; where none exists, the API server ${verb} the request`,
    );
  });
});

describe('variables, messages, errors', () => {
  test('variables are evaluated lazily; the finding is at the field the variable reads', async () => {
    const spec = `${deployRules}  variables:\n    - name: broken\n      expression: "object.spec.nope.deeper"\n    - name: replicas\n      expression: "object.spec.replicas"\n  validations:\n    - expression: "variables.replicas <= 3"\n      reason: Forbidden\n`;
    const r = await lint({
      ...celOnly(),
      'p.yaml': `${vap('v', spec)}---\n${binding('b', 'v', '  validationActions: [Deny]\n')}`,
      'd.yaml': deploy('x', 4),
    });
    expect(brief(r.msgs)).toEqual(['d.yaml:8:3 error']);
    expect(cel(r.msgs)[0]!.message).toBe(
      'failed expression: variables.replicas <= 3 (reason Forbidden) (ValidatingAdmissionPolicy v, binding b, p.yaml:2)',
    );
  });
  test('a namespaced object without metadata.namespace is admitted in the default namespace', async () => {
    const spec = `${deployRules}  validations:\n    - expression: "object.metadata.namespace != 'default'"\n      messageExpression: "'namespace ' + object.metadata.namespace + ' is reserved'"\n`;
    const d = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replicas: 1\n';
    const r = await lint({
      ...celOnly(),
      'p.yaml': `${vap('v', spec)}---\n${binding('b', 'v', '  validationActions: [Deny]\n')}`,
      'd.yaml': d,
    });
    expect(cel(r.msgs).map((m) => `${m.line}:${m.column} ${m.message.replace(/ \(Valid.*/, '')}`)).toEqual([
      '3:1 namespace default is reserved',
    ]);
    const other = await lint({
      [CONFIG]: `${onlyCel}defaultNamespace: apps\n`,
      'p.yaml': `${vap('v', spec)}---\n${binding('b', 'v', '  validationActions: [Deny]\n')}`,
      'd.yaml': d,
    });
    expect(cel(other.msgs)).toEqual([]);
  });
  test('a messageExpression that is not a one-line string falls back to message', async () => {
    const spec = `${deployRules}  validations:\n    - expression: "object.spec.replicas <= 3"\n      message: static\n      messageExpression: "''"\n`;
    const r = await lint({
      ...celOnly(),
      'p.yaml': `${vap('v', spec)}---\n${binding('b', 'v', '  validationActions: [Deny]\n')}`,
      'd.yaml': deploy('x', 4),
    });
    expect(cel(r.msgs)[0]!.message).toMatch(/^static \(/);
  });
  test.each([
    ['Fail', 'error', /failed: .*failurePolicy Fail rejects the request/],
    ['Ignore', 'info', /failurePolicy Ignore admits the request/],
  ])('an evaluation error with failurePolicy %s', async (fp, level, message) => {
    const spec = `  failurePolicy: ${fp}\n${deployRules}  validations:\n    - expression: "int(object.metadata.name) > 0"\n`;
    const r = await lint({
      ...celOnly(),
      'p.yaml': `${vap('v', spec)}---\n${binding('b', 'v', '  validationActions: [Deny]\n')}`,
      'd.yaml': deploy('x', 4),
    });
    expect(cel(r.msgs).map((m) => m.level)).toEqual([level]);
    expect(cel(r.msgs)[0]!.message).toMatch(message);
  });
  test.each([
    ['"\'replicas: \' + string(object.spec.replicas)"', []],
    ['"object.spec.replicas > 2 ? object.metadata.name : null"', []],
    ['"int(object.metadata.name)"', ['error']],
    ['"object.spec.replicas"', ['error']],
  ])('auditAnnotations: a string or null is fine; an error or another type goes through failurePolicy (%s)', async (expr, levels) => {
    const spec = `${deployRules}  validations:\n    - expression: "true"\n  auditAnnotations:\n    - key: replicas\n      valueExpression: ${expr}\n`;
    const r = await lint({
      ...celOnly(),
      'p.yaml': `${vap('v', spec)}---\n${binding('b', 'v', '  validationActions: [Deny]\n')}`,
      'd.yaml': deploy('x', 4),
    });
    expect(cel(r.msgs).map((m) => m.level)).toEqual(levels);
    for (const m of cel(r.msgs))
      expect(m.message).toMatch(/^auditAnnotation replicas \(.*\) failed: .*failurePolicy Fail rejects the request/);
  });
  test('a field the API server may default (absent here) is not evaluated: info', async () => {
    const spec = `${deployRules}  validations:\n    - expression: "object.spec.strategy.type == 'RollingUpdate'"\n`;
    const r = await lint({
      ...celOnly(),
      'p.yaml': `${vap('v', spec)}---\n${binding('b', 'v', '  validationActions: [Deny]\n')}`,
      'd.yaml': deploy('x', 4),
    });
    expect(cel(r.msgs).map((m) => m.level)).toEqual(['info']);
    expect(cel(r.msgs)[0]!.message).toMatch(/No such key: strategy\); the API server may set that field by defaulting/);
  });
  test('a compile error is an error at the expression in the policy file', async () => {
    const spec = `${deployRules}  validations:\n    - expression: "object.spec.replicas <== 3"\n`;
    const r = await lint({
      ...celOnly(),
      'p.yaml': `${vap('v', spec)}---\n${binding('b', 'v', '  validationActions: [Deny]\n')}`,
      'd.yaml': deploy('x', 4),
    });
    expect(brief(r.msgs)).toEqual(['p.yaml:13:7 error']);
    expect(cel(r.msgs)[0]!.message).toMatch(/^this expression does not compile, so the API server rejects the policy: /);
  });
  test('auditAnnotations are compiled (an invalid one is an error at it); one that evaluates to a string is not reported', async () => {
    const spec = `${deployRules}  validations:\n    - expression: "true"\n  auditAnnotations:\n    - key: replicas\n      valueExpression: "string(object.spec.replicas)"\n    - key: broken\n      valueExpression: "object.spec.replicas +"\n`;
    const r = await lint({
      ...celOnly(),
      'p.yaml': `${vap('v', spec)}---\n${binding('b', 'v', '  validationActions: [Deny]\n')}`,
      'd.yaml': deploy('x', 4),
    });
    expect(brief(r.msgs)).toEqual(['p.yaml:18:7 error']);
  });
  test('CRDs given with --crd: their rules apply to the input; transition rules are reported only where the CRD is linted', async () => {
    const crd =
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n  names: { plural: widgets, kind: Widget }\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec:\n              type: object\n              x-kubernetes-validations:\n                - rule: "self.size <= 10"\n                  message: size is at most 10\n                - rule: "self.size >= oldSelf.size"\n              properties:\n                size: { type: integer }\n';
    const w = (n: number) => `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w${n}\nspec:\n  size: ${n}\n`;
    const r = await lint({ ...celOnly(), 'crds/widget.yaml': crd, 'w.yaml': `${w(10)}---\n${w(11)}` }, ['w.yaml', '--crd', 'crds']);
    expect(brief(r.msgs)).toEqual(['w.yaml:12:1 error']);
    expect(cel(r.msgs)[0]!.message).toBe(
      'size is at most 10 (x-kubernetes-validations rule of CustomResourceDefinition widgets.example.com, crds/widget.yaml:2)',
    );
    const both = await lint({ ...celOnly(), 'crds/widget.yaml': crd, 'w.yaml': w(1) }, ['.']);
    expect(brief(both.msgs)).toEqual(['crds/widget.yaml:22:19 info']);
  });
  test('version gating: a library the target version lacks is a compile error', async () => {
    const spec = `${deployRules}  validations:\n    - expression: "isSemver(object.metadata.labels.version)"\n`;
    const files = {
      'p.yaml': `${vap('v', spec)}---\n${binding('b', 'v', '  validationActions: [Deny]\n')}`,
      'd.yaml': deploy('x', 4, 'default', '{ version: "1.2" }'),
    };
    const old = await lint({ [CONFIG]: `${onlyCel}kubernetesVersion: "1.32"\n`, ...files });
    expect(brief(old.msgs)).toEqual(['p.yaml:13:7 error']);
    expect(cel(old.msgs)[0]!.message).toMatch(/semver library is available from Kubernetes 1.33, and the target is 1.32/);
    const now = await lint({ [CONFIG]: `${onlyCel}kubernetesVersion: "1.33"\n`, ...files });
    expect(brief(now.msgs)).toEqual(['d.yaml:6:13 error']);
  });
  test('a hostile expression ends with a finding, not a hang', async () => {
    const ten = '[0,1,2,3,4,5,6,7,8,9]';
    const expr = `${ten}.all(a, ${ten}.all(b, ${ten}.all(c, ${ten}.all(d, ${ten}.all(e, ${ten}.all(f, ${ten}.all(g, a+b+c+d+e+f+g >= 0)))))))`;
    const spec = `${deployRules}  validations:\n    - expression: "${expr}"\n`;
    const t = Date.now();
    const r = await lint({
      ...celOnly(),
      'p.yaml': `${vap('v', spec)}---\n${binding('b', 'v', '  validationActions: [Deny]\n')}`,
      'd.yaml': `${deploy('x', 4)}---\n${deploy('y', 4)}`,
    });
    expect(Date.now() - t).toBeLessThan(20000);
    expect(cel(r.msgs).map((m) => m.level)).toEqual(['error', 'error']);
    expect(cel(r.msgs)[0]!.message).toMatch(/exceeded the cost budget of 1000000 steps/);
  });
  test('the authorizer and two-variable comprehensions: not evaluated (info at the expression), never an error', async () => {
    const spec = `${deployRules}  validations:\n    - expression: "authorizer.group('apps').resource('deployments').check('scale').allowed()"\n`;
    const r = await lint({
      ...celOnly(),
      'p.yaml': `${vap('v', spec)}---\n${binding('b', 'v', '  validationActions: [Deny]\n')}`,
      'd.yaml': deploy('x', 4),
    });
    expect(brief(r.msgs)).toEqual(['p.yaml:13:7 info']);
  });
});

describe('where policies come from', () => {
  test('--context: policies and bindings there apply to the input', async () => {
    const r = await lint(
      {
        ...celOnly(),
        'policies/p.yaml': `${vap('max3', MAX3)}---\n${binding('b', 'max3', '  validationActions: [Deny]\n')}`,
        'd.yaml': deploy('web', 4),
      },
      ['d.yaml', '--context', 'policies'],
    );
    expect(brief(r.msgs)).toEqual(['d.yaml:8:3 error']);
    expect(cel(r.msgs)[0]!.message).toContain('policies/p.yaml:2');
  });
  test('config policies: ValidatingAdmissionPolicies in policy files, beside k8s-gold policies written in CEL', async () => {
    const own =
      'id: acme/image-registry\ndescription: Images come from registry.example.com\ntarget: container\nexpression: "target.image.startsWith(\'registry.example.com/\')"\n';
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: registry.example.com/a\n    - name: b\n      image: docker.io/b\n';
    const r = await lint(
      {
        [CONFIG]: `${onlyCel}  acme/image-registry: error\npolicies: [policies/]\n`,
        'policies/vap.yaml': `${vap('max3', MAX3)}---\n${binding('b', 'max3', '  validationActions: [Deny]\n')}`,
        'policies/own.yaml': own,
        'd.yaml': `${deploy('web', 4)}---\n${pod}`,
      },
      ['d.yaml'],
    );
    expect(r.stderr).toBe('');
    const got = r.msgs.filter((m) => m.ruleId !== 'schema').map((m) => `${m.line}:${m.column} ${m.ruleId}`);
    expect(got).toEqual(['8:3 vap/max3', '19:7 acme/image-registry']);
    expect(r.msgs.find((m) => m.ruleId === 'acme/image-registry')!.message).toBe(
      "Images come from registry.example.com: spec.containers[1].image: target.image.startsWith('registry.example.com/') is false",
    );
  });
  test('a CEL policy that does not compile is a config error with its position', async () => {
    const own = 'id: acme/bad\ndescription: Bad\nexpression: "object.metadata.name =="\n';
    const dir = writeTree({ [CONFIG]: `${onlyCel}policies: [own.yaml]\n`, 'own.yaml': own, 'd.yaml': deploy('web', 4) });
    const r = await cli(['lint', 'd.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/own\.yaml:3:1: expression does not compile/);
  });
});
