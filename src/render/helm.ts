/**
 * Rendering a Helm chart with `helm template`, and mapping every line of the
 * output back to the template line that wrote it.
 *
 * Files: helm's `# Source: <chart name>/templates/x.yaml` comments (the prefix
 * is the name in Chart.yaml, not the directory name).
 * Lines: the guarded marker technique. A copy of the chart gets a marker
 * comment (`#k8sgold@<file>:<line>`) on every template line that is a key or a
 * list item outside block scalars and actions; both copies are rendered, and
 * the markers are trusted for a document only when both renders of it parse
 * to identical objects. A rendered line then maps to the marker on its line,
 * else to the nearest marker above it (lines written by `include` or `toYaml`
 * map to the including line). Documents the guard rejects map to their
 * template's `kind:` line.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { HelmProfileConfig } from '../config/config.js';
import type { ParseOutput } from '../parse/parse.js';
import { run, type Command, type ExecResult, type Job } from './exec.js';
import { derandomize, hasRandom, markTemplate, templateFiles } from './helm-mark.js';
import { buildLineMap } from './helm-linemap.js';
import { chartPath, copyForPlan, planMissing, type DisabledDependency } from './helm-deps.js';
import { dependencyPlace, remoteSchemaRef } from './helm-places.js';
import { helmFailure } from './helm-failure.js';
export { markTemplate } from './helm-mark.js';
import { resetHelmCaches as resetLines } from './helm-linemap.js';
import { packagedSubchart, resetSubcharts } from './helm-subchart.js';
export { preloadLines } from './helm-linemap.js';

/** Forgets the template texts and packaged subcharts read (called at the start of each run). */
export function resetHelmCaches(): void {
  resetLines();
  resetSubcharts();
}

/** A render profile as the config declares it, named, with its values files made absolute. */
export type HelmProfile = Omit<HelmProfileConfig, 'name'> & { name: string };

export interface HelmOptions {
  command: Command;
  dependencyUpdate?: boolean;
  /** helm template --skip-schema-validation (the values schema refers to a URL helm would download) */
  skipSchemaValidation?: boolean;
}

/** A place in a source file. */
export interface SourcePlace {
  abs: string;
  line: number;
  column: number;
  endColumn: number;
  /** the values the line was written from, when an action (toYaml, include) wrote it from `.Values.<path>` */
  values?: string;
  /** for a packaged chart (`abs` is the .tgz): `<chart>/templates/x.yaml:line:column` inside the archive */
  inPackage?: string;
  /** the archive `inPackage` is in, when `abs` is not that archive (a packaged subchart, placed at its dependency entry) */
  packageFile?: string;
}

export interface RenderFailure {
  ok: false;
  place: SourcePlace;
  message: string;
  /** a template stopped the render with `required` or `fail`, or the values fail the chart's schema: the chart needs values */
  stopped?: boolean;
  /** helm's message alone, without the hint, for a stopped render */
  stoppedBy?: string;
  /** a kustomization that lists a missing file its repository git-ignores (a setup step makes it) */
  gitIgnored?: boolean;
}

export interface HelmRendered {
  ok: true;
  text: string;
  chartName: string;
  /** builds the line map from the parse of `text` */
  mapper(parse: ParseOutput): HelmLineMap;
  /** dependencies not vendored in charts/ but switched off by the values: the chart was rendered without them */
  skippedDependencies?: (DisabledDependency & { place: SourcePlace })[];
  /** the values schema's `$ref` to a URL: rendered with --skip-schema-validation, the values not checked */
  remoteSchema?: { place: SourcePlace; url: string };
  /** the chart refused the default namespace (`fail` at `place`): rendered with --namespace `namespace` */
  namespaced?: { namespace: string; place: SourcePlace };
}

export interface HelmLineMap {
  /** the template place that wrote a rendered line (1-based) */
  place(line: number): SourcePlace;
  /** the template file of a rendered line (its `# Source:`), or undefined before the first one */
  sourceOf(line: number): string | undefined;
  /** how many documents were mapped to lines (markers trusted) and how many to their template's kind line */
  stats: { lines: number; fallback: number };
  /**
   * The template line that wrote a rendered line itself: the line's own marker
   * in a trusted document (not the nearest marker above, as for lines written
   * by actions), or undefined.
   */
  ownLine(line: number): { abs: string; line: number } | undefined;
}

