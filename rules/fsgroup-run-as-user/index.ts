import { defineRule } from '../../src/engine/rule.js';
import { isObj, own, type Obj } from '../../src/model/object.js';
import { containers, podTemplate, type ContainerRef } from '../../src/model/workload.js';
import type { PathSeg } from '../../src/parse/source.js';
import { pathReference, underOtherMount } from './path-reference.js';
import { PROJECTED_TYPES, WRITABLE_TYPES, num, octal, type Effective } from './volumes.js';
import { MESSAGES, type Finding } from './messages.js';
import { fileModes } from './modes.js';
export { pathReference } from './path-reference.js';

export interface Options {
  requireNumericRunAsUser: boolean;
  tmpPaths: string[];
  reportTmpWithoutEvidence: boolean;
  checkFsGroupChangePolicy: boolean;
}

export default defineRule<Options>({
  meta: {
    id: 'fsgroup-run-as-user',
    severity: 'error',
    category: 'reliability',
    description:
      '`runAsUser`, `runAsNonRoot`, `fsGroup` and volume modes must fit together so that a non-root container starts and can use its volumes.',
    rationale:
      'Running as non-root is the right default, but the pieces have to agree, and when they do not the failure only shows at run time:\n\n' +
      '- `runAsNonRoot: true` with an effective `runAsUser: 0` (including a container-level `runAsUser: 0` under a pod-level `runAsNonRoot: true`): the kubelet refuses to start the container (`CreateContainerConfigError`), so the rollout never progresses.\n' +
      '- (option `requireNumericRunAsUser`, off by default; info) `runAsNonRoot: true` without a numeric `runAsUser` anywhere: the kubelet can only verify a numeric image `USER`; an image with a named user (`USER app`) or no USER fails with `CreateContainerConfigError`. The manifest does not show the image, and upstream-hardened images (distroless `nonroot`, most Go controllers) set a numeric USER and run fine, so this is a policy you opt into, not a defect.\n' +
      '- a non-root container writing to a `persistentVolumeClaim`, StatefulSet `volumeClaimTemplates`, generic `ephemeral`, `hostPath` or `csi` volume while the pod has no `fsGroup`: new volumes are owned by root, so the first write fails with "permission denied" (a database that cannot create its data directory crash-loops). `emptyDir` is exempt: it is world-writable.\n' +
      '- a non-root container without `fsGroup` mounting a Secret, ConfigMap, projected or downwardAPI volume whose `defaultMode` or item `mode` has no read bit for "other" (e.g. `0400`, `0600`): the files are owned by root, so the application cannot read its own key or config.\n' +
      "- `readOnlyRootFilesystem: true` with nothing writable at `/tmp` (the `tmpPaths`) while the container's command, args or env values name a path there (`--cert-dir=/tmp/certs`, `TMPDIR=/tmp`): the process writes where it cannot and fails at start or on first use. A path at or under another volume mounted into the container (`--cert-dir=/tmp/certs` with a Secret mounted at `/tmp/certs`, as external-secrets' webhook does) is that volume's, not evidence. Without such evidence nothing is reported by default: statically linked controllers (kube-state-metrics, Knative, descheduler, Argo) run read-only without any /tmp, and the manifest does not show whether the image writes there; `reportTmpWithoutEvidence: true` adds an info note for those.\n" +
      '- (info) `fsGroup` with persistent volumes and no `fsGroupChangePolicy: OnRootMismatch`: the kubelet chowns every file on every mount, and a large volume makes pod start take minutes.\n\n' +
      "The effective values are computed per container (the container `securityContext` overrides the pod's), for regular, init and sidecar containers. Decisions that avoid false positives: a pod with `supplementalGroups` is assumed to grant volume access through a pre-set group (NFS and pre-provisioned volumes work that way) and is not reported for writable volumes; a volume that an init container running as root also mounts writable is assumed to be prepared (chowned) by it; mount-level or volume-source `readOnly: true` makes a volume read-only. " +
      "A mode with a group read bit is readable when the container's group may be root (no `runAsGroup`, `runAsGroup: 0`, or 0 among `supplementalGroups`), so only a mode without group and other read bits is reported then; a projected volume with a service account token is skipped when every container runs as the same numeric UID, because the kubelet then makes that UID the owner of the files. Modes are the numbers the cluster reads: `0644` in YAML is 420, `0755` is 493, both world-readable. `runAsGroup` alone does not make a root-owned volume writable. Windows pods are skipped.",
    remediation:
      'Set a numeric `runAsUser` (and `runAsGroup`) that matches the image, set the pod `securityContext.fsGroup` (commonly the same as `runAsGroup`) so that volumes are group-owned and group-writable, and add `fsGroupChangePolicy: OnRootMismatch` for large persistent volumes. ' +
      'Give Secret/ConfigMap volumes a mode readable by the group (`0440`) together with `fsGroup`. With `readOnlyRootFilesystem: true`, mount an `emptyDir` at `/tmp` when the process writes there. For `hostPath` volumes (which `fsGroup` does not chown), make the host directory writable for the UID or a supplemental group.',
    tags: ['reliability', 'security', 'permissions'],
    securitySeverity: 4.0,
    appliesTo: ['PodSpecHolder'],
    messages: MESSAGES,
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        requireNumericRunAsUser: {
          type: 'boolean',
          description:
            'Report (info) runAsNonRoot true without a numeric runAsUser. Off by default: whether the image has a numeric USER is not in the manifest.',
        },
        tmpPaths: {
          type: 'array',
          items: { type: 'string' },
          description:
            'Paths that must be writable (a writable volume mounted there or above) when readOnlyRootFilesystem is true and the container names them in its command, args or env; empty disables the check.',
        },
        reportTmpWithoutEvidence: {
          type: 'boolean',
          description:
            'Also report (info) a readOnlyRootFilesystem container with nothing writable at the tmpPaths when nothing in its command, args or env names them.',
        },
        checkFsGroupChangePolicy: {
          type: 'boolean',
          description: 'Report (info) fsGroup with persistent volumes and no fsGroupChangePolicy OnRootMismatch.',
        },
      },
    },
    defaultOptions: { requireNumericRunAsUser: false, tmpPaths: ['/tmp'], reportTmpWithoutEvidence: false, checkFsGroupChangePolicy: true },
    precision: 'high',
  },
  check(obj, ctx) {
    const tpl = podTemplate(obj);
    if (!tpl) return;
    const spec = tpl.spec as Obj;
    if (isObj(spec.os) && spec.os.name === 'windows') return;
    const o = ctx.options;
    const pscPath: PathSeg[] = [...tpl.specPath, 'securityContext'];
    // paths are built only for findings
    const fieldPath = (ref: ContainerRef, from: 'container' | 'pod' | undefined, field: string): PathSeg[] =>
      from === 'container' ? [...ref.path, 'securityContext', field] : [...pscPath, field];
    const psc = isObj(spec.securityContext) ? spec.securityContext : {};
    const fsGroup = num(psc.fsGroup);
    const supplemental = (Array.isArray(psc.supplementalGroups) ? psc.supplementalGroups : [])
      .map(num)
      .filter((n): n is number => n !== undefined);

    const volumes = new Map<string, { v: Obj; index: number }>();
    (Array.isArray(spec.volumes) ? spec.volumes : []).forEach((v: unknown, index: number) => {
      if (isObj(v) && typeof v.name === 'string' && !volumes.has(v.name)) volumes.set(v.name, { v, index });
    });
    const claimTemplates = new Set<string>();
    if (obj.kind === 'StatefulSet' && isObj(obj.data.spec)) {
      for (const t of Array.isArray(obj.data.spec.volumeClaimTemplates) ? obj.data.spec.volumeClaimTemplates : []) {
        if (isObj(t) && isObj(t.metadata) && typeof t.metadata.name === 'string') claimTemplates.add(t.metadata.name);
      }
    }
    /** writable volume type of a mount, or undefined */
    const writableType = (m: Obj): string | undefined => {
      if (m.readOnly === true || typeof m.name !== 'string') return undefined;
      const vol = volumes.get(m.name);
      if (!vol) return claimTemplates.has(m.name) ? 'volumeClaimTemplate' : undefined;
      const t = WRITABLE_TYPES.find((k) => isObj(own(vol.v, k)));
      if (!t) return undefined;
      if ((t === 'persistentVolumeClaim' || t === 'csi') && (own(vol.v, t) as Obj).readOnly === true) return undefined;
      return t;
    };

    const refs = containers(obj, undefined, tpl);
    const eff = new Map<ContainerRef, Effective>();
    for (const ref of refs) {
      const csc = isObj(ref.container.securityContext) ? (ref.container.securityContext as Obj) : {};
      const cu = num(csc.runAsUser);
      const pu = num(psc.runAsUser);
      const cn = typeof csc.runAsNonRoot === 'boolean' ? csc.runAsNonRoot : undefined;
      const pn = typeof psc.runAsNonRoot === 'boolean' ? psc.runAsNonRoot : undefined;
      eff.set(ref, {
        uid: cu ?? pu,
        uidFrom: cu !== undefined ? 'container' : pu !== undefined ? 'pod' : undefined,
        nonRoot: cn ?? pn,
        nonRootFrom: cn !== undefined ? 'container' : pn !== undefined ? 'pod' : undefined,
        gid: num(csc.runAsGroup) ?? num(psc.runAsGroup),
      });
    }
    const isNonRoot = (e: Effective): boolean => (e.uid !== undefined ? e.uid !== 0 : e.nonRoot === true);
    const mightBeRoot = (e: Effective): boolean => e.uid === 0 || (e.uid === undefined && e.nonRoot !== true);
    const mountsOf = (ref: ContainerRef): { m: Obj; i: number }[] => {
      const out: { m: Obj; i: number }[] = [];
      const list = ref.container.volumeMounts as unknown;
      if (Array.isArray(list))
        for (let i = 0; i < list.length; i++) {
          const m: unknown = list[i];
          if (isObj(m)) out.push({ m, i });
        }
      return out;
    };
    // volumes an init container running as root mounts writable: assumed to be prepared (chowned) by it
    const prepared = new Set<string>();
    for (const ref of refs) {
      if (ref.kind !== 'init' || !mightBeRoot(eff.get(ref)!)) continue;
      for (const { m } of mountsOf(ref)) if (m.readOnly !== true && typeof m.name === 'string') prepared.add(m.name);
    }

    const findings = new Map<string, Finding>();
    const add = (f: Omit<Finding, 'containers'>, container: string): void => {
      const key = f.path.join('\u0000') + '\u0000' + MESSAGES[f.messageId].severity;
      const cur = findings.get(key);
      if (cur) {
        if (!cur.containers.includes(container)) cur.containers.push(container);
      } else findings.set(key, { path: f.path, messageId: f.messageId, data: f.data, containers: [container] });
    };
    const names = (l: string[]): string => (l.length === 1 ? `container ${l[0]}` : `containers ${l.join(', ')}`);

    const tmpPaths = o.tmpPaths.filter((p) => p !== '');
    const uids = new Set(refs.map((r) => eff.get(r)!.uid));
    const oneUid = uids.size === 1 && [...uids][0] !== undefined;

    for (const ref of refs) {
      const e = eff.get(ref)!;
      if (e.nonRoot === true && e.uid === 0) {
        add(
          {
            path: fieldPath(ref, e.uidFrom, 'runAsUser'),
            messageId: 'rootWithNonRoot',
            data: { from: String(e.nonRootFrom) },
          },
          ref.name,
        );
      } else if (e.nonRoot === true && e.uid === undefined && o.requireNumericRunAsUser) {
        add(
          {
            path: fieldPath(ref, e.nonRootFrom, 'runAsNonRoot'),
            messageId: 'noNumericUser',
            data: {},
          },
          ref.name,
        );
      }

      const nonRoot = isNonRoot(e);
      const who = e.uid !== undefined ? `UID ${e.uid}` : 'a non-root UID (runAsNonRoot)';
      for (const { m, i } of mountsOf(ref)) {
        if (typeof m.name !== 'string') continue;
        const wt = writableType(m);
        if (wt && nonRoot && fsGroup === undefined && supplemental.length === 0 && !prepared.has(m.name)) {
          const hostPath = wt === 'hostPath';
          add(
            {
              path: [...ref.path, 'volumeMounts', i],
              messageId: hostPath ? 'hostPathNotWritable' : 'noFsGroup',
              data: { who, type: wt, volume: m.name },
            },
            ref.name,
          );
        }
        // Secret / ConfigMap / projected / downwardAPI file modes
        const vol = volumes.get(m.name);
        if (!vol || !nonRoot || fsGroup !== undefined) continue;
        const type = PROJECTED_TYPES.find((t) => isObj(own(vol.v, t)));
        if (!type) continue;
        const src = own(vol.v, type) as Obj;
        if (
          type === 'projected' &&
          oneUid &&
          (Array.isArray(src.sources) ? src.sources : []).some((s) => isObj(s) && isObj(s.serviceAccountToken))
        )
          continue;
        const groupMayBeRoot = e.gid === undefined || e.gid === 0 || supplemental.includes(0);
        const unreadable = (mode: number): boolean => (mode & 0o4) === 0 && (!groupMayBeRoot || (mode & 0o40) === 0);
        const volPath: PathSeg[] = [...tpl.specPath, 'volumes', vol.index, type];
        const modes = fileModes(src, type, volPath);
        for (const md of modes) {
          if (!unreadable(md.mode)) continue;
          add(
            {
              path: md.path,
              messageId: 'unreadableMode',
              data: { who, type, volume: m.name, octal: octal(md.mode), mode: md.mode, groupOr: groupMayBeRoot ? 'group or ' : '' },
            },
            ref.name,
          );
        }
      }

      // readOnlyRootFilesystem needs somewhere to write temporary files
      const csc = ref.container.securityContext;
      if (isObj(csc) && csc.readOnlyRootFilesystem === true && tmpPaths.length > 0) {
        const writableMounts = mountsOf(ref)
          .filter(({ m }) => {
            if (m.readOnly === true || typeof m.name !== 'string' || typeof m.mountPath !== 'string') return false;
            if (writableType(m)) return true;
            const vol = volumes.get(m.name);
            return vol !== undefined && isObj(own(vol.v, 'emptyDir'));
          })
          .map(({ m }) => (m.mountPath as string).replace(/\/+$/, '') || '/');
        const covered = (p: string): boolean => {
          const t = p.replace(/\/+$/, '') || '/';
          return writableMounts.some((mp) => mp === t || mp === '/' || t.startsWith(mp + '/'));
        };
        const env = Array.isArray(ref.container.env) ? ref.container.env : [];
        const tmpdir = env.find((v: unknown) => isObj(v) && v.name === 'TMPDIR' && typeof v.value === 'string') as Obj | undefined;
        const missing = tmpPaths.filter((p) => !covered(p));
        const evidence = missing.flatMap((p) => {
          // a path under another mount (a read-only Secret at /tmp/certs) belongs to that volume
          const where = pathReference(ref.container, p, underOtherMount(mountsOf(ref), tmpPaths));
          return where ? [{ p, where }] : [];
        });
        if (evidence.length > 0) {
          const ev = evidence[0]!;
          add(
            {
              path: [...ref.path, 'securityContext', 'readOnlyRootFilesystem'],
              messageId: 'tmpNotWritable',
              data: { where: ev.where, path: ev.p },
            },
            ref.name,
          );
        } else if (missing.length > 0 && o.reportTmpWithoutEvidence && !(tmpdir && covered(tmpdir.value as string))) {
          add(
            {
              path: [...ref.path, 'securityContext', 'readOnlyRootFilesystem'],
              messageId: 'tmpMaybeNotWritable',
              data: { paths: missing.join(', '), first: String(missing[0]) },
            },
            ref.name,
          );
        }
      }
    }

    if (fsGroup !== undefined && o.checkFsGroupChangePolicy && psc.fsGroupChangePolicy !== 'OnRootMismatch') {
      const persistent = new Set<string>();
      for (const ref of refs) {
        for (const { m } of mountsOf(ref)) {
          if (typeof m.name !== 'string') continue;
          const vol = volumes.get(m.name);
          if ((vol && isObj(own(vol.v, 'persistentVolumeClaim'))) || (!vol && claimTemplates.has(m.name))) persistent.add(m.name);
        }
      }
      if (persistent.size > 0) {
        const list = [...persistent];
        add(
          {
            path: [...pscPath, 'fsGroup'],
            messageId: 'fsGroupChangePolicy',
            data: { fsGroup, s: list.length > 1 ? 's' : '', volumes: list.join(', ') },
          },
          '',
        );
      }
    }

    // each finding's data is its own object (made by its add call): the names are added to it, not to a copy
    for (const f of findings.values()) {
      f.data.names = names(f.containers.filter(Boolean));
      ctx.report({ path: f.path, messageId: f.messageId, data: f.data });
    }
  },
});
