/**
 * SARIF output: GitHub code scanning's requirements, checked by the official
 * validator (@microsoft/sarif-multitool, rule kinds Gh and Sarif) and by
 * direct assertions.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type * as Sarif from 'sarif';
import { RuleRegistry } from '../src/engine/registry';
import { createRule } from '../src/engine/rule';
import type { LintMessage, LintResult, RunSummary } from '../src/engine/result';
import { buildSarif, GzipCounter, sarif, writeSarif } from '../src/report/sarif';
import { json, writeJson } from '../src/report/json';
import type { FormatContext } from '../src/report/types';
import { lint, lintFindings } from '../src/engine/linter';
import { fileFindings, type FileFindings } from '../src/engine/finding';
import { cli, ROOT, tmpdir, writeTree } from './helpers';

/** Runs the official SARIF validator; returns its error and warning findings (notes are advice). */
function validate(sarifText: string): string[] {
  const dir = tmpdir('k8s-gold-sarif-');
  const input = path.join(dir, 'input.sarif');
  const output = path.join(dir, 'validation.sarif');
  fs.writeFileSync(input, sarifText);
  // the npm package resolves to the platform package's .NET single-file binary
  const bin = require('@microsoft/sarif-multitool') as string;
  execFileSync(bin, ['validate', '--rule-kind', 'Gh;Sarif', '--output', output, input], { stdio: 'pipe' });
  const log = JSON.parse(fs.readFileSync(output, 'utf8')) as Sarif.Log;
  const problems: string[] = [];
  for (const r of log.runs[0]!.results ?? []) {
    const lvl = r.level ?? 'warning';
    if (lvl === 'error' || lvl === 'warning') problems.push(`${lvl} ${r.ruleId}: ${r.message.text ?? JSON.stringify(r.message.arguments)}`);
  }
  for (const inv of log.runs[0]!.invocations ?? []) {
    for (const n of inv.toolExecutionNotifications ?? []) if (n.level === 'error') problems.push(`validator: ${n.message.text}`);
  }
  return problems;
}

function parse(text: string): Sarif.Log {
  return JSON.parse(text) as Sarif.Log;
}

async function sarifOf(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; log: Sarif.Log; text: string }> {
  const r = await cli(['lint', '--format', 'sarif', ...argv], { cwd, env });
  return { code: r.code, log: parse(r.stdout), text: r.stdout };
}

/** The gzipped size of the log of a run without findings: what no cut of results can go below. */
function emptyLogGzip(): number {
  const none = synthetic(0);
  return zlib.gzipSync(
    buildSarif(none, ctxFor(new RuleRegistry(), '/tmp', none), { maxResults: 25_000, maxGzipBytes: 100 * 1024 * 1024 }).text,
  ).length;
}

