// A file's identity on disk, for the caches (src/engine/cache-hashes.ts, warm-key.ts, src/load/discover-trace.ts).
import * as fs from 'node:fs';

/**
 * Size, mtime, ctime, inode and device. Any write to a file changes its ctime (which, unlike mtime, cannot be
 * set back), and any entry added to, removed from or renamed in a directory changes the directory's: an
 * unchanged stamp means unchanged content (a file) or unchanged entries (a directory), unless the change came
 * within the file system's timestamp granularity of the stamp's own time (see `stampTrusted`).
 */
export function statStamp(abs: string): string | undefined {
  try {
    const st = fs.statSync(abs, { bigint: true });
    return `${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}:${st.dev}`;
  } catch {
    return undefined;
  }
}

/** A time read from a file system (the ctime it gave a file just now, in ns) and that file system's device. */
export interface FsTime {
  ns: bigint;
  dev: string;
}

/**
 * The file system's time now, as it stamps changes (its clock, its granularity): the ctime that a chmod of `file`
 * to its own mode sets (a change of no directory: `file` may lie in a directory the run walks), or, when there is
 * no such file of ours yet, of a new file beside it (then removed). Undefined when neither can be written.
 */
export function fsNow(file: string): FsTime | undefined {
  const timeOf = (f: string): FsTime => {
    const st = fs.statSync(f, { bigint: true });
    return { ns: st.ctimeNs, dev: String(st.dev) };
  };
  try {
    fs.chmodSync(file, fs.statSync(file).mode & 0o7777);
    return timeOf(file);
  } catch {
    const probe = `${file}.${process.pid}.now`;
    try {
      fs.closeSync(fs.openSync(probe, 'wx', 0o600));
      return timeOf(probe);
    } catch {
      return undefined;
    } finally {
      try {
        fs.unlinkSync(probe);
      } catch {
        // not made
      }
    }
  }
}

/**
 * Another file system's clock may run another granularity (FAT: 2 s) or, over a network, be another machine's: a
 * stamp from one is trusted only when this much older than the time read from the cache's.
 */
const OTHER_FS_MARGIN_NS = 2_000_000_000n;

/**
 * Whether a stamp taken at or after `since` (fsNow before the stat and the read) can stand for the content read:
 * only if its ctime is older than `since`. A later change then gets a ctime not older than `since`, so another
 * stamp; a change within the same tick of a coarse clock as the stamp's ctime would keep it (git's "racy clean"
 * entries). A racy file is read again by the next run. Never trusted without a `since`.
 */
export function stampTrusted(stamp: string, since: FsTime | undefined): boolean {
  if (since === undefined) return false;
  const p = stamp.split(':');
  if (p.length !== 5 || !/^-?\d+$/.test(p[2]!)) return false;
  return BigInt(p[2]!) < (p[4] === since.dev ? since.ns : since.ns - OTHER_FS_MARGIN_NS);
}
