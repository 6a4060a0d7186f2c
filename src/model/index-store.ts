/** The storage of the ObjectIndex: its objects by kind and by key, their positions, the context marks, and the memo tables add() clears. */
import type { DerivedTables } from './index-tables.js';
import type { ManifestObject, Obj } from './object.js';
import { isClusterScoped } from './scope.js';
import { isWorkload } from './workload.js';

type MO = ManifestObject<Obj>;

/** What the ObjectIndex reads from (see there): the objects added, filed by kind and key, and the memos of the reads. */
export class IndexStore {
  protected byKind = new Map<string, MO[]>();
  /** objects read from --context (and --crd) files: lookups see them, rules never report on them */
  protected contextObjects = new WeakSet<MO>();
  protected byIdentity: Map<string, MO[]> | undefined;
  protected byKey = new Map<string, MO[]>();
  readonly all: MO[] = [];
  /** each object's position in `all` (its first, if added twice) */
  protected positions = new WeakMap<MO, number>();
  /** memoised per-namespace lists (kind\0namespace, and workloads per namespace); cleared by add() */
  protected listCache = new Map<string, MO[]>();
  protected workloadCache = new Map<string | undefined, MO[]>();
  /** whether workloadCache holds every namespace's list */
  protected workloadsFilled = false;
  protected nameCache = new Map<string, Map<string, MO[]>>();
  /** HorizontalPodAutoscalers by namespace\0scaleTargetRef kind\0name, in index order; cleared by add() */
  protected hpaCache: Map<string, MO[]> | undefined;
  private derivedTables: DerivedTables | undefined;

  /** derived tables, built on first use; cleared by add() (made when read: adding 5,000 objects made 10,000 Maps) */
  protected get derived(): DerivedTables {
    return (this.derivedTables ??= { names: new Map(), selectors: new Map() });
  }

  constructor(objects: Iterable<MO> = []) {
    for (const o of objects) this.add(o);
  }

  add(o: MO, opts: { context?: boolean } = {}): void {
    if (opts.context) this.contextObjects.add(o);
    this.byIdentity = undefined;
    if (this.listCache.size) this.listCache.clear();
    if (this.workloadCache.size) this.workloadCache.clear();
    this.workloadsFilled = false;
    if (this.nameCache.size) this.nameCache.clear();
    this.hpaCache = undefined;
    this.derivedTables = undefined;
    if (!this.positions.has(o)) this.positions.set(o, this.all.length);
    this.all.push(o);
    const list = this.byKind.get(o.kind);
    if (list) list.push(o);
    else this.byKind.set(o.kind, [o]);
    // a list made with its first object holds one slot (`[]` and push() reserve 17): most keys have one object
    const key = this.key(o.kind, o.namespace, o.name);
    const same = this.byKey.get(key);
    if (same) same.push(o);
    else this.byKey.set(key, [o]);
  }

  protected key(kind: string, ns: string, name: string): string {
    // joined: one flat string (a template literal's pieces stay alive as long as the key)
    return [kind, isClusterScoped(kind) ? '' : ns, name].join('\u0000');
  }

  /** Fills the workload cache for every namespace in one pass. */
  protected workloadsByNamespace(): void {
    this.workloadsFilled = true;
    for (const o of this.all) {
      if (!isWorkload(o)) continue;
      const l = this.workloadCache.get(o.namespace);
      if (l) l.push(o);
      else this.workloadCache.set(o.namespace, [o]);
    }
  }
}
