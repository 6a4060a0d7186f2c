/** Output written in pieces: strings gathered to about 64 KB, or bytes encoded into buffers of about 1 MB. */
/**
 * Gathers small pieces into about 64 KB before passing them on (fewer writes, and never the whole output at once);
 * a large piece (a file's stylish findings, a file's JSON result) is passed on as it is, after the pieces
 * gathered before it: joining it to others would only copy its text once more. Not more: pieces held for
 * 1 MB lived through young-generation collections and were promoted (a 20,000-resource SARIF log left about
 * 5 MB of them in the old generation), and a joined 1 MB string is a large object of its own.
 */
export function chunked(out: (s: string) => void): { write: (s: string) => void; end: () => void } {
  let parts: string[] = [];
  let length = 0;
  const flush = (): void => {
    if (parts.length === 0) return;
    const s = parts.length === 1 ? parts[0]! : parts.join('');
    parts = [];
    length = 0;
    out(s);
  };
  return {
    write: (s) => {
      if (s.length >= 1 << 14) {
        flush();
        out(s);
        return;
      }
      parts.push(s);
      length += s.length;
      if (length >= 1 << 16) flush();
    },
    end: flush,
  };
}

/**
 * As chunked(), for bytes: each piece is encoded as UTF-8 into a buffer of about 1 MB as it comes, and a full buffer
 * is written, rather than the pieces joined into a string that the write encodes again (a copy less; 4 to 5 times less
 * CPU for the stylish text of 5,000 resources in a bare script). A piece is never split, so a write (and a decoding
 * of it) ends on a character. A new buffer after each write, as a write to a pipe may be asynchronous; with `reuse`
 * (`out` is done with the bytes when it returns: a regular file), one buffer of 64 KiB for every write, a piece larger
 * than it included (filled, written and filled again, whole characters each time: with every rule on, each file's
 * stylish text, about 41 KB, was a fresh Buffer of its own). A fresh buffer
 * is fresh memory, whose first touch cost most of the encoding: the stylish text of 5,000 resources (4.7 MB) took
 * 30 ms of CPU through new buffers of 1 MiB or 64 KiB, 7 ms through one reused buffer of 64 KiB, in a bare script.
 */
const encoder = new TextEncoder();

export function chunkedBytes(out: (b: Buffer) => void, reuse = false): { write: (s: string) => void; end: () => void } {
  const size = reuse ? 1 << 16 : 1 << 20;
  let buf: Buffer | undefined;
  let used = 0;
  const flush = (): void => {
    if (!buf || used === 0) return;
    out(buf.subarray(0, used));
    if (!reuse) buf = undefined;
    used = 0;
  };
  return {
    write: (s) => {
      // at most 3 bytes per UTF-16 code unit
      const most = s.length * 3;
      if (most > size) {
        flush();
        if (!reuse) {
          out(Buffer.from(s, 'utf8'));
          return;
        }
        // the reused buffer, filled and written again until the piece is through: no fresh buffer per large piece
        buf ??= Buffer.allocUnsafe(size);
        for (let rest = s; ; ) {
          const { read, written } = encoder.encodeInto(rest, buf);
          used = written;
          if (read >= rest.length) return;
          flush();
          rest = rest.slice(read);
        }
      }
      if (buf && used + most > size) flush();
      buf ??= Buffer.allocUnsafe(size);
      used += buf.write(s, used, 'utf8');
    },
    end: flush,
  };
}