describe('SARIF validator', () => {
  test('flags a broken log (the check is live)', () => {
    const broken = {
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'x', rules: [{ id: 'r' }] } },
          results: [
            { ruleId: 'r', message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'a.yaml' }, region: {} } }] },
          ],
        },
      ],
    };
    const problems = validate(JSON.stringify(broken));
    expect(problems.some((p) => p.startsWith('error'))).toBe(true);
  });

  test('examples/ produce SARIF with zero validator errors and warnings', async () => {
    const { log, text } = await sarifOf(['examples/'], ROOT);
    expect(log.runs[0]!.results!.length).toBeGreaterThan(0);
    expect(validate(text)).toEqual([]);
  });

  test('fixes and suggestions become SARIF fixes (artifactChanges, replacements) that validate', async () => {
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {country: NO}\nspec:\n  containers:\n    - name: web\n      image: nginx\n    - name: b\n      image: nginx:1.27\n';
    const dir = writeTree({ '.git/HEAD': 'ref: refs/heads/main\n', 'deploy/pod.yaml': pod });
    const { log, text } = await sarifOf(['deploy/'], dir);
    const results = log.runs[0]!.results!;
    const amb = results.find((r) => r.ruleId === 'ambiguous-yaml-value')!;
    expect(amb.fixes).toEqual([
      {
        description: { text: expect.stringMatching(/^Fix: value NO/) },
        artifactChanges: [
          {
            artifactLocation: { uri: 'deploy/pod.yaml', uriBaseId: '%SRCROOT%' },
            replacements: [
              {
                deletedRegion: { charOffset: pod.indexOf('NO}'), charLength: 2, startLine: 5, startColumn: 21, endLine: 5, endColumn: 23 },
                insertedContent: { text: '"NO"' },
              },
            ],
          },
        ],
      },
    ]);
    const pe = results.find((r) => r.ruleId === 'privilege-escalation')!;
    expect(pe.fixes![0]!.artifactChanges[0]!.replacements[0]!.deletedRegion).toEqual({
      charOffset: pod.indexOf('nginx\n') + 5,
      charLength: 0,
      startLine: 9,
      startColumn: 19,
      endLine: 9,
      endColumn: 19,
    });
    expect(results.find((r) => r.ruleId === 'image-tag')!.fixes![0]!.description!.text).toBe(
      'Pin nginx:1.27 (the tag container "b" of Pod/web uses)',
    );
    expect(validate(text)).toEqual([]);
  });

  test('a run with parse errors, an unreadable file and suppressions validates too', async () => {
    const dir = writeTree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'deploy/broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  key: value: other\n',
      'deploy/binary.yaml': Buffer.from([0x61, 0x00, 0x62]),
      'deploy/suppressed.yaml':
        'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: b\nspec:\n  flag: on # k8s-gold-ignore ambiguous-yaml-value -- the consumer parses YAML 1.1\n  other: yes\n',
    });
    const { code, log, text } = await sarifOf(['deploy'], dir);
    expect(code).toBe(1);
    expect(validate(text)).toEqual([]);
    const run = log.runs[0]!;
    const inv = run.invocations![0]!;
    // findings are not a failure of the tool
    expect(inv.executionSuccessful).toBe(true);
    const notes = inv.toolExecutionNotifications!;
    const notLinted = notes.filter((n) => n.descriptor?.id === 'file-not-linted');
    expect(notLinted.map((n) => n.locations![0]!.physicalLocation!.artifactLocation!.uri).sort()).toEqual([
      'deploy/binary.yaml',
      'deploy/broken.yaml',
    ]);
    expect(notLinted.every((n) => n.level === 'error' && n.associatedRule?.id)).toBe(true);
    const suppressed = run.results!.filter((r) => r.suppressions);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0]!.suppressions).toEqual([{ kind: 'inSource', justification: 'the consumer parses YAML 1.1' }]);
    expect(suppressed[0]!.locations![0]!.physicalLocation!.region!.startLine).toBe(6);
    const open = run.results!.filter((r) => !r.suppressions && r.ruleId === 'ambiguous-yaml-value');
    expect(open.map((r) => r.locations![0]!.physicalLocation!.region!.startLine)).toEqual([7]);
  });
});

