/**
 * Kustomize: which directories are targets, rendering them with `kustomize
 * build` or `kubectl kustomize`, and mapping findings back to the source files.
 *
 * Origins: kustomize has no CLI flag for origin annotations, so a temporary
 * kustomization that lists the target (by relative path) and sets
 * `buildMetadata: [originAnnotations]` is built besides the plain build; the
 * objects of both builds come in the same order.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ParseOutput } from '../parse/parse.js';
import { run, which, type Command, type Job } from './exec.js';
import type { PreparedRender, RenderFailure, SourcePlace } from './helm.js';
import { gitIgnoredBy } from '../load/gitignore.js';
import { helmChartsOf, kustomizationFile, kustomizationRefs, parsedRefs, templateOf } from './kustomization.js';
import { buildKustomizeMap, sources, type KustomizeMap } from './kustomize-map.js';
import { patchTargetMissing, stripOrigins } from './kustomize-output.js';
export { KUSTOMIZATION_NAMES, kustomizationFile, kustomizationRefs, helmChartsOf } from './kustomization.js';
export type { KustomizationRefs } from './kustomization.js';
export { sourceSuppression } from './kustomize-map.js';
export type { KustomizeMap } from './kustomize-map.js';

/** Forgets what was read from kustomizations and source files (called at the start of each run). */
export function resetKustomizeCaches(): void {
  parsedRefs.clear();
  sources.clear();
}

/** `kustomize.loadRestrictor`: unset builds a kustomization that reads files outside its directory with a note */
export type LoadRestrictor = 'rootOnly' | 'none';

export interface KustomizeRendered {
  ok: true;
  text: string;
  /** built with --load-restrictor LoadRestrictionsNone because of this file (kustomize.loadRestrictor unset) */
  outsideRoot?: { place: SourcePlace; file: string };
  mapper(parse: ParseOutput): KustomizeMap;
}

/** The place of the line of a kustomization that lists `entry` (its first line when none does). */
function entryPlace(kf: string, entry: string): SourcePlace {
  const lines = fs.readFileSync(kf, 'utf8').split('\n');
  const i = Math.max(
    0,
    lines.findIndex((l) => l.includes(entry)),
  );
  return { abs: kf, line: i + 1, column: (lines[i] ?? '').search(/\S/) + 1, endColumn: (lines[i] ?? '').trimEnd().length + 1 };
}

/**
 * The first remote resource, or missing local one, of a kustomization or the ones it builds on, with the place that
 * lists it: every kustomization built on a base with a missing file fails there, so the error is reported once, at it.
 */
type Broken = {
  place: SourcePlace;
  url?: string;
  missing?: string;
  generated?: boolean;
  field?: string;
  abs?: string;
  /** a directory listed as a resource that holds no kustomization file */
  noKustomization?: boolean;
};
function brokenResource(dir: string, allowRemote: boolean): Broken | undefined {
  const seen = new Set<string>();
  const visit = (d: string): Broken | undefined => {
    if (seen.has(d)) return undefined;
    seen.add(d);
    const refs = kustomizationRefs(d);
    const kf = kustomizationFile(d);
    const url = allowRemote ? undefined : refs.remote[0];
    const missing = url === undefined ? refs.missing[0] : undefined;
    const entry = url ?? missing;
    if (entry !== undefined && kf) {
      const place = entryPlace(kf, entry);
      return url !== undefined ? { url, place } : { missing, place, abs: path.resolve(d, missing!) };
    }
    const listed = kf ? refs.missingFiles[0] : undefined;
    if (listed !== undefined)
      return { missing: listed.entry, place: entryPlace(kf!, listed.entry), field: listed.field, abs: path.resolve(d, listed.entry) };
    // a file a configMapGenerator or secretGenerator reads (often git-ignored: `params.env`, made by a setup step)
    const source = kf ? refs.generatorSources.find((f) => !fs.existsSync(f)) : undefined;
    if (source !== undefined) {
      const rel = path.relative(d, source).split(path.sep).join('/');
      return { missing: rel, place: entryPlace(kf!, path.basename(source)), generated: true, abs: source };
    }
    for (const sub of refs.dirs) {
      // a directory listed as a resource without a kustomization file ("unable to find one of 'kustomization.yaml'"):
      // solr-operator's `make` copies config/manager/kustomization_base.yaml to a git-ignored kustomization.yaml
      if (kf && !kustomizationFile(sub)) {
        const entry = path.relative(d, sub).split(path.sep).join('/');
        const missing = `${entry}/kustomization.yaml`;
        return { missing, place: entryPlace(kf, entry), abs: path.join(sub, 'kustomization.yaml'), noKustomization: true };
      }
      const r = visit(sub);
      if (r) return r;
    }
    return undefined;
  };
  return visit(dir);
}

