import { defineRule } from '../../src/engine/rule.js';
import type { ObjectIndex } from '../../src/model/index.js';
import { asArray, isObj, own, type ManifestObject, type Obj } from '../../src/model/object.js';
import { containers, podTemplate } from '../../src/model/workload.js';
import { checksummed, reloadedOnChange, runsToCompletion } from './restarts.js';
import { directoryMount } from './directory.js';

export interface Options {
  volumeTypes: string[];
  tlsFileNames: string[];
  tlsExtensions: string[];
}

const TYPES = ['secret', 'configMap', 'projected', 'downwardAPI'] as const;

interface Source {
  /** secret | configMap | downwardAPI | serviceAccountToken | clusterTrustBundle */
  type: string;
  name?: string;
  /** items: key → path */
  items?: { key: string; path: string }[];
  /** serviceAccountToken path */
  path?: string;
}

function sourcesOf(volume: Obj, type: string): Source[] {
  const v = own(volume, type);
  if (!isObj(v)) return [];
  const items = (x: Obj): { key: string; path: string }[] | undefined =>
    Array.isArray(x.items)
      ? x.items.filter(isObj).map((i) => ({
          key: typeof i.key === 'string' ? i.key : typeof i.path === 'string' ? i.path : '',
          path: typeof i.path === 'string' ? i.path : '',
        }))
      : undefined;
  if (type === 'secret') return [{ type, name: typeof v.secretName === 'string' ? v.secretName : undefined, items: items(v) }];
  if (type === 'configMap') return [{ type, name: typeof v.name === 'string' ? v.name : undefined, items: items(v) }];
  if (type === 'downwardAPI') return [{ type, items: items(v) }];
  const out: Source[] = [];
  for (const s of Array.isArray(v.sources) ? v.sources : []) {
    if (!isObj(s)) continue;
    for (const t of ['secret', 'configMap', 'downwardAPI', 'serviceAccountToken', 'clusterTrustBundle']) {
      const x = s[t];
      if (!isObj(x)) continue;
      if (t === 'serviceAccountToken') out.push({ type: t, path: typeof x.path === 'string' ? x.path : undefined });
      else if (t === 'clusterTrustBundle') out.push({ type: t, path: typeof x.path === 'string' ? x.path : undefined });
      else out.push({ type: t, name: typeof x.name === 'string' ? x.name : undefined, items: items(x) });
    }
  }
  return out;
}

/** Why a Secret is TLS material, from the objects in the input. */
function tlsSecretReason(index: ObjectIndex, ns: string, name: string, from?: ManifestObject<Obj>): string | undefined {
  const s = index.secret(ns, name, from);
  if (s && s.data.type === 'kubernetes.io/tls') return `Secret ${name} has type kubernetes.io/tls`;
  for (const c of index.certificates(ns)) {
    const spec = c.data.spec;
    if (isObj(spec) && spec.secretName === name) return `Secret ${name} is written by cert-manager Certificate ${c.name}`;
  }
  for (const ing of index.ingresses(ns)) {
    const spec = ing.data.spec;
    const tls = isObj(spec) && Array.isArray(spec.tls) ? spec.tls : [];
    if (tls.some((t) => isObj(t) && t.secretName === name)) return `Secret ${name} is the TLS secret of Ingress ${ing.name}`;
  }
  return undefined;
}

/** A shell; then its flags, or `exec`: what may come before the script a container runs. */
const SHELL = /^(?:(?:\/usr)?\/bin\/)?(?:sh|bash|ash|dash|zsh)$/;
const SHELL_ARG = /^-[a-z]+$|^exec$|^source$|^\.$/;

/**
 * Whether the container runs the file mounted at `mountPath` as its program (`command: [/bin/entrypoint.sh]`,
 * `command: [sh, -c]` with `args: [/bin/entrypoint.sh]`): only a shell and its flags come before it. A file named
 * as an argument (`--config /etc/app.conf`) is not run, and the program may read it again.
 */
