// The lint command: its options checked, the run (fresh, fixing, or through the cache and its replay), then the report.
import { EXIT_ERROR, Usage, useColor, version, type CliIO, type LintFlags } from './cli-args.js';

/**
 * The warm key (src/engine/warm-key.ts) taken before the config was read, with the config file it names and the file
 * system's time taken before both (util/stamp.ts fsNow: stamps not older are not trusted).
 */
export interface WarmOf {
  key: string;
  configFile: string | undefined;
  since: import('./util/stamp.js').FsTime | undefined;
}

/**
 * Whether the last lint ran only the tool's own code (built-in formats, no plug-in rules): such a run leaves nothing
 * for the event loop once it has returned and its output is written (bin/k8s-gold.js then exits at once; a plug-in may
 * have started work of its own).
 */
export const lintSettled = { value: false };

export async function lintCommand(
  args: string[],
  flags: LintFlags,
  io: CliIO,
  registry: import('./engine/registry.js').RuleRegistry,
  config: import('./config/config.js').LoadedConfig,
  warm?: WarmOf,
): Promise<number> {
  lintSettled.value = false;
  const { isSeverity, ConfigError } = require('./config/config.js') as typeof import('./config/config.js');
  const { loadFormatter, resolveFormatter, FormatterLoadError, FORMATS } =
    require('./report/index.js') as typeof import('./report/index.js');

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
    if (!/^\d+$/.test(flags['max-file-size']) || Number(flags['max-file-size']) <= 0)
      throw new Usage(`--max-file-size takes a positive number of bytes, not "${flags['max-file-size']}"`);
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
  if (kubernetesVersion !== undefined && !/^v?1\.\d+$/.test(kubernetesVersion))
    throw new Usage(`--kubernetes-version takes a version such as 1.29, not "${kubernetesVersion}"`);
  const inputs = args.length ? args : ['.'];
  let stdin: { text: string | Buffer; filename?: string } | undefined;
  if (inputs.includes('-')) stdin = { text: await io.readStdin(), filename: flags['stdin-filename'] };
  else if (flags['stdin-filename']) throw new Usage('--stdin-filename needs "-" among the inputs');

  const { validateRuleOptions } = require('./config/options.js') as typeof import('./config/options.js');
  // only json, SARIF and formatter modules show fixes and suggestions
  const fixes = [format, ...outputs.map((o) => o.format)].some((f) => !['stylish', 'github', 'junit'].includes(f));
  // the options every lint of this command shares (--fix lints with these alone)
  const base = {
    cwd: io.cwd,
    inputs,
    stdin,
    context: flags.context,
    config,
    cliRules,
    ignorePatterns: flags['ignore-pattern'],
    maxFileSize,
    registry,
    validateOptions: (id: string, opts: Record<string, unknown>, where: string) =>
      validateRuleOptions(registry, id, opts, where, config.file ?? 'config', ConfigError),
    crds: flags.crd,
    kubernetesVersion: kubernetesVersion?.replace(/^v/, ''),
    helmValues: flags.values,
    helmSet: flags.set,
    helmDependencyUpdate: flags['helm-dependency-update'],
    allowUnmatched: flags['no-error-on-unmatched-pattern'],
  };
  const doLint = (
    incremental?: import('./engine/incremental.js').Incremental,
    discovery?: import('./load/discover.js').Discovery,
    stream?: (r: import('./engine/finding.js').FileFindings) => void,
  ) =>
    (require('./engine/linter.js') as typeof import('./engine/linter.js')).lintFindings({
      ...base,
      discovery,
      showRendered: flags['show-rendered'],
      fixes,
      incremental,
      stream,
    });
  const fixMode = flags.fix || flags['fix-dry-run'];
  if (flags.fix && flags['fix-dry-run']) throw new Usage('--fix and --fix-dry-run exclude each other');
  if (flags['fix-type'] && !fixMode) throw new Usage('--fix-type needs --fix or --fix-dry-run');
  const fixTypes = (flags['fix-type'] ?? [])
    .flatMap((t) => t.split(','))
    .map((t) => t.trim())
    .filter(Boolean);
  if (fixTypes.length) {
    const { fixTypesOf } = require('./fix/cli.js') as typeof import('./fix/cli.js');
    const known = fixTypesOf(registry);
    const bad = fixTypes.filter((t) => !known.includes(t));
    if (bad.length)
      throw new Usage(`unknown --fix-type ${bad.map((b) => `"${b}"`).join(', ')}; fixable rules have the types ${known.join(', ')}`);
  }
  let run: import('./engine/linter.js').FindingsRun;
  let fixRun: import('./fix/run.js').FixRun | undefined;
  let cache: import('./engine/cache.js').LintCache | undefined;
  let recorder: import('./engine/cache.js').ReplayRecorder | undefined;
  let previousBlocks: import('./engine/report-blocks.js').PreviousBlocks | undefined;
  let stream: import('./cli-stream.js').ReportStream | undefined;
  if (fixMode) {
    // fixing always lints afresh (the cache holds no texts)
    const { lintAndFix } = require('./fix/run.js') as typeof import('./fix/run.js');
    const { fixFilter } = require('./fix/cli.js') as typeof import('./fix/cli.js');
    const { lintFindings } = require('./engine/linter.js') as typeof import('./engine/linter.js');
    fixRun = lintAndFix(lintFindings, base, fixFilter(registry, fixTypes, Boolean(flags.quiet)));
    run = fixRun.run;
    run.notes.push(...fixRun.notes);
  } else if (flags.cache && !stdin) {
    const { LintCache, outputDigest, DEFAULT_CACHE_LOCATION } = require('./engine/cache.js') as typeof import('./engine/cache.js');
    const cacheInputs = {
      cwd: io.cwd,
      inputs,
      context: flags.context,
      config,
      cliRules,
      ignorePatterns: flags['ignore-pattern'],
      maxFileSize,
      registry,
      version: version(),
      crds: flags.crd,
      kubernetesVersion,
      render: {
        values: flags.values,
        set: flags.set,
        dependencyUpdate: flags['helm-dependency-update'],
        showRendered: flags['show-rendered'],
      },
    };
    cache = new LintCache(
      cacheInputs,
      flags['cache-location'] ?? DEFAULT_CACHE_LOCATION,
      (m) => io.stderr(`k8s-gold: ${m}\n`),
      warm ? { since: warm.since } : undefined,
    );
    // What this run prints depends only on the results and these options; a plug-in formatter or a step
    // summary (a file appended to) is never replayed.
    const builtinOnly = Boolean(loadFormatter(format)) && outputs.every((o) => loadFormatter(o.format));
    if (builtinOnly && !io.env.GITHUB_STEP_SUMMARY) {
      const replayKey = outputDigest({
        format,
        outputs,
        mainToFile,
        color: useColor(flags, io.env, io.isTTY),
        quiet: Boolean(flags.quiet),
        maxWarnings,
        annotations: io.env.GITHUB_ACTIONS === 'true' && flags.format === undefined,
        cwd: io.cwd,
        // SARIF and annotation paths are relative to the repository root (report/sarif-locations.ts)
        root: (require('./engine/warm-key.js') as typeof import('./engine/warm-key.js')).gitRoot(io.cwd),
      });
      const hit = cache.replay(replayKey);
      if (hit) {
        hit.play(io);
        cache.rewarm(warmKeyFor(warm, config));
        return hit.code;
      }
      run = cache.run(doLint, { fixes });
      if (format === 'stylish' && !mainToFile) previousBlocks = cache.previousBlocks(replayKey);
      recorder = cache.recorder(replayKey, warmKeyFor(warm, config));
    } else run = cache.run(doLint, { fixes });
  } else {
    if (flags['cache-location'] && !flags.cache) throw new Usage('--cache-location needs --cache');
    // the main report alone, to stdout: written file by file as the lint goes (cli-stream.ts), where the run allows
    if (!outputs.length && !(io.env.GITHUB_ACTIONS === 'true' && flags.format === undefined) && !io.env.GITHUB_STEP_SUMMARY)
      stream = (require('./cli-stream.js') as typeof import('./cli-stream.js')).reportStream(
        format,
        useColor(flags, io.env, io.isTTY),
        Boolean(flags.quiet),
        io,
      );
    run = doLint(undefined, undefined, stream?.file);
  }
  // --fix-dry-run prints the diff and --fix on stdin the fixed text on stdout; their report goes to stderr
  const reportToStderr = Boolean(fixRun && (flags['fix-dry-run'] || stdin));
  const stdout = (s: string): void => {
    recorder?.stdout(s);
    if (reportToStderr) io.stderr(s);
    else io.stdout(s);
  };
  const stdoutBytes = (b: Buffer, transient = false): void => {
    // the recorder writes them before it returns
    recorder?.stdoutBytes(b);
    const to = reportToStderr ? 'stderr' : 'stdout';
    // a stream that may keep the bytes past the call (a pipe that is full) gets its own copy of a reused buffer
    if (io.writeBytes) io.writeBytes(to, transient && !io.consumesBytes?.(to) ? Buffer.from(b) : b);
    else io[to](b.toString('utf8'));
  };
  const stderr = (s: string): void => {
    recorder?.stderr(s);
    io.stderr(s);
  };
  try {
    const { report } = require('./cli-report.js') as typeof import('./cli-report.js');
    const code = await report({
      run,
      fixRun,
      flags,
      io,
      registry,
      format,
      formatter,
      outputs,
      mainToFile,
      maxWarnings,
      stdin,
      reportToStderr,
      stdout,
      stdoutBytes,
      stderr,
      recorder,
      previousBlocks,
      stream,
    });
    if (code === EXIT_ERROR) recorder?.discard();
    else recorder?.commit(code);
    lintSettled.value =
      !config.data.plugins?.length && [format, ...outputs.map((o) => o.format)].every((f) => (FORMATS as readonly string[]).includes(f));
    return code;
  } catch (e) {
    recorder?.discard();
    throw e;
  } finally {
    previousBlocks?.close();
  }
}

/** The warm key (src/engine/warm-key.ts) of a run whose config the warm path can judge by its stamp, else undefined. */
function warmKeyFor(warm: WarmOf | undefined, config: import('./config/config.js').LoadedConfig): string | undefined {
  // configured charts (rendered whether or not a walk finds them) and plug-ins (code that may read anything) are not for it
  if (!warm || warm.configFile !== config.file || config.data.helm?.charts?.length || config.data.plugins?.length) return undefined;
  return warm.key;
}
