/** The command line's words: exit codes, the IO it runs with, --help, the flags and their parsing. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from './util/layout.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** raw bytes (decoded strictly by the engine) or text */
  readStdin: () => Promise<Buffer | string>;
  cwd: string;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  /** raw bytes to stdout or stderr (a --cache replay copies the recorded bytes); without it they are decoded for stdout/stderr */
  writeBytes?: (to: 'stdout' | 'stderr', bytes: Uint8Array) => void;
  /** whether `writeBytes` to `to` is done with the bytes when it returns (so that a caller may reuse its buffer) */
  consumesBytes?: (to: 'stdout' | 'stderr') => boolean;
}

export function version(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'k8s-gold' && pkg.version) return pkg.version;
  } catch {
    // not found: unknown version
  }
  return '0.0.0';
}

export const HELP = `k8s-gold [command] [options] [file|dir|glob ...]

Commands:
  lint [paths...]          Lint manifests (the default command); "-" reads stdin
  rules                    List the rules
  explain <rule-id>        Print a rule's documentation
  lsp                      Run the language server over stdio (diagnostics, fixes, hover; docs/editors.md)
  help                     Show this help

Basic configuration:
  -c, --config path        Use this config file instead of .k8s-gold.yaml discovery
  --no-config              Use no config file
  --rule id=severity       Set a rule's severity (error, warning, info, off); repeatable
  --context path           Read extra files into the cross-object index without reporting on them; repeatable
  --stdin-filename name    Name to report for "-" (stdin)
  --crd path               Read CustomResourceDefinitions to validate custom resources with; repeatable
  --kubernetes-version v   Target cluster version for deprecated-api, e.g. 1.29 (default: the config's kubernetesVersion, else 1.33)

Helm charts and kustomize (rendered with helm / kustomize from PATH or the config; never downloaded):
  --values file            A values file for every chart (helm --values); repeatable
  --set key=value          A value for every chart (helm --set); repeatable
  --helm-dependency-update Let helm fetch chart dependencies (network); default: they must be vendored
  --show-rendered          Report findings at their positions in the rendered output, not the source

Ignoring files:
  --ignore-pattern glob    Ignore files matching the glob (in addition to the config's); repeatable
  --max-file-size bytes    Largest file to read (default 67108864, 64 MiB)
  --no-error-on-unmatched-pattern
                           Exit 0 when a directory or glob holds no YAML/JSON file (default: exit 2)

Caching:
  --cache                  Reuse the previous results when no input, config or rule changed
  --cache-location path    Cache file (default .k8s-gold-cache)

Output:
  -f, --format name        stylish (default), json, sarif, github or junit; or a formatter module:
                           a path (./my-formatter.js) or a package (k8s-gold-formatter-<name>, or any
                           ESLint formatter package), exporting (results, context) => string
  -o, --output-file path   Write the report to a file instead of stdout; repeatable. "format=path" writes
                           another built-in format besides, e.g. --format stylish -o sarif=results.sarif
  --color, --no-color      Force colour on or off (default: on for a terminal; NO_COLOR and TERM=dumb turn it off)

Fixing problems:
  --fix                    Apply the safe fixes to the files (atomically; files with syntax errors are never
                           written); the report shows what remains. With "-", print the fixed text instead
  --fix-dry-run            Print the fixes as a unified diff; write nothing (the report goes to stderr)
  --fix-type type          Only fix rules of this category or tag (security, deprecation, yaml, ...); repeatable

Handling warnings:
  --quiet                  Report errors only
  --max-warnings n         Exit 1 when there are more than n warnings

Miscellaneous:
  -v, --version            Print the version
  -h, --help               Show this help

GitHub Actions: with GITHUB_ACTIONS=true and no --format, annotations (::error file=...) follow the
  default output; with GITHUB_STEP_SUMMARY set, a Markdown summary of all findings is appended to it.

Exit codes: 0 no errors (and warnings within --max-warnings), 1 findings, 2 usage, config or internal error.
`;

/** A usage error: printed with a pointer to --help, exit 2. */
export class Usage extends Error {}

