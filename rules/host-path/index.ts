import { defineRule } from '../../src/engine/rule.js';
import { asArray, asString, isObj } from '../../src/model/object.js';
import { containers, podTemplate } from '../../src/model/workload.js';

interface Options {
  sensitivePaths: string[];
  readOnlyTolerated: string[];
  allowedPaths: string[];
}

/** "/var//run/./docker.sock/" → "/var/run/docker.sock"; resolves "..". */
export function normalizeHostPath(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}

/** The options' paths normalised, once per options object (they do not change during a run; the check runs once per workload). */
const preparedOptions = new WeakMap<Options, { sensitive: string[]; tolerated: Set<string>; allowed: string[] }>();
function prepare(o: Options): { sensitive: string[]; tolerated: Set<string>; allowed: string[] } {
  let p = preparedOptions.get(o);
  if (!p) {
    const strs = (l: string[]): string[] => l.map(normalizeHostPath);
    p = { sensitive: strs(o.sensitivePaths), tolerated: new Set(strs(o.readOnlyTolerated)), allowed: strs(o.allowedPaths) };
    preparedOptions.set(o, p);
  }
  return p;
}

function within(path: string, dir: string): boolean {
  return dir === '/' || path === dir || path.startsWith(dir + '/');
}

export default defineRule<Options>({
  meta: {
    id: 'host-path',
    severity: 'warning',
    category: 'security',
    description:
      'Pods should not mount `hostPath` volumes; sensitive host paths (runtime sockets, `/`, `/etc`, `/proc`, kubelet state) are errors.',
    rationale:
      'A hostPath volume hands the container a piece of the node\'s file system. A mounted container-runtime socket (`/var/run/docker.sock`, containerd, CRI-O) lets the container start a privileged container on the node: full node takeover even from a "read-only" mount, because the socket is an API. ' +
      'Mounting `/`, `/etc`, `/root`, `/var/lib/kubelet` or `/etc/kubernetes` exposes node credentials and kubelet client certificates; writable `/proc` or `/sys` lets it reconfigure the kernel. Mounting a parent of these (`/var`, `/run`) exposes them too. ' +
      'Any hostPath also ties the data to one node (it is lost when the pod reschedules) and Pod Security `baseline` rejects it, whatever the path: that exact check is `pss-host-path-volumes` (preset `pss-baseline`).',
    remediation:
      'Use `emptyDir` for scratch space, a PersistentVolumeClaim for data, ConfigMaps/Secrets/projected volumes for configuration, and the downward API for pod metadata. Node agents that must read the host should mount the narrowest path, `readOnly: true`, in a dedicated namespace, with a suppression stating why. `allowedPaths` lists host paths (and their children) not to report.',
    tags: ['security', 'pod-security-standards', 'kube-linter', 'polaris'],
    schema: {
      type: 'object',
      properties: {
        sensitivePaths: {
          type: 'array',
          items: { type: 'string' },
          description: 'Host paths whose mounting (or mounting a parent of them) is an error.',
        },
        readOnlyTolerated: {
          type: 'array',
          items: { type: 'string' },
          description:
            'Sensitive paths (or paths inside them) that are only a warning when every mount of the volume is readOnly (e.g. /proc and /sys for monitoring agents, /var/lib/docker/containers for log shippers).',
        },
        allowedPaths: { type: 'array', items: { type: 'string' }, description: 'Host paths (and everything below them) never reported.' },
      },
      additionalProperties: false,
    },
    defaultOptions: {
      sensitivePaths: [
        '/',
        '/etc',
        '/root',
        '/home',
        '/boot',
        '/dev',
        '/proc',
        '/sys',
        '/var/run/docker.sock',
        '/run/docker.sock',
        '/var/run/containerd/containerd.sock',
        '/run/containerd/containerd.sock',
        '/var/run/crio/crio.sock',
        '/run/crio/crio.sock',
        '/var/run/cri-dockerd.sock',
        '/var/lib/kubelet',
        '/var/lib/docker',
        '/var/lib/containerd',
        '/etc/kubernetes',
      ],
      readOnlyTolerated: ['/proc', '/sys', '/dev', '/var/lib/docker/containers'],
      allowedPaths: [],
    },
    appliesTo: ['PodSpecHolder'],
    messages: {
      sensitive: {
        text: 'hostPath volume "{{volume}}" mounts {{path}} from the node{{users}}: {{why}}; a compromised container can take over the node. Use a narrower path, readOnly, or a suppression with the reason for this node agent.',
        severity: 'error',
      },
      socket: {
        text: 'hostPath volume "{{volume}}" mounts the container-runtime socket {{path}} from the node{{users}}: the socket is an API that starts privileged containers on the node, even when mounted read-only, so a compromised container can take over the node. Remove the mount, or add a suppression with the reason for this node agent.',
        severity: 'error',
      },
      /** already read-only, and still not tolerable: readOnly cannot be the advice */
      sensitiveEvenReadOnly: {
        text: 'hostPath volume "{{volume}}" mounts {{path}} from the node{{users}}: {{why}}; readOnly does not stop a compromised container from reading what it holds (under / and /var/lib/kubelet: the kubelet\'s keys and every pod\'s service-account token; a runtime socket below it still takes API calls). Mount a narrower path, or add a suppression with the reason for this node agent.',
        severity: 'error',
      },
      sensitiveReadOnly: {
        text: 'hostPath volume "{{volume}}" mounts {{path}} from the node{{users}}: {{why}}; even read-only, a compromised container reads it. Use a narrower path, or a suppression with the reason for this node agent.',
        severity: 'warning',
      },
      hostPath:
        'hostPath volume "{{volume}}" mounts {{path}} from the node{{users}}: it breaks node isolation, ties the data to one node (lost on reschedule) and Pod Security baseline rejects it; use emptyDir, a PersistentVolumeClaim or a ConfigMap instead.',
      /** a node plugin's (CSI driver, device plugin) mounts of the kubelet's plugin directories, which it cannot work without */
      kubeletPlugin: {
        text: 'hostPath volume "{{volume}}" mounts {{path}} from the node{{users}}, part of the kubelet\'s plugin interface that this node plugin (it registers with the kubelet through {{registry}}) cannot work without; {{exposes}}. Run it in its own namespace and add a suppression with the reason.',
        severity: 'warning',
      },
      /** a DaemonSet runs one pod per node: "lost on reschedule" does not apply, and node agents (CNI, CSI, log shippers) need the node's files */
      hostPathAgent:
        'hostPath volume "{{volume}}" mounts {{path}} from the node{{users}}: it breaks node isolation and Pod Security baseline rejects it; if this DaemonSet is a node agent that must reach the node\'s files, suppress with the reason, else use emptyDir, a PersistentVolumeClaim or a ConfigMap.',
    },
    precision: 'high',
    securitySeverity: 7.0,
  },
  check(obj, ctx) {
    const tpl = podTemplate(obj);
    if (!tpl) return;
    const { sensitive, tolerated, allowed } = prepare(ctx.options);
    const cs = containers(obj, ['init', 'sidecar', 'regular', 'ephemeral'], tpl);
    const registry = obj.kind === 'DaemonSet' ? pluginRegistry(tpl.spec.volumes) : undefined;
    asArray(tpl.spec.volumes).forEach((v, i) => {
      if (!isObj(v) || !isObj(v.hostPath)) return;
      const raw = asString(v.hostPath.path);
      if (raw === undefined || raw === '') return;
      const p = normalizeHostPath(raw);
      if (allowed.some((a) => within(p, a))) return;
      const name = asString(v.name) ?? `#${i}`;
      const mounts = cs.flatMap((c) =>
        asArray(c.container.volumeMounts)
          .filter((m) => isObj(m) && m.name === name)
          .map((m) => ({ c, m: m as Record<string, unknown> })),
      );
      const readOnly = mounts.length > 0 && mounts.every(({ m }) => m.readOnly === true);
      // the path itself, something below it (except below /, /etc, /dev, /home, where narrow mounts such as CA bundles are routine), or a parent containing it
      const hit =
        sensitive.find((s) => p === s) ??
        sensitive.find((s) => within(p, s) && !ROUTINE_PARENTS.has(s)) ??
        sensitive.find((s) => within(s, p));
      const path = [...tpl.specPath, 'volumes', i, 'hostPath', 'path'];
      const users = mounts.length
        ? ` (mounted by ${[...new Set(mounts.map(({ c }) => `"${c.name}"`))].join(', ')}${readOnly ? ', read-only' : ''})`
        : '';
      const plugin = registry !== undefined && hit === KUBELET && KUBELET_PLUGIN_DIRS.some((d) => within(p, d));
      if (plugin) {
        const exposes = within(p, '/var/lib/kubelet/pods')
          ? "it reaches every pod's volumes on the node, Secrets and service-account tokens included, so the plugin is trusted as the kubelet is"
          : "a compromised plugin can impersonate the node's other plugins";
        ctx.report({ path, messageId: 'kubeletPlugin', data: { volume: name, path: raw, users, registry, exposes } });
        return;
      }
      if (hit !== undefined) {
        if (p === hit && /\.sock$/.test(hit)) {
          // readOnly does not help: the socket is an API, so the only advice is to drop it or say why it is needed
          ctx.report({ path, messageId: 'socket', data: { volume: name, path: raw, users } });
          return;
        }
        const tolerable = readOnly && [...tolerated].some((t) => within(p, t) && within(t, hit));
        const why =
          p === hit
            ? `${hit} on the node holds credentials or kernel/node configuration`
            : within(hit, p)
              ? `it contains ${hit}, which gives access to node credentials or the container runtime`
              : `it is inside ${hit}`;
        ctx.report({
          path,
          messageId: tolerable ? 'sensitiveReadOnly' : readOnly ? 'sensitiveEvenReadOnly' : 'sensitive',
          data: { volume: name, path: raw, users, why },
        });
        return;
      }
      ctx.report({
        path,
        messageId: obj.kind === 'DaemonSet' ? 'hostPathAgent' : 'hostPath',
        data: { volume: name, path: raw, users },
      });
    });
  },
});

const ROUTINE_PARENTS = new Set(['/', '/etc', '/dev', '/home']);

const KUBELET = '/var/lib/kubelet';
/** the kubelet's plugin interface: registration, plugin sockets, device plugins, and the pods' volume mount points (CSI NodePublish) */
const KUBELET_PLUGIN_DIRS = [
  '/var/lib/kubelet/plugins_registry',
  '/var/lib/kubelet/plugins',
  '/var/lib/kubelet/device-plugins',
  '/var/lib/kubelet/pods',
];
const REGISTRATION_DIRS = ['/var/lib/kubelet/plugins_registry', '/var/lib/kubelet/device-plugins'];

/** The registration directory a DaemonSet mounts (a CSI driver's node-driver-registrar, a device plugin), which makes it a node plugin. */
function pluginRegistry(volumes: unknown): string | undefined {
  for (const v of asArray(volumes)) {
    const raw = isObj(v) && isObj(v.hostPath) ? asString(v.hostPath.path) : undefined;
    if (raw === undefined) continue;
    const p = normalizeHostPath(raw);
    const r = REGISTRATION_DIRS.find((d) => within(p, d));
    if (r !== undefined) return r;
  }
  return undefined;
}
