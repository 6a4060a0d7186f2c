import { isObj, type Obj } from '../../src/model/object.js';

const PATH_CHAR = /[A-Za-z0-9._\/-]/;

/**
 * Where a container's command, args or env values name a path at or under
 * `p` (`/tmp`, `--cert-dir=/tmp/certs`, `TMPDIR=/tmp`), but not `/tmpfs` or
 * `/var/tmp`: evidence that the process writes there. A path at or under a
 * volume mounted into the container (`mounted`: `--cert-dir=/tmp/certs` with a
 * Secret mounted at /tmp/certs) is the volume's, not evidence.
 */
export function pathReference(c: Obj, p: string, mounted: (path: string) => boolean = () => false): string | undefined {
  const t = p.replace(/\/+$/, '') || '/';
  const hit = (v: unknown): boolean => {
    if (typeof v !== 'string') return false;
    for (let i = v.indexOf(t); i !== -1; i = v.indexOf(t, i + 1)) {
      const before = i === 0 ? '' : v[i - 1]!;
      const after = v[i + t.length] ?? '';
      if ((before === '' || !PATH_CHAR.test(before)) && (after === '' || after === '/' || !/[A-Za-z0-9._-]/.test(after))) {
        const whole = /^[A-Za-z0-9._/-]*/.exec(v.slice(i))![0].replace(/\/+$/, '');
        if (!mounted(whole)) return true;
      }
    }
    return false;
  };
  for (const field of ['command', 'args'] as const) {
    const list = c[field];
    if (!Array.isArray(list)) continue;
    for (let i = 0; i < list.length; i++) if (hit(list[i])) return `${field}[${i}] ${JSON.stringify(list[i])}`;
  }
  if (Array.isArray(c.env)) {
    for (const e of c.env as unknown[])
      if (isObj(e) && typeof e.name === 'string' && hit(e.value)) return `env ${e.name}=${JSON.stringify(e.value)}`;
  }
  return undefined;
}

/** Whether a path is at or under one of the mount paths, leaving out mounts at the `tmpPaths` themselves. */
export function underOtherMount(mounts: { m: Obj }[], tmpPaths: string[]): (path: string) => boolean {
  const tmp = new Set(tmpPaths.map((t) => t.replace(/\/+$/, '') || '/'));
  const mps = mounts
    .map(({ m }) => (typeof m.mountPath === 'string' ? m.mountPath.replace(/\/+$/, '') : ''))
    .filter((mp) => mp !== '' && !tmp.has(mp));
  return (x) => mps.some((mp) => x === mp || x.startsWith(mp + '/'));
}
