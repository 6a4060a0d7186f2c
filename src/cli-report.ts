/**
 * The lint command's report: the formats to stdout and to files (streamed where the formatter can), the
 * fixed texts of --fix, GitHub annotations and the step summary, and the exit code. The built-in formats
 * but json read each file's Findings; json and plug-in (ESLint) formatters read ESLint's LintResult, made
 * here, at that edge, one file at a time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, Usage, useColor, version, type CliIO, type LintFlags } from './cli-args.js';
import type { FindingsRun } from './engine/linter.js';
import type { FileFindings } from './engine/finding.js';
import type { LintResult } from './engine/result.js';
import type { RuleRegistry } from './engine/registry.js';
import type { FixRun } from './fix/run.js';
import type { AnyFormatter, FormatContext } from './report/types.js';
import { chunked, chunkedBytes } from './report/chunked.js';
import { quietResult, type ReportStream } from './cli-stream.js';

export interface ReportJob {
  run: FindingsRun;
  fixRun?: FixRun;
  flags: LintFlags;
  io: CliIO;
  registry: RuleRegistry;
  format: string;
  formatter: AnyFormatter;
  /** -o files: the main format's, and other built-in formats' */
  outputs: { format: string; file: string }[];
  mainToFile: boolean;
  maxWarnings: number;
  stdin?: { text: string | Buffer; filename?: string };
  /** --fix-dry-run, and --fix on stdin: the report goes to stderr */
  reportToStderr: boolean;
  /** where the main report and the messages go (recorded for a --cache replay) */
  stdout: (s: string) => void;
  /**
   * bytes for stdout (copied from the previous output), recorded as `stdout` records; `transient`: the buffer is reused
   * once the call returns (a writer that keeps it must copy it)
   */
  stdoutBytes?: (b: Buffer, transient?: boolean) => void;
  stderr: (s: string) => void;
  recorder?: import('./engine/cache.js').ReplayRecorder;
  /** the stylish text of each file in the previous --cache run's output, if printed with the same options */
  previousBlocks?: import('./engine/report-blocks.js').PreviousBlocks;
  /** the main report, written file by file as the lint went when the run says so (`run.streamed`) */
  stream?: ReportStream;
}

