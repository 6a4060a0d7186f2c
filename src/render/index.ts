import { displayPath } from '../load/discover.js';
import type { LintSuggestion } from '../engine/result.js';
import type { Finding } from '../engine/finding.js';
import type { ManifestObject, Obj } from '../model/object.js';
import type { ParseOutput } from '../parse/parse.js';
import type { Path } from '../parse/source.js';
import { runAll } from './exec.js';
import type { PreparedRender, RenderFailure, SourcePlace } from './helm.js';
import { movedSuggestions, sameAtPath } from './source-edits.js';
export { sourceText } from './source-edits.js';
import { prepareKustomize, sourceSuppression, type KustomizeRendered } from './kustomize.js';
import type { RenderPlan } from './plan.js';
export { kustomizeTargetsOf, planRenders, configuredPackages, valuesOwners } from './plan.js';
export type { KustomizeTarget, RenderPlan, PlanOptions } from './plan.js';
export { remapResult, mergeResults, nameAmbiguousBuilds, valuesRenders } from './remap.js';
import { helmCommand, isLibraryChart, kustomizeCommand, type RenderOptions } from './setup.js';
import { mergeSameErrors } from './merge-errors.js';
import { prepareCharts } from './render-helm.js';
export type { RenderOptions } from './setup.js';

/** What the engine needs to map the findings of one rendered input. */
export interface RenderMapping {
  kind: 'helm' | 'kustomize';
  /** the profile's name when the chart has several */
  profile?: string;
  /** the source file an object came from (for `files:` overrides) */
  objectFile(obj: ManifestObject<Obj>): string;
  /** the source place of an object (its kind: line) */
  objectPlace(obj: ManifestObject<Obj>): SourcePlace;
  /** the source place of a finding (rendered positions in, source positions out) */
  place(f: Finding): SourcePlace;
  /** whether a file-level suppression comment on a rendered line covers another rendered line (same template) */
  sameSource(a: number, b: number): boolean;
  /** a suppression comment in the source file that covers a finding at a source place (for renders that drop comments) */
  sourceSuppression?(place: SourcePlace, ruleId: string): { reason: string; kind: 'line' | 'file' } | undefined;
  /**
   * The finding's fix and suggestions as suggestions on its source file, where the mapping is exact
   * (source-edits.ts); `relint` lints a plain-YAML source file on its own, with fixes.
   */
  sourceSuggestions?(f: Finding, relint: (abs: string) => Finding[]): { abs: string; suggestions: LintSuggestion[] } | undefined;
}

export interface RenderedInput {
  /** name of the rendered output, e.g. charts/web[helm template] */
  display: string;
  abs: string;
  text: string;
  /** called with the parse of `text` */
  mapping(parse: ParseOutput): RenderMapping;
}

export interface RenderError {
  ruleId: 'helm-render' | 'kustomize-render';
  abs: string;
  place: SourcePlace;
  /** a message of the rule (rules/helm-render, rules/kustomize-render), with its data */
  messageId: string;
  data: Record<string, string>;
  /** a note about a render that was linted (not a failure) */
  linted?: boolean;
}

