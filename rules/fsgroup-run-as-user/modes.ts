/** The file modes a Secret, ConfigMap, projected or downwardAPI volume gives its files, each with the path that sets it. */
import { isObj, type Obj } from '../../src/model/object.js';
import type { PathSeg } from '../../src/parse/source.js';
import { num } from './volumes.js';

/** The item modes of the volume source `src` of type `type` at `volPath`, and its defaultMode when an item or source uses it. */
export function fileModes(src: Obj, type: string, volPath: PathSeg[]): { mode: number; path: PathSeg[] }[] {
  const dm = num(src.defaultMode);
  const modes: { mode: number; path: PathSeg[] }[] = [];
  let defaultUsed = false;
  const itemModes = (items: unknown, base: PathSeg[]): void => {
    if (!Array.isArray(items)) {
      defaultUsed = true;
      return;
    }
    items.forEach((it: unknown, j: number) => {
      if (!isObj(it)) return;
      const im = num(it.mode);
      if (im !== undefined) modes.push({ mode: im, path: [...base, 'items', j, 'mode'] });
      else defaultUsed = true;
    });
  };
  if (type === 'projected') {
    (Array.isArray(src.sources) ? src.sources : []).forEach((s: unknown, k: number) => {
      if (!isObj(s)) return;
      for (const t of ['secret', 'configMap', 'downwardAPI'])
        if (isObj(s[t])) itemModes((s[t] as Obj).items, [...volPath, 'sources', k, t]);
      if (isObj(s.serviceAccountToken) || isObj(s.clusterTrustBundle)) defaultUsed = true;
    });
  } else itemModes(src.items, volPath);
  if (defaultUsed && dm !== undefined) modes.push({ mode: dm, path: [...volPath, 'defaultMode'] });
  return modes;
}
