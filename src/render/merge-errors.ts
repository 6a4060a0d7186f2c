/**
 * One finding per broken place: every overlay built on a base that fails (a remote resource k8s-gold does not fetch,
 * a missing file) fails with the same error at the same line of that base; kubeflow's manifests gave eight identical
 * errors for one remote resource. They become one finding that names the kustomizations whose build failed.
 */
import { sampleList } from '../util/sample.js';

interface RenderError {
  ruleId: string;
  messageId: string;
  place: { abs: string; line: number; column: number };
  data: Record<string, string>;
}

export function mergeSameErrors<E extends RenderError>(errors: E[]): E[] {
  const out: E[] = [];
  const groups = new Map<string, { e: E; dirs: string[] }>();
  for (const e of errors) {
    if (e.ruleId !== 'kustomize-render' || (e.messageId !== 'failed' && e.messageId !== 'notGenerated') || e.data.dir === undefined) {
      out.push(e);
      continue;
    }
    const key = `${e.messageId}\0${e.place.abs}\0${e.place.line}\0${e.place.column}\0${e.data.error ?? ''}`;
    const g = groups.get(key);
    if (g) g.dirs.push(e.data.dir);
    else {
      groups.set(key, { e, dirs: [e.data.dir] });
      out.push(e);
    }
  }
  for (const { e, dirs } of groups.values())
    if (dirs.length > 1)
      e.data = {
        ...e.data,
        dir: `${dirs[0]!} (and ${String(dirs.length - 1)} other kustomizations whose build reaches it: ${sampleList(dirs.slice(1), 3)})`,
      };
  return out;
}