/** Writes the report of a run and returns the exit code. */
export async function report(job: ReportJob): Promise<number> {
  const {
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
    stderr,
    recorder,
  } = job;
  const { findingsFormatter, loadFormatter, loadStreamFormatter, rulesMeta } =
    require('./report/index.js') as typeof import('./report/index.js');
  let files: FileFindings[] = run.results;
  if (flags.quiet) files = files.map((r) => ({ ...r, findings: r.findings.filter((f) => f.severity === 'error') }));
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
    if (fixRun.fixed.length)
      io.stderr(
        `k8s-gold: ${flags['fix-dry-run'] ? 'would apply' : 'applied'} ${n} fix${n === 1 ? '' : 'es'} to ${fixRun.fixed.length} file${fixRun.fixed.length === 1 ? '' : 's'} in ${fixRun.passes} pass${fixRun.passes === 1 ? '' : 'es'}\n`,
      );
  }
  // ESLint's LintResult of a file of the run (json, plug-in formatters): with --quiet only its errors (the
  // warning and info counts zero, the others of all findings), with --fix ESLint's `output` property, the
  // fixed text of each fixed file
  const fixedText = fixRun ? new Map(fixRun.fixed.map((f) => [f.display, f.output])) : undefined;
  const { toLintResult, toPrintedLintResult } = require('./engine/finding.js') as typeof import('./engine/finding.js');
  // `printed`: only serialised (json), not handed to a formatter that may read the Findings back
  const eslintResult = (file: FileFindings, printed = false): LintResult => {
    const r = printed ? toPrintedLintResult(file) : toLintResult(file);
    if (flags.quiet) quietResult(r);
    if (fixedText?.has(r.filePath)) r.output = fixedText.get(r.filePath)!;
    return r;
  };
  const color = useColor(flags, io.env, io.isTTY) && !reportToStderr;
  // read when a format asks (a file the incremental cache replayed is read from disk only then)
  const sources = { get: (k: string): string | undefined => run.sources?.get(k)?.text };
  const ctx: FormatContext = {
    cwd: io.cwd,
    registry,
    summary,
    color,
    notes: run.notes,
    version: version(),
    env: io.env,
    internalErrors: run.internalErrors,
    sources,
  };
  if (!loadFormatter(format)) ctx.rulesMeta = rulesMeta(ctx);
  // a format written in pieces (json, SARIF: large logs, never whole in memory), if it is one
  const streamOf = (fmt: string): ((c: FormatContext, write: (s: string) => void) => void) | undefined => {
    if (fmt === 'json') {
      const { writeJsonOf } = require('./report/json.js') as typeof import('./report/json.js');
      return (_c, write) => writeJsonOf(run.results, (file) => eslintResult(file, true), write);
    }
    const streamed = loadStreamFormatter(fmt);
    return streamed && ((c, write) => streamed(files, c, write));
  };
  // a format's whole text: a built-in reads the Findings, a plug-in (ESLint) formatter the LintResults
  const textOf = async (fmt: string, c: FormatContext): Promise<unknown> => {
    const f = findingsFormatter(fmt);
    if (f) return f(files, c);
    return (fmt === format ? formatter : loadFormatter(fmt)!)(
      run.results.map((r) => eslintResult(r)),
      c,
    );
  };

  for (const o of outputs) {
    const abs = path.resolve(io.cwd, o.file);
    const cannot = (e: unknown) => new Usage(`cannot write ${o.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    const streamed = streamOf(o.format);
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
        streamed({ ...ctx, color: false }, w.write);
        w.end();
      } finally {
        fs.closeSync(fd);
      }
      continue;
    }
    const text = await textOf(o.format, { ...ctx, color: false });
    if (typeof text !== 'string') throw new Usage(`formatter "${o.format}" returned ${typeof text}, not a string`);
    try {
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, text);
      recorder?.file(abs, text);
    } catch (e) {
      throw cannot(e);
    }
  }
  if (run.streamed && job.stream) job.stream.end(ctx);
  else if (!mainToFile && format === 'stylish') {
    // in pieces, gathered to about 1 MB a write, and the summary line apart (see stylishParts): same bytes
    // with --cache, file by file: the text of a file unchanged since the previous run is copied from its output
    // the copied text comes in pieces of a reused buffer (transient: a writer that keeps them copies them)
    const bytes: (b: Buffer, transient?: boolean) => void = job.stdoutBytes ?? ((b) => stdout(b.toString('utf8')));
    // without the cache, the pieces are encoded into buffers as they come (no joined string to copy again)
    // (one reused buffer: `transient`, as the copied text's)
    const toBytes = job.stdoutBytes;
    const w = recorder || job.previousBlocks || !toBytes ? chunked(stdout) : chunkedBytes((b) => toBytes(b, true), true);
    const summaryLine =
      recorder || job.previousBlocks
        ? (require('./cli-stylish.js') as typeof import('./cli-stylish.js')).writeStylishBlocks(
            files,
            ctx,
            {
              write: w.write,
              bytes: (b) => {
                w.end();
                bytes(b, true);
              },
            },
            recorder,
            job.previousBlocks,
          )
        : (require('./report/stylish.js') as typeof import('./report/stylish.js')).writeStylish(files, ctx, w.write);
    w.end();
    stdout(summaryLine);
  } else if (!mainToFile) {
    const streamed = streamOf(format);
    if (streamed) {
      const w = chunked(stdout);
      streamed(ctx, w.write);
      w.end();
    } else {
      const text = await textOf(format, ctx);
      if (typeof text !== 'string') throw new Usage(`formatter "${format}" returned ${typeof text}, not a string`);
      stdout(text);
    }
  }
  // In GitHub Actions, the default output also gets annotations on the pull request's lines.
  if (io.env.GITHUB_ACTIONS === 'true' && flags.format === undefined) {
    stdout(findingsFormatter('github')!(files, ctx));
  }
  if (io.env.GITHUB_STEP_SUMMARY) {
    const { stepSummary } = require('./report/summary.js') as typeof import('./report/summary.js');
    try {
      fs.appendFileSync(io.env.GITHUB_STEP_SUMMARY, stepSummary(files, ctx));
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
