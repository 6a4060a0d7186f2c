import type { PathSeg } from '../parse/source.js';

export function pathStartsWith(path: readonly PathSeg[], prefix: readonly PathSeg[]): boolean {
  if (path.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return false;
  return true;
}
