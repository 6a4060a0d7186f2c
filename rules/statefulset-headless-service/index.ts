import { defineRule } from '../../src/engine/rule.js';
import { distance, sameDirectory, whereIs } from '../../src/model/index.js';
import { isObj, own, type ManifestObject, type Obj } from '../../src/model/object.js';
import { sampleLabels, sampleList } from '../../src/util/sample.js';
import { podLabels, specReplicas } from '../../src/model/workload.js';
import { mapSelectorMatches } from '../../src/util/selector.js';
import { addressesPeers } from './peers.js';

interface Options {
  /** report a StatefulSet without spec.serviceName */
  requireServiceName: boolean;
}

const NOT_HEADLESS =
  'serviceName "{{serviceName}}" names {{what}}, not a headless one: cluster DNS publishes no per-pod records ({{dns}}) for it, so {{consequence}}; set clusterIP: None on {{where}} or point serviceName at a headless Service (clusterIP cannot be changed in place: recreate the Service).';
const NO_SELECTOR =
  'serviceName "{{serviceName}}" names a headless Service without a selector, so it gets no endpoints for these pods and their DNS names ({{dns}}) do not resolve; give {{where}} a selector matching the pod labels {{labels}}.';
const SELECTOR_MISMATCH =
  'the selector {{selector}} of headless {{where}} does not match the pod labels {{labels}} ({{missing}}), so the pods get no DNS records ({{dns}}) and {{consequence}}; make the selector match the pod template labels.';
const AMBIGUOUS =
  'serviceName "{{serviceName}}": the nearest Service of that name, {{where}}, does not fit ({{problem}}), but the one at {{fine}} does; the input holds {{count}} Services named "{{serviceName}}", so make sure the headless one is applied with this StatefulSet.';
const MESSAGES = {
  noServiceName: {
    text: 'StatefulSet "{{name}}" has no serviceName, so its pods get no stable DNS names (<pod>.<service>.{{namespace}}.svc); set serviceName to a headless Service that selects the pods.',
    severity: 'warning',
  },
  notString: 'serviceName must be a string naming a headless Service, not {{value}}.',
  serviceMissing: {
    text: 'serviceName "{{serviceName}}": no Service of that name in namespace {{namespace}} in the input, so the pods\' DNS names ({{dns}}) will not resolve unless it exists elsewhere; {{hint}}',
    severity: 'warning',
  },
  /** the input holds no Service of the namespace in the StatefulSet's directory: its Services are evidently kept elsewhere */
  serviceMissingUnmanaged: {
    text: 'serviceName "{{serviceName}}": no Service of that name in namespace {{namespace}} in the input, so the pods\' DNS names ({{dns}}) will not resolve unless it exists elsewhere; {{hint}}',
    severity: 'info',
  },
  /** the nearest Service of the name does not fit, another one does; the unfit one is in this directory and nearer */
  ambiguous: { text: AMBIGUOUS, severity: 'warning' },
  ambiguousFar: { text: AMBIGUOUS, severity: 'info' },
  notHeadless: NOT_HEADLESS,
  noSelector: NO_SELECTOR,
  selectorMismatch: SELECTOR_MISMATCH,
  /** with a single pod, whether anything uses its per-pod DNS name is not in the manifest: a warning */
  notHeadlessSinglePod: { text: NOT_HEADLESS, severity: 'warning' },
  noSelectorSinglePod: { text: NO_SELECTOR, severity: 'warning' },
  selectorMismatchSinglePod: { text: SELECTOR_MISMATCH, severity: 'warning' },
  /** several pods, but no sign that they address each other (no clustered image, nothing names the Service) */
  notHeadlessNoPeers: { text: NOT_HEADLESS, severity: 'warning' },
  noSelectorNoPeers: { text: NO_SELECTOR, severity: 'warning' },
  selectorMismatchNoPeers: { text: SELECTOR_MISMATCH, severity: 'warning' },
} as const;
type Problem = 'notHeadless' | 'noSelector' | 'selectorMismatch';

