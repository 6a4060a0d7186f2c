/**
 * The fixer's fast path (src/fix/tape-edit.ts: edits computed from the fast reader's span tape) against the
 * yaml-package editor (src/fix/edits.ts), which it stands in for: on every rule fixture and example, the
 * repository's examples and test manifests, generated manifests, a synthetic corpus and the real-world
 * corpus (when present), every edit of every fix and suggestion of every rule is computed both ways and
 * must be the same, and both must agree on which objects can be edited at all. Most edits must take the
 * fast path, so that the comparison cannot pass by comparing nothing.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { ConfigData } from '../src/config/config';
import { lint } from '../src/engine/linter';
import { RuleRegistry } from '../src/engine/registry';
import { YamlEditor, type TextEdit } from '../src/fix/edits';
import { fixCrossCheck } from '../src/fix/fixer';
import { TapeDoc } from '../src/fix/tape-doc';
import { TapeEdits, type FastEdit } from '../src/fix/tape-edit';
import { parseText } from '../src/parse/parse';
import type { Path } from '../src/parse/source';
import { fixtureConfig, ROOT, tmpdir, writeTree } from './helpers';

const registry = new RuleRegistry();
const SHARED = process.env.K8S_GOLD_SHARED ?? path.resolve(ROOT, '..', 'shared');
const SHARED_FALLBACK = '/work/shared';

interface Tally {
  fast: number;
  fallback: number;
  /** a fix or suggestion the fast path made the same way */
  byOp: Record<string, number>;
  mismatches: string[];
}

/** Lints `inputs` with every rule on (and `config`), each edit made both ways. */
function crossCheck(inputs: string[], cwd: string, config: ConfigData = {}, into?: Tally): Tally {
  const t: Tally = into ?? { fast: 0, fallback: 0, byOp: {}, mismatches: [] };
  fixCrossCheck.on = ({ file, op, path: p, fast, slow }) => {
    if (fast === undefined) {
      t.fallback++;
      return;
    }
    t.fast++;
    t.byOp[op] = (t.byOp[op] ?? 0) + 1;
    if (JSON.stringify(fast) !== JSON.stringify(slow))
      t.mismatches.push(`${file} ${op} ${p.join('.')}: fast ${JSON.stringify(fast)}, yaml ${JSON.stringify(slow)}`);
  };
  fixCrossCheck.sameDoc = (fast, slow) => {
    if (fast !== slow) t.mismatches.push(`${inputs.join(' ')}: the tape finds an object's document, the yaml editor does not`);
  };
  try {
    const run = lint({ cwd, inputs, config: { data: { extends: 'all', ...config }, dir: cwd }, registry, fixes: true });
    expect(run.results.length).toBeGreaterThan(0);
  } finally {
    fixCrossCheck.on = undefined;
    fixCrossCheck.sameDoc = undefined;
  }
  return t;
}

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

function expectAgreement(t: Tally, minFast: number): void {
  expect(t.mismatches.slice(0, 20)).toEqual([]);
  expect(t.fast).toBeGreaterThanOrEqual(minFast);
  // most edits take the fast path
  expect(t.fast).toBeGreaterThan(4 * t.fallback);
}

test('rule fixtures and examples: every edit of every fix and suggestion, made from the tape, is the yaml editor edit', () => {
  const t: Tally = { fast: 0, fallback: 0, byOp: {}, mismatches: [] };
  const rulesDir = path.join(ROOT, 'rules');
  for (const id of fs.readdirSync(rulesDir).sort()) {
    const dir = path.join(rulesDir, id);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const f of yamlFiles(dir)) {
      // the fixture's options for its rule, as the rule tests read them
      const config = fixtureConfig(fs.readFileSync(f, 'utf8'), id);
      crossCheck([f], path.dirname(f), config, t);
    }
  }
  expectAgreement(t, 300);
  // each edit the fast path makes is exercised
  for (const op of ['set', 'append', 'replaceText']) expect(`${op}: ${(t.byOp[op] ?? 0) > 10}`).toBe(`${op}: true`);
});

test('the repository examples and test manifests', () => {
  const files = [
    ...yamlFiles(path.join(ROOT, 'examples')),
    ...yamlFiles(path.join(ROOT, 'test', 'realworld')),
    ...yamlFiles(path.join(ROOT, 'src', 'parse', 'fast-fixtures')),
  ];
  expect(files.length).toBeGreaterThan(20);
  expectAgreement(crossCheck(files, ROOT), 50);
});

