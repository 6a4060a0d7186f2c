/**
 * YAML/JSON text → plain JS values read with go-yaml v2 semantics, plus a
 * position table for every map entry and sequence item.
 *
 * The `yaml` package's composer is run with the failsafe schema (every scalar
 * stays a string, no tag resolution work), and one walk over its AST builds
 * the values, resolves plain scalars the cluster's way, records ambiguous
 * scalars and duplicate keys, expands merge keys and aliases under a budget,
 * and stores offsets. Line/column conversion happens lazily, through one
 * line-start table per file.
 */
import { compose, type DocProblem } from './compose.js';
import type { ParseOptions, ParseOutput, SyntaxProblem } from './document.js';
import { fastParse } from './fast.js';
import { SourceText } from './source.js';
import { jsonErrorOffset } from './yaml-messages.js';
import { scanYaml11, type Yaml11Error } from './yaml11.js';

export { cstTooDeep } from './compose.js';
export { addEntry, keyToString, plainScalar, setKey } from './document.js';
export type { Ambiguity, DuplicateKey, ParseOptions, ParsedDocument, ParseOutput, SyntaxProblem } from './document.js';
export { locate, SpanTape, type Located } from './tape.js';

const FAST_DEFAULT = process.env.K8S_GOLD_FAST_PARSE !== '0';

export function parseText(text: string, opts: ParseOptions = {}): ParseOutput {
  if (opts.fast ?? FAST_DEFAULT) {
    const fast = fastParse(text, opts);
    if (fast) return fast;
  }
  const source = new SourceText(text);
  const errors: SyntaxProblem[] = [];
  // kubectl reads text that starts with `{` or `[` as JSON: from a grammar error on, nothing of it is read
  let jsonError = -1;

  if (opts.json) {
    const trimmed = text.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        JSON.parse(text);
      } catch (e) {
        const msg = (e as Error).message;
        // A stream of concatenated JSON objects is valid input for kubectl; only report real grammar errors.
        if (!/non-whitespace character after JSON/.test(msg)) {
          const off = jsonErrorOffset(msg, text);
          errors.push({ message: `invalid JSON: ${msg.replace(/^JSON\.parse: /, '')}`, code: 'JSON_SYNTAX', start: off, end: off + 1 });
          jsonError = off;
        }
      }
    }
  }

  let out = compose(text, opts, text);
  let scanErrors: Yaml11Error[] = [];
  if (out.problems.some((e) => e.yaml)) {
    // The yaml package (YAML 1.2) rejected something: read the text as go-yaml v2 does, which accepts
    // more (src/parse/yaml11.ts), and compose a same-length rewrite of it when one is needed.
    const scan = scanYaml11(text);
    scanErrors = scan.errors;
    if (scan.text !== undefined) out = compose(scan.text, opts, text, scan.values);
  }
  // one finding per document: its first problem, in go-yaml's words when its scanner found one earlier
  const first = new Map<number, DocProblem>();
  for (const e of out.problems) {
    if (e.doc < 0) {
      errors.push({ message: e.message, code: e.code, start: e.start, end: e.end });
      continue;
    }
    const prev = first.get(e.doc);
    if (!prev || e.start < prev.start) first.set(e.doc, e);
  }
  for (const [d, e] of first) {
    let problem: SyntaxProblem = { message: e.message, code: e.code, start: e.start, end: e.end };
    const range = out.docRanges[d];
    if (e.yaml && range) {
      const se = scanErrors.find((x) => x.offset >= range[0] && x.offset <= range[1]);
      // go-yaml's scanner found the problem earlier than the yaml package did (e.g. the "[" that is never closed)
      if (se && (se.offset <= e.start || LENIENCY_ARTIFACT.test(e.message)))
        problem = { message: se.message, code: e.code, start: se.offset, end: se.offset + 1 };
    }
    errors.push(problem);
  }
  if (out.emptyKeys.length > 0) {
    // `a: [b]: 2`: the yaml package reads a second, empty key; go-yaml's scanner rejects the ":" (no key may start there)
    if (scanErrors.length === 0) scanErrors = scanYaml11(text).errors;
    for (const k of out.emptyKeys) {
      const se = scanErrors.find((x) => x.offset === k.offset);
      const doc = out.documents[k.doc];
      if (!se || first.has(k.doc) || !doc?.ok) continue;
      doc.ok = false;
      first.set(k.doc, { message: se.message, code: 'GOYAML_SCAN', start: se.offset, end: se.offset + 1, doc: k.doc, yaml: false });
      errors.push({ message: se.message, code: 'GOYAML_SCAN', start: se.offset, end: se.offset + 1 });
    }
  }
  if (jsonError >= 0)
    out.documents.forEach((doc, d) => {
      // the document the error is in, and every later one (a YAML reading of it would lint what the cluster never gets)
      if ((out.docRanges[d]?.[1] ?? Number.POSITIVE_INFINITY) >= jsonError) doc.ok = false;
    });
  errors.sort((a, b) => a.start - b.start);
  return { source, documents: out.documents, errors, spans: out.spans };
}

/**
 * The yaml package's complaints about text that go-yaml reads (src/parse/yaml11.ts): in a document that
 * go-yaml's scanner rejects too, its own message is the one to show.
 */
const LENIENCY_ARTIFACT = /^(Missing closing .quote|unclosed flow|Comments must be separated from other tokens by white space)/;
