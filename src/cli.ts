/**
 * The command line. Exit codes, as ESLint: 0 clean, 1 findings (errors, or
 * more warnings than --max-warnings), 2 usage, config or internal error.
 */
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
}

function defaultIO(): CliIO {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    readStdin: () =>
      new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        process.stdin.on('data', (c: Buffer) => chunks.push(c));
        process.stdin.on('end', () => resolve(Buffer.concat(chunks)));
        process.stdin.on('error', reject);
      }),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
    writeBytes: (to, bytes) => (to === 'stdout' ? process.stdout : process.stderr).write(bytes),
  };
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

const HELP = `k8s-gold [command] [options] [file|dir|glob ...]

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

class Usage extends Error {}

interface LintFlags {
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

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
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
      },
    });
  } catch (e) {
    throw new Usage((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

export function useColor(flags: { color?: boolean; 'no-color'?: boolean }, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (flags['no-color']) return false;
  if (flags.color) return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

export async function run(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  try {
    return await main(argv, io);
  } catch (e) {
    if (e instanceof Usage) {
      io.stderr(`k8s-gold: ${e.message}\nRun "k8s-gold --help" for usage.\n`);
      return EXIT_ERROR;
    }
    const { ConfigError } = require('./config/config.js') as typeof import('./config/config.js');
    const { UsageError } = require('./engine/linter.js') as typeof import('./engine/linter.js');
    if (e instanceof ConfigError) {
      io.stderr(`k8s-gold: ${e.message}\n${e.details.map((d) => `  ${d}\n`).join('')}`);
      return EXIT_ERROR;
    }
    if (e instanceof UsageError) {
      io.stderr(`k8s-gold: ${e.message}\n`);
      return EXIT_ERROR;
    }
    const err = e as Error;
    io.stderr(`k8s-gold: internal error: ${err?.message ?? String(e)}\n${io.env.K8S_GOLD_DEBUG ? (err?.stack ?? '') + '\n' : 'Set K8S_GOLD_DEBUG=1 for details, and please report this.\n'}`);
    return EXIT_ERROR;
  }
}

async function main(argv: string[], io: CliIO): Promise<number> {
  if (argv[0] === 'lsp') {
    // editors start servers with --stdio (the only transport); the server runs until the client exits it
    const bad = argv.slice(1).filter((a) => a !== '--stdio');
    if (bad.length) throw new Usage(`lsp takes no options but --stdio, not ${bad.join(' ')}`);
    (require('./lsp/server.js') as typeof import('./lsp/server.js')).startServer();
    return EXIT_OK;
  }
  const { values, positionals } = parse(argv);
  const flags = values as LintFlags;
  if (flags.version) {
    io.stdout(`v${version()}\n`);
    return EXIT_OK;
  }
  let command = 'lint';
  let args = positionals;
  if (positionals.length && ['lint', 'rules', 'explain', 'help'].includes(positionals[0]!)) {
    command = positionals[0]!;
    args = positionals.slice(1);
  }
  if (flags.help || command === 'help') {
    io.stdout(HELP);
    return EXIT_OK;
  }
  const { RuleRegistry } = require('./engine/registry.js') as typeof import('./engine/registry.js');
  const registry = new RuleRegistry();
  // --- config-defined rules (schema branch): policies and plugins join the registry, for rules/explain too
  const { loadConfig } = require('./config/config.js') as typeof import('./config/config.js');
  const config = loadConfig({ configPath: flags.config, cwd: io.cwd, noConfig: flags['no-config'] });
  const { registerExtensions } = require('./policy/extensions.js') as typeof import('./policy/extensions.js');
  registerExtensions(registry, config, io.cwd);
  // ---
  if (command === 'rules') {
    const { listRules } = require('./docs.js') as typeof import('./docs.js');
    io.stdout(listRules(registry, flags.format === 'json' ? 'json' : 'text'));
    return EXIT_OK;
  }
  if (command === 'explain') {
    if (args.length !== 1) throw new Usage('explain takes one rule id, e.g. k8s-gold explain resource-requests-limits');
    const rule = registry.get(args[0]!);
    if (!rule) {
      throw new Usage(`unknown rule "${args[0]}"; "k8s-gold rules" lists them`);
    }
    const { explain } = require('./docs.js') as typeof import('./docs.js');
    io.stdout(explain(rule));
    return EXIT_OK;
  }
  return lintCommand(args, flags, io, registry, config);
}

async function lintCommand(args: string[], flags: LintFlags, io: CliIO, registry: import('./engine/registry.js').RuleRegistry, config: import('./config/config.js').LoadedConfig): Promise<number> {
  const { isSeverity, ConfigError } = require('./config/config.js') as typeof import('./config/config.js');
  const { loadFormatter, loadStreamFormatter, resolveFormatter, rulesMeta, FormatterLoadError, FORMATS } = require('./report/index.js') as typeof import('./report/index.js');

  const format = flags.format ?? 'stylish';
  let formatter: import('./report/types.js').AnyFormatter;
  try {
    formatter = resolveFormatter(format, io.cwd);
  } catch (e) {
    if (e instanceof FormatterLoadError) throw new Usage(e.message);
    throw e;
  }

  let maxWarnings = -1;
  if (flags['max-warnings'] !== undefined) {
    if (!/^-?\d+$/.test(flags['max-warnings'])) throw new Usage(`--max-warnings takes a whole number, not "${flags['max-warnings']}"`);
    maxWarnings = Number(flags['max-warnings']);
  }
  let maxFileSize: number | undefined;
  if (flags['max-file-size'] !== undefined) {
    if (!/^\d+$/.test(flags['max-file-size']) || Number(flags['max-file-size']) <= 0) throw new Usage(`--max-file-size takes a positive number of bytes, not "${flags['max-file-size']}"`);
    maxFileSize = Number(flags['max-file-size']);
  }
  const cliRules: Record<string, 'error' | 'warning' | 'info' | 'off'> = {};
  for (const r of flags.rule ?? []) {
    const m = /^([^=]+)=(.+)$/.exec(r);
    if (!m || !(isSeverity(m[2]!) || m[2] === 'off')) throw new Usage(`--rule takes id=severity (error, warning, info or off), not "${r}"`);
    cliRules[m[1]!.trim()] = m[2] as 'error' | 'warning' | 'info' | 'off';
  }
  const outputs: { format: string; file: string }[] = [];
  let mainToFile = false;
  for (const o of flags['output-file'] ?? []) {
    const m = /^([a-z]+)=(.+)$/.exec(o);
    if (m && (FORMATS as readonly string[]).includes(m[1]!)) outputs.push({ format: m[1]!, file: m[2]! });
    else {
      outputs.push({ format, file: o });
      mainToFile = true;
    }
  }

  const kubernetesVersion = flags['kubernetes-version'];
  if (kubernetesVersion !== undefined && !/^v?1\.\d+$/.test(kubernetesVersion)) throw new Usage(`--kubernetes-version takes a version such as 1.29, not "${kubernetesVersion}"`);
  const inputs = args.length ? args : ['.'];
  let stdin: { text: string | Buffer; filename?: string } | undefined;
  if (inputs.includes('-')) stdin = { text: await io.readStdin(), filename: flags['stdin-filename'] };
  else if (flags['stdin-filename']) throw new Usage('--stdin-filename needs "-" among the inputs');

  const { validateRuleOptions } = require('./config/options.js') as typeof import('./config/options.js');
  // only json, SARIF and formatter modules show fixes and suggestions
  const fixes = [format, ...outputs.map((o) => o.format)].some((f) => !['stylish', 'github', 'junit'].includes(f));
  const doLint = (incremental?: import('./engine/incremental.js').Incremental, discovery?: import('./load/discover.js').Discovery) =>
    (require('./engine/linter.js') as typeof import('./engine/linter.js')).lint({
      discovery,
      cwd: io.cwd,
      inputs,
      stdin,
      context: flags.context,
      config,
      cliRules,
      ignorePatterns: flags['ignore-pattern'],
      maxFileSize,
      registry,
      validateOptions: (id, opts, where) => validateRuleOptions(registry, id, opts, where, config.file ?? 'config', ConfigError),
      crds: flags.crd,
      kubernetesVersion: kubernetesVersion?.replace(/^v/, ''),
      helmValues: flags.values,
      helmSet: flags.set,
      helmDependencyUpdate: flags['helm-dependency-update'],
      allowUnmatched: flags['no-error-on-unmatched-pattern'],
      showRendered: flags['show-rendered'],
      fixes,
      incremental,
    });
  const fixMode = flags.fix || flags['fix-dry-run'];
  if (flags.fix && flags['fix-dry-run']) throw new Usage('--fix and --fix-dry-run exclude each other');
  if (flags['fix-type'] && !fixMode) throw new Usage('--fix-type needs --fix or --fix-dry-run');
  const fixTypes = (flags['fix-type'] ?? []).flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
  if (fixTypes.length) {
    const { fixTypesOf } = require('./fix/cli.js') as typeof import('./fix/cli.js');
    const known = fixTypesOf(registry);
    const bad = fixTypes.filter((t) => !known.includes(t));
    if (bad.length) throw new Usage(`unknown --fix-type ${bad.map((b) => `"${b}"`).join(', ')}; fixable rules have the types ${known.join(', ')}`);
  }
  let run: import('./engine/linter.js').LintRun;
  let fixRun: import('./fix/run.js').FixRun | undefined;
  let cache: import('./engine/cache.js').LintCache | undefined;
  let recorder: import('./engine/cache.js').ReplayRecorder | undefined;
  if (fixMode) {
    // fixing always lints afresh (the cache holds no texts)
    const { lintAndFix } = require('./fix/run.js') as typeof import('./fix/run.js');
    const { fixFilter } = require('./fix/cli.js') as typeof import('./fix/cli.js');
    const { lint } = require('./engine/linter.js') as typeof import('./engine/linter.js');
    const base = { cwd: io.cwd, inputs, stdin, context: flags.context, config, cliRules, ignorePatterns: flags['ignore-pattern'], maxFileSize, registry, validateOptions: (id: string, opts: Record<string, unknown>, where: string) => validateRuleOptions(registry, id, opts, where, config.file ?? 'config', ConfigError), crds: flags.crd, kubernetesVersion: kubernetesVersion?.replace(/^v/, ''), helmValues: flags.values, helmSet: flags.set, helmDependencyUpdate: flags['helm-dependency-update'], allowUnmatched: flags['no-error-on-unmatched-pattern'] };
    fixRun = lintAndFix(lint, base, fixFilter(registry, fixTypes, Boolean(flags.quiet)));
    run = fixRun.run;
    run.notes.push(...fixRun.notes);
  } else if (flags.cache && !stdin) {
    const { LintCache, outputDigest, DEFAULT_CACHE_LOCATION } = require('./engine/cache.js') as typeof import('./engine/cache.js');
    const cacheInputs = { cwd: io.cwd, inputs, context: flags.context, config, cliRules, ignorePatterns: flags['ignore-pattern'], maxFileSize, registry, version: version(), crds: flags.crd, kubernetesVersion, render: { values: flags.values, set: flags.set, dependencyUpdate: flags['helm-dependency-update'], showRendered: flags['show-rendered'] } };
    cache = new LintCache(cacheInputs, flags['cache-location'] ?? DEFAULT_CACHE_LOCATION, (m) => io.stderr(`k8s-gold: ${m}\n`));
    // What this run prints depends only on the results and these options; a plug-in formatter or a step
    // summary (a file appended to) is never replayed.
    const builtinOnly = Boolean(loadFormatter(format)) && outputs.every((o) => loadFormatter(o.format));
    if (builtinOnly && !io.env.GITHUB_STEP_SUMMARY) {
      const replayKey = outputDigest({ format, outputs, mainToFile, color: useColor(flags, io.env, io.isTTY), quiet: Boolean(flags.quiet), maxWarnings, annotations: io.env.GITHUB_ACTIONS === 'true' && flags.format === undefined, cwd: io.cwd });
      const hit = cache.replay(replayKey);
      if (hit) {
        hit.play(io);
        return hit.code;
      }
      run = cache.run(doLint, { fixes });
      recorder = cache.recorder(replayKey);
    } else run = cache.run(doLint, { fixes });
  } else {
    if (flags['cache-location'] && !flags.cache) throw new Usage('--cache-location needs --cache');
    run = doLint();
  }
  // --fix-dry-run prints the diff and --fix on stdin the fixed text on stdout; their report goes to stderr
  const reportToStderr = Boolean(fixRun && (flags['fix-dry-run'] || stdin));
  const stdout = (s: string): void => {
    recorder?.stdout(s);
    if (reportToStderr) io.stderr(s);
    else io.stdout(s);
  };
  const stderr = (s: string): void => {
    recorder?.stderr(s);
    io.stderr(s);
  };
  try {
    const code = await report();
    if (code === EXIT_ERROR) recorder?.discard();
    else recorder?.commit(code);
    return code;
  } catch (e) {
    recorder?.discard();
    throw e;
  }

  async function report(): Promise<number> {

  let results = run.results;
  if (flags.quiet) {
    results = results.map((r) => {
      const messages = r.messages.filter((m) => m.level === 'error');
      return { ...r, messages, warningCount: 0, infoCount: 0 };
    });
  }
  const summary = { ...run.summary };
  if (flags.quiet) {
    summary.warnings = 0;
    summary.infos = 0;
  }
  if (fixRun) {
    const { writeFixes, dryRunDiff } = require('./fix/cli.js') as typeof import('./fix/cli.js');
    if (flags['fix-dry-run']) io.stdout(dryRunDiff(fixRun.fixed));
    else if (stdin) {
      const stdinDisplay = flags['stdin-filename'] ? flags['stdin-filename'].split(path.sep).join('/') : '<stdin>';
      const own = fixRun.fixed.find((f) => f.display === stdinDisplay);
      const bytes = typeof stdin.text === 'string' ? Buffer.from(stdin.text, 'utf8') : stdin.text;
      const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? '\ufeff' : '';
      if (own) io.stdout(bom + own.output);
      else io.stdout(bytes.toString('utf8'));
      run.notes.push(...writeFixes(fixRun.fixed.filter((f) => f !== own)));
    } else run.notes.push(...writeFixes(fixRun.fixed));
    const n = fixRun.fixed.reduce((a, f) => a + f.fixes, 0);
    if (fixRun.fixed.length) io.stderr(`k8s-gold: ${flags['fix-dry-run'] ? 'would apply' : 'applied'} ${n} fix${n === 1 ? '' : 'es'} to ${fixRun.fixed.length} file${fixRun.fixed.length === 1 ? '' : 's'} in ${fixRun.passes} pass${fixRun.passes === 1 ? '' : 'es'}\n`);
    // ESLint's `output` property: the fixed text of each fixed file
    const outputs = new Map(fixRun.fixed.map((f) => [f.display, f.output]));
    results = results.map((r) => (outputs.has(r.filePath) ? { ...r, output: outputs.get(r.filePath)! } : r));
  }
  const color = useColor(flags, io.env, io.isTTY) && !reportToStderr;
  const sources = new Map<string, string>();
  for (const [k, v] of run.sources ?? []) sources.set(k, v.text);
  const ctx: import('./report/types.js').FormatContext = { cwd: io.cwd, registry, summary, color, notes: run.notes, version: version(), env: io.env, internalErrors: run.internalErrors, sources };
  if (!loadFormatter(format)) ctx.rulesMeta = rulesMeta(ctx);

  for (const o of outputs) {
    const abs = path.resolve(io.cwd, o.file);
    const cannot = (e: unknown) => new Usage(`cannot write ${o.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    const streamed = o.format === format && !loadFormatter(format) ? undefined : loadStreamFormatter(o.format);
    if (streamed) {
      // large logs (json, SARIF) go to the file in pieces, never whole in memory
      let fd: number;
      try {
        fs.mkdirSync(path.dirname(abs), { recursive: true });
        fd = fs.openSync(abs, 'w');
      } catch (e) {
        throw cannot(e);
      }
      try {
        recorder?.file(abs, '');
        const w = chunked((s) => {
          try {
            fs.writeSync(fd, s);
          } catch (e) {
            throw cannot(e);
          }
          recorder?.file(abs, s);
        });
        streamed(results, { ...ctx, color: false }, w.write);
        w.end();
      } finally {
        fs.closeSync(fd);
      }
      continue;
    }
    const text = await (o.format === format ? formatter : loadFormatter(o.format)!)(results, { ...ctx, color: false });
    if (typeof text !== 'string') throw new Usage(`formatter "${o.format}" returned ${typeof text}, not a string`);
    try {
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, text);
      recorder?.file(abs, text);
    } catch (e) {
      throw cannot(e);
    }
  }
  if (!mainToFile && format === 'stylish') {
    // the bulk and the summary line apart (see stylishParts): same bytes, the bulk a one-byte string
    for (const part of (require('./report/stylish.js') as typeof import('./report/stylish.js')).stylishParts(results, ctx)) if (part) stdout(part);
  } else if (!mainToFile) {
    const streamed = loadStreamFormatter(format);
    if (streamed) {
      const w = chunked(stdout);
      streamed(results, ctx, w.write);
      w.end();
    } else {
      const text = await formatter(results, ctx);
      if (typeof text !== 'string') throw new Usage(`formatter "${format}" returned ${typeof text}, not a string`);
      stdout(text);
    }
  }
  // In GitHub Actions, the default output also gets annotations on the pull request's lines.
  if (io.env.GITHUB_ACTIONS === 'true' && flags.format === undefined) {
    stdout(loadFormatter('github')!(results, ctx));
  }
  if (io.env.GITHUB_STEP_SUMMARY) {
    const { stepSummary } = require('./report/summary.js') as typeof import('./report/summary.js');
    try {
      fs.appendFileSync(io.env.GITHUB_STEP_SUMMARY, stepSummary(results, ctx));
    } catch {
      io.stderr(`k8s-gold: cannot write the step summary to ${io.env.GITHUB_STEP_SUMMARY}\n`);
    }
  }

  for (const e of run.internalErrors) stderr(`k8s-gold: internal error: ${e}\n`);
  let code = EXIT_OK;
  if (run.internalErrors.length) code = EXIT_ERROR;
  else if (summary.errors > 0) code = EXIT_FINDINGS;
  else if (maxWarnings >= 0 && summary.warnings > maxWarnings) {
    stderr(`k8s-gold: ${summary.warnings} warnings, more than --max-warnings ${maxWarnings}\n`);
    code = EXIT_FINDINGS;
  }
  return code;
  }
}

/** Gathers small pieces into about 1 MB before passing them on (fewer writes, and never the whole output at once). */
function chunked(out: (s: string) => void): { write: (s: string) => void; end: () => void } {
  let parts: string[] = [];
  let length = 0;
  const flush = (): void => {
    if (parts.length === 0) return;
    const s = parts.join('');
    parts = [];
    length = 0;
    out(s);
  };
  return {
    write: (s) => {
      parts.push(s);
      length += s.length;
      if (length >= 1 << 20) flush();
    },
    end: flush,
  };
}
