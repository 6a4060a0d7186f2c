import { asArray, isObj, own, type Obj } from '../../src/model/object.js';

/** A named container port of a selected pod, as `namedPorts` lists them. */
interface PortOf {
  name: string;
  protocol: string;
  number: unknown;
}

/** Whether one NetworkPolicyPort entry allows the container port (by name, number or range; no port = every port). */
function entryAllows(entry: unknown, p: PortOf): boolean {
  if (!isObj(entry)) return false;
  const protocol = typeof entry.protocol === 'string' ? entry.protocol : 'TCP';
  if (protocol !== p.protocol) return false;
  const port = own(entry, 'port');
  if (port === undefined || port === null) return true;
  if (typeof port === 'string') return port === p.name;
  if (typeof port !== 'number' || typeof p.number !== 'number') return false;
  const end = own(entry, 'endPort');
  return typeof end === 'number' ? p.number >= port && p.number <= end : p.number === port;
}

/**
 * Whether the policy's ingress rules allow every named container port of `protocol` that the selected pods declare
 * (a rule without `ports` allows all). Then a named port that none of them declares drops no traffic to them: it is an
 * entry for pods of another configuration (zero-to-jupyterhub's `allowedIngressPorts: [http, https]`, whose proxy has an
 * `https` port only when TLS is on), not a renamed port.
 */
export function ingressCoversAll(spec: Obj, protocol: string, ports: readonly PortOf[]): boolean {
  const own_ = ports.filter((p) => p.protocol === protocol);
  if (own_.length === 0) return false;
  const rules = asArray(own(spec, 'ingress')).filter(isObj);
  return own_.every((p) =>
    rules.some((r) => {
      const entries = own(r, 'ports');
      if (entries === undefined || entries === null || (Array.isArray(entries) && entries.length === 0)) return true;
      return asArray(entries).some((e) => entryAllows(e, p));
    }),
  );
}
