/**
 * One file through the stages after loading: check (rules over its objects) → locate (paths to ranges) →
 * severities (the config's, per object) → suppress (a pure pass over Findings) → its FileFindings, sorted
 * by place (the engine's result for a file, which the render remap and the cache take as it is).
 */
import type { RuleConfigResolver } from '../config/config.js';
import type { ObjectIndex } from '../model/index.js';
import type { RuleRegistry } from './registry.js';
import type { LoadedFile, Pending } from './load.js';
import type { LintOptions } from './lint-options.js';
import type { AnyRule, Severity, SeverityOrOff } from './rule.js';
import type { ObjectRef } from './result.js';
import type { ManifestObject } from '../model/object.js';
import { compareFindings, type FileFindings, type Finding } from './finding.js';
import { applySuppressions, maySuppress, type LocatedFinding } from './suppress.js';
import { runChecks, type Counters } from './check.js';
import { locateFindings, type LocatedFinding as LocatedPending } from './locate.js';
import { SourceText } from '../parse/source.js';

/** A file with no findings yet (a source file the render remap moves findings into). */
export function emptyFindings(filePath: string): FileFindings {
  return { filePath, findings: [], suppressed: [], objectCount: 0 };
}

export function lintFile(
  l: LoadedFile,
  resolver: RuleConfigResolver,
  checkRules: AnyRule[],
  index: ObjectIndex,
  defaultNamespace: string,
  settings: Record<string, unknown>,
  opts: LintOptions,
  internalErrors: string[],
  counters: Counters,
  inc?: import('./incremental.js').Incremental,
): FileFindings {
  const fileSettings = resolver.resolve(l.file.absPath);
  // a rendered chart or kustomization is never edited: its fixes are computed only to become suggestions on the source (with --show-rendered, none)
  const check = (trace: Parameters<typeof runChecks>[9]): Pending[] =>
    runChecks(
      l,
      resolver,
      checkRules,
      index,
      defaultNamespace,
      settings,
      internalErrors,
      counters,
      opts.fixes !== false && !(l.render && opts.showRendered),
      trace,
    );
  // an unchanged file with checks to run again: first those alone; the file keeps its result if they report as before
  if (inc?.startProbe(l)) {
    check(inc.trace);
    const same = inc.endProbe(l, counters);
    if (same) return same;
  }
  const checked = check(inc?.trace);
  // the early findings first (concatenated: spread into the arguments of a push, a large file's findings were slow)
  const pending: Pending[] = l.early.length ? l.early.concat(checked) : checked;
  // an unchanged file whose findings came out as before keeps its result (its suppressions are not re-run)
  const same = inc?.sameFindings(l);
  if (same) return same;

  // paths become ranges, severities are resolved, then the suppression stage (none in a file without suppressions:
  // its findings as they are, without a record per finding of the object and path the stage would read)
  const suppressions = maySuppress(l.file.parse.source, l.objects);
  const findings: LocatedFinding[] = [];
  const plain: Finding[] = [];
  // per object, once: its settings and the reference its findings share (an object has many findings)
  const perObject = new Map<ManifestObject<unknown>, { settings: ReturnType<RuleConfigResolver['resolve']>; ref: ObjectRef }>();
  for (const p of locateFindings(pending)) {
    let settingsFor = fileSettings;
    let ref: ObjectRef | undefined;
    if (p.obj) {
      let o = perObject.get(p.obj);
      if (!o) {
        const objRef: ObjectRef = { apiVersion: p.obj.apiVersion, kind: p.obj.kind, name: p.obj.name, document: p.obj.docIndex };
        if (p.obj.declaredNamespace) objRef.namespace = p.obj.declaredNamespace;
        o = { settings: resolver.resolve(l.render?.objectFile(p.obj) ?? l.file.absPath, p.obj), ref: objRef };
        perObject.set(p.obj, o);
      }
      settingsFor = o.settings;
      ref = o.ref;
    }
    // an instance id (vap/<policy>) takes its own setting when it has one, else its rule's
    const group = opts.registry.groupId(p.ruleId);
    const own = group === p.ruleId ? undefined : settingsFor.get(p.ruleId);
    const configured = own?.severity ?? settingsFor.get(group)?.severity ?? 'error';
    if (configured === 'off') continue;
    const level: Severity =
      p.severity && !own ? effectiveSeverity(p.severity, configured, opts.registry.get(group)?.meta.severity) : configured;
    // a rule's finding (message id, path, place and object, no fix): one literal with every field, in the order
    // the fields are added below (one object, no property array grown three times per finding)
    const f: Finding =
      p.messageId !== undefined &&
      p.internalError === undefined &&
      !p.fatal &&
      p.path !== undefined &&
      p.exact !== undefined &&
      !p.fix &&
      !p.suggestions?.length &&
      ref
        ? {
            kind: 'rule',
            ruleId: p.ruleId,
            message: p.message,
            severity: level,
            range: p.range,
            messageId: p.messageId,
            path: p.path,
            exact: p.exact,
            object: ref,
          }
        : findingOf(p, level, ref);
    if (suppressions) findings.push({ finding: f, obj: p.obj, objPath: p.objPath });
    else plain.push(f);
  }
  const { findings: reported, suppressed } = !suppressions
    ? { findings: plain, suppressed: [] }
    : applySuppressions({
        source: l.file.parse.source,
        objects: l.objects,
        findings,
        isRule: (id) => opts.registry.has(id),
        groupOf: (id) => opts.registry.groupId(id),
        fileSeverity: (id) => severityIn(fileSettings, id, opts.registry),
        objectSeverity: (obj, id) => severityIn(resolver.resolve(l.render?.objectFile(obj) ?? l.file.absPath, obj), id, opts.registry),
        // in a rendered chart, a file-level comment covers the template it is written in
        fileCommentCovers: l.render ? (a, b) => l.render!.sameSource(a, b) : undefined,
      });
  const file: FileFindings = {
    filePath: l.file.path,
    findings: reported.sort(compareFindings),
    suppressed: suppressed.sort(compareFindings),
    objectCount: l.objects.length,
  };
  if (l.notManifest) file.skipped = 'not-a-manifest';
  else if (l.testAssertion) file.skipped = 'test-assertion';
  inc?.finish(l, file);
  return file;
}

