/** `--fix`, `--fix-dry-run`, `--fix-type` and the fix fields of the json and SARIF formats, through the CLI. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RuleRegistry } from '../src/engine/registry';
import { cli, writeTree } from './helpers';

const POD = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: web   # keep this comment',
  '  labels: {country: NO}',
  'spec:',
  '  containers:',
  '    - name: web',
  '      image: nginx:1.27',
  '',
].join('\n');

/** Only these rules on (at warning), no config lookup. */
function only(...ids: string[]): string[] {
  return [
    '--no-config',
    ...new RuleRegistry()
      .all()
      .flatMap((r) => [
        '--rule',
        `${r.meta.id}=${ids.includes(r.meta.id) ? 'warning' : ['yaml-syntax', 'unreadable-file'].includes(r.meta.id) ? 'error' : 'off'}`,
      ]),
  ];
}

describe('--fix', () => {
  test('writes the fixed file, keeps comments, CRLF and BOM, leaves no temporary file, exits 0 when nothing remains', async () => {
    const crlf = '\uFEFF' + POD.replace(/\n/g, '\r\n');
    const dir = writeTree({ 'pod.yaml': crlf });
    const r = await cli(['lint', 'pod.yaml', '--fix', ...only('privilege-escalation', 'ambiguous-yaml-value')], { cwd: dir });
    const out = fs.readFileSync(path.join(dir, 'pod.yaml'), 'utf8');
    expect(out).toBe(
      '\uFEFF' +
        POD.replace('{country: NO}', '{country: "NO"}')
          .replace('image: nginx:1.27\n', 'image: nginx:1.27\n      securityContext:\n        allowPrivilegeEscalation: false\n')
          .replace(/\n/g, '\r\n'),
    );
    expect(r.stderr).toMatch(/applied 2 fixes to 1 file in 1 pass/);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['pod.yaml']);
  });

  test('exit code and report reflect what remains; the mode of the file is kept', async () => {
    const dir = writeTree({ 'pod.yaml': POD.replace('nginx:1.27', 'nginx') });
    fs.chmodSync(path.join(dir, 'pod.yaml'), 0o640);
    const r = await cli(['lint', 'pod.yaml', '--fix', '--max-warnings', '0', ...only('privilege-escalation', 'image-tag')], { cwd: dir });
    expect(fs.readFileSync(path.join(dir, 'pod.yaml'), 'utf8')).toContain('allowPrivilegeEscalation: false');
    expect(r.stdout).toMatch(/image-tag/);
    expect(r.stdout).not.toMatch(/privilege-escalation/);
    expect(r.code).toBe(1);
    expect(fs.statSync(path.join(dir, 'pod.yaml')).mode & 0o777).toBe(0o640);
  });

  test('a symbolic link stays a link; its target gets the fix', async () => {
    const dir = writeTree({ 'real/pod.yaml': POD });
    fs.symlinkSync(path.join(dir, 'real', 'pod.yaml'), path.join(dir, 'link.yaml'));
    const r = await cli(['lint', 'link.yaml', '--fix', ...only('ambiguous-yaml-value')], { cwd: dir });
    expect(r.code).toBe(0);
    expect(fs.lstatSync(path.join(dir, 'link.yaml')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'real', 'pod.yaml'), 'utf8')).toContain('{country: "NO"}');
  });

  test('never writes a file with a syntax error, even when other documents are fixable', async () => {
    const broken = POD + '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  key: value: other\n';
    const dir = writeTree({ 'pod.yaml': broken });
    const before = fs.statSync(path.join(dir, 'pod.yaml')).mtimeMs;
    const r = await cli(['lint', 'pod.yaml', '--fix', ...only('privilege-escalation')], { cwd: dir });
    expect(fs.readFileSync(path.join(dir, 'pod.yaml'), 'utf8')).toBe(broken);
    expect(fs.statSync(path.join(dir, 'pod.yaml')).mtimeMs).toBe(before);
    expect(r.stdout).toMatch(/yaml-syntax/);
    expect(r.code).toBe(1);
  });

  test('applies conflicting fixes in passes, re-linting in between', async () => {
    // both rules add to the same new capabilities.drop list: the second fix waits for the next pass
    const dir = writeTree({ 'pod.yaml': POD });
    const r = await cli(['lint', 'pod.yaml', '--fix', ...only('drop-net-raw', 'pss-capabilities-restricted')], { cwd: dir });
    const out = fs.readFileSync(path.join(dir, 'pod.yaml'), 'utf8');
    expect(out).toContain('      securityContext:\n        capabilities:\n          drop:\n            - NET_RAW\n            - ALL\n');
    expect(r.stderr).toMatch(/applied 2 fixes to 1 file in 2 passes/);
    expect(r.code).toBe(0);
  });

  test('--fix-type limits the fixes to rules of that category or tag; an unknown type is a usage error', async () => {
    const dir = writeTree({ 'pod.yaml': POD });
    const r = await cli(['lint', 'pod.yaml', '--fix', '--fix-type', 'yaml', ...only('privilege-escalation', 'ambiguous-yaml-value')], {
      cwd: dir,
    });
    const out = fs.readFileSync(path.join(dir, 'pod.yaml'), 'utf8');
    expect(out).toContain('{country: "NO"}');
    expect(out).not.toContain('allowPrivilegeEscalation');
    expect(r.stdout).toMatch(/privilege-escalation/);
    const bad = await cli(['lint', 'pod.yaml', '--fix', '--fix-type', 'nope', ...only('privilege-escalation')], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown --fix-type "nope"; fixable rules have the types .*security/);
    const dep = writeTree({
      'pdb.yaml':
        'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: p, labels: {country: NO}}\nspec:\n  minAvailable: 1\n  selector: {matchLabels: {app: p}}\n',
    });
    await cli(['lint', 'pdb.yaml', '--fix', '--fix-type', 'deprecation', ...only('deprecated-api', 'ambiguous-yaml-value')], { cwd: dep });
    expect(fs.readFileSync(path.join(dep, 'pdb.yaml'), 'utf8')).toBe(
      'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p, labels: {country: NO}}\nspec:\n  minAvailable: 1\n  selector: {matchLabels: {app: p}}\n',
    );
    const noFix = await cli(['lint', 'pod.yaml', '--fix-type', 'yaml'], { cwd: dir });
    expect(noFix.code).toBe(2);
  });

  test('stdin: prints the fixed text, the report goes to stderr', async () => {
    const r = await cli(['lint', '-', '--fix', '--stdin-filename', 'pod.yaml', ...only('ambiguous-yaml-value', 'image-tag')], {
      stdin: POD.replace('nginx:1.27', 'nginx'),
    });
    expect(r.stdout).toBe(POD.replace('nginx:1.27', 'nginx').replace('{country: NO}', '{country: "NO"}'));
    expect(r.stderr).toMatch(/image-tag/);
    expect(r.code).toBe(0);
  });
});

