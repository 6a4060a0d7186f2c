/**
 * YAML that go-yaml v2 (kubectl, the API server) reads and the YAML 1.2 `yaml` package rejects:
 * k8s-gold must read it, to go-yaml's values, with spans on the original text
 * (src/parse/yaml11.ts). Expected values are written from go-yaml v2's scanner rules
 * (scannerc.go: no indentation inside flow collections and quoted scalars, line folding,
 * escapes, `#` after any token) and its resolver (src/parse/goyaml.ts); where PyYAML (another
 * libyaml-style YAML 1.1 reader) reads the same, the values are also checked against it
 * when python3 with PyYAML is installed.
 *
 * Text that go-yaml rejects gives one yaml-syntax finding per document, in words.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { locate, parseText } from '../src/parse/parse';
import { lintPaths, lintText, ROOT } from './helpers';

interface Accepted {
  name: string;
  text: string;
  /** go-yaml's value of each document */
  docs: unknown[];
  /** false where PyYAML differs from go-yaml (YAML 1.1 `y` as a boolean, tabs as separation in flow context) */
  py?: false;
}

const ACCEPTED: Accepted[] = [
  {
    name: 'flow sequence with a quoted multi-line item closing at the key indentation',
    text: 'args: ["\n  echo hi\n"]\n',
    docs: [{ args: [' echo hi '] }],
  },
  {
    name: 'single-quoted value continued at the key indentation',
    text: "metadata:\n  annotations:\n    description: 'first line\n    continued at the key indentation'\n    other: x\n",
    docs: [{ metadata: { annotations: { description: 'first line continued at the key indentation', other: 'x' } } }],
  },
  {
    name: 'double-quoted value continued at column 0',
    text: 'm:\n  k: "a\nb"\n  l: 1\n',
    docs: [{ m: { k: 'a b', l: 1 } }],
  },
  {
    name: 'flow sequence items at the key indentation',
    text: 'm:\n  cmd: ["sh", "-c",\n  "echo"]\n',
    docs: [{ m: { cmd: ['sh', '-c', 'echo'] } }],
  },
  {
    name: 'flow sequence items at column 0',
    text: 'm:\n  cmd: [a,\nb]\n',
    docs: [{ m: { cmd: ['a', 'b'] } }],
  },
  {
    name: 'flow mapping continued at the key indentation',
    text: 'm:\n  k: {a: 1,\n  b: 2}\n',
    docs: [{ m: { k: { a: 1, b: 2 } } }],
  },
  {
    name: 'multi-line plain scalars inside a flow collection (folded, blank line kept)',
    text: 'm:\n  k: [a\n  b\n\n  c, d]\n',
    docs: [{ m: { k: ['a b\nc', 'd'] } }],
  },
  {
    name: 'nested flow collections closing at column 0',
    text: 'k: [a, [b,\nc]]\nl: {x: [1,\n2], z: 3}\n',
    docs: [{ k: ['a', ['b', 'c']], l: { x: [1, 2], z: 3 } }],
  },
  {
    name: 'a leading comma at column 0',
    text: 'k: [ "a"\n, b ]\n',
    docs: [{ k: ['a', 'b'] }],
  },
  {
    name: 'comments without a space before the #',
    text: 'k: "x"#c\nl: [a,#c\n  b]#c\nm: \'y\'#c\n',
    docs: [{ k: 'x', l: ['a', 'b'], m: 'y' }],
  },
  {
    name: 'comment lines inside a flow collection at lower indentation',
    text: 'm:\n  k: [a, # one\n# two\n  b]\n',
    docs: [{ m: { k: ['a', 'b'] } }],
  },
  {
    name: 'escapes and an escaped line break in a collapsed double-quoted scalar',
    text: 'm:\n  k: "a\\tb\\\n    c \\x41\\u00e9\\U0001F600 d\n  e"\n',
    docs: [{ m: { k: 'a\tbc A\u00e9\u{1F600} d e' } }],
  },
  {
    name: 'trailing spaces and blank lines inside a collapsed quoted scalar',
    text: "m:\n  k: \"a   \n  b\n\n\n  c\"\n  l: 'it''s\n  ok'\n",
    docs: [{ m: { k: 'a b\n\nc', l: "it's ok" } }],
  },
  {
    name: 'tags, anchors and aliases on rewritten scalars',
    text: 'm:\n  k: !!str "1\n\n  2"\n  a: &x "p\n\n  q"\n  l: [*x, !!str 3,\n  &y "r\n\n  s", *y]\n',
    docs: [{ m: { k: '1\n2', a: 'p\nq', l: ['p\nq', '3', 'r\ns', 'r\ns'] } }],
  },
  {
    name: 'a quoted scalar with CRLF line ends',
    text: 'm:\r\n  k: ["a",\r\n  "b\r\n\r\n  c"]\r\n  l: 1\r\n',
    docs: [{ m: { k: ['a', 'b\nc'], l: 1 } }],
  },
  {
    name: 'documents: a lenient one between plain ones',
    text: 'a: 1\n---\nm:\n  k: [x,\n  z]\n---\nc: "p\nq"\n',
    docs: [{ a: 1 }, { m: { k: ['x', 'z'] } }, { c: 'p q' }],
  },
  {
    name: 'go-yaml resolves a bare y in a rewritten flow collection as true',
    text: 'k: {\n  a: 1,\n  b: [x,\ny]\n}\n',
    docs: [{ k: { a: 1, b: ['x', true] } }],
    py: false,
  },
  {
    name: 'tabs separate tokens inside a flow collection',
    text: 'm:\n  k: [a,\t\n\tb]\n',
    docs: [{ m: { k: ['a', 'b'] } }],
    py: false,
  },
];

