/**
 * Differential test of the fast reader (src/parse/fast.ts) against the yaml-based path of
 * parseText: whenever the fast reader accepts a text, its ParseOutput must equal the full
 * parser's (values, key order, every span of every map entry and sequence item, root spans,
 * ambiguities, duplicate keys, errors, document flags and indices).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { fastParse } from './fast';
import { parseText, type ParseOptions, type ParseOutput } from './parse';

const repo = path.resolve(__dirname, '../..');
const shared = process.env.K8S_GOLD_SHARED ? path.resolve(process.env.K8S_GOLD_SHARED) : path.resolve(repo, '../shared');

function deepEq(a: unknown, b: unknown, where: string, out: string[]): void {
  if (out.length > 5) return;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    if (!Object.is(a, b)) out.push(`${where}: ${String(a)} !== ${String(b)}`);
    return;
  }
  if (a instanceof Map || b instanceof Map) {
    if (!(a instanceof Map && b instanceof Map)) return void out.push(`${where}: Map vs non-Map`);
    deepEq([...a.entries()], [...b.entries()], where, out);
    return;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return void out.push(`${where}: array vs object`);
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.join('\u0000') !== kb.join('\u0000')) return void out.push(`${where}: keys ${JSON.stringify(ka)} vs ${JSON.stringify(kb)}`);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return void out.push(`${where}: prototypes differ`);
  for (const k of ka) deepEq((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${where}/${k}`, out);
}

function spanTables(full: ParseOutput, fast: ParseOutput, va: unknown, vb: unknown, where: string, out: string[]): void {
  if (va === null || typeof va !== 'object') return;
  const ta = full.spans.get(va);
  const tb = fast.spans.get(vb as object);
  if (!ta || !tb) return void out.push(`${where}: span table missing (${!!ta} ${!!tb})`);
  deepEq(ta, tb, `${where} spans`, out);
  for (const k of Object.keys(va))
    spanTables(full, fast, (va as Record<string, unknown>)[k], (vb as Record<string, unknown>)[k], `${where}/${k}`, out);
}

/** Differences between the two paths' outputs for a text the fast reader accepts; undefined when it bails. */
function differences(text: string, opts: ParseOptions = {}): string[] | undefined {
  const fast = fastParse(text, opts);
  if (!fast) return undefined;
  const full = parseText(text, { ...opts, fast: false });
  const out: string[] = [];
  deepEq(full.errors, fast.errors, 'errors', out);
  deepEq(
    full.documents.map((d) => ({ ...d, value: undefined })),
    fast.documents.map((d) => ({ ...d, value: undefined })),
    'documents',
    out,
  );
  full.documents.forEach((d, i) => {
    const f = fast.documents[i];
    if (!f) return;
    deepEq(d.value, f.value, `doc${i}`, out);
    spanTables(full, fast, d.value, f.value, `doc${i}`, out);
  });
  if (fast.source.text !== text) out.push('source text differs');
  return out;
}

function expectSame(text: string, label: string, opts: ParseOptions = {}): boolean {
  const d = differences(text, opts);
  if (d && d.length) throw new Error(`${label}: fast reader differs from the yaml path:\n${d.join('\n')}\n--- text:\n${text}`);
  return d !== undefined;
}

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && /\.ya?ml$/i.test(e.name)) out.push(path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
  }
  return out.sort();
}

const read = (f: string): string => fs.readFileSync(f, 'utf8');

