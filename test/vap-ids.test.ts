/**
 * Each ValidatingAdmissionPolicy has its own rule id, `vap/<policy-name>`: its findings are reported under it,
 * and it is configured (`rules:`, `overrides`, `--rule`) and suppressed (`# k8s-gold-ignore`) on its own, while
 * `validating-admission-policy` still covers every policy, as it did before the per-policy ids.
 */
import { cli, writeTree } from './helpers';
import { describeWithTools } from './helpers/tools';

interface Msg {
  ruleId: string;
  line: number;
  level: string;
  message: string;
}

const CONFIG = '.k8s-gold.yaml';
const BASE = 'extends: []\nrules:\n  validating-admission-policy: error\n';

function policy(name: string, expression: string, message: string): string {
  return [
    'apiVersion: admissionregistration.k8s.io/v1',
    'kind: ValidatingAdmissionPolicy',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  matchConstraints:',
    '    resourceRules:',
    '      - apiGroups: ["apps"]',
    '        apiVersions: ["v1"]',
    '        operations: ["CREATE"]',
    '        resources: ["deployments"]',
    '  validations:',
    `    - expression: ${JSON.stringify(expression)}`,
    `      message: ${message}`,
    '---',
    'apiVersion: admissionregistration.k8s.io/v1',
    'kind: ValidatingAdmissionPolicyBinding',
    'metadata:',
    `  name: ${name}-binding`,
    'spec:',
    `  policyName: ${name}`,
    '  validationActions: [Deny]',
    '',
  ].join('\n');
}

const POLICIES = `${policy('max-replicas.example.com', 'object.spec.replicas <= 3', 'at most 3 replicas')}---\n${policy('team-label', "has(object.metadata.labels) && 'team' in object.metadata.labels", 'a team label is required')}`;

