// The stand-ins for the objects of unchanged files, and the recording of the ranges a parsed object gives.
import type { LoadedFile } from './load.js';
import { ManifestObject, type Obj, type SourceFile } from '../model/object.js';
import type { ParsedDocument } from '../parse/parse.js';
import type { Path, Range } from '../parse/source.js';
import { IncrementalRestart, rangeKey, type StoredObject } from './incremental-state.js';
import { rememberScaleTarget } from '../model/index-tables.js';
import type { KnownPodLabels } from '../model/workload.js';

/** Told of every read of a position of an object (its file's absolute path): a check reading another file's positions records it. */
export type PositionRead = (abs: string) => void;

/**
 * Makes a parsed object record the ranges it gives into its stored form, and report reads of its positions
 * (rangeOf, locate) and of its parsed document (`doc`: its comments, styles, raw scalars).
 */
export function recordRanges(o: ManifestObject<Obj>, s: StoredObject, read: PositionRead): void {
  const abs = o.file.absPath;
  const rangeOf = o.rangeOf;
  const locate = o.locate;
  const doc = o.doc;
  Object.defineProperty(o, 'doc', {
    get() {
      read(abs);
      return doc;
    },
    configurable: true,
    enumerable: true,
  });
  // the document's place in the file (compared, with the value, before a stored check is replayed) is not a read of it
  Object.defineProperty(o, 'docIndex', { value: doc.index, configurable: true });
  o.rangeOf = (path: Path, valueOnly = false) => {
    read(abs);
    const r = rangeOf.call(o, path, valueOnly);
    s.ranges[rangeKey(path, valueOnly)] = r;
    return r;
  };
  o.locate = (path: Path) => {
    read(abs);
    return locate.call(o, path);
  };
}

/** Makes a read file report reads of its parse (positions, documents, text) as reads of its positions. */
export function watchParse(l: LoadedFile, read: PositionRead): void {
  const file = l.file;
  const abs = file.absPath;
  let parse = file.parse;
  Object.defineProperty(file, 'parse', {
    get() {
      read(abs);
      return parse;
    },
    set(p: SourceFile['parse']) {
      parse = p;
    },
    configurable: true,
    enumerable: true,
  });
}

/** An object of an unchanged file: its stored values, positions from a parse made only when asked for. */
export class StandInObject extends ManifestObject<Obj> implements KnownPodLabels {
  readonly knownPodLabels: Obj | undefined;
  constructor(
    file: SourceFile,
    private readonly pos: number,
    private readonly stored: StoredObject,
    defaultNamespace: string,
    private readonly realFile: () => LoadedFile,
    private readonly read: PositionRead,
  ) {
    // the value is decoded when first read (what the index files an object under needs only the head)
    super(file, undefined as unknown as ParsedDocument, stored.base, stored.head ?? stored.data, defaultNamespace);
    const p = stored.proj;
    this.knownPodLabels = p?.labels;
    if (p?.target !== undefined) rememberScaleTarget(this, p.target ?? undefined);
  }

  static {
    // on the prototype (the constructor's assignments reach the setters): no per-object property definitions
    Object.defineProperties(StandInObject.prototype, {
      data: {
        get(this: StandInObject) {
          return this.stored.data;
        },
        set() {},
        configurable: true,
      },
      doc: {
        get(this: StandInObject) {
          this.read(this.file.absPath);
          return this.real().doc;
        },
        set() {},
        configurable: true,
      },
    });
  }

  override get docIndex(): number {
    return this.stored.doc;
  }

  private real(): ManifestObject<Obj> {
    const o = this.realFile().objects[this.pos];
    if (!o) throw new IncrementalRestart(`${this.file.path} changed during the run`);
    return o;
  }

  override locate(path: Path): import('../parse/tape.js').Located {
    this.read(this.file.absPath);
    return this.real().locate(path);
  }

  override rangeOf(path: Path, valueOnly = false): { range: Range; exact: boolean } {
    this.read(this.file.absPath);
    const key = rangeKey(path, valueOnly);
    const known = this.stored.ranges[key];
    if (known) return known;
    return (this.stored.ranges[key] = this.real().rangeOf(path, valueOnly));
  }
}
