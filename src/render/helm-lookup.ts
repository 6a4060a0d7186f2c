/**
 * A render that a template stopped (`fail`, `required`) right after reading the cluster with `lookup`: offline,
 * `helm template` has no cluster, so every lookup finds nothing, while `helm install` finds what is there
 * (actions-runner-controller's gha-runner-scale-set looks up its controller's Deployment and fails when there is
 * none). Whether the chart renders on the cluster cannot be known here.
 */
import * as fs from 'node:fs';
import { templateFiles } from './helm-mark.js';

/**
 * Where the template that stopped the render calls `lookup` before it (in the same `define`, or the same file
 * outside any), found by the text of the stop message (helm's "execution error at (…): <message>"); undefined
 * when the message is not written out in a template or no lookup comes before it.
 */
export function lookupBeforeStop(chartDir: string, stoppedBy: string): { abs: string; line: number } | undefined {
  const m = /execution error at \([^)]*\): (.+)$/.exec(stoppedBy);
  const said = m?.[1]?.trim();
  if (!said || said.length < 8) return undefined;
  const needle = said.slice(0, 60);
  for (const abs of templateFiles(chartDir, /\.(ya?ml|tpl|txt|json)$/i)) {
    let text: string;
    try {
      text = fs.readFileSync(abs, 'utf8');
    } catch {
      continue;
    }
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      const before = text.slice(0, at);
      const defines = [...before.matchAll(/\{\{-?\s*define\s/g)];
      const from = defines.length ? defines[defines.length - 1]!.index : 0;
      const call = /\(\s*lookup\s|\{\{-?\s*lookup\s|\|\s*lookup\s|:=\s*lookup\s/.exec(before.slice(from));
      if (call) return { abs, line: before.slice(0, from + call.index).split('\n').length };
    }
  }
  return undefined;
}
