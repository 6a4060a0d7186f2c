/**
 * What keeps a kustomization from building before kustomize runs: a remote resource, a missing local file or
 * directory (and whether a setup step makes it), a file read from outside the kustomization's root.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gitIgnoredBy } from '../load/gitignore.js';
import type { RenderFailure, SourcePlace } from './helm.js';
import { kustomizationFile, kustomizationRefs, templateOf } from './kustomization.js';

/** The place of the line of a kustomization that lists `entry` (its first line when none does). */
export function entryPlace(kf: string, entry: string): SourcePlace {
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
export type Broken = {
  place: SourcePlace;
  url?: string;
  missing?: string;
  generated?: boolean;
  field?: string;
  abs?: string;
  /** a directory listed as a resource that holds no kustomization file */
  noKustomization?: boolean;
};
export function brokenResource(dir: string, allowRemote: boolean): Broken | undefined {
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

/** A script beside a missing file that writes it (`cat <&0 > $BASEDIR/template.yaml`, a Helm post-renderer), by name. */
export function writerOf(abs: string): string | undefined {
  const dir = path.dirname(abs);
  const name = path.basename(abs).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // a redirection to the file, by its name alone or after a directory (`./`, `$DIR/`, `${BASEDIR}/`, `"$here"/`)
  const writes = new RegExp(`>>?\\s*["']?(?:[^\\s"'<>|;&]*/)?["']?${name}(?![\\w.-])`);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const e of entries) {
    if (!e.isFile()) continue;
    const file = path.join(dir, e.name);
    try {
      const st = fs.statSync(file);
      const script = /\.(sh|bash)$/.test(e.name) || (st.mode & 0o111) !== 0;
      if (!script || st.size > 65536) continue;
      if (writes.test(fs.readFileSync(file, 'utf8'))) return e.name;
    } catch {
      // unreadable: not the writer
    }
  }
  return undefined;
}

/**
 * The failure for a missing file or directory: an info when a setup step makes it (git-ignored; a template beside it;
 * a script beside it that writes it), else an error saying what is missing; undefined for a resource directory without
 * a kustomization that nothing says is made (kustomize's own message says it).
 */
export function missingFailure(broken: Broken, cwd: string): RenderFailure | undefined {
  // a git-ignored file a setup step writes (`make deploy` writes params.yaml), one a script makes from a template beside
  // it (kubevirtci's sriovdp-config.yaml from sriovdp-config.yaml.in), or one a script beside it writes (the Flink
  // operator's Helm post-renderer writes what helm renders to template.yaml, then builds): the checkout is as kept
  const ignoredBy = broken.abs === undefined ? undefined : gitIgnoredBy(broken.abs, cwd);
  const template = broken.abs === undefined || ignoredBy !== undefined ? undefined : templateOf(broken.abs);
  const writer = broken.abs === undefined || ignoredBy !== undefined || template !== undefined ? undefined : writerOf(broken.abs);
  if (ignoredBy !== undefined || template !== undefined || writer !== undefined) {
    const why =
      ignoredBy !== undefined
        ? `is git-ignored (${ignoredBy})`
        : template !== undefined
          ? `its template ${template} beside it does`
          : `the script ${writer} beside it writes it`;
    return {
      ok: false,
      place: broken.place,
      message: `${broken.missing} does not exist and ${why}: a setup step makes it, so this kustomization was not built or linted; make the file (the repository's build or README says how) and lint again to check it`,
      gitIgnored: true,
    };
  }
  if (broken.noKustomization) return undefined;
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