const gen = [path.join(SHARED, 'bench', 'gen-corpus.mjs'), path.join(SHARED_FALLBACK, 'bench', 'gen-corpus.mjs')].find((f) =>
  fs.existsSync(f),
);
(gen ? test : test.skip)(`a synthetic corpus of 600 resources (${gen ?? 'gen-corpus.mjs not found'})`, () => {
  const out = tmpdir('k8s-gold-fixfast-');
  execFileSync(process.execPath, [gen!, '--out', out, '--resources', '600']);
  expectAgreement(crossCheck([out], out), 300);
});

const realworld = [path.join(SHARED, 'corpus', 'realworld'), path.join(SHARED_FALLBACK, 'corpus', 'realworld')].find((d) =>
  fs.existsSync(d),
);
(realworld ? test : test.skip)(`the real-world corpus (${realworld ?? 'corpus/realworld not found'})`, () => {
  expectAgreement(crossCheck([realworld!], realworld!), 100);
});

// ---------------------------------------------------------------- generated mappings

/** A container's securityContext and capabilities in the shapes a fix adds to, appends to, or fills. */
const shapeArb = fc.record({
  step: fc.constantFrom(2, 3, 4),
  seqIndent: fc.constantFrom(0, 2, 4),
  sc: fc.constantFrom('none', 'empty', 'block', 'flow', 'emptyFlow', 'jsonFlow'),
  drop: fc.constantFrom('none', 'block', 'flow', 'quotedFlow', 'emptyFlow', 'empty'),
  ape: fc.constantFrom('none', 'true', '"true"', "'true'", 'yes'),
  trailing: fc.constantFrom('', '  # c', '\n  # after', '\n\n', '\n# flush comment'),
  quotedKey: fc.boolean(),
  env: fc.constantFrom('none', 'on', '"on"', 'block'),
  sibling: fc.boolean(),
  deployment: fc.boolean(),
  flowContainers: fc.boolean(),
});

function renderShape(s: typeof shapeArb extends fc.Arbitrary<infer T> ? T : never): string {
  const ind = (n: number) => ' '.repeat(n * s.step);
  const items = (n: number) => ind(n) + ' '.repeat(s.seqIndent);
  // a Pod, or a Deployment whose pod spec is two levels deeper
  // (flow metadata and containers: no nested block mapping or sequence, so what a fix adds takes the default indentation)
  const meta = s.flowContainers ? ['metadata: {name: p, labels: {app: p}}'] : ['metadata:', `${ind(1)}name: p`];
  const lines = s.deployment
    ? [
        'apiVersion: apps/v1',
        'kind: Deployment',
        ...meta,
        'spec:',
        `${ind(1)}replicas: 3`,
        `${ind(1)}selector: {matchLabels: {app: p}}`,
        `${ind(1)}template:`,
        `${ind(2)}metadata: {labels: {app: p}}`,
        `${ind(2)}spec:`,
      ]
    : ['apiVersion: v1', 'kind: Pod', ...meta, 'spec:'];
  const pod = s.deployment ? 3 : 1;
  if (s.flowContainers) {
    lines.push(`${ind(pod)}containers: [{name: c, image: "nginx:1.27"}]`, `${ind(pod)}hostname: h${s.trailing}`);
    return lines.join('\n') + '\n';
  }
  lines.push(`${ind(pod)}containers:`);
  const d = items(pod);
  const k = d + '  ';
  lines.push(`${d}- name: c`, `${k}image: nginx:1.27`);
  if (s.env !== 'none')
    lines.push(`${k}env:`, `${k}- name: A`, s.env === 'block' ? `${k}  value: |\n${k}    on\n${k}    off` : `${k}  value: ${s.env}`);
  const sck = s.quotedKey ? '"securityContext"' : 'securityContext';
  const capLines =
    s.drop === 'block'
      ? ['capabilities:', `${ind(1)}drop:`, `${ind(1)}${' '.repeat(s.seqIndent)}- CHOWN`, `${ind(1)}${' '.repeat(s.seqIndent)}- "SETUID"`]
      : s.drop === 'flow'
        ? ['capabilities: {drop: [CHOWN]}']
        : s.drop === 'quotedFlow'
          ? ['capabilities: {drop: ["CHOWN"]}']
          : s.drop === 'emptyFlow'
            ? ['capabilities: {drop: []}']
            : s.drop === 'empty'
              ? ['capabilities:', `${ind(1)}drop:`]
              : [];
  if (s.sc === 'empty') lines.push(`${k}${sck}:`);
  else if (s.sc === 'flow') lines.push(`${k}${sck}: {runAsNonRoot: true}`);
  else if (s.sc === 'jsonFlow') lines.push(`${k}${sck}: {"runAsNonRoot": true}`);
  else if (s.sc === 'emptyFlow') lines.push(`${k}${sck}: {}`);
  else if (s.sc === 'block') {
    lines.push(`${k}${sck}:`, `${k}${ind(1)}runAsNonRoot: true`);
    if (s.ape !== 'none') lines.push(`${k}${ind(1)}allowPrivilegeEscalation: ${s.ape}`);
    for (const l of capLines) lines.push(`${k}${ind(1)}${l}`);
  }
  let text = lines.join('\n') + s.trailing;
  if (s.sibling) text += `\n${d}- name: sidecar\n${k}image: busybox:1.36`;
  return text + '\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n';
}