describe('SARIF content', () => {
  test('tool.driver and rules carry what GitHub shows', async () => {
    const { log } = await sarifOf(['examples/'], ROOT);
    const driver = log.runs[0]!.tool.driver;
    expect(driver.name).toBe('k8s-gold');
    expect(driver.semanticVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(driver.version).toBe(driver.semanticVersion);
    expect(driver.informationUri).toMatch(/^https:\/\//);
    const ids = new RuleRegistry().ids();
    // the built-in rules, then the policy ids (vap/<policy>, crd-rule/<crd>) the results name
    expect(driver.rules!.map((r) => r.id)).toEqual([...ids, 'crd-rule/backups.example.com', 'vap/configmap-no-passwords']);
    for (const r of driver.rules!) {
      expect(r.name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
      expect(r.shortDescription!.text.length).toBeGreaterThan(10);
      expect(r.fullDescription!.text.length).toBeGreaterThan(10);
      expect(r.help!.text).toContain('How to fix:');
      expect(r.help!.markdown).toContain('**How to fix:**');
      expect(r.helpUri).toMatch(/^https:\/\/.*\.md$/);
      expect(['error', 'warning', 'note']).toContain(r.defaultConfiguration!.level);
      expect(['very-high', 'high', 'medium', 'low']).toContain(r.properties!.precision);
      expect(['error', 'warning', 'recommendation']).toContain(r.properties!['problem.severity']);
      expect(Array.isArray(r.properties!.tags)).toBe(true);
    }
    // every result points at its rule by id and index
    for (const res of log.runs[0]!.results!) expect(driver.rules![res.ruleIndex!]!.id).toBe(res.ruleId);
    expect(log.runs[0]!.columnKind).toBe('utf16CodeUnits');
  });

  test('security-tagged rules get a security-severity between 0.1 and 10, as a string', () => {
    const mk = (id: string, tags: string[], securitySeverity?: number) =>
      createRule({
        meta: {
          id,
          severity: 'error',
          category: 'security',
          description: 'd',
          rationale: 'r',
          remediation: 'f',
          tags,
          defaultOptions: {},
          securitySeverity,
        },
        check() {},
      });
    const registry = new RuleRegistry([
      mk('a-sec', ['security'], 8.5),
      mk('b-sec-default', ['security']),
      mk('c-plain', ['reliability']),
      mk('d-sec-big', ['security'], 42),
    ]);
    const log = parse(sarif([], ctxFor(registry, '/tmp')));
    const props = Object.fromEntries(log.runs[0]!.tool.driver.rules!.map((r) => [r.id, r.properties!['security-severity']]));
    expect(props).toEqual({ 'a-sec': '8.5', 'b-sec-default': '7.0', 'c-plain': undefined, 'd-sec-big': '10.0' });
  });

  test('locations: URI relative to the repository root, %SRCROOT%, region and the Kubernetes object', async () => {
    const dir = writeTree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'k8s/apps/pod.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\n  labels:\n    country: NO\nspec:\n  containers: []\n',
    });
    // run from a subdirectory: the URI is still relative to the repository root
    const { log } = await sarifOf(['apps'], path.join(dir, 'k8s'));
    const run = log.runs[0]!;
    expect(run.originalUriBaseIds!['%SRCROOT%']!.uri).toBe(`file://${dir}/`);
    const res = run.results!.find((r) => r.ruleId === 'ambiguous-yaml-value')!;
    const loc = res.locations![0]!;
    expect(loc.physicalLocation!.artifactLocation).toEqual({ uri: 'k8s/apps/pod.yaml', uriBaseId: '%SRCROOT%' });
    expect(loc.physicalLocation!.region).toEqual({ startLine: 7, startColumn: 14, endLine: 7, endColumn: 16 });
    expect(loc.logicalLocations![0]).toMatchObject({ name: 'web', fullyQualifiedName: 'Pod/shop/web', kind: 'resource' });
    expect(loc.logicalLocations![1]).toMatchObject({
      name: 'country',
      fullyQualifiedName: 'Pod/shop/web#/metadata/labels/country',
      kind: 'property',
    });
    expect(res.level).toBe('warning');
  });

  test('GITHUB_WORKSPACE is the root when set', async () => {
    const dir = writeTree({ 'ws/m/pod.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: a\nspec:\n  x: yes\n' });
    const { log } = await sarifOf(['m'], path.join(dir, 'ws'), { GITHUB_WORKSPACE: dir });
    expect(log.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('ws/m/pod.yaml');
  });

  test('partialFingerprints do not change when lines are inserted above the findings', async () => {
    const body =
      'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: a\nspec:\n  x: yes\n  y: on\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: b\nspec:\n  x: yes\n';
    const a = writeTree({ '.git/HEAD': '', 'm.yaml': body });
    const b = writeTree({
      '.git/HEAD': '',
      'm.yaml': '# a comment\n# another\n\n' + body.replace('metadata:\n  name: b\n', 'metadata:\n  # inserted\n  name: b\n'),
    });
    const fa = (await sarifOf(['m.yaml'], a)).log.runs[0]!.results!;
    const fb = (await sarifOf(['m.yaml'], b)).log.runs[0]!.results!;
    expect(fa).toHaveLength(4); // x: yes, the key y and the value on, and b.x
    expect(fb.map((r) => r.locations![0]!.physicalLocation!.region!.startLine)).not.toEqual(
      fa.map((r) => r.locations![0]!.physicalLocation!.region!.startLine),
    );
    expect(fb.map((r) => r.partialFingerprints)).toEqual(fa.map((r) => r.partialFingerprints));
    // and they tell the findings apart
    expect(new Set(fa.map((r) => r.partialFingerprints!['k8sGoldFinding/v1'])).size).toBe(4);
  });

  test('an internal error makes executionSuccessful false, with a notification', () => {
    const log = parse(sarif([], { ...ctxFor(new RuleRegistry(), '/tmp'), internalErrors: ['x.yaml: rule r failed on Pod/a: boom'] }));
    const inv = log.runs[0]!.invocations![0]!;
    expect(inv.executionSuccessful).toBe(false);
    expect(inv.toolExecutionNotifications).toEqual([
      expect.objectContaining({ level: 'error', message: { text: 'x.yaml: rule r failed on Pod/a: boom' } }),
    ]);
  });

  test('a crashed rule is an internal-error finding by kind, not by the words of its message', () => {
    const base = {
      severity: 'warning' as const,
      category: 't',
      description: 'T.',
      rationale: 'r',
      remediation: 'r',
      tags: ['t'],
      defaultOptions: {},
      kinds: ['Pod'],
    };
    const crash = createRule({
      meta: { ...base, id: 'acme/crash' },
      check() {
        throw new Error('boom');
      },
    });
    const words = createRule({
      meta: { ...base, id: 'acme/words', messages: { m: 'internal error: only words' } },
      check(_o, ctx) {
        ctx.report({ path: [], messageId: 'm' });
      },
    });
    const dir = writeTree({ 'pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n' });
    const registry = new RuleRegistry([...new RuleRegistry().all(), crash, words]);
    const run = lintFindings({
      cwd: dir,
      inputs: [dir],
      config: { data: { rules: { 'acme/crash': 'warning', 'acme/words': 'warning' } }, dir },
      registry,
    });
    expect(run.internalErrors).toEqual(['pod.yaml: rule acme/crash failed on Pod/a: boom']);
    const log = parse(sarif(run.results, { ...ctxFor(registry, dir, run.results), internalErrors: run.internalErrors }));
    const notes = log.runs[0]!.invocations![0]!.toolExecutionNotifications!;
    // one notification for the crash, at its place, with the internal-error descriptor; none for the look-alike message
    expect(notes.map((n) => [n.descriptor?.id, n.message.text])).toEqual([
      ['internal-error', 'pod.yaml:2:1: internal error: rule acme/crash failed on Pod/a: boom'],
    ]);
  });
});

function summaryOf(results: FileFindings[]): RunSummary {
  const s: RunSummary = { files: results.length, objects: 0, errors: 0, warnings: 0, infos: 0, suppressed: 0, skipped: 0, notValidated: 0 };
  for (const r of results)
    for (const m of r.findings) s[m.severity === 'error' ? 'errors' : m.severity === 'warning' ? 'warnings' : 'infos']++;
  return s;
}

function ctxFor(registry: RuleRegistry, cwd: string, results: FileFindings[] = []): FormatContext {
  return { cwd, registry, summary: summaryOf(results), color: false, notes: [], version: '1.2.3', env: {} };
}

/** Synthetic results: `n` findings spread over files, with every third an error (each file's Findings). */
function synthetic(n: number, perFile = 500): FileFindings[] {
  const out: LintResult[] = [];
  for (let i = 0; i < n; i++) {
    const f = Math.floor(i / perFile);
    if (!out[f])
      out[f] = {
        filePath: `m/f${String(f).padStart(4, '0')}.yaml`,
        messages: [],
        suppressedMessages: [],
        errorCount: 0,
        warningCount: 0,
        infoCount: 0,
        fatalErrorCount: 0,
        fixableErrorCount: 0,
        fixableWarningCount: 0,
        usedDeprecatedRules: [],
        objectCount: perFile,
      };
    const level = i % 3 === 0 ? 'error' : i % 3 === 1 ? 'warning' : 'info';
    const m: LintMessage = {
      ruleId: level === 'error' ? 'duplicate-key' : 'ambiguous-yaml-value',
      severity: level === 'error' ? 2 : 1,
      level,
      message: `finding ${i} with some text that makes the log realistically long: ${'x'.repeat(i % 50)}`,
      line: (i % perFile) * 3 + 1,
      column: 3,
      endLine: (i % perFile) * 3 + 1,
      endColumn: 9,
      path: `/data/k${i}`,
      object: { apiVersion: 'v1', kind: 'ConfigMap', name: `cm-${i}`, document: i % perFile },
      nodeType: null,
    };
    out[f]!.messages.push(m);
  }
  return out.map(fileFindings);
}

describe("GitHub's limits", () => {
  test('more results than allowed: keeps the most severe, says how many were left out', () => {
    const results = synthetic(3000);
    const out = buildSarif(results, ctxFor(new RuleRegistry(), '/tmp', results), { maxResults: 1500, maxGzipBytes: 10 * 1024 * 1024 });
    const kept = out.log.runs[0]!.results!;
    expect(kept).toHaveLength(1500);
    expect(out.dropped).toBe(1500);
    // all 1000 errors and the first 500 warnings (by place) survive; no note does
    expect(kept.filter((r) => r.level === 'error')).toHaveLength(1000);
    expect(kept.filter((r) => r.level === 'warning')).toHaveLength(500);
    expect(kept.filter((r) => r.level === 'note')).toHaveLength(0);
    const n = out.log.runs[0]!.invocations![0]!.toolExecutionNotifications!.find((x) => x.descriptor?.id === 'result-limit')!;
    expect(n.level).toBe('warning');
    expect(n.message.text).toContain('3000 results');
    expect(n.message.text).toContain('the 1500 least severe were left out (0 errors, 500 warnings, 1000 notes');
    // still sorted by place
    const keys = kept.map(
      (r) =>
        `${r.locations![0]!.physicalLocation!.artifactLocation!.uri}:${String(r.locations![0]!.physicalLocation!.region!.startLine).padStart(6, '0')}`,
    );
    expect(keys).toEqual([...keys].sort());
  });

  test('a log over the gzip limit is cut down below it, most severe first', () => {
    const results = synthetic(6000);
    // 16 KiB over what the log without results takes (its rule descriptors grow with the rules' documentation)
    const limit = emptyLogGzip() + 16 * 1024;
    const full = buildSarif(results, ctxFor(new RuleRegistry(), '/tmp', results), { maxResults: 25_000, maxGzipBytes: 100 * 1024 * 1024 });
    expect(zlib.gzipSync(full.text).length).toBeGreaterThan(limit);
    expect(full.dropped).toBe(0);
    const out = buildSarif(results, ctxFor(new RuleRegistry(), '/tmp', results), { maxResults: 25_000, maxGzipBytes: limit });
    expect(zlib.gzipSync(out.text).length).toBeLessThanOrEqual(limit);
    expect(out.dropped).toBeGreaterThan(0);
    const kept = out.log.runs[0]!.results!;
    expect(kept.length + out.dropped).toBe(6000);
    // errors go last: a note is kept only when every error and warning is
    const levels = new Set(kept.map((r) => r.level));
    if (levels.has('note')) expect(kept.filter((r) => r.level !== 'note')).toHaveLength(4000);
    if (levels.has('warning')) expect(kept.filter((r) => r.level === 'error')).toHaveLength(2000);
    expect(out.log.runs[0]!.invocations![0]!.toolExecutionNotifications!.some((x) => x.descriptor?.id === 'result-limit')).toBe(true);
  });
});

/** The streamed writers against the whole-log serialisation they replace. */
describe('streamed output', () => {
  const streamed = (f: (write: (s: string) => void) => unknown): { text: string; pieces: number } => {
    const parts: string[] = [];
    f((p) => parts.push(p));
    return { text: parts.join(''), pieces: parts.length };
  };

  test('SARIF: the same bytes as JSON.stringify(log, null, 2), one result at a time', () => {
    const run = lintFindings({
      cwd: ROOT,
      inputs: ['examples/'],
      config: { data: {}, dir: ROOT },
      registry: new RuleRegistry(),
      fixes: true,
    });
    const sources = new Map([...(run.sources ?? [])].map(([k, v]) => [k, v.text]));
    const ctx = { ...ctxFor(new RuleRegistry(), ROOT, run.results), sources, internalErrors: run.internalErrors };
    const whole = buildSarif(run.results, ctx);
    expect(whole.log.runs[0]!.results!.length).toBeGreaterThan(20);
    expect(whole.log.runs[0]!.results!.some((r) => r.fixes?.length)).toBe(true);
    expect(whole.text).toBe(JSON.stringify(whole.log, null, 2) + '\n');
    const out = streamed((w) => writeSarif(run.results, ctx, w));
    expect(out.text).toBe(whole.text);
    // written in pieces: the log around the results, then each result
    expect(out.pieces).toBe(whole.log.runs[0]!.results!.length + 2);
    expect(sarif(run.results, ctx)).toBe(whole.text);
  });

  test('SARIF: the same bytes with no results, and past the result limit', () => {
    const empty = ctxFor(new RuleRegistry(), '/tmp');
    expect(streamed((w) => writeSarif([], empty, w)).text).toBe(buildSarif([], empty).text);
    const results = synthetic(3000);
    const ctx = ctxFor(new RuleRegistry(), '/tmp', results);
    const limits = { maxResults: 1500, maxGzipBytes: 10 * 1024 * 1024 };
    const whole = buildSarif(results, ctx, limits);
    expect(whole.dropped).toBe(1500);
    const out = streamed((w) => expect(writeSarif(results, ctx, w, limits)).toEqual({ dropped: 1500 }));
    expect(out.text).toBe(whole.text);
  });

  test('SARIF over the gzip limit: cut down below it by the incremental count, most severe first', () => {
    const results = synthetic(6000);
    const ctx = ctxFor(new RuleRegistry(), '/tmp', results);
    const limit = emptyLogGzip() + 16 * 1024;
    let dropped = 0;
    const out = streamed((w) => ({ dropped } = writeSarif(results, ctx, w, { maxResults: 25_000, maxGzipBytes: limit })));
    expect(zlib.gzipSync(out.text).length).toBeLessThanOrEqual(limit);
    expect(dropped).toBeGreaterThan(0);
    const log = parse(out.text);
    expect(log.runs[0]!.results!.length + dropped).toBe(6000);
    // the whole-log version, which compresses in one piece, keeps nearly as many (the counts differ by the gzip member overhead only)
    const whole = buildSarif(results, ctx, { maxResults: 25_000, maxGzipBytes: limit });
    expect(Math.abs(whole.dropped - dropped)).toBeLessThanOrEqual(0.02 * 6000);
  });

  test('the incremental gzip count is a real gzip size, within 1% of compressing the whole at once', () => {
    const results = synthetic(20000);
    const text = buildSarif(results, ctxFor(new RuleRegistry(), '/tmp', results), { maxResults: 25_000, maxGzipBytes: 100 << 20 }).text;
    expect(text.length).toBeGreaterThan(9 << 20);
    const c = new GzipCounter();
    for (let i = 0; i < text.length; i += 4096) c.write(text.slice(i, i + 4096));
    const size = c.end();
    expect(c.bytes).toBe(Buffer.byteLength(text));
    const whole = zlib.gzipSync(text).length;
    expect(size).toBeGreaterThanOrEqual(whole);
    expect(size).toBeLessThanOrEqual(whole * 1.01);
  });

  test('the gzip count encodes pieces as their join does: a surrogate pair split between pieces, a lone surrogate, empty pieces', () => {
    const count = (pieces: string[]) => {
      const c = new GzipCounter();
      for (const p of pieces) c.write(p);
      const size = c.end();
      return { size, bytes: c.bytes };
    };
    for (const pieces of [['a\uD83D', '\uDE00b'], ['x', '\uD83D'], ['\uDE00', 'y\uD83D', '', 'z'], ['']]) {
      const whole = Buffer.from(pieces.join(''), 'utf8');
      expect(count(pieces)).toEqual({ size: zlib.gzipSync(whole).length, bytes: whole.length });
    }
    expect(count([])).toEqual({ size: 0, bytes: 0 });
  });

  test('JSON: the same bytes as JSON.stringify(results), one result at a time', () => {
    const run = lint({ cwd: ROOT, inputs: ['examples/'], config: { data: {}, dir: ROOT }, registry: new RuleRegistry(), fixes: true });
    const ctx = ctxFor(new RuleRegistry(), ROOT, run.results.map(fileFindings));
    const out = streamed((w) => writeJson(run.results, ctx, w));
    expect(out.text).toBe(JSON.stringify(run.results) + '\n');
    expect(out.pieces).toBe(run.results.length + 1);
    expect(json(run.results, ctx)).toBe(out.text);
    expect(streamed((w) => writeJson([], ctx, w)).text).toBe('[]\n');
  });

  test('the CLI streams SARIF and JSON to stdout and to files with the same bytes', async () => {
    const run = lint({ cwd: ROOT, inputs: ['examples/'], config: { data: {}, dir: ROOT }, registry: new RuleRegistry(), fixes: true });
    const dir = tmpdir('k8s-gold-stream-');
    const r = await cli(['lint', '--format', 'json', '-o', `sarif=${path.join(dir, 'r.sarif')}`, 'examples/'], { cwd: ROOT });
    expect(r.stdout).toBe(JSON.stringify(run.results) + '\n');
    const stdoutSarif = await cli(['lint', '--format', 'sarif', 'examples/'], { cwd: ROOT });
    expect(fs.readFileSync(path.join(dir, 'r.sarif'), 'utf8')).toBe(stdoutSarif.stdout);
    const r2 = await cli(['lint', '--format', 'sarif', '-o', path.join(dir, 'main.sarif'), 'examples/'], { cwd: ROOT });
    expect(r2.stdout).toBe('');
    expect(fs.readFileSync(path.join(dir, 'main.sarif'), 'utf8')).toBe(stdoutSarif.stdout);
  });
});
