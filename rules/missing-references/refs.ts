/** The references a pod template makes to ConfigMaps, Secrets, ServiceAccounts and PVCs, each with its path, keys and description. */
import { asArray, asString, isObj, type ManifestObject, type Obj } from '../../src/model/object.js';
import { containers, podTemplate } from '../../src/model/workload.js';
import type { PathSeg } from '../../src/parse/source.js';

export type RefKind = 'ConfigMap' | 'Secret' | 'ServiceAccount' | 'PersistentVolumeClaim';

export interface Ref {
  kind: RefKind;
  name: string;
  /** path to the name field */
  path: PathSeg[];
  optional: boolean;
  /** keys the reference needs, each with the path to its `key` field */
  keys: { key: string; path: PathSeg[] }[];
  what: string;
}

export function collectRefs(obj: ManifestObject<Obj>): Ref[] {
  const tpl = podTemplate(obj);
  if (!tpl) return [];
  const refs: Ref[] = [];
  const spec = obj.kind === 'StatefulSet' ? obj.data.spec : undefined;
  const claimTemplates = new Set(
    asArray(isObj(spec) ? spec.volumeClaimTemplates : undefined).flatMap((t) =>
      isObj(t) && isObj(t.metadata) && typeof t.metadata.name === 'string' ? [t.metadata.name] : [],
    ),
  );
  const str = (v: unknown): string | undefined =>
    typeof v === 'string' && v !== '' && !v.includes('$') && !v.includes('{{') ? v : undefined;
  const itemKeys = (items: unknown, base: PathSeg[]): Ref['keys'] =>
    asArray(items).flatMap((it, j) =>
      isObj(it) && typeof it.key === 'string' ? [{ key: it.key, path: [...base, 'items', j, 'key'] }] : [],
    );

  for (const c of containers(obj, ['init', 'sidecar', 'regular', 'ephemeral'], tpl)) {
    asArray(c.container.env).forEach((e, i) => {
      if (!isObj(e) || !isObj(e.valueFrom)) return;
      for (const [field, kind] of [
        ['configMapKeyRef', 'ConfigMap'],
        ['secretKeyRef', 'Secret'],
      ] as const) {
        const r = e.valueFrom[field];
        if (!isObj(r)) continue;
        const name = str(r.name);
        if (!name) continue;
        const base = [...c.path, 'env', i, 'valueFrom', field];
        refs.push({
          kind,
          name,
          path: [...base, 'name'],
          optional: r.optional === true,
          keys: typeof r.key === 'string' ? [{ key: r.key, path: [...base, 'key'] }] : [],
          what: `env ${asString(e.name) ?? `#${i}`} of container "${c.name}"`,
        });
      }
    });
    asArray(c.container.envFrom).forEach((e, i) => {
      if (!isObj(e)) return;
      for (const [field, kind] of [
        ['configMapRef', 'ConfigMap'],
        ['secretRef', 'Secret'],
      ] as const) {
        const r = e[field];
        if (!isObj(r)) continue;
        const name = str(r.name);
        if (name)
          refs.push({
            kind,
            name,
            path: [...c.path, 'envFrom', i, field, 'name'],
            optional: r.optional === true,
            keys: [],
            what: `envFrom of container "${c.name}"`,
          });
      }
    });
  }
  asArray(tpl.spec.volumes).forEach((v, i) => {
    if (!isObj(v)) return;
    const vbase = [...tpl.specPath, 'volumes', i];
    const vname = `volume "${asString(v.name) ?? `#${i}`}"`;
    if (isObj(v.configMap)) {
      const name = str(v.configMap.name);
      if (name)
        refs.push({
          kind: 'ConfigMap',
          name,
          path: [...vbase, 'configMap', 'name'],
          optional: v.configMap.optional === true,
          keys: itemKeys(v.configMap.items, [...vbase, 'configMap']),
          what: vname,
        });
    }
    if (isObj(v.secret)) {
      const name = str(v.secret.secretName);
      if (name)
        refs.push({
          kind: 'Secret',
          name,
          path: [...vbase, 'secret', 'secretName'],
          optional: v.secret.optional === true,
          keys: itemKeys(v.secret.items, [...vbase, 'secret']),
          what: vname,
        });
    }
    if (isObj(v.persistentVolumeClaim) && !claimTemplates.has(asString(v.name) ?? '')) {
      const name = str(v.persistentVolumeClaim.claimName);
      if (name)
        refs.push({
          kind: 'PersistentVolumeClaim',
          name,
          path: [...vbase, 'persistentVolumeClaim', 'claimName'],
          optional: false,
          keys: [],
          what: vname,
        });
    }
    if (isObj(v.projected)) {
      asArray(v.projected.sources).forEach((s, j) => {
        if (!isObj(s)) return;
        for (const [field, kind] of [
          ['configMap', 'ConfigMap'],
          ['secret', 'Secret'],
        ] as const) {
          const r = s[field];
          if (!isObj(r)) continue;
          const name = str(r.name);
          const base = [...vbase, 'projected', 'sources', j, field];
          if (name)
            refs.push({
              kind,
              name,
              path: [...base, 'name'],
              optional: r.optional === true,
              keys: itemKeys(r.items, base),
              what: `projected ${vname}`,
            });
        }
      });
    }
  });
  asArray(tpl.spec.imagePullSecrets).forEach((s, i) => {
    const name = isObj(s) ? str(s.name) : undefined;
    if (name)
      refs.push({
        kind: 'Secret',
        name,
        path: [...tpl.specPath, 'imagePullSecrets', i, 'name'],
        optional: false,
        keys: [],
        what: 'imagePullSecrets',
      });
  });
  for (const field of ['serviceAccountName', 'serviceAccount'] as const) {
    const name = str(tpl.spec[field]);
    if (name) {
      refs.push({ kind: 'ServiceAccount', name, path: [...tpl.specPath, field], optional: false, keys: [], what: field });
      break; // serviceAccountName wins over the deprecated alias
    }
  }
  return refs;
}
