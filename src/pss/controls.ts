/**
 * The Pod Security Standards controls, as the Pod Security admission
 * controller (k8s.io/pod-security-admission, policy/check_*.go) enforces
 * them: one check per control, each returning the fields that violate it.
 *
 * Conventions shared with PSA:
 * - "containers" are init, regular and ephemeral containers (PSA's visitContainers);
 * - a field counts only with the type the API decodes it to (a quoted `"true"`
 *   is not `true`; such values are the schema rule's business), and `null` is unset;
 * - a control applies from its first policy version (`since`), and versioned
 *   allow-lists follow the policy version.
 *
 * Deliberate difference (documented in the rules): where PSA's restricted
 * checks override a baseline check (restrictedVolumes over hostPathVolumes,
 * capabilities_restricted over capabilities_baseline, seccompProfile_restricted
 * over seccompProfile_baseline, procMount_restricted over procMount), the
 * restricted rule leaves out what its baseline rule, in the same preset,
 * already reports on the same field, so a field is reported once.
 */
import type { PodView } from './pod.js';
import type { Control, Level, Violation } from './check.js';
import { capabilitiesBaseline, hostNamespaces, hostPathVolumes, hostPorts, hostProbes, hostProcess, privileged } from './baseline.js';
import { appArmor, procMount, seLinux, seccompBaseline, sysctls } from './baseline-profiles.js';
import {
  capabilitiesRestricted,
  privilegeEscalation,
  procMountRestricted,
  runAsNonRoot,
  runAsUser,
  seccompRestricted,
  volumeTypes,
} from './restricted.js';
export type { Level, Violation, Control } from './check.js';
export { CAPABILITIES_BASELINE } from './baseline.js';
export { SAFE_SYSCTLS, safeSysctls, seLinuxTypes } from './baseline-profiles.js';
export { ALLOWED_VOLUME_TYPES, RESTRICTED_VOLUME_TYPES } from './restricted.js';

export const BASELINE_CONTROLS: readonly Control[] = [
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
];
export const RESTRICTED_CONTROLS: readonly Control[] = [
  volumeTypes,
  privilegeEscalation,
  runAsNonRoot,
  runAsUser,
  seccompRestricted,
  capabilitiesRestricted,
  procMountRestricted,
];
export const CONTROLS: readonly Control[] = [...BASELINE_CONTROLS, ...RESTRICTED_CONTROLS];

export function control(id: string): Control {
  const c = CONTROLS.find((x) => x.id === id);
  if (!c) throw new Error(`unknown Pod Security control "${id}"`);
  return c;
}

/** Every violation of a level's controls (baseline: the 12 baseline controls; restricted: all 19), for a pod view. */
export function evaluate(pod: PodView, level: Level): { control: Control; violation: Violation }[] {
  const out: { control: Control; violation: Violation }[] = [];
  for (const c of level === 'baseline' ? BASELINE_CONTROLS : CONTROLS) {
    if (pod.minor < c.since) continue;
    for (const v of c.check(pod)) out.push({ control: c, violation: v });
  }
  return out;
}
