/** Places in a chart's own files that a helm-render finding points at: a dependency's entry, a remote schema reference. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourcePlace } from './helm.js';
import { dependencyFile, localDependencyDirs } from './helm-deps.js';
import { readLines } from './helm-linemap.js';

/** A dependency's `- name:` line in Chart.yaml, or requirements.yaml (apiVersion v1: DataDog's charts/datadog); else line 1. */
export function dependencyPlace(chartFile: string, dep: string): SourcePlace {
  const file = dependencyFile(path.dirname(chartFile), chartFile)?.file ?? chartFile;
  const place: SourcePlace = { abs: file, line: 1, column: 1, endColumn: 1 };
  const lines = readLines(file);
  const from = lines.findIndex((l) => /^dependencies\s*:/.test(l)) + 1;
  const named = new RegExp(`^\\s*(-\\s+)?name:\\s*["']?${dep.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*$`);
  const i = lines.findIndex((l, n) => n >= from && named.test(l));
  if (i >= 0) {
    place.line = i + 1;
    place.column = lines[i]!.search(/\S/) + 1;
    place.endColumn = lines[i]!.length + 1;
  }
  return place;
}

const REMOTE_REF = /"\$ref"\s*:\s*"(https?:\/\/[^"#]+)/;
/** a `$ref` to another document by a relative reference (`schemas/pod.json#/options`), not within the schema (`#/…`) */
const RELATIVE_REF = /"\$ref"\s*:\s*"(?![a-z][a-z0-9+.-]*:|#)([^"#]+)/i;
const REMOTE_ID = /"\$id"\s*:\s*"(https?:\/\/[^"#]+)/;

/**
 * The first `$ref` to a URL in the values.schema.json of the chart, of a chart vendored under its charts/, or of a
 * dependency kept in the repository (`repository: file://…`, which the render copies in): helm downloads it to validate
 * the values, which k8s-gold never lets it do, so offline helm fails before rendering ("failing loading https://…").
 * DataDog's private-action-runner refers to kubernetes-json-schema on GitHub; bjw-s's common library gives its schema
 * an `$id` on GitHub and refers to its other files relatively (`schemas/pod.json`), which resolve against that URL.
 */
export function remoteSchemaRef(chartDir: string): { place: SourcePlace; url: string } | undefined {
  const seen = new Set<string>();
  const visit = (dir: string, depth: number): { place: SourcePlace; url: string } | undefined => {
    if (seen.has(dir)) return undefined;
    seen.add(dir);
    const file = path.join(dir, 'values.schema.json');
    if (fs.existsSync(file)) {
      const lines = readLines(file);
      const at = (i: number, url: string): { place: SourcePlace; url: string } => {
        const text = lines[i]!;
        const column = text.search(/\S/) + 1;
        return { place: { abs: file, line: i + 1, column, endColumn: text.trimEnd().length + 1 }, url };
      };
      const i = lines.findIndex((l) => REMOTE_REF.test(l));
      if (i >= 0) return at(i, REMOTE_REF.exec(lines[i]!)![1]!);
      const id = lines.map((l) => REMOTE_ID.exec(l)?.[1]).find((x) => x !== undefined);
      const r = id === undefined ? -1 : lines.findIndex((l) => RELATIVE_REF.test(l));
      if (r >= 0) {
        let url: string;
        try {
          url = new URL(RELATIVE_REF.exec(lines[r]!)![1]!, id).href;
        } catch {
          url = id!;
        }
        return at(r, url);
      }
    }
    if (depth > 4) return undefined;
    let subs: fs.Dirent[] = [];
    try {
      subs = fs.readdirSync(path.join(dir, 'charts'), { withFileTypes: true });
    } catch {
      // no charts/: the dependencies kept in the repository may still be copied in
    }
    const dirs = subs
      .filter((e) => e.isDirectory())
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((e) => path.join(dir, 'charts', e.name));
    for (const d of [...dirs, ...localDependencyDirs(dir)]) {
      const r = visit(d, depth + 1);
      if (r) return r;
    }
    return undefined;
  };
  return visit(chartDir, 0);
}