describe('fast reader: hand-written cases', () => {
  const dir = path.join(__dirname, 'fast-fixtures');
  const accepted = yamlFiles(path.join(dir, 'accepted'));
  const bailing = yamlFiles(path.join(dir, 'bail'));
  test('fixtures exist', () => {
    expect(accepted.length).toBeGreaterThan(5);
    expect(bailing.length).toBeGreaterThan(5);
  });
  test.each(accepted.map((f) => [path.basename(f), f]))('%s: accepted, same output', (_n, f) => {
    expect(expectSame(read(f), f)).toBe(true);
  });
  test.each(bailing.map((f) => [path.basename(f), f]))('%s: left to the full parser', (_n, f) => {
    expect(fastParse(read(f))).toBeUndefined();
  });

  const inline: [string, string][] = [
    ['empty text', ''],
    ['comment only', '# a\n\n# b\n'],
    ['markers only', '---\n---   # c\n---'],
    ['no final newline', 'a: 1'],
    ['empty values', 'a:\nb:   \nc:\n  d:\ne:\n-\n- x\n-\n'],
    ['proto keys', '__proto__: 1\nconstructor: {a: 1}\nx:\n  __proto__: [a]\n  __proto__: [b]\n'],
    ['ambiguous keys and values', 'on: yes\n0644: 0644\nn: [on, "on", 1_000, .5, 08, 0x1F]\n'],
    ['trailing comments', 'a:\n  b:\n  - c: 1\n      # deep\n    # mid\n  # shallow\n# top\nd: 1\n'],
    [
      'multi-line scalars',
      "a: one\n  two  \n\n   three\nb: 'x\n  y ''z''\n\n  w'\nc: \"p\\\n   q \\u00e9\n\n  r\"\nd:\n- s\n  t\n  # c\ne: f\n",
    ],
    ['block scalars', 'a: |\n  x\n\n   y\n  z\n\nb: >-\n  p\n  q\n\n   r\n  s\nc:\n- |-\n  t\n'],
  ];
  test.each(inline)('%s', (_n, text) => {
    expect(expectSame(text, _n)).toBe(true);
  });
  test('core12 reading', () => {
    expect(expectSame('a: on\nb: 0644\nc: [0o17, yes, 1.5]\n', 'core12', { core12: true })).toBe(true);
  });
  test('the fast reader is used by parseText by default, and can be turned off', () => {
    const text = 'a: 1\n';
    // a comment-only difference: the full path runs the yaml composer, the fast one does not; both give the same output
    expect(parseText(text).documents[0]!.value).toEqual({ a: 1 });
    expect(fastParse('a: &x 1\n')).toBeUndefined();
    expect(fastParse('{"a": 1}', { json: true })).toBeUndefined();
  });
});

describe('fast reader: repository fixtures and examples', () => {
  const files = [...yamlFiles(path.join(repo, 'rules')), ...yamlFiles(path.join(repo, 'examples'))];
  test('all files: same output whenever accepted', () => {
    let fast = 0;
    for (const f of files) if (expectSame(read(f), f)) fast++;
    expect(files.length).toBeGreaterThan(50);
    // most fixtures are plain manifests
    expect(fast / files.length).toBeGreaterThan(0.7);
  });
});

const realworld = path.join(shared, 'corpus', 'realworld');
const gen = path.join(shared, 'bench', 'gen-corpus.mjs');
const describeShared = fs.existsSync(realworld) && fs.existsSync(gen) ? describe : describe.skip;

