// Without --cache the stylish text is encoded into buffers of about 1 MB as its pieces come (src/cli-report.ts,
// chunkedBytes), or into one reused buffer of 64 KiB when the writer is done with the bytes on return: the bytes must
// be those of the text, each write whole characters, with multi-byte characters (paths and messages) and more than
// one buffer's worth of output.
import { run, type CliIO } from '../src/cli';
import { writeTree } from './helpers';

function tree(): string {
  // 96 files of 50 objects, three findings each (about 1.6 MB of stylish text, about 17 KB a file: several files a
  // buffer); a directory name of two-byte and four-byte characters in every row
  const doc = (i: number) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n  namespace: ns\n  labels:\n    country: NO\n    on: yes\ndata:\n  k: "v"\n`;
  const files: Record<string, string> = {};
  for (let f = 0; f < 96; f++) files[`dïr-😀/f${f}.yaml`] = Array.from({ length: 50 }, (_, i) => doc(f * 50 + i)).join('---\n');
  return writeTree(files);
}

/**
 * `bytes`: 'kept' keeps each buffer it is handed as it is (a pipe that writes later: a reused buffer would show),
 * 'consumed' copies it and says it is done with it on return (a regular file: the writer may reuse its buffer).
 */
async function lint(dir: string, bytes: false | 'kept' | 'consumed') {
  const out: (string | Buffer)[] = [];
  const writes: Buffer[] = [];
  const io: CliIO = {
    stdout: (s) => out.push(s),
    stderr: () => {},
    readStdin: async () => '',
    cwd: dir,
    env: {},
    isTTY: false,
  };
  if (bytes)
    io.writeBytes = (to, b) => {
      expect(to).toBe('stdout');
      const kept = bytes === 'kept' ? (b as Buffer) : Buffer.from(b);
      writes.push(kept);
      out.push(kept);
    };
  if (bytes === 'consumed') io.consumesBytes = () => true;
  const code = await run(['lint', '--no-config', '.'], io);
  return { code, text: out.map((p) => (typeof p === 'string' ? p : p.toString('utf8'))).join(''), writes };
}

test('the stylish text written as bytes is the text written as strings', async () => {
  const dir = tree();
  const asText = await lint(dir, false);
  expect(asText.text).toContain('dïr-😀/f95.yaml');
  expect(Buffer.byteLength(asText.text)).toBeGreaterThan(1 << 20);
  for (const mode of ['kept', 'consumed'] as const) {
    const asBytes = await lint(dir, mode);
    expect(asBytes.code).toBe(asText.code);
    expect(asBytes.text).toBe(asText.text);
    // more than one write, none above the buffer size, each whole characters (decoded and encoded again: the same bytes)
    expect(asBytes.writes.length).toBeGreaterThan(mode === 'kept' ? 1 : 24);
    for (const w of asBytes.writes) {
      expect(w.length).toBeLessThanOrEqual(mode === 'kept' ? 1 << 20 : 1 << 16);
      expect(Buffer.from(w.toString('utf8'), 'utf8').equals(w)).toBe(true);
    }
  }
}, 120000);
