// The records of a stored file entry (incremental-store.ts), each decoded when first used.
import * as v8 from 'node:v8';
import type { PackReader, Ref } from './incremental-pack.js';
import type { FileEntry, StoredObject } from './incremental-state.js';

/** The objects' values: each as JSON when JSON keeps them all exactly (each parsed when first read), else as they are. */
export type Values = { json: string[] } | { data: StoredObject['data'][] };
export interface Dyn {
  checks: FileEntry['checks'];
  ranges: StoredObject['ranges'][];
}

/** How many files' check, values and base records the current run decoded (incremental-store.ts, lastStats). */
export const recordStats = { decodedChecks: 0, decodedValues: 0, decodedBases: 0 };

/** The records of one file's entry, each decoded when first used. */
export class FileRecords {
  private values: Values | undefined;
  private parsed: StoredObject['data'][] = [];
  private k: string[][] | undefined;
  private d: Dyn | undefined;
  constructor(
    readonly r: PackReader,
    private readonly vref: Ref,
    private readonly kref: Ref,
    readonly dref: Ref,
  ) {}
  value(i: number): StoredObject['data'] {
    if (!this.values) recordStats.decodedValues++;
    const v = (this.values ??= v8.deserialize(this.r.bytes(this.vref)) as Values);
    if (!('json' in v)) return v.data[i]!;
    // a check usually reads one object of a file (the one it checks, or one another check found in the index)
    return (this.parsed[i] ??= JSON.parse(v.json[i]!) as StoredObject['data']);
  }
  keys(i: number): string[] {
    return (this.k ??= v8.deserialize(this.r.bytes(this.kref)) as string[][])[i]!;
  }
  dyn(): Dyn {
    if (!this.d) recordStats.decodedChecks++;
    return (this.d ??= v8.deserialize(this.r.bytes(this.dref)) as Dyn);
  }
  get decoded(): boolean {
    return this.d !== undefined;
  }
}

/** An object of a stored entry: its value, keys and ranges decoded when first read. */
export class StoredView implements StoredObject {
  readonly doc: number;
  readonly base: StoredObject['base'];
  readonly head: StoredObject['head'];
  readonly proj: StoredObject['proj'];
  private r: StoredObject['ranges'] | undefined;
  constructor(
    o: Omit<StoredObject, 'ranges' | 'keys' | 'data'>,
    private readonly f: FileRecords,
    private readonly i: number,
  ) {
    this.doc = o.doc;
    this.base = o.base;
    this.head = o.head;
    this.proj = o.proj;
  }
  get data(): StoredObject['data'] {
    return this.f.value(this.i);
  }
  get keys(): string[] {
    return this.f.keys(this.i);
  }
  get ranges(): StoredObject['ranges'] {
    return (this.r ??= this.f.dyn().ranges[this.i] ?? {});
  }
}
