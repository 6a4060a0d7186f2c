/**
 * The GitHub Action (action.yml, composite): its structure, and its steps'
 * scripts run with bash as the runner would (inputs substituted, GITHUB_*
 * files), including the install from a fresh clone of this repository, which
 * is what `uses: k8s-gold/k8s-gold@<ref>` checks out.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Sarif from 'sarif';
import { parse } from 'yaml';
import { ROOT, tmpdir, writeTree } from './helpers';
import { tools } from './helpers/tools';

interface Step {
  name?: string;
  id?: string;
  shell?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
  if?: string;
  with?: Record<string, string>;
}
interface Action {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as Action;

/** ${{ expr }} occurrences in a value. */
function expressions(v: unknown): string[] {
  const out: string[] = [];
  const walk = (x: unknown) => {
    if (typeof x === 'string') for (const m of x.matchAll(/\$\{\{\s*(.*?)\s*\}\}/g)) out.push(m[1]!);
    else if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') Object.values(x).forEach(walk);
  };
  walk(v);
  return out;
}

/** Substitutes ${{ inputs.x }} and ${{ steps.s.outputs.o }} as the runner does. */
function substitute(s: string, inputs: Record<string, string>, outputs: Record<string, Record<string, string>>): string {
  return s.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_m, expr: string) => {
    let m = /^inputs\.([\w-]+)$/.exec(expr);
    if (m) return inputs[m[1]!] ?? action.inputs[m[1]!]?.default ?? '';
    m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr);
    if (m) return outputs[m[1]!]?.[m[2]!] ?? '';
    throw new Error(`unsupported expression ${expr}`);
  });
}

function readOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/** Runs the action's steps (all but those listed in `skip`) like the runner. */
function runAction(opts: {
  workspace: string;
  actionPath: string;
  inputs: Record<string, string>;
  skip?: string[];
  preset?: Record<string, Record<string, string>>;
}) {
  const outputs: Record<string, Record<string, string>> = { ...(opts.preset ?? {}) };
  const tmp = tmpdir('k8s-gold-action-');
  const summary = path.join(tmp, 'summary.md');
  fs.writeFileSync(summary, '');
  let last = { code: 0 as number | null, stdout: '', stderr: '' };
  for (const step of action.runs.steps) {
    if (opts.skip?.includes(step.id!)) continue;
    const outFile = path.join(tmp, `${step.id}.out`);
    fs.writeFileSync(outFile, '');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: opts.workspace,
      GITHUB_ACTION_PATH: opts.actionPath,
      GITHUB_OUTPUT: outFile,
      GITHUB_STEP_SUMMARY: summary,
      RUNNER_TEMP: tmp,
    };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = substitute(v, opts.inputs, outputs);
    const cwd = path.resolve(opts.workspace, substitute(step['working-directory'] ?? '.', opts.inputs, outputs));
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', substitute(step.run!, opts.inputs, outputs)], {
      cwd,
      env,
      encoding: 'utf8',
      timeout: 400_000,
    });
    if (r.error) throw r.error;
    outputs[step.id!] = readOutputs(outFile);
    last = { code: r.status, stdout: r.stdout, stderr: r.stderr };
    if (r.status !== 0) break;
  }
  return { ...last, outputs, summary: fs.readFileSync(summary, 'utf8') };
}

