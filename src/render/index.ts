/**
 * Helm charts and kustomize targets: which inputs are rendered, rendering
 * them, and mapping findings in the rendered output back to the file and line
 * the user edits.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { displayPath } from '../load/discover.js';
import type { FixEdit, LintSuggestion } from '../engine/result.js';
import type { Finding } from '../engine/finding.js';
import { HELM_RENDER_MARK, type ManifestObject, type Obj } from '../model/object.js';
import type { ParseOutput } from '../parse/parse.js';
import type { Path } from '../parse/source.js';
import { runAll } from './exec.js';
import { prepareChart, preloadLines, type HelmRendered, type PreparedRender, type RenderFailure, type SourcePlace } from './helm.js';
import { unpackChart } from './package.js';
import { helmSourceEdit, movedSuggestions, sameAtPath } from './source-edits.js';
export { sourceText } from './source-edits.js';
import { prepareKustomize, sourceSuppression, type KustomizeRendered } from './kustomize.js';
import type { RenderPlan } from './plan.js';
import { inPackageNote } from './remap.js';
export { kustomizeTargetsOf, planRenders, configuredPackages, valuesOwners } from './plan.js';
export type { KustomizeTarget, RenderPlan, PlanOptions } from './plan.js';
export { remapResult, mergeResults, nameAmbiguousBuilds } from './remap.js';
import { helmCommand, isLibraryChart, kustomizeCommand, packagedPlace, profilesFor, type RenderOptions } from './setup.js';
import { mergeSameErrors } from './merge-errors.js';
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
    for (const chart of plan.charts) {
      if (libraries.includes(chart)) continue;
      // a packaged chart is unpacked for the render and its places are reported at the .tgz
      let chartDir = chart.dir;
      let tmp: string | undefined;
      const at = (p: SourcePlace): SourcePlace => (tmp && p.abs.startsWith(tmp + path.sep) ? packagedPlace(chart.dir, tmp, p) : p);
      if (chart.packaged) {
        const u = unpackChart(chart.dir);
        if (!u.ok) {
          steps.push({
            done: () =>
              errors.push({
                ruleId: 'helm-render',
                abs: chart.dir,
                place: { abs: chart.dir, line: 1, column: 1, endColumn: 1 },
                messageId: 'failed',
                data: { chart: chart.display, error: u.message },
              }),
          });
          continue;
        }
        chartDir = u.chartDir;
        tmp = u.tmp;
        const t = tmp;
        cleanups.push(() => {
          // the mapping reads the templates after the render: keep their text, then remove the unpacked copy
          preloadLines(t);
          fs.rmSync(t, { recursive: true, force: true });
        });
      }
      const profiles = profilesFor(chart, cfg, opts);
      for (const profile of profiles) {
        const label = profiles.length > 1 ? profile.name : undefined;
        const done = (r: HelmRendered | RenderFailure): void => {
          if (!r.ok) {
            const place = at(r.place);
            // helm's message, with its place in a packaged chart
            const error = `${r.message}${inPackageNote(place)}`;
            errors.push({
              ruleId: 'helm-render',
              abs: place.abs,
              place,
              ...(label
                ? { messageId: 'profileFailed', data: { chart: chart.display, profile: label, error } }
                : { messageId: 'failed', data: { chart: chart.display, error } }),
            });
            return;
          }
          if (r.remoteSchema)
            errors.push({
              ruleId: 'helm-render',
              abs: r.remoteSchema.place.abs,
              place: at(r.remoteSchema.place),
              messageId: 'schemaNotChecked',
              data: { chart: chart.display, url: r.remoteSchema.url },
            });
          for (const d of r.skippedDependencies ?? [])
            errors.push({
              ruleId: 'helm-render',
              abs: d.place.abs,
              place: at(d.place),
              messageId: 'dependencyOff',
              data: { chart: chart.display, name: d.name, reason: d.reason },
            });
          inputs.push({
            display: `${chart.display}${HELM_RENDER_MARK}${label ? `:${label}` : ''}]`,
            abs: chart.dir,
            text: r.text,
            mapping: (parse) => {
              const m = r.mapper(parse);
              const docLine = (obj: ManifestObject<Obj>): number =>
                parse.source.position(obj.doc.rootSpan.vs >= 0 ? obj.doc.rootSpan.vs : 0).line;
              return {
                kind: 'helm',
                profile: label,
                objectFile: (obj) => {
                  const f = m.sourceOf(docLine(obj));
                  return f === undefined || (tmp && f.startsWith(tmp + path.sep)) ? chart.dir : f;
                },
                place: (f) => at(m.place(f.range.line)),
                objectPlace: (obj) => at(m.place(obj.rangeOf(['kind']).range.line)),
                sameSource: (a, b) => m.sourceOf(a) === m.sourceOf(b),
                sourceSuggestions: (msg) => {
                  // a packaged chart's templates are inside the .tgz: nothing to edit
                  if (tmp) return undefined;
                  let abs: string | undefined;
                  const move = (e: FixEdit): FixEdit | undefined => {
                    const x = helmSourceEdit(parse.source, m.ownLine, e);
                    if (!x || (abs !== undefined && x.abs !== abs)) return undefined;
                    abs = x.abs;
                    return x.fix;
                  };
                  const suggestions = movedSuggestions(msg, move);
                  return abs && suggestions.length ? { abs, suggestions } : undefined;
                },
              };
            },
          });
        };
        const prepared = prepareChart(chartDir, profile, {
          command: helmCommand(cfg, opts.config.dir),
          dependencyUpdate: opts.dependencyUpdate ?? cfg.helm?.dependencyUpdate,
        });
        if ('ok' in prepared) steps.push({ done: () => done(prepared) });
        else steps.push({ prepared, done: done as (r: unknown) => void });
      }
    }
    for (const k of plan.kustomizations) {
      const display = displayPath(k.dir, opts.cwd);
      const done = (r: KustomizeRendered | RenderFailure): void => {
        if (!r.ok) {
          errors.push({
            ruleId: 'kustomize-render',
            abs: r.place.abs,
            place: r.place,
            messageId: 'failed',
            data: { dir: display, error: r.message },
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
      );
      if ('ok' in prepared) steps.push({ done: () => done(prepared) });
      else steps.push({ prepared, done: done as (r: unknown) => void });
    }
    const jobs = steps.flatMap((s) => s.prepared?.jobs ?? []);
    const results = runAll(jobs);
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
  } finally {
    for (const c of cleanups) c();
  }
  return { inputs, errors: mergeSameErrors(errors), notes };
}