/**
 * The first file a kustomization, or one it builds on, reads from outside its own directory (a resource, patch or
 * generator file `../bases/x.yaml`), as written and with the place that lists it: kustomize's default load
 * restrictor (LoadRestrictionsRootOnly) refuses it ("security; file … is not in or below …"), and repositories
 * that do this build with `--load-restrictor LoadRestrictionsNone` (cluster-api's e2e templates, Flux).
 */
export function fileOutsideRoot(dir: string): { place: SourcePlace; file: string } | undefined {
  const seen = new Set<string>();
  const visit = (d: string): { place: SourcePlace; file: string } | undefined => {
    if (seen.has(d)) return undefined;
    seen.add(d);
    const refs = kustomizationRefs(d);
    const kf = kustomizationFile(d);
    for (const abs of [...refs.files, ...refs.generatorSources]) {
      const rel = path.relative(d, abs);
      if (kf && (rel.startsWith('..') || path.isAbsolute(rel))) {
        const file = rel.split(path.sep).join('/');
        return { place: entryPlace(kf, path.basename(abs)), file };
      }
    }
    for (const sub of refs.dirs) {
      const r = visit(sub);
      if (r) return r;
    }
    return undefined;
  };
  return visit(dir);
}

export function renderKustomize(
  dir: string,
  command: Command,
  allowRemote = false,
  helm: Command = ['helm'],
  loadRestrictor?: LoadRestrictor,
): KustomizeRendered | RenderFailure {
  const p = prepareKustomize(dir, command, allowRemote, helm, loadRestrictor);
  if ('ok' in p) return p;
  return p.finish(p.jobs.map((j) => run(j.cmd, j.args, j.cwd)));
}

/**
 * The two builds of a kustomization (plain, and through a temporary
 * kustomization with origin annotations), to run with other renders.
 */
