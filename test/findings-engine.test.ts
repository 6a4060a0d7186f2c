/**
 * The engine's result is each file's FileFindings (`lintFindings`), carried as it is through the render
 * remap, the results cache and the incremental state; ESLint's LintResult is made from it only at the
 * edge (`toLintResult`: `--format json`, the public `lint()`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LintCache } from '../src/engine/cache';
import { toLintResult, type FileFindings } from '../src/engine/finding';
import * as store from '../src/engine/incremental-store';
import { lint, lintFindings, type LintOptions } from '../src/engine/linter';
import { RuleRegistry } from '../src/engine/registry';
import type { LintResult } from '../src/engine/result';
import { cli, writeTree } from './helpers';
import { describeWithTools } from './helpers/tools';

const DEPLOY = (name: string, cm: string, image = 'nginx:latest') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n        - name: c\n          image: ${image} # k8s-gold-ignore image-tag\n          envFrom:\n            - configMapRef: {name: ${cm}}\n`;
const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  flag: on\n`;

const registry = new RuleRegistry();

function options(dir: string, extra: Partial<LintOptions> = {}): LintOptions {
  return { cwd: dir, inputs: ['.'], config: { data: {}, dir }, registry, fixes: true, ...extra };
}

/** A run through the cache at `<dir>/.cache`, as `--cache` makes it (the results file, then the incremental state). */
function cachedRun(dir: string) {
  const cache = new LintCache({ cwd: dir, inputs: ['.'], config: { data: {}, dir }, registry, version: 'test' }, '.cache');
  return cache.run((incremental, discovery) => lintFindings(options(dir, { incremental, discovery })), { fixes: true });
}

const json = (files: FileFindings[]): string => JSON.stringify(files.map(toLintResult));

describe('FileFindings through the cache', () => {
  test('a replay from the results cache and from the incremental state gives the Findings of a cold run', () => {
    const dir = writeTree({ 'a.yaml': DEPLOY('web', 'cfg'), 'b.yaml': CM('cfg'), 'c.yaml': DEPLOY('api', 'none', 'redis') });
    const cold = lintFindings(options(dir));
    const findings = cold.results.flatMap((r) => [...r.findings, ...r.suppressed]);
    // what ESLint's shape has no field for survives: message ids, and what suppressed a finding
    expect(findings.length).toBeGreaterThan(5);
    expect(findings.every((f) => f.messageId !== undefined)).toBe(true);
    expect(cold.results.some((r) => r.suppressed.some((f) => f.suppressions?.[0]?.source === 'comment'))).toBe(true);

    const first = cachedRun(dir);
    expect(first.results).toEqual(cold.results);
    expect(fs.existsSync(path.join(dir, '.cache.inc'))).toBe(true);
    // nothing changed: the results file is read back
    const warm = cachedRun(dir);
    expect(warm.results).toEqual(cold.results);
    expect(json(warm.results)).toBe(json(cold.results));

    // one file changed: the others' FileFindings come from the incremental state
    fs.writeFileSync(path.join(dir, 'c.yaml'), DEPLOY('api', 'cfg', 'redis'));
    const incremental = cachedRun(dir);
    expect(store.lastStats!.fresh).toBe(1);
    expect(store.lastStats!.replayed + store.lastStats!.touched).toBe(2);
    const after = lintFindings(options(dir));
    expect(incremental.results).toEqual(after.results);
    expect(incremental.results).not.toEqual(cold.results);
    // the edge: the public lint() gives ESLint's LintResult of each file's Findings
    expect(json(incremental.results)).toBe(JSON.stringify(lint(options(dir)).results));
  });

  test('--format json prints the same bytes cold, from the results cache and after an edit; --quiet keeps the errors', async () => {
    const dir = writeTree({ 'a.yaml': DEPLOY('web', 'cfg'), 'b.yaml': CM('cfg') });
    const run = async (cache: boolean) => (await cli(['lint', '-f', 'json', ...(cache ? ['--cache'] : []), '.'], { cwd: dir })).stdout;
    const cold = await run(false);
    expect(await run(true)).toBe(cold);
    // without the recorded output, the warm run formats the cached Findings
    fs.unlinkSync(path.join(dir, '.k8s-gold-cache.out'));
    expect(await run(true)).toBe(cold);
    // --quiet: ESLint's results of the run with only their errors, the warning and info counts zeroed
    const quiet = JSON.parse((await cli(['lint', '-f', 'json', '--quiet', '.'], { cwd: dir })).stdout) as LintResult[];
    const all = JSON.parse(cold) as LintResult[];
    expect(all.some((r) => r.fixableWarningCount > 0 && r.messages.some((m) => m.level === 'error'))).toBe(true);
    expect(quiet).toEqual(
      all.map((r) => ({ ...r, messages: r.messages.filter((m) => m.level === 'error'), warningCount: 0, infoCount: 0 })),
    );
    fs.writeFileSync(path.join(dir, 'b.yaml'), CM('other'));
    const edited = await run(true);
    expect(edited).toBe(await run(false));
    expect(edited).not.toBe(cold);
  });
});

describeWithTools('FileFindings through the render remap', ({ kubectl }) => {
  test('a rendered finding moves to its source file with its rendered place as a related location', () => {
    const dir = writeTree({
      'base/kustomization.yaml': 'resources:\n  - deploy.yaml\n',
      'base/deploy.yaml': `${DEPLOY('web', 'cfg').replace('# k8s-gold-ignore image-tag', '# k8s-gold-ignore image-tag -- pinned later')}          securityContext:\n            allowPrivilegeEscalation: true\n`,
      'prod/kustomization.yaml': 'resources:\n  - ../base\nnamePrefix: prod-\n',
    });
    const config = { data: { kustomize: { command: [kubectl, 'kustomize'] } }, dir };
    const run = lintFindings(options(dir, { inputs: ['prod'], config }));
    const deploy = run.results.find((r) => r.filePath === 'base/deploy.yaml')!;
    const pe = deploy.findings.find((f) => f.ruleId === 'privilege-escalation')!;
    expect(pe.messageId).toBeDefined();
    expect(pe.range.line).toBe(19);
    expect(pe.related).toEqual([{ file: 'prod[kustomize build]', range: expect.any(Object), role: 'rendered' }]);
    // the fix of the rendered text is a suggestion on the source file
    expect(pe.fix).toBeUndefined();
    expect(pe.suggestions?.length).toBeGreaterThan(0);
    // a comment in the source file (which the render drops) suppresses the rendered finding
    expect(deploy.suppressed.map((f) => [f.ruleId, f.suppressedInSource, f.suppressions?.[0]?.justification])).toEqual([
      ['image-tag', true, 'pinned later'],
    ]);
    // ESLint's shape at the edge: what lint() returns
    const eslint = lint(options(dir, { inputs: ['prod'], config }));
    expect(json(run.results)).toBe(JSON.stringify(eslint.results));
    const m = eslint.results.find((r) => r.filePath === 'base/deploy.yaml')!.suppressedMessages[0]!;
    expect(Object.keys(m).slice(-2)).toEqual(['rendered', 'suppressions']);
  });
});