export default defineRule<Options>({
  meta: {
    id: 'statefulset-headless-service',
    severity: 'error',
    category: 'reliability',
    description:
      "A StatefulSet's `serviceName` must name a headless Service (`clusterIP: None`) in its namespace whose selector matches the pod labels.",
    rationale:
      'A StatefulSet gives each pod a stable DNS name, `<pod>.<serviceName>.<namespace>.svc`, and that name exists only when `serviceName` names a *headless* Service (`clusterIP: None`) that selects the pods: cluster DNS publishes per-pod records only for the endpoints of a headless Service. ' +
      'Clustered software addresses its peers by these names: MinIO (`http://minio-{0...3}.minio-hl.storage.svc/data`), etcd (`--initial-cluster`), ZooKeeper, Kafka, Elasticsearch, PostgreSQL replicas. ' +
      'With a ClusterIP Service instead, a selector that misses the pods, or no Service at all, the peer names never resolve: the first pod waits forever for its peers, MinIO logs "Waiting for all other servers to be online to format the drives", etcd never forms a quorum, and the StatefulSet never becomes ready, although every pod is Running. ' +
      'With a single replica (and no HorizontalPodAutoscaler) there are no peers, and whether anything addresses the pod by its per-pod name is not in the manifest, so these findings are warnings then. ' +
      "With several replicas they are errors when the pods are known to address each other: an image of clustered software (MinIO, etcd, ZooKeeper, Kafka, Elasticsearch, Cassandra, MongoDB, Redis, RabbitMQ, Consul, Vault, NATS, CockroachDB, …), or the Service's name as a DNS label in the containers' args, env values or the ConfigMaps they mount or read (`$(POD_NAME).zk-hs:2888`); otherwise (a web server kept in a StatefulSet for its volumes) warnings. " +
      'Kubernetes accepts all of these objects without complaint.',
    remediation:
      'Create (or fix) the governing Service: same namespace, `clusterIP: None`, and a `selector` that matches the pod template labels. Keep a separate ClusterIP Service for clients. ' +
      'For peers that must find each other before they are ready (quorum systems), also set `publishNotReadyAddresses: true` on the headless Service.\n\n' +
      "A missing Service is only a warning: it may be defined in a file that is not part of this run; pass it with `--context` to check it. When the StatefulSet's directory holds no Service of its namespace at all (one file linted alone, a test fixture), the input evidently does not keep that namespace's Services, and the finding is an info. Of several Services of the name (samples, per-provider variants), the nearest to the StatefulSet is checked; when it does not fit but another one does, the finding is a warning (the unfit one is in the same directory) or an info, naming both files.",
    tags: ['reliability', 'statefulset', 'dns', 'cross-object'],
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        requireServiceName: {
          type: 'boolean',
          description:
            'Report a StatefulSet that has no spec.serviceName (optional since Kubernetes 1.29; without it the pods get no stable DNS names).',
        },
      },
    },
    defaultOptions: { requireServiceName: false },
    appliesTo: ['apps/StatefulSet', 'extensions/StatefulSet'],
    messages: MESSAGES,
    precision: 'high',
  },
  check(obj, ctx) {
    const spec = obj.data.spec;
    if (!isObj(spec)) return;
    const serviceName = own(spec, 'serviceName');
    const ns = obj.namespace;
    if (serviceName === undefined || serviceName === null || serviceName === '') {
      if (ctx.options.requireServiceName) {
        ctx.report({
          path: ['spec', 'serviceName'],
          messageId: 'noServiceName',
          data: { name: obj.name, namespace: ns },
        });
      }
      return;
    }
    if (typeof serviceName !== 'string') {
      ctx.report({ path: ['spec', 'serviceName'], messageId: 'notString', data: { value: JSON.stringify(serviceName) } });
      return;
    }
    const labels = podLabels(obj);
    // "peers" only when there can be more than one pod
    const replicas = specReplicas(obj);
    const several = replicas === undefined || replicas > 1 || ctx.index.hpasTargeting(obj).length > 0;
    // the pods are known to address each other: a clustered image, or the Service's name in their args, env or ConfigMaps
    const peers = several && addressesPeers(obj, serviceName, ctx.index);
    const consequence = peers
      ? 'peers cannot find each other'
      : several
        ? 'no pod can be reached by its own name (nothing in the pod template shows the pods addressing each other, so this workload may not need it)'
        : 'nothing can reach the pod by its stable name';
    const candidates = ctx.index.resolve('Service', '', ns, serviceName, obj);
    const svc = candidates[0];
    if (!svc) {
      const guess = ctx.index.closestName('Service', ns, serviceName, '');
      const elsewhere = ctx.index
        .named('Service', serviceName)
        .filter((s) => s.group === '' && s.namespace !== ns)
        .map((s) => s.namespace);
      // the headless Services selecting the pods, asked only when the hint needs them
      const headlessSelecting = (): ManifestObject<Obj>[] =>
        ctx.index.servicesSelecting(ns, labels).filter((s) => s.group === '' && isHeadless(s.data.spec));
      let hint: string;
      let headless: ManifestObject<Obj> | undefined;
      if (guess) hint = `did you mean "${guess}"?`;
      else if (elsewhere.length)
        hint = `a Service of that name exists in namespace ${sampleList([...new Set(elsewhere)].sort(), 3)}, but the governing Service must be in the StatefulSet's namespace.`;
      else if ((headless = headlessSelecting()[0])) hint = `the headless Service "${headless.name}" selects these pods; did you mean it?`;
      else hint = 'define it (clusterIP: None, selector matching the pod labels), or pass the file that does with --context.';
      // as missing-references decides: with no Service of the namespace in the StatefulSet's directory (a pre-commit
      // run on one file, a test fixture), the input does not show the namespace's Services, and the tool cannot know
      // (a same-named Service in another namespace is evidence enough of a mistake)
      const managed = elsewhere.length > 0 || ctx.index.inDirectory('Service', ns, obj).some((o) => o.group === '');
      ctx.report({
        path: ['spec', 'serviceName'],
        messageId: managed ? 'serviceMissing' : 'serviceMissingUnmanaged',
        data: { serviceName, namespace: ns, dns: `${obj.name}-0.${serviceName}.${ns}.svc`, hint },
      });
      return;
    }
    // of several Services of the name (samples, per-provider variants, overlays), the nearest decides; when it has a
    // problem but another one would do, the lookup is ambiguous: an info naming both
    const problemOf = (svc: ManifestObject<Obj>): ServiceProblem | undefined =>
      serviceProblem(svc, serviceName, obj.name, ns, labels, consequence);
    const problem = problemOf(svc);
    if (problem === undefined) return;
    const fine = candidates.slice(1).find((c) => problemOf(c) === undefined);
    if (fine) {
      // never an error: a warning when the unfit one is in this directory and nearer than the fitting one, else info
      const near = sameDirectory(obj, svc) && distance(obj, fine) > distance(obj, svc);
      ctx.report({
        path: ['spec', 'serviceName'],
        messageId: near ? 'ambiguous' : 'ambiguousFar',
        data: { serviceName, where: whereIs(svc), problem: problem.short, fine: whereIs(fine), count: candidates.length },
      });
      return;
    }
    ctx.report({
      path: ['spec', 'serviceName'],
      messageId: peers ? problem.messageId : several ? `${problem.messageId}NoPeers` : `${problem.messageId}SinglePod`,
      data: problem.data,
    });
  },
});

