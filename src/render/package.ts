/**
 * Packaged charts (`helm package` writes `<name>-<version>.tgz`): unpacked
 * into a temporary directory, rendered and mapped like a chart directory, and
 * every place inside the archive reported at the archive itself, with the
 * template path and line inside it in the message.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A packaged chart is small; this bounds what a hostile archive can make us write (256 MiB). */
const MAX_UNPACKED = 256 * 1024 * 1024;

/** Whether a path names a packaged chart by its extension. */
export function isPackagedChart(abs: string): boolean {
  return /\.tgz$/i.test(abs);
}

/**
 * Unpacks a gzipped tar (ustar, with GNU long names and PAX path records, as
 * Go's archive/tar writes them) into `dest`. Only regular files are written;
 * entries with absolute paths or `..` segments are refused.
 */
export function untar(archive: string, dest: string): void {
  // node:zlib loads here, not with the render module every run loads (about 2 ms of start-up for a rare archive)
  const zlib = require('node:zlib') as typeof import('node:zlib');
  const buf = zlib.gunzipSync(fs.readFileSync(archive), { maxOutputLength: MAX_UNPACKED });
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= buf.length) {
    const h = buf.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const str = (a: number, b: number): string => {
      const s = h.subarray(a, b);
      const z = s.indexOf(0);
      return s.subarray(0, z < 0 ? s.length : z).toString('utf8');
    };
    const size = Number.parseInt(str(124, 136).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) throw new Error(`corrupt tar header at byte ${off}`);
    const type = String.fromCharCode(h[156]!);
    const prefix = str(345, 500);
    const name = prefix ? `${prefix}/${str(0, 100)}` : str(0, 100);
    const body = buf.subarray(off + 512, off + 512 + size);
    if (body.length < size) throw new Error('the archive is truncated');
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      // PAX records: "<len> <key>=<value>\n"
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      if (m) longName = m[1];
      continue;
    }
    if (type === 'L') {
      longName = body.toString('utf8').replace(/\0[\s\S]*$/, '');
      continue;
    }
    const entry = longName ?? name;
    longName = undefined;
    if (type !== '0' && type !== '\0' && type !== '7') continue;
    const rel = path.posix.normalize(entry);
    if (rel.startsWith('/') || rel.split('/').includes('..')) throw new Error(`entry ${entry} would be written outside the chart`);
    const out = path.join(dest, ...rel.split('/'));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, body);
  }
}

export type Unpacked = { ok: true; chartDir: string; tmp: string } | { ok: false; message: string };

/** Unpacks a packaged chart into a new temporary directory; the chart is its one top-level directory with a Chart.yaml. */
export function unpackChart(archive: string): Unpacked {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-gold-tgz-'));
  try {
    untar(archive, tmp);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code?.startsWith('Z_') || err.code === 'ERR_BUFFER_TOO_LARGE'
        ? `not a gzipped tar archive, or larger than ${MAX_UNPACKED / 1024 / 1024} MiB unpacked (${err.message})`
        : err.message;
    return { ok: false, message: `cannot unpack ${path.basename(archive)}: ${why}` };
  }
  const tops = fs.readdirSync(tmp).filter((n) => fs.existsSync(path.join(tmp, n, 'Chart.yaml')));
  if (tops.length !== 1) {
    fs.rmSync(tmp, { recursive: true, force: true });
    return {
      ok: false,
      message: `${path.basename(archive)} is not a packaged chart: helm package writes one top-level directory with a Chart.yaml, and this archive has ${tops.length}`,
    };
  }
  return { ok: true, chartDir: path.join(tmp, tops[0]!), tmp };
}
