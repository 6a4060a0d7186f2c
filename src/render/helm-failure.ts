/** A failed `helm template`: its message, the file and line helm names, and a hint at the fix. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RenderFailure, SourcePlace } from './helm.js';
import { dependencyPlace } from './helm-places.js';

export function helmFailure(stderr: string, name: string, chartDir: string, chartFile: string): RenderFailure {
  const message = stderr
    .split('\n')
    // helm 4's log lines (`level=INFO msg="found symbolic link in path…"`) are not the error
    .filter((l) => !/^Use --debug flag/.test(l.trim()) && !/^(?:time=\S+\s+)?level=(?:DEBUG|INFO|WARN)\s/.test(l.trim()))
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ')
    .replace(/^Error: /, '')
    .trim();
  const place: SourcePlace = { abs: chartFile, line: 1, column: 1, endColumn: 1 };
  // template file and position: demo/templates/x.yaml:6:15, or "YAML parse error on demo/templates/x.yaml: ... line 5"
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const tm = new RegExp(`(?:^|[\\s("'])${esc}/((?:charts/[^/\\s]+/)*templates/[^\\s:()"']+)(?::(\\d+))?(?::(\\d+))?`).exec(message);
  if (tm) {
    const abs = path.join(chartDir, tm[1]!);
    if (fs.existsSync(abs)) {
      place.abs = abs;
      let line = tm[2] ? Number(tm[2]) : undefined;
      const col = tm[3] ? Number(tm[3]) : undefined;
      if (line === undefined) {
        const yl = /yaml: line (\d+)/.exec(message);
        if (yl) line = Number(yl[1]);
      }
      place.line = line ?? 1;
      place.column = col ?? 1;
      place.endColumn = place.column;
    }
  } else {
    const dep = /missing in charts\/ directory: ([^\s,]+)/.exec(message);
    if (dep) Object.assign(place, dependencyPlace(chartFile, dep[1]!));
  }
  const hint = /missing in charts\/ directory/.test(message)
    ? ' (k8s-gold never downloads: vendor them with `helm dependency build`, or lint with --helm-dependency-update)'
    : /values don't meet the specifications of the schema/.test(message)
      ? ' (the chart needs values its defaults do not give: pass them with --values or --set, or in a render profile, helm.charts[].profiles in the config)'
      : /execution error at \(/.test(message)
        ? ' (a template stopped the render with `required` or `fail`: if the chart needs values its defaults do not give, pass them with --values or --set, or in a render profile, helm.charts[].profiles in the config)'
        : '';
  const stopped = /values don't meet the specifications of the schema|execution error at \(/.test(message);
  return {
    ok: false,
    place,
    message: message ? message + hint : 'helm template failed with no message',
    ...(stopped ? { stopped, stoppedBy: message } : {}),
  };
}

/** Names under which a chart keeps the template its values.yaml is generated from (envoyproxy/gateway: `envsubst < values.tmpl.yaml`). */
const VALUES_TEMPLATES = ['values.tmpl.yaml', 'values.yaml.tmpl', 'values.template.yaml', 'values.yaml.template', 'values.yaml.in'];

/** The values template of a chart that has no values.yaml: a build step generates the values from it. */
export function valuesTemplateOf(chartDir: string): string | undefined {
  if (['values.yaml', 'values.yml'].some((n) => fs.existsSync(path.join(chartDir, n)))) return undefined;
  return VALUES_TEMPLATES.find((n) => fs.statSync(path.join(chartDir, n), { throwIfNoEntry: false })?.isFile());
}
