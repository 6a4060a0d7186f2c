/** Places in a chart's own files that a helm-render finding points at: a dependency's entry, a remote schema reference. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourcePlace } from './helm.js';
import { dependencyFile } from './helm-deps.js';
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

/**
 * The first `$ref` to a URL in the values.schema.json of the chart or of a chart vendored under its charts/
 * (DataDog's private-action-runner refers to kubernetes-json-schema on GitHub): helm downloads it to validate the
 * values, which k8s-gold never lets it do, so offline helm fails before rendering ("failing loading https://…").
 */
export function remoteSchemaRef(chartDir: string): { place: SourcePlace; url: string } | undefined {
  const visit = (dir: string, depth: number): { place: SourcePlace; url: string } | undefined => {
    const file = path.join(dir, 'values.schema.json');
    if (fs.existsSync(file)) {
      const lines = readLines(file);
      const i = lines.findIndex((l) => REMOTE_REF.test(l));
      if (i >= 0) {
        const text = lines[i]!;
        const column = text.search(/\S/) + 1;
        return { place: { abs: file, line: i + 1, column, endColumn: text.trimEnd().length + 1 }, url: REMOTE_REF.exec(text)![1]! };
      }
    }
    if (depth > 4) return undefined;
    let subs: fs.Dirent[] = [];
    try {
      subs = fs.readdirSync(path.join(dir, 'charts'), { withFileTypes: true });
    } catch {
      return undefined;
    }
    for (const s of subs.filter((e) => e.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const r = visit(path.join(dir, 'charts', s.name), depth + 1);
      if (r) return r;
    }
    return undefined;
  };
  return visit(chartDir, 0);
}
