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
import { helmChartsOf, kustomizationFile, parsedRefs } from './kustomization.js';
import { brokenResource, entryPlace, fileOutsideRoot, missingFailure } from './kustomize-broken.js';
import { buildKustomizeMap, sources, type KustomizeMap } from './kustomize-map.js';
import { patchTargetMissing, stripOrigins } from './kustomize-output.js';
export { KUSTOMIZATION_NAMES, kustomizationFile, kustomizationRefs, helmChartsOf } from './kustomization.js';
export type { KustomizationRefs } from './kustomization.js';
export { fileOutsideRoot } from './kustomize-broken.js';
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
    const failure = missingFailure(broken, cwd);
    if (failure) return failure;
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