test('generated mappings: block, flow, empty and quoted shapes, indentation steps, trailing comments', () => {
  const t: Tally = { fast: 0, fallback: 0, byOp: {}, mismatches: [] };
  fc.assert(
    fc.property(shapeArb, (s) => {
      const dir = writeTree({ 'pod.yaml': renderShape(s) });
      crossCheck([dir], dir, {}, t);
      expect(t.mismatches).toEqual([]);
    }),
    { numRuns: 150, seed: 20261202 },
  );
  expectAgreement(t, 300);
});

// ---------------------------------------------------------------- every edit on generated documents

type GNode = { t: 's'; v: string } | { t: 'm'; flow: boolean; e: [string, GNode][] } | { t: 'q'; flow: boolean; items: GNode[] };

const SCALARS = ['x', 'on', '"q"', "'s'", '""', "''", '', '1', 'a b', 'http://h:1/p', '"a\\"b"'];
const KEYS = ['a', 'b', 'name', 'on', '"q k"', "'s'", 'kind'];
const scalarArb = fc.constantFrom(...SCALARS).map((v): GNode => ({ t: 's', v }));
const { node: nodeArb } = fc.letrec<{ node: GNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarArb,
    fc.record({
      t: fc.constant('m' as const),
      flow: fc.boolean(),
      e: fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('node')), { minLength: 0, maxLength: 4 }),
    }),
    fc.record({ t: fc.constant('q' as const), flow: fc.boolean(), items: fc.array(tie('node'), { minLength: 0, maxLength: 3 }) }),
  ),
}));

interface Layout {
  step: number;
  seqIndent: number;
  comments: number[];
}

function flowText(n: GNode): string | undefined {
  if (n.t === 's') return n.v === '' ? undefined : n.v;
  const parts = n.t === 'm' ? n.e.map(([k, v]) => (flowText(v) === undefined ? undefined : `${k}: ${flowText(v)}`)) : n.items.map(flowText);
  if (parts.some((p) => p === undefined)) return undefined;
  return n.t === 'm' ? `{${parts.join(', ')}}` : `[${parts.join(', ')}]`;
}

/** A value after `key:` or `- `: on the same line (scalar, flow) or as lines below at `indent`. */
function valueText(n: GNode, indent: number, lay: Layout, out: string[], head: string, seqUnderKey: boolean): void {
  const comment = lay.comments.shift() ?? 0;
  const flow = flowText(n);
  const empty = (n.t === 'm' && n.e.length === 0) || (n.t === 'q' && n.items.length === 0);
  if (n.t === 's' || (flow !== undefined && (n.flow || empty)) || empty) {
    const v = n.t === 's' ? n.v : (flow ?? (n.t === 'm' ? '{}' : '[]'));
    out.push(`${head}${v === '' ? '' : ' ' + v}${v !== '' && comment === 1 ? '  # c' : ''}`);
    if (comment === 2) out.push(`${' '.repeat(indent + lay.step)}# below`);
    if (comment === 3) out.push('# flush');
    if (comment === 4) out.push('');
    if (comment === 5) out.push(`${' '.repeat(indent)}# at the entry`);
    return;
  }
  out.push(head);
  if (n.t === 'm') blockMap(n, indent + lay.step, lay, out);
  else blockSeq(n, indent + (seqUnderKey ? lay.seqIndent : lay.step), lay, out);
}

function blockMap(n: Extract<GNode, { t: 'm' }>, indent: number, lay: Layout, out: string[]): void {
  for (const [k, v] of n.e) valueText(v, indent, lay, out, `${' '.repeat(indent)}${k}:`, true);
}

