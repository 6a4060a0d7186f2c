/**
 * `--cache`: reuse the previous run's results when nothing it depended on
 * changed.
 *
 * Cross-object rules make a file's findings depend on every other file (a
 * Service's selector, a Deployment's PDB, a Secret in another file), so the
 * results are kept for the whole input set: they are reused only when the
 * key (tool version and code, rule set with their metadata, config, CLI
 * options) and the content hash of every input, context, CRD, policy and
 * plugin file are unchanged, and the set of discovered files is the same.
 * When only input files changed, the per-file incremental cache (incremental.ts, kept in `<location>.inc`)
 * re-reads those files and re-runs only the checks that read something they changed.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUNDLED, CODE_DIR } from '../util/layout.js';
import type { LoadedConfig } from '../config/config.js';
import { discover, ignoreMatcher, type Discovery } from '../load/discover.js';
import type { LintRun } from './linter.js';
import type { RuleRegistry } from './registry.js';

export const DEFAULT_CACHE_LOCATION = '.k8s-gold-cache';
const FORMAT = 2;

export interface CacheInputs {
  cwd: string;
  inputs: string[];
  context?: string[];
  config: LoadedConfig;
  cliRules?: Record<string, string>;
  ignorePatterns?: string[];
  maxFileSize?: number;
  registry: RuleRegistry;
  version: string;
  /** --crd paths */
  crds?: string[];
  /** --kubernetes-version */
  kubernetesVersion?: string;
  /** --values, --set, --helm-dependency-update, --show-rendered */
  render?: Record<string, unknown>;
}

/**
 * The results file: one line of {@link CacheHeader}, then the run as JSON. A run whose inputs changed reads
 * only the header line (not the megabytes of results it could not use).
 */
interface CacheHeader {
  format: number;
  key: string;
  /** digest of the input hashes */
  files: string;
}

/** The header line of the results file, if it has one. */
function readHeader(fd: number): { header: CacheHeader; bodyStart: number } | undefined {
  let head = Buffer.alloc(0);
  for (let pos = 0; head.length < 1 << 16; ) {
    const chunk = readUpTo(fd, pos, 4096);
    if (chunk.length === 0) return undefined;
    head = Buffer.concat([head, chunk]);
    pos += chunk.length;
    const nl = head.indexOf(10);
    if (nl >= 0) return { header: JSON.parse(head.subarray(0, nl).toString('utf8')) as CacheHeader, bodyStart: nl + 1 };
  }
  return undefined;
}

function readUpTo(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.allocUnsafe(len);
  return buf.subarray(0, fs.readSync(fd, buf, 0, len, pos));
}

function sha(data: string | Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** The tool's own code: a changed build invalidates the cache even without a version bump. */
function codeStamp(): string {
  const parts: string[] = [];
  const files: string[] = [];
  if (BUNDLED) {
    // the bundle (dist/k8s-gold.cjs) holds the engine and every rule
    files.push(__filename);
  } else {
    // unbundled (tsc output or ts-jest): every engine module and every rule, so that a change anywhere
    // (src/model/, a helper, a rule) is seen; the data files are keyed through their own stamps too
    const walk = (dir: string): void => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(js|ts|json)$/.test(e.name) && !/\.test\.|\.d\.ts$/.test(e.name)) files.push(p);
      }
    };
    walk(CODE_DIR);
    walk(path.join(CODE_DIR, '..', 'rules'));
    files.sort();
  }
  for (const f of files) {
    try {
      const st = fs.statSync(f);
      parts.push(`${f}:${st.size}:${st.mtimeMs}`);
    } catch {
      // not this layout
    }
  }
  return parts.join('|');
}

