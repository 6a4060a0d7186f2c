/**
 * The main report written file by file as the lint goes (engine/stream.ts): stylish and json to stdout, each
 * file's text as soon as the file is linted, so that its findings die young. The bytes are those the report
 * writes after the lint (cli-report.ts): both formats' text of a file is independent of the other files, and
 * what depends on the whole run (stylish's notes and summary line, json's closing bracket) is written at the end.
 */
import type { CliIO } from './cli-args.js';
import type { FileFindings } from './engine/finding.js';
import type { LintResult } from './engine/result.js';
import type { FormatContext } from './report/types.js';
import { chunkedBytes } from './report/chunked.js';

export interface ReportStream {
  /** writes a file's report (the engine's `LintOptions.stream`) */
  file: (r: FileFindings) => void;
  /** after the run: the rest of the report (stylish: the notes, then the summary line; json: the closing bracket) */
  end: (ctx: FormatContext) => void;
}

/** With --quiet, a file's errors alone (its warning and info counts zero, the others of all findings). */
export function quietResult(r: LintResult): LintResult {
  r.messages = r.messages.filter((m) => m.level === 'error');
  r.warningCount = 0;
  r.infoCount = 0;
  return r;
}

/** The stream of the main report in `format` to stdout, if it is one that can be streamed (stylish, json). */
export function reportStream(format: string, color: boolean, quiet: boolean, io: CliIO): ReportStream | undefined {
  if (format === 'stylish') {
    const { stylishFiles, stylishEnd } = require('./report/stylish.js') as typeof import('./report/stylish.js');
    const text = stylishFiles(color);
    // the pieces encoded into buffers as they come (as cli-report.ts writes stylish without the cache)
    const w = bytesTo(io);
    return {
      file: (r) => {
        const t = text(quiet ? { ...r, findings: r.findings.filter((f) => f.severity === 'error') } : r);
        if (t !== undefined) w.write(t);
      },
      end: (ctx) => {
        const summaryLine = stylishEnd(ctx, w.write);
        w.end();
        io.stdout(summaryLine);
      },
    };
  }
  if (format === 'json') {
    const { toPrintedLintResult } = require('./engine/finding.js') as typeof import('./engine/finding.js');
    const w = bytesTo(io);
    let n = 0;
    return {
      file: (r) => {
        const result = toPrintedLintResult(r);
        // a result is an object, so it serialises to a string (as writeJsonOf writes it)
        w.write((n++ === 0 ? '[' : ',') + JSON.stringify(quiet ? quietResult(result) : result));
      },
      end: () => {
        w.write(n === 0 ? '[]\n' : ']\n');
        w.end();
      },
    };
  }
  return undefined;
}

/**
 * stdout, the pieces encoded into buffers of about 1 MB as they come (no string that the write encodes again; for
 * json, 88 KB a file with every rule on, half the CPU of writing each file's string in a bare script); one reused
 * buffer when stdout takes the bytes before the write returns (a regular file)
 */
function bytesTo(io: CliIO): { write: (s: string) => void; end: () => void } {
  const write = io.writeBytes;
  if (write && io.consumesBytes?.('stdout')) return chunkedBytes((b) => write('stdout', b), true);
  return chunkedBytes((b) => (write ? write('stdout', b) : io.stdout(b.toString('utf8'))));
}
