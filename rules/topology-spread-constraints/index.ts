import { defineRule } from '../../src/engine/rule.js';
import { formatLabels, formatSelector } from '../../src/util/format.js';
import { asArray, isObj, own, type Obj } from '../../src/model/object.js';
import { podTemplate, specReplicas } from '../../src/model/workload.js';
import { antiSpreader, constraintProblems, ownSelectorMiss, selectorlessConstraints, sharesNoLabel, type Spreader } from './constraints.js';
import { spreadSuggestion, zoneSuggestion } from './suggest.js';
import { MESSAGES } from './messages.js';

interface Options {
  /** topology keys that spread across failure zones (or wider) */
  zoneTopologyKeys: string[];
  /** topology keys that spread across nodes */
  hostTopologyKeys: string[];
  /** kinds treated as quorum systems: missing spread is an error, and zone-level spread is expected */
  quorumKinds: string[];
  /** replicas from which a quorum kind must spread across zones, not just nodes */
  minZoneReplicas: number;
  /** image name fragments that show a workload is a quorum system; empty: every workload of the quorumKinds */
  quorumImages: string[];
}

/** Whether an image reference names one of the quorum systems (matched against its repository's last path component). */
export function quorumImage(image: unknown, fragments: readonly string[]): boolean {
  if (typeof image !== 'string') return false;
  const repo = image.split('@')[0]!.replace(/:[^/]*$/, '');
  const last = repo.slice(repo.lastIndexOf('/') + 1).toLowerCase();
  return fragments.some((f) => f !== '' && last.includes(f.toLowerCase()));
}

const KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'DeploymentConfig'];

