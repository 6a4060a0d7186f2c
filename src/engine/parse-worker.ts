/** Worker thread: reads and parses a share of the inputs for readInputsParallel (parallel.ts). */
import { workerData, type MessagePort } from 'node:worker_threads';
import { readManifestFile } from '../load/read.js';
import { parseText } from '../parse/parse.js';
import { parsedMessage, type WorkerMessage } from './parallel.js';

interface Data {
  files: { i: number; abs: string }[];
  maxSize: number;
  port: MessagePort;
  state: Int32Array;
  slot: number;
}

const { files, maxSize, port, state, slot } = workerData as Data;
for (const f of files) {
  let msg: WorkerMessage;
  let transfer: ArrayBuffer[] = [];
  try {
    const r = readManifestFile(f.abs, maxSize);
    if (!r.ok) {
      msg = { i: f.i, kind: 'unreadable', result: r };
    } else {
      const parse = parseText(r.text, { json: f.abs.toLowerCase().endsWith('.json') });
      ({ msg, transfer } = parsedMessage(f.i, r.text, parse));
    }
  } catch (e) {
    msg = { i: f.i, kind: 'failed', message: (e as Error)?.message ?? String(e) };
  }
  try {
    port.postMessage(msg, transfer);
  } catch (e) {
    port.postMessage({ i: f.i, kind: 'failed', message: (e as Error)?.message ?? String(e) } satisfies WorkerMessage);
  }
  Atomics.add(state, slot, 1);
  Atomics.add(state, 0, 1);
  Atomics.notify(state, 0);
}
port.postMessage({ kind: 'end' });
Atomics.add(state, 0, 1);
Atomics.notify(state, 0);