describe('action.yml', () => {
  test('is a composite action whose expressions reference declared inputs and step outputs', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs).sort()).toEqual([
      'config',
      'context',
      'fail-on',
      'format',
      'helm-dependency-update',
      'max-warnings',
      'paths',
      'sarif-file',
      'set',
      'values',
      'version',
      'working-directory',
    ]);
    for (const [name, i] of Object.entries(action.inputs)) {
      expect(i.description.length).toBeGreaterThan(10);
      expect(typeof i.default).toBe('string');
      expect(name).toMatch(/^[a-z][a-z-]*$/);
    }
    const ids = action.runs.steps.map((s) => s.id);
    for (const s of action.runs.steps) {
      expect(s.shell).toBe('bash'); // composite run steps need an explicit shell
      expect(s.id).toBeTruthy();
    }
    for (const expr of expressions(action)) {
      const input = /^inputs\.([\w-]+)$/.exec(expr);
      const step = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr);
      expect(input || step).toBeTruthy();
      if (input) expect(Object.keys(action.inputs)).toContain(input[1]);
      if (step) {
        expect(ids).toContain(step[1]);
        const producer = action.runs.steps.find((s) => s.id === step[1])!;
        expect(producer.run).toContain(`echo "${step[2]}=`);
      }
    }
    // every input is used
    const used = new Set(
      expressions(action)
        .map((e) => /^inputs\.([\w-]+)$/.exec(e)?.[1])
        .filter(Boolean),
    );
    expect([...used].sort()).toEqual(Object.keys(action.inputs).sort());
    // every INPUT_* variable a script reads is set on its step
    for (const s of action.runs.steps) {
      for (const m of s.run!.matchAll(/\$\{?(INPUT_[A-Z_]+)/g)) expect(Object.keys(s.env ?? {})).toContain(m[1]);
    }
  });

  test('the example workflow uploads the SARIF with upload-sarif@v4 and security-events: write', () => {
    const wf = parse(fs.readFileSync(path.join(ROOT, '.github/workflows/k8s-gold.yml'), 'utf8')) as {
      jobs: Record<string, { permissions: Record<string, string>; steps: Step[] }>;
    };
    const job = Object.values(wf.jobs)[0]!;
    expect(job.permissions['security-events']).toBe('write');
    const lint = job.steps.find((s) => s.uses === './')!;
    for (const k of Object.keys(lint.with ?? {})) expect(Object.keys(action.inputs)).toContain(k);
    const upload = job.steps.find((s) => s.uses === 'github/codeql-action/upload-sarif@v4')!;
    expect(upload.with!.sarif_file).toBe(`\${{ steps.${lint.id}.outputs.sarif-file }}`);
    expect(upload.if).toContain('always()');
  });
});

