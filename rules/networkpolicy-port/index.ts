import { defineRule, type TypedReport } from '../../src/engine/rule.js';
import { formatSelector } from '../../src/util/format.js';
import { asArray, isObj, own, type ManifestObject, type Obj } from '../../src/model/object.js';
import { whereIs } from '../../src/model/index.js';
import { containers, podLabels } from '../../src/model/workload.js';
import type { PathSeg } from '../../src/parse/source.js';
import { compileSelector } from '../../src/util/selector.js';
import { closest } from '../../src/util/strings.js';
import { describeSources, podSources, sourcesMatching } from '../../src/model/operators.js';
import { sampleLabels, sampleList, sampleOf } from '../../src/util/sample.js';
import { egressDestinations } from './destinations.js';
import { ingressCoversAll } from './coverage.js';
import { operatorLabelGroup } from './operator-labels.js';
import { podCreatorNote } from './pod-creators.js';

export type MO = ManifestObject<Obj>;

const UNSELECTED =
  'podSelector {{selector}} {{selects}} in namespace {{namespace}} in the input ({{workloads}}; pod labels {{labels}}), so this policy protects nothing; make it match the pod template labels.{{crs}}';
const MESSAGES = {
  unselected: { text: UNSELECTED, severity: 'warning' },
  /** an operator may create the selected pods, or the workloads are only in other directories */
  unselectedWeak: { text: UNSELECTED, severity: 'info' },
  ingressPort:
    'ingress port "{{port}}" is no {{protocol}} container port name of the pods this policy selects ({{workloads}}), so the rule matches nothing and this traffic is silently dropped: {{problem}}',
  /** every named port of the selected pods is allowed by the policy's other entries: nothing is dropped */
  ingressPortUnused: {
    text: 'ingress port "{{port}}" is no {{protocol}} container port name of the pods this policy selects ({{workloads}}), so this entry matches nothing; every {{protocol}} port they name ({{declared}}) is allowed by the policy, so no traffic to them is dropped: the entry is for pods of another configuration, or left over. Remove it if it is not needed.',
    severity: 'info',
  },
  egressPort:
    'egress port "{{port}}" is no {{protocol}} container port name of the destination pods ({{workloads}}), so the rule matches nothing and this traffic is silently dropped: {{problem}}',
  quotedNumber:
    'port "{{port}}" is a quoted number, which Kubernetes reads as a port name; the API server rejects it (a port name must contain a letter). Write it unquoted: port: {{number}}.',
  endPortNamed:
    'endPort cannot be combined with the named port "{{port}}"; the API server rejects it. Use a numeric port range, or drop endPort.',
  endPortAlone: 'endPort {{endPort}} needs a numeric port as the start of the range; the API server rejects it alone.',
  endPortBelow:
    'endPort {{endPort}} is below port {{port}}, so the range is empty; the API server rejects it. Swap them, or set endPort >= port.',
} as const;
type MessageId = keyof typeof MESSAGES;

interface Options {
  /** warn about a policy whose podSelector selects none of its namespace's workloads in the input */
  warnUnselected: boolean;
}
/** prefix of a missingPort() reason that is about the protocol rather than the name */
const PROTOCOL_MARK = '\u0000protocol:';

/** Where to report a missing port: at `protocol` when only the protocol differs and it is written. */
function portPath(path: PathSeg[], p: unknown, problem: string): { path: PathSeg[]; problem: string } {
  if (problem.startsWith(PROTOCOL_MARK)) {
    const rest = problem.slice(PROTOCOL_MARK.length);
    return { path: isObj(p) && own(p, 'protocol') !== undefined ? [...path, 'protocol'] : [...path, 'port'], problem: rest };
  }
  return { path: [...path, 'port'], problem };
}

interface NamedPort {
  name: string;
  protocol: string;
  number: unknown;
  container: string;
  workload: MO;
}

/** Named container ports per workload, memoised: every policy selecting the workload asks. */
const namedPortsMemo = new WeakMap<MO, NamedPort[]>();

