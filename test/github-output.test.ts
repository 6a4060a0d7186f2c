/**
 * GitHub Actions annotations, the step summary, several outputs in one run,
 * and formatter plug-ins.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Sarif from 'sarif';
import { RuleRegistry } from '../src/engine/registry';
import type { LintMessage, LintResult } from '../src/engine/result';
import { escapeData, escapeProperty, github } from '../src/report/github';
import { stepSummary } from '../src/report/summary';
import { fileFindings } from '../src/engine/finding';
import { cli, writeTree } from './helpers';

// a custom resource without a CRD, so that only the YAML-level rules speak (no schema findings)
const POD = [
  'apiVersion: example.com/v1', // 1
  'kind: Widget', // 2
  'metadata:', // 3
  '  name: web', // 4
  '  labels:', // 5
  '    country: NO', // 6
  '    app: web', // 7
  '    app: web2', // 8
  'spec:', // 9
  '  containers: []', // 10
  '',
].join('\n');

function repo(files: Record<string, string>): string {
  return writeTree({ '.git/HEAD': 'ref: refs/heads/main\n', ...files });
}

describe('workflow command escaping (@actions/core conventions)', () => {
  test('data escapes %, CR and LF; properties also : and ,', () => {
    expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
    expect(escapeProperty('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext%3A a%2Cb');
    // % first, so that escapes are not escaped twice
    expect(escapeData('%0A')).toBe('%250A');
  });
});

describe('--format github', () => {
  test('one annotation per finding, paths relative to the repository root, severities mapped', async () => {
    const dir = repo({ 'k8s/pod.yaml': POD });
    const r = await cli(['lint', '--format', 'github', 'pod.yaml'], { cwd: path.join(dir, 'k8s') });
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(
        /^::warning file=k8s\/pod\.yaml,line=6,endLine=6,col=14,endColumn=16,title=k8s-gold ambiguous-yaml-value::value NO is read/,
      ),
      expect.stringMatching(/^::error file=k8s\/pod\.yaml,line=8,endLine=8,col=5,endColumn=\d+,title=k8s-gold duplicate-key::/),
    ]);
  });

  test('messages with newlines and properties with : and , are escaped; multi-line ranges carry no columns', () => {
    const m: LintMessage = {
      ruleId: 'r:x,y',
      severity: 1,
      level: 'info',
      message: 'line one\nline two 50%',
      line: 3,
      column: 2,
      endLine: 5,
      endColumn: 4,
      nodeType: null,
    };
    const res: LintResult = {
      filePath: 'a,b:c.yaml',
      messages: [m],
      suppressedMessages: [],
      errorCount: 0,
      warningCount: 0,
      infoCount: 1,
      fatalErrorCount: 0,
      fixableErrorCount: 0,
      fixableWarningCount: 0,
      usedDeprecatedRules: [],
      objectCount: 1,
    };
    const out = github([fileFindings(res)], {
      cwd: '/nonexistent/dir',
      registry: new RuleRegistry(),
      summary: { files: 1, objects: 1, errors: 0, warnings: 0, infos: 1, suppressed: 0, skipped: 0, notValidated: 0 },
      color: false,
      notes: [],
      version: '0',
      env: { GITHUB_WORKSPACE: '/nonexistent' },
    });
    expect(out).toBe('::notice file=dir/a%2Cb%3Ac.yaml,line=3,endLine=5,title=k8s-gold r%3Ax%2Cy::line one%0Aline two 50%25\n');
  });

  test('with GITHUB_ACTIONS=true and no --format: stylish output, then annotations', async () => {
    const dir = repo({ 'pod.yaml': POD });
    const r = await cli(['lint', 'pod.yaml'], { cwd: dir, env: { GITHUB_ACTIONS: 'true' } });
    const lines = r.stdout.split('\n');
    const firstAnnotation = lines.findIndex((l) => l.startsWith('::'));
    expect(lines[0]).toBe('pod.yaml');
    expect(lines.slice(0, firstAnnotation).join('\n')).toMatch(/✖ 1 file, 1 object, 1 error, 1 warning/);
    expect(lines.filter((l) => l.startsWith('::'))).toHaveLength(2);
    // an explicit --format is taken as it is
    const j = await cli(['lint', '--format', 'json', 'pod.yaml'], { cwd: dir, env: { GITHUB_ACTIONS: 'true' } });
    expect(() => JSON.parse(j.stdout)).not.toThrow();
    // and outside GitHub Actions there are no annotations
    const plain = await cli(['lint', 'pod.yaml'], { cwd: dir });
    expect(plain.stdout).not.toContain('::');
  });
});

describe('$GITHUB_STEP_SUMMARY', () => {
  test('a Markdown table of all findings with links, counts per rule, appended to the file', async () => {
    const dir = repo({ 'k8s/pod.yaml': POD });
    const summaryFile = path.join(dir, 'summary.md');
    fs.writeFileSync(summaryFile, '# earlier step\n');
    const env = {
      GITHUB_ACTIONS: 'true',
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/infra',
      GITHUB_SHA: 'abc123',
      GITHUB_WORKSPACE: dir,
    };
    const r = await cli(['lint', 'k8s'], { cwd: dir, env });
    expect(r.code).toBe(1);
    const md = fs.readFileSync(summaryFile, 'utf8');
    expect(md.startsWith('# earlier step\n## k8s-gold\n')).toBe(true);
    expect(md).toContain('1 files, 1 objects: **1 errors**, **1 warnings**');
    expect(md).toMatch(/\| \[`duplicate-key`\]\(https:\/\/[^)]+duplicate-key\.md\) \| 1 \| 0 \| 0 \|/);
    expect(md).toContain('| 🔴 error | [k8s/pod.yaml:8:5](https://github.com/acme/infra/blob/abc123/k8s/pod.yaml#L8) | `duplicate-key` |');
    expect(md).toContain(
      '| 🟡 warning | [k8s/pod.yaml:6:14](https://github.com/acme/infra/blob/abc123/k8s/pod.yaml#L6) | `ambiguous-yaml-value` | value NO is read',
    );
    // errors come first
    expect(md.indexOf('🔴 error |')).toBeLessThan(md.indexOf('🟡 warning |'));
  });

  test('the table stops at the size budget and says how many findings it left out', () => {
    const messages: LintMessage[] = [];
    for (let i = 0; i < 2000; i++)
      messages.push({
        ruleId: 'ambiguous-yaml-value',
        severity: 1,
        level: 'warning',
        message: `finding <${i}> | with a pipe`,
        line: i + 1,
        column: 1,
        endLine: i + 1,
        endColumn: 2,
        nodeType: null,
      });
    const res: LintResult = {
      filePath: 'a.yaml',
      messages,
      suppressedMessages: [],
      errorCount: 0,
      warningCount: 2000,
      infoCount: 0,
      fatalErrorCount: 0,
      fixableErrorCount: 0,
      fixableWarningCount: 0,
      usedDeprecatedRules: [],
      objectCount: 1,
    };
    const ctx = {
      cwd: '/x',
      registry: new RuleRegistry(),
      summary: { files: 1, objects: 1, errors: 0, warnings: 2000, infos: 0, suppressed: 0, skipped: 0, notValidated: 0 },
      color: false,
      notes: [],
      version: '0',
      env: { GITHUB_WORKSPACE: '/x' },
    };
    const md = stepSummary([fileFindings(res)], ctx, 20_000);
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(20_000);
    const rows = md.split('\n').filter((l) => l.startsWith('| 🟡 warning'));
    expect(rows.length).toBeGreaterThan(50);
    expect(rows[0]).toBe('| 🟡 warning | `a.yaml:1:1` | `ambiguous-yaml-value` | finding &lt;0&gt; \\| with a pipe |');
    expect(md).toContain(`_${2000 - rows.length} more findings not shown`);
    // the default budget stays well under GitHub's 1 MiB
    const full = stepSummary([fileFindings(res)], ctx);
    expect(full.split('\n').filter((l) => l.startsWith('| 🟡 warning'))).toHaveLength(2000);
    expect(Buffer.byteLength(full)).toBeLessThan(1024 * 1024);
  });
});

describe('several outputs in one run', () => {
  test('--format stylish --output-file sarif=results.sarif', async () => {
    const dir = repo({ 'pod.yaml': POD });
    const r = await cli(
      ['lint', '--format', 'stylish', '--output-file', 'sarif=out/results.sarif', '-o', 'json=out/results.json', 'pod.yaml'],
      { cwd: dir },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^pod\.yaml\n/);
    expect(r.stdout).toContain('duplicate-key');
    const log = JSON.parse(fs.readFileSync(path.join(dir, 'out/results.sarif'), 'utf8')) as Sarif.Log;
    expect(log.runs[0]!.results!.map((x) => x.ruleId).sort()).toEqual(['ambiguous-yaml-value', 'duplicate-key']);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'out/results.json'), 'utf8')) as LintResult[];
    expect(json[0]!.messages).toHaveLength(2);
  });

  test('--output-file path alone sends the main format to the file, not stdout', async () => {
    const dir = repo({ 'pod.yaml': POD });
    const r = await cli(['lint', '-f', 'sarif', '-o', 'results.sarif', 'pod.yaml'], { cwd: dir });
    expect(r.stdout).toBe('');
    expect((JSON.parse(fs.readFileSync(path.join(dir, 'results.sarif'), 'utf8')) as Sarif.Log).version).toBe('2.1.0');
  });

  test('--help documents it', async () => {
    const r = await cli(['--help']);
    expect(r.stdout).toContain('--format stylish -o sarif=results.sarif');
    expect(r.stdout).toContain('GITHUB_STEP_SUMMARY');
  });
});

describe('formatter plug-ins', () => {
  const FORMATTER = `module.exports = (results, context) => results.map((r) => r.filePath + ':' + r.messages.map((m) => m.ruleId + '@' + m.line).join(',')).join('\\n') + '\\n' + (context.rulesMeta['duplicate-key'].docs.url.endsWith('duplicate-key.md') ? 'meta ok' : 'no meta') + ' ' + context.cwd.length + '\\n';\n`;

  test('--format ./my-formatter.js loads a module exporting (results, context) => string', async () => {
    const dir = repo({ 'pod.yaml': POD, 'my-formatter.js': FORMATTER });
    const r = await cli(['lint', '--format', './my-formatter.js', 'pod.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`pod.yaml:ambiguous-yaml-value@6,duplicate-key@8\nmeta ok ${dir.length}\n`);
  });

  test('a package name resolves k8s-gold-formatter-<name> from the working directory; async formatters work', async () => {
    const dir = repo({
      'pod.yaml': POD,
      'node_modules/k8s-gold-formatter-count/package.json': '{"name":"k8s-gold-formatter-count","main":"index.js"}',
      'node_modules/k8s-gold-formatter-count/index.js':
        'module.exports = async (results) => results.reduce((n, r) => n + r.messages.length, 0) + " findings\\n";',
    });
    const r = await cli(['lint', '--format', 'count', 'pod.yaml'], { cwd: dir });
    expect(r.stdout).toBe('2 findings\n');
    const full = await cli(['lint', '--format', 'k8s-gold-formatter-count', 'pod.yaml'], { cwd: dir });
    expect(full.stdout).toBe('2 findings\n');
  });

  test('a missing or broken formatter is a usage error (exit 2)', async () => {
    const dir = repo({ 'pod.yaml': POD, 'bad.js': 'module.exports = 42;' });
    const missing = await cli(['lint', '--format', 'nope', 'pod.yaml'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('unknown format "nope"');
    const bad = await cli(['lint', '--format', './bad.js', 'pod.yaml'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('does not export a function');
  });
});
