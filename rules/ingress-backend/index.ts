import { defineRule } from '../../src/engine/rule.js';
import { asArray, isObj, sourcePath, type Obj } from '../../src/model/object.js';
import type { PathSeg } from '../../src/parse/source.js';
import { podSources } from '../../src/model/operators.js';
import { isClusterPopulated } from '../../src/model/scope.js';

interface Backend {
  service: string;
  port: number | string | undefined;
  /** path to the service name and to the port */
  namePath: PathSeg[];
  portPath: PathSeg[];
}

function backendOf(b: unknown, path: PathSeg[]): Backend | undefined {
  if (!isObj(b)) return undefined;
  if (isObj(b.service) && typeof b.service.name === 'string') {
    const port = isObj(b.service.port) ? b.service.port : {};
    const p = typeof port.number === 'number' ? port.number : typeof port.name === 'string' ? port.name : undefined;
    return {
      service: b.service.name,
      port: p,
      namePath: [...path, 'service', 'name'],
      portPath: [...path, 'service', 'port', typeof port.number === 'number' ? 'number' : 'name'],
    };
  }
  if (typeof b.serviceName === 'string') {
    const p = typeof b.servicePort === 'number' || typeof b.servicePort === 'string' ? b.servicePort : undefined;
    return { service: b.serviceName, port: p, namePath: [...path, 'serviceName'], portPath: [...path, 'servicePort'] };
  }
  return undefined;
}

export function ingressBackends(spec: Obj): Backend[] {
  const out: Backend[] = [];
  for (const key of ['defaultBackend', 'backend']) {
    const b = backendOf(spec[key], ['spec', key]);
    if (b) out.push(b);
  }
  asArray(spec.rules).forEach((r, i) => {
    if (!isObj(r) || !isObj(r.http)) return;
    asArray(r.http.paths).forEach((p, j) => {
      if (!isObj(p)) return;
      const b = backendOf(p.backend, ['spec', 'rules', i, 'http', 'paths', j, 'backend']);
      if (b) out.push(b);
    });
  });
  return out;
}

export default defineRule({
  meta: {
    id: 'ingress-backend',
    severity: 'warning',
    category: 'correctness',
    description: 'An Ingress backend must name a Service in the input, and a port that Service exposes.',
    rationale:
      "An Ingress whose backend Service does not exist, or names a port the Service does not have, answers 503 (or the controller's default backend) for that host and path; `kubectl apply` accepts it, and a typo in a name or a port renamed in the Service is the usual cause. " +
      'As with missing-references, a missing Service is reported only when the namespace has other Services in the input, so that linting part of an application stays quiet. ' +
      'It is an info, not a warning, in `kube-system` and `kube-public` (the cluster and its add-ons put Services there), when the namespace holds custom resources whose operators create Services (ECK names them `<name>-es-http`, `<name>-kb-http`), or when the other Services of the namespace are all in other directories (another tutorial of a samples repository).',
    remediation:
      "Fix the Service name or port (the Service's `spec.ports[].port` number or `name`, not the container port), or add the Service to the manifests.",
    tags: ['correctness', 'cross-object', 'networking'],
    appliesTo: ['Ingress'],
    presets: ['recommended'],
    equivalents: { 'kube-linter': ['dangling-ingress'], 'kube-score': ['Ingress targets Service'] },
    messages: {
      noService:
        'Ingress {{name}} routes to Service {{service}}, which is not in the input although namespace {{namespace}} has {{count}} other Service{{s}} here; requests get 503. {{hint}}Fix the name or add the Service.',
      noServiceWeak: {
        text: 'Ingress {{name}} routes to Service {{service}}, which is not in the input; {{why}}, so it may be defined elsewhere or created by an operator. {{hint}}If it does not exist, requests get 503.',
        severity: 'info',
      },
      noPort:
        'Ingress {{name}} routes to port {{port}} of Service {{service}} ({{file}}), which exposes only {{ports}}; requests get 503. Use one of those ports.',
    },
    schema: { type: 'object', properties: {}, additionalProperties: false },
    defaultOptions: {},
    precision: 'very-high',
  },
  check(obj, ctx) {
    const spec = obj.data.spec;
    if (!isObj(spec)) return;
    for (const b of ingressBackends(spec)) {
      // the AWS Load Balancer Controller's port `use-annotation`: the "service" names the action of the annotation
      // alb.ingress.kubernetes.io/actions.<name> (a redirect, a fixed response, weighted target groups), not a Service
      if (b.port === 'use-annotation') continue;
      const svc = ctx.index.find('Service', obj.namespace, b.service, '', obj);
      if (!svc) {
        const others = ctx.index.list('Service', obj.namespace, '');
        if (others.length === 0) continue;
        const guess = ctx.index.closestName('Service', obj.namespace, b.service, '');
        // operators create Services too (ECK's <name>-es-http, <name>-kb-http); and Services only in other
        // directories (another tutorial of a samples repository) are weak evidence: info, never a warning
        const operators = podSources(ctx.index, obj.namespace, ctx.settings).length > 0;
        const near = ctx.index.inDirectory('Service', obj.namespace, obj).some((s) => s.group === '');
        const system = isClusterPopulated(obj.namespace);
        if (operators || !near || system) {
          ctx.report({
            path: b.namePath,
            messageId: 'noServiceWeak',
            data: {
              name: obj.name,
              service: b.service,
              why: system
                ? `namespace ${obj.namespace} also holds the Services of the cluster's own components and add-ons`
                : operators
                  ? `namespace ${obj.namespace} holds custom resources whose operators create Services`
                  : `the other Services of namespace ${obj.namespace} are in other directories`,
              hint: guess !== undefined ? `Did you mean "${guess}"? ` : '',
            },
          });
          continue;
        }
        ctx.report({
          path: b.namePath,
          messageId: 'noService',
          data: {
            name: obj.name,
            service: b.service,
            namespace: obj.namespace,
            count: others.length,
            s: others.length === 1 ? '' : 's',
            hint: guess !== undefined ? `Did you mean "${guess}"? ` : '',
          },
        });
        continue;
      }
      if (b.port === undefined) continue;
      const sspec = svc.data.spec;
      if (!isObj(sspec) || sspec.type === 'ExternalName') continue;
      const ports = asArray(sspec.ports).filter(isObj);
      if (ports.length === 0) continue;
      const ok =
        typeof b.port === 'number'
          ? ports.some((p) => p.port === b.port)
          : ports.some((p) => p.name === b.port || (/^\d+$/.test(b.port as string) && p.port === Number(b.port)));
      if (ok) continue;
      const list = ports.map((p) => (typeof p.name === 'string' && p.name ? `${String(p.port)} (${p.name})` : String(p.port))).join(', ');
      ctx.report({
        path: b.portPath,
        messageId: 'noPort',
        data: { name: obj.name, port: String(b.port), service: b.service, file: sourcePath(svc), ports: list },
      });
    }
  },
});
