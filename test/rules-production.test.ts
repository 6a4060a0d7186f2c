/** Option behaviour of the production-failure rules (fixtures cover the defaults). */
import { lintText, only } from './helpers';
import type { ConfigData } from '../src/config/config';

function run(id: string, text: string, options?: Record<string, unknown>): { line: number; level: string; message: string }[] {
  const config = (options ? { rules: { [id]: ['error', options] } } : {}) as unknown as ConfigData;
  const r = lintText(text, { rules: only(id), config });
  expect(r.internalErrors).toEqual([]);
  return r.results
    .flatMap((x) => x.messages)
    .filter((m) => m.ruleId === id)
    .map((m) => ({ line: m.line, level: m.level, message: m.message }));
}

const pod = (container: string, podExtra = ''): string => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
${podExtra}  containers:
${container}`;

describe('probe-timeout-vs-client-timeout options', () => {
  const c = `    - name: app
      image: x
      env:
        - name: DB_SHUTDOWN_TIMEOUT
          value: 6s
      args: ["--upstream-deadline=6s"]
      readinessProbe:
        httpGet: { path: /, port: 80 }
        timeoutSeconds: 5
`;
  test('excluded names and non-matching flags are ignored by default', () => {
    expect(run('probe-timeout-vs-client-timeout', pod(c))).toEqual([]);
  });
  test('exclude can be emptied, making SHUTDOWN a client timeout', () => {
    const got = run('probe-timeout-vs-client-timeout', pod(c), { exclude: [] });
    expect(got).toHaveLength(1);
    expect(got[0]!.message).toContain('env DB_SHUTDOWN_TIMEOUT');
  });
  test('flagNamePattern widens the flags that count', () => {
    const got = run('probe-timeout-vs-client-timeout', pod(c), { flagNamePattern: 'timeout|deadline' });
    expect(got).toHaveLength(1);
    expect(got[0]!.message).toContain('flag --upstream-deadline in args');
  });
  test('ratio changes the warning threshold', () => {
    const c2 = c.replace('DB_SHUTDOWN_TIMEOUT', 'DB_TIMEOUT').replace('6s', '20s');
    expect(run('probe-timeout-vs-client-timeout', pod(c2))).toHaveLength(0);
    expect(run('probe-timeout-vs-client-timeout', pod(c2), { ratio: 5 })).toHaveLength(1);
  });
});

describe('resource-requests-limits options', () => {
  const c = `    - name: app
      image: x
      resources:
        requests: { cpu: 100m, memory: 64Mi }
        limits: { memory: 64Mi }
`;
  test('limits.cpu only with requireCpuLimit', () => {
    expect(run('resource-requests-limits', pod(c))).toEqual([]);
    const got = run('resource-requests-limits', pod(c), { requireCpuLimit: true });
    expect(got).toHaveLength(1);
    expect(got[0]!.message).toContain('limits.cpu');
    expect(got[0]!.line).toBe(11); // at limits:
  });
});

describe('fsgroup-run-as-user options', () => {
  const c = `    - name: app
      image: x
      securityContext:
        readOnlyRootFilesystem: true
      volumeMounts:
        - { name: tmp, mountPath: /tmp }
      # nothing at /var/cache
  volumes:
    - name: tmp
      emptyDir: {}
`;
  test('tmpPaths are configurable', () => {
    const c2 = c.replace('      image: x\n', '      image: x\n      args: ["--cache-dir=/var/cache/nginx/proxy"]\n');
    expect(run('fsgroup-run-as-user', pod(c2))).toEqual([]);
    const got = run('fsgroup-run-as-user', pod(c2), { tmpPaths: ['/tmp', '/var/cache/nginx'] });
    expect(got).toHaveLength(1);
    expect(got[0]!.level).toBe('warning');
    expect(got[0]!.message).toContain('/var/cache/nginx');
    expect(got[0]!.message).toContain('args[0] "--cache-dir=/var/cache/nginx/proxy"');
  });
  test('a missing tmp path without evidence is an info note only with reportTmpWithoutEvidence', () => {
    const c3 = `    - name: app
      image: x
      securityContext:
        readOnlyRootFilesystem: true
`;
    expect(run('fsgroup-run-as-user', pod(c3))).toEqual([]);
    const got = run('fsgroup-run-as-user', pod(c3), { reportTmpWithoutEvidence: true });
    expect(got).toEqual([expect.objectContaining({ level: 'info', line: 10 })]);
    expect(got[0]!.message).toContain('no writable volume is mounted at /tmp');
    // TMPDIR pointing at a writable mount answers it
    const c4 =
      c3 +
      `      env:
        - { name: TMPDIR, value: /scratch }
      volumeMounts:
        - { name: s, mountPath: /scratch }
  volumes:
    - { name: s, emptyDir: {} }
`;
    expect(run('fsgroup-run-as-user', pod(c4), { reportTmpWithoutEvidence: true })).toEqual([]);
  });
  test('requireNumericRunAsUser: true adds an info note, off by default', () => {
    const c2 = `    - name: app
      image: x
`;
    const extra = `  securityContext:
    runAsNonRoot: true
`;
    expect(run('fsgroup-run-as-user', pod(c2, extra))).toEqual([]);
    const got = run('fsgroup-run-as-user', pod(c2, extra), { requireNumericRunAsUser: true });
    expect(got).toEqual([expect.objectContaining({ level: 'info', line: 7 })]);
    expect(got[0]!.message).toContain('no numeric runAsUser');
  });
});

describe('secret-subpath-mount options', () => {
  const c = `    - name: app
      image: x
      volumeMounts:
        - { name: conf, mountPath: /etc/app.conf, subPath: app.conf }
        - { name: keys, mountPath: /etc/keystore.jks, subPath: keystore.jks }
  volumes:
    - name: conf
      configMap: { name: conf }
    - name: keys
      secret: { secretName: keys }
`;
  test('volumeTypes narrows the check; tlsExtensions widens TLS material', () => {
    const dflt = run('secret-subpath-mount', pod(c));
    expect(dflt.map((f) => f.level)).toEqual(['warning', 'warning']);
    expect(dflt.some((f) => f.message.includes('certificate file'))).toBe(false);
    // configured at "error", every finding takes that severity: tell TLS material by the message
    const got = run('secret-subpath-mount', pod(c), { volumeTypes: ['secret'], tlsExtensions: ['.jks'] });
    expect(got).toHaveLength(1);
    expect(got[0]!.message).toContain('certificate file');
  });
});
