/** Running helm and kustomize: commands from the config, or found on PATH. Never downloaded. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// node:child_process and node:worker_threads are loaded when a command runs: a lint without renders (most runs,
// and every incremental one) does not pay for loading them (about 10 ms: child_process brings net, dgram, ...)
type ChildProcess = typeof import('node:child_process');
type WorkerThreads = typeof import('node:worker_threads');

/** A command and its leading arguments, e.g. ["kubectl", "kustomize"]. */
export type Command = string[];

export interface ExecResult {
  ok: boolean;
  stdout: string;
  stderr: string;
  /** set when the command could not be started (ENOENT, EACCES) */
  startError?: string;
}

/** 512 MiB of output: a rendered install with its CRDs is tens of MB. */
const MAX_BUFFER = 512 * 1024 * 1024;
const TIMEOUT_MS = 300_000;

export function normalizeCommand(c: string | string[] | undefined, baseDir: string): Command | undefined {
  if (c === undefined) return undefined;
  const parts = Array.isArray(c) ? c.slice() : c.trim().split(/\s+/);
  if (parts.length === 0 || !parts[0]) return undefined;
  // a relative path with a slash is relative to the config file's directory
  if (parts[0].includes('/') && !path.isAbsolute(parts[0])) parts[0] = path.resolve(baseDir, parts[0]);
  return parts;
}

/** The executable's path on PATH, or undefined. */
export function which(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (name.includes('/')) return isExecutable(name) ? name : undefined;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    if (isExecutable(p)) return p;
  }
  return undefined;
}

function isExecutable(p: string): boolean {
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) return false;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function run(cmd: Command, args: string[], cwd: string): ExecResult {
  const { spawnSync } = require('node:child_process') as ChildProcess;
  const r = spawnSync(cmd[0]!, [...cmd.slice(1), ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: MAX_BUFFER,
    timeout: TIMEOUT_MS,
    env: { ...process.env, HELM_DEBUG: undefined } as NodeJS.ProcessEnv,
  });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES')
      return { ok: false, stdout: '', stderr: '', startError: code === 'ENOENT' ? 'not found' : 'permission denied' };
    if (code === 'ETIMEDOUT') return { ok: false, stdout: r.stdout ?? '', stderr: `timed out after ${TIMEOUT_MS / 1000} s` };
    return { ok: false, stdout: r.stdout ?? '', stderr: r.error.message };
  }
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
}

export interface Job {
  cmd: Command;
  args: string[];
  cwd: string;
}

/** How many renders run at once: K8S_GOLD_RENDER_JOBS, else the CPUs node may use. */
export function renderConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.K8S_GOLD_RENDER_JOBS);
  if (Number.isInteger(n) && n >= 1) return n;
  return Math.max(1, os.availableParallelism());
}

/**
 * The worker that runs the jobs: at most `limit` child processes at once,
 * each with the same buffer limit and timeout as `run`; the results go back
 * in job order over `port`, then `flag` is set.
 */
const RUN_ALL_WORKER = `
const { workerData } = require('node:worker_threads');
const { spawn } = require('node:child_process');
const { jobs, limit, maxBuffer, timeout, env, port, flag } = workerData;
const results = new Array(jobs.length);
let next = 0;
let done = 0;
const signal = (failed) => { port.postMessage(failed ? { failed } : results); const f = new Int32Array(flag); Atomics.store(f, 0, 1); Atomics.notify(f, 0); };
process.on('uncaughtException', (e) => signal(String(e && e.stack || e)));
const start = () => {
  if (next >= jobs.length) return;
  const i = next++;
  const j = jobs[i];
  const out = []; const err = []; let outLen = 0; let errLen = 0; let over = false; let timedOut = false; let settled = false;
  const finish = (r) => { if (settled) return; settled = true; clearTimeout(timer); results[i] = r; done++; if (done === jobs.length) signal(); else start(); };
  let child;
  try {
    child = spawn(j.cmd[0], [...j.cmd.slice(1), ...j.args], { cwd: j.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    return finish({ ok: false, stdout: '', stderr: String(e && e.message || e) });
  }
  const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeout);
  child.stdout.on('data', (d) => { outLen += d.length; if (outLen > maxBuffer) { over = true; child.kill('SIGKILL'); } else out.push(d); });
  child.stderr.on('data', (d) => { errLen += d.length; if (errLen <= maxBuffer) err.push(d); });
  child.on('error', (e) => {
    if (e.code === 'ENOENT' || e.code === 'EACCES') finish({ ok: false, stdout: '', stderr: '', startError: e.code === 'ENOENT' ? 'not found' : 'permission denied' });
    else finish({ ok: false, stdout: Buffer.concat(out).toString('utf8'), stderr: e.message });
  });
  child.on('close', (code) => {
    const stdout = Buffer.concat(out).toString('utf8');
    if (timedOut) return finish({ ok: false, stdout, stderr: 'timed out after ' + timeout / 1000 + ' s' });
    if (over) return finish({ ok: false, stdout: '', stderr: 'output larger than ' + maxBuffer + ' bytes' });
    finish({ ok: code === 0, stdout, stderr: Buffer.concat(err).toString('utf8') });
  });
};
if (jobs.length === 0) signal();
for (let k = 0; k < limit; k++) start();
`;

/**
 * Runs independent commands, at most `limit` at once, and returns their
 * results in job order (so output never depends on which finished first).
 * lint() is synchronous: a worker thread starts the processes and the main
 * thread waits for it. One job, or a limit of 1, runs them one by one here.
 */
export function runAll(jobs: Job[], limit = renderConcurrency()): ExecResult[] {
  if (jobs.length <= 1 || limit <= 1) return jobs.map((j) => run(j.cmd, j.args, j.cwd));
  const { MessageChannel, receiveMessageOnPort, Worker } = require('node:worker_threads') as WorkerThreads;
  const flag = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.HELM_DEBUG;
  let worker: InstanceType<WorkerThreads['Worker']>;
  try {
    worker = new Worker(RUN_ALL_WORKER, {
      eval: true,
      workerData: { jobs, limit, maxBuffer: MAX_BUFFER, timeout: TIMEOUT_MS, env, port: port2, flag },
      transferList: [port2],
    });
  } catch {
    return jobs.map((j) => run(j.cmd, j.args, j.cwd));
  }
  worker.unref();
  const f = new Int32Array(flag);
  // the worker sets the flag after it posted the results (or its failure); one that never does: after the
  // longest a job may take, the jobs are run here instead
  const deadline = Date.now() + TIMEOUT_MS + 10_000;
  while (Atomics.load(f, 0) === 0 && Date.now() < deadline) Atomics.wait(f, 0, 0, 200);
  const msg = receiveMessageOnPort(port1);
  port1.close();
  void worker.terminate();
  if (!msg || !Array.isArray(msg.message)) return jobs.map((j) => run(j.cmd, j.args, j.cwd));
  return msg.message as ExecResult[];
}