export function prepareKustomize(
  dir: string,
  command: Command,
  allowRemote = false,
  helm: Command = ['helm'],
  loadRestrictor?: LoadRestrictor,
  cwd = process.cwd(),
): PreparedRender<KustomizeRendered> | RenderFailure {
  const kfile = kustomizationFile(dir)!;
  const broken = brokenResource(dir, allowRemote);
  if (broken?.url !== undefined) {
    return {
      ok: false,
      place: broken.place,
      message: `remote resource ${broken.url}: kustomize would fetch it from the network, which k8s-gold does not do by default; vendor it, or set kustomize.allowRemote: true in the config`,
    };
  }
  if (broken?.missing !== undefined) {
    // a git-ignored file a setup step writes (`make deploy` writes params.yaml), or one a script makes from a template
    // beside it (kubevirtci's sriovdp-config.yaml from sriovdp-config.yaml.in): the checkout is as its authors keep it
    const ignoredBy = broken.abs === undefined ? undefined : gitIgnoredBy(broken.abs, cwd);
    const template = broken.abs === undefined ? undefined : templateOf(broken.abs);
    if (ignoredBy !== undefined || template !== undefined)
      return {
        ok: false,
        place: broken.place,
        message: `${broken.missing} does not exist and ${template !== undefined ? `its template ${template} beside it does` : `is git-ignored (${ignoredBy})`}: a setup step makes it, so this kustomization was not built or linted; make the file (the repository's build or README says how) and lint again to check it`,
        gitIgnored: true,
      };
  }
  // a resource directory without a kustomization that nothing says is made: kustomize's own message says it
  if (broken?.missing !== undefined && !broken.noKustomization) {
    return {
      ok: false,
      place: broken.place,
      message: broken.generated
        ? `file ${broken.missing}, which a generator reads, does not exist, so kustomize cannot build it; create it (a git-ignored or generated file must exist before the lint), or remove the entry`
        : broken.field
          ? `file ${broken.missing}, listed under ${broken.field}, does not exist, so kustomize cannot build it; create it, or fix or remove the entry`
          : `resource ${broken.missing} does not exist, so kustomize cannot build it ("must resolve to a file"); create it (a generated file must be generated before the lint), or remove the entry`,
    };
  }
  // helmCharts: kustomize runs helm (--enable-helm, with the configured helm); a chart not vendored would be pulled
  const charts = helmChartsOf(dir);
  const flags: string[] = [];
  if (charts.length) {
    const missing = allowRemote ? undefined : charts.find((c) => !fs.existsSync(path.join(c.chartDir, 'Chart.yaml')));
    if (missing) {
      const lt = fs.readFileSync(missing.file, 'utf8').split('\n')[missing.line - 1] ?? '';
      const rel = path.relative(path.dirname(missing.file), missing.chartDir).split(path.sep).join('/');
      return {
        ok: false,
        place: { abs: missing.file, line: missing.line, column: lt.search(/\S/) + 1, endColumn: lt.trimEnd().length + 1 },
        message: `helm chart ${missing.name} is not vendored at ${rel}: kustomize would pull it${missing.repo ? ` from ${missing.repo}` : ''} over the network, which k8s-gold does not do by default; vendor it (helm pull --untar), or set kustomize.allowRemote: true in the config`,
      };
    }
    if (!which(helm[0]!)) {
      return {
        ok: false,
        place: { abs: charts[0]!.file, line: charts[0]!.line, column: 1, endColumn: 1 },
        message: `this kustomization inflates helmCharts, which kustomize does with helm, and ${helm[0]} was not found, so it was not built or linted; install helm 3 (k8s-gold does not download it) or set helm.command in the config`,
      };
    }
    flags.push('--enable-helm', '--helm-command', helm[0]!);
  }
  // files outside a kustomization's directory: built as the repository's own build does, with a note (unless configured)
  const outside = loadRestrictor === 'none' ? undefined : fileOutsideRoot(dir);
  if (outside && loadRestrictor === 'rootOnly') {
    return {
      ok: false,
      place: outside.place,
      message: `${outside.file} is outside the kustomization's directory, which kustomize refuses with kustomize.loadRestrictor rootOnly ("is not in or below"); move it under the kustomization, or make it a kustomization of its own and list its directory`,
    };
  }
  if (outside || loadRestrictor === 'none') flags.push('--load-restrictor', 'LoadRestrictionsNone');
  const plainJob: Job = { cmd: command, args: [...buildVerb(command), ...flags, dir], cwd: dir };
  // one build, with origin annotations, from a temporary kustomization that lists the target; the plain output is that
  // build without them (stripOrigins). Only when it fails (a component, which cannot be a resource) is the target
  // built as it is, for its output or for kustomize's own error
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-gold-kust-'));
  const rel = path.relative(tmp, dir).split(path.sep).join('/');
  fs.writeFileSync(path.join(tmp, 'kustomization.yaml'), `resources:\n- ${JSON.stringify(rel)}\nbuildMetadata: [originAnnotations]\n`);
  const jobs: Job[] = [{ cmd: command, args: [...buildVerb(command), ...flags, tmp], cwd: tmp }];
  return {
    jobs,
    finish: ([a0]) => {
      fs.rmSync(tmp, { recursive: true, force: true });
      const a = a0!.ok ? a0! : undefined;
      const r = a ? { ...a, stdout: stripOrigins(a.stdout) } : run(plainJob.cmd, plainJob.args, plainJob.cwd);
      if (r!.startError) {
        return {
          ok: false,
          place: { abs: kfile, line: 1, column: 1, endColumn: 1 },
          message: `cannot run ${command.join(' ')} (${r!.startError}), so this kustomization was not built or linted; install kustomize or kubectl, or set kustomize.command in the config`,
        };
      }
      if (!r!.ok) return kustomizeFailure(r!.stderr, kfile);
      const annotated = a?.stdout;
      const mapper = (parse: ParseOutput): KustomizeMap => buildKustomizeMap(parse, annotated, tmp, dir, kfile);
      return outside && loadRestrictor === undefined
        ? { ok: true, text: r!.stdout, mapper, outsideRoot: outside }
        : { ok: true, text: r!.stdout, mapper };
    },
  };
}

