/**
 * The load stage: a file's text → its Kubernetes objects and the findings
 * about the input itself (yaml-syntax, non-manifest-file, invalid-object,
 * unreadable-file). Used on the main thread and, through parallel.ts, with
 * parses made by worker threads; it imports nothing of the later stages.
 */
import type { RenderMapping } from '../render/index.js';
import type { FixEdit, LintSuggestion } from './result.js';
import type { DiscoveredFile } from '../load/discover.js';
import { readManifestFile, type ReadResult } from '../load/read.js';
import { ManifestObject, isObj, spanRange, type Obj, type SourceFile } from '../model/object.js';
import { locate, parseText, type ParseOutput, type ParsedDocument } from '../parse/parse.js';
import { dataOrTemplate, foreignApiVersion, looksLikeManifest, toolKind } from './manifest-shape.js';
import { toPointer, type Path, type Range } from '../parse/source.js';
import { messageSeverity, ruleMessage, type AnyRule, type ReportDescriptor, type Severity } from './rule.js';
import invalidObject from '../../rules/invalid-object/index.js';
import nonManifestFile from '../../rules/non-manifest-file/index.js';
import unreadableFile from '../../rules/unreadable-file/index.js';
import yamlSyntax from '../../rules/yaml-syntax/index.js';
import { elisionAt, placeholderAt, placeholderNear } from './placeholder.js';

export interface LoadedFile {
  file: SourceFile;
  objects: ManifestObject<Obj>[];
  /** findings that do not belong to an object (syntax, invalid documents, unreadable) */
  early: Pending[];
  text?: string;
  /** parsed fine but holds no Kubernetes object: reported with a note, not linted */
  notManifest?: boolean;
  /** a kustomize patch or transformer configuration: its documents are not linted as objects */
  kustomizePartial?: boolean;
  /** a test harness's assertion (chainsaw, KUTTL): partial state compared with the cluster, not linted as objects */
  testAssertion?: boolean;
  /** the output of helm template or kustomize build: how its findings map to the sources */
  render?: RenderMapping;
  /**
   * an unchanged file of an incremental run (incremental-load.ts): its objects stand in for those of the run that
   * recorded the state, which set none of it aside as a test assertion (a run that does records no state)
   */
  unchanged?: true;
  /**
   * an unchanged file known to hold no kustomization and no chainsaw Test, and not named as a kustomization
   * (incremental-load.ts): the stages that look for those over every object of the input (kustomize-stage.ts,
   * test-assertions.ts) need not read its objects, which are then made only if a check reads them
   */
  plain?: true;
}

export interface Pending {
  ruleId: string;
  message: string;
  /** the rule's messageId, when it named one */
  messageId?: string;
  /** set when the finding reports an internal error (a rule crashed): that error, as in `LintRun.internalErrors` */
  internalError?: string;
  /**
   * where to report: set by the stages that know it (load's early findings, an internal error);
   * the locate stage (locate.ts) sets it for the others, from `obj` and `objPath`
   */
  range?: Range;
  /** report the value's own range rather than its key's (see ManifestObject.rangeOf) */
  valueOnly?: boolean;
  severity?: Severity;
  path?: string;
  exact?: boolean;
  obj?: ManifestObject<Obj>;
  /** path from the object root, for container-narrowed suppressions */
  objPath?: Path;
  fatal?: boolean;
  /** a safe edit (--fix) and suggested edits, as text edits of the file */
  fix?: FixEdit;
  suggestions?: LintSuggestion[];
}

/**
 * An engine rule's finding, reported as a check reports: by one of the rule's `meta.messages`, with data.
 * (The rules of the load, suppression and render stages have no check; their messages are declared all the same.)
 */
export function engineReport(
  rule: AnyRule,
  messageId: string,
  data?: ReportDescriptor['data'],
): Pick<Pending, 'ruleId' | 'messageId' | 'message' | 'severity'> {
  const spec = rule.meta.messages?.[messageId];
  const severity = spec === undefined ? undefined : messageSeverity(spec);
  return { ruleId: rule.meta.id, messageId, message: ruleMessage(rule, messageId, data), ...(severity ? { severity } : {}) };
}

