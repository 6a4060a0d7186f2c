/**
 * The Pod Security Standards rules against cases in the shape of the
 * admission controller's own test data (k8s.io/pod-security-admission,
 * test/fixtures_*.go): a minimal valid pod per level and version (one init
 * container, one container), then one tweak per case that must pass or fail
 * a given check. Written for k8s-gold (facts from PSA, not its code): each
 * case names the rules that must fire, and no others, under the preset of
 * the level.
 */
import { lintText } from './helpers';
import { parseMinor, targetKubernetesVersion } from '../src/util/kube-version';
import { safeSysctls, seLinuxTypes, CONTROLS } from '../src/pss/controls';
import { podTemplateLocations } from '../src/pss/pod';
import { RuleRegistry } from '../src/engine/registry';

type Pod = { apiVersion: string; kind: string; metadata: Record<string, unknown>; spec: Record<string, any> };
type Level = 'baseline' | 'restricted';

function fired(doc: object | string, level: Level, version?: string, settings: Record<string, unknown> = {}): string[] {
  const text = typeof doc === 'string' ? doc : JSON.stringify(doc);
  const run = lintText(text, {
    config: { extends: `pss-${level}`, settings: { ...settings, ...(version ? { kubernetesVersion: version } : {}) } },
  });
  expect(run.internalErrors).toEqual([]);
  return [...new Set(run.results.flatMap((r) => r.messages.map((m) => m.ruleId)))].sort();
}

/** PSA's minimal valid pods: baseline 1.0, restricted 1.0/1.8/1.19/1.22 (Linux). */
function minimalPod(level: Level, minor: number, os?: 'linux' | 'windows'): Pod {
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: {
      initContainers: [{ name: 'initcontainer1', image: 'registry.k8s.io/pause' }],
      containers: [{ name: 'container1', image: 'registry.k8s.io/pause' }],
    },
  };
  if (os) pod.spec.os = { name: os };
  if (level === 'baseline') return pod;
  pod.spec.securityContext = { runAsNonRoot: true };
  // 1.25+: a Windows pod needs nothing more
  if (os === 'windows' && minor >= 25) return pod;
  const all = (): any[] => [...pod.spec.initContainers, ...pod.spec.containers];
  if (minor >= 8) for (const c of all()) c.securityContext = { allowPrivilegeEscalation: false };
  if (minor >= 19) pod.spec.securityContext.seccompProfile = { type: 'RuntimeDefault' };
  if (minor >= 22) for (const c of all()) c.securityContext.capabilities = { drop: ['ALL'] };
  return pod;
}

function tweak(pod: Pod, f: (p: Pod) => void): Pod {
  const copy = JSON.parse(JSON.stringify(pod)) as Pod;
  f(copy);
  return copy;
}

const container = (p: Pod): any => p.spec.containers[0];
const init = (p: Pod): any => p.spec.initContainers[0];
const sc = (c: any): any => (c.securityContext ??= {});
const podSC = (p: Pod): any => (p.spec.securityContext ??= {});

describe('minimal valid pods pass', () => {
  for (const v of ['1.0', '1.8', '1.19', '1.22', '1.25', '1.33', '1.35', '1.37', '1.40']) {
    const minor = parseMinor(v)!;
    test(`baseline and restricted at ${v}`, () => {
      expect(fired(minimalPod('baseline', minor), 'baseline', v)).toEqual([]);
      expect(fired(minimalPod('restricted', minor), 'restricted', v)).toEqual([]);
      expect(fired(minimalPod('restricted', minor, 'linux'), 'restricted', v)).toEqual([]);
      expect(fired(minimalPod('restricted', minor, 'windows'), 'restricted', v)).toEqual([]);
    });
  }
  test('the baseline minimal pod fails restricted, on exactly the restricted controls it lacks', () => {
    expect(fired(minimalPod('baseline', 33), 'restricted', '1.33')).toEqual([
      'pss-capabilities-restricted',
      'pss-privilege-escalation',
      'pss-run-as-non-root',
      'pss-seccomp-restricted',
    ]);
    expect(fired(minimalPod('baseline', 7), 'restricted', '1.7')).toEqual(['pss-run-as-non-root']);
    expect(fired(minimalPod('baseline', 18), 'restricted', '1.18')).toEqual(['pss-privilege-escalation', 'pss-run-as-non-root']);
  });
  test('the minimal Windows pod of 1.25 is not exempt before 1.25', () => {
    expect(fired(minimalPod('restricted', 25, 'windows'), 'restricted', '1.24')).toEqual([
      'pss-capabilities-restricted',
      'pss-privilege-escalation',
      'pss-seccomp-restricted',
    ]);
  });
});