export interface LintFlags {
  config?: string;
  'no-config'?: boolean;
  rule?: string[];
  context?: string[];
  'stdin-filename'?: string;
  'ignore-pattern'?: string[];
  'max-file-size'?: string;
  cache?: boolean;
  'cache-location'?: string;
  format?: string;
  'output-file'?: string[];
  color?: boolean;
  'no-color'?: boolean;
  quiet?: boolean;
  'max-warnings'?: string;
  version?: boolean;
  help?: boolean;
  crd?: string[];
  'kubernetes-version'?: string;
  values?: string[];
  set?: string[];
  'helm-dependency-update'?: boolean;
  'no-error-on-unmatched-pattern'?: boolean;
  'show-rendered'?: boolean;
  fix?: boolean;
  'fix-dry-run'?: boolean;
  'fix-type'?: string[];
}

/** The command line's options, for parseArgs (`parse`) and the warm path's scan (`scanWarmFlags`). */
const OPTIONS = {
  config: { type: 'string', short: 'c' },
  'no-config': { type: 'boolean' },
  rule: { type: 'string', multiple: true },
  context: { type: 'string', multiple: true },
  'stdin-filename': { type: 'string' },
  'ignore-pattern': { type: 'string', multiple: true },
  'max-file-size': { type: 'string' },
  cache: { type: 'boolean' },
  'cache-location': { type: 'string' },
  format: { type: 'string', short: 'f' },
  'output-file': { type: 'string', short: 'o', multiple: true },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  'max-warnings': { type: 'string' },
  version: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
  crd: { type: 'string', multiple: true },
  'kubernetes-version': { type: 'string' },
  values: { type: 'string', multiple: true },
  set: { type: 'string', multiple: true },
  'helm-dependency-update': { type: 'boolean' },
  'no-error-on-unmatched-pattern': { type: 'boolean' },
  'show-rendered': { type: 'boolean' },
  fix: { type: 'boolean' },
  'fix-dry-run': { type: 'boolean' },
  'fix-type': { type: 'string', multiple: true },
} as const satisfies Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

export function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (e) {
    throw new Usage((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

/** The flags the warm path (src/cli-warm.ts) reads before it compares the warm key. */
export type WarmFlags = Pick<LintFlags, 'cache' | 'cache-location' | 'config' | 'no-config'>;

/**
 * The warm path's flags, read from the words as `parse` reads them, without parseArgs (two more modules to load and
 * a table to interpret, about 1 ms of a warm run's start); undefined for a form it does not follow (grouped short
 * options, an unknown option), and the full CLI runs. A word read otherwise than parseArgs would could only make
 * a miss, never a wrong replay: the warm key holds the command line word for word, and the config file and the
 * cache file it names, so a run that recorded output under this key read these words as `parse` does.
 */
export function scanWarmFlags(argv: string[]): WarmFlags | undefined {
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a.length < 2 || a[0] !== '-') continue;
    let name: string;
    let inline: string | undefined;
    if (a[1] === '-') {
      const eq = a.indexOf('=');
      name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      inline = eq < 0 ? undefined : a.slice(eq + 1);
    } else {
      if (a.length !== 2) return undefined;
      const short = Object.keys(OPTIONS).find((k) => (OPTIONS[k as keyof typeof OPTIONS] as { short?: string }).short === a[1]);
      if (short === undefined) return undefined;
      name = short;
    }
    const opt = Object.hasOwn(OPTIONS, name) ? OPTIONS[name as keyof typeof OPTIONS] : undefined;
    if (opt === undefined) return undefined;
    if (opt.type === 'boolean') {
      if (inline !== undefined) return undefined;
      flags[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) return undefined;
    flags[name] = value;
  }
  return {
    cache: flags.cache === true || undefined,
    'cache-location': typeof flags['cache-location'] === 'string' ? flags['cache-location'] : undefined,
    config: typeof flags.config === 'string' ? flags.config : undefined,
    'no-config': flags['no-config'] === true || undefined,
  };
}

export function useColor(flags: { color?: boolean; 'no-color'?: boolean }, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (flags['no-color']) return false;
  if (flags.color) return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}