function namedPorts(w: MO): NamedPort[] {
  const memo = namedPortsMemo.get(w);
  if (memo) return memo;
  const out: NamedPort[] = [];
  namedPortsMemo.set(w, out);
  for (const c of containers(w)) {
    for (const p of asArray(c.container.ports)) {
      if (!isObj(p) || typeof p.name !== 'string' || p.name === '') continue;
      out.push({
        name: p.name,
        protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP',
        number: p.containerPort,
        container: c.name,
        workload: w,
      });
    }
  }
  return out;
}

/** `Kind/name, … and N more`: only the quoted samples are formatted. */
function names(ws: MO[]): string {
  return sampleOf(ws, (w) => `${w.kind}/${w.name}`);
}

export default defineRule<Options>({
  meta: {
    id: 'networkpolicy-port',
    severity: 'error',
    category: 'correctness',
    description:
      'A named port in a NetworkPolicy must be a container port name of the pods the traffic goes to, and a policy should select pods.',
    rationale:
      "A NetworkPolicy port given by name (`port: http`) is resolved by the network plugin on each destination pod, against the names in its containers' `ports` (with the same protocol): for an ingress rule the pods the policy selects, for an egress rule the pods its `to` peers select. " +
      'Service port names do not count. When no destination pod declares a container port of that name, the rule matches no traffic at all, and because the policy still isolates the pods, that traffic is silently dropped: the MinIO console or API times out, health checks from an ingress controller fail, and nothing in the cluster reports an error. ' +
      "The usual causes are a port renamed in the Deployment but not in the policy, a policy written against the Service's port name (`api`) rather than the container's (`http`), or a protocol mismatch (a `dns` port declared as UDP but allowed as TCP). When the policy allows every port the selected pods name, an entry naming a port they lack drops nothing (a chart's list that holds `https` for its TLS configuration): an info.\n\n" +
      'A policy whose `podSelector` selects no pod is usually a label typo: it protects nothing, while the author believes the pods are isolated. A quoted number (`port: "9000"`) is read as a port name and rejected by the API server, as is `endPort` with a named port or below `port`.',
    remediation:
      'Use the container port name exactly as declared in the pod template (`ports[].name`), or the container port number (not the Service port). Match the protocol. Fix the `podSelector` so that it matches the pod template labels.\n\n' +
      "Only pods in the input are considered: if the destination pods are defined elsewhere, nothing is reported (pass their files with `--context` to check them). For egress peers with a `namespaceSelector`, the namespaces in the input are matched using their Namespace objects' labels (and the automatic `kubernetes.io/metadata.name` label); a peer whose namespaces cannot be decided, an `ipBlock` peer, or a rule without `to` is not checked. Pods created by operators from custom resources in the input (see `settings.podCreatingResources`) count as selected, but their container ports are unknown: named ports towards them are not checked, and a policy selecting nothing is an info when such custom resources (or only workloads in other directories) are in its namespace, or when its podSelector has a label key of the API group of a CustomResourceDefinition in the input (`longhorn.io/component`: pods the operator creates or labels at run time), or when a workload of the namespace runs as a service account that the input's RBAC lets create pods there (a spawner such as JupyterHub's hub, whose user pods no template shows).",
    tags: ['networking', 'correctness', 'cross-object'],
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        warnUnselected: {
          type: 'boolean',
          description:
            "Warn when the policy's podSelector selects none of the workloads of its namespace in the input (turn off when the input is routinely a partial set of files).",
        },
      },
    },
    defaultOptions: { warnUnselected: true },
    appliesTo: ['networking.k8s.io/NetworkPolicy'],
    messages: MESSAGES,
    precision: 'high',
  },
  check(obj, ctx) {
    const spec = obj.data.spec;
    if (!isObj(spec)) return;
    const ns = obj.namespace;
    const index = ctx.index;
    const podSel = own(spec, 'podSelector') ?? {};
    const compiled = compileSelector(podSel);
    const selected = index.workloadsMatching(ns, compiled);
    // pods an operator creates from a custom resource in the namespace (Prometheus, CloudNativePG Cluster, …): their
    // container ports are unknown, so no named-port finding for the pods this policy selects when it selects some
    const sources = podSources(index, ns, ctx.settings);
    const operatorSelected = sourcesMatching(sources, (l) => compiled.matches(l));

    if (ctx.options.warnUnselected && selected.length === 0 && index.hasWorkloads(ns) && operatorSelected.length === 0) {
      const nsWorkloads = index.workloads(ns);
      const sample = nsWorkloads.slice(0, 2).map((w) => sampleLabels(podLabels(w), 3));
      // custom resources of unknown pod labels may create the selected pods, and workloads only in other directories
      // (another tutorial of a samples repository) are weak evidence: not more than an info
      const far = !index.hasWorkloadsInDirectory(ns, obj);
      // or label keys of an operator's API group (longhorn's chart: `longhorn.io/component=instance-manager` pods that
      // longhorn-manager creates at run time)
      const operator = sources.length ? undefined : operatorLabelGroup(index, podSel, obj);
      // or a workload that the input's RBAC lets create pods (a spawner: JupyterHub's user servers)
      const creator = sources.length || operator ? undefined : podCreatorNote(index, ns);
      const crs =
        (sources.length ? ` Namespace ${ns} holds ${describeSources(sources)}, whose operator may create the pods it selects.` : '') +
        (operator ?? '') +
        (creator ?? '') +
        (far ? ' No workload of the namespace is in this directory.' : '');
      ctx.report({
        path: ['spec', 'podSelector'],
        messageId: sources.length || far || operator || creator ? 'unselectedWeak' : 'unselected',
        data: {
          selector: compiled.valid ? formatSelector(podSel) : '(invalid)',
          selects:
            nsWorkloads.length === 1 ? 'does not select the only workload' : `selects none of the ${String(nsWorkloads.length)} workloads`,
          namespace: ns,
          workloads: names(nsWorkloads),
          labels: sample.join(', '),
          crs,
        },
      });
    }

    const types = Array.isArray(spec.policyTypes) ? spec.policyTypes.filter((t): t is string => typeof t === 'string') : undefined;
    const ingressOn = types ? types.includes('Ingress') : true;
    const egressOn = types ? types.includes('Egress') : true;

    asArray(own(spec, 'ingress')).forEach((rule, i) => {
      if (!isObj(rule)) return;
      asArray(own(rule, 'ports')).forEach((p, j) => {
        const path: PathSeg[] = ['spec', 'ingress', i, 'ports', j];
        const named = checkPortSyntax(p, path, (d) => ctx.report(d));
        if (!named || !ingressOn || selected.length === 0 || operatorSelected.length) return;
        const protocol = isObj(p) && typeof p.protocol === 'string' ? p.protocol : 'TCP';
        const problem = missingPort(named, protocol, selected, index);
        if (problem) {
          const at = portPath(path, p, problem);
          const declared = selected.flatMap(namedPorts);
          if (!problem.startsWith(PROTOCOL_MARK) && ingressCoversAll(spec, protocol, declared)) {
            const list = [...new Set(declared.filter((d) => d.protocol === protocol).map((d) => `"${d.name}"`))].sort();
            ctx.report({
              path: at.path,
              messageId: 'ingressPortUnused',
              data: { port: named, protocol, workloads: names(selected), declared: sampleList(list, 5) },
            });
            return;
          }
          ctx.report({
            path: at.path,
            messageId: 'ingressPort',
            data: { port: named, protocol, workloads: names(selected), problem: at.problem + (at.problem.endsWith('?') ? '' : '.') },
          });
        }
      });
    });

    asArray(own(spec, 'egress')).forEach((rule, i) => {
      if (!isObj(rule)) return;
      const ports = asArray(own(rule, 'ports'));
      const namedPorts: { name: string; protocol: string; path: PathSeg[]; raw: unknown }[] = [];
      ports.forEach((p, j) => {
        const path: PathSeg[] = ['spec', 'egress', i, 'ports', j];
        const named = checkPortSyntax(p, path, (d) => ctx.report(d));
        if (named)
          namedPorts.push({ name: named, protocol: isObj(p) && typeof p.protocol === 'string' ? p.protocol : 'TCP', path, raw: p });
      });
      if (!egressOn || namedPorts.length === 0) return;
      const dest = egressDestinations(own(rule, 'to'), ns, index, ctx.settings);
      if (!dest || dest.length === 0) return;
      for (const np of namedPorts) {
        const problem = missingPort(np.name, np.protocol, dest, index);
        if (problem) {
          const at = portPath(np.path, np.raw, problem);
          ctx.report({
            path: at.path,
            messageId: 'egressPort',
            data: {
              port: np.name,
              protocol: np.protocol,
              workloads: names(dest),
              problem: at.problem + (at.problem.endsWith('?') ? '' : '.'),
            },
          });
        }
      }
    });
  },
});

