/** The command line: exit codes, output formats, colour, usage errors. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { cli, ROOT, writeTree } from './helpers';

const clean = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\ndata: {a: "1"}\n';
// a custom resource without a CRD: its values are not schema-checked, so only ambiguous-yaml-value speaks
const warn = 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n  a: on\n  b: yes\n';
const err = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: e}\ndata:\n  a: "1"\n  a: "2"\n';

describe('exit codes', () => {
  test('0 when clean', async () => {
    const r = await cli(['lint', '.'], { cwd: writeTree({ 'a.yaml': clean }) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('✔ 1 file, 1 object, 0 errors, 0 warnings, 0 suppressed\n');
  });

  test('0 when no file holds an object (a pre-commit run on CI workflows), but not a green pass: a note says nothing was checked', async () => {
    const r = await cli(['lint', '.'], {
      cwd: writeTree({
        'ci.yaml': 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n',
        'package.json': '{"name": "x"}\n',
      }),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'note: no Kubernetes object (a document with apiVersion and kind) is in the 2 files given, so nothing was checked: point k8s-gold at the manifests, charts or kustomizations\n',
    );
    expect(r.stdout).toMatch(/\n⚠ 2 files, 0 objects, 0 errors, 0 warnings, 2 info, 0 suppressed, 2 skipped\n$/);
  });

  test('a file that fails to parse is an error, not a note to point k8s-gold at manifests', async () => {
    const r = await cli(['lint', '.'], { cwd: writeTree({ 'broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [x\n' }) });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('yaml-syntax');
    expect(r.stdout).not.toContain('nothing was checked');
  });

  test('0 with warnings only; 1 with more warnings than --max-warnings', async () => {
    const dir = writeTree({ 'a.yaml': warn });
    expect((await cli(['lint', '.'], { cwd: dir })).code).toBe(0);
    expect((await cli(['lint', '--max-warnings', '2', '.'], { cwd: dir })).code).toBe(0);
    const r = await cli(['lint', '--max-warnings', '1', '.'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('k8s-gold: 2 warnings, more than --max-warnings 1\n');
  });

  test('1 with errors', async () => {
    const r = await cli(['lint', '.'], { cwd: writeTree({ 'a.yaml': err }) });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/a\.yaml:6:3 +error +duplicate key "a"/);
  });

  test('2 for usage errors, with a hint and no stack trace', async () => {
    for (const argv of [
      ['lint', '--bogus'],
      ['lint', '--max-warnings', 'x', '.'],
      ['lint', '--format', 'nope', '.'],
      ['lint', '--rule', 'x', '.'],
      ['explain'],
      ['explain', 'no-such-rule'],
    ]) {
      const r = await cli(argv, { cwd: writeTree({ 'a.yaml': clean }) });
      expect([argv, r.code]).toEqual([argv, 2]);
      expect(r.stderr).toMatch(/^k8s-gold: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  test('--quiet reports errors only and ignores warnings for the exit code', async () => {
    const dir = writeTree({ 'a.yaml': warn, 'b.yaml': err });
    const r = await cli(['lint', '--quiet', '--max-warnings', '0', '.'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/warning +value/);
    expect(r.stdout).toMatch(/1 error, 0 warnings/);
    const q = await cli(['lint', '--quiet', '--max-warnings', '0', 'a.yaml'], { cwd: dir });
    expect(q.code).toBe(0);
  });
});

describe('formats', () => {
  test('json is ESLint LintResult[] with k8s-gold fields', async () => {
    const r = await cli(['lint', '-f', 'json', '.'], { cwd: writeTree({ 'a.yaml': warn }) });
    const res = JSON.parse(r.stdout);
    expect(res).toHaveLength(1);
    expect(res[0]).toMatchObject({
      filePath: 'a.yaml',
      errorCount: 0,
      warningCount: 2,
      fatalErrorCount: 0,
      fixableErrorCount: 0,
      fixableWarningCount: 0,
      suppressedMessages: [],
      usedDeprecatedRules: [],
    });
    expect(res[0].messages[0]).toMatchObject({
      ruleId: 'ambiguous-yaml-value',
      severity: 1,
      level: 'warning',
      line: 5,
      column: 6,
      endLine: 5,
      endColumn: 8,
      path: '/spec/a',
      object: { apiVersion: 'example.com/v1', kind: 'Widget', name: 'w', document: 0 },
    });
  });

  test('an ESLint-style formatter function consumes the json results', async () => {
    const r = await cli(['lint', '-f', 'json', '.'], { cwd: writeTree({ 'a.yaml': warn }) });
    // the contract of ESLint's "unix" formatter: file:line:col: message [severity/rule]
    const unix = (
      results: { filePath: string; messages: { line: number; column: number; message: string; severity: number; ruleId: string }[] }[],
    ) =>
      results
        .flatMap((x) =>
          x.messages.map(
            (m) => `${x.filePath}:${m.line}:${m.column}: ${m.message} [${m.severity === 2 ? 'Error' : 'Warning'}/${m.ruleId}]`,
          ),
        )
        .join('\n');
    expect(unix(JSON.parse(r.stdout)).split('\n')).toHaveLength(2);
  });

  test("ESLint's own formatters (published standalone) consume the results through --format", async () => {
    // formatter packages resolve from the working directory, as ESLint's do: run from this repository, which has them installed
    const file = path.join(writeTree({ 'a.yaml': err }), 'a.yaml');
    const cs = await cli(['lint', '--format', 'eslint-formatter-checkstyle', file], { cwd: ROOT });
    expect(cs.code).toBe(1);
    expect(cs.stdout).toMatch(
      /^<\?xml version="1.0" encoding="utf-8"\?><checkstyle version="4.3"><file name="[^"]*a\.yaml"><error line="6" column="3" severity="error" message="duplicate key &quot;a&quot;[^"]*\(duplicate-key\)" source="eslint.rules.duplicate-key" \/>/,
    );
    const ju = await cli(['lint', '--format', 'eslint-formatter-junit', file], { cwd: ROOT });
    expect(ju.stdout).toMatch(/<testsuite package="org.eslint" time="0" tests="1" errors="1" name="[^"]*a\.yaml">/);
    expect(ju.stdout).toMatch(
      /<failure message="duplicate key &quot;a&quot;[^"]*"><!\[CDATA\[line 6, col 3, Error - duplicate key &quot;a&quot;.*\(duplicate-key\)\]\]><\/failure>/,
    );
  });

  test('github annotations escape data and properties', async () => {
    const r = await cli(['lint', '-f', 'github', '.'], { cwd: writeTree({ 'a,b:c.yaml': err }) });
    expect(r.stdout).toBe(
      '::error file=a%2Cb%3Ac.yaml,line=6,endLine=6,col=3,endColumn=9,title=k8s-gold duplicate-key::duplicate key "a": this value silently replaces the earlier one, and strict validation rejects the object\n',
    );
  });

  test('sarif parses and points at the field', async () => {
    const r = await cli(['lint', '-f', 'sarif', '.'], { cwd: writeTree({ 'a.yaml': err }) });
    const log = JSON.parse(r.stdout);
    expect(log.version).toBe('2.1.0');
    const res = log.runs[0].results[0];
    expect(res.ruleId).toBe('duplicate-key');
    expect(res.locations[0].physicalLocation.region).toEqual({ startLine: 6, startColumn: 3, endLine: 6, endColumn: 9 });
  });

  test('--output-file writes the report; format=path adds another format', async () => {
    const dir = writeTree({ 'a.yaml': err });
    const r = await cli(['lint', '-o', 'sarif=out/r.sarif', '-o', 'out/r.txt', '.'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(fs.readFileSync(path.join(dir, 'out/r.txt'), 'utf8')).toMatch(/duplicate-key/);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'out/r.sarif'), 'utf8')).version).toBe('2.1.0');
    const r2 = await cli(['lint', '-o', 'json=r.json', '.'], { cwd: dir });
    expect(r2.stdout).toMatch(/duplicate-key/);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8'))[0].errorCount).toBe(1);
  });

  test('in GitHub Actions without --format: stylish plus annotations', async () => {
    const r = await cli(['lint', '.'], { cwd: writeTree({ 'a.yaml': err }), env: { GITHUB_ACTIONS: 'true' } });
    expect(r.stdout).toMatch(/a\.yaml:6:3 +error/);
    expect(r.stdout).toMatch(/^::error file=a\.yaml,line=6/m);
  });
});

describe('colour', () => {
  const dir = writeTree({ 'a.yaml': err });
  const hasAnsi = (s: string) => s.includes('\u001b[');
  test.each([
    [{}, true, true],
    [{}, false, false],
    [{ NO_COLOR: '1' }, true, false],
    [{ TERM: 'dumb' }, true, false],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '0' }, true, true],
  ])('env %p on a TTY=%p → colour %p', async (env, isTTY, want) => {
    const r = await cli(['lint', '.'], { cwd: dir, env, isTTY });
    expect(hasAnsi(r.stdout)).toBe(want);
  });
  test('--no-color wins over FORCE_COLOR; --color wins over NO_COLOR', async () => {
    expect(hasAnsi((await cli(['lint', '--no-color', '.'], { cwd: dir, env: { FORCE_COLOR: '1' } })).stdout)).toBe(false);
    expect(hasAnsi((await cli(['lint', '--color', '.'], { cwd: dir, env: { NO_COLOR: '1' } })).stdout)).toBe(true);
  });
});

describe('commands', () => {
  test('rules lists every rule; explain prints one', async () => {
    const r = await cli(['rules']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ambiguous-yaml-value +warning +An unquoted value/m);
    const e = await cli(['explain', 'duplicate-key']);
    expect(e.code).toBe(0);
    expect(e.stdout).toMatch(/^# duplicate-key/);
    expect(e.stdout).toMatch(/## Why it matters/);
    expect(e.stdout).toMatch(/## How to fix/);
  });

  test('--version and --help', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect((await cli(['--version'])).stdout).toBe(`v${pkg.version}\n`);
    const h = await cli(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/--max-warnings/);
  });

  test('the installed bin runs (built by npm ci through prepare)', () => {
    const out = spawnSync(process.execPath, [path.join(ROOT, 'bin/k8s-gold.js'), 'lint', '--no-color', 'a.yaml'], {
      cwd: writeTree({ 'a.yaml': err }),
      encoding: 'utf8',
    });
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/a\.yaml:6:3 +error/);
  });

  test('a reader that goes away (lint | head) gets no stack trace, and the run keeps its exit code', async () => {
    const dir = writeTree(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}.yaml`, err])));
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/k8s-gold.js'), 'lint', '--format', 'json', '.'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(1);
  });
});
