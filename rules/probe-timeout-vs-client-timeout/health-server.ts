/**
 * A probe answered by a controller-runtime manager's health server: kubebuilder's managers take
 * `--health-probe-bind-address=:8081` (older ones `--health-addr`) and serve `/healthz` and `/readyz` there from
 * checks such as `healthz.Ping`, which answer without calling anything, so no client timeout applies to them.
 */
import { isObj, own, type Obj } from '../../src/model/object.js';

const FLAG = /^--?(?:health-probe-bind-address|health-addr)(?:=(.*))?$/;

/** The port of a container's controller-runtime health server, from its command and args; undefined without one. */
export function healthServerPort(c: Obj): number | undefined {
  for (const field of ['command', 'args'] as const) {
    const list = own(c, field);
    if (!Array.isArray(list)) continue;
    const toks = list.flatMap((a: unknown) => (typeof a === 'string' ? a.split(/\s+/).filter((t) => t !== '') : []));
    for (let i = 0; i < toks.length; i++) {
      const m = FLAG.exec(toks[i]!);
      if (!m) continue;
      const addr = m[1] ?? toks[i + 1] ?? '';
      const port = /:(\d{1,5})$/.exec(addr)?.[1];
      if (port !== undefined) return Number(port);
    }
  }
  return undefined;
}

/** Whether an httpGet probe goes to that port (as a number, or a named port of the container that is it). */
export function probesHealthServer(c: Obj, probe: Obj, port: number): boolean {
  const get = own(probe, 'httpGet');
  if (!isObj(get)) return false;
  const p = own(get, 'port');
  if (typeof p === 'number') return p === port;
  if (typeof p !== 'string') return false;
  if (/^\d+$/.test(p)) return Number(p) === port;
  const ports = own(c, 'ports');
  return Array.isArray(ports) && ports.some((cp) => isObj(cp) && own(cp, 'name') === p && own(cp, 'containerPort') === port);
}