describeShared('fast reader: shared corpora', () => {
  test('real-world manifests: same output whenever accepted; most are accepted', () => {
    const files = yamlFiles(realworld);
    let fast = 0;
    for (const f of files) if (expectSame(read(f), f)) fast++;
    process.stdout.write(`fast reader: ${fast} of ${files.length} real-world files\n`);
    expect(fast / files.length).toBeGreaterThan(0.75);
  });
  test('generated corpus: same output, every file accepted', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-gold-fast-'));
    try {
      const r = spawnSync(process.execPath, [gen, '--out', dir, '--resources', '500'], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      const files = yamlFiles(dir);
      let fast = 0;
      for (const f of files) if (expectSame(read(f), f)) fast++;
      process.stdout.write(`fast reader: ${fast} of ${files.length} generated files\n`);
      expect(files.length).toBeGreaterThan(10);
      expect(fast).toBe(files.length);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------- generated YAML

const PLAIN = [
  'a',
  'x y',
  'nginx:1.25',
  'on',
  'Off',
  'yes',
  'n',
  'Y',
  '0644',
  '08',
  '0o17',
  '0x1F',
  '1_000',
  '1e3',
  '.5',
  '-1',
  '+2',
  '-.inf',
  '.nan',
  '-c',
  '--flag=x',
  '~',
  'null',
  'true',
  'a#b',
  'http://h:80/p?q=1',
  'é ünï',
  '日本',
  '😀',
  '{{ .Values.x }}',
  '${X}',
  'a [b]',
  'x,y',
  'a]b',
  'a}b',
  '1:2',
  'x-y',
  '- x',
  'a: b',
  'a:',
  ':x',
  '?x',
  '@x',
  '`x`',
  '%x',
  '!x',
  '!!str x',
  '&a x',
  '*a',
  '---',
  '...',
  "it's",
  'a"b',
  'a  b',
  'v1.2.3',
  '2001-12-14',
  '12:30',
  '500m',
  '1Gi',
  '-',
  '--',
  '?',
  '<<',
  '=',
  'a\u00a0b',
];
const QUOTED = [
  '""',
  "''",
  '"q"',
  "'q'",
  '"a\\"b"',
  '"\\u00e9\\x41\\t\\n\\\\\\/"',
  '"\\U0001F600"',
  '"\\q"',
  "'it''s'",
  '"a',
  "'a",
  '"a # b"',
  "'#'",
  '"on"',
  '"0644"',
  '"a" b',
  '"a"#b',
  '"\\"',
  '"\\x4"',
  '"\\ud800"',
  '"a:b"',
  "'x' ",
];
const FLOW = [
  '[]',
  '{}',
  '[a, b]',
  '[1, "x", [y]]',
  '{a: 1, b: [x, y]}',
  '{a: 1, a: 2}',
  '[a,]',
  '{a}',
  '[a: b]',
  '{"a": 1}',
  '{a:1}',
  '[ a , b ]',
  '[-1, -a]',
  '[a #c]',
  '[a, {b: c}]',
  '{a: }',
  '[on, 0644, "on"]',
  '{on: 1, 1: on}',
  '[a',
  '{a: [b}',
  '[a] x',
  '[a]: b',
  '[a, , b]',
  '{ }',
  '[ ]',
  '{x: {y: {z: 1}}}',
  '[- a]',
  '[a b, c d]',
  '{a b: c d}',
  '[\'a\', "b"]',
];
const KEYS = [
  'a',
  'b',
  'c',
  'name',
  'on',
  'yes',
  '0644',
  '1',
  'null',
  '~',
  '__proto__',
  'constructor',
  'a b',
  '"q k"',
  "'s k'",
  '"on"',
  'x.y/z',
  'k:v',
  '<<',
  '-k',
  '? k',
  'é',
  'a#b',
  'a #b',
  '[a]',
  '{a: 1}',
  'k ',
  '"a"',
  "'a'",
  'true',
  '1.5',
  '-',
  '!t k',
  '&x k',
  '*x',
  '%k',
  '@k',
];
const HEADERS = ['|', '|-', '>', '>-', '| # c', '>-  ', '|', '>', '|+', '|2', '|x', '>+'];

type G = fc.GeneratorValue;

const pick = <T>(g: G, xs: readonly T[]): T => xs[g(fc.nat, { max: xs.length - 1 })]!;
const chance = (g: G, pct: number): boolean => g(fc.nat, { max: 99 }) < pct;
const spaces = (n: number): string => ' '.repeat(n);

class Emitter {
  lines: string[] = [];
  /** 0 for a document that stays (mostly) inside the fast subset, 1 for one that also tries what is outside */
  private bad: number;
  constructor(private g: G) {
    this.bad = chance(g, 50) ? 1 : 0;
  }
  filler(): void {
    const g = this.g;
    while (chance(g, 18)) {
      const kind = g(fc.nat, { max: 3 });
      if (kind === 0) this.lines.push('');
      else if (kind === 1) this.lines.push(spaces(g(fc.nat, { max: 8 })));
      else this.lines.push(`${spaces(g(fc.nat, { max: 12 }))}#${chance(g, 50) ? ' c' : ''}`);
    }
  }
  line(s: string): void {
    const g = this.g;
    let l = s;
    if (chance(g, 8)) l += spaces(1 + g(fc.nat, { max: 2 }));
    if (chance(g, 10)) l += pick(g, this.bad ? [' # c', '  #c', ' #', '#c'] : [' # c', '  #c', ' #']);
    this.lines.push(l);
    this.filler();
  }
  scalar(): string {
    const g = this.g;
    const k = g(fc.nat, { max: 9 });
    const tricky = chance(g, 12 * this.bad);
    if (k < 6) return pick(g, tricky ? PLAIN : PLAIN.slice(0, 40));
    if (k < 8) return pick(g, tricky ? QUOTED : QUOTED.slice(0, 9));
    return pick(g, tricky ? FLOW : FLOW.slice(0, 7));
  }
  blockScalar(prefix: string, indent: number): void {
    const g = this.g;
    this.lines.push(`${prefix}${pick(g, chance(g, 15 * this.bad) ? HEADERS : HEADERS.slice(0, 8))}`);
    const base = indent + 1 + g(fc.nat, { max: 3 });
    const n = g(fc.nat, { max: 5 });
    for (let i = 0; i < n; i++) {
      const k = g(fc.nat, { max: 9 });
      if (k === 0) this.lines.push('');
      else if (k === 1) this.lines.push(spaces(g(fc.nat, { max: base + 3 })));
      else if (k === 2) this.lines.push(`${spaces(base + 1 + g(fc.nat, { max: 2 }))}more ${i}`);
      else if (k === 3) this.lines.push(`${spaces(base)}# not a comment`);
      else this.lines.push(`${spaces(base)}${pick(g, PLAIN)}`);
    }
    this.filler();
  }
  /** A plain or quoted scalar over several lines. */
  multiline(prefix: string, indent: number): void {
    const g = this.g;
    const style = g(fc.nat, { max: 2 });
    const open = style === 0 ? '' : style === 1 ? "'" : '"';
    const words = ['x', "it''s", 'a - b', '- c', '#d', 'e #f', 'g: h', 'i:j', '\\n', '\\ ', '\\', '"', "'", '  ', 'on', '0644', 'ü'];
    this.lines.push(`${prefix} ${open}${pick(g, words.slice(0, 2))}${chance(g, 20) ? ' ' : ''}`);
    const n = 1 + g(fc.nat, { max: 3 });
    for (let i = 0; i < n; i++) {
      while (chance(g, 15)) this.lines.push(chance(g, 50) ? '' : spaces(g(fc.nat, { max: indent + 3 })));
      if (chance(g, 3 * this.bad)) this.lines.push(`${spaces(indent + 1)}# c`);
      const dedent = chance(g, 5 * this.bad) ? 0 : 1 + g(fc.nat, { max: 2 });
      const last = i === n - 1;
      this.lines.push(
        `${spaces(indent + dedent)}${pick(g, chance(g, 30) ? words : words.slice(0, 2))}${last ? open : ''}${chance(g, 10) ? ' ' : ''}`,
      );
    }
    this.filler();
  }
  /** A value after `prefix` (a key with its colon, or a dash) at the block indentation `indent`. */
  value(prefix: string, indent: number, depth: number, inMap: boolean): void {
    const g = this.g;
    const k = g(fc.nat, { max: 9 });
    if (depth > 4 || k < 4) {
      this.line(`${prefix}${chance(g, 8 * this.bad) ? '' : ' '}${this.scalar()}`);
    } else if (k === 4 && chance(g, 50)) {
      this.blockScalar(`${prefix} `, indent);
    } else if (k === 4) {
      this.multiline(prefix, indent);
    } else if (k === 5) {
      this.line(prefix);
    } else if (k === 6 && !inMap) {
      // compact mapping in a sequence item
      const extra = g(fc.nat, { max: 2 });
      this.map(indent + 1 + extra, depth + 1, `${prefix}${spaces(1 + extra)}`);
    } else {
      this.line(prefix);
      const seq = chance(g, 50);
      const step = seq && inMap && chance(g, 50) ? 0 : 1 + g(fc.nat, { max: 3 });
      if (seq) this.seq(indent + step, depth + 1);
      else this.map(indent + step, depth + 1);
    }
  }
  map(indent: number, depth: number, firstPrefix?: string): void {
    const g = this.g;
    const n = 1 + g(fc.nat, { max: 3 });
    for (let i = 0; i < n; i++) {
      const lead = i === 0 && firstPrefix !== undefined ? firstPrefix : spaces(indent + (chance(this.g, 4 * this.bad) ? 1 : 0));
      const key = chance(g, 15 * this.bad) ? pick(g, KEYS) : pick(g, KEYS.slice(0, 12));
      this.value(`${lead}${key}${chance(g, 5) ? ' ' : ''}:`, indent, depth, true);
    }
  }
  seq(indent: number, depth: number): void {
    const g = this.g;
    const n = 1 + g(fc.nat, { max: 3 });
    for (let i = 0; i < n; i++) this.value(`${spaces(indent + (chance(this.g, 4 * this.bad) ? 1 : 0))}-`, indent, depth, false);
  }
  document(): string {
    const g = this.g;
    const docs = 1 + g(fc.nat, { max: 2 });
    this.filler();
    for (let d = 0; d < docs; d++) {
      if (d > 0 || chance(g, 30))
        this.lines.push(pick(g, chance(g, 20 * this.bad) ? ['--- a', '---x', '...', '--- |'] : ['---', '---', '--- # c', '---  ']));
      this.filler();
      const k = g(fc.nat, { max: 9 });
      if (k < 7) this.map(chance(g, 10 * this.bad) ? 2 : 0, 0);
      else if (k < 9) this.seq(0, 0);
      else this.filler();
    }
    return this.lines.join('\n') + (chance(g, 85) ? '\n' : '');
  }
}

const MUTATION_CHARS = [' ', ':', '#', '-', '\n', '"', "'", '\t', '{', '[', ']', 'x', '|', '>', '&', '*', '!', '\r', ',', '?', '\\'];

function mutate(g: G, text: string): string {
  let t = text;
  const n = 1 + g(fc.nat, { max: 2 });
  for (let i = 0; i < n; i++) {
    const lines = t.split('\n');
    const at = g(fc.nat, { max: Math.max(0, t.length - 1) });
    const li = g(fc.nat, { max: lines.length - 1 });
    switch (g(fc.nat, { max: 6 })) {
      case 0:
        t = t.slice(0, at) + t.slice(at + 1);
        break;
      case 1:
        t = t.slice(0, at) + pick(g, MUTATION_CHARS) + t.slice(at);
        break;
      case 2:
        lines.splice(li, 0, lines[li]!);
        t = lines.join('\n');
        break;
      case 3:
        lines[li] = spaces(1 + g(fc.nat, { max: 2 })) + lines[li];
        t = lines.join('\n');
        break;
      case 4:
        lines[li] = lines[li]!.replace(/^ {1,2}/, '');
        t = lines.join('\n');
        break;
      case 5:
        lines.splice(li, 1);
        t = lines.join('\n');
        break;
      default:
        lines.splice(li, 0, `${spaces(g(fc.nat, { max: 10 }))}# c`);
        t = lines.join('\n');
    }
  }
  return t;
}

describe('fast reader: generated YAML', () => {
  test('random block structures: same output whenever accepted', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const text = new Emitter(g).document();
        if (expectSame(text, 'generated')) accepted++;
      }),
      { numRuns: Number(process.env.K8S_GOLD_FUZZ_RUNS ?? 4000) },
    );
    // the generator aims at the subset often enough for the comparison to mean something
    expect(accepted).toBeGreaterThan(400);
  });

  const sources = [...yamlFiles(path.join(repo, 'examples')), ...yamlFiles(path.join(repo, 'rules')), ...yamlFiles(realworld)].map(read);
  test('mutated windows of real files: same output whenever accepted', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const src = pick(g, sources).split('\n');
        const start = g(fc.nat, { max: src.length - 1 });
        const window = src.slice(start, start + 1 + g(fc.nat, { max: 60 })).join('\n');
        const text = chance(g, 15) ? window : mutate(g, window);
        if (expectSame(text, 'mutated')) accepted++;
      }),
      { numRuns: Number(process.env.K8S_GOLD_FUZZ_RUNS ?? 3000) },
    );
    expect(accepted).toBeGreaterThan(300);
  });
});
