/** The Pod Security Standards rules, one per control (listed once in the registry). */
import type { AnyRule } from '../engine/rule.js';
import hostProcess from '../../rules/pss-host-process/index.js';
import hostNamespaces from '../../rules/pss-host-namespaces/index.js';
import privileged from '../../rules/pss-privileged/index.js';
import capabilitiesBaseline from '../../rules/pss-capabilities-baseline/index.js';
import hostPathVolumes from '../../rules/pss-host-path-volumes/index.js';
import hostPorts from '../../rules/pss-host-ports/index.js';
import hostProbes from '../../rules/pss-host-probes/index.js';
import appArmor from '../../rules/pss-apparmor/index.js';
import seLinux from '../../rules/pss-selinux/index.js';
import procMount from '../../rules/pss-proc-mount/index.js';
import seccompBaseline from '../../rules/pss-seccomp-baseline/index.js';
import sysctls from '../../rules/pss-sysctls/index.js';
import volumeTypes from '../../rules/pss-volume-types/index.js';
import privilegeEscalation from '../../rules/pss-privilege-escalation/index.js';
import runAsNonRoot from '../../rules/pss-run-as-non-root/index.js';
import runAsUser from '../../rules/pss-run-as-user/index.js';
import seccompRestricted from '../../rules/pss-seccomp-restricted/index.js';
import capabilitiesRestricted from '../../rules/pss-capabilities-restricted/index.js';
import procMountRestricted from '../../rules/pss-proc-mount-restricted/index.js';

export const PSS_RULES: readonly AnyRule[] = [
  hostProcess,
  hostNamespaces,
  privileged,
  capabilitiesBaseline,
  hostPathVolumes,
  hostPorts,
  hostProbes,
  appArmor,
  seLinux,
  procMount,
  seccompBaseline,
  sysctls,
  volumeTypes,
  privilegeEscalation,
  runAsNonRoot,
  runAsUser,
  seccompRestricted,
  capabilitiesRestricted,
  procMountRestricted,
];
