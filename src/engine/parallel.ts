/**
 * Reading and parsing inputs on several threads, synchronously (lint() is
 * synchronous): worker threads parse their share of the files while the main
 * thread parses its own, then the main thread collects the workers' results
 * with receiveMessageOnPort. Results are merged in discovery order, so the
 * output never depends on the number of threads.
 *
 * Positions cross as they are kept: a file's span tape (src/parse/tape.ts) is
 * one Int32Array, transferred to the main thread, not copied.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import type { DiscoveredFile } from '../load/discover.js';
import type { ReadResult } from '../load/read.js';
import type { ParseOutput } from '../parse/parse.js';
import { SourceText } from '../parse/source.js';
import { SpanTape } from '../parse/tape.js';
import { CODE_DIR } from '../util/layout.js';
import { isJsonName, loadParsed, readInput, unreadable, type LoadedFile } from './load.js';

/** A worker that makes no progress for this long is given up on; the main thread parses its files. */
const STALL_MS = 30_000;

export const WORKER_FILE = path.join(CODE_DIR, 'engine', 'parse-worker.js');

/**
 * Worker threads are opt-in (K8S_GOLD_WORKERS / LintOptions.workers): on the
 * 2-CPU machine of docs/performance.md they were measured slower than one
 * thread (the yaml parser dominates, and shipping values and positions back
 * to the main thread costs about as much as the parse it saves).
 */
export function planWorkers(files: DiscoveredFile[], requested: number | undefined): number {
  if (!requested || files.length < 2 || !fs.existsSync(WORKER_FILE)) return 0;
  return Math.max(0, Math.min(requested, files.length - 1));
}

export type WorkerMessage =
  | { i: number; kind: 'parsed'; text: string; documents: ParseOutput['documents']; errors: ParseOutput['errors']; tape: Int32Array; keys: Map<number, string> | undefined }
  | { i: number; kind: 'unreadable'; result: Extract<ReadResult, { ok: false }> }
  | { i: number; kind: 'failed'; message: string };

/** The parts of a parse that cross from a worker, and the buffers they transfer (the span tape moves, it is not copied). */
export function parsedMessage(i: number, text: string, parse: ParseOutput): { msg: Extract<WorkerMessage, { kind: 'parsed' }>; transfer: ArrayBuffer[] } {
  const tape = parse.spans.data;
  return {
    msg: { i, kind: 'parsed', text, documents: parse.documents, errors: parse.errors, tape, keys: parse.spans.keys },
    transfer: [tape.buffer as ArrayBuffer],
  };
}

/** The parse a worker sent. */
export function receivedParse(m: Extract<WorkerMessage, { kind: 'parsed' }>): ParseOutput {
  const values = m.documents.map((d) => d.value);
  return { source: new SourceText(m.text), documents: m.documents, errors: m.errors, spans: new SpanTape(m.tape, m.text, m.keys, values) };
}

/** Splits files into `parts` shares of about equal size, keeping each share in discovery order. */
function shares(files: DiscoveredFile[], parts: number): number[][] {
  const sized = files.map((f, i) => {
    let size = 0;
    try {
      size = fs.statSync(f.abs).size;
    } catch {
      // reported when read
    }
    return { i, size };
  });
  const out: number[][] = Array.from({ length: parts }, () => []);
  const load = new Array<number>(parts).fill(0);
  for (const s of [...sized].sort((a, b) => b.size - a.size || a.i - b.i)) {
    let best = 0;
    for (let p = 1; p < parts; p++) if (load[p]! < load[best]!) best = p;
    out[best]!.push(s.i);
    load[best]! += s.size + 256;
  }
  for (const o of out) o.sort((a, b) => a - b);
  return out;
}

export function readInputsParallel(files: DiscoveredFile[], maxSize: number, defaultNamespace: string, workers: number): LoadedFile[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const wt = require('node:worker_threads') as typeof import('node:worker_threads');
  const parts = shares(files, workers + 1);
  const out: (LoadedFile | undefined)[] = new Array(files.length);
  const state = new Int32Array(new SharedArrayBuffer(4 * (1 + workers)));
  const started: { worker: import('node:worker_threads').Worker; port: MessagePort; files: number[] }[] = [];
  for (let w = 0; w < workers; w++) {
    const mine = parts[w + 1]!;
    if (mine.length === 0) continue;
    const { port1, port2 } = new wt.MessageChannel();
    const worker = new wt.Worker(WORKER_FILE, {
      workerData: { files: mine.map((i) => ({ i, abs: files[i]!.abs })), maxSize, port: port2, state, slot: w + 1 },
      transferList: [port2],
      stdout: false,
      stderr: false,
      resourceLimits: { stackSizeMb: 8, maxYoungGenerationSizeMb: 64 },
    });
    worker.unref();
    started.push({ worker, port: port1, files: mine });
  }
  const accept = (m: WorkerMessage): void => {
    const f = files[m.i]!;
    if (m.kind === 'parsed') {
      out[m.i] = loadParsed(f.display, f.abs, receivedParse(m), m.text, defaultNamespace);
    } else if (m.kind === 'unreadable') {
      out[m.i] = unreadable(f, m.result);
    }
    // 'failed': the main thread reads the file itself below
  };
  // the main thread's own share, while the workers run
  for (const i of parts[0]!) out[i] = readInput(files[i]!, maxSize, defaultNamespace);

  let pending = started.length;
  const lastProgress = started.map(() => ({ count: -1, at: Date.now() }));
  const done = new Set<number>();
  while (pending > 0) {
    const before = Atomics.load(state, 0);
    started.forEach((s, k) => {
      if (done.has(k)) return;
      for (let m = wt.receiveMessageOnPort(s.port); m; m = wt.receiveMessageOnPort(s.port)) {
        const msg = m.message as WorkerMessage | { kind: 'end' };
        if (msg.kind === 'end') {
          done.add(k);
          pending--;
          break;
        }
        accept(msg);
      }
      if (done.has(k)) return;
      const progress = Atomics.load(state, k + 1);
      const lp = lastProgress[k]!;
      if (progress !== lp.count) {
        lp.count = progress;
        lp.at = Date.now();
      } else if (Date.now() - lp.at > STALL_MS) {
        void s.worker.terminate();
        done.add(k);
        pending--;
      }
    });
    if (pending > 0) Atomics.wait(state, 0, before, 200);
  }
  for (const s of started) {
    s.port.close();
    void s.worker.terminate();
  }
  // anything a worker could not do (a crash, a stalled worker) is done here
  for (let i = 0; i < files.length; i++) if (!out[i]) out[i] = readInput(files[i]!, maxSize, defaultNamespace);
  return out as LoadedFile[];
}

export { isJsonName };
