import { defineRule } from '../../src/engine/rule.js';
import { containerEnv } from '../../src/model/env.js';
import { isObj, own, type Obj } from '../../src/model/object.js';
import { containers, podTemplate } from '../../src/model/workload.js';
import type { PathSeg } from '../../src/parse/source.js';
import { DEFAULT_EXCLUDE, normalizeName, prepare } from './exclude.js';
import { healthServerPort, probesHealthServer } from './health-server.js';
import { formatMs, parseTimeout, unitUnknown } from './units.js';
export { formatMs } from './units.js';

export const CLIENT_TIMEOUT_ANNOTATION = 'k8s-gold.dev/client-timeout';

export interface Options {
  envSuffixes: string[];
  millisecondSuffixes: string[];
  exclude: string[];
  flagNamePattern: string;
  ratio: number;
  checkLivenessWindow: boolean;
}

interface ClientTimeout {
  ms: number;
  /** the value as written */
  raw: string;
  /** human description of where it came from */
  source: string;
  /** read from one of several same-named ConfigMaps that disagree: findings on it are at most info */
  ambiguous?: boolean;
  /** a plain number under a name that gives no unit (`KEDA_HTTP_DEFAULT_TIMEOUT: 3000`): read as seconds, and this is the value as milliseconds */
  asMs?: number;
}

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/** Probe fields take the Kubernetes defaults when absent, null or 0; undefined means a wrong type. */
function probeField(probe: Obj, key: string, dflt: number): number | undefined {
  const v = own(probe, key);
  if (v === undefined || v === null || v === 0) return dflt;
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

function tokens(list: unknown, field: 'command' | 'args'): { tok: string; index: number; field: string }[] {
  const out: { tok: string; index: number; field: string }[] = [];
  if (!Array.isArray(list)) return out;
  list.forEach((a: unknown, index: number) => {
    if (typeof a !== 'string') return;
    for (const tok of a.split(/\s+/)) if (tok !== '') out.push({ tok, index, field });
  });
  return out;
}

const NOT_BELOW =
  'container {{container}}: {{shown}} is not below the client timeout {{client}}; when a dependency stalls the probe waits as long as the app does and never fails fast. Set timeoutSeconds to at most {{max}}.';
const TOO_CLOSE =
  'container {{container}}: {{shown}} is more than 1/{{ratio}} of the client timeout {{client}}; a stalled dependency is only noticed late. Set timeoutSeconds to at most {{max}}.';
const LIVENESS_WINDOW =
  'container {{container}}: livenessProbe gives up after periodSeconds {{period}} × failureThreshold {{threshold}} = {{window}}s, within the client timeout {{client}}; a dependency stall the app would wait out gets every replica restarted at once (restart storm). Make periodSeconds × failureThreshold clearly longer than {{clientShort}}, and keep dependency checks out of the liveness probe.';

export default defineRule<Options>({
  meta: {
    id: 'probe-timeout-vs-client-timeout',
    severity: 'warning',
    category: 'reliability',
    description:
      "A probe's timeout must be well below the application's own client timeout, and a liveness probe must not give up before that timeout.",
    rationale:
      "A health endpoint usually touches the application's dependencies (a database ping, a downstream call). When a dependency stalls, the handler waits for the application's own client timeout before it answers. " +
      'If the probe `timeoutSeconds` is as long as (or longer than) that client timeout, the probe never fails fast: readiness keeps sending traffic to a pod that is stuck waiting, and the kubelet only notices after the full client timeout on every probe. ' +
      'The rule of thumb is a probe timeout of at most a third of the client (read) timeout.\n\n' +
      'The opposite failure hits liveness probes: when `periodSeconds × failureThreshold` is not longer than the client timeout, a dependency stall that the application would simply wait out (and recover from) gets the container killed. ' +
      'Every replica sees the same stalled dependency at the same time, so the whole Deployment restarts together: a restart storm that turns a slow dependency into a full outage.\n\n' +
      'Client timeouts are read, per container, from:\n\n' +
      '- the pod-template annotation `k8s-gold.dev/client-timeout` (e.g. `"25s"`), which wins over everything else;\n' +
      '- environment variables whose name ends in one of `envSuffixes` (`TIMEOUT`, `TIMEOUT_SECONDS`, `TIMEOUT_SEC`, `TIMEOUT_S`, `TIMEOUT_MS`, `TIMEOUT_MILLIS`), including values from ConfigMaps in the input through `valueFrom.configMapKeyRef` and `envFrom.configMapRef` (with its `prefix`). Values are Go durations (`25s`, `1m30s`, `500ms`) or plain numbers: seconds, or milliseconds when the name ends in one of `millisecondSuffixes` (`_MS`, `_MILLIS`). A plain number under a name that gives no unit (`HTTP_TIMEOUT: 3000`) is read as seconds and the message says so; a liveness-window finding that would not hold were it milliseconds (as many applications read such values) is only an info;\n' +
      '- flags in `command` and `args` written `-name=value`, `--name=value` or `--name value`, whose name matches `flagNamePattern` (a case-insensitive regular expression, default `timeout`), with the same value syntax (milliseconds when the flag name ends in `-ms`/`-millis`). Arguments containing spaces (shell scripts) are split on whitespace.\n\n' +
      'Names (of variables and flags) containing a word from `exclude` are not client read timeouts and are ignored: by default shutdown, idle, grace(ful), keep-alive, termination, drain, write, startup, lease, lock, session, cache, TTL, heartbeat, inactivity, linger, retry, expiry, reconciliation, resync and operation (an operator waiting for a rollout) timeouts, and the timeouts of a whole unit of work the application runs: scan, job, task, build, backup, restore, upload and download (Harbor\'s `SCANNER_TRIVY_TIMEOUT` bounds one image scan), and probe timeouts (a controller\'s `readiness_probe_timeout_seconds` for the pods it creates). Matching is by word, so `SHUTDOWN_TIMEOUT`, `--graceful-timeout` and `HTTP_IDLE_TIMEOUT` are ignored while `DB_READ_TIMEOUT` counts. A value of `0` (commonly "no timeout") is ignored. The smallest client timeout found counts; without any, the rule says nothing.\n\n' +
      "A probe set at or above the client timeout is a warning when the client timeout was found by name (the rule cannot know that the probe's handler waits on that call), and an error when the annotation states it. " +
      '`tcpSocket` probes are not checked: the kernel completes the TCP connect, so no handler waits on a dependency and a stall neither delays nor fails them. ' +
      "Nor are probes of a controller-runtime manager's health server (the port of its `--health-probe-bind-address` or `--health-addr` flag, as kubebuilder writes them): its `/healthz` and `/readyz` checks (`healthz.Ping`) call nothing, so an operator's `--activation-timeout=6m` is not theirs; unless the annotation states a client timeout.\n\n" +
      'Probe fields take the Kubernetes defaults when absent (`timeoutSeconds` 1, `periodSeconds` 10, `failureThreshold` 3). A probe already at the minimum `timeoutSeconds: 1` is not reported for its timeout: it cannot fail faster, and the application itself gives up within a second or two.',
    remediation:
      'Lower the probe `timeoutSeconds` to at most a third of the client timeout, and keep dependency checks out of liveness probes (a liveness endpoint should only say whether the process itself is wedged). ' +
      'For a liveness probe, make `periodSeconds × failureThreshold` clearly longer than the client timeout, so that a container is only restarted when it is stuck for longer than any dependency call can take. ' +
      'If the rule picks up the wrong timeout, state the real one with the pod-template annotation `k8s-gold.dev/client-timeout: "25s"`, or extend the `exclude` option.',
    tags: ['reliability', 'probes'],
    appliesTo: ['PodSpecHolder'],
    messages: {
      badAnnotation:
        'annotation {{annotation}} value {{value}} is not a positive Go duration (e.g. "25s") or number of seconds; it is ignored and the client timeout is taken from env and flags',
      /** the client timeout was guessed from a variable's or flag's name: the tool cannot know the probe's handler waits on it */
      notBelow: { text: NOT_BELOW, severity: 'warning' },
      /** the client timeout is stated by the pod-template annotation: the user says the handler waits on it */
      notBelowDeclared: { text: NOT_BELOW, severity: 'error' },
      /** the client timeout comes from an env value that is ambiguous (several definitions): at most info */
      notBelowAmbiguous: { text: NOT_BELOW, severity: 'info' },
      tooClose: { text: TOO_CLOSE, severity: 'warning' },
      tooCloseAmbiguous: { text: TOO_CLOSE, severity: 'info' },
      livenessWindow: { text: LIVENESS_WINDOW, severity: 'warning' },
      /** several same-named ConfigMaps disagree on the value, or a plain number's unit is unknown and as milliseconds there is no conflict */
      livenessWindowAmbiguous: { text: LIVENESS_WINDOW, severity: 'info' },
    },
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        envSuffixes: {
          type: 'array',
          items: { type: 'string' },
          description: 'Environment variable name suffixes (case-insensitive) that mark a client timeout.',
        },
        millisecondSuffixes: {
          type: 'array',
          items: { type: 'string' },
          description: 'Name suffixes (case-insensitive) whose plain-number values are milliseconds rather than seconds.',
        },
        exclude: {
          type: 'array',
          items: { type: 'string' },
          description:
            'Words that mark a variable or flag as not a client read timeout (matched at word boundaries of the UPPER_SNAKE name, as a word prefix).',
        },
        flagNamePattern: {
          type: 'string',
          format: 'regex',
          description: 'Case-insensitive regular expression a command-line flag name must match.',
        },
        ratio: { type: 'number', exclusiveMinimum: 1, description: 'Probe timeoutSeconds must be at most client timeout / ratio.' },
        checkLivenessWindow: {
          type: 'boolean',
          description: 'Warn when a liveness probe gives up (periodSeconds × failureThreshold) within the client timeout.',
        },
      },
    },
    defaultOptions: {
      envSuffixes: ['TIMEOUT', 'TIMEOUT_SECONDS', 'TIMEOUT_SEC', 'TIMEOUT_S', 'TIMEOUT_MS', 'TIMEOUT_MILLIS'],
      millisecondSuffixes: ['_MS', '_MILLIS'],
      exclude: DEFAULT_EXCLUDE,
      flagNamePattern: 'timeout',
      ratio: 3,
      checkLivenessWindow: true,
    },
    hasSuggestions: true,
    precision: 'medium',
  },
  check(obj, ctx) {
    const tpl = podTemplate(obj);
    if (!tpl) return;
    const o = ctx.options;
    const { suffixes, msSuffixes, excluded, flagRe } = prepare(o);
    const ratio = o.ratio;

    // the annotation wins over everything else
    let annotated: ClientTimeout | undefined;
    const ann = own(tpl.metadata.annotations, CLIENT_TIMEOUT_ANNOTATION);
    if (ann !== undefined) {
      const raw = typeof ann === 'number' ? String(ann) : typeof ann === 'string' ? ann : '';
      const ms = parseTimeout(raw, false);
      if (ms === null || ms <= 0) {
        ctx.report({
          path: [...tpl.metadataPath, 'annotations', CLIENT_TIMEOUT_ANNOTATION],
          messageId: 'badAnnotation',
          data: { annotation: CLIENT_TIMEOUT_ANNOTATION, value: JSON.stringify(ann) },
        });
      } else {
        annotated = { ms, raw, source: `annotation ${CLIENT_TIMEOUT_ANNOTATION}` };
      }
    }

    for (const ref of containers(obj, ['sidecar', 'regular'], tpl)) {
      const c = ref.container as Obj;
      if (!PROBES.some((p) => isObj(own(c, p)))) continue;
      let client = annotated;
      if (!client) {
        const found: ClientTimeout[] = [];
        for (const v of containerEnv(obj, ref, ctx.index).values()) {
          if (v.value === undefined) continue;
          const upper = v.name.toUpperCase();
          if (!suffixes.some((s) => upper.endsWith(s))) continue;
          if (excluded(normalizeName(v.name))) continue;
          const inMs = msSuffixes.some((s) => upper.endsWith(s));
          const ms = parseTimeout(v.value, inMs);
          if (ms === null || ms <= 0) continue;
          found.push({ ms, raw: v.value, source: v.source, ambiguous: v.ambiguous, asMs: unitUnknown(v.value, upper, inMs) });
        }
        for (const field of ['command', 'args'] as const) {
          const toks = tokens(c[field], field);
          toks.forEach(({ tok }, i) => {
            // a flag starts with '-' (most arguments do not: no regular expression for them)
            if (tok.charCodeAt(0) !== 0x2d) return;
            const m = /^--?([A-Za-z][A-Za-z0-9_.-]*)(?:=(.*))?$/.exec(tok);
            if (!m) return;
            const name = m[1]!;
            if (!flagRe.test(name)) return;
            const norm = normalizeName(name);
            if (excluded(norm)) return;
            let raw = m[2];
            if (raw === undefined) {
              const next = toks[i + 1]?.tok;
              if (next === undefined || next.startsWith('-')) return;
              raw = next;
            }
            const inMs = /_(MS|MILLIS)$/.test(norm);
            const ms = parseTimeout(raw, inMs);
            if (ms === null || ms <= 0) return;
            found.push({
              ms,
              raw,
              source: `flag ${m[0].startsWith('--') ? '--' : '-'}${name} in ${field}`,
              asMs: unitUnknown(raw, norm, inMs),
            });
          });
        }
        // smallest wins; ties keep the first found (env before flags) for determinism
        for (const f of found) if (!client || f.ms < client.ms) client = f;
      }
      if (!client) continue;
      const shownRaw = client.source.startsWith('annotation') || client.raw === formatMs(client.ms) ? '' : ` = ${client.raw}`;
      const clientText = `${formatMs(client.ms)} (${client.source}${shownRaw}${client.asMs !== undefined ? ', read as seconds' : ''})`;

      const healthPort = client === annotated ? undefined : healthServerPort(c);
      for (const p of PROBES) {
        const probe = own(c, p);
        if (!isObj(probe)) continue;
        // the kernel completes a TCP connect: no handler waits on the application's client timeout
        if (isObj(own(probe, 'tcpSocket'))) continue;
        // a controller-runtime health server's checks (healthz.Ping) call nothing
        if (healthPort !== undefined && probesHealthServer(c, probe, healthPort)) continue;
        const base: PathSeg[] = [...ref.path, p];
        const timeout = probeField(probe, 'timeoutSeconds', 1);
        const period = probeField(probe, 'periodSeconds', 10);
        const threshold = probeField(probe, 'failureThreshold', 3);
        const defaulted = own(probe, 'timeoutSeconds') === undefined || own(probe, 'timeoutSeconds') === null;
        if (timeout !== undefined && timeout > 1) {
          const tMs = timeout * 1000;
          const max = Math.max(1, Math.floor(client.ms / 1000 / ratio));
          const shown = `${p} timeoutSeconds ${timeout}${defaulted ? ' (default)' : ''}`;
          if (tMs >= client.ms) {
            ctx.report({
              path: [...base, 'timeoutSeconds'],
              messageId: client.ambiguous ? 'notBelowAmbiguous' : client === annotated ? 'notBelowDeclared' : 'notBelow',
              data: { container: ref.name, shown, client: clientText, max },
              suggest: [{ desc: `Set ${p}.timeoutSeconds to ${max}`, fix: (f) => f.set([...base, 'timeoutSeconds'], max) }],
            });
          } else if (tMs * ratio > client.ms) {
            ctx.report({
              path: [...base, 'timeoutSeconds'],
              messageId: client.ambiguous ? 'tooCloseAmbiguous' : 'tooClose',
              data: { container: ref.name, shown, ratio, client: clientText, max },
              suggest: [{ desc: `Set ${p}.timeoutSeconds to ${max}`, fix: (f) => f.set([...base, 'timeoutSeconds'], max) }],
            });
          }
        }
        if (
          p === 'livenessProbe' &&
          o.checkLivenessWindow &&
          period !== undefined &&
          threshold !== undefined &&
          period * threshold * 1000 <= client.ms
        ) {
          // a plain number without a unit in its name: if it is milliseconds (as KEDA's are), the window may be long enough
          const unsure = client.ambiguous || (client.asMs !== undefined && period * threshold * 1000 > client.asMs);
          const at: PathSeg[] =
            own(probe, 'periodSeconds') !== undefined
              ? [...base, 'periodSeconds']
              : own(probe, 'failureThreshold') !== undefined
                ? [...base, 'failureThreshold']
                : base;
          ctx.report({
            path: at,
            messageId: unsure ? 'livenessWindowAmbiguous' : 'livenessWindow',
            data: {
              container: ref.name,
              period,
              threshold,
              window: period * threshold,
              client: clientText,
              clientShort: formatMs(client.ms),
            },
          });
        }
      }
    }
  },
});
