/** The config's shape (schemas/config.schema.json) once loaded, and the error a bad config gives. */
import type { SeverityOrOff } from '../engine/rule.js';

export type RuleEntry =
  | SeverityOrOff
  | [SeverityOrOff]
  | [SeverityOrOff, Record<string, unknown>]
  | { severity?: SeverityOrOff; options?: Record<string, unknown> };

export interface OverrideEntry {
  files?: string[];
  excludedFiles?: string[];
  match?: { kinds?: string[]; namespaces?: string[]; names?: string[]; labels?: Record<string, string> };
  rules: Record<string, RuleEntry>;
}

export interface ConfigData {
  /** presets to turn on (default: recommended) */
  extends?: string | string[];
  rules?: Record<string, RuleEntry>;
  overrides?: OverrideEntry[];
  ignorePatterns?: string[];
  defaultNamespace?: string;
  kubernetesVersion?: string;
  context?: string[];
  crds?: string[];
  policies?: string[];
  plugins?: string[];
  maxFileSize?: number;
  settings?: Record<string, unknown>;
  helm?: {
    /** the helm command (default: helm on PATH), a path or [command, args...] */
    command?: string | string[];
    /** run helm template with --dependency-update (fetches dependencies from the network) */
    dependencyUpdate?: boolean;
    charts?: { path: string; profiles?: HelmProfileConfig[] }[];
  };
  kustomize?: {
    /** the kustomize command (default: kustomize on PATH, else kubectl kustomize) */
    command?: string | string[];
    /** let kustomize fetch remote resources (URLs, git repositories) */
    allowRemote?: boolean;
    /** kustomize's --load-restrictor: rootOnly (files outside a kustomization's directory are an error), none (allowed, no note) */
    loadRestrictor?: 'rootOnly' | 'none';
    /** build kustomizations (default true); false lints kustomize trees raw */
    render?: boolean;
  };
}

export interface HelmProfileConfig {
  name?: string;
  /** values files, relative to the config file's directory */
  values?: string[];
  set?: string[];
  releaseName?: string;
  namespace?: string;
  kubeVersion?: string;
  apiVersions?: string[];
  skipTests?: boolean;
  includeCrds?: boolean;
}

export interface LoadedConfig {
  data: ConfigData;
  /** the config file, or undefined when none was found */
  file?: string;
  /** directory that relative paths and globs in the config are resolved against */
  dir: string;
}

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}