describe('--fix-dry-run', () => {
  test('prints a unified diff and writes nothing', async () => {
    const dir = writeTree({ 'pod.yaml': POD });
    const r = await cli(['lint', 'pod.yaml', '--fix-dry-run', ...only('ambiguous-yaml-value')], { cwd: dir });
    expect(fs.readFileSync(path.join(dir, 'pod.yaml'), 'utf8')).toBe(POD);
    expect(r.stdout).toBe(
      [
        '--- a/pod.yaml',
        '+++ b/pod.yaml',
        '@@ -2,7 +2,7 @@',
        ' kind: Pod',
        ' metadata:',
        '   name: web   # keep this comment',
        '-  labels: {country: NO}',
        '+  labels: {country: "NO"}',
        ' spec:',
        '   containers:',
        '     - name: web',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toMatch(/would apply 1 fix to 1 file/);
  });
});

describe('formats', () => {
  test("json carries ESLint's fix and suggestions, and fixable counts", async () => {
    const dir = writeTree({
      'pod.yaml':
        POD.replace('nginx:1.27', 'nginx') +
        '---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec:\n  containers: [{name: b, image: "nginx:1.27"}]\n',
    });
    const r = await cli(['lint', 'pod.yaml', '-f', 'json', ...only('ambiguous-yaml-value', 'image-tag')], { cwd: dir });
    const [res] = JSON.parse(r.stdout) as {
      messages: { ruleId: string; fix?: unknown; suggestions?: unknown }[];
      fixableWarningCount: number;
    }[];
    const text = fs.readFileSync(path.join(dir, 'pod.yaml'), 'utf8');
    const amb = res!.messages.find((m) => m.ruleId === 'ambiguous-yaml-value')!;
    expect(amb.fix).toEqual({ range: [text.indexOf('NO}'), text.indexOf('NO}') + 2], text: '"NO"' });
    const tag = res!.messages.find((m) => m.ruleId === 'image-tag')!;
    expect(tag.fix).toBeUndefined();
    expect(tag.suggestions).toEqual([
      {
        desc: 'Pin nginx:1.27 (the tag container "b" of Pod/b uses)',
        fix: { range: [text.indexOf('nginx\n'), text.indexOf('nginx\n') + 5], text: 'nginx:1.27' },
      },
    ]);
    expect(res!.fixableWarningCount).toBe(1);
  });
});