function blockSeq(n: Extract<GNode, { t: 'q' }>, indent: number, lay: Layout, out: string[]): void {
  for (const item of n.items) {
    if (item.t === 'm' && !item.flow && item.e.length > 0) {
      // compact: the first entry on the dash's line
      const inner: string[] = [];
      blockMap(item, indent + 2, lay, inner);
      out.push(`${' '.repeat(indent)}- ${inner[0]!.trimStart()}`, ...inner.slice(1));
    } else if (item.t === 'q' && !item.flow && item.items.length > 0) {
      out.push(`${' '.repeat(indent)}-`);
      blockSeq(item, indent + 2, lay, out);
    } else valueText(item, indent, lay, out, `${' '.repeat(indent)}-`, false);
  }
}

/** Every path of the tree (keys as written, unquoted), and a missing key and item below each. */
function pathsOf(n: GNode, p: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(p, [...p, 'zz'], [...p, 'zz', 'yy'], [...p, 5]);
  if (n.t === 'm') for (const [k, v] of n.e) pathsOf(v, [...p, /^["']/.test(k) ? k.slice(1, -1) : k], out);
  if (n.t === 'q') n.items.forEach((v, i) => pathsOf(v, [...p, i], out));
  return out;
}

test('generated documents: every edit at every path, made from the tape, is the yaml editor edit', () => {
  let fast = 0;
  let compared = 0;
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.constantFrom(...KEYS.slice(0, 4)), nodeArb), { minLength: 1, maxLength: 4 }),
      fc.constantFrom(2, 4),
      fc.constantFrom(0, 2),
      fc.array(fc.constantFrom(0, 0, 0, 0, 1, 2, 3, 4, 5), { maxLength: 40 }),
      (entries, step, seqIndent, comments) => {
        const root: GNode = { t: 'm', flow: false, e: [['apiVersion', { t: 's', v: 'v1' }], ['kind', { t: 's', v: 'Pod' }], ...entries] };
        const out: string[] = [];
        blockMap(root, 0, { step, seqIndent, comments: [...comments] }, out);
        const text = `# head\n${out.join('\n')}\n---\nkind: Other\n`;
        const parsed = parseText(text);
        fc.pre(parsed.fast === true);
        const doc = parsed.documents[0]!;
        const tape = new TapeEdits(new TapeDoc(text, parsed.spans, doc.node));
        const editor = new YamlEditor(text);
        editor.region(0, doc.rootSpan.vs, doc.rootSpan.ve);
        const ops: [string, (p: Path) => [FastEdit, TextEdit | null]][] = [
          ['set', (p) => [tape.set(p, 'v'), editor.set(0, p, 'v')]],
          ['set map', (p) => [tape.set(p, { k: 'v', l: [1] }), editor.set(0, p, { k: 'v', l: [1] })]],
          ['set list', (p) => [tape.set(p, ['a', { b: 'c' }]), editor.set(0, p, ['a', { b: 'c' }])]],
          ['append', (p) => [tape.append(p, 'x'), editor.append(0, p, 'x')]],
          ['append map', (p) => [tape.append(p, { name: 'n', v: 1 }), editor.append(0, p, { name: 'n', v: 1 })]],
          ['replaceScalar', (p) => [tape.replaceScalar(p, 'T'), editor.replaceScalar(0, p, 'T')]],
          ['replaceValue map', (p) => [tape.replaceValue(p, { a: 'b', c: [1] }), editor.replaceValue(0, p, { a: 'b', c: [1] })]],
          ['replaceValue', (p) => [tape.replaceValue(p, 'on'), editor.replaceValue(0, p, 'on')]],
          ['removeItem', (p) => [tape.removeItem(p), editor.removeItem(0, p)]],
          ['replaceKey', (p) => [tape.replaceKey(p, 'K'), editor.replaceKey(0, p, 'K')]],
        ];
        for (const p of pathsOf(root))
          for (const [name, op] of ops) {
            const [f, s] = op(p);
            compared++;
            if (f === undefined) continue;
            fast++;
            if (JSON.stringify(f) !== JSON.stringify(s))
              throw new Error(`${name} ${JSON.stringify(p)}: fast ${JSON.stringify(f)}, yaml ${JSON.stringify(s)}\n${text}`);
          }
      },
    ),
    { numRuns: 200, seed: 1202 },
  );
  expect(fast).toBeGreaterThan(0.8 * compared);
});