/** `kustomize build <dir>`; `kubectl kustomize <dir>` (the command already ends in "kustomize"). */
function buildVerb(command: Command): string[] {
  const last = path.basename(command[command.length - 1]!);
  return command.length === 1 && /^kustomize/.test(last) ? ['build'] : [];
}

function kustomizeFailure(stderr: string, kfile: string): RenderFailure {
  let message = stderr
    .split('\n')
    .map((l) => l.trim())
    // kustomize's deprecation warnings ("# Warning: 'vars' is deprecated…") come before the error: not the failure
    .filter((l) => l && !/^# Warning: /.test(l))
    .join(' ')
    // kubectl's klog prefix and wrapper: E1202 02:09:45.553776 20456 run.go:72] "command failed" err="…"
    .replace(/^[EWIF]\d{4} [\d:.]+\s+\d+ [\w.-]+:\d+\] "command failed" err="(.*)"$/, '$1')
    .replace(/^Error: /i, '')
    .replace(/^error: /, '')
    // what differs each run: helm's temporary directories (env=[HELM_CONFIG_HOME=/tmp/…]) and Go pointers (&{0xc0005d3380 <nil>})
    .replace(/ with env=\[[^\]]*\]| ?&\{0x[0-9a-f]+[^{}]*\}/g, '');
  const place: SourcePlace = { abs: kfile, line: 1, column: 1, endColumn: 1 };
  if (/requires helm V3|helm version -c/i.test(message))
    message += ' (kustomize inflates helmCharts with helm 3 only: set helm.command to a helm 3 binary)';
  // point at the entry the error names, when the kustomization lists it
  const lines = fs.readFileSync(kfile, 'utf8').split('\n');
  // the quoted names, split at every quote: kustomize nests quoted errors in quoted errors (`err='… from '../base': …'`)
  for (const name of message.split("'").filter((q) => q.trim().length > 1)) {
    let i = lines.findIndex(
      (l) =>
        /^\s*-\s/.test(l) &&
        l.includes(path.basename(name)) &&
        name.endsWith(
          l
            .replace(/^\s*-\s*/, '')
            .replace(/["']/g, '')
            .trim()
            .replace(/^\.\//, ''),
        ),
    );
    // a flow list (resources: [a.yaml, b.yaml]): the line that names the entry
    if (i < 0)
      i = lines.findIndex(
        (l) =>
          /\[/.test(l) &&
          l.split(/[[\],]/).some((e) => {
            const t = e.replace(/["']/g, '').trim().replace(/^\.\//, '');
            return t !== '' && name.endsWith(t) && t.includes(path.basename(name));
          }),
      );
    if (i >= 0) {
      place.line = i + 1;
      place.column = lines[i]!.search(/\S/) + 1;
      place.endColumn = lines[i]!.trimEnd().length + 1;
      break;
    }
  }
  if (place.line === 1) {
    const patch = patchTargetMissing(message, kfile);
    if (patch) {
      Object.assign(place, entryPlace(kfile, patch.entry));
      message += `; the patch ${patch.entry} is for ${patch.kind} ${patch.name}, which no resource of this build is: check its kind and name (before namePrefix/nameSuffix) against the resources`;
    }
  }
  return { ok: false, place, message: message || 'kustomize build failed with no message' };
}
