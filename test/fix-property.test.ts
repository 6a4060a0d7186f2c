/**
 * Property tests of `--fix`: on generated manifests (block and flow styles,
 * indentation steps of 2 and 4, indented and flush sequences, comments, CRLF,
 * JSON) and on the example manifests mutated (CRLF, BOM, trailing comments,
 * blank lines), applying every fix of the fixable rules
 *  - leaves text that parses, with the same objects as before except the fixed fields;
 *  - replaces only single scalars (every other edit is a pure insertion), so
 *    every other byte is unchanged;
 *  - leaves no fixable finding behind.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { lint, type LintOptions } from '../src/engine/linter';
import { RuleRegistry } from '../src/engine/registry';
import { applyFixes } from '../src/fix/apply';
import { MAX_FIX_PASSES } from '../src/fix/run';
import { parseText } from '../src/parse/parse';
import type { SeverityOrOff } from '../src/engine/rule';
import { ROOT } from './helpers';

const registry = new RuleRegistry();
const FIXABLE = registry
  .all()
  .filter((r) => r.meta.fixable)
  .map((r) => r.meta.id);
const rules: Record<string, SeverityOrOff> = {};
for (const r of registry.all())
  rules[r.meta.id] =
    FIXABLE.includes(r.meta.id) || ['yaml-syntax', 'duplicate-key', 'invalid-object'].includes(r.meta.id) ? 'warning' : 'off';
const FILE = path.join(ROOT, 'virtual', 'manifest.yaml');

function lintText(text: string, file = FILE) {
  const opts: LintOptions = {
    cwd: ROOT,
    inputs: ['-'],
    stdin: { text, filename: path.relative(ROOT, file) },
    config: { data: { settings: { kubernetesVersion: '1.33' } }, dir: ROOT },
    cliRules: rules,
    registry,
  };
  return lint(opts);
}

/** Fields a fix may change; removed from both sides before comparing. */
const FIXED_KEYS = new Set(['allowPrivilegeEscalation', 'capabilities', 'seccompProfile', 'runAsNonRoot', 'apiVersion']);
function strip(v: unknown, ambiguous: Set<string>, p = ''): unknown {
  if (Array.isArray(v)) return v.map((x, i) => strip(x, ambiguous, `${p}/${i}`));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const kp = `${p}/${k}`;
      if (FIXED_KEYS.has(k) || ambiguous.has(kp)) continue;
      if (k === 'securityContext' && x !== null && typeof x === 'object') {
        const rest = strip(x, ambiguous, kp) as Record<string, unknown>;
        if (Object.keys(rest).length) out[k] = rest;
        continue;
      }
      out[k] = strip(x, ambiguous, kp);
    }
    return out;
  }
  return v;
}

interface Outcome {
  output: string;
  /** original slices that fixes replaced (non-empty ranges) */
  replaced: string[];
}

/** --fix's passes, done here to see every edit against the text it applies to. */
function fixAll(text: string, file = FILE): Outcome {
  // as --fix does: offsets are into the text without its BOM, which is written back
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  let cur = text.slice(bom.length);
  const replaced: string[] = [];
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const run = lintText(cur, file);
    const msgs = run.results.flatMap((r) => r.messages);
    if (msgs.some((m) => m.fatal))
      throw new Error(
        `pass ${pass}: ${msgs
          .filter((m) => m.fatal)
          .map((m) => m.message)
          .join('; ')}\n${cur}`,
      );
    const { output, applied } = applyFixes(cur, msgs);
    if (applied.length === 0) break;
    for (const m of applied) if (m.fix!.range[1] > m.fix!.range[0]) replaced.push(cur.slice(m.fix!.range[0], m.fix!.range[1]));
    cur = output;
  }
  return { output: bom + cur, replaced };
}

function ambiguousPaths(text: string): Set<string> {
  const out = new Set<string>();
  parseText(text).documents.forEach((d) => d.ambiguities.forEach((a) => out.add(`#${d.index}/${a.path.join('/')}`)));
  return out;
}

function values(text: string): unknown[] {
  const p = parseText(text);
  expect(p.errors).toEqual([]);
  return p.documents.filter((d) => !d.empty).map((d) => d.value);
}