export function loadSource(display: string, absPath: string, text: string, defaultNamespace: string): LoadedFile {
  return loadParsed(display, absPath, parseText(text, { json: isJsonName(absPath) }), text, defaultNamespace);
}

export function isJsonName(absPath: string): boolean {
  return absPath.toLowerCase().endsWith('.json');
}

/** Objects and early findings of a parsed file (the parse may come from a worker thread). */
export function loadParsed(display: string, absPath: string, parse: ParseOutput, text: string, defaultNamespace: string): LoadedFile {
  const file: SourceFile = { path: display, absPath, parse };
  const early: Pending[] = [];
  const objects: ManifestObject<Obj>[] = [];
  const notParsed = parse.errors.length > 0 && !parse.errors.some((e) => REFUSED.test(e.code)) ? dataOrTemplate(absPath, text) : undefined;
  if (notParsed) {
    // a JSON-lines data file or a Go template beside the manifests: not a manifest that failed to parse
    const e = parse.errors[0]!;
    const data = { format: isJsonName(absPath) ? 'JSON' : 'YAML', message: firstLine(e.message) };
    early.push({
      ...engineReport(nonManifestFile, notParsed === 'data' ? 'notParsedData' : 'templateOfNoManifest', data),
      range: parse.source.range(e.start, Math.max(e.end, e.start + 1)),
    });
    return { file, objects, early, text, notManifest: true };
  }
  for (const e of parse.errors) {
    const placeholder = placeholderAt(text, e.start) ?? placeholderNear(text, e.start);
    early.push({
      ...(placeholder === undefined
        ? elisionAt(text, e.start)
          ? engineReport(yamlSyntax, 'elided')
          : engineReport(yamlSyntax, 'syntax', { message: firstLine(e.message) })
        : placeholder.startsWith('{%')
          ? engineReport(yamlSyntax, 'templateTag', { tag: placeholder })
          : engineReport(yamlSyntax, 'placeholder', { placeholder })),
      range: parse.source.range(e.start, Math.max(e.end, e.start + 1)),
      fatal: true,
    });
  }
  const docs = parse.documents.filter((d) => d.ok && !d.empty);
  if (parse.errors.length === 0 && docs.length === 0) {
    // kubectl skips an empty document; a file with none at all checked nothing, and says so
    early.push({ ...engineReport(nonManifestFile, 'empty'), range: { line: 1, column: 1, endLine: 1, endColumn: 1 } });
    return { file, objects, early, text, notManifest: true };
  }
  if (parse.errors.length === 0 && docs.length > 0 && !docs.some((d) => looksLikeManifest(d.value))) {
    const foreign = docs.find((d) => isObj(d.value) && foreignApiVersion(d.value) !== undefined)?.value as Obj | undefined;
    const key = foreign ? foreignApiVersion(foreign)! : undefined;
    const value = key ? String(foreign![key]) : '';
    const kind = key ? undefined : docs.map((d) => toolKind(d.value)).find((k) => k !== undefined);
    early.push({
      ...(key
        ? engineReport(nonManifestFile, 'foreignApiVersion', { key, group: value.slice(0, value.lastIndexOf('/')) })
        : kind !== undefined
          ? engineReport(nonManifestFile, 'toolKind', { kind })
          : engineReport(nonManifestFile, 'notManifest')),
      range: { line: 1, column: 1, endLine: 1, endColumn: 1 },
    });
    return { file, objects, early, text, notManifest: true };
  }
  for (const doc of docs) collectObjects(file, doc, defaultNamespace, objects, early);
  return { file, objects, early, text };
}

/** what the reader refuses to read (too deep, an alias bomb, an alias to nothing): hostile input, an error wherever it is */
const REFUSED = /DEEP|ALIAS|ANCHOR/;

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i >= 0 ? s.slice(0, i) : s).replace(/ at line \d+, column \d+:?$/, '');
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `a ${typeof v}`;
}