function pyYamlAvailable(): boolean {
  try {
    execFileSync('python3', ['-c', 'import yaml'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('YAML that go-yaml v2 accepts and the yaml package rejects', () => {
  test.each(ACCEPTED.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // the construct really is one the yaml package rejects, else this case would test nothing new
    expect(parseAllDocuments(c.text).some((d) => d.errors.length > 0)).toBe(true);
    for (const fast of [true, false]) {
      const out = parseText(c.text, { fast });
      expect(out.errors).toEqual([]);
      expect(out.documents.map((d) => d.ok)).toEqual(c.docs.map(() => true));
      expect(out.documents.map((d) => d.value)).toEqual(c.docs);
    }
  });

  const py = pyYamlAvailable();
  if (!py) console.warn('yaml-leniency.test.ts: python3 with PyYAML is not installed; the PyYAML cross-check is skipped');
  (py ? test : test.skip)('PyYAML reads the same values (cross-check; skipped without python3 + PyYAML)', () => {
    const cases = ACCEPTED.filter((c) => c.py !== false);
    const script = 'import json, sys, yaml\nprint(json.dumps([list(yaml.safe_load_all(t)) for t in json.load(sys.stdin)]))';
    const got = JSON.parse(
      execFileSync('python3', ['-c', script], { input: JSON.stringify(cases.map((c) => c.text)) }).toString(),
    ) as unknown[];
    expect(got).toEqual(cases.map((c) => c.docs));
  });

  test('spans point at the original text', () => {
    const text = "metadata:\n  annotations:\n    description: 'first line\n    continued'\n    cmd: [a,\n  b]\n    after: 1\n";
    const out = parseText(text);
    expect(out.errors).toEqual([]);
    const doc = out.documents[0]!;
    const at = (p: string[]): { vs: number; ve: number; ks: number } => locate(out.spans, doc.value, doc.rootSpan, p).span;
    const d = at(['metadata', 'annotations', 'description']);
    expect(text.slice(d.vs, d.ve)).toBe("'first line\n    continued'");
    const cmd = at(['metadata', 'annotations', 'cmd']);
    expect(text.slice(cmd.vs, cmd.ve)).toBe('[a,\n  b]');
    const b = locate(out.spans, doc.value, doc.rootSpan, ['metadata', 'annotations', 'cmd', 1]).span;
    expect(out.source.position(b.vs)).toEqual({ line: 6, column: 3 });
    const after = at(['metadata', 'annotations', 'after']);
    expect(out.source.position(after.ks)).toEqual({ line: 7, column: 5 });
  });
});

interface Rejected {
  name: string;
  text: string;
  /** message, 1-based line and column of the one finding */
  message: RegExp;
  line: number;
  column: number;
}

const REJECTED: Rejected[] = [
  {
    name: 'unclosed flow sequence',
    text: 'k: [a, b\nl: 1\n',
    message: /^unclosed flow sequence: the "\[" at line 1 has no matching "\]"$/,
    line: 1,
    column: 4,
  },
  {
    name: 'unclosed flow mapping before a document marker',
    text: 'k: {a: 1,\n---\nb: 2\n',
    message: /^unclosed flow mapping/,
    line: 1,
    column: 4,
  },
  {
    name: 'unclosed double-quoted string',
    text: 'k: "abc\nl: 2\n',
    message: /^this double-quoted \(\"\) string is never closed$/,
    line: 1,
    column: 4,
  },
  {
    name: 'quoted string running into a document marker',
    text: "k: 'x\n---\ny'\n",
    message: /not closed before the document marker on line 2/,
    line: 1,
    column: 4,
  },
  {
    name: 'mismatched closing bracket',
    text: 'k: {a: [1, 2}\n',
    message: /^"\}" cannot close the flow sequence "\[" opened at line 1$/,
    line: 1,
    column: 13,
  },
  { name: 'stray closing bracket', text: 'k: [a]]\n', message: /^"\]" without a matching "\["$/, line: 1, column: 7 },
  {
    name: 'multi-line key in a flow mapping',
    text: 'm:\n  k: {"p\n\n  q": 1}\n',
    message: /a key in a flow collection must be on one line/,
    line: 4,
    column: 5,
  },
  {
    name: 'a list item on the line of its key',
    text: 'k: - a\n',
    message: /^a (list item|block sequence item) \("- "\)/,
    line: 1,
    column: 4,
  },
  { name: 'tab indentation', text: 'a:\n\tb: 1\n', message: /^tabs are not allowed as indentation/, line: 2, column: 1 },
  { name: 'text after a quoted value', text: "k: 'x' y\n", message: /^unexpected text after a complete value/, line: 1, column: 8 },
  // the yaml package reads a second pair with an empty key here; go-yaml's scanner (and PyYAML's) rejects the ":"
  { name: 'a ":" after a flow sequence value', text: 'k: [a]: 1\n', message: /^a mapping value is not allowed here/, line: 1, column: 7 },
  {
    name: 'a ":" after a flow mapping value',
    text: 'data:\n  a: {b: {c: 1}}: 2\n',
    message: /^a mapping value is not allowed here/,
    line: 2,
    column: 17,
  },
];

const RAW_TOKENS = /token in YAML stream|flow-seq|flow-map|block-seq-ind|seq-item-ind|map-value-ind|at node end|Unexpected \w+ token/;

describe('YAML that go-yaml rejects: one finding per document, in words', () => {
  test.each(REJECTED.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const out = parseText(c.text);
    expect(out.errors).toHaveLength(1);
    const e = out.errors[0]!;
    expect(e.message).toMatch(c.message);
    expect(e.message).not.toMatch(RAW_TOKENS);
    expect(out.source.position(e.start)).toEqual({ line: c.line, column: c.column });
  });

  test('a document with many problems gives one finding; the documents around it are read', () => {
    const bad = 'kind: ConfigMap\nmetadata:\n  name: x\n data: [1,\n   b: ]]\n  - z\n  q: 1\n';
    const text = `a: 1\n---\n${bad}---\nc: [p,\nq]\n`;
    const out = parseText(text);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]!.message).not.toMatch(RAW_TOKENS);
    expect(out.documents.map((d) => d.ok)).toEqual([true, false, true]);
    expect(out.documents[2]!.value).toEqual({ c: ['p', 'q'] });
  });

  test('an empty key where go-yaml allows one (at the start of a line, after "- ") is read, not rejected', () => {
    for (const text of [': 2\n', 'a: 1\n: 2\n', '- : 2\n', 'k: {: 1}\n']) {
      const out = parseText(text);
      expect([text, out.errors]).toEqual([text, []]);
      expect(out.documents[0]!.ok).toBe(true);
    }
  });

  test('the linter reports it once, as yaml-syntax', () => {
    const run = lintText('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: [a, b\n  l: m\n  n: o\n');
    const ms = run.results[0]!.messages;
    expect(ms.map((m) => [m.ruleId, m.line, m.column])).toEqual([['yaml-syntax', 6, 6]]);
    expect(ms[0]!.message).toMatch(/^unclosed flow sequence/);
  });
});

describe('real-world shapes (test/realworld/yaml)', () => {
  const dir = path.join(ROOT, 'test/realworld/yaml');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'));
  const run = lintPaths([dir]);
  const byFile = new Map(run.results.map((r) => [path.basename(r.filePath), r]));

  test.each(files)('%s: rejected by the yaml package, read and linted by k8s-gold', (f) => {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    expect(parseAllDocuments(text).some((d) => d.errors.length > 0)).toBe(true);
    const r = byFile.get(f)!;
    expect(r.messages.filter((m) => m.ruleId === 'yaml-syntax' || m.ruleId === 'invalid-object')).toEqual([]);
    expect(r.objectCount).toBe(text.split(/^---$/m).length);
  });

  test('rules fire on the objects, at the lines of the fields after the rewritten text', () => {
    const hits = (f: string, rule: string): number[] =>
      byFile
        .get(f)!
        .messages.filter((m) => m.ruleId === rule)
        .map((m) => m.line);
    expect(hits('flow-args-closing-at-key.yaml', 'image-tag')).toEqual([22]);
    // the ports come from a flow sequence whose items are on lines of their own
    expect(hits('flow-args-closing-at-key.yaml', 'missing-probes')).toEqual([21]);
    expect(hits('annotation-continued-at-key.yaml', 'privileged-container')).toEqual([37]);
    expect(hits('comments-and-flows.yaml', 'privileged-container')).toEqual([28]);
  });

  test("values are go-yaml's", () => {
    const read = (f: string): unknown[] => parseText(fs.readFileSync(path.join(dir, f), 'utf8')).documents.map((d) => d.value);
    const [svc, deploy] = read('annotation-continued-at-key.yaml') as { metadata: { annotations: Record<string, string> } }[];
    expect(svc!.metadata.annotations).toEqual({
      description: 'Billing API, reached by the storefront and the reporting jobs; owned by the payments team',
      contact: 'payments@example.com (pager: payments-oncall)',
    });
    expect(deploy!.metadata.annotations['kubernetes.io/change-cause']).toBe('rolled out the new tax tables');
    const [job] = read('comments-and-flows.yaml') as {
      spec: { jobTemplate: { spec: { template: { spec: { containers: Record<string, unknown>[] } } } } };
    }[];
    const c = job!.spec.jobTemplate.spec.template.spec.containers[0]!;
    expect(c.command).toEqual(['python', '-c', "import sys; print('report ready'); sys.exit(0)"]);
    expect(c.args).toEqual(['--date', 'yesterday', '--format', 'csv']);
    expect(c.env).toEqual([{ name: 'GREETING', value: 'first paragraph\nsecond paragraph, joined after the backslash' }]);
    const [d] = read('flow-args-closing-at-key.yaml') as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } }[];
    const r = d!.spec.template.spec.containers[0]!;
    expect(r.args).toEqual([' set -e; echo starting; sleep 3600 ']);
    expect(r.env).toEqual([
      { name: 'MODE', value: 'batch' },
      { name: 'LEVEL', value: '2' },
    ]);
    expect(r.ports).toEqual([{ containerPort: 8080, name: 'http' }]);
  });
});
