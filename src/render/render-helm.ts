/** The Helm charts of a render plan: each profile's render prepared, and what its result becomes (inputs to lint, errors). */
import * as path from 'node:path';
import type { FixEdit } from '../engine/result.js';
import { HELM_RENDER_MARK, type ManifestObject, type Obj } from '../model/object.js';
import {
  prepareChart,
  preloadLines,
  type HelmProfile,
  type HelmRendered,
  type PreparedRender,
  type RenderFailure,
  type SourcePlace,
} from './helm.js';
import type { RenderedInput, RenderError } from './index.js';
import { unpackChart } from './package.js';
import type { RenderPlan } from './plan.js';
import { inPackageNote } from './remap.js';
import { lookupBeforeStop } from './helm-lookup.js';
import { valuesTemplateOf } from './helm-failure.js';
import { ciValuesFor, helmCommand, packagedPlace, profilesFor, type RenderOptions } from './setup.js';
import { helmSourceEdit, movedSuggestions } from './source-edits.js';
import * as fs from 'node:fs';

export interface RenderSink {
  inputs: RenderedInput[];
  errors: RenderError[];
  steps: { prepared?: PreparedRender<unknown>; done: (r: unknown) => void }[];
  cleanups: (() => void)[];
  /** renders to prepare once the first round is read (a chart's chart-testing values), and the steps they make */
  retries: (() => void)[];
  retried: { prepared?: PreparedRender<unknown>; done: (r: unknown) => void }[];
}

export function prepareCharts(plan: RenderPlan, opts: RenderOptions, libraries: RenderPlan['charts'], sink: RenderSink): void {
  const cfg = opts.config.data;
  const { inputs, errors, steps, cleanups } = sink;
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
    // with no profile or values given, a chart whose defaults stop the render is rendered with its chart-testing values
    let ciFiles: string[] | undefined;
    const ciList = (): string[] => (ciFiles ??= ciValuesFor(chart, chartDir, cfg, opts));
    const render = (profile: HelmProfile, label: string | undefined, into: RenderSink['steps'], ciValues = false): void => {
      const done = (r: HelmRendered | RenderFailure): void => {
        if (!r.ok) {
          const place = at(r.place);
          // helm's message, with its place in a packaged chart
          const error = `${r.message}${inPackageNote(place)}`;
          // a Chart.yaml that is itself a Go template: the source a release script generates a chart from
          const source = !tmp && /cannot load Chart\.ya?ml/.test(r.message) ? templatedChartFile(chartDir) : undefined;
          if (source) {
            errors.push({
              ruleId: 'helm-render',
              abs: source.abs,
              place: { abs: source.abs, line: source.line, column: source.column, endColumn: source.column + source.text.length },
              messageId: 'chartIsTemplate',
              data: { chart: chart.display, file: path.basename(source.abs), text: source.text },
            });
            return;
          }
          // a template that renders a list (linkerd's `patch` chart: the JSON patch its proxy injector applies): the
          // chart generates something other than manifests, which helm refuses to split into objects
          const list = /YAML parse error on (\S+): .*cannot unmarshal array into Go value of type \S*SimpleHead/.exec(r.message);
          if (list) {
            errors.push({
              ruleId: 'helm-render',
              abs: place.abs,
              place,
              messageId: 'rendersList',
              data: { chart: chart.display, template: list[1]!, error },
            });
            return;
          }
          if (r.stopped && !label && ciList().length) {
            const ci = ciList();
            errors.push({
              ruleId: 'helm-render',
              abs: place.abs,
              place,
              messageId: 'chartTestingValues',
              data: { chart: chart.display, error: r.stoppedBy ?? error, files: ci.map((f) => path.relative(chartDir, f)).join(', ') },
              linted: true,
            });
            for (const f of ci) {
              const name = path.relative(chartDir, f).split(path.sep).join('/');
              sink.retries.push(() => render({ ...profile, name, values: [...(profile.values ?? []), f] }, name, sink.retried, true));
            }
            return;
          }
          // no values.yaml, only the template a build step generates it from, and no values given: the chart's source
          const valuesTemplate = !tmp && !profile.values?.length && !profile.set?.length ? valuesTemplateOf(chartDir) : undefined;
          if (valuesTemplate) {
            const data = { chart: chart.display, template: valuesTemplate, error };
            errors.push({ ruleId: 'helm-render', abs: place.abs, place, messageId: 'valuesGenerated', data });
            return;
          }
          // stopped after a `lookup`, which finds nothing offline: whether it renders on a cluster is not known here
          const lookup = r.stopped && fs.existsSync(chartDir) ? lookupBeforeStop(chartDir, r.stoppedBy ?? '') : undefined;
          if (lookup) {
            const where = `${path.relative(chartDir, lookup.abs).split(path.sep).join('/')}:${lookup.line}`;
            const data = { chart: chart.display, profile: label ? ` (profile ${label})` : '', error: r.stoppedBy ?? error, lookup: where };
            errors.push({ ruleId: 'helm-render', abs: place.abs, place, messageId: 'lookupStop', data });
            return;
          }
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
        if (r.namespaced)
          errors.push({
            ruleId: 'helm-render',
            abs: r.namespaced.place.abs,
            place: at(r.namespaced.place),
            messageId: 'namespaceRefused',
            data: { chart: chart.display, namespace: r.namespaced.namespace },
          });
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
              // the same finding from several chart-testing values files is one finding; differing ones name their file
              profile: ciValues ? undefined : label,
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
      if ('ok' in prepared) into.push({ done: () => done(prepared) });
      else into.push({ prepared, done: done as (r: unknown) => void });
    };
    for (const profile of profiles) render(profile, profiles.length > 1 ? profile.name : undefined, steps);
  }
}

/** The first `{{ ... }}` of a chart's Chart.yaml outside comments: the file is a template a chart is generated from. */
function templatedChartFile(chartDir: string): { abs: string; line: number; column: number; text: string } | undefined {
  for (const name of ['Chart.yaml', 'Chart.yml']) {
    const abs = path.join(chartDir, name);
    let text: string;
    try {
      text = fs.readFileSync(abs, 'utf8');
    } catch {
      continue;
    }
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (/^\s*#/.test(lines[i]!)) continue;
      const m = /\{\{.*?\}\}/.exec(lines[i]!);
      if (m) return { abs, line: i + 1, column: m.index + 1, text: m[0] };
    }
    return undefined;
  }
  return undefined;
}
