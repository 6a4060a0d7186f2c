/** Reading kustomize's output and errors: the build without origin annotations, the patch an error is about. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kustomizationRefs } from './kustomization.js';

/**
 * A build's output without the `config.kubernetes.io/origin` annotations that `buildMetadata: [originAnnotations]`
 * adds (a block scalar under each object's annotations), and without an `annotations:` key left empty by that:
 * byte for byte what the build without them prints (compared on 206 kustomizations of eight public repositories).
 */
export function stripOrigins(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  const indent = (l: string): number => l.length - l.trimStart().length;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const m = /^(\s*)config\.kubernetes\.io\/origin: [|>][-+]?$/.exec(l);
    if (!m) {
      out.push(l);
      continue;
    }
    const own = m[1]!.length;
    while (i + 1 < lines.length && lines[i + 1]!.trim() !== '' && indent(lines[i + 1]!) > own) i++;
    const prev = out[out.length - 1];
    const next = lines[i + 1] ?? '';
    if (prev !== undefined && /^\s*annotations:$/.test(prev) && (next.trim() === '' || indent(next) <= indent(prev))) out.pop();
  }
  return out.join('\n');
}

/**
 * The patch file of the kustomization that kustomize found no target for ("no matches for Id Deployment.v1.apps/velero.[noNs]",
 * "no resource matches strategic merge patch \"TerminatingGateway.v1alpha1.consul.hashicorp.com/tg.[noNs]\""): the one
 * whose document has that kind and name.
 */
export function patchTargetMissing(message: string, kfile: string): { entry: string; kind: string; name: string } | undefined {
  const id = /(?:no matches for Id|strategic merge patch \\?"?)\s*([A-Za-z][A-Za-z0-9]*)\.[^/\s"]*\/([a-z0-9][a-z0-9.-]*)\.\[/.exec(
    message,
  );
  if (!id) return undefined;
  const [, kind, name] = id as unknown as [string, string, string];
  const dir = path.dirname(kfile);
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const f of kustomizationRefs(dir).patches) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    if (new RegExp(`^kind:\\s*["']?${kind}["']?\\s*$`, 'm').test(text) && new RegExp(`^\\s+name:\\s*["']?${esc}["']?\\s*$`, 'm').test(text))
      return { entry: path.relative(dir, f).split(path.sep).join('/'), kind, name };
  }
  return undefined;
}