/** A finding of any kind, its optional fields added as present. */
function findingOf(p: LocatedPending, level: Severity, ref: ObjectRef | undefined): Finding {
  const f: Finding = {
    kind: p.internalError !== undefined ? 'internal-error' : p.fatal ? 'not-linted' : 'rule',
    ruleId: p.ruleId,
    message: p.message,
    severity: level,
    range: p.range,
  };
  if (p.messageId !== undefined) f.messageId = p.messageId;
  if (p.internalError !== undefined) f.internalError = p.internalError;
  if (p.path !== undefined) f.path = p.path;
  if (p.exact !== undefined) f.exact = p.exact;
  if (p.fix) f.fix = p.fix;
  if (p.suggestions?.length) f.suggestions = p.suggestions;
  if (ref) f.object = ref;
  return f;
}

/**
 * Once a file is linted, what only locating its findings needed is dropped: its span tape, its line table and
 * its documents' ambiguities and duplicate keys (the peak memory of a large run is every file's, held until the
 * last file is linted). The objects keep their values, which the index and other files' rules read, and
 * their own range (`settle`), which messages about them name; any other position of theirs is an error.
 */
export function releasePositions(l: LoadedFile): void {
  for (const o of l.objects) o.settle();
  const p = l.file.parse;
  p.spans.release();
  for (const d of p.documents) {
    d.ambiguities = [];
    d.duplicateKeys = [];
  }
  const where = l.file.path;
  l.file.parse = {
    source: new SourceText(p.source.text),
    documents: p.documents,
    errors: p.errors,
    get spans(): never {
      throw new Error(`${where}: its positions were released once it was linted`);
    },
  };
}

/** A rule's configured severity; for an instance id (vap/<policy>) its own, else its rule's. */
function severityIn(settings: Map<string, { severity: SeverityOrOff }>, id: string, registry: RuleRegistry): SeverityOrOff | undefined {
  const s = settings.get(id)?.severity;
  if (s !== undefined) return s;
  const group = registry.groupId(id);
  return group === id ? undefined : settings.get(group)?.severity;
}

/**
 * A rule may report a finding with its own severity (e.g. an error variant
 * and a warning variant). That holds while the rule runs at its default
 * severity; once a user configures another severity for the rule, every
 * finding of the rule takes the configured one.
 */
export function effectiveSeverity(reported: Severity, configured: Severity, ruleDefault: Severity | undefined): Severity {
  return configured === ruleDefault ? reported : configured;
}
