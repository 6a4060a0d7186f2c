// Without --cache the stylish text is encoded into buffers of about 1 MB as its pieces come (src/cli-report.ts,
// chunkedBytes): the bytes must be those of the text, each write whole characters, with multi-byte characters
// (paths and messages) and more than one buffer's worth of output.
import { run, type CliIO } from '../src/cli';
import { writeTree } from './helpers';

function tree(): string {
  // 16 files of 300 objects, three findings each (about 1.6 MB of stylish text); a directory name of two-byte and
  // four-byte characters in every row
  const doc = (i: number) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n  namespace: ns\n  labels:\n    country: NO\n    on: yes\ndata:\n  k: "v"\n`;
  const files: Record<string, string> = {};
  for (let f = 0; f < 16; f++) files[`dïr-😀/f${f}.yaml`] = Array.from({ length: 300 }, (_, i) => doc(f * 300 + i)).join('---\n');
  return writeTree(files);
}

async function lint(dir: string, bytes: boolean) {
  const out: string[] = [];
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
      writes.push(Buffer.from(b));
      out.push(Buffer.from(b).toString('utf8'));
    };
  const code = await run(['lint', '--no-config', '.'], io);
  return { code, text: out.join(''), writes };
}

test('the stylish text written as bytes is the text written as strings', async () => {
  const dir = tree();
  const asText = await lint(dir, false);
  const asBytes = await lint(dir, true);
  expect(asBytes.code).toBe(asText.code);
  expect(asBytes.text).toBe(asText.text);
  expect(asText.text).toContain('dïr-😀/f15.yaml');
  expect(Buffer.byteLength(asText.text)).toBeGreaterThan(1 << 20);
  // more than one write, none above the buffer size, each whole characters (decoded and encoded again: the same bytes)
  expect(asBytes.writes.length).toBeGreaterThan(1);
  for (const w of asBytes.writes) {
    expect(w.length).toBeLessThanOrEqual(1 << 20);
    expect(Buffer.from(w.toString('utf8'), 'utf8').equals(w)).toBe(true);
  }
}, 120000);