function checkFixed(text: string, file = FILE): void {
  const { output, replaced } = fixAll(text, file);
  // every replaced range was one scalar on one line (never a comment, never a line break)
  for (const r of replaced) expect(r).toMatch(/^[^\n#]+$/);
  const amb = ambiguousPaths(text);
  const before = values(text).map((v, i) =>
    strip(v, new Set([...amb].filter((a) => a.startsWith(`#${i}/`)).map((a) => a.slice(`#${i}`.length)))),
  );
  const after = values(output).map((v, i) =>
    strip(v, new Set([...amb].filter((a) => a.startsWith(`#${i}/`)).map((a) => a.slice(`#${i}`.length)))),
  );
  expect(after).toEqual(before);
  // line breaks and BOM as in the input
  expect(output.startsWith('\uFEFF')).toBe(text.startsWith('\uFEFF'));
  if (text.includes('\r\n')) expect(output.replace(/\r\n/g, '')).not.toMatch(/\n/);
  // nothing fixable remains
  const remaining = lintText(output, file).results.flatMap((r) => r.messages);
  expect(remaining.filter((m) => m.fix).map((m) => `${m.ruleId} ${m.message}`)).toEqual([]);
}

// ---------------------------------------------------------------- generated manifests

interface Container {
  name: string;
  sc: 'none' | 'block' | 'flow' | 'emptyFlow';
  ape?: boolean;
  drop?: 'none' | 'NET_RAW' | 'flowCHOWN';
  envValue?: string;
}

const containerArb = fc.record({
  sc: fc.constantFrom<Container['sc']>('none', 'block', 'flow', 'emptyFlow'),
  ape: fc.option(fc.constant(false), { nil: undefined }),
  drop: fc.constantFrom<NonNullable<Container['drop']>>('none', 'NET_RAW', 'flowCHOWN'),
  envValue: fc.option(fc.constantFrom('on', 'yes', 'NO', '0644', 'plain', '"quoted"'), { nil: undefined }),
  comment: fc.boolean(),
});

const manifestArb = fc.record({
  kind: fc.constantFrom('Deployment', 'Pod', 'CronJob'),
  apiVersionOld: fc.boolean(),
  step: fc.constantFrom(2, 4),
  flushSeq: fc.boolean(),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  podSc: fc.constantFrom('none', 'block', 'flow'),
  containers: fc.array(containerArb, { minLength: 1, maxLength: 3 }),
  labelValue: fc.constantFrom('web', 'on', 'NO', '"quoted"'),
  topComment: fc.boolean(),
});

type Manifest = typeof manifestArb extends fc.Arbitrary<infer T> ? T : never;

function render(m: Manifest): string {
  const ind = (n: number) => ' '.repeat(n * m.step);
  const seq = (n: number) => (m.flushSeq ? ind(n) : ind(n + 1));
  const lines: string[] = [];
  if (m.topComment) lines.push('# generated   manifest, comments kept');
  const apiVersion = m.kind === 'CronJob' ? (m.apiVersionOld ? 'batch/v1beta1' : 'batch/v1') : m.kind === 'Pod' ? 'v1' : 'apps/v1';
  lines.push(
    `apiVersion: ${apiVersion}   # api`,
    `kind: ${m.kind}`,
    'metadata:',
    `${ind(1)}name: gen`,
    `${ind(1)}labels:`,
    `${ind(2)}app: ${m.labelValue}`,
  );
  let depth: number;
  if (m.kind === 'Pod') {
    lines.push('spec:');
    depth = 1;
  } else if (m.kind === 'Deployment') {
    lines.push(
      'spec:',
      `${ind(1)}selector: {matchLabels: {app: web}}`,
      `${ind(1)}template:`,
      `${ind(2)}metadata: {labels: {app: web}}`,
      `${ind(2)}spec:`,
    );
    depth = 3;
  } else {
    lines.push(
      'spec:',
      `${ind(1)}schedule: "0 1 * * *"`,
      `${ind(1)}jobTemplate:`,
      `${ind(2)}spec:`,
      `${ind(3)}template:`,
      `${ind(4)}spec:`,
      `${ind(5)}restartPolicy: Never`,
    );
    depth = 5;
  }
  if (m.podSc === 'block') lines.push(`${ind(depth)}securityContext:`, `${ind(depth + 1)}fsGroup: 2000`);
  else if (m.podSc === 'flow') lines.push(`${ind(depth)}securityContext: {fsGroup: 2000}`);
  lines.push(`${ind(depth)}containers:`);
  m.containers.forEach((c, i) => {
    const d = seq(depth);
    const k = d + '  ';
    lines.push(`${d}- name: c${i}${c.comment ? '  # container' : ''}`, `${k}image: busybox:1.36`);
    if (c.envValue !== undefined)
      lines.push(`${k}env:`, `${m.flushSeq ? k : k + '  '}- name: V`, `${m.flushSeq ? k : k + '  '}  value: ${c.envValue}`);
    const caps =
      c.drop === 'NET_RAW'
        ? ['capabilities:', `${' '.repeat(m.step)}drop:`, `${' '.repeat(m.step)}- NET_RAW`]
        : c.drop === 'flowCHOWN'
          ? ['capabilities: {drop: ["CHOWN"]}']
          : [];
    if (c.sc === 'block') {
      lines.push(`${k}securityContext:`, `${k}${ind(1)}readOnlyRootFilesystem: true`);
      if (c.ape === false) lines.push(`${k}${ind(1)}allowPrivilegeEscalation: false`);
      for (const l of caps) lines.push(`${k}${ind(1)}${l}`);
    } else if (c.sc === 'flow') {
      lines.push(`${k}securityContext: {readOnlyRootFilesystem: true${c.ape === false ? ', allowPrivilegeEscalation: false' : ''}}`);
    } else if (c.sc === 'emptyFlow') lines.push(`${k}securityContext: {}`);
  });
  let text = lines.join('\n') + '\n';
  if (m.crlf) text = text.replace(/\n/g, '\r\n');
  if (m.bom) text = '\uFEFF' + text;
  return text;
}

test('generated manifests: fixes keep every other byte and every other value', () => {
  fc.assert(
    fc.property(manifestArb, (m) => {
      const text = render(m);
      checkFixed(text);
      // a container without allowPrivilegeEscalation: false always gets a fix
      if (m.containers.some((c) => c.ape === undefined || c.sc !== 'block')) expect(fixAll(text).output).not.toBe(text);
    }),
    { numRuns: 60, seed: 20261201 },
  );
});

test('generated manifests as JSON: fixes keep JSON style and values', () => {
  fc.assert(
    fc.property(manifestArb, fc.boolean(), (m, pretty) => {
      const docs = values(render({ ...m, bom: false, crlf: false }));
      const text = JSON.stringify(docs[0], null, pretty ? 2 : undefined) + '\n';
      checkFixed(text, path.join(ROOT, 'virtual', 'manifest.json'));
      const out = fixAll(text, path.join(ROOT, 'virtual', 'manifest.json')).output;
      expect(() => JSON.parse(out)).not.toThrow();
    }),
    { numRuns: 30, seed: 7 },
  );
});

// ---------------------------------------------------------------- mutated examples

const seeds = ['examples/golden', 'examples/broken']
  .flatMap((d) => fs.readdirSync(path.join(ROOT, d)).map((f) => path.join(ROOT, d, f)))
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => fs.readFileSync(f, 'utf8'))
  // block scalars would take an appended comment as content
  .filter((t) => !/:\s*[|>][-+0-9]*\s*$/m.test(t));

test('mutated examples: fixes keep every other byte and every other value', () => {
  expect(seeds.length).toBeGreaterThan(3);
  fc.assert(
    fc.property(
      fc.nat(seeds.length - 1),
      fc.boolean(),
      fc.boolean(),
      fc.array(fc.nat(400), { maxLength: 8 }),
      (i, crlf, bom, commentLines) => {
        let lines = seeds[i]!.split('\n');
        const marks = new Set(commentLines);
        lines = lines.map((l, n) => (marks.has(n) && /^\s*[\w.-]+: [\w./:-]+$/.test(l) ? `${l}   # mutated` : l));
        lines = lines.flatMap((l, n) => (marks.has(n + 1000) ? [l, ''] : [l]));
        let text = lines.join('\n');
        // the mutation must not change what the file means
        fc.pre(JSON.stringify(values(text)) === JSON.stringify(values(seeds[i]!)));
        if (crlf) text = text.replace(/\n/g, '\r\n');
        if (bom) text = '\uFEFF' + text;
        checkFixed(text);
      },
    ),
    { numRuns: 25, seed: 42 },
  );
});