/** A Deployment that fails both policies: replicas on line 8, labels (no team label) on line 6. */
function deployment(replicasComment = '', labelsComment = ''): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: default\n  labels: {app: web}${labelsComment}\nspec:\n  replicas: 5${replicasComment}\n`;
}

async function lint(
  config: string,
  d: string,
  args: string[] = [],
): Promise<{ code: number; msgs: Msg[]; suppressed: Msg[]; stderr: string }> {
  const dir = writeTree({ [CONFIG]: config, 'policies.yaml': POLICIES, 'd.yaml': d });
  const r = await cli(['lint', '-f', 'json', ...args, 'd.yaml', '--context', 'policies.yaml'], { cwd: dir });
  const out = r.stdout ? (JSON.parse(r.stdout) as { messages: Msg[]; suppressedMessages: Msg[] }[]) : [];
  return { code: r.code, msgs: out.flatMap((f) => f.messages), suppressed: out.flatMap((f) => f.suppressedMessages), stderr: r.stderr };
}

const brief = (ms: Msg[]): string[] => ms.map((m) => `${m.line} ${m.ruleId} ${m.level}`);

test('each policy reports under its own id, with the message it always had', async () => {
  const r = await lint(BASE, deployment());
  expect(r.stderr).toBe('');
  expect(brief(r.msgs)).toEqual(['6 vap/team-label error', '8 vap/max-replicas.example.com error']);
  expect(r.msgs[1]!.message).toMatch(
    /^at most 3 replicas \(ValidatingAdmissionPolicy max-replicas\.example\.com, binding max-replicas\.example\.com-binding, /,
  );
});

test('rules: turns one policy off or changes its severity; the group id still turns every policy off', async () => {
  expect(brief((await lint(`${BASE}  vap/team-label: off\n`, deployment())).msgs)).toEqual(['8 vap/max-replicas.example.com error']);
  expect(brief((await lint(`${BASE}  vap/max-replicas.example.com: warning\n`, deployment())).msgs)).toEqual([
    '6 vap/team-label error',
    '8 vap/max-replicas.example.com warning',
  ]);
  // an instance id cannot turn on what its rule's own setting turns off
  expect((await lint('extends: []\nrules:\n  validating-admission-policy: off\n  vap/team-label: error\n', deployment())).msgs).toEqual([]);
});

test('--rule and overrides take policy ids too', async () => {
  expect(brief((await lint(BASE, deployment(), ['--rule', 'vap/team-label=info'])).msgs)).toEqual([
    '6 vap/team-label info',
    '8 vap/max-replicas.example.com error',
  ]);
  const overrides = `${BASE}overrides:\n  - files: ["d.yaml"]\n    rules:\n      vap/max-replicas.example.com: off\n`;
  expect(brief((await lint(overrides, deployment())).msgs)).toEqual(['6 vap/team-label error']);
});

test('a policy id takes a severity only: options are a config error', async () => {
  const r = await lint(`${BASE}  vap/team-label: [error, {x: 1}]\n`, deployment());
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(
    'vap/team-label: the id of one ValidatingAdmissionPolicy takes a severity only; set options on validating-admission-policy',
  );
});

test('a comment suppresses one policy by its id, or every policy by the group id', async () => {
  const one = await lint(BASE, deployment(' # k8s-gold-ignore vap/max-replicas.example.com -- approved scale-out'));
  expect(brief(one.msgs)).toEqual(['6 vap/team-label error']);
  expect(brief(one.suppressed)).toEqual(['8 vap/max-replicas.example.com error']);

  const group = await lint(
    BASE,
    deployment(' # k8s-gold-ignore validating-admission-policy -- approved', ' # k8s-gold-ignore validating-admission-policy -- legacy'),
  );
  expect(brief(group.msgs)).toEqual([]);
  expect(brief(group.suppressed)).toEqual(['6 vap/team-label error', '8 vap/max-replicas.example.com error']);
});

test('a suppression naming the other policy suppresses nothing and is reported unused', async () => {
  const r = await lint(`${BASE}  unused-suppression: warning\n`, deployment(' # k8s-gold-ignore vap/team-label -- wrong policy'));
  expect(brief(r.msgs)).toEqual(['6 vap/team-label error', '8 vap/max-replicas.example.com error', '8 unused-suppression warning']);
  expect(r.msgs[2]!.message).toBe('unused suppression: no vap/team-label finding on this line');
});

test('an unknown prefix is still an unknown rule', async () => {
  const r = await lint(`${BASE}  vapp/team-label: off\n`, deployment());
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('unknown rule "vapp/team-label"');
});

test('SARIF: each policy id has its own rule descriptor, its rule the superset', async () => {
  const dir = writeTree({ [CONFIG]: BASE, 'policies.yaml': POLICIES, 'd.yaml': deployment() });
  const r = await cli(['lint', '-f', 'sarif', 'd.yaml', '--context', 'policies.yaml'], { cwd: dir });
  const run = (
    JSON.parse(r.stdout) as {
      runs: {
        tool: {
          driver: {
            rules: {
              id: string;
              shortDescription: { text: string };
              relationships?: { target: { id: string; index: number }; kinds: string[] }[];
            }[];
          };
        };
        results: { ruleId: string; ruleIndex: number }[];
      }[];
    }
  ).runs[0]!;
  const rules = run.tool.driver.rules;
  expect(run.results.map((x) => [x.ruleId, rules[x.ruleIndex]!.id])).toEqual([
    ['vap/team-label', 'vap/team-label'],
    ['vap/max-replicas.example.com', 'vap/max-replicas.example.com'],
  ]);
  const d = rules.find((x) => x.id === 'vap/team-label')!;
  expect(d.shortDescription.text).toMatch(/^ValidatingAdmissionPolicy team-label: Objects must pass/);
  expect(d.relationships).toEqual([
    {
      target: { id: 'validating-admission-policy', index: rules.findIndex((x) => x.id === 'validating-admission-policy') },
      kinds: ['superset'],
    },
  ]);
  // the built-in rules keep their indices: the policy ids come after them
  expect(rules.slice(-2).map((x) => x.id)).toEqual(['vap/max-replicas.example.com', 'vap/team-label']);
});

describeWithTools('a kustomization rendered with the real kubectl', ({ kubectl }) => {
  test('a source comment naming the group id still suppresses a policy finding (kustomize drops comments, they are read from the source)', async () => {
    const dir = writeTree({
      [CONFIG]: `${BASE}kustomize:\n  command: [${kubectl}, kustomize]\n`,
      'policies.yaml': POLICIES,
      'k/kustomization.yaml': 'resources:\n  - d.yaml\n',
      'k/d.yaml': deployment(
        ' # k8s-gold-ignore validating-admission-policy -- approved scale-out',
        ' # k8s-gold-ignore vap/team-label -- legacy app',
      ),
    });
    const r = await cli(['lint', '-f', 'json', 'k', '--context', 'policies.yaml'], { cwd: dir });
    const out = JSON.parse(r.stdout) as { filePath: string; messages: Msg[]; suppressedMessages: Msg[] }[];
    const d = out.find((x) => x.filePath === 'k/d.yaml')!;
    expect(brief(d.messages)).toEqual([]);
    expect(brief(d.suppressedMessages)).toEqual(['6 vap/team-label error', '8 vap/max-replicas.example.com error']);
  });
});
