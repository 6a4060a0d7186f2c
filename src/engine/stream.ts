/**
 * A run's results streamed (LintOptions.stream): each file's Findings handed to the report as soon as the file
 * is linted, so that they die young instead of living, promoted, until every file is linted (with every rule
 * on, tens of thousands of findings, their ranges and messages). Only where a file's result is final when its
 * lint ends and the run's order is the order the files are linted in: no chart or kustomization (their
 * findings are moved into their source files afterwards), no kustomize tree read raw, no incremental cache,
 * and files already in the order of their paths (the run's order).
 */
import type { FileFindings } from './finding.js';
import type { LoadedFile } from './load.js';
import { countsOf, noteCounts } from './stored-result.js';

/** Whether the files' results can be streamed as they are linted, in this order. */
export function streamable(loaded: readonly LoadedFile[]): boolean {
  for (let i = 0; i < loaded.length; i++) {
    if (loaded[i]!.render) return false;
    if (i > 0 && !(loaded[i - 1]!.file.path < loaded[i]!.file.path)) return false;
  }
  return true;
}

/** Hands a file's result to the stream; returns its head (no findings, its counts noted), which the run keeps for its summary. */
export function streamed(r: FileFindings, stream: (r: FileFindings) => void): FileFindings {
  stream(r);
  const head: FileFindings = { filePath: r.filePath, findings: [], suppressed: [], objectCount: r.objectCount };
  if (r.skipped !== undefined) head.skipped = r.skipped;
  noteCounts(head, countsOf(r));
  return head;
}
