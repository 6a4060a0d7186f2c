/** The run's summary, its notes about what was not linted, and the texts fixes' offsets are into. */
import * as path from 'node:path';
import type { Discovery } from '../load/discover.js';
import type { RenderPlan } from '../render/index.js';
import type { Counters } from './check.js';
import type { LoadedFile } from './load.js';
import type { LintOptions, FindingsRun } from './lint-options.js';
import type { RunSummary } from './result.js';
import type { FileFindings } from './finding.js';
import { countsOf } from './stored-result.js';
import { plural } from '../util/strings.js';

export interface SummaryInput {
  opts: LintOptions;
  disc: Discovery;
  plan: RenderPlan;
  loaded: readonly LoadedFile[];
  results: readonly FileFindings[];
  /** the results of charts and kustomizations, by the source file they map to */
  mapped: ReadonlyMap<string, FileFindings>;
  counters: Counters;
  /** a source file's text, for the suggestions a render maps into it */
  sourceText: (abs: string) => string | undefined;
}

/** The summary line's counts, and the notes (appended to `notes`). */
export function summarize(x: SummaryInput, notes: string[]): Pick<FindingsRun, 'summary' | 'sources'> {
  const { opts, disc, plan, loaded, results, mapped, counters } = x;
  const summary: RunSummary = {
    files:
      loaded.filter((l) => !l.render).length +
      plan.charts.reduce((n, c) => n + c.files.length, 0) +
      plan.kustomizeFiles.length +
      plan.unlisted.length,
    objects: 0,
    errors: 0,
    warnings: 0,
    infos: 0,
    suppressed: 0,
    skipped:
      plan.unlisted.length +
      disc.ignored +
      disc.strayTemplates.length +
      loaded.filter((l) => l.notManifest || l.kustomizePartial || l.testAssertion).length,
    notValidated: counters.notValidated,
  };
  for (const r of results) {
    summary.objects += r.objectCount;
    // a result the incremental state kept knows its counts without decoding its findings
    const [errors, warnings, infos, suppressed] = countsOf(r);
    summary.errors += errors;
    summary.warnings += warnings;
    summary.infos += infos;
    summary.suppressed += suppressed;
  }
  for (const id of [...counters.inlineMessages].sort()) {
    notes.push(
      `rule ${id} reports inline messages, which is deprecated: declare meta.messages and report a messageId with data (see CONTRIBUTING.md)`,
    );
  }
  if (plan.components.length)
    notes.push(
      `kustomize component(s) ${plan.components.map((c) => c.display).join(', ')} are used by no kustomization in the input and were not linted: lint the kustomizations that use them`,
    );
  if (plan.unlisted.length)
    notes.push(
      `${plan.unlisted.length} file(s) in kustomize directories are listed in no kustomization and hold patches or incomplete objects (a file of complete objects is linted on its own), so they were not linted: ${plan.unlisted.map((f) => f.display).join(', ')}`,
    );
  if (disc.strayTemplates.length)
    notes.push(
      `${disc.strayTemplates.map((f) => f.display).join(', ')}: template file(s) outside any Helm chart (no Chart.yaml above them) are not manifests and were not linted`,
    );
  if (disc.ignored) notes.push(`${disc.ignored} file(s) matched ignore patterns and were not linted`);
  // never a green run that checked nothing (the files are CI workflows, compose files, package.json: no manifest)
  if (summary.objects === 0 && summary.files > 0 && summary.errors === 0) {
    // kustomizations that need files a setup step makes (git-ignored, missing): say so, not "point at the manifests"
    const notBuilt = results.filter((r) =>
      r.findings.some((f) => f.ruleId === 'kustomize-render' && f.messageId === 'notGenerated'),
    ).length;
    notes.push(
      notBuilt
        ? `no Kubernetes object was linted, so nothing was checked: ${plural(notBuilt, 'kustomization')} ${notBuilt === 1 ? 'needs' : 'need'} files a setup step makes (the infos at their entries name them); make them and lint again`
        : `no Kubernetes object (a document with apiVersion and kind) is in the ${plural(summary.files, 'file')} given, so nothing was checked: point k8s-gold at the manifests, charts or kustomizations`,
    );
  }
  const sources = new Map<string, { abs: string; text: string }>();
  for (const l of loaded) {
    // (an unchanged file of an incremental run was readable: its early findings, made when read, are not read here)
    if (l.render || (!l.unchanged && l.early.some((e) => e.ruleId === 'unreadable-file'))) continue;
    // a file the incremental cache replayed reads its text when asked for: most runs never ask
    if (Object.getOwnPropertyDescriptor(l, 'text')?.get)
      sources.set(l.file.path, {
        abs: l.file.absPath,
        get text(): string {
          return l.text ?? '';
        },
      });
    else if (l.text !== undefined) sources.set(l.file.path, { abs: l.file.absPath, text: l.text });
  }
  // the source files that rendered findings' suggestions edit (their offsets are into these texts)
  for (const r of mapped.values()) {
    if (sources.has(r.filePath) || !r.findings.some((f) => f.suggestions?.length)) continue;
    const abs = path.resolve(opts.cwd, r.filePath);
    const text = x.sourceText(abs);
    if (text !== undefined) sources.set(r.filePath, { abs, text });
  }
  return { summary, sources };
}
