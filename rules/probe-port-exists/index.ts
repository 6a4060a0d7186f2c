import { defineRule } from '../../src/engine/rule.js';
import { isSubstitution } from '../../src/model/substitution.js';
import { asArray, isObj, own } from '../../src/model/object.js';
import { containers } from '../../src/model/workload.js';
import type { PathSeg } from '../../src/parse/source.js';
import { closest } from '../../src/util/strings.js';

interface Options {
  /** also check httpGet ports of postStart/preStop lifecycle handlers */
  checkLifecycleHandlers: boolean;
}

const PROBES = ['startupProbe', 'livenessProbe', 'readinessProbe'] as const;
const PROBE_HANDLERS = ['httpGet', 'tcpSocket', 'grpc'] as const;
const HOOKS = ['postStart', 'preStop'] as const;

export default defineRule<Options>({
  meta: {
    id: 'probe-port-exists',
    severity: 'error',
    category: 'reliability',
    description: "A probe or lifecycle hook that names a port must name a port declared in the same container's `ports`.",
    rationale:
      'The kubelet resolves a named probe port (`port: http`) against the `ports` of the container the probe belongs to, and nowhere else: not the Service, not another container of the pod. ' +
      'When no container port has that name, every probe attempt fails with `cannot find port` (the kubelet then tries to read the name as a number, which fails too). ' +
      'A readiness probe that always fails keeps the pod out of every Service, so a rollout hangs at zero ready replicas and, with `maxUnavailable`, the old pods are not replaced; a liveness probe that always fails restarts the container forever (CrashLoopBackOff), and a startup probe blocks both. ' +
      'The usual causes are a renamed port (`http` → `web`), a port declared on a sidecar rather than on the probed container, or a probe copied from another chart. ' +
      'The same lookup applies to `httpGet` lifecycle hooks: an unresolvable `postStart` hook kills the container right after start (FailedPostStartHook), and an unresolvable `preStop` hook is skipped, so the graceful drain it was meant to perform never happens.\n\n' +
      'A quoted number (`port: "8080"`) is a string too: the API server rejects it, since a port name must contain a letter. gRPC probes take only a number.\n\n' +
      'Probes and hooks connect over TCP. A probed port (by name or number) that the container declares only with `protocol: UDP` (or SCTP), and not also as TCP with the same number, gets a warning: unless the process also listens on TCP there, the probe fails. A port declared twice, TCP and UDP (as DNS servers do), is fine.',
    remediation:
      'Declare the port on the probed container (`ports: [{name: http, containerPort: 8080}]`), fix the spelling of the name in the probe, or use the port number. A numeric port needs no declaration.',
    tags: ['reliability', 'probes'],
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        checkLifecycleHandlers: {
          type: 'boolean',
          description: 'Also check the httpGet port of postStart and preStop lifecycle hooks (tcpSocket hooks are not run by the kubelet).',
        },
      },
    },
    defaultOptions: { checkLifecycleHandlers: true },
    appliesTo: ['PodSpecHolder'],
    messages: {
      notTcp: {
        text: '{{where}} {{what}} is declared by container "{{container}}" only as {{protocols}}, but {{kind}} probes connect over TCP, so unless the process also listens on TCP there, every {{fails}}; probe a TCP port (declare it, e.g. a second entry with protocol TCP, as DNS servers do) or use an exec probe.',
        severity: 'warning',
      },
      grpcName:
        '{{where}} port "{{port}}" is a string, but a gRPC probe takes only a port number; the API server rejects it. Write the number{{number}}.',
      quotedNumber:
        '{{where}} port "{{port}}" is a quoted number, which Kubernetes reads as a port name; the API server rejects it (a port name must contain a letter). Write it unquoted: port: {{number}}.',
      unknownName:
        '{{where}} port "{{port}}" is not a port name of container "{{container}}" (which {{has}}), so the kubelet cannot resolve it and every {{fails}}; {{hint}}declare the port on this container or use the port number.',
    },
    precision: 'very-high',
  },
  check(obj, ctx) {
    const all = containers(obj, ['init', 'sidecar', 'regular', 'ephemeral']);
    for (const c of containers(obj)) {
      const declared: string[] = [];
      const numbers = new Map<string, number>();
      /** protocols declared per port name and per number (absent means TCP) */
      const nameProtocols = new Map<string, Set<string>>();
      const numberProtocols = new Map<number, Set<string>>();
      const addProto = <K>(m: Map<K, Set<string>>, k: K, proto: string): void => {
        let set = m.get(k);
        if (!set) m.set(k, (set = new Set()));
        set.add(proto);
      };
      for (const p of asArray(c.container.ports)) {
        if (!isObj(p)) continue;
        const proto = typeof p.protocol === 'string' && p.protocol !== '' ? p.protocol : 'TCP';
        if (typeof p.containerPort === 'number') addProto(numberProtocols, p.containerPort, proto);
        if (typeof p.name !== 'string' || p.name === '') continue;
        declared.push(p.name);
        addProto(nameProtocols, p.name, proto);
        if (typeof p.containerPort === 'number' && !numbers.has(p.name)) numbers.set(p.name, p.containerPort);
      }
      /** a TCP probe of a port the container declares only for other protocols (UDP, SCTP) */
      const notTcp = (where: string, path: PathSeg[], what: string, protos: Set<string>, num: number | undefined): void => {
        if (protos.has('TCP') || (num !== undefined && numberProtocols.get(num)?.has('TCP'))) return;
        ctx.report({
          path,
          messageId: 'notTcp',
          data: {
            where,
            what,
            container: c.name,
            protocols: [...protos].sort().join('/'),
            kind: where.startsWith('grpc') || where.includes(' grpc') ? 'gRPC' : where.includes('httpGet') ? 'HTTP' : 'TCP',
            fails: where.includes('Probe') ? 'probe fails' : 'hook call fails',
          },
        });
      };
      const checkPort = (where: string, handlerPath: PathSeg[], handler: unknown, grpc: boolean): void => {
        if (!isObj(handler)) return;
        const port = own(handler, 'port');
        const path = [...handlerPath, 'port'];
        if (typeof port === 'number') {
          const protos = numberProtocols.get(port);
          if (protos) notTcp(where, path, `port ${String(port)}`, protos, port);
          return;
        }
        // a substitution variable (`${HEALTH_PORT:-9003}`) is replaced as text before apply: a number or a name, not known here
        if (typeof port !== 'string' || isSubstitution(port)) return;
        if (grpc) {
          ctx.report({
            path,
            messageId: 'grpcName',
            data: { where, port, number: numbers.has(port) ? ` (${String(numbers.get(port))})` : '' },
          });
          return;
        }
        if (/^[0-9]+$/.test(port)) {
          ctx.report({
            path,
            messageId: 'quotedNumber',
            data: { where, port, number: Number(port) },
          });
          return;
        }
        if (declared.includes(port)) {
          notTcp(where, path, `port "${port}"`, nameProtocols.get(port)!, numbers.get(port));
          return;
        }
        const guess = closest(port, declared);
        const has = declared.length ? `declares ${declared.map((d) => `"${d}"`).join(', ')}` : 'declares no named port';
        const other = all.find((o) => o !== c && asArray(o.container.ports).some((p) => isObj(p) && p.name === port));
        const hint = guess
          ? `did you mean "${guess}"? `
          : other
            ? `container "${other.name}" declares it, but the kubelet only looks at the probed container's ports; `
            : '';
        ctx.report({
          path,
          messageId: 'unknownName',
          data: { where, port, container: c.name, has, fails: where.includes('Probe') ? 'probe fails' : 'hook call fails', hint },
        });
      };
      for (const probe of PROBES) {
        const pr = own(c.container, probe);
        if (!isObj(pr)) continue;
        for (const h of PROBE_HANDLERS) {
          // the handler first: its place and path are made only for a handler the probe has
          const handler = own(pr, h);
          if (isObj(handler)) checkPort(`${probe} ${h}`, [...c.path, probe, h], handler, h === 'grpc');
        }
      }
      if (ctx.options.checkLifecycleHandlers) {
        const lc = own(c.container, 'lifecycle');
        if (!isObj(lc)) continue;
        for (const hook of HOOKS) {
          const hk = own(lc, hook);
          if (!isObj(hk)) continue;
          const handler = own(hk, 'httpGet');
          if (isObj(handler)) checkPort(`${hook} hook httpGet`, [...c.path, 'lifecycle', hook, 'httpGet'], handler, false);
        }
      }
    }
  },
});