/** Reports syntax problems of a NetworkPolicyPort; returns the port name when it is a (valid) named port. */
function checkPortSyntax(p: unknown, path: PathSeg[], report: (d: TypedReport<MessageId>) => void): string | undefined {
  if (!isObj(p)) return undefined;
  const port = own(p, 'port');
  const endPort = own(p, 'endPort');
  if (typeof port === 'string') {
    if (/^[0-9]+$/.test(port)) {
      report({ path: [...path, 'port'], messageId: 'quotedNumber', data: { port, number: Number(port) } });
      return undefined;
    }
    if (endPort !== undefined && endPort !== null) {
      report({ path: [...path, 'endPort'], messageId: 'endPortNamed', data: { port } });
    }
    return port;
  }
  if (typeof endPort === 'number') {
    if (port === undefined || port === null) {
      report({ path: [...path, 'endPort'], messageId: 'endPortAlone', data: { endPort } });
    } else if (typeof port === 'number' && endPort < port) {
      report({ path: [...path, 'endPort'], messageId: 'endPortBelow', data: { endPort, port } });
    }
  }
  return undefined;
}

/** Why no destination pod has the named port, or undefined when one has it. */
function missingPort(
  name: string,
  protocol: string,
  pods: MO[],
  index: { servicesSelecting(ns: string, l: Obj): MO[] },
): string | undefined {
  const all = pods.flatMap(namedPorts);
  if (all.some((p) => p.name === name && p.protocol === protocol)) return undefined;
  const otherProto = all.find((p) => p.name === name);
  if (otherProto) {
    return `${PROTOCOL_MARK}container "${otherProto.container}" of ${otherProto.workload.kind}/${otherProto.workload.name} declares "${name}" as ${otherProto.protocol}; set protocol: ${otherProto.protocol}`;
  }
  // A Service port of that name, pointing at a container port?
  for (const w of pods) {
    for (const svc of index.servicesSelecting(w.namespace, podLabels(w))) {
      const sp = isObj(svc.data.spec) ? svc.data.spec : {};
      for (const port of asArray(sp.ports)) {
        if (!isObj(port) || port.name !== name) continue;
        const target = port.targetPort ?? port.port;
        return `"${name}" is a port name of Service ${svc.name} (${whereIs(svc)}), but NetworkPolicies match the pod's container ports; use the container port ${typeof target === 'string' ? `name "${target}"` : String(target)}`;
      }
    }
  }
  const declared = [...new Set(all.map((p) => p.name))].sort();
  const guess = closest(name, declared);
  if (declared.length === 0) return 'they declare no named container port; name the container port or use its number';
  return `they declare ${sampleList(
    declared.map((d) => `"${d}"`),
    5,
  )}${guess ? `; did you mean "${guess}"?` : ''}`;
}
