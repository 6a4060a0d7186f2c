/** Config discovery alone (no YAML, no schema): shared by config.ts and the warm path (src/cli-warm.ts). */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const CONFIG_NAMES = ['.k8s-gold.yaml', '.k8s-gold.yml', '.k8s-gold.json'];

/** Looks for a config file from `start` up to the repository root (a directory holding .git), or the filesystem root. */
export function findConfig(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    for (const n of CONFIG_NAMES) {
      const p = path.join(dir, n);
      if (fs.existsSync(p)) return p;
    }
    if (fs.existsSync(path.join(dir, '.git'))) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
