/** The suggestion of secret-subpath-mount: the subPath mounts of a volume as one directory mount. */
import type { ReportDescriptor } from '../../src/engine/rule.js';
import type { FixValue } from '../../src/fix/edits.js';
import { isObj, own, type ManifestObject, type Obj } from '../../src/model/object.js';
import { containers, type podTemplate } from '../../src/model/workload.js';

/**
 * The subPath mounts of a Secret or ConfigMap volume as one directory mount,
 * the files chosen with `items`: when every mount of the volume is in one
 * container, uses a one-segment `subPath`, and sits in one directory with the
 * same other settings. A suggestion: the directory mount hides whatever the
 * image has in that directory.
 */
export function directoryMount(
  obj: ManifestObject<Obj>,
  tpl: NonNullable<ReturnType<typeof podTemplate>>,
  volName: string,
): Pick<ReportDescriptor, 'suggest'> {
  const vols = Array.isArray(tpl.spec.volumes) ? tpl.spec.volumes : [];
  const vi = vols.findIndex((v) => isObj(v) && v.name === volName);
  const vol = vols[vi];
  if (!isObj(vol)) return {};
  const type = isObj(vol.secret) ? 'secret' : isObj(vol.configMap) ? 'configMap' : undefined;
  if (!type) return {};
  const uses: { path: (string | number)[]; i: number; m: Obj }[] = [];
  for (const ref of containers(obj, ['init', 'sidecar', 'regular', 'ephemeral'], tpl)) {
    const mounts = own(ref.container, 'volumeMounts');
    if (!Array.isArray(mounts)) continue;
    mounts.forEach((m: unknown, i: number) => {
      if (isObj(m) && m.name === volName) uses.push({ path: [...ref.path, 'volumeMounts'], i, m });
    });
  }
  if (uses.length === 0 || uses.some((u) => JSON.stringify(u.path) !== JSON.stringify(uses[0]!.path))) return {};
  let dir: string | undefined;
  const rest = (m: Obj): string => JSON.stringify(Object.entries(m).filter(([k]) => k !== 'mountPath' && k !== 'subPath'));
  for (const { m } of uses) {
    const sub = m.subPath;
    if (typeof sub !== 'string' || sub === '' || sub.includes('/') || m.subPathExpr !== undefined || typeof m.mountPath !== 'string')
      return {};
    if (!m.mountPath.endsWith(`/${sub}`)) return {};
    const d = m.mountPath.slice(0, -sub.length - 1);
    if (d === '' || (dir !== undefined && d !== dir) || rest(m) !== rest(uses[0]!.m)) return {};
    dir = d;
  }
  const src = vol[type] as Obj;
  const subs = uses.map((u) => u.m.subPath as string);
  let items: FixValue | undefined;
  if (Array.isArray(src.items)) {
    if (!subs.every((p) => (src.items as unknown[]).some((it) => isObj(it) && it.path === p))) return {};
  } else items = subs.map((p) => ({ key: p, path: p }));
  const first = uses[0]!;
  const mount: Record<string, FixValue> = {};
  for (const [k, v] of Object.entries(first.m)) if (k !== 'subPath') mount[k] = k === 'mountPath' ? dir! : (v as FixValue);
  return {
    suggest: [
      {
        desc: `Mount volume ${volName} as the directory ${dir} with items ${subs.join(', ')} (it receives updates; the mount hides other files the image has in ${dir})`,
        fix: (f) => [
          f.replaceValue([...first.path, first.i], mount),
          ...uses.slice(1).map((u) => f.removeItem([...u.path, u.i])),
          ...(items ? [f.set([...tpl.specPath, 'volumes', vi, type, 'items'], items)] : []),
        ],
      },
    ],
  };
}
