/**
 * The command line. Exit codes, as ESLint: 0 clean, 1 findings (errors, or
 * more warnings than --max-warnings), 2 usage, config or internal error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXIT_ERROR, EXIT_OK, HELP, parse, Usage, version, type CliIO, type LintFlags } from './cli-args.js';
import { lintCommand, lintSettled, type WarmOf } from './cli-lint.js';

export { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, useColor, version, type CliIO } from './cli-args.js';

function defaultIO(): CliIO {
  // `k8s-gold lint . | head`: once the reader has gone, the rest of the output is dropped (no EPIPE stack
  // trace) and the run still ends with its own exit code
  let closed = false;
  const regularFile = new Map<number, boolean>();
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    closed = true;
  });
  return {
    stdout: (s) => closed || process.stdout.write(s),
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
    writeBytes: (to, bytes) => (to === 'stdout' ? closed || process.stdout.write(bytes) : process.stderr.write(bytes)),
    // a regular file is written synchronously (Node's stdio stream for a file writes before returning): a pipe or a
    // terminal may keep the bytes until it can take them
    consumesBytes: (to) => {
      const fd = to === 'stdout' ? 1 : 2;
      let r = regularFile.get(fd);
      if (r === undefined) {
        try {
          r = fs.fstatSync(fd).isFile();
        } catch {
          r = false;
        }
        regularFile.set(fd, r);
      }
      return r;
    },
  };
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
    io.stderr(
      `k8s-gold: internal error: ${err?.message ?? String(e)}\n${io.env.K8S_GOLD_DEBUG ? (err?.stack ?? '') + '\n' : 'Set K8S_GOLD_DEBUG=1 for details, and please report this.\n'}`,
    );
    return EXIT_ERROR;
  }
}

/**
 * Whether the process may exit as soon as the last `run` has returned and its output is written, instead of letting the
 * event loop end: a lint that ran only the tool's own code (no plug-in formatter or rule) leaves it nothing to do but
 * V8's pending garbage-collection tasks (a scavenge and the end of an incremental marking, about 25 ms of CPU in a
 * one-changed-file run; docs/performance.md, "One changed file: ... (inc20)").
 */
export function mayExitAtOnce(): boolean {
  return lintSettled.value;
}

async function main(argv: string[], io: CliIO): Promise<number> {
  lintSettled.value = false;
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
  // the warm path's key (src/engine/warm-key.ts), before the config is read: a config changed meanwhile is not taken for the one read
  const warm = command === 'lint' && flags.cache ? warmKeyOf(argv, flags, io) : undefined;
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
  return lintCommand(args, flags, io, registry, config, warm);
}

/** The warm key of a run of the bundle (whose stamp stands for the code), with the config file it names. */
function warmKeyOf(argv: string[], flags: LintFlags, io: CliIO): WarmOf | undefined {
  const { BUNDLED, PACKAGE_ROOT } = require('./util/layout.js') as typeof import('./util/layout.js');
  if (!BUNDLED) return undefined;
  const { configFileOf, warmKey } = require('./engine/warm-key.js') as typeof import('./engine/warm-key.js');
  const { DEFAULT_CACHE_LOCATION } = require('./engine/cache-replay.js') as typeof import('./engine/cache-replay.js');
  const { fsNow } = require('./util/stamp.js') as typeof import('./util/stamp.js');
  // the file system's time before any stamp is taken: a stamp not older is not trusted (stampTrusted)
  const since = fsNow(`${path.resolve(io.cwd, flags['cache-location'] ?? DEFAULT_CACHE_LOCATION)}.idx`);
  const configFile = configFileOf(flags, io.cwd);
  const key = warmKey({ argv, cwd: io.cwd, env: io.env, isTTY: io.isTTY, config: configFile, packageRoot: PACKAGE_ROOT }, { since });
  return key === undefined ? undefined : { key, configFile, since };
}