function decodePointer(p: string | undefined): Path | undefined {
  if (p === undefined) return undefined;
  if (p === '') return [];
  return p
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

export function renderAll(plan: RenderPlan, opts: RenderOptions): { inputs: RenderedInput[]; errors: RenderError[]; notes: string[] } {
  const cfg = opts.config.data;
  const inputs: RenderedInput[] = [];
  const errors: RenderError[] = [];
  const notes: string[] = [];
  // every render is prepared, then all their commands run at once (bounded), then their results are read in plan order
  const steps: { prepared?: PreparedRender<unknown>; done: (r: unknown) => void }[] = [];
  const cleanups: (() => void)[] = [];
  const libraries = plan.charts.filter((c) => isLibraryChart(c.dir));
  if (libraries.length)
    notes.push(
      `library chart(s) ${libraries.map((c) => c.display).join(', ')} have no manifests of their own and were not rendered: their templates are linted through the charts that use them`,
    );
  try {
    const retries: (() => void)[] = [];
    const retried: typeof steps = [];
    prepareCharts(plan, opts, libraries, { inputs, errors, steps, cleanups, retries, retried });
    for (const k of plan.kustomizations) {
      const display = displayPath(k.dir, opts.cwd);
      const done = (r: KustomizeRendered | RenderFailure): void => {
        if (!r.ok) {
          // a generator or transformer that is an external plugin (KRM function, exec plugin): kustomize runs it only
          // with --enable-alpha-plugins, which k8s-gold does not pass (it runs no plugin): not a broken kustomization
          const plugin = /external plugins disabled; unable to load external plugin '([^']*)'/.exec(r.message)?.[1];
          errors.push({
            ruleId: 'kustomize-render',
            abs: r.place.abs,
            place: r.place,
            messageId: plugin !== undefined ? 'pluginNotRun' : r.gitIgnored ? 'notGenerated' : 'failed',
            data: plugin !== undefined ? { dir: display, plugin } : { dir: display, error: r.message },
          });
          return;
        }
        const o = r.outsideRoot;
        // one note at the entry, however many overlays build on the kustomization that lists it
        if (o && !errors.some((e) => e.messageId === 'outsideRoot' && e.abs === o.place.abs && e.place.line === o.place.line))
          errors.push({
            ruleId: 'kustomize-render',
            abs: o.place.abs,
            place: o.place,
            messageId: 'outsideRoot',
            data: { file: o.file },
            linted: true,
          });
        inputs.push({
          display: `${display}[kustomize build]`,
          abs: k.dir,
          text: r.text,
          mapping: (parse) => {
            const m = r.mapper(parse);
            return {
              kind: 'kustomize',
              objectFile: (obj) => m.sourceOf(obj.doc.index) ?? k.file,
              place: (msg) =>
                (msg.object ? m.place(msg.object.document, decodePointer(msg.path)) : undefined) ?? {
                  abs: k.file,
                  line: 1,
                  column: 1,
                  endColumn: 1,
                },
              objectPlace: (obj) => m.place(obj.doc.index, ['kind']) ?? { abs: k.file, line: 1, column: 1, endColumn: 1 },
              sameSource: () => true,
              sourceSuppression: (p, ruleId) => sourceSuppression(p.abs, ruleId, p.line),
              sourceSuggestions: (msg, relint) => {
                if (!msg.object || msg.path === undefined || (!msg.fix && !msg.suggestions?.length)) return undefined;
                const src = m.sourceDoc(msg.object.document);
                const p = decodePointer(msg.path);
                if (!src || !p || !sameAtPath(src.value, src.rendered, p)) return undefined;
                // the same finding on the source document, computed on its own text
                const same = relint(src.abs).filter(
                  (x) => x.ruleId === msg.ruleId && x.path === msg.path && x.object?.document === src.doc && x.messageId === msg.messageId,
                );
                if (same.length !== 1) return undefined;
                const suggestions = movedSuggestions(same[0]!, (e) => e);
                return suggestions.length ? { abs: src.abs, suggestions } : undefined;
              },
            };
          },
        });
      };
      const prepared = prepareKustomize(
        k.dir,
        kustomizeCommand(cfg, opts.config.dir),
        cfg.kustomize?.allowRemote,
        helmCommand(cfg, opts.config.dir),
        cfg.kustomize?.loadRestrictor,
        opts.cwd,
      );
      if ('ok' in prepared) steps.push({ done: () => done(prepared) });
      else steps.push({ prepared, done: done as (r: unknown) => void });
    }
    runSteps(steps);
    // a second round: charts whose defaults stopped the render, with their chart-testing values
    for (const r of retries) r();
    runSteps(retried);
  } finally {
    for (const c of cleanups) c();
  }
  return { inputs, errors: mergeSameErrors(errors), notes };
}

/** Runs the steps' commands at once (bounded), then reads their results in order. */
function runSteps(steps: { prepared?: PreparedRender<unknown>; done: (r: unknown) => void }[]): void {
  const results = runAll(steps.flatMap((s) => s.prepared?.jobs ?? []));
  let i = 0;
  for (const s of steps) {
    if (!s.prepared) {
      s.done(undefined);
      continue;
    }
    const n = s.prepared.jobs.length;
    s.done(s.prepared.finish(results.slice(i, i + n)));
    i += n;
  }
}
