import { defineRule } from '../../src/engine/rule.js';
import { asArray, isObj } from '../../src/model/object.js';
import { containers, podTemplate } from '../../src/model/workload.js';

interface Options {
  requireReadiness: 'serving' | 'always' | 'never';
  requireLiveness: boolean;
  reportIdentical: boolean;
}

/** long-running controllers (the groups podTemplate() accepts for these kinds) */
const LONG_RUNNING = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']
  .flatMap((k) => [`apps/${k}`, `extensions/${k}`])
  .concat('core/ReplicationController', 'apps.openshift.io/DeploymentConfig');
const HANDLERS = ['httpGet', 'tcpSocket', 'exec', 'grpc'];

/** Canonical JSON (sorted keys) of a probe's handler, or undefined if it has none. */
export function probeHandler(probe: unknown): string | undefined {
  if (!isObj(probe)) return undefined;
  const h: Record<string, unknown> = {};
  for (const k of HANDLERS) if (probe[k] !== undefined && probe[k] !== null) h[k] = probe[k];
  if (Object.keys(h).length === 0) return undefined;
  return canonical(h);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObj(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  // ports: 8080 and "8080" are the same for the kubelet
  return JSON.stringify(typeof v === 'number' ? String(v) : v);
}

/**
 * Port names that carry metrics or health checks, not user traffic; "metrics" also inside one word of the name
 * (metallb's `frrmetricshttps`, `httpmetrics`: port names are at most 15 characters, so words run together).
 */
const OBSERVABILITY_PORT =
  /^(?:[a-z0-9]+-)?(?:metrics|prometheus|prom|monitoring|telemetry|health|healthz|probes?|pprof|profiling|debug)(?:-[a-z0-9]+)?$|metrics/i;

/** Declared ports of a container that may carry traffic (not named as metrics/health ports). */
/** `scrape`: the port the pod template's `prometheus.io/port` annotation names for metrics scraping, a metrics port too */
function servingPorts(c: Record<string, unknown>, scrape?: number): Record<string, unknown>[] {
  return asArray(c.ports).filter(
    (p): p is Record<string, unknown> =>
      isObj(p) &&
      p.containerPort !== undefined &&
      p.containerPort !== null &&
      !(typeof p.name === 'string' && OBSERVABILITY_PORT.test(p.name)) &&
      !(scrape !== undefined && Number(p.containerPort) === scrape),
  );
}

/** The port a pod template's `prometheus.io/port` annotation names (`"9402"`), if it is a port number. */
function scrapePort(annotations: unknown): number | undefined {
  const v = isObj(annotations) ? annotations['prometheus.io/port'] : undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,5}$/.test(v.trim()) ? Number(v) : undefined;
  return n !== undefined && n >= 1 && n <= 65535 ? n : undefined;
}

/** `--leader-elect`, `--leader-elect=true`, `--leader-election`, `--enable-leader-election` in command or args. */
const LEADER_ELECT = /^--?(?:enable-)?leader-?elect(?:ion)?(?:=(?:true|1|yes))?$/i;
export function leaderElected(c: Record<string, unknown>): boolean {
  return [...asArray(c.command), ...asArray(c.args)].some((a) => typeof a === 'string' && LEADER_ELECT.test(a.trim()));
}

/**
 * Whether a Service sends user traffic: some port that is not named (or does
 * not target a container port named) as a metrics/health port.
 */
function carriesTraffic(svc: Record<string, unknown>, podContainers: Record<string, unknown>[]): boolean {
  const spec = svc.spec;
  if (!isObj(spec)) return true;
  const ports = asArray(spec.ports).filter(isObj);
  if (ports.length === 0) return true;
  const obsNumbers = new Set<number>();
  for (const c of podContainers) {
    for (const p of asArray(c.ports))
      if (isObj(p) && typeof p.name === 'string' && OBSERVABILITY_PORT.test(p.name) && typeof p.containerPort === 'number')
        obsNumbers.add(p.containerPort);
  }
  return ports.some((p) => {
    if (typeof p.name === 'string' && OBSERVABILITY_PORT.test(p.name)) return false;
    const target = p.targetPort ?? p.port;
    if (typeof target === 'string' && OBSERVABILITY_PORT.test(target)) return false;
    if (typeof target === 'number' && obsNumbers.has(target)) return false;
    return true;
  });
}

