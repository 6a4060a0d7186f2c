/**
 * Whether a StatefulSet's pods are known to address each other by their per-pod DNS names: the rule's error says
 * "peers cannot find each other", which is true of clustered software, not of every StatefulSet (a web server kept
 * in a StatefulSet for its volumes has no peers).
 */
import type { ObjectIndex } from '../../src/model/index.js';
import { isObj, type ManifestObject, type Obj } from '../../src/model/object.js';
import { containers, podTemplate } from '../../src/model/workload.js';

/** Images of software that forms a cluster from per-pod names (the last path segment of the repository). */
const CLUSTERED =
  /^(minio|etcd|zookeeper|cp-zookeeper|kafka|cp-kafka|cp-server|elasticsearch|opensearch|cassandra|scylla|mongo|mongodb|mongodb-community-server|redis|redis-cluster|redis-sentinel|valkey|rabbitmq|consul|vault|nats|nats-server|cockroach|cockroachdb|yugabyte|spilo|patroni|mariadb-galera|percona-xtradb-cluster|clickhouse-server|clickhouse-keeper|bookkeeper|hazelcast|ignite|emqx|vernemq|tikv|neo4j|dgraph|qdrant|weaviate|seaweedfs|alertmanager)$/;

/** The repository name of an image reference: `quay.io/minio/minio:RELEASE…` → `minio`. */
function repoName(image: string): string {
  const noDigest = image.split('@')[0]!;
  const last = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return (colon >= 0 ? last.slice(0, colon) : last).toLowerCase();
}

/** `name` as a DNS label inside a string: `minio-{0...3}.minio-hl.storage.svc`, `$(POD_NAME).zk-hs:2888`, `es-headless`. */
function namesService(text: string, name: string): boolean {
  let from = 0;
  for (;;) {
    const i = text.indexOf(name, from);
    if (i < 0) return false;
    const before = i === 0 ? '' : text[i - 1]!;
    const after = text[i + name.length] ?? '';
    if (!/[A-Za-z0-9_-]/.test(before) && !/[A-Za-z0-9_-]/.test(after)) return true;
    from = i + 1;
  }
}

/**
 * True when an image is clustered software, or the pod template (command after the program, args, env values) or a
 * ConfigMap it mounts or reads names the governing Service as a DNS label.
 */
export function addressesPeers(obj: ManifestObject<Obj>, serviceName: string, index: ObjectIndex): boolean {
  const refs = new Set<string>();
  for (const { container: c } of containers(obj)) {
    if (typeof c.image === 'string' && CLUSTERED.test(repoName(c.image))) return true;
    const strings: unknown[] = [...(Array.isArray(c.command) ? c.command.slice(1) : []), ...(Array.isArray(c.args) ? c.args : [])];
    for (const e of Array.isArray(c.env) ? c.env : []) if (isObj(e)) strings.push(e.value);
    if (strings.some((s) => typeof s === 'string' && namesService(s, serviceName))) return true;
    for (const e of Array.isArray(c.envFrom) ? c.envFrom : [])
      if (isObj(e) && isObj(e.configMapRef) && typeof e.configMapRef.name === 'string') refs.add(e.configMapRef.name);
  }
  const spec = podTemplate(obj)?.spec;
  for (const v of Array.isArray(spec?.volumes) ? spec.volumes : []) {
    if (!isObj(v)) continue;
    if (isObj(v.configMap) && typeof v.configMap.name === 'string') refs.add(v.configMap.name);
    const sources = isObj(v.projected) && Array.isArray(v.projected.sources) ? v.projected.sources : [];
    for (const s of sources) if (isObj(s) && isObj(s.configMap) && typeof s.configMap.name === 'string') refs.add(s.configMap.name);
  }
  for (const name of refs) {
    const cm = index.resolve('ConfigMap', '', obj.namespace, name, obj)[0];
    const data = cm && isObj(cm.data.data) ? cm.data.data : undefined;
    if (data && Object.values(data).some((s) => typeof s === 'string' && namesService(s, serviceName))) return true;
  }
  return false;
}
