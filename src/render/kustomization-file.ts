/** The kustomization file of a directory (no YAML): shared by kustomization.ts and the warm path (src/engine/warm-key.ts). */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function kustomizationFile(dir: string): string | undefined {
  for (const n of KUSTOMIZATION_NAMES) {
    const p = path.join(dir, n);
    try {
      // no exception for a missing file (most directories have none)
      if (fs.statSync(p, { throwIfNoEntry: false })?.isFile()) return p;
    } catch {
      // not readable
    }
  }
  return undefined;
}