function runsAsCommand(container: Obj, mountPath: unknown): boolean {
  if (typeof mountPath !== 'string' || mountPath === '') return false;
  const words = [...asArray(own(container, 'command')), ...asArray(own(container, 'args'))]
    .filter((w): w is string => typeof w === 'string')
    .flatMap((w) => w.split(/[\s;&|'"]+/).filter(Boolean));
  const i = words.indexOf(mountPath);
  // the program itself, or a shell (and its flags) running it: not a program's flag (`-config /etc/agent.conf`)
  return i === 0 || (i > 0 && SHELL.test(words[0]!) && words.slice(1, i).every((w) => SHELL_ARG.test(w)));
}

export default defineRule<Options>({
  meta: {
    id: 'secret-subpath-mount',
    severity: 'warning',
    category: 'reliability',
    description:
      'A subPath mount of a Secret, ConfigMap, projected or downwardAPI volume never receives updates; for TLS material that means stale certificates.',
    rationale:
      'The kubelet updates Secret, ConfigMap, projected and downwardAPI volumes in place by swapping a symlink (`..data`) inside the volume directory. A `subPath` (or `subPathExpr`) mount bind-mounts one file as it was when the container started, so it never sees those updates. ' +
      'For certificates this is an outage waiting for a date: cert-manager renews the Secret, the Ingress controller serves the new certificate, but the pod keeps presenting (or trusting) the old one until it is restarted, and the day the old certificate expires every TLS handshake to or from the pod fails. ' +
      'A projected service account token mounted by subPath stops being refreshed too and expires (after an hour for bound tokens), so API calls start failing with 401.\n\n' +
      'The finding is an error when the input shows the mounted data to be TLS material: the Secret in the input has type `kubernetes.io/tls`, is the `spec.secretName` of a cert-manager Certificate or a `spec.tls[].secretName` of an Ingress in the input; and for a projected service account token or cluster trust bundle, which always rotate. When only the name says so (the key or subPath is a certificate file: `tls.crt`, `tls.key`, `ca.crt`, or ending in `.crt`, `.pem`, `.key`; see the options) it is a warning, as is configuration mounted by subPath, which silently keeps the old values after a ConfigMap change.\n\n' +
      'Init containers (not sidecars) are not checked: they read the files once and finish before the others start. A file the container runs as its program (`command: [sh, -c]`, `args: [/bin/entrypoint.sh]`; not a file named as an argument, which the program may read again) is read when it starts, subPath or not: an info. In a Job, a CronJob or a Pod with restartPolicy Never or OnFailure, configuration and files only their name calls certificates are infos: each run starts a pod that reads the data afresh, and only a run that outlasts a change misses it (a token or Secret the input shows to rotate stays an error). A workload that asks a reloader to restart its pods when the data changes (Stakater Reloader: `reloader.stakater.com/auto: "true"`, `configmap.reloader.stakater.com/reload` or `secret.reloader.stakater.com/reload` naming it; Wave: `wave.pusher.com/update-on-config-change: "true"`) is not reported. Configuration, or a file only its name calls a certificate, mounted by subPath in a pod template with a chart\'s `checksum/...` annotations is an info: the chart rolls the pods when it changes what they hash, and a change made any other way is still missed.',
    remediation:
      'Mount the volume as a directory instead of a single file, choosing the files with `items` (key → path) so that nothing else lands there, and point the application at the file inside that directory. ' +
      'Make the application reload on file change (inotify on the directory, not the file: the symlink is swapped), or run a reloader that restarts the pods when the Secret changes. If the application needs the file at a fixed path in a directory that holds other files, mount the directory elsewhere and symlink to it.',
    tags: ['reliability', 'tls', 'config'],
    appliesTo: ['PodSpecHolder'],
    messages: {
      tls: {
        text: 'container {{container}} mounts {{what}}{{at}} with {{field}} {{subPath}}, and {{reason}}: a subPath mount never receives updates, so rotated certificates stay stale until the pod restarts and TLS fails when the old one expires. Mount the directory (choose keys with items) and reload on file change.',
        severity: 'error',
      },
      // the name says certificate; nothing in the input says it is renewed
      tlsByName: {
        text: 'container {{container}} mounts {{what}}{{at}} with {{field}} {{subPath}}, and {{reason}}: a subPath mount never receives updates, so renewed certificates stay stale until the pod restarts and TLS fails when the old one expires. Mount the directory (choose keys with items) and reload on file change.',
        severity: 'warning',
      },
      tlsByNameChecksummed: {
        text: 'container {{container}} mounts {{what}}{{at}} with {{field}} {{subPath}}, and {{reason}}: a subPath mount never receives updates; the checksum annotations of the pod template roll the pods when the chart renews what they hash, but a certificate renewed any other way stays stale until the pod restarts. Mount the directory (choose keys with items) and reload on file change.',
        severity: 'info',
      },
      stale: {
        text: 'container {{container}} mounts {{what}}{{at}} with {{field}} {{subPath}}: a subPath mount never receives updates, so changes to the data stay invisible until the pod restarts. Mount the directory (choose keys with items) and reload on file change.',
        severity: 'warning',
      },
      // the pod template has a chart's checksum annotations: changes made through the chart roll the pods
      // a Job's, CronJob's or run-once Pod's run reads the data when it starts; only a run that outlasts a change misses it
      runToCompletion: {
        text: 'container {{container}} of this {{kind}} mounts {{what}}{{at}} with {{field}} {{subPath}}: a subPath mount never receives updates, which matters only when a run outlasts a change of the data (each run starts a pod that reads it afresh). Mount the directory (choose keys with items) if runs are long.',
        severity: 'info',
      },
      // the container runs the mounted file as its command: it reads it when it starts, subPath or not
      readAtStart: {
        text: 'container {{container}} mounts {{what}}{{at}} with {{field}} {{subPath}} and runs it as its command: the file is read when the container starts, so a change reaches it at the next restart whether mounted by subPath or not.',
        severity: 'info',
      },
      staleChecksummed: {
        text: 'container {{container}} mounts {{what}}{{at}} with {{field}} {{subPath}}: a subPath mount never receives updates; the checksum annotations of the pod template roll the pods when the chart changes what they hash, but a change made any other way stays invisible until the pod restarts. Mount the directory (choose keys with items) and reload on file change.',
        severity: 'info',
      },
    },
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        volumeTypes: { type: 'array', items: { type: 'string', enum: [...TYPES] }, description: 'Volume types checked.' },
        tlsFileNames: {
          type: 'array',
          items: { type: 'string' },
          description: 'File names (key or subPath base name, case-insensitive) that are TLS material.',
        },
        tlsExtensions: {
          type: 'array',
          items: { type: 'string' },
          description: 'File name endings (case-insensitive) that are TLS material.',
        },
      },
    },
    defaultOptions: { volumeTypes: [...TYPES], tlsFileNames: ['tls.crt', 'tls.key', 'ca.crt'], tlsExtensions: ['.crt', '.pem', '.key'] },
    precision: 'very-high',
    hasSuggestions: true,
  },
  check(obj, ctx) {
    const tpl = podTemplate(obj);
    if (!tpl) return;
    const o = ctx.options;
    const types = new Set(o.volumeTypes);
    const names = o.tlsFileNames.map((s) => s.toLowerCase());
    const exts = o.tlsExtensions.filter((s) => s !== '').map((s) => s.toLowerCase());
    const isTlsFile = (f: string): boolean => {
      const base = f.toLowerCase().split('/').filter(Boolean).pop() ?? '';
      return names.includes(base) || exts.some((e) => base.endsWith(e));
    };
    const volumes = new Map<string, Obj>();
    for (const v of Array.isArray(tpl.spec.volumes) ? tpl.spec.volumes : []) {
      if (isObj(v) && typeof v.name === 'string' && !volumes.has(v.name)) volumes.set(v.name, v);
    }

    const rolled = checksummed(tpl.metadata);
    const runs = runsToCompletion(obj);
    // an init container runs to completion before the others start: it reads the files once
    for (const ref of containers(obj, ['sidecar', 'regular'], tpl)) {
      const mounts = own(ref.container, 'volumeMounts');
      if (!Array.isArray(mounts)) continue;
      mounts.forEach((m: unknown, i: number) => {
        if (!isObj(m) || typeof m.name !== 'string') return;
        const field =
          typeof m.subPath === 'string' && m.subPath !== ''
            ? 'subPath'
            : typeof m.subPathExpr === 'string' && m.subPathExpr !== ''
              ? 'subPathExpr'
              : undefined;
        if (!field) return;
        const sub = m[field] as string;
        const volume = volumes.get(m.name);
        if (!volume) return;
        const type = TYPES.find((t) => isObj(own(volume, t)));
        if (!type || !types.has(type)) return;
        const sources = sourcesOf(volume, type);
        // a reloader restarts the pods when the ConfigMap or Secret changes
        if ((type === 'secret' || type === 'configMap') && reloadedOnChange(obj, type, sources[0]?.name)) return;
        // the first path segment of the subPath names the file (or directory) in the volume
        const first = sub.split('/').filter(Boolean)[0] ?? sub;
        const matching = sources.filter((s) => {
          if (s.type === 'serviceAccountToken' || s.type === 'clusterTrustBundle')
            return s.path !== undefined && s.path.split('/').filter(Boolean)[0] === first;
          if (!s.items) return true;
          return s.items.some((it) => it.path.split('/').filter(Boolean)[0] === first);
        });
        const considered = matching.length > 0 ? matching : sources;
        let reason: string | undefined;
        // known to rotate: a projected token, a trust bundle, a Secret the input shows as TLS material;
        // a certificate file name alone says what the data is, not that anything rotates it
        let known = true;
        for (const s of considered) {
          if (s.type === 'serviceAccountToken') {
            reason = `it is a projected service account token, which expires and is only refreshed in the volume directory`;
            break;
          }
          if (s.type === 'clusterTrustBundle') {
            reason = `it is a projected ClusterTrustBundle (CA certificates)`;
            break;
          }
          if (s.type === 'secret' && s.name) {
            const r = tlsSecretReason(ctx.index, obj.namespace, s.name, obj);
            if (r) {
              reason = r;
              break;
            }
          }
          const key = s.items?.find((it) => it.path.split('/').filter(Boolean)[0] === first)?.key;
          if (key && isTlsFile(key)) {
            reason = `key ${key} is a certificate file`;
            known = false;
            break;
          }
        }
        const literal = field === 'subPathExpr' ? sub.replace(/\$\([^)]*\)/g, '') : sub;
        if (!reason && isTlsFile(literal)) {
          reason = field === 'subPath' ? `${sub} is a certificate file` : `${sub} names a certificate file`;
          known = false;
        }
        const what =
          type === 'projected'
            ? `projected volume ${m.name}`
            : `${type} volume ${m.name}${sources[0]?.name ? ` (${type === 'secret' ? 'Secret' : 'ConfigMap'} ${sources[0].name})` : ''}`;
        const mp = typeof m.mountPath === 'string' ? ` at ${m.mountPath}` : '';
        if (reason) {
          ctx.report({
            path: [...ref.path, 'volumeMounts', i, field],
            messageId: known ? 'tls' : runs ? 'runToCompletion' : rolled ? 'tlsByNameChecksummed' : 'tlsByName',
            data: { container: ref.name, what, at: mp, field, subPath: sub, reason, kind: obj.kind },
            ...(ctx.wantsFixes === false ? {} : directoryMount(obj, tpl, m.name)),
          });
        } else {
          ctx.report({
            path: [...ref.path, 'volumeMounts', i, field],
            messageId: runs
              ? 'runToCompletion'
              : runsAsCommand(ref.container, m.mountPath)
                ? 'readAtStart'
                : rolled
                  ? 'staleChecksummed'
                  : 'stale',
            data: { container: ref.name, what, at: mp, field, subPath: sub, kind: obj.kind },
            ...(ctx.wantsFixes === false ? {} : directoryMount(obj, tpl, m.name)),
          });
        }
      });
    }
  },
});
