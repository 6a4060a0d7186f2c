// A file's identity on disk, for the caches (src/engine/cache-hashes.ts, warm-key.ts, src/load/discover-trace.ts).
import * as fs from 'node:fs';

/**
 * Size, mtime, ctime, inode and device. Any write to a file changes its ctime (which, unlike mtime, cannot be
 * set back), and any entry added to, removed from or renamed in a directory changes the directory's: an
 * unchanged stamp means unchanged content (a file) or unchanged entries (a directory).
 */
export function statStamp(abs: string): string | undefined {
  try {
    const st = fs.statSync(abs, { bigint: true });
    return `${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}:${st.dev}`;
  } catch {
    return undefined;
  }
}
