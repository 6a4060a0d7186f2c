/**
 * The ObjectIndex's label, directory, name and selector lookups answer
 * exactly what going through the objects would: same objects, same order.
 * Random inputs (fast-check) compare each lookup with the plain filter it
 * replaces in the cross-object rules.
 */
import fc from 'fast-check';
import { loadSource } from '../src/engine/linter';
import { ObjectIndex, sameDirectory } from '../src/model/index';
import type { ManifestObject, Obj } from '../src/model/object';
import { isWorkload, podLabels } from '../src/model/workload';
import { compileSelector, labelString, mapSelectorMatches, selectorMatches } from '../src/util/selector';
import { closest } from '../src/util/strings';

type MO = ManifestObject<Obj>;

const NAMESPACES = ['a', 'b'];
const DIRS = ['/r/x', '/r/y', '/r/x/z'];
const KEYS = ['app', 'tier', 'k'];
const VALUES: unknown[] = ['v1', 'v2', '1', 1, true, 'true', null, '', { x: 1 }, ['v1']];
const NAMES = [
  'web',
  'webb',
  'Web',
  'api',
  'apix',
  'db',
  'café',
  'cafe',
  'a-very-long-name',
  'a-very-long-nam',
  'abcdefghi',
  'abcdefghij',
  'abcdefghijk',
  'İİİİİİ',
];

const labels = fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 3 });
const expr = fc.record({
  key: fc.constantFrom(...KEYS),
  operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist', 'in'),
  values: fc.option(fc.array(fc.constantFrom('v1', 'v2', '1', 'true', ''), { maxLength: 2 }), { nil: undefined }),
});
const labelSelector = fc.oneof(
  fc.constant(undefined),
  fc.constant({}),
  fc.record({ matchLabels: labels }, { requiredKeys: [] }),
  fc.record({ matchLabels: labels, matchExpressions: fc.array(expr, { maxLength: 2 }) }, { requiredKeys: [] }),
);

const doc = fc.oneof(
  fc
    .record({
      kind: fc.constantFrom('Deployment', 'PodTemplate', 'Job', 'Pod', 'StatefulSet'),
      name: fc.constantFrom(...NAMES),
      labels,
    })
    .map(({ kind, name, labels }) => {
      const apiVersion = kind === 'Deployment' || kind === 'StatefulSet' ? 'apps/v1' : kind === 'Job' ? 'batch/v1' : 'v1';
      const tpl = { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x:1' }] } };
      if (kind === 'Pod') return { apiVersion, kind, metadata: { name, labels }, spec: tpl.spec };
      if (kind === 'PodTemplate') return { apiVersion, kind, metadata: { name }, template: tpl };
      return { apiVersion, kind, metadata: { name }, spec: { template: tpl } };
    }),
  fc
    .record({ name: fc.constantFrom(...NAMES), selector: fc.option(labels, { nil: undefined }), group: fc.boolean() })
    .map(({ name, selector, group }) => ({
      apiVersion: group ? 'v1' : 'example.com/v1',
      kind: 'Service',
      metadata: { name },
      spec: selector === undefined ? {} : { selector },
    })),
  fc.record({ name: fc.constantFrom(...NAMES), selector: labelSelector }).map(({ name, selector }) => ({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name },
    spec: selector === undefined ? {} : { selector },
  })),
  fc.record({ name: fc.constantFrom(...NAMES), selector: labelSelector }).map(({ name, selector }) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name },
    spec: selector === undefined ? {} : { podSelector: selector },
  })),
  fc
    .record({ name: fc.constantFrom(...NAMES), group: fc.boolean() })
    .map(({ name, group }) => ({ apiVersion: group ? 'v1' : 'example.com/v1', kind: 'ConfigMap', metadata: { name } })),
);

const file = fc.record({
  dir: fc.constantFrom(...DIRS),
  name: fc.constantFrom('a.yaml', 'b.yaml'),
  ns: fc.constantFrom(...NAMESPACES),
  docs: fc.array(doc, { minLength: 1, maxLength: 6 }),
});

function build(files: { dir: string; name: string; ns: string; docs: object[] }[]): ObjectIndex {
  const index = new ObjectIndex();
  files.forEach((f, i) => {
    const text = f.docs.map((d) => JSON.stringify(d)).join('\n---\n');
    // a file per entry, even when two entries name the same path
    for (const o of loadSource(`${f.dir}/${String(i)}-${f.name}`.slice(1), `${f.dir}/${String(i)}-${f.name}`, text, f.ns).objects)
      index.add(o);
  });
  return index;
}

const names = (l: MO[]): string[] => l.map((o) => `${o.kind}/${o.namespace}/${o.name}@${o.file.path}`);

