/** Running helm and kustomize: commands from the config, or found on PATH. Never downloaded. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

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
  const r = spawnSync(cmd[0]!, [...cmd.slice(1), ...args], { cwd, encoding: 'utf8', maxBuffer: MAX_BUFFER, timeout: TIMEOUT_MS, env: { ...process.env, HELM_DEBUG: undefined } as NodeJS.ProcessEnv });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES') return { ok: false, stdout: '', stderr: '', startError: code === 'ENOENT' ? 'not found' : 'permission denied' };
    if (code === 'ETIMEDOUT') return { ok: false, stdout: r.stdout ?? '', stderr: `timed out after ${TIMEOUT_MS / 1000} s` };
    return { ok: false, stdout: r.stdout ?? '', stderr: r.error.message };
  }
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
}
