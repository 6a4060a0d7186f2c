import { defineRule } from '../../src/engine/rule.js';
import { containerEnv } from '../../src/model/env.js';
import { isObj, own, type Obj } from '../../src/model/object.js';
import { containers, podTemplate } from '../../src/model/workload.js';
import type { PathSeg } from '../../src/parse/source.js';
import { parseGoMemLimit } from '../../src/util/godur.js';
import {
  ceilQuantity,
  compareQuantity,
  describeQuantity,
  parseQuantityShared as parseQuantity,
  type Quantity,
} from '../../src/util/quantity.js';
import { type Defaulted, limitRangeDefaults } from './limit-range.js';

export interface Options {
  requireCpuRequest: boolean;
  requireMemoryRequest: boolean;
  requireMemoryLimit: boolean;
  requireCpuLimit: boolean;
  checkGoRuntime: boolean;
}

type Field = 'requests' | 'limits';
type Res = 'cpu' | 'memory';

function listMissing(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export default defineRule<Options>({
  meta: {
    id: 'resource-requests-limits',
    severity: 'error',
    category: 'reliability',
    description:
      'Every container sets CPU and memory requests and a memory limit that parse and are consistent; a Go GOMEMLIMIT/GOMAXPROCS fits them.',
    rationale:
      'Without requests the scheduler places pods as if they were free: nodes get overcommitted, the pod is the first to be evicted under memory pressure (BestEffort QoS), and HPA utilisation targets cannot be computed. ' +
      'Without a memory limit one leaking container takes the whole node into the kernel OOM killer and kills its neighbours. A request above its limit, or a quantity that does not parse, makes the API server reject the pod, which in a rollout means a Deployment stuck at zero new replicas.\n\n' +
      'Go programs need to agree with those numbers: `GOMEMLIMIT` above the memory limit (or with no limit at all) lets the heap grow until the cgroup OOM-kills the container instead of the garbage collector working harder, and a malformed `GOMEMLIMIT` (e.g. `1Gi` or `1GB`: Go only takes `B`, `KiB`, `MiB`, `GiB`, `TiB`) makes the Go runtime abort at start-up: a crash loop. ' +
      '`GOMAXPROCS` above the CPU limit creates more busy OS threads than the CFS quota allows, so the container is throttled for most of every period and tail latency explodes.\n\n' +
      "Decisions: a value supplied by a `LimitRange` (type `Container`, `default` / `defaultRequest`, following the API server defaulting from `max` and `min`) in the same namespace in the input counts as set, and so does a request the API server copies from the container's own limit (a missing request defaults to the limit), and a value set in pod-level `spec.resources` (PodLevelResources). Quantities are compared exactly (`1Gi` == `1024Mi`, `500m` == `0.5`). Ephemeral containers cannot have resources and are skipped; init and sidecar containers are checked. `limits.cpu` is only required with `requireCpuLimit: true`, because CPU limits cause throttling that many teams avoid on purpose.",
    remediation:
      'Set `resources.requests.cpu`, `resources.requests.memory` and `resources.limits.memory` on every container (or give the namespace a LimitRange with defaults), keep each request at or below its limit, and write quantities the Kubernetes way (`500m`, `256Mi`, `1Gi`). ' +
      'For Go services set `GOMEMLIMIT` to roughly 90% of the memory limit in Go syntax (`460MiB`), or derive it with `valueFrom.resourceFieldRef` (`resource: limits.memory`), and keep `GOMAXPROCS` at or below the CPU limit (or leave it unset with Go 1.25+, which reads the cgroup quota).',
    tags: ['reliability', 'resources'],
    appliesTo: ['PodSpecHolder'],
    messages: {
      invalidQuantity:
        'container {{container}}: {{field}} {{value}} is not a valid Kubernetes quantity, so the API server rejects the pod; write it like 500m, 0.5, 256Mi or 1Gi.',
      missing:
        'container {{container}} does not set {{missing}}; {{why}}. Set {{them}} (or give namespace {{namespace}} a LimitRange with defaults).',
      requestAboveLimit:
        'container {{container}}: requests.{{resource}} {{request}} is above limits.{{resource}} {{limit}}{{from}}; the API server rejects the pod ("must be less than or equal to {{resource}} limit"). Lower the request or raise the limit.',
      goMemLimitInvalid:
        'container {{container}}: GOMEMLIMIT {{value}} ({{source}}) is malformed, and the Go runtime aborts at start-up (crash loop); {{reason}}.',
      goMemLimitWithoutLimit:
        'container {{container}}: GOMEMLIMIT {{value}} ({{source}}) is set but the container has no memory limit, so nothing backs the soft limit and a leak still takes the node into the OOM killer; set limits.memory above GOMEMLIMIT (GOMEMLIMIT ≈ 90% of it).',
      goMemLimitAboveLimit:
        'container {{container}}: GOMEMLIMIT {{value}} ({{bytes}}, {{source}}) is above the memory limit {{limit}}{{from}}, so the heap grows until the container is OOM-killed instead of the GC working harder; set it to about 90% of the limit, or use valueFrom.resourceFieldRef limits.memory.',
      goMaxProcsAboveLimit: {
        text: 'container {{container}}: GOMAXPROCS {{value}} ({{source}}) is above the CPU limit {{limit}}{{from}} (at most {{usable}} usable), so the Go scheduler runs more threads than the CFS quota allows and the container is throttled; set GOMAXPROCS to {{usable}} or derive it from limits.cpu.',
        severity: 'warning',
      },
    },
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        requireCpuRequest: { type: 'boolean', description: 'Require requests.cpu.' },
        requireMemoryRequest: { type: 'boolean', description: 'Require requests.memory.' },
        requireMemoryLimit: { type: 'boolean', description: 'Require limits.memory.' },
        requireCpuLimit: { type: 'boolean', description: 'Require limits.cpu (off by default: CPU limits throttle).' },
        checkGoRuntime: { type: 'boolean', description: 'Check GOMEMLIMIT and GOMAXPROCS against the limits.' },
      },
    },
    defaultOptions: {
      requireCpuRequest: true,
      requireMemoryRequest: true,
      requireMemoryLimit: true,
      requireCpuLimit: false,
      checkGoRuntime: true,
    },
    precision: 'very-high',
  },
  check(obj, ctx) {
    const tpl = podTemplate(obj);
    if (!tpl) return;
    const o = ctx.options;
    const required: [Field, Res][] = [];
    if (o.requireCpuRequest) required.push(['requests', 'cpu']);
    if (o.requireMemoryRequest) required.push(['requests', 'memory']);
    if (o.requireMemoryLimit) required.push(['limits', 'memory']);
    if (o.requireCpuLimit) required.push(['limits', 'cpu']);
    let lrCache: Map<string, Defaulted> | undefined;
    const lr = (): Map<string, Defaulted> => (lrCache ??= limitRangeDefaults(ctx.index, obj.namespace));

    const podResources = own(tpl.spec, 'resources');
    for (const ref of containers(obj, undefined, tpl)) {
      const c = ref.container as Obj;
      const resPath: PathSeg[] = [...ref.path, 'resources'];
      const resources = own(c, 'resources');
      const section = (f: Field): Obj | undefined => {
        const r = own(resources, f);
        return isObj(r) ? r : undefined;
      };

      // parse every quantity; report the ones that do not parse
      const parsed = new Map<string, Quantity>();
      for (const f of ['requests', 'limits'] as const) {
        const sec = section(f);
        if (!sec) continue;
        for (const key of Object.keys(sec)) {
          const v = own(sec, key);
          if (v === null || v === undefined) continue;
          const q = parseQuantity(v);
          if (q) parsed.set(`${f}.${key}`, q);
          else
            ctx.report({
              path: [...resPath, f, key],
              messageId: 'invalidQuantity',
              data: { container: ref.name, field: `${f}.${key}`, value: JSON.stringify(v) },
            });
        }
      }
      const hasRaw = (f: Field, r: string): boolean => {
        const v = own(section(f), r);
        return v !== undefined && v !== null;
      };

      // effective values: own, else (for requests) own limit, else LimitRange default
      const effective = (f: Field, r: string): { q: Quantity; from: string } | undefined => {
        const q = parsed.get(`${f}.${r}`);
        if (q) return { q, from: '' };
        if (hasRaw(f, r)) return undefined; // present but invalid: already reported
        if (f === 'requests') {
          const lim = parsed.get(`limits.${r}`);
          if (lim) return { q: lim, from: ' (defaulted from its limit)' };
          if (hasRaw('limits', r)) return undefined;
        }
        const d = lr().get(`${f}.${r}`);
        if (d) return { q: d.value, from: ` (default from LimitRange ${d.limitRange})` };
        if (f === 'requests') {
          const dl = lr().get(`limits.${r}`);
          if (dl) return { q: dl.value, from: ` (defaulted from the LimitRange ${dl.limitRange} limit)` };
        }
        return undefined;
      };

      // missing values, grouped by where they would be reported
      const groups = new Map<string, { path: PathSeg[]; items: string[] }>();
      for (const [f, r] of required) {
        if (hasRaw(f, r) || effective(f, r)) continue;
        // pod-level resources (PodLevelResources) bound the containers that set none themselves
        if (parseQuantity(own(own(podResources, f), r))) continue;
        // where the engine would land for the missing value: the section, resources, or the container
        const path: PathSeg[] =
          own(resources, f) !== undefined && own(resources, f) !== null
            ? [...resPath, f]
            : resources !== undefined && resources !== null
              ? resPath
              : [...ref.path];
        const key = path.join('\u0000');
        const g = groups.get(key) ?? { path, items: [] };
        g.items.push(`${f}.${r}`);
        groups.set(key, g);
      }
      for (const g of groups.values()) {
        const whys: string[] = [];
        if (g.items.some((i) => i.startsWith('requests')))
          whys.push('without requests the scheduler overcommits the node and the pod is evicted first under pressure');
        if (g.items.includes('limits.memory'))
          whys.push(
            whys.length
              ? 'without a memory limit it can take the whole node into the OOM killer'
              : 'without a limit the container can take the whole node into the OOM killer',
          );
        if (g.items.includes('limits.cpu'))
          whys.push(
            'without a CPU limit a busy container can use every idle core and slow its neighbours (a noisy neighbour); requireCpuLimit asks for one, though many teams run without CPU limits on purpose because limits throttle',
          );
        const why = whys.join('; ') || 'without them the scheduler cannot plan the node';
        ctx.report({
          path: g.path.length === ref.path.length ? [...ref.path, 'resources'] : g.path,
          messageId: 'missing',
          data: {
            container: ref.name,
            missing: listMissing(g.items),
            why,
            them: g.items.length > 1 ? 'them' : 'it',
            namespace: obj.namespace,
          },
        });
      }

      // request above limit (own values or LimitRange defaults)
      const keys = new Set<string>(['cpu', 'memory']);
      for (const k of parsed.keys()) keys.add(k.slice(k.indexOf('.') + 1));
      for (const r of [...keys].sort()) {
        const req = effective('requests', r);
        const lim = effective('limits', r);
        if (!req || !lim || !parsed.has(`requests.${r}`)) continue; // a defaulted request never exceeds anything by itself
        if (compareQuantity(req.q, lim.q) > 0) {
          ctx.report({
            path: [...resPath, 'requests', r],
            messageId: 'requestAboveLimit',
            data: { container: ref.name, resource: r, request: describeQuantity(req.q), limit: describeQuantity(lim.q), from: lim.from },
          });
        }
      }

      if (!o.checkGoRuntime) continue;
      const env = containerEnv(obj, ref, ctx.index);
      const podLimit = (r: Res): { q: Quantity; from: string } | undefined => {
        const q = parseQuantity(own(own(podResources, 'limits'), r));
        return q ? { q, from: ' (pod-level limit)' } : undefined;
      };
      const memLimit = effective('limits', 'memory') ?? (hasRaw('limits', 'memory') ? undefined : podLimit('memory'));
      const gml = env.get('GOMEMLIMIT');
      if (gml && gml.value !== undefined) {
        const v = parseGoMemLimit(gml.value);
        if (v.kind === 'invalid') {
          ctx.report({
            path: gml.path,
            messageId: 'goMemLimitInvalid',
            data: { container: ref.name, value: JSON.stringify(gml.value), source: gml.source, reason: v.reason },
          });
        } else if (v.kind === 'bytes') {
          const q = { num: v.bytes, den: 1n, text: `${v.bytes}` };
          if (!memLimit && !hasRaw('limits', 'memory')) {
            ctx.report({
              path: gml.path,
              messageId: 'goMemLimitWithoutLimit',
              data: { container: ref.name, value: gml.value, source: gml.source },
            });
          } else if (memLimit && compareQuantity(q, memLimit.q) > 0) {
            ctx.report({
              path: gml.path,
              messageId: 'goMemLimitAboveLimit',
              data: {
                container: ref.name,
                value: gml.value,
                bytes: describeQuantity(q, 'binary'),
                source: gml.source,
                limit: describeQuantity(memLimit.q),
                from: memLimit.from,
              },
            });
          }
        }
      }
      const gmp = env.get('GOMAXPROCS');
      const cpuLimit = effective('limits', 'cpu') ?? (hasRaw('limits', 'cpu') ? undefined : podLimit('cpu'));
      if (gmp && gmp.value !== undefined && cpuLimit && /^\s*\d+\s*$/.test(gmp.value)) {
        const n = BigInt(gmp.value.trim());
        const ceil = ceilQuantity(cpuLimit.q);
        if (n > ceil && ceil > 0n) {
          ctx.report({
            path: gmp.path,
            messageId: 'goMaxProcsAboveLimit',
            data: {
              container: ref.name,
              value: gmp.value.trim(),
              source: gmp.source,
              limit: describeQuantity(cpuLimit.q),
              from: cpuLimit.from,
              usable: String(ceil),
            },
          });
        }
      }
    }
  },
});
