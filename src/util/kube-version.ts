/**
 * The target Kubernetes version rules share: `kubernetesVersion` in the
 * config (or `--kubernetes-version`), which the engine passes to rules as
 * `ctx.settings.kubernetesVersion`; default: the version of the bundled
 * schemas.
 */
import { SCHEMA_KUBERNETES_VERSION } from '../schema/builtin.js';

export interface KubeVersion {
  /** "1.33" */
  text: string;
  major: 1;
  minor: number;
}

/** "1.29", "v1.29", "1.29.3" → 29; anything else → undefined. */
export function parseMinor(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^v?1\.(\d+)(?:\.\d+)?$/.exec(v.trim());
  return m ? Number(m[1]) : undefined;
}

export function kubeVersion(minor: number): KubeVersion {
  return { text: `1.${String(minor)}`, major: 1, minor };
}

/** The target version from the rule settings (`kubernetesVersion`), else the default. */
export function targetKubernetesVersion(settings: Readonly<Record<string, unknown>>): KubeVersion {
  return kubeVersion(parseMinor(settings.kubernetesVersion) ?? parseMinor(SCHEMA_KUBERNETES_VERSION)!);
}
