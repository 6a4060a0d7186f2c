// path.relative without its two path.resolve calls in the case discovery meets for every file: `to` under `from`.
import * as path from 'node:path';

/** A segment path.resolve would rewrite: empty (`//`), `.` or `..`. */
const UNNORMALIZED = /\/\/|\/\.\.?(?:\/|$)/;

/** `path.relative(from, to)`; sliced off directly when both are normalized absolute POSIX paths and `to` is under `from`. */
export function relativePath(from: string, to: string): string {
  if (
    path.sep === '/' &&
    to.length > from.length + 1 &&
    to.charCodeAt(from.length) === 47 &&
    from.charCodeAt(0) === 47 &&
    to.startsWith(from) &&
    !from.endsWith('/') &&
    !to.endsWith('/') &&
    !UNNORMALIZED.test(from) &&
    !UNNORMALIZED.test(to)
  )
    return to.slice(from.length + 1);
  return path.relative(from, to);
}
