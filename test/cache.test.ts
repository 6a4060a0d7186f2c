/** --cache: results reused only when nothing they depend on changed. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FORMAT } from '../src/engine/cache-key';
import type { LintResult } from '../src/engine/result';
import { cli, writeTree } from './helpers';

// a custom resource: only ambiguous-yaml-value speaks about `flag: on` (a warning, exit 0)
const A = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: a\nspec:\n  flag: on\n';
const B = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  x: "1"\n';

const lintJson = async (dir: string, extra: string[] = []) => {
  const r = await cli(['lint', '-f', 'json', '--cache', ...extra, '.'], { cwd: dir });
  return { ...r, results: JSON.parse(r.stdout) as LintResult[] };
};

/** Marks every cached finding (the run's FileFindings), so that a cache hit is visible in the output. */
function tamper(cacheFile: string): void {
  // a header line, then the run
  const [header, body] = fs.readFileSync(cacheFile, 'utf8').split(/\n(.*)/s);
  const run = JSON.parse(body!);
  for (const r of run.results) for (const f of r.findings) f.message = `CACHED ${f.message}`;
  fs.writeFileSync(cacheFile, `${header}\n${JSON.stringify(run)}`);
}

/**
 * Decodes `<cache>.out`: the pieces (stdout, stderr, output files) in order, the stylish blocks' JSON (its length in
 * the trailer), then a JSON trailer and its length in 10 digits.
 */
function readReplay(file: string): {
  trailer: { code: number; paths: string[]; pieces: [number, number][] };
  stdout: string;
  stderr: string;
  files: Record<string, string>;
} {
  const raw = fs.readFileSync(file);
  const len = Number(raw.subarray(raw.length - 10).toString());
  const trailer = JSON.parse(raw.subarray(raw.length - 10 - len, raw.length - 10).toString());
  let pos = 0;
  let stdout = '';
  let stderr = '';
  const files: Record<string, string> = {};
  for (const [where, n] of trailer.pieces as [number, number][]) {
    const s = raw.subarray(pos, pos + n).toString();
    pos += n;
    if (where === -1) stdout += s;
    else if (where === -2) stderr += s;
    else files[trailer.paths[where]] = (files[trailer.paths[where]] ?? '') + s;
  }
  expect(pos).toBe(raw.length - 10 - len - (trailer.blocksLength ?? 0));
  return { trailer, stdout, stderr, files };
}

