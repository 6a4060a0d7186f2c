/**
 * The previous output's stylish texts (src/engine/report-blocks.ts) are copied through one reused buffer: every range,
 * whatever the buffer's size and however stdout's pieces lie between stderr's and output files' in `<cache>.out`, comes
 * out as the bytes printed; and a writer that may keep a piece past the call (a pipe) gets a copy of it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run, type CliIO } from '../src/cli';
import { REPLAY_FORMAT, ReplayRecorder } from '../src/engine/cache-replay';
import { blockCopy, readBlocks } from '../src/engine/report-blocks';
import { writeTree } from './helpers';

const header = { format: REPLAY_FORMAT, key: 'k', files: 'f', output: 'o' };

function recorded(dir: string): { file: string; stdout: Buffer } {
  const file = path.join(dir, 'cache.out');
  const r = new ReplayRecorder(file, header, () => {});
  const parts: string[] = [];
  const say = (s: string) => {
    parts.push(s);
    r.stdout(s);
  };
  say('héllo wörld\n');
  r.stderr('a warning\n');
  say('0123456789abcdef');
  r.stdoutBytes(Buffer.from('😀 bytes\n'));
  r.file(path.join(dir, 'report.txt'), 'a file piece');
  say('the end\n');
  const stdout = Buffer.from(parts.join('').replace('0123456789abcdef', '0123456789abcdef😀 bytes\n'));
  r.blocks = [
    ['a.yaml', 'd1', 0, 13],
    ['b.yaml', 'd2', 13, stdout.length - 13],
  ];
  r.commit(0);
  return { file, stdout };
}

describe('readBlocks', () => {
  const saved = blockCopy.piece;
  afterEach(() => {
    blockCopy.piece = saved;
  });

  test('copies any range of the previous stdout, in pieces of any size', () => {
    const dir = writeTree({});
    const { file, stdout } = recorded(dir);
    for (const piece of [1, 3, 7, 64, 1 << 18]) {
      blockCopy.piece = piece;
      const b = readBlocks(file, REPLAY_FORMAT, 'k', 'o')!;
      expect(b.get('a.yaml', 'd1')).toEqual([0, 13]);
      expect(b.get('a.yaml', 'other digest')).toBeUndefined();
      expect(b.get('c.yaml', 'd1')).toBeUndefined();
      for (let off = 0; off < stdout.length; off += 5)
        for (const len of [1, 4, 13, stdout.length - off]) {
          if (off + len > stdout.length) continue;
          const got: Buffer[] = [];
          b.copy(off, len, (p) => {
            expect(p.length).toBeLessThanOrEqual(piece);
            got.push(Buffer.from(p));
          });
          expect(Buffer.concat(got).equals(stdout.subarray(off, off + len))).toBe(true);
        }
      b.close();
      expect(() => b.copy(0, 1, () => {})).toThrow();
    }
  });

  test('another key or output options, or a block past stdout: none', () => {
    const dir = writeTree({});
    const { file } = recorded(dir);
    expect(readBlocks(file, REPLAY_FORMAT, 'other', 'o')).toBeUndefined();
    expect(readBlocks(file, REPLAY_FORMAT, 'k', 'other')).toBeUndefined();
    const r = new ReplayRecorder(file, header, () => {});
    r.stdout('short\n');
    r.blocks = [['a.yaml', 'd1', 2, 10]];
    r.commit(0);
    expect(readBlocks(file, REPLAY_FORMAT, 'k', 'o')).toBeUndefined();
  });
});

const DEPLOY = (name: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: a\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n        - name: c\n          image: nginx:latest\n`;

/** A lint whose io keeps every piece of bytes it is given as it is (as a full pipe does), unless told it consumes them. */
async function lint(dir: string, args: string[], consumes?: boolean): Promise<string> {
  const out: (string | Uint8Array)[] = [];
  const io: CliIO = {
    stdout: (s) => out.push(s),
    stderr: () => {},
    readStdin: async () => '',
    cwd: dir,
    env: {},
    isTTY: false,
    writeBytes: (_to, b) => out.push(b),
  };
  if (consumes !== undefined) io.consumesBytes = () => consumes;
  const code = await run(['lint', '--no-config', ...args, '.'], io);
  return `${code}\n${out.map((p) => (typeof p === 'string' ? p : Buffer.from(p).toString('utf8'))).join('')}`;
}

test('a writer that keeps the bytes gets its own copy of each piece of the reused buffer', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 6; i++) files[`d${i}.yaml`] = DEPLOY(`w${i}`);
  const dir = writeTree(files);
  blockCopy.piece = 16;
  try {
    await lint(dir, ['--cache']);
    const edit = (n: number) => fs.appendFileSync(path.join(dir, 'd3.yaml'), `# edit ${n}\n`);
    edit(1);
    const cold = await lint(dir, []);
    expect(await lint(dir, ['--cache'])).toBe(cold);
    edit(2);
    expect(await lint(dir, ['--cache'], false)).toBe(await lint(dir, []));
    // the control: a writer said to consume the bytes, that keeps them, sees the buffer overwritten
    edit(3);
    expect(await lint(dir, ['--cache'], true)).not.toBe(await lint(dir, []));
  } finally {
    blockCopy.piece = 1 << 18;
  }
}, 60000);