function cacheKey(c: CacheInputs): string {
  const rules = c.registry
    .all()
    .map((r) =>
      JSON.stringify([
        r.meta.id,
        r.meta.severity,
        r.meta.appliesTo ?? r.meta.kinds ?? null,
        r.meta.messages ?? null,
        r.meta.defaultOptions ?? null,
        r.meta.description,
      ]),
    );
  return sha(
    JSON.stringify({
      format: FORMAT,
      version: c.version,
      node: process.version,
      code: codeStamp(),
      rules,
      config: c.config.data,
      configFile: c.config.file ?? null,
      configDir: c.config.dir,
      cwd: c.cwd,
      inputs: c.inputs,
      context: c.context ?? [],
      cliRules: c.cliRules ?? {},
      ignorePatterns: c.ignorePatterns ?? [],
      maxFileSize: c.maxFileSize ?? null,
      crds: c.crds ?? [],
      kubernetesVersion: c.kubernetesVersion ?? null,
      render: c.render ?? null,
    }),
  );
}

/** Content hashes of every file the run reads, by absolute path; undefined when the inputs cannot be cached. */
/**
 * A file's identity on disk: size, mtime, ctime and inode. Any write to a file changes its ctime (which,
 * unlike mtime, cannot be set back), so an unchanged stamp means unchanged content: its hash is reused
 * from `<cache>.idx` instead of reading and hashing the file again.
 */
function statStamp(abs: string): string | undefined {
  try {
    const st = fs.statSync(abs, { bigint: true });
    return `${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}:${st.dev}`;
  } catch {
    return undefined;
  }
}

type StampIndex = Record<string, [string, string]>;

function fileHashes(
  c: CacheInputs,
  known: StampIndex = {},
  index: StampIndex = {},
  inputs: Set<string> = new Set(),
  found: { discovery?: Discovery } = {},
): Record<string, string> | undefined {
  const ignorePatterns = [...(c.config.data.ignorePatterns ?? []), ...(c.ignorePatterns ?? [])];
  const dopts = { cwd: c.cwd, baseDir: c.config.dir, ignorePatterns };
  const sets = [discover(c.inputs, dopts)];
  for (const f of sets[0]!.files) inputs.add(f.abs);
  found.discovery = sets[0];
  const extra = [
    ...(c.config.data.context ?? []),
    ...(c.config.data.crds ?? []),
    ...(c.config.data.policies ?? []),
    ...(c.config.data.plugins ?? []),
  ].map((p) => path.resolve(c.config.dir, p));
  const cliContext = [...(c.context ?? []), ...(c.crds ?? [])].map((p) => path.resolve(c.cwd, p));
  if (extra.length || cliContext.length) sets.push(discover([...extra, ...cliContext], dopts));
  const out: Record<string, string> = {};
  for (const d of sets) {
    if (d.missing.length) return undefined;
    const valuesFiles = [
      ...((c.render?.values as string[] | undefined) ?? []).map((v) => path.resolve(c.cwd, v)),
      ...(c.config.data.helm?.charts ?? [])
        .flatMap((ch) => (ch.profiles ?? []).flatMap((p) => p.values ?? []))
        .map((v) => path.resolve(c.config.dir, v)),
    ].map((abs) => ({ abs }));
    const all = [
      ...d.files,
      ...d.helmCharts.flatMap((h) => h.files),
      ...renderSources(d, c, ignorePatterns),
      ...(d === sets[0] ? valuesFiles : []),
    ];
    for (const f of all) {
      const stamp = statStamp(f.abs);
      const prev = stamp ? known[f.abs] : undefined;
      if (prev && prev[0] === stamp) {
        out[f.abs] = prev[1];
        index[f.abs] = prev;
        continue;
      }
      try {
        out[f.abs] = sha(fs.readFileSync(f.abs));
        if (stamp && stamp === statStamp(f.abs)) index[f.abs] = [stamp, out[f.abs]!];
      } catch (e) {
        out[f.abs] = `unreadable:${(e as NodeJS.ErrnoException).code ?? 'error'}`;
      }
    }
    out[`#ignored`] = String(Number(out['#ignored'] ?? 0) + d.ignored);
    out[`#loops`] = (out['#loops'] ?? '') + d.loops.join('\n');
  }
  return out;
}

