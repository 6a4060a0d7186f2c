/**
 * What input discovery (discover.ts) asked the file system, for the warm path (src/engine/warm-key.ts): the
 * directories it listed, with their stamps taken before listing them, and the answers to its other questions
 * (does this exist, what is this, where does this link lead). When every directory has its stamp and every
 * question its answer, a discovery with the same inputs and options would find the same files.
 */
import * as fs from 'node:fs';
import { statStamp } from '../util/stamp.js';

/** The file system calls discovery makes. */
export interface DiscoverFs {
  existsSync: (p: string) => boolean;
  realpathSync: (p: string) => string;
  statSync: (p: string) => fs.Stats;
  readdirSync: (p: string, o: { withFileTypes: true }) => fs.Dirent[];
}

export const plainFs: DiscoverFs = fs;

type Probe = ['e', string, boolean] | ['r' | 's', string, string | null];

export interface DiscoverTrace {
  /** each listed directory with its stamp */
  dirs: [string, string][];
  probes: Probe[];
  /** a question the trace cannot replay was asked (a glob was expanded, a directory vanished) */
  opaque: boolean;
}

/** stat's answer: a directory, a file, something else, or nothing */
const kind = (st: fs.Stats): string => (st.isDirectory() ? 'd' : st.isFile() ? 'f' : 'o');

/** The calls of `trace`'s discovery, recorded into it. */
export function tracedFs(trace: DiscoverTrace): DiscoverFs {
  return {
    existsSync: (p) => {
      const r = fs.existsSync(p);
      trace.probes.push(['e', p, r]);
      return r;
    },
    realpathSync: (p) => {
      try {
        const r = fs.realpathSync(p);
        trace.probes.push(['r', p, r]);
        return r;
      } catch (e) {
        trace.probes.push(['r', p, null]);
        throw e;
      }
    },
    statSync: (p) => {
      try {
        const st = fs.statSync(p);
        trace.probes.push(['s', p, kind(st)]);
        return st;
      } catch (e) {
        trace.probes.push(['s', p, null]);
        throw e;
      }
    },
    readdirSync: (p, o) => {
      const stamp = statStamp(p);
      if (stamp === undefined) trace.opaque = true;
      else trace.dirs.push([p, stamp]);
      return fs.readdirSync(p, o);
    },
  };
}

/** Whether the file system would answer the trace's questions as it did. */
export function traceHolds(trace: Pick<DiscoverTrace, 'dirs' | 'probes'>): boolean {
  for (const [dir, stamp] of trace.dirs) if (statStamp(dir) !== stamp) return false;
  for (const [op, p, r] of trace.probes) {
    if (op === 'e') {
      if (fs.existsSync(p) !== r) return false;
      continue;
    }
    let now: string | null;
    try {
      // the C library's realpath: the same answer for a path that exists (else an error), without compiling and
      // running the JavaScript walk of fs.realpathSync in the warm path; an answer that differed would only be a miss
      now = op === 'r' ? fs.realpathSync.native(p) : kind(fs.statSync(p));
    } catch {
      now = null;
    }
    if (now !== r) return false;
  }
  return true;
}
