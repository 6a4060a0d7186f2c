import type { ObjectIndex } from '../../src/model/index.js';
import type { ManifestObject, Obj } from '../../src/model/object.js';
import { boundRole, grants, policyRules } from '../../src/model/rbac.js';
import type { RefKind } from './refs.js';

const RESOURCE: Record<RefKind, string> = {
  ConfigMap: 'configmaps',
  Secret: 'secrets',
  ServiceAccount: 'serviceaccounts',
  PersistentVolumeClaim: 'persistentvolumeclaims',
};

/**
 * A Role of the namespace (or a ClusterRole a RoleBinding of the namespace binds) that lets its holder write the object
 * by its name (`resourceNames`), with create, update or patch: a component of the input that manages the object at run
 * time (the SPIRE server publishes its trust bundle into ConfigMap spire-bundle, which the agents mount). RBAC names an
 * object so only to write that object, so its absence from the input is no evidence of a mistake.
 */
export function writerByName(index: ObjectIndex, ns: string, kind: RefKind, name: string): ManifestObject<Obj> | undefined {
  const roles: ManifestObject<Obj>[] = [...index.list('Role', ns, 'rbac.authorization.k8s.io')];
  for (const b of index.list('RoleBinding', ns, 'rbac.authorization.k8s.io')) {
    const r = boundRole(b, index);
    if (r && r.kind === 'ClusterRole' && !roles.includes(r)) roles.push(r);
  }
  return roles.find((role) =>
    policyRules(role).some((p) => p.resourceNames.includes(name) && grants(p, '', RESOURCE[kind], ['create', 'update', 'patch'])),
  );
}
