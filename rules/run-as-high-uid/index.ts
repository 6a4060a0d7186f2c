import { defineRule } from '../../src/engine/rule.js';
import { isObj } from '../../src/model/object.js';
import { containers, podTemplate } from '../../src/model/workload.js';
import type { PathSeg } from '../../src/parse/source.js';

interface Options {
  minUserId: number;
  minGroupId: number;
}

export default defineRule<Options>({
  meta: {
    id: 'run-as-high-uid',
    severity: 'warning',
    category: 'security',
    description: 'Containers should run with a user and group ID of at least 10000 (`runAsUser`, `runAsGroup`), set in the manifest.',
    rationale:
      'IDs below 10000 are the ones host accounts and system daemons use: a container process that escapes (a kernel or runtime bug, a writable hostPath) acts as that host user, and UID 0 is root on the node. ' +
      "When the manifest sets no `runAsUser` the image's `USER` decides, which is root for most public images and can change with the next image build. A high, explicit ID keeps the process unprivileged whatever the image says. Images that need a fixed low UID for file ownership exist, so the rule is not on by default.",
    remediation:
      "Set `securityContext.runAsUser` and `runAsGroup` to 10000 or more (in the pod's `securityContext` for every container, or per container), with `fsGroup` for volume ownership. If the image expects a specific UID, rebuild it with a high one (`USER 10001`). `minUserId` and `minGroupId` change the threshold.",
    tags: ['security', 'security-context'],
    appliesTo: ['PodSpecHolder'],
    presets: [],
    equivalents: { 'kube-score': ['Container Security Context User Group ID'], checkov: ['CKV_K8S_40'] },
    messages: {
      root: '{{who}} of {{kind}} {{name}} {{run}}{{as}} with {{field}}: 0, root; set {{field}} to {{min}} or more.',
      low: '{{who}} of {{kind}} {{name}} {{run}}{{as}} with {{field}}: {{value}}, below {{min}}, in the range of host accounts; set it to {{min}} or more.',
      unset:
        '{{who}} of {{kind}} {{name}} {{set}} no {{field}}, so the image decides (root for most images); set {{field}} to {{min}} or more.',
      unsetBoth:
        '{{who}} of {{kind}} {{name}} {{set}} neither runAsUser nor runAsGroup, so the image decides (root for most images); set both to {{min}} or more.',
    },
    schema: {
      type: 'object',
      properties: {
        minUserId: { type: 'integer', minimum: 1, description: 'Lowest accepted runAsUser.' },
        minGroupId: { type: 'integer', minimum: 1, description: 'Lowest accepted runAsGroup.' },
      },
      additionalProperties: false,
    },
    defaultOptions: { minUserId: 10000, minGroupId: 10000 },
    precision: 'high',
    securitySeverity: 4.0,
  },
  check(obj, ctx) {
    const tpl = podTemplate(obj);
    if (!tpl) return;
    const psc = isObj(tpl.spec.securityContext) ? tpl.spec.securityContext : undefined;
    const cs = containers(obj, ['init', 'sidecar', 'regular'], tpl);
    type Finding = { path: PathSeg[]; value: unknown; names: string[]; pod: boolean };
    const found = { runAsUser: new Map<string, Finding>(), runAsGroup: new Map<string, Finding>() };
    for (const field of ['runAsUser', 'runAsGroup'] as const) {
      const min = field === 'runAsUser' ? ctx.options.minUserId : ctx.options.minGroupId;
      // findings at the same place (a pod-level value shared by containers) are reported once, naming every container
      const byPath = found[field];
      for (let ci = 0; ci < cs.length; ci++) {
        const c = cs[ci]!;
        const sc = isObj(c.container.securityContext) ? c.container.securityContext : undefined;
        // where the value comes from: the container (v), the pod (p), or nowhere (u); the key stands for the
        // path the finding is reported at (one per container, or the pod's), which is made only for a new finding
        let value: unknown;
        let where: 'v' | 'p' | 'u';
        if (sc && sc[field] !== undefined && sc[field] !== null) {
          value = sc[field];
          where = 'v';
        } else if (psc && psc[field] !== undefined && psc[field] !== null) {
          value = psc[field];
          where = 'p';
        } else {
          value = undefined;
          where = 'u';
        }
        if (value !== undefined && (typeof value !== 'number' || value >= min)) continue;
        const key = where === 'p' ? 'p' : `${where}${ci}`;
        const f = byPath.get(key);
        if (f) {
          f.names.push(c.name);
          continue;
        }
        const path =
          where === 'v'
            ? [...c.path, 'securityContext', field]
            : where === 'p'
              ? [...tpl.specPath, 'securityContext', field]
              : sc
                ? [...c.path, 'securityContext']
                : c.path;
        byPath.set(key, { path, value, names: [c.name], pod: where === 'p' });
      }
    }
    // the message data, written out field by field (a spread followed by more fields is slow in V8, and this runs per finding)
    const describe = (f: Finding, field: string, min: number) => {
      const one = f.names.length === 1;
      return {
        who: one ? `container "${f.names[0]}"` : `containers ${f.names.map((n) => `"${n}"`).join(', ')}`,
        kind: obj.kind,
        name: obj.name,
        run: one ? 'runs' : 'run',
        set: one ? 'sets' : 'set',
        as: f.pod ? ' (pod securityContext)' : '',
        field,
        value: typeof f.value === 'number' ? f.value : undefined,
        min,
      };
    };
    for (const field of ['runAsUser', 'runAsGroup'] as const) {
      const min = field === 'runAsUser' ? ctx.options.minUserId : ctx.options.minGroupId;
      for (const [key, f] of found[field]) {
        if (f.value === undefined) {
          const other = field === 'runAsUser' ? found.runAsGroup.get(key) : found.runAsUser.get(key);
          if (other && other.value === undefined && other.names.join() === f.names.join()) {
            // one finding for both unset fields at the same place
            if (field === 'runAsUser')
              ctx.report({
                path: f.path,
                messageId: 'unsetBoth',
                data: describe(f, field, Math.max(ctx.options.minUserId, ctx.options.minGroupId)),
              });
            continue;
          }
        }
        ctx.report({
          path: f.path,
          messageId: f.value === undefined ? 'unset' : f.value === 0 ? 'root' : 'low',
          data: describe(f, field, min),
        });
      }
    }
  },
});