describe('running the action', () => {
  const workspace = () =>
    writeTree({
      'k8s/bad.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: a\n  name: b\nspec:\n  x: yes\n',
      'k8s/warn.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: c\nspec:\n  x: on\n',
      'k8s/good.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\n',
    });

  test('installs from a fresh clone of the repository (what uses: checks out) and lints: annotations, summary, SARIF, exit code', () => {
    const actionPath = path.join(tmpdir('k8s-gold-action-src-'), 'k8s-gold');
    execFileSync('git', ['clone', '-q', ROOT, actionPath]);
    const ws = workspace();
    const r = runAction({ workspace: ws, actionPath, inputs: { paths: 'k8s/bad.yaml\nk8s/good.yaml' } });
    expect(r.outputs.install!.bin).toBe(path.join(actionPath, 'bin/k8s-gold.js'));
    expect(r.code).toBe(1);
    expect(r.outputs.lint).toEqual({ 'exit-code': '1', 'sarif-file': 'k8s-gold.sarif' });
    expect(r.stdout).toContain('::error file=k8s/bad.yaml,line=5,');
    expect(r.stdout).toMatch(/✖ 2 files/);
    expect(r.summary).toContain('| 🔴 error | `k8s/bad.yaml:5:3` | `duplicate-key` |');
    const log = JSON.parse(fs.readFileSync(path.join(ws, 'k8s-gold.sarif'), 'utf8')) as Sarif.Log;
    expect(log.runs[0]!.results!.map((x) => x.locations![0]!.physicalLocation!.artifactLocation!.uri)).toEqual([
      'k8s/bad.yaml',
      'k8s/bad.yaml',
    ]);
  }, 420_000);

  // the lint step alone, with the CLI from this checkout (built by npm ci / npm run build)
  const bin = path.join(ROOT, 'bin/k8s-gold.js');
  const lintOnly = (inputs: Record<string, string>) =>
    runAction({ workspace: workspace(), actionPath: ROOT, inputs, skip: ['install'], preset: { install: { bin } } });

  test('fail-on: never passes with findings; warning fails on warnings only', () => {
    expect(fs.existsSync(path.join(ROOT, 'dist/src/cli.js'))).toBe(true);
    const never = lintOnly({ paths: 'k8s', 'fail-on': 'never' });
    expect(never.code).toBe(0);
    expect(never.outputs.lint!['exit-code']).toBe('1');
    const warnOnly = lintOnly({ paths: 'k8s/warn.yaml', 'fail-on': 'warning' });
    expect(warnOnly.code).toBe(1);
    const errorOnly = lintOnly({ paths: 'k8s/warn.yaml' });
    expect(errorOnly.code).toBe(0);
    const maxWarnings = lintOnly({ paths: 'k8s/warn.yaml', 'max-warnings': '0' });
    expect(maxWarnings.code).toBe(1);
    const bad = lintOnly({ 'fail-on': 'sometimes' });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain('::error title=k8s-gold::fail-on must be');
  });

  test('charts: values, set and helm-dependency-update reach helm; a changed template selects its chart', () => {
    const t = tools();
    if (!t.ok) throw new Error(`the real helm is needed: ${t.why}`);
    const ws = writeTree({
      '.k8s-gold.yaml': `helm:\n  command: ${t.helm}\n`,
      'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'charts/web/values.yaml': 'tag: latest\nname: web\n',
      'charts/web/templates/cm.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}\nspec:\n  containers:\n    - name: app\n      image: "nginx:{{ .Values.tag }}"\n      resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {memory: 16Mi}}\n      securityContext: {allowPrivilegeEscalation: false}\n',
      'prod.yaml': 'name: web-prod\n',
    });
    const run = (inputs: Record<string, string>) =>
      runAction({
        workspace: ws,
        actionPath: ROOT,
        inputs: { 'sarif-file': '', format: 'json', ...inputs },
        skip: ['install'],
        preset: { install: { bin } },
      });
    const imageTags = (r: { stdout: string }) =>
      (JSON.parse(r.stdout) as { messages: { ruleId: string; line: number; object?: { name: string } }[] }[])
        .flatMap((f) => f.messages)
        .filter((m) => m.ruleId === 'image-tag');
    // a changed template (pre-commit style) renders its chart: the finding is on the template's image line
    const floating = run({ paths: 'charts/web/templates/cm.yaml' });
    expect(floating.code).toBe(0); // image-tag is a warning
    expect(imageTags(floating).map((m) => [m.line, m.object?.name])).toEqual([[8, 'web']]);
    // values files reach helm: the pod is named from prod.yaml
    const prod = run({ paths: 'charts/web', values: 'prod.yaml' });
    expect(imageTags(prod).map((m) => [m.line, m.object?.name])).toEqual([[8, 'web-prod']]);
    // --set lines (trimmed, blank ones skipped) reach helm: the tag is pinned
    const pinned = run({ paths: 'charts/web', values: 'prod.yaml', set: 'tag=1.27.3\n\n  name=x  \n' });
    expect(pinned.code).toBe(0);
    expect(imageTags(pinned)).toEqual([]);
    expect(pinned.stdout).toContain('"filePath":"charts/web/templates/cm.yaml"');
    // true reaches the CLI as --helm-dependency-update (a chart without dependencies needs no network)
    const depUpdate = run({ paths: 'charts/web', 'helm-dependency-update': 'true' });
    expect(depUpdate.code).toBe(0);
    expect(imageTags(depUpdate)).toHaveLength(1);
    const bad = run({ 'helm-dependency-update': 'yes' });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain('::error title=k8s-gold::helm-dependency-update must be true or false');
  });

  test('format, working-directory and an empty sarif-file', () => {
    const r = lintOnly({ paths: 'warn.yaml', 'working-directory': 'k8s', format: 'json', 'sarif-file': '' });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { filePath: string }[])[0]!.filePath).toBe('warn.yaml');
    expect(r.outputs.lint!['sarif-file']).toBe('');
  });
});