/** Every file a chart or kustomization render reads besides the discovered ones: all files of the charts, and the kustomizations' files. */
function renderSources(d: import('../load/discover.js').Discovery, c: CacheInputs, ignorePatterns: string[]): { abs: string }[] {
  const out = new Map<string, { abs: string }>();
  const { configuredPackages, kustomizeTargetsOf, valuesOwners } = require('../render/index.js') as typeof import('../render/index.js');
  const explicit = d.files.filter((f) => f.explicit);
  // a configured values file named explicitly selects its chart; configured packaged charts under a walked directory are rendered
  const owners = valuesOwners(c.config.data, c.config.dir);
  const packaged = configuredPackages(
    c.config.data,
    c.config.dir,
    c.inputs,
    c.cwd,
    ignoreMatcher({ cwd: c.cwd, baseDir: c.config.dir, ignorePatterns }),
  );
  const chartDirs = [
    ...new Set([
      ...d.helmCharts.map((h) => h.dir),
      ...explicit.map((f) => owners.get(f.abs)).filter((x): x is string => x !== undefined),
      ...packaged,
    ]),
  ];
  for (const dir of chartDirs) {
    const st = fs.statSync(dir, { throwIfNoEntry: false });
    // a packaged chart is one file
    if (st?.isFile()) out.set(dir, { abs: dir });
    if (!st?.isDirectory()) continue;
    for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (e.isFile()) {
        const abs = path.join(e.parentPath, e.name);
        out.set(abs, { abs });
      }
    }
  }
  const { kustomizationFile, kustomizationRefs, resetKustomizeCaches } =
    require('../render/kustomize.js') as typeof import('../render/kustomize.js');
  resetKustomizeCaches();
  const seen = new Set<string>();
  const visit = (dir: string): void => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const kf = kustomizationFile(dir);
    if (!kf) return;
    out.set(kf, { abs: kf });
    const refs = kustomizationRefs(dir);
    for (const f of [...refs.files, ...refs.generatorSources]) out.set(f, { abs: f });
    refs.dirs.forEach(visit);
  };
  for (const f of d.files) visit(path.dirname(f.abs));
  // the kustomizations that deploy a file named explicitly are built too
  if (explicit.length)
    for (const targets of kustomizeTargetsOf(
      explicit,
      c.cwd,
      ignoreMatcher({ cwd: c.cwd, baseDir: c.config.dir, ignorePatterns }),
    ).values())
      targets.forEach(visit);
  return [...out.values()].sort((a, b) => (a.abs < b.abs ? -1 : 1));
}

function readAt(fd: number, pos: number, len: number): Buffer {
  const buf = Buffer.allocUnsafe(len);
  let got = 0;
  while (got < len) {
    const n = fs.readSync(fd, buf, got, len - got, pos + got);
    if (n === 0) throw new Error('the replay is truncated');
    got += n;
  }
  return buf;
}

/**
 * What a run printed and wrote, replayed as is when neither its inputs nor its output options changed.
 * `<cache>.out` holds the raw bytes of every piece in the order they were written (stdout, stderr, or
 * an output file), then a JSON trailer describing them, then the trailer's length (10 digits): a warm
 * run reads the trailer and copies the pieces out, without decoding or parsing the previous output.
 */
interface ReplayTrailer {
  format: number;
  key: string;
  files: string;
  output: string;
  code: number;
  /** output files, by the index a piece names */
  paths: string[];
  /** [where (-1 stdout, -2 stderr, else an index into paths), byte length] */
  pieces: [number, number][];
}

const REPLAY_FORMAT = 2;
const TRAILER_DIGITS = 10;

