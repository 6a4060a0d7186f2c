/**
 * Fixes of rendered Helm and kustomize objects become suggestions on the
 * source file where the mapping is exact (src/render/source-edits.ts), with the
 * real helm 4.1.4 and kubectl 1.35 kustomize; none where it is not; --fix never
 * applies them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LintMessage, LintResult } from '../src/engine/result';
import { cli, writeTree } from './helpers';
import { describeWithTools } from './helpers/tools';

function find(results: LintResult[], file: string, ruleId: string): LintMessage[] {
  return (results.find((r) => r.filePath === file)?.messages ?? []).filter((m) => m.ruleId === ruleId);
}

function lineOf(dir: string, file: string, needle: string): number {
  const i = fs
    .readFileSync(path.join(dir, file), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${file} has no line with ${needle}`);
  return i + 1;
}

function apply(text: string, f: { range: [number, number]; text: string }): string {
  return text.slice(0, f.range[0]) + f.text + text.slice(f.range[1]);
}

/** Every file under dir with its bytes. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (e.isFile()) out.set(path.join(e.parentPath, e.name), fs.readFileSync(path.join(e.parentPath, e.name), 'latin1'));
  return out;
}

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          securityContext:
            privileged: false
            runAsNonRoot: true
        - name: side
          image: nginx:1.27
          securityContext:
            {{- toYaml .Values.side | nindent 12 }}
`;

const CM = `apiVersion: v1\r
kind: ConfigMap\r
metadata:\r
  name: settings\r
data:\r
  literal: on\r
  fromValues: {{ .Values.flag }}\r
`;

const BASE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: nginx:1.27
        securityContext: {privileged: false, runAsNonRoot: true}
`;

describeWithTools('suggestions on the source for rendered objects', ({ helm, kubectl }) => {
  const config = `helm:\n  command: ${helm}\nkustomize:\n  command: [${kubectl}, kustomize]\n`;

  describe('a chart', () => {
    const dir = writeTree({
      '.k8s-gold.yaml': config,
      'c/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 0.1.0\n',
      'c/values.yaml': 'flag: "on"\nside:\n  privileged: false\n',
      'c/templates/deploy.yaml': DEPLOY,
      'c/templates/cm.yaml': CM,
    });
    let results: LintResult[] = [];
    beforeAll(async () => {
      results = JSON.parse((await cli(['lint', '-f', 'json', '.'], { cwd: dir })).stdout) as LintResult[];
    });

    test('an insertion after a literal template line: the suggestion edits the template, and applied it clears the finding', async () => {
      const [web, side] = find(results, 'c/templates/deploy.yaml', 'privilege-escalation');
      expect(web!.line).toBe(lineOf(dir, 'c/templates/deploy.yaml', 'securityContext:'));
      expect(web!.fix).toBeUndefined();
      expect(web!.suggestions).toHaveLength(1);
      const file = path.join(dir, 'c/templates/deploy.yaml');
      const fixed = apply(DEPLOY, web!.suggestions![0]!.fix);
      // the template's own indentation (12 spaces under `securityContext:` at 10), every other byte kept
      expect(fixed).toBe(
        DEPLOY.replace('            runAsNonRoot: true\n', '            runAsNonRoot: true\n            allowPrivilegeEscalation: false\n'),
      );
      // what toYaml writes from the values has no suggestion: the edit would belong in the values
      expect(side!.suggestions).toBeUndefined();
      fs.writeFileSync(file, fixed);
      try {
        const again = JSON.parse((await cli(['lint', '-f', 'json', '.'], { cwd: dir })).stdout) as LintResult[];
        expect(find(again, 'c/templates/deploy.yaml', 'privilege-escalation').map((m) => m.message)).toEqual([side!.message]);
      } finally {
        fs.writeFileSync(file, DEPLOY);
      }
    });

    test('a replacement in a literal template line (CRLF template): the same bytes in the template; a value an action writes gets none', () => {
      const amb = find(results, 'c/templates/cm.yaml', 'ambiguous-yaml-value');
      const literal = amb.find((m) => m.path === '/data/literal')!;
      const fromValues = amb.find((m) => m.path === '/data/fromValues')!;
      expect(literal.suggestions!.map((s) => apply(CM, s.fix))).toEqual([CM.replace('literal: on', 'literal: "on"')]);
      expect(fromValues.suggestions).toBeUndefined();
    });

    test('SARIF carries the suggestion as a fix on the template, with its line', async () => {
      const sarif = JSON.parse((await cli(['lint', '-f', 'sarif', '.'], { cwd: dir })).stdout);
      const res = sarif.runs[0].results.find((x: { ruleId: string; fixes?: unknown[] }) => x.ruleId === 'privilege-escalation' && x.fixes);
      const change = res.fixes[0].artifactChanges[0];
      expect(change.artifactLocation.uri).toBe('c/templates/deploy.yaml');
      expect(change.replacements[0].deletedRegion.startLine).toBe(lineOf(dir, 'c/templates/deploy.yaml', 'runAsNonRoot: true'));
    });

    test('--fix applies no suggestion and writes nothing', async () => {
      const before = snapshot(dir);
      const r = await cli(['lint', '--fix', '.'], { cwd: dir });
      expect(r.code).toBe(1);
      expect(snapshot(dir)).toEqual(before);
    });
  });

  test('kustomize: a field the build leaves as it is gets the suggestion computed on the source file itself', async () => {
    const dir = writeTree({
      '.k8s-gold.yaml': config,
      'base/d.yaml': BASE,
      'base/kustomization.yaml': 'resources:\n- d.yaml\n',
      'dev/kustomization.yaml': 'resources:\n- ../base\nnamePrefix: dev-\ncommonLabels: {env: dev}\n',
    });
    const out = JSON.parse((await cli(['lint', '-f', 'json', 'dev'], { cwd: dir })).stdout) as LintResult[];
    const [pe] = find(out, 'base/d.yaml', 'privilege-escalation');
    // the source's flow mapping keeps its style
    expect(pe!.suggestions!.map((s) => apply(BASE, s.fix))).toEqual([
      BASE.replace('runAsNonRoot: true}', 'runAsNonRoot: true, allowPrivilegeEscalation: false}'),
    ]);
    const before = snapshot(dir);
    await cli(['lint', '--fix', 'dev'], { cwd: dir });
    expect(snapshot(dir)).toEqual(before);
  });

  test('kustomize: a field a patch changed gets no suggestion (the source edit would not be what is deployed)', async () => {
    const dir = writeTree({
      '.k8s-gold.yaml': config,
      'base/d.yaml': BASE,
      'base/kustomization.yaml': 'resources:\n- d.yaml\n',
      'prod/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: patch.yaml\n',
      'prod/patch.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        securityContext: {runAsUser: 1000}\n',
    });
    const out = JSON.parse((await cli(['lint', '-f', 'json', 'prod'], { cwd: dir })).stdout) as LintResult[];
    const all = out.flatMap((r) => r.messages).filter((m) => m.ruleId === 'privilege-escalation');
    expect(all).toHaveLength(1);
    expect(all[0]!.suggestions).toBeUndefined();
  });
});