/** Seconds of failing checks before a probe acts: periodSeconds (10) × failureThreshold (3). */
function failureWindow(probe: Record<string, unknown>): number {
  const period = typeof probe.periodSeconds === 'number' && probe.periodSeconds > 0 ? probe.periodSeconds : 10;
  const threshold = typeof probe.failureThreshold === 'number' && probe.failureThreshold > 0 ? probe.failureThreshold : 3;
  return period * threshold;
}

export default defineRule<Options>({
  meta: {
    id: 'missing-probes',
    severity: 'warning',
    category: 'reliability',
    description: 'Long-running workloads that serve traffic need a readinessProbe, and their livenessProbe must not be a copy of it.',
    rationale:
      "Without a readinessProbe a pod is added to its Service's endpoints as soon as the process starts, before it has opened its port, warmed its caches or connected to its database: every rollout and every scale-up sends requests to pods that refuse or time them out. " +
      'Readiness also gates rollouts: without it a Deployment considers a crash-looping-after-30-seconds version "available" and replaces every healthy pod with it. ' +
      'A livenessProbe identical to the readinessProbe turns a temporary overload (slow dependency, GC pause) into restarts: the same check that should only take the pod out of rotation kills it, the remaining pods get more load, and they fail the same check in a cascade.\n\n' +
      'What counts as serving (default `requireReadiness: serving`): a container that declares a port other than a metrics/health one (a port named `metrics`, `http-metrics`, `healthz`, `probes`, `pprof`, `profiling`…, or with `metrics` inside its name, as `frrmetricshttps`), or the main containers of pods selected by a Service in the input that exposes such a port. ' +
      "Not reported: a container with no port that no such Service selects (a queue worker, a controller), and a leader-elected controller (`--leader-elect`, `--leader-elect=true`, `--enable-leader-election` in its command or args) unless a Service other than a metrics one selects it (e.g. its webhook): only the leader works, and what reaches it is the API server's watch, not Service traffic. " +
      'Nor a container that has a livenessProbe but no readinessProbe while no such Service in the input selects it (the descheduler, node agents): its probes were configured on purpose, and nothing shown sends it traffic. ' +
      'Bare Pods are checked like workloads unless they run to completion (`restartPolicy: Never` or `OnFailure`: one-off tasks, Helm test pods) or have no labels (no Service can select such a pod and no rollout waits for it: a readinessProbe would gate nothing); Jobs and CronJobs are not checked. ' +
      'A container with a startupProbe but no readinessProbe gets an info instead: the startupProbe keeps it out of rotation until it passes, and only later failures go unnoticed. ' +
      'A livenessProbe with the same check is not reported when it tolerates failures longer than the readinessProbe (periodSeconds × failureThreshold, defaults 10 × 3): the pod is then taken out of rotation before it is restarted, which is the intended layering; nor when the check is a `tcpSocket` one, which an overloaded process still passes (the kernel completes the connect), so both fail only when nothing listens and a restart is right.',
    remediation:
      'Add a `readinessProbe` that checks the container can serve (an HTTP `/ready` endpoint, or a TCP check of the serving port). Make the `livenessProbe` check only that the process is alive (a cheap `/healthz` that does not call dependencies) with a higher `failureThreshold`, or leave it out. ' +
      '`requireReadiness: always` also reports containers that declare no port and are not selected by a Service; `requireLiveness: true` also requires liveness probes.',
    tags: ['reliability', 'probes', 'kube-linter', 'kube-score', 'polaris'],
    // bare Pods that keep running (restartPolicy Always) too; the check decides
    appliesTo: ['core/Pod', ...LONG_RUNNING],
    messages: {
      noReadiness:
        'container "{{container}}" has no readinessProbe: {{why}} receives traffic as soon as the process starts (before it can serve) and rollouts do not wait for it to work; add a readinessProbe that checks it can serve.',
      /** a startupProbe holds traffic back until it passes: what is missing is only taking the pod out of rotation later */
      noReadinessAfterStartup: {
        text: 'container "{{container}}" has a startupProbe but no readinessProbe: {{why}} gets traffic once the startupProbe passes and is never taken out of rotation when it stops serving (overload, a lost dependency); add a readinessProbe that checks it can serve.',
        severity: 'info',
      },
      noLiveness:
        'container "{{container}}" has no livenessProbe: a deadlocked process is never restarted; add a cheap livenessProbe that only checks the process is alive.',
      sameCheck:
        'container "{{container}}" has a livenessProbe with the same check as its readinessProbe: when the pod is merely overloaded it is restarted instead of only taken out of rotation, which cascades to the other replicas; make liveness a cheaper check (e.g. /healthz), or give it a longer failure window (periodSeconds × failureThreshold, now {{liveness}}s, readiness {{readiness}}s) so readiness acts first, or remove it.',
    },
    schema: {
      type: 'object',
      properties: {
        requireReadiness: {
          enum: ['serving', 'always', 'never'],
          description:
            '`serving` (default): containers that declare a non-metrics port, or the main containers of pods a non-metrics Service in the input selects, except leader-elected controllers without such a Service; `always`: every regular and sidecar container; `never`.',
        },
        requireLiveness: { type: 'boolean', description: 'Also report containers without a livenessProbe.' },
        reportIdentical: {
          type: 'boolean',
          description:
            "Report a livenessProbe whose check is the same as the readinessProbe's and that does not tolerate failures longer (periodSeconds × failureThreshold) than it.",
        },
      },
      additionalProperties: false,
    },
    defaultOptions: { requireReadiness: 'serving', requireLiveness: false, reportIdentical: true },
    precision: 'high',
  },
  check(obj, ctx) {
    const tpl = podTemplate(obj);
    if (!tpl) return;
    // a bare Pod is long-running unless it runs to completion (restartPolicy Never or OnFailure: a one-off task, a Helm test)
    if (obj.kind === 'Pod' && (tpl.spec.restartPolicy === 'Never' || tpl.spec.restartPolicy === 'OnFailure')) return;
    const cs = containers(obj, ['sidecar', 'regular'], tpl);
    if (cs.length === 0) return;
    const mode = ctx.options.requireReadiness;
    const labels = isObj(tpl.metadata.labels) ? tpl.metadata.labels : {};
    let services: string[] | undefined;
    const all = cs.map((c) => c.container as Record<string, unknown>);
    const selectingServices = (): string[] =>
      (services ??= [
        ...new Set(
          ctx.index
            .servicesSelecting(obj.namespace, labels)
            .filter((s) => carriesTraffic(s.data, all))
            .map((s) => s.name),
        ),
      ]);
    const anyReadiness = cs.some((c) => isObj(c.container.readinessProbe));
    const scrape = scrapePort(tpl.metadata.annotations);
    const anyPorts = cs.some((c) => servingPorts(c.container, scrape).length > 0);

    for (const c of cs) {
      const readiness = c.container.readinessProbe;
      const liveness = c.container.livenessProbe;
      if (!isObj(readiness) && mode !== 'never') {
        let why: string | undefined;
        const ports = servingPorts(c.container, scrape);
        if (mode === 'always') why = 'it';
        // a bare Pod without labels: no Service can select it and no rollout waits for it, so readiness gates nothing
        else if (obj.kind === 'Pod' && Object.keys(labels).length === 0) why = undefined;
        else if (leaderElected(c.container) && selectingServices().length === 0) why = undefined;
        // health-checked on purpose (a livenessProbe) and nothing in the input routes traffic to it: a daemon, not a server
        else if (isObj(liveness) && selectingServices().length === 0) why = undefined;
        else if (ports.length > 0) why = `it declares port ${String(ports[0]!.name ?? ports[0]!.containerPort)}, so it`;
        else if (c.kind === 'regular' && !anyPorts && !anyReadiness && selectingServices().length > 0)
          why = `Service ${selectingServices()
            .map((s) => `"${s}"`)
            .join(', ')} selects this pod, so it`;
        if (why !== undefined) {
          ctx.report({
            path: c.path,
            messageId: isObj(c.container.startupProbe) ? 'noReadinessAfterStartup' : 'noReadiness',
            data: { container: c.name, why },
          });
        }
      }
      if (ctx.options.requireLiveness && !isObj(liveness)) {
        ctx.report({ path: c.path, messageId: 'noLiveness', data: { container: c.name } });
      }
      // a tcpSocket check passes while the process is overloaded (the kernel completes the connect): both fail only when
      // nothing listens, and then a restart is right
      if (ctx.options.reportIdentical && isObj(readiness) && isObj(liveness) && !isObj(liveness.tcpSocket)) {
        // the windows first: comparing them is cheap, the handlers' canonical forms are not
        const r = failureWindow(liveness) <= failureWindow(readiness) ? probeHandler(readiness) : undefined;
        if (r !== undefined && r === probeHandler(liveness)) {
          ctx.report({
            path: [...c.path, 'livenessProbe'],
            messageId: 'sameCheck',
            data: { container: c.name, liveness: failureWindow(liveness), readiness: failureWindow(readiness) },
          });
        }
      }
    }
  },
});
