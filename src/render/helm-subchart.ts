/**
 * Templates of a packaged subchart (`charts/<name>-<version>.tgz`, as `helm dependency update` vendors it): helm
 * renders them from the archive, so the `# Source: <chart>/charts/<name>/templates/x.yaml` of their objects names no
 * file in the repository. Their findings are placed at the dependency's entry in Chart.yaml (the file the user
 * edits to change or drop it), with the template path and line inside the archive in the message.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourcePlace } from './helm.js';
import { dependencyPlace } from './helm-places.js';
import { kindLine, preloadLines } from './helm-linemap.js';
import { unpackChart } from './package.js';

/** archive → the directory its chart was unpacked to (its files are in the line cache), or undefined when it is no chart */
const unpacked = new Map<string, string | undefined>();

/** Forgets the archives read (called at the start of each run, with the template texts). */
export function resetSubcharts(): void {
  unpacked.clear();
}

function chartFileIn(dir: string): string {
  return fs.existsSync(path.join(dir, 'Chart.yaml')) ? path.join(dir, 'Chart.yaml') : path.join(dir, 'Chart.yml');
}

/** The chart directory inside `archive` (unpacked once, its files kept in the line cache), if its chart is named `name`. */
function chartInArchive(archive: string, name: string): string | undefined {
  if (!unpacked.has(archive)) {
    const u = unpackChart(archive);
    let dir: string | undefined;
    if (u.ok) {
      preloadLines(u.tmp);
      dir = u.chartDir;
      fs.rmSync(u.tmp, { recursive: true, force: true });
    }
    unpacked.set(archive, dir);
  }
  const dir = unpacked.get(archive);
  return dir !== undefined && path.basename(dir) === name ? dir : undefined;
}

/**
 * Where a template of a packaged subchart is reported: `rel` is the `# Source:` path without the chart's name
 * (`charts/frr-k8s/templates/controller.yaml`), through directory subcharts down to the archive. Undefined when no
 * single archive under that charts/ holds a chart of that name.
 */
export function packagedSubchart(chartDir: string, rel: string): ((renderedKind?: string) => SourcePlace) | undefined {
  let base = chartDir;
  let parts = rel.split('/');
  while (parts[0] === 'charts' && parts.length > 2 && fs.existsSync(path.join(base, 'charts', parts[1]!))) {
    base = path.join(base, 'charts', parts[1]!);
    parts = parts.slice(2);
  }
  if (parts[0] !== 'charts' || parts.length < 3) return undefined;
  const name = parts[1]!;
  const chartsDir = path.join(base, 'charts');
  let names: string[];
  try {
    names = fs.readdirSync(chartsDir).filter((n) => n === `${name}.tgz` || (n.startsWith(`${name}-`) && /\.tgz$/i.test(n)));
  } catch {
    return undefined;
  }
  const found = names.flatMap((n) => {
    const dir = chartInArchive(path.join(chartsDir, n), name);
    return dir === undefined ? [] : [{ archive: path.join(chartsDir, n), dir }];
  });
  if (found.length !== 1) return undefined;
  const { archive, dir } = found[0]!;
  const inside = parts.slice(2).join('/');
  return (renderedKind) => {
    const at = kindLine(path.join(dir, ...inside.split('/')), renderedKind);
    return {
      ...dependencyPlace(chartFileIn(base), name),
      inPackage: `${name}/${inside}:${at.line}:${at.column}`,
      packageFile: path.relative(chartDir, archive).split(path.sep).join('/'),
    };
  };
}
