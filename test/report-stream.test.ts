/**
 * The main report streamed file by file as the lint goes (src/engine/stream.ts, src/cli-stream.ts): the engine
 * hands each file's result over in the run's order and keeps its head (counts, no findings); the streamed
 * stylish and json bytes are those of the report written after the lint (here: the same format to a file with
 * -o, which is never streamed), with and without --quiet and colour; a run with a chart is not streamed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileFindings } from '../src/engine/finding';
import { lintFindings, type LintOptions } from '../src/engine/linter';
import { RuleRegistry } from '../src/engine/registry';
import { cli, writeTree } from './helpers';

const DEPLOY = (name: string, extra = '') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n        - name: c\n          image: nginx:latest${extra}\n`;
const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  flag: on\n`;

function tree(): string {
  return writeTree({
    'a.yaml': DEPLOY('web'),
    'b.yaml': CM('cfg'),
    // a suppression (and an unused one: findings of the suppression stage)
    'c/d.yaml': DEPLOY('api', ' # k8s-gold-ignore image-tag -- pinned elsewhere\n# k8s-gold-ignore no-such-rule -- x'),
    'c/e.json': JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' }, spec: { selector: { app: 'none' } } }),
    'not-k8s.yaml': 'just: a map\n',
    'z.yaml': `${DEPLOY('one')}---\n${DEPLOY('two')}`,
  });
}

const registry = new RuleRegistry();
const options = (dir: string, extra: Partial<LintOptions> = {}): LintOptions => ({
  cwd: dir,
  inputs: ['.'],
  config: { data: { extends: ['all'] }, dir },
  registry,
  fixes: true,
  ...extra,
});

test('the engine hands over each file in the run order and keeps its head, with the same summary', () => {
  const dir = tree();
  const whole = lintFindings(options(dir));
  const got: FileFindings[] = [];
  const streamed = lintFindings(options(dir, { stream: (r) => got.push(r) }));
  expect(streamed.streamed).toBe(true);
  expect(whole.streamed).toBeUndefined();
  expect(got).toEqual(whole.results);
  expect(got.reduce((n, r) => n + r.findings.length, 0)).toBeGreaterThan(20);
  expect(streamed.summary).toEqual(whole.summary);
  expect(streamed.notes).toEqual(whole.notes);
  expect(streamed.results.map((r) => [r.filePath, r.findings.length, r.suppressed.length, r.objectCount, r.skipped])).toEqual(
    whole.results.map((r) => [r.filePath, 0, 0, r.objectCount, r.skipped]),
  );
});

test('a run with a chart is not streamed (its findings move into source files after the lint)', () => {
  const dir = writeTree({
    'a.yaml': CM('cfg'),
    'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
    'chart/templates/cm.yaml': CM('{{ .Release.Name }}'),
  });
  const got: FileFindings[] = [];
  const run = lintFindings(options(dir, { stream: (r) => got.push(r) }));
  expect(got).toEqual([]);
  expect(run.streamed).toBeUndefined();
});

describe.each(['stylish', 'json'])('--format %s streamed', (format) => {
  test.each([[[]], [['--quiet']], [['--color']]])('is the report written after the lint, %j', async (extra) => {
    const dir = tree();
    fs.writeFileSync(path.join(dir, '.k8s-gold.yaml'), 'extends: all\n');
    const streamed = await cli(['lint', '-f', format, ...extra, '.'], { cwd: dir });
    const whole = await cli(['lint', '-f', format, ...extra, '-o', 'out.txt', '.'], { cwd: dir });
    expect(streamed.code).toBe(whole.code);
    expect(streamed.stderr).toBe(whole.stderr);
    // -o writes without colour; with --color only the stream has it
    const file = fs.readFileSync(path.join(dir, 'out.txt'), 'utf8');
    if (extra[0] === '--color' && format === 'stylish') {
      expect(streamed.stdout).toContain('\u001b[');
      expect(streamed.stdout.replace(/\u001b\[\d+m/g, '')).toBe(file);
    } else expect(streamed.stdout).toBe(file);
    expect(streamed.stdout).toContain('c/d.yaml');
  });
});