interface Case {
  name: string;
  level: Level;
  version?: string;
  pod: (p: Pod) => void;
  /** rules that must fire (none: the pod passes) */
  want: string[];
  os?: 'linux' | 'windows';
}

const CASES: Case[] = [
  // windowsHostProcess
  {
    name: 'hostProcess on the pod',
    level: 'baseline',
    pod: (p) => (podSC(p).windowsOptions = { hostProcess: true }),
    want: ['pss-host-process'],
  },
  {
    name: 'hostProcess on the init container',
    level: 'baseline',
    pod: (p) => (sc(init(p)).windowsOptions = { hostProcess: true }),
    want: ['pss-host-process'],
  },
  { name: 'hostProcess false', level: 'baseline', pod: (p) => (sc(container(p)).windowsOptions = { hostProcess: false }), want: [] },
  // hostNamespaces
  { name: 'hostNetwork', level: 'baseline', pod: (p) => (p.spec.hostNetwork = true), want: ['pss-host-namespaces'] },
  { name: 'hostPID', level: 'restricted', pod: (p) => (p.spec.hostPID = true), want: ['pss-host-namespaces'] },
  { name: 'hostIPC', level: 'baseline', pod: (p) => (p.spec.hostIPC = true), want: ['pss-host-namespaces'] },
  // privileged
  { name: 'privileged container', level: 'baseline', pod: (p) => (sc(container(p)).privileged = true), want: ['pss-privileged'] },
  { name: 'privileged init container', level: 'restricted', pod: (p) => (sc(init(p)).privileged = true), want: ['pss-privileged'] },
  { name: 'privileged false', level: 'baseline', pod: (p) => (sc(container(p)).privileged = false), want: [] },
  {
    name: 'privileged ephemeral container',
    level: 'baseline',
    pod: (p) => (p.spec.ephemeralContainers = [{ name: 'debug', image: 'busybox', securityContext: { privileged: true } }]),
    want: ['pss-privileged'],
  },
  // capabilities_baseline
  {
    name: 'NET_RAW added',
    level: 'baseline',
    pod: (p) => (sc(container(p)).capabilities = { add: ['NET_RAW'] }),
    want: ['pss-capabilities-baseline'],
  },
  {
    name: 'SYS_ADMIN added to the init container',
    level: 'baseline',
    pod: (p) => (sc(init(p)).capabilities = { add: ['SYS_ADMIN'] }),
    want: ['pss-capabilities-baseline'],
  },
  {
    name: 'the 13 default capabilities',
    level: 'baseline',
    pod: (p) =>
      (sc(container(p)).capabilities = {
        add: [
          'AUDIT_WRITE',
          'CHOWN',
          'DAC_OVERRIDE',
          'FOWNER',
          'FSETID',
          'KILL',
          'MKNOD',
          'NET_BIND_SERVICE',
          'SETFCAP',
          'SETGID',
          'SETPCAP',
          'SETUID',
          'SYS_CHROOT',
        ],
      }),
    want: [],
  },
  // hostPathVolumes (restricted: restrictedVolumes overrides it in PSA; k8s-gold reports it once, here)
  {
    name: 'hostPath volume',
    level: 'baseline',
    pod: (p) => (p.spec.volumes = [{ name: 'h', hostPath: { path: '/a' } }]),
    want: ['pss-host-path-volumes'],
  },
  {
    name: 'hostPath volume under restricted',
    level: 'restricted',
    pod: (p) => (p.spec.volumes = [{ name: 'h', hostPath: { path: '/a' } }]),
    want: ['pss-host-path-volumes'],
  },
  // hostPorts
  {
    name: 'hostPort',
    level: 'baseline',
    pod: (p) => (container(p).ports = [{ containerPort: 12345, hostPort: 12345 }]),
    want: ['pss-host-ports'],
  },
  {
    name: 'hostPort on the init container',
    level: 'baseline',
    pod: (p) => (init(p).ports = [{ containerPort: 12346, hostPort: 12346 }]),
    want: ['pss-host-ports'],
  },
  { name: 'hostPort 0', level: 'baseline', pod: (p) => (container(p).ports = [{ containerPort: 12345, hostPort: 0 }]), want: [] },
  // hostProbesAndHostLifecycle (1.34+)
  {
    name: 'liveness probe host at 1.34',
    level: 'baseline',
    version: '1.34',
    pod: (p) => (container(p).livenessProbe = { httpGet: { host: 'bad.host', port: 8080 } }),
    want: ['pss-host-probes'],
  },
  {
    name: 'readiness tcpSocket host at 1.34',
    level: 'baseline',
    version: '1.34',
    pod: (p) => (container(p).readinessProbe = { tcpSocket: { host: 'bad.host', port: 8080 } }),
    want: ['pss-host-probes'],
  },
  {
    name: 'startup probe host at 1.34',
    level: 'baseline',
    version: '1.34',
    pod: (p) => (init(p).startupProbe = { httpGet: { host: 'bad.host', port: 8080 } }),
    want: ['pss-host-probes'],
  },
  {
    name: 'postStart host at 1.34',
    level: 'restricted',
    version: '1.34',
    pod: (p) => (container(p).lifecycle = { postStart: { httpGet: { host: 'bad.host', port: 8080 } } }),
    want: ['pss-host-probes'],
  },
  {
    name: 'preStop tcpSocket host at 1.34',
    level: 'baseline',
    version: '1.34',
    pod: (p) => (container(p).lifecycle = { preStop: { tcpSocket: { host: 'bad.host', port: 8080 } } }),
    want: ['pss-host-probes'],
  },
  {
    name: 'probe host at 1.33',
    level: 'baseline',
    version: '1.33',
    pod: (p) => (container(p).livenessProbe = { httpGet: { host: 'bad.host', port: 8080 } }),
    want: [],
  },
  {
    name: 'empty probe host at 1.34',
    level: 'baseline',
    version: '1.34',
    pod: (p) => (container(p).livenessProbe = { httpGet: { host: '', port: 8080 } }),
    want: [],
  },
  // appArmorProfile
  {
    name: 'pod AppArmor Unconfined',
    level: 'baseline',
    pod: (p) => (podSC(p).appArmorProfile = { type: 'Unconfined' }),
    want: ['pss-apparmor'],
  },
  {
    name: 'container AppArmor Unconfined',
    level: 'baseline',
    pod: (p) => (sc(init(p)).appArmorProfile = { type: 'Unconfined' }),
    want: ['pss-apparmor'],
  },
  {
    name: 'AppArmor RuntimeDefault and Localhost',
    level: 'baseline',
    pod: (p) => (
      (podSC(p).appArmorProfile = { type: 'RuntimeDefault' }),
      (sc(container(p)).appArmorProfile = { type: 'Localhost', localhostProfile: 'x' })
    ),
    want: [],
  },
  {
    name: 'AppArmor annotation unconfined',
    level: 'baseline',
    pod: (p) => (p.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/container1': 'unconfined' }),
    want: ['pss-apparmor'],
  },
  {
    name: 'AppArmor annotations runtime/default, localhost/* and ""',
    level: 'baseline',
    pod: (p) =>
      (p.metadata.annotations = {
        'container.apparmor.security.beta.kubernetes.io/container1': 'runtime/default',
        'container.apparmor.security.beta.kubernetes.io/initcontainer1': 'localhost/foo',
        'container.apparmor.security.beta.kubernetes.io/x': '',
      }),
    want: [],
  },
  // seLinuxOptions
  { name: 'SELinux type', level: 'baseline', pod: (p) => (podSC(p).seLinuxOptions = { type: 'somevalue' }), want: ['pss-selinux'] },
  { name: 'SELinux user', level: 'baseline', pod: (p) => (sc(container(p)).seLinuxOptions = { user: 'somevalue' }), want: ['pss-selinux'] },
  { name: 'SELinux role', level: 'baseline', pod: (p) => (sc(init(p)).seLinuxOptions = { role: 'somevalue' }), want: ['pss-selinux'] },
  {
    name: 'SELinux allowed types and level',
    level: 'baseline',
    pod: (p) => (
      (podSC(p).seLinuxOptions = { type: 'container_t', level: 'somevalue' }),
      (sc(init(p)).seLinuxOptions = { type: 'container_init_t' }),
      (sc(container(p)).seLinuxOptions = { type: 'container_kvm_t' })
    ),
    want: [],
  },
  {
    name: 'container_engine_t at 1.30',
    level: 'baseline',
    version: '1.30',
    pod: (p) => (sc(container(p)).seLinuxOptions = { type: 'container_engine_t' }),
    want: ['pss-selinux'],
  },
  {
    name: 'container_engine_t at 1.31',
    level: 'baseline',
    version: '1.31',
    pod: (p) => (sc(container(p)).seLinuxOptions = { type: 'container_engine_t' }),
    want: [],
  },
  // procMount / procMount_restricted
  { name: 'procMount Unmasked', level: 'baseline', pod: (p) => (sc(container(p)).procMount = 'Unmasked'), want: ['pss-proc-mount'] },
  {
    name: 'procMount Default',
    level: 'restricted',
    pod: (p) => ((sc(container(p)).procMount = 'Default'), (sc(init(p)).procMount = 'Default')),
    want: [],
  },
  {
    name: 'procMount Unmasked in a user namespace at 1.34',
    level: 'baseline',
    version: '1.34',
    pod: (p) => ((p.spec.hostUsers = false), (sc(init(p)).procMount = 'Unmasked')),
    want: ['pss-proc-mount'],
  },
  {
    name: 'procMount Unmasked in a user namespace at 1.35, baseline',
    level: 'baseline',
    version: '1.35',
    pod: (p) => ((p.spec.hostUsers = false), (sc(container(p)).procMount = 'Unmasked')),
    want: [],
  },
  {
    name: 'procMount Unmasked in a user namespace at 1.35, restricted',
    level: 'restricted',
    version: '1.35',
    pod: (p) => ((p.spec.hostUsers = false), (sc(container(p)).procMount = 'Unmasked')),
    want: ['pss-proc-mount-restricted'],
  },
  {
    name: 'procMount Unmasked with hostUsers true at 1.35',
    level: 'restricted',
    version: '1.35',
    pod: (p) => ((p.spec.hostUsers = true), (sc(container(p)).procMount = 'Unmasked')),
    want: ['pss-proc-mount'],
  },
  // seccompProfile_baseline
  {
    name: 'pod seccomp Unconfined',
    level: 'baseline',
    pod: (p) => (podSC(p).seccompProfile = { type: 'Unconfined' }),
    want: ['pss-seccomp-baseline'],
  },
  {
    name: 'container seccomp Unconfined',
    level: 'baseline',
    pod: (p) => (sc(init(p)).seccompProfile = { type: 'Unconfined' }),
    want: ['pss-seccomp-baseline'],
  },
  {
    name: 'container seccomp Unconfined under restricted',
    level: 'restricted',
    pod: (p) => (sc(container(p)).seccompProfile = { type: 'Unconfined' }),
    want: ['pss-seccomp-baseline'],
  },
  {
    name: 'pod seccomp Unconfined under restricted',
    level: 'restricted',
    pod: (p) => (podSC(p).seccompProfile = { type: 'Unconfined' }),
    want: ['pss-seccomp-baseline'],
  },
  {
    name: 'seccomp annotation unconfined at 1.18',
    level: 'baseline',
    version: '1.18',
    pod: (p) => (p.metadata.annotations = { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' }),
    want: ['pss-seccomp-baseline'],
  },
  {
    name: 'seccomp container annotation at 1.18',
    level: 'baseline',
    version: '1.18',
    pod: (p) => (p.metadata.annotations = { 'container.seccomp.security.alpha.kubernetes.io/initcontainer1': 'unconfined' }),
    want: ['pss-seccomp-baseline'],
  },
  {
    name: 'seccomp annotation docker/default at 1.18',
    level: 'baseline',
    version: '1.18',
    pod: (p) => (p.metadata.annotations = { 'seccomp.security.alpha.kubernetes.io/pod': 'docker/default' }),
    want: [],
  },
  {
    name: 'seccomp annotation unconfined at 1.19',
    level: 'baseline',
    version: '1.19',
    pod: (p) => (p.metadata.annotations = { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' }),
    want: [],
  },
  // sysctls
  {
    name: 'unsafe sysctl',
    level: 'baseline',
    pod: (p) => (podSC(p).sysctls = [{ name: 'othersysctl', value: 'other' }]),
    want: ['pss-sysctls'],
  },
  {
    name: 'tcp_rmem at 1.31',
    level: 'baseline',
    version: '1.31',
    pod: (p) => (podSC(p).sysctls = [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 16777216' }]),
    want: ['pss-sysctls'],
  },
  {
    name: 'tcp_rmem at 1.32',
    level: 'baseline',
    version: '1.32',
    pod: (p) => (podSC(p).sysctls = [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 16777216' }]),
    want: [],
  },
  {
    name: 'tcp_notsent_lowat at 1.36',
    level: 'baseline',
    version: '1.36',
    pod: (p) => (podSC(p).sysctls = [{ name: 'net.ipv4.tcp_notsent_lowat', value: '16384' }]),
    want: ['pss-sysctls'],
  },
  {
    name: 'tcp_notsent_lowat at 1.37',
    level: 'baseline',
    version: '1.37',
    pod: (p) => (podSC(p).sysctls = [{ name: 'net.ipv4.tcp_notsent_lowat', value: '16384' }]),
    want: [],
  },
  // restrictedVolumes
  {
    name: 'nfs volume',
    level: 'restricted',
    pod: (p) => (p.spec.volumes = [{ name: 'n', nfs: { server: 's', path: '/' } }]),
    want: ['pss-volume-types'],
  },
  {
    name: 'nfs volume under baseline',
    level: 'baseline',
    pod: (p) => (p.spec.volumes = [{ name: 'n', nfs: { server: 's', path: '/' } }]),
    want: [],
  },
  {
    name: 'every allowed volume type',
    level: 'restricted',
    pod: (p) =>
      (p.spec.volumes = [
        { name: 'a', configMap: { name: 'c' } },
        { name: 'b', csi: { driver: 'd' } },
        { name: 'c', downwardAPI: {} },
        { name: 'd', emptyDir: {} },
        { name: 'e', ephemeral: { volumeClaimTemplate: { spec: {} } } },
        { name: 'f', image: { reference: 'i' } },
        { name: 'g', persistentVolumeClaim: { claimName: 'c' } },
        { name: 'h', projected: { sources: [] } },
        { name: 'i', secret: { secretName: 's' } },
      ]),
    want: [],
  },
  // allowPrivilegeEscalation
  {
    name: 'allowPrivilegeEscalation unset',
    level: 'restricted',
    pod: (p) => delete sc(container(p)).allowPrivilegeEscalation,
    want: ['pss-privilege-escalation'],
  },
  {
    name: 'allowPrivilegeEscalation true',
    level: 'restricted',
    pod: (p) => (sc(init(p)).allowPrivilegeEscalation = true),
    want: ['pss-privilege-escalation'],
  },
  {
    name: 'allowPrivilegeEscalation unset before 1.8',
    level: 'restricted',
    version: '1.7',
    pod: (p) => delete sc(container(p)).allowPrivilegeEscalation,
    want: [],
  },
  {
    name: 'allowPrivilegeEscalation unset, Windows, 1.25',
    level: 'restricted',
    version: '1.25',
    os: 'windows',
    pod: (p) => delete sc(container(p)).allowPrivilegeEscalation,
    want: [],
  },
  {
    name: 'allowPrivilegeEscalation unset, Linux, 1.25',
    level: 'restricted',
    version: '1.25',
    os: 'linux',
    pod: (p) => delete sc(container(p)).allowPrivilegeEscalation,
    want: ['pss-privilege-escalation'],
  },
  // runAsNonRoot
  {
    name: 'runAsNonRoot set on every container instead of the pod',
    level: 'restricted',
    pod: (p) => (delete podSC(p).runAsNonRoot, (sc(container(p)).runAsNonRoot = true), (sc(init(p)).runAsNonRoot = true)),
    want: [],
  },
  { name: 'runAsNonRoot unset everywhere', level: 'restricted', pod: (p) => delete podSC(p).runAsNonRoot, want: ['pss-run-as-non-root'] },
  {
    name: 'runAsNonRoot false on the pod',
    level: 'restricted',
    pod: (p) => (podSC(p).runAsNonRoot = false),
    want: ['pss-run-as-non-root'],
  },
  {
    name: 'runAsNonRoot false on a container',
    level: 'restricted',
    pod: (p) => (sc(container(p)).runAsNonRoot = false),
    want: ['pss-run-as-non-root'],
  },
  {
    name: 'runAsNonRoot false on the init container',
    level: 'restricted',
    pod: (p) => (sc(init(p)).runAsNonRoot = false),
    want: ['pss-run-as-non-root'],
  },
  {
    name: 'runAsNonRoot false, user namespace, 1.35',
    level: 'restricted',
    version: '1.35',
    pod: (p) => ((p.spec.hostUsers = false), (podSC(p).runAsNonRoot = false)),
    want: [],
  },
  {
    name: 'runAsNonRoot false, user namespace, 1.34',
    level: 'restricted',
    version: '1.34',
    pod: (p) => ((p.spec.hostUsers = false), (podSC(p).runAsNonRoot = false)),
    want: ['pss-run-as-non-root'],
  },
  // runAsUser
  { name: 'runAsUser 0 on the pod', level: 'restricted', pod: (p) => (podSC(p).runAsUser = 0), want: ['pss-run-as-user'] },
  { name: 'runAsUser 0 on a container', level: 'restricted', pod: (p) => (sc(container(p)).runAsUser = 0), want: ['pss-run-as-user'] },
  {
    name: 'runAsUser 0 on the pod, 1000 on every container',
    level: 'restricted',
    pod: (p) => ((podSC(p).runAsUser = 0), (sc(container(p)).runAsUser = 1000), (sc(init(p)).runAsUser = 1000)),
    want: ['pss-run-as-user'],
  },
  {
    name: 'runAsUser non-zero',
    level: 'restricted',
    pod: (p) => ((podSC(p).runAsUser = 1000), (sc(container(p)).runAsUser = 1000)),
    want: [],
  },
  { name: 'runAsUser 0 before 1.23', level: 'restricted', version: '1.22', pod: (p) => (podSC(p).runAsUser = 0), want: [] },
  {
    name: 'runAsUser 0, user namespace, 1.35',
    level: 'restricted',
    version: '1.35',
    pod: (p) => ((p.spec.hostUsers = false), (sc(init(p)).runAsUser = 0)),
    want: [],
  },
  // seccompProfile_restricted
  { name: 'seccomp unset everywhere', level: 'restricted', pod: (p) => delete podSC(p).seccompProfile, want: ['pss-seccomp-restricted'] },
  {
    name: 'seccomp on every container instead of the pod',
    level: 'restricted',
    pod: (p) => (
      delete podSC(p).seccompProfile,
      (sc(container(p)).seccompProfile = { type: 'RuntimeDefault' }),
      (sc(init(p)).seccompProfile = { type: 'Localhost', localhostProfile: 'x' })
    ),
    want: [],
  },
  {
    name: 'seccomp on one container only',
    level: 'restricted',
    pod: (p) => (delete podSC(p).seccompProfile, (sc(container(p)).seccompProfile = { type: 'RuntimeDefault' })),
    want: ['pss-seccomp-restricted'],
  },
  {
    name: 'seccomp unset, Windows, 1.25',
    level: 'restricted',
    version: '1.25',
    os: 'windows',
    pod: (p) => delete podSC(p).seccompProfile,
    want: [],
  },
  // capabilities_restricted
  {
    name: 'drop ALL missing',
    level: 'restricted',
    pod: (p) => (sc(container(p)).capabilities = {}),
    want: ['pss-capabilities-restricted'],
  },
  {
    name: 'drop ALL missing on the init container',
    level: 'restricted',
    pod: (p) => delete sc(init(p)).capabilities,
    want: ['pss-capabilities-restricted'],
  },
  {
    name: 'add NET_BIND_SERVICE',
    level: 'restricted',
    pod: (p) => (sc(container(p)).capabilities = { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }),
    want: [],
  },
  {
    name: 'add CHOWN',
    level: 'restricted',
    pod: (p) => (sc(container(p)).capabilities = { drop: ['ALL'], add: ['CHOWN'] }),
    want: ['pss-capabilities-restricted'],
  },
  {
    name: 'add SYS_ADMIN (outside the baseline list)',
    level: 'restricted',
    pod: (p) => (sc(container(p)).capabilities = { drop: ['ALL'], add: ['SYS_ADMIN'] }),
    want: ['pss-capabilities-baseline'],
  },
  {
    name: 'drop ALL missing before 1.22',
    level: 'restricted',
    version: '1.21',
    pod: (p) => delete sc(container(p)).capabilities,
    want: [],
  },
  {
    name: 'drop ALL missing, Windows, 1.25',
    level: 'restricted',
    version: '1.25',
    os: 'windows',
    pod: (p) => (sc(container(p)).capabilities = {}),
    want: [],
  },
];

describe('cases in the shape of the admission controller test data', () => {
  for (const c of CASES) {
    test(`${c.level} ${c.version ?? 'default'}: ${c.name} → ${c.want.join(', ') || 'passes'}`, () => {
      const minor = parseMinor(c.version ?? '1.33')!;
      expect(fired(tweak(minimalPod(c.level, minor, c.os), c.pod), c.level, c.version)).toEqual(c.want);
    });
  }
});

describe('pod-bearing kinds', () => {
  const podSpec = { hostPID: true, containers: [{ name: 'c', image: 'c:1' }] };
  const tpl = { metadata: { labels: { app: 'x' } }, spec: podSpec };
  const kinds: [string, string, object][] = [
    ['v1', 'Pod', { spec: podSpec }],
    ['v1', 'PodTemplate', { template: tpl }],
    ['v1', 'ReplicationController', { spec: { template: tpl } }],
    ['apps/v1', 'ReplicaSet', { spec: { template: tpl } }],
    ['apps/v1', 'Deployment', { spec: { template: tpl } }],
    ['apps/v1', 'StatefulSet', { spec: { template: tpl } }],
    ['apps/v1', 'DaemonSet', { spec: { template: tpl } }],
    ['batch/v1', 'Job', { spec: { template: tpl } }],
    ['batch/v1', 'CronJob', { spec: { jobTemplate: { spec: { template: tpl } } } }],
    ['argoproj.io/v1alpha1', 'Rollout', { spec: { template: tpl } }],
    ['apps.kruise.io/v1alpha1', 'CloneSet', { spec: { template: tpl } }],
  ];
  for (const [apiVersion, kind, body] of kinds) {
    test(`${apiVersion} ${kind}`, () => {
      expect(fired({ apiVersion, kind, metadata: { name: 'x' }, ...body }, 'baseline')).toEqual(['pss-host-namespaces']);
    });
  }
  test('custom resources: not evaluated unless settings.podTemplatePaths says where the template is', () => {
    const cr = { apiVersion: 'example.com/v1', kind: 'Workload', metadata: { name: 'x' }, spec: { pod: tpl } };
    expect(fired(cr, 'baseline')).toEqual([]);
    expect(fired(cr, 'baseline', undefined, { podTemplatePaths: [{ group: 'example.com', kind: 'Workload', path: 'spec.pod' }] })).toEqual([
      'pss-host-namespaces',
    ]);
    // without a group: any group
    expect(fired(cr, 'baseline', undefined, { podTemplatePaths: [{ kind: 'Workload', path: 'spec.pod' }] })).toEqual([
      'pss-host-namespaces',
    ]);
    // another group, a wrong path, malformed entries: not evaluated, no crash
    expect(fired(cr, 'baseline', undefined, { podTemplatePaths: [{ group: 'other.io', kind: 'Workload', path: 'spec.pod' }] })).toEqual([]);
    expect(fired(cr, 'baseline', undefined, { podTemplatePaths: [{ kind: 'Workload', path: 'spec.template' }, 'x', { kind: 1 }] })).toEqual(
      [],
    );
    expect(fired(cr, 'baseline', undefined, { podTemplatePaths: 'spec.pod' })).toEqual([]);
  });
  test('a Rollout with workloadRef (no template) is not evaluated', () => {
    expect(
      fired(
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Rollout',
          metadata: { name: 'x' },
          spec: { workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' } },
        },
        'restricted',
      ),
    ).toEqual([]);
  });
  test('the finding points at the field in the custom resource', () => {
    const text =
      'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\nspec:\n  template:\n    spec:\n      hostIPC: true\n      containers: [{name: c, image: "c:1"}]\n';
    const run = lintText(text, { config: { extends: 'pss-baseline' } });
    const m = run.results.flatMap((r) => r.messages);
    expect(m.map((x) => `${x.line}:${x.column} ${x.ruleId}`)).toEqual(['7:7 pss-host-namespaces']);
    expect(m[0]!.message).toBe(
      'Pod Security baseline "Host Namespaces": spec.hostIPC is true; allowed: unset or false. A namespace labelled pod-security.kubernetes.io/enforce: baseline or restricted rejects the pods of this Rollout (policy v1.33).',
    );
  });
});

describe('messages', () => {
  test('name the control, the field, the value, the allowed values and the namespace label', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: app\n      image: "a:1"\n      securityContext:\n        allowPrivilegeEscalation: true\n';
    const run = lintText(text, { config: { extends: 'pss-restricted', kubernetesVersion: '1.29' } });
    const byRule = new Map(run.results.flatMap((r) => r.messages).map((m) => [m.ruleId, m.message]));
    expect(byRule.get('pss-privilege-escalation')).toBe(
      'Pod Security restricted "Privilege Escalation": spec.containers[0].securityContext.allowPrivilegeEscalation is true (container "app"); allowed: false. A namespace labelled pod-security.kubernetes.io/enforce: restricted rejects this pod (policy v1.29).',
    );
    expect(byRule.get('pss-run-as-non-root')).toBe(
      'Pod Security restricted "Running as Non-root": spec.securityContext.runAsNonRoot is not set; allowed: true (here, or in every container). A namespace labelled pod-security.kubernetes.io/enforce: restricted rejects this pod (policy v1.29).',
    );
  });
});

describe('policy version', () => {
  const ns = (label?: string) =>
    `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n${label ? `  labels:\n    pod-security.kubernetes.io/enforce: baseline\n    pod-security.kubernetes.io/enforce-version: "${label}"\n` : ''}`;
  const pod =
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: apps}\nspec:\n  securityContext:\n    sysctls: [{name: net.ipv4.tcp_rmem, value: "4096 87380 6291456"}]\n  containers: [{name: c, image: "c:1"}]\n';
  const run = (text: string, version?: string) => {
    const r = lintText(text, { config: { extends: 'pss-baseline', ...(version ? { kubernetesVersion: version } : {}) } });
    return r.results.flatMap((x) => x.messages).map((m) => m.message);
  };
  test('a Namespace in the input pins an older version with its enforce-version label', () => {
    expect(run(`${ns()}---\n${pod}`)).toEqual([]);
    const pinned = run(`${ns('v1.31')}---\n${pod}`);
    expect(pinned).toHaveLength(1);
    expect(pinned[0]).toContain("(policy v1.31, pinned by the Namespace's enforce-version label)");
    // latest, a newer version, or a malformed label: the target version
    expect(run(`${ns('latest')}---\n${pod}`)).toEqual([]);
    expect(run(`${ns('v1.40')}---\n${pod}`, '1.32')).toEqual([]);
    expect(run(`${ns('1.31')}---\n${pod}`)).toEqual([]);
    // a pod in another namespace is not affected
    expect(run(`${ns('v1.31')}---\n${pod.replace('namespace: apps', 'namespace: other')}`)).toEqual([]);
  });
  test('kubernetesVersion and its default', () => {
    expect(targetKubernetesVersion({})).toEqual({ text: '1.33', major: 1, minor: 33 });
    expect(targetKubernetesVersion({ kubernetesVersion: 'v1.29' }).minor).toBe(29);
    expect(targetKubernetesVersion({ kubernetesVersion: '1.30.2' }).minor).toBe(30);
    expect(targetKubernetesVersion({ kubernetesVersion: 'banana' }).minor).toBe(33);
    expect(run(pod, '1.31')).toHaveLength(1);
  });
});

describe('tables', () => {
  test('the safe sysctls grow at 1.27, 1.29, 1.32 and 1.37', () => {
    expect(safeSysctls(26)).toHaveLength(5);
    expect(safeSysctls(27)).toHaveLength(6);
    expect(safeSysctls(29)).toHaveLength(10);
    expect(safeSysctls(32)).toHaveLength(12);
    expect(safeSysctls(36)).toHaveLength(12);
    expect(safeSysctls(37)).toHaveLength(14);
  });
  test('SELinux types', () => {
    expect(seLinuxTypes(30)).not.toContain('container_engine_t');
    expect(seLinuxTypes(31)).toContain('container_engine_t');
  });
  test('19 controls, one registered rule each, in the right presets and off by default', () => {
    const reg = new RuleRegistry();
    expect(CONTROLS.filter((c) => c.level === 'baseline')).toHaveLength(12);
    expect(CONTROLS.filter((c) => c.level === 'restricted')).toHaveLength(7);
    for (const c of CONTROLS) {
      const r = reg.get(c.id);
      expect(r?.meta.presets).toEqual(c.level === 'baseline' ? ['pss-baseline', 'pss-restricted'] : ['pss-restricted']);
    }
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers: [{name: c, image: "c:1"}]\n';
    const ids = lintText(pod).results.flatMap((r) => r.messages.map((m) => m.ruleId));
    expect(ids.filter((id) => id.startsWith('pss-'))).toEqual([]);
  });
  test('podTemplateLocations: configured entries first, then the defaults', () => {
    expect(podTemplateLocations({ podTemplatePaths: [{ kind: 'X', path: 'spec.t' }] }).map((l) => `${l.group ?? '*'}/${l.kind}`)).toEqual([
      '*/X',
      'argoproj.io/Rollout',
      'apps.kruise.io/CloneSet',
    ]);
  });
});
