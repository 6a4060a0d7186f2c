/**
 * Packaged charts (`.tgz`, made here with the real `helm package`): rendered
 * when named explicitly; findings are reported at the archive, with the
 * template path and line inside it in the message. A .tgz under a chart's
 * charts/ is a dependency, rendered through its parent; a directory walk never
 * picks up archives.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LintMessage, LintResult } from '../src/engine/result';
import { cli, writeTree } from './helpers';
import { describeWithTools } from './helpers/tools';

type Result = LintResult & { messages: (LintMessage & { rendered?: { file: string; line: number } })[] };

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-shop
spec:
  selector:
    matchLabels: {app: shop}
  template:
    metadata:
      labels: {app: shop}
    spec:
      containers:
        # k8s-gold-ignore privilege-escalation -- set by the namespace's admission policy
        - name: shop
          image: "nginx:{{ .Values.tag }}"
          {{- with .Values.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
`;

describeWithTools('packaged charts (.tgz)', ({ helm }) => {
  const dir = writeTree({
    '.k8s-gold.yaml': `helm:\n  command: ${helm}\n`,
    'src/shop/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.2.0\n',
    'src/shop/values.yaml': 'tag: latest\nresources:\n  limits: {cpu: 100m}\n',
    'src/shop/templates/deployment.yaml': DEPLOY,
    'src/broken/Chart.yaml': 'apiVersion: v2\nname: broken\nversion: 0.1.0\n',
    'src/broken/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {{ .Values.nope.deeper }}\n',
    'parent/Chart.yaml': 'apiVersion: v2\nname: parent\nversion: 0.1.0\ndependencies:\n  - name: shop\n    version: 1.2.0\n',
    'parent/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: parent\ndata:\n  mode: "fast"\n',
    'not-a-chart.tgz': 'plain text, not gzip\n',
  });
  for (const [chart, into] of [
    ['src/shop', 'dist'],
    ['src/broken', 'dist'],
    ['src/shop', 'parent/charts'],
  ] as const) {
    const r = spawnSync(helm, ['package', chart, '-d', into], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`helm package ${chart}: ${r.stderr}`);
  }
  const lint = async (...args: string[]) => {
    const r = await cli(['lint', '-f', 'json', ...args], { cwd: dir });
    return { code: r.code, results: JSON.parse(r.stdout) as Result[] };
  };

  test('a packaged chart is rendered; a finding is at the archive and names the template line inside it', async () => {
    const tmps = () => fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('k8s-gold-tgz-'));
    const before = tmps();
    const { code, results } = await lint('dist/shop-1.2.0.tgz');
    expect(code).toBe(1);
    expect(results.map((r) => r.filePath)).toEqual(['dist/shop-1.2.0.tgz']);
    const msgs = results[0]!.messages;
    const tag = msgs.find((m) => m.ruleId === 'image-tag')!;
    expect(tag).toMatchObject({ line: 1, column: 1 });
    // line 15 of shop/templates/deployment.yaml in the archive is the image line
    expect(tag.message).toMatch(/ \(at shop\/templates\/deployment\.yaml:15:11 in the package\)$/);
    const res = msgs.find((m) => m.ruleId === 'resource-requests-limits')!;
    expect(res.message).toMatch(
      / \(at shop\/templates\/deployment\.yaml:17:11 in the package\) \(the template writes this from \.Values\.resources: change it in the values\)$/,
    );
    // the rendered position is kept, and a suppression comment inside the archive's template works
    expect((tag as Result['messages'][number]).rendered).toMatchObject({ file: 'dist/shop-1.2.0.tgz[helm template]' });
    expect(msgs.filter((m) => m.ruleId === 'privilege-escalation')).toEqual([]);
    expect(results[0]!.suppressedMessages.map((m) => m.ruleId)).toEqual(['privilege-escalation']);
    // the unpacked copy is removed
    expect(tmps().filter((n) => !before.includes(n))).toEqual([]);
  });

  test('the archive gives the same findings as the chart directory it was packaged from', async () => {
    const packed = (await lint('dist/shop-1.2.0.tgz')).results[0]!.messages.map((m) => `${m.ruleId} ${m.message}`);
    const src = (await lint('src/shop')).results.flatMap((r) =>
      r.messages.map(
        (m) => `${m.ruleId} ${m.message} (at shop/${r.filePath.replace(/^src\/shop\//, '')}:${m.line}:${m.column} in the package)`,
      ),
    );
    const norm = (xs: string[]) =>
      xs
        .map((x) => x.replace(/ \(at ([^)]*) in the package\)(.*?)( \(at [^)]*\))?$/, '$2 @$1').replace(/ \(the template writes.*?\)/, ''))
        .sort();
    expect(norm(packed)).toEqual(norm(src));
  });

  test('a template error in a packaged chart is a helm-render error at the archive, naming the template line', async () => {
    const { code, results } = await lint('dist/broken-0.1.0.tgz');
    expect(code).toBe(1);
    expect(results[0]!.messages).toEqual([
      expect.objectContaining({
        ruleId: 'helm-render',
        line: 1,
        column: 1,
        message: expect.stringMatching(
          /^helm template dist\/broken-0\.1\.0\.tgz failed: broken\/templates\/cm\.yaml:6:15 executing .* \(at broken\/templates\/cm\.yaml:6:15 in the package\)$/,
        ),
      }),
    ]);
  });

  test('a .tgz that is not a chart archive is a clear helm-render error, not a crash', async () => {
    const r = await cli(['lint', 'not-a-chart.tgz'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /not-a-chart\.tgz:1:1 +error +helm template not-a-chart\.tgz failed: cannot unpack not-a-chart\.tgz: not a gzipped tar archive/,
    );
    expect(r.stderr).toBe('');
  });

  test('a vendored dependency .tgz renders its parent chart; a directory walk never renders archives on their own', async () => {
    const dep = await cli(['lint', '-f', 'json', '--show-rendered', 'parent/charts/shop-1.2.0.tgz'], { cwd: dir });
    expect((JSON.parse(dep.stdout) as Result[]).map((r) => r.filePath).filter((f) => f.includes('['))).toEqual(['parent[helm template]']);
    const walk = await cli(['lint', '-f', 'json', '--show-rendered', '.'], { cwd: dir });
    expect((JSON.parse(walk.stdout) as Result[]).map((r) => r.filePath).filter((f) => f.includes('['))).toEqual([
      'parent[helm template]',
      'src/shop[helm template]',
    ]);
    // (src/broken does not render: an error, no rendered output)
    expect(walk.stdout).toContain('"filePath":"src/broken/templates/cm.yaml"');
  });

  test("a packaged dependency's finding is at its entry in the parent's Chart.yaml, naming the template inside the archive", async () => {
    const { results } = await lint('parent');
    const chart = results.find((r) => r.filePath === 'parent/Chart.yaml')!;
    const tag = chart.messages.find((m) => m.ruleId === 'image-tag')!;
    // `  - name: shop` is line 5 of parent/Chart.yaml; the archive's template has no markers: its kind line
    expect(tag).toMatchObject({ line: 5, column: 3 });
    expect(tag.message).toMatch(/ \(at shop\/templates\/deployment\.yaml:2:1 in charts\/shop-1\.2\.0\.tgz\)$/);
    expect(chart.messages.filter((m) => m.line !== 5)).toEqual([]);
  });

  test('render profiles in the config apply to a packaged chart by its path', async () => {
    fs.writeFileSync(
      path.join(dir, 'profiles.yaml'),
      `helm:\n  command: ${helm}\n  charts:\n    - path: dist/shop-1.2.0.tgz\n      profiles:\n        - {name: pinned, set: [tag=1.27.3]}\n        - {name: floating}\n`,
    );
    const { results } = await lint('-c', 'profiles.yaml', 'dist/shop-1.2.0.tgz');
    expect(results[0]!.messages.filter((m) => m.ruleId === 'image-tag').map((m) => m.message)).toEqual([
      expect.stringMatching(/\(at shop\/templates\/deployment\.yaml:15:11 in the package\) \(profile floating\)$/),
    ]);
  });

  test('a directory walk renders a packaged chart the config lists, unless an ignore pattern excludes it', async () => {
    const rendered = async (...args: string[]) =>
      (JSON.parse((await cli(['lint', '-f', 'json', '--show-rendered', ...args], { cwd: dir })).stdout) as Result[])
        .map((r) => r.filePath)
        .filter((f) => f.includes('['));
    fs.writeFileSync(path.join(dir, 'listed.yaml'), `helm:\n  command: ${helm}\n  charts:\n    - path: dist/shop-1.2.0.tgz\n`);
    expect(await rendered('-c', 'listed.yaml', '.')).toEqual([
      'dist/shop-1.2.0.tgz[helm template]',
      'parent[helm template]',
      'src/shop[helm template]',
    ]);
    expect(await rendered('-c', 'listed.yaml', 'dist')).toEqual(['dist/shop-1.2.0.tgz[helm template]']);
    expect(await rendered('-c', 'listed.yaml', 'src')).toEqual(['src/shop[helm template]']);
    expect(await rendered('-c', 'listed.yaml', '--ignore-pattern', 'dist', '.')).toEqual([
      'parent[helm template]',
      'src/shop[helm template]',
    ]);
  });

  test('--cache: repackaging the chart invalidates the cached result', async () => {
    const run = async () =>
      (
        JSON.parse((await cli(['lint', '-f', 'json', '--cache', 'dist/shop-1.2.0.tgz'], { cwd: dir })).stdout) as Result[]
      )[0]!.messages.filter((m) => m.ruleId === 'image-tag').length;
    expect(await run()).toBe(1);
    fs.writeFileSync(path.join(dir, 'src/shop/values.yaml'), 'tag: "1.27.3"\nresources:\n  limits: {cpu: 100m}\n');
    expect(spawnSync(helm, ['package', 'src/shop', '-d', 'dist'], { cwd: dir, encoding: 'utf8' }).status).toBe(0);
    expect(await run()).toBe(0);
  });
});