export default defineRule<Options>({
  meta: {
    id: 'topology-spread-constraints',
    severity: 'warning',
    category: 'reliability',
    description:
      'A workload with two or more replicas must spread its pods across nodes (and a quorum system across zones) with topologySpreadConstraints or pod anti-affinity whose selector matches its own pods.',
    rationale:
      "Nothing in a Deployment or StatefulSet keeps its replicas apart. The scheduler's built-in default spreading is a soft preference (`ScheduleAnyway`) that loses to resource scoring, so on a lightly loaded or freshly scaled cluster several or all replicas often land on one node or in one zone. " +
      'Then one node drain, kernel panic, spot-instance reclaim or zone outage takes every replica down at once, and the Service has no endpoints, whatever `replicas` says. ' +
      'For quorum systems (MinIO erasure sets, etcd, ZooKeeper, Kafka KRaft controllers, Elasticsearch masters), losing the node or zone that holds a majority loses quorum: MinIO stops accepting writes (and reads, below its read quorum), etcd and everything built on it goes read-only. Spreading only across nodes still leaves a whole-zone outage able to take the majority. ' +
      'Which workloads are quorum systems is not in the manifest: an unspread workload of the `quorumKinds` (StatefulSet) is an error only when a container runs an image named like one (`quorumImages`: etcd, zookeeper, minio, kafka, elasticsearch, cassandra…); other StatefulSets (a sharded exporter, a single-writer database with replicas) get the warning every replicated workload gets.\n\n' +
      "A constraint or anti-affinity term whose `labelSelector` does not match the workload's own pod labels is silently ineffective: the scheduler counts the pods it selects (none of these), so it never keeps these pods apart. This happens after relabelling (`app` → `app.kubernetes.io/name`), copying a block from another chart, or a typo; Kubernetes accepts it without complaint. " +
      "An anti-affinity term written for other pods (its selector names none of the pod's label keys and values, or selects another workload of the input: a backend kept out of the zones of a gateway's proxies) is a placement rule, not a mistake: when such terms are all a workload has, the finding is that nothing spreads its replicas (a warning, an error for a known quorum system). " +
      'Likewise `maxSkew` at least as large as the replica count lets all replicas share one domain. ' +
      'On every pod-bearing kind (bare Pods too) the rule also reports constraints the API server rejects (`maxSkew` below 1, `minDomains` below 1 or with `whenUnsatisfiable: ScheduleAnyway`), and, where there is no replica spread to analyse (a Pod, one replica), a constraint without `labelSelector`, which counts no pods.',
    remediation:
      'Add `topologySpreadConstraints` to the pod template: one on `kubernetes.io/hostname` and, for multi-zone clusters, one on `topology.kubernetes.io/zone`, each with a `labelSelector` equal to the pod labels (or `matchLabelKeys: [pod-template-hash]` for Deployments to spread each revision). ' +
      'Use `whenUnsatisfiable: DoNotSchedule` for quorum systems so that the scheduler never places a majority in one zone, or `podAntiAffinity` with `requiredDuringSchedulingIgnoredDuringExecution` on the zone key when there are at least as many zones as replicas. ' +
      "Make every selector match the template's `metadata.labels`.",
    tags: ['reliability', 'availability', 'scheduling', 'cross-object'],
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        zoneTopologyKeys: {
          type: 'array',
          items: { type: 'string' },
          description: 'Topology keys that spread across failure zones or wider (regions).',
        },
        hostTopologyKeys: {
          type: 'array',
          items: { type: 'string' },
          description: 'Topology keys that spread across nodes.',
        },
        quorumKinds: {
          type: 'array',
          items: { type: 'string', enum: KINDS },
          description:
            'Kinds treated as quorum systems: an unspread one is an error, and from minZoneReplicas replicas on it must spread across zones with a hard constraint.',
        },
        minZoneReplicas: {
          type: 'integer',
          minimum: 2,
          description: 'Replica count from which a quorum kind must spread across zones, not only nodes.',
        },
        quorumImages: {
          type: 'array',
          items: { type: 'string' },
          description:
            'Fragments of image names (the last path component of the repository) that identify a quorum system. A workload of the quorumKinds without any spreading is an error only when one of its containers runs such an image (otherwise a warning: a StatefulSet is not necessarily a quorum system); an empty list treats every workload of the quorumKinds as one.',
        },
      },
    },
    defaultOptions: {
      zoneTopologyKeys: [
        'topology.kubernetes.io/zone',
        'failure-domain.beta.kubernetes.io/zone',
        'topology.kubernetes.io/region',
        'failure-domain.beta.kubernetes.io/region',
      ],
      hostTopologyKeys: ['kubernetes.io/hostname'],
      quorumKinds: ['StatefulSet'],
      minZoneReplicas: 3,
      quorumImages: [
        'etcd',
        'zookeeper',
        'minio',
        'kafka',
        'elasticsearch',
        'opensearch',
        'consul',
        'cockroach',
        'cassandra',
        'scylla',
        'nats',
        'rabbitmq',
        'mongo',
        'vault',
        'yugabyte',
        'tikv',
        'clickhouse-keeper',
        'redis-sentinel',
      ],
    },
    // the spread analysis covers the KINDS with replicas; values the API server rejects are checked on every pod-bearing kind
    appliesTo: ['PodSpecHolder'],
    messages: MESSAGES,
    hasSuggestions: true,
    precision: 'high',
  },
  check(obj, ctx) {
    const tpl0 = podTemplate(obj);
    // values the API server rejects, on every pod-bearing kind
    if (tpl0) for (const p of constraintProblems(tpl0)) ctx.report({ path: p.path, messageId: 'apiRejects', data: { message: p.message } });
    // the spread analysis: workloads with replicas (specReplicas knows the kinds and their groups)
    const replicas = specReplicas(obj);
    if (replicas === undefined) {
      if (tpl0)
        for (const p of selectorlessConstraints(tpl0)) ctx.report({ path: p.path, messageId: 'noSelector', data: { message: p.message } });
      return;
    }
    const hpas = ctx.index.hpasTargeting(obj);
    let effective = replicas;
    let source = `replicas: ${String(replicas)}`;
    if (hpas.length > 0) {
      effective = Math.max(
        ...hpas.map((h) => {
          const min = isObj(h.data.spec) ? h.data.spec.minReplicas : undefined;
          return typeof min === 'number' && Number.isFinite(min) ? min : 1;
        }),
      );
      source = `HorizontalPodAutoscaler "${hpas[0]!.name}" minReplicas: ${String(effective)}`;
    }
    if (effective < 2) {
      if (tpl0)
        for (const p of selectorlessConstraints(tpl0)) ctx.report({ path: p.path, messageId: 'noSelector', data: { message: p.message } });
      return;
    }
    const tpl = podTemplate(obj);
    if (!tpl) return;
    const labels: Obj = isObj(tpl.metadata.labels) ? tpl.metadata.labels : {};
    const opts = ctx.options;
    const zoneKeys = new Set(opts.zoneTopologyKeys);
    const hostKeys = new Set(opts.hostTopologyKeys);
    const quorum = opts.quorumKinds.includes(obj.kind);
    const images = opts.quorumImages;
    // an unspread workload is an error only when it is known to be a quorum system
    const knownQuorum =
      quorum &&
      (images.length === 0 ||
        asArray(own(tpl.spec, 'containers')).some((c) => isObj(c) && quorumImage(c.image, images)) ||
        asArray(own(tpl.spec, 'initContainers')).some((c) => isObj(c) && c.restartPolicy === 'Always' && quorumImage(c.image, images)));
    const minZone = opts.minZoneReplicas;
    const spreaders: Spreader[] = [];
    const spec = tpl.spec;
    const sp = tpl.specPath;

    // topologySpreadConstraints
    asArray(own(spec, 'topologySpreadConstraints')).forEach((c, i) => {
      if (!isObj(c)) return;
      const path = [...sp, 'topologySpreadConstraints', i];
      const key = typeof c.topologyKey === 'string' ? c.topologyKey : undefined;
      const { miss, missPath } = ownSelectorMiss(c, path, labels, 'counts');
      spreaders.push({
        kind: 'constraint',
        path,
        itemPath: path,
        key,
        hard: c.whenUnsatisfiable !== 'ScheduleAnyway',
        miss,
        missPath,
        label: `topologySpreadConstraints[${i}]${key ? ` (${key})` : ''}`,
      });
      // maxSkew at least the replica count: all replicas may share one domain
      const skew = c.maxSkew;
      if (miss === undefined && typeof skew === 'number' && Number.isFinite(skew) && skew >= effective) {
        ctx.report({
          path: [...path, 'maxSkew'],
          messageId: 'maxSkew',
          data: { maxSkew: skew, replicas: effective, source, key: key ?? 'topology' },
          suggest: [{ desc: 'Set maxSkew: 1', fix: (f) => f.set([...path, 'maxSkew'], 1) }],
        });
      }
    });

    // pod anti-affinity
    const anti = isObj(spec.affinity) ? own(spec.affinity, 'podAntiAffinity') : undefined;
    if (isObj(anti)) {
      const base = [...sp, 'affinity', 'podAntiAffinity'];
      asArray(own(anti, 'requiredDuringSchedulingIgnoredDuringExecution')).forEach((t, i) => {
        if (!isObj(t)) return;
        const path = [...base, 'requiredDuringSchedulingIgnoredDuringExecution', i];
        spreaders.push(antiSpreader(t, path, path, true, `required anti-affinity term ${i}`, labels, obj.namespace));
      });
      asArray(own(anti, 'preferredDuringSchedulingIgnoredDuringExecution')).forEach((w, i) => {
        if (!isObj(w)) return;
        const t = own(w, 'podAffinityTerm');
        const itemPath = [...base, 'preferredDuringSchedulingIgnoredDuringExecution', i];
        if (!isObj(t)) return;
        spreaders.push(
          antiSpreader(t, [...itemPath, 'podAffinityTerm'], itemPath, false, `preferred anti-affinity term ${i}`, labels, obj.namespace),
        );
      });
    }

    const selfSpreaders = spreaders.filter((s) => s.miss === undefined);
    const what = `${obj.kind} "${obj.name}" has ${String(effective)} replicas (${source})`;
    if (spreaders.length === 0) {
      ctx.report({
        path: sp,
        messageId: knownQuorum ? 'noSpreadQuorum' : 'noSpread',
        data: { what, labels: formatLabels(labels) },
        ...spreadSuggestion(sp, labels, knownQuorum, quorum && effective >= minZone),
      });
      return;
    }
    // anti-affinity terms written for other pods: those of another workload of the input, or a selector that names
    // none of this pod's labels (a near miss of its own labels is a mistake, reported below)
    const others = spreaders.filter(
      (s) =>
        s.otherSelector !== undefined &&
        (sharesNoLabel(s.otherSelector, labels) || ctx.index.workloadsSelectedBy(obj.namespace, s.otherSelector).some((w) => w !== obj)),
    );
    if (selfSpreaders.length === 0 && others.length > 0 && others.length === spreaders.length) {
      const first = others[0]!;
      ctx.report({
        path: first.missPath,
        messageId: knownQuorum ? 'otherPodsQuorum' : 'otherPods',
        data: {
          term: first.label,
          selector: formatSelector(first.otherSelector),
          kind: obj.kind,
          labels: formatLabels(labels),
          replicas: effective,
        },
        ...spreadSuggestion(sp, labels, knownQuorum, quorum && effective >= minZone),
      });
      return;
    }
    for (const s of spreaders) {
      if (s.miss === undefined || others.includes(s)) continue;
      // An anti-affinity term against other workloads is legitimate when something else spreads this one.
      if (s.kind === 'anti-affinity' && selfSpreaders.length > 0) continue;
      ctx.report({
        path: s.missPath,
        messageId: 'notOwnPods',
        data: { term: s.label, kind: obj.kind, labels: formatLabels(labels), miss: s.miss, replicas: effective },
      });
    }
    if (selfSpreaders.length === 0 || !quorum || effective < minZone) return;
    const zone = selfSpreaders.filter((s) => s.key !== undefined && zoneKeys.has(s.key));
    if (zone.length === 0) {
      if (!selfSpreaders.every((s) => s.key !== undefined && hostKeys.has(s.key))) return; // custom keys: cannot tell
      const first = selfSpreaders[0]!;
      ctx.report({
        path: [...first.path, 'topologyKey'],
        messageId: 'nodesOnly',
        data: { what, key: first.key },
        ...zoneSuggestion(sp, labels),
      });
      return;
    }
    if (!zone.some((s) => s.hard)) {
      const first = zone[0]!;
      ctx.report({
        path: first.kind === 'constraint' ? [...first.path, 'whenUnsatisfiable'] : first.itemPath,
        messageId: first.kind === 'constraint' ? 'zoneScheduleAnyway' : 'zonePreferredAntiAffinity',
        data: { kind: obj.kind, name: obj.name, replicas: effective, key: first.key },
        ...(first.kind === 'constraint'
          ? {
              suggest: [
                { desc: 'Set whenUnsatisfiable: DoNotSchedule', fix: (f) => f.set([...first.path, 'whenUnsatisfiable'], 'DoNotSchedule') },
              ],
            }
          : zoneSuggestion(sp, labels)),
      });
    }
  },
});
