/** Reading one input file strictly: size limit, NUL bytes, invalid UTF-8, BOM. */
import * as fs from 'node:fs';

/**
 * 64 MiB: rendered installs with their CRDs reach 10-30 MB, and kubectl and
 * kubeconform have no limit. What protects memory against hostile input is the
 * alias-expansion budget and the nesting limit of the parser; this limit only
 * bounds an honest file's cost (about 20 bytes of memory per byte of YAML:
 * 28 MB took 575 MB and 11 s on the reference machine).
 */
export const DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024;

/** A file that cannot be read: a message of the unreadable-file rule (rules/unreadable-file) with its data, and where. */
export type ReadResult =
  | { ok: true; text: string }
  | {
      ok: false;
      messageId: 'binary' | 'invalidUtf8' | 'cannotRead' | 'tooLarge' | 'stdinTooLarge';
      data: Record<string, string | number>;
      line?: number;
      column?: number;
    };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function decode(buf: Buffer): ReadResult {
  const nul = buf.indexOf(0);
  if (nul !== -1) {
    const { line, column } = lineCol(buf, nul);
    return { ok: false, messageId: 'binary', data: { byte: nul }, line, column };
  }
  try {
    return { ok: true, text: decoder.decode(buf) };
  } catch {
    const bad = firstInvalidUtf8(buf);
    const { line, column } = lineCol(buf, bad);
    return { ok: false, messageId: 'invalidUtf8', data: { byte: bad }, line, column };
  }
}

export function readManifestFile(abs: string, maxSize = DEFAULT_MAX_FILE_SIZE): ReadResult {
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch (e) {
    return { ok: false, messageId: 'cannotRead', data: { error: describeErrno(e, abs) } };
  }
  if (st.size > maxSize) {
    return { ok: false, messageId: 'tooLarge', data: { size: st.size, max: maxSize } };
  }
  let buf: Buffer;
  try {
    buf = fs.readFileSync(abs);
  } catch (e) {
    return { ok: false, messageId: 'cannotRead', data: { error: describeErrno(e, abs) } };
  }
  if (buf.length > maxSize) {
    return { ok: false, messageId: 'tooLarge', data: { size: buf.length, max: maxSize } };
  }
  return decode(buf);
}

/** Where a symbolic link points when its target (or a link along the way) is missing, or undefined. */
function brokenLinkTarget(abs: string): string | undefined {
  try {
    if (!fs.lstatSync(abs).isSymbolicLink()) return undefined;
    return fs.readlinkSync(abs);
  } catch {
    return undefined;
  }
}

function describeErrno(e: unknown, abs?: string): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT': {
      const target = abs === undefined ? undefined : brokenLinkTarget(abs);
      if (target !== undefined) return `broken symbolic link to ${target} (the target does not exist)`;
      return 'it no longer exists (deleted after it was found?)';
    }
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return err.code ?? String(err.message);
  }
}

function lineCol(buf: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (buf[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  // column in characters, counting the valid UTF-8 before the offset on that line
  const column = Buffer.from(buf.subarray(lineStart, offset)).toString('utf8').length + 1;
  return { line, column };
}

function firstInvalidUtf8(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    let n = 0;
    if (b < 0x80) n = 0;
    else if (b >= 0xc2 && b <= 0xdf) n = 1;
    else if (b >= 0xe0 && b <= 0xef) n = 2;
    else if (b >= 0xf0 && b <= 0xf4) n = 3;
    else return i;
    if (i + n >= buf.length + (n === 0 ? 1 : 0) && n > 0) return i;
    for (let k = 1; k <= n; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    if (n === 2) {
      const c1 = buf[i + 1]!;
      if ((b === 0xe0 && c1 < 0xa0) || (b === 0xed && c1 > 0x9f)) return i;
    }
    if (n === 3) {
      const c1 = buf[i + 1]!;
      if ((b === 0xf0 && c1 < 0x90) || (b === 0xf4 && c1 > 0x8f)) return i;
    }
    i += n + 1;
  }
  return buf.length;
}
