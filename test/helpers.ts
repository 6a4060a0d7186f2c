/** Test helpers: lint files or text in memory through the real engine and CLI. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run, type CliIO } from '../src/cli';
import { lint, type LintRun } from '../src/engine/linter';
import { RuleRegistry } from '../src/engine/registry';
import type { ConfigData } from '../src/config/config';
import type { SeverityOrOff } from '../src/engine/rule';

export const ROOT = path.resolve(__dirname, '..');

export function tmpdir(prefix = 'k8s-gold-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes files (relative path → content) into a fresh temp dir and returns it. */
export function writeTree(files: Record<string, string | Buffer>): string {
  const dir = tmpdir();
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return dir;
}

export function lintPaths(
  inputs: string[],
  opts: { cwd?: string; config?: ConfigData; rules?: Record<string, SeverityOrOff>; context?: string[] } = {},
): LintRun {
  const cwd = opts.cwd ?? ROOT;
  return lint({
    cwd,
    inputs,
    config: { data: opts.config ?? {}, dir: cwd },
    cliRules: opts.rules,
    registry: new RuleRegistry(),
    context: opts.context,
  });
}

/** Lints one YAML text as a file named `name` in a temp dir. */
export function lintText(text: string, opts: { name?: string; config?: ConfigData; rules?: Record<string, SeverityOrOff> } = {}): LintRun {
  const dir = writeTree({ [opts.name ?? 'manifest.yaml']: text });
  return lintPaths([dir], { cwd: dir, config: opts.config, rules: opts.rules });
}

/** Only the given rules on (plus the syntax rules that keep fixtures honest). */
export function only(...ids: string[]): Record<string, SeverityOrOff> {
  const out: Record<string, SeverityOrOff> = {};
  for (const r of new RuleRegistry().all()) out[r.meta.id] = 'off';
  for (const id of ['yaml-syntax', 'invalid-object', 'duplicate-key', 'unreadable-file', ...ids])
    out[id] = new RuleRegistry().get(id)!.meta.severity;
  return out;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(
  argv: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; stdin?: string | Buffer; isTTY?: boolean } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    readStdin: async () => opts.stdin ?? '',
    cwd: opts.cwd ?? ROOT,
    env: opts.env ?? {},
    isTTY: opts.isTTY ?? false,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

/**
 * The config a fixture or example asks for in its leading comment lines (`# settings: {…}` for the
 * rule settings, `# options: {…}` for the options of the rule under test). One parser for every rule test.
 */
export function fixtureConfig(text: string, ruleId: string): ConfigData {
  const config: ConfigData = {};
  for (const line of text.split('\n')) {
    const m = /^#\s*(settings|options):\s*(\{.*\})\s*$/.exec(line);
    if (!m) {
      if (/^\s*(#.*)?$/.test(line)) continue;
      break;
    }
    const value = JSON.parse(m[2]!) as Record<string, unknown>;
    if (m[1] === 'settings') config.settings = { ...config.settings, ...value };
    else config.rules = { [ruleId]: { options: value } };
  }
  return config;
}