/** Records what a run prints and writes into `<cache>.out`, as it is written; committed only at the end of a successful run. */
export class ReplayRecorder {
  private fd: number | undefined;
  private readonly tmp: string;
  private readonly paths: string[] = [];
  private readonly pieces: [number, number][] = [];
  constructor(
    private readonly target: string,
    private readonly header: Omit<ReplayTrailer, 'code' | 'paths' | 'pieces'>,
    private readonly warn: (msg: string) => void,
  ) {
    this.tmp = `${target}.${process.pid}.tmp`;
    try {
      this.fd = fs.openSync(this.tmp, 'w');
    } catch (e) {
      this.warn(`cannot write the cache ${path.basename(target)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  private piece(where: number, s: string): void {
    if (this.fd === undefined || s === '') return;
    try {
      this.pieces.push([where, fs.writeSync(this.fd, s)]);
    } catch {
      this.discard();
    }
  }
  stdout(s: string): void {
    this.piece(-1, s);
  }
  stderr(s: string): void {
    this.piece(-2, s);
  }
  /** A piece of an output file (the first piece of a path truncates it on replay). */
  file(abs: string, s: string): void {
    let i = this.paths.indexOf(abs);
    if (i < 0) i = this.paths.push(abs) - 1;
    // an empty file is still written
    if (s === '' && this.fd !== undefined) this.pieces.push([i, 0]);
    else this.piece(i, s);
  }
  commit(code: number): void {
    if (this.fd === undefined) return;
    try {
      const trailer = JSON.stringify({ ...this.header, code, paths: this.paths, pieces: this.pieces } satisfies ReplayTrailer);
      const len = Buffer.byteLength(trailer);
      fs.writeSync(this.fd, `${trailer}${String(len).padStart(TRAILER_DIGITS, '0')}`);
      fs.closeSync(this.fd);
      this.fd = undefined;
      fs.renameSync(this.tmp, this.target);
    } catch (e) {
      this.warn(`cannot write the cache ${path.basename(this.target)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      this.discard();
    }
  }
  discard(): void {
    if (this.fd !== undefined) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = undefined;
    }
    try {
      fs.unlinkSync(this.tmp);
    } catch {
      // nothing to clean
    }
  }
}

/** A replay found in `<cache>.out`: `play` writes the files and prints stdout and stderr in the recorded order. */
export interface ReplayHit {
  code: number;
  play: (io: {
    stdout: (s: string) => void;
    stderr: (s: string) => void;
    writeBytes?: (to: 'stdout' | 'stderr', bytes: Uint8Array) => void;
  }) => void;
}

/**
 * The cache of one invocation. The key and the input hashes are computed once.
 * Two files: `<location>` holds the run's results (any output format can be
 * rendered from them), `<location>.out` what the last run printed for its
 * output options, so that a warm run with the same options does not even
 * parse the results.
 */
export class LintCache {
  private readonly file: string;
  private readonly key: string;
  private readonly files: Record<string, string> | undefined;
  /** the discovered input files (the incremental cache keeps one entry per input file) */
  private readonly inputs = new Set<string>();
  /** the discovery of the inputs made to hash them, for the lint run to reuse (one walk per run) */
  readonly discovery: Discovery | undefined;
  constructor(
    c: CacheInputs,
    private readonly location: string,
    private readonly warn: (msg: string) => void = () => undefined,
  ) {
    this.file = path.resolve(c.cwd, location);
    this.key = cacheKey(c);
    let known: StampIndex = {};
    try {
      known = JSON.parse(fs.readFileSync(`${this.file}.idx`, 'utf8')) as StampIndex;
    } catch {
      // no index: hash every file
    }
    const index: StampIndex = {};
    const found: { discovery?: Discovery } = {};
    this.files = fileHashes(c, known, index, this.inputs, found);
    this.discovery = found.discovery;
    if (this.files && JSON.stringify(index) !== JSON.stringify(known)) this.write(`${this.file}.idx`, index);
  }

  private filesDigest(): string {
    return sha(JSON.stringify(this.files ?? null));
  }