function collectObjects(file: SourceFile, doc: ParsedDocument, ns: string, objects: ManifestObject<Obj>[], early: Pending[]): void {
  const v = doc.value;
  const src = file.parse.source;
  const invalid = (messageId: string, data: ReportDescriptor['data'], basePath: Path, value: unknown): void => {
    const loc = locateIn(file, doc, basePath);
    early.push({
      ...engineReport(invalidObject, messageId, data),
      range: spanRange(file, undefined, basePath, loc.span, value, loc.node),
      path: toPointer(basePath),
    });
  };
  if (!isObj(v)) {
    // a document that is only text holding a template action is a piece of a Go template whose `---`-led line YAML
    // took for a document start (scylla-operator's `{{ else }}` then `--- Can't read dashboards ---`): a placeholder
    const action = typeof v === 'string' ? /\{\{.*?\}\}|\{%.*?%\}/.exec(v)?.[0] : undefined;
    if (action !== undefined) {
      const loc = locateIn(file, doc, []);
      const data = { placeholder: action, tag: action };
      early.push({
        ...engineReport(yamlSyntax, action.startsWith('{%') ? 'templateTag' : 'placeholder', data),
        range: spanRange(file, undefined, [], loc.span, v, loc.node),
      });
      return;
    }
    invalid('notMapping', { document: doc.index + 1, type: describeType(v) }, [], v);
    return;
  }
  const items = v.items;
  const isList =
    Array.isArray(items) &&
    (v.kind === undefined || (typeof v.kind === 'string' && (v.kind === 'List' || v.kind.endsWith('List'))) || v.apiVersion === undefined);
  if (isList) {
    (items as unknown[]).forEach((item, i) => {
      if (!isObj(item)) {
        invalid('itemNotMapping', { index: i, type: describeType(item) }, ['items', i], item);
        return;
      }
      addObject(file, doc, ['items', i], item, ns, objects, early);
    });
    return;
  }
  void src;
  addObject(file, doc, [], v, ns, objects, early);
}

function locateIn(file: SourceFile, doc: ParsedDocument, p: Path) {
  return locate(file.parse.spans, doc.value, doc.node, p);
}

function addObject(
  file: SourceFile,
  doc: ParsedDocument,
  basePath: Path,
  data: Obj,
  ns: string,
  objects: ManifestObject<Obj>[],
  early: Pending[],
): void {
  const obj = new ManifestObject<Obj>(file, doc, [...basePath], data, ns);
  const missing: string[] = [];
  if (typeof data.apiVersion !== 'string' || data.apiVersion === '') missing.push('apiVersion');
  if (typeof data.kind !== 'string' || data.kind === '') missing.push('kind');
  if (missing.length) {
    const where = basePath.length ? `items[${String(basePath[1])}]` : `document ${doc.index + 1}`;
    const got = missing.map((m) => (data[m] === undefined ? `no ${m}` : `${m} is ${describeType(data[m])}`)).join(' and ');
    // `apiversion: apps/v1`: the key in another case
    const caseKey =
      missing.length === 1 && missing[0] === 'apiVersion' && data.apiVersion === undefined
        ? Object.keys(data).find((k) => k.toLowerCase() === 'apiversion')
        : undefined;
    const r = obj.rangeOf(caseKey ? [caseKey] : missing.length === 1 && data[missing[0]!] !== undefined ? [missing[0]!] : []);
    early.push({
      ...(caseKey
        ? engineReport(invalidObject, 'keyCase', { where, key: caseKey })
        : engineReport(invalidObject, 'noType', { where, problem: got })),
      range: r.range,
      path: toPointer(basePath),
    });
    // still lint what can be linted: duplicate keys and ambiguous values are about the text
  }
  objects.push(obj);
}

export function unreadable(f: DiscoveredFile, r: Extract<ReadResult, { ok: false }>): LoadedFile {
  const file: SourceFile = { path: f.display, absPath: f.abs, parse: parseText('') };
  const line = r.line ?? 1;
  const column = r.column ?? 1;
  return {
    file,
    objects: [],
    early: [
      { ...engineReport(unreadableFile, r.messageId, r.data), range: { line, column, endLine: line, endColumn: column }, fatal: true },
    ],
  };
}

export function readInput(f: DiscoveredFile, maxSize: number, defaultNamespace: string): LoadedFile {
  const r = readManifestFile(f.abs, maxSize);
  if (!r.ok) return unreadable(f, r);
  return loadSource(f.display, f.abs, r.text, defaultNamespace);
}