describe('ObjectIndex lookups agree with going through the objects', () => {
  test('label, selector, directory and name lookups', () => {
    fc.assert(
      fc.property(
        fc.array(file, { minLength: 1, maxLength: 6 }),
        labelSelector,
        labels,
        fc.constantFrom(
          ...NAMES,
          'wbe',
          'ap',
          'xyz',
          'WEB',
          'CAFÉ',
          'cfe',
          'a-very-long-nme',
          'a-vry-long-name',
          'apixx',
          'dbb',
          'abcdefgh',
          'abcdefxhi',
          'abcdefghijkl',
          'İİİİİ',
        ),
        (files, sel, podLbls, word) => {
          const index = build(files);
          const everyWorkload = index.all.filter((o) => isWorkload(o));
          for (const ns of [...NAMESPACES, 'none']) {
            const inNs = everyWorkload.filter((w) => w.namespace === ns);
            expect(index.workloads(ns)).toEqual(inNs);
            expect(index.workloads(ns, ['PodTemplate', 'Job'])).toEqual(inNs.filter((w) => w.kind !== 'PodTemplate' && w.kind !== 'Job'));
            for (const k of KEYS) {
              for (const v of ['v1', 'v2', '1', 'true', '']) {
                const want = (w: MO): boolean => Object.hasOwn(podLabels(w), k) && labelString(podLabels(w)[k]) === v;
                expect(index.workloadsWithLabel(k, v, ns)).toEqual(inNs.filter(want));
                expect(index.workloadsWithLabel(k, v)).toEqual(everyWorkload.filter(want));
              }
            }
            const compiled = compileSelector(sel);
            expect(names(index.workloadsMatching(ns, compiled))).toEqual(names(inNs.filter((w) => selectorMatches(sel, podLabels(w)))));
            expect(names(index.workloadsSelectedBy(ns, sel))).toEqual(names(inNs.filter((w) => selectorMatches(sel, podLabels(w)))));
            expect(names(index.workloadsSelectedBy(ns, podLbls, 'map'))).toEqual(
              names(inNs.filter((w) => mapSelectorMatches(podLbls as Obj, podLabels(w)))),
            );
            const spec = (o: MO): Obj => (o.data.spec ?? {}) as Obj;
            expect(names(index.servicesSelecting(ns, podLbls))).toEqual(
              names(index.list('Service', ns).filter((s) => mapSelectorMatches(spec(s).selector as Obj, podLbls))),
            );
            expect(names(index.pdbsSelecting(ns, podLbls))).toEqual(
              names(index.list('PodDisruptionBudget', ns).filter((p) => selectorMatches(spec(p).selector, podLbls))),
            );
            expect(names(index.networkPoliciesSelecting(ns, podLbls))).toEqual(
              names(index.list('NetworkPolicy', ns).filter((p) => selectorMatches(spec(p).podSelector ?? {}, podLbls))),
            );
            for (const kind of ['ConfigMap', 'Service']) {
              for (const group of [undefined, '']) {
                const list = index.list(kind, ns).filter((o) => group === undefined || o.group === group);
                expect(index.list(kind, ns, group)).toEqual(list);
                expect(index.closestName(kind, ns, word, group)).toBe(
                  closest(
                    word,
                    list.map((o) => o.name),
                  ),
                );
              }
              for (const from of index.all)
                expect(index.inDirectory(kind, ns, from)).toEqual(index.list(kind, ns).filter((o) => sameDirectory(from, o)));
            }
            for (const from of index.all) expect(index.workloadsInDirectory(ns, from)).toEqual(inNs.filter((w) => sameDirectory(from, w)));
          }
          const nsAll = new Set<string>();
          for (const o of index.all) nsAll.add(o.kind === 'Namespace' ? o.name : o.namespace);
          expect(index.namespaces().all).toEqual([...nsAll].sort());
          expect([...index.namespaces().withWorkloads].sort()).toEqual([...new Set(everyWorkload.map((w) => w.namespace))].sort());
          expect(index.all.every((o, i) => index.position(o) === i)).toBe(true);
        },
      ),
      { numRuns: Number(process.env.K8S_GOLD_FUZZ_RUNS ?? 100) },
    );
  });

  test('selector tables answer in index order whatever bucket finds an object', () => {
    const svc = (name: string, selector: object): object => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector } });
    const pdb = (name: string, selector: object): object => ({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name },
      spec: { selector },
    });
    const index = build([
      {
        dir: '/r',
        name: 'a.yaml',
        ns: 'a',
        docs: [
          svc('s1', { tier: 'v2', app: 'v1' }),
          svc('s2', { app: 'v1' }),
          pdb('p1', {}),
          pdb('p2', { matchLabels: { tier: 'v2' } }),
          pdb('p3', { matchLabels: { app: 'v1' } }),
        ],
      },
    ]);
    expect(index.servicesSelecting('a', { app: 'v1', tier: 'v2' }).map((s) => s.name)).toEqual(['s1', 's2']);
    expect(index.pdbsSelecting('a', { app: 'v1', tier: 'v2' }).map((s) => s.name)).toEqual(['p1', 'p2', 'p3']);
    expect(index.pdbsSelecting('a', { tier: 'v2', app: 'v1' }).map((s) => s.name)).toEqual(['p1', 'p2', 'p3']);
  });

  test('answers follow objects added later', () => {
    const index = build([
      {
        dir: '/r/x',
        name: 'a.yaml',
        ns: 'a',
        docs: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' } } }],
      },
    ]);
    expect(index.servicesSelecting('a', { app: 'web' }).map((s) => s.name)).toEqual(['web']);
    expect(index.workloadsWithLabel('app', 'web', 'a')).toEqual([]);
    expect(index.closestName('Service', 'a', 'wev')).toBe('web');
    for (const o of loadSource(
      'y/b.yaml',
      '/r/y/b.yaml',
      'apiVersion: v1\nkind: Service\nmetadata: {name: wbe}\nspec: {selector: {app: web}}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {template: {metadata: {labels: {app: web}}}}\n',
      'a',
    ).objects)
      index.add(o);
    expect(index.servicesSelecting('a', { app: 'web' }).map((s) => s.name)).toEqual(['web', 'wbe']);
    expect(index.workloadsWithLabel('app', 'web', 'a').map((w) => w.name)).toEqual(['web']);
    expect(index.closestName('Service', 'a', 'wbx')).toBe('wbe');
    expect(index.inDirectory('Service', 'a', index.all[2]!).map((s) => s.name)).toEqual(['wbe']);
  });
});