interface ServiceProblem {
  short: string;
  messageId: Problem;
  data: Record<string, string>;
}

/** What is wrong with a Service as the governing Service of the StatefulSet's pods, as a finding message; undefined when nothing. */
function serviceProblem(
  svc: ManifestObject<Obj>,
  serviceName: string,
  stsName: string,
  ns: string,
  labels: Obj,
  consequence: string,
): ServiceProblem | undefined {
  const dns = `${stsName}-0.${serviceName}.${ns}.svc`;
  const sspec = isObj(svc.data.spec) ? svc.data.spec : {};
  const where = `Service "${serviceName}" (${whereIs(svc)})`;
  if (!isHeadless(sspec)) {
    const type = typeof sspec.type === 'string' ? sspec.type : 'ClusterIP';
    const ip = sspec.clusterIP;
    const what =
      type === 'ExternalName'
        ? 'an ExternalName Service'
        : ip !== undefined && ip !== null && ip !== ''
          ? `a ${type} Service with clusterIP ${String(ip)}`
          : `a ${type} Service`;
    return { short: `${what}, not headless`, messageId: 'notHeadless', data: { serviceName, what, dns, consequence, where } };
  }
  const selector = own(sspec, 'selector');
  if (!isObj(selector) || Object.keys(selector).length === 0) {
    return { short: 'no selector', messageId: 'noSelector', data: { serviceName, dns, where, labels: sampleLabels(labels, 4) } };
  }
  if (!mapSelectorMatches(selector, labels)) {
    const missing = Object.keys(selector).filter(
      (k) => !(Object.prototype.hasOwnProperty.call(labels, k) && String(labels[k]) === String(selector[k] ?? '')),
    );
    const which = `${missing.length === 1 ? 'label' : 'labels'} ${missing.map((k) => `"${k}"`).join(', ')} ${missing.length === 1 ? 'is missing or differs' : 'are missing or differ'}`;
    return {
      short: 'its selector does not match the pods',
      messageId: 'selectorMismatch',
      data: { selector: sampleLabels(selector, 4), where, labels: sampleLabels(labels, 4), missing: which, dns, consequence },
    };
  }
  return undefined;
}

function isHeadless(spec: unknown): boolean {
  if (!isObj(spec)) return false;
  if (spec.type !== undefined && spec.type !== null && spec.type !== 'ClusterIP') return false;
  if (spec.clusterIP === 'None') return true;
  const ips = spec.clusterIPs;
  return (spec.clusterIP === undefined || spec.clusterIP === null || spec.clusterIP === '') && Array.isArray(ips) && ips[0] === 'None';
}