export function chartName(chartDir: string): { ok: true; name: string } | RenderFailure {
  const file = fs.existsSync(path.join(chartDir, 'Chart.yaml')) ? path.join(chartDir, 'Chart.yaml') : path.join(chartDir, 'Chart.yml');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return {
      ok: false,
      place: { abs: file, line: 1, column: 1, endColumn: 1 },
      message: `cannot read ${path.basename(file)}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
    };
  }
  const m = /^name:\s*["']?([^"'#\s]+)/m.exec(text);
  if (!m)
    return {
      ok: false,
      place: { abs: file, line: 1, column: 1, endColumn: 1 },
      message: `${path.basename(file)} has no name; helm cannot render the chart`,
    };
  return { ok: true, name: m[1]! };
}

function templateArgs(chartPath: string, p: HelmProfile, opts: HelmOptions): string[] {
  const args = ['template', p.releaseName ?? 'release-name', chartPath];
  if (opts.skipSchemaValidation) args.push('--skip-schema-validation');
  for (const v of p.values ?? []) args.push('--values', v);
  for (const s of p.set ?? []) args.push('--set', s);
  if (p.namespace) args.push('--namespace', p.namespace);
  if (p.kubeVersion) args.push('--kube-version', p.kubeVersion);
  for (const a of p.apiVersions ?? []) args.push('--api-versions', a);
  if (p.skipTests) args.push('--skip-tests');
  if (p.includeCrds) args.push('--include-crds');
  return args;
}

export function renderChart(chartDir: string, profile: HelmProfile, opts: HelmOptions): HelmRendered | RenderFailure {
  const p = prepareChart(chartDir, profile, opts);
  if ('ok' in p) return p;
  return p.finish(p.jobs.map((j) => run(j.cmd, j.args, j.cwd)));
}

/** A render prepared to run with others: its commands, then what makes the result of their outputs (and removes the marked copy). */
export interface PreparedRender<T> {
  jobs: Job[];
  finish(results: ExecResult[]): T | RenderFailure;
}

/**
 * The two helm runs of a chart and profile (the chart, and its copy with line
 * markers), to run with other renders; finish() maps their outputs.
 */
export function prepareChart(chartDir: string, profile: HelmProfile, given: HelmOptions): PreparedRender<HelmRendered> | RenderFailure {
  const named = chartName(chartDir);
  if (!named.ok) return named;
  const remoteSchema = given.dependencyUpdate ? undefined : remoteSchemaRef(chartDir);
  const opts = remoteSchema ? { ...given, skipSchemaValidation: true } : given;
  const name = named.name;
  const chartFile = fs.existsSync(path.join(chartDir, 'Chart.yaml')) ? path.join(chartDir, 'Chart.yaml') : path.join(chartDir, 'Chart.yml');
  const first = renderJobs(chartDir, chartDir, profile, opts);
  return {
    jobs: first.jobs,
    finish: ([r0, m0]) => {
      first.cleanup();
      let [r, m] = [r0!, m0];
      let files = first.files;
      let skipped: DisabledDependency[] | undefined;
      let redirect: Map<string, string> | undefined;
      if (!r.startError && !r.ok) {
        // dependencies missing from charts/ but kept in the repository (file://) or switched off by the values: a copy renders
        const missing = /missing in charts\/ directory: ([^\n]+)/
          .exec(r.stderr)?.[1]
          ?.split(',')
          .map((x) => x.trim())
          .filter(Boolean);
        const plan = missing && !opts.dependencyUpdate ? planMissing(chartDir, chartFile, missing, profile) : undefined;
        if (plan) {
          const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-gold-deps-'));
          try {
            const copy = copyForPlan(chartDir, chartFile, plan, tmp);
            const local = new Map(plan.local.map((l) => [path.join('charts', l.name), l.dir]));
            const again = renderJobs(copy, chartDir, profile, opts, local);
            const [r2, m2] = again.jobs.map((j) => run(j.cmd, j.args, j.cwd));
            again.cleanup();
            if (r2!.ok) [r, m, files, skipped, redirect] = [r2!, m2, again.files, plan.off, local];
            // the dependencies were not the only problem: the copy's error is the one to fix next (values a chart requires)
            else if (!r2!.startError) r = r2!;
          } catch {
            // the copy could not be made: helm's own error stands
          } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
          }
        }
      }
      if (r.startError) {
        return {
          ok: false,
          place: { abs: chartFile, line: 1, column: 1, endColumn: 1 },
          message: `cannot run ${opts.command.join(' ')} (${r.startError}), so this chart was not rendered or linted; install helm (k8s-gold does not download it) or set helm.command in the config`,
        };
      }
      // a chart that refuses the default namespace (nvidia-device-plugin: "Running in the 'default' namespace is not
      // recommended"): rendered as installed, in a namespace of its own, with an info at the `fail`
      let namespaced: HelmRendered['namespaced'];
      if (!r.ok && !profile.namespace && !skipped && /execution error at \(.*namespace/is.test(r.stderr)) {
        const again = renderJobs(chartDir, chartDir, { ...profile, namespace: name }, opts);
        const [r2, m2] = again.jobs.map((j) => run(j.cmd, j.args, j.cwd));
        again.cleanup();
        if (r2!.ok) {
          namespaced = { namespace: name, place: helmFailure(r.stderr, name, chartDir, chartFile).place };
          [r, m, files] = [r2!, m2, again.files];
        }
      }
      if (!r.ok) return helmFailure(r.stderr, name, chartDir, chartFile);
      const text = r.stdout;
      const marked = m?.ok ? m.stdout : undefined;
      const rendered: HelmRendered = {
        ok: true,
        text,
        chartName: name,
        mapper: (parse) =>
          buildLineMap(parse, marked, files, name, chartDir, chartFile, redirect, (rel) => packagedSubchart(chartDir, rel)),
      };
      if (remoteSchema) rendered.remoteSchema = remoteSchema;
      if (namespaced) rendered.namespaced = namespaced;
      if (skipped?.length) rendered.skippedDependencies = skipped.map((d) => ({ ...d, place: dependencyPlace(chartFile, d.name) }));
      return rendered;
    },
  };
}

/**
 * The two helm runs of a chart directory (`dir`: the chart, or a copy of it): the chart itself, and a copy with
 * line markers whose render is read only to map lines. `files` name the templates as they are in `chartDir`.
 */
function renderJobs(
  dir: string,
  chartDir: string,
  profile: HelmProfile,
  opts: HelmOptions,
  redirect?: Map<string, string>,
): { jobs: Job[]; files: string[]; cleanup: () => void } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-gold-chart-'));
  const noGit = (src: string): boolean => path.basename(src) !== '.git';
  // a chart with random values renders from a copy where they are fixed (derandomize), so every run prints the same
  let plainDir = dir;
  if (templateFiles(dir).some((t) => hasRandom(fs.readFileSync(t, 'utf8')))) {
    plainDir = path.join(tmp, 'plain', path.basename(chartDir));
    fs.cpSync(dir, plainDir, { recursive: true, dereference: true, filter: noGit });
    for (const t of templateFiles(plainDir)) fs.writeFileSync(t, derandomize(fs.readFileSync(t, 'utf8')));
  }
  const args = templateArgs(plainDir, profile, opts);
  if (opts.dependencyUpdate) args.push('--dependency-update');
  const jobs: Job[] = [{ cmd: opts.command, args, cwd: plainDir }];
  const copy = path.join(tmp, path.basename(chartDir));
  const files: string[] = [];
  try {
    fs.cpSync(dir, copy, { recursive: true, dereference: true, filter: noGit });
    for (const t of templateFiles(copy)) {
      const idx = files.length;
      files.push(chartPath(chartDir, path.relative(copy, t), redirect));
      fs.writeFileSync(t, markTemplate(derandomize(fs.readFileSync(t, 'utf8')), idx));
    }
    jobs.push({ cmd: opts.command, args: templateArgs(copy, profile, opts), cwd: copy });
  } catch {
    // no marked render: findings map to their template's kind: line
  }
  return { jobs, files, cleanup: () => fs.rmSync(tmp, { recursive: true, force: true }) };
}