describe('--cache', () => {
  test('a warm run reuses the results; any input change re-lints everything', async () => {
    const dir = writeTree({ 'a.yaml': A, 'b.yaml': B });
    const cold = await lintJson(dir);
    expect(cold.code).toBe(0);
    const cacheFile = path.join(dir, '.k8s-gold-cache');
    expect(fs.existsSync(cacheFile)).toBe(true);
    const warm = await lintJson(dir);
    expect(warm.stdout).toBe(cold.stdout);

    // the results cache (the replay of the printed output is tested below; remove it to reach the results)
    tamper(cacheFile);
    fs.unlinkSync(`${cacheFile}.out`);
    const hit = await lintJson(dir);
    expect(hit.results.find((r) => r.filePath === 'a.yaml')!.messages[0]!.message).toMatch(/^CACHED value on/);

    // changing another file (cross-object rules may depend on it) invalidates a.yaml's results too
    fs.writeFileSync(path.join(dir, 'b.yaml'), B.replace('"1"', '"2"'));
    const miss = await lintJson(dir);
    expect(miss.stdout).toBe(cold.stdout);

    // that run was made from the incremental state, which keeps its results: they are not written as JSON too
    expect(fs.existsSync(cacheFile)).toBe(false);
    fs.unlinkSync(`${cacheFile}.out`);
    const other = await lintJson(dir);
    expect(other.stdout).toBe(miss.stdout);
    fs.writeFileSync(path.join(dir, 'c.yaml'), B.replace('name: b', 'name: c'));
    const added = await lintJson(dir);
    expect(added.results.map((r) => r.filePath)).toEqual(['a.yaml', 'b.yaml', 'c.yaml']);
  });

  test('a warm run with the same output options replays the printed output; other options render from the results', async () => {
    const dir = writeTree({ 'a.yaml': A, 'b.yaml': B });
    const cold = await cli(['lint', '--cache', '--max-warnings', '0', '-o', 'sarif=r.sarif', '.'], { cwd: dir });
    expect(cold.code).toBe(1);
    const out = path.join(dir, '.k8s-gold-cache.out');
    const coldSarif = fs.readFileSync(path.join(dir, 'r.sarif'), 'utf8');
    const saved = readReplay(out);
    expect(saved.trailer.code).toBe(1);
    expect(saved.stdout).toBe(cold.stdout);
    expect(saved.stderr).toBe(cold.stderr);
    expect(saved.files).toEqual({ [path.join(dir, 'r.sarif')]: coldSarif });
    // the recorded bytes are what a warm run prints: change them (same length) and see them come back
    const raw = fs.readFileSync(out);
    // (in the stylish piece on stdout; the SARIF piece quotes the message too)
    const at = raw.indexOf('warning  value on') + 'warning  '.length;
    expect(at).toBeGreaterThan('warning  '.length);
    raw.write('VALUE ON', at);
    fs.writeFileSync(out, raw);
    fs.unlinkSync(path.join(dir, 'r.sarif'));
    const warm = await cli(['lint', '--cache', '--max-warnings', '0', '-o', 'sarif=r.sarif', '.'], { cwd: dir });
    expect([warm.code, warm.stderr]).toEqual([1, cold.stderr]);
    expect(warm.stdout).toBe(cold.stdout.replace('value on', 'VALUE ON'));
    expect(fs.readFileSync(path.join(dir, 'r.sarif'), 'utf8')).toBe(coldSarif);
    // a truncated or foreign replay is a miss, never an error
    fs.writeFileSync(out, raw.subarray(0, raw.length - 3));
    const truncated = await cli(['lint', '--cache', '--max-warnings', '0', '-o', 'sarif=r.sarif', '.'], { cwd: dir });
    expect([truncated.code, truncated.stdout, truncated.stderr]).toEqual([1, cold.stdout, cold.stderr]);
    fs.writeFileSync(out, JSON.stringify({ format: 1, replay: { stdout: 'OLD', stderr: '', files: [], code: 0 } }));
    const foreign = await cli(['lint', '--cache', '--max-warnings', '0', '-o', 'sarif=r.sarif', '.'], { cwd: dir });
    expect([foreign.code, foreign.stdout]).toEqual([1, cold.stdout]);
    // other options: rendered from the cached results, not replayed
    const other = await cli(['lint', '--cache', '.'], { cwd: dir });
    expect([other.code, other.stdout.includes('REPLAYED')]).toEqual([0, false]);
    expect(other.stdout).toContain('value on');
    // a changed input: neither
    fs.writeFileSync(path.join(dir, 'b.yaml'), B.replace('"1"', '"3"'));
    const changed = await cli(['lint', '--cache', '--max-warnings', '0', '-o', 'sarif=r.sarif', '.'], { cwd: dir });
    expect(changed.stdout).not.toContain('REPLAYED');
    expect(changed.code).toBe(1);
  });

  test('a same-size edit with the old mtime restored is still seen (hashes are reused only for an unchanged size, mtime, ctime and inode)', async () => {
    const dir = writeTree({ 'a.yaml': A, 'b.yaml': B });
    const cold = await lintJson(dir);
    expect(fs.existsSync(path.join(dir, '.k8s-gold-cache.idx'))).toBe(true);
    const b = path.join(dir, 'b.yaml');
    const st = fs.statSync(b);
    // same size, different content ("1" -> "9"), mtime set back to what it was
    fs.writeFileSync(b, B.replace('"1"', '"9"'));
    fs.utimesSync(b, st.atime, st.mtime);
    expect(fs.statSync(b).size).toBe(st.size);
    tamper(path.join(dir, '.k8s-gold-cache'));
    fs.unlinkSync(path.join(dir, '.k8s-gold-cache.out'));
    const after = await lintJson(dir);
    expect(after.stdout).not.toContain('CACHED');
    expect(after.stdout).toBe(cold.stdout);
  });

  test('changed options or config invalidate the cache', async () => {
    const dir = writeTree({ 'a.yaml': A });
    await lintJson(dir);
    tamper(path.join(dir, '.k8s-gold-cache'));
    const off = await lintJson(dir, ['--rule', 'ambiguous-yaml-value=error']);
    expect(off.stdout).not.toContain('CACHED');
    expect(off.code).toBe(1);
    tamper(path.join(dir, '.k8s-gold-cache'));
    fs.writeFileSync(path.join(dir, '.k8s-gold.yaml'), 'rules:\n  ambiguous-yaml-value: info\n');
    const cfg = await lintJson(dir, ['--rule', 'ambiguous-yaml-value=error']);
    expect(cfg.stdout).not.toContain('CACHED');
  });

  test('a corrupt cache file is a miss, --cache-location is honoured', async () => {
    const dir = writeTree({ 'a.yaml': A, 'cache/keep': '' });
    const loc = path.join('cache', 'k8s.cache');
    fs.writeFileSync(path.join(dir, loc), '{not json');
    const r = await lintJson(dir, ['--cache-location', loc]);
    expect(r.code).toBe(0);
    expect(r.results[0]!.messages).toHaveLength(1);
    // a header line (format, key, inputs digest), then the results
    const [header, body] = fs.readFileSync(path.join(dir, loc), 'utf8').split(/\n(.*)/s);
    expect(JSON.parse(header!).format).toBe(FORMAT);
    expect(JSON.parse(body!).results[0].findings).toHaveLength(1);
    expect(fs.existsSync(path.join(dir, '.k8s-gold-cache'))).toBe(false);
  });

  test('--cache-location without --cache is a usage error', async () => {
    const r = await cli(['lint', '--cache-location', 'x', '.'], { cwd: writeTree({ 'a.yaml': A }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--cache-location needs --cache');
  });
});

describe('--cache code stamp', () => {
  test('a change to any engine module (here src/model/workload.ts) invalidates the cache when running unbundled', async () => {
    const dir = writeTree({ 'a.yaml': A, 'b.yaml': B });
    const cold = await lintJson(dir);
    const cacheFile = path.join(dir, '.k8s-gold-cache');
    tamper(cacheFile);
    fs.unlinkSync(`${cacheFile}.out`);
    const hit = await lintJson(dir);
    expect(hit.stdout).toContain('CACHED');
    tamper(cacheFile);
    fs.unlinkSync(`${cacheFile}.out`);
    const module = path.join(__dirname, '..', 'src', 'model', 'workload.ts');
    const st = fs.statSync(module);
    try {
      fs.utimesSync(module, st.atime, new Date(st.mtimeMs + 5000));
      const miss = await lintJson(dir);
      expect(miss.stdout).not.toContain('CACHED');
      expect(miss.stdout).toBe(cold.stdout);
    } finally {
      fs.utimesSync(module, st.atime, st.mtime);
    }
  });
});