  private write(file: string, data: unknown): void {
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, Buffer.isBuffer(data) || typeof data === 'string' ? data : JSON.stringify(data));
      fs.renameSync(tmp, file);
    } catch (e) {
      this.warn(`cannot write the cache ${this.location}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      try {
        fs.unlinkSync(tmp);
      } catch {
        // nothing to clean
      }
    }
  }

  /** The output of an identical earlier run with the same output options (`output` is their digest), if any. */
  replay(output: string): ReplayHit | undefined {
    if (!this.files) return undefined;
    let fd: number | undefined;
    try {
      fd = fs.openSync(`${this.file}.out`, 'r');
      const size = fs.fstatSync(fd).size;
      if (size < TRAILER_DIGITS) throw new Error('corrupt');
      const len = Number(readAt(fd, size - TRAILER_DIGITS, TRAILER_DIGITS).toString('latin1'));
      const bodyEnd = size - TRAILER_DIGITS - len;
      if (!Number.isInteger(len) || bodyEnd < 0) throw new Error('corrupt');
      const t = JSON.parse(readAt(fd, bodyEnd, len).toString('utf8')) as ReplayTrailer;
      if (t.format !== REPLAY_FORMAT || t.key !== this.key || t.files !== this.filesDigest() || t.output !== output)
        throw new Error('stale');
      if (t.pieces.reduce((a, p) => a + p[1], 0) !== bodyEnd) throw new Error('corrupt');
      const src = fd;
      fd = undefined;
      return {
        code: t.code,
        play: (io) => {
          const open = new Map<number, number>();
          try {
            let pos = 0;
            for (const [where, n] of t.pieces) {
              const buf = n ? readAt(src, pos, n) : Buffer.alloc(0);
              pos += n;
              if (where < 0) {
                const to = where === -1 ? 'stdout' : 'stderr';
                if (io.writeBytes) io.writeBytes(to, buf);
                else io[to](buf.toString('utf8'));
              } else {
                let out = open.get(where);
                if (out === undefined) {
                  const p = t.paths[where]!;
                  fs.mkdirSync(path.dirname(p), { recursive: true });
                  out = fs.openSync(p, 'w');
                  open.set(where, out);
                }
                fs.writeSync(out, buf);
              }
            }
          } finally {
            for (const out of open.values()) fs.closeSync(out);
            fs.closeSync(src);
          }
        },
      };
    } catch {
      // no usable replay
      if (fd !== undefined) fs.closeSync(fd);
    }
    return undefined;
  }

  /** Records this run's output for `replay` (undefined when the inputs cannot be cached). */
  recorder(output: string): ReplayRecorder | undefined {
    if (!this.files) return undefined;
    return new ReplayRecorder(`${this.file}.out`, { format: REPLAY_FORMAT, key: this.key, files: this.filesDigest(), output }, this.warn);
  }

  /**
   * Runs `lint` unless the cache holds the results of an identical run. A missing, unreadable or corrupt cache file is simply a miss.
   * Otherwise `lint` gets the per-file incremental cache (incremental.ts), kept in `<location>.inc`; `stamp`
   * names what else shapes the results (the computation of fixes).
   */
  run(lint: (incremental?: import('./incremental.js').Incremental, discovery?: Discovery) => LintRun, stamp: unknown = null): LintRun {
    // results computed without fixes (a stylish run) are not those of a json run
    const runKey = stamp === null ? this.key : sha(JSON.stringify([this.key, stamp]));
    if (this.files) {
      let fd: number | undefined;
      try {
        fd = fs.openSync(this.file, 'r');
        const h = readHeader(fd);
        if (h && h.header.format === FORMAT && h.header.key === runKey && h.header.files === this.filesDigest()) {
          const size = fs.fstatSync(fd).size;
          return JSON.parse(readAt(fd, h.bodyStart, size - h.bodyStart).toString('utf8')) as LintRun;
        }
      } catch {
        // no usable cache
      } finally {
        if (fd !== undefined) fs.closeSync(fd);
      }
    }
    let run: LintRun;
    const withDiscovery = (incremental?: import('./incremental.js').Incremental): LintRun => lint(incremental, this.discovery);
    if (this.files) {
      const { runIncremental } = require('./incremental-store.js') as typeof import('./incremental-store.js');
      run = runIncremental(`${this.file}.inc`, runKey, this.files, this.inputs, withDiscovery, (f, data) => this.write(f, data));
    } else run = withDiscovery();
    if (this.files && run.internalErrors.length === 0) {
      const { sources: _sources, ...stored } = run;
      const header: CacheHeader = { format: FORMAT, key: runKey, files: this.filesDigest() };
      this.write(this.file, `${JSON.stringify(header)}\n${JSON.stringify(stored)}`);
    }
    return run;
  }
}

/** Runs `lint` unless the cache holds the results of an identical run. */
export function cachedLint(c: CacheInputs, location: string, lint: () => LintRun, warn: (msg: string) => void = () => undefined): LintRun {
  return new LintCache(c, location, warn).run(lint);
}

/** A digest of the options that shape what a run prints and writes. */
export function outputDigest(parts: unknown): string {
  return sha(JSON.stringify(parts));
}
